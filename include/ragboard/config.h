/* The partnership's INI file: where it is found, what it holds, every problem in it. */
#ifndef RAGBOARD_CONFIG_H
#define RAGBOARD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "ragboard/date.h"
#include "ragboard/rag.h"
#include "ragboard/util.h"

/* National threat levels set by JTAC, lowest first. */
enum threat_level { THREAT_LOW, THREAT_MODERATE, THREAT_SUBSTANTIAL, THREAT_SEVERE,
                    THREAT_CRITICAL };
#define THREAT_COUNT 5

/* "LOW", "MODERATE", ... */
const char *threat_word(enum threat_level t);
/* Case-insensitive; false for anything else. */
bool threat_parse(const char *s, enum threat_level *out);

/* Colour themes for the screen ([display] theme). */
enum display_theme { THEME_DEFAULT, THEME_HIGH_CONTRAST, THEME_MONOCHROME, THEME_COLOUR_BLIND };
#define THEME_COUNT 4

/* "default", "high-contrast", "monochrome", "colour-blind". */
const char *theme_name(enum display_theme t);
/* Case-insensitive; "color-blind" is taken too. False for anything else. */
bool theme_parse(const char *s, enum display_theme *out);

/* One line of [keys]: action-name = key(s), kept as written; the screen checks them
 * (src/tui/keys.c), since only it knows the actions and key names. */
struct config_binding {
    char *action; /* lower case, as iniparser stores keys */
    char *keys;
    int line;
};

/* One agency from [agencies]: code = full name. Codes are stored upper case. */
struct config_agency {
    char *code;
    char *name;
    int line; /* line in the file, 0 for built-in defaults */
};

struct config {
    char *path;              /* the file loaded; "(built-in defaults)" when none */
    char *partnership_name;  /* [partnership] name */
    char *plan_title;        /* [partnership] plan_title */
    enum threat_level threat; /* [partnership] threat_level */
    rb_day ctlp_briefing;    /* [partnership] ctlp_briefing, RB_NO_DATE if unset */
    struct config_agency *agencies;
    size_t n_agencies;
    struct rag_thresholds rag; /* [rag] */
    enum display_theme theme;  /* [display] theme */
    bool ascii_lines;          /* [display] ascii_lines: boxes drawn with + - | */
    bool mouse;                /* [display] mouse: off unless asked for */
    struct config_binding *bindings; /* [keys], in file order */
    size_t n_bindings;
    int backups_kept;          /* [store] backups_kept */
    bool restricted;           /* [security] restricted: only ever turns it on */
};

/* Fill cfg with the built-in defaults (the shipped INI's values). Free with config_free. */
void config_defaults(struct config *cfg);

/* Load path into cfg, which is overwritten (set to the defaults first; do not call
 * config_defaults before). Every problem in the file is
 * added to diags as file:line; returns 0 when there are no errors (warnings allowed),
 * -1 otherwise. cfg is usable either way; free it with config_free. */
int config_load(const char *path, struct config *cfg, struct diags *diags);

/* Load the shipped default INI compiled into the program. */
int config_load_builtin(struct config *cfg, struct diags *diags);

/* Which file to load: cli_path (--config), then $RAGBOARD_CONFIG, then
 * $XDG_CONFIG_HOME/ragboard/ragboard.ini (~/.config/...), then the installed default
 * (beside the program's prefix, then the compiled-in data directory). Returns a path
 * the caller frees, or NULL when none exists (use config_load_builtin). */
char *config_find(const char *cli_path);

void config_free(struct config *cfg);

/* The settings file installed with the program (beside its prefix, then the compiled-in
 * data directory), or NULL; caller frees. Restricted mode reads only this one. */
char *config_find_installed(void);

/* The configuration table: every section and key the file may hold, with its help. */
struct config_key_info {
    const char *section;
    const char *key;  /* NULL for [agencies] and [keys], whose keys are codes or actions */
    const char *help;
};
extern const struct config_key_info config_keys[];
extern const size_t config_n_keys;

#endif

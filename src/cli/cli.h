/* Subcommands run from the shell: init, check, export, and the shared start-up steps. */
#ifndef RAGBOARD_CLI_H
#define RAGBOARD_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "ragboard/config.h"
#include "ragboard/store.h"

/* Exit codes, documented in --help and the README. */
enum exit_code {
    EXIT_OK = 0,
    EXIT_PROBLEMS = 1, /* check found problems, or the operation failed */
    EXIT_USAGE = 2,    /* bad command line */
    EXIT_CONFIG = 3,   /* the INI file has errors */
    EXIT_DATABASE = 4, /* the database could not be opened or created */
};

/* Options common to every command. */
struct cli_opts {
    const char *db;     /* --db, NULL for the default */
    const char *config; /* --config */
    bool demo;          /* --demo */
    bool present;       /* --present: start in presenter mode */
    bool restricted;    /* --restricted: restricted mode, for good */
    const char *format; /* export --format */
    const char *output; /* export --output */
    const char *strand; /* export --strand */
    const char *agency; /* export --agency */
    const char *import_file; /* import FILE.csv */
    bool dry_run;            /* import --dry-run */
    bool add_agencies;       /* import --add-agencies */
    const char *subject; /* minutes MEETING, report exceptions|highlight */
    bool include_confidential; /* --include-confidential (minutes, report, export) */
    bool force;                /* export, changes export --force: replace the output file */
    const char *since;         /* changes export --since MEETING|DATE */
    const char *changes_file;  /* changes apply FILE (the subcommand is in subject) */
    const char *take[2 * 32];  /* changes apply --take SIDE REF:FIELD, in pairs */
    int n_take;                /* pairs in take */
    const char *rag[16];       /* list --rag R[,R...], each as given */
    int n_rag;                 /* entries in rag */
    const char *lead;          /* list --lead A */
    const char *state;         /* list --state S */
    const char *search;        /* list --search TEXT */
    const char *sort;          /* list --sort KEY */
    bool overdue;              /* list --overdue */
};

/* Load the config the way every command does; prints problems to stderr. Returns an
 * exit code (EXIT_OK when usable). */
int cli_load_config(const struct cli_opts *o, struct config *cfg, bool quiet_warnings);

/* Open the plan (--db, or the default) with store_open's flags, printing the problem
 * when it cannot be opened. Returns an exit code. */
int cli_open_store(const struct cli_opts *o, unsigned flags, struct store **st);

/* The settings and the plan, opened read-only: what every reading command needs. On
 * failure the problem is printed and nothing is left to free. Returns an exit code. */
int cli_open_plan(const struct cli_opts *o, struct config *cfg, struct store **st);

/* Build a fresh demo database at the demo path; fills *path (caller frees). */
int cli_make_demo(const struct config *cfg, char **path);

/* --version: version, SQLite and ncurses versions, build options (src/cli/version.c). */
void cli_version(FILE *out);

int cmd_init(const struct cli_opts *o);
int cmd_check(const struct cli_opts *o);
int cmd_export(const struct cli_opts *o);
/* cmd_changes.c: ragboard changes export|apply. */
int cmd_changes(const struct cli_opts *o);
/* cmd_import.c: ragboard import FILE.csv [--dry-run] [--add-agencies]. */
int cmd_import(const struct cli_opts *o, const char *file);
/* cmd_report.c: ragboard minutes [MEETING] and ragboard report exceptions|highlight. */
int cmd_minutes(const struct cli_opts *o);
int cmd_report(const struct cli_opts *o);
/* cmd_backup.c: ragboard backup [FILE] and ragboard restore FILE (FILE in subject). */
int cmd_backup(const struct cli_opts *o);
int cmd_restore(const struct cli_opts *o);
/* cmd_list.c: ragboard list, the plan's actions one a line (text or TSV). */
int cmd_list(const struct cli_opts *o);
/* The settings file to read (caller frees; NULL: the built-in one): config_find's choice,
 * or in restricted mode (--restricted, the build, or the installed file's [security]
 * restricted) only the installed file. Turns restricted mode on as those ask. */
char *cli_config_path(const struct cli_opts *o);
/* Turn restricted mode on when --restricted or the installed settings file ask for it
 * (main calls it before any command runs). */
void cli_restrict_init(const struct cli_opts *o);

#endif

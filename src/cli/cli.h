/* Subcommands run from the shell: init, check, export, and the shared start-up steps. */
#ifndef RAGBOARD_CLI_H
#define RAGBOARD_CLI_H

#include <stdbool.h>

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
    const char *format; /* export --format */
    const char *output; /* export --output */
    const char *strand; /* export --strand */
    const char *agency; /* export --agency */
};

/* Load the config the way every command does; prints problems to stderr. Returns an
 * exit code (EXIT_OK when usable). */
int cli_load_config(const struct cli_opts *o, struct config *cfg, bool quiet_warnings);

/* Build a fresh demo database at the demo path; fills *path (caller frees). */
int cli_make_demo(const struct config *cfg, char **path);

int cmd_init(const struct cli_opts *o);
int cmd_check(const struct cli_opts *o);
int cmd_export(const struct cli_opts *o);

#endif

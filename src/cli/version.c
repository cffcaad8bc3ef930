/* ragboard --version: this program's version, the libraries it runs with, how it was built. */
#include "cli/cli.h"

#include <curses.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "build_config.h"

void cli_version(FILE *out)
{
    fprintf(out, "ragboard %s\n", RAGBOARD_VERSION);
    /* The library in use can differ from the one built against (shared builds). */
    const char *sqlite_run = sqlite3_libversion();
    fprintf(out, "SQLite %s", sqlite_run);
    if (strcmp(sqlite_run, SQLITE_VERSION) != 0)
        fprintf(out, " (built with %s)", SQLITE_VERSION);
    fprintf(out, "%s\n", sqlite3_compileoption_used("ENABLE_SESSION") ? ", session extension"
                                                                      : ", no session extension");
    fprintf(out, "%s (built with ncurses %s)\n", curses_version(), NCURSES_VERSION);
    fprintf(out, "iniparser 4 (its version is not recorded in the library)\n");
    fprintf(out, "built: %s\n", RAGBOARD_BUILD_OPTIONS);
}

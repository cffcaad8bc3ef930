/* The ':' command line of the full-screen program. */
#ifndef RAGBOARD_TUI_CMDLINE_H
#define RAGBOARD_TUI_CMDLINE_H

#include <stddef.h>

#include "tui/screen.h"

/* Open the command line at the foot of the screen. */
void cmdline_open(struct app *app);

/* Run one command: export --format F [--strand S] [--agency A], report exceptions|
 * highlight, minutes [latest|DATE], each with [--format F] [--output NAME] [--force]
 * [--include-confidential]; backup [NAME]; help; quit. Files go to the exports folder,
 * backups to the backups folder. Returns 0 with what happened in msg (RB_ERRLEN bytes;
 * may be empty), or -1 with the problem. */
int cmdline_run(struct app *app, const char *line, char *msg);

/* Tab on the text before the cursor: returns how many words could come next; *insert
 * gets the text to add (caller frees; NULL for none) and shown the choices when there is
 * more than one. */
int cmdline_complete(const struct app *app, const char *before, char **insert, char *shown,
                     size_t shown_len);

#endif

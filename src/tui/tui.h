/* The full-screen program. */
#ifndef RAGBOARD_TUI_H
#define RAGBOARD_TUI_H

#include "ragboard/config.h"
#include "ragboard/store.h"

/* Run the screen on an open store until the user quits. Returns an exit code. */
int tui_run(struct store *st, const struct config *cfg);

#endif

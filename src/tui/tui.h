/* The full-screen program. */
#ifndef RAGBOARD_TUI_H
#define RAGBOARD_TUI_H

#include <stdbool.h>
#include <stdio.h>

#include "ragboard/config.h"
#include "ragboard/store.h"

/* Run the screen on an open store until the user quits; present starts in presenter
 * mode. Returns an exit code. */
int tui_run(struct store *st, const struct config *cfg, bool present);

/* Shared by the real terminal and the headless screen tests. */
bool tui_colour_wanted(void);
void tui_setup_colour(bool colour);
void tui_setup_input(void);

/* Run a key script against the screen without a terminal, at rows x cols, writing the
 * screen as text to out at every <dump> step and at the end. Returns 0, or -1 with err
 * (a script error names its line and column). */
int tui_headless(struct store *st, const struct config *cfg, int rows, int cols, bool colour,
                 bool present, const char *script, FILE *out, char *err);

#endif

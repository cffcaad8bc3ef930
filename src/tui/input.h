/* Reading keys from the real terminal, whatever variant of a key it sends. */
#ifndef RAGBOARD_TUI_INPUT_H
#define RAGBOARD_TUI_INPUT_H

#include <stdbool.h>

#include "tui/screen.h"

/* Teach curses the Home/End/Delete/function-key sequences of common terminals that the
 * terminfo entry in use lacks, and take the mouse wheel only when mouse is true. Call
 * after the screen is started. */
void input_setup(bool mouse);
/* One key, waiting up to wait_ms: false when none came. Esc followed at once by a
 * character is Alt-character (KEY_ALT); the wheel arrives as Up and Down. */
bool input_read(struct keypress *k, int wait_ms);
/* The one name for keys that arrive in several forms: ^H and ^? are Backspace, Find and
 * Select (ESC[1~ and ESC[4~ in some entries) are Home and End. */
void input_normalise(struct keypress *k);

#endif

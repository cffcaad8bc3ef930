/* Bracketed paste: text pasted into the terminal reaches a form's field as text, never
 * as keys that would run commands, move between fields or save. */
#ifndef RAGBOARD_TUI_PASTE_H
#define RAGBOARD_TUI_PASTE_H

#include <stdbool.h>

#include "tui/screen.h"

/* The key codes curses gives for the terminal's paste markers (ESC[200~, ESC[201~). */
#define KEY_PASTE_BEGIN (KEY_MAX + 40)
#define KEY_PASTE_END (KEY_MAX + 41)

/* Ask the terminal to mark pastes, and teach curses the markers; paste_disable undoes
 * the first (call before endwin). */
void paste_enable(void);
void paste_disable(void);
/* The escape sequence that turns marking off, for the crash handler. */
#define PASTE_OFF "\033[?2004l"

/* For app_key: true when k was part of (or marks) a paste and has been dealt with. A
 * paste goes only into a form: anywhere else it is dropped with a message. */
bool paste_filter(struct app *app, const struct keypress *k);

#endif

/* The values of form fields without curses: an editable line of wide characters with a
 * cursor, its scrolling and wrapping by display cells, and the checks run as you type. */
#ifndef RAGBOARD_TUI_FORM_TEXT_H
#define RAGBOARD_TUI_FORM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "ragboard/date.h"
#include "ragboard/store.h"

/* Editable text: buf holds len characters (NUL-terminated when allocated); cur is the
 * insertion point, 0..len. Zero-initialise; free with form_text_free. */
struct form_text {
    wchar_t *buf;
    size_t len, cap, cur;
};

/* Replace the text with UTF-8 s (NULL: empty); the cursor goes to the end. */
void form_text_set(struct form_text *t, const char *s);
/* The text as UTF-8; caller frees. */
char *form_text_get(const struct form_text *t);
void form_text_free(struct form_text *t);

/* Editing at the cursor. Each returns true when the text changed. */
bool form_text_insert(struct form_text *t, wchar_t c);
bool form_text_backspace(struct form_text *t);
bool form_text_delete(struct form_text *t);
/* Delete the word before the cursor and the blanks after it (Ctrl-W). */
bool form_text_delete_word(struct form_text *t);
bool form_text_clear(struct form_text *t);

/* Cursor movement; each returns true when the cursor moved. */
bool form_text_left(struct form_text *t);
bool form_text_right(struct form_text *t);
bool form_text_home(struct form_text *t);
bool form_text_end(struct form_text *t);

/* Display cells of one character (controls and unprintables count as one). */
int form_text_cell(wchar_t c);
/* Display cells of n characters of s. */
int form_text_cells(const wchar_t *s, size_t n);

/* First character to show in a single line of width cells so that the cursor, and a cell
 * for it at the end, stay visible; first is the previous value (kept when it still works). */
size_t form_text_hscroll(const struct form_text *t, size_t first, int width);

/* Wrap the text into lines of at most width - 1 cells (one cell is kept for the cursor),
 * breaking after blanks where it can and after each newline. Writes the index of each
 * line's first character to starts (at most max entries) and returns the number of
 * lines, at least 1. */
size_t form_text_wrap(const struct form_text *t, int width, size_t *starts, size_t max);
/* The line (index into starts, n lines) holding character position pos. */
size_t form_text_line_of(const size_t *starts, size_t n, size_t pos);

/* Checks. Each returns NULL when the value is acceptable, else a message for the user.
 * Empty (blank) values pass unless required, giving RB_NO_DATE / -1. */
const char *form_check_date(const char *s, bool required, rb_day *out);
const char *form_check_percent(const char *s, bool required, int *out);

/* Check a list of agency codes separated by commas, semicolons or blanks against the
 * agency list (any case). On success returns true and, when codes is not NULL, sets it
 * to the codes as the list spells them, without repeats, joined by ", " (caller frees).
 * Otherwise fills msg (msg_size bytes) with e.g. "unknown agency XYZ". */
bool form_check_agencies(const char *s, const struct agency *v, size_t n, char **codes,
                         char *msg, size_t msg_size);

#endif

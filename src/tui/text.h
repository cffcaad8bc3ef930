/* Drawing UTF-8 text by display cells: truncation, padding, highlighting. */
#ifndef RAGBOARD_TUI_TEXT_H
#define RAGBOARD_TUI_TEXT_H

#include <curses.h>
#include <stdbool.h>
#include <wchar.h>

/* Display width of a UTF-8 string (invalid bytes count as one cell each). */
int text_width(const char *s);

/* Draw s at (y, x) in exactly width cells: cut with "~" when too long (when width allows),
 * padded with blanks when pad is true. Returns the number of cells drawn. */
int text_put(WINDOW *w, int y, int x, const char *s, int width, bool pad);

/* As text_put, but every case-insensitive occurrence of any word of `words`
 * (space-separated) is drawn with attribute hl. */
int text_put_hl(WINDOW *w, int y, int x, const char *s, int width, bool pad, const char *words,
                attr_t hl);

/* Split s into lines of at most width cells at spaces; calls cb for each line
 * (line, its length in bytes). Returns the number of lines. */
int text_wrap(const char *s, int width, void (*cb)(const char *line, size_t len, void *ctx),
              void *ctx);

/* UTF-8 to a newly allocated wide string and back; callers free. */
wchar_t *text_to_wide(const char *s);
char *text_from_wide(const wchar_t *w, size_t n);

#endif

/* Key scripts: a text that spells out keys, resizes and screen dumps, for screen tests. */
#ifndef RAGBOARD_TUI_KEYSCRIPT_H
#define RAGBOARD_TUI_KEYSCRIPT_H

#include <stddef.h>

#include "tui/screen.h"

/* Syntax, tokens separated by blanks or new lines:
 *   jjk          each character of a bare word is one key
 *   "new title"  each character typed, UTF-8; \" and \\ inside
 *   <Enter> <Esc> <Tab> <S-Tab> <Space> <BS> <Del> <Up> <Down> <Left> <Right>
 *   <PgUp> <PgDn> <Home> <End> <F1>..<F12> <C-a>..<C-z> <lt> (a literal '<')
 *   <resize 50x12>   resize the screen to 50 columns by 12 rows
 *   <dump>           write the screen out now
 *   # to the end of the line is a comment (outside quotes) */
enum step_kind { STEP_KEY, STEP_RESIZE, STEP_DUMP };

struct script_step {
    enum step_kind kind;
    struct keypress key;
    int rows, cols;
};

/* Parse text; *out is allocated (caller frees). Returns 0, or -1 with err naming
 * "line L, column C: what is wrong". */
int keyscript_parse(const char *text, struct script_step **out, size_t *n, char *err);

#endif

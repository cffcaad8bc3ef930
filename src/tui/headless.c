/* Running the screens without a terminal: a key script in, the screen out as text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ragboard/util.h"
#include "tui/keyscript.h"
#include "tui/screen.h"
#include "tui/tui.h"

/* Write the physical screen as text, one line per row, trailing blanks removed, then
 * the cursor position. */
static void dump(FILE *out)
{
    int rows = getmaxy(curscr), cols = getmaxx(curscr);
    wchar_t *line = xcalloc((size_t)cols + 1, sizeof *line);
    fprintf(out, "--- screen %dx%d\n", cols, rows);
    for (int y = 0; y < rows; y++) {
        int n = 0;
        for (int x = 0; x < cols; x++) {
            cchar_t cc;
            if (mvwin_wch(curscr, y, x, &cc) == ERR)
                break;
            wchar_t wch[CCHARW_MAX + 1];
            attr_t attrs;
            short pair;
            getcchar(&cc, wch, &attrs, &pair, NULL);
            if (wch[0] == L'\0')
                continue; /* the right half of a double-width character */
            /* Line drawing becomes plain ASCII so expected files are easy to read. */
            chtype ch = cc.chars[0];
            if (ch == ACS_HLINE || (attrs & A_ALTCHARSET && wch[0] == L'q'))
                wch[0] = L'-';
            else if (attrs & A_ALTCHARSET && wch[0] == L'x')
                wch[0] = L'|';
            else if (attrs & A_ALTCHARSET)
                wch[0] = L'+';
            line[n++] = wch[0];
            /* ncurses repeats a double-width character in the cell it spills into. */
            int w = wcwidth(wch[0]);
            if (w > 1)
                x += w - 1;
        }
        while (n > 0 && line[n - 1] == L' ')
            n--;
        line[n] = L'\0';
        fprintf(out, "%ls\n", line);
    }
    fprintf(out, "--- cursor %d,%d\n", getcury(newscr), getcurx(newscr));
    free(line);
}

int tui_headless(struct store *st, const struct config *cfg, int rows, int cols, bool colour,
                 bool present, const char *script, FILE *out, char *err)
{
    struct script_step *steps;
    size_t n;
    if (keyscript_parse(script, &steps, &n, err) != 0)
        return -1;
    FILE *null_out = fopen("/dev/null", "w");
    FILE *null_in = fopen("/dev/null", "r");
    if (!null_out || !null_in) {
        if (null_out)
            fclose(null_out);
        if (null_in)
            fclose(null_in);
        free(steps);
        return rb_fail(err, "cannot open /dev/null");
    }
    const char *term = getenv("TERM");
    SCREEN *scr = newterm(term && *term && strcmp(term, "dumb") != 0 ? term : "xterm-256color",
                          null_out, null_in);
    if (!scr) {
        fclose(null_out);
        fclose(null_in);
        free(steps);
        return rb_fail(err, "cannot start a headless screen for TERM=%s", term ? term : "");
    }
    set_term(scr);
    resize_term(rows, cols);
    tui_setup_input();
    tui_setup_colour(colour);
    struct app app;
    app_init(&app, st, cfg, colour, present);
    app_draw(&app);
    doupdate();
    bool running = true;
    bool dumped_last = false;
    for (size_t i = 0; i < n && running; i++) {
        dumped_last = false;
        switch (steps[i].kind) {
        case STEP_DUMP:
            dump(out);
            dumped_last = true;
            continue;
        case STEP_RESIZE: {
            resize_term(steps[i].rows, steps[i].cols);
            struct keypress k = {true, KEY_RESIZE};
            running = app_key(&app, &k);
            break;
        }
        case STEP_KEY: running = app_key(&app, &steps[i].key); break;
        }
        app_draw(&app);
        doupdate();
    }
    if (!dumped_last)
        dump(out);
    if (!running)
        fprintf(out, "--- quit\n");
    app_free(&app);
    endwin();
    delscreen(scr);
    fclose(null_out);
    fclose(null_in);
    free(steps);
    return 0;
}

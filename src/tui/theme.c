/* Colour themes, rating attributes and frame drawing for the full-screen program. */
#include <stdlib.h>

#include "tui/screen.h"

/* One colour pair: foreground and background for 8-colour and 256-colour terminals
 * (-1 is the terminal's own colour), and whether text in it is bold. */
struct pair_style {
    short fg8, bg8, fg256, bg256;
    bool bold;
};

/* Indexed by theme, then by pair (PAIR_RED .. PAIR_ERROR, from 1). Monochrome has no
 * colours; its row is never used. */
static const struct pair_style styles[THEME_COUNT][PAIR_ERROR + 1] = {
    [THEME_DEFAULT] =
        {
            [PAIR_RED] = {COLOR_RED, -1, COLOR_RED, -1, true},
            [PAIR_AMBER] = {COLOR_YELLOW, -1, COLOR_YELLOW, -1, true},
            [PAIR_GREEN] = {COLOR_GREEN, -1, COLOR_GREEN, -1, false},
            [PAIR_COMPLETE] = {COLOR_BLUE, -1, COLOR_BLUE, -1, false},
            [PAIR_TITLE] = {COLOR_CYAN, -1, COLOR_CYAN, -1, false},
            [PAIR_ERROR] = {COLOR_RED, -1, COLOR_RED, -1, true},
        },
    /* Solid blocks with the strongest contrast a projector keeps. */
    [THEME_HIGH_CONTRAST] =
        {
            [PAIR_RED] = {COLOR_WHITE, COLOR_RED, 231, 160, true},
            [PAIR_AMBER] = {COLOR_BLACK, COLOR_YELLOW, 16, 220, true},
            [PAIR_GREEN] = {COLOR_BLACK, COLOR_GREEN, 16, 40, true},
            [PAIR_COMPLETE] = {COLOR_WHITE, COLOR_BLUE, 231, 21, true},
            [PAIR_TITLE] = {-1, -1, -1, -1, true},
            [PAIR_ERROR] = {COLOR_WHITE, COLOR_RED, 231, 160, true},
        },
    /* Blue and orange for Green and Red, which look alike to most colour-blind
     * people; on 8-colour terminals red and blue stay far apart too. */
    [THEME_COLOUR_BLIND] =
        {
            [PAIR_RED] = {COLOR_RED, -1, 208, -1, true},
            [PAIR_AMBER] = {COLOR_YELLOW, -1, 220, -1, true},
            [PAIR_GREEN] = {COLOR_BLUE, -1, 33, -1, false},
            [PAIR_COMPLETE] = {-1, -1, -1, -1, false},
            [PAIR_TITLE] = {COLOR_CYAN, -1, 39, -1, false},
            [PAIR_ERROR] = {COLOR_RED, -1, 208, -1, true},
        },
};

void theme_apply(struct app *app)
{
    if (!app->colour)
        return;
    bool rich = COLORS >= 256;
    for (int p = PAIR_RED; p <= PAIR_ERROR; p++) {
        const struct pair_style *st = &styles[app->theme][p];
        init_pair((short)p, rich ? st->fg256 : st->fg8, rich ? st->bg256 : st->bg8);
    }
}

attr_t ui_rag_attr(const struct app *app, enum rag r)
{
    static const enum ui_pair pairs[] = {[RAG_RED] = PAIR_RED, [RAG_AMBER] = PAIR_AMBER,
                                         [RAG_GREEN] = PAIR_GREEN,
                                         [RAG_COMPLETE] = PAIR_COMPLETE};
    if (r != RAG_RED && r != RAG_AMBER && r != RAG_GREEN && r != RAG_COMPLETE)
        return A_NORMAL;
    if (!app->colour)
        return r == RAG_RED ? A_BOLD : A_NORMAL;
    const struct pair_style *st = &styles[app->theme][pairs[r]];
    return COLOR_PAIR(pairs[r]) | (st->bold ? A_BOLD : A_NORMAL);
}

void app_next_theme(struct app *app)
{
    app->theme = (enum display_theme)((app->theme + 1) % THEME_COUNT);
    app->colour = app->colour_ok && app->theme != THEME_MONOCHROME;
    theme_apply(app);
    const char *no_color = getenv("NO_COLOR");
    const char *why = app->colour_ok || app->theme == THEME_MONOCHROME ? ""
                      : no_color && *no_color ? " (NO_COLOR is set: colours stay off)"
                                              : " (this terminal shows no colours)";
    app_status(app, "Theme: %s%s", theme_name(app->theme), why);
}

static bool ascii_lines;

void ui_set_ascii_lines(bool ascii)
{
    ascii_lines = ascii;
}

void ui_frame(WINDOW *w, int top, int left, int h, int wd)
{
    for (int y = top; y < top + h; y++)
        mvwhline(w, y, left, ' ', wd);
    chtype hl = ascii_lines ? '-' : ACS_HLINE, vl = ascii_lines ? '|' : ACS_VLINE;
    chtype ul = ascii_lines ? '+' : ACS_ULCORNER, ur = ascii_lines ? '+' : ACS_URCORNER;
    chtype ll = ascii_lines ? '+' : ACS_LLCORNER, lr = ascii_lines ? '+' : ACS_LRCORNER;
    mvwhline(w, top, left + 1, hl, wd - 2);
    mvwhline(w, top + h - 1, left + 1, hl, wd - 2);
    mvwvline(w, top + 1, left, vl, h - 2);
    mvwvline(w, top + 1, left + wd - 1, vl, h - 2);
    mvwaddch(w, top, left, ul);
    mvwaddch(w, top, left + wd - 1, ur);
    mvwaddch(w, top + h - 1, left, ll);
    mvwaddch(w, top + h - 1, left + wd - 1, lr);
}

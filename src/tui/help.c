/* Help: every key of the current screen, straight from the action table. */
#include <stdlib.h>
#include <string.h>

#include "ragboard/util.h"
#include "tui/screen.h"
#include "tui/text.h"

struct help {
    struct screen base;
    unsigned on;
    int top;
};

static int help_lines(const struct help *h)
{
    int n = 0;
    for (int i = 1; i < ACT_COUNT; i++)
        n += (action_table[i].on & h->on) != 0;
    return n;
}

static void help_draw(struct screen *s, WINDOW *w)
{
    struct help *h = (struct help *)s;
    int rows = getmaxy(w), cols = getmaxx(w);
    werase(w);
    const char *where = h->on == ON_BOARD    ? "the board"
                        : h->on == ON_LIST   ? "the action list"
                        : h->on == ON_ATTEND ? "meeting attendance"
                        : h->on == ON_WALK   ? "the meeting walk"
                        : h->on == ON_MERGE  ? "merge conflicts"
                                             : "an action";
    char b1[16], b2[16], d1[16], u1[16];
    int back = key_of(ACT_BACK), back2 = alias_of(ACT_BACK);
    char *title = xasprintf("Keys on %s (%s%s%s closes, %s/%s scroll)", where,
                            ui_key_name(back ? back : back2, b1), back && back2 ? " or " : "",
                            back && back2 ? ui_key_name(back2, b2) : "",
                            key_name_of(ACT_MOVE_DOWN, d1), key_name_of(ACT_MOVE_UP, u1));
    wattron(w, A_BOLD);
    text_put(w, 0, 0, title, cols, false);
    wattroff(w, A_BOLD);
    free(title);
    int total = help_lines(h);
    int room = rows - 2;
    if (h->top > total - room)
        h->top = total - room > 0 ? total - room : 0;
    int line = 0, y = 2;
    char k1[16], k2[16];
    for (int i = 1; i < ACT_COUNT && y < rows; i++) {
        const struct action_info *a = &action_table[i];
        if (!(a->on & h->on))
            continue;
        if (line++ < h->top)
            continue;
        char keys[48];
        int key = key_of(a->action), alias = alias_of(a->action);
        const char *n1 = key ? ui_key_name(key, k1) : NULL;
        const char *n2 = alias ? ui_key_name(alias, k2) : NULL;
        if (n1 && n2 && strcmp(n1, n2) != 0)
            snprintf(keys, sizeof keys, "%s or %s", n1, n2);
        else
            snprintf(keys, sizeof keys, "%s", n1 ? n1 : n2 ? n2 : "(no key)");
        wattron(w, A_BOLD);
        text_put(w, y, 2, keys, 18, true);
        wattroff(w, A_BOLD);
        const char *text = a->action == ACT_BACK && h->on == ON_BOARD ? "Quit" : a->help;
        text_put(w, y, 21, text, cols - 21, false);
        y++;
    }
    s->cursor_y = 0;
    s->cursor_x = 0;
}

static enum verdict help_key(struct screen *s, enum ui_action a, const struct keypress *k)
{
    struct help *h = (struct help *)s;
    if (k->function || k->code < 128)
        a = key_action((int)k->code, ON_ALL);
    switch (a) {
    case ACT_MOVE_DOWN: h->top++; break;
    case ACT_MOVE_UP: h->top -= h->top > 0; break;
    case ACT_PAGE_DOWN: h->top += 10; break;
    case ACT_PAGE_UP: h->top = h->top > 10 ? h->top - 10 : 0; break;
    case ACT_MOVE_TOP: h->top = 0; break;
    case ACT_MOVE_BOTTOM: h->top = help_lines(h); break;
    case ACT_QUIT: return V_QUIT;
    default: app_pop(s->app); break;
    }
    return V_STAY;
}

static void help_destroy(struct screen *s)
{
    free(s);
}

static const char *help_hints(struct screen *s)
{
    static char hint[64];
    char d[16], u[16];
    (void)s;
    snprintf(hint, sizeof hint, "%s/%s scroll  any other key closes the help",
             key_name_of(ACT_MOVE_DOWN, d), key_name_of(ACT_MOVE_UP, u));
    return hint;
}

static const struct screen_ops help_ops = {
    .name = "help",
    .raw_input = true,
    .hints = help_hints,
    .draw = help_draw,
    .key = help_key,
    .destroy = help_destroy,
};

struct screen *help_new(struct app *app, unsigned on)
{
    struct help *h = xcalloc(1, sizeof *h);
    h->base.ops = &help_ops;
    h->base.app = app;
    h->on = on ? on : ON_BOARD;
    return &h->base;
}

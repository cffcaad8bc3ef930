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
                                             : "an action";
    char *title = xasprintf("Keys on %s (q or Esc closes, j/k scroll)", where);
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
        const char *n1 = ui_key_name(a->key, k1);
        const char *n2 = a->alias ? ui_key_name(a->alias, k2) : NULL;
        if (n2 && strcmp(n1, n2) != 0)
            snprintf(keys, sizeof keys, "%s or %s", n1, n2);
        else
            snprintf(keys, sizeof keys, "%s", ui_key_name(a->key, k1));
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
    (void)s;
    return "j/k scroll  any other key closes the help";
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

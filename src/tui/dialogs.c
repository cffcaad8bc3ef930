/* Modal dialogs: yes/no confirmation, a one-line text prompt, a lettered menu. */
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "ragboard/util.h"
#include "tui/screen.h"
#include "tui/text.h"

void ui_box(WINDOW *win, int h, int w, const char *title, int *y0, int *x0, int *ih, int *iw)
{
    int rows = getmaxy(win), cols = getmaxx(win);
    if (h > rows)
        h = rows;
    if (w > cols)
        w = cols;
    int top = (rows - h) / 2, left = (cols - w) / 2;
    ui_frame(win, top, left, h, w);
    if (title && *title) {
        wattron(win, A_BOLD);
        mvwaddch(win, top, left + 1, ' ');
        text_put(win, top, left + 2, title, w - 5, false);
        waddch(win, ' ');
        wattroff(win, A_BOLD);
    }
    *y0 = top + 1;
    *x0 = left + 2;
    *ih = h - 2;
    *iw = w - 4;
}

/* ---- confirm ---- */

struct confirm {
    struct screen base;
    char *question;
    void (*done)(struct app *, void *, bool);
    void *ctx;
};

struct wrap_draw {
    WINDOW *w;
    int y, x, width, last;
};

static void count_line(const char *line, size_t len, void *ctx)
{
    (void)line;
    (void)len;
    (*(int *)ctx)++;
}

static void draw_line(const char *line, size_t len, void *ctx)
{
    struct wrap_draw *d = ctx;
    if (d->y > d->last)
        return;
    char *copy = xstrndup(line, len);
    text_put(d->w, d->y++, d->x, copy, d->width, false);
    free(copy);
}

static void confirm_draw(struct screen *s, WINDOW *w)
{
    struct confirm *c = (struct confirm *)s;
    int width = text_width(c->question) + 6;
    if (width < 36)
        width = 36;
    if (width > 72)
        width = 72;
    if (width > getmaxx(w))
        width = getmaxx(w);
    int lines = 0;
    text_wrap(c->question, width - 4, count_line, &lines);
    int y0, x0, ih, iw;
    ui_box(w, lines + 4, width, "Please confirm", &y0, &x0, &ih, &iw);
    struct wrap_draw d = {w, y0, x0, iw, y0 + ih - 3};
    text_wrap(c->question, iw, draw_line, &d);
    wattron(w, A_BOLD);
    text_put(w, y0 + ih - 1, x0, "y yes    n no (Esc too)", iw, false);
    wattroff(w, A_BOLD);
    s->cursor_y = y0 + ih - 1;
    s->cursor_x = x0;
}

static enum verdict confirm_key(struct screen *s, enum ui_action a, const struct keypress *k)
{
    (void)a;
    struct confirm *c = (struct confirm *)s;
    int answer = -1;
    if (!k->function && (k->code == L'y' || k->code == L'Y'))
        answer = 1;
    else if (!k->function && (k->code == L'n' || k->code == L'N' || k->code == 27 ||
                              k->code == L'q'))
        answer = 0;
    if (answer < 0) {
        app_error(s->app, "Press y for yes or n for no");
        return V_STAY;
    }
    struct app *app = s->app;
    void (*done)(struct app *, void *, bool) = c->done;
    void *ctx = c->ctx;
    app_pop(app);
    done(app, ctx, answer == 1);
    return V_STAY;
}

static void confirm_destroy(struct screen *s)
{
    struct confirm *c = (struct confirm *)s;
    free(c->question);
    free(c);
}

static const char *confirm_hints(struct screen *s)
{
    (void)s;
    return "y yes  n no";
}

static const struct screen_ops confirm_ops = {
    .name = "confirm",
    .raw_input = true,
    .draw = confirm_draw,
    .key = confirm_key,
    .destroy = confirm_destroy,
    .hints = confirm_hints,
};

void ui_confirm(struct app *app, const char *question,
                void (*done)(struct app *app, void *ctx, bool yes), void *ctx)
{
    struct confirm *c = xcalloc(1, sizeof *c);
    c->base.ops = &confirm_ops;
    c->base.modal = true;
    c->question = xstrdup(question);
    c->done = done;
    c->ctx = ctx;
    app_push(app, &c->base);
}

/* ---- ask: one line of text ---- */

struct ask {
    struct screen base;
    char *label;
    wchar_t *text;
    size_t len, cap, pos;
    void (*done)(struct app *, void *, const char *);
    void *ctx;
};

static void ask_draw(struct screen *s, WINDOW *w)
{
    struct ask *q = (struct ask *)s;
    int rows = getmaxy(w), cols = getmaxx(w);
    int y = rows - 1;
    wmove(w, y, 0);
    wclrtoeol(w);
    wattron(w, A_BOLD);
    int lw = text_put(w, y, 0, q->label, cols / 2, false);
    wattroff(w, A_BOLD);
    waddch(w, ' ');
    int x = lw + 1;
    int room = cols - x - 1;
    if (room < 1)
        room = 1;
    /* Scroll so the insertion point stays visible. */
    size_t start = 0;
    int before = 0;
    for (size_t i = 0; i < q->pos; i++)
        before += wcwidth(q->text[i]) > 0 ? wcwidth(q->text[i]) : 1;
    while (before >= room && start < q->pos) {
        before -= wcwidth(q->text[start]) > 0 ? wcwidth(q->text[start]) : 1;
        start++;
    }
    char *shown = text_from_wide(q->text + start, q->len - start);
    text_put(w, y, x, shown, room, false);
    free(shown);
    s->cursor_y = y;
    s->cursor_x = x + before;
}

static void ask_insert(struct ask *q, wchar_t c)
{
    if (q->len + 2 > q->cap) {
        q->cap = q->cap ? q->cap * 2 : 64;
        q->text = xrealloc(q->text, q->cap * sizeof *q->text);
    }
    memmove(q->text + q->pos + 1, q->text + q->pos, (q->len - q->pos) * sizeof *q->text);
    q->text[q->pos++] = c;
    q->len++;
    q->text[q->len] = L'\0';
}

static enum verdict ask_key(struct screen *s, enum ui_action a, const struct keypress *k)
{
    (void)a;
    struct ask *q = (struct ask *)s;
    wint_t c = k->code;
    bool fn = k->function;
    if ((!fn && (c == L'\r' || c == L'\n')) || (fn && c == KEY_ENTER)) {
        char *text = text_from_wide(q->text, q->len);
        struct app *app = s->app;
        void (*done)(struct app *, void *, const char *) = q->done;
        void *ctx = q->ctx;
        app_pop(app); /* frees q */
        done(app, ctx, text);
        free(text);
        return V_STAY;
    } else if (!fn && c == 27) {
        struct app *app = s->app;
        void (*done)(struct app *, void *, const char *) = q->done;
        void *ctx = q->ctx;
        app_pop(app); /* frees q */
        done(app, ctx, NULL);
        return V_STAY;
    } else if ((fn && c == KEY_BACKSPACE) || (!fn && (c == 127 || c == 8))) {
        if (q->pos > 0) {
            memmove(q->text + q->pos - 1, q->text + q->pos, (q->len - q->pos) * sizeof *q->text);
            q->pos--;
            q->len--;
        }
    } else if ((fn && c == KEY_DC) || (!fn && c == CTRL('d'))) {
        if (q->pos < q->len) {
            memmove(q->text + q->pos, q->text + q->pos + 1,
                    (q->len - q->pos - 1) * sizeof *q->text);
            q->len--;
        }
    } else if (fn && c == KEY_LEFT) {
        q->pos -= q->pos > 0;
    } else if (fn && c == KEY_RIGHT) {
        q->pos += q->pos < q->len;
    } else if ((fn && c == KEY_HOME) || (!fn && c == CTRL('a'))) {
        q->pos = 0;
    } else if ((fn && c == KEY_END) || (!fn && c == CTRL('e'))) {
        q->pos = q->len;
    } else if (!fn && c == CTRL('u')) {
        q->len = q->pos = 0;
    } else if (!fn && iswprint((wint_t)c)) {
        ask_insert(q, (wchar_t)c);
    }
    if (q->text)
        q->text[q->len] = L'\0';
    return V_STAY;
}

static void ask_destroy(struct screen *s)
{
    struct ask *q = (struct ask *)s;
    free(q->label);
    free(q->text);
    free(q);
}

static const char *ask_hints(struct screen *s)
{
    (void)s;
    return "Enter accept  Esc cancel  Ctrl-U clear";
}

static const struct screen_ops ask_ops = {
    .name = "ask",
    .raw_input = true,
    .draw = ask_draw,
    .key = ask_key,
    .destroy = ask_destroy,
    .hints = ask_hints,
};

void ui_ask(struct app *app, const char *label, const char *initial,
            void (*done)(struct app *app, void *ctx, const char *text), void *ctx)
{
    struct ask *q = xcalloc(1, sizeof *q);
    q->base.ops = &ask_ops;
    q->base.modal = true;
    q->label = xstrdup(label);
    q->done = done;
    q->ctx = ctx;
    wchar_t *w = text_to_wide(initial ? initial : "");
    for (size_t i = 0; w[i]; i++)
        ask_insert(q, w[i]);
    free(w);
    if (!q->text) {
        ask_insert(q, L' ');
        q->len = q->pos = 0;
        q->text[0] = L'\0';
    }
    app_push(app, &q->base);
}

/* ---- menu ---- */

struct menu {
    struct screen base;
    char *title;
    char **items; /* display text without '&' */
    char *letters;
    size_t n;
    int selected;
    void (*done)(struct app *, void *, int);
    void *ctx;
};

static void menu_draw(struct screen *s, WINDOW *w)
{
    struct menu *m = (struct menu *)s;
    int width = text_width(m->title) + 8;
    for (size_t i = 0; i < m->n; i++)
        if (text_width(m->items[i]) + 10 > width)
            width = text_width(m->items[i]) + 10;
    int y0, x0, ih, iw;
    ui_box(w, (int)m->n + 2, width, m->title, &y0, &x0, &ih, &iw);
    int first = m->selected >= ih ? m->selected - ih + 1 : 0;
    for (int row = 0; row < ih && first + row < (int)m->n; row++) {
        int i = first + row;
        bool sel = i == m->selected;
        if (sel)
            wattron(w, A_REVERSE);
        char lead[8];
        snprintf(lead, sizeof lead, "%c%c  ", sel ? '>' : ' ', m->letters[i]);
        mvwaddstr(w, y0 + row, x0, lead);
        text_put(w, y0 + row, x0 + 4, m->items[i], iw - 4, true);
        if (sel) {
            wattroff(w, A_REVERSE);
            s->cursor_y = y0 + row;
            s->cursor_x = x0;
        }
    }
}

static void menu_finish(struct screen *s, int index)
{
    struct menu *m = (struct menu *)s;
    struct app *app = s->app;
    void (*done)(struct app *, void *, int) = m->done;
    void *ctx = m->ctx;
    app_pop(app);
    done(app, ctx, index);
}

static enum verdict menu_key(struct screen *s, enum ui_action a, const struct keypress *k)
{
    (void)a;
    struct menu *m = (struct menu *)s;
    wint_t c = k->code;
    if (k->function) {
        if (c == KEY_DOWN)
            m->selected = (m->selected + 1) % (int)m->n;
        else if (c == KEY_UP)
            m->selected = (m->selected + (int)m->n - 1) % (int)m->n;
        else if (c == KEY_ENTER)
            menu_finish(s, m->selected);
        return V_STAY;
    }
    if (c == L'\r' || c == L'\n') {
        menu_finish(s, m->selected);
    } else if (c == 27 || c == L'q') {
        menu_finish(s, -1);
    } else if (c == L'j') {
        m->selected = (m->selected + 1) % (int)m->n;
    } else if (c == L'k') {
        m->selected = (m->selected + (int)m->n - 1) % (int)m->n;
    } else {
        for (size_t i = 0; i < m->n; i++) {
            if ((wint_t)m->letters[i] == c) {
                menu_finish(s, (int)i);
                return V_STAY;
            }
        }
        app_error(s->app, "Press a letter shown in the menu, Enter to choose, Esc to cancel");
    }
    return V_STAY;
}

static void menu_destroy(struct screen *s)
{
    struct menu *m = (struct menu *)s;
    for (size_t i = 0; i < m->n; i++)
        free(m->items[i]);
    free(m->items);
    free(m->letters);
    free(m->title);
    free(m);
}

static const char *menu_hints(struct screen *s)
{
    (void)s;
    return "letter or Enter choose  j/k move  Esc cancel";
}

static const struct screen_ops menu_ops = {
    .name = "menu",
    .raw_input = true,
    .draw = menu_draw,
    .key = menu_key,
    .destroy = menu_destroy,
    .hints = menu_hints,
};

void ui_menu(struct app *app, const char *title, const char *const *items, size_t n,
             int selected, void (*done)(struct app *app, void *ctx, int index), void *ctx)
{
    struct menu *m = xcalloc(1, sizeof *m);
    m->base.ops = &menu_ops;
    m->base.modal = true;
    m->title = xstrdup(title);
    m->items = xcalloc(n ? n : 1, sizeof *m->items);
    m->letters = xcalloc(n + 1, 1);
    m->n = n;
    m->selected = selected >= 0 && (size_t)selected < n ? selected : 0;
    m->done = done;
    m->ctx = ctx;
    for (size_t i = 0; i < n; i++) {
        const char *amp = strchr(items[i], '&');
        char letter = 0;
        struct strbuf sb = {0};
        for (const char *p = items[i]; *p; p++) {
            if (*p == '&' && p[1]) {
                letter = (char)(p[1] >= 'A' && p[1] <= 'Z' ? p[1] - 'A' + 'a' : p[1]);
                continue;
            }
            sb_addc(&sb, *p);
        }
        m->items[i] = sb_take(&sb);
        if (!amp) {
            /* First letter or digit of the text not yet taken. */
            for (const char *p = m->items[i]; *p && !letter; p++) {
                char c = (char)((*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
                    continue;
                if (c == 'j' || c == 'k' || c == 'q' || strchr(m->letters, c))
                    continue;
                letter = c;
            }
        }
        m->letters[i] = letter ? letter : ' ';
    }
    app_push(app, &m->base);
}

/* The generic form: fields, their checks, the keys that edit them, and drawing in a box. */
#include "tui/form.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "ragboard/util.h"
#include "tui/text.h"

static const struct screen_ops form_ops;

/* ---- building ---- */

struct form *form_new(struct app *app, const char *title)
{
    struct form *f = xcalloc(1, sizeof *f);
    f->base.ops = &form_ops;
    f->base.app = app;
    f->base.modal = true;
    snprintf(f->title, sizeof f->title, "%s", title);
    return f;
}

void form_open(struct form *f)
{
    form_validate(f);
    app_push(f->base.app, &f->base);
}

struct field *form_add(struct form *f, enum field_kind kind, const char *label, bool required)
{
    if (f->n_fields == FORM_MAX_FIELDS)
        abort(); /* a programming error: raise FORM_MAX_FIELDS */
    struct field *fl = &f->fields[f->n_fields++];
    memset(fl, 0, sizeof *fl);
    fl->kind = kind;
    fl->label = label;
    fl->required = required;
    form_text_set(&fl->text, "");
    return fl;
}

void form_info(struct form *f, const char *fmt, ...)
{
    if (f->n_info == FORM_MAX_INFO)
        return;
    va_list ap;
    va_start(ap, fmt);
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    f->info[f->n_info++] = xstrdup(buf);
}

/* ---- values ---- */

void field_set_text(struct field *fl, const char *s)
{
    form_text_set(&fl->text, s);
    fl->scroll = 0;
}

char *field_text(const struct field *fl)
{
    return form_text_get(&fl->text);
}

void field_set_date(struct field *fl, rb_day day)
{
    char buf[RB_DATE_BUF];
    field_set_text(fl, date_format_uk(day, buf));
}

void field_set_percent(struct field *fl, int pct)
{
    char buf[16] = "";
    if (pct >= 0)
        snprintf(buf, sizeof buf, "%d", pct);
    field_set_text(fl, buf);
}

rb_day field_date(const struct field *fl)
{
    char *s = field_text(fl);
    rb_day day;
    if (form_check_date(s, false, &day))
        day = RB_NO_DATE;
    free(s);
    return day;
}

int field_percent(const struct field *fl)
{
    char *s = field_text(fl);
    int pct;
    if (form_check_percent(s, false, &pct))
        pct = -1;
    free(s);
    return pct;
}

void field_add_choice(struct field *fl, const char *value, const char *label)
{
    fl->choices = xrealloc(fl->choices, (fl->n_choices + 1) * sizeof *fl->choices);
    fl->choices[fl->n_choices].value = xstrdup(value);
    fl->choices[fl->n_choices].label = xstrdup(label);
    fl->n_choices++;
}

void field_clear_choices(struct field *fl)
{
    for (size_t i = 0; i < fl->n_choices; i++) {
        free(fl->choices[i].value);
        free(fl->choices[i].label);
    }
    free(fl->choices);
    fl->choices = NULL;
    fl->n_choices = 0;
    fl->sel = 0;
}

bool field_choose(struct field *fl, const char *value)
{
    for (size_t i = 0; i < fl->n_choices; i++) {
        if (str_ieq(fl->choices[i].value, value ? value : "")) {
            fl->sel = i;
            return true;
        }
    }
    return false;
}

const char *field_choice(const struct field *fl)
{
    return fl->n_choices ? fl->choices[fl->sel].value : "";
}

void field_error(struct field *fl, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fl->error, sizeof fl->error, fmt, ap);
    va_end(ap);
}

/* ---- checks ---- */

static void check_field(struct field *fl)
{
    fl->error[0] = '\0';
    char *s = NULL;
    const char *msg = NULL;
    rb_day day;
    int pct;
    switch (fl->kind) {
    case FIELD_TEXT:
    case FIELD_LONG:
        s = field_text(fl);
        if (fl->required && str_blank(s))
            msg = "required";
        break;
    case FIELD_DATE:
        s = field_text(fl);
        msg = form_check_date(s, fl->required, &day);
        break;
    case FIELD_PERCENT:
        s = field_text(fl);
        msg = form_check_percent(s, fl->required, &pct);
        break;
    case FIELD_CHOICE:
        if (fl->required && !*field_choice(fl))
            msg = "required";
        break;
    case FIELD_CHECK: break;
    }
    if (msg)
        field_error(fl, "%s", msg);
    free(s);
}

void form_validate(struct form *f)
{
    for (size_t i = 0; i < f->n_fields; i++)
        check_field(&f->fields[i]);
    if (f->check)
        f->check(f);
}

static bool shows_error(const struct form *f, const struct field *fl)
{
    return fl->error[0] && (fl->touched || f->tried);
}

/* ---- focus, saving, closing ---- */

void form_focus(struct form *f, struct field *fl)
{
    f->fields[f->focus].touched = true;
    f->focus = (size_t)(fl - f->fields);
}

static void move_focus(struct form *f, int by)
{
    size_t n = f->n_fields;
    form_focus(f, &f->fields[(f->focus + (by > 0 ? 1 : n - 1)) % n]);
}

void form_close(struct form *f)
{
    struct app *app = f->base.app;
    if (app->depth > 0 && app->stack[app->depth - 1] == &f->base)
        app_pop(app);
}

static void try_save(struct form *f)
{
    f->tried = true;
    form_validate(f);
    for (size_t i = 0; i < f->n_fields; i++) {
        struct field *fl = &f->fields[i];
        if (fl->error[0]) {
            form_focus(f, fl);
            app_error(f->base.app, "Not saved: %s %s (see the fields marked !)", fl->label,
                      fl->error);
            return;
        }
    }
    if (f->save(f) == FORM_SAVED)
        form_close(f);
}

static void discard_answer(struct app *app, void *ctx, bool yes)
{
    (void)app;
    if (yes)
        form_close(ctx);
}

static void cancel(struct form *f)
{
    if (f->dirty)
        ui_confirm(f->base.app, "Discard what you typed?", discard_answer, f);
    else
        form_close(f);
}

/* ---- editing keys ---- */

static bool edit_text(struct field *fl, const struct keypress *k)
{
    struct form_text *t = &fl->text;
    wint_t c = k->code;
    if (k->function) {
        switch (c) {
        case KEY_BACKSPACE: return form_text_backspace(t);
        case KEY_DC: return form_text_delete(t);
        case KEY_LEFT: form_text_left(t); return false;
        case KEY_RIGHT: form_text_right(t); return false;
        case KEY_HOME: form_text_home(t); return false;
        case KEY_END: form_text_end(t); return false;
        default: return false;
        }
    }
    switch (c) {
    case 127:
    case 8: return form_text_backspace(t);
    case CTRL('d'): return form_text_delete(t);
    case CTRL('a'): form_text_home(t); return false;
    case CTRL('e'): form_text_end(t); return false;
    case CTRL('u'): return form_text_clear(t);
    case CTRL('w'): return form_text_delete_word(t);
    default: break;
    }
    if (c >= L' ' && c != 127 && iswprint(c))
        return form_text_insert(t, (wchar_t)c);
    return false;
}

static bool cycle_choice(struct field *fl, int by)
{
    if (fl->n_choices < 2)
        return false;
    size_t n = fl->n_choices;
    fl->sel = (fl->sel + (by > 0 ? 1 : n - 1)) % n;
    return true;
}

/* Jump to the next choice after the selected one whose label starts with c. */
static bool jump_choice(struct field *fl, wint_t c)
{
    for (size_t step = 1; step <= fl->n_choices; step++) {
        size_t i = (fl->sel + step) % fl->n_choices;
        wchar_t *w = text_to_wide(fl->choices[i].label);
        bool match = w[0] && towlower((wint_t)w[0]) == towlower(c);
        free(w);
        if (match) {
            bool moved = i != fl->sel;
            fl->sel = i;
            return moved;
        }
    }
    return false;
}

static bool edit_choice(struct form *f, struct field *fl, const struct keypress *k)
{
    wint_t c = k->code;
    size_t old = fl->sel;
    if (k->function) {
        if (c == KEY_LEFT)
            return cycle_choice(fl, -1);
        if (c == KEY_RIGHT)
            return cycle_choice(fl, 1);
        if (c == KEY_HOME)
            fl->sel = 0;
        else if (c == KEY_END && fl->n_choices)
            fl->sel = fl->n_choices - 1;
        return fl->sel != old;
    }
    if (c == L' ')
        return cycle_choice(fl, 1);
    if (c > L' ' && c != 127 && iswprint(c)) {
        if (!jump_choice(fl, c) && fl->sel == old) {
            wchar_t s[2] = {(wchar_t)c, L'\0'};
            char *u = text_from_wide(s, 1);
            app_error(f->base.app, "No %s starts with %s; Left/Right show them all", fl->label,
                      u);
            free(u);
        }
        return fl->sel != old;
    }
    return false;
}

static bool edit_check(struct form *f, struct field *fl, const struct keypress *k)
{
    wint_t c = k->code;
    bool old = fl->on;
    if (k->function) {
        if (c == KEY_LEFT || c == KEY_RIGHT)
            fl->on = !fl->on;
    } else if (c == L' ') {
        fl->on = !fl->on;
    } else if (c == L'y' || c == L'Y') {
        fl->on = true;
    } else if (c == L'n' || c == L'N') {
        fl->on = false;
    } else if (c > L' ' && c != 127 && iswprint(c)) {
        app_error(f->base.app, "%s: press y for yes, n for no, or Space to switch",
                  fl->label);
    }
    return fl->on != old;
}

static enum verdict form_key(struct screen *s, enum ui_action a, const struct keypress *k)
{
    (void)a;
    struct form *f = (struct form *)s;
    wint_t c = k->code;
    bool fn = k->function;
    bool enter = (!fn && (c == L'\r' || c == L'\n')) || (fn && c == KEY_ENTER);
    if (fn && c == KEY_RESIZE)
        return V_STAY;
    if (!fn && c == 27) {
        cancel(f); /* f may be gone now */
        return V_STAY;
    }
    if (!fn && c == CTRL('s')) {
        try_save(f);
        return V_STAY;
    }
    if (enter && f->focus + 1 == f->n_fields) {
        try_save(f);
        return V_STAY;
    }
    if (enter || (!fn && c == L'\t') || (fn && c == KEY_DOWN)) {
        move_focus(f, 1);
        return V_STAY;
    }
    if (fn && (c == KEY_BTAB || c == KEY_UP)) {
        move_focus(f, -1);
        return V_STAY;
    }
    struct field *fl = &f->fields[f->focus];
    bool changed;
    switch (fl->kind) {
    case FIELD_CHOICE: changed = edit_choice(f, fl, k); break;
    case FIELD_CHECK: changed = edit_check(f, fl, k); break;
    default: changed = edit_text(fl, k); break;
    }
    if (changed) {
        fl->edited = fl->touched = true;
        f->dirty = true;
        if (f->changed)
            f->changed(f, fl);
        form_validate(f);
    }
    return V_STAY;
}

/* ---- drawing ---- */

/* Where things go in the window this time. */
struct layout {
    WINDOW *w;
    int label_x, value_x, value_w; /* columns in the window */
    int area_y, area_h;            /* the rows that show fields */
    int top;                       /* first field row shown */
    int long_rows;                 /* rows of a long text field */
};

static int field_value_width(const struct layout *L, const struct field *fl)
{
    int w = L->value_w;
    if (fl->kind == FIELD_DATE && w > 12)
        w = 12;
    else if (fl->kind == FIELD_PERCENT && w > 5)
        w = 5;
    else if (fl->kind == FIELD_CHECK && w > 8)
        w = 8;
    return w;
}

/* Whether a field's message fits beside its value. */
static bool error_beside(const struct layout *L, const struct field *fl)
{
    int vw = field_value_width(L, fl);
    return vw < L->value_w && text_width(fl->error) + 4 <= L->value_w - vw;
}

static int field_rows(const struct form *f, const struct layout *L, const struct field *fl)
{
    int rows = fl->kind == FIELD_LONG ? L->long_rows : 1;
    if (shows_error(f, fl) && !error_beside(L, fl))
        rows++;
    return rows;
}

/* The window row of field row vy, or -1 when it is scrolled out of view. */
static int row_at(const struct layout *L, int vy)
{
    if (vy < L->top || vy >= L->top + L->area_h)
        return -1;
    return L->area_y + vy - L->top;
}

/* Draw n wide characters from s in width cells at (y, x), underlined and padded. */
static void put_wide(WINDOW *w, int y, int x, const wchar_t *s, size_t n, int width)
{
    wattron(w, A_UNDERLINE);
    wmove(w, y, x);
    int used = 0;
    for (size_t i = 0; i < n; i++) {
        wchar_t c = s[i] < L' ' ? L' ' : s[i];
        int cw = form_text_cell(c);
        if (used + cw > width)
            break;
        waddnwstr(w, &c, 1);
        used += cw;
    }
    while (used++ < width)
        waddch(w, ' ');
    wattroff(w, A_UNDERLINE);
}

static attr_t error_attr(const struct form *f)
{
    return A_BOLD | (f->base.app->colour ? COLOR_PAIR(PAIR_ERROR) : 0);
}

/* Draw a field starting at field row vy; sets the cursor when it has the focus. */
static void draw_field(struct form *f, const struct layout *L, struct field *fl, int vy)
{
    WINDOW *w = L->w;
    bool focus = fl == &f->fields[f->focus];
    int vw = field_value_width(L, fl);
    int y = row_at(L, vy);
    if (y >= 0) {
        if (focus)
            wattron(w, A_BOLD);
        mvwaddstr(w, y, L->label_x, focus ? "> " : "  ");
        text_put(w, y, L->label_x + 2, fl->label, L->value_x - L->label_x - 3, false);
        if (focus)
            wattroff(w, A_BOLD);
    }
    int cur_vy = vy, cur_x = L->value_x;
    struct form_text *t = &fl->text;
    switch (fl->kind) {
    case FIELD_LONG: {
        size_t max = t->len + 2, *starts = xmalloc(max * sizeof *starts);
        size_t n = form_text_wrap(t, vw, starts, max);
        size_t line = form_text_line_of(starts, n, t->cur);
        size_t rows = (size_t)L->long_rows;
        if (line < fl->scroll)
            fl->scroll = line;
        if (line >= fl->scroll + rows)
            fl->scroll = line + 1 - rows;
        if (fl->scroll + rows > n)
            fl->scroll = n > rows ? n - rows : 0;
        for (size_t r = 0; r < rows; r++) {
            int ry = row_at(L, vy + (int)r);
            size_t i = fl->scroll + r;
            if (ry < 0)
                continue;
            size_t from = i < n ? starts[i] : t->len;
            size_t to = i + 1 < n ? starts[i + 1] : t->len;
            put_wide(w, ry, L->value_x, t->buf + from, to - from, vw);
        }
        cur_vy = vy + (int)(line - fl->scroll);
        cur_x += form_text_cells(t->buf + starts[line], t->cur - starts[line]);
        free(starts);
        break;
    }
    case FIELD_TEXT:
    case FIELD_DATE:
    case FIELD_PERCENT:
        fl->scroll = form_text_hscroll(t, fl->scroll, vw);
        if (y >= 0)
            put_wide(w, y, L->value_x, t->buf + fl->scroll, t->len - fl->scroll, vw);
        cur_x += form_text_cells(t->buf + fl->scroll, t->cur - fl->scroll);
        break;
    case FIELD_CHOICE:
        if (y >= 0) {
            char *shown = xasprintf("< %s >", fl->n_choices ? fl->choices[fl->sel].label : "");
            wattron(w, A_UNDERLINE);
            text_put(w, y, L->value_x, shown, vw, true);
            wattroff(w, A_UNDERLINE);
            free(shown);
        }
        cur_x += 2;
        break;
    case FIELD_CHECK:
        if (y >= 0)
            mvwaddstr(w, y, L->value_x, fl->on ? "[x] yes" : "[ ] no ");
        cur_x += 1;
        break;
    }
    if (shows_error(f, fl)) {
        bool beside = error_beside(L, fl);
        int ey = row_at(L, beside ? vy : vy + (fl->kind == FIELD_LONG ? L->long_rows : 1));
        int ex = beside ? L->value_x + vw + 2 : L->value_x;
        if (ey >= 0) {
            char *msg = xasprintf("! %s", fl->error);
            wattron(w, error_attr(f));
            text_put(w, ey, ex, msg, L->value_x + L->value_w - ex, false);
            wattroff(w, error_attr(f));
            free(msg);
        }
    } else if (fl->note && y >= 0 && vw + 4 < L->value_w) {
        text_put(w, y, L->value_x + vw + 2, fl->note, L->value_w - vw - 2, false);
    }
    int cy = row_at(L, cur_vy);
    if (focus && cy >= 0) {
        f->base.cursor_y = cy;
        f->base.cursor_x = cur_x;
    }
}

static void draw_box(WINDOW *w, int top, int left, int h, int wd)
{
    for (int y = top; y < top + h; y++)
        mvwhline(w, y, left, ' ', wd);
    mvwhline(w, top, left + 1, ACS_HLINE, wd - 2);
    mvwhline(w, top + h - 1, left + 1, ACS_HLINE, wd - 2);
    mvwvline(w, top + 1, left, ACS_VLINE, h - 2);
    mvwvline(w, top + 1, left + wd - 1, ACS_VLINE, h - 2);
    mvwaddch(w, top, left, ACS_ULCORNER);
    mvwaddch(w, top, left + wd - 1, ACS_URCORNER);
    mvwaddch(w, top + h - 1, left, ACS_LLCORNER);
    mvwaddch(w, top + h - 1, left + wd - 1, ACS_LRCORNER);
}

struct info_draw {
    WINDOW *w;
    int y, x, width, rows_left;
};

static void count_line(const char *line, size_t len, void *ctx)
{
    (void)line;
    (void)len;
    (*(int *)ctx)++;
}

static void draw_info_line(const char *line, size_t len, void *ctx)
{
    struct info_draw *d = ctx;
    if (d->rows_left <= 0)
        return;
    char *copy = xstrndup(line, len);
    text_put(d->w, d->y++, d->x, copy, d->width, false);
    d->rows_left--;
    free(copy);
}

static void form_draw(struct screen *s, WINDOW *w)
{
    struct form *f = (struct form *)s;
    int rows = getmaxy(w), cols = getmaxx(w);
    int wd = cols > 80 ? 76 : cols - 4 >= 60 ? cols - 4 : cols;
    int inner_w = wd - 4;
    if (rows < 5 || inner_w < 20)
        return; /* the app shows "too small" long before this */

    /* Info lines wrap, at most two rows each, and take at most a third of the box. */
    int info_rows = 0;
    for (size_t i = 0; i < f->n_info; i++) {
        int n = 0;
        text_wrap(f->info[i], inner_w, count_line, &n);
        info_rows += n < 2 ? n : 2;
    }
    if (info_rows > (rows - 2) / 3)
        info_rows = (rows - 2) / 3;

    struct layout L = {.w = w, .long_rows = rows >= 20 ? 3 : 2};
    int label_w = 0;
    for (size_t i = 0; i < f->n_fields; i++)
        if (text_width(f->fields[i].label) > label_w)
            label_w = text_width(f->fields[i].label);
    if (label_w > inner_w / 3)
        label_w = inner_w / 3;
    int total = 0;
    L.value_w = inner_w - label_w - 3;
    int fy[FORM_MAX_FIELDS], fh[FORM_MAX_FIELDS];
    for (size_t i = 0; i < f->n_fields; i++) {
        fy[i] = total;
        fh[i] = field_rows(f, &L, &f->fields[i]);
        total += fh[i];
    }
    int h = 2 + info_rows + (info_rows > 0) + total;
    if (h > rows)
        h = rows;
    int top = rows - h >= 2 ? 1 : 0, left = (cols - wd) / 2;
    draw_box(w, top, left, h, wd);
    wattron(w, A_BOLD);
    mvwaddch(w, top, left + 1, ' ');
    text_put(w, top, left + 2, f->title, wd - 5, false);
    waddch(w, ' ');
    wattroff(w, A_BOLD);

    struct info_draw d = {w, top + 1, left + 2, inner_w, 0};
    int info_left = info_rows;
    for (size_t i = 0; i < f->n_info && info_left > 0; i++) {
        d.rows_left = info_left < 2 ? info_left : 2;
        info_left -= d.rows_left;
        text_wrap(f->info[i], inner_w, draw_info_line, &d);
    }

    L.label_x = left + 2;
    L.value_x = L.label_x + label_w + 3;
    L.area_y = top + 1 + info_rows + (info_rows > 0);
    L.area_h = top + h - 1 - L.area_y;
    if (L.area_h < 1)
        return;
    /* Scroll so the focused field shows whole, and no further than needed. */
    int ft = fy[f->focus], fb = ft + fh[f->focus];
    if (f->top > ft)
        f->top = ft;
    if (f->top < fb - L.area_h)
        f->top = fb - L.area_h;
    if (f->top > total - L.area_h)
        f->top = total - L.area_h;
    if (f->top < 0)
        f->top = 0;
    L.top = f->top;
    for (size_t i = 0; i < f->n_fields; i++)
        if (fy[i] + fh[i] > L.top && fy[i] < L.top + L.area_h)
            draw_field(f, &L, &f->fields[i], fy[i]);
    if (L.top > 0)
        mvwaddstr(w, top, left + wd - 10, " ^ more ");
    if (L.top + L.area_h < total)
        mvwaddstr(w, top + h - 1, left + wd - 10, " v more ");
}

static const char *form_hints(struct screen *s)
{
    struct form *f = (struct form *)s;
    bool narrow = COLS < 72;
    switch (f->fields[f->focus].kind) {
    case FIELD_CHOICE:
        return narrow ? "Left/Right change  Tab/S-Tab move  Ctrl-S save  Esc cancel"
                      : "Left/Right change  Tab next  Shift-Tab previous  Ctrl-S save  Esc cancel";
    case FIELD_CHECK:
        return narrow ? "Space switch  Tab/S-Tab move  Ctrl-S save  Esc cancel"
                      : "Space switch  Tab next  Shift-Tab previous  Ctrl-S save  Esc cancel";
    default: return "Tab next  Shift-Tab previous  Ctrl-S save  Esc cancel";
    }
}

static void form_destroy(struct screen *s)
{
    struct form *f = (struct form *)s;
    if (f->free_ctx)
        f->free_ctx(f->ctx);
    for (size_t i = 0; i < f->n_fields; i++) {
        form_text_free(&f->fields[i].text);
        field_clear_choices(&f->fields[i]);
    }
    for (size_t i = 0; i < f->n_info; i++)
        free(f->info[i]);
    free(f);
}

static const struct screen_ops form_ops = {
    .name = "form",
    .raw_input = true,
    .draw = form_draw,
    .key = form_key,
    .destroy = form_destroy,
    .hints = form_hints,
};

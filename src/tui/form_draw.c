/* Drawing a form: its box, read-only lines, fields scrolled to the focus, messages and
 * the cursor at the insertion point. */
#include <stdlib.h>

#include "ragboard/util.h"
#include "tui/form.h"
#include "tui/text.h"

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
    if (field_shows_error(f, fl) && !error_beside(L, fl))
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
    if (field_shows_error(f, fl)) {
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

void form_draw(struct screen *s, WINDOW *w)
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
    ui_frame(w, top, left, h, wd);
    wattron(w, A_BOLD);
    mvwaddch(w, top, left + 1, ' ');
    text_put(w, top, left + 2, f->title, wd - 5, false);
    waddch(w, ' ');
    wattroff(w, A_BOLD);

    struct info_draw d = {w, top + 1, left + 2, inner_w, 0};
    int info_left = info_rows;
    for (size_t i = 0; i < f->n_info && info_left > 0; i++) {
        int n = 0;
        text_wrap(f->info[i], inner_w, count_line, &n);
        d.rows_left = n < 2 ? n : 2;
        if (d.rows_left > info_left)
            d.rows_left = info_left;
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

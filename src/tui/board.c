/* The board: four CONTEST strand tiles and one pane per agency, with RAG counts. */
#include <stdlib.h>
#include <string.h>

#include "ragboard/util.h"
#include "tui/screen.h"
#include "tui/text.h"

/* Side by side from this width; stacked below it. */
#define WIDE_COLS 120

struct board {
    struct screen base;
    struct rag_counts strand_counts[STRAND_COUNT];
    struct since_counts since[STRAND_COUNT];
    rb_day since_date; /* last closed meeting, RB_NO_DATE when none */
    struct rag_counts *agency_counts;
    size_t n_counts;
    int selected; /* 0..3 strands, then agencies in app->agencies order */
    int top;      /* first line shown when stacked */
    int page;     /* rows per page, from the last draw */
    char error[RB_ERRLEN];
};

static int board_items(const struct board *b)
{
    return STRAND_COUNT + (int)b->base.app->n_agencies;
}

static void board_reload(struct screen *s)
{
    struct board *b = (struct board *)s;
    struct app *app = s->app;
    b->error[0] = '\0';
    free(b->agency_counts);
    b->n_counts = app->n_agencies;
    b->agency_counts = xcalloc(b->n_counts ? b->n_counts : 1, sizeof *b->agency_counts);
    if (since_count_strands(app->st, &app->cfg->rag, app->today, b->since, &b->since_date,
                            b->error) != 0)
        return;
    if (store_count_strands(app->st, &app->cfg->rag, app->today, b->strand_counts, b->error) ==
        0)
        store_count_agencies(app->st, &app->cfg->rag, app->today, app->agencies,
                             app->n_agencies, b->agency_counts, b->error);
    if (b->selected >= board_items(b))
        b->selected = board_items(b) - 1;
}

/* "R  5  A  7  G 11  C  6" with each letter in its rating's colour; returns cells used. */
static int draw_counts(WINDOW *w, int y, int x, const struct app *app,
                       const struct rag_counts *c)
{
    static const enum rag order[] = {RAG_RED, RAG_AMBER, RAG_GREEN, RAG_COMPLETE};
    wmove(w, y, x);
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        attr_t a = ui_rag_attr(app, order[i]);
        wattron(w, a);
        waddch(w, (chtype)rag_letter(order[i]));
        wattroff(w, a);
        wprintw(w, "%3d  ", c->n[order[i]]);
    }
    return 24;
}

static void put_selected(struct board *b, WINDOW *w, int y, int x, const char *label, int width,
                         bool sel)
{
    if (sel)
        wattron(w, A_REVERSE | A_BOLD);
    else
        wattron(w, A_BOLD);
    mvwaddstr(w, y, x, sel ? ">" : " ");
    text_put(w, y, x + 1, label, width - 1, true);
    wattroff(w, A_REVERSE | A_BOLD);
    if (sel) {
        b->base.cursor_y = y;
        b->base.cursor_x = x;
    }
}

/* A strand tile: name and counts on one line, its aim under it. */
static void since_text(const struct board *b, int i, char *buf, size_t n);
static int draw_strand(struct board *b, WINDOW *w, int i, int y, int x, int width)
{
    const struct rag_counts *c = &b->strand_counts[i];
    int name_w = 12;
    put_selected(b, w, y, x, strands[i].name, name_w, b->selected == i);
    int cx = x + name_w + 1;
    if (cx + 24 <= x + width) {
        draw_counts(w, y, cx, b->base.app, c);
        cx += 24;
    }
    if (cx + 12 <= x + width) {
        char od[24];
        snprintf(od, sizeof od, "%d overdue", c->overdue);
        text_put(w, y, cx, od, x + width - cx, false);
        cx += (int)strlen(od) + 2;
    }
    /* Direction of travel since the last meeting, when the line has room. */
    if (b->since_date != RB_NO_DATE && getmaxx(w) < WIDE_COLS && cx + 20 <= x + width) {
        char dir[64];
        snprintf(dir, sizeof dir, "%d worse, %d better", b->since[i].worse, b->since[i].better);
        text_put(w, y, cx, dir, x + width - cx, false);
    }
    text_put(w, y + 1, x + 3, strands[i].aim, width - 3, false);
    return 2;
}

/* "Since 17/10/2026: 2 worse, 1 better, 3 new, 1 closed" for a strand. */
static void since_text(const struct board *b, int i, char *buf, size_t n)
{
    char d[RB_DATE_BUF];
    const struct since_counts *c = &b->since[i];
    if (b->since_date == RB_NO_DATE) {
        snprintf(buf, n, "No closed meeting yet to compare with");
        return;
    }
    snprintf(buf, n, "Since %s: %d worse (v), %d better (^), %d same, %d new, %d closed",
             date_format_uk(b->since_date, d), c->worse, c->better, c->same, c->added,
             c->closed);
}

/* An agency pane: code, counts, overdue, stale, next due; its name when there is room. */
static int draw_agency(struct board *b, WINDOW *w, int k, int y, int x, int width, bool two)
{
    struct app *app = b->base.app;
    const struct agency *ag = &app->agencies[k];
    const struct rag_counts *c = &b->agency_counts[k];
    char label[40];
    snprintf(label, sizeof label, "%s%s", ag->code, ag->in_config ? "" : "*");
    int code_w = 8;
    put_selected(b, w, y, x, label, code_w, b->selected == STRAND_COUNT + k);
    int cx = x + code_w + 1;
    if (cx + 24 <= x + width) {
        draw_counts(w, y, cx, app, c);
        cx += 24;
    }
    char due[RB_DATE_BUF], more[96];
    snprintf(more, sizeof more, "%d overdue  %d stale  next due %s", c->overdue, c->stale,
             c->next_due == RB_NO_DATE ? "none" : date_format_uk(c->next_due, due));
    if (two) {
        char *name = xasprintf("%s%s", ag->name, ag->in_config ? "" : " (no longer in settings)");
        text_put(w, y + 1, x + 3, name, width - 3, false);
        free(name);
        text_put(w, y + 2, x + 3, more, width - 3, false);
        return 3;
    }
    if (cx < x + width)
        text_put(w, y, cx, more, x + width - cx, false);
    return 1;
}

static void heading(WINDOW *w, int y, int x, const char *text, int width, const struct app *app)
{
    attr_t a = A_BOLD | A_UNDERLINE | (app->colour ? COLOR_PAIR(PAIR_TITLE) : 0);
    wattron(w, a);
    text_put(w, y, x, text, width, false);
    wattroff(w, a);
}

static void draw_wide(struct board *b, WINDOW *w, int rows, int cols)
{
    struct app *app = b->base.app;
    int left = cols / 2 - 1, right_x = cols / 2 + 1, right = cols - right_x;
    heading(w, 0, 0, "CONTEST strands", left, app);
    int y = 2;
    for (int i = 0; i < STRAND_COUNT && y + 2 < rows; i++) {
        y += draw_strand(b, w, i, y, 0, left);
        char since[160];
        since_text(b, i, since, sizeof since);
        text_put(w, y, 3, since, left - 3, false);
        y += 2;
    }
    heading(w, 0, right_x, "Agencies (actions they lead)", right, app);
    int per = 3;
    int room = (rows - 2) / (per + 1);
    /* Scroll the agency column when it holds more than fits. */
    int first = 0;
    int sel = b->selected - STRAND_COUNT;
    if (sel >= room)
        first = sel - room + 1;
    y = 2;
    for (size_t k = (size_t)first; k < app->n_agencies && y + per <= rows; k++)
        y += draw_agency(b, w, (int)k, y, right_x, right, true) + 1;
    b->page = room > 1 ? room : 1;
}

/* Line of an item in the full, unscrolled stacked layout: a heading, two lines per
 * strand, a blank line and a heading, then one line per agency. */
static int item_line(int item)
{
    if (item < STRAND_COUNT)
        return 1 + 2 * item;
    return 1 + 2 * STRAND_COUNT + 2 + (item - STRAND_COUNT);
}

/* Stacked: all lines of the board in order, scrolled to keep the selection in view. */
static void draw_stacked(struct board *b, WINDOW *w, int rows, int cols)
{
    struct app *app = b->base.app;
    int n_items = board_items(b);
    int total = item_line(n_items - 1) + 1;
    int sel_line = item_line(b->selected);
    int sel_h = b->selected < STRAND_COUNT ? 2 : 1;
    if (b->selected == 0)
        b->top = 0;
    if (sel_line < b->top)
        b->top = sel_line - (b->selected == STRAND_COUNT ? 2 : 0);
    if (sel_line + sel_h > b->top + rows)
        b->top = sel_line + sel_h - rows;
    if (b->top > total - rows)
        b->top = total - rows;
    if (b->top < 0)
        b->top = 0;
    int off = -b->top;
    if (off >= 0) {
        char since[80] = "CONTEST strands";
        char d[RB_DATE_BUF];
        if (b->since_date != RB_NO_DATE)
            snprintf(since, sizeof since, "CONTEST strands (worse/better: since the meeting of %s)",
                     date_format_uk(b->since_date, d));
        heading(w, off, 0, since, cols, app);
    }
    for (int i = 0; i < STRAND_COUNT; i++) {
        int y = item_line(i) + off;
        if (y >= 0 && y + 1 < rows)
            draw_strand(b, w, i, y, 0, cols);
        else if (y == rows - 1)
            put_selected(b, w, y, 0, strands[i].name, 12, b->selected == i);
    }
    int hy = item_line(STRAND_COUNT - 1) + 3 + off;
    if (hy >= 0 && hy < rows)
        heading(w, hy, 0, cols >= 100 ? "Agencies (actions they lead)" : "Agencies", cols, app);
    for (int i = STRAND_COUNT; i < n_items; i++) {
        int y = item_line(i) + off;
        if (y >= 0 && y < rows)
            draw_agency(b, w, i - STRAND_COUNT, y, 0, cols, false);
    }
    b->page = rows > 4 ? rows - 2 : 1;
}

static void board_draw(struct screen *s, WINDOW *w)
{
    struct board *b = (struct board *)s;
    int rows = getmaxy(w), cols = getmaxx(w);
    if (b->n_counts != s->app->n_agencies)
        board_reload(s);
    if (b->error[0]) {
        text_put(w, 0, 0, b->error, cols, false);
        return;
    }
    if (cols >= WIDE_COLS)
        draw_wide(b, w, rows, cols);
    else
        draw_stacked(b, w, rows, cols);
}

static void open_selected(struct board *b)
{
    struct app *app = b->base.app;
    if (b->selected < STRAND_COUNT)
        app_push(app, list_new(app, strands[b->selected].code, NULL, NULL));
    else
        app_push(app, list_new(app, NULL, app->agencies[b->selected - STRAND_COUNT].code, NULL));
}

static void search_done(struct app *app, void *ctx, const char *text)
{
    (void)ctx;
    if (text && !str_blank(text))
        app_push(app, list_new(app, NULL, NULL, text));
}

static enum verdict board_key(struct screen *s, enum ui_action a, const struct keypress *k)
{
    (void)k;
    struct board *b = (struct board *)s;
    struct app *app = s->app;
    int total = board_items(b);
    switch (a) {
    case ACT_MOVE_DOWN: b->selected += b->selected + 1 < total; break;
    case ACT_MOVE_UP: b->selected -= b->selected > 0; break;
    case ACT_PAGE_DOWN:
        b->selected = b->selected + b->page < total ? b->selected + b->page : total - 1;
        break;
    case ACT_PAGE_UP: b->selected = b->selected > b->page ? b->selected - b->page : 0; break;
    case ACT_MOVE_TOP: b->selected = 0; break;
    case ACT_MOVE_BOTTOM: b->selected = total - 1; break;
    case ACT_NEXT_PANE:
        b->selected = b->selected < STRAND_COUNT && total > STRAND_COUNT ? STRAND_COUNT
                                                                          : STRAND_COUNT - 1;
        break;
    case ACT_AGENCIES:
        if (total > STRAND_COUNT)
            b->selected = STRAND_COUNT;
        break;
    case ACT_OPEN: open_selected(b); break;
    case ACT_SEARCH: ui_ask(app, "Search the plan:", "", search_done, NULL); break;
    case ACT_NEW:
        if (b->selected < STRAND_COUNT)
            form_new_action(app, strands[b->selected].code, NULL, NULL);
        else
            form_new_action(app, "PREVENT", app->agencies[b->selected - STRAND_COUNT].code, NULL);
        break;
    case ACT_UNDO: return cmd_action(app, a, 0);
    case ACT_MERGE: merge_open(app); break;
    case ACT_BACK: return V_QUIT;
    default: break;
    }
    return V_STAY;
}

static void board_destroy(struct screen *s)
{
    struct board *b = (struct board *)s;
    free(b->agency_counts);
    free(b);
}

static const struct screen_ops board_ops = {
    .name = "board",
    .on = ON_BOARD,
    .draw = board_draw,
    .key = board_key,
    .reload = board_reload,
    .destroy = board_destroy,
};

struct screen *board_new(struct app *app)
{
    struct board *b = xcalloc(1, sizeof *b);
    b->base.ops = &board_ops;
    b->base.app = app;
    b->selected = STRAND_COUNT - 1; /* Prevent */
    board_reload(&b->base);
    return &b->base;
}

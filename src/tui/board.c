/* The board: the four CONTEST strands and one pane per agency, with RAG counts. */
#include <stdlib.h>
#include <string.h>

#include "ragboard/util.h"
#include "tui/screen.h"

struct board {
    struct screen base;
    struct rag_counts strand_counts[STRAND_COUNT];
    struct agency *agencies;
    size_t n_agencies;
    struct rag_counts *agency_counts;
    int selected; /* 0..3 strands, then agencies */
    int top;      /* first row shown */
    char error[RB_ERRLEN];
};

static int board_rows(const struct board *b)
{
    return STRAND_COUNT + (int)b->n_agencies;
}

static void board_reload(struct screen *s)
{
    struct board *b = (struct board *)s;
    struct ui *ui = s->ui;
    b->error[0] = '\0';
    agencies_free(b->agencies, b->n_agencies);
    free(b->agency_counts);
    b->agencies = NULL;
    b->agency_counts = NULL;
    b->n_agencies = 0;
    if (store_count_strands(ui->st, &ui->cfg->rag, ui->today, b->strand_counts, b->error) != 0)
        return;
    if (store_agencies(ui->st, &b->agencies, &b->n_agencies, b->error) != 0)
        return;
    b->agency_counts = xcalloc(b->n_agencies ? b->n_agencies : 1, sizeof *b->agency_counts);
    store_count_agencies(ui->st, &ui->cfg->rag, ui->today, b->agencies, b->n_agencies,
                         b->agency_counts, b->error);
    if (b->selected >= board_rows(b))
        b->selected = board_rows(b) - 1;
}

/* "R 3  A 5  G 10  C 2" with each letter in its rating's colour. */
static void draw_counts(WINDOW *w, const struct ui *ui, const struct rag_counts *c)
{
    static const enum rag order[] = {RAG_RED, RAG_AMBER, RAG_GREEN, RAG_COMPLETE};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        attr_t a = ui_rag_attr(ui, order[i]);
        wattron(w, a);
        wprintw(w, "%c", rag_letter(order[i]));
        wattroff(w, a);
        wprintw(w, " %-3d ", c->n[order[i]]);
    }
}

static void draw_row(WINDOW *w, struct board *b, int row, int y, int cols)
{
    struct ui *ui = b->base.ui;
    bool sel = row == b->selected;
    const struct rag_counts *c;
    char name[64];
    if (row < STRAND_COUNT) {
        c = &b->strand_counts[row];
        snprintf(name, sizeof name, "%s", strands[row].name);
    } else {
        c = &b->agency_counts[row - STRAND_COUNT];
        snprintf(name, sizeof name, "%s%s", b->agencies[row - STRAND_COUNT].code,
                 b->agencies[row - STRAND_COUNT].in_config ? "" : " (retired)");
    }
    wmove(w, y, 0);
    wclrtoeol(w);
    if (sel)
        wattron(w, A_REVERSE);
    wprintw(w, "%c %-12.12s ", sel ? '>' : ' ', name);
    if (sel)
        wattroff(w, A_REVERSE);
    draw_counts(w, ui, c);
    wprintw(w, "overdue %-3d", c->overdue);
    int x = getcurx(w);
    if (row >= STRAND_COUNT) {
        char due[RB_DATE_BUF];
        if (cols - x > 24)
            wprintw(w, " stale %-3d next due %s", c->stale,
                    c->next_due == RB_NO_DATE ? "-" : date_format_uk(c->next_due, due));
    } else if (cols - x > 10) {
        waddnstr(w, "  ", cols - x);
        waddnstr(w, strands[row].aim, cols - x - 3);
    }
    if (sel) {
        b->base.cursor_y = y;
        b->base.cursor_x = 0;
    }
}

static void board_draw(struct screen *s, WINDOW *w)
{
    struct board *b = (struct board *)s;
    int rows = getmaxy(w), cols = getmaxx(w);
    werase(w);
    if (b->error[0]) {
        mvwaddnstr(w, 0, 0, b->error, cols);
        return;
    }
    /* Two headings plus one blank line between the sections. */
    int avail = rows - 3;
    int total = board_rows(b);
    if (b->selected < b->top)
        b->top = b->selected;
    if (b->selected >= b->top + avail)
        b->top = b->selected - avail + 1;
    if (b->top > 0 && total - b->top < avail)
        b->top = total > avail ? total - avail : 0;
    int y = 0;
    for (int row = b->top; row < total && y < rows; row++) {
        if (row == b->top || row == STRAND_COUNT) {
            if (row == STRAND_COUNT && y > 0)
                y++;
            if (y >= rows)
                break;
            wattron(w, A_BOLD);
            mvwaddnstr(w, y++, 0, row < STRAND_COUNT ? "CONTEST strands" : "Agencies (as lead)",
                       cols);
            wattroff(w, A_BOLD);
            if (y >= rows)
                break;
        }
        draw_row(w, b, row, y++, cols);
    }
}

static enum verdict board_key(struct screen *s, enum ui_action a)
{
    struct board *b = (struct board *)s;
    int total = board_rows(b);
    switch (a) {
    case ACT_MOVE_DOWN: b->selected += b->selected + 1 < total; break;
    case ACT_MOVE_UP: b->selected -= b->selected > 0; break;
    case ACT_PAGE_DOWN: b->selected = b->selected + 8 < total ? b->selected + 8 : total - 1; break;
    case ACT_PAGE_UP: b->selected = b->selected > 8 ? b->selected - 8 : 0; break;
    case ACT_MOVE_TOP: b->selected = 0; break;
    case ACT_MOVE_BOTTOM: b->selected = total - 1; break;
    case ACT_BACK:
    case ACT_QUIT: return V_QUIT;
    default: break;
    }
    return V_STAY;
}

static void board_destroy(struct screen *s)
{
    struct board *b = (struct board *)s;
    agencies_free(b->agencies, b->n_agencies);
    free(b->agency_counts);
    free(b);
}

static const struct screen_ops board_ops = {
    .name = "board",
    .draw = board_draw,
    .key = board_key,
    .reload = board_reload,
    .destroy = board_destroy,
};

struct screen *board_new(struct ui *ui)
{
    struct board *b = xcalloc(1, sizeof *b);
    b->base.ops = &board_ops;
    b->base.ui = ui;
    b->selected = STRAND_COUNT - 1; /* Prevent */
    board_reload(&b->base);
    return &b->base;
}

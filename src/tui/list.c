/* The action list: one strand, one agency or a search; grouped by objective, sorted,
 * filtered and searched. Only the rows on screen are drawn. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/plan_list.h"
#include "ragboard/util.h"
#include "tui/screen.h"
#include "tui/text.h"

struct list {
    struct screen base;
    char *strand; /* code or NULL */
    char *agency; /* code or NULL */
    char *search; /* NULL when none */
    enum list_sort sort;
    unsigned rag_mask;
    int state; /* -1 any */
    char *lead;
    bool overdue_only;
    struct plan_list rows;
    /* Display lines of the rows loaded so far: >= 0 a row index, < 0 an objective
     * heading for row -(v + 1). */
    long *lines;
    size_t n_lines;
    size_t *row_line; /* line of each row */
    size_t lined;     /* rows with lines */
    size_t lines_cap; /* room in lines (twice that of row_line) */
    size_t selected;  /* row index */
    size_t top;       /* first line shown */
    int page;
    char error[RB_ERRLEN];
};

static bool grouped(const struct list *l)
{
    return l->sort == SORT_REF;
}

/* Lines for the rows loaded since the last call (all of them after build_lines). */
static void extend_lines(struct list *l)
{
    size_t n = l->rows.loaded;
    if (n + 1 > l->lines_cap) {
        l->lines_cap = n + 1 > 2 * l->lines_cap ? n + 1 : 2 * l->lines_cap;
        l->lines = xrealloc(l->lines, 2 * l->lines_cap * sizeof *l->lines);
        l->row_line = xrealloc(l->row_line, l->lines_cap * sizeof *l->row_line);
    }
    size_t k = l->n_lines;
    for (size_t i = l->lined; i < n; i++) {
        if (grouped(l) && (i == 0 || l->rows.objectives[i] != l->rows.objectives[i - 1]))
            l->lines[k++] = -(long)i - 1;
        l->row_line[i] = k;
        l->lines[k++] = (long)i;
    }
    l->n_lines = k;
    l->lined = n;
}

static void build_lines(struct list *l)
{
    l->n_lines = l->lined = 0;
    extend_lines(l);
}

static void list_reload(struct screen *s);

/* At least want rows loaded (or all there are), with their lines. When the plan changed
 * under a list still loading, it is loaded again (with reload; otherwise it stops
 * loading until the next frame asks). False when the rows could not be read. */
static bool list_need(struct list *l, size_t want, bool reload)
{
    extend_lines(l); /* ids read by plan_list_row or plan_list_find since */
    if (l->error[0] || l->rows.loaded >= want || plan_list_complete(&l->rows))
        return !l->error[0];
    char err[RB_ERRLEN];
    int rc = plan_list_more(&l->rows, want, err);
    if (rc == 1 && reload) {
        list_reload(&l->base); /* says what went wrong itself, on the list */
        if (l->error[0])
            return false;
        rc = plan_list_more(&l->rows, want, err);
    }
    if (rc < 0)
        app_error(l->base.app, "%s", err);
    extend_lines(l);
    return rc == 0;
}

static void list_reload(struct screen *s)
{
    struct list *l = (struct list *)s;
    struct app *app = s->app;
    int64_t keep = l->rows.loaded ? l->rows.ids[l->selected] : 0;
    struct list_query q = {
        .strand = l->strand,
        .agency = l->agency,
        .sort = l->sort,
        .rag_mask = l->rag_mask,
        .lead = l->lead,
        .state = l->state,
        .overdue_only = l->overdue_only,
        .search = l->search,
        .hide_confidential_text = app->present,
    };
    l->error[0] = '\0';
    if (plan_list_update(app->st, &q, &app->cfg->rag, app->today, &l->rows, l->error) != 0) {
        if (l->search) {
            /* A search the index cannot take: say so and drop it. */
            app_error(app, "%s", l->error);
            free(l->search);
            l->search = NULL;
            l->error[0] = '\0';
            list_reload(s);
        }
        return;
    }
    long at = keep ? plan_list_find(&l->rows, keep) : -1;
    char err[RB_ERRLEN];
    if (at < 0) /* gone from the list: keep the place, as far as the list goes */
        plan_list_more(&l->rows, l->selected + 1, err);
    build_lines(l);
    if (at >= 0)
        l->selected = (size_t)at;
    else if (l->selected >= l->rows.loaded)
        l->selected = l->rows.loaded ? l->rows.loaded - 1 : 0;
}

static const char *title_of(const struct list *l, const struct app *app, char *buf, size_t n)
{
    if (l->strand) {
        int i = strand_index(l->strand);
        snprintf(buf, n, "%s: %s", strands[i].name, strands[i].aim);
    } else if (l->agency) {
        const char *name = l->agency;
        for (size_t i = 0; i < app->n_agencies; i++)
            if (strcmp(app->agencies[i].code, l->agency) == 0)
                name = app->agencies[i].name;
        snprintf(buf, n, "%s: actions %s leads or supports", l->agency, name);
    } else {
        snprintf(buf, n, "Whole plan%s", l->search ? ": search results" : "");
    }
    return buf;
}

/* "sorted by due date · filter: Red, Amber, overdue · search: "training"" */
static void describe(const struct list *l, struct strbuf *sb)
{
    sb_addf(sb, "sorted by %s", list_sort_name(l->sort));
    struct strbuf f = {0};
    static const enum rag rags[] = {RAG_RED, RAG_AMBER, RAG_GREEN, RAG_COMPLETE, RAG_NONE};
    for (size_t i = 0; i < sizeof rags / sizeof rags[0]; i++)
        if (l->rag_mask & (1u << rags[i]))
            sb_addf(&f, "%s%s", f.len ? ", " : "", rag_word(rags[i]));
    if (l->overdue_only)
        sb_addf(&f, "%soverdue", f.len ? ", " : "");
    if (l->state >= 0)
        sb_addf(&f, "%s%s", f.len ? ", " : "", state_word((enum action_state)l->state));
    if (l->lead)
        sb_addf(&f, "%slead %s", f.len ? ", " : "", l->lead);
    if (f.len)
        sb_addf(sb, " | filter: %s", f.buf);
    sb_free(&f);
    if (l->search)
        sb_addf(sb, " | search: \"%s\"", l->search);
}

/* Column layout for a width. */
struct cols {
    int ref, rag, title, lead, due, prog, upd;
    int x_rag, x_title, x_lead, x_due, x_prog, x_upd;
};

static struct cols layout(int width)
{
    struct cols c = {.ref = 8, .rag = 1, .lead = 5, .due = 11, .prog = 4, .upd = 0};
    if (width >= 100)
        c.upd = 10;
    if (width >= 110)
        c.rag = 5;
    int fixed = 2 + c.ref + 1 + c.rag + 1 + 1 + c.lead + 1 + c.due + 1 + c.prog +
                (c.upd ? c.upd + 1 : 0);
    c.title = width - fixed;
    if (c.title < 8)
        c.title = 8;
    c.x_rag = 2 + c.ref + 1;
    c.x_title = c.x_rag + c.rag + 1;
    c.x_lead = c.x_title + c.title + 1;
    c.x_due = c.x_lead + c.lead + 1;
    c.x_prog = c.x_due + c.due + 1;
    c.x_upd = c.x_prog + c.prog + 1;
    return c;
}

static void draw_row(struct list *l, WINDOW *w, int y, size_t i, const struct cols *c)
{
    struct app *app = l->base.app;
    const struct list_row *r = plan_list_row(&l->rows, i);
    bool sel = i == l->selected;
    char buf[32], date[RB_DATE_BUF];
    if (sel) {
        wattron(w, A_REVERSE);
        mvwhline(w, y, 0, ' ', getmaxx(w));
        mvwaddch(w, y, 0, '>');
        l->base.cursor_y = y;
        l->base.cursor_x = 0;
    }
    text_put(w, y, 2, r->ref, c->ref, true);
    attr_t ra = ui_rag_attr(app, r->rag);
    wattron(w, ra);
    if (c->rag >= 5)
        text_put(w, y, c->x_rag, r->rag == RAG_NONE ? "-" : rag_word(r->rag), c->rag, true);
    else
        mvwaddch(w, y, c->x_rag, (chtype)rag_letter(r->rag));
    wattroff(w, ra);
    if (sel)
        wattron(w, A_REVERSE);
    text_put_hl(w, y, c->x_title, app_mask(app, r->confidential, r->title), c->title, true,
                app->present && r->confidential ? NULL : l->search, A_UNDERLINE | A_BOLD);
    text_put(w, y, c->x_lead, r->lead, c->lead, true);
    if (r->due == RB_NO_DATE)
        snprintf(buf, sizeof buf, "ongoing");
    else
        snprintf(buf, sizeof buf, "%s%s", date_format_uk(r->due, date), r->overdue ? "!" : "");
    text_put(w, y, c->x_due, buf, c->due, true);
    snprintf(buf, sizeof buf, "%3d%%", r->progress);
    text_put(w, y, c->x_prog, buf, c->prog, true);
    if (c->upd) {
        if (r->last_update == RB_NO_DATE)
            snprintf(buf, sizeof buf, "never");
        else
            snprintf(buf, sizeof buf, "%s", date_format_uk(r->last_update, date));
        text_put(w, y, c->x_upd, buf, c->upd, false);
    }
    if (sel)
        wattroff(w, A_REVERSE);
}

static void list_draw(struct screen *s, WINDOW *w)
{
    struct list *l = (struct list *)s;
    struct app *app = s->app;
    int rows = getmaxy(w), cols = getmaxx(w);
    char title[256];
    attr_t ta = A_BOLD | (app->colour ? COLOR_PAIR(PAIR_TITLE) : 0);
    wattron(w, ta);
    text_put(w, 0, 0, title_of(l, app, title, sizeof title), cols, false);
    wattroff(w, ta);
    struct cols c = layout(cols);
    wattron(w, A_UNDERLINE);
    mvwhline(w, 1, 0, ' ', cols);
    text_put(w, 1, 2, "Ref", c.ref, false);
    text_put(w, 1, c.x_rag, c.rag >= 5 ? "RAG" : "R", c.rag, false);
    text_put(w, 1, c.x_title, "Title", c.title, false);
    text_put(w, 1, c.x_lead, "Lead", c.lead, false);
    text_put(w, 1, c.x_due, "Due", c.due, false);
    text_put(w, 1, c.x_prog, "Done", c.prog, false);
    if (c.upd)
        text_put(w, 1, c.x_upd, "Updated", c.upd, false);
    wattroff(w, A_UNDERLINE);

    int body = rows - 3; /* title, column heads, status */
    l->page = body > 1 ? body - 1 : 1;
    s->cursor_y = 2;
    s->cursor_x = 0;
    if (l->error[0]) {
        text_put(w, 2, 0, l->error, cols, false);
    } else if (l->rows.n == 0) {
        text_put(w, 3, 2,
                 l->search || l->rag_mask || l->state >= 0 || l->lead || l->overdue_only
                     ? "No actions match. Press f then x to clear the filter and search."
                     : "No actions here yet. Press n to add one.",
                 cols - 2, false);
    } else {
        /* The rows from the top line to a screenful past the selected row. */
        extend_lines(l);
        size_t far = l->row_line[l->selected];
        list_need(l, (far > l->top ? far : l->top) + (size_t)(body > 0 ? body : 0) + 1, true);
        size_t sel_line = l->row_line[l->selected];
        if (sel_line < l->top)
            l->top = sel_line;
        /* Show the objective heading above the selected row when it starts a group. */
        if (sel_line > 0 && l->lines[sel_line - 1] < 0 && sel_line - 1 < l->top)
            l->top = sel_line - 1;
        if (body > 0 && sel_line >= l->top + (size_t)body)
            l->top = sel_line - (size_t)body + 1;
        for (int y = 0; y < body && l->top + (size_t)y < l->n_lines; y++) {
            long v = l->lines[l->top + (size_t)y];
            if (v >= 0) {
                draw_row(l, w, 2 + y, (size_t)v, &c);
            } else {
                const struct list_row *r = plan_list_row(&l->rows, (size_t)(-v - 1));
                char *h = r->objective_ref[0]
                              ? xasprintf("%s  %s", r->objective_ref, r->objective_title)
                              : xstrdup("No objective");
                wattron(w, A_BOLD);
                text_put(w, 2 + y, 0, h, cols, false);
                wattroff(w, A_BOLD);
                free(h);
            }
        }
    }
    struct strbuf st = {0};
    if (l->rows.n)
        sb_addf(&st, "%zu of %zu | ", l->selected + 1, l->rows.n);
    else
        sb_add(&st, "0 actions | ");
    describe(l, &st);
    wattron(w, A_REVERSE);
    mvwhline(w, rows - 1, 0, ' ', cols);
    text_put(w, rows - 1, 0, st.buf, cols, false);
    wattroff(w, A_REVERSE);
    sb_free(&st);
}

static void search_done(struct app *app, void *ctx, const char *text)
{
    struct list *l = ctx;
    if (!text)
        return;
    free(l->search);
    l->search = str_blank(text) ? NULL : xstrdup(text);
    list_reload(&l->base);
    if (l->search)
        app_status(app, "%zu action%s match \"%s\"", l->rows.n, l->rows.n == 1 ? "" : "s",
                   l->search);
}

static void sort_done(struct app *app, void *ctx, int index)
{
    (void)app;
    struct list *l = ctx;
    if (index < 0)
        return;
    l->sort = (enum list_sort)index;
    l->top = 0;
    list_reload(&l->base);
}

static void choose_sort(struct list *l)
{
    static const char *const items[SORT_COUNT] = {
        "by &reference (grouped by objective)", "by &due date", "by RAG &severity",
        "by &agency", "by &last update",
    };
    ui_menu(l->base.app, "Sort order", items, SORT_COUNT, (int)l->sort, sort_done, l);
}

static void state_done(struct app *app, void *ctx, int index)
{
    (void)app;
    struct list *l = ctx;
    if (index < 0)
        return;
    l->state = index - 1;
    list_reload(&l->base);
}

static void lead_done(struct app *app, void *ctx, int index)
{
    struct list *l = ctx;
    if (index < 0)
        return;
    free(l->lead);
    l->lead = index == 0 ? NULL : xstrdup(app->agencies[index - 1].code);
    list_reload(&l->base);
}

enum filter_item { F_RED, F_AMBER, F_GREEN, F_COMPLETE, F_OVERDUE, F_STATE, F_LEAD, F_CLEAR };

static void filter_done(struct app *app, void *ctx, int index)
{
    struct list *l = ctx;
    switch (index) {
    case F_RED: l->rag_mask ^= 1u << RAG_RED; break;
    case F_AMBER: l->rag_mask ^= 1u << RAG_AMBER; break;
    case F_GREEN: l->rag_mask ^= 1u << RAG_GREEN; break;
    case F_COMPLETE: l->rag_mask ^= 1u << RAG_COMPLETE; break;
    case F_OVERDUE: l->overdue_only = !l->overdue_only; break;
    case F_STATE: {
        static const char *const items[] = {"&any state", "&not started", "&in progress",
                                            "&complete", "c&ancelled"};
        ui_menu(app, "Show actions in state", items, 5, l->state + 1, state_done, l);
        return;
    }
    case F_LEAD: {
        const char **items = xcalloc(app->n_agencies + 1, sizeof *items);
        char **owned = xcalloc(app->n_agencies + 1, sizeof *owned);
        items[0] = "any lead agency";
        for (size_t i = 0; i < app->n_agencies; i++)
            items[i + 1] = owned[i] = xasprintf("%s  %s", app->agencies[i].code,
                                                app->agencies[i].name);
        ui_menu(app, "Show actions led by", items, app->n_agencies + 1, 0, lead_done, l);
        for (size_t i = 0; i < app->n_agencies; i++)
            free(owned[i]);
        free(owned);
        free(items);
        return;
    }
    case F_CLEAR:
        l->rag_mask = 0;
        l->overdue_only = false;
        l->state = -1;
        free(l->lead);
        l->lead = NULL;
        free(l->search);
        l->search = NULL;
        break;
    default: return;
    }
    l->top = 0;
    list_reload(&l->base);
}

static void choose_filter(struct list *l)
{
    char items[8][48];
    snprintf(items[F_RED], 48, "[%c] &Red", l->rag_mask & (1u << RAG_RED) ? 'x' : ' ');
    snprintf(items[F_AMBER], 48, "[%c] &Amber", l->rag_mask & (1u << RAG_AMBER) ? 'x' : ' ');
    snprintf(items[F_GREEN], 48, "[%c] &Green", l->rag_mask & (1u << RAG_GREEN) ? 'x' : ' ');
    snprintf(items[F_COMPLETE], 48, "[%c] &Complete",
             l->rag_mask & (1u << RAG_COMPLETE) ? 'x' : ' ');
    snprintf(items[F_OVERDUE], 48, "[%c] &Overdue only", l->overdue_only ? 'x' : ' ');
    snprintf(items[F_STATE], 48, "    &State...");
    snprintf(items[F_LEAD], 48, "    &Lead agency...");
    snprintf(items[F_CLEAR], 48, "    Clear filters and search (&x)");
    const char *ptrs[8];
    for (int i = 0; i < 8; i++)
        ptrs[i] = items[i];
    ui_menu(l->base.app, "Filter (letters toggle)", ptrs, 8, 0, filter_done, l);
}

static enum verdict list_key(struct screen *s, enum ui_action a, const struct keypress *k)
{
    (void)k;
    struct list *l = (struct list *)s;
    struct app *app = s->app;
    size_t page = (size_t)(l->page > 0 ? l->page : 1);
    /* The rows a move lands on, and a screenful past them. */
    if (a == ACT_MOVE_BOTTOM)
        list_need(l, SIZE_MAX, true);
    else if (a == ACT_MOVE_DOWN || a == ACT_PAGE_DOWN)
        list_need(l, l->selected + 2 * page + 2, true);
    size_t n = l->rows.loaded; /* rows that can be moved to */
    int64_t id = n ? l->rows.ids[l->selected] : 0;
    switch (a) {
    case ACT_MOVE_DOWN: l->selected += l->selected + 1 < n; break;
    case ACT_MOVE_UP: l->selected -= l->selected > 0; break;
    case ACT_PAGE_DOWN:
        l->selected = l->selected + page < n ? l->selected + page : (n ? n - 1 : 0);
        l->top += page;
        if (l->top + page > l->n_lines)
            l->top = l->n_lines > page ? l->n_lines - page : 0;
        break;
    case ACT_PAGE_UP:
        l->selected = l->selected > page ? l->selected - page : 0;
        l->top = l->top > page ? l->top - page : 0;
        break;
    case ACT_MOVE_TOP: l->selected = 0; l->top = 0; break;
    case ACT_MOVE_BOTTOM: l->selected = n ? n - 1 : 0; break;
    case ACT_OPEN:
        if (n)
            app_push(app, detail_new(app, id));
        break;
    case ACT_SEARCH: ui_ask(app, "Search:", l->search, search_done, l); break;
    case ACT_FILTER: choose_filter(l); break;
    case ACT_SORT: choose_sort(l); break;
    case ACT_NEW: {
        /* Under the selected row's objective: the usual way to add to a theme. */
        const struct list_row *r = n ? plan_list_row(&l->rows, l->selected) : NULL;
        form_new_action(app, r ? r->strand : l->strand ? l->strand : "PREVENT", l->agency,
                        r ? r->objective_ref : NULL);
        break;
    }
    case ACT_UNDO: return cmd_action(app, a, id);
    case ACT_BACK: return V_BACK;
    case ACT_QUIT: return V_QUIT;
    default:
        if (!n) {
            app_error(app, "There is no action here to work on");
            break;
        }
        return cmd_action(app, a, id);
    }
    return V_STAY;
}

static void list_destroy(struct screen *s)
{
    struct list *l = (struct list *)s;
    plan_list_free(&l->rows);
    free(l->lines);
    free(l->row_line);
    free(l->strand);
    free(l->agency);
    free(l->search);
    free(l->lead);
    free(l);
}

/* The rows of the next page, read while the user looks at this one; then, a part at a
 * time while no key waits, the ids of the rest of the list. */
static bool list_prefetch(struct screen *s)
{
    struct list *l = (struct list *)s;
    if (l->error[0])
        return false;
    size_t line = l->top + (size_t)(l->page > 0 ? l->page : 1);
    if (line < l->n_lines) {
        long v = l->lines[line];
        plan_list_prefetch(&l->rows, v >= 0 ? (size_t)v : (size_t)(-v - 1),
                           (size_t)(l->page > 0 ? l->page : 1) + 1);
        extend_lines(l); /* reading the rows may have loaded ids */
    }
    return !plan_list_complete(&l->rows) && list_need(l, l->rows.loaded + 1, false) &&
           !plan_list_complete(&l->rows);
}

static const struct screen_ops list_ops = {
    .name = "list",
    .on = ON_LIST,
    .draw = list_draw,
    .key = list_key,
    .reload = list_reload,
    .prefetch = list_prefetch,
    .destroy = list_destroy,
};

struct screen *list_new(struct app *app, const char *strand, const char *agency,
                        const char *search)
{
    struct list *l = xcalloc(1, sizeof *l);
    l->base.ops = &list_ops;
    l->base.app = app;
    l->strand = xstrdup(strand);
    l->agency = xstrdup(agency);
    l->search = search && !str_blank(search) ? xstrdup(search) : NULL;
    l->state = -1;
    l->sort = SORT_REF;
    /* A page as the first frame will make it, for keys typed before that frame. */
    l->page = LINES > 7 ? LINES - 6 : 1;
    list_reload(&l->base);
    return &l->base;
}

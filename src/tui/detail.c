/* Action detail: every field, the RAG and its reason, the progress timeline and the
 * change history from the audit log. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/edit.h"
#include "ragboard/util.h"
#include "tui/screen.h"
#include "tui/text.h"

enum line_kind { L_TEXT, L_HEADING, L_TITLE, L_RAG };

struct dline {
    enum line_kind kind;
    enum rag rag;
    char *text;
};

struct detail {
    struct screen base;
    int64_t id;
    bool gone;
    struct action act;
    struct strbuf updates; /* "date\x1fauthor\x1fprogress\x1fconfidential\x1ftext\x1e" */
    struct strbuf history;
    struct dline *lines;
    size_t n_lines, cap;
    int built_width;
    int top;
    int page;
    char error[RB_ERRLEN];
};

static void lines_clear(struct detail *d)
{
    for (size_t i = 0; i < d->n_lines; i++)
        free(d->lines[i].text);
    d->n_lines = 0;
}

static void add_line(struct detail *d, enum line_kind kind, enum rag rag, const char *text,
                     size_t len)
{
    if (d->n_lines == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->lines = xrealloc(d->lines, d->cap * sizeof *d->lines);
    }
    d->lines[d->n_lines++] = (struct dline){kind, rag, xstrndup(text, len)};
}

struct wrap_ctx {
    struct detail *d;
    enum line_kind kind;
    const char *indent;
};

static void wrap_cb(const char *line, size_t len, void *p)
{
    struct wrap_ctx *w = p;
    char *t = xasprintf("%s%.*s", w->indent, (int)len, line);
    add_line(w->d, w->kind, RAG_NONE, t, strlen(t));
    free(t);
}

/* Add text wrapped to width, each line indented. */
static void add_wrapped(struct detail *d, const char *text, int width, const char *indent)
{
    struct wrap_ctx w = {d, L_TEXT, indent};
    int room = width - (int)strlen(indent);
    if (!text || !*text) {
        add_line(d, L_TEXT, RAG_NONE, indent, strlen(indent));
        return;
    }
    text_wrap(text, room > 10 ? room : 10, wrap_cb, &w);
}

static void addf(struct detail *d, enum line_kind kind, const char *fmt, ...) RB_PRINTF(3, 4);
static void addf(struct detail *d, enum line_kind kind, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    add_line(d, kind, RAG_NONE, buf, strlen(buf));
}

static int collect_update(const struct progress_update *u, void *p)
{
    struct strbuf *sb = p;
    char date[RB_DATE_BUF];
    sb_addf(sb, "%s\x1f%s\x1f%d\x1f%d\x1f%s\x1e", date_format_uk(u->date, date), u->author,
            u->progress, u->confidential, u->text);
    return 0;
}

/* "2026-11-28T10:12:00Z" as "28/11/2026 10:12". */
static void uk_time(const char *iso, char *out, size_t n)
{
    if (!iso || strlen(iso) < 16) {
        snprintf(out, n, "%s", iso ? iso : "");
        return;
    }
    snprintf(out, n, "%.2s/%.2s/%.4s %.5s", iso + 8, iso + 5, iso, iso + 11);
}

struct history_ctx {
    struct strbuf *sb;
    const struct app *app;
};

static int collect_history(const struct audit_entry *e, void *p)
{
    struct history_ctx *hc = p;
    struct strbuf *sb = hc->sb;
    const char *hidden = hc->app->present && e->confidential ? "[confidential]" : NULL;
    char when[24];
    uk_time(e->at, when, sizeof when);
    sb_addf(sb, "%s  %s  ", when, e->user);
    if (strcmp(e->tbl, "actions") == 0) {
        if (strcmp(e->op, "insert") == 0)
            sb_add(sb, "created the action");
        else if (strcmp(e->op, "delete") == 0)
            sb_add(sb, "deleted the action");
        else
            sb_addf(sb, "%s: %s -> %s", e->field ? e->field : "?",
                    hidden ? hidden : e->old_value ? e->old_value : "(none)",
                    hidden ? hidden : e->new_value ? e->new_value : "(none)");
    } else if (strcmp(e->tbl, "updates") == 0) {
        if (strcmp(e->op, "insert") == 0)
            sb_add(sb, "added a progress update");
        else if (strcmp(e->op, "delete") == 0)
            sb_add(sb, "removed a progress update");
        else
            sb_addf(sb, "changed a progress update's %s", e->field ? e->field : "text");
    } else if (strcmp(e->tbl, "action_partners") == 0) {
        sb_addf(sb, "%s partner %s", strcmp(e->op, "insert") == 0 ? "added" : "removed",
                e->new_value ? e->new_value : e->old_value ? e->old_value : "?");
    } else {
        sb_addf(sb, "%s %s", e->op, e->tbl);
    }
    sb_addc(sb, '\x1e');
    return 0;
}

static void detail_reload(struct screen *s)
{
    struct detail *d = (struct detail *)s;
    struct app *app = s->app;
    action_free(&d->act);
    sb_free(&d->updates);
    sb_free(&d->history);
    d->error[0] = '\0';
    d->built_width = 0;
    int rc = store_action_get(app->st, d->id, &app->cfg->rag, app->today, &d->act, d->error);
    d->gone = rc == STORE_NOT_FOUND;
    if (rc != 0)
        return;
    struct history_ctx hc = {&d->history, app};
    if (store_updates_each(app->st, d->id, collect_update, &d->updates, d->error) == 0)
        store_action_history(app->st, d->id, collect_history, &hc, d->error);
}

static const char *agency_name(const struct app *app, const char *code)
{
    for (size_t i = 0; code && i < app->n_agencies; i++)
        if (strcmp(app->agencies[i].code, code) == 0)
            return app->agencies[i].name;
    return "";
}

static void build(struct detail *d, int width)
{
    struct app *app = d->base.app;
    const struct action *a = &d->act;
    char d1[RB_DATE_BUF], d2[RB_DATE_BUF];
    lines_clear(d);
    bool hide = app->present && a->confidential;
    addf(d, L_TITLE, "%s  %s", a->ref, app_mask(app, a->confidential, a->title));
    add_line(d, L_RAG, a->rag.rag, "", 0);
    addf(d, L_TEXT, "State     %-14s Progress  %d%%", state_word(a->state), a->progress);
    int si = strand_index(a->strand);
    addf(d, L_TEXT, "Strand    %s", si >= 0 ? strands[si].name : a->strand);
    if (a->objective_ref)
        addf(d, L_TEXT, "Objective %s %s", a->objective_ref, a->objective_title);
    addf(d, L_TEXT, "Lead      %s %s", a->lead ? a->lead : "(none)", agency_name(app, a->lead));
    addf(d, L_TEXT, "Officer   %s", a->owner[0] ? a->owner : "(none)");
    addf(d, L_TEXT, "Partners  %s", a->partners[0] ? a->partners : "(none)");
    addf(d, L_TEXT, "Start     %-14s Due       %s%s",
         a->start == RB_NO_DATE ? "(not set)" : date_format_uk(a->start, d1),
         a->due == RB_NO_DATE ? "ongoing" : date_format_uk(a->due, d2),
         a->rag.overdue ? " (overdue)" : "");
    if (a->confidential)
        addf(d, L_TEXT, "Confidential: yes (hidden when presenting)");
    char c1[24], c2[24];
    uk_time(a->created_at, c1, sizeof c1);
    uk_time(a->updated_at, c2, sizeof c2);
    addf(d, L_TEXT, "Created %s, last changed %s, version %lld", c1, c2, (long long)a->version);
    add_line(d, L_TEXT, RAG_NONE, "", 0);
    addf(d, L_HEADING, "Description");
    add_wrapped(d, hide ? "[confidential]" : a->description[0] ? a->description : "(none)",
                width, "  ");
    add_line(d, L_TEXT, RAG_NONE, "", 0);
    addf(d, L_HEADING, "Progress updates (%d, newest first)", a->n_updates);
    if (!d->updates.len)
        addf(d, L_TEXT, "  None yet. Press p to add one.");
    /* Records were collected oldest first; walk them backwards. */
    char *all = xstrdup(d->updates.buf ? d->updates.buf : "");
    size_t n = 0;
    for (char *p = all; *p; p++)
        n += *p == '\x1e';
    char **recs = xcalloc(n + 1, sizeof *recs);
    size_t k = 0;
    for (char *p = all, *end; (end = strchr(p, '\x1e')); p = end + 1) {
        *end = '\0';
        recs[k++] = p;
    }
    for (size_t i = k; i-- > 0;) {
        char *f[5] = {0};
        char *p = recs[i];
        for (int j = 0; j < 5 && p; j++) {
            f[j] = p;
            p = strchr(p, '\x1f');
            if (p)
                *p++ = '\0';
        }
        int prog = f[2] ? atoi(f[2]) : -1;
        bool conf = f[3] && f[3][0] == '1';
        char pct[16] = "";
        if (prog >= 0)
            snprintf(pct, sizeof pct, "  %d%%", prog);
        addf(d, L_TEXT, "  %s  %s%s%s", f[0], f[1], pct, conf ? "  [confidential]" : "");
        add_wrapped(d, app_mask(app, hide || conf, f[4]), width, "      ");
    }
    free(recs);
    free(all);
    add_line(d, L_TEXT, RAG_NONE, "", 0);
    addf(d, L_HEADING, "Change history (newest first)");
    const char *h = d->history.buf ? d->history.buf : "";
    if (!*h)
        addf(d, L_TEXT, "  No changes recorded.");
    for (const char *p = h, *end; (end = strchr(p, '\x1e')); p = end + 1) {
        char *rec = xstrndup(p, (size_t)(end - p));
        add_wrapped(d, rec, width, "  ");
        free(rec);
    }
    d->built_width = width;
}

static void detail_draw(struct screen *s, WINDOW *w)
{
    struct detail *d = (struct detail *)s;
    struct app *app = s->app;
    int rows = getmaxy(w), cols = getmaxx(w);
    s->cursor_y = 0;
    s->cursor_x = 0;
    if (d->gone) {
        text_put(w, 0, 0, "This action no longer exists (it was deleted). Press q to go back, "
                          "or u to undo the deletion.", cols, false);
        return;
    }
    if (d->error[0]) {
        text_put(w, 0, 0, d->error, cols, false);
        return;
    }
    if (d->built_width != cols)
        build(d, cols);
    d->page = rows > 1 ? rows - 1 : 1;
    int max_top = (int)d->n_lines - rows;
    if (d->top > max_top)
        d->top = max_top;
    if (d->top < 0)
        d->top = 0;
    for (int y = 0; y < rows && (size_t)(d->top + y) < d->n_lines; y++) {
        const struct dline *l = &d->lines[d->top + y];
        switch (l->kind) {
        case L_TITLE:
            wattron(w, A_BOLD | (app->colour ? COLOR_PAIR(PAIR_TITLE) : 0));
            text_put(w, y, 0, l->text, cols, false);
            wattroff(w, A_BOLD | (app->colour ? COLOR_PAIR(PAIR_TITLE) : 0));
            break;
        case L_HEADING:
            wattron(w, A_BOLD | A_UNDERLINE);
            text_put(w, y, 0, l->text, cols, false);
            wattroff(w, A_BOLD | A_UNDERLINE);
            break;
        case L_RAG: {
            mvwaddstr(w, y, 0, "RAG       ");
            attr_t ra = ui_rag_attr(app, d->act.rag.rag) | A_REVERSE;
            wattron(w, ra);
            char tag[24];
            snprintf(tag, sizeof tag, " %c %s ", rag_letter(d->act.rag.rag),
                     rag_word(d->act.rag.rag));
            waddstr(w, tag);
            wattroff(w, ra);
            int x = getcurx(w) + 1;
            char *reason = xasprintf("%s%s", app_mask(app, d->act.confidential, d->act.rag.reason),
                                     d->act.rag.override ? " (manual)" : "");
            text_put(w, y, x, reason, cols - x, false);
            free(reason);
            break;
        }
        default: text_put(w, y, 0, l->text, cols, false); break;
        }
    }
    if (d->top > 0 || (size_t)(d->top + rows) < d->n_lines) {
        char more[32];
        snprintf(more, sizeof more, " %d/%zu ", d->top + rows < (int)d->n_lines ? d->top + rows
                                                                              : (int)d->n_lines,
                 d->n_lines);
        wattron(w, A_REVERSE);
        mvwaddstr(w, rows - 1, cols - (int)strlen(more), more);
        wattroff(w, A_REVERSE);
    }
}

static enum verdict detail_key(struct screen *s, enum ui_action a, const struct keypress *k)
{
    (void)k;
    struct detail *d = (struct detail *)s;
    switch (a) {
    case ACT_MOVE_DOWN: d->top++; break;
    case ACT_MOVE_UP: d->top -= d->top > 0; break;
    case ACT_PAGE_DOWN: d->top += d->page; break;
    case ACT_PAGE_UP: d->top = d->top > d->page ? d->top - d->page : 0; break;
    case ACT_MOVE_TOP: d->top = 0; break;
    case ACT_MOVE_BOTTOM: d->top = (int)d->n_lines; break;
    case ACT_BACK: return V_BACK;
    case ACT_QUIT: return V_QUIT;
    case ACT_UNDO: return cmd_action(s->app, a, d->id);
    default:
        if (d->gone) {
            app_error(s->app, "This action was deleted; press u to undo or q to go back");
            break;
        }
        return cmd_action(s->app, a, d->id);
    }
    return V_STAY;
}

static void detail_destroy(struct screen *s)
{
    struct detail *d = (struct detail *)s;
    lines_clear(d);
    free(d->lines);
    action_free(&d->act);
    sb_free(&d->updates);
    sb_free(&d->history);
    free(d);
}

static const struct screen_ops detail_ops = {
    .name = "detail",
    .on = ON_DETAIL,
    .draw = detail_draw,
    .key = detail_key,
    .reload = detail_reload,
    .destroy = detail_destroy,
};

struct screen *detail_new(struct app *app, int64_t action_id)
{
    struct detail *d = xcalloc(1, sizeof *d);
    d->base.ops = &detail_ops;
    d->base.app = app;
    d->id = action_id;
    detail_reload(&d->base);
    return &d->base;
}

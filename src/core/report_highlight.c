/* The highlight report for the board above: counts per strand and per lead agency,
 * direction of travel since the last closed meeting, and the overdue and stale lists. */
#include "ragboard/report.h"

#include <stdlib.h>
#include <string.h>

#include "ragboard/meeting.h"
#include "report_util.h"
#include "store_internal.h"

/* An action, copied out of the store's read with what the report needs. */
struct hl_action {
    int64_t id;
    char *ref, *title, *lead;
    bool confidential;
    enum rag rag;
    bool overdue, stale;
    int overdue_days, quiet_days;
    struct since since;
    bool in_snapshot;
    bool withheld; /* confidential, and left out of a list */
};

struct hl {
    const struct report_opts *o;
    const struct snapshot *snap;
    struct hl_action *v;
    size_t n, cap;
};

static rb_day day_of(const char *iso)
{
    rb_day d = RB_NO_DATE;
    if (iso && strlen(iso) >= 10) {
        char buf[11];
        memcpy(buf, iso, 10);
        buf[10] = '\0';
        if (!date_parse_iso(buf, &d))
            d = RB_NO_DATE;
    }
    return d;
}

static int collect(const struct action *a, void *p)
{
    struct hl *c = p;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->v = xrealloc(c->v, c->cap * sizeof *c->v);
    }
    struct hl_action *h = &c->v[c->n++];
    memset(h, 0, sizeof *h);
    h->id = a->id;
    h->ref = xstrdup(a->ref);
    h->title = xstrdup(a->title);
    h->lead = xstrdup(a->lead ? a->lead : "");
    h->confidential = a->confidential;
    h->rag = a->rag.rag;
    bool live = a->rag.rag != RAG_COMPLETE && a->rag.rag != RAG_NONE;
    h->overdue = live && a->rag.overdue;
    h->stale = live && a->rag.stale;
    rb_day today = c->o->today;
    if (a->due != RB_NO_DATE && today > a->due)
        h->overdue_days = today - a->due;
    /* Quiet since the last update, else since the start or creation (as the RAG rules). */
    rb_day created = day_of(a->created_at);
    rb_day since = a->last_update != RB_NO_DATE                           ? a->last_update
                   : a->start != RB_NO_DATE && (created == RB_NO_DATE || a->start > created)
                       ? a->start
                       : created;
    if (since != RB_NO_DATE && today > since)
        h->quiet_days = today - since;
    if (c->snap->n > 0) {
        const struct snapshot_row *row = snapshot_find(c->snap, a->id);
        since_compute(row, a, &h->since);
        h->in_snapshot = row != NULL;
    }
    return 0;
}

static void hl_free(struct hl *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].ref);
        free(c->v[i].title);
        free(c->v[i].lead);
    }
    free(c->v);
}

/* One row of counts: R, A, G, C, overdue, stale. */
static void count_cells(const struct rag_counts *rc, char buf[6][12], const char **cells)
{
    int v[6] = {rc->n[RAG_RED], rc->n[RAG_AMBER], rc->n[RAG_GREEN], rc->n[RAG_COMPLETE],
                rc->overdue, rc->stale};
    for (int i = 0; i < 6; i++) {
        snprintf(buf[i], 12, "%d", v[i]);
        cells[i] = buf[i];
    }
}

static const char *const count_header[] = {NULL, "R", "A", "G", "C", "Overdue", "Stale"};
static const bool count_right[] = {false, true, true, true, true, true, true};

static int write_counts(struct store *st, const struct report_opts *o, struct doc *d,
                        const struct agency *ag, size_t n_ag, char *err)
{
    enum report_format f = o->format;
    struct rag_counts by_strand[STRAND_COUNT];
    if (store_count_strands(st, o->rag, o->today, by_strand, err) != 0)
        return -1;
    struct rag_counts *by_agency = xcalloc(n_ag ? n_ag : 1, sizeof *by_agency);
    if (store_count_agencies(st, o->rag, o->today, ag, n_ag, by_agency, err) != 0) {
        free(by_agency);
        return -1;
    }
    const char *header[7];
    memcpy(header, count_header, sizeof header);

    doc_heading(d, "By strand");
    struct rag_counts total = {0};
    char buf[STRAND_COUNT + 1][6][12];
    const char *cells[(STRAND_COUNT + 1) * 7];
    for (int s = 0; s <= STRAND_COUNT; s++) {
        const struct rag_counts *rc = s < STRAND_COUNT ? &by_strand[s] : &total;
        if (s < STRAND_COUNT) {
            for (int r = 0; r < RAG_COUNT; r++)
                total.n[r] += rc->n[r];
            total.overdue += rc->overdue;
            total.stale += rc->stale;
        }
        cells[s * 7] = s < STRAND_COUNT ? strands[s].name : "All";
        count_cells(rc, buf[s], &cells[s * 7 + 1]);
    }
    header[0] = "Strand";
    doc_table(d, 7, header, count_right, cells, STRAND_COUNT + 1);

    doc_heading(d, "By lead agency");
    char (*abuf)[6][12] = xcalloc(n_ag ? n_ag : 1, sizeof *abuf);
    const char **acells = xcalloc(n_ag ? n_ag * 7 : 1, sizeof *acells);
    struct strbuf *names = xcalloc(n_ag ? n_ag : 1, sizeof *names);
    for (size_t i = 0; i < n_ag; i++) {
        rep_agency(&names[i], f, ag, n_ag, ag[i].code);
        acells[i * 7] = names[i].buf;
        count_cells(&by_agency[i], abuf[i], &acells[i * 7 + 1]);
    }
    header[0] = "Lead agency";
    doc_table(d, 7, header, count_right, acells, n_ag);
    for (size_t i = 0; i < n_ag; i++)
        sb_free(&names[i]);
    free(names);
    free(acells);
    free(abuf);
    free(by_agency);
    return 0;
}

/* "PV-2.2 Title (lead WMP)" */
static void describe(struct strbuf *sb, enum report_format f, const struct hl_action *h)
{
    rep_text(sb, f, h->ref);
    sb_add(sb, " ");
    rep_text(sb, f, h->title);
    if (h->confidential)
        sb_add(sb, " [confidential]");
    sb_add(sb, " (lead ");
    if (str_blank(h->lead))
        sb_add(sb, "none");
    else
        rep_text(sb, f, h->lead);
    sb_add(sb, ")");
}

/* Whether an action may be named in a list; marks those left out. */
static bool listable(const struct report_opts *o, struct hl_action *h)
{
    if (!h->confidential || o->include_confidential)
        return true;
    h->withheld = true;
    return false;
}

static void write_direction(const struct report_opts *o, struct doc *d, const struct hl *c,
                            const struct snapshot *snap)
{
    enum report_format f = o->format;
    struct strbuf sb = {0};
    char date[DATE_LONG_BUF];
    if (!snap->meeting) {
        doc_heading(d, "Direction of travel");
        doc_para(d, "No meeting has been closed yet, so there is nothing to compare with.");
        return;
    }
    sb_add(&sb, "Direction of travel since ");
    sb_add(&sb, date_long(snap->date, false, date));
    doc_heading(d, sb.buf);
    sb_free(&sb);
    if (snap->n == 0) {
        doc_para(d, "No ratings were kept when that meeting closed, so there is nothing to "
                    "compare with.");
        return;
    }
    int n[3] = {0}, fresh = 0, closed = 0; /* worse, same, better */
    for (size_t i = 0; i < c->n; i++) {
        struct hl_action *h = &c->v[i];
        if (h->since.is_new) {
            fresh++;
            continue;
        }
        closed += h->since.closed;
        if (h->since.before != RAG_NONE && h->rag != RAG_NONE)
            n[h->since.direction + 1]++;
    }
    static const char *const labels[3] = {"Worse", "Same", "Better"};
    static const int order[3] = {2, 0, 1};
    for (int k = 0; k < 3; k++) {
        int dir = order[k] - 1;
        sb_addf(&sb, "%s (%s): %d", labels[order[k]], direction_arrow(dir), n[order[k]]);
        doc_item(d, 0, sb.buf);
        sb_free(&sb);
        if (dir == 0)
            continue;
        for (size_t i = 0; i < c->n; i++) {
            struct hl_action *h = &c->v[i];
            if (h->since.is_new || h->since.direction != dir || h->since.before == RAG_NONE ||
                h->rag == RAG_NONE || !listable(o, h))
                continue;
            describe(&sb, f, h);
            sb_addf(&sb, ": %c to %c", rag_letter(h->since.before), rag_letter(h->rag));
            doc_item(d, 1, sb.buf);
            sb_free(&sb);
        }
    }
    sb_addf(&sb, "New actions: %d", fresh);
    doc_item(d, 0, sb.buf);
    sb_free(&sb);
    for (size_t i = 0; i < c->n; i++) {
        struct hl_action *h = &c->v[i];
        if (!h->since.is_new || !listable(o, h))
            continue;
        describe(&sb, f, h);
        sb_addf(&sb, ": %c", rag_letter(h->rag));
        doc_item(d, 1, sb.buf);
        sb_free(&sb);
    }
    sb_addf(&sb, "Closed (complete or cancelled): %d", closed);
    doc_item(d, 0, sb.buf);
    sb_free(&sb);
    for (size_t i = 0; i < c->n; i++) {
        struct hl_action *h = &c->v[i];
        if (h->since.is_new || !h->since.closed || !listable(o, h))
            continue;
        describe(&sb, f, h);
        sb_addf(&sb, ": %s", h->rag == RAG_NONE ? "cancelled" : "complete");
        doc_item(d, 1, sb.buf);
        sb_free(&sb);
    }
}

/* Indexes of the actions with flag set, most days first. */
struct ranked {
    size_t i;
    int days;
};

static int by_days(const void *x, const void *y)
{
    const struct ranked *a = x, *b = y;
    if (a->days != b->days)
        return a->days > b->days ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

static void write_list(const struct report_opts *o, struct doc *d, const struct hl *c,
                       bool stale)
{
    struct strbuf sb = {0};
    if (stale)
        sb_addf(&sb, "Stale: no update for more than %d days", o->rag->stale_days);
    else
        sb_add(&sb, "Overdue");
    doc_heading(d, sb.buf);
    sb_free(&sb);
    struct ranked *r = xcalloc(c->n ? c->n : 1, sizeof *r);
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++) {
        struct hl_action *h = &c->v[i];
        if (!(stale ? h->stale : h->overdue) || !listable(o, h))
            continue;
        r[n++] = (struct ranked){i, stale ? h->quiet_days : h->overdue_days};
    }
    qsort(r, n, sizeof *r, by_days);
    for (size_t k = 0; k < n; k++) {
        describe(&sb, o->format, &c->v[r[k].i]);
        sb_add(&sb, ": ");
        sb_addf(&sb, "%d" REP_NBSP "%s", r[k].days, r[k].days == 1 ? "day" : "days");
        sb_add(&sb, stale ? " without an update" : " overdue");
        doc_item(d, 0, sb.buf);
        sb_free(&sb);
    }
    if (n == 0)
        doc_para(d, "None.");
    free(r);
}

static void write_top(struct store *st, const struct report_opts *o, struct doc *d)
{
    enum report_format f = o->format;
    doc_title(d, "Highlight report");
    struct partnership p;
    char err[RB_ERRLEN], date[DATE_LONG_BUF];
    struct strbuf sb = {0};
    if (store_partnership(st, &p, err) == 0) {
        rep_text(&sb, f, str_blank(p.name) ? "not set" : p.name);
        doc_field(d, "Partnership", sb.buf);
        sb_free(&sb);
        rep_text(&sb, f, str_blank(p.plan_title) ? "not set" : p.plan_title);
        doc_field(d, "Plan", sb.buf);
        sb_free(&sb);
        doc_field(d, "National threat level", threat_word(p.threat));
        partnership_free(&p);
    }
    doc_field(d, "Date", date_long(o->today, true, date));
}

int report_highlight(struct store *st, const struct report_opts *o, FILE *out, char *err)
{
    if (o->format == REPORT_CSV)
        return rb_fail(err, "the highlight report is written as Markdown or text, not CSV");
    bool began = report_read_begin(st);
    struct snapshot snap;
    struct hl c = {.o = o, .snap = &snap};
    struct agency *ag = NULL;
    size_t n_ag = 0;
    int rc = snapshot_load_last(st, &snap, err);
    if (rc != 0) {
        report_read_end(st, began);
        return -1;
    }
    rc = store_actions_each(st, NULL, o->rag, o->today, collect, &c, err);
    if (rc == 0)
        rc = store_agencies(st, &ag, &n_ag, err);
    if (rc == 0) {
        struct doc d;
        doc_init(&d, out, o->format);
        write_top(st, o, &d);
        rc = write_counts(st, o, &d, ag, n_ag, err);
        if (rc == 0) {
            write_direction(o, &d, &c, &snap);
            write_list(o, &d, &c, false);
            write_list(o, &d, &c, true);
            int withheld = 0;
            for (size_t i = 0; i < c.n; i++)
                withheld += c.v[i].withheld;
            if (withheld > 0) {
                struct strbuf sb = {0};
                rep_count(&sb, withheld, "confidential action is", "confidential actions are");
                sb_add(&sb, " counted above but not named.");
                doc_para(&d, sb.buf);
                sb_free(&sb);
            }
        }
        if (rc == 0 && ferror(out))
            rc = rb_fail(err, "could not write the highlight report");
    }
    agencies_free(ag, n_ag);
    hl_free(&c);
    snapshot_free(&snap);
    report_read_end(st, began);
    return rc;
}

/* The exception report: every action rated Red, why, who leads it, and the corrective
 * action or decision recorded for it in a meeting. */
#include "ragboard/report.h"

#include <stdlib.h>
#include <string.h>

#include "report_util.h"
#include "store_internal.h"

/* A Red action, copied out of the store's read. */
struct red {
    int64_t id;
    char *ref, *title, *strand, *lead, *owner;
    rb_day due;
    char reason[RAG_REASON_LEN];
    bool confidential;
    char *decision; /* newest decision minute, or NULL */
    rb_day decided; /* the date of the meeting that recorded it */
};

struct collect {
    struct red *v;
    size_t n, cap;
    int hidden;
    bool include_confidential;
};

static int collect_red(const struct action *a, void *p)
{
    struct collect *c = p;
    if (a->rag.rag != RAG_RED)
        return 0;
    if (a->confidential && !c->include_confidential) {
        c->hidden++;
        return 0;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->v = xrealloc(c->v, c->cap * sizeof *c->v);
    }
    struct red *r = &c->v[c->n++];
    memset(r, 0, sizeof *r);
    r->id = a->id;
    r->ref = xstrdup(a->ref);
    r->title = xstrdup(a->title);
    r->strand = xstrdup(a->strand);
    r->lead = xstrdup(a->lead ? a->lead : "");
    r->owner = xstrdup(a->owner ? a->owner : "");
    r->due = a->due;
    memcpy(r->reason, a->rag.reason, sizeof r->reason);
    r->confidential = a->confidential;
    r->decided = RB_NO_DATE;
    return 0;
}

static void reds_free(struct collect *c)
{
    for (size_t i = 0; i < c->n; i++) {
        struct red *r = &c->v[i];
        free(r->ref);
        free(r->title);
        free(r->strand);
        free(r->lead);
        free(r->owner);
        free(r->decision);
    }
    free(c->v);
}

/* The newest decision recorded for each action, with its meeting's date. */
static int find_decisions(struct store *st, struct collect *c, char *err)
{
    sqlite3_stmt *s;
    if (store_prepare(st,
                      "SELECT m.text, g.date FROM minute_entries m "
                      "JOIN meetings g ON g.id = m.meeting_id "
                      "WHERE m.action_id = ? AND m.kind = 'decision' "
                      "ORDER BY g.date DESC, m.created_at DESC, m.seq DESC LIMIT 1",
                      &s, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < c->n; i++) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, c->v[i].id);
        int step = sqlite3_step(s);
        if (step == SQLITE_ROW) {
            c->v[i].decision = col_text(s, 0, false);
            c->v[i].decided = col_date(s, 1);
        } else if (step != SQLITE_DONE) {
            rc = store_error(st, "reading decisions", err);
        }
    }
    sqlite3_finalize(s);
    return rc;
}

static void write_csv(const struct collect *c, const struct agency *ag, size_t n_ag, FILE *out)
{
    static const char *const header[] = {"ref",   "title",  "strand",          "lead",
                                         "lead_name", "owner", "due",         "rag",
                                         "rag_reason", "corrective_action", "decided_on",
                                         "confidential"};
    size_t nh = sizeof header / sizeof header[0];
    csv_bom(out);
    for (size_t i = 0; i < nh; i++)
        csv_cell(out, header[i], i + 1 == nh);
    for (size_t i = 0; i < c->n; i++) {
        const struct red *r = &c->v[i];
        const char *lead_name = "";
        for (size_t k = 0; k < n_ag; k++)
            if (strcmp(ag[k].code, r->lead) == 0)
                lead_name = ag[k].name;
        int si = strand_index(r->strand);
        char due[RB_DATE_BUF], decided[RB_DATE_BUF];
        const char *cells[] = {r->ref,
                               r->title,
                               si >= 0 ? strands[si].name : r->strand,
                               r->lead,
                               lead_name,
                               r->owner,
                               date_format_iso(r->due, due),
                               rag_word(RAG_RED),
                               r->reason,
                               r->decision ? r->decision : "",
                               date_format_iso(r->decided, decided),
                               r->confidential ? "yes" : "no"};
        for (size_t k = 0; k < nh; k++)
            csv_cell(out, cells[k], k + 1 == nh);
    }
}

static void write_doc(struct store *st, const struct report_opts *o, const struct collect *c,
                      const struct agency *ag, size_t n_ag, FILE *out)
{
    enum report_format f = o->format;
    struct doc d;
    doc_init(&d, out, f);
    doc_title(&d, "Exception report: Red actions");
    struct strbuf sb = {0};
    struct partnership p;
    char err[RB_ERRLEN], date[DATE_LONG_BUF];
    if (store_partnership(st, &p, err) == 0) {
        rep_text(&sb, f, p.name);
        if (!str_blank(p.plan_title)) {
            sb_add(&sb, sb.len ? ": " : "");
            rep_text(&sb, f, p.plan_title);
        }
        if (sb.len)
            doc_para(&d, sb.buf);
        sb_free(&sb);
        partnership_free(&p);
    }
    doc_field(&d, "Date", date_long(o->today, true, date));
    if (c->n == 0)
        sb_add(&sb, "No action is rated Red.");
    else
        rep_count(&sb, (int)c->n, "action is rated Red.", "actions are rated Red.");
    doc_para(&d, sb.buf);
    sb_free(&sb);

    if (c->n > 0)
        doc_heading(&d, "Red actions");
    for (size_t i = 0; i < c->n; i++) {
        const struct red *r = &c->v[i];
        rep_text(&sb, f, r->ref);
        sb_add(&sb, " ");
        rep_text(&sb, f, r->title);
        if (r->confidential)
            sb_add(&sb, " [confidential]");
        doc_subheading(&d, sb.buf);
        sb_free(&sb);

        sb_add(&sb, "Why Red: ");
        rep_text(&sb, f, r->reason);
        doc_item(&d, 0, sb.buf);
        sb_free(&sb);
        sb_add(&sb, "Lead: ");
        rep_agency(&sb, f, ag, n_ag, r->lead);
        if (!str_blank(r->owner)) {
            sb_add(&sb, "; lead officer: ");
            rep_text(&sb, f, r->owner);
        }
        doc_item(&d, 0, sb.buf);
        sb_free(&sb);
        sb_add(&sb, "Due: ");
        sb_add(&sb, r->due == RB_NO_DATE ? "ongoing" : date_long(r->due, false, date));
        doc_item(&d, 0, sb.buf);
        sb_free(&sb);
        sb_add(&sb, "Corrective action: ");
        if (r->decision) {
            rep_text(&sb, f, r->decision);
            sb_add(&sb, " (decided at the meeting of ");
            sb_add(&sb, date_long(r->decided, false, date));
            sb_add(&sb, ")");
        } else {
            sb_add(&sb, "none recorded");
        }
        doc_item(&d, 0, sb.buf);
        sb_free(&sb);
    }
    if (c->hidden > 0) {
        rep_count(&sb, c->hidden, "confidential Red action is", "confidential Red actions are");
        sb_add(&sb, " not shown.");
        doc_para(&d, sb.buf);
        sb_free(&sb);
    }
}

int report_exceptions(struct store *st, const struct report_opts *o, FILE *out, char *err)
{
    struct collect c = {.include_confidential = o->include_confidential};
    struct agency *ag = NULL;
    size_t n_ag = 0;
    bool began = report_read_begin(st);
    int rc = store_actions_each(st, NULL, o->rag, o->today, collect_red, &c, err);
    if (rc == 0)
        rc = find_decisions(st, &c, err);
    if (rc == 0)
        rc = store_agencies(st, &ag, &n_ag, err);
    if (rc == 0) {
        if (o->format == REPORT_CSV)
            write_csv(&c, ag, n_ag, out);
        else
            write_doc(st, o, &c, ag, n_ag, out);
        if (ferror(out))
            rc = rb_fail(err, "could not write the exception report");
    }
    agencies_free(ag, n_ag);
    reds_free(&c);
    report_read_end(st, began);
    return rc;
}

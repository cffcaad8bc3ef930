/* The minutes of a meeting, as a clerk would circulate them: attendance, the actions
 * discussed with what was said and agreed, new actions, standing items, summary counts. */
#include "ragboard/report.h"

#include <stdlib.h>
#include <string.h>

#include "ragboard/edit.h"
#include "ragboard/meeting.h"
#include "report_util.h"
#include "store_internal.h"

/* An action the minutes mention, read once. */
struct mention {
    int64_t id;
    bool exists; /* false: deleted since */
    struct action a;
};

struct minutes {
    struct store *st;
    const struct report_opts *o;
    enum report_format f;
    struct meeting m;
    struct meeting prev; /* the closed meeting before this one (id 0 when none) */
    struct snapshot own; /* kept when this meeting closed (n = 0 when none) */
    struct snapshot before; /* kept when prev closed */
    struct attendee *att;
    size_t n_att;
    struct minute_entry *e;
    size_t n_e;
    bool *hide;            /* per entry: left out of these minutes */
    struct mention *acts;
    size_t n_acts;
    struct agency *ag;
    size_t n_ag;
    int hidden_items;      /* confidential actions and entries left out */
    char *err;
};

static struct mention *mention_of(struct minutes *c, int64_t id)
{
    for (size_t i = 0; i < c->n_acts; i++)
        if (c->acts[i].id == id)
            return &c->acts[i];
    return NULL;
}

static int read_mention(struct minutes *c, int64_t id)
{
    if (id == 0 || mention_of(c, id))
        return 0;
    c->acts = xrealloc(c->acts, (c->n_acts + 1) * sizeof *c->acts);
    struct mention *m = &c->acts[c->n_acts];
    memset(m, 0, sizeof *m);
    m->id = id;
    int rc = store_action_get(c->st, id, c->o->rag, c->o->today, &m->a, c->err);
    if (rc < 0)
        return -1;
    m->exists = rc == 0;
    c->n_acts++;
    return 0;
}

/* An entry is about an action when it names one, or when the action it named has been
 * deleted (then only its kind tells: standing items are notes). */
static bool about_action(const struct minute_entry *e)
{
    return e->action_id != 0 || e->kind != MINUTE_NOTE;
}

/* True when the update minute repeats a confidential progress update of its action. */
static int repeats_confidential(struct minutes *c, sqlite3_stmt *s, const struct minute_entry *e,
                                bool *out)
{
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, e->action_id);
    sqlite3_bind_text(s, 2, e->text, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(s);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return store_error(c->st, "reading updates", c->err);
    *out = step == SQLITE_ROW;
    return 0;
}

/* Decide what is left out: entries of confidential (or deleted) actions, and update
 * minutes that repeat a confidential update, unless confidential content is wanted. */
static int mark_hidden(struct minutes *c)
{
    c->hide = xcalloc(c->n_e ? c->n_e : 1, sizeof *c->hide);
    sqlite3_stmt *s;
    if (store_prepare(c->st,
                      "SELECT 1 FROM updates WHERE action_id = ?1 AND confidential = 1 AND "
                      "length(text) > 0 AND (instr(?2, text) > 0 OR instr(text, ?2) > 0) "
                      "LIMIT 1",
                      &s, c->err) != 0)
        return -1;
    int64_t *counted = xcalloc(c->n_e ? c->n_e : 1, sizeof *counted);
    size_t n_counted = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < c->n_e; i++) {
        struct minute_entry *e = &c->e[i];
        if (!about_action(e))
            continue;
        const struct mention *m = mention_of(c, e->action_id);
        bool secret_action = !m || !m->exists || m->a.confidential;
        bool secret = secret_action;
        if (!secret && e->kind == MINUTE_UPDATE)
            rc = repeats_confidential(c, s, e, &secret);
        e->confidential = secret;
        if (!secret || c->o->include_confidential)
            continue;
        c->hide[i] = true;
        /* A confidential action counts once however many entries it has. */
        if (secret_action) {
            bool seen = false;
            for (size_t k = 0; k < n_counted && !seen; k++)
                seen = counted[k] == e->action_id;
            if (seen && e->action_id != 0)
                continue;
            counted[n_counted++] = e->action_id;
        }
        c->hidden_items++;
    }
    free(counted);
    sqlite3_finalize(s);
    return rc;
}

static void add_date(struct strbuf *sb, rb_day d, bool weekday)
{
    char buf[DATE_LONG_BUF];
    sb_add(sb, date_long(d, weekday, buf));
}

/* ---- header and attendance ---- */

static void write_header(struct minutes *c, struct doc *d)
{
    struct strbuf sb = {0};
    rep_text(&sb, c->f, c->m.title);
    doc_title(d, sb.buf ? sb.buf : "Minutes");
    sb_free(&sb);

    struct partnership p;
    char err[RB_ERRLEN];
    if (store_partnership(c->st, &p, err) == 0) {
        if (!str_blank(p.name)) {
            rep_text(&sb, c->f, p.name);
            doc_para(d, sb.buf);
            sb_free(&sb);
        }
        partnership_free(&p);
    }
    add_date(&sb, c->m.date, true);
    doc_field(d, "Date", sb.buf);
    sb_free(&sb);
    rep_text(&sb, c->f, str_blank(c->m.chair) ? "not recorded" : c->m.chair);
    doc_field(d, "Chair", sb.buf);
    sb_free(&sb);
    if (!c->m.closed_at)
        doc_field(d, "Status", "draft: the meeting is still open");
}

static void write_attendance(struct minutes *c, struct doc *d)
{
    static const char *const headings[ATTEND_COUNT] = {"Present", "Apologies", "Absent"};
    for (int status = 0; status < ATTEND_COUNT; status++) {
        doc_heading(d, headings[status]);
        int n = 0;
        for (size_t i = 0; i < c->n_att; i++) {
            const struct attendee *a = &c->att[i];
            if ((int)a->status != status)
                continue;
            struct strbuf sb = {0};
            rep_agency(&sb, c->f, c->ag, c->n_ag, a->agency);
            if (!str_blank(a->names) && status != ATTEND_ABSENT) {
                sb_add(&sb, ": ");
                rep_text(&sb, c->f, a->names);
            }
            doc_item(d, 0, sb.buf);
            sb_free(&sb);
            n++;
        }
        if (n == 0)
            doc_para(d, "None.");
    }
}

/* ---- actions reviewed ---- */

static const struct snapshot_row *row_in(const struct snapshot *s, int64_t id)
{
    return s->n ? snapshot_find(s, id) : NULL;
}

/* "R (Red)", or "cancelled" for an action that no longer counts. */
static void rag_phrase(struct strbuf *sb, enum rag r)
{
    if (r == RAG_NONE)
        sb_add(sb, "cancelled");
    else
        sb_addf(sb, "%c (%s)", rag_letter(r), rag_word(r));
}

/* "RAG: R (Red), worse since 3 February 2026, when it was A (Amber)" */
static void rag_line(struct minutes *c, struct strbuf *sb, const struct action *a)
{
    struct action now = *a;
    const struct snapshot_row *at_close = row_in(&c->own, a->id);
    if (at_close) {
        now.rag.rag = at_close->rag;
        now.progress = at_close->progress;
        now.state = at_close->state;
        now.n_updates = at_close->updates;
    }
    /* A closed meeting that kept no ratings can only show today's. */
    sb_add(sb, !at_close && c->m.closed_at ? "RAG today: " : "RAG: ");
    rag_phrase(sb, now.rag.rag);
    if (!c->prev.id || c->before.n == 0)
        return;
    const struct snapshot_row *then = snapshot_find(&c->before, a->id);
    struct since since;
    since_compute(then, &now, &since);
    if (since.is_new) {
        sb_add(sb, ", new since ");
        add_date(sb, c->prev.date, false);
    } else if (since.direction == 0 && since.before == now.rag.rag) {
        sb_add(sb, ", same as on ");
        add_date(sb, c->prev.date, false);
    } else {
        /* A move to or from cancelled is neither better nor worse. */
        sb_addf(sb, ", %s since ", since.direction ? direction_word(since.direction) : "changed");
        add_date(sb, c->prev.date, false);
        sb_add(sb, ", when it was ");
        rag_phrase(sb, since.before);
    }
}

static bool says_no_change(const char *t)
{
    static const char *const plain[] = {"reviewed", "reviewed, no change",
                                        "reviewed, no change.", "no change", "no change."};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (str_ieq(t, plain[i]))
            return true;
    return false;
}

static void entry_line(struct minutes *c, struct strbuf *sb, const struct minute_entry *e)
{
    switch (e->kind) {
    case MINUTE_UPDATE: sb_add(sb, "Progress update: "); break;
    case MINUTE_RAG: sb_add(sb, "RAG change: "); break;
    case MINUTE_DECISION: sb_add(sb, "Decision: "); break;
    case MINUTE_REVIEWED:
        sb_add(sb, says_no_change(e->text) ? "Reviewed, no change" : "Reviewed, no change: ");
        break;
    case MINUTE_NEW_ACTION: sb_add(sb, "New action: "); break;
    case MINUTE_NOTE: sb_add(sb, "Note: "); break;
    }
    if (e->kind != MINUTE_REVIEWED || !says_no_change(e->text))
        rep_text(sb, c->f, e->text);
    if (e->confidential)
        sb_add(sb, " [confidential]");
}

/* Counts for the summary. */
struct tally {
    int items, updates, rag_changes, decisions, new_actions, reviewed;
};

static void write_items(struct minutes *c, struct doc *d, struct tally *t)
{
    doc_heading(d, "Actions reviewed");
    /* In the order discussed: by each action's first entry. */
    for (size_t i = 0; i < c->n_e; i++) {
        const struct minute_entry *e = &c->e[i];
        if (c->hide[i] || !about_action(e) || e->kind == MINUTE_NEW_ACTION)
            continue;
        bool first = true;
        for (size_t k = 0; k < i && first; k++)
            first = !(about_action(&c->e[k]) && c->e[k].kind != MINUTE_NEW_ACTION &&
                      !c->hide[k] && c->e[k].action_id == e->action_id);
        if (!first)
            continue;
        t->items++;
        const struct mention *m = mention_of(c, e->action_id);
        struct strbuf sb = {0};
        if (m && m->exists) {
            rep_text(&sb, c->f, m->a.ref);
            sb_add(&sb, " ");
            rep_text(&sb, c->f, m->a.title);
            if (m->a.confidential)
                sb_add(&sb, " [confidential]");
        } else {
            rep_text(&sb, c->f, e->action_ref ? e->action_ref : "An action since deleted");
        }
        doc_subheading(d, sb.buf);
        sb_free(&sb);
        if (m && m->exists) {
            sb_add(&sb, "Lead: ");
            rep_agency(&sb, c->f, c->ag, c->n_ag, m->a.lead);
            if (!str_blank(m->a.owner)) {
                sb_add(&sb, "; lead officer: ");
                rep_text(&sb, c->f, m->a.owner);
            }
            doc_item(d, 0, sb.buf);
            sb_free(&sb);
            rag_line(c, &sb, &m->a);
            doc_item(d, 0, sb.buf);
            sb_free(&sb);
        }
        for (size_t k = i; k < c->n_e; k++) {
            const struct minute_entry *x = &c->e[k];
            if (c->hide[k] || !about_action(x) || x->kind == MINUTE_NEW_ACTION ||
                x->action_id != e->action_id)
                continue;
            t->updates += x->kind == MINUTE_UPDATE;
            t->rag_changes += x->kind == MINUTE_RAG;
            t->decisions += x->kind == MINUTE_DECISION;
            t->reviewed += x->kind == MINUTE_REVIEWED;
            entry_line(c, &sb, x);
            doc_item(d, 0, sb.buf);
            sb_free(&sb);
        }
    }
    if (t->items == 0)
        doc_para(d, "No actions were discussed.");
}

static void write_new_actions(struct minutes *c, struct doc *d, struct tally *t)
{
    doc_heading(d, "New actions agreed");
    for (size_t i = 0; i < c->n_e; i++) {
        const struct minute_entry *e = &c->e[i];
        if (c->hide[i] || e->kind != MINUTE_NEW_ACTION)
            continue;
        t->new_actions++;
        const struct mention *m = mention_of(c, e->action_id);
        struct strbuf sb = {0};
        if (m && m->exists) {
            rep_text(&sb, c->f, m->a.ref);
            sb_add(&sb, " ");
            rep_text(&sb, c->f, m->a.title);
            if (m->a.confidential)
                sb_add(&sb, " [confidential]");
            sb_add(&sb, ". Lead: ");
            rep_agency(&sb, c->f, c->ag, c->n_ag, m->a.lead);
            if (!str_blank(m->a.owner)) {
                sb_add(&sb, "; lead officer: ");
                rep_text(&sb, c->f, m->a.owner);
            }
            sb_add(&sb, "; due ");
            if (m->a.due == RB_NO_DATE)
                sb_add(&sb, "ongoing");
            else
                add_date(&sb, m->a.due, false);
            sb_add(&sb, ".");
        } else {
            sb_add(&sb, "An action since deleted.");
        }
        doc_item(d, 0, sb.buf);
        sb_free(&sb);
        /* The program's own minute repeats the title, lead and date given above. */
        bool same = m && m->exists && !str_blank(m->a.title) && strcasestr(e->text, m->a.title);
        if (!str_blank(e->text) && !same) {
            rep_text(&sb, c->f, e->text);
            doc_item(d, 1, sb.buf);
            sb_free(&sb);
        }
    }
    if (t->new_actions == 0)
        doc_para(d, "None.");
}

/* ---- standing items ---- */

static const char *heading_of(const struct minute_entry *e)
{
    return str_blank(e->heading) ? "Notes" : e->heading;
}

static void write_standing(struct minutes *c, struct doc *d)
{
    doc_heading(d, "Standing items");
    int n = 0;
    for (size_t i = 0; i < c->n_e; i++) {
        const struct minute_entry *e = &c->e[i];
        if (c->hide[i] || about_action(e))
            continue;
        /* Each heading once, where it first came up, with all its notes. */
        bool first = true;
        for (size_t k = 0; k < i && first; k++)
            first = c->hide[k] || about_action(&c->e[k]) ||
                    !str_ieq(heading_of(&c->e[k]), heading_of(e));
        if (!first)
            continue;
        struct strbuf sb = {0};
        rep_text(&sb, c->f, heading_of(e));
        doc_subheading(d, sb.buf);
        sb_free(&sb);
        for (size_t k = i; k < c->n_e; k++) {
            const struct minute_entry *x = &c->e[k];
            if (c->hide[k] || about_action(x) || !str_ieq(heading_of(x), heading_of(e)))
                continue;
            rep_text(&sb, c->f, x->text);
            doc_item(d, 0, sb.buf);
            sb_free(&sb);
            n++;
        }
    }
    if (n == 0)
        doc_para(d, "None.");
}

/* ---- summary ---- */

/* RAG counts per strand: as kept when the meeting closed, or as of today. */
static int strand_counts(struct minutes *c, int counts[STRAND_COUNT][RAG_COUNT], bool *at_close)
{
    memset(counts, 0, sizeof(int) * STRAND_COUNT * RAG_COUNT);
    *at_close = c->own.n > 0;
    if (!*at_close) {
        struct rag_counts rc[STRAND_COUNT];
        if (store_count_strands(c->st, c->o->rag, c->o->today, rc, c->err) != 0)
            return -1;
        for (int s = 0; s < STRAND_COUNT; s++)
            for (int r = 0; r < RAG_COUNT; r++)
                counts[s][r] = rc[s].n[r];
        return 0;
    }
    sqlite3_stmt *s;
    if (store_prepare(c->st,
                      "SELECT a.strand, n.rag FROM meeting_snapshots n "
                      "JOIN actions a ON a.id = n.action_id WHERE n.meeting_id = ?",
                      &s, c->err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, c->m.id);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        int strand = strand_index((const char *)sqlite3_column_text(s, 0));
        const char *letter = (const char *)sqlite3_column_text(s, 1);
        enum rag r;
        if (strand >= 0 && letter && rag_parse(letter, &r) && r != RAG_NONE)
            counts[strand][r]++;
    }
    int rc = step == SQLITE_DONE ? 0 : store_error(c->st, "reading the snapshot", c->err);
    sqlite3_finalize(s);
    return rc;
}

static int write_summary(struct minutes *c, struct doc *d, const struct tally *t)
{
    doc_heading(d, "Summary");
    char n[6][16];
    snprintf(n[0], sizeof n[0], "%d", t->items);
    snprintf(n[1], sizeof n[1], "%d", t->updates);
    snprintf(n[2], sizeof n[2], "%d", t->rag_changes);
    snprintf(n[3], sizeof n[3], "%d", t->decisions);
    snprintf(n[4], sizeof n[4], "%d", t->new_actions);
    snprintf(n[5], sizeof n[5], "%d", t->reviewed);
    doc_field(d, "Actions reviewed", n[0]);
    doc_field(d, "Progress updates", n[1]);
    doc_field(d, "RAG changes", n[2]);
    doc_field(d, "Decisions", n[3]);
    doc_field(d, "Reviewed with no change", n[5]);
    doc_field(d, "New actions", n[4]);

    int counts[STRAND_COUNT][RAG_COUNT];
    bool at_close;
    if (strand_counts(c, counts, &at_close) != 0)
        return -1;
    struct strbuf sb = {0};
    if (at_close) {
        sb_add(&sb, "RAG by strand when the meeting closed:");
    } else {
        sb_add(&sb, "RAG by strand on ");
        add_date(&sb, c->o->today, false);
        sb_add(&sb, c->m.closed_at ? " (no ratings were kept when the meeting closed):"
                                   : " (the meeting is still open):");
    }
    doc_para(d, sb.buf);
    sb_free(&sb);
    static const char *const header[] = {"Strand", "R", "A", "G", "C", "Total"};
    static const bool right[] = {false, true, true, true, true, true};
    int total[4] = {0};
    for (int s = 0; s < STRAND_COUNT; s++)
        for (int r = 0; r < 4; r++)
            total[r] += counts[s][r];
    char cellbuf[STRAND_COUNT + 1][5][12];
    const char *cells[(STRAND_COUNT + 1) * 6];
    for (int s = 0; s <= STRAND_COUNT; s++) {
        const int *v = s < STRAND_COUNT ? counts[s] : total;
        cells[s * 6] = s < STRAND_COUNT ? strands[s].name : "All";
        int sum = 0;
        for (int r = 0; r < 4; r++) {
            sum += v[r];
            snprintf(cellbuf[s][r], sizeof cellbuf[s][r], "%d", v[r]);
            cells[s * 6 + 1 + r] = cellbuf[s][r];
        }
        snprintf(cellbuf[s][4], sizeof cellbuf[s][4], "%d", sum);
        cells[s * 6 + 5] = cellbuf[s][4];
    }
    doc_table(d, 6, header, right, cells, STRAND_COUNT + 1);

    if (c->hidden_items > 0) {
        rep_count(&sb, c->hidden_items, "confidential item is", "confidential items are");
        sb_add(&sb, " not shown.");
        doc_para(d, sb.buf);
        sb_free(&sb);
    }
    return 0;
}

static void minutes_free(struct minutes *c)
{
    meeting_free(&c->m);
    meeting_free(&c->prev);
    snapshot_free(&c->own);
    snapshot_free(&c->before);
    attendees_free(c->att, c->n_att);
    minute_entries_free(c->e, c->n_e);
    free(c->hide);
    for (size_t i = 0; i < c->n_acts; i++)
        if (c->acts[i].exists)
            action_free(&c->acts[i].a);
    free(c->acts);
    agencies_free(c->ag, c->n_ag);
}

static int load(struct minutes *c, int64_t meeting)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)meeting);
    int rc = meeting_find(c->st, id, &c->m, c->err);
    if (rc == STORE_NOT_FOUND)
        return rb_fail(c->err, "there is no meeting %s", id);
    if (rc != 0)
        return -1;
    rc = meeting_last_closed(c->st, meeting, &c->prev, c->err);
    if (rc == STORE_NOT_FOUND)
        memset(&c->prev, 0, sizeof c->prev);
    else if (rc != 0)
        return -1;
    if (report_snapshot_of(c->st, &c->m, &c->own, c->err) != 0)
        return -1;
    if (c->prev.id && report_snapshot_of(c->st, &c->prev, &c->before, c->err) != 0)
        return -1;
    if (meeting_attendance(c->st, meeting, &c->att, &c->n_att, c->err) != 0 ||
        meeting_entries(c->st, meeting, &c->e, &c->n_e, c->err) != 0 ||
        store_agencies(c->st, &c->ag, &c->n_ag, c->err) != 0)
        return -1;
    for (size_t i = 0; i < c->n_e; i++)
        if (read_mention(c, c->e[i].action_id) != 0)
            return -1;
    return mark_hidden(c);
}

int report_minutes(struct store *st, int64_t meeting, const struct report_opts *o, FILE *out,
                   char *err)
{
    if (o->format == REPORT_CSV)
        return rb_fail(err, "minutes are written as Markdown or text, not CSV");
    struct minutes c = {.st = st, .o = o, .f = o->format, .err = err};
    bool began = report_read_begin(st);
    int rc = load(&c, meeting);
    if (rc == 0) {
        struct doc d;
        doc_init(&d, out, o->format);
        struct tally t = {0};
        write_header(&c, &d);
        write_attendance(&c, &d);
        write_items(&c, &d, &t);
        write_new_actions(&c, &d, &t);
        write_standing(&c, &d);
        rc = write_summary(&c, &d, &t);
    }
    if (rc == 0 && ferror(out))
        rc = rb_fail(err, "could not write the minutes");
    minutes_free(&c);
    report_read_end(st, began);
    return rc;
}

int report_close_meeting(struct store *st, int64_t meeting, const struct rag_thresholds *t,
                         rb_day today, char *err)
{
    bool nested;
    if (edit_begin(st, &nested, err) != 0)
        return -1;
    int rc = meeting_close(st, meeting, t, today, NULL, err);
    char *text = NULL;
    size_t len = 0;
    if (rc == 0) {
        /* Rendered inside the transaction, so it sees the snapshot just taken. */
        FILE *f = open_memstream(&text, &len);
        struct report_opts o = {REPORT_MD, true, t, today};
        rc = f ? report_minutes(st, meeting, &o, f, err) : rb_fail(err, "out of memory");
        if (f)
            fclose(f);
    }
    sqlite3_stmt *s;
    if (rc == 0)
        rc = store_prepare(st, "UPDATE meetings SET minutes = ?2 WHERE id = ?1", &s, err);
    if (rc == 0) {
        sqlite3_bind_int64(s, 1, meeting);
        sqlite3_bind_text(s, 2, text ? text : "", -1, SQLITE_TRANSIENT);
        rc = step_done(st, s, "storing the minutes", err);
    }
    free(text);
    return edit_end(st, nested, rc, err);
}

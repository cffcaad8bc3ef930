/* The agenda walk's order, and snapshots for "since the last meeting". */
#include "ragboard/meeting.h"

#include <stdlib.h>
#include <string.h>

#include "ragboard/rag_index.h"
#include "ragboard/util.h"
#include "store_internal.h"

void snapshot_free(struct snapshot *snap)
{
    free(snap->rows);
    memset(snap, 0, sizeof *snap);
}

int snapshot_load_last(struct store *st, struct snapshot *snap, char *err)
{
    memset(snap, 0, sizeof *snap);
    struct meeting m;
    int rc = meeting_last_closed(st, 0, &m, err);
    if (rc == STORE_NOT_FOUND)
        return 0;
    if (rc != 0)
        return -1;
    snap->meeting = m.id;
    snap->date = m.date;
    meeting_free(&m);
    sqlite3_stmt *s;
    if (store_prepare(st,
                      "SELECT action_id, rag, progress, state, updates FROM meeting_snapshots "
                      "WHERE meeting_id = ? ORDER BY action_id",
                      &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, snap->meeting);
    size_t cap = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (snap->n == cap) {
            cap = cap ? cap * 2 : 64;
            snap->rows = xrealloc(snap->rows, cap * sizeof *snap->rows);
        }
        struct snapshot_row *r = &snap->rows[snap->n++];
        r->action_id = sqlite3_column_int64(s, 0);
        snapshot_row_read(s, 1, r);
    }
    sqlite3_finalize(s);
    return 0;
}

void snapshot_row_read(sqlite3_stmt *s, int col, struct snapshot_row *r)
{
    const char *rag = (const char *)sqlite3_column_text(s, col);
    if (!rag || !rag_parse(rag, &r->rag))
        r->rag = RAG_NONE;
    r->progress = sqlite3_column_int(s, col + 1);
    if (!state_parse((const char *)sqlite3_column_text(s, col + 2), &r->state))
        r->state = STATE_IN_PROGRESS;
    r->updates = sqlite3_column_int(s, col + 3);
}

const struct snapshot_row *snapshot_find(const struct snapshot *snap, int64_t action_id)
{
    size_t lo = 0, hi = snap->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (snap->rows[mid].action_id < action_id)
            lo = mid + 1;
        else if (snap->rows[mid].action_id > action_id)
            hi = mid;
        else
            return &snap->rows[mid];
    }
    return NULL;
}

/* How good a rating is, for the direction of travel. */
static int goodness(enum rag r)
{
    switch (r) {
    case RAG_RED: return 0;
    case RAG_AMBER: return 1;
    case RAG_GREEN: return 2;
    case RAG_COMPLETE: return 3;
    default: return -1;
    }
}

static bool is_closed(enum action_state s)
{
    return s == STATE_COMPLETE || s == STATE_CANCELLED;
}

void since_compute(const struct snapshot_row *before, const struct action *now, struct since *out)
{
    memset(out, 0, sizeof *out);
    if (!before) {
        out->is_new = true;
        out->before = RAG_NONE;
        out->updates_added = now->n_updates;
        return;
    }
    out->before = before->rag;
    int b = goodness(before->rag), a = goodness(now->rag.rag);
    out->direction = b < 0 || a < 0 || a == b ? 0 : a > b ? 1 : -1;
    out->progress_change = now->progress - before->progress;
    out->updates_added = now->n_updates - before->updates;
    out->closed = !is_closed(before->state) && is_closed(now->state);
}

const char *direction_word(int direction)
{
    return direction > 0 ? "better" : direction < 0 ? "worse" : "same";
}

const char *direction_arrow(int direction)
{
    return direction > 0 ? "^" : direction < 0 ? "v" : "=";
}

/* ---- taking a snapshot ---- */

struct take_ctx {
    struct store *st;
    int64_t meeting;
    const struct rag_thresholds *t;
    rb_day as_of;
    bool current; /* as_of is today: the action as it stands */
    sqlite3_stmt *past;   /* updates up to as_of */
    sqlite3_stmt *insert;
    char *err;
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

static int take_one(const struct action *a, void *p)
{
    struct take_ctx *c = p;
    enum rag rag = a->rag.rag;
    int progress = a->progress, updates = a->n_updates;
    enum action_state state = a->state;
    if (!c->current) {
        rb_day created = day_of(a->created_at);
        if (created != RB_NO_DATE && created > c->as_of)
            return 0; /* did not exist yet */
        /* Rebuild the action as it stood then, from its dated updates. */
        sqlite3_stmt *s = c->past;
        char iso[RB_DATE_BUF];
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, a->id);
        sqlite3_bind_text(s, 2, date_format_iso(c->as_of, iso), -1, SQLITE_TRANSIENT);
        rb_day last = RB_NO_DATE;
        const char *last_at = NULL;
        char *last_at_copy = NULL;
        int last_progress = -1;
        if (sqlite3_step(s) == SQLITE_ROW) {
            updates = sqlite3_column_int(s, 0);
            last = col_date(s, 1);
            last_at_copy = col_text(s, 2, true);
            last_at = last_at_copy;
            last_progress = sqlite3_column_type(s, 3) == SQLITE_NULL ? -1
                                                                     : sqlite3_column_int(s, 3);
        }
        bool later_updates = updates < a->n_updates;
        if (last_progress >= 0)
            progress = last_progress;
        else if (later_updates)
            progress = 0;
        if (state != STATE_CANCELLED && later_updates)
            state = progress >= 100 ? STATE_COMPLETE
                    : updates > 0   ? STATE_IN_PROGRESS
                                    : STATE_NOT_STARTED;
        bool override_then = a->override != RAG_NONE && a->override_at &&
                             day_of(a->override_at) <= c->as_of;
        struct rag_input in = {
            .state = state,
            .progress = progress,
            .start = a->start,
            .due = a->due,
            .created = day_of(a->created_at),
            .last_update = last,
            .last_update_at = last_at,
            .override = override_then ? a->override : RAG_NONE,
            .override_at = a->override_at,
            .override_by = a->override_by,
            .override_reason = a->override_reason,
        };
        struct rag_result r;
        rag_compute(&in, c->t, c->as_of, &r);
        rag = r.rag;
        free(last_at_copy);
    }
    sqlite3_stmt *ins = c->insert;
    sqlite3_reset(ins);
    char letter[2] = {rag_letter(rag), '\0'};
    sqlite3_bind_int64(ins, 1, c->meeting);
    sqlite3_bind_int64(ins, 2, a->id);
    sqlite3_bind_text(ins, 3, letter, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(ins, 4, progress);
    sqlite3_bind_text(ins, 5, state_code(state), -1, SQLITE_STATIC);
    sqlite3_bind_int(ins, 6, updates);
    if (sqlite3_step(ins) != SQLITE_DONE)
        return store_error(c->st, "saving the meeting snapshot", c->err);
    return 0;
}

int snapshot_take(struct store *st, int64_t meeting, const struct rag_thresholds *t, rb_day as_of,
                  char *err)
{
    struct take_ctx c = {st, meeting, t, as_of, as_of >= date_today(), NULL, NULL, err};
    if (store_prepare(st,
                      "SELECT count(*), max(date), max(created_at), "
                      " (SELECT progress FROM updates v WHERE v.action_id = ?1 AND v.date <= ?2"
                      "  AND v.progress IS NOT NULL ORDER BY v.date DESC, v.created_at DESC"
                      "  LIMIT 1) "
                      "FROM updates WHERE action_id = ?1 AND date <= ?2",
                      &c.past, err) != 0)
        return -1;
    if (store_prepare(st,
                      "INSERT OR REPLACE INTO meeting_snapshots (meeting_id, action_id, rag, "
                      "progress, state, updates) VALUES (?, ?, ?, ?, ?, ?)",
                      &c.insert, err) != 0) {
        sqlite3_finalize(c.past);
        return -1;
    }
    int rc = store_actions_each(st, NULL, t, as_of, take_one, &c, err);
    sqlite3_finalize(c.past);
    sqlite3_finalize(c.insert);
    return rc;
}

/* ---- the agenda ---- */

struct agenda_ctx {
    const struct snapshot *snap;
    const struct agency *agencies;
    size_t n_agencies;
    struct agenda_item *v;
    int *agency_rank; /* parallel to v, for AGENDA_AGENCY */
    size_t n, cap;
};

static int collect(const struct action *a, void *p)
{
    struct agenda_ctx *c = p;
    if (a->state == STATE_CANCELLED)
        return 0;
    enum agenda_group g;
    const struct snapshot_row *before = snapshot_find(c->snap, a->id);
    if (a->state == STATE_COMPLETE) {
        /* Only what was completed since the last meeting is discussed. */
        bool since = c->snap->meeting && (!before || before->state != STATE_COMPLETE);
        if (!since)
            return 0;
        g = GROUP_COMPLETED;
    } else if (a->rag.rag == RAG_RED) {
        g = GROUP_RED;
    } else if (a->rag.rag == RAG_AMBER) {
        g = a->rag.stale && !a->rag.override ? GROUP_STALE : GROUP_AMBER;
    } else if (a->rag.rag == RAG_GREEN) {
        g = GROUP_GREEN;
    } else {
        g = GROUP_OTHER;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->v = xrealloc(c->v, c->cap * sizeof *c->v);
        c->agency_rank = xrealloc(c->agency_rank, c->cap * sizeof *c->agency_rank);
    }
    int rank = (int)c->n_agencies;
    for (size_t i = 0; a->lead && i < c->n_agencies; i++)
        if (strcmp(c->agencies[i].code, a->lead) == 0)
            rank = (int)i;
    c->agency_rank[c->n] = rank;
    c->v[c->n++] = (struct agenda_item){a->id, g};
    return 0;
}

struct sortable {
    struct agenda_item item;
    int key;
    size_t seq; /* the plan's order, for ties */
};

static int by_key(const void *x, const void *y)
{
    const struct sortable *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

int meeting_agenda(struct store *st, enum agenda_order order, const struct rag_thresholds *t,
                   rb_day today, struct agenda_item **out, size_t *n, char *err)
{
    *out = NULL;
    *n = 0;
    struct snapshot snap;
    if (snapshot_load_last(st, &snap, err) != 0)
        return -1;
    struct agenda_ctx c = {.snap = &snap};
    struct agency *ag = NULL;
    size_t n_ag = 0;
    if (store_agencies(st, &ag, &n_ag, err) != 0) {
        snapshot_free(&snap);
        return -1;
    }
    c.agencies = ag;
    c.n_agencies = n_ag;
    int rc = store_actions_each(st, NULL, t, today, collect, &c, err);
    if (rc == 0 && order != AGENDA_REF && c.n > 0) {
        struct sortable *tmp = xcalloc(c.n, sizeof *tmp);
        for (size_t i = 0; i < c.n; i++)
            tmp[i] = (struct sortable){c.v[i],
                                       order == AGENDA_RAG ? (int)c.v[i].group
                                                           : c.agency_rank[i],
                                       i};
        qsort(tmp, c.n, sizeof *tmp, by_key);
        for (size_t i = 0; i < c.n; i++)
            c.v[i] = tmp[i].item;
        free(tmp);
    }
    free(c.agency_rank);
    agencies_free(ag, n_ag);
    snapshot_free(&snap);
    if (rc != 0) {
        free(c.v);
        return -1;
    }
    *out = c.v;
    *n = c.n;
    return 0;
}

static const char *const group_codes[] = {"red", "amber", "stale", "green", "completed",
                                          "other"};

int meeting_items(struct store *st, int64_t meeting, const struct rag_thresholds *t,
                  rb_day today, struct agenda_item **out, size_t *n, char *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s;
    if (store_prepare(st,
                      "SELECT i.action_id, i.grp FROM meeting_items i "
                      "JOIN actions a ON a.id = i.action_id "
                      "WHERE i.meeting_id = ? ORDER BY i.seq",
                      &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, meeting);
    size_t cap = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        enum agenda_group g = GROUP_OTHER;
        const char *code = (const char *)sqlite3_column_text(s, 1);
        for (int k = 0; code && k <= GROUP_OTHER; k++)
            if (strcmp(code, group_codes[k]) == 0)
                g = (enum agenda_group)k;
        (*out)[(*n)++] = (struct agenda_item){sqlite3_column_int64(s, 0), g};
    }
    sqlite3_finalize(s);
    sqlite3_int64 fixed = 0;
    if (store_prepare(st, "SELECT count(*) FROM meeting_items WHERE meeting_id = ?", &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, meeting);
    if (sqlite3_step(s) == SQLITE_ROW)
        fixed = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (fixed > 0)
        return 0;

    /* First time: choose the items in the meeting's order and keep them. */
    free(*out);
    *out = NULL;
    struct meeting m;
    if (one_meeting_by_id(st, meeting, &m, err) != 0)
        return -1;
    struct agenda_item *v;
    size_t count;
    int rc = meeting_agenda(st, m.agenda, t, today, &v, &count, err);
    meeting_free(&m);
    if (rc != 0)
        return -1;
    bool nested;
    if (edit_begin(st, &nested, err) != 0) {
        free(v);
        return -1;
    }
    s = NULL;
    rc = store_prepare(st,
                       "INSERT INTO meeting_items (meeting_id, seq, action_id, grp) "
                       "VALUES (?, ?, ?, ?)",
                       &s, err);
    for (size_t i = 0; rc == 0 && i < count; i++) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, meeting);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
        sqlite3_bind_int64(s, 3, v[i].action_id);
        sqlite3_bind_text(s, 4, group_codes[v[i].group], -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = store_error(st, "saving the meeting's items", err);
    }
    sqlite3_finalize(s);
    if (edit_end(st, nested, rc, err) != 0) {
        free(v);
        return -1;
    }
    *out = v;
    *n = count;
    return 0;
}

int since_count_strands(struct store *st, const struct rag_thresholds *t, rb_day today,
                        struct since_counts out[STRAND_COUNT], rb_day *baseline, char *err)
{
    /* Kept per action in the RAG index, so the board never rates the whole plan. */
    return rag_index_since_counts(st, t, today, out, baseline, err);
}

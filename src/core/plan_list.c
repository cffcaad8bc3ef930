/* The rows of an action list: one scan of one index of the RAG index (rag_index.c),
 * filtered, searched with FTS5 and in order; only the rows on screen are read in full.
 * After an edit a list catches up row by row (rag_log) instead of loading again. */
#include "store_internal.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/plan_list.h"
#include "ragboard/rag_index.h"
#include "ragboard/util.h"

/* ---- search ---- */

/* True when the word holds something the tokenizer indexes (a letter or digit). */
static bool searchable(const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if (isalnum(c) || c >= 0x80)
            return true;
    }
    return false;
}

/* The user's words as an FTS5 query: each word a quoted phrase matched as a prefix,
 * all required; in the open column only when confidential text must not match.
 * Quoting makes FTS5 syntax (", *, AND, parentheses, column names) plain text. NULL when
 * there is nothing to search for; caller frees. */
static char *fts_query(const char *words, bool open_only)
{
    struct strbuf q = {0};
    const char *p = words ? words : "";
    for (;;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *start = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (p == start)
            break;
        if (!searchable(start, (size_t)(p - start)))
            continue;
        if (q.len)
            sb_add(&q, " AND ");
        if (open_only)
            sb_add(&q, "open : ");
        sb_addc(&q, '"');
        for (const char *c = start; c < p; c++) {
            if (*c == '"')
                sb_addc(&q, '"');
            sb_addc(&q, *c);
        }
        sb_add(&q, "\"*");
    }
    if (!q.len) {
        sb_free(&q);
        return NULL;
    }
    return sb_take(&q);
}

/* ---- loading ---- */

const char *list_sort_name(enum list_sort s)
{
    static const char *const names[SORT_COUNT] = {"reference", "due date", "RAG", "agency",
                                                  "last update"};
    return (unsigned)s < SORT_COUNT ? names[s] : "?";
}

/* The query is put together from these fixed pieces; every value is bound. Only the
 * plan's own order groups rows by objective. */
static const char *const select_sql[SORT_COUNT] = {
    [SORT_REF] = "SELECT r.id, r.objective, r.obj_key, r.ref_key FROM rag_index r",
    [SORT_DUE] = "SELECT r.id, 0, r.due_key, r.ref_key FROM rag_index r",
    [SORT_RAG] = "SELECT r.id, 0, r.rag, r.due_key, r.ref_key FROM rag_index r",
    [SORT_AGENCY] = "SELECT r.id, 0, r.lead_key, r.ref_key FROM rag_index r",
    [SORT_UPDATED] = "SELECT r.id, 0 FROM rag_index r",
};
/* Within a strand, the rows after a given row in each order, as a range of that order's
 * index (the reference key ends every order and is unique): what a list reads next, so
 * that it need not skip the rows it has (?10.. are the given row's columns 2.. above).
 * The date of the last update can be missing, which a range cannot say: that order
 * skips by count instead. */
static const char *const after_sql[SORT_COUNT] = {
    [SORT_REF] = " AND (r.obj_key, r.ref_key) > (?10, ?11)",
    [SORT_DUE] = " AND (r.due_key, r.ref_key) > (?10, ?11)",
    [SORT_RAG] = " AND (r.rag, r.due_key, r.ref_key) > (?10, ?11, ?12)",
    [SORT_AGENCY] = " AND (r.lead_key, r.ref_key) > (?10, ?11)",
    [SORT_UPDATED] = NULL,
};
static const int after_keys[SORT_COUNT] = {
    [SORT_REF] = 2, [SORT_DUE] = 2, [SORT_RAG] = 3, [SORT_AGENCY] = 2, [SORT_UPDATED] = 0,
};
#define AFTER_MAX 3
/* Within a strand each order has an index of its own (rag_index.c) that also holds
 * what the filters look at: the list is one scan of it, never a sort. */
static const char *const strand_index_sql[SORT_COUNT] = {
    [SORT_REF] = " INDEXED BY rag_index_plan",
    [SORT_DUE] = " INDEXED BY rag_index_due",
    [SORT_RAG] = " INDEXED BY rag_index_rag",
    [SORT_AGENCY] = " INDEXED BY rag_index_agency",
    [SORT_UPDATED] = " INDEXED BY rag_index_updated",
};
static const char *const order_sql[SORT_COUNT] = {
    [SORT_REF] = " ORDER BY r.strand, r.obj_key, r.ref_key",
    [SORT_DUE] = " ORDER BY r.due_key, r.ref_key",
    [SORT_RAG] = " ORDER BY r.rag, r.due_key, r.ref_key",
    [SORT_AGENCY] = " ORDER BY r.lead_key, r.ref_key",
    [SORT_UPDATED] = " ORDER BY r.last_update, r.ref_key",
};


/* The filters of q as SQL after "WHERE 1", with these parameters: ?1 strand, ?2 agency
 * (lead or partner), ?3 lead, ?4 state, ?5 RAG mask, ?6 search; one action (to see
 * whether it belongs to the list) when one is true. */
static void add_filters(struct strbuf *sql, const struct list_query *q, bool one)
{
    if (q->strand)
        sb_add(sql, " AND r.strand = ?1");
    if (!str_blank(q->agency))
        sb_add(sql, " AND (r.lead = ?2 OR r.id IN (SELECT action_id FROM action_partners"
                    " WHERE agency = ?2))");
    if (!str_blank(q->lead))
        sb_add(sql, " AND r.lead = ?3");
    if (q->state >= 0 && q->state < STATE_COUNT)
        sb_add(sql, " AND r.state = ?4");
    if (q->rag_mask)
        sb_add(sql, " AND (?5 >> r.rag) & 1");
    if (q->overdue_only)
        sb_add(sql, " AND r.overdue = 1");
    if (q->search)
        sb_add(sql, one ? " AND EXISTS (SELECT 1 FROM action_search WHERE action_search"
                          " MATCH ?6 AND rowid = r.id)"
                        : " AND r.id IN (SELECT rowid FROM action_search WHERE action_search"
                          " MATCH ?6)");
}

static void bind_filters(sqlite3_stmt *s, const struct list_query *q, int strand)
{
    if (q->strand)
        sqlite3_bind_int(s, 1, strand);
    if (!str_blank(q->agency))
        sqlite3_bind_text(s, 2, q->agency, -1, SQLITE_STATIC);
    if (!str_blank(q->lead))
        sqlite3_bind_text(s, 3, q->lead, -1, SQLITE_STATIC);
    if (q->state >= 0 && q->state < STATE_COUNT)
        sqlite3_bind_int(s, 4, q->state);
    if (q->rag_mask)
        sqlite3_bind_int64(s, 5, (sqlite3_int64)q->rag_mask);
    if (q->search)
        sqlite3_bind_text(s, 6, q->search, -1, SQLITE_STATIC);
}

/* A list query as the list keeps it: the search already turned into FTS5 syntax. */
struct query_copy {
    struct list_query q;
    int strand; /* strands[] index, or -1 */
};

static void query_copy_free(struct query_copy *c)
{
    free((char *)c->q.strand);
    free((char *)c->q.agency);
    free((char *)c->q.lead);
    free((char *)c->q.search);
    memset(c, 0, sizeof *c);
}

/* Check q and copy it into out (caller frees with query_copy_free). */
static int query_copy(const struct list_query *q, struct query_copy *out, char *err)
{
    memset(out, 0, sizeof *out);
    if ((unsigned)q->sort >= SORT_COUNT)
        return rb_fail(err, "unknown sort order");
    out->strand = -1;
    if (q->strand && (out->strand = strand_index(q->strand)) < 0)
        return rb_fail(err, "unknown strand \"%s\" (use Pursue, Protect, Prepare or Prevent)",
                       q->strand);
    out->q = *q;
    out->q.strand = q->strand ? xstrdup(strands[out->strand].code) : NULL;
    out->q.agency = str_blank(q->agency) ? NULL : xstrdup(q->agency);
    out->q.lead = str_blank(q->lead) ? NULL : xstrdup(q->lead);
    out->q.search = fts_query(q->search, q->hide_confidential_text);
    if (out->q.state < 0 || out->q.state >= STATE_COUNT)
        out->q.state = -1;
    return 0;
}

static bool str_same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool query_same(const struct query_copy *a, const struct query_copy *b)
{
    return a->strand == b->strand && str_same(a->q.agency, b->q.agency) &&
           str_same(a->q.lead, b->q.lead) && str_same(a->q.search, b->q.search) &&
           a->q.sort == b->q.sort && a->q.rag_mask == b->q.rag_mask &&
           a->q.state == b->q.state && a->q.overdue_only == b->q.overdue_only &&
           a->q.hide_confidential_text == b->q.hide_confidential_text;
}

/* ---- the rows on screen ---- */

/* Rows kept once read: more than a screen of any size. A row's slot is its index modulo
 * this, so a screenful never pushes out a row of the same screenful. */
#define CACHE_ROWS 256

struct slot {
    size_t index;
    uint64_t gen; /* valid when it equals the list's */
    struct list_row row;
    char *text; /* the row's strings, one after another */
};

struct window {
    struct store *st;
    struct query_copy q;
    int64_t rev;    /* the RAG index's revision the rows are as of */
    size_t cap;     /* room in ids and objectives */
    uint64_t gen;   /* bumped whenever rows move or change */
    bool done;      /* every id is loaded */
    bool stale;     /* the plan changed since: no more ids follow on (plan_list_more) */
    sqlite3_stmt *ids; /* the list's ids: ?8 of them from the ?9th on */
    char *after_sql;   /* the list's ids after a row (after_sql[]), or NULL */
    sqlite3_stmt *after;
    sqlite3_value *last[AFTER_MAX]; /* the last id's columns that after_sql[] compares */
    sqlite3_stmt *read;
    struct slot slots[CACHE_ROWS];
};

static void window_free(struct window *w)
{
    if (!w)
        return;
    query_copy_free(&w->q);
    sqlite3_finalize(w->ids);
    sqlite3_finalize(w->after);
    free(w->after_sql);
    for (int k = 0; k < AFTER_MAX; k++)
        sqlite3_value_free(w->last[k]);
    sqlite3_finalize(w->read);
    for (size_t i = 0; i < CACHE_ROWS; i++)
        free(w->slots[i].text);
    free(w);
}

void plan_list_free(struct plan_list *l)
{
    if (!l)
        return;
    free(l->ids);
    free(l->objectives);
    window_free(l->window);
    memset(l, 0, sizeof *l);
}

/* Rows read together when one not yet read is asked for: it and those after it that are
 * not read yet (a screen is drawn from the top down), in one statement. */
#define READ_AHEAD 64

#define ROW_SELECT \
    "SELECT r.id, a.ref, a.title, a.strand, coalesce(a.lead, ''), coalesce(o.ref, '')," \
    " coalesce(o.title, ''), r.rag, r.state, a.due_date, r.last_update, a.progress," \
    " r.overdue, r.stale, a.confidential" \
    " FROM rag_index r JOIN actions a ON a.id = r.id" \
    " LEFT JOIN objectives o ON o.id = a.objective_id WHERE r.id IN ("

static void row_from(struct slot *sl, sqlite3_stmt *s)
{
    struct list_row *r = &sl->row;
    size_t len[6], total = 0;
    for (int c = 0; c < 6; c++) {
        len[c] = (size_t)sqlite3_column_bytes(s, c + 1) + 1;
        total += len[c];
    }
    sl->text = xrealloc(sl->text, total);
    const char **dst[6] = {&r->ref, &r->title, &r->strand, &r->lead, &r->objective_ref,
                           &r->objective_title};
    char *p = sl->text;
    for (int c = 0; c < 6; c++) {
        const unsigned char *t = sqlite3_column_text(s, c + 1);
        memcpy(p, t ? (const char *)t : "", len[c] - 1);
        p[len[c] - 1] = '\0';
        *dst[c] = p;
        p += len[c];
    }
    int rag = sqlite3_column_int(s, 7), state = sqlite3_column_int(s, 8);
    r->rag = rag >= 0 && rag < RAG_COUNT ? (enum rag)rag : RAG_NONE;
    r->state = state >= 0 && state < STATE_COUNT ? (enum action_state)state : STATE_NOT_STARTED;
    r->due = col_date(s, 9);
    r->last_update = sqlite3_column_type(s, 10) == SQLITE_NULL ? RB_NO_DATE
                                                               : sqlite3_column_int(s, 10);
    r->progress = sqlite3_column_int(s, 11);
    r->overdue = sqlite3_column_int(s, 12) != 0;
    r->stale = sqlite3_column_int(s, 13) != 0;
    r->confidential = sqlite3_column_int(s, 14) != 0;
}

/* Read row i, and the rows after it not read yet, into their slots. */
static void read_rows(struct plan_list *l, size_t i)
{
    struct window *w = l->window;
    size_t want[READ_AHEAD], n = 0;
    for (size_t j = i; j < l->loaded && j < i + READ_AHEAD; j++) {
        struct slot *sl = &w->slots[j % CACHE_ROWS];
        if (j != i && sl->gen == w->gen && sl->index == j)
            continue;
        sl->index = j;
        sl->gen = w->gen;
        sl->row = (struct list_row){
            .id = l->ids[j],
            .ref = "", .title = "", .strand = "", .lead = "", .objective_ref = "",
            .objective_title = "",
            .rag = RAG_NONE,
            .due = RB_NO_DATE,
            .last_update = RB_NO_DATE,
        }; /* so it stays, if the action was deleted since the list was loaded */
        want[n++] = j;
    }
    char err[RB_ERRLEN];
    if (!w->read) {
        struct strbuf sql = {0};
        sb_add(&sql, ROW_SELECT);
        for (int k = 1; k <= READ_AHEAD; k++)
            sb_addf(&sql, "%s?%d", k > 1 ? ", " : "", k);
        sb_add(&sql, ")");
        int rc = store_prepare(w->st, sql.buf, &w->read, err);
        sb_free(&sql);
        if (rc != 0)
            return;
    }
    sqlite3_stmt *s = w->read;
    for (size_t k = 0; k < READ_AHEAD; k++) {
        if (k < n)
            sqlite3_bind_int64(s, (int)k + 1, l->ids[want[k]]);
        else
            sqlite3_bind_null(s, (int)k + 1);
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        for (size_t k = 0; k < n; k++) {
            if (l->ids[want[k]] == id) {
                row_from(&w->slots[want[k] % CACHE_ROWS], s);
                break;
            }
        }
    }
    sqlite3_reset(s); /* never hold a read transaction open between keys */
}

const struct list_row *plan_list_row(struct plan_list *l, size_t i)
{
    static const struct list_row none = {.ref = "", .title = "", .strand = "", .lead = "",
                                         .objective_ref = "", .objective_title = "",
                                         .rag = RAG_NONE, .due = RB_NO_DATE,
                                         .last_update = RB_NO_DATE};
    struct window *w = l->window;
    if (!w || i >= l->n)
        return &none;
    char err[RB_ERRLEN];
    if (i + READ_AHEAD > l->loaded && !w->done)
        plan_list_more(l, i + READ_AHEAD, err); /* what it could not read stays unread */
    if (i >= l->loaded)
        return &none;
    struct slot *sl = &w->slots[i % CACHE_ROWS];
    if (sl->gen != w->gen || sl->index != i)
        read_rows(l, i);
    return &sl->row;
}

void plan_list_prefetch(struct plan_list *l, size_t first, size_t count)
{
    /* The screen shown, the rows asked for and a read's rows beyond them must all fit. */
    if (!l->window || count == 0 || 2 * count + READ_AHEAD > CACHE_ROWS)
        return;
    for (size_t i = first; i < first + count && i < l->n; i++)
        plan_list_row(l, i);
}

long plan_list_find(struct plan_list *l, int64_t id)
{
    for (size_t i = 0; i < l->loaded; i++)
        if (l->ids[i] == id)
            return (long)i;
    size_t from = l->loaded;
    char err[RB_ERRLEN];
    if (plan_list_complete(l) || plan_list_more(l, SIZE_MAX, err) != 0)
        return -1;
    for (size_t i = from; i < l->loaded; i++)
        if (l->ids[i] == id)
            return (long)i;
    return -1;
}

/* ---- loading ---- */

/* Ids read by a load: more than any screen shows, so the first screens need no more. */
#define IDS_FIRST 512
/* Ids read at a time after that, while idle: a step stays well under a keypress's
 * budget (about a millisecond at 100k actions), so a key is never kept waiting long. */
#define IDS_STEP 4096

/* Keep row s's order columns (after_sql[]): the next part starts after them. Out of
 * memory, the next part skips by count instead. */
static void remember_last(struct window *w, sqlite3_stmt *s, int keys)
{
    bool ok = true;
    for (int k = 0; k < keys; k++) {
        sqlite3_value_free(w->last[k]);
        w->last[k] = sqlite3_value_dup(sqlite3_column_value(s, 2 + k));
        ok = ok && w->last[k];
    }
    for (int k = 0; !ok && k < keys; k++) {
        sqlite3_value_free(w->last[k]);
        w->last[k] = NULL;
    }
}

/* Append up to limit ids (all when limit is 0) from the list's query, from row
 * l->loaded on; the list is done when fewer come. */
static int read_ids(struct plan_list *l, size_t limit, char *err)
{
    struct window *w = l->window;
    int keys = after_keys[w->q.q.sort];
    sqlite3_stmt *s = w->ids;
    if (l->loaded && w->after_sql && keys && w->last[0]) {
        if (!w->after) {
            if (store_prepare(w->st, w->after_sql, &w->after, err) != 0)
                return -1;
            bind_filters(w->after, &w->q.q, w->q.strand);
        }
        s = w->after;
        sqlite3_reset(s);
        for (int k = 0; k < keys; k++)
            sqlite3_bind_value(s, 10 + k, w->last[k]);
    } else {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 9, (sqlite3_int64)l->loaded);
    }
    sqlite3_bind_int64(s, 8, limit ? (sqlite3_int64)limit : -1);
    size_t got = 0;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (limit && got + 1 == limit && w->after_sql)
            remember_last(w, s, keys); /* where the next part starts */
        if (l->loaded == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 1024;
            l->ids = xrealloc(l->ids, w->cap * sizeof *l->ids);
            l->objectives = xrealloc(l->objectives, w->cap * sizeof *l->objectives);
        }
        l->ids[l->loaded] = sqlite3_column_int64(s, 0);
        l->objectives[l->loaded++] = sqlite3_column_int64(s, 1);
        got++;
    }
    sqlite3_reset(s); /* never hold a read transaction open between keys */
    if (step != SQLITE_DONE)
        return store_error(w->st, w->q.q.search ? "searching the plan" : "reading the plan",
                           err);
    if (!limit || got < limit) {
        w->done = true;
        l->n = l->loaded;
    } else if (l->loaded > l->n) {
        l->n = l->loaded + 1; /* the count was short: there may be more */
    } /* loaded == n: as counted, and the next step (finding none) says it is done */
    return 0;
}

/* Whether the RAG totals kept per strand, lead and rating count q's rows: it asks only
 * about those. */
static bool counted_by_totals(const struct list_query *q)
{
    return !q->agency && q->state < 0 && !q->search;
}

/* How many rows q has, from the RAG totals (counted_by_totals). */
static int count_rows(struct store *st, const struct query_copy *c, size_t *n, char *err)
{
    const struct list_query *q = &c->q;
    struct strbuf sql = {0};
    sb_addf(&sql, "SELECT coalesce(sum(%s), 0) FROM rag_totals WHERE 1",
            q->overdue_only ? "overdue" : "n");
    if (q->strand)
        sb_add(&sql, " AND strand = ?1");
    if (q->lead)
        sb_add(&sql, " AND lead = ?3");
    if (q->rag_mask)
        sb_add(&sql, " AND (?5 >> rag) & 1");
    sqlite3_stmt *s;
    int rc = store_prepare(st, sql.buf, &s, err);
    sb_free(&sql);
    if (rc != 0)
        return -1;
    bind_filters(s, q, c->strand);
    if (sqlite3_step(s) == SQLITE_ROW) {
        sqlite3_int64 v = sqlite3_column_int64(s, 0);
        *n = v > 0 ? (size_t)v : 0;
    } else {
        rc = store_error(st, "counting the list", err);
    }
    sqlite3_finalize(s);
    return rc;
}

int plan_list_more(struct plan_list *l, size_t want, char *err)
{
    struct window *w = l->window;
    if (!w || w->done || l->loaded >= want)
        return 0;
    if (w->stale)
        return 1; /* known already: no need to ask the database again, row by row */
    bool began = store_read_begin(w->st); /* the steps see one state of the plan */
    int64_t rev = 0, oldest = 0;
    int rc = 0;
    if (rag_index_revision(w->st, &rev, &oldest) != 0 || rev != w->rev) {
        rc = 1; /* the rows after those read are no longer where they were */
        w->stale = true;
    } else {
        /* Asked for all: the rest in one scan. */
        if (want >= l->n)
            rc = read_ids(l, 0, err);
        while (rc == 0 && !w->done && l->loaded < want)
            rc = read_ids(l, IDS_STEP, err);
    }
    store_read_end(w->st, began);
    return rc;
}

bool plan_list_complete(const struct plan_list *l)
{
    const struct window *w = l->window;
    return !w || w->done;
}

/* Load c into a fresh list (out is overwritten, not freed): count its rows and read the
 * first of their ids, in one read transaction. All of them when counting would cost as
 * much as reading them (a search, an agency or a state filter) or when the list could
 * not catch up with changes later anyway. With reuse, the ids go into reuse's arrays
 * (fresh memory costs more than the copy; reuse is then left empty, even if the load
 * fails after that). */
static int load(struct store *st, struct query_copy *c, struct plan_list *out,
                struct plan_list *reuse, char *err)
{
    const struct list_query *q = &c->q;
    struct strbuf sql = {0};
    sb_add(&sql, select_sql[q->sort]);
    if (c->strand >= 0)
        sb_add(&sql, strand_index_sql[q->sort]);
    sb_add(&sql, " WHERE 1");
    add_filters(&sql, q, false);
    size_t where = sql.len;
    sb_add(&sql, order_sql[q->sort]);
    sb_add(&sql, " LIMIT ?8 OFFSET ?9");
    sqlite3_stmt *s;
    int rc = store_prepare(st, sql.buf, &s, err);
    char *after = NULL;
    if (rc == 0 && c->strand >= 0 && after_sql[q->sort]) {
        sql.len = where;
        sql.buf[where] = '\0';
        sb_add(&sql, after_sql[q->sort]);
        sb_add(&sql, order_sql[q->sort]);
        sb_add(&sql, " LIMIT ?8");
        after = sb_take(&sql);
    }
    sb_free(&sql);
    if (rc != 0)
        return -1;
    bind_filters(s, q, c->strand);
    struct window *w = xcalloc(1, sizeof *w);
    w->st = st;
    w->ids = s;
    w->after_sql = after;
    w->gen = 1;
    w->q = *c;
    memset(c, 0, sizeof *c); /* the window owns the query now */
    struct plan_list l = {.window = w};
    if (reuse && reuse->window && reuse->ids) {
        w->cap = ((struct window *)reuse->window)->cap;
        l.ids = reuse->ids;
        l.objectives = reuse->objectives;
        reuse->ids = reuse->objectives = NULL;
        reuse->n = reuse->loaded = 0;
    }
    bool began = store_read_begin(st); /* the count and the ids agree */
    int64_t rev = 0, oldest = 0;
    if (rag_index_revision(st, &rev, &oldest) != 0)
        rev = -1; /* cannot catch up later: the next update loads again */
    w->rev = rev;
    /* In parts only within a strand, where an index gives the order: elsewhere every
     * part would sort the whole plan again. */
    bool part = rev >= 0 && counted_by_totals(&w->q.q) && w->q.strand >= 0;
    rc = part ? count_rows(st, &w->q, &l.n, err) : 0;
    if (rc == 0)
        rc = read_ids(&l, part ? IDS_FIRST : 0, err);
    store_read_end(st, began);
    if (rc != 0) {
        plan_list_free(&l);
        return -1;
    }
    if (!l.ids) {
        w->cap = 1;
        l.ids = xmalloc(sizeof *l.ids);
        l.objectives = xmalloc(sizeof *l.objectives);
    }
    *out = l;
    return 0;
}

int plan_list_load(struct store *st, const struct list_query *q, const struct rag_thresholds *t,
                   rb_day today, struct plan_list *out, char *err)
{
    plan_list_free(out);
    struct query_copy c;
    if (query_copy(q, &c, err) != 0 || rag_index_refresh(st, t, today, err) != 0) {
        query_copy_free(&c);
        return -1;
    }
    int rc = load(st, &c, out, NULL, err);
    query_copy_free(&c);
    return rc;
}

/* ---- catching up with changes ---- */

/* Where a row sorts: what the ORDER BY of each order looks at (order_sql). */
struct sort_key {
    int strand, rag, due;
    bool updated;
    int last_update;
    bool no_lead; /* an empty blob: after every lead */
    struct strbuf lead, obj, ref;
};

#define KEY_SELECT "r.strand, r.obj_key, r.ref_key, r.due_key, r.rag, r.lead_key, r.last_update"

static void key_read(sqlite3_stmt *s, int col, struct sort_key *k)
{
    k->strand = sqlite3_column_int(s, col);
    k->obj.len = k->ref.len = k->lead.len = 0;
    sb_addn(&k->obj, sqlite3_column_blob(s, col + 1), (size_t)sqlite3_column_bytes(s, col + 1));
    sb_addn(&k->ref, sqlite3_column_blob(s, col + 2), (size_t)sqlite3_column_bytes(s, col + 2));
    k->due = sqlite3_column_int(s, col + 3);
    k->rag = sqlite3_column_int(s, col + 4);
    k->no_lead = sqlite3_column_type(s, col + 5) != SQLITE_TEXT;
    if (!k->no_lead)
        sb_addn(&k->lead, (const char *)sqlite3_column_text(s, col + 5),
                (size_t)sqlite3_column_bytes(s, col + 5));
    k->updated = sqlite3_column_type(s, col + 6) != SQLITE_NULL;
    k->last_update = sqlite3_column_int(s, col + 6);
}

static void key_free(struct sort_key *k)
{
    sb_free(&k->lead);
    sb_free(&k->obj);
    sb_free(&k->ref);
}

static int cmp_int(int a, int b)
{
    return a < b ? -1 : a > b;
}

/* SQLite's BINARY order: bytes, then the shorter first. */
static int cmp_bytes(const struct strbuf *a, const struct strbuf *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->buf, b->buf, n) : 0;
    return c ? c : cmp_int(a->len > b->len, a->len < b->len);
}

/* The order of order_sql[sort], as SQLite sorts those columns. */
static int key_cmp(enum list_sort sort, const struct sort_key *a, const struct sort_key *b)
{
    int c = 0;
    switch (sort) {
    case SORT_REF:
        c = cmp_int(a->strand, b->strand);
        if (!c)
            c = cmp_bytes(&a->obj, &b->obj);
        break;
    case SORT_RAG:
        c = cmp_int(a->rag, b->rag);
        if (!c)
            c = cmp_int(a->due, b->due);
        break;
    case SORT_DUE: c = cmp_int(a->due, b->due); break;
    case SORT_AGENCY:
        c = cmp_int(a->no_lead, b->no_lead); /* text before blobs */
        if (!c && !a->no_lead)
            c = cmp_bytes(&a->lead, &b->lead);
        break;
    case SORT_UPDATED:
        c = cmp_int(a->updated, b->updated); /* NULL first */
        if (!c && a->updated)
            c = cmp_int(a->last_update, b->last_update);
        break;
    }
    return c ? c : cmp_bytes(&a->ref, &b->ref);
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* More changed actions than this, and loading the list again is quicker. */
#define PATCH_MAX 512

/* Bring a loaded list up to date with the actions rated again since it was loaded
 * (rag_log): take them out, then put back each that still belongs where it now sorts.
 * Sets *reload when the list should be loaded again instead. */
static int patch(struct plan_list *l, int64_t rev, bool *reload, char *err)
{
    struct window *w = l->window;
    struct store *st = w->st;
    *reload = false;
    sqlite3_stmt *s;
    if (store_prepare(st, "SELECT DISTINCT id FROM rag_log WHERE rev > ?1 ORDER BY id", &s,
                      err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, w->rev);
    int64_t *changed = NULL;
    size_t n = 0, cap = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (n == PATCH_MAX) {
            *reload = true;
            break;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            changed = xrealloc(changed, cap * sizeof *changed);
        }
        changed[n++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    if (*reload || !n) {
        free(changed);
        if (!*reload)
            w->rev = rev;
        return 0;
    }
    /* Out with every changed row: what is left keeps its place and its key. */
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (bsearch(&l->ids[i], changed, n, sizeof *changed, cmp_id))
            continue;
        l->ids[k] = l->ids[i];
        l->objectives[k++] = l->objectives[i];
    }
    l->n = l->loaded = k;

    struct strbuf sql = {0};
    sb_add(&sql, "SELECT r.objective, " KEY_SELECT " FROM rag_index r WHERE r.id = ?7");
    add_filters(&sql, &w->q.q, true);
    sqlite3_stmt *member = NULL, *key = NULL;
    int rc = store_prepare(st, sql.buf, &member, err);
    sb_free(&sql);
    if (rc == 0)
        rc = store_prepare(st, "SELECT " KEY_SELECT " FROM rag_index r WHERE r.id = ?1", &key,
                           err);
    if (rc == 0)
        bind_filters(member, &w->q.q, w->q.strand);
    struct sort_key mine = {0}, other = {0};
    for (size_t c = 0; rc == 0 && c < n; c++) {
        sqlite3_reset(member);
        sqlite3_bind_int64(member, 7, changed[c]);
        int step = sqlite3_step(member);
        if (step == SQLITE_DONE)
            continue; /* gone, or no longer matches */
        if (step != SQLITE_ROW) {
            rc = store_error(st, "updating the list", err);
            break;
        }
        int64_t objective = sqlite3_column_int64(member, 0);
        key_read(member, 1, &mine);
        size_t lo = 0, hi = l->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            sqlite3_reset(key);
            sqlite3_bind_int64(key, 1, l->ids[mid]);
            if (sqlite3_step(key) != SQLITE_ROW) {
                rc = store_error(st, "updating the list", err);
                break;
            }
            key_read(key, 0, &other);
            if (key_cmp(w->q.q.sort, &other, &mine) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (rc != 0)
            break;
        if (l->n == w->cap) {
            w->cap *= 2;
            l->ids = xrealloc(l->ids, w->cap * sizeof *l->ids);
            l->objectives = xrealloc(l->objectives, w->cap * sizeof *l->objectives);
        }
        memmove(l->ids + lo + 1, l->ids + lo, (l->n - lo) * sizeof *l->ids);
        memmove(l->objectives + lo + 1, l->objectives + lo, (l->n - lo) * sizeof *l->objectives);
        l->ids[lo] = changed[c];
        l->objectives[lo] = w->q.q.sort == SORT_REF ? objective : 0;
        l->loaded = ++l->n;
    }
    sqlite3_finalize(member);
    sqlite3_finalize(key);
    key_free(&mine);
    key_free(&other);
    free(changed);
    if (rc == 0)
        w->rev = rev;
    return rc;
}

int plan_list_update(struct store *st, const struct list_query *q,
                     const struct rag_thresholds *t, rb_day today, struct plan_list *l,
                     char *err)
{
    struct query_copy c;
    if (query_copy(q, &c, err) != 0 || rag_index_refresh(st, t, today, err) != 0) {
        query_copy_free(&c);
        return -1;
    }
    struct window *w = l->window;
    int64_t rev = 0, oldest = 0;
    bool reload = !w || w->st != st || !query_same(&w->q, &c) || w->rev < 0 || !w->done ||
                  rag_index_revision(st, &rev, &oldest) != 0 || w->rev < oldest ||
                  rev < w->rev;
    int rc = 0;
    bool broken = false;
    if (!reload && rev != w->rev) {
        w->gen++; /* rows move: what was read is no longer where it was */
        rc = patch(l, rev, &reload, err);
        broken = rc != 0; /* half done: load it whole */
        reload = reload || broken;
    }
    if (reload) {
        struct plan_list fresh = {0};
        rc = load(st, &c, &fresh, l, err);
        if (rc == 0 || broken || !l->ids) {
            plan_list_free(l);
            *l = fresh;
        }
    } else if (rc == 0) {
        w->gen++; /* rows may read differently (titles, progress) */
    }
    query_copy_free(&c);
    return rc;
}

/* The rows of an action list: one query, rated with the store's own reading of an
 * action, filtered, searched with FTS5 and sorted; strings kept in one arena. */
#include "store_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/plan_list.h"
#include "ragboard/util.h"

/* ---- an arena for the list's strings ---- */

struct chunk {
    struct chunk *next;
    size_t used, cap;
    char data[];
};

struct arena {
    struct chunk *head;
};

#define CHUNK_SIZE (64 * 1024)

static const char *arena_str(struct arena *a, const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s) + 1;
    struct chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > CHUNK_SIZE ? n : CHUNK_SIZE;
        c = xmalloc(sizeof *c + cap);
        c->used = 0;
        c->cap = cap;
        c->next = a->head;
        a->head = c;
    }
    char *p = c->data + c->used;
    memcpy(p, s, n);
    c->used += n;
    return p;
}

static void arena_free(struct arena *a)
{
    if (!a)
        return;
    for (struct chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

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

#define LIST_WHERE \
    " WHERE (?1 IS NULL OR a.strand = ?1)" \
    "   AND (?2 IS NULL OR a.lead = ?2 OR EXISTS (SELECT 1 FROM action_partners p" \
    "        WHERE p.action_id = a.id AND p.agency = ?2))" \
    "   AND (?3 IS NULL OR a.lead = ?3)" \
    "   AND (?4 IS NULL OR a.state = ?4)"
#define LIST_SEARCH " AND a.id IN (SELECT rowid FROM action_search WHERE action_search MATCH ?5)"
#define LIST_SELECT "SELECT " ACTION_COLUMNS_WITH("NULL") ACTION_FROM LIST_WHERE

/* [with a search] */
static const char *const list_sql[2] = {LIST_SELECT, LIST_SELECT LIST_SEARCH};

const char *list_sort_name(enum list_sort s)
{
    static const char *const names[SORT_COUNT] = {"reference", "due date", "RAG", "agency",
                                                  "last update"};
    return (unsigned)s < SORT_COUNT ? names[s] : "?";
}

/* A row while sorting, with the position of its strand in the plan. */
struct item {
    struct list_row row;
    int strand;
};

/* Dates with "no date" last. */
static int cmp_date_last(rb_day a, rb_day b)
{
    if (a == b)
        return 0;
    if (a == RB_NO_DATE)
        return 1;
    if (b == RB_NO_DATE)
        return -1;
    return a < b ? -1 : 1;
}

static int cmp_ref(const struct item *a, const struct item *b)
{
    return store_ref_cmp(a->row.ref, b->row.ref);
}

/* The plan's own order: strand, objective (none last), reference. */
static int cmp_plan(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;
    if (a->strand != b->strand)
        return a->strand < b->strand ? -1 : 1;
    int c = (!*a->row.objective_ref) - (!*b->row.objective_ref);
    if (!c)
        c = store_ref_cmp(a->row.objective_ref, b->row.objective_ref);
    return c ? c : cmp_ref(a, b);
}

static int cmp_due(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;
    int c = cmp_date_last(a->row.due, b->row.due);
    return c ? c : cmp_ref(a, b);
}

static int cmp_rag(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;
    if (a->row.rag != b->row.rag)
        return a->row.rag < b->row.rag ? -1 : 1;
    return cmp_due(pa, pb);
}

static int cmp_agency(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;
    int c = (!*a->row.lead) - (!*b->row.lead); /* no lead last */
    if (!c)
        c = strcmp(a->row.lead, b->row.lead);
    return c ? c : cmp_ref(a, b);
}

static int cmp_updated(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;
    /* RB_NO_DATE is the smallest day, so never-updated rows come first. */
    if (a->row.last_update != b->row.last_update)
        return a->row.last_update < b->row.last_update ? -1 : 1;
    return cmp_ref(a, b);
}

static int (*const sort_cmp[SORT_COUNT])(const void *, const void *) = {
    [SORT_REF] = cmp_plan,
    [SORT_DUE] = cmp_due,
    [SORT_RAG] = cmp_rag,
    [SORT_AGENCY] = cmp_agency,
    [SORT_UPDATED] = cmp_updated,
};

void plan_list_free(struct plan_list *l)
{
    if (!l)
        return;
    free(l->rows);
    arena_free(l->arena);
    memset(l, 0, sizeof *l);
}

int plan_list_load(struct store *st, const struct list_query *q, const struct rag_thresholds *t,
                   rb_day today, struct plan_list *out, char *err)
{
    plan_list_free(out);
    if ((unsigned)q->sort >= SORT_COUNT)
        return rb_fail(err, "unknown sort order");
    int strand = -1;
    if (q->strand && (strand = strand_index(q->strand)) < 0)
        return rb_fail(err, "unknown strand \"%s\" (use Pursue, Protect, Prepare or Prevent)",
                       q->strand);
    char *match = fts_query(q->search, q->hide_confidential_text);
    sqlite3_stmt *s;
    if (store_prepare(st, list_sql[match != NULL], &s, err) != 0) {
        free(match);
        return -1;
    }
    if (strand >= 0)
        sqlite3_bind_text(s, 1, strands[strand].code, -1, SQLITE_STATIC);
    bind_text_or_null(s, 2, str_blank(q->agency) ? NULL : q->agency);
    bind_text_or_null(s, 3, str_blank(q->lead) ? NULL : q->lead);
    if (q->state >= 0 && q->state < STATE_COUNT)
        sqlite3_bind_text(s, 4, state_code((enum action_state)q->state), -1, SQLITE_STATIC);
    if (match)
        sqlite3_bind_text(s, 5, match, -1, SQLITE_STATIC);

    struct arena *arena = xcalloc(1, sizeof *arena);
    struct item *items = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        struct action a;
        read_action(s, t, today, &a);
        bool shown = (!q->rag_mask || (q->rag_mask & (1u << a.rag.rag))) &&
                     (!q->overdue_only || a.rag.overdue);
        if (shown) {
            if (n == cap) {
                cap = cap ? cap * 2 : 256;
                items = xrealloc(items, cap * sizeof *items);
            }
            items[n].strand = strand_index(a.strand);
            items[n++].row = (struct list_row){
                .id = a.id,
                .ref = arena_str(arena, a.ref),
                .title = arena_str(arena, a.title),
                .strand = arena_str(arena, a.strand),
                .lead = arena_str(arena, a.lead),
                .objective_ref = arena_str(arena, a.objective_ref),
                .objective_title = arena_str(arena, a.objective_title),
                .rag = a.rag.rag,
                .state = a.state,
                .due = a.due,
                .last_update = a.last_update,
                .progress = a.progress,
                .overdue = a.rag.overdue,
                .stale = a.rag.stale,
                .confidential = a.confidential,
            };
        }
        action_free(&a);
    }
    sqlite3_finalize(s);
    free(match);
    if (step != SQLITE_DONE) {
        free(items);
        arena_free(arena);
        return store_error(st, q->search ? "searching the plan" : "reading the plan", err);
    }
    if (n > 1)
        qsort(items, n, sizeof *items, sort_cmp[q->sort]);
    out->rows = xmalloc((n ? n : 1) * sizeof *out->rows);
    for (size_t i = 0; i < n; i++)
        out->rows[i] = items[i].row;
    free(items);
    out->n = n;
    out->arena = arena;
    return 0;
}

long plan_list_find(const struct plan_list *l, int64_t id)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->rows[i].id == id)
            return (long)i;
    return -1;
}

/* Merging another copy's changeset file into this copy: entry by entry with
 * sqlite3changeset_apply_v2, and field by field where a row changed here too.
 *
 * The fast path is SQLite's own: a change whose old values still match this copy
 * applies as it is. When they do not (SQLITE_CHANGESET_DATA and friends), the conflict
 * handler looks at each changed field: still the old value here, theirs applies; already
 * the new value, nothing to do; anything else was changed here since the copies parted,
 * a conflict, left as it is here unless a choice settles it. Bookkeeping columns (the
 * edit version, times, a meeting's place in its agenda) never conflict. The handler only
 * reads; the writes it decides on run after the apply, inside the same savepoint. */
#include "changes_internal.h"

#include <stdlib.h>
#include <string.h>

#include "ragboard/edit.h"
#include "ragboard/util.h"

enum col_policy {
    POL_FIELD,  /* a plan field: changed both here and there is a conflict */
    POL_QUIET,  /* bookkeeping: theirs applies where ours is unchanged, never a conflict */
    POL_SKIP,   /* never copied (actions.version: its trigger moves it on here) */
    POL_LATEST, /* the later of the two times (actions.updated_at) */
};

struct col_rule {
    const char *table, *col; /* col "*": every column of the table */
    enum col_policy pol;
    const char *group; /* the column this one is shown and decided with */
    const char *label; /* the name a conflict lists it by (else the column's) */
};

static const struct col_rule col_rules[] = {
    {"actions", "version", POL_SKIP, NULL, NULL},
    {"actions", "updated_at", POL_LATEST, NULL, NULL},
    {"actions", "created_at", POL_QUIET, NULL, NULL},
    {"actions", "objective_id", POL_FIELD, NULL, "objective"},
    {"actions", "start_date", POL_FIELD, NULL, "start"},
    {"actions", "due_date", POL_FIELD, NULL, "due"},
    {"actions", "rag_override", POL_FIELD, NULL, "rag"},
    {"actions", "override_reason", POL_FIELD, "rag_override", NULL},
    {"actions", "override_by", POL_FIELD, "rag_override", NULL},
    {"actions", "override_at", POL_FIELD, "rag_override", NULL},
    {"action_partners", "sort", POL_QUIET, NULL, NULL},
    {"updates", "created_at", POL_QUIET, NULL, NULL},
    {"meetings", "opened_at", POL_QUIET, NULL, NULL},
    {"meetings", "position", POL_QUIET, NULL, NULL},
    {"meetings", "item_action", POL_QUIET, NULL, NULL},
    {"meetings", "agenda", POL_QUIET, NULL, NULL},
    {"meetings", "closed_at", POL_FIELD, NULL, "closed"},
    {"minute_entries", "created_at", POL_QUIET, NULL, NULL},
    {"meeting_snapshots", "*", POL_QUIET, NULL, NULL},
};

/* Field names in a conflict are prefixed by the kind of row they belong to. */
static const struct {
    const char *table, *prefix;
} field_prefixes[] = {
    {"objectives", "objective."}, {"action_partners", "partner."}, {"updates", "update."},
    {"attendance", "attendance."}, {"minute_entries", "minute."},
    {"meeting_snapshots", "snapshot."},
};

static const struct col_rule *col_rule(const char *table, const char *col)
{
    for (size_t i = 0; i < sizeof col_rules / sizeof col_rules[0]; i++)
        if (strcmp(col_rules[i].table, table) == 0 &&
            (strcmp(col_rules[i].col, col) == 0 || strcmp(col_rules[i].col, "*") == 0))
            return &col_rules[i];
    return NULL;
}

/* A write decided on by the conflict handler, run after the apply. */
struct pending {
    const struct table_cols *tc;
    bool del;
    int n;             /* values: the primary key columns first, then those to set */
    int n_pk;
    int *col;
    sqlite3_value **val;
};

struct merge_ctx {
    struct store *st;
    const struct changes_entry *entry;
    struct change_choice *choices;
    size_t n_choices;
    struct merge_result *res;
    struct table_cols *tables; /* layouts read so far */
    size_t n_tables;
    struct pending *writes;
    size_t n_writes, cap_writes;
    int64_t *renumbered; /* actions of theirs added here under a new reference */
    size_t n_renumbered;
    size_t entry_open;   /* conflicts of this entry still open */
    bool fk_failed;
    char *err;
};

/* ---- small helpers ---- */

static void add_notice(struct merge_result *r, char *msg)
{
    r->notices = xrealloc(r->notices, (r->n_notices + 1) * sizeof *r->notices);
    r->notices[r->n_notices++] = msg;
}

static const struct table_cols *table_of(struct merge_ctx *m, const char *table)
{
    for (size_t i = 0; i < m->n_tables; i++)
        if (strcmp(m->tables[i].table, table) == 0)
            return &m->tables[i];
    struct table_cols tc;
    if (table_cols_load(m->st, table, &tc, NULL) != 0 || tc.n == 0) {
        table_cols_free(&tc);
        return NULL;
    }
    m->tables = xrealloc(m->tables, (m->n_tables + 1) * sizeof *m->tables);
    m->tables[m->n_tables] = tc;
    return &m->tables[m->n_tables++];
}

static bool value_eq(sqlite3_value *a, sqlite3_value *b)
{
    if (!a || !b)
        return a == b;
    int ta = sqlite3_value_type(a), tb = sqlite3_value_type(b);
    if (ta != tb) {
        bool num_a = ta == SQLITE_INTEGER || ta == SQLITE_FLOAT;
        bool num_b = tb == SQLITE_INTEGER || tb == SQLITE_FLOAT;
        return num_a && num_b && sqlite3_value_double(a) == sqlite3_value_double(b);
    }
    switch (ta) {
    case SQLITE_NULL:
        return true;
    case SQLITE_INTEGER:
        return sqlite3_value_int64(a) == sqlite3_value_int64(b);
    case SQLITE_FLOAT:
        return sqlite3_value_double(a) == sqlite3_value_double(b);
    default: {
        const void *pa = ta == SQLITE_TEXT ? (const void *)sqlite3_value_text(a)
                                           : sqlite3_value_blob(a);
        const void *pb = ta == SQLITE_TEXT ? (const void *)sqlite3_value_text(b)
                                           : sqlite3_value_blob(b);
        int na = sqlite3_value_bytes(a), nb = sqlite3_value_bytes(b);
        return na == nb && (na == 0 || memcmp(pa, pb, (size_t)na) == 0);
    }
    }
}

static char *value_text(sqlite3_value *v)
{
    if (!v || sqlite3_value_type(v) == SQLITE_NULL)
        return xstrdup("");
    return xstrdup((const char *)sqlite3_value_text(v));
}

/* The three views of column i of the change in hand (each may be NULL). */
struct views {
    sqlite3_changeset_iter *it;
    int kind, op, n_cols;
};

static sqlite3_value *v_cur(const struct views *w, int i)
{
    sqlite3_value *v = NULL;
    if (w->kind == SQLITE_CHANGESET_DATA || w->kind == SQLITE_CHANGESET_CONFLICT)
        sqlite3changeset_conflict(w->it, i, &v);
    return v;
}

static sqlite3_value *v_new(const struct views *w, int i)
{
    sqlite3_value *v = NULL;
    if (w->op != SQLITE_DELETE)
        sqlite3changeset_new(w->it, i, &v);
    return v;
}

static sqlite3_value *v_old(const struct views *w, int i)
{
    sqlite3_value *v = NULL;
    if (w->op != SQLITE_INSERT)
        sqlite3changeset_old(w->it, i, &v);
    return v;
}

/* Column i as best known: here, else theirs, else as it was. */
static sqlite3_value *v_any(const struct views *w, int i)
{
    sqlite3_value *v = i >= 0 && i < w->n_cols ? v_cur(w, i) : NULL;
    if (!v && i >= 0 && i < w->n_cols)
        v = v_new(w, i);
    if (!v && i >= 0 && i < w->n_cols)
        v = v_old(w, i);
    return v;
}

static char *lookup_text(struct store *st, const char *sql, sqlite3_value *key)
{
    sqlite3_stmt *s;
    char *out = NULL;
    if (!key || sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_value(s, 1, key);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        out = col_text(s, 0, false);
    sqlite3_finalize(s);
    return out;
}

static char *action_ref(struct store *st, sqlite3_value *id)
{
    char *ref = lookup_text(st, "SELECT ref FROM actions WHERE id = ?", id);
    if (!ref) /* deleted here: the audit log still knows its reference */
        ref = lookup_text(st, "SELECT row_ref FROM audit WHERE tbl = 'actions' AND row_id = ?"
                              " AND row_ref IS NOT NULL ORDER BY seq DESC LIMIT 1", id);
    if (!ref && id)
        ref = xasprintf("action-%s", sqlite3_value_text(id));
    return ref ? ref : xstrdup("action");
}

static char *meeting_ref(struct store *st, sqlite3_value *id)
{
    char *date = lookup_text(st, "SELECT date FROM meetings WHERE id = ?", id);
    char *ref = date ? xasprintf("meeting-%s", date)
                     : xasprintf("meeting-%s", id ? (const char *)sqlite3_value_text(id) : "");
    free(date);
    return ref;
}

/* The reference a conflict about this row is listed under. */
static char *row_ref(struct merge_ctx *m, const struct table_cols *tc, const struct views *w)
{
    const char *t = tc->table;
    if (strcmp(t, "actions") == 0 || strcmp(t, "objectives") == 0) {
        char *ref = value_text(v_any(w, table_col(tc, "ref")));
        if (*ref)
            return ref;
        free(ref);
        return strcmp(t, "actions") == 0 ? action_ref(m->st, v_any(w, 0)) : xstrdup("objective");
    }
    if (strcmp(t, "updates") == 0 || strcmp(t, "action_partners") == 0)
        return action_ref(m->st, v_any(w, table_col(tc, "action_id")));
    if (strcmp(t, "minute_entries") == 0) {
        sqlite3_value *a = v_any(w, table_col(tc, "action_id"));
        if (a && sqlite3_value_type(a) != SQLITE_NULL)
            return action_ref(m->st, a);
    }
    if (strcmp(t, "meetings") == 0) {
        char *date = value_text(v_any(w, table_col(tc, "date")));
        char *ref = xasprintf("meeting-%s", date);
        free(date);
        return ref;
    }
    return meeting_ref(m->st, v_any(w, table_col(tc, "meeting_id")));
}

/* The name a conflict lists column i under ("due", "update.text", "attendance.WMP.status"). */
static char *field_name(const struct table_cols *tc, const struct views *w, int i)
{
    const struct col_rule *r = col_rule(tc->table, tc->col[i]);
    const char *name = r && r->label ? r->label : tc->col[i];
    const char *prefix = "";
    for (size_t k = 0; k < sizeof field_prefixes / sizeof field_prefixes[0]; k++)
        if (strcmp(field_prefixes[k].table, tc->table) == 0)
            prefix = field_prefixes[k].prefix;
    if (strcmp(tc->table, "attendance") == 0) {
        char *agency = value_text(v_any(w, table_col(tc, "agency")));
        char *f = xasprintf("attendance.%s.%s", agency, name);
        free(agency);
        return f;
    }
    return xasprintf("%s%s", prefix, name);
}

/* How column i of this unit reads to a person (objective ids as references, a RAG
 * override with its reason). */
static char *show_value(struct merge_ctx *m, const struct table_cols *tc, int i, sqlite3_value *v,
                        sqlite3_value *reason)
{
    if (strcmp(tc->table, "actions") == 0 && strcmp(tc->col[i], "objective_id") == 0 && v &&
        sqlite3_value_type(v) != SQLITE_NULL) {
        char *ref = lookup_text(m->st, "SELECT ref FROM objectives WHERE id = ?", v);
        if (ref)
            return ref;
    }
    char *text = value_text(v);
    if (reason && *text && sqlite3_value_type(reason) == SQLITE_TEXT) {
        char *both = xasprintf("%s: %s", text, sqlite3_value_text(reason));
        free(text);
        return both;
    }
    return text;
}

/* ---- conflicts and choices ---- */

static struct change_choice *find_choice(struct merge_ctx *m, const char *ref, const char *field,
                                         const char *column)
{
    for (size_t i = 0; i < m->n_choices; i++) {
        struct change_choice *c = &m->choices[i];
        if (c->ref && c->field && str_ieq(c->ref, ref) &&
            (str_ieq(c->field, field) || (column && str_ieq(c->field, column))))
            return c;
    }
    return NULL;
}

/* Record a conflict and say how it was settled: CHANGE_THEIRS means "write theirs". An
 * open conflict already listed under the same reference and field takes the later
 * value instead of being listed twice. */
static enum change_side conflict(struct merge_ctx *m, const char *ref, const char *field,
                                 const char *column, char *ours, char *theirs,
                                 bool theirs_possible)
{
    struct merge_result *r = m->res;
    struct change_choice *choice = find_choice(m, ref, field, column);
    enum change_side side = choice ? choice->side : CHANGE_UNDECIDED;
    if (side == CHANGE_THEIRS && !theirs_possible) {
        add_notice(r, xasprintf("%s:%s: their change cannot be taken (%s); take ours to settle "
                                "it", ref, field, ours));
        side = CHANGE_UNDECIDED;
    } else if (choice) {
        choice->used = true;
    }
    if (side == CHANGE_UNDECIDED) {
        m->entry_open++;
        for (size_t i = 0; i < r->n_conflicts; i++) {
            struct change_conflict *c = &r->conflicts[i];
            if (c->taken == CHANGE_UNDECIDED && strcmp(c->ref, ref) == 0 &&
                strcmp(c->field, field) == 0) {
                free(c->theirs);
                free(c->by);
                free(c->at);
                c->theirs = theirs;
                c->by = xstrdup(m->entry->user);
                c->at = xstrdup(m->entry->at);
                free(ours);
                return side;
            }
        }
        r->open++;
    }
    r->conflicts = xrealloc(r->conflicts, (r->n_conflicts + 1) * sizeof *r->conflicts);
    r->conflicts[r->n_conflicts++] = (struct change_conflict){
        .ref = xstrdup(ref),
        .field = xstrdup(field),
        .ours = ours,
        .theirs = theirs,
        .by = xstrdup(m->entry->user),
        .at = xstrdup(m->entry->at),
        .taken = side,
        .theirs_possible = theirs_possible,
    };
    return side;
}

/* ---- deferred writes ---- */

static struct pending *pending_new(struct merge_ctx *m, const struct table_cols *tc,
                                   const struct views *w, bool del)
{
    if (m->n_writes == m->cap_writes) {
        m->cap_writes = m->cap_writes ? m->cap_writes * 2 : 8;
        m->writes = xrealloc(m->writes, m->cap_writes * sizeof *m->writes);
    }
    struct pending *p = &m->writes[m->n_writes++];
    memset(p, 0, sizeof *p);
    p->tc = tc;
    p->del = del;
    p->col = xcalloc((size_t)tc->n, sizeof *p->col);
    p->val = xcalloc((size_t)tc->n, sizeof *p->val);
    unsigned char *pk;
    int n;
    sqlite3changeset_pk(w->it, &pk, &n);
    for (int i = 0; i < n && i < tc->n; i++) {
        if (!pk[i])
            continue;
        sqlite3_value *v = w->op == SQLITE_INSERT ? v_new(w, i) : v_old(w, i);
        p->col[p->n] = i;
        p->val[p->n++] = sqlite3_value_dup(v);
        p->n_pk++;
    }
    return p;
}

static void pending_set(struct pending *p, int col, sqlite3_value *v)
{
    p->col[p->n] = col;
    p->val[p->n++] = sqlite3_value_dup(v);
}

static void pending_free(struct pending *p)
{
    for (int i = 0; i < p->n; i++)
        sqlite3_value_free(p->val[i]);
    free(p->col);
    free(p->val);
}

static int pending_run(struct merge_ctx *m, struct pending *p)
{
    struct store *st = m->st;
    if (p->del && strcmp(p->tc->table, "actions") == 0 && p->n_pk == 1)
        return action_delete_rows(st, sqlite3_value_int64(p->val[0]), m->err);
    if (!p->del && p->n == p->n_pk)
        return 0;
    struct strbuf sql = {0};
    if (p->del) {
        sb_addf(&sql, "DELETE FROM \"%s\"", p->tc->table);
    } else {
        sb_addf(&sql, "UPDATE \"%s\" SET ", p->tc->table);
        for (int i = p->n_pk; i < p->n; i++)
            sb_addf(&sql, "%s\"%s\" = ?%d", i > p->n_pk ? ", " : "", p->tc->col[p->col[i]],
                    i + 1);
    }
    for (int i = 0; i < p->n_pk; i++)
        sb_addf(&sql, "%s\"%s\" = ?%d", i ? " AND " : " WHERE ", p->tc->col[p->col[i]], i + 1);
    sqlite3_stmt *s;
    int rc = store_prepare(st, sql.buf, &s, m->err);
    sb_free(&sql);
    if (rc != 0)
        return -1;
    for (int i = 0; i < p->n; i++)
        sqlite3_bind_value(s, i + 1, p->val[i]);
    return step_done(st, s, "merging a change", m->err);
}

/* ---- deciding, field by field ---- */

/* unit[i]: the column that column i is decided with (itself, or its group's leader). */
static void units_of(const struct table_cols *tc, int *unit)
{
    for (int i = 0; i < tc->n; i++) {
        const struct col_rule *r = col_rule(tc->table, tc->col[i]);
        int lead = r && r->group ? table_col(tc, r->group) : -1;
        unit[i] = lead >= 0 ? lead : i;
    }
}

static enum col_policy policy(const struct table_cols *tc, int i)
{
    const struct col_rule *r = col_rule(tc->table, tc->col[i]);
    return r ? r->pol : POL_FIELD;
}

/* The reason column shown beside a RAG override, or -1. */
static int reason_col(const struct table_cols *tc, int lead)
{
    return strcmp(tc->table, "actions") == 0 && strcmp(tc->col[lead], "rag_override") == 0
               ? table_col(tc, "override_reason")
               : -1;
}

/* An UPDATE whose old values no longer match (kind DATA), or an INSERT of a row that is
 * already here (kind CONFLICT: no old values, so any difference in a field conflicts). */
static void merge_fields(struct merge_ctx *m, const struct table_cols *tc, const struct views *w)
{
    bool is_insert = w->op == SQLITE_INSERT;
    int *unit = xcalloc((size_t)tc->n, sizeof *unit);
    units_of(tc, unit);
    unsigned char *pk;
    int n_pk_cols;
    sqlite3changeset_pk(w->it, &pk, &n_pk_cols);
    struct pending *p = NULL;
    char *ref = NULL;
    bool write_needed = false;
    for (int lead = 0; lead < tc->n; lead++) {
        if (unit[lead] != lead || (lead < n_pk_cols && pk[lead]))
            continue;
        bool modified = false, same_new = true, same_old = !is_insert;
        for (int i = 0; i < tc->n; i++) {
            if (unit[i] != lead || !v_new(w, i))
                continue;
            modified = true;
            same_new = same_new && value_eq(v_cur(w, i), v_new(w, i));
            same_old = same_old && value_eq(v_cur(w, i), v_old(w, i));
        }
        if (!modified || same_new)
            continue;
        enum col_policy pol = policy(tc, lead);
        bool take = false;
        if (pol == POL_SKIP) {
            continue;
        } else if (pol == POL_LATEST) {
            sqlite3_value *c = v_cur(w, lead), *n = v_new(w, lead);
            take = !c || sqlite3_value_type(c) == SQLITE_NULL ||
                   (n && sqlite3_value_type(n) == SQLITE_TEXT &&
                    strcmp((const char *)sqlite3_value_text(n),
                           (const char *)sqlite3_value_text(c)) > 0);
        } else if (pol == POL_QUIET) {
            take = same_old;
        } else if (same_old) {
            take = true;
            write_needed = true;
        } else {
            if (!ref)
                ref = row_ref(m, tc, w);
            char *field = field_name(tc, w, lead);
            int rc_col = reason_col(tc, lead);
            sqlite3_value *their_reason = NULL;
            if (rc_col >= 0)
                their_reason = v_new(w, rc_col) ? v_new(w, rc_col) : v_cur(w, rc_col);
            char *ours = show_value(m, tc, lead, v_cur(w, lead), rc_col >= 0 ? v_cur(w, rc_col)
                                                                               : NULL);
            sqlite3_value *their_lead = v_new(w, lead) ? v_new(w, lead) : v_cur(w, lead);
            char *theirs = show_value(m, tc, lead, their_lead, their_reason);
            take = conflict(m, ref, field, tc->col[lead], ours, theirs, true) == CHANGE_THEIRS;
            write_needed = write_needed || take;
            free(field);
        }
        if (!take)
            continue;
        if (!p)
            p = pending_new(m, tc, w, false);
        for (int i = 0; i < tc->n; i++)
            if (unit[i] == lead && v_new(w, i))
                pending_set(p, i, v_new(w, i));
    }
    /* Bookkeeping alone (a newer time, a meeting's place) is written only with a field. */
    if (p && !write_needed && strcmp(tc->table, "actions") == 0) {
        pending_free(p);
        m->n_writes--;
    }
    free(ref);
    free(unit);
}

/* Labels of the fields (not bookkeeping) where a and b differ: "title, due". */
static char *differing(const struct table_cols *tc, const struct views *w,
                       sqlite3_value *(*a)(const struct views *, int),
                       sqlite3_value *(*b)(const struct views *, int))
{
    struct strbuf sb = {0};
    int *unit = xcalloc((size_t)tc->n, sizeof *unit);
    units_of(tc, unit);
    for (int i = 0; i < tc->n; i++) {
        if (unit[i] != i || policy(tc, i) != POL_FIELD)
            continue;
        bool differs = false;
        for (int k = 0; k < tc->n; k++)
            if (unit[k] == i && a(w, k) && !value_eq(a(w, k), b(w, k)))
                differs = true;
        if (differs) {
            const struct col_rule *r = col_rule(tc->table, tc->col[i]);
            sb_add(&sb, sb.len ? ", " : "");
            sb_add(&sb, r && r->label ? r->label : tc->col[i]);
        }
    }
    free(unit);
    return sb_take(&sb);
}

/* They deleted a row that changed here (kind DATA on a DELETE). */
static void merge_delete(struct merge_ctx *m, const struct table_cols *tc, const struct views *w)
{
    char *changed = differing(tc, w, v_old, v_cur);
    if (!*changed) { /* only bookkeeping moved on here: delete it as they did */
        pending_new(m, tc, w, true);
        free(changed);
        return;
    }
    char *ref = row_ref(m, tc, w);
    char *ours = xasprintf("changed here: %s", changed);
    free(changed);
    if (conflict(m, ref, "deleted", NULL, ours, xstrdup("deleted there"), true) == CHANGE_THEIRS)
        pending_new(m, tc, w, true);
    free(ref);
}

/* They changed a row that was deleted here (kind NOTFOUND on an UPDATE). */
static void merge_missing(struct merge_ctx *m, const struct table_cols *tc, const struct views *w)
{
    char *changed = differing(tc, w, v_new, v_old);
    if (*changed) {
        char *ref = row_ref(m, tc, w);
        conflict(m, ref, "deleted", NULL, xstrdup("deleted here"),
                 xasprintf("changed there: %s", changed), false);
        free(ref);
    }
    free(changed);
}

static bool renumbered(const struct merge_ctx *m, sqlite3_value *id)
{
    for (size_t i = 0; id && i < m->n_renumbered; i++)
        if (m->renumbered[i] == sqlite3_value_int64(id))
            return true;
    return false;
}

static int on_conflict(void *ctx, int kind, sqlite3_changeset_iter *it)
{
    struct merge_ctx *m = ctx;
    if (kind == SQLITE_CHANGESET_FOREIGN_KEY) {
        m->fk_failed = true;
        return SQLITE_CHANGESET_ABORT;
    }
    const char *table;
    int n_cols, op, indirect;
    sqlite3changeset_op(it, &table, &n_cols, &op, &indirect);
    const struct table_cols *tc = table_of(m, table);
    if (!tc || tc->n != n_cols)
        return SQLITE_CHANGESET_OMIT; /* refused before the apply (check_layout) */
    struct views w = {it, kind, op, n_cols};
    switch (kind) {
    case SQLITE_CHANGESET_DATA:
        if (op == SQLITE_UPDATE)
            merge_fields(m, tc, &w);
        else
            merge_delete(m, tc, &w);
        break;
    case SQLITE_CHANGESET_CONFLICT:
        if (!(strcmp(table, "actions") == 0 && renumbered(m, v_new(&w, 0))))
            merge_fields(m, tc, &w);
        break;
    case SQLITE_CHANGESET_NOTFOUND:
        if (op == SQLITE_UPDATE)
            merge_missing(m, tc, &w);
        break; /* a row they deleted is already gone here */
    case SQLITE_CHANGESET_CONSTRAINT: {
        char *ref = row_ref(m, tc, &w);
        conflict(m, ref, "refused", NULL, xstrdup(""),
                 xstrdup("their change breaks a rule of the plan here (a reference used twice, "
                         "or a value out of range)"),
                 false);
        free(ref);
        break;
    }
    default:
        break;
    }
    return SQLITE_CHANGESET_OMIT;
}

static int apply_filter(void *ctx, const char *table)
{
    (void)ctx;
    return changes_tracked(table);
}

/* ---- before the apply ---- */

/* The reference an action of theirs gets when its own is taken here. */
static char *free_ref(struct store *st, const char *ref)
{
    size_t n = strlen(ref);
    while (n > 0 && ref[n - 1] >= '0' && ref[n - 1] <= '9')
        n--;
    if (n > 0 && n < strlen(ref) && (ref[n - 1] == '.' || ref[n - 1] == '-'))
        n--;
    char *prefix = xstrndup(ref, n ? n : strlen(ref));
    char *next = store_next_ref(st, prefix);
    free(prefix);
    return next ? next : xasprintf("%s-2", ref);
}

static char *quoted_title(struct store *st, int64_t id)
{
    sqlite3_stmt *s;
    char *t = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT title FROM actions WHERE id = ?", -1, &s, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int64(s, 1, id);
        if (sqlite3_step(s) == SQLITE_ROW)
            t = col_text(s, 0, false);
        sqlite3_finalize(s);
    }
    char *q = xasprintf("\"%s\"", t ? t : "");
    free(t);
    return q;
}

/* Their new action takes a reference an action made here already has: the one with the
 * lower id keeps it (the same rule in every copy, so copies agree), the other gets the
 * next free reference. */
static int settle_ref_clash(struct merge_ctx *m, const struct table_cols *tc,
                            sqlite3_changeset_iter *it)
{
    struct store *st = m->st;
    int ref_col = table_col(tc, "ref");
    sqlite3_value *id = NULL, *ref = NULL;
    if (ref_col < 0 || sqlite3changeset_new(it, 0, &id) != SQLITE_OK ||
        sqlite3changeset_new(it, ref_col, &ref) != SQLITE_OK || !id || !ref ||
        sqlite3_value_type(ref) != SQLITE_TEXT)
        return 0;
    sqlite3_stmt *s;
    if (store_prepare(st, "SELECT (SELECT 1 FROM actions WHERE id = ?1),"
                          " (SELECT id FROM actions WHERE ref = ?2)", &s, m->err) != 0)
        return -1;
    sqlite3_bind_value(s, 1, id);
    sqlite3_bind_value(s, 2, ref);
    int64_t theirs = sqlite3_value_int64(id), ours = 0;
    bool have = false;
    if (sqlite3_step(s) == SQLITE_ROW) {
        have = sqlite3_column_type(s, 0) != SQLITE_NULL;
        ours = sqlite3_column_int64(s, 1);
    }
    sqlite3_finalize(s);
    if (have || ours == 0 || ours == theirs)
        return 0;
    const char *old_ref = (const char *)sqlite3_value_text(ref);
    char *next = free_ref(st, old_ref);
    char *our_title = quoted_title(st, ours);
    int rc;
    if (theirs < ours) {
        rc = store_prepare(st, "UPDATE actions SET ref = ?2 WHERE id = ?1", &s, m->err);
        if (rc == 0) {
            sqlite3_bind_int64(s, 1, ours);
            sqlite3_bind_text(s, 2, next, -1, SQLITE_STATIC);
            rc = step_done(st, s, "renumbering an action", m->err);
        }
        if (rc == 0) {
            sqlite3_value *title = NULL;
            int title_col = table_col(tc, "title");
            if (title_col >= 0)
                sqlite3changeset_new(it, title_col, &title);
            add_notice(m->res, xasprintf("%s was added in both copies: theirs (\"%s\") keeps %s, "
                                         "and ours (%s) is now %s",
                                         old_ref, title ? (const char *)sqlite3_value_text(title)
                                                        : "",
                                         old_ref, our_title, next));
        }
    } else {
        struct strbuf sql = {0};
        sb_add(&sql, "INSERT INTO actions (");
        for (int i = 0; i < tc->n; i++)
            sb_addf(&sql, "%s\"%s\"", i ? ", " : "", tc->col[i]);
        sb_add(&sql, ") VALUES (");
        for (int i = 0; i < tc->n; i++)
            sb_addf(&sql, "%s?%d", i ? ", " : "", i + 1);
        sb_add(&sql, ")");
        rc = store_prepare(st, sql.buf, &s, m->err);
        sb_free(&sql);
        for (int i = 0; rc == 0 && i < tc->n; i++) {
            sqlite3_value *v = NULL;
            sqlite3changeset_new(it, i, &v);
            if (i == ref_col)
                sqlite3_bind_text(s, i + 1, next, -1, SQLITE_STATIC);
            else if (v)
                sqlite3_bind_value(s, i + 1, v);
        }
        if (rc == 0)
            rc = step_done(st, s, "adding their action", m->err);
        if (rc == 0) {
            m->renumbered = xrealloc(m->renumbered,
                                     (m->n_renumbered + 1) * sizeof *m->renumbered);
            m->renumbered[m->n_renumbered++] = theirs;
            char *their_title = quoted_title(st, theirs);
            add_notice(m->res, xasprintf("%s was added in both copies: ours (%s) keeps %s, and "
                                         "theirs (%s) is added as %s",
                                         old_ref, our_title, old_ref, their_title, next));
            free(their_title);
        }
    }
    free(our_title);
    free(next);
    return rc;
}

/* Check every table's layout matches, and settle reference clashes of new actions. */
static int prepare_entry(struct merge_ctx *m, bool *refused)
{
    const struct changes_entry *e = m->entry;
    sqlite3_changeset_iter *it;
    if (sqlite3changeset_start(&it, e->size, (void *)e->data) != SQLITE_OK)
        return rb_fail(m->err, "reading a changeset failed");
    int rc = 0;
    while (rc == 0 && !*refused && sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *table;
        int n_cols, op, indirect;
        sqlite3changeset_op(it, &table, &n_cols, &op, &indirect);
        const struct table_cols *tc = table_of(m, table);
        if (!tc || tc->n != n_cols) {
            add_notice(m->res, xasprintf("changes made by %s at %s were not merged: this copy's "
                                         "%s table is laid out differently (another version of "
                                         "ragboard?)", e->user, e->at, table));
            *refused = true;
        } else if (op == SQLITE_INSERT && strcmp(table, "actions") == 0) {
            rc = settle_ref_clash(m, tc, it);
        }
    }
    sqlite3changeset_finalize(it);
    return rc;
}

/* ---- one entry, and the whole file ---- */

static int record_entry(struct merge_ctx *m, int64_t merge_id)
{
    const struct changes_entry *e = m->entry;
    sqlite3_stmt *s;
    if (store_prepare(m->st, "INSERT INTO change_journal (key, origin, at, user, recorded_at,"
                             " merge_id, changeset) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      &s, m->err) != 0)
        return -1;
    char now[CHANGES_TIME_LEN];
    sqlite3_bind_int64(s, 1, e->key);
    sqlite3_bind_text(s, 2, e->origin, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, e->at, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, e->user, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, store_now(now), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 6, merge_id);
    sqlite3_bind_blob(s, 7, e->data, e->size, SQLITE_STATIC);
    return step_done(m->st, s, "recording a merged change", m->err);
}

static void drop_conflicts_since(struct merge_result *r, size_t n, size_t open)
{
    while (r->n_conflicts > n) {
        struct change_conflict *c = &r->conflicts[--r->n_conflicts];
        free(c->ref);
        free(c->field);
        free(c->ours);
        free(c->theirs);
        free(c->by);
        free(c->at);
    }
    r->open = open;
}

static void writes_clear(struct merge_ctx *m)
{
    for (size_t i = 0; i < m->n_writes; i++)
        pending_free(&m->writes[i]);
    m->n_writes = 0;
}

/* Merge one entry inside its own savepoint. Returns 0 (merged, or held and counted), or
 * -1 when the database failed. */
static int merge_entry(struct merge_ctx *m, int64_t merge_id)
{
    struct store *st = m->st;
    struct merge_result *r = m->res;
    const struct changes_entry *e = m->entry;
    if (sqlite3_exec(st->db, "SAVEPOINT merge_entry", NULL, NULL, NULL) != SQLITE_OK)
        return store_error(st, "merging", m->err);
    size_t n_conflicts = r->n_conflicts, open = r->open;
    m->entry_open = 0;
    m->fk_failed = false;
    m->n_renumbered = 0;
    bool refused = false;
    char msg[RB_ERRLEN] = "";
    char *saved_err = m->err;
    m->err = msg;
    int rc = prepare_entry(m, &refused);
    if (rc == 0 && !refused) {
        int arc = sqlite3changeset_apply_v2(st->db, e->size, (void *)e->data, apply_filter,
                                            on_conflict, m, NULL, NULL, 0);
        if (arc != SQLITE_OK) {
            if (!m->fk_failed)
                snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(st->db));
            rc = -1;
        }
    }
    for (size_t i = 0; rc == 0 && !refused && i < m->n_writes; i++)
        rc = pending_run(m, &m->writes[i]);
    writes_clear(m);
    m->err = saved_err;
    if (rc != 0 || refused) {
        /* This entry cannot be merged here; the rest of the file still can. */
        sqlite3_exec(st->db, "ROLLBACK TO merge_entry; RELEASE merge_entry", NULL, NULL, NULL);
        drop_conflicts_since(r, n_conflicts, open);
        if (!refused)
            add_notice(r, xasprintf("changes made by %s at %s were not merged: %s", e->user,
                                    e->at,
                                    m->fk_failed ? "they refer to an agency, action or meeting "
                                                   "this copy does not have"
                                                 : msg));
        r->held++;
        return 0;
    }
    if (m->entry_open == 0) {
        if (record_entry(m, merge_id) != 0) {
            sqlite3_exec(st->db, "ROLLBACK TO merge_entry; RELEASE merge_entry", NULL, NULL, NULL);
            return -1;
        }
        r->merged++;
    } else {
        r->held++;
    }
    if (sqlite3_exec(st->db, "RELEASE merge_entry", NULL, NULL, NULL) != SQLITE_OK)
        return store_error(st, "merging", m->err);
    return 0;
}

bool change_side_parse(const char *s, enum change_side *out)
{
    if (s && str_ieq(s, "ours")) {
        *out = CHANGE_OURS;
        return true;
    }
    if (s && str_ieq(s, "theirs")) {
        *out = CHANGE_THEIRS;
        return true;
    }
    return false;
}

void merge_result_free(struct merge_result *r)
{
    if (!r)
        return;
    drop_conflicts_since(r, 0, 0);
    free(r->conflicts);
    for (size_t i = 0; i < r->n_notices; i++)
        free(r->notices[i]);
    free(r->notices);
    memset(r, 0, sizeof *r);
}

static int check_plan(struct store *st, const struct changes_file *f, char *err)
{
    struct copy_identity id;
    if (changes_identity(st, &id, err) != 0)
        return -1;
    if (strcmp(id.plan_id, f->from.plan_id) != 0)
        return rb_fail(err, "the changeset comes from another plan (plan %s; this is plan %s): "
                            "only copies made from one plan file can exchange changes",
                       f->from.plan_id, id.plan_id);
    return 0;
}

/* Is this entry already in the journal? */
static int known(struct store *st, int64_t key, bool *yes, char *err)
{
    sqlite3_stmt *s;
    if (store_prepare(st, "SELECT 1 FROM change_journal WHERE key = ?", &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, key);
    int step = sqlite3_step(s);
    sqlite3_finalize(s);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return store_error(st, "reading the change journal", err);
    *yes = step == SQLITE_ROW;
    return 0;
}

int changes_count_new(struct store *st, const struct changes_file *f, size_t *n, char *err)
{
    *n = 0;
    if (check_plan(st, f, err) != 0)
        return -1;
    for (size_t i = 0; i < f->n; i++) {
        bool yes;
        if (known(st, f->v[i].key, &yes, err) != 0)
            return -1;
        *n += !yes;
    }
    return 0;
}

static int merge_all(struct merge_ctx *m, const struct changes_file *f, const char *file_name,
                     int64_t merge_id)
{
    struct store *st = m->st;
    sqlite3_stmt *s;
    if (store_prepare(st, "INSERT INTO merges (id, at, user, file, source_copy, checksum)"
                          " VALUES (?, ?, ?, ?, ?, ?)", &s, m->err) != 0)
        return -1;
    char now[CHANGES_TIME_LEN], crc[16];
    snprintf(crc, sizeof crc, "crc32:%08x", (unsigned)f->crc);
    sqlite3_bind_int64(s, 1, merge_id);
    sqlite3_bind_text(s, 2, store_now(now), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, st->user, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, file_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, f->from.copy_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, crc, -1, SQLITE_STATIC);
    if (step_done(st, s, "recording the merge", m->err) != 0)
        return -1;
    for (size_t i = 0; i < f->n; i++) {
        bool yes;
        if (known(st, f->v[i].key, &yes, m->err) != 0)
            return -1;
        if (yes) {
            m->res->known++;
            continue;
        }
        m->entry = &f->v[i];
        if (merge_entry(m, merge_id) != 0)
            return -1;
    }
    if (store_prepare(st, "SELECT count(*) FROM audit WHERE merge_id = ? AND tbl <> 'merges'", &s,
                      m->err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, merge_id);
    if (sqlite3_step(s) == SQLITE_ROW)
        m->res->changes = (size_t)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (store_prepare(st, "UPDATE merges SET merged = ?2, held = ?3, conflicts = ?4 WHERE id = ?1",
                      &s, m->err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, merge_id);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)m->res->merged);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)m->res->held);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)m->res->open);
    return step_done(st, s, "recording the merge", m->err);
}

static void note_unused(struct merge_result *res, const struct change_choice *choices, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!choices[i].used)
            add_notice(res, xasprintf("--take %s %s:%s matched no conflict in this file",
                                      choices[i].side == CHANGE_THEIRS ? "theirs" : "ours",
                                      choices[i].ref ? choices[i].ref : "",
                                      choices[i].field ? choices[i].field : ""));
}

int changes_apply(struct store *st, const struct changes_file *f, const char *file_name,
                  struct change_choice *choices, size_t n_choices, struct merge_result *res,
                  char *err)
{
    memset(res, 0, sizeof *res);
    res->entries = f->n;
    if (check_plan(st, f, err) != 0)
        return -1;
    if (st->readonly)
        return rb_fail(err, "%s is open read-only; changes cannot be merged into it", st->path);
    /* Anything edited here but not yet journaled is journaled as our own first, in a
     * transaction of its own, so that nothing the merge rolls back can take it along. */
    struct changes_state *c = st->changes;
    if (c->session && !sqlite3session_isempty(c->session)) {
        if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
            return store_error(st, "starting the merge", err);
        int rc = changes_flush(st, err);
        if (rc == 0 && sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            rc = store_error(st, "starting the merge", err);
        if (rc != 0) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return store_error(st, "starting the merge", err);
    for (size_t i = 0; i < n_choices; i++)
        choices[i].used = false;
    size_t fresh = 0;
    int counted = changes_count_new(st, f, &fresh, err);
    if (counted != 0 || fresh == 0) {
        /* Nothing new: write nothing at all. */
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        if (counted != 0)
            return -1;
        res->known = f->n;
        note_unused(res, choices, n_choices);
        return 0;
    }
    struct merge_ctx m = {
        .st = st, .choices = choices, .n_choices = n_choices, .res = res, .err = err,
    };
    int64_t merge_id = store_new_key();
    st->changes->merge_id = merge_id;
    int rc = merge_all(&m, f, file_name, merge_id);
    st->changes->merge_id = 0;
    /* What the merge wrote is journaled as the entries it merged, not as our own edit. */
    if (rc == 0)
        rc = changes_session_restart(st, err);
    bool wrote = res->merged > 0 || res->changes > 0;
    if (rc == 0 && wrote) {
        if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            rc = store_error(st, "saving the merge", err);
        else
            res->merge_id = merge_id;
    }
    if (rc != 0 || !wrote) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        changes_session_restart(st, NULL);
    }
    for (size_t i = 0; i < m.n_tables; i++)
        table_cols_free(&m.tables[i]);
    free(m.tables);
    free(m.writes);
    free(m.renumbered);
    if (rc != 0) {
        merge_result_free(res);
        return -1;
    }
    store_undo_clear(st);
    note_unused(res, choices, n_choices);
    return 0;
}

/* Undo of the last change made through a store handle: a snapshot of the action, its
 * partners and its updates taken before the change, put back in one audited edit. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/edit.h"
#include "ragboard/util.h"

/* Every column of actions, in the order the snapshot holds them. */
#define SNAP_ACTION_COLUMNS \
    "id, ref, title, description, strand, objective_id, lead, owner, start_date," \
    " due_date, progress, state, rag_override, override_reason, override_by, override_at," \
    " confidential, created_at, updated_at, version"
enum { AC_ID = 0, AC_REF = 1, AC_VERSION = 19, AC_N = 20 };

#define SNAP_UPDATE_COLUMNS "id, action_id, date, author, text, progress, confidential, created_at"
enum { UC_ID = 0, UC_N = 8 };
enum { PC_AGENCY = 0, PC_N = 2 };

/* Rows of column values copied out of the database. */
struct snap {
    sqlite3_value **v; /* n * cols values */
    size_t n;
    int cols;
};

struct undo_record {
    enum undo_kind kind;
    int64_t action_id;
    bool existed; /* the action existed before the change */
    bool nested;  /* recorded inside the caller's own transaction */
    struct snap row, partners, updates, minutes;
    int64_t version_after; /* the version the change produced (0 when deleted) */
    char ref[64];
    char label[128];
};

static void snap_free(struct snap *s)
{
    for (size_t i = 0; i < s->n * (size_t)s->cols; i++)
        sqlite3_value_free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

void undo_free(struct undo_record *u)
{
    if (!u)
        return;
    snap_free(&u->row);
    snap_free(&u->partners);
    snap_free(&u->updates);
    snap_free(&u->minutes);
    free(u);
}

/* Copy every row of sql (one parameter: the action id) into out. */
static int snap_take(struct store *st, const char *sql, int64_t id, struct snap *out, char *err)
{
    sqlite3_stmt *s;
    if (store_prepare(st, sql, &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    out->cols = sqlite3_column_count(s);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 4;
            out->v = xrealloc(out->v, cap * (size_t)out->cols * sizeof *out->v);
        }
        for (int c = 0; c < out->cols; c++) {
            sqlite3_value *v = sqlite3_value_dup(sqlite3_column_value(s, c));
            if (!v) {
                fprintf(stderr, "ragboard: out of memory\n");
                abort();
            }
            out->v[out->n * (size_t)out->cols + (size_t)c] = v;
        }
        out->n++;
    }
    sqlite3_finalize(s);
    if (step != SQLITE_DONE)
        return store_error(st, "remembering the action for undo", err);
    return 0;
}

static sqlite3_value *snap_at(const struct snap *s, size_t row, int col)
{
    return s->v[row * (size_t)s->cols + (size_t)col];
}

int undo_capture(struct store *st, enum undo_kind kind, int64_t action_id, char *err)
{
    undo_free(st->pending);
    st->pending = NULL;
    struct undo_record *u = xcalloc(1, sizeof *u);
    u->kind = kind;
    u->action_id = action_id;
    int rc = snap_take(st, "SELECT " SNAP_ACTION_COLUMNS " FROM actions WHERE id = ?", action_id,
                       &u->row, err);
    u->existed = rc == 0 && u->row.n == 1;
    if (rc == 0 && u->existed) {
        snprintf(u->ref, sizeof u->ref, "%s",
                 (const char *)sqlite3_value_text(snap_at(&u->row, 0, AC_REF)));
        rc = snap_take(st, "SELECT agency, sort FROM action_partners WHERE action_id = ?",
                       action_id, &u->partners, err);
        if (rc == 0)
            rc = snap_take(st,
                           "SELECT " SNAP_UPDATE_COLUMNS " FROM updates WHERE action_id = ?",
                           action_id, &u->updates, err);
        if (rc == 0 && kind == UNDO_DELETE)
            rc = snap_take(st, "SELECT id FROM minute_entries WHERE action_id = ?", action_id,
                           &u->minutes, err);
    }
    if (rc != 0) {
        undo_free(u);
        return -1;
    }
    st->pending = u;
    return 0;
}

/* What undo would revert, before the reference: "progress update on " PV-3.1. */
static const char *kind_label(enum undo_kind k)
{
    switch (k) {
    case UNDO_INSERT: return "new action ";
    case UNDO_UPDATE: return "progress update on ";
    case UNDO_OVERRIDE: return "RAG override on ";
    case UNDO_SAVE: return "changes to ";
    case UNDO_STATE: return "state change on ";
    case UNDO_COMPLETE: return "completion of ";
    case UNDO_CANCEL: return "cancellation of ";
    case UNDO_CLEAR: return "removal of the RAG override on ";
    case UNDO_DELETE: return "deletion of ";
    }
    return "change to ";
}

int undo_seal(struct store *st, char *err)
{
    struct undo_record *u = st->pending;
    sqlite3_stmt *s;
    if (store_prepare(st, "SELECT ref, version FROM actions WHERE id = ?", &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, u->action_id);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        u->version_after = sqlite3_column_int64(s, 1);
        if (!u->existed)
            snprintf(u->ref, sizeof u->ref, "%s", (const char *)sqlite3_column_text(s, 0));
    } else {
        u->version_after = 0;
    }
    sqlite3_finalize(s);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return store_error(st, "remembering the change for undo", err);
    snprintf(u->label, sizeof u->label, "%s%s", kind_label(u->kind), u->ref);
    return 0;
}

void undo_settle(struct store *st, bool nested, bool saved)
{
    struct undo_record *u = st->pending;
    st->pending = NULL;
    if (!u)
        return;
    if (!saved) {
        undo_free(u);
        return;
    }
    u->nested = nested;
    undo_free(st->undo);
    st->undo = u;
}

void undo_outer_end(struct store *st, bool committed)
{
    if (!st->undo || !st->undo->nested)
        return;
    if (committed) {
        st->undo->nested = false;
    } else {
        undo_free(st->undo);
        st->undo = NULL;
    }
}

void store_undo_clear(struct store *st)
{
    undo_free(st->undo);
    st->undo = NULL;
}

const char *store_undo_label(const struct store *st)
{
    return st->undo ? st->undo->label : NULL;
}

/* ---- putting the snapshot back ---- */

static int bind_values(sqlite3_stmt *s, const struct snap *sn, size_t row, int first, int n)
{
    for (int c = 0; c < n; c++)
        if (sqlite3_bind_value(s, c + 1, snap_at(sn, row, first + c)) != SQLITE_OK)
            return -1;
    return 0;
}

/* Run sql once per snapshot row, binding that row's columns as ?1.. */
static int each_row(struct store *st, const char *sql, const struct snap *sn, int64_t action_id,
                    const char *what, char *err)
{
    if (sn->n == 0)
        return 0;
    sqlite3_stmt *s;
    if (store_prepare(st, sql, &s, err) != 0)
        return -1;
    int rc = 0;
    for (size_t r = 0; r < sn->n && rc == 0; r++) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        bind_values(s, sn, r, 0, sn->cols);
        if (action_id)
            sqlite3_bind_int64(s, sn->cols + 1, action_id);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = store_error(st, what, err);
    }
    sqlite3_finalize(s);
    return rc;
}

static bool snap_has_text(const struct snap *sn, int col, const char *text)
{
    for (size_t r = 0; r < sn->n; r++) {
        const unsigned char *v = sqlite3_value_text(snap_at(sn, r, col));
        if (v && strcmp((const char *)v, text) == 0)
            return true;
    }
    return false;
}

static bool snap_has_int(const struct snap *sn, int col, int64_t x)
{
    for (size_t r = 0; r < sn->n; r++)
        if (sqlite3_value_int64(snap_at(sn, r, col)) == x)
            return true;
    return false;
}

/* Remove partners and updates the action has now but did not have in the snapshot. */
static int drop_extras(struct store *st, const struct undo_record *u, char *err)
{
    struct snap now_p = {0}, now_u = {0};
    int rc = snap_take(st, "SELECT agency FROM action_partners WHERE action_id = ?",
                       u->action_id, &now_p, err);
    if (rc == 0)
        rc = snap_take(st, "SELECT id FROM updates WHERE action_id = ?", u->action_id, &now_u,
                       err);
    sqlite3_stmt *s = NULL;
    if (rc == 0)
        rc = store_prepare(st, "DELETE FROM action_partners WHERE action_id = ?1 AND agency = ?2",
                           &s, err);
    for (size_t r = 0; rc == 0 && r < now_p.n; r++) {
        const char *agency = (const char *)sqlite3_value_text(snap_at(&now_p, r, 0));
        if (!agency || snap_has_text(&u->partners, PC_AGENCY, agency))
            continue;
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, u->action_id);
        sqlite3_bind_text(s, 2, agency, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = store_error(st, "removing a partner", err);
    }
    sqlite3_finalize(s);
    s = NULL;
    if (rc == 0)
        rc = store_prepare(st, "DELETE FROM updates WHERE id = ?", &s, err);
    for (size_t r = 0; rc == 0 && r < now_u.n; r++) {
        int64_t id = sqlite3_value_int64(snap_at(&now_u, r, 0));
        if (snap_has_int(&u->updates, UC_ID, id))
            continue;
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, id);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = store_error(st, "removing an update", err);
    }
    sqlite3_finalize(s);
    snap_free(&now_p);
    snap_free(&now_u);
    return rc;
}

/* Put partners and updates back as in the snapshot (only what differs is written). */
static int restore_children(struct store *st, const struct undo_record *u, char *err)
{
    int rc = each_row(st,
                      "INSERT INTO action_partners (agency, sort, action_id) VALUES (?1, ?2, ?3)"
                      " ON CONFLICT (action_id, agency) DO UPDATE SET sort = excluded.sort"
                      " WHERE sort IS NOT excluded.sort",
                      &u->partners, u->action_id, "restoring partners", err);
    if (rc == 0)
        rc = each_row(st,
                      "INSERT INTO updates (" SNAP_UPDATE_COLUMNS ")"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                      " ON CONFLICT (id) DO UPDATE SET action_id = excluded.action_id,"
                      " date = excluded.date, author = excluded.author, text = excluded.text,"
                      " progress = excluded.progress, confidential = excluded.confidential,"
                      " created_at = excluded.created_at"
                      " WHERE (action_id, date, author, text, progress, confidential,"
                      " created_at) IS NOT (excluded.action_id, excluded.date,"
                      " excluded.author, excluded.text, excluded.progress,"
                      " excluded.confidential, excluded.created_at)",
                      &u->updates, 0, "restoring updates", err);
    return rc;
}

/* Undo a deletion: the row as it was (same key and version), its partners, updates and
 * the minutes that referred to it. */
static int reinsert(struct store *st, const struct undo_record *u, char *err)
{
    sqlite3_stmt *s;
    if (store_prepare(st,
                      "INSERT INTO actions (" SNAP_ACTION_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5,"
                      " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
                      &s, err) != 0)
        return -1;
    bind_values(s, &u->row, 0, 0, AC_N);
    int rc = step_done(st, s, "restoring the action", err);
    if (rc == 0)
        rc = restore_children(st, u, err);
    if (rc == 0)
        rc = each_row(st,
                      "UPDATE minute_entries SET action_id = ?2 WHERE id = ?1"
                      " AND action_id IS NULL",
                      &u->minutes, u->action_id, "restoring minute links", err);
    return rc;
}

/* Undo any other change: every field back (the audit log records each one), then
 * partners and updates to match. The version moves on, so anyone holding the row as
 * it was before the undo sees a conflict. */
static int restore(struct store *st, const struct undo_record *u, char *err)
{
    int rc = drop_extras(st, u, err);
    if (rc == 0)
        rc = restore_children(st, u, err);
    sqlite3_stmt *s;
    if (rc == 0)
        rc = store_prepare(st,
                           "UPDATE actions SET ref = ?2, title = ?3, description = ?4, strand = ?5,"
                           " objective_id = ?6, lead = ?7, owner = ?8, start_date = ?9,"
                           " due_date = ?10, progress = ?11, state = ?12, rag_override = ?13,"
                           " override_reason = ?14, override_by = ?15, override_at = ?16,"
                           " confidential = ?17, created_at = ?18, updated_at = ?19"
                           " WHERE id = ?1",
                           &s, err);
    if (rc == 0) {
        bind_values(s, &u->row, 0, 0, AC_VERSION);
        rc = step_done(st, s, "restoring the action", err);
    }
    return rc;
}

int store_undo(struct store *st, char *what, char *err)
{
    if (what)
        what[0] = '\0';
    struct undo_record *u = st->undo;
    if (!u) {
        rb_fail(err, "there is nothing to undo");
        return STORE_NOT_FOUND;
    }
    bool nested;
    if (edit_begin(st, &nested, err) != 0)
        return -1;
    sqlite3_stmt *s;
    if (store_prepare(st, "SELECT version FROM actions WHERE id = ?", &s, err) != 0)
        return edit_end(st, nested, -1, err);
    sqlite3_bind_int64(s, 1, u->action_id);
    int step = sqlite3_step(s);
    int64_t version = step == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return edit_end(st, nested, store_error(st, "reading the action", err), err);

    bool exists = step == SQLITE_ROW;
    bool conflict = u->kind == UNDO_DELETE ? exists : !exists || version != u->version_after;
    if (conflict) {
        char msg[RB_ERRLEN];
        audit_describe_since(st, u->action_id, u->version_after, msg);
        rb_fail(err, "cannot undo the %s: %s was %s", u->label, u->ref, msg);
        edit_end(st, nested, -1, err);
        store_undo_clear(st);
        return STORE_CONFLICT;
    }

    int rc;
    if (!u->existed)
        rc = action_delete_rows(st, u->action_id, err);
    else if (u->kind == UNDO_DELETE)
        rc = reinsert(st, u, err);
    else
        rc = restore(st, u, err);
    if (rc != 0 && u->kind == UNDO_DELETE &&
        sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_UNIQUE) {
        rb_fail(err, "cannot undo the %s: another action now has reference %s", u->label,
                u->ref);
        edit_end(st, nested, -1, err);
        store_undo_clear(st);
        return STORE_CONFLICT;
    }
    if (edit_end(st, nested, rc, err) != 0)
        return -1;
    if (what)
        snprintf(what, RB_ERRLEN, "Undid %s", u->label);
    store_undo_clear(st);
    return 0;
}

/* The change journal of a copy of the plan, and exporting it as a changeset file.
 *
 * Design: how a copy knows "the changes made in this copy".
 *
 * - Every writable connection records its changes with an SQLite session
 *   (sqlite3session_*) on the plan tables (objectives, actions, partners, updates,
 *   meetings, attendance, minutes, meeting snapshots; not agencies or the partnership,
 *   which come from each copy's own settings, and not the audit log or search index).
 *   Just before each outermost commit (edit_end, store_commit) the session's changeset
 *   is written into the change_journal table in the same transaction, and the session
 *   starts afresh. So the journal holds one changeset per saved edit, committed with the
 *   edit or not at all. A rolled-back edit leaves nothing: a session changeset is the
 *   difference between each row's first-seen and current values.
 * - Each journal entry has a random 64-bit key, the copy it was made in (origin), when
 *   and by whom. Entries merged from another copy are stored with their own key, origin
 *   and bytes, so a copy's journal is the set of edits it holds, wherever they were made.
 * - A copy made with cp keeps the journal, so both copies share every entry made before
 *   they parted. Merging skips entries whose key is already here: sending "everything"
 *   is always safe, applying a file twice changes nothing, and edits passed on through a
 *   third copy come back as no-ops rather than false conflicts.
 * - plan_id (copy_identity) is made once when a plan file is created and is kept by every
 *   copy; a file from another plan is refused. copy_id names this copy: when a writable
 *   open finds the file's inode changed and its path or host name changed too, the file
 *   is a copy, and it takes a new copy id (parent_id remembers the old one). Copy ids
 *   label files and audit rows; merging never depends on them.
 * - Conflicts come from the changesets themselves: an UPDATE carries each changed
 *   field's old and new value. If the field here is still the old value, theirs applies;
 *   if it already holds the new value, nothing to do; otherwise it was changed here too
 *   since the copies parted: a conflict (changes_merge.c).
 * - A merge (changes_merge.c) writes a merges row (file, source copy, counts) and, while
 *   it runs, ragboard_merge() returns that row's id, which the audit table stores in
 *   merge_id for every row the merge writes.
 */
#include "changes_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ragboard/util.h"

static const char *const tracked_tables[] = {
    "objectives", "actions",        "action_partners", "updates",
    "meetings",   "attendance",     "minute_entries",  "meeting_snapshots",
};

bool changes_tracked(const char *table)
{
    for (size_t i = 0; i < sizeof tracked_tables / sizeof tracked_tables[0]; i++)
        if (strcmp(table, tracked_tables[i]) == 0)
            return true;
    return false;
}

static int session_filter(void *ctx, const char *table)
{
    (void)ctx;
    return changes_tracked(table);
}

/* ---- table columns ---- */

int table_cols_load(struct store *st, const char *table, struct table_cols *out, char *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s;
    if (store_prepare(st, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", &s, err) != 0)
        return -1;
    sqlite3_bind_text(s, 1, table, -1, SQLITE_TRANSIENT);
    int cap = 0, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            out->col = xrealloc(out->col, (size_t)cap * sizeof *out->col);
        }
        out->col[out->n++] = col_text(s, 0, false);
    }
    sqlite3_finalize(s);
    out->table = xstrdup(table);
    if (step != SQLITE_DONE) {
        table_cols_free(out);
        return store_error(st, "reading the table layout", err);
    }
    return 0;
}

void table_cols_free(struct table_cols *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->col[i]);
    free(t->col);
    free(t->table);
    memset(t, 0, sizeof *t);
}

int table_col(const struct table_cols *t, const char *name)
{
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->col[i], name) == 0)
            return i;
    return -1;
}

/* ---- recording ---- */

/* ragboard_merge(): the merge being applied, for the audit log's merge_id. */
static void sql_merge(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    struct store *st = sqlite3_user_data(ctx);
    if (st->changes && st->changes->merge_id)
        sqlite3_result_int64(ctx, st->changes->merge_id);
    else
        sqlite3_result_null(ctx);
}

static bool table_exists(struct store *st, const char *name)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?",
                           -1, &s, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
    bool found = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    return found;
}

static int session_start(struct store *st, char *err)
{
    sqlite3_session *s = NULL;
    if (sqlite3session_create(st->db, "main", &s) != SQLITE_OK)
        return store_error(st, "starting the change journal", err);
    sqlite3session_table_filter(s, session_filter, NULL);
    if (sqlite3session_attach(s, NULL) != SQLITE_OK) {
        sqlite3session_delete(s);
        return store_error(st, "starting the change journal", err);
    }
    st->changes->session = s;
    return 0;
}

int changes_session_restart(struct store *st, char *err)
{
    if (!st->changes || !st->changes->session)
        return 0;
    sqlite3session_delete(st->changes->session);
    st->changes->session = NULL;
    return session_start(st, err);
}

/* A file copy takes a new copy id: the inode changed, and so did the path or host. */
static void check_copy(struct store *st)
{
    struct stat sb;
    if (stat(st->path, &sb) != 0)
        return;
    char *real = realpath(st->path, NULL);
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0)
        host[0] = '\0';
    const char *path = real ? real : st->path;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT file_inode IS NULL, file_inode = ?1,"
                           " file_path IS ?2, host IS ?3 FROM copy_identity WHERE id = 1",
                           -1, &s, NULL) != SQLITE_OK) {
        free(real);
        return;
    }
    sqlite3_bind_int64(s, 1, (sqlite3_int64)sb.st_ino);
    sqlite3_bind_text(s, 2, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, host, -1, SQLITE_STATIC);
    const char *sql = NULL;
    if (sqlite3_step(s) == SQLITE_ROW) {
        bool fresh = sqlite3_column_int(s, 0), same_inode = sqlite3_column_int(s, 1);
        bool same_path = sqlite3_column_int(s, 2), same_host = sqlite3_column_int(s, 3);
        if (!fresh && !same_inode && (!same_path || !same_host))
            sql = "UPDATE copy_identity SET parent_id = copy_id,"
                  " copy_id = lower(hex(randomblob(8))), parted_at = ?4,"
                  " file_inode = ?1, file_path = ?2, host = ?3 WHERE id = 1";
        else if (fresh || !same_inode || !same_path || !same_host)
            sql = "UPDATE copy_identity SET file_inode = ?1, file_path = ?2, host = ?3"
                  " WHERE id = 1 AND ?4 IS NOT NULL";
    }
    sqlite3_finalize(s);
    if (sql && sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK) {
        char now[CHANGES_TIME_LEN];
        bool ok = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK;
        if (ok) {
            sqlite3_bind_int64(s, 1, (sqlite3_int64)sb.st_ino);
            sqlite3_bind_text(s, 2, path, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 3, host, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 4, store_now(now), -1, SQLITE_TRANSIENT);
            ok = sqlite3_step(s) == SQLITE_DONE;
            sqlite3_finalize(s);
        }
        sqlite3_exec(st->db, ok ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
    }
    free(real);
}

int changes_attach(struct store *st, char *err)
{
    st->changes = xcalloc(1, sizeof *st->changes);
    if (sqlite3_create_function(st->db, "ragboard_merge", 0, SQLITE_UTF8, st, sql_merge, NULL,
                                NULL) != SQLITE_OK)
        return store_error(st, "setting up the change journal", err);
    /* A plan made before change tracking has no journal: it works, without exchange. */
    st->changes->enabled = table_exists(st, "change_journal") &&
                           table_exists(st, "copy_identity");
    if (!st->changes->enabled || st->readonly)
        return 0;
    check_copy(st);
    return session_start(st, err);
}

int changes_flush(struct store *st, char *err)
{
    struct changes_state *c = st->changes;
    if (!c || !c->session || sqlite3session_isempty(c->session))
        return 0;
    int n = 0;
    void *data = NULL;
    if (sqlite3session_changeset(c->session, &n, &data) != SQLITE_OK)
        return store_error(st, "recording the change", err);
    int rc = 0;
    if (n > 0) {
        sqlite3_stmt *s;
        rc = store_prepare(st,
                           "INSERT INTO change_journal (key, origin, at, user, recorded_at,"
                           " changeset) SELECT ?1, copy_id, ?2, ?3, ?2, ?4 FROM copy_identity"
                           " WHERE id = 1",
                           &s, err);
        if (rc == 0) {
            char now[CHANGES_TIME_LEN];
            sqlite3_bind_int64(s, 1, store_new_key());
            sqlite3_bind_text(s, 2, store_now(now), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(s, 3, st->user, -1, SQLITE_TRANSIENT);
            sqlite3_bind_blob(s, 4, data, n, SQLITE_STATIC);
            rc = step_done(st, s, "recording the change", err);
        }
    }
    sqlite3_free(data);
    if (rc == 0)
        rc = changes_session_restart(st, err);
    return rc;
}

void changes_detach(struct store *st)
{
    struct changes_state *c = st->changes;
    if (!c)
        return;
    /* Changes written outside edit_begin/store_begin are journaled here, at the latest. */
    if (c->session && !sqlite3session_isempty(c->session) && sqlite3_get_autocommit(st->db) &&
        sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK) {
        bool ok = changes_flush(st, NULL) == 0;
        sqlite3_exec(st->db, ok ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
    }
    if (c->session)
        sqlite3session_delete(c->session);
    free(c);
    st->changes = NULL;
}

/* ---- identity ---- */

int changes_identity(struct store *st, struct copy_identity *out, char *err)
{
    memset(out, 0, sizeof *out);
    if (!st->changes || !st->changes->enabled)
        return rb_fail(err, "%s was made before ragboard kept a change journal, so its changes "
                            "cannot be exchanged; start from a new plan file",
                       st->path);
    sqlite3_stmt *s;
    if (store_prepare(st, "SELECT plan_id, copy_id, coalesce(parent_id, '') FROM copy_identity"
                          " WHERE id = 1", &s, err) != 0)
        return -1;
    int rc = 0;
    if (sqlite3_step(s) == SQLITE_ROW) {
        snprintf(out->plan_id, sizeof out->plan_id, "%s", sqlite3_column_text(s, 0));
        snprintf(out->copy_id, sizeof out->copy_id, "%s", sqlite3_column_text(s, 1));
        snprintf(out->parent_id, sizeof out->parent_id, "%s", sqlite3_column_text(s, 2));
    } else {
        rc = store_error(st, "reading the copy's identity", err);
    }
    sqlite3_finalize(s);
    return rc;
}

/* ---- export ---- */

int changes_since(struct store *st, const char *arg, char *out, char *what, char *err)
{
    char buf[RB_ERRLEN];
    if (!what)
        what = buf;
    sqlite3_stmt *s;
    rb_day day;
    if (str_ieq(arg, "last") || str_ieq(arg, "latest")) {
        if (store_prepare(st, "SELECT closed_at, date FROM meetings WHERE closed_at IS NOT NULL"
                              " ORDER BY closed_at DESC LIMIT 1", &s, err) != 0)
            return -1;
        int rc = 0;
        if (sqlite3_step(s) == SQLITE_ROW) {
            snprintf(out, CHANGES_TIME_LEN, "%s", sqlite3_column_text(s, 0));
            rb_day d = col_date(s, 1);
            char uk[RB_DATE_BUF];
            snprintf(what, RB_ERRLEN, "the meeting of %s", date_format_uk(d, uk));
        } else {
            rc = rb_fail(err, "no meeting has been closed yet, so there is no last meeting to "
                              "count from; give a date instead");
        }
        sqlite3_finalize(s);
        return rc;
    }
    if (!date_parse(arg, &day))
        return rb_fail(err, "--since takes 'last' (the last closed meeting), a meeting's date or "
                            "a date (YYYY-MM-DD or dd/mm/yyyy), not '%s'", arg);
    char iso[RB_DATE_BUF], uk[RB_DATE_BUF];
    date_format_iso(day, iso);
    date_format_uk(day, uk);
    if (store_prepare(st, "SELECT min(opened_at) FROM meetings WHERE date = ?", &s, err) != 0)
        return -1;
    sqlite3_bind_text(s, 1, iso, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
        snprintf(out, CHANGES_TIME_LEN, "%s", sqlite3_column_text(s, 0));
        snprintf(what, RB_ERRLEN, "the meeting of %s", uk);
    } else {
        snprintf(out, CHANGES_TIME_LEN, "%sT00:00:00Z", iso);
        snprintf(what, RB_ERRLEN, "%s", uk);
    }
    sqlite3_finalize(s);
    return 0;
}

/* Does the action concern the agency (lead or partner), as it stands here? */
static bool action_is_agency(struct store *st, sqlite3_value *id, const char *agency)
{
    if (!id || sqlite3_value_type(id) != SQLITE_INTEGER)
        return false;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT 1 FROM actions a WHERE a.id = ?1 AND (a.lead = ?2 OR EXISTS"
                           " (SELECT 1 FROM action_partners p WHERE p.action_id = a.id"
                           "  AND p.agency = ?2))",
                           -1, &s, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_int64(s, 1, sqlite3_value_int64(id));
    sqlite3_bind_text(s, 2, agency, -1, SQLITE_STATIC);
    bool yes = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    return yes;
}

static bool value_is(sqlite3_value *v, const char *text)
{
    return v && sqlite3_value_type(v) == SQLITE_TEXT &&
           strcmp((const char *)sqlite3_value_text(v), text) == 0;
}

/* Column i of a change: its new value, else its old one. */
static sqlite3_value *change_value(sqlite3_changeset_iter *it, int op, int i)
{
    sqlite3_value *v = NULL;
    if (op != SQLITE_DELETE)
        sqlite3changeset_new(it, i, &v);
    if (!v && op != SQLITE_INSERT)
        sqlite3changeset_old(it, i, &v);
    return v;
}

/* True when a changeset touches an action the agency leads or supports (as the change
 * left it, or as it stands here), or the agency's attendance. */
static bool entry_touches_agency(struct store *st, const void *data, int size, const char *agency)
{
    sqlite3_changeset_iter *it;
    if (sqlite3changeset_start(&it, size, (void *)data) != SQLITE_OK)
        return false;
    bool hit = false;
    while (!hit && sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *table;
        int n_cols, op, indirect;
        sqlite3changeset_op(it, &table, &n_cols, &op, &indirect);
        if (strcmp(table, "actions") == 0) {
            struct table_cols tc;
            if (table_cols_load(st, table, &tc, NULL) != 0)
                continue;
            int lead = table_col(&tc, "lead");
            table_cols_free(&tc);
            hit = (lead >= 0 && lead < n_cols && value_is(change_value(it, op, lead), agency)) ||
                  action_is_agency(st, change_value(it, op, 0), agency);
        } else if (strcmp(table, "action_partners") == 0) { /* (action_id, agency, sort) */
            hit = n_cols > 1 && (value_is(change_value(it, op, 1), agency) ||
                                 action_is_agency(st, change_value(it, op, 0), agency));
        } else if (strcmp(table, "attendance") == 0) { /* (meeting_id, agency, ...) */
            hit = n_cols > 1 && value_is(change_value(it, op, 1), agency);
        } else if (strcmp(table, "updates") == 0) { /* (id, action_id, ...) */
            hit = n_cols > 1 && action_is_agency(st, change_value(it, op, 1), agency);
        } else if (strcmp(table, "minute_entries") == 0) { /* (id, meeting_id, action_id, ...) */
            hit = n_cols > 2 && action_is_agency(st, change_value(it, op, 2), agency);
        }
    }
    sqlite3changeset_finalize(it);
    return hit;
}

int changes_export(struct store *st, const struct changes_filter *f, FILE *out, size_t *n,
                   char *err)
{
    *n = 0;
    struct copy_identity id;
    if (changes_identity(st, &id, err) != 0)
        return -1;
    /* One read transaction: a consistent snapshot of the journal. */
    bool own_txn = sqlite3_get_autocommit(st->db) &&
                   sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_stmt *s;
    int rc = store_prepare(st, "SELECT key, origin, at, user, changeset FROM change_journal"
                               " WHERE ?1 IS NULL OR recorded_at >= ?1 ORDER BY seq",
                           &s, err);
    struct changes_entry *v = NULL;
    size_t cap = 0;
    int step = SQLITE_DONE;
    if (rc == 0) {
        bind_text_or_null(s, 1, f ? f->since : NULL);
        while ((step = sqlite3_step(s)) == SQLITE_ROW) {
            const void *data = sqlite3_column_blob(s, 4);
            int size = sqlite3_column_bytes(s, 4);
            if (f && f->agency && !entry_touches_agency(st, data, size, f->agency))
                continue;
            if (*n == cap) {
                cap = cap ? cap * 2 : 32;
                v = xrealloc(v, cap * sizeof *v);
            }
            struct changes_entry *e = &v[(*n)++];
            memset(e, 0, sizeof *e);
            e->key = sqlite3_column_int64(s, 0);
            snprintf(e->origin, sizeof e->origin, "%s", sqlite3_column_text(s, 1));
            snprintf(e->at, sizeof e->at, "%s", sqlite3_column_text(s, 2));
            e->user = col_text(s, 3, false);
            unsigned char *copy = xmalloc(size > 0 ? (size_t)size : 1);
            if (size > 0)
                memcpy(copy, data, (size_t)size);
            e->data = copy;
            e->size = size;
        }
        if (step != SQLITE_DONE)
            rc = store_error(st, "reading the change journal", err);
        sqlite3_finalize(s);
    }
    if (own_txn)
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    if (rc == 0) {
        char now[CHANGES_TIME_LEN];
        rc = changes_file_write(out, &id, store_now(now), v, *n, err);
    }
    for (size_t i = 0; i < *n; i++) {
        free(v[i].user);
        free((void *)v[i].data);
    }
    free(v);
    return rc;
}

/* Noticing changes made by other programs to the same plan, and refusing to save over a
 * change the user has not seen (the expected version of an action). */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/edit.h"
#include "ragboard/util.h"
#include "ragboard/watch.h"

int store_data_version(struct store *st, int64_t *out, char *err)
{
    sqlite3_stmt *s;
    if (store_prepare(st, "PRAGMA data_version", &s, err) != 0)
        return -1;
    int rc = 0;
    if (sqlite3_step(s) == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else
        rc = store_error(st, "checking for changes", err);
    sqlite3_finalize(s);
    return rc;
}

int64_t store_audit_mark(struct store *st)
{
    sqlite3_stmt *s;
    int64_t mark = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT coalesce(max(seq), 0) FROM audit", -1, &s, NULL) !=
        SQLITE_OK)
        return 0;
    if (sqlite3_step(s) == SQLITE_ROW)
        mark = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return mark;
}

/* The action's reference, from the plan or (once deleted) the audit log; caller frees. */
static char *action_ref(struct store *st, int64_t id)
{
    sqlite3_stmt *s;
    char *ref = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT ref FROM actions WHERE id = ?1 UNION ALL"
                           " SELECT row_ref FROM (SELECT row_ref FROM audit WHERE action_id = ?1"
                           "   AND row_ref IS NOT NULL ORDER BY seq DESC LIMIT 1)",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, id);
        if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
            ref = xstrdup((const char *)sqlite3_column_text(s, 0));
        sqlite3_finalize(s);
    }
    return ref ? ref : xstrdup("this action");
}

/* "PV-3.1 was changed by ..." for the changes made since the action had version since. */
static void describe(struct store *st, int64_t id, int64_t since, char *msg)
{
    char what[RB_ERRLEN];
    audit_describe_since(st, id, since, what);
    char *ref = action_ref(st, id);
    rb_fail(msg, "%s was %s", ref, what);
    free(ref);
}

int store_action_changed_after(struct store *st, int64_t action_id, int64_t mark, char *msg)
{
    sqlite3_stmt *s;
    if (store_prepare(st, "SELECT min(version) FROM audit WHERE action_id = ?1 AND seq > ?2",
                      &s, msg) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, action_id);
    sqlite3_bind_int64(s, 2, mark);
    int step = sqlite3_step(s);
    bool changed = step == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL;
    int64_t since = changed ? sqlite3_column_int64(s, 0) : 0;
    if (step != SQLITE_ROW) {
        store_error(st, "checking for changes", msg);
        sqlite3_finalize(s);
        return -1;
    }
    sqlite3_finalize(s);
    if (!changed)
        return 0;
    describe(st, action_id, since, msg);
    return 1;
}

void store_expect_version(struct store *st, int64_t action_id, int64_t version)
{
    st->expect_id = action_id;
    st->expect_version = version;
}

int expect_check(struct store *st, int64_t action_id, char *err)
{
    int64_t id = st->expect_id, want = st->expect_version;
    st->expect_id = 0;
    if (!id || id != action_id)
        return 0;
    sqlite3_stmt *s;
    if (store_prepare(st, "SELECT version FROM actions WHERE id = ?", &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    int step = sqlite3_step(s);
    int64_t have = step == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        store_error(st, "reading the action", err);
        sqlite3_finalize(s);
        return -1;
    }
    sqlite3_finalize(s);
    if (have == want)
        return 0;
    describe(st, id, want, err);
    return STORE_CONFLICT;
}

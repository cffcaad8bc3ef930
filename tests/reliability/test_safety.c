/* Trying to break the store: two people on one plan, the audit log against SQL, hostile
 * text in every field, damaged files, a full disk, a locked plan, backups and restores. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ragboard/backup.h"
#include "ragboard/config.h"
#include "ragboard/demo.h"
#include "ragboard/edit.h"
#include "ragboard/meeting.h"
#include "ragboard/plan_list.h"
#include "ragboard/restrict.h"
#include "ragboard/store.h"
#include "ragboard/util.h"
#include "ragboard/watch.h"

struct fixture {
    char dir[64];
    char path[128];
    struct config cfg;
    struct store *a, *b; /* two people on one plan */
};

static struct store *open_as(const char *path, const char *user)
{
    char err[RB_ERRLEN] = "";
    struct store *st;
    if (store_open(path, 0, &st, err) != 0)
        fail_msg("store_open %s: %s", path, err);
    store_set_user(st, user);
    return st;
}

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/rbsafetyXXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/plan.db", f->dir);
    setenv("RAGBOARD_TODAY", "2026-11-28", 1);
    unsetenv("RAGBOARD_NETFS");
    struct diags d = {0};
    config_load_builtin(&f->cfg, &d);
    diags_free(&d);
    char err[RB_ERRLEN];
    struct store *st;
    if (store_open(f->path, STORE_CREATE, &st, err) != 0 ||
        store_sync_config(st, &f->cfg, &d, err) != 0 ||
        demo_seed(st, &f->cfg, date_today(), err) != 0) {
        fprintf(stderr, "demo: %s\n", err);
        return -1;
    }
    diags_free(&d);
    store_close(st);
    f->a = open_as(f->path, "alice");
    f->b = open_as(f->path, "bob");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->a);
    store_close(f->b);
    config_free(&f->cfg);
    char *cmd = xasprintf("chmod -R u+rwx '%s'; rm -rf '%s'", f->dir, f->dir);
    int rc = system(cmd);
    free(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static long long query_int(struct store *st, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* One text from a query with one text parameter; caller frees (NULL when no row). */
static char *query_text1(struct store *st, const char *sql, const char *arg)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    if (arg)
        sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
    char *v = NULL;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        v = xstrdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return v;
}

static int64_t action_id(struct store *st, const char *ref)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT id FROM actions WHERE ref = ?", -1,
                                        &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
    int64_t id = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    assert_true(id != 0);
    return id;
}

static struct action get(struct store *st, int64_t id)
{
    struct action a;
    char err[RB_ERRLEN];
    if (store_action_get(st, id, &rag_default_thresholds, date_today(), &a, err) != 0)
        fail_msg("get: %s", err);
    return a;
}

/* An open action of the demo (not complete, not cancelled) with no override. */
static int64_t live_action(struct store *st)
{
    int64_t id = query_int(st, "SELECT id FROM actions WHERE state IN ('not_started', "
                               "'in_progress') AND rag_override IS NULL ORDER BY ref LIMIT 1");
    assert_true(id != 0);
    return id;
}

/* A fingerprint of the whole audit log. */
static char *audit_print(struct store *st)
{
    return query_text1(st,
                       "SELECT count(*) || ':' || coalesce(max(seq), 0) || ':' || "
                       "coalesce(sum(length(user) + length(tbl) + coalesce(length(old), 0) + "
                       "coalesce(length(new), 0) + coalesce(row_id, 0) % 9973), 0) FROM audit",
                       NULL);
}

/* ---- two people, one plan ------------------------------------------------------------ */

static void test_edits_to_different_actions_both_land(void **state)
{
    struct fixture *f = *state;
    int64_t x = action_id(f->a, "PV-1.2"), y = action_id(f->a, "PV-2.1");
    struct action ax = get(f->a, x), by = get(f->b, y);
    free(ax.title);
    ax.title = xstrdup("Alice's new title");
    free(by.owner);
    by.owner = xstrdup("Bob Officer");
    char err[RB_ERRLEN];
    assert_int_equal(store_action_save(f->a, &ax, err), 0);
    assert_int_equal(store_action_save(f->b, &by, err), 0);
    action_free(&ax);
    action_free(&by);
    struct action cx = get(f->b, x), cy = get(f->a, y);
    assert_string_equal(cx.title, "Alice's new title");
    assert_string_equal(cy.owner, "Bob Officer");
    action_free(&cx);
    action_free(&cy);
}

/* A change by bob, then alice's edit of the version she saw: refused, telling who. */
static void expect_conflict(struct fixture *f, int64_t id, int rc, const char *err,
                            long long updates_before, const char *field)
{
    assert_int_equal(rc, STORE_CONFLICT);
    assert_non_null(strstr(err, "changed by bob"));
    if (field)
        assert_non_null(strstr(err, field));
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM updates WHERE action_id = %lld",
             (long long)id);
    assert_int_equal(query_int(f->a, sql), updates_before);
}

static long long updates_of(struct store *st, int64_t id)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM updates WHERE action_id = %lld",
             (long long)id);
    return query_int(st, sql);
}

static void bob_changes_progress(struct fixture *f, int64_t id, int pct)
{
    char err[RB_ERRLEN];
    struct progress_update u = {.action_id = id, .text = "Bob's update", .progress = pct};
    if (store_update_insert(f->b, &u, err) != 0)
        fail_msg("bob: %s", err);
}

static void test_no_path_silently_overwrites(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN];
    int64_t id = live_action(f->a);
    struct action seen = get(f->a, id);

    /* Progress update. */
    bob_changes_progress(f, id, 55);
    long long n = updates_of(f->a, id);
    store_expect_version(f->a, id, seen.version);
    struct progress_update u = {.action_id = id, .text = "Alice's update", .progress = 20};
    expect_conflict(f, id, store_update_insert(f->a, &u, err), err, n, "progress");
    struct action now = get(f->a, id);
    assert_int_equal(now.progress, 55);
    int64_t v = now.version;
    action_free(&now);

    /* Manual rating. */
    bob_changes_progress(f, id, 60);
    store_expect_version(f->a, id, v);
    expect_conflict(f, id, store_action_override(f->a, id, RAG_RED, "late", err), err,
                    updates_of(f->a, id), NULL);
    now = get(f->a, id);
    assert_int_equal(now.override, RAG_NONE);
    v = now.version;
    action_free(&now);

    /* Complete. */
    bob_changes_progress(f, id, 65);
    store_expect_version(f->a, id, v);
    expect_conflict(f, id, store_action_set_state(f->a, id, STATE_COMPLETE, err), err,
                    updates_of(f->a, id), NULL);
    now = get(f->a, id);
    assert_int_not_equal(now.state, STATE_COMPLETE);
    v = now.version;
    action_free(&now);

    /* Clearing a rating bob has just set. */
    assert_int_equal(store_action_override(f->b, id, RAG_AMBER, "bob thinks so", err), 0);
    store_expect_version(f->a, id, v);
    expect_conflict(f, id, store_action_clear_override(f->a, id, err), err,
                    updates_of(f->a, id), "RAG override");
    now = get(f->a, id);
    assert_int_equal(now.override, RAG_AMBER);
    v = now.version;
    action_free(&now);

    /* The whole edit form. */
    bob_changes_progress(f, id, 70);
    struct action mine = seen;
    free(mine.title);
    mine.title = xstrdup("Alice was here");
    mine.version = v;
    expect_conflict(f, id, store_action_save(f->a, &mine, err), err, updates_of(f->a, id),
                    "progress");
    now = get(f->a, id);
    assert_string_not_equal(now.title, "Alice was here");
    v = now.version;
    action_free(&now);

    /* Delete. */
    bob_changes_progress(f, id, 75);
    store_expect_version(f->a, id, v);
    expect_conflict(f, id, store_action_delete(f->a, id, err), err, updates_of(f->a, id),
                    NULL);
    now = get(f->a, id);
    v = now.version;
    action_free(&now);

    /* Deleted by bob: alice's edit says so. */
    assert_int_equal(store_action_delete(f->b, id, err), 0);
    store_expect_version(f->a, id, v);
    assert_int_equal(store_action_set_state(f->a, id, STATE_COMPLETE, err), STORE_CONFLICT);
    assert_non_null(strstr(err, "deleted by bob"));

    /* With the version she now sees, the overwrite goes through. */
    action_free(&mine);
    int64_t other = live_action(f->a);
    now = get(f->a, other);
    bob_changes_progress(f, other, 10);
    struct action fresh = get(f->a, other);
    store_expect_version(f->a, other, fresh.version);
    assert_int_equal(store_action_set_state(f->a, other, STATE_COMPLETE, err), 0);
    action_free(&now);
    action_free(&fresh);
}

static void test_noticing_changes_made_elsewhere(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN], msg[RB_ERRLEN];
    int64_t v1, v2, v3;
    assert_int_equal(store_data_version(f->a, &v1, err), 0);
    int64_t mark = store_audit_mark(f->a);
    int64_t id = live_action(f->a), other = action_id(f->a, "PU-1.1");
    assert_int_equal(store_action_changed_after(f->a, id, mark, msg), 0);
    /* alice's own change does not move her data_version */
    struct progress_update u = {.action_id = other, .text = "mine", .progress = -1};
    assert_int_equal(store_update_insert(f->a, &u, err), 0);
    assert_int_equal(store_data_version(f->a, &v2, err), 0);
    assert_true(v2 == v1);
    mark = store_audit_mark(f->a);
    /* bob's does */
    bob_changes_progress(f, id, 42);
    assert_int_equal(store_data_version(f->a, &v3, err), 0);
    assert_true(v3 != v2);
    assert_int_equal(store_action_changed_after(f->a, id, mark, msg), 1);
    assert_non_null(strstr(msg, "changed by bob"));
    assert_non_null(strstr(msg, "progress"));
    assert_int_equal(store_action_changed_after(f->a, other, mark, msg), 0);
}

static void test_locked_plan_waits_then_says_so(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN];
    assert_int_equal(sqlite3_exec(store_db(f->b), "BEGIN IMMEDIATE", NULL, NULL, NULL),
                     SQLITE_OK);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct progress_update u = {.action_id = live_action(f->a), .text = "x", .progress = -1};
    assert_int_equal(store_update_insert(f->a, &u, err), -1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(waited >= 4.5 && waited < 30);
    assert_non_null(strstr(err, "locked by another program"));
    assert_non_null(strstr(err, "nothing saved"));
    sqlite3_exec(store_db(f->b), "ROLLBACK", NULL, NULL, NULL);
    /* and once it is free again, the edit goes through */
    assert_int_equal(store_update_insert(f->a, &u, err), 0);
}

/* ---- the audit log ------------------------------------------------------------------- */

static void test_audit_log_cannot_be_altered_by_sql(void **state)
{
    struct fixture *f = *state;
    char *before = audit_print(f->a);
    long long objects = query_int(f->a, "SELECT count(*) FROM sqlite_master");
    static const char *const attacks[] = {
        "UPDATE audit SET user = 'nobody'",
        "DELETE FROM audit",
        "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)",
        "INSERT INTO audit (user, tbl, op) VALUES ('mallory', 'actions', 'insert')",
        "INSERT OR REPLACE INTO audit (seq, user, tbl, op) VALUES (1, 'm', 'actions', 'insert')",
        "REPLACE INTO audit (seq, user, tbl, op) VALUES (2, 'm', 'actions', 'insert')",
        "DROP TRIGGER audit_no_update",
        "DROP TRIGGER audit_no_delete",
        "DROP TRIGGER actions_audit_update",
        "DROP TABLE audit",
        "ALTER TABLE audit RENAME TO old_audit",
        "ALTER TABLE audit ADD COLUMN x",
        "DROP INDEX audit_action",
        "CREATE TRIGGER quiet BEFORE INSERT ON audit BEGIN SELECT RAISE(IGNORE); END",
        "CREATE TEMP TRIGGER quiet2 BEFORE INSERT ON main.audit BEGIN SELECT RAISE(IGNORE); "
        "END",
        "CREATE TRIGGER fake_audit_x AFTER INSERT ON updates BEGIN INSERT INTO audit (user, "
        "tbl, op) VALUES ('m', 'x', 'insert'); END",
        "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET sql = 'x' WHERE name = 'audit'",
        "DELETE FROM sqlite_master WHERE name = 'audit_no_delete'",
        "PRAGMA schema_version = 1",
    };
    for (size_t i = 0; i < sizeof attacks / sizeof attacks[0]; i++) {
        char *msg = NULL;
        int rc = sqlite3_exec(store_db(f->a), attacks[i], NULL, NULL, &msg);
        if (rc == SQLITE_OK && strncmp(attacks[i], "PRAGMA", 6) != 0)
            fail_msg("not refused: %s", attacks[i]);
        sqlite3_free(msg);
    }
    char *after = audit_print(f->a);
    assert_string_equal(before, after);
    assert_int_equal(query_int(f->a, "SELECT count(*) FROM sqlite_master"), objects);
    assert_int_equal(query_int(f->a, "PRAGMA writable_schema"), 0);
    /* and edits are still audited */
    char err[RB_ERRLEN];
    long long rows = query_int(f->a, "SELECT count(*) FROM audit");
    struct progress_update u = {.action_id = live_action(f->a), .text = "still audited",
                                .progress = -1};
    assert_int_equal(store_update_insert(f->a, &u, err), 0);
    assert_true(query_int(f->a, "SELECT count(*) FROM audit") > rows);
    free(before);
    free(after);
}

/* ---- hostile text -------------------------------------------------------------------- */

static const char *const hostile[] = {
    "Robert'); DROP TABLE actions;--",
    "x' OR '1'='1",
    "\"; DELETE FROM audit; --",
    "'; UPDATE actions SET title = 'pwned' WHERE 1=1; --",
    "-- just a comment; /* and */ ; ;",
    "%s%s%n%x \\' \\\" \\\\ `$(id)`",
    "naïve — ünïcödé ‘quotes’ “more” ; -- '",
};
#define N_HOSTILE (sizeof hostile / sizeof hostile[0])

static void test_hostile_text_stored_verbatim(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN];
    long long actions = query_int(f->a, "SELECT count(*) FROM actions");
    long long objects = query_int(f->a, "SELECT count(*) FROM sqlite_master");
    long long titles = query_int(f->a, "SELECT count(DISTINCT title) FROM actions");
    int64_t meeting;
    assert_int_equal(meeting_start(f->a, hostile[0], date_today(), hostile[1], AGENDA_RAG,
                                   &meeting, err),
                     0);
    for (size_t i = 0; i < N_HOSTILE; i++) {
        const char *h = hostile[i];
        store_set_user(f->a, h);
        char *ref = xasprintf("PV-9.%zu", i + 1);
        char *objref = xasprintf("PV-9%c", (char)('a' + i));
        int64_t obj;
        assert_int_equal(store_objective_put(f->a, "PREVENT", objref, h, &obj, err), 0);
        struct action a = {.ref = ref, .title = (char *)h, .description = (char *)h,
                           .strand = "PREVENT", .objective_ref = objref, .lead = "SC",
                           .owner = (char *)h, .partners = "WMP", .start = RB_NO_DATE,
                           .due = RB_NO_DATE};
        if (store_action_insert(f->a, &a, err) != 0)
            fail_msg("insert %s: %s", h, err);
        struct progress_update u = {.action_id = a.id, .text = (char *)h, .progress = 10};
        assert_int_equal(store_update_insert(f->a, &u, err), 0);
        assert_int_equal(store_action_override(f->a, a.id, RAG_RED, h, err), 0);
        assert_int_equal(meeting_set_attendance(f->a, meeting, "SC", ATTEND_PRESENT, h, err), 0);
        assert_int_equal(meeting_record(f->a, meeting, a.id, MINUTE_DECISION, NULL, h, err), 0);
        /* read back through the core and through plain SQL: byte for byte */
        struct action back = get(f->a, a.id);
        assert_string_equal(back.title, h);
        assert_string_equal(back.description, h);
        assert_string_equal(back.owner, h);
        assert_string_equal(back.override_reason, h);
        assert_string_equal(back.override_by, h);
        assert_string_equal(back.objective_title, h);
        action_free(&back);
        char *t = query_text1(f->a, "SELECT text FROM updates WHERE author = ?", h);
        assert_non_null(t);
        assert_string_equal(t, h);
        free(t);
        t = query_text1(f->a, "SELECT names FROM attendance WHERE names = ?", h);
        assert_non_null(t);
        free(t);
        t = query_text1(f->a, "SELECT text FROM minute_entries WHERE text = ?", h);
        assert_non_null(t);
        free(t);
        t = query_text1(f->a, "SELECT new FROM audit WHERE user = ? AND tbl = 'actions' AND "
                              "op = 'insert'",
                        h);
        assert_non_null(t);
        assert_string_equal(t, h);
        free(t);
        /* searching for it is no more than a search */
        struct list_query q = {.search = h, .state = -1};
        struct plan_list l = {0};
        assert_int_equal(plan_list_load(f->a, &q, &rag_default_thresholds, date_today(), &l,
                                        err),
                         0);
        plan_list_free(&l);
        free(ref);
        free(objref);
    }
    char *m = query_text1(f->a, "SELECT title || '|' || chair FROM meetings WHERE title = ?",
                          hostile[0]);
    assert_non_null(m);
    char *want = xasprintf("%s|%s", hostile[0], hostile[1]);
    assert_string_equal(m, want);
    free(m);
    free(want);
    /* nothing else changed: no table gone, no other title touched */
    assert_int_equal(query_int(f->a, "SELECT count(*) FROM actions"), actions + (long)N_HOSTILE);
    assert_int_equal(query_int(f->a, "SELECT count(*) FROM sqlite_master"), objects);
    assert_int_equal(query_int(f->a, "SELECT count(DISTINCT title) FROM actions"),
                     titles + (long)N_HOSTILE);
    assert_int_equal(query_int(f->a, "SELECT count(*) FROM actions WHERE title = 'pwned'"), 0);
}

/* ---- damaged and foreign files -------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    struct strbuf sb = {0};
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        sb_addn(&sb, buf, n);
    fclose(fp);
    *len = sb.len;
    return sb_take(&sb);
}

static void spit(const char *path, const char *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Opening path (for writing) is refused with a message holding want, and neither the
 * file nor anything beside it was written. */
static void refused_untouched(const char *path, const char *want)
{
    size_t n0 = 0, n1 = 0;
    char *before = slurp(path, &n0);
    char err[RB_ERRLEN] = "";
    struct store *st = NULL;
    int rc = store_open(path, 0, &st, err);
    if (rc == 0) {
        store_close(st);
        fail_msg("%s was opened", path);
    }
    if (!strstr(err, want))
        fail_msg("%s: \"%s\" lacks \"%s\"", path, err, want);
    char *after = slurp(path, &n1);
    assert_true(n0 == n1 && (n0 == 0 || memcmp(before, after, n0) == 0));
    char *wal = xasprintf("%s-wal", path), *journal = xasprintf("%s-journal", path);
    assert_false(exists(wal));
    assert_false(exists(journal));
    free(wal);
    free(journal);
    free(before);
    free(after);
}

/* A copy of the plan, checkpointed into one file. */
static char *plan_bytes(struct fixture *f, size_t *len)
{
    store_close(f->a);
    store_close(f->b);
    f->a = f->b = NULL;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    sqlite3_close(db);
    return slurp(f->path, len);
}

static void test_damaged_files_refused_without_a_write(void **state)
{
    struct fixture *f = *state;
    size_t len;
    char *good = plan_bytes(f, &len);
    assert_true(len > 8192 && len % 4096 == 0);
    char path[160];

    snprintf(path, sizeof path, "%s/truncated.db", f->dir);
    spit(path, good, len / 2);
    refused_untouched(path, "cut short");

    snprintf(path, sizeof path, "%s/empty.db", f->dir);
    spit(path, "", 0);
    refused_untouched(path, "empty");

    snprintf(path, sizeof path, "%s/text.db", f->dir);
    const char *text = "Ref,Title\nPV-1,Not a database but a spreadsheet saved with a .db name\n";
    spit(path, text, strlen(text));
    refused_untouched(path, "not an SQLite file");

    snprintf(path, sizeof path, "%s/folder.db", f->dir);
    assert_int_equal(mkdir(path, 0700), 0);
    char err[RB_ERRLEN];
    struct store *st;
    assert_int_equal(store_open(path, 0, &st, err), -1);
    assert_non_null(strstr(err, "folder"));

    snprintf(path, sizeof path, "%s/newer.db", f->dir);
    char *newer = xmalloc(len);
    memcpy(newer, good, len);
    newer[63] = (char)(STORE_SCHEMA_VERSION + 1); /* user_version, big-endian at 60 */
    spit(path, newer, len);
    refused_untouched(path, "newer ragboard");
    free(newer);

    snprintf(path, sizeof path, "%s/foreign.db", f->dir);
    char *foreign = xmalloc(len);
    memcpy(foreign, good, len);
    memset(foreign + 68, 0, 4); /* application_id */
    spit(path, foreign, len);
    refused_untouched(path, "not a ragboard plan");
    free(foreign);

    /* Bytes flipped in the middle: the root page of the actions table... */
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT rootpage FROM sqlite_master WHERE name = "
                                            "'actions'",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long root = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    snprintf(path, sizeof path, "%s/flipped.db", f->dir);
    char *bad = xmalloc(len);
    memcpy(bad, good, len);
    for (int i = 0; i < 12; i++)
        bad[(root - 1) * 4096 + i] ^= (char)0xA5;
    spit(path, bad, len);
    refused_untouched(path, "damaged");

    /* ...and every other page: refused, or (damage SQLite cannot see, in text) opened;
     * never a crash, never a write to a refused file. */
    int refused = 0;
    for (size_t page = 1; page < len / 4096; page++) {
        memcpy(bad, good, len);
        for (int i = 0; i < 16; i++)
            bad[page * 4096 + 2048 + i] ^= (char)0xFF;
        bad[page * 4096] ^= 0x7F;
        spit(path, bad, len);
        char *w = xasprintf("%s-wal", path), *sh = xasprintf("%s-shm", path);
        unlink(w);
        unlink(sh);
        if (store_open(path, 0, &st, err) == 0) {
            struct diags d = {0};
            store_check(st, &d);
            diags_free(&d);
            store_close(st);
        } else {
            refused++;
            size_t n;
            char *now = slurp(path, &n);
            assert_true(n == len && memcmp(now, bad, len) == 0);
            free(now);
        }
        free(w);
        free(sh);
    }
    assert_true(refused > 0);
    free(bad);
    free(good);
}

static void test_read_only_plan_refuses_edits(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN];
    struct store *ro;
    assert_int_equal(store_open(f->path, STORE_READONLY, &ro, err), 0);
    assert_true(store_is_readonly(ro));
    int64_t id = live_action(ro);
    struct action a = get(ro, id);
    struct progress_update u = {.action_id = id, .text = "no", .progress = -1};
    assert_int_equal(store_update_insert(ro, &u, err), -1);
    assert_non_null(strstr(err, "read-only"));
    assert_int_equal(store_action_save(ro, &a, err), -1);
    assert_non_null(strstr(err, "read-only"));
    assert_int_equal(store_action_set_state(ro, id, STATE_COMPLETE, err), -1);
    assert_int_equal(store_action_override(ro, id, RAG_RED, "x", err), -1);
    assert_int_equal(store_action_delete(ro, id, err), -1);
    assert_non_null(strstr(err, "read-only"));
    action_free(&a);
    store_close(ro);
}

/* In a child with a small file-size limit (SIGXFSZ ignored): a big edit fails with a
 * message and leaves the plan as it was. */
static void test_full_disk_edit_fails_cleanly(void **state)
{
    struct fixture *f = *state;
    int64_t id = live_action(f->a);
    long long before = updates_of(f->a, id);
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(pipefd[0]);
        signal(SIGXFSZ, SIG_IGN);
        struct stat sb;
        stat(f->path, &sb);
        struct rlimit rl = {(rlim_t)sb.st_size + 8192, (rlim_t)sb.st_size + 8192};
        setrlimit(RLIMIT_FSIZE, &rl);
        char err[RB_ERRLEN] = "";
        struct progress_update u = {.action_id = id, .progress = 50};
        u.text = xmalloc(512 * 1024);
        memset(u.text, 'x', 512 * 1024 - 1);
        u.text[512 * 1024 - 1] = '\0';
        int rc = store_update_insert(f->a, &u, err);
        dprintf(pipefd[1], "%d %s", rc, err);
        _exit(0);
    }
    close(pipefd[1]);
    char out[RB_ERRLEN + 16] = "";
    ssize_t n = read(pipefd[0], out, sizeof out - 1);
    close(pipefd[0]);
    int status;
    waitpid(pid, &status, 0);
    assert_true(n > 0);
    if (strncmp(out, "-1 ", 3) != 0 || !strstr(out, "disk is full"))
        fail_msg("the edit did not fail as it should: %s", out);
    assert_int_equal(updates_of(f->a, id), before);
    struct diags d = {0};
    assert_int_equal(store_check(f->a, &d), 0);
    diags_free(&d);
    /* with room again, the same edit is saved */
    char err[RB_ERRLEN];
    struct progress_update u = {.action_id = id, .text = "room again", .progress = 50};
    assert_int_equal(store_update_insert(f->a, &u, err), 0);
}

static void test_network_drive_gets_rollback_journal(void **state)
{
    struct fixture *f = *state;
    char path[160], err[RB_ERRLEN];
    struct store *st;
    snprintf(path, sizeof path, "%s/net.db", f->dir);
    setenv("RAGBOARD_NETFS", "1", 1);
    assert_int_equal(store_open(path, STORE_CREATE, &st, err), 0);
    unsetenv("RAGBOARD_NETFS");
    assert_true(store_on_network_fs(st));
    assert_string_equal(store_journal_mode(st), "delete");
    store_close(st);
    snprintf(path, sizeof path, "%s/local.db", f->dir);
    assert_int_equal(store_open(path, STORE_CREATE, &st, err), 0);
    assert_false(store_on_network_fs(st));
    assert_string_equal(store_journal_mode(st), "wal");
    store_close(st);
}

static void test_readable_by_others_is_warned(void **state)
{
    struct fixture *f = *state;
    char msg[RB_ERRLEN];
    struct stat sb;
    assert_int_equal(stat(f->path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_false(store_access_warning(f->a, msg));
    chmod(f->path, 0644);
    assert_true(store_access_warning(f->a, msg));
    assert_non_null(strstr(msg, "chmod 600"));
    assert_non_null(strstr(msg, "every user"));
    chmod(f->path, 0600);
}

/* ---- backups -------------------------------------------------------------------------- */

static int count_files(const char *dir, const char *prefix)
{
    char *cmd = xasprintf("ls '%s' 2>/dev/null | grep -c '^%s'", dir, prefix);
    FILE *p = popen(cmd, "r");
    int n = 0;
    if (p) {
        if (fscanf(p, "%d", &n) != 1)
            n = 0;
        pclose(p);
    }
    free(cmd);
    return n;
}

static void test_backups_rotate_and_restore_checks_first(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN], what[RB_ERRLEN];
    char *dir = backup_folder(f->path);
    char *first = NULL;
    for (int i = 0; i < 5; i++) {
        char *p;
        assert_int_equal(backup_rotate(f->a, 3, &p, err), 0);
        struct stat sb;
        assert_int_equal(stat(p, &sb), 0);
        assert_int_equal(sb.st_mode & 0777, 0600);
        assert_int_equal(backup_verify(p, what, err), 0);
        if (i == 0)
            first = p;
        else
            free(p);
    }
    assert_int_equal(count_files(dir, "plan-20"), 3); /* the two oldest went */
    free(first);
    char *none = (char *)"x";
    assert_int_equal(backup_rotate(f->a, 0, &none, err), 0);
    assert_null(none);

    /* A backup of the plan as it is now, then a change. */
    char good[160];
    snprintf(good, sizeof good, "%s/good-backup.db", f->dir);
    assert_int_equal(backup_to(f->a, good, err), 0);
    assert_int_equal(backup_to(f->a, good, err), -1); /* never replaced */
    long long actions = query_int(f->a, "SELECT count(*) FROM actions");
    int64_t gone = live_action(f->a);
    assert_int_equal(store_action_delete(f->b, gone, err), 0);

    /* Damaged or foreign backups are refused before anything is replaced. */
    size_t len;
    char *bytes = slurp(good, &len);
    char bad[160];
    snprintf(bad, sizeof bad, "%s/bad-backup.db", f->dir);
    spit(bad, bytes, len / 2);
    char *kept = NULL;
    assert_int_equal(backup_restore(f->path, bad, &kept, err), -1);
    assert_null(kept);
    assert_non_null(strstr(err, "cut short"));
    bytes[63] = 99;
    spit(bad, bytes, len);
    assert_int_equal(backup_restore(f->path, bad, &kept, err), -1);
    assert_non_null(strstr(err, "newer"));
    free(bytes);
    assert_int_equal(backup_restore(f->path, f->path, &kept, err), -1);
    assert_int_equal(query_int(f->a, "SELECT count(*) FROM actions"), actions - 1);

    /* A good one replaces the plan, in place: bob (still open) sees it at once. */
    int64_t dv0, dv1;
    assert_int_equal(store_data_version(f->b, &dv0, err), 0);
    if (backup_restore(f->path, good, &kept, err) != 0)
        fail_msg("restore: %s", err);
    assert_int_equal(store_data_version(f->b, &dv1, err), 0);
    assert_true(dv0 != dv1);
    assert_int_equal(query_int(f->b, "SELECT count(*) FROM actions"), actions);
    /* the replaced plan is kept, whole */
    assert_non_null(kept);
    assert_int_equal(backup_verify(kept, what, err), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(kept, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM actions", -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int64(s, 0), actions - 1);
    sqlite3_finalize(s);
    sqlite3_close(db);
    free(kept);
    free(dir);
}

/* A plan SQLite cannot read at all is kept byte for byte and replaced. */
static void test_restore_over_a_damaged_plan(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN], good[160];
    snprintf(good, sizeof good, "%s/good.db", f->dir);
    assert_int_equal(backup_to(f->a, good, err), 0);
    store_close(f->a);
    store_close(f->b);
    f->a = f->b = NULL;
    char *wal = xasprintf("%s-wal", f->path), *shm = xasprintf("%s-shm", f->path);
    unlink(wal);
    unlink(shm);
    free(wal);
    free(shm);
    spit(f->path, "garbage, not a plan at all; ", 28);
    char *kept = NULL;
    if (backup_restore(f->path, good, &kept, err) != 0)
        fail_msg("restore: %s", err);
    size_t n;
    char *k = slurp(kept, &n);
    assert_true(n == 28 && memcmp(k, "garbage", 7) == 0);
    free(k);
    free(kept);
    f->a = open_as(f->path, "alice");
    struct diags d = {0};
    assert_int_equal(store_check(f->a, &d), 0);
    diags_free(&d);
    assert_true(query_int(f->a, "SELECT count(*) FROM actions") > 20);
}

/* ---- restricted mode (last: it cannot be turned off) ------------------------------------ */

static void test_restricted_writes_only_in_exports(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN];
    char *data = xasprintf("%s/data", f->dir);
    setenv("XDG_DATA_HOME", data, 1);
    assert_int_equal(restrict_check_output("/tmp/anywhere.md", err), 0); /* not yet on */
    restrict_enable();
    assert_true(restrict_on());
    char *exports = restrict_export_folder();
    char *inside = xasprintf("%s/minutes.md", exports);
    assert_int_equal(restrict_check_output(inside, err), 0);
    assert_int_equal(restrict_check_output(NULL, err), 0);
    assert_int_equal(restrict_check_output("-", err), 0);
    assert_int_equal(restrict_check_output("/tmp/anywhere.md", err), -1);
    assert_non_null(strstr(err, "only in"));
    char *dotdot = xasprintf("%s/../plan.db", exports);
    assert_int_equal(restrict_check_output(dotdot, err), -1);
    char *up = xasprintf("%s/..", exports);
    assert_int_equal(restrict_check_output(up, err), -1);
    /* a link out of the folder, as a file or as a folder */
    char *link = xasprintf("%s/link.md", exports);
    assert_int_equal(symlink("/tmp/elsewhere.md", link), 0);
    assert_int_equal(restrict_check_output(link, err), -1);
    char *dlink = xasprintf("%s/sub", exports);
    assert_int_equal(symlink("/tmp", dlink), 0);
    char *through = xasprintf("%s/sub/x.md", exports);
    assert_int_equal(restrict_check_output(through, err), -1);
    assert_int_equal(restrict_check_folder(dlink, err), -1);
    assert_int_equal(restrict_check_folder(exports, err), 0);
    /* the exports folder itself a link: nothing is written */
    unlink(link);
    unlink(dlink);
    char *moved = xasprintf("%s-real", exports);
    assert_int_equal(rename(exports, moved), 0);
    assert_int_equal(symlink(moved, exports), 0);
    assert_int_equal(restrict_check_output(inside, err), -1);
    assert_non_null(strstr(err, "link"));
    assert_true(restrict_on()); /* still on */
    free(moved);
    free(through);
    free(dlink);
    free(link);
    free(up);
    free(dotdot);
    free(inside);
    free(exports);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_edits_to_different_actions_both_land, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_no_path_silently_overwrites, setup, teardown),
        cmocka_unit_test_setup_teardown(test_noticing_changes_made_elsewhere, setup, teardown),
        cmocka_unit_test_setup_teardown(test_locked_plan_waits_then_says_so, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_log_cannot_be_altered_by_sql, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_hostile_text_stored_verbatim, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_files_refused_without_a_write, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_read_only_plan_refuses_edits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_disk_edit_fails_cleanly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network_drive_gets_rollback_journal, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_readable_by_others_is_warned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backups_rotate_and_restore_checks_first, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_restore_over_a_damaged_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restricted_writes_only_in_exports, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

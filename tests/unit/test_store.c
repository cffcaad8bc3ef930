/* Unit tests for the plan store: creation, refusal of foreign files, audit, edits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ragboard/config.h"
#include "ragboard/store.h"
#include "ragboard/util.h"
#include "scratch.h"

struct fixture {
    struct scratch sc; /* the plan goes in a folder not made yet: <dir>/sub/plan.db */
    struct store *st;
};

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    if (scratch_make(&f->sc) != 0)
        return -1;
    snprintf(f->sc.path, sizeof f->sc.path, "%s/sub/plan.db", f->sc.dir);
    setenv("USER", "tester", 1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    int rc = scratch_close(&f->sc, f->st);
    free(f);
    return rc;
}

static void open_new(struct fixture *f)
{
    char err[RB_ERRLEN] = "";
    int rc = store_open(f->sc.path, STORE_CREATE, &f->st, err);
    if (rc != 0)
        fail_msg("store_open: %s", err);
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

static char *query_text(struct store *st, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    char *v = NULL;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        v = xstrdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return v;
}

/* Read a whole file (for "left untouched" checks); caller frees. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    struct strbuf sb = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        sb_addn(&sb, buf, n);
    fclose(fp);
    *len = sb.len;
    return sb_take(&sb);
}

static void add_agency(struct store *st, const char *code)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st),
                                        "INSERT INTO agencies (code, name) VALUES (?, ?)", -1,
                                        &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, code, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
}

static int64_t add_action(struct store *st, const char *ref, const char *lead)
{
    struct action a = {
        .ref = (char *)ref,
        .title = (char *)"Deliver WRAP training to frontline staff",
        .strand = (char *)"Prevent",
        .lead = (char *)lead,
        .start = RB_NO_DATE,
        .due = RB_NO_DATE,
        .state = STATE_NOT_STARTED,
    };
    char err[RB_ERRLEN] = "";
    if (store_action_insert(st, &a, err) != 0)
        fail_msg("insert %s: %s", ref, err);
    return a.id;
}

static void test_create_sets_ids_modes_and_journal(void **state)
{
    struct fixture *f = *state;
    open_new(f);
    struct stat sb;
    assert_int_equal(stat(f->sc.path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    char *dir = xasprintf("%s/sub", f->sc.dir);
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    free(dir);
    assert_int_equal(query_int(f->st, "PRAGMA application_id"), STORE_APPLICATION_ID);
    assert_int_equal(query_int(f->st, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(query_int(f->st, "PRAGMA foreign_keys"), 1);
    assert_string_equal(store_journal_mode(f->st), "wal");
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM strands"), 4);
    char *prevent = query_text(f->st, "SELECT name FROM strands WHERE code = 'PREVENT'");
    assert_string_equal(prevent, "Prevent");
    free(prevent);
}

static void test_reopen_keeps_data(void **state)
{
    struct fixture *f = *state;
    open_new(f);
    add_agency(f->st, "SC");
    add_action(f->st, "PV-1.1", "SC");
    store_close(f->st);
    f->st = NULL;
    char err[RB_ERRLEN];
    assert_int_equal(store_open(f->sc.path, 0, &f->st, err), 0);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM actions"), 1);
}

static void test_missing_without_create_says_init(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_open(f->sc.path, 0, &f->st, err), -1);
    assert_null(f->st);
    assert_non_null(strstr(err, "does not exist"));
    assert_non_null(strstr(err, "ragboard init"));
    assert_int_equal(access(f->sc.path, F_OK), -1);
}

/* Write raw bytes to path. */
static void write_file(const char *path, const char *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    fclose(fp);
}

static void expect_refused(struct fixture *f, const char *path, const char *words)
{
    size_t before_len, after_len;
    char *before = slurp(path, &before_len);
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_open(path, STORE_CREATE, &f->st, err), -1);
    assert_null(f->st);
    if (!strstr(err, words))
        fail_msg("expected \"%s\" in: %s", words, err);
    char *after = slurp(path, &after_len);
    assert_int_equal(before_len, after_len);
    assert_memory_equal(before, after, before_len);
    free(before);
    free(after);
    char *wal = xasprintf("%s-wal", path);
    assert_int_equal(access(wal, F_OK), -1);
    free(wal);
}

static void test_refuses_text_file(void **state)
{
    struct fixture *f = *state;
    char *path = xasprintf("%s/notes.db", f->sc.dir);
    const char text[] = "Minutes of the Prevent board, typed up in Word. Not a database.\n"
                        "Lots of text so that the file is longer than a header would be..\n";
    write_file(path, text, sizeof text - 1);
    expect_refused(f, path, "not an SQLite file");
    free(path);
}

static void test_refuses_empty_file(void **state)
{
    struct fixture *f = *state;
    char *path = xasprintf("%s/empty.db", f->sc.dir);
    write_file(path, "", 0);
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_open(path, STORE_CREATE, &f->st, err), -1);
    assert_non_null(strstr(err, "is empty"));
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_size, 0);
    free(path);
}

static void test_refuses_directory(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_open(f->sc.dir, STORE_CREATE, &f->st, err), -1);
    assert_non_null(strstr(err, "is a folder"));
}

static void test_refuses_foreign_sqlite(void **state)
{
    struct fixture *f = *state;
    char *path = xasprintf("%s/other.db", f->sc.dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1);", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    expect_refused(f, path, "not a ragboard plan");
    free(path);
}

static void test_refuses_newer_schema(void **state)
{
    struct fixture *f = *state;
    open_new(f);
    assert_int_equal(sqlite3_exec(store_db(f->st), "PRAGMA user_version = 99", NULL, NULL, NULL),
                     SQLITE_OK);
    store_close(f->st);
    f->st = NULL;
    expect_refused(f, f->sc.path, "newer ragboard");
}

static void test_audit_records_inserts_and_field_changes(void **state)
{
    struct fixture *f = *state;
    open_new(f);
    store_set_user(f->st, "prevent.coordinator");
    add_agency(f->st, "SC");
    int64_t id = add_action(f->st, "PV-1.1", "SC");
    assert_true(id > 0);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit WHERE tbl = 'actions' "
                                      "AND op = 'insert' AND row_ref = 'PV-1.1' "
                                      "AND user = 'prevent.coordinator'"),
                     1);
    struct progress_update u = {.action_id = id, .date = RB_NO_DATE, .text = (char *)"Half of "
                                "the staff trained", .progress = 50};
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_update_insert(f->st, &u, err), 0);
    char *old = query_text(f->st, "SELECT old FROM audit WHERE field = 'progress'");
    char *new = query_text(f->st, "SELECT new FROM audit WHERE field = 'progress'");
    assert_string_equal(old, "0");
    assert_string_equal(new, "50");
    free(old);
    free(new);
    char *state_new = query_text(f->st, "SELECT new FROM audit WHERE field = 'state'");
    assert_string_equal(state_new, "in_progress");
    free(state_new);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit WHERE tbl = 'updates'"), 1);
    /* An update that changes nothing audited writes no field rows. */
    long long before = query_int(f->st, "SELECT count(*) FROM audit");
    assert_int_equal(sqlite3_exec(store_db(f->st), "UPDATE actions SET title = title", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit"), before);
}

static void test_audit_rows_cannot_change(void **state)
{
    struct fixture *f = *state;
    open_new(f);
    add_agency(f->st, "SC");
    long long n = query_int(f->st, "SELECT count(*) FROM audit");
    assert_true(n > 0);
    assert_int_not_equal(sqlite3_exec(store_db(f->st), "UPDATE audit SET user = 'x'", NULL,
                                      NULL, NULL),
                         SQLITE_OK);
    assert_non_null(strstr(sqlite3_errmsg(store_db(f->st)), "audit log cannot be changed"));
    assert_int_not_equal(sqlite3_exec(store_db(f->st), "DELETE FROM audit", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit"), n);
}

static void test_version_counter_bumps(void **state)
{
    struct fixture *f = *state;
    open_new(f);
    add_agency(f->st, "SC");
    int64_t id = add_action(f->st, "PV-1.1", "SC");
    char err[RB_ERRLEN];
    assert_int_equal(query_int(f->st, "SELECT version FROM actions"), 1);
    assert_int_equal(store_action_override(f->st, id, RAG_RED, "Funding withdrawn", err), 0);
    assert_int_equal(query_int(f->st, "SELECT version FROM actions"), 2);
}

struct found {
    int n;
    char refs[256];
    struct rag_result rag; /* of the last action seen */
    int progress;
};

static int collect(const struct action *a, void *p)
{
    struct found *fd = p;
    fd->n++;
    strncat(fd->refs, a->ref, sizeof fd->refs - strlen(fd->refs) - 2);
    strcat(fd->refs, " ");
    fd->rag = a->rag;
    fd->progress = a->progress;
    return 0;
}

static void test_override_then_later_update_clears_it(void **state)
{
    struct fixture *f = *state;
    open_new(f);
    store_set_user(f->st, "chair");
    add_agency(f->st, "SC");
    int64_t id = add_action(f->st, "PV-1.1", "SC");
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_action_override(f->st, id, RAG_AMBER, "", err), -1);
    assert_non_null(strstr(err, "reason"));
    assert_int_equal(store_action_override(f->st, id, RAG_RED, "Venue policy stalled", err), 0);
    struct found fd = {0};
    assert_int_equal(store_actions_each(f->st, NULL, &rag_default_thresholds, date_today(),
                                        collect, &fd, err),
                     0);
    assert_int_equal(fd.n, 1);
    assert_int_equal(fd.rag.rag, RAG_RED);
    assert_true(fd.rag.override);
    assert_non_null(strstr(fd.rag.reason, "set to Red by chair on "));
    assert_non_null(strstr(fd.rag.reason, "Venue policy stalled"));

    struct progress_update u = {.action_id = id, .date = RB_NO_DATE,
                                .text = (char *)"Policy agreed by cabinet", .progress = 40};
    assert_int_equal(store_update_insert(f->st, &u, err), 0);
    assert_int_equal(query_int(f->st, "SELECT rag_override IS NULL FROM actions"), 1);
    memset(&fd, 0, sizeof fd);
    assert_int_equal(store_actions_each(f->st, NULL, &rag_default_thresholds, date_today(),
                                        collect, &fd, err),
                     0);
    assert_false(fd.rag.override);
    assert_int_equal(fd.progress, 40);
}

static void test_keys_are_random_and_refs_sort_naturally(void **state)
{
    struct fixture *f = *state;
    open_new(f);
    add_agency(f->st, "SC");
    add_agency(f->st, "WMP");
    int64_t a = add_action(f->st, "PV-3.10", "SC");
    int64_t b = add_action(f->st, "PV-3.2", "SC");
    add_action(f->st, "PV-10.1", "WMP");
    assert_true(a != b);
    assert_true(a > 1000000 || b > 1000000);
    char err[RB_ERRLEN];
    struct found fd = {0};
    assert_int_equal(store_actions_each(f->st, NULL, &rag_default_thresholds, date_today(),
                                        collect, &fd, err),
                     0);
    assert_string_equal(fd.refs, "PV-3.2 PV-3.10 PV-10.1 ");

    struct found by_agency = {0};
    struct action_query q = {.agency = "WMP"};
    assert_int_equal(store_actions_each(f->st, &q, &rag_default_thresholds, date_today(),
                                        collect, &by_agency, err),
                     0);
    assert_string_equal(by_agency.refs, "PV-10.1 ");
}

static void test_duplicate_ref_and_unknown_lead_are_clear_errors(void **state)
{
    struct fixture *f = *state;
    open_new(f);
    add_agency(f->st, "SC");
    add_action(f->st, "PV-1.1", "SC");
    struct action a = {.ref = (char *)"PV-1.1", .title = (char *)"Again",
                       .strand = (char *)"PREVENT", .start = RB_NO_DATE, .due = RB_NO_DATE};
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_action_insert(f->st, &a, err), -1);
    assert_string_equal(err, "an action with reference PV-1.1 already exists");
    a = (struct action){.ref = (char *)"PV-1.2", .title = (char *)"Unknown lead",
                        .strand = (char *)"PREVENT", .lead = (char *)"NOPE",
                        .start = RB_NO_DATE, .due = RB_NO_DATE};
    assert_int_equal(store_action_insert(f->st, &a, err), -1);
    assert_non_null(strstr(err, "NOPE"));
    a = (struct action){.ref = (char *)"PV-1.3", .title = (char *)"Partners",
                        .strand = (char *)"PREVENT", .lead = (char *)"SC",
                        .partners = (char *)"SC, GHOST", .start = RB_NO_DATE,
                        .due = RB_NO_DATE};
    assert_int_equal(store_action_insert(f->st, &a, err), -1);
    assert_non_null(strstr(err, "GHOST"));
    /* Nothing of the failed inserts is left behind. */
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM actions"), 1);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM action_partners"), 0);
}

static void test_sync_config_keeps_agencies_still_in_use(void **state)
{
    struct fixture *f = *state;
    open_new(f);
    struct config cfg;
    config_defaults(&cfg);
    struct diags d = {0};
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_sync_config(f->st, &cfg, &d, err), 0);
    assert_int_equal(d.n, 0);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM agencies"), (long long)cfg.n_agencies);
    add_agency(f->st, "OLDUSED");
    add_agency(f->st, "OLDIDLE");
    add_action(f->st, "PV-1.1", "OLDUSED");
    assert_int_equal(store_sync_config(f->st, &cfg, &d, err), 0);
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.v[0].msg, "OLDUSED"));
    assert_int_equal(query_int(f->st, "SELECT in_config FROM agencies WHERE code = 'OLDUSED'"), 0);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM agencies WHERE code = 'OLDIDLE'"), 0);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM actions"), 1);
    diags_free(&d);
    config_free(&cfg);
}

static void test_readonly_refuses_edits(void **state)
{
    struct fixture *f = *state;
    open_new(f);
    add_agency(f->st, "SC");
    store_close(f->st);
    f->st = NULL;
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_open(f->sc.path, STORE_READONLY, &f->st, err), 0);
    assert_true(store_is_readonly(f->st));
    struct action a = {.ref = (char *)"PV-1.1", .title = (char *)"T", .strand = (char *)"PREVENT",
                       .start = RB_NO_DATE, .due = RB_NO_DATE};
    assert_int_equal(store_action_insert(f->st, &a, err), -1);
    assert_non_null(strstr(err, "read-only"));
}

static void test_integrity_check_passes_on_new_store(void **state)
{
    struct fixture *f = *state;
    open_new(f);
    struct diags d = {0};
    assert_int_equal(store_check(f->st, &d), 0);
    assert_int_equal(d.n, 0);
    diags_free(&d);
}

/* A strand by its code, its name or the prefix of its references, in any case. */
static void test_strand_by_code_name_or_prefix(void **state)
{
    (void)state;
    static const char *const names[][3] = {{"PURSUE", "pursue", "PU"},
                                           {"protect", "Protect", "pt"},
                                           {"Prepare", "PREPARE", "Pr"},
                                           {"prevent", "PREVENT", "pv"}};
    for (int i = 0; i < STRAND_COUNT; i++)
        for (int j = 0; j < 3; j++)
            assert_int_equal(strand_index(names[i][j]), i);
    static const char *const bad[] = {"", "P", "PVX", "Prevention", "CONTEST", "PV-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(strand_index(bad[i]), -1);
    assert_int_equal(strand_index(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_create_sets_ids_modes_and_journal),
        T(test_reopen_keeps_data),
        T(test_missing_without_create_says_init),
        T(test_refuses_text_file),
        T(test_refuses_empty_file),
        T(test_refuses_directory),
        T(test_refuses_foreign_sqlite),
        T(test_refuses_newer_schema),
        T(test_audit_records_inserts_and_field_changes),
        T(test_audit_rows_cannot_change),
        T(test_version_counter_bumps),
        T(test_override_then_later_update_clears_it),
        T(test_keys_are_random_and_refs_sort_naturally),
        T(test_duplicate_ref_and_unknown_lead_are_clear_errors),
        T(test_sync_config_keeps_agencies_still_in_use),
        T(test_readonly_refuses_edits),
        T(test_integrity_check_passes_on_new_store),
#undef T
        cmocka_unit_test(test_strand_by_code_name_or_prefix),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}

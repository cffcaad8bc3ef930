/* Unit tests for the importer's bulk write: the search index it builds at the end, and
 * the store working as before once the import is over. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ragboard/csv.h"
#include "ragboard/edit.h"
#include "ragboard/import.h"
#include "ragboard/store.h"
#include "ragboard/util.h"
#include "scratch.h"

#define TODAY "2026-03-12"

struct fixture {
    struct scratch sc;
    struct store *st;
    struct config cfg;
};

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    if (scratch_open(&f->sc, TODAY, "alice", &f->st) != 0)
        return -1;
    config_defaults(&f->cfg);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    int rc = scratch_close(&f->sc, f->st);
    config_free(&f->cfg);
    free(f);
    return rc;
}

static void import_ok(struct fixture *f, const char *text)
{
    struct csv_doc doc;
    struct csv_issues is = {0};
    assert_int_equal(csv_read(text, strlen(text), &doc, &is), 0);
    rb_day today;
    date_parse_iso(TODAY, &today);
    struct import_opts o = {.apply = true, .source = "test.csv", .today = today};
    struct import_result r;
    char err[RB_ERRLEN] = "";
    int rc = import_csv(f->st, &f->cfg, &doc, &o, &r, &is, err);
    for (size_t i = 0; i < is.n; i++)
        print_error("%d:%d: %s\n", is.v[i].line, is.v[i].col, is.v[i].msg);
    assert_int_equal(rc, 0);
    assert_true(r.applied);
    import_result_free(&r);
    csv_issues_free(&is);
    csv_free(&doc);
}

/* The ref of the one action whose search column col matches word, "" when none, "*"
 * when several. Caller frees. */
static char *found(struct fixture *f, const char *col, const char *word)
{
    char *q = xasprintf("%s:%s", col, word);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(f->st),
                                        "SELECT a.ref FROM action_search"
                                        " JOIN actions a ON a.id = action_search.rowid"
                                        " WHERE action_search MATCH ?",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, q, -1, SQLITE_STATIC);
    char *ref = xstrdup("");
    if (sqlite3_step(s) == SQLITE_ROW) {
        free(ref);
        ref = xstrdup((const char *)sqlite3_column_text(s, 0));
        if (sqlite3_step(s) == SQLITE_ROW) {
            free(ref);
            ref = xstrdup("*");
        }
    }
    sqlite3_finalize(s);
    free(q);
    return ref;
}

static void expect_found(struct fixture *f, const char *col, const char *word, const char *ref)
{
    char *got = found(f, col, word);
    assert_string_equal(got, ref);
    free(got);
}

static long long q_int(struct fixture *f, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(f->st), sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static const char plan_csv[] =
    "Ref,Action,Description,Lead,Progress update,Confidential\n"
    "PV-1.1,Train aardvark staff,Open zebra text,SC,Met the okapi group,\n"
    "PV-1.2,Brief gecko panel,Secret walrus text,WMP,Saw the narwhal,Yes\n"
    "PV-1.3,Plain quokka action,,NHS,,\n";

/* Imported actions are found by their text, confidential text only in secret. */
static void test_search_after_import(void **state)
{
    struct fixture *f = *state;
    import_ok(f, plan_csv);
    assert_int_equal(q_int(f, "SELECT count(*) FROM action_search"), 3);
    expect_found(f, "open", "aardvark", "PV-1.1");
    expect_found(f, "open", "zebra", "PV-1.1");
    expect_found(f, "open", "okapi", "PV-1.1");
    expect_found(f, "open", "quokka", "PV-1.3");
    expect_found(f, "open", "gecko", "");
    expect_found(f, "open", "walrus", "");
    expect_found(f, "open", "narwhal", "");
    expect_found(f, "secret", "gecko", "PV-1.2");
    expect_found(f, "secret", "walrus", "PV-1.2");
    expect_found(f, "secret", "narwhal", "PV-1.2");
    /* Each search row is what the triggers would have written. */
    assert_int_equal(q_int(f, "SELECT count(*) FROM action_search s JOIN actions a"
                              " ON a.id = s.rowid WHERE a.confidential = 0 AND s.secret != ''"),
                     0);
}

/* After an import the store's own edits keep the search index up to date again, and
 * a second import of more rows adds to it. */
static void test_edits_after_import(void **state)
{
    struct fixture *f = *state;
    import_ok(f, plan_csv);
    struct action a;
    char err[RB_ERRLEN];
    int64_t id = q_int(f, "SELECT id FROM actions WHERE ref = 'PV-1.3'");
    rb_day today;
    date_parse_iso(TODAY, &today);
    assert_int_equal(store_action_get(f->st, id, &f->cfg.rag, today, &a, err), 0);
    free(a.title);
    a.title = xstrdup("Renamed platypus action");
    assert_int_equal(store_action_save(f->st, &a, err), 0);
    action_free(&a);
    expect_found(f, "open", "platypus", "PV-1.3");
    expect_found(f, "open", "quokka", "");
    struct progress_update u = {.action_id = id, .date = today, .text = "Heard the kiwi",
                                .progress = 10};
    assert_int_equal(store_update_insert(f->st, &u, err), 0);
    expect_found(f, "open", "kiwi", "PV-1.3");
    import_ok(f, "Ref,Action,Lead\nPV-2.1,Count the ibis,SC\n");
    expect_found(f, "open", "ibis", "PV-2.1");
    expect_found(f, "open", "kiwi", "PV-1.3");
    assert_int_equal(q_int(f, "SELECT count(*) FROM action_search"), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_search_after_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edits_after_import, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

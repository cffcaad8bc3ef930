/* Unit tests for importing a file as a stream: records cut across the reader's chunks,
 * every problem of a long file reported, nothing written after one, the result bounded,
 * and the change journal kept in pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "ragboard/csv.h"
#include "ragboard/import.h"
#include "ragboard/store.h"
#include "ragboard/util.h"
#include "scratch.h"

#define TODAY "2026-03-12"
#define ROWS 3000

struct fixture {
    struct scratch sc;
    struct store *st;
    struct config cfg;
    struct csv_issues is;
    struct import_result r;
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
    import_result_free(&f->r);
    csv_issues_free(&f->is);
    int rc = scratch_close(&f->sc, f->st);
    config_free(&f->cfg);
    free(f);
    return rc;
}

/* A file in memory, read a little at a time (as a file would be). */
struct memfile {
    const char *data;
    size_t len, pos;
};

static long mem_read(void *ctx, char *buf, size_t n)
{
    struct memfile *m = ctx;
    if (n > 1000) /* short reads, as pipes and some file systems give */
        n = 1000;
    if (n > m->len - m->pos)
        n = m->len - m->pos;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return (long)n;
}

static int mem_rewind(void *ctx)
{
    ((struct memfile *)ctx)->pos = 0;
    return 0;
}

/* ROWS actions, each with a two-line quoted description and an update, about 600 bytes
 * a row so that records cross the reader's chunks; bad_every > 0 gives every such row a
 * progress that is not a percentage. Caller frees. */
static char *make_file(int bad_every, const char *eol)
{
    struct strbuf sb = {0};
    sb_addf(&sb, "Ref,Action,Description,Lead,%% complete,Progress update%s", eol);
    for (int i = 1; i <= ROWS; i++) {
        bool bad = bad_every > 0 && i % bad_every == 0;
        sb_addf(&sb, "PV-%d.1,Action number %d,\"First line of %d%sand a \"\"quoted\"\" second "
                     "line %0400d\",SC,%s,Update for %d%s",
                i, i, i, eol, i, bad ? "lots" : "40", i, eol);
    }
    return sb_take(&sb);
}

/* Import text as a stream; returns import_csv_stream's result. */
static int import_stream(struct fixture *f, const char *text, bool apply, size_t list_new_max)
{
    import_result_free(&f->r);
    csv_issues_free(&f->is);
    struct memfile m = {text, strlen(text), 0};
    struct csv_input in = {mem_read, mem_rewind, &m};
    struct csv_stream *s;
    if (csv_stream_open(&in, &s, &f->is) != 0)
        fail_msg("refused: %s", f->is.v[0].msg);
    rb_day today;
    date_parse_iso(TODAY, &today);
    struct import_opts o = {.apply = apply, .source = "test.csv", .today = today,
                            .list_new_max = list_new_max};
    char err[RB_ERRLEN] = "";
    int rc = import_csv_stream(f->st, &f->cfg, s, &o, &f->r, &f->is, err);
    csv_stream_close(s);
    if (rc < 0)
        fail_msg("database: %s", err);
    return rc;
}

static long long q_int(struct fixture *f, const char *sql)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(store_db(f->st), sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(f->st)));
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static void test_long_file(void **state)
{
    struct fixture *f = *state;
    const char *eols[] = {"\r\n", "\n"};
    for (int e = 0; e < 2; e++) {
        char *text = make_file(0, eols[e]);
        int rc = import_stream(f, text, e == 0, 10);
        free(text);
        for (size_t i = 0; i < f->is.n; i++)
            print_error("%d:%d: %s\n", f->is.v[i].line, f->is.v[i].col, f->is.v[i].msg);
        assert_int_equal(rc, 0);
        assert_int_equal(f->is.n, 0);
        if (e == 0) {
            assert_int_equal(f->r.n_new, ROWS);
            /* Only the first ten new actions are listed; all are counted. */
            assert_int_equal(f->r.n_changes, 10);
            assert_int_equal(f->r.changes[9].line, 2 + 9 * 2);
        } else {
            /* The same rows again, with other line breaks: nothing to change. */
            assert_int_equal(f->r.n_unchanged, ROWS);
            assert_int_equal(f->r.n_changes, 0);
        }
    }
    assert_int_equal(q_int(f, "SELECT count(*) FROM actions"), ROWS);
    assert_int_equal(q_int(f, "SELECT count(*) FROM updates"), ROWS);
    assert_int_equal(q_int(f, "SELECT count(*) FROM actions WHERE ref = 'PV-2999.1' AND "
                              "description = 'First line of 2999' || char(10) || 'and a "
                              "\"quoted\" second line ' || printf('%0400d', 2999)"),
                     1);
    /* Consecutive keys: the actions and updates of one import follow each other. */
    assert_int_equal(q_int(f, "SELECT max(id) - min(id) FROM (SELECT id FROM actions UNION "
                              "ALL SELECT id FROM updates)"),
                     2 * ROWS - 1);
    /* The change journal took the import in pieces, all committed with it. */
    assert_true(q_int(f, "SELECT count(*) FROM change_journal") > 1);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit WHERE tbl = 'actions' AND op = "
                              "'insert'"),
                     ROWS);
}

static void test_every_problem_nothing_written(void **state)
{
    struct fixture *f = *state;
    char *text = make_file(700, "\r\n");
    int rc = import_stream(f, text, true, 10);
    free(text);
    assert_int_equal(rc, 1);
    assert_false(f->r.applied);
    /* Rows 700, 1400, 2100 and 2800 of the data: each reported, at its own line (the
     * second of the row). */
    assert_int_equal(csv_issues_errors(&f->is), 4);
    for (int k = 1; k <= 4; k++) {
        bool seen = false;
        for (size_t i = 0; i < f->is.n; i++)
            seen = seen || f->is.v[i].line == 3 + (700 * k - 1) * 2;
        assert_true(seen);
    }
    assert_int_equal(q_int(f, "SELECT count(*) FROM actions"), 0);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit WHERE tbl = 'actions'"), 0);
    assert_int_equal(q_int(f, "SELECT count(*) FROM change_journal"), 0);
}

static void test_repeated_reference_far_apart(void **state)
{
    struct fixture *f = *state;
    char *text = make_file(0, "\n");
    /* The last row takes the reference of the first. */
    char *last = strstr(text, "PV-3000.1,");
    assert_non_null(last);
    memcpy(last, "PV-1.1   ,", 10);
    int rc = import_stream(f, text, true, 0);
    free(text);
    assert_int_equal(rc, 1);
    assert_int_equal(csv_issues_errors(&f->is), 1);
    assert_int_equal(f->is.v[0].line, 2 + 2999 * 2);
    assert_non_null(strstr(f->is.v[0].msg, "reference PV-1.1 is also on line 2"));
    assert_int_equal(q_int(f, "SELECT count(*) FROM actions"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_long_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_problem_nothing_written, setup, teardown),
        cmocka_unit_test_setup_teardown(test_repeated_reference_far_apart, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

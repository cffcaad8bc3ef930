/* Unit tests for a list loaded a part at a time: on a plan of 5,000 Prevent actions the
 * parts add up to the whole list in the plan's order, a row or a find beyond the loaded
 * part reads on, a change between parts is noticed, and the counts from the RAG totals
 * match the rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/edit.h"
#include "ragboard/plan_list.h"
#include "ragboard/rag_index.h"
#include "ragboard/store.h"
#include "ragboard/util.h"
#include "scratch.h"

#define TODAY "2026-03-12"
#define ACTIONS 5000
#define OBJECTIVES 5

struct fixture {
    struct scratch sc;
    struct store *st;
    rb_day today;
};

/* Action i (1..ACTIONS) is PV-o.i under objective PV-o, o = i % 5 + 1, led by SC, WMP
 * or NHS in turn (i % 3) except every tenth, which has no lead, due on a day of its own
 * in 2026 or 2027. */
static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    if (scratch_open(&f->sc, TODAY, "tester", &f->st) != 0)
        return -1;
    if (!date_parse_iso(TODAY, &f->today))
        return -1;
    char err[RB_ERRLEN];
    scratch_exec(f->st, "INSERT INTO agencies (code, name) VALUES ('SC', 'Shire Council'),"
                   " ('WMP', 'West Mercia Police'), ('NHS', 'Health board')");
    for (int o = 1; o <= OBJECTIVES; o++) {
        char ref[16];
        snprintf(ref, sizeof ref, "PV-%d", o);
        assert_int_equal(store_objective_put(f->st, "PREVENT", ref, "Theme", NULL, err), 0);
    }
    char sql[1200];
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < %d)"
             " INSERT INTO actions (ref, title, strand, objective_id, lead, due_date, progress,"
             " state, created_at, updated_at)"
             " SELECT 'PV-' || (i %% 5 + 1) || '.' || i, 'Action ' || i, 'PREVENT',"
             " (SELECT id FROM objectives WHERE ref = 'PV-' || (i %% 5 + 1)),"
             " CASE WHEN i %% 10 = 0 THEN NULL"
             " ELSE CASE i %% 3 WHEN 0 THEN 'SC' WHEN 1 THEN 'WMP' ELSE 'NHS' END END,"
             " date('2026-01-01', '+' || (i %% 700) || ' days'), i %% 100, 'in_progress',"
             " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM k",
             ACTIONS);
    scratch_exec(f->st, sql);
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

/* The reference of row k of the Prevent list in the plan's order: objective by
 * objective, then by number (worked out here, not by the database). */
static void expected_ref(size_t k, char *buf, size_t n)
{
    for (int o = 1; o <= OBJECTIVES; o++) {
        for (int i = 1; i <= ACTIONS; i++) {
            if (i % 5 + 1 != o)
                continue;
            if (k == 0) {
                snprintf(buf, n, "PV-%d.%d", o, i);
                return;
            }
            k--;
        }
    }
    fail_msg("no row %zu", k);
}

static void load(struct fixture *f, const struct list_query *q, struct plan_list *l)
{
    char err[RB_ERRLEN] = "";
    if (plan_list_load(f->st, q, &rag_default_thresholds, f->today, l, err) != 0)
        fail_msg("plan_list_load: %s", err);
}

static void expect_plan_order(struct plan_list *l)
{
    assert_int_equal(l->n, ACTIONS);
    char want[32];
    for (size_t k = 0; k < l->n; k++) {
        expected_ref(k, want, sizeof want);
        const char *got = plan_list_row(l, k)->ref;
        if (strcmp(got, want) != 0)
            fail_msg("row %zu: got %s, expected %s", k, got, want);
    }
}

static void test_parts_add_up_to_the_whole_list(void **state)
{
    struct fixture *f = *state;
    struct list_query q = {.strand = "PREVENT", .state = -1};
    struct plan_list l = {0};
    load(f, &q, &l);
    assert_int_equal(l.n, ACTIONS); /* counted before the ids are read */
    assert_true(l.loaded >= 64 && l.loaded < l.n);
    assert_false(plan_list_complete(&l));
    char err[RB_ERRLEN] = "";
    int steps = 0;
    while (!plan_list_complete(&l)) {
        size_t before = l.loaded;
        assert_int_equal(plan_list_more(&l, l.loaded + 1, err), 0);
        assert_true(l.loaded > before);
        assert_int_equal(l.n, ACTIONS);
        steps++;
    }
    assert_true(steps >= 2); /* read in more than one step after the first part */
    assert_int_equal(l.loaded, ACTIONS);
    assert_int_equal(plan_list_more(&l, SIZE_MAX, err), 0); /* nothing left: no change */
    expect_plan_order(&l);
    plan_list_free(&l);
}

static void test_a_row_or_find_beyond_the_part_reads_on(void **state)
{
    struct fixture *f = *state;
    struct list_query q = {.strand = "PREVENT", .state = -1};
    struct plan_list l = {0};
    load(f, &q, &l);
    size_t first = l.loaded;
    char want[32];
    expected_ref(3000, want, sizeof want);
    assert_string_equal(plan_list_row(&l, 3000)->ref, want);
    assert_true(l.loaded > 3000);
    assert_true(l.loaded > first);
    plan_list_free(&l);

    load(f, &q, &l);
    expected_ref(ACTIONS - 1, want, sizeof want);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(f->st), "SELECT id FROM actions WHERE ref = ?1",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, want, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t last = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    assert_int_equal(plan_list_find(&l, last), ACTIONS - 1);
    assert_true(plan_list_complete(&l));
    assert_int_equal(plan_list_find(&l, 999999), -1);
    expect_plan_order(&l);
    plan_list_free(&l);
}

static void test_a_change_between_parts_is_noticed(void **state)
{
    struct fixture *f = *state;
    struct list_query q = {.strand = "PREVENT", .state = -1};
    struct plan_list l = {0};
    load(f, &q, &l);
    size_t first = l.loaded;
    char err[RB_ERRLEN] = "";
    /* An action the list holds changes, and is rated again (by another screen or
     * program); until then the list reads on from the ratings it started with. */
    assert_int_equal(store_action_set_state(f->st, l.ids[10], STATE_COMPLETE, err), 0);
    assert_int_equal(plan_list_more(&l, first + 1, err), 0);
    first = l.loaded;
    assert_int_equal(rag_index_refresh(f->st, &rag_default_thresholds, f->today, err), 0);
    assert_int_equal(plan_list_more(&l, SIZE_MAX, err), 1);
    assert_int_equal(l.loaded, first); /* nothing added to what no longer follows on */
    assert_false(plan_list_complete(&l));
    /* Brought up to date, it loads again and then reads on. */
    assert_int_equal(plan_list_update(f->st, &q, &rag_default_thresholds, f->today, &l, err), 0);
    assert_int_equal(plan_list_more(&l, SIZE_MAX, err), 0);
    assert_true(plan_list_complete(&l));
    expect_plan_order(&l);
    plan_list_free(&l);
}

/* Count what a fully read list holds, and compare with the count it started from. */
static size_t counted_then_read(struct fixture *f, const struct list_query *q,
                                bool *whole_at_once)
{
    struct plan_list l = {0};
    load(f, q, &l);
    size_t n = l.n;
    *whole_at_once = plan_list_complete(&l);
    char err[RB_ERRLEN] = "";
    assert_int_equal(plan_list_more(&l, SIZE_MAX, err), 0);
    assert_int_equal(l.loaded, n);
    assert_int_equal(l.n, n);
    plan_list_free(&l);
    return n;
}

/* How many actions agency i % 3 == lead_of leads (every tenth has no lead). */
static size_t led_by(int lead_of)
{
    size_t n = 0;
    for (int i = 1; i <= ACTIONS; i++)
        n += i % 3 == lead_of && i % 10 != 0;
    return n;
}

static void test_counts_match_the_rows(void **state)
{
    struct fixture *f = *state;
    bool whole;
    /* Led by WMP: i % 3 == 1, and a lead. */
    struct list_query q = {.strand = "PREVENT", .lead = "WMP", .state = -1};
    assert_int_equal(counted_then_read(f, &q, &whole), led_by(1));
    assert_false(whole); /* so the count came first, and was right */
    /* Each rating, and overdue ones, counted from the totals, summing to the whole; the
     * ratings held by more than the first part check their counts. */
    size_t sum = 0;
    int counted = 0;
    for (int r = 0; r < RAG_COUNT; r++) {
        q = (struct list_query){.strand = "PREVENT", .rag_mask = 1u << r, .state = -1};
        sum += counted_then_read(f, &q, &whole);
        counted += !whole;
    }
    assert_int_equal(sum, ACTIONS);
    assert_true(counted >= 2);
    q = (struct list_query){.strand = "PREVENT", .overdue_only = true, .state = -1,
                            .sort = SORT_DUE};
    size_t overdue = counted_then_read(f, &q, &whole);
    assert_true(overdue > 0 && overdue < ACTIONS);
    /* A search, an agency or a state filter is read whole (a count would cost as much). */
    q = (struct list_query){.search = "Action", .state = -1};
    assert_int_equal(counted_then_read(f, &q, &whole), ACTIONS);
    assert_true(whole);
    q = (struct list_query){.agency = "NHS", .state = STATE_IN_PROGRESS};
    assert_int_equal(counted_then_read(f, &q, &whole), led_by(2));
    assert_true(whole);
    /* The whole plan is read whole too: no index gives its order across strands. */
    q = (struct list_query){.state = -1, .sort = SORT_AGENCY};
    assert_int_equal(counted_then_read(f, &q, &whole), ACTIONS);
    assert_true(whole);
}

/* In every order, with ties on the sort key (shared due dates, ratings and leads, no
 * updates at all), the parts read step by step hold the same ids in the same order as
 * the list read whole (a state filter, which no total counts, reads it whole). */
static void test_parts_in_every_order(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN] = "";
    for (int sort = 0; sort < SORT_COUNT; sort++) {
        struct list_query q = {.strand = "PREVENT", .state = -1, .sort = (enum list_sort)sort};
        struct plan_list parts = {0}, whole = {0};
        load(f, &q, &parts);
        assert_false(plan_list_complete(&parts));
        int steps = 0;
        while (!plan_list_complete(&parts)) {
            assert_int_equal(plan_list_more(&parts, parts.loaded + 1, err), 0);
            steps++;
        }
        assert_true(steps >= 2);
        q.state = STATE_IN_PROGRESS; /* every action here is in progress */
        load(f, &q, &whole);
        assert_true(plan_list_complete(&whole));
        assert_int_equal(parts.n, ACTIONS);
        assert_int_equal(whole.n, ACTIONS);
        for (size_t i = 0; i < ACTIONS; i++)
            if (parts.ids[i] != whole.ids[i])
                fail_msg("sorted by %s: row %zu differs", list_sort_name((enum list_sort)sort),
                         i);
        plan_list_free(&parts);
        plan_list_free(&whole);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_parts_add_up_to_the_whole_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_row_or_find_beyond_the_part_reads_on, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_change_between_parts_is_noticed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_counts_match_the_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_parts_in_every_order, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

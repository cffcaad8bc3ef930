/* Unit tests for the demo plan: every rating, state, strand and lead agency appears,
 * the same spread on any day, and a second seed changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ragboard/config.h"
#include "ragboard/demo.h"
#include "ragboard/store.h"
#include "ragboard/util.h"
#include "scratch.h"

struct seeded {
    struct scratch sc;
    struct config cfg;
    struct store *st;
};

struct tally {
    int n;
    int rag[RAG_COUNT];
    int state[STATE_COUNT];
    int strand[STRAND_COUNT];
    int lead[64];
    int overrides, confidential;
    const struct config *cfg;
};

static void open_seeded(struct seeded *s, rb_day today)
{
    char err[RB_ERRLEN];
    struct diags d = {0};
    config_defaults(&s->cfg);
    assert_int_equal(scratch_open(&s->sc, NULL, NULL, &s->st), 0);
    assert_int_equal(store_sync_config(s->st, &s->cfg, &d, err), 0);
    store_set_user(s->st, "tester");
    if (demo_seed(s->st, &s->cfg, today, err) != 0)
        fail_msg("demo_seed: %s", err);
    assert_string_equal(store_user(s->st), "tester");
    diags_free(&d);
}

static void close_seeded(struct seeded *s)
{
    assert_int_equal(scratch_close(&s->sc, s->st), 0);
    config_free(&s->cfg);
}

static int count_action(const struct action *a, void *ctx)
{
    struct tally *t = ctx;
    t->n++;
    t->rag[a->rag.rag]++;
    t->state[a->state]++;
    t->strand[strand_index(a->strand)]++;
    t->overrides += a->rag.override;
    t->confidential += a->confidential;
    for (size_t i = 0; i < t->cfg->n_agencies && i < 64; i++)
        if (a->lead && strcmp(a->lead, t->cfg->agencies[i].code) == 0)
            t->lead[i]++;
    return 0;
}

static void tally_plan(struct seeded *s, rb_day today, struct tally *t)
{
    char err[RB_ERRLEN];
    memset(t, 0, sizeof *t);
    t->cfg = &s->cfg;
    assert_int_equal(store_actions_each(s->st, NULL, &rag_default_thresholds, today,
                                        count_action, t, err),
                     0);
}

static void check_spread(rb_day today)
{
    struct seeded s;
    struct tally t;
    open_seeded(&s, today);
    tally_plan(&s, today, &t);
    assert_in_range(t.n, 25, 40);
    assert_true(t.rag[RAG_RED] >= 3);
    assert_true(t.rag[RAG_AMBER] >= 3);
    assert_true(t.rag[RAG_GREEN] >= 3);
    assert_true(t.rag[RAG_COMPLETE] >= 2);
    assert_in_range(t.rag[RAG_NONE], 1, 2);
    for (int i = 0; i < STATE_COUNT; i++)
        assert_true(t.state[i] > 0);
    for (int i = 0; i < STRAND_COUNT; i++)
        assert_true(t.strand[i] > 0);
    for (size_t i = 0; i < s.cfg.n_agencies; i++)
        assert_true(t.lead[i] > 0);
    assert_int_equal(t.overrides, 1);
    assert_int_equal(t.confidential, 1);
    struct diags d = {0};
    assert_int_equal(store_check(s.st, &d), 0);
    diags_free(&d);
    close_seeded(&s);
}

static void test_spread_today(void **state)
{
    (void)state;
    check_spread(date_today());
}

/* Everything is relative to today, including the manual rating's time. */
static void test_spread_other_days(void **state)
{
    (void)state;
    check_spread(date_from_ymd(2024, 1, 15));
    check_spread(date_from_ymd(2031, 3, 1));
}

static int64_t scalar(struct store *st, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static void test_meetings(void **state)
{
    (void)state;
    struct seeded s;
    open_seeded(&s, date_today());
    assert_int_equal(scalar(s.st, "SELECT count(*) FROM meetings WHERE closed_at IS NOT NULL"),
                     2);
    assert_int_equal(scalar(s.st, "SELECT count(*) FROM attendance"),
                     2 * (int64_t)s.cfg.n_agencies);
    assert_int_equal(scalar(s.st, "SELECT count(DISTINCT status) FROM attendance"), 3);
    assert_true(scalar(s.st, "SELECT count(*) FROM minute_entries WHERE action_id IS NOT NULL")
                >= 4);
    assert_int_equal(scalar(s.st, "SELECT count(*) FROM updates WHERE confidential = 1"), 2);
    close_seeded(&s);
}

static void test_second_seed_refused(void **state)
{
    (void)state;
    struct seeded s;
    char err[RB_ERRLEN] = "";
    open_seeded(&s, date_today());
    int64_t audit = scalar(s.st, "SELECT count(*) FROM audit");
    assert_int_equal(demo_seed(s.st, &s.cfg, date_today(), err), -1);
    assert_non_null(strstr(err, "empty"));
    assert_int_equal(scalar(s.st, "SELECT count(*) FROM audit"), audit);
    assert_string_equal(store_user(s.st), "tester");
    close_seeded(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spread_today),
        cmocka_unit_test(test_spread_other_days),
        cmocka_unit_test(test_meetings),
        cmocka_unit_test(test_second_seed_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for the action list: every sort and filter on a small known plan (exact
 * order of references), full-text search, hostile search input, confidential text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ragboard/edit.h"
#include "ragboard/plan_list.h"
#include "ragboard/store.h"
#include "ragboard/util.h"
#include "scratch.h"

#define TODAY "2026-03-12"

struct fixture {
    struct scratch sc;
    struct store *st;
    rb_day today;
};

static rb_day day(const char *iso)
{
    rb_day d = RB_NO_DATE;
    if (iso && !date_parse_iso(iso, &d))
        fail_msg("bad date %s", iso);
    return d;
}

struct seed {
    const char *ref, *strand, *objective, *title, *description, *lead, *partners;
    const char *start, *due;
    int progress;
    enum action_state state;
    bool confidential;
};

/* The known plan, rated on 12/03/2026 with the default thresholds:
 *   PV-1.1  Green   due 30/06  SC (WMP)     updated 01/03
 *   PV-1.2  Red     due 01/02  SC           overdue by 39 days
 *   PV-1.3  Amber   due 30/04  WMP          19 points behind; confidential update
 *   PV-1.10 Complete due 01/02 SC
 *   PV-2.1  Amber   ongoing    NHS (SC)     no update for 101 days
 *   PV-2.3  Cancelled          no lead
 *   PV-9.1  Green   due 31/12  SC           confidential action, no objective
 *   PT-1.1  Amber   due 20/03  FIRE (SC)    due in 8 days */
static const struct seed plan[] = {
    {"PV-1.1", "PREVENT", "PV-1", "Deliver WRAP training to frontline staff",
     "Workshop to Raise Awareness of Prevent for council and school staff", "SC", "WMP",
     "2026-01-01", "2026-06-30", 40, STATE_IN_PROGRESS, false},
    {"PV-1.2", "PREVENT", "PV-1", "Agree venue hire policy",
     "Agree the venue hire conditions with the leisure trust", "SC", "", "2025-11-01",
     "2026-02-01", 50, STATE_IN_PROGRESS, false},
    {"PV-1.3", "PREVENT", "PV-1", "Review IT filtering in libraries",
     "Check the web filtering on public computers", "WMP", "", "2026-02-01", "2026-04-30", 25,
     STATE_IN_PROGRESS, false},
    {"PV-1.10", "PREVENT", "PV-1", "Publish the referral pathway",
     "Flowchart for staff on making a Prevent referral", "SC", "", "2025-10-01", "2026-02-01",
     100, STATE_COMPLETE, false},
    {"PV-2.1", "PREVENT", "PV-2", "Refresh the local risk assessment",
     "Use the counter terrorism local profile briefing", "NHS", "SC", "2025-09-01", NULL, 10,
     STATE_IN_PROGRESS, false},
    {"PV-2.3", "PREVENT", "PV-2", "Faith leaders forum", "Quarterly engagement forum", NULL, "",
     "2025-09-01", NULL, 0, STATE_CANCELLED, false},
    {"PV-9.1", "PREVENT", NULL, "Casework review of hate crime referrals",
     "Dip sample of referrals with the safeguarding board", "SC", "", "2026-03-01",
     "2026-12-31", 5, STATE_IN_PROGRESS, true},
    {"PT-1.1", "PROTECT", "PT-1", "Crowded places protective security",
     "Security advice for the summer events programme", "FIRE", "SC", "2026-01-01",
     "2026-03-20", 80, STATE_IN_PROGRESS, false},
};
#define PLAN_N (sizeof plan / sizeof plan[0])

static int64_t ids[PLAN_N];

static int64_t id_of(const char *ref)
{
    for (size_t i = 0; i < PLAN_N; i++)
        if (strcmp(plan[i].ref, ref) == 0)
            return ids[i];
    fail_msg("no %s", ref);
    return 0;
}

static void update(struct store *st, const char *ref, const char *date, const char *text,
                   bool confidential)
{
    struct progress_update u = {.action_id = id_of(ref), .date = day(date),
                                .text = (char *)text, .progress = -1,
                                .confidential = confidential};
    char err[RB_ERRLEN] = "";
    if (store_update_insert(st, &u, err) != 0)
        fail_msg("update %s: %s", ref, err);
}

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    if (scratch_open(&f->sc, TODAY, "tester", &f->st) != 0)
        return -1;
    f->today = day(TODAY);
    char err[RB_ERRLEN];
    scratch_exec(f->st, "INSERT INTO agencies (code, name) VALUES ('SC', 'Shire Council'),"
                   " ('WMP', 'West Mercia Police'), ('NHS', 'Health board'),"
                   " ('FIRE', 'Fire and rescue')");
    assert_int_equal(store_objective_put(f->st, "PREVENT", "PV-1", "Training", NULL, err), 0);
    assert_int_equal(store_objective_put(f->st, "PREVENT", "PV-2", "Risk", NULL, err), 0);
    assert_int_equal(store_objective_put(f->st, "PROTECT", "PT-1", "Places", NULL, err), 0);
    for (size_t i = 0; i < PLAN_N; i++) {
        const struct seed *p = &plan[i];
        struct action a = {
            .ref = (char *)p->ref,
            .title = (char *)p->title,
            .description = (char *)p->description,
            .strand = (char *)p->strand,
            .objective_ref = (char *)p->objective,
            .lead = (char *)p->lead,
            .partners = (char *)p->partners,
            .start = day(p->start),
            .due = day(p->due),
            .progress = p->progress,
            .state = p->state,
            .confidential = p->confidential,
            .created_at = (char *)"2025-09-01T09:00:00Z",
        };
        if (store_action_insert(f->st, &a, err) != 0)
            fail_msg("insert %s: %s", p->ref, err);
        ids[i] = a.id;
    }
    update(f->st, "PV-1.1", "2026-03-01", "Half the secondary schools trained", false);
    update(f->st, "PV-1.3", "2026-03-10", "Concern about a student escalated to Channel", true);
    update(f->st, "PV-2.1", "2025-12-01", "Briefing from the police received", false);
    update(f->st, "PV-9.1", "2026-03-05", "Sample of twelve referrals chosen", false);
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

/* Load q and return the references in order, space-separated; caller frees. */
static char *refs(struct fixture *f, const struct list_query *q)
{
    struct plan_list l = {0};
    char err[RB_ERRLEN] = "";
    if (plan_list_load(f->st, q, &rag_default_thresholds, f->today, &l, err) != 0)
        fail_msg("plan_list_load: %s", err);
    struct strbuf sb = {0};
    for (size_t i = 0; i < l.n; i++)
        sb_addf(&sb, "%s%s", i ? " " : "", plan_list_row(&l, i)->ref);
    plan_list_free(&l);
    return sb_take(&sb);
}

static void expect(struct fixture *f, const struct list_query *q, const char *want)
{
    char *got = refs(f, q);
    if (strcmp(got, want) != 0)
        fail_msg("got      %s\nexpected %s", got, want);
    free(got);
}

#define ALL .state = -1

static void test_rows_carry_what_the_list_shows(void **state)
{
    struct fixture *f = *state;
    struct list_query q = {ALL};
    struct plan_list l = {0};
    char err[RB_ERRLEN] = "";
    assert_int_equal(plan_list_load(f->st, &q, &rag_default_thresholds, f->today, &l, err), 0);
    assert_int_equal(l.n, PLAN_N);
    long i = plan_list_find(&l, id_of("PV-1.2"));
    assert_true(i >= 0);
    const struct list_row *r = plan_list_row(&l, (size_t)i);
    assert_string_equal(r->title, "Agree venue hire policy");
    assert_string_equal(r->strand, "PREVENT");
    assert_string_equal(r->lead, "SC");
    assert_string_equal(r->objective_ref, "PV-1");
    assert_string_equal(r->objective_title, "Training");
    assert_int_equal(r->rag, RAG_RED);
    assert_true(r->overdue);
    assert_int_equal(r->due, day("2026-02-01"));
    assert_int_equal(r->last_update, RB_NO_DATE);
    assert_int_equal(r->progress, 50);
    r = plan_list_row(&l, (size_t)plan_list_find(&l, id_of("PV-2.3")));
    assert_string_equal(r->lead, "");
    assert_int_equal(r->rag, RAG_NONE);
    assert_int_equal(r->state, STATE_CANCELLED);
    r = plan_list_row(&l, (size_t)plan_list_find(&l, id_of("PV-2.1")));
    assert_int_equal(r->rag, RAG_AMBER);
    assert_true(r->stale);
    assert_int_equal(r->last_update, day("2025-12-01"));
    r = plan_list_row(&l, (size_t)plan_list_find(&l, id_of("PV-9.1")));
    assert_true(r->confidential);
    assert_string_equal(r->objective_ref, "");
    assert_int_equal(plan_list_find(&l, 42), -1);
    /* Loading again replaces the contents. */
    q.strand = "Protect";
    assert_int_equal(plan_list_load(f->st, &q, &rag_default_thresholds, f->today, &l, err), 0);
    assert_int_equal(l.n, 1);
    plan_list_free(&l);
    assert_int_equal(l.n, 0);
}

/* Rows prefetched are read at that moment (a change made after it shows only once the
 * list catches up); a prefetch larger than the rows kept reads nothing. */
static void test_prefetch_reads_rows_ahead(void **state)
{
    struct fixture *f = *state;
    struct list_query q = {ALL};
    struct plan_list l = {0};
    char err[RB_ERRLEN] = "";
    const char *rename = "UPDATE actions SET title = 'Renamed behind the list' WHERE ref = "
                         "'PV-1.2'";
    for (int round = 0; round < 2; round++) {
        bool ahead = round == 0;
        assert_int_equal(plan_list_load(f->st, &q, &rag_default_thresholds, f->today, &l, err),
                         0);
        size_t i = (size_t)plan_list_find(&l, id_of("PV-1.2"));
        /* Too many to keep beside a screen of as many: nothing is read. */
        plan_list_prefetch(&l, 0, 1000);
        if (ahead)
            plan_list_prefetch(&l, i, 1);
        assert_int_equal(sqlite3_exec(store_db(f->st), rename, NULL, NULL, NULL), SQLITE_OK);
        const struct list_row *r = plan_list_row(&l, i);
        assert_string_equal(r->title, ahead ? "Agree venue hire policy"
                                            : "Renamed behind the list");
        assert_int_equal(sqlite3_exec(store_db(f->st),
                                      "UPDATE actions SET title = 'Agree venue hire policy'"
                                      " WHERE ref = 'PV-1.2'",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    }
    plan_list_free(&l);
}

static void test_every_sort_in_exact_order(void **state)
{
    struct fixture *f = *state;
    struct list_query q = {ALL, .sort = SORT_REF};
    expect(f, &q, "PT-1.1 PV-1.1 PV-1.2 PV-1.3 PV-1.10 PV-2.1 PV-2.3 PV-9.1");
    q.sort = SORT_DUE;
    expect(f, &q, "PV-1.2 PV-1.10 PT-1.1 PV-1.3 PV-1.1 PV-9.1 PV-2.1 PV-2.3");
    q.sort = SORT_RAG;
    expect(f, &q, "PV-1.2 PT-1.1 PV-1.3 PV-2.1 PV-1.1 PV-9.1 PV-1.10 PV-2.3");
    q.sort = SORT_AGENCY;
    expect(f, &q, "PT-1.1 PV-2.1 PV-1.1 PV-1.2 PV-1.10 PV-9.1 PV-1.3 PV-2.3");
    q.sort = SORT_UPDATED;
    expect(f, &q, "PT-1.1 PV-1.2 PV-1.10 PV-2.3 PV-2.1 PV-1.1 PV-9.1 PV-1.3");
    assert_string_equal(list_sort_name(SORT_REF), "reference");
    assert_string_equal(list_sort_name(SORT_DUE), "due date");
    assert_string_equal(list_sort_name(SORT_RAG), "RAG");
    assert_string_equal(list_sort_name(SORT_AGENCY), "agency");
    assert_string_equal(list_sort_name(SORT_UPDATED), "last update");
}

static void test_strand_agency_and_lead(void **state)
{
    struct fixture *f = *state;
    struct list_query q = {ALL, .strand = "PREVENT"};
    expect(f, &q, "PV-1.1 PV-1.2 PV-1.3 PV-1.10 PV-2.1 PV-2.3 PV-9.1");
    q.strand = "protect";
    expect(f, &q, "PT-1.1");
    q.strand = "Pursue";
    expect(f, &q, "");
    q = (struct list_query){ALL, .agency = "SC"}; /* lead or partner */
    expect(f, &q, "PT-1.1 PV-1.1 PV-1.2 PV-1.10 PV-2.1 PV-9.1");
    q = (struct list_query){ALL, .lead = "SC"};
    expect(f, &q, "PV-1.1 PV-1.2 PV-1.10 PV-9.1");
    q = (struct list_query){ALL, .strand = "Prevent", .agency = "WMP", .sort = SORT_DUE};
    expect(f, &q, "PV-1.3 PV-1.1");
    q = (struct list_query){ALL, .agency = "SC", .lead = "FIRE"};
    expect(f, &q, "PT-1.1");
    q = (struct list_query){ALL, .strand = "Defend"};
    struct plan_list l = {0};
    char err[RB_ERRLEN] = "";
    assert_int_equal(plan_list_load(f->st, &q, &rag_default_thresholds, f->today, &l, err), -1);
    assert_non_null(strstr(err, "unknown strand \"Defend\""));
    assert_int_equal(l.n, 0);
}

static void test_rag_state_and_overdue_filters(void **state)
{
    struct fixture *f = *state;
    struct list_query q = {ALL, .rag_mask = 1u << RAG_RED | 1u << RAG_AMBER};
    expect(f, &q, "PT-1.1 PV-1.2 PV-1.3 PV-2.1");
    q.rag_mask = 1u << RAG_GREEN;
    expect(f, &q, "PV-1.1 PV-9.1");
    q.rag_mask = 1u << RAG_COMPLETE | 1u << RAG_NONE;
    expect(f, &q, "PV-1.10 PV-2.3");
    q = (struct list_query){.state = STATE_COMPLETE};
    expect(f, &q, "PV-1.10");
    q.state = STATE_CANCELLED;
    expect(f, &q, "PV-2.3");
    q.state = STATE_NOT_STARTED;
    expect(f, &q, "");
    q = (struct list_query){ALL, .overdue_only = true};
    expect(f, &q, "PV-1.2");
    q = (struct list_query){ALL, .overdue_only = true, .lead = "WMP"};
    expect(f, &q, "");
    q = (struct list_query){ALL, .rag_mask = 1u << RAG_AMBER, .sort = SORT_RAG, .agency = "SC"};
    expect(f, &q, "PT-1.1 PV-2.1");
}

static void test_search_titles_descriptions_and_updates_by_prefix(void **state)
{
    struct fixture *f = *state;
    struct list_query q = {ALL, .search = "wrap"};
    expect(f, &q, "PV-1.1");
    q.search = "leisure"; /* description */
    expect(f, &q, "PV-1.2");
    q.search = "secondary"; /* update text */
    expect(f, &q, "PV-1.1");
    q.search = "leis"; /* prefix */
    expect(f, &q, "PV-1.2");
    q.search = "VENUE Hire"; /* every word, any case */
    expect(f, &q, "PV-1.2");
    q.search = "venue wrap";
    expect(f, &q, "");
    q.search = "refer";
    expect(f, &q, "PV-1.10 PV-9.1");
    q.search = "refer";
    q.strand = "Prevent";
    q.sort = SORT_DUE;
    expect(f, &q, "PV-1.10 PV-9.1");
    q = (struct list_query){ALL, .search = "   "};
    expect(f, &q, "PT-1.1 PV-1.1 PV-1.2 PV-1.3 PV-1.10 PV-2.1 PV-2.3 PV-9.1");
}

static void test_hostile_search_input_never_errors(void **state)
{
    struct fixture *f = *state;
    static const char *const inputs[] = {
        "\"", "*", "AND", "(", ")", "OR NOT", "NEAR(wrap training)", "open:wrap",
        "secret : channel", "{open secret}: wrap", "^wrap", "wrap -", "\"\"\"", "a\"b",
        "'; DROP TABLE actions; --", "\xff\xfe\x80", "+", "wrap AND", "- *", "NOT",
        "\xe2\x80\x9cwrap\xe2\x80\x9d",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        for (int hide = 0; hide < 2; hide++) {
            struct list_query q = {ALL, .search = inputs[i], .hide_confidential_text = hide};
            struct plan_list l = {0};
            char err[RB_ERRLEN] = "";
            if (plan_list_load(f->st, &q, &rag_default_thresholds, f->today, &l, err) != 0)
                fail_msg("search for [%s] failed: %s", inputs[i], err);
            plan_list_free(&l);
        }
    }
    /* Punctuation alone is no search; FTS5 words are plain words; quotes are dropped. */
    struct list_query q = {ALL, .search = "* ( \""};
    expect(f, &q, "PT-1.1 PV-1.1 PV-1.2 PV-1.3 PV-1.10 PV-2.1 PV-2.3 PV-9.1");
    q.search = "AND"; /* the word "and" */
    expect(f, &q, "PV-1.1");
    q.search = "\"wrap";
    expect(f, &q, "PV-1.1");
    q.search = "NEAR(wrap";
    expect(f, &q, "");
    q.search = "staff\"";
    expect(f, &q, "PV-1.1 PV-1.10");
    assert_int_equal(sqlite3_exec(store_db(f->st), "SELECT 1 FROM actions", NULL, NULL, NULL),
                     SQLITE_OK);
}

static void test_confidential_text_hidden_when_asked(void **state)
{
    struct fixture *f = *state;
    /* A confidential update of an open action. */
    struct list_query q = {ALL, .search = "channel"};
    expect(f, &q, "PV-1.3");
    q.hide_confidential_text = true;
    expect(f, &q, "");
    /* Its open text still matches. */
    q.search = "filtering";
    expect(f, &q, "PV-1.3");
    /* All text of a confidential action: title, description and updates. */
    q = (struct list_query){ALL, .search = "casework"};
    expect(f, &q, "PV-9.1");
    q.hide_confidential_text = true;
    expect(f, &q, "");
    q.search = "twelve";
    expect(f, &q, "");
    q.hide_confidential_text = false;
    expect(f, &q, "PV-9.1");
    /* Words split between open and confidential text do not combine when hidden. */
    q = (struct list_query){ALL, .search = "filtering channel", .hide_confidential_text = true};
    expect(f, &q, "");
    q.hide_confidential_text = false;
    expect(f, &q, "PV-1.3");
}

static void test_search_index_follows_edits_undo_and_delete(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN] = "", what[RB_ERRLEN];
    struct action a;
    assert_int_equal(store_action_get(f->st, id_of("PV-1.1"), &rag_default_thresholds, f->today,
                                      &a, err),
                     0);
    free(a.title);
    a.title = xstrdup("Deliver Prevent awareness sessions");
    a.confidential = true;
    assert_int_equal(store_action_save(f->st, &a, err), 0);
    action_free(&a);
    struct list_query q = {ALL, .search = "wrap"};
    expect(f, &q, "");
    q.search = "awareness sessions";
    expect(f, &q, "PV-1.1");
    q.hide_confidential_text = true;
    expect(f, &q, "");
    assert_int_equal(store_undo(f->st, what, err), 0);
    expect(f, &q, "");
    q.search = "wrap";
    expect(f, &q, "PV-1.1");

    update(f->st, "PV-1.2", "2026-03-11", "Trust board approved the conditions", false);
    q.search = "approved";
    expect(f, &q, "PV-1.2");
    assert_int_equal(store_undo(f->st, what, err), 0);
    expect(f, &q, "");

    assert_int_equal(store_action_delete(f->st, id_of("PV-1.2"), err), 0);
    q.search = "leisure";
    expect(f, &q, "");
    assert_int_equal(store_undo(f->st, what, err), 0);
    expect(f, &q, "PV-1.2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_rows_carry_what_the_list_shows),
        T(test_prefetch_reads_rows_ahead),
        T(test_every_sort_in_exact_order),
        T(test_strand_agency_and_lead),
        T(test_rag_state_and_overdue_filters),
        T(test_search_titles_descriptions_and_updates_by_prefix),
        T(test_hostile_search_input_never_errors),
        T(test_confidential_text_hidden_when_asked),
        T(test_search_index_follows_edits_undo_and_delete),
#undef T
    };
    return cmocka_run_group_tests_name("plan_list", tests, NULL, NULL);
}

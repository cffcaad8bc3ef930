/* Unit tests for the RAG rules and the rating/state names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ragboard/date.h"
#include "ragboard/rag.h"

/* Day 0 of every schedule: 5 January 2026. Most actions run S .. S+100. */
static rb_day S;

static int setup(void **state)
{
    (void)state;
    S = date_from_ymd(2026, 1, 5);
    return 0;
}

/* An in-progress action, started and created on S, due S+100, half done, last
 * updated on S+45, no override. As of S+50 it is exactly on the line: Green. */
static struct rag_input base(void)
{
    struct rag_input in = {
        .state = STATE_IN_PROGRESS,
        .progress = 50,
        .start = S,
        .due = S + 100,
        .created = S,
        .last_update = S + 45,
        .last_update_at = "2026-02-19T10:00:00Z",
        .override = RAG_NONE,
        .override_at = NULL,
        .override_by = NULL,
        .override_reason = NULL,
    };
    return in;
}

static struct rag_result run(const struct rag_input *in, rb_day today)
{
    struct rag_result r;
    memset(&r, 0x5a, sizeof r); /* rag_compute must set every field */
    rag_compute(in, &rag_default_thresholds, today, &r);
    return r;
}

static struct rag_result run_t(const struct rag_input *in, const struct rag_thresholds *t,
                               rb_day today)
{
    struct rag_result r;
    memset(&r, 0x5a, sizeof r);
    rag_compute(in, t, today, &r);
    return r;
}

/* ---- names ---------------------------------------------------------------------- */

static void test_default_thresholds(void **state)
{
    (void)state;
    assert_int_equal(rag_default_thresholds.red_overdue_days, 14);
    assert_int_equal(rag_default_thresholds.red_lag_pct, 30);
    assert_int_equal(rag_default_thresholds.amber_due_days, 14);
    assert_int_equal(rag_default_thresholds.amber_lag_pct, 15);
    assert_int_equal(rag_default_thresholds.stale_days, 60);
}

static void test_rag_letters_words(void **state)
{
    (void)state;
    assert_int_equal(rag_letter(RAG_RED), 'R');
    assert_int_equal(rag_letter(RAG_AMBER), 'A');
    assert_int_equal(rag_letter(RAG_GREEN), 'G');
    assert_int_equal(rag_letter(RAG_COMPLETE), 'C');
    assert_int_equal(rag_letter(RAG_NONE), '-');
    assert_int_equal(rag_letter((enum rag)RAG_COUNT), '?');
    assert_int_equal(rag_letter((enum rag)-1), '?');
    assert_string_equal(rag_word(RAG_RED), "Red");
    assert_string_equal(rag_word(RAG_AMBER), "Amber");
    assert_string_equal(rag_word(RAG_GREEN), "Green");
    assert_string_equal(rag_word(RAG_COMPLETE), "Complete");
    assert_string_equal(rag_word(RAG_NONE), "Cancelled");
    assert_string_equal(rag_word((enum rag)RAG_COUNT), "?");
    assert_string_equal(rag_word((enum rag)-1), "?");
    /* Severity order for sorting. */
    assert_true(RAG_RED < RAG_AMBER && RAG_AMBER < RAG_GREEN && RAG_GREEN < RAG_COMPLETE &&
                RAG_COMPLETE < RAG_NONE);
    assert_int_equal(RAG_COUNT, 5);
}

static void test_rag_parse(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        enum rag r;
    } ok[] = {
        {"R", RAG_RED},        {"r", RAG_RED},           {"red", RAG_RED},
        {"Red", RAG_RED},      {"RED", RAG_RED},         {"A", RAG_AMBER},
        {"a", RAG_AMBER},      {"amber", RAG_AMBER},     {"AMBER", RAG_AMBER},
        {"G", RAG_GREEN},      {"g", RAG_GREEN},         {"green", RAG_GREEN},
        {"Green", RAG_GREEN},  {"C", RAG_COMPLETE},      {"c", RAG_COMPLETE},
        {"complete", RAG_COMPLETE}, {"Complete", RAG_COMPLETE}, {"B", RAG_COMPLETE},
        {"b", RAG_COMPLETE},   {"blue", RAG_COMPLETE},   {"Blue", RAG_COMPLETE},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        enum rag r = RAG_NONE;
        if (!rag_parse(ok[i].s, &r))
            fail_msg("rag_parse rejected \"%s\"", ok[i].s);
        assert_int_equal(r, ok[i].r);
    }
    static const char *const bad[] = {"", "x", "re", "redd", "reds", " red", "red ", "-",
                                      "none", "Cancelled", "RA", "yellow", "0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        enum rag r = RAG_GREEN;
        if (rag_parse(bad[i], &r))
            fail_msg("rag_parse accepted \"%s\"", bad[i]);
        assert_int_equal(r, RAG_GREEN);
    }
    enum rag r = RAG_GREEN;
    assert_false(rag_parse(NULL, &r));
    assert_int_equal(r, RAG_GREEN);
}

/* Every rating a person can set reads back from its own word and letter. */
static void test_rag_round_trip(void **state)
{
    (void)state;
    for (int i = RAG_RED; i <= RAG_COMPLETE; i++) {
        enum rag r = RAG_NONE;
        char letter[2] = {rag_letter((enum rag)i), '\0'};
        assert_true(rag_parse(rag_word((enum rag)i), &r));
        assert_int_equal(r, i);
        r = RAG_NONE;
        assert_true(rag_parse(letter, &r));
        assert_int_equal(r, i);
    }
}

static void test_state_names(void **state)
{
    (void)state;
    assert_string_equal(state_code(STATE_NOT_STARTED), "not_started");
    assert_string_equal(state_code(STATE_IN_PROGRESS), "in_progress");
    assert_string_equal(state_code(STATE_COMPLETE), "complete");
    assert_string_equal(state_code(STATE_CANCELLED), "cancelled");
    assert_string_equal(state_code((enum action_state)STATE_COUNT), "?");
    assert_string_equal(state_code((enum action_state)-1), "?");
    assert_string_equal(state_word(STATE_NOT_STARTED), "Not started");
    assert_string_equal(state_word(STATE_IN_PROGRESS), "In progress");
    assert_string_equal(state_word(STATE_COMPLETE), "Complete");
    assert_string_equal(state_word(STATE_CANCELLED), "Cancelled");
    assert_string_equal(state_word((enum action_state)STATE_COUNT), "?");
    assert_int_equal(STATE_COUNT, 4);
}

static void test_state_parse(void **state)
{
    (void)state;
    for (int i = 0; i < STATE_COUNT; i++) {
        enum action_state s = (enum action_state)((i + 1) % STATE_COUNT);
        assert_true(state_parse(state_code((enum action_state)i), &s));
        assert_int_equal(s, i);
        s = (enum action_state)((i + 1) % STATE_COUNT);
        assert_true(state_parse(state_word((enum action_state)i), &s));
        assert_int_equal(s, i);
    }
    enum action_state s = STATE_COMPLETE;
    assert_true(state_parse("IN_PROGRESS", &s));
    assert_int_equal(s, STATE_IN_PROGRESS);
    assert_true(state_parse("not started", &s));
    assert_int_equal(s, STATE_NOT_STARTED);
    assert_true(state_parse("CANCELLED", &s));
    assert_int_equal(s, STATE_CANCELLED);
    assert_true(state_parse("Complete", &s));
    assert_int_equal(s, STATE_COMPLETE);

    static const char *const bad[] = {"", "done", "started", "in-progress", "inprogress",
                                      "complete ", " cancelled", "cancel", "?"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = STATE_IN_PROGRESS;
        if (state_parse(bad[i], &s))
            fail_msg("state_parse accepted \"%s\"", bad[i]);
        assert_int_equal(s, STATE_IN_PROGRESS);
    }
    s = STATE_IN_PROGRESS;
    assert_false(state_parse(NULL, &s));
    assert_int_equal(s, STATE_IN_PROGRESS);
}

/* ---- closed actions --------------------------------------------------------------- */

static void test_cancelled(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.state = STATE_CANCELLED;
    in.progress = 0;
    in.last_update = S - 300;
    in.override = RAG_RED;
    in.override_at = "2026-03-05T10:00:00Z";
    in.override_by = "alice";
    in.override_reason = "x";
    struct rag_result r = run(&in, S + 200); /* long overdue and stale */
    assert_int_equal(r.rag, RAG_NONE);
    assert_string_equal(r.reason, "cancelled");
    assert_false(r.overdue);
    assert_false(r.stale);
    assert_false(r.override);
    assert_int_equal(rag_letter(r.rag), '-');
}

static void test_complete(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.state = STATE_COMPLETE;
    in.progress = 40;
    in.last_update = S - 300;
    in.override = RAG_RED;
    in.override_at = "2026-03-05T10:00:00Z";
    in.override_by = "alice";
    struct rag_result r = run(&in, S + 200);
    assert_int_equal(r.rag, RAG_COMPLETE);
    assert_string_equal(r.reason, "complete");
    assert_false(r.overdue);
    assert_false(r.stale);
    assert_false(r.override);
    assert_int_equal(rag_letter(r.rag), 'C');
}

/* ---- manual override -------------------------------------------------------------- */

static void test_override_wins(void **state)
{
    (void)state;
    struct rag_input in = base();
    /* Computed Green (on the line) but the board has rated it Red. */
    in.override = RAG_RED;
    in.override_at = "2026-03-05T14:30:00Z";
    in.override_by = "alice";
    in.override_reason = "partner funding withdrawn";
    struct rag_result r = run(&in, S + 60);
    assert_int_equal(r.rag, RAG_RED);
    assert_true(r.override);
    assert_false(r.overdue);
    assert_false(r.stale);
    assert_string_equal(r.reason, "set to Red by alice on 05/03/2026: partner funding withdrawn");
}

static void test_override_beats_computed_red(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.progress = 0;
    in.override = RAG_GREEN;
    in.override_at = "2026-05-01T09:00:00Z";
    in.override_by = "bob";
    in.override_reason = "agreed new timescale at the board";
    /* 20 days overdue at 0%: Red by the rules, Green by the board's decision. */
    struct rag_result r = run(&in, S + 120);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_true(r.override);
    assert_true(r.overdue); /* the flag still tells the truth */
    assert_string_equal(r.reason,
                        "set to Green by bob on 01/05/2026: agreed new timescale at the board");

    in.override = RAG_AMBER;
    r = run(&in, S + 120);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_string_equal(r.reason,
                        "set to Amber by bob on 01/05/2026: agreed new timescale at the board");
}

static void test_override_cleared_by_later_update(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.override = RAG_RED;
    in.override_at = "2026-03-05T14:30:00Z";
    in.override_by = "alice";
    in.override_reason = "partner funding withdrawn";
    in.last_update = S + 59;
    in.last_update_at = "2026-03-05T14:30:01Z"; /* one second after the override */
    struct rag_result r = run(&in, S + 60);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_false(r.override);
    assert_string_equal(r.reason, "on track (50% done, 60% expected)");
}

static void test_override_kept_after_earlier_update(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.override = RAG_RED;
    in.override_at = "2026-03-05T14:30:00Z";
    in.override_by = "alice";
    in.override_reason = "partner funding withdrawn";
    in.last_update = S + 59;
    in.last_update_at = "2026-03-05T14:29:59Z";
    struct rag_result r = run(&in, S + 60);
    assert_int_equal(r.rag, RAG_RED);
    assert_true(r.override);
    /* An update recorded at the very same time does not clear it either. */
    in.last_update_at = "2026-03-05T14:30:00Z";
    r = run(&in, S + 60);
    assert_int_equal(r.rag, RAG_RED);
    assert_true(r.override);
    /* Nor does having no update at all. */
    in.last_update = RB_NO_DATE;
    in.last_update_at = NULL;
    r = run(&in, S + 60);
    assert_int_equal(r.rag, RAG_RED);
    assert_true(r.override);
}

static void test_override_active(void **state)
{
    (void)state;
    assert_true(rag_override_active("2026-03-05T14:30:00Z", NULL));
    assert_true(rag_override_active("2026-03-05T14:30:00Z", "2026-03-05T14:29:59Z"));
    assert_true(rag_override_active("2026-03-05T14:30:00Z", "2026-03-05T14:30:00Z"));
    assert_true(rag_override_active("2026-03-05T14:30:00Z", "2025-12-31T23:59:59Z"));
    assert_false(rag_override_active("2026-03-05T14:30:00Z", "2026-03-05T14:30:01Z"));
    assert_false(rag_override_active("2026-03-05T14:30:00Z", "2026-03-06T00:00:00Z"));
    assert_false(rag_override_active("2026-03-05T14:30:00Z", "2027-01-01T00:00:00Z"));
    assert_false(rag_override_active(NULL, NULL));
    assert_false(rag_override_active(NULL, "2026-03-05T14:30:00Z"));
}

static void test_override_none_ignored(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.override = RAG_NONE;
    in.override_at = "2026-03-05T14:30:00Z";
    in.override_by = "alice";
    in.override_reason = "stale leftover";
    struct rag_result r = run(&in, S + 50);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_false(r.override);
    assert_string_equal(r.reason, "on track (50% done, 50% expected)");
}

static void test_override_missing_fields(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.override = RAG_AMBER;
    in.override_at = "2026-03-05T14:30:00Z";
    in.override_by = NULL;
    in.override_reason = "waiting on CTLP refresh";
    struct rag_result r = run(&in, S + 60);
    assert_string_equal(r.reason, "set to Amber by unknown on 05/03/2026: waiting on CTLP refresh");

    /* A time too short or not a date gives "unknown date". */
    in.override_by = "carol";
    in.override_at = "2026-03";
    in.last_update_at = "2026-02";
    r = run(&in, S + 60);
    assert_true(r.override);
    assert_string_equal(r.reason, "set to Amber by carol on unknown date: waiting on CTLP refresh");
    in.override_at = "2026-02-30T10:00:00Z";
    in.last_update_at = NULL;
    r = run(&in, S + 60);
    assert_string_equal(r.reason, "set to Amber by carol on unknown date: waiting on CTLP refresh");

    /* Date-only override time. */
    in.override_at = "2026-03-05";
    r = run(&in, S + 60);
    assert_string_equal(r.reason, "set to Amber by carol on 05/03/2026: waiting on CTLP refresh");
}

/* With no reason given the text stops after the date, without a dangling colon. */
static void test_override_no_reason(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.override = RAG_RED;
    in.override_at = "2026-03-05T14:30:00Z";
    in.override_by = "alice";
    in.override_reason = NULL;
    struct rag_result r = run(&in, S + 60);
    assert_string_equal(r.reason, "set to Red by alice on 05/03/2026");
    in.override_reason = "";
    r = run(&in, S + 60);
    assert_string_equal(r.reason, "set to Red by alice on 05/03/2026");
    in.override_reason = "  ";
    r = run(&in, S + 60);
    assert_string_equal(r.reason, "set to Red by alice on 05/03/2026");
}

/* True when s is well-formed UTF-8. */
static bool utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2
                : (*p & 0xF8) == 0xF0             ? 3
                                                  : -1;
        if (n < 0)
            return false;
        p++;
        for (int i = 0; i < n; i++, p++)
            if ((*p & 0xC0) != 0x80)
                return false;
    }
    return true;
}

/* A long reason is cut to fit, and never in the middle of a character: officers paste
 * text with curly quotes and accented names from Word. */
static void test_override_long_reason_utf8(void **state)
{
    (void)state;
    char reason[600];
    struct rag_input in = base();
    in.override = RAG_RED;
    in.override_at = "2026-03-05T14:30:00Z";
    in.override_by = "Siân";
    in.override_reason = reason;
    /* Shift the multibyte characters through every alignment against the cut. */
    for (int pad = 0; pad < 4; pad++) {
        for (int width = 2; width <= 4; width++) {
            static const char *const ch[] = {NULL, NULL, "\xc3\xa9", "\xe2\x80\x99",
                                             "\xf0\x9f\x99\x82"};
            size_t len = 0;
            for (int i = 0; i < pad; i++)
                reason[len++] = 'x';
            while (len + 4 < sizeof reason - 1) {
                memcpy(reason + len, ch[width], (size_t)width);
                len += (size_t)width;
            }
            reason[len] = '\0';
            struct rag_result r = run(&in, S + 60);
            assert_true(r.override);
            assert_true(strlen(r.reason) < RAG_REASON_LEN);
            assert_true(strlen(r.reason) >= RAG_REASON_LEN - 4);
            assert_true(utf8_ok(r.reason));
            assert_memory_equal(r.reason, "set to Red by Siân on 05/03/2026: ",
                                strlen("set to Red by Siân on 05/03/2026: "));
        }
    }
}

/* ---- overdue ---------------------------------------------------------------------- */

static void test_overdue_red(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.progress = 90; /* close to done, so lag stays under the Amber line */
    in.last_update = S + 110;
    struct rag_result r = run(&in, S + 115); /* 15 days overdue */
    assert_int_equal(r.rag, RAG_RED);
    assert_true(r.overdue);
    assert_false(r.override);
    assert_string_equal(r.reason, "overdue by 15 days");

    r = run(&in, S + 100 + 200);
    assert_int_equal(r.rag, RAG_RED);
    assert_string_equal(r.reason, "overdue by 200 days");
}

static void test_overdue_amber_within_tolerance(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.progress = 90;
    in.last_update = S + 100;
    /* Exactly red_overdue_days overdue is still Amber: Red needs "more than". */
    struct rag_result r = run(&in, S + 114);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_true(r.overdue);
    assert_string_equal(r.reason, "overdue by 14 days");

    r = run(&in, S + 101);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_true(r.overdue);
    assert_string_equal(r.reason, "overdue by 1 day");

    r = run(&in, S + 102);
    assert_string_equal(r.reason, "overdue by 2 days");

    /* 100% done but not marked complete: still overdue (for closing off). */
    in.progress = 100;
    r = run(&in, S + 105);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_string_equal(r.reason, "overdue by 5 days");
    r = run(&in, S + 115);
    assert_int_equal(r.rag, RAG_RED);
    assert_string_equal(r.reason, "overdue by 15 days");
}

/* Past the due date the line says 100%, so a half-done action is Red on lag before the
 * overdue tolerance runs out; the reason says how far behind it is. */
static void test_overdue_but_far_behind(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.progress = 50;
    in.last_update = S + 99;
    struct rag_result r = run(&in, S + 101);
    assert_int_equal(r.rag, RAG_RED);
    assert_true(r.overdue);
    assert_string_equal(r.reason, "50 points behind schedule (expected 100%, at 50%)");
    /* Once past the tolerance the overdue reason takes precedence. */
    r = run(&in, S + 120);
    assert_int_equal(r.rag, RAG_RED);
    assert_string_equal(r.reason, "overdue by 20 days");
    /* Within tolerance and lag between the Amber and Red lines: overdue wins the text. */
    in.progress = 80;
    r = run(&in, S + 103);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_string_equal(r.reason, "overdue by 3 days");
}

static void test_not_overdue_on_due_date(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.progress = 90;
    in.last_update = S + 99;
    struct rag_result r = run(&in, S + 100);
    assert_false(r.overdue);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_string_equal(r.reason, "due today, 90% done");
}

/* ---- lag behind the straight line ---------------------------------------------------- */

static void test_lag_red(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.progress = 19; /* expected 50 at S+50: 31 points behind */
    struct rag_result r = run(&in, S + 50);
    assert_int_equal(r.rag, RAG_RED);
    assert_false(r.overdue);
    assert_string_equal(r.reason, "31 points behind schedule (expected 50%, at 19%)");

    in.progress = 0;
    r = run(&in, S + 90);
    assert_int_equal(r.rag, RAG_RED);
    assert_string_equal(r.reason, "90 points behind schedule (expected 90%, at 0%)");
}

static void test_lag_boundaries(void **state)
{
    (void)state;
    struct rag_input in = base();
    struct rag_result r;
    /* Exactly red_lag_pct behind: Amber, not Red. */
    in.progress = 20;
    r = run(&in, S + 50);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_string_equal(r.reason, "30 points behind schedule (expected 50%, at 20%)");
    /* Just over amber_lag_pct. */
    in.progress = 34;
    r = run(&in, S + 50);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_string_equal(r.reason, "16 points behind schedule (expected 50%, at 34%)");
    /* Exactly amber_lag_pct behind: Green. */
    in.progress = 35;
    r = run(&in, S + 50);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_string_equal(r.reason, "on track (35% done, 50% expected)");
    /* Ahead of the line. */
    in.progress = 80;
    r = run(&in, S + 50);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_string_equal(r.reason, "on track (80% done, 50% expected)");
}

/* Expected progress rounds down: 1 day into a 3-day action is 33%. */
static void test_lag_rounding(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.start = S;
    in.due = S + 300;
    in.progress = 2;
    struct rag_result r = run(&in, S + 100); /* 33.3% expected */
    assert_int_equal(r.rag, RAG_RED);
    assert_string_equal(r.reason, "31 points behind schedule (expected 33%, at 2%)");
    in.progress = 3;
    r = run(&in, S + 100);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_string_equal(r.reason, "30 points behind schedule (expected 33%, at 3%)");
}

static void test_no_start_uses_created(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.start = RB_NO_DATE;
    in.created = S;
    in.progress = 10;
    struct rag_result r = run(&in, S + 50);
    assert_int_equal(r.rag, RAG_RED);
    assert_string_equal(r.reason, "40 points behind schedule (expected 50%, at 10%)");

    /* A start date, when given, beats the created date. */
    in.start = S + 40; /* 60-day line, 10 days in */
    in.progress = 10;
    r = run(&in, S + 50);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_string_equal(r.reason, "on track (10% done, 16% expected)");
}

static void test_before_start_no_lag(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.state = STATE_NOT_STARTED;
    in.progress = 0;
    in.start = S + 30;
    in.due = S + 130;
    in.created = S;
    in.last_update = RB_NO_DATE;
    in.last_update_at = NULL;
    /* Before and on the start date nothing is expected yet. */
    struct rag_result r = run(&in, S + 10);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_string_equal(r.reason, "on track");
    r = run(&in, S + 30);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_string_equal(r.reason, "on track");
    /* A start far in the future is not stale even though it was created long ago. */
    in.created = S - 200;
    r = run(&in, S + 10);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_false(r.stale);
    /* Once started, the clock runs: 20 days into 100 with nothing done. */
    r = run(&in, S + 50);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_string_equal(r.reason, "20 points behind schedule (expected 20%, at 0%)");
}

/* Due on or before its start: no line to measure against, so no lag rule. */
static void test_degenerate_line(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.start = S + 50;
    in.due = S + 50;
    in.progress = 0;
    in.last_update = S + 20;
    struct rag_result r = run(&in, S + 30);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_string_equal(r.reason, "on track");
    in.due = S + 40;
    r = run(&in, S + 20);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_string_equal(r.reason, "on track");
}

/* ---- due soon ------------------------------------------------------------------------- */

static void test_due_soon(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.progress = 90;
    in.last_update = S + 80;
    /* Exactly amber_due_days away counts as "within". */
    struct rag_result r = run(&in, S + 86);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_false(r.overdue);
    assert_string_equal(r.reason, "due in 14 days, 90% done");
    /* One day further out: Green. */
    r = run(&in, S + 85);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_string_equal(r.reason, "on track (90% done, 85% expected)");
    r = run(&in, S + 99);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_string_equal(r.reason, "due in 1 day, 90% done");
    r = run(&in, S + 98);
    assert_string_equal(r.reason, "due in 2 days, 90% done");
    r = run(&in, S + 100);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_string_equal(r.reason, "due today, 90% done");
}

static void test_due_soon_but_done(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.progress = 100;
    in.last_update = S + 90;
    struct rag_result r = run(&in, S + 95);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_string_equal(r.reason, "on track (100% done, 95% expected)");
    r = run(&in, S + 100);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_string_equal(r.reason, "on track (100% done, 100% expected)");
}

/* ---- stale ---------------------------------------------------------------------------- */

static void test_stale(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.due = RB_NO_DATE; /* ongoing */
    in.progress = 0;
    in.last_update = S;
    /* Exactly stale_days without an update is not yet stale. */
    struct rag_result r = run(&in, S + 60);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_false(r.stale);
    assert_string_equal(r.reason, "on track");
    r = run(&in, S + 61);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_true(r.stale);
    assert_false(r.overdue);
    assert_string_equal(r.reason, "no update for 61 days");
    r = run(&in, S + 400);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_string_equal(r.reason, "no update for 400 days");
}

static void test_stale_never_updated(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.due = RB_NO_DATE;
    in.last_update = RB_NO_DATE;
    in.last_update_at = NULL;
    in.start = RB_NO_DATE;
    in.created = S;
    struct rag_result r = run(&in, S + 60);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_false(r.stale);
    r = run(&in, S + 61);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_true(r.stale);
    assert_string_equal(r.reason, "no update since it started 61 days ago");
    /* Counted from the start date when that is later than creation. */
    in.created = S - 100;
    in.start = S;
    r = run(&in, S + 61);
    assert_string_equal(r.reason, "no update since it started 61 days ago");
    r = run(&in, S + 60);
    assert_int_equal(r.rag, RAG_GREEN);
    /* A start before creation (backdated) counts from creation. */
    in.created = S;
    in.start = S - 100;
    r = run(&in, S + 60);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_false(r.stale);
    /* Nothing known at all: never stale. */
    in.created = RB_NO_DATE;
    in.start = RB_NO_DATE;
    r = run(&in, S + 1000);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_false(r.stale);
    assert_string_equal(r.reason, "on track");
}

/* An update dated in the future (a clock slip) is not negative staleness. */
static void test_stale_future_update(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.due = RB_NO_DATE;
    in.last_update = S + 10;
    struct rag_result r = run(&in, S);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_false(r.stale);
}

static void test_singular_plural_custom_thresholds(void **state)
{
    (void)state;
    struct rag_thresholds t = {.red_overdue_days = 0,
                               .red_lag_pct = 30,
                               .amber_due_days = 1,
                               .amber_lag_pct = 15,
                               .stale_days = 0};
    struct rag_input in = base();
    in.due = RB_NO_DATE;
    in.last_update = S;
    struct rag_result r = run_t(&in, &t, S + 1);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_string_equal(r.reason, "no update for 1 day");
    r = run_t(&in, &t, S + 2);
    assert_string_equal(r.reason, "no update for 2 days");
    in.last_update = RB_NO_DATE;
    in.start = RB_NO_DATE;
    in.created = S;
    r = run_t(&in, &t, S + 1);
    assert_string_equal(r.reason, "no update since it started 1 day ago");

    /* red_overdue_days = 0: any overdue day is Red. */
    in = base();
    in.progress = 95;
    in.last_update = S + 100;
    r = run_t(&in, &t, S + 101);
    assert_int_equal(r.rag, RAG_RED);
    assert_string_equal(r.reason, "overdue by 1 day");
    /* amber_due_days = 1. */
    r = run_t(&in, &t, S + 99);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_string_equal(r.reason, "due in 1 day, 95% done");
    r = run_t(&in, &t, S + 98);
    assert_int_equal(r.rag, RAG_GREEN);
}

/* ---- ongoing actions ------------------------------------------------------------------ */

static void test_ongoing(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.due = RB_NO_DATE;
    in.start = S - 1000;
    in.created = S - 1000;
    in.progress = 0;
    in.last_update = S - 10;
    /* Years after it started, at 0%: never overdue, never behind. */
    struct rag_result r = run(&in, S);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_false(r.overdue);
    assert_false(r.stale);
    assert_string_equal(r.reason, "on track");
    /* But it can go stale. */
    r = run(&in, S + 51);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_false(r.overdue);
    assert_true(r.stale);
    assert_string_equal(r.reason, "no update for 61 days");
}

/* ---- order of the rules --------------------------------------------------------------- */

static void test_rule_precedence(void **state)
{
    (void)state;
    struct rag_input in = base();
    struct rag_result r;

    /* Red overdue over lag, and the stale flag is still reported. */
    in.progress = 10;
    in.last_update = S + 10;
    r = run(&in, S + 130);
    assert_int_equal(r.rag, RAG_RED);
    assert_true(r.overdue);
    assert_true(r.stale);
    assert_string_equal(r.reason, "overdue by 30 days");

    /* Red lag over due-soon and stale. */
    in.progress = 10;
    in.last_update = S;
    r = run(&in, S + 90);
    assert_int_equal(r.rag, RAG_RED);
    assert_true(r.stale);
    assert_string_equal(r.reason, "80 points behind schedule (expected 90%, at 10%)");

    /* Amber lag over due-soon. */
    in.progress = 70;
    in.last_update = S + 85;
    r = run(&in, S + 90);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_string_equal(r.reason, "20 points behind schedule (expected 90%, at 70%)");

    /* Due soon over stale. */
    in.progress = 90;
    in.last_update = S + 20;
    r = run(&in, S + 95);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_true(r.stale);
    assert_string_equal(r.reason, "due in 5 days, 90% done");

    /* Stale over on-track. */
    in.progress = 60;
    in.last_update = S - 20;
    r = run(&in, S + 50);
    assert_int_equal(r.rag, RAG_AMBER);
    assert_true(r.stale);
    assert_string_equal(r.reason, "no update for 70 days");
}

static void test_green(void **state)
{
    (void)state;
    struct rag_input in = base();
    struct rag_result r = run(&in, S + 50);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_false(r.overdue);
    assert_false(r.stale);
    assert_false(r.override);
    assert_string_equal(r.reason, "on track (50% done, 50% expected)");
    assert_int_equal(rag_letter(r.rag), 'G');

    /* Not started yet but on its start day: nothing expected. */
    in.state = STATE_NOT_STARTED;
    in.progress = 0;
    r = run(&in, S);
    assert_int_equal(r.rag, RAG_GREEN);
    assert_string_equal(r.reason, "on track");
}

/* rag_compute is pure: the same input gives the same answer and the input is unchanged. */
static void test_pure(void **state)
{
    (void)state;
    struct rag_input in = base();
    in.override = RAG_RED;
    in.override_at = "2026-03-05T14:30:00Z";
    in.override_by = "alice";
    in.override_reason = "reason";
    struct rag_input copy = in;
    struct rag_result a = run(&in, S + 60), b = run(&in, S + 60);
    assert_int_equal(a.rag, b.rag);
    assert_string_equal(a.reason, b.reason);
    /* Field by field: the struct's padding is never initialised (valgrind). */
    assert_int_equal(in.state, copy.state);
    assert_int_equal(in.progress, copy.progress);
    assert_int_equal(in.start, copy.start);
    assert_int_equal(in.due, copy.due);
    assert_int_equal(in.created, copy.created);
    assert_int_equal(in.last_update, copy.last_update);
    assert_ptr_equal(in.last_update_at, copy.last_update_at);
    assert_int_equal(in.override, copy.override);
    assert_ptr_equal(in.override_at, copy.override_at);
    assert_ptr_equal(in.override_by, copy.override_by);
    assert_ptr_equal(in.override_reason, copy.override_reason);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_thresholds),
        cmocka_unit_test(test_rag_letters_words),
        cmocka_unit_test(test_rag_parse),
        cmocka_unit_test(test_rag_round_trip),
        cmocka_unit_test(test_state_names),
        cmocka_unit_test(test_state_parse),
        cmocka_unit_test(test_cancelled),
        cmocka_unit_test(test_complete),
        cmocka_unit_test(test_override_wins),
        cmocka_unit_test(test_override_beats_computed_red),
        cmocka_unit_test(test_override_cleared_by_later_update),
        cmocka_unit_test(test_override_kept_after_earlier_update),
        cmocka_unit_test(test_override_active),
        cmocka_unit_test(test_override_none_ignored),
        cmocka_unit_test(test_override_missing_fields),
        cmocka_unit_test(test_override_no_reason),
        cmocka_unit_test(test_override_long_reason_utf8),
        cmocka_unit_test(test_overdue_red),
        cmocka_unit_test(test_overdue_amber_within_tolerance),
        cmocka_unit_test(test_overdue_but_far_behind),
        cmocka_unit_test(test_not_overdue_on_due_date),
        cmocka_unit_test(test_lag_red),
        cmocka_unit_test(test_lag_boundaries),
        cmocka_unit_test(test_lag_rounding),
        cmocka_unit_test(test_no_start_uses_created),
        cmocka_unit_test(test_before_start_no_lag),
        cmocka_unit_test(test_degenerate_line),
        cmocka_unit_test(test_due_soon),
        cmocka_unit_test(test_due_soon_but_done),
        cmocka_unit_test(test_stale),
        cmocka_unit_test(test_stale_never_updated),
        cmocka_unit_test(test_stale_future_update),
        cmocka_unit_test(test_singular_plural_custom_thresholds),
        cmocka_unit_test(test_ongoing),
        cmocka_unit_test(test_rule_precedence),
        cmocka_unit_test(test_green),
        cmocka_unit_test(test_pure),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}

/* Unit tests for the calendar module: day numbers, validation, parsing, formatting
 * and "today". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ragboard/date.h"

/* ---- day numbers ---------------------------------------------------------------- */

static void test_known_day_numbers(void **state)
{
    (void)state;
    assert_int_equal(date_from_ymd(1970, 1, 1), 0);
    assert_int_equal(date_from_ymd(1970, 1, 2), 1);
    assert_int_equal(date_from_ymd(1969, 12, 31), -1);
    assert_int_equal(date_from_ymd(1900, 1, 1), -25567);
    assert_int_equal(date_from_ymd(2000, 1, 1), 10957);
    assert_int_equal(date_from_ymd(2024, 2, 29), 19782);
    assert_int_equal(date_from_ymd(2026, 3, 31), 20543);
    assert_int_equal(date_from_ymd(2100, 12, 31), 47846);
    assert_int_equal(date_from_ymd(9999, 12, 31), 2932896);
}

static void test_day_differences(void **state)
{
    (void)state;
    /* Across the end of February in leap and common years. */
    assert_int_equal(date_from_ymd(2024, 3, 1) - date_from_ymd(2024, 2, 28), 2);
    assert_int_equal(date_from_ymd(2025, 3, 1) - date_from_ymd(2025, 2, 28), 1);
    assert_int_equal(date_from_ymd(1900, 3, 1) - date_from_ymd(1900, 2, 28), 1);
    assert_int_equal(date_from_ymd(2000, 3, 1) - date_from_ymd(2000, 2, 28), 2);
    assert_int_equal(date_from_ymd(2100, 3, 1) - date_from_ymd(2100, 2, 28), 1);
    /* Whole years. */
    assert_int_equal(date_from_ymd(2025, 1, 1) - date_from_ymd(2024, 1, 1), 366);
    assert_int_equal(date_from_ymd(2026, 1, 1) - date_from_ymd(2025, 1, 1), 365);
    assert_int_equal(date_from_ymd(1901, 1, 1) - date_from_ymd(1900, 1, 1), 365);
    assert_int_equal(date_from_ymd(2001, 1, 1) - date_from_ymd(2000, 1, 1), 366);
    /* A financial year 2025/26: 1 April 2025 to 31 March 2026 inclusive. */
    assert_int_equal(date_from_ymd(2026, 3, 31) - date_from_ymd(2025, 4, 1) + 1, 365);
}

static void test_to_ymd_known(void **state)
{
    (void)state;
    int y, m, d;
    date_to_ymd(0, &y, &m, &d);
    assert_int_equal(y, 1970);
    assert_int_equal(m, 1);
    assert_int_equal(d, 1);
    date_to_ymd(-1, &y, &m, &d);
    assert_int_equal(y, 1969);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
    date_to_ymd(19782, &y, &m, &d);
    assert_int_equal(y, 2024);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    date_to_ymd(-25567, &y, &m, &d);
    assert_int_equal(y, 1900);
    assert_int_equal(m, 1);
    assert_int_equal(d, 1);
    date_to_ymd(2932896, &y, &m, &d);
    assert_int_equal(y, 9999);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
}

/* Every valid day from 1900-01-01 to 2100-12-31: consecutive day numbers that map back
 * to the same date, and nothing else valid in between. */
static void test_round_trip_1900_2100(void **state)
{
    (void)state;
    rb_day expect = date_from_ymd(1900, 1, 1);
    long count = 0;
    for (int y = 1900; y <= 2100; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= 31; d++) {
                if (!date_valid(y, m, d)) {
                    assert_true(d > 28);
                    continue;
                }
                rb_day day = date_from_ymd(y, m, d);
                assert_int_equal(day, expect);
                int yy, mm, dd;
                date_to_ymd(day, &yy, &mm, &dd);
                assert_int_equal(yy, y);
                assert_int_equal(mm, m);
                assert_int_equal(dd, d);
                expect++;
                count++;
            }
        }
    }
    /* 201 years, 49 leap years among them (1900 and 2100 are not leap years). */
    assert_int_equal(count, 201L * 365 + 49);
    assert_int_equal(expect - 1, date_from_ymd(2100, 12, 31));
}

/* Day number to date and back, for every day in the same span, and the weekday. */
static void test_round_trip_days(void **state)
{
    (void)state;
    rb_day first = date_from_ymd(1900, 1, 1), last = date_from_ymd(2100, 12, 31);
    for (rb_day day = first; day <= last; day++) {
        int y, m, d;
        date_to_ymd(day, &y, &m, &d);
        assert_true(date_valid(y, m, d));
        assert_int_equal(date_from_ymd(y, m, d), day);
    }
    /* 1 January 1900 was a Monday and 1970-01-01 a Thursday: 25567 days apart, which is
     * 3652 weeks and 3 days. */
    assert_int_equal(((0 - first) % 7), 3);
}

/* ---- validity ------------------------------------------------------------------- */

static void test_leap_years(void **state)
{
    (void)state;
    assert_false(date_valid(1900, 2, 29));
    assert_true(date_valid(2000, 2, 29));
    assert_true(date_valid(2024, 2, 29));
    assert_false(date_valid(2025, 2, 29));
    assert_false(date_valid(2026, 2, 29));
    assert_true(date_valid(2028, 2, 29));
    assert_false(date_valid(2100, 2, 29));
    assert_true(date_valid(2400, 2, 29));
    assert_true(date_valid(1900, 2, 28));
    assert_true(date_valid(2100, 2, 28));
    assert_false(date_valid(2024, 2, 30));
    assert_int_equal(date_days_in_month(1900, 2), 28);
    assert_int_equal(date_days_in_month(2000, 2), 29);
    assert_int_equal(date_days_in_month(2024, 2), 29);
    assert_int_equal(date_days_in_month(2026, 2), 28);
    assert_int_equal(date_days_in_month(2100, 2), 28);
}

static void test_month_lengths(void **state)
{
    (void)state;
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; m++) {
        assert_int_equal(date_days_in_month(2026, m), len[m - 1]);
        assert_true(date_valid(2026, m, len[m - 1]));
        assert_false(date_valid(2026, m, len[m - 1] + 1));
        assert_true(date_valid(2026, m, 1));
        assert_false(date_valid(2026, m, 0));
    }
    assert_false(date_valid(2026, 4, 31));
    assert_false(date_valid(2026, 6, 31));
    assert_false(date_valid(2026, 9, 31));
    assert_false(date_valid(2026, 11, 31));
    assert_int_equal(date_days_in_month(2026, 0), 0);
    assert_int_equal(date_days_in_month(2026, 13), 0);
    assert_int_equal(date_days_in_month(2026, -1), 0);
}

static void test_valid_ranges(void **state)
{
    (void)state;
    assert_true(date_valid(1900, 1, 1));
    assert_false(date_valid(1899, 12, 31));
    assert_true(date_valid(9999, 12, 31));
    assert_false(date_valid(10000, 1, 1));
    assert_false(date_valid(0, 1, 1));
    assert_false(date_valid(-2026, 3, 31));
    assert_false(date_valid(2026, 0, 1));
    assert_false(date_valid(2026, 13, 1));
    assert_false(date_valid(2026, 1, -1));
    assert_false(date_valid(2026, 1, 32));
}

/* ---- parsing -------------------------------------------------------------------- */

/* Parse s with date_parse and return the day, failing the test if it is rejected. */
static rb_day parse_ok(const char *s)
{
    rb_day day = 12345;
    if (!date_parse(s, &day))
        fail_msg("date_parse rejected \"%s\"", s);
    return day;
}

/* Assert s is rejected and *out left alone. */
static void parse_bad(const char *s)
{
    rb_day day = 12345;
    if (date_parse(s, &day))
        fail_msg("date_parse accepted \"%s\"", s);
    assert_int_equal(day, 12345);
}

static void test_parse_iso(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("2026-03-31"), 20543);
    assert_int_equal(parse_ok("1970-01-01"), 0);
    assert_int_equal(parse_ok("1900-01-01"), -25567);
    assert_int_equal(parse_ok("9999-12-31"), 2932896);
    assert_int_equal(parse_ok("2024-02-29"), 19782);
    assert_int_equal(parse_ok("2000-02-29"), date_from_ymd(2000, 2, 29));
}

static void test_parse_uk(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("31/03/2026"), 20543);
    assert_int_equal(parse_ok("1/4/2026"), date_from_ymd(2026, 4, 1));
    assert_int_equal(parse_ok("01/04/2026"), date_from_ymd(2026, 4, 1));
    assert_int_equal(parse_ok("1/04/2026"), date_from_ymd(2026, 4, 1));
    assert_int_equal(parse_ok("01/4/2026"), date_from_ymd(2026, 4, 1));
    /* Day first, never month first: 4/1 is 4 January. */
    assert_int_equal(parse_ok("4/1/2026"), date_from_ymd(2026, 1, 4));
    assert_int_equal(parse_ok("29/02/2024"), 19782);
    assert_int_equal(parse_ok("31/12/9999"), 2932896);
    assert_int_equal(parse_ok("01/01/1900"), -25567);
}

static void test_parse_blanks(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("  2026-03-31"), 20543);
    assert_int_equal(parse_ok("2026-03-31  "), 20543);
    assert_int_equal(parse_ok("\t2026-03-31\t"), 20543);
    assert_int_equal(parse_ok(" 31/03/2026 "), 20543);
    assert_int_equal(parse_ok("\t1/4/2026 \t"), date_from_ymd(2026, 4, 1));
    /* Blanks inside the date are not allowed. */
    parse_bad("2026 -03-31");
    parse_bad("2026- 03-31");
    parse_bad("31 /03/2026");
    parse_bad("31/ 3/2026");
    parse_bad("31/03/ 2026");
    parse_bad("   ");
}

/* A person typing an ISO date may leave off the leading zeros, as they may in the UK
 * form; year first with four digits is unambiguous, so date_parse takes it. The store's
 * own reader stays strict. */
static void test_parse_iso_short_fields(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("2026-3-31"), 20543);
    assert_int_equal(parse_ok("2026-4-1"), date_from_ymd(2026, 4, 1));
    assert_int_equal(parse_ok("2026-04-1"), date_from_ymd(2026, 4, 1));
    assert_int_equal(parse_ok(" 2026-4-01 "), date_from_ymd(2026, 4, 1));
    parse_bad("2026-4-");
    parse_bad("2026--1");
    parse_bad("2026-004-01");
    parse_bad("2026-04-001");
    parse_bad("2026-2-30");

    rb_day day = 7;
    assert_false(date_parse_iso("2026-3-31", &day));
    assert_false(date_parse_iso("2026-04-1", &day));
    assert_int_equal(day, 7);
}

static void test_parse_rejects(void **state)
{
    (void)state;
    /* Impossible dates. */
    parse_bad("31/02/2026");
    parse_bad("2026-02-30");
    parse_bad("29/02/2025");
    parse_bad("2025-02-29");
    parse_bad("29/02/1900");
    parse_bad("29/02/2100");
    parse_bad("31/04/2026");
    parse_bad("2026-13-01");
    parse_bad("13/13/2026");
    parse_bad("0/1/2026");
    parse_bad("00/01/2026");
    parse_bad("1/0/2026");
    parse_bad("2026-00-10");
    parse_bad("2026-01-00");
    parse_bad("32/01/2026");
    /* Out of range years. */
    parse_bad("1899-12-31");
    parse_bad("31/12/1899");
    parse_bad("0000-01-01");
    /* Not dates at all, or partial. */
    parse_bad("abc");
    parse_bad("");
    parse_bad("12/2026");
    parse_bad("2026");
    parse_bad("2026-03");
    parse_bad("31/03");
    parse_bad("31/03/");
    parse_bad("/03/2026");
    parse_bad("31//2026");
    /* Two-digit years are ambiguous: refuse rather than guess a century. */
    parse_bad("31/03/26");
    parse_bad("26-03-31");
    /* Five-digit years and three-digit fields. */
    parse_bad("31/03/20261");
    parse_bad("20261-03-31");
    parse_bad("031/03/2026");
    parse_bad("31/003/2026");
    /* Trailing or leading garbage. */
    parse_bad("2026-03-31x");
    parse_bad("2026-03-31 x");
    parse_bad("2026-03-31T10:00:00Z");
    parse_bad("31/03/2026.");
    parse_bad("31/03/2026 junk");
    parse_bad("x31/03/2026");
    parse_bad("-2026-03-31");
    parse_bad("+2026-03-31");
    /* Other separators and orders are not accepted. */
    parse_bad("2026/03/31");
    parse_bad("31-03-2026");
    parse_bad("31.03.2026");
    parse_bad("31/03-2026");
    parse_bad("2026-03/31");
    parse_bad("31 March 2026");
    /* Signs and NULL. */
    parse_bad("-1/03/2026");
    rb_day day = 99;
    assert_false(date_parse(NULL, &day));
    assert_false(date_parse_iso(NULL, &day));
    assert_int_equal(day, 99);
}

static void test_parse_iso_only(void **state)
{
    (void)state;
    rb_day day = 0;
    assert_true(date_parse_iso("2026-03-31", &day));
    assert_int_equal(day, 20543);
    assert_true(date_parse_iso(" 2024-02-29 ", &day));
    assert_int_equal(day, 19782);
    day = 42;
    assert_false(date_parse_iso("31/03/2026", &day));
    assert_false(date_parse_iso("2026-02-30", &day));
    assert_false(date_parse_iso("", &day));
    assert_false(date_parse_iso("2026-03-31x", &day));
    assert_false(date_parse_iso("26-03-31", &day));
    assert_int_equal(day, 42);
}

/* ---- formatting ----------------------------------------------------------------- */

static void test_format(void **state)
{
    (void)state;
    char buf[RB_DATE_BUF];
    assert_string_equal(date_format_iso(20543, buf), "2026-03-31");
    assert_string_equal(buf, "2026-03-31");
    assert_string_equal(date_format_uk(20543, buf), "31/03/2026");
    assert_string_equal(date_format_iso(0, buf), "1970-01-01");
    assert_string_equal(date_format_uk(date_from_ymd(2026, 4, 1), buf), "01/04/2026");
    assert_string_equal(date_format_iso(date_from_ymd(2026, 4, 1), buf), "2026-04-01");
    assert_string_equal(date_format_iso(-25567, buf), "1900-01-01");
    assert_string_equal(date_format_uk(-25567, buf), "01/01/1900");
    assert_string_equal(date_format_iso(2932896, buf), "9999-12-31");
    assert_string_equal(date_format_uk(2932896, buf), "31/12/9999");
    assert_string_equal(date_format_uk(19782, buf), "29/02/2024");
    assert_int_equal(strlen("31/12/9999") + 1, RB_DATE_BUF);
}

static void test_format_no_date(void **state)
{
    (void)state;
    char buf[RB_DATE_BUF];
    memset(buf, 'x', sizeof buf);
    assert_string_equal(date_format_iso(RB_NO_DATE, buf), "");
    memset(buf, 'x', sizeof buf);
    assert_string_equal(date_format_uk(RB_NO_DATE, buf), "");
    /* The returned pointer is the caller's buffer. */
    assert_ptr_equal(date_format_iso(RB_NO_DATE, buf), buf);
    assert_ptr_equal(date_format_uk(1, buf), buf);
}

/* Format then parse gives the same day, in both forms, for every day 1900..2100. */
static void test_format_parse_round_trip(void **state)
{
    (void)state;
    char iso[RB_DATE_BUF], uk[RB_DATE_BUF];
    rb_day first = date_from_ymd(1900, 1, 1), last = date_from_ymd(2100, 12, 31);
    for (rb_day day = first; day <= last; day++) {
        rb_day a = RB_NO_DATE, b = RB_NO_DATE, c = RB_NO_DATE;
        date_format_iso(day, iso);
        date_format_uk(day, uk);
        assert_int_equal(strlen(iso), 10);
        assert_int_equal(strlen(uk), 10);
        assert_true(date_parse(iso, &a));
        assert_true(date_parse(uk, &b));
        assert_true(date_parse_iso(iso, &c));
        assert_int_equal(a, day);
        assert_int_equal(b, day);
        assert_int_equal(c, day);
    }
}

/* ---- today ---------------------------------------------------------------------- */

static rb_day clock_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* date_today() read against the clock, tolerating a midnight in between. */
static void assert_is_clock_today(void)
{
    rb_day before = clock_today();
    rb_day got = date_today();
    rb_day after = clock_today();
    assert_true(got == before || got == after);
}

static void test_today_fixed(void **state)
{
    (void)state;
    assert_int_equal(setenv("RAGBOARD_TODAY", "2026-03-31", 1), 0);
    assert_int_equal(date_today(), 20543);
    assert_int_equal(setenv("RAGBOARD_TODAY", "2024-02-29", 1), 0);
    assert_int_equal(date_today(), 19782);
    assert_int_equal(setenv("RAGBOARD_TODAY", "1900-01-01", 1), 0);
    assert_int_equal(date_today(), -25567);
    unsetenv("RAGBOARD_TODAY");
}

static void test_today_invalid_ignored(void **state)
{
    (void)state;
    static const char *const bad[] = {"2026-02-30", "", "abc", "tomorrow", "2026-03-31x",
                                      "31/03/2026", "1899-12-31"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(setenv("RAGBOARD_TODAY", bad[i], 1), 0);
        assert_is_clock_today();
    }
    unsetenv("RAGBOARD_TODAY");
    assert_is_clock_today();
    /* A real clock date is within the supported range and formats sensibly. */
    char buf[RB_DATE_BUF];
    rb_day day = date_today();
    assert_true(day > date_from_ymd(2020, 1, 1));
    assert_int_equal(strlen(date_format_iso(day, buf)), 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_day_numbers),
        cmocka_unit_test(test_day_differences),
        cmocka_unit_test(test_to_ymd_known),
        cmocka_unit_test(test_round_trip_1900_2100),
        cmocka_unit_test(test_round_trip_days),
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_month_lengths),
        cmocka_unit_test(test_valid_ranges),
        cmocka_unit_test(test_parse_iso),
        cmocka_unit_test(test_parse_uk),
        cmocka_unit_test(test_parse_blanks),
        cmocka_unit_test(test_parse_iso_short_fields),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_parse_iso_only),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_no_date),
        cmocka_unit_test(test_format_parse_round_trip),
        cmocka_unit_test(test_today_fixed),
        cmocka_unit_test(test_today_invalid_ignored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

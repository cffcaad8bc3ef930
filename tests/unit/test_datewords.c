/* Unit tests for spreadsheet dates and the status, RAG, percentage and yes/no words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ragboard/datewords.h"
#include "ragboard/util.h"

static void is_day(const char *s, const char *iso)
{
    rb_day d = 0, want;
    char why[RB_ERRLEN] = "";
    enum sheet_date k = date_parse_sheet(s, &d, why);
    if (k != SHEET_DATE_DAY)
        fail_msg("\"%s\" not read as a date (%d): %s", s, (int)k, why);
    assert_true(date_parse_iso(iso, &want));
    char got[RB_DATE_BUF];
    if (d != want)
        fail_msg("\"%s\" read as %s, expected %s", s, date_format_iso(d, got), iso);
}

static void is_none(const char *s)
{
    rb_day d = 12345;
    if (date_parse_sheet(s, &d, NULL) != SHEET_DATE_NONE)
        fail_msg("\"%s\" should mean no date", s ? s : "(null)");
    assert_int_equal(d, 12345); /* untouched */
}

static void is_bad(const char *s, const char *needle)
{
    rb_day d = 12345;
    char why[RB_ERRLEN] = "";
    if (date_parse_sheet(s, &d, why) != SHEET_DATE_BAD)
        fail_msg("\"%s\" should be refused", s);
    assert_int_equal(d, 12345);
    if (!strstr(why, needle))
        fail_msg("\"%s\": expected \"%s\" in: %s", s, needle, why);
}

static void test_numeric(void **state)
{
    (void)state;
    is_day("2026-03-31", "2026-03-31");
    is_day("  2026-3-1 ", "2026-03-01");
    is_day("2026/03/31", "2026-03-31");
    is_day("31/03/2026", "2026-03-31");
    is_day("1/4/2026", "2026-04-01");
    is_day("1/4/26", "2026-04-01");
    is_day("31.03.2026", "2026-03-31");
    is_day("31-03-2026", "2026-03-31");
    is_day("29/02/2028", "2028-02-29");
    /* Excel sometimes writes a time after the date */
    is_day("31/03/2026 00:00", "2026-03-31");
    is_day("2026-03-31 00:00:00", "2026-03-31");
    is_day("2026-03-31T00:00:00Z", "2026-03-31");
    is_bad("31/02/2026", "not a real date");
    is_bad("29/02/2027", "not a real date");
    is_bad("13/31/2026", "month 31 does not exist");
    is_bad("12/31/2026", "day first");
    is_bad("1/4/202", "two or four digits");
    is_bad("31/03/2026 25:00", "is not a date");
    is_bad("2026-03-31x", "is not a date");
    is_bad("20260331", "is not a date");
}

static void test_words(void **state)
{
    (void)state;
    is_day("31 March 2026", "2026-03-31");
    is_day("31st Mar 2026", "2026-03-31");
    is_day("1st April 2026", "2026-04-01");
    is_day("2nd Sept 2025", "2025-09-02");
    is_day("23rd sep 2025", "2025-09-23");
    is_day("4th JUNE 2026", "2026-06-04");
    is_day("31-Mar-26", "2026-03-31");
    is_day("31-Mar-2026", "2026-03-31");
    is_day("Tuesday 31 March 2026", "2026-03-31");
    is_day("Tue, 31 Mar 2026", "2026-03-31");
    is_day("March 31, 2026", "2026-03-31");
    is_day("by 30 June 2026", "2026-06-30");
    is_bad("Monday 31 March 2026", "that day is a Tuesday, not a Monday");
    is_bad("31 April 2026", "not a real date");
    is_bad("31 March", "no year");
    is_bad("March 31st", "no year");
    is_bad("31 Marchember 2026", "is not a date");
}

static void test_months_and_quarters(void **state)
{
    (void)state;
    is_day("March 2026", "2026-03-31");
    is_day("Mar 2026", "2026-03-31");
    is_day("Mar-26", "2026-03-31");
    is_day("feb 2028", "2028-02-29");
    is_day("Feb-27", "2027-02-28");
    is_day("September 2025", "2025-09-30");
    is_day("end of March 2026", "2026-03-31");
    is_day("End March 2026", "2026-03-31");
    /* UK financial year: April to March */
    is_day("Q1 2025/26", "2025-06-30");
    is_day("Q2 2025/26", "2025-09-30");
    is_day("Q3 2025/26", "2025-12-31");
    is_day("Q4 2025/26", "2026-03-31");
    is_day("q3 2025-26", "2025-12-31");
    is_day("Q3 25/26", "2025-12-31");
    is_day("Q3 2025/2026", "2025-12-31");
    is_day("Q3 FY25/26", "2025-12-31");
    is_day("Q4 FY 2099/00", "2100-03-31");
    is_day("Quarter 2 2026/27", "2026-09-30");
    is_day("2025/26 Q4", "2026-03-31");
    is_bad("Q3 2025", "which financial year");
    is_bad("Q3", "which financial year");
    is_bad("Q5 2025/26", "no quarter 5");
    is_bad("Q3 2025/27", "April of one year");
    is_bad("end of 31 March 2026", "is not a date");
}

static void test_no_date(void **state)
{
    (void)state;
    is_none(NULL);
    is_none("");
    is_none("   ");
    is_none("Ongoing");
    is_none("ONGOING");
    is_none("TBC");
    is_none("tba");
    is_none("Quarterly");
    is_none("Monthly");
    is_none("Annually");
    is_none("N/A");
    is_bad("Soon", "is not a date");
    is_bad("ASAP", "is not a date");
    is_bad("Sometime in 2026", "is not a date");
    is_bad("46112", "is not a date"); /* an Excel serial number */
    char why[RB_ERRLEN];
    rb_day d;
    char long_text[200];
    memset(long_text, 'x', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    assert_int_equal(date_parse_sheet(long_text, &d, why), SHEET_DATE_BAD);
    assert_true(strlen(why) < RB_ERRLEN);
}

static void status_is(const char *s, int state, int rag)
{
    struct status_word w;
    if (!status_word_parse(s, &w))
        fail_msg("\"%s\" not read", s);
    assert_int_equal(w.has_state, state >= 0);
    if (state >= 0)
        assert_int_equal(w.state, state);
    assert_int_equal(w.has_rag, rag >= 0);
    if (rag >= 0)
        assert_int_equal(w.rag, rag);
}

static void test_status_words(void **state)
{
    (void)state;
    status_is("Red", -1, RAG_RED);
    status_is("r", -1, RAG_RED);
    status_is("Off track", -1, RAG_RED);
    status_is("AMBER", -1, RAG_AMBER);
    status_is("At risk", -1, RAG_AMBER);
    status_is("A", -1, RAG_AMBER);
    status_is("Green", -1, RAG_GREEN);
    status_is("On-track", -1, RAG_GREEN);
    status_is("G", -1, RAG_GREEN);
    status_is("Blue", STATE_COMPLETE, -1);
    status_is("B", STATE_COMPLETE, -1);
    status_is("C", STATE_COMPLETE, -1);
    status_is("Complete", STATE_COMPLETE, -1);
    status_is("Completed", STATE_COMPLETE, -1);
    status_is("Done", STATE_COMPLETE, -1);
    status_is("Not started", STATE_NOT_STARTED, -1);
    status_is("not_started", STATE_NOT_STARTED, -1);
    status_is("In progress", STATE_IN_PROGRESS, -1);
    status_is("in_progress", STATE_IN_PROGRESS, -1);
    status_is("Cancelled", STATE_CANCELLED, -1);
    status_is("Green - on track", -1, RAG_GREEN);
    status_is("Amber (at risk)", -1, RAG_AMBER);
    status_is("Complete (Blue)", STATE_COMPLETE, -1);
    status_is("In progress / Amber", STATE_IN_PROGRESS, RAG_AMBER);
    struct status_word w;
    assert_false(status_word_parse("Purple", &w));
    assert_false(status_word_parse("", &w));
    assert_false(status_word_parse(NULL, &w));
    assert_false(status_word_parse("Red/Green", &w));
    assert_false(status_word_parse("Complete - In progress", &w));
    assert_false(status_word_parse("Green - pending", &w));
}

static void test_progress_and_yesno(void **state)
{
    (void)state;
    int p = -1;
    assert_true(progress_parse("40", &p));
    assert_int_equal(p, 40);
    assert_true(progress_parse(" 40 % ", &p));
    assert_int_equal(p, 40);
    assert_true(progress_parse("0.4", &p));
    assert_int_equal(p, 40);
    assert_true(progress_parse("0,25", &p));
    assert_int_equal(p, 25);
    assert_true(progress_parse("12.5%", &p));
    assert_int_equal(p, 13);
    assert_true(progress_parse("100%", &p));
    assert_int_equal(p, 100);
    assert_true(progress_parse("0", &p));
    assert_int_equal(p, 0);
    assert_false(progress_parse("101", &p));
    assert_false(progress_parse("150%", &p));
    assert_false(progress_parse("-5", &p));
    assert_false(progress_parse("forty", &p));
    assert_false(progress_parse("40% done", &p));
    assert_false(progress_parse("", &p));
    assert_false(progress_parse("%", &p));

    bool b = false;
    assert_true(yesno_parse("Yes", &b));
    assert_true(b);
    assert_true(yesno_parse(" x ", &b));
    assert_true(b);
    assert_true(yesno_parse("no", &b));
    assert_false(b);
    assert_true(yesno_parse("FALSE", &b));
    assert_false(b);
    assert_true(yesno_parse("0", &b));
    assert_false(b);
    assert_false(yesno_parse("maybe", &b));
    assert_false(yesno_parse(NULL, &b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numeric),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_months_and_quarters),
        cmocka_unit_test(test_no_date),
        cmocka_unit_test(test_status_words),
        cmocka_unit_test(test_progress_and_yesno),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

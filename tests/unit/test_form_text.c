/* Unit tests for form values: editing keys, scrolling and wrapping by display cells, and
 * the checks shown as you type (dates, percentages, agency lists). */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tui/form_text.h"

static void assert_text(const struct form_text *t, const char *want)
{
    char *got = form_text_get(t);
    assert_string_equal(got, want);
    free(got);
}

/* ---- editing ---- */

static void test_insert_and_delete(void **state)
{
    (void)state;
    struct form_text t = {0};
    form_text_set(&t, "PV-31");
    assert_int_equal(t.cur, 5);
    form_text_left(&t);
    assert_true(form_text_insert(&t, L'.'));
    assert_text(&t, "PV-3.1");
    assert_int_equal(t.cur, 5);
    assert_true(form_text_backspace(&t));
    assert_text(&t, "PV-31");
    form_text_home(&t);
    assert_false(form_text_backspace(&t));
    assert_true(form_text_delete(&t));
    assert_text(&t, "V-31");
    form_text_end(&t);
    assert_false(form_text_delete(&t));
    assert_false(form_text_right(&t));
    assert_true(form_text_clear(&t));
    assert_text(&t, "");
    assert_false(form_text_clear(&t));
    form_text_free(&t);
}

static void test_delete_word(void **state)
{
    (void)state;
    struct form_text t = {0};
    form_text_set(&t, "brief the  panel  ");
    assert_true(form_text_delete_word(&t));
    assert_text(&t, "brief the  ");
    assert_true(form_text_delete_word(&t));
    assert_text(&t, "brief ");
    /* In the middle: only the word before the cursor goes. */
    form_text_set(&t, "one two three");
    t.cur = 7;
    assert_true(form_text_delete_word(&t));
    assert_text(&t, "one  three");
    assert_int_equal(t.cur, 4);
    form_text_home(&t);
    assert_false(form_text_delete_word(&t));
    form_text_free(&t);
}

static void test_utf8_round_trip(void **state)
{
    (void)state;
    struct form_text t = {0};
    form_text_set(&t, "Café Zoë – 日本");
    assert_int_equal(t.len, 13);
    form_text_backspace(&t);
    assert_text(&t, "Café Zoë – 日");
    assert_int_equal(form_text_cells(t.buf, t.len), 13);
    form_text_free(&t);
}

/* ---- scrolling and wrapping ---- */

static void test_hscroll_keeps_cursor_visible(void **state)
{
    (void)state;
    struct form_text t = {0};
    form_text_set(&t, "abcdefghijklmnopqrstuvwxyz");
    size_t first = form_text_hscroll(&t, 0, 10);
    /* Nine characters before the cursor plus the cursor's cell fill ten cells. */
    assert_int_equal(first, 17);
    form_text_home(&t);
    assert_int_equal(form_text_hscroll(&t, first, 10), 0);
    /* After deleting, it scrolls back to show as much as fits. */
    form_text_set(&t, "abcdef");
    assert_int_equal(form_text_hscroll(&t, 4, 10), 0);
    /* Wide characters count two cells. */
    form_text_set(&t, "日本日本日本");
    assert_int_equal(form_text_hscroll(&t, 0, 6), 4);
    form_text_free(&t);
}

static size_t wrap(const char *s, int width, size_t *starts, size_t max)
{
    struct form_text t = {0};
    form_text_set(&t, s);
    size_t n = form_text_wrap(&t, width, starts, max);
    form_text_free(&t);
    return n;
}

static void test_wrap_at_blanks(void **state)
{
    (void)state;
    size_t starts[8];
    assert_int_equal(wrap("", 10, starts, 8), 1);
    assert_int_equal(starts[0], 0);
    assert_int_equal(wrap("short", 10, starts, 8), 1);
    /* Width 11 leaves 10 cells of text per line. */
    assert_int_equal(wrap("brief the panel on risk", 11, starts, 8), 3);
    assert_int_equal(starts[1], 10); /* "brief the " | "panel on " | "risk" */
    assert_int_equal(starts[2], 19);
    /* A word longer than the line is cut. */
    assert_int_equal(wrap("abcdefghijklmno", 6, starts, 8), 3);
    assert_int_equal(starts[1], 5);
    assert_int_equal(starts[2], 10);
    /* A newline ends a line; a final newline opens an empty one for the cursor. */
    assert_int_equal(wrap("ab\ncd\n", 10, starts, 8), 3);
    assert_int_equal(starts[1], 3);
    assert_int_equal(starts[2], 6);
    assert_int_equal(form_text_line_of(starts, 3, 0), 0);
    assert_int_equal(form_text_line_of(starts, 3, 4), 1);
    assert_int_equal(form_text_line_of(starts, 3, 6), 2);
}

/* ---- checks ---- */

static void test_check_date(void **state)
{
    (void)state;
    rb_day d;
    assert_null(form_check_date("31/03/2026", true, &d));
    assert_int_equal(d, date_from_ymd(2026, 3, 31));
    assert_null(form_check_date(" 2026-03-31 ", true, &d));
    assert_int_equal(d, date_from_ymd(2026, 3, 31));
    assert_null(form_check_date("", false, &d));
    assert_int_equal(d, RB_NO_DATE);
    assert_string_equal(form_check_date("  ", true, &d), "required");
    assert_string_equal(form_check_date("31/0", false, &d), "not a date: use dd/mm/yyyy");
    assert_string_equal(form_check_date("31/02/2026", false, &d), "not a date: use dd/mm/yyyy");
    assert_string_equal(form_check_date("March 2026", false, &d), "not a date: use dd/mm/yyyy");
}

static void test_check_percent(void **state)
{
    (void)state;
    int p;
    assert_null(form_check_percent("0", true, &p));
    assert_int_equal(p, 0);
    assert_null(form_check_percent(" 100% ", true, &p));
    assert_int_equal(p, 100);
    assert_null(form_check_percent("", false, &p));
    assert_int_equal(p, -1);
    assert_string_equal(form_check_percent("", true, &p), "required");
    assert_string_equal(form_check_percent("101", false, &p), "0 to 100");
    assert_string_equal(form_check_percent("-1", false, &p), "0 to 100");
    assert_string_equal(form_check_percent("4o", false, &p), "0 to 100");
    assert_int_equal(p, -1);
}

static void test_check_agencies(void **state)
{
    (void)state;
    struct agency v[] = {{"SC", "Shropshire Council", true},
                         {"WMP", "West Mercia Police", true},
                         {"NHS", "NHS", true}};
    char msg[64] = "";
    char *codes = NULL;
    assert_true(form_check_agencies("wmp, sc;NHS  sc", v, 3, &codes, msg, sizeof msg));
    assert_string_equal(codes, "WMP, SC, NHS");
    free(codes);
    assert_true(form_check_agencies("  ", v, 3, &codes, msg, sizeof msg));
    assert_string_equal(codes, "");
    free(codes);
    assert_false(form_check_agencies("SC, WM", v, 3, NULL, msg, sizeof msg));
    assert_string_equal(msg, "unknown agency WM");
    assert_false(form_check_agencies("SC", v, 0, NULL, msg, sizeof msg));
}

int main(void)
{
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_and_delete),
        cmocka_unit_test(test_delete_word),
        cmocka_unit_test(test_utf8_round_trip),
        cmocka_unit_test(test_hscroll_keeps_cursor_visible),
        cmocka_unit_test(test_wrap_at_blanks),
        cmocka_unit_test(test_check_date),
        cmocka_unit_test(test_check_percent),
        cmocka_unit_test(test_check_agencies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for the small helpers every module uses: UTF-8 decoding, strict integers,
 * case-insensitive comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ragboard/util.h"

/* Decode the bytes of s (n of them) and check length and code point. */
static void expect_char(const char *s, size_t n, size_t len, uint32_t want)
{
    uint32_t cp = 0xdeadbeef;
    assert_int_equal(utf8_decode((const unsigned char *)s, n, &cp), len);
    assert_int_equal(cp, want);
}

static void expect_bad(const char *s, size_t n)
{
    uint32_t cp = 0xdeadbeef;
    assert_int_equal(utf8_decode((const unsigned char *)s, n, &cp), 0);
    assert_int_equal(cp, 0xdeadbeef); /* untouched */
}

static void test_utf8_valid(void **state)
{
    (void)state;
    expect_char("A", 1, 1, 'A');
    expect_char("\x7f", 1, 1, 0x7f);
    expect_char("\xc2\x80", 2, 2, 0x80);
    expect_char("\xc3\xa9t\xc3\xa9", 5, 2, 0xe9);          /* é, rest ignored */
    expect_char("\xdf\xbf", 2, 2, 0x7ff);
    expect_char("\xe0\xa0\x80", 3, 3, 0x800);
    expect_char("\xe2\x82\xac", 3, 3, 0x20ac);             /* € */
    expect_char("\xed\x9f\xbf", 3, 3, 0xd7ff);             /* last before surrogates */
    expect_char("\xee\x80\x80", 3, 3, 0xe000);             /* first after them */
    expect_char("\xef\xbf\xbf", 3, 3, 0xffff);
    expect_char("\xf0\x90\x80\x80", 4, 4, 0x10000);
    expect_char("\xf0\x9f\x98\x80", 4, 4, 0x1f600);        /* an emoji */
    expect_char("\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff);
}

static void test_utf8_invalid(void **state)
{
    (void)state;
    expect_bad("\x80", 1);                 /* a continuation byte alone */
    expect_bad("\xbf", 1);
    expect_bad("\xc0\x80", 2);             /* overlong NUL */
    expect_bad("\xc1\xbf", 2);             /* overlong 0x7f */
    expect_bad("\xe0\x80\x80", 3);         /* overlong */
    expect_bad("\xe0\x9f\xbf", 3);         /* overlong 0x7ff */
    expect_bad("\xf0\x80\x80\x80", 4);     /* overlong */
    expect_bad("\xf0\x8f\xbf\xbf", 4);     /* overlong 0xffff */
    expect_bad("\xed\xa0\x80", 3);         /* surrogate */
    expect_bad("\xed\xbf\xbf", 3);
    expect_bad("\xf4\x90\x80\x80", 4);     /* above U+10FFFF */
    expect_bad("\xf5\x80\x80\x80", 4);
    expect_bad("\xff", 1);
    expect_bad("\xc3", 1);                 /* cut short by the end */
    expect_bad("\xe2\x82", 2);
    expect_bad("\xe2\x82\xac", 2);         /* n says the third byte is not there */
    expect_bad("\xf0\x9f\x98", 3);
    expect_bad("\xc3(", 2);                /* a continuation that is not one */
    expect_bad("\xe2\x28\xa1", 3);
    expect_bad("\xf0\x9f\x28\x80", 4);
}

/* Every two- and three-byte sequence: valid exactly when it encodes, in the shortest
 * form, a code point that is not a surrogate; and then it decodes to that code point. */
static void test_utf8_every_short_sequence(void **state)
{
    (void)state;
    for (uint32_t v = 0; v < 0x1000000; v++) {
        unsigned char b[3] = {(unsigned char)(v >> 16), (unsigned char)(v >> 8),
                              (unsigned char)v};
        uint32_t cp;
        size_t len = utf8_decode(b, 3, &cp);
        bool lead2 = b[0] >= 0xc0 && b[0] < 0xe0, lead3 = b[0] >= 0xe0 && b[0] < 0xf0;
        bool c1 = (b[1] & 0xc0) == 0x80, c2 = (b[2] & 0xc0) == 0x80;
        uint32_t want2 = (uint32_t)(b[0] & 0x1f) << 6 | (b[1] & 0x3f);
        uint32_t want3 = (uint32_t)(b[0] & 0x0f) << 12 | (uint32_t)(b[1] & 0x3f) << 6 |
                         (b[2] & 0x3f);
        if (b[0] < 0x80) {
            assert_int_equal(len, 1);
            assert_int_equal(cp, b[0]);
        } else if (lead2 && c1 && want2 >= 0x80) {
            assert_int_equal(len, 2);
            assert_int_equal(cp, want2);
        } else if (lead3 && c1 && c2 && want3 >= 0x800 && (want3 < 0xd800 || want3 > 0xdfff)) {
            assert_int_equal(len, 3);
            assert_int_equal(cp, want3);
        } else if (b[0] < 0xf0) {
            if (len != 0)
                fail_msg("%02x %02x %02x decoded as %zu bytes", b[0], b[1], b[2], len);
        }
    }
}

static void test_parse_int_strict(void **state)
{
    (void)state;
    long v = -1;
    assert_true(parse_int_strict("010", 0, 100, &v));
    assert_int_equal(v, 10);
    assert_true(parse_int_strict(" 42 ", 0, 100, &v));
    assert_int_equal(v, 42);
    assert_true(parse_int_strict("-5", -10, 10, &v));
    assert_int_equal(v, -5);
    assert_false(parse_int_strict("", 0, 100, &v));
    assert_false(parse_int_strict("1x", 0, 100, &v));
    assert_false(parse_int_strict("abc", 0, 100, &v));
    assert_false(parse_int_strict("101", 0, 100, &v));
    assert_false(parse_int_strict("99999999999999999999999", 0, 100, &v));
    assert_false(parse_int_strict(NULL, 0, 100, &v));
    assert_int_equal(v, -5); /* untouched by a failure */
}

static void test_str_ieq(void **state)
{
    (void)state;
    assert_true(str_ieq("Prevent", "PREVENT"));
    assert_true(str_ieq("", ""));
    assert_false(str_ieq("Prevent", "Preven"));
    assert_false(str_ieq("Pursue", "Protect"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_invalid),
        cmocka_unit_test(test_utf8_every_short_sequence),
        cmocka_unit_test(test_parse_int_strict),
        cmocka_unit_test(test_str_ieq),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

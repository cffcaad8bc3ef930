/* A -Drestricted=true build: restricted mode is on from the start, and stays on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ragboard/restrict.h"

static void test_on_from_the_start(void **state)
{
    (void)state;
    assert_true(restrict_forced());
    assert_true(restrict_on());
    restrict_enable(); /* the only switch there is */
    assert_true(restrict_on());
    assert_int_equal(restrict_check_output("/tmp/outside.md", NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_on_from_the_start)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

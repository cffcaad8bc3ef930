/* libFuzzer harness for the spreadsheet date and word parsers: any text is read or
 * refused with a reason, a date read is a real one, and reading it back gives the same
 * day. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/datewords.h"
#include "ragboard/util.h"

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "broken invariant: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    rb_day d = RB_NO_DATE;
    char why[RB_ERRLEN];
    memset(why, 'x', sizeof why);
    enum sheet_date k = date_parse_sheet(s, &d, why);
    if (k == SHEET_DATE_DAY) {
        int y, m, dd;
        date_to_ymd(d, &y, &m, &dd);
        check(date_valid(y, m, dd), "a real date");
        char iso[RB_DATE_BUF], uk[RB_DATE_BUF];
        rb_day again = RB_NO_DATE;
        check(date_parse_sheet(date_format_iso(d, iso), &again, NULL) == SHEET_DATE_DAY &&
                  again == d,
              "ISO round trip");
        check(date_parse_sheet(date_format_uk(d, uk), &again, NULL) == SHEET_DATE_DAY &&
                  again == d,
              "UK round trip");
    } else if (k == SHEET_DATE_BAD) {
        check(memchr(why, '\0', sizeof why) != NULL && why[0] != '\0', "a reason");
    } else {
        check(k == SHEET_DATE_NONE, "a known answer");
    }
    struct status_word w;
    if (status_word_parse(s, &w)) {
        check(w.has_state || w.has_rag, "a word means something");
        check(!w.has_rag || w.rag == RAG_RED || w.rag == RAG_AMBER || w.rag == RAG_GREEN,
              "a rating");
        check(!w.has_state || (unsigned)w.state < STATE_COUNT, "a state");
    }
    int pct = -1;
    if (progress_parse(s, &pct))
        check(pct >= 0 && pct <= 100, "percentage in range");
    bool yes;
    yesno_parse(s, &yes);
    free(s);
    return 0;
}

/* libFuzzer harness for the CSV reader: any bytes must be read or refused without a
 * crash, leak or undefined behaviour, and what is read must be sound: UTF-8 text, places
 * inside the file, rows in order. Each cell is also given to the cell parsers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/csv.h"
#include "ragboard/datewords.h"

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "broken invariant: %s\n", what);
        abort();
    }
}

/* Strict UTF-8 check, independent of the reader's own. */
static int valid_utf8(const unsigned char *s)
{
    while (*s) {
        unsigned c = *s;
        size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                                 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (n == 0)
            return 0;
        for (size_t i = 1; i < n; i++)
            if ((s[i] & 0xC0) != 0x80)
                return 0;
        s += n;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct csv_doc doc;
    struct csv_issues is = {0};
    int rc = csv_read((const char *)data, size, &doc, &is);
    check(rc == 0 || (rc == -1 && doc.n_rows == 0 && is.n > 0), "refusal explained");
    int last_line = 0;
    for (size_t r = 0; r < doc.n_rows; r++) {
        const struct csv_row *row = &doc.rows[r];
        check(row->n >= 1, "a record has a cell");
        check(row->line > last_line && row->end_line >= row->line, "records in order");
        last_line = row->end_line;
        for (size_t c = 0; c < row->n; c++) {
            const struct csv_cell *cell = &row->cells[c];
            check(cell->line >= row->line && cell->line <= row->end_line, "cell line");
            check(cell->col >= 1, "cell column");
            check(valid_utf8((const unsigned char *)cell->text), "cell is UTF-8");
            rb_day d;
            char why[RB_ERRLEN];
            struct status_word w;
            int pct;
            bool yes;
            date_parse_sheet(cell->text, &d, why);
            status_word_parse(cell->text, &w);
            if (progress_parse(cell->text, &pct))
                check(pct >= 0 && pct <= 100, "percentage in range");
            yesno_parse(cell->text, &yes);
        }
        (void)csv_row_blank(row);
    }
    check(doc.n_rows == 0 || doc.delimiter == ',' || doc.delimiter == ';' ||
              doc.delimiter == '\t' || doc.sep_line,
          "delimiter");
    csv_issues_sort(&is);
    for (size_t i = 0; i < is.n; i++) {
        check(is.v[i].line >= 0 && is.v[i].col >= 0, "issue place");
        check(i == 0 || is.v[i - 1].line <= is.v[i].line, "issues sorted");
        free(csv_issue_format("fuzz.csv", &is.v[i]));
    }
    csv_issues_free(&is);
    csv_free(&doc);
    return 0;
}

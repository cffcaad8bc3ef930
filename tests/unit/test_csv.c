/* Unit tests for the CSV reader: quoting, line breaks, encodings, delimiters, and the
 * line and column where each cell starts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ragboard/csv.h"

/* Read text (len bytes, NULs allowed) and expect it to be accepted. */
static void read_ok(const char *text, size_t len, struct csv_doc *doc, struct csv_issues *is)
{
    memset(is, 0, sizeof *is);
    if (csv_read(text, len, doc, is) != 0)
        fail_msg("refused: %s", is->n ? is->v[0].msg : "(no message)");
}

static void read_refused(const char *text, size_t len, const char *needle, int line, int col)
{
    struct csv_doc doc;
    struct csv_issues is = {0};
    assert_int_equal(csv_read(text, len, &doc, &is), -1);
    assert_int_equal(doc.n_rows, 0);
    assert_int_equal(is.n, 1);
    assert_int_equal(is.v[0].level, DIAG_ERROR);
    if (!strstr(is.v[0].msg, needle))
        fail_msg("expected \"%s\" in: %s", needle, is.v[0].msg);
    assert_int_equal(is.v[0].line, line);
    assert_int_equal(is.v[0].col, col);
    csv_issues_free(&is);
    csv_free(&doc);
}

static void expect_cell(const struct csv_doc *doc, size_t r, size_t c, const char *text,
                        int line, int col)
{
    assert_true(r < doc->n_rows);
    assert_true(c < doc->rows[r].n);
    assert_string_equal(doc->rows[r].cells[c].text, text);
    assert_int_equal(doc->rows[r].cells[c].line, line);
    assert_int_equal(doc->rows[r].cells[c].col, col);
}

#define READ(lit, doc, is) read_ok(lit, sizeof lit - 1, doc, is)
#define REFUSED(lit, needle, line, col) read_refused(lit, sizeof lit - 1, needle, line, col)

static void test_plain_lf_and_crlf(void **state)
{
    (void)state;
    struct csv_doc doc;
    struct csv_issues is;
    READ("Ref,Action\nPV-1.1,Train staff\nPV-1.2,Brief partners\n", &doc, &is);
    assert_int_equal(doc.n_rows, 3);
    assert_int_equal(doc.delimiter, ',');
    assert_int_equal(doc.encoding, CSV_UTF8);
    expect_cell(&doc, 1, 0, "PV-1.1", 2, 1);
    expect_cell(&doc, 2, 1, "Brief partners", 3, 8);
    assert_int_equal(is.n, 0);
    csv_free(&doc);

    READ("a,b\r\nc,d\r\ne,f", &doc, &is);
    assert_int_equal(doc.n_rows, 3);
    expect_cell(&doc, 2, 1, "f", 3, 3);
    csv_free(&doc);

    /* old Mac line ends */
    READ("a,b\rc,d\r", &doc, &is);
    assert_int_equal(doc.n_rows, 2);
    expect_cell(&doc, 1, 0, "c", 2, 1);
    csv_free(&doc);
}

static void test_quoting(void **state)
{
    (void)state;
    struct csv_doc doc;
    struct csv_issues is;
    READ("Action,Notes\n"
         "\"Train staff, volunteers\",\"He said \"\"yes\"\"\"\n"
         "\"Two\r\nlines\",\"\"\n"
         "x,\"a\nb\nc\",after\n",
         &doc, &is);
    assert_int_equal(is.n, 0);
    assert_int_equal(doc.n_rows, 4);
    expect_cell(&doc, 1, 0, "Train staff, volunteers", 2, 1);
    expect_cell(&doc, 1, 1, "He said \"yes\"", 2, 27);
    /* a line break inside quotes becomes \n whatever the file used */
    expect_cell(&doc, 2, 0, "Two\nlines", 3, 1);
    expect_cell(&doc, 2, 1, "", 4, 8);
    assert_int_equal(doc.rows[2].line, 3);
    assert_int_equal(doc.rows[2].end_line, 4);
    /* cells after a multi-line cell are placed on the physical line they start on */
    expect_cell(&doc, 3, 1, "a\nb\nc", 5, 3);
    expect_cell(&doc, 3, 2, "after", 7, 4);
    assert_int_equal(doc.rows[3].line, 5);
    assert_int_equal(doc.rows[3].end_line, 7);
    csv_free(&doc);

    /* a quote inside an unquoted cell is kept as it is, as Excel does */
    READ("Action,Size\nBuy a 5\" screen,1\n", &doc, &is);
    assert_int_equal(is.n, 0);
    expect_cell(&doc, 1, 0, "Buy a 5\" screen", 2, 1);
    csv_free(&doc);
}

static void test_quote_errors(void **state)
{
    (void)state;
    struct csv_doc doc;
    struct csv_issues is;
    READ("a,b\n\"ok\"x,y\n", &doc, &is);
    assert_int_equal(is.n, 1);
    assert_int_equal(is.v[0].line, 2);
    assert_int_equal(is.v[0].col, 5);
    assert_non_null(strstr(is.v[0].msg, "written twice"));
    expect_cell(&doc, 1, 0, "okx", 2, 1);
    expect_cell(&doc, 1, 1, "y", 2, 7);
    csv_issues_free(&is);
    csv_free(&doc);

    READ("a,b\nc,\"never closed\nd,e\n", &doc, &is);
    assert_int_equal(is.n, 1);
    assert_int_equal(is.v[0].line, 2);
    assert_int_equal(is.v[0].col, 3);
    assert_non_null(strstr(is.v[0].msg, "never closed"));
    assert_int_equal(doc.n_rows, 2);
    expect_cell(&doc, 1, 1, "never closed\nd,e\n", 2, 3);
    csv_issues_free(&is);
    csv_free(&doc);
}

static void test_trailing_empties(void **state)
{
    (void)state;
    struct csv_doc doc;
    struct csv_issues is;
    READ("Ref,Action,,\nPV-1,Do it,,\n,,,\n,,,\n\n", &doc, &is);
    assert_int_equal(doc.n_rows, 5);
    assert_int_equal(doc.rows[0].n, 4);
    expect_cell(&doc, 1, 3, "", 2, 13);
    assert_false(csv_row_blank(&doc.rows[1]));
    assert_true(csv_row_blank(&doc.rows[2]));
    assert_true(csv_row_blank(&doc.rows[3]));
    assert_true(csv_row_blank(&doc.rows[4]));
    assert_int_equal(doc.rows[4].n, 1);
    csv_free(&doc);
}

static void test_delimiters(void **state)
{
    (void)state;
    struct csv_doc doc;
    struct csv_issues is;
    /* semicolons, with commas in the prose of unquoted cells */
    READ("Ref;Action;Lead\n"
         "1.1;Train staff, volunteers, and governors;SC\n"
         "1.2;Brief partners;WMP\n"
         "1.3;Meet, agree, sign;SC\n",
         &doc, &is);
    assert_int_equal(doc.delimiter, ';');
    assert_int_equal(doc.rows[1].n, 3);
    expect_cell(&doc, 1, 1, "Train staff, volunteers, and governors", 2, 5);
    csv_free(&doc);

    READ("Ref\tAction\n1.1\tTrain, brief\n", &doc, &is);
    assert_int_equal(doc.delimiter, '\t');
    expect_cell(&doc, 1, 1, "Train, brief", 2, 5);
    csv_free(&doc);

    /* a quoted semicolon does not count */
    READ("a,b,c\n\"x;y;z\",2,3\n", &doc, &is);
    assert_int_equal(doc.delimiter, ',');
    csv_free(&doc);

    /* Excel's sep= line names the delimiter and is not a record */
    READ("sep=;\r\nRef;Action,with comma\r\n1;x\r\n", &doc, &is);
    assert_true(doc.sep_line);
    assert_int_equal(doc.delimiter, ';');
    assert_int_equal(doc.n_rows, 2);
    expect_cell(&doc, 0, 1, "Action,with comma", 2, 5);
    csv_free(&doc);

    /* one column: comma */
    READ("Action\nTrain staff\n", &doc, &is);
    assert_int_equal(doc.delimiter, ',');
    assert_int_equal(doc.rows[1].n, 1);
    csv_free(&doc);
}

static void test_bom_and_utf8(void **state)
{
    (void)state;
    struct csv_doc doc;
    struct csv_issues is;
    READ("\xEF\xBB\xBFRef,Action\n1,Caf\xC3\xA9 \xE2\x80\x93 outreach,x\n", &doc, &is);
    assert_int_equal(doc.encoding, CSV_UTF8_BOM);
    /* the byte-order mark is not part of the first heading, nor counted as a column */
    expect_cell(&doc, 0, 0, "Ref", 1, 1);
    /* columns count characters, not bytes */
    expect_cell(&doc, 1, 2, "x", 2, 19);
    csv_free(&doc);
    assert_string_equal(csv_encoding_name(CSV_UTF8_BOM), "UTF-8 with byte-order mark");
}

static void test_windows_1252(void **state)
{
    (void)state;
    struct csv_doc doc;
    struct csv_issues is;
    READ("Action;Lead\r\nCaf\xE9 \x96 the venue\x92s hall \x80" "5;SC\r\n", &doc, &is);
    assert_int_equal(doc.encoding, CSV_CP1252);
    assert_int_equal(doc.delimiter, ';');
    expect_cell(&doc, 1, 0, "Caf\xC3\xA9 \xE2\x80\x93 the venue\xE2\x80\x99s hall \xE2\x82\xAC" "5",
                2, 1);
    expect_cell(&doc, 1, 1, "SC", 2, 28);
    assert_string_equal(csv_encoding_name(CSV_CP1252), "Windows-1252");
    csv_free(&doc);
}

static void test_refused(void **state)
{
    (void)state;
    REFUSED("", "empty", 0, 0);
    REFUSED("PK\x03\x04rest of a zip", "Excel workbook", 0, 0);
    REFUSED("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1....", "Excel workbook", 0, 0);
    REFUSED("\xFF\xFE" "a\0,\0", "UTF-16", 0, 0);
    REFUSED("a,b\nc,\0d\n", "NUL", 2, 3);
    /* a byte Windows-1252 does not define */
    REFUSED("a,b\nc,\x81\n", "0x81", 2, 3);
    /* UTF-8 on one line, Windows-1252 on the next */
    REFUSED("a,b\nCaf\xC3\xA9,x\nhall \x96 room,y\n", "mix two encodings", 3, 6);
    /* a byte-order mark promises UTF-8 */
    REFUSED("\xEF\xBB\xBF" "a,b\nCaf\xE9,x\n", "byte-order mark", 2, 4);
    /* an overlong form is not UTF-8; with no real UTF-8 elsewhere, the bytes are read as
     * Windows-1252 */
    struct csv_doc doc;
    struct csv_issues is;
    READ("a\n\xC0\xAF\n", &doc, &is);
    assert_int_equal(doc.encoding, CSV_CP1252);
    csv_free(&doc);
}

static void test_issues(void **state)
{
    (void)state;
    struct csv_issues is = {0};
    csv_issue_add(&is, DIAG_ERROR, 7, 3, "late");
    csv_issue_add(&is, DIAG_WARNING, 2, 9, "early %d", 1);
    csv_issue_add(&is, DIAG_ERROR, 7, 1, "same line, first");
    csv_issue_add(&is, DIAG_ERROR, 0, 0, "whole file");
    csv_issue_add(&is, DIAG_ERROR, 7, 3, "late again");
    assert_int_equal(csv_issues_errors(&is), 4);
    csv_issues_sort(&is);
    assert_string_equal(is.v[0].msg, "whole file");
    assert_string_equal(is.v[1].msg, "early 1");
    assert_string_equal(is.v[2].msg, "same line, first");
    assert_string_equal(is.v[3].msg, "late");
    assert_string_equal(is.v[4].msg, "late again");
    char *s = csv_issue_format("plan.csv", &is.v[3]);
    assert_string_equal(s, "plan.csv:7:3: error: late");
    free(s);
    s = csv_issue_format("plan.csv", &is.v[1]);
    assert_string_equal(s, "plan.csv:2:9: warning: early 1");
    free(s);
    s = csv_issue_format("plan.csv", &is.v[0]);
    assert_string_equal(s, "plan.csv: error: whole file");
    free(s);
    csv_issues_free(&is);

    char buf[8];
    assert_string_equal(csv_column_name(0, buf), "A");
    assert_string_equal(csv_column_name(25, buf), "Z");
    assert_string_equal(csv_column_name(26, buf), "AA");
    assert_string_equal(csv_column_name(51, buf), "AZ");
    assert_string_equal(csv_column_name(52, buf), "BA");
    assert_string_equal(csv_column_name(701, buf), "ZZ");
    assert_string_equal(csv_column_name(702, buf), "AAA");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_lf_and_crlf),
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_quote_errors),
        cmocka_unit_test(test_trailing_empties),
        cmocka_unit_test(test_delimiters),
        cmocka_unit_test(test_bom_and_utf8),
        cmocka_unit_test(test_windows_1252),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_issues),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Helpers shared by the reports: long UK dates, cleaned and escaped text, a small writer
 * for Markdown and plain-text documents (headings, paragraphs, lists, tables), CSV cells,
 * and the snapshot a meeting kept when it closed. */
#ifndef RAGBOARD_REPORT_UTIL_H
#define RAGBOARD_REPORT_UTIL_H

#include <stdbool.h>
#include <stdio.h>

#include "ragboard/meeting.h"
#include "ragboard/report.h"
#include "ragboard/util.h"

/* Plain text is wrapped to this many columns. */
#define REPORT_WIDTH 78
/* Buffer for date_long: "Wednesday 30 September 2026" plus NUL, with room to spare. */
#define DATE_LONG_BUF 40

/* In trusted text, a space that plain text never breaks a line at (written as a space). */
#define REP_NBSP "\x1F"

/* "Tuesday 3 March 2026" (weekday true) or "3 March 2026"; "" for RB_NO_DATE. */
char *date_long(rb_day d, bool weekday, char *buf);

/* Append s as inline text: control characters dropped, line breaks and tabs turned into
 * single spaces, and for REPORT_MD every character Markdown would act on escaped. */
void rep_text(struct strbuf *sb, enum report_format f, const char *s);
/* Columns s takes on a terminal (UTF-8 code points; each counts as one). */
size_t rep_width(const char *s);
/* "1 action" / "3 actions": n, a space and the word, with "s" unless n is 1. */
void rep_count(struct strbuf *sb, int n, const char *one, const char *many);

/* A document being written. Every string given to doc_* is finished inline text
 * (user text already passed through rep_text). */
struct doc {
    FILE *out;
    enum report_format fmt;
    bool started; /* something has been written */
    int run;      /* the last block: 0 other, 1 a list item, 2 a field */
};
void doc_init(struct doc *d, FILE *out, enum report_format fmt);
/* The document's title: "# s", or s underlined with '='. */
void doc_title(struct doc *d, const char *s);
/* A section: "## s", or s underlined with '-'. */
void doc_heading(struct doc *d, const char *s);
/* A part of a section: "### s", or s on a line of its own. */
void doc_subheading(struct doc *d, const char *s);
/* A paragraph, wrapped in plain text. */
void doc_para(struct doc *d, const char *s);
/* A list item ("- s"; level 1 is nested under the previous item), wrapped with a hanging
 * indent in plain text. Consecutive items form one list. */
void doc_item(struct doc *d, int level, const char *s);

/* A labelled value ("Date: ..."); consecutive fields form one block. Markdown shows them
 * as a list with the label in bold. label is trusted text. */
void doc_field(struct doc *d, const char *label, const char *value);

/* A table of n_rows rows of n_cols cells (row-major), with a header row. right[c] aligns
 * column c to the right (numbers). Markdown: a pipe table; text: padded columns. */
void doc_table(struct doc *d, size_t n_cols, const char *const *header, const bool *right,
               const char *const *cells, size_t n_rows);

/* One CSV cell (RFC 4180): quoted when it holds a comma, quote, line break or leading or
 * trailing blank; text starting with = + - @ gets a leading apostrophe so a spreadsheet
 * does not run it. last ends the row with CRLF. */
void csv_cell(FILE *out, const char *s, bool last);
/* The UTF-8 byte order mark CSV files start with (spreadsheets then read UTF-8). */
void csv_bom(FILE *out);

/* The snapshot a given meeting kept when it closed (rows sorted by action_id; n = 0 when
 * it kept none). Free with snapshot_free. */
int report_snapshot_of(struct store *st, const struct meeting *m, struct snapshot *snap,
                       char *err);

/* "West Mercia Police (WMP)" for an agency code, from the list; the code alone when it
 * is not in the list; "no lead" for NULL or "". Appended as inline text for f. */
void rep_agency(struct strbuf *sb, enum report_format f, const struct agency *v, size_t n,
                const char *code);

/* Read a report in one read transaction, so it is consistent, unless the caller already
 * holds a transaction (meeting_close writes the minutes inside its own). Pass what
 * report_read_begin returned to report_read_end. */
bool report_read_begin(struct store *st);
void report_read_end(struct store *st, bool began);

#endif

/* Reading CSV files as spreadsheets write them: encodings, delimiters, quoted cells, and
 * where in the file each cell starts. Pure: no database, and no I/O of its own (a stream
 * reads through the caller's functions). */
#ifndef RAGBOARD_CSV_H
#define RAGBOARD_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "ragboard/util.h"

/* A problem found in a file, at a physical line and a character column (both from 1;
 * 0 when the problem is about the whole file). */
struct csv_issue {
    enum diag_level level;
    int line;
    int col;
    char *msg;
};

/* A list of problems; zero-initialise, free with csv_issues_free. */
struct csv_issues {
    struct csv_issue *v;
    size_t n;
    size_t cap;
};

void csv_issue_add(struct csv_issues *l, enum diag_level level, int line, int col,
                   const char *fmt, ...) RB_PRINTF(5, 6);
size_t csv_issues_errors(const struct csv_issues *l);
/* Order by line, then column (stable for equal places). */
void csv_issues_sort(struct csv_issues *l);
/* "file:line:col: error: msg" (or "file: error: msg" without a place); caller frees. */
char *csv_issue_format(const char *file, const struct csv_issue *i);
void csv_issues_free(struct csv_issues *l);

enum csv_encoding {
    CSV_UTF8,     /* UTF-8 (or plain ASCII) without a byte-order mark */
    CSV_UTF8_BOM, /* UTF-8 with a byte-order mark, as Excel's "CSV UTF-8" writes */
    CSV_CP1252,   /* Windows-1252 (Excel's plain "CSV" on a Western Windows), converted */
};
/* "UTF-8", "UTF-8 with byte-order mark", "Windows-1252" */
const char *csv_encoding_name(enum csv_encoding e);

/* One cell: its text in UTF-8 with the quoting removed and every line break as "\n",
 * and where it starts in the file. */
struct csv_cell {
    const char *text;
    int line;
    int col;
};

/* One record: its cells in order. A record spans lines line..end_line when a quoted
 * cell holds line breaks. */
struct csv_row {
    const struct csv_cell *cells;
    size_t n;
    int line;
    int end_line;
};

struct csv_doc {
    struct csv_row *rows;
    size_t n_rows;
    enum csv_encoding encoding;
    char delimiter;    /* ',', ';' or '\t' */
    bool sep_line;     /* the file began with Excel's "sep=;" line */
    /* private */
    char *text_;
    struct csv_cell *cells_;
};

/* Read a whole file held in data[0..len). Detects the encoding (UTF-8 with or without a
 * byte-order mark; Windows-1252, converted; anything else refused with the reason) and
 * the delimiter (a "sep=" first line, else whichever of comma, semicolon and tab splits
 * the first records most consistently). Line breaks may be CRLF, LF or CR. Every
 * problem is added to issues with its line and column. Returns 0 when the file could be
 * read (problems may still have been added, e.g. a quote never closed), -1 when it was
 * refused (doc is then empty). Free doc with csv_free either way. */
int csv_read(const char *data, size_t len, struct csv_doc *doc, struct csv_issues *issues);
void csv_free(struct csv_doc *doc);

/* Where a streamed file's bytes come from: read fills buf with up to n bytes and returns
 * how many (0 at the end, -1 on an error); rewind goes back to the first byte (0, or -1
 * on an error). */
struct csv_input {
    long (*read)(void *ctx, char *buf, size_t n);
    int (*rewind)(void *ctx);
    void *ctx;
};

/* A file read one record at a time, in memory only a chunk of the file and the record
 * being read (a record is never cut). */
struct csv_stream;

/* Read the whole input once to tell its encoding, and its delimiter from the first
 * records (within the first MiB of text), with the same checks and problems as
 * csv_read; then get ready to give the first record. Returns 0 (*out to close with
 * csv_stream_close), or -1 when the file was refused or could not be read (the reason
 * is in issues). */
int csv_stream_open(const struct csv_input *in, struct csv_stream **out,
                    struct csv_issues *issues);
/* The next record, valid until the next call; NULL at the end (or when the input
 * failed). Problems go to the issues given to csv_stream_open. */
const struct csv_row *csv_stream_next(struct csv_stream *s);
/* Back to the first record: 0, or -1 when the input cannot go back. */
int csv_stream_rewind(struct csv_stream *s);
enum csv_encoding csv_stream_encoding(const struct csv_stream *s);
char csv_stream_delimiter(const struct csv_stream *s);
void csv_stream_close(struct csv_stream *s);

/* True when every cell of the row is blank. */
bool csv_row_blank(const struct csv_row *r);

/* Spreadsheet column name of a 0-based index: 0 -> "A", 26 -> "AA". buf holds 8. */
char *csv_column_name(size_t index, char *buf);

#endif

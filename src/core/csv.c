/* The CSV reader: encoding detection and conversion, delimiter detection, RFC 4180
 * records with the physical line and column where each cell starts. */
#include "ragboard/csv.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- problems ---- */

void csv_issue_add(struct csv_issues *l, enum diag_level level, int line, int col,
                   const char *fmt, ...)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* A message is one line, and text quoted from the file must not drive the terminal:
     * control characters (C0, DEL, and C1 as UTF-8) become blanks. */
    for (unsigned char *p = (unsigned char *)buf; *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            *p = ' ';
        else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            p[0] = p[1] = ' ';
    }
    l->v[l->n++] = (struct csv_issue){level, line, col, xstrdup(buf)};
}

size_t csv_issues_errors(const struct csv_issues *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->v[i].level == DIAG_ERROR;
    return n;
}

static int issue_cmp(const void *pa, const void *pb)
{
    const struct csv_issue *a = *(const struct csv_issue *const *)pa;
    const struct csv_issue *b = *(const struct csv_issue *const *)pb;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return a < b ? -1 : a > b; /* keep the order they were found in */
}

void csv_issues_sort(struct csv_issues *l)
{
    if (l->n < 2)
        return;
    struct csv_issue **p = xmalloc(l->n * sizeof *p);
    for (size_t i = 0; i < l->n; i++)
        p[i] = &l->v[i];
    qsort(p, l->n, sizeof *p, issue_cmp);
    struct csv_issue *sorted = xmalloc(l->cap * sizeof *sorted);
    for (size_t i = 0; i < l->n; i++)
        sorted[i] = *p[i];
    free(p);
    free(l->v);
    l->v = sorted;
}

char *csv_issue_format(const char *file, const struct csv_issue *i)
{
    const char *lvl = i->level == DIAG_ERROR ? "error" : "warning";
    if (i->line > 0 && i->col > 0)
        return xasprintf("%s:%d:%d: %s: %s", file, i->line, i->col, lvl, i->msg);
    if (i->line > 0)
        return xasprintf("%s:%d: %s: %s", file, i->line, lvl, i->msg);
    return xasprintf("%s: %s: %s", file, lvl, i->msg);
}

void csv_issues_free(struct csv_issues *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].msg);
    free(l->v);
    memset(l, 0, sizeof *l);
}

const char *csv_encoding_name(enum csv_encoding e)
{
    switch (e) {
    case CSV_UTF8_BOM: return "UTF-8 with byte-order mark";
    case CSV_CP1252: return "Windows-1252";
    case CSV_UTF8: break;
    }
    return "UTF-8";
}

char *csv_column_name(size_t index, char *buf)
{
    char tmp[8];
    int n = 0;
    size_t v = index + 1;
    while (v > 0 && n < 7) {
        v--;
        tmp[n++] = (char)('A' + v % 26);
        v /= 26;
    }
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

bool csv_row_blank(const struct csv_row *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (!str_blank(r->cells[i].text))
            return false;
    return true;
}

/* ---- encodings ---- */

/* Unicode for Windows-1252 bytes 0x80..0x9F; 0 where the code page has no character. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static size_t put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | cp >> 12);
    out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

/* What a first read of the whole file finds out about its encoding, a chunk at a time:
 * the first NUL, the first byte that is not UTF-8 and the first that is not
 * Windows-1252 either, each with its line and column (columns count characters as
 * UTF-8 for the first two, bytes for the last), and whether valid UTF-8 beyond ASCII
 * appears. Places count from after a byte-order mark. */
struct scan {
    unsigned char carry[4]; /* the start of a UTF-8 sequence cut by the chunk's end */
    size_t n_carry;
    int line, col8, colb; /* where the next byte is (UTF-8 and byte columns) */
    bool after_cr;
    bool multi, bad, nul, undef;
    unsigned char bad_byte, undef_byte;
    int bad_line, bad_col, nul_line, nul_col, undef_line, undef_col;
};

/* Move the place past byte b. */
static void scan_step(struct scan *sc, unsigned char b)
{
    if (b == '\n' && sc->after_cr) {
        sc->after_cr = false;
        return;
    }
    sc->after_cr = b == '\r';
    if (b == '\n' || b == '\r') {
        sc->line++;
        sc->col8 = sc->colb = 1;
        return;
    }
    sc->col8 += (b & 0xC0) != 0x80;
    sc->colb++;
}

/* Look at bytes p[0..n) (the text after any byte-order mark); at_end: no more follow. */
static void scan_text(struct scan *sc, const unsigned char *p, size_t n, bool at_end)
{
    size_t i = 0;
    while (i < n) {
        unsigned char b = p[i];
        size_t want = b < 0xC2 ? 1 : b <= 0xDF ? 2 : b <= 0xEF ? 3 : 4;
        if (!at_end && n - i < want) {
            memcpy(sc->carry, p + i, n - i);
            sc->n_carry = n - i;
            return;
        }
        uint32_t cp;
        size_t len = utf8_decode(p + i, n - i, &cp);
        if (len == 0) {
            if (!sc->bad) {
                sc->bad = true;
                sc->bad_byte = b;
                sc->bad_line = sc->line;
                sc->bad_col = sc->col8;
            }
            len = 1;
        } else {
            sc->multi = sc->multi || len > 1;
        }
        for (size_t k = i; k < i + len; k++) {
            unsigned char c = p[k];
            if (c == 0 && !sc->nul) {
                sc->nul = true;
                sc->nul_line = sc->line;
                sc->nul_col = sc->col8;
            }
            if (c >= 0x80 && c <= 0x9F && cp1252_high[c - 0x80] == 0 && !sc->undef) {
                sc->undef = true;
                sc->undef_byte = c;
                sc->undef_line = sc->line;
                sc->undef_col = sc->colb;
            }
            scan_step(sc, c);
        }
        i += len;
    }
    sc->n_carry = 0;
}

/* ---- delimiters ---- */

static bool is_break(char c)
{
    return c == '\n' || c == '\r';
}

/* Skip one line break at t[i]; returns the new index. */
static size_t skip_break(const char *t, size_t n, size_t i)
{
    if (t[i] == '\r' && i + 1 < n && t[i + 1] == '\n')
        return i + 2;
    return i + 1;
}

#define SNIFF_RECORDS 50

/* Field counts of the first records when split on delim (quotes respected). */
static size_t sniff_counts(const char *t, size_t n, char delim, int *counts)
{
    size_t rec = 0, i = 0;
    while (i < n && rec < SNIFF_RECORDS) {
        int fields = 1;
        bool field_start = true, quoted = false, any = false;
        while (i < n) {
            char c = t[i];
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && t[i + 1] == '"')
                        i++;
                    else
                        quoted = false;
                }
                i++;
                continue;
            }
            if (is_break(c))
                break;
            if (c == '"' && field_start) {
                quoted = true;
            } else if (c == delim) {
                fields++;
                field_start = true;
                i++;
                continue;
            }
            any = true;
            field_start = false;
            i++;
        }
        if (i < n)
            i = skip_break(t, n, i);
        if (fields > 1 || any)
            counts[rec++] = fields;
    }
    return rec;
}

/* The delimiter that splits the first records into the same number (at least two) of
 * fields most often; comma when none does. */
static char sniff_delimiter(const char *t, size_t n)
{
    static const char cand[] = {',', ';', '\t'};
    char best = ',';
    size_t best_score = 0;
    int best_fields = 0;
    for (size_t k = 0; k < sizeof cand; k++) {
        int counts[SNIFF_RECORDS];
        size_t m = sniff_counts(t, n, cand[k], counts);
        size_t score = 0;
        int fields = 0;
        for (size_t i = 0; i < m; i++) {
            if (counts[i] < 2)
                continue;
            size_t same = 0;
            for (size_t j = 0; j < m; j++)
                same += counts[j] == counts[i];
            if (same > score || (same == score && counts[i] > fields)) {
                score = same;
                fields = counts[i];
            }
        }
        if (score > best_score || (score == best_score && fields > best_fields)) {
            best = cand[k];
            best_score = score;
            best_fields = fields;
        }
    }
    return best;
}

/* ---- records ---- */

struct cell_at {
    size_t off;
    int line, col;
};

struct parser {
    const char *t;
    size_t n, i;
    int line, col; /* col: characters already read on this line */
    char delim;
    char *out;
    size_t o;
    struct cell_at *cells;
    size_t n_cells, cap_cells;
    struct csv_issues *issues;
};

static void advance(struct parser *p)
{
    if (((unsigned char)p->t[p->i] & 0xC0) != 0x80)
        p->col++;
    p->i++;
}

static void new_line(struct parser *p)
{
    p->i = skip_break(p->t, p->n, p->i);
    p->line++;
    p->col = 0;
}

static void push_cell(struct parser *p, size_t off, int line, int col)
{
    if (p->n_cells == p->cap_cells) {
        p->cap_cells = p->cap_cells ? p->cap_cells * 2 : 64;
        p->cells = xrealloc(p->cells, p->cap_cells * sizeof *p->cells);
    }
    p->cells[p->n_cells++] = (struct cell_at){off, line, col};
}

/* Read one cell at p->i into the output buffer. */
static void read_cell(struct parser *p)
{
    size_t off = p->o;
    int line = p->line, col = p->col + 1;
    if (p->i < p->n && p->t[p->i] == '"') {
        advance(p);
        bool closed = false;
        while (p->i < p->n) {
            char c = p->t[p->i];
            if (c == '"') {
                if (p->i + 1 < p->n && p->t[p->i + 1] == '"') {
                    p->out[p->o++] = '"';
                    advance(p);
                    advance(p);
                    continue;
                }
                advance(p);
                closed = true;
                break;
            }
            if (is_break(c)) {
                p->out[p->o++] = '\n';
                new_line(p);
                continue;
            }
            p->out[p->o++] = c;
            advance(p);
        }
        if (!closed)
            csv_issue_add(p->issues, DIAG_ERROR, line, col,
                          "the quoted cell that starts here is never closed (a \" is "
                          "missing), so the rest of the file was read into it");
        else if (p->i < p->n && p->t[p->i] != p->delim && !is_break(p->t[p->i]))
            csv_issue_add(p->issues, DIAG_ERROR, p->line, p->col + 1,
                          "text after the closing quote of a cell; a quote inside a quoted "
                          "cell must be written twice (\"\")");
    }
    /* Unquoted text, or what follows a badly closed quote, up to the delimiter. */
    while (p->i < p->n && p->t[p->i] != p->delim && !is_break(p->t[p->i])) {
        p->out[p->o++] = p->t[p->i];
        advance(p);
    }
    p->out[p->o++] = '\0';
    push_cell(p, off, line, col);
}

/* ---- streams ---- */

/* Raw bytes read at a time; the text buffer holds at least one whole record. The fuzzer
 * builds it with a small odd size, so that records and characters cross reads often and
 * each input costs little. */
#ifndef RAGBOARD_CSV_CHUNK
#define RAGBOARD_CSV_CHUNK (256 * 1024)
#endif
#define STREAM_CHUNK RAGBOARD_CSV_CHUNK
/* The delimiter is told from the first records within this much of the text. */
#define SNIFF_BYTES (1024 * 1024)

struct csv_stream {
    struct csv_input in;
    struct csv_issues *issues;
    enum csv_encoding encoding;
    char delimiter;
    bool sep_line;
    bool bom;
    unsigned char *raw; /* STREAM_CHUNK bytes read from the input */
    bool eof;           /* the input has no more bytes */
    size_t raw_skip;    /* bytes of byte-order mark still to skip */
    char *text;         /* decoded text; the parser reads [p.i, p.n) */
    size_t cap;
    char *out;          /* one record's cells, unquoted; 2 * cap + 2 bytes */
    struct parser p;
    struct csv_cell *cells; /* the current record */
    size_t cap_cells;
    struct csv_row row;
};

/* Read more of the input, decoded, after the unread text (kept, moved to the start). */
static int stream_fill(struct csv_stream *s)
{
    struct parser *p = &s->p;
    size_t keep = p->n - p->i;
    if (keep) /* (text is NULL before the first read) */
        memmove(s->text, s->text + p->i, keep);
    p->n = keep;
    p->i = 0;
    /* Windows-1252 bytes become up to three bytes of UTF-8. */
    size_t factor = s->encoding == CSV_CP1252 ? 3 : 1;
    if (s->cap - keep < STREAM_CHUNK * factor + 1) {
        s->cap = 2 * s->cap > keep + STREAM_CHUNK * factor + 1 ? 2 * s->cap
                                                               : keep + STREAM_CHUNK * factor + 1;
        s->text = xrealloc(s->text, s->cap);
        s->out = xrealloc(s->out, 2 * s->cap + 2);
    }
    p->t = s->text;
    long got = s->in.read(s->in.ctx, (char *)s->raw, STREAM_CHUNK);
    if (got < 0) {
        csv_issue_add(s->issues, DIAG_ERROR, 0, 0, "the file could not be read to the end");
        return -1;
    }
    if (got == 0) {
        s->eof = true;
        p->t = s->text;
        return 0;
    }
    size_t from = 0;
    while (s->raw_skip && from < (size_t)got) {
        s->raw_skip--;
        from++;
    }
    size_t o = keep;
    if (s->encoding == CSV_CP1252) {
        for (size_t i = from; i < (size_t)got; i++) {
            unsigned char b = s->raw[i];
            uint32_t cp = b < 0x80 ? b : b <= 0x9F ? cp1252_high[b - 0x80] : b;
            o += put_utf8(s->text + o, cp);
        }
    } else {
        memcpy(s->text + o, s->raw + from, (size_t)got - from);
        o += (size_t)got - from;
    }
    p->n = o;
    p->t = s->text;
    return 0;
}

/* Start reading from the beginning: the byte-order mark is skipped, and a "sep=" line
 * read. */
static int stream_start(struct csv_stream *s)
{
    if (s->in.rewind(s->in.ctx) != 0)
        return -1;
    struct parser *p = &s->p;
    p->i = p->n = 0;
    p->line = 1;
    p->col = 0;
    s->eof = false;
    s->raw_skip = s->bom ? 3 : 0;
    while (!s->eof && p->n < 8)
        if (stream_fill(s) != 0)
            return -1;
    if (s->sep_line) {
        p->i = 5;
        if (p->i < p->n)
            new_line(p);
    }
    return 0;
}

/* Read one record into s->row. False at the end of the text. */
static bool stream_record(struct csv_stream *s)
{
    struct parser *p = &s->p;
    for (;;) {
        if (p->i >= p->n) {
            if (s->eof || stream_fill(s) != 0)
                return false;
            continue;
        }
        size_t start = p->i, issues = s->issues->n;
        int line = p->line;
        p->out = s->out;
        p->o = 0;
        p->n_cells = 0;
        for (;;) {
            read_cell(p);
            if (p->i < p->n && p->t[p->i] == p->delim) {
                advance(p);
                continue;
            }
            break;
        }
        int end_line = p->line;
        if (p->i < p->n)
            new_line(p);
        if (!s->eof && p->i >= p->n) {
            /* The record may go on in text not read yet: read more and start it again. */
            p->i = start;
            p->line = line;
            p->col = 0;
            while (s->issues->n > issues)
                free(s->issues->v[--s->issues->n].msg);
            if (stream_fill(s) != 0)
                return false;
            continue;
        }
        if (p->n_cells > s->cap_cells) {
            s->cap_cells = p->n_cells * 2;
            s->cells = xrealloc(s->cells, s->cap_cells * sizeof *s->cells);
        }
        for (size_t i = 0; i < p->n_cells; i++)
            s->cells[i] = (struct csv_cell){s->out + p->cells[i].off, p->cells[i].line,
                                            p->cells[i].col};
        s->row = (struct csv_row){s->cells, p->n_cells, line, end_line};
        return true;
    }
}

/* The first pass: the encoding, from every byte of the file. */
static int stream_scan(struct csv_stream *s)
{
    static const unsigned char zip[] = {'P', 'K', 3, 4};
    static const unsigned char ole[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    struct csv_issues *issues = s->issues;
    if (s->in.rewind(s->in.ctx) != 0)
        return -1;
    unsigned char *buf = s->raw;
    size_t n = 0;
    bool end = false;
    while (n < 8 && !end) {
        long got = s->in.read(s->in.ctx, (char *)buf + n, STREAM_CHUNK - n);
        if (got < 0)
            return -1;
        end = got == 0;
        n += (size_t)got;
    }
    if (n == 0) {
        csv_issue_add(issues, DIAG_ERROR, 0, 0, "the file is empty");
        return 1;
    }
    if ((n >= sizeof zip && memcmp(buf, zip, sizeof zip) == 0) ||
        (n >= sizeof ole && memcmp(buf, ole, sizeof ole) == 0)) {
        csv_issue_add(issues, DIAG_ERROR, 0, 0,
                      "this is an Excel workbook, not a CSV file; in Excel choose File, "
                      "Save As, \"CSV UTF-8 (Comma delimited)\" and import that file");
        return 1;
    }
    if (n >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF))) {
        csv_issue_add(issues, DIAG_ERROR, 0, 0,
                      "the file is UTF-16 text (Excel's \"Unicode Text\"), which ragboard "
                      "does not read; save it as \"CSV UTF-8 (Comma delimited)\" instead");
        return 1;
    }
    s->bom = n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF;
    struct scan sc = {.line = 1, .col8 = 1, .colb = 1};
    size_t from = s->bom ? 3 : 0;
    for (;;) {
        scan_text(&sc, buf + from, n - from, end);
        if (end)
            break;
        memcpy(buf, sc.carry, sc.n_carry);
        from = 0;
        n = sc.n_carry;
        long got = s->in.read(s->in.ctx, (char *)buf + n, STREAM_CHUNK - n);
        if (got < 0)
            return -1;
        end = got == 0;
        n += (size_t)got;
    }
    if (sc.nul) {
        csv_issue_add(issues, DIAG_ERROR, sc.nul_line, sc.nul_col,
                      "the file holds a NUL byte, so it is not a text file (or it is UTF-16 "
                      "without a byte-order mark); save it from the spreadsheet as "
                      "\"CSV UTF-8 (Comma delimited)\"");
        return 1;
    }
    s->encoding = s->bom ? CSV_UTF8_BOM : CSV_UTF8;
    if (!sc.bad)
        return 0;
    if (s->bom || sc.multi) {
        csv_issue_add(issues, DIAG_ERROR, sc.bad_line, sc.bad_col,
                      "byte 0x%02X is not UTF-8, although the file %s UTF-8; it seems to mix "
                      "two encodings. Open it in the spreadsheet and save it again as "
                      "\"CSV UTF-8 (Comma delimited)\"",
                      sc.bad_byte, s->bom ? "starts with the byte-order mark of"
                                          : "elsewhere holds");
        return 1;
    }
    /* No valid UTF-8 beyond ASCII and some bytes that are not UTF-8: Windows-1252. */
    if (sc.undef) {
        csv_issue_add(issues, DIAG_ERROR, sc.undef_line, sc.undef_col,
                      "byte 0x%02X is neither UTF-8 nor a Windows-1252 character, so the "
                      "encoding cannot be told; save the file from the spreadsheet as "
                      "\"CSV UTF-8 (Comma delimited)\"",
                      sc.undef_byte);
        return 1;
    }
    s->encoding = CSV_CP1252;
    return 0;
}

int csv_stream_open(const struct csv_input *in, struct csv_stream **out,
                    struct csv_issues *issues)
{
    *out = NULL;
    struct csv_stream *s = xcalloc(1, sizeof *s);
    s->in = *in;
    s->issues = issues;
    s->raw = xmalloc(STREAM_CHUNK);
    s->p.issues = issues;
    int rc = stream_scan(s);
    if (rc == 0)
        rc = stream_start(s);
    if (rc != 0) {
        if (rc < 0)
            csv_issue_add(issues, DIAG_ERROR, 0, 0, "the file could not be read");
        csv_stream_close(s);
        return -1;
    }
    /* Excel's "sep=;" line names the delimiter; else the first records tell it. */
    struct parser *p = &s->p;
    const char *t = s->text;
    if (p->n >= 5 && strncasecmp(t, "sep=", 4) == 0 && t[4] != '"' &&
        (p->n == 5 || is_break(t[5]))) {
        s->sep_line = true;
        s->delimiter = t[4];
        p->i = 5;
        if (p->i < p->n)
            new_line(p);
    } else {
        while (!s->eof && p->n < SNIFF_BYTES)
            if (stream_fill(s) != 0) {
                csv_issue_add(issues, DIAG_ERROR, 0, 0, "the file could not be read");
                csv_stream_close(s);
                return -1;
            }
        s->delimiter = sniff_delimiter(s->text, p->n);
    }
    p->delim = s->delimiter;
    *out = s;
    return 0;
}

const struct csv_row *csv_stream_next(struct csv_stream *s)
{
    return stream_record(s) ? &s->row : NULL;
}

int csv_stream_rewind(struct csv_stream *s)
{
    return stream_start(s);
}

enum csv_encoding csv_stream_encoding(const struct csv_stream *s)
{
    return s->encoding;
}

char csv_stream_delimiter(const struct csv_stream *s)
{
    return s->delimiter;
}

void csv_stream_close(struct csv_stream *s)
{
    if (!s)
        return;
    free(s->raw);
    free(s->text);
    free(s->out);
    free(s->p.cells);
    free(s->cells);
    free(s);
}

/* ---- whole documents ---- */

struct memory_input {
    const char *data;
    size_t len, pos;
};

static long memory_read(void *ctx, char *buf, size_t n)
{
    struct memory_input *m = ctx;
    size_t left = m->len - m->pos;
    if (n > left)
        n = left;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    return (long)n;
}

static int memory_rewind(void *ctx)
{
    ((struct memory_input *)ctx)->pos = 0;
    return 0;
}

int csv_read(const char *data, size_t len, struct csv_doc *doc, struct csv_issues *issues)
{
    memset(doc, 0, sizeof *doc);
    struct memory_input m = {data, len, 0};
    struct csv_input in = {memory_read, memory_rewind, &m};
    struct csv_stream *s;
    if (csv_stream_open(&in, &s, issues) != 0)
        return -1;
    doc->encoding = s->encoding;
    doc->delimiter = s->delimiter;
    doc->sep_line = s->sep_line;
    /* Unquoting only shrinks text (Windows-1252 grows up to three times); each cell adds
     * one NUL, and there are at most as many cells as bytes, plus one. */
    size_t cap_text = 4 * len + 2, o = 0;
    char *text = xmalloc(cap_text);
    struct {
        size_t first, n;
        int line, end_line;
    } *rows = NULL;
    size_t n_rows = 0, cap_rows = 0;
    struct cell_at *cells = NULL;
    size_t n_cells = 0, cap_cells = 0;
    const struct csv_row *r;
    while ((r = csv_stream_next(s))) {
        if (n_rows == cap_rows) {
            cap_rows = cap_rows ? cap_rows * 2 : 64;
            rows = xrealloc(rows, cap_rows * sizeof *rows);
        }
        rows[n_rows].first = n_cells;
        rows[n_rows].n = r->n;
        rows[n_rows].line = r->line;
        rows[n_rows].end_line = r->end_line;
        n_rows++;
        for (size_t i = 0; i < r->n; i++) {
            if (n_cells == cap_cells) {
                cap_cells = cap_cells ? cap_cells * 2 : 64;
                cells = xrealloc(cells, cap_cells * sizeof *cells);
            }
            size_t l = strlen(r->cells[i].text) + 1;
            memcpy(text + o, r->cells[i].text, l);
            cells[n_cells++] = (struct cell_at){o, r->cells[i].line, r->cells[i].col};
            o += l;
        }
    }
    csv_stream_close(s);
    doc->text_ = text;
    doc->cells_ = xmalloc((n_cells ? n_cells : 1) * sizeof *doc->cells_);
    for (size_t i = 0; i < n_cells; i++)
        doc->cells_[i] = (struct csv_cell){text + cells[i].off, cells[i].line, cells[i].col};
    free(cells);
    doc->rows = xmalloc((n_rows ? n_rows : 1) * sizeof *doc->rows);
    for (size_t i = 0; i < n_rows; i++)
        doc->rows[i] = (struct csv_row){doc->cells_ + rows[i].first, rows[i].n, rows[i].line,
                                        rows[i].end_line};
    doc->n_rows = n_rows;
    free(rows);
    return 0;
}

void csv_free(struct csv_doc *doc)
{
    free(doc->rows);
    free(doc->cells_);
    free(doc->text_);
    memset(doc, 0, sizeof *doc);
}

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

/* Line and character column of byte pos in raw bytes (UTF-8 continuation bytes do not
 * start a character). */
static void locate(const unsigned char *p, size_t pos, bool utf8, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < pos; i++) {
        if (p[i] == '\n' || (p[i] == '\r' && (i + 1 >= pos || p[i + 1] != '\n'))) {
            l++;
            c = 1;
        } else if (p[i] != '\r' && (!utf8 || (p[i] & 0xC0) != 0x80)) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when it is not valid: overlong
 * forms, surrogates and code points above U+10FFFF are refused. */
static size_t utf8_seq(const unsigned char *p, size_t left)
{
    unsigned char b = p[0];
    if (b < 0x80)
        return 1;
    size_t n;
    uint32_t cp;
    if (b >= 0xC2 && b <= 0xDF) {
        n = 2;
        cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 3;
        cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4;
        cp = b & 0x07;
    } else {
        return 0;
    }
    if (left < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

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

/* Decide the encoding and produce UTF-8 text (caller frees *text), or add the reason it
 * is refused and return -1. */
static int decode(const unsigned char *p, size_t len, char **text, size_t *out_len,
                  enum csv_encoding *enc, struct csv_issues *issues)
{
    static const unsigned char zip[] = {'P', 'K', 3, 4};
    static const unsigned char ole[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (len == 0) {
        csv_issue_add(issues, DIAG_ERROR, 0, 0, "the file is empty");
        return -1;
    }
    if ((len >= sizeof zip && memcmp(p, zip, sizeof zip) == 0) ||
        (len >= sizeof ole && memcmp(p, ole, sizeof ole) == 0)) {
        csv_issue_add(issues, DIAG_ERROR, 0, 0,
                      "this is an Excel workbook, not a CSV file; in Excel choose File, "
                      "Save As, \"CSV UTF-8 (Comma delimited)\" and import that file");
        return -1;
    }
    if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
        csv_issue_add(issues, DIAG_ERROR, 0, 0,
                      "the file is UTF-16 text (Excel's \"Unicode Text\"), which ragboard "
                      "does not read; save it as \"CSV UTF-8 (Comma delimited)\" instead");
        return -1;
    }
    *enc = CSV_UTF8;
    size_t start = 0;
    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        *enc = CSV_UTF8_BOM;
        start = 3;
    }
    const unsigned char *nul = memchr(p, 0, len);
    if (nul) {
        int line, col;
        locate(p + start, (size_t)(nul - p) - start, true, &line, &col);
        csv_issue_add(issues, DIAG_ERROR, line, col,
                      "the file holds a NUL byte, so it is not a text file (or it is UTF-16 "
                      "without a byte-order mark); save it from the spreadsheet as "
                      "\"CSV UTF-8 (Comma delimited)\"");
        return -1;
    }
    size_t multi = 0, bad = SIZE_MAX;
    for (size_t i = start; i < len;) {
        size_t n = utf8_seq(p + i, len - i);
        if (n == 0) {
            if (bad == SIZE_MAX)
                bad = i;
            i++;
            continue;
        }
        multi += n > 1;
        i += n;
    }
    if (bad == SIZE_MAX) {
        *out_len = len - start;
        *text = xstrndup((const char *)p + start, *out_len);
        return 0;
    }
    int line, col;
    locate(p + start, bad - start, true, &line, &col);
    if (*enc == CSV_UTF8_BOM || multi > 0) {
        csv_issue_add(issues, DIAG_ERROR, line, col,
                      "byte 0x%02X is not UTF-8, although the file %s UTF-8; it seems to mix "
                      "two encodings. Open it in the spreadsheet and save it again as "
                      "\"CSV UTF-8 (Comma delimited)\"",
                      p[bad], *enc == CSV_UTF8_BOM ? "starts with the byte-order mark of"
                                                   : "elsewhere holds");
        return -1;
    }
    /* No valid UTF-8 beyond ASCII and some bytes that are not UTF-8: Windows-1252. */
    for (size_t i = start; i < len; i++) {
        if (p[i] >= 0x80 && p[i] <= 0x9F && cp1252_high[p[i] - 0x80] == 0) {
            locate(p + start, i - start, false, &line, &col);
            csv_issue_add(issues, DIAG_ERROR, line, col,
                          "byte 0x%02X is neither UTF-8 nor a Windows-1252 character, so the "
                          "encoding cannot be told; save the file from the spreadsheet as "
                          "\"CSV UTF-8 (Comma delimited)\"",
                          p[i]);
            return -1;
        }
    }
    char *out = xmalloc((len - start) * 3 + 1);
    size_t o = 0;
    for (size_t i = start; i < len; i++) {
        uint32_t cp = p[i] < 0x80 ? p[i] : p[i] <= 0x9F ? cp1252_high[p[i] - 0x80] : p[i];
        o += put_utf8(out + o, cp);
    }
    out[o] = '\0';
    *text = out;
    *out_len = o;
    *enc = CSV_CP1252;
    return 0;
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

int csv_read(const char *data, size_t len, struct csv_doc *doc, struct csv_issues *issues)
{
    memset(doc, 0, sizeof *doc);
    char *text;
    size_t n;
    if (decode((const unsigned char *)data, len, &text, &n, &doc->encoding, issues) != 0)
        return -1;
    struct parser p = {.t = text, .n = n, .line = 1, .issues = issues};
    /* Excel's "sep=;" line names the delimiter. */
    if (n >= 5 && strncasecmp(text, "sep=", 4) == 0 && text[4] != '"' &&
        (n == 5 || is_break(text[5]))) {
        p.delim = text[4];
        doc->sep_line = true;
        p.i = 5;
        if (p.i < n)
            new_line(&p);
    } else {
        p.delim = sniff_delimiter(text, n);
    }
    doc->delimiter = p.delim;
    /* Unquoting only shrinks text; each cell adds one NUL, and there are at most as many
     * cells as delimiters and line breaks, plus one. */
    p.out = xmalloc(2 * n + 2);
    struct {
        size_t first, n;
        int line, end_line;
    } *rows = NULL;
    size_t n_rows = 0, cap_rows = 0;
    while (p.i < p.n) {
        size_t first = p.n_cells;
        int line = p.line;
        for (;;) {
            read_cell(&p);
            if (p.i < p.n && p.t[p.i] == p.delim) {
                advance(&p);
                continue;
            }
            break;
        }
        if (n_rows == cap_rows) {
            cap_rows = cap_rows ? cap_rows * 2 : 64;
            rows = xrealloc(rows, cap_rows * sizeof *rows);
        }
        rows[n_rows].first = first;
        rows[n_rows].n = p.n_cells - first;
        rows[n_rows].line = line;
        rows[n_rows].end_line = p.line;
        n_rows++;
        if (p.i < p.n)
            new_line(&p);
    }
    free(text);
    doc->text_ = p.out;
    doc->cells_ = xmalloc((p.n_cells ? p.n_cells : 1) * sizeof *doc->cells_);
    for (size_t i = 0; i < p.n_cells; i++)
        doc->cells_[i] = (struct csv_cell){p.out + p.cells[i].off, p.cells[i].line,
                                           p.cells[i].col};
    free(p.cells);
    doc->rows = xmalloc((n_rows ? n_rows : 1) * sizeof *doc->rows);
    for (size_t r = 0; r < n_rows; r++)
        doc->rows[r] = (struct csv_row){doc->cells_ + rows[r].first, rows[r].n, rows[r].line,
                                        rows[r].end_line};
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

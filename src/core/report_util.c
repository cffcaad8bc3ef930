/* Text, Markdown and CSV helpers shared by the minutes and the reports. */
#include "report_util.h"

#include <stdlib.h>
#include <string.h>

#include "ragboard/edit.h"
#include "store_internal.h"

bool report_format_parse(const char *s, enum report_format *out)
{
    if (!s)
        return false;
    if (str_ieq(s, "md") || str_ieq(s, "markdown"))
        *out = REPORT_MD;
    else if (str_ieq(s, "text") || str_ieq(s, "txt"))
        *out = REPORT_TEXT;
    else if (str_ieq(s, "csv"))
        *out = REPORT_CSV;
    else
        return false;
    return true;
}

static const char *const month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
static const char *const weekday_names[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                             "Thursday", "Friday", "Saturday"};

char *date_long(rb_day d, bool weekday, char *buf)
{
    if (d == RB_NO_DATE) {
        buf[0] = '\0';
        return buf;
    }
    int y, m, day;
    date_to_ymd(d, &y, &m, &day);
    /* Day 0, 1 January 1970, was a Thursday. */
    int wd = (int)(((d % 7) + 7 + 4) % 7);
    /* Kept on one line when wrapped: "3 March 2026" never splits. */
    if (weekday)
        snprintf(buf, DATE_LONG_BUF, "%s %d" REP_NBSP "%s" REP_NBSP "%d", weekday_names[wd], day,
                 month_names[m - 1], y);
    else
        snprintf(buf, DATE_LONG_BUF, "%d" REP_NBSP "%s" REP_NBSP "%d", day, month_names[m - 1],
                 y);
    return buf;
}

size_t rep_width(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

void rep_count(struct strbuf *sb, int n, const char *one, const char *many)
{
    sb_addf(sb, "%d %s", n, n == 1 ? one : many);
}

/* Characters Markdown may act on anywhere in a line. */
static bool md_special(unsigned char c)
{
    return c && strchr("\\`*_[]<>|#&~", c) != NULL;
}

void rep_text(struct strbuf *sb, enum report_format f, const char *s)
{
    if (!s)
        return;
    bool space = false, any = false;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = any;
            p++;
            continue;
        }
        if (c < 0x20 || c == 0x7F) {
            p++;
            continue;
        }
        /* C1 control characters (U+0080 to U+009F) can drive a terminal too. */
        if (c == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
            p += 2;
            continue;
        }
        if (space)
            sb_addc(sb, ' ');
        space = false;
        any = true;
        if (f == REPORT_MD && md_special(c))
            sb_addc(sb, '\\');
        sb_addc(sb, (char)c);
        p++;
    }
}

void rep_agency(struct strbuf *sb, enum report_format f, const struct agency *v, size_t n,
                const char *code)
{
    if (str_blank(code)) {
        sb_add(sb, "no lead");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(v[i].code, code) == 0 && !str_blank(v[i].name) &&
            strcmp(v[i].name, code) != 0) {
            rep_text(sb, f, v[i].name);
            sb_add(sb, " (");
            rep_text(sb, f, code);
            sb_addc(sb, ')');
            return;
        }
    }
    rep_text(sb, f, code);
}

/* ---- the document writer ---- */

/* Write s with each REP_NBSP as a space. */
static void put(FILE *out, const char *s)
{
    for (; *s; s++)
        fputc(*s == REP_NBSP[0] ? ' ' : *s, out);
}

void doc_init(struct doc *d, FILE *out, enum report_format fmt)
{
    memset(d, 0, sizeof *d);
    d->out = out;
    d->fmt = fmt;
}

/* Start a block: one blank line after whatever came before, unless this continues a
 * run of list items or of fields (kind 1 or 2). */
static void block(struct doc *d, int kind)
{
    if (d->started && !(kind != 0 && d->run == kind))
        fputc('\n', d->out);
    d->started = true;
    d->run = kind;
}

/* Write s, which starts a Markdown block, so that it cannot be read as a list marker,
 * a numbered item or a heading underline. */
static void md_block_text(FILE *out, const char *s)
{
    if (*s == '-' || *s == '+' || *s == '=') {
        fputc('\\', out);
    } else {
        size_t digits = strspn(s, "0123456789");
        if (digits > 0 && (s[digits] == '.' || s[digits] == ')')) {
            fwrite(s, 1, digits, out);
            fputc('\\', out);
            s += digits;
        }
    }
    put(out, s);
}

/* Write s wrapped to REPORT_WIDTH: the first line after first, the others after rest.
 * Runs of blanks are kept inside a line and dropped where a line breaks. */
static void wrap(FILE *out, const char *first, const char *rest, const char *s)
{
    put(out, first);
    size_t col = rep_width(first);
    bool line_empty = true;
    const char *p = s;
    while (*p) {
        size_t gap = 0;
        while (*p == ' ') {
            gap++;
            p++;
        }
        if (!*p)
            break;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        char *word = xstrndup(w, (size_t)(p - w));
        size_t ww = rep_width(word);
        if (!line_empty && col + gap + ww > REPORT_WIDTH) {
            fputc('\n', out);
            put(out, rest);
            col = rep_width(rest);
            line_empty = true;
        }
        if (!line_empty) {
            for (size_t i = 0; i < gap; i++)
                fputc(' ', out);
            col += gap;
        }
        put(out, word);
        free(word);
        col += ww;
        line_empty = false;
    }
    fputc('\n', out);
}

static void underline(FILE *out, const char *s, char c)
{
    size_t n = rep_width(s);
    if (n > REPORT_WIDTH)
        n = REPORT_WIDTH;
    for (size_t i = 0; i < n; i++)
        fputc(c, out);
    fputc('\n', out);
}

void doc_title(struct doc *d, const char *s)
{
    block(d, 0);
    if (d->fmt == REPORT_MD) {
        fputs("# ", d->out);
        put(d->out, s);
        fputc('\n', d->out);
    } else {
        wrap(d->out, "", "", s);
        underline(d->out, s, '=');
    }
}

void doc_heading(struct doc *d, const char *s)
{
    block(d, 0);
    if (d->fmt == REPORT_MD) {
        fputs("## ", d->out);
        put(d->out, s);
        fputc('\n', d->out);
    } else {
        wrap(d->out, "", "", s);
        underline(d->out, s, '-');
    }
}

void doc_subheading(struct doc *d, const char *s)
{
    block(d, 0);
    if (d->fmt == REPORT_MD) {
        fputs("### ", d->out);
        put(d->out, s);
        fputc('\n', d->out);
    } else
        wrap(d->out, "", "    ", s);
}

void doc_para(struct doc *d, const char *s)
{
    block(d, 0);
    if (d->fmt == REPORT_MD) {
        md_block_text(d->out, s);
        fputc('\n', d->out);
    } else {
        wrap(d->out, "", "", s);
    }
}

void doc_item(struct doc *d, int level, const char *s)
{
    block(d, 1);
    if (d->fmt == REPORT_MD) {
        fputs(level > 0 ? "  - " : "- ", d->out);
        md_block_text(d->out, s);
        fputc('\n', d->out);
    } else {
        wrap(d->out, level > 0 ? "    - " : "  - ", level > 0 ? "      " : "    ", s);
    }
}

void doc_field(struct doc *d, const char *label, const char *value)
{
    block(d, 2);
    if (d->fmt == REPORT_MD) {
        fprintf(d->out, "- **%s:** ", label);
        put(d->out, value);
        fputc('\n', d->out);
    } else {
        char *first = xasprintf("%s: ", label);
        wrap(d->out, first, "    ", value);
        free(first);
    }
}

void doc_table(struct doc *d, size_t n_cols, const char *const *header, const bool *right,
               const char *const *cells, size_t n_rows)
{
    block(d, 0);
    FILE *out = d->out;
    if (d->fmt == REPORT_MD) {
        for (size_t c = 0; c < n_cols; c++) {
            fputs("| ", out);
            put(out, header[c]);
            fputc(' ', out);
        }
        fputs("|\n", out);
        for (size_t c = 0; c < n_cols; c++)
            fputs(right[c] ? "| ---: " : "| --- ", out);
        fputs("|\n", out);
        for (size_t r = 0; r < n_rows; r++) {
            for (size_t c = 0; c < n_cols; c++) {
                fputs("| ", out);
                put(out, cells[r * n_cols + c]);
                fputc(' ', out);
            }
            fputs("|\n", out);
        }
        return;
    }
    size_t *w = xcalloc(n_cols, sizeof *w);
    for (size_t c = 0; c < n_cols; c++) {
        w[c] = rep_width(header[c]);
        for (size_t r = 0; r < n_rows; r++) {
            size_t cw = rep_width(cells[r * n_cols + c]);
            if (cw > w[c])
                w[c] = cw;
        }
    }
    for (size_t r = 0; r < n_rows + 2; r++) {
        struct strbuf line = {0};
        for (size_t c = 0; c < n_cols; c++) {
            const char *cell = r == 0 ? header[c] : r == 1 ? NULL : cells[(r - 2) * n_cols + c];
            size_t cw = cell ? rep_width(cell) : w[c];
            if (c > 0)
                sb_add(&line, "  ");
            if (!cell) {
                for (size_t i = 0; i < w[c]; i++)
                    sb_addc(&line, '-');
                continue;
            }
            bool pad_left = right[c];
            for (size_t i = cw; pad_left && i < w[c]; i++)
                sb_addc(&line, ' ');
            sb_add(&line, cell);
            for (size_t i = cw; !pad_left && c + 1 < n_cols && i < w[c]; i++)
                sb_addc(&line, ' ');
        }
        put(out, line.buf ? line.buf : "");
        fputc('\n', out);
        sb_free(&line);
    }
    free(w);
}

/* ---- CSV ---- */

void csv_bom(FILE *out)
{
    fputs("\xEF\xBB\xBF", out);
}

void csv_cell(FILE *out, const char *s, bool last)
{
    if (!s)
        s = "";
    size_t len = strlen(s);
    bool formula = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL ||
                 (len > 0 && (s[0] == ' ' || s[len - 1] == ' '));
    if (quote)
        fputc('"', out);
    if (formula)
        fputc('\'', out);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    if (quote)
        fputc('"', out);
    fputs(last ? "\r\n" : ",", out);
}

/* ---- snapshots ---- */

int report_snapshot_of(struct store *st, const struct meeting *m, struct snapshot *snap,
                       char *err)
{
    memset(snap, 0, sizeof *snap);
    snap->meeting = m->id;
    snap->date = m->date;
    if (!m->closed_at)
        return 0;
    sqlite3_stmt *s;
    if (store_prepare(st,
                      "SELECT action_id, rag, progress, state, updates FROM meeting_snapshots "
                      "WHERE meeting_id = ? ORDER BY action_id",
                      &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, m->id);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (snap->n == cap) {
            cap = cap ? cap * 2 : 64;
            snap->rows = xrealloc(snap->rows, cap * sizeof *snap->rows);
        }
        struct snapshot_row *r = &snap->rows[snap->n++];
        r->action_id = sqlite3_column_int64(s, 0);
        const char *rag = (const char *)sqlite3_column_text(s, 1);
        if (!rag || !rag_parse(rag, &r->rag))
            r->rag = RAG_NONE;
        r->progress = sqlite3_column_int(s, 2);
        if (!state_parse((const char *)sqlite3_column_text(s, 3), &r->state))
            r->state = STATE_IN_PROGRESS;
        r->updates = sqlite3_column_int(s, 4);
    }
    int rc = step == SQLITE_DONE ? 0 : store_error(st, "reading the meeting snapshot", err);
    sqlite3_finalize(s);
    if (rc != 0)
        snapshot_free(snap);
    return rc;
}

/* ---- consistent reads ---- */

bool report_read_begin(struct store *st)
{
    if (!sqlite3_get_autocommit(store_db(st)))
        return false; /* already inside the caller's transaction */
    return sqlite3_exec(store_db(st), "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

void report_read_end(struct store *st, bool began)
{
    if (began)
        sqlite3_exec(store_db(st), "COMMIT", NULL, NULL, NULL);
}

/* Column headings of an imported spreadsheet: the names councils use for each field. */
#include "import_internal.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/util.h"

/* Headings, with case, spaces and punctuation removed. label: the column's text is
 * kept under its heading ("Risk or vulnerability: ...") because the field holds more. */
static const struct {
    const char *name;
    enum import_field field;
    bool label;
} headings[] = {
    {"reference", IF_REF, false},
    {"ref", IF_REF, false},
    {"refno", IF_REF, false},
    {"no", IF_REF, false},
    {"id", IF_REF, false},
    {"actionref", IF_REF, false},
    {"actionno", IF_REF, false},
    {"action", IF_TITLE, false},
    {"actions", IF_TITLE, false},
    {"keyaction", IF_TITLE, false},
    {"keyactions", IF_TITLE, false},
    {"actionrequired", IF_TITLE, false},
    {"actiontoaddressrisk", IF_TITLE, false},
    {"title", IF_TITLE, false},
    {"description", IF_DESCRIPTION, false},
    {"detail", IF_DESCRIPTION, false},
    {"details", IF_DESCRIPTION, false},
    {"outcomes", IF_DESCRIPTION, true},
    {"riskorvulnerability", IF_DESCRIPTION, true},
    {"risk", IF_DESCRIPTION, true},
    {"strand", IF_STRAND, false},
    {"conteststrand", IF_STRAND, false},
    {"objective", IF_OBJECTIVE, false},
    {"outcome", IF_OBJECTIVE, false},
    {"theme", IF_OBJECTIVE, false},
    {"objectivetitle", IF_OBJECTIVE_TITLE, false},
    {"lead", IF_LEAD, false},
    {"leadagency", IF_LEAD, false},
    {"agency", IF_LEAD, false},
    {"owner", IF_OWNER, false},
    {"leadofficer", IF_OWNER, false},
    {"officerresponsible", IF_OWNER, false},
    {"responsibleofficer", IF_OWNER, false},
    {"partners", IF_PARTNERS, false},
    {"partneragencies", IF_PARTNERS, false},
    {"due", IF_DUE, false},
    {"duedate", IF_DUE, false},
    {"targetdate", IF_DUE, false},
    {"timescale", IF_DUE, false},
    {"timescales", IF_DUE, false},
    {"deadline", IF_DUE, false},
    {"bywhen", IF_DUE, false},
    {"tobecompletedby", IF_DUE, false},
    {"start", IF_START, false},
    {"startdate", IF_START, false},
    {"status", IF_STATUS, false},
    {"state", IF_STATUS, false},
    {"rag", IF_RAG, false},
    {"rating", IF_RAG, false},
    {"ragrating", IF_RAG, false},
    {"ragstatus", IF_RAG, false},
    {"ragreason", IF_RAG_REASON, false},
    {"progress", IF_PROGRESS, false},
    {"complete", IF_PROGRESS, false},
    {"percentcomplete", IF_PROGRESS, false},
    {"update", IF_UPDATE, false},
    {"updates", IF_UPDATE, false},
    {"progressupdate", IF_UPDATE, false},
    {"latestupdate", IF_UPDATE, false},
    {"evidenceofprogress", IF_UPDATE, false},
    {"worktodate", IF_UPDATE, false},
    {"notes", IF_UPDATE, false},
    {"confidential", IF_CONFIDENTIAL, false},
};

/* Fields whose text several columns may share (joined, each under its heading). */
static bool joinable(enum import_field f)
{
    return f == IF_DESCRIPTION || f == IF_UPDATE;
}

const char *import_field_name(enum import_field f)
{
    static const char *const names[IF_COUNT] = {
        [IF_REF] = "reference",
        [IF_TITLE] = "action",
        [IF_DESCRIPTION] = "description",
        [IF_STRAND] = "strand",
        [IF_OBJECTIVE] = "objective",
        [IF_OBJECTIVE_TITLE] = "objective title",
        [IF_LEAD] = "lead agency",
        [IF_OWNER] = "lead officer",
        [IF_PARTNERS] = "partners",
        [IF_START] = "start date",
        [IF_DUE] = "due date",
        [IF_PROGRESS] = "progress",
        [IF_STATUS] = "status",
        [IF_RAG] = "RAG rating",
        [IF_RAG_REASON] = "RAG reason",
        [IF_UPDATE] = "progress update",
        [IF_CONFIDENTIAL] = "confidential",
    };
    return f > IF_NONE && f < IF_COUNT ? names[f] : "unused";
}

/* Letters and digits of s, lower case, into buf (n bytes); false when it does not fit. */
static bool normalise(const char *s, char *buf, size_t n)
{
    size_t o = 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x80 || !isalnum(c))
            continue;
        if (o + 1 >= n)
            return false;
        buf[o++] = (char)tolower(c);
    }
    buf[o] = '\0';
    return true;
}

static enum import_field lookup(const char *heading, bool *label)
{
    char key[40];
    if (!normalise(heading, key, sizeof key) || !key[0])
        return IF_NONE;
    for (size_t i = 0; i < sizeof headings / sizeof headings[0]; i++) {
        if (strcmp(key, headings[i].name) == 0) {
            *label = headings[i].label;
            return headings[i].field;
        }
    }
    return IF_NONE;
}

/* The field a heading names. A note in brackets may follow the name: "Timescale
 * (date)", "RAG (R/A/G)". */
static enum import_field field_of(const char *heading, bool *label)
{
    *label = false;
    enum import_field f = lookup(heading, label);
    const char *open = strchr(heading, '(');
    if (f != IF_NONE || !open)
        return f;
    struct strbuf sb = {0};
    for (const char *p = heading; *p;) {
        if (*p == '(') {
            const char *close = strchr(p, ')');
            if (!close)
                break;
            p = close + 1;
        } else {
            sb_addc(&sb, *p++);
        }
    }
    if (sb.buf)
        f = lookup(sb.buf, label);
    sb_free(&sb);
    return f;
}

char *import_column_label(const struct import_columns *c, size_t col, char *buf, size_t n)
{
    char letter[8];
    csv_column_name(col, letter);
    const char *h = col < c->n ? c->row->cells[col].text : "";
    char *one = import_one_line(h);
    if (*one)
        snprintf(buf, n, "%.60s (column %s)", one, letter);
    else
        snprintf(buf, n, "column %s", letter);
    free(one);
    return buf;
}

/* How far down to look for the heading row. */
#define HEADER_SEARCH 20

static bool has_action_column(const struct csv_row *r)
{
    bool label;
    for (size_t i = 0; i < r->n; i++)
        if (field_of(r->cells[i].text, &label) == IF_TITLE)
            return true;
    return false;
}

const struct csv_row *import_source_next(struct import_source *s)
{
    if (s->stream)
        return csv_stream_next(s->stream);
    return s->next < s->doc->n_rows ? &s->doc->rows[s->next++] : NULL;
}

/* Keep a copy of the heading row (the source's rows do not last). */
static void keep_heading(struct import_columns *c, const struct csv_row *r)
{
    struct csv_cell *cells = xcalloc(r->n ? r->n : 1, sizeof *cells);
    for (size_t i = 0; i < r->n; i++)
        cells[i] = (struct csv_cell){xstrdup(r->cells[i].text), r->cells[i].line,
                                     r->cells[i].col};
    c->heading = (struct csv_row){cells, r->n, r->line, r->end_line};
    c->row = &c->heading;
}

int import_map_columns(struct import_source *src, struct import_columns *c,
                       struct csv_issues *issues)
{
    memset(c, 0, sizeof *c);
    int above[HEADER_SEARCH]; /* lines of the rows above the heading row */
    size_t n_above = 0;
    const struct csv_row *r;
    while ((r = import_source_next(src)) && n_above < HEADER_SEARCH) {
        if (csv_row_blank(r))
            continue;
        if (has_action_column(r)) {
            keep_heading(c, r);
            break;
        }
        above[n_above++] = r->line;
    }
    if (!c->row) {
        int line = n_above ? above[0] : r ? r->line : 0;
        csv_issue_add(issues, DIAG_ERROR, line, line ? 1 : 0,
                      "no action column: the heading row needs a column called Action, Key "
                      "action, Action required or Action to address risk");
        return -1;
    }
    for (size_t i = 0; i < n_above; i++)
        csv_issue_add(issues, DIAG_WARNING, above[i], 1, "above the heading row (line %d); skipped",
                      c->row->line);
    c->n = c->row->n;
    c->labels = xmalloc((c->n ? c->n : 1) * sizeof *c->labels);
    for (size_t i = 0; i < c->n; i++) {
        char buf[128];
        c->labels[i] = xstrdup(import_column_label(c, i, buf, sizeof buf));
    }
    c->field = xmalloc((c->n ? c->n : 1) * sizeof *c->field);
    c->label = xcalloc(c->n ? c->n : 1, sizeof *c->label);
    size_t first_col[IF_COUNT];
    for (int f = 0; f < IF_COUNT; f++)
        first_col[f] = SIZE_MAX;
    for (size_t i = 0; i < c->n; i++) {
        const struct csv_cell *cell = &c->row->cells[i];
        c->field[i] = field_of(cell->text, &c->label[i]);
        char where[128], other[128];
        if (c->field[i] == IF_NONE) {
            if (!str_blank(cell->text))
                csv_issue_add(issues, DIAG_WARNING, cell->line, cell->col,
                              "%s is not a column ragboard reads; it is ignored",
                              import_column_label(c, i, where, sizeof where));
            continue;
        }
        enum import_field f = c->field[i];
        if (first_col[f] == SIZE_MAX) {
            first_col[f] = i;
            continue;
        }
        if (joinable(f)) {
            /* Several columns feed this field: say which text came from which. */
            c->label[i] = true;
            c->label[first_col[f]] = true;
            continue;
        }
        csv_issue_add(issues, DIAG_ERROR, cell->line, cell->col,
                      "%s and %s both give the %s; keep one of them",
                      import_column_label(c, first_col[f], other, sizeof other),
                      import_column_label(c, i, where, sizeof where), import_field_name(f));
        c->field[i] = IF_NONE;
    }
    return 0;
}

void import_check_unheaded(struct import_columns *c, const struct csv_row *row,
                           struct csv_issues *issues)
{
    /* Data under no heading (often a stray note beside the table) is not read. */
    if (row->n > c->n_told) {
        c->told = xrealloc(c->told, row->n * sizeof *c->told);
        memset(c->told + c->n_told, 0, (row->n - c->n_told) * sizeof *c->told);
        c->n_told = row->n;
    }
    for (size_t col = 0; col < row->n; col++) {
        if (c->told[col] || (col < c->n && !str_blank(c->row->cells[col].text)) ||
            str_blank(row->cells[col].text))
            continue;
        c->told[col] = true;
        char letter[8];
        csv_issue_add(issues, DIAG_WARNING, row->cells[col].line, row->cells[col].col,
                      "column %s has text but no heading; it is ignored",
                      csv_column_name(col, letter));
    }
}

void import_columns_free(struct import_columns *c)
{
    for (size_t i = 0; i < c->heading.n; i++)
        free((char *)c->heading.cells[i].text);
    free((void *)c->heading.cells);
    for (size_t i = 0; c->labels && i < c->n; i++)
        free(c->labels[i]);
    free(c->labels);
    free(c->field);
    free(c->label);
    free(c->told);
    memset(c, 0, sizeof *c);
}

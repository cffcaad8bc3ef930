/* The cells of one imported row, checked and turned into values: text, dates, states,
 * ratings, percentages, agencies and progress updates. */
#include "import_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/datewords.h"
#include "ragboard/util.h"

/* Longest reference accepted. */
#define REF_MAX 40

char *import_one_line(const char *s)
{
    struct strbuf sb = {0};
    bool space = false;
    for (; *s; s++) {
        if (isspace((unsigned char)*s)) {
            space = sb.len > 0;
            continue;
        }
        if (space)
            sb_addc(&sb, ' ');
        space = false;
        sb_addc(&sb, *s);
    }
    return sb_take(&sb);
}

char *import_cell_text(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    if (s[0] == '\'' && s[1] && strchr("=+-@", s[1]))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    char *t = xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
            continue;
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] <= 0x9F) {
            i++; /* a C1 control */
            continue;
        }
        t[o++] = (char)c;
    }
    t[o] = '\0';
    return t;
}

/* ---- progress updates ---- */

/* "2026-01-05 alice (40%) [confidential]: text", the form exports write: fills u and
 * points *text at the text. False for any other line. */
static bool update_head(const char *line, struct import_update *u, const char **text)
{
    char day[11];
    if (strlen(line) < 13 || line[10] != ' ')
        return false;
    memcpy(day, line, 10);
    day[10] = '\0';
    rb_day d;
    if (!date_parse_iso(day, &d))
        return false;
    const char *head = line + 11, *colon = strstr(head, ": ");
    if (!colon) {
        size_t n = strlen(head);
        if (n == 0 || head[n - 1] != ':')
            return false;
        colon = head + n - 1;
    }
    size_t n = (size_t)(colon - head);
    char *h = xstrndup(head, n);
    bool conf = false;
    int progress = -1;
    static const char tag[] = " [confidential]";
    if (n >= sizeof tag - 1 && strcmp(h + n - (sizeof tag - 1), tag) == 0) {
        conf = true;
        n -= sizeof tag - 1;
        h[n] = '\0';
    }
    char *open = strrchr(h, '(');
    if (open && n >= 4 && h[n - 1] == ')' && h[n - 2] == '%' && open > h && open[-1] == ' ') {
        long v;
        char *num = xstrndup(open + 1, (size_t)(h + n - 2 - (open + 1)));
        bool ok = parse_int_strict(num, 0, 100, &v);
        free(num);
        if (ok) {
            progress = (int)v;
            n = (size_t)(open - 1 - h);
            h[n] = '\0';
        }
    }
    bool ok = n > 0 && !strchr(h, ':');
    if (ok) {
        u->date = d;
        u->author = h;
        u->progress = progress;
        u->confidential = conf;
        *text = colon[1] ? colon + 2 : colon + 1;
    } else {
        free(h);
    }
    return ok;
}

static struct import_update *new_update(struct import_row *row)
{
    row->updates = xrealloc(row->updates, (row->n_updates + 1) * sizeof *row->updates);
    struct import_update *u = &row->updates[row->n_updates++];
    *u = (struct import_update){.date = RB_NO_DATE, .progress = -1};
    return u;
}

/* A cell of updates as exports write them (one per line, each starting with its date
 * and author), or else one update of free text. */
static void read_updates(struct import_row *row, const char *text, bool plain)
{
    struct import_update head;
    const char *rest;
    char *first_nl = strchr(text, '\n');
    char *first = first_nl ? xstrndup(text, (size_t)(first_nl - text)) : xstrdup(text);
    bool dated = !plain && update_head(first, &head, &rest);
    free(first);
    if (!dated) {
        new_update(row)->text = xstrdup(text);
        return;
    }
    free(head.author);
    struct strbuf body = {0};
    struct import_update *cur = NULL;
    for (const char *p = text; p;) {
        const char *nl = strchr(p, '\n');
        char *line = nl ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
        p = nl ? nl + 1 : NULL;
        struct import_update u;
        if (update_head(line, &u, &rest)) {
            if (cur)
                cur->text = sb_take(&body);
            cur = new_update(row);
            *cur = u;
            sb_add(&body, rest);
        } else {
            sb_addc(&body, '\n');
            sb_add(&body, line);
        }
        free(line);
    }
    if (cur)
        cur->text = sb_take(&body);
    sb_free(&body);
    /* An update whose text is blank records nothing. */
    size_t keep = 0;
    for (size_t i = 0; i < row->n_updates; i++) {
        if (str_blank(row->updates[i].text)) {
            free(row->updates[i].author);
            free(row->updates[i].text);
        } else {
            row->updates[keep++] = row->updates[i];
        }
    }
    row->n_updates = keep;
}

/* ---- the row ---- */

static void add_status(struct import_row *row, const struct status_word *w,
                       const struct csv_cell *cell, const char *where,
                       struct csv_issues *issues)
{
    if (w->has_state) {
        if (row->has_state && row->state != w->state)
            csv_issue_add(issues, DIAG_ERROR, cell->line, cell->col,
                          "%s: \"%.40s\" says %s, but another column says %s", where,
                          cell->text, state_word(w->state), state_word(row->state));
        row->has_state = true;
        row->state = w->state;
    }
    if (w->has_rag) {
        if (row->has_rag && row->rag != w->rag)
            csv_issue_add(issues, DIAG_ERROR, cell->line, cell->col,
                          "%s: \"%.40s\" says %s, but another column says %s", where,
                          cell->text, rag_word(w->rag), rag_word(row->rag));
        row->has_rag = true;
        row->rag = w->rag;
    }
}

static void join(struct strbuf *sb, const struct import_columns *c, size_t col,
                 const char *text)
{
    if (sb->len)
        sb_add(sb, "\n\n");
    if (c->label[col]) {
        char *heading = import_one_line(c->row->cells[col].text);
        sb_addf(sb, "%s: ", heading);
        free(heading);
    }
    sb_add(sb, text);
}

bool import_row_read(const struct csv_row *row, const struct import_columns *c,
                     struct import_agencies *ag, struct import_row *out,
                     struct csv_issues *issues)
{
    if (csv_row_blank(row))
        return false;
    memset(out, 0, sizeof *out);
    out->line = row->line;
    out->strand = -1;
    out->progress = -1;
    out->confidential = -1;
    struct strbuf desc = {0}, upd = {0};
    bool upd_joined = false;
    for (size_t i = 0; i < row->n && i < c->n; i++) {
        enum import_field f = (enum import_field)c->field[i];
        if (f == IF_NONE)
            continue;
        const struct csv_cell *cell = &row->cells[i];
        if (!out->cell[f])
            out->cell[f] = cell;
        if (str_blank(cell->text))
            continue;
        out->cell[f] = cell;
        char why[RB_ERRLEN];
        const char *where = c->labels[i];
        char *text = import_cell_text(cell->text);
        struct status_word w;
        bool yes;
        switch (f) {
        case IF_REF:
            free(out->ref);
            out->ref = import_one_line(text);
            if (strlen(out->ref) > REF_MAX)
                csv_issue_add(issues, DIAG_ERROR, cell->line, cell->col,
                              "%s: a reference is at most %d characters (such as PV-3.1)",
                              where, REF_MAX);
            break;
        case IF_TITLE:
            out->title = import_one_line(text);
            break;
        case IF_DESCRIPTION:
            join(&desc, c, i, text);
            break;
        case IF_UPDATE:
            upd_joined = upd_joined || c->label[i];
            join(&upd, c, i, text);
            break;
        case IF_OWNER:
            out->owner = import_one_line(text);
            break;
        case IF_OBJECTIVE:
            out->objective = import_one_line(text);
            break;
        case IF_OBJECTIVE_TITLE:
            out->objective_title = import_one_line(text);
            break;
        case IF_RAG_REASON:
            out->rag_reason = import_one_line(text);
            break;
        case IF_STRAND: {
            char *s = import_one_line(text);
            out->strand = strand_index(s);
            if (out->strand < 0)
                csv_issue_add(issues, DIAG_ERROR, cell->line, cell->col,
                              "%s: \"%.40s\" is not a CONTEST strand (use Pursue, Protect, "
                              "Prepare or Prevent)",
                              where, s);
            free(s);
            break;
        }
        case IF_LEAD:
            import_agencies_match(ag, cell, where, &out->agencies, &out->n_agencies, issues);
            out->has_lead = out->n_agencies > 0;
            break;
        case IF_PARTNERS:
            import_agencies_match(ag, cell, where, &out->partners, &out->n_partners, issues);
            out->has_partners = out->n_partners > 0;
            break;
        case IF_START:
        case IF_DUE: {
            rb_day d = RB_NO_DATE;
            enum sheet_date k = date_parse_sheet(text, &d, why);
            if (k == SHEET_DATE_BAD) {
                csv_issue_add(issues, DIAG_ERROR, cell->line, cell->col, "%s: %s", where, why);
                break;
            }
            if (f == IF_START) {
                out->has_start = true;
                out->start = d;
            } else {
                out->has_due = true;
                out->due = d;
            }
            break;
        }
        case IF_PROGRESS:
            if (!progress_parse(text, &out->progress))
                csv_issue_add(issues, DIAG_ERROR, cell->line, cell->col,
                              "%s: \"%.40s\" is not a percentage from 0 to 100 (notes on "
                              "progress go in a column called Progress update)",
                              where, text);
            break;
        case IF_STATUS:
        case IF_RAG:
            if (status_word_parse(text, &w))
                add_status(out, &w, cell, where, issues);
            else
                csv_issue_add(issues, DIAG_ERROR, cell->line, cell->col,
                              "%s: \"%.40s\" is not a status or RAG rating (use Not started, "
                              "In progress, Complete, Cancelled, or Red, Amber, Green, "
                              "Blue)",
                              where, text);
            break;
        case IF_CONFIDENTIAL:
            if (yesno_parse(text, &yes))
                out->confidential = yes;
            else
                csv_issue_add(issues, DIAG_ERROR, cell->line, cell->col,
                              "%s: \"%.40s\" is not yes or no", where, text);
            break;
        case IF_NONE:
        case IF_COUNT:
            break;
        }
        free(text);
    }
    if (desc.len)
        out->description = sb_take(&desc);
    if (upd.len)
        read_updates(out, upd.buf, upd_joined);
    sb_free(&desc);
    sb_free(&upd);
    return true;
}

static void codes_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void import_row_free(struct import_row *row)
{
    free(row->ref);
    free(row->title);
    free(row->description);
    free(row->owner);
    free(row->objective);
    free(row->objective_title);
    free(row->rag_reason);
    codes_free(row->agencies, row->n_agencies);
    codes_free(row->partners, row->n_partners);
    for (size_t i = 0; i < row->n_updates; i++) {
        free(row->updates[i].author);
        free(row->updates[i].text);
    }
    free(row->updates);
    memset(row, 0, sizeof *row);
}

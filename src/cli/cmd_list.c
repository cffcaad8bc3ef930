/* ragboard list: the plan's actions as plain text, one a line, filtered and sorted as the
 * action list screen does it, for screen readers, grep and less. */
#include "cli/cli.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "ragboard/plan_list.h"
#include "ragboard/util.h"

enum list_format { LIST_TEXT, LIST_TSV };

static int usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "ragboard: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'ragboard --help' for more information.\n");
    return EXIT_USAGE;
}

/* ---- text by display cells, without control characters ---- */

/* Cells a character takes (1 for anything the locale cannot measure). */
static int cells(uint32_t cp)
{
    if (cp < 0x80)
        return 1;
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

/* Append s to sb as it may go to a terminal or a TSV cell: control characters (tabs and
 * line breaks too) become blanks and bytes that are not UTF-8 '?'. Returns its cells. */
static int put_clean(struct strbuf *sb, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    int width = 0;
    while (n > 0) {
        uint32_t cp;
        size_t len = utf8_decode(p, n, &cp);
        if (len == 0) {
            sb_addc(sb, '?');
            width++;
            len = 1;
        } else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
            sb_addc(sb, ' ');
            width++;
        } else {
            sb_addn(sb, (const char *)p, len);
            width += cells(cp);
        }
        p += len;
        n -= len;
    }
    return width;
}

/* Cells of s once cleaned. */
static int clean_width(const char *s)
{
    struct strbuf sb = {0};
    int w = put_clean(&sb, s);
    sb_free(&sb);
    return w;
}

/* Write s cleaned in at most max cells (max < 0: all of it), cut with '~' when it does
 * not fit; padded with blanks to pad cells. */
static void put_cell(FILE *out, const char *s, int max, int pad)
{
    struct strbuf sb = {0};
    int width = put_clean(&sb, s);
    const char *p = sb.buf ? sb.buf : "";
    if (max >= 0 && width > max) {
        /* Keep whole characters within max - 1 cells, then the cut mark. */
        size_t at = 0, n = sb.len;
        int used = 0;
        while (at < n) {
            uint32_t cp;
            size_t len = utf8_decode((const unsigned char *)p + at, n - at, &cp);
            if (len == 0 || used + cells(cp) > max - 1)
                break;
            used += cells(cp);
            at += len;
        }
        fwrite(p, 1, at, out);
        if (max > 0) {
            fputc('~', out);
            used++;
        }
        width = used;
    } else {
        fputs(p, out);
    }
    for (; width < pad; width++)
        fputc(' ', out);
    sb_free(&sb);
}

/* ---- the options ---- */

/* The ratings of every --rag (each a word or letter, or a comma list of them). */
static int parse_rags(const struct cli_opts *o, unsigned *mask)
{
    *mask = 0;
    for (int i = 0; i < o->n_rag; i++) {
        char *list = xstrdup(o->rag[i]);
        int rc = EXIT_OK;
        unsigned given = 0; /* by this --rag */
        for (char *save = NULL, *w = strtok_r(list, ", ", &save); w && rc == EXIT_OK;
             w = strtok_r(NULL, ", ", &save)) {
            enum rag r;
            if (str_ieq(w, "cancelled") || str_ieq(w, "canceled"))
                r = RAG_NONE;
            else if (!rag_parse(w, &r)) {
                rc = usage("unknown rating '%s' (use red, amber, green, complete or "
                           "cancelled, or R, A, G, C; several with commas)", w);
                break;
            }
            given |= 1u << r;
        }
        free(list);
        if (rc != EXIT_OK)
            return rc;
        *mask |= given;
        if (!given)
            return usage("%s", "--rag needs a rating: red, amber, green, complete or cancelled");
    }
    return EXIT_OK;
}

static int parse_sort(const char *s, enum list_sort *out)
{
    static const struct {
        const char *word;
        enum list_sort sort;
    } names[] = {
        {"reference", SORT_REF}, {"ref", SORT_REF},         {"due", SORT_DUE},
        {"rag", SORT_RAG},       {"agency", SORT_AGENCY},   {"lead", SORT_AGENCY},
        {"updated", SORT_UPDATED}, {"update", SORT_UPDATED},
    };
    *out = SORT_REF;
    if (!s)
        return EXIT_OK;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (str_ieq(s, names[i].word)) {
            *out = names[i].sort;
            return EXIT_OK;
        }
    return usage("unknown sort order '%s' (use reference, due, rag, agency or updated)", s);
}

/* --state: a state as stored or as shown, with '-' or ' ' for '_' (in-progress). */
static int parse_state(const char *s, int *out)
{
    *out = -1;
    if (!s)
        return EXIT_OK;
    char *w = xstrdup(s);
    for (char *p = w; *p; p++)
        if (*p == '-' || *p == ' ')
            *p = '_';
    enum action_state st;
    bool ok = state_parse(w, &st) || state_parse(s, &st);
    free(w);
    if (!ok)
        return usage("unknown state '%s' (use not-started, in-progress, complete or "
                     "cancelled)", s);
    *out = (int)st;
    return EXIT_OK;
}

/* The code of the agency named by s (its code or its name, any case), into *code (caller
 * frees); a message listing the codes when there is none. */
static int find_agency(struct store *st, const char *option, const char *s, char **code)
{
    struct agency *ag;
    size_t n;
    char err[RB_ERRLEN];
    if (store_agencies(st, &ag, &n, err) != 0) {
        fprintf(stderr, "ragboard: %s\n", err);
        return EXIT_PROBLEMS;
    }
    *code = NULL;
    for (size_t i = 0; i < n && !*code; i++)
        if (str_ieq(s, ag[i].code) || str_ieq(s, ag[i].name))
            *code = xstrdup(ag[i].code);
    int rc = EXIT_OK;
    if (!*code) {
        struct strbuf codes = {0};
        for (size_t i = 0; i < n; i++)
            sb_addf(&codes, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", ag[i].code);
        fprintf(stderr, "ragboard: unknown agency '%s' for %s (use %s, or the agency's "
                        "name)\nTry 'ragboard --help' for more information.\n",
                s, option, codes.len ? codes.buf : "an agency code");
        sb_free(&codes);
        rc = EXIT_USAGE;
    }
    agencies_free(ag, n);
    return rc;
}

/* Columns a title may take on the terminal: $COLUMNS, else the terminal's own width;
 * -1 (no limit) when standard output is not a terminal. */
static int terminal_width(void)
{
    if (!isatty(STDOUT_FILENO))
        return -1;
    long cols;
    const char *env = getenv("COLUMNS");
    if (env && parse_int_strict(env, 1, 10000, &cols))
        return (int)cols;
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

/* ---- the rows ---- */

struct listing {
    enum list_format format;
    bool include_confidential; /* show confidential actions, marked */
    bool present;              /* show them, title masked, as presenter mode does */
};

static bool shown(const struct listing *x, const struct list_row *r)
{
    return !r->confidential || x->include_confidential || x->present;
}

/* The title as this listing shows it; *marked when "[confidential] " goes before it. */
static const char *title_of(const struct listing *x, const struct list_row *r, bool *marked)
{
    *marked = r->confidential && !x->present;
    return r->confidential && x->present ? "[confidential]" : r->title;
}

static void due_text(const struct list_row *r, bool iso, char *buf, size_t n)
{
    char date[RB_DATE_BUF];
    if (r->due == RB_NO_DATE)
        snprintf(buf, n, "%s", iso ? "" : "ongoing");
    else if (iso)
        snprintf(buf, n, "%s", date_format_iso(r->due, date));
    else
        snprintf(buf, n, "%s%s", date_format_uk(r->due, date), r->overdue ? " overdue" : "");
}

static void write_tsv(const struct listing *x, struct plan_list *l, FILE *out)
{
    fputs("ref\trag\tdue\toverdue\tprogress\tlead\tstrand\tstate\tlast_update\tconfidential"
          "\ttitle\n",
          out);
    for (size_t i = 0; i < l->n; i++) {
        const struct list_row *r = plan_list_row(l, i);
        if (!shown(x, r))
            continue;
        char due[32], upd[RB_DATE_BUF];
        due_text(r, true, due, sizeof due);
        int si = strand_index(r->strand);
        bool marked;
        const char *title = title_of(x, r, &marked);
        put_cell(out, r->ref, -1, 0);
        fprintf(out, "\t%s\t%s\t%s\t%d\t", rag_word(r->rag), due, r->overdue ? "yes" : "no",
                r->progress);
        put_cell(out, r->lead, -1, 0);
        fprintf(out, "\t%s\t%s\t%s\t%s\t", si >= 0 ? strands[si].name : r->strand,
                state_code(r->state), date_format_iso(r->last_update, upd),
                r->confidential ? "yes" : "no");
        put_cell(out, title, -1, 0);
        fputc('\n', out);
    }
}

/* Aligned columns: Ref, RAG, Due, Done, Lead, Title; the title fits the terminal. */
static void write_text(const struct listing *x, struct plan_list *l, FILE *out)
{
    int w_ref = 3, w_rag = 3, w_due = 3, w_lead = 4;
    char due[32];
    for (size_t i = 0; i < l->n; i++) {
        const struct list_row *r = plan_list_row(l, i);
        if (!shown(x, r))
            continue;
        int w;
        if ((w = clean_width(r->ref)) > w_ref)
            w_ref = w;
        if ((w = (int)strlen(rag_word(r->rag))) > w_rag)
            w_rag = w;
        due_text(r, false, due, sizeof due);
        if ((w = (int)strlen(due)) > w_due)
            w_due = w;
        if ((w = clean_width(r->lead)) > w_lead)
            w_lead = w;
    }
    int cols = terminal_width();
    int fixed = w_ref + 2 + w_rag + 2 + w_due + 2 + 4 + 2 + w_lead + 2;
    int w_title = cols < 0 ? -1 : cols - fixed > 12 ? cols - fixed : 12;
    put_cell(out, "Ref", -1, w_ref + 2);
    put_cell(out, "RAG", -1, w_rag + 2);
    put_cell(out, "Due", -1, w_due + 2);
    put_cell(out, "Done", -1, 4 + 2);
    put_cell(out, "Lead", -1, w_lead + 2);
    fputs("Title\n", out);
    for (size_t i = 0; i < l->n; i++) {
        const struct list_row *r = plan_list_row(l, i);
        if (!shown(x, r))
            continue;
        put_cell(out, r->ref, -1, w_ref + 2);
        put_cell(out, rag_word(r->rag), -1, w_rag + 2);
        due_text(r, false, due, sizeof due);
        put_cell(out, due, -1, w_due + 2);
        fprintf(out, "%3d%%  ", r->progress);
        put_cell(out, r->lead, -1, w_lead + 2);
        bool marked;
        const char *title = title_of(x, r, &marked);
        if (marked) {
            char *t = xasprintf("[confidential] %s", title);
            put_cell(out, t, w_title, 0);
            free(t);
        } else {
            put_cell(out, title, w_title, 0);
        }
        fputc('\n', out);
    }
}

/* "1 confidential action is not shown (--include-confidential shows it)." */
static void hidden_note(struct strbuf *sb, size_t hidden)
{
    sb_addf(sb, "%zu confidential action%s not shown (--include-confidential shows %s).",
            hidden, hidden == 1 ? " is" : "s are", hidden == 1 ? "it" : "them");
}

int cmd_list(const struct cli_opts *o)
{
    struct listing x = {LIST_TEXT, o->include_confidential, o->present};
    if (o->format && (str_ieq(o->format, "tsv")))
        x.format = LIST_TSV;
    else if (o->format && !str_ieq(o->format, "text") && !str_ieq(o->format, "txt"))
        return usage("the list cannot be written as '%s' (use text or tsv)", o->format);
    struct list_query q = {.state = -1};
    int rc;
    if ((rc = parse_sort(o->sort, &q.sort)) != EXIT_OK ||
        (rc = parse_rags(o, &q.rag_mask)) != EXIT_OK ||
        (rc = parse_state(o->state, &q.state)) != EXIT_OK)
        return rc;
    if (o->strand && strand_index(o->strand) < 0)
        return usage("unknown strand '%s' (use Pursue, Protect, Prepare or Prevent)",
                     o->strand);
    q.strand = o->strand;
    q.overdue_only = o->overdue;
    q.search = o->search;
    /* Without confidential actions, a search must not find them by their text either
     * (nor find others by their confidential updates), as in presenter mode. */
    q.hide_confidential_text = !x.include_confidential || x.present;

    struct config cfg;
    struct store *st;
    if ((rc = cli_open_plan(o, &cfg, &st)) != EXIT_OK)
        return rc;
    char err[RB_ERRLEN];
    char *agency = NULL, *lead = NULL;
    if (o->agency)
        rc = find_agency(st, "--agency", o->agency, &agency);
    if (rc == EXIT_OK && o->lead)
        rc = find_agency(st, "--lead", o->lead, &lead);
    q.agency = agency;
    q.lead = lead;
    struct plan_list l = {0};
    /* Every id read at once; a change by another program between the parts of a read
     * starts it again. */
    int more = 1;
    for (int tries = 0; rc == EXIT_OK && more == 1 && tries < 5; tries++) {
        if (plan_list_load(st, &q, &cfg.rag, date_today(), &l, err) != 0)
            more = -1;
        else
            more = plan_list_more(&l, SIZE_MAX, err);
    }
    if (rc == EXIT_OK && more != 0) {
        if (more == 1)
            snprintf(err, RB_ERRLEN, "the plan kept changing while it was read; try again");
        fprintf(stderr, "ragboard: %s\n", err);
        rc = EXIT_PROBLEMS;
    }
    if (rc == EXIT_OK) {
        size_t hidden = 0;
        for (size_t i = 0; i < l.n; i++)
            hidden += !shown(&x, plan_list_row(&l, i));
        size_t n = l.n - hidden;
        struct strbuf note = {0};
        if (hidden)
            hidden_note(&note, hidden);
        if (x.format == LIST_TSV) {
            write_tsv(&x, &l, stdout);
            if (hidden) /* standard output stays one header and one line an action */
                fprintf(stderr, "ragboard: %s\n", note.buf);
        } else {
            if (n)
                write_text(&x, &l, stdout);
            if (n == 0)
                printf("No action matches.\n");
            else
                printf("\n%zu action%s.\n", n, n == 1 ? "" : "s");
            if (hidden)
                printf("%s\n", note.buf);
        }
        sb_free(&note);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            perror("ragboard: standard output");
            rc = EXIT_PROBLEMS;
        }
    }
    plan_list_free(&l);
    free(agency);
    free(lead);
    store_close(st);
    config_free(&cfg);
    return rc;
}

/* Export of the plan as Markdown: by strand and objective, ratings in words, plain
 * enough to read as text and safe to render (user text cannot become markup). */
#include "export_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/edit.h"
#include "ragboard/util.h"

/* Text that Markdown would read as markup, escaped. Line breaks become cont (a line
 * break and the indentation that keeps the next line in its list item or paragraph);
 * line starts are escaped where they would begin a heading, quote, list or rule. */
static void md_text(struct strbuf *sb, const char *s, const char *cont)
{
    bool line_start = true;
    for (const char *p = s ? s : ""; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\r')
            continue;
        if (c == '\n') {
            sb_add(sb, cont);
            line_start = true;
            continue;
        }
        if (line_start) {
            const char *q = p;
            while (isdigit((unsigned char)*q))
                q++;
            if (strchr("#>-+=", c) || (q > p && (*q == '.' || *q == ')'))) {
                sb_addn(sb, p, (size_t)(q - p));
                if (q > p)
                    p = q;
                sb_addc(sb, '\\');
                sb_addc(sb, *p);
                line_start = false;
                continue;
            }
        }
        line_start = c == ' ' && line_start;
        if (strchr("\\`*_[]<>|~", c) && c)
            sb_addc(sb, '\\');
        else if (c == '&' && (isalnum((unsigned char)p[1]) || p[1] == '#'))
            sb_addc(sb, '\\');
        else if (c < 0x20 && c != '\t')
            c = ' ';
        sb_addc(sb, (char)c);
    }
}

/* Actions rendered so far, one buffer per objective, in the order first seen. */
struct md_group {
    char *objective; /* reference, or NULL for actions under no objective */
    struct strbuf text;
};

struct md_strand {
    struct md_group *groups;
    size_t n;
    int counts[RAG_COUNT];
    int actions;
};

struct md_ctx {
    struct export_ctx *x;
    struct md_strand strand[STRAND_COUNT];
};

static struct strbuf *md_group(struct md_strand *s, const char *objective)
{
    for (size_t i = 0; i < s->n; i++)
        if ((!objective && !s->groups[i].objective) ||
            (objective && s->groups[i].objective && strcmp(objective, s->groups[i].objective) == 0))
            return &s->groups[i].text;
    s->groups = xrealloc(s->groups, (s->n + 1) * sizeof *s->groups);
    s->groups[s->n] = (struct md_group){xstrdup(objective), {0}};
    return &s->groups[s->n++].text;
}

struct md_updates {
    const struct export_ctx *x;
    struct strbuf *sb;
    int n;
};

static int md_update(const struct progress_update *u, void *p)
{
    struct md_updates *mu = p;
    if (!export_shows_update(mu->x, u))
        return 0;
    char date[RB_DATE_BUF];
    struct strbuf *sb = mu->sb;
    sb_add(sb, mu->n++ ? "" : "\nUpdates:\n\n");
    sb_addf(sb, "- %s, ", date_format_uk(u->date, date));
    md_text(sb, u->author, " ");
    if (u->progress >= 0)
        sb_addf(sb, ", %d%%", u->progress);
    if (u->confidential)
        sb_add(sb, " (confidential)");
    sb_add(sb, ": ");
    md_text(sb, u->text, "\n  ");
    sb_addc(sb, '\n');
    return 0;
}

static int md_action(const struct action *a, void *p)
{
    struct md_ctx *c = p;
    struct export_ctx *x = c->x;
    if (!export_shows_action(x, a))
        return 0;
    int si = strand_index(a->strand);
    struct md_strand *s = &c->strand[si < 0 ? 0 : si];
    s->counts[a->rag.rag]++;
    s->actions++;
    struct strbuf *sb = md_group(s, a->objective_ref);
    char d1[RB_DATE_BUF], d2[RB_DATE_BUF];
    sb_add(sb, "\n#### ");
    md_text(sb, a->ref, " ");
    sb_add(sb, " ");
    md_text(sb, a->title, " ");
    sb_add(sb, "\n\n");
    sb_addf(sb, "- RAG: **%s**", rag_word(a->rag.rag));
    if (a->rag.reason[0]) {
        sb_add(sb, ": ");
        md_text(sb, a->rag.reason, " ");
    }
    sb_add(sb, "\n- Lead: ");
    md_text(sb, str_blank(a->lead) ? "none" : a->lead, " ");
    if (!str_blank(a->owner)) {
        sb_add(sb, ", ");
        md_text(sb, a->owner, " ");
    }
    if (!str_blank(a->partners)) {
        sb_add(sb, "\n- Partners: ");
        md_text(sb, a->partners, " ");
    }
    sb_addf(sb, "\n- State: %s, %d%% done", state_word(a->state), a->progress);
    if (a->start != RB_NO_DATE)
        sb_addf(sb, "; start %s", date_format_uk(a->start, d1));
    sb_addf(sb, "; due %s", a->due == RB_NO_DATE ? "ongoing" : date_format_uk(a->due, d2));
    if (a->confidential)
        sb_add(sb, "\n- Confidential");
    sb_addc(sb, '\n');
    if (!str_blank(a->description)) {
        sb_addc(sb, '\n');
        md_text(sb, a->description, "\n");
        sb_addc(sb, '\n');
    }
    struct md_updates mu = {x, sb, 0};
    return store_updates_each(x->st, a->id, md_update, &mu, x->err);
}

static void md_strand_free(struct md_strand *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->groups[i].objective);
        sb_free(&s->groups[i].text);
    }
    free(s->groups);
}

/* Print the buffered group of one objective (taking it out of the list). */
static void md_put_group(FILE *f, struct md_group *g)
{
    if (g->text.buf)
        fputs(g->text.buf, f);
    sb_free(&g->text);
}

static int md_strand_out(struct md_ctx *c, int si)
{
    struct export_ctx *x = c->x;
    struct md_strand *s = &c->strand[si];
    FILE *f = x->out;
    struct strbuf sb = {0};
    sb_addf(&sb, "\n## %s\n\n%s.\n", strands[si].name, strands[si].aim);
    if (s->actions == 0)
        sb_add(&sb, "\nNo actions.\n");
    fputs(sb.buf, f);
    sb_free(&sb);
    if (s->actions == 0)
        return 0;
    struct objective *obj;
    size_t n;
    if (store_objectives(x->st, strands[si].code, &obj, &n, x->err) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < s->n; k++) {
            struct md_group *g = &s->groups[k];
            if (!g->objective || strcmp(g->objective, obj[i].ref) != 0 || !g->text.buf)
                continue;
            struct strbuf h = {0};
            sb_add(&h, "\n### ");
            md_text(&h, obj[i].ref, " ");
            sb_add(&h, " ");
            md_text(&h, obj[i].title, " ");
            sb_addc(&h, '\n');
            fputs(h.buf, f);
            sb_free(&h);
            md_put_group(f, g);
        }
    }
    objectives_free(obj, n);
    bool other = false;
    for (size_t k = 0; k < s->n; k++) {
        if (!s->groups[k].text.buf)
            continue;
        if (!other)
            fputs("\n### Other actions\n", f);
        other = true;
        md_put_group(f, &s->groups[k]);
    }
    return 0;
}

int export_markdown(struct export_ctx *x)
{
    FILE *f = x->out;
    struct partnership part;
    if (store_partnership(x->st, &part, x->err) != 0)
        return -1;
    struct md_ctx c = {.x = x};
    int rc = store_actions_each(x->st, x->o->query, x->t, x->today, md_action, &c, x->err);
    struct strbuf sb = {0};
    char today[RB_DATE_BUF];
    if (rc == 0) {
        sb_add(&sb, "# ");
        md_text(&sb, str_blank(part.plan_title) ? "Action plan" : part.plan_title, " ");
        sb_add(&sb, "\n\n");
        if (!str_blank(part.name)) {
            md_text(&sb, part.name, " ");
            sb_add(&sb, ". ");
        }
        sb_addf(&sb, "As of %s. National threat level: %s.\n", date_format_uk(x->today, today),
                threat_word(part.threat));
        const struct action_query *q = x->o->query;
        if (q && q->agency) {
            sb_add(&sb, "\nActions led or supported by ");
            md_text(&sb, q->agency, " ");
            sb_add(&sb, " only.\n");
        }
        sb_add(&sb, x->o->include_confidential
                        ? "\nThis export includes confidential actions and updates: handle it "
                          "as you would the plan.\n"
                        : "\nConfidential actions and updates are left out.\n");
        sb_add(&sb, "\n| Strand | Red | Amber | Green | Complete | Cancelled | Actions |\n"
                    "|---|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < STRAND_COUNT; i++) {
            const int *n = c.strand[i].counts;
            sb_addf(&sb, "| %s | %d | %d | %d | %d | %d | %d |\n", strands[i].name, n[RAG_RED],
                    n[RAG_AMBER], n[RAG_GREEN], n[RAG_COMPLETE], n[RAG_NONE],
                    c.strand[i].actions);
        }
        fputs(sb.buf, f);
    }
    sb_free(&sb);
    int only = x->o->query && x->o->query->strand ? strand_index(x->o->query->strand) : -1;
    for (int i = 0; rc == 0 && i < STRAND_COUNT; i++)
        if (only < 0 || only == i)
            rc = md_strand_out(&c, i);
    for (int i = 0; i < STRAND_COUNT; i++)
        md_strand_free(&c.strand[i]);
    partnership_free(&part);
    return rc;
}

/* RAG counts per strand and per agency, for the board. */
#include "store_internal.h"

#include <string.h>

struct count_ctx {
    struct rag_counts *out;
    const struct agency *agencies;
    size_t n_agencies;
    rb_day today;
    int stale_days;
};

static void tally(struct rag_counts *c, const struct action *a, rb_day today)
{
    if (a->rag.rag == RAG_NONE)
        return;
    c->n[a->rag.rag]++;
    if (a->rag.rag == RAG_COMPLETE)
        return;
    c->overdue += a->rag.overdue;
    c->stale += a->rag.stale;
    if (a->due != RB_NO_DATE && a->due >= today &&
        (c->next_due == RB_NO_DATE || a->due < c->next_due))
        c->next_due = a->due;
}

static void counts_clear(struct rag_counts *c, size_t n)
{
    memset(c, 0, n * sizeof *c);
    for (size_t i = 0; i < n; i++)
        c[i].next_due = RB_NO_DATE;
}

static int by_strand(const struct action *a, void *p)
{
    struct count_ctx *ctx = p;
    int i = strand_index(a->strand);
    if (i >= 0)
        tally(&ctx->out[i], a, ctx->today);
    return 0;
}

int store_count_strands(struct store *st, const struct rag_thresholds *t, rb_day today,
                        struct rag_counts out[STRAND_COUNT], char *err)
{
    counts_clear(out, STRAND_COUNT);
    struct count_ctx ctx = {.out = out, .today = today};
    return store_actions_each(st, NULL, t, today, by_strand, &ctx, err);
}

static int by_agency(const struct action *a, void *p)
{
    struct count_ctx *ctx = p;
    if (!a->lead)
        return 0;
    for (size_t i = 0; i < ctx->n_agencies; i++) {
        if (strcmp(ctx->agencies[i].code, a->lead) == 0) {
            tally(&ctx->out[i], a, ctx->today);
            break;
        }
    }
    return 0;
}

int store_count_agencies(struct store *st, const struct rag_thresholds *t, rb_day today,
                         const struct agency *agencies, size_t n, struct rag_counts *out,
                         char *err)
{
    counts_clear(out, n);
    struct count_ctx ctx = {.out = out, .agencies = agencies, .n_agencies = n, .today = today};
    return store_actions_each(st, NULL, t, today, by_agency, &ctx, err);
}

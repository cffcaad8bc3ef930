/* RAG counts per strand and per agency, for the board and the reports: read from the
 * running totals of the RAG index (rag_index.c), never by rating every action. */
#include "store_internal.h"

#include <string.h>

#include "ragboard/rag_index.h"

static void counts_clear(struct rag_counts *c, size_t n)
{
    memset(c, 0, n * sizeof *c);
    for (size_t i = 0; i < n; i++)
        c[i].next_due = RB_NO_DATE;
}

/* Add a row of (rating, count, overdue, stale) to c; cancelled actions count nowhere. */
static void tally(struct rag_counts *c, sqlite3_stmt *s, int col)
{
    int rag = sqlite3_column_int(s, col);
    if (rag < 0 || rag >= RAG_COUNT || rag == RAG_NONE)
        return;
    c->n[rag] += sqlite3_column_int(s, col + 1);
    if (rag == RAG_COMPLETE)
        return;
    c->overdue += sqlite3_column_int(s, col + 2);
    c->stale += sqlite3_column_int(s, col + 3);
}

/* The earliest due date from today on among the live actions that key selects (the
 * statement's ?1, bound by the caller), or RB_NO_DATE; one index seek per rating. */
static rb_day next_due(sqlite3_stmt *s, rb_day today)
{
    rb_day best = RB_NO_DATE;
    for (int rag = RAG_RED; rag <= RAG_GREEN; rag++) {
        sqlite3_reset(s);
        sqlite3_bind_int(s, 2, rag);
        sqlite3_bind_int(s, 3, today);
        if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
            rb_day d = sqlite3_column_int(s, 0);
            if (best == RB_NO_DATE || d < best)
                best = d;
        }
    }
    return best;
}

int store_count_strands(struct store *st, const struct rag_thresholds *t, rb_day today,
                        struct rag_counts out[STRAND_COUNT], char *err)
{
    counts_clear(out, STRAND_COUNT);
    if (rag_index_refresh(st, t, today, err) != 0)
        return -1;
    sqlite3_stmt *s;
    if (store_prepare(st, "SELECT strand, rag, sum(n), sum(overdue), sum(stale) FROM rag_totals"
                          " GROUP BY strand, rag", &s, err) != 0)
        return -1;
    while (sqlite3_step(s) == SQLITE_ROW) {
        int i = sqlite3_column_int(s, 0);
        if (i >= 0 && i < STRAND_COUNT)
            tally(&out[i], s, 1);
    }
    sqlite3_finalize(s);
    if (store_prepare(st, "SELECT min(due_key) FROM rag_index WHERE strand = ?1 AND rag = ?2"
                          " AND due_key >= ?3 AND due_key < 2147483647", &s, err) != 0)
        return -1;
    for (int i = 0; i < STRAND_COUNT; i++) {
        sqlite3_reset(s);
        sqlite3_bind_int(s, 1, i);
        out[i].next_due = next_due(s, today);
    }
    sqlite3_finalize(s);
    return 0;
}

int store_count_agencies(struct store *st, const struct rag_thresholds *t, rb_day today,
                         const struct agency *agencies, size_t n, struct rag_counts *out,
                         char *err)
{
    counts_clear(out, n);
    if (rag_index_refresh(st, t, today, err) != 0)
        return -1;
    sqlite3_stmt *s;
    if (store_prepare(st, "SELECT lead, rag, sum(n), sum(overdue), sum(stale) FROM rag_totals"
                          " WHERE lead <> '' GROUP BY lead, rag", &s, err) != 0)
        return -1;
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *lead = (const char *)sqlite3_column_text(s, 0);
        for (size_t i = 0; lead && i < n; i++) {
            if (strcmp(agencies[i].code, lead) == 0) {
                tally(&out[i], s, 1);
                break;
            }
        }
    }
    sqlite3_finalize(s);
    if (store_prepare(st, "SELECT min(due_key) FROM rag_index WHERE lead = ?1 AND rag = ?2"
                          " AND due_key >= ?3 AND due_key < 2147483647", &s, err) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, agencies[i].code, -1, SQLITE_TRANSIENT);
        out[i].next_due = next_due(s, today);
    }
    sqlite3_finalize(s);
    return 0;
}

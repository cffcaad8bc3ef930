/* The RAG index: every action's rating kept in the database with the days it holds for,
 * and running totals per strand, lead agency and rating, so that the board and the
 * lists cost what they show rather than the size of the plan. */
#ifndef RAGBOARD_RAG_INDEX_H
#define RAGBOARD_RAG_INDEX_H

#include "ragboard/meeting.h"
#include "ragboard/store.h"

/* Bring the index up to date for these thresholds and this day: the actions changed
 * since (marked by triggers in the same transaction as the change), and those whose
 * rating window (rag_window) today has left, are rated again; new thresholds or a newly
 * closed meeting rebuild it all. Writes only when something is out of date (joining the
 * caller's transaction if one is open); a read-only store keeps its own copy in the
 * connection's temporary database when the file's is out of date. Called by the
 * counts and the list before they read; returns 0 or -1 with err. */
int rag_index_refresh(struct store *st, const struct rag_thresholds *t, rb_day today,
                      char *err);

/* The index's revision (one more each time ratings change) and the oldest revision a
 * list may have been loaded at and still catch up from, row by row. 0 or -1. */
int rag_index_revision(struct store *st, int64_t *rev, int64_t *oldest);

/* Direction of travel counts per strand since the last closed meeting, from the index
 * (what since_count_strands returns). */
int rag_index_since_counts(struct store *st, const struct rag_thresholds *t, rb_day today,
                           struct since_counts out[STRAND_COUNT], rb_day *baseline, char *err);

/* A key whose byte order (memcmp, shorter first) is the natural order of references
 * (store_ref_cmp: PV-3.2 before PV-3.10, ties in plain byte order). Appends to sb. */
void rag_index_ref_key(const char *ref, struct strbuf *sb);

#endif

/* Minutes and reports: minutes of a meeting, the exception report of Red actions, and the
 * highlight report for the board above. Written as Markdown, plain text or CSV. */
#ifndef RAGBOARD_REPORT_H
#define RAGBOARD_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "ragboard/store.h"

enum report_format { REPORT_MD, REPORT_TEXT, REPORT_CSV };
/* "md" (or "markdown"), "text" (or "txt"), "csv" */
bool report_format_parse(const char *s, enum report_format *out);

struct report_opts {
    enum report_format format;
    bool include_confidential; /* otherwise confidential actions and updates never appear */
    const struct rag_thresholds *rag;
    rb_day today;
};

/* Minutes of one meeting: title, date, chair; attendance and apologies; each item
 * discussed with its update, RAG change and decision; new actions with lead and due date;
 * standing items; summary counts. Markdown or text (CSV is refused with a message). */
int report_minutes(struct store *st, int64_t meeting, const struct report_opts *o, FILE *out,
                   char *err);

/* Close a meeting (meeting_close) and keep its minutes with it, written as they stand at
 * the close: Markdown, confidential items included (the partnership's own record; what
 * is circulated is rendered again with report_minutes). One transaction, or part of the
 * caller's. */
int report_close_meeting(struct store *st, int64_t meeting, const struct rag_thresholds *t,
                         rb_day today, char *err);

/* Every Red action with its reason, lead, and the corrective action or decision recorded
 * for it (the newest decision minute, if any). Markdown, text or CSV. */
int report_exceptions(struct store *st, const struct report_opts *o, FILE *out, char *err);

/* One page for the board above: counts per strand and per agency, direction of travel
 * since the last closed meeting, overdue and stale lists. Markdown or text. */
int report_highlight(struct store *st, const struct report_opts *o, FILE *out, char *err);

#endif

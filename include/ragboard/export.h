/* Writing the plan out: JSON (tools), CSV (spreadsheets), Markdown (reading) and
 * iCalendar (deadlines in Outlook or Thunderbird). */
#ifndef RAGBOARD_EXPORT_H
#define RAGBOARD_EXPORT_H

#include <stdio.h>

#include "ragboard/store.h"

enum export_format {
    EXPORT_JSON,
    EXPORT_CSV,
    EXPORT_MARKDOWN,
    EXPORT_ICALENDAR,        /* deadlines as to-dos (VTODO) */
    EXPORT_ICALENDAR_EVENTS, /* deadlines as all-day events (VEVENT): what Outlook imports */
};

/* "json", "csv", "md" (or "markdown"), "ics" (or "ical", "icalendar"), "ics-events";
 * case-insensitive. */
bool export_format_parse(const char *s, enum export_format *out);

struct export_options {
    const struct action_query *query; /* which actions (NULL: all) */
    bool include_confidential;        /* else confidential actions are left out entirely,
                                       * and so are confidential updates and the minutes
                                       * about confidential actions */
};

/* Write the actions o selects to out, rated as of today, in one read transaction.
 * JSON: partnership, strands, agencies, actions with their updates, and meetings with
 * attendance and minute entries. CSV: UTF-8 with a byte-order mark, CRLF, one row per
 * action (header: ref,title,description,strand,objective,objective_title,lead,owner,
 * partners,start,due,progress,state,rag,rag_reason,confidential,updates); cells a
 * spreadsheet would run as a formula start with '. Markdown: the plan by strand and
 * objective, RAG in words.
 * iCalendar (RFC 5545): one VTODO per open action with a due date, UID "<id>@ragboard";
 * or, as events, one all-day VEVENT on its due date, UID "<id>-due@ragboard". */
int export_write(struct store *st, const struct export_options *o, const struct rag_thresholds *t,
                 rb_day today, enum export_format fmt, FILE *out, char *err);

/* export_write of the actions q selects (NULL: all), confidential content included. */
int export_plan(struct store *st, const struct action_query *q, const struct rag_thresholds *t,
                rb_day today, enum export_format fmt, FILE *out, char *err);

#endif

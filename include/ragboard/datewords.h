/* What people type in spreadsheet cells for dates, ratings, states, percentages and
 * yes/no, read into ragboard's values. Pure: no I/O, no clock. */
#ifndef RAGBOARD_DATEWORDS_H
#define RAGBOARD_DATEWORDS_H

#include <stdbool.h>

#include "ragboard/date.h"
#include "ragboard/rag.h"

enum sheet_date {
    SHEET_DATE_DAY,  /* a calendar date: *out is set */
    SHEET_DATE_NONE, /* blank, "Ongoing", "TBC", "Quarterly", ...: no due date */
    SHEET_DATE_BAD,  /* anything else: why says what is wrong */
};

/* Read a date as spreadsheets hold it (UK order, day first):
 *   2026-03-31, 31/03/2026, 31.03.2026, 31-03-2026, 1/4/26 (a time such as 00:00 after
 *   a numeric date is ignored); 31 March 2026, 31st Mar 2026, 31-Mar-26, Tuesday 31
 *   March 2026, March 31, 2026; March 2026, Mar-26, end of March 2026 (the last day of
 *   that month); Q3 2025/26, Q3 FY25/26, 2025/26 Q3 (the last day of that quarter of
 *   the UK financial year, April to March: Q3 2025/26 is 31/12/2025); blank, Ongoing,
 *   TBC, TBA, Quarterly, Monthly, Annually, N/A (no date).
 * Two-digit years are 2000-2099. why (RB_ERRLEN bytes, may be NULL) explains a bad one. */
enum sheet_date date_parse_sheet(const char *s, rb_day *out, char *why);

/* A cell of a status or RAG column: a state, a rating, or both. */
struct status_word {
    bool has_state;
    enum action_state state;
    bool has_rag;
    enum rag rag; /* RAG_RED, RAG_AMBER or RAG_GREEN */
};

/* Red, Amber, Green, R, A, G, On track (Green), At risk (Amber), Off track (Red);
 * Blue, B, C, Complete, Completed, Done, Closed (complete); Not started; In progress,
 * Started, Ongoing; Cancelled; and the stored codes (not_started, in_progress, ...).
 * Case, spaces and punctuation do not matter; "Green - on track" and "Complete (Blue)"
 * combine words that agree. False for anything else, or for words that disagree. */
bool status_word_parse(const char *s, struct status_word *out);

/* A percentage 0-100: "40", "40%", "40.5 %" (rounded), or a fraction "0.4". */
bool progress_parse(const char *s, int *pct);

/* Yes, No, Y, N, True, False, 1, 0, X (yes), any case. */
bool yesno_parse(const char *s, bool *out);

#endif

/* RAG rules: rate an action Red, Amber, Green or Complete, with the reason in words. */
#ifndef RAGBOARD_RAG_H
#define RAGBOARD_RAG_H

#include <stdbool.h>

#include "ragboard/date.h"

/* Ratings in order of severity for sorting (most severe first). RAG_NONE is a
 * cancelled action: shown as "-" and left out of every count. */
enum rag { RAG_RED, RAG_AMBER, RAG_GREEN, RAG_COMPLETE, RAG_NONE };
#define RAG_COUNT 5

enum action_state { STATE_NOT_STARTED, STATE_IN_PROGRESS, STATE_COMPLETE, STATE_CANCELLED };
#define STATE_COUNT 4

/* Thresholds from the [rag] section of the INI. */
struct rag_thresholds {
    int red_overdue_days; /* Red when overdue by more than this many days */
    int red_lag_pct;      /* Red when behind the straight line by more than this */
    int amber_due_days;   /* Amber when due within this many days */
    int amber_lag_pct;    /* Amber when behind by more than this */
    int stale_days;       /* Amber when no progress update for this many days */
};

/* Defaults, the same as the shipped config/ragboard.ini. */
extern const struct rag_thresholds rag_default_thresholds;

/* What the rules look at. Dates are RB_NO_DATE when unknown. Times are UTC ISO 8601
 * strings, compared as text; NULL when absent. */
struct rag_input {
    enum action_state state;
    int progress;                /* 0..100 */
    rb_day start;                /* start date, or RB_NO_DATE */
    rb_day due;                  /* due date, or RB_NO_DATE for ongoing */
    rb_day created;              /* day the action was created */
    rb_day last_update;          /* day of the latest progress update, or RB_NO_DATE */
    const char *last_update_at;  /* time the latest update was recorded */
    enum rag override;           /* RAG_NONE when there is no manual override */
    const char *override_at;     /* when it was set */
    const char *override_by;
    const char *override_reason;
};

#define RAG_REASON_LEN 200

struct rag_result {
    enum rag rag;
    bool overdue;  /* past its due date and not complete */
    bool stale;    /* no update within stale_days */
    bool override; /* the rating is a manual override */
    char reason[RAG_REASON_LEN];
};

/* Rate one action as of today. Pure: no I/O, no clock. */
void rag_compute(const struct rag_input *in, const struct rag_thresholds *t, rb_day today,
                 struct rag_result *out);

/* The days around today over which rag_compute gives the same rating, overdue and stale
 * flags (its reason's wording may still change): from *from (inclusive) to *until
 * (exclusive); RB_NO_DATE means without limit on that side (src/core/rag_window.c). */
void rag_window(const struct rag_input *in, const struct rag_thresholds *t, rb_day today,
                rb_day *from, rb_day *until);

/* True when an override set at override_at still wins over an update recorded at
 * last_update_at (an update recorded later clears it). */
bool rag_override_active(const char *override_at, const char *last_update_at);

/* 'R', 'A', 'G', 'C' or '-' */
char rag_letter(enum rag r);
/* "Red", "Amber", "Green", "Complete", "Cancelled" */
const char *rag_word(enum rag r);
/* Rating from a letter or word (R, red, A, amber, G, green, C, complete, blue, B). */
bool rag_parse(const char *s, enum rag *out);

/* "not_started", "in_progress", "complete", "cancelled" (as stored) */
const char *state_code(enum action_state s);
/* "Not started", "In progress", "Complete", "Cancelled" */
const char *state_word(enum action_state s);
bool state_parse(const char *s, enum action_state *out);

#endif

/* Review meetings: start or resume, attendance, the agenda walk, what is recorded at
 * each item, closing, and what changed since the last closed meeting. */
#ifndef RAGBOARD_MEETING_H
#define RAGBOARD_MEETING_H

#include <stddef.h>
#include <stdint.h>

#include "ragboard/edit.h"
#include "ragboard/store.h"

enum attendance_status { ATTEND_PRESENT, ATTEND_APOLOGIES, ATTEND_ABSENT };
#define ATTEND_COUNT 3
/* "present", "apologies", "absent" (as stored) */
const char *attendance_code(enum attendance_status s);
/* "Present", "Apologies", "Absent" */
const char *attendance_word(enum attendance_status s);
bool attendance_parse(const char *s, enum attendance_status *out);

/* The order the walk takes through the actions. */
enum agenda_order {
    AGENDA_RAG,    /* Red, Amber, stale, Green, completed since the last meeting */
    AGENDA_AGENCY, /* by lead agency (in config order), then reference */
    AGENDA_REF,    /* the plan's own order: strand, then reference */
};
#define AGENDA_COUNT 3
const char *agenda_code(enum agenda_order o);  /* "rag", "agency", "ref" */
const char *agenda_word(enum agenda_order o);  /* "RAG (Red first)", ... */
bool agenda_parse(const char *s, enum agenda_order *out);

enum minute_kind { MINUTE_UPDATE, MINUTE_RAG, MINUTE_DECISION, MINUTE_NEW_ACTION,
                   MINUTE_REVIEWED, MINUTE_NOTE };
#define MINUTE_KIND_COUNT 6
const char *minute_kind_code(enum minute_kind k); /* as stored: "update", "rag", ... */
bool minute_kind_parse(const char *s, enum minute_kind *out);

struct meeting {
    int64_t id;
    char *title;
    rb_day date;
    char *chair;
    char *opened_at;
    char *closed_at; /* NULL while open */
    enum agenda_order agenda;
    int position;          /* index of the current item in the walk */
    int64_t item_action;   /* the action at that position (0 when none) */
};
void meeting_free(struct meeting *m);

/* The meeting still open, if any: returns 0, STORE_NOT_FOUND, or -1. */
int meeting_find_open(struct store *st, struct meeting *out, char *err);
/* A meeting by "latest" (the newest, open or closed), by id, or by date (YYYY-MM-DD or
 * dd/mm/yyyy: the newest that day). Returns 0, STORE_NOT_FOUND, or -1. */
int meeting_find(struct store *st, const char *which, struct meeting *out, char *err);
/* The newest closed meeting before the given one (0: before now). */
int meeting_last_closed(struct store *st, int64_t before, struct meeting *out, char *err);

/* Start a meeting (refused while another is open). Every agency in the store starts as
 * absent. Fills *id. */
int meeting_start(struct store *st, const char *title, rb_day date, const char *chair,
                  enum agenda_order agenda, int64_t *id, char *err);
int meeting_set_attendance(struct store *st, int64_t meeting, const char *agency,
                           enum attendance_status status, const char *names, char *err);

struct attendee {
    char *agency;
    char *agency_name;
    enum attendance_status status;
    char *names;
};
/* Attendance in agency order; caller frees with attendees_free. */
int meeting_attendance(struct store *st, int64_t meeting, struct attendee **out, size_t *n,
                       char *err);
void attendees_free(struct attendee *v, size_t n);

/* Remember where the walk is, so a restart resumes there. */
int meeting_set_position(struct store *st, int64_t meeting, int position, int64_t action_id,
                         char *err);
/* Change the walk's order: the items are chosen again, and the position goes back to
 * the first item. */
int meeting_set_agenda(struct store *st, int64_t meeting, enum agenda_order agenda, char *err);

/* Record a minute entry (action_id 0 for standing items; heading names the standing item,
 * e.g. "Threat update", NULL otherwise). Joins the caller's transaction if one is open. */
int meeting_record(struct store *st, int64_t meeting, int64_t action_id, enum minute_kind kind,
                   const char *heading, const char *text, char *err);

struct minute_entry {
    int64_t id;
    int64_t action_id; /* 0 when none */
    char *action_ref;  /* NULL when none or deleted */
    enum minute_kind kind;
    char *heading;
    char *text;
    char *author;
    char *created_at;
    bool confidential; /* the action is confidential */
};
/* Minute entries of a meeting, oldest first; free with minute_entries_free. */
int meeting_entries(struct store *st, int64_t meeting, struct minute_entry **out, size_t *n,
                    char *err);
void minute_entries_free(struct minute_entry *v, size_t n);

/* One item of the walk. */
enum agenda_group { GROUP_RED, GROUP_AMBER, GROUP_STALE, GROUP_GREEN, GROUP_COMPLETED,
                    GROUP_OTHER };
const char *agenda_group_word(enum agenda_group g);
struct agenda_item {
    int64_t action_id;
    enum agenda_group group;
};
/* The actions to walk in this order, as of today (cancelled actions and actions completed
 * before the last closed meeting are left out). Caller frees *out. */
int meeting_agenda(struct store *st, enum agenda_order order, const struct rag_thresholds *t,
                   rb_day today, struct agenda_item **out, size_t *n, char *err);

/* The walk's items for a meeting, fixed the first time they are asked for (in the
 * meeting's agenda order, as of today); later calls return the same list. Actions
 * deleted since are left out. Caller frees *out. */
int meeting_items(struct store *st, int64_t meeting, const struct rag_thresholds *t,
                  rb_day today, struct agenda_item **out, size_t *n, char *err);

/* Close the meeting: snapshot every action's rating (for "since the last meeting"), set
 * closed_at, and keep the minutes text given (the caller renders it with report_minutes;
 * NULL keeps none). Joins the caller's transaction, or makes its own. */
int meeting_close(struct store *st, int64_t meeting, const struct rag_thresholds *t,
                  rb_day today, const char *minutes, char *err);

/* ---- since the last meeting ---- */

/* An action as it stood when a meeting closed. */
struct snapshot_row {
    int64_t action_id;
    enum rag rag;
    int progress;
    enum action_state state;
    int updates;
};
struct snapshot {
    int64_t meeting; /* 0 when there is no closed meeting */
    rb_day date;
    struct snapshot_row *rows; /* sorted by action_id */
    size_t n;
};
/* Load the snapshot of the newest closed meeting (snap->meeting = 0 when none). */
int snapshot_load_last(struct store *st, struct snapshot *snap, char *err);
void snapshot_free(struct snapshot *snap);
const struct snapshot_row *snapshot_find(const struct snapshot *snap, int64_t action_id);
/* Record how every action stood as of a day (progress and updates as they were then) for a
 * meeting; used by meeting_close and by the demo for its past meetings. */
int snapshot_take(struct store *st, int64_t meeting, const struct rag_thresholds *t, rb_day as_of,
                  char *err);

/* What changed for one action since a snapshot. */
struct since {
    bool is_new;        /* not in the snapshot (created since) */
    enum rag before;    /* RAG_NONE when new */
    int direction;      /* +1 better, -1 worse, 0 same */
    int progress_change;
    int updates_added;
    bool closed;        /* complete or cancelled since */
};
void since_compute(const struct snapshot_row *before, const struct action *now, struct since *out);
/* "better", "worse", "same" and an arrow for each: "^", "v", "=" (ASCII, so every terminal
 * and screen reader shows it). */
const char *direction_word(int direction);
const char *direction_arrow(int direction);

/* Direction of travel for a strand since the last closed meeting. */
struct since_counts {
    int better, worse, same, added, closed;
};
/* Counts for each strand (indexed as strands[]); *baseline gets the date of the last
 * closed meeting, or RB_NO_DATE when there is none (then all counts are 0). */
int since_count_strands(struct store *st, const struct rag_thresholds *t, rb_day today,
                        struct since_counts out[STRAND_COUNT], rb_day *baseline, char *err);

#endif

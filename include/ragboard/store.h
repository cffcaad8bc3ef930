/* The plan store: one SQLite file holding strands, objectives, actions, updates,
 * meetings, agencies and the audit log. */
#ifndef RAGBOARD_STORE_H
#define RAGBOARD_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "ragboard/config.h"
#include "ragboard/date.h"
#include "ragboard/rag.h"

/* PRAGMA application_id of every ragboard database: "RAGB". */
#define STORE_APPLICATION_ID 0x52414742
/* PRAGMA user_version this build writes; newer files are refused. */
#define STORE_SCHEMA_VERSION 1

enum store_flags {
    STORE_CREATE = 1 << 0,   /* create the file (mode 0600, folder 0700) if missing */
    STORE_READONLY = 1 << 1, /* never write */
};

struct store;

/* Open or create a plan database. Refuses, without writing to it, a file that is
 * empty, not SQLite, not a ragboard database, or written by a newer ragboard.
 * Runs migrations in one transaction. Returns 0, or -1 with err filled. */
int store_open(const char *path, unsigned flags, struct store **out, char *err);
void store_close(struct store *st);

sqlite3 *store_db(struct store *st);
const char *store_path(const struct store *st);
bool store_is_readonly(const struct store *st);
/* "wal" or "delete": the journal mode in force. */
const char *store_journal_mode(const struct store *st);

/* Name recorded in audit rows and updates for this session's edits (default: $USER). */
void store_set_user(struct store *st, const char *user);
const char *store_user(const struct store *st);

/* Transactions. begin takes the write lock at once (BEGIN IMMEDIATE). */
int store_begin(struct store *st, char *err);
int store_commit(struct store *st, char *err);
void store_rollback(struct store *st);

/* A random positive 63-bit key that will not collide across copies of a plan. */
int64_t store_new_key(void);

/* The default database path: $XDG_DATA_HOME/ragboard/plan.db (caller frees). */
char *store_default_path(void);
/* Create dir and its parents with mode 0700 where missing. */
int store_mkdirs(const char *dir, char *err);

/* Copy the partnership context and the agency list from the config into the store.
 * Agencies missing from the config are deleted if nothing refers to them, otherwise
 * kept and flagged (in_config = 0); each such agency adds a warning to diags. */
int store_sync_config(struct store *st, const struct config *cfg, struct diags *diags,
                      char *err);

/* Run PRAGMA integrity_check and foreign_key_check; each problem is added to diags. */
int store_check(struct store *st, struct diags *diags);

/* ---- plan objects ---- */

struct strand {
    char code[8]; /* PURSUE, PROTECT, PREPARE, PREVENT */
    const char *name;
    const char *aim;
    const char *prefix; /* of references made under it: PU, PT, PR, PV (PV-3.1) */
};
#define STRAND_COUNT 4
/* The four CONTEST strands in display order (Pursue, Protect, Prepare, Prevent). */
extern const struct strand strands[STRAND_COUNT];
/* Index of a strand by code, name or reference prefix (case-insensitive), or -1. */
int strand_index(const char *s);

struct action {
    int64_t id;
    char *ref;
    char *title;
    char *description;
    char *strand;          /* strand code */
    char *objective_ref;   /* NULL when none */
    char *objective_title;
    char *lead;            /* agency code or NULL */
    char *owner;           /* lead officer */
    char *partners;        /* agency codes separated by ", " ("" when none) */
    rb_day start;
    rb_day due;            /* RB_NO_DATE: ongoing */
    int progress;
    enum action_state state;
    enum rag override;     /* RAG_NONE when none */
    char *override_reason;
    char *override_by;
    char *override_at;
    bool confidential;
    char *created_at;
    char *updated_at;
    int64_t version;
    rb_day last_update;    /* date of the latest progress update */
    char *last_update_at;
    int n_updates;
    struct rag_result rag; /* computed when read */
};
void action_free(struct action *a);

struct progress_update {
    int64_t id;
    int64_t action_id;
    rb_day date;
    char *author;
    char *text;
    int progress; /* -1 when the update records no figure */
    bool confidential;
    char *created_at;
};
void update_free(struct progress_update *u);

/* Add or rename an objective under a strand. Fills *id. */
int store_objective_put(struct store *st, const char *strand, const char *ref,
                        const char *title, int64_t *id, char *err);

/* Insert a new action (a->id is filled in; objective by objective_ref, partners from
 * a->partners). The caller runs this inside a transaction or alone (autocommit). */
int store_action_insert(struct store *st, struct action *a, char *err);

/* Record a progress update: inserts it, sets the action's progress when given, moves a
 * not-started action to in progress, and clears a manual RAG override. */
int store_update_insert(struct store *st, struct progress_update *u, char *err);

/* Set a manual RAG override (reason required) on an action. */
int store_action_override(struct store *st, int64_t action_id, enum rag rag,
                          const char *reason, char *err);

/* Read options. */
struct action_query {
    const char *strand; /* NULL: all */
    const char *agency; /* lead or partner; NULL: all */
};

/* Call cb for every action matching q, ordered by strand then reference, with its RAG
 * computed as of today. Stops early, returning cb's value, when cb returns non-zero. */
int store_actions_each(struct store *st, const struct action_query *q,
                       const struct rag_thresholds *t, rb_day today,
                       int (*cb)(const struct action *a, void *ctx), void *ctx, char *err);

/* Call cb for each update of an action, oldest first. */
int store_updates_each(struct store *st, int64_t action_id,
                       int (*cb)(const struct progress_update *u, void *ctx), void *ctx,
                       char *err);

struct agency {
    char *code;
    char *name;
    bool in_config;
};
/* All agencies, in config order then code; caller frees with agencies_free. */
int store_agencies(struct store *st, struct agency **out, size_t *n, char *err);
void agencies_free(struct agency *v, size_t n);

struct partnership {
    char *name;
    char *plan_title;
    enum threat_level threat;
    rb_day ctlp_briefing;
};
int store_partnership(struct store *st, struct partnership *out, char *err);
void partnership_free(struct partnership *p);

/* Counts by RAG for one strand or agency. */
struct rag_counts {
    int n[RAG_COUNT];
    int overdue;
    int stale;
    rb_day next_due; /* earliest due date from today on among live actions, or RB_NO_DATE */
};

/* Counts for each strand (indexed as strands[]). */
int store_count_strands(struct store *st, const struct rag_thresholds *t, rb_day today,
                        struct rag_counts out[STRAND_COUNT], char *err);
/* Counts for each agency as lead, in the order of store_agencies. out has n entries. */
int store_count_agencies(struct store *st, const struct rag_thresholds *t, rb_day today,
                         const struct agency *agencies, size_t n, struct rag_counts *out,
                         char *err);

#endif

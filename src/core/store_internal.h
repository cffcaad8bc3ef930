/* Private parts of the store shared by its source files. */
#ifndef RAGBOARD_STORE_INTERNAL_H
#define RAGBOARD_STORE_INTERNAL_H

#include "ragboard/store.h"

/* A schema version and its SQL, in pieces (each under the C string length limit)
 * that are joined and run as one script; NULL ends the list. */
struct migration {
    int version;
    const char *const *sql;
};
extern const struct migration store_migrations[];
extern const size_t store_n_migrations;

/* How long a change waits for another program's lock before giving up. */
#define STORE_BUSY_MS 5000

struct undo_record; /* undo.c */
struct changes_state; /* changes.c */

/* Prepared statements kept for reuse, keyed by their SQL text (store_cached). */
#define STORE_CACHE_MAX 48
struct stmt_slot {
    char *sql;
    sqlite3_stmt *stmt;
    bool busy; /* handed out and not yet released */
};

struct store {
    sqlite3 *db;
    char *path;
    char *user;
    bool readonly;
    char journal[8];
    struct undo_record *undo;    /* the last change made through this handle, or NULL */
    struct undo_record *pending; /* being recorded by the edit in progress, or NULL */
    struct changes_state *changes; /* change journal and merge in progress, or NULL */
    bool netfs;                    /* on a network file system: rollback journal */
    int64_t expect_id, expect_version; /* store_expect_version, until the next edit */
    struct stmt_slot cache[STORE_CACHE_MAX];
    size_t n_cache;
    bool bulk; /* store_bulk: edits inside the caller's transaction take no savepoint */
    int64_t key_next, key_end; /* store_key_run: keys handed out in order, until key_end */
};

/* A read transaction, so that the statements until store_read_end see one state of the
 * plan and take the file's lock once instead of each; none (false) when a transaction
 * is already open. */
bool store_read_begin(struct store *st);
/* End what store_read_begin began (nothing when it gave false); never left open. */
void store_read_end(struct store *st, bool began);

/* Prepare sql, or fill err with the database's message. */
int store_prepare(struct store *st, const char *sql, sqlite3_stmt **stmt, char *err);
/* A prepared statement for sql from the store's cache (prepared on first use), or a
 * fresh one when the cached one is still in use (a statement is never handed out
 * twice). Give it back with store_release; never finalize it. */
int store_cached(struct store *st, const char *sql, sqlite3_stmt **stmt, char *err);
/* Give back a statement from store_cached (reset, bindings cleared) or finalize one from
 * store_prepare. NULL is ignored. */
void store_release(struct store *st, sqlite3_stmt *stmt);
/* Bulk mode, for a caller that holds its own transaction and rolls all of it back on
 * any failure (the importer): edits inside it take no savepoint of their own and keep
 * no undo record, so a failed edit may leave part of itself until that rollback. */
void store_bulk(struct store *st, bool on);
/* Inside a bulk write's transaction: from now until store_bulk(st, false), new actions,
 * updates and objectives take consecutive keys from one random base (checked free in them
 * for STORE_KEY_RUN keys), so that their rows append at the end of each B-tree instead
 * of landing on random pages. Returns 0, or -1 (err filled) on a database failure. */
int store_key_run(struct store *st, char *err);
/* The key for a new action, update or objective: the next of the run, else
 * store_new_key(). */
int64_t store_key(struct store *st);
#define STORE_KEY_RUN (INT64_C(1) << 32)
/* In bulk mode only: add update u to an action this bulk write inserted, as
 * store_update_insert does, except that the action is left as it is (the caller gave it
 * the progress and state its updates lead to when inserting it). */
int store_update_append(struct store *st, struct progress_update *u, char *err);
/* Fill err with "what: sqlite message"; returns -1. */
int store_error(struct store *st, const char *what, char *err);
/* Bind text, or NULL when s is NULL. */
int bind_text_or_null(sqlite3_stmt *s, int i, const char *v);
/* Bind an ISO date, or NULL for RB_NO_DATE. */
int bind_date(sqlite3_stmt *s, int i, rb_day d);
/* Column as an owned string ("" for NULL unless keep_null). */
char *col_text(sqlite3_stmt *s, int i, bool keep_null);
rb_day col_date(sqlite3_stmt *s, int i);
/* Current UTC time as ISO 8601 "YYYY-MM-DDTHH:MM:SSZ" (buf of 21 bytes). When
 * RAGBOARD_TODAY is set, its date with the real time of day. */
char *store_now(char *buf);
/* Natural order of references: PV-3.2 before PV-3.10 (the ragboard_ref collation). */
int store_ref_cmp(const char *a, const char *b);

/* Start an atomic edit: a transaction of its own, or a savepoint inside the caller's. */
int edit_begin(struct store *st, bool *nested, char *err);
/* Finish it: commit (or release) when rc is 0, else roll back; returns 0 or -1.
 * An undo record captured during the edit is kept only when the edit is saved. */
int edit_end(struct store *st, bool nested, int rc, char *err);
/* Step a statement that returns no rows; releases it (store_release). */
int step_done(struct store *st, sqlite3_stmt *s, const char *what, char *err);

/* The columns read_action reads, in order, and the tables they come from (a: actions,
 * o: objectives, u: a summary of the action's updates, s: strands). PARTNERS is the
 * expression for the partner list: ACTION_PARTNERS, or "NULL" where it is not needed. */
#define ACTION_COLUMNS_WITH(PARTNERS) \
    "a.id, a.ref, a.title, a.description, a.strand, o.ref, o.title, a.lead, a.owner, " \
    PARTNERS "," \
    " a.start_date, a.due_date, a.progress, a.state, a.rag_override, a.override_reason," \
    " a.override_by, a.override_at, a.confidential, a.created_at, a.updated_at, a.version," \
    " u.last_date, u.last_at, coalesce(u.n, 0)"
#define ACTION_PARTNERS \
    "(SELECT group_concat(agency, ', ') FROM (SELECT agency FROM action_partners p" \
    "   WHERE p.action_id = a.id ORDER BY p.sort, p.agency))"
#define ACTION_COLUMNS ACTION_COLUMNS_WITH(ACTION_PARTNERS)
#define ACTION_N_COLUMNS 25
/* UPDATES_WHERE narrows the updates summarised (e.g. " WHERE action_id = ?1" when
 * reading one action, so that not every update is read). */
#define ACTION_FROM_WITH(UPDATES_WHERE) \
    " FROM actions a" \
    " JOIN strands s ON s.code = a.strand" \
    " LEFT JOIN objectives o ON o.id = a.objective_id" \
    " LEFT JOIN (SELECT action_id, max(date) AS last_date, max(created_at) AS last_at," \
    "   count(*) AS n FROM updates" UPDATES_WHERE " GROUP BY action_id) u" \
    "   ON u.action_id = a.id"
#define ACTION_FROM ACTION_FROM_WITH("")

/* The search row of action a (actions a) from the action and its updates: the columns
 * rowid, open, secret of action_search. */
#define SEARCH_UPDATES(COND) \
    "coalesce((SELECT group_concat(text, ' ') FROM updates WHERE action_id = a.id" COND "), '')"
#define SEARCH_COLUMNS \
    "  SELECT a.id," \
    "   CASE WHEN a.confidential THEN '' ELSE a.title || ' ' || a.description || ' ' ||" \
    "     " SEARCH_UPDATES(" AND confidential = 0") " END," \
    "   CASE WHEN a.confidential THEN a.title || ' ' || a.description || ' ' ||" \
    "     " SEARCH_UPDATES("") \
    "   ELSE " SEARCH_UPDATES(" AND confidential = 1") " END"
/* Rebuild the search row of action ID (an SQL expression); a deleted action leaves no
 * row. */
#define SEARCH_REFRESH(ID) \
    "  DELETE FROM action_search WHERE rowid = " ID ";" \
    "  INSERT INTO action_search (rowid, open, secret)" \
    SEARCH_COLUMNS \
    "  FROM actions a WHERE a.id = " ID ";"
/* After bulk writes (store_bulk), before the commit: rebuild the search rows of every
 * action marked changed (rag_dirty), which the search triggers skipped. */
int store_search_refresh_dirty(struct store *st, char *err);

/* Fill a from a row of ACTION_COLUMNS and rate it as of today (caller frees a). */
void read_action(sqlite3_stmt *s, const struct rag_thresholds *t, rb_day today,
                 struct action *a);

/* ---- undo (undo.c) ---- */

enum undo_kind {
    UNDO_INSERT,   /* store_action_insert */
    UNDO_UPDATE,   /* store_update_insert */
    UNDO_OVERRIDE, /* store_action_override */
    UNDO_SAVE,     /* store_action_save */
    UNDO_STATE,    /* store_action_set_state, to not started or in progress */
    UNDO_COMPLETE, /* store_action_set_state, to complete */
    UNDO_CANCEL,   /* store_action_set_state, to cancelled */
    UNDO_CLEAR,    /* store_action_clear_override */
    UNDO_DELETE,   /* store_action_delete */
};

/* Inside an edit (after edit_begin) and before changing anything, remember how the
 * action looks now (or that it does not exist yet), so that the change can be undone.
 * edit_end keeps the record when the edit is saved. */
int undo_capture(struct store *st, enum undo_kind kind, int64_t action_id, char *err);
/* undo_capture, except in bulk mode (nothing to undo one by one there). */
int edit_capture(struct store *st, enum undo_kind kind, int64_t action_id, char *err);
/* Called by edit_end: note what the change produced (before the commit), then keep or
 * drop the record once the outcome is known. */
int undo_seal(struct store *st, char *err);
void undo_settle(struct store *st, bool nested, bool saved);
/* The caller's own transaction (store_begin) ended: on rollback, forget a change
 * recorded inside it. */
void undo_outer_end(struct store *st, bool committed);
void undo_free(struct undo_record *u);

/* ---- change journal (changes.c) ---- */

/* Called by store_open once the schema is current: registers ragboard_merge() and, on
 * a writable store, starts recording changes (giving a file copy its own copy id). */
int changes_attach(struct store *st, char *err);
/* Before the outermost commit of a write: journal what changed since the last call. */
int changes_flush(struct store *st, char *err);
/* Called by store_close: journal anything left, stop recording. */
void changes_detach(struct store *st);

/* ---- RAG index (rag_index.c) ---- */

/* Called by store_open once the schema is current: create the derived tables of the RAG
 * index and the triggers that mark changed actions (nothing on a read-only store). */
int rag_index_attach(struct store *st, char *err);

/* ---- edits (store_edit.c) ---- */

/* Delete an action with its updates and partners (each delete audited), inside an
 * edit. */
int action_delete_rows(struct store *st, int64_t action_id, char *err);


/* Describe the changes made to an action since it was at version since, for a
 * conflict message: "changed by alice at 14:03 UTC on 12/03/2026: title, due date"
 * or "deleted by ...". Writes into msg (RB_ERRLEN bytes). */
void audit_describe_since(struct store *st, int64_t action_id, int64_t since, char *msg);

/* ---- safety (store.c, store_guard.c, store_watch.c) ---- */

/* Check an existing file's header (and length) before SQLite opens it: refuses a folder,
 * an empty, foreign, cut-short or newer file with a message. */
int store_check_header(const char *path, char *err);
/* Guard the audit log on st's connection (an authorizer and SQLite's defensive mode);
 * called once the schema is current. */
void store_guard(struct store *st);
/* Inside an edit of action_id: 0 when no version is expected for it or the action still
 * has it; STORE_CONFLICT (err says who changed what) or -1 otherwise. Uses up the
 * expectation set by store_expect_version. */
int expect_check(struct store *st, int64_t action_id, char *err);

/* ---- meetings (meeting.c) ---- */
struct meeting;
/* One meeting by id: 0, STORE_NOT_FOUND or -1. */
int one_meeting_by_id(struct store *st, int64_t id, struct meeting *out, char *err);

/* Fill r from the columns rag, progress, state, updates of a meeting_snapshots row,
 * starting at column col of s (action_id is the caller's); meeting_walk.c. */
struct snapshot_row;
void snapshot_row_read(sqlite3_stmt *s, int col, struct snapshot_row *r);

#endif

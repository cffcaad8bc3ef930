/* Changing actions after they exist: read one, save edits with a version check, mark
 * complete, delete, and undo the last change made in this session. */
#ifndef RAGBOARD_EDIT_H
#define RAGBOARD_EDIT_H

#include "ragboard/store.h"

/* Returned (instead of -1) when the row changed since it was read. */
#define STORE_CONFLICT 1
/* Returned by store_action_get / store_undo when there is nothing to act on. */
#define STORE_NOT_FOUND 2

/* Read one action, rated as of today. Returns 0, STORE_NOT_FOUND, or -1 with err.
 * Free *out with action_free. */
int store_action_get(struct store *st, int64_t id, const struct rag_thresholds *t, rb_day today,
                     struct action *out, char *err);

/* Save the editable fields of a (title, description, strand, objective_ref, lead, owner,
 * partners, start, due, progress, state, confidential), identified by a->id, in one
 * transaction. When the row's version is no longer a->version (or the action was
 * deleted), nothing is written and STORE_CONFLICT is returned, with err saying who
 * changed it, when, and which fields ("PV-1.1 was changed by alice at 14:03 UTC on
 * 12/03/2026: title, due date"), from the audit log. Validation failures (empty title,
 * unknown strand, lead or partner agency, unknown objective or one under another
 * strand, progress outside 0-100, due before start) return -1 with a message fit for
 * the user. A complete action is saved with progress 100. Saving with nothing changed
 * writes nothing and returns 0. */
int store_action_save(struct store *st, const struct action *a, char *err);

/* Set the state (complete, cancelled, ...). Completing sets progress to 100; reopening
 * keeps the progress. Setting the state an action already has writes nothing. */
int store_action_set_state(struct store *st, int64_t id, enum action_state state, char *err);

/* Remove a manual RAG override (nothing is written when there is none). */
int store_action_clear_override(struct store *st, int64_t id, char *err);

/* Delete an action with its updates and partners (audited). */
int store_action_delete(struct store *st, int64_t id, char *err);

/* Undo the last change made through this store handle (any of the edits above, and
 * store_action_insert, store_update_insert, store_action_override), restoring the action
 * as it was, in one audited transaction. Only the latest change can be undone, once.
 * Returns 0 (what, RB_ERRLEN bytes or NULL, holds e.g. "Undid progress update on
 * PV-3.1"), STORE_NOT_FOUND when there is nothing to undo, STORE_CONFLICT when someone
 * changed the action since (nothing is written, and the change can no longer be
 * undone), or -1. The action's version moves on (a deleted action comes back with
 * its old version). A change made inside the caller's transaction (store_begin) is
 * forgotten when that transaction is rolled back. */
int store_undo(struct store *st, char *what, char *err);
/* Short description of what store_undo would revert ("deletion of PV-1.2"), or NULL. */
const char *store_undo_label(const struct store *st);
/* Forget the change store_undo would revert (e.g. after seeding or importing a plan). */
void store_undo_clear(struct store *st);

/* One row of the audit log about an action (its own fields, partners and updates). */
struct audit_entry {
    char *at;    /* UTC ISO 8601 */
    char *user;
    char *tbl;   /* "actions", "updates", "action_partners" */
    char *op;    /* "insert", "update", "delete" */
    char *field; /* NULL for insert/delete of a whole row */
    char *old_value;
    char *new_value;
    bool confidential; /* old/new hold confidential text: hide them on a shared screen */
};
void audit_entry_free(struct audit_entry *e);

/* Call cb for each audit row about an action, newest first; e is valid during the call
 * only. Stops early, returning cb's value, when cb returns non-zero. */
int store_action_history(struct store *st, int64_t action_id,
                         int (*cb)(const struct audit_entry *e, void *ctx), void *ctx,
                         char *err);

/* The next free reference under an objective or strand prefix, e.g. "PV-3.4" after
 * PV-3.3 (prefix "PV-3"; after a prefix ending in a letter the separator is "-", so
 * "PV" gives "PV-4" after PV-3.x); caller frees. NULL for a blank prefix. */
char *store_next_ref(struct store *st, const char *prefix);

/* Objectives of a strand (NULL: all, in strand order), ordered by reference.
 * Free with objectives_free. */
struct objective {
    char *ref;
    char *title;
    char *strand;
};
int store_objectives(struct store *st, const char *strand, struct objective **out, size_t *n,
                     char *err);
void objectives_free(struct objective *v, size_t n);

#endif

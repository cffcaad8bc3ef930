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
 * transaction. When the row's version is no longer a->version, nothing is written and
 * STORE_CONFLICT is returned, with err saying who changed it and when (from the audit
 * log). Validation failures return -1 with a message fit for the user. */
int store_action_save(struct store *st, const struct action *a, char *err);

/* Set the state (complete, cancelled, ...). Completing sets progress to 100. */
int store_action_set_state(struct store *st, int64_t id, enum action_state state, char *err);

/* Remove a manual RAG override. */
int store_action_clear_override(struct store *st, int64_t id, char *err);

/* Delete an action with its updates and partners (audited). */
int store_action_delete(struct store *st, int64_t id, char *err);

/* Undo the last change made through this store handle (any of the edits above, and
 * store_action_insert, store_update_insert, store_action_override), restoring the action
 * as it was, in one audited transaction. Only the latest change can be undone, once.
 * Returns 0 (what holds e.g. "Undid progress update on PV-3.1"), STORE_NOT_FOUND
 * when there is nothing to undo, STORE_CONFLICT when someone changed the action since
 * (nothing is written), or -1. */
int store_undo(struct store *st, char *what, char *err);
/* Short description of what store_undo would revert, or NULL. */
const char *store_undo_label(const struct store *st);

/* One row of the audit log about an action (its own fields, partners and updates). */
struct audit_entry {
    char *at;    /* UTC ISO 8601 */
    char *user;
    char *tbl;   /* "actions", "updates", "action_partners" */
    char *op;    /* "insert", "update", "delete" */
    char *field; /* NULL for insert/delete of a whole row */
    char *old_value;
    char *new_value;
};
void audit_entry_free(struct audit_entry *e);

/* Call cb for each audit row about an action, newest first. */
int store_action_history(struct store *st, int64_t action_id,
                         int (*cb)(const struct audit_entry *e, void *ctx), void *ctx,
                         char *err);

/* The next free reference under an objective or strand prefix, e.g. "PV-3.4" after
 * PV-3.3 (prefix "PV-3"); caller frees. */
char *store_next_ref(struct store *st, const char *prefix);

/* Objectives of a strand, ordered by reference. */
struct objective {
    char *ref;
    char *title;
    char *strand;
};
int store_objectives(struct store *st, const char *strand, struct objective **out, size_t *n,
                     char *err);
void objectives_free(struct objective *v, size_t n);

#endif

/* Two people, one plan: noticing what other programs changed, refusing to save over a
 * change the user has not seen, and what the plan file tells about its own safety. */
#ifndef RAGBOARD_WATCH_H
#define RAGBOARD_WATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "ragboard/store.h"

/* SQLite's PRAGMA data_version: it changes when another connection (another ragboard, a
 * merge, a restore) commits to the plan, never for this handle's own commits. */
int store_data_version(struct store *st, int64_t *out, char *err);

/* The newest audit row (0 when none): what the screens showed was read after it. */
int64_t store_audit_mark(struct store *st);

/* Whether the action was changed (by anyone) after the audit mark. Returns 1 with msg
 * (RB_ERRLEN bytes) saying who changed what, "PV-3.1 was changed by alice at 14:03 UTC
 * on 12/03/2026: progress", 0 when it was not, or -1 with msg. */
int store_action_changed_after(struct store *st, int64_t action_id, int64_t mark, char *msg);

/* The next edit of this action through st (a progress update, a manual rating or
 * clearing one, setting its state, deleting it) saves only if the action still has this
 * version; otherwise nothing is written and it returns STORE_CONFLICT (ragboard/edit.h)
 * with err saying who changed what since. The expectation is used up by that edit. */
void store_expect_version(struct store *st, int64_t action_id, int64_t version);

/* The plan is on a network file system (NFS, SMB/CIFS, FUSE, 9P, Ceph, AFS), or
 * RAGBOARD_NETFS=1 says so: it uses the rollback journal, never WAL. */
bool store_on_network_fs(const struct store *st);

/* True, with msg (RB_ERRLEN bytes), when the plan file is this user's and others can read
 * or change it (its mode is not 0600). */
bool store_access_warning(const struct store *st, char *msg);

#endif

/* The audit history of one action: its own fields, its partners and its updates. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#include "ragboard/edit.h"
#include "ragboard/util.h"

void audit_entry_free(struct audit_entry *e)
{
    if (!e)
        return;
    free(e->at);
    free(e->user);
    free(e->tbl);
    free(e->op);
    free(e->field);
    free(e->old_value);
    free(e->new_value);
    memset(e, 0, sizeof *e);
}

int store_action_history(struct store *st, int64_t action_id,
                         int (*cb)(const struct audit_entry *e, void *ctx), void *ctx,
                         char *err)
{
    sqlite3_stmt *s;
    if (store_prepare(st,
                      "SELECT at, user, tbl, op, field, old, new, confidential FROM audit"
                      " WHERE action_id = ?"
                      "   AND tbl IN ('actions', 'action_partners', 'updates')"
                      " ORDER BY seq DESC",
                      &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, action_id);
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
        struct audit_entry e = {
            .at = col_text(s, 0, false),
            .user = col_text(s, 1, false),
            .tbl = col_text(s, 2, false),
            .op = col_text(s, 3, false),
            .field = col_text(s, 4, true),
            .old_value = col_text(s, 5, true),
            .new_value = col_text(s, 6, true),
            .confidential = sqlite3_column_int(s, 7) != 0,
        };
        rc = cb(&e, ctx);
        audit_entry_free(&e);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = store_error(st, "reading the history", err);
    sqlite3_finalize(s);
    return rc;
}

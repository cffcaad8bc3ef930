/* Commands on one action, shared by the list and the detail screens. */
#include <stdlib.h>
#include <string.h>

#include "ragboard/edit.h"
#include "ragboard/util.h"
#include "tui/screen.h"

struct pending_delete {
    int64_t id;
    char *ref;
};

static void delete_done(struct app *app, void *ctx, bool yes)
{
    struct pending_delete *p = ctx;
    char err[RB_ERRLEN];
    if (yes) {
        if (store_action_delete(app->st, p->id, err) == 0) {
            app_reload(app);
            app_status(app, "Deleted %s (u undoes)", p->ref);
        } else {
            app_error(app, "Not deleted: %s", err);
        }
    }
    free(p->ref);
    free(p);
}

static void undo(struct app *app)
{
    char what[RB_ERRLEN] = "", err[RB_ERRLEN] = "";
    int rc = store_undo(app->st, what, err);
    if (rc == 0) {
        app_reload(app);
        app_status(app, "%s", what);
    } else if (rc == STORE_NOT_FOUND) {
        app_error(app, "Nothing to undo in this session");
    } else {
        app_error(app, "Cannot undo: %s", err);
    }
}

enum verdict cmd_action(struct app *app, enum ui_action a, int64_t action_id)
{
    char err[RB_ERRLEN] = "";
    if (a == ACT_UNDO) {
        undo(app);
        return V_STAY;
    }
    if (store_is_readonly(app->st) && a != ACT_OPEN) {
        app_error(app, "%s is open read-only; changes cannot be saved", store_path(app->st));
        return V_STAY;
    }
    struct action act;
    int rc = store_action_get(app->st, action_id, &app->cfg->rag, app->today, &act, err);
    if (rc != 0) {
        app_error(app, "%s", rc == STORE_NOT_FOUND ? "That action no longer exists" : err);
        app_reload(app);
        return V_STAY;
    }
    if (app->present && act.confidential &&
        (a == ACT_EDIT || a == ACT_PROGRESS || a == ACT_OVERRIDE)) {
        app_error(app, "%s is confidential: turn presenter mode off (P) to work on it", act.ref);
        action_free(&act);
        return V_STAY;
    }
    switch (a) {
    case ACT_EDIT: form_edit_action(app, action_id); break;
    case ACT_PROGRESS: form_progress(app, action_id); break;
    case ACT_OVERRIDE: form_override(app, action_id); break;
    case ACT_COMPLETE: {
        bool reopen = act.state == STATE_COMPLETE;
        enum action_state to = reopen ? STATE_IN_PROGRESS : STATE_COMPLETE;
        if (store_action_set_state(app->st, action_id, to, err) == 0) {
            app_reload(app);
            app_status(app, reopen ? "Reopened %s (u undoes)" : "Marked %s complete (u undoes)",
                       act.ref);
        } else {
            app_error(app, "Not changed: %s", err);
        }
        break;
    }
    case ACT_DELETE: {
        struct pending_delete *p = xcalloc(1, sizeof *p);
        p->id = action_id;
        p->ref = xstrdup(act.ref);
        char *q = xasprintf("Delete %s \"%s\" with its %d progress update%s? (u undoes it)",
                            act.ref, app_mask(app, act.confidential, act.title), act.n_updates,
                            act.n_updates == 1 ? "" : "s");
        ui_confirm(app, q, delete_done, p);
        free(q);
        break;
    }
    default: break;
    }
    action_free(&act);
    return V_STAY;
}

/* Commands on one action, shared by the list and the detail screens. */
#include <stdlib.h>
#include <string.h>

#include "ragboard/edit.h"
#include "ragboard/util.h"
#include "ragboard/watch.h"
#include "tui/screen.h"

/* A change asked for on an action as the user saw it: made only if the action still has
 * that version (someone else's change in between is never silently overwritten). */
struct pending_change {
    int64_t id;
    int64_t version;
    char *ref;
    enum action_state to; /* complete or reopen */
    bool changed;         /* it had changed since the screen showed it */
};

static void pending_free(struct pending_change *p)
{
    free(p->ref);
    free(p);
}

static void delete_done(struct app *app, void *ctx, bool yes)
{
    struct pending_change *p = ctx;
    char err[RB_ERRLEN];
    if (yes) {
        store_expect_version(app->st, p->id, p->version);
        int rc = store_action_delete(app->st, p->id, err);
        if (rc == 0) {
            app_reload(app);
            app_status(app, "Deleted %s (u undoes)", p->ref);
        } else {
            if (rc == STORE_CONFLICT)
                app_reload(app); /* show what they did */
            app_error(app, "Not deleted: %s", err);
        }
    } else if (p->changed) {
        app_reload(app);
        app_status(app, "Not deleted; the screen shows the latest version of %s", p->ref);
    }
    pending_free(p);
}

static void set_state(struct app *app, struct pending_change *p)
{
    char err[RB_ERRLEN];
    bool reopen = p->to != STATE_COMPLETE;
    store_expect_version(app->st, p->id, p->version);
    int rc = store_action_set_state(app->st, p->id, p->to, err);
    if (rc == 0) {
        app_reload(app);
        app_status(app, reopen ? "Reopened %s (u undoes)" : "Marked %s complete (u undoes)",
                   p->ref);
    } else {
        if (rc == STORE_CONFLICT)
            app_reload(app);
        app_error(app, "Not changed: %s", err);
    }
}

static void state_answer(struct app *app, void *ctx, enum conflict_choice c)
{
    struct pending_change *p = ctx;
    if (c == CONFLICT_OVERWRITE) {
        set_state(app, p);
    } else {
        app_reload(app);
        app_status(app, "Nothing changed; the screen shows the latest version of %s", p->ref);
    }
    pending_free(p);
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
        struct pending_change *p = xcalloc(1, sizeof *p);
        *p = (struct pending_change){action_id, act.version, xstrdup(act.ref),
                                     reopen ? STATE_IN_PROGRESS : STATE_COMPLETE, false};
        char msg[RB_ERRLEN];
        if (app_changed_since_shown(app, action_id, msg)) {
            app_ask_conflict(app, msg, "show the latest version and change nothing",
                             reopen ? "reopen it anyway" : "mark it complete anyway",
                             state_answer, p);
            break;
        }
        set_state(app, p);
        pending_free(p);
        break;
    }
    case ACT_DELETE: {
        struct pending_change *p = xcalloc(1, sizeof *p);
        *p = (struct pending_change){action_id, act.version, xstrdup(act.ref), act.state, false};
        char msg[RB_ERRLEN];
        p->changed = app_changed_since_shown(app, action_id, msg);
        char *q = xasprintf("%s%sDelete %s \"%s\" with its %d progress update%s? (u undoes "
                            "it)%s",
                            p->changed ? msg : "", p->changed ? ". " : "", act.ref,
                            app_mask(app, act.confidential, act.title), act.n_updates,
                            act.n_updates == 1 ? "" : "s",
                            p->changed ? " n shows the latest instead." : "");
        ui_confirm(app, q, delete_done, p);
        free(q);
        break;
    }
    default: break;
    }
    action_free(&act);
    return V_STAY;
}

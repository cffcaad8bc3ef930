/* Two people, one plan, on the screen: refreshing when another program changes the plan,
 * telling what changed under the user, and letting them reload or overwrite; the
 * warnings the plan file gives at start. */
#include <stdlib.h>
#include <string.h>

#include "ragboard/restrict.h"
#include "ragboard/util.h"
#include "ragboard/watch.h"
#include "tui/screen.h"

void app_watch_seen(struct app *app)
{
    char err[RB_ERRLEN];
    /* data_version first: a change landing in between shows as unseen (asked about),
     * never as seen. */
    if (store_data_version(app->st, &app->data_version, err) != 0)
        app->data_version = -1;
    app->audit_mark = store_audit_mark(app->st);
}

void app_watch_start(struct app *app)
{
    char msg[RB_ERRLEN];
    if (store_access_warning(app->st, msg))
        app_error(app, "Warning: %s", msg);
    else if (store_on_network_fs(app->st))
        app_error(app, "Warning: the plan is on a network drive; it is saved with the "
                       "rollback journal, and two people saving at once wait for each other");
    else if (store_is_readonly(app->st))
        app_status(app, "The plan is open read-only: you can look, but changes cannot be "
                        "saved");
    else if (restrict_on())
        app_status(app, "Restricted mode: files are written only in the exports folder");
}

void app_watch_tick(struct app *app)
{
    int64_t now;
    char err[RB_ERRLEN];
    if (store_data_version(app->st, &now, err) != 0 || now == app->data_version)
        return;
    app_reload(app); /* takes the new marks */
    if (!app->status[0])
        app_status(app, "The plan was changed elsewhere; the screen shows the latest");
}

bool app_changed_since_shown(struct app *app, int64_t action_id, char *msg)
{
    return store_action_changed_after(app->st, action_id, app->audit_mark, msg) == 1;
}

struct conflict_ask {
    void (*done)(struct app *app, void *ctx, enum conflict_choice c);
    void *ctx;
};

static void conflict_chosen(struct app *app, void *ctx, int index)
{
    struct conflict_ask *q = ctx;
    enum conflict_choice c = index == 0   ? CONFLICT_RELOAD
                             : index == 1 ? CONFLICT_OVERWRITE
                                          : CONFLICT_CANCEL;
    void (*done)(struct app *, void *, enum conflict_choice) = q->done;
    void *inner = q->ctx;
    free(q);
    done(app, inner, c);
}

void app_ask_conflict(struct app *app, const char *msg, const char *reload,
                      const char *overwrite,
                      void (*done)(struct app *app, void *ctx, enum conflict_choice c),
                      void *ctx)
{
    struct conflict_ask *q = xcalloc(1, sizeof *q);
    q->done = done;
    q->ctx = ctx;
    char *items[2] = {xasprintf("&Reload: %s", reload),
                      xasprintf("&Overwrite: %s", overwrite)};
    ui_menu(app, "Changed by someone else since you looked", (const char *const *)items, 2,
            0, conflict_chosen, q);
    free(items[0]);
    free(items[1]);
    /* Who changed what stays on the status line while the choice is open. */
    app_error(app, "%s", msg);
}

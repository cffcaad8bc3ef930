/* Test helper: edit a plan through the core, as the board's forms do, so that
 * command-line tests can make edits in two copies of a plan.
 *   plan_edit DB set REF FIELD VALUE     title, description, owner, lead, start, due,
 *                                        progress, state (not_started, in_progress, ...)
 *   plan_edit DB update REF TEXT [PCT]   add a progress update dated today
 *   plan_edit DB add REF STRAND TITLE    add an action (lead SC)
 *   plan_edit DB delete REF
 * Exits 0 when the edit was saved. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/edit.h"
#include "ragboard/store.h"
#include "ragboard/util.h"

static int64_t find(struct store *st, const char *ref)
{
    sqlite3_stmt *s;
    int64_t id = 0;
    if (sqlite3_prepare_v2(store_db(st), "SELECT id FROM actions WHERE ref = ?", -1, &s, NULL) !=
        SQLITE_OK)
        return 0;
    sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        id = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return id;
}

static int set_field(struct store *st, int64_t id, const char *field, const char *value,
                     char *err)
{
    struct action a;
    if (store_action_get(st, id, &rag_default_thresholds, date_today(), &a, err) != 0)
        return -1;
    char **text = strcmp(field, "title") == 0         ? &a.title
                  : strcmp(field, "description") == 0 ? &a.description
                  : strcmp(field, "owner") == 0       ? &a.owner
                  : strcmp(field, "lead") == 0        ? &a.lead
                                                      : NULL;
    int rc = 0;
    if (text) {
        free(*text);
        *text = xstrdup(value);
    } else if (strcmp(field, "due") == 0 || strcmp(field, "start") == 0) {
        rb_day d = RB_NO_DATE;
        if (*value && !date_parse(value, &d))
            rc = rb_fail(err, "bad date %s", value);
        *(strcmp(field, "due") == 0 ? &a.due : &a.start) = d;
    } else if (strcmp(field, "progress") == 0) {
        a.progress = atoi(value);
    } else if (strcmp(field, "state") == 0) {
        if (!state_parse(value, &a.state))
            rc = rb_fail(err, "bad state %s", value);
    } else {
        rc = rb_fail(err, "unknown field %s", field);
    }
    if (rc == 0)
        rc = store_action_save(st, &a, err);
    action_free(&a);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: plan_edit DB set|update|add|delete REF ...\n");
        return 2;
    }
    char err[RB_ERRLEN] = "";
    struct store *st;
    if (store_open(argv[1], 0, &st, err) != 0) {
        fprintf(stderr, "plan_edit: %s\n", err);
        return 1;
    }
    const char *cmd = argv[2], *ref = argv[3];
    int64_t id = find(st, ref);
    int rc;
    if (strcmp(cmd, "add") == 0 && argc >= 6) {
        struct action a = {.ref = (char *)ref, .title = argv[5], .strand = argv[4],
                           .lead = "SC", .owner = "", .partners = "", .description = "",
                           .start = RB_NO_DATE, .due = RB_NO_DATE};
        rc = store_action_insert(st, &a, err);
    } else if (!id) {
        rc = rb_fail(err, "no action %s", ref);
    } else if (strcmp(cmd, "set") == 0 && argc == 6) {
        rc = set_field(st, id, argv[4], argv[5], err);
    } else if (strcmp(cmd, "update") == 0 && argc >= 5) {
        struct progress_update u = {.action_id = id, .date = date_today(),
                                    .author = (char *)store_user(st), .text = argv[4],
                                    .progress = argc > 5 ? atoi(argv[5]) : -1};
        rc = store_update_insert(st, &u, err);
    } else if (strcmp(cmd, "delete") == 0) {
        rc = store_action_delete(st, id, err);
    } else {
        rc = rb_fail(err, "bad command");
    }
    if (rc != 0)
        fprintf(stderr, "plan_edit: %s\n", err);
    store_close(st);
    return rc == 0 ? 0 : 1;
}

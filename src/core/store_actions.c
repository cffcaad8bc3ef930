/* Reading and writing actions, progress updates, agencies and the partnership. */
#include "store_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/util.h"

int strand_index(const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < STRAND_COUNT; i++)
        if (str_ieq(s, strands[i].code) || str_ieq(s, strands[i].name) ||
            str_ieq(s, strands[i].prefix))
            return i;
    return -1;
}

void action_free(struct action *a)
{
    if (!a)
        return;
    free(a->ref);
    free(a->title);
    free(a->description);
    free(a->strand);
    free(a->objective_ref);
    free(a->objective_title);
    free(a->lead);
    free(a->owner);
    free(a->partners);
    free(a->override_reason);
    free(a->override_by);
    free(a->override_at);
    free(a->created_at);
    free(a->updated_at);
    free(a->last_update_at);
    memset(a, 0, sizeof *a);
}

void update_free(struct progress_update *u)
{
    if (!u)
        return;
    free(u->author);
    free(u->text);
    free(u->created_at);
    memset(u, 0, sizeof *u);
}

int store_objective_put(struct store *st, const char *strand, const char *ref,
                        const char *title, int64_t *id, char *err)
{
    sqlite3_stmt *s;
    if (store_cached(st,
                      "INSERT INTO objectives (id, strand, ref, title) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT (ref) DO UPDATE SET title = excluded.title, "
                      "strand = excluded.strand RETURNING id",
                      &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, store_key(st));
    sqlite3_bind_text(s, 2, strand, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, ref, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, title, -1, SQLITE_TRANSIENT);
    int rc = -1;
    if (sqlite3_step(s) == SQLITE_ROW) {
        if (id)
            *id = sqlite3_column_int64(s, 0);
        rc = 0;
    } else {
        store_error(st, "saving an objective", err);
    }
    store_release(st, s);
    return rc;
}

/* Insert the partner list "A, B; C" for an action. */
static int insert_partners(struct store *st, int64_t action_id, const char *list, char *err)
{
    if (str_blank(list))
        return 0;
    sqlite3_stmt *s;
    if (store_cached(st,
                      "INSERT OR IGNORE INTO action_partners (action_id, agency, sort) "
                      "VALUES (?, ?, ?)",
                      &s, err) != 0)
        return -1;
    int rc = 0, sort = 0;
    const char *p = list;
    while (*p && rc == 0) {
        while (*p && (*p == ',' || *p == ';' || isspace((unsigned char)*p)))
            p++;
        const char *start = p;
        while (*p && *p != ',' && *p != ';' && !isspace((unsigned char)*p))
            p++;
        if (p == start)
            break;
        char *code = xstrndup(start, (size_t)(p - start));
        sqlite3_bind_int64(s, 1, action_id);
        sqlite3_bind_text(s, 2, code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(s, 3, sort++);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = rb_fail(err, "partner agency %s: %s", code, sqlite3_errmsg(st->db));
        sqlite3_reset(s);
        free(code);
    }
    store_release(st, s);
    return rc;
}

int store_action_insert(struct store *st, struct action *a, char *err)
{
    if (str_blank(a->title))
        return rb_fail(err, "an action needs a title");
    if (str_blank(a->ref))
        return rb_fail(err, "an action needs a reference such as PV-1.1");
    if (strand_index(a->strand) < 0)
        return rb_fail(err, "unknown strand \"%s\" (use Pursue, Protect, Prepare or Prevent)",
                       a->strand ? a->strand : "");
    if (a->progress < 0 || a->progress > 100)
        return rb_fail(err, "progress must be between 0 and 100, not %d", a->progress);
    bool nested;
    if (edit_begin(st, &nested, err) != 0)
        return -1;
    if (!a->id)
        a->id = store_key(st);
    int rc = edit_capture(st, UNDO_INSERT, a->id, err);
    int64_t objective_id = 0;
    if (rc == 0 && a->objective_ref) {
        sqlite3_stmt *s;
        rc = store_cached(st, "SELECT id FROM objectives WHERE ref = ?", &s, err);
        if (rc == 0) {
            sqlite3_bind_text(s, 1, a->objective_ref, -1, SQLITE_TRANSIENT);
            if (sqlite3_step(s) == SQLITE_ROW)
                objective_id = sqlite3_column_int64(s, 0);
            else
                rc = rb_fail(err, "no objective with reference %s", a->objective_ref);
            store_release(st, s);
        }
    }
    sqlite3_stmt *s = NULL;
    if (rc == 0)
        rc = store_cached(st,
                           "INSERT INTO actions (id, ref, title, description, strand, "
                           "objective_id, lead, owner, start_date, due_date, progress, state, "
                           "confidential, created_at, updated_at) VALUES "
                           "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           &s, err);
    if (rc == 0) {
        char now[21];
        const char *created = a->created_at ? a->created_at : store_now(now);
        sqlite3_bind_int64(s, 1, a->id);
        sqlite3_bind_text(s, 2, a->ref, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 3, a->title, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 4, a->description ? a->description : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 5, strands[strand_index(a->strand)].code, -1, SQLITE_STATIC);
        if (objective_id)
            sqlite3_bind_int64(s, 6, objective_id);
        else
            sqlite3_bind_null(s, 6);
        bind_text_or_null(s, 7, str_blank(a->lead) ? NULL : a->lead);
        sqlite3_bind_text(s, 8, a->owner ? a->owner : "", -1, SQLITE_TRANSIENT);
        bind_date(s, 9, a->start);
        bind_date(s, 10, a->due);
        sqlite3_bind_int(s, 11, a->progress);
        sqlite3_bind_text(s, 12, state_code(a->state), -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 13, a->confidential);
        sqlite3_bind_text(s, 14, created, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 15, created, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(s) != SQLITE_DONE) {
            if (sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_UNIQUE)
                rc = rb_fail(err, "an action with reference %s already exists", a->ref);
            else if (sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
                rc = rb_fail(err, "lead agency %s is not in the agency list", a->lead);
            else
                rc = store_error(st, "saving the action", err);
        }
        store_release(st, s);
    }
    if (rc == 0)
        rc = insert_partners(st, a->id, a->partners, err);
    return edit_end(st, nested, rc, err);
}

int store_search_refresh_dirty(struct store *st, char *err)
{
    static const char sql[] =
        "DELETE FROM action_search WHERE rowid IN (SELECT id FROM main.rag_dirty);"
        "INSERT INTO action_search (rowid, open, secret)" SEARCH_COLUMNS
        "  FROM actions a WHERE a.id IN (SELECT id FROM main.rag_dirty);";
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_error(st, "indexing the actions for search", err);
    return 0;
}

/* The INSERT of an update's row (u->id given). */
static int insert_update_row(struct store *st, const struct progress_update *u,
                             const char *created, char *err)
{
    sqlite3_stmt *s;
    if (store_cached(st,
                     "INSERT INTO updates (id, action_id, date, author, text, progress, "
                     "confidential, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     &s, err) != 0)
        return -1;
    int rc = 0;
    sqlite3_bind_int64(s, 1, u->id);
    sqlite3_bind_int64(s, 2, u->action_id);
    bind_date(s, 3, u->date);
    sqlite3_bind_text(s, 4, u->author ? u->author : st->user, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 5, u->text, -1, SQLITE_TRANSIENT);
    if (u->progress >= 0)
        sqlite3_bind_int(s, 6, u->progress);
    else
        sqlite3_bind_null(s, 6);
    sqlite3_bind_int(s, 7, u->confidential);
    sqlite3_bind_text(s, 8, created, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) != SQLITE_DONE) {
        if (sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
            rc = rb_fail(err, "that action no longer exists");
        else
            rc = store_error(st, "saving the update", err);
    }
    store_release(st, s);
    return rc;
}

/* Checks an update must pass, and its date and key when not given. */
static int update_ready(struct store *st, struct progress_update *u, char *err)
{
    if (str_blank(u->text))
        return rb_fail(err, "a progress update needs some text");
    if (u->progress > 100 || u->progress < -1)
        return rb_fail(err, "progress must be between 0 and 100, not %d", u->progress);
    if (u->date == RB_NO_DATE)
        u->date = date_today();
    if (!u->id)
        u->id = store_key(st);
    return 0;
}

int store_update_append(struct store *st, struct progress_update *u, char *err)
{
    if (!st->bulk)
        return rb_fail(err, "store_update_append is for bulk writes only");
    char now[21];
    if (update_ready(st, u, err) != 0)
        return -1;
    return insert_update_row(st, u, u->created_at ? u->created_at : store_now(now), err);
}

int store_update_insert(struct store *st, struct progress_update *u, char *err)
{
    if (update_ready(st, u, err) != 0)
        return -1;
    bool nested;
    if (edit_begin(st, &nested, err) != 0)
        return -1;
    char now[21];
    const char *created = u->created_at ? u->created_at : store_now(now);
    sqlite3_stmt *s = NULL;
    int rc = expect_check(st, u->action_id, err);
    if (rc != 0) {
        edit_end(st, nested, -1, err);
        return rc;
    }
    rc = edit_capture(st, UNDO_UPDATE, u->action_id, err);
    if (rc == 0)
        rc = insert_update_row(st, u, created, err);
    if (rc == 0)
        rc = store_cached(st,
                           "UPDATE actions SET progress = coalesce(?2, progress), "
                           "state = CASE WHEN state = 'not_started' THEN 'in_progress' "
                           "ELSE state END, "
                           "rag_override = NULL, override_reason = NULL, override_by = NULL, "
                           "override_at = NULL, updated_at = ?3 WHERE id = ?1",
                           &s, err);
    if (rc == 0) {
        sqlite3_bind_int64(s, 1, u->action_id);
        if (u->progress >= 0)
            sqlite3_bind_int(s, 2, u->progress);
        else
            sqlite3_bind_null(s, 2);
        sqlite3_bind_text(s, 3, created, -1, SQLITE_TRANSIENT);
        rc = step_done(st, s, "updating the action", err);
    }
    return edit_end(st, nested, rc, err);
}

int store_action_override(struct store *st, int64_t action_id, enum rag rag,
                          const char *reason, char *err)
{
    if (rag != RAG_RED && rag != RAG_AMBER && rag != RAG_GREEN)
        return rb_fail(err, "a manual rating must be Red, Amber or Green");
    if (str_blank(reason))
        return rb_fail(err, "a manual rating needs a reason");
    bool nested;
    if (edit_begin(st, &nested, err) != 0)
        return -1;
    char now[21];
    store_now(now);
    sqlite3_stmt *s = NULL;
    int rc = expect_check(st, action_id, err);
    if (rc != 0) {
        edit_end(st, nested, -1, err);
        return rc;
    }
    rc = edit_capture(st, UNDO_OVERRIDE, action_id, err);
    if (rc == 0)
        rc = store_cached(st,
                           "UPDATE actions SET rag_override = ?2, override_reason = ?3, "
                           "override_by = ?4, override_at = ?5, updated_at = ?5 WHERE id = ?1",
                           &s, err);
    if (rc == 0) {
        char letter[2] = {rag_letter(rag), '\0'};
        sqlite3_bind_int64(s, 1, action_id);
        sqlite3_bind_text(s, 2, letter, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 3, reason, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 4, st->user, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 5, now, -1, SQLITE_TRANSIENT);
        rc = step_done(st, s, "setting the rating", err);
        if (rc == 0 && sqlite3_changes(st->db) == 0)
            rc = rb_fail(err, "that action no longer exists");
    }
    return edit_end(st, nested, rc, err);
}

static const char action_select[] =
    "SELECT " ACTION_COLUMNS ACTION_FROM
    " WHERE (?1 IS NULL OR a.strand = ?1)"
    "   AND (?2 IS NULL OR a.lead = ?2 OR EXISTS (SELECT 1 FROM action_partners p"
    "        WHERE p.action_id = a.id AND p.agency = ?2))"
    " ORDER BY s.sort, a.ref COLLATE ragboard_ref";

/* Fill a from a row of action_select and rate it. */
void read_action(sqlite3_stmt *s, const struct rag_thresholds *t, rb_day today,
                 struct action *a)
{
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(s, 0);
    a->ref = col_text(s, 1, false);
    a->title = col_text(s, 2, false);
    a->description = col_text(s, 3, false);
    a->strand = col_text(s, 4, false);
    a->objective_ref = col_text(s, 5, true);
    a->objective_title = col_text(s, 6, true);
    a->lead = col_text(s, 7, true);
    a->owner = col_text(s, 8, false);
    a->partners = col_text(s, 9, false);
    a->start = col_date(s, 10);
    a->due = col_date(s, 11);
    a->progress = sqlite3_column_int(s, 12);
    if (!state_parse((const char *)sqlite3_column_text(s, 13), &a->state))
        a->state = STATE_NOT_STARTED;
    a->override = RAG_NONE;
    const char *ov = (const char *)sqlite3_column_text(s, 14);
    if (ov && !rag_parse(ov, &a->override))
        a->override = RAG_NONE;
    a->override_reason = col_text(s, 15, true);
    a->override_by = col_text(s, 16, true);
    a->override_at = col_text(s, 17, true);
    a->confidential = sqlite3_column_int(s, 18) != 0;
    a->created_at = col_text(s, 19, false);
    a->updated_at = col_text(s, 20, false);
    a->version = sqlite3_column_int64(s, 21);
    a->last_update = col_date(s, 22);
    a->last_update_at = col_text(s, 23, true);
    a->n_updates = sqlite3_column_int(s, 24);

    rb_day created = RB_NO_DATE;
    if (strlen(a->created_at) >= 10) {
        char d[11];
        memcpy(d, a->created_at, 10);
        d[10] = '\0';
        if (!date_parse_iso(d, &created))
            created = RB_NO_DATE;
    }
    struct rag_input in = {
        .state = a->state,
        .progress = a->progress,
        .start = a->start,
        .due = a->due,
        .created = created,
        .last_update = a->last_update,
        .last_update_at = a->last_update_at,
        .override = a->override,
        .override_at = a->override_at,
        .override_by = a->override_by,
        .override_reason = a->override_reason,
    };
    rag_compute(&in, t, today, &a->rag);
}

int store_actions_each(struct store *st, const struct action_query *q,
                       const struct rag_thresholds *t, rb_day today,
                       int (*cb)(const struct action *a, void *ctx), void *ctx, char *err)
{
    sqlite3_stmt *s;
    if (store_prepare(st, action_select, &s, err) != 0)
        return -1;
    if (q && q->strand) {
        int i = strand_index(q->strand);
        if (i < 0) {
            sqlite3_finalize(s);
            return rb_fail(err, "unknown strand \"%s\" (use Pursue, Protect, Prepare or "
                                "Prevent)", q->strand);
        }
        sqlite3_bind_text(s, 1, strands[i].code, -1, SQLITE_STATIC);
    }
    if (q && q->agency)
        sqlite3_bind_text(s, 2, q->agency, -1, SQLITE_TRANSIENT);
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
        struct action a;
        read_action(s, t, today, &a);
        rc = cb(&a, ctx);
        action_free(&a);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = store_error(st, "reading actions", err);
    sqlite3_finalize(s);
    return rc;
}

int store_updates_each(struct store *st, int64_t action_id,
                       int (*cb)(const struct progress_update *u, void *ctx), void *ctx,
                       char *err)
{
    sqlite3_stmt *s;
    if (store_cached(st,
                     "SELECT id, action_id, date, author, text, progress, confidential, "
                     "created_at FROM updates WHERE action_id = ? ORDER BY date, created_at",
                     &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, action_id);
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
        struct progress_update u = {
            .id = sqlite3_column_int64(s, 0),
            .action_id = sqlite3_column_int64(s, 1),
            .date = col_date(s, 2),
            .author = col_text(s, 3, false),
            .text = col_text(s, 4, false),
            .progress = sqlite3_column_type(s, 5) == SQLITE_NULL ? -1
                                                                 : sqlite3_column_int(s, 5),
            .confidential = sqlite3_column_int(s, 6) != 0,
            .created_at = col_text(s, 7, false),
        };
        rc = cb(&u, ctx);
        update_free(&u);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = store_error(st, "reading updates", err);
    store_release(st, s);
    return rc;
}

int store_agencies(struct store *st, struct agency **out, size_t *n, char *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s;
    if (store_prepare(st, "SELECT code, name, in_config FROM agencies "
                          "ORDER BY in_config DESC, sort, code", &s, err) != 0)
        return -1;
    size_t cap = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        (*out)[(*n)++] = (struct agency){col_text(s, 0, false), col_text(s, 1, false),
                                         sqlite3_column_int(s, 2) != 0};
    }
    sqlite3_finalize(s);
    return 0;
}

void agencies_free(struct agency *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].code);
        free(v[i].name);
    }
    free(v);
}

int store_partnership(struct store *st, struct partnership *out, char *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s;
    if (store_prepare(st, "SELECT name, plan_title, threat_level, ctlp_briefing "
                          "FROM partnership WHERE id = 1", &s, err) != 0)
        return -1;
    int rc = -1;
    if (sqlite3_step(s) == SQLITE_ROW) {
        out->name = col_text(s, 0, false);
        out->plan_title = col_text(s, 1, false);
        if (!threat_parse((const char *)sqlite3_column_text(s, 2), &out->threat))
            out->threat = THREAT_SUBSTANTIAL;
        out->ctlp_briefing = col_date(s, 3);
        rc = 0;
    } else {
        store_error(st, "reading the partnership", err);
    }
    sqlite3_finalize(s);
    return rc;
}

void partnership_free(struct partnership *p)
{
    free(p->name);
    free(p->plan_title);
    memset(p, 0, sizeof *p);
}

/* Agencies in the store but not in the config: delete the unused, flag the rest. */
static int retire_agencies(struct store *st, const struct config *cfg, struct diags *diags,
                           char *err)
{
    sqlite3_stmt *s;
    if (store_prepare(st,
                      "SELECT code, name, in_config, "
                      " EXISTS (SELECT 1 FROM actions WHERE lead = g.code) OR "
                      " EXISTS (SELECT 1 FROM action_partners WHERE agency = g.code) OR "
                      " EXISTS (SELECT 1 FROM attendance WHERE agency = g.code) "
                      "FROM agencies g ORDER BY code",
                      &s, err) != 0)
        return -1;
    struct strbuf drop = {0}, flag = {0};
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(s, 0);
        bool listed = false;
        for (size_t i = 0; i < cfg->n_agencies && !listed; i++)
            listed = strcmp(cfg->agencies[i].code, code) == 0;
        if (listed)
            continue;
        if (sqlite3_column_int(s, 3)) {
            diags_add(diags, DIAG_WARNING, cfg->path, 0,
                      "agency %s (%s) is no longer in [agencies] but still has actions or "
                      "meetings; it is kept and shown as retired",
                      code, sqlite3_column_text(s, 1));
            sb_addf(&flag, "%s%c", code, '\n');
        } else {
            sb_addf(&drop, "%s%c", code, '\n');
        }
    }
    sqlite3_finalize(s);
    int rc = 0;
    for (int pass = 0; pass < 2 && rc == 0; pass++) {
        struct strbuf *list = pass == 0 ? &drop : &flag;
        const char *sql = pass == 0 ? "DELETE FROM agencies WHERE code = ?"
                                    : "UPDATE agencies SET in_config = 0 WHERE code = ?";
        for (char *p = list->buf, *nl; rc == 0 && p && (nl = strchr(p, '\n')); p = nl + 1) {
            *nl = '\0';
            if (store_prepare(st, sql, &s, err) != 0) {
                rc = -1;
                break;
            }
            sqlite3_bind_text(s, 1, p, -1, SQLITE_TRANSIENT);
            rc = step_done(st, s, "updating agencies", err);
        }
    }
    sb_free(&drop);
    sb_free(&flag);
    return rc;
}

int store_sync_config(struct store *st, const struct config *cfg, struct diags *diags,
                      char *err)
{
    if (st->readonly)
        return 0;
    bool nested;
    if (edit_begin(st, &nested, err) != 0)
        return -1;
    sqlite3_stmt *s;
    int rc = store_prepare(st,
                           "UPDATE partnership SET name = ?, plan_title = ?, threat_level = ?, "
                           "ctlp_briefing = ? WHERE id = 1",
                           &s, err);
    if (rc == 0) {
        sqlite3_bind_text(s, 1, cfg->partnership_name ? cfg->partnership_name : "", -1,
                          SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, cfg->plan_title ? cfg->plan_title : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 3, threat_word(cfg->threat), -1, SQLITE_STATIC);
        bind_date(s, 4, cfg->ctlp_briefing);
        rc = step_done(st, s, "saving the partnership", err);
    }
    for (size_t i = 0; rc == 0 && i < cfg->n_agencies; i++) {
        rc = store_prepare(st,
                           "INSERT INTO agencies (code, name, in_config, sort) VALUES (?, ?, 1, ?) "
                           "ON CONFLICT (code) DO UPDATE SET name = excluded.name, in_config = 1,"
                           " sort = excluded.sort "
                           "WHERE name IS NOT excluded.name OR in_config = 0 "
                           "OR sort IS NOT excluded.sort",
                           &s, err);
        if (rc != 0)
            break;
        sqlite3_bind_text(s, 1, cfg->agencies[i].code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, cfg->agencies[i].name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(s, 3, (int)i);
        rc = step_done(st, s, "saving agencies", err);
    }
    if (rc == 0)
        rc = retire_agencies(st, cfg, diags, err);
    return edit_end(st, nested, rc, err);
}

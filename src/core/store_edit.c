/* Changing actions that exist: read one, save with a version check, set the state,
 * clear an override, delete; references and objectives for the edit form. */
#include "store_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/edit.h"
#include "ragboard/util.h"

int store_action_get(struct store *st, int64_t id, const struct rag_thresholds *t, rb_day today,
                     struct action *out, char *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *s;
    if (store_cached(st,
                      "SELECT " ACTION_COLUMNS ACTION_FROM_WITH(" WHERE action_id = ?1")
                      " WHERE a.id = ?1",
                      &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    int step = sqlite3_step(s), rc = 0;
    if (step == SQLITE_ROW) {
        read_action(s, t, today, out);
    } else if (step == SQLITE_DONE) {
        rb_fail(err, "that action no longer exists");
        rc = STORE_NOT_FOUND;
    } else {
        rc = store_error(st, "reading the action", err);
    }
    store_release(st, s);
    return rc;
}

/* ---- what changed, from the audit log ---- */

/* A field name as the user knows it. */
static const char *field_label(const char *tbl, const char *op, const char *field)
{
    static const struct {
        const char *field, *label;
    } names[] = {
        {"ref", "reference"},
        {"title", "title"},
        {"description", "description"},
        {"strand", "strand"},
        {"objective_id", "objective"},
        {"lead", "lead agency"},
        {"owner", "lead officer"},
        {"start_date", "start date"},
        {"due_date", "due date"},
        {"progress", "progress"},
        {"state", "state"},
        {"rag_override", "RAG override"},
        {"override_reason", "override reason"},
        {"confidential", "confidentiality"},
    };
    if (strcmp(tbl, "action_partners") == 0)
        return "partners";
    if (strcmp(tbl, "updates") == 0)
        return strcmp(op, "insert") == 0   ? "progress update added"
               : strcmp(op, "delete") == 0 ? "progress update removed"
                                           : "progress update edited";
    if (strcmp(op, "insert") == 0)
        return "created";
    for (size_t i = 0; field && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].field, field) == 0)
            return names[i].label;
    return field ? field : "details";
}

/* "14:03 UTC on 12/03/2026" from "2026-03-12T14:03:55Z". */
static void format_at(const char *at, char *buf, size_t n)
{
    rb_day d;
    char day[11] = "", date[RB_DATE_BUF];
    if (at && strlen(at) >= 16) {
        memcpy(day, at, 10);
        if (date_parse_iso(day, &d)) {
            snprintf(buf, n, "%.5s UTC on %s", at + 11, date_format_uk(d, date));
            return;
        }
    }
    snprintf(buf, n, "%s", at ? at : "an unknown time");
}

/* True when the list "a, b, c" holds item. */
static bool list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; p && *p;) {
        const char *end = strstr(p, ", ");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, item, n) == 0)
            return true;
        p = end ? end + 2 : NULL;
    }
    return false;
}

void audit_describe_since(struct store *st, int64_t action_id, int64_t since, char *msg)
{
    snprintf(msg, RB_ERRLEN, "changed by someone else");
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT user, at, tbl, op, field FROM audit"
                           " WHERE action_id = ?1 AND version >= ?2"
                           "   AND tbl IN ('actions', 'action_partners', 'updates')"
                           " ORDER BY seq",
                           -1, &s, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64(s, 1, action_id);
    sqlite3_bind_int64(s, 2, since);
    struct strbuf fields = {0};
    char *user = NULL, *at = NULL, *first_user = NULL;
    bool deleted = false, others = false;
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *u = (const char *)sqlite3_column_text(s, 0);
        const char *tbl = (const char *)sqlite3_column_text(s, 2);
        const char *op = (const char *)sqlite3_column_text(s, 3);
        const char *field = (const char *)sqlite3_column_text(s, 4);
        if (!first_user)
            first_user = xstrdup(u);
        else if (u && strcmp(first_user, u) != 0)
            others = true;
        free(user);
        free(at);
        user = xstrdup(u);
        at = col_text(s, 1, false);
        if (strcmp(tbl, "actions") == 0 && strcmp(op, "delete") == 0) {
            deleted = true;
            continue;
        }
        if (strcmp(tbl, "actions") == 0 && field && strcmp(field, "override_reason") == 0)
            continue; /* said by "RAG override" */
        const char *label = field_label(tbl, op, field);
        if (!list_has(fields.buf, label)) { /* each once, in the order first changed */
            sb_add(&fields, fields.len ? ", " : "");
            sb_add(&fields, label);
        }
    }
    sqlite3_finalize(s);
    if (user) {
        char when[64];
        format_at(at, when, sizeof when);
        if (deleted)
            snprintf(msg, RB_ERRLEN, "deleted by %s at %s", user, when);
        else
            snprintf(msg, RB_ERRLEN, "changed by %s%s at %s: %s", user,
                     others ? " and others" : "", when, fields.buf ? fields.buf : "details");
    }
    sb_free(&fields);
    free(user);
    free(at);
    free(first_user);
}

/* ---- checks ---- */

static int exists(struct store *st, const char *sql, const char *key, bool *found, char *err)
{
    sqlite3_stmt *s;
    if (store_cached(st, sql, &s, err) != 0)
        return -1;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(s);
    store_release(st, s);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return store_error(st, "checking the action", err);
    *found = step == SQLITE_ROW;
    return 0;
}

/* Split "A, B; C" into codes (each once, in order); caller frees the list. */
static char **split_codes(const char *list, size_t *n)
{
    char **v = NULL;
    size_t cap = 0;
    *n = 0;
    const char *p = list ? list : "";
    for (;;) {
        while (*p && (*p == ',' || *p == ';' || isspace((unsigned char)*p)))
            p++;
        const char *start = p;
        while (*p && *p != ',' && *p != ';' && !isspace((unsigned char)*p))
            p++;
        if (p == start)
            break;
        char *code = xstrndup(start, (size_t)(p - start));
        bool dup = false;
        for (size_t i = 0; i < *n && !dup; i++)
            dup = strcmp(v[i], code) == 0;
        if (dup) {
            free(code);
            continue;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 4;
            v = xrealloc(v, cap * sizeof *v);
        }
        v[(*n)++] = code;
    }
    return v;
}

static void codes_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Checks that need no database. */
static int validate_fields(const struct action *a, char *err)
{
    if (str_blank(a->title))
        return rb_fail(err, "an action needs a title");
    if (strand_index(a->strand) < 0)
        return rb_fail(err, "unknown strand \"%s\" (use Pursue, Protect, Prepare or Prevent)",
                       a->strand ? a->strand : "");
    if (a->progress < 0 || a->progress > 100)
        return rb_fail(err, "progress must be between 0 and 100, not %d", a->progress);
    if ((unsigned)a->state >= STATE_COUNT)
        return rb_fail(err, "unknown state");
    if (a->start != RB_NO_DATE && a->due != RB_NO_DATE && a->due < a->start) {
        char due[RB_DATE_BUF], start[RB_DATE_BUF];
        return rb_fail(err, "the due date (%s) is before the start date (%s)",
                       date_format_uk(a->due, due), date_format_uk(a->start, start));
    }
    return 0;
}

/* Checks against the agency list and objectives; fills *objective_id (0: none). */
static int validate_links(struct store *st, const struct action *a, char **partners,
                          size_t n_partners, int64_t *objective_id, char *err)
{
    bool found;
    if (!str_blank(a->lead)) {
        if (exists(st, "SELECT 1 FROM agencies WHERE code = ?", a->lead, &found, err) != 0)
            return -1;
        if (!found)
            return rb_fail(err, "unknown lead agency %s: it is not in the agency list",
                           a->lead);
    }
    for (size_t i = 0; i < n_partners; i++) {
        if (exists(st, "SELECT 1 FROM agencies WHERE code = ?", partners[i], &found, err) != 0)
            return -1;
        if (!found)
            return rb_fail(err, "unknown partner agency %s: it is not in the agency list",
                           partners[i]);
    }
    *objective_id = 0;
    if (str_blank(a->objective_ref))
        return 0;
    sqlite3_stmt *s;
    if (store_cached(st, "SELECT id, strand FROM objectives WHERE ref = ?", &s, err) != 0)
        return -1;
    sqlite3_bind_text(s, 1, a->objective_ref, -1, SQLITE_TRANSIENT);
    int rc = 0;
    if (sqlite3_step(s) == SQLITE_ROW) {
        *objective_id = sqlite3_column_int64(s, 0);
        int have = strand_index((const char *)sqlite3_column_text(s, 1));
        int want = strand_index(a->strand);
        if (have != want)
            rc = rb_fail(err, "objective %s is under %s, not %s", a->objective_ref,
                         have >= 0 ? strands[have].name : "another strand",
                         strands[want].name);
    } else {
        rc = rb_fail(err, "no objective with reference %s", a->objective_ref);
    }
    store_release(st, s);
    return rc;
}

/* The action's version, or 0 when it does not exist. */
static int current_version(struct store *st, int64_t id, int64_t *version, char *err)
{
    sqlite3_stmt *s;
    if (store_cached(st, "SELECT version FROM actions WHERE id = ?", &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    int step = sqlite3_step(s);
    *version = step == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    store_release(st, s);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return store_error(st, "reading the action", err);
    return 0;
}

/* Make the action's partners exactly codes (in that order); *changed says whether
 * anything was written. */
static int sync_partners(struct store *st, int64_t id, char **codes, size_t n, bool *changed,
                         char *err)
{
    *changed = false;
    sqlite3_stmt *s;
    if (store_cached(st, "SELECT agency FROM action_partners WHERE action_id = ?", &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    size_t n_old = 0, cap = 0;
    char **old = NULL;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (n_old == cap) {
            cap = cap ? cap * 2 : 4;
            old = xrealloc(old, cap * sizeof *old);
        }
        old[n_old++] = col_text(s, 0, false);
    }
    store_release(st, s);
    int rc = store_cached(st, "DELETE FROM action_partners WHERE action_id = ?1 AND agency = ?2",
                           &s, err);
    for (size_t i = 0; rc == 0 && i < n_old; i++) {
        bool keep = false;
        for (size_t j = 0; j < n && !keep; j++)
            keep = strcmp(old[i], codes[j]) == 0;
        if (keep)
            continue;
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_text(s, 2, old[i], -1, SQLITE_TRANSIENT);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = store_error(st, "removing a partner", err);
        *changed = true;
    }
    if (rc == 0) {
        store_release(st, s);
        rc = store_cached(st,
                           "INSERT INTO action_partners (action_id, agency, sort) VALUES (?, ?, ?)"
                           " ON CONFLICT (action_id, agency) DO UPDATE SET sort = excluded.sort"
                           " WHERE sort IS NOT excluded.sort",
                           &s, err);
    }
    for (size_t j = 0; rc == 0 && j < n; j++) {
        bool had = false;
        for (size_t i = 0; i < n_old && !had; i++)
            had = strcmp(old[i], codes[j]) == 0;
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_text(s, 2, codes[j], -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(s, 3, (int)j);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = rb_fail(err, "partner agency %s: %s", codes[j], sqlite3_errmsg(st->db));
        else if (!had || sqlite3_changes(st->db) > 0)
            *changed = true; /* added, or moved in the order */
    }
    store_release(st, s);
    codes_free(old, n_old);
    return rc;
}

int store_action_save(struct store *st, const struct action *a, char *err)
{
    st->expect_id = 0; /* the form's own version is checked below */
    if (validate_fields(a, err) != 0)
        return -1;
    bool nested;
    if (edit_begin(st, &nested, err) != 0)
        return -1;
    int64_t version;
    if (current_version(st, a->id, &version, err) != 0)
        return edit_end(st, nested, -1, err);
    if (version != a->version) {
        char msg[RB_ERRLEN];
        audit_describe_since(st, a->id, a->version, msg);
        rb_fail(err, "%s was %s", a->ref ? a->ref : "this action", msg);
        edit_end(st, nested, -1, err);
        return STORE_CONFLICT;
    }
    size_t n_partners;
    char **partners = split_codes(a->partners, &n_partners);
    int64_t objective_id = 0;
    int rc = validate_links(st, a, partners, n_partners, &objective_id, err);
    if (rc == 0)
        rc = edit_capture(st, UNDO_SAVE, a->id, err);
    bool partners_changed = false;
    if (rc == 0)
        rc = sync_partners(st, a->id, partners, n_partners, &partners_changed, err);
    codes_free(partners, n_partners);

    char now[21];
    store_now(now);
    sqlite3_stmt *s = NULL;
    if (rc == 0)
        rc = store_cached(st,
                           "UPDATE actions SET title = ?2, description = ?3, strand = ?4,"
                           " objective_id = ?5, lead = ?6, owner = ?7, start_date = ?8,"
                           " due_date = ?9, progress = ?10, state = ?11, confidential = ?12,"
                           " updated_at = ?13"
                           " WHERE id = ?1 AND (?14 OR (title, description, strand, objective_id,"
                           " lead, owner, start_date, due_date, progress, state, confidential)"
                           " IS NOT (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12))",
                           &s, err);
    if (rc == 0) {
        sqlite3_bind_int64(s, 1, a->id);
        sqlite3_bind_text(s, 2, a->title, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 3, a->description ? a->description : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 4, strands[strand_index(a->strand)].code, -1, SQLITE_STATIC);
        if (objective_id)
            sqlite3_bind_int64(s, 5, objective_id);
        else
            sqlite3_bind_null(s, 5);
        bind_text_or_null(s, 6, str_blank(a->lead) ? NULL : a->lead);
        sqlite3_bind_text(s, 7, a->owner ? a->owner : "", -1, SQLITE_TRANSIENT);
        bind_date(s, 8, a->start);
        bind_date(s, 9, a->due);
        sqlite3_bind_int(s, 10, a->state == STATE_COMPLETE ? 100 : a->progress);
        sqlite3_bind_text(s, 11, state_code(a->state), -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 12, a->confidential ? 1 : 0);
        sqlite3_bind_text(s, 13, now, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(s, 14, partners_changed);
        rc = step_done(st, s, "saving the action", err);
    }
    if (rc == 0 && sqlite3_changes(st->db) == 0) {
        /* Nothing changed: write nothing, and keep the previous undo. */
        undo_free(st->pending);
        st->pending = NULL;
    }
    return edit_end(st, nested, rc, err);
}

/* Start an edit of an existing action; -1 (edit ended) when it is gone. */
static int begin_existing(struct store *st, int64_t id, bool *nested, char *err)
{
    if (edit_begin(st, nested, err) != 0)
        return -1;
    int64_t version;
    if (current_version(st, id, &version, err) != 0)
        return edit_end(st, *nested, -1, err);
    if (version == 0 && st->expect_id != id) {
        st->expect_id = 0;
        rb_fail(err, "that action no longer exists");
        return edit_end(st, *nested, -1, err);
    }
    int rc = expect_check(st, id, err);
    if (rc != 0) {
        edit_end(st, *nested, -1, err);
        return rc;
    }
    return 0;
}

/* Run an UPDATE of one action (?1 = id, ?2 = now, ?3 = an optional text) as an undoable
 * edit of this kind; nothing is written (or remembered) when it changes no row. */
static int update_action(struct store *st, int64_t id, enum undo_kind kind, const char *sql,
                         const char *text, char *err)
{
    bool nested;
    int rc = begin_existing(st, id, &nested, err);
    if (rc != 0)
        return rc;
    rc = edit_capture(st, kind, id, err);
    sqlite3_stmt *s = NULL;
    if (rc == 0)
        rc = store_cached(st, sql, &s, err);
    if (rc == 0) {
        char now[21];
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_text(s, 2, store_now(now), -1, SQLITE_TRANSIENT);
        if (text)
            sqlite3_bind_text(s, 3, text, -1, SQLITE_STATIC);
        rc = step_done(st, s, "saving the action", err);
    }
    if (rc == 0 && sqlite3_changes(st->db) == 0) {
        undo_free(st->pending);
        st->pending = NULL;
    }
    return edit_end(st, nested, rc, err);
}

int store_action_set_state(struct store *st, int64_t id, enum action_state state, char *err)
{
    if ((unsigned)state >= STATE_COUNT)
        return rb_fail(err, "unknown state");
    enum undo_kind kind = state == STATE_COMPLETE    ? UNDO_COMPLETE
                          : state == STATE_CANCELLED ? UNDO_CANCEL
                                                     : UNDO_STATE;
    return update_action(st, id, kind,
                         "UPDATE actions SET state = ?3,"
                         " progress = CASE WHEN ?3 = 'complete' THEN 100 ELSE progress END,"
                         " updated_at = ?2"
                         " WHERE id = ?1 AND (state IS NOT ?3"
                         "   OR (?3 = 'complete' AND progress <> 100))",
                         state_code(state), err);
}

int store_action_clear_override(struct store *st, int64_t id, char *err)
{
    return update_action(st, id, UNDO_CLEAR,
                         "UPDATE actions SET rag_override = NULL, override_reason = NULL,"
                         " override_by = NULL, override_at = NULL, updated_at = ?2"
                         " WHERE id = ?1 AND (rag_override IS NOT NULL"
                         "   OR override_reason IS NOT NULL OR override_at IS NOT NULL)",
                         NULL, err);
}

int action_delete_rows(struct store *st, int64_t action_id, char *err)
{
    static const char *const sql[] = {
        "DELETE FROM updates WHERE action_id = ?",
        "DELETE FROM action_partners WHERE action_id = ?",
        "DELETE FROM actions WHERE id = ?",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        sqlite3_stmt *s;
        if (store_prepare(st, sql[i], &s, err) != 0)
            return -1;
        sqlite3_bind_int64(s, 1, action_id);
        if (step_done(st, s, "deleting the action", err) != 0)
            return -1;
    }
    return 0;
}

int store_action_delete(struct store *st, int64_t id, char *err)
{
    bool nested;
    int rc = begin_existing(st, id, &nested, err);
    if (rc != 0)
        return rc;
    rc = edit_capture(st, UNDO_DELETE, id, err);
    if (rc == 0)
        rc = action_delete_rows(st, id, err);
    return edit_end(st, nested, rc, err);
}

/* ---- references and objectives ---- */

char *store_next_ref(struct store *st, const char *prefix)
{
    if (str_blank(prefix))
        return NULL;
    size_t len = strlen(prefix);
    unsigned char last = (unsigned char)prefix[len - 1];
    const char *sep = isdigit(last) ? "." : isalpha(last) ? "-" : "";
    char *base = xasprintf("%s%s", prefix, sep);
    sqlite3_stmt *s;
    /* In a bulk write, its own rows (keys of the run, store_key_run) do not count: the
     * reference is the one a check of the same rows before the write gave. */
    if (sqlite3_prepare_v2(st->db,
                           "SELECT ref FROM actions WHERE substr(ref, 1, length(?1)) = ?1"
                           "  AND id NOT BETWEEN ?2 AND ?3"
                           " UNION ALL"
                           " SELECT ref FROM objectives WHERE substr(ref, 1, length(?1)) = ?1"
                           "  AND id NOT BETWEEN ?2 AND ?3",
                           -1, &s, NULL) != SQLITE_OK) {
        free(base);
        return NULL;
    }
    sqlite3_bind_text(s, 1, base, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, st->key_next ? st->key_end - STORE_KEY_RUN : 0);
    sqlite3_bind_int64(s, 3, st->key_next ? st->key_end - 1 : -1);
    long max = 0;
    size_t blen = strlen(base);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *ref = (const char *)sqlite3_column_text(s, 0);
        if (!ref || strlen(ref) <= blen)
            continue;
        const char *p = ref + blen;
        long n = 0;
        int digits = 0;
        while (isdigit((unsigned char)*p) && digits < 9) {
            n = n * 10 + (*p++ - '0');
            digits++;
        }
        if (digits && (*p == '\0' || *p == '.' || *p == '-') && n > max)
            max = n;
    }
    sqlite3_finalize(s);
    char *out = step == SQLITE_DONE ? xasprintf("%s%ld", base, max + 1) : NULL;
    free(base);
    return out;
}

int store_objectives(struct store *st, const char *strand, struct objective **out, size_t *n,
                     char *err)
{
    *out = NULL;
    *n = 0;
    int si = -1;
    if (strand && (si = strand_index(strand)) < 0)
        return rb_fail(err, "unknown strand \"%s\" (use Pursue, Protect, Prepare or Prevent)",
                       strand);
    sqlite3_stmt *s;
    if (store_prepare(st,
                      "SELECT o.ref, o.title, o.strand FROM objectives o"
                      " JOIN strands s ON s.code = o.strand"
                      " WHERE ?1 IS NULL OR o.strand = ?1"
                      " ORDER BY s.sort, o.ref COLLATE ragboard_ref",
                      &s, err) != 0)
        return -1;
    if (si >= 0)
        sqlite3_bind_text(s, 1, strands[si].code, -1, SQLITE_STATIC);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        (*out)[(*n)++] = (struct objective){col_text(s, 0, false), col_text(s, 1, false),
                                            col_text(s, 2, false)};
    }
    sqlite3_finalize(s);
    if (step != SQLITE_DONE) {
        objectives_free(*out, *n);
        *out = NULL;
        *n = 0;
        return store_error(st, "reading objectives", err);
    }
    return 0;
}

void objectives_free(struct objective *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].ref);
        free(v[i].title);
        free(v[i].strand);
    }
    free(v);
}

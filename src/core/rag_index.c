/* The RAG index (ragboard/rag_index.h): derived tables beside the plan, the triggers
 * that mark changed actions, and bringing every stored rating up to date for a day.
 *
 * rag_index holds one row per action: what the lists sort and filter on (strand,
 * objective, natural-order keys of the references, lead, rating, state, flags, due
 * date, last update), the direction of travel since the last closed meeting, and the
 * window of days [valid_from, valid_until) over which the rating holds (rag_window).
 * rag_totals holds counts per strand, lead, rating and direction, kept by triggers on
 * rag_index. Triggers on the plan's tables put the id of every action changed into
 * rag_dirty, in the same transaction as the change, whoever makes it. The index is
 * derived data: it is never exchanged between copies (changes.c does not track it),
 * and it is rebuilt whenever its layout, the thresholds or the baseline meeting change. */
#include "store_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/rag_index.h"
#include "ragboard/util.h"

/* Bump when the derived tables change shape: they are dropped and built again. */
#define RAG_INDEX_LAYOUT 4
/* due_key of an action without a due date: after every date. */
#define NO_DUE 2147483647

enum since_class { SINCE_NONE, SINCE_BETTER, SINCE_WORSE, SINCE_SAME, SINCE_NEW, SINCE_CLOSED };

/* ---- schema; "@." stands for the schema the tables live in (main, or temp for a
 * read-only store), substituted from a fixed list ---- */

static const char *const derived_sql[] = {
    "CREATE TABLE IF NOT EXISTS @.rag_index_state ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  layout INTEGER NOT NULL,"
    "  rules TEXT," /* the thresholds it was built with; NULL: never built */
    "  baseline INTEGER NOT NULL DEFAULT 0," /* the last closed meeting then, 0: none */
    "  rev INTEGER NOT NULL DEFAULT 0,"      /* revision: one more at each change */
    "  rebuilt INTEGER NOT NULL DEFAULT 0,"  /* the revision of the last full build */
    "  log_from INTEGER NOT NULL DEFAULT 0"  /* rag_log holds every revision after this */
    ");",
    /* The actions rated again at each revision, so that a list loaded at an earlier
     * one can catch up row by row (plan_list_update). */
    "CREATE TABLE IF NOT EXISTS @.rag_log ("
    "  rev INTEGER NOT NULL,"
    "  id INTEGER NOT NULL,"
    "  PRIMARY KEY (rev, id)"
    ") WITHOUT ROWID;",
    "CREATE TABLE IF NOT EXISTS @.rag_index ("
    "  id INTEGER PRIMARY KEY,"   /* actions.id */
    "  strand INTEGER NOT NULL,"  /* position in strands[] */
    "  objective INTEGER NOT NULL," /* objectives.id, 0 when none */
    "  obj_key BLOB NOT NULL,"    /* natural order of the objective's reference, none last */
    "  ref_key BLOB NOT NULL,"    /* natural order of the reference */
    "  lead TEXT,"
    "  lead_key NOT NULL,"        /* the lead, or an empty blob (after all text) when none */
    "  rag INTEGER NOT NULL,"     /* enum rag */
    "  state INTEGER NOT NULL,"   /* enum action_state */
    "  overdue INTEGER NOT NULL,"
    "  stale INTEGER NOT NULL,"
    "  due_key INTEGER NOT NULL," /* due day, NO_DUE when ongoing */
    "  last_update INTEGER,"      /* day of the latest update, NULL when none */
    "  since INTEGER NOT NULL,"   /* enum since_class */
    "  valid_from INTEGER,"       /* the rating holds from this day (NULL: always) */
    "  valid_until INTEGER"       /* until the day before this one (NULL: for ever) */
    ");",
    /* One index per order of the action list, each within a strand and carrying what
     * the filters look at, so that a list is one scan of one index. */
    "CREATE INDEX IF NOT EXISTS @.rag_index_plan ON rag_index"
    "  (strand, obj_key, ref_key, rag, state, overdue, lead, objective);",
    "CREATE INDEX IF NOT EXISTS @.rag_index_due ON rag_index"
    "  (strand, due_key, ref_key, rag, state, overdue, lead);",
    "CREATE INDEX IF NOT EXISTS @.rag_index_rag ON rag_index"
    "  (strand, rag, due_key, ref_key, state, overdue, lead);",
    "CREATE INDEX IF NOT EXISTS @.rag_index_agency ON rag_index"
    "  (strand, lead_key, ref_key, rag, state, overdue, lead);",
    "CREATE INDEX IF NOT EXISTS @.rag_index_updated ON rag_index"
    "  (strand, last_update, ref_key, rag, state, overdue, lead);",
    "CREATE INDEX IF NOT EXISTS @.rag_index_lead ON rag_index (lead, rag, due_key);",
    "CREATE INDEX IF NOT EXISTS @.rag_index_until ON rag_index (valid_until)"
    "  WHERE valid_until IS NOT NULL;",
    "CREATE INDEX IF NOT EXISTS @.rag_index_from ON rag_index (valid_from)"
    "  WHERE valid_from IS NOT NULL;",
    "CREATE TABLE IF NOT EXISTS @.rag_totals ("
    "  strand INTEGER NOT NULL,"
    "  lead TEXT NOT NULL," /* '' when none */
    "  rag INTEGER NOT NULL,"
    "  since INTEGER NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  overdue INTEGER NOT NULL,"
    "  stale INTEGER NOT NULL,"
    "  PRIMARY KEY (strand, lead, rag, since)"
    ") WITHOUT ROWID;",
    "CREATE TRIGGER IF NOT EXISTS @.rag_totals_insert AFTER INSERT ON rag_index BEGIN"
    "  INSERT INTO rag_totals VALUES (new.strand, coalesce(new.lead, ''), new.rag, new.since,"
    "    1, new.overdue, new.stale)"
    "  ON CONFLICT DO UPDATE SET n = n + 1, overdue = overdue + excluded.overdue,"
    "    stale = stale + excluded.stale;"
    " END;",
    "CREATE TRIGGER IF NOT EXISTS @.rag_totals_delete AFTER DELETE ON rag_index BEGIN"
    "  UPDATE rag_totals SET n = n - 1, overdue = overdue - old.overdue,"
    "    stale = stale - old.stale"
    "  WHERE strand = old.strand AND lead = coalesce(old.lead, '') AND rag = old.rag"
    "    AND since = old.since;"
    " END;",
    "CREATE TRIGGER IF NOT EXISTS @.rag_totals_update AFTER UPDATE OF strand, lead, rag, since,"
    "  overdue, stale ON rag_index BEGIN"
    "  UPDATE rag_totals SET n = n - 1, overdue = overdue - old.overdue,"
    "    stale = stale - old.stale"
    "  WHERE strand = old.strand AND lead = coalesce(old.lead, '') AND rag = old.rag"
    "    AND since = old.since;"
    "  INSERT INTO rag_totals VALUES (new.strand, coalesce(new.lead, ''), new.rag, new.since,"
    "    1, new.overdue, new.stale)"
    "  ON CONFLICT DO UPDATE SET n = n + 1, overdue = overdue + excluded.overdue,"
    "    stale = stale + excluded.stale;"
    " END;",
    NULL,
};

/* Marking changed actions: only in the file, where changes are made. */
static const char *const dirty_sql[] = {
    "CREATE TABLE IF NOT EXISTS main.rag_dirty (id INTEGER PRIMARY KEY);",
    "CREATE TRIGGER IF NOT EXISTS main.rag_dirty_action_insert AFTER INSERT ON actions BEGIN"
    "  INSERT OR IGNORE INTO rag_dirty (id) VALUES (new.id);"
    " END;",
    "CREATE TRIGGER IF NOT EXISTS main.rag_dirty_action_update AFTER UPDATE ON actions BEGIN"
    "  INSERT OR IGNORE INTO rag_dirty (id) VALUES (old.id);"
    "  INSERT OR IGNORE INTO rag_dirty (id) VALUES (new.id);"
    " END;",
    "CREATE TRIGGER IF NOT EXISTS main.rag_dirty_action_delete AFTER DELETE ON actions BEGIN"
    "  INSERT OR IGNORE INTO rag_dirty (id) VALUES (old.id);"
    " END;",
    "CREATE TRIGGER IF NOT EXISTS main.rag_dirty_update_insert AFTER INSERT ON updates BEGIN"
    "  INSERT OR IGNORE INTO rag_dirty (id) VALUES (new.action_id);"
    " END;",
    "CREATE TRIGGER IF NOT EXISTS main.rag_dirty_update_update AFTER UPDATE ON updates BEGIN"
    "  INSERT OR IGNORE INTO rag_dirty (id) VALUES (old.action_id);"
    "  INSERT OR IGNORE INTO rag_dirty (id) VALUES (new.action_id);"
    " END;",
    "CREATE TRIGGER IF NOT EXISTS main.rag_dirty_update_delete AFTER DELETE ON updates BEGIN"
    "  INSERT OR IGNORE INTO rag_dirty (id) VALUES (old.action_id);"
    " END;",
    "CREATE TRIGGER IF NOT EXISTS main.rag_dirty_objective AFTER UPDATE OF ref ON objectives"
    " BEGIN"
    "  INSERT OR IGNORE INTO rag_dirty (id) SELECT id FROM actions WHERE objective_id = new.id;"
    " END;",
    NULL,
};

static const char *const drop_sql =
    "DROP TABLE IF EXISTS @.rag_log;"
    "DROP TABLE IF EXISTS @.rag_index;"
    "DROP TABLE IF EXISTS @.rag_totals;"
    "DROP TABLE IF EXISTS @.rag_index_state;";

/* A full build fills the tables bare and then indexes them and sums the totals once:
 * many times quicker than keeping eight indexes and the totals up to date row by row. */
static const char *const bare_sql =
    "DROP TRIGGER IF EXISTS @.rag_totals_insert;"
    "DROP TRIGGER IF EXISTS @.rag_totals_delete;"
    "DROP TRIGGER IF EXISTS @.rag_totals_update;"
    "DROP INDEX IF EXISTS @.rag_index_plan;"
    "DROP INDEX IF EXISTS @.rag_index_due;"
    "DROP INDEX IF EXISTS @.rag_index_rag;"
    "DROP INDEX IF EXISTS @.rag_index_agency;"
    "DROP INDEX IF EXISTS @.rag_index_updated;"
    "DROP INDEX IF EXISTS @.rag_index_lead;"
    "DROP INDEX IF EXISTS @.rag_index_until;"
    "DROP INDEX IF EXISTS @.rag_index_from;";
static const char *const totals_sql =
    "INSERT INTO @.rag_totals SELECT strand, coalesce(lead, ''), rag, since, count(*),"
    " sum(overdue), sum(stale) FROM @.rag_index GROUP BY 1, 2, 3, 4;";

/* sql with every "@." replaced by the schema name (main or temp); caller frees. */
static char *in_schema(const char *sql, bool temp)
{
    struct strbuf sb = {0};
    for (const char *p = sql; *p; p++) {
        if (p[0] == '@' && p[1] == '.')
            sb_add(&sb, temp ? "temp" : "main");
        else
            sb_addc(&sb, *p);
    }
    return sb_take(&sb);
}

static int exec_in(struct store *st, const char *sql, bool temp, char *err)
{
    char *q = in_schema(sql, temp);
    char *msg = NULL;
    int rc = sqlite3_exec(st->db, q, NULL, NULL, &msg);
    free(q);
    if (rc != SQLITE_OK) {
        rb_fail(err, "keeping the RAG index: %s", msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int exec_all(struct store *st, const char *const *list, bool temp, char *err)
{
    for (const char *const *p = list; *p; p++)
        if (exec_in(st, *p, temp, err) != 0)
            return -1;
    return 0;
}

/* One integer from a query with up to one bound integer; def when no row or error. */
static int64_t query_int(struct store *st, const char *sql, bool temp, int64_t arg,
                         int64_t def)
{
    char *q = in_schema(sql, temp);
    sqlite3_stmt *s;
    int64_t v = def;
    if (sqlite3_prepare_v2(st->db, q, -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_bind_parameter_count(s) >= 1)
            sqlite3_bind_int64(s, 1, arg);
        if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
            v = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    free(q);
    return v;
}

/* ---- transactions of the index's own ---- */

static int begin(struct store *st, bool *nested, char *err)
{
    *nested = !sqlite3_get_autocommit(st->db);
    const char *sql = *nested ? "SAVEPOINT rag_index" : "BEGIN IMMEDIATE";
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_error(st, "bringing the ratings up to date", err);
    return 0;
}

static int end(struct store *st, bool nested, int rc, char *err)
{
    if (rc == 0) {
        const char *sql = nested ? "RELEASE rag_index" : "COMMIT";
        if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK)
            return 0;
        store_error(st, "bringing the ratings up to date", err);
    }
    sqlite3_exec(st->db, nested ? "ROLLBACK TO rag_index; RELEASE rag_index" : "ROLLBACK", NULL,
                 NULL, NULL);
    return -1;
}

/* ---- setting up ---- */

/* Create (or, after a layout change, re-create) the derived tables in a schema. */
static int ensure_schema(struct store *st, bool temp, char *err)
{
    int64_t layout = query_int(st, "SELECT layout FROM @.rag_index_state WHERE id = 1", temp,
                               0, -1);
    if (layout == RAG_INDEX_LAYOUT)
        return 0;
    bool nested;
    if (!temp && begin(st, &nested, err) != 0)
        return -1;
    int rc = 0;
    if (layout != -1)
        rc = exec_in(st, drop_sql, temp, err);
    if (rc == 0)
        rc = exec_all(st, derived_sql, temp, err);
    if (rc == 0 && !temp)
        rc = exec_all(st, dirty_sql, false, err);
    if (rc == 0) {
        char sql[96];
        snprintf(sql, sizeof sql,
                 "INSERT OR REPLACE INTO @.rag_index_state (id, layout) VALUES (1, %d);",
                 RAG_INDEX_LAYOUT);
        rc = exec_in(st, sql, temp, err);
    }
    return temp ? rc : end(st, nested, rc, err);
}

int rag_index_attach(struct store *st, char *err)
{
    if (st->readonly)
        return 0; /* built in temp when first needed, if the file's is out of date */
    return ensure_schema(st, false, err);
}

/* ---- natural-order keys ---- */

void rag_index_ref_key(const char *ref, struct strbuf *sb)
{
    /* Letters compare without case; a run of digits compares by value, encoded as its
     * length (after leading zeros) then its digits, in a byte that sorts where a digit
     * does against every other character. A reference spelt canonically (capitals, no
     * leading zeros) ends there, with a 1; another spelling of the same key ends with 0
     * or 2 (it sorts before or after the canonical one in plain byte order, as its first
     * difference from it decides) and the reference itself, which orders such spellings
     * among themselves. Bytes below 4 are written as 3 and the byte plus 3, so that every
     * byte of a key is above the end markers and keeps its order. */
    const unsigned char *p = (const unsigned char *)(ref ? ref : "");
    int first = 0; /* first departure from the canonical spelling: -1 before, +1 after */
    while (*p) {
        if (isdigit(*p)) {
            const unsigned char *z = p;
            while (*p == '0')
                p++;
            if (p > z && !first)
                first = -1;
            const unsigned char *start = p;
            while (isdigit(*p))
                p++;
            size_t len = (size_t)(p - start);
            if (len < 9) {
                sb_addc(sb, (char)('0' + len));
            } else {
                sb_addc(sb, '9');
                sb_addc(sb, (char)(0x30 + (len - 9) / 64));
                sb_addc(sb, (char)(0x30 + (len - 9) % 64));
            }
            sb_addn(sb, (const char *)start, len);
        } else {
            int c = toupper(*p);
            if (c != *p && !first)
                first = 1;
            if (c < 4) { /* kept above the end markers, in order: 3 then 4..6 */
                sb_addc(sb, 3);
                c += 3;
            }
            sb_addc(sb, (char)c);
            p++;
        }
    }
    if (!first) {
        sb_addc(sb, 1);
        return;
    }
    sb_addc(sb, first < 0 ? 0 : 2);
    sb_add(sb, ref);
}

/* ---- rating one action ---- */

struct rater {
    struct store *st;
    const struct rag_thresholds *t;
    rb_day today;
    int64_t baseline; /* last closed meeting, 0 when none */
    const struct snapshot *snap; /* loaded for a full build, else NULL */
    sqlite3_stmt *put, *snap_row;
    struct strbuf key;
};

#define RATE_COLUMNS "SELECT " ACTION_COLUMNS_WITH("NULL") ", coalesce(a.objective_id, 0)"

static const char put_sql[] =
    "INSERT INTO @.rag_index (id, strand, objective, obj_key, ref_key, lead, lead_key, rag,"
    " state, overdue, stale, due_key, last_update, since, valid_from, valid_until)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
    " ON CONFLICT (id) DO UPDATE SET strand = excluded.strand, objective = excluded.objective,"
    " obj_key = excluded.obj_key, ref_key = excluded.ref_key, lead = excluded.lead,"
    " lead_key = excluded.lead_key, rag = excluded.rag, state = excluded.state,"
    " overdue = excluded.overdue, stale = excluded.stale, due_key = excluded.due_key,"
    " last_update = excluded.last_update, since = excluded.since,"
    " valid_from = excluded.valid_from, valid_until = excluded.valid_until";

static int rater_init(struct rater *r, struct store *st, const struct rag_thresholds *t,
                      rb_day today, int64_t baseline, bool temp, char *err)
{
    memset(r, 0, sizeof *r);
    r->st = st;
    r->t = t;
    r->today = today;
    r->baseline = baseline;
    char *q = in_schema(put_sql, temp);
    int rc = store_prepare(st, q, &r->put, err);
    free(q);
    if (rc == 0 && baseline)
        rc = store_prepare(st,
                           "SELECT rag, progress, state, updates FROM meeting_snapshots"
                           " WHERE meeting_id = ?1 AND action_id = ?2",
                           &r->snap_row, err);
    return rc;
}

static void rater_free(struct rater *r)
{
    sqlite3_finalize(r->put);
    sqlite3_finalize(r->snap_row);
    sb_free(&r->key);
}

/* How the action stood at the baseline meeting; false when it was not in the plan. */
static bool before_of(struct rater *r, int64_t id, struct snapshot_row *out)
{
    if (r->snap) {
        const struct snapshot_row *row = snapshot_find(r->snap, id);
        if (row)
            *out = *row;
        return row != NULL;
    }
    sqlite3_stmt *s = r->snap_row;
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, r->baseline);
    sqlite3_bind_int64(s, 2, id);
    if (sqlite3_step(s) != SQLITE_ROW)
        return false;
    memset(out, 0, sizeof *out);
    out->action_id = id;
    snapshot_row_read(s, 0, out);
    return true;
}

/* The direction of travel as since_count_strands counts it. */
static enum since_class since_of(struct rater *r, const struct action *a)
{
    if (!r->baseline)
        return SINCE_NONE;
    struct snapshot_row before;
    bool had = before_of(r, a->id, &before);
    if (had && (before.state == STATE_COMPLETE || before.state == STATE_CANCELLED))
        return SINCE_NONE;
    struct since sn;
    since_compute(had ? &before : NULL, a, &sn);
    return sn.is_new ? SINCE_NEW
           : sn.closed ? SINCE_CLOSED
           : sn.direction > 0 ? SINCE_BETTER
           : sn.direction < 0 ? SINCE_WORSE
                              : SINCE_SAME;
}

static void bind_day(sqlite3_stmt *s, int i, rb_day d)
{
    if (d == RB_NO_DATE)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_int(s, i, d);
}

/* Rate the action in the current row of s (RATE_COLUMNS) and store it. */
static int rate_row(struct rater *r, sqlite3_stmt *s, char *err)
{
    struct action a;
    read_action(s, r->t, r->today, &a);
    int64_t objective = sqlite3_column_int64(s, ACTION_N_COLUMNS);
    rb_day created = RB_NO_DATE;
    if (a.created_at && strlen(a.created_at) >= 10) {
        char d[11];
        memcpy(d, a.created_at, 10);
        d[10] = '\0';
        if (!date_parse_iso(d, &created))
            created = RB_NO_DATE;
    }
    struct rag_input in = {
        .state = a.state,
        .progress = a.progress,
        .start = a.start,
        .due = a.due,
        .created = created,
        .last_update = a.last_update,
        .last_update_at = a.last_update_at,
        .override = a.override,
        .override_at = a.override_at,
        .override_by = a.override_by,
        .override_reason = a.override_reason,
    };
    rb_day from, until;
    rag_window(&in, r->t, r->today, &from, &until);

    sqlite3_stmt *p = r->put;
    sqlite3_reset(p);
    sqlite3_bind_int64(p, 1, a.id);
    sqlite3_bind_int(p, 2, strand_index(a.strand));
    sqlite3_bind_int64(p, 3, objective);
    r->key.len = 0;
    if (a.objective_ref) {
        rag_index_ref_key(a.objective_ref, &r->key);
        sqlite3_bind_blob(p, 4, r->key.buf, (int)r->key.len, SQLITE_TRANSIENT);
    } else {
        static const unsigned char none[1] = {0xFF}; /* after every reference */
        sqlite3_bind_blob(p, 4, none, 1, SQLITE_STATIC);
    }
    r->key.len = 0;
    rag_index_ref_key(a.ref, &r->key);
    sqlite3_bind_blob(p, 5, r->key.buf, (int)r->key.len, SQLITE_TRANSIENT);
    if (a.lead && *a.lead) {
        sqlite3_bind_text(p, 6, a.lead, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(p, 7, a.lead, -1, SQLITE_TRANSIENT);
    } else {
        sqlite3_bind_null(p, 6);
        sqlite3_bind_zeroblob(p, 7, 0);
    }
    sqlite3_bind_int(p, 8, (int)a.rag.rag);
    sqlite3_bind_int(p, 9, (int)a.state);
    sqlite3_bind_int(p, 10, a.rag.overdue);
    sqlite3_bind_int(p, 11, a.rag.stale);
    sqlite3_bind_int(p, 12, a.due == RB_NO_DATE ? NO_DUE : a.due);
    bind_day(p, 13, a.last_update);
    sqlite3_bind_int(p, 14, (int)since_of(r, &a));
    bind_day(p, 15, from);
    bind_day(p, 16, until);
    int rc = sqlite3_step(p) == SQLITE_DONE ? 0 : store_error(r->st, "keeping the RAG index", err);
    action_free(&a);
    return rc;
}

/* ---- bringing it up to date ---- */

static void rules_text(const struct rag_thresholds *t, char *buf, size_t n)
{
    snprintf(buf, n, "%d,%d,%d,%d,%d", t->red_overdue_days, t->red_lag_pct, t->amber_due_days,
             t->amber_lag_pct, t->stale_days);
}

static int64_t current_baseline(struct store *st)
{
    return query_int(st,
                     "SELECT id FROM main.meetings WHERE closed_at IS NOT NULL"
                     " ORDER BY closed_at DESC LIMIT 1",
                     false, 0, 0);
}

/* What rag_index_state says. */
struct index_state {
    bool present;
    bool rules_match; /* built, with these thresholds and this layout */
    int64_t baseline, rev, rebuilt, log_from;
};

static void read_state(struct store *st, bool temp, const char *rules, struct index_state *out)
{
    memset(out, 0, sizeof *out);
    char *q = in_schema("SELECT rules, baseline, layout, rev, rebuilt, log_from"
                        " FROM @.rag_index_state WHERE id = 1", temp);
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, q, -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW) {
            const char *r = (const char *)sqlite3_column_text(s, 0);
            out->present = sqlite3_column_int(s, 2) == RAG_INDEX_LAYOUT;
            out->rules_match = out->present && r && strcmp(r, rules) == 0;
            out->baseline = sqlite3_column_int64(s, 1);
            out->rev = sqlite3_column_int64(s, 3);
            out->rebuilt = sqlite3_column_int64(s, 4);
            out->log_from = sqlite3_column_int64(s, 5);
        }
        sqlite3_finalize(s);
    }
    free(q);
}

/* True when some rating in this schema needs working out again for today. */
static bool out_of_date(struct store *st, bool temp, rb_day today)
{
    if (!temp && query_int(st, "SELECT EXISTS (SELECT 1 FROM main.rag_dirty)", false, 0, 1))
        return true;
    return query_int(st,
                     "SELECT EXISTS (SELECT 1 FROM @.rag_index WHERE valid_until <= ?1)"
                     " OR EXISTS (SELECT 1 FROM @.rag_index WHERE valid_from > ?1)",
                     temp, today, 1) != 0;
}

/* True when a statement of this connection is part way through: the tables it reads
 * must not be dropped or indexes changed under it. */
static bool statements_busy(struct store *st)
{
    for (sqlite3_stmt *s = sqlite3_next_stmt(st->db, NULL); s; s = sqlite3_next_stmt(st->db, s))
        if (sqlite3_stmt_busy(s))
            return true;
    return false;
}

/* Rate every action again. Lists loaded before must load again (rebuilt). */
static int rebuild(struct store *st, const struct rag_thresholds *t, rb_day today,
                   int64_t baseline, const char *rules, bool temp, char *err)
{
    bool bulk = !statements_busy(st);
    int rc = bulk ? exec_in(st, bare_sql, temp, err) : 0;
    if (rc == 0)
        rc = exec_in(st, "DELETE FROM @.rag_index; DELETE FROM @.rag_totals;"
                         " DELETE FROM @.rag_log;", temp, err);
    if (rc == 0 && !temp)
        rc = exec_in(st, "DELETE FROM main.rag_dirty;", false, err);
    struct snapshot snap = {0};
    if (rc == 0 && baseline)
        rc = snapshot_load_last(st, &snap, err);
    struct rater r;
    if (rc == 0)
        rc = rater_init(&r, st, t, today, snap.meeting, temp, err);
    else
        memset(&r, 0, sizeof r);
    r.snap = snap.meeting ? &snap : NULL;
    sqlite3_stmt *s = NULL;
    if (rc == 0)
        rc = store_prepare(st, RATE_COLUMNS ACTION_FROM " ORDER BY a.id", &s, err);
    int step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW)
        rc = rate_row(&r, s, err);
    if (rc == 0 && step != SQLITE_DONE)
        rc = store_error(st, "rating the plan", err);
    sqlite3_finalize(s);
    rater_free(&r);
    snapshot_free(&snap);
    if (rc == 0 && bulk)
        rc = exec_all(st, derived_sql, temp, err);
    if (rc == 0 && bulk)
        rc = exec_in(st, totals_sql, temp, err);
    if (rc == 0) {
        char *q = in_schema("UPDATE @.rag_index_state SET rules = ?1, baseline = ?2,"
                            " rev = rev + 1, rebuilt = rev + 1, log_from = rev + 1 WHERE id = 1",
                            temp);
        rc = store_prepare(st, q, &s, err);
        free(q);
        if (rc == 0) {
            sqlite3_bind_text(s, 1, rules, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(s, 2, snap.meeting ? snap.meeting : baseline);
            rc = step_done(st, s, "keeping the RAG index", err);
        }
    }
    return rc;
}

/* A meeting has closed (or the last one was removed): work out every action's direction
 * of travel against the new baseline. Ratings and the lists' order do not change. */
static int rebase(struct store *st, const struct rag_thresholds *t, rb_day today,
                  int64_t baseline, bool temp, char *err)
{
    struct snapshot snap = {0};
    if (baseline && snapshot_load_last(st, &snap, err) != 0)
        return -1;
    struct rater r;
    int rc = rater_init(&r, st, t, today, snap.meeting, temp, err);
    r.snap = snap.meeting ? &snap : NULL;
    struct change {
        int64_t id;
        int since;
    } *v = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *s = NULL;
    if (rc == 0) {
        char *q = in_schema("SELECT id, rag, state, since FROM @.rag_index", temp);
        rc = store_prepare(st, q, &s, err);
        free(q);
    }
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        struct action a = {.id = sqlite3_column_int64(s, 0)};
        a.rag.rag = (enum rag)sqlite3_column_int(s, 1);
        a.state = (enum action_state)sqlite3_column_int(s, 2);
        int since = (int)since_of(&r, &a);
        if (since == sqlite3_column_int(s, 3))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            v = xrealloc(v, cap * sizeof *v);
        }
        v[n++] = (struct change){a.id, since};
    }
    sqlite3_finalize(s);
    s = NULL;
    if (rc == 0) {
        char *q = in_schema("UPDATE @.rag_index SET since = ?2 WHERE id = ?1", temp);
        rc = store_prepare(st, q, &s, err);
        free(q);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, v[i].id);
        sqlite3_bind_int(s, 2, v[i].since);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = store_error(st, "keeping the RAG index", err);
    }
    sqlite3_finalize(s);
    free(v);
    rater_free(&r);
    snapshot_free(&snap);
    if (rc == 0) {
        char sql[96];
        snprintf(sql, sizeof sql, "UPDATE @.rag_index_state SET baseline = %lld WHERE id = 1;",
                 (long long)(snap.meeting ? snap.meeting : 0));
        rc = exec_in(st, sql, temp, err);
    }
    return rc;
}

/* Refreshes a list may be behind by and still catch up row by row (rag_log). */
#define LOG_KEEP 512
/* More actions than this to rate again, and a full build is quicker. */
#define CATCH_UP_MAX 4000

/* Rate again the actions changed since, and those whose window today has left; log
 * them under a new revision for the lists (plan_list_update). Sets *too_many instead,
 * writing nothing, when there are so many that rebuilding is quicker. */
static int catch_up(struct store *st, const struct rag_thresholds *t, rb_day today,
                    int64_t baseline, bool temp, bool *too_many, char *err)
{
    *too_many = false;
    const char *ids_sql =
        temp ? "SELECT id FROM temp.rag_index WHERE valid_until <= ?1"
               " UNION SELECT id FROM temp.rag_index WHERE valid_from > ?1"
             : "SELECT id FROM main.rag_dirty"
               " UNION SELECT id FROM main.rag_index WHERE valid_until <= ?1"
               " UNION SELECT id FROM main.rag_index WHERE valid_from > ?1";
    sqlite3_stmt *s;
    if (store_prepare(st, ids_sql, &s, err) != 0)
        return -1;
    sqlite3_bind_int(s, 1, today);
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (n == CATCH_UP_MAX) {
            *too_many = true;
            break;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            ids = xrealloc(ids, cap * sizeof *ids);
        }
        ids[n++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    if (*too_many) {
        free(ids);
        return 0;
    }

    struct rater r;
    int rc = rater_init(&r, st, t, today, baseline, temp, err);
    sqlite3_stmt *one = NULL, *gone = NULL, *log = NULL;
    if (rc == 0)
        rc = store_prepare(st, RATE_COLUMNS ACTION_FROM_WITH(" WHERE action_id = ?1")
                           " WHERE a.id = ?1", &one, err);
    if (rc == 0) {
        char *q = in_schema("DELETE FROM @.rag_index WHERE id = ?1", temp);
        rc = store_prepare(st, q, &gone, err);
        free(q);
    }
    if (rc == 0) {
        char *q = in_schema("INSERT OR IGNORE INTO @.rag_log (rev, id) SELECT rev + 1, ?1"
                            " FROM @.rag_index_state WHERE id = 1", temp);
        rc = store_prepare(st, q, &log, err);
        free(q);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        sqlite3_reset(one);
        sqlite3_bind_int64(one, 1, ids[i]);
        int step = sqlite3_step(one);
        if (step == SQLITE_ROW) {
            rc = rate_row(&r, one, err);
        } else if (step == SQLITE_DONE) {
            sqlite3_reset(gone);
            sqlite3_bind_int64(gone, 1, ids[i]);
            if (sqlite3_step(gone) != SQLITE_DONE)
                rc = store_error(st, "keeping the RAG index", err);
        } else {
            rc = store_error(st, "rating an action", err);
        }
        sqlite3_reset(log);
        sqlite3_bind_int64(log, 1, ids[i]);
        if (rc == 0 && sqlite3_step(log) != SQLITE_DONE)
            rc = store_error(st, "keeping the RAG index", err);
    }
    sqlite3_finalize(one);
    sqlite3_finalize(gone);
    sqlite3_finalize(log);
    rater_free(&r);
    free(ids);
    if (rc == 0 && !temp)
        rc = exec_in(st, "DELETE FROM main.rag_dirty;", false, err);
    if (rc == 0) {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "UPDATE @.rag_index_state SET rev = rev + 1,"
                 " log_from = max(log_from, rev + 1 - %d) WHERE id = 1;"
                 "DELETE FROM @.rag_log WHERE rev < (SELECT log_from FROM @.rag_index_state);",
                 LOG_KEEP);
        rc = exec_in(st, sql, temp, err);
    }
    return rc;
}

static bool temp_exists(struct store *st)
{
    return query_int(st,
                     "SELECT count(*) FROM temp.sqlite_master WHERE name = 'rag_index_state'",
                     false, 0, 0) != 0;
}

int rag_index_refresh(struct store *st, const struct rag_thresholds *t, rb_day today,
                      char *err)
{
    char rules[64];
    rules_text(t, rules, sizeof rules);
    int64_t baseline = current_baseline(st);
    bool temp = st->readonly;
    struct index_state is;
    if (temp && !temp_exists(st)) {
        /* The file's own index, when it is right for today, serves a read-only store. */
        read_state(st, false, rules, &is);
        if (is.rules_match && is.baseline == baseline && !out_of_date(st, false, today))
            return 0;
        if (ensure_schema(st, true, err) != 0)
            return -1;
    }
    read_state(st, temp, rules, &is);
    bool rebased = is.baseline != baseline, outdated = out_of_date(st, temp, today);
    if (is.rules_match && !rebased && !outdated)
        return 0;
    bool nested = false;
    if (!temp && begin(st, &nested, err) != 0)
        return -1;
    int rc = 0;
    bool full = !is.rules_match;
    if (!full && rebased)
        rc = rebase(st, t, today, baseline, temp, err);
    if (rc == 0 && !full && outdated)
        rc = catch_up(st, t, today, baseline, temp, &full, err);
    if (rc == 0 && full)
        rc = rebuild(st, t, today, baseline, rules, temp, err);
    if (temp)
        return rc;
    return end(st, nested, rc, err);
}

int rag_index_revision(struct store *st, int64_t *rev, int64_t *oldest)
{
    bool temp = st->readonly && temp_exists(st);
    char *q = in_schema("SELECT rev, max(rebuilt, log_from) FROM @.rag_index_state WHERE id = 1",
                        temp);
    sqlite3_stmt *s;
    int rc = -1;
    if (sqlite3_prepare_v2(st->db, q, -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW) {
            *rev = sqlite3_column_int64(s, 0);
            *oldest = sqlite3_column_int64(s, 1);
            rc = 0;
        }
        sqlite3_finalize(s);
    }
    free(q);
    return rc;
}

/* ---- direction of travel ---- */

int rag_index_since_counts(struct store *st, const struct rag_thresholds *t, rb_day today,
                           struct since_counts out[STRAND_COUNT], rb_day *baseline, char *err)
{
    memset(out, 0, STRAND_COUNT * sizeof *out);
    *baseline = RB_NO_DATE;
    struct meeting m;
    int rc = meeting_last_closed(st, 0, &m, err);
    if (rc == STORE_NOT_FOUND)
        return 0;
    if (rc != 0)
        return -1;
    *baseline = m.date;
    meeting_free(&m);
    if (rag_index_refresh(st, t, today, err) != 0)
        return -1;
    sqlite3_stmt *s;
    if (store_prepare(st, "SELECT strand, since, sum(n) FROM rag_totals GROUP BY strand, since",
                      &s, err) != 0)
        return -1;
    while (sqlite3_step(s) == SQLITE_ROW) {
        int i = sqlite3_column_int(s, 0);
        int n = sqlite3_column_int(s, 2);
        if (i < 0 || i >= STRAND_COUNT)
            continue;
        switch ((enum since_class)sqlite3_column_int(s, 1)) {
        case SINCE_BETTER: out[i].better += n; break;
        case SINCE_WORSE: out[i].worse += n; break;
        case SINCE_SAME: out[i].same += n; break;
        case SINCE_NEW: out[i].added += n; break;
        case SINCE_CLOSED: out[i].closed += n; break;
        default: break;
        }
    }
    sqlite3_finalize(s);
    return 0;
}

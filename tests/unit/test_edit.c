/* Unit tests for edits: saving with a version check, state, overrides, deletion, undo of
 * every kind of change, the audit history, references and objectives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ragboard/edit.h"
#include "ragboard/plan_list.h"
#include "ragboard/store.h"
#include "ragboard/util.h"
#include "scratch.h"

#define TODAY "2026-03-12"

struct fixture {
    struct scratch sc;
    struct store *st;
    struct store *other; /* a second handle on the same file */
    int64_t id;          /* PV-1.1 */
};

static long long query_int(struct store *st, const char *sql)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static long long query_int_id(struct store *st, const char *sql, int64_t id)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    sqlite3_bind_int64(s, 1, id);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int64_t insert_action(struct store *st, const char *ref, const char *title,
                             const char *lead, const char *partners)
{
    struct action a = {
        .ref = (char *)ref,
        .title = (char *)title,
        .description = (char *)"Agree the venue hire policy with the leisure trust",
        .strand = (char *)"PREVENT",
        .objective_ref = (char *)"PV-1",
        .lead = (char *)lead,
        .owner = (char *)"Prevent coordinator",
        .partners = (char *)partners,
        .start = RB_NO_DATE,
        .due = RB_NO_DATE,
        .created_at = (char *)"2026-01-05T09:00:00Z",
    };
    date_parse_iso("2026-01-05", &a.start);
    date_parse_iso("2026-06-30", &a.due);
    char err[RB_ERRLEN] = "";
    if (store_action_insert(st, &a, err) != 0)
        fail_msg("insert %s: %s", ref, err);
    return a.id;
}

static void add_update(struct store *st, int64_t id, const char *text, int progress,
                       bool confidential)
{
    struct progress_update u = {.action_id = id, .date = RB_NO_DATE, .text = (char *)text,
                                .progress = progress, .confidential = confidential};
    char err[RB_ERRLEN] = "";
    if (store_update_insert(st, &u, err) != 0)
        fail_msg("update: %s", err);
}

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    if (scratch_open(&f->sc, TODAY, "alice", &f->st) != 0)
        return -1;
    char err[RB_ERRLEN];
    scratch_exec(f->st, "INSERT INTO agencies (code, name) VALUES ('SC', 'Shire Council'),"
                   " ('WMP', 'West Mercia Police'), ('NHS', 'Health board'),"
                   " ('FIRE', 'Fire and rescue')");
    assert_int_equal(store_objective_put(f->st, "PREVENT", "PV-1", "Training", NULL, err), 0);
    assert_int_equal(store_objective_put(f->st, "PREVENT", "PV-2", "Venues", NULL, err), 0);
    assert_int_equal(store_objective_put(f->st, "PROTECT", "PT-1", "Crowded places", NULL, err),
                     0);
    f->id = insert_action(f->st, "PV-1.1", "Deliver WRAP training to frontline staff", "SC",
                          "WMP, FIRE");
    add_update(f->st, f->id, "Half the secondary schools trained", 40, false);
    store_undo_clear(f->st);
    if (store_open(f->sc.path, 0, &f->other, err) != 0)
        fail_msg("open again: %s", err);
    store_set_user(f->other, "bob");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->other);
    int rc = scratch_close(&f->sc, f->st);
    free(f);
    return rc;
}

static void get(struct store *st, int64_t id, struct action *a)
{
    char err[RB_ERRLEN] = "";
    rb_day today;
    date_parse_iso(TODAY, &today);
    if (store_action_get(st, id, &rag_default_thresholds, today, a, err) != 0)
        fail_msg("get: %s", err);
}

static long long audit_seq(struct store *st)
{
    return query_int(st, "SELECT coalesce(max(seq), 0) FROM audit");
}

/* The audit rows written after seq, one "tbl op field old>new" per line ("-" for NULL). */
static char *audit_after(struct store *st, long long seq)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st),
                                        "SELECT tbl, op, coalesce(field, '-'),"
                                        " coalesce(old, '-'), coalesce(new, '-'), user"
                                        " FROM audit WHERE seq > ? ORDER BY seq",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(s, 1, seq);
    struct strbuf sb = {0};
    while (sqlite3_step(s) == SQLITE_ROW)
        sb_addf(&sb, "%s %s %s %s>%s by %s\n", sqlite3_column_text(s, 0),
                sqlite3_column_text(s, 1), sqlite3_column_text(s, 2), sqlite3_column_text(s, 3),
                sqlite3_column_text(s, 4), sqlite3_column_text(s, 5));
    sqlite3_finalize(s);
    return sb_take(&sb);
}

static void expect_audit(struct store *st, long long seq, const char *want)
{
    char *got = audit_after(st, seq);
    if (strcmp(got, want) != 0)
        fail_msg("audit rows:\n%s\nexpected:\n%s", got, want);
    free(got);
}

/* Every stored fact about an action except its version: the row, partners, updates,
 * minutes that refer to it and its search row. */
static void dump(struct store *st, struct strbuf *sb, const char *sql, int64_t id)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    sqlite3_bind_int64(s, 1, id);
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(s); c++) {
            if (strcmp(sqlite3_column_name(s, c), "version") == 0)
                continue;
            const unsigned char *v = sqlite3_column_text(s, c);
            sb_addf(sb, "%s=%s;", sqlite3_column_name(s, c), v ? (const char *)v : "NULL");
        }
        sb_addc(sb, '\n');
    }
    sqlite3_finalize(s);
}

static char *state_of(struct store *st, int64_t id)
{
    struct strbuf sb = {0};
    dump(st, &sb, "SELECT * FROM actions WHERE id = ?", id);
    dump(st, &sb, "SELECT * FROM action_partners WHERE action_id = ? ORDER BY sort, agency", id);
    dump(st, &sb, "SELECT * FROM updates WHERE action_id = ? ORDER BY id", id);
    dump(st, &sb, "SELECT id, action_id FROM minute_entries WHERE action_id = ? ORDER BY id",
         id);
    dump(st, &sb, "SELECT open, secret FROM action_search WHERE rowid = ?", id);
    return sb_take(&sb);
}

/* ---- reading ---- */

static void test_get_reads_one_action_or_says_not_found(void **state)
{
    struct fixture *f = *state;
    struct action a;
    get(f->st, f->id, &a);
    assert_string_equal(a.ref, "PV-1.1");
    assert_string_equal(a.objective_ref, "PV-1");
    assert_string_equal(a.partners, "WMP, FIRE");
    assert_int_equal(a.progress, 40);
    assert_int_equal(a.state, STATE_IN_PROGRESS);
    assert_int_equal(a.n_updates, 1);
    assert_int_equal(a.rag.rag, RAG_GREEN);
    action_free(&a);
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_action_get(f->st, 12345, &rag_default_thresholds, 0, &a, err),
                     STORE_NOT_FOUND);
    assert_null(a.ref);
}

/* ---- saving ---- */

static void test_save_writes_fields_and_exactly_their_audit_rows(void **state)
{
    struct fixture *f = *state;
    struct action a;
    get(f->st, f->id, &a);
    long long seq = audit_seq(f->st);
    free(a.title);
    a.title = xstrdup("Deliver WRAP 3 training to frontline staff");
    free(a.partners);
    a.partners = xstrdup("FIRE NHS");
    date_parse_iso("2026-07-31", &a.due);
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_action_save(f->st, &a, err), 0);
    expect_audit(f->st, seq,
                 "action_partners delete agency WMP>- by alice\n"
                 "action_partners insert agency ->NHS by alice\n"
                 "actions update title Deliver WRAP training to frontline staff>"
                 "Deliver WRAP 3 training to frontline staff by alice\n"
                 "actions update due_date 2026-06-30>2026-07-31 by alice\n");
    struct action b;
    get(f->st, f->id, &b);
    assert_string_equal(b.title, "Deliver WRAP 3 training to frontline staff");
    assert_string_equal(b.partners, "FIRE, NHS");
    assert_int_equal(b.due, a.due);
    assert_int_equal(b.version, a.version + 1);
    assert_string_equal(store_undo_label(f->st), "changes to PV-1.1");
    action_free(&b);

    /* Saving it again unchanged writes nothing at all. */
    seq = audit_seq(f->st);
    a.version++;
    assert_int_equal(store_action_save(f->st, &a, err), 0);
    expect_audit(f->st, seq, "");
    assert_int_equal(query_int_id(f->st, "SELECT version FROM actions WHERE id = ?", f->id),
                     a.version);
    action_free(&a);
}

static void test_save_refuses_bad_fields_with_words_for_the_user(void **state)
{
    struct fixture *f = *state;
    struct action a;
    get(f->st, f->id, &a);
    long long seq = audit_seq(f->st);
    char err[RB_ERRLEN];
    char *title = a.title;
    a.title = (char *)"   ";
    assert_int_equal(store_action_save(f->st, &a, err), -1);
    assert_string_equal(err, "an action needs a title");
    a.title = title;

    char *strand = a.strand;
    a.strand = (char *)"Pursuit";
    assert_int_equal(store_action_save(f->st, &a, err), -1);
    assert_string_equal(err, "unknown strand \"Pursuit\" (use Pursue, Protect, Prepare or Prevent)");
    a.strand = strand;

    char *lead = a.lead;
    a.lead = (char *)"NOPE";
    assert_int_equal(store_action_save(f->st, &a, err), -1);
    assert_string_equal(err, "unknown lead agency NOPE: it is not in the agency list");
    a.lead = lead;

    char *partners = a.partners;
    a.partners = (char *)"WMP, GHOST";
    assert_int_equal(store_action_save(f->st, &a, err), -1);
    assert_string_equal(err, "unknown partner agency GHOST: it is not in the agency list");
    a.partners = partners;

    a.progress = 101;
    assert_int_equal(store_action_save(f->st, &a, err), -1);
    assert_string_equal(err, "progress must be between 0 and 100, not 101");
    a.progress = -5;
    assert_int_equal(store_action_save(f->st, &a, err), -1);
    assert_string_equal(err, "progress must be between 0 and 100, not -5");
    a.progress = 40;

    rb_day due = a.due;
    date_parse_iso("2026-01-01", &a.due);
    assert_int_equal(store_action_save(f->st, &a, err), -1);
    assert_string_equal(err, "the due date (01/01/2026) is before the start date (05/01/2026)");
    a.due = due;

    char *objective = a.objective_ref;
    a.objective_ref = (char *)"PT-1";
    assert_int_equal(store_action_save(f->st, &a, err), -1);
    assert_string_equal(err, "objective PT-1 is under Protect, not Prevent");
    a.objective_ref = (char *)"PV-99";
    assert_int_equal(store_action_save(f->st, &a, err), -1);
    assert_string_equal(err, "no objective with reference PV-99");
    a.objective_ref = objective;

    /* Nothing was written, and nothing became undoable. */
    expect_audit(f->st, seq, "");
    assert_null(store_undo_label(f->st));
    action_free(&a);
}

static void test_save_conflict_names_who_when_and_what(void **state)
{
    struct fixture *f = *state;
    struct action mine, theirs;
    get(f->st, f->id, &mine);
    get(f->other, f->id, &theirs);
    free(theirs.title);
    theirs.title = xstrdup("Deliver WRAP training to all staff");
    date_parse_iso("2026-09-30", &theirs.due);
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_action_save(f->other, &theirs, err), 0);
    add_update(f->other, f->id, "Dates agreed with schools", -1, false);

    free(mine.owner);
    mine.owner = xstrdup("Community safety manager");
    long long seq = audit_seq(f->st);
    assert_int_equal(store_action_save(f->st, &mine, err), STORE_CONFLICT);
    if (!strstr(err, "PV-1.1 was changed by bob at ") ||
        !strstr(err, " UTC on 12/03/2026: title, due date, progress update added"))
        fail_msg("conflict message: %s", err);
    expect_audit(f->st, seq, "");
    struct action now;
    get(f->st, f->id, &now);
    assert_string_equal(now.title, "Deliver WRAP training to all staff");
    assert_string_equal(now.owner, "Prevent coordinator");
    action_free(&now);

    /* Deleted by the other handle: the save says so. */
    assert_int_equal(store_action_delete(f->other, f->id, err), 0);
    mine.version = theirs.version + 2;
    assert_int_equal(store_action_save(f->st, &mine, err), STORE_CONFLICT);
    if (!strstr(err, "PV-1.1 was deleted by bob at "))
        fail_msg("conflict message: %s", err);
    action_free(&mine);
    action_free(&theirs);
}

/* ---- state, override, delete ---- */

static void test_complete_sets_progress_and_reopen_keeps_it(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN] = "";
    long long seq = audit_seq(f->st);
    assert_int_equal(store_action_set_state(f->st, f->id, STATE_COMPLETE, err), 0);
    expect_audit(f->st, seq,
                 "actions update progress 40>100 by alice\n"
                 "actions update state in_progress>complete by alice\n");
    assert_string_equal(store_undo_label(f->st), "completion of PV-1.1");
    struct action a;
    get(f->st, f->id, &a);
    assert_int_equal(a.rag.rag, RAG_COMPLETE);
    action_free(&a);

    seq = audit_seq(f->st);
    assert_int_equal(store_action_set_state(f->st, f->id, STATE_COMPLETE, err), 0);
    expect_audit(f->st, seq, "");

    assert_int_equal(store_action_set_state(f->st, f->id, STATE_IN_PROGRESS, err), 0);
    expect_audit(f->st, seq, "actions update state complete>in_progress by alice\n");
    get(f->st, f->id, &a);
    assert_int_equal(a.state, STATE_IN_PROGRESS);
    assert_int_equal(a.progress, 100);
    action_free(&a);

    assert_int_equal(store_action_set_state(f->st, 999, STATE_CANCELLED, err), -1);
    assert_string_equal(err, "that action no longer exists");
}

static void test_clear_override_removes_it_once(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_action_override(f->st, f->id, RAG_RED, "Trainer left", err), 0);
    long long seq = audit_seq(f->st);
    assert_int_equal(store_action_clear_override(f->st, f->id, err), 0);
    expect_audit(f->st, seq,
                 "actions update rag_override R>- by alice\n"
                 "actions update override_reason Trainer left>- by alice\n");
    assert_int_equal(query_int(f->st, "SELECT override_by IS NULL AND override_at IS NULL"
                                      " FROM actions"),
                     1);
    assert_string_equal(store_undo_label(f->st), "removal of the RAG override on PV-1.1");
    seq = audit_seq(f->st);
    assert_int_equal(store_action_clear_override(f->st, f->id, err), 0);
    expect_audit(f->st, seq, "");
}

static void test_delete_removes_action_partners_updates_with_audit(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN] = "";
    long long seq = audit_seq(f->st);
    assert_int_equal(store_action_delete(f->st, f->id, err), 0);
    expect_audit(f->st, seq,
                 "updates delete text Half the secondary schools trained>- by alice\n"
                 "action_partners delete agency FIRE>- by alice\n"
                 "action_partners delete agency WMP>- by alice\n"
                 "actions delete - Deliver WRAP training to frontline staff>- by alice\n");
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM actions"), 0);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM updates"), 0);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM action_partners"), 0);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM action_search"), 0);
    assert_string_equal(store_undo_label(f->st), "deletion of PV-1.1");
    assert_int_equal(store_action_delete(f->st, f->id, err), -1);
    assert_string_equal(err, "that action no longer exists");
}

/* ---- undo ---- */

/* Make one kind of change to f->id (or a new action, returning its id). */
typedef int64_t (*change_fn)(struct fixture *f);

static int64_t change_insert(struct fixture *f)
{
    return insert_action(f->st, "PV-1.2", "Agree venue hire policy", "WMP", "SC");
}

static int64_t change_update(struct fixture *f)
{
    add_update(f->st, f->id, "All secondary schools trained", 70, true);
    return f->id;
}

static int64_t change_override(struct fixture *f)
{
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_action_override(f->st, f->id, RAG_AMBER, "Trainer off sick", err), 0);
    return f->id;
}

static int64_t change_save(struct fixture *f)
{
    struct action a;
    get(f->st, f->id, &a);
    free(a.title);
    a.title = xstrdup("Deliver WRAP training across the county");
    free(a.partners);
    a.partners = xstrdup("NHS, WMP");
    free(a.objective_ref);
    a.objective_ref = xstrdup("PV-2");
    a.confidential = true;
    a.start = RB_NO_DATE;
    a.progress = 55;
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_action_save(f->st, &a, err), 0);
    action_free(&a);
    return f->id;
}

static int64_t change_complete(struct fixture *f)
{
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_action_set_state(f->st, f->id, STATE_COMPLETE, err), 0);
    return f->id;
}

static int64_t change_delete(struct fixture *f)
{
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_action_delete(f->st, f->id, err), 0);
    return f->id;
}

/* Every row of the audit log after seq was written by user. */
static void expect_audit_user(struct store *st, long long seq, const char *user)
{
    char *sql = xasprintf("SELECT count(*) FROM audit WHERE seq > %lld AND user <> '%s'", seq,
                          user);
    assert_int_equal(query_int(st, sql), 0);
    free(sql);
}

/* Make the change, undo it, and check that everything stored about the action is as it
 * was before, that the undo is audited, and that there is nothing more to undo. */
static void check_undo(struct fixture *f, change_fn change, int64_t before_id,
                       const char *label)
{
    char *before = state_of(f->st, before_id);
    int64_t id = change(f);
    assert_non_null(store_undo_label(f->st));
    assert_string_equal(store_undo_label(f->st), label);
    char *changed = state_of(f->st, id);
    assert_string_not_equal(changed, before);
    long long seq = audit_seq(f->st);

    char what[RB_ERRLEN] = "", err[RB_ERRLEN] = "";
    if (store_undo(f->st, what, err) != 0)
        fail_msg("undo: %s", err);
    char *want = xasprintf("Undid %s", label);
    assert_string_equal(what, want);
    free(want);
    char *after = state_of(f->st, id);
    if (strcmp(after, before) != 0)
        fail_msg("undo did not restore\nbefore:\n%s\nafter:\n%s", before, after);
    assert_true(audit_seq(f->st) > seq);
    expect_audit_user(f->st, seq, "alice");
    assert_null(store_undo_label(f->st));
    assert_int_equal(store_undo(f->st, what, err), STORE_NOT_FOUND);
    assert_string_equal(err, "there is nothing to undo");
    free(before);
    free(after);
    free(changed);
}

static void test_undo_insert(void **state)
{
    struct fixture *f = *state;
    check_undo(f, change_insert, 0, "new action PV-1.2");
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM actions WHERE ref = 'PV-1.2'"), 0);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit WHERE tbl = 'actions'"
                                      " AND op = 'delete' AND row_ref = 'PV-1.2'"),
                     1);
}

static void test_undo_progress_update(void **state)
{
    struct fixture *f = *state;
    long long seq = audit_seq(f->st);
    check_undo(f, change_update, f->id, "progress update on PV-1.1");
    /* The update's insert and its removal by the undo are both in the log. */
    char *log = audit_after(f->st, seq);
    assert_non_null(strstr(log, "updates insert text ->All secondary schools trained"));
    assert_non_null(strstr(log, "updates delete text All secondary schools trained>-"));
    assert_non_null(strstr(log, "actions update progress 70>40"));
    free(log);
}

static void test_undo_override(void **state)
{
    struct fixture *f = *state;
    check_undo(f, change_override, f->id, "RAG override on PV-1.1");
    assert_int_equal(query_int(f->st, "SELECT rag_override IS NULL FROM actions"), 1);
}

/* change_save, noting the version the save produced */
static long long saved_version;
static int64_t change_save_noting_version(struct fixture *f)
{
    change_save(f);
    saved_version = query_int_id(f->st, "SELECT version FROM actions WHERE id = ?", f->id);
    return f->id;
}

static void test_undo_save(void **state)
{
    struct fixture *f = *state;
    check_undo(f, change_save_noting_version, f->id, "changes to PV-1.1");
    /* The version moves on, so a form opened on the saved row sees a conflict. */
    assert_int_equal(query_int_id(f->st, "SELECT version FROM actions WHERE id = ?", f->id),
                     saved_version + 1);
    char *log = audit_after(f->st, 0);
    assert_non_null(strstr(log, "actions update title Deliver WRAP training across the county>"
                                "Deliver WRAP training to frontline staff by alice\n"));
    assert_non_null(strstr(log, "action_partners delete agency NHS>- by alice\n"));
    assert_non_null(strstr(log, "actions update confidential 1>0 by alice\n"));
    free(log);
}

static void test_undo_complete(void **state)
{
    struct fixture *f = *state;
    check_undo(f, change_complete, f->id, "completion of PV-1.1");
    assert_int_equal(query_int(f->st, "SELECT progress FROM actions"), 40);
}

static void test_undo_clear_override(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN] = "", what[RB_ERRLEN];
    assert_int_equal(store_action_override(f->st, f->id, RAG_RED, "No trainer", err), 0);
    char *before = state_of(f->st, f->id);
    assert_int_equal(store_action_clear_override(f->st, f->id, err), 0);
    assert_string_equal(store_undo_label(f->st), "removal of the RAG override on PV-1.1");
    assert_int_equal(store_undo(f->st, what, err), 0);
    char *after = state_of(f->st, f->id);
    assert_string_equal(after, before);
    assert_string_equal(what, "Undid removal of the RAG override on PV-1.1");
    free(before);
    free(after);
}

static void test_undo_delete(void **state)
{
    struct fixture *f = *state;
    /* A minute that refers to the action comes back with it, and a confidential update. */
    scratch_exec(f->st, "INSERT INTO meetings (id, title, date, opened_at)"
                   " VALUES (7, 'Prevent board', '2026-03-12', '2026-03-12T10:00:00Z')");
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(f->st),
                                        "INSERT INTO minute_entries (id, meeting_id, action_id,"
                                        " kind, text, created_at) VALUES (70, 7, ?, 'update',"
                                        " 'Training on track', '2026-03-12T10:05:00Z')",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(s, 1, f->id);
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    add_update(f->st, f->id, "Concern passed to the Channel panel", -1, true);
    long long v = query_int_id(f->st, "SELECT version FROM actions WHERE id = ?", f->id);
    long long seq = audit_seq(f->st);
    check_undo(f, change_delete, f->id, "deletion of PV-1.1");
    /* The same key and version come back; the re-insert is in the log. */
    assert_int_equal(query_int_id(f->st, "SELECT version FROM actions WHERE id = ?", f->id), v);
    char *log = audit_after(f->st, seq);
    assert_non_null(strstr(log, "actions insert - ->Deliver WRAP training to frontline staff"));
    assert_non_null(strstr(log, "action_partners insert agency ->FIRE"));
    assert_non_null(strstr(log, "updates insert text ->Concern passed to the Channel panel"));
    free(log);
    assert_int_equal(query_int(f->st, "SELECT action_id IS NOT NULL FROM minute_entries"), 1);
}

static void test_undo_refused_after_another_handle_changed_it(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN] = "", what[RB_ERRLEN] = "";
    change_save(f);
    add_update(f->other, f->id, "Police trainers booked", -1, false);
    long long seq = audit_seq(f->st);
    char *before = state_of(f->st, f->id);
    assert_int_equal(store_undo(f->st, what, err), STORE_CONFLICT);
    if (!strstr(err, "cannot undo the changes to PV-1.1: PV-1.1 was changed by bob at ") ||
        !strstr(err, ": progress update added"))
        fail_msg("message: %s", err);
    assert_string_equal(what, "");
    expect_audit(f->st, seq, "");
    char *after = state_of(f->st, f->id);
    assert_string_equal(after, before);
    assert_null(store_undo_label(f->st));
    free(before);
    free(after);

    /* Undo of an insert is refused once someone else has touched the new action. */
    int64_t id = change_insert(f);
    char err2[RB_ERRLEN];
    assert_int_equal(store_action_override(f->other, id, RAG_RED, "Venue refused", err2), 0);
    assert_int_equal(store_undo(f->st, what, err), STORE_CONFLICT);
    assert_non_null(strstr(err, "changed by bob"));
    assert_int_equal(query_int_id(f->st, "SELECT count(*) FROM actions WHERE id = ?", id), 1);
}

static void test_undo_only_the_latest_change(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN] = "", what[RB_ERRLEN];
    change_override(f);
    change_complete(f);
    assert_string_equal(store_undo_label(f->st), "completion of PV-1.1");
    assert_int_equal(store_undo(f->st, what, err), 0);
    assert_int_equal(query_int(f->st, "SELECT state = 'in_progress' AND rag_override = 'A'"
                                      " FROM actions"),
                     1);
    assert_int_equal(store_undo(f->st, what, err), STORE_NOT_FOUND);
    /* The other handle has its own undo. */
    assert_null(store_undo_label(f->other));
}

static void test_undo_forgets_changes_rolled_back_by_the_caller(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_begin(f->st, err), 0);
    change_insert(f);
    assert_non_null(store_undo_label(f->st));
    store_rollback(f->st);
    assert_null(store_undo_label(f->st));
    assert_int_equal(store_begin(f->st, err), 0);
    change_override(f);
    assert_int_equal(store_commit(f->st, err), 0);
    assert_string_equal(store_undo_label(f->st), "RAG override on PV-1.1");
}

/* ---- history ---- */

struct seen {
    struct strbuf sb;
    int confidential;
};

static int collect_history(const struct audit_entry *e, void *p)
{
    struct seen *s = p;
    sb_addf(&s->sb, "%s %s %s %s\n", e->tbl, e->op, e->field ? e->field : "-", e->user);
    s->confidential += e->confidential;
    assert_true(strncmp(e->at, TODAY "T", 11) == 0);
    return 0;
}

static void test_history_lists_action_partner_and_update_rows_newest_first(void **state)
{
    struct fixture *f = *state;
    /* Another action's rows are not part of this history. */
    insert_action(f->st, "PV-1.2", "Agree venue hire policy", "WMP", "SC");
    add_update(f->other, f->id, "Referral discussed", -1, true);
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_action_override(f->st, f->id, RAG_AMBER, "Waiting", err), 0);
    struct seen s = {0};
    assert_int_equal(store_action_history(f->st, f->id, collect_history, &s, err), 0);
    assert_string_equal(s.sb.buf,
                        "actions update override_reason alice\n"
                        "actions update rag_override alice\n"
                        "updates insert text bob\n"
                        "actions update state alice\n"
                        "actions update progress alice\n"
                        "updates insert text alice\n"
                        "action_partners insert agency alice\n"
                        "action_partners insert agency alice\n"
                        "actions insert - alice\n");
    assert_int_equal(s.confidential, 1);
    sb_free(&s.sb);
}

/* ---- references, objectives, clocks ---- */

static void test_next_ref_follows_the_highest_number(void **state)
{
    struct fixture *f = *state;
    insert_action(f->st, "PV-1.2", "Two", NULL, NULL);
    insert_action(f->st, "PV-1.10", "Ten", NULL, NULL);
    char *r = store_next_ref(f->st, "PV-1");
    assert_string_equal(r, "PV-1.11");
    free(r);
    r = store_next_ref(f->st, "PV-7");
    assert_string_equal(r, "PV-7.1");
    free(r);
    r = store_next_ref(f->st, "PV");
    assert_string_equal(r, "PV-3");
    free(r);
    r = store_next_ref(f->st, "PV-");
    assert_string_equal(r, "PV-3");
    free(r);
    r = store_next_ref(f->st, "PV%");
    assert_string_equal(r, "PV%1");
    free(r);
    assert_null(store_next_ref(f->st, "  "));
}

static void test_objectives_of_a_strand_in_natural_order(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_objective_put(f->st, "PREVENT", "PV-10", "Channel", NULL, err), 0);
    struct objective *v;
    size_t n;
    assert_int_equal(store_objectives(f->st, "Prevent", &v, &n, err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(v[0].ref, "PV-1");
    assert_string_equal(v[1].ref, "PV-2");
    assert_string_equal(v[2].ref, "PV-10");
    assert_string_equal(v[2].title, "Channel");
    assert_string_equal(v[2].strand, "PREVENT");
    objectives_free(v, n);
    assert_int_equal(store_objectives(f->st, NULL, &v, &n, err), 0);
    assert_int_equal(n, 4);
    assert_string_equal(v[0].ref, "PT-1");
    objectives_free(v, n);
    assert_int_equal(store_objectives(f->st, "Defend", &v, &n, err), -1);
    assert_non_null(strstr(err, "unknown strand \"Defend\""));
}

static void test_audit_and_edit_times_follow_ragboard_today(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit"
                                      " WHERE at NOT LIKE '" TODAY "T__:__:__Z'"),
                     0);
    setenv("RAGBOARD_TODAY", "2025-12-01", 1);
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_action_override(f->st, f->id, RAG_RED, "Late", err), 0);
    assert_int_equal(query_int(f->st, "SELECT count(*) FROM audit"
                                      " WHERE at LIKE '2025-12-01T__:__:__Z'"),
                     2);
    assert_int_equal(query_int(f->st, "SELECT override_at LIKE '2025-12-01T%' FROM actions"), 1);
    setenv("RAGBOARD_TODAY", TODAY, 1);
}

static void test_readonly_handle_cannot_edit_or_undo(void **state)
{
    struct fixture *f = *state;
    struct store *ro;
    char err[RB_ERRLEN] = "", what[RB_ERRLEN];
    assert_int_equal(store_open(f->sc.path, STORE_READONLY, &ro, err), 0);
    assert_int_equal(store_action_set_state(ro, f->id, STATE_COMPLETE, err), -1);
    assert_non_null(strstr(err, "read-only"));
    assert_int_equal(store_undo(ro, what, err), STORE_NOT_FOUND);
    store_close(ro);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
        T(test_get_reads_one_action_or_says_not_found),
        T(test_save_writes_fields_and_exactly_their_audit_rows),
        T(test_save_refuses_bad_fields_with_words_for_the_user),
        T(test_save_conflict_names_who_when_and_what),
        T(test_complete_sets_progress_and_reopen_keeps_it),
        T(test_clear_override_removes_it_once),
        T(test_delete_removes_action_partners_updates_with_audit),
        T(test_undo_insert),
        T(test_undo_progress_update),
        T(test_undo_override),
        T(test_undo_save),
        T(test_undo_complete),
        T(test_undo_clear_override),
        T(test_undo_delete),
        T(test_undo_refused_after_another_handle_changed_it),
        T(test_undo_only_the_latest_change),
        T(test_undo_forgets_changes_rolled_back_by_the_caller),
        T(test_history_lists_action_partner_and_update_rows_newest_first),
        T(test_next_ref_follows_the_highest_number),
        T(test_objectives_of_a_strand_in_natural_order),
        T(test_audit_and_edit_times_follow_ragboard_today),
        T(test_readonly_handle_cannot_edit_or_undo),
#undef T
    };
    return cmocka_run_group_tests_name("edit", tests, NULL, NULL);
}

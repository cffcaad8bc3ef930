/* Unit tests for the importer: columns, rows, matching to the plan, what is written and
 * what is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ragboard/csv.h"
#include "ragboard/edit.h"
#include "ragboard/import.h"
#include "ragboard/store.h"
#include "ragboard/util.h"
#include "scratch.h"

#define TODAY "2026-03-12"

struct fixture {
    struct scratch sc;
    struct store *st;
    struct config cfg;
    struct import_result r;
    struct csv_issues is;
};

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    if (scratch_open(&f->sc, TODAY, "alice", &f->st) != 0)
        return -1;
    config_defaults(&f->cfg); /* SC, WMP, NHS, EDU, PROB, HMP, SFRS, VCS */
    char err[RB_ERRLEN];
    struct diags d = {0};
    if (store_sync_config(f->st, &f->cfg, &d, err) != 0)
        fail_msg("sync: %s", err);
    diags_free(&d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    import_result_free(&f->r);
    csv_issues_free(&f->is);
    int rc = scratch_close(&f->sc, f->st);
    config_free(&f->cfg);
    free(f);
    return rc;
}

/* Import text; returns import_csv's result. Issues and result stay in f until the next
 * call. */
static int import(struct fixture *f, const char *text, bool apply, bool add_agencies)
{
    import_result_free(&f->r);
    csv_issues_free(&f->is);
    struct csv_doc doc;
    if (csv_read(text, strlen(text), &doc, &f->is) != 0)
        fail_msg("csv refused: %s", f->is.v[0].msg);
    rb_day today;
    date_parse_iso(TODAY, &today);
    struct import_opts o = {.apply = apply, .add_agencies = add_agencies,
                            .source = "test.csv", .today = today};
    char err[RB_ERRLEN] = "";
    int rc = import_csv(f->st, &f->cfg, &doc, &o, &f->r, &f->is, err);
    csv_free(&doc);
    if (rc < 0)
        fail_msg("database: %s", err);
    csv_issues_sort(&f->is);
    return rc;
}

static void import_ok(struct fixture *f, const char *text)
{
    if (import(f, text, true, false) != 0) {
        for (size_t i = 0; i < f->is.n; i++)
            print_error("%d:%d: %s\n", f->is.v[i].line, f->is.v[i].col, f->is.v[i].msg);
        fail_msg("import failed");
    }
    assert_true(f->r.applied);
}

static long long q_int(struct fixture *f, const char *sql)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(store_db(f->st), sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(f->st)));
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    long long v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* First column of the first row as text ("" for NULL); caller frees. */
static char *q_text(struct fixture *f, const char *sql)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(store_db(f->st), sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(f->st)));
    if (sqlite3_step(s) != SQLITE_ROW)
        fail_msg("no row: %s", sql);
    const char *t = (const char *)sqlite3_column_text(s, 0);
    char *v = xstrdup(t ? t : "");
    sqlite3_finalize(s);
    return v;
}

static void expect_text(struct fixture *f, const char *sql, const char *want)
{
    char *got = q_text(f, sql);
    if (strcmp(got, want) != 0)
        fail_msg("%s\n  got:  %s\n  want: %s", sql, got, want);
    free(got);
}

/* An issue at line:col whose message holds needle. */
static void expect_issue(struct fixture *f, int line, int col, const char *needle)
{
    for (size_t i = 0; i < f->is.n; i++)
        if (f->is.v[i].line == line && f->is.v[i].col == col && strstr(f->is.v[i].msg, needle))
            return;
    for (size_t i = 0; i < f->is.n; i++)
        print_error("  %d:%d: %s\n", f->is.v[i].line, f->is.v[i].col, f->is.v[i].msg);
    fail_msg("no issue at %d:%d with \"%s\"", line, col, needle);
}

static const char county[] =
    "Ref,Key action,Lead,Timescale,Status,% complete,Notes\r\n"
    "PV-1.1,\"Train staff, volunteers\",\"SC, WMP and NHS\",March 2026,In progress,40%,"
    "\"Two sessions held.\r\nMore booked.\"\r\n"
    "PT-1.1,Test the venue lockdown,West Mercia Police,Q1 2026/27,,,\r\n"
    "PR-1.1,Plan for a major incident,SFRS,Ongoing,Not started,,\r\n";

static void test_new_actions(void **state)
{
    struct fixture *f = *state;
    import_ok(f, county);
    assert_int_equal(f->r.n_new, 3);
    assert_int_equal(f->r.n_updated, 0);
    assert_int_equal(f->r.n_changes, 3);
    assert_int_equal(f->r.changes[1].line, 4); /* after a two-line cell */
    assert_int_equal(q_int(f, "SELECT count(*) FROM actions"), 3);
    expect_text(f, "SELECT title || '|' || lead || '|' || strand || '|' || due_date || '|' ||"
                   " state || '|' || progress FROM actions WHERE ref = 'PV-1.1'",
                "Train staff, volunteers|SC|PREVENT|2026-03-31|in_progress|40");
    expect_text(f, "SELECT group_concat(agency, ',') FROM (SELECT agency FROM action_partners"
                   " p JOIN actions a ON a.id = p.action_id WHERE a.ref = 'PV-1.1'"
                   " ORDER BY p.sort)",
                "WMP,NHS");
    expect_text(f, "SELECT date || '|' || text || '|' || progress || '|' || author FROM updates",
                "2026-03-12|Two sessions held.\nMore booked.|40|alice");
    /* strands from the reference prefixes; a quarter of the financial year */
    expect_text(f, "SELECT strand || ' ' || due_date || ' ' || lead FROM actions"
                   " WHERE ref = 'PT-1.1'",
                "PROTECT 2026-06-30 WMP");
    expect_text(f, "SELECT strand || ' ' || coalesce(due_date, 'none') FROM actions"
                   " WHERE ref = 'PR-1.1'",
                "PREPARE none");
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit WHERE tbl = 'actions'"
                              " AND op = 'insert'"),
                     3);
    /* nothing to undo: an import is not one edit */
    assert_null(store_undo_label(f->st));
}

static void test_reimport_changes_nothing(void **state)
{
    struct fixture *f = *state;
    import_ok(f, county);
    long long audit = q_int(f, "SELECT count(*) FROM audit");
    long long version = q_int(f, "SELECT sum(version) FROM actions");
    import_ok(f, county);
    assert_int_equal(f->r.n_new, 0);
    assert_int_equal(f->r.n_updated, 0);
    assert_int_equal(f->r.n_unchanged, 3);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit"), audit);
    assert_int_equal(q_int(f, "SELECT sum(version) FROM actions"), version);
    assert_int_equal(q_int(f, "SELECT count(*) FROM updates"), 1);
}

static void test_update_existing(void **state)
{
    struct fixture *f = *state;
    import_ok(f, county);
    /* only the action column is required, and blank cells change nothing */
    import_ok(f, "Ref,Action,Timescale,Notes,Lead\n"
                 "PV-1.1,,30/04/2026,Third session held,\n"
                 "PT-1.1,,,,\"SC / SFRS\"\n");
    assert_int_equal(f->r.n_new, 0);
    assert_int_equal(f->r.n_updated, 2);
    assert_string_equal(f->r.changes[0].fields, "due date, progress update added");
    assert_string_equal(f->r.changes[1].fields, "lead agency, partners");
    expect_text(f, "SELECT due_date || ' ' || progress || ' ' || title FROM actions"
                   " WHERE ref = 'PV-1.1'",
                "2026-04-30 40 Train staff, volunteers");
    assert_int_equal(q_int(f, "SELECT count(*) FROM updates"), 2);
    expect_text(f, "SELECT old || ' -> ' || new FROM audit WHERE field = 'due_date'",
                "2026-03-31 -> 2026-04-30");
    expect_text(f, "SELECT old || ' -> ' || new FROM audit WHERE field = 'lead'",
                "WMP -> SC");
    /* nothing is deleted: PR-1.1 was not in the file */
    assert_int_equal(q_int(f, "SELECT count(*) FROM actions"), 3);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit WHERE op = 'delete'"
                              " AND tbl = 'actions'"),
                     0);
}

static void test_errors_write_nothing(void **state)
{
    struct fixture *f = *state;
    long long audit = q_int(f, "SELECT count(*) FROM audit");
    int rc = import(f,
                    "Ref,Action,Lead,Due,RAG,Strand\n"
                    "PV-1.1,Fine,SC,31/03/2026,Green,Prevent\n"
                    "PV-1.2,\"Two\nlines\",Acme Trust,Sometime,Purple,Chase\n"
                    "PV-1.1,Again,SC,,,\n"
                    ",,SC,,,\n",
                    true, false);
    assert_int_equal(rc, 1);
    assert_false(f->r.applied);
    expect_issue(f, 4, 8, "no agency called \"Acme Trust\"");
    expect_issue(f, 4, 19, "\"Sometime\" is not a date");
    expect_issue(f, 4, 28, "\"Purple\" is not a status");
    expect_issue(f, 4, 35, "\"Chase\" is not a CONTEST strand");
    expect_issue(f, 5, 1, "reference PV-1.1 is also on line 2");
    expect_issue(f, 6, 2, "no action text");
    assert_int_equal(csv_issues_errors(&f->is), 6);
    assert_int_equal(q_int(f, "SELECT count(*) FROM actions"), 0);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit"), audit);
}

static void test_dry_run(void **state)
{
    struct fixture *f = *state;
    import_ok(f, county);
    long long audit = q_int(f, "SELECT count(*) FROM audit");
    assert_int_equal(import(f, "Ref,Action,Due\nPV-1.1,,TBC\nPV-9.1,Something new,\n", false,
                            false),
                     0);
    assert_false(f->r.applied);
    assert_int_equal(f->r.n_new, 1);
    assert_int_equal(f->r.n_updated, 1);
    assert_int_equal(f->r.n_unchanged, 0);
    assert_string_equal(f->r.changes[0].fields, "due date");
    assert_true(f->r.changes[1].is_new);
    assert_int_equal(q_int(f, "SELECT count(*) FROM audit"), audit);
    assert_int_equal(q_int(f, "SELECT count(*) FROM actions"), 3);
}

static void test_add_agencies(void **state)
{
    struct fixture *f = *state;
    const char *csv = "Action,Lead agency\nYouth outreach,\"Acme Youth Trust, WMP\"\n";
    assert_int_equal(import(f, csv, true, false), 1);
    expect_issue(f, 2, 16, "--add-agencies");
    import(f, csv, true, true);
    assert_true(f->r.applied);
    assert_int_equal(f->r.n_agencies, 1);
    assert_string_equal(f->r.agencies[0].code, "AYT");
    assert_string_equal(f->r.agencies[0].name, "Acme Youth Trust");
    expect_text(f, "SELECT name || ' ' || in_config FROM agencies WHERE code = 'AYT'",
                "Acme Youth Trust 0");
    expect_text(f, "SELECT lead FROM actions", "AYT");
    /* a second import finds it in the plan, and warns that it is not in the settings */
    import_ok(f, csv);
    assert_int_equal(f->r.n_unchanged, 1);
    assert_int_equal(f->r.n_agencies, 0);
    expect_issue(f, 2, 16, "shows it as retired");
}

static void test_objectives_and_refs(void **state)
{
    struct fixture *f = *state;
    import_ok(f, "Theme,Action,Strand\n"
                 "Training,Train frontline staff,\n"
                 "Training,Train governors,\n"
                 "PT-3 Crowded places,Brief venue managers,\n"
                 "1. Partnership,Refresh the terms of reference,Prevent\n"
                 ",Something with no theme,Prepare\n");
    assert_int_equal(f->r.n_new, 5);
    assert_int_equal(f->r.n_new_objectives, 3);
    expect_text(f, "SELECT group_concat(ref || '=' || title || '@' || strand, '; ') FROM"
                   " (SELECT * FROM objectives ORDER BY ref)",
                "1=Partnership@PREVENT; PT-3=Crowded places@PROTECT; PV-1=Training@PREVENT");
    expect_text(f, "SELECT group_concat(a.ref || ':' || coalesce(o.ref, '-'), ' ') FROM"
                   " (SELECT * FROM actions ORDER BY title) a"
                   " LEFT JOIN objectives o ON o.id = a.objective_id",
                "PT-3.1:PT-3 1.1:1 PR-1:- PV-1.1:PV-1 PV-1.2:PV-1");
    assert_int_equal(f->r.n_default_strand, 0);
    /* the same file again: rows without references are found by their text */
    import_ok(f, "Theme,Action,Strand\n"
                 "Training,Train frontline staff,\n"
                 "Training,Train governors,\n"
                 "PT-3 Crowded places,Brief venue managers,\n"
                 "1. Partnership,Refresh the terms of reference,Prevent\n"
                 ",Something with no theme,Prepare\n");
    assert_int_equal(f->r.n_new, 0);
    assert_int_equal(f->r.n_unchanged, 5);
    /* an existing objective decides the strand; saying otherwise is an error */
    assert_int_equal(import(f, "Theme,Action,Strand\nPT-3,Another,Prevent\n", true, false), 1);
    expect_issue(f, 2, 14, "objective PT-3 is under Protect, not Prevent");
    /* an action keeps its objective, which fixes its strand */
    assert_int_equal(import(f, "Ref,Action,Strand\nPV-1.1,,Protect\n", true, false), 1);
    expect_issue(f, 2, 9, "PV-1.1 is under objective PV-1 (Prevent)");
    /* the same text twice without references cannot be told apart */
    assert_int_equal(import(f, "Action\nTrain staff\nTrain staff\n", true, false), 1);
    expect_issue(f, 3, 1, "the same action as on line 2");
}

static void test_ratings(void **state)
{
    struct fixture *f = *state;
    import_ok(f, "Ref,Action,Due,RAG,rag_reason\n"
                 /* due in 2030: the rules say Green; the file says Red */
                 "PV-1.1,One,31/12/2030,Red,\n"
                 "PV-1.2,Two,31/12/2030,Green,\n"
                 /* a reason ragboard computed: left to the rules */
                 "PV-1.3,Three,31/12/2030,Amber,no update for 70 days\n"
                 "PV-1.4,Four,31/12/2030,Amber,set to Amber by bob on 01/01/2026: waiting\n"
                 "PV-1.5,Five,31/12/2030,Blue,\n"
                 "PV-1.6,Six,,Cancelled,\n");
    expect_text(f, "SELECT group_concat(ref || '=' || coalesce(rag_override, '-') || '/' ||"
                   " coalesce(override_reason, '') || '/' || state, ' ') FROM"
                   " (SELECT * FROM actions ORDER BY ref)",
                "PV-1.1=R/rated Red in test.csv/not_started PV-1.2=-//not_started "
                "PV-1.3=-//not_started PV-1.4=A/waiting/not_started "
                "PV-1.5=-//complete PV-1.6=-//cancelled");
    expect_text(f, "SELECT progress FROM actions WHERE ref = 'PV-1.5'", "100");
    /* again: the manual rating now agrees with the file */
    import_ok(f, "Ref,Action,Due,RAG\nPV-1.1,One,31/12/2030,Red\n");
    assert_int_equal(f->r.n_unchanged, 1);
    /* a status and a RAG column that disagree */
    assert_int_equal(import(f, "Ref,Action,Status,RAG\nPV-2.1,X,In progress,Complete\n", true,
                            false),
                     1);
    expect_issue(f, 2, 22, "says Complete, but another column says In progress");
}

static void test_exported_updates(void **state)
{
    struct fixture *f = *state;
    import_ok(f, "ref,title,progress,updates\n"
                 "PV-1.1,Train staff,60,\"2026-01-05 bob (40%): First session\n"
                 "2026-02-01 carol (60%) [confidential]: Second session\n"
                 "with a second line\"\n");
    expect_text(f, "SELECT group_concat(date || '|' || author || '|' || coalesce(progress, '-')"
                   " || '|' || confidential || '|' || text, '#') FROM"
                   " (SELECT * FROM updates ORDER BY date)",
                "2026-01-05|bob|40|0|First session#"
                "2026-02-01|carol|60|1|Second session\nwith a second line");
    expect_text(f, "SELECT progress || ' ' || state FROM actions", "60 in_progress");
    import_ok(f, "ref,title,progress,updates\n"
                 "PV-1.1,Train staff,60,\"2026-01-05 bob (40%): First session\n"
                 "2026-02-01 carol (60%) [confidential]: Second session\n"
                 "with a second line\"\n");
    assert_int_equal(f->r.n_unchanged, 1);
}

static void test_columns(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(import(f, "Ref,Lead,Notes\n1,SC,x\n", true, false), 1);
    expect_issue(f, 1, 1, "no action column");
    /* a note in brackets after a heading */
    import_ok(f, "Action required (summary),Timescale (date),Guidance (para)\nBrief staff,TBC,\n");
    expect_text(f, "SELECT title FROM actions", "Brief staff");
    expect_issue(f, 1, 44, "Guidance (para) (column C) is not a column ragboard reads");
    assert_int_equal(import(f, "Action,Deadline,Due date\nx,TBC,TBC\n", true, false), 1);
    expect_issue(f, 1, 17, "Deadline (column B) and Due date (column C) both give the due date");
    /* a title above the heading row, an unknown column, text under no heading, and two
     * columns of notes joined under their headings */
    import_ok(f, "Prevent plan 2026,,,,\n"
                 ",,,,\n"
                 "Action,Guidance,Evidence of progress,Notes,\n"
                 "Train staff,para 64,Attendance lists,Going well,stray\n");
    expect_issue(f, 1, 1, "above the heading row");
    expect_issue(f, 3, 8, "Guidance (column B) is not a column ragboard reads");
    expect_issue(f, 4, 49, "column E has text but no heading");
    assert_int_equal(csv_issues_errors(&f->is), 0);
    expect_text(f, "SELECT text FROM updates",
                "Evidence of progress: Attendance lists\n\nNotes: Going well");
    assert_int_equal(f->r.header_line, 3);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_new_actions),
        T(test_reimport_changes_nothing),
        T(test_update_existing),
        T(test_errors_write_nothing),
        T(test_dry_run),
        T(test_add_agencies),
        T(test_objectives_and_refs),
        T(test_ratings),
        T(test_exported_updates),
        T(test_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

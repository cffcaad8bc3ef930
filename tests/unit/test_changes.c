/* Unit tests for offline copies: the change journal, copy identity, the changeset file
 * (and refusing bad ones), and merging with conflicts, choices and reference clashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ragboard/changes.h"
#include "ragboard/edit.h"
#include "ragboard/store.h"
#include "ragboard/util.h"
#include "scratch.h"

#define TODAY "2026-03-12"

struct fixture {
    struct scratch sc; /* copy A is sc.path */
    char b_path[128];
    struct store *a, *b;
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

/* A text column of the action with this reference (caller frees; NULL when none). */
static char *field_of(struct store *st, const char *column, const char *ref)
{
    char *sql = xasprintf("SELECT %s FROM actions WHERE ref = ?", column);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    free(sql);
    sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
    char *out = NULL;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        out = xstrdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return out;
}

static void assert_field(struct store *st, const char *column, const char *ref, const char *want)
{
    char *got = field_of(st, column, ref);
    if (!got || strcmp(got, want) != 0)
        fail_msg("%s of %s is %s, expected %s", column, ref, got ? got : "(none)", want);
    free(got);
}

static int64_t id_of(struct store *st, const char *ref)
{
    char *id = field_of(st, "id", ref);
    assert_non_null(id);
    int64_t v = strtoll(id, NULL, 10);
    free(id);
    return v;
}

static void add_action(struct store *st, const char *ref, const char *title, const char *lead)
{
    struct action a = {
        .ref = (char *)ref, .title = (char *)title, .description = (char *)"",
        .strand = (char *)"PREVENT", .objective_ref = (char *)"PV-1", .lead = (char *)lead,
        .owner = (char *)"Officer", .partners = (char *)"", .start = RB_NO_DATE,
        .due = RB_NO_DATE,
    };
    char err[RB_ERRLEN] = "";
    if (store_action_insert(st, &a, err) != 0)
        fail_msg("insert %s: %s", ref, err);
}

/* Change one field of an action as the edit form does. */
static void edit(struct store *st, const char *ref, const char *field, const char *value)
{
    struct action a;
    char err[RB_ERRLEN] = "";
    rb_day today;
    date_parse_iso(TODAY, &today);
    assert_int_equal(store_action_get(st, id_of(st, ref), &rag_default_thresholds, today, &a, err),
                     0);
    if (strcmp(field, "title") == 0) {
        free(a.title);
        a.title = xstrdup(value);
    } else if (strcmp(field, "owner") == 0) {
        free(a.owner);
        a.owner = xstrdup(value);
    } else if (strcmp(field, "due") == 0) {
        assert_true(date_parse_iso(value, &a.due));
    } else {
        fail_msg("no field %s", field);
    }
    if (store_action_save(st, &a, err) != 0)
        fail_msg("save %s: %s", ref, err);
    action_free(&a);
}

static void copy_file(const char *from, const char *to)
{
    char *cmd = xasprintf("cp '%s' '%s'", from, to);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    unsetenv("RAGBOARD_NOW");
    if (scratch_open(&f->sc, TODAY, "alice", &f->a) != 0)
        return -1;
    snprintf(f->b_path, sizeof f->b_path, "%s/b.db", f->sc.dir);
    char err[RB_ERRLEN];
    scratch_exec(f->a, "INSERT INTO agencies (code, name) VALUES ('SC', 'Shire Council'),"
                  " ('WMP', 'West Mercia Police')");
    assert_int_equal(store_objective_put(f->a, "PREVENT", "PV-1", "Training", NULL, err), 0);
    add_action(f->a, "PV-1.1", "Train staff", "SC");
    add_action(f->a, "PV-1.2", "Venue policy", "SC");
    add_action(f->a, "PV-1.3", "Police briefing", "WMP");
    store_close(f->a);
    /* Copy B is a plain file copy of A, as an agency would take it. */
    copy_file(f->sc.path, f->b_path);
    if (store_open(f->sc.path, 0, &f->a, err) != 0 || store_open(f->b_path, 0, &f->b, err) != 0)
        fail_msg("open: %s", err);
    store_set_user(f->b, "bob");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->b);
    int rc = scratch_close(&f->sc, f->a);
    free(f);
    return rc;
}

/* The changeset file of st's journal, parsed. */
static void export_changes(struct store *st, const struct changes_filter *flt,
                           struct changes_file *out)
{
    char *buf = NULL;
    size_t n = 0, count = 0;
    FILE *mem = open_memstream(&buf, &n);
    char err[RB_ERRLEN] = "";
    if (changes_export(st, flt, mem, &count, err) != 0)
        fail_msg("export: %s", err);
    fclose(mem);
    if (changes_file_parse((unsigned char *)buf, n, out, err) != 0)
        fail_msg("parse: %s", err);
    assert_int_equal(out->n, count);
}

static void apply_ok(struct store *st, const struct changes_file *cf,
                     struct change_choice *choices, size_t n, struct merge_result *res)
{
    char err[RB_ERRLEN] = "";
    if (changes_apply(st, cf, "test.changes", choices, n, res, err) != 0)
        fail_msg("apply: %s", err);
}

/* Merge from into to with no choices; returns the open conflicts. */
static size_t exchange(struct store *from, struct store *to)
{
    struct changes_file cf;
    export_changes(from, NULL, &cf);
    struct merge_result res;
    apply_ok(to, &cf, NULL, 0, &res);
    size_t open = res.open;
    merge_result_free(&res);
    changes_file_free(&cf);
    return open;
}

static void test_journal_per_edit(void **state)
{
    struct fixture *f = *state;
    long long before = query_int(f->a, "SELECT count(*) FROM change_journal");
    edit(f->a, "PV-1.1", "title", "Train all frontline staff");
    assert_int_equal(query_int(f->a, "SELECT count(*) FROM change_journal"), before + 1);
    /* An edit rolled back leaves no entry, and does not leak into the next one. */
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_begin(f->a, err), 0);
    edit(f->a, "PV-1.2", "title", "ROLLED BACK");
    store_rollback(f->a);
    assert_int_equal(query_int(f->a, "SELECT count(*) FROM change_journal"), before + 1);
    edit(f->a, "PV-1.3", "owner", "Inspector");
    assert_int_equal(query_int(f->a, "SELECT count(*) FROM change_journal"), before + 2);
    assert_int_equal(exchange(f->a, f->b), 0);
    assert_field(f->b, "title", "PV-1.1", "Train all frontline staff");
    assert_field(f->b, "owner", "PV-1.3", "Inspector");
    assert_field(f->b, "title", "PV-1.2", "Venue policy");
}

static void test_copy_identity(void **state)
{
    struct fixture *f = *state;
    struct copy_identity a, b;
    char err[RB_ERRLEN] = "";
    assert_int_equal(changes_identity(f->a, &a, err), 0);
    assert_int_equal(changes_identity(f->b, &b, err), 0);
    assert_string_equal(a.plan_id, b.plan_id);
    assert_string_not_equal(a.copy_id, b.copy_id);
    assert_string_equal(b.parent_id, a.copy_id);
    assert_string_equal(a.parent_id, "");
    /* Reopening keeps the id. */
    store_close(f->a);
    assert_int_equal(store_open(f->sc.path, 0, &f->a, err), 0);
    struct copy_identity again;
    assert_int_equal(changes_identity(f->a, &again, err), 0);
    assert_string_equal(again.copy_id, a.copy_id);
}

static void test_merge_both_ways(void **state)
{
    struct fixture *f = *state;
    edit(f->a, "PV-1.1", "title", "Title from A");
    edit(f->b, "PV-1.2", "due", "2026-09-30");
    struct progress_update u = {.action_id = id_of(f->b, "PV-1.2"), .date = RB_NO_DATE,
                                .text = (char *)"Policy drafted", .progress = 30};
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_update_insert(f->b, &u, err), 0);

    struct changes_file cf;
    export_changes(f->b, NULL, &cf);
    struct merge_result res;
    apply_ok(f->a, &cf, NULL, 0, &res);
    assert_int_equal(res.open, 0);
    assert_int_equal(res.held, 0);
    assert_true(res.merged >= 2);
    assert_true(res.known >= 1); /* the entries made before the copy */
    assert_true(res.merge_id != 0);
    merge_result_free(&res);
    assert_int_equal(exchange(f->a, f->b), 0);
    for (int i = 0; i < 2; i++) {
        struct store *st = i ? f->b : f->a;
        assert_field(st, "title", "PV-1.1", "Title from A");
        assert_field(st, "due_date", "PV-1.2", "2026-09-30");
        assert_field(st, "progress", "PV-1.2", "30");
        assert_int_equal(query_int(st, "SELECT count(*) FROM updates"), 1);
    }
    /* Both journals hold the same entries now. */
    assert_int_equal(query_int(f->a, "SELECT count(*) FROM change_journal"),
                     query_int(f->b, "SELECT count(*) FROM change_journal"));
    /* The audit log says what came from which file and copy. */
    assert_int_equal(query_int(f->a, "SELECT count(*) FROM audit a JOIN merges m"
                                     " ON m.id = a.merge_id WHERE a.tbl = 'actions'"
                                     " AND a.field = 'due_date' AND m.file = 'test.changes'"),
                     1);
    struct copy_identity bid;
    assert_int_equal(changes_identity(f->b, &bid, err), 0);
    char *sql = xasprintf("SELECT count(*) FROM merges WHERE source_copy = '%s'", bid.copy_id);
    assert_int_equal(query_int(f->a, sql), 1);
    free(sql);
    /* Local edits are not tagged as merged. */
    assert_int_equal(query_int(f->a, "SELECT count(*) FROM audit WHERE field = 'title'"
                                     " AND merge_id IS NOT NULL"),
                     0);
    changes_file_free(&cf);
}

static void test_apply_twice(void **state)
{
    struct fixture *f = *state;
    edit(f->b, "PV-1.3", "title", "Once only");
    struct changes_file cf;
    export_changes(f->b, NULL, &cf);
    struct merge_result res;
    apply_ok(f->a, &cf, NULL, 0, &res);
    assert_int_equal(res.open, 0);
    merge_result_free(&res);
    long long audit = query_int(f->a, "SELECT count(*) FROM audit");
    long long merges = query_int(f->a, "SELECT count(*) FROM merges");
    int changes = sqlite3_total_changes(store_db(f->a));
    size_t fresh = 99;
    char err[RB_ERRLEN] = "";
    assert_int_equal(changes_count_new(f->a, &cf, &fresh, err), 0);
    assert_int_equal(fresh, 0);
    apply_ok(f->a, &cf, NULL, 0, &res);
    assert_int_equal(res.known, cf.n);
    assert_int_equal(res.merged, 0);
    assert_int_equal(res.merge_id, 0);
    merge_result_free(&res);
    assert_int_equal(query_int(f->a, "SELECT count(*) FROM audit"), audit);
    assert_int_equal(query_int(f->a, "SELECT count(*) FROM merges"), merges);
    assert_int_equal(sqlite3_total_changes(store_db(f->a)), changes);
    changes_file_free(&cf);
}

static void test_conflict_listed_and_settled(void **state)
{
    struct fixture *f = *state;
    edit(f->a, "PV-1.1", "title", "Title A");
    edit(f->a, "PV-1.1", "owner", "Owner A");
    edit(f->b, "PV-1.1", "title", "Title B");
    struct changes_file from_a;
    export_changes(f->a, NULL, &from_a);
    struct merge_result res;
    apply_ok(f->b, &from_a, NULL, 0, &res);
    assert_int_equal(res.open, 1);
    assert_int_equal(res.n_conflicts, 1);
    assert_string_equal(res.conflicts[0].ref, "PV-1.1");
    assert_string_equal(res.conflicts[0].field, "title");
    assert_string_equal(res.conflicts[0].ours, "Title B");
    assert_string_equal(res.conflicts[0].theirs, "Title A");
    assert_string_equal(res.conflicts[0].by, "alice");
    assert_int_equal(res.conflicts[0].taken, CHANGE_UNDECIDED);
    assert_true(res.held >= 1);
    merge_result_free(&res);
    /* Nothing lost: ours kept, their other field applied. */
    assert_field(f->b, "title", "PV-1.1", "Title B");
    assert_field(f->b, "owner", "PV-1.1", "Owner A");

    /* Settled by a choice, by column name or by the listed field name. */
    struct change_choice take = {"pv-1.1", "title", CHANGE_THEIRS, false};
    apply_ok(f->b, &from_a, &take, 1, &res);
    assert_int_equal(res.open, 0);
    assert_int_equal(res.held, 0);
    assert_true(take.used);
    assert_int_equal(res.conflicts[0].taken, CHANGE_THEIRS);
    merge_result_free(&res);
    assert_field(f->b, "title", "PV-1.1", "Title A");

    /* A, seeing B's change, keeps its own. */
    struct changes_file from_b;
    export_changes(f->b, NULL, &from_b);
    apply_ok(f->a, &from_b, NULL, 0, &res);
    assert_int_equal(res.open, 1);
    merge_result_free(&res);
    struct change_choice keep = {"PV-1.1", "title", CHANGE_OURS, false};
    apply_ok(f->a, &from_b, &keep, 1, &res);
    assert_int_equal(res.open, 0);
    assert_true(keep.used);
    merge_result_free(&res);
    assert_field(f->a, "title", "PV-1.1", "Title A");
    assert_int_equal(exchange(f->a, f->b), 0);
    assert_int_equal(exchange(f->b, f->a), 0);
    changes_file_free(&from_a);
    changes_file_free(&from_b);
}

static void test_conflicting_due_and_unused_choice(void **state)
{
    struct fixture *f = *state;
    edit(f->a, "PV-1.2", "due", "2026-05-31");
    edit(f->b, "PV-1.2", "due", "2026-06-30");
    struct changes_file cf;
    export_changes(f->a, NULL, &cf);
    struct change_choice other = {"PV-1.3", "title", CHANGE_THEIRS, false};
    struct merge_result res;
    apply_ok(f->b, &cf, &other, 1, &res);
    assert_int_equal(res.open, 1);
    assert_string_equal(res.conflicts[0].field, "due");
    assert_string_equal(res.conflicts[0].ours, "2026-06-30");
    assert_string_equal(res.conflicts[0].theirs, "2026-05-31");
    assert_false(other.used);
    bool noticed = false;
    for (size_t i = 0; i < res.n_notices; i++)
        noticed = noticed || strstr(res.notices[i], "PV-1.3:title matched no conflict");
    assert_true(noticed);
    merge_result_free(&res);
    assert_field(f->b, "due_date", "PV-1.2", "2026-06-30");
    changes_file_free(&cf);
}

static void test_delete_against_edit(void **state)
{
    struct fixture *f = *state;
    char err[RB_ERRLEN] = "";
    assert_int_equal(store_action_delete(f->a, id_of(f->a, "PV-1.3"), err), 0);
    edit(f->b, "PV-1.3", "title", "Still wanted");
    struct changes_file from_a, from_b;
    export_changes(f->a, NULL, &from_a);
    export_changes(f->b, NULL, &from_b);
    struct merge_result res;
    apply_ok(f->b, &from_a, NULL, 0, &res);
    assert_int_equal(res.open, 1);
    assert_string_equal(res.conflicts[0].field, "deleted");
    assert_string_equal(res.conflicts[0].ref, "PV-1.3");
    merge_result_free(&res);
    assert_field(f->b, "title", "PV-1.3", "Still wanted");
    /* In A the action is gone: their edit can only be settled by keeping ours. */
    apply_ok(f->a, &from_b, NULL, 0, &res);
    assert_int_equal(res.open, 1);
    assert_false(res.conflicts[0].theirs_possible);
    merge_result_free(&res);
    struct change_choice theirs = {"PV-1.3", "deleted", CHANGE_THEIRS, false};
    apply_ok(f->a, &from_b, &theirs, 1, &res);
    assert_int_equal(res.open, 1);
    merge_result_free(&res);
    struct change_choice ours = {"PV-1.3", "deleted", CHANGE_OURS, false};
    apply_ok(f->a, &from_b, &ours, 1, &res);
    assert_int_equal(res.open, 0);
    merge_result_free(&res);
    /* B takes their deletion. */
    apply_ok(f->b, &from_a, &theirs, 1, &res);
    assert_int_equal(res.open, 0);
    merge_result_free(&res);
    assert_null(field_of(f->b, "title", "PV-1.3"));
    changes_file_free(&from_a);
    changes_file_free(&from_b);
}

static void test_reference_clash(void **state)
{
    struct fixture *f = *state;
    add_action(f->a, "PV-1.4", "Added in A", "SC");
    add_action(f->b, "PV-1.4", "Added in B", "WMP");
    assert_int_equal(exchange(f->a, f->b), 0);
    assert_int_equal(exchange(f->b, f->a), 0);
    /* Both copies hold both actions, under the same references. */
    for (int i = 0; i < 2; i++) {
        struct store *st = i ? f->b : f->a;
        assert_int_equal(query_int(st, "SELECT count(*) FROM actions"), 5);
        char *t4 = field_of(st, "title", "PV-1.4"), *t5 = field_of(st, "title", "PV-1.5");
        assert_non_null(t4);
        assert_non_null(t5);
        assert_string_not_equal(t4, t5);
        free(t4);
        free(t5);
    }
    assert_int_equal(id_of(f->a, "PV-1.4"), id_of(f->b, "PV-1.4"));
    assert_int_equal(id_of(f->a, "PV-1.5"), id_of(f->b, "PV-1.5"));
    assert_true(id_of(f->a, "PV-1.4") < id_of(f->a, "PV-1.5"));
}

static void test_bad_files_refused(void **state)
{
    struct fixture *f = *state;
    edit(f->a, "PV-1.1", "title", "For the file");
    char *buf = NULL;
    size_t n = 0, count = 0;
    FILE *mem = open_memstream(&buf, &n);
    char err[RB_ERRLEN] = "";
    assert_int_equal(changes_export(f->a, NULL, mem, &count, err), 0);
    fclose(mem);
    struct changes_file cf;
    /* Every truncation is refused. */
    for (size_t len = 0; len < n; len++) {
        unsigned char *part = xmalloc(len + 1);
        memcpy(part, buf, len);
        if (changes_file_parse(part, len, &cf, err) == 0)
            fail_msg("a file cut to %zu of %zu bytes was accepted", len, n);
    }
    /* Any flipped byte after the magic line is refused. */
    for (size_t at = strlen(CHANGES_MAGIC) + 1; at < n; at += 7) {
        unsigned char *bad = xmalloc(n);
        memcpy(bad, buf, n);
        bad[at] ^= 0x20;
        if (changes_file_parse(bad, n, &cf, err) == 0)
            fail_msg("a file changed at byte %zu was accepted", at);
    }
    unsigned char *text = (unsigned char *)xstrdup("ref,title\r\nPV-1.1,Hello\r\n");
    assert_int_not_equal(changes_file_parse(text, strlen((char *)text), &cf, err), 0);
    assert_non_null(strstr(err, "not a ragboard changeset"));
    unsigned char *newer = xmalloc(n + 8);
    int hl = snprintf((char *)newer, n + 8, "%s\nversion 9\n", CHANGES_MAGIC);
    assert_int_not_equal(changes_file_parse(newer, (size_t)hl, &cf, err), 0);
    assert_non_null(strstr(err, "newer ragboard"));
    /* A whole file parses. */
    unsigned char *whole = xmalloc(n);
    memcpy(whole, buf, n);
    assert_int_equal(changes_file_parse(whole, n, &cf, err), 0);
    changes_file_free(&cf);
    free(buf);
}

static void test_other_plan_refused(void **state)
{
    struct fixture *f = *state;
    char path[160], err[RB_ERRLEN] = "";
    snprintf(path, sizeof path, "%s/other.db", f->sc.dir);
    struct store *other;
    assert_int_equal(store_open(path, STORE_CREATE, &other, err), 0);
    scratch_exec(other, "INSERT INTO agencies (code, name) VALUES ('SC', 'Shire Council')");
    struct changes_file cf;
    export_changes(other, NULL, &cf);
    long long audit = query_int(f->a, "SELECT count(*) FROM audit");
    struct merge_result res;
    assert_int_not_equal(changes_apply(f->a, &cf, "other", NULL, 0, &res, err), 0);
    assert_non_null(strstr(err, "another plan"));
    size_t fresh;
    assert_int_not_equal(changes_count_new(f->a, &cf, &fresh, err), 0);
    assert_int_equal(query_int(f->a, "SELECT count(*) FROM audit"), audit);
    changes_file_free(&cf);
    store_close(other);
}

static void test_filters(void **state)
{
    struct fixture *f = *state;
    edit(f->a, "PV-1.3", "title", "Police item"); /* led by WMP */
    edit(f->a, "PV-1.1", "title", "Council item");
    struct changes_filter police = {.agency = "WMP"};
    struct changes_file cf;
    export_changes(f->a, &police, &cf);
    struct merge_result res;
    apply_ok(f->b, &cf, NULL, 0, &res);
    merge_result_free(&res);
    changes_file_free(&cf);
    assert_field(f->b, "title", "PV-1.3", "Police item");
    assert_field(f->b, "title", "PV-1.1", "Train staff");

    char since[CHANGES_TIME_LEN], what[RB_ERRLEN], err[RB_ERRLEN] = "";
    assert_int_equal(changes_since(f->a, "2099-01-01", since, what, err), 0);
    assert_string_equal(since, "2099-01-01T00:00:00Z");
    struct changes_filter later = {.since = since};
    export_changes(f->a, &later, &cf);
    assert_int_equal(cf.n, 0);
    changes_file_free(&cf);
    assert_int_not_equal(changes_since(f->a, "last", since, what, err), 0);
    assert_non_null(strstr(err, "no meeting"));
    scratch_exec(f->a, "INSERT INTO meetings (id, title, date, opened_at, closed_at) VALUES"
                  " (5, 'Group', '2026-03-01', '2026-03-01T10:00:00Z', '2026-03-01T12:00:00Z')");
    assert_int_equal(changes_since(f->a, "last", since, what, err), 0);
    assert_string_equal(since, "2026-03-01T12:00:00Z");
    assert_string_equal(what, "the meeting of 01/03/2026");
    assert_int_equal(changes_since(f->a, "01/03/2026", since, what, err), 0);
    assert_string_equal(since, "2026-03-01T10:00:00Z");
    assert_int_not_equal(changes_since(f->a, "whenever", since, what, err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_journal_per_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_identity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_both_ways, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apply_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conflict_listed_and_settled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conflicting_due_and_unused_choice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_against_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reference_clash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_files_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_plan_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

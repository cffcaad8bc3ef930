/* Unit tests for the minutes and reports: the minutes of a closed meeting word for word,
 * confidential content kept out unless asked for, the exception report as CSV read back,
 * the highlight report's direction of travel, and the text helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/edit.h"
#include "ragboard/meeting.h"
#include "ragboard/report.h"
#include "ragboard/store.h"
#include "ragboard/util.h"
#include "src/core/report_util.h"
#include "scratch.h"

#define TODAY "2026-03-03"

/* Text that belongs to confidential items only: none of it may appear without the flag. */
static const char *const secrets[] = {
    "Audit Channel case files held by the panel", /* a confidential action's title */
    "ZX-17",                                      /* in a confidential update and minute */
    "Channel Chair",                              /* the confidential action's officer */
};

struct fixture {
    struct scratch sc;
    struct store *st;
    rb_day today;
    int64_t m1, m2;
    int64_t wrap, gov, channel, market, contacts, form; /* the actions */
};

static rb_day day(const char *iso)
{
    rb_day d;
    assert_true(date_parse_iso(iso, &d));
    return d;
}

/* Run sql with ?1 = a and ?2 = b (text, or NULL to leave unbound). */
static void exec_bind(struct store *st, const char *sql, const char *a, int64_t n)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL), SQLITE_OK);
    if (a)
        sqlite3_bind_text(s, 1, a, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, n);
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
}

static int64_t add_action(struct store *st, const char *ref, const char *strand,
                          const char *objective, const char *title, const char *lead,
                          const char *owner, const char *due, int progress, bool confidential)
{
    struct action a = {
        .ref = (char *)ref,
        .title = (char *)title,
        .description = (char *)"",
        .strand = (char *)strand,
        .objective_ref = (char *)objective,
        .lead = (char *)lead,
        .owner = (char *)owner,
        .partners = (char *)"",
        .start = day("2025-10-01"),
        .due = day(due),
        .progress = progress,
        .state = progress > 0 ? STATE_IN_PROGRESS : STATE_NOT_STARTED,
        .override = RAG_NONE,
        .confidential = confidential,
        .created_at = (char *)"2025-10-01T09:00:00Z",
    };
    char err[RB_ERRLEN] = "";
    if (store_action_insert(st, &a, err) != 0)
        fail_msg("insert %s: %s", ref, err);
    return a.id;
}

static void add_update(struct store *st, int64_t id, const char *date, const char *text,
                       int progress, bool confidential)
{
    struct progress_update u = {.action_id = id, .date = day(date), .text = (char *)text,
                                .progress = progress, .confidential = confidential};
    char err[RB_ERRLEN] = "";
    if (store_update_insert(st, &u, err) != 0)
        fail_msg("update: %s", err);
}

/* Record a minute and give it a fixed time, so the order discussed is known. */
static void rec(struct fixture *f, int64_t meeting, int64_t action, enum minute_kind kind,
                const char *heading, const char *text, const char *at)
{
    char err[RB_ERRLEN] = "";
    if (meeting_record(f->st, meeting, action, kind, heading, text, err) != 0)
        fail_msg("record: %s", err);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(f->st),
                                        "UPDATE minute_entries SET created_at = ?1 "
                                        "WHERE meeting_id = ?2 AND text = ?3",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, meeting);
    sqlite3_bind_text(s, 3, text, -1, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    assert_int_equal(sqlite3_changes(store_db(f->st)), 1);
    sqlite3_finalize(s);
}

static void set_snapshot(struct fixture *f, int64_t action, const char *rag, const char *state)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(f->st),
                                        "UPDATE meeting_snapshots SET rag = ?1, state = ?3 "
                                        "WHERE meeting_id = ?2 AND action_id = ?4",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, rag, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, f->m1);
    sqlite3_bind_text(s, 3, state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, action);
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    assert_int_equal(sqlite3_changes(store_db(f->st)), 1);
    sqlite3_finalize(s);
}

/* A small plan with a closed meeting (m1, 3 February) and an open one (m2, today) that
 * has minute entries of every kind. */
static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    if (scratch_open(&f->sc, TODAY, "clerk", &f->st) != 0)
        return -1;
    f->today = day(TODAY);
    char err[RB_ERRLEN] = "";
    struct store *st = f->st;
    scratch_exec(st, "UPDATE partnership SET name = 'Shire Community Safety Partnership', "
                "plan_title = 'Prevent Action Plan 2025/26', threat_level = 'SUBSTANTIAL'");
    scratch_exec(st, "INSERT INTO agencies (code, name, sort) VALUES ('SC', 'Shire Council', 1),"
                " ('WMP', 'West Mercia Police', 2), ('NHS', 'Health Board', 3)");
    assert_int_equal(store_objective_put(st, "PREVENT", "PV-1", "Training", NULL, err), 0);
    assert_int_equal(store_objective_put(st, "PROTECT", "PT-1", "Crowded places", NULL, err),
                     0);
    f->wrap = add_action(st, "PV-1.1", "PREVENT", "PV-1",
                         "Deliver WRAP training to frontline staff", "SC",
                         "Prevent Coordinator", "2026-06-30", 50, false);
    add_update(st, f->wrap, "2026-01-20", "Half of the frontline teams trained", 50, false);
    add_update(st, f->wrap, "2026-02-20", "Named pupil referred, see case ZX-17", -1, true);
    f->gov = add_action(st, "PV-1.2", "PREVENT", "PV-1",
                        "Brief school governors on the Prevent duty", "NHS",
                        "Safeguarding Lead", "2026-02-01", 20, false);
    f->channel = add_action(st, "PV-1.3", "PREVENT", "PV-1",
                            "Audit Channel case files held by the panel", "SC", "Channel Chair",
                            "2026-02-10", 40, true);
    f->market = add_action(st, "PT-1.1", "PROTECT", "PT-1",
                           "Protective security advice for the market square", "WMP",
                           "Counter Terrorism Security Adviser", "2026-09-30", 25, false);
    f->contacts = add_action(st, "PT-1.2", "PROTECT", "PT-1",
                             "Update the crowded places contact list", "WMP",
                             "Counter Terrorism Security Adviser", "2026-03-31", 90, false);

    /* The February meeting, closed with a snapshot set to known ratings. */
    const struct rag_thresholds *t = &rag_default_thresholds;
    if (meeting_start(st, "Prevent Partnership Group", day("2026-02-03"),
                      "Community Safety Manager", AGENDA_RAG, &f->m1, err) != 0)
        fail_msg("start m1: %s", err);
    rec(f, f->m1, f->gov, MINUTE_DECISION, NULL, "Lead to propose a new date.",
        "2026-02-03T10:20:00Z");
    if (report_close_meeting(st, f->m1, t, day("2026-02-03"), err) != 0)
        fail_msg("close m1: %s", err);
    exec_bind(st, "UPDATE meetings SET opened_at = '2026-02-03T10:00:00Z', "
                  "closed_at = '2026-02-03T12:00:00Z' WHERE id = ?2", NULL, f->m1);
    set_snapshot(f, f->wrap, "G", "in_progress");
    set_snapshot(f, f->gov, "A", "in_progress");
    set_snapshot(f, f->channel, "A", "in_progress");
    set_snapshot(f, f->market, "R", "in_progress");
    set_snapshot(f, f->contacts, "A", "in_progress");
    assert_int_equal(store_action_set_state(st, f->contacts, STATE_COMPLETE, err), 0);

    /* Today's meeting, still open. */
    if (meeting_start(st, "Prevent Partnership Group", f->today, "Community Safety Manager",
                      AGENDA_RAG, &f->m2, err) != 0)
        fail_msg("start m2: %s", err);
    exec_bind(st, "UPDATE meetings SET opened_at = '2026-03-03T10:00:00Z' WHERE id = ?2",
              NULL, f->m2);
    assert_int_equal(meeting_set_attendance(st, f->m2, "SC", ATTEND_PRESENT,
                                            "Community Safety Manager (chair), Prevent "
                                            "Coordinator", err),
                     0);
    assert_int_equal(meeting_set_attendance(st, f->m2, "WMP", ATTEND_APOLOGIES,
                                            "Police Prevent Lead", err),
                     0);
    rec(f, f->m2, 0, MINUTE_NOTE, "Threat update",
        "National threat level unchanged at SUBSTANTIAL; the local threat stays low.",
        "2026-03-03T10:05:00Z");
    rec(f, f->m2, f->gov, MINUTE_UPDATE, NULL,
        "Governor briefing postponed after the January storm.", "2026-03-03T10:10:00Z");
    rec(f, f->m2, f->gov, MINUTE_RAG, NULL, "Red: two months late and no new date.",
        "2026-03-03T10:11:00Z");
    rec(f, f->m2, f->gov, MINUTE_DECISION, NULL,
        "Chair to write to the health board for a recovery date by 31 March.",
        "2026-03-03T10:12:00Z");
    rec(f, f->m2, f->wrap, MINUTE_REVIEWED, NULL, "Reviewed, no change",
        "2026-03-03T10:15:00Z");
    rec(f, f->m2, f->wrap, MINUTE_UPDATE, NULL, "Named pupil referred, see case ZX-17",
        "2026-03-03T10:16:00Z");
    rec(f, f->m2, f->channel, MINUTE_DECISION, NULL,
        "Decision on case ZX-17 referred to the Channel chair.", "2026-03-03T10:20:00Z");
    f->form = add_action(st, "PV-1.4", "PREVENT", "PV-1", "Refresh the Prevent referral form",
                         "SC", "Prevent Coordinator", "2026-05-29", 0, false);
    exec_bind(st, "UPDATE actions SET created_at = '2026-03-03T10:25:00Z', start_date = NULL "
                  "WHERE id = ?2", NULL, f->form);
    rec(f, f->m2, f->form, MINUTE_NEW_ACTION, NULL,
        "Match the form to the national referral form.", "2026-03-03T10:25:00Z");
    rec(f, f->m2, f->market, MINUTE_UPDATE, NULL, "Site survey done; advice letter drafted.",
        "2026-03-03T10:30:00Z");
    rec(f, f->m2, 0, MINUTE_NOTE, "Channel summary",
        "Three referrals this quarter; none adopted.", "2026-03-03T10:40:00Z");
    rec(f, f->m2, 0, MINUTE_NOTE, "Threat update",
        "Police to brief schools on online radicalisation.", "2026-03-03T10:45:00Z");
    rec(f, f->m2, 0, MINUTE_NOTE, "Any other business", "Next meeting on 2 June 2026.",
        "2026-03-03T10:50:00Z");
    store_undo_clear(st);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    int rc = scratch_close(&f->sc, f->st);
    free(f);
    return rc;
}

static void close_m2(struct fixture *f)
{
    char err[RB_ERRLEN] = "";
    if (report_close_meeting(f->st, f->m2, &rag_default_thresholds, f->today, err) != 0)
        fail_msg("close m2: %s", err);
}

enum which { MINUTES, EXCEPTIONS, HIGHLIGHT };

/* Write a report into memory; caller frees. */
static char *render(struct fixture *f, enum which w, int64_t meeting, enum report_format fmt,
                    bool confidential)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    struct report_opts o = {fmt, confidential, &rag_default_thresholds, f->today};
    char err[RB_ERRLEN] = "";
    int rc = w == MINUTES      ? report_minutes(f->st, meeting, &o, out, err)
             : w == EXCEPTIONS ? report_exceptions(f->st, &o, out, err)
                               : report_highlight(f->st, &o, out, err);
    fclose(out);
    if (rc != 0)
        fail_msg("report: %s", err);
    return text;
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!hay)
        fail_msg("no text");
    else if (!strstr(hay, needle))
        fail_msg("expected \"%s\" in:\n%s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
    if (!hay)
        fail_msg("no text");
    else if (strstr(hay, needle))
        fail_msg("did not expect \"%s\" in:\n%s", needle, hay);
}

static const char golden_minutes[] =
    "Prevent Partnership Group\n"
    "=========================\n"
    "\n"
    "Shire Community Safety Partnership\n"
    "\n"
    "Date: Tuesday 3 March 2026\n"
    "Chair: Community Safety Manager\n"
    "\n"
    "Present\n"
    "-------\n"
    "\n"
    "  - Shire Council (SC): Community Safety Manager (chair), Prevent Coordinator\n"
    "\n"
    "Apologies\n"
    "---------\n"
    "\n"
    "  - West Mercia Police (WMP): Police Prevent Lead\n"
    "\n"
    "Absent\n"
    "------\n"
    "\n"
    "  - Health Board (NHS)\n"
    "\n"
    "Actions reviewed\n"
    "----------------\n"
    "\n"
    "PV-1.2 Brief school governors on the Prevent duty\n"
    "\n"
    "  - Lead: Health Board (NHS); lead officer: Safeguarding Lead\n"
    "  - RAG: R (Red), worse since 3 February 2026, when it was A (Amber)\n"
    "  - Progress update: Governor briefing postponed after the January storm.\n"
    "  - RAG change: Red: two months late and no new date.\n"
    "  - Decision: Chair to write to the health board for a recovery date by 31\n"
    "    March.\n"
    "\n"
    "PV-1.1 Deliver WRAP training to frontline staff\n"
    "\n"
    "  - Lead: Shire Council (SC); lead officer: Prevent Coordinator\n"
    "  - RAG: G (Green), same as on 3 February 2026\n"
    "  - Reviewed, no change\n"
    "\n"
    "PT-1.1 Protective security advice for the market square\n"
    "\n"
    "  - Lead: West Mercia Police (WMP); lead officer: Counter Terrorism Security\n"
    "    Adviser\n"
    "  - RAG: A (Amber), better since 3 February 2026, when it was R (Red)\n"
    "  - Progress update: Site survey done; advice letter drafted.\n"
    "\n"
    "New actions agreed\n"
    "------------------\n"
    "\n"
    "  - PV-1.4 Refresh the Prevent referral form. Lead: Shire Council (SC); lead\n"
    "    officer: Prevent Coordinator; due 29 May 2026.\n"
    "    - Match the form to the national referral form.\n"
    "\n"
    "Standing items\n"
    "--------------\n"
    "\n"
    "Threat update\n"
    "\n"
    "  - National threat level unchanged at SUBSTANTIAL; the local threat stays\n"
    "    low.\n"
    "  - Police to brief schools on online radicalisation.\n"
    "\n"
    "Channel summary\n"
    "\n"
    "  - Three referrals this quarter; none adopted.\n"
    "\n"
    "Any other business\n"
    "\n"
    "  - Next meeting on 2 June 2026.\n"
    "\n"
    "Summary\n"
    "-------\n"
    "\n"
    "Actions reviewed: 3\n"
    "Progress updates: 2\n"
    "RAG changes: 1\n"
    "Decisions: 1\n"
    "Reviewed with no change: 1\n"
    "New actions: 1\n"
    "\n"
    "RAG by strand when the meeting closed:\n"
    "\n"
    "Strand   R  A  G  C  Total\n"
    "-------  -  -  -  -  -----\n"
    "Pursue   0  0  0  0      0\n"
    "Protect  0  1  0  1      2\n"
    "Prepare  0  0  0  0      0\n"
    "Prevent  2  0  2  0      4\n"
    "All      2  1  2  1      6\n"
    "\n"
    "2 confidential items are not shown.\n";

static void test_minutes_text(void **state)
{
    struct fixture *f = *state;
    close_m2(f);
    char *got = render(f, MINUTES, f->m2, REPORT_TEXT, false);
    if (strcmp(got, golden_minutes) != 0)
        fail_msg("minutes differ; got:\n%s", got);
    /* Every line fits in 78 columns. */
    for (const char *line = got; *line;) {
        const char *end = strchr(line, '\n');
        assert_non_null(end);
        assert_true(end - line <= 78);
        line = end + 1;
    }
    free(got);
}

static void test_minutes_confidential(void **state)
{
    struct fixture *f = *state;
    close_m2(f);
    for (int fmt = REPORT_MD; fmt <= REPORT_TEXT; fmt++) {
        char *plain = render(f, MINUTES, f->m2, (enum report_format)fmt, false);
        char *full = render(f, MINUTES, f->m2, (enum report_format)fmt, true);
        for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
            assert_lacks(plain, secrets[i]);
            assert_contains(full, secrets[i]);
        }
        assert_lacks(plain, "[confidential]");
        assert_contains(plain, "2 confidential items are not shown.");
        assert_contains(full, "[confidential]");
        assert_lacks(full, "not shown");
        free(plain);
        free(full);
    }
    /* The minutes stored at the close are the partnership's own full record. */
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(store_db(f->st), "SELECT minutes FROM meetings WHERE "
                                                          "id = ?", -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(s, 1, f->m2);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    const char *stored = (const char *)sqlite3_column_text(s, 0);
    assert_non_null(stored);
    assert_contains(stored, "# Prevent Partnership Group");
    assert_contains(stored, "ZX-17");
    sqlite3_finalize(s);
}

static void test_minutes_markdown(void **state)
{
    struct fixture *f = *state;
    char *md = render(f, MINUTES, f->m2, REPORT_MD, false);
    assert_contains(md, "# Prevent Partnership Group\n");
    assert_contains(md, "- **Date:** Tuesday 3 March 2026\n");
    assert_contains(md, "- **Status:** draft: the meeting is still open\n");
    assert_contains(md, "## Apologies\n\n- West Mercia Police (WMP): Police Prevent Lead\n");
    assert_contains(md, "## Absent\n\n- Health Board (NHS)\n");
    assert_contains(md, "### PV-1.2 Brief school governors on the Prevent duty\n");
    assert_contains(md, "- RAG: R (Red), worse since 3 February 2026, when it was A (Amber)\n");
    /* Still open: the rating is today's, and the counts are as of today. */
    assert_contains(md, "RAG by strand on 3 March 2026 (the meeting is still open):");
    assert_contains(md, "| Prevent | 2 | 0 | 2 | 0 | 4 |\n");
    free(md);
}

/* A tiny RFC 4180 reader: cells of one record per call; NULL at the end. */
static char **csv_next(const char **p, size_t *n)
{
    if (!**p)
        return NULL;
    char **cells = NULL;
    *n = 0;
    for (;;) {
        struct strbuf cell = {0};
        sb_add(&cell, "");
        if (**p == '"') {
            (*p)++;
            for (;;) {
                assert_true(**p != '\0');
                if (**p == '"' && (*p)[1] == '"') {
                    sb_addc(&cell, '"');
                    *p += 2;
                } else if (**p == '"') {
                    (*p)++;
                    break;
                } else {
                    sb_addc(&cell, *(*p)++);
                }
            }
        } else {
            while (**p && **p != ',' && **p != '\r') {
                assert_true(**p != '"' && **p != '\n');
                sb_addc(&cell, *(*p)++);
            }
        }
        cells = xrealloc(cells, (*n + 1) * sizeof *cells);
        cells[(*n)++] = sb_take(&cell);
        if (**p == ',') {
            (*p)++;
            continue;
        }
        assert_true((*p)[0] == '\r' && (*p)[1] == '\n');
        *p += 2;
        return cells;
    }
}

static void cells_free(char **c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(c[i]);
    free(c);
}

static void test_exceptions_csv(void **state)
{
    struct fixture *f = *state;
    close_m2(f);
    for (int conf = 0; conf <= 1; conf++) {
        char *csv = render(f, EXCEPTIONS, 0, REPORT_CSV, conf);
        assert_memory_equal(csv, "\xEF\xBB\xBF", 3);
        const char *p = csv + 3;
        size_t n;
        char **head = csv_next(&p, &n);
        assert_non_null(head);
        assert_int_equal(n, 12);
        assert_string_equal(head[0], "ref");
        assert_string_equal(head[9], "corrective_action");
        cells_free(head, n);
        char **row = csv_next(&p, &n);
        assert_non_null(row);
        assert_int_equal(n, 12);
        assert_string_equal(row[0], "PV-1.2");
        assert_string_equal(row[1], "Brief school governors on the Prevent duty");
        assert_string_equal(row[2], "Prevent");
        assert_string_equal(row[3], "NHS");
        assert_string_equal(row[4], "Health Board");
        assert_string_equal(row[5], "Safeguarding Lead");
        assert_string_equal(row[6], "2026-02-01");
        assert_string_equal(row[7], "Red");
        assert_string_equal(row[8], "overdue by 30 days");
        /* The newest decision, not February's. */
        assert_string_equal(row[9],
                            "Chair to write to the health board for a recovery date by 31 March.");
        assert_string_equal(row[10], "2026-03-03");
        assert_string_equal(row[11], "no");
        cells_free(row, n);
        row = csv_next(&p, &n);
        if (conf) {
            assert_non_null(row);
            assert_string_equal(row[0], "PV-1.3");
            assert_string_equal(row[1], secrets[0]);
            assert_string_equal(row[9], "Decision on case ZX-17 referred to the Channel chair.");
            assert_string_equal(row[11], "yes");
            cells_free(row, n);
            row = csv_next(&p, &n);
        }
        assert_null(row);
        for (size_t i = 0; !conf && i < sizeof secrets / sizeof secrets[0]; i++)
            assert_lacks(csv, secrets[i]);
        free(csv);
    }
    char *text = render(f, EXCEPTIONS, 0, REPORT_TEXT, false);
    assert_contains(text, "1 action is rated Red.");
    assert_contains(text, "1 confidential Red action is not shown.");
    assert_contains(text, "  - Corrective action: Chair to write to the health board for a "
                          "recovery date\n    by 31 March. (decided at the meeting of 3 March "
                          "2026)\n");
    free(text);
}

static void test_highlight_directions(void **state)
{
    struct fixture *f = *state;
    /* m2 is still open: the comparison is with February's meeting. */
    char *md = render(f, HIGHLIGHT, 0, REPORT_MD, false);
    assert_contains(md, "- **Partnership:** Shire Community Safety Partnership\n");
    assert_contains(md, "- **National threat level:** SUBSTANTIAL\n");
    assert_contains(md, "## Direction of travel since 3 February 2026\n");
    assert_contains(md, "- Better (^): 2\n"
                        "  - PT-1.1 Protective security advice for the market square (lead "
                        "WMP): R to A\n"
                        "  - PT-1.2 Update the crowded places contact list (lead WMP): A to C\n"
                        "- Worse (v): 2\n"
                        "  - PV-1.2 Brief school governors on the Prevent duty (lead NHS): A "
                        "to R\n"
                        "- Same (=): 1\n"
                        "- New actions: 1\n"
                        "  - PV-1.4 Refresh the Prevent referral form (lead SC): G\n"
                        "- Closed (complete or cancelled): 1\n"
                        "  - PT-1.2 Update the crowded places contact list (lead WMP): "
                        "complete\n");
    assert_contains(md, "| Prevent | 2 | 0 | 2 | 0 | 2 | 2 |\n");
    assert_contains(md, "| Shire Council (SC) | 1 | 0 | 2 | 0 | 1 | 1 |\n");
    assert_contains(md, "| Health Board (NHS) | 1 | 0 | 0 | 0 | 1 | 1 |\n");
    assert_contains(md, "## Overdue\n\n- PV-1.2 Brief school governors on the Prevent duty "
                        "(lead NHS): 30 days overdue\n");
    assert_contains(md, "1 confidential action is counted above but not named.");
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
        assert_lacks(md, secrets[i]);
    free(md);
    char *full = render(f, HIGHLIGHT, 0, REPORT_TEXT, true);
    assert_contains(full, "PV-1.3 Audit Channel case files held by the panel [confidential]");
    assert_contains(full, "21 days overdue");
    assert_lacks(full, "not named");
    free(full);
    /* Once m2 is closed, it is the baseline: nothing has moved since. */
    close_m2(f);
    char *after = render(f, HIGHLIGHT, 0, REPORT_TEXT, false);
    assert_contains(after, "Direction of travel since 3 March 2026\n");
    assert_contains(after, "  - Better (^): 0\n  - Worse (v): 0\n  - Same (=): 6\n");
    free(after);
}

static void test_csv_cells(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    const char *in[] = {"=SUM(A1)", "+44 1743", "-2", "@cmd", "a,b", "say \"hi\"",
                        "two\nlines", " padded", "plain"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        csv_cell(out, in[i], i + 1 == sizeof in / sizeof in[0]);
    fclose(out);
    assert_string_equal(text, "\"'=SUM(A1)\",\"'+44 1743\",\"'-2\",\"'@cmd\",\"a,b\","
                              "\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",plain\r\n");
    free(text);
}

static void test_text_helpers(void **state)
{
    (void)state;
    char buf[DATE_LONG_BUF];
    date_long(date_from_ymd(2026, 3, 3), true, buf);
    assert_string_equal(buf, "Tuesday 3" REP_NBSP "March" REP_NBSP "2026");
    date_long(date_from_ymd(2024, 2, 29), false, buf);
    assert_string_equal(buf, "29" REP_NBSP "February" REP_NBSP "2024");
    struct strbuf sb = {0};
    rep_text(&sb, REPORT_MD, " *bold* [link](x) #1 <b>\tnew\r\nline\x1b[31m ");
    assert_string_equal(sb.buf, "\\*bold\\* \\[link\\](x) \\#1 \\<b\\> new line\\[31m");
    sb_free(&sb);
    rep_text(&sb, REPORT_TEXT, "a\xc2\x9b" "b *c*");
    assert_string_equal(sb.buf, "ab *c*");
    sb_free(&sb);
    enum report_format fmt;
    assert_true(report_format_parse("markdown", &fmt) && fmt == REPORT_MD);
    assert_true(report_format_parse("TXT", &fmt) && fmt == REPORT_TEXT);
    assert_true(report_format_parse("csv", &fmt) && fmt == REPORT_CSV);
    assert_false(report_format_parse("pdf", &fmt));
}

static void test_refusals(void **state)
{
    struct fixture *f = *state;
    struct report_opts o = {REPORT_CSV, false, &rag_default_thresholds, f->today};
    char err[RB_ERRLEN] = "";
    assert_int_equal(report_minutes(f->st, f->m2, &o, stdout, err), -1);
    assert_non_null(strstr(err, "not CSV"));
    assert_int_equal(report_highlight(f->st, &o, stdout, err), -1);
    o.format = REPORT_TEXT;
    assert_int_equal(report_minutes(f->st, 12345, &o, stdout, err), -1);
    assert_non_null(strstr(err, "no meeting"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_minutes_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_minutes_confidential, setup, teardown),
        cmocka_unit_test_setup_teardown(test_minutes_markdown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exceptions_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_highlight_directions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test(test_csv_cells),
        cmocka_unit_test(test_text_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

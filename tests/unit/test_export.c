/* Unit tests for the exporters: CSV as Excel reads it, JSON with meetings, Markdown and
 * iCalendar, and what each leaves out without --include-confidential. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ragboard/export.h"
#include "ragboard/store.h"
#include "ragboard/util.h"
#include "scratch.h"

#define TODAY "2026-03-12"

struct fixture {
    struct scratch sc;
    struct store *st;
    int64_t open_id, secret_id, done_id;
};

static int64_t add_action(struct store *st, const char *ref, const char *title,
                          const char *description, const char *due, bool confidential,
                          enum action_state state)
{
    struct action a = {
        .ref = (char *)ref,
        .title = (char *)title,
        .description = (char *)description,
        .strand = (char *)"PREVENT",
        .objective_ref = (char *)"PV-1",
        .lead = (char *)"SC",
        .owner = (char *)"Prevent coordinator",
        .partners = (char *)"WMP",
        .start = RB_NO_DATE,
        .due = RB_NO_DATE,
        .state = state,
        .confidential = confidential,
        .created_at = (char *)"2026-01-05T09:00:00Z",
    };
    date_parse_iso("2026-01-05", &a.start);
    if (due)
        date_parse_iso(due, &a.due);
    char err[RB_ERRLEN] = "";
    if (store_action_insert(st, &a, err) != 0)
        fail_msg("insert %s: %s", ref, err);
    return a.id;
}

static void add_update(struct store *st, int64_t id, const char *text, bool confidential)
{
    struct progress_update u = {.action_id = id, .date = RB_NO_DATE, .text = (char *)text,
                                .progress = 40, .confidential = confidential};
    char err[RB_ERRLEN] = "";
    if (store_update_insert(st, &u, err) != 0)
        fail_msg("update: %s", err);
}

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof *f);
    setenv("RAGBOARD_NOW", TODAY "T10:00:00Z", 1);
    if (scratch_open(&f->sc, TODAY, "alice", &f->st) != 0)
        return -1;
    char err[RB_ERRLEN];
    scratch_exec(f->st, "INSERT INTO agencies (code, name) VALUES ('SC', 'Shire Council'),"
                   " ('WMP', 'West Mercia Police')");
    assert_int_equal(store_objective_put(f->st, "PREVENT", "PV-1", "Training", NULL, err), 0);
    /* Text that needs quoting, escaping or the formula guard in every format. */
    f->open_id = add_action(f->st, "PV-1.1", "=HYPERLINK(\"x\"); train staff, *now*",
                            "Line one, with \"quotes\"\n# not a heading\n<b>raw</b>",
                            "2026-06-30", false, STATE_IN_PROGRESS);
    add_update(f->st, f->open_id, "-5 venues left; all @ risk", false);
    add_update(f->st, f->open_id, "Named person referred to Channel", true);
    f->secret_id = add_action(f->st, "PV-1.2", "Channel case review SECRETTITLE", "SECRETDESC",
                              "2026-05-01", true, STATE_NOT_STARTED);
    f->done_id = add_action(f->st, "PV-1.3", "Finished action with a long title that goes on "
                            "and on, with accents é à ü and more words to force folding",
                            "", "2026-02-01", false, STATE_COMPLETE);
    add_action(f->st, "PV-1.4", "Ongoing action", "", NULL, false, STATE_IN_PROGRESS);
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO meetings (id, title, date, chair, opened_at, closed_at)"
             " VALUES (77, 'Prevent Partnership Group', '2026-03-01', 'Chair Person',"
             "  '2026-03-01T10:00:00Z', '2026-03-01T12:00:00Z');"
             "INSERT INTO attendance (meeting_id, agency, status, names)"
             " VALUES (77, 'SC', 'present', 'Chair Person'), (77, 'WMP', 'apologies', '');"
             "INSERT INTO minute_entries (id, meeting_id, action_id, kind, text, author,"
             " created_at) VALUES (1, 77, %lld, 'update', 'Open minute', 'clerk',"
             " '2026-03-01T10:30:00Z'), (2, 77, %lld, 'decision', 'SECRETMINUTE', 'clerk',"
             " '2026-03-01T10:40:00Z'), (3, 77, NULL, 'note', 'Threat update', 'clerk',"
             " '2026-03-01T10:05:00Z');",
             (long long)f->open_id, (long long)f->secret_id);
    scratch_exec(f->st, sql);
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

/* Export into memory; caller frees. */
static char *run_export(struct fixture *f, enum export_format fmt, bool confidential,
                        const struct action_query *q, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *out = open_memstream(&buf, &n);
    assert_non_null(out);
    struct export_options o = {.query = q, .include_confidential = confidential};
    rb_day today;
    date_parse_iso(TODAY, &today);
    char err[RB_ERRLEN] = "";
    int rc = export_write(f->st, &o, &rag_default_thresholds, today, fmt, out, err);
    fclose(out);
    if (rc != 0)
        fail_msg("export: %s", err);
    if (len)
        *len = n;
    return buf;
}

static void test_format_names(void **state)
{
    (void)state;
    enum export_format fmt;
    assert_true(export_format_parse("CSV", &fmt) && fmt == EXPORT_CSV);
    assert_true(export_format_parse("json", &fmt) && fmt == EXPORT_JSON);
    assert_true(export_format_parse("md", &fmt) && fmt == EXPORT_MARKDOWN);
    assert_true(export_format_parse("Markdown", &fmt) && fmt == EXPORT_MARKDOWN);
    assert_true(export_format_parse("ics", &fmt) && fmt == EXPORT_ICALENDAR);
    assert_false(export_format_parse("xml", &fmt));
    assert_false(export_format_parse(NULL, &fmt));
}

static void test_csv_dialect(void **state)
{
    struct fixture *f = *state;
    size_t n;
    char *csv = run_export(f, EXPORT_CSV, false, NULL, &n);
    /* Byte-order mark, then the header the importer maps, then CRLF. */
    assert_memory_equal(csv, "\xEF\xBB\xBF", 3);
    const char *header = "ref,title,description,strand,objective,objective_title,lead,owner,"
                         "partners,start,due,progress,state,rag,rag_reason,confidential,"
                         "updates\r\n";
    assert_memory_equal(csv + 3, header, strlen(header));
    /* Every record ends CRLF; the only bare LFs are inside quoted cells. */
    bool quoted = false;
    for (size_t i = 0; i < n; i++) {
        if (csv[i] == '"')
            quoted = !quoted;
        if (csv[i] == '\n' && !quoted)
            assert_int_equal(csv[i - 1], '\r');
    }
    assert_false(quoted);
    /* Formula guard and quoting. */
    assert_non_null(strstr(csv, "\"'=HYPERLINK(\"\"x\"\"); train staff, *now*\""));
    assert_non_null(strstr(csv, "\"Line one, with \"\"quotes\"\"\n# not a heading\n<b>raw</b>\""));
    /* Confidential: the action and the update are left out. */
    assert_null(strstr(csv, "SECRETTITLE"));
    assert_null(strstr(csv, "Channel"));
    assert_non_null(strstr(csv, "-5 venues left"));
    free(csv);

    csv = run_export(f, EXPORT_CSV, true, NULL, NULL);
    assert_non_null(strstr(csv, "SECRETTITLE"));
    assert_non_null(strstr(csv, "[confidential]: Named person referred to Channel"));
    assert_non_null(strstr(csv, ",yes,"));
    free(csv);
}

static void test_json_meetings(void **state)
{
    struct fixture *f = *state;
    char *json = run_export(f, EXPORT_JSON, false, NULL, NULL);
    assert_non_null(strstr(json, "\"meetings\": ["));
    assert_non_null(strstr(json, "\"title\": \"Prevent Partnership Group\""));
    assert_non_null(strstr(json, "\"chair\": \"Chair Person\""));
    assert_non_null(strstr(json, "\"closed\": true"));
    assert_non_null(strstr(json, "\"attendance\": ["));
    assert_non_null(strstr(json, "\"status\": \"apologies\""));
    assert_non_null(strstr(json, "\"text\": \"Open minute\""));
    assert_non_null(strstr(json, "\"action\": \"PV-1.1\""));
    assert_non_null(strstr(json, "\"text\": \"Threat update\""));
    assert_non_null(strstr(json, "\"confidential_included\": false"));
    /* Neither the confidential action, its update, nor the minute about it. */
    assert_null(strstr(json, "SECRET"));
    assert_null(strstr(json, "Named person"));
    /* The newline in the description is escaped. */
    assert_non_null(strstr(json, "quotes\\\"\\n# not a heading"));
    free(json);
    json = run_export(f, EXPORT_JSON, true, NULL, NULL);
    assert_non_null(strstr(json, "SECRETTITLE"));
    assert_non_null(strstr(json, "SECRETMINUTE"));
    free(json);
    /* A strand filter leaves out minutes about actions outside it, not general notes. */
    struct action_query q = {.strand = "Protect"};
    json = run_export(f, EXPORT_JSON, true, &q, NULL);
    assert_null(strstr(json, "Open minute"));
    assert_non_null(strstr(json, "Threat update"));
    free(json);
}

static void test_markdown(void **state)
{
    struct fixture *f = *state;
    char *md = run_export(f, EXPORT_MARKDOWN, false, NULL, NULL);
    assert_non_null(strstr(md, "\n## Prevent\n"));
    assert_non_null(strstr(md, "\n### PV-1 Training\n"));
    assert_non_null(strstr(md, "\n#### PV-1.1 "));
    assert_non_null(strstr(md, "\n#### PV-1.3 "));
    assert_non_null(strstr(md, "\n#### PV-1.4 "));
    /* RAG as a word. */
    assert_non_null(strstr(md, "- RAG: **Complete**"));
    /* User text cannot become markup. */
    assert_non_null(strstr(md, "\\*now\\*"));
    assert_non_null(strstr(md, "\n\\# not a heading"));
    assert_non_null(strstr(md, "\\<b\\>raw\\</b\\>"));
    assert_non_null(strstr(md, "Confidential actions and updates are left out."));
    assert_null(strstr(md, "SECRET"));
    assert_null(strstr(md, "PV-1.2"));
    assert_null(strstr(md, "Named person"));
    free(md);
    md = run_export(f, EXPORT_MARKDOWN, true, NULL, NULL);
    assert_non_null(strstr(md, "PV-1.2"));
    assert_non_null(strstr(md, "(confidential)"));
    free(md);
}

static void test_icalendar(void **state)
{
    struct fixture *f = *state;
    size_t n;
    char *ics = run_export(f, EXPORT_ICALENDAR, false, NULL, &n);
    assert_memory_equal(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30);
    assert_true(n > 13 && strcmp(ics + n - 15, "END:VCALENDAR\r\n") == 0);
    /* CRLF only, at most 75 octets a line, folds start with a space and never split a
     * UTF-8 character. */
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        if (ics[i] == '\n') {
            assert_int_equal(ics[i - 1], '\r');
            assert_true(col - 1 <= 75);
            if (i + 1 < n && ics[i + 1] == ' ')
                assert_true(((unsigned char)ics[i + 2] & 0xC0) != 0x80);
            col = 0;
        } else {
            col++;
        }
    }
    char uid[64];
    snprintf(uid, sizeof uid, "UID:%lld@ragboard\r\n", (long long)f->open_id);
    assert_non_null(strstr(ics, uid));
    assert_non_null(strstr(ics, "DUE;VALUE=DATE:20260630\r\n"));
    assert_non_null(strstr(ics, "STATUS:IN-PROCESS\r\n"));
    assert_non_null(strstr(ics, "DTSTAMP:20260312T100000Z\r\n"));
    /* SUMMARY "PV-1.1 title", TEXT escaping of ; , and line breaks. */
    assert_non_null(strstr(ics, "SUMMARY:PV-1.1 =HYPERLINK(\"x\")\\; train staff\\, *now*\r\n"));
    assert_non_null(strstr(ics, "Lead: SC (Prevent coordinator)\\nRAG: "));
    /* One to-do per open action with a due date: not the complete one, not the ongoing
     * one, not the confidential one. */
    int todos = 0;
    for (const char *p = ics; (p = strstr(p, "BEGIN:VTODO")); p++)
        todos++;
    assert_int_equal(todos, 1);
    assert_null(strstr(ics, "SECRET"));
    free(ics);
    ics = run_export(f, EXPORT_ICALENDAR, true, NULL, NULL);
    assert_non_null(strstr(ics, "CLASS:CONFIDENTIAL\r\n"));
    assert_non_null(strstr(ics, "STATUS:NEEDS-ACTION\r\n"));
    free(ics);
}

/* As events: the same actions, each an all-day VEVENT on its due date (DTEND the next
 * day), free time, its own UID; nothing only a to-do may carry. */
static void test_icalendar_events(void **state)
{
    struct fixture *f = *state;
    size_t n;
    char *ics = run_export(f, EXPORT_ICALENDAR_EVENTS, false, NULL, &n);
    assert_memory_equal(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30);
    assert_true(n > 13 && strcmp(ics + n - 15, "END:VCALENDAR\r\n") == 0);
    char uid[64];
    snprintf(uid, sizeof uid, "UID:%lld-due@ragboard\r\n", (long long)f->open_id);
    assert_non_null(strstr(ics, uid));
    assert_non_null(strstr(ics, "DTSTART;VALUE=DATE:20260630\r\nDTEND;VALUE=DATE:20260701\r\n"
                                "TRANSP:TRANSPARENT\r\n"));
    assert_non_null(strstr(ics, "SUMMARY:Due: PV-1.1 =HYPERLINK(\"x\")\\; train staff\\, "));
    int events = 0;
    for (const char *p = ics; (p = strstr(p, "BEGIN:VEVENT")); p++)
        events++;
    assert_int_equal(events, 1);
    static const char *const only_todos[] = {"VTODO", "DUE;", "STATUS:", "PERCENT-COMPLETE",
                                             "SECRET"};
    for (size_t i = 0; i < sizeof only_todos / sizeof only_todos[0]; i++)
        if (strstr(ics, only_todos[i]))
            fail_msg("%s in the events export", only_todos[i]);
    free(ics);
    enum export_format fmt;
    assert_true(export_format_parse("ICS-events", &fmt) && fmt == EXPORT_ICALENDAR_EVENTS);
}

static void test_plan_export_keeps_everything(void **state)
{
    struct fixture *f = *state;
    char *buf = NULL;
    size_t n = 0;
    FILE *out = open_memstream(&buf, &n);
    rb_day today;
    date_parse_iso(TODAY, &today);
    char err[RB_ERRLEN] = "";
    assert_int_equal(export_plan(f->st, NULL, &rag_default_thresholds, today, EXPORT_JSON, out,
                                 err),
                     0);
    fclose(out);
    assert_non_null(strstr(buf, "SECRETTITLE"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_names),
        cmocka_unit_test_setup_teardown(test_csv_dialect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_meetings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_markdown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_icalendar_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_icalendar, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_export_keeps_everything, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Review meetings: start, attendance, the walk's position, minute entries and closing. */
#include "ragboard/meeting.h"

#include <stdlib.h>
#include <string.h>

#include "ragboard/util.h"
#include "store_internal.h"

static const char *const attend_codes[ATTEND_COUNT] = {"present", "apologies", "absent"};
static const char *const attend_words[ATTEND_COUNT] = {"Present", "Apologies", "Absent"};

const char *attendance_code(enum attendance_status s)
{
    return (unsigned)s < ATTEND_COUNT ? attend_codes[s] : "?";
}

const char *attendance_word(enum attendance_status s)
{
    return (unsigned)s < ATTEND_COUNT ? attend_words[s] : "?";
}

bool attendance_parse(const char *s, enum attendance_status *out)
{
    for (int i = 0; s && i < ATTEND_COUNT; i++) {
        if (str_ieq(s, attend_codes[i])) {
            *out = (enum attendance_status)i;
            return true;
        }
    }
    return false;
}

static const char *const agenda_codes[AGENDA_COUNT] = {"rag", "agency", "ref"};
static const char *const agenda_words[AGENDA_COUNT] = {
    "RAG: Red, Amber, stale, Green, completed", "by lead agency", "by reference"};

const char *agenda_code(enum agenda_order o)
{
    return (unsigned)o < AGENDA_COUNT ? agenda_codes[o] : "rag";
}

const char *agenda_word(enum agenda_order o)
{
    return (unsigned)o < AGENDA_COUNT ? agenda_words[o] : "?";
}

bool agenda_parse(const char *s, enum agenda_order *out)
{
    for (int i = 0; s && i < AGENDA_COUNT; i++) {
        if (str_ieq(s, agenda_codes[i])) {
            *out = (enum agenda_order)i;
            return true;
        }
    }
    return false;
}

static const char *const kind_codes[MINUTE_KIND_COUNT] = {"update", "rag", "decision",
                                                          "new_action", "reviewed", "note"};

const char *minute_kind_code(enum minute_kind k)
{
    return (unsigned)k < MINUTE_KIND_COUNT ? kind_codes[k] : "note";
}

bool minute_kind_parse(const char *s, enum minute_kind *out)
{
    for (int i = 0; s && i < MINUTE_KIND_COUNT; i++) {
        if (strcmp(s, kind_codes[i]) == 0) {
            *out = (enum minute_kind)i;
            return true;
        }
    }
    return false;
}

static const char *const group_words[] = {"Red", "Amber", "Stale", "Green",
                                          "Completed since the last meeting", "Other"};

const char *agenda_group_word(enum agenda_group g)
{
    return (unsigned)g <= GROUP_OTHER ? group_words[g] : "?";
}

void meeting_free(struct meeting *m)
{
    if (!m)
        return;
    free(m->title);
    free(m->chair);
    free(m->opened_at);
    free(m->closed_at);
    memset(m, 0, sizeof *m);
}

#define MEETING_COLUMNS \
    "id, title, date, chair, opened_at, closed_at, agenda, position, coalesce(item_action, 0)"

static void read_meeting(sqlite3_stmt *s, struct meeting *m)
{
    memset(m, 0, sizeof *m);
    m->id = sqlite3_column_int64(s, 0);
    m->title = col_text(s, 1, false);
    m->date = col_date(s, 2);
    m->chair = col_text(s, 3, false);
    m->opened_at = col_text(s, 4, false);
    m->closed_at = col_text(s, 5, true);
    if (!agenda_parse((const char *)sqlite3_column_text(s, 6), &m->agenda))
        m->agenda = AGENDA_RAG;
    m->position = sqlite3_column_int(s, 7);
    m->item_action = sqlite3_column_int64(s, 8);
}

/* Run a query that returns at most one meeting; text parameters bound in order. */
static int one_meeting(struct store *st, const char *sql, const char *p1, int64_t n1,
                       struct meeting *out, char *err)
{
    sqlite3_stmt *s;
    if (store_prepare(st, sql, &s, err) != 0)
        return -1;
    if (p1)
        sqlite3_bind_text(s, 1, p1, -1, SQLITE_TRANSIENT);
    else if (n1)
        sqlite3_bind_int64(s, 1, n1);
    int step = sqlite3_step(s);
    int rc = STORE_NOT_FOUND;
    if (step == SQLITE_ROW) {
        read_meeting(s, out);
        rc = 0;
    } else if (step != SQLITE_DONE) {
        rc = store_error(st, "reading meetings", err);
    }
    sqlite3_finalize(s);
    return rc;
}

int one_meeting_by_id(struct store *st, int64_t id, struct meeting *out, char *err)
{
    return one_meeting(st, "SELECT " MEETING_COLUMNS " FROM meetings WHERE id = ?1", NULL, id,
                       out, err);
}

int meeting_find_open(struct store *st, struct meeting *out, char *err)
{
    return one_meeting(st,
                       "SELECT " MEETING_COLUMNS " FROM meetings WHERE closed_at IS NULL "
                       "ORDER BY opened_at DESC LIMIT 1",
                       NULL, 0, out, err);
}

int meeting_find(struct store *st, const char *which, struct meeting *out, char *err)
{
    if (!which || str_ieq(which, "latest"))
        return one_meeting(st,
                           "SELECT " MEETING_COLUMNS " FROM meetings "
                           "ORDER BY date DESC, opened_at DESC LIMIT 1",
                           NULL, 0, out, err);
    rb_day day;
    if (date_parse(which, &day)) {
        char iso[RB_DATE_BUF];
        return one_meeting(st,
                           "SELECT " MEETING_COLUMNS " FROM meetings WHERE date = ?1 "
                           "ORDER BY opened_at DESC LIMIT 1",
                           date_format_iso(day, iso), 0, out, err);
    }
    long long id;
    char *end;
    id = strtoll(which, &end, 10);
    if (*which && !*end && id > 0)
        return one_meeting(st, "SELECT " MEETING_COLUMNS " FROM meetings WHERE id = ?1", NULL,
                           (int64_t)id, out, err);
    return rb_fail(err, "\"%s\" is not a meeting: give latest, a date or a meeting number",
                   which);
}

int meeting_last_closed(struct store *st, int64_t before, struct meeting *out, char *err)
{
    if (before) {
        struct meeting ref;
        int rc = one_meeting(st, "SELECT " MEETING_COLUMNS " FROM meetings WHERE id = ?1", NULL,
                             before, &ref, err);
        if (rc != 0)
            return rc;
        char *opened = xstrdup(ref.opened_at);
        meeting_free(&ref);
        rc = one_meeting(st,
                         "SELECT " MEETING_COLUMNS " FROM meetings WHERE closed_at IS NOT NULL "
                         "AND opened_at < ?1 ORDER BY opened_at DESC LIMIT 1",
                         opened, 0, out, err);
        free(opened);
        return rc;
    }
    return one_meeting(st,
                       "SELECT " MEETING_COLUMNS " FROM meetings WHERE closed_at IS NOT NULL "
                       "ORDER BY closed_at DESC LIMIT 1",
                       NULL, 0, out, err);
}

int meeting_start(struct store *st, const char *title, rb_day date, const char *chair,
                  enum agenda_order agenda, int64_t *id, char *err)
{
    if (str_blank(title))
        return rb_fail(err, "a meeting needs a title");
    if (date == RB_NO_DATE)
        return rb_fail(err, "a meeting needs a date");
    struct meeting open;
    int found = meeting_find_open(st, &open, err);
    if (found == 0) {
        char d[RB_DATE_BUF];
        rb_fail(err, "\"%s\" of %s is still open: resume it, or end it first", open.title,
                date_format_uk(open.date, d));
        meeting_free(&open);
        return -1;
    }
    if (found < 0)
        return -1;
    bool nested;
    if (edit_begin(st, &nested, err) != 0)
        return -1;
    char now[21];
    int64_t key = store_new_key();
    sqlite3_stmt *s;
    int rc = store_prepare(st,
                           "INSERT INTO meetings (id, title, date, chair, opened_at, agenda) "
                           "VALUES (?, ?, ?, ?, ?, ?)",
                           &s, err);
    if (rc == 0) {
        sqlite3_bind_int64(s, 1, key);
        sqlite3_bind_text(s, 2, title, -1, SQLITE_TRANSIENT);
        bind_date(s, 3, date);
        sqlite3_bind_text(s, 4, chair ? chair : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 5, store_now(now), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 6, agenda_code(agenda), -1, SQLITE_STATIC);
        rc = step_done(st, s, "starting the meeting", err);
    }
    if (rc == 0)
        rc = store_prepare(st,
                           "INSERT INTO attendance (meeting_id, agency, status) "
                           "SELECT ?, code, 'absent' FROM agencies WHERE in_config = 1",
                           &s, err);
    if (rc == 0) {
        sqlite3_bind_int64(s, 1, key);
        rc = step_done(st, s, "setting up attendance", err);
    }
    rc = edit_end(st, nested, rc, err);
    if (rc == 0 && id)
        *id = key;
    return rc;
}

int meeting_set_attendance(struct store *st, int64_t meeting, const char *agency,
                           enum attendance_status status, const char *names, char *err)
{
    sqlite3_stmt *s;
    if (store_prepare(st,
                      "INSERT INTO attendance (meeting_id, agency, status, names) "
                      "VALUES (?, ?, ?, ?) ON CONFLICT (meeting_id, agency) DO UPDATE SET "
                      "status = excluded.status, names = excluded.names",
                      &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, meeting);
    sqlite3_bind_text(s, 2, agency, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, attendance_code(status), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, names ? names : "", -1, SQLITE_TRANSIENT);
    return step_done(st, s, "saving attendance", err);
}

int meeting_attendance(struct store *st, int64_t meeting, struct attendee **out, size_t *n,
                       char *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s;
    if (store_prepare(st,
                      "SELECT t.agency, coalesce(g.name, t.agency), t.status, t.names "
                      "FROM attendance t LEFT JOIN agencies g ON g.code = t.agency "
                      "WHERE t.meeting_id = ? ORDER BY coalesce(g.in_config, 0) DESC, "
                      "coalesce(g.sort, 0), t.agency",
                      &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, meeting);
    size_t cap = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        struct attendee *a = &(*out)[(*n)++];
        a->agency = col_text(s, 0, false);
        a->agency_name = col_text(s, 1, false);
        if (!attendance_parse((const char *)sqlite3_column_text(s, 2), &a->status))
            a->status = ATTEND_ABSENT;
        a->names = col_text(s, 3, false);
    }
    sqlite3_finalize(s);
    return 0;
}

void attendees_free(struct attendee *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].agency);
        free(v[i].agency_name);
        free(v[i].names);
    }
    free(v);
}

int meeting_set_position(struct store *st, int64_t meeting, int position, int64_t action_id,
                         char *err)
{
    sqlite3_stmt *s;
    if (store_prepare(st, "UPDATE meetings SET position = ?2, item_action = ?3 WHERE id = ?1",
                      &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, meeting);
    sqlite3_bind_int(s, 2, position);
    if (action_id)
        sqlite3_bind_int64(s, 3, action_id);
    else
        sqlite3_bind_null(s, 3);
    return step_done(st, s, "saving the meeting's place", err);
}

int meeting_set_agenda(struct store *st, int64_t meeting, enum agenda_order agenda, char *err)
{
    bool nested;
    if (edit_begin(st, &nested, err) != 0)
        return -1;
    sqlite3_stmt *s;
    int rc = store_prepare(st,
                           "UPDATE meetings SET agenda = ?2, position = 0, item_action = NULL "
                           "WHERE id = ?1",
                           &s, err);
    if (rc == 0) {
        sqlite3_bind_int64(s, 1, meeting);
        sqlite3_bind_text(s, 2, agenda_code(agenda), -1, SQLITE_STATIC);
        rc = step_done(st, s, "changing the agenda order", err);
    }
    /* The items are chosen again, in the new order, the next time they are read. */
    if (rc == 0)
        rc = store_prepare(st, "DELETE FROM meeting_items WHERE meeting_id = ?", &s, err);
    if (rc == 0) {
        sqlite3_bind_int64(s, 1, meeting);
        rc = step_done(st, s, "changing the agenda order", err);
    }
    return edit_end(st, nested, rc, err);
}

int meeting_record(struct store *st, int64_t meeting, int64_t action_id, enum minute_kind kind,
                   const char *heading, const char *text, char *err)
{
    if (str_blank(text))
        return rb_fail(err, "nothing to record: the text is empty");
    if (st->readonly)
        return rb_fail(err, "%s is open read-only; changes cannot be saved", st->path);
    sqlite3_stmt *s;
    if (store_prepare(st,
                      "INSERT INTO minute_entries (id, meeting_id, action_id, kind, heading, "
                      "text, author, created_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                      "(SELECT coalesce(max(seq), 0) + 1 FROM minute_entries "
                      " WHERE meeting_id = ?2))",
                      &s, err) != 0)
        return -1;
    char now[21];
    sqlite3_bind_int64(s, 1, store_new_key());
    sqlite3_bind_int64(s, 2, meeting);
    if (action_id)
        sqlite3_bind_int64(s, 3, action_id);
    else
        sqlite3_bind_null(s, 3);
    sqlite3_bind_text(s, 4, minute_kind_code(kind), -1, SQLITE_STATIC);
    bind_text_or_null(s, 5, str_blank(heading) ? NULL : heading);
    sqlite3_bind_text(s, 6, text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 7, st->user, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 8, store_now(now), -1, SQLITE_TRANSIENT);
    return step_done(st, s, "saving the minute", err);
}

int meeting_entries(struct store *st, int64_t meeting, struct minute_entry **out, size_t *n,
                    char *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s;
    if (store_prepare(st,
                      "SELECT m.id, coalesce(m.action_id, 0), a.ref, m.kind, m.heading, m.text,"
                      " m.author, m.created_at, coalesce(a.confidential, 0) "
                      "FROM minute_entries m LEFT JOIN actions a ON a.id = m.action_id "
                      "WHERE m.meeting_id = ? ORDER BY m.created_at, m.seq",
                      &s, err) != 0)
        return -1;
    sqlite3_bind_int64(s, 1, meeting);
    size_t cap = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        struct minute_entry *e = &(*out)[(*n)++];
        e->id = sqlite3_column_int64(s, 0);
        e->action_id = sqlite3_column_int64(s, 1);
        e->action_ref = col_text(s, 2, true);
        if (!minute_kind_parse((const char *)sqlite3_column_text(s, 3), &e->kind))
            e->kind = MINUTE_NOTE;
        e->heading = col_text(s, 4, true);
        e->text = col_text(s, 5, false);
        e->author = col_text(s, 6, false);
        e->created_at = col_text(s, 7, false);
        e->confidential = sqlite3_column_int(s, 8) != 0;
    }
    sqlite3_finalize(s);
    return 0;
}

void minute_entries_free(struct minute_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].action_ref);
        free(v[i].heading);
        free(v[i].text);
        free(v[i].author);
        free(v[i].created_at);
    }
    free(v);
}

int meeting_close(struct store *st, int64_t meeting, const struct rag_thresholds *t,
                  rb_day today, const char *minutes, char *err)
{
    bool nested;
    if (edit_begin(st, &nested, err) != 0)
        return -1;
    int rc = snapshot_take(st, meeting, t, today, err);
    char now[21];
    store_now(now);
    sqlite3_stmt *s;
    if (rc == 0)
        rc = store_prepare(st,
                           "UPDATE meetings SET closed_at = ?2, minutes = ?3 WHERE id = ?1 "
                           "AND closed_at IS NULL",
                           &s, err);
    if (rc == 0) {
        sqlite3_bind_int64(s, 1, meeting);
        sqlite3_bind_text(s, 2, now, -1, SQLITE_TRANSIENT);
        bind_text_or_null(s, 3, minutes);
        rc = step_done(st, s, "closing the meeting", err);
        if (rc == 0 && sqlite3_changes(st->db) == 0)
            rc = rb_fail(err, "that meeting is not open");
    }
    return edit_end(st, nested, rc, err);
}

/* Export of the plan as JSON (for tools) or CSV (for spreadsheets), and the choice of
 * format; Markdown and iCalendar are in export_text.c and export_ics.c. */
#include "export_internal.h"

#include <stdlib.h>
#include <string.h>

#include "ragboard/util.h"

bool export_format_parse(const char *s, enum export_format *out)
{
    static const struct {
        const char *name;
        enum export_format fmt;
    } names[] = {
        {"json", EXPORT_JSON},         {"csv", EXPORT_CSV},
        {"md", EXPORT_MARKDOWN},       {"markdown", EXPORT_MARKDOWN},
        {"ics", EXPORT_ICALENDAR},     {"ical", EXPORT_ICALENDAR},
        {"icalendar", EXPORT_ICALENDAR}, {"ics-events", EXPORT_ICALENDAR_EVENTS},
    };
    for (size_t i = 0; s && i < sizeof names / sizeof names[0]; i++) {
        if (str_ieq(s, names[i].name)) {
            *out = names[i].fmt;
            return true;
        }
    }
    return false;
}

bool export_shows_action(const struct export_ctx *x, const struct action *a)
{
    return x->o->include_confidential || !a->confidential;
}

bool export_shows_update(const struct export_ctx *x, const struct progress_update *u)
{
    return x->o->include_confidential || !u->confidential;
}

static void json_string(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

static void json_date(FILE *f, rb_day d)
{
    char buf[RB_DATE_BUF];
    if (d == RB_NO_DATE)
        fputs("null", f);
    else
        json_string(f, date_format_iso(d, buf));
}

static int json_update(const struct progress_update *u, void *p)
{
    struct export_ctx *ctx = p;
    FILE *f = ctx->out;
    if (!export_shows_update(ctx, u))
        return 0;
    fputs(ctx->count++ ? ",\n        {" : "\n        {", f);
    fputs("\"date\": ", f);
    json_date(f, u->date);
    fputs(", \"author\": ", f);
    json_string(f, u->author);
    fputs(", \"text\": ", f);
    json_string(f, u->text);
    if (u->progress >= 0)
        fprintf(f, ", \"progress\": %d", u->progress);
    else
        fputs(", \"progress\": null", f);
    fprintf(f, ", \"confidential\": %s}", u->confidential ? "true" : "false");
    return 0;
}

static void json_partners(FILE *f, const char *list)
{
    fputc('[', f);
    int n = 0;
    const char *p = list ? list : "";
    while (*p) {
        while (*p == ',' || *p == ' ')
            p++;
        const char *start = p;
        while (*p && *p != ',')
            p++;
        if (p > start) {
            char *code = xstrndup(start, (size_t)(p - start));
            fputs(n++ ? ", " : "", f);
            json_string(f, code);
            free(code);
        }
    }
    fputc(']', f);
}

static int json_action(const struct action *a, void *p)
{
    struct export_ctx *ctx = p;
    FILE *f = ctx->out;
    if (!export_shows_action(ctx, a))
        return 0;
    fputs(ctx->count++ ? ",\n    {" : "\n    {", f);
    fputs("\n      \"ref\": ", f);
    json_string(f, a->ref);
    fputs(",\n      \"title\": ", f);
    json_string(f, a->title);
    fputs(",\n      \"description\": ", f);
    json_string(f, a->description);
    fputs(",\n      \"strand\": ", f);
    json_string(f, a->strand);
    fputs(",\n      \"objective\": ", f);
    json_string(f, a->objective_ref);
    fputs(",\n      \"objective_title\": ", f);
    json_string(f, a->objective_title);
    fputs(",\n      \"lead\": ", f);
    json_string(f, a->lead);
    fputs(",\n      \"owner\": ", f);
    json_string(f, a->owner);
    fputs(",\n      \"partners\": ", f);
    json_partners(f, a->partners);
    fputs(",\n      \"start\": ", f);
    json_date(f, a->start);
    fputs(",\n      \"due\": ", f);
    json_date(f, a->due);
    fprintf(f, ",\n      \"progress\": %d", a->progress);
    fputs(",\n      \"state\": ", f);
    json_string(f, state_code(a->state));
    fputs(",\n      \"rag\": ", f);
    json_string(f, rag_word(a->rag.rag));
    fputs(",\n      \"rag_reason\": ", f);
    json_string(f, a->rag.reason);
    fprintf(f, ",\n      \"rag_override\": %s", a->rag.override ? "true" : "false");
    fprintf(f, ",\n      \"overdue\": %s", a->rag.overdue ? "true" : "false");
    fprintf(f, ",\n      \"stale\": %s", a->rag.stale ? "true" : "false");
    fprintf(f, ",\n      \"confidential\": %s", a->confidential ? "true" : "false");
    fprintf(f, ",\n      \"version\": %lld", (long long)a->version);
    fputs(",\n      \"created\": ", f);
    json_string(f, a->created_at);
    fputs(",\n      \"updated\": ", f);
    json_string(f, a->updated_at);
    fputs(",\n      \"updates\": [", f);
    struct export_ctx uctx = *ctx;
    uctx.count = 0;
    int rc = store_updates_each(ctx->st, a->id, json_update, &uctx, ctx->err);
    fputs(uctx.count ? "\n      ]\n    }" : "]\n    }", f);
    return rc;
}

/* The minute entries of one meeting; those about an action the export leaves out
 * (another strand or agency, or confidential) are left out with it. */
static int json_minutes(struct export_ctx *x, int64_t meeting)
{
    FILE *f = x->out;
    const struct action_query *q = x->o->query;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(store_db(x->st),
                           "SELECT m.kind, a.ref, m.text, m.author, m.created_at"
                           " FROM minute_entries m LEFT JOIN actions a ON a.id = m.action_id"
                           " WHERE m.meeting_id = ?1 AND (a.id IS NULL OR ("
                           "   (?2 OR a.confidential = 0) AND (?3 IS NULL OR a.strand = ?3)"
                           "   AND (?4 IS NULL OR a.lead = ?4 OR EXISTS (SELECT 1 FROM"
                           "     action_partners p WHERE p.action_id = a.id AND p.agency = ?4))))"
                           " ORDER BY m.created_at, m.id",
                           -1, &s, NULL) != SQLITE_OK)
        return rb_fail(x->err, "reading minutes: %s", sqlite3_errmsg(store_db(x->st)));
    sqlite3_bind_int64(s, 1, meeting);
    sqlite3_bind_int(s, 2, x->o->include_confidential);
    int strand = q && q->strand ? strand_index(q->strand) : -1;
    if (strand >= 0)
        sqlite3_bind_text(s, 3, strands[strand].code, -1, SQLITE_STATIC);
    if (q && q->agency)
        sqlite3_bind_text(s, 4, q->agency, -1, SQLITE_TRANSIENT);
    int n = 0;
    fputs(",\n      \"minutes\": [", f);
    while (sqlite3_step(s) == SQLITE_ROW) {
        fputs(n++ ? ",\n        {\"kind\": " : "\n        {\"kind\": ", f);
        json_string(f, (const char *)sqlite3_column_text(s, 0));
        fputs(", \"action\": ", f);
        json_string(f, (const char *)sqlite3_column_text(s, 1));
        fputs(", \"text\": ", f);
        json_string(f, (const char *)sqlite3_column_text(s, 2));
        fputs(", \"author\": ", f);
        json_string(f, (const char *)sqlite3_column_text(s, 3));
        fputs(", \"at\": ", f);
        json_string(f, (const char *)sqlite3_column_text(s, 4));
        fputc('}', f);
    }
    fputs(n ? "\n      ]" : "]", f);
    return sqlite3_finalize(s) == SQLITE_OK ? 0 : rb_fail(x->err, "reading minutes failed");
}

static int json_attendance(struct export_ctx *x, int64_t meeting)
{
    FILE *f = x->out;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(store_db(x->st),
                           "SELECT t.agency, g.name, t.status, t.names FROM attendance t"
                           " LEFT JOIN agencies g ON g.code = t.agency"
                           " WHERE t.meeting_id = ? ORDER BY g.sort, t.agency",
                           -1, &s, NULL) != SQLITE_OK)
        return rb_fail(x->err, "reading attendance: %s", sqlite3_errmsg(store_db(x->st)));
    sqlite3_bind_int64(s, 1, meeting);
    int n = 0;
    fputs(",\n      \"attendance\": [", f);
    while (sqlite3_step(s) == SQLITE_ROW) {
        fputs(n++ ? ",\n        {\"agency\": " : "\n        {\"agency\": ", f);
        json_string(f, (const char *)sqlite3_column_text(s, 0));
        fputs(", \"name\": ", f);
        json_string(f, (const char *)sqlite3_column_text(s, 1));
        fputs(", \"status\": ", f);
        json_string(f, (const char *)sqlite3_column_text(s, 2));
        fputs(", \"names\": ", f);
        json_string(f, (const char *)sqlite3_column_text(s, 3));
        fputc('}', f);
    }
    fputs(n ? "\n      ]" : "]", f);
    return sqlite3_finalize(s) == SQLITE_OK ? 0 : rb_fail(x->err, "reading attendance failed");
}

static int json_meetings(struct export_ctx *x)
{
    FILE *f = x->out;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(store_db(x->st),
                           "SELECT id, title, date, chair, opened_at, closed_at FROM meetings"
                           " ORDER BY date, opened_at",
                           -1, &s, NULL) != SQLITE_OK)
        return rb_fail(x->err, "reading meetings: %s", sqlite3_errmsg(store_db(x->st)));
    int n = 0, rc = 0;
    fputs(",\n  \"meetings\": [", f);
    while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
        fputs(n++ ? ",\n    {" : "\n    {", f);
        fputs("\n      \"title\": ", f);
        json_string(f, (const char *)sqlite3_column_text(s, 1));
        fputs(",\n      \"date\": ", f);
        json_string(f, (const char *)sqlite3_column_text(s, 2));
        fputs(",\n      \"chair\": ", f);
        json_string(f, (const char *)sqlite3_column_text(s, 3));
        fputs(",\n      \"opened_at\": ", f);
        json_string(f, (const char *)sqlite3_column_text(s, 4));
        bool closed = sqlite3_column_type(s, 5) != SQLITE_NULL;
        fprintf(f, ",\n      \"closed\": %s", closed ? "true" : "false");
        fputs(",\n      \"closed_at\": ", f);
        json_string(f, (const char *)sqlite3_column_text(s, 5));
        int64_t id = sqlite3_column_int64(s, 0);
        rc = json_attendance(x, id);
        if (rc == 0)
            rc = json_minutes(x, id);
        fputs("\n    }", f);
    }
    fputs(n ? "\n  ]" : "]", f);
    if (sqlite3_finalize(s) != SQLITE_OK && rc == 0)
        rc = rb_fail(x->err, "reading meetings failed");
    return rc;
}

static int export_json(struct export_ctx *x)
{
    struct store *st = x->st;
    FILE *f = x->out;
    char *err = x->err;
    struct partnership part;
    if (store_partnership(st, &part, err) != 0)
        return -1;
    char buf[RB_DATE_BUF];
    fputs("{\n  \"partnership\": {\"name\": ", f);
    json_string(f, part.name);
    fputs(", \"plan_title\": ", f);
    json_string(f, part.plan_title);
    fputs(", \"threat_level\": ", f);
    json_string(f, threat_word(part.threat));
    fputs(", \"ctlp_briefing\": ", f);
    json_date(f, part.ctlp_briefing);
    fputs(", \"as_of\": ", f);
    json_string(f, date_format_iso(x->today, buf));
    fprintf(f, "},\n  \"confidential_included\": %s",
            x->o->include_confidential ? "true" : "false");
    fputs(",\n  \"strands\": [", f);
    partnership_free(&part);
    for (int i = 0; i < STRAND_COUNT; i++) {
        fputs(i ? ",\n    {\"code\": " : "\n    {\"code\": ", f);
        json_string(f, strands[i].code);
        fputs(", \"name\": ", f);
        json_string(f, strands[i].name);
        fputs(", \"aim\": ", f);
        json_string(f, strands[i].aim);
        fputc('}', f);
    }
    fputs("\n  ],\n  \"agencies\": [", f);
    struct agency *ag;
    size_t n;
    if (store_agencies(st, &ag, &n, err) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",\n    {\"code\": " : "\n    {\"code\": ", f);
        json_string(f, ag[i].code);
        fputs(", \"name\": ", f);
        json_string(f, ag[i].name);
        fprintf(f, ", \"in_config\": %s}", ag[i].in_config ? "true" : "false");
    }
    agencies_free(ag, n);
    fputs("\n  ],\n  \"actions\": [", f);
    x->count = 0;
    if (store_actions_each(st, x->o->query, x->t, x->today, json_action, x, err) != 0)
        return -1;
    fputs(x->count ? "\n  ]" : "]", f);
    if (json_meetings(x) != 0)
        return -1;
    fputs("\n}\n", f);
    return 0;
}

/* One CSV field, quoted when needed. Text that a spreadsheet would run as a formula
 * (starting with =, +, -, @, a tab or a carriage return) gets a leading apostrophe. */
static void csv_field(FILE *f, const char *s, bool text, bool last)
{
    if (!s)
        s = "";
    bool formula = text && s[0] && strchr("=+-@\t\r", s[0]) != NULL;
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ';
    if (quote)
        fputc('"', f);
    if (formula)
        fputc('\'', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    if (quote)
        fputc('"', f);
    fputs(last ? "\r\n" : ",", f);
}

static const char *const csv_header[] = {
    "ref", "title", "description", "strand", "objective", "objective_title", "lead", "owner",
    "partners", "start", "due", "progress", "state", "rag", "rag_reason", "confidential",
    "updates",
};
#define CSV_COLUMNS (sizeof csv_header / sizeof csv_header[0])

struct csv_updates {
    const struct export_ctx *x;
    struct strbuf sb;
};

static int csv_update(const struct progress_update *u, void *p)
{
    struct csv_updates *cu = p;
    struct strbuf *sb = &cu->sb;
    if (!export_shows_update(cu->x, u))
        return 0;
    char buf[RB_DATE_BUF];
    if (sb->len)
        sb_addc(sb, '\n');
    sb_addf(sb, "%s %s", date_format_iso(u->date, buf), u->author);
    if (u->progress >= 0)
        sb_addf(sb, " (%d%%)", u->progress);
    sb_addf(sb, "%s: %s", u->confidential ? " [confidential]" : "", u->text);
    return 0;
}

static int csv_action(const struct action *a, void *p)
{
    struct export_ctx *ctx = p;
    FILE *f = ctx->out;
    if (!export_shows_action(ctx, a))
        return 0;
    char start[RB_DATE_BUF], due[RB_DATE_BUF], progress[8];
    snprintf(progress, sizeof progress, "%d", a->progress);
    struct csv_updates updates = {ctx, {0}};
    if (store_updates_each(ctx->st, a->id, csv_update, &updates, ctx->err) != 0) {
        sb_free(&updates.sb);
        return -1;
    }
    const char *cells[CSV_COLUMNS] = {
        a->ref, a->title, a->description, a->strand, a->objective_ref, a->objective_title,
        a->lead, a->owner, a->partners, date_format_iso(a->start, start),
        date_format_iso(a->due, due), progress, state_code(a->state), rag_word(a->rag.rag),
        a->rag.reason, a->confidential ? "yes" : "no", updates.sb.buf,
    };
    /* Free text: guarded against being read as a formula by a spreadsheet. */
    static const bool is_text[CSV_COLUMNS] = {
        [1] = true, [2] = true, [5] = true, [7] = true, [14] = true, [16] = true,
    };
    for (size_t i = 0; i < CSV_COLUMNS; i++)
        csv_field(f, cells[i], is_text[i], i + 1 == CSV_COLUMNS);
    sb_free(&updates.sb);
    ctx->count++;
    return 0;
}

static int export_csv(struct export_ctx *x)
{
    fputs("\xEF\xBB\xBF", x->out); /* UTF-8 byte-order mark: Excel then reads UTF-8 */
    for (size_t i = 0; i < CSV_COLUMNS; i++)
        csv_field(x->out, csv_header[i], false, i + 1 == CSV_COLUMNS);
    return store_actions_each(x->st, x->o->query, x->t, x->today, csv_action, x, x->err);
}

int export_write(struct store *st, const struct export_options *o, const struct rag_thresholds *t,
                 rb_day today, enum export_format fmt, FILE *out, char *err)
{
    struct export_ctx x = {st, o, t, today, out, 0, err};
    /* One read transaction, so the export is a consistent snapshot. */
    bool own = sqlite3_get_autocommit(store_db(st)) &&
               sqlite3_exec(store_db(st), "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
    int rc;
    switch (fmt) {
    case EXPORT_JSON:
        rc = export_json(&x);
        break;
    case EXPORT_CSV:
        rc = export_csv(&x);
        break;
    case EXPORT_MARKDOWN:
        rc = export_markdown(&x);
        break;
    case EXPORT_ICALENDAR:
    case EXPORT_ICALENDAR_EVENTS:
        rc = export_icalendar(&x, fmt == EXPORT_ICALENDAR_EVENTS);
        break;
    default:
        rc = rb_fail(err, "unknown export format");
    }
    if (own)
        sqlite3_exec(store_db(st), "COMMIT", NULL, NULL, NULL);
    if (rc == 0 && (fflush(out) != 0 || ferror(out)))
        rc = rb_fail(err, "writing the export failed");
    return rc;
}

int export_plan(struct store *st, const struct action_query *q, const struct rag_thresholds *t,
                rb_day today, enum export_format fmt, FILE *out, char *err)
{
    struct export_options o = {.query = q, .include_confidential = true};
    return export_write(st, &o, t, today, fmt, out, err);
}

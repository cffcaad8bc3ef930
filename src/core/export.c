/* Export of the plan as JSON (for tools) or CSV (for spreadsheets). */
#include "ragboard/export.h"

#include <stdlib.h>
#include <string.h>

#include "ragboard/util.h"

bool export_format_parse(const char *s, enum export_format *out)
{
    if (s && str_ieq(s, "json")) {
        *out = EXPORT_JSON;
        return true;
    }
    if (s && str_ieq(s, "csv")) {
        *out = EXPORT_CSV;
        return true;
    }
    return false;
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

struct export_ctx {
    struct store *st;
    FILE *out;
    int count;
    char *err;
};

static int json_update(const struct progress_update *u, void *p)
{
    struct export_ctx *ctx = p;
    FILE *f = ctx->out;
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
    struct export_ctx uctx = {ctx->st, f, 0, ctx->err};
    int rc = store_updates_each(ctx->st, a->id, json_update, &uctx, ctx->err);
    fputs(uctx.count ? "\n      ]\n    }" : "]\n    }", f);
    return rc;
}

static int export_json(struct store *st, const struct action_query *q,
                       const struct rag_thresholds *t, rb_day today, FILE *f, char *err)
{
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
    json_string(f, date_format_iso(today, buf));
    fputs("},\n  \"strands\": [", f);
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
    struct export_ctx ctx = {st, f, 0, err};
    if (store_actions_each(st, q, t, today, json_action, &ctx, err) != 0)
        return -1;
    fputs(ctx.count ? "\n  ]\n}\n" : "]\n}\n", f);
    return 0;
}

/* One CSV field, quoted when needed. Text that a spreadsheet would run as a formula
 * gets a leading apostrophe. */
static void csv_field(FILE *f, const char *s, bool text, bool last)
{
    if (!s)
        s = "";
    bool formula = text && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
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
    "ref", "title", "description", "strand", "objective", "lead", "owner", "partners",
    "start", "due", "progress", "state", "rag", "rag_reason", "confidential", "updates",
};
#define CSV_COLUMNS (sizeof csv_header / sizeof csv_header[0])

static int csv_update(const struct progress_update *u, void *p)
{
    struct strbuf *sb = p;
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
    char start[RB_DATE_BUF], due[RB_DATE_BUF], progress[8];
    snprintf(progress, sizeof progress, "%d", a->progress);
    struct strbuf updates = {0};
    if (store_updates_each(ctx->st, a->id, csv_update, &updates, ctx->err) != 0) {
        sb_free(&updates);
        return -1;
    }
    const char *cells[CSV_COLUMNS] = {
        a->ref, a->title, a->description, a->strand, a->objective_ref, a->lead, a->owner,
        a->partners, date_format_iso(a->start, start), date_format_iso(a->due, due), progress,
        state_code(a->state), rag_word(a->rag.rag), a->rag.reason,
        a->confidential ? "yes" : "no", updates.buf,
    };
    static const bool is_text[CSV_COLUMNS] = {
        [1] = true, [2] = true, [6] = true, [13] = true, [15] = true,
    };
    for (size_t i = 0; i < CSV_COLUMNS; i++)
        csv_field(f, cells[i], is_text[i], i + 1 == CSV_COLUMNS);
    sb_free(&updates);
    ctx->count++;
    return 0;
}

int export_plan(struct store *st, const struct action_query *q, const struct rag_thresholds *t,
                rb_day today, enum export_format fmt, FILE *out, char *err)
{
    int rc;
    /* One read transaction, so the export is a consistent snapshot. */
    sqlite3_exec(store_db(st), "BEGIN", NULL, NULL, NULL);
    if (fmt == EXPORT_JSON) {
        rc = export_json(st, q, t, today, out, err);
    } else {
        for (size_t i = 0; i < CSV_COLUMNS; i++)
            csv_field(out, csv_header[i], false, i + 1 == CSV_COLUMNS);
        struct export_ctx ctx = {st, out, 0, err};
        rc = store_actions_each(st, q, t, today, csv_action, &ctx, err);
    }
    sqlite3_exec(store_db(st), "COMMIT", NULL, NULL, NULL);
    if (rc == 0 && (fflush(out) != 0 || ferror(out)))
        rc = rb_fail(err, "writing the export failed");
    return rc;
}

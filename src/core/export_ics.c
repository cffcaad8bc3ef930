/* Export of open actions' deadlines as iCalendar (RFC 5545), for Thunderbird, Outlook
 * and other calendars: as to-dos, or as all-day events on the due dates (Outlook imports
 * only events from a file). UIDs come from the actions' ids, so importing a later export
 * updates the same entries instead of adding copies. */
#include "export_internal.h"
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#include "build_config.h"
#include "ragboard/util.h"

/* Content lines longer than 75 octets are folded: CRLF and a space, never inside a
 * UTF-8 sequence. */
static void ics_line(FILE *f, const char *line)
{
    size_t len = strlen(line), col = 0;
    for (size_t i = 0; i < len;) {
        size_t n = 1;
        unsigned char c = (unsigned char)line[i];
        if (c >= 0xC0)
            while (i + n < len && ((unsigned char)line[i + n] & 0xC0) == 0x80)
                n++;
        if (col + n > 75) {
            fputs("\r\n ", f);
            col = 1;
        }
        fwrite(line + i, 1, n, f);
        col += n;
        i += n;
    }
    fputs("\r\n", f);
}

/* A TEXT value: backslash, semicolon and comma escaped, line breaks as \n, other
 * control characters as spaces. */
static void ics_text(struct strbuf *sb, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\\' || c == ';' || c == ',') {
            sb_addc(sb, '\\');
            sb_addc(sb, (char)c);
        } else if (c == '\n') {
            sb_add(sb, "\\n");
        } else if (c == '\r') {
            continue;
        } else if (c < 0x20 || c == 0x7f) {
            sb_addc(sb, ' ');
        } else {
            sb_addc(sb, (char)c);
        }
    }
}

static void ics_prop_text(FILE *f, const char *name, const char *value)
{
    struct strbuf sb = {0};
    sb_add(&sb, name);
    sb_addc(&sb, ':');
    ics_text(&sb, value);
    ics_line(f, sb.buf);
    sb_free(&sb);
}

/* "20261128T093000Z" from "2026-11-28T09:30:00Z"; false when it is not such a time. */
static bool ics_utc(const char *iso, char out[17])
{
    if (!iso || strlen(iso) != 20 || iso[10] != 'T' || iso[19] != 'Z')
        return false;
    snprintf(out, 17, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", iso, iso + 5, iso + 8, iso + 11, iso + 14,
             iso + 17);
    return true;
}

/* "20260331" */
static char *ics_date(rb_day d, char out[9])
{
    int y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    snprintf(out, 9, "%04d%02d%02d", y, m, dd);
    return out;
}

struct ics_ctx {
    struct export_ctx *x;
    char stamp[17];
    bool events; /* VEVENT on the due date instead of VTODO */
};

static int ics_action(const struct action *a, void *p)
{
    struct ics_ctx *c = p;
    struct export_ctx *x = c->x;
    FILE *f = x->out;
    if (!export_shows_action(x, a) || a->due == RB_NO_DATE ||
        (a->state != STATE_NOT_STARTED && a->state != STATE_IN_PROGRESS))
        return 0;
    char buf[128], d[9], t[17];
    ics_line(f, c->events ? "BEGIN:VEVENT" : "BEGIN:VTODO");
    /* Its own UID as an event, so that a calendar holding both keeps both. */
    snprintf(buf, sizeof buf, "UID:%lld%s@ragboard", (long long)a->id, c->events ? "-due" : "");
    ics_line(f, buf);
    snprintf(buf, sizeof buf, "DTSTAMP:%s", c->stamp);
    ics_line(f, buf);
    if (ics_utc(a->created_at, t)) {
        snprintf(buf, sizeof buf, "CREATED:%s", t);
        ics_line(f, buf);
    }
    if (ics_utc(a->updated_at, t)) {
        snprintf(buf, sizeof buf, "LAST-MODIFIED:%s", t);
        ics_line(f, buf);
    }
    /* Every edit moves the version on, so calendars take the newer copy. */
    snprintf(buf, sizeof buf, "SEQUENCE:%lld", (long long)(a->version > 0 ? a->version : 0));
    ics_line(f, buf);
    struct strbuf sb = {0};
    sb_addf(&sb, "%s%s %s", c->events ? "Due: " : "", a->ref, a->title);
    ics_prop_text(f, "SUMMARY", sb.buf);
    sb.len = 0;
    sb_addf(&sb, "Lead: %s", str_blank(a->lead) ? "none" : a->lead);
    if (!str_blank(a->owner))
        sb_addf(&sb, " (%s)", a->owner);
    sb_addf(&sb, "\nRAG: %s", rag_word(a->rag.rag));
    if (a->rag.reason[0])
        sb_addf(&sb, " - %s", a->rag.reason);
    sb_addf(&sb, "\nProgress: %d%% (%s)", a->progress, state_word(a->state));
    if (!str_blank(a->partners))
        sb_addf(&sb, "\nPartners: %s", a->partners);
    if (!str_blank(a->description))
        sb_addf(&sb, "\n\n%s", a->description);
    ics_prop_text(f, "DESCRIPTION", sb.buf);
    sb_free(&sb);
    if (c->events) {
        /* The due day, all day, shown as free time. */
        snprintf(buf, sizeof buf, "DTSTART;VALUE=DATE:%s", ics_date(a->due, d));
        ics_line(f, buf);
        snprintf(buf, sizeof buf, "DTEND;VALUE=DATE:%s", ics_date(a->due + 1, d));
        ics_line(f, buf);
        ics_line(f, "TRANSP:TRANSPARENT");
    } else {
        if (a->start != RB_NO_DATE && a->start < a->due) {
            snprintf(buf, sizeof buf, "DTSTART;VALUE=DATE:%s", ics_date(a->start, d));
            ics_line(f, buf);
        }
        snprintf(buf, sizeof buf, "DUE;VALUE=DATE:%s", ics_date(a->due, d));
        ics_line(f, buf);
        ics_line(f, a->state == STATE_IN_PROGRESS ? "STATUS:IN-PROCESS"
                                                  : "STATUS:NEEDS-ACTION");
        snprintf(buf, sizeof buf, "PERCENT-COMPLETE:%d", a->progress);
        ics_line(f, buf);
    }
    /* 1 is the highest priority: Red first. */
    ics_line(f, a->rag.rag == RAG_RED     ? "PRIORITY:1"
                : a->rag.rag == RAG_AMBER ? "PRIORITY:5"
                                          : "PRIORITY:9");
    int si = strand_index(a->strand);
    ics_prop_text(f, "CATEGORIES", si >= 0 ? strands[si].name : a->strand);
    ics_line(f, a->confidential ? "CLASS:CONFIDENTIAL" : "CLASS:PUBLIC");
    ics_line(f, c->events ? "END:VEVENT" : "END:VTODO");
    x->count++;
    return 0;
}

int export_icalendar(struct export_ctx *x, bool events)
{
    FILE *f = x->out;
    struct partnership part;
    if (store_partnership(x->st, &part, x->err) != 0)
        return -1;
    struct ics_ctx c = {.x = x, .events = events};
    char now[21];
    if (!ics_utc(store_now(now), c.stamp))
        snprintf(c.stamp, sizeof c.stamp, "19700101T000000Z");
    ics_line(f, "BEGIN:VCALENDAR");
    ics_line(f, "VERSION:2.0");
    ics_line(f, "PRODID:-//ragboard//ragboard " RAGBOARD_VERSION "//EN");
    ics_line(f, "CALSCALE:GREGORIAN");
    ics_line(f, "METHOD:PUBLISH");
    ics_prop_text(f, "X-WR-CALNAME",
                  str_blank(part.plan_title) ? "Action plan deadlines" : part.plan_title);
    partnership_free(&part);
    int rc = store_actions_each(x->st, x->o->query, x->t, x->today, ics_action, &c, x->err);
    ics_line(f, "END:VCALENDAR");
    return rc;
}

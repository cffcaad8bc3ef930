/* The RAG rules: manual override, completion, overdue, lag behind schedule, staleness. */
#include "ragboard/rag.h"

#include <stdio.h>
#include <string.h>

#include "ragboard/util.h"

const struct rag_thresholds rag_default_thresholds = {
    .red_overdue_days = 14,
    .red_lag_pct = 30,
    .amber_due_days = 14,
    .amber_lag_pct = 15,
    .stale_days = 60,
};

static const char *const rag_words[RAG_COUNT] = {"Red", "Amber", "Green", "Complete",
                                                 "Cancelled"};
static const char rag_letters[RAG_COUNT] = {'R', 'A', 'G', 'C', '-'};

char rag_letter(enum rag r)
{
    return (unsigned)r < RAG_COUNT ? rag_letters[r] : '?';
}

const char *rag_word(enum rag r)
{
    return (unsigned)r < RAG_COUNT ? rag_words[r] : "?";
}

bool rag_parse(const char *s, enum rag *out)
{
    static const struct {
        const char *word;
        enum rag rag;
    } names[] = {
        {"r", RAG_RED},      {"red", RAG_RED},      {"a", RAG_AMBER},
        {"amber", RAG_AMBER}, {"g", RAG_GREEN},      {"green", RAG_GREEN},
        {"c", RAG_COMPLETE}, {"complete", RAG_COMPLETE}, {"b", RAG_COMPLETE},
        {"blue", RAG_COMPLETE},
    };
    if (!s)
        return false;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (str_ieq(s, names[i].word)) {
            *out = names[i].rag;
            return true;
        }
    }
    return false;
}

static const char *const state_codes[STATE_COUNT] = {"not_started", "in_progress", "complete",
                                                     "cancelled"};
static const char *const state_words[STATE_COUNT] = {"Not started", "In progress", "Complete",
                                                     "Cancelled"};

const char *state_code(enum action_state s)
{
    return (unsigned)s < STATE_COUNT ? state_codes[s] : "?";
}

const char *state_word(enum action_state s)
{
    return (unsigned)s < STATE_COUNT ? state_words[s] : "?";
}

bool state_parse(const char *s, enum action_state *out)
{
    if (!s)
        return false;
    for (int i = 0; i < STATE_COUNT; i++) {
        if (str_ieq(s, state_codes[i]) || str_ieq(s, state_words[i])) {
            *out = (enum action_state)i;
            return true;
        }
    }
    return false;
}

bool rag_override_active(const char *override_at, const char *last_update_at)
{
    if (!override_at)
        return false;
    return !last_update_at || strcmp(last_update_at, override_at) <= 0;
}

static const char *plural(int n)
{
    return n == 1 ? "" : "s";
}

/* After snprintf cut s short, drop a UTF-8 sequence left incomplete at the end, so a
 * long reason typed with accents or curly quotes still displays cleanly. */
static void trim_partial_utf8(char *s)
{
    size_t n = strlen(s), i = n, cont = 0;
    while (i > 0 && cont < 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
        i--;
        cont++;
    }
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    if (need > cont)
        s[i - 1] = '\0';
}

/* Percentage points the action should have reached today on a straight line from
 * its start to its due date; -1 when there is no line to measure against. */
static int expected_progress(const struct rag_input *in, rb_day today)
{
    rb_day start = in->start != RB_NO_DATE ? in->start : in->created;
    if (in->due == RB_NO_DATE || start == RB_NO_DATE || in->due <= start || today <= start)
        return -1;
    if (today >= in->due)
        return 100;
    long num = (long)(today - start) * 100;
    return (int)(num / (in->due - start));
}

void rag_compute(const struct rag_input *in, const struct rag_thresholds *t, rb_day today,
                 struct rag_result *out)
{
    memset(out, 0, sizeof *out);
    char date[RB_DATE_BUF];

    if (in->state == STATE_CANCELLED) {
        out->rag = RAG_NONE;
        snprintf(out->reason, sizeof out->reason, "cancelled");
        return;
    }
    if (in->state == STATE_COMPLETE) {
        out->rag = RAG_COMPLETE;
        snprintf(out->reason, sizeof out->reason, "complete");
        return;
    }

    int overdue_days = in->due != RB_NO_DATE && today > in->due ? today - in->due : 0;
    out->overdue = overdue_days > 0;
    rb_day since = in->last_update != RB_NO_DATE ? in->last_update
                   : in->start != RB_NO_DATE && in->start > in->created ? in->start
                                                                        : in->created;
    int quiet_days = since != RB_NO_DATE && today > since ? today - since : 0;
    out->stale = quiet_days > t->stale_days;

    if (in->override != RAG_NONE && rag_override_active(in->override_at, in->last_update_at)) {
        out->rag = in->override;
        out->override = true;
        rb_day on = RB_NO_DATE;
        if (in->override_at && strlen(in->override_at) >= 10) {
            char d10[11];
            memcpy(d10, in->override_at, 10);
            d10[10] = '\0';
            if (!date_parse_iso(d10, &on))
                on = RB_NO_DATE;
        }
        bool has_reason = !str_blank(in->override_reason);
        int n = snprintf(out->reason, sizeof out->reason, "set to %s by %s on %s%s%s",
                         rag_word(in->override), in->override_by ? in->override_by : "unknown",
                         on != RB_NO_DATE ? date_format_uk(on, date) : "unknown date",
                         has_reason ? ": " : "", has_reason ? in->override_reason : "");
        if (n >= (int)sizeof out->reason)
            trim_partial_utf8(out->reason);
        return;
    }

    int expected = expected_progress(in, today);
    int lag = expected >= 0 ? expected - in->progress : 0;
    int days_left = in->due != RB_NO_DATE ? in->due - today : 0;

    if (overdue_days > t->red_overdue_days) {
        out->rag = RAG_RED;
        snprintf(out->reason, sizeof out->reason, "overdue by %d day%s", overdue_days,
                 plural(overdue_days));
    } else if (lag > t->red_lag_pct) {
        out->rag = RAG_RED;
        snprintf(out->reason, sizeof out->reason,
                 "%d points behind schedule (expected %d%%, at %d%%)", lag, expected,
                 in->progress);
    } else if (overdue_days > 0) {
        out->rag = RAG_AMBER;
        snprintf(out->reason, sizeof out->reason, "overdue by %d day%s", overdue_days,
                 plural(overdue_days));
    } else if (lag > t->amber_lag_pct) {
        out->rag = RAG_AMBER;
        snprintf(out->reason, sizeof out->reason,
                 "%d points behind schedule (expected %d%%, at %d%%)", lag, expected,
                 in->progress);
    } else if (in->due != RB_NO_DATE && days_left <= t->amber_due_days && in->progress < 100) {
        out->rag = RAG_AMBER;
        if (days_left == 0)
            snprintf(out->reason, sizeof out->reason, "due today, %d%% done", in->progress);
        else
            snprintf(out->reason, sizeof out->reason, "due in %d day%s, %d%% done", days_left,
                     plural(days_left), in->progress);
    } else if (out->stale) {
        out->rag = RAG_AMBER;
        if (in->last_update != RB_NO_DATE)
            snprintf(out->reason, sizeof out->reason, "no update for %d day%s", quiet_days,
                     plural(quiet_days));
        else
            snprintf(out->reason, sizeof out->reason, "no update since it started %d day%s ago",
                     quiet_days, plural(quiet_days));
    } else {
        out->rag = RAG_GREEN;
        if (expected >= 0)
            snprintf(out->reason, sizeof out->reason, "on track (%d%% done, %d%% expected)",
                     in->progress, expected);
        else
            snprintf(out->reason, sizeof out->reason, "on track");
    }
}

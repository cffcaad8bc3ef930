/* How long a rating holds: the days around today over which rag_compute gives the same
 * rating and the same overdue and stale flags, so a stored rating need only be worked
 * out again when today leaves that window. Keep in step with the rules in rag.c. */
#include "ragboard/rag.h"

#include <stdint.h>

/* Add day d to the window: it narrows from below (d <= today) or above (d > today). */
static void cut(rb_day d, rb_day today, rb_day *from, rb_day *until)
{
    if (d <= today) {
        if (*from == RB_NO_DATE || d > *from)
            *from = d;
    } else if (*until == RB_NO_DATE || d < *until) {
        *until = d;
    }
}

/* The first day on which the lag behind the straight line from start to due exceeds
 * limit points, for an action at progress points; RB_NO_DATE when it never does.
 * Expected progress on day d is (d - start) * 100 / (due - start), rounded down, and
 * 100 from the due date on (rag.c, expected_progress). */
static rb_day lag_day(rb_day start, rb_day due, int progress, int limit)
{
    int64_t x = (int64_t)progress + limit; /* expected must exceed this */
    if (x >= 100)
        return RB_NO_DATE;
    if (x < 0)
        return start + 1;
    int64_t span = (int64_t)due - start;
    int64_t need = ((x + 1) * span + 99) / 100; /* days after start */
    int64_t d = (int64_t)start + (need < 1 ? 1 : need);
    return d >= due ? due : (rb_day)d;
}

void rag_window(const struct rag_input *in, const struct rag_thresholds *t, rb_day today,
                rb_day *from, rb_day *until)
{
    *from = RB_NO_DATE;
    *until = RB_NO_DATE;
    if (in->state == STATE_CANCELLED || in->state == STATE_COMPLETE)
        return; /* no date enters into these */
    if (in->due != RB_NO_DATE) {
        cut(in->due + 1, today, from, until);                       /* overdue */
        cut(in->due + t->red_overdue_days + 1, today, from, until); /* long overdue */
        cut(in->due - t->amber_due_days, today, from, until);       /* due soon */
    }
    rb_day since = in->last_update != RB_NO_DATE ? in->last_update
                   : in->start != RB_NO_DATE && in->start > in->created ? in->start
                                                                        : in->created;
    if (since != RB_NO_DATE)
        cut(since + t->stale_days + 1, today, from, until); /* stale */
    rb_day start = in->start != RB_NO_DATE ? in->start : in->created;
    if (in->due != RB_NO_DATE && start != RB_NO_DATE && in->due > start) {
        cut(start + 1, today, from, until); /* the straight line begins */
        const int limits[2] = {t->amber_lag_pct, t->red_lag_pct};
        for (int i = 0; i < 2; i++) {
            rb_day d = lag_day(start, in->due, in->progress, limits[i]);
            if (d != RB_NO_DATE)
                cut(d, today, from, until);
        }
    }
}

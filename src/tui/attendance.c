/* Meeting attendance: each agency present (with names), sent apologies, or absent. */
#include <stdlib.h>
#include <string.h>

#include "ragboard/meeting.h"
#include "ragboard/util.h"
#include "tui/screen.h"
#include "tui/text.h"

struct attendance {
    struct screen base;
    struct attendee *rows;
    size_t n;
    size_t selected;
    char error[RB_ERRLEN];
};

static void attendance_reload(struct screen *s)
{
    struct attendance *a = (struct attendance *)s;
    attendees_free(a->rows, a->n);
    a->rows = NULL;
    a->n = 0;
    a->error[0] = '\0';
    if (s->app->meeting)
        meeting_attendance(s->app->st, s->app->meeting, &a->rows, &a->n, a->error);
    if (a->selected >= a->n)
        a->selected = a->n ? a->n - 1 : 0;
}

static void attendance_draw(struct screen *s, WINDOW *w)
{
    struct attendance *a = (struct attendance *)s;
    struct app *app = s->app;
    int rows = getmaxy(w), cols = getmaxx(w);
    struct meeting m;
    char err[RB_ERRLEN], d[RB_DATE_BUF];
    wattron(w, A_BOLD | (app->colour ? COLOR_PAIR(PAIR_TITLE) : 0));
    if (app->meeting && meeting_find_open(app->st, &m, err) == 0) {
        char *t = xasprintf("Attendance: %s, %s", m.title, date_format_uk(m.date, d));
        text_put(w, 0, 0, t, cols, false);
        free(t);
        meeting_free(&m);
    } else {
        text_put(w, 0, 0, "Attendance", cols, false);
    }
    wattroff(w, A_BOLD | (app->colour ? COLOR_PAIR(PAIR_TITLE) : 0));
    int counts[ATTEND_COUNT] = {0};
    for (size_t i = 0; i < a->n; i++)
        counts[a->rows[i].status]++;
    char *summary = xasprintf("%d present, %d apologies, %d absent.  p present  a apologies  "
                              "x absent  e names  ] start the walk",
                              counts[ATTEND_PRESENT], counts[ATTEND_APOLOGIES],
                              counts[ATTEND_ABSENT]);
    text_put(w, 1, 0, summary, cols, false);
    free(summary);
    if (a->error[0])
        text_put(w, 3, 0, a->error, cols, false);
    int first = 0, room = rows - 3;
    if ((int)a->selected >= room)
        first = (int)a->selected - room + 1;
    s->cursor_y = 3;
    s->cursor_x = 0;
    for (int y = 3, i = first; y < rows && i < (int)a->n; y++, i++) {
        const struct attendee *r = &a->rows[i];
        bool sel = (size_t)i == a->selected;
        if (sel) {
            wattron(w, A_REVERSE);
            mvwhline(w, y, 0, ' ', cols);
            s->cursor_y = y;
        }
        char status[16];
        snprintf(status, sizeof status, "%-10s", attendance_word(r->status));
        mvwaddstr(w, y, 0, sel ? ">" : " ");
        text_put(w, y, 2, r->agency, 6, true);
        if (!sel)
            wattron(w, r->status == ATTEND_PRESENT ? A_BOLD : A_NORMAL);
        text_put(w, y, 9, status, 10, true);
        if (!sel)
            wattroff(w, A_BOLD);
        int x = 20;
        const char *who = r->names[0] ? r->names : r->agency_name;
        text_put(w, y, x, who, cols - x, false);
        if (sel)
            wattroff(w, A_REVERSE);
    }
}

static void set_status(struct attendance *a, enum attendance_status status)
{
    struct app *app = a->base.app;
    if (!a->n)
        return;
    struct attendee *r = &a->rows[a->selected];
    char err[RB_ERRLEN];
    if (meeting_set_attendance(app->st, app->meeting, r->agency, status, r->names, err) != 0) {
        app_error(app, "Not saved: %s", err);
        return;
    }
    attendance_reload(&a->base);
    if (a->selected + 1 < a->n)
        a->selected++;
}

static void names_done(struct app *app, void *ctx, const char *text)
{
    struct attendance *a = ctx;
    if (!text || !a->n)
        return;
    struct attendee *r = &a->rows[a->selected];
    char err[RB_ERRLEN];
    /* Naming people means the agency is present. */
    enum attendance_status st = str_blank(text) ? r->status : ATTEND_PRESENT;
    if (meeting_set_attendance(app->st, app->meeting, r->agency, st, text, err) != 0)
        app_error(app, "Not saved: %s", err);
    attendance_reload(&a->base);
}

static enum verdict attendance_key(struct screen *s, enum ui_action act, const struct keypress *k)
{
    (void)k;
    struct attendance *a = (struct attendance *)s;
    struct app *app = s->app;
    switch (act) {
    case ACT_MOVE_DOWN: a->selected += a->selected + 1 < a->n; break;
    case ACT_MOVE_UP: a->selected -= a->selected > 0; break;
    case ACT_MOVE_TOP: a->selected = 0; break;
    case ACT_MOVE_BOTTOM: a->selected = a->n ? a->n - 1 : 0; break;
    case ACT_MARK_PRESENT: set_status(a, ATTEND_PRESENT); break;
    case ACT_MARK_APOLOGIES: set_status(a, ATTEND_APOLOGIES); break;
    case ACT_MARK_ABSENT: set_status(a, ATTEND_ABSENT); break;
    case ACT_NAMES:
        if (a->n) {
            char *label = xasprintf("People attending for %s:", a->rows[a->selected].agency);
            ui_ask(app, label, a->rows[a->selected].names, names_done, a);
            free(label);
        }
        break;
    case ACT_NEXT_ITEM: {
        /* Into the walk: it may already be under this screen. */
        struct screen *below = app_below(app, s);
        app_pop(app);
        if (!below || strcmp(below->ops->name, "walk") != 0)
            app_push(app, walk_new(app));
        break;
    }
    case ACT_NOTE: meeting_note(app); break;
    case ACT_END_MEETING: meeting_end(app); break;
    case ACT_BACK: return V_BACK;
    case ACT_QUIT: return V_QUIT;
    default: break;
    }
    return V_STAY;
}

static void attendance_destroy(struct screen *s)
{
    struct attendance *a = (struct attendance *)s;
    attendees_free(a->rows, a->n);
    free(a);
}

static const struct screen_ops attendance_ops = {
    .name = "attendance",
    .on = ON_ATTEND,
    .draw = attendance_draw,
    .key = attendance_key,
    .reload = attendance_reload,
    .destroy = attendance_destroy,
};

struct screen *attendance_new(struct app *app)
{
    struct attendance *a = xcalloc(1, sizeof *a);
    a->base.ops = &attendance_ops;
    a->base.app = app;
    attendance_reload(&a->base);
    return &a->base;
}

/* The meeting: starting one, the item-by-item walk, standing items and ending it. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ragboard/backup.h"
#include "ragboard/edit.h"
#include "ragboard/meeting.h"
#include "ragboard/report.h"
#include "ragboard/util.h"
#include "tui/form.h"
#include "tui/screen.h"
#include "tui/text.h"

/* Seconds since the epoch; RAGBOARD_NOW pins it so screen tests see a still clock. */
static time_t clock_now(void)
{
    const char *pin = getenv("RAGBOARD_NOW");
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (pin && strptime(pin, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return timegm(&tm);
    return time(NULL);
}

static time_t parse_utc(const char *iso)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (iso && strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return timegm(&tm);
    return clock_now();
}

/* "1:02:03" or "02:03" */
static void span(char *buf, size_t n, time_t secs)
{
    if (secs < 0)
        secs = 0;
    long h = (long)(secs / 3600), m = (long)(secs % 3600 / 60), s = (long)(secs % 60);
    if (h)
        snprintf(buf, n, "%ld:%02ld:%02ld", h, m, s);
    else
        snprintf(buf, n, "%02ld:%02ld", m, s);
}

/* ---- the walk ---- */

struct walk {
    struct screen base;
    struct meeting m;
    struct agenda_item *items;
    size_t n;
    size_t pos;
    struct action act;
    bool have_act;
    struct snapshot snap;
    struct progress_update latest;
    bool have_latest;
    struct minute_entry *entries;
    size_t n_entries;
    time_t opened;
    time_t item_since;
    int scroll;
    char error[RB_ERRLEN];
};

static int keep_latest(const struct progress_update *u, void *ctx)
{
    struct walk *w = ctx;
    update_free(&w->latest);
    w->latest = *u;
    w->latest.author = xstrdup(u->author);
    w->latest.text = xstrdup(u->text);
    w->latest.created_at = xstrdup(u->created_at);
    w->have_latest = true;
    return 0;
}

static void load_item(struct walk *w)
{
    struct app *app = w->base.app;
    if (w->have_act)
        action_free(&w->act);
    w->have_act = false;
    if (w->have_latest)
        update_free(&w->latest);
    w->have_latest = false;
    minute_entries_free(w->entries, w->n_entries);
    w->entries = NULL;
    w->n_entries = 0;
    w->scroll = 0;
    if (!w->n)
        return;
    int64_t id = w->items[w->pos].action_id;
    if (store_action_get(app->st, id, &app->cfg->rag, app->today, &w->act, w->error) == 0)
        w->have_act = true;
    store_updates_each(app->st, id, keep_latest, w, w->error);
    meeting_entries(app->st, w->m.id, &w->entries, &w->n_entries, w->error);
}

static void walk_reload(struct screen *s)
{
    struct walk *w = (struct walk *)s;
    struct app *app = s->app;
    int64_t keep = w->n ? w->items[w->pos].action_id : w->m.item_action;
    meeting_free(&w->m);
    free(w->items);
    w->items = NULL;
    w->n = 0;
    snapshot_free(&w->snap);
    w->error[0] = '\0';
    if (meeting_find_open(app->st, &w->m, w->error) != 0) {
        if (!w->error[0])
            snprintf(w->error, sizeof w->error, "No meeting is open.");
        return;
    }
    if (meeting_items(app->st, w->m.id, &app->cfg->rag, app->today, &w->items, &w->n,
                      w->error) != 0)
        return;
    snapshot_load_last(app->st, &w->snap, w->error);
    /* Stay on the same action when it is still in the walk, else keep the position. */
    size_t pos = w->m.position >= 0 ? (size_t)w->m.position : 0;
    for (size_t i = 0; keep && i < w->n; i++)
        if (w->items[i].action_id == keep)
            pos = i;
    w->pos = w->n ? (pos < w->n ? pos : w->n - 1) : 0;
    /* Keep the saved place in step, so a restart comes back to this very item. */
    if (w->n && w->m.item_action != w->items[w->pos].action_id &&
        meeting_set_position(app->st, w->m.id, (int)w->pos, w->items[w->pos].action_id,
                             w->error) == 0)
        w->m.item_action = w->items[w->pos].action_id;
    load_item(w);
}

static void go_to(struct walk *w, size_t pos)
{
    struct app *app = w->base.app;
    if (!w->n || pos == w->pos)
        return;
    w->pos = pos;
    char err[RB_ERRLEN];
    if (meeting_set_position(app->st, w->m.id, (int)pos, w->items[pos].action_id, err) != 0)
        app_error(app, "The meeting's place was not saved: %s", err);
    w->item_since = clock_now();
    load_item(w);
}

struct wrap_out {
    WINDOW *w;
    int y, x, width, last, skip;
};

static void wrap_line(const char *line, size_t len, void *ctx)
{
    struct wrap_out *o = ctx;
    if (o->skip > 0) {
        o->skip--;
        return;
    }
    if (o->y > o->last)
        return;
    char *t = xstrndup(line, len);
    text_put(o->w, o->y++, o->x, t, o->width, false);
    free(t);
}

/* Draw text wrapped from row y; returns the next free row. */
static int para(WINDOW *win, int y, int x, int width, int last, const char *text)
{
    struct wrap_out o = {win, y, x, width, last, 0};
    text_wrap(text, width, wrap_line, &o);
    return o.y;
}

static void label(WINDOW *w, int y, const char *text)
{
    wattron(w, A_BOLD);
    mvwaddstr(w, y, 0, text);
    wattroff(w, A_BOLD);
}

static void walk_draw(struct screen *s, WINDOW *w)
{
    struct walk *wk = (struct walk *)s;
    struct app *app = s->app;
    int rows = getmaxy(w), cols = getmaxx(w);
    s->cursor_y = 0;
    s->cursor_x = 0;
    char d1[RB_DATE_BUF], t1[32], t2[32];
    time_t now = clock_now();
    span(t1, sizeof t1, now - wk->opened);
    span(t2, sizeof t2, now - wk->item_since);
    /* The bar: where we are, and the clocks. */
    char *bar;
    if (wk->n)
        bar = xasprintf(" Item %zu of %zu | %s | meeting %s | this item %s ", wk->pos + 1, wk->n,
                        agenda_group_word(wk->items[wk->pos].group), t1, t2);
    else
        bar = xasprintf(" No items to walk | meeting %s ", t1);
    wattron(w, A_REVERSE | A_BOLD);
    mvwhline(w, 0, 0, ' ', cols);
    text_put(w, 0, 0, bar, cols, false);
    wattroff(w, A_REVERSE | A_BOLD);
    free(bar);
    if (wk->error[0] && !wk->have_act) {
        text_put(w, 2, 0, wk->error, cols, false);
        return;
    }
    if (!wk->n || !wk->have_act) {
        para(w, 2, 0, cols, rows - 1,
             "There are no live actions to walk. Press s for standing items, A for "
             "attendance, M to end the meeting.");
        return;
    }
    const struct action *a = &wk->act;
    bool hide = app->present && a->confidential;
    int y = 2;
    /* The title, big and bold: the room reads this first. */
    wattron(w, A_BOLD | (app->colour ? COLOR_PAIR(PAIR_TITLE) : 0));
    char *title = xasprintf("%s  %s", a->ref, app_mask(app, a->confidential, a->title));
    y = para(w, y, 0, cols, y + 1, title);
    free(title);
    wattroff(w, A_BOLD | (app->colour ? COLOR_PAIR(PAIR_TITLE) : 0));
    y++;
    label(w, y, "RAG       ");
    attr_t ra = ui_rag_attr(app, a->rag.rag) | A_REVERSE | A_BOLD;
    wattron(w, ra);
    char tag[24];
    snprintf(tag, sizeof tag, " %c %s ", rag_letter(a->rag.rag), rag_word(a->rag.rag));
    mvwaddstr(w, y, 10, tag);
    wattroff(w, ra);
    int x = 10 + (int)strlen(tag) + 1;
    text_put(w, y, x, hide ? "" : a->rag.reason, cols - x, false);
    y += 2;
    const struct snapshot_row *before = snapshot_find(&wk->snap, a->id);
    struct since since;
    since_compute(before, a, &since);
    label(w, y, "Since     ");
    char *sl;
    if (!wk->snap.meeting)
        sl = xstrdup("no earlier meeting to compare with");
    else if (since.is_new)
        sl = xasprintf("new since the meeting of %s", date_format_uk(wk->snap.date, d1));
    else
        sl = xasprintf("%s -> %s (%s %s), progress %+d, %d update%s added", rag_word(since.before),
                       rag_word(a->rag.rag), direction_arrow(since.direction),
                       direction_word(since.direction), since.progress_change,
                       since.updates_added, since.updates_added == 1 ? "" : "s");
    text_put(w, y, 10, sl, cols - 10, false);
    free(sl);
    y += 2;
    label(w, y, "Lead      ");
    const char *lead_name = "";
    for (size_t i = 0; a->lead && i < app->n_agencies; i++)
        if (strcmp(app->agencies[i].code, a->lead) == 0)
            lead_name = app->agencies[i].name;
    char *lead = xasprintf("%s %s%s%s", a->lead ? a->lead : "(none)", lead_name,
                           a->owner[0] ? ", " : "", a->owner);
    text_put(w, y, 10, lead, cols - 10, false);
    free(lead);
    y += 2;
    label(w, y, "Due       ");
    char *due = xasprintf("%s%s    Progress %d%%",
                          a->due == RB_NO_DATE ? "ongoing" : date_format_uk(a->due, d1),
                          a->rag.overdue ? " (overdue)" : "", a->progress);
    text_put(w, y, 10, due, cols - 10, false);
    free(due);
    y += 2;
    if (y < rows - 1) {
        label(w, y, "Latest    ");
        if (!wk->have_latest) {
            text_put(w, y, 10, "no progress update yet", cols - 10, false);
            y++;
        } else {
            char *head = xasprintf("%s, %s", date_format_uk(wk->latest.date, d1),
                                   wk->latest.author);
            text_put(w, y, 10, head, cols - 10, false);
            free(head);
            y = para(w, y + 1, 10, cols - 10, rows - 4,
                     app_mask(app, a->confidential || wk->latest.confidential,
                              wk->latest.text));
        }
    }
    /* What this meeting has recorded on the item. */
    int recorded = 0;
    for (size_t i = 0; i < wk->n_entries; i++)
        recorded += wk->entries[i].action_id == a->id;
    if (recorded && y + 1 < rows) {
        y++;
        label(w, y++, "Recorded at this meeting:");
        for (size_t i = 0; i < wk->n_entries && y < rows; i++) {
            const struct minute_entry *e = &wk->entries[i];
            if (e->action_id != a->id)
                continue;
            char *line = xasprintf("- %s: %s", minute_kind_code(e->kind),
                                   app_mask(app, e->confidential, e->text));
            text_put(w, y++, 2, line, cols - 2, false);
            free(line);
        }
    }
    s->cursor_y = 2;
}

static void decision_done(struct app *app, void *ctx, const char *text)
{
    int64_t *id = ctx;
    char err[RB_ERRLEN];
    if (text && !str_blank(text)) {
        if (meeting_record(app->st, app->meeting, *id, MINUTE_DECISION, NULL, text, err) == 0) {
            app_reload(app);
            app_status(app, "Decision recorded");
        } else {
            app_error(app, "Not saved: %s", err);
        }
    }
    free(id);
}

static void agenda_done(struct app *app, void *ctx, int index)
{
    (void)ctx;
    char err[RB_ERRLEN];
    if (index < 0)
        return;
    if (meeting_set_agenda(app->st, app->meeting, (enum agenda_order)index, err) != 0)
        app_error(app, "Not changed: %s", err);
    app_reload(app);
}

static enum verdict walk_key(struct screen *s, enum ui_action act, const struct keypress *k)
{
    (void)k;
    struct walk *w = (struct walk *)s;
    struct app *app = s->app;
    int64_t id = w->have_act ? w->act.id : 0;
    char err[RB_ERRLEN];
    switch (act) {
    case ACT_NEXT_ITEM:
        if (w->pos + 1 < w->n)
            go_to(w, w->pos + 1);
        else
            app_status(app, "That was the last item. s: standing items, M: end the meeting");
        return V_STAY;
    case ACT_PREV_ITEM:
        if (w->pos > 0)
            go_to(w, w->pos - 1);
        return V_STAY;
    case ACT_MOVE_TOP: go_to(w, 0); return V_STAY;
    case ACT_MOVE_BOTTOM: go_to(w, w->n ? w->n - 1 : 0); return V_STAY;
    case ACT_ATTENDANCE: app_push(app, attendance_new(app)); return V_STAY;
    case ACT_NOTE: meeting_note(app); return V_STAY;
    case ACT_END_MEETING: meeting_end(app); return V_STAY;
    case ACT_SORT: {
        static const char *const items[AGENDA_COUNT] = {
            "by &RAG: Red, Amber, stale, Green, completed", "by lead &agency",
            "by &reference"};
        ui_menu(app, "Walk the actions", items, AGENDA_COUNT, (int)w->m.agenda, agenda_done,
                NULL);
        return V_STAY;
    }
    case ACT_BACK: return V_BACK;
    case ACT_QUIT: return V_QUIT;
    case ACT_UNDO: return cmd_action(app, act, id);
    default: break;
    }
    if (!id) {
        app_error(app, "There is no action here to work on");
        return V_STAY;
    }
    switch (act) {
    case ACT_OPEN: app_push(app, detail_new(app, id)); break;
    case ACT_DECISION: {
        int64_t *ctx = xmalloc(sizeof *ctx);
        *ctx = id;
        char *q = xasprintf("Decision on %s:", w->act.ref);
        ui_ask(app, q, "", decision_done, ctx);
        free(q);
        break;
    }
    case ACT_REVIEWED:
        if (meeting_record(app->st, app->meeting, id, MINUTE_REVIEWED, NULL,
                           "Reviewed, no change", err) != 0) {
            app_error(app, "Not saved: %s", err);
            break;
        }
        app_status(app, "%s reviewed, no change", w->act.ref);
        if (w->pos + 1 < w->n)
            go_to(w, w->pos + 1);
        else
            load_item(w);
        break;
    case ACT_NEW: form_new_action(app, w->act.strand, w->act.lead, w->act.objective_ref); break;
    default: return cmd_action(app, act, id);
    }
    return V_STAY;
}

static void walk_destroy(struct screen *s)
{
    struct walk *w = (struct walk *)s;
    meeting_free(&w->m);
    free(w->items);
    if (w->have_act)
        action_free(&w->act);
    if (w->have_latest)
        update_free(&w->latest);
    minute_entries_free(w->entries, w->n_entries);
    snapshot_free(&w->snap);
    free(w);
}

static const struct screen_ops walk_ops = {
    .name = "walk",
    .on = ON_WALK,
    .draw = walk_draw,
    .key = walk_key,
    .reload = walk_reload,
    .destroy = walk_destroy,
};

struct screen *walk_new(struct app *app)
{
    struct walk *w = xcalloc(1, sizeof *w);
    w->base.ops = &walk_ops;
    w->base.app = app;
    walk_reload(&w->base);
    w->opened = parse_utc(w->m.opened_at);
    w->item_since = clock_now();
    return &w->base;
}

/* ---- standing items ---- */

static const char *const standing[] = {"&Threat update from the police", "&Channel summary figures",
                                       "&Any other business", "&Other note"};
static const char *const standing_heading[] = {"Threat update", "Channel summary",
                                               "Any other business", "Note"};

static void note_text_done(struct app *app, void *ctx, const char *text)
{
    const char *heading = ctx;
    char err[RB_ERRLEN];
    if (!text || str_blank(text))
        return;
    if (meeting_record(app->st, app->meeting, 0, MINUTE_NOTE, heading, text, err) == 0) {
        app_reload(app);
        app_status(app, "Noted under \"%s\"", heading);
    } else {
        app_error(app, "Not saved: %s", err);
    }
}

static void note_kind_done(struct app *app, void *ctx, int index)
{
    (void)ctx;
    if (index < 0)
        return;
    char *q = xasprintf("%s:", standing_heading[index]);
    ui_ask(app, q, "", note_text_done, (void *)standing_heading[index]);
    free(q);
}

void meeting_note(struct app *app)
{
    if (!app->meeting) {
        app_error(app, "No meeting is open; press m to start one");
        return;
    }
    ui_menu(app, "Standing item", standing, sizeof standing / sizeof standing[0], 0,
            note_kind_done, NULL);
}

/* ---- ending ---- */

static void end_done(struct app *app, void *ctx, bool yes)
{
    (void)ctx;
    if (!yes)
        return;
    char err[RB_ERRLEN];
    if (report_close_meeting(app->st, app->meeting, &app->cfg->rag, app->today, err) != 0) {
        app_error(app, "The meeting was not closed: %s", err);
        return;
    }
    app->meeting = 0;
    /* Back to the board: the meeting's screens close with it. */
    while (app->depth > 1)
        app_pop(app);
    app_reload(app);
    app_status(app, "Meeting closed and its minutes stored: 'ragboard minutes latest' prints "
                    "them");
}

void meeting_end(struct app *app)
{
    if (!app->meeting) {
        app_error(app, "No meeting is open");
        return;
    }
    ui_confirm(app, "End the meeting now? Its minutes will be stored and it cannot be "
                    "reopened.", end_done, NULL);
}

/* ---- starting ---- */

struct start_form {
    struct field *title, *date, *chair, *agenda;
};

static enum form_result start_save(struct form *f)
{
    struct start_form *sf = f->ctx;
    struct app *app = f->base.app;
    char *title = field_text(sf->title), *chair = field_text(sf->chair);
    enum agenda_order order = AGENDA_RAG;
    agenda_parse(field_choice(sf->agenda), &order);
    int64_t id;
    char err[RB_ERRLEN];
    /* A backup of the plan as the meeting found it ([store] backups_kept). */
    char *backup = NULL, backup_err[RB_ERRLEN] = "";
    bool backed_up = backup_rotate(app->st, app->cfg->backups_kept, &backup, backup_err) == 0;
    free(backup);
    int rc = meeting_start(app->st, title, field_date(sf->date), chair, order, &id, err);
    free(title);
    free(chair);
    if (rc != 0) {
        app_error(app, "Not started: %s", err);
        return FORM_FAILED;
    }
    app->meeting = id;
    form_close(f);
    app_reload(app);
    app_push(app, walk_new(app));
    app_push(app, attendance_new(app));
    if (!backed_up)
        app_error(app, "Meeting started, but the backup failed: %s", backup_err);
    else
        app_status(app, "Meeting started. Mark who is here, then ] to walk the actions");
    return FORM_ASKING; /* the form is already closed */
}

static void start_form(struct app *app)
{
    if (store_is_readonly(app->st)) {
        app_error(app, "The plan is open read-only; a meeting cannot be recorded");
        return;
    }
    struct form *f = form_new(app, "Start a meeting");
    struct start_form *sf = xcalloc(1, sizeof *sf);
    f->ctx = sf;
    f->free_ctx = free;
    f->save = start_save;
    form_info(f, "Attendance comes next; then the walk through the actions.");
    sf->title = form_add(f, FIELD_TEXT, "Title", true);
    char *title = xasprintf("%s review", app->part.plan_title[0] ? app->part.plan_title
                                                                 : "Prevent action plan");
    field_set_text(sf->title, title);
    free(title);
    sf->date = form_add(f, FIELD_DATE, "Date", true);
    field_set_date(sf->date, app->today);
    sf->chair = form_add(f, FIELD_TEXT, "Chair", false);
    sf->agenda = form_add(f, FIELD_CHOICE, "Walk order", true);
    for (int i = 0; i < AGENDA_COUNT; i++)
        field_add_choice(sf->agenda, agenda_code((enum agenda_order)i),
                         agenda_word((enum agenda_order)i));
    form_open(f);
}

void meeting_open_screen(struct app *app)
{
    if (!app->meeting) {
        struct meeting m;
        char err[RB_ERRLEN];
        if (meeting_find_open(app->st, &m, err) == 0) {
            app->meeting = m.id;
            meeting_free(&m);
        }
    }
    if (!app->meeting) {
        start_form(app);
        return;
    }
    /* Already in the walk? Go back to it. */
    for (int i = app->depth - 1; i >= 0; i--) {
        if (strcmp(app->stack[i]->ops->name, "walk") == 0) {
            while (app->depth - 1 > i)
                app_pop(app);
            return;
        }
    }
    app_push(app, walk_new(app));
}

/* The application: the screen stack, header, hint bar, status line and key dispatch. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/meeting.h"
#include "ragboard/util.h"
#include "tui/paste.h"
#include "tui/cmdline.h"
#include "tui/screen.h"
#include "tui/text.h"

/* Smallest terminal the screens are laid out for. */
#define MIN_COLS 60
#define MIN_ROWS 16

static void load_context(struct app *app)
{
    char err[RB_ERRLEN];
    partnership_free(&app->part);
    if (store_partnership(app->st, &app->part, err) != 0)
        app->part = (struct partnership){xstrdup(app->cfg->partnership_name),
                                         xstrdup(app->cfg->plan_title), app->cfg->threat,
                                         app->cfg->ctlp_briefing};
    agencies_free(app->agencies, app->n_agencies);
    app->agencies = NULL;
    app->n_agencies = 0;
    if (store_agencies(app->st, &app->agencies, &app->n_agencies, err) != 0)
        app_error(app, "%s", err);
}

void app_init(struct app *app, struct store *st, const struct config *cfg, bool colour,
              bool present)
{
    memset(app, 0, sizeof *app);
    app->st = st;
    app->cfg = cfg;
    app->colour_ok = colour;
    app->theme = cfg->theme;
    app->colour = colour && cfg->theme != THEME_MONOCHROME;
    theme_apply(app);
    ui_set_ascii_lines(cfg->ascii_lines);
    app->present = present;
    app->today = date_today();
    app->body = newwin(LINES > 2 ? LINES - 2 : 1, COLS > 0 ? COLS : 1, 1, 0);
    keypad(app->body, TRUE);
    app_watch_seen(app);
    load_context(app);
    app_push(app, board_new(app));
    /* A meeting left open (a crash, a kill, a power cut) resumes where it was. */
    struct meeting m;
    char err[RB_ERRLEN];
    if (meeting_find_open(st, &m, err) == 0) {
        app->meeting = m.id;
        meeting_free(&m);
        meeting_open_screen(app);
        app_status(app, "Resumed the open meeting where it was");
    }
}

static void present_off(struct app *app, void *ctx, bool yes)
{
    (void)ctx;
    if (yes) {
        app->present = false;
        app_reload(app);
        app_status(app, "Presenter mode off: confidential items are shown");
    }
}

void app_toggle_present(struct app *app)
{
    if (!app->present) {
        app->present = true;
        app_reload(app);
        app_status(app, "Presenter mode on: confidential items are hidden");
        return;
    }
    ui_confirm(app, "Turn presenter mode off? Confidential actions and updates will show "
                    "on this screen.", present_off, NULL);
}

int app_edit_begin(struct app *app, char *err)
{
    if (!app->meeting)
        return 0;
    return store_begin(app->st, err);
}

int app_edit_end(struct app *app, bool saved, enum minute_kind kind, int64_t action_id,
                 const char *text, char *err)
{
    if (!app->meeting)
        return saved ? 0 : -1;
    int rc = saved ? 0 : -1;
    if (saved)
        rc = meeting_record(app->st, app->meeting, action_id, kind, NULL, text, err);
    if (rc == 0)
        rc = store_commit(app->st, err);
    else
        store_rollback(app->st);
    return rc;
}

const char *app_mask(const struct app *app, bool confidential, const char *text)
{
    return app->present && confidential ? "[confidential]" : text;
}

void app_free(struct app *app)
{
    while (app->depth > 0)
        app_pop(app);
    delwin(app->body);
    partnership_free(&app->part);
    agencies_free(app->agencies, app->n_agencies);
    app->agencies = NULL;
}

void app_push(struct app *app, struct screen *s)
{
    if (app->depth == APP_MAX_SCREENS) {
        s->ops->destroy(s);
        app_error(app, "Too many screens open; press q to go back first");
        return;
    }
    s->app = app;
    app->stack[app->depth++] = s;
}

void app_pop(struct app *app)
{
    if (app->depth == 0)
        return;
    struct screen *s = app->stack[--app->depth];
    s->ops->destroy(s);
}

struct screen *app_below(struct app *app, const struct screen *s)
{
    for (int i = app->depth - 1; i > 0; i--)
        if (app->stack[i] == s)
            return app->stack[i - 1];
    return NULL;
}

void app_reload(struct app *app)
{
    app_watch_seen(app);
    load_context(app);
    for (int i = 0; i < app->depth; i++)
        if (app->stack[i]->ops->reload)
            app->stack[i]->ops->reload(app->stack[i]);
}

static void set_status(struct app *app, bool error, const char *fmt, va_list ap)
{
    vsnprintf(app->status, sizeof app->status, fmt, ap);
    app->status_error = error;
}

void app_status(struct app *app, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_status(app, false, fmt, ap);
    va_end(ap);
}

void app_error(struct app *app, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_status(app, true, fmt, ap);
    va_end(ap);
    beep();
}

static struct screen *top(struct app *app)
{
    return app->depth ? app->stack[app->depth - 1] : NULL;
}

/* The nearest full screen at or below the top (dialogs draw over it). */
static int base_index(struct app *app)
{
    int i = app->depth - 1;
    while (i > 0 && app->stack[i]->modal)
        i--;
    return i;
}

static void draw_header(struct app *app)
{
    int cols = COLS;
    char today[RB_DATE_BUF];
    attr_t a = A_REVERSE | A_BOLD;
    attron(a);
    mvhline(0, 0, ' ', cols);
    const char *db = strrchr(store_path(app->st), '/');
    db = db ? db + 1 : store_path(app->st);
    char *right = xasprintf(" %s%sThreat: %s | %s | %s%s ", app->present ? "PRESENTING | " : "",
                            app->meeting ? "MEETING | " : "", threat_word(app->part.threat),
                            date_format_uk(app->today, today), db,
                            store_is_readonly(app->st) ? " (read-only)" : "");
    char *left = xasprintf(" %s: %s", app->part.name, app->part.plan_title);
    int rw = text_width(right);
    if (rw + 10 > cols) {
        /* Narrow: the threat level and date matter most. */
        free(right);
        right = xasprintf(" %s%s%s %s ", app->present ? "PRESENTING " : "",
                          app->meeting ? "MEETING " : "", threat_word(app->part.threat),
                          date_format_uk(app->today, today));
        rw = text_width(right);
    }
    text_put(stdscr, 0, 0, left, cols - rw, true);
    text_put(stdscr, 0, cols - rw > 0 ? cols - rw : 0, right, rw < cols ? rw : cols, false);
    attroff(a);
    free(left);
    free(right);
}

static void draw_hints(struct app *app)
{
    int y = LINES - 1;
    move(y, 0);
    clrtoeol();
    if (app->status[0]) {
        attr_t a = app->status_error ? A_BOLD : A_NORMAL;
        if (app->status_error && app->colour)
            a |= COLOR_PAIR(PAIR_ERROR);
        attron(a);
        text_put(stdscr, y, 0, app->status, COLS, false);
        attroff(a);
        return;
    }
    struct screen *s = top(app);
    if (s && s->ops->raw_input) {
        if (s->ops->hints)
            text_put(stdscr, y, 0, s->ops->hints(s), COLS, false);
        return;
    }
    unsigned on = s ? s->ops->on : ON_BOARD;
    /* "? Help" and "q Back" (on the board "q Quit") always show, at the right end, with
     * the keys in force. */
    char hk[16], bk[16];
    const char *help_key = key_name_of(ACT_HELP, hk), *back_key = key_name_of(ACT_BACK, bk);
    const char *back_word = on == ON_BOARD ? " Quit" : " Back";
    int tail_w = text_width(help_key) + text_width(" Help  ") + text_width(back_key) +
                 text_width(back_word);
    char buf[16];
    int x = 0;
    for (int i = 1; i < ACT_COUNT; i++) {
        const struct action_info *a = &action_table[i];
        if (!a->hint || !(a->on & on) || a->action == ACT_HELP || a->action == ACT_BACK ||
            a->action == ACT_QUIT || !(key_of(a->action) || alias_of(a->action)))
            continue;
        const char *k = key_name_of(a->action, buf);
        int need = text_width(k) + 1 + text_width(a->hint) + 2;
        if (x + need + tail_w > COLS)
            break;
        attron(A_REVERSE);
        mvaddstr(y, x, k);
        attroff(A_REVERSE);
        addch(' ');
        addstr(a->hint);
        x += need;
    }
    if (x + tail_w <= COLS) {
        /* Keys in reverse video, as above. */
        move(y, x);
        attron(A_REVERSE);
        addstr(help_key);
        attroff(A_REVERSE);
        addstr(" Help  ");
        attron(A_REVERSE);
        addstr(back_key);
        attroff(A_REVERSE);
        addstr(back_word);
    }
}

struct wrap_at {
    int y;
};

static void too_small_line(const char *line, size_t len, void *ctx)
{
    struct wrap_at *w = ctx;
    if (w->y < LINES)
        mvaddnstr(w->y++, 0, line, (int)len);
}

static void draw_too_small(void)
{
    erase();
    char msg[200];
    snprintf(msg, sizeof msg,
             "Terminal too small (%dx%d): ragboard needs at least %dx%d.\n"
             "Enlarge the window, or press Q to quit.",
             COLS, LINES, MIN_COLS, MIN_ROWS);
    struct wrap_at w = {0};
    text_wrap(msg, COLS > 0 ? COLS : 1, too_small_line, &w);
    move(0, 0);
}

bool app_too_small(void)
{
    return COLS < MIN_COLS || LINES < MIN_ROWS;
}

bool app_prefetch(struct app *app)
{
    if (app_too_small())
        return false;
    /* The top screen first; a list under a form or a detail reads on too, so that it
     * is whole (and an edit made there only moves its rows) when the user comes back. */
    for (int i = app->depth - 1; i >= 0; i--) {
        struct screen *s = app->stack[i];
        if (s->ops->prefetch && s->ops->prefetch(s))
            return true;
    }
    return false;
}

void app_draw(struct app *app)
{
    if (app_too_small()) {
        draw_too_small();
        wnoutrefresh(stdscr);
        return;
    }
    wresize(app->body, LINES - 2, COLS);
    mvwin(app->body, 1, 0);
    draw_header(app);
    draw_hints(app);
    wnoutrefresh(stdscr);
    int base = base_index(app);
    for (int i = base; i < app->depth; i++) {
        struct screen *s = app->stack[i];
        if (i == base)
            werase(app->body);
        s->ops->draw(s, app->body);
    }
    struct screen *s = top(app);
    if (s) {
        int y = s->cursor_y, x = s->cursor_x;
        if (y >= getmaxy(app->body))
            y = getmaxy(app->body) - 1;
        if (x >= getmaxx(app->body))
            x = getmaxx(app->body) - 1;
        wmove(app->body, y < 0 ? 0 : y, x < 0 ? 0 : x);
    }
    wnoutrefresh(app->body);
}

bool app_key(struct app *app, const struct keypress *k)
{
    if (paste_filter(app, k)) /* a paste is text for a form, never commands */
        return !app->quit;
    if (!k->function || k->code != KEY_RESIZE) {
        app->status[0] = '\0';
        app->status_error = false;
    }
    if (k->function && k->code == KEY_RESIZE)
        return !app->quit;
    struct screen *s = top(app);
    int key = (int)k->code;
    unsigned on = s ? s->ops->on : ON_BOARD;
    enum ui_action a = ACT_NONE;
    if (!s || !s->ops->raw_input) {
        /* Characters beyond ASCII are never bound; Alt with one can be. */
        if (k->function || k->code < 128 || (k->code & KEY_ALT_BIT))
            a = key_action(key, on);
    }
    if (app_too_small()) {
        if (a == ACT_QUIT || a == ACT_BACK)
            app->quit = true;
        return !app->quit;
    }
    if (s && s->ops->raw_input) {
        /* Forms and dialogs take every key; Q still quits once they are closed. */
        enum verdict v = s->ops->key(s, ACT_NONE, k);
        if (v == V_QUIT)
            app->quit = true;
        return !app->quit;
    }
    switch (a) {
    case ACT_QUIT: app->quit = true; return false;
    case ACT_REDRAW: clearok(curscr, TRUE); return true;
    case ACT_HELP: app_push(app, help_new(app, on)); return true;
    case ACT_PRESENT: app_toggle_present(app); return true;
    case ACT_THEME: app_next_theme(app); return true;
    case ACT_COMMAND: cmdline_open(app); return true;
    case ACT_MEETING: meeting_open_screen(app); return true;
    case ACT_REPORTS: reports_menu(app); return true;
    default: break;
    }
    if (!s)
        return false;
    if (a == ACT_NONE) {
        char buf[16];
        char hk[16];
        app_error(app, "%s does nothing here; press %s for the keys of this screen",
                  ui_key_name(key, buf), key_name_of(ACT_HELP, hk));
        return true;
    }
    enum verdict v = s->ops->key(s, a, k);
    if (v == V_BACK)
        app_pop(app);
    if (v == V_QUIT || app->depth == 0)
        app->quit = true;
    return !app->quit;
}

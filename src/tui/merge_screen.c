/* Merging another copy's changes file, with a screen to settle each conflict: keep ours
 * or take theirs, then apply again. */
#include <stdlib.h>
#include <string.h>

#include "ragboard/changes.h"
#include "ragboard/util.h"
#include "tui/screen.h"
#include "tui/text.h"

struct merge {
    struct screen base;
    char *path;
    struct changes_file file;
    struct merge_result res;
    enum change_side *choice; /* per conflict, what the user picked */
    size_t selected;
    int top;
    char summary[RB_ERRLEN];
};

static void summarise(struct merge *m)
{
    const struct merge_result *r = &m->res;
    snprintf(m->summary, sizeof m->summary,
             "%zu entries: %zu already here, %zu merged, %zu held; %zu conflict%s, %zu open",
             r->entries, r->known, r->merged, r->held, r->n_conflicts,
             r->n_conflicts == 1 ? "" : "s", r->open);
}

/* Apply the file, with the choices made so far; keeps the result for the screen. */
static int apply(struct merge *m, char *err)
{
    struct app *app = m->base.app;
    struct change_choice *choices = NULL;
    size_t n = 0;
    if (m->res.n_conflicts) {
        choices = xcalloc(m->res.n_conflicts, sizeof *choices);
        for (size_t i = 0; i < m->res.n_conflicts; i++)
            if (m->choice[i] != CHANGE_UNDECIDED)
                choices[n++] = (struct change_choice){m->res.conflicts[i].ref,
                                                      m->res.conflicts[i].field, m->choice[i],
                                                      false};
    }
    struct merge_result res;
    memset(&res, 0, sizeof res);
    int rc = changes_apply(app->st, &m->file, m->path, choices, n, &res, err);
    free(choices);
    if (rc != 0)
        return -1;
    merge_result_free(&m->res);
    m->res = res;
    free(m->choice);
    m->choice = xcalloc(res.n_conflicts ? res.n_conflicts : 1, sizeof *m->choice);
    for (size_t i = 0; i < res.n_conflicts; i++)
        m->choice[i] = res.conflicts[i].taken;
    if (m->selected >= res.n_conflicts)
        m->selected = res.n_conflicts ? res.n_conflicts - 1 : 0;
    summarise(m);
    return 0;
}

static const char *side_word(enum change_side s)
{
    return s == CHANGE_OURS ? "keep ours" : s == CHANGE_THEIRS ? "take theirs" : "undecided";
}

static void merge_draw(struct screen *s, WINDOW *w)
{
    struct merge *m = (struct merge *)s;
    struct app *app = s->app;
    int rows = getmaxy(w), cols = getmaxx(w);
    wattron(w, A_BOLD | (app->colour ? COLOR_PAIR(PAIR_TITLE) : 0));
    char *title = xasprintf("Changes from %s", m->path);
    text_put(w, 0, 0, title, cols, false);
    free(title);
    wattroff(w, A_BOLD | (app->colour ? COLOR_PAIR(PAIR_TITLE) : 0));
    text_put(w, 1, 0, m->summary, cols, false);
    s->cursor_y = 1;
    s->cursor_x = 0;
    int y = 3;
    for (size_t i = 0; i < m->res.n_notices && y < rows - 1 && i < 3; i++)
        text_put(w, y++, 0, m->res.notices[i], cols, false);
    if (!m->res.n_conflicts) {
        text_put(w, y + 1, 0, "No conflicts: everything in the file is merged. Press q.", cols,
                 false);
        return;
    }
    y++;
    text_put(w, y++, 0,
             "Each field below was changed here and in the other copy. o keeps ours, t takes "
             "theirs, a applies the choices.",
             cols, false);
    /* Two lines per conflict: what, then ours and theirs. */
    int room = (rows - y) / 3;
    if (room < 1)
        room = 1;
    if ((int)m->selected < m->top)
        m->top = (int)m->selected;
    if ((int)m->selected >= m->top + room)
        m->top = (int)m->selected - room + 1;
    for (int k = m->top; k < (int)m->res.n_conflicts && y + 2 < rows + 1; k++) {
        const struct change_conflict *c = &m->res.conflicts[k];
        bool sel = (size_t)k == m->selected;
        if (sel) {
            wattron(w, A_REVERSE);
            mvwhline(w, y, 0, ' ', cols);
            s->cursor_y = y;
        }
        char *head = xasprintf("%c %s  %s  [%s]  changed there by %s at %s", sel ? '>' : ' ',
                               c->ref, c->field, side_word(m->choice[k]), c->by, c->at);
        text_put(w, y++, 0, head, cols, false);
        free(head);
        if (sel)
            wattroff(w, A_REVERSE);
        char *ours = xasprintf("    ours:   %s", c->ours[0] ? c->ours : "(none)");
        char *theirs = xasprintf("    theirs: %s%s", c->theirs[0] ? c->theirs : "(none)",
                                 c->theirs_possible ? "" : "  (only ours can settle this)");
        text_put(w, y++, 0, ours, cols, false);
        if (y < rows)
            text_put(w, y++, 0, theirs, cols, false);
        free(ours);
        free(theirs);
    }
}

static enum verdict merge_key(struct screen *s, enum ui_action a, const struct keypress *k)
{
    (void)k;
    struct merge *m = (struct merge *)s;
    struct app *app = s->app;
    size_t n = m->res.n_conflicts;
    char err[RB_ERRLEN];
    switch (a) {
    case ACT_MOVE_DOWN: m->selected += m->selected + 1 < n; break;
    case ACT_MOVE_UP: m->selected -= m->selected > 0; break;
    case ACT_MOVE_TOP: m->selected = 0; break;
    case ACT_MOVE_BOTTOM: m->selected = n ? n - 1 : 0; break;
    case ACT_TAKE_OURS:
        if (n)
            m->choice[m->selected] = CHANGE_OURS;
        m->selected += m->selected + 1 < n;
        break;
    case ACT_TAKE_THEIRS:
        if (n && !m->res.conflicts[m->selected].theirs_possible)
            app_error(app, "Only keeping ours can settle this conflict");
        else if (n)
            m->choice[m->selected] = CHANGE_THEIRS;
        m->selected += m->selected + 1 < n;
        break;
    case ACT_APPLY_CHOICES:
        if (apply(m, err) != 0) {
            app_error(app, "Not merged: %s", err);
            break;
        }
        app_reload(app);
        app_status(app, "%s", m->summary);
        break;
    case ACT_BACK: return V_BACK;
    case ACT_QUIT: return V_QUIT;
    default: break;
    }
    return V_STAY;
}

static void merge_destroy(struct screen *s)
{
    struct merge *m = (struct merge *)s;
    merge_result_free(&m->res);
    changes_file_free(&m->file);
    free(m->choice);
    free(m->path);
    free(m);
}

static const struct screen_ops merge_ops = {
    .name = "merge",
    .on = ON_MERGE,
    .draw = merge_draw,
    .key = merge_key,
    .destroy = merge_destroy,
};

static void path_done(struct app *app, void *ctx, const char *text)
{
    (void)ctx;
    if (!text || str_blank(text))
        return;
    struct merge *m = xcalloc(1, sizeof *m);
    m->base.ops = &merge_ops;
    m->base.app = app;
    m->path = xstrdup(text);
    char err[RB_ERRLEN];
    if (changes_file_load(m->path, &m->file, err) != 0 || apply(m, err) != 0) {
        app_error(app, "Not merged: %s", err);
        merge_destroy(&m->base);
        return;
    }
    app_reload(app);
    app_push(app, &m->base);
    app_status(app, "%s", m->summary);
}

void merge_open(struct app *app)
{
    if (store_is_readonly(app->st)) {
        app_error(app, "The plan is open read-only; nothing can be merged into it");
        return;
    }
    ui_ask(app, "Changes file from another copy:", "", path_done, NULL);
}

/* The application and its screens: what every screen provides to the main loop, and the
 * services (status line, confirmations, prompts, menus) the app gives back. */
#ifndef RAGBOARD_TUI_SCREEN_H
#define RAGBOARD_TUI_SCREEN_H

#include <curses.h>
#include <wchar.h>

#include "ragboard/config.h"
#include "ragboard/meeting.h"
#include "ragboard/store.h"
#include "ragboard/util.h"
#include "tui/keys.h"

enum verdict { V_STAY, V_BACK, V_QUIT };

/* Colour pairs; none are used without colour. */
enum ui_pair { PAIR_RED = 1, PAIR_AMBER, PAIR_GREEN, PAIR_COMPLETE, PAIR_TITLE, PAIR_ERROR };

/* One key as it arrived: a character (function = false) or a KEY_* code. */
struct keypress {
    bool function;
    wint_t code;
};

struct app;
struct screen;

struct screen_ops {
    const char *name;
    unsigned on;    /* ON_* flag for help and hints; 0 for forms and dialogs */
    bool raw_input; /* gets every key (forms, prompts) instead of table actions */
    void (*draw)(struct screen *s, WINDOW *w);
    /* a is ACT_NONE for raw-input screens and for unbound keys */
    enum verdict (*key)(struct screen *s, enum ui_action a, const struct keypress *k);
    void (*reload)(struct screen *s); /* the data changed: read it again (may be NULL) */
    /* after a frame, while the user reads it: read what the next key will likely need
     * (may be NULL); true when there is more to read, a little at a time: it is called
     * again while no key is waiting, without drawing, until it gives false */
    bool (*prefetch)(struct screen *s);
    void (*destroy)(struct screen *s);
    /* hint bar text for raw-input screens (may be NULL) */
    const char *(*hints)(struct screen *s);
};

struct screen {
    const struct screen_ops *ops;
    struct app *app;
    int cursor_y, cursor_x; /* where the hardware cursor parks after drawing */
    bool modal;             /* drawn over the screen below it, in a box */
};

#define APP_MAX_SCREENS 12

struct app {
    struct store *st;
    const struct config *cfg;
    struct partnership part;
    struct agency *agencies;
    size_t n_agencies;
    rb_day today;
    bool colour;     /* colours in use: colour_ok and a theme with colours */
    bool colour_ok;  /* the terminal has colours and NO_COLOR is not set */
    enum display_theme theme;
    bool quit;
    struct screen *stack[APP_MAX_SCREENS];
    int depth;
    char status[256];
    bool status_error;
    WINDOW *body;
    bool present;    /* presenter mode: confidential items are hidden */
    int64_t meeting; /* the open meeting, or 0 */
    bool pasting;    /* inside a bracketed paste from the terminal */
    int64_t data_version, audit_mark; /* the plan as the screens last read it (watch.c) */
};

/* Set up the app on a started curses screen (the board is pushed, and an open meeting is
 * resumed over it). */
void app_init(struct app *app, struct store *st, const struct config *cfg, bool colour,
              bool present);
void app_free(struct app *app);
/* True below the smallest size the screens are laid out for (60x16). */
bool app_too_small(void);
/* Draw everything and park the cursor; call doupdate() after. */
void app_draw(struct app *app);
/* After a frame is on the terminal, and again while idle as long as it gives true: let
 * the screens read ahead (screen_ops.prefetch), the top one first. */
bool app_prefetch(struct app *app);
/* Handle one key. Returns false when the app should quit. */
bool app_key(struct app *app, const struct keypress *k);

/* Screens call these. */
void app_push(struct app *app, struct screen *s);
/* Pop and destroy the top screen. */
void app_pop(struct app *app);
/* The screen under the top one (NULL if none). */
struct screen *app_below(struct app *app, const struct screen *s);
/* Tell every screen that the plan changed; refresh the agencies. */
void app_reload(struct app *app);
void app_status(struct app *app, const char *fmt, ...) RB_PRINTF(2, 3);
void app_error(struct app *app, const char *fmt, ...) RB_PRINTF(2, 3);

/* Presenter mode: on at once; off only after a confirmation. */
void app_toggle_present(struct app *app);
/* text, or "[confidential]" when presenting and the item is confidential. */
const char *app_mask(const struct app *app, bool confidential, const char *text);

/* Around an edit made from a form or a key: while a meeting is open, the edit and its
 * minute entry commit together in one transaction. end() records the minute (when saved)
 * and commits, or rolls everything back. Outside a meeting they do nothing. */
int app_edit_begin(struct app *app, char *err);
int app_edit_end(struct app *app, bool saved, enum minute_kind kind, int64_t action_id,
                 const char *text, char *err);

/* Attribute for a rating in the theme in force: its colour pair when colour is on,
 * bold for Red (src/tui/theme.c). */
attr_t ui_rag_attr(const struct app *app, enum rag r);
/* Set the colour pairs for app->theme (when colour is on). */
void theme_apply(struct app *app);
/* The T key: the next theme, with a status line saying which. */
void app_next_theme(struct app *app);
/* Draw lines with + - | instead of the terminal's line characters ([display] ascii_lines). */
void ui_set_ascii_lines(bool ascii);
/* Clear a box of h rows and wd columns at top, left of w and frame it. */
void ui_frame(WINDOW *w, int top, int left, int h, int wd);

/* Clear and frame a box of h rows and w columns centred in win (shrunk to fit), with a
 * title in its top border; *y0, *x0 get the first row and column inside the frame and
 * *ih, *iw the inside size. */
void ui_box(WINDOW *win, int h, int w, const char *title, int *y0, int *x0, int *ih, int *iw);

/* Modal dialogs (each pushes a screen; the callback runs after it is popped). */
void ui_confirm(struct app *app, const char *question,
                void (*done)(struct app *app, void *ctx, bool yes), void *ctx);
/* A one-line text prompt; done gets NULL when cancelled with Esc. */
void ui_ask(struct app *app, const char *label, const char *initial,
            void (*done)(struct app *app, void *ctx, const char *text), void *ctx);
/* A menu of items with letter keys (the first letter of each not yet taken, or given as
 * "&x" inside the text); done gets the index or -1 when cancelled. */
void ui_menu(struct app *app, const char *title, const char *const *items, size_t n,
             int selected, void (*done)(struct app *app, void *ctx, int index), void *ctx);

/* Two people, one plan (src/tui/watch.c). */
/* Note the plan as the screens are about to read it (app_init and app_reload call it). */
void app_watch_seen(struct app *app);
/* After app_init on a real terminal: warn about the plan file (others can read it, a
 * network drive, read-only) on the status line. */
void app_watch_start(struct app *app);
/* While idle: another program changed the plan, so read it again (app_reload). */
void app_watch_tick(struct app *app);
/* Whether the action changed after the screens last read the plan; msg (RB_ERRLEN
 * bytes) says who changed what. */
bool app_changed_since_shown(struct app *app, int64_t action_id, char *msg);
enum conflict_choice { CONFLICT_RELOAD, CONFLICT_OVERWRITE, CONFLICT_CANCEL };
/* Someone else changed what the user is about to change: show msg and ask whether to
 * reload (reload describes what that does) or overwrite; done gets the choice
 * (CONFLICT_CANCEL for Esc). */
void app_ask_conflict(struct app *app, const char *msg, const char *reload,
                      const char *overwrite,
                      void (*done)(struct app *app, void *ctx, enum conflict_choice c),
                      void *ctx);

/* Restricted mode on the real terminal (src/tui/restricted.c): ignore the suspend and
 * quit signals (before curses starts), and turn off the keys that send them. */
struct termios;
void tui_restrict_signals(void);
void tui_restrict_termios(struct termios *tio);

/* Screens. */
struct screen *board_new(struct app *app);
/* A list of one strand (code) or one agency (code); the other is NULL. */
struct screen *list_new(struct app *app, const char *strand, const char *agency,
                        const char *search);
struct screen *detail_new(struct app *app, int64_t action_id);
struct screen *help_new(struct app *app, unsigned on);
/* The meeting: resume the open one (its walk), or start one (a form, then attendance). */
void meeting_open_screen(struct app *app);
struct screen *walk_new(struct app *app);
struct screen *attendance_new(struct app *app);
/* Record a note for a standing item (asks which, then the text). */
void meeting_note(struct app *app);
/* End the meeting after a confirmation; its minutes are stored. */
void meeting_end(struct app *app);

/* Forms (src/tui/forms.c). Each saves in one transaction and reloads the app. */
/* A new action under strand, led by lead, under objective (each may be NULL). */
void form_new_action(struct app *app, const char *strand, const char *lead,
                     const char *objective);
void form_edit_action(struct app *app, int64_t action_id);
void form_progress(struct app *app, int64_t action_id);
void form_override(struct app *app, int64_t action_id);

/* Merge another copy's changes file: asks for the path, then shows the conflicts
 * (src/tui/merge_screen.c). */
void merge_open(struct app *app);

/* Write minutes or a report to the exports folder (a menu; src/tui/reports.c). */
void reports_menu(struct app *app);

/* Shared action commands (src/tui/commands.c) for list and detail screens. */
enum verdict cmd_action(struct app *app, enum ui_action a, int64_t action_id);

#endif

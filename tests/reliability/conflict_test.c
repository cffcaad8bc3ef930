/* Two people, one plan, on the screen: alice works in the full-screen program (driven key
 * by key, without a terminal) while bob changes the same action through another handle.
 * Every way alice can change it (complete, delete, the edit form, a progress update, a
 * manual rating) shows who changed what and lets her reload or overwrite; nothing of
 * bob's is lost unless she says so, and the idle tick refreshes her screen. */
#include <curses.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ragboard/config.h"
#include "ragboard/demo.h"
#include "ragboard/edit.h"
#include "ragboard/store.h"
#include "ragboard/util.h"
#include "tui/screen.h"
#include "tui/tui.h"

static int failures;
static struct app app;
static struct store *bob;
static int64_t id;

#define CHECK(cond, ...)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "FAIL line %d: %s: ", __LINE__, #cond);                        \
            fprintf(stderr, __VA_ARGS__);                                                  \
            fprintf(stderr, "\n");                                                         \
            failures++;                                                                    \
        }                                                                                  \
    } while (0)

static void draw(void)
{
    app_draw(&app);
    doupdate();
}

static void key(bool function, wint_t code)
{
    struct keypress k = {function, code};
    app_key(&app, &k);
    draw();
}

static void type(const char *s)
{
    for (; *s; s++)
        key(false, (wint_t)(unsigned char)*s);
}

static const char *top_name(void)
{
    return app.depth ? app.stack[app.depth - 1]->ops->name : "";
}

static bool on_screen(const char *needle)
{
    char line[512];
    for (int y = 0; y < LINES; y++) {
        int n = mvwinnstr(curscr, y, 0, line, COLS < 511 ? COLS : 511);
        if (n > 0 && strstr(line, needle))
            return true;
    }
    return false;
}

static struct action now(void)
{
    struct action a;
    char err[RB_ERRLEN];
    if (store_action_get(bob, id, &rag_default_thresholds, date_today(), &a, err) != 0) {
        fprintf(stderr, "read: %s\n", err);
        exit(2);
    }
    return a;
}

static long long updates(void)
{
    sqlite3_stmt *s;
    sqlite3_prepare_v2(store_db(bob), "SELECT count(*) FROM updates WHERE action_id = ?", -1,
                       &s, NULL);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_step(s);
    long long n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

static void bob_update(int pct)
{
    char err[RB_ERRLEN];
    struct progress_update u = {.action_id = id, .text = "Bob's figures", .progress = pct};
    if (store_update_insert(bob, &u, err) != 0)
        fprintf(stderr, "bob: %s\n", err);
}

static void bob_sets(const char *title, const char *owner)
{
    struct action a = now();
    char err[RB_ERRLEN];
    if (title) {
        free(a.title);
        a.title = xstrdup(title);
    }
    if (owner) {
        free(a.owner);
        a.owner = xstrdup(owner);
    }
    if (store_action_save(bob, &a, err) != 0)
        fprintf(stderr, "bob: %s\n", err);
    action_free(&a);
}

static void tab(int n)
{
    for (int i = 0; i < n; i++)
        key(false, '\t');
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    setenv("RAGBOARD_TODAY", "2026-11-28", 1);
    char dir[] = "/tmp/rbconflictXXXXXX";
    if (!mkdtemp(dir))
        return 2;
    char *path = xasprintf("%s/plan.db", dir);
    char err[RB_ERRLEN];
    struct config cfg;
    struct diags d = {0};
    config_load_builtin(&cfg, &d);
    cfg.backups_kept = 0;
    struct store *alice;
    if (store_open(path, STORE_CREATE, &alice, err) != 0 ||
        store_sync_config(alice, &cfg, &d, err) != 0 ||
        demo_seed(alice, &cfg, date_today(), err) != 0 || store_open(path, 0, &bob, err) != 0) {
        fprintf(stderr, "setting up: %s\n", err);
        return 2;
    }
    diags_free(&d);
    store_set_user(alice, "alice");
    store_set_user(bob, "bob");
    sqlite3_stmt *s;
    sqlite3_prepare_v2(store_db(bob),
                       "SELECT id FROM actions WHERE state = 'in_progress' AND "
                       "rag_override IS NULL ORDER BY ref LIMIT 1",
                       -1, &s, NULL);
    sqlite3_step(s);
    id = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);

    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *scr = newterm("xterm-256color", out, in);
    set_term(scr);
    resize_term(30, 100);
    tui_setup_input();
    app_init(&app, alice, &cfg, false, false);
    app_push(&app, detail_new(&app, id));
    draw();
    struct action a = now();
    char *ref = xstrdup(a.ref);
    action_free(&a);

    /* 1. The idle tick notices bob's change and refreshes the screen. */
    bob_update(41);
    app_watch_tick(&app);
    draw();
    CHECK(on_screen("41%"), "the detail screen did not refresh");
    CHECK(strstr(app.status, "changed elsewhere") != NULL, "status: %s", app.status);

    /* 2. Complete, on a screen that has not seen bob's change: asked; reload changes
     * nothing; then (having seen it) x completes. */
    bob_update(43);
    key(false, 'x');
    CHECK(strcmp(top_name(), "menu") == 0, "no choice offered (top: %s)", top_name());
    CHECK(strstr(app.status, "changed by bob") && strstr(app.status, "progress"),
          "status: %s", app.status);
    CHECK(on_screen("Changed by someone else"), "the choice is not shown");
    key(false, 'r');
    a = now();
    CHECK(a.state == STATE_IN_PROGRESS, "reload completed it anyway");
    action_free(&a);
    key(false, 'x');
    a = now();
    CHECK(a.state == STATE_COMPLETE, "x after reloading did not complete it (%s)", app.status);
    action_free(&a);
    key(false, 'x'); /* reopen, nobody else involved */
    a = now();
    CHECK(a.state == STATE_IN_PROGRESS, "x did not reopen it");
    action_free(&a);

    /* 3. Overwrite: x completes over bob's change. */
    bob_update(45);
    key(false, 'x');
    CHECK(strcmp(top_name(), "menu") == 0, "no choice offered");
    key(false, 'o');
    a = now();
    CHECK(a.state == STATE_COMPLETE, "overwrite did not complete it: %s", app.status);
    action_free(&a);
    key(false, 'x');

    /* 4. Delete on a stale screen: the question says who changed what; n keeps it. */
    bob_update(47);
    key(false, 'D');
    CHECK(strcmp(top_name(), "confirm") == 0, "no question");
    CHECK(on_screen("changed by bob"), "the question does not say who changed it");
    key(false, 'n');
    a = now();
    CHECK(a.id == id, "deleted");
    action_free(&a);

    /* 5. The edit form: bob renames it while alice changes the due date; overwrite saves
     * her due date and keeps his title. */
    key(false, 'e');
    CHECK(strcmp(top_name(), "form") == 0, "no edit form");
    bob_sets("Bob renamed this", NULL);
    tab(7); /* Title Strand Objective Lead Officer Partners Start -> Due */
    key(false, 21); /* Ctrl-U */
    type("31/12/2027");
    key(false, 19); /* Ctrl-S */
    CHECK(strcmp(top_name(), "menu") == 0, "no choice after a conflicting save");
    CHECK(strstr(app.status, "changed by bob") && strstr(app.status, "title"), "status: %s",
          app.status);
    key(false, 'o');
    a = now();
    CHECK(strcmp(a.title, "Bob renamed this") == 0, "bob's title lost: %s", a.title);
    char due[RB_DATE_BUF];
    CHECK(strcmp(date_format_iso(a.due, due), "2027-12-31") == 0, "alice's due date lost");
    action_free(&a);
    CHECK(strcmp(top_name(), "detail") == 0, "the form stayed open (top %s)", top_name());

    /* 6. The edit form, reload: what alice typed goes, bob's change shows. */
    key(false, 'e');
    bob_sets(NULL, "Bob as officer");
    type(" (alice)");
    key(false, 19);
    CHECK(strcmp(top_name(), "menu") == 0, "no choice after a conflicting save");
    key(false, 'r');
    CHECK(strcmp(top_name(), "form") == 0, "the form closed on reload");
    CHECK(on_screen("Bob as officer"), "the form does not show bob's change");
    key(false, 19); /* save the reloaded form: nothing of bob's is undone */
    a = now();
    CHECK(strcmp(a.owner, "Bob as officer") == 0 && strcmp(a.title, "Bob renamed this") == 0,
          "reload then save lost bob's change: %s / %s", a.owner, a.title);
    action_free(&a);
    if (strcmp(top_name(), "form") == 0)
        key(false, 27);

    /* 7. A progress update: reload shows bob's figure and keeps alice's text. */
    key(false, 'p');
    CHECK(strcmp(top_name(), "form") == 0, "no progress form");
    bob_update(77);
    long long n0 = updates();
    type("Alice's update");
    key(false, 19);
    CHECK(strcmp(top_name(), "menu") == 0, "no choice for a progress update");
    CHECK(updates() == n0, "saved before asking");
    key(false, 'r');
    CHECK(on_screen("Now 77% done"), "the form does not show bob's figure");
    key(false, 19);
    CHECK(updates() == n0 + 1, "alice's update not saved after reloading");
    a = now();
    CHECK(a.progress == 77, "progress is %d, not bob's 77", a.progress);
    action_free(&a);

    /* 8. A manual rating over bob's: overwrite sets alice's. */
    key(false, 'r');
    CHECK(strcmp(top_name(), "form") == 0, "no rating form");
    char e2[RB_ERRLEN];
    if (store_action_override(bob, id, RAG_GREEN, "bob says fine", e2) != 0)
        fprintf(stderr, "bob: %s\n", e2);
    key(true, KEY_LEFT); /* another rating than the one shown */
    tab(1);
    type("alice disagrees");
    key(false, 19);
    CHECK(strcmp(top_name(), "menu") == 0, "no choice for a rating");
    key(false, 'o');
    a = now();
    CHECK(a.override_reason && strcmp(a.override_reason, "alice disagrees") == 0,
          "alice's rating not saved: %s", a.override_reason ? a.override_reason : "(none)");
    action_free(&a);

    /* 9. Different actions: no question at all. */
    sqlite3_prepare_v2(store_db(bob), "SELECT id FROM actions WHERE id <> ? AND state = "
                                      "'in_progress' ORDER BY ref LIMIT 1",
                       -1, &s, NULL);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_step(s);
    int64_t other = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    int64_t mine = id;
    id = other;
    bob_update(12);
    id = mine;
    key(false, 'x');
    CHECK(strcmp(top_name(), "detail") == 0, "asked about someone else's action");
    a = now();
    CHECK(a.state == STATE_COMPLETE, "x did not complete it: %s", app.status);
    action_free(&a);

    app_free(&app);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
    store_close(alice);
    store_close(bob);
    config_free(&cfg);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        failures++;
    free(cmd);
    free(path);
    free(ref);
    if (failures) {
        fprintf(stderr, "%d failures\n", failures);
        return 1;
    }
    printf("ok: every path asked, reload and overwrite both did what they say\n");
    return 0;
}

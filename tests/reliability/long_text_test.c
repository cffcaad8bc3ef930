/* Very long titles, names and updates (some in wide and combining characters) on every
 * screen, at several sizes and through resizes down to 1x1: nothing crashes, and every
 * screen drawn fits its size exactly (no line wider than the terminal, every row there).
 * Driven through the headless key-script runner. */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ragboard/config.h"
#include "ragboard/demo.h"
#include "ragboard/edit.h"
#include "ragboard/meeting.h"
#include "ragboard/store.h"
#include "ragboard/util.h"
#include "tui/tui.h"

static int failures;

static void fail(const char *fmt, ...) RB_PRINTF(1, 2);
static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("FAIL: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    failures++;
}

/* n characters cycling through plain, accented, wide (CJK) and combining ones. */
static char *long_text(const char *lead, size_t n)
{
    static const char *const pieces[] = {"Prevent ", "réunion ", "日本語 ", "e\xcc\x81 ",
                                         "partnership; ", "-- ' \" ", "✓ "};
    struct strbuf sb = {0};
    sb_add(&sb, lead);
    for (size_t i = 0; sb.len < n; i++)
        sb_add(&sb, pieces[i % (sizeof pieces / sizeof pieces[0])]);
    return sb_take(&sb);
}

/* Every screen in the output: the stated size, that many rows, none wider. */
static int check_screens(const char *out, const char *what)
{
    int screens = 0;
    const char *p = out;
    while ((p = strstr(p, "--- screen ")) != NULL) {
        int cols, rows;
        if (sscanf(p, "--- screen %dx%d", &cols, &rows) != 2) {
            fail("%s: bad screen header", what);
            return screens;
        }
        p = strchr(p, '\n');
        if (!p)
            break;
        p++;
        for (int y = 0; y < rows; y++) {
            const char *eol = strchr(p, '\n');
            if (!eol || strncmp(p, "--- ", 4) == 0) {
                fail("%s: screen %d has %d rows, not %d", what, screens + 1, y, rows);
                break;
            }
            char *line = xstrndup(p, (size_t)(eol - p));
            size_t n = mbstowcs(NULL, line, 0);
            if (n == (size_t)-1) {
                fail("%s: row %d of screen %d is not valid text", what, y, screens + 1);
            } else {
                wchar_t *w = xcalloc(n + 1, sizeof *w);
                mbstowcs(w, line, n + 1);
                int width = 0;
                for (size_t i = 0; i < n; i++)
                    width += wcwidth(w[i]) > 0 ? wcwidth(w[i]) : (wcwidth(w[i]) == 0 ? 0 : 1);
                if (width > cols)
                    fail("%s: row %d of screen %d is %d wide in %d columns", what, y,
                         screens + 1, width, cols);
                free(w);
            }
            free(line);
            p = eol + 1;
        }
        screens++;
    }
    return screens;
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    setenv("RAGBOARD_TODAY", "2026-11-28", 1);
    setenv("RAGBOARD_NOW", "2026-11-28T09:30:00Z", 1);
    char dir[] = "/tmp/rblongXXXXXX";
    if (!mkdtemp(dir))
        return 2;
    char *path = xasprintf("%s/plan.db", dir);
    char err[RB_ERRLEN];
    struct config cfg;
    struct diags d = {0};
    config_load_builtin(&cfg, &d);
    cfg.backups_kept = 0;
    /* An agency with a very long name; the partnership and plan names long too. */
    free(cfg.agencies[0].name);
    cfg.agencies[0].name = long_text("Shropshire Council ", 1000);
    free(cfg.partnership_name);
    cfg.partnership_name = long_text("Partnership ", 600);
    free(cfg.plan_title);
    cfg.plan_title = long_text("Plan ", 600);
    struct store *st;
    if (store_open(path, STORE_CREATE, &st, err) != 0 || store_sync_config(st, &cfg, &d, err) != 0 ||
        demo_seed(st, &cfg, date_today(), err) != 0) {
        fprintf(stderr, "setting up: %s\n", err);
        return 2;
    }
    diags_free(&d);
    int64_t obj;
    char *objective = long_text("Objective ", 5000);
    char *title = long_text("AAA ", 10000), *desc = long_text("Description ", 20000);
    char *owner = long_text("Officer ", 2000), *update = long_text("Update ", 20000);
    char *reason = long_text("Reason ", 3000);
    struct action a = {.ref = "PV-0.1", .title = title, .description = desc,
                       .strand = "PREVENT", .objective_ref = "PV-0", .lead = cfg.agencies[0].code,
                       .owner = owner, .partners = "WMP, NHS", .start = date_today() - 30,
                       .due = date_today() + 30};
    struct progress_update u = {.text = update, .progress = 40};
    int64_t meeting;
    if (store_objective_put(st, "PREVENT", "PV-0", objective, &obj, err) != 0 ||
        store_action_insert(st, &a, err) != 0 || (u.action_id = a.id) == 0 ||
        store_update_insert(st, &u, err) != 0 ||
        store_action_override(st, a.id, RAG_RED, reason, err) != 0 ||
        meeting_start(st, title, date_today(), owner, AGENDA_REF, &meeting, err) != 0) {
        fprintf(stderr, "long action: %s\n", err);
        return 2;
    }
    /* The walk (the open meeting) comes up first; then the board, the list with the long
     * action first, its detail, every form and help, at each size; then a resize storm. */
    const char *script =
        "<dump> A <dump> q <dump> q <dump> <Enter> <dump> <Enter> <dump> e <dump> <Esc> "
        "p <dump> <Esc> r <dump> <Esc> ? <dump> q / \"日本語 reunion\" <Enter> <dump> q q "
        "<resize 1x1> <dump> <resize 2x2> <dump> <resize 59x15> <dump> <resize 60x16> <dump> "
        "<resize 300x100> <dump> <resize 1x1> <resize 61x17> <dump>";
    static const int sizes[][2] = {{60, 16}, {80, 24}, {132, 43}, {200, 60}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char *out = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        char what[32];
        snprintf(what, sizeof what, "%dx%d", sizes[i][0], sizes[i][1]);
        if (tui_headless(st, &cfg, sizes[i][1], sizes[i][0], true, false, script, f, err) != 0)
            fail("%s: %s", what, err);
        fclose(f);
        int n = check_screens(out, what);
        if (n < 15)
            fail("%s: only %d screens drawn", what, n);
        if (i == 1 && !strstr(out, "AAA Prevent"))
            fail("%s: the long title is not on any screen", what);
        free(out);
    }
    store_close(st);
    config_free(&cfg);
    free(objective);
    free(title);
    free(desc);
    free(owner);
    free(update);
    free(reason);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        failures++;
    free(cmd);
    free(path);
    if (failures) {
        fprintf(stderr, "%d failures\n", failures);
        return 1;
    }
    printf("ok: long text on every screen, at every size, fits\n");
    return 0;
}

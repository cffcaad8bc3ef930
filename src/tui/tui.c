/* The main loop: terminal set-up, input, resize, signals, header, hint bar and help. */
#include "tui/tui.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

#include "cli/cli.h"
#include "ragboard/util.h"
#include "tui/screen.h"

/* Smallest terminal the screens are laid out for. */
#define MIN_COLS 60
#define MIN_ROWS 16

static volatile sig_atomic_t stop_signal;
static const char *crash_restore; /* terminal reset sequence, written on a crash */

static void on_stop(int sig)
{
    stop_signal = sig;
}

static void on_crash(int sig)
{
    if (crash_restore)
        (void)!write(STDOUT_FILENO, crash_restore, strlen(crash_restore));
    static const char msg[] = "\r\nragboard crashed; your saved changes are in the database.\r\n";
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
}

attr_t ui_rag_attr(const struct ui *ui, enum rag r)
{
    attr_t bold = r == RAG_RED ? A_BOLD : A_NORMAL;
    if (!ui->colour)
        return bold;
    switch (r) {
    case RAG_RED: return COLOR_PAIR(PAIR_RED) | bold;
    case RAG_AMBER: return COLOR_PAIR(PAIR_AMBER);
    case RAG_GREEN: return COLOR_PAIR(PAIR_GREEN);
    case RAG_COMPLETE: return COLOR_PAIR(PAIR_COMPLETE);
    default: return A_NORMAL;
    }
}

static void setup_colour(struct ui *ui)
{
    const char *no_color = getenv("NO_COLOR");
    ui->colour = has_colors() && !(no_color && *no_color);
    if (!ui->colour)
        return;
    start_color();
    use_default_colors(); /* keep the terminal's own background */
    init_pair(PAIR_RED, COLOR_RED, -1);
    init_pair(PAIR_AMBER, COLOR_YELLOW, -1);
    init_pair(PAIR_GREEN, COLOR_GREEN, -1);
    init_pair(PAIR_COMPLETE, COLOR_BLUE, -1);
    init_pair(PAIR_TITLE, COLOR_CYAN, -1);
}

static void draw_header(const struct ui *ui, const struct partnership *p)
{
    int cols = COLS;
    char today[RB_DATE_BUF];
    move(0, 0);
    clrtoeol();
    attron(A_REVERSE);
    mvhline(0, 0, ' ', cols);
    char *left = xasprintf(" %s: %s", p->name, p->plan_title);
    const char *db = strrchr(store_path(ui->st), '/');
    db = db ? db + 1 : store_path(ui->st);
    char *right = xasprintf("Threat %s  %s  %s%s ", threat_word(p->threat),
                            date_format_uk(ui->today, today), db,
                            store_is_readonly(ui->st) ? " (read-only)" : "");
    int rlen = (int)strlen(right);
    mvaddnstr(0, 0, left, rlen + 1 < cols ? cols - rlen - 1 : cols);
    if (rlen < cols)
        mvaddstr(0, cols - rlen, right);
    attroff(A_REVERSE);
    free(left);
    free(right);
}

static void draw_hints(const struct ui *ui)
{
    int y = LINES - 1;
    move(y, 0);
    clrtoeol();
    if (ui->status[0]) {
        addnstr(ui->status, COLS);
        return;
    }
    char buf[16];
    for (int i = 1; i < ACT_COUNT; i++) {
        if (!action_table[i].hint)
            continue;
        if (getcurx(stdscr) + 20 > COLS)
            break;
        attron(A_REVERSE);
        printw("%s", ui_key_name(action_table[i].key, buf));
        attroff(A_REVERSE);
        printw(" %s  ", action_table[i].help);
    }
}

static void draw_too_small(void)
{
    erase();
    char msg[128];
    snprintf(msg, sizeof msg, "Terminal too small: %dx%d. ragboard needs at least %dx%d.",
             COLS, LINES, MIN_COLS, MIN_ROWS);
    mvaddnstr(0, 0, msg, COLS);
    if (LINES > 1)
        mvaddnstr(1, 0, "Enlarge the window, or press Q to quit.", COLS);
    move(0, 0);
}

/* Help: every key in the action table. */
static void draw_help(WINDOW *w)
{
    werase(w);
    int rows = getmaxy(w), cols = getmaxx(w);
    wattron(w, A_BOLD);
    mvwaddnstr(w, 0, 0, "Keys (any key closes this help)", cols);
    wattroff(w, A_BOLD);
    char k1[16], k2[16];
    for (int i = 1, y = 2; i < ACT_COUNT && y < rows; i++, y++) {
        const struct action_info *a = &action_table[i];
        char keys[40];
        if (a->alias)
            snprintf(keys, sizeof keys, "%s, %s", ui_key_name(a->key, k1), ui_key_name(a->alias, k2));
        else
            snprintf(keys, sizeof keys, "%s", ui_key_name(a->key, k1));
        mvwprintw(w, y, 0, "  %-14s %s", keys, a->help);
    }
    wmove(w, 0, 0);
}

/* Move stderr to a temporary file while curses owns the screen; returns the saved fd. */
static int stderr_to_log(FILE **log)
{
    *log = tmpfile();
    if (!*log)
        return -1;
    int saved = dup(STDERR_FILENO);
    dup2(fileno(*log), STDERR_FILENO);
    return saved;
}

static void stderr_restore(int saved, FILE *log)
{
    if (saved < 0)
        return;
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    rewind(log);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, log)) > 0)
        fwrite(buf, 1, n, stderr);
    fclose(log);
}

int tui_run(struct store *st, const struct config *cfg)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "ragboard: the full-screen program needs a terminal; for scripts use "
                        "'ragboard export' or 'ragboard check'\n");
        return EXIT_USAGE;
    }
    const char *term = getenv("TERM");
    if (!term || !*term || strcmp(term, "dumb") == 0) {
        fprintf(stderr, "ragboard: this terminal (TERM=%s) cannot show the full-screen "
                        "program; set TERM (for example xterm-256color), or use "
                        "'ragboard export --format csv'\n", term ? term : "");
        return EXIT_USAGE;
    }
    if (!getenv("ESCDELAY"))
        setenv("ESCDELAY", "25", 0);
    FILE *log;
    int saved_err = stderr_to_log(&log);
    if (!newterm(NULL, stdout, stdin)) {
        stderr_restore(saved_err, log);
        fprintf(stderr, "ragboard: cannot start the screen for TERM=%s; try TERM=xterm\n", term);
        return EXIT_USAGE;
    }
    char *rmcup = tigetstr("rmcup");
    static char restore[256];
    snprintf(restore, sizeof restore, "%s\033[0m\033[?25h",
             rmcup && rmcup != (char *)-1 ? rmcup : "");
    crash_restore = restore;
    install_signals();
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    timeout(250);

    struct ui ui = {.st = st, .cfg = cfg, .today = date_today()};
    setup_colour(&ui);
    struct partnership part;
    char err[RB_ERRLEN];
    if (store_partnership(st, &part, err) != 0)
        part = (struct partnership){xstrdup(cfg->partnership_name), xstrdup(cfg->plan_title),
                                    cfg->threat, cfg->ctlp_briefing};
    struct screen *screen = board_new(&ui);
    WINDOW *body = newwin(LINES > 2 ? LINES - 2 : 1, COLS, 1, 0);
    bool help = false, dirty = true;
    enum verdict v = V_STAY;
    while (v != V_QUIT && !stop_signal) {
        if (dirty) {
            if (COLS < MIN_COLS || LINES < MIN_ROWS) {
                draw_too_small();
                refresh();
            } else {
                wresize(body, LINES - 2, COLS);
                mvwin(body, 1, 0);
                draw_header(&ui, &part);
                draw_hints(&ui);
                wnoutrefresh(stdscr);
                if (help)
                    draw_help(body);
                else
                    screen->ops->draw(screen, body);
                wmove(body, screen->cursor_y, screen->cursor_x);
                wnoutrefresh(body);
                doupdate();
            }
            dirty = false;
        }
        int ch = getch();
        if (ch == ERR)
            continue;
        dirty = true;
        ui.status[0] = '\0';
        if (ch == KEY_RESIZE)
            continue;
        enum ui_action a = key_action(ch);
        if (COLS < MIN_COLS || LINES < MIN_ROWS) {
            if (a == ACT_QUIT || a == ACT_BACK)
                v = V_QUIT;
            continue;
        }
        if (help) {
            help = false;
            continue;
        }
        switch (a) {
        case ACT_HELP: help = true; break;
        case ACT_REDRAW: clearok(curscr, TRUE); break;
        case ACT_QUIT: v = V_QUIT; break;
        case ACT_NONE: {
            char buf[16];
            snprintf(ui.status, sizeof ui.status, "Key %s does nothing here; press ? for help",
                     ui_key_name(ch, buf));
            break;
        }
        default: v = screen->ops->key(screen, a); break;
        }
    }
    screen->ops->destroy(screen);
    delwin(body);
    partnership_free(&part);
    endwin();
    crash_restore = NULL;
    stderr_restore(saved_err, log);
    if (stop_signal)
        fprintf(stderr, "ragboard: stopped by signal %d; every saved change is in %s\n",
                (int)stop_signal, store_path(st));
    return EXIT_OK;
}

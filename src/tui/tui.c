/* The real terminal: set-up, signals, crash restore, stderr log, and the key loop. */
#include "tui/tui.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "ragboard/util.h"
#include "tui/input.h"
#include "tui/paste.h"
#include "tui/screen.h"

static volatile sig_atomic_t stop_signal;

/* For LeakSanitizer builds: when newterm fails (an unknown TERM) ncurses keeps the
 * "pre-screen" it made until the process ends, with no way to free it. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:new_prescr\n";
}

static char crash_restore[256]; /* terminal reset sequence, written on a crash */
static struct termios crash_tio; /* the terminal's own settings, put back on a crash */
static volatile sig_atomic_t crash_tio_saved;
static volatile sig_atomic_t crash_err_fd = -1; /* the real stderr while it goes to a log */

static void on_stop(int sig)
{
    stop_signal = sig;
}

static void on_crash(int sig)
{
    if (crash_restore[0])
        (void)!write(STDOUT_FILENO, crash_restore, strlen(crash_restore));
    if (crash_tio_saved) /* tcsetattr is async-signal-safe: echo and line editing back */
        tcsetattr(STDIN_FILENO, TCSANOW, &crash_tio);
    static const char msg[] = "\r\nragboard crashed; every change it reported saved is in the "
                              "database.\r\n";
    (void)!write(crash_err_fd >= 0 ? crash_err_fd : STDERR_FILENO, msg, sizeof msg - 1);
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
    sa.sa_flags = (int)SA_RESETHAND;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
}

bool tui_colour_wanted(void)
{
    const char *no_color = getenv("NO_COLOR");
    return has_colors() && !(no_color && *no_color);
}

void tui_setup_colour(bool colour)
{
    if (!colour)
        return;
    start_color();
    use_default_colors(); /* keep the terminal's own background */
    init_pair(PAIR_RED, COLOR_RED, -1);
    init_pair(PAIR_AMBER, COLOR_YELLOW, -1);
    init_pair(PAIR_GREEN, COLOR_GREEN, -1);
    init_pair(PAIR_COMPLETE, COLOR_BLUE, -1);
    init_pair(PAIR_TITLE, COLOR_CYAN, -1);
    init_pair(PAIR_ERROR, COLOR_RED, -1);
}

void tui_setup_input(void)
{
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    intrflush(stdscr, FALSE);
}

/* Move stderr to a temporary file while curses owns the screen; returns the saved fd. */
static int stderr_to_log(FILE **log)
{
    *log = tmpfile();
    if (!*log)
        return -1;
    fflush(stderr);
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

int tui_run(struct store *st, const struct config *cfg, bool present)
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
        set_escdelay(25);
    FILE *log;
    int saved_err = stderr_to_log(&log);
    crash_err_fd = saved_err;
    tui_restrict_signals();
    crash_tio_saved = tcgetattr(STDIN_FILENO, &crash_tio) == 0;
    SCREEN *scr = newterm(NULL, stdout, stdin);
    if (!scr) {
        stderr_restore(saved_err, log);
        fprintf(stderr, "ragboard: cannot start the screen for TERM=%s (unknown terminal?); "
                        "try TERM=xterm or TERM=vt100\n", term);
        return EXIT_USAGE;
    }
    /* A terminal that cannot move its cursor (a glass or paper terminal) would only
     * scroll garbage. */
    char *cup = tigetstr("cup");
    if (!cup || cup == (char *)-1 || tigetflag("hc") > 0) {
        endwin();
        delscreen(scr);
        stderr_restore(saved_err, log);
        fprintf(stderr, "ragboard: this terminal (TERM=%s) cannot move its cursor, so it "
                        "cannot show the full-screen program; try TERM=vt100, or use "
                        "'ragboard export --format csv'\n", term);
        return EXIT_USAGE;
    }
    char *rmcup = tigetstr("rmcup");
    snprintf(crash_restore, sizeof crash_restore, "%s" PASTE_OFF "\033[0m\033[?25h\r\n",
             rmcup && rmcup != (char *)-1 ? rmcup : "");
    install_signals();
    tui_setup_input();
    /* Ctrl-S saves a form: take it (and Ctrl-Q) back from terminal flow control. endwin
     * restores the terminal's own settings. */
    struct termios tio;
    if (tcgetattr(STDIN_FILENO, &tio) == 0) {
        tio.c_iflag &= ~(tcflag_t)IXON;
        tui_restrict_termios(&tio);
        tcsetattr(STDIN_FILENO, TCSANOW, &tio);
        def_prog_mode();
    }
    input_setup(cfg->mouse);
    paste_enable();
    bool colour = tui_colour_wanted();
    tui_setup_colour(colour);

    struct app app;
    app_init(&app, st, cfg, colour, present);
    app_watch_start(&app);
    bool running = true;
    bool waiting = false; /* keys are waiting (a paste): take them all, then draw */
    bool reading = false; /* the screen reads ahead while no key waits */
    bool drawn = false;   /* the frame on the terminal is up to date */
    while (running && !stop_signal) {
        if (!waiting && !drawn) {
            app_draw(&app);
            doupdate();
            drawn = true;
            reading = app_prefetch(&app);
        }
        struct keypress k;
        waiting = input_read(&k, waiting || reading ? 0 : 250);
        if (waiting) {
            running = app_key(&app, &k);
            drawn = false;
        } else if (drawn && reading) { /* idle: a step of reading ahead */
            reading = app_prefetch(&app);
        } else if (drawn) { /* idle: has another program changed the plan? */
            app_watch_tick(&app);
            drawn = false;
        }
    }
    /* Every edit commits in its own transaction; anything still open is rolled back. */
    store_rollback(st);
    app_free(&app);
    paste_disable();
    endwin();
    delscreen(scr);
    crash_restore[0] = '\0';
    crash_tio_saved = 0;
    crash_err_fd = -1;
    stderr_restore(saved_err, log);
    if (stop_signal)
        fprintf(stderr, "ragboard: stopped by signal %d; every saved change is in %s\n",
                (int)stop_signal, store_path(st));
    return EXIT_OK;
}

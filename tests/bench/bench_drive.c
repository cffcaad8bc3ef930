/* Drive a full-screen program on its own pseudo-terminal and time what it shows.
 *   bench_drive [--rows R] [--cols C] [--quiet MS] [--timeout MS] [--trace FILE]
 *               SCRIPT -- COMMAND [ARG...]
 * COMMAND runs on a new pty of R x C (default 40 x 120) with TERM=xterm-256color. SCRIPT
 * is a file of steps, one a line (# starts a comment):
 *   ready LABEL TEXT      wait until TEXT has appeared in the output since the start,
 *                         then until the screen settles; report LABEL with the time from
 *                         the start of the program
 *   key LABEL KEYS        send KEYS, wait until the screen settles, report LABEL
 *   send KEYS             send KEYS and wait until the screen settles; report nothing
 *   expect TEXT           fail unless TEXT was in the output of the last step
 *   elapsed LABEL         report LABEL with the time from the start of the program to
 *                         the end of the last step (its last byte), less the driver's
 *                         own waits between steps (the quiet period before each key):
 *                         the time a user who typed ahead would wait
 *   end KEYS              send KEYS and wait for the program to exit
 * KEYS is text with C escapes: \r Enter, \t Tab, \e Esc, \x13 Ctrl-S, \\ backslash;
 * "\s" is a space.
 *
 * The screen is settled when the program has written something and then nothing more
 * for the quiet period (default 15 ms). A step's time runs from sending its keys (or
 * from the fork, for ready) to the last byte written before the quiet period: the quiet
 * period itself is never counted. A step after which nothing is written within the
 * timeout (default 20 s) fails.
 *
 * Output, one line per measured step: "LABEL<TAB>microseconds<TAB>bytes<TAB>cpu<TAB>
 * waited": the time, the bytes written, and the program's own CPU time and its time
 * waiting for a CPU over the step, in microseconds (from /proc/PID/schedstat; on a busy
 * machine the time includes what others' work made it wait, the CPU time does not);
 * then "peak_rss_kb<TAB>N" (wait4's ru_maxrss of the program) and "exit<TAB>status". */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int master = -1;
static char schedstat_path[64];

/* The program's CPU time and its time spent waiting to run, in microseconds. */
static void cpu_times(int64_t *cpu, int64_t *waited)
{
    *cpu = *waited = 0;
    FILE *f = fopen(schedstat_path, "r");
    if (!f)
        return;
    long long run = 0, delay = 0;
    if (fscanf(f, "%lld %lld", &run, &delay) == 2) {
        *cpu = run / 1000;
        *waited = delay / 1000;
    }
    fclose(f);
}
static pid_t child = -1;
static FILE *trace;
static int quiet_ms = 15, timeout_ms = 20000;

/* Output of the current step (and, for ready, everything since the start). */
static char *out;
static size_t out_len, out_cap;

static void out_add(const char *p, size_t n)
{
    if (out_len + n + 1 > out_cap) {
        out_cap = (out_len + n + 1) * 2;
        out = realloc(out, out_cap);
        if (!out) {
            perror("bench_drive");
            exit(1);
        }
    }
    memcpy(out + out_len, p, n);
    out_len += n;
    out[out_len] = '\0';
}

static bool out_has(const char *text)
{
    return out_len && memmem(out, out_len, text, strlen(text)) != NULL;
}

/* Read what is there, waiting at most ms (-1: forever). Returns bytes read, 0 on
 * timeout, -1 when the program has closed the terminal. Sets *last to the time of the
 * last byte. */
static ssize_t pump(int ms, int64_t *last)
{
    struct pollfd p = {.fd = master, .events = POLLIN};
    int r = poll(&p, 1, ms);
    if (r < 0)
        return errno == EINTR ? 0 : -1;
    if (r == 0)
        return 0;
    char buf[65536];
    ssize_t n = read(master, buf, sizeof buf);
    if (n <= 0)
        return n == 0 || errno != EINTR ? -1 : 0;
    *last = now_us();
    out_add(buf, (size_t)n);
    if (trace)
        fwrite(buf, 1, (size_t)n, trace);
    return n;
}

/* Wait for output (and, if text is given, for text to be in it), then for the quiet
 * period. Returns the time of the last byte, or -1. */
static int64_t settle(const char *text, int64_t since)
{
    int64_t last = 0;
    for (;;) {
        bool seen = out_len > 0 && (!text || out_has(text));
        int wait = seen ? quiet_ms : (int)(timeout_ms - (now_us() - since) / 1000);
        if (!seen && wait <= 0)
            return -1;
        ssize_t n = pump(wait, &last);
        if (n < 0)
            return seen ? last : -1;
        if (n == 0 && seen)
            return last;
    }
}

/* Decode a KEYS argument into buf; returns its length. */
static size_t decode(const char *s, char *buf, size_t cap)
{
    size_t n = 0;
    for (; *s && n + 1 < cap; s++) {
        if (*s != '\\' || !s[1]) {
            buf[n++] = *s;
            continue;
        }
        s++;
        switch (*s) {
        case 'r': buf[n++] = '\r'; break;
        case 'n': buf[n++] = '\n'; break;
        case 't': buf[n++] = '\t'; break;
        case 'e': buf[n++] = '\033'; break;
        case 's': buf[n++] = ' '; break;
        case 'x': {
            unsigned v = 0;
            int k = 0;
            while (k < 2 && ((s[1] >= '0' && s[1] <= '9') || (s[1] >= 'a' && s[1] <= 'f') ||
                             (s[1] >= 'A' && s[1] <= 'F'))) {
                s++;
                v = v * 16 + (unsigned)(*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
                k++;
            }
            buf[n++] = (char)v;
            break;
        }
        default: buf[n++] = *s; break;
        }
    }
    return n;
}

static void send_keys(const char *keys)
{
    char buf[1024];
    size_t n = decode(keys, buf, sizeof buf);
    for (size_t off = 0; off < n;) {
        ssize_t w = write(master, buf + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            perror("bench_drive: writing to the terminal");
            exit(1);
        }
        off += (size_t)w;
    }
}

static void fail(int line, const char *what)
{
    fprintf(stderr, "bench_drive: script line %d: %s\n", line, what);
    if (child > 0)
        kill(child, SIGKILL);
    exit(1);
}

/* Split "WORD REST" in place: returns REST (or "" when none). */
static char *split(char *s)
{
    char *sp = strchr(s, ' ');
    if (!sp)
        return s + strlen(s);
    *sp = '\0';
    return sp + 1;
}

static int run_script(FILE *f, int64_t started)
{
    char line[2048];
    int lineno = 0;
    int64_t settled = started; /* last byte of the last step */
    int64_t paused = 0;        /* the driver's own waits between steps (elapsed) */
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        char *arg = split(line);
        if (strcmp(line, "ready") == 0) {
            char *text = split(arg);
            int64_t t = settle(text, started);
            if (t < 0)
                fail(lineno, "the program never showed its screen");
            int64_t cpu, waited;
            cpu_times(&cpu, &waited);
            printf("%s\t%lld\t%zu\t%lld\t%lld\n", arg, (long long)(t - started), out_len,
                   (long long)cpu, (long long)waited);
            out_len = 0;
            settled = t;
        } else if (strcmp(line, "key") == 0 || strcmp(line, "send") == 0) {
            bool report = line[0] == 'k';
            char *label = arg, *keys = report ? split(arg) : arg;
            /* Anything still arriving belongs to the previous step. */
            int64_t ignored;
            while (pump(0, &ignored) > 0)
                ;
            out_len = 0;
            int64_t cpu0, waited0, cpu1, waited1;
            cpu_times(&cpu0, &waited0);
            int64_t t0 = now_us();
            paused += t0 - settled;
            send_keys(keys);
            int64_t t = settle(NULL, t0);
            if (t < 0)
                fail(lineno, "nothing was written after the keys");
            cpu_times(&cpu1, &waited1);
            if (report)
                printf("%s\t%lld\t%zu\t%lld\t%lld\n", label, (long long)(t - t0), out_len,
                       (long long)(cpu1 - cpu0), (long long)(waited1 - waited0));
            settled = t;
        } else if (strcmp(line, "elapsed") == 0) {
            int64_t cpu, waited;
            cpu_times(&cpu, &waited);
            printf("%s\t%lld\t0\t%lld\t%lld\n", arg, (long long)(settled - started - paused),
                   (long long)cpu, (long long)waited);
        } else if (strcmp(line, "expect") == 0) {
            if (!out_has(arg))
                fail(lineno, "the expected text was not written");
        } else if (strcmp(line, "end") == 0) {
            send_keys(arg);
            int64_t last;
            int64_t t0 = now_us();
            while (pump(100, &last) >= 0 && now_us() - t0 < (int64_t)timeout_ms * 1000)
                ;
            return 0;
        } else {
            fail(lineno, "unknown step");
        }
        fflush(stdout);
    }
    return 0;
}

int main(int argc, char **argv)
{
    int rows = 40, cols = 120, i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--rows") == 0 && i + 1 < argc)
            rows = atoi(argv[++i]);
        else if (strcmp(argv[i], "--cols") == 0 && i + 1 < argc)
            cols = atoi(argv[++i]);
        else if (strcmp(argv[i], "--quiet") == 0 && i + 1 < argc)
            quiet_ms = atoi(argv[++i]);
        else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
            timeout_ms = atoi(argv[++i]);
        else if (strcmp(argv[i], "--trace") == 0 && i + 1 < argc)
            trace = fopen(argv[++i], "w");
        else if (argv[i][0] != '-' && i + 1 < argc && strcmp(argv[i + 1], "--") == 0)
            break;
        else
            goto usage;
    }
    if (i + 2 >= argc || strcmp(argv[i + 1], "--") != 0)
        goto usage;
    FILE *script = fopen(argv[i], "r");
    if (!script) {
        perror(argv[i]);
        return 1;
    }
    char **cmd = argv + i + 2;
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    int64_t started = now_us();
    child = forkpty(&master, NULL, NULL, &ws);
    if (child < 0) {
        perror("forkpty");
        return 1;
    }
    if (child == 0) {
        setenv("TERM", "xterm-256color", 1);
        unsetenv("LINES");
        unsetenv("COLUMNS");
        execvp(cmd[0], cmd);
        perror(cmd[0]);
        _exit(127);
    }
    snprintf(schedstat_path, sizeof schedstat_path, "/proc/%d/schedstat", (int)child);
    run_script(script, started);
    fclose(script);
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    pid_t w;
    int64_t t0 = now_us();
    while ((w = wait4(child, &status, WNOHANG, &ru)) == 0) {
        if (now_us() - t0 > (int64_t)timeout_ms * 1000) {
            kill(child, SIGKILL);
            t0 = now_us();
        }
        int64_t last;
        if (pump(50, &last) < 0)
            usleep(1000);
    }
    printf("peak_rss_kb\t%ld\n", ru.ru_maxrss);
    printf("exit\t%d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    if (trace)
        fclose(trace);
    free(out);
    return 0;
usage:
    fprintf(stderr, "usage: bench_drive [--rows R] [--cols C] [--quiet MS] [--timeout MS] "
                    "[--trace FILE] SCRIPT -- COMMAND [ARG...]\n");
    return 2;
}

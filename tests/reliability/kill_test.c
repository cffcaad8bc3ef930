/* Kill ragboard at random moments, again and again, and check that nothing is lost:
 * after each SIGKILL the plan passes the integrity check, every edit reported saved is
 * there, a meeting edit and its minute are there together or not at all, and a killed
 * 'ragboard import' left either all of its rows or none.
 *   usage: kill_test RAGBOARD [ROUNDS]    (KILL_ROUNDS and KILL_SEED set them too)
 * Edits are made through the core, as the screens make them, in a child process that
 * writes "saved ..." to a pipe after each one returns; imports run the real program. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ragboard/config.h"
#include "ragboard/demo.h"
#include "ragboard/edit.h"
#include "ragboard/meeting.h"
#include "ragboard/store.h"
#include "ragboard/util.h"

#define IMPORT_ROWS 300
#define MAX_IDS 64

static char dir[] = "/tmp/rbkillXXXXXX";
static char db[128], csv[160];
static int64_t ids[MAX_IDS];
static int n_ids;
static int failures;

static void fail(int round, const char *fmt, ...) RB_PRINTF(2, 3);
static void fail(int round, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL (round %d): ", round);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    failures++;
}

static struct store *open_plan(const char *user)
{
    char err[RB_ERRLEN];
    struct store *st;
    if (store_open(db, 0, &st, err) != 0) {
        fprintf(stderr, "cannot open %s: %s\n", db, err);
        return NULL;
    }
    store_set_user(st, user);
    return st;
}

static long long count(struct store *st, const char *sql, const char *arg)
{
    sqlite3_stmt *s;
    long long n = -1;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
        return -1;
    if (arg)
        sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

static char *text_of(struct store *st, const char *sql, int64_t id)
{
    sqlite3_stmt *s;
    char *t = NULL;
    if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        t = xstrdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return t;
}

/* ---- the editing child ---------------------------------------------------------------- */

/* Edits one after another until killed: progress updates, title saves, manual ratings,
 * and meeting edits (an update and its minute in one transaction). Before each it writes
 * "try K ID VALUE", after each saved one "saved K ID VALUE". */
static void edit_forever(int out, int round)
{
    struct store *st = open_plan("killer");
    if (!st)
        _exit(3);
    struct meeting m;
    char err[RB_ERRLEN];
    if (meeting_find_open(st, &m, err) != 0)
        _exit(4);
    int64_t meeting = m.id;
    meeting_free(&m);
    srand((unsigned)(round * 7919 + getpid()));
    for (int n = 0;; n++) {
        int64_t id = ids[rand() % n_ids];
        char value[64];
        char kind = "UTOM"[n % 4];
        snprintf(value, sizeof value, "%c%d-%d", kind, round, n);
        dprintf(out, "try %c %lld %s\n", kind, (long long)id, value);
        int rc = 0;
        if (kind == 'U') {
            struct progress_update u = {.action_id = id, .text = value, .progress = n % 101};
            rc = store_update_insert(st, &u, err);
        } else if (kind == 'T') {
            struct action a;
            rc = store_action_get(st, id, &rag_default_thresholds, date_today(), &a, err);
            if (rc == 0) {
                free(a.title);
                a.title = xstrdup(value);
                rc = store_action_save(st, &a, err);
                action_free(&a);
            }
        } else if (kind == 'O') {
            rc = store_action_override(st, id, RAG_AMBER, value, err);
        } else {
            rc = store_begin(st, err);
            struct progress_update u = {.action_id = id, .text = value, .progress = -1};
            if (rc == 0)
                rc = store_update_insert(st, &u, err);
            if (rc == 0)
                rc = meeting_record(st, meeting, id, MINUTE_UPDATE, NULL, value, err);
            if (rc == 0)
                rc = store_commit(st, err);
            else
                store_rollback(st);
        }
        if (rc == 0)
            dprintf(out, "saved %c %lld %s\n", kind, (long long)id, value);
    }
}

struct report {
    char kind;
    int64_t id;
    char value[64];
    bool saved;
};

/* Every edit reported saved is in the plan; a title or rating is the last one saved or
 * the one being tried when the kill came; meeting updates and minutes go together. */
static void check_edits(int round, struct store *st, struct report *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct report *r = &v[i];
        if (!r->saved)
            continue;
        if (r->kind == 'U' || r->kind == 'M') {
            char sql[] = "SELECT count(*) FROM updates WHERE text = ?";
            if (count(st, sql, r->value) != 1)
                fail(round, "saved update %s is missing", r->value);
        }
        if (r->kind == 'M' &&
            count(st, "SELECT count(*) FROM minute_entries WHERE text = ?", r->value) != 1)
            fail(round, "minute of saved meeting edit %s is missing", r->value);
        if (r->kind == 'T' || r->kind == 'O') {
            /* the newest saved value of this kind for this action, or a later try */
            bool later_saved = false;
            for (size_t j = i + 1; j < n && !later_saved; j++)
                later_saved = v[j].saved && v[j].kind == r->kind && v[j].id == r->id;
            if (later_saved)
                continue;
            char *have = text_of(st, r->kind == 'T'
                                         ? "SELECT title FROM actions WHERE id = ?"
                                         : "SELECT override_reason FROM actions WHERE id = ?",
                                 r->id);
            bool ok = have && strcmp(have, r->value) == 0;
            for (size_t j = i + 1; j < n && !ok; j++)
                ok = !v[j].saved && v[j].kind == r->kind && v[j].id == r->id && have &&
                     strcmp(have, v[j].value) == 0;
            /* a later update clears a rating */
            for (size_t j = i + 1; j < n && !ok && r->kind == 'O'; j++)
                ok = v[j].id == r->id && (v[j].kind == 'U' || v[j].kind == 'M') && !have;
            if (!ok)
                fail(round, "action %lld has %s \"%s\", not the saved \"%s\"",
                     (long long)r->id, r->kind == 'T' ? "title" : "rating reason",
                     have ? have : "(none)", r->value);
            free(have);
        }
    }
    /* Atomic meeting edits: no update without its minute, whatever was reported. */
    long long orphans = count(st,
                              "SELECT count(*) FROM updates u WHERE u.text GLOB 'M[0-9]*-[0-9]*' AND NOT "
                              "EXISTS (SELECT 1 FROM minute_entries m WHERE m.text = u.text)",
                              NULL);
    if (orphans != 0)
        fail(round, "%lld meeting updates lack their minute", orphans);
    long long minutes = count(st,
                              "SELECT count(*) FROM minute_entries m WHERE m.text GLOB 'M[0-9]*-[0-9]*' "
                              "AND NOT EXISTS (SELECT 1 FROM updates u WHERE u.text = m.text)",
                              NULL);
    if (minutes != 0)
        fail(round, "%lld minutes lack their update", minutes);
}

static size_t read_reports(int fd, struct report **out)
{
    struct strbuf sb = {0};
    char buf[4096];
    ssize_t got;
    while ((got = read(fd, buf, sizeof buf)) > 0)
        sb_addn(&sb, buf, (size_t)got);
    size_t n = 0, cap = 0;
    struct report *v = NULL;
    for (char *line = sb.buf; line && *line;) {
        char *nl = strchr(line, '\n');
        if (!nl)
            break; /* a line cut by the kill */
        *nl = '\0';
        char word[8];
        struct report r = {0};
        long long id;
        if (sscanf(line, "%7s %c %lld %63s", word, &r.kind, &id, r.value) == 4) {
            r.id = id;
            r.saved = strcmp(word, "saved") == 0;
            if (n == cap) {
                cap = cap ? cap * 2 : 256;
                v = xrealloc(v, cap * sizeof *v);
            }
            v[n++] = r;
        }
        line = nl + 1;
    }
    sb_free(&sb);
    *out = v;
    return n;
}

/* ---- the import child ----------------------------------------------------------------- */

static void write_csv(int round)
{
    FILE *f = fopen(csv, "w");
    fprintf(f, "Ref,Key action,Lead,Timescale,Status\r\n");
    for (int i = 1; i <= IMPORT_ROWS; i++)
        fprintf(f, "PV-%d.%d,\"Imported in round %d, row %d\",SC,31/03/2027,On track\r\n",
                100 + round, i, round, i);
    fclose(f);
}

/* ---- rounds --------------------------------------------------------------------------- */

static void check_plan(int round)
{
    struct store *st = open_plan("checker");
    if (!st) {
        fail(round, "the plan cannot be opened after the kill");
        return;
    }
    struct diags d = {0};
    if (store_check(st, &d) != 0) {
        for (size_t i = 0; i < d.n; i++)
            fail(round, "check: %s", d.v[i].msg);
    }
    diags_free(&d);
    store_close(st);
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

static void edit_round(int round, long delay)
{
    int p[2];
    if (pipe(p) != 0)
        exit(2);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        if (round % 4 >= 2)
            setenv("RAGBOARD_NETFS", "1", 1); /* the rollback journal too */
        edit_forever(p[1], round);
    }
    close(p[1]);
    int failed_before = failures;
    sleep_ms(delay);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    if (!WIFSIGNALED(status))
        fail(round, "the editor ended by itself (status %d)", status);
    struct report *v;
    size_t n = read_reports(p[0], &v);
    close(p[0]);
    check_plan(round);
    struct store *st = open_plan("checker");
    if (st) {
        check_edits(round, st, v, n);
        store_close(st);
    }
    size_t saved = 0;
    for (size_t i = 0; i < n; i++)
        saved += v[i].saved;
    printf("round %d: edits, killed after %ld ms, %zu edits reported saved, %s\n", round,
           delay, saved, failures == failed_before ? "all there" : "SOME LOST");
    free(v);
}

static void import_round(int round, long delay, const char *ragboard)
{
    write_csv(round);
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        if (round % 4 >= 2)
            setenv("RAGBOARD_NETFS", "1", 1);
        execl(ragboard, ragboard, "import", csv, "--db", db, (char *)NULL);
        _exit(127);
    }
    sleep_ms(delay);
    int status;
    bool finished = waitpid(pid, &status, WNOHANG) == pid;
    if (!finished) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    bool completed = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        fail(round, "ragboard import exited %d", WEXITSTATUS(status));
    check_plan(round);
    struct store *st = open_plan("checker");
    if (!st)
        return;
    char like[32];
    snprintf(like, sizeof like, "PV-%d.*", 100 + round);
    long long n = count(st, "SELECT count(*) FROM actions WHERE ref GLOB ?", like);
    long long audited = count(st, "SELECT count(DISTINCT row_id) FROM audit WHERE tbl = "
                                  "'actions' AND op = 'insert' AND row_ref GLOB ?",
                              like);
    store_close(st);
    if (n != 0 && n != IMPORT_ROWS)
        fail(round, "a killed import left %lld of its %d rows", n, IMPORT_ROWS);
    if (completed && n != IMPORT_ROWS)
        fail(round, "a finished import left %lld of its %d rows", n, IMPORT_ROWS);
    if (audited != n)
        fail(round, "%lld imported rows but %lld audited", n, audited);
    printf("round %d: import, %s after %ld ms, %lld of %d rows (all or nothing)\n", round,
           completed ? "finished" : "killed", delay, n, IMPORT_ROWS);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: kill_test RAGBOARD [ROUNDS]\n");
        return 2;
    }
    const char *env = getenv("KILL_ROUNDS");
    int rounds = argc > 2 ? atoi(argv[2]) : env ? atoi(env) : 40;
    const char *seed_env = getenv("KILL_SEED");
    unsigned seed = seed_env ? (unsigned)strtoul(seed_env, NULL, 10) : (unsigned)time(NULL);
    srand(seed);
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("kill_test: %d rounds, seed %u (KILL_SEED=%u repeats this run)\n", rounds, seed,
           seed);
    if (!mkdtemp(dir))
        return 2;
    snprintf(db, sizeof db, "%s/plan.db", dir);
    snprintf(csv, sizeof csv, "%s/import.csv", dir);
    setenv("XDG_DATA_HOME", dir, 1);
    setenv("XDG_CONFIG_HOME", dir, 1);
    unsetenv("RAGBOARD_CONFIG");

    struct config cfg;
    struct diags d = {0};
    config_load_builtin(&cfg, &d);
    char err[RB_ERRLEN];
    struct store *st;
    int64_t meeting;
    if (store_open(db, STORE_CREATE, &st, err) != 0 || store_sync_config(st, &cfg, &d, err) != 0 ||
        demo_seed(st, &cfg, date_today(), err) != 0 ||
        meeting_start(st, "Killed meeting", date_today(), "chair", AGENDA_RAG, &meeting, err) !=
            0) {
        fprintf(stderr, "setting up: %s\n", err);
        return 2;
    }
    diags_free(&d);
    config_free(&cfg);
    sqlite3_stmt *s;
    sqlite3_prepare_v2(store_db(st), "SELECT id FROM actions ORDER BY ref LIMIT 12", -1, &s,
                       NULL);
    while (n_ids < MAX_IDS && sqlite3_step(s) == SQLITE_ROW)
        ids[n_ids++] = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    store_close(st);

    for (int r = 0; r < rounds; r++) {
        if (r % 2 == 0)
            edit_round(r, 30 + rand() % 570);
        else
            import_round(r, rand() % 400, argv[1]);
    }
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(cmd);
    if (failures) {
        fprintf(stderr, "kill_test: %d failures (KILL_SEED=%u)\n", failures, seed);
        return 1;
    }
    printf("kill_test: ok, %d kills survived\n", rounds);
    return 0;
}

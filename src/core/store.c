/* Opening, creating, migrating and checking the plan database. */
#include "store_internal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "ragboard/util.h"

/* Magic numbers of network file systems on which WAL's shared memory is unsafe. */
#define NFS_MAGIC 0x6969
#define SMB_MAGIC 0x517B
#define CIFS_MAGIC 0xFF534D42
#define SMB2_MAGIC 0xFE534D42
#define FUSE_MAGIC 0x65735546
#define V9FS_MAGIC 0x01021997
#define CEPH_MAGIC 0x00c36400
#define AFS_MAGIC 0x5346414F
#define CODA_MAGIC 0x73757245
#define NCP_MAGIC 0x564c

/* A page cache of up to 16 MiB keeps a large plan's list loads off the disk. */
#define PAGE_CACHE "PRAGMA cache_size=-16384"

int store_error(struct store *st, const char *what, char *err)
{
    if (!st || !st->db)
        return rb_fail(err, "%s: no database", what);
    /* What the user can do about the common failures, in words. */
    switch (sqlite3_extended_errcode(st->db)) {
    case SQLITE_BUSY:
    case SQLITE_BUSY_SNAPSHOT:
    case SQLITE_LOCKED:
        return rb_fail(err, "locked by another program for %d s; nothing saved, try again (%s)",
                       STORE_BUSY_MS / 1000, what);
    case SQLITE_FULL:
    case SQLITE_IOERR_WRITE:
    case SQLITE_IOERR_FSYNC:
    case SQLITE_IOERR_SHMSIZE:
        return rb_fail(err, "the disk is full or cannot be written; nothing saved, free some "
                            "space and try again (%s: %s)",
                       what, sqlite3_errmsg(st->db));
    case SQLITE_READONLY:
    case SQLITE_READONLY_DBMOVED:
        return rb_fail(err, "%s: the plan file cannot be written (%s); nothing was saved",
                       what, sqlite3_errmsg(st->db));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return rb_fail(err, "%s: the plan file is damaged (%s); restore a backup with "
                            "'ragboard restore'",
                       what, sqlite3_errmsg(st->db));
    default:
        return rb_fail(err, "%s: %s", what, sqlite3_errmsg(st->db));
    }
}

bool store_read_begin(struct store *st)
{
    return sqlite3_get_autocommit(st->db) &&
           sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

void store_read_end(struct store *st, bool began)
{
    if (began && sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int store_prepare(struct store *st, const char *sql, sqlite3_stmt **stmt, char *err)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) != SQLITE_OK)
        return store_error(st, "preparing a query", err);
    return 0;
}

int store_cached(struct store *st, const char *sql, sqlite3_stmt **stmt, char *err)
{
    for (size_t i = 0; i < st->n_cache; i++) {
        struct stmt_slot *c = &st->cache[i];
        if (strcmp(c->sql, sql) != 0)
            continue;
        if (c->busy) /* re-entered while in use: a statement of its own */
            return store_prepare(st, sql, stmt, err);
        c->busy = true;
        *stmt = c->stmt;
        return 0;
    }
    if (store_prepare(st, sql, stmt, err) != 0)
        return -1;
    if (st->n_cache < STORE_CACHE_MAX) /* else it is finalized when released */
        st->cache[st->n_cache++] = (struct stmt_slot){xstrdup(sql), *stmt, true};
    return 0;
}

void store_release(struct store *st, sqlite3_stmt *stmt)
{
    if (!stmt)
        return;
    for (size_t i = 0; i < st->n_cache; i++) {
        struct stmt_slot *c = &st->cache[i];
        if (c->stmt == stmt) {
            sqlite3_reset(stmt);
            sqlite3_clear_bindings(stmt);
            c->busy = false;
            return;
        }
    }
    sqlite3_finalize(stmt);
}

void store_bulk(struct store *st, bool on)
{
    st->bulk = on;
    st->key_next = st->key_end = 0;
    /* Each statement of a long transaction keeps a statement journal; in memory it is
     * a copy, on disk (past 64 KiB) a write per page. It takes effect at the next BEGIN.
     * (A writable store keeps no temporary tables for the change to drop.) The page
     * cache stays as it is: new rows take consecutive keys (store_key_run), so a bulk
     * write keeps to the last pages of most tables. */
    if (!st->readonly)
        sqlite3_exec(st->db, on ? "PRAGMA temp_store=MEMORY" : "PRAGMA temp_store=DEFAULT",
                     NULL, NULL, NULL);
}

int edit_capture(struct store *st, enum undo_kind kind, int64_t action_id, char *err)
{
    return st->bulk ? 0 : undo_capture(st, kind, action_id, err);
}

int bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
    return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(s, i);
}

int bind_date(sqlite3_stmt *s, int i, rb_day d)
{
    if (d == RB_NO_DATE)
        return sqlite3_bind_null(s, i);
    char buf[RB_DATE_BUF];
    return sqlite3_bind_text(s, i, date_format_iso(d, buf), -1, SQLITE_TRANSIENT);
}

char *col_text(sqlite3_stmt *s, int i, bool keep_null)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    if (!t)
        return keep_null ? NULL : xstrdup("");
    return xstrdup((const char *)t);
}

rb_day col_date(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    rb_day d;
    if (t && date_parse_iso((const char *)t, &d))
        return d;
    return RB_NO_DATE;
}

char *store_now(char *buf)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    /* Tests pin the whole time; rehearsals pin only the date. */
    const char *pin = getenv("RAGBOARD_NOW");
    rb_day pinned;
    if (pin && strlen(pin) == 20 && pin[10] == 'T' && pin[19] == 'Z') {
        char day10[11];
        memcpy(day10, pin, 10);
        day10[10] = '\0';
        if (date_parse_iso(day10, &pinned)) {
            memcpy(buf, pin, 21);
            return buf;
        }
    }
    const char *fixed = getenv("RAGBOARD_TODAY");
    rb_day day;
    if (fixed && *fixed && date_parse_iso(fixed, &day)) {
        int y, m, d;
        date_to_ymd(day, &y, &m, &d);
        tm.tm_year = y - 1900;
        tm.tm_mon = m - 1;
        tm.tm_mday = d;
    }
    strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

/* Start an atomic edit: a transaction of its own, or a savepoint inside the caller's. */
int edit_begin(struct store *st, bool *nested, char *err)
{
    if (st->readonly) {
        st->expect_id = 0;
        return rb_fail(err, "%s is open read-only; changes cannot be saved", st->path);
    }
    *nested = !sqlite3_get_autocommit(st->db);
    if (*nested && st->bulk)
        return 0; /* the caller's transaction is the unit: it rolls back as a whole */
    const char *sql = *nested ? "SAVEPOINT edit" : "BEGIN IMMEDIATE";
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        st->expect_id = 0;
        return store_error(st, "starting a change", err);
    }
    return 0;
}

int edit_end(struct store *st, bool nested, int rc, char *err)
{
    if (nested && st->bulk)
        return rc == 0 ? 0 : -1;
    if (rc == 0 && st->pending)
        rc = undo_seal(st, err);
    if (rc == 0 && !nested)
        rc = changes_flush(st, err);
    if (rc == 0) {
        const char *sql = nested ? "RELEASE edit" : "COMMIT";
        if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK) {
            undo_settle(st, nested, true);
            return 0;
        }
        store_error(st, "saving the change", err);
    }
    undo_settle(st, nested, false);
    if (nested)
        sqlite3_exec(st->db, "ROLLBACK TO edit; RELEASE edit", NULL, NULL, NULL);
    else
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

int step_done(struct store *st, sqlite3_stmt *s, const char *what, char *err)
{
    int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : store_error(st, what, err);
    store_release(st, s);
    return rc;
}

int64_t store_new_key(void)
{
    int64_t k = 0;
    while (k <= 0) {
        sqlite3_randomness(sizeof k, &k);
        k &= INT64_MAX;
    }
    return k;
}

/* Why a run of consecutive keys is as safe as random ones. Keys must not collide
 * across offline copies, which make keys independently and later exchange rows.
 * - Here: the run's whole range is checked free in this transaction (which holds the
 *   write lock), so no key of the run is taken in this copy.
 * - Against a key another copy makes at random: it lands in the n keys this run used
 *   with probability n / 2^63, the same as for n keys drawn at random.
 * - Against another copy's run of m keys: the two runs overlap only when their random
 *   bases fall within n + m of each other, probability about (n + m) / 2^63. Drawn at
 *   random, the n and m keys would meet with probability n * m / 2^63: a run is the
 *   safer of the two for any import of more than two rows.
 * The range check reads two primary-key ranges; a base whose range is taken (all but
 * impossible) is drawn again a few times before falling back to random keys. */
int store_key_run(struct store *st, char *err)
{
    st->key_next = st->key_end = 0;
    sqlite3_stmt *s;
    if (store_prepare(st,
                      "SELECT EXISTS (SELECT 1 FROM actions WHERE id BETWEEN ?1 AND ?2)"
                      " OR EXISTS (SELECT 1 FROM updates WHERE id BETWEEN ?1 AND ?2)"
                      " OR EXISTS (SELECT 1 FROM objectives WHERE id BETWEEN ?1 AND ?2)",
                      &s, err) != 0)
        return -1;
    int rc = 0;
    for (int tries = 0; tries < 8; tries++) {
        int64_t base = store_new_key();
        if (base > INT64_MAX - STORE_KEY_RUN)
            continue;
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, base);
        sqlite3_bind_int64(s, 2, base + STORE_KEY_RUN - 1);
        if (sqlite3_step(s) != SQLITE_ROW) {
            rc = store_error(st, "choosing keys for the new rows", err);
            break;
        }
        if (!sqlite3_column_int(s, 0)) {
            st->key_next = base;
            st->key_end = base + STORE_KEY_RUN;
            break;
        }
    }
    sqlite3_finalize(s);
    return rc;
}

int64_t store_key(struct store *st)
{
    if (st->key_next && st->key_next < st->key_end)
        return st->key_next++;
    return store_new_key();
}

static void sql_user(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    struct store *st = sqlite3_user_data(ctx);
    sqlite3_result_text(ctx, st->user, -1, SQLITE_TRANSIENT);
}

/* ragboard_bulk(): 1 while the store is in bulk mode (store_bulk), when the search
 * triggers leave the refresh to store_search_refresh_dirty. */
static void sql_bulk(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    struct store *st = sqlite3_user_data(ctx);
    sqlite3_result_int(ctx, st->bulk);
}

/* ragboard_now(): the time the audit log records (store_now, so RAGBOARD_TODAY holds). */
static void sql_now(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    char buf[21];
    sqlite3_result_text(ctx, store_now(buf), -1, SQLITE_TRANSIENT);
}

/* Order references naturally: PV-3.2 before PV-3.10. */
static int ref_order(const unsigned char *a, int na, const unsigned char *b, int nb)
{
    int i = 0, j = 0;
    while (i < na && j < nb) {
        if (isdigit(a[i]) && isdigit(b[j])) {
            while (i < na && a[i] == '0')
                i++;
            while (j < nb && b[j] == '0')
                j++;
            int si = i, sj = j;
            while (i < na && isdigit(a[i]))
                i++;
            while (j < nb && isdigit(b[j]))
                j++;
            if (i - si != j - sj)
                return (i - si) - (j - sj);
            int c = memcmp(a + si, b + sj, (size_t)(i - si));
            if (c)
                return c;
            continue;
        }
        int ca = toupper(a[i]), cb = toupper(b[j]);
        if (ca != cb)
            return ca - cb;
        i++;
        j++;
    }
    return (na - i) - (nb - j);
}

static int ref_collate(void *arg, int na, const void *va, int nb, const void *vb)
{
    (void)arg;
    return ref_order(va, na, vb, nb);
}

int store_ref_cmp(const char *a, const char *b)
{
    /* Most references differ early: compare the common prefix of plain bytes first. */
    size_t i = 0;
    while (a[i] && a[i] == b[i] && !isdigit((unsigned char)a[i]))
        i++;
    int c = ref_order((const unsigned char *)a + i, (int)strlen(a + i),
                      (const unsigned char *)b + i, (int)strlen(b + i));
    return c ? c : strcmp(a, b);
}

char *store_default_path(void)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && *xdg == '/')
        return xasprintf("%s/ragboard/plan.db", xdg);
    const char *home = getenv("HOME");
    return xasprintf("%s/.local/share/ragboard/plan.db", home && *home ? home : ".");
}

int store_mkdirs(const char *dir, char *err)
{
    char *p = xstrdup(dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST) {
            rb_fail(err, "cannot create folder %s: %s", p, strerror(errno));
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = 0;
    if (mkdir(p, 0700) != 0 && errno != EEXIST)
        rc = rb_fail(err, "cannot create folder %s: %s", p, strerror(errno));
    free(p);
    return rc;
}

static uint32_t be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* A file shorter than its header says was cut short (a copy stopped half way, a full
 * disk). Not while a journal or WAL file is beside it: recovery may still complete it. */
static int check_length(const char *path, const unsigned char *h, off_t size, char *err)
{
    static const char *const beside[] = {"-wal", "-journal"};
    for (size_t i = 0; i < sizeof beside / sizeof beside[0]; i++) {
        char *p = xasprintf("%s%s", path, beside[i]);
        struct stat sb;
        bool present = stat(p, &sb) == 0 && sb.st_size > 0;
        free(p);
        if (present)
            return 0;
    }
    uint32_t page = (uint32_t)h[16] << 8 | h[17];
    if (page == 1)
        page = 65536;
    uint32_t pages = be32(h + 28);
    bool size_valid = pages > 0 && memcmp(h + 24, h + 92, 4) == 0;
    if (page < 512 || (page & (page - 1)) != 0)
        return rb_fail(err, "%s is damaged (its header is not valid); it was left untouched. "
                            "Restore a backup with 'ragboard restore'", path);
    if (size_valid && (uint64_t)size < (uint64_t)page * pages)
        return rb_fail(err,
                       "%s is damaged: it is cut short (%lld bytes of %llu); it was left "
                       "untouched. Restore a backup with 'ragboard restore'",
                       path, (long long)size, (unsigned long long)page * pages);
    return 0;
}

/* Look at an existing file's header without opening it through SQLite, so that a
 * foreign or damaged file is refused before anything could write to it. */
int store_check_header(const char *path, char *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return rb_fail(err, "%s: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return rb_fail(err, "%s is a folder, not a plan database; give the path of a file",
                       path);
    if (!S_ISREG(sb.st_mode))
        return rb_fail(err, "%s is not a regular file", path);
    if (sb.st_size == 0)
        return rb_fail(err,
                       "%s is empty, not a ragboard database; remove it, or run "
                       "'ragboard init --db %s' after removing it",
                       path, path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return rb_fail(err, "cannot read %s: %s", path, strerror(errno));
    unsigned char h[100];
    ssize_t n = read(fd, h, sizeof h);
    close(fd);
    if (n < (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
        return rb_fail(err, "%s is not a ragboard database (not an SQLite file); it was left "
                            "untouched", path);
    uint32_t app = be32(h + 68);
    uint32_t ver = be32(h + 60);
    if (app != STORE_APPLICATION_ID)
        return rb_fail(err, "%s is an SQLite database but not a ragboard plan; it was left "
                            "untouched", path);
    if (ver > STORE_SCHEMA_VERSION)
        return rb_fail(err,
                       "%s was written by a newer ragboard (schema %u; this program knows up "
                       "to %d); upgrade ragboard to open it",
                       path, ver, STORE_SCHEMA_VERSION);
    return check_length(path, h, sb.st_size, err);
}

static int exec(struct store *st, const char *sql, char *err)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        rb_fail(err, "%s", msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int pragma_int(struct store *st, const char *sql, int *out)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(s) == SQLITE_ROW ? 0 : -1;
    if (rc == 0)
        *out = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return rc;
}

static bool on_network_fs(const char *path)
{
    /* For file systems statfs cannot tell apart (and for tests): RAGBOARD_NETFS=1. */
    const char *assume = getenv("RAGBOARD_NETFS");
    if (assume && strcmp(assume, "1") == 0)
        return true;
    struct statfs fs;
    if (statfs(path, &fs) != 0)
        return false;
    unsigned long m = (unsigned long)fs.f_type;
    return m == NFS_MAGIC || m == SMB_MAGIC || m == CIFS_MAGIC || m == SMB2_MAGIC ||
           m == FUSE_MAGIC || m == V9FS_MAGIC || m == CEPH_MAGIC || m == AFS_MAGIC ||
           m == CODA_MAGIC || m == NCP_MAGIC;
}

/* WAL where it works: set it, then prove it with a real write; else the rollback
 * journal. */
static void choose_journal(struct store *st)
{
    snprintf(st->journal, sizeof st->journal, "delete");
    if (st->readonly) {
        int wal = 0;
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode", -1, &s, NULL) == SQLITE_OK) {
            if (sqlite3_step(s) == SQLITE_ROW)
                wal = strcmp((const char *)sqlite3_column_text(s, 0), "wal") == 0;
            sqlite3_finalize(s);
        }
        if (wal)
            snprintf(st->journal, sizeof st->journal, "wal");
        return;
    }
    if (on_network_fs(st->path)) {
        st->netfs = true;
        exec(st, "PRAGMA journal_mode=DELETE", NULL);
        return;
    }
    sqlite3_stmt *s;
    bool wal = false;
    if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            wal = strcmp((const char *)sqlite3_column_text(s, 0), "wal") == 0;
        sqlite3_finalize(s);
    }
    char probe[80];
    snprintf(probe, sizeof probe, "BEGIN IMMEDIATE; PRAGMA user_version=%d; COMMIT;",
             STORE_SCHEMA_VERSION);
    /* WAL's own setting before the probe, so that the probe costs no flush to disk. */
    if (wal && exec(st, "PRAGMA synchronous=NORMAL", NULL) == 0 && exec(st, probe, NULL) == 0) {
        snprintf(st->journal, sizeof st->journal, "wal");
        return;
    }
    exec(st, "ROLLBACK", NULL);
    exec(st, "PRAGMA synchronous=FULL", NULL);
    exec(st, "PRAGMA journal_mode=DELETE", NULL);
}

/* Functions, collation and timeouts every connection to a plan needs. */
static void setup_connection(struct store *st)
{
    sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_create_function(st->db, "ragboard_user", 0, SQLITE_UTF8, st, sql_user, NULL,
                            NULL);
    sqlite3_create_function(st->db, "ragboard_now", 0, SQLITE_UTF8, NULL, sql_now, NULL, NULL);
    sqlite3_create_function(st->db, "ragboard_bulk", 0, SQLITE_UTF8, st, sql_bulk, NULL, NULL);
    sqlite3_create_collation(st->db, "ragboard_ref", SQLITE_UTF8, NULL, ref_collate);
}

/* A WAL plan that may only be read, in a folder that may not be written, cannot get its
 * shared-memory index: read it as an unchanging file instead, when no WAL content is
 * waiting beside it (a reader then sees the plan as it was when opened). */
static int reopen_immutable(struct store *st)
{
    char *wal = xasprintf("%s-wal", st->path);
    struct stat sb;
    bool pending = stat(wal, &sb) == 0 && sb.st_size > 0;
    free(wal);
    if (pending)
        return -1;
    struct strbuf uri = {0};
    sb_add(&uri, "file:");
    for (const unsigned char *p = (const unsigned char *)st->path; *p; p++) {
        if (isalnum(*p) || strchr("/._-~", *p))
            sb_addc(&uri, (char)*p);
        else
            sb_addf(&uri, "%%%02X", *p);
    }
    sb_add(&uri, "?immutable=1");
    sqlite3_close_v2(st->db);
    st->db = NULL;
    int rc = sqlite3_open_v2(uri.buf, &st->db,
                             SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOFOLLOW |
                                 SQLITE_OPEN_EXRESCODE,
                             NULL);
    sb_free(&uri);
    if (rc != SQLITE_OK)
        return -1;
    setup_connection(st);
    return 0;
}

/* Before the first write to an existing plan of up to QUICK_CHECK_MAX bytes: SQLite's
 * quick check, so that a damaged file is refused rather than written to. (Bigger plans
 * rely on SQLite noticing damage as it reads, and on 'ragboard check'.) */
#define QUICK_CHECK_MAX (16L * 1024 * 1024)
static int quick_check(struct store *st, char *err)
{
    struct stat sb;
    if (stat(st->path, &sb) != 0 || sb.st_size > QUICK_CHECK_MAX)
        return 0;
    sqlite3_stmt *s;
    const char *problem = NULL;
    if (sqlite3_prepare_v2(st->db, "PRAGMA quick_check(1)", -1, &s, NULL) != SQLITE_OK) {
        problem = sqlite3_errmsg(st->db);
        s = NULL;
    } else if (sqlite3_step(s) != SQLITE_ROW) {
        problem = sqlite3_errmsg(st->db);
    } else if (strcmp((const char *)sqlite3_column_text(s, 0), "ok") != 0) {
        problem = (const char *)sqlite3_column_text(s, 0);
    }
    int rc = 0;
    if (problem) {
        int code = sqlite3_errcode(st->db) & 0xff;
        if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
            rc = store_error(st, "checking the plan", err);
        else
            rc = rb_fail(err, "%s is damaged (%s); it was left untouched. Restore a backup "
                              "with 'ragboard restore'",
                         st->path, problem);
    }
    sqlite3_finalize(s);
    return rc;
}

static int migrate(struct store *st, char *err)
{
    int version = 0;
    if (pragma_int(st, "PRAGMA user_version", &version) != 0)
        return store_error(st, "reading the schema version", err);
    if (version > STORE_SCHEMA_VERSION)
        return rb_fail(err, "%s was written by a newer ragboard (schema %d); upgrade ragboard",
                       st->path, version);
    if (version == STORE_SCHEMA_VERSION)
        return 0;
    if (st->readonly)
        return rb_fail(err, "%s needs upgrading to schema %d but is open read-only", st->path,
                       STORE_SCHEMA_VERSION);
    char msg[RB_ERRLEN];
    if (exec(st, "BEGIN EXCLUSIVE", msg) != 0)
        return rb_fail(err, "cannot lock %s to set it up: %s", st->path, msg);
    /* Another process may have migrated it while we waited for the lock. */
    if (pragma_int(st, "PRAGMA user_version", &version) != 0)
        version = -1;
    for (size_t i = 0; i < store_n_migrations && version >= 0; i++) {
        if (store_migrations[i].version <= version)
            continue;
        struct strbuf script = {0};
        for (const char *const *piece = store_migrations[i].sql; *piece; piece++)
            sb_add(&script, *piece);
        int failed = exec(st, script.buf, msg);
        sb_free(&script);
        if (failed) {
            exec(st, "ROLLBACK", NULL);
            return rb_fail(err, "upgrading %s to schema %d failed: %s", st->path,
                           store_migrations[i].version, msg);
        }
    }
    sqlite3_stmt *s;
    int rc = -1;
    if (sqlite3_prepare_v2(st->db, "INSERT OR IGNORE INTO strands (code, name, aim, sort) "
                                   "VALUES (?, ?, ?, ?)", -1, &s, NULL) == SQLITE_OK) {
        rc = 0;
        for (int i = 0; i < STRAND_COUNT && rc == 0; i++) {
            sqlite3_bind_text(s, 1, strands[i].code, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 2, strands[i].name, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 3, strands[i].aim, -1, SQLITE_STATIC);
            sqlite3_bind_int(s, 4, i);
            rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
            sqlite3_reset(s);
        }
        sqlite3_finalize(s);
    }
    char pragmas[96];
    snprintf(pragmas, sizeof pragmas, "PRAGMA application_id=%d; PRAGMA user_version=%d;",
             STORE_APPLICATION_ID, STORE_SCHEMA_VERSION);
    if (rc != 0 || version < 0 || exec(st, pragmas, msg) != 0 || exec(st, "COMMIT", msg) != 0) {
        if (rc != 0 || version < 0)
            snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(st->db));
        exec(st, "ROLLBACK", NULL);
        return rb_fail(err, "setting up %s failed: %s", st->path, msg);
    }
    return 0;
}

/* Create path with mode 0600 (and its folder 0700); false when it already exists. */
static int create_file(const char *path, bool *created, char *err)
{
    *created = false;
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        if (store_mkdirs(dir, err) != 0) {
            free(dir);
            return -1;
        }
    }
    free(dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        close(fd);
        *created = true;
        return 0;
    }
    if (errno == EEXIST)
        return 0;
    return rb_fail(err, "cannot create %s: %s", path, strerror(errno));
}

int store_open(const char *path, unsigned flags, struct store **out, char *err)
{
    *out = NULL;
    bool created = false;
    bool readonly = flags & STORE_READONLY;
    if (access(path, F_OK) != 0) {
        if (!(flags & STORE_CREATE) || readonly)
            return rb_fail(err,
                           "%s does not exist; run 'ragboard init --db %s' to create it, or "
                           "'ragboard --demo' to try the demo plan",
                           path, path);
        if (create_file(path, &created, err) != 0)
            return -1;
    }
    if (!created && store_check_header(path, err) != 0)
        return -1;
    if (!readonly && access(path, W_OK) != 0)
        readonly = true;

    struct store *st = xcalloc(1, sizeof *st);
    st->path = xstrdup(path);
    st->readonly = readonly;
    const char *user = getenv("USER");
    if (!user || !*user)
        user = getenv("LOGNAME");
    struct passwd *pw = (!user || !*user) ? getpwuid(getuid()) : NULL;
    if (pw)
        user = pw->pw_name;
    st->user = xstrdup(user && *user ? user : "unknown");
    int oflags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                 SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE;
    if (sqlite3_open_v2(path, &st->db, oflags, NULL) != SQLITE_OK) {
        rb_fail(err, "cannot open %s: %s", path,
                st->db ? sqlite3_errmsg(st->db) : "out of memory");
        store_close(st);
        return -1;
    }
    setup_connection(st);
    char msg[RB_ERRLEN];
    static const char pragmas[] = "PRAGMA foreign_keys=ON; " PAGE_CACHE;
    int failed = exec(st, pragmas, msg);
    if (failed && readonly && (sqlite3_errcode(st->db) & 0xff) == SQLITE_READONLY &&
        reopen_immutable(st) == 0)
        failed = exec(st, pragmas, msg);
    if (failed) {
        rb_fail(err, "%s: %s", path, msg);
        store_close(st);
        return -1;
    }
    if (!created && !readonly && quick_check(st, err) != 0) {
        store_close(st);
        return -1;
    }
    if (migrate(st, err) != 0) {
        store_close(st);
        if (created)
            unlink(path);
        return -1;
    }
    store_guard(st);
    choose_journal(st);
    if (rag_index_attach(st, err) != 0 || changes_attach(st, err) != 0) {
        store_close(st);
        return -1;
    }
    *out = st;
    return 0;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    changes_detach(st);
    undo_free(st->undo);
    undo_free(st->pending);
    for (size_t i = 0; i < st->n_cache; i++) {
        sqlite3_finalize(st->cache[i].stmt);
        free(st->cache[i].sql);
    }
    if (st->db)
        sqlite3_close_v2(st->db);
    free(st->path);
    free(st->user);
    free(st);
}

sqlite3 *store_db(struct store *st)
{
    return st->db;
}

const char *store_path(const struct store *st)
{
    return st->path;
}

bool store_is_readonly(const struct store *st)
{
    return st->readonly;
}

const char *store_journal_mode(const struct store *st)
{
    return st->journal;
}

void store_set_user(struct store *st, const char *user)
{
    free(st->user);
    st->user = xstrdup(user && *user ? user : "unknown");
}

const char *store_user(const struct store *st)
{
    return st->user;
}

int store_begin(struct store *st, char *err)
{
    if (st->readonly)
        return rb_fail(err, "%s is open read-only; changes cannot be saved", st->path);
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return store_error(st, "starting a change", err);
    return 0;
}

int store_commit(struct store *st, char *err)
{
    if (changes_flush(st, err) != 0) {
        store_rollback(st);
        return -1;
    }
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        store_error(st, "saving the change", err);
        store_rollback(st);
        return -1;
    }
    undo_outer_end(st, true);
    return 0;
}

void store_rollback(struct store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    undo_outer_end(st, false);
}

int store_check(struct store *st, struct diags *diags)
{
    int problems = 0;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK) {
        diags_add(diags, DIAG_ERROR, st->path, 0, "integrity check failed: %s",
                  sqlite3_errmsg(st->db));
        return -1;
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(s, 0);
        if (r && strcmp(r, "ok") != 0) {
            diags_add(diags, DIAG_ERROR, st->path, 0, "integrity check: %s", r);
            problems++;
        }
    }
    sqlite3_finalize(s);
    if (sqlite3_prepare_v2(st->db, "PRAGMA foreign_key_check", -1, &s, NULL) == SQLITE_OK) {
        while (sqlite3_step(s) == SQLITE_ROW) {
            diags_add(diags, DIAG_ERROR, st->path, 0,
                      "row %lld of table %s refers to a missing row in %s",
                      (long long)sqlite3_column_int64(s, 1), sqlite3_column_text(s, 0),
                      sqlite3_column_text(s, 2));
            problems++;
        }
        sqlite3_finalize(s);
    }
    return problems ? -1 : 0;
}

/* Backups through SQLite's online backup API, their rotation, and checked restores. */
#include "store_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ragboard/backup.h"
#include "ragboard/util.h"

char *backup_folder(const char *db_path)
{
    const char *slash = strrchr(db_path, '/');
    if (!slash)
        return xstrdup("backups");
    return xasprintf("%.*s/backups", (int)(slash - db_path), db_path);
}

/* The plan's file name without its folder and without ".db": "plan". Caller frees. */
static char *plan_stem(const char *db_path)
{
    const char *slash = strrchr(db_path, '/');
    const char *base = slash ? slash + 1 : db_path;
    size_t n = strlen(base);
    if (n > 3 && strcmp(base + n - 3, ".db") == 0)
        n -= 3;
    return xstrndup(base, n);
}

/* "YYYY-MM-DD-HHMMSS", UTC, now. */
static void stamp(char *buf, size_t n)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(buf, n, "%Y-%m-%d-%H%M%S", &tm);
}

static void remove_db_files(const char *path)
{
    static const char *const suffix[] = {"", "-journal", "-wal", "-shm"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char *p = xasprintf("%s%s", path, suffix[i]);
        unlink(p);
        free(p);
    }
}

/* Flush a finished file and the folder entry that names it to the disk. */
static int sync_file(const char *path, char *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 || fsync(fd) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return rb_fail(err, "cannot write %s to the disk: %s", path, strerror(e));
    }
    close(fd);
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        int dfd = open(*dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    free(dir);
    return 0;
}

/* Copy every page of from into to with the online backup API, waiting (up to the busy
 * timeout) for a writer to finish. Returns SQLITE_DONE, or SQLite's code with err. */
static int online_copy(sqlite3 *to, sqlite3 *from, const char *what, char *err)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) {
        rb_fail(err, "%s: %s", what, sqlite3_errmsg(to));
        return SQLITE_ERROR;
    }
    int rc, waited = 0;
    for (;;) {
        rc = sqlite3_backup_step(b, -1);
        if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && waited < STORE_BUSY_MS) {
            sqlite3_sleep(50);
            waited += 50;
            continue;
        }
        if (rc != SQLITE_OK)
            break;
    }
    sqlite3_backup_finish(b);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        rb_fail(err, "%s: the plan stayed locked by another program for %d seconds; try "
                     "again in a moment",
                what, STORE_BUSY_MS / 1000);
    else if ((rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR)
        rb_fail(err, "%s: the disk is full or cannot be written (%s)", what, sqlite3_errstr(rc));
    else if (rc != SQLITE_DONE)
        rb_fail(err, "%s: %s", what, sqlite3_errstr(rc));
    return rc;
}

/* Every row of PRAGMA integrity_check is "ok". */
static int integrity(sqlite3 *db, const char *path, char *err)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
        return rb_fail(err, "%s cannot be checked: %s", path, sqlite3_errmsg(db));
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(s, 0);
        if (!r || strcmp(r, "ok") != 0)
            rc = rb_fail(err, "%s fails the integrity check: %s", path, r ? r : "?");
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = rb_fail(err, "%s fails the integrity check: %s", path, sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return rc;
}

static int exec_one(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* Make dest (which must not exist) a checked copy of the database open on from. */
static int copy_into_new(sqlite3 *from, const char *dest, char *err)
{
    int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return rb_fail(err, errno == EEXIST ? "%s already exists; choose another name"
                                            : "cannot create %s: %s",
                       dest, strerror(errno));
    close(fd);
    sqlite3 *to = NULL;
    int rc = 0;
    if (sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) !=
        SQLITE_OK)
        rc = rb_fail(err, "cannot open %s: %s", dest, to ? sqlite3_errmsg(to) : "no memory");
    if (rc == 0) {
        sqlite3_busy_timeout(to, STORE_BUSY_MS);
        rc = online_copy(to, from, "copying the plan", err) == SQLITE_DONE ? 0 : -1;
    }
    /* A backup is a single file: the rollback journal, not WAL. */
    if (rc == 0 && exec_one(to, "PRAGMA journal_mode=DELETE") != 0)
        rc = rb_fail(err, "finishing %s: %s", dest, sqlite3_errmsg(to));
    if (rc == 0)
        rc = integrity(to, dest, err);
    if (to && sqlite3_close(to) != SQLITE_OK && rc == 0)
        rc = rb_fail(err, "closing %s failed", dest);
    if (rc == 0)
        rc = sync_file(dest, err);
    if (rc != 0)
        remove_db_files(dest);
    return rc;
}

int backup_to(struct store *st, const char *dest, char *err)
{
    char *dir = xstrdup(dest);
    char *slash = strrchr(dir, '/');
    int rc = 0;
    if (slash && slash != dir) {
        *slash = '\0';
        rc = store_mkdirs(dir, err);
    }
    free(dir);
    return rc == 0 ? copy_into_new(st->db, dest, err) : -1;
}

/* A free name "<dir>/<stem>-<tag>YYYY-MM-DD-HHMMSS.db" (-2, -3 ... when taken). */
static char *new_name(const char *dir, const char *stem, const char *tag)
{
    char when[32];
    stamp(when, sizeof when);
    for (int n = 1;; n++) {
        char *p = n == 1 ? xasprintf("%s/%s-%s%s.db", dir, stem, tag, when)
                         : xasprintf("%s/%s-%s%s-%d.db", dir, stem, tag, when, n);
        struct stat sb;
        if (lstat(p, &sb) != 0 || n >= 1000)
            return p;
        free(p);
    }
}

/* name is "<stem>-YYYY-MM-DD-HHMMSS[-N].db": one of this plan's rotated backups. */
static bool rotated_name(const char *name, const char *stem)
{
    size_t n = strlen(stem);
    if (strncmp(name, stem, n) != 0 || name[n] != '-')
        return false;
    const char *p = name + n + 1;
    static const char shape[] = "dddd-dd-dd-dddddd";
    for (size_t i = 0; shape[i]; i++, p++)
        if (shape[i] == 'd' ? !(*p >= '0' && *p <= '9') : *p != shape[i])
            return false;
    if (*p == '-') {
        p++;
        if (!(*p >= '1' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return strcmp(p, ".db") == 0;
}

struct old_backup {
    char *name;
    struct timespec mtime;
};

static int older_first(const void *a, const void *b)
{
    const struct old_backup *x = a, *y = b;
    if (x->mtime.tv_sec != y->mtime.tv_sec)
        return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
    if (x->mtime.tv_nsec != y->mtime.tv_nsec)
        return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Remove all but the newest keep of this plan's rotated backups in dir. */
static void rotate(const char *dir, const char *stem, int keep)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct old_backup *v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct stat sb;
        if (!rotated_name(e->d_name, stem) ||
            fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            v = xrealloc(v, cap * sizeof *v);
        }
        v[n++] = (struct old_backup){xstrdup(e->d_name), sb.st_mtim};
    }
    if (n)
        qsort(v, n, sizeof *v, older_first);
    for (size_t i = 0; i < n; i++) {
        if (i + (size_t)keep < n) {
            unlinkat(dirfd(d), v[i].name, 0);
            char *journal = xasprintf("%s-journal", v[i].name);
            unlinkat(dirfd(d), journal, 0);
            free(journal);
        }
        free(v[i].name);
    }
    free(v);
    closedir(d);
}

int backup_rotate(struct store *st, int keep, char **path, char *err)
{
    if (path)
        *path = NULL;
    if (keep <= 0)
        return 0;
    char *dir = backup_folder(st->path);
    char *stem = plan_stem(st->path);
    int rc = store_mkdirs(dir, err);
    char *dest = NULL;
    if (rc == 0) {
        dest = new_name(dir, stem, "");
        rc = copy_into_new(st->db, dest, err);
    }
    if (rc == 0)
        rotate(dir, stem, keep);
    if (rc == 0 && path)
        *path = dest;
    else
        free(dest);
    free(dir);
    free(stem);
    return rc;
}

/* One number from a query on db, or -1. */
static long long query_count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

int backup_verify(const char *path, char *what, char *err)
{
    char msg[RB_ERRLEN];
    if (store_check_header(path, msg) != 0)
        return rb_fail(err, "not a usable backup: %s", msg);
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL) !=
        SQLITE_OK) {
        rb_fail(err, "cannot read %s: %s", path, db ? sqlite3_errmsg(db) : "no memory");
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, STORE_BUSY_MS);
    int rc = integrity(db, path, err);
    long long app = rc == 0 ? query_count(db, "PRAGMA application_id") : 0;
    long long version = rc == 0 ? query_count(db, "PRAGMA user_version") : 0;
    if (rc == 0 && app != STORE_APPLICATION_ID)
        rc = rb_fail(err, "%s is not a ragboard plan (application_id %lld)", path, app);
    if (rc == 0 && (version < 1 || version > STORE_SCHEMA_VERSION))
        rc = rb_fail(err, "%s has schema %lld; this ragboard reads schemas 1 to %d", path,
                     version, STORE_SCHEMA_VERSION);
    long long fk = rc == 0 ? query_count(db, "SELECT count(*) FROM pragma_foreign_key_check")
                           : 0;
    if (rc == 0 && fk != 0)
        rc = rb_fail(err, "%s has %lld rows that refer to missing rows", path, fk);
    long long actions = rc == 0 ? query_count(db, "SELECT count(*) FROM actions") : 0;
    long long audit = rc == 0 ? query_count(db, "SELECT count(*) FROM audit") : 0;
    if (rc == 0 && (actions < 0 || audit < 0))
        rc = rb_fail(err, "%s lacks the plan's tables: %s", path, sqlite3_errmsg(db));
    if (rc == 0 && what)
        snprintf(what, RB_ERRLEN, "%lld action%s, %lld audit row%s", actions,
                 actions == 1 ? "" : "s", audit, audit == 1 ? "" : "s");
    sqlite3_close(db);
    return rc;
}

/* Copy the bytes of a file SQLite cannot read into a new file dest (mode 0600). */
static int copy_bytes(const char *src, const char *dest, char *err)
{
    int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (in < 0)
        return rb_fail(err, "cannot read %s: %s", src, strerror(errno));
    int out = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (out < 0) {
        int e = errno;
        close(in);
        return rb_fail(err, "cannot create %s: %s", dest, strerror(e));
    }
    char buf[65536];
    int rc = 0;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n < 0)
                rc = rb_fail(err, "cannot read %s: %s", src, strerror(errno));
            break;
        }
        for (ssize_t off = 0; rc == 0 && off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                rc = rb_fail(err, "cannot write %s: %s", dest, strerror(errno));
            else
                off += w;
        }
        if (rc != 0)
            break;
    }
    close(in);
    if (close(out) != 0 && rc == 0)
        rc = rb_fail(err, "cannot write %s: %s", dest, strerror(errno));
    if (rc == 0)
        rc = sync_file(dest, err);
    if (rc != 0)
        unlink(dest);
    return rc;
}

static bool same_file(const char *a, const char *b)
{
    struct stat x, y;
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* Keep the plan as it is now in the backup folder; *kept gets the copy's name. */
static int keep_current(const char *db_path, sqlite3 *live, char **kept, char *err)
{
    char *dir = backup_folder(db_path);
    char *stem = plan_stem(db_path);
    int rc = store_mkdirs(dir, err);
    if (rc == 0) {
        *kept = new_name(dir, stem, "replaced-");
        char msg[RB_ERRLEN];
        /* Through SQLite when it can read the plan; byte for byte when it is damaged. */
        if (!live || copy_into_new(live, *kept, msg) != 0)
            rc = copy_bytes(db_path, *kept, err);
        if (rc != 0) {
            free(*kept);
            *kept = NULL;
        }
    }
    free(dir);
    free(stem);
    return rc;
}

/* Put a fresh copy of src in place of a plan file SQLite cannot write into: made beside
 * it, then renamed over it once the old file's journals are gone. */
static int replace_file(const char *db_path, sqlite3 *src, char *err)
{
    char *fresh = xasprintf("%s.restoring", db_path);
    remove_db_files(fresh);
    int rc = copy_into_new(src, fresh, err);
    if (rc == 0) {
        static const char *const stale[] = {"-journal", "-wal", "-shm"};
        for (size_t i = 0; i < sizeof stale / sizeof stale[0]; i++) {
            char *p = xasprintf("%s%s", db_path, stale[i]);
            unlink(p);
            free(p);
        }
        if (rename(fresh, db_path) != 0)
            rc = rb_fail(err, "cannot put the restored plan in place at %s: %s", db_path,
                         strerror(errno));
        else
            rc = sync_file(db_path, err);
    }
    remove_db_files(fresh);
    free(fresh);
    return rc;
}

int backup_restore(const char *db_path, const char *src, char **kept, char *err)
{
    *kept = NULL;
    char what[RB_ERRLEN];
    if (backup_verify(src, what, err) != 0)
        return -1;
    struct stat sb;
    bool exists = lstat(db_path, &sb) == 0;
    if (exists && !S_ISREG(sb.st_mode))
        return rb_fail(err, "%s is not a regular file; nothing was restored", db_path);
    if (exists && same_file(db_path, src))
        return rb_fail(err, "%s is the plan itself; give a backup file", src);
    sqlite3 *from = NULL;
    if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW, NULL) !=
        SQLITE_OK) {
        rb_fail(err, "cannot read %s: %s", src, from ? sqlite3_errmsg(from) : "no memory");
        sqlite3_close(from);
        return -1;
    }
    sqlite3_busy_timeout(from, STORE_BUSY_MS);
    int rc = 0;
    if (!exists) {
        char *dir = xstrdup(db_path);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = '\0';
            rc = store_mkdirs(dir, err);
        }
        free(dir);
        if (rc == 0)
            rc = copy_into_new(from, db_path, err);
        sqlite3_close(from);
        return rc;
    }
    /* The plan as it is: readable by SQLite, or damaged. */
    sqlite3 *live = NULL;
    char msg[RB_ERRLEN];
    bool readable = store_check_header(db_path, msg) == 0 &&
                    sqlite3_open_v2(db_path, &live, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW,
                                    NULL) == SQLITE_OK;
    if (live)
        sqlite3_busy_timeout(live, STORE_BUSY_MS);
    if (readable && integrity(live, db_path, msg) != 0) {
        int code = sqlite3_errcode(live) & 0xff;
        if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
            rc = rb_fail(err, "the plan stayed locked by another program for %d seconds; "
                              "nothing was restored",
                         STORE_BUSY_MS / 1000);
        }
        readable = false;
    }
    if (rc == 0)
        rc = keep_current(db_path, readable ? live : NULL, kept, err);
    if (rc == 0 && readable) {
        /* One write transaction: programs with the plan open see the restore at once. */
        int code = online_copy(live, from, "restoring", err);
        if (code == SQLITE_BUSY || code == SQLITE_LOCKED || (code & 0xff) == SQLITE_FULL)
            rc = -1;
        else if (code != SQLITE_DONE)
            readable = false; /* SQLite cannot write into it: replace the file instead */
    }
    if (rc == 0 && !readable) {
        sqlite3_close(live);
        live = NULL;
        rc = replace_file(db_path, from, err);
    }
    if (rc == 0 && live)
        rc = integrity(live, db_path, err);
    sqlite3_close(live);
    sqlite3_close(from);
    return rc;
}

/* Output files for export commands: 0600, complete or absent, no silent overwrite. */
#include "cli/output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ragboard/restrict.h"
#include "ragboard/util.h"

static int exists_error(const char *path, char *err)
{
    return rb_fail(err, "%s already exists; add --force to replace it, or choose another name",
                   path);
}

int out_open(struct out_file *o, const char *path, bool force, char *err)
{
    memset(o, 0, sizeof *o);
    o->force = force;
    if (restrict_check_output(path, err) != 0) /* restricted: only in the exports folder */
        return -1;
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    struct stat sb;
    if (stat(path, &sb) == 0 && (S_ISCHR(sb.st_mode) || S_ISFIFO(sb.st_mode))) {
        /* A device or a pipe (/dev/stdout, /dev/null, a FIFO): write to it as it is.
         * Renaming a finished file over it would replace the device itself. */
        o->f = fopen(path, "wb");
        if (!o->f)
            return rb_fail(err, "cannot write %s: %s", path, strerror(errno));
        o->direct = true;
        return 0;
    }
    if (lstat(path, &sb) == 0) {
        if (!force)
            return exists_error(path, err);
        if (S_ISDIR(sb.st_mode))
            return rb_fail(err, "%s is a folder; give the name of a file", path);
    }
    /* mkstemp makes the file with mode 0600, whatever the umask. */
    o->tmp = xasprintf("%s.XXXXXX", path);
    int fd = mkstemp(o->tmp);
    o->f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!o->f) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        free(o->tmp);
        o->tmp = NULL;
        return rb_fail(err, "cannot write %s: %s", path, strerror(e));
    }
    o->path = xstrdup(path);
    return 0;
}

static void out_clear(struct out_file *o)
{
    free(o->tmp);
    free(o->path);
    o->tmp = o->path = NULL;
    o->f = NULL;
}

void out_abort(struct out_file *o)
{
    if (o->direct && o->f)
        fclose(o->f);
    if (o->tmp) {
        if (o->f)
            fclose(o->f);
        unlink(o->tmp);
    }
    out_clear(o);
}

int out_commit(struct out_file *o, char *err)
{
    if (!o->tmp) {
        int rc = fflush(o->f) == 0 && !ferror(o->f) ? 0
                                                    : rb_fail(err, "writing the output failed");
        if (o->direct && fclose(o->f) != 0 && rc == 0)
            rc = rb_fail(err, "writing the output failed");
        out_clear(o);
        return rc;
    }
    int rc = 0;
    if (fflush(o->f) != 0 || fsync(fileno(o->f)) != 0 || ferror(o->f))
        rc = rb_fail(err, "writing %s: %s", o->path, strerror(errno));
    if (fclose(o->f) != 0 && rc == 0)
        rc = rb_fail(err, "writing %s: %s", o->path, strerror(errno));
    o->f = NULL;
    if (rc == 0 && o->force) {
        if (rename(o->tmp, o->path) != 0)
            rc = rb_fail(err, "cannot put %s in place: %s", o->path, strerror(errno));
    } else if (rc == 0) {
        /* link() fails if the name was taken meanwhile: no window for an overwrite. */
        if (link(o->tmp, o->path) == 0) {
            unlink(o->tmp);
        } else if (errno == EEXIST) {
            rc = exists_error(o->path, err);
        } else if (access(o->path, F_OK) == 0) {
            rc = exists_error(o->path, err);
        } else if (rename(o->tmp, o->path) != 0) { /* a file system without hard links */
            rc = rb_fail(err, "cannot put %s in place: %s", o->path, strerror(errno));
        }
    }
    if (rc != 0)
        unlink(o->tmp);
    out_clear(o);
    return rc;
}

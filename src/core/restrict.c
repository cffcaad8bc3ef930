/* Restricted mode: one-way, and file writing confined to the exports folder. */
#include "ragboard/restrict.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ragboard/store.h"
#include "ragboard/util.h"

#ifndef RAGBOARD_RESTRICTED_BUILD
#define RAGBOARD_RESTRICTED_BUILD 0
#endif

static bool enabled = RAGBOARD_RESTRICTED_BUILD;

bool restrict_on(void)
{
    return enabled || RAGBOARD_RESTRICTED_BUILD;
}

void restrict_enable(void)
{
    enabled = true;
}

bool restrict_forced(void)
{
    return RAGBOARD_RESTRICTED_BUILD;
}

char *restrict_export_folder(void)
{
    char *plan = store_default_path();
    char *slash = strrchr(plan, '/');
    if (slash)
        *slash = '\0';
    char *dir = xasprintf("%s/exports", plan);
    free(plan);
    return dir;
}

/* The exports folder, made if missing, as a real path (caller frees), or NULL with err
 * when it is a link or cannot be made. */
static char *real_exports(char *err)
{
    char *dir = restrict_export_folder();
    struct stat sb;
    char *real = NULL;
    if (store_mkdirs(dir, err) != 0) {
        /* err says why */
    } else if (lstat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        rb_fail(err, "restricted mode: the exports folder %s is a link or not a folder; "
                     "nothing is written", dir);
    } else if (!(real = realpath(dir, NULL))) {
        rb_fail(err, "restricted mode: cannot resolve %s: %s", dir, strerror(errno));
    }
    free(dir);
    return real;
}

/* dir (already resolved) is top or inside it. */
static bool inside(const char *dir, const char *top)
{
    size_t n = strlen(top);
    return strncmp(dir, top, n) == 0 && (dir[n] == '\0' || dir[n] == '/');
}

int restrict_check_folder(const char *dir, char *err)
{
    if (!restrict_on())
        return 0;
    char *top = real_exports(err);
    if (!top)
        return -1;
    struct stat sb;
    char *real = NULL;
    int rc = 0;
    if (lstat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode) || !(real = realpath(dir, NULL)) ||
        !inside(real, top))
        rc = rb_fail(err, "restricted mode: files are written only in %s", top);
    free(real);
    free(top);
    return rc;
}

int restrict_check_output(const char *path, char *err)
{
    if (!restrict_on() || !path || strcmp(path, "-") == 0)
        return 0;
    char *top = real_exports(err);
    if (!top)
        return -1;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    char *dir = slash ? (slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path)))
                      : xstrdup(".");
    char *real = realpath(dir, NULL);
    struct stat sb;
    int rc = 0;
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
        rc = rb_fail(err, "restricted mode: %s is not a file name", path);
    else if (!real || !inside(real, top))
        rc = rb_fail(err, "restricted mode: files are written only in %s; give a name there, "
                          "such as %s/%s",
                     top, top, base);
    else if (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        rc = rb_fail(err, "restricted mode: %s is a link or not a regular file; nothing is "
                          "written", path);
    free(real);
    free(dir);
    free(top);
    return rc;
}

/* A scratch plan for unit tests: make the folder, open the plan, remove it all after. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

#include "ragboard/util.h"
#include "scratch.h"

int scratch_make(struct scratch *sc)
{
    int n = snprintf(sc->dir, sizeof sc->dir, "/tmp/%s-XXXXXX", program_invocation_short_name);
    if (n < 0 || (size_t)n >= sizeof sc->dir || !mkdtemp(sc->dir))
        return -1;
    snprintf(sc->path, sizeof sc->path, "%s/plan.db", sc->dir);
    return 0;
}

void scratch_exec(struct store *st, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(store_db(st), sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
}

int scratch_open(struct scratch *sc, const char *today, const char *user, struct store **st)
{
    if (scratch_make(sc) != 0)
        return -1;
    if (today)
        setenv("RAGBOARD_TODAY", today, 1);
    if (user)
        setenv("USER", user, 1);
    char err[RB_ERRLEN] = "";
    if (store_open(sc->path, STORE_CREATE, st, err) != 0) {
        scratch_close(sc, NULL); /* cmocka runs no teardown after a failed setup */
        fail_msg("open %s: %s", sc->path, err);
    }
    return 0;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int scratch_close(struct scratch *sc, struct store *st)
{
    store_close(st);
    return nftw(sc->dir, remove_one, 8, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

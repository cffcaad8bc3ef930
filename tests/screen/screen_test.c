/* Screen tests without a terminal: seed the demo plan, play a key script, and compare
 * the screen text with an expected file.
 * usage: screen_test SCRIPT EXPECTED   (UPDATE_EXPECTED=1 rewrites EXPECTED)
 * The script's first line may set the size, colour and presenter mode:
 * "# size 80x24 mono present". */
#include <dirent.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ragboard/config.h"
#include "ragboard/demo.h"
#include "ragboard/store.h"
#include "ragboard/util.h"
#include "tui/tui.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct strbuf sb = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_addn(&sb, buf, n);
    fclose(f);
    return sb_take(&sb);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: screen_test SCRIPT EXPECTED\n");
        return 2;
    }
    setlocale(LC_ALL, "C.UTF-8");
    char *script = slurp(argv[1]);
    if (!script) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    int cols = 80, rows = 24;
    bool colour = true, present = false;
    if (strncmp(script, "# size ", 7) == 0) {
        sscanf(script + 7, "%dx%d", &cols, &rows);
        char *eol = strchr(script, '\n');
        if (eol && memmem(script, (size_t)(eol - script), "mono", 4))
            colour = false;
        if (eol && memmem(script, (size_t)(eol - script), "present", 7))
            present = true;
    }
    char dir[] = "/tmp/rbscreenXXXXXX";
    if (!mkdtemp(dir))
        return 2;
    char *db = xasprintf("%s/plan.db", dir);
    char err[RB_ERRLEN];
    struct config cfg;
    struct diags d = {0};
    config_load_builtin(&cfg, &d);
    diags_free(&d);
    struct store *st;
    if (store_open(db, STORE_CREATE, &st, err) != 0 || store_sync_config(st, &cfg, &d, err) != 0 ||
        demo_seed(st, &cfg, date_today(), err) != 0) {
        fprintf(stderr, "setting up the demo failed: %s\n", err);
        return 2;
    }
    diags_free(&d);
    store_set_user(st, "tester");
    char *outbuf = NULL;
    size_t outlen = 0;
    FILE *out = open_memstream(&outbuf, &outlen);
    int rc = tui_headless(st, &cfg, rows, cols, colour, present, script, out, err);
    fclose(out);
    store_close(st);
    config_free(&cfg);
    unlink(db);
    char *wal = xasprintf("%s-wal", db), *shm = xasprintf("%s-shm", db);
    unlink(wal);
    unlink(shm);
    /* Starting a meeting makes a backup beside the plan. */
    char *backups = xasprintf("%s/backups", dir);
    DIR *bd = opendir(backups);
    for (struct dirent *e; bd && (e = readdir(bd)) != NULL;)
        if (e->d_name[0] != '.')
            unlinkat(dirfd(bd), e->d_name, 0);
    if (bd)
        closedir(bd);
    rmdir(backups);
    free(backups);
    rmdir(dir);
    free(wal);
    free(shm);
    free(db);
    free(script);
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", argv[1], err);
        free(outbuf);
        return 1;
    }
    int status = 0;
    const char *update = getenv("UPDATE_EXPECTED");
    if (update && *update == '1') {
        FILE *f = fopen(argv[2], "w");
        if (!f || fwrite(outbuf, 1, outlen, f) != outlen)
            status = 2;
        if (f)
            fclose(f);
        printf("wrote %s\n", argv[2]);
    } else {
        char *want = slurp(argv[2]);
        if (!want) {
            fprintf(stderr, "no expected file %s (run with UPDATE_EXPECTED=1, then review it)\n",
                    argv[2]);
            status = 1;
        } else if (strcmp(want, outbuf) != 0) {
            fprintf(stderr, "screen differs from %s\n--- got:\n%s", argv[2], outbuf);
            status = 1;
        }
        free(want);
    }
    free(outbuf);
    return status;
}

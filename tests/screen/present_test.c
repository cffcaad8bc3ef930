/* Presenter mode never shows a confidential string: walk every screen of the demo plan
 * (board, every list, every action's detail scrolled to the end, searches for words from
 * confidential text, the whole meeting walk) in presenter mode, and look for any phrase
 * of confidential text on any screen. */
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

struct texts {
    char **v;
    size_t n, cap;
};

static void add(struct texts *t, const char *s)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->v = xrealloc(t->v, t->cap * sizeof *t->v);
    }
    t->v[t->n++] = xstrdup(s);
}

static void texts_free(struct texts *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i]);
    free(t->v);
}

static void query(sqlite3 *db, const char *sql, struct texts *t)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "query failed: %s\n", sqlite3_errmsg(db));
        exit(2);
    }
    while (sqlite3_step(s) == SQLITE_ROW)
        if (sqlite3_column_text(s, 0))
            add(t, (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
}

/* Phrases of three words (at least 14 characters) from secret text that occur in no
 * public text: finding one on screen means a leak. */
static void phrases(const struct texts *secret, const struct texts *public, struct texts *out)
{
    for (size_t i = 0; i < secret->n; i++) {
        char *copy = xstrdup(secret->v[i]);
        char *words[256];
        int n = 0;
        for (char *w = strtok(copy, " "); w && n < 256; w = strtok(NULL, " "))
            words[n++] = w;
        for (int k = 0; k + 2 < n; k++) {
            char *p = xasprintf("%s %s %s", words[k], words[k + 1], words[k + 2]);
            bool common = strlen(p) < 14;
            for (size_t j = 0; j < public->n && !common; j++)
                common = strstr(public->v[j], p) != NULL;
            if (!common)
                add(out, p);
            free(p);
        }
        free(copy);
    }
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    char dir[] = "/tmp/rbpresentXXXXXX";
    if (!mkdtemp(dir))
        return 2;
    char *path = xasprintf("%s/plan.db", dir);
    char err[RB_ERRLEN];
    struct config cfg;
    struct diags d = {0};
    config_load_builtin(&cfg, &d);
    struct store *st;
    if (store_open(path, STORE_CREATE, &st, err) != 0 || store_sync_config(st, &cfg, &d, err) != 0 ||
        demo_seed(st, &cfg, date_today(), err) != 0) {
        fprintf(stderr, "setting up the demo failed: %s\n", err);
        return 2;
    }
    diags_free(&d);
    sqlite3 *db = store_db(st);
    struct texts secret = {0}, public = {0}, bad = {0};
    query(db, "SELECT title FROM actions WHERE confidential = 1 UNION ALL "
              "SELECT description FROM actions WHERE confidential = 1 UNION ALL "
              "SELECT u.text FROM updates u JOIN actions a ON a.id = u.action_id "
              "WHERE u.confidential = 1 OR a.confidential = 1",
          &secret);
    query(db, "SELECT title FROM actions WHERE confidential = 0 UNION ALL "
              "SELECT description FROM actions WHERE confidential = 0 UNION ALL "
              "SELECT u.text FROM updates u JOIN actions a ON a.id = u.action_id "
              "WHERE u.confidential = 0 AND a.confidential = 0 UNION ALL "
              "SELECT text FROM minute_entries",
          &public);
    phrases(&secret, &public, &bad);
    if (secret.n == 0 || bad.n == 0) {
        fprintf(stderr, "the demo has no confidential text to look for\n");
        return 1;
    }

    /* The key script: every strand's list, every row's detail paged to the end. */
    struct strbuf keys = {0};
    sb_add(&keys, "<dump>\n");
    for (int i = 0; i < STRAND_COUNT; i++) {
        sqlite3_stmt *s;
        sqlite3_prepare_v2(db, "SELECT count(*) FROM actions WHERE strand = ?", -1, &s, NULL);
        sqlite3_bind_text(s, 1, strands[i].code, -1, SQLITE_STATIC);
        sqlite3_step(s);
        int rows = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
        sb_add(&keys, "g");
        for (int k = 0; k < i; k++)
            sb_add(&keys, "j");
        sb_add(&keys, " <Enter> <dump>\n");
        for (int r = 0; r < rows; r++)
            sb_add(&keys, "<Enter> <dump> <Space> <dump> <Space> <dump> <Space> <dump> q j <dump>\n");
        sb_add(&keys, "q\n");
    }
    /* Searches for words of every secret phrase, from the board. */
    for (size_t i = 0; i < bad.n && i < 40; i++) {
        char *first = xstrdup(bad.v[i]);
        char *space = strchr(first, ' ');
        if (space)
            *space = '\0';
        sb_addf(&keys, "/ \"%s\" <Enter> <dump> <Enter> <dump> q q\n", first);
        free(first);
    }
    /* The whole meeting walk. */
    sb_add(&keys, "m <C-s> ] <dump>\n");
    for (int i = 0; i < 60; i++)
        sb_add(&keys, "] <dump> <Enter> <dump> q\n");

    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    int rc = tui_headless(st, &cfg, 24, 80, false, true, keys.buf, f, err);
    fclose(f);
    int status = 0;
    if (rc != 0) {
        fprintf(stderr, "the key script failed: %s\n", err);
        status = 1;
    }
    size_t screens = 0;
    for (const char *p = out; (p = strstr(p, "--- screen")); p++)
        screens++;
    /* Screens cut long lines: look for each phrase as a whole, as it would show. */
    for (size_t i = 0; i < bad.n; i++) {
        if (strstr(out, bad.v[i])) {
            fprintf(stderr, "LEAK: \"%s\" is on screen in presenter mode\n", bad.v[i]);
            status = 1;
        }
    }
    size_t masked = 0;
    for (const char *p = out; (p = strstr(p, "[confidential]")); p++)
        masked++;
    if (masked == 0) {
        fprintf(stderr, "no \"[confidential]\" marker seen: the walk missed the confidential items\n");
        status = 1;
    }
    printf("%zu screens checked for %zu confidential phrases; %zu [confidential] markers; %s\n",
           screens, bad.n, masked, status ? "FAILED" : "no leak");
    free(out);
    sb_free(&keys);
    texts_free(&secret);
    texts_free(&public);
    texts_free(&bad);
    store_close(st);
    config_free(&cfg);
    char *cmd = xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        status = 1;
    free(cmd);
    free(path);
    return status;
}

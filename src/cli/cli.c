/* The init, check and export subcommands and the start-up steps they share. */
#include "cli/cli.h"
#include "cli/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ragboard/demo.h"
#include "ragboard/export.h"
#include "ragboard/restrict.h"
#include "ragboard/watch.h"
#include "ragboard/util.h"
#include "tui/keys.h"

static void print_diags(const struct diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        char *line = diag_format(&d->v[i]);
        fprintf(stderr, "%s\n", line);
        free(line);
    }
}

int cli_load_config(const struct cli_opts *o, struct config *cfg, bool quiet_warnings)
{
    struct diags d = {0};
    char *path = cli_config_path(o);
    int rc = path ? config_load(path, cfg, &d) : config_load_builtin(cfg, &d);
    if (cfg->restricted) /* one-way: a settings file can only turn it on */
        restrict_enable();
    if (keys_configure(cfg, &d) != 0) /* [keys]: the screen's key names and actions */
        rc = -1;
    if (rc != 0 || !quiet_warnings)
        print_diags(&d);
    if (rc != 0)
        fprintf(stderr, "ragboard: %s has %zu error%s; fix %s and try again\n",
                path ? path : "the built-in settings", diags_errors(&d),
                diags_errors(&d) == 1 ? "" : "s", diags_errors(&d) == 1 ? "it" : "them");
    diags_free(&d);
    free(path);
    if (rc != 0) {
        config_free(cfg);
        return EXIT_CONFIG;
    }
    return EXIT_OK;
}

int cli_open_store(const struct cli_opts *o, unsigned flags, struct store **st)
{
    char *path = o->db ? xstrdup(o->db) : store_default_path();
    char err[RB_ERRLEN];
    int rc = store_open(path, flags, st, err) == 0 ? EXIT_OK : EXIT_DATABASE;
    if (rc != EXIT_OK)
        fprintf(stderr, "ragboard: %s\n", err);
    free(path);
    return rc;
}

int cli_open_plan(const struct cli_opts *o, struct config *cfg, struct store **st)
{
    int rc = cli_load_config(o, cfg, true);
    if (rc == EXIT_OK && (rc = cli_open_store(o, STORE_READONLY, st)) != EXIT_OK)
        config_free(cfg);
    return rc;
}

/* Seed a new plan file at path with the demo. */
static int seed_new(const char *path, const struct config *cfg, bool demo)
{
    char err[RB_ERRLEN];
    struct store *st;
    if (store_open(path, STORE_CREATE, &st, err) != 0) {
        fprintf(stderr, "ragboard: %s\n", err);
        return EXIT_DATABASE;
    }
    struct diags d = {0};
    int rc = store_sync_config(st, cfg, &d, err);
    diags_free(&d);
    if (rc == 0 && demo) {
        store_set_user(st, "demo");
        rc = demo_seed(st, cfg, date_today(), err);
    }
    store_close(st);
    if (rc != 0) {
        fprintf(stderr, "ragboard: %s: %s\n", path, err);
        return EXIT_PROBLEMS;
    }
    return EXIT_OK;
}

static void remove_db_files(const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char *p = xasprintf("%s%s", path, suffix[i]);
        unlink(p);
        free(p);
    }
}

int cli_make_demo(const struct config *cfg, char **path)
{
    char *plan = store_default_path();
    char *slash = strrchr(plan, '/');
    *slash = '\0';
    char err[RB_ERRLEN];
    if (store_mkdirs(plan, err) != 0) {
        fprintf(stderr, "ragboard: %s\n", err);
        free(plan);
        return EXIT_DATABASE;
    }
    char *demo = xasprintf("%s/demo.db", plan);
    char *fresh = xasprintf("%s/demo.db.new", plan);
    free(plan);
    /* Never replace a file that is not an earlier demo plan. */
    struct store *old;
    if (access(demo, F_OK) == 0) {
        if (store_open(demo, STORE_READONLY, &old, err) != 0) {
            fprintf(stderr, "ragboard: will not replace %s: %s\n", demo, err);
            free(demo);
            free(fresh);
            return EXIT_DATABASE;
        }
        store_close(old);
    }
    remove_db_files(fresh);
    int rc = seed_new(fresh, cfg, true);
    if (rc == EXIT_OK) {
        remove_db_files(demo);
        if (rename(fresh, demo) != 0) {
            fprintf(stderr, "ragboard: cannot put the demo plan in place at %s: %s\n", demo,
                    strerror(errno));
            rc = EXIT_DATABASE;
        }
    }
    remove_db_files(fresh);
    free(fresh);
    if (rc != EXIT_OK) {
        free(demo);
        return rc;
    }
    *path = demo;
    return EXIT_OK;
}

int cmd_init(const struct cli_opts *o)
{
    struct config cfg;
    int rc = cli_load_config(o, &cfg, false);
    if (rc != EXIT_OK)
        return rc;
    if (o->db && restrict_on()) {
        fprintf(stderr, "ragboard: restricted mode: a plan is made only in its usual place; "
                        "leave out --db\n");
        config_free(&cfg);
        return EXIT_PROBLEMS;
    }
    char *path = o->db ? xstrdup(o->db) : store_default_path();
    if (access(path, F_OK) == 0) {
        fprintf(stderr,
                "ragboard: %s already exists; init never overwrites a plan. Choose another "
                "path with --db, or move the old file away first.\n",
                path);
        rc = EXIT_PROBLEMS;
    } else {
        rc = seed_new(path, &cfg, o->demo);
        if (rc == EXIT_OK)
            printf("Created %s%s\n", path, o->demo ? " with the demo plan" : "");
    }
    free(path);
    config_free(&cfg);
    return rc;
}

/* Agencies that lead actions but are no longer in the config. */
static void check_agencies(struct store *st, const struct config *cfg, struct diags *d)
{
    struct agency *ag;
    size_t n;
    char err[RB_ERRLEN];
    if (store_agencies(st, &ag, &n, err) != 0) {
        diags_add(d, DIAG_ERROR, store_path(st), 0, "%s", err);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        bool listed = false;
        for (size_t k = 0; k < cfg->n_agencies && !listed; k++)
            listed = strcmp(cfg->agencies[k].code, ag[i].code) == 0;
        if (!listed)
            diags_add(d, DIAG_WARNING, cfg->path, 0,
                      "agency %s (%s) is in the database but not under [agencies]; add it "
                      "back, or reassign its actions",
                      ag[i].code, ag[i].name);
    }
    agencies_free(ag, n);
}

int cmd_check(const struct cli_opts *o)
{
    struct diags d = {0};
    struct config cfg;
    char *cfg_path = cli_config_path(o);
    if (cfg_path)
        config_load(cfg_path, &cfg, &d);
    else
        config_load_builtin(&cfg, &d);
    keys_configure(&cfg, &d);
    char *path = o->db ? xstrdup(o->db) : store_default_path();
    char err[RB_ERRLEN];
    struct store *st = NULL;
    if (!o->db && access(path, F_OK) != 0) {
        printf("%s: no plan yet (it is created when ragboard first starts)\n", path);
    } else if (store_open(path, STORE_READONLY, &st, err) != 0) {
        diags_add(&d, DIAG_ERROR, NULL, 0, "%s", err);
    } else {
        store_check(st, &d);
        check_agencies(st, &cfg, &d);
        char msg[RB_ERRLEN];
        if (store_access_warning(st, msg))
            diags_add(&d, DIAG_WARNING, NULL, 0, "%s", msg);
    }
    for (size_t i = 0; i < d.n; i++) {
        char *line = diag_format(&d.v[i]);
        printf("%s\n", line);
        free(line);
    }
    size_t errors = diags_errors(&d), warnings = d.n - errors;
    int rc = EXIT_OK;
    if (d.n == 0) {
        printf("%s: ok\n", cfg_path ? cfg_path : "built-in settings");
        if (st)
            printf("%s: ok\n", path);
    } else {
        printf("%zu error%s, %zu warning%s\n", errors, errors == 1 ? "" : "s", warnings,
               warnings == 1 ? "" : "s");
        rc = EXIT_PROBLEMS;
    }
    store_close(st);
    config_free(&cfg);
    diags_free(&d);
    free(cfg_path);
    free(path);
    return rc;
}

int cmd_export(const struct cli_opts *o)
{
    enum export_format fmt;
    if (!o->format) {
        fprintf(stderr, "ragboard: export needs --format json, csv, md, ics or ics-events\n");
        return EXIT_USAGE;
    }
    if (!export_format_parse(o->format, &fmt)) {
        fprintf(stderr, "ragboard: unknown export format '%s' (use json, csv, md, ics or ics-events)\n",
                o->format);
        return EXIT_USAGE;
    }
    if (o->strand && strand_index(o->strand) < 0) {
        fprintf(stderr,
                "ragboard: unknown strand '%s' (use Pursue, Protect, Prepare or Prevent)\n",
                o->strand);
        return EXIT_USAGE;
    }
    struct config cfg;
    struct store *st;
    int rc = cli_open_plan(o, &cfg, &st);
    if (rc != EXIT_OK)
        return rc;
    char err[RB_ERRLEN];
    /* Written beside the target (mode 0600) and renamed, so a failed export leaves no
     * half file; an existing file is replaced only with --force. */
    struct out_file out;
    if (out_open(&out, o->output, o->force, err) != 0) {
        fprintf(stderr, "ragboard: %s\n", err);
        store_close(st);
        config_free(&cfg);
        return EXIT_PROBLEMS;
    }
    struct action_query q = {.strand = o->strand, .agency = o->agency};
    struct export_options eo = {.query = &q, .include_confidential = o->include_confidential};
    rc = export_write(st, &eo, &cfg.rag, date_today(), fmt, out.f, err) == 0 ? EXIT_OK
                                                                               : EXIT_PROBLEMS;
    if (rc == EXIT_OK)
        rc = out_commit(&out, err) == 0 ? EXIT_OK : EXIT_PROBLEMS;
    else
        out_abort(&out);
    if (rc != EXIT_OK)
        fprintf(stderr, "ragboard: export failed: %s\n", err);
    store_close(st);
    config_free(&cfg);
    return rc;
}

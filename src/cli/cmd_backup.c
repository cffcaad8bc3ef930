/* ragboard backup [FILE] and ragboard restore FILE; the settings file restricted mode
 * reads. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/backup.h"
#include "ragboard/restrict.h"
#include "ragboard/util.h"

/* The installed settings file asks for restricted mode. */
static bool installed_says_restricted(const char *path)
{
    struct config cfg;
    struct diags d = {0};
    config_load(path, &cfg, &d);
    bool on = cfg.restricted;
    config_free(&cfg);
    diags_free(&d);
    return on;
}

void cli_restrict_init(const struct cli_opts *o)
{
    static bool looked;
    if (o->restricted)
        restrict_enable();
    if (looked || restrict_on())
        return;
    looked = true;
    char *installed = config_find_installed();
    if (installed && installed_says_restricted(installed))
        restrict_enable();
    free(installed);
}

char *cli_config_path(const struct cli_opts *o)
{
    cli_restrict_init(o);
    char *installed = config_find_installed();
    if (!restrict_on()) {
        free(installed);
        return config_find(o->config);
    }
    /* Restricted: no settings file of the user's own, which could change what it allows. */
    static bool told;
    const char *env = getenv("RAGBOARD_CONFIG");
    if (!told && ((o->config && *o->config) || (env && *env))) {
        fprintf(stderr, "ragboard: restricted mode reads only the installed settings (%s); "
                        "--config and RAGBOARD_CONFIG are ignored\n",
                installed ? installed : "built in");
        told = true;
    }
    return installed;
}

int cmd_backup(const struct cli_opts *o)
{
    struct config cfg;
    int rc = cli_load_config(o, &cfg, true);
    if (rc != EXIT_OK)
        return rc;
    char err[RB_ERRLEN], what[RB_ERRLEN] = "";
    if (o->subject && restrict_check_output(o->subject, err) != 0) {
        fprintf(stderr, "ragboard: %s\n", err);
        config_free(&cfg);
        return EXIT_PROBLEMS;
    }
    struct store *st;
    if ((rc = cli_open_store(o, STORE_READONLY, &st)) != EXIT_OK) {
        config_free(&cfg);
        return rc;
    }
    char *path = o->db ? xstrdup(o->db) : store_default_path();
    char *dest = NULL;
    int keep = cfg.backups_kept > 0 ? cfg.backups_kept : 1;
    if (o->subject) {
        rc = backup_to(st, o->subject, err);
        if (rc == 0)
            dest = xstrdup(o->subject);
    } else {
        rc = backup_rotate(st, keep, &dest, err);
    }
    store_close(st);
    if (rc == 0)
        rc = backup_verify(dest, what, err);
    if (rc != 0) {
        fprintf(stderr, "ragboard: backup failed: %s\n", err);
        rc = EXIT_PROBLEMS;
    } else {
        printf("Backed up %s to %s (%s)\n", path, dest, what);
        if (!o->subject)
            printf("The newest %d backup%s of this plan are kept in that folder.\n", keep,
                   keep == 1 ? "" : "s");
    }
    free(dest);
    free(path);
    config_free(&cfg);
    return rc;
}

int cmd_restore(const struct cli_opts *o)
{
    if (!o->subject) {
        fprintf(stderr, "ragboard: restore needs the backup to restore: ragboard restore "
                        "FILE [--db PLAN]\n");
        return EXIT_USAGE;
    }
    struct config cfg;
    int rc = cli_load_config(o, &cfg, true);
    if (rc != EXIT_OK)
        return rc;
    config_free(&cfg);
    if (restrict_on()) {
        fprintf(stderr, "ragboard: restricted mode: a plan cannot be replaced from here; ask "
                        "whoever looks after ragboard to restore the backup\n");
        return EXIT_PROBLEMS;
    }
    char *path = o->db ? xstrdup(o->db) : store_default_path();
    char err[RB_ERRLEN], what[RB_ERRLEN] = "";
    char *kept = NULL;
    rc = backup_restore(path, o->subject, &kept, err);
    if (rc != 0) {
        fprintf(stderr, "ragboard: not restored: %s\n", err);
        if (kept)
            fprintf(stderr, "ragboard: a copy of the plan as it was is in %s\n", kept);
        rc = EXIT_PROBLEMS;
    } else {
        backup_verify(path, what, err);
        printf("Restored %s from %s (%s)\n", path, o->subject, what);
        if (kept)
            printf("The plan as it was before is kept in %s\n", kept);
    }
    free(kept);
    free(path);
    return rc;
}

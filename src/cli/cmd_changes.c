/* ragboard changes export|apply: carry one offline copy's edits to another as a
 * changeset file, and merge such a file, listing every conflict. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/output.h"
#include "ragboard/changes.h"
#include "ragboard/util.h"

static int usage(const char *msg)
{
    fprintf(stderr, "ragboard: %s\nTry 'ragboard --help' for more information.\n", msg);
    return EXIT_USAGE;
}

static bool agency_known(struct store *st, const char *code)
{
    struct agency *ag;
    size_t n;
    char err[RB_ERRLEN];
    if (store_agencies(st, &ag, &n, err) != 0)
        return false;
    bool found = false;
    for (size_t i = 0; i < n && !found; i++)
        found = strcmp(ag[i].code, code) == 0;
    agencies_free(ag, n);
    return found;
}

static int changes_export_cmd(const struct cli_opts *o)
{
    if (o->changes_file)
        return usage("changes export takes no file name; give it with --output FILE");
    if (!o->output)
        return usage("changes export needs --output FILE");
    struct store *st;
    /* Writable when possible, so that a file copy takes its own copy id first. */
    int rc = cli_open_store(o, 0, &st);
    if (rc != EXIT_OK)
        return rc;
    char err[RB_ERRLEN], since[CHANGES_TIME_LEN], what[RB_ERRLEN];
    struct changes_filter f = {.agency = o->agency};
    if (o->since) {
        if (changes_since(st, o->since, since, what, err) != 0) {
            fprintf(stderr, "ragboard: %s\n", err);
            store_close(st);
            return EXIT_USAGE;
        }
        f.since = since;
    }
    if (o->agency && !agency_known(st, o->agency)) {
        fprintf(stderr, "ragboard: unknown agency '%s' (use its code, as under [agencies])\n",
                o->agency);
        store_close(st);
        return EXIT_USAGE;
    }
    struct copy_identity id;
    struct out_file out;
    size_t n = 0;
    rc = EXIT_PROBLEMS;
    if (changes_identity(st, &id, err) == 0 && out_open(&out, o->output, o->force, err) == 0) {
        if (changes_export(st, &f, out.f, &n, err) == 0 && out_commit(&out, err) == 0)
            rc = EXIT_OK;
        else
            out_abort(&out);
    }
    if (rc == EXIT_OK) {
        FILE *msg = strcmp(o->output, "-") == 0 ? stderr : stdout;
        fprintf(msg, "Wrote %zu change%s made in or merged into copy %s", n, n == 1 ? "" : "s",
                id.copy_id);
        if (o->since)
            fprintf(msg, " since %s", what);
        if (o->agency)
            fprintf(msg, " about %s's actions", o->agency);
        fprintf(msg, " to %s\n", o->output);
    } else {
        fprintf(stderr, "ragboard: changes export failed: %s\n", err);
    }
    store_close(st);
    return rc;
}

/* A value as the conflict list shows it: "(none)" when empty, later lines indented. */
static void print_value(const char *label, const char *v)
{
    printf("  %-7s ", label);
    if (!v || !*v) {
        fputs("(none)", stdout);
    } else {
        for (const char *p = v; *p; p++) {
            if (*p == '\n')
                fputs("\n          ", stdout);
            else if (*p != '\r')
                putchar(*p);
        }
    }
}

static void print_result(const struct merge_result *r, const struct changes_file *f,
                         const char *file)
{
    size_t fresh = r->entries - r->known;
    printf("Merged %zu of %zu new change%s from copy %s (%s)", r->merged, fresh,
           fresh == 1 ? "" : "s", f->from.copy_id, file);
    if (r->known)
        printf("; %zu already here", r->known);
    printf(".\n%zu change%s written here.\n", r->changes, r->changes == 1 ? "" : "s");
    for (size_t i = 0; i < r->n_notices; i++)
        printf("note: %s\n", r->notices[i]);
    for (size_t i = 0; i < r->n_conflicts; i++) {
        const struct change_conflict *c = &r->conflicts[i];
        if (c->taken != CHANGE_UNDECIDED)
            printf("settled: %s:%s, took %s\n", c->ref, c->field,
                   c->taken == CHANGE_THEIRS ? "theirs" : "ours");
    }
    if (r->open == 0)
        return;
    printf("%zu conflict%s not merged: the field changed in both copies. Settle each with\n"
           "'ragboard changes apply %s --take ours|theirs REF:FIELD'.\n",
           r->open, r->open == 1 ? "" : "s", file);
    for (size_t i = 0; i < r->n_conflicts; i++) {
        const struct change_conflict *c = &r->conflicts[i];
        if (c->taken != CHANGE_UNDECIDED)
            continue;
        printf("conflict: %s:%s\n", c->ref, c->field);
        print_value("ours:", c->ours);
        putchar('\n');
        print_value("theirs:", c->theirs);
        printf(" (%s, %s)%s\n", c->by, c->at, c->theirs_possible ? "" : " [take ours]");
    }
}

static int changes_apply_cmd(const struct cli_opts *o)
{
    if (!o->changes_file)
        return usage("changes apply needs the changeset FILE to merge");
    if (o->output || o->agency || o->since || o->force)
        return usage("changes apply takes a FILE and --take options only");
    struct change_choice choices[sizeof o->take / sizeof o->take[0] / 2];
    for (int i = 0; i < o->n_take; i++) {
        struct change_choice *c = &choices[i];
        const char *what = o->take[2 * i + 1];
        const char *colon = strrchr(what, ':');
        if (!change_side_parse(o->take[2 * i], &c->side))
            return usage("--take needs ours or theirs, then REF:FIELD as a conflict lists it");
        if (!colon || colon == what || !colon[1])
            return usage("--take needs REF:FIELD as a conflict lists it, e.g. PV-3.1:due");
        c->ref = NULL;
        c->field = colon + 1;
        c->used = false;
    }
    /* The references, split off their fields (kept until the end). */
    char *refs[sizeof choices / sizeof choices[0]];
    for (int i = 0; i < o->n_take; i++) {
        const char *what = o->take[2 * i + 1];
        refs[i] = xstrndup(what, (size_t)(strrchr(what, ':') - what));
        choices[i].ref = refs[i];
    }
    char err[RB_ERRLEN];
    struct changes_file f;
    int rc = EXIT_PROBLEMS;
    if (changes_file_load(o->changes_file, &f, err) != 0) {
        fprintf(stderr, "ragboard: %s; nothing was changed\n", err);
        goto out_refs;
    }
    /* Look first without writing: a file from another plan, or one already merged,
     * leaves the database untouched. */
    struct store *st;
    rc = cli_open_store(o, STORE_READONLY, &st);
    if (rc != EXIT_OK)
        goto out_file;
    size_t fresh = 0;
    int counted = changes_count_new(st, &f, &fresh, err);
    store_close(st);
    if (counted != 0) {
        fprintf(stderr, "ragboard: %s: %s; nothing was changed\n", o->changes_file, err);
        rc = EXIT_PROBLEMS;
        goto out_file;
    }
    if (fresh == 0) {
        printf("Nothing to merge: the %zu change%s in %s %s already in this copy.\n", f.n,
               f.n == 1 ? "" : "s", o->changes_file, f.n == 1 ? "is" : "are");
        rc = EXIT_OK;
        goto out_file;
    }
    rc = cli_open_store(o, 0, &st);
    if (rc != EXIT_OK)
        goto out_file;
    struct merge_result res;
    if (changes_apply(st, &f, o->changes_file, choices, (size_t)o->n_take, &res, err) != 0) {
        fprintf(stderr, "ragboard: merging %s failed: %s; nothing was changed\n",
                o->changes_file, err);
        rc = EXIT_PROBLEMS;
    } else {
        print_result(&res, &f, o->changes_file);
        rc = res.open == 0 && res.held == 0 ? EXIT_OK : EXIT_PROBLEMS;
        merge_result_free(&res);
    }
    store_close(st);
out_file:
    changes_file_free(&f);
out_refs:
    for (int i = 0; i < o->n_take; i++)
        free(refs[i]);
    return rc;
}

int cmd_changes(const struct cli_opts *o)
{
    if (o->subject && strcmp(o->subject, "export") == 0)
        return changes_export_cmd(o);
    if (o->subject && strcmp(o->subject, "apply") == 0)
        return changes_apply_cmd(o);
    return usage("changes needs 'export' or 'apply' (ragboard changes export --output FILE, "
                 "ragboard changes apply FILE)");
}

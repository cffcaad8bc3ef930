/* ragboard import FILE.csv [--dry-run] [--add-agencies]: check a spreadsheet against the
 * plan, report every problem, and write it in one go or not at all. */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ragboard/csv.h"
#include "ragboard/import.h"
#include "ragboard/util.h"

/* New actions listed one by one; the rest are counted. */
#define LIST_NEW_MAX 50

/* The file, read a chunk at a time by the CSV stream. */
static long file_read(void *ctx, char *buf, size_t n)
{
    FILE *f = ctx;
    size_t got = fread(buf, 1, n, f);
    return got == 0 && ferror(f) ? -1 : (long)got;
}

static int file_rewind(void *ctx)
{
    FILE *f = ctx;
    return fseek(f, 0, SEEK_SET);
}

/* Open the file to import; prints the reason and returns NULL if it cannot be. */
static FILE *open_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    if (!f || fstat(fileno(f), &sb) != 0) {
        fprintf(stderr, "ragboard: cannot read %s: %s\n", path, strerror(errno));
        if (f)
            fclose(f);
        return NULL;
    }
    if (S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "ragboard: %s is a folder; give the CSV file to import\n", path);
        fclose(f);
        return NULL;
    }
    if (!S_ISREG(sb.st_mode)) {
        /* It is read more than once (to tell its encoding, to check, to write). */
        fprintf(stderr, "ragboard: %s is not a regular file; save the CSV to a file and "
                        "import that\n", path);
        fclose(f);
        return NULL;
    }
    return f;
}

/* The last part of a path, for reasons recorded in the plan. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

static void print_issues(const char *file, struct csv_issues *issues)
{
    csv_issues_sort(issues);
    for (size_t i = 0; i < issues->n; i++) {
        char *line = csv_issue_format(file, &issues->v[i]);
        fprintf(stderr, "%s\n", line);
        free(line);
    }
}

/* At most max characters of s, cut on a UTF-8 boundary, with "..." when cut. */
static void print_short(const char *s, size_t max)
{
    size_t chars = 0, i = 0;
    while (s[i] && chars < max) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    printf("%.*s%s", (int)i, s, s[i] ? "..." : "");
}

static const char *delimiter_name(char d)
{
    return d == ';' ? "semicolon" : d == '\t' ? "tab" : "comma";
}

static void report(const char *file, const struct csv_stream *in, const struct import_result *r,
                   const struct config *cfg, bool dry_run)
{
    enum csv_encoding enc = csv_stream_encoding(in);
    printf("Read %s: %s, %s-separated%s, heading row on line %zu.\n", file,
           csv_encoding_name(enc), delimiter_name(csv_stream_delimiter(in)),
           enc == CSV_CP1252 ? " (converted to UTF-8)" : "", r->header_line);
    size_t listed = 0;
    for (size_t i = 0; i < r->n_changes; i++) {
        const struct import_change *ch = &r->changes[i];
        if (!ch->is_new && !ch->fields)
            continue;
        if (ch->is_new && listed++ >= LIST_NEW_MAX)
            continue;
        printf("  line %d: %s %s ", ch->line, ch->is_new ? (dry_run ? "would add" : "added")
                                                       : (dry_run ? "would update" : "updated"),
               ch->ref);
        if (ch->is_new) {
            putchar('"');
            print_short(ch->title, 60);
            putchar('"');
        } else {
            printf("(%s)", ch->fields);
        }
        putchar('\n');
    }
    if (r->n_new > LIST_NEW_MAX)
        printf("  ... and %zu more new actions\n", r->n_new - LIST_NEW_MAX);
    if (r->n_new_objectives)
        printf("%s %zu new objective%s.\n", dry_run ? "Would add" : "Added",
               r->n_new_objectives, r->n_new_objectives == 1 ? "" : "s");
    if (r->n_default_strand)
        printf("%zu new action%s named no strand and %s under Prevent.\n", r->n_default_strand,
               r->n_default_strand == 1 ? "" : "s", dry_run ? "would go" : "went");
    for (size_t i = 0; i < r->n_agencies; i++)
        printf("%s agency %s (%s) to the plan's agency list. It is not under [agencies] in "
               "%s, so ragboard shows it as retired; add \"%s = %s\" there to make it a "
               "member.\n",
               dry_run ? "Would add" : "Added", r->agencies[i].code, r->agencies[i].name,
               cfg->path[0] == '(' ? "the built-in settings" : cfg->path, r->agencies[i].code,
               r->agencies[i].name);
    printf("%zu new, %zu updated, %zu unchanged.%s\n", r->n_new, r->n_updated, r->n_unchanged,
           dry_run ? " Nothing was written (--dry-run)." : "");
}

/* Check (read-only) or apply (one transaction) the file against the plan at path. */
static int run(const char *path, unsigned flags, const struct config *cfg,
               struct csv_stream *in, const struct import_opts *io,
               struct import_result *r, struct csv_issues *issues)
{
    char err[RB_ERRLEN];
    struct store *st;
    if (store_open(path, flags, &st, err) != 0) {
        fprintf(stderr, "ragboard: %s\n", err);
        return EXIT_DATABASE;
    }
    int rc = import_csv_stream(st, cfg, in, io, r, issues, err);
    store_close(st);
    if (rc < 0) {
        fprintf(stderr, "ragboard: %s: %s\n", path, err);
        return EXIT_DATABASE;
    }
    return rc == 0 && csv_issues_errors(issues) == 0 ? EXIT_OK : EXIT_PROBLEMS;
}

int cmd_import(const struct cli_opts *o, const char *file)
{
    if (!file) {
        fprintf(stderr, "ragboard: import needs the CSV file to read: ragboard import "
                        "FILE.csv\n");
        return EXIT_USAGE;
    }
    struct config cfg;
    int rc = cli_load_config(o, &cfg, true);
    if (rc != EXIT_OK)
        return rc;
    FILE *f = open_file(file);
    if (!f) {
        config_free(&cfg);
        return EXIT_PROBLEMS;
    }
    struct csv_input input = {file_read, file_rewind, f};
    struct csv_stream *in = NULL;
    struct csv_issues issues = {0};
    bool readable = csv_stream_open(&input, &in, &issues) == 0;
    char *path = o->db ? xstrdup(o->db) : store_default_path();
    struct import_opts io = {.apply = false, .add_agencies = o->add_agencies,
                             .source = base_name(file), .today = date_today(),
                             .list_new_max = LIST_NEW_MAX};
    struct import_result r = {0};
    rc = EXIT_PROBLEMS;
    if (readable) {
        /* The default plan is made on first use, as the board does. */
        if (!o->db && access(path, F_OK) != 0) {
            char err[RB_ERRLEN];
            struct store *st;
            if (store_open(path, STORE_CREATE, &st, err) == 0)
                store_close(st);
        }
        /* First check read-only, so that a bad file leaves the database untouched. */
        rc = run(path, STORE_READONLY, &cfg, in, &io, &r, &issues);
    }
    print_issues(file, &issues);
    size_t errors = csv_issues_errors(&issues);
    if (rc == EXIT_PROBLEMS && errors)
        fprintf(stderr, "ragboard: %s: %zu problem%s; nothing was imported\n", file, errors,
                errors == 1 ? "" : "s");
    bool nothing = r.n_new == 0 && r.n_updated == 0 && r.n_agencies == 0;
    if (rc == EXIT_OK && (o->dry_run || nothing)) {
        /* With nothing to change the plan is not even opened for writing. */
        report(file, in, &r, &cfg, o->dry_run);
    } else if (rc == EXIT_OK) {
        import_result_free(&r);
        csv_issues_free(&issues);
        io.apply = true;
        io.checked = true;
        rc = run(path, 0, &cfg, in, &io, &r, &issues);
        if (rc == EXIT_OK) {
            report(file, in, &r, &cfg, false);
        } else {
            /* Only problems the first pass could not see (someone changed the plan in
             * between) reach here; warnings were printed already. */
            struct csv_issues errs = {0};
            for (size_t i = 0; i < issues.n; i++)
                if (issues.v[i].level == DIAG_ERROR)
                    csv_issue_add(&errs, DIAG_ERROR, issues.v[i].line, issues.v[i].col, "%s",
                                  issues.v[i].msg);
            print_issues(file, &errs);
            csv_issues_free(&errs);
            if (rc == EXIT_PROBLEMS)
                fprintf(stderr, "ragboard: %s: nothing was imported\n", file);
        }
    }
    import_result_free(&r);
    csv_issues_free(&issues);
    csv_stream_close(in);
    fclose(f);
    free(path);
    config_free(&cfg);
    return rc;
}

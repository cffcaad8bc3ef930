/* ragboard's entry point: command-line parsing and dispatch. */
#include <langinfo.h>
#include <locale.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_config.h"
#include "cli/cli.h"
#include "ragboard/util.h"
#include "tui/keys.h"
#include "tui/tui.h"

static const char usage_text[] =
    "Usage: ragboard [--db FILE] [--config FILE] [--present]\n"
    "           open the plan full-screen\n"
    "       ragboard --demo [--config FILE]\n"
    "           open a freshly made demo plan\n"
    "       ragboard init [--demo] [--db FILE]\n"
    "           create a plan database\n"
    "       ragboard check [--db FILE] [--config FILE]\n"
    "           check the settings file and the database\n"
    "       ragboard export --format json|csv|md|ics|ics-events [--output FILE]\n"
    "                       [--force] [--strand S] [--agency A]\n"
    "                       [--include-confidential]\n"
    "           write the plan out\n"
    "       ragboard changes export [--since MEETING|DATE] [--agency A] --output FILE\n"
    "           this copy's changes, for another copy\n"
    "       ragboard changes apply FILE [--take ours|theirs REF:FIELD]...\n"
    "           merge another copy's changes\n"
    "       ragboard import FILE.csv [--dry-run] [--add-agencies]\n"
    "           add or update actions from a spreadsheet\n"
    "       ragboard backup [FILE]\n"
    "           copy the plan safely (default: into the backups folder beside it)\n"
    "       ragboard restore FILE\n"
    "           check a backup, then put it in place (the replaced plan is kept)\n"
    "       ragboard list [--strand S] [--agency A] [--lead A] [--rag R,...]\n"
    "                     [--state S] [--overdue] [--search TEXT] [--sort KEY]\n"
    "                     [--format text|tsv] [--include-confidential] [--present]\n"
    "           the plan's actions, one a line\n"
    "       ragboard keys\n"
    "           every key of the full-screen program\n"
    "       ragboard minutes [MEETING|latest] [--format md|text] [--output FILE]\n"
    "           a meeting's minutes\n"
    "       ragboard report exceptions|highlight [--format md|text|csv]\n"
    "                       [--output FILE]\n"
    "           the Red actions, or the board summary\n"
    "Commands that use a plan also take --db FILE and --config FILE.\n"
    "\n"
    "Review a Community Safety Partnership's CONTEST/Prevent action plan: strands,\n"
    "actions and agencies rated Red, Amber, Green or Complete. In the full-screen\n"
    "program every action has a letter key; press ? on any screen for its keys,\n"
    "m to start or resume a meeting, P for presenter mode.\n"
    "\n";

/* The rest of --help (split: C compilers need only take strings of 4095 bytes). */
static const char usage_options[] =
    "Options:\n"
    "  --db FILE       plan database (default $XDG_DATA_HOME/ragboard/plan.db,\n"
    "                  that is ~/.local/share/ragboard/plan.db)\n"
    "  --config FILE   settings file; otherwise $RAGBOARD_CONFIG, then\n"
    "                  $XDG_CONFIG_HOME/ragboard/ragboard.ini, then the installed\n"
    "                  default\n"
    "  --present       start in presenter mode, for a shared screen: confidential\n"
    "                  actions and updates show as [confidential] (P turns it off);\n"
    "                  list: confidential actions listed, their titles [confidential]\n"
    "  --restricted    restricted mode, for locked-down terminals: no shell, no\n"
    "                  suspend, files written only in the exports folder; cannot be\n"
    "                  turned off while the program runs\n"
    "  --demo          use the demo plan (rebuilt each time in its own file,\n"
    "                  $XDG_DATA_HOME/ragboard/demo.db; your plan is never touched)\n"
    "  --format F      export format: json, csv, md (Markdown), ics (iCalendar\n"
    "                  to-dos) or ics-events (all-day events on the due dates,\n"
    "                  for Outlook); minutes and reports: md or text (the\n"
    "                  default), or csv for the exception report;\n"
    "                  list: text (aligned, the default) or tsv (a header line, tabs)\n"
    "  --output FILE   write to FILE (mode 0600) instead of standard output\n"
    "  --include-confidential\n"
    "                  minutes, reports, list: show confidential actions and updates,\n"
    "                  marked [confidential] (left out, and counted, otherwise)\n"
    "  MEETING         latest (the default) or the meeting's date (YYYY-MM-DD or\n"
    "                  dd/mm/yyyy)\n"
    "  --strand S      export, list: one strand (Pursue, Protect, Prepare, Prevent,\n"
    "                  or PU, PT, PR, PV as in its references)\n"
    "  --agency A      export, list: only actions an agency leads or supports (its\n"
    "                  code; list also takes its name)\n"
    "  --lead A        list: only actions an agency leads (code or name)\n"
    "  --rag R         list: only these ratings: red, amber, green, complete,\n"
    "                  cancelled or R, A, G, C; several with commas or --rag again\n"
    "  --state S       list: not-started, in-progress, complete or cancelled\n"
    "  --overdue       list: only overdue actions\n"
    "  --search TEXT   list: actions whose text has every word (as / on the screen)\n"
    "  --sort KEY      list: reference (the default), due, rag, agency or updated\n"
    "  --force         export, minutes, report: replace an existing output file\n"
    "  --since S       changes export: only changes since 'last' (the last closed\n"
    "                  meeting), a meeting's date, or a date\n"
    "  --take SIDE REF:FIELD\n"
    "                  changes apply: settle a listed conflict with ours or theirs\n"
    "  --dry-run       import: check the file and say what would change; write\n"
    "                  nothing\n"
    "  --add-agencies  import: add agencies the settings file does not list (they\n"
    "                  show as retired until added under [agencies])\n"
    "  -h, --help      show this help and exit\n"
    "  -V, --version   show the version and exit\n"
    "\n"
    "Environment:\n"
    "  RAGBOARD_CONFIG  settings file when --config is not given\n"
    "  RAGBOARD_TODAY   pretend today is this date (YYYY-MM-DD), for rehearsals\n"
    "  RAGBOARD_NOW     fix the clock (YYYY-MM-DDTHH:MM:SSZ), for tests\n"
    "  NO_COLOR         when set and not empty, draw without colour\n"
    "  RAGBOARD_NETFS   1: treat the plan's folder as a network file system (rollback\n"
    "                   journal, never WAL), for ones ragboard cannot recognise\n"
    "\n"
    "Exit status:\n"
    "  0  success (check: no problems found)\n"
    "  1  check found problems, or the command failed\n"
    "  2  the command line was wrong\n"
    "  3  the settings file has errors (each is printed as file:line: message)\n"
    "  4  the database could not be opened or created\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "ragboard: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'ragboard --help' for more information.\n");
    return EXIT_USAGE;
}

/* Match "--name VALUE" or "--name=VALUE"; advances *i past a separate value. */
static int take_value(int argc, char **argv, int *i, const char *name, const char **out)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *out = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *out = argv[++*i];
    return 1;
}

static int run_board(const struct cli_opts *o)
{
    struct config cfg;
    int rc = cli_load_config(o, &cfg, false);
    if (rc != EXIT_OK)
        return rc;
    char *path = NULL;
    char err[RB_ERRLEN];
    if (o->demo) {
        if (o->db) {
            config_free(&cfg);
            return usage_error("%s", "--demo uses its own database; leave out --db");
        }
        rc = cli_make_demo(&cfg, &path);
        if (rc != EXIT_OK) {
            config_free(&cfg);
            return rc;
        }
    } else {
        path = o->db ? xstrdup(o->db) : store_default_path();
    }
    /* The default plan is created on first use; a named file must already exist. */
    unsigned flags = o->db ? 0 : STORE_CREATE;
    struct store *st;
    if (store_open(path, flags, &st, err) != 0) {
        fprintf(stderr, "ragboard: %s\n", err);
        free(path);
        config_free(&cfg);
        return EXIT_DATABASE;
    }
    struct diags d = {0};
    if (store_sync_config(st, &cfg, &d, err) != 0)
        fprintf(stderr, "ragboard: warning: %s\n", err);
    for (size_t i = 0; i < d.n; i++) {
        char *line = diag_format(&d.v[i]);
        fprintf(stderr, "ragboard: %s\n", line);
        free(line);
    }
    diags_free(&d);
    rc = tui_run(st, &cfg, o->present);
    store_close(st);
    free(path);
    config_free(&cfg);
    return rc;
}

/* The locale from the environment; but where it names no character set at all (plain
 * C or POSIX, as over an SSH login that passed no LANG), UTF-8, which is what the plan
 * holds and what terminals send today. A locale that names another set is kept. */
static void set_locale(void)
{
    setlocale(LC_ALL, "");
    const char *set = nl_langinfo(CODESET);
    if (set && strcmp(set, "ANSI_X3.4-1968") == 0 && !setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "");
}

int main(int argc, char **argv)
{
    set_locale();
    struct cli_opts o = {0};
    const char *command = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        int got = 0;
        static const struct {
            const char *name;
            size_t offset;
        } valued[] = {
            {"--db", offsetof(struct cli_opts, db)},
            {"--config", offsetof(struct cli_opts, config)},
            {"--format", offsetof(struct cli_opts, format)},
            {"--output", offsetof(struct cli_opts, output)},
            {"--strand", offsetof(struct cli_opts, strand)},
            {"--agency", offsetof(struct cli_opts, agency)},
            {"--since", offsetof(struct cli_opts, since)},
            {"--lead", offsetof(struct cli_opts, lead)},
            {"--state", offsetof(struct cli_opts, state)},
            {"--search", offsetof(struct cli_opts, search)},
            {"--sort", offsetof(struct cli_opts, sort)},
        };
        for (size_t k = 0; k < sizeof valued / sizeof valued[0] && !got; k++) {
            slot = (const char **)((char *)&o + valued[k].offset);
            got = take_value(argc, argv, &i, valued[k].name, slot);
            if (got < 0)
                return usage_error("option %s needs a value", valued[k].name);
        }
        if (got)
            continue;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            fputs(usage_options, stdout);
            return EXIT_OK;
        }
        if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
            cli_version(stdout);
            return EXIT_OK;
        }
        if (strcmp(a, "--demo") == 0) {
            o.demo = true;
            continue;
        }
        if (strcmp(a, "--present") == 0) {
            o.present = true;
            continue;
        }
        if (strcmp(a, "--restricted") == 0) {
            o.restricted = true;
            continue;
        }
        if (strcmp(a, "--include-confidential") == 0) {
            o.include_confidential = true;
            continue;
        }
        if (strcmp(a, "--force") == 0) {
            o.force = true;
            continue;
        }
        if (strcmp(a, "--take") == 0) {
            if (i + 2 >= argc)
                return usage_error("%s", "--take needs ours or theirs and REF:FIELD");
            if (o.n_take >= (int)(sizeof o.take / sizeof o.take[0] / 2))
                return usage_error("%s", "too many --take options");
            o.take[2 * o.n_take] = argv[++i];
            o.take[2 * o.n_take++ + 1] = argv[++i];
            continue;
        }
        const char *rag = NULL;
        got = take_value(argc, argv, &i, "--rag", &rag);
        if (got < 0)
            return usage_error("option %s needs a value", "--rag");
        if (got) {
            if (o.n_rag >= (int)(sizeof o.rag / sizeof o.rag[0]))
                return usage_error("%s", "too many --rag options; list ratings with commas");
            o.rag[o.n_rag++] = rag;
            continue;
        }
        if (strcmp(a, "--overdue") == 0) {
            o.overdue = true;
            continue;
        }
        if (strcmp(a, "--dry-run") == 0) {
            o.dry_run = true;
            continue;
        }
        if (strcmp(a, "--add-agencies") == 0) {
            o.add_agencies = true;
            continue;
        }
        if (a[0] == '-')
            return usage_error("unknown option %s", a);
        if (command && !o.import_file && strcmp(command, "import") == 0) {
            o.import_file = a;
            continue;
        }
        if (command && !o.subject &&
            (strcmp(command, "minutes") == 0 || strcmp(command, "report") == 0)) {
            o.subject = a;
            continue;
        }
        if (command && !o.subject &&
            (strcmp(command, "backup") == 0 || strcmp(command, "restore") == 0)) {
            o.subject = a;
            continue;
        }
        if (command && strcmp(command, "changes") == 0 && (!o.subject || !o.changes_file)) {
            *(o.subject ? &o.changes_file : &o.subject) = a;
            continue;
        }
        if (command)
            return usage_error("unexpected argument %s", a);
        command = a;
    }
    bool is_export = command && strcmp(command, "export") == 0;
    bool is_report = command && (strcmp(command, "minutes") == 0 ||
                                 strcmp(command, "report") == 0);
    bool is_changes = command && strcmp(command, "changes") == 0;
    bool is_list = command && strcmp(command, "list") == 0;
    if ((o.force && !is_export && !is_changes && !is_report) ||
        ((o.since || o.n_take) && !is_changes))
        return usage_error("%s", "--force is for 'ragboard export', 'minutes', 'report' and "
                                 "'ragboard changes export'; --since and --take for "
                                 "'ragboard changes'");
    if (!is_export && ((o.strand && !is_list) || (o.agency && !is_changes && !is_list) ||
                       (!is_report && ((o.format && !is_list) || (o.output && !is_changes)))))
        return usage_error("%s", "--format and --output are for 'ragboard export', 'minutes' "
                                 "and 'report' (--format also for 'list'); --strand and "
                                 "--agency for 'ragboard export' and 'list'");
    if ((o.n_rag || o.lead || o.state || o.search || o.sort || o.overdue) && !is_list)
        return usage_error("%s", "--rag, --lead, --state, --overdue, --search and --sort are "
                                 "for 'ragboard list'");
    /* An export or report made with --present would look masked and not be: refuse it. */
    if (o.present && command && !is_list)
        return usage_error("--present is for the full-screen program and 'ragboard list'; "
                           "'%s' leaves confidential content out unless "
                           "--include-confidential is given",
                           command);
    if ((o.dry_run || o.add_agencies) && !(command && strcmp(command, "import") == 0))
        return usage_error("%s", "--dry-run and --add-agencies are for 'ragboard import'");
    if (o.demo && command && strcmp(command, "init") != 0)
        return usage_error("--demo does not go with '%s'", command);
    cli_restrict_init(&o); /* before any command: --restricted, or the installed file */
    if (!command)
        return run_board(&o);
    if (strcmp(command, "keys") == 0) {
        /* The keys in force: the table's, changed by the settings file's [keys]. */
        struct config cfg;
        int rc = cli_load_config(&o, &cfg, true);
        if (rc != EXIT_OK)
            return rc;
        keys_print(stdout);
        config_free(&cfg);
        return EXIT_OK;
    }
    if (strcmp(command, "init") == 0)
        return cmd_init(&o);
    if (strcmp(command, "check") == 0)
        return cmd_check(&o);
    if (strcmp(command, "export") == 0)
        return cmd_export(&o);
    if (strcmp(command, "import") == 0)
        return cmd_import(&o, o.import_file);
    if (strcmp(command, "minutes") == 0)
        return cmd_minutes(&o);
    if (strcmp(command, "report") == 0)
        return cmd_report(&o);
    if (strcmp(command, "changes") == 0)
        return cmd_changes(&o);
    if (strcmp(command, "backup") == 0)
        return cmd_backup(&o);
    if (strcmp(command, "restore") == 0)
        return cmd_restore(&o);
    if (is_list)
        return cmd_list(&o);
    return usage_error("unknown command %s (commands: init, check, export, list, minutes, report, import, changes, backup, restore)", command);
}

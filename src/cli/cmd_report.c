/* The minutes and report subcommands: a meeting's minutes, the exception report and the
 * highlight report, to standard output or to a file (see output.h). */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/output.h"
#include "ragboard/edit.h"
#include "ragboard/meeting.h"
#include "ragboard/report.h"
#include "ragboard/util.h"

/* Write the minutes of meeting (report NULL) or the named report to --output or standard
 * output; a file appears only when complete. Returns an exit code. */
static int write_out(const struct cli_opts *o, const struct report_opts *ro, struct store *st,
                     int64_t meeting, const char *report)
{
    char err[RB_ERRLEN];
    struct out_file out;
    if (out_open(&out, o->output, o->force, err) != 0) {
        fprintf(stderr, "ragboard: %s\n", err);
        return EXIT_PROBLEMS;
    }
    int rc = !report                             ? report_minutes(st, meeting, ro, out.f, err)
             : strcmp(report, "exceptions") == 0 ? report_exceptions(st, ro, out.f, err)
                                                 : report_highlight(st, ro, out.f, err);
    if (rc != 0) {
        fprintf(stderr, "ragboard: %s: %s\n", report ? report : "minutes", err);
        out_abort(&out);
        return EXIT_PROBLEMS;
    }
    if (out_commit(&out, err) != 0) {
        fprintf(stderr, "ragboard: %s\n", err);
        return EXIT_PROBLEMS;
    }
    return EXIT_OK;
}

static int parse_format(const char *command, const char *s, bool csv_ok,
                        enum report_format *out)
{
    *out = REPORT_TEXT;
    if (!s)
        return EXIT_OK;
    if (!report_format_parse(s, out) || (*out == REPORT_CSV && !csv_ok)) {
        fprintf(stderr, "ragboard: %s cannot be written as '%s' (use %s)\n", command, s,
                csv_ok ? "md, text or csv" : "md or text");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* True when s names a meeting the way meeting_find understands. */
static bool meeting_word(const char *s)
{
    rb_day d;
    if (str_ieq(s, "latest") || date_parse(s, &d))
        return true;
    return *s && strspn(s, "0123456789") == strlen(s);
}

int cmd_minutes(const struct cli_opts *o)
{
    enum report_format fmt;
    int rc = parse_format("minutes", o->format, false, &fmt);
    if (rc != EXIT_OK)
        return rc;
    const char *which = o->subject ? o->subject : "latest";
    if (!meeting_word(which)) {
        fprintf(stderr, "ragboard: '%s' is not a meeting: give latest, a date (YYYY-MM-DD "
                        "or dd/mm/yyyy) or a meeting number\n", which);
        return EXIT_USAGE;
    }
    struct config cfg;
    struct store *st;
    rc = cli_open_plan(o, &cfg, &st);
    if (rc != EXIT_OK)
        return rc;
    char err[RB_ERRLEN];
    struct meeting m;
    int found = meeting_find(st, which, &m, err);
    if (found == STORE_NOT_FOUND) {
        fprintf(stderr, "ragboard: %s\n", str_ieq(which, "latest")
                                              ? "no meeting has been held in this plan yet"
                                              : "no such meeting in this plan");
        rc = EXIT_PROBLEMS;
    } else if (found != 0) {
        fprintf(stderr, "ragboard: %s\n", err);
        rc = EXIT_PROBLEMS;
    } else {
        struct report_opts ro = {fmt, o->include_confidential, &cfg.rag, date_today()};
        rc = write_out(o, &ro, st, m.id, NULL);
        meeting_free(&m);
    }
    store_close(st);
    config_free(&cfg);
    return rc;
}

int cmd_report(const struct cli_opts *o)
{
    bool exceptions = o->subject && strcmp(o->subject, "exceptions") == 0;
    bool highlight = o->subject && strcmp(o->subject, "highlight") == 0;
    if (!exceptions && !highlight) {
        if (o->subject)
            fprintf(stderr, "ragboard: unknown report '%s' (use exceptions or highlight)\n",
                    o->subject);
        else
            fprintf(stderr, "ragboard: report needs its name: exceptions or highlight\n");
        return EXIT_USAGE;
    }
    enum report_format fmt;
    int rc = parse_format(exceptions ? "the exception report" : "the highlight report",
                          o->format, exceptions, &fmt);
    if (rc != EXIT_OK)
        return rc;
    struct config cfg;
    struct store *st;
    rc = cli_open_plan(o, &cfg, &st);
    if (rc != EXIT_OK)
        return rc;
    struct report_opts ro = {fmt, o->include_confidential, &cfg.rag, date_today()};
    rc = write_out(o, &ro, st, 0, o->subject);
    store_close(st);
    config_free(&cfg);
    return rc;
}

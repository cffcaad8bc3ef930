/* Writing the minutes and reports from inside the program, to the export folder. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ragboard/meeting.h"
#include "ragboard/report.h"
#include "ragboard/restrict.h"
#include "ragboard/util.h"
#include "tui/screen.h"

enum which { W_MINUTES, W_EXCEPTIONS, W_EXCEPTIONS_CSV, W_HIGHLIGHT, W_COUNT };

static const char *const items[W_COUNT] = {
    "&Minutes of the latest meeting (Markdown)", "&Exception report: Red actions (Markdown)",
    "Exception report for a spreadsheet (&CSV)", "&Highlight report for the board (Markdown)",
};
static const char *const stems[W_COUNT] = {"minutes", "exceptions", "exceptions",
                                           "highlight"};

/* Create a new file in dir named stem-date.ext (or -2, -3 ... when taken), mode 0600.
 * Returns the stream and fills *path (caller frees), or NULL with err. */
static FILE *new_file(const char *dir, const char *stem, const char *ext, rb_day today,
                      char **path, char *err)
{
    char date[RB_DATE_BUF];
    date_format_iso(today, date);
    for (int n = 1; n < 100; n++) {
        char *p = n == 1 ? xasprintf("%s/%s-%s.%s", dir, stem, date, ext)
                         : xasprintf("%s/%s-%s-%d.%s", dir, stem, date, n, ext);
        int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd >= 0) {
            *path = p;
            return fdopen(fd, "w");
        }
        int e = errno;
        free(p);
        if (e != EEXIST) {
            rb_fail(err, "cannot write in %s: %s", dir, strerror(e));
            return NULL;
        }
    }
    rb_fail(err, "too many %s files for today in %s", stem, dir);
    return NULL;
}

static void write_done(struct app *app, void *ctx, int index)
{
    (void)ctx;
    if (index < 0)
        return;
    char err[RB_ERRLEN] = "";
    char *dir = restrict_export_folder();
    if (store_mkdirs(dir, err) != 0 || restrict_check_folder(dir, err) != 0) {
        app_error(app, "%s", err);
        free(dir);
        return;
    }
    int64_t meeting = 0;
    if (index == W_MINUTES) {
        struct meeting m;
        int rc = meeting_find(app->st, "latest", &m, err);
        if (rc != 0) {
            app_error(app, "%s", rc == STORE_NOT_FOUND ? "There is no meeting yet" : err);
            free(dir);
            return;
        }
        meeting = m.id;
        meeting_free(&m);
    }
    bool csv = index == W_EXCEPTIONS_CSV;
    char *path = NULL;
    FILE *f = new_file(dir, stems[index], csv ? "csv" : "md", app->today, &path, err);
    free(dir);
    if (!f) {
        app_error(app, "Not written: %s", err);
        return;
    }
    /* What is written from the screen never holds confidential items. */
    struct report_opts o = {csv ? REPORT_CSV : REPORT_MD, false, &app->cfg->rag, app->today};
    int rc;
    switch (index) {
    case W_MINUTES: rc = report_minutes(app->st, meeting, &o, f, err); break;
    case W_HIGHLIGHT: rc = report_highlight(app->st, &o, f, err); break;
    default: rc = report_exceptions(app->st, &o, f, err); break;
    }
    if (fclose(f) != 0 && rc == 0)
        rc = rb_fail(err, "writing %s: %s", path, strerror(errno));
    if (rc != 0) {
        unlink(path);
        app_error(app, "Not written: %s", err);
    } else {
        app_status(app, "Wrote %s (confidential items left out)", path);
    }
    free(path);
}

void reports_menu(struct app *app)
{
    ui_menu(app, "Write a report to the exports folder", items, W_COUNT, 0, write_done, NULL);
}

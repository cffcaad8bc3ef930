/* The ':' command line: the verbs of the subcommands (export, report, minutes, backup)
 * run from inside the program, with Tab completion; what they write goes to the exports
 * folder (backups to the backups folder). */
#include "tui/cmdline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <wctype.h>

#include "ragboard/backup.h"
#include "ragboard/export.h"
#include "ragboard/meeting.h"
#include "ragboard/report.h"
#include "ragboard/restrict.h"
#include "ragboard/util.h"
#include "tui/text.h"

#define HISTORY_MAX 20

/* Commands run in this session, oldest first (for Up and Down). */
static char *history[HISTORY_MAX];
static int n_history;

/* ---- words ------------------------------------------------------------------------- */

struct words {
    char **v;
    int n;
    bool open_end; /* the text ends inside a word (not after a blank) */
};

static void words_free(struct words *w)
{
    for (int i = 0; i < w->n; i++)
        free(w->v[i]);
    free(w->v);
    memset(w, 0, sizeof *w);
}

/* Split a command into words at blanks; "double quotes" keep blanks in a word. */
static void words_split(const char *s, struct words *w)
{
    memset(w, 0, sizeof *w);
    const char *p = s;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        struct strbuf sb = {0};
        bool quoted = false;
        for (; *p && (quoted || (*p != ' ' && *p != '\t')); p++) {
            if (*p == '"')
                quoted = !quoted;
            else
                sb_addc(&sb, *p);
        }
        w->v = xrealloc(w->v, (size_t)(w->n + 1) * sizeof *w->v);
        w->v[w->n++] = sb.buf ? sb_take(&sb) : xstrdup("");
        w->open_end = !*p;
    }
}

/* ---- what each verb takes ---------------------------------------------------------- */

static const char *const verbs[] = {"export", "report", "minutes", "backup", "help", "quit", NULL};

static const char *const export_opts[] = {"--format", "--output", "--force", "--strand",
                                          "--agency", "--include-confidential", NULL};
static const char *const report_opts[] = {"--format", "--output", "--force",
                                          "--include-confidential", NULL};
static const char *const export_formats[] = {"json", "csv", "md", "ics", "ics-events", NULL};
static const char *const report_formats[] = {"md", "text", "csv", NULL};
static const char *const minutes_formats[] = {"md", "text", NULL};
static const char *const reports[] = {"exceptions", "highlight", NULL};
static const char *const meetings[] = {"latest", NULL};
static const char *const strand_names[] = {"Pursue", "Protect", "Prepare", "Prevent", NULL};

static bool takes_value(const char *opt)
{
    return strcmp(opt, "--format") == 0 || strcmp(opt, "--output") == 0 ||
           strcmp(opt, "--strand") == 0 || strcmp(opt, "--agency") == 0;
}

/* ---- completion -------------------------------------------------------------------- */

struct candidates {
    const char *v[64];
    int n;
};

static void offer(struct candidates *c, const char *const *list, const char *prefix)
{
    for (; *list && c->n < 64; list++)
        if (strncasecmp(*list, prefix, strlen(prefix)) == 0)
            c->v[c->n++] = *list;
}

/* What may come next after the complete words w (the word being typed excluded). */
static void next_words(const struct app *app, const struct words *w, int upto, const char *prefix,
                       struct candidates *c)
{
    c->n = 0;
    if (upto == 0) {
        offer(c, verbs, prefix);
        return;
    }
    const char *verb = w->v[0];
    const char *prev = w->v[upto - 1];
    if (strcmp(prev, "--format") == 0) {
        offer(c, strcmp(verb, "export") == 0    ? export_formats
                 : strcmp(verb, "minutes") == 0 ? minutes_formats
                                                : report_formats,
              prefix);
        return;
    }
    if (strcmp(prev, "--strand") == 0) {
        offer(c, strand_names, prefix);
        return;
    }
    if (strcmp(prev, "--agency") == 0) {
        for (size_t i = 0; i < app->n_agencies && c->n < 64; i++)
            if (strncasecmp(app->agencies[i].code, prefix, strlen(prefix)) == 0)
                c->v[c->n++] = app->agencies[i].code;
        return;
    }
    if (strcmp(prev, "--output") == 0)
        return; /* a file name of the user's choosing */
    bool is_export = strcmp(verb, "export") == 0;
    if (!is_export && strcmp(verb, "report") != 0 && strcmp(verb, "minutes") != 0)
        return;
    /* The positional word of report and minutes, when not given yet. */
    int positional = 0;
    for (int i = 1; i < upto; i++) {
        if (takes_value(w->v[i]))
            i++;
        else if (w->v[i][0] != '-')
            positional++;
    }
    if (!is_export && positional == 0 && prefix[0] != '-') {
        offer(c, strcmp(verb, "report") == 0 ? reports : meetings, prefix);
        if (c->n > 0 || strcmp(verb, "report") == 0)
            return;
    }
    /* Options not given yet. */
    const char *const *opts = is_export ? export_opts : report_opts;
    for (; *opts && c->n < 64; opts++) {
        bool used = false;
        for (int i = 1; i < upto && !used; i++)
            used = strcmp(w->v[i], *opts) == 0;
        if (!used && strncmp(*opts, prefix, strlen(prefix)) == 0)
            c->v[c->n++] = *opts;
    }
}

int cmdline_complete(const struct app *app, const char *before, char **insert, char *shown,
                     size_t shown_len)
{
    struct words w;
    words_split(before, &w);
    int upto = w.open_end ? w.n - 1 : w.n;
    const char *prefix = w.open_end ? w.v[w.n - 1] : "";
    struct candidates c;
    next_words(app, &w, upto, prefix, &c);
    *insert = NULL;
    shown[0] = '\0';
    size_t plen = strlen(prefix);
    if (c.n == 1) {
        *insert = xasprintf("%s ", c.v[0] + plen);
    } else if (c.n > 1) {
        /* As far as every candidate agrees, then the list. */
        size_t common = strlen(c.v[0]);
        for (int i = 1; i < c.n; i++) {
            size_t k = 0;
            while (k < common && c.v[i][k] == c.v[0][k])
                k++;
            common = k;
        }
        if (common > plen)
            *insert = xstrndup(c.v[0] + plen, common - plen);
        size_t len = 0;
        for (int i = 0; i < c.n && len + 1 < shown_len; i++)
            len += (size_t)snprintf(shown + len, shown_len - len, "%s%s", i ? "  " : "", c.v[i]);
    }
    words_free(&w);
    return c.n;
}

/* ---- running a command ------------------------------------------------------------- */

/* Write into the exports folder: to name (replaced only with force), or to the first
 * free stem-date[-n].ext. The text is written beside it first, so a failed command
 * leaves nothing behind. */
struct out {
    char *dir, *tmp, *final;
    FILE *f;
};

static int out_open(struct out *o, struct app *app, const char *name, const char *stem,
                    const char *ext, char *err)
{
    memset(o, 0, sizeof *o);
    if (name && (!*name || strchr(name, '/') || name[0] == '.'))
        return rb_fail(err, "--output takes a file name for the exports folder (no folders, "
                            "not starting with a dot)");
    o->dir = restrict_export_folder();
    o->tmp = xasprintf("%s/.ragboard-XXXXXX", o->dir);
    /* -2: err is set already */
    int fd = store_mkdirs(o->dir, err) == 0 && restrict_check_folder(o->dir, err) == 0
                 ? mkstemp(o->tmp)
                 : -2;
    if (fd == -1)
        rb_fail(err, "cannot write in %s: %s", o->dir, strerror(errno));
    if (fd >= 0 && !(o->f = fdopen(fd, "w"))) {
        rb_fail(err, "cannot write in %s: %s", o->dir, strerror(errno));
        close(fd);
        unlink(o->tmp);
    }
    if (!o->f) {
        free(o->tmp);
        free(o->dir);
        memset(o, 0, sizeof *o);
        return -1;
    }
    if (name) {
        o->final = xasprintf("%s/%s", o->dir, name);
    } else {
        char date[RB_DATE_BUF];
        date_format_iso(app->today, date);
        o->final = xasprintf("%s/%s-%s.%s", o->dir, stem, date, ext);
    }
    return 0;
}

static int out_finish(struct out *o, bool ok, bool force, const char *stem, const char *ext,
                      bool named, rb_day today, char *err)
{
    int rc = ok ? 0 : -1;
    if (fclose(o->f) != 0 && rc == 0)
        rc = rb_fail(err, "writing %s: %s", o->tmp, strerror(errno));
    if (rc == 0 && force) {
        if (rename(o->tmp, o->final) != 0)
            rc = rb_fail(err, "cannot put %s in place: %s", o->final, strerror(errno));
    } else if (rc == 0) {
        /* link() never replaces: an existing file is kept. */
        char date[RB_DATE_BUF];
        date_format_iso(today, date);
        for (int n = 2; link(o->tmp, o->final) != 0; n++) {
            if (errno != EEXIST || named || n > 99) {
                rc = errno == EEXIST ? rb_fail(err, "%s exists; add --force to replace it",
                                               o->final)
                                     : rb_fail(err, "cannot write %s: %s", o->final,
                                               strerror(errno));
                break;
            }
            free(o->final);
            o->final = xasprintf("%s/%s-%s-%d.%s", o->dir, stem, date, n, ext);
        }
    }
    unlink(o->tmp);
    free(o->tmp);
    free(o->dir);
    return rc;
}

struct request {
    const char *verb, *subject, *format, *output, *strand, *agency;
    bool force, confidential;
};

static int parse_request(const struct words *w, struct request *r, char *err)
{
    memset(r, 0, sizeof *r);
    r->verb = w->v[0];
    bool is_export = strcmp(r->verb, "export") == 0;
    for (int i = 1; i < w->n; i++) {
        const char *a = w->v[i];
        const char **slot = strcmp(a, "--format") == 0   ? &r->format
                            : strcmp(a, "--output") == 0 ? &r->output
                            : strcmp(a, "--strand") == 0 && is_export ? &r->strand
                            : strcmp(a, "--agency") == 0 && is_export ? &r->agency
                                                                      : NULL;
        if (slot) {
            if (i + 1 >= w->n)
                return rb_fail(err, "%s needs a value", a);
            *slot = w->v[++i];
        } else if (strcmp(a, "--force") == 0) {
            r->force = true;
        } else if (strcmp(a, "--include-confidential") == 0) {
            r->confidential = true;
        } else if (a[0] == '-' || is_export || r->subject) {
            return rb_fail(err, "%s does not take %s (Tab shows what it takes)", r->verb, a);
        } else {
            r->subject = a;
        }
    }
    return 0;
}

static int run_export(struct app *app, const struct request *r, char *msg)
{
    enum export_format fmt;
    if (!r->format || !export_format_parse(r->format, &fmt))
        return rb_fail(msg, "export needs --format json, csv, md, ics or ics-events");
    if (r->strand && strand_index(r->strand) < 0)
        return rb_fail(msg, "unknown strand %s (Pursue, Protect, Prepare or Prevent)", r->strand);
    static const char *const exts[] = {[EXPORT_JSON] = "json", [EXPORT_CSV] = "csv",
                                       [EXPORT_MARKDOWN] = "md", [EXPORT_ICALENDAR] = "ics",
                                       [EXPORT_ICALENDAR_EVENTS] = "ics"};
    const char *ext = exts[fmt];
    struct out o;
    if (out_open(&o, app, r->output, "plan", ext, msg) != 0)
        return -1;
    struct action_query q = {.strand = r->strand, .agency = r->agency};
    struct export_options eo = {.query = &q, .include_confidential = r->confidential};
    int rc = export_write(app->st, &eo, &app->cfg->rag, app->today, fmt, o.f, msg);
    rc = out_finish(&o, rc == 0, r->force, "plan", ext, r->output != NULL, app->today, msg);
    if (rc == 0)
        snprintf(msg, RB_ERRLEN, "Wrote %s%s", o.final,
                 r->confidential ? "" : " (confidential items left out)");
    free(o.final);
    return rc;
}

static int run_report(struct app *app, const struct request *r, char *msg)
{
    bool minutes = strcmp(r->verb, "minutes") == 0;
    enum report_format fmt = REPORT_MD;
    if (r->format && (!report_format_parse(r->format, &fmt) || (minutes && fmt == REPORT_CSV)))
        return rb_fail(msg, "%s takes --format md%s or text", r->verb, minutes ? "" : ", csv");
    const char *stem = minutes ? "minutes" : r->subject ? r->subject : "";
    if (!minutes && strcmp(stem, "exceptions") != 0 && strcmp(stem, "highlight") != 0)
        return rb_fail(msg, "report exceptions or report highlight?");
    if (!minutes && fmt == REPORT_CSV && strcmp(stem, "highlight") == 0)
        return rb_fail(msg, "the highlight report is Markdown or text, not CSV");
    int64_t meeting = 0;
    if (minutes) {
        struct meeting m;
        int rc = meeting_find(app->st, r->subject ? r->subject : "latest", &m, msg);
        if (rc == STORE_NOT_FOUND)
            return rb_fail(msg, "no meeting %s", r->subject ? r->subject : "yet");
        if (rc != 0)
            return -1;
        meeting = m.id;
        meeting_free(&m);
    }
    const char *ext = fmt == REPORT_CSV ? "csv" : fmt == REPORT_TEXT ? "txt" : "md";
    struct out o;
    if (out_open(&o, app, r->output, stem, ext, msg) != 0)
        return -1;
    struct report_opts ro = {fmt, r->confidential, &app->cfg->rag, app->today};
    int rc = minutes ? report_minutes(app->st, meeting, &ro, o.f, msg)
             : strcmp(stem, "exceptions") == 0 ? report_exceptions(app->st, &ro, o.f, msg)
                                               : report_highlight(app->st, &ro, o.f, msg);
    rc = out_finish(&o, rc == 0, r->force, stem, ext, r->output != NULL, app->today, msg);
    if (rc == 0)
        snprintf(msg, RB_ERRLEN, "Wrote %s%s", o.final,
                 r->confidential ? "" : " (confidential items left out)");
    free(o.final);
    return rc;
}

/* backup: a rotated backup in the backups folder, or backup NAME: a copy named NAME
 * there; either is checked after it is made. */
static int run_backup(struct app *app, const struct words *w, char *msg)
{
    if (w->n > 2)
        return rb_fail(msg, "backup takes at most a file name");
    char what[RB_ERRLEN] = "";
    char *dest = NULL;
    int rc;
    if (w->n == 2) {
        const char *name = w->v[1];
        if (!*name || strchr(name, '/') || name[0] == '.')
            return rb_fail(msg, "backup takes a file name for the backups folder (no "
                                "folders, not starting with a dot)");
        char *dir = backup_folder(store_path(app->st));
        rc = store_mkdirs(dir, msg);
        dest = xasprintf("%s/%s", dir, name);
        free(dir);
        if (rc == 0)
            rc = restrict_check_output(dest, msg);
        if (rc == 0)
            rc = backup_to(app->st, dest, msg);
    } else {
        int keep = app->cfg->backups_kept > 0 ? app->cfg->backups_kept : 1;
        rc = backup_rotate(app->st, keep, &dest, msg);
    }
    if (rc == 0)
        rc = backup_verify(dest, what, msg);
    if (rc == 0)
        snprintf(msg, RB_ERRLEN, "Backed up to %s (%s)", dest, what);
    free(dest);
    return rc;
}

int cmdline_run(struct app *app, const char *line, char *msg)
{
    struct words w;
    words_split(line, &w);
    msg[0] = '\0';
    int rc = 0;
    struct request r;
    if (w.n == 0) {
        rc = 0;
    } else if (strcmp(w.v[0], "help") == 0) {
        snprintf(msg, RB_ERRLEN, "Commands: export --format F, report exceptions|highlight, "
                                 "minutes [DATE], backup [NAME]; Tab completes; files go to "
                                 "the exports folder");
    } else if (strcmp(w.v[0], "quit") == 0) {
        app->quit = true;
    } else if (strcmp(w.v[0], "backup") == 0) {
        rc = run_backup(app, &w, msg);
    } else if (strcmp(w.v[0], "export") != 0 && strcmp(w.v[0], "report") != 0 &&
               strcmp(w.v[0], "minutes") != 0) {
        rc = rb_fail(msg, "unknown command %.40s (export, report, minutes, backup, help, quit)", w.v[0]);
    } else if (parse_request(&w, &r, msg) != 0) {
        rc = -1;
    } else if (r.confidential && app->present) {
        rc = rb_fail(msg, "not while presenting: --include-confidential would put "
                          "confidential items in the file");
    } else {
        rc = strcmp(r.verb, "export") == 0 ? run_export(app, &r, msg) : run_report(app, &r, msg);
    }
    words_free(&w);
    return rc;
}

/* ---- the screen -------------------------------------------------------------------- */

struct cmdline {
    struct screen base;
    wchar_t *text;
    size_t len, cap, pos;
    int recall; /* history entry shown, n_history when none */
    char shown[256];
};

static void set_text(struct cmdline *c, const char *s)
{
    free(c->text);
    c->text = text_to_wide(s);
    c->len = c->pos = wcslen(c->text);
    c->cap = c->len + 1;
}

static void insert(struct cmdline *c, const wchar_t *s, size_t n)
{
    if (c->len + n + 1 > c->cap) {
        c->cap = (c->len + n + 1) * 2;
        c->text = xrealloc(c->text, c->cap * sizeof *c->text);
    }
    memmove(c->text + c->pos + n, c->text + c->pos, (c->len - c->pos + 1) * sizeof *c->text);
    memcpy(c->text + c->pos, s, n * sizeof *s);
    c->pos += n;
    c->len += n;
}

static void cmdline_draw(struct screen *s, WINDOW *w)
{
    struct cmdline *c = (struct cmdline *)s;
    int rows = getmaxy(w), cols = getmaxx(w);
    if (c->shown[0]) {
        wmove(w, rows - 2, 0);
        wclrtoeol(w);
        text_put(w, rows - 2, 0, c->shown, cols, false);
    }
    int y = rows - 1;
    wmove(w, y, 0);
    wclrtoeol(w);
    wattron(w, A_BOLD);
    mvwaddch(w, y, 0, ':');
    wattroff(w, A_BOLD);
    int room = cols - 2;
    size_t start = 0;
    int before = 0;
    for (size_t i = 0; i < c->pos; i++)
        before += wcwidth(c->text[i]) > 0 ? wcwidth(c->text[i]) : 1;
    while (before >= room && start < c->pos) {
        before -= wcwidth(c->text[start]) > 0 ? wcwidth(c->text[start]) : 1;
        start++;
    }
    char *text = text_from_wide(c->text + start, c->len - start);
    text_put(w, y, 1, text, room, false);
    free(text);
    s->cursor_y = y;
    s->cursor_x = 1 + before;
}

static void complete(struct cmdline *c)
{
    char *before = text_from_wide(c->text, c->pos);
    char *add = NULL;
    int n = cmdline_complete(c->base.app, before, &add, c->shown, sizeof c->shown);
    free(before);
    if (add) {
        wchar_t *wide = text_to_wide(add);
        insert(c, wide, wcslen(wide));
        free(wide);
        free(add);
    }
    if (n == 0) {
        snprintf(c->shown, sizeof c->shown, "(nothing to complete here)");
        beep();
    } else if (n == 1) {
        c->shown[0] = '\0';
    }
}

static void remember(const char *line)
{
    if (!*line || (n_history && strcmp(history[n_history - 1], line) == 0))
        return;
    if (n_history == HISTORY_MAX) {
        free(history[0]);
        memmove(history, history + 1, (HISTORY_MAX - 1) * sizeof *history);
        n_history--;
    }
    history[n_history++] = xstrdup(line);
}

static enum verdict cmdline_key(struct screen *s, enum ui_action a, const struct keypress *k)
{
    (void)a;
    struct cmdline *c = (struct cmdline *)s;
    wint_t ch = k->code;
    bool fn = k->function;
    if ((!fn && (ch == L'\r' || ch == L'\n')) || (fn && ch == KEY_ENTER)) {
        char *line = text_from_wide(c->text, c->len);
        struct app *app = s->app;
        app_pop(app); /* frees c */
        remember(line);
        char msg[RB_ERRLEN];
        if (cmdline_run(app, line, msg) != 0)
            app_error(app, "%s", msg);
        else if (msg[0])
            app_status(app, "%s", msg);
        free(line);
        return app->quit ? V_QUIT : V_STAY;
    }
    if (!fn && ch == 27) {
        app_pop(s->app);
        return V_STAY;
    }
    if (!fn && ch == L'\t') {
        complete(c);
        return V_STAY;
    }
    c->shown[0] = '\0';
    if (fn && ch == KEY_BACKSPACE) {
        if (c->pos == 0 && c->len == 0) {
            app_pop(s->app); /* rubbing out past the start closes it, as in vi */
            return V_STAY;
        }
        if (c->pos > 0) {
            memmove(c->text + c->pos - 1, c->text + c->pos, (c->len - c->pos + 1) * sizeof *c->text);
            c->pos--;
            c->len--;
        }
    } else if (fn && ch == KEY_DC) {
        if (c->pos < c->len) {
            memmove(c->text + c->pos, c->text + c->pos + 1, (c->len - c->pos) * sizeof *c->text);
            c->len--;
        }
    } else if (fn && ch == KEY_LEFT) {
        c->pos -= c->pos > 0;
    } else if (fn && ch == KEY_RIGHT) {
        c->pos += c->pos < c->len;
    } else if ((fn && ch == KEY_HOME) || (!fn && ch == CTRL('a'))) {
        c->pos = 0;
    } else if ((fn && ch == KEY_END) || (!fn && ch == CTRL('e'))) {
        c->pos = c->len;
    } else if (!fn && ch == CTRL('u')) {
        set_text(c, "");
    } else if (fn && (ch == KEY_UP || ch == KEY_DOWN)) {
        int r = c->recall + (ch == KEY_UP ? -1 : 1);
        if (r >= 0 && r <= n_history) {
            c->recall = r;
            set_text(c, r < n_history ? history[r] : "");
        }
    } else if (!fn && ch >= L' ' && iswprint(ch)) {
        wchar_t one = (wchar_t)ch;
        insert(c, &one, 1);
    }
    return V_STAY;
}

static void cmdline_destroy(struct screen *s)
{
    struct cmdline *c = (struct cmdline *)s;
    free(c->text);
    free(c);
}

static const char *cmdline_hints(struct screen *s)
{
    (void)s;
    return "Tab complete  Enter run  Esc cancel  Up/Down earlier commands";
}

static const struct screen_ops cmdline_ops = {
    .name = "command line",
    .raw_input = true,
    .draw = cmdline_draw,
    .key = cmdline_key,
    .destroy = cmdline_destroy,
    .hints = cmdline_hints,
};

void cmdline_open(struct app *app)
{
    struct cmdline *c = xcalloc(1, sizeof *c);
    c->base.ops = &cmdline_ops;
    c->base.modal = true;
    set_text(c, "");
    c->recall = n_history;
    app_push(app, &c->base);
}

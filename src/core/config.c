/* The partnership's INI file: finding it, reading it through iniparser, checking every value. */
#include "ragboard/config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iniparser.h>

#include "build_config.h"

/* The shipped config/ragboard.ini, compiled in by src/gen/embed.py. */
extern const char ragboard_builtin_ini[];
extern const size_t ragboard_builtin_ini_len;

#define BUILTIN_NAME "(built-in defaults)"
#define CONFIG_MAX_BYTES (1024 * 1024)
#define AGENCY_CODE_MAX 16
#define QUOTE_MAX 60        /* bytes of a bad value or line quoted in a message */
#define INI_LINE_MAX 1022   /* iniparser 4.1 reads lines into a 1024-byte buffer */
#define LINE_TOO_LONG "line too long: at most %d characters fit on one line; line skipped"

/* ---- threat levels ---------------------------------------------------------------- */

static const char *const threat_words[THREAT_COUNT] = {"LOW", "MODERATE", "SUBSTANTIAL",
                                                       "SEVERE", "CRITICAL"};

const char *threat_word(enum threat_level t)
{
    return (unsigned)t < THREAT_COUNT ? threat_words[t] : "?";
}

bool threat_parse(const char *s, enum threat_level *out)
{
    if (!s)
        return false;
    for (int i = 0; i < THREAT_COUNT; i++) {
        if (str_ieq(s, threat_words[i])) {
            *out = (enum threat_level)i;
            return true;
        }
    }
    return false;
}

/* ---- display themes ---------------------------------------------------------------- */

static const char *const theme_words[THEME_COUNT] = {"default", "high-contrast", "monochrome",
                                                     "colour-blind"};

const char *theme_name(enum display_theme t)
{
    return (unsigned)t < THEME_COUNT ? theme_words[t] : "?";
}

bool theme_parse(const char *s, enum display_theme *out)
{
    if (!s)
        return false;
    if (str_ieq(s, "color-blind")) {
        *out = THEME_COLOUR_BLIND;
        return true;
    }
    for (int i = 0; i < THEME_COUNT; i++) {
        if (str_ieq(s, theme_words[i])) {
            *out = (enum display_theme)i;
            return true;
        }
    }
    return false;
}

/* ---- the table of sections and keys ------------------------------------------------ */

enum value_kind { VAL_TEXT, VAL_THREAT, VAL_DATE, VAL_INT, VAL_AGENCIES, VAL_THEME, VAL_BOOL,
                  VAL_BINDINGS };

#define CFG_FIELD(f) offsetof(struct config, f)

/* X(section, key, kind, field offset, min, max, help): one row per setting. */
#define CONFIG_TABLE(X)                                                                    \
    X("partnership", "name", VAL_TEXT, CFG_FIELD(partnership_name), 0, 0,                 \
      "Name of the Community Safety Partnership, shown in titles and reports")            \
    X("partnership", "plan_title", VAL_TEXT, CFG_FIELD(plan_title), 0, 0,                 \
      "Title of the plan being tracked, e.g. Prevent Action Plan 2025/26")                \
    X("partnership", "threat_level", VAL_THREAT, CFG_FIELD(threat), 0, 0,                 \
      "National threat level set by JTAC: LOW, MODERATE, SUBSTANTIAL, SEVERE or CRITICAL") \
    X("partnership", "ctlp_briefing", VAL_DATE, CFG_FIELD(ctlp_briefing), 0, 0,           \
      "Date of the last police CTLP briefing (YYYY-MM-DD or dd/mm/yyyy); may be empty")   \
    X("agencies", NULL, VAL_AGENCIES, 0, 0, 0,                                            \
      "One line per partner agency, CODE = Full name; codes are 1-16 letters, digits, - or _") \
    X("rag", "red_overdue_days", VAL_INT, CFG_FIELD(rag.red_overdue_days), 0, 3650,       \
      "Red when an action is overdue by more than this many days")                        \
    X("rag", "red_lag_pct", VAL_INT, CFG_FIELD(rag.red_lag_pct), 0, 100,                  \
      "Red when progress lags the line from start to due date by more than this many points") \
    X("rag", "amber_due_days", VAL_INT, CFG_FIELD(rag.amber_due_days), 0, 3650,           \
      "Amber when an unfinished action is due within this many days")                     \
    X("rag", "amber_lag_pct", VAL_INT, CFG_FIELD(rag.amber_lag_pct), 0, 100,              \
      "Amber when progress lags the line by more than this many points")                  \
    X("rag", "stale_days", VAL_INT, CFG_FIELD(rag.stale_days), 1, 3650,                   \
      "Amber when no progress update has been recorded for more than this many days")     \
    X("display", "theme", VAL_THEME, CFG_FIELD(theme), 0, 0,                              \
      "Colours: default, high-contrast, monochrome or colour-blind (blue and orange)")     \
    X("display", "ascii_lines", VAL_BOOL, CFG_FIELD(ascii_lines), 0, 0,                   \
      "true to draw boxes with + - | for terminals and fonts without line characters")    \
    X("display", "mouse", VAL_BOOL, CFG_FIELD(mouse), 0, 0,                               \
      "true to let the mouse wheel move the selection (off: copy and paste keep working)") \
    X("keys", NULL, VAL_BINDINGS, 0, 0, 0,                                                \
      "One line per changed key, action-name = key (as 'ragboard keys' names them)")       \
    X("store", "backups_kept", VAL_INT, CFG_FIELD(backups_kept), 0, 1000,                 \
      "Backups kept in the plan's backups folder (one is made when a meeting starts); 0: none") \
    X("security", "restricted", VAL_BOOL, CFG_FIELD(restricted), 0, 0,                    \
      "true for restricted mode: no shell, no suspend, files only in the exports folder")

#define INFO_ROW(sec, key, kind, off, lo, hi, help) {sec, key, help},
#define RULE_ROW(sec, key, kind, off, lo, hi, help) {sec, key, kind, off, lo, hi},

const struct config_key_info config_keys[] = {CONFIG_TABLE(INFO_ROW)};
const size_t config_n_keys = sizeof config_keys / sizeof config_keys[0];

struct key_rule {
    const char *section;
    const char *key; /* NULL: the keys are agency codes */
    enum value_kind kind;
    size_t offset;   /* of the field in struct config */
    long min, max;   /* VAL_INT only */
};

static const struct key_rule key_rules[] = {CONFIG_TABLE(RULE_ROW)};
#define N_RULES (sizeof key_rules / sizeof key_rules[0])

static bool section_known(const char *section)
{
    for (size_t i = 0; i < N_RULES; i++)
        if (strcmp(key_rules[i].section, section) == 0)
            return true;
    return false;
}

static const struct key_rule *rule_find(const char *section, const char *key)
{
    for (size_t i = 0; i < N_RULES; i++)
        if (strcmp(key_rules[i].section, section) == 0 && key_rules[i].key &&
            strcmp(key_rules[i].key, key) == 0)
            return &key_rules[i];
    return NULL;
}

/* ---- small text helpers ------------------------------------------------------------ */

/* Append s for quoting in a message: control bytes shown as '?', cut at QUOTE_MAX bytes
 * on a UTF-8 character boundary. */
static void quote_into(struct strbuf *sb, const char *s)
{
    size_t n = strlen(s);
    bool cut = n > QUOTE_MAX;
    if (cut) {
        n = QUOTE_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        sb_addc(sb, c < 0x20 || c == 0x7f ? '?' : (char)c);
    }
    if (cut)
        sb_add(sb, "...");
}

/* A printable copy of s for a message; caller frees. */
static char *quoted(const char *s)
{
    struct strbuf sb = {0};
    while (isspace((unsigned char)*s))
        s++;
    quote_into(&sb, s);
    return sb_take(&sb);
}

/* Why s cannot be shown as a name, or NULL when it can. */
static const char *text_problem(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x20 || *p == 0x7f)
            return "holds a control character";
        int more = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2
                            : (*p & 0xF8) == 0xF0 ? 3 : -1;
        if (more < 0 || (more == 1 && *p < 0xC2))
            return "is not valid UTF-8 text (save the file as UTF-8)";
        p++;
        for (int i = 0; i < more; i++, p++)
            if ((*p & 0xC0) != 0x80)
                return "is not valid UTF-8 text (save the file as UTF-8)";
    }
    return NULL;
}

static bool agency_code_ok(const char *code)
{
    size_t n = strlen(code);
    if (n < 1 || n > AGENCY_CODE_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)code[i]) && code[i] != '-' && code[i] != '_')
            return false;
    return true;
}

/* ---- the file as lines ------------------------------------------------------------- */

struct src_line {
    const char *text; /* without its line ending; may hold NUL bytes */
    size_t len;
    int group;        /* index of the first line of its backslash-continued group */
    bool dropped;     /* has a syntax problem: left out of what iniparser reads */
};

struct src {
    char *buf; /* copy of the file without BOM or carriage returns */
    struct src_line *lines;
    int n;
};

static bool line_continues(const struct src_line *l)
{
    size_t n = l->len;
    while (n > 0 && isspace((unsigned char)l->text[n - 1]))
        n--;
    return n > 0 && l->text[n - 1] == '\\';
}

/* Copy data, drop a UTF-8 byte-order mark, turn CRLF and lone CR into LF, split lines. */
static void src_init(struct src *s, const char *data, size_t len)
{
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    s->buf = xmalloc(len + 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\r') {
            if (i + 1 < len && data[i + 1] == '\n')
                continue;
            s->buf[o++] = '\n';
        } else {
            s->buf[o++] = data[i];
        }
    }
    s->buf[o] = '\0';

    size_t cap = 16;
    s->lines = xmalloc(cap * sizeof *s->lines);
    s->n = 0;
    for (size_t start = 0; start < o;) {
        const char *nl = memchr(s->buf + start, '\n', o - start);
        size_t end = nl ? (size_t)(nl - s->buf) : o;
        if ((size_t)s->n == cap) {
            cap *= 2;
            s->lines = xrealloc(s->lines, cap * sizeof *s->lines);
        }
        struct src_line *l = &s->lines[s->n];
        *l = (struct src_line){s->buf + start, end - start, s->n, false};
        if (s->n > 0 && line_continues(&s->lines[s->n - 1]))
            l->group = s->lines[s->n - 1].group;
        s->n++;
        start = end + 1;
        if (s->n == INT_MAX)
            break;
    }
}

static void src_free(struct src *s)
{
    free(s->buf);
    free(s->lines);
    memset(s, 0, sizeof *s);
}

/* Leave out line i and the lines it continues; returns the group's first line number
 * (1-based), or 0 when it was already left out. */
static int src_drop(struct src *s, int i)
{
    if (i < 0 || i >= s->n || s->lines[i].dropped)
        return 0;
    for (int j = s->lines[i].group; j <= i; j++)
        s->lines[j].dropped = true;
    return s->lines[i].group + 1;
}

/* ---- handing the text to iniparser ------------------------------------------------- */

/* What iniparser told us during one iniparser_load. */
struct capture {
    const char *fdpath;
    struct src *src;
    struct diags *diags;
    const char *name; /* the real file name, for diags */
    int new_lines;    /* lines newly found bad in this pass */
    bool fatal;       /* a message that no re-read can cure */
};

/* iniparser's error callback has no user pointer; it and this are process globals. */
static struct capture *active_capture;

/* Parse "<lead><fdpath> (<n>)" at the start of msg; *rest is what follows. */
static bool message_line(const char *msg, const char *lead, const char *fdpath, int *line,
                         const char **rest)
{
    size_t n = strlen(lead), m = strlen(fdpath);
    if (strncmp(msg, lead, n) != 0 || strncmp(msg + n, fdpath, m) != 0 ||
        strncmp(msg + n + m, " (", 2) != 0)
        return false;
    const char *p = msg + n + m + 2;
    long v = 0;
    int digits = 0;
    while (isdigit((unsigned char)*p) && digits < 10) {
        v = v * 10 + (*p++ - '0');
        digits++;
    }
    if (digits == 0 || *p != ')' || v < 1 || v > INT_MAX)
        return false;
    *line = (int)v;
    *rest = p + 1;
    return true;
}

static void capture_message(struct capture *c, const char *msg)
{
    int line;
    const char *rest;
    if (message_line(msg, "iniparser: syntax error in ", c->fdpath, &line, &rest)) {
        int at = src_drop(c->src, line - 1);
        if (!at)
            return;
        c->new_lines++;
        const char *text = strncmp(rest, ":\n-> ", 5) == 0 ? rest + 5 : "";
        char *copy = xstrdup(text);
        size_t n = strlen(copy);
        while (n > 0 && copy[n - 1] == '\n')
            copy[--n] = '\0';
        char *q = quoted(copy);
        diags_add(c->diags, DIAG_ERROR, c->name, at,
                  "syntax error: expected `key = value`, `[section]` or a comment, found \"%s\"",
                  q);
        free(q);
        free(copy);
    } else if (message_line(msg, "iniparser: input line too long in ", c->fdpath, &line,
                            &rest)) {
        int at = src_drop(c->src, line - 1);
        if (!at)
            return;
        c->new_lines++;
        diags_add(c->diags, DIAG_ERROR, c->name, at, LINE_TOO_LONG, INI_LINE_MAX);
    } else if (strncmp(msg, "iniparser: cannot open ", 23) == 0) {
        diags_add(c->diags, DIAG_ERROR, c->name, 0,
                  "the INI reader cannot open its copy of the file (is /proc mounted?)");
        c->fatal = true;
    } else {
        char *q = quoted(msg);
        diags_add(c->diags, DIAG_ERROR, c->name, 0, "the INI reader failed: %s", q);
        free(q);
        c->fatal = true;
    }
}

static int capture_callback(const char *fmt, ...)
{
    char msg[3 * 1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (active_capture)
        capture_message(active_capture, msg);
    return n;
}

/* An anonymous file to hold the text: memfd, else an unlinked temporary file. */
static int scratch_fd(void)
{
    int fd = memfd_create("ragboard-ini", MFD_CLOEXEC);
    if (fd >= 0)
        return fd;
    const char *dirs[2] = {getenv("TMPDIR"), "/tmp"};
    for (int i = 0; i < 2; i++) {
        if (!dirs[i] || !*dirs[i])
            continue;
        char *tmpl = xasprintf("%s/ragboard-ini-XXXXXX", dirs[i]);
        fd = mkostemp(tmpl, O_CLOEXEC);
        if (fd >= 0)
            unlink(tmpl);
        free(tmpl);
        if (fd >= 0)
            return fd;
    }
    return -1;
}

/* Replace the contents of fd with the lines of s not dropped (dropped ones stay as blank
 * lines, so line numbers do not move). */
static bool write_text(int fd, const struct src *s)
{
    struct strbuf sb = {0};
    for (int i = 0; i < s->n; i++) {
        if (!s->lines[i].dropped)
            sb_addn(&sb, s->lines[i].text, s->lines[i].len);
        sb_addc(&sb, '\n');
    }
    bool ok = ftruncate(fd, 0) == 0;
    for (size_t off = 0; ok && off < sb.len;) {
        ssize_t w = pwrite(fd, sb.buf + off, sb.len - off, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        if (ok)
            off += (size_t)w;
    }
    sb_free(&sb);
    return ok;
}

/* Run iniparser over s, reporting each bad line as an error and reading again without it
 * until the rest parses. NULL (with an error diag) when nothing could be read. */
static dictionary *parse_src(struct src *s, const char *name, struct diags *diags)
{
    /* Lines iniparser cannot take at all. It stops at the first over-long line, so
     * finding those here saves a re-read for each; it still catches joined ones. */
    for (int i = 0; i < s->n; i++) {
        int at;
        if (memchr(s->lines[i].text, '\0', s->lines[i].len) && (at = src_drop(s, i)))
            diags_add(diags, DIAG_ERROR, name, at,
                      "the line holds a NUL byte: is this a text file?");
        else if (s->lines[i].len > INI_LINE_MAX && (at = src_drop(s, i)))
            diags_add(diags, DIAG_ERROR, name, at, LINE_TOO_LONG, INI_LINE_MAX);
    }
    size_t errors = diags_errors(diags);
    int fd = scratch_fd();
    if (fd < 0) {
        diags_add(diags, DIAG_ERROR, name, 0,
                  "cannot make a temporary copy for the INI reader: %s", strerror(errno));
        return NULL;
    }
    char fdpath[64];
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
    struct capture cap = {fdpath, s, diags, name, 0, false};

    dictionary *d = NULL;
    for (int pass = 0; pass <= s->n + 1; pass++) {
        if (!write_text(fd, s)) {
            diags_add(diags, DIAG_ERROR, name, 0,
                      "cannot make a temporary copy for the INI reader: %s", strerror(errno));
            break;
        }
        cap.new_lines = 0;
        active_capture = &cap;
        iniparser_set_error_callback(capture_callback);
        d = iniparser_load(fdpath);
        iniparser_set_error_callback(NULL); /* back to iniparser's default */
        active_capture = NULL;
        if (cap.new_lines == 0 || cap.fatal)
            break;
        if (d) {
            iniparser_freedict(d);
            d = NULL;
        }
    }
    if (!d && diags_errors(diags) == errors)
        diags_add(diags, DIAG_ERROR, name, 0, "the INI reader could not read the file");
    close(fd);
    return d;
}

/* ---- where each section and key is (iniparser keeps no line numbers) ---------------- */

struct spot {
    char *name; /* "section" or "section:key", lower case as iniparser stores them */
    int line;
};

struct line_index {
    struct spot *keys, *sections;
    size_t n_keys, n_sections;
};

struct hit {
    int first, last, count;
};

static void spot_add(struct spot **v, size_t *n, char *name, int line)
{
    if ((*n & (*n - 1)) == 0) /* grow at 1, 2, 4, 8, ... */
        *v = xrealloc(*v, (*n ? *n * 2 : 1) * sizeof **v);
    (*v)[(*n)++] = (struct spot){name, line};
}

static int spot_cmp(const void *a, const void *b)
{
    const struct spot *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static char *lower_trimmed(const char *s, size_t n)
{
    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    char *out = xstrndup(s, n);
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return out;
}

/* Index the lines iniparser read: section headers and "key =" lines. Keys before any
 * section and section names holding ':' are reported here, as iniparser hides them. */
static void index_build(struct line_index *ix, const struct src *s, const char *name,
                        struct diags *diags)
{
    memset(ix, 0, sizeof *ix);
    const char *section = NULL;
    for (int i = 0; i < s->n; i++) {
        const struct src_line *l = &s->lines[i];
        if (l->dropped || l->group != i)
            continue;
        const char *t = l->text;
        size_t n = l->len;
        while (n > 0 && isspace((unsigned char)*t)) {
            t++;
            n--;
        }
        while (n > 0 && isspace((unsigned char)t[n - 1]))
            n--;
        if (n == 0 || *t == ';' || *t == '#')
            continue;
        if (*t == '[' && t[n - 1] == ']' && n >= 2) {
            char *sec = lower_trimmed(t + 1, n - 2);
            spot_add(&ix->sections, &ix->n_sections, sec, i + 1);
            section = sec;
            if (strchr(sec, ':')) {
                char *q = quoted(sec);
                diags_add(diags, DIAG_WARNING, name, i + 1,
                          "section [%s] ignored: section names cannot hold ':'", q);
                free(q);
            }
            continue;
        }
        const char *eq = memchr(t, '=', n);
        if (!eq)
            continue;
        char *key = lower_trimmed(t, (size_t)(eq - t));
        if (!section) {
            char *q = quoted(key);
            diags_add(diags, DIAG_WARNING, name, i + 1,
                      "key \"%s\" ignored: it comes before the first [section]", q);
            free(q);
            free(key);
            continue;
        }
        spot_add(&ix->keys, &ix->n_keys, xasprintf("%s:%s", section, key), i + 1);
        free(key);
    }
    if (ix->n_keys)
        qsort(ix->keys, ix->n_keys, sizeof *ix->keys, spot_cmp);
    if (ix->n_sections)
        qsort(ix->sections, ix->n_sections, sizeof *ix->sections, spot_cmp);
}

static struct hit index_find(const struct spot *v, size_t n, const char *name)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    struct hit h = {0, 0, 0};
    for (size_t i = lo; i < n && strcmp(v[i].name, name) == 0; i++) {
        if (!h.count)
            h.first = v[i].line;
        h.last = v[i].line;
        h.count++;
    }
    return h;
}

static void index_free(struct line_index *ix)
{
    for (size_t i = 0; i < ix->n_keys; i++)
        free(ix->keys[i].name);
    for (size_t i = 0; i < ix->n_sections; i++)
        free(ix->sections[i].name);
    free(ix->keys);
    free(ix->sections);
    memset(ix, 0, sizeof *ix);
}

/* ---- applying the values ----------------------------------------------------------- */

struct loader {
    struct config *cfg;
    dictionary *dict;
    struct line_index ix;
    const char *name; /* file name for diags */
    struct diags *diags;
};

/* True when full (a "section:..." entry) is a "[section:x]" header or lies under one:
 * those are reported once, where the header is. */
static bool under_colon_section(const struct loader *ld, const char *full)
{
    const char *p = strchr(full, ':'); /* the first ':' ends the known section's name */
    while (p && (p = strchr(p + 1, ':')) != NULL) {
        char *prefix = xstrndup(full, (size_t)(p - full));
        bool found = index_find(ld->ix.sections, ld->ix.n_sections, prefix).count > 0;
        free(prefix);
        if (found)
            return true;
    }
    return index_find(ld->ix.sections, ld->ix.n_sections, full).count > 0;
}

static void set_text(struct config *cfg, size_t offset, const char *value)
{
    char **field = (char **)((char *)cfg + offset);
    free(*field);
    *field = xstrdup(value);
}

static void apply_value(struct loader *ld, const struct key_rule *r, const char *value,
                        int line)
{
    char *q = quoted(value);
    const char *sec = r->section, *key = r->key;
    switch (r->kind) {
    case VAL_TEXT: {
        const char *why = str_blank(value) ? "is empty" : text_problem(value);
        if (why)
            diags_add(ld->diags, DIAG_ERROR, ld->name, line, "[%s] %s %s", sec, key, why);
        else
            set_text(ld->cfg, r->offset, value);
        break;
    }
    case VAL_THREAT: {
        enum threat_level t;
        if (threat_parse(value, &t))
            *(enum threat_level *)((char *)ld->cfg + r->offset) = t;
        else
            diags_add(ld->diags, DIAG_ERROR, ld->name, line,
                      "[%s] %s: \"%s\" is not a threat level (expected LOW, MODERATE, "
                      "SUBSTANTIAL, SEVERE or CRITICAL)",
                      sec, key, q);
        break;
    }
    case VAL_DATE: {
        rb_day day = RB_NO_DATE;
        if (str_blank(value) || date_parse(value, &day))
            *(rb_day *)((char *)ld->cfg + r->offset) = day;
        else
            diags_add(ld->diags, DIAG_ERROR, ld->name, line,
                      "[%s] %s: \"%s\" is not a date (expected YYYY-MM-DD or dd/mm/yyyy, "
                      "or nothing)",
                      sec, key, q);
        break;
    }
    case VAL_INT: {
        long v;
        if (parse_int_strict(value, r->min, r->max, &v))
            *(int *)((char *)ld->cfg + r->offset) = (int)v;
        else
            diags_add(ld->diags, DIAG_ERROR, ld->name, line,
                      "[%s] %s: \"%s\" is %s (expected %ld to %ld)", sec, key, q,
                      parse_int_strict(value, LONG_MIN, LONG_MAX, &v) ? "out of range"
                                                                      : "not a whole number",
                      r->min, r->max);
        break;
    }
    case VAL_THEME: {
        enum display_theme t;
        if (theme_parse(value, &t))
            *(enum display_theme *)((char *)ld->cfg + r->offset) = t;
        else
            diags_add(ld->diags, DIAG_ERROR, ld->name, line,
                      "[%s] %s: \"%s\" is not a theme (expected default, high-contrast, "
                      "monochrome or colour-blind)",
                      sec, key, q);
        break;
    }
    case VAL_BOOL: {
        static const char *const yes[] = {"true", "yes", "on", "1"};
        static const char *const no[] = {"false", "no", "off", "0"};
        int v = -1;
        for (size_t i = 0; i < 4 && v < 0; i++)
            v = str_ieq(value, yes[i]) ? 1 : str_ieq(value, no[i]) ? 0 : -1;
        if (v >= 0)
            *(bool *)((char *)ld->cfg + r->offset) = v == 1;
        else
            diags_add(ld->diags, DIAG_ERROR, ld->name, line,
                      "[%s] %s: \"%s\" is not true or false", sec, key, q);
        break;
    }
    case VAL_AGENCIES:
    case VAL_BINDINGS:
        break;
    }
    free(q);
}

/* The "section:key" entries iniparser holds for section; caller frees the array only. */
static const char **section_keys(dictionary *d, const char *section, int *n)
{
    *n = iniparser_getsecnkeys(d, section);
    if (*n <= 0) {
        *n = 0;
        return NULL;
    }
    const char **keys = xcalloc((size_t)*n, sizeof *keys);
    if (!iniparser_getseckeys(d, section, keys))
        *n = 0;
    return keys;
}

static void warn_bad_name(struct loader *ld, const char *section, const char *key, int line)
{
    char *q = quoted(key);
    diags_add(ld->diags, DIAG_WARNING, ld->name, line,
              "[%s] key \"%s\" ignored: names cannot hold ':'", section, q);
    free(q);
}

static void apply_section(struct loader *ld, const char *section)
{
    int n;
    const char **keys = section_keys(ld->dict, section, &n);
    size_t skip = strlen(section) + 1;
    for (int i = 0; i < n; i++) {
        const char *full = keys[i], *key = full + skip;
        if (under_colon_section(ld, full))
            continue;
        struct hit h = index_find(ld->ix.keys, ld->ix.n_keys, full);
        if (strchr(key, ':')) {
            warn_bad_name(ld, section, key, h.last);
            continue;
        }
        const struct key_rule *r = rule_find(section, key);
        if (!r) {
            char *q = quoted(key);
            diags_add(ld->diags, DIAG_WARNING, ld->name, h.last,
                      "[%s] unknown key \"%s\" ignored", section, q);
            free(q);
            continue;
        }
        const char *value = iniparser_getstring(ld->dict, full, NULL);
        if (!value) /* a section entry, never a key: treat as missing */
            continue;
        if (h.count > 1)
            diags_add(ld->diags, DIAG_WARNING, ld->name, h.last,
                      "[%s] %s is set %d times (first on line %d); this last value is used",
                      section, key, h.count, h.first);
        apply_value(ld, r, value, h.last);
    }
    free(keys);
}

static void agencies_free(struct config_agency *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].code);
        free(v[i].name);
    }
    free(v);
}

static void apply_agencies(struct loader *ld)
{
    int n;
    const char **keys = section_keys(ld->dict, "agencies", &n);
    struct config_agency *list = xcalloc((size_t)(n > 0 ? n : 1), sizeof *list);
    size_t count = 0;
    int seen = 0;
    for (int i = 0; i < n; i++) {
        const char *full = keys[i], *code = full + strlen("agencies:");
        if (under_colon_section(ld, full))
            continue;
        seen++;
        struct hit h = index_find(ld->ix.keys, ld->ix.n_keys, full);
        if (strchr(code, ':')) {
            warn_bad_name(ld, "agencies", code, h.last);
            continue;
        }
        char *upper = xstrdup(code);
        for (char *p = upper; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        if (!agency_code_ok(upper)) {
            char *q = quoted(upper);
            diags_add(ld->diags, DIAG_ERROR, ld->name, h.last,
                      "[agencies] \"%s\" is not a valid agency code (use 1 to %d letters, "
                      "digits, '-' or '_')",
                      q, AGENCY_CODE_MAX);
            free(q);
            free(upper);
            continue;
        }
        const char *value = iniparser_getstring(ld->dict, full, NULL);
        const char *why = NULL;
        if (!value || str_blank(value)) {
            diags_add(ld->diags, DIAG_ERROR, ld->name, h.last,
                      "[agencies] %s has no name: write %s = Full name", upper, upper);
        } else if ((why = text_problem(value)) != NULL) {
            diags_add(ld->diags, DIAG_ERROR, ld->name, h.last, "[agencies] %s: the name %s",
                      upper, why);
        } else {
            if (h.count > 1)
                diags_add(ld->diags, DIAG_WARNING, ld->name, h.last,
                          "[agencies] %s is listed %d times (first on line %d); this last "
                          "name is used",
                          upper, h.count, h.first);
            list[count++] = (struct config_agency){upper, xstrdup(value), h.last};
            upper = NULL;
        }
        free(upper);
    }
    free(keys);

    if (seen == 0) {
        struct hit h = index_find(ld->ix.sections, ld->ix.n_sections, "agencies");
        diags_add(ld->diags, DIAG_ERROR, ld->name, h.first,
                  "no agencies: add at least one line CODE = Full name under [agencies]");
    }
    if (count == 0) { /* keep the agencies we had; the problems are reported */
        free(list);
        return;
    }
    agencies_free(ld->cfg->agencies, ld->cfg->n_agencies);
    ld->cfg->agencies = list;
    ld->cfg->n_agencies = count;
}

static void bindings_free(struct config_binding *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].action);
        free(v[i].keys);
    }
    free(v);
}

/* [keys]: kept as written, in file order; the screen checks the names. */
static void apply_bindings(struct loader *ld)
{
    int n;
    const char **keys = section_keys(ld->dict, "keys", &n);
    struct config_binding *list = xcalloc((size_t)(n > 0 ? n : 1), sizeof *list);
    size_t count = 0;
    for (int i = 0; i < n; i++) {
        const char *full = keys[i], *action = full + strlen("keys:");
        if (under_colon_section(ld, full))
            continue;
        struct hit h = index_find(ld->ix.keys, ld->ix.n_keys, full);
        if (strchr(action, ':')) {
            warn_bad_name(ld, "keys", action, h.last);
            continue;
        }
        const char *value = iniparser_getstring(ld->dict, full, NULL);
        if (!value)
            continue;
        if (h.count > 1)
            diags_add(ld->diags, DIAG_WARNING, ld->name, h.last,
                      "[keys] %s is set %d times (first on line %d); this last value is used",
                      action, h.count, h.first);
        list[count++] = (struct config_binding){xstrdup(action), xstrdup(value), h.last};
    }
    free(keys);
    /* iniparser lists keys in its own order; the checks read better in file order. */
    for (size_t i = 1; i < count; i++)
        for (size_t j = i; j > 0 && list[j - 1].line > list[j].line; j--) {
            struct config_binding t = list[j];
            list[j] = list[j - 1];
            list[j - 1] = t;
        }
    bindings_free(ld->cfg->bindings, ld->cfg->n_bindings);
    ld->cfg->bindings = list;
    ld->cfg->n_bindings = count;
}

static void check_rag(struct loader *ld)
{
    const struct rag_thresholds *t = &ld->cfg->rag;
    if (t->amber_lag_pct < t->red_lag_pct)
        return;
    struct hit h = index_find(ld->ix.keys, ld->ix.n_keys, "rag:amber_lag_pct");
    if (!h.count)
        h = index_find(ld->ix.keys, ld->ix.n_keys, "rag:red_lag_pct");
    diags_add(ld->diags, DIAG_WARNING, ld->name, h.last,
              "[rag] amber_lag_pct (%d) is not below red_lag_pct (%d): lagging actions go "
              "straight to Red, never Amber",
              t->amber_lag_pct, t->red_lag_pct);
}

/* Stable sort of the diags from index first on by line, so they read in file order. */
static void diags_sort_from(struct diags *d, size_t first)
{
    for (size_t i = first + 1; i < d->n; i++) {
        struct diag g = d->v[i];
        size_t j = i;
        while (j > first && d->v[j - 1].line > g.line) {
            d->v[j] = d->v[j - 1];
            j--;
        }
        d->v[j] = g;
    }
}

/* Read the INI text data into cfg (which already holds its starting values). */
static void load_text(struct config *cfg, const char *name, const char *data, size_t len,
                      struct diags *diags)
{
    size_t first = diags->n;
    struct src s;
    src_init(&s, data, len);
    struct loader ld = {cfg, NULL, {0}, name, diags};
    ld.dict = parse_src(&s, name, diags);
    if (ld.dict) {
        index_build(&ld.ix, &s, name, diags);
        bool have_agencies = false;
        int nsec = iniparser_getnsec(ld.dict);
        for (int i = 0; i < nsec; i++) {
            const char *sec = iniparser_getsecname(ld.dict, i);
            if (!sec)
                continue;
            if (strcmp(sec, "agencies") == 0) {
                have_agencies = true;
                apply_agencies(&ld);
            } else if (strcmp(sec, "keys") == 0) {
                apply_bindings(&ld);
            } else if (section_known(sec)) {
                apply_section(&ld, sec);
            } else {
                char *q = quoted(sec);
                struct hit h = index_find(ld.ix.sections, ld.ix.n_sections, sec);
                struct strbuf known = {0};
                for (size_t k = 0; k < N_RULES; k++)
                    if (k == 0 || strcmp(key_rules[k].section, key_rules[k - 1].section))
                        sb_addf(&known, "%s[%s]", k ? ", " : "", key_rules[k].section);
                diags_add(diags, DIAG_WARNING, name, h.first,
                          "unknown section [%s] ignored (known: %s)", q, known.buf);
                sb_free(&known);
                free(q);
            }
        }
        if (!have_agencies)
            diags_add(diags, DIAG_WARNING, name, 0,
                      "no [agencies] section: using the %zu built-in agencies",
                      cfg->n_agencies);
        check_rag(&ld);
        index_free(&ld.ix);
        iniparser_freedict(ld.dict);
    }
    src_free(&s);
    diags_sort_from(diags, first);
}

/* ---- public entry points ----------------------------------------------------------- */

/* Values for when even the built-in text cannot be read. */
static void config_base(struct config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->path = xstrdup(BUILTIN_NAME);
    cfg->partnership_name = xstrdup("");
    cfg->plan_title = xstrdup("");
    cfg->threat = THREAT_SUBSTANTIAL;
    cfg->ctlp_briefing = RB_NO_DATE;
    cfg->rag = rag_default_thresholds;
    cfg->backups_kept = 10;
}

int config_load_builtin(struct config *cfg, struct diags *diags)
{
    size_t errors = diags_errors(diags);
    config_base(cfg);
    load_text(cfg, BUILTIN_NAME, ragboard_builtin_ini, ragboard_builtin_ini_len, diags);
    for (size_t i = 0; i < cfg->n_agencies; i++)
        cfg->agencies[i].line = 0;
    return diags_errors(diags) > errors ? -1 : 0;
}

void config_defaults(struct config *cfg)
{
    struct diags ignored = {0};
    config_load_builtin(cfg, &ignored);
    diags_free(&ignored);
}

/* Read the whole of path; NULL with an error diag when it cannot be read. */
static char *read_file(const char *path, size_t *len, struct diags *diags)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diags_add(diags, DIAG_ERROR, path, 0, "cannot open the configuration file: %s",
                  strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        diags_add(diags, DIAG_ERROR, path, 0, "cannot read the configuration file: %s",
                  strerror(EISDIR));
        close(fd);
        return NULL;
    }
    struct strbuf sb = {0};
    char chunk[8192];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            diags_add(diags, DIAG_ERROR, path, 0, "cannot read the configuration file: %s",
                      strerror(errno));
            break;
        }
        if (n == 0) {
            close(fd);
            *len = sb.len;
            return sb_take(&sb);
        }
        if (sb.len + (size_t)n > CONFIG_MAX_BYTES) {
            diags_add(diags, DIAG_ERROR, path, 0,
                      "the file is larger than %d KiB: is it really a configuration file?",
                      CONFIG_MAX_BYTES / 1024);
            break;
        }
        sb_addn(&sb, chunk, (size_t)n);
    }
    close(fd);
    sb_free(&sb);
    return NULL;
}

/* cfg is an output: it is set to the defaults first (anything it held is not freed). */
int config_load(const char *path, struct config *cfg, struct diags *diags)
{
    size_t errors = diags_errors(diags);
    config_defaults(cfg);
    size_t len = 0;
    char *data = read_file(path, &len, diags);
    if (!data)
        return -1;
    load_text(cfg, path, data, len, diags);
    free(data);
    free(cfg->path);
    cfg->path = xstrdup(path);
    return diags_errors(diags) > errors ? -1 : 0;
}

void config_free(struct config *cfg)
{
    free(cfg->path);
    free(cfg->partnership_name);
    free(cfg->plan_title);
    agencies_free(cfg->agencies, cfg->n_agencies);
    bindings_free(cfg->bindings, cfg->n_bindings);
    memset(cfg, 0, sizeof *cfg);
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* path when it exists (taking ownership), else NULL after freeing it. */
static char *if_exists(char *path)
{
    if (path && file_exists(path))
        return path;
    free(path);
    return NULL;
}

/* The installed default beside the running program: <prefix>/<datadir>/ragboard.ini,
 * where the program is <prefix>/<bindir>/ragboard. The kernel's path to the program has
 * no links in it, so its folder's parent is the prefix (and messages show a plain path,
 * not ".../bin/../share/..."). */
static char *beside_program(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || RAGBOARD_DATADIR_REL[0] == '/')
        return NULL;
    exe[n] = '\0';
    for (int up = 0; up < 2; up++) { /* the program's name, then its folder */
        char *slash = strrchr(exe, '/');
        if (!slash)
            return NULL;
        *slash = '\0';
    }
    return if_exists(xasprintf("%s/%s/ragboard.ini", exe, RAGBOARD_DATADIR_REL));
}

char *config_find(const char *cli_path)
{
    if (cli_path && *cli_path)
        return xstrdup(cli_path);
    const char *env = getenv("RAGBOARD_CONFIG");
    if (env && *env)
        return xstrdup(env);

    char *user = NULL;
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/') /* the XDG spec says to ignore a relative path */
        user = xasprintf("%s/ragboard/ragboard.ini", xdg);
    else if (home && *home)
        user = xasprintf("%s/.config/ragboard/ragboard.ini", home);
    if ((user = if_exists(user)) != NULL)
        return user;

    return config_find_installed();
}

char *config_find_installed(void)
{
    char *path = beside_program();
    if (path)
        return path;
    return if_exists(xstrdup(RAGBOARD_DATADIR "/ragboard.ini"));
}

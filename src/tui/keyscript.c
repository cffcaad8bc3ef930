/* The key-script reader used by the headless screen tests. */
#include "tui/keyscript.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ragboard/util.h"

struct parser {
    const char *p;
    int line, col;
    struct script_step *v;
    size_t n, cap;
};

static void push(struct parser *ps, struct script_step s)
{
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 64;
        ps->v = xrealloc(ps->v, ps->cap * sizeof *ps->v);
    }
    ps->v[ps->n++] = s;
}

static void push_key(struct parser *ps, bool function, wint_t code)
{
    push(ps, (struct script_step){.kind = STEP_KEY, .key = {function, code}});
}

static void advance(struct parser *ps, size_t n)
{
    for (size_t i = 0; i < n && *ps->p; i++) {
        if (*ps->p == '\n') {
            ps->line++;
            ps->col = 1;
        } else {
            ps->col++;
        }
        ps->p++;
    }
}

/* Decode one UTF-8 character; returns its length or 0 when invalid. */
static size_t utf8(const char *s, wchar_t *wc)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t len = mbrtowc(wc, s, strlen(s), &st);
    if (len == (size_t)-1 || len == (size_t)-2 || len == 0)
        return 0;
    return len;
}

static const struct {
    const char *name;
    bool function;
    int code;
} named[] = {
    {"Enter", false, '\r'},     {"Esc", false, 27},           {"Tab", false, '\t'},
    {"S-Tab", true, KEY_BTAB},  {"Space", false, ' '},        {"BS", true, KEY_BACKSPACE},
    {"Del", true, KEY_DC},      {"Up", true, KEY_UP},         {"Down", true, KEY_DOWN},
    {"Left", true, KEY_LEFT},   {"Right", true, KEY_RIGHT},   {"PgUp", true, KEY_PPAGE},
    {"PgDn", true, KEY_NPAGE},  {"Home", true, KEY_HOME},     {"End", true, KEY_END},
    {"lt", false, '<'},
};

static int named_key(struct parser *ps, const char *name, size_t len, char *err)
{
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (strlen(named[i].name) == len && strncmp(named[i].name, name, len) == 0) {
            push_key(ps, named[i].function, (wint_t)named[i].code);
            return 0;
        }
    }
    if (len == 3 && name[0] == 'C' && name[1] == '-' && name[2] >= 'a' && name[2] <= 'z') {
        push_key(ps, false, (wint_t)(name[2] - 'a' + 1));
        return 0;
    }
    if (len >= 2 && len <= 3 && name[0] == 'F') {
        long f;
        char num[3] = {name[1], len == 3 ? name[2] : '\0', '\0'};
        if (parse_int_strict(num, 1, 12, &f)) {
            push_key(ps, true, (wint_t)KEY_F(f));
            return 0;
        }
    }
    if (len == 4 && strncmp(name, "dump", 4) == 0) {
        push(ps, (struct script_step){.kind = STEP_DUMP});
        return 0;
    }
    if (len > 7 && strncmp(name, "resize ", 7) == 0) {
        char buf[32];
        size_t n = len - 7 < sizeof buf - 1 ? len - 7 : sizeof buf - 1;
        memcpy(buf, name + 7, n);
        buf[n] = '\0';
        char *x = strchr(buf, 'x');
        long cols, rows;
        if (x) {
            *x = '\0';
            if (parse_int_strict(buf, 1, 1000, &cols) && parse_int_strict(x + 1, 1, 1000, &rows)) {
                push(ps, (struct script_step){.kind = STEP_RESIZE, .rows = (int)rows,
                                              .cols = (int)cols});
                return 0;
            }
        }
        return rb_fail(err, "line %d, column %d: resize needs COLSxROWS, 1 to 1000 each",
                       ps->line, ps->col);
    }
    return rb_fail(err, "line %d, column %d: unknown key <%.*s>", ps->line, ps->col,
                   (int)(len > 40 ? 40 : len), name);
}

int keyscript_parse(const char *text, struct script_step **out, size_t *n, char *err)
{
    struct parser ps = {.p = text, .line = 1, .col = 1};
    int rc = 0;
    while (rc == 0 && *ps.p) {
        char c = *ps.p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            advance(&ps, 1);
        } else if (c == '#') {
            while (*ps.p && *ps.p != '\n')
                advance(&ps, 1);
        } else if (c == '<') {
            const char *end = strchr(ps.p + 1, '>');
            const char *nl = strchr(ps.p + 1, '\n');
            if (!end || (nl && nl < end)) {
                rc = rb_fail(err, "line %d, column %d: '<' without '>' (write <lt> for a '<' "
                                  "key)", ps.line, ps.col);
                break;
            }
            rc = named_key(&ps, ps.p + 1, (size_t)(end - ps.p - 1), err);
            advance(&ps, (size_t)(end - ps.p + 1));
        } else if (c == '"') {
            int line = ps.line, col = ps.col;
            advance(&ps, 1);
            while (*ps.p && *ps.p != '"') {
                if (*ps.p == '\\' && (ps.p[1] == '"' || ps.p[1] == '\\'))
                    advance(&ps, 1);
                wchar_t wc;
                size_t len = utf8(ps.p, &wc);
                if (!len) {
                    rc = rb_fail(err, "line %d, column %d: not UTF-8 text", ps.line, ps.col);
                    break;
                }
                push_key(&ps, false, (wint_t)wc);
                advance(&ps, len);
            }
            if (rc == 0 && *ps.p != '"')
                rc = rb_fail(err, "line %d, column %d: quoted text never ends", line, col);
            advance(&ps, 1);
        } else {
            while (rc == 0 && *ps.p && !strchr(" \t\r\n<\"#", *ps.p)) {
                wchar_t wc;
                size_t len = utf8(ps.p, &wc);
                if (!len) {
                    rc = rb_fail(err, "line %d, column %d: not UTF-8 text", ps.line, ps.col);
                    break;
                }
                push_key(&ps, false, (wint_t)wc);
                advance(&ps, len);
            }
        }
    }
    if (rc != 0) {
        free(ps.v);
        *out = NULL;
        *n = 0;
        return -1;
    }
    *out = ps.v;
    *n = ps.n;
    return 0;
}

/* Editing, scrolling, wrapping and checking form values; no curses here. */
#include "tui/form_text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "ragboard/util.h"
#include "tui/text.h"

static void reserve(struct form_text *t, size_t n)
{
    if (n + 1 <= t->cap)
        return;
    size_t cap = t->cap ? t->cap : 32;
    while (cap < n + 1)
        cap *= 2;
    t->buf = xrealloc(t->buf, cap * sizeof *t->buf);
    t->cap = cap;
}

void form_text_set(struct form_text *t, const char *s)
{
    wchar_t *w = text_to_wide(s ? s : "");
    size_t n = wcslen(w);
    reserve(t, n);
    memcpy(t->buf, w, (n + 1) * sizeof *w);
    free(w);
    t->len = t->cur = n;
}

char *form_text_get(const struct form_text *t)
{
    return text_from_wide(t->buf, t->len);
}

void form_text_free(struct form_text *t)
{
    free(t->buf);
    memset(t, 0, sizeof *t);
}

bool form_text_insert(struct form_text *t, wchar_t c)
{
    reserve(t, t->len + 1);
    memmove(t->buf + t->cur + 1, t->buf + t->cur, (t->len - t->cur) * sizeof *t->buf);
    t->buf[t->cur++] = c;
    t->buf[++t->len] = L'\0';
    return true;
}

/* Remove characters [from, to) and put the cursor at from. */
static bool cut(struct form_text *t, size_t from, size_t to)
{
    if (from >= to)
        return false;
    memmove(t->buf + from, t->buf + to, (t->len - to + 1) * sizeof *t->buf);
    t->len -= to - from;
    t->cur = from;
    return true;
}

bool form_text_backspace(struct form_text *t)
{
    return t->cur > 0 && cut(t, t->cur - 1, t->cur);
}

bool form_text_delete(struct form_text *t)
{
    return t->cur < t->len && cut(t, t->cur, t->cur + 1);
}

bool form_text_delete_word(struct form_text *t)
{
    size_t i = t->cur;
    while (i > 0 && iswspace((wint_t)t->buf[i - 1]))
        i--;
    while (i > 0 && !iswspace((wint_t)t->buf[i - 1]))
        i--;
    return cut(t, i, t->cur);
}

bool form_text_clear(struct form_text *t)
{
    if (t->len == 0)
        return false;
    t->len = t->cur = 0;
    t->buf[0] = L'\0';
    return true;
}

bool form_text_left(struct form_text *t)
{
    if (t->cur == 0)
        return false;
    t->cur--;
    return true;
}

bool form_text_right(struct form_text *t)
{
    if (t->cur >= t->len)
        return false;
    t->cur++;
    return true;
}

bool form_text_home(struct form_text *t)
{
    bool moved = t->cur != 0;
    t->cur = 0;
    return moved;
}

bool form_text_end(struct form_text *t)
{
    bool moved = t->cur != t->len;
    t->cur = t->len;
    return moved;
}

int form_text_cell(wchar_t c)
{
    if (c < L' ')
        return 1;
    int w = wcwidth(c);
    return w < 0 ? 1 : w;
}

int form_text_cells(const wchar_t *s, size_t n)
{
    int cells = 0;
    for (size_t i = 0; i < n; i++)
        cells += form_text_cell(s[i]);
    return cells;
}

size_t form_text_hscroll(const struct form_text *t, size_t first, int width)
{
    if (width < 2)
        return t->cur;
    if (first > t->cur)
        first = t->cur;
    /* Keep the cursor's own cell on screen. */
    while (first < t->cur && form_text_cells(t->buf + first, t->cur - first) > width - 1)
        first++;
    /* Scroll back when there is room again (after deleting). */
    while (first > 0 && form_text_cells(t->buf + first - 1, t->len - first + 1) <= width - 1)
        first--;
    return first;
}

size_t form_text_wrap(const struct form_text *t, int width, size_t *starts, size_t max)
{
    int room = width > 2 ? width - 1 : 1;
    size_t n = 0, i = 0;
    if (max > 0)
        starts[n] = 0;
    n++;
    while (i < t->len) {
        size_t start = i, last_blank = 0;
        int used = 0;
        while (i < t->len && t->buf[i] != L'\n') {
            int cw = form_text_cell(t->buf[i]);
            if (used + cw > room && i > start)
                break;
            if (t->buf[i] == L' ')
                last_blank = i + 1;
            used += cw;
            i++;
        }
        if (i < t->len && t->buf[i] == L'\n')
            i++;
        else if (i < t->len && last_blank > start && t->buf[i] != L' ')
            i = last_blank;
        else if (i < t->len && t->buf[i] == L' ')
            i++; /* a blank at the cut stays at the end of its line */
        if (i >= t->len && !(i > 0 && t->buf[i - 1] == L'\n'))
            break;
        if (n < max)
            starts[n] = i;
        n++;
    }
    return n < max ? n : max;
}

size_t form_text_line_of(const size_t *starts, size_t n, size_t pos)
{
    size_t line = 0;
    while (line + 1 < n && starts[line + 1] <= pos)
        line++;
    return line;
}

/* Copy of s without leading and trailing blanks; caller frees. */
static char *trimmed(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    return xstrndup(s, n);
}

const char *form_check_date(const char *s, bool required, rb_day *out)
{
    *out = RB_NO_DATE;
    if (str_blank(s))
        return required ? "required" : NULL;
    return date_parse(s, out) ? NULL : "not a date: use dd/mm/yyyy";
}

const char *form_check_percent(const char *s, bool required, int *out)
{
    *out = -1;
    if (str_blank(s))
        return required ? "required" : NULL;
    char *t = trimmed(s);
    size_t n = strlen(t);
    if (n > 0 && t[n - 1] == '%')
        t[--n] = '\0';
    long v;
    bool ok = parse_int_strict(t, 0, 100, &v);
    free(t);
    if (!ok)
        return "0 to 100";
    *out = (int)v;
    return NULL;
}

static bool is_separator(char c)
{
    return c == ',' || c == ';' || isspace((unsigned char)c);
}

bool form_check_agencies(const char *s, const struct agency *v, size_t n, char **codes,
                         char *msg, size_t msg_size)
{
    struct strbuf sb = {0};
    bool *seen = xcalloc(n ? n : 1, sizeof *seen);
    bool ok = true;
    const char *p = s ? s : "";
    while (*p) {
        while (*p && is_separator(*p))
            p++;
        const char *start = p;
        while (*p && !is_separator(*p))
            p++;
        if (p == start)
            break;
        char *code = xstrndup(start, (size_t)(p - start));
        size_t i = 0;
        while (i < n && !str_ieq(code, v[i].code))
            i++;
        if (i == n) {
            snprintf(msg, msg_size, "unknown agency %s", code);
            ok = false;
        } else if (!seen[i]) {
            seen[i] = true;
            if (sb.len)
                sb_add(&sb, ", ");
            sb_add(&sb, v[i].code);
        }
        free(code);
        if (!ok)
            break;
    }
    free(seen);
    if (ok && codes)
        *codes = sb_take(&sb);
    sb_free(&sb);
    return ok;
}

/* UTF-8 aware drawing: widths, truncation, padding, highlighting and wrapping. */
#include "tui/text.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/util.h"

/* Decode one character at s (n bytes left); invalid bytes decode as U+FFFD, length 1. */
static size_t decode(const char *s, size_t n, wchar_t *wc)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t len = mbrtowc(wc, s, n, &st);
    if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
        *wc = L'?';
        return 1;
    }
    return len;
}

static int cell_width(wchar_t wc)
{
    if (wc == L'\t' || wc == L'\n' || wc == L'\r')
        return 1;
    int w = wcwidth(wc);
    return w < 0 ? 1 : w;
}

int text_width(const char *s)
{
    int width = 0;
    size_t n = strlen(s);
    while (n > 0) {
        wchar_t wc;
        size_t len = decode(s, n, &wc);
        width += cell_width(wc);
        s += len;
        n -= len;
    }
    return width;
}

/* Is there a case-insensitive match of any word at s? Returns its length in bytes. */
static size_t match_at(const char *s, const char *words)
{
    if (!words)
        return 0;
    const char *p = words;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *start = p;
        while (*p && *p != ' ')
            p++;
        size_t n = (size_t)(p - start);
        if (n > 0 && strncasecmp(s, start, n) == 0)
            return n;
    }
    return 0;
}

int text_put_hl(WINDOW *w, int y, int x, const char *s, int width, bool pad, const char *words,
                attr_t hl)
{
    if (width <= 0)
        return 0;
    if (!s)
        s = "";
    int total = text_width(s);
    bool cut = total > width;
    int room = cut && width > 1 ? width - 1 : width;
    int used = 0;
    size_t n = strlen(s);
    size_t hl_left = 0;
    wmove(w, y, x);
    attr_t base = getattrs(w);
    while (n > 0) {
        if (hl_left == 0)
            hl_left = match_at(s, words);
        wchar_t wc;
        size_t len = decode(s, n, &wc);
        int cw = cell_width(wc);
        if (used + cw > room)
            break;
        if (wc < L' ' || wc == 0x7f)
            wc = L' ';
        if (hl_left > 0)
            wattron(w, hl);
        waddnwstr(w, &wc, 1);
        if (hl_left > 0) {
            hl_left = hl_left > len ? hl_left - len : 0;
            wattrset(w, base);
        }
        used += cw;
        s += len;
        n -= len;
    }
    if (cut && width > 1 && used < width) {
        waddch(w, '~');
        used++;
    }
    while (pad && used < width) {
        waddch(w, ' ');
        used++;
    }
    return used;
}

int text_put(WINDOW *w, int y, int x, const char *s, int width, bool pad)
{
    return text_put_hl(w, y, x, s, width, pad, NULL, A_NORMAL);
}

int text_wrap(const char *s, int width, void (*cb)(const char *line, size_t len, void *ctx),
              void *ctx)
{
    int lines = 0;
    if (width < 1)
        width = 1;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t para = nl ? (size_t)(nl - s) : strlen(s);
        size_t start = 0;
        do {
            /* Take as many characters as fit; back up to the last space if cut. */
            size_t i = start, last_space = 0;
            int used = 0;
            while (i < para) {
                wchar_t wc;
                size_t len = decode(s + i, para - i, &wc);
                int cw = cell_width(wc);
                if (used + cw > width)
                    break;
                if (wc == L' ')
                    last_space = i;
                used += cw;
                i += len;
            }
            size_t end = i;
            if (i < para && last_space > start)
                end = last_space;
            cb(s + start, end - start, ctx);
            lines++;
            start = end;
            while (start < para && s[start] == ' ')
                start++;
        } while (start < para);
        s += para;
        if (*s == '\n')
            s++;
    }
    return lines;
}

wchar_t *text_to_wide(const char *s)
{
    size_t n = strlen(s);
    wchar_t *out = xcalloc(n + 1, sizeof *out);
    size_t k = 0;
    while (n > 0) {
        size_t len = decode(s, n, &out[k++]);
        s += len;
        n -= len;
    }
    out[k] = L'\0';
    return out;
}

char *text_from_wide(const wchar_t *w, size_t n)
{
    struct strbuf sb = {0};
    char buf[MB_LEN_MAX];
    mbstate_t st;
    memset(&st, 0, sizeof st);
    for (size_t i = 0; i < n; i++) {
        size_t len = wcrtomb(buf, w[i], &st);
        if (len == (size_t)-1) {
            memset(&st, 0, sizeof st);
            sb_addc(&sb, '?');
        } else {
            sb_addn(&sb, buf, len);
        }
    }
    return sb_take(&sb);
}

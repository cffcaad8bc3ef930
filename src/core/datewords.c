/* Spreadsheet dates (numeric, with month names, months, financial quarters, no-date
 * words), status and RAG words, percentages and yes/no. */
#include "ragboard/datewords.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ragboard/util.h"

/* Longest cell text looked at; anything longer is not a date or a word. */
#define WORD_MAX 80

/* Trimmed, lower-case copy of s into buf (WORD_MAX + 1); false when too long. */
static bool lower_trim(const char *s, char *buf)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    if (n > WORD_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)tolower((unsigned char)s[i]);
    buf[n] = '\0';
    return true;
}

/* Only letters and digits of s, lower case, into buf (WORD_MAX + 1). */
static bool squeeze(const char *s, size_t len, char *buf)
{
    size_t o = 0;
    for (size_t i = 0; i < len && s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isalnum(c))
            continue;
        if (o == WORD_MAX)
            return false;
        buf[o++] = (char)tolower(c);
    }
    buf[o] = '\0';
    return true;
}

static void explain(char *why, const char *fmt, ...) RB_PRINTF(2, 3);
static void explain(char *why, const char *fmt, ...)
{
    if (!why)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, RB_ERRLEN, fmt, ap);
    va_end(ap);
}

#define GENERIC_WHY                                                                      \
    "\"%.60s\" is not a date; use a date such as 31/03/2026 or 31 March 2026, a month "   \
    "such as March 2026, a quarter such as Q3 2025/26, or Ongoing or TBC for none"

/* ---- numeric dates ---- */

static int digits(const char **p, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (isdigit((unsigned char)**p)) {
        if (n == max)
            return max + 1;
        *v = *v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n;
}

/* " 00:00", " 00:00:00", "T00:00:00", with optional fractions of a second. */
static bool time_suffix(const char *p)
{
    if (*p == '\0')
        return true;
    if (*p != ' ' && *p != 't')
        return false;
    while (*p == ' ' || *p == 't')
        p++;
    int v, n = digits(&p, 2, &v);
    if (n < 1 || n > 2 || v > 23 || *p++ != ':')
        return false;
    if (digits(&p, 2, &v) != 2 || v > 59)
        return false;
    if (*p == ':') {
        p++;
        if (digits(&p, 2, &v) != 2 || v > 60)
            return false;
        if (*p == '.') {
            p++;
            if (digits(&p, 9, &v) < 1)
                return false;
        }
    }
    if (*p == 'z')
        p++;
    return *p == '\0';
}

static int full_year(int y, int ndigits)
{
    return ndigits == 2 ? 2000 + y : y;
}

/* 2026-03-31, 31/03/2026, 31.3.26 ... Returns 1 (a date), 0 (not this form), -1 (this
 * form but wrong; why filled). */
static int parse_numeric(const char *t, const char *cell, rb_day *out, char *why)
{
    const char *p = t;
    int a, b, c;
    int na = digits(&p, 4, &a);
    if (na < 1 || na > 4)
        return 0;
    char sep = *p;
    if (sep != '-' && sep != '/' && sep != '.')
        return 0;
    p++;
    int nb = digits(&p, 2, &b);
    if (nb < 1 || nb > 2 || *p != sep)
        return 0;
    p++;
    int nc = digits(&p, 4, &c);
    if (nc < 1 || nc > 4 || !time_suffix(p))
        return 0;
    int y, m, d;
    if (na == 4) {
        if (nc > 2)
            return 0;
        y = a;
        m = b;
        d = c;
    } else {
        if (na > 2 || (nc != 2 && nc != 4)) {
            explain(why, "\"%.60s\" is not a date: the year needs two or four digits",
                    cell);
            return -1;
        }
        d = a;
        m = b;
        y = full_year(c, nc);
    }
    if (m > 12 && na != 4) {
        explain(why, "\"%.60s\" is not a date: month %d does not exist; dates are read day "
                     "first, as in the UK (31/03/2026)",
                cell, m);
        return -1;
    }
    if (!date_valid(y, m, d)) {
        explain(why, "\"%.60s\" is not a real date", cell);
        return -1;
    }
    *out = date_from_ymd(y, m, d);
    return 1;
}

/* ---- dates in words ---- */

enum tok_kind { TOK_NUM, TOK_WORD };

struct tok {
    enum tok_kind kind;
    int value;    /* TOK_NUM */
    int ndigits;  /* TOK_NUM */
    bool ordinal; /* TOK_NUM followed by st, nd, rd or th */
    char sep;     /* the separator before it: 0, ' ', '-', '/', ',', '.' */
    char word[16];
};

#define MAX_TOKS 8

/* Split into numbers and words; false on anything else. */
static int tokenize(const char *t, struct tok *v)
{
    int n = 0;
    char sep = 0;
    const char *p = t;
    while (*p) {
        if (strchr(" -/,.", *p)) {
            if (sep == 0 || sep == ' ')
                sep = *p;
            p++;
            continue;
        }
        if (n == MAX_TOKS)
            return -1;
        struct tok *k = &v[n];
        memset(k, 0, sizeof *k);
        k->sep = sep;
        sep = 0;
        if (isdigit((unsigned char)*p)) {
            k->kind = TOK_NUM;
            int nd = digits(&p, 4, &k->value);
            if (nd > 4)
                return -1;
            k->ndigits = nd;
            if (isalpha((unsigned char)p[0]) && isalpha((unsigned char)p[1]) &&
                !isalpha((unsigned char)p[2]) &&
                (strncmp(p, "st", 2) == 0 || strncmp(p, "nd", 2) == 0 ||
                 strncmp(p, "rd", 2) == 0 || strncmp(p, "th", 2) == 0)) {
                k->ordinal = true;
                p += 2;
            }
        } else if (isalpha((unsigned char)*p)) {
            k->kind = TOK_WORD;
            size_t len = 0;
            while (isalpha((unsigned char)*p)) {
                if (len + 1 >= sizeof k->word)
                    return -1;
                k->word[len++] = *p++;
            }
        } else {
            return -1;
        }
        n++;
    }
    return n;
}

static int month_of(const char *w)
{
    static const char *const names[12] = {"january", "february", "march", "april",
                                          "may", "june", "july", "august", "september",
                                          "october", "november", "december"};
    for (int i = 0; i < 12; i++) {
        if (strcmp(w, names[i]) == 0 || (strlen(w) == 3 && strncmp(w, names[i], 3) == 0))
            return i + 1;
    }
    return strcmp(w, "sept") == 0 ? 9 : 0;
}

/* Monday 0 .. Sunday 6, or -1. */
static int weekday_of(const char *w)
{
    static const char *const names[7] = {"monday", "tuesday", "wednesday", "thursday",
                                         "friday", "saturday", "sunday"};
    static const char *const extra[] = {"tues", "weds", "thur", "thurs"};
    static const int extra_day[] = {1, 2, 3, 3};
    for (int i = 0; i < 7; i++)
        if (strcmp(w, names[i]) == 0 || (strlen(w) == 3 && strncmp(w, names[i], 3) == 0))
            return i;
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        if (strcmp(w, extra[i]) == 0)
            return extra_day[i];
    return -1;
}

static int weekday_of_day(rb_day d)
{
    int w = (int)((d + 3) % 7); /* 1970-01-01 was a Thursday */
    return w < 0 ? w + 7 : w;
}

static bool is_year(const struct tok *k)
{
    return k->kind == TOK_NUM && !k->ordinal && (k->ndigits == 2 || k->ndigits == 4);
}

static bool is_day(const struct tok *k)
{
    return k->kind == TOK_NUM && k->ndigits <= 2 && k->value >= 1;
}

static bool word_is(const struct tok *k, const char *w)
{
    return k->kind == TOK_WORD && strcmp(k->word, w) == 0;
}

static bool is_quarter_word(const struct tok *k)
{
    return word_is(k, "q") || word_is(k, "quarter") || word_is(k, "qtr");
}

/* Q3 2025/26 and its variants. Returns 1, 0 (not a quarter), -1 (bad; why filled). */
static int parse_quarter(const struct tok *v, int n, const char *cell, rb_day *out, char *why)
{
    int at = -1;
    if (n >= 2 && is_quarter_word(&v[0]) && v[1].kind == TOK_NUM)
        at = 0;
    else if (n >= 2 && is_quarter_word(&v[n - 2]) && v[n - 1].kind == TOK_NUM)
        at = n - 2;
    if (at < 0)
        return 0;
    int q = v[at + 1].value;
    if (v[at + 1].ndigits != 1 || q < 1 || q > 4) {
        explain(why, "\"%.60s\" is not a date: there is no quarter %d (Q1 to Q4)", cell,
                v[at + 1].value);
        return -1;
    }
    const struct tok *r = at == 0 ? v + 2 : v;
    int m = n - 2;
    if (m > 0 && (word_is(&r[0], "fy") || word_is(&r[0], "financial"))) {
        r++;
        m--;
        if (m > 0 && word_is(&r[0], "year")) {
            r++;
            m--;
        }
    }
    if (m == 0 || (m == 1 && is_year(&r[0]))) {
        explain(why, "\"%.60s\" does not say which financial year; write it as Q%d 2025/26 "
                     "(the year runs from April to March)",
                cell, q);
        return -1;
    }
    if (m != 2 || !is_year(&r[0]) || !is_year(&r[1]) || (r[1].sep != '/' && r[1].sep != '-'))
        return 0;
    int y1 = full_year(r[0].value, r[0].ndigits);
    bool next = r[1].ndigits == 2 ? (y1 + 1) % 100 == r[1].value : y1 + 1 == r[1].value;
    if (!next) {
        explain(why, "\"%.60s\" is not a date: a financial year runs from April of one year "
                     "to March of the next, as in 2025/26", cell);
        return -1;
    }
    static const int end_month[5] = {0, 6, 9, 12, 3};
    int y = q == 4 ? y1 + 1 : y1, mo = end_month[q];
    if (!date_valid(y, mo, 1)) {
        explain(why, "\"%.60s\" is not a real date", cell);
        return -1;
    }
    *out = date_from_ymd(y, mo, date_days_in_month(y, mo));
    return 1;
}

/* 31 March 2026, 31st Mar 2026, Tuesday 31 March 2026, March 31, 2026, March 2026,
 * Mar-26, end of March 2026. Returns 1, 0 (not this form), -1 (bad; why filled). */
static int parse_words(const struct tok *v, int n, const char *cell, rb_day *out, char *why)
{
    static const char *const day_names[7] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                             "Friday", "Saturday", "Sunday"};
    int i = 0;
    bool end_of = false;
    if (i < n && word_is(&v[i], "by"))
        i++;
    if (i < n && word_is(&v[i], "end")) {
        end_of = true;
        i++;
        if (i < n && word_is(&v[i], "of"))
            i++;
    }
    int wd = -1;
    if (i < n && v[i].kind == TOK_WORD && (wd = weekday_of(v[i].word)) >= 0)
        i++;
    const struct tok *r = v + i;
    int m = n - i, y, mo = 0, d;
    bool month_only = false;
    if (m == 3 && is_day(&r[0]) && r[1].kind == TOK_WORD && (mo = month_of(r[1].word)) &&
        is_year(&r[2])) {
        d = r[0].value;
        y = full_year(r[2].value, r[2].ndigits);
    } else if (m == 3 && r[0].kind == TOK_WORD && (mo = month_of(r[0].word)) &&
               is_day(&r[1]) && r[2].kind == TOK_NUM && r[2].ndigits == 4 && !r[2].ordinal) {
        d = r[1].value;
        y = r[2].value;
    } else if (m == 2 && r[0].kind == TOK_WORD && (mo = month_of(r[0].word)) &&
               is_year(&r[1])) {
        month_only = true;
        y = full_year(r[1].value, r[1].ndigits);
        d = 1;
    } else if (m == 2 && ((is_day(&r[0]) && r[1].kind == TOK_WORD && month_of(r[1].word)) ||
                          (r[0].kind == TOK_WORD && month_of(r[0].word) && r[1].ordinal))) {
        explain(why, "\"%.60s\" is not a date: it has no year", cell);
        return -1;
    } else {
        return 0;
    }
    if ((end_of && !month_only) || (month_only && wd >= 0))
        return 0;
    if (!date_valid(y, mo, d)) {
        explain(why, "\"%.60s\" is not a real date", cell);
        return -1;
    }
    if (month_only)
        d = date_days_in_month(y, mo);
    rb_day day = date_from_ymd(y, mo, d);
    if (wd >= 0 && weekday_of_day(day) != wd) {
        if (why)
            snprintf(why, RB_ERRLEN, "\"%.60s\": that day is a %s, not a %s", cell,
                     day_names[weekday_of_day(day)], day_names[wd]);
        return -1;
    }
    *out = day;
    return 1;
}

enum sheet_date date_parse_sheet(const char *s, rb_day *out, char *why)
{
    static const char *const no_date[] = {"ongoing", "tbc", "tba", "tbd", "quarterly",
                                          "monthly", "annually", "annual", "na"};
    if (str_blank(s))
        return SHEET_DATE_NONE;
    while (isspace((unsigned char)*s))
        s++;
    char t[WORD_MAX + 1], sq[WORD_MAX + 1];
    if (!lower_trim(s, t)) {
        explain(why, GENERIC_WHY, s);
        return SHEET_DATE_BAD;
    }
    /* The message quotes the cell as written, without trailing blanks. */
    char cell[WORD_MAX + 1];
    snprintf(cell, sizeof cell, "%.*s", (int)strlen(t), s);
    squeeze(t, strlen(t), sq);
    for (size_t i = 0; i < sizeof no_date / sizeof no_date[0]; i++)
        if (strcmp(sq, no_date[i]) == 0)
            return SHEET_DATE_NONE;
    rb_day day;
    int rc = parse_numeric(t, cell, &day, why);
    struct tok v[MAX_TOKS];
    int n = rc == 0 ? tokenize(t, v) : 0;
    if (rc == 0 && n > 0)
        rc = parse_quarter(v, n, cell, &day, why);
    if (rc == 0 && n > 0)
        rc = parse_words(v, n, cell, &day, why);
    if (rc == 0)
        explain(why, GENERIC_WHY, cell);
    if (rc <= 0)
        return SHEET_DATE_BAD;
    *out = day;
    return SHEET_DATE_DAY;
}

/* ---- status and RAG words ---- */

/* One word (squeezed) into w; false when unknown. */
static bool status_one(const char *sq, struct status_word *w)
{
    static const struct {
        const char *word;
        int state; /* -1: none */
        int rag;   /* -1: none */
    } words[] = {
        {"red", -1, RAG_RED},
        {"r", -1, RAG_RED},
        {"offtrack", -1, RAG_RED},
        {"amber", -1, RAG_AMBER},
        {"a", -1, RAG_AMBER},
        {"atrisk", -1, RAG_AMBER},
        {"green", -1, RAG_GREEN},
        {"g", -1, RAG_GREEN},
        {"ontrack", -1, RAG_GREEN},
        {"blue", STATE_COMPLETE, -1},
        {"b", STATE_COMPLETE, -1},
        {"c", STATE_COMPLETE, -1},
        {"complete", STATE_COMPLETE, -1},
        {"completed", STATE_COMPLETE, -1},
        {"done", STATE_COMPLETE, -1},
        {"closed", STATE_COMPLETE, -1},
        {"notstarted", STATE_NOT_STARTED, -1},
        {"notyetstarted", STATE_NOT_STARTED, -1},
        {"inprogress", STATE_IN_PROGRESS, -1},
        {"started", STATE_IN_PROGRESS, -1},
        {"ongoing", STATE_IN_PROGRESS, -1},
        {"cancelled", STATE_CANCELLED, -1},
        {"canceled", STATE_CANCELLED, -1},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strcmp(sq, words[i].word) != 0)
            continue;
        if (words[i].state >= 0) {
            if (w->has_state && w->state != (enum action_state)words[i].state)
                return false;
            w->has_state = true;
            w->state = (enum action_state)words[i].state;
        }
        if (words[i].rag >= 0) {
            if (w->has_rag && w->rag != (enum rag)words[i].rag)
                return false;
            w->has_rag = true;
            w->rag = (enum rag)words[i].rag;
        }
        return true;
    }
    return false;
}

bool status_word_parse(const char *s, struct status_word *out)
{
    memset(out, 0, sizeof *out);
    if (str_blank(s))
        return false;
    char sq[WORD_MAX + 1];
    if (squeeze(s, strlen(s), sq) && sq[0] && status_one(sq, out))
        return true;
    /* Parts that agree: "Green - on track", "Complete (Blue)". */
    memset(out, 0, sizeof *out);
    const char *p = s;
    int parts = 0;
    while (*p) {
        size_t len = strcspn(p, "-/():,;");
        if (len > 0 && squeeze(p, len, sq) && sq[0]) {
            if (!status_one(sq, out))
                return false;
            parts++;
        } else if (len > WORD_MAX) {
            return false;
        }
        p += len;
        if (*p)
            p++;
    }
    return parts > 1;
}

bool progress_parse(const char *s, int *pct)
{
    if (str_blank(s))
        return false;
    while (isspace((unsigned char)*s))
        s++;
    long whole = 0, frac = 0, scale = 1;
    int nd = 0;
    const char *p = s;
    while (isdigit((unsigned char)*p) && nd < 6) {
        whole = whole * 10 + (*p++ - '0');
        nd++;
    }
    bool point = false;
    if (*p == '.' || *p == ',') {
        point = true;
        p++;
        int nf = 0;
        while (isdigit((unsigned char)*p) && nf < 6) {
            frac = frac * 10 + (*p++ - '0');
            scale *= 10;
            nf++;
        }
        nd += nf;
    }
    if (nd == 0)
        return false;
    while (isspace((unsigned char)*p))
        p++;
    bool percent = *p == '%';
    if (percent)
        p++;
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '\0')
        return false;
    /* value in millionths of a percent, then rounded half up */
    long long v = (long long)whole * 1000000 + (long long)frac * (1000000 / scale);
    if (!percent && point && v <= 1000000)
        v *= 100; /* a fraction: 0.4 is 40% */
    long long rounded = (v + 500000) / 1000000;
    if (rounded > 100)
        return false;
    *pct = (int)rounded;
    return true;
}

bool yesno_parse(const char *s, bool *out)
{
    static const char *const yes[] = {"yes", "y", "true", "1", "x"};
    static const char *const no[] = {"no", "n", "false", "0"};
    char t[WORD_MAX + 1];
    if (!s || !lower_trim(s, t))
        return false;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (strcmp(t, yes[i]) == 0)
            return *out = true;
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (strcmp(t, no[i]) == 0) {
            *out = false;
            return true;
        }
    return false;
}

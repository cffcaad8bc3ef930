/* Calendar arithmetic and the two date formats users type: ISO and dd/mm/yyyy. */
#include "ragboard/date.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

bool date_valid(int y, int m, int d)
{
    return y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
           d <= date_days_in_month(y, m);
}

/* Howard Hinnant's days-from-civil algorithm (public domain arithmetic). */
rb_day date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (rb_day)(era * 146097 + doe - 719468);
}

void date_to_ymd(rb_day day, int *y, int *m, int *d)
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int dd = doy - (153 * mp + 2) / 5 + 1;
    int mm = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (mm <= 2);
    *m = mm;
    *d = dd;
}

/* Read 1..maxd digits into *v; returns the number read. */
static int read_digits(const char **p, int maxd, int *v)
{
    int n = 0, val = 0;
    while (n < maxd && isdigit((unsigned char)**p)) {
        val = val * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    *v = val;
    return n;
}

static const char *skip_blanks(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static bool finish(const char *p, int y, int m, int d, rb_day *out)
{
    p = skip_blanks(p);
    if (*p != '\0' || !date_valid(y, m, d))
        return false;
    *out = date_from_ymd(y, m, d);
    return true;
}

/* YYYY-MM-DD; month and day need at least min_md digits (2 for the store, 1 for people). */
static bool parse_ymd(const char *s, int min_md, rb_day *out)
{
    if (!s)
        return false;
    const char *p = skip_blanks(s);
    int y, m, d;
    if (read_digits(&p, 4, &y) != 4 || *p++ != '-')
        return false;
    if (read_digits(&p, 2, &m) < min_md || *p++ != '-')
        return false;
    if (read_digits(&p, 2, &d) < min_md)
        return false;
    return finish(p, y, m, d, out);
}

bool date_parse_iso(const char *s, rb_day *out)
{
    return parse_ymd(s, 2, out);
}

bool date_parse(const char *s, rb_day *out)
{
    if (!s)
        return false;
    const char *p = skip_blanks(s);
    /* Typed dates may drop leading zeros in either form: 2026-3-31 as well as 1/4/2026. */
    if (strchr(p, '-'))
        return parse_ymd(p, 1, out);
    int y, m, d;
    if (read_digits(&p, 2, &d) < 1 || *p++ != '/')
        return false;
    if (read_digits(&p, 2, &m) < 1 || *p++ != '/')
        return false;
    if (read_digits(&p, 4, &y) != 4)
        return false;
    return finish(p, y, m, d, out);
}

char *date_format_iso(rb_day day, char *buf)
{
    if (day == RB_NO_DATE) {
        buf[0] = '\0';
        return buf;
    }
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    /* Unsigned remainders bound each field, so the text always fits RB_DATE_BUF. */
    snprintf(buf, RB_DATE_BUF, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
    return buf;
}

char *date_format_uk(rb_day day, char *buf)
{
    if (day == RB_NO_DATE) {
        buf[0] = '\0';
        return buf;
    }
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    snprintf(buf, RB_DATE_BUF, "%02u/%02u/%04u", (unsigned)d % 100u, (unsigned)m % 100u,
             (unsigned)y % 10000u);
    return buf;
}

rb_day date_today(void)
{
    const char *fixed = getenv("RAGBOARD_TODAY");
    rb_day day;
    if (fixed && *fixed && date_parse_iso(fixed, &day))
        return day;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

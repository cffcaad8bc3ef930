/* Calendar dates as day numbers: parsing, formatting and "today". */
#ifndef RAGBOARD_DATE_H
#define RAGBOARD_DATE_H

#include <stdbool.h>
#include <stdint.h>

/* Days since 1970-01-01 (proleptic Gregorian). */
typedef int32_t rb_day;

/* No date: an ongoing action, or a field left empty. */
#define RB_NO_DATE INT32_MIN

/* Buffer size for any formatted date ("2026-03-31" or "31/03/2026" plus NUL). */
#define RB_DATE_BUF 11

/* True when y-m-d is a real calendar date in years 1900..9999. */
bool date_valid(int y, int m, int d);
/* Day number of a valid date (callers check date_valid first). */
rb_day date_from_ymd(int y, int m, int d);
void date_to_ymd(rb_day day, int *y, int *m, int *d);
int date_days_in_month(int y, int m);

/* Parse ISO "YYYY-MM-DD" or UK "dd/mm/yyyy" (one- or two-digit day and month).
 * Surrounding blanks are allowed; anything else fails. */
bool date_parse(const char *s, rb_day *out);
/* Parse ISO "YYYY-MM-DD" only (the store's format). */
bool date_parse_iso(const char *s, rb_day *out);

/* "2026-03-31"; RB_NO_DATE gives "". buf holds RB_DATE_BUF bytes. */
char *date_format_iso(rb_day day, char *buf);
/* "31/03/2026"; RB_NO_DATE gives "". */
char *date_format_uk(rb_day day, char *buf);

/* Today's date (local time). RAGBOARD_TODAY=YYYY-MM-DD in the environment fixes it,
 * so tests and demos are reproducible. */
rb_day date_today(void);

#endif

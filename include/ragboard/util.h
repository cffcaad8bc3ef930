/* Memory wrappers, a growable string and a list of diagnostics shared by the core. */
#ifndef RAGBOARD_UTIL_H
#define RAGBOARD_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Size of the error buffers that core functions fill for their caller. */
#define RB_ERRLEN 512

#if defined(__GNUC__)
#define RB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define RB_NONNULL_RESULT __attribute__((returns_nonnull))
#else
#define RB_PRINTF(a, b)
#define RB_NONNULL_RESULT
#endif

/* Allocators that abort with a message when memory runs out. */
void *xmalloc(size_t n) RB_NONNULL_RESULT;
void *xcalloc(size_t count, size_t size) RB_NONNULL_RESULT;
void *xrealloc(void *p, size_t n) RB_NONNULL_RESULT;
/* Copy of s (NULL stays NULL); caller frees. */
char *xstrdup(const char *s);
/* Copy of the first n bytes of s, NUL-terminated; caller frees. */
char *xstrndup(const char *s, size_t n) RB_NONNULL_RESULT;
/* Formatted string; caller frees. */
char *xasprintf(const char *fmt, ...) RB_PRINTF(1, 2) RB_NONNULL_RESULT;

/* Write a formatted message into err (RB_ERRLEN bytes); err may be NULL. Returns -1. */
int rb_fail(char *err, const char *fmt, ...) RB_PRINTF(2, 3);

/* A growable NUL-terminated string. Zero-initialise; free with sb_free. */
struct strbuf {
    char *buf;
    size_t len;
    size_t cap;
};
void sb_add(struct strbuf *sb, const char *s);
void sb_addn(struct strbuf *sb, const char *s, size_t n);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) RB_PRINTF(2, 3);
/* Hand the buffer to the caller (who frees it) and reset sb; never NULL. */
char *sb_take(struct strbuf *sb);
void sb_free(struct strbuf *sb);

enum diag_level { DIAG_ERROR, DIAG_WARNING };

/* One problem found in a file: where it is and what is wrong. */
struct diag {
    enum diag_level level;
    char *file; /* may be NULL */
    int line;   /* 0 when no line applies */
    char *msg;
};

/* A list of problems; zero-initialise, free with diags_free. */
struct diags {
    struct diag *v;
    size_t n;
    size_t cap;
};
void diags_add(struct diags *d, enum diag_level level, const char *file, int line,
               const char *fmt, ...) RB_PRINTF(5, 6);
void diags_vadd(struct diags *d, enum diag_level level, const char *file, int line,
                const char *fmt, va_list ap);
size_t diags_errors(const struct diags *d);
/* Format one diagnostic as "file:line: error: msg"; caller frees. */
char *diag_format(const struct diag *g);
void diags_free(struct diags *d);

/* True when s is NULL or holds only blanks. */
bool str_blank(const char *s);
/* ASCII case-insensitive equality. */
bool str_ieq(const char *a, const char *b);
/* Strict decimal integer in [min, max]: "abc", "", "1x" and out-of-range fail; "010" is 10. */
bool parse_int_strict(const char *s, long min, long max, long *out);
/* The UTF-8 character at p (n > 0 bytes left): its length (1 to 4) with its code point in
 * *cp, or 0 when the bytes there are not UTF-8 (overlong forms, surrogates, code points
 * above U+10FFFF and sequences cut short are refused). */
size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *cp);

#endif

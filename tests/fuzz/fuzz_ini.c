/* libFuzzer harness for the settings loader: any bytes are loaded, every problem is a
 * diagnostic with a sane line, and what is loaded is a usable configuration (agency codes
 * and names, thresholds and counts within their ranges). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ragboard/config.h"
#include "ragboard/util.h"

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "broken invariant: %s\n", what);
        abort();
    }
}

static int lines_in(const uint8_t *data, size_t size)
{
    int n = 1;
    for (size_t i = 0; i < size; i++)
        n += data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
    return n;
}

static int text_ok(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("fuzz-ini", 0);
        check(fd >= 0, "memfd");
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    check(ftruncate(fd, 0) == 0, "truncate");
    check(size == 0 || pwrite(fd, data, size, 0) == (ssize_t)size, "write");
    struct config cfg;
    struct diags d = {0};
    int rc = config_load(path, &cfg, &d);
    check(rc == 0 || diags_errors(&d) > 0, "a refusal has an error");
    int lines = lines_in(data, size);
    for (size_t i = 0; i < d.n; i++) {
        check(d.v[i].line >= 0 && d.v[i].line <= lines + 1, "diagnostic line in the file");
        check(d.v[i].msg && *d.v[i].msg, "diagnostic message");
        free(diag_format(&d.v[i]));
    }
    check(cfg.n_agencies >= 1, "at least one agency");
    for (size_t i = 0; i < cfg.n_agencies; i++) {
        size_t n = strlen(cfg.agencies[i].code);
        check(n >= 1 && n <= 16, "agency code length");
        for (const char *p = cfg.agencies[i].code; *p; p++)
            check((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
                      *p == '_',
                  "agency code characters");
        check(cfg.agencies[i].name && *cfg.agencies[i].name && text_ok(cfg.agencies[i].name),
              "agency name");
    }
    check(text_ok(cfg.partnership_name) && text_ok(cfg.plan_title), "partnership texts");
    check(cfg.rag.red_overdue_days >= 0 && cfg.rag.red_overdue_days <= 3650, "red_overdue_days");
    check(cfg.rag.red_lag_pct >= 0 && cfg.rag.red_lag_pct <= 100, "red_lag_pct");
    check(cfg.rag.amber_lag_pct >= 0 && cfg.rag.amber_lag_pct <= 100, "amber_lag_pct");
    check(cfg.rag.stale_days >= 1 && cfg.rag.stale_days <= 3650, "stale_days");
    check(cfg.backups_kept >= 0 && cfg.backups_kept <= 1000, "backups_kept");
    check((unsigned)cfg.threat < THREAT_COUNT, "threat level");
    config_free(&cfg);
    diags_free(&d);
    return 0;
}

/* Unit tests for the INI configuration: loading, every kind of problem, and finding the file. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <iniparser.h>

#include "build_config.h"
#include "ragboard/config.h"

/* ---- helpers ------------------------------------------------------------------------ */

/* $RAGBOARD_TEST_DATA/config/name; caller frees. */
static char *fixture(const char *name)
{
    const char *dir = getenv("RAGBOARD_TEST_DATA");
    assert_non_null(dir);
    return xasprintf("%s/config/%s", dir, name);
}

static char *shipped_ini(void)
{
    const char *dir = getenv("RAGBOARD_TEST_DATA");
    assert_non_null(dir);
    return xasprintf("%s/../../config/ragboard.ini", dir);
}

static const char *tmp_dir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

/* A temporary file holding exactly len bytes of data; caller unlinks and frees. */
static char *temp_file(const char *data, size_t len)
{
    char *path = xasprintf("%s/test_config-XXXXXX", tmp_dir());
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    return path;
}

static void remove_temp(char *path)
{
    unlink(path);
    free(path);
}

/* The diag at line of the given level whose message contains needle, or NULL. */
static const struct diag *find_diag(const struct diags *d, enum diag_level level, int line,
                                    const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].level == level && d->v[i].line == line && strstr(d->v[i].msg, needle))
            return &d->v[i];
    return NULL;
}

/* Assert such a diag exists and names file. */
static void expect_diag(const struct diags *d, enum diag_level level, const char *file,
                        int line, const char *needle)
{
    const struct diag *g = find_diag(d, level, line, needle);
    if (!g) {
        for (size_t i = 0; i < d->n; i++) {
            char *s = diag_format(&d->v[i]);
            print_message("  have: %s\n", s);
            free(s);
        }
        fail_msg("no %s at line %d containing \"%s\"", level == DIAG_ERROR ? "error" : "warning",
                 line, needle);
    }
    assert_non_null(g->file);
    assert_string_equal(g->file, file);
}

static size_t count_level(const struct diags *d, enum diag_level level)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        n += d->v[i].level == level;
    return n;
}

static void expect_default_rag(const struct config *cfg)
{
    assert_int_equal(cfg->rag.red_overdue_days, rag_default_thresholds.red_overdue_days);
    assert_int_equal(cfg->rag.red_lag_pct, rag_default_thresholds.red_lag_pct);
    assert_int_equal(cfg->rag.amber_due_days, rag_default_thresholds.amber_due_days);
    assert_int_equal(cfg->rag.amber_lag_pct, rag_default_thresholds.amber_lag_pct);
    assert_int_equal(cfg->rag.stale_days, rag_default_thresholds.stale_days);
}

static const struct config_agency *agency(const struct config *cfg, const char *code)
{
    for (size_t i = 0; i < cfg->n_agencies; i++)
        if (strcmp(cfg->agencies[i].code, code) == 0)
            return &cfg->agencies[i];
    return NULL;
}

/* Load data written to a temporary file; returns config_load's result. */
static int load_bytes(const char *data, size_t len, struct config *cfg, struct diags *d,
                      char **path_out)
{
    *path_out = temp_file(data, len);
    return config_load(*path_out, cfg, d);
}

/* ---- defaults and the shipped file -------------------------------------------------- */

static void test_defaults(void **state)
{
    (void)state;
    struct config cfg;
    config_defaults(&cfg);
    assert_string_equal(cfg.path, "(built-in defaults)");
    assert_string_equal(cfg.partnership_name, "Shropshire Community Safety Partnership");
    assert_string_equal(cfg.plan_title, "Prevent Action Plan 2025/26");
    assert_int_equal(cfg.threat, THREAT_SUBSTANTIAL);
    assert_int_equal(cfg.ctlp_briefing, RB_NO_DATE);
    expect_default_rag(&cfg);

    static const char *const codes[] = {"SC", "WMP", "NHS", "EDU", "PROB", "HMP", "SFRS", "VCS"};
    assert_int_equal(cfg.n_agencies, 8);
    for (size_t i = 0; i < 8; i++) {
        assert_string_equal(cfg.agencies[i].code, codes[i]);
        assert_int_equal(cfg.agencies[i].line, 0);
    }
    assert_string_equal(agency(&cfg, "SC")->name, "Shropshire Council");
    assert_string_equal(agency(&cfg, "WMP")->name, "West Mercia Police");
    assert_string_equal(agency(&cfg, "NHS")->name, "NHS Shropshire, Telford and Wrekin ICB");
    assert_string_equal(agency(&cfg, "HMP")->name, "HMP Stoke Heath");
    assert_string_equal(agency(&cfg, "SFRS")->name, "Shropshire Fire and Rescue Service");
    config_free(&cfg);
}

static void test_builtin_loads_clean(void **state)
{
    (void)state;
    struct config cfg;
    struct diags d = {0};
    assert_int_equal(config_load_builtin(&cfg, &d), 0);
    assert_int_equal(d.n, 0);
    assert_string_equal(cfg.path, "(built-in defaults)");
    assert_int_equal(cfg.n_agencies, 8);
    config_free(&cfg);
    diags_free(&d);
}

static void test_shipped_file_equals_defaults(void **state)
{
    (void)state;
    char *path = shipped_ini();
    struct config cfg, def;
    struct diags d = {0};
    assert_int_equal(config_load(path, &cfg, &d), 0);
    assert_int_equal(d.n, 0);
    config_defaults(&def);

    assert_string_equal(cfg.path, path);
    assert_string_equal(cfg.partnership_name, def.partnership_name);
    assert_string_equal(cfg.plan_title, def.plan_title);
    assert_int_equal(cfg.threat, def.threat);
    assert_int_equal(cfg.ctlp_briefing, def.ctlp_briefing);
    assert_memory_equal(&cfg.rag, &def.rag, sizeof cfg.rag);
    expect_default_rag(&cfg);
    assert_int_equal(cfg.n_agencies, def.n_agencies);
    for (size_t i = 0; i < cfg.n_agencies; i++) {
        assert_string_equal(cfg.agencies[i].code, def.agencies[i].code);
        assert_string_equal(cfg.agencies[i].name, def.agencies[i].name);
        assert_true(cfg.agencies[i].line > 0); /* lines from the real file */
    }
    config_free(&cfg);
    config_free(&def);
    diags_free(&d);
    free(path);
}

static void test_good_file(void **state)
{
    (void)state;
    char *path = fixture("good.ini");
    struct config cfg;
    struct diags d = {0};
    assert_int_equal(config_load(path, &cfg, &d), 0);
    assert_int_equal(d.n, 0);
    assert_string_equal(cfg.path, path);
    assert_string_equal(cfg.partnership_name, "Telford and Wrekin Community Safety Partnership");
    assert_string_equal(cfg.plan_title, "Prevent Delivery Plan 2026/27");
    assert_int_equal(cfg.threat, THREAT_SEVERE);
    assert_int_equal(cfg.ctlp_briefing, date_from_ymd(2025, 11, 3));
    assert_int_equal(cfg.rag.stale_days, 90);
    assert_int_equal(cfg.rag.red_lag_pct, 30);
    assert_int_equal(cfg.n_agencies, 3);
    assert_string_equal(cfg.agencies[0].code, "TWC");
    assert_string_equal(cfg.agencies[0].name, "Telford & Wrekin Council");
    assert_int_equal(cfg.agencies[0].line, 9);
    assert_string_equal(cfg.agencies[1].code, "WMP");
    assert_int_equal(cfg.agencies[1].line, 10);
    assert_string_equal(cfg.agencies[2].code, "FIRE-1");
    assert_int_equal(cfg.agencies[2].line, 11);
    config_free(&cfg);
    diags_free(&d);
    free(path);
}

/* ---- line endings and byte-order marks ---------------------------------------------- */

/* Same file in every encoding: line 4 has an unknown key and line 9 a syntax error. */
static void check_variant(const char *data, size_t len)
{
    struct config cfg;
    struct diags d = {0};
    char *path;
    assert_int_equal(load_bytes(data, len, &cfg, &d, &path), -1);
    assert_string_equal(cfg.partnership_name, "Encoded Partnership");
    assert_int_equal(cfg.threat, THREAT_LOW);
    assert_int_equal(cfg.rag.stale_days, 30);
    assert_int_equal(cfg.n_agencies, 1);
    assert_string_equal(cfg.agencies[0].name, "Shropshire Council");
    assert_int_equal(cfg.agencies[0].line, 6);
    expect_diag(&d, DIAG_WARNING, path, 4, "unknown key \"colour\"");
    expect_diag(&d, DIAG_ERROR, path, 9, "syntax error");
    expect_diag(&d, DIAG_ERROR, path, 9, "found \"bad line\"");
    assert_int_equal(d.n, 2);
    config_free(&cfg);
    diags_free(&d);
    remove_temp(path);
}

#define VARIANT_LINES(EOL)                                                                \
    "[partnership]" EOL "name = Encoded Partnership" EOL "threat_level = LOW" EOL          \
    "colour = red" EOL "[agencies]" EOL "SC = Shropshire Council" EOL "[rag]" EOL          \
    "stale_days = 30" EOL "bad line" EOL

static void test_crlf(void **state)
{
    (void)state;
    static const char text[] = VARIANT_LINES("\r\n");
    check_variant(text, sizeof text - 1);
}

static void test_bom(void **state)
{
    (void)state;
    static const char text[] = "\xEF\xBB\xBF" VARIANT_LINES("\n");
    check_variant(text, sizeof text - 1);
}

static void test_bom_crlf(void **state)
{
    (void)state;
    static const char text[] = "\xEF\xBB\xBF" VARIANT_LINES("\r\n");
    check_variant(text, sizeof text - 1);
}

/* ---- syntax errors ------------------------------------------------------------------ */

static void test_syntax_errors_all_reported(void **state)
{
    (void)state;
    char *path = fixture("syntax.ini");
    struct config cfg;
    struct diags d = {0};
    assert_int_equal(config_load(path, &cfg, &d), -1);
    expect_diag(&d, DIAG_ERROR, path, 4, "found \"this line has no equals sign\"");
    expect_diag(&d, DIAG_ERROR, path, 5, "found \"[rag\"");
    expect_diag(&d, DIAG_ERROR, path, 7, "found \"= a value with no key\"");
    expect_diag(&d, DIAG_ERROR, path, 10, "found \"just some words again\"");
    expect_diag(&d, DIAG_ERROR, path, 4,
                "syntax error: expected `key = value`, `[section]` or a comment");
    assert_int_equal(count_level(&d, DIAG_ERROR), 4);
    /* line 6 follows the broken header, so it sits in [partnership] */
    expect_diag(&d, DIAG_WARNING, path, 6, "[partnership] unknown key \"stale_days\"");
    expect_diag(&d, DIAG_WARNING, path, 0, "no [agencies] section");
    /* no message mentions the file descriptor iniparser really read */
    for (size_t i = 0; i < d.n; i++)
        assert_null(strstr(d.v[i].msg, "/proc/"));
    /* the good lines still count */
    assert_string_equal(cfg.partnership_name, "Syntax Test Partnership");
    assert_int_equal(cfg.rag.red_lag_pct, 40);
    assert_int_equal(cfg.rag.stale_days, 60);
    assert_int_equal(cfg.n_agencies, 8);
    /* in file order */
    for (size_t i = 1; i < d.n; i++)
        assert_true(d.v[i - 1].line <= d.v[i].line);
    config_free(&cfg);
    diags_free(&d);
    free(path);
}

/* iniparser's messages must never reach stderr (the curses screen may be up), and the
 * callback must be iniparser's default again afterwards. */
static void test_iniparser_messages_captured(void **state)
{
    (void)state;
    char *path = fixture("syntax.ini");
    char *errpath = temp_file("", 0);
    fflush(stderr);
    int saved = dup(2);
    int fd = open(errpath, O_WRONLY | O_TRUNC);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, 2);

    struct config cfg;
    struct diags d = {0};
    config_load(path, &cfg, &d);
    fflush(stderr);
    struct stat st;
    assert_int_equal(stat(errpath, &st), 0);
    off_t during_load = st.st_size;

    dictionary *dict = iniparser_load(path); /* the default callback writes to stderr */
    fflush(stderr);
    assert_null(dict);
    assert_int_equal(stat(errpath, &st), 0);
    off_t after = st.st_size;

    dup2(saved, 2);
    close(saved);
    close(fd);
    assert_int_equal(during_load, 0);
    assert_true(after > 0);
    assert_int_equal(count_level(&d, DIAG_ERROR), 4);
    config_free(&cfg);
    diags_free(&d);
    remove_temp(errpath);
    free(path);
}

static void test_long_line_then_more_errors(void **state)
{
    (void)state;
    struct strbuf sb = {0};
    sb_add(&sb, "[partnership]\nname = ");
    for (int i = 0; i < 1100; i++)
        sb_addc(&sb, 'x');
    sb_add(&sb, "\nbad line after the long one\nplan_title = ");
    /* two short lines joined by a backslash: only iniparser sees that they are too long */
    for (int i = 0; i < 600; i++)
        sb_addc(&sb, 'a');
    sb_add(&sb, " \\\n");
    for (int i = 0; i < 600; i++)
        sb_addc(&sb, 'b');
    sb_add(&sb, "\n[rag]\nstale_days = 20\nmore bad\n");
    struct config cfg;
    struct diags d = {0};
    char *path;
    assert_int_equal(load_bytes(sb.buf, sb.len, &cfg, &d, &path), -1);
    expect_diag(&d, DIAG_ERROR, path, 2, "line too long: at most 1022 characters");
    expect_diag(&d, DIAG_ERROR, path, 3, "found \"bad line after the long one\"");
    expect_diag(&d, DIAG_ERROR, path, 4, "line too long: at most 1022 characters");
    expect_diag(&d, DIAG_ERROR, path, 8, "found \"more bad\"");
    assert_int_equal(count_level(&d, DIAG_ERROR), 4);
    assert_string_equal(cfg.plan_title, "Prevent Action Plan 2025/26");
    assert_int_equal(cfg.rag.stale_days, 20);
    assert_string_equal(cfg.partnership_name, "Shropshire Community Safety Partnership");
    config_free(&cfg);
    diags_free(&d);
    remove_temp(path);
    sb_free(&sb);
}

static void test_nul_byte(void **state)
{
    (void)state;
    static const char text[] = "[rag]\nstale_days = 2\0 0\nred_lag_pct = 35\n[agencies]\nSC = X\n";
    struct config cfg;
    struct diags d = {0};
    char *path;
    assert_int_equal(load_bytes(text, sizeof text - 1, &cfg, &d, &path), -1);
    expect_diag(&d, DIAG_ERROR, path, 2, "NUL byte");
    assert_int_equal(count_level(&d, DIAG_ERROR), 1);
    assert_int_equal(cfg.rag.stale_days, 60);
    assert_int_equal(cfg.rag.red_lag_pct, 35);
    config_free(&cfg);
    diags_free(&d);
    remove_temp(path);
}

/* ---- values ------------------------------------------------------------------------- */

static void test_numbers(void **state)
{
    (void)state;
    char *path = fixture("numbers.ini");
    struct config cfg;
    struct diags d = {0};
    assert_int_equal(config_load(path, &cfg, &d), -1);
    expect_diag(&d, DIAG_ERROR, path, 3,
                "[rag] red_overdue_days: \"12x\" is not a whole number (expected 0 to 3650)");
    expect_diag(&d, DIAG_ERROR, path, 4,
                "[rag] red_lag_pct: \"-3\" is out of range (expected 0 to 100)");
    expect_diag(&d, DIAG_ERROR, path, 5,
                "[rag] amber_due_days: \"99999\" is out of range (expected 0 to 3650)");
    const struct diag *g = find_diag(&d, DIAG_ERROR, 7, "stale_days");
    assert_non_null(g);
    char *s = diag_format(g);
    char *want = xasprintf("%s:7: error: [rag] stale_days: \"abc\" is not a whole number "
                           "(expected 1 to 3650)",
                           path);
    assert_string_equal(s, want);
    free(s);
    free(want);
    assert_int_equal(count_level(&d, DIAG_ERROR), 4);
    /* errors keep the defaults; 010 is ten, not octal eight */
    assert_int_equal(cfg.rag.red_overdue_days, 14);
    assert_int_equal(cfg.rag.red_lag_pct, 30);
    assert_int_equal(cfg.rag.amber_due_days, 14);
    assert_int_equal(cfg.rag.amber_lag_pct, 10);
    assert_int_equal(cfg.rag.stale_days, 60);
    config_free(&cfg);
    diags_free(&d);
    free(path);
}

static void test_bad_threat_date_and_empty_name(void **state)
{
    (void)state;
    char *path = fixture("values.ini");
    struct config cfg;
    struct diags d = {0};
    assert_int_equal(config_load(path, &cfg, &d), -1);
    expect_diag(&d, DIAG_ERROR, path, 2, "[partnership] name is empty");
    expect_diag(&d, DIAG_ERROR, path, 4,
                "[partnership] threat_level: \"HIGH\" is not a threat level (expected LOW, "
                "MODERATE, SUBSTANTIAL, SEVERE or CRITICAL)");
    expect_diag(&d, DIAG_ERROR, path, 5,
                "[partnership] ctlp_briefing: \"31/02/2025\" is not a date");
    assert_int_equal(count_level(&d, DIAG_ERROR), 3);
    assert_string_equal(cfg.partnership_name, "Shropshire Community Safety Partnership");
    assert_string_equal(cfg.plan_title, "Plan; with a semicolon");
    assert_int_equal(cfg.threat, THREAT_SUBSTANTIAL);
    assert_int_equal(cfg.ctlp_briefing, RB_NO_DATE);
    config_free(&cfg);
    diags_free(&d);
    free(path);
}

static void test_iso_date_and_control_characters(void **state)
{
    (void)state;
    static const char text[] = "[partnership]\nctlp_briefing = 2025-09-30\n"
                               "plan_title = Bell\x07here\nname = Bad \xC3 UTF-8\n"
                               "[agencies]\nSC = Shropshire Council\n";
    struct config cfg;
    struct diags d = {0};
    char *path;
    assert_int_equal(load_bytes(text, sizeof text - 1, &cfg, &d, &path), -1);
    assert_int_equal(cfg.ctlp_briefing, date_from_ymd(2025, 9, 30));
    expect_diag(&d, DIAG_ERROR, path, 3, "[partnership] plan_title holds a control character");
    expect_diag(&d, DIAG_ERROR, path, 4, "[partnership] name is not valid UTF-8");
    assert_string_equal(cfg.plan_title, "Prevent Action Plan 2025/26");
    config_free(&cfg);
    diags_free(&d);
    remove_temp(path);
}

static void test_unknown_section_and_key(void **state)
{
    (void)state;
    char *path = fixture("unknown.ini");
    struct config cfg;
    struct diags d = {0};
    assert_int_equal(config_load(path, &cfg, &d), 0);
    expect_diag(&d, DIAG_WARNING, path, 3, "[partnership] unknown key \"colour\" ignored");
    expect_diag(&d, DIAG_WARNING, path, 5, "unknown section [meetings] ignored");
    expect_diag(&d, DIAG_WARNING, path, 13, "[rag] unknown key \"stale_dayz\" ignored");
    assert_int_equal(d.n, 3);
    assert_int_equal(count_level(&d, DIAG_ERROR), 0);
    assert_string_equal(cfg.partnership_name, "Unknown Names Test");
    assert_int_equal(cfg.rag.stale_days, 45);
    assert_int_equal(cfg.n_agencies, 1);
    config_free(&cfg);
    diags_free(&d);
    free(path);
}

static void test_duplicate_key_and_lag_order(void **state)
{
    (void)state;
    static const char text[] = "[agencies]\nSC = Shropshire Council\n[rag]\nstale_days = 10\n"
                               "stale_days = 20\nred_lag_pct = 20\namber_lag_pct = 25\n";
    struct config cfg;
    struct diags d = {0};
    char *path;
    assert_int_equal(load_bytes(text, sizeof text - 1, &cfg, &d, &path), 0);
    expect_diag(&d, DIAG_WARNING, path, 5, "[rag] stale_days is set 2 times (first on line 4)");
    expect_diag(&d, DIAG_WARNING, path, 7, "amber_lag_pct (25) is not below red_lag_pct (20)");
    assert_int_equal(d.n, 2);
    assert_int_equal(cfg.rag.stale_days, 20);
    assert_int_equal(cfg.rag.amber_lag_pct, 25);
    config_free(&cfg);
    diags_free(&d);
    remove_temp(path);
}

/* ---- agencies ----------------------------------------------------------------------- */

static void test_bad_agencies(void **state)
{
    (void)state;
    char *path = fixture("agencies_bad.ini");
    struct config cfg;
    struct diags d = {0};
    assert_int_equal(config_load(path, &cfg, &d), -1);
    expect_diag(&d, DIAG_ERROR, path, 3, "[agencies] WMP has no name");
    expect_diag(&d, DIAG_ERROR, path, 4, "\"BAD CODE\" is not a valid agency code");
    expect_diag(&d, DIAG_ERROR, path, 5,
                "\"THIS_CODE_IS_FAR_TOO_LONG\" is not a valid agency code");
    expect_diag(&d, DIAG_WARNING, path, 6, "SC is listed 2 times (first on line 2)");
    assert_int_equal(count_level(&d, DIAG_ERROR), 3);
    assert_int_equal(count_level(&d, DIAG_WARNING), 1);
    assert_int_equal(cfg.n_agencies, 2);
    assert_string_equal(cfg.agencies[0].code, "SC");
    assert_string_equal(cfg.agencies[0].name, "Shropshire Council (listed again)");
    assert_int_equal(cfg.agencies[0].line, 6);
    assert_string_equal(cfg.agencies[1].code, "NHS");
    assert_int_equal(cfg.agencies[1].line, 7);
    config_free(&cfg);
    diags_free(&d);
    free(path);
}

static void test_empty_agencies_section(void **state)
{
    (void)state;
    char *path = fixture("agencies_empty.ini");
    struct config cfg;
    struct diags d = {0};
    assert_int_equal(config_load(path, &cfg, &d), -1);
    expect_diag(&d, DIAG_ERROR, path, 4,
                "no agencies: add at least one line CODE = Full name under [agencies]");
    assert_int_equal(d.n, 1);
    assert_int_equal(cfg.n_agencies, 8); /* the defaults stay */
    assert_int_equal(cfg.rag.stale_days, 30);
    config_free(&cfg);
    diags_free(&d);
    free(path);
}

/* ---- section names where keys belong (CVE-2023-33461 territory) -------------------- */

static void test_only_a_section(void **state)
{
    (void)state;
    char *path = fixture("rag_only.ini");
    struct config cfg;
    struct diags d = {0};
    assert_int_equal(config_load(path, &cfg, &d), 0);
    expect_diag(&d, DIAG_WARNING, path, 0, "no [agencies] section: using the 8 built-in");
    assert_int_equal(d.n, 1);
    expect_default_rag(&cfg);
    assert_int_equal(cfg.n_agencies, 8);
    config_free(&cfg);
    diags_free(&d);
    free(path);
}

static void test_section_names_as_keys(void **state)
{
    (void)state;
    char *path = fixture("section_names.ini");
    struct config cfg;
    struct diags d = {0};
    assert_int_equal(config_load(path, &cfg, &d), -1);
    expect_diag(&d, DIAG_WARNING, path, 1,
                "key \"partnership\" ignored: it comes before the first [section]");
    expect_diag(&d, DIAG_WARNING, path, 3, "[rag] unknown key \"rag\"");
    expect_diag(&d, DIAG_ERROR, path, 4, "found \"partnership\"");
    expect_diag(&d, DIAG_WARNING, path, 5, "[rag] unknown key \"agencies\"");
    expect_diag(&d, DIAG_WARNING, path, 7, "[partnership] unknown key \"partnership\"");
    expect_diag(&d, DIAG_WARNING, path, 10, "key \"rag:stale_days\" ignored");
    expect_diag(&d, DIAG_WARNING, path, 11, "section [rag:extra] ignored");
    expect_diag(&d, DIAG_WARNING, path, 13, "unknown section [] ignored");
    assert_int_equal(count_level(&d, DIAG_ERROR), 1);
    assert_int_equal(count_level(&d, DIAG_WARNING), 7);
    assert_int_equal(cfg.rag.stale_days, 60);
    assert_int_equal(cfg.n_agencies, 1);
    assert_string_equal(cfg.agencies[0].code, "AGENCIES");
    assert_string_equal(cfg.agencies[0].name, "Agencies Forum");
    config_free(&cfg);
    diags_free(&d);
    free(path);
}

/* ---- files that cannot be read ------------------------------------------------------ */

static void test_missing_file(void **state)
{
    (void)state;
    char *path = fixture("no-such-file.ini");
    struct config cfg;
    struct diags d = {0};
    assert_int_equal(config_load(path, &cfg, &d), -1);
    assert_int_equal(d.n, 1);
    expect_diag(&d, DIAG_ERROR, path, 0, strerror(ENOENT));
    assert_string_equal(cfg.path, "(built-in defaults)");
    assert_int_equal(cfg.n_agencies, 8);
    assert_int_equal(cfg.threat, THREAT_SUBSTANTIAL);
    config_free(&cfg);
    diags_free(&d);
    free(path);
}

static void test_directory_as_path(void **state)
{
    (void)state;
    char *path = fixture("");
    struct config cfg;
    struct diags d = {0};
    assert_int_equal(config_load(path, &cfg, &d), -1);
    assert_int_equal(d.n, 1);
    expect_diag(&d, DIAG_ERROR, path, 0, strerror(EISDIR));
    assert_string_equal(cfg.partnership_name, "Shropshire Community Safety Partnership");
    config_free(&cfg);
    diags_free(&d);
    free(path);
}

static void test_free_zeroes(void **state)
{
    (void)state;
    struct config cfg, zero;
    memset(&zero, 0, sizeof zero);
    config_defaults(&cfg);
    config_free(&cfg);
    assert_memory_equal(&cfg, &zero, sizeof cfg);
}

/* ---- threat words and the key table ------------------------------------------------- */

static void test_threat_words(void **state)
{
    (void)state;
    static const char *const words[] = {"LOW", "MODERATE", "SUBSTANTIAL", "SEVERE",
                                        "CRITICAL"};
    for (int i = 0; i < THREAT_COUNT; i++) {
        enum threat_level t = THREAT_LOW;
        assert_string_equal(threat_word((enum threat_level)i), words[i]);
        assert_true(threat_parse(words[i], &t));
        assert_int_equal(t, i);
    }
    enum threat_level t = THREAT_LOW;
    assert_true(threat_parse("Severe", &t));
    assert_int_equal(t, THREAT_SEVERE);
    assert_false(threat_parse("HIGH", &t));
    assert_false(threat_parse("", &t));
    assert_false(threat_parse(NULL, &t));
    assert_int_equal(t, THREAT_SEVERE);
    assert_string_equal(threat_word((enum threat_level)THREAT_COUNT), "?");
}

static void test_key_table(void **state)
{
    (void)state;
    static const char *const expected[][2] = {
        {"partnership", "name"},         {"partnership", "plan_title"},
        {"partnership", "threat_level"}, {"partnership", "ctlp_briefing"},
        {"agencies", NULL},              {"rag", "red_overdue_days"},
        {"rag", "red_lag_pct"},          {"rag", "amber_due_days"},
        {"rag", "amber_lag_pct"},        {"rag", "stale_days"},
        {"display", "theme"},            {"display", "ascii_lines"},
        {"display", "mouse"},            {"keys", NULL},
        {"store", "backups_kept"},       {"security", "restricted"},
    };
    assert_int_equal(config_n_keys, sizeof expected / sizeof expected[0]);
    for (size_t i = 0; i < config_n_keys; i++) {
        assert_string_equal(config_keys[i].section, expected[i][0]);
        if (expected[i][1])
            assert_string_equal(config_keys[i].key, expected[i][1]);
        else
            assert_null(config_keys[i].key);
        assert_true(strlen(config_keys[i].help) > 10);
    }
}

/* ---- finding the file --------------------------------------------------------------- */

struct saved_env {
    char *cfg, *xdg, *home;
};

static char *env_copy(const char *name)
{
    return xstrdup(getenv(name));
}

static void env_restore(const char *name, char *value)
{
    if (value)
        setenv(name, value, 1);
    else
        unsetenv(name);
    free(value);
}

static void write_small(const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("[rag]\n", f);
    fclose(f);
}

/* Directories made by a test, to remove afterwards in reverse order. */
struct made_dirs {
    char path[16][PATH_MAX];
    int n;
};

/* mkdir -p, remembering each directory made; false when one cannot be made. */
static bool make_dirs(const char *path, struct made_dirs *m)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(buf, 0700) == 0) {
            assert_true(m->n < 16);
            snprintf(m->path[m->n++], PATH_MAX, "%s", buf);
        } else if (errno != EEXIST) {
            return false;
        }
        *p = c;
        if (!c)
            return true;
    }
}

static void remove_dirs(struct made_dirs *m)
{
    while (m->n > 0)
        assert_int_equal(rmdir(m->path[--m->n]), 0);
}

static void test_find_order(void **state)
{
    (void)state;
    struct saved_env old = {env_copy("RAGBOARD_CONFIG"), env_copy("XDG_CONFIG_HOME"),
                            env_copy("HOME")};
    char *top = xasprintf("%s/test_config-find-XXXXXX", tmp_dir());
    assert_non_null(mkdtemp(top));
    struct made_dirs made = {.n = 0};
    char *xdg_home = xasprintf("%s/xdg", top);
    char *home = xasprintf("%s/home", top);
    char *xdg_ini = xasprintf("%s/ragboard/ragboard.ini", xdg_home);
    char *home_ini = xasprintf("%s/.config/ragboard/ragboard.ini", home);
    char *dir = xasprintf("%s/ragboard", xdg_home);
    assert_true(make_dirs(dir, &made));
    free(dir);
    dir = xasprintf("%s/.config/ragboard", home);
    assert_true(make_dirs(dir, &made));
    free(dir);
    write_small(xdg_ini);
    write_small(home_ini);

    /* --config wins, even when the file does not exist */
    setenv("RAGBOARD_CONFIG", "/nonexistent/env.ini", 1);
    setenv("XDG_CONFIG_HOME", xdg_home, 1);
    setenv("HOME", home, 1);
    char *p = config_find("/nonexistent/cli.ini");
    assert_string_equal(p, "/nonexistent/cli.ini");
    free(p);
    /* then $RAGBOARD_CONFIG, also when missing */
    p = config_find(NULL);
    assert_string_equal(p, "/nonexistent/env.ini");
    free(p);
    p = config_find("");
    assert_string_equal(p, "/nonexistent/env.ini");
    free(p);
    /* then $XDG_CONFIG_HOME/ragboard/ragboard.ini */
    unsetenv("RAGBOARD_CONFIG");
    p = config_find(NULL);
    assert_string_equal(p, xdg_ini);
    free(p);
    /* a relative XDG_CONFIG_HOME is ignored, as is an unset one: ~/.config is used */
    setenv("XDG_CONFIG_HOME", "relative/dir", 1);
    p = config_find(NULL);
    assert_string_equal(p, home_ini);
    free(p);
    unsetenv("XDG_CONFIG_HOME");
    p = config_find(NULL);
    assert_string_equal(p, home_ini);
    free(p);

    /* no user file: the copy beside the program (<exe dir>/../share/ragboard, written
     * without the "..") comes next */
    assert_int_equal(unlink(home_ini), 0);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    assert_true(n > 0);
    exe[n] = '\0';
    *strrchr(exe, '/') = '\0';
    *strrchr(exe, '/') = '\0';
    char *beside_dir = xasprintf("%s/%s", exe, RAGBOARD_DATADIR_REL);
    char *beside_ini = xasprintf("%s/ragboard.ini", beside_dir);
    struct stat st;
    struct made_dirs made_beside = {.n = 0};
    bool beside_existed = stat(beside_ini, &st) == 0;
    if (!beside_existed && make_dirs(beside_dir, &made_beside)) {
        write_small(beside_ini);
        p = config_find(NULL);
        assert_string_equal(p, beside_ini);
        free(p);
        assert_int_equal(unlink(beside_ini), 0);
        remove_dirs(&made_beside);
    }
    /* and last the compiled-in data directory, else nothing */
    if (!beside_existed) {
        p = config_find(NULL);
        if (stat(RAGBOARD_DATADIR "/ragboard.ini", &st) == 0)
            assert_string_equal(p, RAGBOARD_DATADIR "/ragboard.ini");
        else
            assert_null(p);
        free(p);
    }

    assert_int_equal(unlink(xdg_ini), 0);
    remove_dirs(&made);
    assert_int_equal(rmdir(top), 0);

    env_restore("RAGBOARD_CONFIG", old.cfg);
    env_restore("XDG_CONFIG_HOME", old.xdg);
    env_restore("HOME", old.home);
    free(top);
    free(xdg_home);
    free(home);
    free(xdg_ini);
    free(home_ini);
    free(beside_dir);
    free(beside_ini);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_builtin_loads_clean),
        cmocka_unit_test(test_shipped_file_equals_defaults),
        cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_bom_crlf),
        cmocka_unit_test(test_syntax_errors_all_reported),
        cmocka_unit_test(test_iniparser_messages_captured),
        cmocka_unit_test(test_long_line_then_more_errors),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_bad_threat_date_and_empty_name),
        cmocka_unit_test(test_iso_date_and_control_characters),
        cmocka_unit_test(test_unknown_section_and_key),
        cmocka_unit_test(test_duplicate_key_and_lag_order),
        cmocka_unit_test(test_bad_agencies),
        cmocka_unit_test(test_empty_agencies_section),
        cmocka_unit_test(test_only_a_section),
        cmocka_unit_test(test_section_names_as_keys),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_directory_as_path),
        cmocka_unit_test(test_free_zeroes),
        cmocka_unit_test(test_threat_words),
        cmocka_unit_test(test_key_table),
        cmocka_unit_test(test_find_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

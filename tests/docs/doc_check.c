/* Keeps the manual pages in step with the program: the KEYS entries of ragboard(1) are
 * the action table's, and ragboard.ini(5) documents every section and key of the
 * configuration table (no more, no fewer) with the shipped file's value as its default.
 * usage: doc_check SOURCE_DIR          check, printing every difference
 *        doc_check SOURCE_DIR --keys   print the KEYS entries to paste into ragboard.1 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/config.h"
#include "ragboard/util.h"
#include "tui/keys.h"

static int problems;

static void problem(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "doc_check: ");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    problems++;
}

/* A file split into lines. */
struct doc {
    char *text;
    char **lines;
    size_t n;
};

static void doc_free(struct doc *d)
{
    free(d->text);
    free(d->lines);
}

/* The file's lines (the buffer is modified); *n gets the count. */
static char **read_lines(const char *path, size_t *n, struct doc *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "doc_check: cannot read %s\n", path);
        exit(2);
    }
    struct strbuf sb = {0};
    char buf[4096];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        sb_addn(&sb, buf, got);
    fclose(f);
    char *text = sb_take(&sb);
    size_t cap = 64;
    char **lines = xmalloc(cap * sizeof *lines);
    *n = 0;
    for (char *save = NULL, *p = text; ; p = NULL) {
        char *line = strtok_r(p, "\n", &save);
        if (!line)
            break;
        if (*n == cap)
            lines = xrealloc(lines, (cap *= 2) * sizeof *lines);
        lines[(*n)++] = line;
    }
    d->text = text;
    d->lines = lines;
    d->n = *n;
    return lines;
}

/* ---- ragboard(1): the KEYS entries ------------------------------------------------- */

static void check_keys(const char *man1)
{
    size_t n;
    struct doc file;
    char **lines = read_lines(man1, &n, &file);
    struct strbuf doc = {0};
    bool in = false, seen = false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(lines[i], ".\\\" keys:begin") == 0) {
            in = seen = true;
            continue;
        }
        if (strcmp(lines[i], ".\\\" keys:end") == 0)
            in = false;
        if (in)
            sb_addf(&doc, "%s\n", lines[i]);
    }
    if (!seen) {
        problem("%s has no .\\\" keys:begin marker%s", man1, "");
        doc_free(&file);
        return;
    }
    char *want = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&want, &len);
    keys_reset();
    keys_print_man(out);
    fclose(out);
    if (strcmp(want, doc.buf ? doc.buf : "") != 0)
        problem("the KEYS entries of %s differ from the action table; replace the lines "
                "between the keys markers with the output of 'doc_check SOURCE --keys'%s",
                man1, "");
    free(want);
    sb_free(&doc);
    doc_free(&file);
}

/* ---- ragboard.ini(5): sections, keys and defaults ---------------------------------- */

/* roff text to plain: "\-" is '-', font changes and quotes go. */
static char *plain(const char *s)
{
    struct strbuf sb = {0};
    for (const char *p = s; *p; p++) {
        if (p[0] == '\\' && p[1] == '-') {
            sb_addc(&sb, '-');
            p++;
        } else if (p[0] == '\\' && p[1] == 'f' && p[2]) {
            p += 2;
        } else if (*p != '"') {
            sb_addc(&sb, *p);
        }
    }
    return sb_take(&sb);
}

/* The value the shipped settings file gives section.key, or NULL. */
static char *shipped_value(char **ini, size_t n, const char *section, const char *key)
{
    char current[64] = "";
    for (size_t i = 0; i < n; i++) {
        const char *l = ini[i];
        if (l[0] == '[') {
            snprintf(current, sizeof current, "%.*s", (int)strcspn(l + 1, "]"), l + 1);
            continue;
        }
        if (l[0] == ';' || l[0] == '#' || strcmp(current, section) != 0)
            continue;
        const char *eq = strchr(l, '=');
        if (!eq)
            continue;
        size_t klen = (size_t)(eq - l);
        while (klen > 0 && isspace((unsigned char)l[klen - 1]))
            klen--;
        if (klen != strlen(key) || strncmp(l, key, klen) != 0)
            continue;
        const char *v = eq + 1;
        while (isspace((unsigned char)*v))
            v++;
        char *value = xstrdup(v);
        for (size_t e = strlen(value); e > 0 && isspace((unsigned char)value[e - 1]); e--)
            value[e - 1] = '\0';
        return value;
    }
    return NULL;
}

static bool table_has(const char *section, const char *key)
{
    for (size_t i = 0; i < config_n_keys; i++)
        if (strcmp(config_keys[i].section, section) == 0 &&
            (key ? config_keys[i].key && strcmp(config_keys[i].key, key) == 0
                 : config_keys[i].key == NULL))
            return true;
    return false;
}

static bool table_has_section(const char *section)
{
    for (size_t i = 0; i < config_n_keys; i++)
        if (strcmp(config_keys[i].section, section) == 0)
            return true;
    return false;
}

/* "[name] SECTION" heading of a .SH line, or NULL. */
static char *section_heading(const char *line)
{
    if (strncmp(line, ".SH \"[", 6) != 0)
        return NULL;
    const char *end = strstr(line, "] SECTION\"");
    return end ? xstrndup(line + 6, (size_t)(end - line - 6)) : NULL;
}

/* The documented default of the entry starting at line i: "" for "Default: empty.",
 * the .BR argument after a "Default:" line, or NULL when there is none before the next
 * entry. */
static char *documented_default(char **man, size_t n, size_t i)
{
    for (size_t j = i + 1; j < n; j++) {
        if (strcmp(man[j], ".TP") == 0 || strncmp(man[j], ".SH", 3) == 0)
            return NULL;
        if (strncmp(man[j], "Default: empty", 14) == 0)
            return xstrdup("");
        if (strcmp(man[j], "Default:") == 0 && j + 1 < n && strncmp(man[j + 1], ".BR ", 4) == 0) {
            char *arg = plain(man[j + 1] + 4);
            size_t len = strlen(arg);
            if (len >= 2 && strcmp(arg + len - 2, " .") == 0)
                arg[len - 2] = '\0';
            return arg;
        }
        if (strncmp(man[j], "Default:", 8) == 0)
            return xstrdup(man[j]);
    }
    return NULL;
}

static void check_ini(const char *man5, const char *ini_path)
{
    size_t n, n_ini;
    struct doc f_man, f_ini;
    char **man = read_lines(man5, &n, &f_man);
    char **ini = read_lines(ini_path, &n_ini, &f_ini);
    /* Every section of the table has its heading; every key of the table its entry. */
    for (size_t k = 0; k < config_n_keys; k++) {
        const struct config_key_info *c = &config_keys[k];
        char *section = NULL;
        bool found = false, has_default = false;
        for (size_t i = 0; i < n && !found; i++) {
            char *s = section_heading(man[i]);
            if (s) {
                free(section);
                section = s;
                if (!c->key && strcmp(s, c->section) == 0) {
                    found = true;
                    for (size_t j = i + 1; j < n && strncmp(man[j], ".SH", 3) != 0; j++)
                        has_default |= strncmp(man[j], "Default:", 8) == 0;
                }
                continue;
            }
            if (!c->key || !section || strcmp(section, c->section) != 0 || i == 0 ||
                strcmp(man[i - 1], ".TP") != 0 || strncmp(man[i], ".B ", 3) != 0)
                continue;
            char *key = plain(man[i] + 3);
            if (strcmp(key, c->key) == 0) {
                found = true;
                char *doc = documented_default(man, n, i);
                char *ship = shipped_value(ini, n_ini, c->section, c->key);
                has_default = doc != NULL;
                if (doc && ship && strcmp(doc, ship) != 0) {
                    char *what = xasprintf("[%s] %s", c->section, c->key);
                    problem("%s: the manual page gives the default \"%s\"", what, doc);
                    problem("%s: the shipped ragboard.ini has \"%s\"", what, ship);
                    free(what);
                } else if (!ship) {
                    problem("[%s] %s is not in the shipped ragboard.ini", c->section, c->key);
                }
                free(doc);
                free(ship);
            }
            free(key);
        }
        free(section);
        char *what = xasprintf("[%s]%s%s", c->section, c->key ? " " : "", c->key ? c->key : "");
        if (!found)
            problem("%s is in the configuration table but not in %s", what, man5);
        else if (!has_default)
            problem("%s: %s gives no default", what, man5);
        free(what);
    }
    /* Nothing documented that the program does not read. */
    char *section = NULL;
    for (size_t i = 0; i < n; i++) {
        char *s = section_heading(man[i]);
        if (s) {
            free(section);
            section = s;
            if (!table_has_section(s))
                problem("%s documents a section [%s] the program does not read", man5, s);
            continue;
        }
        if (section && i > 0 && strcmp(man[i - 1], ".TP") == 0 && strncmp(man[i], ".B ", 3) == 0 &&
            !table_has(section, NULL)) {
            char *key = plain(man[i] + 3);
            if (!table_has(section, key))
                problem("%s documents a key the program does not read: %s", man5, key);
            free(key);
        }
    }
    free(section);
    doc_free(&f_man);
    doc_free(&f_ini);
}

/* ---- ragboard(1): the settings file's sections --------------------------------------- */

static void check_man1_sections(const char *man1)
{
    size_t n;
    struct doc file;
    char **lines = read_lines(man1, &n, &file);
    for (size_t k = 0; k < config_n_keys; k++) {
        if (k > 0 && strcmp(config_keys[k].section, config_keys[k - 1].section) == 0)
            continue;
        char *want = xasprintf("[%s]", config_keys[k].section);
        bool found = false;
        for (size_t i = 0; i < n && !found; i++)
            found = strstr(lines[i], want) != NULL;
        if (!found)
            problem("%s does not mention the settings section %s", man1, want);
        free(want);
    }
    doc_free(&file);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: doc_check SOURCE_DIR [--keys]\n");
        return 2;
    }
    if (argc > 2 && strcmp(argv[2], "--keys") == 0) {
        keys_reset();
        keys_print_man(stdout);
        return 0;
    }
    char *man1 = xasprintf("%s/share/man/ragboard.1", argv[1]);
    char *man5 = xasprintf("%s/share/man/ragboard.ini.5", argv[1]);
    char *ini = xasprintf("%s/config/ragboard.ini", argv[1]);
    check_keys(man1);
    check_man1_sections(man1);
    check_ini(man5, ini);
    free(man1);
    free(man5);
    free(ini);
    if (problems)
        fprintf(stderr, "doc_check: %d problem%s\n", problems, problems == 1 ? "" : "s");
    return problems ? 1 : 0;
}

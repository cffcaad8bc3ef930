/* Agencies named in imported cells: matched to the settings file by code or name, or
 * added to the plan's list on request. */
#include "import_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ragboard/util.h"

static void add(struct import_agencies *l, const char *code, const char *name, bool in_config,
                bool added)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = (struct import_agency){.code = xstrdup(code), .name = import_one_line(name),
                                          .in_config = in_config, .added = added};
}

static struct import_agency *by_code(struct import_agencies *l, const char *code)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcasecmp(l->v[i].code, code) == 0)
            return &l->v[i];
    return NULL;
}

void import_agencies_load(struct import_agencies *l, const struct config *cfg,
                          const struct agency *db, size_t n_db)
{
    for (size_t i = 0; i < cfg->n_agencies; i++)
        add(l, cfg->agencies[i].code, cfg->agencies[i].name, true, false);
    for (size_t i = 0; i < n_db; i++)
        if (!by_code(l, db[i].code))
            add(l, db[i].code, db[i].name, false, false);
}

void import_agencies_free(struct import_agencies *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].code);
        free(l->v[i].name);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

static bool boundary(char c)
{
    return c == '\0' || (!isalnum((unsigned char)c) && (unsigned char)c < 0x80);
}

/* True when an agency's name may end at s: at the end, or before a separator or a
 * bracket, so that "NHS Shropshire" is not read as the agency NHS and some more. */
static bool ends_item(const char *s)
{
    while (*s == ' ')
        s++;
    return *s == '\0' || strchr(",;/&+(", *s) ||
           (strncasecmp(s, "and", 3) == 0 && (s[3] == ' ' || s[3] == '\0'));
}

/* Length of the longest agency code or name at s (0: none); *which is its index. */
static size_t known_at(const struct import_agencies *l, const char *s, size_t *which)
{
    size_t best = 0;
    for (size_t i = 0; i < l->n; i++) {
        const char *keys[2] = {l->v[i].code, l->v[i].name};
        for (int k = 0; k < 2; k++) {
            size_t len = strlen(keys[k]);
            if (len > best && strncasecmp(s, keys[k], len) == 0 && boundary(s[len]) &&
                ends_item(s + len)) {
                best = len;
                *which = i;
            }
        }
    }
    return best;
}

/* Separators between agency names: , ; / & + and the word "and". */
static size_t separator_len(const char *s)
{
    if (*s == ' ' || *s == ',' || *s == ';' || *s == '/' || *s == '&' || *s == '+')
        return 1;
    if (strncasecmp(s, "and", 3) == 0 && (s[3] == ' ' || s[3] == '\0'))
        return 3;
    return 0;
}

/* A code for an agency known only by its name: the name itself when it looks like a
 * code (ACME), else its initials (Acme Youth Trust: AYT), made unique. Caller frees. */
static char *make_code(const struct import_agencies *l, const char *name)
{
    char base[12];
    size_t n = 0, len = strlen(name);
    bool code_like = len <= 10;
    for (size_t i = 0; i < len && code_like; i++)
        code_like = isalnum((unsigned char)name[i]) || name[i] == '-' || name[i] == '_';
    if (code_like) {
        for (size_t i = 0; i < len; i++)
            base[n++] = (char)toupper((unsigned char)name[i]);
    } else {
        static const char *const small[] = {"and", "of", "the", "for", "in"};
        for (const char *p = name; *p && n < 6;) {
            while (*p && !isalnum((unsigned char)*p))
                p++;
            const char *w = p;
            while (*p && isalnum((unsigned char)*p))
                p++;
            bool skip = p == w;
            for (size_t k = 0; k < sizeof small / sizeof small[0] && !skip; k++)
                skip = (size_t)(p - w) == strlen(small[k]) &&
                       strncasecmp(w, small[k], (size_t)(p - w)) == 0;
            if (!skip)
                base[n++] = (char)toupper((unsigned char)*w);
        }
        if (n < 2) {
            n = 0;
            for (const char *p = name; *p && n < 4; p++)
                if (isalnum((unsigned char)*p))
                    base[n++] = (char)toupper((unsigned char)*p);
        }
        if (n == 0)
            base[n++] = 'X';
    }
    base[n] = '\0';
    char *code = xstrdup(base);
    for (int k = 2; by_code((struct import_agencies *)l, code); k++) {
        free(code);
        code = xasprintf("%s%d", base, k);
    }
    return code;
}

static void push_code(char ***codes, size_t *n, const char *code)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*codes)[i], code) == 0)
            return;
    *codes = xrealloc(*codes, (*n + 1) * sizeof **codes);
    (*codes)[(*n)++] = xstrdup(code);
}

static void known_codes(const struct import_agencies *l, struct strbuf *sb)
{
    for (size_t i = 0; i < l->n && sb->len < 200; i++)
        if (l->v[i].in_config || l->v[i].added)
            sb_addf(sb, "%s%s", sb->len ? ", " : "", l->v[i].code);
}

static void unknown(struct import_agencies *l, const struct csv_cell *cell, const char *where,
                    const char *name, char ***codes, size_t *n, struct csv_issues *issues)
{
    if (l->add_unknown) {
        char *code = make_code(l, name);
        add(l, code, name, false, true);
        push_code(codes, n, code);
        free(code);
        return;
    }
    struct strbuf known = {0};
    known_codes(l, &known);
    csv_issue_add(issues, DIAG_ERROR, cell->line, cell->col,
                  "%s: no agency called \"%.80s\" in the settings file (known: %s); add it "
                  "under [agencies], correct the name, or import with --add-agencies",
                  where, name, known.buf ? known.buf : "none");
    sb_free(&known);
}

/* Words that mean "no agency named yet". */
static bool placeholder(const char *s)
{
    static const char *const words[] = {"tbc", "tba", "n/a", "na", "-", "none"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(s, words[i]) == 0)
            return true;
    return false;
}

void import_agencies_match(struct import_agencies *l, const struct csv_cell *cell,
                           const char *where, char ***codes, size_t *n,
                           struct csv_issues *issues)
{
    /* One line per agency is common: treat line breaks as commas. */
    char *raw = import_cell_text(cell->text);
    for (char *p = raw; *p; p++)
        if (*p == '\n')
            *p = ',';
    char *text = import_one_line(raw);
    free(raw);
    if (placeholder(text)) {
        free(text);
        return;
    }
    const char *p = text;
    for (;;) {
        size_t sep;
        while ((sep = separator_len(p)) > 0)
            p += sep;
        if (!*p)
            break;
        size_t which = 0, len = known_at(l, p, &which);
        if (len > 0) {
            struct import_agency *a = &l->v[which];
            push_code(codes, n, a->code);
            if (!a->in_config && !a->added && !a->noted) {
                a->noted = true;
                csv_issue_add(issues, DIAG_WARNING, cell->line, cell->col,
                              "%s: agency %s (%s) is not in the settings file, so ragboard "
                              "shows it as retired",
                              where, a->code, a->name);
            }
            p += len;
            while (*p == ' ')
                p++;
            if (*p == '(') { /* "Shropshire Council (community safety team)" */
                const char *close = strchr(p, ')');
                p = close ? close + 1 : p + strlen(p);
            }
            continue;
        }
        /* An unknown name runs to the next comma, semicolon or slash, or to "and" or "&"
         * before a name that is known. */
        const char *end = p;
        while (*end && *end != ',' && *end != ';' && *end != '/') {
            if (*end == ' ') {
                const char *q = end + 1;
                size_t s = strncasecmp(q, "and ", 4) == 0 ? 4
                           : (*q == '&' || *q == '+') && q[1] == ' ' ? 2
                                                                     : 0;
                size_t w;
                if (s && known_at(l, q + s, &w))
                    break;
            }
            end++;
        }
        char *name = xstrndup(p, (size_t)(end - p));
        size_t k = strlen(name);
        while (k > 0 && name[k - 1] == ' ')
            name[--k] = '\0';
        if (*name)
            unknown(l, cell, where, name, codes, n, issues);
        free(name);
        p = end;
    }
    free(text);
}

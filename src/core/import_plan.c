/* Lookup tables for the importer: a string map (references, titles, prefixes) and the
 * plan's existing actions and objectives. */
#include "import_plan.h"
#include "store_internal.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ragboard/edit.h"
#include "ragboard/util.h"

/* ---- string map ---- */

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211u;
    }
    return h;
}

static size_t slot(const struct strmap *m, const char *key)
{
    size_t i = (size_t)hash(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

long *strmap_get(struct strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t i = slot(m, key);
    return m->keys[i] ? &m->vals[i] : NULL;
}

void strmap_put(struct strmap *m, const char *key, long val)
{
    if ((m->n + 1) * 2 > m->cap) {
        struct strmap big = {xcalloc(m->cap ? m->cap * 2 : 64, sizeof(char *)),
                             xcalloc(m->cap ? m->cap * 2 : 64, sizeof(long)), 0,
                             m->cap ? m->cap * 2 : 64};
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i])
                continue;
            size_t j = slot(&big, m->keys[i]);
            big.keys[j] = m->keys[i];
            big.vals[j] = m->vals[i];
            big.n++;
        }
        free(m->keys);
        free(m->vals);
        *m = big;
    }
    size_t i = slot(m, key);
    if (!m->keys[i]) {
        m->keys[i] = xstrdup(key);
        m->n++;
    }
    m->vals[i] = val;
}

void strmap_free(struct strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ---- key set ---- */

static uint64_t key_hash(const char *key)
{
    uint64_t h = hash(key);
    return h ? h : 1;
}

/* Slot of hash h: where it is, or the empty slot where it would go. */
static size_t key_slot(const struct keyset *m, uint64_t h)
{
    uint64_t x = h ^ (h >> 31); /* FNV's low bits vary little: mix the high ones in */
    x *= 0xbf58476d1ce4e5b9u;
    size_t i = (size_t)(x ^ (x >> 29)) & (m->cap - 1);
    while (m->hash[i] && m->hash[i] != h)
        i = (i + 1) & (m->cap - 1);
    return i;
}

int *keyset_get(struct keyset *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t i = key_slot(m, key_hash(key));
    return m->hash[i] ? &m->val[i] : NULL;
}

void keyset_put(struct keyset *m, const char *key, int val)
{
    if ((m->n + 1) * 4 > m->cap * 3) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        struct keyset big = {xcalloc(cap, sizeof *big.hash), xcalloc(cap, sizeof *big.val),
                             m->n, cap};
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->hash[i])
                continue;
            size_t j = key_slot(&big, m->hash[i]);
            big.hash[j] = m->hash[i];
            big.val[j] = m->val[i];
        }
        free(m->hash);
        free(m->val);
        *m = big;
    }
    uint64_t h = key_hash(key);
    size_t i = key_slot(m, h);
    if (!m->hash[i]) {
        m->hash[i] = h;
        m->n++;
    }
    m->val[i] = val;
}

void keyset_free(struct keyset *m)
{
    free(m->hash);
    free(m->val);
    memset(m, 0, sizeof *m);
}

char *import_fold(const char *s)
{
    char *t = import_one_line(s);
    for (char *p = t; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return t;
}

/* Put key (folded) in m pointing at idx, or at -2 when another index has it. */
static void index_put(struct strmap *m, const char *key, long idx)
{
    long *have = strmap_get(m, key);
    strmap_put(m, key, have && *have != idx ? -2 : idx);
}

char *import_title_key(const char *title, const char *objective)
{
    char *t = import_fold(title);
    char *k = xasprintf("%s\x1f%s", t, objective ? objective : "");
    free(t);
    return k;
}

/* ---- existing actions ---- */

int existing_load(struct existing *ex, struct store *st, char *err)
{
    memset(ex, 0, sizeof *ex);
    sqlite3_stmt *s;
    if (store_prepare(st,
                      "SELECT a.id, a.ref, a.title, o.ref FROM actions a"
                      " LEFT JOIN objectives o ON o.id = a.objective_id",
                      &s, err) != 0)
        return -1;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (ex->n == ex->cap) {
            ex->cap = ex->cap ? ex->cap * 2 : 64;
            ex->ids = xrealloc(ex->ids, ex->cap * sizeof *ex->ids);
        }
        long i = (long)ex->n;
        ex->ids[ex->n++] = sqlite3_column_int64(s, 0);
        const char *ref = (const char *)sqlite3_column_text(s, 1);
        const char *title = (const char *)sqlite3_column_text(s, 2);
        const char *objective = (const char *)sqlite3_column_text(s, 3);
        ref = ref ? ref : "";
        title = title ? title : "";
        strmap_put(&ex->by_ref, ref, i);
        char *folded = import_fold(ref);
        index_put(&ex->by_ref_folded, folded, i);
        free(folded);
        char *k = import_title_key(title, NULL);
        index_put(&ex->by_title, k, i);
        free(k);
        k = import_title_key(title, objective ? objective : "");
        index_put(&ex->by_title_objective, k, i);
        free(k);
    }
    int rc = step == SQLITE_DONE ? 0 : store_error(st, "reading the plan's actions", err);
    sqlite3_finalize(s);
    if (rc != 0) {
        existing_free(ex);
        return -1;
    }
    ex->claimed = xcalloc(ex->n ? ex->n : 1, sizeof *ex->claimed);
    return 0;
}

long existing_find_ref(struct existing *ex, const char *ref)
{
    long *i = strmap_get(&ex->by_ref, ref);
    if (i)
        return *i;
    char *folded = import_fold(ref);
    i = strmap_get(&ex->by_ref_folded, folded);
    free(folded);
    return i && *i >= 0 ? *i : -1;
}

long existing_find_title(struct existing *ex, const char *title, const char *objective)
{
    char *k = import_title_key(title, objective);
    long *i = strmap_get(objective ? &ex->by_title_objective : &ex->by_title, k);
    free(k);
    return i ? *i : -1;
}

void existing_free(struct existing *ex)
{
    free(ex->ids);
    free(ex->claimed);
    strmap_free(&ex->by_ref);
    strmap_free(&ex->by_ref_folded);
    strmap_free(&ex->by_title);
    strmap_free(&ex->by_title_objective);
    memset(ex, 0, sizeof *ex);
}

/* ---- objectives ---- */

int objectives_load(struct objectives *ob, struct store *st, char *err)
{
    memset(ob, 0, sizeof *ob);
    struct objective *v;
    size_t n;
    if (store_objectives(st, NULL, &v, &n, err) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        objectives_add(ob, v[i].ref, v[i].title, strand_index(v[i].strand), false);
    objectives_free(v, n);
    return 0;
}

long objectives_add(struct objectives *ob, const char *ref, const char *title, int strand,
                    bool is_new)
{
    if (ob->n == ob->cap) {
        ob->cap = ob->cap ? ob->cap * 2 : 16;
        ob->v = xrealloc(ob->v, ob->cap * sizeof *ob->v);
    }
    long i = (long)ob->n++;
    ob->v[i] = (struct import_objective){xstrdup(ref), xstrdup(title), strand, is_new, false};
    char *k = import_fold(ref);
    if (!strmap_get(&ob->by_ref, k))
        strmap_put(&ob->by_ref, k, i);
    free(k);
    k = import_fold(title);
    if (!strmap_get(&ob->by_title, k))
        strmap_put(&ob->by_title, k, i);
    free(k);
    return i;
}

long objectives_find(struct objectives *ob, const char *ref_or_title, bool by_title)
{
    char *k = import_fold(ref_or_title);
    long *i = strmap_get(by_title ? &ob->by_title : &ob->by_ref, k);
    free(k);
    return i ? *i : -1;
}

void objectives_release(struct objectives *ob)
{
    for (size_t i = 0; i < ob->n; i++) {
        free(ob->v[i].ref);
        free(ob->v[i].title);
    }
    free(ob->v);
    strmap_free(&ob->by_ref);
    strmap_free(&ob->by_title);
    memset(ob, 0, sizeof *ob);
}

/* Lookup tables the importer plans with: a string map, the plan's existing actions
 * (by reference and by title) and its objectives (by reference and by title). */
#ifndef RAGBOARD_IMPORT_PLAN_H
#define RAGBOARD_IMPORT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "import_internal.h"
#include "ragboard/store.h"

/* Strings to longs (open addressing; keys copied). Zero-initialise. */
struct strmap {
    char **keys;
    long *vals;
    size_t n, cap;
};
/* The value stored under key, or NULL. */
long *strmap_get(struct strmap *m, const char *key);
void strmap_put(struct strmap *m, const char *key, long val);
void strmap_free(struct strmap *m);

/* Keys to ints by the keys' 64-bit hashes alone (the keys are not kept): 12 bytes a
 * slot, for sets as big as a file's rows. Two keys with the same hash would be taken
 * for one; among n keys that happens with a chance of about n^2 / 2^65 (1 in 30
 * million for a million keys). Zero-initialise. */
struct keyset {
    uint64_t *hash; /* 0: empty slot */
    int *val;
    size_t n, cap;
};
/* The value stored under key, or NULL. */
int *keyset_get(struct keyset *m, const char *key);
/* Store val under key (replacing any value). */
void keyset_put(struct keyset *m, const char *key, int val);
void keyset_free(struct keyset *m);

/* s on one line, lower case: how references and titles are compared. Caller frees. */
char *import_fold(const char *s);
/* Key of an action by its title within an objective (NULL: any). Caller frees. */
char *import_title_key(const char *title, const char *objective);

/* Every action in the plan, by the keys a row can name it by: only its id is held, and
 * the action itself is read when a row turns out to be about it, so a plan of 100k
 * actions costs its keys, not its text. Index maps hold -2 where two actions share a
 * key. */
struct existing {
    int64_t *ids;
    size_t n, cap;
    bool *claimed; /* a row of the file already updates it */
    struct strmap by_ref, by_ref_folded, by_title, by_title_objective;
};
int existing_load(struct existing *ex, struct store *st, char *err);
/* Index of the action with this reference (exactly, else ignoring case), or -1. */
long existing_find_ref(struct existing *ex, const char *ref);
/* Index of the action with this title (in this objective unless NULL), -1 when none,
 * -2 when several. */
long existing_find_title(struct existing *ex, const char *title, const char *objective);
void existing_free(struct existing *ex);

struct import_objective {
    char *ref;
    char *title;
    int strand;    /* index in strands[] */
    bool is_new;   /* created by this import */
    bool inserted; /* written to the store */
};

struct objectives {
    struct import_objective *v;
    size_t n, cap;
    struct strmap by_ref, by_title;
};
int objectives_load(struct objectives *ob, struct store *st, char *err);
long objectives_add(struct objectives *ob, const char *ref, const char *title, int strand,
                    bool is_new);
/* Index by reference or by title (ignoring case), or -1. */
long objectives_find(struct objectives *ob, const char *ref_or_title, bool by_title);
void objectives_release(struct objectives *ob);

#endif

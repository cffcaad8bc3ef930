/* Offline copies of a plan: the change journal, changeset files, and merging another
 * copy's changes with every conflict shown (design notes at the top of changes.c). */
#ifndef RAGBOARD_CHANGES_H
#define RAGBOARD_CHANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ragboard/store.h"

/* Plan and copy ids: 16 lower-case hex digits. */
#define CHANGES_ID_LEN 17
/* A UTC time "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define CHANGES_TIME_LEN 21

/* The first line of every changeset file, and the format version this build writes. */
#define CHANGES_MAGIC "RAGBOARD CHANGESET"
#define CHANGES_VERSION 1

/* Which plan a copy belongs to (shared by every copy made from one plan file) and
 * which copy it is. */
struct copy_identity {
    char plan_id[CHANGES_ID_LEN];
    char copy_id[CHANGES_ID_LEN];
    char parent_id[CHANGES_ID_LEN]; /* the copy this one was made from, or "" */
};

/* Read this store's identity. Fails (with a message) for a plan made before change
 * tracking existed. */
int changes_identity(struct store *st, struct copy_identity *out, char *err);

/* ---- changeset files ---- */

/* One journal entry: the changes one saved edit made, as an SQLite session changeset. */
struct changes_entry {
    int64_t key;                  /* the same in every copy that holds this entry */
    char origin[CHANGES_ID_LEN];  /* copy where the edit was made */
    char at[CHANGES_TIME_LEN];    /* when, UTC */
    char *user;                   /* who */
    const unsigned char *data;    /* the changeset (points into the file's bytes) */
    int size;
};

struct changes_file {
    int version;
    struct copy_identity from;    /* the copy that wrote the file (parent_id unused) */
    char created[CHANGES_TIME_LEN];
    uint32_t crc;                 /* CRC-32 of the header (bar its last line) and body */
    struct changes_entry *v;
    size_t n;
    unsigned char *buf;           /* the file's bytes (owned) */
    size_t len;
};

/* Check and parse a changeset file held in memory. Takes ownership of buf (from
 * malloc), also on failure. Anything that is not a whole, intact ragboard changeset
 * (another file, a truncated or damaged one, one from a newer ragboard) is refused with
 * err saying which. Free out with changes_file_free. */
int changes_file_parse(unsigned char *buf, size_t len, struct changes_file *out, char *err);
/* Read path and parse it as above; err names the file. */
int changes_file_load(const char *path, struct changes_file *out, char *err);
void changes_file_free(struct changes_file *f);

/* ---- export ---- */

struct changes_filter {
    const char *since;  /* entries recorded here at or after this UTC time; NULL: all */
    const char *agency; /* entries touching actions this agency leads or supports (or
                         * its attendance); NULL: all */
};

/* Turn a --since argument into a UTC time (out, CHANGES_TIME_LEN bytes): "last" (or
 * "latest") is when the newest closed meeting closed; a date (ISO or dd/mm/yyyy) is the
 * opening of a meeting held that day, else the start of that day. what (RB_ERRLEN bytes,
 * may be NULL) describes it: "the meeting of 12/03/2026". */
int changes_since(struct store *st, const char *arg, char *out, char *what, char *err);

/* Write the journal entries matching f (NULL: all), oldest first, to out as a changeset
 * file; *n gets how many. */
int changes_export(struct store *st, const struct changes_filter *f, FILE *out, size_t *n,
                   char *err);

/* ---- merging ---- */

enum change_side { CHANGE_UNDECIDED, CHANGE_OURS, CHANGE_THEIRS };

/* "ours" or "theirs" (case-insensitive). */
bool change_side_parse(const char *s, enum change_side *out);

/* A decision about one conflict, from --take or a screen. ref and field are as a
 * conflict lists them (case-insensitive; a field may also be named by its column). */
struct change_choice {
    const char *ref;
    const char *field;
    enum change_side side;
    bool used; /* set by changes_apply when it settled a conflict */
};

/* One field changed both here and in the other copy since they parted. */
struct change_conflict {
    char *ref;    /* action reference ("PV-3.1"), objective, or "meeting-2026-03-12" */
    char *field;  /* "title", "due", "rag", "update.text", "deleted", ... */
    char *ours;   /* the value here ("" when none) */
    char *theirs; /* the value in the file */
    char *by;     /* who made their change */
    char *at;     /* and when (UTC) */
    enum change_side taken; /* CHANGE_UNDECIDED: still open, their change not applied */
    bool theirs_possible;   /* false when only "ours" can settle it (e.g. deleted here) */
};

struct merge_result {
    size_t entries; /* entries in the file */
    size_t known;   /* already held here: skipped */
    size_t merged;  /* merged in full and recorded */
    size_t held;    /* not recorded: open conflicts, or refused (see notices) */
    size_t changes; /* field and row changes written here (audit rows) */
    struct change_conflict *conflicts;
    size_t n_conflicts;
    size_t open;    /* conflicts still undecided */
    char **notices; /* references renumbered, entries refused, choices that matched
                     * nothing */
    size_t n_notices;
    int64_t merge_id; /* the merges row written, or 0 when nothing was written */
};
void merge_result_free(struct merge_result *r);

/* How many entries of f this copy does not hold yet. Refuses a file from another plan. */
int changes_count_new(struct store *st, const struct changes_file *f, size_t *n, char *err);

/* Merge f (read from file_name, recorded in the audit log) into this copy, in one
 * transaction. Entries already here are skipped. A field changed both here and there
 * since the copies parted is a conflict: listed in res and left as it is here, unless
 * choices settle it (ours: keep, theirs: take). An entry is recorded as merged only
 * when nothing of it is left open; its other changes apply at once. Two actions added
 * under one reference in both copies are kept both: the one with the lower id keeps
 * the reference, the other gets the next free one (a notice says so). Returns 0 (fill
 * res, free it with merge_result_free), or -1 with nothing changed. */
int changes_apply(struct store *st, const struct changes_file *f, const char *file_name,
                  struct change_choice *choices, size_t n_choices, struct merge_result *res,
                  char *err);

#endif

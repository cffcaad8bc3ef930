/* Private parts shared by the change journal, the changeset file and the merge. */
#ifndef RAGBOARD_CHANGES_INTERNAL_H
#define RAGBOARD_CHANGES_INTERNAL_H

#include "store_internal.h"

#include "ragboard/changes.h"

struct changes_state {
    sqlite3_session *session; /* recording this connection's changes; NULL: not recording */
    bool enabled;             /* the plan has a change journal */
    int64_t merge_id;         /* merges(id) while a merge runs (ragboard_merge()), or 0 */
};

/* True for the tables whose changes are journaled and exchanged between copies. */
bool changes_tracked(const char *table);

/* Column names of a table, in order (from the schema; free with table_cols_free). */
struct table_cols {
    char *table;
    int n;
    char **col;
};
int table_cols_load(struct store *st, const char *table, struct table_cols *out, char *err);
void table_cols_free(struct table_cols *t);
/* Index of a column by name, or -1. */
int table_col(const struct table_cols *t, const char *name);

/* Forget what the session recorded (after a merge) and record afresh. */
int changes_session_restart(struct store *st, char *err);

/* Write a changeset file holding entries v[0..n) from copy id to out. */
int changes_file_write(FILE *out, const struct copy_identity *id, const char *created,
                       const struct changes_entry *v, size_t n, char *err);

/* CRC-32 (the polynomial of zip and PNG) of p, continuing from crc (0 to start): the
 * checksum line of a changes file. */
uint32_t changes_crc32(uint32_t crc, const unsigned char *p, size_t n);

#endif

/* Private parts of the store shared by its source files. */
#ifndef RAGBOARD_STORE_INTERNAL_H
#define RAGBOARD_STORE_INTERNAL_H

#include "ragboard/store.h"

/* A schema version and its SQL, in pieces (each under the C string length limit)
 * that are joined and run as one script; NULL ends the list. */
struct migration {
    int version;
    const char *const *sql;
};
extern const struct migration store_migrations[];
extern const size_t store_n_migrations;

struct store {
    sqlite3 *db;
    char *path;
    char *user;
    bool readonly;
    char journal[8];
};

/* Prepare sql, or fill err with the database's message. */
int store_prepare(struct store *st, const char *sql, sqlite3_stmt **stmt, char *err);
/* Fill err with "what: sqlite message"; returns -1. */
int store_error(struct store *st, const char *what, char *err);
/* Bind text, or NULL when s is NULL. */
int bind_text_or_null(sqlite3_stmt *s, int i, const char *v);
/* Bind an ISO date, or NULL for RB_NO_DATE. */
int bind_date(sqlite3_stmt *s, int i, rb_day d);
/* Column as an owned string ("" for NULL unless keep_null). */
char *col_text(sqlite3_stmt *s, int i, bool keep_null);
rb_day col_date(sqlite3_stmt *s, int i);
/* Current UTC time as ISO 8601 "YYYY-MM-DDTHH:MM:SSZ" (buf of 21 bytes). */
char *store_now(char *buf);

#endif

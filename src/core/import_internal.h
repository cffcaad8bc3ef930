/* Private parts of the importer shared by its source files: column headings, agency
 * names and the cells of one row. */
#ifndef RAGBOARD_IMPORT_INTERNAL_H
#define RAGBOARD_IMPORT_INTERNAL_H

#include "ragboard/csv.h"
#include "ragboard/import.h"

enum import_field {
    IF_NONE = -1,
    IF_REF,
    IF_TITLE,
    IF_DESCRIPTION,
    IF_STRAND,
    IF_OBJECTIVE,
    IF_OBJECTIVE_TITLE,
    IF_LEAD,
    IF_OWNER,
    IF_PARTNERS,
    IF_START,
    IF_DUE,
    IF_PROGRESS,
    IF_STATUS,
    IF_RAG,
    IF_RAG_REASON,
    IF_UPDATE,
    IF_CONFIDENTIAL,
    IF_COUNT
};

/* ---- headings (import_columns.c) ---- */

/* The rows of a file: a whole document (doc, from row next) or a stream. */
struct import_source {
    const struct csv_doc *doc;
    size_t next;
    struct csv_stream *stream;
};
/* The next row, valid until the next call; NULL at the end. */
const struct csv_row *import_source_next(struct import_source *s);

struct import_columns {
    const struct csv_row *row; /* the heading row (&heading) */
    struct csv_row heading;    /* a copy of it, owned */
    size_t n;                  /* columns in it */
    int *field;                /* per column: enum import_field, or IF_NONE */
    bool *label;               /* per column: its text is prefixed with its heading */
    char **labels;             /* per column: import_column_label, for messages */
    bool *told;                /* per column: warned of text under no heading */
    size_t n_told;
};

/* Read rows from src up to the heading row (the first of the first rows with an action
 * column) and find what each column holds. Unknown headings are warnings; a missing
 * action column or a field given by two columns is an error. Returns 0 (src is then at
 * the first row below the heading), or -1 when no heading row was found. */
int import_map_columns(struct import_source *src, struct import_columns *c,
                       struct csv_issues *issues);
/* Warn (once per column) of text in a column that has no heading. */
void import_check_unheaded(struct import_columns *c, const struct csv_row *row,
                           struct csv_issues *issues);
void import_columns_free(struct import_columns *c);
/* "due date", "lead agency", ... */
const char *import_field_name(enum import_field f);
/* 'Timescale (column D)' for messages; buf holds at least 96 bytes. */
char *import_column_label(const struct import_columns *c, size_t col, char *buf, size_t n);

/* ---- agencies (import_agencies.c) ---- */

struct import_agency {
    char *code;
    char *name;
    bool in_config; /* listed in the settings file */
    bool added;     /* to be added by this import */
    bool inserted;  /* added to the store */
    bool noted;     /* a warning about it was given */
};

struct import_agencies {
    struct import_agency *v;
    size_t n, cap;
    bool add_unknown; /* --add-agencies */
};

/* The settings file's agencies, then the plan's others (retired or added before). */
void import_agencies_load(struct import_agencies *l, const struct config *cfg,
                          const struct agency *db, size_t n_db);
void import_agencies_free(struct import_agencies *l);

/* Match the agencies named in a cell ("WMP, Shropshire Council and NHS"), by code or
 * name, case-insensitively; codes are appended to *codes (each once). Names matching
 * nothing are errors at the cell, or new agencies when add_unknown. where names the
 * column for messages. */
void import_agencies_match(struct import_agencies *l, const struct csv_cell *cell,
                           const char *where, char ***codes, size_t *n,
                           struct csv_issues *issues);

/* ---- one row (import_rows.c) ---- */

struct import_update {
    rb_day date;  /* RB_NO_DATE: today */
    char *author; /* NULL: the importing user */
    char *text;
    int progress; /* -1: none */
    bool confidential;
};

struct import_row {
    int line;
    const struct csv_cell *cell[IF_COUNT]; /* first cell of each field, NULL if none */
    char *ref;
    char *title;
    char *description;
    char *owner;
    int strand; /* index in strands[], -1 when not given */
    char *objective;
    char *objective_title;
    bool has_lead;
    char **agencies; /* lead first, then partners, from the lead column */
    size_t n_agencies;
    bool has_partners;
    char **partners; /* from the partners column */
    size_t n_partners;
    bool has_start, has_due;
    rb_day start, due;
    int progress; /* -1 when not given */
    bool has_state;
    enum action_state state;
    bool has_rag;
    enum rag rag;
    char *rag_reason;
    int confidential; /* -1 when not given */
    struct import_update *updates;
    size_t n_updates;
};

/* Read a row into out (which keeps pointers to the row's cells: use it while the row
 * lasts). Every problem goes to issues. Returns false (and fills nothing) for a blank
 * row. */
bool import_row_read(const struct csv_row *row, const struct import_columns *c,
                     struct import_agencies *ag, struct import_row *out,
                     struct csv_issues *issues);
void import_row_free(struct import_row *row);

/* Trimmed copy of a cell (line breaks and tabs inside kept), without the apostrophe
 * that exports put before text a spreadsheet would run as a formula, and without
 * control characters, which have no place in a plan and could drive a terminal.
 * Caller frees. */
char *import_cell_text(const char *s);

/* Copy of s with blanks trimmed and every run of white space (line breaks too) made one
 * space; caller frees. */
char *import_one_line(const char *s);

#endif

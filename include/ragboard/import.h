/* Importing a partnership's spreadsheet (CSV) into the plan: new actions added, existing
 * ones updated, nothing deleted, all in one transaction or not at all. */
#ifndef RAGBOARD_IMPORT_H
#define RAGBOARD_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "ragboard/config.h"
#include "ragboard/csv.h"
#include "ragboard/store.h"

struct import_opts {
    bool apply;        /* write the changes when the file has no errors */
    bool add_agencies; /* add agencies the settings file does not know */
    const char *source; /* the file's name, for reasons such as "rated Amber in plan.csv" */
    rb_day today;
    /* 0: the result lists every row. Else it lists only rows that change something, and
     * of the new actions only the first list_new_max (all are counted), so that its size
     * does not grow with the file. */
    size_t list_new_max;
    /* With apply: the same file was just checked against the plan (apply false) without
     * errors, so references repeated in the file need not be looked for again (the
     * database still refuses one twice); saves memory on long files. */
    bool checked;
};

/* What happened (or would happen) to one action. */
struct import_change {
    int line;     /* where its row starts in the file */
    char *ref;
    char *title;
    bool is_new;
    char *fields; /* "due date, progress, progress update added"; NULL when unchanged */
};

/* An agency added to the plan's list because the file named it (--add-agencies). */
struct import_new_agency {
    char *code;
    char *name;
};

struct import_result {
    struct import_change *changes; /* one per action row, in file order (list_new_max) */
    size_t n_changes, cap_changes;
    size_t n_new, n_updated, n_unchanged;
    struct import_new_agency *agencies;
    size_t n_agencies;
    size_t n_new_objectives;
    size_t n_default_strand; /* new actions put under Prevent for want of a strand */
    size_t header_line;      /* physical line of the heading row */
    bool applied;            /* the changes were committed */
};

/* Import the rows of doc into st. Columns are found by their headings; every cell is
 * checked against the settings (agencies) and the plan (references, objectives), and
 * every problem is added to issues with its line and column. With no errors and
 * o->apply, the whole file is written in one transaction (the config's agencies are
 * synced into the store first, inside it). Returns 0 (done, or checked and fine), 1
 * when the file has errors (nothing written), -1 on a database failure (err filled;
 * nothing written). Free r with import_result_free. */
int import_csv(struct store *st, const struct config *cfg, const struct csv_doc *doc,
               const struct import_opts *o, struct import_result *r, struct csv_issues *issues,
               char *err);
/* import_csv on a stream, from its first record: only the row being read is held, so
 * memory does not grow with the file (beyond what the result lists and the references
 * and titles it checks for repeats, a few bytes a row). A row is written as soon as it
 * is checked, in the one transaction, which is rolled back at the end if any row had an
 * error. */
int import_csv_stream(struct store *st, const struct config *cfg, struct csv_stream *in,
                      const struct import_opts *o, struct import_result *r,
                      struct csv_issues *issues, char *err);
void import_result_free(struct import_result *r);

#endif

/* The rows of an action list: one strand or one agency, sorted, filtered, searched. */
#ifndef RAGBOARD_PLAN_LIST_H
#define RAGBOARD_PLAN_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "ragboard/store.h"

enum list_sort {
    SORT_REF,     /* by objective, then reference (the plan's own order) */
    SORT_DUE,     /* due date, soonest first, no date last */
    SORT_RAG,     /* severity: Red, Amber, Green, Complete, Cancelled; then due */
    SORT_AGENCY,  /* lead agency code, then reference */
    SORT_UPDATED, /* date of last update, oldest first (never updated first) */
};
#define SORT_COUNT 5
/* "reference", "due date", "RAG", "agency", "last update" */
const char *list_sort_name(enum list_sort s);

struct list_query {
    const char *strand;    /* code, or NULL */
    const char *agency;    /* lead or partner, or NULL */
    enum list_sort sort;
    unsigned rag_mask;     /* bit (1u << enum rag) for each rating shown; 0 = all */
    const char *lead;      /* only this lead agency, or NULL */
    int state;             /* enum action_state, or -1 for any */
    bool overdue_only;
    const char *search;    /* words to find in titles, descriptions and updates (FTS5):
                              each word is matched as a prefix, all must match, and
                              punctuation or FTS5 syntax in it is taken literally;
                              NULL, blank or only punctuation = no search */
    bool hide_confidential_text; /* search does not match confidential text (confidential
                                    updates, and all text of a confidential action) */
};

/* What a list row shows. Strings point into the list's own storage. */
struct list_row {
    int64_t id;
    const char *ref;
    const char *title;
    const char *strand;          /* strand code */
    const char *lead;            /* "" when none */
    const char *objective_ref;   /* "" when none */
    const char *objective_title;
    enum rag rag;
    enum action_state state;
    rb_day due;
    rb_day last_update;
    int progress;
    bool overdue;
    bool stale;
    bool confidential;
};

/* The rows of a list, in order. Only their ids and objectives are held; what a row
 * shows is read when it is asked for (plan_list_row), a screenful at a time, so a list
 * costs what is on the screen, not the size of the plan. Even the ids come a part at a
 * time: a load reads how many rows there are and the first few hundred ids, and the
 * rest follow when asked for (plan_list_more, or a row or find beyond them). */
struct plan_list {
    size_t n;            /* rows in the list */
    size_t loaded;       /* ids[0 .. loaded) are read (== n once all are) */
    int64_t *ids;        /* action ids, in the list's order */
    int64_t *objectives; /* objective ids (0 when none): rows of one objective are
                            together in the plan's own order (SORT_REF) */
    void *window;        /* private: the rows read so far, and how to read more */
};

/* Find the rows matching q, rated as of today (the RAG index, kept by rag_compute's
 * rules) and sorted; rows that tie on the sort key are ordered by reference (PV-3.2
 * before PV-3.10). Replaces *out's contents (free with plan_list_free; *out must be
 * zeroed or loaded before). The list reads its rows from st later: st must outlive it.
 * An unknown strand, or a search the database cannot run, is an error saying so (and
 * *out is left empty). */
int plan_list_load(struct store *st, const struct list_query *q, const struct rag_thresholds *t,
                   rb_day today, struct plan_list *out, char *err);
void plan_list_free(struct plan_list *l);

/* Bring *l up to date for q, as plan_list_load would load it: when l was loaded for the
 * same query, only the actions rated again since (an edit, a new day) are taken out and
 * put back where they now sort, so that an edit costs what it changed rather than the
 * size of the list (when all its ids were loaded; otherwise it is loaded again, which
 * reads only the first part); otherwise the list is loaded again (into the same memory).
 * *l may
 * be zeroed. On failure *l is left as it was, or emptied when the failure came part way. */
int plan_list_update(struct store *st, const struct list_query *q,
                     const struct rag_thresholds *t, rb_day today, struct plan_list *l,
                     char *err);

/* Row i (< l->n), read from the store with the rows around it when not read yet (and
 * the ids up to it, when they are not loaded yet). The pointer and its strings stay
 * valid until the next call for a row far from it (at least a screenful of rows is kept)
 * or until the list is loaded again or freed. An action deleted since the list was
 * loaded comes back with its id and empty text; a row whose id cannot be read (the plan
 * changed, see plan_list_more) comes back empty, with id 0. */
const struct list_row *plan_list_row(struct plan_list *l, size_t i);
/* Read rows first .. first + count - 1 now if they are not read yet: called while the
 * user looks at a screen of about count rows ending at or just before first, so that the
 * next page finds its rows read. Does nothing when the rows kept could not hold both
 * screens and a read's rows beyond them. */
void plan_list_prefetch(struct plan_list *l, size_t first, size_t count);

/* Read ids until at least min(want, l->n) are loaded (a part at a time, each in a read
 * transaction of its own, so none is held open between calls). 0 when done (the ids
 * before l->loaded are as they were: only more were added); 1 when the plan changed
 * since the list was loaded, so the rest cannot follow on from what was read: nothing
 * was added, and the list should be brought up to date (plan_list_update); -1 on an
 * error (err says what). n is exact when the list was counted through the RAG totals or
 * a count of the same query; should the rows run out before n, n becomes loaded. */
int plan_list_more(struct plan_list *l, size_t want, char *err);
/* Whether every id is loaded. */
bool plan_list_complete(const struct plan_list *l);
/* Index of the row with this id, or -1; reads more ids while it is not among those
 * loaded (and gives -1 when they cannot be read). */
long plan_list_find(struct plan_list *l, int64_t id);

#endif

/* A scratch plan for unit tests: a fresh folder under /tmp holding plan.db. */
#ifndef RAGBOARD_TESTS_SCRATCH_H
#define RAGBOARD_TESTS_SCRATCH_H

#include "ragboard/store.h"

struct scratch {
    char dir[64];   /* /tmp/<test program>-XXXXXX */
    char path[128]; /* <dir>/plan.db */
};

/* Make the folder and fill in sc. Returns 0, or -1 if the folder cannot be made. */
int scratch_make(struct scratch *sc);

/* scratch_make, then set RAGBOARD_TODAY to today and USER to user (each left alone when
 * NULL) and create the plan at sc->path into *st; fails the test if it will not open.
 * Returns 0, or -1 if the folder cannot be made. Undo with scratch_close. */
int scratch_open(struct scratch *sc, const char *today, const char *user, struct store **st);

/* Close st (NULL is fine) and remove the folder with all in it: the plan, its -wal and
 * -shm, whatever a test wrote there. Returns 0, or -1 if anything stays. */
int scratch_close(struct scratch *sc, struct store *st);

/* Run sql on st; fails the test, with the database's message, if it does not run. */
void scratch_exec(struct store *st, const char *sql);

#endif

/* The demo plan: a realistic Prevent action plan with dates relative to today. */
#ifndef RAGBOARD_DEMO_H
#define RAGBOARD_DEMO_H

#include "ragboard/config.h"
#include "ragboard/store.h"

/* Fill an empty, open store with the demo plan as of today (agencies must already be
 * synced from cfg). One transaction: all or nothing. */
int demo_seed(struct store *st, const struct config *cfg, rb_day today, char *err);

#endif

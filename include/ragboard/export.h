/* Writing the plan out as JSON or CSV. */
#ifndef RAGBOARD_EXPORT_H
#define RAGBOARD_EXPORT_H

#include <stdio.h>

#include "ragboard/store.h"

enum export_format { EXPORT_JSON, EXPORT_CSV };

/* "json" or "csv" (case-insensitive). */
bool export_format_parse(const char *s, enum export_format *out);

/* Write every action matching q (NULL: all) to out, rated as of today. */
int export_plan(struct store *st, const struct action_query *q, const struct rag_thresholds *t,
                rb_day today, enum export_format fmt, FILE *out, char *err);

#endif

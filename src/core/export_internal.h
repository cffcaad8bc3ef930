/* Private parts shared by the exporters. */
#ifndef RAGBOARD_EXPORT_INTERNAL_H
#define RAGBOARD_EXPORT_INTERNAL_H

#include "ragboard/export.h"

struct export_ctx {
    struct store *st;
    const struct export_options *o;
    const struct rag_thresholds *t;
    rb_day today;
    FILE *out;
    int count;
    char *err;
};

/* True when the options let this action or update be written. */
bool export_shows_action(const struct export_ctx *x, const struct action *a);
bool export_shows_update(const struct export_ctx *x, const struct progress_update *u);

int export_markdown(struct export_ctx *x);
/* To-dos, or all-day events on the due dates when events is true. */
int export_icalendar(struct export_ctx *x, bool events);

#endif

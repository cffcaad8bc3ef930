/* Files the export commands write: mode 0600, written beside the target and put in
 * place only when complete, never replacing an existing file unless asked to. */
#ifndef RAGBOARD_CLI_OUTPUT_H
#define RAGBOARD_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

struct out_file {
    FILE *f;       /* write here */
    char *path;    /* the target, or NULL for standard output */
    char *tmp;     /* the file being written beside it */
    bool force;    /* replace an existing target */
    bool direct;   /* a device or pipe, written as it is */
};

/* Open path for writing (NULL or "-": standard output). Refuses an existing path unless
 * force. Returns 0, or -1 with err filled. */
int out_open(struct out_file *o, const char *path, bool force, char *err);
/* Close and put the file in place (checking again that nothing appeared there, unless
 * force); on failure nothing is left behind. Returns 0 or -1 with err. */
int out_commit(struct out_file *o, char *err);
/* Give up: close and remove the partial file. */
void out_abort(struct out_file *o);

#endif

/* Restricted mode for locked-down terminals: turned on by --restricted, by
 * [security] restricted = true, or for good by building with -Drestricted=true; nothing
 * turns it off. In it, files are written only inside the exports folder. */
#ifndef RAGBOARD_RESTRICT_H
#define RAGBOARD_RESTRICT_H

#include <stdbool.h>

/* Whether restricted mode is on (always, in a -Drestricted=true build). */
bool restrict_on(void);
/* Turn it on for the rest of the process; there is no way back. */
void restrict_enable(void);
/* Built with -Drestricted=true. */
bool restrict_forced(void);

/* The exports folder: $XDG_DATA_HOME/ragboard/exports (~/.local/share/ragboard/exports).
 * Caller frees. */
char *restrict_export_folder(void);

/* In restricted mode, check that path (an output file a command was asked to write) lies
 * inside the exports folder, reached without '..' or symbolic links, and is not itself a
 * link or anything but a regular file; NULL or "-" (standard output) is allowed. Outside
 * restricted mode, always 0. Returns 0 or -1 with err. */
int restrict_check_output(const char *path, char *err);

/* In restricted mode, check that dir (where the program is about to write) is the
 * exports folder or inside it and not a symbolic link. Outside it, always 0. */
int restrict_check_folder(const char *dir, char *err);

#endif

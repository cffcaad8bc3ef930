/* Backups of the plan through SQLite's online backup API (never a plain file copy), their
 * rotation in the data folder, and restoring one after checking it. */
#ifndef RAGBOARD_BACKUP_H
#define RAGBOARD_BACKUP_H

#include "ragboard/store.h"

/* Where the backups of the plan at db_path are kept: "backups" in the plan's own folder
 * (for the default plan, ~/.local/share/ragboard/backups). Caller frees. */
char *backup_folder(const char *db_path);

/* Copy the open plan into a new file dest (mode 0600) through the online backup API, in
 * the rollback-journal mode, and check the copy (integrity check). An existing dest is
 * never replaced; on any failure nothing is left at dest. Returns 0 or -1 with err. */
int backup_to(struct store *st, const char *dest, char *err);

/* A backup into backup_folder() named "<plan>-YYYY-MM-DD-HHMMSS.db" (UTC), then remove
 * all but the newest keep backups of this plan there. keep 0 makes no backup (0 is
 * returned and *path set to NULL). *path (may be NULL) gets the new file; caller frees. */
int backup_rotate(struct store *st, int keep, char **path, char *err);

/* Check that path is a whole ragboard plan this program can open, without writing to
 * it: a regular file, an SQLite database with ragboard's application_id and a schema no
 * newer than this program's, that passes the integrity and foreign-key checks. what
 * (RB_ERRLEN bytes, may be NULL) gets a summary: "31 actions, 412 audit rows". */
int backup_verify(const char *path, char *what, char *err);

/* Replace the plan at db_path with the backup src, after backup_verify(src): the plan as
 * it is now is first kept as "<plan>-replaced-YYYY-MM-DD-HHMMSS.db" in the backup folder
 * (*kept, caller frees; never rotated away), through the online backup API when SQLite
 * can still read it and as a plain copy of its bytes when it cannot. The backup's pages
 * are then written into the plan through the online backup API, in one transaction that
 * programs with the plan open see as one change. Returns 0 or -1 with err (nothing
 * replaced). */
int backup_restore(const char *db_path, const char *src, char **kept, char *err);

#endif

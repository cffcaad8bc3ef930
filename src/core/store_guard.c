/* Who may change what: the audit log guarded on the program's own connection (even
 * against SQL run through it), and the plan file's permissions. */
#include "store_internal.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ragboard/util.h"
#include "ragboard/watch.h"

/* The triggers that write the audit log are named <table>_audit_<op>; the ones that keep
 * it unchangeable are audit_no_update and audit_no_delete. */
static bool audit_name(const char *name)
{
    return name && strstr(name, "audit") != NULL;
}

static bool is_audit(const char *table)
{
    return table && strcmp(table, "audit") == 0;
}

/* SQLite's authorizer: called while each statement is prepared. */
static int authorize(void *ctx, int op, const char *a1, const char *a2, const char *db,
                     const char *trigger)
{
    (void)ctx;
    (void)db;
    switch (op) {
    case SQLITE_INSERT: /* a1: table. Only the audit triggers add rows to the log. */
        return is_audit(a1) && !(trigger && strstr(trigger, "_audit_")) ? SQLITE_DENY
                                                                          : SQLITE_OK;
    /* UPDATE and DELETE of audit rows reach the audit_no_* triggers, which refuse them
     * with "the audit log cannot be changed"; those triggers cannot be dropped. */
    case SQLITE_DROP_TABLE:      /* a1: table */
    case SQLITE_DROP_TEMP_TABLE:
        return is_audit(a1) ? SQLITE_DENY : SQLITE_OK;
    case SQLITE_ALTER_TABLE: /* a1: database, a2: table */
        return is_audit(a2) ? SQLITE_DENY : SQLITE_OK;
    case SQLITE_CREATE_TRIGGER: /* a1: trigger, a2: table */
    case SQLITE_CREATE_TEMP_TRIGGER:
    case SQLITE_DROP_TRIGGER:
    case SQLITE_DROP_TEMP_TRIGGER:
        return is_audit(a2) || audit_name(a1) ? SQLITE_DENY : SQLITE_OK;
    case SQLITE_DROP_INDEX: /* a1: index, a2: table */
    case SQLITE_DROP_TEMP_INDEX:
        return is_audit(a2) ? SQLITE_DENY : SQLITE_OK;
    case SQLITE_PRAGMA: /* a1: pragma; defensive mode covers the rest */
        return a1 && (str_ieq(a1, "writable_schema") || str_ieq(a1, "schema_version")) && a2
                   ? SQLITE_DENY
                   : SQLITE_OK;
    default:
        return SQLITE_OK;
    }
}

void store_guard(struct store *st)
{
    /* Defensive mode turns off the SQL that could corrupt the file on purpose
     * (writable_schema, sqlite_dbpage, writing FTS shadow tables). */
    sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    sqlite3_set_authorizer(st->db, authorize, NULL);
}

bool store_access_warning(const struct store *st, char *msg)
{
    struct stat sb;
    /* Only the owner can do anything about it. */
    if (stat(st->path, &sb) != 0 || !(sb.st_mode & 077) || sb.st_uid != geteuid())
        return false;
    const char *who = sb.st_mode & 007 ? "every user of this computer"
                                       : "the members of the file's group";
    rb_fail(msg, "%s can be %s by %s (mode %04o); make it private with 'chmod 600 %s'",
            st->path, sb.st_mode & 022 ? "changed" : "read", who,
            (unsigned)(sb.st_mode & 07777), st->path);
    return true;
}

bool store_on_network_fs(const struct store *st)
{
    return st->netfs;
}

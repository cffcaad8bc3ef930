/* The database schema, as a list of migrations applied in order. */
#include "store_internal.h"

/* Fields of actions whose changes the audit log records, one row per field. */
#define AUDIT_ACTION_FIELDS \
    "SELECT 'ref' AS f, old.ref AS o, new.ref AS n" \
    " UNION ALL SELECT 'title', old.title, new.title" \
    " UNION ALL SELECT 'description', old.description, new.description" \
    " UNION ALL SELECT 'strand', old.strand, new.strand" \
    " UNION ALL SELECT 'objective_id', old.objective_id, new.objective_id" \
    " UNION ALL SELECT 'lead', old.lead, new.lead" \
    " UNION ALL SELECT 'owner', old.owner, new.owner" \
    " UNION ALL SELECT 'start_date', old.start_date, new.start_date" \
    " UNION ALL SELECT 'due_date', old.due_date, new.due_date" \
    " UNION ALL SELECT 'progress', old.progress, new.progress" \
    " UNION ALL SELECT 'state', old.state, new.state" \
    " UNION ALL SELECT 'rag_override', old.rag_override, new.rag_override" \
    " UNION ALL SELECT 'override_reason', old.override_reason, new.override_reason" \
    " UNION ALL SELECT 'confidential', old.confidential, new.confidential"

static const char *const schema_v1[] = {
    "CREATE TABLE strands ("
    "  code TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  aim TEXT NOT NULL,"
    "  sort INTEGER NOT NULL"
    ") WITHOUT ROWID;",
    "CREATE TABLE partnership ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  name TEXT NOT NULL DEFAULT '',"
    "  plan_title TEXT NOT NULL DEFAULT '',"
    "  threat_level TEXT NOT NULL DEFAULT 'SUBSTANTIAL',"
    "  ctlp_briefing TEXT"
    ");",
    "INSERT INTO partnership (id) VALUES (1);",
    "CREATE TABLE agencies ("
    "  code TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  in_config INTEGER NOT NULL DEFAULT 1 CHECK (in_config IN (0, 1)),"
    "  sort INTEGER NOT NULL DEFAULT 0"
    ");",
    "CREATE TABLE objectives ("
    "  id INTEGER PRIMARY KEY,"
    "  strand TEXT NOT NULL REFERENCES strands(code),"
    "  ref TEXT NOT NULL UNIQUE,"
    "  title TEXT NOT NULL"
    ");",
    "CREATE TABLE actions ("
    "  id INTEGER PRIMARY KEY,"
    "  ref TEXT NOT NULL UNIQUE CHECK (length(ref) > 0),"
    "  title TEXT NOT NULL CHECK (length(title) > 0),"
    "  description TEXT NOT NULL DEFAULT '',"
    "  strand TEXT NOT NULL REFERENCES strands(code),"
    "  objective_id INTEGER REFERENCES objectives(id) ON DELETE SET NULL,"
    "  lead TEXT REFERENCES agencies(code) ON UPDATE CASCADE,"
    "  owner TEXT NOT NULL DEFAULT '',"
    "  start_date TEXT CHECK (start_date IS NULL OR date(start_date) = start_date),"
    "  due_date TEXT CHECK (due_date IS NULL OR date(due_date) = due_date),"
    "  progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),"
    "  state TEXT NOT NULL DEFAULT 'not_started'"
    "    CHECK (state IN ('not_started', 'in_progress', 'complete', 'cancelled')),"
    "  rag_override TEXT CHECK (rag_override IN ('R', 'A', 'G')),"
    "  override_reason TEXT,"
    "  override_by TEXT,"
    "  override_at TEXT,"
    "  confidential INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  version INTEGER NOT NULL DEFAULT 1,"
    "  CHECK (rag_override IS NULL OR length(override_reason) > 0)"
    ");",
    "CREATE INDEX actions_strand ON actions(strand, ref);",
    "CREATE INDEX actions_lead ON actions(lead);",
    "CREATE INDEX actions_due ON actions(due_date);",
    "CREATE TABLE action_partners ("
    "  action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,"
    "  agency TEXT NOT NULL REFERENCES agencies(code) ON UPDATE CASCADE,"
    "  sort INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (action_id, agency)"
    ") WITHOUT ROWID;",
    "CREATE INDEX action_partners_agency ON action_partners(agency);",
    "CREATE TABLE updates ("
    "  id INTEGER PRIMARY KEY,"
    "  action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,"
    "  date TEXT NOT NULL CHECK (date(date) = date),"
    "  author TEXT NOT NULL,"
    "  text TEXT NOT NULL,"
    "  progress INTEGER CHECK (progress IS NULL OR progress BETWEEN 0 AND 100),"
    "  confidential INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),"
    "  created_at TEXT NOT NULL"
    ");",
    "CREATE INDEX updates_action ON updates(action_id, date, created_at);",
    "CREATE TABLE meetings ("
    "  id INTEGER PRIMARY KEY,"
    "  title TEXT NOT NULL,"
    "  date TEXT NOT NULL CHECK (date(date) = date),"
    "  chair TEXT NOT NULL DEFAULT '',"
    "  opened_at TEXT NOT NULL,"
    "  closed_at TEXT,"
    "  position INTEGER NOT NULL DEFAULT 0,"
    "  item_action INTEGER,"
    "  agenda TEXT NOT NULL DEFAULT 'rag' CHECK (agenda IN ('rag', 'agency', 'ref')),"
    "  minutes TEXT"
    ");",
    "CREATE UNIQUE INDEX meetings_one_open ON meetings((closed_at IS NULL)) "
    "  WHERE closed_at IS NULL;",
    /* The walk's items, fixed when the walk starts so that ratings changed during the
     * meeting do not reorder it under the chair. */
    "CREATE TABLE meeting_items ("
    "  meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"
    "  action_id INTEGER NOT NULL,"
    "  grp TEXT NOT NULL,"
    "  PRIMARY KEY (meeting_id, seq)"
    ") WITHOUT ROWID;",
    /* How every action stood when a meeting closed: the baseline for "since the last
     * meeting". No foreign key on the action: it may be deleted later. */
    "CREATE TABLE meeting_snapshots ("
    "  meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,"
    "  action_id INTEGER NOT NULL,"
    "  rag TEXT NOT NULL,"
    "  progress INTEGER NOT NULL,"
    "  state TEXT NOT NULL,"
    "  updates INTEGER NOT NULL,"
    "  PRIMARY KEY (meeting_id, action_id)"
    ") WITHOUT ROWID;",
    "CREATE TABLE attendance ("
    "  meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,"
    "  agency TEXT NOT NULL REFERENCES agencies(code) ON UPDATE CASCADE,"
    "  status TEXT NOT NULL CHECK (status IN ('present', 'apologies', 'absent')),"
    "  names TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (meeting_id, agency)"
    ") WITHOUT ROWID;",
    "CREATE TABLE minute_entries ("
    "  id INTEGER PRIMARY KEY,"
    "  meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,"
    "  action_id INTEGER REFERENCES actions(id) ON DELETE SET NULL,"
    "  kind TEXT NOT NULL"
    "    CHECK (kind IN ('update', 'rag', 'decision', 'new_action', 'reviewed', 'note')),"
    "  heading TEXT,"
    "  seq INTEGER NOT NULL DEFAULT 0," /* order of entries made in the same second */
    "  text TEXT NOT NULL,"
    "  author TEXT NOT NULL DEFAULT '',"
    "  created_at TEXT NOT NULL"
    ");",
    "CREATE INDEX minute_entries_meeting ON minute_entries(meeting_id, created_at);",
    /* The audit log. Rows are written only by the triggers below and can never be
     * changed or removed. action_id and version say which action a row is about (its
     * own fields, its partners or its updates) and the version that action had when
     * the change was made, so "what changed since I read it" is one query.
     * confidential marks old/new values holding confidential text (a confidential
     * update, or the title, description or updates of a confidential action). */
    "CREATE TABLE audit ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  at TEXT NOT NULL DEFAULT (ragboard_now()),"
    "  user TEXT NOT NULL,"
    "  tbl TEXT NOT NULL,"
    "  row_id INTEGER,"
    "  row_ref TEXT,"
    "  action_id INTEGER,"
    "  version INTEGER,"
    "  confidential INTEGER NOT NULL DEFAULT 0,"
    "  op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),"
    "  field TEXT,"
    "  old TEXT,"
    "  new TEXT,"
    "  merge_id INTEGER DEFAULT (ragboard_merge())" /* merges(id) while a changeset is merged */
    ");",
    "CREATE INDEX audit_row ON audit(tbl, row_id);",
    "CREATE INDEX audit_action ON audit(action_id, seq);",
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
    "  SELECT RAISE(ABORT, 'the audit log cannot be changed');",
    " END;",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
    "  SELECT RAISE(ABORT, 'the audit log cannot be changed');",
    " END;",
    "CREATE TRIGGER actions_audit_insert AFTER INSERT ON actions BEGIN"
    "  INSERT INTO audit (user, tbl, row_id, row_ref, action_id, version, confidential, op,"
    "                     new)"
    "  VALUES (ragboard_user(), 'actions', new.id, new.ref, new.id, new.version,"
    "          new.confidential, 'insert', new.title);",
    " END;",
    "CREATE TRIGGER actions_audit_update AFTER UPDATE ON actions BEGIN"
    "  INSERT INTO audit (user, tbl, row_id, row_ref, action_id, version, confidential, op,"
    "                     field, old, new)"
    "  SELECT ragboard_user(), 'actions', new.id, new.ref, new.id, old.version,"
    "         f IN ('title', 'description') AND (old.confidential OR new.confidential),"
    "         'update', f, o, n"
    "  FROM (" AUDIT_ACTION_FIELDS ")"
    "  WHERE o IS NOT n;",
    " END;",
    "CREATE TRIGGER actions_audit_delete AFTER DELETE ON actions BEGIN"
    "  INSERT INTO audit (user, tbl, row_id, row_ref, action_id, version, confidential, op,"
    "                     old)"
    "  VALUES (ragboard_user(), 'actions', old.id, old.ref, old.id, old.version,"
    "          old.confidential, 'delete', old.title);",
    " END;",
    "CREATE TRIGGER partners_audit_insert AFTER INSERT ON action_partners BEGIN"
    "  INSERT INTO audit (user, tbl, row_id, row_ref, action_id, version, op, field, new)"
    "  SELECT ragboard_user(), 'action_partners', new.action_id, a.ref, new.action_id,"
    "         a.version, 'insert', 'agency', new.agency"
    "  FROM (SELECT NULL) LEFT JOIN actions a ON a.id = new.action_id;",
    " END;",
    "CREATE TRIGGER partners_audit_delete AFTER DELETE ON action_partners BEGIN"
    "  INSERT INTO audit (user, tbl, row_id, row_ref, action_id, version, op, field, old)"
    "  SELECT ragboard_user(), 'action_partners', old.action_id, a.ref, old.action_id,"
    "         a.version, 'delete', 'agency', old.agency"
    "  FROM (SELECT NULL) LEFT JOIN actions a ON a.id = old.action_id;",
    " END;",
    "CREATE TRIGGER updates_audit_insert AFTER INSERT ON updates BEGIN"
    "  INSERT INTO audit (user, tbl, row_id, row_ref, action_id, version, confidential, op,"
    "                     field, new)"
    "  SELECT ragboard_user(), 'updates', new.id, a.ref, new.action_id, a.version,"
    "         new.confidential OR coalesce(a.confidential, 0), 'insert', 'text', new.text"
    "  FROM (SELECT NULL) LEFT JOIN actions a ON a.id = new.action_id;",
    " END;",
    "CREATE TRIGGER updates_audit_update AFTER UPDATE ON updates BEGIN"
    "  INSERT INTO audit (user, tbl, row_id, row_ref, action_id, version, confidential, op,"
    "                     field, old, new)"
    "  SELECT ragboard_user(), 'updates', new.id, a.ref, new.action_id, a.version,"
    "         f = 'text' AND (old.confidential OR new.confidential"
    "                         OR coalesce(a.confidential, 0)),"
    "         'update', f, o, n"
    "  FROM ("
    "    SELECT 'date' AS f, old.date AS o, new.date AS n"
    "     UNION ALL SELECT 'text', old.text, new.text"
    "     UNION ALL SELECT 'progress', old.progress, new.progress"
    "     UNION ALL SELECT 'confidential', old.confidential, new.confidential"
    "  ) LEFT JOIN actions a ON a.id = new.action_id"
    "  WHERE o IS NOT n;",
    " END;",
    "CREATE TRIGGER updates_audit_delete AFTER DELETE ON updates BEGIN"
    "  INSERT INTO audit (user, tbl, row_id, row_ref, action_id, version, confidential, op,"
    "                     field, old)"
    "  SELECT ragboard_user(), 'updates', old.id, a.ref, old.action_id, a.version,"
    "         old.confidential OR coalesce(a.confidential, 0), 'delete', 'text', old.text"
    "  FROM (SELECT NULL) LEFT JOIN actions a ON a.id = old.action_id;",
    " END;",
    "CREATE TRIGGER agencies_audit_insert AFTER INSERT ON agencies BEGIN"
    "  INSERT INTO audit (user, tbl, row_ref, op, new)"
    "  VALUES (ragboard_user(), 'agencies', new.code, 'insert', new.name);",
    " END;",
    "CREATE TRIGGER agencies_audit_update AFTER UPDATE ON agencies BEGIN"
    "  INSERT INTO audit (user, tbl, row_ref, op, field, old, new)"
    "  SELECT ragboard_user(), 'agencies', new.code, 'update', f, o, n"
    "  FROM ("
    "    SELECT 'name' AS f, old.name AS o, new.name AS n"
    "     UNION ALL SELECT 'in_config', old.in_config, new.in_config"
    "  )"
    "  WHERE o IS NOT n;",
    " END;",
    "CREATE TRIGGER agencies_audit_delete AFTER DELETE ON agencies BEGIN"
    "  INSERT INTO audit (user, tbl, row_ref, op, old)"
    "  VALUES (ragboard_user(), 'agencies', old.code, 'delete', old.name);",
    " END;",
    "CREATE TRIGGER meetings_audit_insert AFTER INSERT ON meetings BEGIN"
    "  INSERT INTO audit (user, tbl, row_id, op, new)"
    "  VALUES (ragboard_user(), 'meetings', new.id, 'insert', new.title);",
    " END;",
    "CREATE TRIGGER meetings_audit_update AFTER UPDATE OF title, date, chair, closed_at"
    "  ON meetings BEGIN"
    "  INSERT INTO audit (user, tbl, row_id, op, field, old, new)"
    "  SELECT ragboard_user(), 'meetings', new.id, 'update', f, o, n"
    "  FROM ("
    "    SELECT 'title' AS f, old.title AS o, new.title AS n"
    "     UNION ALL SELECT 'date', old.date, new.date"
    "     UNION ALL SELECT 'chair', old.chair, new.chair"
    "     UNION ALL SELECT 'closed_at', old.closed_at, new.closed_at"
    "  )"
    "  WHERE o IS NOT n;",
    " END;",
    "CREATE TRIGGER minutes_audit_insert AFTER INSERT ON minute_entries BEGIN"
    "  INSERT INTO audit (user, tbl, row_id, op, field, new)"
    "  VALUES (ragboard_user(), 'minute_entries', new.id, 'insert', new.kind, new.text);",
    " END;",
    /* Every change to a plan object bumps its version, so a second editor can tell
     * that the row changed under them. */
    "CREATE TRIGGER actions_version AFTER UPDATE ON actions"
    "  WHEN new.version = old.version BEGIN"
    "  UPDATE actions SET version = old.version + 1 WHERE id = new.id;",
    " END;",
    /* Full-text search over each action (rowid = action id). open holds what anyone
     * may see: the title, description and non-confidential updates of an action that
     * is not confidential. secret holds the rest: confidential updates, and all the
     * text of a confidential action. A search that must not reveal confidential text
     * looks in open only. Triggers keep it right, except in a bulk write (an import),
     * which refreshes the rows of the actions it touched once, before it commits
     * (store_search_refresh_dirty). */
    "CREATE VIRTUAL TABLE action_search USING fts5(open, secret,"
    "  tokenize = 'unicode61 remove_diacritics 2');",
    "CREATE TRIGGER search_action_insert AFTER INSERT ON actions"
    "  WHEN NOT ragboard_bulk() BEGIN"
    SEARCH_REFRESH("new.id")
    " END;",
    "CREATE TRIGGER search_action_update AFTER UPDATE OF title, description, confidential"
    "  ON actions WHEN NOT ragboard_bulk() BEGIN"
    SEARCH_REFRESH("new.id")
    " END;",
    "CREATE TRIGGER search_action_delete AFTER DELETE ON actions BEGIN"
    "  DELETE FROM action_search WHERE rowid = old.id;"
    " END;",
    "CREATE TRIGGER search_update_insert AFTER INSERT ON updates"
    "  WHEN NOT ragboard_bulk() BEGIN"
    SEARCH_REFRESH("new.action_id")
    " END;",
    "CREATE TRIGGER search_update_update AFTER UPDATE OF action_id, text, confidential"
    "  ON updates WHEN NOT ragboard_bulk() BEGIN"
    SEARCH_REFRESH("old.action_id")
    SEARCH_REFRESH("new.action_id")
    " END;",
    "CREATE TRIGGER search_update_delete AFTER DELETE ON updates BEGIN"
    SEARCH_REFRESH("old.action_id")
    " END;",
    /* Offline copies (changes.c). plan_id is shared by every copy made from one plan
     * file; copy_id is this copy's own (a file copy gets a new one when first opened
     * for writing, see file_inode). */
    "CREATE TABLE copy_identity ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  plan_id TEXT NOT NULL,"
    "  copy_id TEXT NOT NULL,"
    "  parent_id TEXT,"
    "  parted_at TEXT,"
    "  file_path TEXT,"
    "  file_inode INTEGER,"
    "  host TEXT"
    ");",
    "INSERT INTO copy_identity (id, plan_id, copy_id)"
    "  VALUES (1, lower(hex(randomblob(8))), lower(hex(randomblob(8))));",
    /* Changesets merged from other copies: which file, from which copy, by whom. */
    "CREATE TABLE merges ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  user TEXT NOT NULL,"
    "  file TEXT NOT NULL,"
    "  source_copy TEXT NOT NULL,"
    "  checksum TEXT NOT NULL,"
    "  merged INTEGER NOT NULL DEFAULT 0,"
    "  held INTEGER NOT NULL DEFAULT 0,"
    "  conflicts INTEGER NOT NULL DEFAULT 0"
    ");",
    "CREATE TRIGGER merges_audit_insert AFTER INSERT ON merges BEGIN"
    "  INSERT INTO audit (user, tbl, row_id, op, field, new)"
    "  VALUES (ragboard_user(), 'merges', new.id, 'insert', 'file',"
    "          new.file || ' from copy ' || new.source_copy);",
    " END;",
    /* The change journal: one SQLite session changeset per saved edit, made here or
     * merged in (merge_id). key is the same in every copy that holds the entry. */
    "CREATE TABLE change_journal ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  key INTEGER NOT NULL UNIQUE,"
    "  origin TEXT NOT NULL,"
    "  at TEXT NOT NULL,"
    "  user TEXT NOT NULL,"
    "  recorded_at TEXT NOT NULL,"
    "  merge_id INTEGER REFERENCES merges(id),"
    "  changeset BLOB NOT NULL"
    ");",
    "CREATE INDEX change_journal_recorded ON change_journal(recorded_at);",
    NULL,
};

const struct migration store_migrations[] = {
    {1, schema_v1},
};
const size_t store_n_migrations = sizeof store_migrations / sizeof store_migrations[0];

const struct strand strands[STRAND_COUNT] = {
    {"PURSUE", "Pursue", "Detect and disrupt terrorist threats", "PU"},
    {"PROTECT", "Protect", "Strengthen protection against an attack", "PT"},
    {"PREPARE", "Prepare", "Reduce the impact of an attack that cannot be stopped", "PR"},
    {"PREVENT", "Prevent", "Stop people becoming terrorists or supporting terrorism", "PV"},
};

/*  records_store — the records worker's SQLite database and all of its SQL.

    Durability: the broker's log is the system of record and this database
    can be rebuilt from it by replaying from seq 0, so it runs WAL with
    synchronous=NORMAL: a power cut may lose the last few commits, never
    corrupt the file, and the cursor is lost with them, so the broker simply
    redelivers those events.  Each batch is one transaction holding both the
    data and the cursor advance (pl_cursor), so no event is applied twice.

    Every statement is prepared once when the store opens, from the table
    s_sql below; migrations are the table s_migrations, applied by
    PRAGMA user_version.  A migration that makes the worker take topics it
    did not take before must also empty the data tables, pl_rejected and
    reset the cursor to 0, so that the worker replays the whole log (events
    of the new topic before the old cursor were never delivered to it). */
#include "records_store.h"
#include "pl_cursor.h"
#include "pl_log.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  A writer that finds the database locked (a backup, sqlite3 on the
//  command line) waits this long before the batch fails and is retried.
#define RECORDS_BUSY_TIMEOUT_MS 5000

//  Schema versions; entry N takes user_version N to N+1.
static const char *s_migrations [] = {
    //  1: meetings and participants
    "CREATE TABLE meeting ("
    "  id          TEXT PRIMARY KEY,"
    "  seq         INTEGER NOT NULL,"
    "  convention  TEXT NOT NULL,"
    "  kind        TEXT NOT NULL,"
    "  title       TEXT NOT NULL,"
    "  venue       TEXT NOT NULL,"
    "  tz          TEXT NOT NULL,"
    "  start       TEXT NOT NULL,"
    "  \"end\"     TEXT NOT NULL,"
    "  url         TEXT,"
    "  description TEXT,"
    "  status      TEXT NOT NULL);"
    "CREATE INDEX meeting_by_start ON meeting (start, id);"
    "CREATE TABLE participant ("
    "  seq           INTEGER PRIMARY KEY,"
    "  id            TEXT NOT NULL UNIQUE,"
    "  meeting       TEXT NOT NULL REFERENCES meeting (id),"
    "  family_name   TEXT NOT NULL,"
    "  given_name    TEXT,"
    "  delegation    TEXT NOT NULL,"
    "  function      TEXT,"
    "  gender        TEXT,"
    "  email         TEXT,"
    "  sponsored     INTEGER,"
    "  title         TEXT,"
    "  position      TEXT,"
    "  organization  TEXT,"
    "  note          TEXT,"
    "  status        TEXT NOT NULL,"
    "  registered_at TEXT NOT NULL,"
    "  name_key      TEXT NOT NULL,"         //  who the person is, for duplicates
    "  email_key     TEXT);"
    "CREATE INDEX participant_by_name ON participant (meeting, name_key);"
    "CREATE INDEX participant_by_email ON participant (meeting, email_key);"
    "CREATE INDEX participant_by_status ON participant (meeting, status);",   //  counts
};
#define S_MIGRATIONS (int) (sizeof s_migrations / sizeof s_migrations [0])

//  The duplicate key of a person: trimmed names folded with lower() (ASCII
//  only, so other scripts compare exactly) and the delegation code.
#define S_NAME_KEY(family, given, delegation) \
    "lower(trim(" family ")) || x'1f' || lower(trim(coalesce(" given ", ''))) " \
    "|| x'1f' || " delegation

#define S_MEETING_COLUMNS \
    "m.id, m.convention, m.kind, m.title, m.venue, m.tz, m.start, m.\"end\", " \
    "m.url, m.description, m.status, " \
    "(SELECT count(*) FROM participant p " \
    "  WHERE p.meeting = m.id AND p.status <> 'withdrawn') AS participants"

typedef enum {
    S_BEGIN, S_COMMIT, S_ROLLBACK, S_SAVEPOINT, S_RELEASE, S_UNDO,
    S_MEETING_STATUS, S_MEETING_INSERT, S_MEETING_SET_STATUS,
    S_MEETING_LIST, S_MEETING_SHOW,
    S_PARTICIPANT_SAME, S_PARTICIPANT_INSERT, S_PARTICIPANT_LIST,
    S_COUNT
} s_stmt_t;

static const char *s_sql [S_COUNT] = {
    [S_BEGIN]     = "BEGIN",
    [S_COMMIT]    = "COMMIT",
    [S_ROLLBACK]  = "ROLLBACK",
    [S_SAVEPOINT] = "SAVEPOINT event",
    [S_RELEASE]   = "RELEASE event",
    [S_UNDO]      = "ROLLBACK TO event",
    [S_MEETING_STATUS] = "SELECT status FROM meeting WHERE id = ?1",
    [S_MEETING_INSERT] =
        "INSERT INTO meeting (id, seq, convention, kind, title, venue, tz, start, \"end\","
        " url, description, status)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'scheduled')",
    [S_MEETING_SET_STATUS] = "UPDATE meeting SET status = ?2 WHERE id = ?1",
    [S_MEETING_LIST] =
        "SELECT " S_MEETING_COLUMNS " FROM meeting m"
        " WHERE (?1 IS NULL OR m.convention = ?1) AND (?2 IS NULL OR m.status = ?2)"
        " ORDER BY m.start, m.id",
    [S_MEETING_SHOW] = "SELECT " S_MEETING_COLUMNS " FROM meeting m WHERE m.id = ?1",
    [S_PARTICIPANT_SAME] =
        //  two index look-ups; an OR here makes SQLite scan the meeting
        "SELECT id, family_name, coalesce(given_name, ''), delegation FROM participant"
        " WHERE seq = (SELECT min(seq) FROM ("
        "  SELECT seq FROM participant WHERE meeting = ?1 AND email_key = lower(trim(?5))"
        "   AND status <> 'withdrawn'"
        "  UNION ALL"
        "  SELECT seq FROM participant WHERE meeting = ?1"
        "   AND name_key = " S_NAME_KEY ("?2", "?3", "?4") " AND status <> 'withdrawn'))",
    [S_PARTICIPANT_INSERT] =
        "INSERT INTO participant (seq, id, meeting, family_name, given_name, delegation,"
        " function, gender, email, sponsored, title, position, organization, note,"
        " status, registered_at, name_key, email_key)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
        " 'registered', ?15, " S_NAME_KEY ("?4", "?5", "?6") ", lower(trim(?9)))",
    [S_PARTICIPANT_LIST] =
        "SELECT id, meeting, family_name, given_name, delegation, function, gender,"
        " email, sponsored, title, position, organization, note, status,"
        " registered_at, seq FROM participant WHERE meeting = ?1"
        " ORDER BY delegation,"
        "  CASE function WHEN 'head' THEN 0 WHEN 'alternate' THEN 1"
        "   WHEN 'adviser' THEN 2 WHEN 'expert' THEN 3 ELSE 4 END,"
        "  family_name, given_name, seq",
};

//  Result columns that are booleans in the schema (stored as 0/1).
static const char *s_bool_columns [] = { "sponsored", NULL };

struct _records_store_t {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *stmt [S_COUNT];
};

//  Run SQL (several statements) outside the prepared set.  0 or -1.
static int
s_exec (records_store_t *self, const char *sql, const char *what)
{
    char *message = NULL;
    if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK) {
        pl_error ("records: cannot %s db=%s cause=%s", what, self->path,
                  message ? message : sqlite3_errmsg (self->db));
        sqlite3_free (message);
        return -1;
    }
    return 0;
}

//  Bring the schema up to date, one transaction per migration.  0 or -1.
static int
s_migrate (records_store_t *self)
{
    sqlite3_stmt *stmt = NULL;
    int version = -1;
    if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
    &&  sqlite3_step (stmt) == SQLITE_ROW)
        version = sqlite3_column_int (stmt, 0);
    sqlite3_finalize (stmt);
    if (version < 0) {
        pl_error ("records: cannot read user_version db=%s cause=%s",
                  self->path, sqlite3_errmsg (self->db));
        return -1;
    }
    if (version > S_MIGRATIONS) {
        pl_error ("records: db=%s has schema version %d, newer than this program's %d",
                  self->path, version, S_MIGRATIONS);
        return -1;
    }
    for (; version < S_MIGRATIONS; version++) {
        char pragma [48];
        snprintf (pragma, sizeof pragma, "PRAGMA user_version = %d", version + 1);
        if (s_exec (self, "BEGIN", "begin migration")
        ||  s_exec (self, s_migrations [version], "migrate")
        ||  s_exec (self, pragma, "set user_version")
        ||  s_exec (self, "COMMIT", "commit migration")) {
            sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        pl_info ("records: migrated db=%s to schema version %d", self->path, version + 1);
    }
    return 0;
}

records_store_t *
records_store_new (const char *path)
{
    records_store_t *self = calloc (1, sizeof *self);
    if (!self || !(self->path = strdup (path))) {
        free (self);
        pl_error ("records: out of memory opening db=%s", path);
        return NULL;
    }
    if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
        != SQLITE_OK) {
        pl_error ("records: cannot open db=%s cause=%s", path,
                  self->db ? sqlite3_errmsg (self->db) : "out of memory");
        goto err;
    }
    sqlite3_busy_timeout (self->db, RECORDS_BUSY_TIMEOUT_MS);
    sqlite3_stmt *stmt = NULL;
    const char *mode = NULL;
    if (sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL) == SQLITE_OK
    &&  sqlite3_step (stmt) == SQLITE_ROW)
        mode = (const char *) sqlite3_column_text (stmt, 0);
    int wal = mode && strcmp (mode, "wal") == 0;
    sqlite3_finalize (stmt);
    if (!wal) {
        pl_error ("records: cannot use WAL journal db=%s cause=%s", path,
                  sqlite3_errmsg (self->db));
        goto err;
    }
    if (s_exec (self, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON", "set pragmas")
    ||  pl_cursor_init (self->db)
    ||  s_migrate (self))
        goto err;
    for (int i = 0; i < S_COUNT; i++)
        if (sqlite3_prepare_v3 (self->db, s_sql [i], -1, SQLITE_PREPARE_PERSISTENT,
                                &self->stmt [i], NULL) != SQLITE_OK) {
            pl_error ("records: cannot prepare statement %d db=%s cause=%s", i, path,
                      sqlite3_errmsg (self->db));
            goto err;
        }
    return self;
err:
    records_store_destroy (&self);
    return NULL;
}

void
records_store_destroy (records_store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    records_store_t *self = *self_p;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize (self->stmt [i]);
    if (self->db && sqlite3_close (self->db) != SQLITE_OK)
        pl_error ("records: cannot close db=%s cause=%s", self->path,
                  sqlite3_errmsg (self->db));
    free (self->path);
    free (self);
    *self_p = NULL;
}

//  Bind TEXT (NULL binds NULL) to parameter INDEX of STMT, borrowing it.
static void
s_bind_text (sqlite3_stmt *stmt, int index, const char *text)
{
    if (text)
        sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null (stmt, index);
}

//  Bind field NAME of OBJECT as text (or NULL when absent).
static void
s_bind_field (sqlite3_stmt *stmt, int index, const json_t *object, const char *name)
{
    s_bind_text (stmt, index, json_string_value (json_object_get (object, name)));
}

//  Finish using statement WHICH after a step that returned RC; log unless
//  RC is one of the expected codes.  Returns RC.
static int
s_done (records_store_t *self, s_stmt_t which, int rc)
{
    sqlite3_stmt *stmt = self->stmt [which];
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        pl_error ("records: statement %d failed db=%s cause=%s", (int) which, self->path,
                  sqlite3_errmsg (self->db));
    sqlite3_reset (stmt);
    sqlite3_clear_bindings (stmt);
    return rc;
}

//  Step statement WHICH (already bound) to completion.  0 or -1.
static int
s_run (records_store_t *self, s_stmt_t which)
{
    return s_done (self, which, sqlite3_step (self->stmt [which])) == SQLITE_DONE ? 0 : -1;
}

int
records_store_begin (records_store_t *self)
{
    return s_run (self, S_BEGIN);
}

int
records_store_commit (records_store_t *self)
{
    return s_run (self, S_COMMIT);
}

void
records_store_rollback (records_store_t *self)
{
    if (!sqlite3_get_autocommit (self->db))
        s_run (self, S_ROLLBACK);
}

int
records_store_savepoint (records_store_t *self)
{
    return s_run (self, S_SAVEPOINT);
}

int
records_store_release (records_store_t *self)
{
    return s_run (self, S_RELEASE);
}

int
records_store_undo (records_store_t *self)
{
    return s_run (self, S_UNDO) || s_run (self, S_RELEASE) ? -1 : 0;
}

int
records_store_cursor (records_store_t *self, uint64_t *seq)
{
    return pl_cursor_get (self->db, seq);
}

int
records_store_advance (records_store_t *self, uint64_t seq, const char *reason)
{
    return pl_cursor_advance (self->db, seq, reason);
}

int
records_store_first_verdict (records_store_t *self, uint64_t seq, int *applied,
                             char *reason, size_t reason_size)
{
    return pl_cursor_verdict (self->db, seq, applied, reason, reason_size);
}

int
records_store_meeting_status (records_store_t *self, const char *id,
                              char *status, size_t status_size)
{
    sqlite3_stmt *stmt = self->stmt [S_MEETING_STATUS];
    s_bind_text (stmt, 1, id);
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
        snprintf (status, status_size, "%s",
                  (const char *) sqlite3_column_text (stmt, 0));
    rc = s_done (self, S_MEETING_STATUS, rc);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
records_store_meeting_insert (records_store_t *self, uint64_t seq, const json_t *event)
{
    static const char *fields [] = {
        "convention", "kind", "title", "venue", "tz", "start", "end", "url", "description"
    };
    sqlite3_stmt *stmt = self->stmt [S_MEETING_INSERT];
    s_bind_field (stmt, 1, event, "id");
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
    for (int i = 0; i < (int) (sizeof fields / sizeof fields [0]); i++)
        s_bind_field (stmt, 3 + i, event, fields [i]);
    return s_run (self, S_MEETING_INSERT);
}

int
records_store_meeting_set_status (records_store_t *self, const char *id, const char *status)
{
    sqlite3_stmt *stmt = self->stmt [S_MEETING_SET_STATUS];
    s_bind_text (stmt, 1, id);
    s_bind_text (stmt, 2, status);
    return s_run (self, S_MEETING_SET_STATUS);
}

int
records_store_participant_same (records_store_t *self, const char *meeting,
                                const char *family, const char *given,
                                const char *delegation, const char *email,
                                records_person_t *person)
{
    sqlite3_stmt *stmt = self->stmt [S_PARTICIPANT_SAME];
    s_bind_text (stmt, 1, meeting);
    s_bind_text (stmt, 2, family);
    s_bind_text (stmt, 3, given);
    s_bind_text (stmt, 4, delegation);
    s_bind_text (stmt, 5, email);
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW) {
        snprintf (person->id, sizeof person->id, "%s",
                  (const char *) sqlite3_column_text (stmt, 0));
        snprintf (person->family_name, sizeof person->family_name, "%s",
                  (const char *) sqlite3_column_text (stmt, 1));
        snprintf (person->given_name, sizeof person->given_name, "%s",
                  (const char *) sqlite3_column_text (stmt, 2));
        snprintf (person->delegation, sizeof person->delegation, "%s",
                  (const char *) sqlite3_column_text (stmt, 3));
    }
    rc = s_done (self, S_PARTICIPANT_SAME, rc);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
records_store_participant_insert (records_store_t *self, uint64_t seq, const char *id,
                                  const char *registered_at, const json_t *event)
{
    //  Text fields bound in order from parameter 3 (?10, sponsored, apart)
    static const struct {
        int index;
        const char *field;
    } texts [] = {
        { 3, "meeting" }, { 4, "family_name" }, { 5, "given_name" }, { 6, "delegation" },
        { 7, "function" }, { 8, "gender" }, { 9, "email" }, { 11, "title" },
        { 12, "position" }, { 13, "organization" }, { 14, "note" },
    };
    sqlite3_stmt *stmt = self->stmt [S_PARTICIPANT_INSERT];
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) seq);
    s_bind_text (stmt, 2, id);
    for (size_t i = 0; i < sizeof texts / sizeof texts [0]; i++)
        s_bind_field (stmt, texts [i].index, event, texts [i].field);
    const json_t *sponsored = json_object_get (event, "sponsored");
    if (json_is_boolean (sponsored))
        sqlite3_bind_int (stmt, 10, json_is_true (sponsored));
    else
        sqlite3_bind_null (stmt, 10);
    s_bind_text (stmt, 15, registered_at);
    return s_run (self, S_PARTICIPANT_INSERT);
}

//  True when result column NAME holds a schema boolean.
static int
s_is_bool_column (const char *name)
{
    for (int i = 0; s_bool_columns [i]; i++)
        if (strcmp (s_bool_columns [i], name) == 0)
            return 1;
    return 0;
}

//  The current row of STMT as an object whose keys are the column names;
//  NULL columns are left out.  NULL when out of memory.
static json_t *
s_row_object (sqlite3_stmt *stmt)
{
    json_t *object = json_object ();
    int columns = sqlite3_column_count (stmt);
    for (int i = 0; object && i < columns; i++) {
        const char *name = sqlite3_column_name (stmt, i);
        json_t *value = NULL;
        switch (sqlite3_column_type (stmt, i)) {
            case SQLITE_NULL:
                continue;
            case SQLITE_INTEGER:
                value = s_is_bool_column (name)
                      ? json_boolean (sqlite3_column_int (stmt, i))
                      : json_integer (sqlite3_column_int64 (stmt, i));
                break;
            default:
                value = json_stringn ((const char *) sqlite3_column_text (stmt, i),
                                      (size_t) sqlite3_column_bytes (stmt, i));
                break;
        }
        if (!value || json_object_set_new_nocheck (object, name, value)) {
            json_decref (object);
            object = NULL;
        }
    }
    return object;
}

//  Run statement WHICH (bound) and collect its rows as {"items": [...]}.
//  NULL on failure (logged).
static json_t *
s_items (records_store_t *self, s_stmt_t which)
{
    sqlite3_stmt *stmt = self->stmt [which];
    json_t *items = json_array ();
    int rc;
    while (items && (rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        if (json_array_append_new (items, s_row_object (stmt))) {
            json_decref (items);
            items = NULL;
        }
    }
    if (!items) {
        pl_error ("records: out of memory building a reply db=%s", self->path);
        s_done (self, which, SQLITE_DONE);
        return NULL;
    }
    if (s_done (self, which, rc) != SQLITE_DONE) {
        json_decref (items);
        return NULL;
    }
    return json_pack ("{s:o}", "items", items);
}

json_t *
records_store_meeting_list (records_store_t *self, const char *convention, const char *status)
{
    sqlite3_stmt *stmt = self->stmt [S_MEETING_LIST];
    s_bind_text (stmt, 1, convention);
    s_bind_text (stmt, 2, status);
    return s_items (self, S_MEETING_LIST);
}

int
records_store_meeting_show (records_store_t *self, const char *id, json_t **reply_p)
{
    sqlite3_stmt *stmt = self->stmt [S_MEETING_SHOW];
    s_bind_text (stmt, 1, id);
    int rc = sqlite3_step (stmt);
    json_t *reply = rc == SQLITE_ROW ? s_row_object (stmt) : NULL;
    rc = s_done (self, S_MEETING_SHOW, rc);
    if (rc == SQLITE_ROW && !reply) {
        pl_error ("records: out of memory building a reply db=%s", self->path);
        return -1;
    }
    *reply_p = reply;
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
records_store_participant_list (records_store_t *self, const char *meeting, json_t **reply_p)
{
    char status [32];
    int found = records_store_meeting_status (self, meeting, status, sizeof status);
    if (found != 1)
        return found;
    sqlite3_stmt *stmt = self->stmt [S_PARTICIPANT_LIST];
    s_bind_text (stmt, 1, meeting);
    *reply_p = s_items (self, S_PARTICIPANT_LIST);
    return *reply_p ? 1 : -1;
}

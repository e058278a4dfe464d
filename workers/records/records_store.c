/*  records_store — the records worker's SQLite database and all of its SQL.

    Durability: the broker's log is the system of record and this database
    can be rebuilt from it by replaying from seq 0, so it runs WAL with
    synchronous=NORMAL: a power cut may lose the last few commits, never
    corrupt the file, and the cursor is lost with them, so the broker simply
    redelivers those events.  Each batch is one transaction holding both the
    data and the cursor advance (pl_cursor), so no event is applied twice.

    The class is split by subject (records_store_internal.h says how):
    this file owns the database, migrations, transactions and the shared
    helpers; the SQL of each subject lives in its records_store_*.c.
    Reference data: the ISO 3166-1 codes and names of
    States are loaded from Debian's iso-codes into a TEMP table when the
    store opens (they are not part of the replayable state).

    The transaction statements are prepared when the store opens (s_sql
    below), every other one on first use (records_store_stmt); migrations
    are the table s_migrations, applied by PRAGMA user_version.  A migration
    that makes the worker take topics it did not take before, or that adds
    state only a replay can fill, must also empty the data tables,
    pl_rejected and reset the cursor to 0, so that the worker replays the
    whole log (events of the new topic before the old cursor were never
    delivered to it). */
#include "records_store_internal.h"
#include "pl_cursor.h"
#include "pl_log.h"
#include "pl_stmts.h"
#include "pl_store.h"

#include <assert.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Statements prepared on first use by records_store_stmt: room for every
//  static SQL string of the records_store*.c files, with margin.
#define RECORDS_STMT_CACHE_MAX 128

//  ISO 3166-1 (Debian package iso-codes): the codes and names of States.
#define RECORDS_ISO_3166_JSON "/usr/share/iso-codes/json/iso_3166-1.json"

//  A participant row (NEW in a trigger) as the JSON text of its details,
//  kept by participant_version (migration 3) for the list as it stood.
#define RECORDS_PARTICIPANT_JSON \
    "json_object('id', NEW.id, 'meeting', NEW.meeting, 'family_name', NEW.family_name," \
    " 'given_name', NEW.given_name, 'delegation', NEW.delegation, 'function', NEW.function," \
    " 'gender', NEW.gender, 'email', NEW.email, 'sponsored', NEW.sponsored," \
    " 'title', NEW.title, 'position', NEW.position, 'organization', NEW.organization," \
    " 'note', NEW.note, 'status', NEW.status, 'registered_at', NEW.registered_at," \
    " 'seq', NEW.seq, 'focal_point', NEW.focal_point, 'status_reason', NEW.status_reason)"

//  Schema versions; entry N takes user_version N to N+1 (pl_store).
static const pl_migration_t s_migrations [] = {
    //  1: meetings and participants
    { "CREATE TABLE meeting ("
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
    "CREATE INDEX participant_by_status ON participant (meeting, status);", NULL },   //  counts

    //  2: sessions, delegations, admissions, the participant lifecycle and
    //  its history.  The worker takes new topics (delegation.*, session.*,
    //  more participant.*): empty the data and replay the log from 0.
    { "DELETE FROM participant;"
    "DELETE FROM meeting;"
    "DELETE FROM pl_rejected;"
    "UPDATE pl_cursor SET seq = 0;"
    "ALTER TABLE participant ADD COLUMN focal_point INTEGER;"
    "ALTER TABLE participant ADD COLUMN status_reason TEXT;"
    "CREATE INDEX participant_by_delegation ON participant (meeting, delegation, status);"
    "CREATE TABLE session ("
    "  meeting      TEXT NOT NULL REFERENCES meeting (id),"
    "  id           TEXT NOT NULL,"
    "  seq          INTEGER NOT NULL,"
    "  title        TEXT NOT NULL,"
    "  start        TEXT NOT NULL,"           //  local time, seconds always present
    "  \"end\"        TEXT NOT NULL,"
    "  room         TEXT,"
    "  agenda_items TEXT,"                     //  JSON array
    "  kind         TEXT,"
    "  status       TEXT NOT NULL,"
    "  reason       TEXT,"
    "  PRIMARY KEY (meeting, id));"
    "CREATE INDEX session_by_start ON session (meeting, start);"
    "CREATE TABLE delegation ("
    "  convention TEXT NOT NULL,"
    "  code       TEXT NOT NULL,"
    "  seq        INTEGER NOT NULL,"
    "  status     TEXT NOT NULL,"
    "  name       TEXT,"                       //  NULL for a State: ISO 3166-1 names it
    "  note       TEXT,"
    "  PRIMARY KEY (convention, code));"
    "CREATE TABLE admission ("
    "  meeting    TEXT NOT NULL REFERENCES meeting (id),"
    "  delegation TEXT NOT NULL,"
    "  seq        INTEGER NOT NULL,"
    "  reason     TEXT,"
    "  PRIMARY KEY (meeting, delegation));"
    "CREATE TABLE participant_history ("
    "  participant TEXT NOT NULL REFERENCES participant (id),"
    "  seq         INTEGER NOT NULL,"
    "  at          TEXT NOT NULL,"
    "  change      TEXT NOT NULL,"
    "  status      TEXT NOT NULL,"             //  after the change
    "  reason      TEXT,"
    "  changed     TEXT,"                      //  JSON array of field names
    "  before_json TEXT,"                      //  the details before the change
    "  PRIMARY KEY (participant, seq));", NULL },

    //  3: credentials, statements, lists of speakers, issues of the list of
    //  participants and the participants' versions for --as-of
    //  (records_store_lists.c).  New topics (credentials.*, statement.*,
    //  speaker.*, participants.issued) and versions that only a replay can
    //  fill: empty the data and replay the log from 0.
    { "DELETE FROM participant_history;"
    "DELETE FROM admission;"
    "DELETE FROM session;"
    "DELETE FROM participant;"
    "DELETE FROM meeting;"
    "DELETE FROM delegation;"
    "DELETE FROM pl_rejected;"
    "UPDATE pl_cursor SET seq = 0;"
    "CREATE TABLE credential ("                //  one row per submission
    "  seq        INTEGER PRIMARY KEY,"
    "  meeting    TEXT NOT NULL REFERENCES meeting (id),"
    "  delegation TEXT NOT NULL,"
    "  form       TEXT NOT NULL,"
    "  issued_by  TEXT,"
    "  received   TEXT NOT NULL,"
    "  note       TEXT,"
    "  status     TEXT NOT NULL,"              //  submitted, verified, rejected
    "  reason     TEXT);"
    "CREATE INDEX credential_by_delegation ON credential (meeting, delegation, seq);"
    "CREATE TABLE statement ("
    "  seq          INTEGER PRIMARY KEY,"
    "  id           TEXT NOT NULL UNIQUE,"
    "  meeting      TEXT NOT NULL REFERENCES meeting (id),"
    "  delegation   TEXT NOT NULL,"
    "  speaker      TEXT,"
    "  language     TEXT NOT NULL,"
    "  agenda_item  TEXT,"
    "  session      TEXT,"
    "  on_behalf_of TEXT,"
    "  delivered_at TEXT NOT NULL,"
    "  duration_s   INTEGER,"
    "  document     TEXT,"
    "  text         TEXT);"
    "CREATE INDEX statement_by_item ON statement (meeting, agenda_item, seq);"
    "CREATE INDEX statement_by_delegation ON statement (meeting, delegation, seq);"
    "CREATE TABLE speaker ("                   //  one row per inscription
    "  seq          INTEGER PRIMARY KEY,"
    "  meeting      TEXT NOT NULL REFERENCES meeting (id),"
    "  agenda_item  TEXT NOT NULL,"
    "  position     INTEGER NOT NULL,"
    "  delegation   TEXT NOT NULL,"
    "  speaker      TEXT,"
    "  on_behalf_of TEXT,"
    "  inscribed_at TEXT NOT NULL,"
    "  status       TEXT NOT NULL,"            //  waiting, spoken, withdrawn
    "  started_at   TEXT,"
    "  duration_s   INTEGER,"
    "  statement    TEXT,"
    "  reason       TEXT);"
    "CREATE INDEX speaker_by_item ON speaker (meeting, agenda_item, position);"
    "CREATE TABLE list_issue ("
    "  meeting TEXT NOT NULL REFERENCES meeting (id),"
    "  issue   INTEGER NOT NULL,"
    "  seq     INTEGER NOT NULL,"
    "  time_ms INTEGER NOT NULL,"
    "  symbol  TEXT,"
    "  note    TEXT,"
    "  PRIMARY KEY (meeting, issue));"
    //  The event being applied (records_store_clock), read by the triggers
    //  below so that each version of a participant is stamped with the time
    //  of the event that made it.
    "CREATE TABLE event_clock (seq INTEGER NOT NULL, time_ms INTEGER NOT NULL);"
    "INSERT INTO event_clock VALUES (0, 0);"
    "CREATE TABLE participant_version ("
    "  participant TEXT NOT NULL,"
    "  meeting     TEXT NOT NULL,"
    "  valid_from  INTEGER NOT NULL,"          //  event time_ms, inclusive
    "  valid_to    INTEGER,"                   //  exclusive; NULL: current
    "  details     TEXT NOT NULL);"            //  the participant row as JSON
    "CREATE INDEX participant_version_by_meeting ON participant_version (meeting, valid_from);"
    "CREATE INDEX participant_version_current ON participant_version (participant, valid_to);"
    "CREATE TRIGGER participant_version_insert AFTER INSERT ON participant BEGIN"
    "  INSERT INTO participant_version VALUES (NEW.id, NEW.meeting,"
    "   (SELECT time_ms FROM event_clock), NULL, " RECORDS_PARTICIPANT_JSON ");"
    " END;"
    "CREATE TRIGGER participant_version_update AFTER UPDATE ON participant BEGIN"
    "  UPDATE participant_version SET valid_to = (SELECT time_ms FROM event_clock)"
    "   WHERE participant = NEW.id AND valid_to IS NULL;"
    "  INSERT INTO participant_version VALUES (NEW.id, NEW.meeting,"
    "   (SELECT time_ms FROM event_clock), NULL, " RECORDS_PARTICIPANT_JSON ");"
    " END;", NULL },

    //  4: the delegations' versions for --as-of (a category and name as
    //  they stood), and a declaration as State Party or signatory now moves
    //  the State's pending registrations to registered: history only a
    //  replay can fill and a new rule: empty the data and replay from 0.
    { "DELETE FROM participant_version;"
    "DELETE FROM participant_history;"
    "DELETE FROM credential;"
    "DELETE FROM statement;"
    "DELETE FROM speaker;"
    "DELETE FROM list_issue;"
    "DELETE FROM admission;"
    "DELETE FROM session;"
    "DELETE FROM participant;"
    "DELETE FROM meeting;"
    "DELETE FROM delegation;"
    "DELETE FROM pl_rejected;"
    "UPDATE pl_cursor SET seq = 0;"
    "UPDATE event_clock SET seq = 0, time_ms = 0;"
    "CREATE TABLE delegation_version ("
    "  convention TEXT NOT NULL,"
    "  code       TEXT NOT NULL,"
    "  valid_from INTEGER NOT NULL,"           //  event time_ms, inclusive
    "  valid_to   INTEGER,"                    //  exclusive; NULL: current
    "  status     TEXT NOT NULL,"
    "  name       TEXT);"
    "CREATE INDEX delegation_version_by_code ON delegation_version (convention, code, valid_from);"
    "CREATE TRIGGER delegation_version_insert AFTER INSERT ON delegation BEGIN"
    "  INSERT INTO delegation_version VALUES (NEW.convention, NEW.code,"
    "   (SELECT time_ms FROM event_clock), NULL, NEW.status, NEW.name);"
    " END;"
    "CREATE TRIGGER delegation_version_update AFTER UPDATE ON delegation BEGIN"
    "  UPDATE delegation_version SET valid_to = (SELECT time_ms FROM event_clock)"
    "   WHERE convention = NEW.convention AND code = NEW.code AND valid_to IS NULL;"
    "  INSERT INTO delegation_version VALUES (NEW.convention, NEW.code,"
    "   (SELECT time_ms FROM event_clock), NULL, NEW.status, NEW.name);"
    " END;", NULL },

    //  5: conventions declared beyond the built-in ones (convention.declared).
    //  The topic is new to the schema, so no log holds an earlier event of
    //  it: nothing to replay.  (The rules that came with it, such as
    //  unknown conventions refused, apply to events from now on; the data
    //  accepted before stays as it was.)
    { "CREATE TABLE convention ("
    "  code TEXT PRIMARY KEY,"
    "  seq  INTEGER NOT NULL,"
    "  name TEXT NOT NULL);", NULL },

    //  6: the focal points of each delegation at a meeting, found at once:
    //  every registered participant's waits_for looks for one
    //  (records_store_participants.c), thousands per list
    { "CREATE INDEX participant_focal ON participant (meeting, delegation, seq)"
    "  WHERE focal_point = 1;", NULL },

    //  7: a list of participants a page at a time (participant.list's
    //  after and limit): each page read in order from where the last one
    //  ended, never a sort of the whole meeting; the expressions are
    //  S_LIST_KEY's (records_store_participants.c), or SQLite will not use it
    { "CREATE INDEX participant_in_list ON participant (meeting, delegation, "
    RECORDS_RANK ("function") ", family_name, coalesce(given_name, ''), seq);", NULL },

    //  8: a registration's first version is written by its own INSERT
    //  (records_store_participant_insert), the same row the trigger wrote:
    //  an INSERT that fires a trigger writes more than one row, so SQLite
    //  copied every page it touched into a statement journal first, a
    //  third of the instructions of applying a registration
    //  (pl-bench-records under callgrind, docs/PERFORMANCE.md).  And
    //  participant_in_list (7) begins with (meeting, delegation) as
    //  participant_by_delegation did: one index fewer to write per
    //  registration (~4.5 %); a count by delegation and status reads the
    //  status from the rows of the delegation instead
    { "DROP TRIGGER participant_version_insert;"
    "DROP INDEX participant_by_delegation;", NULL },
};
#define S_MIGRATIONS (sizeof s_migrations / sizeof s_migrations [0])


typedef enum {
    S_CLOCK,
    S_COUNT
} s_stmt_t;

static const char *s_sql [S_COUNT] = {
    //  The triggers read only time_ms; seq is the first event of that
    //  millisecond, since events of one millisecond share one UPDATE
    [S_CLOCK]     = "UPDATE event_clock SET seq = ?1, time_ms = ?2",
};

//  Result columns that are booleans in the schema (stored as 0/1).
static const char *s_bool_columns [] = { "sponsored", "focal_point", "admitted", NULL };

//  Result columns that hold a JSON array (stored as its text).
static const char *s_array_columns [] = { "agenda_items", "changed", NULL };

struct _records_store_t {
    sqlite3 *db;
    char *path;
    pl_txn_t *txn;                      //  the batch's transaction; NULL in a reader
    sqlite3_stmt *stmt [S_COUNT];
    pl_stmts_t *stmts;                  //  records_store_stmt's, by the address of their SQL
    int clock_known;                    //  event_clock holds clock_ms (in this transaction)
    int64_t clock_ms;
};

//  Run SQL (several statements) outside the prepared set.  0 or -1.
static int
s_exec (records_store_t *self, const char *sql, const char *what)
{
    return pl_store_exec (self->db, "records", sql, what);
}

//  Load the ISO 3166-1 codes and names of States into TEMP table
//  iso_state.  0 or -1 (logged: the iso-codes package is a dependency).
static int
s_load_iso (records_store_t *self)
{
    json_error_t error;
    json_t *root = json_load_file (RECORDS_ISO_3166_JSON, 0, &error);
    json_t *list = json_object_get (root, "3166-1");
    if (!json_is_array (list)) {
        pl_error ("records: cannot read ISO 3166-1 codes file=%s cause=%s (install iso-codes)",
                  RECORDS_ISO_3166_JSON, root ? "no 3166-1 list" : error.text);
        json_decref (root);
        return -1;
    }
    sqlite3_stmt *stmt = NULL;
    int rc = s_exec (self, "CREATE TEMP TABLE iso_state (code TEXT PRIMARY KEY, name TEXT NOT NULL);"
                           "BEGIN", "create iso_state");
    if (rc == 0
    &&  sqlite3_prepare_v2 (self->db, "INSERT OR REPLACE INTO iso_state VALUES (?1, ?2)",
                            -1, &stmt, NULL) != SQLITE_OK)
        rc = -1;
    size_t index;
    json_t *entry;
    json_array_foreach (list, index, entry) {
        const char *code = json_string_value (json_object_get (entry, "alpha_2"));
        //  The common name where ISO has one ("Bolivia"), else the official short name
        const char *name = json_string_value (json_object_get (entry, "common_name"));
        if (!name)
            name = json_string_value (json_object_get (entry, "name"));
        if (rc || !code || !name)
            continue;
        records_store_bind_text (stmt, 1, code);
        records_store_bind_text (stmt, 2, name);
        if (sqlite3_step (stmt) != SQLITE_DONE)
            rc = -1;
        sqlite3_reset (stmt);
    }
    sqlite3_finalize (stmt);
    json_decref (root);
    if (rc || s_exec (self, "COMMIT", "load iso_state")) {
        pl_error ("records: cannot load ISO 3166-1 codes db=%s cause=%s", self->path,
                  sqlite3_errmsg (self->db));
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

//  The store over PATH: the writer (migrating it), or with READER a
//  read-only connection to a database its writer has migrated.
static records_store_t *
s_open (const char *path, int reader)
{
    records_store_t *self = calloc (1, sizeof *self);
    if (!self || !(self->path = strdup (path))) {
        free (self);
        pl_error ("records: out of memory opening db=%s", path);
        return NULL;
    }
    //  One thread uses the connection (the worker's loop, or one query
    //  thread), so no mutex on every call (NOMUTEX: ~4 % of applying a
    //  registration)
    self->db = reader ? pl_store_open_reader (path, "records")
                      : pl_store_open_flags (path, "records", SQLITE_OPEN_NOMUTEX);
    //  TEMP tables (iso_state) and sorts in memory, never a temporary file
    if (!self->db
    ||  !(self->stmts = pl_stmts_new (self->db, "records", RECORDS_STMT_CACHE_MAX))
    ||  s_exec (self, "PRAGMA temp_store = MEMORY", "set pragmas")
    ||  (!reader && pl_cursor_init (self->db))
    ||  (!reader && pl_store_migrate (self->db, "records", s_migrations, S_MIGRATIONS))
    ||  s_load_iso (self)
    ||  (reader && pl_store_seal_reader (self->db, "records"))
    ||  (!reader && !(self->txn = pl_txn_new (self->db, "records", 0))))
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

records_store_t *
records_store_new (const char *path)
{
    return s_open (path, 0);
}

records_store_t *
records_store_reader (records_store_t *store)
{
    return s_open (store->path, 1);
}

sqlite3 *
records_store_db (records_store_t *self)
{
    return self->db;
}

void
records_store_destroy (records_store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    records_store_t *self = *self_p;
    pl_txn_destroy (&self->txn);
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize (self->stmt [i]);
    pl_stmts_destroy (&self->stmts);
    if (self->db && sqlite3_close (self->db) != SQLITE_OK)
        pl_error ("records: cannot close db=%s cause=%s", self->path,
                  sqlite3_errmsg (self->db));
    free (self->path);
    free (self);
    *self_p = NULL;
}

sqlite3_stmt *
records_store_stmt (records_store_t *self, const char *sql)
{
    return pl_stmts_get (self->stmts, sql);
}

void
records_store_bind_text (sqlite3_stmt *stmt, int index, const char *text)
{
    if (text)
        sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null (stmt, index);
}

void
records_store_bind_field (sqlite3_stmt *stmt, int index, const json_t *object, const char *name)
{
    const json_t *value = json_object_get (object, name);
    if (json_is_boolean (value))
        sqlite3_bind_int (stmt, index, json_is_true (value));
    else
        records_store_bind_text (stmt, index, json_string_value (value));
}

void
records_store_column_copy (sqlite3_stmt *stmt, int column, char *buf, size_t size)
{
    //  Several per event: a copy, not a printf (3 % of a registration)
    const char *text = (const char *) sqlite3_column_text (stmt, column);
    size_t length = text ? (size_t) sqlite3_column_bytes (stmt, column) : 0;
    if (size == 0)
        return;
    if (length >= size)
        length = size - 1;
    memcpy (buf, text ? text : "", length);
    buf [length] = 0;
}

int
records_store_done (records_store_t *self, sqlite3_stmt *stmt, int rc)
{
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        pl_error ("records: statement failed db=%s cause=%s sql=%.60s", self->path,
                  sqlite3_errmsg (self->db), sqlite3_sql (stmt));
    sqlite3_reset (stmt);
    sqlite3_clear_bindings (stmt);
    return rc;
}

int
records_store_exec_stmt (records_store_t *self, sqlite3_stmt *stmt)
{
    return records_store_done (self, stmt, sqlite3_step (stmt)) == SQLITE_DONE ? 0 : -1;
}

int
records_store_step_row (records_store_t *self, sqlite3_stmt *stmt)
{
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
        return 1;
    return records_store_done (self, stmt, rc) == SQLITE_DONE ? 0 : -1;
}

//  Finish using statement WHICH after a step that returned RC (logged
//  unless ROW or DONE).  Returns RC.
static int
s_done (records_store_t *self, s_stmt_t which, int rc)
{
    return records_store_done (self, self->stmt [which], rc);
}

//  Step statement WHICH (already bound) to completion.  0 or -1.
static int
s_run (records_store_t *self, s_stmt_t which)
{
    return s_done (self, which, sqlite3_step (self->stmt [which])) == SQLITE_DONE ? 0 : -1;
}

pl_txn_t *
records_store_txn (records_store_t *self)
{
    return self->txn;
}

void
records_store_on_txn (records_store_t *self, pl_txn_op_t op)
{
    //  After a rollback or an undo the clock's UPDATE may be gone with the
    //  rest (the store alone writes the row: a BEGIN changes nothing)
    if (op != PL_TXN_BEGIN)
        self->clock_known = 0;
}

int
records_store_clock (records_store_t *self, uint64_t seq, int64_t time_ms)
{
    //  At thousands of events a second most events share the millisecond
    //  of the one before: the row already holds their time
    if (self->clock_known && self->clock_ms == time_ms)
        return 0;
    sqlite3_bind_int64 (self->stmt [S_CLOCK], 1, (sqlite3_int64) seq);
    sqlite3_bind_int64 (self->stmt [S_CLOCK], 2, time_ms);
    if (s_run (self, S_CLOCK))
        return -1;
    self->clock_known = 1;
    self->clock_ms = time_ms;
    return 0;
}

//  True when NAME is one of COLUMNS (NULL-terminated).
static int
s_is_column (const char *const *columns, const char *name)
{
    for (int i = 0; columns [i]; i++)
        if (strcmp (columns [i], name) == 0)
            return 1;
    return 0;
}

json_t *
records_store_row_object (sqlite3_stmt *stmt)
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
                value = s_is_column (s_bool_columns, name)
                      ? json_boolean (sqlite3_column_int (stmt, i))
                      : json_integer (sqlite3_column_int64 (stmt, i));
                break;
            default:
                if (s_is_column (s_array_columns, name))
                    value = json_loads ((const char *) sqlite3_column_text (stmt, i), 0, NULL);
                else
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

json_t *
records_store_items (records_store_t *self, sqlite3_stmt *stmt)
{
    json_t *items = json_array ();
    int rc;
    while (items && (rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        if (json_array_append_new (items, records_store_row_object (stmt))) {
            json_decref (items);
            items = NULL;
        }
    }
    if (!items) {
        pl_error ("records: out of memory building a reply db=%s", self->path);
        records_store_done (self, stmt, SQLITE_DONE);
        return NULL;
    }
    if (records_store_done (self, stmt, rc) != SQLITE_DONE) {
        json_decref (items);
        return NULL;
    }
    return json_pack ("{s:o}", "items", items);
}

int
records_store_version (void)
{
    return (int) S_MIGRATIONS;
}

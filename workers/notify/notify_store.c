/*  notify_store — the notify worker's database: opening, migrations,
    transactions, the views of what records, the archive and the calendar
    applied, and the notify worker's own decisions (subscriptions,
    addresses).  The outbox is notify_store_outbox.c's.

    Durability as in every worker: the broker's log is the system of record
    for the views, and each batch is one transaction with the cursor
    advance (pl_cursor).  The outbox is not in the log: it is what this
    database alone remembers (what was sent), which is why a database made
    anew treats the events logged before it as replayed, never as news. */
#include "notify_store_internal.h"
#include "pl_cursor.h"
#include "pl_facet.h"
#include "pl_log.h"
#include "pl_proto.h"
#include "pl_store.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Schema versions; entry N takes user_version N to N+1 (pl_store).
static const pl_migration_t s_migrations [] = {
    //  1: views, decisions, the outbox
    { "CREATE TABLE meta ("
    "  key   TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL);"
    "CREATE TABLE meeting ("
    "  id         TEXT PRIMARY KEY,"
    "  convention TEXT NOT NULL,"
    "  kind       TEXT NOT NULL,"
    "  title      TEXT NOT NULL,"
    "  venue      TEXT NOT NULL,"
    "  tz         TEXT NOT NULL,"
    "  start      TEXT NOT NULL,"
    "  \"end\"    TEXT NOT NULL,"
    "  url        TEXT,"
    "  status     TEXT NOT NULL,"
    "  sequence   INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE session ("
    "  meeting    TEXT NOT NULL REFERENCES meeting (id),"
    "  id         TEXT NOT NULL,"
    "  title      TEXT NOT NULL,"
    "  start      TEXT NOT NULL,"
    "  \"end\"    TEXT NOT NULL,"
    "  room       TEXT,"
    "  status     TEXT NOT NULL,"
    "  sequence   INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (meeting, id));"
    "CREATE TABLE participant ("
    "  id           TEXT PRIMARY KEY,"
    "  meeting      TEXT NOT NULL REFERENCES meeting (id),"
    "  family_name  TEXT NOT NULL,"
    "  given_name   TEXT,"
    "  title        TEXT,"
    "  delegation   TEXT NOT NULL,"
    "  function     TEXT,"
    "  email        TEXT,"
    "  language     TEXT,"
    "  focal_point  INTEGER NOT NULL DEFAULT 0,"
    "  status       TEXT NOT NULL,"
    "  feed_revoked INTEGER NOT NULL DEFAULT 0,"
    "  seq          INTEGER NOT NULL);"
    "CREATE INDEX participant_by_delegation ON participant (meeting, delegation);"
    "CREATE TABLE delegation ("
    "  convention TEXT NOT NULL,"
    "  code       TEXT NOT NULL,"
    "  status     TEXT NOT NULL,"
    "  PRIMARY KEY (convention, code));"
    "CREATE TABLE credentials ("
    "  meeting    TEXT NOT NULL,"
    "  delegation TEXT NOT NULL,"
    "  PRIMARY KEY (meeting, delegation));"
    "CREATE TABLE family ("
    "  base  TEXT PRIMARY KEY,"
    "  level INTEGER NOT NULL);"
    "CREATE TABLE withdrawn ("            //  language '*': the whole document
    "  symbol   TEXT NOT NULL,"
    "  language TEXT NOT NULL,"
    "  PRIMARY KEY (symbol, language));"
    "CREATE TABLE address ("
    "  address          TEXT PRIMARY KEY,"   //  pl_mailkey_address of the e-mail
    "  email            TEXT NOT NULL,"
    "  token_hash       TEXT NOT NULL UNIQUE,"  //  SHA-256 of its unsubscribe token
    "  unsubscribed_seq INTEGER);"
    "CREATE TABLE subscription ("
    "  address    TEXT NOT NULL,"
    "  email      TEXT NOT NULL,"
    "  meeting    TEXT,"
    "  convention TEXT,"
    "  language   TEXT,"
    "  level      INTEGER NOT NULL);"        //  the distribution its role may read
    "CREATE UNIQUE INDEX subscription_key ON subscription"
    "  (address, coalesce (meeting, ''), coalesce (convention, ''), coalesce (language, ''));"
    "CREATE TABLE notice ("
    "  id           INTEGER PRIMARY KEY,"
    "  seq          INTEGER NOT NULL,"
    "  address      TEXT NOT NULL,"
    "  email        TEXT NOT NULL,"
    "  language     TEXT NOT NULL,"          //  the message's
    "  level        INTEGER NOT NULL,"
    "  symbol       TEXT NOT NULL,"
    "  family       TEXT NOT NULL,"
    "  doc_language TEXT NOT NULL,"
    "  title        TEXT NOT NULL,"
    "  meeting      TEXT,"
    "  created_ms   INTEGER NOT NULL,"
    "  batch        INTEGER,"                //  the outbox row, 0 when none was written
    "  UNIQUE (seq, address));"
    "CREATE INDEX notice_open ON notice (batch, address);"
    "CREATE TABLE outbox ("
    "  id         INTEGER PRIMARY KEY,"
    "  message_id TEXT NOT NULL UNIQUE,"
    "  seq        INTEGER,"
    "  kind       TEXT NOT NULL,"
    "  recipient  TEXT NOT NULL,"
    "  address    TEXT NOT NULL,"
    "  language   TEXT NOT NULL,"
    "  params     TEXT NOT NULL,"
    "  state      TEXT NOT NULL,"            //  queued sent failed suppressed replayed
    "  attempts   INTEGER NOT NULL DEFAULT 0,"
    "  next_ms    INTEGER NOT NULL,"
    "  created_ms INTEGER NOT NULL,"
    "  done_ms    INTEGER,"
    "  error      TEXT);"
    "CREATE INDEX outbox_due ON outbox (state, next_ms, id);"
    "CREATE TABLE relay ("
    "  id       INTEGER PRIMARY KEY CHECK (id = 1),"
    "  state    TEXT NOT NULL,"
    "  error    TEXT,"
    "  retry_ms INTEGER);", NULL },
    //  2: what the loop looks up per event, by index: a registration's
    //  focal points (a partial index: never the rest of its delegation,
    //  which the first version scanned with the whole meeting on every
    //  registration, seconds per batch at 10,000 participants), a
    //  meeting's recipients in seq order, a release's subscriptions
    { "DROP INDEX participant_by_delegation;"
    "CREATE INDEX participant_by_meeting ON participant (meeting, seq);"
    "CREATE INDEX participant_focal ON participant (meeting, delegation, seq)"
    "  WHERE focal_point = 1;"
    "CREATE INDEX subscription_by_meeting ON subscription (meeting);"
    "CREATE INDEX subscription_by_convention ON subscription (convention);", NULL },
};
#define S_MIGRATIONS (sizeof s_migrations / sizeof s_migrations [0])

//  --------------------------------------------------------------------------
//  The class and its shared helpers

sqlite3_stmt *
notify_store_stmt (notify_store_t *self, const char *sql)
{
    return pl_stmts_get (self->stmts, sql);
}

void
notify_store_bind_text (sqlite3_stmt *stmt, int index, const char *text)
{
    if (text)
        sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null (stmt, index);
}

void
notify_store_reset (sqlite3_stmt *stmt)
{
    sqlite3_reset (stmt);
    sqlite3_clear_bindings (stmt);
}

int
notify_store_step (notify_store_t *self, sqlite3_stmt *stmt)
{
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc != SQLITE_DONE)
        pl_error ("notify: storage failure db=%s cause=%s sql=%.60s", self->path,
                  sqlite3_errmsg (self->db), sqlite3_sql (stmt));
    notify_store_reset (stmt);
    return rc == SQLITE_DONE ? 0 : -1;
}

int
notify_store_exec (notify_store_t *self, sqlite3_stmt *stmt)
{
    int rc;
    while ((rc = notify_store_step (self, stmt)) == 1)
        ;
    return rc;
}

int
notify_store_run (notify_store_t *self, const char *sql, int count, ...)
{
    sqlite3_stmt *stmt = notify_store_stmt (self, sql);
    if (!stmt)
        return -1;
    va_list args;
    va_start (args, count);
    for (int i = 1; i <= count; i++)
        notify_store_bind_text (stmt, i, va_arg (args, const char *));
    va_end (args);
    return notify_store_exec (self, stmt);
}

json_t *
notify_store_object (sqlite3_stmt *stmt)
{
    json_t *object = json_object ();
    for (int i = 0; object && i < sqlite3_column_count (stmt); i++) {
        json_t *value = NULL;
        switch (sqlite3_column_type (stmt, i)) {
            case SQLITE_INTEGER:
                value = json_integer (sqlite3_column_int64 (stmt, i));
                break;
            case SQLITE_TEXT:
                value = json_string ((const char *) sqlite3_column_text (stmt, i));
                break;
            default:
                continue;
        }
        if (!value || json_object_set_new (object, sqlite3_column_name (stmt, i), value)) {
            json_decref (object);
            return NULL;
        }
    }
    return object;
}

//  Run SQL with text parameters and take its first row as an object into
//  *OBJECT.  1, 0, -1.
static int
s_object (notify_store_t *self, const char *sql, json_t **object, int count, ...)
{
    *object = NULL;
    sqlite3_stmt *stmt = notify_store_stmt (self, sql);
    if (!stmt)
        return -1;
    va_list args;
    va_start (args, count);
    for (int i = 1; i <= count; i++)
        notify_store_bind_text (stmt, i, va_arg (args, const char *));
    va_end (args);
    int found = notify_store_step (self, stmt);
    if (found == 1) {
        *object = notify_store_object (stmt);
        notify_store_reset (stmt);
        found = *object ? 1 : -1;
    }
    return found;
}

static const char *
s_field (const json_t *object, const char *name)
{
    return json_string_value (json_object_get (object, name));
}

//  pl_store_open's connection and the meta row created_ms: the time this
//  database was made, kept for its life.
static int
s_created (notify_store_t *self)
{
    static const char *insert =
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('created_ms', ?1)";
    static const char *select = "SELECT CAST (value AS INTEGER) FROM meta WHERE key = 'created_ms'";
    char now [32];
    snprintf (now, sizeof now, "%" PRId64, pl_time_ms ());
    if (notify_store_run (self, insert, 1, now))
        return -1;
    sqlite3_stmt *stmt = notify_store_stmt (self, select);
    if (!stmt || notify_store_step (self, stmt) != 1)
        return -1;
    self->created_ms = sqlite3_column_int64 (stmt, 0);
    notify_store_reset (stmt);
    return 0;
}

notify_store_t *
notify_store_new (const char *path)
{
    notify_store_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    snprintf (self->path, sizeof self->path, "%s", path);
    self->db = pl_store_open (path, "notify");
    if (!self->db
    ||  !(self->stmts = pl_stmts_new (self->db, "notify", NOTIFY_STMT_CACHE_MAX))
    ||  pl_store_migrate (self->db, "notify", s_migrations, S_MIGRATIONS)
    ||  pl_cursor_init (self->db) || s_created (self)
    ||  !(self->txn = pl_txn_new (self->db, "notify", 1))) {
        notify_store_destroy (&self);
        return NULL;
    }
    return self;
}

notify_store_t *
notify_store_reader (notify_store_t *store)
{
    notify_store_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    snprintf (self->path, sizeof self->path, "%s", store->path);
    self->created_ms = store->created_ms;
    self->db = pl_store_open_reader (store->path, "notify");
    if (!self->db || pl_store_seal_reader (self->db, "notify")
    ||  !(self->stmts = pl_stmts_new (self->db, "notify", NOTIFY_STMT_CACHE_MAX))) {
        notify_store_destroy (&self);
        return NULL;
    }
    return self;
}

int
notify_store_checkpoints_elsewhere (notify_store_t *self)
{
    return pl_store_exec (self->db, "notify", "PRAGMA wal_autocheckpoint = 0",
                          "leave checkpoints to the sender");
}

int
notify_store_checkpoint (notify_store_t *self)
{
    int rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    if (rc == SQLITE_OK || rc == SQLITE_BUSY)
        return 0;               //  BUSY: another checkpoint runs; the next tick goes on
    pl_error ("notify: cannot checkpoint db=%s cause=%s", self->path, sqlite3_errmsg (self->db));
    return -1;
}

sqlite3 *
notify_store_db (notify_store_t *self)
{
    return self->db;
}

void
notify_store_destroy (notify_store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    notify_store_t *self = *self_p;
    pl_txn_destroy (&self->txn);
    pl_stmts_destroy (&self->stmts);
    if (self->db)
        sqlite3_close (self->db);
    free (self);
    *self_p = NULL;
}

int64_t
notify_store_created_ms (notify_store_t *self)
{
    return self->created_ms;
}

//  --------------------------------------------------------------------------
//  Transactions and the cursor

int
notify_store_begin (notify_store_t *self)
{
    return notify_store_run (self, "BEGIN IMMEDIATE", 0);
}

int
notify_store_commit (notify_store_t *self)
{
    return notify_store_run (self, "COMMIT", 0);
}

void
notify_store_rollback (notify_store_t *self)
{
    if (!sqlite3_get_autocommit (self->db))
        notify_store_run (self, "ROLLBACK", 0);
}

pl_txn_t *
notify_store_txn (notify_store_t *self)
{
    return self->txn;
}

//  --------------------------------------------------------------------------
//  Meetings and sessions

int
notify_store_meeting_insert (notify_store_t *self, const json_t *event)
{
    static const char *sql =
        "INSERT INTO meeting (id, convention, kind, title, venue, tz, start, \"end\", url,"
        " status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'scheduled')";
    return notify_store_run (self, sql, 9, s_field (event, "id"), s_field (event, "convention"),
                             s_field (event, "kind"), s_field (event, "title"),
                             s_field (event, "venue"), s_field (event, "tz"),
                             s_field (event, "start"), s_field (event, "end"),
                             s_field (event, "url"));
}

int
notify_store_meeting (notify_store_t *self, const char *id, json_t **meeting)
{
    static const char *sql = "SELECT * FROM meeting WHERE id = ?1";
    return s_object (self, sql, meeting, 1, id);
}

int
notify_store_meeting_differs (notify_store_t *self, const char *id, const char *name,
                              const char *value)
{
    json_t *meeting = NULL;
    int found = notify_store_meeting (self, id, &meeting);
    int differs = 0;
    if (found == 1) {
        const char *current = s_field (meeting, name);
        differs = !current || strcmp (current, value) != 0;
    }
    json_decref (meeting);
    return found < 0 ? -1 : differs;
}

int
notify_store_meeting_update (notify_store_t *self, const json_t *event, int bump,
                             int bump_sessions)
{
    static const char *meeting =
        "UPDATE meeting SET kind = coalesce (?2, kind), title = coalesce (?3, title),"
        " venue = coalesce (?4, venue), tz = coalesce (?5, tz), start = coalesce (?6, start),"
        " \"end\" = coalesce (?7, \"end\"), url = coalesce (?8, url),"
        " sequence = sequence + ?9 WHERE id = ?1";
    static const char *sessions =
        "UPDATE session SET sequence = sequence + 1 WHERE meeting = ?1";
    const char *id = s_field (event, "id");
    return notify_store_run (self, meeting, 9, id, s_field (event, "kind"),
                             s_field (event, "title"), s_field (event, "venue"),
                             s_field (event, "tz"), s_field (event, "start"),
                             s_field (event, "end"), s_field (event, "url"), bump ? "1" : "0")
        || (bump_sessions && notify_store_run (self, sessions, 1, id));
}

int
notify_store_meeting_status (notify_store_t *self, const char *id, const char *status,
                             int bump, int cancel)
{
    static const char *meeting =
        "UPDATE meeting SET status = ?2, sequence = sequence + ?3 WHERE id = ?1";
    static const char *sessions =
        "UPDATE session SET status = CASE WHEN ?2 THEN 'cancelled' ELSE status END,"
        " sequence = sequence + 1 WHERE meeting = ?1 AND status <> 'cancelled'";
    return notify_store_run (self, meeting, 3, id, status, bump ? "1" : "0")
        || (bump && notify_store_run (self, sessions, 2, id, cancel ? "1" : "0"));
}

int
notify_store_session_insert (notify_store_t *self, const json_t *event)
{
    static const char *sql =
        "INSERT INTO session (meeting, id, title, start, \"end\", room, status)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'scheduled')";
    return notify_store_run (self, sql, 6, s_field (event, "meeting"), s_field (event, "id"),
                             s_field (event, "title"), s_field (event, "start"),
                             s_field (event, "end"), s_field (event, "room"));
}

int
notify_store_session (notify_store_t *self, const char *meeting, const char *id,
                      json_t **session)
{
    static const char *sql = "SELECT * FROM session WHERE meeting = ?1 AND id = ?2";
    return s_object (self, sql, session, 2, meeting, id);
}

int
notify_store_session_move (notify_store_t *self, const json_t *event, int bump)
{
    static const char *sql =
        "UPDATE session SET start = ?3, \"end\" = ?4, room = coalesce (?5, room),"
        " sequence = sequence + ?6 WHERE meeting = ?1 AND id = ?2";
    return notify_store_run (self, sql, 6, s_field (event, "meeting"), s_field (event, "id"),
                             s_field (event, "start"), s_field (event, "end"),
                             s_field (event, "room"), bump ? "1" : "0");
}

int
notify_store_session_cancel (notify_store_t *self, const char *meeting, const char *id,
                             int bump)
{
    static const char *sql =
        "UPDATE session SET status = 'cancelled', sequence = sequence + ?3"
        " WHERE meeting = ?1 AND id = ?2";
    return notify_store_run (self, sql, 3, meeting, id, bump ? "1" : "0");
}

//  --------------------------------------------------------------------------
//  Participants

int
notify_store_participant_insert (notify_store_t *self, const char *id, const json_t *event)
{
    static const char *sql =
        "INSERT INTO participant (id, meeting, family_name, given_name, title, delegation,"
        " function, email, language, focal_point, status, seq)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'registered', CAST (?11 AS INTEGER))";
    return notify_store_run (self, sql, 11, id, s_field (event, "meeting"),
                             s_field (event, "family_name"), s_field (event, "given_name"),
                             s_field (event, "title"), s_field (event, "delegation"),
                             s_field (event, "function"), s_field (event, "email"),
                             s_field (event, "language"),
                             json_is_true (json_object_get (event, "focal_point")) ? "1" : "0",
                             id + 1);
}

int
notify_store_participant (notify_store_t *self, const char *id, const char *meeting,
                          json_t **participant)
{
    static const char *sql =
        "SELECT * FROM participant WHERE id = ?1 AND (?2 IS NULL OR meeting = ?2)";
    return s_object (self, sql, participant, 2, id, meeting);
}

int
notify_store_participant_update (notify_store_t *self, const json_t *event)
{
    static const char *sql =
        "UPDATE participant SET family_name = coalesce (?2, family_name),"
        " given_name = coalesce (?3, given_name), title = coalesce (?4, title),"
        " delegation = coalesce (?5, delegation), function = coalesce (?6, function),"
        " email = coalesce (?7, email), language = coalesce (?8, language),"
        " focal_point = coalesce (?9, focal_point) WHERE id = ?1";
    const json_t *focal = json_object_get (event, "focal_point");
    return notify_store_run (self, sql, 9, s_field (event, "participant"),
                             s_field (event, "family_name"), s_field (event, "given_name"),
                             s_field (event, "title"), s_field (event, "delegation"),
                             s_field (event, "function"), s_field (event, "email"),
                             s_field (event, "language"),
                             !focal ? NULL : json_is_true (focal) ? "1" : "0");
}

int
notify_store_participant_status (notify_store_t *self, const char *id, const char *status)
{
    static const char *sql = "UPDATE participant SET status = ?2 WHERE id = ?1";
    return notify_store_run (self, sql, 2, id, status);
}

int
notify_store_participants (notify_store_t *self, const char *meeting, const char *focal_of,
                           json_t **list)
{
    //  Two statements, each on its own index: one with "?2 IS NULL OR"
    //  could only use the meeting's part of one and read every
    //  registration of the meeting to find a delegation's focal points
    static const char *recipients =
        "SELECT * FROM participant WHERE meeting = ?1"
        " AND status NOT IN ('rejected', 'withdrawn') AND email IS NOT NULL ORDER BY seq";
    static const char *focal =
        "SELECT * FROM participant WHERE meeting = ?1 AND delegation = ?2 AND focal_point = 1"
        " AND status NOT IN ('rejected', 'withdrawn') AND email IS NOT NULL ORDER BY seq";
    *list = json_array ();
    sqlite3_stmt *stmt = notify_store_stmt (self, focal_of ? focal : recipients);
    if (!*list || !stmt)
        return -1;
    notify_store_bind_text (stmt, 1, meeting);
    if (focal_of)
        notify_store_bind_text (stmt, 2, focal_of);
    int rc;
    while ((rc = notify_store_step (self, stmt)) == 1)
        if (json_array_append_new (*list, notify_store_object (stmt))) {
            notify_store_reset (stmt);
            rc = -1;
            break;
        }
    if (rc < 0) {
        json_decref (*list);
        *list = NULL;
    }
    return rc;
}

int
notify_store_token_issued (notify_store_t *self, const char *participant, int replace)
{
    static const char *sql = "UPDATE participant SET feed_revoked = 1 WHERE id = ?1";
    return replace ? notify_store_run (self, sql, 1, participant) : 0;
}

int
notify_store_delegation (notify_store_t *self, const char *convention, const char *code,
                         const char *status)
{
    static const char *sql =
        "INSERT INTO delegation (convention, code, status) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (convention, code) DO UPDATE SET status = ?3";
    return notify_store_run (self, sql, 3, convention, code, status);
}

int
notify_store_credentials (notify_store_t *self, const char *meeting, const char *delegation)
{
    static const char *sql =
        "INSERT OR IGNORE INTO credentials (meeting, delegation) VALUES (?1, ?2)";
    return notify_store_run (self, sql, 2, meeting, delegation);
}

//  --------------------------------------------------------------------------
//  Documents

int
notify_store_family (notify_store_t *self, const char *base, int *level)
{
    static const char *sql = "SELECT level FROM family WHERE base = ?1";
    *level = PL_GENERAL;
    sqlite3_stmt *stmt = notify_store_stmt (self, sql);
    if (!stmt)
        return -1;
    notify_store_bind_text (stmt, 1, base);
    int found = notify_store_step (self, stmt);
    if (found == 1) {
        *level = sqlite3_column_int (stmt, 0);
        notify_store_reset (stmt);
    }
    return found;
}

int
notify_store_family_set (notify_store_t *self, const char *base, int level)
{
    static const char *sql =
        "INSERT INTO family (base, level) VALUES (?1, CAST (?2 AS INTEGER))"
        " ON CONFLICT (base) DO UPDATE SET level = CAST (?2 AS INTEGER)";
    char text [8];
    snprintf (text, sizeof text, "%d", level);
    return notify_store_run (self, sql, 2, base, text);
}

int
notify_store_document_withdrawn (notify_store_t *self, const char *symbol,
                                 const char *language, int withdrawn)
{
    static const char *mark = "INSERT OR IGNORE INTO withdrawn (symbol, language) VALUES (?1, ?2)";
    static const char *stands = "DELETE FROM withdrawn WHERE symbol = ?1 AND language IN (?2, '*')";
    return notify_store_run (self, withdrawn ? mark : stands, 2, symbol, language);
}

//  --------------------------------------------------------------------------
//  Addresses and subscriptions

int
notify_store_address (notify_store_t *self, const char *address, const char *email,
                      const char *hash)
{
    static const char *sql =
        "INSERT INTO address (address, email, token_hash) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (address) DO UPDATE SET email = ?2";
    return notify_store_run (self, sql, 3, address, email, hash);
}

int
notify_store_address_by_token (notify_store_t *self, const char *hash, char *buf, size_t size)
{
    static const char *sql = "SELECT address FROM address WHERE token_hash = ?1";
    sqlite3_stmt *stmt = notify_store_stmt (self, sql);
    if (!stmt)
        return -1;
    notify_store_bind_text (stmt, 1, hash);
    int found = notify_store_step (self, stmt);
    if (found == 1) {
        snprintf (buf, size, "%s", (const char *) sqlite3_column_text (stmt, 0));
        notify_store_reset (stmt);
    }
    return found;
}

int
notify_store_unsubscribe (notify_store_t *self, const char *address, uint64_t seq)
{
    static const char *sql = "UPDATE address SET unsubscribed_seq = ?2 WHERE address = ?1";
    char text [24];
    snprintf (text, sizeof text, "%" PRIu64, seq);
    return notify_store_run (self, sql, 2, address, seq ? text : NULL);
}

int
notify_store_unsubscribed (notify_store_t *self, const char *address)
{
    static const char *sql =
        "SELECT 1 FROM address WHERE address = ?1 AND unsubscribed_seq IS NOT NULL";
    sqlite3_stmt *stmt = notify_store_stmt (self, sql);
    if (!stmt)
        return -1;
    notify_store_bind_text (stmt, 1, address);
    int found = notify_store_step (self, stmt);
    if (found == 1)
        notify_store_reset (stmt);
    return found;
}

int
notify_store_subscribed (notify_store_t *self, const char *address, const char *meeting,
                         const char *convention, const char *language)
{
    static const char *sql =
        "SELECT 1 FROM subscription WHERE address = ?1"
        " AND coalesce (meeting, '') = coalesce (?2, '')"
        " AND coalesce (convention, '') = coalesce (?3, '')"
        " AND (language IS NULL OR language = ?4)";
    sqlite3_stmt *stmt = notify_store_stmt (self, sql);
    if (!stmt)
        return -1;
    notify_store_bind_text (stmt, 1, address);
    notify_store_bind_text (stmt, 2, meeting);
    notify_store_bind_text (stmt, 3, convention);
    notify_store_bind_text (stmt, 4, language);
    int found = notify_store_step (self, stmt);
    if (found == 1)
        notify_store_reset (stmt);
    return found;
}

int
notify_store_subscribe (notify_store_t *self, const char *address, const char *email,
                        const char *meeting, const char *convention, const char *language,
                        const char *role)
{
    static const char *sql =
        "INSERT OR REPLACE INTO subscription (address, email, meeting, convention, language,"
        " level) VALUES (?1, ?2, ?3, ?4, ?5, CAST (?6 AS INTEGER))";
    char level [8];
    snprintf (level, sizeof level, "%d", pl_role_distribution (role ? role : "public"));
    return notify_store_run (self, sql, 6, address, email, meeting, convention, language, level);
}

int
notify_store_unsubscribe_matching (notify_store_t *self, const char *address,
                                   const char *meeting, const char *convention,
                                   const char *language, int *removed)
{
    static const char *sql =
        "DELETE FROM subscription WHERE address = ?1 AND (?2 IS NULL OR meeting = ?2)"
        " AND (?3 IS NULL OR convention = ?3) AND (?4 IS NULL OR language = ?4)";
    int rc = notify_store_run (self, sql, 4, address, meeting, convention, language);
    *removed = rc ? 0 : sqlite3_changes (self->db);
    return rc;
}

//  --------------------------------------------------------------------------
//  Facets (plenary check, lib/pl_facet.h)

//  The view keeps the facets' tables in the records' shape: pl_facet_sql
//  has their statements (a session cancelled with its meeting counts as
//  cancelled, as the records see it; this view cancels both, as the
//  calendar does).
int
notify_store_facet_rows (notify_store_t *self, const pl_facet_t *facet, const char *key,
                         pl_facet_row_fn *row, void *arg)
{
    const char *sql = pl_facet_sql (facet);
    if (!sql) {
        //  pl_facet's table says the notify group holds it: pl_facet_sql must select it
        pl_error ("notify: the store has no rows for facet %s", facet->name);
        return -1;
    }
    sqlite3_stmt *stmt = notify_store_stmt (self, sql);
    return stmt ? pl_facet_rows (stmt, "notify", facet, key, row, arg) : -1;
}

int
notify_store_version (void)
{
    return (int) S_MIGRATIONS;
}

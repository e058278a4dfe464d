/*  broker_store — the SQLite implementation of the broker's log.

    One connection owns DATA/broker/log.db and every prepared statement; all
    SQL of the broker lives in this file.  Durability: WAL with
    synchronous=FULL, so COMMIT returns after the WAL is fsync'd; automatic
    checkpoints are off (they would run inside COMMIT, on the publishers'
    latency path): a checkpointer thread (a CZMQ actor with its own
    connection) runs PASSIVE checkpoints every S_CHECKPOINT_MS, so copying
    WAL pages into the database and syncing it never stalls the engine's
    loop; PASSIVE waits for no reader or writer.  A second plenaryd on the
    same data folder is refused by an flock on DATA/broker/lock, taken before
    the database is opened.  Memory stays bounded by cache_size: the log is
    never copied into memory.  Schema migrations by user_version. */
#include "broker_store.h"
#include "pl_fs.h"
#include "pl_log.h"
#include "pl_proto.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

//  Page cache: 16 MiB is plenty for the index pages that dedupe and
//  delivery touch, and keeps the broker's RSS small with millions of events.
#define S_CACHE_KIB 16384

//  The checkpointer's period: at 100,000 events/s a tenth of a second is
//  some 10,000 events (a few MB of WAL) per checkpoint, so the WAL stays
//  small and each checkpoint short.
#define S_CHECKPOINT_MS 100

//  A full disk is logged at most once per this many ms (by the engine's
//  connection and by the checkpointer's alike).
#define S_FULL_LOG_MS   10000

typedef enum {
    S_BEGIN, S_COMMIT, S_ROLLBACK, S_APPEND, S_FIND, S_READ, S_LAST, S_COUNT,
    S_CURSOR_SAVE, S_CURSOR_LOAD, S_VERDICT_SAVE, S_VERDICT_LOAD, S_VERDICT_NEXT,
    S_DEAD_SAVE, S_DEAD_LIST_ALL, S_DEAD_LIST_GROUP,
    S_ATTEMPTS_CLEAR, S_ATTEMPTS_SAVE, S_ATTEMPTS_LOAD, S_STATEMENTS
} s_statement_t;

//  Prepared statements, by s_statement_t.
static const char *s_sql [S_STATEMENTS] = {
    [S_BEGIN]          = "BEGIN IMMEDIATE",
    [S_COMMIT]         = "COMMIT",
    [S_ROLLBACK]       = "ROLLBACK",
    [S_APPEND]         = "INSERT INTO log (event_id, topic, payload, time_ms, role, by_key,"
                         " by_delegation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                         " ON CONFLICT (event_id) DO NOTHING",
    [S_FIND]           = "SELECT seq, topic, payload, time_ms, role, by_key, by_delegation"
                         " FROM log WHERE event_id = ?1",
    [S_READ]           = "SELECT seq, event_id, topic, payload, time_ms, role, by_key,"
                         " by_delegation FROM log"
                         " WHERE seq >= ?1 ORDER BY seq LIMIT ?2",
    [S_LAST]           = "SELECT coalesce (max (seq), 0) FROM log",
    [S_COUNT]          = "SELECT count (*) FROM log",
    [S_CURSOR_SAVE]    = "INSERT INTO cursor (grp, topics, acked_through, follows)"
                         " VALUES (?1, ?2, ?3, ?4)"
                         " ON CONFLICT (grp) DO UPDATE SET topics = excluded.topics,"
                         " acked_through = excluded.acked_through, follows = excluded.follows",
    [S_CURSOR_LOAD]    = "SELECT grp, topics, acked_through, follows FROM cursor ORDER BY grp",
    [S_VERDICT_SAVE]   = "INSERT OR IGNORE INTO verdict (grp, seq, verdict, reason)"
                         " VALUES (?1, ?2, ?3, ?4)",
    [S_VERDICT_LOAD]   = "SELECT verdict, reason FROM verdict WHERE grp = ?1 AND seq = ?2",
    [S_VERDICT_NEXT]   = "SELECT seq, verdict, reason FROM verdict WHERE grp = ?1 AND seq >= ?2"
                         " ORDER BY seq LIMIT 1",
    [S_DEAD_SAVE]      = "INSERT OR IGNORE INTO dead_letter"
                         " (grp, seq, topic, event_id, attempts, cause, parked_at)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [S_DEAD_LIST_ALL]  = "SELECT grp, seq, topic, event_id, attempts, cause, parked_at"
                         " FROM dead_letter ORDER BY parked_at, grp, seq",
    [S_DEAD_LIST_GROUP]= "SELECT grp, seq, topic, event_id, attempts, cause, parked_at"
                         " FROM dead_letter WHERE grp = ?1 ORDER BY seq",
    [S_ATTEMPTS_CLEAR] = "DELETE FROM group_attempts WHERE grp = ?1",
    [S_ATTEMPTS_SAVE]  = "INSERT OR REPLACE INTO group_attempts (grp, seq, attempts)"
                         " VALUES (?1, ?2, ?3)",
    [S_ATTEMPTS_LOAD]  = "SELECT grp, seq, attempts FROM group_attempts ORDER BY grp, seq",
};

//  Migrations: entry N brings user_version from N to N+1.
static const char *s_migrations [] = {
    "CREATE TABLE log ("
    "  seq      INTEGER PRIMARY KEY,"
    "  event_id TEXT NOT NULL UNIQUE,"
    "  topic    TEXT NOT NULL,"
    "  payload  BLOB NOT NULL,"
    "  time_ms  INTEGER NOT NULL,"
    "  role     TEXT NOT NULL);"
    "CREATE TABLE cursor ("
    "  grp           TEXT PRIMARY KEY,"
    "  topics        TEXT NOT NULL,"
    "  acked_through INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE verdict ("
    "  grp     TEXT NOT NULL,"
    "  seq     INTEGER NOT NULL,"
    "  verdict TEXT NOT NULL,"
    "  reason  TEXT NOT NULL,"
    "  PRIMARY KEY (grp, seq)) WITHOUT ROWID;"
    "CREATE TABLE dead_letter ("
    "  grp       TEXT NOT NULL,"
    "  seq       INTEGER NOT NULL,"
    "  topic     TEXT NOT NULL,"
    "  event_id  TEXT NOT NULL,"
    "  attempts  INTEGER NOT NULL,"
    "  cause     TEXT NOT NULL,"
    "  parked_at INTEGER NOT NULL,"
    "  PRIMARY KEY (grp, seq)) WITHOUT ROWID;",
    //  2: deliveries of events redelivered without a verdict (dead letters
    //  count them across restarts).
    "CREATE TABLE group_attempts ("
    "  grp      TEXT NOT NULL,"
    "  seq      INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL,"
    "  PRIMARY KEY (grp, seq)) WITHOUT ROWID;",
    //  3: the leaders a group follows ("leader:pattern,..."), so that
    //  followers are held back by their leaders across restarts.
    "ALTER TABLE cursor ADD COLUMN follows TEXT NOT NULL DEFAULT '';",
    //  4: the stamp: the publishing key's name and its delegation (a focal
    //  point's), so that workers know who did what ("" before, and without keys)
    "ALTER TABLE log ADD COLUMN by_key TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE log ADD COLUMN by_delegation TEXT NOT NULL DEFAULT '';",
};
#define S_VERSION ((int) (sizeof s_migrations / sizeof s_migrations [0]))

struct _broker_store_t {
    sqlite3 *db;
    sqlite3_stmt *stmt [S_STATEMENTS];
    char path [PL_ENDPOINT_MAX + 32];
    int lock_fd;                //  flock'd DATA/broker/lock: one broker per folder
    zactor_t *checkpointer;     //  runs PASSIVE checkpoints off the loop
    uint64_t last_seq;          //  cached: the log only grows through append
    uint64_t count;
    int full;                   //  the last failure was a full disk
    int64_t full_logged;        //  monotonic ms of the last "disk is full" line
    uint64_t full_failures;     //  failures since that line
    uint64_t txn_last_seq;      //  values at begin, restored on rollback
    uint64_t txn_count;
    sqlite3_stmt *append_rows;  //  S_APPEND of S_APPEND_ROWS rows in one statement
};

//  Events appended by one multi-row INSERT: one statement's fixed costs
//  (step, halt, reset) for many rows.  Measured with callgrind on 40,000
//  registrations: 16.8k instructions per event one row at a time, 13.4k at
//  64 rows per statement, no gain beyond.
#define S_APPEND_ROWS 32

//  Log a SQLite failure of WHAT once, naming the database.
static int
s_fail (broker_store_t *self, const char *what)
{
    //  A full disk fails every write until space is made: say so once per
    //  interval, with how many failures it stands for, not once per event
    self->full = sqlite3_errcode (self->db) == SQLITE_FULL;
    if (self->full) {
        int64_t now = pl_mono_ms ();
        self->full_failures++;
        if (now - self->full_logged < S_FULL_LOG_MS)
            return -1;
        pl_error ("store: the disk is full path=%s; writes refused: %llu in the last %d s",
                  self->path, (unsigned long long) self->full_failures, S_FULL_LOG_MS / 1000);
        self->full_logged = now;
        self->full_failures = 0;
        return -1;
    }
    pl_error ("store: %s failed path=%s cause=%s", what, self->path, sqlite3_errmsg (self->db));
    return -1;
}

//  Run STMT to completion (a statement returning no rows); reset it.
static int
s_step_done (broker_store_t *self, s_statement_t id)
{
    sqlite3_stmt *stmt = self->stmt [id];
    int rc = sqlite3_step (stmt);
    sqlite3_reset (stmt);
    sqlite3_clear_bindings (stmt);
    if (rc != SQLITE_DONE)
        return s_fail (self, s_sql [id]);
    return 0;
}

static int
s_exec (broker_store_t *self, const char *sql)
{
    char *message = NULL;
    if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK) {
        pl_error ("store: %.60s failed path=%s cause=%s", sql, self->path,
                  message ? message : "?");
        sqlite3_free (message);
        return -1;
    }
    return 0;
}

static int
s_single_int (broker_store_t *self, const char *sql, int64_t *value)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return s_fail (self, sql);
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
        *value = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
    return rc == SQLITE_ROW ? 0 : s_fail (self, sql);
}

static int
s_migrate (broker_store_t *self)
{
    int64_t version = 0;
    if (s_single_int (self, "PRAGMA user_version", &version))
        return -1;
    if (version > S_VERSION) {
        pl_error ("store: %s has schema version %lld, newer than this plenaryd (%d)",
                  self->path, (long long) version, S_VERSION);
        return -1;
    }
    for (int v = (int) version; v < S_VERSION; v++) {
        char bump [48];
        snprintf (bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
        if (s_exec (self, "BEGIN IMMEDIATE"))
            return -1;
        if (s_exec (self, s_migrations [v]) || s_exec (self, bump)) {
            s_exec (self, "ROLLBACK");
            return -1;
        }
        if (s_exec (self, "COMMIT"))
            return -1;
        pl_info ("store: migrated path=%s version=%d", self->path, v + 1);
    }
    return 0;
}

static void
s_close (broker_store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    broker_store_t *self = *self_p;
    zactor_destroy (&self->checkpointer);
    for (int i = 0; i < S_STATEMENTS; i++)
        sqlite3_finalize (self->stmt [i]);
    sqlite3_finalize (self->append_rows);
    if (self->db && sqlite3_close (self->db) != SQLITE_OK)
        pl_warn ("store: close path=%s cause=%s", self->path, sqlite3_errmsg (self->db));
    if (self->lock_fd >= 0)
        close (self->lock_fd);
    free (self);
    *self_p = NULL;
}

//  The checkpointer actor: its own connection to PATH (ARGS), a PASSIVE
//  checkpoint every S_CHECKPOINT_MS until the pipe says $TERM.
static void
s_checkpointer (zsock_t *pipe, void *args)
{
    const char *path = args;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL)
        != SQLITE_OK) {
        pl_error ("store: checkpointer cannot open %s: %s", path,
                  db ? sqlite3_errmsg (db) : "out of memory");
        sqlite3_close (db);
        zsock_signal (pipe, 1);
        return;
    }
    sqlite3_busy_timeout (db, 1000);
    int64_t full_logged = 0;        //  a full disk is logged once per S_FULL_LOG_MS
    zsock_signal (pipe, 0);
    zpoller_t *poller = zpoller_new (pipe, NULL);
    while (1) {
        if (zpoller_wait (poller, S_CHECKPOINT_MS) == pipe) {
            char *command = zstr_recv (pipe);
            int terminate = !command || streq (command, "$TERM");
            zstr_free (&command);
            if (terminate)
                break;
        }
        else
        if (zpoller_terminated (poller))
            break;
        int log_frames = 0, done = 0;
        int rc = sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE,
                                            &log_frames, &done);
        int64_t now = pl_mono_ms ();
        if (rc != SQLITE_OK && rc != SQLITE_BUSY
        &&  (sqlite3_errcode (db) != SQLITE_FULL || now - full_logged >= S_FULL_LOG_MS)) {
            pl_warn ("store: checkpoint path=%s cause=%s", path, sqlite3_errmsg (db));
            full_logged = now;
        }
    }
    zpoller_destroy (&poller);
    sqlite3_close (db);
}

static broker_store_t *
s_open (const char *dir, const pl_config_t *config)
{
    broker_store_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->lock_fd = -1;
    char err [512];
    if (pl_fs_mkdirs (dir, err, sizeof err)) {
        pl_error ("store: %s", err);
        free (self);
        return NULL;
    }
    pl_fs_tighten (dir);            //  a log made by an older plenaryd was 0644
    char lock_path [sizeof self->path];
    snprintf (lock_path, sizeof lock_path, "%s/lock", dir);
    self->lock_fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (self->lock_fd < 0 || flock (self->lock_fd, LOCK_EX | LOCK_NB)) {
        pl_error ("store: %s is in use: is another plenaryd running on this data folder? (%s)",
                  dir, strerror (errno));
        if (self->lock_fd >= 0)
            close (self->lock_fd);
        free (self);
        return NULL;
    }
    snprintf (self->path, sizeof self->path, "%s/log.db", dir);
    if (sqlite3_open_v2 (self->path, &self->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                         NULL) != SQLITE_OK) {
        s_fail (self, "open");
        goto err;
    }
    char pragmas [256];
    snprintf (pragmas, sizeof pragmas,
              "PRAGMA journal_mode = WAL;"
              "PRAGMA synchronous = FULL;"
              "PRAGMA wal_autocheckpoint = 0;"
              "PRAGMA journal_size_limit = 67108864;"
              "PRAGMA cache_size = -%d;"
              "PRAGMA temp_store = MEMORY;", S_CACHE_KIB);
    if (s_exec (self, pragmas) || s_migrate (self)) {
        if (sqlite3_errcode (self->db) == SQLITE_BUSY)
            pl_error ("store: %s is in use: is another plenaryd running on this data folder?",
                      self->path);
        goto err;
    }
    for (int i = 0; i < S_STATEMENTS; i++)
        if (sqlite3_prepare_v3 (self->db, s_sql [i], -1, SQLITE_PREPARE_PERSISTENT,
                                &self->stmt [i], NULL) != SQLITE_OK) {
            s_fail (self, s_sql [i]);
            goto err;
        }
    char rows [128 + S_APPEND_ROWS * 24];
    int at = snprintf (rows, sizeof rows, "INSERT INTO log (event_id, topic, payload, time_ms,"
                       " role, by_key, by_delegation) VALUES ");
    for (int row = 0; row < S_APPEND_ROWS; row++)
        at += snprintf (rows + at, sizeof rows - (size_t) at, "%s(?,?,?,?,?,?,?)",
                        row ? "," : "");
    snprintf (rows + at, sizeof rows - (size_t) at, " ON CONFLICT (event_id) DO NOTHING");
    if (sqlite3_prepare_v3 (self->db, rows, -1, SQLITE_PREPARE_PERSISTENT,
                            &self->append_rows, NULL) != SQLITE_OK) {
        s_fail (self, "INSERT INTO log of many rows");
        goto err;
    }
    int64_t last = 0, count = 0;
    if (s_single_int (self, s_sql [S_LAST], &last)
    ||  s_single_int (self, s_sql [S_COUNT], &count))
        goto err;
    self->last_seq = (uint64_t) last;
    self->count = (uint64_t) count;
    self->checkpointer = zactor_new (s_checkpointer, self->path);
    if (!self->checkpointer)
        goto err;
    return self;
err:
    s_close (&self);
    return NULL;
}

static int
s_begin (broker_store_t *self)
{
    self->txn_last_seq = self->last_seq;
    self->txn_count = self->count;
    return s_step_done (self, S_BEGIN);
}

static int
s_commit (broker_store_t *self)
{
    //  A found row is borrowed only until the next call: release its read
    //  of the log, which would otherwise keep checkpoints from finishing.
    sqlite3_reset (self->stmt [S_FIND]);
    if (s_step_done (self, S_COMMIT) == 0)
        return 0;
    //  A failed COMMIT may leave the transaction open: end it so nothing
    //  half-written survives and the next batch starts clean.
    if (!sqlite3_get_autocommit (self->db))
        sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
    self->last_seq = self->txn_last_seq;
    self->count = self->txn_count;
    return -1;
}

static void
s_rollback (broker_store_t *self)
{
    sqlite3_reset (self->stmt [S_FIND]);
    if (!sqlite3_get_autocommit (self->db))
        s_step_done (self, S_ROLLBACK);
    self->last_seq = self->txn_last_seq;
    self->count = self->txn_count;
}

static int
s_append (broker_store_t *self, broker_event_t *event)
{
    sqlite3_stmt *stmt = self->stmt [S_APPEND];
    sqlite3_bind_text (stmt, 1, event->event_id, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, event->topic, -1, SQLITE_STATIC);
    sqlite3_bind_blob64 (stmt, 3, event->payload, event->payload_size, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 4, event->time_ms);
    sqlite3_bind_text (stmt, 5, event->role, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 6, event->by ? event->by : "", -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 7, event->delegation ? event->delegation : "", -1, SQLITE_STATIC);
    if (s_step_done (self, S_APPEND))
        return -1;
    if (sqlite3_changes (self->db) == 0)
        return 1;                   //  the event id is in the log: nothing written
    event->seq = (uint64_t) sqlite3_last_insert_rowid (self->db);
    self->last_seq = event->seq;
    self->count++;
    return 0;
}

static int s_find (broker_store_t *self, const char *event_id, broker_event_t *event);

static int
s_append_many (broker_store_t *self, broker_event_t *events, size_t count, uint8_t *logged)
{
    size_t done = 0;
    while (count - done >= S_APPEND_ROWS) {
        broker_event_t *chunk = events + done;
        sqlite3_stmt *stmt = self->append_rows;
        for (int row = 0; row < S_APPEND_ROWS; row++) {
            int column = row * 7;
            sqlite3_bind_text (stmt, column + 1, chunk [row].event_id, -1, SQLITE_STATIC);
            sqlite3_bind_text (stmt, column + 2, chunk [row].topic, -1, SQLITE_STATIC);
            sqlite3_bind_blob64 (stmt, column + 3, chunk [row].payload, chunk [row].payload_size,
                                 SQLITE_STATIC);
            sqlite3_bind_int64 (stmt, column + 4, chunk [row].time_ms);
            sqlite3_bind_text (stmt, column + 5, chunk [row].role, -1, SQLITE_STATIC);
            sqlite3_bind_text (stmt, column + 6, chunk [row].by ? chunk [row].by : "", -1,
                               SQLITE_STATIC);
            sqlite3_bind_text (stmt, column + 7,
                               chunk [row].delegation ? chunk [row].delegation : "", -1,
                               SQLITE_STATIC);
        }
        uint64_t before = self->last_seq;
        int rc = sqlite3_step (stmt);
        sqlite3_reset (stmt);
        if (rc != SQLITE_DONE)
            return s_fail (self, "INSERT INTO log of many rows");
        int changes = sqlite3_changes (self->db);
        if (changes == S_APPEND_ROWS) {
            //  Every row new: their seqs are consecutive, in the order of the rows
            uint64_t last = (uint64_t) sqlite3_last_insert_rowid (self->db);
            for (int row = 0; row < S_APPEND_ROWS; row++) {
                chunk [row].seq = last - S_APPEND_ROWS + 1 + (uint64_t) row;
                logged [done + (size_t) row] = 0;
            }
            self->last_seq = last;
        }
        else
            //  Some were in the log already: a row is new when its seq is
            //  above the log's end before this statement
            for (int row = 0; row < S_APPEND_ROWS; row++) {
                broker_event_t found;
                int where = s_find (self, chunk [row].event_id, &found);
                if (where != 1)
                    return where < 0 ? -1 : s_fail (self, "find after INSERT INTO log");
                logged [done + (size_t) row] = found.seq <= before;
                chunk [row].seq = found.seq <= before ? 0 : found.seq;
                if (found.seq > self->last_seq)
                    self->last_seq = found.seq;
            }
        self->count += (uint64_t) changes;
        done += S_APPEND_ROWS;
    }
    for (; done < count; done++) {
        int rc = s_append (self, &events [done]);
        if (rc < 0)
            return -1;
        logged [done] = rc == 1;
    }
    return 0;
}

//  Fill EVENT from the current row of STMT, columns starting at FIRST:
//  topic, payload, time_ms, role, by_key, by_delegation (seq and event_id
//  are set by the caller).
static void
s_row_event (sqlite3_stmt *stmt, int first, broker_event_t *event)
{
    event->topic = (const char *) sqlite3_column_text (stmt, first);
    event->payload = sqlite3_column_blob (stmt, first + 1);
    event->payload_size = (size_t) sqlite3_column_bytes (stmt, first + 1);
    event->time_ms = sqlite3_column_int64 (stmt, first + 2);
    event->role = (const char *) sqlite3_column_text (stmt, first + 3);
    event->by = (const char *) sqlite3_column_text (stmt, first + 4);
    event->delegation = (const char *) sqlite3_column_text (stmt, first + 5);
}

static int
s_find (broker_store_t *self, const char *event_id, broker_event_t *event)
{
    sqlite3_stmt *stmt = self->stmt [S_FIND];
    sqlite3_reset (stmt);
    sqlite3_bind_text (stmt, 1, event_id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE) {
        sqlite3_reset (stmt);
        return 0;
    }
    if (rc != SQLITE_ROW) {
        sqlite3_reset (stmt);
        return s_fail (self, "find");
    }
    //  The row stays valid until the next call resets the statement.
    event->seq = (uint64_t) sqlite3_column_int64 (stmt, 0);
    event->event_id = event_id;
    s_row_event (stmt, 1, event);
    return 1;
}

static int
s_read (broker_store_t *self, uint64_t from, size_t limit, const char *patterns,
        broker_event_fn *fn, void *arg, uint64_t *next_p)
{
    sqlite3_stmt *stmt = self->stmt [S_READ];
    sqlite3_reset (stmt);
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) from);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) limit);
    uint64_t next = from;
    int rc, result = 0;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        broker_event_t event;
        event.seq = (uint64_t) sqlite3_column_int64 (stmt, 0);
        event.event_id = (const char *) sqlite3_column_text (stmt, 1);
        s_row_event (stmt, 2, &event);
        if (patterns && !pl_topic_match (patterns, event.topic)) {
            next = event.seq + 1;
            continue;
        }
        if (fn (arg, &event))
            break;                  //  the callback refused it: resume here next time
        next = event.seq + 1;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        result = s_fail (self, "read");
    sqlite3_reset (stmt);
    if (next_p)
        *next_p = next;
    return result;
}

static uint64_t
s_last_seq (broker_store_t *self)
{
    return self->last_seq;
}

static uint64_t
s_count (broker_store_t *self)
{
    return self->count;
}

static int
s_cursor_save (broker_store_t *self, const broker_cursor_t *cursor)
{
    sqlite3_stmt *stmt = self->stmt [S_CURSOR_SAVE];
    sqlite3_bind_text (stmt, 1, cursor->group, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 2, cursor->topics, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) cursor->acked_through);
    sqlite3_bind_text (stmt, 4, cursor->follows, -1, SQLITE_STATIC);
    return s_step_done (self, S_CURSOR_SAVE);
}

static int
s_cursor_load (broker_store_t *self, broker_cursor_fn *fn, void *arg)
{
    sqlite3_stmt *stmt = self->stmt [S_CURSOR_LOAD];
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        broker_cursor_t cursor = { .acked_through = 0 };
        snprintf (cursor.group, sizeof cursor.group, "%s", sqlite3_column_text (stmt, 0));
        snprintf (cursor.topics, sizeof cursor.topics, "%s", sqlite3_column_text (stmt, 1));
        cursor.acked_through = (uint64_t) sqlite3_column_int64 (stmt, 2);
        snprintf (cursor.follows, sizeof cursor.follows, "%s", sqlite3_column_text (stmt, 3));
        if (fn (arg, &cursor))
            break;
    }
    sqlite3_reset (stmt);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : s_fail (self, "cursor load");
}

static int
s_verdict_save (broker_store_t *self, const char *group, uint64_t seq,
                const char *verdict, const char *reason)
{
    sqlite3_stmt *stmt = self->stmt [S_VERDICT_SAVE];
    sqlite3_bind_text (stmt, 1, group, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
    sqlite3_bind_text (stmt, 3, verdict, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, reason ? reason : "", -1, SQLITE_STATIC);
    return s_step_done (self, S_VERDICT_SAVE);
}

static int
s_verdict_load (broker_store_t *self, const char *group, uint64_t seq,
                char *verdict, size_t verdict_size, char *reason, size_t reason_size)
{
    sqlite3_stmt *stmt = self->stmt [S_VERDICT_LOAD];
    sqlite3_bind_text (stmt, 1, group, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW) {
        snprintf (verdict, verdict_size, "%s", sqlite3_column_text (stmt, 0));
        snprintf (reason, reason_size, "%s", sqlite3_column_text (stmt, 1));
    }
    sqlite3_reset (stmt);
    sqlite3_clear_bindings (stmt);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : s_fail (self, "verdict load");
}

static int
s_verdict_next (broker_store_t *self, const char *group, uint64_t from, uint64_t *seq_p,
                char *verdict, size_t verdict_size, char *reason, size_t reason_size)
{
    sqlite3_stmt *stmt = self->stmt [S_VERDICT_NEXT];
    sqlite3_bind_text (stmt, 1, group, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) from);
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW) {
        *seq_p = (uint64_t) sqlite3_column_int64 (stmt, 0);
        snprintf (verdict, verdict_size, "%s", sqlite3_column_text (stmt, 1));
        snprintf (reason, reason_size, "%s", sqlite3_column_text (stmt, 2));
    }
    sqlite3_reset (stmt);
    sqlite3_clear_bindings (stmt);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : s_fail (self, "verdict next");
}

static int
s_dead_letter_save (broker_store_t *self, const broker_dead_letter_t *dead)
{
    sqlite3_stmt *stmt = self->stmt [S_DEAD_SAVE];
    sqlite3_bind_text (stmt, 1, dead->group, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) dead->seq);
    sqlite3_bind_text (stmt, 3, dead->topic, -1, SQLITE_STATIC);
    sqlite3_bind_text (stmt, 4, dead->event_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 5, dead->attempts);
    sqlite3_bind_text (stmt, 6, dead->cause, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 7, dead->parked_at);
    return s_step_done (self, S_DEAD_SAVE);
}

static int
s_dead_letter_list (broker_store_t *self, const char *group,
                    broker_dead_letter_fn *fn, void *arg)
{
    sqlite3_stmt *stmt = self->stmt [group ? S_DEAD_LIST_GROUP : S_DEAD_LIST_ALL];
    if (group)
        sqlite3_bind_text (stmt, 1, group, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        broker_dead_letter_t dead = {
            .group = (const char *) sqlite3_column_text (stmt, 0),
            .seq = (uint64_t) sqlite3_column_int64 (stmt, 1),
            .topic = (const char *) sqlite3_column_text (stmt, 2),
            .event_id = (const char *) sqlite3_column_text (stmt, 3),
            .attempts = (uint32_t) sqlite3_column_int64 (stmt, 4),
            .cause = (const char *) sqlite3_column_text (stmt, 5),
            .parked_at = sqlite3_column_int64 (stmt, 6),
        };
        if (fn (arg, &dead))
            break;
    }
    sqlite3_reset (stmt);
    sqlite3_clear_bindings (stmt);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : s_fail (self, "dead letter list");
}

static int
s_attempts_clear (broker_store_t *self, const char *group)
{
    sqlite3_bind_text (self->stmt [S_ATTEMPTS_CLEAR], 1, group, -1, SQLITE_STATIC);
    return s_step_done (self, S_ATTEMPTS_CLEAR);
}

static int
s_attempts_save (broker_store_t *self, const char *group, uint64_t seq, uint32_t attempts)
{
    sqlite3_stmt *stmt = self->stmt [S_ATTEMPTS_SAVE];
    sqlite3_bind_text (stmt, 1, group, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
    sqlite3_bind_int64 (stmt, 3, attempts);
    return s_step_done (self, S_ATTEMPTS_SAVE);
}

static int
s_attempts_load (broker_store_t *self, broker_attempts_fn *fn, void *arg)
{
    sqlite3_stmt *stmt = self->stmt [S_ATTEMPTS_LOAD];
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        if (fn (arg, (const char *) sqlite3_column_text (stmt, 0),
                (uint64_t) sqlite3_column_int64 (stmt, 1),
                (uint32_t) sqlite3_column_int64 (stmt, 2)))
            break;
    sqlite3_reset (stmt);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : s_fail (self, "attempts load");
}

static int
s_full (broker_store_t *self)
{
    return self->full;
}

static int
s_checkpoint (broker_store_t *self)
{
    sqlite3_reset (self->stmt [S_FIND]);
    int rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return rc == SQLITE_OK ? 0 : s_fail (self, "checkpoint");
}

const broker_store_ops_t broker_store_sqlite = {
    .name = "sqlite",
    .open = s_open,
    .close = s_close,
    .begin = s_begin,
    .commit = s_commit,
    .rollback = s_rollback,
    .append = s_append,
    .append_many = s_append_many,
    .find = s_find,
    .read = s_read,
    .last_seq = s_last_seq,
    .count = s_count,
    .cursor_save = s_cursor_save,
    .cursor_load = s_cursor_load,
    .verdict_save = s_verdict_save,
    .verdict_load = s_verdict_load,
    .verdict_next = s_verdict_next,
    .dead_letter_save = s_dead_letter_save,
    .dead_letter_list = s_dead_letter_list,
    .attempts_clear = s_attempts_clear,
    .attempts_save = s_attempts_save,
    .attempts_load = s_attempts_load,
    .checkpoint = s_checkpoint,
    .full = s_full,
};

int
broker_store_sqlite_version (void)
{
    return S_VERSION;
}

/*  pl_cursor — a worker store's cursor and first verdicts, in its own database.

    Two tables live beside the worker's own:
      pl_cursor   (id = 1, seq)   the last sequence number applied, one row
      pl_rejected (seq, reason)   the events this worker rejected
    An applied event leaves no row of its own: "seq <= cursor and not in
    pl_rejected" means applied.  The store calls pl_cursor_advance in the
    transaction that applied the event, so the data and the cursor move
    together or not at all.

    The functions take a bare sqlite3 * (the store owns it) and prepare their
    statement on each call; SQLite's prepare of these one-row statements costs
    a few microseconds, small next to applying an event. */
#include "pl_cursor.h"
#include "pl_log.h"

#include <stdio.h>
#include <string.h>

//  Prepare SQL on DB, logging the cause on failure.  Returns the statement
//  or NULL.
static sqlite3_stmt *
s_prepare (sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        pl_error ("cursor: cannot prepare statement cause=%s", sqlite3_errmsg (db));
        sqlite3_finalize (stmt);
        return NULL;
    }
    return stmt;
}

int
pl_cursor_init (sqlite3 *db)
{
    const char *sql =
        "CREATE TABLE IF NOT EXISTS pl_cursor ("
        "  id  INTEGER PRIMARY KEY CHECK (id = 1),"
        "  seq INTEGER NOT NULL CHECK (seq >= 0));"
        "INSERT OR IGNORE INTO pl_cursor (id, seq) VALUES (1, 0);"
        "CREATE TABLE IF NOT EXISTS pl_rejected ("
        "  seq    INTEGER PRIMARY KEY,"
        "  reason TEXT NOT NULL);";
    char *message = NULL;
    if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK) {
        pl_error ("cursor: cannot create tables cause=%s", message ? message : "?");
        sqlite3_free (message);
        return -1;
    }
    return 0;
}

int
pl_cursor_get (sqlite3 *db, uint64_t *seq)
{
    sqlite3_stmt *stmt = s_prepare (db, "SELECT seq FROM pl_cursor WHERE id = 1");
    if (!stmt)
        return -1;
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
        *seq = (uint64_t) sqlite3_column_int64 (stmt, 0);
    else
    if (rc == SQLITE_DONE)
        *seq = 0;               //  pl_cursor_init not run yet: nothing applied
    else
        pl_error ("cursor: cannot read cursor cause=%s", sqlite3_errmsg (db));
    sqlite3_finalize (stmt);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

//  Run STMT to completion and finalize it.  0 or -1 (logged with WHAT).
static int
s_run (sqlite3 *db, sqlite3_stmt *stmt, const char *what, uint64_t seq)
{
    int rc = sqlite3_step (stmt);
    if (rc != SQLITE_DONE)
        pl_error ("cursor: cannot %s seq=%llu cause=%s", what,
                  (unsigned long long) seq, sqlite3_errmsg (db));
    sqlite3_finalize (stmt);
    return rc == SQLITE_DONE ? 0 : -1;
}

int
pl_cursor_advance (sqlite3 *db, uint64_t seq, const char *reason)
{
    if (reason) {
        sqlite3_stmt *stmt = s_prepare (db,
            "INSERT OR REPLACE INTO pl_rejected (seq, reason) VALUES (?1, ?2)");
        if (!stmt)
            return -1;
        sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) seq);
        sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
        if (s_run (db, stmt, "record rejection", seq))
            return -1;
    }
    sqlite3_stmt *stmt = s_prepare (db, "UPDATE pl_cursor SET seq = ?1 WHERE id = 1");
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) seq);
    if (s_run (db, stmt, "advance cursor", seq))
        return -1;
    if (sqlite3_changes (db) != 1) {
        pl_error ("cursor: no cursor row to advance seq=%llu (pl_cursor_init not run)",
                  (unsigned long long) seq);
        return -1;
    }
    return 0;
}

int
pl_cursor_verdict (sqlite3 *db, uint64_t seq, int *applied,
                   char *reason, size_t reason_size)
{
    sqlite3_stmt *stmt = s_prepare (db, "SELECT reason FROM pl_rejected WHERE seq = ?1");
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) seq);
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW) {
        const char *text = (const char *) sqlite3_column_text (stmt, 0);
        *applied = 0;
        if (reason && reason_size)
            snprintf (reason, reason_size, "%s", text ? text : "");
    }
    else
    if (rc == SQLITE_DONE) {
        *applied = 1;
        if (reason && reason_size)
            reason [0] = 0;
    }
    else
        pl_error ("cursor: cannot read verdict seq=%llu cause=%s",
                  (unsigned long long) seq, sqlite3_errmsg (db));
    sqlite3_finalize (stmt);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

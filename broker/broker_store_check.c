/*  broker_store_check — the log read for `plenary verify` (see the header).

    The statements know broker_store.c's schema (tables log and cursor);
    they change with its migrations.  All read but the backup's one
    write on its copy, broker_store_check_lower_cursor. */
#include "broker_store_check.h"

#include <stdio.h>

//  Prepare SQL on DB, or NULL with ERR.
static sqlite3_stmt *
s_prepare (sqlite3 *db, const char *sql, char *err, size_t errsize)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        snprintf (err, errsize, "%s", sqlite3_errmsg (db));
        sqlite3_finalize (stmt);
        return NULL;
    }
    return stmt;
}

//  Finish STMT after its last step RC: 0 when the rows ran out or a
//  callback stopped them, -1 with ERR when SQLite failed.
static int
s_finish (sqlite3 *db, sqlite3_stmt *stmt, int rc, char *err, size_t errsize)
{
    int result = 0;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        snprintf (err, errsize, "%s", sqlite3_errmsg (db));
        result = -1;
    }
    sqlite3_finalize (stmt);
    return result;
}

int
broker_store_check_extent (sqlite3 *db, broker_check_extent_t *extent, char *err, size_t errsize)
{
    sqlite3_stmt *stmt = s_prepare (db, "SELECT coalesce (min (seq), 0), coalesce (max (seq), 0),"
                                        " count (*) FROM log", err, errsize);
    if (!stmt)
        return -1;
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW) {
        extent->first = (uint64_t) sqlite3_column_int64 (stmt, 0);
        extent->last = (uint64_t) sqlite3_column_int64 (stmt, 1);
        extent->count = (uint64_t) sqlite3_column_int64 (stmt, 2);
    }
    return s_finish (db, stmt, rc, err, errsize);
}

int
broker_store_check_gaps (sqlite3 *db, size_t max,
                         int (*fn) (void *arg, uint64_t from, uint64_t to), void *arg,
                         char *err, size_t errsize)
{
    //  Each seq after a run of missing ones, with the seq before the run
    //  (0 before the first event: a log starts at 1)
    sqlite3_stmt *stmt = s_prepare (db,
        "SELECT previous + 1, seq - 1 FROM"
        " (SELECT seq, lag (seq, 1, 0) OVER (ORDER BY seq) AS previous FROM log)"
        " WHERE seq > previous + 1 ORDER BY seq LIMIT ?1", err, errsize);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) max);
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW
    &&     fn (arg, (uint64_t) sqlite3_column_int64 (stmt, 0),
               (uint64_t) sqlite3_column_int64 (stmt, 1)) == 0)
        ;
    return s_finish (db, stmt, rc, err, errsize);
}

int
broker_store_check_duplicates (sqlite3 *db, size_t max,
                               int (*fn) (void *arg, const char *event_id, uint64_t count),
                               void *arg, char *err, size_t errsize)
{
    sqlite3_stmt *stmt = s_prepare (db,
        "SELECT event_id, count (*) FROM log NOT INDEXED GROUP BY event_id"
        " HAVING count (*) > 1 ORDER BY min (seq) LIMIT ?1", err, errsize);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) max);
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW
    &&     fn (arg, (const char *) sqlite3_column_text (stmt, 0),
               (uint64_t) sqlite3_column_int64 (stmt, 1)) == 0)
        ;
    return s_finish (db, stmt, rc, err, errsize);
}

int
broker_store_check_events (sqlite3 *db, uint64_t from, uint64_t to,
                           int (*fn) (void *arg, uint64_t seq, const char *topic,
                                      const void *payload, size_t size),
                           void *arg, char *err, size_t errsize)
{
    sqlite3_stmt *stmt = s_prepare (db, "SELECT seq, topic, payload FROM log"
                                        " WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq", err, errsize);
    if (!stmt)
        return -1;
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) from);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) to);
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        const char *topic = (const char *) sqlite3_column_text (stmt, 1);
        const void *payload = sqlite3_column_blob (stmt, 2);
        size_t size = (size_t) sqlite3_column_bytes (stmt, 2);
        if (fn (arg, (uint64_t) sqlite3_column_int64 (stmt, 0), topic ? topic : "",
                payload, size))
            break;
    }
    return s_finish (db, stmt, rc, err, errsize);
}

int
broker_store_check_cursors (sqlite3 *db,
                            int (*fn) (void *arg, const char *group, uint64_t acked_through),
                            void *arg, char *err, size_t errsize)
{
    sqlite3_stmt *stmt = s_prepare (db, "SELECT grp, acked_through FROM cursor ORDER BY grp",
                                    err, errsize);
    if (!stmt)
        return -1;
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW
    &&     fn (arg, (const char *) sqlite3_column_text (stmt, 0),
               (uint64_t) sqlite3_column_int64 (stmt, 1)) == 0)
        ;
    return s_finish (db, stmt, rc, err, errsize);
}

int
broker_store_check_lower_cursor (sqlite3 *db, const char *group, uint64_t seq,
                                 uint64_t *from, char *err, size_t errsize)
{
    *from = 0;
    sqlite3_stmt *stmt = s_prepare (db, "SELECT acked_through FROM cursor WHERE grp = ?1",
                                    err, errsize);
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, group, -1, SQLITE_STATIC);
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
        *from = (uint64_t) sqlite3_column_int64 (stmt, 0);
    if (s_finish (db, stmt, rc, err, errsize))
        return -1;
    if (*from <= seq)
        return 0;
    stmt = s_prepare (db, "UPDATE cursor SET acked_through = ?2 WHERE grp = ?1", err, errsize);
    if (!stmt)
        return -1;
    sqlite3_bind_text (stmt, 1, group, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) seq);
    rc = sqlite3_step (stmt);
    return s_finish (db, stmt, rc, err, errsize) ? -1 : 1;
}

/*  pl_backup — online copies and checks of plenary's SQLite databases, for
    `plenary backup` and `plenary verify` (clients/cli_backup.c).

    A copy is made with SQLite's backup API while the database's owner (the
    broker appending, a worker applying) keeps writing.  The copy reads from
    one read transaction held from its first page to its last: in WAL mode a
    reader never blocks the writer, and the snapshot it holds is what is
    copied, so the copy is of one moment.  (Stepped without a transaction of
    its own, the backup API starts a new read at each step and starts over
    whenever another connection committed in between: under load it would
    never finish.)  The price is the WAL: pages written during the copy wait
    in it until the copy ends, since a checkpoint may not overwrite what a
    reader still sees.  The copy is written to TARGET.partial, synced and
    renamed, so TARGET holds a whole database or nothing.

    This file holds SQL like the stores do, but none that knows a schema:
    only transactions and SQLite's own checks.  What a verification asks of
    one schema is that store's (broker/broker_store_check.c,
    workers/archive/archive_store_check.c). */
#ifndef PL_BACKUP_H_INCLUDED
#define PL_BACKUP_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

//  What one copy did.
typedef struct {
    int64_t pages;              //  pages copied
    int64_t page_size;          //  bytes per page
    int64_t bytes;              //  pages * page_size: the size of the copy
    int64_t ms;                 //  from opening the source to the renamed copy
} pl_backup_stats_t;

//  Called with the source connection inside the snapshot being copied,
//  before the first page: what it reads (a cursor, the log's last seq) is
//  exactly what the copy holds.  0 to go on, -1 to give up (ERR filled).
typedef int (pl_backup_snapshot_fn) (void *arg, sqlite3 *source, char *err, size_t errsize);

//  Called after each step with DONE of TOTAL pages copied; nonzero stops
//  the copy (Ctrl-C).
typedef int (pl_backup_progress_fn) (void *arg, int64_t done, int64_t total);

//  Copy the database SOURCE (read-only; it may be in use) to TARGET, whose
//  folder must exist and which must not exist.  SNAPSHOT and PROGRESS may
//  be NULL; ARG is passed to both.  0 with STATS filled, or -1 with ERR
//  saying what failed (nothing is left at TARGET or TARGET.partial).
int pl_backup_copy (const char *source, const char *target,
                    pl_backup_snapshot_fn *snapshot, pl_backup_progress_fn *progress, void *arg,
                    pl_backup_stats_t *stats, char *err, size_t errsize);

//  Open the database PATH read-only (never created; in WAL mode its -wal
//  and -shm are made when missing, as every reader needs them), with a
//  busy timeout.  The connection, which the caller closes (sqlite3_close),
//  or NULL with ERR.
sqlite3 *pl_backup_open (const char *path, char *err, size_t errsize);

//  Called with each line of damage an integrity check reports.
typedef void (pl_backup_damage_fn) (void *arg, const char *line);

//  Run PRAGMA integrity_check (quick_check when QUICK: no index contents
//  compared with their tables, much faster) on DB; call FN for each line
//  other than "ok".  Returns how many lines, or -1 with ERR when the check
//  could not run (the file is not a database, it is damaged at page 1...).
int pl_backup_integrity (sqlite3 *db, int quick, pl_backup_damage_fn *fn, void *arg,
                         char *err, size_t errsize);

//  Called with each worker database of a data folder: NAME (its group,
//  "records") and PATH (DATA/records/records.db).  0 to go on.
typedef int (pl_backup_worker_fn) (void *arg, const char *name, const char *path);

//  Call FN for each worker database under DATA, by name: DATA/NAME/NAME.db,
//  where pl_worker_main keeps each worker's, for every NAME but "broker".
//  0, or -1 with ERR when DATA cannot be read (FN's nonzero is returned).
int pl_backup_workers (const char *data, pl_backup_worker_fn *fn, void *arg,
                       char *err, size_t errsize);

//  Self-test.  0 when it passes.
int pl_backup_test (int verbose);

#endif

/*  pl_store — opening a worker's SQLite database and migrating its schema.

    Every worker store opens its database the same way: read-write, created
    when missing, WAL journal with synchronous=NORMAL (the broker's log is
    the system of record, so a power cut may lose the last commits, never
    corrupt the file), foreign keys on, a busy timeout so that a writer
    that finds the file locked waits before its batch fails and is retried,
    and a limit to the WAL file's size once it restarts.  A query thread
    reads through pl_store_open_reader, a read-only connection of its own.
    Its schema is a table of migrations, applied by PRAGMA user_version,
    one transaction each.  What differs per store (open flags such as
    NOMUTEX, cache sizes, SQL functions and tokenizers, reference data)
    stays in the store.

        static const pl_migration_t s_migrations [] = {
            { "CREATE TABLE meeting (id TEXT PRIMARY KEY);", NULL },
            { "ALTER TABLE meeting ADD COLUMN title TEXT;", s_fill_titles },
        };
        sqlite3 *db = pl_store_open (path, "records");
        if (!db || pl_store_migrate (db, "records", s_migrations, 2)) ... */
#ifndef PL_STORE_H_INCLUDED
#define PL_STORE_H_INCLUDED

#include <stddef.h>
#include <sqlite3.h>

//  A writer that finds the database locked (a backup, sqlite3 on the
//  command line) waits this long before the batch fails and is retried.
#define PL_STORE_BUSY_TIMEOUT_MS 5000

//  The size the WAL file is cut back to when it restarts (journal_size_limit).
//  A reader that holds a snapshot (plenary backup copying the database)
//  keeps checkpoints from going past it, so the WAL grows by everything
//  written meanwhile (170 MB for records in a 16 s copy, docs/PERFORMANCE.md);
//  without a limit SQLite reuses the file from its start but never gives
//  the space back.  Four times the auto-checkpoint's 1,000 pages of 4 KiB:
//  a WAL of normal use never reaches it.
#define PL_STORE_WAL_LIMIT_BYTES (16 * 1024 * 1024)

//  One schema version: migration N (0-based) takes user_version N to N+1.
//  SQL runs first, then HOOK when non-NULL (0 or -1, logging its own
//  error), both inside the migration's transaction.
typedef struct {
    const char *sql;
    int (*hook) (sqlite3 *db);
} pl_migration_t;

//  Open the database at PATH with the common settings above.  COMPONENT
//  names the store in log lines ("records").  Returns the connection,
//  owned by the caller (sqlite3_close), or NULL (logged).
sqlite3 *pl_store_open (const char *path, const char *component);

//  As pl_store_open, with extra SQLITE_OPEN_* FLAGS (SQLITE_OPEN_NOMUTEX
//  for a connection only one thread ever uses).
sqlite3 *pl_store_open_flags (const char *path, const char *component, int flags);

//  Open a reader of the database at PATH, which its store has opened and
//  migrated (never created here): one thread's (NOMUTEX), with the busy
//  timeout.  WAL lets it read while the store writes; each read transaction
//  on it sees one snapshot (the worker engine answers a query in one).
//  Set up what the reader needs of its own (TEMP tables), then seal it.
//  Returns the connection, owned by the caller (sqlite3_close), or NULL
//  (logged).
sqlite3 *pl_store_open_reader (const char *path, const char *component);

//  Make reader DB refuse every write from now on (PRAGMA query_only), TEMP
//  tables included.  0, or -1 (logged).
int pl_store_seal_reader (sqlite3 *db, const char *component);

//  Bring DB's schema up to the COUNT MIGRATIONS: each one not yet applied,
//  with its user_version bump, in one transaction.  A database newer than
//  COUNT is refused.  0, or -1 (logged; the failed migration rolled back).
int pl_store_migrate (sqlite3 *db, const char *component,
                      const pl_migration_t *migrations, size_t count);

//  Run SQL (one or more statements, no results) on DB; WHAT says what for
//  the log line on failure.  0 or -1 (logged).
int pl_store_exec (sqlite3 *db, const char *component, const char *sql, const char *what);

//  Self-test.  0 when it passes.
int pl_store_test (int verbose);

#endif

/*  pl_store — opening a worker's SQLite database and migrating its schema.

    The settings every worker store shares (pl_store.h says why each) and
    the migration loop by PRAGMA user_version, so that the three stores do
    not each carry a copy.  Errors are logged here, once, as
    "component: cannot what db=path cause=sqlite's message". */
#include "pl_store.h"
#include "pl_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

//  The file name of DB's main database, for log lines ("" when in memory).
static const char *
s_path (sqlite3 *db)
{
    const char *path = sqlite3_db_filename (db, "main");
    return path ? path : "";
}

int
pl_store_exec (sqlite3 *db, const char *component, const char *sql, const char *what)
{
    char *message = NULL;
    if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK) {
        pl_error ("%s: cannot %s db=%s cause=%s", component, what, s_path (db),
                  message ? message : sqlite3_errmsg (db));
        sqlite3_free (message);
        return -1;
    }
    return 0;
}

//  Run the one-value statement SQL into *VALUE (text, copied).  0 or -1.
static int
s_pragma (sqlite3 *db, const char *sql, char *value, size_t size)
{
    sqlite3_stmt *stmt = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
    &&  sqlite3_step (stmt) == SQLITE_ROW) {
        const char *text = (const char *) sqlite3_column_text (stmt, 0);
        snprintf (value, size, "%s", text ? text : "");
        rc = 0;
    }
    sqlite3_finalize (stmt);
    return rc;
}

sqlite3 *
pl_store_open (const char *path, const char *component)
{
    return pl_store_open_flags (path, component, 0);
}

sqlite3 *
pl_store_open_flags (const char *path, const char *component, int flags)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | flags, NULL)
        != SQLITE_OK) {
        pl_error ("%s: cannot open db=%s cause=%s", component, path,
                  db ? sqlite3_errmsg (db) : "out of memory");
        goto err;
    }
    sqlite3_busy_timeout (db, PL_STORE_BUSY_TIMEOUT_MS);
    //  journal_mode answers the mode in force: a file system without the
    //  shared memory WAL needs says "delete", and we refuse to run so
    char mode [16] = "";
    if (s_pragma (db, "PRAGMA journal_mode = WAL", mode, sizeof mode)
    ||  strcmp (mode, "wal") != 0) {
        pl_error ("%s: cannot use WAL journal db=%s cause=%s", component, path,
                  *mode ? mode : sqlite3_errmsg (db));
        goto err;
    }
    char pragmas [160];
    snprintf (pragmas, sizeof pragmas, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
              " PRAGMA journal_size_limit = %d", PL_STORE_WAL_LIMIT_BYTES);
    if (pl_store_exec (db, component, pragmas, "set pragmas"))
        goto err;
    return db;
err:
    sqlite3_close (db);
    return NULL;
}

sqlite3 *
pl_store_open_reader (const char *path, const char *component)
{
    //  Read-write, never create: SQLITE_OPEN_READONLY would refuse the
    //  TEMP tables a store sets up too (pl_store_seal_reader then refuses
    //  every write).  The file is WAL already: its store made it so.
    sqlite3 *db = NULL;
    if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL)
        != SQLITE_OK) {
        pl_error ("%s: cannot open a reader db=%s cause=%s", component, path,
                  db ? sqlite3_errmsg (db) : "out of memory");
        sqlite3_close (db);
        return NULL;
    }
    sqlite3_busy_timeout (db, PL_STORE_BUSY_TIMEOUT_MS);
    return db;
}

int
pl_store_seal_reader (sqlite3 *db, const char *component)
{
    //  query_only refuses a write however it is asked for, TEMP tables too
    return pl_store_exec (db, component, "PRAGMA query_only = 1", "seal a reader");
}

int
pl_store_migrate (sqlite3 *db, const char *component,
                  const pl_migration_t *migrations, size_t count)
{
    char text [24] = "";
    long version = -1;
    if (s_pragma (db, "PRAGMA user_version", text, sizeof text) == 0)
        version = strtol (text, NULL, 10);
    if (version < 0 || (size_t) version > count) {
        pl_error ("%s: db=%s has schema version %ld; this program knows 0..%zu",
                  component, s_path (db), version, count);
        return -1;
    }
    for (; (size_t) version < count; version++) {
        const pl_migration_t *migration = &migrations [version];
        char pragma [48];
        snprintf (pragma, sizeof pragma, "PRAGMA user_version = %ld", version + 1);
        if (pl_store_exec (db, component, "BEGIN", "begin migration")
        ||  (migration->sql && pl_store_exec (db, component, migration->sql, "migrate"))
        ||  (migration->hook && migration->hook (db))
        ||  pl_store_exec (db, component, pragma, "set user_version")
        ||  pl_store_exec (db, component, "COMMIT", "commit migration")) {
            pl_error ("%s: migration to schema version %ld failed db=%s",
                      component, version + 1, s_path (db));
            sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        pl_info ("%s: migrated db=%s to schema version %ld", component, s_path (db), version + 1);
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  Self-test

#define PL_TEST_ON_FAIL goto done
#include "pl_test.h"

//  Counts its calls in table hook_calls (so a rolled-back call leaves none).
static int
s_test_hook (sqlite3 *db)
{
    return sqlite3_exec (db, "INSERT INTO hook_calls VALUES (1)", NULL, NULL, NULL)
        == SQLITE_OK ? 0 : -1;
}

static int
s_test_hook_fails (sqlite3 *db)
{
    (void) db;
    return -1;
}

//  The integer result of SQL on DB, or -1.
static long
s_test_value (sqlite3 *db, const char *sql)
{
    char text [24];
    return s_pragma (db, sql, text, sizeof text) == 0 ? strtol (text, NULL, 10) : -1;
}

int
pl_store_test (int verbose)
{
    int rc = -1;
    sqlite3 *db = NULL, *reader = NULL;
    char dir [] = "/tmp/pl_store_test.XXXXXX";
    char path [64] = "", missing [96], wal [80];
    CHECK (mkdtemp (dir));
    snprintf (path, sizeof path, "%s/store.db", dir);
    snprintf (missing, sizeof missing, "%s/no/such/folder/store.db", dir);

    //  A folder that does not exist: NULL, not a half-open connection
    CHECK (pl_store_open (missing, "pl_store_test") == NULL);

    db = pl_store_open_flags (path, "pl_store_test", SQLITE_OPEN_NOMUTEX);
    CHECK (db);
    char mode [16];
    CHECK (s_pragma (db, "PRAGMA journal_mode", mode, sizeof mode) == 0
           && strcmp (mode, "wal") == 0);
    CHECK (s_test_value (db, "PRAGMA synchronous") == 1);     //  NORMAL
    CHECK (s_test_value (db, "PRAGMA foreign_keys") == 1);
    CHECK (s_test_value (db, "PRAGMA busy_timeout") == PL_STORE_BUSY_TIMEOUT_MS);
    CHECK (s_test_value (db, "PRAGMA journal_size_limit") == PL_STORE_WAL_LIMIT_BYTES);

    const pl_migration_t migrations [] = {
        { "CREATE TABLE meeting (id TEXT PRIMARY KEY);"
          "CREATE TABLE hook_calls (n INTEGER);", NULL },
        { "CREATE TABLE session (meeting TEXT NOT NULL REFERENCES meeting (id));",
          s_test_hook },
        //  Applies its SQL, then its hook fails: all of it must roll back
        { "CREATE TABLE doomed (x);", s_test_hook_fails },
        //  Bad SQL after a good statement: all of it must roll back
        { "CREATE TABLE half (x); CREATE TABLE nonsense (", NULL },
    };
    CHECK (pl_store_migrate (db, "pl_store_test", migrations, 2) == 0);
    CHECK (s_test_value (db, "PRAGMA user_version") == 2);
    CHECK (s_test_value (db, "SELECT count(*) FROM hook_calls") == 1);
    //  Foreign keys are enforced
    CHECK (sqlite3_exec (db, "INSERT INTO session VALUES ('nowhere')", NULL, NULL, NULL)
           == SQLITE_CONSTRAINT);

    //  Up to date: nothing runs again
    CHECK (pl_store_migrate (db, "pl_store_test", migrations, 2) == 0);
    CHECK (s_test_value (db, "SELECT count(*) FROM hook_calls") == 1);

    //  A failing hook rolls its migration back, version unchanged
    CHECK (pl_store_migrate (db, "pl_store_test", migrations, 3) == -1);
    CHECK (s_test_value (db, "PRAGMA user_version") == 2);
    CHECK (s_test_value (db, "SELECT count(*) FROM sqlite_master WHERE name = 'doomed'") == 0);
    CHECK (sqlite3_get_autocommit (db));

    //  So does bad SQL, even after a statement of it succeeded
    const pl_migration_t skip_doomed [] = { migrations [0], migrations [1], { NULL, NULL },
                                            migrations [3] };
    CHECK (pl_store_migrate (db, "pl_store_test", skip_doomed, 4) == -1);
    CHECK (s_test_value (db, "PRAGMA user_version") == 3);   //  the empty one applied
    CHECK (s_test_value (db, "SELECT count(*) FROM sqlite_master WHERE name = 'half'") == 0);
    CHECK (sqlite3_get_autocommit (db));

    //  A database newer than the program is refused, untouched
    CHECK (pl_store_migrate (db, "pl_store_test", migrations, 1) == -1);
    CHECK (s_test_value (db, "PRAGMA user_version") == 3);

    //  The settings hold on a reopened file
    sqlite3_close (db);
    db = pl_store_open (path, "pl_store_test");
    CHECK (db);
    CHECK (s_test_value (db, "PRAGMA foreign_keys") == 1);
    CHECK (s_test_value (db, "PRAGMA user_version") == 3);

    //  A snapshot held (as a backup's) while more than the limit is
    //  written: the WAL grows past it, then, the snapshot released, is cut
    //  back to the limit when it restarts
    CHECK (sqlite3_open_v2 (path, &reader, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    CHECK (sqlite3_exec (reader, "BEGIN; SELECT count (*) FROM meeting", NULL, NULL, NULL)
           == SQLITE_OK);
    CHECK (pl_store_exec (db, "pl_store_test", "CREATE TABLE pad (x BLOB)", "pad") == 0);
    long chunk = 256 * 1024;
    for (long written = 0; written < PL_STORE_WAL_LIMIT_BYTES + 4 * chunk; written += chunk)
        CHECK (pl_store_exec (db, "pl_store_test",
                              "INSERT INTO pad VALUES (randomblob (256 * 1024))", "pad") == 0);
    snprintf (wal, sizeof wal, "%s-wal", path);
    struct stat st;
    CHECK (stat (wal, &st) == 0 && st.st_size > PL_STORE_WAL_LIMIT_BYTES);
    CHECK (sqlite3_exec (reader, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
    for (int i = 0; i < 20; i++)
        CHECK (pl_store_exec (db, "pl_store_test",
                              "INSERT INTO pad VALUES (randomblob (256 * 1024))", "pad") == 0);
    CHECK (stat (wal, &st) == 0 && st.st_size <= PL_STORE_WAL_LIMIT_BYTES);
    sqlite3_close (reader);     //  the snapshot's connection, before the next reader
    //  A reader: refuses writes, and a read transaction is one snapshot
    //  while the store commits beside it
    reader = pl_store_open_reader (path, "pl_store_test");
    CHECK (reader);
    CHECK (sqlite3_exec (reader, "CREATE TEMP TABLE t (x)", NULL, NULL, NULL) == SQLITE_OK);
    CHECK (pl_store_seal_reader (reader, "pl_store_test") == 0);
    CHECK (sqlite3_exec (reader, "INSERT INTO t VALUES (1)", NULL, NULL, NULL) != SQLITE_OK);
    CHECK (sqlite3_exec (reader, "INSERT INTO meeting VALUES ('m1')", NULL, NULL, NULL)
           != SQLITE_OK);
    CHECK (sqlite3_exec (reader, "BEGIN", NULL, NULL, NULL) == SQLITE_OK);
    CHECK (s_test_value (reader, "SELECT count(*) FROM meeting") == 0);
    CHECK (sqlite3_exec (db, "INSERT INTO meeting VALUES ('m1')", NULL, NULL, NULL)
           == SQLITE_OK);
    CHECK (s_test_value (reader, "SELECT count(*) FROM meeting") == 0);
    CHECK (sqlite3_exec (reader, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
    CHECK (s_test_value (reader, "SELECT count(*) FROM meeting") == 1);
    CHECK (pl_store_open_reader (missing, "pl_store_test") == NULL);
    rc = 0;
    if (verbose)
        printf ("pl_store_test: ok\n");
done:
    sqlite3_close (reader);
    sqlite3_close (db);
    if (*path) {
        const char *suffixes [] = { "", "-wal", "-shm" };
        for (size_t i = 0; i < sizeof suffixes / sizeof suffixes [0]; i++) {
            char name [80];
            snprintf (name, sizeof name, "%s%s", path, suffixes [i]);
            unlink (name);
        }
        rmdir (dir);
    }
    return rc;
}

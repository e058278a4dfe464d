/*  pl_backup — online copies and checks of SQLite databases (see pl_backup.h).

    Errors are returned as text for the CLI to print or report, never
    logged here: `plenary verify` turns them into lines of its report. */
#include "pl_backup.h"
#include "pl_fs.h"
#include "pl_proto.h"
#include "pl_store.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

//  Pages copied per step: 4 MiB at SQLite's default page size.  The
//  snapshot is held across steps, so this sets only how often progress is
//  shown and Ctrl-C is seen, not how long the writer waits (it never does).
#define S_STEP_PAGES 1024

sqlite3 *
pl_backup_open (const char *path, char *err, size_t errsize)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL)
        != SQLITE_OK) {
        snprintf (err, errsize, "cannot open %s: %s", path,
                  db ? sqlite3_errmsg (db) : "out of memory");
        sqlite3_close (db);
        return NULL;
    }
    sqlite3_busy_timeout (db, PL_STORE_BUSY_TIMEOUT_MS);
    return db;
}

//  The folder of PATH into FOLDER ("." when PATH names none).
static void
s_folder (const char *path, char *folder, size_t size)
{
    const char *slash = strrchr (path, '/');
    if (!slash)
        snprintf (folder, size, ".");
    else
    if (slash == path)
        snprintf (folder, size, "/");
    else
        snprintf (folder, size, "%.*s", (int) (slash - path), path);
}

int
pl_backup_copy (const char *source, const char *target,
                pl_backup_snapshot_fn *snapshot, pl_backup_progress_fn *progress, void *arg,
                pl_backup_stats_t *stats, char *err, size_t errsize)
{
    int64_t started = pl_mono_ms ();
    char partial [PATH_MAX], folder [PATH_MAX];
    struct stat st;
    if ((size_t) snprintf (partial, sizeof partial, "%s.partial", target) >= sizeof partial) {
        snprintf (err, errsize, "file name %.64s... is too long", target);
        return -1;
    }
    if (lstat (target, &st) == 0) {
        snprintf (err, errsize, "%s exists already", target);
        return -1;
    }
    s_folder (target, folder, sizeof folder);
    unlink (partial);               //  left by a copy that was killed
    sqlite3 *from = pl_backup_open (source, err, errsize);
    if (!from)
        return -1;
    sqlite3 *to = NULL;
    sqlite3_backup *backup = NULL;
    int rc = -1;
    //  The snapshot: a read transaction, begun by its first read, kept to
    //  the last page
    if (sqlite3_exec (from, "BEGIN; SELECT count (*) FROM sqlite_schema", NULL, NULL, NULL)
        != SQLITE_OK) {
        snprintf (err, errsize, "cannot read %s: %s", source, sqlite3_errmsg (from));
        goto done;
    }
    if (snapshot && snapshot (arg, from, err, errsize))
        goto done;
    //  No journal and no syncs while the copy is written: it is a new file
    //  that nobody reads until it is synced once, whole, and renamed
    if (sqlite3_open_v2 (partial, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
        != SQLITE_OK
    ||  sqlite3_exec (to, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", NULL, NULL,
                      NULL) != SQLITE_OK
    ||  !(backup = sqlite3_backup_init (to, "main", from, "main"))) {
        snprintf (err, errsize, "cannot write %s: %s", partial,
                  to ? sqlite3_errmsg (to) : "out of memory");
        goto done;
    }
    int step;
    while ((step = sqlite3_backup_step (backup, S_STEP_PAGES)) == SQLITE_OK)
        if (progress && progress (arg, sqlite3_backup_pagecount (backup)
                                     - sqlite3_backup_remaining (backup),
                                  sqlite3_backup_pagecount (backup))) {
            snprintf (err, errsize, "the copy of %s was interrupted", source);
            goto done;
        }
    if (step != SQLITE_DONE) {
        snprintf (err, errsize, "cannot copy %s to %s: %s", source, partial,
                  sqlite3_errstr (step));
        goto done;
    }
    int64_t pages = sqlite3_backup_pagecount (backup);
    if (progress)
        progress (arg, pages, pages);
    step = sqlite3_backup_finish (backup);
    backup = NULL;
    if (step != SQLITE_OK) {
        snprintf (err, errsize, "cannot copy %s to %s: %s", source, partial, sqlite3_errstr (step));
        goto done;
    }
    sqlite3_int64 page_size = 0;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (to, "PRAGMA page_size", -1, &stmt, NULL) == SQLITE_OK
    &&  sqlite3_step (stmt) == SQLITE_ROW)
        page_size = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
    if (sqlite3_close (to) != SQLITE_OK) {
        snprintf (err, errsize, "cannot close %s: %s", partial, sqlite3_errmsg (to));
        goto done;
    }
    to = NULL;
    //  Whole on the disk before it has its name; the name on the disk too
    if (chmod (partial, 0600)) {
        snprintf (err, errsize, "cannot write %s: %s", partial, strerror (errno));
        goto done;
    }
    if (pl_fs_sync (partial, err, errsize))
        goto done;
    if (rename (partial, target)) {
        snprintf (err, errsize, "cannot rename %s: %s", partial, strerror (errno));
        goto done;
    }
    if (pl_fs_sync (folder, err, errsize))
        goto done;
    if (stats) {
        stats->pages = pages;
        stats->page_size = page_size;
        stats->bytes = pages * page_size;
        stats->ms = pl_mono_ms () - started;
    }
    rc = 0;
done:
    if (backup)
        sqlite3_backup_finish (backup);
    if (to)
        sqlite3_close (to);
    if (rc)
        unlink (partial);
    sqlite3_exec (from, "COMMIT", NULL, NULL, NULL);
    sqlite3_close (from);
    return rc;
}

int
pl_backup_integrity (sqlite3 *db, int quick, pl_backup_damage_fn *fn, void *arg,
                     char *err, size_t errsize)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (db, quick ? "PRAGMA quick_check" : "PRAGMA integrity_check",
                            -1, &stmt, NULL) != SQLITE_OK) {
        snprintf (err, errsize, "%s", sqlite3_errmsg (db));
        sqlite3_finalize (stmt);
        return -1;
    }
    int lines = 0, rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        const char *line = (const char *) sqlite3_column_text (stmt, 0);
        if (line && strcmp (line, "ok") == 0)
            continue;
        fn (arg, line ? line : "(no text)");
        lines++;
    }
    if (rc != SQLITE_DONE) {
        snprintf (err, errsize, "%s", sqlite3_errmsg (db));
        lines = -1;
    }
    sqlite3_finalize (stmt);
    return lines;
}

int
pl_backup_workers (const char *data, pl_backup_worker_fn *fn, void *arg,
                   char *err, size_t errsize)
{
    struct dirent **names = NULL;
    int count = scandir (data, &names, NULL, alphasort);
    if (count < 0) {
        snprintf (err, errsize, "cannot read folder %s: %s", data, strerror (errno));
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < count; i++) {
        const char *name = names [i]->d_name;
        char path [PATH_MAX];
        struct stat st;
        if (rc == 0 && pl_group_valid (name) && strcmp (name, "broker") != 0
        &&  (size_t) snprintf (path, sizeof path, "%s/%s/%s.db", data, name, name) < sizeof path
        &&  stat (path, &st) == 0 && S_ISREG (st.st_mode))
            rc = fn (arg, name, path);
        free (names [i]);
    }
    free (names);
    return rc;
}

//  --------------------------------------------------------------------------
//  Self-test

#define PL_TEST_ON_FAIL goto done
#include "pl_test.h"

//  The integer result of SQL on DB, or -1.
static int64_t
s_test_value (sqlite3 *db, const char *sql)
{
    sqlite3_stmt *stmt = NULL;
    int64_t value = -1;
    if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
    &&  sqlite3_step (stmt) == SQLITE_ROW)
        value = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
    return value;
}

typedef struct {
    sqlite3 *writer;            //  another connection, writing during the copy
    int64_t at_snapshot;        //  rows the snapshot saw
    int64_t steps;
    int64_t last_done;
    int backwards;              //  a step's DONE went down: the copy restarted
    int blocked;                //  a write failed during the copy
    int64_t stop_after;         //  steps before stopping (interruption)
} s_test_copy_t;

//  A write of one row and the total, in one transaction.
static int
s_test_write (sqlite3 *db)
{
    return sqlite3_exec (db, "BEGIN IMMEDIATE;"
                             " INSERT INTO t (pad) VALUES (randomblob (300));"
                             " UPDATE total SET n = n + 1; COMMIT", NULL, NULL, NULL);
}

static int
s_test_snapshot (void *arg, sqlite3 *source, char *err, size_t errsize)
{
    s_test_copy_t *run = arg;
    run->at_snapshot = s_test_value (source, "SELECT count (*) FROM t");
    //  written after the snapshot began: not in the copy
    run->blocked |= s_test_write (run->writer) != SQLITE_OK;
    return 0;
}

static int
s_test_progress (void *arg, int64_t done, int64_t total)
{
    s_test_copy_t *run = arg;
    run->backwards |= done < run->last_done || done > total;
    run->last_done = done;
    //  The writer commits between every two steps, as the broker would
    run->blocked |= s_test_write (run->writer) != SQLITE_OK;
    return ++run->steps >= run->stop_after;
}

//  Count the worker databases pl_backup_workers finds, into *ARG as "a,b,".
static int
s_test_worker (void *arg, const char *name, const char *path)
{
    strcat ((char *) arg, name);
    strcat ((char *) arg, ",");
    return 0;
}

static void
s_test_damage (void *arg, const char *line)
{
    (*(int *) arg)++;
}

int
pl_backup_test (int verbose)
{
    int rc = -1;
    sqlite3 *db = NULL, *copy = NULL;
    char dir [] = "/tmp/pl_backup_test.XXXXXX";
    char source [200], target [96], path [200], err [256] = "";
    //  a copy that restarted at every commit would take far more steps
    s_test_copy_t run = { .stop_after = 100 };
    pl_backup_stats_t stats;
    pl_fs_private ();
    CHECK (mkdtemp (dir));
    snprintf (source, sizeof source, "%s/source.db", dir);
    snprintf (target, sizeof target, "%s/copy.db", dir);

    //  A WAL database of ~4,000 pages of 512 bytes: a copy of several steps
    CHECK (sqlite3_open (source, &db) == SQLITE_OK);
    CHECK (sqlite3_exec (db, "PRAGMA page_size = 512; PRAGMA journal_mode = WAL;"
     "CREATE TABLE t (n INTEGER PRIMARY KEY, pad BLOB);"
     "CREATE TABLE total (n INTEGER);"
     "WITH RECURSIVE k (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 5000)"
     " INSERT INTO t (pad) SELECT randomblob (300) FROM k;"
     "INSERT INTO total SELECT count (*) FROM t", NULL, NULL, NULL) == SQLITE_OK);
    CHECK (s_test_value (db, "PRAGMA page_count") > 3 * S_STEP_PAGES);
    run.writer = db;

    //  Copied while the writer commits between steps: the copy is the
    //  snapshot (the rows and their total agree), it never restarted, and
    //  no write waited
    CHECK (pl_backup_copy (source, target, s_test_snapshot, s_test_progress, &run,
                           &stats, err, sizeof err) == 0);
    CHECK (run.steps >= 3 && !run.backwards && !run.blocked);
    CHECK (run.at_snapshot == 5000);
    CHECK (stats.page_size == 512 && stats.bytes == stats.pages * 512 && stats.pages > 0);
    CHECK (s_test_value (db, "SELECT count (*) FROM t") == 5000 + 1 + run.steps);
    copy = pl_backup_open (target, err, sizeof err);
    CHECK (copy);
    CHECK (s_test_value (copy, "SELECT count (*) FROM t") == 5000);
    CHECK (s_test_value (copy, "SELECT n FROM total") == 5000);
    int damage = 0;
    CHECK (pl_backup_integrity (copy, 0, s_test_damage, &damage, err, sizeof err) == 0);
    CHECK (pl_backup_integrity (copy, 1, s_test_damage, &damage, err, sizeof err) == 0);
    //  In WAL mode like its source, once opened
    sqlite3_stmt *stmt = NULL;
    CHECK (sqlite3_prepare_v2 (copy, "PRAGMA journal_mode", -1, &stmt, NULL) == SQLITE_OK
           && sqlite3_step (stmt) == SQLITE_ROW
           && strcmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0);
    sqlite3_finalize (stmt);
    sqlite3_close (copy);
    copy = NULL;
    struct stat st;
    CHECK (stat (target, &st) == 0 && (st.st_mode & 07777) == 0600);
    snprintf (path, sizeof path, "%s.partial", target);
    CHECK (access (path, F_OK) != 0);

    //  Never over an existing file; a source that does not exist
    CHECK (pl_backup_copy (source, target, NULL, NULL, NULL, NULL, err, sizeof err) == -1);
    CHECK (strstr (err, "exists already"));
    snprintf (path, sizeof path, "%s/none.db", dir);
    CHECK (pl_backup_copy (path, path, NULL, NULL, NULL, NULL, err, sizeof err) == -1);
    CHECK (access (path, F_OK) != 0);

    //  Interrupted: nothing left behind
    s_test_copy_t stopped = { .writer = db, .stop_after = 1 };
    snprintf (path, sizeof path, "%s/stopped.db", dir);
    CHECK (pl_backup_copy (source, path, NULL, s_test_progress, &stopped, NULL,
                           err, sizeof err) == -1);
    CHECK (strstr (err, "interrupted"));
    CHECK (access (path, F_OK) != 0);
    snprintf (path, sizeof path, "%s/stopped.db.partial", dir);
    CHECK (access (path, F_OK) != 0);

    //  Damage: a page of the copy overwritten is found
    FILE *file = fopen (target, "r+b");
    CHECK (file);
    char junk [512];
    memset (junk, 0x5A, sizeof junk);
    fseek (file, 512 * 40, SEEK_SET);
    fwrite (junk, 1, sizeof junk, file);
    fclose (file);
    copy = pl_backup_open (target, err, sizeof err);
    CHECK (copy);
    damage = 0;
    CHECK (pl_backup_integrity (copy, 0, s_test_damage, &damage, err, sizeof err) != 0);
    sqlite3_close (copy);
    copy = NULL;
    snprintf (path, sizeof path, "%s/missing.db", dir);
    CHECK (pl_backup_open (path, err, sizeof err) == NULL && strstr (err, "cannot open"));

    //  Worker databases: DATA/NAME/NAME.db, never the broker's
    char data [128], names [64] = "";
    snprintf (data, sizeof data, "%s/data", dir);
    const char *layout [] = { "records/records.db", "broker/broker.db", "calendar/other.db",
                              "archive/archive.db" };
    for (size_t i = 0; i < sizeof layout / sizeof layout [0]; i++) {
        snprintf (path, sizeof path, "%s/%.*s", data,
                  (int) (strchr (layout [i], '/') - layout [i]), layout [i]);
        CHECK (pl_fs_mkdirs (path, err, sizeof err) == 0);
        snprintf (path, sizeof path, "%s/%s", data, layout [i]);
        CHECK (pl_fs_write (path, "x", 1, err, sizeof err) == 0);
    }
    CHECK (pl_backup_workers (data, s_test_worker, names, err, sizeof err) == 0);
    CHECK (strcmp (names, "archive,records,") == 0);

    //  A folder of keys copied: files 0600, folders 0700, a link refused
    snprintf (path, sizeof path, "%s/keys/issued", data);
    CHECK (pl_fs_mkdirs (path, err, sizeof err) == 0 && chmod (path, 0755) == 0);
    snprintf (path, sizeof path, "%s/keys/issued/a.key", data);
    CHECK (pl_fs_write (path, "secret", 6, err, sizeof err) == 0 && chmod (path, 0644) == 0);
    char into [128];
    snprintf (source, sizeof source, "%s/keys", data);
    snprintf (into, sizeof into, "%s/copy/keys", dir);
    CHECK (pl_fs_copy_tree (source, into, err, sizeof err) == 1);
    snprintf (path, sizeof path, "%s/issued/a.key", into);
    CHECK (stat (path, &st) == 0 && (st.st_mode & 07777) == 0600 && st.st_size == 6);
    snprintf (path, sizeof path, "%s/issued", into);
    CHECK (stat (path, &st) == 0 && (st.st_mode & 07777) == 0700);
    snprintf (path, sizeof path, "%s/keys/link", data);
    CHECK (symlink ("/etc/passwd", path) == 0);
    snprintf (into, sizeof into, "%s/copy/keys2", dir);
    CHECK (pl_fs_copy_tree (source, into, err, sizeof err) == -1
           && strstr (err, "neither a file nor a folder"));
    rc = 0;
    if (verbose)
        printf ("pl_backup_test: ok\n");
done:
    if (rc && *err)
        fprintf (stderr, "pl_backup_test: last error: %s\n", err);
    sqlite3_close (copy);
    sqlite3_close (db);
    pl_fs_remove_tree (dir);
    return rc;
}

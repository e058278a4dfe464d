/*  cli_backup — `plenary backup --to DIR`: a consistent copy of a data
    folder while the system runs.

    Each database is copied by pl_backup_copy from a snapshot while its
    owner keeps writing.  The order is what makes the copies agree with one
    another: every worker's database first, the broker's log last.  A
    worker applies only events the log holds, so the log copied after it
    holds every event its copy applied: every copied cursor is at or below
    the copied log's last seq, and a restored worker simply catches up.
    (Copied the other way round, a worker could be ahead of the copied
    log; restored, the broker would hand it new events under seqs it has
    already applied, and it would answer them with the old verdicts.)
    The copy checks this at the end, from the values each snapshot held.

    The copied log also holds the broker's record of how far each group
    acknowledged, which may be past the group's copied cursor (the group
    went on between the two copies).  A broker started on the copy would
    deliver those events to the restored group as replays, judged already,
    and plenary-notify records a replay's messages without sending them: a
    restore would lose the mail of those events.  So the copy's record is
    lowered to each group's copied cursor (broker_store_check_lower_cursor),
    the one change a backup makes to what it copied: the restored groups
    get those events as new ones.

    The copy is built in DIR.partial and renamed to DIR when complete, so a
    failed or interrupted backup leaves no DIR behind. */
#include "cli_util.h"
#include "broker_store_check.h"
#include "pl_backup.h"
#include "pl_cursor.h"
#include "pl_fs.h"

#include <czmq.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

//  What a backup holds beside the databases: the private folders, left
//  out together by --no-secrets (docs/SECURITY.md, "Where the keys are").
static const char *s_private [] = { "keys", "secrets" };
#define S_PRIVATE (sizeof s_private / sizeof s_private [0])

static const cli_flag_t s_backup_flags [] = {
    { "to",         NULL, 1, 1 },
    { "data",       NULL, 1, 0 },
    { "no-secrets", NULL, 0, 0 },
    { "json",       NULL, 0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_backup_help =
    "usage: plenary backup --to DIR [--data DATA] [--no-secrets] [--json]\n"
    "\n"
    "Copies the data folder DATA (default $PLENARY_DATA or ./var) to the new folder\n"
    "DIR while the system runs: each worker's database (DATA/NAME/NAME.db: records,\n"
    "calendar, archive, notify), then the broker's log (DATA/broker/log.db), then\n"
    "DATA/keys and DATA/secrets.  Nothing stops and no writer waits: each database\n"
    "is copied with SQLite's backup API from a snapshot, one moment of it, while\n"
    "its owner goes on writing.\n"
    "\n"
    "The workers' databases are copied first and the log last, so that the copied\n"
    "log holds every event a copied worker applied: each worker's cursor is at or\n"
    "below the log's last seq, and a restored worker catches up from the log.  (The\n"
    "other way round a worker could be copied past the end of the log, and after a\n"
    "restore it would answer new events with the verdicts of old ones.)  Where the\n"
    "copied log says a worker acknowledged more than its copy holds (it went on\n"
    "between the two copies), the copy's cursor in the log is lowered to the\n"
    "worker's: restored, it gets those events as new ones, not as replays (whose\n"
    "mail plenary-notify would record without sending).\n"
    "\n"
    "DIR must not exist, or be an empty folder.  The copy is made in DIR.partial and\n"
    "renamed when complete: DIR never holds half a backup.  Files are 0600, folders\n"
    "0700.  The copy holds the private keys of the broker and of up's programs\n"
    "(DATA/keys) and the key of the links plenary-notify mails (DATA/secrets): keep\n"
    "it as you keep them.  --no-secrets leaves both folders out; put them back from\n"
    "where you keep them before starting a restored copy (without keys/broker.key\n"
    "the broker runs without keys, on loopback only; without secrets/mail.key a new\n"
    "key is made and the links already mailed stop working).\n"
    "\n"
    "To restore, start the system on the copy: plenary up --data DIR (or, with the\n"
    "system stopped, put DIR where DATA was).  plenary verify --data DIR checks a\n"
    "copy.  On a terminal each database's pages are counted as they are copied;\n"
    "--json prints one document: each database's size, pages, time and cursor (and\n"
    "log_cursor, the cursor the copied log held for it), the log's last seq.\n"
    "\n"
    "exit status: 0 copied; 1 the copy failed (DIR is not made), or a copied cursor\n"
    "is past the copied log (the copy is kept: the data folder itself is damaged,\n"
    "see plenary verify --data DATA); 2 usage error\n"
    "\n"
    "example:\n"
    "  plenary backup --to /srv/backups/plenary-$(date +%F)\n"
    "  plenary verify --data /srv/backups/plenary-$(date +%F)\n";

typedef struct {
    cli_t *cli;
    const char *data;
    const char *to;
    char partial [PATH_MAX];
    int json;
    json_t *databases;          //  what each copy did, in copy order
    uint64_t cursor;            //  the snapshot's: a worker's cursor, the log's last seq
    const char *file;           //  the database being copied ("records/records.db")
    char label [PATH_MAX];      //  the progress line's words
    char err [PATH_MAX + 512];
} s_backup_t;

//  pl_backup_snapshot_fn of a worker: its cursor as copied.
static int
s_worker_cursor (void *arg, sqlite3 *source, char *err, size_t errsize)
{
    s_backup_t *self = arg;
    if (pl_cursor_get (source, &self->cursor)) {
        snprintf (err, errsize, "cannot read the cursor of %s: %s", self->file,
                  sqlite3_errmsg (source));
        return -1;
    }
    return 0;
}

//  pl_backup_snapshot_fn of the log: its last seq as copied.
static int
s_log_last (void *arg, sqlite3 *source, char *err, size_t errsize)
{
    s_backup_t *self = arg;
    broker_check_extent_t extent;
    char why [256];
    if (broker_store_check_extent (source, &extent, why, sizeof why)) {
        snprintf (err, errsize, "cannot read the log's last seq: %s", why);
        return -1;
    }
    self->cursor = extent.last;
    return 0;
}

static int
s_progress (void *arg, int64_t done, int64_t total)
{
    s_backup_t *self = arg;
    cli_progress (self->cli, self->label, (size_t) done, (size_t) total);
    return cli_interrupted ();
}

//  Copy FILE of the data folder ("records/records.db") into the partial
//  copy; GROUP names a worker, or NULL for the log.  0 or -1 (ERR).
static int
s_copy (s_backup_t *self, const char *group, const char *file)
{
    char source [PATH_MAX], target [PATH_MAX], folder [PATH_MAX];
    if ((size_t) snprintf (source, sizeof source, "%s/%s", self->data, file) >= sizeof source
    ||  (size_t) snprintf (target, sizeof target, "%s/%s", self->partial, file) >= sizeof target) {
        snprintf (self->err, sizeof self->err, "file name %s/%s is too long", self->data, file);
        return -1;
    }
    snprintf (folder, sizeof folder, "%.*s", (int) (strrchr (target, '/') - target), target);
    if (pl_fs_mkdirs (folder, self->err, sizeof self->err))
        return -1;
    self->file = file;
    snprintf (self->label, sizeof self->label, "pages of %s", file);
    pl_backup_stats_t stats;
    if (pl_backup_copy (source, target, group ? s_worker_cursor : s_log_last, s_progress, self,
                        &stats, self->err, sizeof self->err))
        return -1;
    json_t *copied = json_pack ("{s:s, s:I, s:I, s:I}", "file", file,
                                "bytes", (json_int_t) stats.bytes,
                                "pages", (json_int_t) stats.pages, "ms", (json_int_t) stats.ms);
    if (!copied)
        return -1;
    if (group) {
        json_object_set_new (copied, "group", json_string (group));
        json_object_set_new (copied, "cursor", json_integer ((json_int_t) self->cursor));
    }
    else
        json_object_set_new (copied, "last_seq", json_integer ((json_int_t) self->cursor));
    json_array_append_new (self->databases, copied);
    if (!self->json)
        cli_print ("  %-24s %9.1f MB in %5.1f s, %s %llu\n", file, stats.bytes / 1e6,
                   stats.ms / 1e3, group ? "cursor at seq" : "last seq",
                   (unsigned long long) self->cursor);
    return 0;
}

//  pl_backup_worker_fn: copy one worker's database.
static int
s_copy_worker (void *arg, const char *name, const char *path)
{
    s_backup_t *self = arg;
    char file [PATH_MAX];
    snprintf (file, sizeof file, "%s/%s.db", name, name);
    return s_copy (self, name, file);
}

//  True when PATH is a folder with nothing in it.
static int
s_empty_folder (const char *path)
{
    DIR *dir = opendir (path);
    if (!dir)
        return 0;
    struct dirent *entry;
    int empty = 1;
    while (empty && (entry = readdir (dir)))
        empty = strcmp (entry->d_name, ".") == 0 || strcmp (entry->d_name, "..") == 0;
    closedir (dir);
    return empty;
}

//  Where the copy may go: DIR new or an empty folder, DIR.partial absent.
//  CLI_OK, or CLI_FAILED (printed).
static int
s_check_target (s_backup_t *self)
{
    struct stat st;
    if (lstat (self->to, &st) == 0 && !(S_ISDIR (st.st_mode) && s_empty_folder (self->to))) {
        cli_error ("%s exists and is not an empty folder: a backup goes to a new one",
                   self->to);
        return CLI_FAILED;
    }
    if ((size_t) snprintf (self->partial, sizeof self->partial, "%s.partial", self->to)
        >= sizeof self->partial) {
        cli_error ("the folder name %s is too long", self->to);
        return CLI_FAILED;
    }
    if (lstat (self->partial, &st) == 0) {
        cli_error ("%s exists: the remains of an interrupted backup?  Remove it first",
                   self->partial);
        return CLI_FAILED;
    }
    return CLI_OK;
}

//  In the copied log, each copied group's cursor lowered to the group's
//  copied cursor where it is above (see the top of the file); then the
//  file synced again.  0, or -1 (ERR).
static int
s_hold_cursors (s_backup_t *self)
{
    char path [PATH_MAX + 16];
    snprintf (path, sizeof path, "%s/broker/log.db", self->partial);
    sqlite3 *db = NULL;
    if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        snprintf (self->err, sizeof self->err, "cannot open the copied log %s: %s", path,
                  db ? sqlite3_errmsg (db) : "out of memory");
        sqlite3_close (db);
        return -1;
    }
    char why [256];
    int rc = 0;
    size_t index;
    json_t *copied;
    json_array_foreach (self->databases, index, copied) {
        const char *group = json_string_value (json_object_get (copied, "group"));
        if (!group)
            continue;
        uint64_t cursor = (uint64_t) json_integer_value (json_object_get (copied, "cursor")), from;
        int lowered = broker_store_check_lower_cursor (db, group, cursor, &from, why, sizeof why);
        if (lowered < 0) {
            snprintf (self->err, sizeof self->err, "cannot set the cursor of %s in the copied "
                      "log: %s", group, why);
            rc = -1;
            break;
        }
        //  Not printed: it is the rule rather than a sign of trouble (a
        //  worker's cursor moves with the events of its topics only, the
        //  broker's with every event), and lowered, the broker passes over
        //  the events of other topics again, which costs nothing
        json_object_set_new (copied, "log_cursor", json_integer ((json_int_t) from));
    }
    if (sqlite3_close (db) != SQLITE_OK && rc == 0) {
        snprintf (self->err, sizeof self->err, "cannot close the copied log: %s", sqlite3_errmsg (db));
        rc = -1;
    }
    char folder [PATH_MAX + 16];
    snprintf (folder, sizeof folder, "%s/broker", self->partial);
    if (rc == 0 && (pl_fs_sync (path, self->err, sizeof self->err)
                ||  pl_fs_sync (folder, self->err, sizeof self->err)))
        rc = -1;
    return rc;
}

//  The copied cursors against the copied log's last seq LAST: 1 when every
//  one is at or below it, else 0 after printing each that is not.
static int
s_consistent (s_backup_t *self, uint64_t last)
{
    int consistent = 1;
    size_t index;
    json_t *copied;
    json_array_foreach (self->databases, index, copied) {
        json_t *cursor = json_object_get (copied, "cursor");
        if (cursor && (uint64_t) json_integer_value (cursor) > last) {
            cli_error ("%s: the cursor is at seq %lld, past the log's last seq %llu: "
                       "the data folder is damaged (plenary verify --data %s)",
                       json_string_value (json_object_get (copied, "file")),
                       (long long) json_integer_value (cursor), (unsigned long long) last,
                       self->data);
            consistent = 0;
        }
    }
    return consistent;
}

//  Copy everything into self->partial.  CLI_OK, or CLI_FAILED (printed;
//  the caller removes the partial copy).
static int
s_run (s_backup_t *self, int secrets, json_t *report)
{
    if (!self->json)
        cli_print ("backup of %s to %s (the workers' databases first, the log last):\n",
                   self->data, self->to);
    if (pl_backup_workers (self->data, s_copy_worker, self, self->err, sizeof self->err)
    ||  cli_interrupted ()
    ||  s_copy (self, NULL, "broker/log.db")
    ||  s_hold_cursors (self)) {
        cli_error ("%s", cli_interrupted () ? "interrupted; nothing is kept" : self->err);
        return CLI_FAILED;
    }
    uint64_t last = self->cursor;
    int private = 0;                //  a private folder was copied
    for (size_t i = 0; i < S_PRIVATE; i++) {
        char from [PATH_MAX], into [PATH_MAX + 16];
        snprintf (from, sizeof from, "%s/%s", self->data, s_private [i]);
        snprintf (into, sizeof into, "%s/%s", self->partial, s_private [i]);
        struct stat st;
        int present = stat (from, &st) == 0 && S_ISDIR (st.st_mode);
        int files = 0;
        if (secrets && present
        &&  (files = pl_fs_copy_tree (from, into, self->err, sizeof self->err)) < 0) {
            cli_error ("%s", self->err);
            return CLI_FAILED;
        }
        private |= secrets && present;
        json_object_set_new (report, s_private [i], json_boolean (secrets && present));
        if (!self->json && present)
            cli_print ("  %-24s %s\n", s_private [i], secrets ? "copied" : "left out (--no-secrets)");
    }
    if (!self->json && private)
        cli_print ("The copy holds private keys: keep it as you keep them.\n");
    json_object_set_new (report, "last_seq", json_integer ((json_int_t) last));
    json_object_set_new (report, "consistent", json_boolean (s_consistent (self, last)));
    return CLI_OK;
}

//  Sync the partial copy, rename it DIR and sync DIR's folder.  0 or -1 (ERR).
static int
s_publish (s_backup_t *self)
{
    char parent [PATH_MAX];
    const char *slash = strrchr (self->to, '/');
    if (!slash)
        snprintf (parent, sizeof parent, ".");
    else
    if (slash == self->to)
        snprintf (parent, sizeof parent, "/");
    else
        snprintf (parent, sizeof parent, "%.*s", (int) (slash - self->to), self->to);
    if (pl_fs_sync (self->partial, self->err, sizeof self->err))
        return -1;
    if (rename (self->partial, self->to)) {
        snprintf (self->err, sizeof self->err, "cannot rename %s to %s: %s", self->partial,
                  self->to, strerror (errno));
        return -1;
    }
    return pl_fs_sync (parent, self->err, sizeof self->err);
}

int
cli_backup (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_backup_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_backup_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    s_backup_t self = {
        .cli = cli, .to = cli_value (&args, "to"), .json = cli_value (&args, "json") != NULL,
        .data = cli_value (&args, "data") ? cli_value (&args, "data") : cli->config.data,
    };
    if (!*self.to)
        return cli_usage (cli, "--to: the folder to copy to is empty");
    pl_fs_private ();               //  the copy is as private as its source
    cli_signals_init ();
    char log [PATH_MAX];
    snprintf (log, sizeof log, "%s/broker/log.db", self.data);
    if (access (log, R_OK)) {
        cli_error ("no log at %s (%s): is %s a plenary data folder?", log,
                   strerror (errno), self.data);
        return CLI_FAILED;
    }
    if (s_check_target (&self))
        return CLI_FAILED;
    int64_t started = pl_mono_ms ();
    self.databases = json_array ();
    json_t *report = json_pack ("{s:s, s:s}", "data", self.data, "to", self.to);
    rc = CLI_FAILED;
    if (!self.databases || !report)
        goto done;
    if (pl_fs_mkdirs (self.partial, self.err, sizeof self.err)) {
        cli_error ("%s", self.err);
        goto done;
    }
    if (s_run (&self, !cli_value (&args, "no-secrets"), report)) {
        pl_fs_remove_tree (self.partial);
        goto done;
    }
    //  The folder takes its final name once everything in it is on the disk
    if (s_publish (&self)) {
        cli_error ("%s", self.err);
        pl_fs_remove_tree (self.partial);
        goto done;
    }
    int consistent = json_is_true (json_object_get (report, "consistent"));
    json_object_set (report, "databases", self.databases);
    json_object_set_new (report, "ms", json_integer (pl_mono_ms () - started));
    if (self.json)
        cli_json (report);
    else
        cli_print ("backup: %zu databases copied in %.1f s; check the copy with:\n"
                   "  plenary verify --data %s\n", json_array_size (self.databases),
                   (pl_mono_ms () - started) / 1e3, self.to);
    rc = consistent ? CLI_OK : CLI_FAILED;
done:
    json_decref (self.databases);
    json_decref (report);
    return rc;
}

/*  cli_verify — `plenary verify [--data DIR]`: is this data folder (a live
    one, or a backup) whole?

    Read-only, in three steps, in this order:
      1. each worker database (DATA/NAME/NAME.db): SQLite's integrity check,
         its cursor, and for the archive every document's stored text
         against its SHA-256 (archive_store_check);
      2. the log (DATA/broker/log.db): the integrity check, seqs from 1
         without a gap, event ids held once, every payload valid for its
         topic by the schema (pl_codec_check), the groups' cursors in it;
      3. across them: each worker's cursor at or below the log's last seq,
         and each document text that did not match its SHA-256 against the
         text the log released.
    The cursors are read before the log's last seq, as a backup copies
    them: on a running system the log only grows meanwhile, so a cursor
    found past it is damage, not a race.  Each problem is one line in
    words; exit 0 when there is none, 1 otherwise. */
#include "cli_util.h"
#include "archive_store_check.h"
#include "broker_store_check.h"
#include "pl_backup.h"
#include "pl_codec.h"
#include "pl_cursor.h"
#include "pl_fs.h"

#include <limits.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define S_PROBLEMS_MAX  1000        //  problems listed; more are counted
#define S_RUNS_MAX      100         //  gaps and duplicate ids listed by the log's queries
#define S_PROGRESS_EVERY 10000      //  events between two redraws of the progress bar

static const cli_flag_t s_verify_flags [] = {
    { "data",  NULL, 1, 0 },
    { "quick", NULL, 0, 0 },
    { "json",  NULL, 0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_verify_help =
    "usage: plenary verify [--data DIR] [--quick] [--json]\n"
    "\n"
    "Checks a data folder, the live one (default $PLENARY_DATA or ./var) while the\n"
    "system runs, or a copy that 'plenary backup' made, reading only:\n"
    "\n"
    "  every database      SQLite's integrity check (--quick: its quick check, which\n"
    "                      does not compare indexes with their tables; much faster)\n"
    "  the log             seqs from 1 without a gap, each event id held once, each\n"
    "                      event's payload valid for its topic, the groups' cursors\n"
    "                      within the log\n"
    "  each worker         its cursor (the last event it applied) at or below the\n"
    "                      log's last seq: a worker past the end of the log holds\n"
    "                      events the log does not\n"
    "  the archive         each document's stored text against its SHA-256; where\n"
    "                      the hash recorded is the released file's (a PDF, or a text\n"
    "                      with form feeds), against the text the log released\n"
    "\n"
    "It prints what it checked, then one line per problem, in words:\n"
    "\n"
    "  records/records.db: the cursor is at seq 1250, past the log's last seq 1200\n"
    "  broker/log.db: seqs 57 to 60 are missing\n"
    "\n"
    "--json prints one document: each database's findings and every problem.\n"
    "\n"
    "exit status: 0 all is well, 1 a problem (or a database that cannot be read),\n"
    "2 usage error\n"
    "\n"
    "example:\n"
    "  plenary backup --to /srv/backups/today && plenary verify --data /srv/backups/today\n";

typedef struct {
    cli_t *cli;                 //  for its progress bar
    const char *data;
    int quick;
    int json;
    json_t *databases;          //  one object per database, in the order checked
    json_t *problems;           //  {file, what, message}, at most S_PROBLEMS_MAX
    size_t problem_count;
    json_t *unmatched;          //  archive texts that did not match their SHA-256
    const char *file;           //  the database being checked ("records/records.db")
    json_t *current;            //  its object in DATABASES
    uint64_t events;            //  payloads checked, for the progress bar
    uint64_t event_count;
} s_verify_t;

//  Record a problem of SELF->file, of kind WHAT, in words.
static void
s_problem (s_verify_t *self, const char *what, const char *format, ...)
    __attribute__ ((format (printf, 3, 4)));

static void
s_problem (s_verify_t *self, const char *what, const char *format, ...)
{
    self->problem_count++;
    if (json_array_size (self->problems) >= S_PROBLEMS_MAX)
        return;
    char message [1024];
    va_list args;
    va_start (args, format);
    vsnprintf (message, sizeof message, format, args);
    va_end (args);
    json_array_append_new (self->problems, json_pack ("{s:s, s:s, s:s}", "file", self->file,
                                                      "what", what, "message", message));
}

static void
s_damage (void *arg, const char *line)
{
    s_problem (arg, "integrity", "damaged: %s", line);
}

//  Begin the checks of FILE: open it and run the integrity check.  The
//  connection, or NULL (the problem recorded).
static sqlite3 *
s_open (s_verify_t *self, const char *file, const char *group)
{
    self->current = json_pack ("{s:s}", "file", file);
    if (group)
        json_object_set_new (self->current, "group", json_string (group));
    json_array_append_new (self->databases, self->current);
    //  valid while the report holds it
    self->file = json_string_value (json_object_get (self->current, "file"));
    char path [PATH_MAX], err [512];
    snprintf (path, sizeof path, "%s/%s", self->data, file);
    sqlite3 *db = pl_backup_open (path, err, sizeof err);
    if (!db) {
        s_problem (self, "open", "%s", err);
        json_object_set_new (self->current, "integrity", json_string ("unread"));
        return NULL;
    }
    //  On a terminal, say which database is being read before the check,
    //  the longest step (a minute for a gigabyte of records), ends
    struct stat st;
    char label [PATH_MAX + 64];
    snprintf (label, sizeof label, "%s check of %s, %.1f MB", self->quick ? "quick" : "integrity",
              file, stat (path, &st) == 0 ? st.st_size / 1e6 : 0.0);
    if (!self->json)
        cli_progress (self->cli, label, 0, 1);
    int lines = pl_backup_integrity (db, self->quick, s_damage, self, err, sizeof err);
    if (!self->json)
        cli_progress (self->cli, label, 1, 1);
    if (lines < 0)
        s_problem (self, "integrity", "cannot be checked: %s", err);
    json_object_set_new (self->current, "integrity", json_string (lines == 0 ? "ok"
                                                                : lines > 0 ? "damaged"
                                                                : "unchecked"));
    return db;
}

//  Add one to the count KEY of COUNTS.
static void
s_count (json_t *counts, const char *key)
{
    json_object_set_new (counts, key,
                         json_integer (json_integer_value (json_object_get (counts, key)) + 1));
}

//  The archive's documents: each text against its SHA-256.
static int
s_document (void *arg, const archive_check_document_t *doc)
{
    s_verify_t *self = arg;
    json_t *counts = json_object_get (self->current, "documents");
    s_count (counts, "revisions");
    if (doc->matches)
        s_count (counts, "match_sha256");
    if (!doc->has_text)
        s_count (counts, "without_text");
    if (!doc->has_text && doc->recorded_bytes > 0)
        s_problem (self, "document", "document %s (%s) revision %d, released at seq %llu: "
                   "its text of %lld bytes is not stored", doc->symbol, doc->language,
                   doc->revision, (unsigned long long) doc->seq, (long long) doc->recorded_bytes);
    if (doc->matches || !doc->has_text)
        return 0;
    //  Judged against the log in step 3
    char digest [2 * sizeof doc->digest + 1];
    sodium_bin2hex (digest, sizeof digest, doc->digest, sizeof doc->digest);
    json_array_append_new (self->unmatched, json_pack ("{s:I, s:s, s:s, s:i, s:I, s:s, s:s?}",
        "seq", (json_int_t) doc->seq, "symbol", doc->symbol, "language", doc->language,
        "revision", doc->revision, "bytes", (json_int_t) doc->bytes, "digest", digest,
        "sha256", doc->sha256));
    return 0;
}

//  pl_backup_worker_fn: step 1 for one worker database.
static int
s_worker (void *arg, const char *name, const char *path)
{
    s_verify_t *self = arg;
    char file [PATH_MAX];
    snprintf (file, sizeof file, "%s/%s.db", name, name);
    sqlite3 *db = s_open (self, file, name);
    if (!db)
        return 0;
    uint64_t cursor = 0;
    if (pl_cursor_get (db, &cursor))
        s_problem (self, "cursor", "the cursor cannot be read: %s", sqlite3_errmsg (db));
    else
        json_object_set_new (self->current, "cursor", json_integer ((json_int_t) cursor));
    if (strcmp (name, "archive") == 0) {
        char err [512];
        json_object_set_new (self->current, "documents", json_pack ("{s:i, s:i, s:i, s:i}",
            "revisions", 0, "match_sha256", 0, "match_log", 0, "without_text", 0));
        if (archive_store_check_documents (db, s_document, self, err, sizeof err))
            s_problem (self, "document", "the documents cannot be read: %s", err);
    }
    sqlite3_close (db);
    return 0;
}

static int
s_gap (void *arg, uint64_t from, uint64_t to)
{
    if (from == to)
        s_problem (arg, "gap", "seq %llu is missing", (unsigned long long) from);
    else
        s_problem (arg, "gap", "seqs %llu to %llu are missing", (unsigned long long) from,
                   (unsigned long long) to);
    return 0;
}

static int
s_duplicate (void *arg, const char *event_id, uint64_t count)
{
    s_problem (arg, "duplicate", "event id %s is held by %llu events", event_id,
               (unsigned long long) count);
    return 0;
}

//  Every payload valid for its topic, as the broker checked it on the way in.
static int
s_payload (void *arg, uint64_t seq, const char *topic, const void *payload, size_t size)
{
    s_verify_t *self = arg;
    char err [PL_ERR_MAX];
    if (pl_codec_check (topic, payload ? payload : "", size, err, sizeof err))
        s_problem (self, "payload", "seq %llu: %s", (unsigned long long) seq, err);
    if (++self->events % S_PROGRESS_EVERY == 0 || self->events == self->event_count)
        cli_progress (self->cli, "payloads checked", (size_t) self->events,
                      (size_t) self->event_count);
    return 0;
}

typedef struct {
    s_verify_t *self;
    uint64_t last;
    json_t *groups;
} s_cursors_t;

static int
s_log_cursor (void *arg, const char *group, uint64_t acked_through)
{
    s_cursors_t *run = arg;
    json_object_set_new (run->groups, group, json_integer ((json_int_t) acked_through));
    if (acked_through > run->last)
        s_problem (run->self, "cursor", "the broker's cursor of group %s is at seq %llu, past "
                   "the log's last seq %llu", group, (unsigned long long) acked_through,
                   (unsigned long long) run->last);
    return 0;
}

//  Step 2: the log.  Its last seq into *LAST; the connection, kept open
//  for step 3, or NULL.
static sqlite3 *
s_log (s_verify_t *self, uint64_t *last)
{
    sqlite3 *db = s_open (self, "broker/log.db", NULL);
    if (!db)
        return NULL;
    char err [512];
    broker_check_extent_t extent;
    if (broker_store_check_extent (db, &extent, err, sizeof err)) {
        s_problem (self, "log", "the log cannot be read: %s", err);
        sqlite3_close (db);
        return NULL;
    }
    *last = extent.last;
    json_object_set_new (self->current, "events", json_integer ((json_int_t) extent.count));
    json_object_set_new (self->current, "last_seq", json_integer ((json_int_t) extent.last));
    if ((extent.first != 1 || extent.count != extent.last) && extent.count
    &&  broker_store_check_gaps (db, S_RUNS_MAX, s_gap, self, err, sizeof err))
        s_problem (self, "gap", "the gaps cannot be read: %s", err);
    if (broker_store_check_duplicates (db, S_RUNS_MAX, s_duplicate, self, err, sizeof err))
        s_problem (self, "duplicate", "the event ids cannot be read: %s", err);
    self->event_count = extent.count;
    if (broker_store_check_events (db, 1, extent.last, s_payload, self, err, sizeof err))
        s_problem (self, "payload", "the events cannot be read: %s", err);
    json_object_set_new (self->current, "payloads_checked",
                         json_integer ((json_int_t) self->events));
    s_cursors_t run = { .self = self, .last = extent.last, .groups = json_object () };
    if (broker_store_check_cursors (db, s_log_cursor, &run, err, sizeof err))
        s_problem (self, "cursor", "the groups' cursors cannot be read: %s", err);
    json_object_set_new (self->current, "groups", run.groups);
    return db;
}

//  The release at seq of an unmatched text, as the log holds it.
typedef struct {
    const json_t *doc;          //  from s_verify_t.unmatched
    int found;                  //  the log holds a release at its seq
    int same;                   //  the log released exactly the stored text, with its hash
} s_release_t;

static int
s_release (void *arg, uint64_t seq, const char *topic, const void *payload, size_t size)
{
    s_release_t *run = arg;
    char err [PL_ERR_MAX];
    json_t *event = strcmp (topic, "document.released") == 0
                  ? pl_codec_decode (topic, payload, size, err, sizeof err) : NULL;
    const char *text = json_string_value (json_object_get (event, "text"));
    const char *sha256 = json_string_value (json_object_get (event, "sha256"));
    const char *recorded = json_string_value (json_object_get (run->doc, "sha256"));
    run->found = event != NULL;
    if (text) {
        unsigned char hash [crypto_hash_sha256_BYTES];
        char digest [2 * sizeof hash + 1];
        crypto_hash_sha256 (hash, (const unsigned char *) text,
                            json_string_length (json_object_get (event, "text")));
        sodium_bin2hex (digest, sizeof digest, hash, sizeof hash);
        run->same = strcmp (digest, json_string_value (json_object_get (run->doc, "digest"))) == 0
                 && (sha256 && recorded ? strcasecmp (sha256, recorded) == 0 : sha256 == recorded);
    }
    json_decref (event);
    return 1;
}

//  Step 3: what the workers hold against the log, LOG (NULL when it could
//  not be read) up to seq LAST.
static void
s_across (s_verify_t *self, sqlite3 *log, uint64_t last)
{
    size_t index;
    json_t *database;
    json_array_foreach (self->databases, index, database) {
        json_t *cursor = json_object_get (database, "cursor");
        self->file = json_string_value (json_object_get (database, "file"));
        if (log && cursor && (uint64_t) json_integer_value (cursor) > last)
            s_problem (self, "cursor", "the cursor is at seq %lld, past the log's last seq %llu: "
                       "this database holds events the log does not",
                       (long long) json_integer_value (cursor), (unsigned long long) last);
        json_t *counts = json_object_get (database, "documents");
        if (!counts)
            continue;
        json_t *doc;
        size_t i;
        json_array_foreach (self->unmatched, i, doc) {
            s_release_t run = { .doc = doc };
            uint64_t seq = (uint64_t) json_integer_value (json_object_get (doc, "seq"));
            char err [512];
            if (log && broker_store_check_events (log, seq, seq, s_release, &run,
                                                  err, sizeof err) == 0 && run.same) {
                s_count (counts, "match_log");
                continue;
            }
            const char *sha256 = json_string_value (json_object_get (doc, "sha256"));
            char against [64] = "has no SHA-256 recorded";
            if (sha256)
                snprintf (against, sizeof against, "does not match its SHA-256 %.12s...", sha256);
            s_problem (self, "document", "document %s (%s) revision %lld, released at seq "
                       "%llu: the stored text (%lld bytes) %s, %s",
                       json_string_value (json_object_get (doc, "symbol")),
                       json_string_value (json_object_get (doc, "language")),
                       json_integer_value (json_object_get (doc, "revision")),
                       (unsigned long long) seq,
                       json_integer_value (json_object_get (doc, "bytes")), against,
                       !log ? "and the log cannot be read to compare it with the release"
                       : run.found ? "nor is it the text the log released"
                       : "and the log holds no release at that seq");
        }
    }
}

//  The human report: one line per database, then the problems.
static void
s_print (s_verify_t *self)
{
    size_t index;
    json_t *database;
    json_array_foreach (self->databases, index, database) {
        cli_print ("%s: integrity %s", json_string_value (json_object_get (database, "file")),
                   json_string_value (json_object_get (database, "integrity")));
        if (json_object_get (database, "cursor"))
            cli_print (", cursor at seq %lld",
                       json_integer_value (json_object_get (database, "cursor")));
        json_t *counts = json_object_get (database, "documents");
        if (counts) {
            //  How each revision was found whole, the kinds that occur
            static const struct { const char *key, *words; } kinds [] = {
                { "match_sha256", "match their SHA-256" },
                { "match_log",    "are the text the log released (the SHA-256 recorded is"
                                  " the released file's)" },
                { "without_text", "have no text" },
            };
            cli_print (", %lld document revisions",
                       json_integer_value (json_object_get (counts, "revisions")));
            const char *separator = ": ";
            for (size_t i = 0; i < sizeof kinds / sizeof kinds [0]; i++) {
                json_int_t count = json_integer_value (json_object_get (counts, kinds [i].key));
                if (count) {
                    cli_print ("%s%lld %s", separator, (long long) count, kinds [i].words);
                    separator = ", ";
                }
            }
        }
        if (json_object_get (database, "events"))
            cli_print (", %lld events, last seq %lld, %lld payloads checked",
                       json_integer_value (json_object_get (database, "events")),
                       json_integer_value (json_object_get (database, "last_seq")),
                       json_integer_value (json_object_get (database, "payloads_checked")));
        cli_print ("\n");
    }
    json_t *problem;
    json_array_foreach (self->problems, index, problem)
        cli_print ("%s: %s\n", json_string_value (json_object_get (problem, "file")),
                   json_string_value (json_object_get (problem, "message")));
    if (self->problem_count > json_array_size (self->problems))
        cli_print ("... and %zu more problems (only the first %d are listed)\n",
                   self->problem_count - json_array_size (self->problems), S_PROBLEMS_MAX);
    if (self->problem_count)
        cli_print ("verify: %zu problem%s in %s\n", self->problem_count,
                   self->problem_count == 1 ? "" : "s", self->data);
    else
        cli_print ("verify: all is well in %s\n", self->data);
}

int
cli_verify (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_verify_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_verify_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    s_verify_t self = {
        .cli = cli,
        .data = cli_value (&args, "data") ? cli_value (&args, "data") : cli->config.data,
        .quick = cli_value (&args, "quick") != NULL, .json = cli_value (&args, "json") != NULL,
        .databases = json_array (), .problems = json_array (), .unmatched = json_array (),
        .file = "",
    };
    //  Readers of a WAL database make its -shm when missing: private too
    pl_fs_private ();
    char err [512];
    if (pl_backup_workers (self.data, s_worker, &self, err, sizeof err)) {
        self.file = self.data;
        s_problem (&self, "open", "%s", err);
    }
    uint64_t last = 0;
    sqlite3 *log = s_log (&self, &last);
    s_across (&self, log, last);
    sqlite3_close (log);
    json_t *report = json_pack ("{s:s, s:b, s:I, s:O, s:O}", "data", self.data,
                                "ok", self.problem_count == 0,
                                "problem_count", (json_int_t) self.problem_count,
                                "problems", self.problems, "databases", self.databases);
    if (self.json)
        cli_json (report);
    else
        s_print (&self);
    rc = self.problem_count ? CLI_FAILED : CLI_OK;
    json_decref (report);
    json_decref (self.databases);
    json_decref (self.problems);
    json_decref (self.unmatched);
    return rc;
}

/*  archive_store — the archive worker's SQLite database: the database,
    its migrations, transactions and the writes of events (the reads are
    archive_store_read.c's, a search with words archive_find.c's).

    Durability as in records_store: the broker's log is the system of
    record, so WAL with synchronous=NORMAL; each batch is one transaction
    holding the items, their index entries and the cursor advance
    (pl_cursor), so a crash never applies an event twice or loses one.

    The FTS5 table item_fts has external content (the view item_text over
    item): the text lives once, in item.body, as released, and snippet()
    reads it from there.  The price is that the index must be kept in step
    by hand: an item enters it when added, and leaves it (the 'delete'
    command with the very values it was indexed with) when a newer
    revision of the same key replaces it, when its title changes (it
    enters again with the new one) or when it is withdrawn
    (archive_distribution.c, which then indexes the newest revision that
    stands).

    The statements of writes are prepared when the store opens, from the
    table s_sql; the other files' on first use (archive_store_stmt);
    migrations are the table s_migrations (PRAGMA user_version). */
#include "archive_store_internal.h"
#include "archive_distribution.h"
#include "archive_find.h"
#include "archive_rank.h"
#include "archive_tokenizer.h"
#include "pl_cursor.h"
#include "pl_log.h"
#include "pl_stmts.h"
#include "pl_store.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Page cache (negative: KiB) and memory map: the index is read at random
//  by every query, and the kernel's page cache through pread was the
//  largest cost of a search in the bench.
#define ARCHIVE_CACHE_KIB       -65536
#define ARCHIVE_MMAP_BYTES      1073741824
//  Segments of a level FTS5 merges at once (its default 4): see schema 4.
#define ARCHIVE_AUTOMERGE       8
#define S_STR_(x) #x
#define S_STR(x) S_STR_(x)

//  The archive emptied, so that a replay from seq 0 rebuilds it; the
//  outcomes' links then get the family (base) of each symbol they cite.
static const char *s_empty_archive =
    "INSERT INTO item_fts (item_fts) VALUES ('delete-all');"
    "DROP TABLE outcome_document;"
    "DELETE FROM document;"
    "DELETE FROM item;"
    "DELETE FROM meeting;"
    "DELETE FROM pl_rejected;"
    "UPDATE pl_cursor SET seq = 0;"
    "CREATE TABLE outcome_document ("
    "  symbol  TEXT NOT NULL,"
    "  base    TEXT NOT NULL,"                 //  the symbol's family
    "  outcome INTEGER NOT NULL REFERENCES item (id),"
    "  PRIMARY KEY (symbol, outcome));"
    "CREATE INDEX outcome_document_by_base ON outcome_document (base);"
    "CREATE INDEX outcome_document_by_outcome ON outcome_document (outcome);";

//  pl_migration_t.hook: empty the archive, and say so when it held anything.
static int
s_replay_from_zero (sqlite3 *db)
{
    uint64_t cursor = 0;
    if (pl_cursor_get (db, &cursor)
    ||  pl_store_exec (db, "archive", s_empty_archive, "empty the archive"))
        return -1;
    if (cursor > 0)
        pl_warn ("archive: the archive now follows records' verdicts on meetings and statements "
                 "and refuses references to what does not exist: its database (built to seq "
                 "%llu under the old rules) is emptied and the log is replayed from seq 0 db=%s",
                 (unsigned long long) cursor, sqlite3_db_filename (db, "main"));
    return 0;
}

//  The archive emptied again for schema 3 (its new tables too).
static const char *s_empty_distribution =
    "INSERT INTO item_fts (item_fts) VALUES ('delete-all');"
    "DELETE FROM outcome_document;"
    "DELETE FROM document;"
    "DELETE FROM item;"
    "DELETE FROM meeting;"
    "DELETE FROM family;"
    "DELETE FROM declassification;"
    "DELETE FROM pl_rejected;"
    "UPDATE pl_cursor SET seq = 0;";

//  pl_migration_t.hook of schema 3: empty the archive, and say so when it
//  held anything.
static int
s_replay_distribution (sqlite3 *db)
{
    uint64_t cursor = 0;
    if (pl_cursor_get (db, &cursor)
    ||  pl_store_exec (db, "archive", s_empty_distribution, "empty the archive"))
        return -1;
    if (cursor > 0)
        pl_warn ("archive: a document's distribution in force is now its family's, and "
                 "revisions can be withdrawn: the database (built to seq %llu) is emptied and "
                 "the log is replayed from seq 0 db=%s", (unsigned long long) cursor,
                 sqlite3_db_filename (db, "main"));
    return 0;
}

//  The archive emptied for schema 4 (its index made anew: no delete-all).
static const char *s_empty_word_forms =
    "DELETE FROM document_change;"
    "DELETE FROM outcome_document;"
    "DELETE FROM document;"
    "DELETE FROM item;"
    "DELETE FROM meeting;"
    "DELETE FROM family;"
    "DELETE FROM declassification;"
    "DELETE FROM pl_rejected;"
    "UPDATE pl_cursor SET seq = 0;";

//  pl_migration_t.hook of schema 4: empty the archive, and say so when it
//  held anything.
static int
s_replay_word_forms (sqlite3 *db)
{
    uint64_t cursor = 0;
    if (pl_cursor_get (db, &cursor)
    ||  pl_store_exec (db, "archive", s_empty_word_forms, "empty the archive"))
        return -1;
    if (cursor > 0)
        pl_warn ("archive: the index now holds word forms, and a revision is a change of text: "
                 "the database (built to seq %llu) is emptied and the log is replayed from seq 0 "
                 "db=%s", (unsigned long long) cursor, sqlite3_db_filename (db, "main"));
    return 0;
}

//  Schema versions; entry N takes user_version N to N+1 (pl_store).
static const pl_migration_t s_migrations [] = {
    //  1: items, documents, outcome links, meetings, the index
    { "CREATE TABLE meeting ("
    "  id         TEXT PRIMARY KEY,"
    "  convention TEXT NOT NULL);"
    "CREATE TABLE item ("
    "  id           INTEGER PRIMARY KEY,"
    "  seq          INTEGER NOT NULL,"
    "  kind         TEXT NOT NULL,"
    "  key          TEXT NOT NULL,"
    "  symbol       TEXT,"
    "  language     TEXT,"
    "  title        TEXT NOT NULL,"
    "  meeting      TEXT,"
    "  convention   TEXT,"
    "  agenda_item  TEXT,"
    "  date         TEXT,"
    "  distribution TEXT NOT NULL,"
    "  level        INTEGER NOT NULL,"
    "  delegation   TEXT,"
    "  outcome_kind TEXT,"
    "  revision     INTEGER,"
    "  current      INTEGER NOT NULL,"
    "  body         TEXT);"
    "CREATE UNIQUE INDEX item_by_key ON item (key, revision);"
    "CREATE INDEX item_by_symbol ON item (symbol);"
    "CREATE INDEX item_by_meeting ON item (meeting);"
    "CREATE INDEX item_by_date ON item (current, date);"
    "CREATE TABLE document ("
    "  item              INTEGER PRIMARY KEY REFERENCES item (id),"
    "  symbol            TEXT NOT NULL,"
    "  base              TEXT NOT NULL,"
    "  suffixes          TEXT,"
    "  language          TEXT NOT NULL,"
    "  status            TEXT,"
    "  dated             TEXT,"
    "  released          TEXT NOT NULL,"
    "  original_language TEXT,"
    "  job_number        TEXT,"
    "  sha256            TEXT,"
    "  hash              BLOB NOT NULL,"
    "  bytes             INTEGER NOT NULL);"
    "CREATE INDEX document_by_symbol ON document (symbol, language);"
    "CREATE TABLE outcome_document ("
    "  symbol  TEXT NOT NULL,"
    "  outcome INTEGER NOT NULL REFERENCES item (id),"
    "  PRIMARY KEY (symbol, outcome));"
    "CREATE VIRTUAL TABLE item_fts USING fts5 ("
    "  title, body, content = 'item', content_rowid = 'id',"
    "  tokenize = '" ARCHIVE_TOKENIZER_NAME "');", NULL },

    //  2: meetings and statements follow records' verdicts, releases and
    //  outcomes refer only to what exists, an outcome is found by each
    //  document it cites (outcome_document.base): an archive built under
    //  version 1 may hold what records refused or what refers to nothing,
    //  so it is emptied and the log replayed from seq 0.
    { NULL, s_replay_from_zero },

    //  3: distribution through time (docs/SECURITY.md, "Distribution of
    //  documents"): the distribution in force of each family (a document's
    //  items carry it), declassifications, withdrawn revisions, the
    //  families of statements' documents and the order of an outcome's
    //  documents.  The levels in force come from every release of a family
    //  in log order, which only a replay gives: emptied, replayed from 0.
    { "ALTER TABLE item ADD COLUMN family TEXT;"
    "CREATE INDEX item_by_family ON item (family);"
    "ALTER TABLE document ADD COLUMN released_as TEXT NOT NULL DEFAULT 'general';"
    "ALTER TABLE document ADD COLUMN withdrawn_seq INTEGER;"
    "ALTER TABLE document ADD COLUMN withdrawn_at TEXT;"
    "ALTER TABLE document ADD COLUMN withdrawn_by TEXT;"
    "ALTER TABLE document ADD COLUMN withdrawn_reason TEXT;"
    "ALTER TABLE outcome_document ADD COLUMN position INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE family ("
    "  base  TEXT PRIMARY KEY,"
    "  level INTEGER NOT NULL);"
    "CREATE TABLE declassification ("
    "  seq          INTEGER PRIMARY KEY,"
    "  base         TEXT NOT NULL,"
    "  distribution TEXT NOT NULL,"
    "  at           TEXT NOT NULL,"
    "  by           TEXT NOT NULL,"
    "  reason       TEXT NOT NULL);"
    "CREATE INDEX declassification_by_base ON declassification (base, seq);",
      s_replay_distribution },

    //  4: word forms (issue 12): the index holds each word's exact form and
    //  its stem, by the stemmer of the item's language, which the tokenizer
    //  reads from the index's first column (lang, from the view item_text);
    //  a document's text is its released bytes, with their SHA-256 and the
    //  hash of another file (the PDF) apart; metadata changes of a revision
    //  (title, distribution...) are recorded, no longer revisions.  What
    //  makes a revision changed, and the index with it: replayed from 0.
    { "DROP TABLE item_fts;"
    "CREATE VIEW item_text (id, lang, title, body) AS SELECT " ARCHIVE_STORE_INDEXED
    "  FROM item;"
    "CREATE VIRTUAL TABLE item_fts USING fts5 ("
    "  lang, title, body, content = 'item_text', content_rowid = 'id',"
    "  tokenize = '" ARCHIVE_TOKENIZER_NAME "');"
    //  stems double the tokens a text gives: merging segments eight at a
    //  time (FTS5's default is four) keeps ingest at its pace
    "INSERT INTO item_fts (item_fts, rank) VALUES ('automerge', " S_STR (ARCHIVE_AUTOMERGE) ");"
    "ALTER TABLE document ADD COLUMN file_sha256 TEXT;"
    "CREATE INDEX document_by_base ON document (base);"
    "CREATE TABLE document_change ("
    "  seq     INTEGER PRIMARY KEY,"
    "  item    INTEGER NOT NULL REFERENCES item (id),"
    "  at      TEXT NOT NULL,"
    "  changes TEXT NOT NULL);"                  //  {"field": [before, after], ...}
    "CREATE INDEX document_change_by_item ON document_change (item, seq);",
      s_replay_word_forms },
};
#define S_MIGRATIONS (sizeof s_migrations / sizeof s_migrations [0])

//  Look-ups by key name their index: without statistics the planner took
//  item_by_date for "current = 1" and scanned every current item per event.
typedef enum {
    S_MEETING_ADD, S_MEETING_ITEMS, S_MEETING_CONVENTION, S_DOCUMENT_EXISTS,
    S_DOCUMENT_CURRENT, S_DOCUMENT_LAST, S_ITEM_UNINDEX, S_ITEM_RETIRE, S_ITEM_INSERT,
    S_ITEM_INDEX, S_DOCUMENT_INSERT, S_ITEM_EXISTS, S_OUTCOME_LINK,
    S_METADATA, S_UNINDEX_ID, S_ITEM_CHANGE, S_DOCUMENT_CHANGE, S_CHANGE_LOG,
    S_ITEM_UNPEND, S_UNPEND_ID, S_INDEX_FLUSH, S_INDEX_CLEAR,
    S_COUNT
} s_stmt_t;

static const char *s_sql [S_COUNT] = {
    [S_MEETING_ADD] = "INSERT OR IGNORE INTO meeting (id, convention) VALUES (?1, ?2)",
    [S_MEETING_ITEMS] =
        "UPDATE item SET convention = ?2 WHERE meeting = ?1 AND convention IS NULL",
    [S_MEETING_CONVENTION] = "SELECT convention FROM meeting WHERE id = ?1",
    [S_DOCUMENT_EXISTS] = "SELECT 1 FROM document WHERE symbol = ?1 LIMIT 1",
    [S_DOCUMENT_CURRENT] =
        "SELECT i.revision, d.hash FROM item i INDEXED BY item_by_key"
        " JOIN document d ON d.item = i.id WHERE i.key = ?1 AND i.current = 1",
    [S_DOCUMENT_LAST] =
        "SELECT coalesce (max (revision), 0) FROM item INDEXED BY item_by_key WHERE key = ?1",
    [S_ITEM_UNINDEX] =
        "INSERT INTO item_fts (item_fts, rowid, lang, title, body)"
        " SELECT 'delete', " ARCHIVE_STORE_INDEXED " FROM item INDEXED BY item_by_key"
        " WHERE key = ?1 AND current = 1 AND " ARCHIVE_STORE_INDEXED_ONLY,
    [S_ITEM_UNPEND] =
        "DELETE FROM " ARCHIVE_STORE_PENDING " WHERE id IN (SELECT id FROM item"
        " INDEXED BY item_by_key WHERE key = ?1 AND current = 1)",
    [S_ITEM_RETIRE] = "UPDATE item INDEXED BY item_by_key SET current = 0"
        " WHERE key = ?1 AND current = 1",
    [S_ITEM_INSERT] =
        "INSERT INTO item (seq, kind, key, symbol, language, title, meeting, convention,"
        " agenda_item, date, distribution, level, delegation, outcome_kind, revision,"
        " current, body, family)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
        "  coalesce ((SELECT convention FROM meeting WHERE id = ?7), ?8),"
        "  ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1, ?16, ?17)",
    [S_ITEM_INDEX] = "INSERT OR IGNORE INTO " ARCHIVE_STORE_PENDING " (id) VALUES (?1)",
    [S_INDEX_FLUSH] =
        "INSERT INTO item_fts (rowid, lang, title, body) SELECT " ARCHIVE_STORE_INDEXED
        " FROM item WHERE id IN (SELECT id FROM " ARCHIVE_STORE_PENDING ") ORDER BY id",
    [S_INDEX_CLEAR] = "DELETE FROM " ARCHIVE_STORE_PENDING,
    [S_DOCUMENT_INSERT] =
        "INSERT INTO document (item, symbol, base, suffixes, language, status, dated,"
        " released, original_language, job_number, sha256, hash, bytes, released_as,"
        " file_sha256)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    [S_ITEM_EXISTS] = "SELECT 1 FROM item INDEXED BY item_by_key WHERE key = ?1",
    [S_OUTCOME_LINK] =
        "INSERT OR IGNORE INTO outcome_document (symbol, base, outcome, position)"
        " VALUES (?1, ?2, ?3, ?4)",
    //  The metadata of the current revision of ?1, as archive_store_
    //  document_metadata names them
    [S_METADATA] =
        "SELECT i.id, json_object ('title', i.title, 'meeting', i.meeting, 'agenda_item',"
        " i.agenda_item, 'distribution', d.released_as, 'status', d.status, 'dated', d.dated,"
        " 'original_language', d.original_language, 'job_number', d.job_number,"
        " 'file_sha256', d.file_sha256, 'released', d.released)"
        " FROM item i INDEXED BY item_by_key JOIN document d ON d.item = i.id"
        " WHERE i.key = ?1 AND i.current = 1",
    [S_UNINDEX_ID] =
        "INSERT INTO item_fts (item_fts, rowid, lang, title, body)"
        " SELECT 'delete', " ARCHIVE_STORE_INDEXED " FROM item WHERE id = ?1"
        " AND " ARCHIVE_STORE_INDEXED_ONLY,
    [S_UNPEND_ID] = "DELETE FROM " ARCHIVE_STORE_PENDING " WHERE id = ?1",
    [S_ITEM_CHANGE] =
        "UPDATE item SET title = ?2, meeting = ?3, agenda_item = ?4, date = ?5,"
        " convention = coalesce ((SELECT convention FROM meeting WHERE id = ?3), ?6)"
        " WHERE id = ?1",
    [S_DOCUMENT_CHANGE] =
        "UPDATE document SET released_as = ?2, status = ?3, dated = ?4,"
        " original_language = ?5, job_number = ?6, file_sha256 = ?7 WHERE item = ?1",
    [S_CHANGE_LOG] =
        "INSERT INTO document_change (seq, item, at, changes) VALUES (?1, ?2, ?3, ?4)",
};

//  Statements of the store's other files, prepared on first use
//  (archive_store_stmt): room for each, with margin.
#define S_CACHE_MAX 32

struct _archive_store_t {
    sqlite3 *db;
    char *path;
    pl_txn_t *txn;                  //  the batch's transaction
    sqlite3_stmt *stmt [S_COUNT];
    pl_stmts_t *stmts;              //  archive_store_stmt's, by the address of their SQL
    archive_rank_t *rank;           //  the items' lengths, levels and columns
    archive_find_t *find;           //  searches with words
    archive_distribution_t *distribution;   //  families, declassifications, withdrawals
    int64_t rank_committed;         //  its last entry when the batch began
    int64_t last_item;              //  rowid of the last item added
};

archive_store_t *
archive_store_new (const char *path)
{
    archive_store_t *self = calloc (1, sizeof *self);
    if (!self || !(self->path = strdup (path)) || !(self->rank = archive_rank_new ())) {
        if (self)
            free (self->path);
        free (self);
        pl_error ("archive: out of memory opening db=%s", path);
        return NULL;
    }
    self->db = pl_store_open (path, "archive");
    if (!self->db)
        goto err;
    //  Before the migrations: item_fts names the tokenizer
    if (archive_tokenizer_register (self->db)) {
        pl_error ("archive: this SQLite has no FTS5 db=%s", path);
        goto err;
    }
    if (pl_store_exec (self->db, "archive", "PRAGMA cache_size = " S_STR (ARCHIVE_CACHE_KIB) ";"
                       "PRAGMA mmap_size = " S_STR (ARCHIVE_MMAP_BYTES), "set pragmas")
    ||  pl_cursor_init (self->db)
    ||  pl_store_migrate (self->db, "archive", s_migrations, S_MIGRATIONS)
    ||  pl_store_exec (self->db, "archive", "PRAGMA temp_store = MEMORY;"
                       "CREATE TEMP TABLE index_pending (id INTEGER PRIMARY KEY)",
                       "create the index's pending table"))
        goto err;
    for (int i = 0; i < S_COUNT; i++)
        if (sqlite3_prepare_v3 (self->db, s_sql [i], -1, SQLITE_PREPARE_PERSISTENT,
                                &self->stmt [i], NULL) != SQLITE_OK) {
            pl_error ("archive: cannot prepare statement %d db=%s cause=%s", i, path,
                      sqlite3_errmsg (self->db));
            goto err;
        }
    if (!(self->txn = pl_txn_new (self->db, "archive", 0))
    ||  !(self->stmts = pl_stmts_new (self->db, "archive", S_CACHE_MAX))
    ||  !(self->find = archive_find_new (self->db, self->path, self->rank))
    ||  !(self->distribution = archive_distribution_new (self->db, self->path, self->rank)))
        goto err;
    return self;
err:
    archive_store_destroy (&self);
    return NULL;
}

void
archive_store_parallel (archive_store_t *self, int64_t min_items)
{
    archive_find_parallel (self->find, min_items);
}

archive_distribution_t *
archive_store_distribution (archive_store_t *self)
{
    return self->distribution;
}

void
archive_store_forget_counts (archive_store_t *self)
{
    archive_rank_forget_counts (self->rank);
}

void
archive_store_destroy (archive_store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    archive_store_t *self = *self_p;
    archive_find_destroy (&self->find);
    archive_distribution_destroy (&self->distribution);
    pl_txn_destroy (&self->txn);
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize (self->stmt [i]);
    pl_stmts_destroy (&self->stmts);
    if (self->db && sqlite3_close (self->db) != SQLITE_OK)
        pl_error ("archive: cannot close db=%s cause=%s", self->path,
                  sqlite3_errmsg (self->db));
    archive_rank_destroy (&self->rank);
    free (self->path);
    free (self);
    *self_p = NULL;
}

void
archive_store_bind_text (sqlite3_stmt *stmt, int index, const char *text)
{
    if (text)
        sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null (stmt, index);
}

#define s_bind_text archive_store_bind_text

sqlite3_stmt *
archive_store_stmt (archive_store_t *self, const char *sql)
{
    return pl_stmts_get (self->stmts, sql);
}

int
archive_store_done (archive_store_t *self, sqlite3_stmt *stmt, int rc)
{
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        pl_error ("archive: statement failed db=%s cause=%s sql=%.60s", self->path,
                  sqlite3_errmsg (self->db), sqlite3_sql (stmt));
    sqlite3_reset (stmt);
    sqlite3_clear_bindings (stmt);
    return rc;
}

const char *
archive_store_path (archive_store_t *self)
{
    return self->path;
}

archive_find_t *
archive_store_find (archive_store_t *self)
{
    return self->find;
}

void
archive_store_forget_rank (archive_store_t *self)
{
    archive_rank_forget (self->rank, 0);
    self->rank_committed = 0;
}

//  Finish using statement WHICH after a step that returned RC; log unless
//  RC is one of the expected codes.  Returns RC.
static int
s_done (archive_store_t *self, s_stmt_t which, int rc)
{
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        pl_error ("archive: statement %d failed db=%s cause=%s", (int) which, self->path,
                  sqlite3_errmsg (self->db));
    sqlite3_reset (self->stmt [which]);
    sqlite3_clear_bindings (self->stmt [which]);
    return rc;
}

static int
s_run (archive_store_t *self, s_stmt_t which)
{
    return s_done (self, which, sqlite3_step (self->stmt [which])) == SQLITE_DONE ? 0 : -1;
}

pl_txn_t *
archive_store_txn (archive_store_t *self)
{
    return self->txn;
}

int
archive_store_index_flush (archive_store_t *self)
{
    //  the batch's items enter the index in one statement (ARCHIVE_STORE_PENDING)
    return s_run (self, S_INDEX_FLUSH) || s_run (self, S_INDEX_CLEAR) ? -1 : 0;
}

void
archive_store_on_txn (archive_store_t *self, pl_txn_op_t op)
{
    if (op == PL_TXN_BEGIN)
        self->rank_committed = archive_rank_last (self->rank);
    else
        //  (a savepoint's start is not known: an undo forgets the whole batch's)
        archive_rank_forget (self->rank, self->rank_committed);
}

int
archive_store_meeting (archive_store_t *self, const char *id, const char *convention)
{
    s_bind_text (self->stmt [S_MEETING_ADD], 1, id);
    s_bind_text (self->stmt [S_MEETING_ADD], 2, convention);
    if (s_run (self, S_MEETING_ADD))
        return -1;
    //  the convention of the first schedule, which INSERT OR IGNORE kept
    sqlite3_stmt *stmt = self->stmt [S_MEETING_CONVENTION];
    s_bind_text (stmt, 1, id);
    int rc = sqlite3_step (stmt);
    char kept [32] = "";
    if (rc == SQLITE_ROW)
        snprintf (kept, sizeof kept, "%s", (const char *) sqlite3_column_text (stmt, 0));
    if (s_done (self, S_MEETING_CONVENTION, rc) != SQLITE_ROW)
        return -1;
    s_bind_text (self->stmt [S_MEETING_ITEMS], 1, id);
    s_bind_text (self->stmt [S_MEETING_ITEMS], 2, kept);
    if (s_run (self, S_MEETING_ITEMS))
        return -1;
    //  Earlier items of the meeting got its convention: the rank table's
    //  copy is stale.  Rare (items before their meeting's schedule), so
    //  forget it all, and let a rollback forget it all too.
    if (sqlite3_changes (self->db) > 0) {
        archive_rank_forget (self->rank, 0);
        self->rank_committed = 0;
    }
    return 0;
}

int
archive_store_meeting_exists (archive_store_t *self, const char *id)
{
    s_bind_text (self->stmt [S_MEETING_CONVENTION], 1, id);
    int rc = s_done (self, S_MEETING_CONVENTION, sqlite3_step (self->stmt [S_MEETING_CONVENTION]));
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
archive_store_document_exists (archive_store_t *self, const char *symbol)
{
    s_bind_text (self->stmt [S_DOCUMENT_EXISTS], 1, symbol);
    int rc = s_done (self, S_DOCUMENT_EXISTS, sqlite3_step (self->stmt [S_DOCUMENT_EXISTS]));
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
archive_store_document_current (archive_store_t *self, const char *key, int *revision,
                                unsigned char *hash)
{
    sqlite3_stmt *stmt = self->stmt [S_DOCUMENT_CURRENT];
    s_bind_text (stmt, 1, key);
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW) {
        *revision = sqlite3_column_int (stmt, 0);
        memset (hash, 0, 32);
        if (sqlite3_column_bytes (stmt, 1) == 32)
            memcpy (hash, sqlite3_column_blob (stmt, 1), 32);
    }
    rc = s_done (self, S_DOCUMENT_CURRENT, rc);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
archive_store_item_add (archive_store_t *self, const archive_item_t *item,
                        const archive_document_t *document)
{
    //  the index changes: the phrase counts of earlier searches no longer hold
    archive_rank_forget_counts (self->rank);
    //  the revision it replaces leaves the index, with the values it entered with
    s_bind_text (self->stmt [S_ITEM_UNINDEX], 1, item->key);
    s_bind_text (self->stmt [S_ITEM_UNPEND], 1, item->key);
    s_bind_text (self->stmt [S_ITEM_RETIRE], 1, item->key);
    if (s_run (self, S_ITEM_UNINDEX) || s_run (self, S_ITEM_UNPEND)
    ||  s_run (self, S_ITEM_RETIRE))
        return -1;
    sqlite3_stmt *stmt = self->stmt [S_ITEM_INSERT];
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) item->seq);
    const char *texts [] = {
        item->kind, item->key, item->symbol, item->language, item->title, item->meeting,
        item->convention, item->agenda_item, item->date,
        item->distribution ? item->distribution : "general"
    };
    for (int i = 0; i < (int) (sizeof texts / sizeof texts [0]); i++)
        s_bind_text (stmt, 2 + i, texts [i]);
    int level = pl_distribution_level (item->distribution);
    sqlite3_bind_int (stmt, 12, level < 0 ? PL_GENERAL : level);
    s_bind_text (stmt, 13, item->delegation);
    s_bind_text (stmt, 14, item->outcome_kind);
    if (item->revision)
        sqlite3_bind_int (stmt, 15, item->revision);
    s_bind_text (stmt, 16, item->body);
    s_bind_text (stmt, 17, item->family);
    if (s_run (self, S_ITEM_INSERT))
        return -1;
    self->last_item = sqlite3_last_insert_rowid (self->db);
    stmt = self->stmt [S_ITEM_INDEX];
    sqlite3_bind_int64 (stmt, 1, self->last_item);
    if (s_run (self, S_ITEM_INDEX))
        return -1;
    if (!document)
        return 0;
    stmt = self->stmt [S_DOCUMENT_INSERT];
    sqlite3_bind_int64 (stmt, 1, self->last_item);
    const char *columns [] = {
        document->symbol, document->base, *document->suffixes ? document->suffixes : NULL,
        document->language, document->status, document->dated, document->released,
        document->original_language, document->job_number, document->sha256
    };
    for (int i = 0; i < (int) (sizeof columns / sizeof columns [0]); i++)
        s_bind_text (stmt, 2 + i, columns [i]);
    sqlite3_bind_blob (stmt, 12, document->hash, 32, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 13, document->bytes);
    s_bind_text (stmt, 14, document->released_as ? document->released_as : "general");
    s_bind_text (stmt, 15, document->file_sha256);
    return s_run (self, S_DOCUMENT_INSERT);
}

int
archive_store_document_metadata (archive_store_t *self, const char *key, int64_t *item,
                                 json_t **fields_p)
{
    sqlite3_stmt *stmt = self->stmt [S_METADATA];
    s_bind_text (stmt, 1, key);
    int rc = sqlite3_step (stmt);
    *fields_p = NULL;
    if (rc == SQLITE_ROW) {
        *item = sqlite3_column_int64 (stmt, 0);
        if (!(*fields_p = json_loads ((const char *) sqlite3_column_text (stmt, 1), 0, NULL))) {
            pl_error ("archive: out of memory reading metadata db=%s", self->path);
            rc = SQLITE_NOMEM;
        }
    }
    rc = s_done (self, S_METADATA, rc);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

//  Bind field NAME of OBJECT (a string, or NULL) to INDEX of STMT.
static void
s_bind_field (sqlite3_stmt *stmt, int index, const json_t *object, const char *name)
{
    s_bind_text (stmt, index, json_string_value (json_object_get (object, name)));
}

int
archive_store_document_change (archive_store_t *self, int64_t item, uint64_t seq,
                               const char *at, const char *date, const char *convention,
                               const json_t *after, const json_t *changes)
{
    //  a new title is indexed: out with the old values, in with the new
    int title = json_object_get (changes, "title") != NULL;
    if (title) {
        sqlite3_bind_int64 (self->stmt [S_UNINDEX_ID], 1, item);
        sqlite3_bind_int64 (self->stmt [S_UNPEND_ID], 1, item);
        if (s_run (self, S_UNINDEX_ID) || s_run (self, S_UNPEND_ID))
            return -1;
    }
    sqlite3_stmt *stmt = self->stmt [S_ITEM_CHANGE];
    sqlite3_bind_int64 (stmt, 1, item);
    s_bind_field (stmt, 2, after, "title");
    s_bind_field (stmt, 3, after, "meeting");
    s_bind_field (stmt, 4, after, "agenda_item");
    s_bind_text (stmt, 5, date);
    s_bind_text (stmt, 6, convention);
    if (s_run (self, S_ITEM_CHANGE))
        return -1;
    stmt = self->stmt [S_DOCUMENT_CHANGE];
    sqlite3_bind_int64 (stmt, 1, item);
    static const char *fields [] = {
        "distribution", "status", "dated", "original_language", "job_number", "file_sha256"
    };
    for (int i = 0; i < 6; i++)
        s_bind_field (stmt, 2 + i, after, fields [i]);
    if (s_run (self, S_DOCUMENT_CHANGE))
        return -1;
    if (title) {
        sqlite3_bind_int64 (self->stmt [S_ITEM_INDEX], 1, item);
        if (s_run (self, S_ITEM_INDEX))
            return -1;
        archive_rank_forget_counts (self->rank);
    }
    char *text = json_dumps (changes, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text) {
        pl_error ("archive: out of memory recording a change db=%s", self->path);
        return -1;
    }
    stmt = self->stmt [S_CHANGE_LOG];
    sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) seq);
    sqlite3_bind_int64 (stmt, 2, item);
    s_bind_text (stmt, 3, at);
    sqlite3_bind_text (stmt, 4, text, -1, free);
    if (s_run (self, S_CHANGE_LOG))
        return -1;
    //  the item's columns the rank table copies (meeting, convention, date,
    //  and its length in tokens with a new title): rare, so forget it all
    archive_store_forget_rank (self);
    return 0;
}

int
archive_store_item_exists (archive_store_t *self, const char *key)
{
    s_bind_text (self->stmt [S_ITEM_EXISTS], 1, key);
    int rc = s_done (self, S_ITEM_EXISTS, sqlite3_step (self->stmt [S_ITEM_EXISTS]));
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
archive_store_outcome_link (archive_store_t *self, const char *symbol, const char *base,
                            int position)
{
    s_bind_text (self->stmt [S_OUTCOME_LINK], 1, symbol);
    s_bind_text (self->stmt [S_OUTCOME_LINK], 2, base);
    sqlite3_bind_int64 (self->stmt [S_OUTCOME_LINK], 3, self->last_item);
    sqlite3_bind_int (self->stmt [S_OUTCOME_LINK], 4, position);
    return s_run (self, S_OUTCOME_LINK);
}

//  Step statement WHICH (bound) for one integer: 1 and *VALUE on a row, 0
//  none, -1 (logged).
static int
s_integer (archive_store_t *self, s_stmt_t which, int64_t *value)
{
    sqlite3_stmt *stmt = self->stmt [which];
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
        *value = sqlite3_column_int64 (stmt, 0);
    rc = s_done (self, which, rc);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
archive_store_document_last (archive_store_t *self, const char *key, int *last)
{
    int64_t value = 0;
    s_bind_text (self->stmt [S_DOCUMENT_LAST], 1, key);
    int found = s_integer (self, S_DOCUMENT_LAST, &value);
    *last = (int) value;
    return found < 0 ? -1 : 0;
}


int
archive_store_version (void)
{
    return (int) S_MIGRATIONS;
}

/*  archive_store — the archive worker's SQLite database and all of its SQL.

    Durability as in records_store: the broker's log is the system of
    record, so WAL with synchronous=NORMAL; each batch is one transaction
    holding the items, their index entries and the cursor advance
    (pl_cursor), so a crash never applies an event twice or loses one.

    The FTS5 table item_fts has external content (content='item'): the
    text lives once, in item.body, and snippet() reads it from there.  The
    price is that the index must be kept in step by hand: an item enters it
    when added, and leaves it (the 'delete' command with the very values it
    was indexed with) when a newer revision of the same key replaces it or
    it is withdrawn (archive_distribution.c, which then indexes the newest
    revision that stands).

    Every statement is prepared once when the store opens, from the tables
    s_sql and s_facet_sql (the facets plenary check compares); migrations
    are the table s_migrations (PRAGMA user_version). */
#include "archive_store.h"
#include "archive_distribution.h"
#include "archive_find.h"
#include "archive_rank.h"
#include "archive_tokenizer.h"
#include "pl_cursor.h"
#include "pl_log.h"
#include "pl_store.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Bytes of a snippet at most: the schema's search_hit.snippet allows 4096.
#define ARCHIVE_SNIPPET_MAX     4000
//  Page cache (negative: KiB) and memory map: the index is read at random
//  by every query, and the kernel's page cache through pread was the
//  largest cost of a search in the bench.
#define ARCHIVE_CACHE_KIB       -65536
#define ARCHIVE_MMAP_BYTES      1073741824
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
};
#define S_MIGRATIONS (sizeof s_migrations / sizeof s_migrations [0])

//  The filters of a listing (a search without words; a search with words
//  filters its matches in memory, archive_rank.h, exactly as these would).
//  A symbol pattern matches a symbol only where the role may see it: a
//  document's at its level, a statement's document at its family's, an
//  outcome by the documents it cites at theirs (its own symbol column, the
//  first it cites, is not one to match).
#define S_FILTERS \
    " i.current = 1 AND i.level <= ?2" \
    " AND (?3 IS NULL OR i.convention = ?3) AND (?4 IS NULL OR i.meeting = ?4)" \
    " AND (?5 IS NULL OR (i.kind <> 'outcome' AND upper (i.symbol) GLOB ?5" \
    "  AND " ARCHIVE_STORE_FAMILY_LEVEL ("i.family") " <= ?2) OR (i.kind = 'outcome' AND EXISTS" \
    "  (SELECT 1 FROM outcome_document o WHERE o.outcome = i.id AND upper (o.symbol) GLOB ?5" \
    "   AND " ARCHIVE_STORE_FAMILY_LEVEL ("o.base") " <= ?2)))" \
    " AND (?6 IS NULL OR i.language = ?6)" \
    " AND (?7 IS NULL OR i.kind = ?7) AND (?8 IS NULL OR i.date >= ?8)" \
    " AND (?9 IS NULL OR i.date <= ?9) AND (?10 IS NULL OR i.distribution = ?10)"

//  Look-ups by key name their index: without statistics the planner took
//  item_by_date for "current = 1" and scanned every current item per event.
typedef enum {
    S_BEGIN, S_COMMIT, S_ROLLBACK, S_SAVEPOINT, S_RELEASE, S_UNDO,
    S_MEETING_ADD, S_MEETING_ITEMS, S_MEETING_CONVENTION, S_DOCUMENT_EXISTS,
    S_DOCUMENT_CURRENT, S_DOCUMENT_LAST, S_ITEM_UNINDEX, S_ITEM_RETIRE, S_ITEM_INSERT,
    S_ITEM_INDEX, S_DOCUMENT_INSERT, S_ITEM_EXISTS, S_OUTCOME_LINK,
    S_LIST, S_LIST_COUNT,
    S_VERSIONS, S_OUTCOMES_OF, S_TEXT,
    S_COUNT
} s_stmt_t;

static const char *s_sql [S_COUNT] = {
    [S_BEGIN]     = "BEGIN",
    [S_COMMIT]    = "COMMIT",
    [S_ROLLBACK]  = "ROLLBACK",
    [S_SAVEPOINT] = "SAVEPOINT event",
    [S_RELEASE]   = "RELEASE event",
    [S_UNDO]      = "ROLLBACK TO event",
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
        "INSERT INTO item_fts (item_fts, rowid, title, body)"
        " SELECT 'delete', id, title, body FROM item INDEXED BY item_by_key"
        " WHERE key = ?1 AND current = 1",
    [S_ITEM_RETIRE] = "UPDATE item INDEXED BY item_by_key SET current = 0"
        " WHERE key = ?1 AND current = 1",
    [S_ITEM_INSERT] =
        "INSERT INTO item (seq, kind, key, symbol, language, title, meeting, convention,"
        " agenda_item, date, distribution, level, delegation, outcome_kind, revision,"
        " current, body, family)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
        "  coalesce ((SELECT convention FROM meeting WHERE id = ?7), ?8),"
        "  ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1, ?16, ?17)",
    [S_ITEM_INDEX] =
        "INSERT INTO item_fts (rowid, title, body) VALUES (?1, ?2, ?3)",
    [S_DOCUMENT_INSERT] =
        "INSERT INTO document (item, symbol, base, suffixes, language, status, dated,"
        " released, original_language, job_number, sha256, hash, bytes, released_as)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    [S_ITEM_EXISTS] = "SELECT 1 FROM item INDEXED BY item_by_key WHERE key = ?1",
    [S_OUTCOME_LINK] =
        "INSERT OR IGNORE INTO outcome_document (symbol, base, outcome, position)"
        " VALUES (?1, ?2, ?3, ?4)",
    //  The page first, then its hits' columns: these are read for the
    //  page's items only, not for every item listed
    [S_LIST] =
        "SELECT " ARCHIVE_STORE_HIT_COLUMNS ", NULL AS snippet, NULL AS bm25, p.total"
        " FROM (SELECT i.id, count (*) OVER () AS total FROM item i"
        "  WHERE ?1 IS NULL AND" S_FILTERS
        "  ORDER BY i.date DESC, i.id DESC LIMIT ?11 OFFSET ?12) p"
        " CROSS JOIN item i ON i.id = p.id ORDER BY i.date DESC, i.id DESC",
    [S_LIST_COUNT] = "SELECT count(*) FROM item i WHERE ?1 IS NULL AND" S_FILTERS,
    //  Numbered among the revisions the role sees: below the secretariat,
    //  those that stand are 1, 2... as if the withdrawn had never been
    [S_VERSIONS] =
        "SELECT d.language,"
        " row_number () OVER (PARTITION BY d.language ORDER BY i.revision) AS revision,"
        " i.current, i.title, i.meeting, i.agenda_item, i.distribution,"
        " CASE WHEN ?3 THEN d.released_as END AS released_as,"
        " CASE WHEN d.withdrawn_seq IS NOT NULL THEN 1 END AS withdrawn,"
        " d.withdrawn_at, d.withdrawn_by, d.withdrawn_reason,"
        " d.status, d.dated, d.released, d.original_language,"
        " d.job_number, d.sha256, d.bytes, i.seq"
        " FROM document d JOIN item i ON i.id = d.item"
        " WHERE d.symbol = ?1 AND i.level <= ?2 AND (?3 OR d.withdrawn_seq IS NULL)"
        " ORDER BY instr ('ar zh en fr ru es', d.language), i.revision",
    [S_OUTCOMES_OF] =
        "SELECT DISTINCT i.key, i.date FROM outcome_document o JOIN item i ON i.id = o.outcome"
        " WHERE o.base = ?1 ORDER BY i.date, i.key",
    //  Revision ?3 as the role numbers them (S_VERSIONS), or with 0 the
    //  current one (the newest that stands; for the secretariat, the newest)
    [S_TEXT] =
        "SELECT coalesce (body, '') FROM (SELECT i.body, i.revision, d.withdrawn_seq,"
        "  row_number () OVER (ORDER BY i.revision) AS shown"
        "  FROM document d JOIN item i ON i.id = d.item"
        "  WHERE d.symbol = ?1 AND d.language = ?2 AND i.level <= ?4"
        "  AND (?5 OR d.withdrawn_seq IS NULL))"
        " WHERE ?3 = 0 OR shown = ?3 ORDER BY withdrawn_seq IS NULL DESC, revision DESC LIMIT 1",
};

//  Result columns that are booleans in the schema (stored as 0/1).
static const char *s_bool_columns [] = { "current", "withdrawn", NULL };

//  The archive's side of the facets plenary check compares (lib/pl_facet.h):
//  the key, then the facet's fields as stored, ordered by key; ?1 is the key
//  asked for, or NULL for every key.  A statement is the item s<seq>.  A
//  document counts under the meeting and agenda item of its latest release
//  (any language) that named both and a meeting the archive knows: a release
//  that names neither does not move it, as in the calendar.
static const struct {
    const char *facet;
    const char *sql;
} s_facet_sql [] = {
    { "meetings",
      "SELECT '', id, convention FROM meeting WHERE coalesce (?1, '') = '' ORDER BY id" },
    { "statements",
      "SELECT meeting, key, delegation, language, agenda_item FROM item"
      " WHERE kind = 'statement' AND (?1 IS NULL OR meeting = ?1) ORDER BY meeting" },
    { "documents",
      "SELECT i.meeting, i.symbol, i.agenda_item FROM item i"
      " WHERE i.kind = 'document' AND (?1 IS NULL OR i.meeting = ?1)"
      " AND i.seq = (SELECT max (j.seq) FROM item j INDEXED BY item_by_symbol"
      "  WHERE j.symbol = i.symbol AND j.kind = 'document' AND j.agenda_item IS NOT NULL"
      "  AND j.meeting IN (SELECT id FROM meeting))"
      " ORDER BY i.meeting" },
};
#define S_FACETS (sizeof s_facet_sql / sizeof s_facet_sql [0])

struct _archive_store_t {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *stmt [S_COUNT];
    sqlite3_stmt *facet [S_FACETS];
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
    ||  pl_store_migrate (self->db, "archive", s_migrations, S_MIGRATIONS))
        goto err;
    for (int i = 0; i < S_COUNT; i++)
        if (sqlite3_prepare_v3 (self->db, s_sql [i], -1, SQLITE_PREPARE_PERSISTENT,
                                &self->stmt [i], NULL) != SQLITE_OK) {
            pl_error ("archive: cannot prepare statement %d db=%s cause=%s", i, path,
                      sqlite3_errmsg (self->db));
            goto err;
        }
    for (size_t i = 0; i < S_FACETS; i++)
        if (sqlite3_prepare_v3 (self->db, s_facet_sql [i].sql, -1, SQLITE_PREPARE_PERSISTENT,
                                &self->facet [i], NULL) != SQLITE_OK) {
            pl_error ("archive: cannot prepare facet %s db=%s cause=%s", s_facet_sql [i].facet,
                      path, sqlite3_errmsg (self->db));
            goto err;
        }
    if (!(self->find = archive_find_new (self->db, self->path, self->rank))
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
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize (self->stmt [i]);
    for (size_t i = 0; i < S_FACETS; i++)
        sqlite3_finalize (self->facet [i]);
    if (self->db && sqlite3_close (self->db) != SQLITE_OK)
        pl_error ("archive: cannot close db=%s cause=%s", self->path,
                  sqlite3_errmsg (self->db));
    archive_rank_destroy (&self->rank);
    free (self->path);
    free (self);
    *self_p = NULL;
}

//  Bind TEXT (NULL binds NULL) to parameter INDEX of STMT, borrowing it.
static void
s_bind_text (sqlite3_stmt *stmt, int index, const char *text)
{
    if (text)
        sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null (stmt, index);
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

int
archive_store_begin (archive_store_t *self)
{
    self->rank_committed = archive_rank_last (self->rank);
    return s_run (self, S_BEGIN);
}

int  archive_store_commit (archive_store_t *self)    { return s_run (self, S_COMMIT); }
int  archive_store_savepoint (archive_store_t *self) { return s_run (self, S_SAVEPOINT); }
int  archive_store_release (archive_store_t *self)   { return s_run (self, S_RELEASE); }

void
archive_store_rollback (archive_store_t *self)
{
    if (!sqlite3_get_autocommit (self->db))
        s_run (self, S_ROLLBACK);
    archive_rank_forget (self->rank, self->rank_committed);
}

int
archive_store_undo (archive_store_t *self)
{
    //  (the savepoint's start is not known: forget the whole batch's)
    archive_rank_forget (self->rank, self->rank_committed);
    return s_run (self, S_UNDO) || s_run (self, S_RELEASE) ? -1 : 0;
}

int
archive_store_cursor (archive_store_t *self, uint64_t *seq)
{
    return pl_cursor_get (self->db, seq);
}

int
archive_store_advance (archive_store_t *self, uint64_t seq, const char *reason)
{
    return pl_cursor_advance (self->db, seq, reason);
}

int
archive_store_first_verdict (archive_store_t *self, uint64_t seq, int *applied,
                             char *reason, size_t reason_size)
{
    return pl_cursor_verdict (self->db, seq, applied, reason, reason_size);
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
    s_bind_text (self->stmt [S_ITEM_RETIRE], 1, item->key);
    if (s_run (self, S_ITEM_UNINDEX) || s_run (self, S_ITEM_RETIRE))
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
    s_bind_text (stmt, 2, item->title);
    s_bind_text (stmt, 3, item->body);
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
    return s_run (self, S_DOCUMENT_INSERT);
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

//  The current row of STMT as an object keyed by column names, NULL columns
//  left out; the column bm25 becomes the integer score.  NULL when out of memory.
static json_t *
s_row_object (sqlite3_stmt *stmt)
{
    json_t *object = json_object ();
    int columns = sqlite3_column_count (stmt);
    for (int i = 0; object && i < columns; i++) {
        const char *name = sqlite3_column_name (stmt, i);
        json_t *value = NULL;
        int type = sqlite3_column_type (stmt, i);
        if (type == SQLITE_NULL)
            continue;
        if (strcmp (name, "bm25") == 0) {
            //  bm25 () is negative, better matches more so
            double bm25 = -sqlite3_column_double (stmt, i) * 1000.0;
            name = "score";
            value = json_integer (bm25 > 0 ? (json_int_t) (bm25 + 0.5) : 0);
        }
        else
        if (type == SQLITE_INTEGER) {
            int is_bool = 0;
            for (int b = 0; s_bool_columns [b]; b++)
                is_bool |= strcmp (s_bool_columns [b], name) == 0;
            value = is_bool ? json_boolean (sqlite3_column_int (stmt, i))
                            : json_integer (sqlite3_column_int64 (stmt, i));
        }
        else {
            const char *text = (const char *) sqlite3_column_text (stmt, i);
            size_t size = (size_t) sqlite3_column_bytes (stmt, i);
            if (strcmp (name, "snippet") == 0 && size > ARCHIVE_SNIPPET_MAX) {
                //  dot leaders or long non-words inside the window: cut at a
                //  character boundary, so that the reply stays in its schema
                size = ARCHIVE_SNIPPET_MAX - 3;
                while (size && ((unsigned char) text [size] & 0xC0) == 0x80)
                    size--;
                char cut [ARCHIVE_SNIPPET_MAX + 1];
                memcpy (cut, text, size);
                memcpy (cut + size, "…", 3);
                value = json_stringn (cut, size + 3);
            }
            else
            if (strcmp (name, "documents") == 0) {
                //  an outcome's documents, a JSON array: none seen, none said
                value = json_loadb (text, size, 0, NULL);
                if (json_array_size (value) == 0) {
                    json_decref (value);
                    continue;
                }
            }
            else
                value = json_stringn (text, size);
        }
        if (!value || json_object_set_new (object, name, value)) {
            json_decref (object);
            object = NULL;
        }
    }
    return object;
}

void
archive_store_bind_view (sqlite3_stmt *stmt, int level, int all_revisions)
{
    sqlite3_bind_int (stmt, 20, level);
    sqlite3_bind_int (stmt, 21, all_revisions);
}

//  Bind a listing's parameters (?1..?12, ?20, ?21) to STMT.
static void
s_bind_search (sqlite3_stmt *stmt, const archive_search_t *search)
{
    archive_store_bind_view (stmt, search->max_level, search->all_revisions);
    s_bind_text (stmt, 1, search->match);
    sqlite3_bind_int (stmt, 2, search->max_level);
    const char *filters [] = {
        search->convention, search->meeting, search->symbol_glob, search->language,
        search->kind, search->from, search->to, search->distribution
    };
    for (int i = 0; i < 8; i++)
        s_bind_text (stmt, 3 + i, filters [i]);
    sqlite3_bind_int (stmt, 11, search->page_size);
    sqlite3_bind_int64 (stmt, 12, (sqlite3_int64) (search->page - 1) * search->page_size);
}

int
archive_store_append_hit (json_t *items, sqlite3_stmt *stmt, json_int_t rank)
{
    json_t *hit = s_row_object (stmt);
    if (hit) {
        json_object_del (hit, "total");
        json_object_set_new (hit, "rank", json_integer (rank));
    }
    return hit && json_array_append_new (items, hit) == 0 ? 0 : -1;
}

//  A search without words: the items that pass the filters, newest first,
//  into ITEMS; their number into *TOTAL.  0, or -1 (*STATUS, ERR).
static int
s_list (archive_store_t *self, const archive_search_t *search, json_t *items,
        json_int_t *total, int *status, char *err, size_t errsize)
{
    sqlite3_stmt *stmt = self->stmt [S_LIST];
    s_bind_search (stmt, search);
    json_int_t rank = (json_int_t) (search->page - 1) * search->page_size;
    *total = -1;
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        *total = sqlite3_column_int64 (stmt, sqlite3_column_count (stmt) - 1);
        if (archive_store_append_hit (items, stmt, ++rank)) {
            s_done (self, S_LIST, SQLITE_DONE);
            goto nomem;
        }
    }
    if (s_done (self, S_LIST, rc) != SQLITE_DONE) {
        *status = 500;
        snprintf (err, errsize, "archive: storage failure listing");
        return -1;
    }
    if (*total < 0 && search->page > 1) {
        //  a page past the end: count apart
        stmt = self->stmt [S_LIST_COUNT];
        s_bind_search (stmt, search);
        rc = sqlite3_step (stmt);
        *total = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
        if (s_done (self, S_LIST_COUNT, rc) != SQLITE_ROW) {
            *status = 500;
            snprintf (err, errsize, "archive: storage failure counting");
            return -1;
        }
    }
    if (*total < 0)
        *total = 0;
    return 0;
nomem:
    *status = 500;
    snprintf (err, errsize, "archive: out of memory building a reply");
    return -1;
}

json_t *
archive_store_search (archive_store_t *self, const archive_search_t *search,
                      int *status, char *err, size_t errsize)
{
    json_t *items = json_array ();
    json_int_t total = 0;
    if (!items) {
        *status = 500;
        snprintf (err, errsize, "archive: out of memory building a reply");
        return NULL;
    }
    if (search->match ? archive_find_run (self->find, search, items, &total, status, err,
                                          errsize)
                      : s_list (self, search, items, &total, status, err, errsize)) {
        json_decref (items);
        return NULL;
    }
    return json_pack ("{s:I, s:i, s:i, s:o}", "total", total, "page", search->page,
                      "page_size", search->page_size, "items", items);
}

//  Run statement WHICH (bound) and collect its rows as a new array.  NULL
//  on failure (logged).
static json_t *
s_rows (archive_store_t *self, s_stmt_t which, int first_column_only)
{
    sqlite3_stmt *stmt = self->stmt [which];
    json_t *rows = json_array ();
    int rc;
    while (rows && (rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        json_t *row = first_column_only
                    ? json_string ((const char *) sqlite3_column_text (stmt, 0))
                    : s_row_object (stmt);
        if (json_array_append_new (rows, row)) {
            json_decref (rows);
            rows = NULL;
        }
    }
    if (!rows) {
        pl_error ("archive: out of memory building a reply db=%s", self->path);
        s_done (self, which, SQLITE_DONE);
        return NULL;
    }
    if (s_done (self, which, rc) != SQLITE_DONE) {
        json_decref (rows);
        return NULL;
    }
    return rows;
}

int
archive_store_versions (archive_store_t *self, const char *symbol, const archive_view_t *view,
                        json_t **versions_p)
{
    s_bind_text (self->stmt [S_VERSIONS], 1, symbol);
    sqlite3_bind_int (self->stmt [S_VERSIONS], 2, view->level);
    sqlite3_bind_int (self->stmt [S_VERSIONS], 3, view->withdrawn);
    *versions_p = s_rows (self, S_VERSIONS, 0);
    return *versions_p ? 0 : -1;
}


json_t *
archive_store_outcomes_of (archive_store_t *self, const char *base)
{
    s_bind_text (self->stmt [S_OUTCOMES_OF], 1, base);
    return s_rows (self, S_OUTCOMES_OF, 1);
}

int
archive_store_text (archive_store_t *self, const char *symbol, const char *language,
                    int revision, const archive_view_t *view, json_t **text_p)
{
    sqlite3_stmt *stmt = self->stmt [S_TEXT];
    s_bind_text (stmt, 1, symbol);
    s_bind_text (stmt, 2, language);
    sqlite3_bind_int (stmt, 3, revision);
    sqlite3_bind_int (stmt, 4, view->level);
    sqlite3_bind_int (stmt, 5, view->withdrawn);
    int rc = sqlite3_step (stmt);
    *text_p = NULL;
    if (rc == SQLITE_ROW
    &&  !(*text_p = json_stringn ((const char *) sqlite3_column_text (stmt, 0),
                                  (size_t) sqlite3_column_bytes (stmt, 0)))) {
        pl_error ("archive: out of memory reading a text db=%s", self->path);
        rc = SQLITE_NOMEM;
    }
    rc = s_done (self, S_TEXT, rc);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
archive_store_facet_rows (archive_store_t *self, const pl_facet_t *facet, const char *key,
                          pl_facet_row_fn *row, void *arg)
{
    size_t i = 0;
    while (i < S_FACETS && strcmp (s_facet_sql [i].facet, facet->name) != 0)
        i++;
    if (i == S_FACETS) {
        //  pl_facet's table says the archive holds it: s_facet_sql must select it
        pl_error ("archive: the store has no rows for facet %s", facet->name);
        return -1;
    }
    sqlite3_stmt *stmt = self->facet [i];
    s_bind_text (stmt, 1, key);
    int rc = pl_facet_step (stmt, facet, row, arg);
    //  a row that stopped the walk was logged by pl_facet
    if (rc != SQLITE_DONE && rc != SQLITE_ABORT)
        pl_error ("archive: facet %s failed db=%s cause=%s", facet->name, self->path,
                  sqlite3_errmsg (self->db));
    sqlite3_reset (stmt);
    sqlite3_clear_bindings (stmt);
    return rc == SQLITE_DONE ? 0 : -1;
}

int
archive_store_version (void)
{
    return (int) S_MIGRATIONS;
}

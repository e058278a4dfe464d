/*  archive_store — the archive worker's SQLite database and all of its SQL.

    Durability as in records_store: the broker's log is the system of
    record, so WAL with synchronous=NORMAL; each batch is one transaction
    holding the items, their index entries and the cursor advance
    (pl_cursor), so a crash never applies an event twice or loses one.

    The FTS5 table item_fts has external content (content='item'): the
    text lives once, in item.body, and snippet() reads it from there.  The
    price is that the index must be kept in step by hand: an item enters it
    when added, and leaves it (the 'delete' command with the very values it
    was indexed with) when a newer revision of the same key replaces it.

    Every statement is prepared once when the store opens, from the table
    s_sql; migrations are the table s_migrations (PRAGMA user_version). */
#include "archive_store.h"
#include "archive_rank.h"
#include "archive_reader.h"
#include "archive_snippet.h"
#include "archive_tokenizer.h"
#include "pl_cursor.h"
#include "pl_log.h"
#include "pl_store.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

//  Tokens around the best match in a snippet (a CJK character is one).
#define ARCHIVE_SNIPPET_TOKENS  40
//  Bytes of a snippet at most: the schema's search_hit.snippet allows 4096.
#define ARCHIVE_SNIPPET_MAX     4000
//  Page cache (negative: KiB) and memory map: the index is read at random
//  by every query, and the kernel's page cache through pread was the
//  largest cost of a search in the bench.
#define ARCHIVE_CACHE_KIB       -65536
#define ARCHIVE_MMAP_BYTES      1073741824
//  Items from which a search's walk is split in two, on two threads (where
//  the machine has two processors): below it, a walk is a few ms anyway.
#define ARCHIVE_PARALLEL_MIN    20000
//  An expression for matching only: the worker's (4 KB at most) with a
//  marker of 3 bytes in each string.
#define S_MATCH_ONLY_MAX        8192
#define S_STR_(x) #x
#define S_STR(x) S_STR_(x)

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
};
#define S_MIGRATIONS (sizeof s_migrations / sizeof s_migrations [0])

//  The columns of a search hit, and the filters of a listing (a search
//  without words; a search with words filters its matches in memory,
//  archive_rank.h, exactly as these would).
#define S_HIT_COLUMNS \
    "i.kind, i.key AS id, i.symbol, i.language, i.title, i.meeting, i.convention," \
    " i.agenda_item, i.date, CASE i.kind WHEN 'document' THEN i.distribution END" \
    " AS distribution, i.delegation, i.outcome_kind, i.revision"
#define S_FILTERS \
    " i.current = 1 AND i.level <= ?2" \
    " AND (?3 IS NULL OR i.convention = ?3) AND (?4 IS NULL OR i.meeting = ?4)" \
    " AND (?5 IS NULL OR upper (i.symbol) GLOB ?5) AND (?6 IS NULL OR i.language = ?6)" \
    " AND (?7 IS NULL OR i.kind = ?7) AND (?8 IS NULL OR i.date >= ?8)" \
    " AND (?9 IS NULL OR i.date <= ?9) AND (?10 IS NULL OR i.distribution = ?10)"

//  Look-ups by key name their index: without statistics the planner took
//  item_by_date for "current = 1" and scanned every current item per event.
typedef enum {
    S_BEGIN, S_COMMIT, S_ROLLBACK, S_SAVEPOINT, S_RELEASE, S_UNDO,
    S_MEETING_ADD, S_MEETING_ITEMS, S_MEETING_CONVENTION,
    S_DOCUMENT_CURRENT, S_ITEM_UNINDEX, S_ITEM_RETIRE, S_ITEM_INSERT, S_ITEM_INDEX,
    S_DOCUMENT_INSERT, S_ITEM_EXISTS, S_OUTCOME_LINK,
    S_RANK_TAIL, S_COLLECT, S_HIT_TEXT, S_HIT, S_LIST, S_LIST_COUNT,
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
    [S_DOCUMENT_CURRENT] =
        "SELECT i.revision, d.hash FROM item i INDEXED BY item_by_key"
        " JOIN document d ON d.item = i.id WHERE i.key = ?1 AND i.current = 1",
    [S_ITEM_UNINDEX] =
        "INSERT INTO item_fts (item_fts, rowid, title, body)"
        " SELECT 'delete', id, title, body FROM item INDEXED BY item_by_key"
        " WHERE key = ?1 AND current = 1",
    [S_ITEM_RETIRE] = "UPDATE item INDEXED BY item_by_key SET current = 0"
        " WHERE key = ?1 AND current = 1",
    [S_ITEM_INSERT] =
        "INSERT INTO item (seq, kind, key, symbol, language, title, meeting, convention,"
        " agenda_item, date, distribution, level, delegation, outcome_kind, revision,"
        " current, body)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
        "  coalesce ((SELECT convention FROM meeting WHERE id = ?7), ?8),"
        "  ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1, ?16)",
    [S_ITEM_INDEX] =
        "INSERT INTO item_fts (rowid, title, body) VALUES (?1, ?2, ?3)",
    [S_DOCUMENT_INSERT] =
        "INSERT INTO document (item, symbol, base, suffixes, language, status, dated,"
        " released, original_language, job_number, sha256, hash, bytes)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    [S_ITEM_EXISTS] = "SELECT 1 FROM item INDEXED BY item_by_key WHERE key = ?1",
    [S_OUTCOME_LINK] =
        "INSERT OR IGNORE INTO outcome_document (symbol, outcome) VALUES (?1, ?2)",
    //  The indexed items above the rank table's last (archive_rank.h)
    [S_RANK_TAIL] =
        "SELECT d.id, d.sz, i.level, i.kind, i.language, i.meeting, i.convention, i.date,"
        " i.distribution, upper (i.symbol) FROM item_fts_docsize d CROSS JOIN item i"
        " ON i.id = d.id WHERE d.id > ?1 ORDER BY d.id",
    //  A search walks every match once, in archive_collect (archive_rank.h),
    //  with the expression for matching only (archive_tokenizer.h); then
    //  each hit of the page is read, with the snippet archive_snippet made
    //  from its text: a page's ten, never every match.
    [S_COLLECT] =
        "SELECT 1 FROM item_fts WHERE item_fts MATCH ?1 AND item_fts.rowid < ?2"
        " AND archive_collect (item_fts)",
    [S_HIT_TEXT] = "SELECT title, body FROM item WHERE id = ?1",
    [S_HIT] =
        "SELECT " S_HIT_COLUMNS ", ?3 AS snippet, ?2 AS bm25 FROM item i WHERE i.id = ?1",
    [S_LIST] =
        "SELECT " S_HIT_COLUMNS ", NULL AS snippet, NULL AS bm25,"
        " count (*) OVER () AS total FROM item i"
        " WHERE ?1 IS NULL AND" S_FILTERS
        " ORDER BY i.date DESC, i.id DESC LIMIT ?11 OFFSET ?12",
    [S_LIST_COUNT] = "SELECT count(*) FROM item i WHERE ?1 IS NULL AND" S_FILTERS,
    [S_VERSIONS] =
        "SELECT d.language, i.revision, i.current, i.title, i.meeting, i.agenda_item,"
        " i.distribution, d.status, d.dated, d.released, d.original_language,"
        " d.job_number, d.sha256, d.bytes, i.seq"
        " FROM document d JOIN item i ON i.id = d.item"
        " WHERE d.symbol = ?1 AND i.level <= ?2"
        " ORDER BY instr ('ar zh en fr ru es', d.language), i.revision",
    [S_OUTCOMES_OF] =
        "SELECT i.key FROM outcome_document o JOIN item i ON i.id = o.outcome"
        " WHERE o.symbol = ?1 ORDER BY i.date, i.key",
    [S_TEXT] =
        "SELECT coalesce (i.body, '') FROM document d JOIN item i ON i.id = d.item"
        " WHERE d.symbol = ?1 AND d.language = ?2 AND i.level <= ?4"
        " AND (CASE WHEN ?3 > 0 THEN i.revision = ?3 ELSE i.current = 1 END)",
};

//  Result columns that are booleans in the schema (stored as 0/1).
static const char *s_bool_columns [] = { "current", NULL };

struct _archive_store_t {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *stmt [S_COUNT];
    archive_rank_t *rank;           //  the items' lengths, levels and columns
    archive_rank_walk_t *walk;      //  this connection's walk of a search
    archive_reader_t *reader;       //  the second walker, made when first needed
    int64_t parallel_min;           //  items from which a walk is split (-1 never)
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
    if (archive_tokenizer_register (self->db)
    ||  !(self->walk = archive_rank_register (self->rank, self->db))) {
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
    self->parallel_min = sysconf (_SC_NPROCESSORS_ONLN) >= 2 ? ARCHIVE_PARALLEL_MIN : -1;
    return self;
err:
    archive_store_destroy (&self);
    return NULL;
}

void
archive_store_parallel (archive_store_t *self, int64_t min_items)
{
    self->parallel_min = min_items;
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
    archive_reader_destroy (&self->reader);
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize (self->stmt [i]);
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

//  The level of DISTRIBUTION (NULL is general).
static int
s_level (const char *distribution)
{
    static const char *levels [] = { "general", "limited", "restricted" };
    for (int i = 0; distribution && i < 3; i++)
        if (strcmp (distribution, levels [i]) == 0)
            return i;
    return ARCHIVE_GENERAL;
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
    sqlite3_bind_int (stmt, 12, s_level (item->distribution));
    s_bind_text (stmt, 13, item->delegation);
    s_bind_text (stmt, 14, item->outcome_kind);
    if (item->revision)
        sqlite3_bind_int (stmt, 15, item->revision);
    s_bind_text (stmt, 16, item->body);
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
archive_store_outcome_link (archive_store_t *self, const char *symbol)
{
    s_bind_text (self->stmt [S_OUTCOME_LINK], 1, symbol);
    sqlite3_bind_int64 (self->stmt [S_OUTCOME_LINK], 2, self->last_item);
    return s_run (self, S_OUTCOME_LINK);
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
                value = json_stringn (text, size);
        }
        if (!value || json_object_set_new (object, name, value)) {
            json_decref (object);
            object = NULL;
        }
    }
    return object;
}

//  Bind a listing's parameters (?1..?12) to STMT.
static void
s_bind_search (sqlite3_stmt *stmt, const archive_search_t *search)
{
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

//  Report a failed search step (CAUSE, SQLite's message; NULL: the store
//  connection's): a bad FTS5 expression is the caller's 400, anything else
//  a storage failure (logged).
static void
s_search_failed (archive_store_t *self, const char *cause, int *status, char *err,
                 size_t errsize)
{
    if (!cause)
        cause = sqlite3_errmsg (self->db);
    if (strstr (cause, "fts5") || strstr (cause, "syntax")) {
        *status = 400;
        snprintf (err, errsize, "archive.search: q: the search words are not understood (%s)",
                  cause);
    }
    else {
        *status = 500;
        pl_error ("archive: search failed db=%s cause=%s", self->path, cause);
        snprintf (err, errsize, "archive: storage failure searching");
    }
}

//  Bring the rank table up to the index: put the items indexed since the
//  last search.  0 or -1 (logged).
static int
s_rank_update (archive_store_t *self)
{
    sqlite3_stmt *stmt = self->stmt [S_RANK_TAIL];
    sqlite3_bind_int64 (stmt, 1, archive_rank_last (self->rank));
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        archive_rank_columns_t columns = {
            .kind = (const char *) sqlite3_column_text (stmt, 3),
            .language = (const char *) sqlite3_column_text (stmt, 4),
            .meeting = (const char *) sqlite3_column_text (stmt, 5),
            .convention = (const char *) sqlite3_column_text (stmt, 6),
            .date = (const char *) sqlite3_column_text (stmt, 7),
            .distribution = (const char *) sqlite3_column_text (stmt, 8),
            .symbol = (const char *) sqlite3_column_text (stmt, 9)
        };
        if (archive_rank_put (self->rank, sqlite3_column_int64 (stmt, 0),
                              sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1),
                              sqlite3_column_int (stmt, 2), &columns)) {
            pl_error ("archive: out of memory filling the rank table db=%s", self->path);
            archive_rank_forget (self->rank, 0);
            s_done (self, S_RANK_TAIL, SQLITE_DONE);
            return -1;
        }
    }
    return s_done (self, S_RANK_TAIL, rc) == SQLITE_DONE ? 0 : -1;
}

//  The current row of STMT as a hit of rank RANK appended to ITEMS.  0, or
//  -1 out of memory.
static int
s_append_hit (json_t *items, sqlite3_stmt *stmt, json_int_t rank)
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
        if (s_append_hit (items, stmt, ++rank)) {
            s_done (self, S_LIST, SQLITE_DONE);
            goto nomem;
        }
    }
    if (s_done (self, S_LIST, rc) != SQLITE_DONE) {
        s_search_failed (self, NULL, status, err, errsize);
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

//  Append hit ID (BM25, rank RANK) to ITEMS with its snippet from SNIPPETS.
//  0, -1 on a storage failure (logged), -2 out of memory.
static int
s_hit (archive_store_t *self, archive_snippet_t *snippets, int64_t id, double bm25,
       json_t *items, json_int_t rank)
{
    sqlite3_stmt *stmt = self->stmt [S_HIT_TEXT];
    sqlite3_bind_int64 (stmt, 1, id);
    int rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW) {
        if (rc == SQLITE_DONE)
            pl_error ("archive: item %lld is in the index but not in item db=%s",
                      (long long) id, self->path);
        s_done (self, S_HIT_TEXT, rc);
        return -1;
    }
    const char *texts [] = {
        (const char *) sqlite3_column_text (stmt, 0), (const char *) sqlite3_column_text (stmt, 1)
    };
    int failed = 0;
    char *snippet = archive_snippet_make (snippets, texts, 2, "⟦", "⟧", "…",
                                          ARCHIVE_SNIPPET_TOKENS, &failed);
    s_done (self, S_HIT_TEXT, SQLITE_ROW);
    if (failed)
        return -2;
    stmt = self->stmt [S_HIT];
    sqlite3_bind_int64 (stmt, 1, id);
    sqlite3_bind_double (stmt, 2, bm25);
    if (snippet)
        sqlite3_bind_text (stmt, 3, snippet, -1, free);
    rc = sqlite3_step (stmt);
    if (rc != SQLITE_ROW) {
        s_done (self, S_HIT, rc);
        return -1;
    }
    rc = s_append_hit (items, stmt, rank) ? -2 : 0;
    s_done (self, S_HIT, SQLITE_ROW);
    return rc;
}

//  The second walker, made when first needed.  NULL when it cannot be
//  (logged once: searches then walk alone).
static archive_reader_t *
s_reader (archive_store_t *self)
{
    if (!self->reader && !(self->reader = archive_reader_new (self->path, self->rank)))
        self->parallel_min = -1;
    return self->reader;
}

//  Walk every match of EXPRESSION (for matching only) through
//  archive_collect under FILTER; an archive of parallel_min items or more
//  in two halves by rowid, the upper one by the reader's thread, merged
//  after.  0, -2 when its phrases were not those FILTER names, or -1
//  (*STATUS, ERR; a bad expression is the caller's 400).
static int
s_collect (archive_store_t *self, const char *expression, const archive_rank_filter_t *filter,
           size_t keep, int *status, char *err, size_t errsize)
{
    int64_t last = archive_rank_last (self->rank);
    int split = self->parallel_min >= 0 && last >= self->parallel_min && s_reader (self);
    int64_t middle = split ? last / 2 + 1 : INT64_MAX;
    archive_rank_collect (self->walk, filter, keep);
    if (split) {
        archive_rank_collect (archive_reader_walk (self->reader), filter, keep);
        archive_reader_start (self->reader, expression, middle);
    }
    sqlite3_stmt *stmt = self->stmt [S_COLLECT];
    s_bind_text (stmt, 1, expression);
    sqlite3_bind_int64 (stmt, 2, middle);
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        ;                           //  archive_collect lets no row through
    char cause [256] = "", reader_cause [256] = "";
    if (rc != SQLITE_DONE)
        snprintf (cause, sizeof cause, "%s", sqlite3_errmsg (self->db));
    s_done (self, S_COLLECT, SQLITE_DONE);
    if (split) {
        //  always waited for: the job borrows EXPRESSION and FILTER's strings
        if (archive_reader_wait (self->reader, reader_cause, sizeof reader_cause)
        &&  rc == SQLITE_DONE) {
            rc = SQLITE_ERROR;
            snprintf (cause, sizeof cause, "%s", reader_cause);
        }
        archive_rank_merge (self->walk, archive_reader_walk (self->reader));
    }
    int failed = archive_rank_failed (self->walk);
    if (failed == -2 && (filter->groups || filter->holding))
        return -2;
    if (failed == -1) {
        *status = 500;
        snprintf (err, errsize, "archive: out of memory ranking");
        return -1;
    }
    if (rc == SQLITE_DONE)
        return 0;
    s_search_failed (self, cause, status, err, errsize);
    return -1;
}

//  A search with words: every match collected, filtered and ranked in one
//  pass (archive_rank.h), then the page's hits read with their snippets,
//  into ITEMS; the number of matches that pass into *TOTAL.  A search of
//  several words without exclusions walks the union of its words, which
//  counts the items that hold each word in the same pass.  0, or -1
//  (*STATUS, ERR; a bad expression is the caller's 400).
static int
s_search (archive_store_t *self, const archive_search_t *search, json_t *items,
          json_int_t *total, int *status, char *err, size_t errsize)
{
    //  The search's phrases, and what is known of the items holding each
    char any [S_MATCH_ONLY_MAX], walk [S_MATCH_ONLY_MAX];
    archive_phrase_t phrases [ARCHIVE_RANK_PHRASES_MAX];
    unsigned char groups [ARCHIVE_RANK_PHRASES_MAX];
    int64_t holding [ARCHIVE_RANK_PHRASES_MAX];
    int count = archive_tokenizer_match_any (search->match, any, sizeof any, phrases,
                                             ARCHIVE_RANK_PHRASES_MAX);
    int known = count > 0;
    for (int i = 0; i < count; i++) {
        groups [i] = (unsigned char) phrases [i].group;
        known &= archive_rank_recall (self->rank, any + phrases [i].offset,
                                      phrases [i].length, &holding [i]);
    }
    if (archive_tokenizer_match_only (search->match, walk, sizeof walk)) {
        *status = 400;
        snprintf (err, errsize, "archive.search: q: too long");
        return -1;
    }
    if (s_rank_update (self))
        goto failed;
    size_t offset = (size_t) (search->page - 1) * (size_t) search->page_size;
    size_t keep = offset + (size_t) search->page_size;
    //  Several phrases not all counted before: walk their union, which
    //  counts them; else the search itself
    int union_walk = count >= 2 && !known;
    archive_rank_filter_t filter = {
        .max_level = search->max_level, .convention = search->convention,
        .meeting = search->meeting, .language = search->language, .kind = search->kind,
        .distribution = search->distribution, .from = search->from, .to = search->to,
        .symbol_glob = search->symbol_glob, .groups = union_walk ? groups : NULL,
        .phrases = count, .holding = known ? holding : NULL
    };
    int rc = s_collect (self, union_walk ? any : walk, &filter, keep, status, err, errsize);
    if (rc == -2) {
        //  FTS5 read the phrases otherwise than they were built: walk the
        //  search itself, counting as it goes
        pl_warn ("archive: the phrases of '%s' are not as built; searching it as is",
                 search->match);
        filter.groups = NULL;
        filter.holding = NULL;
        count = 0;
        rc = s_collect (self, walk, &filter, keep, status, err, errsize);
    }
    if (rc)
        return -1;
    const archive_rank_hit_t *hits;
    int64_t matches = 0, best = archive_rank_collected (self->walk, &matches, &hits);
    if (best < 0) {
        *status = 500;
        snprintf (err, errsize, "archive: out of memory ranking");
        return -1;
    }
    for (int i = 0; i < count; i++) {
        int64_t holders;
        if (archive_rank_holding (self->walk, i, &holders))
            archive_rank_remember (self->rank, any + phrases [i].offset, phrases [i].length,
                                   holders);
    }
    *total = (json_int_t) matches;
    archive_snippet_t *snippets = NULL;
    if (best > (int64_t) offset && !(snippets = archive_snippet_new (self->db, search->match)))
        goto nomem;
    for (int64_t i = (int64_t) offset; i < best; i++) {
        int hit = s_hit (self, snippets, hits [i].id, hits [i].bm25, items, (json_int_t) i + 1);
        if (hit) {
            archive_snippet_destroy (&snippets);
            if (hit == -2)
                goto nomem;
            goto failed;
        }
    }
    archive_snippet_destroy (&snippets);
    return 0;
nomem:
    *status = 500;
    snprintf (err, errsize, "archive: out of memory building a reply");
    return -1;
failed:
    *status = 500;
    snprintf (err, errsize, "archive: storage failure searching");
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
    if ((search->match ? s_search : s_list) (self, search, items, &total, status, err,
                                            errsize)) {
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
archive_store_versions (archive_store_t *self, const char *symbol, int max_level,
                        json_t **versions_p)
{
    s_bind_text (self->stmt [S_VERSIONS], 1, symbol);
    sqlite3_bind_int (self->stmt [S_VERSIONS], 2, max_level);
    *versions_p = s_rows (self, S_VERSIONS, 0);
    return *versions_p ? 0 : -1;
}

json_t *
archive_store_outcomes_of (archive_store_t *self, const char *symbol)
{
    s_bind_text (self->stmt [S_OUTCOMES_OF], 1, symbol);
    return s_rows (self, S_OUTCOMES_OF, 1);
}

int
archive_store_text (archive_store_t *self, const char *symbol, const char *language,
                    int revision, int max_level, json_t **text_p)
{
    sqlite3_stmt *stmt = self->stmt [S_TEXT];
    s_bind_text (stmt, 1, symbol);
    s_bind_text (stmt, 2, language);
    sqlite3_bind_int (stmt, 3, revision);
    sqlite3_bind_int (stmt, 4, max_level);
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

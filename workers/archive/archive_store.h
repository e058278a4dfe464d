/*  archive_store — the archive worker's SQLite database with its FTS5 index.

    The one class of the archive worker that owns the sqlite3 handle; the
    worker's SQL lives in archive_store.c, but for the statements of a
    search with words, which are archive_find.c's (a class the store owns
    and hands its connection).  Every searchable thing is an item (a document's
    language version at one revision, a statement, an outcome) in the table
    item, indexed by the FTS5 table item_fts (external content, tokenizer
    "plenary" of archive_tokenizer.c), so a text is stored once.  Only the
    current revision of a document's language version is in the index;
    earlier revisions stay in item for `plenary doc`.

    It knows tables, not rules: archive_worker.c decides what an event means
    and calls these methods inside one transaction per batch.  Methods
    return 0 on success and -1 on a storage failure (logged here); look-ups
    return 1 when found, 0 when not, -1 on failure. */
#ifndef ARCHIVE_STORE_H_INCLUDED
#define ARCHIVE_STORE_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <sqlite3.h>
#include "pl_txn.h"
#include "archive_distribution.h"
#include "pl_facet.h"
#include "pl_proto.h"

typedef struct _archive_store_t archive_store_t;

//  Distribution levels (who may see an item) are pl_proto.h's: PL_GENERAL,
//  PL_LIMITED, PL_RESTRICTED.

//  A new item for archive_store_item_add.  Strings are borrowed; NULL = absent.
typedef struct {
    uint64_t seq;
    const char *kind;               //  document, statement, outcome
    const char *key;                //  CCM/CONF/2020/14:zh, s42, ccm-2rc/d1
    const char *symbol;
    const char *language;
    const char *title;
    const char *meeting;
    const char *convention;         //  used when the meeting's is not known
    const char *agenda_item;
    const char *date;               //  YYYY-MM-DD
    const char *distribution;       //  in force (the family's); general when NULL
    const char *family;             //  a document's or statement's symbol's base
    const char *delegation;
    const char *outcome_kind;
    int revision;                   //  documents: 1, 2...; 0 otherwise
    const char *body;               //  the text, indexed
} archive_item_t;

//  A document revision's own columns for archive_store_document_add.
typedef struct {
    const char *symbol, *base, *suffixes, *language;
    const char *status, *dated, *released, *original_language, *job_number;
    const char *sha256;             //  of the text as kept (hex, lower case), or NULL
    const char *file_sha256;        //  of the released file when not the text (the PDF)
    const char *released_as;        //  the distribution it was released with
    const unsigned char *hash;      //  32 bytes: what makes a revision new
    int64_t bytes;
} archive_document_t;

//  What archive.search asks for; NULL fields are not filters.
typedef struct {
    const char *match;              //  an FTS5 expression, or NULL to list by date
    //  A search by symbol (archive_query.h): the items of the family BASE
    //  (the document EXACT first) or, without BASE, whose symbol matches
    //  GLOB come first, then those MATCH finds ("" none); all upper case.
    //  NULL when the search is not by symbol.
    const char *exact, *base, *glob;
    const char *convention, *meeting, *symbol_glob, *language, *kind;
    const char *from, *to, *distribution;
    int max_level;                  //  PL_GENERAL.. by the caller's role
    int all_revisions;              //  the secretariat: revisions numbered as released
    int page, page_size;
} archive_search_t;

//  Who asks a query on documents: the most restrictive level the role may
//  see, and whether it sees withdrawn revisions (the secretariat).
typedef struct {
    int level;
    int withdrawn;
} archive_view_t;

//  Open (creating when needed) the database at PATH, whose folder must
//  exist, and migrate it.  NULL on failure (logged).
archive_store_t *archive_store_new (const char *path);

//  Searches of an archive of MIN_ITEMS items or more walk their matches in
//  two halves, on two threads (archive_reader.h): by default from 20,000
//  items where the machine has two processors or more; 0 always (tests),
//  -1 never.
void archive_store_parallel (archive_store_t *self, int64_t min_items);

//  Forget the phrase counts that earlier searches left (archive_rank.h):
//  the next searches count again, as the first after a change does.
void archive_store_forget_counts (archive_store_t *self);

//  Families' distributions in force, declassifications and withdrawals,
//  on the store's connection (archive_distribution.h).  Borrowed.
archive_distribution_t *archive_store_distribution (archive_store_t *self);

//  Close the database.  NULL-safe; sets *SELF_P to NULL.
void archive_store_destroy (archive_store_t **self_p);

//  The schema version this build migrates the database to (its user_version).
int archive_store_version (void);

//  The batch transaction's statements (lib/pl_txn.h), which lib/pl_rules
//  runs; borrowed, valid until the store is destroyed.
pl_txn_t *archive_store_txn (archive_store_t *self);

//  Told of each BEGIN, ROLLBACK and UNDO before it runs (pl_rules_t.on_txn):
//  the rank table keeps what was committed and forgets the rest.
void archive_store_on_txn (archive_store_t *self, pl_txn_op_t op);

//  Write the items of this batch that wait for the index (ARCHIVE_STORE_
//  PENDING) into it, last in the batch's transaction.  0, or -1 (logged).
int archive_store_index_flush (archive_store_t *self);

//  Remember meeting ID's CONVENTION (the first schedule wins) and give it
//  to the items of that meeting that had none.  0 or -1.
int  archive_store_meeting (archive_store_t *self, const char *id, const char *convention);

//  1 when meeting ID is in the view of meetings, 0 not, -1.
int  archive_store_meeting_exists (archive_store_t *self, const char *id);

//  1 when some language version of document SYMBOL (normalized) was
//  released, whoever may see it; 0 not, -1.
int  archive_store_document_exists (archive_store_t *self, const char *symbol);

//  The current revision of document version KEY (the newest that stands):
//  1 found (*REVISION and HASH, 32 bytes, filled), 0 none, -1.
int  archive_store_document_current (archive_store_t *self, const char *key,
                                     int *revision, unsigned char *hash);

//  The highest revision of document version KEY, withdrawn or not, into
//  *LAST (0 when none).  0 or -1.
int  archive_store_document_last (archive_store_t *self, const char *key, int *last);

//  Add ITEM (retiring the current revision of the same key from the index
//  when ITEM is a newer one), then DOCUMENT's columns when not NULL.  0 or -1.
int  archive_store_item_add (archive_store_t *self, const archive_item_t *item,
                             const archive_document_t *document);

//  The current revision of document version KEY (symbol:language): 1
//  found, with its item's rowid into *ITEM and its metadata into
//  *FIELDS_P (a new object: title, meeting, agenda_item, distribution
//  (as released), status, dated, original_language, job_number,
//  file_sha256; nulls where none), 0 none, -1.
int  archive_store_document_metadata (archive_store_t *self, const char *key, int64_t *item,
                                      json_t **fields_p);

//  Change the metadata of revision ITEM to AFTER (fields as above) by
//  event SEQ at AT (RFC 3339), its date (DATE: dated, or of release) and
//  CONVENTION (when its meeting's is not known) with it, and record
//  CHANGES (field: [before, after]); a new title is indexed.  0 or -1.
int  archive_store_document_change (archive_store_t *self, int64_t item, uint64_t seq,
                                    const char *at, const char *date, const char *convention,
                                    const json_t *after, const json_t *changes);

//  1 when an item of KEY exists, 0 not, -1.
int  archive_store_item_exists (archive_store_t *self, const char *key);

//  Link the outcome of the last item_add to document SYMBOL (normalized),
//  of the family BASE (the symbol without its suffixes), cited at POSITION
//  (0 first).  0 or -1.
int  archive_store_outcome_link (archive_store_t *self, const char *symbol, const char *base,
                                 int position);

//  The archive.search.reply of SEARCH (caller owns).  NULL on failure, or
//  when the FTS5 expression is refused: then *STATUS 400 and ERR.
json_t *archive_store_search (archive_store_t *self, const archive_search_t *search,
                              int *status, char *err, size_t errsize);

//  The index's first column, lang (archive_tokenizer.h): the item's
//  language after the tokenizer's mark, as the view item_text gives it;
//  and the columns of an item as the index takes them, from table item.
#define ARCHIVE_STORE_LANG "char (0xFDDF) || coalesce (language, '')"
#define ARCHIVE_STORE_INDEXED "id, " ARCHIVE_STORE_LANG ", title, body"

//  The index is written once a batch, in archive_store_index_flush: an item
//  that enters it waits until then in this temporary table (a transaction's
//  rollback empties it with the rest).  FTS5 writes its pending terms out
//  at every savepoint, and each event is a savepoint, so an INSERT per
//  item made a segment per document and most of the ingest's cost merging
//  them.  An item leaves the index with the 'delete' command only if it is
//  in it (ARCHIVE_STORE_INDEXED_ONLY); one that waits leaves the table.
#define ARCHIVE_STORE_PENDING "temp.index_pending"
#define ARCHIVE_STORE_INDEXED_ONLY "id NOT IN (SELECT id FROM " ARCHIVE_STORE_PENDING ")"

//  The level at which the document of family column FAMILY is seen: its
//  family's in force, general when none of it was released.
#define ARCHIVE_STORE_FAMILY_LEVEL(family) \
    "coalesce ((SELECT f.level FROM family f WHERE f.base = " family "), 0)"

//  The outcome documents o cited by outcome item i that a role of level
//  ?20 may see, in the order cited.
#define ARCHIVE_STORE_CITED \
    " FROM outcome_document o WHERE o.outcome = i.id" \
    " AND " ARCHIVE_STORE_FAMILY_LEVEL ("o.base") " <= ?20 ORDER BY o.position"

//  The columns of a search hit, as the statements of archive_store.c and
//  archive_find.c select them from item i, for a role that sees up to
//  level ?20, and revisions numbered as released when ?21 is 1 (the
//  secretariat) or counting only those that stand: a statement's or an
//  outcome's document the role may not see is left out.  The statements
//  that use them number their own parameters below 20.
#define ARCHIVE_STORE_HIT_COLUMNS \
    "i.kind, i.key AS id, CASE i.kind" \
    " WHEN 'outcome' THEN (SELECT o.symbol" ARCHIVE_STORE_CITED " LIMIT 1)" \
    " WHEN 'statement' THEN CASE WHEN " ARCHIVE_STORE_FAMILY_LEVEL ("i.family") \
    "  <= ?20 THEN i.symbol END ELSE i.symbol END AS symbol," \
    " i.language, i.title, i.meeting, i.convention," \
    " i.agenda_item, i.date, CASE i.kind WHEN 'document' THEN i.distribution END" \
    " AS distribution, i.delegation, i.outcome_kind," \
    " CASE WHEN i.kind <> 'document' THEN NULL WHEN ?21 THEN i.revision" \
    "  ELSE (SELECT count (*) FROM item j INDEXED BY item_by_key" \
    "   JOIN document dj ON dj.item = j.id WHERE j.key = i.key" \
    "   AND j.revision <= i.revision AND dj.withdrawn_seq IS NULL) END AS revision," \
    " CASE i.kind WHEN 'outcome' THEN (SELECT json_group_array (symbol) FROM" \
    "  (SELECT o.symbol" ARCHIVE_STORE_CITED ")) END AS documents"

//  Bind the role's ?20 (level) and ?21 (all) of ARCHIVE_STORE_HIT_COLUMNS in
//  STMT.  Numbered, not named: a name would take the first free number,
//  which the statement's own ?1.. then bind over.
void archive_store_bind_view (sqlite3_stmt *stmt, int level, int all_revisions);

//  Append the current row of STMT (ARCHIVE_STORE_HIT_COLUMNS, then perhaps
//  snippet, bm25 and total) to ITEMS as a search hit of rank RANK: columns
//  by name, NULLs left out, bm25 as the integer score, a snippet cut to the
//  schema's length.  0, or -1 out of memory.
int  archive_store_append_hit (json_t *items, sqlite3_stmt *stmt, json_int_t rank);

//  The versions of SYMBOL (normalized) VIEW may see, as a new array of
//  document_version objects into *VERSIONS_P (empty when none): below the
//  secretariat without the withdrawn ones, and the others numbered 1, 2...
//  0 or -1.
int  archive_store_versions (archive_store_t *self, const char *symbol,
                             const archive_view_t *view, json_t **versions_p);

//  Every version VIEW may see of every symbol of the family BASE (BASE
//  itself first, then its Rev., Corr., Add. by symbol), each as a
//  document_version object with its symbol, numbered per symbol and
//  language as archive_store_versions numbers them, into *VERSIONS_P (a new
//  array).  0 or -1.
int  archive_store_family (archive_store_t *self, const char *base, const archive_view_t *view,
                           json_t **versions_p);

//  The outcomes and statements that cite a document of the family BASE, by
//  date, as a new array of citation objects (kind, id, symbol cited,
//  title, date, meeting, language, outcome_kind or delegation) into
//  *ITEMS_P.  0 or -1.
int  archive_store_cited_by (archive_store_t *self, const char *base, json_t **items_p);

//  The outcomes that cite any document of the family BASE (BASE itself,
//  or BASE with suffixes: /Rev.1, /Add.1...), as a new array of
//  "meeting/id", by date of adoption.  NULL on failure.
json_t *archive_store_outcomes_of (archive_store_t *self, const char *base);

//  The text of SYMBOL in LANGUAGE at REVISION, numbered as VIEW sees them
//  (0: the current one; for the secretariat, when every revision is
//  withdrawn, the newest), into *TEXT_P (a new string; "" when there is
//  none).  1 found, 0 not, -1.
int  archive_store_text (archive_store_t *self, const char *symbol, const char *language,
                         int revision, const archive_view_t *view, json_t **text_p);

//  Call ROW for every item of FACET (lib/pl_facet.h) the archive holds, of
//  KEY only when not NULL, in key order.  0, or -1 on failure (logged).
int  archive_store_facet_rows (archive_store_t *self, const pl_facet_t *facet,
                               const char *key, pl_facet_row_fn *row, void *arg);

#endif

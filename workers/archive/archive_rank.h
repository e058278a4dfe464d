/*  archive_rank — the archive's search in one pass over the matches.

    A common word occurs in a sixth of the archive (16,000 items of
    100,000); every one of its matches must be filtered, counted and
    ranked to find the best ten.  Done with SQL (FTS5's bm25 (), a row of
    item per match for the filters, a sorter, a second pass for the total)
    that took 40 ms; the time went to a docsize look-up per match for its
    length, the item look-up, and the sorter (bench/pl_bench_search.c).  So
    this module keeps, in memory and by rowid, what a match needs: each
    indexed item's length in tokens, its level and its filterable columns
    (kind, language, meeting, convention, date, distribution, upper-case
    symbol; strings interned, 36 bytes an item), and offers one FTS5
    auxiliary function

        archive_collect (item_fts)

    which a statement calls for every match (SELECT ... WHERE item_fts
    MATCH ?1 AND archive_collect (item_fts), which returns no row).  For
    each match it tests the filters of the search that archive_rank_collect
    set up, as item's columns would be tested in SQL (level <= LEVEL, equal
    strings, from <= date <= to, the symbol pattern as GLOB on each of
    the item's symbols that the level may see, an outcome's being those it
    cites), counts the
    ones that pass and keeps their weighted phrase hits.  archive_rank_
    collected then scores them with bm25 (item_fts, 0.0, 4.0, 1.0) computed step
    for step as FTS5 does (so to the last bit), and returns the total and
    the best KEEP in order.

    bm25 needs, for each phrase, the number of items that hold it.  FTS5's
    bm25 () walks each phrase again on its own (xQueryPhrase) for that.
    Here: of one phrase, they are the matches, known at the end; a search
    of several phrases without exclusions walks their union ("a" OR "b")
    and counts each phrase as it goes, keeping as matches the items that
    hold a phrase of every AND group; and the counts are remembered by
    phrase until the index changes (archive_rank_recall), so that a search
    of phrases all counted before walks only its own matches.

    Each connection that searches has a walk of its own (archive_rank_
    register), so that two threads can walk two rowid ranges of one search
    at once and merge (archive_reader.h); the table itself is only read
    while they do.  The store fills the table from the index
    (archive_rank_put) before each search and forgets what a rollback may
    have undone.  Items never change their text once added (a revision is a
    new row); when their columns change (the convention a meeting's
    schedule gives its earlier items, the level a family's distribution
    puts in force, the level their symbols are seen at) or an item that
    left the index enters it again (a withdrawal makes an earlier revision
    current), the store forgets the whole table (archive_store_meeting,
    archive_distribution_family_set, archive_distribution_withdraw). */
#ifndef ARCHIVE_RANK_H_INCLUDED
#define ARCHIVE_RANK_H_INCLUDED

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _archive_rank_t archive_rank_t;
typedef struct _archive_rank_walk_t archive_rank_walk_t;

//  A new, empty table.  NULL when out of memory.
archive_rank_t *archive_rank_new (void);

//  Free the table.  NULL-safe; sets *SELF_P to NULL.
void archive_rank_destroy (archive_rank_t **self_p);

//  Register archive_collect on DB, with a walk of its own (owned by SELF,
//  which must outlive DB); a search on another connection in another
//  thread walks there.  NULL when DB has no FTS5 (or out of memory).
archive_rank_walk_t *archive_rank_register (archive_rank_t *self, sqlite3 *db);

//  The filterable columns of an item, each NULL when the item has none;
//  SYMBOL upper-case, as the symbol pattern is matched, each after the
//  digit of the level it is seen at (2CCW/CONF.VI/4), and for an outcome
//  every symbol it cites, separated by ARCHIVE_RANK_SYMBOLS_SEP (a symbol
//  holds no space): the pattern then needs to match one of them that the
//  search's level may see.
#define ARCHIVE_RANK_SYMBOLS_SEP " "
typedef struct {
    const char *kind, *language, *meeting, *convention, *date, *distribution, *symbol;
} archive_rank_columns_t;

//  Remember item ID: SIZES is its docsize record (BYTES long: one varint of
//  tokens per indexed column), LEVEL its level, COLUMNS its filterable
//  columns (copied).  0, or -1 out of memory.
int archive_rank_put (archive_rank_t *self, int64_t id, const void *sizes, int bytes,
                      int level, const archive_rank_columns_t *columns);

//  The highest id remembered (0 when empty): rows above it are still to put.
int64_t archive_rank_last (archive_rank_t *self);

//  Forget the entries above id LAST (after a rollback: their rows may come
//  back as others); 0 forgets all.
void archive_rank_forget (archive_rank_t *self, int64_t last);

//  Phrases in one search at most (archive.search's q has 32 words and
//  phrases at most, each two phrases of the index at most: archive_query.h).
#define ARCHIVE_RANK_PHRASES_MAX 64

//  What a search keeps of its matches: items up to MAX_LEVEL, and for each
//  other field that is not NULL, items whose column equals it (FROM and TO
//  bound the date, inclusive; SYMBOL_GLOB is a GLOB pattern on the
//  upper-case symbol).  Strings are borrowed until archive_rank_collected.
//
//  GROUPS, when not NULL, says that the statement walks the union of the
//  search's PHRASES ("a" OR "b" OR "c") rather than the search itself
//  (("a" OR "b") AND ("c")): GROUPS [i] is the AND group of phrase i, and
//  a match must hold a phrase of every group.  The walk then also counts
//  the items that hold each phrase, which bm25 needs: without it each
//  phrase of a search of several would be walked again on its own.
typedef struct {
    int max_level;
    const char *convention, *meeting, *language, *kind, *distribution;
    const char *from, *to, *symbol_glob;
    const unsigned char *groups;
    int phrases;
    //  When not NULL: the items holding each phrase, counted by an earlier
    //  search since the index last changed (archive_rank_remember), so
    //  that the walk need not count them again
    const int64_t *holding;
    //  Items that do not pass (EXCLUDED ids, ascending): a search by symbol
    //  lists its family first and walks its text for the others
    const int64_t *exclude;
    size_t excluded;
} archive_rank_filter_t;

//  A ranked match: its rowid and bm25 (negative; lower is better).
typedef struct {
    int64_t id;
    double bm25;
} archive_rank_hit_t;

//  Begin a collection in WALK for the next statement on its connection
//  that calls archive_collect: the matches that pass FILTER are counted,
//  the best KEEP kept.  Called in the thread that owns the table.
void archive_rank_collect (archive_rank_walk_t *walk, const archive_rank_filter_t *filter,
                           size_t keep);

//  A search by symbol: into *IDS (owned by WALK until its next collection)
//  the items that pass the filter of WALK's collection (archive_rank_
//  collect) and have a symbol its level may see that is of the family
//  BASE (BASE itself or BASE with Rev./Corr./Add. suffixes) or, when BASE
//  is NULL, that matches GLOB (as GLOB would, on upper case symbols); in
//  the order a search by symbol lists them: the documents whose symbol is
//  EXACT (NULL: none), the other documents, outcomes, statements; documents
//  by symbol, then each by language (ar zh en fr ru es, others last) and
//  id.  Only the CANDIDATE_COUNT items of CANDIDATES are looked at when it
//  is not NULL (a family's, from its index), else every item.  Their
//  number, or -1 out of memory.
int64_t archive_rank_symbols (archive_rank_walk_t *walk, const char *exact, const char *base,
                              const char *glob, const int64_t *candidates,
                              size_t candidate_count, const int64_t **ids);

//  Add to WALK the matches and counts of OTHER, which collected the same
//  search over other rowids.  0, or -1 out of memory (WALK then failed).
int archive_rank_merge (archive_rank_walk_t *walk, const archive_rank_walk_t *other);

//  End the collection of WALK: the number of matches that passed into *TOTAL, the
//  best (at most KEEP) into *HITS in order, bm25 then id, as ORDER BY bm25,
//  id would give (owned by SELF until the next collection), their number
//  returned.  -1 when the collection failed (out of memory); -2 when the
//  statement's phrases were not the PHRASES of a filter with GROUPS or
//  HOLDING (an expression that FTS5 parsed otherwise than its builder
//  meant: walk the search itself, counting, instead).
int64_t archive_rank_collected (archive_rank_walk_t *walk, int64_t *total,
                                const archive_rank_hit_t **hits);

//  0 while WALK's collection goes well; -1 out of memory; -2 its statement's
//  phrases were not the filter's (see archive_rank_collected).
int archive_rank_failed (const archive_rank_walk_t *walk);

//  After archive_rank_collected: the items that hold phrase PHRASE into
//  *ITEMS, when the collection counted them.  1, or 0 when it did not.
int archive_rank_holding (archive_rank_walk_t *walk, int phrase, int64_t *items);

//  The phrase counts remembered between searches, by phrase (KEY, LENGTH
//  bytes: its string in the expression, archive_tokenizer.h).  Recall gives
//  1 and *ITEMS when KEY is remembered, else 0; remember keeps it (a
//  bounded table, emptied when full); forget empties it, which the store
//  does whenever the index changes.
int  archive_rank_recall (archive_rank_t *self, const char *key, int length, int64_t *items);
void archive_rank_remember (archive_rank_t *self, const char *key, int length, int64_t items);
void archive_rank_forget_counts (archive_rank_t *self);

#endif

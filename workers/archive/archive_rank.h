/*  archive_rank — the archive's ranking function, bm25 without a look-up
    per match.

    FTS5's bm25() reads every match's length from the index's docsize table
    with a statement of its own; for a common word (16,000 matches in 100,000
    documents) that was two thirds of a search (bench/pl_bench_archive.c).
    This module keeps each indexed item's length in tokens, its level and
    its filterable columns (kind, language, meeting, convention, date,
    distribution; strings interned, 32 bytes an item) in memory, by rowid,
    and offers two FTS5 auxiliary functions:

        archive_rank (item_fts)   bm25 (item_fts, 4.0, 1.0), the same value
        archive_filter (item_fts, level, convention, meeting, language, kind,
                        from, to, distribution)
                                  1 when the item passes the search filters
                                  (each NULL: no filter), as item's columns
                                  would: level <= LEVEL, equal strings,
                                  from <= date <= to; else 0

    so that only a symbol pattern still needs a row of item per match.

    The store fills the table from the index (archive_rank_put) before each
    search and forgets what a rollback may have undone.  Items never change their text,
    level or columns once added (a revision is a new row), but for the
    convention a meeting's schedule gives its earlier items: the store
    forgets the whole table then (archive_store_meeting). */
#ifndef ARCHIVE_RANK_H_INCLUDED
#define ARCHIVE_RANK_H_INCLUDED

#include <sqlite3.h>
#include <stdint.h>

typedef struct _archive_rank_t archive_rank_t;

//  A new, empty table.  NULL when out of memory.
archive_rank_t *archive_rank_new (void);

//  Free the table.  NULL-safe; sets *SELF_P to NULL.
void archive_rank_destroy (archive_rank_t **self_p);

//  Register archive_rank and archive_filter on DB; SELF must outlive DB.
//  0, or -1 when DB has no FTS5.
int archive_rank_register (archive_rank_t *self, sqlite3 *db);

//  The filterable columns of an item, each NULL when the item has none.
typedef struct {
    const char *kind, *language, *meeting, *convention, *date, *distribution;
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

#endif

/*  archive_find — a search with words, over the archive store's connection.

    The store (archive_store.c) owns the database, its writes and the
    listings; this class answers archive.search when it has words.  Every
    match is walked once through archive_collect (archive_rank.h), with the
    expression for matching only (archive_tokenizer.h): the walk filters,
    counts and keeps the matches, and in an archive of 20,000 items or more
    the upper half of the rowids is walked at the same time by a second
    connection on a thread of its own (archive_reader.h).  A search of
    several phrases walks their union, so that each is counted in the same
    pass, unless earlier searches counted them all since the index last
    changed.  Then the page's hits are read, each with the snippet
    archive_snippet makes from its text. */
#ifndef ARCHIVE_FIND_H_INCLUDED
#define ARCHIVE_FIND_H_INCLUDED

#include "archive_rank.h"
#include "archive_store.h"
#include <sqlite3.h>

typedef struct _archive_find_t archive_find_t;

//  A finder on DB, the store's connection to the database at PATH (both
//  borrowed: they must outlive it), with the tokenizer registered and the
//  schema migrated; RANK (borrowed) is the store's rank table, which the
//  finder fills from the index before each search.  NULL on failure (logged).
archive_find_t *archive_find_new (sqlite3 *db, const char *path, archive_rank_t *rank);

//  Free the finder.  NULL-safe; sets *SELF_P to NULL.
void archive_find_destroy (archive_find_t **self_p);

//  Split the walks of an archive of MIN_ITEMS items or more (-1 never);
//  see archive_store_parallel.
void archive_find_parallel (archive_find_t *self, int64_t min_items);

//  SEARCH, which has words (match): the page's hits appended to ITEMS, the
//  number of matches that pass its filters into *TOTAL.  0, or -1 with
//  *STATUS (400: the words are not understood; 500) and ERR.
int archive_find_run (archive_find_t *self, const archive_search_t *search, json_t *items,
                      json_int_t *total, int *status, char *err, size_t errsize);

#endif

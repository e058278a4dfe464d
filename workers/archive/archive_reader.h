/*  archive_reader — a second connection to the archive that walks part of
    a search's matches on a thread of its own.

    A word found in a sixth of 100,000 items costs its search a walk of
    16,000 matches, and FTS5 walks one match at a time.  The store splits
    such a walk by rowid: it walks the lower half on its own connection
    while the reader walks the upper half on this one, in parallel, each
    into its own archive_rank walk; the store then merges the two
    (archive_rank_merge) and ranks once.  The reader only reads, between
    the worker's batches (the worker answers a query only when no batch is
    open), so it sees what the worker committed, as the store does.

    One job at a time: archive_reader_start, then archive_reader_wait
    before anything else touches the walk or the job's strings. */
#ifndef ARCHIVE_READER_H_INCLUDED
#define ARCHIVE_READER_H_INCLUDED

#include "archive_rank.h"
#include <stddef.h>
#include <stdint.h>

typedef struct _archive_reader_t archive_reader_t;

//  Open the database at PATH again (it must exist: the store opened and
//  migrated it) with the tokenizer and a walk of RANK registered, and
//  start the reader's thread.  NULL on failure (logged).
archive_reader_t *archive_reader_new (const char *path, archive_rank_t *rank);

//  Stop the thread and close the connection.  NULL-safe; sets *SELF_P to NULL.
void archive_reader_destroy (archive_reader_t **self_p);

//  The reader's walk, for archive_rank_collect before a job and
//  archive_rank_merge after it.
archive_rank_walk_t *archive_reader_walk (archive_reader_t *self);

//  Start walking the matches of EXPRESSION (borrowed until the wait) whose
//  rowid is FIRST or more through the reader's walk, collected as
//  archive_rank_collect set it up.
void archive_reader_start (archive_reader_t *self, const char *expression, int64_t first);

//  Wait for the job: 0, or -1 with the SQLite error message into ERR.
int archive_reader_wait (archive_reader_t *self, char *err, size_t errsize);

#endif

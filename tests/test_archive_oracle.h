/*  test_archive_oracle — archive.search checked against SQLite's own FTS5.

    An archive to release (documents in five languages, meetings,
    statements, outcomes, a revision), the searches to ask of it, and the
    oracle: for each search, the answer computed with plain SQL on a
    connection of its own (FTS5's bm25 () and snippet (), filters on item's
    columns), which shares no code with the worker's search path.
    test_archive.c releases the archive through the worker's handler and
    asks the worker. */
#ifndef TEST_ARCHIVE_ORACLE_H_INCLUDED
#define TEST_ARCHIVE_ORACLE_H_INCLUDED

#include <jansson.h>
#include <stddef.h>

typedef struct _oracle_t oracle_t;

//  The archives are released in parts, and the searches checked after
//  each: parts 1 and 2 make the main archive, part 3 a small one of its
//  own (on a fresh store) where two hits tie but for rounding.
#define ORACLE_PARTS     3
#define ORACLE_NEAR_TIE  3
//  Hits per page asked: small, so that most searches take several pages.
#define ORACLE_PAGE_SIZE 3

//  Event INDEX (from 0) of part PART (1..ORACLE_PARTS) of the archive: its
//  topic into *TOPIC and its payload (caller owns); NULL past the part's last.
json_t *oracle_event (int part, size_t index, const char **topic);

//  How many searches there are to check.
size_t oracle_searches (void);

//  The archive.search arguments of SEARCH for page PAGE (caller owns).
json_t *oracle_args (size_t search, int page);

//  Open the oracle on the store's database file PATH, read through a
//  connection of its own.  NULL on failure (printed).
oracle_t *oracle_new (const char *path);

//  Close it.  NULL-safe; sets *SELF_P to NULL.
void oracle_destroy (oracle_t **self_p);

//  Check REPLY, the worker's answer to oracle_args (SEARCH, PAGE) asked as
//  ROLE once part PART is released (NULL when it did not answer): its
//  total, and each hit's rank, id, score, relevance and snippet (byte for byte, cut
//  as a reply cuts it), as FTS5 gives them; and the archive's own promises
//  for the search (that it finds something, ties, cuts a snippet, shows
//  what its snippets are there to show).  1 when equal and PAGE was past
//  the last, 0 when equal and more pages follow, -1 when different, with
//  the search, role, page, expected and actual printed.
int oracle_check (oracle_t *self, int part, size_t search, const char *role, int page,
                  const json_t *reply);

#endif

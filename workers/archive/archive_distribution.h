/*  archive_distribution — what of a document each role may see.

    The distribution in force of each document family (the symbol without
    its Rev./Corr./Add. suffixes: lib/pl_symbol.h), kept in the table
    family and on every document item of the family, so that the filters
    of a search read it from the item; the family's declassifications; and
    withdrawn revisions (document.withdrawn_seq), which only the
    secretariat sees, the index holding the newest revision that stands.

    A class on the archive store's connection, as archive_find is: the
    store owns it (archive_store_distribution) and hands it the connection,
    with its schema migrated, and the rank table, which it forgets whenever
    what an item is seen at changes or an item enters the index again.  It
    knows tables, not rules: archive_worker.c decides what an event means,
    inside the store's transaction.  Methods return 0 on success and -1 on
    a storage failure (logged); look-ups 1 found, 0 not, -1. */
#ifndef ARCHIVE_DISTRIBUTION_H_INCLUDED
#define ARCHIVE_DISTRIBUTION_H_INCLUDED

#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>
#include "archive_rank.h"

typedef struct _archive_distribution_t archive_distribution_t;

//  A new one on DB, the store's connection to the database at PATH, and
//  its rank table RANK (all borrowed: they must outlive it).  NULL on
//  failure (logged).
archive_distribution_t *archive_distribution_new (sqlite3 *db, const char *path,
                                                  archive_rank_t *rank);

//  Free it.  NULL-safe; sets *SELF_P to NULL.
void archive_distribution_destroy (archive_distribution_t **self_p);

//  The level in force of family BASE (PL_GENERAL..): 1 found (*LEVEL), 0 no
//  document of it was released (*LEVEL general), -1.
int  archive_distribution_family (archive_distribution_t *self, const char *base, int *level);

//  Put LEVEL in force for family BASE: its row, and, when the level changes
//  (a family without a row counts as general), the level and distribution
//  of every document item of the family, and the rank table is forgotten
//  (statements' and outcomes' documents are seen at it too).  0 or -1.
int  archive_distribution_family_set (archive_distribution_t *self, const char *base,
                                      int level);

//  Record the declassification of family BASE to DISTRIBUTION by event SEQ
//  at AT (RFC 3339), decided by BY for REASON.  0 or -1.
int  archive_distribution_declassified (archive_distribution_t *self, uint64_t seq,
                                        const char *base, const char *distribution,
                                        const char *at, const char *by, const char *reason);

//  The declassifications of family BASE, oldest first, as a new array of
//  declassification objects (docs/events.md).  NULL on failure.
json_t *archive_distribution_declassifications (archive_distribution_t *self,
                                                const char *base);

//  Revision REVISION of document version KEY (symbol:language): 1 found
//  (*WITHDRAWN 1 when it is withdrawn), 0 none, -1.
int  archive_distribution_revision (archive_distribution_t *self, const char *key,
                                    int revision, int *withdrawn);

//  How many revisions of SYMBOL stand (are not withdrawn), in every
//  language, into *COUNT.  0 or -1.
int  archive_distribution_standing (archive_distribution_t *self, const char *symbol,
                                    int64_t *count);

//  Withdraw revision REVISION of document version KEY, or every revision
//  of it that stands when REVISION is 0, by event SEQ at AT, by BY for
//  REASON; the newest revision that stands becomes the current one, the
//  one indexed (none when none stands).  0 or -1.
int  archive_distribution_withdraw (archive_distribution_t *self, const char *key,
                                    int revision, uint64_t seq, const char *at,
                                    const char *by, const char *reason);

//  The keys (symbol:language) of SYMBOL's language versions, in order, as
//  a new array of strings.  NULL on failure.
json_t *archive_distribution_keys_of (archive_distribution_t *self, const char *symbol);

#endif

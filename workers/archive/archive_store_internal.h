/*  archive_store_internal — what the archive store's source files share.

    The store is one class over three files: archive_store.c (the
    database, migrations, transactions, the writes of events),
    archive_store_read.c (listings, hits' columns, what document.show
    shows, the facets of plenary check) and the search with words its
    archive_find does.  Statements of archive_store_read.c are static
    strings prepared on first use by archive_store_stmt (persistent, kept
    for the life of the store).  Not a public interface: only the store's
    own files include this. */
#ifndef ARCHIVE_STORE_INTERNAL_H_INCLUDED
#define ARCHIVE_STORE_INTERNAL_H_INCLUDED

#include "archive_store.h"
#include "archive_find.h"
#include <sqlite3.h>

//  The prepared statement for SQL (a static string: its address is the
//  cache key), reset and unbound, or NULL on failure (logged).
sqlite3_stmt *archive_store_stmt (archive_store_t *self, const char *sql);

//  Bind TEXT (NULL binds NULL) to parameter INDEX of STMT, borrowing it.
void archive_store_bind_text (sqlite3_stmt *stmt, int index, const char *text);

//  Finish with STMT after a step that returned RC: log unless RC is
//  SQLITE_ROW or SQLITE_DONE, reset and clear bindings.  Returns RC.
int archive_store_done (archive_store_t *self, sqlite3_stmt *stmt, int rc);

//  The current row of STMT as an object keyed by column names, NULL columns
//  left out: bm25 becomes the integer score, the schema's booleans true or
//  false, documents and changes (JSON arrays) arrays, a long snippet cut.
//  NULL when out of memory.
json_t *archive_store_row_object (sqlite3_stmt *stmt);

//  The database's path, for logs (borrowed).
const char *archive_store_path (archive_store_t *self);

//  The store's searches with words (borrowed).
archive_find_t *archive_store_find (archive_store_t *self);

//  Forget the whole rank table (an item's columns changed), also for a
//  rollback of the batch.
void archive_store_forget_rank (archive_store_t *self);

#endif

/*  records_store_facets — the records store's SQL for the facets that
    `plenary check` compares (lib/pl_facet.h): the authority's side of
    meetings, meeting-dates, sessions, participants and statements.

    Part of the records_store class (records_store_internal.h).  The
    statements are pl_facet_sql's, the records' shape: each selects the key, then the facet's fields in the table's
    order, as stored (pl_facet normalizes their forms), ordered by key; ?1
    is the key asked for, or NULL for every key.  A session's status is
    cancelled when its meeting is: the records keep a session's own status
    when its meeting is cancelled, the calendar cancels it (pl_facet.c). */
#include "records_store_internal.h"
#include "pl_log.h"

#include <string.h>

int
records_store_facet_rows (records_store_t *self, const pl_facet_t *facet, const char *key,
                          pl_facet_row_fn *row, void *arg)
{
    //  The records' tables are the shape pl_facet_sql reads
    const char *sql = pl_facet_sql (facet);
    if (!sql) {
        //  pl_facet's table says records holds it: pl_facet_sql must select it
        pl_error ("records: the store has no rows for facet %s", facet->name);
        return -1;
    }
    sqlite3_stmt *stmt = records_store_stmt (self, sql);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, key);
    int rc = pl_facet_step (stmt, facet, row, arg);
    //  a row that stopped the walk was logged by pl_facet
    records_store_done (self, stmt, rc == SQLITE_ABORT ? SQLITE_DONE : rc);
    return rc == SQLITE_DONE ? 0 : -1;
}

/*  records_store_facets — the records store's SQL for the facets that
    `plenary check` compares (lib/pl_facet.h): the authority's side of
    meetings, meeting-dates, sessions, participants and statements.

    Part of the records_store class (records_store_internal.h).  Each
    statement selects the key, then the facet's fields in the table's
    order, as stored (pl_facet normalizes their forms), ordered by key; ?1
    is the key asked for, or NULL for every key.  A session's status is
    cancelled when its meeting is: the records keep a session's own status
    when its meeting is cancelled, the calendar cancels it (pl_facet.c). */
#include "records_store_internal.h"
#include "pl_log.h"

#include <string.h>

static const struct {
    const char *facet;
    const char *sql;
} s_facets [] = {
    { "meetings",
      "SELECT '', id, convention FROM meeting WHERE coalesce(?1, '') = '' ORDER BY id" },
    { "meeting-dates",
      "SELECT '', id, status, start, \"end\", tz FROM meeting WHERE coalesce(?1, '') = ''"
      " ORDER BY id" },
    { "sessions",
      "SELECT s.meeting, s.id, s.start, s.\"end\","
      " CASE WHEN m.status = 'cancelled' THEN 'cancelled' ELSE s.status END, s.room"
      " FROM session s JOIN meeting m ON m.id = s.meeting"
      " WHERE ?1 IS NULL OR s.meeting = ?1 ORDER BY s.meeting" },
    { "participants",
      "SELECT meeting, id, status, delegation, family_name, given_name, email"
      " FROM participant WHERE ?1 IS NULL OR meeting = ?1 ORDER BY meeting" },
    { "statements",
      "SELECT meeting, id, delegation, language, agenda_item"
      " FROM statement WHERE ?1 IS NULL OR meeting = ?1 ORDER BY meeting" },
};

int
records_store_facet_rows (records_store_t *self, const pl_facet_t *facet, const char *key,
                          pl_facet_row_fn *row, void *arg)
{
    size_t i = 0;
    while (i < sizeof s_facets / sizeof s_facets [0] && strcmp (s_facets [i].facet, facet->name))
        i++;
    if (i == sizeof s_facets / sizeof s_facets [0]) {
        //  pl_facet's table says records holds it: this file must select it
        pl_error ("records: the store has no rows for facet %s", facet->name);
        return -1;
    }
    sqlite3_stmt *stmt = records_store_stmt (self, s_facets [i].sql);
    if (!stmt)
        return -1;
    records_store_bind_text (stmt, 1, key);
    int rc = pl_facet_step (stmt, facet, row, arg);
    //  a row that stopped the walk was logged by pl_facet
    records_store_done (self, stmt, rc == SQLITE_ABORT ? SQLITE_DONE : rc);
    return rc == SQLITE_DONE ? 0 : -1;
}

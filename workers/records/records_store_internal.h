/*  records_store_internal — what the records store's source files share.

    The records store is one class split over several files by subject
    (records_store.c: the database, migrations, transactions, shared
    helpers; records_store_meetings.c: meetings, sessions and conventions;
    records_store_participants.c: delegations, participant lifecycle,
    history and statistics; records_store_credentials.c,
    records_store_speakers.c, records_store_lists.c).  Each file keeps its SQL as static strings and
    gets the prepared statement with records_store_stmt, which prepares it
    once (persistent) and caches it for the life of the store.  Not a public
    interface: only records_store*.c include this. */
#ifndef RECORDS_STORE_INTERNAL_H_INCLUDED
#define RECORDS_STORE_INTERNAL_H_INCLUDED

#include "records_store.h"
#include <sqlite3.h>

//  The duplicate key of a person, as SQL: trimmed names folded with lower()
//  (ASCII only, so other scripts compare exactly) and the delegation code.
#define RECORDS_NAME_KEY(family, given, delegation) \
    "lower(trim(" family ")) || x'1f' || lower(trim(coalesce(" given ", ''))) " \
    "|| x'1f' || " delegation

//  Where a participant's function puts it within its delegation in a
//  list (head first), as SQL over the expression FUNCTION.
#define RECORDS_RANK(function) \
    "CASE " function " WHEN 'head' THEN 0 WHEN 'alternate' THEN 1" \
    " WHEN 'adviser' THEN 2 WHEN 'expert' THEN 3 ELSE 4 END"

//  Bind the key of PAGE's after (or one before every entry) to parameters
//  FIRST..FIRST+4 of STMT and its limit, plus one (to know whether more
//  follow), to FIRST+5.
void records_store_bind_page (sqlite3_stmt *stmt, int first, const records_page_t *page);

//  Cut ITEMS (an array in list order, of up to PAGE's limit plus one) to
//  the page: at most the limit, and no more than PL_PAGE_BYTES of them
//  (one at least); when entries are dropped, set REPLY's "next" to the
//  cursor of the last one kept.  0 or -1.
int records_store_page_end (json_t *reply, json_t *items, const records_page_t *page);

//  The prepared statement for SQL (a static string: its address is the
//  cache key), reset and unbound, or NULL on failure (logged).
sqlite3_stmt *records_store_stmt (records_store_t *self, const char *sql);

//  Bind TEXT (NULL binds NULL) to parameter INDEX of STMT, borrowing it.
void records_store_bind_text (sqlite3_stmt *stmt, int index, const char *text);

//  Bind field NAME of OBJECT: strings as text, booleans as 0/1, absent or
//  null as NULL.
void records_store_bind_field (sqlite3_stmt *stmt, int index, const json_t *object,
                               const char *name);

//  Finish with STMT after a step that returned RC: log unless RC is
//  SQLITE_ROW or SQLITE_DONE, reset and clear bindings.  Returns RC.
int records_store_done (records_store_t *self, sqlite3_stmt *stmt, int rc);

//  Step STMT (bound) to completion.  0 or -1.
int records_store_exec_stmt (records_store_t *self, sqlite3_stmt *stmt);

//  Step STMT (bound) once: 1 when it gave a row (the caller reads it, then
//  calls records_store_done), 0 when none (already reset), -1 on failure.
int records_store_step_row (records_store_t *self, sqlite3_stmt *stmt);

//  Run STMT (bound) and collect its rows as {"items": [...]} with
//  records_store_row_object.  NULL on failure (logged).
json_t *records_store_items (records_store_t *self, sqlite3_stmt *stmt);

//  The current row of STMT as an object keyed by column names; NULL columns
//  are left out, schema booleans become true/false and JSON-array columns
//  (agenda_items, changed) arrays.  NULL when out of memory.
json_t *records_store_row_object (sqlite3_stmt *stmt);

//  Copy text column COLUMN of STMT's current row into BUF ("" for NULL).
void records_store_column_copy (sqlite3_stmt *stmt, int column, char *buf, size_t size);

#endif

/*  notify_store_internal — what the notify store's two source files share.

    notify_store.c: the database, migrations, transactions, views and
    decisions; notify_store_outbox.c: the outbox, notices, digest, relay
    and status.  Each keeps its SQL as static strings and gets the prepared
    statement with notify_store_stmt, which prepares it once and caches it
    for the life of the store.  Only notify_store*.c include this. */
#ifndef NOTIFY_STORE_INTERNAL_H_INCLUDED
#define NOTIFY_STORE_INTERNAL_H_INCLUDED

#include "notify_store.h"
#include "pl_stmts.h"
#include <sqlite3.h>

#define NOTIFY_STMT_CACHE_MAX 96

struct _notify_store_t {
    sqlite3 *db;
    pl_txn_t *txn;                  //  the batches' transaction; NULL in a reader
    char path [1024];
    int64_t created_ms;
    pl_stmts_t *stmts;              //  notify_store_stmt's, by the address of their SQL
};

//  The prepared statement for SQL (a static string: its address is the
//  cache key), reset and unbound, or NULL on failure (logged).
sqlite3_stmt *notify_store_stmt (notify_store_t *self, const char *sql);

//  Bind TEXT (NULL binds NULL) to parameter INDEX of STMT, borrowing it.
void notify_store_bind_text (sqlite3_stmt *stmt, int index, const char *text);

//  Run the statement SQL with text parameters (NULL binds NULL; COUNT of
//  them) to completion.  0 or -1.
int notify_store_run (notify_store_t *self, const char *sql, int count, ...);

//  Step STMT (bound) to completion, then reset it.  0 or -1.
int notify_store_exec (notify_store_t *self, sqlite3_stmt *stmt);

//  Step STMT (bound) once: 1 with a row (read it, then notify_store_reset),
//  0 when none (already reset), -1 on failure (reset).
int notify_store_step (notify_store_t *self, sqlite3_stmt *stmt);

//  Reset STMT and clear its bindings.
void notify_store_reset (sqlite3_stmt *stmt);

//  The current row of STMT as an object keyed by column names (NULL
//  columns left out, integers as integers).  NULL when out of memory.
json_t *notify_store_object (sqlite3_stmt *stmt);

#endif

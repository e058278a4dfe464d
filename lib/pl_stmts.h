/*  pl_stmts — a store's prepared statements, each prepared once on first
    use and kept for the life of the connection.

    A store file writes its SQL as static strings next to the code that
    runs it and asks for the statement by the string's address:

        static const char *sql = "SELECT title FROM meeting WHERE id = ?1";
        sqlite3_stmt *stmt = pl_stmts_get (self->stmts, sql);
        if (!stmt) return -1;
        ... bind, step, sqlite3_reset

    The same address gives the same statement (reset by the caller after
    use); another string with the same text is another statement.  The
    object owns the statements and finalizes them when destroyed. */
#ifndef PL_STMTS_H_INCLUDED
#define PL_STMTS_H_INCLUDED

#include <stddef.h>
#include <sqlite3.h>

typedef struct _pl_stmts_t pl_stmts_t;

//  Room for MAX statements on DB (borrowed: it must outlive the object);
//  COMPONENT (a static string) names the store in log lines.  Returns the
//  object, owned by the caller, or NULL when out of memory.
pl_stmts_t *pl_stmts_new (sqlite3 *db, const char *component, size_t max);

//  The statement of SQL (a static string, known by its address), prepared
//  now if it was not yet (SQLITE_PREPARE_PERSISTENT).  Borrowed: valid
//  until the object is destroyed.  NULL, logged, when SQLite refuses it or
//  the store asks for more than MAX statements (a bug: asserted in a build
//  with asserts).
sqlite3_stmt *pl_stmts_get (pl_stmts_t *self, const char *sql);

//  Finalize every statement; NULL-safe, sets *SELF_P to NULL.
void pl_stmts_destroy (pl_stmts_t **self_p);

//  Self-test.  0 when it passes.
int pl_stmts_test (int verbose);

#endif

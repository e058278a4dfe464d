/*  pl_stmts — a store's prepared statements by the address of their SQL
    (see pl_stmts.h).  A store asks for a few dozen statements at most, so
    a look-up is a walk of an array comparing pointers, as fast as the
    copies each store had of this. */
#include "pl_stmts.h"
#include "pl_log.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    const char *sql;            //  its address is the key
    sqlite3_stmt *stmt;
} s_entry_t;

struct _pl_stmts_t {
    sqlite3 *db;
    const char *component;
    size_t count;
    size_t max;
    s_entry_t entries [];
};

pl_stmts_t *
pl_stmts_new (sqlite3 *db, const char *component, size_t max)
{
    pl_stmts_t *self = calloc (1, sizeof *self + max * sizeof (s_entry_t));
    if (!self)
        return NULL;
    self->db = db;
    self->component = component;
    self->max = max;
    return self;
}

sqlite3_stmt *
pl_stmts_get (pl_stmts_t *self, const char *sql)
{
    for (size_t i = 0; i < self->count; i++)
        if (self->entries [i].sql == sql)
            return self->entries [i].stmt;
    //  The room is sized for every statement of the store's files: our bug
    assert (self->count < self->max);
    if (self->count == self->max) {
        pl_error ("%s: more statements than the store keeps (%zu) sql=%.60s",
                  self->component, self->max, sql);
        return NULL;
    }
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL)
        != SQLITE_OK) {
        pl_error ("%s: cannot prepare db=%s cause=%s sql=%.60s", self->component,
                  sqlite3_db_filename (self->db, "main"), sqlite3_errmsg (self->db), sql);
        sqlite3_finalize (stmt);
        return NULL;
    }
    self->entries [self->count++] = (s_entry_t) { sql, stmt };
    return stmt;
}

void
pl_stmts_destroy (pl_stmts_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    pl_stmts_t *self = *self_p;
    for (size_t i = 0; i < self->count; i++)
        sqlite3_finalize (self->entries [i].stmt);
    free (self);
    *self_p = NULL;
}

//  --------------------------------------------------------------------------
//  Self-test

#define PL_TEST_ON_FAIL goto done
#include "pl_test.h"

int
pl_stmts_test (int verbose)
{
    int rc = -1;
    sqlite3 *db = NULL;
    pl_stmts_t *stmts = NULL;
    static const char *one = "SELECT 1", *same_text = "SELECT 1 ", *bad = "SELECT FROM";
    CHECK (sqlite3_open (":memory:", &db) == SQLITE_OK);
    stmts = pl_stmts_new (db, "pl_stmts_test", 2);
    CHECK (stmts);
    sqlite3_stmt *first = pl_stmts_get (stmts, one);
    CHECK (first && sqlite3_step (first) == SQLITE_ROW && sqlite3_column_int (first, 0) == 1);
    sqlite3_reset (first);
    CHECK (pl_stmts_get (stmts, one) == first);            //  by address: prepared once
    CHECK (pl_stmts_get (stmts, bad) == NULL);             //  refused, not kept
    sqlite3_stmt *second = pl_stmts_get (stmts, same_text);
    CHECK (second && second != first);
    CHECK (pl_stmts_get (stmts, one) == first && pl_stmts_get (stmts, same_text) == second);
    pl_stmts_destroy (&stmts);
    CHECK (stmts == NULL);
    pl_stmts_destroy (&stmts);
    rc = 0;
    if (verbose)
        printf ("pl_stmts_test: OK\n");
done:
    pl_stmts_destroy (&stmts);
    sqlite3_close (db);
    return rc;
}

/*  pl_txn — a worker store's batch transaction (see pl_txn.h).

    The statements are prepared once (SQLITE_PREPARE_PERSISTENT): a batch
    of a thousand registrations runs a thousand SAVEPOINTs and RELEASEs,
    and preparing each again would cost more than running it. */
#include "pl_txn.h"
#include "pl_log.h"

#include <stdio.h>
#include <stdlib.h>

struct _pl_txn_t {
    sqlite3 *db;
    const char *component;      //  a static string: "records"
    sqlite3_stmt *stmt [PL_TXN_OPS];
};

//  The UNDO slot holds ROLLBACK TO; the RELEASE that follows it is RELEASE's.
static const char *s_sql [PL_TXN_OPS] = {
    [PL_TXN_BEGIN]     = "BEGIN",
    [PL_TXN_COMMIT]    = "COMMIT",
    [PL_TXN_ROLLBACK]  = "ROLLBACK",
    [PL_TXN_SAVEPOINT] = "SAVEPOINT event",
    [PL_TXN_RELEASE]   = "RELEASE event",
    [PL_TXN_UNDO]      = "ROLLBACK TO event",
};

pl_txn_t *
pl_txn_new (sqlite3 *db, const char *component, int immediate)
{
    pl_txn_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->db = db;
    self->component = component;
    for (int op = 0; op < PL_TXN_OPS; op++) {
        const char *sql = op == PL_TXN_BEGIN && immediate ? "BEGIN IMMEDIATE" : s_sql [op];
        if (sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &self->stmt [op], NULL)
            != SQLITE_OK) {
            pl_error ("%s: cannot prepare %s cause=%s", component, sql, sqlite3_errmsg (db));
            pl_txn_destroy (&self);
            return NULL;
        }
    }
    return self;
}

//  Step the statement of OP once.  0 or -1 (logged).
static int
s_step (pl_txn_t *self, pl_txn_op_t op)
{
    int rc = sqlite3_step (self->stmt [op]);
    sqlite3_reset (self->stmt [op]);
    if (rc == SQLITE_DONE)
        return 0;
    pl_error ("%s: %s failed db=%s cause=%s", self->component, s_sql [op],
              sqlite3_db_filename (self->db, "main"), sqlite3_errmsg (self->db));
    return -1;
}

int
pl_txn_run (pl_txn_t *self, pl_txn_op_t op)
{
    if (op == PL_TXN_ROLLBACK) {
        if (!sqlite3_get_autocommit (self->db))
            s_step (self, op);
        return 0;
    }
    if (op == PL_TXN_UNDO)
        return s_step (self, PL_TXN_UNDO) || s_step (self, PL_TXN_RELEASE) ? -1 : 0;
    return s_step (self, op);
}

sqlite3 *
pl_txn_db (pl_txn_t *self)
{
    return self->db;
}

void
pl_txn_destroy (pl_txn_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    pl_txn_t *self = *self_p;
    for (int op = 0; op < PL_TXN_OPS; op++)
        sqlite3_finalize (self->stmt [op]);
    free (self);
    *self_p = NULL;
}

//  --------------------------------------------------------------------------
//  Self-test

#define PL_TEST_ON_FAIL goto done
#include "pl_test.h"

//  The number of rows in table t of DB, or -1.
static int
s_test_rows (sqlite3 *db)
{
    sqlite3_stmt *stmt = NULL;
    int rows = -1;
    if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM t", -1, &stmt, NULL) == SQLITE_OK
    &&  sqlite3_step (stmt) == SQLITE_ROW)
        rows = sqlite3_column_int (stmt, 0);
    sqlite3_finalize (stmt);
    return rows;
}

int
pl_txn_test (int verbose)
{
    int rc = -1;
    sqlite3 *db = NULL;
    pl_txn_t *txn = NULL;
    CHECK (sqlite3_open (":memory:", &db) == SQLITE_OK);
    CHECK (sqlite3_exec (db, "CREATE TABLE t (x)", NULL, NULL, NULL) == SQLITE_OK);
    txn = pl_txn_new (db, "pl_txn_test", 1);
    CHECK (txn && pl_txn_db (txn) == db);

    //  Outside a transaction a rollback does nothing and says so with 0
    CHECK (pl_txn_run (txn, PL_TXN_ROLLBACK) == 0);
    CHECK (pl_txn_run (txn, PL_TXN_COMMIT) == -1);   //  no transaction: SQLite says so

    //  An undone event leaves nothing; a released one stays; COMMIT keeps it
    CHECK (pl_txn_run (txn, PL_TXN_BEGIN) == 0 && !sqlite3_get_autocommit (db));
    CHECK (pl_txn_run (txn, PL_TXN_SAVEPOINT) == 0);
    CHECK (sqlite3_exec (db, "INSERT INTO t VALUES (1)", NULL, NULL, NULL) == SQLITE_OK);
    CHECK (pl_txn_run (txn, PL_TXN_UNDO) == 0 && s_test_rows (db) == 0);
    CHECK (pl_txn_run (txn, PL_TXN_SAVEPOINT) == 0);
    CHECK (sqlite3_exec (db, "INSERT INTO t VALUES (2)", NULL, NULL, NULL) == SQLITE_OK);
    CHECK (pl_txn_run (txn, PL_TXN_RELEASE) == 0 && s_test_rows (db) == 1);
    CHECK (!sqlite3_get_autocommit (db));           //  the savepoint ended, not the batch
    CHECK (pl_txn_run (txn, PL_TXN_COMMIT) == 0 && sqlite3_get_autocommit (db));

    //  A rollback takes the whole batch back
    CHECK (pl_txn_run (txn, PL_TXN_BEGIN) == 0);
    CHECK (sqlite3_exec (db, "INSERT INTO t VALUES (3)", NULL, NULL, NULL) == SQLITE_OK);
    CHECK (pl_txn_run (txn, PL_TXN_ROLLBACK) == 0 && sqlite3_get_autocommit (db));
    CHECK (s_test_rows (db) == 1);

    pl_txn_destroy (&txn);
    CHECK (txn == NULL);
    pl_txn_destroy (&txn);                             //  idempotent
    rc = 0;
    if (verbose)
        printf ("pl_txn_test: OK\n");
done:
    pl_txn_destroy (&txn);
    sqlite3_close (db);
    return rc;
}

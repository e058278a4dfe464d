/*  pl_txn — a worker store's batch transaction: BEGIN, a savepoint per
    event, COMMIT or ROLLBACK, as statements prepared once.

    Every worker applies a batch of events in one transaction and each new
    event in a savepoint inside it, so that a rejection rolls back only its
    event (pl_rules runs that loop).  The six statements are the same in
    every store; a store makes one pl_txn_t over its connection when it
    opens and destroys it before closing the connection:

        pl_txn_t *txn = pl_txn_new (db, "records", 0);
        if (pl_txn_run (txn, PL_TXN_BEGIN)) ...
        pl_txn_run (txn, PL_TXN_SAVEPOINT); ... pl_txn_run (txn, PL_TXN_UNDO);
        pl_txn_run (txn, PL_TXN_COMMIT);
        pl_txn_destroy (&txn); */
#ifndef PL_TXN_H_INCLUDED
#define PL_TXN_H_INCLUDED

#include <sqlite3.h>

typedef enum {
    PL_TXN_BEGIN,               //  BEGIN (BEGIN IMMEDIATE when made IMMEDIATE)
    PL_TXN_COMMIT,
    PL_TXN_ROLLBACK,            //  the whole transaction; nothing when none is open
    PL_TXN_SAVEPOINT,           //  SAVEPOINT event
    PL_TXN_RELEASE,             //  RELEASE event: keep what the event wrote
    PL_TXN_UNDO,                //  ROLLBACK TO event, then RELEASE it: undo the event
    PL_TXN_OPS
} pl_txn_op_t;

typedef struct _pl_txn_t pl_txn_t;

//  Prepare the statements on DB (borrowed: it must outlive the object).
//  IMMEDIATE makes BEGIN take the write lock at once (a store another
//  thread writes too).  COMPONENT names the store in log lines.  Returns
//  the object, owned by the caller, or NULL (logged).
pl_txn_t *pl_txn_new (sqlite3 *db, const char *component, int immediate);

//  Run OP.  0, or -1 (logged with the cause); PL_TXN_ROLLBACK always 0.
int pl_txn_run (pl_txn_t *self, pl_txn_op_t op);

//  The connection the statements run on (borrowed).
sqlite3 *pl_txn_db (pl_txn_t *self);

//  Finalize the statements; NULL-safe, sets *SELF_P to NULL.
void pl_txn_destroy (pl_txn_t **self_p);

//  Self-test.  0 when it passes.
int pl_txn_test (int verbose);

#endif

/*  pl_cursor — a worker store's cursor and first verdicts, in its own database.

    Every worker database holds two small tables managed here:
      pl_cursor   (one row: the last sequence number applied)
      pl_rejected (seq, reason) for the events the worker rejected
    A store calls pl_cursor_advance inside the same transaction that applied
    the event, so "applied" and "cursor moved" are one atomic step.  For a
    redelivered event (seq <= cursor) pl_cursor_verdict gives the verdict it
    first got, so a retry is answered the same way and applied nothing twice. */
#ifndef PL_CURSOR_H_INCLUDED
#define PL_CURSOR_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

//  Create the tables if they do not exist.  0 or -1 (logged).
int pl_cursor_init (sqlite3 *db);

//  Read the cursor into *SEQ (0 when nothing was applied).  0 or -1.
int pl_cursor_get (sqlite3 *db, uint64_t *seq);

//  Move the cursor to SEQ; REASON non-NULL records a rejection.  Call inside
//  the store's transaction.  0 or -1.
int pl_cursor_advance (sqlite3 *db, uint64_t seq, const char *reason);

//  The first verdict of an already-applied SEQ: *APPLIED 1, or 0 with
//  REASON filled.  0 or -1.
int pl_cursor_verdict (sqlite3 *db, uint64_t seq, int *applied,
                       char *reason, size_t reason_size);

#endif

/*  pl_queries — a worker's queries, answered off the loop that applies
    events and answers heartbeats.

    The worker engine (pl_worker) hands every QUERY from the broker to
    pl_queries_take and sends on each REPLY it gets back.  When the handler
    opens readers (pl_worker_handler_t.reader_open), config->query_threads
    threads answer queries, each on a reader of its own (a read-only
    connection to the same database: WAL lets it read while the loop
    writes), so a query of any length never keeps the loop from applying
    events or from heartbeating.  Each query is one read transaction on its
    reader (one snapshot of the database) and is interrupted at its
    deadline: the QUERY's deadline_ms frame (how long the broker still
    waits), else config->query_timeout_ms.  A query that finds every thread
    busy waits in a queue of at most config->query_queue (beyond: 429), and
    is answered 504 without being run when its deadline passed meanwhile.
    Without readers, pl_queries_take answers on the caller's thread, on the
    store itself, as before threads existed.

        pl_queries_t *queries = pl_queries_new (config, "records", "records",
                                                handler, store);
        zmsg_t *reply = pl_queries_take (queries, msg);    //  QUERY, cursor on command
        if (reply) send it;                                //  answered or refused at once
        ... zmq_poll on pl_queries_poll_items, then:
        while ((reply = pl_queries_reply (queries))) send it;

    Test hook: with PL_TEST_HOLD_QUERIES=FILE in the environment, a query
    thread about to answer a query that FILE names (its first line; an
    empty FILE names every query) first creates FILE.held (holding the
    query's name) and waits while FILE exists, at most until the query's
    deadline (then answered 504, as a query that long would be), then
    removes FILE.held.  A
    black-box test thereby holds a query as long as it likes and knows
    when one is held (tests/worker_stall.sh).  Logged as a warning at start. */
#ifndef PL_QUERIES_H_INCLUDED
#define PL_QUERIES_H_INCLUDED

#include <czmq.h>
#include "pl_config.h"
#include "pl_worker.h"

//  Query threads one worker may run at most (pl_config_t.query_threads).
#define PL_QUERY_THREADS_MAX 16

typedef struct _pl_queries_t pl_queries_t;

//  Queries of a worker of GROUP answering SERVICES (comma-separated),
//  through HANDLER on STORE (both borrowed; STORE outlives the result).
//  Opens the readers and starts the threads when the handler has readers.
//  NULL on failure (logged).
pl_queries_t *pl_queries_new (const pl_config_t *config, const char *group,
                              const char *services, const pl_worker_handler_t *handler,
                              void *store);

//  Stop the threads (a query running is interrupted), close the readers.
//  NULL-safe; nulls *SELF_P.
void pl_queries_destroy (pl_queries_t **self_p);

//  Take the QUERY MSG (borrowed; its cursor on the command frame: request
//  id, name, payload, role, optional deadline_ms follow).  Returns a REPLY
//  message to send now, caller owns (answered here without readers, or
//  refused: malformed, 429), or NULL: a thread answers it later
//  (pl_queries_reply), or it was malformed beyond a reply (logged).
zmsg_t *pl_queries_take (pl_queries_t *self, zmsg_t *msg);

//  The sockets that become readable when a thread has answered, written
//  into ITEMS (at most MAX); returns how many.  Poll them for ZMQ_POLLIN.
size_t pl_queries_poll_items (pl_queries_t *self, zmq_pollitem_t *items, size_t max);

//  A REPLY a thread has answered, caller owns, or NULL when none is ready
//  (never waits).  Each reply taken lets the next waiting query start.
zmsg_t *pl_queries_reply (pl_queries_t *self);

//  Forget the queries waiting for a thread (the connection they came on
//  is gone: the broker gives them to a worker again).  Those running
//  finish; their replies are stale and the broker ignores them.
void pl_queries_forget (pl_queries_t *self);

//  Queries running or waiting.
size_t pl_queries_pending (pl_queries_t *self);

#endif

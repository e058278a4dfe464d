/*  pl_worker — the worker side of the PLW01 protocol, shared by every worker.

    A worker process builds a store (its SQLite database), wraps it in a
    pl_worker_handler_t and calls pl_worker_run.  The engine:
      - connects a DEALER to config->backend and sends READY with the group,
        the topic patterns, the query services, its credit and the store's
        cursor (the last sequence number it applied), so the broker resumes
        delivery right after it (Clone-style catch-up);
      - reads EVENTs, decodes and validates each payload against the schema,
        and hands every event that is waiting (up to the credit) to
        handler->apply as one batch; the store applies them and advances its
        cursor in one transaction, and only then are the VERDICTs sent;
      - answers QUERYs through handler->query, validating the reply against
        the schema before it leaves; a reply to a role below the secretariat
        leaves without the fields the schema marks personal
        (pl_schema_withhold), whatever the handler put in it.  With readers
        (handler->reader_open) queries run on threads of their own, each
        one read transaction on a reader, so a long query never stalls the
        loop (pl_queries);
      - heartbeats (Paranoid Pirate: the broker is dead after
        config->liveness silent intervals; reconnect with back-off from
        reconnect_initial_ms doubling to reconnect_max_ms).
    Events arrive in log order.  A redelivered event (seq <= cursor) must be
    answered with the verdict it first got: pl_cursor keeps those. */
#ifndef PL_WORKER_H_INCLUDED
#define PL_WORKER_H_INCLUDED

#include <signal.h>
#include <stdint.h>
#include <jansson.h>
#include <sqlite3.h>
#include "pl_config.h"
#include "pl_proto.h"

typedef struct {
    uint64_t seq;
    const char *topic;
    const char *event_id;
    const json_t *payload;      //  validated against schema TOPIC; borrowed
    int64_t time_ms;            //  when the broker appended it
    uint32_t attempt;           //  1 on first delivery, 2.. redelivered; 0 a replay: the
                                //  group gave its verdict on it already (seq <= its
                                //  acked_through), it comes again because the worker
                                //  asked from an earlier seq (a rebuild, a standby)
    const char *role;           //  the stamp (NULL is ""): the publisher's role,
    const char *by;             //  its key's name ("" without keys),
    const char *delegation;     //  and the key's delegation, a focal point's ("" none)
} pl_delivery_t;

typedef struct {
    int applied;                //  1 applied, 0 rejected
    char reason [PL_REASON_MAX];//  why rejected ("meeting ccm-msp11 does not exist")
} pl_verdict_t;

typedef struct {
    //  Apply COUNT events in order, in one transaction with the cursor
    //  advance; fill VERDICTS [i].  Return 0, or -1 when the store failed
    //  (nothing committed): the engine then disconnects and retries later.
    int (*apply) (void *store, const pl_delivery_t *events, size_t count,
                  pl_verdict_t *verdicts);
    //  Answer query NAME (ARGS validated) for a caller with ROLE (secretariat,
    //  record-keeper, delegate or public: decided by the broker; see
    //  pl_role_rank).  Return a new reply object of the schema's reply
    //  message, or NULL with *STATUS (4xx) and ERR.  The engine leaves the
    //  personal fields out for a role below the secretariat; the handler
    //  filters what else the role may not see (documents by distribution).
    json_t *(*query) (void *store, const char *name, const json_t *args, const char *role,
                      int *status, char *err, size_t errsize);
    //  The last sequence number applied (0 for an empty store).
    uint64_t (*cursor) (void *store);
    //  Queries off the loop (optional; without it queries are answered on
    //  the loop, between batches, on STORE).  Open a reader of STORE's
    //  database for one query thread: an object query accepts in place of
    //  STORE, over a read-only connection of its own (pl_store_open_reader).
    //  Called on the loop's thread; the reader is then used by its query
    //  thread alone.  NULL on failure (logged).
    void *(*reader_open) (void *store);
    void (*reader_close) (void *reader);
    //  The reader's connection (optional): the engine answers each query
    //  in one read transaction on it, so that every statement of a query
    //  sees the same snapshot, and interrupts it at the query's deadline.
    sqlite3 *(*reader_db) (void *reader);
    //  Optional: the database has changed since the reader's last query
    //  (another connection committed): forget what was kept from it
    //  (rendered feeds, phrase counts).  Called inside the snapshot the
    //  query then reads.
    void (*reader_changed) (void *reader);
} pl_worker_handler_t;

typedef struct _pl_worker_t pl_worker_t;

//  Build a worker of GROUP taking TOPICS (comma-separated patterns) and
//  answering SERVICES (comma-separated, may be ""), applying through HANDLER
//  on STORE (borrowed).  NULL on bad arguments.
pl_worker_t *pl_worker_new (const pl_config_t *config, const char *group,
                            const char *topics, const char *services,
                            const pl_worker_handler_t *handler, void *store);

//  Declare that this worker's group follows other groups' verdicts:
//  FOLLOWS is a comma-separated list of "leader:pattern" entries, e.g.
//  "records:meeting.*,records:session.*" (docs/protocol.md, "Authorities and
//  followers").  The broker then delivers an event of such a topic only
//  after the leader applied it, and answers for us ("skipped") when the
//  leader did not.  Call before pl_worker_run; 0, or -1 when too long.
int pl_worker_follow (pl_worker_t *self, const char *follows);

//  Run until *STOP becomes non-zero (a signal handler sets it).  Returns 0
//  after a clean stop (DISCONNECT sent), -1 on a fatal store error.
int pl_worker_run (pl_worker_t *self, volatile sig_atomic_t *stop);

//  Stop the query threads, close the socket, wipe the key (the store is the
//  caller's).
//  NULL-safe; sets *SELF_P to NULL.
void pl_worker_destroy (pl_worker_t **self_p);

#endif

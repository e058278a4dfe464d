/*  pl_rules — a worker's rules as two tables, and the one batch loop and
    query dispatch over them.

    A worker is its store and two tables: the events it takes (topic, the
    handler that applies one) and the queries it answers (name, the least
    role that may ask, the handler that answers).  Everything else a
    worker's handler did alike is here, once:
      - pl_rules_apply applies a batch in one transaction (pl_txn): an
        event already applied (seq <= cursor, a redelivery) gets the verdict
        it first got (pl_cursor) and changes nothing; a new event runs in a
        savepoint, and a rejection rolls back only that event.  A handler
        marked checks_first rejects only before its first write, so it runs
        without the savepoint (one SAVEPOINT and RELEASE per event cost ~4 %
        of a registration), and a batch in which one wrote and rejected
        anyway fails.  A rejection is recorded at once; the cursor row is
        written once per batch, with its last seq, before the COMMIT.
      - pl_rules_query finds the query, refuses a role below its least rank
        (403; an unknown role counts as the public) and an unknown name
        (404), and takes out of a reply to a role below the secretariat
        what the query's withhold says (beyond the personal fields, which
        pl_worker leaves out of every such reply).
      - pl_rules_cursor and pl_rules_topics for READY.
    A worker's pl_worker_handler_t calls these with its pl_rules_t:

        static const pl_event_rule_t s_events [] = {
            { "meeting.scheduled", s_meeting_scheduled, 0 }, ...
        };
        static const pl_rules_t s_rules = {
            "archive", s_events, 6, s_queries, 3, .txn = s_txn
        };
        static int s_apply (void *store, ...)
        {
            return pl_rules_apply (&s_rules, store, events, count, verdicts);
        } */
#ifndef PL_RULES_H_INCLUDED
#define PL_RULES_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "pl_txn.h"
#include "pl_worker.h"

//  What applying one event came to.
typedef enum {
    PL_FAILED = -1,             //  the store failed: the batch rolls back and is retried
    PL_APPLIED = 0,             //  the event changed the store
    PL_REJECTED = 1             //  refused, REASON says why (plain English, for the CLI)
} pl_outcome_t;

//  Apply EVENT (new: its seq is past the cursor) to TARGET; on PL_REJECTED
//  fill REASON (REASON_SIZE is PL_REASON_MAX).
typedef pl_outcome_t (pl_event_fn) (void *target, const pl_delivery_t *event, char *reason,
                                    size_t reason_size);

typedef struct {
    const char *topic;
    pl_event_fn *apply;
    int checks_first;           //  rejects only before its first write: no savepoint
} pl_event_rule_t;

//  Answer a query with ARGS (validated against the schema) for ROLE on
//  SELF (the worker's object, or its reader).  A new reply object, or NULL
//  with *STATUS (4xx, 500) and ERR.
typedef json_t *(pl_answer_fn) (void *self, const json_t *args, const char *role, int *status,
                                char *err, size_t errsize);

typedef struct {
    const char *name;
    int min_rank;               //  pl_role_rank the caller needs
    pl_answer_fn *answer;
    //  Optional: take out of REPLY what a role below the secretariat is not
    //  given beyond the fields the schema marks personal
    void (*withhold) (json_t *reply);
} pl_query_rule_t;

typedef struct {
    const char *name;           //  "records": log lines, "the records worker does not handle"
    const pl_event_rule_t *events;
    size_t event_count;
    const pl_query_rule_t *queries;
    size_t query_count;
    //  The store's transaction (borrowed); its connection holds pl_cursor.
    pl_txn_t *(*txn) (void *self);
    //  Optional: what the event handlers get (SELF when NULL).
    void *(*target) (void *self);
    //  Optional: called before each new event, outside its savepoint (the
    //  records store's clock).  0, or -1 to fail the batch.
    int (*before) (void *self, const pl_delivery_t *event);
    //  Optional: told of each BEGIN, ROLLBACK and UNDO before it runs, for
    //  what the store keeps beside its database (the archive's rank table).
    void (*on_txn) (void *self, pl_txn_op_t op);
    //  Optional: called last in the batch's transaction, before its
    //  COMMIT (the archive writes the batch's index entries then).  0, or
    //  -1 to fail the batch.
    int (*before_commit) (void *self);
    //  Optional: after the batch's COMMIT; APPLIED is 1 when any event of
    //  it was applied (the calendar's feed cache, the notify sender's wake).
    void (*committed) (void *self, int applied);
} pl_rules_t;

//  pl_worker_handler_t.apply over RULES: apply COUNT EVENTS to SELF, fill
//  VERDICTS.  0, or -1 when the store failed (the batch rolled back).
int pl_rules_apply (const pl_rules_t *rules, void *self, const pl_delivery_t *events,
                    size_t count, pl_verdict_t *verdicts);

//  pl_worker_handler_t.query over RULES: a new reply, or NULL with *STATUS
//  and ERR (403 for a role below the query's rank, 404 for an unknown name).
json_t *pl_rules_query (const pl_rules_t *rules, void *self, const char *name,
                        const json_t *args, const char *role, int *status, char *err,
                        size_t errsize);

//  pl_worker_handler_t.cursor over RULES: the last seq applied; 0 (logged)
//  when it cannot be read, which asks for a replay that pl_cursor answers
//  without applying anything twice.
uint64_t pl_rules_cursor (const pl_rules_t *rules, void *self);

//  The topics of RULES, comma-separated, into BUF.  0, or -1 when BUF is
//  too small.
int pl_rules_topics (const pl_rules_t *rules, char *buf, size_t size);

//  Self-test.  0 when it passes.
int pl_rules_test (int verbose);

#endif

/*  pl_client — the client library: publish events, wait for receipts, query.

    The CLI, the gateway, the tests and the benches all talk to the broker
    through this class.  One pl_client_t owns one DEALER socket connected to
    the broker's frontend (config->endpoint).  Not thread-safe: one client per
    thread.

    Publishing is reliable in the Lazy Pirate way: when no ACK arrives, the
    client closes and reopens its socket and sends the same event again, with
    the same event id, after a back-off (config->retry_initial_ms doubling up
    to retry_max_ms), until config->publish_deadline_ms has passed.  Since the
    broker deduplicates by event id, a retry never makes a second event: a
    broker restart loses nothing and doubles nothing. */
#ifndef PL_CLIENT_H_INCLUDED
#define PL_CLIENT_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "pl_config.h"
#include "pl_schema.h"

typedef struct _pl_client_t pl_client_t;

typedef struct {
    uint64_t seq;           //  the event's sequence number in the log
    int duplicate;          //  1 when the event id was already in the log
} pl_ack_t;

//  Connect to config->endpoint.  Keeps a copy of CONFIG.  NULL on failure.
pl_client_t *pl_client_new (const pl_config_t *config);

//  Close the socket and free; NULL-safe, nulls *SELF_P.
void pl_client_destroy (pl_client_t **self_p);

//  Publish one event: PAYLOAD is validated against schema TOPIC and encoded
//  here (an invalid payload never leaves the process).  EVENT_ID may be NULL:
//  a random 128-bit hex id is made.  Retries as described above.
//  Returns 0 with *ACK filled, or -1 with *STATUS_P (a pl_status_t) and ERR:
//  400 invalid payload, 413 too large, 504 no ACK before the deadline, or the
//  broker's own error.
int pl_client_publish (pl_client_t *self, const char *topic, const char *event_id,
                       const json_t *payload, pl_ack_t *ack,
                       int *status_p, char *err, size_t errsize);

//  Wait up to TIMEOUT_MS for GROUP's verdict on event SEQ.  On 0, VERDICT
//  holds "applied", "rejected" or "parked" and REASON the worker's reason
//  (empty when applied).  -1 with *STATUS_P and ERR otherwise (504 when the
//  group has not reached SEQ in time).
int pl_client_receipt (pl_client_t *self, uint64_t seq, const char *group, int timeout_ms,
                       char *verdict, size_t verdict_size, char *reason, size_t reason_size,
                       int *status_p, char *err, size_t errsize);

//  Send query NAME with ARGS (validated against the schema's query message)
//  to the worker service the schema names for it, and wait up to
//  config->query_timeout_ms + 1 s.  Returns the decoded, validated reply (caller
//  owns it), or NULL with *STATUS_P and ERR (503 no worker, 504 timeout,
//  4xx the worker's refusal with its reason).
json_t *pl_client_query (pl_client_t *self, const char *name, const json_t *args,
                         int *status_p, char *err, size_t errsize);

//  Query NAME, a list that comes a page at a time (its reply has "items"
//  and, when more follow, "next", which the query takes back as "after"),
//  for every page: the first page's reply with the items of all of them
//  and no "next".  Pages are asked for one after another, each within
//  the query timeout.  NULL as pl_client_query.
json_t *pl_client_query_all (pl_client_t *self, const char *name, const json_t *args,
                             int *status_p, char *err, size_t errsize);

//  The same, acting with AS_ROLE when it is lower than the connection's role
//  (the broker never grants a higher one): the gateway asks as "public".
//  AS_ROLE NULL is pl_client_query.
json_t *pl_client_query_as (pl_client_t *self, const char *name, const json_t *args,
                            const char *as_role, int *status_p, char *err, size_t errsize);

//  Pipelined publishing for bulk imports, benches and tests.
//  pl_client_publish_many publishes COUNT events, asking NEXT for event I
//  (0 <= I < COUNT) when it has room, keeping at most WINDOW unacknowledged.
//  Unacknowledged events are resent with their own event ids (reconnecting
//  with back-off) until no ACK at all has arrived for publish_deadline_ms.
//  ON_ACK is called exactly once per event, with status 200 and the ACK, or
//  with the broker's error status and text (e.g. 400 for an invalid event),
//  or 504 for every event still unacknowledged when the deadline passes.
//  Returns 0 when every event got an ACK or an error reply, -1 on deadline.
typedef struct {
    char topic [64];
    char event_id [65];
    json_t *payload;        //  the client takes ownership and decrefs it
} pl_event_t;

typedef int (pl_next_fn) (void *arg, size_t index, pl_event_t *event);
typedef void (pl_ack_fn) (void *arg, size_t index, int status,
                          const pl_ack_t *ack, const char *err);

int pl_client_publish_many (pl_client_t *self, size_t count, size_t window,
                            pl_next_fn *next, pl_ack_fn *on_ack, void *arg);

//  A random 128-bit id as 32 lowercase hex characters into BUF (33 bytes).
void pl_client_random_id (char *buf);

#endif

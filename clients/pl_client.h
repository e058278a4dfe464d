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
    broker restart loses nothing and doubles nothing.

    When nothing has ever listened at the endpoint (the connection is
    refused: the system is not running, or the address is wrong), a query
    or receipt fails at once with 503 and a text that says how to start the
    system; a publish logs that text once and waits for the broker until
    its deadline, its message queued in the socket for the connection (no
    resend, so no duplicate), then fails with 503.  A client that was
    connected once retries as above: the broker may be restarting. */
#ifndef PL_CLIENT_H_INCLUDED
#define PL_CLIENT_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "pl_config.h"
#include "pl_keys.h"
#include "pl_schema.h"

typedef struct _pl_client_t pl_client_t;

typedef struct {
    uint64_t seq;           //  the event's sequence number in the log
    int duplicate;          //  1 when the event id was already in the log
} pl_ack_t;

//  Connect to config->endpoint.  Keeps a copy of CONFIG.  NULL on failure.
pl_client_t *pl_client_new (const pl_config_t *config);

//  Connect to config->endpoint with KEY (copied; its secret wiped at
//  destroy) rather than config->cert: a web user's key, unsealed by the
//  gateway at sign-in, that is never on disk in clear.  NULL on failure.
pl_client_t *pl_client_new_keyed (const pl_config_t *config, const pl_key_t *key);

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

//  Several queries at once: every query of QUERIES (COUNT of them) is sent
//  before any answer is awaited, so they are answered in parallel (by
//  different workers, or by one worker in turn) and the caller waits for
//  the slowest, not for their sum.  Each is validated and answered as by
//  pl_client_query_as with AS_ROLE: its REPLY (caller owns), or NULL with
//  STATUS and ERR.  All share one wait of config->query_timeout_ms + 1 s.
//  The web pages ask this way (gateway/gw_page.c).
typedef struct {
    const char *name;           //  the query's name
    const json_t *args;         //  its arguments (borrowed; NULL: none)
    json_t *reply;              //  the answer, or NULL
    int status;                 //  when REPLY is NULL: a pl_status_t
    char err [PL_ERR_MAX];      //  then: why
} pl_query_t;

void pl_client_query_many (pl_client_t *self, pl_query_t *queries, size_t count,
                           const char *as_role);

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

//  How pl_client_publish_many puts events on the wire.  By default (EVENTS
//  0) the window is cut into four packs, each sent as one PUBLISH_MANY of
//  up to PL_MANY_MAX events (and 1 MiB) and answered by one ACKS, so a
//  window of 256 travels as four messages; a window under 8 sends each event
//  alone.  EVENTS 1 sends every event as its own PUBLISH; any other value is
//  the pack size (at most PL_MANY_MAX).  Against a broker that does not know
//  PUBLISH_MANY the client falls back to PUBLISH by itself.  The broker
//  checks and answers each event of a pack as if it came alone.
void pl_client_set_pack (pl_client_t *self, size_t events);

//  A random 128-bit id as 32 lowercase hex characters into BUF (33 bytes).
void pl_client_random_id (char *buf);

#endif

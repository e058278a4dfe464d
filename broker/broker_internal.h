/*  broker_internal — the engine's state, shared by its source files.

    broker.c         the loop and the frontend (PLC01)
    broker_publish.c PUBLISH and PUBLISH_MANY, group commit, ACK and ACKS
    broker_worker.c  the backend (PLW01): workers, their commands and verdicts
    broker_group.c   worker groups: cursors, delivery in log order, redelivery
    broker_client.c  receipts, queries and the broker's own service
    broker_metrics.c what the broker counts: publishes, commits, queries
    broker_follow.c  followers: which leaders' verdicts an event waits for
    broker_persist.c cursors, verdicts and attempts saved with the log

    Not a public interface: only the broker's own .c files include it.  All state lives in
    one broker_t created by broker_new; nothing here is global. */
#ifndef BROKER_INTERNAL_H_INCLUDED
#define BROKER_INTERNAL_H_INCLUDED

#include <czmq.h>
#include <jansson.h>
#include "broker.h"
#include "broker_identity.h"
#include "broker_store.h"
#include "pl_canon.h"
#include "pl_config.h"
#include "pl_histogram.h"
#include "pl_keys.h"
#include "pl_proto.h"

//  Resolution of every broker deadline (ack timeouts, query and receipt
//  deadlines, liveness): the loop wakes at least this often.
#define BROKER_TICK_MS          50
//  Log rows examined per store read while delivering: bounds the time one
//  group can hold the loop when its topics are rare in the log.
#define BROKER_READ_ROWS        1024
//  How often the loop completes the WAL checkpoint (see broker_run).
#define BROKER_CHECKPOINT_MS    1000
//  Rejected verdicts waiting to be persisted at most; beyond, flush at once.
#define BROKER_VERDICT_QUEUE    1024
#define BROKER_SERVICES_MAX     512
//  "leader:pattern" entries a group may follow.
#define BROKER_FOLLOWS_MAX      32
//  Payload bytes of one batch at most (besides max_batch events): bounds the
//  broker's memory when large documents arrive together.
#define BROKER_BATCH_BYTES      (64u << 20)
//  How long the live stream may try to bind its address again after a key
//  was revoked (the old listener closes asynchronously).
#define BROKER_REBIND_MS        5000
//  How often an idle broker gives freed memory back to the system.  libzmq
//  allocates some 25 KB per connection; after thousands of clients come and
//  go, glibc keeps the freed heap (pl-bench-connections: 8,000 at once, four
//  times, left 400 MB resident where 10 MB were in use) unless asked.
#define BROKER_TRIM_MS          5000

typedef struct _broker_group_t broker_group_t;

//  One worker connection (one DEALER) that has sent READY.
typedef struct {
    char key [2 * 256 + 1];             //  routing id as hex, key of broker->workers
    zframe_t *identity;                 //  routing id
    broker_group_t *group;
    char topics [BROKER_TOPICS_MAX + 1];
    char services [BROKER_SERVICES_MAX + 1];
    char follows [BROKER_TOPICS_MAX + 1];   //  "leader:pattern,...", "" for none
    char key_name [PL_GROUP_MAX + 1];   //  its key ("" without keys)
    uint32_t credit;                    //  capped by max_credit and its key's grant
    uint64_t from;                      //  its durable cursor at READY
    int64_t last_recv;                  //  monotonic ms of its last message
    int64_t last_send;                  //  monotonic ms of our last message to it
    uint64_t queries;                   //  queries sent to it (round robin)
    int gone;                           //  being removed
} broker_worker_t;

//  One event sent to (or waiting to be resent to) a group's consumer.
typedef struct {
    uint64_t seq;
    uint32_t attempts;                  //  deliveries so far
    int sent;                           //  1 while in flight to the consumer
    int replay;                         //  seq <= acked_through: a rebuild replay
    int64_t sent_at;                    //  monotonic ms of the last delivery
    int64_t time_ms;                    //  wall clock ms the event was appended
} broker_flight_t;

//  One "leader:pattern" a group follows, with what its last look at the
//  leader's verdicts learnt: no verdict of LEADER other than "applied" lies
//  in [clean_from, min (bad_seq - 1, clean_through)] (broker_follow.c).
typedef struct {
    char leader [PL_GROUP_MAX + 1];
    char pattern [PL_TOPIC_MAX + 1];
    uint64_t clean_from;
    uint64_t clean_through;             //  0: nothing known
    uint64_t bad_seq;                   //  the first not applied at or after clean_from
} broker_follow_t;

struct _broker_group_t {
    char name [PL_GROUP_MAX + 1];
    char topics [BROKER_TOPICS_MAX + 1];    //  the consumer's patterns
    char follows [BROKER_TOPICS_MAX + 1];   //  the consumer's "leader:pattern" list
    broker_follow_t *leaders;           //  FOLLOWS parsed
    size_t leader_count;
    char waiting_on [PL_GROUP_MAX + 1]; //  the leader it waits for, "" when none
    uint64_t waiting_seq;               //  for that leader's verdict on this seq
    int64_t verdict_delay_ms;           //  append to verdict of its last verdict, -1 none
    uint64_t acked_through;             //  every matching seq <= it has a verdict
    uint64_t saved_through;             //  acked_through as last persisted
    char saved_topics [BROKER_TOPICS_MAX + 1];
    char saved_follows [BROKER_TOPICS_MAX + 1];
    uint64_t scan;                      //  next seq to read for delivery
    uint64_t high;                      //  seqs below it were delivered at least once
    broker_worker_t *consumer;          //  NULL when no worker is ready
    zlistx_t *workers;                  //  broker_worker_t *, join order, not owned
    broker_flight_t *flights;           //  sorted by seq
    size_t flight_count;
    size_t flight_max;
    size_t in_flight;                   //  flights with sent == 1
    zhashx_t *parked;                   //  "seq" -> (void *) 1 for parked events
    zhashx_t *restored;                 //  "seq" -> (void *) attempts, loaded at start
                                        //  and not yet delivered again
    int attempts_dirty;                 //  the stored attempts are out of date
};

//  One client message off the frontend, read part by part (no CZMQ frames
//  on the publish path): the routing id, the header, the command, corr and
//  what follows.  Parts past BROKER_PARTS are read and dropped, but counted.
#define BROKER_PARTS            8
typedef struct {
    zmq_msg_t part [BROKER_PARTS];
    size_t parts;                       //  initialised in PART
    size_t frames;                      //  in the whole message
} broker_inbound_t;

//  A PUBLISH_MANY being answered: its events enter the batch (several
//  batches when it is larger than the room left), and one ACKS goes back
//  once every event has its result.
typedef struct {
    zmq_msg_t identity;                 //  the client's routing id
    char corr [PL_CORR_MAX + 1];
    zmq_msg_t body;                     //  the events frame: batch entries point into it
    uint32_t count;                     //  events in it
    uint32_t read;                      //  events read from it so far
    size_t pending;                     //  of those, entries waiting for a commit
    uint8_t *results;                   //  count x PL_ACKS_RECORD
    char **texts;                       //  count: the text of each result not 200
} broker_request_t;

//  A publish of the current batch: from a PUBLISH (REQUEST NULL, its own
//  identity and corr) or one event of a PUBLISH_MANY.
typedef struct {
    broker_request_t *request;          //  the PUBLISH_MANY it came in, or NULL
    uint32_t index;                     //  its place there
    zmq_msg_t identity;                 //  PUBLISH: the client's routing id
    char corr [PL_CORR_MAX + 1];        //  PUBLISH: its corr
    char topic [PL_TOPIC_MAX + 1];
    char event_id [PL_EVENT_ID_MAX + 1];
    uint64_t hash;                      //  of the event id (the batch's id table)
    zmq_msg_t owned;                    //  the payload bytes when the entry holds them
    const uint8_t *payload;             //  canonical msgpack: in OWNED or the request's body
    size_t payload_size;
    const char *role;
    char by [PL_KEY_NAME_MAX + 1];      //  the stamp: the publishing key's name ("" without keys)
    char delegation [PL_KEY_NAME_MAX + 1];  //  and its delegation, a focal point's
    uint64_t seq;
    long first;                         //  index of the same event earlier in the batch, or -1
    int logged;                         //  its event id was in the log before: SEQ is that event's
    const char *conflict;               //  logged with another "topic" or "payload", else NULL
} broker_publish_t;

//  The query times of one service (broker_metrics.c).
typedef struct {
    const char *name;                   //  the schema's service name (static)
    pl_histogram_t latency;             //  microseconds, QUERY in to answer out
    uint64_t errors;                    //  answers that were errors
} broker_service_metrics_t;

//  What the broker counts since it started, on its own thread: plain
//  integers and histogram buckets, read by broker.status.
typedef struct {
    int64_t started;                    //  monotonic ms
    uint64_t published;                 //  events offered by PUBLISH and PUBLISH_MANY
    uint64_t acknowledged;              //  events answered 200 after their commit
    uint64_t refused;                   //  events answered with an error
    pl_histogram_t commit_events;       //  events per group commit
    pl_histogram_t commit_us;           //  a commit's COMMIT (its fsync), microseconds
    broker_service_metrics_t *services; //  one per service of the schema
    size_t service_count;
} broker_metrics_t;

//  A verdict other than "applied" (rejected, skipped) not yet persisted.
typedef struct {
    char group [PL_GROUP_MAX + 1];
    uint64_t seq;
    char verdict [16];
    char reason [PL_REASON_MAX + 1];
} broker_verdict_t;

struct _broker_t {
    pl_config_t config;
    const broker_store_ops_t *ops;
    broker_store_t *store;
    zsock_t *frontend;
    zsock_t *backend;
    zsock_t *pub;
    int pub_withholds;                  //  verdicts' reasons kept off the live stream
    char pub_endpoint [PL_ENDPOINT_MAX];    //  where PUB was bound, for a rebind
    int64_t pub_rebind_until;           //  monotonic ms; 0 when no rebind is under way
    char ready_path [PL_ENDPOINT_MAX + 32];

    broker_publish_t *batch;            //  max_batch entries
    size_t batch_count;
    size_t batch_bytes;
    uint32_t *batch_ids;                //  open addressing: event id hash -> index + 1
    size_t batch_ids_mask;              //  its size - 1 (a power of two >= 2 x max_batch)
    broker_event_t *appends;            //  the commit's new events for append_many (max_batch)
    uint8_t *appends_logged;            //  and whether each was in the log already
    struct msgpack_zone *check_zone;    //  reused by every payload check (pl_codec_check_in)
    broker_request_t **requests;        //  PUBLISH_MANY not yet answered (max_batch)
    size_t request_count;
    pl_canon_t *canon;                  //  rewrites payloads into canonical form

    zhashx_t *workers;                  //  key -> broker_worker_t (owned)
    zhashx_t *groups;                   //  name -> broker_group_t (owned)
    zlistx_t *group_list;               //  the same groups in the order they came, for
                                        //  walks that look groups up on the way (a
                                        //  zhashx look-up disturbs a walk of it)
    zhashx_t *queries;                  //  request id -> broker_query_t (owned)
    zlistx_t *receipts;                 //  broker_receipt_t (owned)
    broker_verdict_t *verdicts;         //  BROKER_VERDICT_QUEUE entries
    size_t verdict_count;

    broker_identity_t *identity;        //  who each peer is: the one place
    const char *role;                   //  the role of the client message being handled
    zmq_msg_t *meta;                    //  a part of it that carries its key's metadata
    char refusal [PL_REASON_MAX];       //  why the last READY was refused
    uint64_t query_counter;
    int64_t last_flush;                 //  monotonic ms
    int64_t last_checkpoint;            //  monotonic ms
    int64_t last_tick;
    int64_t last_busy;                  //  monotonic ms the loop last had a message
    int64_t last_trim;                  //  monotonic ms of the last malloc_trim
    broker_metrics_t metrics;
};

//  broker.c: answers to clients on the frontend.  None of them fails: a
//  message the socket cannot take is dropped, as libzmq drops one to a
//  client gone.
//  ERROR with CODE and the formatted text to the client IDENTITY (borrowed),
//  echoing CORR; logged at info below 500, as a warning from 500.
void broker_client_error (broker_t *self, zframe_t *identity, const char *corr,
                          int code, const char *format, ...)
    __attribute__ ((format (printf, 5, 6)));
//  COMMAND with CORR to the client IDENTITY (borrowed), followed by the
//  frames of *BODY_P, which it takes (sets *BODY_P to NULL; NULL or *BODY_P
//  NULL: no body).
void broker_client_send (broker_t *self, zframe_t *identity, uint8_t command,
                         const char *corr, zmsg_t **body_p);

//  As broker_client_error, to the routing id IDENTITY of the publish path
//  (a zmq_msg_t part, borrowed).
void broker_client_refuse (broker_t *self, zmq_msg_t *identity, const char *corr,
                           int code, const char *format, ...)
    __attribute__ ((format (printf, 5, 6)));

//  broker_publish.c: the batch and its answers.
//  Allocate the batch's id table and request list (max_batch); 0 or -1.
int broker_publish_setup (broker_t *self);
//  Free them, answering nothing (the loop has committed or given up).
void broker_publish_teardown (broker_t *self);
//  Take a PUBLISH: its parts move out of IN into the batch; a refusal is
//  answered at once, an ACK after the commit.
void broker_publish_one (broker_t *self, broker_inbound_t *in, const char *corr);
//  Take a PUBLISH_MANY: refused whole when its frame is malformed, else each
//  event checked and added as if alone (committing on the way when the
//  batch fills); one ACKS once its last event is durable.
void broker_publish_many (broker_t *self, broker_inbound_t *in, const char *corr);
//  Commit the batch in one transaction, then answer ACKs and finished
//  ACKS and send the PUB notifications; on failure every event is answered
//  500 (507 when the disk is full) and nothing is written.  0 or -1.
int broker_publish_commit (broker_t *self);

//  broker_persist.c: cursors, rejected verdicts and attempts, saved inside
//  the next group commit or at most once per heartbeat, never one fsync per
//  verdict.
//  Write the groups' changed cursors and attempts and the queued verdicts
//  inside the store's open transaction.  0, or -1 (the caller rolls back).
int broker_flush (broker_t *self);
//  After the commit that held broker_flush: mark all of it saved.
void broker_flushed (broker_t *self);
//  When anything is unsaved, broker_flush in a transaction of its own.  0,
//  or -1 (rolled back; it stays unsaved for the next try).
int broker_persist (broker_t *self);
//  Queue GROUP's VERDICT (not "applied") on SEQ with REASON for the next
//  flush (the strings are copied).  0, or -1 when the queue is full
//  (BROKER_VERDICT_QUEUE): flush, then queue again.
int broker_verdict_queue (broker_t *self, const char *group, uint64_t seq,
                          const char *verdict, const char *reason);

//  broker_group.c: worker groups, their cursors and delivery in log order.
//  A new group NAME taking TOPICS and following FOLLOWS ("leader:pattern,...",
//  "" or NULL for none), whose every matching seq <= ACKED_THROUGH has its
//  verdict.  Registered in SELF, which owns it.  NULL when out of memory or
//  FOLLOWS does not parse (logged).
broker_group_t *broker_group_new (broker_t *self, const char *name, const char *topics,
                                  const char *follows, uint64_t acked_through);
//  Free a group (not its workers, which SELF->workers owns).  NULL-safe;
//  sets *SELF_P to NULL.
void broker_group_destroy (broker_group_t **self_p);
//  The group NAME (borrowed, owned by SELF), or NULL when there is none.
broker_group_t *broker_group_lookup (broker_t *self, const char *name);
//  At start: the groups, their parked events and redelivery attempts from
//  the store.  0, or -1 (a storage failure).
int broker_groups_load (broker_t *self);
//  Rewrite GROUP's stored attempts (inside a transaction) when they changed.
//  0 or -1.
int broker_group_attempts_save (broker_t *self, broker_group_t *group);
//  1 when SEQ is parked (a dead letter) for GROUP, else 0.
int broker_group_parked (broker_group_t *group, uint64_t seq);
//  The flight of SEQ (borrowed, valid until GROUP's flights change), or
//  NULL; *INDEX_P gets where it is or would go.
broker_flight_t *broker_flight_find (broker_group_t *group, uint64_t seq, size_t *index_p);
//  Take FLIGHT (one of GROUP's) out of its flights.
void broker_flight_remove (broker_group_t *group, broker_flight_t *flight);
//  Move GROUP's acked_through to just below the oldest event still waiting
//  for a verdict, and answer the receipts that settles.
void broker_group_advance (broker_t *self, broker_group_t *group);
//  GROUP's first VERDICT on SEQ (REASON for one not "applied"): published
//  on the live stream ($verdict.GROUP, the reason left out when the stream
//  withholds them) and answered to the receipts waiting for it.
void broker_group_verdict (broker_t *self, broker_group_t *group, uint64_t seq,
                           const char *verdict, const char *reason);
//  GROUP's consumer died or timed out (WHY, for the log): the suspect is
//  parked once it has had its deliveries, every other event in flight waits
//  for redelivery.  KEEP_REPLAYS: the consumer lives on (an ack timeout)
//  and still needs the rest of its replay.
void broker_group_requeue (broker_t *self, broker_group_t *group, const char *why,
                           int keep_replays);
//  Make WORKER (borrowed) GROUP's consumer: delivery resumes after the
//  lower of its cursor and the group's.
void broker_group_take (broker_t *self, broker_group_t *group, broker_worker_t *worker);
//  Send every group with a consumer what its credit allows, in log order.
void broker_groups_dispatch (broker_t *self);
//  COMMAND to WORKER on the backend, followed by the frames of *BODY_P,
//  which it takes (sets *BODY_P to NULL; NULL: no body).
void broker_worker_send (broker_t *self, broker_worker_t *worker, uint8_t command,
                         zmsg_t **body_p);

//  broker_worker.c: the backend (PLW01).
//  Handle one message from the backend, which it takes (sets *MSG_P to
//  NULL): READY, EVENT verdicts, REPLY, HEARTBEAT, DISCONNECT.  A malformed
//  one is logged and answered, never asserted on.
void broker_worker_message (broker_t *self, zmsg_t **msg_p);
//  At NOW (monotonic ms): heartbeats, the liveness of workers, ack timeouts.
void broker_workers_tick (broker_t *self, int64_t now);
//  At stop: DISCONNECT to every worker, and forget them all.
void broker_workers_stop (broker_t *self);
//  Keys were revoked: disconnect the workers that hold one of them.
void broker_workers_revoked (broker_t *self);
//  Free a worker's record.  NULL-safe; sets *SELF_P to NULL.
void broker_worker_destroy (broker_worker_t **self_p);
//  The ready worker offering SERVICE that got the fewest queries
//  (borrowed), or NULL when none offers it.
broker_worker_t *broker_worker_for_service (broker_t *self, const char *service);


//  broker_follow.c
//  What a follower's delivery of one event depends on (broker_follow_check).
typedef enum {
    BROKER_LEAD_GO,                     //  every leader applied it (or none judges it)
    BROKER_LEAD_WAIT,                   //  a leader has no verdict yet: hold back
    BROKER_LEAD_SKIP,                   //  a leader did not apply it: REASON says which
    BROKER_LEAD_FAILED                  //  storage failure reading a verdict: hold back
} broker_lead_t;

//  Parse SPEC ("leader:pattern,...", at most BROKER_FOLLOWS_MAX, GROUP not
//  its own leader) into a new array *LEADERS_P of *COUNT_P entries, which
//  the caller frees (free).  0, or -1 with ERR saying what is wrong.
int broker_follows_parse (const char *spec, broker_follow_t **leaders_p, size_t *count_p,
                          const char *group, char *err, size_t err_size);
//  NULL when GROUP may follow SPEC; else ERR, filled with why (it does not
//  parse, or a cycle of followers would hold them all back), returned.
const char *broker_follows_cycle (broker_t *self, const char *group, const char *spec,
                                  char *err, size_t err_size);
//  Whether GROUP may be given SEQ of TOPIC now, by its leaders' verdicts:
//  BROKER_LEAD_SKIP fills REASON ("records rejected it: ...").
broker_lead_t broker_follow_check (broker_t *self, broker_group_t *group, uint64_t seq,
                                   const char *topic, char *reason, size_t reason_size);
//  1 while GROUP still waits for the leader verdict it last waited for, 0
//  once that came (and it forgets it).
int broker_follow_waiting (broker_t *self, broker_group_t *group);
//  GROUP follows FOLLOWS from now on (its leaders replaced).  0, or -1
//  (logged) when FOLLOWS does not parse: nothing changed.
int broker_group_follow (broker_group_t *group, const char *follows);

//  broker_client.c: receipts, queries, and the broker's own service.
//  RECEIPT for SEQ from GROUP, asked by client IDENTITY (borrowed; copied
//  when the answer must wait): answered at once when the verdict is known,
//  else when it comes, or 504 after TIMEOUT_MS; a seq not in the log or a
//  group never seen is refused at once.
void broker_receipt_request (broker_t *self, zframe_t *identity, const char *corr,
                             uint64_t seq, const char *group, uint32_t timeout_ms);
//  Answer the receipts waiting for GROUP's VERDICT on SEQ.
void broker_receipts_answer (broker_t *self, const char *group, uint64_t seq,
                             const char *verdict, const char *reason);
//  Answer the receipts for GROUP's seqs at or below its acked_through.
void broker_receipts_settle (broker_t *self, broker_group_t *group);
//  QUERY NAME of SERVICE for client IDENTITY (borrowed) with ROLE: checked
//  against the schema, then sent to a worker of SERVICE or kept until one
//  is ready; takes *PAYLOAD_P (sets it to NULL).  A refusal is answered.
void broker_query_request (broker_t *self, zframe_t *identity, const char *corr,
                           const char *service, const char *name, const char *role,
                           zframe_t **payload_p);
//  REPLY from WORKER (MSG borrowed, its cursor on the command): request
//  id, status, payload or text, passed on to the client that asked.
void broker_query_reply (broker_t *self, broker_worker_t *worker, zmsg_t *msg);
//  Give the queries that wait for a worker to one, now that one is ready.
void broker_queries_assign (broker_t *self);
//  WORKER is gone: its queries wait for another worker.
void broker_queries_orphan (broker_t *self, broker_worker_t *worker);
//  At NOW (monotonic ms): receipts past their deadline 504, queries 503 (no
//  worker) or 504 (no answer).
void broker_clients_tick (broker_t *self, int64_t now);
//  Free a pending receipt or query (the destructor of their containers).
//  NULL-safe; sets *ITEM_P to NULL.
void broker_client_item_free (void **item_p);
//  Receipts and queries waiting for an answer.
size_t broker_pending (broker_t *self);
//  GROUP's verdict on SEQ into VERDICT and REASON when it is known (queued,
//  stored, or "applied" for a seq at or below acked_through): 1; 0 when not
//  known yet; -1 on a storage failure.
int broker_verdict_known (broker_t *self, const char *group, uint64_t seq,
                          char *verdict, size_t verdict_size, char *reason, size_t reason_size);

//  broker_metrics.c
//  One histogram of query times per service the schema names: 0 or -1.
int broker_metrics_setup (broker_t *self);
void broker_metrics_teardown (broker_t *self);
//  A query to SERVICE that arrived at STARTED_US (pl_mono_us) was
//  answered now; ERROR when the answer was an error.
void broker_metrics_query (broker_t *self, const char *service, int64_t started_us, int error);
//  Add the counters and histograms to REPLY, broker.status's reply.
//  0, or -1 when out of memory.
int broker_metrics_status (broker_t *self, json_t *reply);

#endif

/*  broker_frames — the raw side of test_broker: a real plenaryd started and
    stopped as a child process, and PLC01/PLW01 frames built and read on
    plain DEALER sockets, with no client or worker library in between (so
    a broker bug cannot hide behind them).

    Every receive is bounded: a socket from frames_dealer waits
    FRAMES_WAIT_MS at most, the worker side polls with a deadline, and the
    broker's start and stop wait 10 s at most. */
#ifndef BROKER_FRAMES_H_INCLUDED
#define BROKER_FRAMES_H_INCLUDED

#include <czmq.h>
#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

#define FRAMES_WAIT_MS 5000             //  bound of any single expected reply

//  A plenaryd under test: DATA is its data folder (made by the caller),
//  FLAGS its extra command-line flags; the endpoints are read from
//  DATA/plenaryd.ready once it has started.
typedef struct {
    char data [256];
    pid_t pid;
    char frontend [256];
    char backend [256];
    char pub [256];
    const char *flags [8];              //  extra flags, NULL-terminated
} frames_broker_t;

//  --------------------------------------------------------------------------
//  Broker process

//  Start $PL_BUILD/plenaryd on BROKER's data folder, its stderr appended to
//  DATA/broker.log, with ephemeral ports; wait (10 s at most) for its ready
//  file and read the endpoints from it.  0, or -1 (printed).
int frames_broker_start (frames_broker_t *broker);

//  Stop with SIGNUM; returns the exit status (128 + the signal when killed
//  by one), or -1 when none runs or it did not stop within 10 s (then it
//  is killed).
int frames_broker_stop (frames_broker_t *broker, int signum);

//  --------------------------------------------------------------------------
//  Raw client frames

//  A DEALER connected to ENDPOINT, linger 0, receive timeout
//  FRAMES_WAIT_MS; NULL on failure.  Caller destroys it.
zsock_t *frames_dealer (const char *endpoint);

//  A client message: header, command, corr; add the command's frames
//  after them.  Caller owns it.
zmsg_t *frames_client_msg (uint8_t command, const char *corr);

//  Send PUBLISH of TOPIC, EVENT_ID and the SIZE bytes of PAYLOAD as CORR.
void frames_publish_send (zsock_t *sock, const char *corr, const char *topic,
                          const char *event_id, const void *payload, size_t size);

//  Receive a reply to CORR with COMMAND, positioned on its corr frame
//  (caller owns it); NULL (after saying why) otherwise.
zmsg_t *frames_expect (zsock_t *sock, uint8_t command, const char *corr);

//  Expect ACK to CORR: its seq into *SEQ and its duplicate flag into
//  *DUPLICATE.  0 or -1.
int frames_expect_ack (zsock_t *sock, const char *corr, uint64_t *seq, uint8_t *duplicate);

//  Expect ERROR CODE to CORR whose text contains WORDS.  0 or -1.
int frames_expect_error (zsock_t *sock, const char *corr, int code, const char *words);

//  PING as CORR and expect PONG.  0 or -1.
int frames_ping (zsock_t *sock, const char *corr);

//  Send RECEIPT for SEQ in GROUP, waiting TIMEOUT ms at most, as CORR.
void frames_receipt_send (zsock_t *sock, const char *corr, uint64_t seq, const char *group,
                          uint32_t timeout);

//  RECEIPT for SEQ in GROUP and expect VERDICT WANT with a reason
//  containing WORDS.  0 or -1.
int frames_expect_verdict (zsock_t *sock, uint64_t seq, const char *group, const char *want,
                           const char *words);

//  Query the broker service; returns the decoded reply (caller owns it),
//  or NULL.
json_t *frames_broker_query (zsock_t *sock, const char *name);

//  Send QUERY NAME (with no arguments) to SERVICE as CORR, acting as
//  AS_ROLE when not NULL.
void frames_query_send (zsock_t *sock, const char *corr, const char *service, const char *name,
                        const char *as_role);

//  The integer FIELD of broker.status; -1 when the query failed.
long long frames_status_int (zsock_t *sock, const char *field);

//  A valid participant.registered payload (caller frees *DATA_P); returns
//  its size.
size_t frames_participant (void **data_p, const char *family_name);

//  Publish a valid registration and expect a fresh ACK; returns its seq or 0.
uint64_t frames_publish_new (zsock_t *sock, const char *event_id, const char *family_name);

//  Publish OBJECT (which it takes) as TOPIC with EVENT_ID and expect a
//  fresh ACK; returns its seq or 0.
uint64_t frames_publish_json (zsock_t *sock, const char *event_id, const char *topic,
                              json_t *object);

//  --------------------------------------------------------------------------
//  Raw worker frames

//  Send COMMAND with the frames of BODY (which it takes; NULL: none).
void frames_worker_send (zsock_t *sock, uint8_t command, zmsg_t *body);

//  Send READY for GROUP with TOPICS, SERVICES, CREDIT and the cursor FROM.
void frames_ready (zsock_t *sock, const char *group, const char *topics, const char *services,
                   uint32_t credit, uint64_t from);

//  The same with the optional FOLLOWS frame ("leader:pattern,..."; NULL: none).
void frames_ready_follows (zsock_t *sock, const char *group, const char *topics,
                           const char *services, uint32_t credit, uint64_t from,
                           const char *follows);

//  Send VERDICT for SEQ: VERDICT and REASON.
void frames_verdict (zsock_t *sock, uint64_t seq, const char *verdict, const char *reason);

//  What came to a worker: its command, and for EVENT its seq and attempt.
typedef struct {
    uint8_t command;
    uint64_t seq;
    uint32_t attempt;
} frames_got_t;

//  Wait up to MS for the next non-heartbeat message to worker SOCK, sending
//  our own heartbeat every 100 ms when HEARTBEAT.  0 with GOT filled, or -1
//  when nothing came in time.
int frames_worker_next (zsock_t *sock, int ms, int heartbeat, frames_got_t *got);

//  Expect EVENT SEQ (attempt ATTEMPT, 0 for any) within FRAMES_WAIT_MS,
//  heartbeating meanwhile.  0, or -1 (printed).
int frames_expect_event (zsock_t *sock, uint64_t seq, uint32_t attempt);

//  --------------------------------------------------------------------------
//  The runner

//  One scenario: NAME on the command line, RUN against a fresh plenaryd
//  started with FLAGS.
typedef struct {
    const char *name;
    int (*run) (frames_broker_t *broker);
    const char *flags [8];
} frames_test_t;

//  Run the COUNT TESTS named in ARGV (all when none), each on a fresh
//  plenaryd in a temporary data folder stopped with SIGTERM afterwards (it
//  must exit 0 and remove its ready file); prints PASS/FAIL per test and
//  shows the broker's log on failure.  Returns 0 when all passed.
int frames_main (int argc, char *argv [], const frames_test_t *tests, size_t count);

#endif

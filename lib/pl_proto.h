/*  pl_proto — the wire protocol's constants and frame helpers.

    docs/protocol.md is the specification; this header is its vocabulary.
    Two sub-protocols, both multipart ZeroMQ messages whose first frame is a
    protocol header and second a one-byte command (Majordomo style):

      PLC01  client  (DEALER) <-> broker frontend (ROUTER)
      PLW01  worker  (DEALER) <-> broker backend  (ROUTER)

    Integers on the wire are unsigned big-endian: seq 8 bytes, credit and
    timeouts 4 bytes.  Payloads are msgpack maps checked by pl_codec. */
#ifndef PL_PROTO_H_INCLUDED
#define PL_PROTO_H_INCLUDED

#include <stdint.h>
#include <stddef.h>
#include <czmq.h>

#define PL_PROTO_CLIENT "PLC01"
#define PL_PROTO_WORKER "PLW01"

//  Client commands (client -> broker) and their replies (broker -> client)
#define PL_C_PUBLISH    0x01    //  corr, topic, event_id, payload
#define PL_C_RECEIPT    0x02    //  corr, seq(8), group, timeout_ms(4)
#define PL_C_QUERY      0x03    //  corr, service, query name, payload
#define PL_C_PING       0x04    //  corr
#define PL_C_PUBLISH_MANY 0x05  //  corr, events (one frame: count(4), then per event
                                //  topic length(1), topic, event_id length(1), event_id,
                                //  payload length(4), payload)
#define PL_C_ACK        0x81    //  corr, seq(8), duplicate(1: 0 new, 1 duplicate)
#define PL_C_VERDICT    0x82    //  corr, seq(8), group, verdict, reason
#define PL_C_REPLY      0x83    //  corr, payload
#define PL_C_PONG       0x84    //  corr
#define PL_C_ACKS       0x85    //  corr, results (count x 11 bytes: status(2), seq(8),
                                //  duplicate(1)), then the text of each result not 200
#define PL_C_ERROR      0x8F    //  corr, code (3 ASCII digits), text

//  Worker commands
#define PL_W_READY      0x01    //  w->b: group, topics, services, credit(4), from(8)
#define PL_W_EVENT      0x02    //  b->w: seq(8), topic, event_id, payload, attempt(4), time_ms(8),
                                //        role, by, delegation (the stamp)
#define PL_W_VERDICT    0x03    //  w->b: seq(8), verdict ("applied"|"rejected"), reason
#define PL_W_QUERY      0x04    //  b->w: request id, query name, payload
#define PL_W_REPLY      0x05    //  w->b: request id, status (3 ASCII digits), payload or error text
#define PL_W_HEARTBEAT  0x06    //  either way, no body
#define PL_W_DISCONNECT 0x07    //  either way, reason (optional)

//  Status codes (Titanic/HTTP style), carried as 3 ASCII digits
typedef enum {
    PL_OK              = 200,
    PL_BAD_REQUEST     = 400,   //  malformed frames, invalid payload (the text names the field)
    PL_FORBIDDEN       = 403,   //  the connection's role may not do this
    PL_NOT_FOUND       = 404,   //  unknown topic, query or service
    PL_CONFLICT        = 409,   //  event id reused with a different topic or payload
    PL_TOO_LARGE       = 413,   //  a frame over the limit
    PL_BUSY            = 429,   //  a bounded queue is full; retry later
    PL_INTERNAL        = 500,   //  storage failure; nothing was written
    PL_STORAGE_FULL    = 507,   //  the broker's disk is full; nothing was written
    PL_UNAVAILABLE     = 503,   //  no worker serves that service/group
    PL_TIMEOUT         = 504    //  the worker did not answer in time
} pl_status_t;

//  Short English name of a status ("bad request").
const char *pl_status_str (int status);

//  Limits that are part of the protocol itself.
#define PL_CORR_MAX      64     //  correlation id bytes
#define PL_EVENT_ID_MAX  64     //  event id bytes (printable ASCII, no spaces)
#define PL_TOPIC_MAX     64     //  topic bytes
#define PL_GROUP_MAX     32     //  group / service name bytes ([a-z0-9-])
#define PL_REASON_MAX    512    //  verdict reason bytes
#define PL_FOLLOWS_MAX   1024   //  a READY's follows list ("leader:pattern,...")
#define PL_MANY_MAX      1024   //  events in one PUBLISH_MANY
#define PL_ACKS_RECORD   11     //  bytes of one result of ACKS: status(2) seq(8) duplicate(1)

//  PUBLISH_MANY's events frame: count(4), then per event topic length(1),
//  topic, event_id length(1), event_id, payload length(4), payload.  The
//  borrowed pointers of one event read from it (not NUL-terminated).
typedef struct {
    const char *topic;
    size_t topic_size;
    const char *event_id;
    size_t event_id_size;
    const uint8_t *payload;
    size_t payload_size;
} pl_many_event_t;

//  Bytes one event takes in the events frame.
size_t   pl_many_size (size_t topic_size, size_t event_id_size, size_t payload_size);
//  Write one event at OUT (pl_many_size bytes); returns the bytes written.
size_t   pl_many_put (uint8_t *out, const char *topic, const char *event_id,
                      const void *payload, size_t payload_size);
//  Read the event at *OFFSET of the SIZE bytes at DATA into EVENT and move
//  *OFFSET past it: 0, or -1 with ERR naming what is wrong (a length that
//  runs past the frame, an empty or over-long topic or event id).
int      pl_many_next (const uint8_t *data, size_t size, size_t *offset,
                       pl_many_event_t *event, char *err, size_t errsize);

//  Frame helpers.  _put_ functions append to MSG; _get_ functions read a
//  frame and return 0, or -1 when it has the wrong size (never assert).
void     pl_frame_put_u64 (zmsg_t *msg, uint64_t value);
void     pl_frame_put_u32 (zmsg_t *msg, uint32_t value);
void     pl_frame_put_byte (zmsg_t *msg, uint8_t value);
int      pl_frame_get_u64 (zframe_t *frame, uint64_t *value);
int      pl_frame_get_u32 (zframe_t *frame, uint32_t *value);
int      pl_frame_get_byte (zframe_t *frame, uint8_t *value);

//  Copy FRAME into a NUL-terminated BUF of BUFSIZE bytes.  Returns -1 when
//  the frame is longer than BUFSIZE-1 or holds a NUL byte.
int      pl_frame_get_str (zframe_t *frame, char *buf, size_t bufsize);

//  True when S is a valid event id: 1..PL_EVENT_ID_MAX printable ASCII
//  bytes without space.  Also used for correlation ids.
int      pl_event_id_valid (const char *s);

//  True when S is a valid group or service name: 1..PL_GROUP_MAX of [a-z0-9-].
int      pl_group_valid (const char *s);

//  True when TOPIC matches one entry of PATTERNS, a comma-separated list of
//  exact topics, prefixes ending in ".*" ("meeting.*"), or "*".
int      pl_topic_match (const char *patterns, const char *topic);

//  Roles, from most to least trusted: secretariat, record-keeper, delegate,
//  public.  The broker decides a connection's role (broker.c, broker_role);
//  a client may ask to act with a lower role for one query (the gateway
//  always asks as "public"), never a higher one.
#define PL_ROLE_MAX 16

//  Rank of ROLE (3 secretariat .. 0 public), or -1 for an unknown role.
int      pl_role_rank (const char *role);

//  The less trusted of two known roles A and B.
const char *pl_role_lower (const char *a, const char *b);

//  Distributions of documents, from least to most restrictive: general
//  (everyone), limited (record-keepers, delegates and the secretariat),
//  restricted (the secretariat only).  The archive decides the one in
//  force for each document (docs/SECURITY.md, "Distribution of
//  documents"); the calendar shows only general ones in its feeds.
#define PL_GENERAL     0
#define PL_LIMITED     1
#define PL_RESTRICTED  2

//  The level of DISTRIBUTION ("general", "limited", "restricted"); NULL is
//  general (a release that says none); -1 for anything else.
int      pl_distribution_level (const char *distribution);

//  The name of LEVEL (PL_GENERAL..PL_RESTRICTED).
const char *pl_distribution_name (int level);

//  The most restrictive level ROLE may see: the secretariat restricted,
//  record-keepers and delegates limited, the public (and an unknown role)
//  general.
int      pl_role_distribution (const char *role);

//  Milliseconds since the epoch (wall clock) and a monotonic clock, and
//  the monotonic clock in microseconds (what the broker's histograms time).
int64_t  pl_time_ms (void);
int64_t  pl_mono_ms (void);
int64_t  pl_mono_us (void);

//  Self-test; returns 0 when all checks pass.
int pl_proto_test (int verbose);

#endif

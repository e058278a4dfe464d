/*  broker_publish — PUBLISH and PUBLISH_MANY, group commit, ACK and ACKS.

    The hot path of plenaryd.  Each turn of the loop (broker.c) hands every
    publish it drains to this file; the events gather in one batch, and
    broker_publish_commit writes the batch in ONE transaction and, only
    after COMMIT returns (the WAL is on disk), answers the publishers, then
    sends the PUB notifications.  A failed commit answers every event of
    the batch 500 (507 when the disk is full) and rolls back: nothing is
    half-written.

    A PUBLISH brings one event; a PUBLISH_MANY up to PL_MANY_MAX in one
    frame (docs/protocol.md), answered by one ACKS that holds a result per
    event.  Its events are checked one by one, as if each came alone: a bad
    one gets its own error in the ACKS and the others go on.  When its events
    do not fit in the room left in the batch, the batch is committed on the
    way and the ACKS leaves once the last of its events is durable.

    Per event the path allocates nothing: the parts of a PUBLISH move into
    the batch entry (libzmq messages, not copies), the events of a
    PUBLISH_MANY stay in its frame and the entries point into it, the
    payload is checked straight from msgpack (pl_codec_check) and found
    canonical (pl_canon; only other encoders' payloads are rewritten), an
    event id repeated in the batch is found in an open-addressing table of
    the batch's indices, and one already in the log by the INSERT itself
    (the store writes nothing and the entry takes the logged seq).  What it
    counts for broker.status (broker_metrics.c) is an addition per event
    and, per commit, two clock readings around the COMMIT. */
#include "broker_internal.h"
#include "pl_canon.h"
#include "pl_codec.h"
#include "pl_log.h"
#include "pl_schema.h"

#include <msgpack.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  --------------------------------------------------------------------------
//  The batch's event ids: an open-addressing table of batch indices + 1

//  FNV-1a, 64 bits.
static uint64_t
s_hash (const char *text)
{
    uint64_t hash = 14695981039346656037ull;
    for (const unsigned char *at = (const unsigned char *) text; *at; at++)
        hash = (hash ^ *at) * 1099511628211ull;
    return hash;
}

//  The index of the batch entry with EVENT_ID, or -1.
static long
s_ids_find (broker_t *self, const char *event_id, uint64_t hash)
{
    for (size_t slot = hash & self->batch_ids_mask; self->batch_ids [slot];
         slot = (slot + 1) & self->batch_ids_mask) {
        broker_publish_t *entry = &self->batch [self->batch_ids [slot] - 1];
        if (entry->hash == hash && strcmp (entry->event_id, event_id) == 0)
            return (long) self->batch_ids [slot] - 1;
    }
    return -1;
}

static void
s_ids_put (broker_t *self, uint64_t hash, size_t index)
{
    size_t slot = hash & self->batch_ids_mask;
    while (self->batch_ids [slot])
        slot = (slot + 1) & self->batch_ids_mask;
    self->batch_ids [slot] = (uint32_t) index + 1;
}

//  --------------------------------------------------------------------------
//  Setup and teardown

int
broker_publish_setup (broker_t *self)
{
    size_t size = 16;
    while (size < 2 * (size_t) self->config.max_batch)
        size *= 2;
    self->batch = calloc ((size_t) self->config.max_batch, sizeof *self->batch);
    self->batch_ids = calloc (size, sizeof *self->batch_ids);
    self->batch_ids_mask = size - 1;
    //  Every request listed has an event in the batch, but the one being read
    self->requests = calloc ((size_t) self->config.max_batch + 1, sizeof *self->requests);
    self->appends = calloc ((size_t) self->config.max_batch, sizeof *self->appends);
    self->appends_logged = calloc ((size_t) self->config.max_batch, 1);
    self->check_zone = msgpack_zone_new (MSGPACK_ZONE_CHUNK_SIZE);
    return self->batch && self->batch_ids && self->requests && self->appends
        && self->appends_logged && self->check_zone ? 0 : -1;
}

static void
s_request_free (broker_request_t **request_p)
{
    broker_request_t *request = *request_p;
    if (!request)
        return;
    zmq_msg_close (&request->identity);
    zmq_msg_close (&request->body);
    if (request->texts)
        for (uint32_t i = 0; i < request->count; i++)
            free (request->texts [i]);
    free (request->texts);
    free (request->results);
    free (request);
    *request_p = NULL;
}

static void
s_batch_clear (broker_t *self)
{
    for (size_t i = 0; i < self->batch_count; i++) {
        broker_publish_t *entry = &self->batch [i];
        if (!entry->request)
            zmq_msg_close (&entry->identity);
        zmq_msg_close (&entry->owned);
    }
    if (self->batch_count)
        memset (self->batch_ids, 0, (self->batch_ids_mask + 1) * sizeof *self->batch_ids);
    self->batch_count = 0;
    self->batch_bytes = 0;
}

void
broker_publish_teardown (broker_t *self)
{
    if (self->batch)
        s_batch_clear (self);
    for (size_t i = 0; self->requests && i < self->request_count; i++)
        s_request_free (&self->requests [i]);
    free (self->requests);
    free (self->batch_ids);
    free (self->batch);
    free (self->appends);
    free (self->appends_logged);
    if (self->check_zone)
        msgpack_zone_free (self->check_zone);
    self->check_zone = NULL;
    self->appends = NULL;
    self->appends_logged = NULL;
    self->requests = NULL;
    self->batch_ids = NULL;
    self->batch = NULL;
}

//  --------------------------------------------------------------------------
//  Answers

//  VALUE big-endian into the bytes at BYTES
static void
s_put_u64 (uint8_t *bytes, uint64_t value)
{
    for (int i = 7; i >= 0; i--, value >>= 8)
        bytes [i] = (uint8_t) value;
}

//  ACK to a PUBLISH: sent part by part from the batch entry, with no message
//  or frame allocated.
static void
s_send_ack (broker_t *self, broker_publish_t *entry, uint64_t seq, int duplicate)
{
    void *frontend = zsock_resolve (self->frontend);
    uint8_t command = PL_C_ACK, flag = (uint8_t) duplicate, seq_bytes [8];
    s_put_u64 (seq_bytes, seq);
    zmq_send (frontend, zmq_msg_data (&entry->identity), zmq_msg_size (&entry->identity),
              ZMQ_SNDMORE);
    zmq_send (frontend, PL_PROTO_CLIENT, strlen (PL_PROTO_CLIENT), ZMQ_SNDMORE);
    zmq_send (frontend, &command, 1, ZMQ_SNDMORE);
    zmq_send (frontend, entry->corr, strlen (entry->corr), ZMQ_SNDMORE);
    zmq_send (frontend, seq_bytes, sizeof seq_bytes, ZMQ_SNDMORE);
    zmq_send (frontend, &flag, 1, 0);
}

//  Record the result of event INDEX of REQUEST: STATUS, SEQ, DUPLICATE and,
//  when STATUS is not 200, TEXT.
static void
s_result (broker_request_t *request, uint32_t index, int status, uint64_t seq,
          int duplicate, const char *text)
{
    uint8_t *record = request->results + (size_t) index * PL_ACKS_RECORD;
    record [0] = (uint8_t) (status >> 8);
    record [1] = (uint8_t) status;
    s_put_u64 (record + 2, seq);
    record [10] = (uint8_t) duplicate;
    if (status != PL_OK) {
        free (request->texts [index]);
        request->texts [index] = strdup (text);
    }
}

//  ACKS to REQUEST, whose every event has its result; then it is freed.
static void
s_send_acks (broker_t *self, broker_request_t **request_p)
{
    broker_request_t *request = *request_p;
    void *frontend = zsock_resolve (self->frontend);
    uint8_t command = PL_C_ACKS;
    zmq_send (frontend, zmq_msg_data (&request->identity), zmq_msg_size (&request->identity),
              ZMQ_SNDMORE);
    zmq_send (frontend, PL_PROTO_CLIENT, strlen (PL_PROTO_CLIENT), ZMQ_SNDMORE);
    zmq_send (frontend, &command, 1, ZMQ_SNDMORE);
    zmq_send (frontend, request->corr, strlen (request->corr), ZMQ_SNDMORE);
    size_t errors = 0;
    for (uint32_t i = 0; i < request->count; i++)
        if (request->texts [i])
            errors++;
    zmq_send (frontend, request->results, (size_t) request->count * PL_ACKS_RECORD,
              errors ? ZMQ_SNDMORE : 0);
    for (uint32_t i = 0; i < request->count; i++)
        if (request->texts [i]) {
            const char *text = request->texts [i];
            zmq_send (frontend, text, strlen (text), --errors ? ZMQ_SNDMORE : 0);
        }
    s_request_free (request_p);
}

//  Settle ENTRY with STATUS: an ACK (200, SEQ, DUPLICATE) or an error
//  whose text FORMAT gives, to its PUBLISH or in its PUBLISH_MANY's results.
static void
s_settle (broker_t *self, broker_publish_t *entry, int status, uint64_t seq, int duplicate,
          const char *format, ...)
    __attribute__ ((format (printf, 6, 7)));

static void
s_settle (broker_t *self, broker_publish_t *entry, int status, uint64_t seq, int duplicate,
          const char *format, ...)
{
    char text [PL_ERR_MAX + 128] = "";
    if (status != PL_OK) {
        self->metrics.refused++;
        va_list args;
        va_start (args, format);
        vsnprintf (text, sizeof text, format, args);
        va_end (args);
    }
    else
        self->metrics.acknowledged++;
    if (entry->request) {
        s_result (entry->request, entry->index, status, seq, duplicate, text);
        entry->request->pending--;
        if (status == PL_STORAGE_FULL)     //  the store says it once per interval
            pl_debug ("broker: error code=%d corr=%s text=%s", status, entry->request->corr, text);
        else
        if (status >= 500)
            pl_warn ("broker: error code=%d corr=%s text=%s", status, entry->request->corr, text);
    }
    else
    if (status == PL_OK)
        s_send_ack (self, entry, seq, duplicate);
    else
        broker_client_refuse (self, &entry->identity, entry->corr, status, "%s", text);
}

//  Answer every listed PUBLISH_MANY whose events all have their result.
static void
s_requests_answer (broker_t *self)
{
    size_t kept = 0;
    for (size_t i = 0; i < self->request_count; i++) {
        broker_request_t *request = self->requests [i];
        if (request->read == request->count && request->pending == 0)
            s_send_acks (self, &request);
        else
            self->requests [kept++] = request;
    }
    self->request_count = kept;
}

//  --------------------------------------------------------------------------
//  Checking one event and taking it into the batch

typedef struct {
    const char *what;           //  "PUBLISH" or "PUBLISH_MANY event N"
    const char *topic;          //  as it came: TOPIC_SIZE bytes, maybe not NUL-terminated
    size_t topic_size;
    const char *event_id;
    size_t event_id_size;
    const uint8_t *payload;
    size_t payload_size;
} s_event_t;

//  Check EVENT, as sent by the client message being handled, and fill
//  ENTRY's topic, event id and role.  0 when it may enter the batch, with
//  *FORM_P set when its payload is not canonical (the canonical bytes,
//  borrowed from self->canon until its next write); otherwise the status,
//  with TEXT.
static int
s_check (broker_t *self, const s_event_t *event, broker_publish_t *entry,
         const void **form_p, size_t *form_size_p, char *text, size_t text_size)
{
    *form_p = NULL;
    self->metrics.published++;
    if (event->topic_size == 0 || event->topic_size > PL_TOPIC_MAX
    ||  memchr (event->topic, 0, event->topic_size)) {
        snprintf (text, text_size, "%s: topic: 1 to %d bytes without a NUL", event->what,
                  PL_TOPIC_MAX);
        return PL_BAD_REQUEST;
    }
    memcpy (entry->topic, event->topic, event->topic_size);
    entry->topic [event->topic_size] = 0;
    if (!broker_identity_may_publish (self->identity, self->meta, self->role, entry->topic,
                                      event->topic_size)) {
        snprintf (text, text_size, "%s: role %s may not publish %s", event->what, self->role,
                  entry->topic);
        return PL_FORBIDDEN;
    }
    const pl_message_t *message = pl_schema_find (entry->topic);
    if (!message || message->kind != PL_KIND_EVENT) {
        snprintf (text, text_size, "%s: unknown topic '%s'", event->what, entry->topic);
        return PL_NOT_FOUND;
    }
    int id_ok = event->event_id_size > 0 && event->event_id_size <= PL_EVENT_ID_MAX;
    if (id_ok) {
        memcpy (entry->event_id, event->event_id, event->event_id_size);
        entry->event_id [event->event_id_size] = 0;
        id_ok = pl_event_id_valid (entry->event_id);
    }
    if (!id_ok) {
        snprintf (text, text_size,
                  "%s: event_id: must be 1 to %d printable ASCII bytes without space",
                  event->what, PL_EVENT_ID_MAX);
        return PL_BAD_REQUEST;
    }
    if (event->payload_size > self->config.max_frame) {
        snprintf (text, text_size, "%s: the payload is larger than max_frame (%zu bytes)",
                  event->what, self->config.max_frame);
        return PL_TOO_LARGE;
    }
    //  Validated straight from msgpack: the same verdict and error text as
    //  pl_codec_decode, without building a json_t tree per event.
    char err [PL_ERR_MAX];
    if (pl_codec_check_in (self->check_zone, entry->topic, event->payload, event->payload_size,
                           err, sizeof err)) {
        snprintf (text, text_size, "%s", err);
        return PL_BAD_REQUEST;
    }
    //  From here on the payload is its canonical form: dedupe compares it,
    //  the log keeps it, workers and subscribers get it.  Our own clients
    //  send it already (a check that allocates nothing); others' payloads
    //  are rewritten.
    if (!pl_canon_is_canonical (event->payload, event->payload_size)) {
        pl_canon_status_t status = pl_canon_write (self->canon, event->payload,
                                                   event->payload_size, form_p, form_size_p);
        if (status != PL_CANON_OK) {
            snprintf (text, text_size, "%s: %s", entry->topic, pl_canon_status_str (status));
            return status == PL_CANON_NO_MEMORY ? PL_INTERNAL : PL_BAD_REQUEST;
        }
    }
    entry->role = self->role;
    broker_identity_stamp (self->identity, self->meta, entry->by, entry->delegation);
    return PL_OK;
}

static int
s_same_event (const char *topic, const void *payload, size_t size, const char *other_topic,
              const void *other_payload, size_t other_size)
{
    return strcmp (topic, other_topic) == 0 && size == other_size
        && memcmp (payload, other_payload, size) == 0;
}

//  ENTRY (the next free one of the batch, checked) enters the batch, unless
//  its event id was just published in this batch with another topic or
//  payload: then it is settled 409 and 0 is returned; else 1.
static int
s_enter (broker_t *self, broker_publish_t *entry)
{
    entry->hash = s_hash (entry->event_id);
    long first = s_ids_find (self, entry->event_id, entry->hash);
    if (first >= 0) {
        broker_publish_t *earlier = &self->batch [first];
        if (!s_same_event (entry->topic, entry->payload, entry->payload_size, earlier->topic,
                           earlier->payload, earlier->payload_size)) {
            if (entry->request)
                entry->request->pending++;      //  s_settle counts it down again
            s_settle (self, entry, PL_CONFLICT, 0, 0,
                      "event id %s was just published with a different %s", entry->event_id,
                      strcmp (entry->topic, earlier->topic) ? "topic" : "payload");
            return 0;
        }
    }
    else
        s_ids_put (self, entry->hash, self->batch_count);
    entry->seq = 0;
    entry->first = first;
    entry->logged = 0;
    entry->conflict = NULL;
    self->batch_bytes += entry->payload_size;
    self->batch_count++;
    if (entry->request)
        entry->request->pending++;
    return 1;
}

//  PUBLISH: topic, event_id, payload (parts 4, 5 and 6 of IN).
void
broker_publish_one (broker_t *self, broker_inbound_t *in, const char *corr)
{
    broker_publish_t *entry = &self->batch [self->batch_count];
    zmq_msg_t *payload = &in->part [6];
    s_event_t event = {
        .what = "PUBLISH",
        .topic = zmq_msg_data (&in->part [4]), .topic_size = zmq_msg_size (&in->part [4]),
        .event_id = zmq_msg_data (&in->part [5]),
        .event_id_size = zmq_msg_size (&in->part [5]),
        .payload = zmq_msg_data (payload), .payload_size = zmq_msg_size (payload)
    };
    const void *form;
    size_t form_size;
    char text [PL_ERR_MAX + 128];
    int status = s_check (self, &event, entry, &form, &form_size, text, sizeof text);
    if (status != PL_OK) {
        self->metrics.refused++;
        broker_client_refuse (self, &in->part [0], corr, status, "%s", text);
        return;
    }
    //  The entry takes the routing id and payload parts: no copy
    entry->request = NULL;
    zmq_msg_init (&entry->identity);
    zmq_msg_move (&entry->identity, &in->part [0]);
    snprintf (entry->corr, sizeof entry->corr, "%s", corr);
    zmq_msg_init (&entry->owned);
    if (form) {
        zmq_msg_init_size (&entry->owned, form_size);
        memcpy (zmq_msg_data (&entry->owned), form, form_size);
    }
    else
        zmq_msg_move (&entry->owned, payload);
    entry->payload = zmq_msg_data (&entry->owned);
    entry->payload_size = zmq_msg_size (&entry->owned);
    if (!s_enter (self, entry)) {
        zmq_msg_close (&entry->identity);
        zmq_msg_close (&entry->owned);
    }
}

//  PUBLISH_MANY: the events frame (part 4 of IN).
void
broker_publish_many (broker_t *self, broker_inbound_t *in, const char *corr)
{
    zmq_msg_t *body = &in->part [4];
    const uint8_t *data = zmq_msg_data (body);
    size_t size = zmq_msg_size (body);
    if (size < 4) {
        broker_client_refuse (self, &in->part [0], corr, PL_BAD_REQUEST,
                              "PUBLISH_MANY: events: must begin with a count of 4 bytes");
        return;
    }
    uint32_t count = (uint32_t) data [0] << 24 | (uint32_t) data [1] << 16
                   | (uint32_t) data [2] << 8 | data [3];
    if (count == 0 || count > PL_MANY_MAX) {
        broker_client_refuse (self, &in->part [0], corr, PL_BAD_REQUEST,
                              "PUBLISH_MANY: events: count %u: must be 1 to %d", count,
                              PL_MANY_MAX);
        return;
    }
    //  The whole frame is read once before any event is taken: a malformed
    //  one is refused whole, and nothing of it is written
    size_t offset = 4;
    char err [PL_ERR_MAX];
    pl_many_event_t many;
    for (uint32_t i = 0; i < count; i++)
        if (pl_many_next (data, size, &offset, &many, err, sizeof err)) {
            broker_client_refuse (self, &in->part [0], corr, PL_BAD_REQUEST,
                                  "PUBLISH_MANY: events: event %u of %u: %s", i, count, err);
            return;
        }
    if (offset != size) {
        broker_client_refuse (self, &in->part [0], corr, PL_BAD_REQUEST,
                              "PUBLISH_MANY: events: %zu bytes after the last of %u events",
                              size - offset, count);
        return;
    }
    broker_request_t *request = calloc (1, sizeof *request);
    if (request) {
        request->results = calloc (count, PL_ACKS_RECORD);
        request->texts = calloc (count, sizeof *request->texts);
    }
    if (!request || !request->results || !request->texts) {
        if (request) {
            free (request->results);
            free (request->texts);
            free (request);
        }
        broker_client_refuse (self, &in->part [0], corr, PL_INTERNAL, "broker out of memory");
        return;
    }
    zmq_msg_init (&request->identity);
    zmq_msg_move (&request->identity, &in->part [0]);
    zmq_msg_init (&request->body);
    zmq_msg_move (&request->body, body);
    data = zmq_msg_data (&request->body);
    snprintf (request->corr, sizeof request->corr, "%s", corr);
    request->count = count;
    self->requests [self->request_count++] = request;

    char what [48];
    offset = 4;
    for (uint32_t i = 0; i < count; i++) {
        pl_many_next (data, size, &offset, &many, err, sizeof err);
        //  No room left: what is in the batch is committed (and answered) first
        if (self->batch_count == (size_t) self->config.max_batch
        ||  self->batch_bytes >= BROKER_BATCH_BYTES)
            broker_publish_commit (self);
        broker_publish_t *entry = &self->batch [self->batch_count];
        snprintf (what, sizeof what, "PUBLISH_MANY event %u", i);
        s_event_t event = {
            .what = what, .topic = many.topic, .topic_size = many.topic_size,
            .event_id = many.event_id, .event_id_size = many.event_id_size,
            .payload = many.payload, .payload_size = many.payload_size
        };
        const void *form;
        size_t form_size;
        char text [PL_ERR_MAX + 128];
        int status = s_check (self, &event, entry, &form, &form_size, text, sizeof text);
        request->read++;
        if (status != PL_OK) {
            self->metrics.refused++;
            s_result (request, i, status, 0, 0, text);
            continue;
        }
        entry->request = request;
        entry->index = i;
        zmq_msg_init (&entry->owned);
        if (form) {
            zmq_msg_init_size (&entry->owned, form_size);
            memcpy (zmq_msg_data (&entry->owned), form, form_size);
            entry->payload = zmq_msg_data (&entry->owned);
            entry->payload_size = form_size;
        }
        else {
            entry->payload = many.payload;
            entry->payload_size = many.payload_size;
        }
        if (!s_enter (self, entry))
            zmq_msg_close (&entry->owned);
    }
    //  Every event refused, or settled by a commit on the way: answer now
    s_requests_answer (self);
}

//  --------------------------------------------------------------------------
//  Group commit

//  ENTRY's event id is in the log already (its append wrote nothing): take
//  that event's seq, and note a conflict when its topic or payload differ.
//  0, or -1 when the look-up fails.
static int
s_logged (broker_t *self, broker_publish_t *entry)
{
    broker_event_t found;
    if (self->ops->find (self->store, entry->event_id, &found) != 1)
        return -1;
    entry->logged = 1;
    entry->seq = found.seq;
    if (!s_same_event (entry->topic, entry->payload, entry->payload_size, found.topic,
                       found.payload, found.payload_size)) {
        //  Events logged before payloads were kept canonical hold their
        //  producer's encoding: compare their canonical form before calling
        //  the retry a conflict (a rare path: only for a reused event id)
        const void *form = NULL;
        size_t form_size = 0;
        if (strcmp (entry->topic, found.topic)
        ||  pl_canon_is_canonical (found.payload, found.payload_size)
        ||  pl_canon_write (self->canon, found.payload, found.payload_size,
                            &form, &form_size) != PL_CANON_OK
        ||  !s_same_event (entry->topic, entry->payload, entry->payload_size, found.topic,
                           form, form_size))
            entry->conflict = strcmp (entry->topic, found.topic) ? "topic" : "payload";
    }
    return 0;
}

//  The batch's events failed to commit: each gets STATUS.
static void
s_failed (broker_t *self)
{
    int full = self->ops->full (self->store);
    //  (the store logs a full disk once per interval, not per batch)
    if (!full)
        pl_error ("broker: group commit failed events=%zu; answered 500", self->batch_count);
    for (size_t i = 0; i < self->batch_count; i++) {
        broker_publish_t *entry = &self->batch [i];
        if (full)
            s_settle (self, entry, PL_STORAGE_FULL, 0, 0, "storage full: the broker's disk is "
                      "full; event %s was not written, publish it again later", entry->event_id);
        else
            s_settle (self, entry, PL_INTERNAL, 0, 0, "storage failure: event %s was not "
                      "written", entry->event_id);
    }
}

//  The PUB notification of ENTRY, a new event: topic, seq, event_id, payload.
static void
s_notify (broker_t *self, broker_publish_t *entry)
{
    void *pub = zsock_resolve (self->pub);
    uint8_t seq [8];
    s_put_u64 (seq, entry->seq);
    zmq_send (pub, entry->topic, strlen (entry->topic), ZMQ_SNDMORE);
    zmq_send (pub, seq, sizeof seq, ZMQ_SNDMORE);
    zmq_send (pub, entry->event_id, strlen (entry->event_id), ZMQ_SNDMORE);
    if (zmq_msg_size (&entry->owned))
        zmq_msg_send (&entry->owned, pub, 0);       //  the payload part itself, moved
    else
        zmq_send (pub, entry->payload, entry->payload_size, 0);
}

int
broker_publish_commit (broker_t *self)
{
    if (self->batch_count == 0)
        return 0;
    int64_t now = pl_time_ms ();
    //  The batch's distinct events, in order, appended together
    size_t appends = 0;
    for (size_t i = 0; i < self->batch_count; i++) {
        broker_publish_t *entry = &self->batch [i];
        if (entry->first >= 0)
            continue;
        self->appends [appends++] = (broker_event_t) {
            .event_id = entry->event_id, .topic = entry->topic,
            .payload = entry->payload, .payload_size = entry->payload_size,
            .time_ms = now, .role = entry->role, .by = entry->by,
            .delegation = entry->delegation
        };
    }
    int rc = self->ops->begin (self->store);
    if (rc == 0)
        rc = self->ops->append_many (self->store, self->appends, appends, self->appends_logged);
    for (size_t i = 0, next = 0; rc == 0 && i < self->batch_count; i++) {
        broker_publish_t *entry = &self->batch [i];
        if (entry->first >= 0)
            continue;
        entry->seq = self->appends [next].seq;
        if (self->appends_logged [next++])
            rc = s_logged (self, entry);
    }
    if (rc == 0)
        rc = broker_flush (self);
    int64_t commit_us = pl_mono_us ();
    if (rc == 0)
        rc = self->ops->commit (self->store);
    if (rc == 0) {
        pl_histogram_observe (&self->metrics.commit_us, pl_mono_us () - commit_us);
        pl_histogram_observe (&self->metrics.commit_events, (int64_t) self->batch_count);
    }
    if (rc) {
        self->ops->rollback (self->store);
        s_failed (self);
        s_batch_clear (self);
        s_requests_answer (self);
        return -1;
    }
    broker_flushed (self);
    //  Durable: acknowledge (each PUBLISH at once, each PUBLISH_MANY's
    //  results), then tell the subscribers.
    for (size_t i = 0; i < self->batch_count; i++) {
        broker_publish_t *entry = &self->batch [i];
        broker_publish_t *origin = entry->first >= 0 ? &self->batch [entry->first] : entry;
        int duplicate = entry->first >= 0 || origin->logged;
        if (origin->conflict)
            s_settle (self, entry, PL_CONFLICT, origin->seq, 0,
                      "event id %s is already seq %llu with a different %s", entry->event_id,
                      (unsigned long long) origin->seq, origin->conflict);
        else
            s_settle (self, entry, PL_OK, origin->seq, duplicate, "%s", "");
        if (!duplicate)
            pl_debug ("broker: accepted seq=%llu event_id=%s topic=%s",
                      (unsigned long long) origin->seq, entry->event_id, entry->topic);
    }
    for (size_t i = 0; i < self->batch_count; i++) {
        broker_publish_t *entry = &self->batch [i];
        if (entry->first < 0 && !entry->logged)
            s_notify (self, entry);
    }
    s_batch_clear (self);
    //  The ACKS last: the batch's entries pointed into their frames
    s_requests_answer (self);
    return 0;
}

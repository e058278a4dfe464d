/*  broker — the plenaryd engine: the loop, the frontend and group commit.

    Each turn of the loop drains every message waiting on the frontend (up
    to max_batch publishes) and the backend, then commits the publishes of
    the turn in ONE transaction, and only after COMMIT returns (the WAL is
    on disk) sends the ACKs, then the PUB notifications, then delivers to
    the workers.  A failed commit answers every publisher of the batch with
    ERROR 500 and rolls back: nothing is half-written.  Events that arrive
    while a commit runs wait in the socket and form the next batch.

    Per event the hot path allocates little: the payload is checked straight
    from msgpack (pl_codec_check) and found canonical (pl_canon; only other
    encoders' payloads are rewritten), its identity and payload frames move into
    the batch, a repeated event id is found by the INSERT itself (the store
    writes nothing and the batch entry takes the logged seq), and the ACK and
    PUB notification go out frame by frame from the batch entry.

    Identity and authority are decided in exactly one place,
    broker_identity.c: the role of each client message is looked up once,
    in s_client_message, before any command runs. */
#include "broker_internal.h"
#include "pl_canon.h"
#include "pl_codec.h"
#include "pl_fs.h"
#include "pl_log.h"

#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


void
broker_client_send (broker_t *self, zframe_t *identity, uint8_t command,
                    const char *corr, zmsg_t **body_p)
{
    zmsg_t *msg = body_p && *body_p ? *body_p : zmsg_new ();
    if (body_p)
        *body_p = NULL;
    zmsg_pushmem (msg, corr, strlen (corr));
    zmsg_pushmem (msg, &command, 1);
    zmsg_pushstr (msg, PL_PROTO_CLIENT);
    zmsg_pushmem (msg, zframe_data (identity), zframe_size (identity));
    zmsg_send (&msg, self->frontend);
}

void
broker_client_error (broker_t *self, zframe_t *identity, const char *corr,
                     int code, const char *format, ...)
{
    char text [PL_ERR_MAX + 128];
    va_list args;
    va_start (args, format);
    vsnprintf (text, sizeof text, format, args);
    va_end (args);
    char digits [8];
    snprintf (digits, sizeof digits, "%03d", code);
    zmsg_t *body = zmsg_new ();
    zmsg_addstr (body, digits);
    zmsg_addstr (body, text);
    broker_client_send (self, identity, PL_C_ERROR, corr, &body);
    if (code == PL_STORAGE_FULL)        //  the store says it once per interval
        pl_debug ("broker: error code=%d corr=%s text=%s", code, corr, text);
    else
    if (code >= 500)
        pl_warn ("broker: error code=%d corr=%s text=%s", code, corr, text);
    else
        pl_info ("broker: refused code=%d corr=%s text=%s", code, corr, text);
}

//  --------------------------------------------------------------------------
//  Publishing

static void
s_batch_clear (broker_t *self)
{
    for (size_t i = 0; i < self->batch_count; i++) {
        zframe_destroy (&self->batch [i].identity);
        zframe_destroy (&self->batch [i].payload);
    }
    self->batch_count = 0;
    self->batch_bytes = 0;
    zhashx_purge (self->batch_ids);
}

static int
s_same_event (const char *topic, zframe_t *payload, const char *other_topic,
              const void *other_payload, size_t other_size)
{
    return strcmp (topic, other_topic) == 0 && zframe_size (payload) == other_size
        && memcmp (zframe_data (payload), other_payload, other_size) == 0;
}

//  PUBLISH: topic, event_id, payload (frames after corr).
static void
s_publish (broker_t *self, zframe_t *identity, const char *corr, zmsg_t *msg)
{
    char topic [PL_TOPIC_MAX + 1], event_id [PL_EVENT_ID_MAX + 1];
    if (pl_frame_get_str (zmsg_next (msg), topic, sizeof topic)) {
        broker_client_error (self, identity, corr, PL_BAD_REQUEST,
                             "PUBLISH: topic: longer than %d bytes or holds a NUL", PL_TOPIC_MAX);
        return;
    }
    if (!broker_identity_may_publish (self->identity, self->meta, self->role, topic)) {
        broker_client_error (self, identity, corr, PL_FORBIDDEN,
                             "PUBLISH: role %s may not publish %s", self->role, topic);
        return;
    }
    const pl_message_t *message = pl_schema_find (topic);
    if (!message || message->kind != PL_KIND_EVENT) {
        broker_client_error (self, identity, corr, PL_NOT_FOUND,
                             "PUBLISH: unknown topic '%s'", topic);
        return;
    }
    if (pl_frame_get_str (zmsg_next (msg), event_id, sizeof event_id)
    ||  !pl_event_id_valid (event_id)) {
        broker_client_error (self, identity, corr, PL_BAD_REQUEST,
                             "PUBLISH: event_id: must be 1 to %d printable ASCII bytes without space",
                             PL_EVENT_ID_MAX);
        return;
    }
    //  Validated straight from msgpack: the same verdict and error text as
    //  pl_codec_decode, without building a json_t tree per event.
    zframe_t *payload = zmsg_next (msg);
    char err [PL_ERR_MAX];
    if (pl_codec_check (topic, zframe_data (payload), zframe_size (payload), err, sizeof err)) {
        broker_client_error (self, identity, corr, PL_BAD_REQUEST, "%s", err);
        return;
    }
    //  From here on the payload is its canonical form: dedupe compares it,
    //  the log keeps it, workers and subscribers get it.  Our own clients
    //  send it already (a check that allocates nothing); others' payloads
    //  are rewritten into the frame.
    if (!pl_canon_is_canonical (zframe_data (payload), zframe_size (payload))) {
        const void *form;
        size_t form_size;
        pl_canon_status_t status = pl_canon_write (self->canon, zframe_data (payload),
                                                   zframe_size (payload), &form, &form_size);
        if (status != PL_CANON_OK) {
            broker_client_error (self, identity, corr,
                                 status == PL_CANON_NO_MEMORY ? PL_INTERNAL : PL_BAD_REQUEST,
                                 "%s: %s", topic, pl_canon_status_str (status));
            return;
        }
        zframe_reset (payload, form, form_size);
    }

    //  Idempotency: an event id earlier in this batch is settled here; one
    //  already in the log is found by the append itself (s_commit).
    long first = -1;
    size_t index_1 = (size_t) zhashx_lookup (self->batch_ids, event_id);
    if (index_1) {
        broker_publish_t *earlier = &self->batch [index_1 - 1];
        if (!s_same_event (topic, payload, earlier->topic, zframe_data (earlier->payload),
                           zframe_size (earlier->payload))) {
            broker_client_error (self, identity, corr, PL_CONFLICT,
                                 "event id %s was just published with a different %s",
                                 event_id, strcmp (topic, earlier->topic) ? "topic" : "payload");
            return;
        }
        first = (long) index_1 - 1;
    }
    //  The batch takes the identity and payload frames out of MSG: no copy.
    broker_publish_t *entry = &self->batch [self->batch_count++];
    entry->role = self->role;
    zmsg_remove (msg, identity);
    zmsg_remove (msg, payload);
    entry->identity = identity;
    snprintf (entry->corr, sizeof entry->corr, "%s", corr);
    memcpy (entry->topic, topic, sizeof topic);
    memcpy (entry->event_id, event_id, sizeof event_id);
    entry->payload = payload;
    self->batch_bytes += zframe_size (payload);
    entry->seq = 0;
    entry->first = first;
    entry->logged = 0;
    entry->conflict = NULL;
    if (first < 0)
        zhashx_insert (self->batch_ids, entry->event_id, (void *) self->batch_count);
}

//  VALUE big-endian into 8 bytes at BYTES (as pl_frame_put_u64)
static void
s_put_u64 (uint8_t *bytes, uint64_t value)
{
    for (int i = 7; i >= 0; i--, value >>= 8)
        bytes [i] = (uint8_t) value;
}

//  ACK to ENTRY's publisher: sent frame by frame from the batch entry, with
//  no message or frame allocated (the hot path: one per event).
static void
s_send_ack (broker_t *self, broker_publish_t *entry, uint64_t seq, int duplicate)
{
    void *frontend = zsock_resolve (self->frontend);
    uint8_t command = PL_C_ACK, flag = (uint8_t) duplicate, seq_bytes [8];
    s_put_u64 (seq_bytes, seq);
    zmq_send (frontend, zframe_data (entry->identity), zframe_size (entry->identity),
              ZMQ_SNDMORE);
    zmq_send (frontend, PL_PROTO_CLIENT, strlen (PL_PROTO_CLIENT), ZMQ_SNDMORE);
    zmq_send (frontend, &command, 1, ZMQ_SNDMORE);
    zmq_send (frontend, entry->corr, strlen (entry->corr), ZMQ_SNDMORE);
    zmq_send (frontend, seq_bytes, sizeof seq_bytes, ZMQ_SNDMORE);
    zmq_send (frontend, &flag, 1, 0);
}

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
    if (!s_same_event (entry->topic, entry->payload, found.topic, found.payload,
                       found.payload_size)) {
        //  Events logged before payloads were kept canonical hold their
        //  producer's encoding: compare their canonical form before calling
        //  the retry a conflict (a rare path: only for a reused event id)
        const void *form = NULL;
        size_t form_size = 0;
        if (strcmp (entry->topic, found.topic)
        ||  pl_canon_is_canonical (found.payload, found.payload_size)
        ||  pl_canon_write (self->canon, found.payload, found.payload_size,
                            &form, &form_size) != PL_CANON_OK
        ||  !s_same_event (entry->topic, entry->payload, found.topic, form, form_size))
            entry->conflict = strcmp (entry->topic, found.topic) ? "topic" : "payload";
    }
    return 0;
}

//  Commit the batch, then ACK, then notify.  Returns 0 or -1 (answered 500).
static int
s_commit (broker_t *self)
{
    if (self->batch_count == 0)
        return 0;
    int64_t now = pl_time_ms ();
    int rc = self->ops->begin (self->store);
    for (size_t i = 0; rc == 0 && i < self->batch_count; i++) {
        broker_publish_t *entry = &self->batch [i];
        if (entry->first >= 0)
            continue;
        broker_event_t event = {
            .event_id = entry->event_id, .topic = entry->topic,
            .payload = zframe_data (entry->payload), .payload_size = zframe_size (entry->payload),
            .time_ms = now, .role = entry->role
        };
        rc = self->ops->append (self->store, &event);
        entry->seq = event.seq;
        if (rc == 1)
            rc = s_logged (self, entry);
    }
    if (rc == 0)
        rc = broker_flush (self);
    if (rc == 0)
        rc = self->ops->commit (self->store);
    if (rc) {
        self->ops->rollback (self->store);
        int full = self->ops->full (self->store);
        //  (the store logs a full disk once per interval, not per batch)
        if (!full)
            pl_error ("broker: group commit failed events=%zu; answered 500", self->batch_count);
        for (size_t i = 0; i < self->batch_count; i++)
            if (full)
                broker_client_error (self, self->batch [i].identity, self->batch [i].corr,
                                     PL_STORAGE_FULL, "storage full: the broker's disk is "
                                     "full; event %s was not written, publish it again later",
                                     self->batch [i].event_id);
            else
                broker_client_error (self, self->batch [i].identity, self->batch [i].corr,
                                     PL_INTERNAL, "storage failure: event %s was not written",
                                     self->batch [i].event_id);
        s_batch_clear (self);
        return -1;
    }
    broker_flushed (self);
    //  Durable: acknowledge, then tell the subscribers.
    for (size_t i = 0; i < self->batch_count; i++) {
        broker_publish_t *entry = &self->batch [i];
        broker_publish_t *origin = entry->first >= 0 ? &self->batch [entry->first] : entry;
        int duplicate = entry->first >= 0 || origin->logged;
        if (origin->conflict)
            broker_client_error (self, entry->identity, entry->corr, PL_CONFLICT,
                                 "event id %s is already seq %llu with a different %s",
                                 entry->event_id, (unsigned long long) origin->seq,
                                 origin->conflict);
        else
            s_send_ack (self, entry, origin->seq, duplicate);
        if (!duplicate)
            pl_debug ("broker: accepted seq=%llu event_id=%s topic=%s",
                      (unsigned long long) origin->seq, entry->event_id, entry->topic);
    }
    for (size_t i = 0; i < self->batch_count; i++) {
        broker_publish_t *entry = &self->batch [i];
        if (entry->first >= 0 || entry->logged)
            continue;
        //  topic, seq, event_id, payload (the payload frame itself, moved)
        void *pub = zsock_resolve (self->pub);
        uint8_t seq [8];
        s_put_u64 (seq, entry->seq);
        zmq_send (pub, entry->topic, strlen (entry->topic), ZMQ_SNDMORE);
        zmq_send (pub, seq, sizeof seq, ZMQ_SNDMORE);
        zmq_send (pub, entry->event_id, strlen (entry->event_id), ZMQ_SNDMORE);
        zframe_send (&entry->payload, pub, 0);
    }
    s_batch_clear (self);
    return 0;
}

//  --------------------------------------------------------------------------
//  The frontend: one table of commands

static void
s_receipt (broker_t *self, zframe_t *identity, const char *corr, zmsg_t *msg)
{
    uint64_t seq;
    uint32_t timeout_ms;
    char group [PL_GROUP_MAX + 1];
    if (pl_frame_get_u64 (zmsg_next (msg), &seq)) {
        broker_client_error (self, identity, corr, PL_BAD_REQUEST,
                             "RECEIPT: seq must be a frame of exactly 8 bytes");
        return;
    }
    if (pl_frame_get_str (zmsg_next (msg), group, sizeof group) || !pl_group_valid (group)) {
        broker_client_error (self, identity, corr, PL_BAD_REQUEST,
                             "RECEIPT: group must be 1 to %d bytes of [a-z0-9-]", PL_GROUP_MAX);
        return;
    }
    if (pl_frame_get_u32 (zmsg_next (msg), &timeout_ms)) {
        broker_client_error (self, identity, corr, PL_BAD_REQUEST,
                             "RECEIPT: timeout_ms must be a frame of exactly 4 bytes");
        return;
    }
    broker_receipt_request (self, identity, corr, seq, group, timeout_ms);
}

static void
s_query (broker_t *self, zframe_t *identity, const char *corr, zmsg_t *msg)
{
    char service [PL_GROUP_MAX + 1], name [PL_TOPIC_MAX + 1];
    if (pl_frame_get_str (zmsg_next (msg), service, sizeof service) || !pl_group_valid (service)) {
        broker_client_error (self, identity, corr, PL_BAD_REQUEST,
                             "QUERY: service must be 1 to %d bytes of [a-z0-9-]", PL_GROUP_MAX);
        return;
    }
    if (pl_frame_get_str (zmsg_next (msg), name, sizeof name)) {
        broker_client_error (self, identity, corr, PL_BAD_REQUEST,
                             "QUERY: name: longer than %d bytes or holds a NUL", PL_TOPIC_MAX);
        return;
    }
    zframe_t *payload = zmsg_next (msg);
    //  An optional last frame asks to act with a lower role than the
    //  connection's (the gateway queries as "public"); never a higher one.
    const char *role = self->role;
    zframe_t *as_role = zmsg_next (msg);
    if (as_role) {
        char asked [PL_ROLE_MAX + 1];
        if (pl_frame_get_str (as_role, asked, sizeof asked) || pl_role_rank (asked) < 0) {
            broker_client_error (self, identity, corr, PL_BAD_REQUEST,
                                 "QUERY: as_role must be secretariat, record-keeper, "
                                 "delegate or public");
            return;
        }
        if (pl_role_rank (asked) > pl_role_rank (role)) {
            broker_client_error (self, identity, corr, PL_FORBIDDEN,
                                 "QUERY: as_role %s is above this connection's role %s",
                                 asked, role);
            return;
        }
        role = pl_role_lower (role, asked);
    }
    zmsg_remove (msg, payload);
    broker_query_request (self, identity, corr, service, name, role, &payload);
    zframe_destroy (&payload);
}

static void
s_ping (broker_t *self, zframe_t *identity, const char *corr, zmsg_t *msg)
{
    broker_client_send (self, identity, PL_C_PONG, corr, NULL);
}

typedef void (s_command_fn) (broker_t *self, zframe_t *identity, const char *corr, zmsg_t *msg);

static const struct {
    uint8_t command;
    const char *name;
    size_t frames;                  //  after header, command and corr
    size_t optional;                //  further frames it may have
    const char *shape;
    s_command_fn *handler;
} s_commands [] = {
    { PL_C_PUBLISH, "PUBLISH", 3, 0, "topic, event_id, payload", s_publish },
    { PL_C_RECEIPT, "RECEIPT", 3, 0, "seq, group, timeout_ms",   s_receipt },
    { PL_C_QUERY,   "QUERY",   3, 1, "service, name, payload[, as_role]", s_query },
    { PL_C_PING,    "PING",    0, 0, "nothing",                  s_ping },
};

//  One message from a client: check the envelope, then the command table.
static void
s_client_message (broker_t *self, zmsg_t *msg)
{
    //  The identity stays in MSG (a handler may take it, with the payload,
    //  into the batch instead of copying them).
    zframe_t *identity = zmsg_first (msg);
    if (!identity)
        return;                         //  a ROUTER always gives one: nothing to answer
    zframe_t *header = zmsg_next (msg);
    zframe_t *command = zmsg_next (msg);
    zframe_t *corr_frame = zmsg_next (msg);
    //  A request whose corr cannot be read is answered with an EMPTY corr,
    //  which no client can have chosen (a corr is 1 to 64 bytes): its ERROR
    //  can never be taken for the answer to another request.
    char corr [PL_CORR_MAX + 1] = "";
    int corr_ok = corr_frame && pl_frame_get_str (corr_frame, corr, sizeof corr) == 0
               && pl_event_id_valid (corr);
    if (!corr_ok)
        corr [0] = 0;
    uint8_t byte = 0;
    size_t index = 0, count = sizeof s_commands / sizeof s_commands [0];
    char why [PL_REASON_MAX];
    //  The metadata of a connection rides on the frames its peer sent, not
    //  on the routing id the ROUTER adds: ask the header
    self->role = broker_identity_role (self->identity, header, why, sizeof why);
    self->meta = header;
    if (!self->role)
        broker_client_error (self, identity, corr, PL_FORBIDDEN, "%s", why);
    else
    if (!header || !zframe_streq (header, PL_PROTO_CLIENT))
        broker_client_error (self, identity, corr, PL_BAD_REQUEST,
                             "expected protocol header %s in frame 0", PL_PROTO_CLIENT);
    else
    if (pl_frame_get_byte (command, &byte))
        broker_client_error (self, identity, corr, PL_BAD_REQUEST,
                             "frame 1 must be a one-byte command");
    else {
        while (index < count && s_commands [index].command != byte)
            index++;
        if (index == count)
            broker_client_error (self, identity, corr, PL_BAD_REQUEST,
                                 "unknown command 0x%02x", byte);
        else
        if (!corr_ok)
            broker_client_error (self, identity, corr, PL_BAD_REQUEST,
                                 "%s: corr (frame 2) must be 1 to %d printable ASCII bytes",
                                 s_commands [index].name, PL_CORR_MAX);
        else
        if (zmsg_size (msg) < 4 + s_commands [index].frames
        ||  zmsg_size (msg) > 4 + s_commands [index].frames + s_commands [index].optional)
            broker_client_error (self, identity, corr, PL_BAD_REQUEST,
                                 "%s: expected %zu frames after corr (%s), got %zu",
                                 s_commands [index].name, s_commands [index].frames,
                                 s_commands [index].shape, zmsg_size (msg) - 4);
        else {
            int too_large = 0;
            zmsg_first (msg);           //  the identity is not the client's frame
            for (zframe_t *frame = zmsg_next (msg); frame; frame = zmsg_next (msg))
                if (zframe_size (frame) > self->config.max_frame)
                    too_large = 1;
            if (too_large)
                broker_client_error (self, identity, corr, PL_TOO_LARGE,
                                     "%s: a frame is larger than max_frame (%zu bytes)",
                                     s_commands [index].name, self->config.max_frame);
            else {
                zmsg_first (msg);
                zmsg_next (msg);
                zmsg_next (msg);
                zmsg_next (msg);        //  handlers read the frames after corr
                s_commands [index].handler (self, identity, corr, msg);
            }
        }
    }
}

//  --------------------------------------------------------------------------
//  Setup, the loop, teardown

static zsock_t *
s_socket (broker_t *self, int type, const char *endpoint, const char *what, const char *domain)
{
    zsock_t *sock = zsock_new (type);
    if (!sock)
        return NULL;
    zsock_set_linger (sock, 0);
    zsock_set_sndhwm (sock, self->config.hwm);
    zsock_set_rcvhwm (sock, self->config.hwm);
    zsock_set_maxmsgsize (sock, (int) self->config.max_message);
    if (type == ZMQ_ROUTER) {
        zsock_set_router_mandatory (sock, 0);
        //  The loop polls, then drains: a receive that finds nothing
        //  returns at once (cheaper than asking ZMQ_EVENTS before each).
        zsock_set_rcvtimeo (sock, 0);
    }
    broker_identity_secure (self->identity, sock, domain);
    if (zmq_bind (zsock_resolve (sock), endpoint)) {
        pl_error ("broker: cannot bind %s to %s: %s", what, endpoint, zmq_strerror (errno));
        zsock_destroy (&sock);
    }
    return sock;
}

static void s_pub_bind (broker_t *self);

//  A key was revoked: bind the PUB socket anew on the same address, so
//  that every subscriber reconnects through the ZAP handler, which refuses
//  the revoked key (a PUB socket cannot drop one subscriber).  Notifications
//  are best-effort: the few sent meanwhile are lost, as for a slow joiner.
static void
s_pub_rebind (broker_t *self)
{
    if (!*self->pub_endpoint) {
        char *endpoint = zsock_last_endpoint (self->pub);
        if (!endpoint)
            return;
        snprintf (self->pub_endpoint, sizeof self->pub_endpoint, "%s", endpoint);
        free (endpoint);
    }
    zsock_destroy (&self->pub);
    //  The old listener closes in libzmq's I/O thread, a moment later: until
    //  the address is free again, notifications go to a socket bound
    //  nowhere, and each tick tries the bind again (s_pub_bind).
    self->pub = zsock_new (ZMQ_PUB);
    self->pub_rebind_until = pl_mono_ms () + BROKER_REBIND_MS;
    s_pub_bind (self);
}

//  Bind the new PUB socket to the old address, if it is free yet.
static void
s_pub_bind (broker_t *self)
{
    if (!self->pub_rebind_until)
        return;
    zsock_set_linger (self->pub, 0);
    zsock_set_sndhwm (self->pub, self->config.hwm);
    broker_identity_secure (self->identity, self->pub, BROKER_DOMAIN_PUB);
    if (zmq_bind (zsock_resolve (self->pub), self->pub_endpoint) == 0) {
        self->pub_rebind_until = 0;
        pl_info ("broker: live stream bound again on %s; subscribers show their keys again",
                 self->pub_endpoint);
    }
    else
    if (errno != EADDRINUSE || pl_mono_ms () > self->pub_rebind_until) {
        self->pub_rebind_until = 0;
        pl_error ("broker: could not bind the live stream again on %s: %s; it is off until "
                  "plenaryd restarts", self->pub_endpoint, zmq_strerror (errno));
    }
}

//  Write DATA/plenaryd.ready atomically (temporary file, then rename).
static int
s_write_ready (broker_t *self)
{
    char tmp [sizeof self->ready_path + 8];
    snprintf (self->ready_path, sizeof self->ready_path, "%s/plenaryd.ready", self->config.data);
    snprintf (tmp, sizeof tmp, "%s.tmp", self->ready_path);
    char *frontend = zsock_last_endpoint (self->frontend);
    char *backend = zsock_last_endpoint (self->backend);
    char *pub = zsock_last_endpoint (self->pub);
    FILE *file = fopen (tmp, "w");
    int rc = -1;
    if (file) {
        fprintf (file, "frontend=%s\nbackend=%s\npub=%s\n", frontend, backend, pub);
        rc = fflush (file) == 0 && fsync (fileno (file)) == 0 ? 0 : -1;
        rc |= fclose (file);
    }
    if (rc == 0)
        rc = rename (tmp, self->ready_path);
    if (rc)
        pl_error ("broker: cannot write %s: %s", self->ready_path, strerror (errno));
    else
        pl_info ("broker: ready frontend=%s backend=%s pub=%s", frontend, backend, pub);
    free (frontend);
    free (backend);
    free (pub);
    return rc ? -1 : 0;
}

broker_t *
broker_new (const pl_config_t *config)
{
    broker_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->config = *config;
    self->ops = &broker_store_sqlite;
    if (self->config.max_credit < 1)
        self->config.max_credit = 1;
    if (self->config.max_batch < 1)
        self->config.max_batch = 1;
    char dir [PL_ENDPOINT_MAX + 16];
    snprintf (dir, sizeof dir, "%s/broker", config->data);
    //  Who may connect is settled before anything is written
    char err [2048];
    self->identity = broker_identity_new (config, config->insecure, err, sizeof err);
    if (!self->identity) {
        pl_error ("broker: will not start: %s", err);
        broker_destroy (&self);
        return NULL;
    }
    //  With keys only the secretariat, workers and keys granted "live"
    //  follow the live stream; without, anyone on this host does, with the
    //  loopback role.  Below the secretariat nobody can publish, so the
    //  stream carries only verdicts (workers catching up): without their
    //  reasons, which may name a person
    self->pub_withholds = !broker_identity_curve (self->identity)
                       && pl_role_rank (config->loopback_role) < pl_role_rank ("secretariat");
    char err_fs [512];
    if (pl_fs_mkdirs (config->data, err_fs, sizeof err_fs))
        pl_error ("broker: %s", err_fs);
    pl_fs_tighten (config->data);
    self->store = self->ops->open (dir, config);
    self->batch = calloc ((size_t) self->config.max_batch, sizeof *self->batch);
    self->verdicts = calloc (BROKER_VERDICT_QUEUE, sizeof *self->verdicts);
    self->batch_ids = zhashx_new ();
    self->canon = pl_canon_new ();
    self->workers = zhashx_new ();
    self->groups = zhashx_new ();
    self->group_list = zlistx_new ();
    self->queries = zhashx_new ();
    self->receipts = zlistx_new ();
    if (!self->store || !self->batch || !self->verdicts || !self->receipts || !self->group_list
    ||  !self->canon)
        goto err;
    zhashx_set_destructor (self->workers, (zhashx_destructor_fn *) broker_worker_destroy);
    zhashx_set_destructor (self->groups, (zhashx_destructor_fn *) broker_group_destroy);
    zhashx_set_destructor (self->queries, broker_client_item_free);
    zlistx_set_destructor (self->receipts, broker_client_item_free);
    if (broker_groups_load (self))
        goto err;
    self->frontend = s_socket (self, ZMQ_ROUTER, config->endpoint, "frontend",
                               BROKER_DOMAIN_FRONTEND);
    self->backend = s_socket (self, ZMQ_ROUTER, config->backend, "backend",
                              BROKER_DOMAIN_BACKEND);
    self->pub = s_socket (self, ZMQ_PUB, config->pub, "pub", BROKER_DOMAIN_PUB);
    if (!self->frontend || !self->backend || !self->pub || s_write_ready (self))
        goto err;
    pl_info ("broker: serving data=%s last_seq=%llu events=%llu", config->data,
             (unsigned long long) self->ops->last_seq (self->store),
             (unsigned long long) self->ops->count (self->store));
    self->last_flush = self->last_tick = pl_mono_ms ();
    return self;
err:
    broker_destroy (&self);
    return NULL;
}

void
broker_destroy (broker_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    broker_t *self = *self_p;
    if (self->batch)
        s_batch_clear (self);
    zhashx_destroy (&self->queries);
    zlistx_destroy (&self->receipts);
    zhashx_destroy (&self->workers);
    zlistx_destroy (&self->group_list);
    zhashx_destroy (&self->groups);
    zhashx_destroy (&self->batch_ids);
    pl_canon_destroy (&self->canon);
    zsock_destroy (&self->frontend);
    zsock_destroy (&self->backend);
    zsock_destroy (&self->pub);
    broker_identity_destroy (&self->identity);
    if (self->store)
        self->ops->close (&self->store);
    free (self->batch);
    free (self->verdicts);
    free (self);
    *self_p = NULL;
}

//  Drain the frontend: every waiting message, up to max_batch publishes.
static void
s_drain_frontend (broker_t *self)
{
    int handled = 0;
    while (handled < self->config.max_batch
       &&  self->batch_count < (size_t) self->config.max_batch
       &&  self->batch_bytes < BROKER_BATCH_BYTES) {
        zmsg_t *msg = zmsg_recv (self->frontend);
        if (!msg)
            break;
        s_client_message (self, msg);
        zmsg_destroy (&msg);
        handled++;
    }
}

static void
s_drain_backend (broker_t *self)
{
    int handled = 0;
    while (handled < self->config.max_batch) {
        zmsg_t *msg = zmsg_recv (self->backend);
        if (!msg)
            break;
        broker_worker_message (self, &msg);
        handled++;
    }
}

int
broker_run (broker_t *self, volatile sig_atomic_t *stop)
{
    zmq_pollitem_t items [] = {
        { zsock_resolve (self->frontend), 0, ZMQ_POLLIN, 0 },
        { zsock_resolve (self->backend), 0, ZMQ_POLLIN, 0 },
    };
    while (!*stop) {
        int rc = zmq_poll (items, 2, BROKER_TICK_MS);
        if (rc < 0 && errno != EINTR) {
            pl_error ("broker: poll failed: %s", zmq_strerror (errno));
            return -1;
        }
        if (rc > 0) {
            self->last_busy = pl_mono_ms ();
            s_drain_backend (self);
            s_drain_frontend (self);
            s_commit (self);
        }
        broker_groups_dispatch (self);
        int64_t now = pl_mono_ms ();
        if (now - self->last_tick >= BROKER_TICK_MS) {
            self->last_tick = now;
            if (broker_identity_refresh (self->identity)) {
                broker_workers_revoked (self);
                s_pub_rebind (self);
            }
            s_pub_bind (self);
            //  Idle for a tick: return the heap freed since to the system
            //  (a burst of connections leaves it fragmented, and glibc keeps
            //  it); never on a busy loop, where it would add latency
            if (now - self->last_trim >= BROKER_TRIM_MS && now - self->last_busy >= BROKER_TICK_MS) {
                malloc_trim (0);
                self->last_trim = now;
            }
            broker_workers_tick (self, now);
            broker_clients_tick (self, now);
            if (now - self->last_flush >= self->config.heartbeat_ms
            ||  self->verdict_count >= BROKER_VERDICT_QUEUE)
                if (broker_persist (self) == 0)
                    self->last_flush = now;
            //  The store's own thread backfills the WAL all the time, but
            //  under continuous writes its checkpoint never catches the last
            //  frames, and SQLite reuses the WAL from its start only after a
            //  complete one.  Finishing it here, where no write is under way,
            //  copies only the last few frames and lets the WAL restart.
            if (now - self->last_checkpoint >= BROKER_CHECKPOINT_MS) {
                self->ops->checkpoint (self->store);
                self->last_checkpoint = now;
            }
        }
    }
    pl_info ("broker: stopping");
    s_commit (self);
    broker_workers_stop (self);
    if (broker_persist (self))
        pl_warn ("broker: could not persist cursors at stop; workers replay from their own");
    self->ops->checkpoint (self->store);
    if (unlink (self->ready_path))
        pl_warn ("broker: cannot remove %s: %s", self->ready_path, strerror (errno));
    return 0;
}

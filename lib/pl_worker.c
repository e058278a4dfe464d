/*  pl_worker — the worker side of PLW01: connect, READY, batches, verdicts,
    queries, heartbeats and reconnection (docs/protocol.md, "Worker protocol").

    One loop on one DEALER socket.  EVENTs are collected while more are
    waiting (up to the credit) and applied as one batch, one transaction in
    the store, before any of their VERDICTs leaves: a verdict is a promise
    that the event and the cursor are durable.  The broker is dead after
    config->liveness heartbeat intervals without a message; the worker then
    drops the socket and, after a back-off that doubles from
    reconnect_initial_ms to reconnect_max_ms (Paranoid Pirate, zguide ch. 4),
    connects afresh and sends READY with the store's cursor.  A store
    failure is handled the same way after a DISCONNECT: the broker
    redelivers what was not acknowledged.

    Queries are pl_queries': on threads of their own when the handler
    opens readers, so that the loop keeps applying events and heartbeating
    while a query of any length runs; the loop only hands each QUERY over
    and sends each REPLY on.

    A worker that is behind (a replay from seq 0 after its database was
    deleted or migrated, or a long absence) says how far it is every
    config->progress_ms, and when it has caught up: it is behind while
    the events it applies were logged longer than that ago. */
#include "pl_worker.h"
#include "pl_codec.h"
#include "pl_keys.h"
#include "pl_log.h"
#include "pl_queries.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

//  What handling a message asks of the loop.
typedef enum {
    S_CONTINUE = 0,
    S_RECONNECT = 1             //  drop the connection, back off, join again
} s_next_t;

//  One event of the batch, with the storage its pl_delivery_t borrows.
typedef struct {
    char topic [PL_TOPIC_MAX + 1];
    char event_id [PL_EVENT_ID_MAX + 1];
    char role [16];                             //  the stamp
    char by [PL_KEY_NAME_MAX + 1];
    char delegation [PL_KEY_NAME_MAX + 1];
    json_t *payload;            //  NULL when the payload failed validation
    char error [PL_ERR_MAX];    //  the codec's error then
} s_slot_t;

struct _pl_worker_t {
    pl_config_t config;
    char group [PL_GROUP_MAX + 1];
    char *topics;
    char *services;
    char *follows;              //  "leader:pattern,...", NULL when none
    pl_key_t key;               //  config.cert, loaded once; key.name "" without one
    pl_worker_handler_t handler;
    void *store;                //  borrowed
    pl_queries_t *queries;      //  answers QUERYs, on threads of their own with readers
    zsock_t *dealer;            //  NULL while backing off
    int64_t broker_expiry;      //  pl_mono_ms after which the broker is dead
    int64_t heartbeat_at;       //  send a HEARTBEAT if nothing was sent by then
    int backoff_ms;             //  the next reconnect back-off
    size_t credit;              //  the batch capacity we announce
    size_t count;               //  events in the batch
    s_slot_t *slots;
    pl_delivery_t *events;
    pl_verdict_t *verdicts;
    zmsg_t *pending;            //  a non-EVENT message read while collecting
    //  Progress of a catch-up (s_progress)
    int catching_up;            //  the events applied are old: a replay
    int64_t progress_at;        //  pl_mono_ms of the next progress line
    int64_t caught_from;        //  pl_mono_ms when the catch-up began
    uint64_t applied;           //  events applied since it began
    uint64_t applied_seq;       //  the last of them
};

pl_worker_t *
pl_worker_new (const pl_config_t *config, const char *group, const char *topics,
               const char *services, const pl_worker_handler_t *handler, void *store)
{
    if (!config || !pl_group_valid (group) || !topics || !*topics || !services
    ||  !handler || !handler->apply || !handler->query || !handler->cursor
    ||  config->worker_credit < 1 || config->heartbeat_ms < 1 || config->liveness < 1
    ||  config->reconnect_initial_ms < 1 || config->reconnect_max_ms < 1) {
        pl_error ("worker: bad arguments group=%s", group ? group : "(null)");
        return NULL;
    }
    pl_worker_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->config = *config;
    strcpy (self->group, group);
    self->handler = *handler;
    self->store = store;
    //  Never announce more than a broker accepts: the batch arrays are
    //  sized by the credit
    self->credit = (size_t) config->worker_credit;
    if (config->max_credit > 0 && self->credit > (size_t) config->max_credit)
        self->credit = (size_t) config->max_credit;
    self->backoff_ms = config->reconnect_initial_ms;
    self->topics = strdup (topics);
    self->services = strdup (services);
    char err [512];
    if (*config->cert && pl_key_load (config->cert, &self->key, err, sizeof err)) {
        pl_error ("worker: %s (--cert, PLENARY_CERT)", err);
        pl_worker_destroy (&self);
        return NULL;
    }
    self->slots = calloc (self->credit, sizeof *self->slots);
    self->events = calloc (self->credit, sizeof *self->events);
    self->verdicts = calloc (self->credit, sizeof *self->verdicts);
    if (!self->topics || !self->services || !self->slots || !self->events || !self->verdicts) {
        pl_error ("worker: out of memory group=%s credit=%zu", group, self->credit);
        pl_worker_destroy (&self);
        return NULL;
    }
    self->queries = pl_queries_new (config, group, services, handler, store);
    if (!self->queries)
        pl_worker_destroy (&self);
    return self;
}

//  Free the batch's payloads and empty it.
static void
s_batch_clear (pl_worker_t *self)
{
    for (size_t i = 0; i < self->count; i++) {
        json_decref (self->slots [i].payload);
        self->slots [i].payload = NULL;
    }
    self->count = 0;
}

void
pl_worker_destroy (pl_worker_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    pl_worker_t *self = *self_p;
    pl_queries_destroy (&self->queries);
    if (self->slots)
        s_batch_clear (self);
    zmsg_destroy (&self->pending);
    zsock_destroy (&self->dealer);
    free (self->topics);
    free (self->services);
    free (self->follows);
    memset (&self->key, 0, sizeof self->key);
    free (self->slots);
    free (self->events);
    free (self->verdicts);
    free (self);
    *self_p = NULL;
}

//  A new message with the PLW01 header and COMMAND.
static zmsg_t *
s_message (uint8_t command)
{
    zmsg_t *msg = zmsg_new ();
    zmsg_addstr (msg, PL_PROTO_WORKER);
    pl_frame_put_byte (msg, command);
    return msg;
}

//  Send *MSG_P (destroyed) to the broker; the heartbeat clock restarts.
static void
s_send (pl_worker_t *self, zmsg_t **msg_p)
{
    if (zmsg_send (msg_p, self->dealer)) {
        pl_warn ("worker: send failed group=%s cause=%s", self->group, zmq_strerror (errno));
        zmsg_destroy (msg_p);
    }
    self->heartbeat_at = pl_mono_ms () + self->config.heartbeat_ms;
}

//  Send DISCONNECT with REASON.
static void
s_send_disconnect (pl_worker_t *self, const char *reason)
{
    zmsg_t *msg = s_message (PL_W_DISCONNECT);
    zmsg_addstr (msg, reason);
    s_send (self, &msg);
}

//  Open a fresh DEALER to the backend and send READY with the cursor.
//  0, or -1 when the endpoint is unusable (a configuration error).
static int
s_connect (pl_worker_t *self)
{
    self->dealer = zsock_new (ZMQ_DEALER);
    if (!self->dealer) {
        pl_error ("worker: cannot create a socket cause=%s", zmq_strerror (errno));
        return -1;
    }
    char err [512];
    if (*self->key.name && pl_key_client_apply (&self->key, self->dealer, err, sizeof err)) {
        pl_error ("worker: %s", err);
        zsock_destroy (&self->dealer);
        return -1;
    }
    //  A socket we close gets one heartbeat interval to deliver its last
    //  verdicts and DISCONNECT; anything lost is redelivered by the broker
    zsock_set_linger (self->dealer, self->config.heartbeat_ms);
    //  A send never blocks the loop for long: with no connection to send on
    //  (a broker that refuses our handshake leaves none), it fails after a
    //  heartbeat interval, and liveness then makes us reconnect
    zsock_set_sndtimeo (self->dealer, self->config.heartbeat_ms);
    zsock_set_sndhwm (self->dealer, self->config.hwm);
    zsock_set_rcvhwm (self->dealer, self->config.hwm);
    zsock_set_maxmsgsize (self->dealer, (int) self->config.max_message);
    if (zsock_connect (self->dealer, "%s", self->config.backend)) {
        pl_error ("worker: cannot connect backend=%s cause=%s", self->config.backend,
                  zmq_strerror (errno));
        zsock_destroy (&self->dealer);
        return -1;
    }
    uint64_t cursor = self->handler.cursor (self->store);
    zmsg_t *msg = s_message (PL_W_READY);
    zmsg_addstr (msg, self->group);
    zmsg_addstr (msg, self->topics);
    zmsg_addstr (msg, self->services);
    pl_frame_put_u32 (msg, (uint32_t) self->credit);
    pl_frame_put_u64 (msg, cursor);
    if (self->follows)
        zmsg_addstr (msg, self->follows);
    s_send (self, &msg);
    self->broker_expiry = pl_mono_ms ()
                        + (int64_t) self->config.heartbeat_ms * self->config.liveness;
    pl_info ("worker: ready group=%s backend=%s from=%llu credit=%zu", self->group,
             self->config.backend, (unsigned long long) cursor, self->credit);
    return 0;
}

int
pl_worker_follow (pl_worker_t *self, const char *follows)
{
    assert (self);
    if (follows && strlen (follows) > PL_FOLLOWS_MAX) {
        pl_error ("worker: follows longer than %d bytes group=%s", PL_FOLLOWS_MAX, self->group);
        return -1;
    }
    free (self->follows);
    self->follows = follows && *follows ? strdup (follows) : NULL;
    return follows && *follows && !self->follows ? -1 : 0;
}

//  Drop the connection and whatever was in flight, wait the back-off
//  (returning early when *STOP is set), and connect again.  0 or -1.
static int
s_reconnect (pl_worker_t *self, volatile sig_atomic_t *stop)
{
    s_batch_clear (self);
    zmsg_destroy (&self->pending);
    zsock_destroy (&self->dealer);
    //  The broker gives the queries of the dropped connection out again
    pl_queries_forget (self->queries);
    pl_info ("worker: reconnecting group=%s in %d ms", self->group, self->backoff_ms);
    int64_t until = pl_mono_ms () + self->backoff_ms;
    int64_t now;
    while (!*stop && (now = pl_mono_ms ()) < until)
        zclock_sleep ((int) (until - now < 100 ? until - now : 100));
    self->backoff_ms = self->backoff_ms * 2 > self->config.reconnect_max_ms
                     ? self->config.reconnect_max_ms : self->backoff_ms * 2;
    return *stop ? 0 : s_connect (self);
}

//  --------------------------------------------------------------------------
//  Progress of a catch-up

//  COUNT events were applied, the last SEQ logged at TIME_MS.  While they
//  are older than progress_ms the worker is catching up: say how far it
//  is, every progress_ms.
static void
s_progress (pl_worker_t *self, size_t count, uint64_t seq, int64_t time_ms)
{
    int64_t now = pl_mono_ms ();
    if (pl_time_ms () - time_ms > self->config.progress_ms && !self->catching_up) {
        self->catching_up = 1;
        self->caught_from = now;
        self->progress_at = now + self->config.progress_ms;
        self->applied = 0;
        pl_info ("worker: catching up group=%s: seq=%llu was logged %lld s ago", self->group,
                 (unsigned long long) seq, (long long) ((pl_time_ms () - time_ms) / 1000));
    }
    if (!self->catching_up)
        return;
    self->applied += count;
    self->applied_seq = seq;
    if (now >= self->progress_at) {
        double seconds = (double) (now - self->caught_from) / 1000.0;
        pl_info ("worker: catching up group=%s applied=%llu through seq=%llu in %.0f s "
                 "(%.0f events/s)", self->group, (unsigned long long) self->applied,
                 (unsigned long long) seq, seconds, seconds > 0 ? self->applied / seconds : 0.0);
        self->progress_at = now + self->config.progress_ms;
    }
}

//  No event is waiting, or the last ones were new: a catch-up has ended.
static void
s_progress_end (pl_worker_t *self)
{
    if (!self->catching_up)
        return;
    double seconds = (double) (pl_mono_ms () - self->caught_from) / 1000.0;
    pl_info ("worker: caught up group=%s applied=%llu through seq=%llu in %.1f s",
             self->group, (unsigned long long) self->applied,
             (unsigned long long) self->applied_seq, seconds);
    self->catching_up = 0;
}

//  --------------------------------------------------------------------------
//  Events

//  EVENT: seq, topic, event_id, payload, attempt, time_ms, role, by,
//  delegation -> the batch.  The stamp's three frames may be absent (a
//  broker before it): then they are "".
static s_next_t
s_on_event (pl_worker_t *self, zmsg_t *msg)
{
    zframe_t *seq = zmsg_next (msg), *topic = zmsg_next (msg), *event_id = zmsg_next (msg);
    zframe_t *payload = zmsg_next (msg), *attempt = zmsg_next (msg), *time = zmsg_next (msg);
    zframe_t *role = zmsg_next (msg), *by = zmsg_next (msg), *delegation = zmsg_next (msg);
    if (self->count == self->credit) {
        //  The broker's bug; it redelivers what gets no verdict
        pl_warn ("worker: broker sent more events than the credit group=%s credit=%zu",
                 self->group, self->credit);
        return S_CONTINUE;
    }
    s_slot_t *slot = &self->slots [self->count];
    pl_delivery_t *event = &self->events [self->count];
    uint64_t time_ms = 0;
    if (pl_frame_get_u64 (seq, &event->seq) || pl_frame_get_u32 (attempt, &event->attempt)
    ||  pl_frame_get_u64 (time, &time_ms)
    ||  pl_frame_get_str (topic, slot->topic, sizeof slot->topic)
    ||  pl_frame_get_str (event_id, slot->event_id, sizeof slot->event_id)
    ||  (role && pl_frame_get_str (role, slot->role, sizeof slot->role))
    ||  (by && pl_frame_get_str (by, slot->by, sizeof slot->by))
    ||  (delegation && pl_frame_get_str (delegation, slot->delegation,
                                         sizeof slot->delegation))) {
        pl_warn ("worker: malformed EVENT from the broker; ignored group=%s", self->group);
        return S_CONTINUE;
    }
    if (!role)
        slot->role [0] = 0;
    if (!by)
        slot->by [0] = 0;
    if (!delegation)
        slot->delegation [0] = 0;
    event->topic = slot->topic;
    event->event_id = slot->event_id;
    event->role = slot->role;
    event->by = slot->by;
    event->delegation = slot->delegation;
    event->time_ms = (int64_t) time_ms;
    slot->payload = pl_codec_decode (slot->topic, zframe_data (payload), zframe_size (payload),
                                     slot->error, sizeof slot->error);
    event->payload = slot->payload;
    self->count++;
    return S_CONTINUE;
}

//  Send the verdicts of events FROM..TO-1.
static void
s_send_verdicts (pl_worker_t *self, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        zmsg_t *msg = s_message (PL_W_VERDICT);
        pl_frame_put_u64 (msg, self->events [i].seq);
        zmsg_addstr (msg, self->verdicts [i].applied ? "applied" : "rejected");
        zmsg_addstr (msg, self->verdicts [i].applied ? "" : self->verdicts [i].reason);
        s_send (self, &msg);
    }
}

//  Apply the batch: each run of valid events in one handler call, in log
//  order; an event whose payload failed validation is rejected with the
//  codec's error.  Verdicts leave only after their run is committed.
static s_next_t
s_flush (pl_worker_t *self)
{
    size_t start = 0;
    while (start < self->count) {
        size_t end = start;
        while (end < self->count && self->slots [end].payload)
            end++;
        if (end > start
        &&  self->handler.apply (self->store, &self->events [start], end - start,
                                 &self->verdicts [start])) {
            pl_error ("worker: store failed to apply seq=%llu..%llu group=%s; "
                      "disconnecting to retry", (unsigned long long) self->events [start].seq,
                      (unsigned long long) self->events [end - 1].seq, self->group);
            s_send_disconnect (self, "store failure");
            s_batch_clear (self);
            return S_RECONNECT;
        }
        if (end < self->count) {
            //  The broker validated it: a schema mismatch between the two
            pl_warn ("worker: rejected seq=%llu topic=%s: %s", (unsigned long long)
                     self->events [end].seq, self->slots [end].topic, self->slots [end].error);
            self->verdicts [end].applied = 0;
            snprintf (self->verdicts [end].reason, sizeof self->verdicts [end].reason,
                      "%s", self->slots [end].error);
            end++;
        }
        s_send_verdicts (self, start, end);
        start = end;
    }
    if (self->count) {
        const pl_delivery_t *last = &self->events [self->count - 1];
        s_progress (self, self->count, last->seq, last->time_ms);
        if (pl_time_ms () - last->time_ms <= self->config.progress_ms)
            s_progress_end (self);
    }
    s_batch_clear (self);
    return S_CONTINUE;
}

//  --------------------------------------------------------------------------
//  Queries

//  QUERY: request_id, name, payload, role[, deadline_ms] -> pl_queries,
//  which answers it now or on a query thread (s_forward_replies).
static s_next_t
s_on_query (pl_worker_t *self, zmsg_t *msg)
{
    zmsg_t *reply = pl_queries_take (self->queries, msg);
    if (reply)
        s_send (self, &reply);
    return S_CONTINUE;
}

//  Send on the replies the query threads have ready.
static void
s_forward_replies (pl_worker_t *self)
{
    zmsg_t *reply;
    while ((reply = pl_queries_reply (self->queries))) {
        if (self->dealer)
            s_send (self, &reply);
        else
            zmsg_destroy (&reply);      //  its connection is gone: the broker asks again
    }
}

//  --------------------------------------------------------------------------
//  Other commands and the dispatch table

static s_next_t
s_on_heartbeat (pl_worker_t *self, zmsg_t *msg)
{
    return S_CONTINUE;          //  receiving it was the point
}

static s_next_t
s_on_disconnect (pl_worker_t *self, zmsg_t *msg)
{
    char reason [PL_REASON_MAX] = "";
    zframe_t *frame = zmsg_next (msg);
    if (frame && pl_frame_get_str (frame, reason, sizeof reason))
        snprintf (reason, sizeof reason, "(unreadable)");
    pl_warn ("worker: broker disconnected us group=%s reason=%s", self->group, reason);
    return S_RECONNECT;
}

static const struct {
    uint8_t command;
    size_t min_frames;          //  including header and command
    size_t max_frames;
    s_next_t (*handle) (pl_worker_t *self, zmsg_t *msg);
} s_commands [] = {
    { PL_W_EVENT,      8, 11, s_on_event },   //  11 with the stamp, 8 without
    { PL_W_QUERY,      6, 7, s_on_query },
    { PL_W_HEARTBEAT,  2, 2, s_on_heartbeat },
    { PL_W_DISCONNECT, 2, 3, s_on_disconnect },
};

//  The command byte of MSG when it is a PLW01 message, else -1.
static int
s_command (zmsg_t *msg)
{
    zframe_t *header = zmsg_first (msg);
    uint8_t command;
    if (!header || !zframe_streq (header, PL_PROTO_WORKER)
    ||  pl_frame_get_byte (zmsg_next (msg), &command))
        return -1;
    return command;
}

//  Handle one message from the broker (destroyed).
static s_next_t
s_handle (pl_worker_t *self, zmsg_t **msg_p)
{
    zmsg_t *msg = *msg_p;
    int command = s_command (msg);
    s_next_t next = S_CONTINUE;
    size_t i, count = sizeof s_commands / sizeof s_commands [0];
    for (i = 0; i < count && s_commands [i].command != command; i++)
        ;
    if (i == count)
        pl_warn ("worker: unexpected message from the broker command=%d frames=%zu group=%s",
                 command, zmsg_size (msg), self->group);
    else
    if (zmsg_size (msg) < s_commands [i].min_frames || zmsg_size (msg) > s_commands [i].max_frames)
        pl_warn ("worker: command %d from the broker with %zu frames; ignored group=%s",
                 command, zmsg_size (msg), self->group);
    else {
        s_command (msg);        //  position the cursor after the command frame
        next = s_commands [i].handle (self, msg);
    }
    zmsg_destroy (msg_p);
    return next;
}

//  Wait up to TIMEOUT_MS for a message from the broker, sending on the
//  replies of queries answered meanwhile; NULL when none (or a signal).
static zmsg_t *
s_receive (pl_worker_t *self, int timeout_ms)
{
    zmq_pollitem_t items [1 + PL_QUERY_THREADS_MAX];
    items [0] = (zmq_pollitem_t) { zsock_resolve (self->dealer), 0, ZMQ_POLLIN, 0 };
    size_t count = 1 + pl_queries_poll_items (self->queries, items + 1, PL_QUERY_THREADS_MAX);
    int64_t until = pl_mono_ms () + timeout_ms;
    while (1) {
        int64_t wait = until - pl_mono_ms ();
        if (zmq_poll (items, (int) count, wait < 0 ? 0 : (long) wait) <= 0)
            return NULL;
        if (items [0].revents & ZMQ_POLLIN)
            return zmsg_recv (self->dealer);
        s_forward_replies (self);
        if (pl_mono_ms () >= until)
            return NULL;
    }
}

//  Read every EVENT already waiting, up to the credit, into the batch; the
//  first other message is kept for the next turn of the loop.
static void
s_collect (pl_worker_t *self)
{
    while (self->count < self->credit && !self->pending) {
        zmsg_t *msg = s_receive (self, 0);
        if (!msg)
            break;
        if (s_command (msg) == PL_W_EVENT)
            s_handle (self, &msg);
        else
            self->pending = msg;
    }
}

int
pl_worker_run (pl_worker_t *self, volatile sig_atomic_t *stop)
{
    assert (self && stop);
    if (!self->dealer && s_connect (self))
        return -1;
    while (!*stop) {
        int64_t now = pl_mono_ms ();
        zmsg_t *msg = self->pending;
        self->pending = NULL;
        if (!msg && self->dealer) {
            int64_t wait = self->heartbeat_at - now;
            msg = s_receive (self, wait < 0 ? 0 : (int) wait);
        }
        s_next_t next = S_CONTINUE;
        if (!msg)
            s_progress_end (self);
        if (msg) {
            self->broker_expiry = pl_mono_ms ()
                                + (int64_t) self->config.heartbeat_ms * self->config.liveness;
            self->backoff_ms = self->config.reconnect_initial_ms;
            next = s_handle (self, &msg);
            if (next == S_CONTINUE && self->count) {
                s_collect (self);
                next = s_flush (self);
            }
        }
        now = pl_mono_ms ();
        if (next == S_CONTINUE && now >= self->broker_expiry) {
            pl_warn ("worker: broker silent for %d ms; reconnecting group=%s backend=%s",
                     self->config.heartbeat_ms * self->config.liveness, self->group,
                     self->config.backend);
            next = S_RECONNECT;
        }
        if (next == S_RECONNECT) {
            if (s_reconnect (self, stop))
                return -1;
            continue;
        }
        if (now >= self->heartbeat_at) {
            zmsg_t *heartbeat = s_message (PL_W_HEARTBEAT);
            s_send (self, &heartbeat);
        }
    }
    if (self->dealer) {
        s_send_disconnect (self, "worker stopping");
        zsock_destroy (&self->dealer);
    }
    s_batch_clear (self);
    zmsg_destroy (&self->pending);
    pl_info ("worker: stopped group=%s", self->group);
    return 0;
}

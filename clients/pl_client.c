/*  pl_client — the client side of PLC01 (docs/protocol.md).

    One DEALER socket to the broker's frontend.  Every request carries a
    fresh correlation id; replies with any other corr (answers to requests
    we already gave up on) are dropped.  Publishing is Lazy Pirate: no reply
    within the back-off window means close the socket, open a new one and
    send the same event (same event id) again, the window doubling from
    retry_initial_ms to retry_max_ms, until publish_deadline_ms has passed.
    Pipelined publishing keeps the encoded bytes of at most WINDOW events in
    flight and resends all of them after such a reconnect; its corr ids name
    the window slot and a generation ("SLOT.GEN") so a reply finds its event
    without a search and a stale reply never acknowledges a reused slot. */
#include "pl_client.h"
#include "pl_codec.h"
#include "pl_keys.h"
#include "pl_log.h"
#include "pl_proto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

struct _pl_client_t {
    pl_config_t config;         //  our copy
    pl_key_t key;               //  config.cert, loaded once; key.name "" without one
    zsock_t *monitor;           //  the dealer's handshake events (PAIR), NULL if none
    uint64_t monitors;          //  counter for the monitors' inproc names
    char refused [PL_ERR_MAX + 2 * PL_ENDPOINT_MAX];    //  why the broker refused our
                                                        //  handshake, "" when it did not
    zsock_t *dealer;            //  to config.endpoint; reopened by Lazy Pirate
    uint64_t corr_next;         //  counter for one-shot correlation ids
    size_t pack;                //  events per PUBLISH_MANY; 0 the default
    int no_many;                //  the broker refused PUBLISH_MANY as unknown
    int refused_status;         //  the status REFUSED stands for: 403 (a key), 503 (down)
    int ever_connected;         //  a connection to the broker was made once
};

//  A decoded reply: the command and its frames after corr (owned).
typedef struct {
    uint8_t command;
    zmsg_t *body;
} s_reply_t;

static void s_monitor_new (pl_client_t *self);

//  A fresh DEALER with our key, watched by a new monitor, connecting; it is
//  SELF->dealer (NULL on failure, logged).
static zsock_t *
s_dealer_new (pl_client_t *self)
{
    const pl_config_t *config = &self->config;
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    if (!dealer)
        return NULL;
    char err [512];
    if (*self->key.name && pl_key_client_apply (&self->key, dealer, err, sizeof err)) {
        pl_error ("client: %s", err);
        zsock_destroy (&dealer);
        return NULL;
    }
    zsock_set_linger (dealer, 0);
    zsock_set_sndhwm (dealer, config->hwm);
    zsock_set_rcvhwm (dealer, config->hwm);
    zsock_set_maxmsgsize (dealer, (int64_t) config->max_message);
    //  The monitor first: a handshake refused before it listens would go
    //  unheard, and the client would wait out its whole deadline
    self->dealer = dealer;
    s_monitor_new (self);
    if (zsock_connect (dealer, "%s", config->endpoint)) {
        pl_error ("client: cannot connect to %s", config->endpoint);
        zsock_destroy (&self->monitor);
        zsock_destroy (&self->dealer);
    }
    return self->dealer;
}

pl_client_t *
pl_client_new (const pl_config_t *config)
{
    assert (config);
    pl_client_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->config = *config;
    char err [512];
    if (*config->cert && pl_key_load (config->cert, &self->key, err, sizeof err)) {
        pl_error ("client: %s (PLENARY_CERT)", err);
        free (self);
        return NULL;
    }
    if (!s_dealer_new (self)) {
        free (self);
        return NULL;
    }
    return self;
}

pl_client_t *
pl_client_new_keyed (const pl_config_t *config, const pl_key_t *key)
{
    assert (config && key);
    pl_client_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->config = *config;
    snprintf (self->config.cert, sizeof self->config.cert, "(key %s in memory)", key->name);
    self->key = *key;
    if (!s_dealer_new (self)) {
        memset (&self->key, 0, sizeof self->key);
        free (self);
        return NULL;
    }
    return self;
}

void
pl_client_destroy (pl_client_t **self_p)
{
    assert (self_p);
    pl_client_t *self = *self_p;
    if (self) {
        zsock_destroy (&self->monitor);
        zsock_destroy (&self->dealer);
        memset (&self->key, 0, sizeof self->key);   //  the secret goes with it
        free (self);
        *self_p = NULL;
    }
}

void
pl_client_random_id (char *buf)
{
    uint8_t bytes [16];
    size_t have = 0;
    while (have < sizeof bytes) {
        ssize_t got = getrandom (bytes + have, sizeof bytes - have, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        have += (size_t) got;
    }
    if (have < sizeof bytes) {
        //  No kernel randomness (ancient kernel or seccomp): the clock and
        //  the address space still make an id unique enough for one host.
        uint64_t mix = (uint64_t) pl_time_ms () ^ ((uint64_t) (uintptr_t) buf << 16)
                     ^ (uint64_t) zclock_usecs ();
        for (size_t i = have; i < sizeof bytes; i++) {
            mix = mix * 6364136223846793005ULL + 1442695040888963407ULL;
            bytes [i] = (uint8_t) (mix >> 56);
        }
    }
    for (size_t i = 0; i < sizeof bytes; i++)
        snprintf (buf + 2 * i, 3, "%02x", bytes [i]);
}

//  Watch the dealer's handshakes: a broker that refuses our key (or wants
//  one we do not show) closes the connection without a word at the
//  protocol's level, and libzmq tells only a socket monitor.
static void
s_monitor_new (pl_client_t *self)
{
    zsock_destroy (&self->monitor);
    self->refused [0] = 0;
    if (!self->dealer)
        return;
    char endpoint [64];
    snprintf (endpoint, sizeof endpoint, "inproc://pl-client-%p-%llu", (void *) self,
              (unsigned long long) ++self->monitors);
    if (zmq_socket_monitor (zsock_resolve (self->dealer), endpoint,
                            ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
                            | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_CONNECTED
                            | ZMQ_EVENT_CONNECT_RETRIED) == 0) {
        self->monitor = zsock_new (ZMQ_PAIR);
        if (self->monitor && zsock_connect (self->monitor, "%s", endpoint))
            zsock_destroy (&self->monitor);
    }
}

//  Read one connection event from the monitor: a refused handshake, or a
//  connection refused before any was ever made (nothing listens: the
//  system is not running, or the address is wrong), into SELF->refused.
//  A client that was connected once keeps retrying instead: the broker
//  may be restarting.
static void
s_monitor_read (pl_client_t *self)
{
    zmsg_t *event = zmsg_recv (self->monitor);
    zframe_t *head = event ? zmsg_first (event) : NULL;
    if (head && zframe_size (head) >= 6) {
        uint16_t kind;
        memcpy (&kind, zframe_data (head), sizeof kind);
        int keyed = *self->key.name != 0;
        if (kind == ZMQ_EVENT_CONNECTED) {
            self->ever_connected = 1;
            if (*self->refused && self->refused_status == PL_UNAVAILABLE)
                self->refused [0] = 0;
        }
        else
        if (kind == ZMQ_EVENT_CONNECT_RETRIED) {
            if (!self->ever_connected) {
                self->refused_status = PL_UNAVAILABLE;
                snprintf (self->refused, sizeof self->refused,
                          "nothing listens at %s: is plenary running? Start it with "
                          "'plenary up' (or 'systemctl start plenaryd'), or set "
                          "PLENARY_ENDPOINT to where the broker runs", self->config.endpoint);
            }
        }
        else {
            //  A handshake refused: the key, or the lack of one
            self->refused_status = PL_FORBIDDEN;
            if (kind == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
                snprintf (self->refused, sizeof self->refused,
                          "the broker at %s refused the key %s (%s): unknown to it, revoked, "
                          "or not meant for this socket ('plenary keys list' on the broker's "
                          "host shows its keys)",
                          self->config.endpoint, self->key.name, self->config.cert);
            else
            if (!keyed)
                snprintf (self->refused, sizeof self->refused,
                          "the broker at %s requires a key: set PLENARY_CERT to your key file "
                          "(docs/SECURITY.md; 'plenary keys new' issues one)",
                          self->config.endpoint);
            else
                snprintf (self->refused, sizeof self->refused,
                          "the broker at %s did not accept the handshake of key %s (%s): "
                          "was it issued for another broker, or does this one use no keys?",
                          self->config.endpoint, self->key.name, self->config.cert);
        }
        pl_debug ("client: %s", self->refused);
    }
    zmsg_destroy (&event);
}

//  Close the socket and open a fresh one (Lazy Pirate).  -1 when even that fails.
static int
s_reconnect (pl_client_t *self)
{
    zsock_destroy (&self->monitor);
    zsock_destroy (&self->dealer);
    return s_dealer_new (self) ? 0 : -1;
}

//  Send COMMAND with CORR and a copy of BODY's frames.
static int
s_send (pl_client_t *self, uint8_t command, const char *corr, zmsg_t *body)
{
    zmsg_t *msg = body ? zmsg_dup (body) : zmsg_new ();
    if (!msg)
        return -1;
    zmsg_pushstr (msg, corr);
    zmsg_pushmem (msg, &command, 1);
    zmsg_pushstr (msg, PL_PROTO_CLIENT);
    return zmsg_send (&msg, self->dealer);
}

//  Receive one message and split it into header checks, command, corr and
//  body.  Returns 0 and fills REPLY and CORR, or -1 for a malformed message
//  (logged and dropped: the broker never sends one, so this is a stray).
static int
s_recv (pl_client_t *self, s_reply_t *reply, char *corr, size_t corr_size)
{
    zmsg_t *msg = zmsg_recv (self->dealer);
    if (!msg)
        return -1;
    zframe_t *header = zmsg_pop (msg);
    zframe_t *command = zmsg_pop (msg);
    zframe_t *corr_frame = zmsg_pop (msg);
    int rc = -1;
    if (header && zframe_streq (header, PL_PROTO_CLIENT)
    &&  pl_frame_get_byte (command, &reply->command) == 0
    &&  pl_frame_get_str (corr_frame, corr, corr_size) == 0) {
        reply->body = msg;
        msg = NULL;
        rc = 0;
        //  A reply proves a connection, whether or not the monitor's
        //  CONNECTED event has been read yet
        self->ever_connected = 1;
    }
    else
        pl_warn ("client: malformed reply from %s dropped", self->config.endpoint);
    zframe_destroy (&header);
    zframe_destroy (&command);
    zframe_destroy (&corr_frame);
    zmsg_destroy (&msg);
    return rc;
}

//  Turn an ERROR body (code, text) into a status and ERR.
static int
s_error_of (zmsg_t *body, char *err, size_t errsize)
{
    char code [4] = "";
    zframe_t *code_frame = zmsg_first (body);
    zframe_t *text_frame = zmsg_next (body);
    if (pl_frame_get_str (code_frame, code, sizeof code) || strlen (code) != 3
    ||  code [0] < '1' || code [0] > '9') {
        snprintf (err, errsize, "malformed ERROR reply");
        return PL_INTERNAL;
    }
    char *text = text_frame ? zframe_strdup (text_frame) : NULL;
    snprintf (err, errsize, "%s", text && *text ? text : pl_status_str (atoi (code)));
    free (text);
    return atoi (code);
}

//  Wait up to WAIT_MS for the reply whose corr is CORR; others are dropped.
//  Returns 0 with REPLY filled, -1 on timeout or interruption.
static int
s_await (pl_client_t *self, const char *corr, int64_t wait_ms, s_reply_t *reply,
         int stop_when_down)
{
    int64_t until = pl_mono_ms () + wait_ms;
    zpoller_t *poller = zpoller_new (self->dealer, self->monitor, NULL);
    if (!poller)
        return -1;
    int rc = -1;
    while (!*self->refused || (!stop_when_down && self->refused_status == PL_UNAVAILABLE)) {
        int64_t left = until - pl_mono_ms ();
        if (left <= 0)
            break;
        void *which = zpoller_wait (poller, (int) left);
        if (!which) {
            if (zpoller_terminated (poller))
                break;
            continue;           //  expired or EINTR: the loop re-checks the clock
        }
        if (which == self->monitor) {
            s_monitor_read (self);
            continue;
        }
        char got [PL_CORR_MAX + 1];
        if (s_recv (self, reply, got, sizeof got))
            continue;
        if (streq (got, corr)) {
            rc = 0;
            break;
        }
        pl_debug ("client: stale reply corr=%s dropped", got);
        zmsg_destroy (&reply->body);
    }
    zpoller_destroy (&poller);
    return rc;
}

//  One request whose reply must come within WAIT_MS; no resend.
static int
s_call (pl_client_t *self, uint8_t command, zmsg_t *body, int64_t wait_ms, s_reply_t *reply,
        int *status_p, char *err, size_t errsize)
{
    char corr [32];
    snprintf (corr, sizeof corr, "c%llu", (unsigned long long) ++self->corr_next);
    if (s_send (self, command, corr, body) == 0
    &&  s_await (self, corr, wait_ms, reply, 1) == 0)
        return 0;
    *status_p = *self->refused ? self->refused_status : PL_TIMEOUT;
    if (*self->refused)
        snprintf (err, errsize, "%s", self->refused);
    else
        snprintf (err, errsize, "broker at %s did not answer within %.3g s",
                  self->config.endpoint, (double) wait_ms / 1000.0);
    //  The reply may still come later; a fresh socket keeps it from
    //  confusing the next request and recovers from a dead connection.
    s_reconnect (self);
    return -1;
}

//  Encode PAYLOAD as TOPIC; 0, or -1 with status 400/413/404 and ERR.
static int
s_encode (const pl_client_t *self, const char *topic, pl_kind_t kind, const json_t *payload,
          void **data_p, size_t *size_p, int *status_p, char *err, size_t errsize)
{
    const pl_message_t *message = pl_schema_find (topic);
    if (!message || message->kind != kind) {
        *status_p = PL_NOT_FOUND;
        snprintf (err, errsize, "%s: no such %s in the schema", topic,
                  kind == PL_KIND_EVENT ? "event" : "query");
        return -1;
    }
    if (pl_codec_encode (topic, payload, data_p, size_p, err, errsize)) {
        *status_p = PL_BAD_REQUEST;
        return -1;
    }
    if (*size_p > self->config.max_frame) {
        *status_p = PL_TOO_LARGE;
        snprintf (err, errsize, "%s: payload of %zu bytes is over the %zu-byte frame limit",
                  topic, *size_p, self->config.max_frame);
        free (*data_p);
        *data_p = NULL;
        return -1;
    }
    return 0;
}

//  Read an ACK body into ACK; -1 when malformed.
static int
s_ack_of (zmsg_t *body, pl_ack_t *ack)
{
    uint8_t duplicate;
    if (zmsg_size (body) != 2
    ||  pl_frame_get_u64 (zmsg_first (body), &ack->seq)
    ||  pl_frame_get_byte (zmsg_next (body), &duplicate))
        return -1;
    ack->duplicate = duplicate != 0;
    return 0;
}

//  The error of a publish whose deadline passed: nothing ever listened at
//  the endpoint (503, how to start the system), or no ACK came (504).
static void
s_deadline_error (pl_client_t *self, int *status_p, char *err, size_t errsize)
{
    if (!self->ever_connected) {
        *status_p = PL_UNAVAILABLE;
        snprintf (err, errsize, "nothing listened at %s for %.3g s: is plenary running? Start "
                  "it with 'plenary up' (or 'systemctl start plenaryd'), or set "
                  "PLENARY_ENDPOINT to where the broker runs", self->config.endpoint,
                  self->config.publish_deadline_ms / 1000.0);
    }
    else {
        *status_p = PL_TIMEOUT;
        snprintf (err, errsize, "broker at %s did not answer within %.3g s",
                  self->config.endpoint, self->config.publish_deadline_ms / 1000.0);
    }
}

int
pl_client_publish (pl_client_t *self, const char *topic, const char *event_id,
                   const json_t *payload, pl_ack_t *ack,
                   int *status_p, char *err, size_t errsize)
{
    assert (self && topic && payload && ack && status_p && err);
    char id [PL_EVENT_ID_MAX + 1];
    if (!event_id)
        pl_client_random_id (id);
    else
    if (!pl_event_id_valid (event_id)) {
        *status_p = PL_BAD_REQUEST;
        snprintf (err, errsize, "event id must be 1..%d printable ASCII bytes without space",
                  PL_EVENT_ID_MAX);
        return -1;
    }
    else
        snprintf (id, sizeof id, "%s", event_id);

    void *data;
    size_t size;
    if (s_encode (self, topic, PL_KIND_EVENT, payload, &data, &size, status_p, err, errsize))
        return -1;
    zmsg_t *body = zmsg_new ();
    zmsg_addstr (body, topic);
    zmsg_addstr (body, id);
    zmsg_addmem (body, data, size);
    free (data);

    int64_t deadline = pl_mono_ms () + self->config.publish_deadline_ms;
    int64_t window = self->config.retry_initial_ms;
    int rc = -1, noticed = 0;
    *status_p = PL_TIMEOUT;
    snprintf (err, errsize, "broker at %s did not answer within %.3g s",
              self->config.endpoint, self->config.publish_deadline_ms / 1000.0);
    char corr [32] = "";
    int send = 1;               //  0 while the last send still waits in the socket
    while (true) {
        if (send)
            snprintf (corr, sizeof corr, "c%llu", (unsigned long long) ++self->corr_next);
        int64_t wait = deadline - pl_mono_ms ();
        if (wait > window)
            wait = window;
        s_reply_t reply = { 0 };
        if (wait > 0 && (!send || s_send (self, PL_C_PUBLISH, corr, body) == 0)
        &&  s_await (self, corr, wait, &reply, 0) == 0) {
            if (reply.command == PL_C_ACK && s_ack_of (reply.body, ack) == 0) {
                rc = 0;
                zmsg_destroy (&reply.body);
                break;
            }
            int status = reply.command == PL_C_ERROR
                       ? s_error_of (reply.body, err, errsize) : PL_INTERNAL;
            if (reply.command != PL_C_ERROR)
                snprintf (err, errsize, "unexpected reply 0x%02x to PUBLISH", reply.command);
            zmsg_destroy (&reply.body);
            if (status != PL_BUSY) {
                *status_p = status;
                break;
            }
            //  429: the broker is full; wait out the window and try again
            zclock_sleep ((int) (window < deadline - pl_mono_ms ()
                                 ? window : deadline - pl_mono_ms ()));
        }
        send = 1;
        if (*self->refused && self->refused_status != PL_UNAVAILABLE) {
            *status_p = self->refused_status;   //  retrying would be refused the same way
            snprintf (err, errsize, "%s", self->refused);
            break;
        }
        if (pl_mono_ms () >= deadline) {
            s_deadline_error (self, status_p, err, errsize);
            break;
        }
        if (!self->ever_connected) {
            //  Nothing has listened yet (the broker may be starting): the
            //  event waits in the socket for the connection, and its ACK will
            //  come to this corr.  Wait on, saying so once.
            if (!noticed++ && *self->refused)
                pl_warn ("client: %s; trying again for up to %.3g s", self->refused,
                         self->config.publish_deadline_ms / 1000.0);
            send = 0;
            continue;
        }
        pl_info ("client: no ACK for event_id=%s within %lld ms; reconnecting to %s",
                 id, (long long) window, self->config.endpoint);
        if (s_reconnect (self))
            break;
        window = window * 2 > self->config.retry_max_ms ? self->config.retry_max_ms : window * 2;
    }
    zmsg_destroy (&body);
    return rc;
}

int
pl_client_receipt (pl_client_t *self, uint64_t seq, const char *group, int timeout_ms,
                   char *verdict, size_t verdict_size, char *reason, size_t reason_size,
                   int *status_p, char *err, size_t errsize)
{
    assert (self && group && verdict && reason && status_p && err);
    if (timeout_ms < 0)
        timeout_ms = 0;
    zmsg_t *body = zmsg_new ();
    pl_frame_put_u64 (body, seq);
    zmsg_addstr (body, group);
    pl_frame_put_u32 (body, (uint32_t) timeout_ms);
    s_reply_t reply = { 0 };
    int rc = s_call (self, PL_C_RECEIPT, body, (int64_t) timeout_ms + 1000, &reply,
                     status_p, err, errsize);
    zmsg_destroy (&body);
    if (rc)
        return -1;
    rc = -1;
    if (reply.command == PL_C_VERDICT) {
        uint64_t got_seq;
        char got_group [PL_GROUP_MAX + 1];
        if (zmsg_size (reply.body) == 4
        &&  pl_frame_get_u64 (zmsg_first (reply.body), &got_seq) == 0
        &&  pl_frame_get_str (zmsg_next (reply.body), got_group, sizeof got_group) == 0
        &&  pl_frame_get_str (zmsg_next (reply.body), verdict, verdict_size) == 0
        &&  pl_frame_get_str (zmsg_next (reply.body), reason, reason_size) == 0
        &&  got_seq == seq)
            rc = 0;
        else {
            *status_p = PL_INTERNAL;
            snprintf (err, errsize, "malformed VERDICT for seq %llu", (unsigned long long) seq);
        }
    }
    else
    if (reply.command == PL_C_ERROR)
        *status_p = s_error_of (reply.body, err, errsize);
    else {
        *status_p = PL_INTERNAL;
        snprintf (err, errsize, "unexpected reply 0x%02x to RECEIPT", reply.command);
    }
    zmsg_destroy (&reply.body);
    return rc;
}

json_t *
pl_client_query (pl_client_t *self, const char *name, const json_t *args,
                 int *status_p, char *err, size_t errsize)
{
    return pl_client_query_as (self, name, args, NULL, status_p, err, errsize);
}

json_t *
pl_client_query_all (pl_client_t *self, const char *name, const json_t *args,
                     int *status_p, char *err, size_t errsize)
{
    assert (self && name && status_p && err);
    json_t *query = args ? json_deep_copy (args) : json_object ();
    json_t *all = query ? pl_client_query (self, name, query, status_p, err, errsize) : NULL;
    json_t *items = all ? json_object_get (all, "items") : NULL;
    while (all && json_object_get (all, "next")) {
        json_object_set (query, "after", json_object_get (all, "next"));
        json_object_del (all, "next");
        json_t *page = pl_client_query (self, name, query, status_p, err, errsize);
        if (!page || json_array_extend (items, json_object_get (page, "items"))) {
            json_decref (all);
            all = NULL;
        }
        else
        if (json_object_get (page, "next"))
            json_object_set (all, "next", json_object_get (page, "next"));
        json_decref (page);
    }
    json_decref (query);
    return all;
}

//  The QUERY body of NAME with ARGS as AS_ROLE (service, name, payload,
//  role), or NULL with *STATUS_P and ERR.
static zmsg_t *
s_query_body (pl_client_t *self, const char *name, const json_t *args, const char *as_role,
              int *status_p, char *err, size_t errsize)
{
    json_t *empty = args ? NULL : json_object ();
    void *data;
    size_t size;
    int rc = s_encode (self, name, PL_KIND_QUERY, args ? args : empty, &data, &size,
                       status_p, err, errsize);
    json_decref (empty);
    if (rc)
        return NULL;
    const pl_message_t *message = pl_schema_find (name);
    zmsg_t *body = zmsg_new ();
    zmsg_addstr (body, message->service);
    zmsg_addstr (body, name);
    zmsg_addmem (body, data, size);
    if (as_role)
        zmsg_addstr (body, as_role);
    free (data);
    return body;
}

//  The answer to query NAME in REPLY (whose body it destroys): the decoded
//  reply, or NULL with *STATUS_P and ERR.
static json_t *
s_query_result (const char *name, s_reply_t *reply, int *status_p, char *err, size_t errsize)
{
    const pl_message_t *message = pl_schema_find (name);
    json_t *result = NULL;
    if (reply->command == PL_C_REPLY && zmsg_size (reply->body) == 1) {
        zframe_t *frame = zmsg_first (reply->body);
        char why [PL_ERR_MAX];
        result = pl_codec_decode (message->reply, zframe_data (frame), zframe_size (frame),
                                  why, sizeof why);
        if (!result) {
            *status_p = PL_INTERNAL;
            snprintf (err, errsize, "invalid reply to %s: %s", name, why);
        }
    }
    else
    if (reply->command == PL_C_ERROR)
        *status_p = s_error_of (reply->body, err, errsize);
    else {
        *status_p = PL_INTERNAL;
        snprintf (err, errsize, "unexpected reply 0x%02x to QUERY %s", reply->command, name);
    }
    zmsg_destroy (&reply->body);
    return result;
}

json_t *
pl_client_query_as (pl_client_t *self, const char *name, const json_t *args,
                    const char *as_role, int *status_p, char *err, size_t errsize)
{
    assert (self && name && status_p && err);
    zmsg_t *body = s_query_body (self, name, args, as_role, status_p, err, errsize);
    if (!body)
        return NULL;
    s_reply_t reply = { 0 };
    int64_t wait_ms = (int64_t) self->config.query_timeout_ms + 1000;
    int rc = s_call (self, PL_C_QUERY, body, wait_ms, &reply, status_p, err, errsize);
    zmsg_destroy (&body);
    if (rc && *status_p == PL_TIMEOUT)
        //  Our own deadline, a second after the broker's: say what timed out
        snprintf (err, errsize, "%s: the broker at %s did not answer within %.3g s (no "
                  "broker there, or a query that long: ask for less)", name,
                  self->config.endpoint, (double) wait_ms / 1000.0);
    return rc ? NULL : s_query_result (name, &reply, status_p, err, errsize);
}

void
pl_client_query_many (pl_client_t *self, pl_query_t *queries, size_t count,
                      const char *as_role)
{
    assert (self && (queries || count == 0));
    //  Each query's corr is "c" and the counter, the first FIRST + its index
    uint64_t first = self->corr_next + 1;
    self->corr_next += count;
    size_t waiting = 0;
    for (size_t i = 0; i < count; i++) {
        pl_query_t *query = &queries [i];
        query->reply = NULL;
        query->status = 0;
        *query->err = 0;
        zmsg_t *body = s_query_body (self, query->name, query->args, as_role, &query->status,
                                     query->err, sizeof query->err);
        char corr [32];
        snprintf (corr, sizeof corr, "c%llu", (unsigned long long) (first + i));
        if (body && s_send (self, PL_C_QUERY, corr, body) == 0) {
            query->status = -1;             //  sent, not answered yet
            waiting++;
        }
        else
        if (body) {
            query->status = PL_INTERNAL;
            snprintf (query->err, sizeof query->err, "cannot send to %s", self->config.endpoint);
        }
        zmsg_destroy (&body);
    }
    int64_t until = pl_mono_ms () + (int64_t) self->config.query_timeout_ms + 1000;
    zpoller_t *poller = waiting ? zpoller_new (self->dealer, self->monitor, NULL) : NULL;
    while (poller && waiting && !*self->refused) {
        int64_t left = until - pl_mono_ms ();
        if (left <= 0)
            break;
        void *which = zpoller_wait (poller, (int) left);
        if (!which) {
            if (zpoller_terminated (poller))
                break;
            continue;
        }
        if (which == self->monitor) {
            s_monitor_read (self);
            continue;
        }
        s_reply_t reply = { 0 };
        char got [PL_CORR_MAX + 1];
        if (s_recv (self, &reply, got, sizeof got))
            continue;
        char *end = NULL;
        unsigned long long number = got [0] == 'c' ? strtoull (got + 1, &end, 10) : 0;
        pl_query_t *query = end && !*end && number >= first && number < first + count
                          ? &queries [number - first] : NULL;
        if (!query || query->status != -1) {
            pl_debug ("client: stale reply corr=%s dropped", got);
            zmsg_destroy (&reply.body);
            continue;
        }
        query->status = 0;
        query->reply = s_query_result (query->name, &reply, &query->status, query->err,
                                       sizeof query->err);
        waiting--;
    }
    zpoller_destroy (&poller);
    if (waiting == 0)
        return;
    for (size_t i = 0; i < count; i++)
        if (queries [i].status == -1) {
            queries [i].status = *self->refused ? PL_FORBIDDEN : PL_TIMEOUT;
            snprintf (queries [i].err, sizeof queries [i].err, "%.*s", PL_ERR_MAX - 1,
                      *self->refused ? self->refused : "the broker did not answer in time");
        }
    //  As s_call: late answers must not confuse the next request
    s_reconnect (self);
}

//  ---------------------------------------------------------------------------
//  Pipelined publishing
//
//  The window is cut into packs of pack_max slots.  A pack is filled once
//  all its slots are free, and its events leave as ONE PUBLISH_MANY (corr
//  "p<pack>.<generation>") answered by one ACKS; the members of the pack
//  that a given generation carried are its busy slots stamped with that
//  generation, in slot order, which is the order of the ACKS's results.
//  With pack_max 1, or against a broker that answers PUBLISH_MANY with
//  "unknown command" (older than the command), every event goes alone as
//  PUBLISH (corr "s<slot>.<generation>").

#define S_PACK_BYTES (1u << 20)     //  a pack's events frame stops growing here

typedef struct {
    int busy;                   //  holds an unacknowledged event
    size_t index;               //  the caller's index of the event
    uint64_t generation;        //  of the last message that carried it
    zmsg_t *body;               //  topic, event id, encoded payload
} s_slot_t;

typedef struct {
    pl_client_t *client;
    s_slot_t *slots;
    size_t window;
    size_t pack_max;            //  slots per pack; 1 when single
    size_t in_flight;
    int single;                 //  each event alone, as PUBLISH
    pl_ack_fn *on_ack;
    void *arg;
    uint64_t generation;
} s_pipe_t;

static int
s_pipe_send_one (s_pipe_t *pipe, size_t slot_index)
{
    s_slot_t *slot = &pipe->slots [slot_index];
    slot->generation = ++pipe->generation;
    char corr [48];
    snprintf (corr, sizeof corr, "s%zu.%llu", slot_index, (unsigned long long) slot->generation);
    return s_send (pipe->client, PL_C_PUBLISH, corr, slot->body);
}

//  The first and one-past-last slot of pack PACK.
static void
s_pack_range (s_pipe_t *pipe, size_t pack, size_t *first, size_t *last)
{
    *first = pack * pipe->pack_max;
    *last = *first + pipe->pack_max < pipe->window ? *first + pipe->pack_max : pipe->window;
}

//  Send the busy slots of pack PACK: as one PUBLISH_MANY, or one by one.
static int
s_pipe_send_pack (s_pipe_t *pipe, size_t pack)
{
    size_t first, last, size = 4, count = 0;
    s_pack_range (pipe, pack, &first, &last);
    for (size_t i = first; i < last; i++) {
        s_slot_t *slot = &pipe->slots [i];
        if (!slot->busy)
            continue;
        if (pipe->single) {
            if (s_pipe_send_one (pipe, i))
                return -1;
            continue;
        }
        zframe_t *topic = zmsg_first (slot->body);
        zframe_t *event_id = zmsg_next (slot->body);
        zframe_t *payload = zmsg_next (slot->body);
        size += pl_many_size (zframe_size (topic), zframe_size (event_id), zframe_size (payload));
        count++;
    }
    if (pipe->single || count == 0)
        return 0;
    uint64_t generation = ++pipe->generation;
    zframe_t *events = zframe_new (NULL, size);
    if (!events)
        return -1;
    uint8_t *at = zframe_data (events);
    *at++ = (uint8_t) (count >> 24);
    *at++ = (uint8_t) (count >> 16);
    *at++ = (uint8_t) (count >> 8);
    *at++ = (uint8_t) count;
    for (size_t i = first; i < last; i++) {
        s_slot_t *slot = &pipe->slots [i];
        if (!slot->busy)
            continue;
        slot->generation = generation;
        char *topic = zframe_strdup (zmsg_first (slot->body));
        char *event_id = zframe_strdup (zmsg_next (slot->body));
        zframe_t *payload = zmsg_next (slot->body);
        at += pl_many_put (at, topic, event_id, zframe_data (payload), zframe_size (payload));
        free (topic);
        free (event_id);
    }
    assert (at == zframe_data (events) + size);
    char corr [48];
    snprintf (corr, sizeof corr, "p%zu.%llu", pack, (unsigned long long) generation);
    zmsg_t *msg = zmsg_new ();
    uint8_t command = PL_C_PUBLISH_MANY;
    zmsg_addstr (msg, PL_PROTO_CLIENT);
    zmsg_addmem (msg, &command, 1);
    zmsg_addstr (msg, corr);
    zmsg_append (msg, &events);
    return zmsg_send (&msg, pipe->client->dealer);
}

static void
s_pipe_finish (s_pipe_t *pipe, s_slot_t *slot, int status, const pl_ack_t *ack, const char *err)
{
    pipe->on_ack (pipe->arg, slot->index, status, ack, err);
    zmsg_destroy (&slot->body);
    slot->busy = 0;
    pipe->in_flight--;
}

//  Settle SLOT by a single reply (ACK or ERROR); 1 when settled.
static int
s_pipe_settle (s_pipe_t *pipe, s_slot_t *slot, s_reply_t *reply)
{
    if (reply->command == PL_C_ACK) {
        pl_ack_t ack;
        if (s_ack_of (reply->body, &ack))
            return 0;
        s_pipe_finish (pipe, slot, PL_OK, &ack, "");
        return 1;
    }
    if (reply->command == PL_C_ERROR) {
        char err [PL_ERR_MAX + 64];
        int status = s_error_of (reply->body, err, sizeof err);
        if (status == PL_BUSY)
            return 0;           //  the resend after the back-off window retries it
        s_pipe_finish (pipe, slot, status, NULL, err);
        return 1;
    }
    return 0;
}

//  An ACKS or ERROR for pack PACK's message GENERATION; returns the events
//  it settled.
static int
s_pipe_pack_reply (s_pipe_t *pipe, size_t pack, uint64_t generation, s_reply_t *reply)
{
    size_t first, last, members = 0;
    s_pack_range (pipe, pack, &first, &last);
    for (size_t i = first; i < last; i++)
        if (pipe->slots [i].busy && pipe->slots [i].generation == generation)
            members++;
    if (members == 0)
        return 0;               //  a stale reply to a pack already settled or resent
    int settled = 0;
    if (reply->command == PL_C_ERROR) {
        char err [PL_ERR_MAX + 64];
        int status = s_error_of (reply->body, err, sizeof err);
        if (status == PL_BAD_REQUEST && strncmp (err, "unknown command", 15) == 0) {
            //  A broker older than PUBLISH_MANY: from now on, one by one
            if (!pipe->client->no_many)
                pl_info ("client: the broker at %s does not know PUBLISH_MANY; "
                         "publishing one event per message", pipe->client->config.endpoint);
            pipe->client->no_many = 1;
            pipe->single = 1;
            s_pipe_send_pack (pipe, pack);
            return 0;
        }
        if (status == PL_BUSY)
            return 0;
        for (size_t i = first; i < last; i++)
            if (pipe->slots [i].busy && pipe->slots [i].generation == generation) {
                s_pipe_finish (pipe, &pipe->slots [i], status, NULL, err);
                settled++;
            }
        return settled;
    }
    zframe_t *results = reply->command == PL_C_ACKS ? zmsg_first (reply->body) : NULL;
    if (!results || zframe_size (results) != members * PL_ACKS_RECORD) {
        pl_warn ("client: a reply 0x%02x to PUBLISH_MANY of %zu events does not match it; "
                 "dropped", reply->command, members);
        return 0;
    }
    const uint8_t *record = zframe_data (results);
    for (size_t i = first; i < last; i++) {
        s_slot_t *slot = &pipe->slots [i];
        if (!slot->busy || slot->generation != generation)
            continue;
        int status = record [0] << 8 | record [1];
        pl_ack_t ack = { 0, record [10] != 0 };
        for (int byte = 2; byte < 10; byte++)
            ack.seq = ack.seq << 8 | record [byte];
        record += PL_ACKS_RECORD;
        if (status == PL_OK) {
            s_pipe_finish (pipe, slot, PL_OK, &ack, "");
            settled++;
            continue;
        }
        zframe_t *text_frame = zmsg_next (reply->body);
        if (status == PL_BUSY)
            continue;           //  resent with the pack after the back-off window
        char *text = text_frame ? zframe_strdup (text_frame) : NULL;
        s_pipe_finish (pipe, slot, status, NULL, text && *text ? text : pl_status_str (status));
        free (text);
        settled++;
    }
    return settled;
}

//  Handle one reply; returns 1 when it settled an event, 0 otherwise.
static int
s_pipe_reply (s_pipe_t *pipe, s_reply_t *reply, const char *corr)
{
    char *dot = strchr (corr, '.');
    if (!dot || (corr [0] != 's' && corr [0] != 'p'))
        return 0;
    size_t index = strtoull (corr + 1, NULL, 10);
    uint64_t generation = strtoull (dot + 1, NULL, 10);
    if (corr [0] == 'p')
        return index * pipe->pack_max < pipe->window
             && s_pipe_pack_reply (pipe, index, generation, reply) > 0;
    if (index >= pipe->window)
        return 0;
    s_slot_t *slot = &pipe->slots [index];
    if (!slot->busy || slot->generation != generation)
        return 0;               //  a stale reply to an event already settled
    return s_pipe_settle (pipe, slot, reply);
}

//  Ask NEXT for event INDEX and make SLOT hold it, encoded: 0, or -1 when
//  it cannot be sent (settled at once with its error).
static int
s_pipe_fill (s_pipe_t *pipe, s_slot_t *slot, size_t index, pl_next_fn *next, void *arg)
{
    pl_client_t *self = pipe->client;
    pl_event_t event;
    memset (&event, 0, sizeof event);
    char err [PL_ERR_MAX + 64] = "";
    int status = PL_OK;
    void *data = NULL;
    size_t size = 0;
    if (next (arg, index, &event) || !event.payload) {
        status = PL_BAD_REQUEST;
        snprintf (err, sizeof err, "event %zu could not be made", index);
    }
    else
    if (event.event_id [0] == 0)
        pl_client_random_id (event.event_id);
    if (status == PL_OK && !pl_event_id_valid (event.event_id)) {
        status = PL_BAD_REQUEST;
        snprintf (err, sizeof err, "event id of event %zu is not valid", index);
    }
    if (status == PL_OK)
        s_encode (self, event.topic, PL_KIND_EVENT, event.payload, &data, &size,
                  &status, err, sizeof err);
    json_decref (event.payload);
    if (status != PL_OK) {
        pipe->on_ack (pipe->arg, index, status, NULL, err);
        return -1;
    }
    slot->busy = 1;
    slot->index = index;
    slot->body = zmsg_new ();
    zmsg_addstr (slot->body, event.topic);
    zmsg_addstr (slot->body, event.event_id);
    zmsg_addmem (slot->body, data, size);
    free (data);
    pipe->in_flight++;
    return 0;
}

int
pl_client_publish_many (pl_client_t *self, size_t count, size_t window,
                        pl_next_fn *next, pl_ack_fn *on_ack, void *arg)
{
    assert (self && next && on_ack);
    if (window == 0)
        window = 1;
    if (window > count && count > 0)
        window = count;
    s_pipe_t pipe = { .client = self, .window = window, .on_ack = on_ack, .arg = arg };
    pipe.pack_max = self->pack ? self->pack : window / 4;
    if (pipe.pack_max > PL_MANY_MAX)
        pipe.pack_max = PL_MANY_MAX;
    if (pipe.pack_max > window)
        pipe.pack_max = window;
    if (pipe.pack_max <= 1 || self->no_many) {
        pipe.pack_max = 1;
        pipe.single = 1;
    }
    pipe.slots = calloc (window, sizeof *pipe.slots);
    if (!pipe.slots)
        return -1;
    size_t next_index = 0;
    int64_t backoff = self->config.retry_initial_ms;
    int64_t last_progress = pl_mono_ms ();
    int64_t last_reply = last_progress;
    int rc = 0, noticed = 0;
    zpoller_t *poller = NULL;

    while (next_index < count || pipe.in_flight > 0) {
        //  Fill free packs (or, one by one, free slots) from the caller,
        //  settling events that cannot be sent, and send what was filled
        size_t packs = (window + pipe.pack_max - 1) / pipe.pack_max;
        int idle = pipe.in_flight == 0;
        for (size_t pack = 0; pack < packs && next_index < count; pack++) {
            size_t first, last, filled = 0, bytes = 0;
            s_pack_range (&pipe, pack, &first, &last);
            if (!pipe.single) {
                size_t busy = 0;
                for (size_t i = first; i < last; i++)
                    busy += pipe.slots [i].busy;
                if (busy)
                    continue;   //  a pack is refilled only once all of it is settled
            }
            for (size_t i = first; i < last && next_index < count && bytes < S_PACK_BYTES; i++) {
                s_slot_t *slot = &pipe.slots [i];
                if (slot->busy)
                    continue;
                if (s_pipe_fill (&pipe, slot, next_index++, next, arg) == 0) {
                    filled++;
                    bytes += zmsg_content_size (slot->body);
                    if (pipe.single)
                        s_pipe_send_one (&pipe, i);
                }
            }
            if (filled && !pipe.single)
                s_pipe_send_pack (&pipe, pack);
        }
        if (idle && pipe.in_flight > 0)
            last_reply = pl_mono_ms ();         //  the silence clock starts now
        if (pipe.in_flight == 0)
            continue;
        if (!poller && !(poller = zpoller_new (self->dealer, self->monitor, NULL))) {
            rc = -1;
            break;
        }
        int64_t now = pl_mono_ms ();
        int64_t wait = last_reply + backoff - now;
        void *which = wait > 0 ? zpoller_wait (poller, (int) wait) : NULL;
        if (which && which == self->monitor) {
            int connected = self->ever_connected;
            s_monitor_read (self);
            if (!connected && self->ever_connected) {
                //  The first connection: what waited in the socket leaves
                //  now, to a broker perhaps just started and recovering;
                //  it gets the longest window before anything is resent
                last_reply = pl_mono_ms ();
                backoff = self->config.retry_max_ms;
            }
            if (*self->refused && self->refused_status == PL_UNAVAILABLE && !noticed++)
                pl_warn ("client: %s; trying again for up to %.3g s", self->refused,
                         self->config.publish_deadline_ms / 1000.0);
            if (*self->refused && self->refused_status != PL_UNAVAILABLE) {
                rc = -1;
                break;
            }
            continue;
        }
        if (which) {
            s_reply_t reply = { 0 };
            char corr [PL_CORR_MAX + 1];
            if (s_recv (self, &reply, corr, sizeof corr) == 0) {
                last_reply = pl_mono_ms ();
                if (s_pipe_reply (&pipe, &reply, corr)) {
                    last_progress = last_reply;
                    backoff = self->config.retry_initial_ms;
                }
                zmsg_destroy (&reply.body);
            }
            continue;
        }
        now = pl_mono_ms ();
        if (now - last_reply < backoff)
            continue;           //  interrupted wait; the window is not over yet
        if (now - last_progress >= self->config.publish_deadline_ms) {
            rc = -1;
            break;
        }
        if (!self->ever_connected) {
            //  Nothing has listened yet: what was sent waits in the socket
            //  for the connection; resending would only make duplicates
            last_reply = now;
            continue;
        }
        //  Silence for a whole window: Lazy Pirate, for every event in flight.
        pl_info ("client: no reply within %lld ms; reconnecting to %s and resending %zu events",
                 (long long) backoff, self->config.endpoint, pipe.in_flight);
        zpoller_destroy (&poller);
        if (s_reconnect (self)) {
            rc = -1;
            break;
        }
        for (size_t pack = 0; pack * pipe.pack_max < window; pack++)
            s_pipe_send_pack (&pipe, pack);
        last_reply = pl_mono_ms ();
        backoff = backoff * 2 > self->config.retry_max_ms ? self->config.retry_max_ms : backoff * 2;
    }
    zpoller_destroy (&poller);
    if (rc) {
        //  Deadline: every event not settled gets its 504, exactly once.
        char err [sizeof self->refused];
        int status = PL_FORBIDDEN;
        if (*self->refused && self->refused_status == PL_FORBIDDEN)
            snprintf (err, sizeof err, "%s", self->refused);
        else
            s_deadline_error (self, &status, err, sizeof err);
        for (size_t i = 0; i < window; i++)
            if (pipe.slots [i].busy)
                s_pipe_finish (&pipe, &pipe.slots [i], status, NULL, err);
        while (next_index < count)
            on_ack (arg, next_index++, status, NULL, err);
    }
    free (pipe.slots);
    return rc;
}

void
pl_client_set_pack (pl_client_t *self, size_t events)
{
    assert (self);
    self->pack = events > PL_MANY_MAX ? PL_MANY_MAX : events;
}

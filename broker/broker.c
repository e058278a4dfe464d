/*  broker — the plenaryd engine: the loop and the frontend.

    Each turn of the loop drains every message waiting on the frontend (up
    to max_batch publishes) and the backend, then commits the publishes of
    the turn in ONE transaction (broker_publish.c: ACKs only after COMMIT
    returns), then delivers to the workers.  Events that arrive while a
    commit runs wait in the socket and form the next batch.

    Client messages are read part by part into libzmq messages
    (broker_inbound_t): PUBLISH and PUBLISH_MANY take their parts into the
    batch without a copy; the other commands, rare and small, get CZMQ
    frames.

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

//  ERROR with CODE and TEXT to the client whose routing id is the SIZE bytes
//  at IDENTITY.
static void
s_error_send (broker_t *self, const void *identity, size_t size, const char *corr,
              int code, const char *text)
{
    void *frontend = zsock_resolve (self->frontend);
    uint8_t command = PL_C_ERROR;
    char digits [8];
    snprintf (digits, sizeof digits, "%03d", code);
    zmq_send (frontend, identity, size, ZMQ_SNDMORE);
    zmq_send (frontend, PL_PROTO_CLIENT, strlen (PL_PROTO_CLIENT), ZMQ_SNDMORE);
    zmq_send (frontend, &command, 1, ZMQ_SNDMORE);
    zmq_send (frontend, corr, strlen (corr), ZMQ_SNDMORE);
    zmq_send (frontend, digits, 3, ZMQ_SNDMORE);
    zmq_send (frontend, text, strlen (text), 0);
    if (code == PL_STORAGE_FULL)        //  the store says it once per interval
        pl_debug ("broker: error code=%d corr=%s text=%s", code, corr, text);
    else
    if (code >= 500)
        pl_warn ("broker: error code=%d corr=%s text=%s", code, corr, text);
    else
        pl_info ("broker: refused code=%d corr=%s text=%s", code, corr, text);
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
    s_error_send (self, zframe_data (identity), zframe_size (identity), corr, code, text);
}

void
broker_client_refuse (broker_t *self, zmq_msg_t *identity, const char *corr,
                      int code, const char *format, ...)
{
    char text [PL_ERR_MAX + 128];
    va_list args;
    va_start (args, format);
    vsnprintf (text, sizeof text, format, args);
    va_end (args);
    s_error_send (self, zmq_msg_data (identity), zmq_msg_size (identity), corr, code, text);
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
typedef void (s_raw_fn) (broker_t *self, broker_inbound_t *in, const char *corr);

static const struct {
    uint8_t command;
    const char *name;
    size_t frames;                  //  after header, command and corr
    size_t optional;                //  further frames it may have
    const char *shape;
    s_raw_fn *raw;                  //  a handler of the parts themselves, or
    s_command_fn *handler;          //  one of CZMQ frames
} s_commands [] = {
    { PL_C_PUBLISH, "PUBLISH", 3, 0, "topic, event_id, payload", broker_publish_one, NULL },
    { PL_C_PUBLISH_MANY, "PUBLISH_MANY", 1, 0, "events",         broker_publish_many, NULL },
    { PL_C_RECEIPT, "RECEIPT", 3, 0, "seq, group, timeout_ms",   NULL, s_receipt },
    { PL_C_QUERY,   "QUERY",   3, 1, "service, name, payload[, as_role]", NULL, s_query },
    { PL_C_PING,    "PING",    0, 0, "nothing",                  NULL, s_ping },
};

//  Copy PART into a NUL-terminated BUF of BUF_SIZE bytes: 0, or -1 when it
//  is too long or holds a NUL (as pl_frame_get_str).
static int
s_part_str (zmq_msg_t *part, char *buf, size_t buf_size)
{
    size_t size = zmq_msg_size (part);
    if (size >= buf_size || memchr (zmq_msg_data (part), 0, size))
        return -1;
    memcpy (buf, zmq_msg_data (part), size);
    buf [size] = 0;
    return 0;
}

//  Run a handler of CZMQ frames: the frames after corr as a new message.
static void
s_framed (broker_t *self, broker_inbound_t *in, const char *corr, s_command_fn *handler)
{
    zframe_t *identity = zframe_new (zmq_msg_data (&in->part [0]), zmq_msg_size (&in->part [0]));
    zmsg_t *msg = zmsg_new ();
    for (size_t i = 4; i < in->parts; i++)
        zmsg_addmem (msg, zmq_msg_data (&in->part [i]), zmq_msg_size (&in->part [i]));
    handler (self, identity, corr, msg);
    zmsg_destroy (&msg);
    zframe_destroy (&identity);
}

//  One message from a client: check the envelope, then the command table.
static void
s_client_message (broker_t *self, broker_inbound_t *in)
{
    //  A ROUTER always gives the routing id; the client gave the rest
    zmq_msg_t *identity = &in->part [0];
    zmq_msg_t *header = in->parts > 1 ? &in->part [1] : NULL;
    zmq_msg_t *command = in->parts > 2 ? &in->part [2] : NULL;
    zmq_msg_t *corr_part = in->parts > 3 ? &in->part [3] : NULL;
    //  A request whose corr cannot be read is answered with an EMPTY corr,
    //  which no client can have chosen (a corr is 1 to 64 bytes): its ERROR
    //  can never be taken for the answer to another request.
    char corr [PL_CORR_MAX + 1] = "";
    int corr_ok = corr_part && s_part_str (corr_part, corr, sizeof corr) == 0
               && pl_event_id_valid (corr);
    if (!corr_ok)
        corr [0] = 0;
    size_t index = 0, count = sizeof s_commands / sizeof s_commands [0];
    char why [PL_REASON_MAX];
    //  The metadata of a connection rides on the parts its peer sent, not
    //  on the routing id the ROUTER adds: ask the header
    self->role = broker_identity_role (self->identity, header, why, sizeof why);
    self->meta = header;
    if (!self->role)
        broker_client_refuse (self, identity, corr, PL_FORBIDDEN, "%s", why);
    else
    if (!header || zmq_msg_size (header) != strlen (PL_PROTO_CLIENT)
    ||  memcmp (zmq_msg_data (header), PL_PROTO_CLIENT, strlen (PL_PROTO_CLIENT)))
        broker_client_refuse (self, identity, corr, PL_BAD_REQUEST,
                              "expected protocol header %s in frame 0", PL_PROTO_CLIENT);
    else
    if (!command || zmq_msg_size (command) != 1)
        broker_client_refuse (self, identity, corr, PL_BAD_REQUEST,
                              "frame 1 must be a one-byte command");
    else {
        uint8_t byte = *(uint8_t *) zmq_msg_data (command);
        while (index < count && s_commands [index].command != byte)
            index++;
        if (index == count)
            broker_client_refuse (self, identity, corr, PL_BAD_REQUEST,
                                  "unknown command 0x%02x", byte);
        else
        if (!corr_ok)
            broker_client_refuse (self, identity, corr, PL_BAD_REQUEST,
                                  "%s: corr (frame 2) must be 1 to %d printable ASCII bytes",
                                  s_commands [index].name, PL_CORR_MAX);
        else
        if (in->frames < 4 + s_commands [index].frames
        ||  in->frames > 4 + s_commands [index].frames + s_commands [index].optional)
            broker_client_refuse (self, identity, corr, PL_BAD_REQUEST,
                                  "%s: expected %zu frames after corr (%s), got %zu",
                                  s_commands [index].name, s_commands [index].frames,
                                  s_commands [index].shape, in->frames - 4);
        else {
            //  (PUBLISH_MANY's events frame is bounded by max_message, which
            //  libzmq enforces, and each of its payloads by max_frame)
            int too_large = 0;
            if (byte != PL_C_PUBLISH_MANY)
                for (size_t i = 4; i < in->parts; i++)
                    if (zmq_msg_size (&in->part [i]) > self->config.max_frame)
                        too_large = 1;
            if (too_large)
                broker_client_refuse (self, identity, corr, PL_TOO_LARGE,
                                      "%s: a frame is larger than max_frame (%zu bytes)",
                                      s_commands [index].name, self->config.max_frame);
            else
            if (s_commands [index].raw)
                s_commands [index].raw (self, in, corr);
            else
                s_framed (self, in, corr, s_commands [index].handler);
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
    self->verdicts = calloc (BROKER_VERDICT_QUEUE, sizeof *self->verdicts);
    self->canon = pl_canon_new ();
    self->workers = zhashx_new ();
    self->groups = zhashx_new ();
    self->group_list = zlistx_new ();
    self->queries = zhashx_new ();
    self->receipts = zlistx_new ();
    if (!self->store || broker_publish_setup (self) || !self->verdicts || !self->receipts || !self->group_list
    ||  !self->canon || broker_metrics_setup (self))
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
    broker_publish_teardown (self);
    broker_metrics_teardown (self);
    zhashx_destroy (&self->queries);
    zlistx_destroy (&self->receipts);
    zhashx_destroy (&self->workers);
    zlistx_destroy (&self->group_list);
    zhashx_destroy (&self->groups);
    pl_canon_destroy (&self->canon);
    zsock_destroy (&self->frontend);
    zsock_destroy (&self->backend);
    zsock_destroy (&self->pub);
    broker_identity_destroy (&self->identity);
    if (self->store)
        self->ops->close (&self->store);
    free (self->verdicts);
    free (self);
    *self_p = NULL;
}

//  Read one client message off the frontend into IN: 0, or -1 when none
//  is waiting.  Parts beyond BROKER_PARTS are read, counted and dropped.
static int
s_inbound_recv (broker_t *self, broker_inbound_t *in)
{
    void *frontend = zsock_resolve (self->frontend);
    in->parts = in->frames = 0;
    zmq_msg_init (&in->part [0]);
    if (zmq_msg_recv (&in->part [0], frontend, 0) < 0) {
        zmq_msg_close (&in->part [0]);
        return -1;                      //  nothing waiting (the socket's timeout is 0)
    }
    in->parts = in->frames = 1;
    int more = zmq_msg_more (&in->part [0]);
    while (more) {
        zmq_msg_t spare;
        zmq_msg_t *part = in->parts < BROKER_PARTS ? &in->part [in->parts] : &spare;
        zmq_msg_init (part);
        if (zmq_msg_recv (part, frontend, 0) < 0) {
            zmq_msg_close (part);
            break;
        }
        in->frames++;
        more = zmq_msg_more (part);
        if (part == &spare)
            zmq_msg_close (part);
        else
            in->parts++;
    }
    return 0;
}

static void
s_inbound_close (broker_inbound_t *in)
{
    for (size_t i = 0; i < in->parts; i++)
        zmq_msg_close (&in->part [i]);
    in->parts = in->frames = 0;
}

//  Drain the frontend: every waiting message, up to max_batch publishes.
static void
s_drain_frontend (broker_t *self)
{
    int handled = 0;
    broker_inbound_t in;
    while (handled < self->config.max_batch
       &&  self->batch_count < (size_t) self->config.max_batch
       &&  self->batch_bytes < BROKER_BATCH_BYTES) {
        if (s_inbound_recv (self, &in))
            break;
        s_client_message (self, &in);
        s_inbound_close (&in);
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
            broker_publish_commit (self);
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
    broker_publish_commit (self);
    broker_workers_stop (self);
    if (broker_persist (self))
        pl_warn ("broker: could not persist cursors at stop; workers replay from their own");
    self->ops->checkpoint (self->store);
    if (unlink (self->ready_path))
        pl_warn ("broker: cannot remove %s: %s", self->ready_path, strerror (errno));
    return 0;
}

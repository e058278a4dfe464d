/*  test_worker — pl_worker against a fake broker.

    The test binds a ROUTER on an ephemeral 127.0.0.1 port and plays the
    broker side of PLW01 by hand; the worker engine runs in a thread over a
    fake in-memory store.  It checks READY (group, topics, services,
    credit, from), EVENTs -> apply -> VERDICTs (batched, invalid payloads
    rejected with the codec's error), QUERY -> REPLY (200, the handler's
    404, 400 on bad arguments, 500 on an invalid reply), heartbeats, a store
    failure (DISCONNECT, READY again, redelivery applied), reconnection with
    READY from the new cursor after the broker goes silent or sends
    DISCONNECT, and a clean stop.  Then with readers (pl_queries): a query
    held on its thread longer than the liveness while events apply and
    heartbeats flow, a short query passing it, 429 beyond the queue, and
    504 from the worker past the QUERY's deadline_ms.  Waits are bounded
    polls, never sleeps. */
#include "pl_codec.h"
#include "pl_config.h"
#include "pl_proto.h"
#include "pl_worker.h"
#include "pl_test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


#define WAIT_MS 5000            //  longest wait for any one message
#define TICK_MS 50              //  the fake broker's heartbeat interval

//  --------------------------------------------------------------------------
//  A fake store, shared with the worker thread under a lock

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    uint64_t cursor;
    int apply_calls;
    size_t largest_batch;
    int fail_next;              //  the next apply fails (a storage error)
    uint64_t hold_seq;          //  apply of this seq waits until released
    int released;
    int queries_held;           //  queries "slow" waiting for query_release
    int query_release;
    int readers;                //  readers open
} fake_store_t;

static int
s_fake_apply (void *store_, const pl_delivery_t *events, size_t count, pl_verdict_t *verdicts)
{
    fake_store_t *store = store_;
    pthread_mutex_lock (&store->lock);
    store->apply_calls++;
    if (count > store->largest_batch)
        store->largest_batch = count;
    int rc = 0;
    if (store->fail_next) {
        store->fail_next = 0;
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < count; i++) {
        const char *id = json_string_value (json_object_get (events [i].payload, "id"));
        verdicts [i].applied = !(id && strcmp (id, "bad-meeting") == 0);
        snprintf (verdicts [i].reason, sizeof verdicts [i].reason, "%s",
                  verdicts [i].applied ? "" : "meeting bad-meeting is not wanted");
        if (events [i].seq > store->cursor)
            store->cursor = events [i].seq;
        if (events [i].seq == store->hold_seq) {
            int64_t until = pl_mono_ms () + WAIT_MS;
            while (!store->released && pl_mono_ms () < until) {
                struct timespec deadline;
                clock_gettime (CLOCK_REALTIME, &deadline);
                deadline.tv_nsec += 10 * 1000000;
                if (deadline.tv_nsec >= 1000000000) {
                    deadline.tv_sec++;
                    deadline.tv_nsec -= 1000000000;
                }
                pthread_cond_timedwait (&store->changed, &store->lock, &deadline);
            }
        }
    }
    pthread_mutex_unlock (&store->lock);
    return rc;
}

static json_t *
s_fake_query (void *store, const char *name, const json_t *args, const char *role,
              int *status, char *err, size_t errsize)
{
    if (strcmp (role, "delegate")) {        //  the test always queries as a delegate
        *status = 403;
        snprintf (err, errsize, "role %s was not passed through", role);
        return NULL;
    }
    const char *id = json_string_value (json_object_get (args, "id"));
    fake_store_t *fake = store;
    if (strcmp (name, "meeting.show") == 0 && strcmp (id, "slow") == 0) {
        //  A long query: it holds its thread until the test lets it go
        pthread_mutex_lock (&fake->lock);
        fake->queries_held++;
        pthread_cond_broadcast (&fake->changed);
        while (!fake->query_release)
            pthread_cond_wait (&fake->changed, &fake->lock);
        fake->queries_held--;
        pthread_mutex_unlock (&fake->lock);
        id = "ok";
    }
    if (strcmp (name, "meeting.show") == 0 && strcmp (id, "late") == 0) {
        //  A query that takes 300 ms of work, as SQLite would until interrupted
        int64_t until = pl_mono_ms () + 300;
        while (pl_mono_ms () < until)
            ;
        *status = 500;
        snprintf (err, errsize, "interrupted");
        return NULL;
    }
    if (strcmp (name, "meeting.show") == 0 && strcmp (id, "ok") == 0)
        return json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}",
                          "id", "ok", "convention", "CCM", "kind", "msp", "title", "T",
                          "venue", "Geneva", "tz", "Europe/Zurich", "start", "2030-09-09",
                          "end", "2030-09-12", "status", "scheduled", "participants", 0);
    if (strcmp (name, "meeting.show") == 0 && strcmp (id, "broken") == 0)
        return json_pack ("{s:s}", "id", "broken");         //  misses required fields
    if (strcmp (name, "participant.show") == 0)             //  with personal data
        return json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "id", "p1",
                          "meeting", "m8", "family_name", "Dupont", "delegation", "FR",
                          "email", "anne@example.fr", "note", "visa pending",
                          "status", "registered", "registered_at", "2030-01-01T00:00:00Z",
                          "seq", 1);
    *status = 404;
    snprintf (err, errsize, "meeting %s does not exist", id);
    return NULL;
}

static uint64_t
s_fake_cursor (void *store_)
{
    fake_store_t *store = store_;
    pthread_mutex_lock (&store->lock);
    uint64_t cursor = store->cursor;
    pthread_mutex_unlock (&store->lock);
    return cursor;
}

//  Readers: the fake store is one, its lock makes it safe on any thread
static void *
s_fake_reader_open (void *store_)
{
    fake_store_t *store = store_;
    pthread_mutex_lock (&store->lock);
    store->readers++;
    pthread_mutex_unlock (&store->lock);
    return store;
}

static void
s_fake_reader_close (void *reader)
{
    fake_store_t *store = reader;
    pthread_mutex_lock (&store->lock);
    store->readers--;
    pthread_mutex_unlock (&store->lock);
}

//  Wait (WAIT_MS at most) until COUNT "slow" queries are held.  0 or -1.
static int
s_wait_held (fake_store_t *store, int count)
{
    int64_t deadline = pl_mono_ms () + WAIT_MS;
    pthread_mutex_lock (&store->lock);
    while (store->queries_held < count && pl_mono_ms () < deadline) {
        pthread_mutex_unlock (&store->lock);
        zclock_sleep (5);       //  a bounded poll on the condition, not a delay
        pthread_mutex_lock (&store->lock);
    }
    int held = store->queries_held;
    pthread_mutex_unlock (&store->lock);
    return held >= count ? 0 : -1;
}

//  --------------------------------------------------------------------------
//  The worker thread

typedef struct {
    pl_worker_t *worker;
    volatile sig_atomic_t stop;
    int rc;
} runner_t;

static void *
s_run (void *arg)
{
    runner_t *runner = arg;
    runner->rc = pl_worker_run (runner->worker, &runner->stop);
    return NULL;
}

//  --------------------------------------------------------------------------
//  The fake broker

typedef struct {
    zsock_t *router;
    zframe_t *identity;         //  the worker's routing id, from its last READY
    int alive;                  //  send heartbeats while waiting
    int heartbeats;             //  heartbeats received from the worker
    int64_t tick_at;
} broker_t;

//  Send command COMMAND to the worker with the frames in BODY (taken).
static void
s_send (broker_t *b, uint8_t command, zmsg_t *body)
{
    zmsg_t *msg = zmsg_new ();
    zframe_t *identity = zframe_dup (b->identity);
    zmsg_append (msg, &identity);
    zmsg_addstr (msg, PL_PROTO_WORKER);
    pl_frame_put_byte (msg, command);
    zframe_t *frame;
    while (body && (frame = zmsg_pop (body)))
        zmsg_append (msg, &frame);
    zmsg_destroy (&body);
    zmsg_send (&msg, b->router);
}

//  Wait for a message with COMMAND from the worker, skipping heartbeats
//  (counted) and sending ours while alive.  Returns the message after its
//  command frame (header and command checked), or NULL on timeout or on
//  another command.  A READY updates the worker's identity; *NEW_PEER
//  (optional) says whether it changed.
static zmsg_t *
s_expect (broker_t *b, uint8_t command, int *new_peer)
{
    int64_t deadline = pl_mono_ms () + WAIT_MS;
    while (pl_mono_ms () < deadline) {
        if (b->alive && b->identity && pl_mono_ms () >= b->tick_at) {
            s_send (b, PL_W_HEARTBEAT, NULL);
            b->tick_at = pl_mono_ms () + TICK_MS;
        }
        zmq_pollitem_t item = { zsock_resolve (b->router), 0, ZMQ_POLLIN, 0 };
        if (zmq_poll (&item, 1, 10) <= 0)
            continue;
        zmsg_t *msg = zmsg_recv (b->router);
        zframe_t *identity = zmsg_pop (msg);
        zframe_t *header = zmsg_pop (msg), *cmd = zmsg_pop (msg);
        uint8_t got = 0;
        int ok = header && zframe_streq (header, PL_PROTO_WORKER)
              && pl_frame_get_byte (cmd, &got) == 0;
        zframe_destroy (&header);
        zframe_destroy (&cmd);
        if (ok && got == PL_W_READY) {
            if (new_peer)
                *new_peer = !b->identity || !zframe_eq (b->identity, identity);
            zframe_destroy (&b->identity);
            b->identity = zframe_dup (identity);
        }
        zframe_destroy (&identity);
        if (ok && got == command)
            return msg;
        zmsg_destroy (&msg);
        if (ok && got == PL_W_HEARTBEAT) {
            b->heartbeats++;
            continue;
        }
        fprintf (stderr, "test_worker: want command %d, got %d (header %s)\n",
                 command, got, ok ? "ok" : "bad");
        return NULL;
    }
    fprintf (stderr, "test_worker: no command %d within %d ms\n", command, WAIT_MS);
    return NULL;
}

//  Send EVENT SEQ of TOPIC with the msgpack PAYLOAD of SIZE bytes.
static void
s_send_event (broker_t *b, uint64_t seq, const char *topic, const void *payload, size_t size)
{
    zmsg_t *body = zmsg_new ();
    pl_frame_put_u64 (body, seq);
    zmsg_addstr (body, topic);
    char event_id [32];
    snprintf (event_id, sizeof event_id, "ev-%llu", (unsigned long long) seq);
    zmsg_addstr (body, event_id);
    zmsg_addmem (body, payload, size);
    pl_frame_put_u32 (body, 1);
    pl_frame_put_u64 (body, (uint64_t) pl_time_ms ());
    s_send (b, PL_W_EVENT, body);
}

//  Send a valid meeting.scheduled with ID as EVENT SEQ.
static void
s_send_meeting (broker_t *b, uint64_t seq, const char *id)
{
    json_t *meeting = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                                 "id", id, "convention", "CCM", "kind", "msp", "title", "T",
                                 "venue", "Geneva", "tz", "Europe/Zurich",
                                 "start", "2030-09-09", "end", "2030-09-12");
    void *data = NULL;
    size_t size = 0;
    char err [PL_ERR_MAX];
    if (pl_codec_encode ("meeting.scheduled", meeting, &data, &size, err, sizeof err))
        fprintf (stderr, "test_worker: cannot encode a test meeting: %s\n", err);
    s_send_event (b, seq, "meeting.scheduled", data, size);
    free (data);
    json_decref (meeting);
}

//  Expect VERDICT for SEQ with VERDICT; REASON_PART must occur in the reason.
static int
s_expect_verdict (broker_t *b, uint64_t seq, const char *verdict, const char *reason_part)
{
    zmsg_t *msg = s_expect (b, PL_W_VERDICT, NULL);
    uint64_t got_seq = 0;
    char got_verdict [16] = "", reason [PL_REASON_MAX] = "";
    int ok = msg && zmsg_size (msg) == 3
          && pl_frame_get_u64 (zmsg_first (msg), &got_seq) == 0
          && pl_frame_get_str (zmsg_next (msg), got_verdict, sizeof got_verdict) == 0
          && pl_frame_get_str (zmsg_next (msg), reason, sizeof reason) == 0
          && got_seq == seq && strcmp (got_verdict, verdict) == 0
          && strstr (reason, reason_part);
    if (!ok)
        fprintf (stderr, "test_worker: want VERDICT %llu %s \"%s\", got %llu %s \"%s\"\n",
                 (unsigned long long) seq, verdict, reason_part,
                 (unsigned long long) got_seq, got_verdict, reason);
    zmsg_destroy (&msg);
    return ok ? 0 : -1;
}

//  Send QUERY NAME with ARGS (taken, packed without validation) and expect
//  REPLY with STATUS; *BODY_P (optional) gets the reply's last frame.
static int
s_expect_query (broker_t *b, const char *name, json_t *args, const char *status,
                zframe_t **body_p)
{
    void *data = NULL;
    size_t size = 0;
    pl_codec_pack_raw (args, &data, &size);
    json_decref (args);
    zmsg_t *body = zmsg_new ();
    zmsg_addstr (body, "req-1");
    zmsg_addstr (body, name);
    zmsg_addmem (body, data, size);
    zmsg_addstr (body, "delegate");
    free (data);
    s_send (b, PL_W_QUERY, body);
    zmsg_t *msg = s_expect (b, PL_W_REPLY, NULL);
    int ok = msg && zmsg_size (msg) == 3 && zframe_streq (zmsg_first (msg), "req-1")
          && zframe_streq (zmsg_next (msg), status);
    if (!ok)
        fprintf (stderr, "test_worker: QUERY %s: want status %s\n", name, status);
    if (ok && body_p)
        *body_p = zframe_dup (zmsg_last (msg));
    zmsg_destroy (&msg);
    return ok ? 0 : -1;
}

//  Send QUERY NAME with ARGS (taken) as REQUEST; with DEADLINE_MS > 0 the
//  optional deadline_ms frame too.
static void
s_send_query (broker_t *b, const char *request, const char *name, json_t *args,
              uint32_t deadline_ms)
{
    void *data = NULL;
    size_t size = 0;
    pl_codec_pack_raw (args, &data, &size);
    json_decref (args);
    zmsg_t *body = zmsg_new ();
    zmsg_addstr (body, request);
    zmsg_addstr (body, name);
    zmsg_addmem (body, data, size);
    zmsg_addstr (body, "delegate");
    if (deadline_ms)
        pl_frame_put_u32 (body, deadline_ms);
    free (data);
    s_send (b, PL_W_QUERY, body);
}

//  Expect the REPLY to REQUEST with STATUS, its text holding PART (or NULL).
static int
s_expect_reply (broker_t *b, const char *request, const char *status, const char *part)
{
    zmsg_t *msg = s_expect (b, PL_W_REPLY, NULL);
    char *text = msg && zmsg_size (msg) == 3 ? zframe_strdup (zmsg_last (msg)) : NULL;
    int ok = text && zframe_streq (zmsg_first (msg), request)
          && zframe_streq (zmsg_next (msg), status) && (!part || strstr (text, part));
    if (!ok)
        fprintf (stderr, "test_worker: want REPLY %s %s \"%s\", got \"%s\"\n", request,
                 status, part ? part : "", text ? text : "(none)");
    free (text);
    zmsg_destroy (&msg);
    return ok ? 0 : -1;
}

//  Check that READY (after its command frame) announces what we configured.
static int
s_check_ready (zmsg_t *msg, uint64_t from)
{
    char group [64], topics [256], services [64];
    uint32_t credit = 0;
    uint64_t got_from = 0;
    int ok = msg && zmsg_size (msg) == 5
          && pl_frame_get_str (zmsg_first (msg), group, sizeof group) == 0
          && pl_frame_get_str (zmsg_next (msg), topics, sizeof topics) == 0
          && pl_frame_get_str (zmsg_next (msg), services, sizeof services) == 0
          && pl_frame_get_u32 (zmsg_next (msg), &credit) == 0
          && pl_frame_get_u64 (zmsg_next (msg), &got_from) == 0
          && strcmp (group, "testers") == 0
          && strcmp (topics, "meeting.*,participant.registered") == 0
          && strcmp (services, "records") == 0
          && credit == 8 && got_from == from;
    if (!ok)
        fprintf (stderr, "test_worker: bad READY (want from=%llu, got %llu)\n",
                 (unsigned long long) from, (unsigned long long) got_from);
    return ok ? 0 : -1;
}

//  --------------------------------------------------------------------------

int
main (int argc, char *argv [])
{
    zsys_handler_set (NULL);
    if (!(argc > 1 && strcmp (argv [1], "-v") == 0))
        setenv ("PLENARY_LOG", "error", 0);
    fake_store_t store = { .cursor = 7 };
    pthread_mutex_init (&store.lock, NULL);
    pthread_cond_init (&store.changed, NULL);
    broker_t b = { .router = zsock_new (ZMQ_ROUTER) };
    runner_t runner = { .stop = 0, .rc = -1 };
    pthread_t thread;
    int started = 0, new_peer = 0;
    zmsg_t *msg = NULL;
    zframe_t *body = NULL;

    int port = zsock_bind (b.router, "tcp://127.0.0.1:*");
    CHECK (port > 0);
    pl_config_t config;
    pl_config_defaults (&config);
    snprintf (config.backend, sizeof config.backend, "tcp://127.0.0.1:%d", port);
    config.heartbeat_ms = 100;
    config.liveness = 10;           //  1 s: a loaded machine may starve this thread
    config.worker_credit = 8;
    config.reconnect_initial_ms = 50;
    config.reconnect_max_ms = 200;
    static const pl_worker_handler_t handler = {
        .apply = s_fake_apply, .query = s_fake_query, .cursor = s_fake_cursor
    };

    //  bad arguments are refused
    CHECK (!pl_worker_new (&config, "Bad Group", "*", "", &handler, &store));
    CHECK (!pl_worker_new (&config, "testers", "", "", &handler, &store));
    runner.worker = pl_worker_new (&config, "testers", "meeting.*,participant.registered",
                                   "records", &handler, &store);
    CHECK (runner.worker);
    CHECK (pthread_create (&thread, NULL, s_run, &runner) == 0);
    started = 1;

    //  1. READY announces group, topics, services, credit and the cursor
    msg = s_expect (&b, PL_W_READY, NULL);
    CHECK (s_check_ready (msg, 7) == 0);
    zmsg_destroy (&msg);
    b.alive = 1;

    //  2. events -> verdicts in order; an invalid payload is rejected
    s_send_meeting (&b, 8, "m8");
    s_send_meeting (&b, 9, "bad-meeting");
    json_t *invalid = json_pack ("{s:i}", "id", 5);
    void *data = NULL;
    size_t size = 0;
    CHECK (pl_codec_pack_raw (invalid, &data, &size) == 0);
    json_decref (invalid);
    s_send_event (&b, 10, "meeting.scheduled", data, size);
    free (data);
    s_send_meeting (&b, 11, "m11");
    CHECK (s_expect_verdict (&b, 8, "applied", "") == 0);
    CHECK (s_expect_verdict (&b, 9, "rejected", "meeting bad-meeting is not wanted") == 0);
    CHECK (s_expect_verdict (&b, 10, "rejected", "meeting.scheduled: ") == 0);
    CHECK (s_expect_verdict (&b, 11, "applied", "") == 0);
    CHECK (s_fake_cursor (&store) == 11);

    //  3. events that wait while the store is busy are applied as one batch
    pthread_mutex_lock (&store.lock);
    store.hold_seq = 12;
    store.largest_batch = 0;
    pthread_mutex_unlock (&store.lock);
    s_send_meeting (&b, 12, "m12");
    for (uint64_t seq = 13; seq <= 20; seq++)
        s_send_meeting (&b, seq, "m");
    pthread_mutex_lock (&store.lock);
    store.released = 1;
    pthread_cond_broadcast (&store.changed);
    pthread_mutex_unlock (&store.lock);
    for (uint64_t seq = 12; seq <= 20; seq++)
        CHECK (s_expect_verdict (&b, seq, "applied", "") == 0);
    pthread_mutex_lock (&store.lock);
    size_t largest = store.largest_batch;
    pthread_mutex_unlock (&store.lock);
    CHECK (largest >= 2 && largest <= 8);       //  batched, within the credit

    //  4. queries
    CHECK (s_expect_query (&b, "meeting.show", json_pack ("{s:s}", "id", "ok"), "200",
                           &body) == 0);
    char err [PL_ERR_MAX];
    json_t *reply = pl_codec_decode ("meeting.show.reply", zframe_data (body),
                                     zframe_size (body), err, sizeof err);
    CHECK (reply);
    CHECK (strcmp (json_string_value (json_object_get (reply, "id")), "ok") == 0);
    json_decref (reply);
    zframe_destroy (&body);
    CHECK (s_expect_query (&b, "meeting.show", json_pack ("{s:s}", "id", "missing"), "404",
                           &body) == 0);
    CHECK (zframe_streq (body, "meeting missing does not exist"));
    zframe_destroy (&body);
    CHECK (s_expect_query (&b, "meeting.show", json_pack ("{s:s}", "id", "broken"), "500",
                           NULL) == 0);
    CHECK (s_expect_query (&b, "meeting.show", json_pack ("{s:i}", "id", 5), "400",
                           &body) == 0);
    char *text = zframe_strdup (body);
    int names_field = strstr (text, "meeting.show: id") != NULL;
    free (text);
    zframe_destroy (&body);
    CHECK (names_field);
    //  a delegate gets a participant without the fields the schema marks
    //  personal, whatever the handler answered
    CHECK (s_expect_query (&b, "participant.show", json_pack ("{s:s, s:s}", "meeting", "m8",
                           "participant", "p1"), "200", &body) == 0);
    reply = pl_codec_decode ("participant.show.reply", zframe_data (body), zframe_size (body),
                             err, sizeof err);
    zframe_destroy (&body);
    CHECK (reply);
    int personal = json_object_get (reply, "email") || json_object_get (reply, "note");
    int named = json_object_get (reply, "family_name") != NULL;
    json_decref (reply);
    CHECK (!personal && named);
    CHECK (s_expect_query (&b, "dlq.list", json_object (), "404", NULL) == 0);
    CHECK (s_expect_query (&b, "no.such.query", json_object (), "404", NULL) == 0);

    //  5. the worker heartbeats when idle
    b.heartbeats = 0;
    int64_t until = pl_mono_ms () + WAIT_MS;
    while (b.heartbeats < 2 && pl_mono_ms () < until) {
        msg = s_expect (&b, PL_W_HEARTBEAT, NULL);
        CHECK (msg);
        zmsg_destroy (&msg);
        b.heartbeats++;
    }
    CHECK (b.heartbeats >= 2);

    //  6. a store failure: DISCONNECT, READY with the old cursor, then the
    //  redelivered event applies
    pthread_mutex_lock (&store.lock);
    store.fail_next = 1;
    pthread_mutex_unlock (&store.lock);
    s_send_meeting (&b, 21, "m21");
    msg = s_expect (&b, PL_W_DISCONNECT, NULL);
    CHECK (msg);
    zmsg_destroy (&msg);
    msg = s_expect (&b, PL_W_READY, &new_peer);
    CHECK (s_check_ready (msg, 20) == 0);
    CHECK (new_peer);
    zmsg_destroy (&msg);
    s_send_meeting (&b, 21, "m21");
    CHECK (s_expect_verdict (&b, 21, "applied", "") == 0);

    //  7. the broker goes silent: READY again on a new socket, from = 21
    b.alive = 0;
    msg = s_expect (&b, PL_W_READY, &new_peer);
    CHECK (s_check_ready (msg, 21) == 0);
    CHECK (new_peer);
    zmsg_destroy (&msg);
    b.alive = 1;
    s_send_meeting (&b, 22, "m22");
    CHECK (s_expect_verdict (&b, 22, "applied", "") == 0);

    //  8. the broker disconnects the worker: READY again, from = 22
    zmsg_t *reason = zmsg_new ();
    zmsg_addstr (reason, "broker restarting");
    s_send (&b, PL_W_DISCONNECT, reason);
    msg = s_expect (&b, PL_W_READY, &new_peer);
    CHECK (s_check_ready (msg, 22) == 0);
    CHECK (new_peer);
    zmsg_destroy (&msg);

    //  9. a malformed message from the broker is ignored, not fatal
    s_send (&b, 0x7F, NULL);
    s_send_meeting (&b, 23, "m23");
    CHECK (s_expect_verdict (&b, 23, "applied", "") == 0);

    //  10. stop: DISCONNECT and a clean return
    runner.stop = 1;
    msg = s_expect (&b, PL_W_DISCONNECT, NULL);
    CHECK (msg);
    zmsg_destroy (&msg);
    pthread_join (thread, NULL);
    started = 0;
    CHECK (runner.rc == 0);
    pl_worker_destroy (&runner.worker);
    CHECK (runner.worker == NULL);
    pl_worker_destroy (&runner.worker);         //  idempotent

    //  11. queries off the loop: with readers, a query that holds its
    //  thread far longer than the heartbeat interval never stops events
    //  or heartbeats; a short query passes it on the other thread
    static const pl_worker_handler_t threaded = {
        .apply = s_fake_apply, .query = s_fake_query, .cursor = s_fake_cursor,
        .reader_open = s_fake_reader_open, .reader_close = s_fake_reader_close
    };
    config.query_threads = 2;
    config.query_queue = 1;
    runner = (runner_t) { .stop = 0, .rc = -1 };
    runner.worker = pl_worker_new (&config, "testers", "meeting.*,participant.registered",
                                   "records", &threaded, &store);
    CHECK (runner.worker);
    CHECK (store.readers == 2);
    CHECK (pthread_create (&thread, NULL, s_run, &runner) == 0);
    started = 1;
    msg = s_expect (&b, PL_W_READY, NULL);
    CHECK (s_check_ready (msg, 23) == 0);
    zmsg_destroy (&msg);
    s_send_query (&b, "req-slow", "meeting.show", json_pack ("{s:s}", "id", "slow"), 0);
    CHECK (s_wait_held (&store, 1) == 0);
    s_send_query (&b, "req-ok", "meeting.show", json_pack ("{s:s}", "id", "ok"), 0);
    CHECK (s_expect_reply (&b, "req-ok", "200", NULL) == 0);
    int64_t held_since = pl_mono_ms ();
    for (uint64_t seq = 24; seq <= 30; seq++)
        s_send_meeting (&b, seq, "m");
    for (uint64_t seq = 24; seq <= 30; seq++)
        CHECK (s_expect_verdict (&b, seq, "applied", "") == 0);
    //  heartbeats go on for longer than the broker's liveness (here 10
    //  intervals of 100 ms) while the query is held
    b.heartbeats = 0;
    while (pl_mono_ms () - held_since <= (int64_t) config.heartbeat_ms * config.liveness) {
        msg = s_expect (&b, PL_W_HEARTBEAT, NULL);
        CHECK (msg);
        zmsg_destroy (&msg);
        b.heartbeats++;
    }
    CHECK (b.heartbeats >= config.liveness / 2);
    //  both threads busy, one query waits, the next is told 429
    s_send_query (&b, "req-slow2", "meeting.show", json_pack ("{s:s}", "id", "slow"), 0);
    CHECK (s_wait_held (&store, 2) == 0);
    s_send_query (&b, "req-waits", "meeting.show", json_pack ("{s:s}", "id", "ok"), 0);
    s_send_query (&b, "req-full", "meeting.show", json_pack ("{s:s}", "id", "ok"), 0);
    CHECK (s_expect_reply (&b, "req-full", "429", "queries waiting") == 0);
    pthread_mutex_lock (&store.lock);
    store.query_release = 1;
    pthread_cond_broadcast (&store.changed);
    pthread_mutex_unlock (&store.lock);
    //  the three answers, in whatever order the threads finish
    const char *answered [] = { "req-slow", "req-slow2", "req-waits" };
    int seen = 0;
    for (int i = 0; i < 3; i++) {
        msg = s_expect (&b, PL_W_REPLY, NULL);
        CHECK (msg && zmsg_size (msg) == 3);
        zframe_t *request = zmsg_first (msg);
        CHECK (zframe_streq (zmsg_next (msg), "200"));
        for (int k = 0; k < 3; k++)
            if (zframe_streq (request, answered [k]))
                seen |= 1 << k;
        zmsg_destroy (&msg);
    }
    CHECK (seen == 7);
    //  12. a query past the deadline the broker gave it is answered 504,
    //  by the worker, with its reason
    s_send_query (&b, "req-late", "meeting.show", json_pack ("{s:s}", "id", "late"), 100);
    CHECK (s_expect_reply (&b, "req-late", "504", "ran past its deadline of 100 ms") == 0);
    runner.stop = 1;
    msg = s_expect (&b, PL_W_DISCONNECT, NULL);
    CHECK (msg);
    zmsg_destroy (&msg);
    pthread_join (thread, NULL);
    started = 0;
    CHECK (runner.rc == 0);
    pl_worker_destroy (&runner.worker);
    CHECK (store.readers == 0);
    zframe_destroy (&b.identity);
    zsock_destroy (&b.router);
    printf ("test_worker: ok\n");
    return 0;
fail:
    zmsg_destroy (&msg);
    zframe_destroy (&body);
    if (started) {
        runner.stop = 1;
        pthread_join (thread, NULL);
    }
    pl_worker_destroy (&runner.worker);
    zframe_destroy (&b.identity);
    zsock_destroy (&b.router);
    printf ("test_worker: FAIL\n");
    return 1;
}

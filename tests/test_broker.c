/*  test_broker — black-box tests of plenaryd speaking raw PLC01/PLW01 frames.

    Each test starts the real plenaryd (fork/exec from $PL_BUILD) on
    tcp://127.0.0.1:* with a mktemp -d data folder, waits (bounded) for
    DATA/plenaryd.ready, talks to it with plain DEALER sockets, and stops it
    with SIGTERM (checking exit status 0) or SIGKILL.  Nothing here uses the
    client or worker library, so a broker bug cannot hide behind them.
        test_broker [idempotency|garbage|worker|park|park-restart|restart|as-role|withhold|many|many-logged]...
    Every wait is a bounded poll; no test sleeps to synchronise.  The broker
    process and the raw frames are in broker_frames.c. */
#include "broker_frames.h"
#include "pl_codec.h"
#include "pl_proto.h"
#define PL_TEST_ON_FAIL return -1
#include "pl_test.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


//  --------------------------------------------------------------------------
//  The tests

static int
s_test_idempotency (frames_broker_t *broker)
{
    zsock_t *client = frames_dealer (broker->frontend);
    void *data = NULL, *other = NULL;
    size_t size = frames_participant (&data, "Łukasiewicz");
    size_t other_size = frames_participant (&other, "Kowalska");
    uint64_t seq = 0;
    uint8_t duplicate = 0;
    frames_publish_send (client, "c1", "participant.registered", "reg-1", data, size);
    CHECK (frames_expect_ack (client, "c1", &seq, &duplicate) == 0 && seq == 1 && duplicate == 0);
    frames_publish_send (client, "c2", "participant.registered", "reg-1", data, size);
    CHECK (frames_expect_ack (client, "c2", &seq, &duplicate) == 0 && seq == 1 && duplicate == 1);
    frames_publish_send (client, "c3", "participant.registered", "reg-1", other, other_size);
    CHECK (frames_expect_error (client, "c3", 409, "reg-1") == 0);
    json_t *cancel = json_pack ("{s:s}", "id", "ccm-msp11");
    void *cancel_data = NULL;
    size_t cancel_size = 0;
    char err [PL_ERR_MAX];
    CHECK (pl_codec_encode ("meeting.cancelled", cancel, &cancel_data, &cancel_size, err, sizeof err) == 0);
    json_decref (cancel);
    frames_publish_send (client, "c4", "meeting.cancelled", "reg-1", cancel_data, cancel_size);
    free (cancel_data);
    CHECK (frames_expect_error (client, "c4", 409, "different topic") == 0);
    //  The same new event twice in a row: one batch or two, one seq.
    frames_publish_send (client, "c5", "participant.registered", "reg-2", other, other_size);
    frames_publish_send (client, "c6", "participant.registered", "reg-2", other, other_size);
    frames_publish_send (client, "c7", "participant.registered", "reg-2", data, size);
    //  Replies to different corrs may come in any order (the 409 needs no
    //  commit): collect the three, then check each.
    int seen = 0;
    for (int i = 0; i < 3; i++) {
        zmsg_t *msg = zmsg_recv (client);
        CHECK (msg);
        uint8_t command = 0;
        zmsg_first (msg);
        pl_frame_get_byte (zmsg_next (msg), &command);
        zframe_t *corr = zmsg_next (msg);
        if (zframe_streq (corr, "c7")) {
            char text [200] = "";
            CHECK (command == PL_C_ERROR && zframe_streq (zmsg_next (msg), "409"));
            pl_frame_get_str (zmsg_next (msg), text, sizeof text);
            CHECK (strstr (text, "reg-2"));
            seen |= 4;
        }
        else {
            int first = zframe_streq (corr, "c5");
            CHECK (command == PL_C_ACK);
            CHECK (pl_frame_get_u64 (zmsg_next (msg), &seq) == 0 && seq == 2);
            CHECK (pl_frame_get_byte (zmsg_next (msg), &duplicate) == 0 && duplicate == !first);
            seen |= first ? 1 : 2;
        }
        zmsg_destroy (&msg);
    }
    CHECK (seen == 7);
    //  Pipelined: a logged id again, a new event, a logged id with another
    //  payload, the new one again.  The insert finds the logged ids and only
    //  reg-3 is written.  The 409 is "already seq 1" when c10 is alone in its
    //  batch, "just published" when c8 is in it too (sent before the ACKs).
    frames_publish_send (client, "c8", "participant.registered", "reg-1", data, size);
    frames_publish_send (client, "c9", "participant.registered", "reg-3", data, size);
    frames_publish_send (client, "c10", "participant.registered", "reg-1", other, other_size);
    frames_publish_send (client, "c11", "participant.registered", "reg-3", data, size);
    seen = 0;
    for (int i = 0; i < 4; i++) {
        zmsg_t *msg = zmsg_recv (client);
        CHECK (msg);
        uint8_t command = 0;
        zmsg_first (msg);
        pl_frame_get_byte (zmsg_next (msg), &command);
        char corr [8] = "", text [200] = "";
        pl_frame_get_str (zmsg_next (msg), corr, sizeof corr);
        if (streq (corr, "c10")) {
            CHECK (command == PL_C_ERROR && zframe_streq (zmsg_next (msg), "409"));
            pl_frame_get_str (zmsg_next (msg), text, sizeof text);
            CHECK (strstr (text, "event id reg-1 ") && strstr (text, "with a different payload"));
            seen |= 4;
        }
        else {
            CHECK (command == PL_C_ACK);
            CHECK (pl_frame_get_u64 (zmsg_next (msg), &seq) == 0);
            CHECK (pl_frame_get_byte (zmsg_next (msg), &duplicate) == 0);
            CHECK (streq (corr, "c8") ? seq == 1 && duplicate == 1
                 : streq (corr, "c9") ? seq == 3 && duplicate == 0
                 : streq (corr, "c11") && seq == 3 && duplicate == 1);
            seen |= streq (corr, "c8") ? 1 : streq (corr, "c9") ? 2 : 8;
        }
        zmsg_destroy (&msg);
    }
    CHECK (seen == 15);
    CHECK (frames_status_int (client, "events") == 3);
    CHECK (frames_status_int (client, "last_seq") == 3);

    //  Another encoder's retry of reg-1: keys in reverse order, a nil for
    //  an absent field, integers in larger formats would be too.  It is the
    //  same event in canonical form: a duplicate, not a conflict.
    json_t *reversed = json_pack ("{s:s, s:n, s:s, s:s, s:s}", "delegation", "PL",
                                  "email", "given_name", "Анна 安娜",
                                  "family_name", "Łukasiewicz", "meeting", "ccm-msp11");
    void *raw = NULL;
    size_t raw_size = 0;
    CHECK (pl_codec_pack_raw (reversed, &raw, &raw_size) == 0);
    CHECK (raw_size != size || memcmp (raw, data, size));
    frames_publish_send (client, "c12", "participant.registered", "reg-1", raw, raw_size);
    CHECK (frames_expect_ack (client, "c12", &seq, &duplicate) == 0 && seq == 1 && duplicate == 1);
    //  A new event from that encoder is logged and published in canonical
    //  form: the subscriber gets the bytes pl_codec_encode makes.
    zsock_t *sub = zsock_new_sub (broker->pub, "participant.");
    zsock_set_rcvtimeo (sub, FRAMES_WAIT_MS);
    CHECK (frames_ping (client, "sub-settle") == 0);
    int64_t until = zclock_mono () + FRAMES_WAIT_MS;
    zmsg_t *note = NULL;
    for (int i = 0; !note && zclock_mono () < until; i++) {
        //  a slow joiner misses the first publishes: new ids until one arrives
        char id [16];
        snprintf (id, sizeof id, "raw-%d", i);
        frames_publish_send (client, id, "participant.registered", id, raw, raw_size);
        CHECK (frames_expect_ack (client, id, &seq, &duplicate) == 0 && duplicate == 0);
        zsock_set_rcvtimeo (sub, 100);
        note = zmsg_recv (sub);
    }
    CHECK (note && zmsg_size (note) == 4);
    zframe_t *published = zmsg_last (note);
    CHECK (zframe_size (published) == size && memcmp (zframe_data (published), data, size) == 0);
    zmsg_destroy (&note);
    zsock_destroy (&sub);
    json_decref (reversed);
    free (raw);
    free (data);
    free (other);
    zsock_destroy (&client);
    return 0;
}

static int
s_test_garbage (frames_broker_t *broker)
{
    zsock_t *bad = frames_dealer (broker->frontend);
    zsock_t *good = frames_dealer (broker->frontend);
    void *data = NULL;
    size_t size = frames_participant (&data, "Ginsburg");

    zmsg_t *msg = zmsg_new ();
    zmsg_addstr (msg, "PLX99");
    pl_frame_put_byte (msg, PL_C_PING);
    zmsg_addstr (msg, "g1");
    zmsg_send (&msg, bad);
    CHECK (frames_expect_error (bad, "g1", 400, "protocol header PLC01") == 0);
    CHECK (frames_ping (good, "ok1") == 0);

    msg = frames_client_msg (0x55, "g2");
    zmsg_send (&msg, bad);
    CHECK (frames_expect_error (bad, "g2", 400, "unknown command 0x55") == 0);

    msg = frames_client_msg (PL_C_PUBLISH, "g3");
    zmsg_addstr (msg, "participant.registered");
    zmsg_send (&msg, bad);
    CHECK (frames_expect_error (bad, "g3", 400, "expected 3 frames") == 0);

    //  An unreadable corr is answered with an empty one, which no client
    //  can have chosen: "-" is a valid corr and must stay the client's.
    msg = frames_client_msg (PL_C_PING, "bad corr");
    zmsg_send (&msg, bad);
    CHECK (frames_expect_error (bad, "", 400, "corr") == 0);
    CHECK (frames_ping (bad, "-") == 0);

    //  A service no query belongs to is unknown (404); a known service that
    //  does not answer this query is a bad request (400).
    frames_query_send (bad, "q-none", "nosuch", "broker.status", NULL);
    CHECK (frames_expect_error (bad, "q-none", 404, "no service nosuch") == 0);
    frames_query_send (bad, "q-wrong", "records", "broker.status", NULL);
    CHECK (frames_expect_error (bad, "q-wrong", 400, "answered by service broker, not records") == 0);

    frames_publish_send (bad, "g4", "participant.registered", "t-1", data, size - 1);
    CHECK (frames_expect_error (bad, "g4", 400, "participant.registered: truncated msgpack") == 0);

    void *raw = NULL;
    size_t raw_size = 0;
    json_t *array = json_pack ("[s, i]", "x", 1);
    pl_codec_pack_raw (array, &raw, &raw_size);
    json_decref (array);
    frames_publish_send (bad, "g5", "participant.registered", "t-2", raw, raw_size);
    free (raw);
    CHECK (frames_expect_error (bad, "g5", 400, "payload must be a map") == 0);
    CHECK (frames_ping (good, "ok2") == 0);

    char long_name [200];
    memset (long_name, 'x', sizeof long_name - 1);
    long_name [sizeof long_name - 1] = 0;
    json_t *object = json_pack ("{s:s, s:s, s:s}", "meeting", "ccm-msp11",
                                "family_name", long_name, "delegation", "PL");
    pl_codec_pack_raw (object, &raw, &raw_size);
    json_decref (object);
    frames_publish_send (bad, "g6", "participant.registered", "t-3", raw, raw_size);
    free (raw);
    CHECK (frames_expect_error (bad, "g6", 400, "family_name: longer than 128 bytes") == 0);
    //  A name of spaces and a character that shows nothing (U+3000) is no name
    object = json_pack ("{s:s, s:s, s:s}", "meeting", "ccm-msp11",
                        "family_name", "  \xE3\x80\x80 ", "delegation", "PL");
    pl_codec_pack_raw (object, &raw, &raw_size);
    json_decref (object);
    frames_publish_send (bad, "g14", "participant.registered", "t-7", raw, raw_size);
    free (raw);
    CHECK (frames_expect_error (bad, "g14", 400,
                                "participant.registered: family_name: must contain a visible "
                                "character") == 0);

    frames_publish_send (bad, "g7", "participant.teleported", "t-4", data, size);
    CHECK (frames_expect_error (bad, "g7", 404, "unknown topic 'participant.teleported'") == 0);

    frames_publish_send (bad, "g8", "participant.registered", "has space", data, size);
    CHECK (frames_expect_error (bad, "g8", 400, "event_id") == 0);

    msg = frames_client_msg (PL_C_RECEIPT, "g9");
    zmsg_addmem (msg, "\0\0\0\0\0\0\1", 7);
    zmsg_addstr (msg, "records");
    pl_frame_put_u32 (msg, 100);
    zmsg_send (&msg, bad);
    CHECK (frames_expect_error (bad, "g9", 400, "exactly 8 bytes") == 0);

    msg = frames_client_msg (PL_C_QUERY, "g10");
    zmsg_addstr (msg, "broker");
    zmsg_addstr (msg, "meeting.list");
    zmsg_addmem (msg, "\x80", 1);
    zmsg_send (&msg, bad);
    CHECK (frames_expect_error (bad, "g10", 400, "service records") == 0);

    msg = frames_client_msg (PL_C_QUERY, "g11");
    zmsg_addstr (msg, "records");
    zmsg_addstr (msg, "meeting.list");
    zmsg_addmem (msg, "\x80", 1);
    zmsg_send (&msg, bad);
    CHECK (frames_expect_error (bad, "g11", 503, "no worker offers service records") == 0);

    //  Over max_frame (4000 here) but under max_message: refused with 413.
    char *big = calloc (1, 200000);
    frames_publish_send (bad, "g12", "participant.registered", "t-5", big, 5000);
    CHECK (frames_expect_error (bad, "g12", 413, "max_frame") == 0);
    CHECK (frames_ping (good, "ok3") == 0);
    //  Over max_message (100000 here): ZeroMQ drops the connection, no reply.
    frames_publish_send (bad, "g13", "participant.registered", "t-6", big, 200000);
    free (big);
    zsock_set_rcvtimeo (bad, 500);
    msg = zmsg_recv (bad);
    CHECK (msg == NULL);
    CHECK (frames_ping (good, "ok4") == 0);

    //  Nothing of the above was written; valid publishes still work.
    uint64_t seq = frames_publish_new (good, "valid-1", "Ginsburg");
    CHECK (seq == 1);
    zsock_t *fresh = frames_dealer (broker->frontend);
    CHECK (frames_publish_new (fresh, "valid-2", "Ginsburg-2") == 2);
    CHECK (frames_status_int (fresh, "events") == 2);
    zsock_destroy (&fresh);
    free (data);
    zsock_destroy (&bad);
    zsock_destroy (&good);
    return 0;
}

static int
s_test_worker (frames_broker_t *broker)
{
    zsock_t *client = frames_dealer (broker->frontend);
    for (int i = 1; i <= 4; i++) {
        char id [16];
        snprintf (id, sizeof id, "w-%d", i);
        CHECK (frames_publish_new (client, id, id) == (uint64_t) i);
    }
    //  A command before READY is refused with DISCONNECT.
    zsock_t *rogue = frames_dealer (broker->backend);
    frames_worker_send (rogue, PL_W_HEARTBEAT, NULL);
    frames_got_t got = { 0 };
    CHECK (frames_worker_next (rogue, FRAMES_WAIT_MS, 0, &got) == 0
           && got.command == PL_W_DISCONNECT);
    zsock_destroy (&rogue);
    //  A malformed READY (3-byte credit) too.
    rogue = frames_dealer (broker->backend);
    zmsg_t *body = zmsg_new ();
    zmsg_addstr (body, "testers");
    zmsg_addstr (body, "*");
    zmsg_addstr (body, "");
    zmsg_addmem (body, "\0\0\1", 3);
    pl_frame_put_u64 (body, 0);
    frames_worker_send (rogue, PL_W_READY, body);
    CHECK (frames_worker_next (rogue, FRAMES_WAIT_MS, 0, &got) == 0
           && got.command == PL_W_DISCONNECT);
    zsock_destroy (&rogue);
    //  Verdict notifications; the subscription has the seconds below to
    //  reach the broker before the first verdict.
    zsock_t *sub = zsock_new_sub (broker->pub, "$verdict.testers");
    zsock_set_rcvtimeo (sub, FRAMES_WAIT_MS);

    //  Credit 2: two events, then nothing while only heartbeats flow (for
    //  longer than liveness x heartbeat: heartbeats keep it alive).
    zsock_t *first = frames_dealer (broker->backend);
    frames_ready (first, "testers", "participant.*", "", 2, 0);
    CHECK (frames_expect_event (first, 1, 1) == 0);
    CHECK (frames_expect_event (first, 2, 1) == 0);
    CHECK (frames_worker_next (first, 1000, 1, &got) == -1);
    frames_verdict (first, 1, "applied", "");
    frames_verdict (first, 2, "rejected", "meeting ccm-msp11 does not exist");
    CHECK (frames_expect_event (first, 3, 1) == 0);
    CHECK (frames_expect_event (first, 4, 1) == 0);
    CHECK (frames_expect_verdict (client, 2, "testers", "rejected",
                                  "ccm-msp11 does not exist") == 0);
    for (uint64_t seq = 1; seq <= 2; seq++) {
        zmsg_t *note = zmsg_recv (sub);
        CHECK (note && zmsg_size (note) == 4);
        uint64_t note_seq = 0;
        CHECK (zframe_streq (zmsg_first (note), "$verdict.testers"));
        CHECK (pl_frame_get_u64 (zmsg_next (note), &note_seq) == 0 && note_seq == seq);
        CHECK (zframe_streq (zmsg_next (note), seq == 1 ? "applied" : "rejected"));
        zmsg_destroy (&note);
    }
    zsock_destroy (&sub);
    CHECK (frames_expect_verdict (client, 1, "testers", "applied", "") == 0);
    frames_receipt_send (client, "r3", 3, "testers", 200);
    CHECK (frames_expect_error (client, "r3", 504, "group testers has not applied seq 3 within 200 ms") == 0);
    frames_receipt_send (client, "r99", 99, "testers", 200);
    CHECK (frames_expect_error (client, "r99", 404, "seq 99") == 0);

    //  A standby gets nothing while the consumer lives...
    zsock_t *standby = frames_dealer (broker->backend);
    frames_ready (standby, "testers", "participant.*", "", 10, 0);
    int64_t until = zclock_mono () + 800;
    while (zclock_mono () < until) {
        frames_worker_send (first, PL_W_HEARTBEAT, NULL);
        CHECK (frames_worker_next (standby, 100, 1, &got) == -1);
    }
    //  ...and takes over from its own cursor when the consumer goes silent:
    //  1 and 2 replayed, 3 and 4 redelivered (attempt 2).
    CHECK (frames_expect_event (standby, 1, 0) == 0);
    CHECK (frames_expect_event (standby, 2, 0) == 0);
    CHECK (frames_expect_event (standby, 3, 2) == 0);
    CHECK (frames_expect_event (standby, 4, 2) == 0);
    frames_verdict (standby, 1, "applied", "");
    frames_verdict (standby, 2, "rejected", "meeting ccm-msp11 does not exist");
    frames_verdict (standby, 3, "applied", "");
    frames_verdict (standby, 4, "rejected", "a later reason");
    CHECK (frames_expect_verdict (client, 4, "testers", "rejected", "a later reason") == 0);
    CHECK (frames_expect_verdict (client, 3, "testers", "applied", "") == 0);
    CHECK (frames_expect_verdict (client, 2, "testers", "rejected", "does not exist") == 0);
    //  New events flow to the new consumer.
    CHECK (frames_publish_new (client, "w-5", "w-5") == 5);
    CHECK (frames_expect_event (standby, 5, 1) == 0);
    json_t *status = frames_broker_query (client, "broker.status");
    CHECK (status);
    json_t *group = json_array_get (json_object_get (status, "groups"), 0);
    CHECK (json_integer_value (json_object_get (group, "acked_through")) == 4);
    CHECK (json_integer_value (json_object_get (group, "in_flight")) == 1);
    json_decref (status);
    //  A longer wait than --max-receipt-wait is cut to it.
    frames_receipt_send (client, "r5-long", 5, "testers", 60000);
    CHECK (frames_expect_error (client, "r5-long", 504, "has not applied seq 5 within 400 ms") == 0);
    zsock_destroy (&first);
    zsock_destroy (&standby);
    zsock_destroy (&client);
    return 0;
}

static int
s_test_park (frames_broker_t *broker)
{
    zsock_t *client = frames_dealer (broker->frontend);
    CHECK (frames_publish_new (client, "poison", "Poison") == 1);
    CHECK (frames_publish_new (client, "healthy", "Healthy") == 2);
    zsock_t *worker = frames_dealer (broker->backend);
    frames_ready (worker, "testers", "*", "", 1, 0);
    //  Never a verdict for 1: redelivered after each ack timeout, then parked.
    CHECK (frames_expect_event (worker, 1, 1) == 0);
    CHECK (frames_expect_event (worker, 1, 2) == 0);
    CHECK (frames_expect_event (worker, 1, 3) == 0);
    CHECK (frames_expect_event (worker, 2, 1) == 0);
    CHECK (frames_expect_verdict (client, 1, "testers", "parked",
                                  "no verdict after 3 deliveries") == 0);
    json_t *dlq = frames_broker_query (client, "dlq.list");
    CHECK (dlq);
    json_t *item = json_array_get (json_object_get (dlq, "items"), 0);
    CHECK (json_array_size (json_object_get (dlq, "items")) == 1);
    CHECK (json_integer_value (json_object_get (item, "seq")) == 1);
    CHECK (json_integer_value (json_object_get (item, "attempts")) == 3);
    CHECK (strcmp (json_string_value (json_object_get (item, "event_id")), "poison") == 0);
    CHECK (strcmp (json_string_value (json_object_get (item, "group")), "testers") == 0);
    json_decref (dlq);
    frames_verdict (worker, 2, "applied", "");
    CHECK (frames_expect_verdict (client, 2, "testers", "applied", "") == 0);
    CHECK (frames_status_int (client, "dead_letters") == 1);
    zsock_destroy (&worker);
    zsock_destroy (&client);
    return 0;
}

//  Delivery attempts survive a broker crash: killed after 2 deliveries of a
//  poison event, the restarted broker parks it after ONE more (of 3).  A
//  verdict clears the stored count: an event applied out of order (after a
//  redelivery) comes again as attempt 1 after the restart, not attempt 3.
static int
s_test_park_restart (frames_broker_t *broker)
{
    zsock_t *client = frames_dealer (broker->frontend);
    CHECK (frames_publish_new (client, "poison", "Poison") == 1);
    CHECK (frames_publish_new (client, "healthy", "Healthy") == 2);
    zsock_t *sub = zsock_new_sub (broker->pub, "$verdict.others");
    CHECK (sub);
    zsock_set_rcvtimeo (sub, FRAMES_WAIT_MS);
    zsock_t *worker = frames_dealer (broker->backend);
    zsock_t *other = frames_dealer (broker->backend);
    frames_ready (worker, "testers", "*", "", 1, 0);
    frames_ready (other, "others", "*", "", 2, 0);
    CHECK (frames_expect_event (worker, 1, 1) == 0);
    CHECK (frames_expect_event (worker, 1, 2) == 0);
    //  others: both redelivered, then 2 applied while 1 stays open.
    CHECK (frames_expect_event (other, 1, 1) == 0);
    CHECK (frames_expect_event (other, 2, 1) == 0);
    CHECK (frames_expect_event (other, 1, 2) == 0);
    CHECK (frames_expect_event (other, 2, 2) == 0);
    frames_verdict (other, 2, "applied", "");
    zmsg_t *note = zmsg_recv (sub);     //  the broker has taken the verdict
    CHECK (note && zframe_streq (zmsg_first (note), "$verdict.others"));
    zmsg_destroy (&note);
    //  The next group commit persists the attempts: its ACK says it is done.
    CHECK (frames_publish_new (client, "later", "Later") == 3);
    zsock_destroy (&worker);
    zsock_destroy (&other);
    zsock_destroy (&sub);
    zsock_destroy (&client);
    CHECK (frames_broker_stop (broker, SIGKILL) == 128 + SIGKILL);
    CHECK (frames_broker_start (broker) == 0);
    client = frames_dealer (broker->frontend);
    worker = frames_dealer (broker->backend);
    other = frames_dealer (broker->backend);
    frames_ready (worker, "testers", "*", "", 1, 0);
    frames_ready (other, "others", "*", "", 1, 0);
    CHECK (frames_expect_event (worker, 1, 3) == 0);
    CHECK (frames_expect_event (other, 1, 3) == 0);
    frames_verdict (other, 1, "applied", "");
    CHECK (frames_expect_event (other, 2, 1) == 0);
    CHECK (frames_expect_event (worker, 2, 1) == 0);
    CHECK (frames_expect_verdict (client, 1, "testers", "parked",
                                  "no verdict after 3 deliveries") == 0);
    json_t *dlq = frames_broker_query (client, "dlq.list");
    CHECK (dlq);
    json_t *item = json_array_get (json_object_get (dlq, "items"), 0);
    CHECK (json_array_size (json_object_get (dlq, "items")) == 1);
    CHECK (json_integer_value (json_object_get (item, "seq")) == 1);
    CHECK (json_integer_value (json_object_get (item, "attempts")) == 3);
    CHECK (strcmp (json_string_value (json_object_get (item, "group")), "testers") == 0);
    json_decref (dlq);
    zsock_destroy (&worker);
    zsock_destroy (&other);
    zsock_destroy (&client);
    return 0;
}

//  A broker whose loopback role is below the secretariat lets anyone on
//  the host follow the live stream as that role: verdicts go out there
//  without their reasons (which may name a person); receipts keep them.
static int
s_test_withhold (frames_broker_t *broker)
{
    zsock_t *client = frames_dealer (broker->frontend);
    CHECK (frames_publish_new (client, "wh-1", "Łukasiewicz") == 1);
    zsock_destroy (&client);
    CHECK (frames_broker_stop (broker, SIGTERM) == 0);
    static const char *delegate [] = { "--loopback-role", "delegate", NULL };
    memcpy (broker->flags, delegate, sizeof delegate);
    CHECK (frames_broker_start (broker) == 0);
    client = frames_dealer (broker->frontend);
    zsock_t *sub = zsock_new_sub (broker->pub, "$verdict.");
    zsock_set_rcvtimeo (sub, FRAMES_WAIT_MS);
    CHECK (frames_ping (client, "settle") == 0);
    zsock_t *worker = frames_dealer (broker->backend);
    frames_ready (worker, "testers", "participant.*", "", 10, 0);
    CHECK (frames_expect_event (worker, 1, 1) == 0);
    frames_verdict (worker, 1, "rejected", "Łukasiewicz, Zofia (PL) is already registered");
    zmsg_t *note = zmsg_recv (sub);
    CHECK (note && zmsg_size (note) == 4);
    zmsg_first (note);
    zmsg_next (note);
    CHECK (zframe_streq (zmsg_next (note), "rejected"));
    CHECK (zframe_size (zmsg_next (note)) == 0);
    zmsg_destroy (&note);
    CHECK (frames_expect_verdict (client, 1, "testers", "rejected", "already registered") == 0);
    zsock_destroy (&worker);
    zsock_destroy (&sub);
    zsock_destroy (&client);
    return 0;
}

//  A connection may query as a lower role than its own, never a higher one.
static int
s_test_as_role (frames_broker_t *broker)
{
    zsock_t *client = frames_dealer (broker->frontend);
    frames_query_send (client, "up", "broker", "broker.status", "secretariat");
    CHECK (frames_expect_error (client, "up", 403,
                                "as_role secretariat is above this connection's role delegate") == 0);
    frames_query_send (client, "down", "broker", "broker.status", "public");
    zmsg_t *reply = frames_expect (client, PL_C_REPLY, "down");
    CHECK (reply);
    zmsg_destroy (&reply);
    frames_query_send (client, "same", "broker", "broker.status", "delegate");
    reply = frames_expect (client, PL_C_REPLY, "same");
    CHECK (reply);
    zmsg_destroy (&reply);
    zsock_destroy (&client);
    return 0;
}

static int
s_test_restart (frames_broker_t *broker)
{
    zsock_t *client = frames_dealer (broker->frontend);
    for (int i = 1; i <= 3; i++) {
        char id [16];
        snprintf (id, sizeof id, "r-%d", i);
        CHECK (frames_publish_new (client, id, id) == (uint64_t) i);
    }
    zsock_destroy (&client);
    CHECK (frames_broker_stop (broker, SIGKILL) == 128 + SIGKILL);
    CHECK (frames_broker_start (broker) == 0);
    client = frames_dealer (broker->frontend);
    CHECK (frames_status_int (client, "events") == 3);
    void *data = NULL;
    size_t size = frames_participant (&data, "r-2");
    frames_publish_send (client, "again", "participant.registered", "r-2", data, size);
    free (data);
    uint64_t seq = 0;
    uint8_t duplicate = 0;
    CHECK (frames_expect_ack (client, "again", &seq, &duplicate) == 0
           && seq == 2 && duplicate == 1);
    CHECK (frames_publish_new (client, "r-4", "r-4") == 4);
    zsock_destroy (&client);
    return 0;
}


//  --------------------------------------------------------------------------
//  PUBLISH_MANY and ACKS

typedef struct {
    const char *topic;
    const char *event_id;
    const void *payload;
    size_t size;
} s_many_t;

//  Send PUBLISH_MANY of the COUNT events as CORR (one events frame).
static void
s_many_send (zsock_t *sock, const char *corr, const s_many_t *events, size_t count)
{
    size_t size = 4;
    for (size_t i = 0; i < count; i++)
        size += pl_many_size (strlen (events [i].topic), strlen (events [i].event_id),
                              events [i].size);
    zframe_t *frame = zframe_new (NULL, size);
    uint8_t *at = zframe_data (frame);
    for (int shift = 24; shift >= 0; shift -= 8)
        *at++ = (uint8_t) (count >> shift);
    for (size_t i = 0; i < count; i++)
        at += pl_many_put (at, events [i].topic, events [i].event_id, events [i].payload,
                           events [i].size);
    zmsg_t *msg = frames_client_msg (PL_C_PUBLISH_MANY, corr);
    zmsg_append (msg, &frame);
    zmsg_send (&msg, sock);
}

//  Send the raw events frame BYTES (SIZE) as a PUBLISH_MANY.
static void
s_many_send_raw (zsock_t *sock, const char *corr, const void *bytes, size_t size)
{
    zmsg_t *msg = frames_client_msg (PL_C_PUBLISH_MANY, corr);
    zmsg_addmem (msg, bytes, size);
    zmsg_send (&msg, sock);
}

typedef struct {
    int status;
    uint64_t seq;
    int duplicate;
    char text [300];            //  "" for 200
} s_result_t;

//  Expect ACKS to CORR with COUNT results into RESULTS.  0 or -1.
static int
s_acks_expect (zsock_t *sock, const char *corr, s_result_t *results, size_t count)
{
    zmsg_t *msg = frames_expect (sock, PL_C_ACKS, corr);
    CHECK (msg);
    zframe_t *frame = zmsg_next (msg);
    CHECK (frame && zframe_size (frame) == count * PL_ACKS_RECORD);
    const uint8_t *record = zframe_data (frame);
    size_t texts = 0;
    for (size_t i = 0; i < count; i++, record += PL_ACKS_RECORD) {
        results [i].status = record [0] << 8 | record [1];
        results [i].seq = 0;
        for (int byte = 2; byte < 10; byte++)
            results [i].seq = results [i].seq << 8 | record [byte];
        results [i].duplicate = record [10];
        results [i].text [0] = 0;
        if (results [i].status != PL_OK) {
            CHECK (pl_frame_get_str (zmsg_next (msg), results [i].text,
                                     sizeof results [i].text) == 0);
            texts++;
        }
    }
    CHECK (zmsg_next (msg) == NULL);      //  a text per result not 200, no more
    zmsg_destroy (&msg);
    return 0;
}

static int
s_test_many (frames_broker_t *broker)
{
    //  The broker runs with --max-batch 4: a request of eight events spans
    //  commits, and its ACKS leaves once the last of them is durable.
    zsock_t *client = frames_dealer (broker->frontend);
    void *anna = NULL, *maria = NULL, *bad = NULL;
    size_t anna_size = frames_participant (&anna, "Anna");
    size_t maria_size = frames_participant (&maria, "Maria");
    json_t *invalid = json_pack ("{s:s, s:s}", "meeting", "ccm-msp11", "family_name", "X");
    size_t bad_size = 0;
    CHECK (pl_codec_pack_raw (invalid, &bad, &bad_size) == 0);     //  no delegation
    json_decref (invalid);
    CHECK (frames_publish_new (client, "m-old", "Old") == 1);

    s_many_t events [] = {
        { "participant.registered", "m-1", anna, anna_size },      //  new: seq 2
        { "participant.registered", "m-2", maria, maria_size },    //  new: seq 3
        { "participant.registered", "m-3", bad, bad_size },        //  400, names the field
        { "participant.registered", "m-1", anna, anna_size },      //  again in the request
        { "participant.registered", "m-2", anna, anna_size },      //  409: other payload
        { "participant.unheard", "m-4", anna, anna_size },         //  404
        { "participant.registered", "m-old", NULL, 0 },            //  logged before: dup
        { "participant.registered", "m-5", maria, maria_size },    //  new: seq 4
    };
    void *old = NULL;
    events [6].size = frames_participant (&old, "Old");
    events [6].payload = old;
    s_many_send (client, "many-1", events, 8);
    s_result_t results [8];
    CHECK (s_acks_expect (client, "many-1", results, 8) == 0);
    CHECK (results [0].status == 200 && results [0].seq == 2 && !results [0].duplicate);
    CHECK (results [1].status == 200 && results [1].seq == 3 && !results [1].duplicate);
    CHECK (results [2].status == 400
           && streq (results [2].text, "participant.registered: delegation: required"));
    CHECK (results [3].status == 200 && results [3].seq == 2 && results [3].duplicate);
    CHECK (results [4].status == 409 && strstr (results [4].text, "m-2"));
    CHECK (results [5].status == 404 && strstr (results [5].text, "participant.unheard"));
    CHECK (results [6].status == 200 && results [6].seq == 1 && results [6].duplicate);
    CHECK (results [7].status == 200 && results [7].seq == 4 && !results [7].duplicate);
    CHECK (frames_status_int (client, "events") == 4);

    //  Malformed requests are refused whole, naming what is wrong, and
    //  nothing of them is written.
    uint8_t zero [4] = { 0, 0, 0, 0 };
    s_many_send_raw (client, "empty", zero, sizeof zero);
    CHECK (frames_expect_error (client, "empty", 400, "count 0: must be 1 to 1024") == 0);
    uint8_t over [4] = { 0, 0, 0x04, 0x01 };
    s_many_send_raw (client, "over", over, sizeof over);
    CHECK (frames_expect_error (client, "over", 400, "count 1025") == 0);
    s_many_send_raw (client, "short", zero, 3);
    CHECK (frames_expect_error (client, "short", 400, "count of 4 bytes") == 0);
    //  Two events announced, the second cut inside its payload
    size_t one = pl_many_size (strlen ("participant.registered"), 3, maria_size);
    size_t size = 4 + 2 * one - 5;
    uint8_t *cut = calloc (1, 4 + 2 * one);
    CHECK (cut);
    cut [3] = 2;
    pl_many_put (cut + 4, "participant.registered", "m-6", maria, maria_size);
    pl_many_put (cut + 4 + one, "participant.registered", "m-7", maria, maria_size);
    s_many_send_raw (client, "cut", cut, size);
    CHECK (frames_expect_error (client, "cut", 400, "event 1 of 2") == 0);
    //  One event announced, two sent: bytes after the last event
    cut [3] = 1;
    s_many_send_raw (client, "extra", cut, 4 + 2 * one);
    CHECK (frames_expect_error (client, "extra", 400, "bytes after the last of 1 events") == 0);
    free (cut);
    CHECK (frames_status_int (client, "events") == 4);

    //  Single PUBLISH and PUBLISH_MANY meet in one batch; each is answered
    //  in its own way, and the log holds each event once.
    s_many_t tail [] = {
        { "participant.registered", "m-8", maria, maria_size },
        { "participant.registered", "m-9", anna, anna_size },
    };
    frames_publish_send (client, "single", "participant.registered", "m-9", anna, anna_size);
    s_many_send (client, "many-2", tail, 2);
    uint64_t seq = 0;
    uint8_t duplicate = 0;
    CHECK (frames_expect_ack (client, "single", &seq, &duplicate) == 0 && seq == 5 && !duplicate);
    CHECK (s_acks_expect (client, "many-2", results, 2) == 0);
    CHECK (results [0].status == 200 && results [0].seq == 6 && !results [0].duplicate);
    CHECK (results [1].status == 200 && results [1].seq == 5 && results [1].duplicate);
    CHECK (frames_status_int (client, "events") == 6);
    free (anna);
    free (maria);
    free (bad);
    free (old);
    zsock_destroy (&client);

    //  A role that may not publish gets a 403 per event, and nothing is written.
    CHECK (frames_broker_stop (broker, SIGTERM) == 0);
    broker->flags [0] = "--loopback-role";
    broker->flags [1] = "delegate";
    broker->flags [2] = NULL;
    CHECK (frames_broker_start (broker) == 0);
    client = frames_dealer (broker->frontend);
    void *payload = NULL;
    size_t payload_size = frames_participant (&payload, "Delegate");
    s_many_t denied [] = { { "participant.registered", "d-1", payload, payload_size } };
    s_many_send (client, "denied", denied, 1);
    CHECK (s_acks_expect (client, "denied", results, 1) == 0);
    CHECK (results [0].status == 403 && strstr (results [0].text, "role delegate may not publish"));
    CHECK (frames_status_int (client, "events") == 6);
    free (payload);
    zsock_destroy (&client);
    return 0;
}

//  Enough events in one commit for the store's multi-row INSERT, some of
//  them logged before: each gets the right seq and duplicate flag.
static int
s_test_many_logged (frames_broker_t *broker)
{
    zsock_t *client = frames_dealer (broker->frontend);
    enum { COUNT = 100 };
    void *payload [COUNT];
    size_t size [COUNT];
    char ids [COUNT][16];
    s_many_t events [COUNT];
    for (int i = 0; i < COUNT; i++) {
        char family [16];
        snprintf (family, sizeof family, "F%d", i);
        snprintf (ids [i], sizeof ids [i], "x-%d", i);
        size [i] = frames_participant (&payload [i], family);
        events [i] = (s_many_t) { "participant.registered", ids [i], payload [i], size [i] };
    }
    //  x-40 .. x-49 are in the log first, as seqs 1 .. 10
    for (int i = 40; i < 50; i++) {
        char family [16];
        snprintf (family, sizeof family, "F%d", i);
        CHECK (frames_publish_new (client, ids [i], family) == (uint64_t) (i - 39));
    }
    //  x-45 comes back with another payload: 409
    events [45].payload = payload [0];
    events [45].size = size [0];
    s_many_send (client, "hundred", events, COUNT);
    s_result_t results [COUNT];
    CHECK (s_acks_expect (client, "hundred", results, COUNT) == 0);
    uint64_t next = 11;
    for (int i = 0; i < COUNT; i++) {
        if (i == 45)
            CHECK (results [i].status == 409 && strstr (results [i].text, "x-45"));
        else
        if (i >= 40 && i < 50)
            CHECK (results [i].status == 200 && results [i].seq == (uint64_t) (i - 39)
                   && results [i].duplicate);
        else
            CHECK (results [i].status == 200 && results [i].seq == next++
                   && !results [i].duplicate);
    }
    CHECK (frames_status_int (client, "events") == COUNT);
    //  All of them again: all duplicates, same seqs
    events [45].payload = payload [45];
    events [45].size = size [45];
    s_result_t again [COUNT];
    s_many_send (client, "again", events, COUNT);
    CHECK (s_acks_expect (client, "again", again, COUNT) == 0);
    for (int i = 0; i < COUNT; i++)
        CHECK (again [i].status == 200 && again [i].duplicate
               && (i == 45 ? again [i].seq == 6 : again [i].seq == results [i].seq));
    CHECK (frames_status_int (client, "events") == COUNT);
    for (int i = 0; i < COUNT; i++)
        free (payload [i]);
    zsock_destroy (&client);
    return 0;
}

static const frames_test_t s_tests [] = {
    { "idempotency", s_test_idempotency, { NULL } },
    { "garbage",     s_test_garbage,     { "--max-frame", "4000", "--max-message", "100000", "--query-timeout", "1000", NULL } },
    { "worker",      s_test_worker,      { "--heartbeat", "200", "--max-receipt-wait", "400", NULL } },
    { "park",        s_test_park,        { "--ack-timeout", "300", "--max-deliveries", "3", NULL } },
    { "park-restart", s_test_park_restart, { "--ack-timeout", "300", "--max-deliveries", "3", NULL } },
    { "restart",     s_test_restart,     { NULL } },
    { "as-role",     s_test_as_role,     { "--loopback-role", "delegate", NULL } },
    { "withhold",    s_test_withhold,    { NULL } },
    { "many",        s_test_many,        { "--max-batch", "4", NULL } },
    { "many-logged", s_test_many_logged, { NULL } },
};

int
main (int argc, char *argv [])
{
    return frames_main (argc, argv, s_tests, sizeof s_tests / sizeof s_tests [0]);
}

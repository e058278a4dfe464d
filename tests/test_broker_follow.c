/*  test_broker_follow — followers, spoken to in raw PLW01 frames.

    A group "views" follows the group "leads" for participant.*: it must get
    an event only after "leads" applied it, in log order; never one that
    "leads" rejected (the broker answers "skipped" for it); it waits while
    "leads" is unknown or behind, even across broker crashes; and a topic
    "leads" does not take reaches it without waiting.  Receipts for an
    unknown group are refused at once, and for a group that does not take
    the topic say "not-applicable".
        test_broker_follow [follow|follow-restart|follow-crash]...
    Every wait is bounded (broker_frames.h); nothing sleeps to synchronise. */
#include "broker_frames.h"
#include "pl_proto.h"
#define PL_TEST_ON_FAIL return -1
#include "pl_test.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define S_FOLLOWS "leads:participant.*"

//  The broker.status entry of GROUP (caller decrefs), or NULL.
static json_t *
s_group_status (zsock_t *client, const char *group)
{
    json_t *status = frames_broker_query (client, "broker.status");
    json_t *found = NULL, *item;
    size_t index;
    json_array_foreach (json_object_get (status, "groups"), index, item)
        if (strcmp (json_string_value (json_object_get (item, "group")), group) == 0)
            found = json_incref (item);
    json_decref (status);
    return found;
}

//  True when GROUP's status has FIELD equal to TEXT (NULL: FIELD absent).
static int
s_status_is (zsock_t *client, const char *group, const char *field, const char *text)
{
    json_t *item = s_group_status (client, group);
    const char *value = json_string_value (json_object_get (item, field));
    int same = text ? value && strcmp (value, text) == 0 : item && !value;
    if (!same)
        fprintf (stderr, "status of %s: %s is %s, wanted %s\n", group, field,
                 value ? value : "absent", text ? text : "absent");
    json_decref (item);
    return same;
}

//  Nothing but heartbeats reaches WORKER within MS.
static int
s_quiet (zsock_t *worker, int ms)
{
    frames_got_t got = { 0 };
    if (frames_worker_next (worker, ms, 1, &got) == 0) {
        fprintf (stderr, "wanted silence, got command 0x%02x seq=%llu\n", got.command,
                 (unsigned long long) got.seq);
        return 0;
    }
    return 1;
}

//  A READY that the broker must refuse with DISCONNECT.
static int
s_refused (frames_broker_t *broker, const char *group, const char *follows)
{
    zsock_t *rogue = frames_dealer (broker->backend);
    frames_ready_follows (rogue, group, "*", "", 1, 0, follows);
    frames_got_t got = { 0 };
    int refused = frames_worker_next (rogue, FRAMES_WAIT_MS, 0, &got) == 0
               && got.command == PL_W_DISCONNECT;
    zsock_destroy (&rogue);
    if (!refused)
        fprintf (stderr, "READY %s follows '%s' was not refused\n", group, follows);
    return refused;
}

static int
s_test_follow (frames_broker_t *broker)
{
    zsock_t *client = frames_dealer (broker->frontend);
    CHECK (frames_publish_new (client, "f-1", "One") == 1);
    CHECK (frames_publish_new (client, "f-2", "Two") == 2);
    CHECK (frames_publish_new (client, "f-3", "Three") == 3);
    zsock_t *sub = zsock_new_sub (broker->pub, "$verdict.views");
    zsock_set_rcvtimeo (sub, FRAMES_WAIT_MS);

    //  A leader the broker has never seen holds its follower back.
    zsock_t *views = frames_dealer (broker->backend);
    frames_ready_follows (views, "views", "participant.*", "", 10, 0, S_FOLLOWS);
    CHECK (s_quiet (views, 600));
    CHECK (s_status_is (client, "views", "waiting_on", "leads"));
    CHECK (s_status_is (client, "views", "follows", S_FOLLOWS));

    //  A receipt for a group nobody runs is refused at once, not after its
    //  timeout (60 s here, far beyond the bounded wait of frames_expect).
    frames_receipt_send (client, "r-nobody", 1, "nobody", 60000);
    CHECK (frames_expect_error (client, "r-nobody", 404, "group nobody is not known") == 0);

    //  The leader joins (it takes registrations only) and gets everything;
    //  the follower gets nothing before the leader's verdicts.
    zsock_t *leads = frames_dealer (broker->backend);
    frames_ready (leads, "leads", "participant.registered", "", 10, 0);
    CHECK (frames_expect_event (leads, 1, 1) == 0);
    CHECK (frames_expect_event (leads, 2, 1) == 0);
    CHECK (frames_expect_event (leads, 3, 1) == 0);
    CHECK (s_quiet (views, 300));
    frames_verdict (leads, 1, "applied", "");
    CHECK (frames_expect_event (views, 1, 1) == 0);
    CHECK (s_quiet (views, 300));
    frames_verdict (leads, 2, "rejected", "meeting ccm-msp11 does not exist");
    frames_verdict (leads, 3, "applied", "");
    //  2 never reaches the follower: the broker answers for it.
    CHECK (frames_expect_event (views, 3, 1) == 0);
    CHECK (frames_expect_verdict (client, 2, "views", "skipped",
                                  "leads rejected it: meeting ccm-msp11 does not exist") == 0);
    zmsg_t *note = zmsg_recv (sub);
    CHECK (note && zframe_streq (zmsg_first (note), "$verdict.views"));
    uint64_t note_seq = 0;
    CHECK (pl_frame_get_u64 (zmsg_next (note), &note_seq) == 0 && note_seq == 2);
    CHECK (zframe_streq (zmsg_next (note), "skipped"));
    zmsg_destroy (&note);
    zsock_destroy (&sub);

    //  A topic the leader does not take reaches the follower at once, and a
    //  receipt from the leader for it says it does not apply.
    CHECK (frames_publish_json (client, "f-4", "participant.token.issued",
           json_pack ("{s:s, s:s}", "participant", "p1", "token_hash",
                      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")) == 4);
    CHECK (frames_expect_event (views, 4, 1) == 0);
    CHECK (frames_expect_verdict (client, 4, "leads", "not-applicable",
                                  "group leads does not take participant.token.issued") == 0);
    frames_verdict (views, 1, "applied", "");
    frames_verdict (views, 3, "applied", "");
    frames_verdict (views, 4, "applied", "");
    CHECK (frames_expect_verdict (client, 4, "views", "applied", "") == 0);
    CHECK (frames_expect_verdict (client, 3, "views", "applied", "") == 0);
    CHECK (s_status_is (client, "views", "waiting_on", NULL));

    //  Follow declarations the broker refuses: a cycle, oneself, no pattern.
    CHECK (s_refused (broker, "leads", "views:*"));
    CHECK (s_refused (broker, "selfish", "selfish:*"));
    CHECK (s_refused (broker, "sloppy", "leads"));
    CHECK (s_refused (broker, "sloppy", "leads:meeting*"));
    zsock_destroy (&views);
    zsock_destroy (&leads);
    zsock_destroy (&client);
    return 0;
}

//  The leader's verdicts outlive a broker crash: a follower rebuilt from 0
//  afterwards is offered the same events, without the leader running, and
//  then waits for the leader on the next one.
static int
s_test_follow_restart (frames_broker_t *broker)
{
    zsock_t *client = frames_dealer (broker->frontend);
    for (int i = 1; i <= 3; i++) {
        char id [16];
        snprintf (id, sizeof id, "g-%d", i);
        CHECK (frames_publish_new (client, id, id) == (uint64_t) i);
    }
    zsock_t *leads = frames_dealer (broker->backend);
    zsock_t *views = frames_dealer (broker->backend);
    frames_ready (leads, "leads", "participant.*", "", 10, 0);
    frames_ready_follows (views, "views", "participant.*", "", 10, 0, S_FOLLOWS);
    for (uint64_t seq = 1; seq <= 3; seq++)
        CHECK (frames_expect_event (leads, seq, 1) == 0);
    frames_verdict (leads, 1, "applied", "");
    frames_verdict (leads, 2, "rejected", "delegation XX is not declared");
    frames_verdict (leads, 3, "applied", "");
    CHECK (frames_expect_event (views, 1, 1) == 0);
    CHECK (frames_expect_event (views, 3, 1) == 0);
    frames_verdict (views, 1, "applied", "");
    frames_verdict (views, 3, "applied", "");
    CHECK (frames_expect_verdict (client, 3, "views", "applied", "") == 0);
    //  The next group commit saves the verdicts and cursors with it.
    CHECK (frames_publish_new (client, "g-4", "g-4") == 4);
    zsock_destroy (&leads);
    zsock_destroy (&views);
    zsock_destroy (&client);
    CHECK (frames_broker_stop (broker, SIGKILL) == 128 + SIGKILL);
    CHECK (frames_broker_start (broker) == 0);

    client = frames_dealer (broker->frontend);
    views = frames_dealer (broker->backend);
    frames_ready_follows (views, "views", "participant.*", "", 10, 0, S_FOLLOWS);
    CHECK (frames_expect_event (views, 1, 0) == 0);
    CHECK (frames_expect_event (views, 3, 0) == 0);
    CHECK (s_quiet (views, 500));       //  4 waits for the leader
    CHECK (s_status_is (client, "views", "waiting_on", "leads"));
    CHECK (frames_expect_verdict (client, 2, "views", "skipped",
                                  "leads rejected it: delegation XX is not declared") == 0);
    leads = frames_dealer (broker->backend);
    frames_ready (leads, "leads", "participant.*", "", 10, 3);
    CHECK (frames_expect_event (leads, 4, 1) == 0);
    CHECK (s_quiet (views, 300));
    frames_verdict (leads, 4, "applied", "");
    CHECK (frames_expect_event (views, 4, 1) == 0);
    zsock_destroy (&leads);
    zsock_destroy (&views);
    zsock_destroy (&client);
    return 0;
}

//  A broker killed right after a follower acted on a leader's verdict
//  forgets nothing that matters: the leader answers its events again with
//  the verdicts it first gave, and the follower is offered exactly what the
//  leader applied.
static int
s_test_follow_crash (frames_broker_t *broker)
{
    zsock_t *client = frames_dealer (broker->frontend);
    CHECK (frames_publish_new (client, "h-1", "h-1") == 1);
    zsock_t *leads = frames_dealer (broker->backend);
    zsock_t *views = frames_dealer (broker->backend);
    frames_ready (leads, "leads", "participant.*", "", 10, 0);
    frames_ready_follows (views, "views", "participant.*", "", 10, 0, S_FOLLOWS);
    CHECK (frames_expect_event (leads, 1, 1) == 0);
    frames_verdict (leads, 1, "applied", "");
    CHECK (frames_expect_event (views, 1, 1) == 0);
    frames_verdict (views, 1, "applied", "");
    zsock_destroy (&leads);
    zsock_destroy (&views);
    zsock_destroy (&client);
    CHECK (frames_broker_stop (broker, SIGKILL) == 128 + SIGKILL);
    CHECK (frames_broker_start (broker) == 0);

    client = frames_dealer (broker->frontend);
    CHECK (frames_publish_new (client, "h-2", "h-2") == 2);
    views = frames_dealer (broker->backend);
    frames_ready_follows (views, "views", "participant.*", "", 10, 1, S_FOLLOWS);
    leads = frames_dealer (broker->backend);
    frames_ready (leads, "leads", "participant.*", "", 10, 1);
    //  The leader: 1 again if the broker forgot its verdict, then 2.
    frames_got_t got = { 0 };
    CHECK (frames_worker_next (leads, FRAMES_WAIT_MS, 1, &got) == 0 && got.command == PL_W_EVENT);
    if (got.seq == 1) {
        frames_verdict (leads, 1, "applied", "");
        CHECK (frames_expect_event (leads, 2, 1) == 0);
    }
    else
        CHECK (got.seq == 2);
    frames_verdict (leads, 2, "rejected", "meeting closed");
    CHECK (frames_expect_verdict (client, 2, "views", "skipped",
                                  "leads rejected it: meeting closed") == 0);
    //  The follower may see 1 again (it answers from its own records), never 2.
    while (frames_worker_next (views, 300, 1, &got) == 0) {
        CHECK (got.command == PL_W_EVENT && got.seq == 1);
        frames_verdict (views, 1, "applied", "");
    }
    CHECK (frames_expect_verdict (client, 1, "views", "applied", "") == 0);
    zsock_destroy (&leads);
    zsock_destroy (&views);
    zsock_destroy (&client);
    return 0;
}

static const frames_test_t s_tests [] = {
    { "follow",         s_test_follow,         { "--heartbeat", "200", NULL } },
    { "follow-restart", s_test_follow_restart, { "--heartbeat", "200", NULL } },
    { "follow-crash",   s_test_follow_crash,   { "--heartbeat", "200", NULL } },
};

int
main (int argc, char *argv [])
{
    return frames_main (argc, argv, s_tests, sizeof s_tests / sizeof s_tests [0]);
}

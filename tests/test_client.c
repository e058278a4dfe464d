/*  test_client — self-test of pl_client against a scripted fake broker.

    The fake broker is a ZeroMQ actor with a ROUTER on tcp://127.0.0.1:*
    that speaks just enough PLC01 to check the client's side of the
    protocol: it can be told to drop the next N PUBLISH messages (so the
    client must retry, Lazy Pirate, with the same event id), it deduplicates
    by event id like the real broker, and it answers RECEIPT and QUERY with
    fixed verdicts, replies and errors.  Each test is a row of the table at
    the end; the program prints one line per test and exits 1 if any fails. */
#include "pl_client.h"
#include "pl_codec.h"
#include "pl_proto.h"
#define PL_TEST_ON_FAIL return -1
#include "pl_test.h"

#include <czmq.h>
#include <stdio.h>
#include <string.h>

//  ---------------------------------------------------------------------------
//  The fake broker

typedef struct {
    zsock_t *router;
    zhashx_t *seqs;             //  event id -> seq (as uintptr_t)
    size_t publishes;           //  PUBLISH messages received, dropped or not
    size_t drop;                //  PUBLISH messages still to drop
    uint64_t last_seq;
    int many;                   //  knows PUBLISH_MANY (else: "unknown command")
    size_t singles;             //  PUBLISH messages received
    size_t packs;               //  PUBLISH_MANY messages received
} s_fake_t;

static void
s_fake_reply (s_fake_t *self, zframe_t *identity, const char *corr, uint8_t command, zmsg_t *body)
{
    zmsg_t *msg = body ? body : zmsg_new ();
    zmsg_pushstr (msg, corr);
    zmsg_pushmem (msg, &command, 1);
    zmsg_pushstr (msg, PL_PROTO_CLIENT);
    zframe_t *copy = zframe_dup (identity);     //  the caller keeps and frees its own
    zmsg_prepend (msg, &copy);
    zmsg_send (&msg, self->router);
}

static void
s_fake_error (s_fake_t *self, zframe_t *identity, const char *corr, const char *code, const char *text)
{
    zmsg_t *body = zmsg_new ();
    zmsg_addstr (body, code);
    zmsg_addstr (body, text);
    s_fake_reply (self, identity, corr, PL_C_ERROR, body);
}

//  Take one event as the broker does: 0 with its seq and whether it is a
//  duplicate, or -1 for an invalid payload.
static int
s_fake_event (s_fake_t *self, const char *topic, const char *event_id, const void *payload,
              size_t size, uint64_t *seq_p, int *duplicate_p)
{
    char err [PL_ERR_MAX];
    json_t *decoded = pl_codec_decode (topic, payload, size, err, sizeof err);
    if (!decoded)
        return -1;
    json_decref (decoded);
    uintptr_t seq = (uintptr_t) zhashx_lookup (self->seqs, event_id);
    *duplicate_p = seq != 0;
    if (!seq) {
        seq = (uintptr_t) ++self->last_seq;
        zhashx_insert (self->seqs, event_id, (void *) seq);
    }
    *seq_p = seq;
    return 0;
}

static void
s_fake_request (s_fake_t *self, zmsg_t *msg)
{
    zframe_t *identity = zmsg_pop (msg);
    char *header = zmsg_popstr (msg);
    zframe_t *command_frame = zmsg_pop (msg);
    char *corr = zmsg_popstr (msg);
    uint8_t command = 0;
    if (!identity || !header || !streq (header, PL_PROTO_CLIENT) || !corr
    ||  pl_frame_get_byte (command_frame, &command))
        goto done;
    if (command == PL_C_PUBLISH) {
        self->publishes++;
        self->singles++;
        if (self->drop > 0) {
            self->drop--;
            goto done;
        }
        char *topic = zmsg_popstr (msg);
        char *event_id = zmsg_popstr (msg);
        zframe_t *payload = zmsg_pop (msg);
        uint64_t seq = 0;
        int duplicate = 0;
        if (topic && event_id && payload
        &&  s_fake_event (self, topic, event_id, zframe_data (payload), zframe_size (payload),
                          &seq, &duplicate) == 0) {
            zmsg_t *body = zmsg_new ();
            pl_frame_put_u64 (body, seq);
            pl_frame_put_byte (body, (uint8_t) duplicate);
            s_fake_reply (self, identity, corr, PL_C_ACK, body);
        }
        else
            s_fake_error (self, identity, corr, "400", "invalid payload");
        zframe_destroy (&payload);
        free (topic);
        free (event_id);
    }
    else
    if (command == PL_C_PUBLISH_MANY && !self->many) {
        self->packs++;
        s_fake_error (self, identity, corr, "400", "unknown command 0x05");
    }
    else
    if (command == PL_C_PUBLISH_MANY) {
        //  One ACKS: a result per event, a text per result not 200
        self->packs++;
        zframe_t *events = zmsg_first (msg);
        size_t size = events ? zframe_size (events) : 0;
        const uint8_t *data = events ? zframe_data (events) : NULL;
        size_t count = size >= 4 ? (size_t) data [2] << 8 | data [3] : 0;
        self->publishes += count;
        if (self->drop > 0) {
            self->drop--;
            goto done;
        }
        zframe_t *results = zframe_new (NULL, count * PL_ACKS_RECORD);
        zmsg_t *texts = zmsg_new ();
        uint8_t *record = zframe_data (results);
        size_t offset = 4;
        for (size_t i = 0; i < count; i++, record += PL_ACKS_RECORD) {
            pl_many_event_t event;
            char err [PL_ERR_MAX], topic [PL_TOPIC_MAX + 1], event_id [PL_EVENT_ID_MAX + 1];
            uint64_t seq = 0;
            int duplicate = 0, status = 400;
            if (pl_many_next (data, size, &offset, &event, err, sizeof err) == 0) {
                snprintf (topic, sizeof topic, "%.*s", (int) event.topic_size, event.topic);
                snprintf (event_id, sizeof event_id, "%.*s", (int) event.event_id_size,
                          event.event_id);
                if (s_fake_event (self, topic, event_id, event.payload, event.payload_size,
                                  &seq, &duplicate) == 0)
                    status = 200;
            }
            record [0] = (uint8_t) (status >> 8);
            record [1] = (uint8_t) status;
            for (int byte = 0; byte < 8; byte++)
                record [2 + byte] = (uint8_t) (seq >> (56 - 8 * byte));
            record [10] = (uint8_t) duplicate;
            if (status != 200)
                zmsg_addstr (texts, "invalid payload");
        }
        zmsg_t *body = zmsg_new ();
        zmsg_append (body, &results);
        zframe_t *text;
        while ((text = zmsg_pop (texts)))
            zmsg_append (body, &text);
        zmsg_destroy (&texts);
        s_fake_reply (self, identity, corr, PL_C_ACKS, body);
    }
    else
    if (command == PL_C_RECEIPT) {
        uint64_t seq = 0;
        pl_frame_get_u64 (zmsg_first (msg), &seq);
        char *group = zframe_strdup (zmsg_next (msg));
        if (seq == 999)
            s_fake_error (self, identity, corr, "504", "group records has not applied seq 999 within 10 ms");
        else {
            zmsg_t *body = zmsg_new ();
            pl_frame_put_u64 (body, seq);
            zmsg_addstr (body, group ? group : "");
            zmsg_addstr (body, "rejected");
            zmsg_addstr (body, "meeting x does not exist");
            s_fake_reply (self, identity, corr, PL_C_VERDICT, body);
        }
        free (group);
    }
    else
    if (command == PL_C_QUERY) {
        char *service = zmsg_popstr (msg);
        char *name = zmsg_popstr (msg);
        if (name && streq (name, "broker.status") && service && streq (service, "broker")) {
            json_t *reply = json_pack ("{s:i, s:i, s:i, s:[]}", "last_seq", 7, "events", 7,
                                       "dead_letters", 0, "groups");
            void *data;
            size_t size;
            char err [PL_ERR_MAX];
            if (pl_codec_encode ("broker.status.reply", reply, &data, &size, err, sizeof err) == 0) {
                zmsg_t *body = zmsg_new ();
                zmsg_addmem (body, data, size);
                free (data);
                s_fake_reply (self, identity, corr, PL_C_REPLY, body);
            }
            json_decref (reply);
        }
        else
        if (name && streq (name, "meeting.list")) {
            //  A reply that breaks its schema: the client must refuse it.
            zmsg_t *body = zmsg_new ();
            zmsg_addstr (body, "not msgpack at all");
            s_fake_reply (self, identity, corr, PL_C_REPLY, body);
        }
        else
            s_fake_error (self, identity, corr, "503", "no worker offers service records");
        free (service);
        free (name);
    }
done:
    zframe_destroy (&identity);
    zframe_destroy (&command_frame);
    free (header);
    free (corr);
}

static void
s_fake_actor (zsock_t *pipe, void *arg)
{
    s_fake_t self = { 0 };
    self.router = zsock_new (ZMQ_ROUTER);
    self.seqs = zhashx_new ();
    int port = zsock_bind (self.router, "tcp://127.0.0.1:*");
    zsock_signal (pipe, 0);
    zstr_sendf (pipe, "tcp://127.0.0.1:%d", port);
    zpoller_t *poller = zpoller_new (pipe, self.router, NULL);
    while (true) {
        zsock_t *which = zpoller_wait (poller, -1);
        if (which == self.router) {
            zmsg_t *msg = zmsg_recv (self.router);
            if (msg)
                s_fake_request (&self, msg);
            zmsg_destroy (&msg);
            continue;
        }
        if (which != pipe)
            break;
        char *command = zstr_recv (pipe);
        if (!command || streq (command, "$TERM")) {
            free (command);
            break;
        }
        if (strncmp (command, "DROP ", 5) == 0)
            self.drop = strtoull (command + 5, NULL, 10);
        else
        if (strncmp (command, "MANY ", 5) == 0)
            self.many = atoi (command + 5);
        else
        if (streq (command, "STATS"))
            zstr_sendf (pipe, "%zu %zu", self.publishes, zhashx_size (self.seqs));
        else
        if (streq (command, "MESSAGES"))
            zstr_sendf (pipe, "%zu %zu", self.singles, self.packs);
        free (command);
    }
    zpoller_destroy (&poller);
    zhashx_destroy (&self.seqs);
    zsock_destroy (&self.router);
}

//  ---------------------------------------------------------------------------
//  Tests

typedef struct {
    zactor_t *fake;
    pl_config_t config;
    pl_client_t *client;
} s_ctx_t;


static json_t *
s_person (const char *meeting, const char *family)
{
    return json_pack ("{s:s, s:s, s:s}", "meeting", meeting, "family_name", family,
                      "delegation", "PL");
}

static void
s_stats (s_ctx_t *ctx, size_t *publishes, size_t *distinct)
{
    zstr_send (ctx->fake, "STATS");
    char *reply = zstr_recv (ctx->fake);
    *publishes = *distinct = 0;
    if (reply)
        sscanf (reply, "%zu %zu", publishes, distinct);
    free (reply);
}

static int
t_invalid_payload (s_ctx_t *ctx)
{
    json_t *bad = json_pack ("{s:s, s:s}", "meeting", "ccm-msp11", "delegation", "PL");
    pl_ack_t ack;
    int status = 0;
    char err [PL_ERR_MAX];
    int rc = pl_client_publish (ctx->client, "participant.registered", "x1", bad, &ack,
                                &status, err, sizeof err);
    json_decref (bad);
    CHECK (rc == -1 && status == 400);
    CHECK (strstr (err, "family_name"));
    json_t *good = s_person ("m", "Nowak");
    rc = pl_client_publish (ctx->client, "no.such.topic", "x2", good, &ack, &status, err, sizeof err);
    CHECK (rc == -1 && status == 404);
    rc = pl_client_publish (ctx->client, "participant.registered", "has space", good, &ack,
                            &status, err, sizeof err);
    json_decref (good);
    CHECK (rc == -1 && status == 400);
    size_t publishes, distinct;
    s_stats (ctx, &publishes, &distinct);
    CHECK (publishes == 0);     //  nothing invalid ever left the process
    return 0;
}

static int
t_retry_same_event_id (s_ctx_t *ctx)
{
    zstr_send (ctx->fake, "DROP 2");
    json_t *person = s_person ("ccm-msp11", "Łukasiewicz");
    pl_ack_t ack;
    int status;
    char err [PL_ERR_MAX];
    int rc = pl_client_publish (ctx->client, "participant.registered", "retry-1", person, &ack,
                                &status, err, sizeof err);
    CHECK (rc == 0 && ack.duplicate == 0);
    uint64_t first = ack.seq;
    size_t publishes, distinct;
    s_stats (ctx, &publishes, &distinct);
    CHECK (publishes == 3 && distinct == 1);    //  two dropped, the third acknowledged
    rc = pl_client_publish (ctx->client, "participant.registered", "retry-1", person, &ack,
                            &status, err, sizeof err);
    json_decref (person);
    CHECK (rc == 0 && ack.duplicate == 1 && ack.seq == first);
    return 0;
}

static int
t_deadline (s_ctx_t *ctx)
{
    zstr_send (ctx->fake, "DROP 1000000");
    pl_config_t config = ctx->config;
    config.publish_deadline_ms = 400;
    pl_client_t *client = pl_client_new (&config);
    json_t *person = s_person ("m", "Late");
    pl_ack_t ack;
    int status = 0;
    char err [PL_ERR_MAX];
    int64_t start = zclock_mono ();
    int rc = pl_client_publish (client, "participant.registered", NULL, person, &ack,
                                &status, err, sizeof err);
    int64_t took = zclock_mono () - start;
    json_decref (person);
    pl_client_destroy (&client);
    zstr_send (ctx->fake, "DROP 0");
    CHECK (rc == -1 && status == 504);
    CHECK (strstr (err, "did not answer"));
    CHECK (took >= 350 && took < 1500);
    return 0;
}

static int
t_receipt (s_ctx_t *ctx)
{
    char verdict [16], reason [PL_REASON_MAX + 1], err [PL_ERR_MAX];
    int status;
    int rc = pl_client_receipt (ctx->client, 5, "records", 1000, verdict, sizeof verdict,
                                reason, sizeof reason, &status, err, sizeof err);
    CHECK (rc == 0 && streq (verdict, "rejected") && streq (reason, "meeting x does not exist"));
    rc = pl_client_receipt (ctx->client, 999, "records", 10, verdict, sizeof verdict,
                            reason, sizeof reason, &status, err, sizeof err);
    CHECK (rc == -1 && status == 504 && strstr (err, "seq 999"));
    return 0;
}

static int
t_query (s_ctx_t *ctx)
{
    int status;
    char err [PL_ERR_MAX];
    json_t *reply = pl_client_query (ctx->client, "broker.status", NULL, &status, err, sizeof err);
    CHECK (reply && json_integer_value (json_object_get (reply, "last_seq")) == 7);
    json_decref (reply);
    json_t *args = json_pack ("{s:s}", "meeting", "ccm-msp11");
    reply = pl_client_query (ctx->client, "participant.list", args, &status, err, sizeof err);
    json_decref (args);
    CHECK (!reply && status == 503 && strstr (err, "no worker"));
    reply = pl_client_query (ctx->client, "meeting.list", NULL, &status, err, sizeof err);
    CHECK (!reply && status == 500 && strstr (err, "invalid reply"));
    args = json_pack ("{s:s}", "colour", "blue");
    reply = pl_client_query (ctx->client, "meeting.list", args, &status, err, sizeof err);
    json_decref (args);
    CHECK (!reply && status == 400 && strstr (err, "colour"));
    reply = pl_client_query (ctx->client, "participant.registered", NULL, &status, err, sizeof err);
    CHECK (!reply && status == 404);
    return 0;
}

//  Several queries at once: each answer reaches its own query, a refused
//  one is never sent, the others are answered all the same
static int
t_query_many (s_ctx_t *ctx)
{
    json_t *list_args = json_pack ("{s:s}", "meeting", "ccm-msp11");
    json_t *bad_args = json_pack ("{s:s}", "colour", "blue");
    pl_query_t queries [5] = {
        { .name = "broker.status" },
        { .name = "participant.list", .args = list_args },
        { .name = "meeting.list", .args = bad_args },
        { .name = "meeting.list" },
        { .name = "broker.status" },
    };
    pl_client_query_many (ctx->client, queries, 5, "public");
    json_decref (list_args);
    json_decref (bad_args);
    int ok = queries [0].reply && queries [4].reply
          && json_integer_value (json_object_get (queries [4].reply, "last_seq")) == 7
          && !queries [1].reply && queries [1].status == 503 && strstr (queries [1].err, "no worker")
          && !queries [2].reply && queries [2].status == 400 && strstr (queries [2].err, "colour")
          && !queries [3].reply && queries [3].status == 500
          && strstr (queries [3].err, "invalid reply");
    for (size_t i = 0; i < 5; i++)
        json_decref (queries [i].reply);
    CHECK (ok);
    //  None at all, and the client still answers one at a time afterwards
    pl_client_query_many (ctx->client, NULL, 0, NULL);
    int status;
    char err [PL_ERR_MAX];
    json_t *reply = pl_client_query (ctx->client, "broker.status", NULL, &status, err, sizeof err);
    CHECK (reply);
    json_decref (reply);
    return 0;
}

typedef struct {
    size_t count;
    size_t bad_index;           //  this event is invalid: its ON_ACK must say 400
    int *calls;                 //  ON_ACK calls per index
    uint64_t *seqs;
    size_t errors;
    const char *prefix;         //  of the event ids ("many" when NULL)
} s_many_t;

static int
s_many_next (void *arg, size_t index, pl_event_t *event)
{
    s_many_t *many = arg;
    char family [32];
    snprintf (family, sizeof family, "Person %zu", index);
    strcpy (event->topic, "participant.registered");
    snprintf (event->event_id, sizeof event->event_id, "%s-%zu",
              many->prefix ? many->prefix : "many", index);
    event->payload = index == many->bad_index
                   ? json_pack ("{s:s}", "meeting", "no family name")
                   : s_person ("ccm-msp11", family);
    return 0;
}

static void
s_many_ack (void *arg, size_t index, int status, const pl_ack_t *ack, const char *err)
{
    s_many_t *many = arg;
    if (index >= many->count)
        return;
    many->calls [index]++;
    if (status == 200)
        many->seqs [index] = ack->seq;
    else
        many->errors += index == many->bad_index && status == 400 ? 0 : 1;
}

static int
t_publish_many (s_ctx_t *ctx)
{
    s_many_t many = { .count = 300, .bad_index = 17 };
    many.calls = calloc (many.count, sizeof *many.calls);
    many.seqs = calloc (many.count, sizeof *many.seqs);
    size_t before, distinct_before;
    s_stats (ctx, &before, &distinct_before);
    zstr_send (ctx->fake, "DROP 5");    //  lose some in the middle of the window
    int rc = pl_client_publish_many (ctx->client, many.count, 16, s_many_next, s_many_ack, &many);
    int ok = rc == 0 && many.errors == 0;
    for (size_t i = 0; i < many.count; i++) {
        ok &= many.calls [i] == 1;
        if (i != many.bad_index)
            for (size_t j = 0; j < i && ok; j++)
                ok &= j == many.bad_index || many.seqs [j] != many.seqs [i];
        ok &= (i == many.bad_index) == (many.seqs [i] == 0);
    }
    size_t after, distinct_after;
    s_stats (ctx, &after, &distinct_after);
    free (many.calls);
    free (many.seqs);
    CHECK (ok);
    CHECK (distinct_after - distinct_before == many.count - 1);
    CHECK (after - before >= many.count - 1 + 5);   //  the dropped ones were resent
    return 0;
}

static int
t_many_deadline (s_ctx_t *ctx)
{
    zstr_send (ctx->fake, "DROP 1000000");
    pl_config_t config = ctx->config;
    config.publish_deadline_ms = 300;
    pl_client_t *client = pl_client_new (&config);
    s_many_t many = { .count = 40, .bad_index = 1000 };
    many.calls = calloc (many.count, sizeof *many.calls);
    many.seqs = calloc (many.count, sizeof *many.seqs);
    int rc = pl_client_publish_many (client, many.count, 8, s_many_next, s_many_ack, &many);
    pl_client_destroy (&client);
    zstr_send (ctx->fake, "DROP 0");
    int ok = rc == -1 && many.errors == many.count;
    for (size_t i = 0; i < many.count; i++)
        ok &= many.calls [i] == 1;
    free (many.calls);
    free (many.seqs);
    CHECK (ok);                 //  every event got exactly one 504
    return 0;
}

static void
s_messages (s_ctx_t *ctx, size_t *singles, size_t *packs)
{
    zstr_send (ctx->fake, "MESSAGES");
    char *reply = zstr_recv (ctx->fake);
    *singles = *packs = 0;
    if (reply)
        sscanf (reply, "%zu %zu", singles, packs);
    free (reply);
}

//  COUNT events through a window of WINDOW with pack size PACK (0 the
//  default), one of them invalid and DROP messages lost: every event gets
//  exactly one answer, the right one.  The messages the fake saw go to
//  *SINGLES and *PACKS.
static int
s_many_round (s_ctx_t *ctx, size_t count, size_t window, size_t pack, size_t drop,
              size_t *singles, size_t *packs)
{
    static int round;
    char prefix [32];
    snprintf (prefix, sizeof prefix, "round%d", ++round);
    s_many_t many = { .count = count, .bad_index = count / 3, .prefix = prefix };
    many.calls = calloc (many.count, sizeof *many.calls);
    many.seqs = calloc (many.count, sizeof *many.seqs);
    size_t before, distinct_before, singles_before, packs_before;
    s_stats (ctx, &before, &distinct_before);
    s_messages (ctx, &singles_before, &packs_before);
    char command [32];
    snprintf (command, sizeof command, "DROP %zu", drop);
    zstr_send (ctx->fake, command);
    pl_client_set_pack (ctx->client, pack);
    int rc = pl_client_publish_many (ctx->client, many.count, window, s_many_next, s_many_ack,
                                     &many);
    pl_client_set_pack (ctx->client, 0);
    int ok = rc == 0 && many.errors == 0;
    for (size_t i = 0; i < many.count; i++) {
        ok &= many.calls [i] == 1;
        ok &= (i == many.bad_index) == (many.seqs [i] == 0);
    }
    size_t after, distinct_after;
    s_stats (ctx, &after, &distinct_after);
    s_messages (ctx, singles, packs);
    *singles -= singles_before;
    *packs -= packs_before;
    free (many.calls);
    free (many.seqs);
    CHECK (ok);
    CHECK (distinct_after - distinct_before == many.count - 1);
    return 0;
}

static int s_packs (s_ctx_t *ctx);

static int
t_publish_packs (s_ctx_t *ctx)
{
    //  A client of its own: the one before met a fake that does not know
    //  PUBLISH_MANY, and a client remembers that
    //  (and a patient one: a resend after silence would add messages to the
    //  counts below, and a loaded machine can be silent for 50 ms)
    pl_client_t *shared = ctx->client;
    pl_config_t config = ctx->config;
    config.retry_initial_ms = 1000;
    config.retry_max_ms = 2000;
    config.publish_deadline_ms = 20000;
    ctx->client = pl_client_new (&config);
    int rc = ctx->client ? s_packs (ctx) : -1;
    pl_client_destroy (&ctx->client);
    ctx->client = shared;
    return rc;
}

static int
s_packs (s_ctx_t *ctx)
{
    zstr_send (ctx->fake, "MANY 1");
    size_t singles, packs;
    //  The default: four packs to the window, as many messages as packs
    CHECK (s_many_round (ctx, 1000, 64, 0, 0, &singles, &packs) == 0);
    CHECK (singles == 0 && packs == 1000 / 16 + (1000 % 16 > 0));
    //  Lost packs are resent whole, and their events answered once
    CHECK (s_many_round (ctx, 500, 64, 0, 3, &singles, &packs) == 0);
    CHECK (singles == 0 && packs >= 500 / 16 + 3);
    //  One event per message when asked (the invalid one never leaves)
    CHECK (s_many_round (ctx, 100, 64, 1, 0, &singles, &packs) == 0);
    CHECK (singles == 99 && packs == 0);
    //  A window too small to cut sends each event alone
    CHECK (s_many_round (ctx, 50, 4, 0, 0, &singles, &packs) == 0);
    CHECK (singles == 49 && packs == 0);
    //  A broker that does not know PUBLISH_MANY: one refusal per pack in
    //  flight, then one event per message
    zstr_send (ctx->fake, "MANY 0");
    CHECK (s_many_round (ctx, 300, 64, 0, 0, &singles, &packs) == 0);
    CHECK (packs == 4 && singles == 299);
    return 0;
}

static int
t_random_id (s_ctx_t *ctx)
{
    char a [33], b [33];
    pl_client_random_id (a);
    pl_client_random_id (b);
    CHECK (strlen (a) == 32 && strspn (a, "0123456789abcdef") == 32);
    CHECK (strcmp (a, b) != 0 && pl_event_id_valid (a));
    return 0;
}

static const struct {
    const char *name;
    int (*run) (s_ctx_t *ctx);
} s_tests [] = {
    { "invalid payloads never leave the process", t_invalid_payload },
    { "publish retries with the same event id",   t_retry_same_event_id },
    { "publish gives up at the deadline (504)",   t_deadline },
    { "receipt: verdict and broker error",        t_receipt },
    { "query: reply, errors, invalid reply",      t_query },
    { "query_many: each answer to its query",     t_query_many },
    { "publish_many: window, drops, one ack each", t_publish_many },
    { "publish_many: 504 for each at deadline",   t_many_deadline },
    { "publish_many: packs, resends, fallback",   t_publish_packs },
    { "random event ids",                         t_random_id },
};

int
main (void)
{
    zsys_handler_set (NULL);
    s_ctx_t ctx;
    ctx.fake = zactor_new (s_fake_actor, NULL);
    char *endpoint = zstr_recv (ctx.fake);
    pl_config_defaults (&ctx.config);
    snprintf (ctx.config.endpoint, sizeof ctx.config.endpoint, "%s", endpoint);
    free (endpoint);
    ctx.config.retry_initial_ms = 50;
    ctx.config.retry_max_ms = 200;
    ctx.config.publish_deadline_ms = 3000;
    ctx.config.query_timeout_ms = 1000;
    ctx.client = pl_client_new (&ctx.config);
    int failed = 0;
    for (size_t i = 0; i < sizeof s_tests / sizeof s_tests [0]; i++) {
        int rc = ctx.client ? s_tests [i].run (&ctx) : -1;
        printf ("%s: %s\n", rc ? "FAIL" : "ok  ", s_tests [i].name);
        failed += rc != 0;
    }
    pl_client_destroy (&ctx.client);
    zactor_destroy (&ctx.fake);
    printf ("%d of %zu client tests failed\n", failed, sizeof s_tests / sizeof s_tests [0]);
    return failed ? 1 : 0;
}

/*  test_notify — the notify worker in process: its classes' self-tests
    (templates, MIME, iTIP), then the worker and its store driven through
    the pl_worker handler as the broker would: which messages each event
    writes and to whom, nothing twice on a redelivery, events older than
    the database recorded and never queued, SEQUENCE by the shared rule,
    subscriptions and their rules, notices written into one message with
    only what the subscriber may read, the one-click unsubscription.

        test_notify            every test
        test_notify worker     the tests whose name holds "worker" */
#include "notify_itip.h"
#include "notify_rate.h"
#include "notify_mime.h"
#include "notify_store.h"
#include "notify_template.h"
#include "notify_worker.h"
#include "pl_codec.h"
#include "pl_mailkey.h"
#include "pl_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int s_failed = 0;

#define CHECK(cond, ...) do { if (!(cond)) { s_failed++; \
    fprintf (stderr, "test_notify:%d: FAIL ", __LINE__); fprintf (stderr, __VA_ARGS__); \
    fputc ('\n', stderr); } } while (0)

typedef struct {
    char dir [64];
    char path [128];
    notify_store_t *store;
    notify_worker_t *worker;
    uint8_t key [PL_MAILKEY_BYTES];
    uint64_t seq;
    uint32_t attempt;               //  of the events applied: 1, or 0 a replay
    int wakes;
} s_fixture_t;

static void
s_wake (void *arg)
{
    ((s_fixture_t *) arg)->wakes++;
}

static int
s_setup (s_fixture_t *self)
{
    memset (self, 0, sizeof *self);
    self->attempt = 1;
    snprintf (self->dir, sizeof self->dir, "/tmp/test_notify.XXXXXX");
    if (!mkdtemp (self->dir))
        return -1;
    snprintf (self->path, sizeof self->path, "%s/notify.db", self->dir);
    char err [256];
    notify_config_t config;
    notify_config_defaults (&config);
    snprintf (config.smtp, sizeof config.smtp, "smtp://127.0.0.1:25");
    snprintf (config.from, sizeof config.from, "isu@ccm.example.org");
    self->store = notify_store_new (self->path);
    if (!self->store || pl_mailkey_load (self->dir, self->key, err, sizeof err))
        return -1;
    self->worker = notify_worker_new (self->store, &config, self->key, s_wake, self);
    return self->worker ? 0 : -1;
}

static void
s_teardown (s_fixture_t *self)
{
    notify_worker_destroy (&self->worker);
    notify_store_destroy (&self->store);
    char command [160];
    snprintf (command, sizeof command, "rm -rf '%s'", self->dir);
    if (system (command) != 0)
        fprintf (stderr, "test_notify: could not remove %s\n", self->dir);
}

//  Apply event TOPIC with PAYLOAD (JSON text) as seq SEQ (0: the next one)
//  logged at TIME_MS (0: now).  Returns 1 applied, 0 rejected (REASON), -1.
static int
s_event_at (s_fixture_t *self, uint64_t seq, int64_t time_ms, const char *topic,
            const char *json, char *reason, size_t size)
{
    json_t *payload = json_loads (json, 0, NULL);
    char err [PL_ERR_MAX];
    //  Valid as the broker would have it
    void *data = NULL;
    size_t bytes = 0;
    if (!payload || pl_codec_encode (topic, payload, &data, &bytes, err, sizeof err)) {
        fprintf (stderr, "test_notify: bad sample %s: %s\n", topic, payload ? err : json);
        json_decref (payload);
        return -1;
    }
    free (data);
    if (!seq)
        seq = ++self->seq;
    else if (seq > self->seq)
        self->seq = seq;
    pl_delivery_t event = { seq, topic, "e", payload, time_ms ? time_ms : pl_time_ms (),
                            self->attempt, NULL, NULL, NULL };
    pl_verdict_t verdict;
    int rc = notify_worker_handler ()->apply (self->worker, &event, 1, &verdict);
    json_decref (payload);
    if (rc)
        return -1;
    if (reason)
        snprintf (reason, size, "%s", verdict.reason);
    return verdict.applied;
}

static int
s_event (s_fixture_t *self, const char *topic, const char *json)
{
    return s_event_at (self, 0, 0, topic, json, NULL, 0);
}

//  The outbox's counts.
static json_t *
s_status (s_fixture_t *self)
{
    json_t *reply = NULL;
    if (notify_store_status (self->store, "smtp://x", 20, pl_time_ms (), &reply))
        return NULL;
    return reply;
}

static int64_t
s_count (s_fixture_t *self, const char *what)
{
    json_t *status = s_status (self);
    int64_t count = json_integer_value (json_object_get (status, what));
    json_decref (status);
    return count;
}

//  Take every queued message (marking it sent) into a new array.
static json_t *
s_drain (s_fixture_t *self)
{
    json_t *list = json_array (), *message = NULL;
    while (notify_store_outbox_next (self->store, INT64_MAX / 2, &message) == 1) {
        notify_store_outbox_sent (self->store, json_integer_value (json_object_get (message, "id")),
                                  pl_time_ms ());
        json_array_append_new (list, message);
    }
    return list;
}

//  The message of LIST to RECIPIENT of KIND, or NULL.
static json_t *
s_find (json_t *list, const char *kind, const char *recipient)
{
    size_t index;
    json_t *message;
    json_array_foreach (list, index, message)
        if (strcmp (json_string_value (json_object_get (message, "kind")), kind) == 0
        &&  strcmp (json_string_value (json_object_get (message, "recipient")), recipient) == 0)
            return message;
    return NULL;
}

static json_t *
s_params (json_t *message)
{
    return json_loads (json_string_value (json_object_get (message, "params")), 0, NULL);
}

#define S_MEETING "{\"id\":\"ccm-msp13\",\"convention\":\"CCM\",\"kind\":\"msp\"," \
    "\"title\":\"Thirteenth Meeting of States Parties\",\"venue\":\"Geneva\"," \
    "\"tz\":\"Europe/Zurich\",\"start\":\"2030-09-15\",\"end\":\"2030-09-18\"}"

static void
s_test_registrations (void)
{
    s_fixture_t f;
    if (s_setup (&f)) {
        CHECK (0, "setup");
        return;
    }
    char reason [PL_REASON_MAX];
    CHECK (s_event (&f, "meeting.scheduled", S_MEETING) == 1, "meeting");
    CHECK (s_event (&f, "session.scheduled", "{\"meeting\":\"ccm-msp13\",\"id\":\"day1-am\","
                    "\"title\":\"Opening plenary\",\"start\":\"2030-09-15T10:00\","
                    "\"end\":\"2030-09-15T13:00\",\"room\":\"Room XIX\"}") == 1, "session");
    //  p3: the focal point of FR; p4: a member of FR, in French
    CHECK (s_event (&f, "participant.registered", "{\"meeting\":\"ccm-msp13\","
                    "\"family_name\":\"Martin\",\"given_name\":\"Claire\",\"delegation\":\"FR\","
                    "\"email\":\"claire@example.fr\",\"focal_point\":true}") == 1, "focal point");
    CHECK (s_event (&f, "participant.registered", "{\"meeting\":\"ccm-msp13\","
                    "\"family_name\":\"Dupont\",\"given_name\":\"Marie\",\"delegation\":\"FR\","
                    "\"function\":\"adviser\",\"email\":\"marie@example.fr\",\"language\":\"fr\"}")
           == 1, "member");
    CHECK (s_event (&f, "participant.registered", "{\"meeting\":\"ccm-msp13\","
                    "\"family_name\":\"Nomail\",\"delegation\":\"DE\"}") == 1, "no e-mail");
    CHECK (f.wakes >= 2, "the sender woken");
    json_t *list = s_drain (&f);
    CHECK (json_array_size (list) == 3, "three messages, not %zu", json_array_size (list));
    json_t *own = s_find (list, "registration-received", "claire@example.fr");
    json_t *pending = s_find (list, "registration-pending", "marie@example.fr");
    json_t *request = s_find (list, "focal-point-approval", "claire@example.fr");
    CHECK (own && pending && request, "received, pending, and the focal point's request");
    CHECK (pending && strcmp (json_string_value (json_object_get (pending, "language")), "fr") == 0,
           "in the participant's language");
    json_t *values = request ? s_params (request) : NULL;
    CHECK (values && strcmp (json_string_value (json_object_get (values, "registrant_name")),
                             "Marie Dupont") == 0
           && !strstr (json_string_value (json_object_get (request, "params")), "marie@"),
           "the focal point learns the name, never the address");
    json_decref (values);
    values = pending ? s_params (pending) : NULL;
    CHECK (values && strcmp (json_string_value (json_object_get (values, "_feed")), "p4") == 0
           && strcmp (json_string_value (json_object_get (values, "focal_point_name")),
                      "Claire Martin") == 0, "the feed and the focal point named");
    json_decref (values);
    CHECK (pending && strstr (json_string_value (json_object_get (pending, "message_id")),
                              "<4.registration-pending."), "Message-ID from the seq");
    json_decref (list);

    //  A redelivery (seq <= cursor) answers its first verdict and writes nothing
    CHECK (s_event_at (&f, 4, 0, "participant.registered", "{\"meeting\":\"ccm-msp13\","
                       "\"family_name\":\"Dupont\",\"delegation\":\"FR\"}", NULL, 0) == 1,
           "redelivered");
    CHECK (s_count (&f, "queued") == 0, "nothing twice");

    //  The session moves: an iTIP REQUEST to each registration that stands,
    //  SEQUENCE 1 as in the feed
    CHECK (s_event (&f, "participant.rejected", "{\"meeting\":\"ccm-msp13\","
                    "\"participant\":\"p4\",\"reason\":\"not accredited\"}") == 1, "rejected");
    CHECK (s_event (&f, "session.moved", "{\"meeting\":\"ccm-msp13\",\"id\":\"day1-am\","
                    "\"start\":\"2030-09-15T15:00\",\"end\":\"2030-09-15T18:00\"}") == 1, "moved");
    list = s_drain (&f);
    CHECK (json_array_size (list) == 2, "rejection and one move, not %zu", json_array_size (list));
    CHECK (s_find (list, "registration-rejected", "marie@example.fr"), "told of the rejection");
    json_t *moved = s_find (list, "session-moved", "claire@example.fr");
    values = moved ? s_params (moved) : NULL;
    json_t *itip = json_object_get (values, "_itip");
    CHECK (itip && json_integer_value (json_object_get (itip, "sequence")) == 1
           && strcmp (json_string_value (json_object_get (itip, "method")), "REQUEST") == 0
           && strcmp (json_string_value (json_object_get (itip, "start")), "2030-09-15T15:00") == 0,
           "iTIP REQUEST with SEQUENCE 1");
    json_decref (values);
    json_decref (list);
    CHECK (s_event (&f, "meeting.updated", "{\"id\":\"ccm-msp13\",\"venue\":\"Lausanne\"}") == 1,
           "venue");
    CHECK (s_event (&f, "session.cancelled", "{\"meeting\":\"ccm-msp13\",\"id\":\"day1-am\"}")
           == 1, "cancelled");
    list = s_drain (&f);
    json_t *cancelled = s_find (list, "session-cancelled", "claire@example.fr");
    values = cancelled ? s_params (cancelled) : NULL;
    itip = json_object_get (values, "_itip");
    CHECK (json_array_size (list) == 1 && itip
           && json_integer_value (json_object_get (itip, "sequence")) == 3
           && strcmp (json_string_value (json_object_get (itip, "method")), "CANCEL") == 0,
           "CANCEL with SEQUENCE 3 (move, venue, cancel)");
    json_decref (values);
    json_decref (list);

    //  A view that lacks what records made first disagrees
    CHECK (s_event_at (&f, 0, 0, "participant.approved", "{\"meeting\":\"ccm-msp13\","
                       "\"participant\":\"p99\"}", reason, sizeof reason) == 0
           && strstr (reason, "view disagrees with records"), "unknown participant: %s", reason);

    //  An event logged a minute before the database was made is news; one
    //  logged an hour before is the past; one the broker replays (attempt 0)
    //  was acted on already: applied, recorded, never queued
    int64_t created = notify_store_created_ms (f.store);
    CHECK (s_event_at (&f, 0, created - 60000, "participant.approved", "{\"meeting\":"
                       "\"ccm-msp13\",\"participant\":\"p3\"}", NULL, 0) == 1, "approved");
    CHECK (s_count (&f, "queued") == 1 && s_count (&f, "replayed") == 0, "a minute before: news");
    json_decref (s_drain (&f));
    CHECK (s_event_at (&f, 0, created - 3600000, "participant.confirmed", "{\"meeting\":"
                       "\"ccm-msp13\",\"participant\":\"p3\"}", NULL, 0) == 1, "confirmed");
    CHECK (s_count (&f, "queued") == 0 && s_count (&f, "replayed") == 1, "an hour before: past");
    f.attempt = 0;
    CHECK (s_event (&f, "participant.withdrawn", "{\"meeting\":\"ccm-msp13\","
                    "\"participant\":\"p3\"}") == 1, "withdrawn, replayed");
    f.attempt = 1;
    CHECK (s_count (&f, "queued") == 0 && s_count (&f, "replayed") == 2, "a replay: not sent");

    //  A withdrawal is news too: the participant is told, without the
    //  address of a feed that no longer shows the meeting
    CHECK (s_event (&f, "participant.registered", "{\"meeting\":\"ccm-msp13\","
                    "\"family_name\":\"Roe\",\"delegation\":\"GB\","
                    "\"email\":\"jane@example.org\"}") == 1, "registered to withdraw");
    list = s_drain (&f);
    values = s_find (list, "registration-received", "jane@example.org")
           ? s_params (s_find (list, "registration-received", "jane@example.org")) : NULL;
    char withdraw [160];
    snprintf (withdraw, sizeof withdraw, "{\"meeting\":\"ccm-msp13\",\"participant\":\"%s\","
              "\"reason\":\"visa\"}", json_string_value (json_object_get (values, "participant")));
    json_decref (values);
    json_decref (list);
    CHECK (s_event (&f, "participant.withdrawn", withdraw) == 1, "withdrawn");
    list = s_drain (&f);
    json_t *withdrawn = s_find (list, "registration-withdrawn", "jane@example.org");
    values = withdrawn ? s_params (withdrawn) : NULL;
    CHECK (json_array_size (list) == 1 && values && !json_object_get (values, "_feed")
           && strcmp (json_string_value (json_object_get (values, "reason")), "visa") == 0,
           "told of the withdrawal, with its reason, without a feed");
    json_decref (values);
    json_decref (list);
    s_teardown (&f);
}

static void
s_test_subscriptions (void)
{
    s_fixture_t f;
    if (s_setup (&f)) {
        CHECK (0, "setup");
        return;
    }
    char reason [PL_REASON_MAX];
    CHECK (s_event (&f, "meeting.scheduled", S_MEETING) == 1, "meeting");
    CHECK (s_event_at (&f, 0, 0, "subscription.added", "{\"email\":\"rk@example.org\","
                       "\"meeting\":\"ccm-msp99\"}", reason, sizeof reason) == 0
           && strcmp (reason, "meeting ccm-msp99 does not exist") == 0, "%s", reason);
    CHECK (s_event_at (&f, 0, 0, "subscription.added", "{\"email\":\"rk@example.org\","
                       "\"meeting\":\"ccm-msp13\",\"convention\":\"CCM\"}", reason, sizeof reason)
           == 0 && strstr (reason, "give one of meeting and convention"), "%s", reason);
    CHECK (s_event (&f, "subscription.added", "{\"email\":\"RK@example.org\","
                    "\"meeting\":\"ccm-msp13\",\"language\":\"zh\"}") == 1, "subscribed");
    CHECK (s_event_at (&f, 0, 0, "subscription.added", "{\"email\":\"rk@example.org\","
                       "\"meeting\":\"ccm-msp13\",\"language\":\"zh\"}", reason, sizeof reason)
           == 0 && strstr (reason, "already follows ccm-msp13 (zh)"), "%s", reason);
    CHECK (s_event (&f, "subscription.added", "{\"email\":\"del@example.org\","
                    "\"convention\":\"CCM\",\"role\":\"delegate\"}") == 1, "a delegate");
    //  Releases: general in zh; restricted in zh; limited in en
    CHECK (s_event (&f, "document.released", "{\"symbol\":\"CCM/MSP/2030/4\",\"language\":\"zh\","
                    "\"title\":\"临时议程\",\"meeting\":\"ccm-msp13\"}") == 1, "general");
    CHECK (s_event (&f, "document.released", "{\"symbol\":\"CCM/MSP/2030/5\",\"language\":\"zh\","
                    "\"title\":\"预算\",\"meeting\":\"ccm-msp13\",\"distribution\":\"restricted\"}")
           == 1, "restricted");
    CHECK (s_event (&f, "document.released", "{\"symbol\":\"CCM/MSP/2030/6\",\"language\":\"en\","
                    "\"title\":\"Compliance\",\"meeting\":\"ccm-msp13\","
                    "\"distribution\":\"limited\"}") == 1, "limited");
    CHECK (s_count (&f, "notices") == 5, "rk: 4 and 5 (zh); del: 4, 5 and 6, not %lld",
           (long long) s_count (&f, "notices"));
    CHECK (notify_store_notices_batch (f.store, "rk@example.org", "isu@ccm.example.org",
                                       "https://plenary.example.org", pl_time_ms ()) == 0
        && notify_store_notices_batch (f.store, "del@example.org", "isu@ccm.example.org",
                                       "https://plenary.example.org", pl_time_ms ()) == 0,
           "batches");
    json_t *list = s_drain (&f);
    json_t *rk = s_find (list, "documents-released", "RK@example.org");
    json_t *del = s_find (list, "documents-released", "del@example.org");
    json_t *rk_values = rk ? s_params (rk) : NULL, *del_values = del ? s_params (del) : NULL;
    const char *rk_list = json_string_value (json_object_get (rk_values, "documents"));
    const char *del_list = json_string_value (json_object_get (del_values, "documents"));
    CHECK (rk_list && strstr (rk_list, "CCM/MSP/2030/4 (zh) — 临时议程")
           && strstr (rk_list, "/api/documents/CCM%2FMSP%2F2030%2F4?language=zh")
           && !strstr (rk_list, "2030/5") && !strstr (rk_list, "2030/6"),
           "the public sees the general one: %s", rk_list ? rk_list : "none");
    CHECK (del_list && strstr (del_list, "2030/4") && strstr (del_list, "2030/6")
           && !strstr (del_list, "2030/5"), "a delegate the limited one too, never restricted");
    CHECK (rk && strcmp (json_string_value (json_object_get (rk, "language")), "zh") == 0,
           "notices in the subscription's language");
    json_decref (rk_values);
    json_decref (del_values);
    json_decref (list);
    CHECK (s_count (&f, "notices") == 0, "all written");

    //  One click: the hash of the token made for the address
    char token [PL_MAILKEY_HEX], hash [PL_MAILKEY_HEX], json [160];
    pl_mailkey_token (f.key, "unsubscribe", "rk@example.org", token);
    pl_mailkey_hash (token, hash);
    CHECK (s_event_at (&f, 0, 0, "mail.unsubscribed", "{\"token_hash\":\"0000000000000000000000"
                       "000000000000000000000000000000000000000000\"}", reason, sizeof reason) == 0
           && strcmp (reason, "no address has this unsubscribe link") == 0, "%s", reason);
    snprintf (json, sizeof json, "{\"token_hash\":\"%s\"}", hash);
    CHECK (s_event (&f, "mail.unsubscribed", json) == 1, "unsubscribed");
    CHECK (notify_store_unsubscribed (f.store, "rk@example.org") == 1, "marked");
    CHECK (s_event (&f, "document.released", "{\"symbol\":\"CCM/MSP/2030/7\",\"language\":\"zh\","
                    "\"title\":\"报告\",\"meeting\":\"ccm-msp13\"}") == 1, "another");
    CHECK (s_count (&f, "notices") == 1, "only the delegate is told now");
    CHECK (s_event_at (&f, 0, 0, "subscription.removed", "{\"email\":\"rk@example.org\"}",
                       reason, sizeof reason) == 0 && strstr (reason, "follows nothing"),
           "%s", reason);

    //  notify.status is the secretariat's
    int status = 0;
    char err [256];
    json_t *args = json_object ();
    json_t *reply = notify_worker_handler ()->query (f.worker, "notify.status", args,
                                                      "delegate", &status, err, sizeof err);
    json_decref (args);
    CHECK (!reply && status == 403, "a delegate may not ask");
    s_teardown (&f);
}

//  The secretariat's digest: registrations waiting for confirmation to
//  meetings not over, and States Parties registered to a formal meeting not
//  begun without credentials received.
static void
s_test_digest (void)
{
    s_fixture_t f;
    if (s_setup (&f)) {
        CHECK (0, "setup");
        return;
    }
    CHECK (s_event (&f, "meeting.scheduled", S_MEETING) == 1, "meeting");
    CHECK (s_event (&f, "delegation.declared", "{\"convention\":\"CCM\",\"code\":\"FR\","
                    "\"status\":\"state-party\"}") == 1, "FR");
    CHECK (s_event (&f, "delegation.declared", "{\"convention\":\"CCM\",\"code\":\"DE\","
                    "\"status\":\"state-party\"}") == 1, "DE");
    CHECK (s_event (&f, "delegation.declared", "{\"convention\":\"CCM\",\"code\":\"US\","
                    "\"status\":\"not-party\"}") == 1, "US");
    CHECK (s_event (&f, "participant.registered", "{\"meeting\":\"ccm-msp13\","
                    "\"family_name\":\"Dupont\",\"given_name\":\"Marie\","
                    "\"delegation\":\"FR\"}") == 1, "p5 FR");
    CHECK (s_event (&f, "participant.registered", "{\"meeting\":\"ccm-msp13\","
                    "\"family_name\":\"Schmidt\",\"delegation\":\"DE\"}") == 1, "p6 DE");
    CHECK (s_event (&f, "participant.registered", "{\"meeting\":\"ccm-msp13\","
                    "\"family_name\":\"Smith\",\"delegation\":\"US\"}") == 1, "p7 US");
    CHECK (s_event (&f, "participant.confirmed", "{\"meeting\":\"ccm-msp13\","
                    "\"participant\":\"p6\"}") == 1, "p6 confirmed");
    CHECK (s_event (&f, "credentials.submitted", "{\"meeting\":\"ccm-msp13\","
                    "\"delegation\":\"DE\",\"form\":\"original\",\"received\":\"2030-09-01\"}")
           == 1, "DE's credentials");
    json_t *values = json_object ();
    CHECK (notify_store_digest (f.store, "2030-09-10", values) == 0, "digest");
    const char *waiting = json_string_value (json_object_get (values, "waiting"));
    const char *missing = json_string_value (json_object_get (values, "credentials"));
    CHECK (waiting && strcmp (json_string_value (json_object_get (values, "waiting_count")), "2") == 0
           && strstr (waiting, "ccm-msp13  FR  p5  Dupont, Marie  registered")
           && strstr (waiting, "US  p7") && !strstr (waiting, "p6"),
           "waiting: %s", waiting ? waiting : "none");
    CHECK (missing && strcmp (missing, "ccm-msp13  2030-09-15  FR") == 0,
           "States Parties without credentials: %s", missing ? missing : "none");
    json_decref (values);
    values = json_object ();
    CHECK (notify_store_digest (f.store, "2030-09-20", values) == 0
           && strcmp (json_string_value (json_object_get (values, "waiting_count")), "0") == 0
           && strcmp (json_string_value (json_object_get (values, "credentials_count")), "0") == 0,
           "nothing once the meeting is over");
    json_decref (values);
    s_teardown (&f);
}

static const struct {
    const char *name;
    int (*run) (int verbose);
} s_selftests [] = {
    { "template", notify_template_test },
    { "mime",     notify_mime_test },
    { "itip",     notify_itip_test },
    { "rate",     notify_rate_test },
};

static const struct {
    const char *name;
    void (*run) (void);
} s_tests [] = {
    { "worker_registrations", s_test_registrations },
    { "worker_subscriptions", s_test_subscriptions },
    { "worker_digest",        s_test_digest },
};

int
main (int argc, char *argv [])
{
    const char *filter = argc > 1 ? argv [1] : NULL;
    for (size_t i = 0; i < sizeof s_selftests / sizeof s_selftests [0]; i++)
        if (!filter || strstr (s_selftests [i].name, filter)) {
            int rc = s_selftests [i].run (1);
            printf ("%-24s %s\n", s_selftests [i].name, rc ? "FAIL" : "PASS");
            s_failed += rc != 0;
        }
    for (size_t i = 0; i < sizeof s_tests / sizeof s_tests [0]; i++)
        if (!filter || strstr (s_tests [i].name, filter)) {
            int before = s_failed;
            s_tests [i].run ();
            printf ("%-24s %s\n", s_tests [i].name, s_failed == before ? "PASS" : "FAIL");
        }
    return s_failed ? 1 : 0;
}

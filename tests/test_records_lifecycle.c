/*  test_records_lifecycle — the records worker's rules for the meeting and session
    lifecycle, delegations and observer admission, the participant
    lifecycle (updates with history, two-level approval, rejection,
    withdrawal) and the attendance statistics.

    In-process like test_records: batches go through records_worker_handler
    on a store in a fresh mktemp -d folder per test; payloads and replies are
    checked against the schema.  Every rule has a check that fails without
    it, usually the exact reason the person at the CLI reads.

    Usage: test_records_lifecycle */
#include "records_store.h"
#include "records_worker.h"
#include "pl_schema.h"
#include "pl_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


//  Apply an event and expect it applied / rejected with REASON.
#define APPLIED(topic, payload) CHECK (s_apply (f, topic, payload, reason) == 1)
#define REJECTED(topic, payload, want) do { \
    CHECK (s_apply (f, topic, payload, reason) == 0); CHECK_STR (reason, want); } while (0)

typedef struct {
    char dir [64];
    char path [128];
    records_store_t *store;
    const pl_worker_handler_t *handler;
    uint64_t seq;                   //  the last seq applied
} fixture_t;

#define T0 1795000000123LL          //  2026-11-18T11:06:40.123Z

//  Apply one event (PAYLOAD taken) at the next seq; 1 applied, 0 rejected
//  (REASON filled), -1 on failure or an invalid test payload.
static int
s_apply (fixture_t *f, const char *topic, json_t *payload, char *reason)
{
    char err [PL_ERR_MAX];
    int rc = -1;
    if (!payload || pl_schema_validate (pl_schema_find (topic), payload, err, sizeof err))
        fprintf (stderr, "test_records_lifecycle: bad test payload for %s: %s\n", topic,
                 payload ? err : "NULL");
    else {
        f->seq++;
        pl_delivery_t event = {
            .seq = f->seq, .topic = topic, .event_id = "test", .payload = payload,
            .time_ms = T0 + (int64_t) f->seq, .attempt = 1
        };
        pl_verdict_t verdict;
        if (f->handler->apply (f->store, &event, 1, &verdict) == 0) {
            strcpy (reason, verdict.reason);
            rc = verdict.applied;
        }
    }
    json_decref (payload);
    return rc;
}

//  Query NAME with ARGS (taken) as ROLE; the reply must match the schema.
static json_t *
s_query_as (fixture_t *f, const char *name, json_t *args, const char *role, int *status,
            char *err)
{
    const pl_message_t *query = pl_schema_find (name);
    char why [PL_ERR_MAX];
    json_t *reply = NULL;
    *status = 200;
    err [0] = 0;
    if (!query || pl_schema_validate (query, args, why, sizeof why))
        fprintf (stderr, "test_records_lifecycle: bad test query %s\n", name);
    else {
        reply = f->handler->query (f->store, name, args, role, status, err, PL_ERR_MAX);
        if (reply && pl_schema_validate (pl_schema_find (query->reply), reply, why, sizeof why)) {
            fprintf (stderr, "test_records_lifecycle: invalid reply to %s: %s\n", name, why);
            json_decref (reply);
            reply = NULL;
        }
    }
    json_decref (args);
    return reply;
}

//  Query NAME with ARGS (taken) as the secretariat.
static json_t *
s_query (fixture_t *f, const char *name, json_t *args, int *status, char *err)
{
    return s_query_as (f, name, args, "secretariat", status, err);
}

static const char *
s_str (const json_t *object, const char *name)
{
    return json_string_value (json_object_get (object, name));
}

static json_int_t
s_int (const json_t *object, const char *name)
{
    return json_integer_value (json_object_get (object, name));
}

static json_t *
s_meeting (const char *id, const char *convention, const char *start, const char *end)
{
    return json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", id,
                      "convention", convention, "kind", "msp", "title", "Meeting",
                      "venue", "Geneva", "tz", "Europe/Zurich", "start", start, "end", end);
}

static json_t *
s_session (const char *meeting, const char *id, const char *start, const char *end)
{
    return json_pack ("{s:s, s:s, s:s, s:s, s:s}", "meeting", meeting, "id", id,
                      "title", "Plenary", "start", start, "end", end);
}

static json_t *
s_person (const char *meeting, const char *family, const char *delegation)
{
    return json_pack ("{s:s, s:s, s:s}", "meeting", meeting, "family_name", family,
                      "delegation", delegation);
}

static json_t *
s_declare (const char *convention, const char *code, const char *status, const char *name)
{
    json_t *event = json_pack ("{s:s, s:s, s:s}", "convention", convention, "code", code,
                               "status", status);
    if (name)
        json_object_set_new (event, "name", json_string (name));
    return event;
}

static json_t *
s_act (const char *meeting, const char *participant, const char *focal, const char *why)
{
    json_t *event = json_pack ("{s:s, s:s}", "meeting", meeting, "participant", participant);
    if (focal)
        json_object_set_new (event, "focal_point", json_string (focal));
    if (why)
        json_object_set_new (event, "reason", json_string (why));
    return event;
}

//  The participant ID of MEETING from participant.list (new reference), or NULL.
static json_t *
s_find (fixture_t *f, const char *meeting, const char *id)
{
    int status;
    char err [PL_ERR_MAX];
    json_t *reply = s_query (f, "participant.list", json_pack ("{s:s}", "meeting", meeting),
                             &status, err);
    json_t *found = NULL, *item;
    size_t index;
    json_array_foreach (json_object_get (reply, "items"), index, item)
        if (strcmp (s_str (item, "id"), id) == 0)
            found = json_incref (item);
    json_decref (reply);
    return found;
}

//  The status of participant ID, into BUF.
static const char *
s_status (fixture_t *f, const char *meeting, const char *id, char *buf)
{
    json_t *p = s_find (f, meeting, id);
    snprintf (buf, 32, "%s", p ? s_str (p, "status") : "(none)");
    json_decref (p);
    return buf;
}

//  --------------------------------------------------------------------------
//  Meetings

static int
test_meeting_update (fixture_t *f)
{
    char reason [PL_REASON_MAX], err [PL_ERR_MAX];
    int status;
    REJECTED ("meeting.updated", json_pack ("{s:s, s:s}", "id", "nope", "title", "X"),
              "meeting nope does not exist");
    APPLIED ("meeting.scheduled", s_meeting ("m", "CCM", "2030-09-09", "2030-09-12"));
    REJECTED ("meeting.updated", json_pack ("{s:s, s:s}", "id", "m", "reason", "just because"),
              "meeting m: nothing to change");
    REJECTED ("meeting.updated", json_pack ("{s:s, s:s}", "id", "m", "tz", "Mars/Olympus"),
              "meeting m: unknown time zone Mars/Olympus");
    //  the new start against the old end
    REJECTED ("meeting.updated", json_pack ("{s:s, s:s}", "id", "m", "start", "2030-09-13"),
              "meeting m: end 2030-09-12 is before start 2030-09-13");
    APPLIED ("session.scheduled", s_session ("m", "d1", "2030-09-09T10:00", "2030-09-09T13:00"));
    REJECTED ("meeting.updated", json_pack ("{s:s, s:s}", "id", "m", "start", "2030-09-10"),
              "meeting m: session d1 would fall outside 2030-09-10 to 2030-09-12; "
              "move or cancel it first");
    APPLIED ("meeting.updated", json_pack ("{s:s, s:s, s:s, s:s}", "id", "m", "title",
                                           "Eleventh Meeting", "end", "2030-09-13",
                                           "venue", "Lausanne"));
    json_t *reply = s_query (f, "meeting.show", json_pack ("{s:s}", "id", "m"), &status, err);
    CHECK (reply);
    CHECK_STR (s_str (reply, "title"), "Eleventh Meeting");
    CHECK_STR (s_str (reply, "end"), "2030-09-13");
    CHECK_STR (s_str (reply, "start"), "2030-09-09");       //  kept
    CHECK_STR (s_str (reply, "venue"), "Lausanne");
    json_decref (reply);
    //  a cancelled meeting cannot change, be closed, nor take registrations
    APPLIED ("meeting.cancelled", json_pack ("{s:s}", "id", "m"));
    REJECTED ("meeting.updated", json_pack ("{s:s, s:s}", "id", "m", "title", "Y"),
              "meeting m is cancelled; it cannot be updated");
    REJECTED ("meeting.closed", json_pack ("{s:s}", "id", "m"),
              "meeting m is cancelled; it cannot be closed");
    REJECTED ("participant.registered", s_person ("m", "Doe", "FR"),
              "meeting m is cancelled; registration is closed");
    APPLIED ("meeting.scheduled", s_meeting ("c", "CCM", "2030-10-09", "2030-10-12"));
    APPLIED ("meeting.closed", json_pack ("{s:s}", "id", "c"));
    REJECTED ("meeting.cancelled", json_pack ("{s:s}", "id", "c"),
              "meeting c is closed; it cannot be cancelled");
    REJECTED ("participant.registered", s_person ("c", "Doe", "FR"),
              "meeting c is closed; registration is closed");
    return 0;
fail:
    return -1;
}

static int
test_sessions (fixture_t *f)
{
    char reason [PL_REASON_MAX], err [PL_ERR_MAX];
    int status;
    REJECTED ("session.scheduled", s_session ("nope", "d1", "2030-09-09T10:00", "2030-09-09T13:00"),
              "meeting nope does not exist");
    APPLIED ("meeting.scheduled", s_meeting ("m", "CCM", "2030-09-09", "2030-09-12"));
    REJECTED ("session.scheduled", s_session ("m", "d1", "2030-09-09T13:00", "2030-09-09T10:00"),
              "session d1: end 2030-09-09T10:00:00 is not after start 2030-09-09T13:00:00");
    REJECTED ("session.scheduled", s_session ("m", "d1", "2030-09-09T10:00", "2030-09-09T10:00:00"),
              "session d1: end 2030-09-09T10:00:00 is not after start 2030-09-09T10:00:00");
    REJECTED ("session.scheduled", s_session ("m", "d0", "2030-09-08T10:00", "2030-09-08T13:00"),
              "session d0: 2030-09-08 is outside meeting m (2030-09-09 to 2030-09-12)");
    REJECTED ("session.scheduled", s_session ("m", "d5", "2030-09-12T22:00", "2030-09-13T01:00"),
              "session d5: 2030-09-13 is outside meeting m (2030-09-09 to 2030-09-12)");
    //  the last local day, late, is inside
    APPLIED ("session.scheduled", s_session ("m", "d4", "2030-09-12T22:00", "2030-09-12T23:30"));
    json_t *am = s_session ("m", "d1", "2030-09-09T10:00", "2030-09-09T13:00");
    json_object_set_new (am, "room", json_string ("Room XIX"));
    json_object_set_new (am, "agenda_items", json_pack ("[s, s]", "8(a)", "9(h)(i)"));
    APPLIED ("session.scheduled", am);
    REJECTED ("session.scheduled", s_session ("m", "d1", "2030-09-10T10:00", "2030-09-10T13:00"),
              "session d1 of meeting m already exists");
    //  the same session id in another meeting is another session
    APPLIED ("meeting.scheduled", s_meeting ("n", "CCM", "2030-10-09", "2030-10-12"));
    APPLIED ("session.scheduled", s_session ("n", "d1", "2030-10-09T10:00", "2030-10-09T13:00"));
    //  move
    json_t *move = json_pack ("{s:s, s:s, s:s, s:s}", "meeting", "m", "id", "zz",
                              "start", "2030-09-10T10:00", "end", "2030-09-10T13:00");
    REJECTED ("session.moved", move, "session zz of meeting m does not exist");
    move = json_pack ("{s:s, s:s, s:s, s:s}", "meeting", "m", "id", "d1",
                      "start", "2030-09-13T10:00", "end", "2030-09-13T13:00");
    REJECTED ("session.moved", move,
              "session d1: 2030-09-13 is outside meeting m (2030-09-09 to 2030-09-12)");
    move = json_pack ("{s:s, s:s, s:s, s:s}", "meeting", "m", "id", "d1",
                      "start", "2030-09-10T15:00", "end", "2030-09-10T14:00");
    REJECTED ("session.moved", move,
              "session d1: end 2030-09-10T14:00:00 is not after start 2030-09-10T15:00:00");
    move = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s}", "meeting", "m", "id", "d1",
                      "start", "2030-09-10T15:00", "end", "2030-09-10T18:00",
                      "room", "Room XX", "reason", "opening delayed");
    APPLIED ("session.moved", move);
    json_t *reply = s_query (f, "session.list", json_pack ("{s:s}", "meeting", "m"), &status, err);
    CHECK (reply);
    json_t *items = json_object_get (reply, "items");
    CHECK (json_array_size (items) == 2);
    json_t *d1 = json_array_get (items, 0);                  //  by start: d1 moved before d4
    CHECK_STR (s_str (d1, "id"), "d1");
    CHECK_STR (s_str (d1, "start"), "2030-09-10T15:00:00");
    CHECK_STR (s_str (d1, "room"), "Room XX");
    CHECK_STR (s_str (d1, "reason"), "opening delayed");
    CHECK_STR (json_string_value (json_array_get (json_object_get (d1, "agenda_items"), 1)),
               "9(h)(i)");
    CHECK_STR (s_str (json_array_get (items, 1), "id"), "d4");
    json_decref (reply);
    //  cancel
    REJECTED ("session.cancelled", json_pack ("{s:s, s:s}", "meeting", "m", "id", "zz"),
              "session zz of meeting m does not exist");
    APPLIED ("session.cancelled", json_pack ("{s:s, s:s, s:s}", "meeting", "m", "id", "d4",
                                             "reason", "work completed"));
    REJECTED ("session.cancelled", json_pack ("{s:s, s:s}", "meeting", "m", "id", "d4"),
              "session d4 of meeting m is already cancelled");
    move = json_pack ("{s:s, s:s, s:s, s:s}", "meeting", "m", "id", "d4",
                      "start", "2030-09-11T10:00", "end", "2030-09-11T13:00");
    REJECTED ("session.moved", move, "session d4 of meeting m is cancelled; it cannot move");
    reply = s_query (f, "session.list", json_pack ("{s:s, s:s}", "meeting", "m",
                                                   "status", "cancelled"), &status, err);
    CHECK (reply && json_array_size (json_object_get (reply, "items")) == 1);
    CHECK_STR (s_str (json_array_get (json_object_get (reply, "items"), 0), "status"), "cancelled");
    json_decref (reply);
    //  a cancelled session does not hold the meeting's dates
    APPLIED ("meeting.updated", json_pack ("{s:s, s:s}", "id", "m", "end", "2030-09-11"));
    //  a closed meeting's programme is frozen
    APPLIED ("meeting.closed", json_pack ("{s:s}", "id", "n"));
    REJECTED ("session.scheduled", s_session ("n", "d2", "2030-10-10T10:00", "2030-10-10T13:00"),
              "meeting n is closed; its programme cannot change");
    REJECTED ("session.cancelled", json_pack ("{s:s, s:s}", "meeting", "n", "id", "d1"),
              "meeting n is closed; its programme cannot change");
    CHECK (!s_query (f, "session.list", json_pack ("{s:s}", "meeting", "nope"), &status, err));
    CHECK (status == 404);
    CHECK_STR (err, "meeting nope does not exist");
    return 0;
fail:
    return -1;
}

//  --------------------------------------------------------------------------
//  Delegations and admission

static int
test_delegations (fixture_t *f)
{
    char reason [PL_REASON_MAX], err [PL_ERR_MAX], buf [32];
    int status;
    APPLIED ("meeting.scheduled", s_meeting ("m", "CCM", "2030-09-09", "2030-09-12"));
    APPLIED ("delegation.declared", s_declare ("CCM", "FR", "state-party", NULL));
    REJECTED ("delegation.declared", s_declare ("CCM", "XZ", "state-party", NULL),
              "XZ is not an ISO 3166-1 alpha-2 code of a State; only a State can be a State Party");
    REJECTED ("delegation.declared", s_declare ("CCM", "ICRC", "signatory", NULL),
              "ICRC is not an ISO 3166-1 alpha-2 code of a State; only a State can be a signatory");
    REJECTED ("delegation.declared", s_declare ("CCM", "DE", "state-party", "Germany"),
              "DE is a State (Germany): its name comes from ISO 3166-1; give no name");
    REJECTED ("delegation.declared", s_declare ("CCM", "ICRC", "organization", NULL),
              "organisation ICRC needs a name (--name)");
    REJECTED ("delegation.declared", s_declare ("CCM", "CH", "organization", "Swiss"),
              "CH is the ISO 3166-1 code of Switzerland; an international organisation needs "
              "a code of its own");
    APPLIED ("delegation.declared", s_declare ("CCM", "ICRC", "organization",
                                                "International Committee of the Red Cross"));
    //  registration: an unknown State code and an undeclared organisation
    REJECTED ("participant.registered", s_person ("m", "Doe", "XZ"),
              "delegation XZ: not an ISO 3166-1 alpha-2 code of a State");
    REJECTED ("participant.registered", s_person ("m", "Doe", "GICHD"),
              "delegation GICHD is not declared for CCM; declare the organisation first "
              "(plenary delegation set --convention CCM --code GICHD --status organization "
              "--name NAME)");
    //  declared for another convention only: still not declared for CCM
    APPLIED ("delegation.declared", s_declare ("APMBC", "GICHD", "organization",
                                                "Geneva International Centre for Humanitarian Demining"));
    REJECTED ("participant.registered", s_person ("m", "Doe", "GICHD"),
              "delegation GICHD is not declared for CCM; declare the organisation first "
              "(plenary delegation set --convention CCM --code GICHD --status organization "
              "--name NAME)");
    //  a State Party and an undeclared State are registered
    APPLIED ("participant.registered", s_person ("m", "Dupont", "FR"));
    uint64_t dupont = f->seq;
    APPLIED ("participant.registered", s_person ("m", "Müller", "DE"));
    char id [16];
    snprintf (id, sizeof id, "p%llu", (unsigned long long) dupont);
    json_t *p = s_find (f, "m", id);
    CHECK (p);
    CHECK_STR (s_str (p, "category"), "state-party");
    CHECK_STR (s_str (p, "delegation_name"), "France");
    CHECK_STR (s_str (p, "status"), "registered");
    json_decref (p);
    snprintf (id, sizeof id, "p%llu", (unsigned long long) dupont + 1);
    p = s_find (f, "m", id);
    CHECK (p);
    CHECK_STR (s_str (p, "category"), "undeclared");
    CHECK_STR (s_str (p, "delegation_name"), "Germany");
    CHECK_STR (s_status (f, "m", id, buf), "registered");
    json_decref (p);
    //  declaring again changes the status; the list says so
    APPLIED ("delegation.declared", s_declare ("CCM", "FR", "signatory", NULL));
    json_t *reply = s_query (f, "delegation.list", json_pack ("{s:s}", "convention", "CCM"),
                             &status, err);
    CHECK (reply);
    json_t *items = json_object_get (reply, "items");
    CHECK (json_array_size (items) == 2);
    CHECK_STR (s_str (json_array_get (items, 0), "code"), "FR");
    CHECK_STR (s_str (json_array_get (items, 0), "status"), "signatory");
    CHECK_STR (s_str (json_array_get (items, 0), "name"), "France");
    CHECK_STR (s_str (json_array_get (items, 1), "name"), "International Committee of the Red Cross");
    CHECK (!json_object_get (json_array_get (items, 0), "admitted"));
    json_decref (reply);
    CHECK (!s_query (f, "delegation.list", json_object (), &status, err));
    CHECK (status == 400);
    return 0;
fail:
    return -1;
}

static int
test_admission (fixture_t *f)
{
    char reason [PL_REASON_MAX], err [PL_ERR_MAX], buf [32], id [16], id2 [16];
    int status;
    APPLIED ("meeting.scheduled", s_meeting ("m", "CCM", "2030-09-09", "2030-09-12"));
    APPLIED ("delegation.declared", s_declare ("CCM", "FR", "state-party", NULL));
    APPLIED ("delegation.declared", s_declare ("CCM", "US", "not-party", NULL));
    APPLIED ("delegation.declared", s_declare ("CCM", "CMC", "civil-society",
                                                "Cluster Munition Coalition"));
    APPLIED ("participant.registered", s_person ("m", "Smith", "US"));
    snprintf (id, sizeof id, "p%llu", (unsigned long long) f->seq);
    json_t *p = s_find (f, "m", id);
    CHECK (p);
    CHECK_STR (s_str (p, "status"), "pending");
    CHECK_STR (s_str (p, "status_reason"), "awaiting admission of US as observer");
    CHECK_STR (s_str (p, "category"), "not-party");
    json_decref (p);
    APPLIED ("participant.registered", s_person ("m", "Jones", "CMC"));
    snprintf (id2, sizeof id2, "p%llu", (unsigned long long) f->seq);
    CHECK_STR (s_status (f, "m", id2, buf), "pending");
    //  a pending registration cannot be approved or confirmed yet
    snprintf (buf, sizeof buf, "%s", id);
    json_t *act = s_act ("m", id, NULL, NULL);
    CHECK (s_apply (f, "participant.approved", act, reason) == 0);
    char want [PL_REASON_MAX];
    snprintf (want, sizeof want, "participant %s is pending; it cannot be approved before its "
              "delegation is admitted", id);
    CHECK_STR (reason, want);
    //  admission rules
    REJECTED ("delegation.admitted", json_pack ("{s:s, s:s}", "meeting", "nope", "delegation", "US"),
              "meeting nope does not exist");
    REJECTED ("delegation.admitted", json_pack ("{s:s, s:s}", "meeting", "m", "delegation", "FR"),
              "FR is a State Party to CCM; it takes part without admission");
    REJECTED ("delegation.admitted", json_pack ("{s:s, s:s}", "meeting", "m", "delegation", "DE"),
              "the status of DE toward CCM is not declared; declare it not-party before "
              "admitting it as observer");
    REJECTED ("delegation.admitted", json_pack ("{s:s, s:s}", "meeting", "m", "delegation", "XZ"),
              "delegation XZ: not an ISO 3166-1 alpha-2 code of a State");
    APPLIED ("delegation.admitted", json_pack ("{s:s, s:s, s:s}", "meeting", "m",
                                               "delegation", "US", "reason", "rule 1"));
    REJECTED ("delegation.admitted", json_pack ("{s:s, s:s}", "meeting", "m", "delegation", "US"),
              "US is already admitted to m as observer");
    //  the pending registration of US moved, CMC's did not
    p = s_find (f, "m", id);
    CHECK (p);
    CHECK_STR (s_str (p, "status"), "registered");
    CHECK_STR (s_str (p, "status_reason"), "US admitted as observer: rule 1");
    json_decref (p);
    CHECK_STR (s_status (f, "m", id2, buf), "pending");
    json_t *reply = s_query (f, "participant.history",
                             json_pack ("{s:s, s:s}", "meeting", "m", "participant", id),
                             &status, err);
    CHECK (reply);
    json_t *items = json_object_get (reply, "items");
    CHECK (json_array_size (items) == 2);
    CHECK_STR (s_str (json_array_get (items, 0), "change"), "registered");
    CHECK_STR (s_str (json_array_get (items, 0), "status"), "pending");
    CHECK_STR (s_str (json_array_get (items, 1), "change"), "admitted");
    CHECK_STR (s_str (json_array_get (items, 1), "status"), "registered");
    json_decref (reply);
    //  after admission a new registration is registered at once
    APPLIED ("participant.registered", s_person ("m", "Brown", "US"));
    snprintf (id, sizeof id, "p%llu", (unsigned long long) f->seq);
    CHECK_STR (s_status (f, "m", id, buf), "registered");
    //  the list of the meeting's delegations says who was admitted
    reply = s_query (f, "delegation.list", json_pack ("{s:s}", "meeting", "m"), &status, err);
    CHECK (reply);
    items = json_object_get (reply, "items");
    CHECK (json_array_size (items) == 3);
    CHECK_STR (s_str (json_array_get (items, 2), "code"), "US");
    CHECK (json_is_true (json_object_get (json_array_get (items, 2), "admitted")));
    CHECK (json_is_false (json_object_get (json_array_get (items, 0), "admitted")));
    json_decref (reply);
    //  admission belongs to one meeting
    APPLIED ("meeting.scheduled", s_meeting ("n", "CCM", "2030-10-09", "2030-10-12"));
    APPLIED ("participant.registered", s_person ("n", "Smith", "US"));
    snprintf (id, sizeof id, "p%llu", (unsigned long long) f->seq);
    CHECK_STR (s_status (f, "n", id, buf), "pending");
    return 0;
fail:
    return -1;
}

//  --------------------------------------------------------------------------
//  Participant lifecycle

static int
test_approval (fixture_t *f)
{
    char reason [PL_REASON_MAX], want [PL_REASON_MAX], buf [32];
    char fp [16], a [16], b [16], c [16], gb [16], gbfp [16];
    APPLIED ("meeting.scheduled", s_meeting ("m", "CCM", "2030-09-09", "2030-09-12"));
    json_t *head = s_person ("m", "Martin", "FR");
    json_object_set_new (head, "focal_point", json_true ());
    APPLIED ("participant.registered", head);
    snprintf (fp, sizeof fp, "p%llu", (unsigned long long) f->seq);
    APPLIED ("participant.registered", s_person ("m", "Adams", "FR"));
    snprintf (a, sizeof a, "p%llu", (unsigned long long) f->seq);
    APPLIED ("participant.registered", s_person ("m", "Bernard", "FR"));
    snprintf (b, sizeof b, "p%llu", (unsigned long long) f->seq);
    APPLIED ("participant.registered", s_person ("m", "Clement", "FR"));
    snprintf (c, sizeof c, "p%llu", (unsigned long long) f->seq);
    APPLIED ("participant.registered", s_person ("m", "Green", "GB"));
    snprintf (gb, sizeof gb, "p%llu", (unsigned long long) f->seq);
    json_t *gbhead = s_person ("m", "Grey", "GB");
    json_object_set_new (gbhead, "focal_point", json_true ());
    APPLIED ("participant.registered", gbhead);
    snprintf (gbfp, sizeof gbfp, "p%llu", (unsigned long long) f->seq);

    REJECTED ("participant.approved", s_act ("m", "p999", NULL, NULL),
              "participant p999 of meeting m does not exist");
    //  focal point rules
    CHECK (s_apply (f, "participant.approved", s_act ("m", a, b, NULL), reason) == 0);
    snprintf (want, sizeof want, "%s is not a focal point of delegation FR", b);
    CHECK_STR (reason, want);
    CHECK (s_apply (f, "participant.approved", s_act ("m", a, gbfp, NULL), reason) == 0);
    snprintf (want, sizeof want, "focal point %s of delegation GB cannot act on %s of "
              "delegation FR", gbfp, a);
    CHECK_STR (reason, want);
    CHECK (s_apply (f, "participant.approved", s_act ("m", fp, fp, NULL), reason) == 0);
    snprintf (want, sizeof want, "participant %s cannot be approved by itself as focal point", fp);
    CHECK_STR (reason, want);
    CHECK (s_apply (f, "participant.approved", s_act ("m", a, "p999", NULL), reason) == 0);
    CHECK_STR (reason, "focal point p999 is not a participant of meeting m");
    //  approved by the focal point, then confirmed
    APPLIED ("participant.approved", s_act ("m", a, fp, "documents in order"));
    json_t *p = s_find (f, "m", a);
    CHECK (p);
    CHECK_STR (s_str (p, "status"), "approved");
    snprintf (want, sizeof want, "approved by focal point %s: documents in order", fp);
    CHECK_STR (s_str (p, "status_reason"), want);
    json_decref (p);
    CHECK (s_apply (f, "participant.approved", s_act ("m", a, NULL, NULL), reason) == 0);
    snprintf (want, sizeof want, "participant %s is already approved", a);
    CHECK_STR (reason, want);
    //  the focal point cannot reject what it approved: the secretariat can
    CHECK (s_apply (f, "participant.rejected", s_act ("m", a, fp, "changed my mind"), reason) == 0);
    snprintf (want, sizeof want, "participant %s is approved; only the secretariat can reject it now", a);
    CHECK_STR (reason, want);
    APPLIED ("participant.confirmed", s_act ("m", a, NULL, NULL));
    p = s_find (f, "m", a);
    CHECK_STR (s_str (p, "status"), "confirmed");
    CHECK_STR (s_str (p, "status_reason"), "confirmed by the secretariat");
    json_decref (p);
    CHECK (s_apply (f, "participant.rejected", s_act ("m", a, NULL, "late"), reason) == 0);
    snprintf (want, sizeof want, "participant %s is confirmed; it cannot be rejected", a);
    CHECK_STR (reason, want);
    CHECK (s_apply (f, "participant.approved", s_act ("m", a, NULL, NULL), reason) == 0);
    snprintf (want, sizeof want, "participant %s is confirmed; it cannot be approved", a);
    CHECK_STR (reason, want);
    //  the secretariat skips the first level
    APPLIED ("participant.confirmed", s_act ("m", b, NULL, NULL));
    p = s_find (f, "m", b);
    CHECK_STR (s_str (p, "status"), "confirmed");
    CHECK_STR (s_str (p, "status_reason"),
               "confirmed by the secretariat without the focal point's approval");
    json_decref (p);
    //  the secretariat approves without a focal point
    APPLIED ("participant.approved", s_act ("m", gb, NULL, NULL));
    CHECK_STR (s_status (f, "m", gb, buf), "approved");
    //  the focal point rejects a registration of its delegation
    APPLIED ("participant.rejected", s_act ("m", c, fp, "not a member of the delegation"));
    p = s_find (f, "m", c);
    CHECK_STR (s_str (p, "status"), "rejected");
    snprintf (want, sizeof want, "rejected by focal point %s: not a member of the delegation", fp);
    CHECK_STR (s_str (p, "status_reason"), want);
    json_decref (p);
    CHECK (s_apply (f, "participant.confirmed", s_act ("m", c, NULL, NULL), reason) == 0);
    snprintf (want, sizeof want, "participant %s is rejected; it cannot be confirmed", c);
    CHECK_STR (reason, want);
    CHECK (s_apply (f, "participant.withdrawn", s_act ("m", c, NULL, NULL), reason) == 0);
    snprintf (want, sizeof want, "participant %s is rejected; it cannot be withdrawn", c);
    CHECK_STR (reason, want);
    //  a rejected person may register again
    APPLIED ("participant.registered", s_person ("m", "Clement", "FR"));
    //  withdrawal, from confirmed; a withdrawn focal point acts no more
    APPLIED ("participant.withdrawn", s_act ("m", b, NULL, "travel cancelled"));
    p = s_find (f, "m", b);
    CHECK_STR (s_str (p, "status"), "withdrawn");
    CHECK_STR (s_str (p, "status_reason"), "travel cancelled");
    json_decref (p);
    CHECK (s_apply (f, "participant.withdrawn", s_act ("m", b, NULL, NULL), reason) == 0);
    snprintf (want, sizeof want, "participant %s is already withdrawn", b);
    CHECK_STR (reason, want);
    APPLIED ("participant.withdrawn", s_act ("m", fp, NULL, NULL));
    APPLIED ("participant.registered", s_person ("m", "Dubois", "FR"));
    char d [16];
    snprintf (d, sizeof d, "p%llu", (unsigned long long) f->seq);
    CHECK (s_apply (f, "participant.approved", s_act ("m", d, fp, NULL), reason) == 0);
    snprintf (want, sizeof want, "focal point %s is withdrawn", fp);
    CHECK_STR (reason, want);
    return 0;
fail:
    return -1;
}

static int
test_update_history (fixture_t *f)
{
    char reason [PL_REASON_MAX], want [PL_REASON_MAX], err [PL_ERR_MAX], a [16], b [16];
    int status;
    APPLIED ("meeting.scheduled", s_meeting ("m", "CCM", "2030-09-09", "2030-09-12"));
    json_t *person = s_person ("m", "Łukasiewicz", "PL");
    json_object_set_new (person, "given_name", json_string ("Zofia"));
    json_object_set_new (person, "function", json_string ("expert"));
    APPLIED ("participant.registered", person);
    snprintf (a, sizeof a, "p%llu", (unsigned long long) f->seq);
    APPLIED ("participant.registered", s_person ("m", "Nowak", "PL"));
    snprintf (b, sizeof b, "p%llu", (unsigned long long) f->seq);
    REJECTED ("participant.updated", json_pack ("{s:s, s:s, s:s}", "meeting", "m",
                                                "participant", "p999", "function", "head"),
              "participant p999 of meeting m does not exist");
    //  the same values again: nothing to change
    CHECK (s_apply (f, "participant.updated", json_pack ("{s:s, s:s, s:s}", "meeting", "m",
                    "participant", a, "function", "expert"), reason) == 0);
    snprintf (want, sizeof want, "participant %s: nothing to change", a);
    CHECK_STR (reason, want);
    //  becoming a duplicate of another participant
    CHECK (s_apply (f, "participant.updated", json_pack ("{s:s, s:s, s:s, s:s}", "meeting", "m",
                    "participant", b, "family_name", "Łukasiewicz", "given_name", "Zofia"),
                    reason) == 0);
    snprintf (want, sizeof want, "participant %s: Łukasiewicz, Zofia (PL) is already registered "
              "to m as %s", b, a);
    CHECK_STR (reason, want);
    //  a delegation that does not exist
    CHECK (s_apply (f, "participant.updated", json_pack ("{s:s, s:s, s:s}", "meeting", "m",
                    "participant", b, "delegation", "XZ"), reason) == 0);
    CHECK_STR (reason, "delegation XZ: not an ISO 3166-1 alpha-2 code of a State");
    //  a real change, twice
    APPLIED ("participant.updated", json_pack ("{s:s, s:s, s:s, s:s, s:b, s:s}", "meeting", "m",
                                               "participant", a, "function", "head",
                                               "given_name", "Zofia", "sponsored", 1,
                                               "reason", "new head of delegation"));
    uint64_t first = f->seq;
    APPLIED ("participant.updated", json_pack ("{s:s, s:s, s:s}", "meeting", "m",
                                               "participant", a, "email", "zofia@example.pl"));
    json_t *p = s_find (f, "m", a);
    CHECK (p);
    CHECK_STR (s_str (p, "function"), "head");
    CHECK_STR (s_str (p, "email"), "zofia@example.pl");
    CHECK (json_is_true (json_object_get (p, "sponsored")));
    CHECK_STR (s_str (p, "family_name"), "Łukasiewicz");
    json_decref (p);
    //  the new e-mail is a duplicate key now
    REJECTED ("participant.registered",
              json_pack ("{s:s, s:s, s:s, s:s}", "meeting", "m", "family_name", "Other",
                         "delegation", "PL", "email", "ZOFIA@example.pl"),
              "Łukasiewicz, Zofia (PL) is already registered to m as p2");
    json_t *reply = s_query (f, "participant.history",
                             json_pack ("{s:s, s:s}", "meeting", "m", "participant", a),
                             &status, err);
    CHECK (reply);
    json_t *items = json_object_get (reply, "items");
    CHECK (json_array_size (items) == 3);
    json_t *change = json_array_get (items, 1);
    CHECK (s_int (change, "seq") == (json_int_t) first);
    CHECK_STR (s_str (change, "change"), "updated");
    CHECK_STR (s_str (change, "reason"), "new head of delegation");
    CHECK_STR (s_str (change, "at"), "2026-11-18T11:06:40.131Z");     //  T0 + seq 8
    json_t *changed = json_object_get (change, "changed");
    CHECK (json_array_size (changed) == 2);                   //  given_name was the same
    CHECK_STR (json_string_value (json_array_get (changed, 0)), "function");
    CHECK_STR (json_string_value (json_array_get (changed, 1)), "sponsored");
    json_t *before = json_loads (s_str (change, "before"), 0, NULL);
    CHECK (before);
    CHECK_STR (s_str (before, "function"), "expert");
    json_decref (before);
    json_decref (reply);
    //  a lower role learns no e-mail address from the history, nor that one
    //  changed: the details before each change and the fields changed are
    //  without the personal ones (the worker engine leaves out the rest)
    APPLIED ("participant.updated", json_pack ("{s:s, s:s, s:s}", "meeting", "m",
                                               "participant", a, "position", "Ambassador"));
    reply = s_query_as (f, "participant.history", json_pack ("{s:s, s:s}", "meeting", "m",
                        "participant", a), "delegate", &status, err);
    CHECK (reply && json_array_size (json_object_get (reply, "items")) == 4);
    char *text = json_dumps (reply, JSON_COMPACT);
    int leaks = !text || strstr (text, "zofia@") || strstr (text, "\"email\"")
             || strstr (text, "\\\"email\\\"");
    free (text);
    CHECK (!leaks);
    change = json_array_get (json_object_get (reply, "items"), 2);
    CHECK (!json_object_get (change, "changed"));             //  only the e-mail changed
    before = json_loads (s_str (json_array_get (json_object_get (reply, "items"), 3),
                                "before"), 0, NULL);
    CHECK (before && s_str (before, "function") && !json_object_get (before, "email"));
    json_decref (before);
    json_decref (reply);
    //  the secretariat's history has them
    reply = s_query (f, "participant.history", json_pack ("{s:s, s:s}", "meeting", "m",
                     "participant", a), &status, err);
    text = reply ? json_dumps (reply, JSON_COMPACT) : NULL;
    int kept = text && strstr (text, "zofia@example.pl");
    free (text);
    json_decref (reply);
    CHECK (kept);
    //  withdrawn: kept, no more updates
    APPLIED ("participant.withdrawn", s_act ("m", b, NULL, NULL));
    CHECK (s_apply (f, "participant.updated", json_pack ("{s:s, s:s, s:s}", "meeting", "m",
                    "participant", b, "function", "head"), reason) == 0);
    snprintf (want, sizeof want, "participant %s is withdrawn; it cannot be updated", b);
    CHECK_STR (reason, want);
    p = s_find (f, "m", b);
    CHECK (p && strcmp (s_str (p, "status"), "withdrawn") == 0);
    json_decref (p);
    CHECK (!s_query (f, "participant.history",
                     json_pack ("{s:s, s:s}", "meeting", "m", "participant", "p999"), &status, err));
    CHECK (status == 404);
    return 0;
fail:
    return -1;
}

//  --------------------------------------------------------------------------
//  Statistics

static int
test_stats (fixture_t *f)
{
    char reason [PL_REASON_MAX], err [PL_ERR_MAX];
    int status;
    APPLIED ("meeting.scheduled", s_meeting ("m", "CCM", "2030-09-09", "2030-09-12"));
    static const char *parties [] = { "FR", "DE", "IT", "NO" };
    for (size_t i = 0; i < 4; i++)
        APPLIED ("delegation.declared", s_declare ("CCM", parties [i], "state-party", NULL));
    APPLIED ("delegation.declared", s_declare ("CCM", "AO", "signatory", NULL));
    APPLIED ("delegation.declared", s_declare ("CCM", "US", "not-party", NULL));
    APPLIED ("delegation.declared", s_declare ("CCM", "ICRC", "organization", "ICRC"));
    APPLIED ("delegation.declared", s_declare ("APMBC", "JP", "state-party", NULL));
    APPLIED ("delegation.admitted", json_pack ("{s:s, s:s}", "meeting", "m", "delegation", "ICRC"));
    static const struct {
        const char *family, *delegation, *function, *gender;
        int sponsored;
    } people [] = {
        { "A", "FR", "head",   "f", 0 },
        { "B", "FR", "expert", "m", 1 },
        { "C", "DE", "head",   "m", 0 },
        { "D", "IT", "adviser","x", 1 },
        { "E", "AO", "head",   "f", 1 },
        { "F", "ICRC", NULL,   NULL, 0 },
        { "G", "CH", "head",   "f", 0 },     //  undeclared
        { "H", "US", "head",   "m", 0 },     //  pending: US not admitted
        { "I", "NO", "head",   "m", 0 },     //  withdrawn below
        { "J", "FR", NULL,     "f", 0 },     //  rejected below
    };
    uint64_t first = f->seq + 1;
    for (size_t i = 0; i < sizeof people / sizeof people [0]; i++) {
        json_t *person = s_person ("m", people [i].family, people [i].delegation);
        if (people [i].function)
            json_object_set_new (person, "function", json_string (people [i].function));
        if (people [i].gender)
            json_object_set_new (person, "gender", json_string (people [i].gender));
        if (people [i].sponsored)
            json_object_set_new (person, "sponsored", json_true ());
        APPLIED ("participant.registered", person);
    }
    char id [16];
    snprintf (id, sizeof id, "p%llu", (unsigned long long) first + 8);
    APPLIED ("participant.withdrawn", s_act ("m", id, NULL, NULL));
    snprintf (id, sizeof id, "p%llu", (unsigned long long) first + 9);
    APPLIED ("participant.rejected", s_act ("m", id, NULL, "duplicate badge"));

    json_t *reply = s_query (f, "meeting.stats", json_pack ("{s:s}", "meeting", "m"),
                             &status, err);
    CHECK (reply);
    CHECK_STR (s_str (reply, "convention"), "CCM");
    CHECK (s_int (reply, "participants") == 7);
    CHECK (s_int (reply, "delegations") == 6);             //  FR DE IT AO ICRC CH
    CHECK (s_int (reply, "heads") == 4);                   //  A C E G
    CHECK (s_int (reply, "sponsored") == 3);
    CHECK (s_int (reply, "pending") == 1);
    CHECK (s_int (reply, "rejected") == 1);
    CHECK (s_int (reply, "withdrawn") == 1);
    static const struct {
        const char *category;
        json_int_t delegations, participants;
    } categories [] = {
        { "state-party", 3, 4 }, { "signatory", 1, 1 }, { "not-party", 0, 0 },
        { "organization", 1, 1 }, { "civil-society", 0, 0 }, { "undeclared", 1, 1 },
    };
    json_t *list = json_object_get (reply, "categories");
    CHECK (json_array_size (list) == 6);
    for (size_t i = 0; i < 6; i++) {
        json_t *row = json_array_get (list, i);
        CHECK_STR (s_str (row, "category"), categories [i].category);
        CHECK (s_int (row, "delegations") == categories [i].delegations);
        CHECK (s_int (row, "participants") == categories [i].participants);
    }
    static const struct {
        const char *gender;
        json_int_t participants, heads;
    } genders [] = { { "f", 3, 3 }, { "m", 2, 1 }, { "x", 1, 0 }, { "unknown", 1, 0 } };
    list = json_object_get (reply, "gender");
    CHECK (json_array_size (list) == 4);
    for (size_t i = 0; i < 4; i++) {
        json_t *row = json_array_get (list, i);
        CHECK_STR (s_str (row, "gender"), genders [i].gender);
        CHECK (s_int (row, "participants") == genders [i].participants);
        CHECK (s_int (row, "heads") == genders [i].heads);
    }
    //  FR DE IT of FR DE IT NO (NO withdrew; JP is APMBC's)
    CHECK (s_int (reply, "states_parties_declared") == 4);
    CHECK (s_int (reply, "states_parties_represented") == 3);
    CHECK (s_int (reply, "states_parties_share") == 750);
    json_decref (reply);
    //  the meeting's participant count follows the same rule
    reply = s_query (f, "meeting.show", json_pack ("{s:s}", "id", "m"), &status, err);
    CHECK (reply && s_int (reply, "participants") == 7);
    json_decref (reply);
    CHECK (!s_query (f, "meeting.stats", json_pack ("{s:s}", "meeting", "nope"), &status, err));
    CHECK (status == 404);
    return 0;
fail:
    return -1;
}

static const struct {
    const char *name;
    int (*run) (fixture_t *f);
} s_tests [] = {
    { "meeting updated, cancelled, closed",      test_meeting_update },
    { "sessions scheduled, moved, cancelled",    test_sessions },
    { "delegations declared, codes checked",     test_delegations },
    { "observer admission and pending",          test_admission },
    { "two-level approval, rejection, withdrawal", test_approval },
    { "participant updated, history kept",       test_update_history },
    { "meeting statistics",                      test_stats },
};

int
main (int argc, char *argv [])
{
    setenv ("PLENARY_LOG", "error", 0);
    int failed = 0;
    for (size_t i = 0; i < sizeof s_tests / sizeof s_tests [0]; i++) {
        fixture_t f = { .handler = records_worker_handler () };
        snprintf (f.dir, sizeof f.dir, "%s/test_records_lifecycle.XXXXXX",
                  getenv ("TMPDIR") ? getenv ("TMPDIR") : "/tmp");
        int rc = -1;
        if (mkdtemp (f.dir)) {
            snprintf (f.path, sizeof f.path, "%s/records.db", f.dir);
            f.store = records_store_new (f.path);
            rc = f.store ? s_tests [i].run (&f) : -1;
            records_store_destroy (&f.store);
            char command [160];
            snprintf (command, sizeof command, "rm -rf '%s'", f.dir);
            if (system (command) != 0)
                fprintf (stderr, "test_records_lifecycle: could not remove %s\n", f.dir);
        }
        printf ("%s: %s\n", rc == 0 ? "ok  " : "FAIL", s_tests [i].name);
        failed += rc != 0;
    }
    printf ("test_records_lifecycle: %d failed\n", failed);
    return failed ? 1 : 0;
}

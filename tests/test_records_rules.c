/*  test_records_rules — the domain input the records worker refuses ("One
    truth", item 4), in-process: conventions that are not known, and the
    way to add one; session times that do not exist or happen twice when
    clocks change in the meeting's zone; statements dated outside their
    meeting; how a registration that waits (for an observer's admission,
    for its focal point's approval) says so, and what it waits for after a
    new delegation; and an update that would make a registration the same
    person as another active one of the meeting, made before or after it.

    Deliveries go through the records handler (records_worker_handler) on a
    store in a fresh folder per test, as in test_records_lists.c; every payload
    and reply is checked against the schema, and every refusal against its
    exact reason.  A refused event must change nothing, so each refusal is
    followed by the query that would show it. */
#include "records_store.h"
#include "records_worker.h"
#include "pl_schema.h"
#include "pl_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


typedef struct {
    char dir [64];
    char path [128];
    records_store_t *store;
    const pl_worker_handler_t *handler;
    uint64_t seq;                   //  the last event's seq
    int64_t time_ms;                //  the next event's time
    char reason [PL_REASON_MAX];    //  the last rejection's reason
} fixture_t;

#define T0 1795000000000LL          //  2026-11-18T11:06:40Z

//  Apply one event (PAYLOAD taken) as the next seq.  1 applied, 0 rejected
//  (F->reason), -1 on failure or a payload the schema refuses.
static int
s_apply (fixture_t *f, const char *topic, json_t *payload)
{
    char err [PL_ERR_MAX];
    if (!payload || pl_schema_validate (pl_schema_find (topic), payload, err, sizeof err)) {
        fprintf (stderr, "test_records_rules: bad test payload: %s\n", payload ? err : "none");
        json_decref (payload);
        return -1;
    }
    f->seq++;
    pl_delivery_t event = {
        .seq = f->seq, .topic = topic, .event_id = "test", .payload = payload,
        .time_ms = f->time_ms ? f->time_ms : T0 + (int64_t) f->seq, .attempt = 1
    };
    pl_verdict_t verdict;
    int rc = f->handler->apply (f->store, &event, 1, &verdict);
    json_decref (payload);
    if (rc)
        return -1;
    snprintf (f->reason, sizeof f->reason, "%s", verdict.reason);
    return verdict.applied;
}

//  Query NAME with ARGS (taken); the reply must match the schema.  NULL
//  with *STATUS and ERR otherwise.
static json_t *
s_query (fixture_t *f, const char *name, json_t *args, int *status, char *err)
{
    char why [PL_ERR_MAX];
    const pl_message_t *query = pl_schema_find (name);
    json_t *reply = NULL;
    *status = 0;
    err [0] = 0;
    if (!query || !args || pl_schema_validate (query, args, why, sizeof why))
        fprintf (stderr, "test_records_rules: bad test query %s\n", name);
    else {
        *status = 200;
        reply = f->handler->query (f->store, name, args, "secretariat", status, err,
                                   PL_ERR_MAX);
        if (reply && pl_schema_validate (pl_schema_find (query->reply), reply,
                                         why, sizeof why)) {
            fprintf (stderr, "test_records_rules: invalid reply to %s: %s\n", name, why);
            json_decref (reply);
            reply = NULL;
        }
    }
    json_decref (args);
    return reply;
}

static const char *
s_str (const json_t *object, const char *name)
{
    return json_string_value (json_object_get (object, name));
}

//  The number of items the query NAME with ARGS answers; -1 on failure.
static int
s_count (fixture_t *f, const char *name, json_t *args)
{
    int status;
    char err [PL_ERR_MAX];
    json_t *reply = s_query (f, name, args, &status, err);
    int count = reply ? (int) json_array_size (json_object_get (reply, "items")) : -1;
    json_decref (reply);
    return count;
}

static json_t *
s_meeting_of (const char *id, const char *convention, const char *tz,
              const char *start, const char *end)
{
    return json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", id,
                      "convention", convention, "kind", "msp", "title", "A meeting",
                      "venue", "Geneva", "tz", tz, "start", start, "end", end);
}

//  --------------------------------------------------------------------------
//  Conventions

#define S_KNOWN "APMBC, ATT, BWC, CCM, CCW, CTBT, CWC, ENMOD, NPT, TPNW"

static int
test_conventions (fixture_t *f)
{
    int status;
    char err [PL_ERR_MAX];
    CHECK (s_apply (f, "meeting.scheduled",
                    s_meeting_of ("xyz-1", "XYZ", "Europe/Zurich", "2030-09-15", "2030-09-18")) == 0);
    CHECK_STR (f->reason, "meeting xyz-1: convention XYZ is not known (known: " S_KNOWN "); "
                          "add it with plenary convention add --code XYZ --name NAME");
    CHECK (s_count (f, "meeting.list", json_object ()) == 0);
    CHECK (s_apply (f, "delegation.declared",
                    json_pack ("{s:s, s:s, s:s}", "convention", "XYZ", "code", "FR",
                               "status", "state-party")) == 0);
    CHECK_STR (f->reason, "delegation FR: convention XYZ is not known (known: " S_KNOWN "); "
                          "add it with plenary convention add --code XYZ --name NAME");
    //  Queries that filter by a convention say so too, rather than answer nothing
    json_t *reply = s_query (f, "delegation.list", json_pack ("{s:s}", "convention", "XYZ"),
                             &status, err);
    CHECK (!reply && status == 404);
    CHECK_STR (err, "delegation.list: convention XYZ is not known (known: " S_KNOWN "); "
                    "add it with plenary convention add --code XYZ --name NAME");
    reply = s_query (f, "meeting.list", json_pack ("{s:s}", "convention", "CCMM"), &status, err);
    CHECK (!reply && status == 404 && strstr (err, "convention CCMM is not known"));
    CHECK (s_count (f, "meeting.list", json_pack ("{s:s}", "convention", "CCM")) == 0);

    //  The built-in ones are not declared; another one is, and then accepted
    CHECK (s_apply (f, "convention.declared",
                    json_pack ("{s:s, s:s}", "code", "CCM", "name", "Cluster")) == 0);
    CHECK_STR (f->reason, "convention CCM (Convention on Cluster Munitions) is built in; "
                          "it needs no declaration");
    CHECK (s_apply (f, "convention.declared",
                    json_pack ("{s:s, s:s}", "code", "XYZ", "name", "Convention X")) == 1);
    uint64_t declared = f->seq;
    CHECK (s_apply (f, "meeting.scheduled",
                    s_meeting_of ("xyz-1", "XYZ", "Europe/Zurich", "2030-09-15", "2030-09-18")) == 1);
    CHECK (s_apply (f, "delegation.declared",
                    json_pack ("{s:s, s:s, s:s}", "convention", "XYZ", "code", "FR",
                               "status", "state-party")) == 1);
    CHECK (s_count (f, "delegation.list", json_pack ("{s:s}", "convention", "XYZ")) == 1);
    reply = s_query (f, "convention.list", json_object (), &status, err);
    CHECK (reply);
    json_t *items = json_object_get (reply, "items");
    CHECK (json_array_size (items) == 11);
    CHECK_STR (s_str (json_array_get (items, 0), "code"), "APMBC");
    CHECK_STR (s_str (json_array_get (items, 0), "source"), "built-in");
    CHECK_STR (s_str (json_array_get (items, 3), "name"), "Convention on Cluster Munitions");
    json_t *xyz = json_array_get (items, 10);       //  after TPNW, by code
    CHECK_STR (s_str (xyz, "code"), "XYZ");
    CHECK_STR (s_str (xyz, "name"), "Convention X");
    CHECK_STR (s_str (xyz, "source"), "declared");
    CHECK (json_integer_value (json_object_get (xyz, "seq")) == (json_int_t) declared);
    json_decref (reply);
    //  Declared again: renamed, still one
    CHECK (s_apply (f, "convention.declared",
                    json_pack ("{s:s, s:s}", "code", "XYZ", "name", "Convention on X")) == 1);
    reply = s_query (f, "convention.list", json_object (), &status, err);
    CHECK (reply && json_array_size (json_object_get (reply, "items")) == 11);
    CHECK_STR (s_str (json_array_get (json_object_get (reply, "items"), 10), "name"),
               "Convention on X");
    json_decref (reply);
    //  Now a code before the built-in ones sorts first, and the unknown list names both
    CHECK (s_apply (f, "convention.declared",
                    json_pack ("{s:s, s:s}", "code", "AA", "name", "Convention A")) == 1);
    CHECK (s_apply (f, "meeting.scheduled",
                    s_meeting_of ("q-1", "QQ", "Europe/Zurich", "2030-09-15", "2030-09-18")) == 0);
    CHECK_STR (f->reason, "meeting q-1: convention QQ is not known (known: AA, " S_KNOWN ", XYZ); "
                          "add it with plenary convention add --code QQ --name NAME");
    return 0;
fail:
    return -1;
}

//  --------------------------------------------------------------------------
//  Session times when clocks change

static json_t *
s_session (const char *meeting, const char *id, const char *start, const char *end)
{
    return json_pack ("{s:s, s:s, s:s, s:s, s:s}", "meeting", meeting, "id", id,
                      "title", "Plenary", "start", start, "end", end);
}

static json_t *
s_move (const char *meeting, const char *id, const char *start, const char *end)
{
    return json_pack ("{s:s, s:s, s:s, s:s}", "meeting", meeting, "id", id,
                      "start", start, "end", end);
}

//  Session ID of MEETING as session.list shows it (caller owns), or NULL.
static json_t *
s_session_shown (fixture_t *f, const char *meeting, const char *id)
{
    int status;
    char err [PL_ERR_MAX];
    json_t *reply = s_query (f, "session.list", json_pack ("{s:s}", "meeting", meeting),
                             &status, err);
    json_t *found = NULL;
    size_t index;
    json_t *item;
    json_array_foreach (json_object_get (reply, "items"), index, item)
        if (strcmp (s_str (item, "id"), id) == 0)
            found = json_incref (item);
    json_decref (reply);
    return found;
}

static int
test_clock_changes (fixture_t *f)
{
    json_t *shown = NULL;
    //  Spring: Geneva's clocks go from 02:00 to 03:00 on 30 March 2025
    CHECK (s_apply (f, "meeting.scheduled",
                    s_meeting_of ("spring", "CCM", "Europe/Zurich", "2025-03-29", "2025-03-31")) == 1);
    CHECK (s_apply (f, "session.scheduled",
                    s_session ("spring", "s1", "2025-03-30T02:30", "2025-03-30T04:00")) == 0);
    CHECK_STR (f->reason, "session s1: start 2025-03-30T02:30 does not exist in Europe/Zurich: "
                          "clocks go from 02:00 to 03:00 on 2025-03-30");
    CHECK (s_apply (f, "session.scheduled",
                    s_session ("spring", "s1", "2025-03-30T01:00", "2025-03-30T02:00:00")) == 0);
    CHECK_STR (f->reason, "session s1: end 2025-03-30T02:00:00 does not exist in Europe/Zurich: "
                          "clocks go from 02:00 to 03:00 on 2025-03-30");
    //  An offset does not make a skipped time exist
    CHECK (s_apply (f, "session.scheduled",
                    s_session ("spring", "s1", "2025-03-30T02:30+01:00", "2025-03-30T04:00")) == 0);
    CHECK (strstr (f->reason, "does not exist in Europe/Zurich"));
    CHECK (s_count (f, "session.list", json_pack ("{s:s}", "meeting", "spring")) == 0);
    //  Across the change: 01:30 to 03:30 is one hour
    CHECK (s_apply (f, "session.scheduled",
                    s_session ("spring", "s1", "2025-03-30T01:30", "2025-03-30T03:30")) == 1);
    CHECK (s_apply (f, "session.moved",
                    s_move ("spring", "s1", "2025-03-30T02:00", "2025-03-30T03:30")) == 0);
    CHECK_STR (f->reason, "session s1: start 2025-03-30T02:00 does not exist in Europe/Zurich: "
                          "clocks go from 02:00 to 03:00 on 2025-03-30");
    CHECK ((shown = s_session_shown (f, "spring", "s1")));
    CHECK_STR (s_str (shown, "start"), "2025-03-30T01:30:00");
    json_decref (shown);
    shown = NULL;

    //  Autumn: they go back from 03:00 to 02:00 on 26 October 2025
    CHECK (s_apply (f, "meeting.scheduled",
                    s_meeting_of ("autumn", "CCM", "Europe/Zurich", "2025-10-25", "2025-10-27")) == 1);
    CHECK (s_apply (f, "session.scheduled",
                    s_session ("autumn", "a1", "2025-10-26T02:30", "2025-10-26T04:00")) == 0);
    CHECK_STR (f->reason, "session a1: start 2025-10-26T02:30 is ambiguous in Europe/Zurich: it "
                          "happens twice, at UTC+02:00 and at UTC+01:00 (clocks go back from "
                          "03:00 to 02:00 on 2025-10-26); give the offset: 2025-10-26T02:30+02:00 "
                          "or 2025-10-26T02:30+01:00");
    CHECK (s_apply (f, "session.scheduled",
                    s_session ("autumn", "a1", "2025-10-26T02:30+03:00", "2025-10-26T04:00")) == 0);
    CHECK_STR (f->reason, "session a1: start 2025-10-26T02:30+03:00: Europe/Zurich is at "
                          "UTC+02:00 or UTC+01:00 then, not UTC+03:00");
    CHECK (s_count (f, "session.list", json_pack ("{s:s}", "meeting", "autumn")) == 0);
    //  The offset picks one; stored with it
    CHECK (s_apply (f, "session.scheduled",
                    s_session ("autumn", "a1", "2025-10-26T02:30+01:00", "2025-10-26T04:00")) == 1);
    CHECK ((shown = s_session_shown (f, "autumn", "a1")));
    CHECK_STR (s_str (shown, "start"), "2025-10-26T02:30:00+01:00");
    CHECK_STR (s_str (shown, "end"), "2025-10-26T04:00:00");
    json_decref (shown);
    shown = NULL;
    //  Order is by instant: 02:30 the first time, then 02:15 the second
    CHECK (s_apply (f, "session.scheduled",
                    s_session ("autumn", "a2", "2025-10-26T02:30+02:00",
                               "2025-10-26T02:15:00+01:00")) == 1);
    CHECK (s_apply (f, "session.scheduled",
                    s_session ("autumn", "a3", "2025-10-26T02:30+01:00",
                               "2025-10-26T02:45+02:00")) == 0);
    CHECK_STR (f->reason, "session a3: end 2025-10-26T02:45:00+02:00 is not after start "
                          "2025-10-26T02:30:00+01:00");
    //  An offset on a time that happens once must be the zone's
    CHECK (s_apply (f, "session.scheduled",
                    s_session ("autumn", "a3", "2025-10-25T10:00+01:00", "2025-10-25T13:00")) == 0);
    CHECK_STR (f->reason, "session a3: start 2025-10-25T10:00+01:00: Europe/Zurich is at "
                          "UTC+02:00 then, not UTC+01:00");
    CHECK (s_apply (f, "session.scheduled",
                    s_session ("autumn", "a3", "2025-10-25T10:00+02:00", "2025-10-25T13:00")) == 1);
    CHECK (s_apply (f, "session.moved",
                    s_move ("autumn", "a3", "2025-10-26T02:00", "2025-10-26T03:00")) == 0);
    CHECK (strstr (f->reason, "session a3: start 2025-10-26T02:00 is ambiguous in Europe/Zurich"));
    CHECK (s_apply (f, "session.moved",
                    s_move ("autumn", "a3", "2025-10-26T02:00+01:00", "2025-10-26T03:00")) == 1);

    //  A new zone must still give every session single instants
    CHECK (s_apply (f, "meeting.updated",
                    json_pack ("{s:s, s:s}", "id", "autumn", "tz", "America/New_York")) == 0);
    CHECK_STR (f->reason, "meeting autumn: in America/New_York, session a3: start "
                          "2025-10-26T02:00:00+01:00: America/New_York is at UTC-04:00 then, "
                          "not UTC+01:00; move or cancel the session first");
    CHECK (s_apply (f, "meeting.scheduled",
                    s_meeting_of ("tokyo", "CCM", "Asia/Tokyo", "2025-03-08", "2025-03-10")) == 1);
    CHECK (s_apply (f, "session.scheduled",
                    s_session ("tokyo", "t1", "2025-03-09T02:30", "2025-03-09T05:00")) == 1);
    CHECK (s_apply (f, "meeting.updated",
                    json_pack ("{s:s, s:s}", "id", "tokyo", "tz", "America/New_York")) == 0);
    CHECK_STR (f->reason, "meeting tokyo: in America/New_York, session t1: start "
                          "2025-03-09T02:30:00 does not exist in America/New_York: clocks go "
                          "from 02:00 to 03:00 on 2025-03-09; move or cancel the session first");
    CHECK (s_apply (f, "meeting.updated",
                    json_pack ("{s:s, s:s}", "id", "tokyo", "tz", "Europe/Zurich")) == 1);
    CHECK (s_apply (f, "session.cancelled",
                    json_pack ("{s:s, s:s}", "meeting", "autumn", "id", "a3")) == 1);
    CHECK (s_apply (f, "session.cancelled",
                    json_pack ("{s:s, s:s}", "meeting", "autumn", "id", "a1")) == 1);
    CHECK (s_apply (f, "session.cancelled",
                    json_pack ("{s:s, s:s}", "meeting", "autumn", "id", "a2")) == 1);
    CHECK (s_apply (f, "meeting.updated",
                    json_pack ("{s:s, s:s}", "id", "autumn", "tz", "America/New_York")) == 1);
    return 0;
fail:
    json_decref (shown);
    return -1;
}

//  --------------------------------------------------------------------------
//  Statements dated outside their meeting

static json_t *
s_statement_at (const char *meeting, const char *delegation, const char *delivered_at)
{
    json_t *statement = json_pack ("{s:s, s:s, s:s}", "meeting", meeting,
                                   "delegation", delegation, "language", "en");
    if (delivered_at)
        json_object_set_new (statement, "delivered_at", json_string (delivered_at));
    return statement;
}

static int
test_statement_dates (fixture_t *f)
{
    CHECK (s_apply (f, "meeting.scheduled",
                    s_meeting_of ("msp", "CCM", "Europe/Zurich", "2030-09-09", "2030-09-12")) == 1);
    //  22:30 UTC on the 8th is already the 9th in Geneva; 22:30 on the 12th the 13th
    CHECK (s_apply (f, "statement.delivered",
                    s_statement_at ("msp", "FR", "2030-09-08T21:59:59Z")) == 0);
    CHECK_STR (f->reason, "statement of FR: delivered_at 2030-09-08T21:59:59Z is 2030-09-08 in "
                          "Europe/Zurich, before meeting msp (2030-09-09 to 2030-09-12)");
    CHECK (s_apply (f, "statement.delivered",
                    s_statement_at ("msp", "FR", "2030-09-12T22:30:00.5Z")) == 0);
    CHECK_STR (f->reason, "statement of FR: delivered_at 2030-09-12T22:30:00.5Z is 2030-09-13 in "
                          "Europe/Zurich, after meeting msp (2030-09-09 to 2030-09-12)");
    CHECK (s_apply (f, "statement.delivered",
                    s_statement_at ("msp", "FR", "2030-09-13T09:00:00+02:00")) == 0);
    CHECK (strstr (f->reason, "is 2030-09-13 in Europe/Zurich, after meeting msp"));
    CHECK (s_count (f, "statement.list", json_pack ("{s:s}", "meeting", "msp")) == 0);
    CHECK (s_apply (f, "statement.delivered",
                    s_statement_at ("msp", "FR", "2030-09-08T22:30:00Z")) == 1);
    CHECK (s_apply (f, "statement.delivered",
                    s_statement_at ("msp", "DE", "2030-09-12T23:59:00+02:00")) == 1);
    CHECK (s_apply (f, "statement.delivered",
                    s_statement_at ("msp", "IT", "2030-09-12T14:00:00-10:00")) == 0);
    CHECK (strstr (f->reason, "is 2030-09-13 in Europe/Zurich, after meeting msp"));
    //  Without delivered_at it is dated when logged (here 2026), not checked
    CHECK (s_apply (f, "statement.delivered", s_statement_at ("msp", "AT", NULL)) == 1);
    CHECK (s_count (f, "statement.list", json_pack ("{s:s}", "meeting", "msp")) == 3);
    return 0;
fail:
    return -1;
}

//  --------------------------------------------------------------------------
//  Registrations that wait

//  Register FAMILY of DELEGATION to meeting msp (FOCAL: as its focal
//  point); the participant's id into ID.  1 applied, 0 rejected, -1.
static int
s_register (fixture_t *f, const char *family, const char *delegation, int focal, char *id)
{
    json_t *payload = json_pack ("{s:s, s:s, s:s}", "meeting", "msp", "family_name", family,
                                 "delegation", delegation);
    if (focal)
        json_object_set_new (payload, "focal_point", json_true ());
    int rc = s_apply (f, "participant.registered", payload);
    snprintf (id, 32, "p%llu", (unsigned long long) f->seq);
    return rc;
}

//  participant.show of ID: its status and waits_for ("" when absent) into
//  STATUS and WAITS.  0, or -1 when the query fails.
static int
s_standing (fixture_t *f, const char *id, char *status_out, char *waits)
{
    int status;
    char err [PL_ERR_MAX];
    json_t *reply = s_query (f, "participant.show",
                             json_pack ("{s:s, s:s}", "meeting", "msp", "participant", id),
                             &status, err);
    if (!reply)
        return -1;
    snprintf (status_out, 32, "%s", s_str (reply, "status"));
    snprintf (waits, 256, "%s", s_str (reply, "waits_for") ? s_str (reply, "waits_for") : "");
    json_decref (reply);
    return 0;
}

static int
test_waiting (fixture_t *f)
{
    char icrc [32], head [32], adviser [32], early [32], de [32], status [32], waits [256];
    char want [256], err [PL_ERR_MAX];
    int code;
    CHECK (s_apply (f, "meeting.scheduled",
                    s_meeting_of ("msp", "CCM", "Europe/Zurich", "2030-09-09", "2030-09-12")) == 1);
    CHECK (s_apply (f, "delegation.declared",
                    json_pack ("{s:s, s:s, s:s, s:s}", "convention", "CCM", "code", "ICRC",
                               "status", "organization", "name", "ICRC")) == 1);
    //  An observer not yet admitted: pending, waiting for the admission
    CHECK (s_register (f, "Maurer", "ICRC", 0, icrc) == 1);
    CHECK (s_standing (f, icrc, status, waits) == 0);
    CHECK_STR (status, "pending");
    CHECK_STR (waits, "the admission of ICRC as observer to msp");
    //  Registered before its delegation has a focal point: nothing to wait for
    CHECK (s_register (f, "Bernard", "FR", 0, early) == 1);
    CHECK (s_standing (f, early, status, waits) == 0);
    CHECK_STR (status, "registered");
    CHECK_STR (waits, "");
    //  A focal point waits for nobody; the others of its delegation wait for it
    CHECK (s_register (f, "Martin", "FR", 1, head) == 1);
    CHECK (s_standing (f, head, status, waits) == 0);
    CHECK_STR (waits, "");
    CHECK (s_register (f, "Dupont", "FR", 0, adviser) == 1);
    CHECK (s_standing (f, adviser, status, waits) == 0);
    CHECK_STR (status, "registered");
    snprintf (want, sizeof want, "approval by focal point %s of FR", head);
    CHECK_STR (waits, want);
    CHECK (s_standing (f, early, status, waits) == 0);
    CHECK_STR (waits, want);
    //  Another delegation, without a focal point
    CHECK (s_register (f, "Müller", "DE", 0, de) == 1);
    CHECK (s_standing (f, de, status, waits) == 0);
    CHECK_STR (waits, "");
    //  The list says the same
    json_t *reply = s_query (f, "participant.list", json_pack ("{s:s}", "meeting", "msp"),
                             &code, err);
    CHECK (reply);
    size_t index, waiting = 0;
    json_t *item;
    json_array_foreach (json_object_get (reply, "items"), index, item)
        waiting += s_str (item, "waits_for") != NULL;
    json_decref (reply);
    CHECK (waiting == 3);
    //  Approved by the focal point, admitted: they wait no more
    CHECK (s_apply (f, "participant.approved",
                    json_pack ("{s:s, s:s, s:s}", "meeting", "msp", "participant", adviser,
                               "focal_point", head)) == 1);
    CHECK (s_standing (f, adviser, status, waits) == 0);
    CHECK_STR (status, "approved");
    CHECK_STR (waits, "");
    CHECK (s_apply (f, "delegation.admitted",
                    json_pack ("{s:s, s:s}", "meeting", "msp", "delegation", "ICRC")) == 1);
    CHECK (s_standing (f, icrc, status, waits) == 0);
    CHECK_STR (status, "registered");
    CHECK_STR (waits, "");
    //  An unknown participant is said to be unknown
    reply = s_query (f, "participant.show",
                     json_pack ("{s:s, s:s}", "meeting", "msp", "participant", "p999"), &code, err);
    CHECK (!reply && code == 404);
    CHECK_STR (err, "participant p999 of meeting msp does not exist");
    return 0;
fail:
    return -1;
}

//  --------------------------------------------------------------------------
//  Duplicate persons: an update may not make a registration the same
//  person as another active one of the meeting, earlier or later

//  Register FAMILY of DELEGATION with EMAIL (NULL: none) to meeting msp;
//  the participant's id into ID.  1 applied, 0 rejected, -1.
static int
s_register_email (fixture_t *f, const char *family, const char *delegation,
                  const char *email, char *id)
{
    json_t *payload = json_pack ("{s:s, s:s, s:s}", "meeting", "msp", "family_name", family,
                                 "delegation", delegation);
    if (email)
        json_object_set_new (payload, "email", json_string (email));
    int rc = s_apply (f, "participant.registered", payload);
    snprintf (id, 32, "p%llu", (unsigned long long) f->seq);
    return rc;
}

//  participant.updated of ID in meeting msp with the fields of CHANGE (taken).
static int
s_update (fixture_t *f, const char *id, json_t *change)
{
    json_object_set_new (change, "meeting", json_string ("msp"));
    json_object_set_new (change, "participant", json_string (id));
    return s_apply (f, "participant.updated", change);
}

//  The e-mail address of participant ID of meeting msp into EMAIL ("" when
//  none).  0, or -1 when the query fails.
static int
s_email (fixture_t *f, const char *id, char *email)
{
    int status;
    char err [PL_ERR_MAX];
    json_t *reply = s_query (f, "participant.show",
                             json_pack ("{s:s, s:s}", "meeting", "msp", "participant", id),
                             &status, err);
    if (!reply)
        return -1;
    snprintf (email, 256, "%s", s_str (reply, "email") ? s_str (reply, "email") : "");
    json_decref (reply);
    return 0;
}

static int
test_update_duplicates (fixture_t *f)
{
    char a [32], b [32], c [32], gone [32], want [256], email [256];
    CHECK (s_apply (f, "meeting.scheduled",
                    s_meeting_of ("msp", "CCM", "Europe/Zurich", "2030-09-09", "2030-09-12")) == 1);
    CHECK (s_register_email (f, "Dupont", "FR", "a@example.org", a) == 1);
    CHECK (s_register_email (f, "Roe", "GB", "b@example.org", b) == 1);
    CHECK (s_register_email (f, "Smith", "US", NULL, c) == 1);
    CHECK (s_register_email (f, "Gone", "DE", "gone@example.org", gone) == 1);
    CHECK (s_apply (f, "participant.withdrawn",
                    json_pack ("{s:s, s:s}", "meeting", "msp", "participant", gone)) == 1);
    //  Registration refuses the same e-mail, whatever its case
    CHECK (s_register_email (f, "Other", "IT", "B@Example.org", want) == 0);
    snprintf (want, sizeof want, "Roe (GB) is already registered to msp as %s", b);
    CHECK_STR (f->reason, want);
    //  An earlier registration takes a later one's e-mail: refused as well
    CHECK (s_update (f, a, json_pack ("{s:s}", "email", "B@example.ORG")) == 0);
    snprintf (want, sizeof want, "participant %s: Roe (GB) is already registered to msp as %s",
              a, b);
    CHECK_STR (f->reason, want);
    CHECK (s_email (f, a, email) == 0);
    CHECK_STR (email, "a@example.org");
    //  ... or its names and delegation
    CHECK (s_update (f, a, json_pack ("{s:s, s:s}", "family_name", " roe ",
                                      "delegation", "GB")) == 0);
    CHECK_STR (f->reason, want);
    //  A later one an earlier one's: refused, as before
    CHECK (s_update (f, c, json_pack ("{s:s}", "email", "a@example.org")) == 0);
    snprintf (want, sizeof want, "participant %s: Dupont (FR) is already registered to msp "
              "as %s", c, a);
    CHECK_STR (f->reason, want);
    //  Both at once, against two others: the earliest is named
    CHECK (s_update (f, c, json_pack ("{s:s, s:s, s:s}", "family_name", "Roe",
                                      "delegation", "GB", "email", "a@example.org")) == 0);
    CHECK_STR (f->reason, want);
    //  Its own details in another case are no duplicate of itself
    CHECK (s_update (f, a, json_pack ("{s:s, s:s}", "email", "A@Example.org",
                                      "family_name", "DUPONT")) == 1);
    //  A withdrawn registration is no one's duplicate
    CHECK (s_update (f, c, json_pack ("{s:s}", "email", "gone@example.org")) == 1);
    CHECK (s_email (f, c, email) == 0);
    CHECK_STR (email, "gone@example.org");
    return 0;
fail:
    return -1;
}

//  --------------------------------------------------------------------------
//  A new delegation: what the participant waits for is computed again, as
//  at registration

//  participant.show of ID: its status_reason into REASON ("" when absent).
static int
s_status_reason (fixture_t *f, const char *id, char *reason)
{
    int status;
    char err [PL_ERR_MAX];
    json_t *reply = s_query (f, "participant.show",
                             json_pack ("{s:s, s:s}", "meeting", "msp", "participant", id),
                             &status, err);
    if (!reply)
        return -1;
    const char *text = s_str (reply, "status_reason");
    snprintf (reason, 256, "%s", text ? text : "");
    json_decref (reply);
    return 0;
}

//  Move participant ID of meeting msp to DELEGATION.
static int
s_transfer (fixture_t *f, const char *id, const char *delegation)
{
    return s_update (f, id, json_pack ("{s:s}", "delegation", delegation));
}

static int
test_delegation_change (fixture_t *f)
{
    char maurer [32], keller [32], roth [32], petit [32], head [32], status [32];
    char waits [256], why [256], want [256], err [PL_ERR_MAX];
    int code;
    CHECK (s_apply (f, "meeting.scheduled",
                    s_meeting_of ("msp", "CCM", "Europe/Zurich", "2030-09-09", "2030-09-12")) == 1);
    CHECK (s_apply (f, "delegation.declared",
                    json_pack ("{s:s, s:s, s:s, s:s}", "convention", "CCM", "code", "ICRC",
                               "status", "organization", "name", "ICRC")) == 1);
    CHECK (s_apply (f, "delegation.declared",
                    json_pack ("{s:s, s:s, s:s, s:s}", "convention", "CCM", "code", "CMC",
                               "status", "civil-society", "name", "CMC")) == 1);
    CHECK (s_apply (f, "delegation.declared",
                    json_pack ("{s:s, s:s, s:s}", "convention", "CCM", "code", "FR",
                               "status", "state-party")) == 1);
    //  Pending for ICRC, moved to a State Party: registered, waiting for nothing
    CHECK (s_register (f, "Maurer", "ICRC", 0, maurer) == 1);
    CHECK (s_standing (f, maurer, status, waits) == 0);
    CHECK_STR (status, "pending");
    CHECK (s_transfer (f, maurer, "FR") == 1);
    CHECK (s_standing (f, maurer, status, waits) == 0);
    CHECK_STR (status, "registered");
    CHECK_STR (waits, "");
    CHECK (s_status_reason (f, maurer, why) == 0);
    CHECK_STR (why, "moved to delegation FR, which needs no admission");
    json_t *reply = s_query (f, "participant.history",
                             json_pack ("{s:s, s:s}", "meeting", "msp", "participant", maurer),
                             &code, err);
    CHECK (reply);
    json_t *items = json_object_get (reply, "items");
    json_t *last = json_array_get (items, json_array_size (items) - 1);
    CHECK (json_array_size (items) == 2);
    CHECK_STR (s_str (last, "change"), "updated");
    CHECK_STR (s_str (last, "status"), "registered");
    json_t *before = json_loads (s_str (last, "before"), 0, NULL);
    CHECK (before && strcmp (s_str (before, "status"), "pending") == 0);
    json_decref (before);
    json_decref (reply);
    //  FR gets a focal point: the one moved there waits for its approval
    CHECK (s_register (f, "Martin", "FR", 1, head) == 1);
    CHECK (s_standing (f, maurer, status, waits) == 0);
    snprintf (want, sizeof want, "approval by focal point %s of FR", head);
    CHECK_STR (waits, want);
    //  Registered for a State, moved to an observer not admitted: pending
    CHECK (s_register (f, "Keller", "DE", 0, keller) == 1);
    CHECK (s_standing (f, keller, status, waits) == 0);
    CHECK_STR (status, "registered");
    CHECK (s_transfer (f, keller, "CMC") == 1);
    CHECK (s_standing (f, keller, status, waits) == 0);
    CHECK_STR (status, "pending");
    CHECK_STR (waits, "the admission of CMC as observer to msp");
    CHECK (s_status_reason (f, keller, why) == 0);
    CHECK_STR (why, "awaiting admission of CMC as observer");
    //  Pending, moved to another observer not admitted: waiting for that one
    CHECK (s_transfer (f, keller, "ICRC") == 1);
    CHECK (s_standing (f, keller, status, waits) == 0);
    CHECK_STR (status, "pending");
    CHECK_STR (waits, "the admission of ICRC as observer to msp");
    CHECK (s_status_reason (f, keller, why) == 0);
    CHECK_STR (why, "awaiting admission of ICRC as observer");
    //  ... and to an observer admitted: registered
    CHECK (s_apply (f, "delegation.admitted",
                    json_pack ("{s:s, s:s}", "meeting", "msp", "delegation", "CMC")) == 1);
    CHECK (s_transfer (f, keller, "CMC") == 1);
    CHECK (s_standing (f, keller, status, waits) == 0);
    CHECK_STR (status, "registered");
    CHECK_STR (waits, "");
    CHECK (s_status_reason (f, keller, why) == 0);
    CHECK_STR (why, "moved to delegation CMC, admitted to msp as observer");
    //  Registered, moved to a State with a focal point: waits for its approval
    CHECK (s_register (f, "Roth", "CMC", 0, roth) == 1);
    CHECK (s_transfer (f, roth, "FR") == 1);
    CHECK (s_standing (f, roth, status, waits) == 0);
    CHECK_STR (status, "registered");
    CHECK_STR (waits, want);
    //  Approved: its approval is not dropped for a delegation not admitted
    CHECK (s_register (f, "Petit", "FR", 0, petit) == 1);
    CHECK (s_apply (f, "participant.approved",
                    json_pack ("{s:s, s:s, s:s}", "meeting", "msp", "participant", petit,
                               "focal_point", head)) == 1);
    CHECK (s_transfer (f, petit, "ICRC") == 0);
    snprintf (want, sizeof want, "participant %s: ICRC is not admitted to msp as observer; "
              "admit it first", petit);
    CHECK_STR (f->reason, want);
    CHECK (s_standing (f, petit, status, waits) == 0);
    CHECK_STR (status, "approved");
    //  The admission of ICRC leaves those who left it as they are
    CHECK (s_apply (f, "delegation.admitted",
                    json_pack ("{s:s, s:s}", "meeting", "msp", "delegation", "ICRC")) == 1);
    CHECK (s_status_reason (f, maurer, why) == 0);
    CHECK_STR (why, "moved to delegation FR, which needs no admission");
    CHECK (s_status_reason (f, keller, why) == 0);
    CHECK_STR (why, "moved to delegation CMC, admitted to msp as observer");
    return 0;
fail:
    return -1;
}

//  --------------------------------------------------------------------------

static const struct {
    const char *name;
    int (*run) (fixture_t *f);
} s_tests [] = {
    { "conventions: unknown ones refused, declared ones accepted", test_conventions },
    { "session times: gaps and overlaps when clocks change",      test_clock_changes },
    { "statements: dated within their meeting, in its zone",      test_statement_dates },
    { "registrations that wait say what for (participant.show)",  test_waiting },
    { "updates that would register a person twice",               test_update_duplicates },
    { "a new delegation: what the participant waits for again",   test_delegation_change },
};

int
main (int argc, char *argv [])
{
    int verbose = argc > 1 && strcmp (argv [1], "-v") == 0;
    if (!verbose)
        setenv ("PLENARY_LOG", "error", 0);
    int failed = 0;
    for (size_t i = 0; i < sizeof s_tests / sizeof s_tests [0]; i++) {
        fixture_t f = { .handler = records_worker_handler () };
        snprintf (f.dir, sizeof f.dir, "%s/test_records_rules.XXXXXX",
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
                fprintf (stderr, "test_records_rules: could not remove %s\n", f.dir);
        }
        printf ("%s: %s\n", rc == 0 ? "ok  " : "FAIL", s_tests [i].name);
        failed += rc != 0;
    }
    printf ("test_records_rules: %d failed\n", failed);
    return failed ? 1 : 0;
}

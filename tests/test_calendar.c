/*  test_calendar — the calendar worker in-process: its renderer's self-test,
    then its rules, driven through the pl_worker handler exactly as the
    engine drives it (batches of deliveries, queries with a role).

    test_calendar --check FILE runs calendar_render_check on a feed served
    by a real gateway (libical's restriction check and ours). */
#include "calendar_render.h"
#include "calendar_store.h"
#include "calendar_worker.h"
#include "pl_codec.h"
#include "pl_facet.h"
#include "pl_test.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


typedef struct {
    calendar_worker_t *worker;
    const pl_worker_handler_t *handler;
    uint64_t seq;
    int64_t time_ms;
} s_world_t;

//  Apply one event (JSON text) as TOPIC; returns 1 applied, 0 rejected.
static int
s_event (s_world_t *world, const char *topic, const char *json, char *reason)
{
    json_t *payload = json_loads (json, 0, NULL);
    char err [PL_ERR_MAX];
    if (!payload || pl_schema_validate (pl_schema_find (topic), payload, err, sizeof err)) {
        fprintf (stderr, "bad test event %s %s: %s\n", topic, json, payload ? err : "JSON");
        exit (2);
    }
    world->time_ms += 60000;
    pl_delivery_t delivery = { ++world->seq, topic, "test", payload, world->time_ms, 1,
                               NULL, NULL, NULL };
    pl_verdict_t verdict;
    int rc = world->handler->apply (world->worker, &delivery, 1, &verdict);
    json_decref (payload);
    if (rc)
        return -1;
    if (reason)
        strcpy (reason, verdict.reason);
    return verdict.applied;
}

//  Ask calendar.feed; returns the reply (caller owns) or NULL with *STATUS.
static json_t *
s_feed (s_world_t *world, const char *kind, const char *key, const char *if_none_match,
        int *status)
{
    json_t *args = json_pack ("{s:s}", "kind", kind);
    if (key)
        json_object_set_new (args, "key", json_string (key));
    if (if_none_match)
        json_object_set_new (args, "if_none_match", json_string (if_none_match));
    char err [PL_ERR_MAX];
    *status = 200;
    json_t *reply = world->handler->query (world->worker, "calendar.feed", args, "public",
                                           status, err, sizeof err);
    json_decref (args);
    if (reply) {
        char problem [PL_ERR_MAX];
        EXPECT (pl_schema_validate (pl_schema_find ("calendar.feed.reply"), reply, problem,
                                   sizeof problem) == 0, "reply invalid: %s", problem);
    }
    return reply;
}

static const char *
s_text (const json_t *object, const char *name)
{
    const char *text = json_string_value (json_object_get (object, name));
    return text ? text : "";
}

//  The line of property NAME of the VEVENT with UID in ICS, or "".  UID is
//  the first property of every VEVENT the renderer writes.
static void
s_property (const char *ics, const char *uid, const char *name, char *out, size_t size)
{
    out [0] = 0;
    char needle [256];
    snprintf (needle, sizeof needle, "UID:%s\r\n", uid);
    const char *event = strstr (ics, needle);
    const char *end = event ? strstr (event, "END:VEVENT") : NULL;
    snprintf (needle, sizeof needle, "\r\n%s", name);
    const char *found = event ? strstr (event, needle) : NULL;
    if (found && found < end) {
        found += 2;
        snprintf (out, size, "%.*s", (int) strcspn (found, "\r"), found);
    }
}

static void
s_rules (void)
{
    char path [] = "/tmp/test_calendar.XXXXXX";
    int fd = mkstemp (path);
    close (fd);
    calendar_store_t *store = calendar_store_new (path);
    s_world_t world = { calendar_worker_new (store), calendar_worker_handler (), 0,
                        1900000000000 };
    char reason [PL_REASON_MAX] = "", line [256];
    int status;

    EXPECT (s_event (&world, "meeting.scheduled", "{\"id\":\"ccm-msp13\",\"convention\":\"CCM\","
           "\"kind\":\"msp\",\"title\":\"第十三次缔约国会议\",\"venue\":\"Geneva\","
           "\"tz\":\"Europe/Zurich\",\"start\":\"2030-03-28\",\"end\":\"2030-04-02\"}", NULL) == 1,
           "meeting scheduled");
    EXPECT (s_event (&world, "meeting.scheduled", "{\"id\":\"bad-tz\",\"convention\":\"CCM\","
           "\"kind\":\"msp\",\"title\":\"x\",\"venue\":\"Geneva\",\"tz\":\"Mars/Olympus\","
           "\"start\":\"2030-03-28\",\"end\":\"2030-04-02\"}", reason) == 0
           && strstr (reason, "the calendar cannot render time zone Mars/Olympus"),
           "a zone libical cannot render is the calendar's own refusal: %s", reason);
    EXPECT (s_event (&world, "session.scheduled", "{\"meeting\":\"ccm-msp13\",\"id\":\"day1-am\","
           "\"title\":\"First plenary meeting\",\"start\":\"2030-03-30T09:00\","
           "\"end\":\"2030-03-30T12:00\",\"room\":\"Room XIX\",\"agenda_items\":[\"8(a)\"]}",
           NULL) == 1, "session scheduled");
    //  The calendar applies what records applied; a view that lacks what
    //  records had to create first, or has what records says is new,
    //  disagrees with records, and says so
    EXPECT (s_event (&world, "session.scheduled", "{\"meeting\":\"nope\",\"id\":\"x\","
           "\"title\":\"x\",\"start\":\"2030-03-30T09:00\",\"end\":\"2030-03-30T12:00\"}",
           reason) == 0 && strcmp (reason, "the calendar's view disagrees with records: "
                                   "it has no meeting nope") == 0,
           "a session whose meeting the view lacks: %s", reason);
    EXPECT (s_event (&world, "session.scheduled", "{\"meeting\":\"ccm-msp13\",\"id\":\"day1-am\","
           "\"title\":\"x\",\"start\":\"2030-03-31T09:00\",\"end\":\"2030-03-31T12:00\"}",
           reason) == 0 && strstr (reason, "disagrees with records: it already has session "
                                   "day1-am of meeting ccm-msp13"),
           "a session the view already has: %s", reason);
    EXPECT (s_event (&world, "meeting.scheduled", "{\"id\":\"ccm-msp13\",\"convention\":\"CCM\","
           "\"kind\":\"msp\",\"title\":\"x\",\"venue\":\"Geneva\",\"tz\":\"Europe/Zurich\","
           "\"start\":\"2030-03-28\",\"end\":\"2030-04-02\"}", reason) == 0
           && strstr (reason, "disagrees with records: it already has meeting ccm-msp13"),
           "a meeting the view already has: %s", reason);
    EXPECT (s_event (&world, "session.moved", "{\"meeting\":\"ccm-msp13\",\"id\":\"none\","
           "\"start\":\"2030-04-01T09:00\",\"end\":\"2030-04-01T12:00\"}", reason) == 0
           && strstr (reason, "disagrees with records: it has no session none of meeting "
                      "ccm-msp13"), "a move of a session the view lacks: %s", reason);
    EXPECT (s_event (&world, "document.released", "{\"symbol\":\"CCM/MSP/2030/6\","
           "\"language\":\"en\",\"title\":\"Report\",\"meeting\":\"nope\","
           "\"agenda_item\":\"8(a)\"}", reason) == 0
           && strstr (reason, "disagrees with records: it has no meeting nope"),
           "a document of a meeting the view lacks: %s", reason);
    EXPECT (s_event (&world, "document.released", "{\"symbol\":\"CCM/MSP/2030/5\","
           "\"language\":\"en\",\"title\":\"Report\",\"meeting\":\"ccm-msp13\","
           "\"agenda_item\":\"8(a)\"}", NULL) == 1, "document noted");

    json_t *first = s_feed (&world, "meeting", "ccm-msp13", NULL, &status);
    EXPECT (first && strstr (s_text (first, "ics"), "CCM/MSP/2030/5"),
           "the document released under 8(a) is in the session's description");
    char err [256];
    EXPECT (first && calendar_render_check (s_text (first, "ics"), err, sizeof err) == 0,
           "feed passes the checks: %s", err);
    json_t *again = s_feed (&world, "meeting", "ccm-msp13", NULL, &status);
    EXPECT (first && again && strcmp (s_text (first, "ics"), s_text (again, "ics")) == 0
           && strcmp (s_text (first, "etag"), s_text (again, "etag")) == 0,
           "same feed, same bytes and etag");
    json_decref (again);
    again = s_feed (&world, "meeting", "ccm-msp13", s_text (first, "etag"), &status);
    EXPECT (again && json_is_true (json_object_get (again, "not_modified"))
           && !json_object_get (again, "ics"), "if_none_match with the current tag: no ics");
    json_decref (again);
    again = s_feed (&world, "meeting", "nope", NULL, &status);
    EXPECT (!again && status == 404, "unknown meeting is 404");

    //  A move raises SEQUENCE, keeps the UID, and moves Last-Modified forward
    EXPECT (s_event (&world, "session.moved", "{\"meeting\":\"ccm-msp13\",\"id\":\"day1-am\","
           "\"start\":\"2030-04-01T09:00\",\"end\":\"2030-04-01T12:00\"}", NULL) == 1, "moved");
    json_t *moved = s_feed (&world, "meeting", "ccm-msp13", NULL, &status);
    s_property (s_text (moved, "ics"), "session/ccm-msp13/day1-am@plenary", "SEQUENCE", line,
                sizeof line);
    EXPECT (strcmp (line, "SEQUENCE:1") == 0, "moved session has SEQUENCE:1, not %s", line);
    s_property (s_text (moved, "ics"), "session/ccm-msp13/day1-am@plenary", "DTSTART", line,
                sizeof line);
    EXPECT (strcmp (line, "DTSTART;TZID=Europe/Zurich:20300401T090000") == 0, "moved: %s", line);
    EXPECT (strcmp (s_text (moved, "etag"), s_text (first, "etag")) != 0, "new etag");
    EXPECT (strcmp (s_text (moved, "last_modified"), s_text (first, "last_modified")) > 0,
           "Last-Modified moved forward");
    //  Cancelled: stays, with STATUS, SEQUENCE + 1 and the title marked
    EXPECT (s_event (&world, "session.cancelled", "{\"meeting\":\"ccm-msp13\","
           "\"id\":\"day1-am\"}", NULL) == 1, "cancelled");
    json_t *cancelled = s_feed (&world, "meeting", "ccm-msp13", NULL, &status);
    const char *ics = s_text (cancelled, "ics");
    s_property (ics, "session/ccm-msp13/day1-am@plenary", "SEQUENCE", line, sizeof line);
    EXPECT (strcmp (line, "SEQUENCE:2") == 0, "cancelled: %s", line);
    EXPECT (strstr (ics, "SUMMARY:[CANCELLED] First plenary meeting")
           && strstr (ics, "STATUS:CANCELLED"), "cancelled marks");
    //  A description change moves DTSTAMP but not SEQUENCE
    EXPECT (s_event (&world, "meeting.updated", "{\"id\":\"ccm-msp13\","
           "\"description\":\"Agenda adopted\"}", NULL) == 1, "updated");
    json_t *described = s_feed (&world, "meeting", "ccm-msp13", NULL, &status);
    s_property (s_text (described, "ics"), "meeting/ccm-msp13@plenary", "SEQUENCE", line,
                sizeof line);
    EXPECT (strcmp (line, "SEQUENCE:0") == 0, "description only: %s", line);
    EXPECT (s_event (&world, "meeting.updated", "{\"id\":\"ccm-msp13\",\"venue\":\"Lausanne\"}",
                    NULL) == 1, "venue");
    json_t *venue = s_feed (&world, "meeting", "ccm-msp13", NULL, &status);
    s_property (s_text (venue, "ics"), "meeting/ccm-msp13@plenary", "SEQUENCE", line, sizeof line);
    EXPECT (strcmp (line, "SEQUENCE:1") == 0, "venue changes SEQUENCE: %s", line);
    s_property (s_text (venue, "ics"), "session/ccm-msp13/day1-am@plenary", "SEQUENCE", line,
                sizeof line);
    EXPECT (strcmp (line, "SEQUENCE:3") == 0, "and its sessions': %s", line);
    //  The dates are records' to judge; the zone is the calendar's to render
    EXPECT (s_event (&world, "meeting.updated", "{\"id\":\"ccm-msp13\",\"tz\":\"Mars/Olympus\"}",
                    reason) == 0 && strstr (reason, "the calendar cannot render time zone "
                                            "Mars/Olympus"), "unrenderable zone: %s", reason);
    EXPECT (s_event (&world, "meeting.updated", "{\"id\":\"nope\",\"title\":\"x\"}",
                    reason) == 0 && strstr (reason, "disagrees with records: it has no meeting "
                                            "nope"), "update of a meeting the view lacks");
    EXPECT (s_event (&world, "meeting.updated", "{\"id\":\"ccm-msp13\",\"end\":\"2030-04-05\"}",
                    NULL) == 1, "new dates");
    json_t *kept = s_feed (&world, "meeting", "ccm-msp13", NULL, &status);
    s_property (s_text (kept, "ics"), "meeting/ccm-msp13@plenary", "DTEND", line, sizeof line);
    EXPECT (strcmp (line, "DTEND;VALUE=DATE:20300406") == 0, "new dates applied: %s", line);
    s_property (s_text (kept, "ics"), "session/ccm-msp13/day1-am@plenary", "DTSTART", line,
                sizeof line);
    EXPECT (strcmp (line, "DTSTART;TZID=Europe/Zurich:20300401T090000") == 0,
           "the refused zone changed nothing: %s", line);
    json_decref (kept);

    //  Private feeds: a token opens the person's meetings; a second token is
    //  refused unless it replaces; the old one then answers 404
    EXPECT (s_event (&world, "meeting.scheduled", "{\"id\":\"ccw-gge\",\"convention\":\"CCW\","
           "\"kind\":\"gge\",\"title\":\"GGE\",\"venue\":\"Geneva\",\"tz\":\"Europe/Zurich\","
           "\"start\":\"2030-05-04\",\"end\":\"2030-05-08\"}", NULL) == 1, "second meeting");
    uint64_t first_registration = world.seq + 1;
    EXPECT (s_event (&world, "participant.registered", "{\"meeting\":\"ccm-msp13\","
           "\"family_name\":\"Dupont\",\"given_name\":\"Anne\",\"delegation\":\"FR\","
           "\"email\":\"anne@example.org\"}", NULL) == 1, "registered");
    EXPECT (s_event (&world, "participant.registered", "{\"meeting\":\"ccm-msp13\","
           "\"family_name\":\"Dupont\",\"given_name\":\"Anne\",\"delegation\":\"BE\"}",
           NULL) == 1, "the same names for another delegation are another person");
    uint64_t second_registration = world.seq + 1;
    EXPECT (s_event (&world, "participant.registered", "{\"meeting\":\"ccw-gge\","
           "\"family_name\":\"Dupont\",\"given_name\":\"Anne\",\"delegation\":\"FR\","
           "\"email\":\"Anne@Example.org\"}", NULL) == 1, "registered to the second");
    char id [32], json [512];
    EXPECT (s_event (&world, "participant.token.issued", "{\"participant\":\"p9999\","
           "\"token_hash\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
           reason) == 0 && strcmp (reason, "participant p9999 is not registered to any meeting; "
                                   "no private feed can be issued for it") == 0,
           "no token for a participant the view lacks: %s", reason);
    EXPECT (s_event (&world, "participant.withdrawn", "{\"meeting\":\"ccw-gge\","
           "\"participant\":\"p9999\"}", reason) == 0
           && strstr (reason, "disagrees with records: it has no participant p9999 of meeting "
                      "ccw-gge"), "withdrawal of a participant the view lacks: %s", reason);
    snprintf (id, sizeof id, "p%llu", (unsigned long long) first_registration);
    const char *hash_a = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const char *hash_b = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    snprintf (json, sizeof json, "{\"participant\":\"%s\",\"token_hash\":\"%s\"}", id, hash_a);
    EXPECT (s_event (&world, "participant.token.issued", json, NULL) == 1, "token");
    json_t *mine = s_feed (&world, "participant", hash_a, NULL, &status);
    EXPECT (mine && strstr (s_text (mine, "ics"), "UID:meeting/ccw-gge@plenary")
           && strstr (s_text (mine, "ics"), "UID:meeting/ccm-msp13@plenary"),
           "the person's feed has both meetings");
    snprintf (json, sizeof json, "{\"participant\":\"%s\",\"token_hash\":\"%s\"}", id, hash_b);
    EXPECT (s_event (&world, "participant.token.issued", json, reason) == 0
           && strstr (reason, "rotate"), "second token refused: %s", reason);
    snprintf (json, sizeof json, "{\"participant\":\"%s\",\"token_hash\":\"%s\","
              "\"replace\":true}", id, hash_b);
    EXPECT (s_event (&world, "participant.token.issued", json, NULL) == 1, "rotated");
    json_t *old = s_feed (&world, "participant", hash_a, NULL, &status);
    EXPECT (!old && status == 404, "the old token is 404");
    json_decref (old);
    //  Withdrawing from one meeting takes it off the feed
    snprintf (json, sizeof json, "{\"meeting\":\"ccw-gge\",\"participant\":\"p%llu\"}",
              (unsigned long long) second_registration);
    EXPECT (s_event (&world, "participant.withdrawn", json, NULL) == 1, "withdrawn");
    json_t *fewer = s_feed (&world, "participant", hash_b, NULL, &status);
    EXPECT (fewer && !strstr (s_text (fewer, "ics"), "UID:meeting/ccw-gge@plenary")
           && strcmp (s_text (fewer, "last_modified"), s_text (mine, "last_modified")) > 0,
           "withdrawn meeting gone, Last-Modified later");
    json_t *args = json_pack ("{s:s}", "participant", id);
    json_t *schedule = world.handler->query (world.worker, "calendar.schedule", args, "public",
                                             &status, err, sizeof err);
    EXPECT (!schedule && status == 403, "the public may not read schedules");
    schedule = world.handler->query (world.worker, "calendar.schedule", args, "secretariat",
                                     &status, err, sizeof err);
    EXPECT (schedule && json_array_size (json_object_get (schedule, "meetings")) == 1,
           "schedule after withdrawal");
    json_decref (args);
    json_decref (schedule);
    json_decref (first);
    json_decref (moved);
    json_decref (cancelled);
    json_decref (described);
    json_decref (venue);
    json_decref (mine);
    json_decref (fewer);
    calendar_worker_destroy (&world.worker);
    calendar_store_destroy (&store);
    unlink (path);
}

//  Apply TOPIC for participant ID of MEETING (a status event); 1, 0, -1.
static int
s_act (s_world_t *world, const char *topic, const char *meeting, uint64_t id, char *reason)
{
    char json [256];
    snprintf (json, sizeof json, "{\"meeting\":\"%s\",\"participant\":\"p%llu\"%s}", meeting,
              (unsigned long long) id,
              strcmp (topic, "participant.rejected") == 0 ? ",\"reason\":\"no\"" : "");
    return s_event (world, topic, json, reason);
}

//  Register Anne Dupont of FR, anne@example.org, to MEETING (FAMILY and
//  EMAIL instead when not NULL); returns the participant's seq, or 0.
static uint64_t
s_anne (s_world_t *world, const char *meeting, const char *family, const char *email)
{
    char json [256];
    snprintf (json, sizeof json, "{\"meeting\":\"%s\",\"family_name\":\"%s\","
              "\"given_name\":\"Anne\",\"delegation\":\"FR\"%s%s%s}", meeting,
              family ? family : "Dupont", email ? ",\"email\":\"" : "", email ? email : "",
              email ? "\"" : "");
    return s_event (world, "participant.registered", json, NULL) == 1 ? world->seq : 0;
}

//  The private feed of HASH; the lines of property NAME of the meeting's
//  and the session's events of MEETING (its session "s1") into MEETING_LINE
//  and SESSION_LINE ("" when absent).  The feed must pass the checks.
static void
s_private_lines (s_world_t *world, const char *hash, const char *meeting, const char *name,
                 char *meeting_line, char *session_line, json_t **feed_p)
{
    int status;
    char uid [128], err [256] = "";
    json_t *feed = s_feed (world, "participant", hash, NULL, &status);
    const char *ics = s_text (feed, "ics");
    EXPECT (feed && calendar_render_check (ics, err, sizeof err) == 0,
           "the private feed passes the checks: %s", err);
    snprintf (uid, sizeof uid, "meeting/%s@plenary", meeting);
    s_property (ics, uid, name, meeting_line, 256);
    snprintf (uid, sizeof uid, "session/%s/s1@plenary", meeting);
    s_property (ics, uid, name, session_line, 256);
    if (feed_p)
        *feed_p = feed;
    else
        json_decref (feed);
}

//  A private feed shows the registrations that stand, tentative until one
//  is confirmed; a rejected or withdrawn one is not shown; a token needs a
//  registration of the person that stands.
static void
s_private (void)
{
    char path [] = "/tmp/test_calendar_private.XXXXXX";
    int fd = mkstemp (path);
    close (fd);
    calendar_store_t *store = calendar_store_new (path);
    s_world_t world = { calendar_worker_new (store), calendar_worker_handler (), 0,
                        1900000000000 };
    static const char *meetings [] = { "msp", "gge", "rc" };
    char json [512], reason [PL_REASON_MAX] = "", line [256], session [256];
    for (size_t i = 0; i < 3; i++) {
        snprintf (json, sizeof json, "{\"id\":\"%s\",\"convention\":\"CCM\",\"kind\":\"msp\","
                  "\"title\":\"%s\",\"venue\":\"Geneva\",\"tz\":\"Europe/Zurich\","
                  "\"start\":\"2030-0%zu-10\",\"end\":\"2030-0%zu-12\"}", meetings [i],
                  meetings [i], i + 3, i + 3);
        EXPECT (s_event (&world, "meeting.scheduled", json, NULL) == 1, "meeting %s", meetings [i]);
        snprintf (json, sizeof json, "{\"meeting\":\"%s\",\"id\":\"s1\",\"title\":\"Plenary\","
                  "\"start\":\"2030-0%zu-10T10:00\",\"end\":\"2030-0%zu-10T13:00\"}",
                  meetings [i], i + 3, i + 3);
        EXPECT (s_event (&world, "session.scheduled", json, NULL) == 1, "session of %s",
               meetings [i]);
    }
    uint64_t msp = s_anne (&world, "msp", NULL, "anne@example.org");
    uint64_t gge = s_anne (&world, "gge", NULL, "Anne@Example.org");
    uint64_t rc = s_anne (&world, "rc", NULL, NULL);
    EXPECT (msp && gge && rc, "registered");
    const char *hash = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
    snprintf (json, sizeof json, "{\"participant\":\"p%llu\",\"token_hash\":\"%s\"}",
              (unsigned long long) msp, hash);
    EXPECT (s_event (&world, "participant.token.issued", json, NULL) == 1, "token");

    //  Registered, not confirmed: the meeting and its session, tentative
    json_t *before = NULL;
    s_private_lines (&world, hash, "msp", "STATUS", line, session, &before);
    EXPECT (strcmp (line, "STATUS:TENTATIVE") == 0 && strcmp (session, "STATUS:TENTATIVE") == 0,
           "not confirmed yet: %s, %s", line, session);
    s_private_lines (&world, hash, "rc", "STATUS", line, session, NULL);
    EXPECT (strcmp (line, "STATUS:TENTATIVE") == 0, "the same person by names: %s", line);
    //  Approved by the focal point: still to be confirmed
    EXPECT (s_act (&world, "participant.approved", "msp", msp, NULL) == 1, "approved");
    s_private_lines (&world, hash, "msp", "STATUS", line, session, NULL);
    EXPECT (strcmp (line, "STATUS:TENTATIVE") == 0, "approved: %s", line);
    //  Confirmed: CONFIRMED, with SEQUENCE and DTSTAMP moved; the others still tentative
    EXPECT (s_act (&world, "participant.confirmed", "msp", msp, NULL) == 1, "confirmed");
    json_t *after = NULL;
    s_private_lines (&world, hash, "msp", "STATUS", line, session, &after);
    EXPECT (strcmp (line, "STATUS:CONFIRMED") == 0 && strcmp (session, "STATUS:CONFIRMED") == 0,
           "confirmed: %s, %s", line, session);
    s_private_lines (&world, hash, "msp", "SEQUENCE", line, session, NULL);
    EXPECT (strcmp (line, "SEQUENCE:1") == 0 && strcmp (session, "SEQUENCE:1") == 0,
           "a change of status raises SEQUENCE: %s, %s", line, session);
    char stamp_before [256], stamp_after [256];
    s_property (s_text (before, "ics"), "meeting/msp@plenary", "DTSTAMP", stamp_before,
                sizeof stamp_before);
    s_property (s_text (after, "ics"), "meeting/msp@plenary", "DTSTAMP", stamp_after,
                sizeof stamp_after);
    EXPECT (strcmp (stamp_after, stamp_before) > 0, "DTSTAMP moves: %s after %s", stamp_after,
           stamp_before);
    EXPECT (strcmp (s_text (after, "last_modified"), s_text (before, "last_modified")) > 0,
           "Last-Modified moves");
    s_private_lines (&world, hash, "gge", "STATUS", line, session, NULL);
    EXPECT (strcmp (line, "STATUS:TENTATIVE") == 0, "gge still tentative: %s", line);
    //  Everyone else's feeds do not depend on one person's registration
    int status;
    json_t *public = s_feed (&world, "meeting", "msp", NULL, &status);
    s_property (s_text (public, "ics"), "meeting/msp@plenary", "STATUS", line, sizeof line);
    s_property (s_text (public, "ics"), "meeting/msp@plenary", "SEQUENCE", session,
                sizeof session);
    EXPECT (strcmp (line, "STATUS:CONFIRMED") == 0 && strcmp (session, "SEQUENCE:0") == 0,
           "the meeting's own feed: %s, %s", line, session);
    json_decref (public);
    json_decref (before);
    json_decref (after);

    //  Rejected: gone from the feed and from the schedule
    EXPECT (s_act (&world, "participant.rejected", "gge", gge, NULL) == 1, "rejected");
    s_private_lines (&world, hash, "gge", "UID", line, session, NULL);
    EXPECT (!*line && !*session, "a rejected registration's meeting is not shown: %s", line);
    char err [PL_ERR_MAX];
    snprintf (json, sizeof json, "p%llu", (unsigned long long) msp);
    json_t *args = json_pack ("{s:s}", "participant", json);
    json_t *schedule = world.handler->query (world.worker, "calendar.schedule", args,
                                             "secretariat", &status, err, sizeof err);
    json_t *list = json_object_get (schedule, "meetings");
    EXPECT (json_array_size (list) == 2
           && strcmp (json_string_value (json_array_get (list, 0)), "msp") == 0
           && strcmp (json_string_value (json_array_get (list, 1)), "rc") == 0,
           "the schedule leaves out the rejected registration");
    json_decref (schedule);
    json_decref (args);

    //  Two registrations of the person to rc (one by names, one by e-mail):
    //  when the confirmed one is withdrawn, the meeting is tentative again
    //  and SEQUENCE rises once more
    uint64_t by_email = s_anne (&world, "rc", "Dupont-Martin", "anne@example.org");
    EXPECT (by_email, "registered to rc by e-mail");
    EXPECT (s_act (&world, "participant.confirmed", "rc", by_email, NULL) == 1, "confirmed");
    s_private_lines (&world, hash, "rc", "STATUS", line, session, NULL);
    EXPECT (strcmp (line, "STATUS:CONFIRMED") == 0, "one of two confirmed: %s", line);
    EXPECT (s_act (&world, "participant.withdrawn", "rc", by_email, NULL) == 1, "withdrawn");
    s_private_lines (&world, hash, "rc", "STATUS", line, session, NULL);
    EXPECT (strcmp (line, "STATUS:TENTATIVE") == 0, "the other is not: %s", line);
    s_private_lines (&world, hash, "rc", "SEQUENCE", line, session, NULL);
    EXPECT (strcmp (line, "SEQUENCE:2") == 0 && strcmp (session, "SEQUENCE:2") == 0,
           "SEQUENCE never goes back: %s, %s", line, session);

    //  Every registration of the person withdrawn or rejected: the token
    //  answers an empty feed, and no new one can be issued
    EXPECT (s_act (&world, "participant.withdrawn", "msp", msp, NULL) == 1, "msp withdrawn");
    EXPECT (s_act (&world, "participant.withdrawn", "rc", rc, NULL) == 1, "rc withdrawn");
    json_t *empty = s_feed (&world, "participant", hash, NULL, &status);
    EXPECT (empty && !strstr (s_text (empty, "ics"), "BEGIN:VEVENT"),
           "an empty feed for a person registered nowhere");
    json_decref (empty);
    snprintf (json, sizeof json, "{\"participant\":\"p%llu\",\"token_hash\":\"%s\","
              "\"replace\":true}", (unsigned long long) msp,
              "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd");
    char want [PL_REASON_MAX];
    snprintf (want, sizeof want, "participant p%llu is not registered to any meeting; no "
              "private feed can be issued for it", (unsigned long long) msp);
    EXPECT (s_event (&world, "participant.token.issued", json, reason) == 0
           && strcmp (reason, want) == 0, "every registration withdrawn: %s", reason);
    snprintf (json, sizeof json, "{\"participant\":\"p%llu\",\"token_hash\":\"%s\"}",
              (unsigned long long) gge,
              "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
    snprintf (want, sizeof want, "participant p%llu is not registered to any meeting; no "
              "private feed can be issued for it", (unsigned long long) gge);
    EXPECT (s_event (&world, "participant.token.issued", json, reason) == 0
           && strcmp (reason, want) == 0, "rejected: %s", reason);
    //  A rejected participant whose person registers again elsewhere: issued
    uint64_t later = s_anne (&world, "rc", NULL, NULL);
    EXPECT (later, "registered to rc again");
    EXPECT (s_event (&world, "participant.token.issued", json, reason) == 1,
           "the person of a rejected registration, registered to rc: %s", reason);
    s_private_lines (&world, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
                     "rc", "STATUS", line, session, NULL);
    EXPECT (strcmp (line, "STATUS:TENTATIVE") == 0, "its feed: %s", line);
    //  A status for a participant the view lacks: the view disagrees
    EXPECT (s_act (&world, "participant.confirmed", "rc", 9999, reason) == 0
           && strstr (reason, "disagrees with records: it has no participant p9999 of meeting rc"),
           "a confirmation of a participant the view lacks: %s", reason);
    calendar_worker_destroy (&world.worker);
    calendar_store_destroy (&store);
    unlink (path);
}

//  The entry of FACET and KEY in a digest REPLY has COUNT items whose
//  sorted LINES (each ending in a line feed) give its digest.
static int
s_facet_is (const json_t *reply, const char *facet, const char *key, int count,
            const char *lines)
{
    size_t index;
    json_t *entry;
    json_array_foreach (json_object_get (reply, "facets"), index, entry)
        if (strcmp (s_text (entry, "facet"), facet) == 0 && strcmp (s_text (entry, "key"), key) == 0) {
            char hex [PL_FACET_DIGEST_HEX + 1];
            pl_facet_sha256 (lines, strlen (lines), hex);
            return json_integer_value (json_object_get (entry, "count")) == count
                && strcmp (s_text (entry, "digest"), hex) == 0;
        }
    return 0;
}

//  calendar.digest: the calendar's side of plenary check, in the forms the
//  records and the archive give (seconds added, symbols in upper case, a
//  cancelled meeting's sessions cancelled, the latest release's item)
static void
s_digests (void)
{
    char path [] = "/tmp/test_calendar_digest.XXXXXX";
    int fd = mkstemp (path);
    close (fd);
    calendar_store_t *store = calendar_store_new (path);
    s_world_t world = { calendar_worker_new (store), calendar_worker_handler (), 0,
                        1900000000000 };
    static const struct {
        const char *topic;
        const char *json;
    } events [] = {
        { "meeting.scheduled", "{\"id\":\"ccm-msp13\",\"convention\":\"CCM\",\"kind\":\"msp\","
          "\"title\":\"13MSP\",\"venue\":\"Geneva\",\"tz\":\"Europe/Zurich\","
          "\"start\":\"2030-03-28\",\"end\":\"2030-04-02\"}" },
        { "meeting.scheduled", "{\"id\":\"ccw-gge\",\"convention\":\"CCW\",\"kind\":\"gge\","
          "\"title\":\"GGE\",\"venue\":\"Geneva\",\"tz\":\"Europe/Zurich\","
          "\"start\":\"2030-05-01\",\"end\":\"2030-05-03\"}" },
        { "session.scheduled", "{\"meeting\":\"ccm-msp13\",\"id\":\"day1-am\",\"title\":\"Opening\","
          "\"start\":\"2030-03-28T10:00\",\"end\":\"2030-03-28T13:00\",\"room\":\"Room XIX\","
          "\"agenda_items\":[\"8(a)\",\"9\"]}" },
        { "session.scheduled", "{\"meeting\":\"ccw-gge\",\"id\":\"d1\",\"title\":\"Opening\","
          "\"start\":\"2030-05-01T10:00:15\",\"end\":\"2030-05-01T12:00\"}" },
        { "participant.registered", "{\"meeting\":\"ccm-msp13\",\"family_name\":\"Dupont\","
          "\"given_name\":\"Anne\",\"delegation\":\"FR\",\"email\":\"anne@example.org\"}" },
        { "participant.registered", "{\"meeting\":\"ccm-msp13\",\"family_name\":\"Roe\","
          "\"delegation\":\"GB\"}" },
        { "participant.withdrawn", "{\"meeting\":\"ccm-msp13\",\"participant\":\"p6\"}" },
        { "document.released", "{\"symbol\":\"ccm/msp/2030/4\",\"language\":\"en\","
          "\"title\":\"Agenda\",\"meeting\":\"ccm-msp13\",\"agenda_item\":\"8(a)\"}" },
        { "document.released", "{\"symbol\":\"CCM/MSP/2030/5\",\"language\":\"fr\","
          "\"title\":\"Rapport\",\"meeting\":\"ccm-msp13\",\"agenda_item\":\"8(a)\"}" },
        { "document.released", "{\"symbol\":\"CCM/MSP/2030/5\",\"language\":\"en\","
          "\"title\":\"Report\",\"meeting\":\"ccm-msp13\",\"agenda_item\":\"9\"}" },
        { "document.released", "{\"symbol\":\"CCM/MSP/2030/6\",\"language\":\"en\","
          "\"title\":\"Note\",\"meeting\":\"ccm-msp13\"}" },
        { "meeting.cancelled", "{\"id\":\"ccw-gge\"}" },
        { "participant.registered", "{\"meeting\":\"ccm-msp13\",\"family_name\":\"Poe\","
          "\"delegation\":\"US\"}" },
        { "participant.confirmed", "{\"meeting\":\"ccm-msp13\",\"participant\":\"p5\"}" },
        { "participant.rejected", "{\"meeting\":\"ccm-msp13\",\"participant\":\"p13\","
          "\"reason\":\"not a delegate\"}" },
    };
    for (size_t i = 0; i < sizeof events / sizeof events [0]; i++)
        EXPECT (s_event (&world, events [i].topic, events [i].json, NULL) == 1,
               "digest event %zu applied", i);
    int status = 200;
    char err [PL_ERR_MAX];
    json_t *args = json_object ();
    json_t *reply = world.handler->query (world.worker, "calendar.digest", args, "secretariat",
                                          &status, err, sizeof err);
    json_decref (args);
    char problem [PL_ERR_MAX] = "";
    EXPECT (reply && pl_schema_validate (pl_schema_find ("calendar.digest.reply"), reply,
                                        problem, sizeof problem) == 0, "digest reply: %s", problem);
    EXPECT (json_array_size (json_object_get (reply, "facets")) == 6, "six facets and keys");
    EXPECT (s_facet_is (reply, "meetings", "", 2, "ccm-msp13 CCM\nccw-gge CCW\n"), "meetings");
    EXPECT (s_facet_is (reply, "meeting-dates", "", 2,
                       "ccm-msp13 scheduled 2030-03-28 2030-04-02 Europe/Zurich\n"
                       "ccw-gge cancelled 2030-05-01 2030-05-03 Europe/Zurich\n"), "meeting-dates");
    EXPECT (s_facet_is (reply, "sessions", "ccm-msp13", 1,
                       "day1-am 2030-03-28T10:00:00 2030-03-28T13:00:00 scheduled \"Room XIX\"\n"),
           "sessions with seconds");
    EXPECT (s_facet_is (reply, "sessions", "ccw-gge", 1,
                       "d1 2030-05-01T10:00:15 2030-05-01T12:00:00 cancelled -\n"),
           "a cancelled meeting's session");
    EXPECT (s_facet_is (reply, "participants", "ccm-msp13", 3,
                       "p13 rejected US Poe - -\np5 confirmed FR Dupont Anne anne@example.org\n"
                       "p6 withdrawn GB Roe - -\n"),
           "participants, where each stands");
    EXPECT (s_facet_is (reply, "documents", "ccm-msp13", 2,
                       "CCM/MSP/2030/4 8(a)\nCCM/MSP/2030/5 9\n"), "documents, latest release");
    json_decref (reply);
    args = json_pack ("{s:s, s:s}", "facet", "documents", "key", "ccm-msp13");
    reply = world.handler->query (world.worker, "calendar.digest", args, "secretariat",
                                  &status, err, sizeof err);
    json_decref (args);
    json_t *items = json_object_get (reply, "items");
    EXPECT (json_array_size (items) == 2
           && strcmp (s_text (json_array_get (items, 0), "id"), "CCM/MSP/2030/4") == 0
           && strcmp (s_text (json_array_get (items, 1), "text"), "CCM/MSP/2030/5 9") == 0,
           "the items of one facet and key");
    json_decref (reply);
    args = json_pack ("{s:s}", "facet", "statements");
    reply = world.handler->query (world.worker, "calendar.digest", args, "secretariat",
                                  &status, err, sizeof err);
    EXPECT (!reply && status == 404, "statements are not the calendar's: %d", status);
    reply = world.handler->query (world.worker, "calendar.digest", args, "delegate",
                                  &status, err, sizeof err);
    EXPECT (!reply && status == 403, "the secretariat only: %d", status);
    json_decref (args);
    calendar_worker_destroy (&world.worker);
    calendar_store_destroy (&store);
    unlink (path);
}

//  Session times with their UTC offset (a time that happens twice when
//  clocks go back): ordered by instant, and in the feed in UTC.
static void
s_offsets (void)
{
    char path [] = "/tmp/test_calendar.XXXXXX";
    int fd = mkstemp (path);
    close (fd);
    calendar_store_t *store = calendar_store_new (path);
    s_world_t world = { calendar_worker_new (store), calendar_worker_handler (), 0,
                        1900000000000 };
    char reason [PL_REASON_MAX] = "";
    int status;
    EXPECT (s_event (&world, "meeting.scheduled", "{\"id\":\"autumn\",\"convention\":\"CCM\","
           "\"kind\":\"msp\",\"title\":\"Night\",\"venue\":\"Geneva\","
           "\"tz\":\"Europe/Zurich\",\"start\":\"2030-10-26\",\"end\":\"2030-10-28\"}", NULL) == 1,
           "meeting scheduled");
    //  02:30 the first time (00:30Z) to 02:15 the second time (01:15Z)
    EXPECT (s_event (&world, "session.scheduled", "{\"meeting\":\"autumn\",\"id\":\"n1\","
           "\"title\":\"Night sitting\",\"start\":\"2030-10-27T02:30+02:00\","
           "\"end\":\"2030-10-27T02:15+01:00\"}", reason) == 1,
           "a session across the clock change: %s", reason);
    json_t *feed = s_feed (&world, "meeting", "autumn", NULL, &status);
    const char *ics = s_text (feed, "ics");
    char err [256] = "";
    EXPECT (feed && calendar_render_check (ics, err, sizeof err) == 0, "feed checks: %s", err);
    EXPECT (strstr (ics, "DTSTART:20301027T003000Z\r\n") && strstr (ics, "DTEND:20301027T011500Z\r\n"),
           "the session in UTC: %s", ics);
    json_decref (feed);
    calendar_worker_destroy (&world.worker);
    calendar_store_destroy (&store);
    unlink (path);
}


//  The integer SQL gives on the database at PATH, or -1.
static long long
s_sql_value (const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    long long value = -1;
    if (sqlite3_open (path, &db) == SQLITE_OK
    &&  sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
    &&  sqlite3_step (stmt) == SQLITE_ROW)
        value = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    return value;
}

//  A view built under schema 1, when the calendar repeated records' rules,
//  may hold what records refused; one built under schema 2 holds rejected
//  registrations as registered (it did not take participant.rejected).
//  Schema 3 adds the time of a confirmation, and both empty the view and
//  reset the cursor, so that the worker replays the log from seq 0, and
//  keep what feeds served (feed_state: Last-Modified never moves back).
static void
s_migration (void)
{
    for (int from = 1; from <= 3; from++) {
        char path [] = "/tmp/test_calendar_migration.XXXXXX";
        int fd = mkstemp (path);
        close (fd);
        calendar_store_t *store = calendar_store_new (path);
        s_world_t world = { calendar_worker_new (store), calendar_worker_handler (), 0,
                            1900000000000 };
        int status;
        EXPECT (s_event (&world, "meeting.scheduled", "{\"id\":\"ccm-msp13\","
               "\"convention\":\"CCM\",\"kind\":\"msp\",\"title\":\"13MSP\","
               "\"venue\":\"Geneva\",\"tz\":\"Europe/Zurich\",\"start\":\"2030-03-28\","
               "\"end\":\"2030-04-02\"}", NULL) == 1, "meeting");
        EXPECT (s_event (&world, "participant.registered", "{\"meeting\":\"ccm-msp13\","
               "\"family_name\":\"Roe\",\"delegation\":\"GB\"}", NULL) == 1, "registered");
        EXPECT (s_event (&world, "participant.token.issued", "{\"participant\":\"p9\","
               "\"token_hash\":\"xyz\"}", NULL) == 0, "a rejection, kept in pl_rejected");
        json_t *feed = s_feed (&world, "meeting", "ccm-msp13", NULL, &status);
        EXPECT (feed, "the feed before");
        json_decref (feed);
        calendar_worker_destroy (&world.worker);
        calendar_store_destroy (&store);
        //  as a database of schema FROM at seq 3: 1 and 2 have the same
        //  tables, 3 adds documents' families and withdrawals, 4 the time
        //  of a confirmation, 5 the mailed feed addresses' hashes
        char sql [64];
        snprintf (sql, sizeof sql, "PRAGMA user_version = %d", from);
        EXPECT (from == 3 || (s_sql_value (path, "ALTER TABLE document DROP COLUMN family") == -1
                             && s_sql_value (path, "ALTER TABLE document DROP COLUMN withdrawn") == -1
                             && s_sql_value (path, "DROP TABLE family") == -1),
               "schema 3's additions dropped");
        EXPECT (s_sql_value (path, "DROP INDEX participant_by_mail_hash") == -1
               && s_sql_value (path, "ALTER TABLE participant DROP COLUMN mail_hash") == -1
               && s_sql_value (path, "ALTER TABLE participant DROP COLUMN mail_revoked") == -1
               && s_sql_value (path, "ALTER TABLE participant DROP COLUMN confirmed_ms") == -1
               && s_sql_value (path, sql) == -1
               && s_sql_value (path, "PRAGMA user_version") == from, "back to schema %d", from);
        store = calendar_store_new (path);
        EXPECT (store, "schema %d opens", from);
        world = (s_world_t) { calendar_worker_new (store), calendar_worker_handler (), 0,
                              1900000000000 };
        uint64_t cursor = world.worker ? world.handler->cursor (world.worker) : 99;
        EXPECT (cursor == 0, "the cursor is reset: %llu", (unsigned long long) cursor);
        feed = s_feed (&world, "meeting", "ccm-msp13", NULL, &status);
        EXPECT (!feed && status == 404, "the view is empty");
        json_decref (feed);
        calendar_worker_destroy (&world.worker);
        calendar_store_destroy (&store);
        EXPECT (s_sql_value (path, "PRAGMA user_version") == 5, "schema 5 from %d", from);
        EXPECT (s_sql_value (path, "SELECT count(*) FROM meeting") == 0
               && s_sql_value (path, "SELECT count(*) FROM participant") == 0
               && s_sql_value (path, "SELECT count(*) FROM pl_rejected") == 0, "emptied");
        EXPECT (s_sql_value (path, "SELECT count(confirmed_ms) FROM participant") == 0,
               "the time of a confirmation is kept");
        EXPECT (s_sql_value (path, "SELECT count(*) FROM feed_state") == 1, "feed_state kept");
        unlink (path);
    }
}

//  Feeds are public: a document shows in them only while the public may see
//  it, whatever the release under the agenda item said: the distribution in
//  force of its family (a Corr. restricted hides its base), until a
//  declassification, and not once the document is withdrawn.
static void
s_distribution (void)
{
    char path [] = "/tmp/test_calendar_distribution.XXXXXX";
    int fd = mkstemp (path);
    close (fd);
    calendar_store_t *store = calendar_store_new (path);
    s_world_t world = { calendar_worker_new (store), calendar_worker_handler (), 0,
                        1900000000000 };
    int status;
    EXPECT (s_event (&world, "meeting.scheduled", "{\"id\":\"ccm-msp13\",\"convention\":\"CCM\","
           "\"kind\":\"msp\",\"title\":\"13MSP\",\"venue\":\"Geneva\",\"tz\":\"Europe/Zurich\","
           "\"start\":\"2030-03-28\",\"end\":\"2030-04-02\"}", NULL) == 1, "meeting");
    EXPECT (s_event (&world, "session.scheduled", "{\"meeting\":\"ccm-msp13\",\"id\":\"day1-am\","
           "\"title\":\"First plenary meeting\",\"start\":\"2030-03-30T09:00\","
           "\"end\":\"2030-03-30T12:00\",\"agenda_items\":[\"8(a)\"]}", NULL) == 1, "session");
    static const struct {
        const char *topic, *json, *why;
        int shown;
    } steps [] = {
        { "document.released", "{\"symbol\":\"ccm/msp/2030/7\",\"language\":\"en\","
          "\"title\":\"Report\",\"meeting\":\"ccm-msp13\",\"agenda_item\":\"8(a)\","
          "\"distribution\":\"general\"}", "a general document, normalized", 1 },
        { "document.released", "{\"symbol\":\"CCM/MSP/2030/7/Corr.1\",\"language\":\"fr\","
          "\"title\":\"Rectificatif\",\"distribution\":\"restricted\"}",
          "its family restricted by a Corr. released for no agenda item", 0 },
        { "document.declassified", "{\"symbol\":\"CCM/MSP/2030/7\",\"distribution\":"
          "\"limited\",\"by\":\"ISU\",\"reason\":\"r\"}", "declassified to limited", 0 },
        { "document.declassified", "{\"symbol\":\"CCM/MSP/2030/7/Corr.1\",\"distribution\":"
          "\"general\",\"by\":\"ISU\",\"reason\":\"r\"}", "declassified to general", 1 },
        { "document.withdrawn", "{\"symbol\":\"CCM/MSP/2030/7\",\"language\":\"en\","
          "\"revision\":1,\"by\":\"ISU\",\"reason\":\"r\"}", "one revision withdrawn", 1 },
        { "document.withdrawn", "{\"symbol\":\"CCM/MSP/2030/7\",\"by\":\"ISU\","
          "\"reason\":\"r\"}", "the document withdrawn", 0 },
        { "document.released", "{\"symbol\":\"CCM/MSP/2030/7\",\"language\":\"es\","
          "\"title\":\"Informe\"}", "released again, for no agenda item", 1 },
        { "document.released", "{\"symbol\":\"CCM/MSP/2030/7/Add.1\",\"language\":\"en\","
          "\"title\":\"Addendum\",\"distribution\":\"limited\"}", "an Add. limited", 0 },
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps [0]; i++) {
        EXPECT (s_event (&world, steps [i].topic, steps [i].json, NULL) == 1, "%s applied",
               steps [i].why);
        json_t *feed = s_feed (&world, "meeting", "ccm-msp13", NULL, &status);
        const char *ics = feed ? s_text (feed, "ics") : NULL;
        EXPECT (ics && (strstr (ics, "8(a) CCM/MSP/2030/7") != NULL) == steps [i].shown
               && !strstr (ics, "Corr.1") && !strstr (ics, "ccm/msp"),
               "%s: the document %s the feed", steps [i].why,
               steps [i].shown ? "is in" : "is not in");
        json_decref (feed);
    }
    calendar_worker_destroy (&world.worker);
    calendar_store_destroy (&store);
    unlink (path);
}

int
main (int argc, char **argv)
{
    if (argc == 3 && strcmp (argv [1], "--check") == 0) {
        FILE *file = fopen (argv [2], "rb");
        static char ics [16 << 20];
        size_t size = file ? fread (ics, 1, sizeof ics - 1, file) : 0;
        if (file)
            fclose (file);
        ics [size] = 0;
        char err [256];
        if (calendar_render_check (ics, err, sizeof err)) {
            fprintf (stderr, "test_calendar: %s: %s\n", argv [2], err);
            return 1;
        }
        return 0;
    }
    if (calendar_render_test (argc > 1))
        pl_test_failures++;
    s_rules ();
    s_private ();
    s_digests ();
    s_offsets ();
    s_distribution ();
    s_migration ();
    if (pl_test_failures)
        fprintf (stderr, "test_calendar: %d failures\n", pl_test_failures);
    return pl_test_failures ? 1 : 0;
}

/*  test_records — self-test of the records worker's store and rules.

    In-process, no sockets: batches of deliveries built with json_pack go
    through the records handler (records_worker_handler) exactly as the
    pl_worker engine would hand them over, on a store in a fresh mktemp -d
    folder per test.  Every business rule has a test that fails without it.
    Payloads and replies are checked against the schema, so the test also
    proves the worker answers in the shape the codec will accept.

    Usage: test_records [-v]   (-v also measures apply and list speed) */
#include "records_store.h"
#include "records_worker.h"
#include "pl_facet.h"
#include "pl_schema.h"
#include "pl_test.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


//  A test fixture: a store in its own folder.
typedef struct {
    char dir [64];
    char path [128];
    records_store_t *store;
    const pl_worker_handler_t *handler;
} fixture_t;

#define T0 1795000000123LL      //  2026-11-18T11:06:40.123Z
#define S_BATCH_MAX 256         //  events in one test batch at most


//  --------------------------------------------------------------------------
//  Helpers

//  Apply COUNT events (topics and payloads, seqs from FIRST_SEQ) in one
//  batch; the payloads are validated against the schema first, and their
//  references are taken.  Returns the handler's result.
static int
s_batch (fixture_t *f, uint64_t first_seq, size_t count, const char **topics,
         json_t **payloads, pl_verdict_t *verdicts)
{
    pl_delivery_t events [S_BATCH_MAX];
    int rc = count > S_BATCH_MAX ? -2 : 0;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        char err [PL_ERR_MAX];
        if (pl_schema_validate (pl_schema_find (topics [i]), payloads [i], err, sizeof err)) {
            fprintf (stderr, "test_records: bad test payload: %s\n", err);
            rc = -2;
        }
        events [i] = (pl_delivery_t) {
            .seq = first_seq + i, .topic = topics [i], .event_id = "test",
            .payload = payloads [i], .time_ms = T0 + (int64_t) (first_seq + i), .attempt = 1
        };
    }
    if (rc == 0)
        rc = f->handler->apply (f->store, events, count, verdicts);
    for (size_t i = 0; i < count; i++)
        json_decref (payloads [i]);
    return rc;
}

//  Apply one event at SEQ; returns 1 applied, 0 rejected (REASON filled
//  when not NULL), -1 on failure.
static int
s_apply (fixture_t *f, uint64_t seq, const char *topic, json_t *payload, char *reason)
{
    pl_verdict_t verdict;
    if (s_batch (f, seq, 1, &topic, &payload, &verdict))
        return -1;
    if (reason)
        strcpy (reason, verdict.reason);
    return verdict.applied;
}

static json_t *
s_meeting (const char *id, const char *start, const char *end, const char *tz)
{
    return json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                      "id", id, "convention", "CCM", "kind", "msp",
                      "title", "Meeting of States Parties", "venue", "Geneva",
                      "tz", tz, "start", start, "end", end);
}

static json_t *
s_person (const char *meeting, const char *family, const char *given,
          const char *delegation, const char *email)
{
    json_t *person = json_pack ("{s:s, s:s, s:s}", "meeting", meeting,
                                "family_name", family, "delegation", delegation);
    if (given)
        json_object_set_new (person, "given_name", json_string (given));
    if (email)
        json_object_set_new (person, "email", json_string (email));
    return person;
}

//  Ask query NAME with ARGS (taken); the reply must validate against the
//  query's reply message.  Returns the reply, or NULL with *STATUS/ERR.
static json_t *
s_query (fixture_t *f, const char *name, json_t *args, int *status, char *err)
{
    const pl_message_t *query = pl_schema_find (name);
    char why [PL_ERR_MAX];
    *status = 0;
    err [0] = 0;
    json_t *reply = NULL;
    if (!query || pl_schema_validate (query, args, why, sizeof why))
        fprintf (stderr, "test_records: bad test query %s\n", name);
    else {
        *status = 200;
        reply = f->handler->query (f->store, name, args, "secretariat", status, err,
                                   PL_ERR_MAX);
        if (reply && pl_schema_validate (pl_schema_find (query->reply), reply,
                                         why, sizeof why)) {
            fprintf (stderr, "test_records: invalid reply to %s: %s\n", name, why);
            json_decref (reply);
            reply = NULL;
            *status = 0;
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

static int
s_count (fixture_t *f, const char *meeting)
{
    int status;
    char err [PL_ERR_MAX];
    json_t *reply = s_query (f, "participant.list", json_pack ("{s:s}", "meeting", meeting),
                             &status, err);
    int count = reply ? (int) json_array_size (json_object_get (reply, "items")) : -1;
    json_decref (reply);
    return count;
}

static uint64_t
s_cursor (fixture_t *f)
{
    return f->handler->cursor (f->store);
}

//  --------------------------------------------------------------------------
//  Tests

static int
test_meeting_scheduled (fixture_t *f, int verbose)
{
    char reason [PL_REASON_MAX], err [PL_ERR_MAX];
    int status;
    CHECK (s_apply (f, 1, "meeting.scheduled",
                    s_meeting ("ccm-msp11", "2030-09-09", "2030-09-12", "Europe/Zurich"),
                    reason) == 1);
    json_t *reply = s_query (f, "meeting.show", json_pack ("{s:s}", "id", "ccm-msp11"),
                             &status, err);
    CHECK (reply);
    CHECK_STR (s_str (reply, "status"), "scheduled");
    CHECK_STR (s_str (reply, "tz"), "Europe/Zurich");
    CHECK_STR (s_str (reply, "end"), "2030-09-12");
    CHECK (json_integer_value (json_object_get (reply, "participants")) == 0);
    CHECK (!json_object_get (reply, "url"));
    json_decref (reply);
    //  the same id again is refused and changes nothing
    json_t *again = s_meeting ("ccm-msp11", "2031-01-01", "2031-01-02", "Asia/Tokyo");
    CHECK (s_apply (f, 2, "meeting.scheduled", again, reason) == 0);
    CHECK_STR (reason, "meeting ccm-msp11 already exists");
    reply = s_query (f, "meeting.show", json_pack ("{s:s}", "id", "ccm-msp11"), &status, err);
    CHECK (reply);
    CHECK_STR (s_str (reply, "tz"), "Europe/Zurich");
    json_decref (reply);
    CHECK (s_cursor (f) == 2);
    //  a meeting that does not exist
    CHECK (!s_query (f, "meeting.show", json_pack ("{s:s}", "id", "nope"), &status, err));
    CHECK (status == 404);
    CHECK_STR (err, "meeting nope does not exist");
    return 0;
fail:
    return -1;
}

static int
test_meeting_dates (fixture_t *f, int verbose)
{
    char reason [PL_REASON_MAX];
    CHECK (s_apply (f, 1, "meeting.scheduled",
                    s_meeting ("ccm-msp11", "2030-09-09", "2030-09-08", "Europe/Zurich"),
                    reason) == 0);
    CHECK_STR (reason, "meeting ccm-msp11: end 2030-09-08 is before start 2030-09-09");
    CHECK (s_apply (f, 2, "meeting.scheduled",
                    s_meeting ("one-day", "2030-09-09", "2030-09-09", "Europe/Zurich"),
                    reason) == 1);
    int status;
    char err [PL_ERR_MAX];
    CHECK (!s_query (f, "meeting.show", json_pack ("{s:s}", "id", "ccm-msp11"), &status, err));
    CHECK (status == 404);
    return 0;
fail:
    return -1;
}

static int
test_meeting_tz (fixture_t *f, int verbose)
{
    char reason [PL_REASON_MAX];
    CHECK (s_apply (f, 1, "meeting.scheduled",
                    s_meeting ("x", "2030-09-09", "2030-09-10", "Mars/Olympus"), reason) == 0);
    CHECK_STR (reason, "meeting x: unknown time zone Mars/Olympus");
    CHECK (s_apply (f, 2, "meeting.scheduled",
                    s_meeting ("y", "2030-09-09", "2030-09-10", "Europe/Atlantis"), reason) == 0);
    CHECK_STR (reason, "meeting y: unknown time zone Europe/Atlantis");
    CHECK (s_apply (f, 3, "meeting.scheduled",
                    s_meeting ("z", "2030-09-09", "2030-09-10", "UTC"), reason) == 1);
    //  TZDIR points elsewhere: a TZif file there is a zone
    char dir [128], path [160];
    snprintf (dir, sizeof dir, "%s/zoneinfo", f->dir);
    CHECK (mkdir (dir, 0777) == 0);
    snprintf (path, sizeof path, "%s/Mars", dir);
    CHECK (mkdir (path, 0777) == 0);
    snprintf (path, sizeof path, "%s/Mars/Olympus", dir);
    FILE *file = fopen (path, "w");
    CHECK (file);
    fputs ("TZif2 not a real zone, enough for the check", file);
    fclose (file);
    //  a file of the folder that is not a zone (like zone.tab)
    snprintf (path, sizeof path, "%s/Mars/Notes", dir);
    file = fopen (path, "w");
    CHECK (file);
    fputs ("# not a zone\n", file);
    fclose (file);
    setenv ("TZDIR", dir, 1);
    int applied = s_apply (f, 4, "meeting.scheduled",
                           s_meeting ("x", "2030-09-09", "2030-09-10", "Mars/Olympus"), reason);
    int notes = s_apply (f, 5, "meeting.scheduled",
                         s_meeting ("v", "2030-09-09", "2030-09-10", "Mars/Notes"), reason);
    int europe = s_apply (f, 6, "meeting.scheduled",
                          s_meeting ("w", "2030-09-09", "2030-09-10", "Europe/Zurich"), reason);
    unsetenv ("TZDIR");
    CHECK (applied == 1);
    CHECK (notes == 0);
    CHECK (europe == 0);
    return 0;
fail:
    unsetenv ("TZDIR");
    return -1;
}

static int
test_meeting_status (fixture_t *f, int verbose)
{
    char reason [PL_REASON_MAX], err [PL_ERR_MAX];
    int status;
    CHECK (s_apply (f, 1, "meeting.cancelled", json_pack ("{s:s}", "id", "nope"), reason) == 0);
    CHECK_STR (reason, "meeting nope does not exist");
    CHECK (s_apply (f, 2, "meeting.closed", json_pack ("{s:s}", "id", "nope"), reason) == 0);
    CHECK_STR (reason, "meeting nope does not exist");
    CHECK (s_apply (f, 3, "meeting.scheduled",
                    s_meeting ("a", "2030-09-09", "2030-09-10", "Europe/Zurich"), reason) == 1);
    CHECK (s_apply (f, 4, "meeting.scheduled",
                    s_meeting ("b", "2030-10-09", "2030-10-10", "Europe/Zurich"), reason) == 1);
    CHECK (s_apply (f, 5, "meeting.cancelled",
                    json_pack ("{s:s, s:s}", "id", "a", "reason", "no quorum"), reason) == 1);
    CHECK (s_apply (f, 6, "meeting.closed", json_pack ("{s:s}", "id", "b"), reason) == 1);
    CHECK (s_apply (f, 7, "meeting.cancelled", json_pack ("{s:s}", "id", "a"), reason) == 0);
    CHECK_STR (reason, "meeting a is already cancelled");
    json_t *reply = s_query (f, "meeting.show", json_pack ("{s:s}", "id", "a"), &status, err);
    CHECK (reply);
    CHECK_STR (s_str (reply, "status"), "cancelled");
    json_decref (reply);
    reply = s_query (f, "meeting.show", json_pack ("{s:s}", "id", "b"), &status, err);
    CHECK (reply);
    CHECK_STR (s_str (reply, "status"), "closed");
    json_decref (reply);
    //  registration is closed for both
    CHECK (s_apply (f, 8, "participant.registered", s_person ("a", "Doe", "Jane", "FR", NULL),
                    reason) == 0);
    CHECK_STR (reason, "meeting a is cancelled; registration is closed");
    CHECK (s_apply (f, 9, "participant.registered", s_person ("b", "Doe", "Jane", "FR", NULL),
                    reason) == 0);
    CHECK_STR (reason, "meeting b is closed; registration is closed");
    CHECK (s_count (f, "a") == 0 && s_count (f, "b") == 0);
    return 0;
fail:
    return -1;
}

static int
test_register (fixture_t *f, int verbose)
{
    char reason [PL_REASON_MAX], err [PL_ERR_MAX];
    int status;
    CHECK (s_apply (f, 1, "participant.registered",
                    s_person ("ccm-msp11", "X", "Y", "FR", NULL), reason) == 0);
    CHECK_STR (reason, "meeting ccm-msp11 does not exist");
    CHECK (s_apply (f, 2, "meeting.scheduled",
                    s_meeting ("smoke-msp", "2030-09-09", "2030-09-12", "Europe/Zurich"),
                    reason) == 1);
    json_t *zofia = s_person ("smoke-msp", "Łukasiewicz", "Zofia", "PL", "zofia@example.pl");
    json_object_set_new (zofia, "function", json_string ("head"));
    json_object_set_new (zofia, "gender", json_string ("f"));
    json_object_set_new (zofia, "sponsored", json_true ());
    json_object_set_new (zofia, "title", json_string ("H.E. Ms."));
    CHECK (s_apply (f, 3, "participant.registered", zofia, reason) == 1);

    json_t *reply = s_query (f, "participant.list", json_pack ("{s:s}", "meeting", "smoke-msp"),
                             &status, err);
    CHECK (reply);
    json_t *items = json_object_get (reply, "items");
    CHECK (json_array_size (items) == 1);
    json_t *p = json_array_get (items, 0);
    CHECK_STR (s_str (p, "id"), "p3");
    CHECK_STR (s_str (p, "family_name"), "Łukasiewicz");
    CHECK_STR (s_str (p, "status"), "registered");
    CHECK_STR (s_str (p, "function"), "head");
    CHECK_STR (s_str (p, "title"), "H.E. Ms.");
    CHECK (json_is_true (json_object_get (p, "sponsored")));
    CHECK (json_integer_value (json_object_get (p, "seq")) == 3);
    //  time_ms of seq 3 is T0 + 3
    CHECK_STR (s_str (p, "registered_at"), "2026-11-18T11:06:40.126Z");
    json_decref (reply);

    //  same e-mail, other case and other names
    CHECK (s_apply (f, 4, "participant.registered",
                    s_person ("smoke-msp", "Lukasiewicz", "Z.", "PL", "ZOFIA@Example.PL"),
                    reason) == 0);
    CHECK_STR (reason, "Łukasiewicz, Zofia (PL) is already registered to smoke-msp as p3");
    //  same names and delegation, no e-mail
    CHECK (s_apply (f, 5, "participant.registered",
                    s_person ("smoke-msp", "Łukasiewicz", "Zofia", "PL", NULL), reason) == 0);
    CHECK_STR (reason, "Łukasiewicz, Zofia (PL) is already registered to smoke-msp as p3");
    //  other delegation: another person
    CHECK (s_apply (f, 6, "participant.registered",
                    s_person ("smoke-msp", "Łukasiewicz", "Zofia", "DE", NULL), reason) == 1);
    //  ASCII case and surrounding spaces are folded ...
    CHECK (s_apply (f, 7, "participant.registered",
                    s_person ("smoke-msp", "Smith", "John", "GB", NULL), reason) == 1);
    CHECK (s_apply (f, 8, "participant.registered",
                    s_person ("smoke-msp", " SMITH ", "john", "GB", NULL), reason) == 0);
    CHECK_STR (reason, "Smith, John (GB) is already registered to smoke-msp as p7");
    //  ... other scripts compare exactly (sqlite's lower() is ASCII only)
    CHECK (s_apply (f, 9, "participant.registered",
                    s_person ("smoke-msp", "łukasiewicz", "Zofia", "PL", NULL), reason) == 1);
    //  no given name on either side
    CHECK (s_apply (f, 10, "participant.registered",
                    s_person ("smoke-msp", "王", NULL, "CN", NULL), reason) == 1);
    CHECK (s_apply (f, 11, "participant.registered",
                    s_person ("smoke-msp", "王", NULL, "CN", NULL), reason) == 0);
    CHECK_STR (reason, "王 (CN) is already registered to smoke-msp as p10");
    //  the same person may attend another meeting
    CHECK (s_apply (f, 12, "meeting.scheduled",
                    s_meeting ("other", "2031-09-09", "2031-09-12", "Europe/Zurich"),
                    reason) == 1);
    CHECK (s_apply (f, 13, "participant.registered",
                    s_person ("other", "Łukasiewicz", "Zofia", "PL", "zofia@example.pl"),
                    reason) == 1);
    CHECK (s_count (f, "smoke-msp") == 5);
    CHECK (s_count (f, "other") == 1);
    CHECK (s_cursor (f) == 13);
    return 0;
fail:
    return -1;
}

static int
test_redelivery (fixture_t *f, int verbose)
{
    char reason [PL_REASON_MAX];
    CHECK (s_apply (f, 1, "meeting.scheduled",
                    s_meeting ("m", "2030-09-09", "2030-09-12", "Europe/Zurich"), reason) == 1);
    CHECK (s_apply (f, 2, "participant.registered",
                    s_person ("nope", "A", "B", "FR", NULL), reason) == 0);
    CHECK (s_apply (f, 3, "participant.registered",
                    s_person ("m", "A", "B", "FR", NULL), reason) == 1);
    //  seq 2 again, this time with a payload that would apply: the first
    //  verdict comes back and nothing changes
    CHECK (s_apply (f, 2, "participant.registered",
                    s_person ("m", "C", "D", "FR", NULL), reason) == 0);
    CHECK_STR (reason, "meeting nope does not exist");
    //  seq 3 again: applied, not a second participant nor a duplicate
    CHECK (s_apply (f, 3, "participant.registered",
                    s_person ("m", "A", "B", "FR", NULL), reason) == 1);
    CHECK_STR (reason, "");
    CHECK (s_count (f, "m") == 1);
    CHECK (s_cursor (f) == 3);
    //  a batch mixing redelivered and new events
    const char *topics [] = { "participant.registered", "participant.registered" };
    json_t *payloads [] = {
        s_person ("m", "A", "B", "FR", NULL), s_person ("m", "E", "F", "FR", NULL)
    };
    pl_verdict_t verdicts [2];
    CHECK (s_batch (f, 3, 2, topics, payloads, verdicts) == 0);
    CHECK (verdicts [0].applied && verdicts [1].applied);
    CHECK (s_count (f, "m") == 2);
    CHECK (s_cursor (f) == 4);
    return 0;
fail:
    return -1;
}

static int
test_batch_rollback (fixture_t *f, int verbose)
{
    const char *topics [] = {
        "meeting.scheduled", "participant.registered", "participant.registered",
        "participant.registered", "meeting.scheduled"
    };
    json_t *payloads [] = {
        s_meeting ("m", "2030-09-09", "2030-09-12", "Europe/Zurich"),
        s_person ("m", "A", "B", "FR", NULL),
        s_person ("m", "A", "B", "FR", NULL),                       //  duplicate of seq 2
        s_person ("m", "C", "D", "FR", NULL),
        s_meeting ("m", "2030-09-09", "2030-09-12", "Europe/Zurich"), // exists
    };
    pl_verdict_t verdicts [5];
    CHECK (s_batch (f, 10, 5, topics, payloads, verdicts) == 0);
    CHECK (verdicts [0].applied && verdicts [1].applied && !verdicts [2].applied
           && verdicts [3].applied && !verdicts [4].applied);
    CHECK_STR (verdicts [2].reason, "A, B (FR) is already registered to m as p11");
    CHECK_STR (verdicts [4].reason, "meeting m already exists");
    CHECK (s_count (f, "m") == 2);
    CHECK (s_cursor (f) == 14);
    return 0;
fail:
    return -1;
}

//  A storage failure mid-batch rolls back the whole batch and the cursor.
static int
test_store_failure (fixture_t *f, int verbose)
{
    char reason [PL_REASON_MAX];
    CHECK (s_apply (f, 1, "meeting.scheduled",
                    s_meeting ("m", "2030-09-09", "2030-09-12", "Europe/Zurich"), reason) == 1);
    //  a second connection plants a trigger that fails one insert
    sqlite3 *db = NULL;
    CHECK (sqlite3_open (f->path, &db) == SQLITE_OK);
    int rc = sqlite3_exec (db, "CREATE TRIGGER boom BEFORE INSERT ON participant"
                               " WHEN NEW.family_name = 'Boom'"
                               " BEGIN SELECT RAISE (ABORT, 'boom'); END", NULL, NULL, NULL);
    sqlite3_close (db);
    CHECK (rc == SQLITE_OK);
    const char *topics [] = { "participant.registered", "participant.registered" };
    json_t *payloads [] = {
        s_person ("m", "A", "B", "FR", NULL), s_person ("m", "Boom", "B", "FR", NULL)
    };
    pl_verdict_t verdicts [2];
    CHECK (s_batch (f, 2, 2, topics, payloads, verdicts) == -1);
    CHECK (s_count (f, "m") == 0);
    CHECK (s_cursor (f) == 1);
    //  the store still works afterwards
    CHECK (s_apply (f, 2, "participant.registered", s_person ("m", "A", "B", "FR", NULL),
                    reason) == 1);
    CHECK (s_count (f, "m") == 1);
    return 0;
fail:
    return -1;
}

static int
test_reopen (fixture_t *f, int verbose)
{
    char reason [PL_REASON_MAX];
    CHECK (s_apply (f, 5, "meeting.scheduled",
                    s_meeting ("m", "2030-09-09", "2030-09-12", "Europe/Zurich"), reason) == 1);
    CHECK (s_apply (f, 6, "participant.registered", s_person ("nope", "A", "B", "FR", NULL),
                    reason) == 0);
    CHECK (s_apply (f, 7, "participant.registered", s_person ("m", "A", "B", "FR", NULL),
                    reason) == 1);
    records_store_destroy (&f->store);
    CHECK (f->store == NULL);
    records_store_destroy (&f->store);          //  idempotent
    f->store = records_store_new (f->path);
    CHECK (f->store);
    CHECK (s_cursor (f) == 7);
    CHECK (s_count (f, "m") == 1);
    CHECK (s_apply (f, 6, "participant.registered", s_person ("m", "Q", "R", "FR", NULL),
                    reason) == 0);
    CHECK_STR (reason, "meeting nope does not exist");
    CHECK (s_count (f, "m") == 1);
    return 0;
fail:
    return -1;
}

static int
test_queries (fixture_t *f, int verbose)
{
    char reason [PL_REASON_MAX], err [PL_ERR_MAX];
    int status;
    json_t *apmbc = s_meeting ("apmbc-msp22", "2024-11-25", "2024-11-29", "Europe/Zurich");
    json_object_set_new (apmbc, "convention", json_string ("APMBC"));
    json_object_set_new (apmbc, "url", json_string ("https://www.apminebanconvention.org/"));
    CHECK (s_apply (f, 1, "meeting.scheduled", apmbc, reason) == 1);
    CHECK (s_apply (f, 2, "meeting.scheduled",
                    s_meeting ("ccm-msp11", "2023-08-30", "2023-09-01", "Europe/Zurich"),
                    reason) == 1);
    CHECK (s_apply (f, 3, "meeting.scheduled",
                    s_meeting ("ccm-msp12", "2024-09-10", "2024-09-13", "Europe/Zurich"),
                    reason) == 1);
    CHECK (s_apply (f, 4, "meeting.cancelled", json_pack ("{s:s}", "id", "ccm-msp12"),
                    reason) == 1);
    //  participants, given out of order
    static const struct {
        const char *family, *given, *delegation, *function;
    } people [] = {
        { "Zeller", "Anna", "FR", "expert" },
        { "Dupont", "Marc", "FR", NULL },
        { "Martin", "Luc", "FR", "head" },
        { "Adams", "Ann", "GB", "adviser" },
        { "Brown", "Bob", "GB", "head" },
        { "Ahmed", "Sara", "EG", "alternate" },
        { "Bernard", "Paul", "FR", "alternate" },
    };
    size_t count = sizeof people / sizeof people [0];
    for (size_t i = 0; i < count; i++) {
        json_t *person = s_person ("ccm-msp11", people [i].family, people [i].given,
                                   people [i].delegation, NULL);
        if (people [i].function)
            json_object_set_new (person, "function", json_string (people [i].function));
        CHECK (s_apply (f, 10 + i, "participant.registered", person, reason) == 1);
    }
    json_t *reply = s_query (f, "participant.list", json_pack ("{s:s}", "meeting", "ccm-msp11"),
                             &status, err);
    CHECK (reply);
    static const char *order [] = {
        "Ahmed", "Martin", "Bernard", "Zeller", "Dupont", "Brown", "Adams"
    };
    json_t *items = json_object_get (reply, "items");
    CHECK (json_array_size (items) == count);
    for (size_t i = 0; i < count; i++)
        CHECK_STR (s_str (json_array_get (items, i), "family_name"), order [i]);
    json_decref (reply);
    CHECK (!s_query (f, "participant.list", json_pack ("{s:s}", "meeting", "nope"),
                     &status, err));
    CHECK (status == 404);
    CHECK_STR (err, "meeting nope does not exist");
    //  an empty meeting has an empty list, not a 404
    CHECK (s_count (f, "apmbc-msp22") == 0);

    //  meeting.list: all by start date, with counts
    reply = s_query (f, "meeting.list", json_object (), &status, err);
    CHECK (reply);
    items = json_object_get (reply, "items");
    CHECK (json_array_size (items) == 3);
    CHECK_STR (s_str (json_array_get (items, 0), "id"), "ccm-msp11");
    CHECK_STR (s_str (json_array_get (items, 1), "id"), "ccm-msp12");
    CHECK_STR (s_str (json_array_get (items, 2), "id"), "apmbc-msp22");
    CHECK (json_integer_value (json_object_get (json_array_get (items, 0), "participants"))
           == (json_int_t) count);
    CHECK_STR (s_str (json_array_get (items, 2), "url"), "https://www.apminebanconvention.org/");
    json_decref (reply);
    reply = s_query (f, "meeting.list", json_pack ("{s:s}", "convention", "CCM"), &status, err);
    CHECK (reply && json_array_size (json_object_get (reply, "items")) == 2);
    json_decref (reply);
    reply = s_query (f, "meeting.list", json_pack ("{s:s, s:s}", "convention", "CCM",
                                                   "status", "cancelled"), &status, err);
    CHECK (reply && json_array_size (json_object_get (reply, "items")) == 1);
    CHECK_STR (s_str (json_array_get (json_object_get (reply, "items"), 0), "id"), "ccm-msp12");
    json_decref (reply);
    reply = s_query (f, "meeting.list", json_pack ("{s:s}", "convention", "CCW"), &status, err);
    CHECK (reply && json_array_size (json_object_get (reply, "items")) == 0);
    json_decref (reply);
    //  a query the records service does not have
    CHECK (!f->handler->query (f->store, "dlq.list", NULL, "secretariat", &status, err, sizeof err));
    CHECK (status == 404);
    return 0;
fail:
    return -1;
}

//  Speed, measured (and printed) only with -v; no timing assertions.
static int
test_speed (fixture_t *f, int verbose)
{
    if (!verbose)
        return 0;
    char reason [PL_REASON_MAX];
    //  four meetings of 5,000 participants, registered round robin
    static const char *meetings [] = { "big0", "big1", "big2", "big3" };
    for (int i = 0; i < 4; i++)
        CHECK (s_apply (f, 1 + (uint64_t) i, "meeting.scheduled",
                        s_meeting (meetings [i], "2030-09-09", "2030-09-12", "Europe/Zurich"),
                        reason) == 1);
    enum { TOTAL = 20000, BATCH = 256 };
    struct timespec t0, t1;
    clock_gettime (CLOCK_MONOTONIC, &t0);
    uint64_t seq = 5;
    for (int done = 0; done < TOTAL; ) {
        int size = TOTAL - done < BATCH ? TOTAL - done : BATCH;
        const char *topics [BATCH];
        json_t *payloads [BATCH];
        pl_verdict_t verdicts [BATCH];
        for (int i = 0; i < size; i++) {
            char family [32], email [48];
            snprintf (family, sizeof family, "Family%d", done + i);
            snprintf (email, sizeof email, "person%d@example.org", done + i);
            topics [i] = "participant.registered";
            payloads [i] = s_person (meetings [(done + i) % 4], family, "Given", "FR", email);
        }
        CHECK (s_batch (f, seq, (size_t) size, topics, payloads, verdicts) == 0);
        for (int i = 0; i < size; i++)
            CHECK (verdicts [i].applied);
        seq += (uint64_t) size;
        done += size;
    }
    clock_gettime (CLOCK_MONOTONIC, &t1);
    double seconds = (double) (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf ("  apply: %d registrations in batches of %d: %.0f events/s "
            "(including json_pack and schema checks in the test)\n", TOTAL, BATCH, TOTAL / seconds);
    int status = 0;
    char err [PL_ERR_MAX];
    json_t *args = json_pack ("{s:s}", "meeting", "big1");
    clock_gettime (CLOCK_MONOTONIC, &t0);
    json_t *reply = f->handler->query (f->store, "participant.list", args, "secretariat",
                                       &status, err,
                                       sizeof err);
    clock_gettime (CLOCK_MONOTONIC, &t1);
    json_decref (args);
    seconds = (double) (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    size_t listed = json_array_size (json_object_get (reply, "items"));
    json_decref (reply);
    CHECK (listed == TOTAL / 4);
    printf ("  participant.list of %zu of %d participants: %.1f ms\n", listed, TOTAL,
            seconds * 1000);
    return 0;
fail:
    return -1;
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
        if (strcmp (s_str (entry, "facet"), facet) == 0 && strcmp (s_str (entry, "key"), key) == 0) {
            char hex [PL_FACET_DIGEST_HEX + 1];
            pl_facet_sha256 (lines, strlen (lines), hex);
            if (json_integer_value (json_object_get (entry, "count")) == count
            &&  strcmp (s_str (entry, "digest"), hex) == 0)
                return 1;
            fprintf (stderr, "test_records: %s of %s: count %lld digest %s, want %d of\n%s",
                     facet, key, (long long) json_integer_value (json_object_get (entry, "count")),
                     s_str (entry, "digest"), count, lines);
            return 0;
        }
    fprintf (stderr, "test_records: no facet %s of '%s'\n", facet, key);
    return 0;
}

//  records.digest: the authority's side of plenary check, line by line
static int
test_digest (fixture_t *f, int verbose)
{
    char reason [PL_REASON_MAX], err [PL_ERR_MAX];
    int status;
    CHECK (s_apply (f, 1, "meeting.scheduled",
                    s_meeting ("ccm-msp13", "2030-09-09", "2030-09-12", "Europe/Zurich"),
                    reason) == 1);
    CHECK (s_apply (f, 2, "meeting.scheduled",
                    s_meeting ("ccm-msp14", "2031-09-08", "2031-09-11", "Europe/Zurich"),
                    reason) == 1);
    CHECK (s_apply (f, 3, "session.scheduled", json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s}",
                    "meeting", "ccm-msp13", "id", "s1", "title", "Opening",
                    "start", "2030-09-09T10:00", "end", "2030-09-09T13:00",
                    "room", "Room XIX"), reason) == 1);
    CHECK (s_apply (f, 4, "session.scheduled", json_pack ("{s:s, s:s, s:s, s:s, s:s}",
                    "meeting", "ccm-msp14", "id", "d1", "title", "Opening",
                    "start", "2031-09-08T10:00:30", "end", "2031-09-08T13:00"), reason) == 1);
    CHECK (s_apply (f, 5, "participant.registered",
                    s_person ("ccm-msp13", "Dupont", "Anne Marie", "FR", "anne@example.org"),
                    reason) == 1);
    CHECK (s_apply (f, 6, "participant.registered", s_person ("ccm-msp13", "王", NULL, "CN",
                                                               NULL), reason) == 1);
    CHECK (s_apply (f, 7, "participant.withdrawn", json_pack ("{s:s, s:s}",
                    "meeting", "ccm-msp13", "participant", "p6"), reason) == 1);
    CHECK (s_apply (f, 8, "statement.delivered", json_pack ("{s:s, s:s, s:s, s:s}",
                    "meeting", "ccm-msp13", "delegation", "FR", "language", "fr",
                    "agenda_item", "8(a)"), reason) == 1);
    //  a cancelled meeting's sessions count as cancelled, as the calendar has them
    CHECK (s_apply (f, 9, "meeting.cancelled", json_pack ("{s:s}", "id", "ccm-msp14"),
                    reason) == 1);
    //  where each registration stands, pending read as registered (the
    //  calendar cannot tell them apart)
    CHECK (s_apply (f, 10, "delegation.declared", json_pack ("{s:s, s:s, s:s, s:s}",
                    "convention", "CCM", "code", "ICRC", "status", "organization",
                    "name", "ICRC"), reason) == 1);
    CHECK (s_apply (f, 11, "participant.registered", s_person ("ccm-msp13", "Maurer", NULL,
                                                                "ICRC", NULL), reason) == 1);
    CHECK (s_apply (f, 12, "participant.confirmed", json_pack ("{s:s, s:s}",
                    "meeting", "ccm-msp13", "participant", "p5"), reason) == 1);

    json_t *reply = s_query (f, "records.digest", json_object (), &status, err);
    CHECK (reply);
    CHECK (json_array_size (json_object_get (reply, "facets")) == 6);
    CHECK (!json_object_get (reply, "items"));
    CHECK (s_facet_is (reply, "meetings", "", 2, "ccm-msp13 CCM\nccm-msp14 CCM\n"));
    CHECK (s_facet_is (reply, "meeting-dates", "", 2,
                       "ccm-msp13 scheduled 2030-09-09 2030-09-12 Europe/Zurich\n"
                       "ccm-msp14 cancelled 2031-09-08 2031-09-11 Europe/Zurich\n"));
    CHECK (s_facet_is (reply, "sessions", "ccm-msp13", 1,
                       "s1 2030-09-09T10:00:00 2030-09-09T13:00:00 scheduled \"Room XIX\"\n"));
    CHECK (s_facet_is (reply, "sessions", "ccm-msp14", 1,
                       "d1 2031-09-08T10:00:30 2031-09-08T13:00:00 cancelled -\n"));
    CHECK (s_facet_is (reply, "participants", "ccm-msp13", 3,
                       "p11 registered ICRC Maurer - -\n"
                       "p5 confirmed FR Dupont \"Anne Marie\" anne@example.org\n"
                       "p6 withdrawn CN 王 - -\n"));
    CHECK (s_facet_is (reply, "statements", "ccm-msp13", 1, "s8 FR fr 8(a)\n"));
    json_decref (reply);

    //  One facet and key: its items, each with its line and the line's digest
    reply = s_query (f, "records.digest", json_pack ("{s:s, s:s}", "facet", "participants",
                     "key", "ccm-msp13"), &status, err);
    CHECK (reply);
    CHECK (json_array_size (json_object_get (reply, "facets")) == 1);
    json_t *items = json_object_get (reply, "items");
    CHECK (json_array_size (items) == 3);
    CHECK_STR (s_str (json_array_get (items, 2), "id"), "p6");
    CHECK_STR (s_str (json_array_get (items, 2), "text"), "p6 withdrawn CN 王 - -");
    char hex [PL_FACET_DIGEST_HEX + 1];
    pl_facet_sha256 ("p6 withdrawn CN 王 - -", strlen ("p6 withdrawn CN 王 - -"), hex);
    CHECK_STR (s_str (json_array_get (items, 2), "digest"), hex);
    json_decref (reply);
    //  A key with nothing under it: no facet, no items
    reply = s_query (f, "records.digest", json_pack ("{s:s, s:s}", "facet", "statements",
                     "key", "ccm-msp14"), &status, err);
    CHECK (reply && json_array_size (json_object_get (reply, "facets")) == 0
           && json_array_size (json_object_get (reply, "items")) == 0);
    json_decref (reply);

    //  Documents are the archive's; the secretariat only
    CHECK (!s_query (f, "records.digest", json_pack ("{s:s}", "facet", "documents"),
                     &status, err) && status == 404);
    json_t *args = json_object ();
    reply = f->handler->query (f->store, "records.digest", args, "record-keeper", &status,
                               err, sizeof err);
    json_decref (args);
    CHECK (!reply && status == 403);
    CHECK_STR (err, "records.digest: the role record-keeper may not ask this");
    return 0;
fail:
    return -1;
}

static const struct {
    const char *name;
    int (*run) (fixture_t *f, int verbose);
} s_tests [] = {
    { "meeting scheduled, exists, show",       test_meeting_scheduled },
    { "meeting end before start",              test_meeting_dates },
    { "meeting time zone",                     test_meeting_tz },
    { "meeting cancelled and closed",          test_meeting_status },
    { "participant registered and duplicates", test_register },
    { "redelivery gives the first verdict",    test_redelivery },
    { "rejection rolls back only itself",      test_batch_rollback },
    { "store failure rolls back the batch",    test_store_failure },
    { "reopen keeps cursor and data",          test_reopen },
    { "queries",                               test_queries },
    { "digests for plenary check",             test_digest },
    { "speed (-v only)",                       test_speed },
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
        snprintf (f.dir, sizeof f.dir, "%s/test_records.XXXXXX",
                  getenv ("TMPDIR") ? getenv ("TMPDIR") : "/tmp");
        int rc = -1;
        if (mkdtemp (f.dir)) {
            snprintf (f.path, sizeof f.path, "%s/records.db", f.dir);
            f.store = records_store_new (f.path);
            rc = f.store ? s_tests [i].run (&f, verbose) : -1;
            records_store_destroy (&f.store);
            char command [160];
            snprintf (command, sizeof command, "rm -rf '%s'", f.dir);
            if (system (command) != 0)
                fprintf (stderr, "test_records: could not remove %s\n", f.dir);
        }
        printf ("%s: %s\n", rc == 0 ? "ok  " : "FAIL", s_tests [i].name);
        failed += rc != 0;
    }
    printf ("test_records: %d failed\n", failed);
    return failed ? 1 : 0;
}

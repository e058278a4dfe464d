/*  test_records_history — the records rules that round 3 closed: a declaration
    as State Party or signatory releases the State's registrations pending
    admission; the list as it stood (as_of_ms) groups and names delegations
    as they stood; and a database left by round 1 (user_version 1) upgrades
    and replays the log from 0.

    In-process like test_records_lifecycle: batches go through records_worker_handler
    on a store in a fresh mktemp -d folder per test; payloads and replies are
    checked against the schema.

    Usage: test_records_history */
#include "records_store.h"
#include "records_worker.h"
#include "pl_schema.h"
#include "pl_test.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#define APPLIED(topic, payload) CHECK (s_apply (f, topic, payload, reason) == 1)

typedef struct {
    char dir [64];
    char path [128];
    records_store_t *store;
    const pl_worker_handler_t *handler;
    uint64_t seq;                   //  the last seq applied
} fixture_t;

#define T0 1795000000123LL          //  event SEQ is logged at T0 + SEQ

//  The schema as round 1 left it (user_version 1): the cursor tables of
//  pl_cursor and migration 1, kept here verbatim so that the upgrade path
//  from a real round-1 database stays tested.
static const char *s_round1_schema =
    "CREATE TABLE pl_cursor ("
    "  id  INTEGER PRIMARY KEY CHECK (id = 1),"
    "  seq INTEGER NOT NULL CHECK (seq >= 0));"
    "INSERT INTO pl_cursor (id, seq) VALUES (1, 0);"
    "CREATE TABLE pl_rejected ("
    "  seq    INTEGER PRIMARY KEY,"
    "  reason TEXT NOT NULL);"
    "CREATE TABLE meeting ("
    "  id          TEXT PRIMARY KEY,"
    "  seq         INTEGER NOT NULL,"
    "  convention  TEXT NOT NULL,"
    "  kind        TEXT NOT NULL,"
    "  title       TEXT NOT NULL,"
    "  venue       TEXT NOT NULL,"
    "  tz          TEXT NOT NULL,"
    "  start       TEXT NOT NULL,"
    "  \"end\"     TEXT NOT NULL,"
    "  url         TEXT,"
    "  description TEXT,"
    "  status      TEXT NOT NULL);"
    "CREATE INDEX meeting_by_start ON meeting (start, id);"
    "CREATE TABLE participant ("
    "  seq           INTEGER PRIMARY KEY,"
    "  id            TEXT NOT NULL UNIQUE,"
    "  meeting       TEXT NOT NULL REFERENCES meeting (id),"
    "  family_name   TEXT NOT NULL,"
    "  given_name    TEXT,"
    "  delegation    TEXT NOT NULL,"
    "  function      TEXT,"
    "  gender        TEXT,"
    "  email         TEXT,"
    "  sponsored     INTEGER,"
    "  title         TEXT,"
    "  position      TEXT,"
    "  organization  TEXT,"
    "  note          TEXT,"
    "  status        TEXT NOT NULL,"
    "  registered_at TEXT NOT NULL,"
    "  name_key      TEXT NOT NULL,"
    "  email_key     TEXT);"
    "CREATE INDEX participant_by_name ON participant (meeting, name_key);"
    "CREATE INDEX participant_by_email ON participant (meeting, email_key);"
    "CREATE INDEX participant_by_status ON participant (meeting, status);"
    "PRAGMA user_version = 1;";

//  What round 1 had applied: the log's first two events, as round 1 stored
//  them (its registration ids were p2 too), cursor at 2.
static const char *s_round1_data =
    "INSERT INTO meeting VALUES ('old', 1, 'CCM', 'msp', 'Old', 'Geneva',"
    " 'Europe/Zurich', '2030-09-09', '2030-09-12', NULL, NULL, 'scheduled');"
    "INSERT INTO participant VALUES (2, 'p2', 'old', 'Stale', NULL, 'FR', NULL, NULL,"
    " NULL, NULL, NULL, NULL, NULL, NULL, 'registered', '2026-11-18T11:06:40Z',"
    " 'stale' || x'1f' || '' || x'1f' || 'FR', NULL);"
    "UPDATE pl_cursor SET seq = 2;";

//  Apply one event (PAYLOAD taken) at the next seq; 1 applied, 0 rejected
//  (REASON filled), -1 on failure or an invalid test payload.
static int
s_apply (fixture_t *f, const char *topic, json_t *payload, char *reason)
{
    char err [PL_ERR_MAX];
    int rc = -1;
    if (!payload || pl_schema_validate (pl_schema_find (topic), payload, err, sizeof err))
        fprintf (stderr, "test_records_history: bad test payload for %s: %s\n", topic,
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

//  Query NAME with ARGS (taken); the reply must match the schema.
static json_t *
s_query (fixture_t *f, const char *name, json_t *args)
{
    const pl_message_t *query = pl_schema_find (name);
    char why [PL_ERR_MAX], err [PL_ERR_MAX];
    int status;
    json_t *reply = NULL;
    if (!query || pl_schema_validate (query, args, why, sizeof why))
        fprintf (stderr, "test_records_history: bad test query %s\n", name);
    else {
        reply = f->handler->query (f->store, name, args, "secretariat", &status, err, sizeof err);
        if (reply && pl_schema_validate (pl_schema_find (query->reply), reply, why, sizeof why)) {
            fprintf (stderr, "test_records_history: invalid reply to %s: %s\n", name, why);
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

static json_t *
s_meeting (const char *id, const char *convention)
{
    return json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", id,
                      "convention", convention, "kind", "msp", "title", "Meeting",
                      "venue", "Geneva", "tz", "Europe/Zurich", "start", "2030-09-09",
                      "end", "2030-09-12");
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

//  Participant FAMILY of MEETING from participant.list, as of AS_OF (ms
//  since the epoch; 0: now), as a new reference, or NULL.
static json_t *
s_find (fixture_t *f, const char *meeting, const char *family, int64_t as_of)
{
    json_t *args = json_pack ("{s:s}", "meeting", meeting);
    if (as_of)
        json_object_set_new (args, "as_of_ms", json_integer (as_of));
    json_t *reply = s_query (f, "participant.list", args);
    json_t *found = NULL, *item;
    size_t index;
    json_array_foreach (json_object_get (reply, "items"), index, item)
        if (strcmp (s_str (item, "family_name"), family) == 0)
            found = json_incref (item);
    json_decref (reply);
    return found;
}

//  The "status category delegation_name" of participant FAMILY into BUF.
static const char *
s_entry (fixture_t *f, const char *meeting, const char *family, int64_t as_of, char *buf)
{
    json_t *p = s_find (f, meeting, family, as_of);
    snprintf (buf, 160, "%s %s %s", p ? s_str (p, "status") : "(none)",
              p ? s_str (p, "category") : "", p && s_str (p, "delegation_name")
                                                ? s_str (p, "delegation_name") : "-");
    json_decref (p);
    return buf;
}

//  ----------------------------------------------------------------------------

//  A State not party whose registrations wait for admission ratifies: its
//  pending registrations to the convention's scheduled meetings become
//  registered, with a history row and a reason, as admission does.
static int
test_declared_releases_pending (fixture_t *f)
{
    char reason [PL_REASON_MAX], buf [160];
    APPLIED ("meeting.scheduled", s_meeting ("m", "CCM"));
    APPLIED ("meeting.scheduled", s_meeting ("n", "CCM"));
    APPLIED ("meeting.scheduled", s_meeting ("w", "CCW"));
    APPLIED ("delegation.declared", s_declare ("CCM", "US", "not-party", NULL));
    APPLIED ("delegation.declared", s_declare ("CCW", "US", "not-party", NULL));
    APPLIED ("delegation.declared", s_declare ("CCM", "DE", "not-party", NULL));
    APPLIED ("delegation.declared", s_declare ("CCM", "CMC", "civil-society",
                                                "Cluster Munition Coalition"));
    APPLIED ("participant.registered", s_person ("m", "Smith", "US"));
    char smith [16];
    snprintf (smith, sizeof smith, "p%llu", (unsigned long long) f->seq);
    APPLIED ("participant.registered", s_person ("n", "Jones", "US"));
    APPLIED ("participant.registered", s_person ("w", "Brown", "US"));
    APPLIED ("participant.registered", s_person ("m", "Weber", "DE"));
    APPLIED ("participant.registered", s_person ("m", "Green", "CMC"));
    APPLIED ("meeting.cancelled", json_pack ("{s:s, s:s}", "id", "n", "reason", "no quorum"));
    CHECK_STR (s_entry (f, "m", "Smith", 0, buf), "pending not-party United States");

    //  US ratifies CCM: m's registration moves; not the cancelled meeting's,
    //  nor the CCW one, nor those of other delegations
    APPLIED ("delegation.declared", s_declare ("CCM", "US", "state-party", NULL));
    json_t *p = s_find (f, "m", "Smith", 0);
    CHECK (p);
    CHECK_STR (s_str (p, "status"), "registered");
    CHECK_STR (s_str (p, "status_reason"), "US declared a State Party to CCM");
    json_decref (p);
    CHECK_STR (s_entry (f, "n", "Jones", 0, buf), "pending state-party United States");
    CHECK_STR (s_entry (f, "w", "Brown", 0, buf), "pending not-party United States");
    CHECK_STR (s_entry (f, "m", "Weber", 0, buf), "pending not-party Germany");
    CHECK_STR (s_entry (f, "m", "Green", 0, buf),
               "pending civil-society Cluster Munition Coalition");
    json_t *reply = s_query (f, "participant.history",
                             json_pack ("{s:s, s:s}", "meeting", "m", "participant", smith));
    CHECK (reply);
    json_t *items = json_object_get (reply, "items");
    CHECK (json_array_size (items) == 2);
    CHECK_STR (s_str (json_array_get (items, 0), "status"), "pending");
    CHECK_STR (s_str (json_array_get (items, 1), "change"), "declared");
    CHECK_STR (s_str (json_array_get (items, 1), "status"), "registered");
    CHECK_STR (s_str (json_array_get (items, 1), "reason"), "US declared a State Party to CCM");
    CHECK (json_integer_value (json_object_get (json_array_get (items, 1), "seq"))
           == (json_int_t) f->seq);
    json_decref (reply);

    //  declared not-party again changes nothing; a signatory needs no admission either
    APPLIED ("delegation.declared", s_declare ("CCM", "DE", "not-party", NULL));
    CHECK_STR (s_entry (f, "m", "Weber", 0, buf), "pending not-party Germany");
    APPLIED ("delegation.declared", s_declare ("CCM", "DE", "signatory", NULL));
    p = s_find (f, "m", "Weber", 0);
    CHECK (p);
    CHECK_STR (s_str (p, "status"), "registered");
    CHECK_STR (s_str (p, "status_reason"), "DE declared a signatory to CCM");
    json_decref (p);
    return 0;
fail:
    return -1;
}

//  The list as it stood groups and names delegations as they stood.
static int
test_as_of_delegations (fixture_t *f)
{
    char reason [PL_REASON_MAX], buf [160];
    APPLIED ("meeting.scheduled", s_meeting ("m", "CCM"));
    APPLIED ("participant.registered", s_person ("m", "Dupont", "FR"));
    int64_t undeclared = T0 + (int64_t) f->seq;
    APPLIED ("delegation.declared", s_declare ("CCM", "FR", "signatory", NULL));
    APPLIED ("delegation.declared", s_declare ("CCM", "GICHD", "organization",
                                                "Geneva Centre"));
    APPLIED ("delegation.admitted", json_pack ("{s:s, s:s}", "meeting", "m",
                                               "delegation", "GICHD"));
    APPLIED ("participant.registered", s_person ("m", "Rossi", "GICHD"));
    int64_t signatory = T0 + (int64_t) f->seq;
    APPLIED ("delegation.declared", s_declare ("CCM", "FR", "state-party", NULL));
    APPLIED ("delegation.declared", s_declare ("CCM", "GICHD", "organization",
                                                "Geneva International Centre for "
                                                "Humanitarian Demining"));
    CHECK_STR (s_entry (f, "m", "Dupont", undeclared, buf), "registered undeclared France");
    CHECK_STR (s_entry (f, "m", "Dupont", signatory, buf), "registered signatory France");
    CHECK_STR (s_entry (f, "m", "Dupont", 0, buf), "registered state-party France");
    CHECK_STR (s_entry (f, "m", "Rossi", signatory, buf), "registered organization Geneva Centre");
    CHECK_STR (s_entry (f, "m", "Rossi", INT64_MAX, buf),
               "registered organization Geneva International Centre for Humanitarian Demining");
    return 0;
fail:
    return -1;
}

//  Run SQL on the database at PATH outside the store.  0 or -1.
static int
s_sql (const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open (path, &db) == SQLITE_OK
          && sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    if (rc)
        fprintf (stderr, "test_records_history: %s: %s\n", path, db ? sqlite3_errmsg (db) : "?");
    sqlite3_close (db);
    return rc;
}

//  user_version of the database at PATH, or -1.
static int
s_user_version (const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    int version = -1;
    if (sqlite3_open (path, &db) == SQLITE_OK
    &&  sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
    &&  sqlite3_step (stmt) == SQLITE_ROW)
        version = sqlite3_column_int (stmt, 0);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    return version;
}

//  A round-1 database opened by the current store: migrated to the last
//  schema, emptied, its cursor back to 0, and the log replayed into it.
static int
test_migration_from_round1 (fixture_t *f)
{
    char reason [PL_REASON_MAX], buf [160];
    records_store_destroy (&f->store);
    CHECK (unlink (f->path) == 0);
    CHECK (s_sql (f->path, s_round1_schema) == 0);
    CHECK (s_sql (f->path, s_round1_data) == 0);
    CHECK (s_user_version (f->path) == 1);
    f->store = records_store_new (f->path);
    CHECK (f->store);
    CHECK (s_user_version (f->path) == 8);
    CHECK (records_worker_handler ()->cursor (f->store) == 0);
    json_t *reply = s_query (f, "meeting.list", json_object ());
    CHECK (reply && json_array_size (json_object_get (reply, "items")) == 0);
    json_decref (reply);
    //  the replay: the log from seq 1, as the broker redelivers it
    APPLIED ("meeting.scheduled", s_meeting ("m", "CCM"));
    APPLIED ("participant.registered", s_person ("m", "Dupont", "FR"));
    int64_t before = T0 + (int64_t) f->seq;
    APPLIED ("delegation.declared", s_declare ("CCM", "FR", "state-party", NULL));
    CHECK_STR (s_entry (f, "m", "Dupont", 0, buf), "registered state-party France");
    CHECK_STR (s_entry (f, "m", "Dupont", before, buf), "registered undeclared France");
    CHECK (!s_find (f, "old", "Stale", 0));
    reply = s_query (f, "participant.history",
                     json_pack ("{s:s, s:s}", "meeting", "m", "participant", "p2"));
    CHECK (reply && json_array_size (json_object_get (reply, "items")) == 1);
    json_decref (reply);
    //  opened again: nothing migrates, nothing is lost
    records_store_destroy (&f->store);
    f->store = records_store_new (f->path);
    CHECK (f->store);
    CHECK (records_worker_handler ()->cursor (f->store) == f->seq);
    CHECK_STR (s_entry (f, "m", "Dupont", 0, buf), "registered state-party France");
    return 0;
fail:
    return -1;
}

static const struct {
    const char *name;
    int (*run) (fixture_t *f);
} s_tests [] = {
    { "declared State Party or signatory releases pending", test_declared_releases_pending },
    { "as-of: delegations' categories and names as they stood", test_as_of_delegations },
    { "a round-1 database upgrades and replays",           test_migration_from_round1 },
};

int
main (int argc, char *argv [])
{
    (void) argc;
    (void) argv;
    setenv ("PLENARY_LOG", "error", 0);
    int failed = 0;
    for (size_t i = 0; i < sizeof s_tests / sizeof s_tests [0]; i++) {
        fixture_t f = { .handler = records_worker_handler () };
        snprintf (f.dir, sizeof f.dir, "%s/test_records_history.XXXXXX",
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
                fprintf (stderr, "test_records_history: could not remove %s\n", f.dir);
        }
        printf ("%s: %s\n", rc == 0 ? "ok  " : "FAIL", s_tests [i].name);
        failed += rc != 0;
    }
    printf ("test_records_history: %d failed\n", failed);
    return failed ? 1 : 0;
}

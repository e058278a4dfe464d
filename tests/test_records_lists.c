/*  test_records_lists — self-test of the records rules of issue 3, part B:
    credentials and the Credentials Committee's report, statements, the
    lists of speakers, the issues of the list of participants, --since-issue
    addenda and --as-of history, and each of those lists a page at a time.

    In-process like test_records.c: deliveries go through the records
    handler (records_worker_handler) on a store in a fresh folder per test;
    every payload and reply is checked against the schema.  Event N has
    time_ms T0 + N, so a test can ask for the state "as of" any event. */
#include "records_store.h"
#include "records_worker.h"
#include "pl_schema.h"
#include "pl_test.h"

#include <sqlite3.h>
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
    char reason [PL_REASON_MAX];    //  the last rejection's reason
} fixture_t;

#define T0 1795000000000LL          //  2026-11-18T11:06:40Z

//  Apply one event (PAYLOAD taken) as the next seq.  1 applied, 0 rejected
//  (F->reason), -1 on failure or a payload the schema refuses.
static int
s_apply (fixture_t *f, const char *topic, json_t *payload)
{
    char err [PL_ERR_MAX];
    if (pl_schema_validate (pl_schema_find (topic), payload, err, sizeof err)) {
        fprintf (stderr, "test_records_lists: bad test payload: %s\n", err);
        json_decref (payload);
        return -1;
    }
    f->seq++;
    pl_delivery_t event = {
        .seq = f->seq, .topic = topic, .event_id = "test", .payload = payload,
        .time_ms = T0 + (int64_t) f->seq, .attempt = 1
    };
    pl_verdict_t verdict;
    int rc = f->handler->apply (f->store, &event, 1, &verdict);
    json_decref (payload);
    if (rc)
        return -1;
    snprintf (f->reason, sizeof f->reason, "%s", verdict.reason);
    return verdict.applied;
}

//  Query NAME with ARGS (taken) as ROLE; the reply must match the schema.
//  NULL with *STATUS and ERR otherwise.
static json_t *
s_query_as (fixture_t *f, const char *name, json_t *args, const char *role, int *status,
            char *err)
{
    char why [PL_ERR_MAX];
    const pl_message_t *query = pl_schema_find (name);
    json_t *reply = NULL;
    *status = 0;
    err [0] = 0;
    if (!query || pl_schema_validate (query, args, why, sizeof why))
        fprintf (stderr, "test_records_lists: bad test query %s: %s\n", name, why);
    else {
        *status = 200;
        reply = f->handler->query (f->store, name, args, role, status, err, PL_ERR_MAX);
        if (reply && pl_schema_validate (pl_schema_find (query->reply), reply,
                                         why, sizeof why)) {
            fprintf (stderr, "test_records_lists: invalid reply to %s: %s\n", name, why);
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

//  The item of ITEMS whose KEY is VALUE, or NULL.
static json_t *
s_find (const json_t *items, const char *key, const char *value)
{
    size_t index;
    json_t *item;
    json_array_foreach (items, index, item)
        if (s_str (item, key) && strcmp (s_str (item, key), value) == 0)
            return item;
    return NULL;
}

static int
s_meeting (fixture_t *f, const char *id, const char *kind)
{
    return s_apply (f, "meeting.scheduled",
                    json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                               "id", id, "convention", "CCM", "kind", kind,
                               "title", "A meeting", "venue", "Geneva",
                               "tz", "Europe/Zurich", "start", "2030-09-09",
                               "end", "2030-09-12"));
}

static int
s_declare (fixture_t *f, const char *code, const char *status)
{
    json_t *payload = json_pack ("{s:s, s:s, s:s}", "convention", "CCM", "code", code,
                                 "status", status);
    if (strlen (code) > 2)
        json_object_set_new (payload, "name", json_string (code));
    return s_apply (f, "delegation.declared", payload);
}

static int
s_register (fixture_t *f, const char *meeting, const char *family, const char *delegation,
            const char *function)
{
    return s_apply (f, "participant.registered",
                    json_pack ("{s:s, s:s, s:s, s:s}", "meeting", meeting,
                               "family_name", family, "delegation", delegation,
                               "function", function));
}

static json_t *
s_credentials (const char *meeting, const char *delegation, const char *form)
{
    return json_pack ("{s:s, s:s, s:s, s:s}", "meeting", meeting, "delegation", delegation,
                      "form", form, "received", "2030-09-01");
}

static json_t *
s_on (const char *meeting, const char *delegation)
{
    return json_pack ("{s:s, s:s}", "meeting", meeting, "delegation", delegation);
}

//  A meeting msp (formal) and ws (workshop) of CCM with States Parties FR,
//  DE, MX, AT, signatory EG and organisation ICRC.
static int
s_setup (fixture_t *f)
{
    return s_meeting (f, "msp", "msp") == 1 && s_meeting (f, "ws", "workshop") == 1
        && s_declare (f, "FR", "state-party") == 1 && s_declare (f, "DE", "state-party") == 1
        && s_declare (f, "MX", "state-party") == 1 && s_declare (f, "AT", "state-party") == 1
        && s_declare (f, "EG", "signatory") == 1 && s_declare (f, "ICRC", "organization") == 1
        ? 0 : -1;
}

//  --------------------------------------------------------------------------
//  Credentials

static int
test_credentials_rules (fixture_t *f, int verbose)
{
    (void) verbose;
    CHECK (s_setup (f) == 0);
    //  only formal meetings
    CHECK (s_apply (f, "credentials.submitted", s_credentials ("ws", "FR", "original")) == 0);
    CHECK_STR (f->reason, "meeting ws is a workshop meeting; only formal meetings (msp, revcon) "
                          "take credentials");
    CHECK (s_apply (f, "credentials.submitted", s_credentials ("nope", "FR", "original")) == 0);
    CHECK_STR (f->reason, "meeting nope does not exist");
    //  only States Parties: a signatory, an organisation, an undeclared State
    CHECK (s_apply (f, "credentials.submitted", s_credentials ("msp", "EG", "original")) == 0);
    CHECK_STR (f->reason, "delegation EG is not a State Party to CCM (signatory); only States "
                          "Parties submit credentials");
    CHECK (s_apply (f, "credentials.submitted", s_credentials ("msp", "ICRC", "copy")) == 0);
    CHECK (strstr (f->reason, "ICRC is not a State Party"));
    CHECK (s_apply (f, "credentials.submitted", s_credentials ("msp", "BR", "copy")) == 0);
    CHECK (strstr (f->reason, "BR is not a State Party to CCM (undeclared)"));
    CHECK (s_apply (f, "credentials.submitted", s_credentials ("msp", "ZZ", "copy")) == 0);
    CHECK (strstr (f->reason, "not an ISO 3166-1"));
    //  verify and reject need a submission
    CHECK (s_apply (f, "credentials.verified", s_on ("msp", "FR")) == 0);
    CHECK_STR (f->reason, "delegation FR has submitted no credentials to msp");
    CHECK (s_apply (f, "credentials.submitted", s_credentials ("msp", "FR", "original")) == 1);
    CHECK (s_apply (f, "credentials.verified", s_on ("msp", "FR")) == 1);
    CHECK (s_apply (f, "credentials.verified", s_on ("msp", "FR")) == 0);
    CHECK_STR (f->reason, "the credentials of FR to msp are already verified");
    //  a copy does not replace an original in due form
    CHECK (s_apply (f, "credentials.submitted", s_credentials ("msp", "FR", "copy")) == 0);
    CHECK_STR (f->reason, "delegation FR already has credentials in due form for msp");
    //  rejected, then a new submission
    CHECK (s_apply (f, "credentials.submitted", s_credentials ("msp", "DE", "copy")) == 1);
    json_t *reject = s_on ("msp", "DE");
    json_object_set_new (reject, "reason", json_string ("unsigned"));
    CHECK (s_apply (f, "credentials.rejected", json_deep_copy (reject)) == 1);
    CHECK (s_apply (f, "credentials.rejected", reject) == 0);
    CHECK_STR (f->reason, "the credentials of DE to msp are already rejected");
    CHECK (s_apply (f, "credentials.verified", s_on ("msp", "DE")) == 0);
    CHECK_STR (f->reason, "the credentials of DE to msp are already rejected; a new submission "
                          "is needed");
    CHECK (s_apply (f, "credentials.submitted", s_credentials ("msp", "DE", "original")) == 1);
    CHECK (s_apply (f, "credentials.verified", s_on ("msp", "DE")) == 1);
    //  a cancelled meeting takes none
    CHECK (s_apply (f, "meeting.cancelled", json_pack ("{s:s}", "id", "msp")) == 1);
    CHECK (s_apply (f, "credentials.submitted", s_credentials ("msp", "MX", "copy")) == 0);
    CHECK_STR (f->reason, "meeting msp is cancelled");
    return 0;
fail:
    return -1;
}

static int
test_credentials_report (fixture_t *f, int verbose)
{
    (void) verbose;
    int status;
    char err [PL_ERR_MAX];
    CHECK (s_setup (f) == 0);
    CHECK (s_register (f, "msp", "Dupont", "FR", "head") == 1);
    CHECK (s_register (f, "msp", "Martin", "FR", "adviser") == 1);
    CHECK (s_register (f, "msp", "Müller", "DE", "head") == 1);
    CHECK (s_register (f, "msp", "López", "MX", "head") == 1);
    CHECK (s_register (f, "msp", "Nasser", "EG", "head") == 1);
    //  FR original verified, DE note verbale (provisional even verified),
    //  MX original not yet examined, AT (no participant) a copy, rejected
    CHECK (s_apply (f, "credentials.submitted", s_credentials ("msp", "FR", "original")) == 1);
    CHECK (s_apply (f, "credentials.verified", s_on ("msp", "FR")) == 1);
    CHECK (s_apply (f, "credentials.submitted", s_credentials ("msp", "DE", "note-verbale")) == 1);
    CHECK (s_apply (f, "credentials.verified", s_on ("msp", "DE")) == 1);
    CHECK (s_apply (f, "credentials.submitted", s_credentials ("msp", "MX", "original")) == 1);
    CHECK (s_apply (f, "credentials.submitted", s_credentials ("msp", "AT", "copy")) == 1);
    json_t *reject = s_on ("msp", "AT");
    json_object_set_new (reject, "reason", json_string ("unsigned"));
    CHECK (s_apply (f, "credentials.rejected", reject) == 1);
    json_t *reply = s_query (f, "credentials.report", json_pack ("{s:s}", "meeting", "msp"),
                             &status, err);
    CHECK (reply);
    CHECK (s_int (reply, "states_parties") == 4);       //  EG is a signatory: not in it
    CHECK (s_int (reply, "due_form") == 1);
    CHECK (s_int (reply, "provisional") == 1);
    CHECK (s_int (reply, "pending") == 1);
    CHECK (s_int (reply, "rejected") == 1);
    CHECK (s_int (reply, "none") == 0);
    json_t *items = json_object_get (reply, "items");
    CHECK_STR (s_str (json_array_get (items, 0), "delegation"), "AT");     //  by code
    CHECK_STR (s_str (s_find (items, "delegation", "FR"), "standing"), "due-form");
    CHECK (s_int (s_find (items, "delegation", "FR"), "participants") == 2);
    CHECK_STR (s_str (s_find (items, "delegation", "FR"), "delegation_name"), "France");
    CHECK_STR (s_str (s_find (items, "delegation", "DE"), "standing"), "provisional");
    CHECK_STR (s_str (s_find (items, "delegation", "MX"), "standing"), "pending");
    CHECK_STR (s_str (s_find (items, "delegation", "AT"), "standing"), "rejected");
    CHECK_STR (s_str (s_find (items, "delegation", "AT"), "reason"), "unsigned");
    CHECK (!s_find (items, "delegation", "EG"));
    json_decref (reply);
    //  a State Party registered without credentials stands at none;
    //  withdrawing its only participant takes it out of the report
    CHECK (s_declare (f, "NO", "state-party") == 1);
    CHECK (s_register (f, "msp", "Hansen", "NO", "head") == 1);
    uint64_t hansen = f->seq;
    reply = s_query (f, "credentials.report", json_pack ("{s:s}", "meeting", "msp"),
                     &status, err);
    CHECK (reply);
    CHECK_STR (s_str (s_find (json_object_get (reply, "items"), "delegation", "NO"), "standing"),
               "none");
    CHECK (s_int (reply, "none") == 1);
    json_decref (reply);
    char id [32];
    snprintf (id, sizeof id, "p%llu", (unsigned long long) hansen);
    CHECK (s_apply (f, "participant.withdrawn",
                    json_pack ("{s:s, s:s}", "meeting", "msp", "participant", id)) == 1);
    reply = s_query (f, "credentials.report", json_pack ("{s:s}", "meeting", "msp"),
                     &status, err);
    CHECK (reply);
    CHECK (!s_find (json_object_get (reply, "items"), "delegation", "NO"));
    json_decref (reply);
    //  only formal meetings have a report
    CHECK (!s_query (f, "credentials.report", json_pack ("{s:s}", "meeting", "ws"),
                     &status, err));
    CHECK (status == 400);
    CHECK (!s_query (f, "credentials.report", json_pack ("{s:s}", "meeting", "nope"),
                     &status, err));
    CHECK (status == 404);
    return 0;
fail:
    return -1;
}

//  --------------------------------------------------------------------------
//  Statements and the lists of speakers

static json_t *
s_statement (const char *meeting, const char *item, const char *delegation)
{
    json_t *statement = json_pack ("{s:s, s:s, s:s}", "meeting", meeting,
                                   "delegation", delegation, "language", "en");
    if (item)
        json_object_set_new (statement, "agenda_item", json_string (item));
    return statement;
}

static json_t *
s_speaker (const char *meeting, const char *item, const char *delegation)
{
    return json_pack ("{s:s, s:s, s:s}", "meeting", meeting, "agenda_item", item,
                      "delegation", delegation);
}

static int
test_statements (fixture_t *f, int verbose)
{
    (void) verbose;
    int status;
    char err [PL_ERR_MAX];
    CHECK (s_setup (f) == 0);
    CHECK (s_apply (f, "statement.delivered", s_statement ("nope", "8", "FR")) == 0);
    CHECK_STR (f->reason, "meeting nope does not exist");
    CHECK (s_apply (f, "statement.delivered", s_statement ("msp", "8", "ZZ")) == 0);
    CHECK (strstr (f->reason, "ZZ"));
    json_t *in_session = s_statement ("msp", "8", "FR");
    json_object_set_new (in_session, "session", json_string ("day9"));
    CHECK (s_apply (f, "statement.delivered", in_session) == 0);
    CHECK_STR (f->reason, "session day9 of meeting msp does not exist");
    json_t *eu = s_statement ("msp", "8", "AT");
    json_object_set_new (eu, "on_behalf_of", json_string ("European Union"));
    json_object_set_new (eu, "text", json_string ("Mr. President, ..."));
    json_object_set_new (eu, "document", json_string ("CCM/MSP/2030/WP.4"));
    CHECK (s_apply (f, "statement.delivered", eu) == 1);
    uint64_t first = f->seq;
    CHECK (s_apply (f, "statement.delivered", s_statement ("msp", "9", "AT")) == 1);
    CHECK (s_apply (f, "statement.delivered", s_statement ("msp", "8", "ICRC")) == 1);
    json_t *reply = s_query (f, "statement.list",
                             json_pack ("{s:s, s:s}", "meeting", "msp", "agenda_item", "8"),
                             &status, err);
    CHECK (reply);
    json_t *items = json_object_get (reply, "items");
    CHECK (json_array_size (items) == 2);
    char id [32];
    snprintf (id, sizeof id, "s%llu", (unsigned long long) first);
    CHECK_STR (s_str (json_array_get (items, 0), "id"), id);
    CHECK_STR (s_str (json_array_get (items, 0), "on_behalf_of"), "European Union");
    CHECK_STR (s_str (json_array_get (items, 0), "delegation_name"), "Austria");
    CHECK_STR (s_str (json_array_get (items, 1), "delegation"), "ICRC");
    CHECK_STR (s_str (json_array_get (items, 0), "document"), "CCM/MSP/2030/WP.4");
    char want [40];
    snprintf (want, sizeof want, "2026-11-18T11:06:40.%03lluZ", (unsigned long long) first);
    CHECK_STR (s_str (json_array_get (items, 0), "delivered_at"), want);
    json_decref (reply);
    reply = s_query (f, "statement.list",
                     json_pack ("{s:s, s:s}", "meeting", "msp", "delegation", "AT"),
                     &status, err);
    CHECK (reply);
    CHECK (json_array_size (json_object_get (reply, "items")) == 2);
    json_decref (reply);
    //  the document's symbol is the archive's to show (it may be of a
    //  restricted document, which records cannot tell): below the
    //  secretariat the statements come without it
    reply = s_query_as (f, "statement.list", json_pack ("{s:s, s:s}", "meeting", "msp",
                        "agenda_item", "8"), "record-keeper", &status, err);
    CHECK (reply);
    items = json_object_get (reply, "items");
    CHECK (json_array_size (items) == 2 && !json_object_get (json_array_get (items, 0),
                                                             "document"));
    CHECK_STR (s_str (json_array_get (items, 0), "on_behalf_of"), "European Union");
    json_decref (reply);
    CHECK (s_apply (f, "meeting.cancelled", json_pack ("{s:s}", "id", "msp")) == 1);
    CHECK (s_apply (f, "statement.delivered", s_statement ("msp", "8", "FR")) == 0);
    CHECK_STR (f->reason, "meeting msp is cancelled");
    return 0;
fail:
    return -1;
}

//  The delegations of the list of speakers of ITEM of msp, in order, as
//  "FR:waiting DE:spoken ..." into BUF.
static int
s_speakers (fixture_t *f, const char *item, char *buf, size_t size)
{
    int status;
    char err [PL_ERR_MAX];
    json_t *reply = s_query (f, "speaker.list",
                             json_pack ("{s:s, s:s}", "meeting", "msp", "agenda_item", item),
                             &status, err);
    if (!reply)
        return -1;
    buf [0] = 0;
    size_t index;
    json_t *entry;
    json_array_foreach (json_object_get (reply, "items"), index, entry) {
        if (s_int (entry, "position") != (json_int_t) index + 1)
            return -1;
        snprintf (buf + strlen (buf), size - strlen (buf), "%s%s:%s", index ? " " : "",
                  s_str (entry, "delegation"), s_str (entry, "status"));
    }
    json_decref (reply);
    return 0;
}

static int
test_speakers (fixture_t *f, int verbose)
{
    (void) verbose;
    char list [256];
    int status;
    char err [PL_ERR_MAX];
    CHECK (s_setup (f) == 0);
    CHECK (s_apply (f, "speaker.inscribed", s_speaker ("nope", "8", "FR")) == 0);
    CHECK_STR (f->reason, "meeting nope does not exist");
    CHECK (s_apply (f, "speaker.inscribed", s_speaker ("msp", "8", "ZZ")) == 0);
    //  order of inscription kept
    CHECK (s_apply (f, "speaker.inscribed", s_speaker ("msp", "8", "FR")) == 1);
    json_t *eu = s_speaker ("msp", "8", "AT");
    json_object_set_new (eu, "on_behalf_of", json_string ("European Union"));
    CHECK (s_apply (f, "speaker.inscribed", eu) == 1);
    CHECK (s_apply (f, "speaker.inscribed", s_speaker ("msp", "8", "MX")) == 1);
    CHECK (s_apply (f, "speaker.inscribed", s_speaker ("msp", "8", "ICRC")) == 1);
    CHECK (s_apply (f, "speaker.inscribed", s_speaker ("msp", "9", "MX")) == 1);
    CHECK (s_speakers (f, "8", list, sizeof list) == 0);
    CHECK_STR (list, "FR:waiting AT:waiting MX:waiting ICRC:waiting");
    //  waiting once per list
    CHECK (s_apply (f, "speaker.inscribed", s_speaker ("msp", "8", "MX")) == 0);
    CHECK_STR (f->reason, "delegation MX is already waiting on the list of speakers of item 8 "
                          "of msp (position 3)");
    //  swap: both must wait, and differ
    json_t *swap = s_speaker ("msp", "8", "FR");
    json_object_set_new (swap, "with", json_string ("MX"));
    CHECK (s_apply (f, "speaker.swapped", swap) == 1);
    CHECK (s_speakers (f, "8", list, sizeof list) == 0);
    CHECK_STR (list, "MX:waiting AT:waiting FR:waiting ICRC:waiting");
    swap = s_speaker ("msp", "8", "FR");
    json_object_set_new (swap, "with", json_string ("FR"));
    CHECK (s_apply (f, "speaker.swapped", swap) == 0);
    CHECK_STR (f->reason, "delegation FR cannot swap places with itself");
    swap = s_speaker ("msp", "8", "FR");
    json_object_set_new (swap, "with", json_string ("DE"));
    CHECK (s_apply (f, "speaker.swapped", swap) == 0);
    CHECK_STR (f->reason, "delegation DE is not waiting on the list of speakers of item 8 of msp");
    //  withdraw: kept, marked; twice is refused
    json_t *withdraw = s_speaker ("msp", "8", "AT");
    json_object_set_new (withdraw, "reason", json_string ("out of time"));
    CHECK (s_apply (f, "speaker.withdrawn", withdraw) == 1);
    CHECK (s_apply (f, "speaker.withdrawn", s_speaker ("msp", "8", "AT")) == 0);
    CHECK_STR (f->reason, "delegation AT is not waiting on the list of speakers of item 8 of msp");
    //  a withdrawn delegation cannot be swapped
    swap = s_speaker ("msp", "8", "AT");
    json_object_set_new (swap, "with", json_string ("FR"));
    CHECK (s_apply (f, "speaker.swapped", swap) == 0);
    //  the statement closes the turn, under that item only
    json_t *statement = s_statement ("msp", "8", "MX");
    json_object_set_new (statement, "delivered_at", json_string ("2030-09-10T10:15:00Z"));
    json_object_set_new (statement, "duration_s", json_integer (185));
    CHECK (s_apply (f, "statement.delivered", statement) == 1);
    uint64_t statement_seq = f->seq;
    CHECK (s_speakers (f, "8", list, sizeof list) == 0);
    CHECK_STR (list, "MX:spoken AT:withdrawn FR:waiting ICRC:waiting");
    CHECK (s_speakers (f, "9", list, sizeof list) == 0);
    CHECK_STR (list, "MX:waiting");
    json_t *reply = s_query (f, "speaker.list",
                             json_pack ("{s:s, s:s}", "meeting", "msp", "agenda_item", "8"),
                             &status, err);
    CHECK (reply);
    json_t *mx = json_array_get (json_object_get (reply, "items"), 0);
    CHECK_STR (s_str (mx, "started_at"), "2030-09-10T10:15:00Z");
    CHECK (s_int (mx, "duration_s") == 185);
    char id [32];
    snprintf (id, sizeof id, "s%llu", (unsigned long long) statement_seq);
    CHECK_STR (s_str (mx, "statement"), id);
    CHECK_STR (s_str (json_array_get (json_object_get (reply, "items"), 1), "on_behalf_of"),
               "European Union");
    CHECK_STR (s_str (json_array_get (json_object_get (reply, "items"), 1), "reason"),
               "out of time");
    json_decref (reply);
    //  having spoken, a delegation may ask for the floor again: a new turn at the end
    CHECK (s_apply (f, "speaker.inscribed", s_speaker ("msp", "8", "MX")) == 1);
    CHECK (s_speakers (f, "8", list, sizeof list) == 0);
    CHECK_STR (list, "MX:spoken AT:withdrawn FR:waiting ICRC:waiting MX:waiting");
    //  a closed meeting takes no inscriptions
    CHECK (s_apply (f, "meeting.closed", json_pack ("{s:s}", "id", "msp")) == 1);
    CHECK (s_apply (f, "speaker.inscribed", s_speaker ("msp", "8", "DE")) == 0);
    CHECK_STR (f->reason, "meeting msp is closed; its lists of speakers are closed");
    return 0;
fail:
    return -1;
}

//  --------------------------------------------------------------------------
//  The list of participants: issues, addenda, as of a time

static int
s_issue (fixture_t *f, int issue)
{
    return s_apply (f, "participants.issued",
                    json_pack ("{s:s, s:i, s:s}", "meeting", "msp", "issue", issue,
                               "symbol", "CCM/MSP/2030/INF.1"));
}

static json_t *
s_list (fixture_t *f, const char *key, json_int_t value, int *status, char *err)
{
    json_t *args = json_pack ("{s:s}", "meeting", "msp");
    if (key)
        json_object_set_new (args, key, json_integer (value));
    return s_query (f, "participant.list", args, status, err);
}

static int
test_issues (fixture_t *f, int verbose)
{
    (void) verbose;
    int status;
    char err [PL_ERR_MAX], id [32];
    CHECK (s_setup (f) == 0);
    CHECK (s_issue (f, 2) == 0);
    CHECK_STR (f->reason, "the list of participants of msp has 0 issues; the next is issue 1, "
                          "not 2");
    CHECK (s_register (f, "msp", "Dupont", "FR", "head") == 1);
    uint64_t dupont = f->seq;
    CHECK (s_register (f, "msp", "Müller", "DE", "head") == 1);
    uint64_t muller = f->seq;
    CHECK (s_register (f, "msp", "López", "MX", "head") == 1);
    uint64_t lopez = f->seq;
    CHECK (!s_list (f, "since_issue", 1, &status, err));
    CHECK (status == 404);
    CHECK_STR (err, "meeting msp has no issue 1 of its list of participants");
    CHECK (s_issue (f, 1) == 1);
    CHECK (s_issue (f, 1) == 0);
    //  nothing changed yet
    json_t *reply = s_list (f, "since_issue", 1, &status, err);
    CHECK (reply);
    CHECK (json_array_size (json_object_get (reply, "items")) == 0);
    CHECK (s_int (reply, "issue") == 1);
    CHECK_STR (s_str (reply, "symbol"), "CCM/MSP/2030/INF.1");
    json_decref (reply);
    //  added, changed (printed field), removed; a change to an unprinted
    //  field (e-mail) is no addendum entry
    CHECK (s_register (f, "msp", "Zhang", "AT", "expert") == 1);
    uint64_t zhang = f->seq;
    snprintf (id, sizeof id, "p%llu", (unsigned long long) dupont);
    CHECK (s_apply (f, "participant.updated",
                    json_pack ("{s:s, s:s, s:s}", "meeting", "msp", "participant", id,
                               "position", "Ambassador")) == 1);
    snprintf (id, sizeof id, "p%llu", (unsigned long long) muller);
    CHECK (s_apply (f, "participant.updated",
                    json_pack ("{s:s, s:s, s:s}", "meeting", "msp", "participant", id,
                               "email", "m@example.de")) == 1);
    snprintf (id, sizeof id, "p%llu", (unsigned long long) lopez);
    CHECK (s_apply (f, "participant.withdrawn",
                    json_pack ("{s:s, s:s}", "meeting", "msp", "participant", id)) == 1);
    reply = s_list (f, "since_issue", 1, &status, err);
    CHECK (reply);
    json_t *items = json_object_get (reply, "items");
    CHECK (json_array_size (items) == 3);
    snprintf (id, sizeof id, "p%llu", (unsigned long long) zhang);
    CHECK_STR (s_str (s_find (items, "id", id), "change"), "added");
    snprintf (id, sizeof id, "p%llu", (unsigned long long) dupont);
    CHECK_STR (s_str (s_find (items, "id", id), "change"), "changed");
    CHECK_STR (s_str (s_find (items, "id", id), "position"), "Ambassador");
    snprintf (id, sizeof id, "p%llu", (unsigned long long) lopez);
    CHECK_STR (s_str (s_find (items, "id", id), "change"), "removed");
    json_decref (reply);
    //  both at once is refused
    json_t *args = json_pack ("{s:s, s:i, s:I}", "meeting", "msp", "since_issue", 1,
                              "as_of_ms", (json_int_t) T0);
    CHECK (!s_query (f, "participant.list", args, &status, err));
    CHECK (status == 400);
    return 0;
fail:
    return -1;
}

static int
test_as_of (fixture_t *f, int verbose)
{
    (void) verbose;
    int status;
    char err [PL_ERR_MAX], id [32];
    CHECK (s_setup (f) == 0);
    int64_t before = T0 + (int64_t) f->seq;
    CHECK (s_register (f, "msp", "Dupont", "FR", "adviser") == 1);
    uint64_t dupont = f->seq;
    int64_t registered = T0 + (int64_t) f->seq;
    snprintf (id, sizeof id, "p%llu", (unsigned long long) dupont);
    CHECK (s_apply (f, "participant.updated",
                    json_pack ("{s:s, s:s, s:s}", "meeting", "msp", "participant", id,
                               "function", "head")) == 1);
    int64_t updated = T0 + (int64_t) f->seq;
    CHECK (s_apply (f, "participant.withdrawn",
                    json_pack ("{s:s, s:s}", "meeting", "msp", "participant", id)) == 1);
    int64_t withdrawn = T0 + (int64_t) f->seq;
    //  a rejected event leaves no version behind
    CHECK (s_apply (f, "participant.withdrawn",
                    json_pack ("{s:s, s:s}", "meeting", "msp", "participant", id)) == 0);

    json_t *reply = s_list (f, "as_of_ms", before, &status, err);
    CHECK (reply);
    CHECK (json_array_size (json_object_get (reply, "items")) == 0);
    json_decref (reply);
    reply = s_list (f, "as_of_ms", registered, &status, err);
    CHECK (reply);
    json_t *entry = json_array_get (json_object_get (reply, "items"), 0);
    CHECK_STR (s_str (entry, "function"), "adviser");
    CHECK_STR (s_str (entry, "status"), "registered");
    CHECK_STR (s_str (entry, "category"), "state-party");
    CHECK_STR (s_str (entry, "delegation_name"), "France");
    json_decref (reply);
    reply = s_list (f, "as_of_ms", updated + 0, &status, err);
    CHECK (reply);
    CHECK_STR (s_str (json_array_get (json_object_get (reply, "items"), 0), "function"), "head");
    json_decref (reply);
    reply = s_list (f, "as_of_ms", withdrawn, &status, err);
    CHECK (reply);
    CHECK_STR (s_str (json_array_get (json_object_get (reply, "items"), 0), "status"),
               "withdrawn");
    json_decref (reply);
    //  the current list answers as participant.list does
    reply = s_list (f, "as_of_ms", T0 + 1000000, &status, err);
    CHECK (reply);
    CHECK (json_array_size (json_object_get (reply, "items")) == 1);
    json_decref (reply);
    //  without as_of_ms: participant.list as always
    reply = s_list (f, NULL, 0, &status, err);
    CHECK (reply);
    CHECK_STR (s_str (json_array_get (json_object_get (reply, "items"), 0), "status"),
               "withdrawn");
    json_decref (reply);
    //  an unknown meeting
    CHECK (!s_query (f, "participant.list",
                     json_pack ("{s:s, s:I}", "meeting", "nope", "as_of_ms", (json_int_t) T0),
                     &status, err));
    CHECK (status == 404);
    //  a registration's first version, written by its own INSERT (migration
    //  8), is the very row the trigger of migration 3 wrote: the JSON of the
    //  participant as stored, every field filled
    CHECK (s_apply (f, "participant.registered",
                    json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:b}",
                               "meeting", "msp", "family_name", "Ionescu", "given_name", "Ana",
                               "delegation", "AT", "function", "expert", "gender", "f",
                               "email", "ana@example.at", "sponsored", 1, "title", "Dr",
                               "position", "Counsellor", "organization", "Ministry",
                               "note", "visa", "focal_point", 0)) == 1);
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    CHECK (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    int same = sqlite3_prepare_v2 (db,
        "SELECT count(*), sum(v.details = json_object('id', p.id, 'meeting', p.meeting,"
        " 'family_name', p.family_name, 'given_name', p.given_name, 'delegation', p.delegation,"
        " 'function', p.function, 'gender', p.gender, 'email', p.email,"
        " 'sponsored', p.sponsored, 'title', p.title, 'position', p.position,"
        " 'organization', p.organization, 'note', p.note, 'status', p.status,"
        " 'registered_at', p.registered_at, 'seq', p.seq, 'focal_point', p.focal_point,"
        " 'status_reason', p.status_reason))"
        " FROM participant p JOIN participant_version v ON v.participant = p.id"
        " AND v.valid_to IS NULL WHERE p.family_name = 'Ionescu'", -1, &stmt, NULL) == SQLITE_OK
        && sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) == 1
        && sqlite3_column_int (stmt, 1) == 1;
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    CHECK (same);
    return 0;
fail:
    return -1;
}

//  Every page of participant.list ARGS (taken) with LIMIT, concatenated;
//  *PAGES_P gets how many pages it took.  NULL on any failure.
static json_t *
s_pages (fixture_t *f, json_t *args, int limit, int *pages_p)
{
    int status;
    char err [PL_ERR_MAX];
    json_t *all = json_array ();
    json_object_set_new (args, "limit", json_integer (limit));
    *pages_p = 0;
    while (all) {
        json_t *reply = s_query (f, "participant.list", json_deep_copy (args), &status, err);
        if (!reply || (int) json_array_size (json_object_get (reply, "items")) > limit) {
            fprintf (stderr, "test_records_lists: page %d: %s\n", *pages_p, reply ? "too long" : err);
            json_decref (reply);
            json_decref (all);
            all = NULL;
            break;
        }
        ++*pages_p;
        json_array_extend (all, json_object_get (reply, "items"));
        const char *next = s_str (reply, "next");
        if (next)
            json_object_set_new (args, "after", json_string (next));
        json_decref (reply);
        if (!next)
            break;
    }
    json_decref (args);
    return all;
}

//  The ids of ITEMS, in order, one line each, into BUF.
static const char *
s_ids (const json_t *items, char *buf, size_t size)
{
    size_t used = 0, index;
    json_t *item;
    buf [0] = 0;
    json_array_foreach (items, index, item)
        used += (size_t) snprintf (buf + used, used < size ? size - used : 0, "%s%s\n",
                                   s_str (item, "id"), s_str (item, "change")
                                   ? s_str (item, "change") : "");
    return buf;
}

static int
test_pages (fixture_t *f, int verbose)
{
    (void) verbose;
    int status, pages;
    char err [PL_ERR_MAX], whole [4096], paged [4096];
    json_t *all = NULL, *got = NULL;
    CHECK (s_setup (f) == 0);
    //  37 participants, ties on delegation, function and family name, one
    //  without a given name: the order's every key in play
    static const char *delegations [] = { "FR", "DE", "MX", "AT", "EG", "ICRC" };
    static const char *functions [] = { "expert", "head", "adviser", "alternate" };
    static const char *families [] = { "Dupont", "Müller", "Dupont", "López", "Zhang" };
    for (int i = 0; i < 37; i++) {
        json_t *payload = json_pack ("{s:s, s:s, s:s, s:s}", "meeting", "msp",
                                     "family_name", families [i % 5],
                                     "delegation", delegations [i % 6],
                                     "function", functions [i % 4]);
        static const char *given [] = { NULL, "Anne", "Zoé", "Ana", "Li", "Élodie", "Ян" };
        if (given [i % 7])
            json_object_set_new (payload, "given_name", json_string (given [i % 7]));
        CHECK (s_apply (f, "participant.registered", payload) == 1);
    }
    int64_t registered = T0 + (int64_t) f->seq;
    CHECK (s_issue (f, 1) == 1);
    //  after the issue: 5 withdrawn, 5 renamed (printed field)
    uint64_t last = f->seq - 1;             //  the last registration
    for (int i = 0; i < 10; i++) {
        char id [32];
        snprintf (id, sizeof id, "p%llu", (unsigned long long) (last - (uint64_t) i * 3));
        CHECK (s_apply (f, i < 5 ? "participant.withdrawn" : "participant.updated",
                        i < 5 ? json_pack ("{s:s, s:s}", "meeting", "msp", "participant", id)
                              : json_pack ("{s:s, s:s, s:s}", "meeting", "msp",
                                           "participant", id, "family_name", "Renamed"))
               == 1);
    }
    //  each list (now, as it stood, the addendum) a page of 4 at a time
    //  holds what one page of all holds, in the same order, none twice
    const char *modes [] = { NULL, "as_of_ms", "since_issue" };
    for (int m = 0; m < 3; m++) {
        json_t *args = json_pack ("{s:s}", "meeting", "msp");
        if (modes [m])
            json_object_set_new (args, modes [m], json_integer (m == 1 ? registered : 1));
        all = s_pages (f, json_deep_copy (args), 50000, &pages);
        CHECK (all && pages == 1);
        CHECK (json_array_size (all) == (m == 2 ? 10 : 37));
        got = s_pages (f, args, 4, &pages);
        CHECK (got);
        CHECK_STR (s_ids (got, paged, sizeof paged), s_ids (all, whole, sizeof whole));
        CHECK (pages >= (m == 2 ? 3 : 10));
        json_decref (all);
        json_decref (got);
        all = got = NULL;
    }
    //  a page never passes PL_PAGE_BYTES, whatever its limit: 2,600
    //  participants of about 1.7 KB come in two pages or more
    char note [1001], position [251];
    memset (note, 'n', sizeof note - 1);
    note [sizeof note - 1] = 0;
    memset (position, 'p', sizeof position - 1);
    position [sizeof position - 1] = 0;
    for (int i = 0; i < 2600; i += 200) {
        for (int k = i; k < i + 200; k++) {
            char family [32];
            snprintf (family, sizeof family, "Long%d", k);
            CHECK (s_apply (f, "participant.registered",
                            json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s}", "meeting", "ws",
                                       "family_name", family, "delegation", "FR",
                                       "note", note, "position", position,
                                       "organization", position)) == 1);
        }
    }
    all = s_pages (f, json_pack ("{s:s}", "meeting", "ws"), 50000, &pages);
    CHECK (all && json_array_size (all) == 2600);
    CHECK (pages >= 2);
    json_decref (all);
    all = NULL;
    //  without a limit, a page of PL_PAGE_DEFAULT: all of these
    json_t *reply = s_list (f, NULL, 0, &status, err);
    CHECK (reply && json_array_size (json_object_get (reply, "items")) == 37);
    CHECK (!json_object_get (reply, "next"));
    json_decref (reply);
    //  a cursor the list did not give is refused, saying so
    CHECK (!s_query (f, "participant.list", json_pack ("{s:s, s:s}", "meeting", "msp",
                                                       "after", "[\"FR\", 1]"), &status, err));
    CHECK (status == 400);
    CHECK_STR (err, "participant.list: after: not a cursor of this list (give the next of the "
                    "page before, unchanged)");
    return 0;
fail:
    json_decref (all);
    json_decref (got);
    return -1;
}

static const struct {
    const char *name;
    int (*run) (fixture_t *f, int verbose);
} s_tests [] = {
    { "credentials: formal meetings, States Parties, verdicts", test_credentials_rules },
    { "credentials report: standings and counts",              test_credentials_report },
    { "statements: rules, by item and delegation",             test_statements },
    { "speakers: order, withdraw, swap, turn closed",          test_speakers },
    { "list issues and addenda (since_issue)",                 test_issues },
    { "list as it stood (as_of_ms)",                           test_as_of },
    { "lists a page at a time (after, limit, next)",           test_pages },
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
        snprintf (f.dir, sizeof f.dir, "%s/test_records_lists.XXXXXX",
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
                fprintf (stderr, "test_records_lists: could not remove %s\n", f.dir);
        }
        printf ("%s: %s\n", rc == 0 ? "ok  " : "FAIL", s_tests [i].name);
        failed += rc != 0;
    }
    printf ("test_records_lists: %d failed\n", failed);
    return failed ? 1 : 0;
}

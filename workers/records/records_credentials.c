/*  records_credentials — credentials and the Credentials Committee's report.

    Before a formal meeting (a Meeting of States Parties or a Review
    Conference: the meetings whose rules of procedure provide for a
    Credentials Committee) each State Party's delegation submits
    credentials: an original signed by the Head of State or Government or
    the Minister for Foreign Affairs, or a copy or note verbale, which counts
    as provisional.  Only States Parties (as declared toward the meeting's
    convention, records_delegations.c) have credentials; observers do not.

    A delegation may submit again (the original after a copy); the newest
    submission is the one that counts and the one the Committee examines.
    In the report a State Party stands: due-form (original, verified),
    provisional (copy or note verbale), pending (an original not yet
    examined), rejected, or none. */
#include "records_handlers.h"

#include <stdio.h>
#include <string.h>

//  Meeting kinds with a Credentials Committee.
static const char *s_formal_kinds [] = { "msp", "revcon", NULL };

//  Forms that count as provisional credentials.
static const char *s_provisional_forms [] = { "copy", "note-verbale", NULL };

static int
s_in (const char **list, const char *value)
{
    for (size_t i = 0; list [i]; i++)
        if (strcmp (list [i], value) == 0)
            return 1;
    return 0;
}

//  Check that MEETING exists and is formal; its convention into CONVENTION.
//  RECORDS_APPLIED when it is, else the rejection or failure.
static records_outcome_t
s_formal_meeting (records_store_t *store, const char *meeting, records_meeting_t *info,
                  char *reason, size_t reason_size)
{
    int found = records_store_meeting_get (store, meeting, info);
    if (found < 0)
        return RECORDS_FAILED;
    if (!found)
        return records_reject (reason, reason_size, "meeting %s does not exist", meeting);
    char kind [24];
    if (records_store_meeting_kind (store, meeting, kind, sizeof kind) != 1)
        return RECORDS_FAILED;
    if (!s_in (s_formal_kinds, kind))
        return records_reject (reason, reason_size,
                               "meeting %s is a %s meeting; only formal meetings (msp, revcon) "
                               "take credentials", meeting, kind);
    return RECORDS_APPLIED;
}

//  The common rules of the three credentials events: a formal meeting, not
//  cancelled, and a delegation that is a State Party of its convention.
static records_outcome_t
s_check (records_store_t *store, const json_t *payload, char *reason, size_t reason_size)
{
    const char *meeting = records_field (payload, "meeting");
    const char *delegation = records_field (payload, "delegation");
    records_meeting_t info;
    records_outcome_t outcome = s_formal_meeting (store, meeting, &info, reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    if (strcmp (info.status, "cancelled") == 0)
        return records_reject (reason, reason_size, "meeting %s is cancelled", meeting);
    char category [24], name [260];
    outcome = records_delegation_category (store, info.convention, delegation, category,
                                           sizeof category, name, sizeof name,
                                           reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    if (strcmp (category, "state-party") != 0)
        return records_reject (reason, reason_size,
                               "delegation %s is not a State Party to %s (%s); only States "
                               "Parties submit credentials", delegation, info.convention,
                               category);
    return RECORDS_APPLIED;
}

//  The latest credentials of the event's delegation; rejects when none.
static records_outcome_t
s_latest (records_store_t *store, const json_t *payload, records_credential_t *credential,
          char *reason, size_t reason_size)
{
    const char *meeting = records_field (payload, "meeting");
    const char *delegation = records_field (payload, "delegation");
    int found = records_store_credential_latest (store, meeting, delegation, credential);
    if (found < 0)
        return RECORDS_FAILED;
    if (!found)
        return records_reject (reason, reason_size,
                               "delegation %s has submitted no credentials to %s",
                               delegation, meeting);
    return RECORDS_APPLIED;
}

records_outcome_t
records_credentials_submitted (void *store, const pl_delivery_t *event,
                               char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    records_outcome_t outcome = s_check (store, payload, reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    records_credential_t latest;
    int found = records_store_credential_latest (store, records_field (payload, "meeting"),
                                                 records_field (payload, "delegation"),
                                                 &latest);
    if (found < 0)
        return RECORDS_FAILED;
    //  A provisional copy never replaces an original found in due form
    if (found && strcmp (latest.status, "verified") == 0
    &&  strcmp (latest.form, "original") == 0
    &&  strcmp (records_field (payload, "form"), "original") != 0)
        return records_reject (reason, reason_size,
                               "delegation %s already has credentials in due form for %s",
                               records_field (payload, "delegation"),
                               records_field (payload, "meeting"));
    return records_store_credential_insert (store, event->seq, payload)
         ? RECORDS_FAILED : RECORDS_APPLIED;
}

records_outcome_t
records_credentials_verified (void *store, const pl_delivery_t *event,
                              char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    records_credential_t latest;
    records_outcome_t outcome = s_check (store, payload, reason, reason_size);
    if (outcome == RECORDS_APPLIED)
        outcome = s_latest (store, payload, &latest, reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    if (strcmp (latest.status, "submitted") != 0)
        return records_reject (reason, reason_size,
                               "the credentials of %s to %s are already %s%s",
                               records_field (payload, "delegation"),
                               records_field (payload, "meeting"), latest.status,
                               strcmp (latest.status, "rejected") == 0
                               ? "; a new submission is needed" : "");
    return records_store_credential_set (store, latest.seq, "verified",
                                         records_field (payload, "note"), NULL)
         ? RECORDS_FAILED : RECORDS_APPLIED;
}

records_outcome_t
records_credentials_rejected (void *store, const pl_delivery_t *event,
                              char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    records_credential_t latest;
    records_outcome_t outcome = s_check (store, payload, reason, reason_size);
    if (outcome == RECORDS_APPLIED)
        outcome = s_latest (store, payload, &latest, reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    if (strcmp (latest.status, "rejected") == 0)
        return records_reject (reason, reason_size,
                               "the credentials of %s to %s are already rejected",
                               records_field (payload, "delegation"),
                               records_field (payload, "meeting"));
    return records_store_credential_set (store, latest.seq, "rejected", NULL,
                                         records_field (payload, "reason"))
         ? RECORDS_FAILED : RECORDS_APPLIED;
}

//  Where a report row stands, from its latest credentials' status and form.
static const char *
s_standing (const char *status, const char *form)
{
    if (!status)
        return "none";
    if (strcmp (status, "rejected") == 0)
        return "rejected";
    if (s_in (s_provisional_forms, form))
        return "provisional";
    return strcmp (status, "verified") == 0 ? "due-form" : "pending";
}

json_t *
records_credentials_report (void *store, const json_t *args, const char *role,
                            int *status, char *err, size_t errsize)
{
    const char *meeting = records_field (args, "meeting");
    records_meeting_t info;
    records_outcome_t outcome = s_formal_meeting (store, meeting, &info, err, errsize);
    if (outcome != RECORDS_APPLIED) {
        *status = outcome == RECORDS_FAILED ? 500
                : strstr (err, "does not exist") ? 404 : 400;
        if (outcome == RECORDS_FAILED)
            snprintf (err, errsize, "records: storage failure reading meeting %s", meeting);
        return NULL;
    }
    json_t *rows = records_store_credential_rows (store, meeting, info.convention);
    if (!rows) {
        *status = 500;
        snprintf (err, errsize, "records: storage failure building the credentials report");
        return NULL;
    }
    static const char *counted [] = { "due-form", "provisional", "pending", "rejected", "none" };
    static const char *keys [] = { "due_form", "provisional", "pending", "rejected", "none" };
    json_int_t counts [5] = { 0 };
    json_t *items = json_object_get (rows, "items");
    size_t index;
    json_t *row;
    json_array_foreach (items, index, row) {
        const char *row_status = records_field (row, "status");
        const char *standing = s_standing (row_status, records_field (row, "form"));
        for (int i = 0; i < 5; i++)
            if (strcmp (counted [i], standing) == 0)
                counts [i]++;
        json_object_set_new (row, "standing", json_string (standing));
        if (row_status)
            json_object_set_new (row, "verified",
                                 json_boolean (strcmp (row_status, "verified") == 0));
        json_object_del (row, "status");
    }
    json_t *reply = json_pack ("{s:s, s:s, s:I}", "meeting", meeting,
                               "convention", info.convention,
                               "states_parties", (json_int_t) json_array_size (items));
    for (int i = 0; reply && i < 5; i++)
        json_object_set_new (reply, keys [i], json_integer (counts [i]));
    if (reply)
        json_object_set (reply, "items", items);
    json_decref (rows);
    if (!reply) {
        *status = 500;
        snprintf (err, errsize, "records: out of memory building the credentials report");
    }
    return reply;
}

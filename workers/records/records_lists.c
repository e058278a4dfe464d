/*  records_lists — the list of participants as a document with versions.

    The UN issues a meeting's list of participants (an INF document) and,
    when it changes, an addendum or a revision.  participants.issued records
    an issue (numbered from 1 without gaps) at its event's time.  Queries of
    participant.list may then ask for the list as it stood at a time
    (as_of_ms) or for what an addendum to issue N would hold (since_issue):
    the entries added to the list, changed in what the list prints, or
    removed from it since that issue.  Both read the participants' versions
    that the store keeps (records_store_lists.c), not the broker's log.

    On the list means registered, approved or confirmed: a pending, rejected
    or withdrawn participant is not printed. */
#include "records_handlers.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

//  Statuses of a participant printed on the list.
static const char *s_listed_statuses [] = { "registered", "approved", "confirmed", NULL };

//  What the list prints of a participant: a change to one of these makes
//  the entry part of an addendum.
static const char *s_printed_fields [] = {
    "title", "family_name", "given_name", "delegation", "function", "position",
    "organization", NULL
};

static int
s_listed (const json_t *record)
{
    const char *status = records_field (record, "status");
    for (size_t i = 0; status && s_listed_statuses [i]; i++)
        if (strcmp (s_listed_statuses [i], status) == 0)
            return 1;
    return 0;
}

static int
s_printed_same (const json_t *a, const json_t *b)
{
    for (size_t i = 0; s_printed_fields [i]; i++)
        if (!json_equal (json_object_get (a, s_printed_fields [i]),
                         json_object_get (b, s_printed_fields [i]))
        &&  (json_object_get (a, s_printed_fields [i]) || json_object_get (b, s_printed_fields [i])))
            return 0;
    return 1;
}

records_outcome_t
records_participants_issued (records_store_t *store, const pl_delivery_t *event,
                             char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    const char *meeting = records_field (payload, "meeting");
    json_int_t issue = json_integer_value (json_object_get (payload, "issue"));
    records_meeting_t info;
    int found = records_store_meeting_get (store, meeting, &info);
    if (found < 0)
        return RECORDS_FAILED;
    if (!found)
        return records_reject (reason, reason_size, "meeting %s does not exist", meeting);
    int64_t last;
    if (records_store_issue_last (store, meeting, &last))
        return RECORDS_FAILED;
    if (issue != last + 1)
        return records_reject (reason, reason_size,
                               "the list of participants of %s has %lld issue%s; the next is "
                               "issue %lld, not %lld", meeting, (long long) last,
                               last == 1 ? "" : "s", (long long) last + 1, (long long) issue);
    return records_store_issue_insert (store, event->seq, event->time_ms, payload)
         ? RECORDS_FAILED : RECORDS_APPLIED;
}

//  What an addendum to the list AT would hold, given the list NOW: items
//  of NOW (or of AT for a removed entry) with "change".  Caller owns.
static json_t *
s_addendum (const json_t *at, const json_t *now)
{
    json_t *before = json_object ();        //  id -> record at the issue
    json_t *items = json_array ();
    size_t index;
    json_t *record;
    json_array_foreach (at, index, record)
        json_object_set (before, records_field (record, "id"), record);
    json_array_foreach (now, index, record) {
        const json_t *old = json_object_get (before, records_field (record, "id"));
        int was = old && s_listed (old), is = s_listed (record);
        const char *change = !was && is ? "added"
                           : was && !is ? "removed"
                           : was && is && !s_printed_same (old, record) ? "changed"
                           : NULL;
        if (!change)
            continue;
        json_t *entry = json_deep_copy (record);
        json_object_set_new (entry, "change", json_string (change));
        json_array_append_new (items, entry);
    }
    json_decref (before);
    return items;
}

json_t *
records_lists_participants (records_store_t *store, const json_t *args,
                            int *status, char *err, size_t errsize)
{
    const char *meeting = records_field (args, "meeting");
    const json_t *as_of = json_object_get (args, "as_of_ms");
    const json_t *since = json_object_get (args, "since_issue");
    if (!as_of && !since)
        return records_participant_list (store, args, status, err, errsize);
    if (as_of && since) {
        *status = 400;
        snprintf (err, errsize, "as_of_ms and since_issue cannot be combined");
        return NULL;
    }
    records_meeting_t info;
    int found = records_store_meeting_get (store, meeting, &info);
    if (found <= 0) {
        *status = found ? 500 : 404;
        snprintf (err, errsize, found ? "records: storage failure reading meeting %s"
                                      : "meeting %s does not exist", meeting);
        return NULL;
    }
    if (as_of) {
        json_t *reply = records_store_participants_at (store, meeting, json_integer_value (as_of));
        if (!reply) {
            *status = 500;
            snprintf (err, errsize, "records: storage failure listing participants of %s",
                      meeting);
        }
        return reply;
    }
    int64_t issue = json_integer_value (since), issued_ms;
    char symbol [80];
    found = records_store_issue_get (store, meeting, issue, &issued_ms, symbol, sizeof symbol);
    if (found <= 0) {
        *status = found ? 500 : 404;
        snprintf (err, errsize, found ? "records: storage failure reading the issues of %s"
                                      : "meeting %s has no issue %lld of its list of participants",
                  meeting, (long long) issue);
        return NULL;
    }
    json_t *at = records_store_participants_at (store, meeting, issued_ms);
    json_t *now = records_store_participants_at (store, meeting, INT64_MAX);
    json_t *reply = NULL;
    if (at && now) {
        char issued_at [96];
        records_timestamp (issued_ms, issued_at, sizeof issued_at);
        reply = json_pack ("{s:o, s:I, s:s}",
                           "items", s_addendum (json_object_get (at, "items"),
                                                json_object_get (now, "items")),
                           "issue", (json_int_t) issue, "issued_at", issued_at);
        if (reply && *symbol)
            json_object_set_new (reply, "symbol", json_string (symbol));
    }
    json_decref (at);
    json_decref (now);
    if (!reply) {
        *status = 500;
        snprintf (err, errsize, "records: storage failure listing participants of %s", meeting);
    }
    return reply;
}

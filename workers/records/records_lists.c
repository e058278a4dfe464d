/*  records_lists — the list of participants as a document with versions.

    The UN issues a meeting's list of participants (an INF document) and,
    when it changes, an addendum or a revision.  participants.issued records
    an issue (numbered from 1 without gaps) at its event's time.  Queries of
    participant.list may then ask for the list as it stood at a time
    (as_of_ms) or for what an addendum to issue N would hold (since_issue):
    the entries added to the list, changed in what the list prints, or
    removed from it since that issue.  Both read the participants' versions
    that the store keeps (records_store_lists.c), not the broker's log.

    Every list comes a page at a time (after, limit; next in the reply):
    the current list and the list as it stood page by the key of an entry
    in the list's order; an addendum pages through the list as it stands,
    judging each entry against its version at the issue.

    On the list means registered, approved or confirmed: a pending, rejected
    or withdrawn participant is not printed. */
#include "records_handlers.h"
#include "pl_schema.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
records_participants_issued (void *store, const pl_delivery_t *event,
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

//  What the list as it stands holds for an addendum to the list as it
//  stood at ISSUED_MS, from PAGE on: up to PAGE's limit entries of the
//  list now with "change" (added, changed or removed), into REPLY's
//  "items", and "next" when more may follow.  A participant never
//  leaves the versions, so each entry of the list then is one of now.
//  0 or -1 (logged).
static int
s_addendum (records_store_t *store, const char *meeting, int64_t issued_ms,
            const records_page_t *page, json_t *reply)
{
    json_t *items = json_array ();
    json_t *after = page->after ? json_deep_copy (page->after) : NULL;
    int more = 1, rc = 0;
    size_t bytes = 0;
    while (rc == 0 && more && (json_int_t) json_array_size (items) < page->limit
       &&  bytes <= PL_PAGE_BYTES) {
        //  A chunk of the list now, judged entry by entry until the page is full
        records_page_t chunk = { after, page->limit };
        json_t *now = records_store_participants_at (store, meeting, INT64_MAX, &chunk);
        if (!now) {
            rc = -1;
            break;
        }
        more = json_object_get (now, "next") != NULL;
        size_t index;
        json_t *record;
        json_array_foreach (json_object_get (now, "items"), index, record) {
            if ((json_int_t) json_array_size (items) == page->limit
            ||  (bytes > PL_PAGE_BYTES && json_array_size (items))) {
                more = 1;
                break;
            }
            json_t *old = NULL;
            if (records_store_participant_at (store, records_field (record, "id"), issued_ms,
                                              &old) < 0) {
                rc = -1;
                break;
            }
            int was = old && s_listed (old), is = s_listed (record);
            const char *change = !was && is ? "added"
                               : was && !is ? "removed"
                               : was && is && !s_printed_same (old, record) ? "changed"
                               : NULL;
            json_decref (old);
            //  The key of the entry judged last: where the next look starts
            json_decref (after);
            after = records_page_key (record);
            if (!after) {
                rc = -1;
                break;
            }
            if (change) {
                json_t *entry = json_deep_copy (record);
                json_object_set_new (entry, "change", json_string (change));
                bytes += records_page_bytes (entry);
                json_array_append_new (items, entry);
            }
        }
        json_decref (now);
    }
    if (rc == 0 && more && after) {
        char *next = json_dumps (after, JSON_COMPACT);
        json_object_set_new (reply, "next", json_string (next));
        free (next);
    }
    json_decref (after);
    if (rc)
        json_decref (items);
    else
        json_object_set_new (reply, "items", items);
    return rc;
}

//  The page PARTICIPANT.LIST's ARGS ask for into *PAGE; *AFTER_P gets its
//  key (caller owns).  0, or -1 with *STATUS 400 and ERR.
static int
s_page (const json_t *args, records_page_t *page, json_t **after_p, int *status, char *err,
        size_t errsize)
{
    const char *cursor = records_field (args, "after");
    const json_t *limit = json_object_get (args, "limit");
    *after_p = NULL;
    if (cursor && records_page_parse (cursor, after_p)) {
        *status = 400;
        snprintf (err, errsize, "participant.list: after: not a cursor of this list (give "
                  "the next of the page before, unchanged)");
        return -1;
    }
    page->after = *after_p;
    page->limit = limit ? json_integer_value (limit) : PL_PAGE_DEFAULT;
    return 0;
}

//  The list of participants, current, as it stood (as_of_ms) or since an
//  issue (since_issue), a page at a time.
json_t *
records_lists_participants (void *store, const json_t *args, const char *role,
                            int *status, char *err, size_t errsize)
{
    const char *meeting = records_field (args, "meeting");
    const json_t *as_of = json_object_get (args, "as_of_ms");
    const json_t *since = json_object_get (args, "since_issue");
    if (as_of && since) {
        *status = 400;
        snprintf (err, errsize, "as_of_ms and since_issue cannot be combined");
        return NULL;
    }
    records_page_t page;
    json_t *after, *reply = NULL;
    if (s_page (args, &page, &after, status, err, errsize))
        return NULL;
    if (!as_of && !since) {
        reply = records_participant_list (store, args, &page, status, err, errsize);
        json_decref (after);
        return reply;
    }
    records_meeting_t info;
    int found = records_store_meeting_get (store, meeting, &info);
    if (found <= 0) {
        *status = found ? 500 : 404;
        snprintf (err, errsize, found ? "records: storage failure reading meeting %s"
                                      : "meeting %s does not exist", meeting);
        json_decref (after);
        return NULL;
    }
    if (as_of) {
        reply = records_store_participants_at (store, meeting, json_integer_value (as_of),
                                               &page);
        json_decref (after);
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
        json_decref (after);
        return NULL;
    }
    char issued_at [96];
    records_timestamp (issued_ms, issued_at, sizeof issued_at);
    reply = json_pack ("{s:I, s:s}", "issue", (json_int_t) issue, "issued_at", issued_at);
    if (reply && *symbol)
        json_object_set_new (reply, "symbol", json_string (symbol));
    if (reply && s_addendum (store, meeting, issued_ms, &page, reply)) {
        json_decref (reply);
        reply = NULL;
    }
    json_decref (after);
    if (!reply) {
        *status = 500;
        snprintf (err, errsize, "records: storage failure listing participants of %s", meeting);
    }
    return reply;
}

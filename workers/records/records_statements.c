/*  records_statements — statements delivered at a meeting.

    A statement is delivered by a delegation (a State by its ISO code or a
    declared organisation) at a meeting that is not cancelled, under an
    agenda item and/or in a session of the programme of work, in a
    language, possibly on behalf of a group, with its text or the symbol of
    the document that carries it.  Its id is "s" followed by the event's
    sequence number.  A statement dated by its event (delivered_at) must
    fall, on the meeting's clock, within the meeting's first and last day;
    one without delivered_at is dated when the broker logged it, which is
    when the secretariat recorded it, and is not checked: statements are
    often collected after the session, and that date says so.  When the
    delegation is waiting on the list of speakers of that agenda item, the
    statement closes its turn (records_speakers.c keeps the lists). */
#include "records_handlers.h"
#include "pl_zone.h"

#include <stdio.h>
#include <string.h>

records_outcome_t
records_statement_delivered (void *store, const pl_delivery_t *event,
                             char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    const char *meeting = records_field (payload, "meeting");
    const char *delegation = records_field (payload, "delegation");
    const char *session = records_field (payload, "session");
    const char *item = records_field (payload, "agenda_item");
    records_meeting_t info;
    int found = records_store_meeting_get (store, meeting, &info);
    if (found < 0)
        return RECORDS_FAILED;
    if (!found)
        return records_reject (reason, reason_size, "meeting %s does not exist", meeting);
    if (strcmp (info.status, "cancelled") == 0)
        return records_reject (reason, reason_size, "meeting %s is cancelled", meeting);
    char category [24], name [260];
    records_outcome_t outcome = records_delegation_category (
        store, info.convention, delegation, category, sizeof category, name, sizeof name,
        reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    const char *given = records_field (payload, "delivered_at");
    if (given) {
        //  The day it was delivered on, in the meeting's zone
        int64_t instant;
        char day [16];
        if (pl_zone_timestamp (given, &instant)
        ||  pl_zone_local_date (info.tz, instant, day, sizeof day))
            return records_reject (reason, reason_size,
                                   "statement of %s: cannot date %s in time zone %s",
                                   delegation, given, info.tz);
        int before = strcmp (day, info.start) < 0, after = strcmp (day, info.end) > 0;
        if (before || after)
            return records_reject (reason, reason_size,
                                   "statement of %s: delivered_at %s is %s in %s, %s meeting "
                                   "%s (%s to %s)", delegation, given, day, info.tz,
                                   before ? "before" : "after", meeting, info.start, info.end);
    }
    if (session) {
        char status [16];
        found = records_store_session_status (store, meeting, session, status, sizeof status);
        if (found < 0)
            return RECORDS_FAILED;
        if (!found)
            return records_reject (reason, reason_size, "session %s of meeting %s does not exist",
                                   session, meeting);
    }
    char id [32], delivered_at [96];
    snprintf (id, sizeof id, "s%llu", (unsigned long long) event->seq);
    if (given)
        snprintf (delivered_at, sizeof delivered_at, "%s", given);
    else
        records_timestamp (event->time_ms, delivered_at, sizeof delivered_at);
    if (records_store_statement_insert (store, event->seq, id, delivered_at, payload))
        return RECORDS_FAILED;
    if (!item)
        return RECORDS_APPLIED;
    records_turn_t turn;
    found = records_store_turn_waiting (store, meeting, item, delegation, &turn);
    if (found <= 0)
        return found < 0 ? RECORDS_FAILED : RECORDS_APPLIED;
    json_t *duration = json_object_get (payload, "duration_s");
    return records_store_turn_close (store, turn.seq, id, delivered_at,
                                     json_is_integer (duration)
                                     ? json_integer_value (duration) : -1)
         ? RECORDS_FAILED : RECORDS_APPLIED;
}

json_t *
records_statement_list (void *store, const json_t *args, const char *role,
                        int *status, char *err, size_t errsize)
{
    const char *meeting = records_field (args, "meeting");
    records_meeting_t info;
    int found = records_store_meeting_get (store, meeting, &info);
    json_t *reply = found == 1
                  ? records_store_statement_list (store, meeting,
                                                  records_field (args, "agenda_item"),
                                                  records_field (args, "delegation"))
                  : NULL;
    if (found == 0) {
        *status = 404;
        snprintf (err, errsize, "meeting %s does not exist", meeting);
    }
    else
    if (!reply) {
        *status = 500;
        snprintf (err, errsize, "records: storage failure listing statements of %s", meeting);
    }
    return reply;
}

//  The document that carries a statement is the archive's to show: a symbol
//  may be of a limited or restricted document, which records cannot tell
//  (records follows no one: the archive follows records for statements).
//  A lower role finds a statement's document through archive.search, which
//  shows it when the role may see it.
void
records_statement_list_withhold (json_t *reply)
{
    size_t index;
    json_t *statement;
    json_array_foreach (json_object_get (reply, "items"), index, statement)
        json_object_del (statement, "document");
}

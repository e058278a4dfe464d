/*  records_speakers — the lists of speakers.

    Each agenda item of a meeting has its list of speakers: delegations
    inscribed in order (with the speaker, the group spoken for and the time
    of inscription).  A delegation waits at most once per list; it may
    withdraw (the entry stays, marked withdrawn) or swap places with another
    waiting delegation; the statement it delivers under that item closes
    its turn (records_statements.c).  Lists are open while the meeting is
    scheduled: a cancelled or closed meeting takes no inscriptions. */
#include "records_handlers.h"

#include <stdio.h>
#include <string.h>

//  The meeting of PAYLOAD must exist and, when OPEN, still be scheduled.
static records_outcome_t
s_meeting (records_store_t *store, const json_t *payload, int open, records_meeting_t *info,
           char *reason, size_t reason_size)
{
    const char *meeting = records_field (payload, "meeting");
    int found = records_store_meeting_get (store, meeting, info);
    if (found < 0)
        return RECORDS_FAILED;
    if (!found)
        return records_reject (reason, reason_size, "meeting %s does not exist", meeting);
    if (open && strcmp (info->status, "scheduled") != 0)
        return records_reject (reason, reason_size,
                               "meeting %s is %s; its lists of speakers are closed",
                               meeting, info->status);
    return RECORDS_APPLIED;
}

//  The waiting turn of DELEGATION on the event's list; rejects when none.
static records_outcome_t
s_waiting (records_store_t *store, const json_t *payload, const char *delegation,
           records_turn_t *turn, char *reason, size_t reason_size)
{
    const char *meeting = records_field (payload, "meeting");
    const char *item = records_field (payload, "agenda_item");
    int found = records_store_turn_waiting (store, meeting, item, delegation, turn);
    if (found < 0)
        return RECORDS_FAILED;
    if (!found)
        return records_reject (reason, reason_size,
                               "delegation %s is not waiting on the list of speakers of item "
                               "%s of %s", delegation, item, meeting);
    return RECORDS_APPLIED;
}

records_outcome_t
records_speaker_inscribed (void *store, const pl_delivery_t *event,
                           char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    const char *delegation = records_field (payload, "delegation");
    records_meeting_t info;
    records_outcome_t outcome = s_meeting (store, payload, 1, &info, reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    char category [24], name [260];
    outcome = records_delegation_category (store, info.convention, delegation, category,
                                           sizeof category, name, sizeof name,
                                           reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    records_turn_t turn;
    int found = records_store_turn_waiting (store, records_field (payload, "meeting"),
                                            records_field (payload, "agenda_item"),
                                            delegation, &turn);
    if (found < 0)
        return RECORDS_FAILED;
    if (found)
        return records_reject (reason, reason_size,
                               "delegation %s is already waiting on the list of speakers of "
                               "item %s of %s (position %lld)", delegation,
                               records_field (payload, "agenda_item"),
                               records_field (payload, "meeting"), (long long) turn.position);
    char inscribed_at [96];
    if (records_field (payload, "inscribed_at"))
        snprintf (inscribed_at, sizeof inscribed_at, "%s", records_field (payload, "inscribed_at"));
    else
        records_timestamp (event->time_ms, inscribed_at, sizeof inscribed_at);
    return records_store_turn_insert (store, event->seq, inscribed_at, payload)
         ? RECORDS_FAILED : RECORDS_APPLIED;
}

records_outcome_t
records_speaker_withdrawn (void *store, const pl_delivery_t *event,
                           char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    records_meeting_t info;
    records_turn_t turn;
    records_outcome_t outcome = s_meeting (store, payload, 0, &info, reason, reason_size);
    if (outcome == RECORDS_APPLIED)
        outcome = s_waiting (store, payload, records_field (payload, "delegation"), &turn,
                             reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    return records_store_turn_withdraw (store, turn.seq, records_field (payload, "reason"))
         ? RECORDS_FAILED : RECORDS_APPLIED;
}

records_outcome_t
records_speaker_swapped (void *store, const pl_delivery_t *event,
                         char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    const char *one = records_field (payload, "delegation");
    const char *other = records_field (payload, "with");
    if (strcmp (one, other) == 0)
        return records_reject (reason, reason_size,
                               "delegation %s cannot swap places with itself", one);
    records_meeting_t info;
    records_turn_t a, b;
    records_outcome_t outcome = s_meeting (store, payload, 1, &info, reason, reason_size);
    if (outcome == RECORDS_APPLIED)
        outcome = s_waiting (store, payload, one, &a, reason, reason_size);
    if (outcome == RECORDS_APPLIED)
        outcome = s_waiting (store, payload, other, &b, reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    return records_store_turn_swap (store, &a, &b) ? RECORDS_FAILED : RECORDS_APPLIED;
}

json_t *
records_speaker_list (void *store, const json_t *args, const char *role,
                      int *status, char *err, size_t errsize)
{
    const char *meeting = records_field (args, "meeting");
    records_meeting_t info;
    int found = records_store_meeting_get (store, meeting, &info);
    json_t *reply = found == 1
                  ? records_store_turn_list (store, meeting, records_field (args, "agenda_item"))
                  : NULL;
    if (found == 0) {
        *status = 404;
        snprintf (err, errsize, "meeting %s does not exist", meeting);
    }
    else
    if (!reply) {
        *status = 500;
        snprintf (err, errsize, "records: storage failure reading a list of speakers of %s",
                  meeting);
    }
    return reply;
}

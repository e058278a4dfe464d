/*  records_participants — a participant's lifecycle: registration, updates,
    two-level approval, rejection and withdrawal, with their history, and
    the queries that read participants and the meeting's statistics.

    Statuses, as the UN practises approval:
        pending ──(delegation.admitted)──▶ registered ──approved──▶ approved
        registered | approved ──confirmed──▶ confirmed
        pending | registered | approved ──rejected──▶ rejected
        anything but rejected or withdrawn ──withdrawn──▶ withdrawn
        pending ◀──(participant.updated, a new delegation)──▶ registered
    The first level (approved) is the delegation's focal point's, or the
    secretariat's when it skips it (no focal_point in the event); the second
    (confirmed) is the secretariat's, and may skip the first.  A focal point
    is a participant of the same meeting and delegation flagged focal_point,
    registered, approved or confirmed; it may reject only a registration
    that it has not approved yet, and never acts on itself.  A registered
    participant of a delegation that has a focal point waits for its
    approval (participant.show and participant.list say so in waits_for),
    as a pending one waits for its delegation's admission.  A new
    delegation (participant.updated) makes a pending or registered
    participant what registration would make it: pending when the
    delegation takes part as observer and is not admitted, else
    registered; an approved or confirmed one keeps its status, and may not
    move to an observer not admitted.  Every change of status carries a
    reason (the one given, or one saying who acted) and appends a history
    row; nothing is deleted.

    Every event handler here makes all its checks before its first write,
    so the worker applies these topics without a savepoint (checks_first in
    records_worker.c's s_events): keep it so, or unmark the topic there. */
#include "records_handlers.h"
#include "pl_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define S_STATUS_MAX 16
#define S_FROM_MAX 5
//  The status reason of a registration waiting for its delegation (%s)
//  to be admitted as observer.
#define S_AWAITING "awaiting admission of %s as observer"

//  Which statuses each status change may start from.
static const struct {
    const char *change;                 //  topic suffix, and the history's change
    const char *target;                 //  status after it
    const char *from [S_FROM_MAX];      //  NULL-terminated
    const char *act;                    //  the verb of a refusal to a focal point's key
} s_transitions [] = {
    { "approved",  "approved",  { "registered", NULL }, "approve" },
    { "confirmed", "confirmed", { "registered", "approved", NULL }, "confirm" },
    { "rejected",  "rejected",  { "pending", "registered", "approved", NULL }, "reject" },
    { "withdrawn", "withdrawn", { "pending", "registered", "approved", "confirmed", NULL },
      "withdraw" },
};

//  The fields of participant.updated that are not details.
static const char *s_update_keys [] = { "meeting", "participant", "reason", NULL };

//  Statuses of a participant who takes part (and may act as focal point).
static const char *s_active [] = { "registered", "approved", "confirmed", NULL };

//  Statuses that a new delegation computes again, as at registration:
//  they hold no approval to lose.
static const char *s_recomputed [] = { "pending", "registered", NULL };

//  The details that say who the person is (records_store_participant_same).
static const char *s_person_keys [] = {
    "family_name", "given_name", "delegation", "email", NULL
};

static int
s_in (const char *const *list, const char *value)
{
    for (size_t i = 0; list [i]; i++)
        if (strcmp (list [i], value) == 0)
            return 1;
    return 0;
}

//  True when CHANGED (a JSON array of field names) names a detail that
//  says who the person is.
static int
s_changes_person (const json_t *changed)
{
    size_t index;
    const json_t *name;
    json_array_foreach (changed, index, name)
        if (s_in (s_person_keys, json_string_value (name)))
            return 1;
    return 0;
}

//  Whether a participant of DELEGATION, of CATEGORY, at meeting
//  MEETING_ID waits for its admission as observer (pending): 1 it does, 0
//  not, -1 on a storage failure.
static int
s_awaits_admission (records_store_t *store, const char *meeting_id, const char *delegation,
                    const char *category)
{
    if (!records_category_needs_admission (category))
        return 0;
    int admitted = records_store_admitted (store, meeting_id, delegation);
    return admitted < 0 ? -1 : !admitted;
}

//  True when ARRAY (of strings) holds VALUE.
static int
s_in_array (const json_t *array, const char *value)
{
    size_t index;
    const json_t *item;
    json_array_foreach (array, index, item)
        if (strcmp (json_string_value (item), value) == 0)
            return 1;
    return 0;
}

//  Participant ID of MEETING_ID, of status STATUS, moves to DELEGATION.
//  The delegation is checked as at registration, and what the participant
//  waits for is computed again: a pending or registered one is pending,
//  awaiting the admission of DELEGATION as observer, when DELEGATION needs
//  it and is not admitted, else registered (*TARGET and WHY set when that
//  status is to be set, left alone when a registered one stays so).  An
//  approved or confirmed one is refused a delegation not admitted rather
//  than lose its approval.
static records_outcome_t
s_delegation_changed (records_store_t *store, const char *meeting_id, const char *id,
                      const char *status, const char *delegation, const char **target,
                      char *why, size_t why_size, char *reason, size_t reason_size)
{
    records_meeting_t meeting;
    char category [24], name [260];
    if (records_store_meeting_get (store, meeting_id, &meeting) != 1)
        return RECORDS_FAILED;          //  a participant's meeting exists
    records_outcome_t outcome = records_delegation_category (store, meeting.convention,
                                                             delegation, category,
                                                             sizeof category, name,
                                                             sizeof name, reason,
                                                             reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    int awaits = s_awaits_admission (store, meeting_id, delegation, category);
    if (awaits < 0)
        return RECORDS_FAILED;
    if (!s_in (s_recomputed, status))
        return !awaits ? RECORDS_APPLIED
                       : records_reject (reason, reason_size,
                                         "participant %s: %s is not admitted to %s as "
                                         "observer; admit it first", id, delegation,
                                         meeting_id);
    if (awaits) {
        *target = "pending";
        snprintf (why, why_size, S_AWAITING, delegation);
    }
    else
    if (strcmp (status, "pending") == 0) {
        *target = "registered";
        if (records_category_needs_admission (category))
            snprintf (why, why_size, "moved to delegation %s, admitted to %s as observer",
                      delegation, meeting_id);
        else
            snprintf (why, why_size, "moved to delegation %s, which needs no admission",
                      delegation);
    }
    return RECORDS_APPLIED;
}

//  The participant of PAYLOAD ("participant" in "meeting") into *STATE.
static records_outcome_t
s_participant (records_store_t *store, const json_t *payload, records_state_t *state,
               char *reason, size_t reason_size)
{
    const char *meeting = records_field (payload, "meeting");
    const char *id = records_field (payload, "participant");
    int found = records_store_participant_state (store, meeting, id, state);
    if (found < 0)
        return RECORDS_FAILED;
    if (!found)
        return records_reject (reason, reason_size, "participant %s of meeting %s does not exist",
                               id, meeting);
    return RECORDS_APPLIED;
}

//  The broker's stamp of EVENT allows it to ACT ("register", "approve")
//  for DELEGATION: the secretariat (or no stamp: a log written before it,
//  or a broker without keys, whose loopback role publishes) may; a key of
//  a lower role only as the focal point of DELEGATION (its key's
//  delegation, compared without case: key names are lower case).
static records_outcome_t
s_stamp_allows (const pl_delivery_t *event, const char *act, const char *delegation,
                char *reason, size_t reason_size)
{
    const char *role = event->role ? event->role : "";
    const char *by = event->by ? event->by : "";
    const char *of = event->delegation ? event->delegation : "";
    if (*role == 0 || strcmp (role, "secretariat") == 0)
        return RECORDS_APPLIED;
    if (*of == 0)
        return records_reject (reason, reason_size,
                               "key %s (%s) is no delegation's focal point; it cannot %s",
                               by, role, act);
    if (strcasecmp (of, delegation))
        return records_reject (reason, reason_size,
                               "key %s is the focal point of %s; it cannot %s for %s", by, of,
                               act, delegation);
    return RECORDS_APPLIED;
}

records_outcome_t
records_participant_registered (void *store, const pl_delivery_t *event,
                                char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    const char *meeting_id = records_field (payload, "meeting");
    const char *delegation = records_field (payload, "delegation");
    records_outcome_t stamped = s_stamp_allows (event, "register", delegation, reason,
                                                reason_size);
    if (stamped != RECORDS_APPLIED)
        return stamped;
    records_meeting_t meeting;
    int found = records_store_meeting_get (store, meeting_id, &meeting);
    if (found < 0)
        return RECORDS_FAILED;
    if (!found)
        return records_reject (reason, reason_size, "meeting %s does not exist", meeting_id);
    if (strcmp (meeting.status, "scheduled") != 0)
        return records_reject (reason, reason_size, "meeting %s is %s; registration is closed",
                               meeting_id, meeting.status);
    char category [24], name [260];
    records_outcome_t outcome = records_delegation_category (store, meeting.convention,
                                                             delegation, category,
                                                             sizeof category, name, sizeof name,
                                                             reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    records_person_t same;
    found = records_store_participant_same (store, meeting_id,
                                            records_field (payload, "family_name"),
                                            records_field (payload, "given_name"), delegation,
                                            records_field (payload, "email"), NULL, &same);
    if (found < 0)
        return RECORDS_FAILED;
    if (found)
        return records_reject (reason, reason_size, "%s%s%s (%s) is already registered to %s as %s",
                               same.family_name, *same.given_name ? ", " : "", same.given_name,
                               same.delegation, meeting_id, same.id);
    const char *status = "registered";
    char why [PL_REASON_MAX] = "";
    int awaits = s_awaits_admission (store, meeting_id, delegation, category);
    if (awaits < 0)
        return RECORDS_FAILED;
    if (awaits) {
        status = "pending";
        snprintf (why, sizeof why, S_AWAITING, delegation);
    }
    //  The id comes from the seq, so a rebuild from the log gives the same ids
    char id [32], at [40];
    snprintf (id, sizeof id, "p%llu", (unsigned long long) event->seq);
    records_timestamp (event->time_ms, at, sizeof at);
    if (records_store_participant_insert (store, event->seq, id, at, status,
                                          *why ? why : NULL, payload)
    ||  records_store_history_add (store, event->seq, id, at, "registered", NULL,
                                   *why ? why : NULL, NULL, 0))
        return RECORDS_FAILED;
    return RECORDS_APPLIED;
}

records_outcome_t
records_participant_updated (void *store, const pl_delivery_t *event,
                             char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    const char *meeting_id = records_field (payload, "meeting");
    const char *id = records_field (payload, "participant");
    records_state_t state;
    records_outcome_t outcome = s_participant (store, payload, &state, reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    if (!s_in (s_active, state.status) && strcmp (state.status, "pending") != 0)
        return records_reject (reason, reason_size, "participant %s is %s; it cannot be updated",
                               id, state.status);
    json_t *details = NULL;
    if (records_store_participant_details (store, id, &details) != 1)
        return RECORDS_FAILED;
    //  The fields whose value changes; DETAILS becomes the details after
    json_t *changed = json_array ();
    const char *key;
    json_t *value;
    json_object_foreach ((json_t *) payload, key, value) {
        if (s_in (s_update_keys, key))
            continue;
        json_t *old = json_object_get (details, key);
        if (old && json_equal (old, value))
            continue;
        json_array_append_new (changed, json_string (key));
        json_object_set (details, key, value);
    }
    outcome = RECORDS_APPLIED;
    if (json_array_size (changed) == 0)
        outcome = records_reject (reason, reason_size,
                                  "participant %s: nothing to change", id);
    const char *delegation = records_field (details, "delegation");
    const char *status = NULL;          //  the status after, when it is set again
    char why [PL_REASON_MAX] = "";
    if (outcome == RECORDS_APPLIED && s_in_array (changed, "delegation"))
        outcome = s_delegation_changed (store, meeting_id, id, state.status, delegation,
                                        &status, why, sizeof why, reason, reason_size);
    //  Who the person is changes: the same rule as at registration, against
    //  every other active registration of the meeting, earlier or later
    if (outcome == RECORDS_APPLIED && s_changes_person (changed)) {
        records_person_t same;
        int found = records_store_participant_same (store, meeting_id,
                                                    records_field (details, "family_name"),
                                                    records_field (details, "given_name"),
                                                    delegation,
                                                    records_field (details, "email"), id,
                                                    &same);
        if (found < 0)
            outcome = RECORDS_FAILED;
        else
        if (found)
            outcome = records_reject (reason, reason_size,
                                      "participant %s: %s%s%s (%s) is already registered to "
                                      "%s as %s", id, same.family_name,
                                      *same.given_name ? ", " : "", same.given_name,
                                      same.delegation, meeting_id, same.id);
    }
    char *changed_text = json_dumps (changed, JSON_COMPACT);
    json_decref (changed);
    json_decref (details);
    if (outcome == RECORDS_APPLIED) {
        char at [40];
        records_timestamp (event->time_ms, at, sizeof at);
        if (!changed_text
        ||  records_store_history_add (store, event->seq, id, at, "updated", status,
                                       records_field (payload, "reason"), changed_text, 1)
        ||  records_store_participant_update (store, id, payload)
        ||  (status && records_store_participant_set_status (store, id, status, why)))
            outcome = RECORDS_FAILED;
    }
    free (changed_text);
    return outcome;
}

//  The focal point FOCAL (a participant id) may act on participant ID of
//  STATE for CHANGE.
static records_outcome_t
s_focal_point (records_store_t *store, const json_t *payload, const char *focal,
               const records_state_t *state, const char *change,
               char *reason, size_t reason_size)
{
    const char *meeting = records_field (payload, "meeting");
    const char *id = records_field (payload, "participant");
    if (strcmp (focal, id) == 0)
        return records_reject (reason, reason_size,
                               "participant %s cannot be %s by itself as focal point",
                               id, change);
    records_state_t point;
    int found = records_store_participant_state (store, meeting, focal, &point);
    if (found < 0)
        return RECORDS_FAILED;
    if (!found)
        return records_reject (reason, reason_size,
                               "focal point %s is not a participant of meeting %s", focal, meeting);
    if (!point.focal_point)
        return records_reject (reason, reason_size,
                               "%s is not a focal point of delegation %s", focal,
                               point.delegation);
    if (strcmp (point.delegation, state->delegation) != 0)
        return records_reject (reason, reason_size,
                               "focal point %s of delegation %s cannot act on %s of delegation %s",
                               focal, point.delegation, id, state->delegation);
    if (!s_in (s_active, point.status))
        return records_reject (reason, reason_size, "focal point %s is %s", focal,
                               point.status);
    if (strcmp (change, "rejected") == 0 && strcmp (state->status, "registered") != 0)
        return records_reject (reason, reason_size,
                               "participant %s is %s; only the secretariat can reject it now",
                               id, state->status);
    return RECORDS_APPLIED;
}

//  Apply status change CHANGE (a row of s_transitions) to the participant
//  of EVENT.
static records_outcome_t
s_transition (records_store_t *store, const pl_delivery_t *event, const char *change,
              char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    const char *id = records_field (payload, "participant");
    size_t row = 0;
    while (strcmp (s_transitions [row].change, change) != 0)
        row++;                  //  every caller passes a change of the table
    const char *target = s_transitions [row].target;
    records_state_t state;
    records_outcome_t outcome = s_participant (store, payload, &state, reason, reason_size);
    //  A focal point's key (granted participant.approved) acts on its own
    //  delegation's participants alone
    if (outcome == RECORDS_APPLIED)
        outcome = s_stamp_allows (event, s_transitions [row].act, state.delegation, reason,
                                  reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    if (strcmp (state.status, target) == 0)
        return records_reject (reason, reason_size, "participant %s is already %s", id, target);
    if (!s_in (s_transitions [row].from, state.status))
        return records_reject (reason, reason_size, "participant %s is %s; it cannot be %s%s",
                               id, state.status, target,
                               strcmp (state.status, "pending") == 0
                               ? " before its delegation is admitted" : "");
    const char *focal = records_field (payload, "focal_point");
    if (focal) {
        outcome = s_focal_point (store, payload, focal, &state, change, reason, reason_size);
        if (outcome != RECORDS_APPLIED)
            return outcome;
    }
    //  The reason kept: who acted, and the reason given
    const char *given = records_field (payload, "reason");
    char why [PL_REASON_MAX];
    if (focal)
        snprintf (why, sizeof why, "%s by focal point %s%s%s", target, focal,
                  given ? ": " : "", given ? given : "");
    else
    if (event->delegation && *event->delegation)
        snprintf (why, sizeof why, "%s by the focal point of %s (key %s)%s%s", target,
                  state.delegation, event->by, given ? ": " : "", given ? given : "");
    else
    if (strcmp (change, "withdrawn") == 0)
        snprintf (why, sizeof why, "%s", given ? given : "withdrawn");
    else
        snprintf (why, sizeof why, "%s by the secretariat%s%s%s", target,
                  strcmp (change, "confirmed") == 0 && strcmp (state.status, "registered") == 0
                  ? " without the focal point's approval" : "",
                  given ? ": " : "", given ? given : "");
    char at [40];
    records_timestamp (event->time_ms, at, sizeof at);
    if (records_store_history_add (store, event->seq, id, at, change, target, why, NULL, 1)
    ||  records_store_participant_set_status (store, id, target, why))
        return RECORDS_FAILED;
    return RECORDS_APPLIED;
}

records_outcome_t
records_participant_withdrawn (void *store, const pl_delivery_t *event,
                               char *reason, size_t reason_size)
{
    return s_transition (store, event, "withdrawn", reason, reason_size);
}

records_outcome_t
records_participant_approved (void *store, const pl_delivery_t *event,
                              char *reason, size_t reason_size)
{
    return s_transition (store, event, "approved", reason, reason_size);
}

records_outcome_t
records_participant_confirmed (void *store, const pl_delivery_t *event,
                               char *reason, size_t reason_size)
{
    return s_transition (store, event, "confirmed", reason, reason_size);
}

records_outcome_t
records_participant_rejected (void *store, const pl_delivery_t *event,
                              char *reason, size_t reason_size)
{
    return s_transition (store, event, "rejected", reason, reason_size);
}

//  --------------------------------------------------------------------------
//  Queries

json_t *
records_participant_list (records_store_t *store, const json_t *args,
                          const records_page_t *page, int *status, char *err, size_t errsize)
{
    const char *meeting = records_field (args, "meeting");
    json_t *reply = NULL;
    int found = records_store_participant_list (store, meeting, page, &reply);
    if (found == 0) {
        *status = 404;
        snprintf (err, errsize, "meeting %s does not exist", meeting);
    }
    else
    if (found < 0) {
        *status = 500;
        snprintf (err, errsize, "records: storage failure listing participants of %s",
                  meeting);
    }
    return reply;
}

json_t *
records_participant_show (void *store, const json_t *args, const char *role,
                          int *status, char *err, size_t errsize)
{
    const char *meeting = records_field (args, "meeting");
    const char *id = records_field (args, "participant");
    json_t *reply = NULL;
    int found = records_store_participant_show (store, meeting, id, &reply);
    if (found == 0) {
        *status = 404;
        snprintf (err, errsize, "participant %s of meeting %s does not exist", id, meeting);
    }
    else
    if (found < 0) {
        *status = 500;
        snprintf (err, errsize, "records: storage failure reading participant %s", id);
    }
    return reply;
}

json_t *
records_participant_history (void *store, const json_t *args, const char *role,
                             int *status, char *err, size_t errsize)
{
    const char *meeting = records_field (args, "meeting");
    const char *id = records_field (args, "participant");
    records_state_t state;
    int found = records_store_participant_state (store, meeting, id, &state);
    json_t *reply = found == 1 ? records_store_participant_history (store, id) : NULL;
    if (found == 0) {
        *status = 404;
        snprintf (err, errsize, "participant %s of meeting %s does not exist", id, meeting);
    }
    else
    if (!reply) {
        *status = 500;
        snprintf (err, errsize, "records: storage failure reading the history of %s", id);
    }
    return reply;
}

//  A change's details before it (a JSON text, which the schema cannot see
//  into) and the names of the fields it changed, both without the fields
//  of record participant that the schema marks personal: a lower role
//  learns neither an e-mail address from the history nor that it changed.
void
records_participant_history_withhold (json_t *reply)
{
    const pl_message_t *participant = pl_schema_find ("participant");
    size_t index;
    json_t *change;
    json_array_foreach (json_object_get (reply, "items"), index, change) {
        json_t *changed = json_object_get (change, "changed");
        for (size_t i = json_array_size (changed); i-- > 0;) {
            const pl_field_t *field = pl_schema_field (participant,
                                          json_string_value (json_array_get (changed, i)));
            if (field && field->personal)
                json_array_remove (changed, i);
        }
        if (changed && json_array_size (changed) == 0)
            json_object_del (change, "changed");
        const char *text = records_field (change, "before");
        json_t *before = text ? json_loads (text, 0, NULL) : NULL;
        if (!before) {
            //  details that do not parse cannot be cleaned: leave them out
            json_object_del (change, "before");
            continue;
        }
        pl_schema_withhold (participant, before);
        char *cleaned = json_dumps (before, JSON_COMPACT);
        json_decref (before);
        if (cleaned)
            json_object_set_new (change, "before", json_string (cleaned));
        else
            json_object_del (change, "before");
        free (cleaned);
    }
}

json_t *
records_meeting_stats (void *store, const json_t *args, const char *role,
                       int *status, char *err, size_t errsize)
{
    const char *id = records_field (args, "meeting");
    records_meeting_t meeting;
    int found = records_store_meeting_get (store, id, &meeting);
    json_t *reply = found == 1 ? records_store_meeting_stats (store, id, meeting.convention)
                               : NULL;
    if (found == 0) {
        *status = 404;
        snprintf (err, errsize, "meeting %s does not exist", id);
    }
    else
    if (!reply) {
        *status = 500;
        snprintf (err, errsize, "records: storage failure computing the statistics of %s", id);
    }
    return reply;
}

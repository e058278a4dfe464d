/*  records_meetings — the records worker's rules for meetings and their
    programme of work (sessions), and the queries that read them.

    A meeting is scheduled, then may be updated while it is scheduled, and
    ends cancelled or closed; only a scheduled meeting changes its
    programme.  Session times are wall-clock times in the meeting's zone;
    a session must end after it starts and lie, by its local dates, within
    the meeting's first and last day.  A time must exist in the zone (not in
    the gap when clocks go forward) and be a single instant: one that
    happens twice when clocks go back needs the UTC offset that picks one
    (2025-10-26T02:30+01:00), and an offset given must be the zone's then
    (pl_zone reads the tz database).  Moving a meeting's dates is refused
    while a session would fall outside them; changing its zone, while a
    session's time would not be a single instant in the new one. */
#include "records_handlers.h"
#include "pl_log.h"
#include "pl_zone.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

//  A local time with its seconds and an offset: YYYY-MM-DDTHH:MM:SS+HH:MM
//  and a NUL, with room.
#define S_LOCAL_MAX 48

//  True when TZ names a time zone file of the tz database: under $TZDIR
//  (default /usr/share/zoneinfo), no "..", and the file starts with the
//  TZif magic (the folder also holds tables such as zone.tab).
static int
s_tz_known (const char *tz)
{
    if (!tz || !*tz || tz [0] == '/' || strstr (tz, ".."))
        return 0;
    const char *dir = getenv ("TZDIR");
    char path [512];
    if (snprintf (path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz)
        >= (int) sizeof path)
        return 0;
    struct stat info;
    if (stat (path, &info) || !S_ISREG (info.st_mode))
        return 0;
    int fd = open (path, O_RDONLY);
    if (fd < 0)
        return 0;
    char magic [4];
    ssize_t got = read (fd, magic, sizeof magic);
    close (fd);
    return got == 4 && memcmp (magic, "TZif", 4) == 0;
}

//  --------------------------------------------------------------------------
//  Session times

//  A session time: as the event gives it, as the store keeps it (with its
//  seconds, so that local times order as strings, and the offset when one
//  was given), and its instant.
typedef struct {
    const char *text;
    char stored [S_LOCAL_MAX];
    int64_t utc;
} s_time_t;

//  TIME->text, the WHICH ("start", "end") of session ID, must be a single
//  instant in zone TZ; fills TIME.
static records_outcome_t
s_session_time (const char *tz, const char *id, const char *which, s_time_t *time,
                char *reason, size_t reason_size)
{
    pl_zone_local_t local;
    pl_zone_answer_t answer;
    if (pl_zone_parse (time->text, &local))
        return records_reject (reason, reason_size, "session %s: %s %s is not a local time",
                               id, which, time->text);
    if (pl_zone_resolve (tz, &local, &answer))
        return records_reject (reason, reason_size,
                               "session %s: time zone %s has no definition in the tz database",
                               id, tz);
    char first [16], second [16], given [16], clock [32];
    pl_zone_offset_text (answer.offsets [0], first, sizeof first);
    pl_zone_offset_text (answer.offsets [1], second, sizeof second);
    pl_zone_offset_text (local.offset_s, given, sizeof given);
    //  The wall-clock time without its offset, for messages that suggest one
    snprintf (clock, sizeof clock, "%.*s", local.has_offset ? (int) strlen (time->text) - 6
                                                            : (int) strlen (time->text),
              time->text);
    switch (answer.fit) {
        case PL_ZONE_GAP:
            return records_reject (reason, reason_size,
                                   "session %s: %s %s does not exist in %s: clocks go from %s "
                                   "to %s on %s", id, which, time->text, tz,
                                   answer.change_from, answer.change_to, answer.change_day);
        case PL_ZONE_TWICE:
            return records_reject (reason, reason_size,
                                   "session %s: %s %s is ambiguous in %s: it happens twice, at "
                                   "UTC%s and at UTC%s (clocks go back from %s to %s on %s); "
                                   "give the offset: %s%s or %s%s", id, which, time->text, tz,
                                   first, second, answer.change_from, answer.change_to,
                                   answer.change_day, clock, first, clock, second);
        case PL_ZONE_BAD_OFFSET:
            return records_reject (reason, reason_size,
                                   "session %s: %s %s: %s is at UTC%s%s%s then, not UTC%s",
                                   id, which, time->text, tz, first,
                                   answer.count == 2 ? " or UTC" : "",
                                   answer.count == 2 ? second : "", given);
        case PL_ZONE_VALID:
            break;
    }
    snprintf (time->stored, sizeof time->stored, "%.19s%s%s", clock,
              strlen (clock) == 16 ? ":00" : "", local.has_offset ? given : "");
    time->utc = answer.utc;
    return RECORDS_APPLIED;
}

//  Check that session ID of MEETING (zone TZ, first and last days FROM and
//  TO) runs from START to END, each a single instant in the zone, the end
//  after the start, within the meeting's dates.
static records_outcome_t
s_session_check (const char *meeting_id, const char *tz, const char *from, const char *to,
                 const char *id, s_time_t *start, s_time_t *end,
                 char *reason, size_t reason_size)
{
    records_outcome_t outcome = s_session_time (tz, id, "start", start, reason, reason_size);
    if (outcome == RECORDS_APPLIED)
        outcome = s_session_time (tz, id, "end", end, reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    if (end->utc <= start->utc)
        return records_reject (reason, reason_size,
                               "session %s: end %s is not after start %s", id, end->stored,
                               start->stored);
    if (strncmp (start->stored, from, 10) < 0 || strncmp (end->stored, to, 10) > 0)
        return records_reject (reason, reason_size,
                               "session %s: %.10s is outside meeting %s (%s to %s)", id,
                               strncmp (start->stored, from, 10) < 0 ? start->stored
                                                                     : end->stored,
                               meeting_id, from, to);
    return RECORDS_APPLIED;
}

//  --------------------------------------------------------------------------
//  Meetings

records_outcome_t
records_meeting_scheduled (void *store, const pl_delivery_t *event,
                           char *reason, size_t reason_size)
{
    const char *id = records_field (event->payload, "id");
    const char *tz = records_field (event->payload, "tz");
    const char *start = records_field (event->payload, "start");
    const char *end = records_field (event->payload, "end");
    records_meeting_t meeting;
    int found = records_store_meeting_get (store, id, &meeting);
    if (found < 0)
        return RECORDS_FAILED;
    if (found)
        return records_reject (reason, reason_size, "meeting %s already exists", id);
    char subject [80];
    snprintf (subject, sizeof subject, "meeting %s", id);
    records_outcome_t outcome = records_convention_known (
        store, records_field (event->payload, "convention"), subject, reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    //  Dates are YYYY-MM-DD (validated), so they order as strings
    if (strcmp (end, start) < 0)
        return records_reject (reason, reason_size, "meeting %s: end %s is before start %s",
                               id, end, start);
    if (!s_tz_known (tz))
        return records_reject (reason, reason_size, "meeting %s: unknown time zone %s", id, tz);
    return records_store_meeting_insert (store, event->seq, event->payload)
         ? RECORDS_FAILED : RECORDS_APPLIED;
}

//  Meeting ID into *MEETING when it exists and is scheduled; otherwise a
//  rejection saying WHAT cannot be done.
static records_outcome_t
s_meeting_open (records_store_t *store, const char *id, records_meeting_t *meeting,
                const char *what, char *reason, size_t reason_size)
{
    int found = records_store_meeting_get (store, id, meeting);
    if (found < 0)
        return RECORDS_FAILED;
    if (!found)
        return records_reject (reason, reason_size, "meeting %s does not exist", id);
    if (strcmp (meeting->status, "scheduled") != 0)
        return records_reject (reason, reason_size, "meeting %s is %s; %s", id,
                               meeting->status, what);
    return RECORDS_APPLIED;
}

//  Every session of meeting ID not cancelled would still run at single
//  instants in zone TZ, in order, within FROM..TO; otherwise a rejection
//  naming the first that would not.
static records_outcome_t
s_sessions_in_zone (records_store_t *store, const char *id, const char *tz,
                    const char *from, const char *to, char *reason, size_t reason_size)
{
    json_t *sessions = records_store_session_times (store, id);
    if (!sessions)
        return RECORDS_FAILED;
    records_outcome_t outcome = RECORDS_APPLIED;
    char why [PL_REASON_MAX];
    size_t index;
    json_t *session;
    json_array_foreach (json_object_get (sessions, "items"), index, session) {
        s_time_t start = { .text = records_field (session, "start") };
        s_time_t end = { .text = records_field (session, "end") };
        outcome = s_session_check (id, tz, from, to, records_field (session, "id"),
                                   &start, &end, why, sizeof why);
        if (outcome != RECORDS_APPLIED) {
            if (outcome == RECORDS_REJECTED)
                records_reject (reason, reason_size, "meeting %s: in %s, %s; move or cancel "
                                "the session first", id, tz, why);
            break;
        }
    }
    json_decref (sessions);
    return outcome;
}

records_outcome_t
records_meeting_updated (void *store, const pl_delivery_t *event,
                         char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    const char *id = records_field (payload, "id");
    records_meeting_t meeting;
    records_outcome_t outcome = s_meeting_open (store, id, &meeting, "it cannot be updated",
                                                reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    //  Something besides the id and the reason must be given
    if (json_object_size (payload) <= 1u + (json_object_get (payload, "reason") != NULL))
        return records_reject (reason, reason_size, "meeting %s: nothing to change", id);
    const char *tz = records_field (payload, "tz");
    if (tz && !s_tz_known (tz))
        return records_reject (reason, reason_size, "meeting %s: unknown time zone %s", id, tz);
    const char *start = records_field (payload, "start");
    const char *end = records_field (payload, "end");
    start = start ? start : meeting.start;
    end = end ? end : meeting.end;
    if (strcmp (end, start) < 0)
        return records_reject (reason, reason_size, "meeting %s: end %s is before start %s",
                               id, end, start);
    char session [72];
    int outside = records_store_session_outside (store, id, start, end, session,
                                                 sizeof session);
    if (outside < 0)
        return RECORDS_FAILED;
    if (outside)
        return records_reject (reason, reason_size,
                               "meeting %s: session %s would fall outside %s to %s; "
                               "move or cancel it first", id, session, start, end);
    if (tz && strcmp (tz, meeting.tz) != 0) {
        outcome = s_sessions_in_zone (store, id, tz, start, end, reason, reason_size);
        if (outcome != RECORDS_APPLIED)
            return outcome;
    }
    return records_store_meeting_update (store, payload) ? RECORDS_FAILED : RECORDS_APPLIED;
}

//  Move the meeting of EVENT from scheduled to TARGET.
static records_outcome_t
s_meeting_end (records_store_t *store, const pl_delivery_t *event, const char *target,
               char *reason, size_t reason_size)
{
    const char *id = records_field (event->payload, "id");
    records_meeting_t meeting;
    int found = records_store_meeting_get (store, id, &meeting);
    if (found < 0)
        return RECORDS_FAILED;
    if (!found)
        return records_reject (reason, reason_size, "meeting %s does not exist", id);
    if (strcmp (meeting.status, target) == 0)
        return records_reject (reason, reason_size, "meeting %s is already %s", id, target);
    if (strcmp (meeting.status, "scheduled") != 0)
        return records_reject (reason, reason_size, "meeting %s is %s; it cannot be %s", id,
                               meeting.status, target);
    return records_store_meeting_set_status (store, id, target)
         ? RECORDS_FAILED : RECORDS_APPLIED;
}

records_outcome_t
records_meeting_cancelled (void *store, const pl_delivery_t *event,
                           char *reason, size_t reason_size)
{
    return s_meeting_end (store, event, "cancelled", reason, reason_size);
}

records_outcome_t
records_meeting_closed (void *store, const pl_delivery_t *event,
                        char *reason, size_t reason_size)
{
    return s_meeting_end (store, event, "closed", reason, reason_size);
}

//  --------------------------------------------------------------------------
//  Sessions

records_outcome_t
records_session_scheduled (void *store, const pl_delivery_t *event,
                           char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    const char *meeting_id = records_field (payload, "meeting");
    const char *id = records_field (payload, "id");
    records_meeting_t meeting;
    records_outcome_t outcome = s_meeting_open (store, meeting_id, &meeting,
                                                "its programme cannot change",
                                                reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    char status [16];
    int found = records_store_session_status (store, meeting_id, id, status, sizeof status);
    if (found < 0)
        return RECORDS_FAILED;
    if (found)
        return records_reject (reason, reason_size, "session %s of meeting %s already exists",
                               id, meeting_id);
    s_time_t start = { .text = records_field (payload, "start") };
    s_time_t end = { .text = records_field (payload, "end") };
    outcome = s_session_check (meeting_id, meeting.tz, meeting.start, meeting.end, id,
                               &start, &end, reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    return records_store_session_insert (store, event->seq, payload, start.stored, end.stored)
         ? RECORDS_FAILED : RECORDS_APPLIED;
}

//  The session of PAYLOAD must exist in an open meeting and not be
//  cancelled; *MEETING filled.
static records_outcome_t
s_session_open (records_store_t *store, const json_t *payload, records_meeting_t *meeting,
                const char *what, char *reason, size_t reason_size)
{
    const char *meeting_id = records_field (payload, "meeting");
    const char *id = records_field (payload, "id");
    records_outcome_t outcome = s_meeting_open (store, meeting_id, meeting,
                                                "its programme cannot change",
                                                reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    char status [16];
    int found = records_store_session_status (store, meeting_id, id, status, sizeof status);
    if (found < 0)
        return RECORDS_FAILED;
    if (!found)
        return records_reject (reason, reason_size, "session %s of meeting %s does not exist",
                               id, meeting_id);
    if (strcmp (status, "cancelled") == 0)
        return records_reject (reason, reason_size, "session %s of meeting %s is %scancelled%s",
                               id, meeting_id, *what ? "" : "already ", what);
    return RECORDS_APPLIED;
}

records_outcome_t
records_session_moved (void *store, const pl_delivery_t *event,
                       char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    records_meeting_t meeting;
    records_outcome_t outcome = s_session_open (store, payload, &meeting,
                                                "; it cannot move", reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    const char *meeting_id = records_field (payload, "meeting");
    const char *id = records_field (payload, "id");
    s_time_t start = { .text = records_field (payload, "start") };
    s_time_t end = { .text = records_field (payload, "end") };
    outcome = s_session_check (meeting_id, meeting.tz, meeting.start, meeting.end, id,
                               &start, &end, reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    return records_store_session_move (store, meeting_id, id, start.stored, end.stored,
                                       records_field (payload, "room"),
                                       records_field (payload, "reason"))
         ? RECORDS_FAILED : RECORDS_APPLIED;
}

records_outcome_t
records_session_cancelled (void *store, const pl_delivery_t *event,
                           char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    records_meeting_t meeting;
    records_outcome_t outcome = s_session_open (store, payload, &meeting, "", reason,
                                                reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    return records_store_session_cancel (store, records_field (payload, "meeting"),
                                         records_field (payload, "id"),
                                         records_field (payload, "reason"))
         ? RECORDS_FAILED : RECORDS_APPLIED;
}

//  --------------------------------------------------------------------------
//  Queries

json_t *
records_meeting_list (void *store, const json_t *args, const char *role,
                      int *status, char *err, size_t errsize)
{
    const char *convention = records_field (args, "convention");
    if (convention) {
        records_outcome_t known = records_convention_known (store, convention, "meeting.list",
                                                            err, errsize);
        if (known != RECORDS_APPLIED) {
            *status = known == RECORDS_REJECTED ? 404 : 500;
            if (known == RECORDS_FAILED)
                snprintf (err, errsize, "records: storage failure reading conventions");
            return NULL;
        }
    }
    json_t *reply = records_store_meeting_list (store, convention,
                                                records_field (args, "status"));
    if (!reply) {
        *status = 500;
        snprintf (err, errsize, "records: storage failure listing meetings");
    }
    return reply;
}

json_t *
records_meeting_show (void *store, const json_t *args, const char *role,
                      int *status, char *err, size_t errsize)
{
    const char *id = records_field (args, "id");
    json_t *reply = NULL;
    int found = records_store_meeting_show (store, id, &reply);
    if (found == 0) {
        *status = 404;
        snprintf (err, errsize, "meeting %s does not exist", id);
    }
    else
    if (found < 0) {
        *status = 500;
        snprintf (err, errsize, "records: storage failure reading meeting %s", id);
    }
    return reply;
}

json_t *
records_session_list (void *store, const json_t *args, const char *role,
                      int *status, char *err, size_t errsize)
{
    const char *id = records_field (args, "meeting");
    records_meeting_t meeting;
    int found = records_store_meeting_get (store, id, &meeting);
    json_t *reply = found == 1
                  ? records_store_session_list (store, id, records_field (args, "status"))
                  : NULL;
    if (found == 0) {
        *status = 404;
        snprintf (err, errsize, "meeting %s does not exist", id);
    }
    else
    if (!reply) {
        *status = 500;
        snprintf (err, errsize, "records: storage failure listing the sessions of %s", id);
    }
    return reply;
}

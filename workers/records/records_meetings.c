/*  records_meetings — the records worker's rules for meetings and their
    programme of work (sessions), and the queries that read them.

    A meeting is scheduled, then may be updated while it is scheduled, and
    ends cancelled or closed; only a scheduled meeting changes its
    programme.  Session times are wall-clock times in the meeting's zone;
    a session must end after it starts and lie, by its local dates, within
    the meeting's first and last day.  Moving a meeting's dates is refused
    while a session would fall outside them. */
#include "records_handlers.h"
#include "pl_log.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

//  A local time with its seconds: YYYY-MM-DDTHH:MM:SS and a NUL.
#define S_LOCAL_MAX 20

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

//  LOCAL (validated YYYY-MM-DDTHH:MM[:SS]) with its seconds into BUF, so
//  that local times order as strings.
static void
s_local (const char *local, char *buf)
{
    snprintf (buf, S_LOCAL_MAX, "%s%s", local, strlen (local) == 16 ? ":00" : "");
}

//  --------------------------------------------------------------------------
//  Meetings

records_outcome_t
records_meeting_scheduled (records_store_t *store, const pl_delivery_t *event,
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

records_outcome_t
records_meeting_updated (records_store_t *store, const pl_delivery_t *event,
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
records_meeting_cancelled (records_store_t *store, const pl_delivery_t *event,
                           char *reason, size_t reason_size)
{
    return s_meeting_end (store, event, "cancelled", reason, reason_size);
}

records_outcome_t
records_meeting_closed (records_store_t *store, const pl_delivery_t *event,
                        char *reason, size_t reason_size)
{
    return s_meeting_end (store, event, "closed", reason, reason_size);
}

//  --------------------------------------------------------------------------
//  Sessions

//  Check that session ID runs from START to END (normalised) within
//  MEETING's dates.
static records_outcome_t
s_session_times (const records_meeting_t *meeting, const char *meeting_id, const char *id,
                 const char *start, const char *end, char *reason, size_t reason_size)
{
    if (strcmp (end, start) <= 0)
        return records_reject (reason, reason_size,
                               "session %s: end %s is not after start %s", id, end, start);
    if (strncmp (start, meeting->start, 10) < 0 || strncmp (end, meeting->end, 10) > 0)
        return records_reject (reason, reason_size,
                               "session %s: %.10s is outside meeting %s (%s to %s)", id,
                               strncmp (start, meeting->start, 10) < 0 ? start : end,
                               meeting_id, meeting->start, meeting->end);
    return RECORDS_APPLIED;
}

records_outcome_t
records_session_scheduled (records_store_t *store, const pl_delivery_t *event,
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
    char start [S_LOCAL_MAX], end [S_LOCAL_MAX];
    s_local (records_field (payload, "start"), start);
    s_local (records_field (payload, "end"), end);
    outcome = s_session_times (&meeting, meeting_id, id, start, end, reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    return records_store_session_insert (store, event->seq, payload, start, end)
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
records_session_moved (records_store_t *store, const pl_delivery_t *event,
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
    char start [S_LOCAL_MAX], end [S_LOCAL_MAX];
    s_local (records_field (payload, "start"), start);
    s_local (records_field (payload, "end"), end);
    outcome = s_session_times (&meeting, meeting_id, id, start, end, reason, reason_size);
    if (outcome != RECORDS_APPLIED)
        return outcome;
    return records_store_session_move (store, meeting_id, id, start, end,
                                       records_field (payload, "room"),
                                       records_field (payload, "reason"))
         ? RECORDS_FAILED : RECORDS_APPLIED;
}

records_outcome_t
records_session_cancelled (records_store_t *store, const pl_delivery_t *event,
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
records_meeting_list (records_store_t *store, const json_t *args,
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
records_meeting_show (records_store_t *store, const json_t *args,
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
records_session_list (records_store_t *store, const json_t *args,
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

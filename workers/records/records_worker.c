/*  records_worker — the records worker's business rules and queries.

    s_events maps each topic the worker takes to the handler that applies
    it; s_queries maps each query to the handler that answers it.  A batch
    of events is one transaction: an event already applied (seq <= cursor,
    a redelivery) gets the verdict it first got and changes nothing; a new
    event runs in a savepoint, and a rejection rolls back only that event.
    The cursor advances for applied and rejected events alike (a rejection
    is a final answer, remembered by pl_cursor).  Verdict reasons are read
    by people at the CLI: plain English naming the meeting and the cause. */
#include "records_worker.h"
#include "records_store.h"
#include "pl_log.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

//  What a handler made of an event.
typedef enum {
    S_FAILED = -1,              //  the store failed; the batch is rolled back
    S_APPLIED = 0,
    S_REJECTED = 1              //  a business rule refused it; REASON says why
} s_outcome_t;

typedef s_outcome_t (s_event_fn) (records_store_t *store, const pl_delivery_t *event,
                                  char *reason, size_t reason_size);

typedef json_t *(s_query_fn) (records_store_t *store, const json_t *args,
                              int *status, char *err, size_t errsize);

#define S_STATUS_MAX 32         //  room for a meeting status name

//  Field NAME of OBJECT as a string, or NULL.
static const char *
s_field (const json_t *object, const char *name)
{
    return json_string_value (json_object_get (object, name));
}

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

//  Format TIME_MS (milliseconds since the epoch) as RFC 3339 UTC with
//  milliseconds into BUF: 2026-11-23T09:00:00.123Z.
static void
s_timestamp (int64_t time_ms, char *buf, size_t size)
{
    int64_t millis = time_ms % 1000;
    if (millis < 0)
        millis += 1000;
    time_t seconds = (time_t) ((time_ms - millis) / 1000);
    struct tm tm;
    gmtime_r (&seconds, &tm);
    snprintf (buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
              tm.tm_hour, tm.tm_min, tm.tm_sec, (int) millis);
}

//  --------------------------------------------------------------------------
//  Events

static s_outcome_t
s_meeting_scheduled (records_store_t *store, const pl_delivery_t *event,
                     char *reason, size_t reason_size)
{
    const char *id = s_field (event->payload, "id");
    const char *tz = s_field (event->payload, "tz");
    const char *start = s_field (event->payload, "start");
    const char *end = s_field (event->payload, "end");
    char status [S_STATUS_MAX];
    int found = records_store_meeting_status (store, id, status, sizeof status);
    if (found < 0)
        return S_FAILED;
    if (found) {
        snprintf (reason, reason_size, "meeting %s already exists", id);
        return S_REJECTED;
    }
    //  Dates are YYYY-MM-DD (validated), so they order as strings
    if (strcmp (end, start) < 0) {
        snprintf (reason, reason_size, "meeting %s: end %s is before start %s", id, end, start);
        return S_REJECTED;
    }
    if (!s_tz_known (tz)) {
        snprintf (reason, reason_size, "meeting %s: unknown time zone %s", id, tz);
        return S_REJECTED;
    }
    return records_store_meeting_insert (store, event->seq, event->payload)
         ? S_FAILED : S_APPLIED;
}

//  Move meeting of EVENT to STATUS; it must exist and not be there already.
static s_outcome_t
s_meeting_set_status (records_store_t *store, const pl_delivery_t *event, const char *target,
                      char *reason, size_t reason_size)
{
    const char *id = s_field (event->payload, "id");
    char status [S_STATUS_MAX];
    int found = records_store_meeting_status (store, id, status, sizeof status);
    if (found < 0)
        return S_FAILED;
    if (!found) {
        snprintf (reason, reason_size, "meeting %s does not exist", id);
        return S_REJECTED;
    }
    if (strcmp (status, target) == 0) {
        snprintf (reason, reason_size, "meeting %s is already %s", id, status);
        return S_REJECTED;
    }
    return records_store_meeting_set_status (store, id, target) ? S_FAILED : S_APPLIED;
}

static s_outcome_t
s_meeting_cancelled (records_store_t *store, const pl_delivery_t *event,
                     char *reason, size_t reason_size)
{
    return s_meeting_set_status (store, event, "cancelled", reason, reason_size);
}

static s_outcome_t
s_meeting_closed (records_store_t *store, const pl_delivery_t *event,
                  char *reason, size_t reason_size)
{
    return s_meeting_set_status (store, event, "closed", reason, reason_size);
}

static s_outcome_t
s_participant_registered (records_store_t *store, const pl_delivery_t *event,
                          char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    const char *meeting = s_field (payload, "meeting");
    char status [S_STATUS_MAX];
    int found = records_store_meeting_status (store, meeting, status, sizeof status);
    if (found < 0)
        return S_FAILED;
    if (!found) {
        snprintf (reason, reason_size, "meeting %s does not exist", meeting);
        return S_REJECTED;
    }
    if (strcmp (status, "scheduled") != 0) {
        snprintf (reason, reason_size, "meeting %s is %s; registration is closed",
                  meeting, status);
        return S_REJECTED;
    }
    records_person_t same;
    found = records_store_participant_same (store, meeting, s_field (payload, "family_name"),
                                            s_field (payload, "given_name"),
                                            s_field (payload, "delegation"),
                                            s_field (payload, "email"), &same);
    if (found < 0)
        return S_FAILED;
    if (found) {
        snprintf (reason, reason_size, "%s%s%s (%s) is already registered to %s as %s",
                  same.family_name, *same.given_name ? ", " : "", same.given_name,
                  same.delegation, meeting, same.id);
        return S_REJECTED;
    }
    //  The id comes from the seq, so a rebuild from the log gives the same ids
    char id [32], registered_at [96];
    snprintf (id, sizeof id, "p%llu", (unsigned long long) event->seq);
    s_timestamp (event->time_ms, registered_at, sizeof registered_at);
    return records_store_participant_insert (store, event->seq, id, registered_at, payload)
         ? S_FAILED : S_APPLIED;
}

static const struct {
    const char *topic;
    s_event_fn *apply;
} s_events [] = {
    { "meeting.scheduled",      s_meeting_scheduled },
    { "meeting.cancelled",      s_meeting_cancelled },
    { "meeting.closed",         s_meeting_closed },
    { "participant.registered", s_participant_registered },
};
#define S_EVENTS (sizeof s_events / sizeof s_events [0])

//  Apply one new event in its savepoint.
static s_outcome_t
s_apply_one (records_store_t *store, const pl_delivery_t *event, char *reason, size_t size)
{
    for (size_t i = 0; i < S_EVENTS; i++)
        if (strcmp (s_events [i].topic, event->topic) == 0)
            return s_events [i].apply (store, event, reason, size);
    //  The broker sends only the topics we asked for: this is a bug there
    snprintf (reason, size, "the records worker does not handle %s", event->topic);
    return S_REJECTED;
}

//  pl_worker_handler_t.apply
static int
s_apply (void *store_, const pl_delivery_t *events, size_t count, pl_verdict_t *verdicts)
{
    records_store_t *store = store_;
    uint64_t cursor;
    if (records_store_begin (store))
        return -1;
    if (records_store_cursor (store, &cursor))
        goto err;
    for (size_t i = 0; i < count; i++) {
        const pl_delivery_t *event = &events [i];
        pl_verdict_t *verdict = &verdicts [i];
        verdict->reason [0] = 0;
        if (event->seq <= cursor) {
            //  A redelivery: answer as the first time, change nothing
            if (records_store_first_verdict (store, event->seq, &verdict->applied,
                                             verdict->reason, sizeof verdict->reason))
                goto err;
            pl_debug ("records: redelivered seq=%llu verdict=%s",
                      (unsigned long long) event->seq,
                      verdict->applied ? "applied" : "rejected");
            continue;
        }
        if (records_store_savepoint (store))
            goto err;
        s_outcome_t outcome = s_apply_one (store, event, verdict->reason,
                                           sizeof verdict->reason);
        if (outcome == S_FAILED)
            goto err;
        if (outcome == S_REJECTED ? records_store_undo (store) : records_store_release (store))
            goto err;
        verdict->applied = outcome == S_APPLIED;
        if (records_store_advance (store, event->seq,
                                   verdict->applied ? NULL : verdict->reason))
            goto err;
        cursor = event->seq;
        if (verdict->applied)
            pl_debug ("records: applied seq=%llu topic=%s event_id=%s",
                      (unsigned long long) event->seq, event->topic, event->event_id);
        else
            pl_info ("records: rejected seq=%llu topic=%s event_id=%s reason=%s",
                     (unsigned long long) event->seq, event->topic, event->event_id,
                     verdict->reason);
    }
    if (records_store_commit (store))
        goto err;
    return 0;
err:
    records_store_rollback (store);
    return -1;
}

//  --------------------------------------------------------------------------
//  Queries

static json_t *
s_meeting_list (records_store_t *store, const json_t *args,
                int *status, char *err, size_t errsize)
{
    json_t *reply = records_store_meeting_list (store, s_field (args, "convention"),
                                                s_field (args, "status"));
    if (!reply) {
        *status = 500;
        snprintf (err, errsize, "records: storage failure listing meetings");
    }
    return reply;
}

static json_t *
s_meeting_show (records_store_t *store, const json_t *args,
                int *status, char *err, size_t errsize)
{
    const char *id = s_field (args, "id");
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

static json_t *
s_participant_list (records_store_t *store, const json_t *args,
                    int *status, char *err, size_t errsize)
{
    const char *meeting = s_field (args, "meeting");
    json_t *reply = NULL;
    int found = records_store_participant_list (store, meeting, &reply);
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

static const struct {
    const char *name;
    s_query_fn *answer;
} s_queries [] = {
    { "meeting.list",     s_meeting_list },
    { "meeting.show",     s_meeting_show },
    { "participant.list", s_participant_list },
};

//  pl_worker_handler_t.query
static json_t *
s_query (void *store, const char *name, const json_t *args, const char *role,
         int *status, char *err, size_t errsize)
{
    (void) role;                //  every role may read meetings and participants today
    for (size_t i = 0; i < sizeof s_queries / sizeof s_queries [0]; i++)
        if (strcmp (s_queries [i].name, name) == 0)
            return s_queries [i].answer (store, args, status, err, errsize);
    *status = 404;
    snprintf (err, errsize, "the records service has no query %s", name);
    return NULL;
}

//  pl_worker_handler_t.cursor
static uint64_t
s_cursor (void *store)
{
    uint64_t seq = 0;
    if (records_store_cursor (store, &seq))
        //  Replaying from 0 is safe: seq <= the stored cursor is answered
        //  from pl_cursor without applying anything twice
        pl_warn ("records: cannot read the cursor; asking for a replay from 0");
    return seq;
}

const pl_worker_handler_t *
records_worker_handler (void)
{
    static const pl_worker_handler_t handler = { s_apply, s_query, s_cursor };
    return &handler;
}

int
records_worker_topics (char *buf, size_t size)
{
    size_t used = 0;
    for (size_t i = 0; i < S_EVENTS; i++) {
        int written = snprintf (buf + used, size - used, "%s%s", i ? "," : "",
                                s_events [i].topic);
        if (written < 0 || (size_t) written >= size - used)
            return -1;
        used += (size_t) written;
    }
    return 0;
}

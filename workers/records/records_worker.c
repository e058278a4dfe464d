/*  records_worker — the records worker's business rules and queries.

    s_events maps each topic the worker takes to the handler that applies
    it; s_queries maps each query to the handler that answers it, the
    least role that may ask and what a role below the secretariat is not
    given beyond the personal fields (which the worker engine leaves out of
    every reply to such a role).  The handlers live in one file per subject
    (records_handlers.h lists them).  A batch
    of events is one transaction: an event already applied (seq <= cursor,
    a redelivery) gets the verdict it first got and changes nothing; a new
    event runs in a savepoint, and a rejection rolls back only that event.
    A topic whose handler makes every check before its first write (marked
    in s_events) runs without the savepoint: its rejection has nothing to
    undo, and the worker fails the batch if one wrote anyway.  The cursor
    covers applied and rejected events alike (a rejection is a final answer,
    remembered by pl_cursor): a rejection is recorded at once, and the
    cursor row is written once per batch, with its last seq, before the
    COMMIT.  Verdict reasons are read by people at the CLI: plain English
    naming the meeting and the cause. */
#include "records_worker.h"
#include "records_handlers.h"
#include "records_store.h"
#include "pl_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

//  Room for a formatted rejection reason is PL_REASON_MAX (pl_verdict_t).

const char *
records_field (const json_t *object, const char *name)
{
    return json_string_value (json_object_get (object, name));
}

void
records_timestamp (int64_t time_ms, char *buf, size_t size)
{
    int64_t millis = time_ms % 1000;
    if (millis < 0)
        millis += 1000;
    time_t seconds = (time_t) ((time_ms - millis) / 1000);
    struct tm tm;
    gmtime_r (&seconds, &tm);
    //  Once per event: digits by hand, not a printf (2 % of a registration)
    int year = tm.tm_year + 1900;
    if (year < 0 || year > 9999 || size < 25) {
        snprintf (buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", year, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int) millis);
        return;
    }
    const int parts [] = { year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                           (int) millis };
    const int widths [] = { 4, 2, 2, 2, 2, 2, 3 };
    const char after [] = { '-', '-', 'T', ':', ':', '.', 'Z' };
    char *at = buf;
    for (int i = 0; i < 7; i++) {
        for (int w = widths [i] - 1, value = parts [i]; w >= 0; w--, value /= 10)
            at [w] = (char) ('0' + value % 10);
        at += widths [i];
        *at++ = after [i];
    }
    *at = 0;
}

records_outcome_t
records_reject (char *reason, size_t reason_size, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    vsnprintf (reason, reason_size, format, args);
    va_end (args);
    return RECORDS_REJECTED;
}

//  --------------------------------------------------------------------------
//  Events

//  checks_first: the handler rejects only before its first write (read it
//  before marking one), so it needs no savepoint (a SAVEPOINT and RELEASE
//  per event cost ~4 % of applying a registration).
static const struct {
    const char *topic;
    records_event_fn *apply;
    int checks_first;
} s_events [] = {
    { "meeting.scheduled",      records_meeting_scheduled, 0 },
    { "meeting.updated",        records_meeting_updated, 0 },
    { "meeting.cancelled",      records_meeting_cancelled, 0 },
    { "meeting.closed",         records_meeting_closed, 0 },
    { "session.scheduled",      records_session_scheduled, 0 },
    { "session.moved",          records_session_moved, 0 },
    { "session.cancelled",      records_session_cancelled, 0 },
    { "convention.declared",    records_convention_declared, 0 },
    { "delegation.declared",    records_delegation_declared, 0 },
    { "delegation.admitted",    records_delegation_admitted, 0 },
    { "participant.registered", records_participant_registered, 1 },
    { "participant.updated",    records_participant_updated, 1 },
    { "participant.withdrawn",  records_participant_withdrawn, 1 },
    { "participant.approved",   records_participant_approved, 1 },
    { "participant.confirmed",  records_participant_confirmed, 1 },
    { "participant.rejected",   records_participant_rejected, 1 },
    { "credentials.submitted",  records_credentials_submitted, 0 },
    { "credentials.verified",   records_credentials_verified, 0 },
    { "credentials.rejected",   records_credentials_rejected, 0 },
    { "statement.delivered",    records_statement_delivered, 0 },
    { "speaker.inscribed",      records_speaker_inscribed, 0 },
    { "speaker.withdrawn",      records_speaker_withdrawn, 0 },
    { "speaker.swapped",        records_speaker_swapped, 0 },
    { "participants.issued",    records_participants_issued, 0 },
};
#define S_EVENTS (sizeof s_events / sizeof s_events [0])

//  Apply one new event: in a savepoint unless its handler checks first.
static records_outcome_t
s_apply_one (records_store_t *store, const pl_delivery_t *event, char *reason, size_t size)
{
    //  Stamps the versions of participants this event makes (--as-of)
    if (records_store_clock (store, event->seq, event->time_ms))
        return RECORDS_FAILED;
    size_t i = 0;
    while (i < S_EVENTS && strcmp (s_events [i].topic, event->topic) != 0)
        i++;
    if (i == S_EVENTS)
        //  The broker sends only the topics we asked for: this is a bug there
        return records_reject (reason, size, "the records worker does not handle %s",
                               event->topic);
    if (s_events [i].checks_first) {
        int64_t changes = records_store_changes (store);
        records_outcome_t outcome = s_events [i].apply (store, event, reason, size);
        if (outcome == RECORDS_REJECTED && records_store_changes (store) != changes) {
            pl_error ("records: %s wrote before rejecting seq=%llu, without a savepoint; "
                      "failing the batch (a bug in its handler)", event->topic,
                      (unsigned long long) event->seq);
            return RECORDS_FAILED;
        }
        return outcome;
    }
    if (records_store_savepoint (store))
        return RECORDS_FAILED;
    records_outcome_t outcome = s_events [i].apply (store, event, reason, size);
    if (outcome == RECORDS_FAILED)
        return outcome;
    if (outcome == RECORDS_REJECTED ? records_store_undo (store)
                                    : records_store_release (store))
        return RECORDS_FAILED;
    return outcome;
}

//  pl_worker_handler_t.apply
static int
s_apply (void *store_, const pl_delivery_t *events, size_t count, pl_verdict_t *verdicts)
{
    records_store_t *store = store_;
    uint64_t cursor, stored;    //  the batch's cursor; the one in the cursor row
    if (records_store_begin (store))
        return -1;
    if (records_store_cursor (store, &cursor))
        goto err;
    stored = cursor;
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
        records_outcome_t outcome = s_apply_one (store, event, verdict->reason,
                                                 sizeof verdict->reason);
        if (outcome == RECORDS_FAILED)
            goto err;
        verdict->applied = outcome == RECORDS_APPLIED;
        //  A rejection is remembered now (and moves the cursor row with it)
        if (!verdict->applied) {
            if (records_store_advance (store, event->seq, verdict->reason))
                goto err;
            stored = event->seq;
        }
        cursor = event->seq;
        if (verdict->applied)
            pl_debug ("records: applied seq=%llu topic=%s event_id=%s",
                      (unsigned long long) event->seq, event->topic, event->event_id);
        else {
            //  A reason may name a person: the log says which event, at
            //  debug level why (its receipt and plenary status say it too)
            pl_info ("records: rejected seq=%llu topic=%s event_id=%s", (unsigned long long)
                     event->seq, event->topic, event->event_id);
            pl_debug ("records: rejected seq=%llu reason=%s", (unsigned long long) event->seq,
                      verdict->reason);
        }
    }
    if ((cursor > stored && records_store_advance (store, cursor, NULL))
    ||  records_store_commit (store))
        goto err;
    return 0;
err:
    records_store_rollback (store);
    return -1;
}

//  --------------------------------------------------------------------------
//  Queries

//  pl_facet_rows_fn over the store
static int
s_facet_rows (void *store, const pl_facet_t *facet, const char *key,
              pl_facet_row_fn *row, void *arg)
{
    return records_store_facet_rows (store, facet, key, row, arg);
}

//  records.digest: the authority's side of plenary check (lib/pl_facet.h)
static json_t *
s_digest (records_store_t *store, const json_t *args, int *status, char *err, size_t errsize)
{
    return pl_facet_query (RECORDS_GROUP, s_facet_rows, store, args, status, err, errsize);
}

static const struct {
    const char *name;
    int min_rank;               //  pl_role_rank the caller needs
    records_query_fn *answer;
    //  What a role below the secretariat is not given beyond the fields the
    //  schema marks personal (which pl_worker leaves out of every reply)
    records_withhold_fn *withhold;
} s_queries [] = {
    //  Every role may read meetings and participants, without personal data
    { "meeting.list",        0, records_meeting_list, NULL },
    { "meeting.show",        0, records_meeting_show, NULL },
    { "meeting.stats",       0, records_meeting_stats, NULL },
    { "session.list",        0, records_session_list, NULL },
    { "delegation.list",     0, records_delegation_list, NULL },
    { "convention.list",     0, records_convention_list, NULL },
    { "participant.list",    0, records_lists_participants, NULL },
    { "participant.history", 0, records_participant_history,
      records_participant_history_withhold },
    { "participant.show",    0, records_participant_show, NULL },
    { "credentials.report",  0, records_credentials_report, NULL },
    { "statement.list",      0, records_statement_list, records_statement_list_withhold },
    { "speaker.list",        0, records_speaker_list, NULL },
    //  Digests come from personal data: the secretariat (rank 3) only
    { "records.digest",      3, s_digest, NULL },
};

//  pl_worker_handler_t.query
static json_t *
s_query (void *store, const char *name, const json_t *args, const char *role,
         int *status, char *err, size_t errsize)
{
    for (size_t i = 0; i < sizeof s_queries / sizeof s_queries [0]; i++)
        if (strcmp (s_queries [i].name, name) == 0) {
            //  an unknown role counts as the public
            if (s_queries [i].min_rank > 0 && pl_role_rank (role) < s_queries [i].min_rank) {
                *status = 403;
                snprintf (err, errsize, "%s: the role %s may not ask this", name, role);
                return NULL;
            }
            json_t *reply = s_queries [i].answer (store, args, status, err, errsize);
            if (reply && s_queries [i].withhold
            &&  pl_role_rank (role) < pl_role_rank ("secretariat"))
                s_queries [i].withhold (reply);
            return reply;
        }
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

//  pl_worker_handler_t.reader_open: queries run on readers of their own
static void *
s_reader_open (void *store)
{
    return records_store_reader (store);
}

static void
s_reader_close (void *reader)
{
    records_store_t *store = reader;
    records_store_destroy (&store);
}

static sqlite3 *
s_reader_db (void *reader)
{
    return records_store_db (reader);
}

const pl_worker_handler_t *
records_worker_handler (void)
{
    static const pl_worker_handler_t handler = {
        .apply = s_apply, .query = s_query, .cursor = s_cursor,
        .reader_open = s_reader_open, .reader_close = s_reader_close, .reader_db = s_reader_db
    };
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

/*  records_worker — the records worker's business rules and queries.

    s_events maps each topic the worker takes to the handler that applies
    it; s_queries maps each query to the handler that answers it, the
    least role that may ask and what a role below the secretariat is not
    given beyond the personal fields (which the worker engine leaves out of
    every reply to such a role).  The handlers live in one file per subject
    (records_handlers.h lists them).  lib/pl_rules runs the tables: a batch
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
static const pl_event_rule_t s_events [] = {
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
s_digest (void *store, const json_t *args, const char *role, int *status, char *err,
          size_t errsize)
{
    return pl_facet_query (RECORDS_GROUP, s_facet_rows, store, args, status, err, errsize);
}

//  Each with what a role below the secretariat is not given beyond the
//  fields the schema marks personal (which pl_worker leaves out of every reply)
static const pl_query_rule_t s_queries [] = {
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

//  pl_rules_t.txn
static pl_txn_t *
s_txn (void *store)
{
    return records_store_txn (store);
}

//  pl_rules_t.before: stamps the versions of participants this event makes (--as-of)
static int
s_before (void *store, const pl_delivery_t *event)
{
    return records_store_clock (store, event->seq, event->time_ms);
}

//  pl_rules_t.on_txn
static void
s_on_txn (void *store, pl_txn_op_t op)
{
    records_store_on_txn (store, op);
}

static const pl_rules_t s_rules = {
    "records", s_events, sizeof s_events / sizeof s_events [0],
    s_queries, sizeof s_queries / sizeof s_queries [0],
    .txn = s_txn, .before = s_before, .on_txn = s_on_txn
};

static int
s_apply (void *store, const pl_delivery_t *events, size_t count, pl_verdict_t *verdicts)
{
    return pl_rules_apply (&s_rules, store, events, count, verdicts);
}

static json_t *
s_query (void *store, const char *name, const json_t *args, const char *role,
         int *status, char *err, size_t errsize)
{
    return pl_rules_query (&s_rules, store, name, args, role, status, err, errsize);
}

static uint64_t
s_cursor (void *store)
{
    return pl_rules_cursor (&s_rules, store);
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
    return pl_rules_topics (&s_rules, buf, size);
}

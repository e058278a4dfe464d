/*  records_handlers — the records worker's event and query handlers.

    records_worker.c holds the two tables (topic -> event handler, query
    name -> query handler) and the batch engine; the handlers live in one
    file per subject and are declared here:
      records_meetings.c      meetings and sessions
      records_conventions.c   the conventions known, built in and declared
      records_delegations.c   delegations and observer admission
      records_participants.c  registration, updates, approval, history, stats
    An event handler applies one validated event inside its savepoint and
    returns RECORDS_APPLIED, RECORDS_REJECTED with REASON (plain English for
    the person at the CLI, naming the meeting, participant or code and the
    cause) or RECORDS_FAILED on a storage failure.  A query handler returns
    a new reply object, or NULL with *STATUS (404, 400, 500) and ERR. */
#ifndef RECORDS_HANDLERS_H_INCLUDED
#define RECORDS_HANDLERS_H_INCLUDED

#include <stddef.h>
#include <jansson.h>
#include "pl_rules.h"
#include "records_store.h"

//  A handler's outcome (lib/pl_rules.h), by the names the handlers use.
typedef pl_outcome_t records_outcome_t;
#define RECORDS_FAILED   PL_FAILED      //  the store failed; the batch is rolled back
#define RECORDS_APPLIED  PL_APPLIED
#define RECORDS_REJECTED PL_REJECTED    //  a business rule refused it; REASON says why

//  An event handler (lib/pl_rules.h) on the records_store_t.
typedef pl_event_fn records_event_fn;

//  A query handler (lib/pl_rules.h) on the store or a reader of it.
typedef pl_answer_fn records_query_fn;

//  What a reply leaves out for a role below the secretariat beyond the
//  fields the schema marks personal, which the worker engine leaves out of
//  every reply (pl_schema_withhold): changes REPLY in place.
typedef void (records_withhold_fn) (json_t *reply);

//  Field NAME of OBJECT as a string, or NULL.  Borrowed.
const char *records_field (const json_t *object, const char *name);

//  TIME_MS (milliseconds since the epoch) as RFC 3339 UTC with milliseconds
//  into BUF: 2026-11-23T09:00:00.123Z.
void records_timestamp (int64_t time_ms, char *buf, size_t size);

//  Rejection helper: format REASON and return RECORDS_REJECTED.
records_outcome_t records_reject (char *reason, size_t reason_size, const char *format, ...)
    __attribute__ ((format (printf, 3, 4)));

//  records_meetings.c
records_event_fn records_meeting_scheduled;
records_event_fn records_meeting_updated;
records_event_fn records_meeting_cancelled;
records_event_fn records_meeting_closed;
records_event_fn records_session_scheduled;
records_event_fn records_session_moved;
records_event_fn records_session_cancelled;
records_query_fn records_meeting_list;
records_query_fn records_meeting_show;
records_query_fn records_session_list;

//  records_conventions.c
records_event_fn records_convention_declared;
records_query_fn records_convention_list;

//  RECORDS_APPLIED when convention CODE is known (built in or declared);
//  RECORDS_REJECTED with REASON ("SUBJECT: convention XYZ is not known
//  (known: ...); add it with ..."), or RECORDS_FAILED on a storage failure.
records_outcome_t records_convention_known (records_store_t *store, const char *code,
                                            const char *subject, char *reason,
                                            size_t reason_size);

//  records_delegations.c
records_event_fn records_delegation_declared;
records_event_fn records_delegation_admitted;
records_query_fn records_delegation_list;

//  The category of delegation CODE at a meeting of CONVENTION into
//  CATEGORY (its declared status, or "undeclared" for a State never
//  declared); NAME gets its name.  Returns RECORDS_APPLIED when known,
//  RECORDS_REJECTED with REASON for a code that is neither an ISO 3166-1
//  State nor a declared organisation, RECORDS_FAILED on a storage failure.
records_outcome_t records_delegation_category (records_store_t *store, const char *convention,
                                               const char *code, char *category,
                                               size_t category_size, char *name,
                                               size_t name_size, char *reason,
                                               size_t reason_size);

//  True when a delegation of CATEGORY takes part only once admitted.
int records_category_needs_admission (const char *category);

//  records_participants.c
records_event_fn records_participant_registered;
records_event_fn records_participant_updated;
records_event_fn records_participant_withdrawn;
records_event_fn records_participant_approved;
records_event_fn records_participant_confirmed;
records_event_fn records_participant_rejected;
//  PAGE of the current list of participants of meeting ARGS.meeting
json_t *records_participant_list (records_store_t *store, const json_t *args,
                                  const records_page_t *page, int *status, char *err,
                                  size_t errsize);
records_query_fn records_participant_history;
records_withhold_fn records_participant_history_withhold;
records_query_fn records_participant_show;
records_query_fn records_meeting_stats;

//  records_credentials.c
records_event_fn records_credentials_submitted;
records_event_fn records_credentials_verified;
records_event_fn records_credentials_rejected;
records_query_fn records_credentials_report;

//  records_statements.c
records_event_fn records_statement_delivered;
records_query_fn records_statement_list;
records_withhold_fn records_statement_list_withhold;

//  records_speakers.c
records_event_fn records_speaker_inscribed;
records_event_fn records_speaker_withdrawn;
records_event_fn records_speaker_swapped;
records_query_fn records_speaker_list;

//  records_lists.c: issues of the list of participants; participant.list
//  (as it stood at a time, or an addendum; else records_participant_list)
records_event_fn records_participants_issued;
records_query_fn records_lists_participants;

#endif

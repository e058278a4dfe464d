/*  records_store — the records worker's SQLite database.

    The one class of the records worker that owns the sqlite3 handle and
    every prepared statement; all of the worker's SQL lives in
    records_store*.c, one file per subject (the sections below).  It knows tables, not rules: records_worker.c decides
    what an event means and calls these methods inside one transaction per
    batch (begin, a savepoint per event, the cursor advance, commit).

    Methods return 0 on success and -1 on a storage failure (logged here).
    Look-ups return 1 when found, 0 when not, -1 on failure. */
#ifndef RECORDS_STORE_H_INCLUDED
#define RECORDS_STORE_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <sqlite3.h>
#include "pl_facet.h"
#include "pl_txn.h"

typedef struct _records_store_t records_store_t;

//  A participant as a duplicate check reports it (the one already there).
typedef struct {
    char id [72];                   //  "p42"
    char family_name [160];
    char given_name [160];          //  "" when none
    char delegation [24];
} records_person_t;

//  A meeting as the rules need it.
typedef struct {
    char convention [24];
    char status [16];
    char start [16];                //  YYYY-MM-DD
    char end [16];
    char tz [64];
} records_meeting_t;

//  A participant's state as the lifecycle rules need it.
typedef struct {
    char delegation [24];
    char status [16];
    int focal_point;                //  1 when flagged focal point
} records_state_t;

//  A delegation's declaration toward a convention.
typedef struct {
    char status [24];               //  state-party, signatory, not-party, organization, civil-society
    char name [260];                //  "" for a State (ISO 3166-1 names it)
} records_delegation_t;

//  Open (creating when needed) the database at PATH, whose folder must
//  exist, and migrate it to the current schema.  NULL on failure (logged).
records_store_t *records_store_new (const char *path);

//  A reader of STORE's database, for a query thread: the same methods
//  over a read-only connection of its own (pl_store_open_reader), which
//  only that thread uses.  NULL on failure (logged).  Destroy it as a store.
records_store_t *records_store_reader (records_store_t *store);

//  Close the database.  NULL-safe; sets *SELF_P to NULL.
void records_store_destroy (records_store_t **self_p);

//  SELF's connection (borrowed): the worker engine holds a query's read
//  transaction on a reader's.
sqlite3 *records_store_db (records_store_t *self);

//  The schema version this build migrates the database to (its user_version).
int records_store_version (void);

//  The batch transaction's statements (lib/pl_txn.h), which lib/pl_rules
//  runs; borrowed, valid until the store is destroyed; NULL for a reader.
pl_txn_t *records_store_txn (records_store_t *self);

//  Told of each BEGIN, ROLLBACK and UNDO before it runs (pl_rules_t.on_txn):
//  the store forgets what it knew of the clock's row.
void records_store_on_txn (records_store_t *self, pl_txn_op_t op);

//  ----- meetings, sessions and conventions (records_store_meetings.c) -----

//  Copy the status of meeting ID into STATUS.  1 found, 0 not, -1.
int  records_store_meeting_status (records_store_t *self, const char *id,
                                   char *status, size_t status_size);
//  Insert the meeting of a meeting.scheduled EVENT (validated), status
//  scheduled.  0 or -1.
int  records_store_meeting_insert (records_store_t *self, uint64_t seq, const json_t *event);
//  Set the status of meeting ID.  0 or -1.
int  records_store_meeting_set_status (records_store_t *self, const char *id,
                                       const char *status);

//  Meeting ID into *MEETING.  1 found, 0 not, -1.
int  records_store_meeting_get (records_store_t *self, const char *id,
                                records_meeting_t *meeting);
//  Apply the fields present in a meeting.updated EVENT.  0 or -1.
int  records_store_meeting_update (records_store_t *self, const json_t *event);
//  The first session of MEETING (not cancelled) whose local dates fall
//  outside START..END (YYYY-MM-DD): its id into SESSION.  1, 0 none, -1.
int  records_store_session_outside (records_store_t *self, const char *meeting,
                                    const char *start, const char *end,
                                    char *session, size_t session_size);
//  The sessions of MEETING not cancelled as {"items": [{id, start, end}]},
//  by start.  NULL on failure.
json_t *records_store_session_times (records_store_t *self, const char *meeting);
//  Status of session ID of MEETING into STATUS.  1 found, 0 not, -1.
int  records_store_session_status (records_store_t *self, const char *meeting, const char *id,
                                   char *status, size_t status_size);
//  Insert the session of a session.scheduled EVENT, START and END
//  normalised to YYYY-MM-DDTHH:MM:SS (and the offset given, if any).  0 or -1.
int  records_store_session_insert (records_store_t *self, uint64_t seq, const json_t *event,
                                   const char *start, const char *end);
//  Move session ID of MEETING to START..END (normalised), ROOM when not
//  NULL, noting REASON.  0 or -1.
int  records_store_session_move (records_store_t *self, const char *meeting, const char *id,
                                 const char *start, const char *end, const char *room,
                                 const char *reason);
//  Cancel session ID of MEETING, noting REASON.  0 or -1.
int  records_store_session_cancel (records_store_t *self, const char *meeting,
                                   const char *id, const char *reason);
//  session.list.reply for MEETING (STATUS NULL = any), by start.  NULL on failure.
json_t *records_store_session_list (records_store_t *self, const char *meeting,
                                    const char *status);

//  The name of convention CODE declared by convention.declared into NAME
//  (the built-in ones are not stored).  1 declared, 0 not, -1.
int  records_store_convention_get (records_store_t *self, const char *code,
                                   char *name, size_t name_size);
//  Record (or rename) the convention of a convention.declared EVENT.  0 or -1.
int  records_store_convention_put (records_store_t *self, uint64_t seq, const json_t *event);
//  The declared conventions as {"items": [{code, name, source "declared",
//  seq}]}, by code.  NULL on failure.
json_t *records_store_convention_list (records_store_t *self);

//  ----- delegations, participants, history, statistics
//  (records_store_participants.c) -----

//  Find the earliest participant of MEETING, not withdrawn nor rejected,
//  with the same e-mail (case-insensitive; EMAIL may be NULL) or the same
//  family name, given name (GIVEN may be NULL) and delegation (names
//  trimmed and compared with ASCII case folding), participant EXCEPT aside
//  (NULL: none; an update's own registration).  1 found (*PERSON filled),
//  0 not, -1.
int  records_store_participant_same (records_store_t *self, const char *meeting,
                                     const char *family, const char *given,
                                     const char *delegation, const char *email,
                                     const char *except, records_person_t *person);
//  Insert the participant of a participant.registered EVENT (validated)
//  as ID with STATUS (registered or pending) and REASON (may be NULL), at
//  REGISTERED_AT.  0 or -1.
int  records_store_participant_insert (records_store_t *self, uint64_t seq, const char *id,
                                       const char *registered_at, const char *status,
                                       const char *reason, const json_t *event);

//  The ISO 3166-1 name of State CODE into NAME.  1 a State, 0 not, -1.
int  records_store_iso_name (records_store_t *self, const char *code,
                             char *name, size_t name_size);
//  The declaration of CODE toward CONVENTION.  1 declared, 0 not, -1.
int  records_store_delegation_get (records_store_t *self, const char *convention,
                                   const char *code, records_delegation_t *delegation);
//  Record (or replace) a delegation.declared EVENT.  0 or -1.
int  records_store_delegation_put (records_store_t *self, uint64_t seq, const json_t *event);
//  delegation.list.reply for CONVENTION; with MEETING, each item says
//  whether that meeting admitted it.  STATUS NULL = any.  NULL on failure.
json_t *records_store_delegation_list (records_store_t *self, const char *convention,
                                       const char *meeting, const char *status);
//  True (1) when MEETING admitted DELEGATION as observer; 0 not; -1.
int  records_store_admitted (records_store_t *self, const char *meeting,
                             const char *delegation);
//  Record the admission of DELEGATION by MEETING (event SEQ at AT) and move
//  its pending participants to registered, each with a history row giving
//  REASON.  0 or -1.
int  records_store_admit (records_store_t *self, uint64_t seq, const char *at,
                          const char *meeting, const char *delegation, const char *reason);

//  DELEGATION was declared (event SEQ at AT) a State Party or signatory to
//  CONVENTION: move its pending participants of the convention's scheduled
//  meetings to registered, each with a history row (change "declared")
//  giving REASON.  0 or -1.
int  records_store_release_pending (records_store_t *self, uint64_t seq, const char *at,
                                    const char *convention, const char *delegation,
                                    const char *reason);

//  participant.show.reply for participant ID of MEETING (its record with
//  category, delegation_name and waits_for) into *REPLY_P, caller owns.
//  1 found, 0 not, -1.
int  records_store_participant_show (records_store_t *self, const char *meeting,
                                     const char *id, json_t **reply_p);
//  Participant ID of MEETING into *STATE.  1 found, 0 not, -1.
int  records_store_participant_state (records_store_t *self, const char *meeting,
                                      const char *id, records_state_t *state);
//  Participant ID as an object of its current details (the participant
//  record's fields), caller owns, into *DETAILS_P.  1 found, 0 not, -1.
int  records_store_participant_details (records_store_t *self, const char *id,
                                        json_t **details_p);
//  Append a history row for participant ID, event SEQ at AT: CHANGE
//  (registered, updated, approved...), STATUS after it (NULL: unchanged),
//  REASON, CHANGED (a JSON array text of field names, or NULL) and, when
//  WITH_BEFORE, the details as they are now.  Call before changing them.
int  records_store_history_add (records_store_t *self, uint64_t seq, const char *id,
                                const char *at, const char *change, const char *status,
                                const char *reason, const char *changed, int with_before);
//  Apply the fields present in a participant.updated EVENT to participant
//  ID.  0 or -1.
int  records_store_participant_update (records_store_t *self, const char *id,
                                       const json_t *event);
//  Set the status of participant ID to STATUS with REASON.  0 or -1.
int  records_store_participant_set_status (records_store_t *self, const char *id,
                                           const char *status, const char *reason);
//  participant.history.reply for participant ID, oldest first.  NULL on failure.
json_t *records_store_participant_history (records_store_t *self, const char *id);
//  meeting.stats.reply for MEETING of CONVENTION.  NULL on failure.
json_t *records_store_meeting_stats (records_store_t *self, const char *meeting,
                                     const char *convention);

//  Queries.  Each builds a new object of the reply message that the caller
//  owns (json_decref).
//  meeting.list.reply for the meetings matching CONVENTION and STATUS (NULL
//  = any), by start date.  NULL on failure.
json_t *records_store_meeting_list (records_store_t *self, const char *convention,
                                    const char *status);
//  meeting.show.reply for meeting ID into *REPLY_P.  1 found, 0 not, -1.
int  records_store_meeting_show (records_store_t *self, const char *id, json_t **reply_p);
//  A page of a list of participants: the entries after the key AFTER (an
//  array [delegation, rank of function, family name, given name or "",
//  seq] that records_page_parse made of a cursor; NULL: from the first),
//  LIMIT at most.
typedef struct {
    const json_t *after;
    int64_t limit;
} records_page_t;

//  The key of ITEM, a participant record, in the list: a new reference, or
//  NULL when out of memory.
json_t *records_page_key (const json_t *item);

//  The bytes ITEM, a record, takes in a reply, about (its text and keys).
size_t records_page_bytes (const json_t *item);

//  The key of participant.list's cursor TEXT (its "after") into *AFTER_P
//  (caller owns).  0, or -1 when TEXT is no cursor a page gave.
int  records_page_parse (const char *text, json_t **after_p);

//  participant.list.reply for PAGE of MEETING's list into *REPLY_P,
//  ordered by delegation, function (head first), family name, given name
//  and registration, with "next" when more follow.  1 found, 0 no such
//  meeting, -1.
int  records_store_participant_list (records_store_t *self, const char *meeting,
                                     const records_page_t *page, json_t **reply_p);

//  ----- credentials (records_store_credentials.c) -----

//  The latest credentials of a delegation to a meeting.
typedef struct {
    int64_t seq;                    //  the credentials.submitted event
    char form [16];                 //  original, copy, note-verbale
    char status [16];               //  submitted, verified, rejected
} records_credential_t;

//  The kind of meeting ID (msp, revcon...) into KIND.  1 found, 0 not, -1.
int  records_store_meeting_kind (records_store_t *self, const char *id,
                                 char *kind, size_t kind_size);
//  The latest credentials of DELEGATION to MEETING.  1 found, 0 none, -1.
int  records_store_credential_latest (records_store_t *self, const char *meeting,
                                      const char *delegation, records_credential_t *credential);
//  Record a credentials.submitted EVENT as event SEQ, status submitted.  0 or -1.
int  records_store_credential_insert (records_store_t *self, uint64_t seq, const json_t *event);
//  Set credentials SEQ to STATUS (verified, rejected); NOTE and REASON may
//  be NULL (kept as they were).  0 or -1.
int  records_store_credential_set (records_store_t *self, int64_t seq, const char *status,
                                   const char *note, const char *reason);
//  The rows of the credentials report of MEETING (whose convention is
//  CONVENTION) as {"items": [...]}: each State Party registered or with
//  credentials, its participants and its latest credentials (status,
//  form, issued_by, received, note, reason).  NULL on failure.
json_t *records_store_credential_rows (records_store_t *self, const char *meeting,
                                       const char *convention);

//  ----- statements and lists of speakers (records_store_speakers.c) -----

//  A delegation's open turn on a list of speakers.
typedef struct {
    int64_t seq;                    //  the speaker.inscribed event
    int64_t position;
} records_turn_t;

//  Insert statement ID of a statement.delivered EVENT (event SEQ),
//  delivered at DELIVERED_AT.  0 or -1.
int  records_store_statement_insert (records_store_t *self, uint64_t seq, const char *id,
                                     const char *delivered_at, const json_t *event);
//  statement.list.reply for MEETING, AGENDA_ITEM and DELEGATION (NULL =
//  any), in the order delivered.  NULL on failure.
json_t *records_store_statement_list (records_store_t *self, const char *meeting,
                                      const char *agenda_item, const char *delegation);
//  The waiting turn of DELEGATION on the list of AGENDA_ITEM of MEETING.
//  1 found, 0 not, -1.
int  records_store_turn_waiting (records_store_t *self, const char *meeting,
                                 const char *agenda_item, const char *delegation,
                                 records_turn_t *turn);
//  Inscribe a speaker.inscribed EVENT (event SEQ) at INSCRIBED_AT, after
//  the last position of its list.  0 or -1.
int  records_store_turn_insert (records_store_t *self, uint64_t seq, const char *inscribed_at,
                                const json_t *event);
//  Mark turn SEQ withdrawn with REASON (may be NULL).  0 or -1.
int  records_store_turn_withdraw (records_store_t *self, int64_t seq, const char *reason);
//  Give turns A and B each other's position.  0 or -1.
int  records_store_turn_swap (records_store_t *self, const records_turn_t *a,
                              const records_turn_t *b);
//  Close turn SEQ: spoken, by STATEMENT, from STARTED_AT for DURATION_S
//  seconds (-1: unknown).  0 or -1.
int  records_store_turn_close (records_store_t *self, int64_t seq, const char *statement,
                               const char *started_at, int64_t duration_s);
//  speaker.list.reply for AGENDA_ITEM of MEETING, by position.  NULL on failure.
json_t *records_store_turn_list (records_store_t *self, const char *meeting,
                                 const char *agenda_item);

//  ----- issues of the list of participants and its versions
//  (records_store_lists.c) -----

//  Tell the store which event is being applied (inside the batch's
//  transaction, before the event's savepoint): the versions of participants
//  and delegations it makes are stamped with TIME_MS.  Writes event_clock
//  only when TIME_MS differs from the value the store last wrote there, so
//  events of one millisecond share one UPDATE (records_store.c).  0 or -1.
int  records_store_clock (records_store_t *self, uint64_t seq, int64_t time_ms);
//  The highest issue number of MEETING's list into *ISSUE (0: none).  0 or -1.
int  records_store_issue_last (records_store_t *self, const char *meeting, int64_t *issue);
//  Record a participants.issued EVENT (event SEQ at TIME_MS).  0 or -1.
int  records_store_issue_insert (records_store_t *self, uint64_t seq, int64_t time_ms,
                                 const json_t *event);
//  Issue ISSUE of MEETING: its time into *TIME_MS and symbol into SYMBOL
//  ("" when none).  1 found, 0 not, -1.
int  records_store_issue_get (records_store_t *self, const char *meeting, int64_t issue,
                              int64_t *time_ms, char *symbol, size_t symbol_size);
//  PAGE of the participants of MEETING as they stood at TIME_MS (INT64_MAX:
//  now), as {"items": [...], "next"} of participant records with category
//  and delegation_name, ordered like participant.list.  NULL on failure.
json_t *records_store_participants_at (records_store_t *self, const char *meeting,
                                       int64_t time_ms, const records_page_t *page);
//  Participant ID as it stood at TIME_MS into *RECORD_P (caller owns),
//  without category.  1 found, 0 it did not exist then, -1.
int  records_store_participant_at (records_store_t *self, const char *id, int64_t time_ms,
                                   json_t **record_p);

//  ----- the facets plenary check compares (records_store_facets.c) -----

//  Call ROW for every item of FACET (lib/pl_facet.h) the records hold, of
//  KEY only when not NULL, in key order.  0, or -1 on failure (logged).
int  records_store_facet_rows (records_store_t *self, const pl_facet_t *facet,
                               const char *key, pl_facet_row_fn *row, void *arg);

#endif

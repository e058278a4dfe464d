/*  records_store — the records worker's SQLite database.

    The one class of the records worker that owns the sqlite3 handle and
    every prepared statement; all of the worker's SQL lives in
    records_store.c.  It knows tables, not rules: records_worker.c decides
    what an event means and calls these methods inside one transaction per
    batch (begin, a savepoint per event, the cursor advance, commit).

    Methods return 0 on success and -1 on a storage failure (logged here).
    Look-ups return 1 when found, 0 when not, -1 on failure. */
#ifndef RECORDS_STORE_H_INCLUDED
#define RECORDS_STORE_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

typedef struct _records_store_t records_store_t;

//  A participant as a duplicate check reports it (the one already there).
typedef struct {
    char id [72];                   //  "p42"
    char family_name [160];
    char given_name [160];          //  "" when none
    char delegation [24];
} records_person_t;

//  Open (creating when needed) the database at PATH, whose folder must
//  exist, and migrate it to the current schema.  NULL on failure (logged).
records_store_t *records_store_new (const char *path);

//  Close the database.  NULL-safe; sets *SELF_P to NULL.
void records_store_destroy (records_store_t **self_p);

//  Transactions: one per batch, a savepoint per event inside it.
int  records_store_begin (records_store_t *self);
int  records_store_commit (records_store_t *self);
void records_store_rollback (records_store_t *self);
int  records_store_savepoint (records_store_t *self);
//  Keep the savepoint's changes.
int  records_store_release (records_store_t *self);
//  Undo everything since the savepoint and drop it.
int  records_store_undo (records_store_t *self);

//  The last sequence number applied, into *SEQ.  0 or -1.
int  records_store_cursor (records_store_t *self, uint64_t *seq);
//  Move the cursor to SEQ, recording REASON when the event was rejected
//  (NULL when applied).  Inside the batch transaction.  0 or -1.
int  records_store_advance (records_store_t *self, uint64_t seq, const char *reason);
//  The verdict SEQ (<= cursor) first got: *APPLIED, REASON.  0 or -1.
int  records_store_first_verdict (records_store_t *self, uint64_t seq, int *applied,
                                  char *reason, size_t reason_size);

//  Copy the status of meeting ID into STATUS.  1 found, 0 not, -1.
int  records_store_meeting_status (records_store_t *self, const char *id,
                                   char *status, size_t status_size);
//  Insert the meeting of a meeting.scheduled EVENT (validated), status
//  scheduled.  0 or -1.
int  records_store_meeting_insert (records_store_t *self, uint64_t seq, const json_t *event);
//  Set the status of meeting ID.  0 or -1.
int  records_store_meeting_set_status (records_store_t *self, const char *id,
                                       const char *status);

//  Find a participant of MEETING, not withdrawn, with the same e-mail
//  (case-insensitive; EMAIL may be NULL) or the same family name, given
//  name (GIVEN may be NULL) and delegation (names trimmed and compared
//  with ASCII case folding).  1 found (*PERSON filled), 0 not, -1.
int  records_store_participant_same (records_store_t *self, const char *meeting,
                                     const char *family, const char *given,
                                     const char *delegation, const char *email,
                                     records_person_t *person);
//  Insert the participant of a participant.registered EVENT (validated)
//  as ID, status registered, at REGISTERED_AT.  0 or -1.
int  records_store_participant_insert (records_store_t *self, uint64_t seq, const char *id,
                                       const char *registered_at, const json_t *event);

//  Queries.  Each builds a new object of the reply message that the caller
//  owns (json_decref).
//  meeting.list.reply for the meetings matching CONVENTION and STATUS (NULL
//  = any), by start date.  NULL on failure.
json_t *records_store_meeting_list (records_store_t *self, const char *convention,
                                    const char *status);
//  meeting.show.reply for meeting ID into *REPLY_P.  1 found, 0 not, -1.
int  records_store_meeting_show (records_store_t *self, const char *id, json_t **reply_p);
//  participant.list.reply for MEETING into *REPLY_P, ordered by delegation,
//  function (head first) and family name.  1 found, 0 no such meeting, -1.
int  records_store_participant_list (records_store_t *self, const char *meeting,
                                     json_t **reply_p);

#endif

/*  calendar_store — the calendar worker's SQLite database.

    The one class of the calendar worker that owns the sqlite3 handle and
    every prepared statement; all of the worker's SQL lives in
    calendar_store.c.  It keeps what feeds are made of: meetings, sessions,
    registrations (who is registered to what, to choose a person's
    meetings, and where each stands: registered, which in records may be
    pending, approved, confirmed, rejected or withdrawn), hashed calendar
    tokens and the symbols of documents released under agenda items.  calendar_worker.c decides what an event means and
    calls these methods inside one transaction per batch.

    Methods return 0 on success and -1 on a storage failure (logged here).
    Look-ups return 1 when found, 0 when not, -1 on failure. */
#ifndef CALENDAR_STORE_H_INCLUDED
#define CALENDAR_STORE_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "calendar_render.h"
#include "pl_facet.h"
#include "pl_txn.h"

typedef struct _calendar_store_t calendar_store_t;

//  Which feed: the values of calendar.feed's kind.
typedef enum {
    CALENDAR_FEED_MEETING,
    CALENDAR_FEED_CONVENTION,
    CALENDAR_FEED_PARTICIPANT,
    CALENDAR_FEED_ALL,
    CALENDAR_FEED_KINDS
} calendar_feed_t;

//  Called for each event of a feed, in order; return 0 to go on, -1 to stop
//  (the store then returns -1).
typedef int (calendar_item_fn) (void *arg, const calendar_item_t *item);

//  Open (creating when needed) the database at PATH, whose folder must
//  exist, and migrate it.  NULL on failure (logged).
calendar_store_t *calendar_store_new (const char *path);

//  Close; NULL-safe, nulls *SELF_P.
void calendar_store_destroy (calendar_store_t **self_p);

//  The schema version this build migrates the database to (its user_version).
int calendar_store_version (void);

//  The batch transaction's statements (lib/pl_txn.h), which lib/pl_rules
//  runs; borrowed, valid until the store is destroyed.
pl_txn_t *calendar_store_txn (calendar_store_t *self);

//  Status of meeting ID into STATUS.  1, 0, -1.
int  calendar_store_meeting_status (calendar_store_t *self, const char *id,
                                    char *status, size_t size);
//  A meeting.scheduled EVENT at TIME_MS.  0 or -1.
int  calendar_store_meeting_insert (calendar_store_t *self, const json_t *event, int64_t time_ms);
//  A meeting.updated EVENT: the fields present change; SEQUENCE goes up
//  when BUMP (time, place or title changed), and its sessions' too when
//  BUMP_SESSIONS (zone or venue changed).  0 or -1.
int  calendar_store_meeting_update (calendar_store_t *self, const json_t *event, int bump,
                                    int bump_sessions, int64_t time_ms);
//  Whether meeting ID's field NAME (a column of meeting) differs from
//  VALUE.  1 differs, 0 same, -1.
int  calendar_store_meeting_differs (calendar_store_t *self, const char *id,
                                     const char *name, const char *value);
//  Set meeting ID's status.  CANCEL also cancels its sessions; both then
//  take SEQUENCE + 1.  0 or -1.
int  calendar_store_meeting_set_status (calendar_store_t *self, const char *id,
                                        const char *status, int cancel, int64_t time_ms);

//  Status of session ID of MEETING into STATUS.  1, 0, -1.
int  calendar_store_session_status (calendar_store_t *self, const char *meeting,
                                    const char *id, char *status, size_t size);
//  A session.scheduled EVENT.  0 or -1.
int  calendar_store_session_insert (calendar_store_t *self, const json_t *event, int64_t time_ms);
//  A session.moved EVENT: new times (and room when present), SEQUENCE + 1.
int  calendar_store_session_move (calendar_store_t *self, const json_t *event, int64_t time_ms);
//  Cancel session ID of MEETING, SEQUENCE + 1.  0 or -1.
int  calendar_store_session_cancel (calendar_store_t *self, const char *meeting,
                                    const char *id, int64_t time_ms);

//  A participant.registered EVENT as participant ID, registered.  0 or -1.
int  calendar_store_participant_insert (calendar_store_t *self, const char *id,
                                        const json_t *event, int64_t time_ms);
//  Status of participant ID of MEETING (MEETING NULL: any) into STATUS.  1, 0, -1.
int  calendar_store_participant_status (calendar_store_t *self, const char *id,
                                        const char *meeting, char *status, size_t size);
//  A participant.updated EVENT (names, delegation and e-mail matter here).
int  calendar_store_participant_update (calendar_store_t *self, const json_t *event,
                                        int64_t time_ms);
//  Participant ID is now STATUS (approved, confirmed, rejected or
//  withdrawn) since TIME_MS.  0 or -1.
int  calendar_store_participant_set_status (calendar_store_t *self, const char *id,
                                            const char *status, int64_t time_ms);
//  Whether the person of participant ID (the same registration, the same
//  names and delegation, or the same e-mail) holds a registration that is
//  neither withdrawn nor rejected, to any meeting.  1, 0 (none, or no such
//  participant), -1.
int  calendar_store_person_stands (calendar_store_t *self, const char *id);
//  Whether participant ID has a token.  1, 0, -1.
int  calendar_store_token_exists (calendar_store_t *self, const char *participant);
//  Read the mail key of data folder DATA (made when missing) so that the
//  private feed address plenary-notify mails each participant opens its
//  feed (calendar_store_mail.c); without it those addresses answer 404.
//  0 or -1.
int  calendar_store_mail_key (calendar_store_t *self, const char *data);
//  A replacing token revokes the address plenary-notify mailed PARTICIPANT.
int  calendar_store_mail_revoke (calendar_store_t *self, const char *participant);
//  Give PARTICIPANT the token whose hash is HASH, replacing any other.
int  calendar_store_token_set (calendar_store_t *self, const char *participant,
                               const char *hash, int64_t time_ms);
//  Remember that document SYMBOL (normalized) of family FAMILY was released
//  for MEETING under ITEM, and stands (is not withdrawn).
int  calendar_store_document (calendar_store_t *self, const char *symbol, const char *family,
                              const char *meeting, const char *item);
//  Mark document SYMBOL withdrawn (1: no feed shows it) or standing (0).
int  calendar_store_document_withdrawn (calendar_store_t *self, const char *symbol,
                                        int withdrawn);
//  The level in force of family BASE (pl_proto.h's PL_GENERAL..): 1 found
//  (*LEVEL), 0 none (*LEVEL general), -1.
int  calendar_store_family (calendar_store_t *self, const char *base, int *level);
//  Put LEVEL in force for family BASE.
int  calendar_store_family_set (calendar_store_t *self, const char *base, int level);

//  Walk the events of a feed (KIND, KEY) in order, calling FN.  Cancelled
//  events whose end is before CUTOFF (YYYY-MM-DD) are left out.  Fills
//  *MODIFIED_MS with the latest change that shaped the feed (including
//  registrations and the token, for a participant's feed), NAME with the
//  calendar's name and TZ with the zone of its first meeting ("UTC" when
//  none).  A participant's feed holds the meetings of the person's
//  registrations that are neither withdrawn nor rejected, their events
//  tentative while none of those is confirmed.  Returns 1, 0 when the key
//  names nothing (unknown meeting, convention or token), -1 on failure.
int  calendar_store_feed (calendar_store_t *self, calendar_feed_t kind, const char *key,
                          const char *cutoff, calendar_item_fn *fn, void *arg,
                          int64_t *modified_ms, char *name, size_t name_size,
                          char *tz, size_t tz_size);

//  The Last-Modified last served for feed KEY (an opaque string) with
//  ETAG: when ETAG is the one remembered, *MODIFIED_MS becomes the
//  remembered time; otherwise the feed changed and its time is at least
//  the remembered one plus a second, and is remembered with ETAG.  This is
//  what keeps Last-Modified from ever moving backwards.  0 or -1.
int  calendar_store_feed_state (calendar_store_t *self, const char *key, const char *etag,
                                int64_t *modified_ms);

//  The meeting ids on PARTICIPANT's schedule (the same person's
//  registrations, neither withdrawn nor rejected) as a new JSON array.  1 with *MEETINGS_P,
//  0 no such participant, -1.
int  calendar_store_schedule (calendar_store_t *self, const char *participant,
                              json_t **meetings_p);

//  Call ROW for every item of FACET (lib/pl_facet.h) the calendar holds,
//  of KEY only when not NULL, in key order.  0, or -1 on failure (logged).
int  calendar_store_facet_rows (calendar_store_t *self, const pl_facet_t *facet,
                                const char *key, pl_facet_row_fn *row, void *arg);

#endif

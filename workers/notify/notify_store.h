/*  notify_store — the notify worker's SQLite database: its views, its
    decisions and its outbox.

    The one class of the notify worker that owns a sqlite3 handle and every
    prepared statement; all of its SQL is in notify_store.c (views,
    subscriptions, addresses) and notify_store_outbox.c (outbox, notices,
    digest, relay, status).  Two objects of it work on one database: the
    worker's, which applies events (views and new messages, one transaction
    per batch with the cursor, pl_cursor), and the sender thread's, which
    moves messages through the outbox.  WAL lets each read while the
    other writes; writes take turns, and both keep them short, so that the
    worker's loop (which answers heartbeats) never waits long for the lock:
    the worker's batch looks up only by index (a registration's focal
    points, a meeting's recipients), the sender reads before it writes and
    never holds a transaction while it renders or waits on the network,
    and the sender's connection runs the checkpoints.  The busy timeout
    (pl_store) is the safety net, not the mechanism.

    It keeps:
      views        meetings and sessions with their SEQUENCE (pl_ical's
                   rule), participants with their status, e-mail, language
                   and focal point flag, States' status toward conventions,
                   credentials received, documents' distribution in force
                   and withdrawals: what records, the archive and the
                   calendar applied, as their events say
      decisions    subscriptions; addresses with the hash of their
                   unsubscribe token and whether they unsubscribed
      outbox       one row per message, unique by Message-ID (derived from
                   the event's seq, the kind and the recipient), with the
                   values its template takes; states queued, sent, failed,
                   suppressed (the address unsubscribed), replayed (an
                   event older than the database: recorded, never sent)
      notices      releases waiting for their subscriber's next message
      meta         created_ms (when the database was made: events logged
                   before it are replayed, not sent), the last digest

    Methods return 0 on success and -1 on a storage failure (logged here).
    Look-ups return 1 when found, 0 when not, -1 on failure. */
#ifndef NOTIFY_STORE_H_INCLUDED
#define NOTIFY_STORE_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <sqlite3.h>
#include "pl_facet.h"
#include "pl_txn.h"

typedef struct _notify_store_t notify_store_t;

//  Open (creating when needed) the database at PATH, whose folder must
//  exist, and migrate it.  NULL on failure (logged).
notify_store_t *notify_store_new (const char *path);

//  Close; NULL-safe, nulls *SELF_P.
void notify_store_destroy (notify_store_t **self_p);

//  A reader of STORE's database, for a query thread: the same queries over
//  a read-only connection of its own (pl_store_open_reader), which only
//  that thread uses.  NULL on failure (logged).  Destroy it as a store.
notify_store_t *notify_store_reader (notify_store_t *store);

//  The worker's store leaves checkpoints to the sender's: SELF's commits
//  never copy the WAL into the database file and fsync it (SQLite's
//  auto-checkpoint runs in the connection that commits, here the loop
//  that answers heartbeats).  0 or -1.
int notify_store_checkpoints_elsewhere (notify_store_t *self);

//  Copy what the WAL holds into the database file as far as no reader
//  still needs it (a passive checkpoint: it waits for no lock).  The
//  sender's thread, every tick.  0 or -1 (logged).
int notify_store_checkpoint (notify_store_t *self);

//  SELF's connection (borrowed): the worker engine holds a query's read
//  transaction on a reader's.
sqlite3 *notify_store_db (notify_store_t *self);

//  The schema version this build migrates the database to (its user_version).
int notify_store_version (void);

//  When the database was made (ms since the epoch).
int64_t notify_store_created_ms (notify_store_t *self);

//  A transaction of the sender's (the outbox), outside the batches.
int  notify_store_begin (notify_store_t *self);
int  notify_store_commit (notify_store_t *self);
void notify_store_rollback (notify_store_t *self);

//  The batch transaction's statements (lib/pl_txn.h, BEGIN IMMEDIATE),
//  which lib/pl_rules runs; borrowed, valid until the store is destroyed;
//  NULL for a reader.
pl_txn_t *notify_store_txn (notify_store_t *self);

//  --------------------------------------------------------------------------
//  Views (notify_store.c)

//  A meeting.scheduled EVENT.  0 or -1.
int  notify_store_meeting_insert (notify_store_t *self, const json_t *event);
//  Meeting ID as a JSON object of its columns (caller decrefs) into
//  *MEETING.  1, 0, -1.
int  notify_store_meeting (notify_store_t *self, const char *id, json_t **meeting);
//  Whether meeting ID's column NAME differs from VALUE.  1, 0, -1.
int  notify_store_meeting_differs (notify_store_t *self, const char *id, const char *name,
                                   const char *value);
//  A meeting.updated EVENT: the fields present change; SEQUENCE + BUMP,
//  its sessions' + BUMP_SESSIONS.  0 or -1.
int  notify_store_meeting_update (notify_store_t *self, const json_t *event, int bump,
                                  int bump_sessions);
//  Meeting ID is now STATUS; with BUMP its SEQUENCE and that of its
//  sessions not cancelled + 1, which CANCEL cancels.  0 or -1.
int  notify_store_meeting_status (notify_store_t *self, const char *id, const char *status,
                                  int bump, int cancel);

//  A session.scheduled EVENT.  0 or -1.
int  notify_store_session_insert (notify_store_t *self, const json_t *event);
//  Session ID of MEETING as a JSON object (caller decrefs).  1, 0, -1.
int  notify_store_session (notify_store_t *self, const char *meeting, const char *id,
                           json_t **session);
//  A session.moved EVENT: new times (and room), SEQUENCE + BUMP.  0 or -1.
int  notify_store_session_move (notify_store_t *self, const json_t *event, int bump);
//  Cancel session ID of MEETING, SEQUENCE + BUMP.  0 or -1.
int  notify_store_session_cancel (notify_store_t *self, const char *meeting, const char *id,
                                  int bump);

//  A participant.registered EVENT as participant ID, registered.  0 or -1.
int  notify_store_participant_insert (notify_store_t *self, const char *id, const json_t *event);
//  Participant ID of MEETING (NULL: any) as a JSON object (caller decrefs).
int  notify_store_participant (notify_store_t *self, const char *id, const char *meeting,
                               json_t **participant);
//  A participant.updated EVENT.  0 or -1.
int  notify_store_participant_update (notify_store_t *self, const json_t *event);
//  Participant ID is now STATUS.  0 or -1.
int  notify_store_participant_status (notify_store_t *self, const char *id, const char *status);
//  The participants of MEETING, in seq order, each as a JSON object of its
//  columns, into a new array (caller decrefs): with FOCAL_OF a delegation
//  code, its focal points whose registration stands; else every
//  participant whose registration stands and has an e-mail address.
int  notify_store_participants (notify_store_t *self, const char *meeting,
                                const char *focal_of, json_t **list);
//  A participant.token.issued of PARTICIPANT: one that REPLACEs revokes
//  the feed address mailed to it (the calendar stops taking it too).
int  notify_store_token_issued (notify_store_t *self, const char *participant, int replace);

//  A delegation.declared: CODE's STATUS toward CONVENTION.  0 or -1.
int  notify_store_delegation (notify_store_t *self, const char *convention, const char *code,
                              const char *status);
//  A credentials.submitted by DELEGATION to MEETING.  0 or -1.
int  notify_store_credentials (notify_store_t *self, const char *meeting,
                               const char *delegation);

//  The distribution level in force of family BASE into *LEVEL (general
//  when none).  1 found, 0 not, -1.
int  notify_store_family (notify_store_t *self, const char *base, int *level);
int  notify_store_family_set (notify_store_t *self, const char *base, int level);
//  Document SYMBOL in LANGUAGE ("*": every language) is WITHDRAWN (1) or
//  stands again (0: a release, which also ends a withdrawal of the whole).
int  notify_store_document_withdrawn (notify_store_t *self, const char *symbol,
                                      const char *language, int withdrawn);

//  plenary check: call ROW for every item of FACET (lib/pl_facet.h) this
//  view holds, only KEY's when not NULL, in key order (pl_facet_rows_fn).
//  0, or -1 (logged).
int  notify_store_facet_rows (notify_store_t *self, const pl_facet_t *facet, const char *key,
                              pl_facet_row_fn *row, void *arg);

//  --------------------------------------------------------------------------
//  Decisions (notify_store.c)

//  Note that the notify worker writes to ADDRESS (an address key,
//  pl_mailkey_address) at EMAIL, whose unsubscribe token hashes to HASH.
int  notify_store_address (notify_store_t *self, const char *address, const char *email,
                           const char *hash);
//  The address whose unsubscribe token hashes to HASH into BUF.  1, 0, -1.
int  notify_store_address_by_token (notify_store_t *self, const char *hash,
                                    char *buf, size_t size);
//  ADDRESS unsubscribed at SEQ (0: subscribed again).  0 or -1.
int  notify_store_unsubscribe (notify_store_t *self, const char *address, uint64_t seq);
//  Whether ADDRESS unsubscribed.  1, 0, -1.
int  notify_store_unsubscribed (notify_store_t *self, const char *address);

//  Whether ADDRESS follows MEETING or CONVENTION in LANGUAGE (NULL: every
//  language), or in every language.  1, 0, -1.
int  notify_store_subscribed (notify_store_t *self, const char *address, const char *meeting,
                              const char *convention, const char *language);
//  A subscription of ADDRESS at EMAIL.  ROLE: what it may read.  0 or -1.
int  notify_store_subscribe (notify_store_t *self, const char *address, const char *email,
                             const char *meeting, const char *convention,
                             const char *language, const char *role);
//  End the subscriptions of ADDRESS that match (NULL: any); *REMOVED how
//  many.  0 or -1.
int  notify_store_unsubscribe_matching (notify_store_t *self, const char *address,
                                        const char *meeting, const char *convention,
                                        const char *language, int *removed);

//  --------------------------------------------------------------------------
//  Outbox, notices, digest, relay, status (notify_store_outbox.c)

//  The state a new message takes.
typedef enum {
    NOTIFY_QUEUED,
    NOTIFY_REPLAYED                 //  an event older than the database: never sent
} notify_new_state_t;

//  Add a message (INSERT OR IGNORE by MESSAGE_ID: a redelivery or a replay
//  adds nothing).  PARAMS is borrowed.  0 or -1.
int  notify_store_outbox_add (notify_store_t *self, const char *message_id, uint64_t seq,
                              const char *kind, const char *recipient, const char *address,
                              const char *language, const json_t *params,
                              notify_new_state_t state, int64_t now_ms);

//  The queued message due first (next_ms <= NOW_MS) into *MESSAGE, an
//  object (caller decrefs) with id, message_id, seq, kind, recipient,
//  address, language, params (the template's values and _itip, _feed, as
//  JSON text) and attempts.  1, 0, -1.
int  notify_store_outbox_next (notify_store_t *self, int64_t now_ms, json_t **message);
//  When the next queued message is due (INT64_MAX when none).  0 or -1.
int  notify_store_outbox_due_ms (notify_store_t *self, int64_t *due_ms);
//  Message ID: sent; to be sent again at NEXT_MS (ERROR, ATTEMPTS); failed
//  for good (ERROR); suppressed (its address unsubscribed).
int  notify_store_outbox_sent (notify_store_t *self, int64_t id, int64_t now_ms);
int  notify_store_outbox_retry (notify_store_t *self, int64_t id, int attempts,
                                int64_t next_ms, const char *error);
int  notify_store_outbox_failed (notify_store_t *self, int64_t id, int64_t now_ms,
                                 const char *error);
int  notify_store_outbox_suppressed (notify_store_t *self, int64_t id, int64_t now_ms);

//  Note release SEQ (SYMBOL of family BASE, LANGUAGE, TITLE, MEETING,
//  CONVENTION) for every subscription that follows it and whose address
//  has not unsubscribed.  0 or -1.
int  notify_store_notices_add (notify_store_t *self, uint64_t seq, const char *symbol,
                               const char *base, const char *language, const char *title,
                               const char *meeting, const char *convention, int64_t now_ms);
//  Drop the notices of ADDRESS not yet written.  0 or -1.
int  notify_store_notices_drop (notify_store_t *self, const char *address);
//  Called for each address whose oldest notice not yet written is at least
//  as old as CUTOFF_MS; return 0 to go on.
typedef int (notify_address_fn) (void *arg, const char *address);
int  notify_store_notices_due (notify_store_t *self, int64_t cutoff_ms,
                               notify_address_fn *fn, void *arg);
//  Write the notices of ADDRESS into one message (FROM names the sender's
//  domain for its Message-ID), listing each release the subscription's
//  role may read now (distribution in force, not withdrawn) with a link
//  under PUBLIC_URL; none left: no message.  One transaction.  0 or -1.
int  notify_store_notices_batch (notify_store_t *self, const char *address, const char *from,
                                 const char *public_url, int64_t now_ms);

//  Meta values.  1, 0, -1 / 0, -1.
int  notify_store_meta (notify_store_t *self, const char *key, char *buf, size_t size);
int  notify_store_meta_set (notify_store_t *self, const char *key, const char *value);
//  The secretariat's digest of DATE (YYYY-MM-DD): registrations waiting
//  for confirmation to meetings not yet over, and States Parties with a
//  registration to a formal meeting not yet begun that submitted no
//  credentials, as text lines with their counts into VALUES.  0 or -1.
int  notify_store_digest (notify_store_t *self, const char *date, json_t *values);

//  The relay's state for notify.status: "up", "down" (ERROR, RETRY_MS).
int  notify_store_relay_set (notify_store_t *self, const char *state, const char *error,
                             int64_t retry_ms);
//  The notify.status reply with the latest FAILURES failures, for RELAY
//  (the relay's public URL), into *REPLY (caller decrefs).  0 or -1.
int  notify_store_status (notify_store_t *self, const char *relay, int failures,
                          int64_t now_ms, json_t **reply);

#endif

/*  notify_worker — the notify worker's view, its own decisions, and the
    messages each event means (see notify_worker.h).

    s_events maps each topic to its handler; s_queries each query; lib/
    pl_rules runs them, as in every worker: a batch is one transaction with
    a savepoint per event, a rejection rolls back only its event, a
    redelivery gets its first verdict.

    What it follows, and what it decides (docs/ARCHITECTURE.md, "Who
    decides what"):
    - Meetings, sessions, participants, delegations and credentials are
      records' facts, documents the archive's, private feed tokens the
      calendar's.  It applies what they applied and repeats none of their
      rules.  Of a registration it keeps where it stands as the
      participant.* events say, and of a delegation's focal points those
      flagged focal_point whose registration stands: the people it writes
      to.  Whether a focal point's approval is possible yet (an observer
      delegation waits for its admission first) is records' to decide; the
      message to the focal point says that records will tell them.
    - SEQUENCE follows lib/pl_ical's rule, the calendar feed's, so an iTIP
      message names a session as the feed does.
    - It decides alone the subscriptions and the one-click
      unsubscriptions: the rules of subscription.added, subscription.removed
      and mail.unsubscribed in the schema.
    - When its view lacks what an authority had to create first (a session
      of a meeting it does not hold), the view disagrees: logged as an
      error, the event refused with a reason saying so.

    Messages: a registration tells the participant (received, or pending
    when the delegation has a focal point) and each focal point of its
    delegation; approval, confirmation, rejection and withdrawal tell the
    participant; a session moved or cancelled sends an iTIP REQUEST or
    CANCEL to every participant of the meeting whose registration stands; a
    release becomes a notice for each subscriber that follows it, written
    into one message per interval by the sender.  Recipients are those with
    an e-mail address; the values of a message name only the recipient's
    own registration and meeting, never another person's address. */
#include "notify_worker_internal.h"
#include "notify_mime.h"
#include "notify_smtp.h"
#include "pl_ical.h"
#include "pl_log.h"
#include "pl_proto.h"
#include "pl_symbol.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const char *
s_field (const json_t *object, const char *name)
{
    return json_string_value (json_object_get (object, name));
}

notify_worker_t *
notify_worker_new (notify_store_t *store, const notify_config_t *config,
                   const uint8_t key [PL_MAILKEY_BYTES], void (*wake) (void *arg), void *arg)
{
    notify_worker_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->store = store;
    self->config = *config;
    memcpy (self->key, key, PL_MAILKEY_BYTES);
    self->wake = wake;
    self->wake_arg = arg;
    return self;
}

void
notify_worker_destroy (notify_worker_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    memset ((*self_p)->key, 0, PL_MAILKEY_BYTES);
    free (*self_p);
    *self_p = NULL;
}

notify_store_t *
notify_worker_store (notify_worker_t *self)
{
    return self ? self->store : NULL;
}

//  --------------------------------------------------------------------------
//  Helpers

notify_outcome_t
notify_disagrees (const pl_delivery_t *event, const char *leader, char *reason,
             size_t reason_size, const char *format, ...)
{
    char what [PL_REASON_MAX];
    va_list args;
    va_start (args, format);
    vsnprintf (what, sizeof what, format, args);
    va_end (args);
    snprintf (reason, reason_size, "the notify worker's view disagrees with %s: %s", leader,
              what);
    pl_error ("notify: view disagrees with %s seq=%" PRIu64 " topic=%s event_id=%s: %s", leader,
              event->seq, event->topic, event->event_id, what);
    return NOTIFY_REJECTED;
}

int
notify_address (notify_worker_t *self, const char *email, char *address, size_t size)
{
    char token [PL_MAILKEY_HEX], hash [PL_MAILKEY_HEX];
    if (pl_mailkey_address (email, address, size))
        return -1;
    pl_mailkey_token (self->key, "unsubscribe", address, token);
    pl_mailkey_hash (token, hash);
    return notify_store_address (self->store, address, email, hash);
}

int
notify_replayed (notify_worker_t *self, const pl_delivery_t *event)
{
    return event->attempt == 0
        || event->time_ms < notify_store_created_ms (self->store) - self->config.replay_grace_ms;
}

//  Write the message of KIND for EVENT to RECIPIENT in LANGUAGE with VALUES
//  (taken).  An event replayed (s_replayed) is recorded, never sent.
static int
s_message (notify_worker_t *self, const pl_delivery_t *event, const char *kind,
           const char *recipient, const char *language, json_t *values)
{
    char address [NOTIFY_ADDRESS_MAX], id [320], seq [24];
    int rc = -1;
    if (!recipient) {
        rc = 0;                 //  nobody to tell: no address given
        goto done;
    }
    if (!values)
        goto done;
    snprintf (seq, sizeof seq, "%" PRIu64, event->seq);
    notify_mime_message_id (id, sizeof id, seq, kind, recipient, self->config.from);
    int replayed = notify_replayed (self, event);
    if (notify_address (self, recipient, address, sizeof address) == 0)
        rc = notify_store_outbox_add (self->store, id, event->seq, kind, recipient, address,
                                      language ? language : "en", values,
                                      replayed ? NOTIFY_REPLAYED : NOTIFY_QUEUED,
                                      pl_time_ms ());
    self->queued += rc == 0 && !replayed;
done:
    json_decref (values);
    return rc;
}

//  A person's name as written to them: title, given names, family name.
static void
s_name (const json_t *person, char *buf, size_t size)
{
    const char *title = s_field (person, "title"), *given = s_field (person, "given_name");
    snprintf (buf, size, "%s%s%s%s%s", title ? title : "", title ? " " : "",
              given ? given : "", given ? " " : "", s_field (person, "family_name"));
}

//  The values of a message about PARTICIPANT's registration to MEETING.
static json_t *
s_registration (const json_t *participant, const json_t *meeting, const char *reason)
{
    char name [512];
    s_name (participant, name, sizeof name);
    json_t *values = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name", name,
                                "participant", s_field (participant, "id"),
                                "meeting", s_field (meeting, "id"),
                                "meeting_title", s_field (meeting, "title"),
                                "venue", s_field (meeting, "venue"),
                                "start", s_field (meeting, "start"),
                                "end", s_field (meeting, "end"),
                                "delegation", s_field (participant, "delegation"));
    if (values && reason)
        json_object_set_new (values, "reason", json_string (reason));
    return values;
}

//  Participant ID of MEETING and its meeting, which must be in the view
//  as records applied EVENT after registering it: 1, 0 (refused), -1.
static int
s_need_participant (notify_worker_t *self, const pl_delivery_t *event, json_t **participant,
                    json_t **meeting, char *reason, size_t reason_size)
{
    const char *id = s_field (event->payload, "participant");
    const char *meeting_id = s_field (event->payload, "meeting");
    *meeting = NULL;
    int found = notify_store_participant (self->store, id, meeting_id, participant);
    if (found == 1)
        found = notify_store_meeting (self->store, meeting_id, meeting);
    if (found == 0)
        notify_disagrees (event, "records", reason, reason_size,
                     "it has no participant %s of meeting %s", id, meeting_id);
    return found;
}

//  --------------------------------------------------------------------------
//  Meetings and sessions

static notify_outcome_t
s_meeting_scheduled (void *self_, const pl_delivery_t *event,
                     char *reason, size_t reason_size)
{
    notify_worker_t *self = self_;
    json_t *meeting = NULL;
    const char *id = s_field (event->payload, "id");
    int found = notify_store_meeting (self->store, id, &meeting);
    json_decref (meeting);
    if (found)
        return found < 0 ? NOTIFY_FAILED
             : notify_disagrees (event, "records", reason, reason_size, "it already has meeting %s",
                            id);
    return notify_store_meeting_insert (self->store, event->payload) ? NOTIFY_FAILED : NOTIFY_APPLIED;
}

static notify_outcome_t
s_meeting_updated (void *self_, const pl_delivery_t *event,
                   char *reason, size_t reason_size)
{
    notify_worker_t *self = self_;
    static const char *const fields [] = { "title", "start", "end", "venue", "tz" };
    const char *id = s_field (event->payload, "id");
    int bump = 0, bump_sessions = 0;
    for (size_t i = 0; i < sizeof fields / sizeof fields [0]; i++) {
        const char *value = s_field (event->payload, fields [i]);
        int differs = value ? notify_store_meeting_differs (self->store, id, fields [i], value)
                            : 0;
        if (differs < 0)
            return NOTIFY_FAILED;
        unsigned rule = differs ? pl_ical_sequence_rule (event->topic, fields [i]) : 0;
        bump |= (rule & PL_ICAL_BUMP_MEETING) != 0;
        bump_sessions |= (rule & PL_ICAL_BUMP_SESSIONS) != 0;
    }
    json_t *meeting = NULL;
    int found = notify_store_meeting (self->store, id, &meeting);
    json_decref (meeting);
    if (found <= 0)
        return found < 0 ? NOTIFY_FAILED
             : notify_disagrees (event, "records", reason, reason_size, "it has no meeting %s", id);
    return notify_store_meeting_update (self->store, event->payload, bump, bump_sessions)
         ? NOTIFY_FAILED : NOTIFY_APPLIED;
}

//  meeting.cancelled and meeting.closed
static notify_outcome_t
s_meeting_ended (void *self_, const pl_delivery_t *event,
                 char *reason, size_t reason_size)
{
    notify_worker_t *self = self_;
    const char *id = s_field (event->payload, "id");
    int cancel = strcmp (event->topic, "meeting.cancelled") == 0;
    json_t *meeting = NULL;
    int found = notify_store_meeting (self->store, id, &meeting);
    json_decref (meeting);
    if (found <= 0)
        return found < 0 ? NOTIFY_FAILED
             : notify_disagrees (event, "records", reason, reason_size, "it has no meeting %s", id);
    int bump = pl_ical_sequence_rule (event->topic, NULL) != PL_ICAL_BUMP_NONE;
    return notify_store_meeting_status (self->store, id, cancel ? "cancelled" : "closed", bump,
                                        cancel) ? NOTIFY_FAILED : NOTIFY_APPLIED;
}

static notify_outcome_t
s_session_scheduled (void *self_, const pl_delivery_t *event,
                     char *reason, size_t reason_size)
{
    notify_worker_t *self = self_;
    const char *meeting_id = s_field (event->payload, "meeting");
    json_t *meeting = NULL;
    int found = notify_store_meeting (self->store, meeting_id, &meeting);
    json_decref (meeting);
    if (found <= 0)
        return found < 0 ? NOTIFY_FAILED
             : notify_disagrees (event, "records", reason, reason_size, "it has no meeting %s",
                            meeting_id);
    return notify_store_session_insert (self->store, event->payload) ? NOTIFY_FAILED : NOTIFY_APPLIED;
}

//  session.moved and session.cancelled: the view moves SEQUENCE by the
//  shared rule, and every participant of the meeting whose registration
//  stands gets the iTIP message of the change.
static notify_outcome_t
s_session_changed (void *self_, const pl_delivery_t *event,
                   char *reason, size_t reason_size)
{
    notify_worker_t *self = self_;
    const json_t *payload = event->payload;
    const char *meeting_id = s_field (payload, "meeting"), *id = s_field (payload, "id");
    int moved = strcmp (event->topic, "session.moved") == 0;
    int bump = (pl_ical_sequence_rule (event->topic, NULL) & PL_ICAL_BUMP_SESSION) != 0;
    json_t *session = NULL, *meeting = NULL, *people = NULL;
    notify_outcome_t outcome = NOTIFY_FAILED;
    int found = notify_store_session (self->store, meeting_id, id, &session);
    json_decref (session);
    session = NULL;
    if (found == 0)
        return notify_disagrees (event, "records", reason, reason_size,
                            "it has no session %s of meeting %s", id, meeting_id);
    if (found < 0
    ||  (moved ? notify_store_session_move (self->store, payload, bump)
               : notify_store_session_cancel (self->store, meeting_id, id, bump))
    ||  notify_store_session (self->store, meeting_id, id, &session) != 1
    ||  notify_store_meeting (self->store, meeting_id, &meeting) != 1
    ||  notify_store_participants (self->store, meeting_id, NULL, &people))
        goto done;
    json_t *itip = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}",
                              "method", moved ? "REQUEST" : "CANCEL", "meeting", meeting_id,
                              "session", id, "title", s_field (session, "title"),
                              "meeting_title", s_field (meeting, "title"),
                              "venue", s_field (meeting, "venue"), "tz", s_field (meeting, "tz"),
                              "start", s_field (session, "start"),
                              "end", s_field (session, "end"),
                              "sequence", json_integer_value (json_object_get (session, "sequence")),
                              "stamp_ms", (json_int_t) event->time_ms);
    if (itip && s_field (session, "room"))
        json_object_set (itip, "room", json_object_get (session, "room"));
    size_t index;
    json_t *person;
    outcome = itip ? NOTIFY_APPLIED : NOTIFY_FAILED;
    json_array_foreach (people, index, person) {
        char name [512];
        s_name (person, name, sizeof name);
        json_t *values = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:O}",
                                    "name", name, "meeting", meeting_id,
                                    "meeting_title", s_field (meeting, "title"),
                                    "session", id, "session_title", s_field (session, "title"),
                                    "start", s_field (session, "start"),
                                    "end", s_field (session, "end"),
                                    "tz", s_field (meeting, "tz"),
                                    "venue", s_field (meeting, "venue"), "_itip", itip);
        if (values && s_field (session, "room"))
            json_object_set (values, "room", json_object_get (session, "room"));
        if (values && s_field (payload, "reason"))
            json_object_set (values, "reason", json_object_get (payload, "reason"));
        if (outcome == NOTIFY_APPLIED
        &&  s_message (self, event, moved ? "session-moved" : "session-cancelled",
                       s_field (person, "email"), s_field (person, "language"), values))
            outcome = NOTIFY_FAILED;
        else
        if (outcome != NOTIFY_APPLIED)
            json_decref (values);
    }
    json_decref (itip);
done:
    json_decref (session);
    json_decref (meeting);
    json_decref (people);
    return outcome;
}

//  --------------------------------------------------------------------------
//  Participants

static notify_outcome_t
s_participant_registered (void *self_, const pl_delivery_t *event,
                          char *reason, size_t reason_size)
{
    notify_worker_t *self = self_;
    const json_t *payload = event->payload;
    const char *meeting_id = s_field (payload, "meeting");
    json_t *meeting = NULL, *participant = NULL, *focal = NULL;
    int found = notify_store_meeting (self->store, meeting_id, &meeting);
    if (found <= 0)
        return found < 0 ? NOTIFY_FAILED
             : notify_disagrees (event, "records", reason, reason_size, "it has no meeting %s",
                            meeting_id);
    //  The id the records worker gives too: "p" and the event's seq
    char id [32];
    snprintf (id, sizeof id, "p%" PRIu64, event->seq);
    notify_outcome_t outcome = NOTIFY_FAILED;
    if (notify_store_participant_insert (self->store, id, payload)
    ||  notify_store_participant (self->store, id, NULL, &participant) != 1
    ||  notify_store_participants (self->store, meeting_id, s_field (payload, "delegation"),
                                   &focal))
        goto done;
    //  Its focal points, itself aside: the first level of approval is theirs
    json_t *points = json_array ();
    size_t index;
    json_t *point;
    json_array_foreach (focal, index, point)
        if (strcmp (s_field (point, "id"), id))
            json_array_append (points, point);
    json_decref (focal);
    focal = points;
    //  A focal point's own registration waits for nobody's approval
    if (json_integer_value (json_object_get (participant, "focal_point")))
        json_array_clear (focal);
    int waits = json_array_size (focal) > 0;
    json_t *values = s_registration (participant, meeting, NULL);
    if (values) {
        json_object_set_new (values, "_feed", json_string (id));
        if (waits) {
            char name [512];
            s_name (json_array_get (focal, 0), name, sizeof name);
            json_object_set_new (values, "focal_point_name", json_string (name));
        }
    }
    outcome = s_message (self, event, waits ? "registration-pending" : "registration-received",
                         s_field (participant, "email"), s_field (participant, "language"),
                         values) ? NOTIFY_FAILED : NOTIFY_APPLIED;
    char registrant [512];
    s_name (participant, registrant, sizeof registrant);
    json_array_foreach (focal, index, point) {
        if (outcome != NOTIFY_APPLIED)
            break;
        char name [512];
        s_name (point, name, sizeof name);
        json_t *request = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name", name,
                                     "focal_point", s_field (point, "id"), "participant", id,
                                     "registrant_name", registrant,
                                     "meeting", meeting_id,
                                     "meeting_title", s_field (meeting, "title"),
                                     "delegation", s_field (participant, "delegation"));
        if (request && s_field (participant, "function"))
            json_object_set (request, "registrant_function",
                             json_object_get (participant, "function"));
        if (s_message (self, event, "focal-point-approval", s_field (point, "email"),
                       s_field (point, "language"), request))
            outcome = NOTIFY_FAILED;
    }
done:
    json_decref (meeting);
    json_decref (participant);
    json_decref (focal);
    return outcome;
}

static notify_outcome_t
s_participant_updated (void *self_, const pl_delivery_t *event,
                       char *reason, size_t reason_size)
{
    notify_worker_t *self = self_;
    json_t *participant = NULL, *meeting = NULL;
    int found = s_need_participant (self, event, &participant, &meeting, reason, reason_size);
    json_decref (participant);
    json_decref (meeting);
    if (found <= 0)
        return found < 0 ? NOTIFY_FAILED : NOTIFY_REJECTED;
    return notify_store_participant_update (self->store, event->payload) ? NOTIFY_FAILED : NOTIFY_APPLIED;
}

//  The participant of EVENT is now STATUS, as records decided; it is told
//  with a message of KIND (the reason given when WITH_REASON), and the
//  address of its private feed while its registration stands (FEED).
static notify_outcome_t
s_participant_status (notify_worker_t *self, const pl_delivery_t *event, const char *status,
                      const char *kind, int feed, char *reason, size_t reason_size)
{
    json_t *participant = NULL, *meeting = NULL;
    int found = s_need_participant (self, event, &participant, &meeting, reason, reason_size);
    notify_outcome_t outcome = found < 0 ? NOTIFY_FAILED : NOTIFY_REJECTED;
    const char *id = s_field (event->payload, "participant");
    if (found == 1 && notify_store_participant_status (self->store, id, status) == 0) {
        json_t *values = s_registration (participant, meeting, s_field (event->payload, "reason"));
        if (values && feed)
            json_object_set_new (values, "_feed", json_string (id));
        outcome = s_message (self, event, kind, s_field (participant, "email"),
                             s_field (participant, "language"), values) ? NOTIFY_FAILED : NOTIFY_APPLIED;
    }
    else
    if (found == 1)
        outcome = NOTIFY_FAILED;
    json_decref (participant);
    json_decref (meeting);
    return outcome;
}

static notify_outcome_t
s_participant_approved (void *self, const pl_delivery_t *event, char *r, size_t n)
{
    return s_participant_status (self, event, "approved", "registration-approved", 1, r, n);
}

static notify_outcome_t
s_participant_confirmed (void *self, const pl_delivery_t *event, char *r, size_t n)
{
    return s_participant_status (self, event, "confirmed", "registration-confirmed", 1, r, n);
}

static notify_outcome_t
s_participant_rejected (void *self, const pl_delivery_t *event, char *r, size_t n)
{
    return s_participant_status (self, event, "rejected", "registration-rejected", 0, r, n);
}

static notify_outcome_t
s_participant_withdrawn (void *self, const pl_delivery_t *event, char *r, size_t n)
{
    return s_participant_status (self, event, "withdrawn", "registration-withdrawn", 0, r, n);
}

//  The calendar decided a token: a replacing one revokes the mailed address
static notify_outcome_t
s_token_issued (void *self_, const pl_delivery_t *event, char *r, size_t n)
{
    notify_worker_t *self = self_;
    return notify_store_token_issued (self->store, s_field (event->payload, "participant"),
                                      json_is_true (json_object_get (event->payload, "replace")))
         ? NOTIFY_FAILED : NOTIFY_APPLIED;
}

static notify_outcome_t
s_delegation_declared (void *self_, const pl_delivery_t *event, char *r, size_t n)
{
    notify_worker_t *self = self_;
    const json_t *payload = event->payload;
    return notify_store_delegation (self->store, s_field (payload, "convention"),
                                    s_field (payload, "code"), s_field (payload, "status"))
         ? NOTIFY_FAILED : NOTIFY_APPLIED;
}

static notify_outcome_t
s_credentials_submitted (void *self_, const pl_delivery_t *event, char *r, size_t n)
{
    notify_worker_t *self = self_;
    return notify_store_credentials (self->store, s_field (event->payload, "meeting"),
                                     s_field (event->payload, "delegation"))
         ? NOTIFY_FAILED : NOTIFY_APPLIED;
}

static const pl_event_rule_t s_events [] = {
    { "meeting.scheduled",        s_meeting_scheduled, 0 },
    { "meeting.updated",          s_meeting_updated, 0 },
    { "meeting.cancelled",        s_meeting_ended, 0 },
    { "meeting.closed",           s_meeting_ended, 0 },
    { "session.scheduled",        s_session_scheduled, 0 },
    { "session.moved",            s_session_changed, 0 },
    { "session.cancelled",        s_session_changed, 0 },
    { "participant.registered",   s_participant_registered, 0 },
    { "participant.updated",      s_participant_updated, 0 },
    { "participant.withdrawn",    s_participant_withdrawn, 0 },
    { "participant.approved",     s_participant_approved, 0 },
    { "participant.confirmed",    s_participant_confirmed, 0 },
    { "participant.rejected",     s_participant_rejected, 0 },
    { "participant.token.issued", s_token_issued, 0 },
    { "delegation.declared",      s_delegation_declared, 0 },
    { "credentials.submitted",    s_credentials_submitted, 0 },
    { "document.released",        notify_document_released, 0 },
    { "document.declassified",    notify_document_declassified, 0 },
    { "document.withdrawn",       notify_document_withdrawn, 0 },
    { "subscription.added",       notify_subscription_added, 0 },
    { "subscription.removed",     notify_subscription_removed, 0 },
    { "mail.unsubscribed",        notify_mail_unsubscribed, 0 },
};
//  pl_facet_rows_fn over the store
static int
s_facet_rows (void *store, const pl_facet_t *facet, const char *key,
              pl_facet_row_fn *row, void *arg)
{
    return notify_store_facet_rows (store, facet, key, row, arg);
}

//  notify.digest: this view's side of plenary check (lib/pl_facet.h); the
//  secretariat's only (digests made from personal data)
static json_t *
s_digest (void *self_, const json_t *args, const char *role, int *status, char *err,
          size_t errsize)
{
    notify_worker_t *self = self_;
    return pl_facet_query (NOTIFY_GROUP, s_facet_rows, self->store, args, status, err, errsize);
}

//  notify.status: the secretariat's only (it names the addresses that failed)
static json_t *
s_status (void *self_, const json_t *args, const char *role, int *status, char *err,
          size_t errsize)
{
    notify_worker_t *self = self_;
    const json_t *failures = json_object_get (args, "failures");
    char relay [512];
    notify_smtp_url_public (self->config.smtp, relay, sizeof relay);
    json_t *reply = NULL;
    if (notify_store_status (self->store, relay,
                             failures ? (int) json_integer_value (failures) : 20,
                             pl_time_ms (), &reply)) {
        *status = 500;
        snprintf (err, errsize, "notify: storage failure reading the outbox");
    }
    return reply;
}

static const pl_query_rule_t s_queries [] = {
    { "notify.status", 3, s_status, NULL },
    { "notify.digest", 3, s_digest, NULL },
};

//  pl_rules_t.txn
static pl_txn_t *
s_txn (void *self)
{
    return notify_store_txn (((notify_worker_t *) self)->store);
}

//  pl_rules_t.on_txn: a batch counts the messages it queues from its BEGIN
static void
s_on_txn (void *self, pl_txn_op_t op)
{
    if (op == PL_TXN_BEGIN)
        ((notify_worker_t *) self)->queued = 0;
}

//  pl_rules_t.committed: the sender is woken for what the batch queued
static void
s_committed (void *self_, int applied)
{
    notify_worker_t *self = self_;
    if (self->queued && self->wake)
        self->wake (self->wake_arg);
}

static const pl_rules_t s_rules = {
    "notify", s_events, sizeof s_events / sizeof s_events [0],
    s_queries, sizeof s_queries / sizeof s_queries [0],
    .txn = s_txn, .on_txn = s_on_txn, .committed = s_committed
};

static int
s_apply (void *self, const pl_delivery_t *events, size_t count, pl_verdict_t *verdicts)
{
    return pl_rules_apply (&s_rules, self, events, count, verdicts);
}

static json_t *
s_query (void *self, const char *name, const json_t *args, const char *role,
         int *status, char *err, size_t errsize)
{
    return pl_rules_query (&s_rules, self, name, args, role, status, err, errsize);
}

static uint64_t
s_cursor (void *self)
{
    return pl_rules_cursor (&s_rules, self);
}

//  pl_worker_handler_t.reader_open: notify.status runs on a query thread,
//  on a worker of its own over a reader of the store
static void *
s_reader_open (void *self_)
{
    notify_worker_t *self = self_;
    notify_store_t *store = notify_store_reader (self->store);
    notify_worker_t *reader = store ? notify_worker_new (store, &self->config, self->key,
                                                         NULL, NULL) : NULL;
    if (!reader)
        notify_store_destroy (&store);
    return reader;
}

static void
s_reader_close (void *reader_)
{
    notify_worker_t *reader = reader_;
    notify_store_t *store = reader->store;
    notify_worker_destroy (&reader);
    notify_store_destroy (&store);
}

static sqlite3 *
s_reader_db (void *reader)
{
    return notify_store_db (((notify_worker_t *) reader)->store);
}

const pl_worker_handler_t *
notify_worker_handler (void)
{
    static const pl_worker_handler_t handler = {
        .apply = s_apply, .query = s_query, .cursor = s_cursor,
        .reader_open = s_reader_open, .reader_close = s_reader_close, .reader_db = s_reader_db
    };
    return &handler;
}

int
notify_worker_topics (char *buf, size_t size)
{
    return pl_rules_topics (&s_rules, buf, size);
}

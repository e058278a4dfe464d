/*  calendar_worker — the calendar worker's view, its own rules, its queries
    and its feed cache.

    s_events maps each topic to its handler; s_queries each query; lib/
    pl_rules runs them, as in every worker: a batch is one transaction with
    a savepoint per event, a rejection rolls back only its event, a
    redelivery gets its first verdict.

    What the calendar follows, and what it decides (docs/ARCHITECTURE.md,
    "Who decides what"):
    - Meetings, sessions and registrations are records' facts.  The calendar
      follows records' verdicts on meeting.*, session.* and participant.*
      (CALENDAR_FOLLOWS): the broker gives it an event only after records
      applied it, in log order, and answers "skipped" for it otherwise.  So
      it repeats none of records' rules (dates, statuses, duplicates,
      registration closed...): it applies what records applied.  Of a
      registration it keeps where it stands as the participant.* events
      say (registered, approved, confirmed, rejected, withdrawn); it does
      not tell a pending registration from a registered one, which takes
      records' rules on delegations.
    - A private feed shows the meetings the token's person holds a
      registration to that is neither withdrawn nor rejected; while none
      of those is confirmed (pending, registered or approved: a pending
      delegate usually travels), the meeting's events are STATUS:TENTATIVE.
    - Documents are the archive's: it sees a document.released,
      document.declassified or document.withdrawn only when the archive
      applied it, and notes the symbols released under agenda items of a
      meeting; a feed, which anyone may read, shows only those the public
      may see (the distribution in force of their family general, the
      document not withdrawn).
    - It decides alone: private feed tokens (participant.token.issued, which
      records does not take: the hash's form, a participant whose person
      holds a registration neither withdrawn nor rejected, one token per
      participant unless the new one replaces it), and
      whether it can render a meeting's time zone (libical must have a
      definition of it; a meeting whose zone it cannot render is refused,
      and the reason says so).
    - When its view lacks something records had to create first (a session
      whose meeting is not in the view) or already holds what records
      says is new, the view disagrees with records.  That is an
      inconsistency, not a rule: it is logged as an error and the event is
      refused with a reason saying so, for `plenary check` to find.

    SEQUENCE rises when what a calendar app shows as the event's identity
    changes: time, place, title or status (RFC 5546 3.2); a description or
    URL change only moves DTSTAMP/LAST-MODIFIED.  Which event and field
    does what is lib/pl_ical's rule (pl_ical_sequence_rule), which the
    notify worker's iTIP messages follow too, so their SEQUENCE is the
    feed's.  In a private feed the
    person's registrations add to it: one when one is confirmed (TENTATIVE
    to CONFIRMED), one more when a confirmed one is withdrawn.

    Rendering a 500-session feed costs a few milliseconds, and calendar
    apps poll: the last CALENDAR_CACHE_MAX feeds are kept rendered, with
    their entity tags, until a batch applies a change, so a feed is
    rendered once per change, by the first query after it (and the
    gateway, which holds feeds too, asks again only after a verdict). */
#include "calendar_worker.h"
#include "calendar_render.h"
#include "pl_ical.h"
#include "pl_log.h"
#include "pl_proto.h"
#include "pl_rules.h"
#include "pl_symbol.h"
#include "pl_zone.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

//  Feeds kept rendered.  One per meeting, convention and subscribed
//  participant that is being polled; 256 covers a busy secretariat's
//  current meetings and their most active subscribers.
#define CALENDAR_CACHE_MAX  256
//  Calendar apps are asked to refresh hourly (REFRESH-INTERVAL).
#define CALENDAR_REFRESH_S  3600
//  A cancelled event stays in feeds until this many days after its end.
#define CALENDAR_KEEP_CANCELLED_DAYS 1
#define S_KEY_MAX    1200       //  kind, key, source and cutoff
#define S_STATUS_MAX 32
#define S_HASH_HEX   64         //  a token hash: SHA-256 in hex

typedef struct {
    char key [S_KEY_MAX];
    char *ics;
    char etag [48];
    char last_modified [32];
    char name [512];
} s_feed_t;

struct _calendar_worker_t {
    calendar_store_t *store;
    s_feed_t cache [CALENDAR_CACHE_MAX];
    size_t next;                //  the slot the next miss replaces
};


static const char *
s_field (const json_t *object, const char *name)
{
    return json_string_value (json_object_get (object, name));
}

calendar_worker_t *
calendar_worker_new (calendar_store_t *store)
{
    if (sodium_init () < 0) {
        pl_error ("calendar: libsodium cannot start");
        return NULL;
    }
    calendar_worker_t *self = calloc (1, sizeof *self);
    if (self)
        self->store = store;
    return self;
}

//  Forget every rendered feed.
static void
s_cache_clear (calendar_worker_t *self)
{
    for (size_t i = 0; i < CALENDAR_CACHE_MAX; i++) {
        free (self->cache [i].ics);
        self->cache [i].ics = NULL;
        self->cache [i].key [0] = 0;
    }
}

calendar_store_t *
calendar_worker_store (calendar_worker_t *self)
{
    return self ? self->store : NULL;
}

void
calendar_worker_destroy (calendar_worker_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    s_cache_clear (*self_p);
    free (*self_p);
    *self_p = NULL;
}

//  --------------------------------------------------------------------------
//  Events

//  The view lacks something LEADER (records, the archive) had to create
//  before EVENT, holds something LEADER says is new, or cannot read what
//  LEADER applied: the calendar's view disagrees with LEADER.  Not a rule
//  but an inconsistency: logged as an error, and the event refused with
//  REASON saying so, for `plenary check` to find.
static pl_outcome_t
s_disagrees (const pl_delivery_t *event, const char *leader, char *reason,
             size_t reason_size, const char *format, ...)
    __attribute__ ((format (printf, 5, 6)));
static pl_outcome_t
s_disagrees (const pl_delivery_t *event, const char *leader, char *reason,
             size_t reason_size, const char *format, ...)
{
    char what [PL_REASON_MAX];
    va_list args;
    va_start (args, format);
    vsnprintf (what, sizeof what, format, args);
    va_end (args);
    snprintf (reason, reason_size, "the calendar's view disagrees with %s: %s", leader, what);
    pl_error ("calendar: view disagrees with %s seq=%llu topic=%s event_id=%s: %s", leader,
              (unsigned long long) event->seq, event->topic, event->event_id, what);
    return PL_REJECTED;
}

//  Meeting ID must be in the view, as records applied the event after
//  scheduling it: 1, or 0 (the event refused, REASON), or -1.
static int
s_need_meeting (calendar_store_t *store, const pl_delivery_t *event, const char *id,
                char *reason, size_t reason_size)
{
    char status [S_STATUS_MAX];
    int found = calendar_store_meeting_status (store, id, status, sizeof status);
    if (found == 0)
        s_disagrees (event, "records", reason, reason_size, "it has no meeting %s", id);
    return found;
}

//  The calendar's own rule: a feed carries a VTIMEZONE for each zone it
//  uses, from libical's definitions; a zone libical has none of cannot be
//  rendered, so the meeting is refused rather than served wrong.
static int
s_zone_renderable (const char *id, const char *tz, char *reason, size_t reason_size)
{
    if (calendar_render_zone_known (tz))
        return 1;
    snprintf (reason, reason_size, "meeting %s: the calendar cannot render time zone %s "
              "(libical has no definition of it)", id, tz);
    return 0;
}

static pl_outcome_t
s_meeting_scheduled (void *store, const pl_delivery_t *event,
                     char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    const char *id = s_field (payload, "id");
    char status [S_STATUS_MAX];
    int found = calendar_store_meeting_status (store, id, status, sizeof status);
    if (found < 0)
        return PL_FAILED;
    if (found)
        return s_disagrees (event, "records", reason, reason_size, "it already has meeting %s",
                            id);
    if (!s_zone_renderable (id, s_field (payload, "tz"), reason, reason_size))
        return PL_REJECTED;
    return calendar_store_meeting_insert (store, payload, event->time_ms) ? PL_FAILED : PL_APPLIED;
}

static pl_outcome_t
s_meeting_updated (void *store, const pl_delivery_t *event,
                   char *reason, size_t reason_size)
{
    //  The fields that may raise the meeting's SEQUENCE, and its sessions'
    //  (pl_ical_sequence_rule, shared with the notify worker's iTIP messages)
    static const char *const fields [] = { "title", "start", "end", "venue", "tz" };
    const json_t *payload = event->payload;
    const char *id = s_field (payload, "id");
    int found = s_need_meeting (store, event, id, reason, reason_size);
    if (found <= 0)
        return found < 0 ? PL_FAILED : PL_REJECTED;
    const char *tz = s_field (payload, "tz");
    if (tz && !s_zone_renderable (id, tz, reason, reason_size))
        return PL_REJECTED;
    int bump = 0, bump_sessions = 0;
    for (size_t i = 0; i < sizeof fields / sizeof fields [0]; i++) {
        const char *value = s_field (payload, fields [i]);
        if (!value)
            continue;
        int differs = calendar_store_meeting_differs (store, id, fields [i], value);
        if (differs < 0)
            return PL_FAILED;
        unsigned rule = differs ? pl_ical_sequence_rule (event->topic, fields [i]) : 0;
        bump |= (rule & PL_ICAL_BUMP_MEETING) != 0;
        bump_sessions |= (rule & PL_ICAL_BUMP_SESSIONS) != 0;
    }
    return calendar_store_meeting_update (store, payload, bump, bump_sessions, event->time_ms)
         ? PL_FAILED : PL_APPLIED;
}

//  Move meeting of EVENT to TARGET; CANCEL takes its sessions along.
static pl_outcome_t
s_meeting_status (calendar_store_t *store, const pl_delivery_t *event, const char *target,
                  int cancel, char *reason, size_t reason_size)
{
    const char *id = s_field (event->payload, "id");
    int found = s_need_meeting (store, event, id, reason, reason_size);
    if (found <= 0)
        return found < 0 ? PL_FAILED : PL_REJECTED;
    return calendar_store_meeting_set_status (store, id, target, cancel, event->time_ms)
         ? PL_FAILED : PL_APPLIED;
}

static pl_outcome_t
s_meeting_cancelled (void *store, const pl_delivery_t *event,
                     char *reason, size_t reason_size)
{
    return s_meeting_status (store, event, "cancelled",
                             pl_ical_sequence_rule (event->topic, NULL) != PL_ICAL_BUMP_NONE,
                             reason, reason_size);
}

static pl_outcome_t
s_meeting_closed (void *store, const pl_delivery_t *event,
                  char *reason, size_t reason_size)
{
    return s_meeting_status (store, event, "closed",
                             pl_ical_sequence_rule (event->topic, NULL) != PL_ICAL_BUMP_NONE,
                             reason, reason_size);
}

//  The session of EVENT must be in the view: 1, 0 (refused, REASON), -1.
static int
s_need_session (calendar_store_t *store, const pl_delivery_t *event,
                char *reason, size_t reason_size)
{
    const char *meeting = s_field (event->payload, "meeting");
    const char *id = s_field (event->payload, "id");
    char status [S_STATUS_MAX];
    int found = calendar_store_session_status (store, meeting, id, status, sizeof status);
    if (found == 0)
        s_disagrees (event, "records", reason, reason_size,
                     "it has no session %s of meeting %s", id, meeting);
    return found;
}

static pl_outcome_t
s_session_scheduled (void *store, const pl_delivery_t *event,
                     char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    const char *meeting = s_field (payload, "meeting"), *id = s_field (payload, "id");
    int found = s_need_meeting (store, event, meeting, reason, reason_size);
    if (found <= 0)
        return found < 0 ? PL_FAILED : PL_REJECTED;
    char status [S_STATUS_MAX];
    found = calendar_store_session_status (store, meeting, id, status, sizeof status);
    if (found < 0)
        return PL_FAILED;
    if (found)
        return s_disagrees (event, "records", reason, reason_size,
                            "it already has session %s of meeting %s", id, meeting);
    return calendar_store_session_insert (store, payload, event->time_ms) ? PL_FAILED : PL_APPLIED;
}

static pl_outcome_t
s_session_moved (void *store, const pl_delivery_t *event,
                 char *reason, size_t reason_size)
{
    int found = s_need_session (store, event, reason, reason_size);
    if (found <= 0)
        return found < 0 ? PL_FAILED : PL_REJECTED;
    return calendar_store_session_move (store, event->payload, event->time_ms)
         ? PL_FAILED : PL_APPLIED;
}

static pl_outcome_t
s_session_cancelled (void *store, const pl_delivery_t *event,
                     char *reason, size_t reason_size)
{
    int found = s_need_session (store, event, reason, reason_size);
    if (found <= 0)
        return found < 0 ? PL_FAILED : PL_REJECTED;
    return calendar_store_session_cancel (store, s_field (event->payload, "meeting"),
                                          s_field (event->payload, "id"), event->time_ms)
         ? PL_FAILED : PL_APPLIED;
}

static pl_outcome_t
s_participant_registered (void *store, const pl_delivery_t *event,
                          char *reason, size_t reason_size)
{
    int found = s_need_meeting (store, event, s_field (event->payload, "meeting"),
                                reason, reason_size);
    if (found <= 0)
        return found < 0 ? PL_FAILED : PL_REJECTED;
    //  The id the records worker gives too: "p" and the event's seq
    char id [32];
    snprintf (id, sizeof id, "p%llu", (unsigned long long) event->seq);
    return calendar_store_participant_insert (store, id, event->payload, event->time_ms)
         ? PL_FAILED : PL_APPLIED;
}

//  The participant of EVENT, registered to its meeting, must be in the
//  view: 1, 0 (refused, REASON), -1.
static int
s_need_participant (calendar_store_t *store, const pl_delivery_t *event,
                    char *reason, size_t reason_size)
{
    const char *id = s_field (event->payload, "participant");
    const char *meeting = s_field (event->payload, "meeting");
    char status [S_STATUS_MAX];
    int found = calendar_store_participant_status (store, id, meeting, status, sizeof status);
    if (found == 0)
        s_disagrees (event, "records", reason, reason_size,
                     "it has no participant %s of meeting %s", id, meeting);
    return found;
}

static pl_outcome_t
s_participant_updated (void *store, const pl_delivery_t *event,
                       char *reason, size_t reason_size)
{
    int found = s_need_participant (store, event, reason, reason_size);
    if (found <= 0)
        return found < 0 ? PL_FAILED : PL_REJECTED;
    return calendar_store_participant_update (store, event->payload, event->time_ms)
         ? PL_FAILED : PL_APPLIED;
}

//  The participant of EVENT is now STATUS, as records decided: the view
//  keeps where each registration stands, which private feeds show.
static pl_outcome_t
s_participant_status (calendar_store_t *store, const pl_delivery_t *event, const char *status,
                      char *reason, size_t reason_size)
{
    int found = s_need_participant (store, event, reason, reason_size);
    if (found <= 0)
        return found < 0 ? PL_FAILED : PL_REJECTED;
    return calendar_store_participant_set_status (store, s_field (event->payload, "participant"),
                                                  status, event->time_ms)
         ? PL_FAILED : PL_APPLIED;
}

static pl_outcome_t
s_participant_approved (void *store, const pl_delivery_t *event,
                        char *reason, size_t reason_size)
{
    return s_participant_status (store, event, "approved", reason, reason_size);
}

static pl_outcome_t
s_participant_confirmed (void *store, const pl_delivery_t *event,
                         char *reason, size_t reason_size)
{
    return s_participant_status (store, event, "confirmed", reason, reason_size);
}

static pl_outcome_t
s_participant_rejected (void *store, const pl_delivery_t *event,
                        char *reason, size_t reason_size)
{
    return s_participant_status (store, event, "rejected", reason, reason_size);
}

static pl_outcome_t
s_participant_withdrawn (void *store, const pl_delivery_t *event,
                         char *reason, size_t reason_size)
{
    return s_participant_status (store, event, "withdrawn", reason, reason_size);
}

//  True when TEXT is 64 lowercase hex digits.
static int
s_is_hash (const char *text)
{
    size_t length = strlen (text);
    if (length != S_HASH_HEX)
        return 0;
    for (size_t i = 0; i < length; i++)
        if (!strchr ("0123456789abcdef", text [i]))
            return 0;
    return 1;
}

//  The calendar decides tokens alone (records does not take this topic):
//  the hash's form, a participant whose person (the feed's) holds a
//  registration that is neither withdrawn nor rejected, one token per
//  participant unless the new one replaces it.
static pl_outcome_t
s_token_issued (void *store, const pl_delivery_t *event,
                char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    const char *id = s_field (payload, "participant"), *hash = s_field (payload, "token_hash");
    if (!s_is_hash (hash)) {
        snprintf (reason, reason_size, "participant.token.issued: token_hash: not 64 lowercase "
                  "hex digits");
        return PL_REJECTED;
    }
    int found = calendar_store_person_stands (store, id);
    if (found <= 0) {
        if (found == 0)
            snprintf (reason, reason_size, "participant %s is not registered to any meeting; "
                      "no private feed can be issued for it", id);
        return found < 0 ? PL_FAILED : PL_REJECTED;
    }
    found = calendar_store_token_exists (store, id);
    if (found < 0)
        return PL_FAILED;
    if (found && !json_is_true (json_object_get (payload, "replace"))) {
        snprintf (reason, reason_size, "participant %s already has a calendar feed; "
                  "'plenary calendar rotate --participant %s' replaces its address", id, id);
        return PL_REJECTED;
    }
    //  A rotation revokes the address plenary-notify mailed too
    if (json_is_true (json_object_get (payload, "replace"))
    &&  calendar_store_mail_revoke (store, id))
        return PL_FAILED;
    return calendar_store_token_set (store, id, hash, event->time_ms) ? PL_FAILED : PL_APPLIED;
}

//  SYMBOL of EVENT, which the archive applied, parsed into *PARSED: 0, or
//  -1 when it does not parse here (REASON: the view disagrees).
static int
s_symbol (const pl_delivery_t *event, pl_symbol_t *parsed, char *reason, size_t reason_size)
{
    char err [192];
    const char *text = s_field (event->payload, "symbol");
    if (pl_symbol_parse (text, parsed, err, sizeof err) == 0)
        return 0;
    s_disagrees (event, "archive", reason, reason_size, "symbol '%s' does not parse: %s",
                 text, err);
    return -1;
}

//  Feeds are public: they show a document only when the public may see it,
//  that is when the distribution in force of its family is general (the
//  archive's decision, which the calendar keeps a view of: a release more
//  restrictive than the one in force raises it, a declassification sets
//  it; docs/SECURITY.md, "Distribution of documents") and it is not
//  withdrawn.  Every release counts, for an agenda item or not.
static pl_outcome_t
s_document_released (void *store, const pl_delivery_t *event,
                     char *reason, size_t reason_size)
{
    const json_t *payload = event->payload;
    pl_symbol_t symbol;
    if (s_symbol (event, &symbol, reason, reason_size))
        return PL_REJECTED;
    int level = pl_distribution_level (s_field (payload, "distribution")), in_force;
    int found = calendar_store_family (store, symbol.base, &in_force);
    if (found < 0
    ||  ((!found || level > in_force) && calendar_store_family_set (store, symbol.base, level)))
        return PL_FAILED;
    //  Only a document released for an agenda item of a meeting appears in
    //  a feed; any other release only makes the document stand again.  The
    //  archive applied it, so its meeting exists: the view must have it.
    const char *meeting = s_field (payload, "meeting"), *item = s_field (payload, "agenda_item");
    if (!meeting || !item)
        return calendar_store_document_withdrawn (store, symbol.symbol, 0)
             ? PL_FAILED : PL_APPLIED;
    found = s_need_meeting (store, event, meeting, reason, reason_size);
    if (found <= 0)
        return found < 0 ? PL_FAILED : PL_REJECTED;
    return calendar_store_document (store, symbol.symbol, symbol.base, meeting, item)
         ? PL_FAILED : PL_APPLIED;
}

static pl_outcome_t
s_document_declassified (void *store, const pl_delivery_t *event,
                         char *reason, size_t reason_size)
{
    pl_symbol_t symbol;
    if (s_symbol (event, &symbol, reason, reason_size))
        return PL_REJECTED;
    return calendar_store_family_set (store, symbol.base, pl_distribution_level (
                                      s_field (event->payload, "distribution")))
         ? PL_FAILED : PL_APPLIED;
}

//  A withdrawal of the whole document takes it out of every feed (until it
//  is released again); one of a single revision changes nothing here: the
//  archive refuses to withdraw a document's last revision that stands that
//  way, so the document still stands.
static pl_outcome_t
s_document_withdrawn (void *store, const pl_delivery_t *event,
                      char *reason, size_t reason_size)
{
    pl_symbol_t symbol;
    if (s_symbol (event, &symbol, reason, reason_size))
        return PL_REJECTED;
    if (json_object_get (event->payload, "revision"))
        return PL_APPLIED;
    return calendar_store_document_withdrawn (store, symbol.symbol, 1) ? PL_FAILED : PL_APPLIED;
}

static const pl_event_rule_t s_events [] = {
    { "meeting.scheduled",        s_meeting_scheduled, 0 },
    { "meeting.updated",          s_meeting_updated, 0 },
    { "meeting.cancelled",        s_meeting_cancelled, 0 },
    { "meeting.closed",           s_meeting_closed, 0 },
    { "session.scheduled",        s_session_scheduled, 0 },
    { "session.moved",            s_session_moved, 0 },
    { "session.cancelled",        s_session_cancelled, 0 },
    { "participant.registered",   s_participant_registered, 0 },
    { "participant.updated",      s_participant_updated, 0 },
    { "participant.withdrawn",    s_participant_withdrawn, 0 },
    { "participant.approved",     s_participant_approved, 0 },
    { "participant.confirmed",    s_participant_confirmed, 0 },
    { "participant.rejected",     s_participant_rejected, 0 },
    { "participant.token.issued", s_token_issued, 0 },
    { "document.released",        s_document_released, 0 },
    { "document.declassified",    s_document_declassified, 0 },
    { "document.withdrawn",       s_document_withdrawn, 0 },
};
//  --------------------------------------------------------------------------
//  Queries

//  The feed kinds, by their schema names.
static const char *s_feed_kinds [CALENDAR_FEED_KINDS] = {
    [CALENDAR_FEED_MEETING]     = "meeting",
    [CALENDAR_FEED_CONVENTION]  = "convention",
    [CALENDAR_FEED_PARTICIPANT] = "participant",
    [CALENDAR_FEED_ALL]         = "all",
};

//  calendar_item_fn: add one event to the render.
static int
s_render_item (void *render, const calendar_item_t *item)
{
    return calendar_render_add (render, item);
}

//  TIME_MS as an RFC 3339 UTC timestamp of whole seconds.
static void
s_stamp (int64_t time_ms, char *buf, size_t size)
{
    time_t seconds = (time_t) (time_ms / 1000);
    struct tm tm;
    gmtime_r (&seconds, &tm);
    strftime (buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

//  Render feed KIND/KEY into SLOT.  1, 0 (not found), -1.
static int
s_render (calendar_worker_t *self, calendar_feed_t kind, const char *key, const char *source,
          const char *cutoff, s_feed_t *slot)
{
    calendar_render_t *render = calendar_render_new ();
    if (!render)
        return -1;
    int64_t modified_ms = 0;
    char tz [64];
    int found = calendar_store_feed (self->store, kind, key, cutoff, s_render_item, render,
                                     &modified_ms, slot->name, sizeof slot->name,
                                     tz, sizeof tz);
    if (found == 1) {
        calendar_head_t head = { slot->name, tz, source, CALENDAR_REFRESH_S };
        slot->ics = calendar_render_finish (render, &head);
        found = slot->ics ? 1 : -1;
    }
    calendar_render_destroy (&render);
    if (found != 1)
        return found;
    unsigned char digest [16];
    crypto_generichash (digest, sizeof digest, (const unsigned char *) slot->ics,
                        strlen (slot->ics), NULL, 0);
    char hex [2 * sizeof digest + 1];
    sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
    snprintf (slot->etag, sizeof slot->etag, "\"%s\"", hex);
    //  The state is remembered per feed and source: two hosts serving the
    //  same feed must not make each other's Last-Modified move.  The source
    //  of a private feed holds its token, which is never stored: its hash is.
    unsigned char source_digest [16];
    char source_hex [2 * sizeof source_digest + 1], state_key [S_KEY_MAX];
    crypto_generichash (source_digest, sizeof source_digest,
                        (const unsigned char *) (source ? source : ""),
                        source ? strlen (source) : 0, NULL, 0);
    sodium_bin2hex (source_hex, sizeof source_hex, source_digest, sizeof source_digest);
    snprintf (state_key, sizeof state_key, "%s/%s %s", s_feed_kinds [kind], key ? key : "",
              source_hex);
    if (calendar_store_feed_state (self->store, state_key, slot->etag, &modified_ms)) {
        free (slot->ics);
        slot->ics = NULL;
        return -1;
    }
    s_stamp (modified_ms, slot->last_modified, sizeof slot->last_modified);
    return 1;
}

static json_t *
s_feed (void *self_, const json_t *args, const char *role, int *status, char *err,
       size_t errsize)
{
    calendar_worker_t *self = self_;
    const char *kind_name = s_field (args, "kind"), *key = s_field (args, "key");
    const char *source = s_field (args, "source");
    calendar_feed_t kind = CALENDAR_FEED_ALL;
    for (int i = 0; i < CALENDAR_FEED_KINDS; i++)
        if (strcmp (s_feed_kinds [i], kind_name) == 0)
            kind = (calendar_feed_t) i;
    if (kind != CALENDAR_FEED_ALL && !key) {
        *status = 400;
        snprintf (err, errsize, "calendar.feed: key: required for kind %s", kind_name);
        return NULL;
    }
    if (kind == CALENDAR_FEED_ALL)
        key = NULL;
    //  Cancelled events stay until the day after they end
    char cutoff [16];
    time_t now = time (NULL) - CALENDAR_KEEP_CANCELLED_DAYS * 86400;
    struct tm tm;
    gmtime_r (&now, &tm);
    strftime (cutoff, sizeof cutoff, "%Y-%m-%d", &tm);
    char cache_key [S_KEY_MAX];
    snprintf (cache_key, sizeof cache_key, "%s/%s %s %s", kind_name, key ? key : "",
              source ? source : "", cutoff);
    s_feed_t *slot = NULL;
    for (size_t i = 0; i < CALENDAR_CACHE_MAX && !slot; i++)
        if (self->cache [i].ics && strcmp (self->cache [i].key, cache_key) == 0)
            slot = &self->cache [i];
    if (!slot) {
        slot = &self->cache [self->next];
        self->next = (self->next + 1) % CALENDAR_CACHE_MAX;
        free (slot->ics);
        slot->ics = NULL;
        slot->key [0] = 0;
        int found = s_render (self, kind, key, source, cutoff, slot);
        if (found != 1) {
            *status = found == 0 ? 404 : 500;
            snprintf (err, errsize, "%s", found == 0 ? "not found"
                                                     : "calendar: cannot render the feed");
            return NULL;
        }
        snprintf (slot->key, sizeof slot->key, "%s", cache_key);
    }
    const char *if_none_match = s_field (args, "if_none_match");
    int not_modified = if_none_match && strcmp (if_none_match, slot->etag) == 0;
    json_t *reply = json_pack ("{s:s, s:s, s:s}", "etag", slot->etag,
                               "last_modified", slot->last_modified, "name", slot->name);
    //  The feed is UTF-8 by construction (every text in it was checked on
    //  its way in): 270 KB are not checked again for every reply
    json_t *body = not_modified ? json_true () : json_string_nocheck (slot->ics);
    if (!reply)
        json_decref (body);
    else
    if (json_object_set_new (reply, not_modified ? "not_modified" : "ics", body)) {
        json_decref (reply);
        reply = NULL;
    }
    if (!reply) {
        *status = 500;
        snprintf (err, errsize, "calendar: out of memory");
    }
    return reply;
}

static json_t *
s_schedule (void *self_, const json_t *args, const char *role, int *status, char *err,
           size_t errsize)
{
    calendar_worker_t *self = self_;
    const char *participant = s_field (args, "participant");
    json_t *meetings = NULL;
    int found = calendar_store_schedule (self->store, participant, &meetings);
    if (found != 1) {
        *status = found == 0 ? 404 : 500;
        snprintf (err, errsize, found == 0 ? "participant %s does not exist"
                                           : "calendar: storage failure reading %s", participant);
        return NULL;
    }
    return json_pack ("{s:s, s:o}", "participant", participant, "meetings", meetings);
}

//  pl_facet_rows_fn over the store
static int
s_facet_rows (void *store, const pl_facet_t *facet, const char *key,
              pl_facet_row_fn *row, void *arg)
{
    return calendar_store_facet_rows (store, facet, key, row, arg);
}

//  calendar.digest: this view's side of plenary check (lib/pl_facet.h)
static json_t *
s_digest (void *self_, const json_t *args, const char *role, int *status, char *err,
         size_t errsize)
{
    calendar_worker_t *self = self_;
    return pl_facet_query (CALENDAR_GROUP, s_facet_rows, self->store, args, status,
                           err, errsize);
}

static const pl_query_rule_t s_queries [] = {
    //  Feeds are public; a token feed is protected by its token
    { "calendar.feed",     0, s_feed, NULL },
    //  Who attends what is not for the public
    { "calendar.schedule", 1, s_schedule, NULL },
    //  Digests come from personal data: the secretariat (rank 3) only
    { "calendar.digest",   3, s_digest, NULL },
};

//  pl_rules_t.txn
static pl_txn_t *
s_txn (void *self)
{
    return calendar_store_txn (((calendar_worker_t *) self)->store);
}

//  pl_rules_t.target: the event handlers work on the store
static void *
s_target (void *self)
{
    return ((calendar_worker_t *) self)->store;
}

//  pl_rules_t.committed: a feed is rendered again after a change
static void
s_committed (void *self, int applied)
{
    if (applied)
        s_cache_clear (self);
}

static const pl_rules_t s_rules = {
    "calendar", s_events, sizeof s_events / sizeof s_events [0],
    s_queries, sizeof s_queries / sizeof s_queries [0],
    .txn = s_txn, .target = s_target, .committed = s_committed
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

const pl_worker_handler_t *
calendar_worker_handler (void)
{
    static const pl_worker_handler_t handler = {
        .apply = s_apply, .query = s_query, .cursor = s_cursor
    };
    return &handler;
}

int
calendar_worker_topics (char *buf, size_t size)
{
    return pl_rules_topics (&s_rules, buf, size);
}

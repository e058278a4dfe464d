/*  notify_sender — the outbox to the relay, on a thread of its own (see the
    header).

    The actor owns its store connection, its SMTP client and its state (the
    rate limit, notify_rate; the relay's back-off); the worker's thread shares
    nothing with it but the database, through SQLite, and one stop flag
    that lets a send in progress be aborted. */
#include "notify_sender.h"
#include "notify_itip.h"
#include "notify_mime.h"
#include "notify_rate.h"
#include "notify_smtp.h"
#include "notify_store.h"
#include "pl_log.h"
#include "pl_proto.h"
#include "pl_zone.h"

#include <czmq.h>
#include <sodium.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_TICK_MS       1000        //  notices and the digest are looked at this often
#define S_ERROR_MAX     512

//  What the creator and the actor share: set before the actor starts, then
//  read-only but for STOP.
typedef struct {
    notify_config_t config;
    uint8_t key [PL_MAILKEY_BYTES];
    char path [1024];
    notify_templates_t *templates;
    char relay [512];               //  the relay's URL without credentials
    atomic_int started;             //  the actor opened its store and client
    atomic_int stop;
} s_shared_t;

struct _notify_sender_t {
    zactor_t *actor;
    s_shared_t *shared;
};

//  The actor's own state.
typedef struct {
    s_shared_t *shared;
    notify_store_t *store;
    notify_smtp_t *smtp;
    notify_rate_t rate;             //  the rate limit per relay
    int64_t down_until_ms;          //  the relay is not tried before this
    int backoff_ms;                 //  the relay's next wait when it is down again
    int relay_up;                   //  the state last written: -1 unknown, 0 down, 1 up
    int64_t tick_ms;                //  when notices and the digest are next looked at
    int64_t unrecorded_id;          //  a message the relay took whose "sent" is not yet
    int64_t unrecorded_ms;          //  written (a storage failure), and when: written
                                    //  before anything else, never sent again
} s_sender_t;

static const char *
s_field (const json_t *object, const char *name)
{
    return json_string_value (json_object_get (object, name));
}

//  --------------------------------------------------------------------------
//  Rendering

//  The message MESSAGE (an outbox row) as MIME text into *MIME.  0, or -1
//  with ERR (a template or the iTIP part could not be made: for good).
int
notify_sender_render (const notify_render_t *render, const json_t *message, int64_t now_ms,
                      char **mime, char *err, size_t errsize)
{
    const notify_config_t *config = render->config;
    const char *kind = s_field (message, "kind"), *address = s_field (message, "address");
    const char *recipient = s_field (message, "recipient");
    json_t *values = json_loads (s_field (message, "params"), 0, NULL);
    if (!values) {
        snprintf (err, errsize, "its values do not parse");
        return -1;
    }
    json_t *itip = json_incref (json_object_get (values, "_itip"));
    json_object_del (values, "_itip");
    char feed [64] = "", token [PL_MAILKEY_HEX], url [1024], unsubscribe [1024] = "";
    snprintf (feed, sizeof feed, "%s", s_field (values, "_feed") ? s_field (values, "_feed") : "");
    json_object_del (values, "_feed");
    json_object_set_new (values, "public_url", json_string (config->public_url));
    int transactional = notify_template_transactional (kind);
    if (!transactional) {
        pl_mailkey_token (render->key, "unsubscribe", address, token);
        snprintf (unsubscribe, sizeof unsubscribe, "%s/unsubscribe/%s", config->public_url, token);
        json_object_set_new (values, "unsubscribe_url", json_string (unsubscribe));
    }
    json_t *participant = NULL;
    //  The private feed's address while the calendar takes it (no rotation
    //  since); the token is made here and forgotten with the message
    if (*feed && notify_store_participant (render->store, feed, NULL, &participant) == 1
    &&  !json_integer_value (json_object_get (participant, "feed_revoked"))) {
        pl_mailkey_token (render->key, "feed", feed, token);
        snprintf (url, sizeof url, "%s/ics/p/%s.ics", config->public_url, token);
        json_object_set_new (values, "calendar_url", json_string (url));
    }
    json_decref (participant);
    if (s_field (values, "meeting")) {
        snprintf (url, sizeof url, "%s/ics/meetings/%s.ics", config->public_url,
                  s_field (values, "meeting"));
        json_object_set_new (values, "feed_url", json_string (url));
    }
    notify_rendered_t rendered;
    char *ics = NULL;
    int rc = notify_templates_render (render->templates, kind,
                                      s_field (message, "language"), values, &rendered,
                                      err, errsize);
    if (rc == 0 && itip) {
        notify_itip_t part = {
            .method = s_field (itip, "method"), .meeting = s_field (itip, "meeting"),
            .session = s_field (itip, "session"), .title = s_field (itip, "title"),
            .meeting_title = s_field (itip, "meeting_title"), .venue = s_field (itip, "venue"),
            .room = s_field (itip, "room"), .tz = s_field (itip, "tz"),
            .start = s_field (itip, "start"), .end = s_field (itip, "end"),
            .sequence = json_integer_value (json_object_get (itip, "sequence")),
            .stamp_ms = json_integer_value (json_object_get (itip, "stamp_ms")),
            .organizer = config->from, .attendee = recipient,
            .url = s_field (values, "feed_url"),
        };
        ics = notify_itip_render (&part);
        if (!ics) {
            snprintf (err, errsize, "its iTIP part cannot be written");
            rc = -1;
        }
    }
    if (rc == 0) {
        notify_mail_t mail = {
            .from = config->from, .to = recipient, .subject = rendered.subject,
            .message_id = s_field (message, "message_id"), .language = rendered.language,
            .date_ms = now_ms, .unsubscribe_url = transactional ? NULL : unsubscribe,
            .text = rendered.text, .html = rendered.html,
            .ics = ics, .ics_method = itip ? s_field (itip, "method") : NULL,
        };
        *mime = notify_mime_build (&mail);
        if (!*mime) {
            snprintf (err, errsize, "its headers cannot be written (an address with a line "
                      "break?)");
            rc = -1;
        }
        notify_rendered_free (&rendered);
    }
    sodium_memzero (token, sizeof token);
    free (ics);
    json_decref (itip);
    json_decref (values);
    return rc;
}

//  --------------------------------------------------------------------------
//  Sending

//  The relay's state, written when it changes.
static void
s_relay (s_sender_t *self, int up, const char *error, int64_t retry_ms)
{
    if (up == self->relay_up && up)
        return;
    if (up != self->relay_up)
        pl_info ("notify: relay %s relay=%s%s%s", up ? "up" : "down", self->shared->relay,
                 error ? " cause=" : "", error ? error : "");
    self->relay_up = up;
    notify_store_relay_set (self->store, up ? "up" : "down", error, retry_ms);
}

//  Send MESSAGE (due now).  0, or -1 on a storage failure.
static int
s_send (s_sender_t *self, const json_t *message, int64_t now_ms)
{
    const notify_config_t *config = &self->shared->config;
    int64_t id = json_integer_value (json_object_get (message, "id"));
    const char *kind = s_field (message, "kind"), *message_id = s_field (message, "message_id");
    int attempts = (int) json_integer_value (json_object_get (message, "attempts"));
    if (!notify_template_transactional (kind)) {
        int unsubscribed = notify_store_unsubscribed (self->store, s_field (message, "address"));
        if (unsubscribed)
            return unsubscribed < 0 ? -1 : notify_store_outbox_suppressed (self->store, id, now_ms);
    }
    char err [S_ERROR_MAX] = "", *mime = NULL;
    notify_render_t render = { config, self->shared->key, self->shared->templates, self->store };
    if (notify_sender_render (&render, message, now_ms, &mime, err, sizeof err)) {
        pl_error ("notify: cannot write message_id=%s kind=%s: %s", message_id, kind, err);
        char error [S_ERROR_MAX + 32];      //  room for the prefix
        snprintf (error, sizeof error, "not written: %s", err);
        return notify_store_outbox_failed (self->store, id, now_ms, error);
    }
    notify_smtp_result_t result = notify_smtp_send (self->smtp, config->from,
                                                    s_field (message, "recipient"), mime,
                                                    &self->shared->stop,
                                                    err, sizeof err);
    free (mime);
    int64_t after_ms = pl_time_ms ();
    switch (result) {
        case NOTIFY_SMTP_SENT:
            pl_debug ("notify: sent message_id=%s kind=%s", message_id, kind);
            self->backoff_ms = config->retry_initial_ms;
            s_relay (self, 1, NULL, 0);
            if (notify_store_outbox_sent (self->store, id, after_ms)) {
                //  Still queued in the database: s_turn writes it first
                self->unrecorded_id = id;
                self->unrecorded_ms = after_ms;
                return -1;
            }
            return 0;
        case NOTIFY_SMTP_REFUSED:
            pl_warn ("notify: the relay refused message_id=%s kind=%s: %s", message_id, kind, err);
            s_relay (self, 1, NULL, 0);
            return notify_store_outbox_failed (self->store, id, after_ms, err);
        case NOTIFY_SMTP_RETRY: {
            if (self->shared->stop)
                return 0;           //  aborted by the stop: it stays as it was
            attempts++;
            if (attempts >= config->max_attempts) {
                char error [S_ERROR_MAX + 48];  //  room for the prefix
                snprintf (error, sizeof error, "gave up after %d attempts: %s", attempts, err);
                return notify_store_outbox_failed (self->store, id, after_ms, error);
            }
            int64_t wait = config->retry_initial_ms;
            for (int i = 1; i < attempts && wait < config->retry_max_ms; i++)
                wait *= 2;
            wait = wait < config->retry_max_ms ? wait : config->retry_max_ms;
            pl_info ("notify: message_id=%s waits %" PRId64 " ms (attempt %d): %s", message_id,
                     wait, attempts, err);
            return notify_store_outbox_retry (self->store, id, attempts, after_ms + wait, err);
        }
        case NOTIFY_SMTP_DOWN:
        default:
            self->down_until_ms = after_ms + self->backoff_ms;
            s_relay (self, 0, err, self->down_until_ms);
            self->backoff_ms = self->backoff_ms * 2 < config->retry_max_ms
                             ? self->backoff_ms * 2 : config->retry_max_ms;
            return 0;
    }
}

//  --------------------------------------------------------------------------
//  Notices and the digest

//  notify_address_fn: write ADDRESS's notices into one message.
static int
s_batch (void *arg, const char *address)
{
    s_sender_t *self = arg;
    const notify_config_t *config = &self->shared->config;
    return notify_store_notices_batch (self->store, address, config->from, config->public_url,
                                       pl_time_ms ());
}

//  The secretariat's digest of today, when it is time and it has not been
//  written (and the database existed at that time).  0 or -1.
static int
s_digest (s_sender_t *self, int64_t now_ms)
{
    const notify_config_t *config = &self->shared->config;
    if (!*config->secretariat)
        return 0;
    char today [16], local [32], done [16] = "";
    pl_zone_local_t time;
    pl_zone_answer_t answer;
    if (pl_zone_local_date (config->digest_tz, now_ms / 1000, today, sizeof today))
        return -1;
    snprintf (local, sizeof local, "%sT%s", today, config->digest_at);
    if (pl_zone_parse (local, &time) || pl_zone_resolve (config->digest_tz, &time, &answer)
    ||  answer.fit == PL_ZONE_GAP)
        return 0;               //  clocks skip the digest's time today
    int64_t at_ms = answer.utc * 1000;
    if (now_ms < at_ms || notify_store_meta (self->store, "digest_date", done, sizeof done) < 0
    ||  strcmp (done, today) == 0)
        return 0;
    //  Read first, outside the write lock (it reads every registration
    //  waiting); only this thread writes digest_date, so the short write
    //  that follows finds it as read
    json_t *values = json_object ();
    int rc = values ? notify_store_digest (self->store, today, values) : -1;
    if (rc == 0 && notify_store_begin (self->store))
        rc = -1;
    const char *waiting = s_field (values, "waiting_count");
    const char *missing = s_field (values, "credentials_count");
    int something = rc == 0 && ((waiting && strcmp (waiting, "0")) || (missing && strcmp (missing, "0")));
    if (rc == 0 && something && notify_store_created_ms (self->store) <= at_ms) {
        char address [256], token [PL_MAILKEY_HEX], hash [PL_MAILKEY_HEX], tag [32], id [320];
        pl_mailkey_address (config->secretariat, address, sizeof address);
        pl_mailkey_token (self->shared->key, "unsubscribe", address, token);
        pl_mailkey_hash (token, hash);
        snprintf (tag, sizeof tag, "digest-%s", today);
        notify_mime_message_id (id, sizeof id, tag, "secretariat-digest", config->secretariat,
                                config->from);
        rc = notify_store_address (self->store, address, config->secretariat, hash)
          || notify_store_outbox_add (self->store, id, 0, "secretariat-digest",
                                      config->secretariat, address, "en", values, NOTIFY_QUEUED,
                                      now_ms);
    }
    json_decref (values);
    if (rc == 0)
        rc = notify_store_meta_set (self->store, "digest_date", today);
    if (rc == 0 && notify_store_commit (self->store) == 0)
        return 0;
    notify_store_rollback (self->store);
    return -1;
}

//  --------------------------------------------------------------------------
//  The actor

//  One turn: housekeeping when due, then one message if one is due and the
//  relay and the rate allow.  Returns how long to wait before the next
//  turn (0: go on at once), or -1 on a storage failure.
static int64_t
s_turn (s_sender_t *self)
{
    const notify_config_t *config = &self->shared->config;
    int64_t now_ms = pl_time_ms ();
    if (self->unrecorded_id) {
        if (notify_store_outbox_sent (self->store, self->unrecorded_id, self->unrecorded_ms))
            return -1;
        self->unrecorded_id = 0;
    }
    if (now_ms >= self->tick_ms) {
        self->tick_ms = now_ms + S_TICK_MS;
        if (notify_store_notices_due (self->store, now_ms - config->batch_ms, s_batch, self)
        ||  s_digest (self, now_ms))
            return -1;
        //  The worker's connection leaves checkpoints to this one
        //  (notify_store_checkpoints_elsewhere); logged when it fails
        notify_store_checkpoint (self->store);
    }
    int64_t wait = self->tick_ms - now_ms;
    if (now_ms < self->down_until_ms)
        return self->down_until_ms - now_ms < wait ? self->down_until_ms - now_ms : wait;
    int64_t refill = notify_rate_wait_ms (&self->rate, now_ms);
    if (refill > 0)
        return refill < wait ? refill : wait;
    json_t *message = NULL;
    int found = notify_store_outbox_next (self->store, now_ms, &message);
    if (found == 1) {
        notify_rate_take (&self->rate);
        int rc = s_send (self, message, now_ms);
        json_decref (message);
        return rc ? -1 : 0;
    }
    int64_t due_ms;
    if (found < 0 || notify_store_outbox_due_ms (self->store, &due_ms))
        return -1;
    return due_ms - now_ms < wait ? (due_ms - now_ms > 0 ? due_ms - now_ms : 0) : wait;
}

static void
s_actor (zsock_t *pipe, void *arg)
{
    s_shared_t *shared = arg;
    const notify_config_t *config = &shared->config;
    s_sender_t self = {
        .shared = shared, .backoff_ms = config->retry_initial_ms, .relay_up = -1,
    };
    notify_rate_init (&self.rate, config->rate, pl_time_ms ());
    self.store = notify_store_new (shared->path);
    self.smtp = notify_smtp_new (config->smtp, config->smtp_user, config->smtp_password,
                                 config->timeout_ms);
    zpoller_t *poller = zpoller_new (pipe, NULL);
    //  zactor_new waits for this signal: the flag is set before it
    atomic_store (&shared->started, self.store && self.smtp && poller);
    zsock_signal (pipe, 0);
    while (self.store && self.smtp && poller && !shared->stop) {
        int64_t wait = s_turn (&self);
        if (wait < 0) {
            //  A storage failure (a busy database past its timeout): log
            //  once per tick and try again rather than stop sending
            pl_error ("notify: the sender cannot read or write the outbox; trying again");
            wait = S_TICK_MS;
        }
        void *which = zpoller_wait (poller, (int) (wait > S_TICK_MS ? S_TICK_MS : wait));
        if (which == pipe) {
            char *command = zstr_recv (pipe);
            int term = !command || streq (command, "$TERM");
            free (command);
            if (term)
                break;
            //  WAKE: several may be pending; one look serves them all
            while (zsock_events (pipe) & ZMQ_POLLIN) {
                command = zstr_recv (pipe);
                term = !command || streq (command, "$TERM");
                free (command);
                if (term)
                    goto done;
            }
        }
        else
        if (zpoller_terminated (poller))
            break;
    }
done:
    zpoller_destroy (&poller);
    notify_smtp_destroy (&self.smtp);
    notify_store_destroy (&self.store);
}

notify_sender_t *
notify_sender_new (const char *path, const notify_config_t *config,
                   const uint8_t key [PL_MAILKEY_BYTES], notify_templates_t **templates_p)
{
    notify_sender_t *self = calloc (1, sizeof *self);
    s_shared_t *shared = calloc (1, sizeof *shared);
    if (!self || !shared) {
        free (self);
        free (shared);
        return NULL;
    }
    shared->config = *config;
    memcpy (shared->key, key, PL_MAILKEY_BYTES);
    snprintf (shared->path, sizeof shared->path, "%s", path);
    notify_smtp_url_public (config->smtp, shared->relay, sizeof shared->relay);
    shared->templates = *templates_p;
    *templates_p = NULL;
    atomic_init (&shared->stop, 0);
    atomic_init (&shared->started, 0);
    self->shared = shared;
    self->actor = zactor_new (s_actor, shared);
    //  zactor_new returns once the actor signalled, having said whether it
    //  could open its store and client
    if (!self->actor || !atomic_load (&shared->started)) {
        pl_error ("notify: the sender cannot start db=%s", path);
        notify_sender_destroy (&self);
        return NULL;
    }
    zsock_set_sndtimeo (self->actor, 0);
    pl_info ("notify: sender started relay=%s rate=%d/s batch=%ds", shared->relay, config->rate,
             config->batch_ms / 1000);
    return self;
}

void
notify_sender_destroy (notify_sender_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    notify_sender_t *self = *self_p;
    atomic_store (&self->shared->stop, 1);
    zactor_destroy (&self->actor);
    notify_templates_destroy (&self->shared->templates);
    sodium_memzero (self->shared->key, sizeof self->shared->key);
    free (self->shared);
    free (self);
    *self_p = NULL;
}

void
notify_sender_wake (void *arg)
{
    notify_sender_t *self = arg;
    if (self && self->actor)
        zstr_send (self->actor, "WAKE");
}

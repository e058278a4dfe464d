/*  notify_subscriptions — what subscribers are told, and the notify
    worker's own decisions about them (the handlers of notify_worker.c's
    table for document.*, subscription.* and mail.unsubscribed).

    Documents are the archive's: the worker keeps the distribution in force
    of each family and the withdrawals as the archive applied them, and a
    release becomes a notice for each subscription that follows its meeting
    or convention in its language; the sender writes an address's notices
    into one message per interval, with only what the subscription's role
    may read then (notify_store_notices_batch).  Subscriptions and one-click
    unsubscriptions are the notify worker's to decide: their rules are the
    schema's. */
#include "notify_worker_internal.h"
#include "pl_log.h"
#include "pl_proto.h"
#include "pl_symbol.h"

#include <stdio.h>
#include <string.h>

#define S_HASH_HEX 64               //  a token hash: SHA-256 in hex

static const char *
s_field (const json_t *object, const char *name)
{
    return json_string_value (json_object_get (object, name));
}

//  --------------------------------------------------------------------------
//  Documents: the distribution in force of each family as the archive
//  decided it, withdrawals, and the notices of releases

//  SYMBOL of EVENT parsed into *PARSED: 0, or -1 (the view disagrees).
static int
s_symbol (const pl_delivery_t *event, pl_symbol_t *parsed, char *reason, size_t reason_size)
{
    char err [192];
    const char *text = s_field (event->payload, "symbol");
    if (pl_symbol_parse (text, parsed, err, sizeof err) == 0)
        return 0;
    notify_disagrees (event, "archive", reason, reason_size, "symbol '%s' does not parse: %s",
                 text, err);
    return -1;
}

notify_outcome_t
notify_document_released (void *self_, const pl_delivery_t *event,
                     char *reason, size_t reason_size)
{
    notify_worker_t *self = self_;
    const json_t *payload = event->payload;
    pl_symbol_t symbol;
    if (s_symbol (event, &symbol, reason, reason_size))
        return NOTIFY_REJECTED;
    int level = pl_distribution_level (s_field (payload, "distribution")), in_force;
    int found = notify_store_family (self->store, symbol.base, &in_force);
    const char *language = s_field (payload, "language");
    if (found < 0
    ||  ((!found || level > in_force) && notify_store_family_set (self->store, symbol.base, level))
    ||  notify_store_document_withdrawn (self->store, symbol.symbol, language, 0))
        return NOTIFY_FAILED;
    if (notify_replayed (self, event))
        return NOTIFY_APPLIED;       //  nobody is told of the past twice
    const char *meeting_id = s_field (payload, "meeting");
    const char *convention = symbol.convention;
    json_t *meeting = NULL;
    if (meeting_id && notify_store_meeting (self->store, meeting_id, &meeting) < 0)
        return NOTIFY_FAILED;
    if (meeting)
        convention = s_field (meeting, "convention");
    int rc = notify_store_notices_add (self->store, event->seq, symbol.symbol, symbol.base,
                                       language, s_field (payload, "title"), meeting_id,
                                       convention, pl_time_ms ());
    json_decref (meeting);
    self->queued++;
    return rc ? NOTIFY_FAILED : NOTIFY_APPLIED;
}

notify_outcome_t
notify_document_declassified (void *self_, const pl_delivery_t *event,
                         char *reason, size_t reason_size)
{
    notify_worker_t *self = self_;
    pl_symbol_t symbol;
    if (s_symbol (event, &symbol, reason, reason_size))
        return NOTIFY_REJECTED;
    return notify_store_family_set (self->store, symbol.base, pl_distribution_level (
                                    s_field (event->payload, "distribution")))
         ? NOTIFY_FAILED : NOTIFY_APPLIED;
}

//  A withdrawn revision hides the notices of its language version, a
//  withdrawn document those of every language, until released again.
notify_outcome_t
notify_document_withdrawn (void *self_, const pl_delivery_t *event,
                      char *reason, size_t reason_size)
{
    notify_worker_t *self = self_;
    pl_symbol_t symbol;
    if (s_symbol (event, &symbol, reason, reason_size))
        return NOTIFY_REJECTED;
    const char *language = s_field (event->payload, "language");
    return notify_store_document_withdrawn (self->store, symbol.symbol,
                                            language ? language : "*", 1)
         ? NOTIFY_FAILED : NOTIFY_APPLIED;
}

//  --------------------------------------------------------------------------
//  Subscriptions: the notify worker's own decisions

notify_outcome_t
notify_subscription_added (void *self_, const pl_delivery_t *event,
                      char *reason, size_t reason_size)
{
    notify_worker_t *self = self_;
    const json_t *payload = event->payload;
    const char *email = s_field (payload, "email"), *meeting_id = s_field (payload, "meeting");
    const char *convention = s_field (payload, "convention");
    const char *language = s_field (payload, "language");
    if (!meeting_id == !convention) {
        snprintf (reason, reason_size, "subscription.added: give one of meeting and convention");
        return NOTIFY_REJECTED;
    }
    json_t *meeting = NULL;
    int found = meeting_id ? notify_store_meeting (self->store, meeting_id, &meeting) : 1;
    json_decref (meeting);
    if (found <= 0) {
        if (found == 0)
            snprintf (reason, reason_size, "meeting %s does not exist", meeting_id);
        return found < 0 ? NOTIFY_FAILED : NOTIFY_REJECTED;
    }
    char address [NOTIFY_ADDRESS_MAX];
    if (notify_address (self, email, address, sizeof address))
        return NOTIFY_FAILED;
    found = notify_store_subscribed (self->store, address, meeting_id, convention, language);
    if (found) {
        if (found > 0)
            snprintf (reason, reason_size, "%s already follows %s (%s)", email,
                      meeting_id ? meeting_id : convention, language ? language : "every language");
        return found < 0 ? NOTIFY_FAILED : NOTIFY_REJECTED;
    }
    return notify_store_subscribe (self->store, address, email, meeting_id, convention,
                                   language, s_field (payload, "role"))
        || notify_store_unsubscribe (self->store, address, 0) ? NOTIFY_FAILED : NOTIFY_APPLIED;
}

notify_outcome_t
notify_subscription_removed (void *self_, const pl_delivery_t *event,
                        char *reason, size_t reason_size)
{
    notify_worker_t *self = self_;
    const json_t *payload = event->payload;
    const char *meeting = s_field (payload, "meeting"), *convention = s_field (payload, "convention");
    if (meeting && convention) {
        snprintf (reason, reason_size, "subscription.removed: give at most one of meeting and "
                  "convention");
        return NOTIFY_REJECTED;
    }
    char address [NOTIFY_ADDRESS_MAX];
    int removed = 0;
    if (pl_mailkey_address (s_field (payload, "email"), address, sizeof address)
    ||  notify_store_unsubscribe_matching (self->store, address, meeting, convention,
                                           s_field (payload, "language"), &removed))
        return NOTIFY_FAILED;
    if (removed == 0) {
        snprintf (reason, reason_size, "%s follows nothing that matches",
                  s_field (payload, "email"));
        return NOTIFY_REJECTED;
    }
    return NOTIFY_APPLIED;
}

notify_outcome_t
notify_mail_unsubscribed (void *self_, const pl_delivery_t *event,
                     char *reason, size_t reason_size)
{
    notify_worker_t *self = self_;
    const char *hash = s_field (event->payload, "token_hash");
    size_t length = strlen (hash);
    if (length != S_HASH_HEX || strspn (hash, "0123456789abcdef") != length) {
        snprintf (reason, reason_size, "mail.unsubscribed: token_hash: not 64 lowercase hex "
                  "digits");
        return NOTIFY_REJECTED;
    }
    char address [NOTIFY_ADDRESS_MAX];
    int found = notify_store_address_by_token (self->store, hash, address, sizeof address);
    if (found <= 0) {
        if (found == 0)
            snprintf (reason, reason_size, "no address has this unsubscribe link");
        return found < 0 ? NOTIFY_FAILED : NOTIFY_REJECTED;
    }
    int removed = 0;
    return notify_store_unsubscribe (self->store, address, event->seq)
        || notify_store_unsubscribe_matching (self->store, address, NULL, NULL, NULL, &removed)
        || notify_store_notices_drop (self->store, address) ? NOTIFY_FAILED : NOTIFY_APPLIED;
}


/*  notify_worker — the notify worker's events and queries: what each event
    means for whom, written into the outbox as it is applied.

    The notify group follows records (meetings, sessions, participants,
    delegations, credentials), the archive (documents) and the calendar
    (private feed tokens), NOTIFY_FOLLOWS: the broker gives it an event only
    after its authority applied it, so nobody is told about something that
    was refused.  It decides alone the subscriptions (subscription.added,
    subscription.removed) and the one-click unsubscriptions
    (mail.unsubscribed).  Each message it derives from an event is a row of
    the outbox, unique by its Message-ID (the event's seq, the kind, the
    recipient), written in the same transaction as the event and the
    cursor: a crash, a redelivery or a replay never writes it twice.  An
    event the broker replays (attempt 0: the group gave its verdict on it
    before, so an earlier database of the group wrote its messages: a
    rebuild from seq 0) or that was logged more than replay_grace_ms (5
    min) before the database was made (a worker added to a system with a
    history) is applied to the views and its messages are recorded as
    replayed, never sent.  The sender thread (notify_sender) sends what is
    queued. */
#ifndef NOTIFY_WORKER_H_INCLUDED
#define NOTIFY_WORKER_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include "notify_config.h"
#include "notify_store.h"
#include "pl_mailkey.h"
#include "pl_worker.h"

#define NOTIFY_GROUP   "notify"
#define NOTIFY_SERVICE "notify"
//  The verdicts it follows: the facts it keeps a view of, by authority
#define NOTIFY_FOLLOWS "records:meeting.*,records:session.*,records:participant.*," \
                       "records:delegation.*,records:credentials.*,archive:document.*," \
                       "calendar:participant.token.*"

typedef struct _notify_worker_t notify_worker_t;

//  A worker over STORE (borrowed) with CONFIG and the mail KEY (copied).
//  WAKE (may be NULL) is called with ARG after a batch queued messages or
//  notices, on the worker's thread.  NULL when out of memory.
notify_worker_t *notify_worker_new (notify_store_t *store, const notify_config_t *config,
                                    const uint8_t key [PL_MAILKEY_BYTES],
                                    void (*wake) (void *arg), void *arg);

//  Free; NULL-safe, nulls *SELF_P.
void notify_worker_destroy (notify_worker_t **self_p);

//  The store it works on.
notify_store_t *notify_worker_store (notify_worker_t *self);

//  The pl_worker handler (its object a notify_worker_t).
const pl_worker_handler_t *notify_worker_handler (void);

//  The topics it takes, comma-separated, into BUF.  0 or -1.
int notify_worker_topics (char *buf, size_t size);

#endif

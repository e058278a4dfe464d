/*  notify_worker_internal — what the notify worker's two source files
    share (notify_worker.c: the table, meetings, sessions, participants,
    the batch; notify_subscriptions.c: documents and subscriptions).  Only
    they include this. */
#ifndef NOTIFY_WORKER_INTERNAL_H_INCLUDED
#define NOTIFY_WORKER_INTERNAL_H_INCLUDED

#include "notify_worker.h"
#include "pl_rules.h"

#define NOTIFY_ADDRESS_MAX 256

//  A handler's outcome (lib/pl_rules.h), by the names the handlers use.
typedef pl_outcome_t notify_outcome_t;
#define NOTIFY_FAILED   PL_FAILED
#define NOTIFY_APPLIED  PL_APPLIED
#define NOTIFY_REJECTED PL_REJECTED

struct _notify_worker_t {
    notify_store_t *store;
    notify_config_t config;
    uint8_t key [PL_MAILKEY_BYTES];
    void (*wake) (void *arg);
    void *wake_arg;
    size_t queued;                  //  messages and notices the batch queued
};

//  An event's handler: REASON says why when it returns NOTIFY_REJECTED.
typedef pl_event_fn notify_event_fn;

//  The handlers of notify_subscriptions.c
notify_event_fn notify_document_released, notify_document_declassified,
                notify_document_withdrawn, notify_subscription_added,
                notify_subscription_removed, notify_mail_unsubscribed;

//  The view lacks what LEADER had to create before EVENT, or cannot read
//  what LEADER applied: it disagrees.  Logged as an error; REASON says so.
//  Returns NOTIFY_REJECTED.
notify_outcome_t notify_disagrees (const pl_delivery_t *event, const char *leader,
                                   char *reason, size_t reason_size, const char *format, ...)
    __attribute__ ((format (printf, 5, 6)));

//  Note the address of EMAIL (its key into ADDRESS) with the hash of its
//  unsubscribe token.  0 or -1.
int notify_address (notify_worker_t *self, const char *email, char *address, size_t size);

//  Whether EVENT was acted on before, or belongs to a past before this
//  database: the broker replays it (attempt 0: the group gave its verdict
//  on it already, so an earlier database of the group wrote its messages),
//  or it was logged longer than replay_grace_ms before this database was
//  made (a notify worker added to a system with a history).  Its messages
//  are recorded as replayed, never sent.
int notify_replayed (notify_worker_t *self, const pl_delivery_t *event);

#endif

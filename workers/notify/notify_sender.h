/*  notify_sender — the thread that moves messages from the outbox to the
    mail relay, so that sending never blocks the worker's loop (events,
    queries, heartbeats).

    A CZMQ actor with its own connection to the notify database.  It loops:
      - writes the notices of each subscriber whose oldest notice is one
        interval old into one message (notify_store_notices_batch);
      - once a day, at --digest-at in --digest-tz, writes the secretariat's
        digest when there is one to write (never for a day before the
        database was made);
      - takes the queued message due first, renders it (its template, the
        links made with the mail key, the iTIP part), and hands it to the
        relay within the rate limit; a message that is not transactional
        to an address that unsubscribed is suppressed instead.
    The relay's answer decides what follows: sent; 4xx: the message waits,
    doubling from --retry up to 15 minutes, and fails after 100 attempts;
    the relay unreachable: every message waits for it, with the same
    back-off, the relay shown "down" by notify.status; 5xx: failed for good
    with the relay's answer.  A message leaves "queued" only when the relay
    took it, so a crash mid-send sends it again; a "sent" that cannot be
    written (the database busy past its timeout) is kept and written
    before anything else, so the message is never sent twice for that.

    It shares the database with the worker's loop, which must answer the
    broker's heartbeats: it never holds the write lock while it reads,
    renders or waits on the relay (each write a statement of its own, or a
    short transaction after the reading: a subscriber's notices, the
    digest), and it runs the WAL's checkpoints, every tick, which the
    worker's connection leaves to it (notify_store_checkpoints_elsewhere).

    The worker wakes it after each batch that queued something; otherwise
    it looks again at the next due time or within a second.  Destroying it
    aborts a send in progress (libcurl's progress callback) and joins the
    thread.  libical (iTIP, the digest's zone) is used on this thread only. */
#ifndef NOTIFY_SENDER_H_INCLUDED
#define NOTIFY_SENDER_H_INCLUDED

#include <stdint.h>
#include <jansson.h>
#include "notify_config.h"
#include "notify_store.h"
#include "notify_template.h"
#include "pl_mailkey.h"

typedef struct _notify_sender_t notify_sender_t;

//  Start the sender over the database at PATH with CONFIG and KEY (copied)
//  and TEMPLATES (taken).  NULL when it cannot start (logged).
notify_sender_t *notify_sender_new (const char *path, const notify_config_t *config,
                                    const uint8_t key [PL_MAILKEY_BYTES],
                                    notify_templates_t **templates_p);

//  Stop it (a send in progress is aborted and its message stays queued)
//  and free; NULL-safe, nulls *SELF_P.
void notify_sender_destroy (notify_sender_t **self_p);

//  Tell it that messages were queued: it looks at the outbox now.  Never
//  blocks (a wake already pending is enough).  ARG is the sender.
void notify_sender_wake (void *arg);

//  What writing a message needs (all borrowed).
typedef struct {
    const notify_config_t *config;
    const uint8_t *key;                 //  the mail key: the links it makes
    notify_templates_t *templates;
    notify_store_t *store;              //  whether a mailed feed was revoked
} notify_render_t;

//  MESSAGE (an outbox row, notify_store_outbox_next's) as the MIME text the
//  relay gets, dated NOW_MS, into *MIME (caller frees): its template in its
//  language with the links made with the mail key, and its iTIP part.  0,
//  or -1 with ERR (it cannot be written: for good).  The sender's thread
//  (libical); bench/pl_bench_notify.c times it.
int notify_sender_render (const notify_render_t *render, const json_t *message, int64_t now_ms,
                          char **mime, char *err, size_t errsize);

#endif

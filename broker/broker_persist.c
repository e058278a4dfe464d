/*  broker_persist — the engine's state that is not the log itself, saved
    with it: group cursors (and the topics and leaders of each group),
    verdicts other than "applied" (rejected, skipped), and the delivery
    attempts of redelivered events.  They go inside the next group commit,
    or on their own at most once per heartbeat interval: never one fsync per
    verdict.  A verdict is durable in its worker's database before the
    broker hears it (the worker commits, then answers), so what this file
    saves lazily is always learnt again after a crash. */
#include "broker_internal.h"
#include "pl_log.h"

#include <stdio.h>
#include <string.h>

//  --------------------------------------------------------------------------
//  Persisting cursors, rejected verdicts and redelivery attempts: inside the next group commit,
//  or on their own at most once per heartbeat interval (never one fsync per
//  verdict).

//  Write dirty cursors and queued verdicts inside the open transaction.
int
broker_flush (broker_t *self)
{
    for (broker_group_t *group = zlistx_first (self->group_list); group;
         group = zlistx_next (self->group_list)) {
        if (broker_group_attempts_save (self, group))
            return -1;
        if (group->acked_through == group->saved_through
        &&  strcmp (group->topics, group->saved_topics) == 0
        &&  strcmp (group->follows, group->saved_follows) == 0)
            continue;
        broker_cursor_t cursor = { .acked_through = group->acked_through };
        snprintf (cursor.group, sizeof cursor.group, "%s", group->name);
        snprintf (cursor.topics, sizeof cursor.topics, "%s", group->topics);
        snprintf (cursor.follows, sizeof cursor.follows, "%s", group->follows);
        if (self->ops->cursor_save (self->store, &cursor))
            return -1;
    }
    for (size_t i = 0; i < self->verdict_count; i++) {
        broker_verdict_t *verdict = &self->verdicts [i];
        if (self->ops->verdict_save (self->store, verdict->group, verdict->seq,
                                     verdict->verdict, verdict->reason))
            return -1;
    }
    return 0;
}

//  After a commit that included broker_flush: mark everything saved.
void
broker_flushed (broker_t *self)
{
    for (broker_group_t *group = zlistx_first (self->group_list); group;
         group = zlistx_next (self->group_list)) {
        group->saved_through = group->acked_through;
        memcpy (group->saved_topics, group->topics, sizeof group->topics);
        memcpy (group->saved_follows, group->follows, sizeof group->follows);
        group->attempts_dirty = 0;
    }
    self->verdict_count = 0;
    self->last_flush = pl_mono_ms ();
}

static int
s_dirty (broker_t *self)
{
    if (self->verdict_count)
        return 1;
    for (broker_group_t *group = zlistx_first (self->group_list); group;
         group = zlistx_next (self->group_list))
        if (group->acked_through != group->saved_through
        ||  strcmp (group->topics, group->saved_topics)
        ||  strcmp (group->follows, group->saved_follows) || group->attempts_dirty)
            return 1;
    return 0;
}

//  Queue GROUP's VERDICT (not "applied") on SEQ for the next flush: 0, or
//  -1 when the queue is full.
int
broker_verdict_queue (broker_t *self, const char *group, uint64_t seq,
                      const char *verdict, const char *reason)
{
    if (self->verdict_count == BROKER_VERDICT_QUEUE)
        return -1;
    broker_verdict_t *queued = &self->verdicts [self->verdict_count++];
    snprintf (queued->group, sizeof queued->group, "%s", group);
    queued->seq = seq;
    snprintf (queued->verdict, sizeof queued->verdict, "%s", verdict);
    snprintf (queued->reason, sizeof queued->reason, "%s", reason);
    return 0;
}

int
broker_persist (broker_t *self)
{
    if (!s_dirty (self))
        return 0;
    if (self->ops->begin (self->store))
        return -1;
    if (broker_flush (self) || self->ops->commit (self->store)) {
        self->ops->rollback (self->store);
        return -1;
    }
    broker_flushed (self);
    return 0;
}

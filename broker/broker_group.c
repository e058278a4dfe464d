/*  broker_group — worker groups: their cursors and the delivery of events.

    Every group has one consumer (the first ready worker; later ones are
    standbys that still answer queries).  Events go to the consumer in log
    order, read from the store in chunks, while fewer than its credit are in
    flight; the broker keeps only a small record per event in flight (seq,
    attempts, time), never the event itself.  A follower gets an event only
    after its leaders' verdicts (broker_follow.c).

    A group's acked_through is the highest seq below which every matching
    event has a verdict; it answers receipts ("applied") and is persisted
    with the next group commit, or at most once per heartbeat interval.
    Delivery to a new consumer starts after min (its own cursor,
    acked_through), so no verdict is lost when the broker restarts with a
    slightly older cursor: the worker resends the first verdict of each
    event it already applied.

    When the consumer dies or its oldest event in flight passes
    ack_timeout, its events in flight are delivered again (attempt + 1), to
    it or to the next consumer, and the oldest of them (the suspect) is
    parked once it has been delivered max_deliveries times.  The attempts of
    redelivered events (2 and more) are persisted with the cursors (next
    group commit or flush, no fsync of their own) and restored at start, so
    a restart does not reset the count; a first delivery is not recorded
    (that would be a write per event). */
#include "broker_internal.h"
#include "pl_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  --------------------------------------------------------------------------
//  Groups

broker_group_t *
broker_group_new (broker_t *self, const char *name, const char *topics, const char *follows,
             uint64_t acked_through)
{
    broker_group_t *group = calloc (1, sizeof *group);
    if (!group)
        return NULL;
    snprintf (group->name, sizeof group->name, "%s", name);
    snprintf (group->topics, sizeof group->topics, "%s", topics);
    memcpy (group->saved_topics, group->topics, sizeof group->topics);
    group->acked_through = group->saved_through = acked_through;
    group->scan = group->high = acked_through + 1;
    group->verdict_delay_ms = -1;
    group->workers = zlistx_new ();
    group->parked = zhashx_new ();
    group->restored = zhashx_new ();
    if (!group->workers || !group->parked || !group->restored
    ||  broker_group_follow (group, follows)) {
        broker_group_destroy (&group);
        return NULL;
    }
    memcpy (group->saved_follows, group->follows, sizeof group->follows);
    zhashx_insert (self->groups, group->name, group);
    zlistx_add_end (self->group_list, group);
    return group;
}

void
broker_group_destroy (broker_group_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    broker_group_t *self = *self_p;
    zlistx_destroy (&self->workers);
    zhashx_destroy (&self->parked);
    zhashx_destroy (&self->restored);
    free (self->flights);
    free (self->leaders);
    free (self);
    *self_p = NULL;
}

broker_group_t *
broker_group_lookup (broker_t *self, const char *name)
{
    return zhashx_lookup (self->groups, name);
}

static int
s_load_cursor (void *arg, const broker_cursor_t *cursor)
{
    broker_t *self = arg;
    return broker_group_new (self, cursor->group, cursor->topics, cursor->follows,
                        cursor->acked_through) ? 0 : 1;
}

static int
s_load_parked (void *arg, const broker_dead_letter_t *dead)
{
    broker_t *self = arg;
    broker_group_t *group = broker_group_lookup (self, dead->group);
    if (!group)
        group = broker_group_new (self, dead->group, "", "", 0);
    if (group) {
        char key [24];
        snprintf (key, sizeof key, "%llu", (unsigned long long) dead->seq);
        zhashx_insert (group->parked, key, (void *) 1);
    }
    return 0;
}

int
broker_group_parked (broker_group_t *group, uint64_t seq)
{
    if (zhashx_size (group->parked) == 0)
        return 0;
    char key [24];
    snprintf (key, sizeof key, "%llu", (unsigned long long) seq);
    return zhashx_lookup (group->parked, key) != NULL;
}

//  A stored attempt count: kept until the event is delivered again, unless
//  it has a verdict already (its row outlived a crash).
static int
s_load_attempts (void *arg, const char *name, uint64_t seq, uint32_t attempts)
{
    broker_t *self = arg;
    broker_group_t *group = broker_group_lookup (self, name);
    if (!group)
        group = broker_group_new (self, name, "", "", 0);
    if (!group)
        return 1;
    if (seq > group->acked_through && !broker_group_parked (group, seq) && attempts > 0) {
        char key [24];
        snprintf (key, sizeof key, "%llu", (unsigned long long) seq);
        zhashx_update (group->restored, key, (void *) (uintptr_t) attempts);
    }
    else
        group->attempts_dirty = 1;      //  drop the stale row at the next flush
    return 0;
}

int
broker_groups_load (broker_t *self)
{
    if (self->ops->cursor_load (self->store, s_load_cursor, self)
    ||  self->ops->dead_letter_list (self->store, NULL, s_load_parked, self))
        return -1;
    return self->ops->attempts_load (self->store, s_load_attempts, self);
}

//  Rewrite GROUP's stored attempts (inside a transaction) when they changed:
//  its redelivered events in flight, and the restored counts not yet used.
int
broker_group_attempts_save (broker_t *self, broker_group_t *group)
{
    if (!group->attempts_dirty)
        return 0;
    if (self->ops->attempts_clear (self->store, group->name))
        return -1;
    for (size_t i = 0; i < group->flight_count; i++) {
        broker_flight_t *flight = &group->flights [i];
        if (!flight->replay && flight->attempts >= 2
        &&  self->ops->attempts_save (self->store, group->name, flight->seq, flight->attempts))
            return -1;
    }
    for (void *value = zhashx_first (group->restored); value;
         value = zhashx_next (group->restored)) {
        const char *key = zhashx_cursor (group->restored);
        if (self->ops->attempts_save (self->store, group->name, strtoull (key, NULL, 10),
                                      (uint32_t) (uintptr_t) value))
            return -1;
    }
    return 0;
}

//  The flight of SEQ, or NULL; *INDEX_P gets where it is or would go.
broker_flight_t *
broker_flight_find (broker_group_t *group, uint64_t seq, size_t *index_p)
{
    size_t low = 0, high = group->flight_count;
    while (low < high) {
        size_t middle = (low + high) / 2;
        if (group->flights [middle].seq < seq)
            low = middle + 1;
        else
            high = middle;
    }
    if (index_p)
        *index_p = low;
    return low < group->flight_count && group->flights [low].seq == seq
         ? &group->flights [low] : NULL;
}

static broker_flight_t *
s_flight_insert (broker_group_t *group, uint64_t seq, int replay)
{
    size_t index;
    broker_flight_find (group, seq, &index);
    if (group->flight_count == group->flight_max) {
        size_t max = group->flight_max ? group->flight_max * 2 : 64;
        broker_flight_t *flights = realloc (group->flights, max * sizeof *flights);
        if (!flights)
            return NULL;
        group->flights = flights;
        group->flight_max = max;
    }
    memmove (&group->flights [index + 1], &group->flights [index],
             (group->flight_count - index) * sizeof *group->flights);
    group->flight_count++;
    broker_flight_t *flight = &group->flights [index];
    *flight = (broker_flight_t) { .seq = seq, .replay = replay };
    return flight;
}

void
broker_flight_remove (broker_group_t *group, broker_flight_t *flight)
{
    size_t index = (size_t) (flight - group->flights);
    if (flight->sent)
        group->in_flight--;
    if (!flight->replay && flight->attempts >= 2)
        group->attempts_dirty = 1;      //  its stored count goes with it
    memmove (&group->flights [index], &group->flights [index + 1],
             (group->flight_count - index - 1) * sizeof *group->flights);
    group->flight_count--;
}

//  Advance acked_through to just below the oldest event still waiting for a
//  verdict; answer the receipts that this settles.
void
broker_group_advance (broker_t *self, broker_group_t *group)
{
    uint64_t limit = group->high;
    for (size_t i = 0; i < group->flight_count; i++)
        if (!group->flights [i].replay) {
            if (group->flights [i].seq < limit)
                limit = group->flights [i].seq;
            break;
        }
    if (limit - 1 > group->acked_through) {
        group->acked_through = limit - 1;
        broker_receipts_settle (self, group);
    }
}

//  Publish a group's first verdict on SEQ and answer the receipts for it.
void
broker_group_verdict (broker_t *self, broker_group_t *group, uint64_t seq,
                 const char *verdict, const char *reason)
{
    char topic [PL_GROUP_MAX + 16];
    snprintf (topic, sizeof topic, "$verdict.%s", group->name);
    zmsg_t *note = zmsg_new ();
    zmsg_addstr (note, topic);
    pl_frame_put_u64 (note, seq);
    zmsg_addstr (note, verdict);
    zmsg_addstr (note, self->pub_withholds ? "" : reason);     //  a reason may name a person
    zmsg_send (&note, self->pub);
    broker_receipts_answer (self, group->name, seq, verdict, reason);
}

//  The topic and event id of one event, read for its dead letter row.
typedef struct {
    char topic [PL_TOPIC_MAX + 1];
    char event_id [PL_EVENT_ID_MAX + 1];
} s_names_t;

static int
s_copy_names (void *arg, const broker_event_t *event)
{
    s_names_t *names = arg;
    snprintf (names->topic, sizeof names->topic, "%s", event->topic);
    snprintf (names->event_id, sizeof names->event_id, "%s", event->event_id);
    return 1;
}

//  Park FLIGHT of GROUP as a dead letter; WHY names the last failure.
static void
s_park (broker_t *self, broker_group_t *group, broker_flight_t *flight, const char *why)
{
    uint64_t seq = flight->seq, next;
    char cause [256];
    snprintf (cause, sizeof cause, "no verdict after %u deliveries; last: %s",
              flight->attempts, why);
    s_names_t names = { "", "" };
    self->ops->read (self->store, seq, 1, NULL, s_copy_names, &names, &next);
    broker_dead_letter_t dead = {
        .seq = seq, .group = group->name, .topic = names.topic, .event_id = names.event_id,
        .attempts = flight->attempts, .cause = cause, .parked_at = pl_time_ms ()
    };
    broker_flight_remove (group, flight);
    //  Parking is rare: its own transaction, so dlq.list shows it at once.
    if (self->ops->begin (self->store) == 0
    &&  self->ops->dead_letter_save (self->store, &dead) == 0
    &&  self->ops->verdict_save (self->store, group->name, seq, "parked", cause) == 0
    &&  broker_group_attempts_save (self, group) == 0
    &&  self->ops->commit (self->store) == 0) {
        group->attempts_dirty = 0;
        pl_warn ("broker: parked seq=%llu group=%s event_id=%s cause=%s",
                 (unsigned long long) seq, group->name, names.event_id, cause);
    }
    else {
        self->ops->rollback (self->store);
        pl_error ("broker: could not store dead letter seq=%llu group=%s",
                  (unsigned long long) seq, group->name);
    }
    char key [24];
    snprintf (key, sizeof key, "%llu", (unsigned long long) seq);
    zhashx_insert (group->parked, key, (void *) 1);
    broker_group_verdict (self, group, seq, "parked", cause);
    broker_group_advance (self, group);
}

//  The consumer died or timed out: park the suspect when it has had its
//  deliveries, and make every other event in flight wait for redelivery.
//  KEEP_REPLAYS: the consumer lives on (ack timeout) and still needs the
//  rest of its replay; otherwise replays end with the consumer.
void
broker_group_requeue (broker_t *self, broker_group_t *group, const char *why, int keep_replays)
{
    broker_flight_t *suspect = NULL;
    for (size_t i = 0; i < group->flight_count && !suspect; i++)
        if (group->flights [i].sent && !group->flights [i].replay)
            suspect = &group->flights [i];
    if (suspect && suspect->attempts >= (uint32_t) self->config.max_deliveries)
        s_park (self, group, suspect, why);
    size_t kept = 0;
    for (size_t i = 0; i < group->flight_count; i++)
        if (keep_replays || !group->flights [i].replay) {
            group->flights [kept] = group->flights [i];
            group->flights [kept++].sent = 0;
        }
    group->flight_count = kept;
    group->in_flight = 0;
    if (kept && group->flights [0].seq < group->scan)
        group->scan = group->flights [0].seq;
    group->waiting_on [0] = 0;          //  the events to resend needed no leader
}

//  Make WORKER the consumer of its group: delivery resumes after the lower
//  of its cursor and the group's.
void
broker_group_take (broker_t *self, broker_group_t *group, broker_worker_t *worker)
{
    group->consumer = worker;
    snprintf (group->topics, sizeof group->topics, "%s", worker->topics);
    if (strcmp (group->follows, worker->follows))
        broker_group_follow (group, worker->follows);   //  checked at READY
    group->waiting_on [0] = 0;
    uint64_t start = (worker->from < group->acked_through ? worker->from : group->acked_through) + 1;
    group->scan = start;
    if (group->flight_count && group->flights [0].seq < group->scan)
        group->scan = group->flights [0].seq;
    pl_info ("broker: consumer group=%s worker=%.12s from=%llu acked_through=%llu%s%s",
             group->name, worker->key, (unsigned long long) worker->from,
             (unsigned long long) group->acked_through, *group->follows ? " follows=" : "",
             group->follows);
}

//  --------------------------------------------------------------------------
//  Delivery

void
broker_worker_send (broker_t *self, broker_worker_t *worker, uint8_t command, zmsg_t **body_p)
{
    zmsg_t *msg = body_p && *body_p ? *body_p : zmsg_new ();
    if (body_p)
        *body_p = NULL;
    zmsg_pushmem (msg, &command, 1);
    zmsg_pushstr (msg, PL_PROTO_WORKER);
    zmsg_pushmem (msg, zframe_data (worker->identity), zframe_size (worker->identity));
    zmsg_send (&msg, self->backend);
    worker->last_send = pl_mono_ms ();
}

typedef struct {
    broker_t *broker;
    broker_group_t *group;
    int64_t now;
} s_deliver_t;

//  A leader of GROUP did not apply EVENT: the group never sees it, and
//  unless this is a replay (it has its verdict from the first time) the
//  broker gives the group's verdict itself.  0 to go on, 1 to stop when
//  the queue of unsaved verdicts is full (the dispatch saves it first).
static int
s_skip (broker_t *self, broker_group_t *group, broker_flight_t *flight,
        const broker_event_t *event, const char *reason)
{
    if (event->seq > group->acked_through) {
        if (broker_verdict_queue (self, group->name, event->seq, "skipped", reason))
            return 1;
        pl_info ("broker: skipped seq=%llu group=%s topic=%s", (unsigned long long) event->seq,
                 group->name, event->topic);     //  the reason may name a person
        broker_group_verdict (self, group, event->seq, "skipped", reason);
    }
    if (flight)
        broker_flight_remove (group, flight);
    if (event->seq >= group->high)
        group->high = event->seq + 1;
    return 0;
}

//  Read callback: send one event to the consumer, or stop (1) when its
//  credit is used up.
static int
s_deliver (void *arg, const broker_event_t *event)
{
    s_deliver_t *run = arg;
    broker_group_t *group = run->group;
    broker_worker_t *consumer = group->consumer;
    if (group->in_flight >= consumer->credit)
        return 1;
    broker_flight_t *flight = broker_flight_find (group, event->seq, NULL);
    if (flight) {
        if (flight->sent)
            return 0;                   //  still in flight: nothing to resend
    }
    else
    if (broker_group_parked (group, event->seq))
        return 0;
    else
    if (event->seq < group->high && event->seq > group->acked_through)
        return 0;                       //  got its verdict already, out of order
    if (group->leader_count) {
        //  A follower: only what its leaders applied, once they have
        char reason [PL_REASON_MAX + 1];
        broker_lead_t lead = broker_follow_check (run->broker, group, event->seq,
                                                  event->topic, reason, sizeof reason);
        if (lead == BROKER_LEAD_WAIT || lead == BROKER_LEAD_FAILED)
            return 1;
        if (lead == BROKER_LEAD_SKIP)
            return s_skip (run->broker, group, flight, event, reason);
    }
    if (!flight) {
        flight = s_flight_insert (group, event->seq, event->seq <= group->acked_through);
        if (!flight)
            return 1;
        if (!flight->replay && zhashx_size (group->restored)) {
            char key [24];
            snprintf (key, sizeof key, "%llu", (unsigned long long) event->seq);
            flight->attempts = (uint32_t) (uintptr_t) zhashx_lookup (group->restored, key);
            zhashx_delete (group->restored, key);
        }
    }
    flight->sent = 1;
    flight->time_ms = event->time_ms;
    flight->attempts++;
    if (!flight->replay && flight->attempts >= 2)
        group->attempts_dirty = 1;
    flight->sent_at = run->now;
    group->in_flight++;
    if (event->seq >= group->high)
        group->high = event->seq + 1;
    zmsg_t *body = zmsg_new ();
    pl_frame_put_u64 (body, event->seq);
    zmsg_addstr (body, event->topic);
    zmsg_addstr (body, event->event_id);
    zmsg_addmem (body, event->payload, event->payload_size);
    //  A replay (the group judged it already) says so with attempt 0, so a
    //  worker that acts beyond its database (plenary-notify's mail) knows
    //  the event was acted on once
    pl_frame_put_u32 (body, flight->replay ? 0 : flight->attempts);
    pl_frame_put_u64 (body, (uint64_t) event->time_ms);
    //  The stamp: who published it
    zmsg_addstr (body, event->role ? event->role : "");
    zmsg_addstr (body, event->by ? event->by : "");
    zmsg_addstr (body, event->delegation ? event->delegation : "");
    broker_worker_send (run->broker, consumer, PL_W_EVENT, &body);
    return 0;
}

static void
s_group_dispatch (broker_t *self, broker_group_t *group)
{
    if (group->leader_count) {
        if (broker_follow_waiting (self, group))
            return;                     //  its leader has not caught up: nothing to read
        if (self->verdict_count == BROKER_VERDICT_QUEUE)
            broker_persist (self);      //  room for the verdicts it may skip
    }
    uint64_t last = self->ops->last_seq (self->store);
    s_deliver_t run = { self, group, pl_mono_ms () };
    while (group->consumer && group->scan <= last
       &&  group->in_flight < group->consumer->credit) {
        uint64_t next = group->scan;
        if (self->ops->read (self->store, group->scan, BROKER_READ_ROWS, group->topics,
                             s_deliver, &run, &next))
            break;
        if (next > group->high)
            group->high = next;         //  rows skipped by topic count as delivered
        if (next == group->scan)
            break;
        group->scan = next;
        broker_group_advance (self, group);
    }
}

void
broker_groups_dispatch (broker_t *self)
{
    for (broker_group_t *group = zlistx_first (self->group_list); group;
         group = zlistx_next (self->group_list))
        if (group->consumer)
            s_group_dispatch (self, group);
}

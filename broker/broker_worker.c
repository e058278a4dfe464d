/*  broker_worker — the backend (PLW01): workers joining, their commands,
    verdicts, heartbeats.

    A worker joins with READY (group, topics, services, credit, cursor and
    what it follows), checked against its key's grants (broker_identity);
    it then receives the events of its group (broker_group.c) and queries.
    Failure handling (Paranoid Pirate): a worker silent for liveness
    heartbeat intervals is dead, and its group's events in flight go to the
    next consumer; a malformed command disconnects it. */
#include "broker_internal.h"
#include "pl_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  --------------------------------------------------------------------------
//  Workers

void
broker_worker_destroy (broker_worker_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    zframe_destroy (&(*self_p)->identity);
    free (*self_p);
    *self_p = NULL;
}

//  Forget WORKER (dead, disconnected or misbehaving): fail over its group
//  and give its queries to others.  Sends DISCONNECT with REASON when set.
static void
s_worker_remove (broker_t *self, broker_worker_t *worker, const char *reason)
{
    if (reason) {
        zmsg_t *body = zmsg_new ();
        zmsg_addstr (body, reason);
        broker_worker_send (self, worker, PL_W_DISCONNECT, &body);
    }
    worker->gone = 1;                   //  no more queries for it
    broker_group_t *group = worker->group;
    if (group) {
        void *handle = zlistx_find (group->workers, worker);
        if (handle)
            zlistx_delete (group->workers, handle);
        if (group->consumer == worker) {
            group->consumer = NULL;
            broker_group_requeue (self, group, "worker died", 0);
            broker_worker_t *next = zlistx_first (group->workers);
            if (next)
                broker_group_take (self, group, next);
        }
    }
    broker_queries_orphan (self, worker);
    zhashx_delete (self->workers, worker->key);     //  destroys it
}

//  DISCONNECT an unknown peer that did not start with READY.
static void
s_refuse (broker_t *self, zframe_t *identity, const char *reason)
{
    zmsg_t *msg = zmsg_new ();
    zmsg_addmem (msg, zframe_data (identity), zframe_size (identity));
    zmsg_addstr (msg, PL_PROTO_WORKER);
    pl_frame_put_byte (msg, PL_W_DISCONNECT);
    zmsg_addstr (msg, reason);
    zmsg_send (&msg, self->backend);
    pl_info ("broker: refused worker cause=%s", reason);
}

static int
s_services_valid (const char *services)
{
    char copy [BROKER_SERVICES_MAX + 1];
    snprintf (copy, sizeof copy, "%s", services);
    char *saveptr = NULL;
    for (char *name = strtok_r (copy, ",", &saveptr); name; name = strtok_r (NULL, ",", &saveptr))
        if (!pl_group_valid (name))
            return 0;
    return 1;
}

//  READY: group, topics, services, credit, from.  Returns an error text.
static const char *
s_ready (broker_t *self, const char *key, zframe_t *identity, zmsg_t *msg)
{
    broker_worker_t worker = { .credit = 0 };
    char group_name [PL_GROUP_MAX + 1];
    if (zmsg_size (msg) != 7 && zmsg_size (msg) != 8)
        return "READY: expected 5 or 6 frames (group, topics, services, credit, from[, follows])";
    if (pl_frame_get_str (zmsg_next (msg), group_name, sizeof group_name)
    ||  !pl_group_valid (group_name))
        return "READY: group must be 1 to 32 bytes of [a-z0-9-]";
    if (pl_frame_get_str (zmsg_next (msg), worker.topics, sizeof worker.topics))
        return "READY: topics longer than 1024 bytes";
    if (pl_frame_get_str (zmsg_next (msg), worker.services, sizeof worker.services)
    ||  !s_services_valid (worker.services))
        return "READY: services must be a comma-separated list of [a-z0-9-] names";
    if (pl_frame_get_u32 (zmsg_next (msg), &worker.credit))
        return "READY: credit must be a frame of exactly 4 bytes";
    if (pl_frame_get_u64 (zmsg_next (msg), &worker.from))
        return "READY: from must be a frame of exactly 8 bytes";
    zframe_t *follows = zmsg_next (msg);
    if (follows && pl_frame_get_str (follows, worker.follows, sizeof worker.follows))
        return "READY: follows longer than 1024 bytes";
    if (broker_follows_cycle (self, group_name, worker.follows, self->refusal,
                              sizeof self->refusal))
        return self->refusal;
    if (worker.credit > (uint32_t) self->config.max_credit)
        worker.credit = (uint32_t) self->config.max_credit;
    //  Its key decides which group and services it may claim, and its credit
    //  (the metadata rides on the frames the peer sent, not on its routing id)
    zframe_t *header = zmsg_first (msg);
    if (broker_identity_worker (self->identity, header, group_name, worker.services,
                                &worker.credit, self->refusal, sizeof self->refusal))
        return self->refusal;
    snprintf (worker.key_name, sizeof worker.key_name, "%s",
              broker_identity_name (self->identity, header));
    broker_group_t *group = broker_group_lookup (self, group_name);
    if (!group)
        group = broker_group_new (self, group_name, worker.topics, worker.follows, 0);
    broker_worker_t *copy = malloc (sizeof *copy);
    if (!group || !copy) {
        free (copy);
        return "broker out of memory";
    }
    *copy = worker;
    snprintf (copy->key, sizeof copy->key, "%s", key);
    copy->identity = zframe_dup (identity);
    copy->group = group;
    copy->last_recv = copy->last_send = pl_mono_ms ();
    zhashx_insert (self->workers, copy->key, copy);
    zlistx_add_end (group->workers, copy);
    pl_info ("broker: worker ready group=%s worker=%.12s topics=%s services=%s credit=%u from=%llu follows=%s",
             group->name, copy->key, copy->topics, copy->services, copy->credit,
             (unsigned long long) copy->from, *copy->follows ? copy->follows : "-");
    if (!group->consumer)
        broker_group_take (self, group, copy);
    broker_queries_assign (self);
    return NULL;
}

//  VERDICT: seq, verdict, reason.  Returns an error text.
static const char *
s_verdict (broker_t *self, broker_worker_t *worker, zmsg_t *msg)
{
    uint64_t seq;
    char verdict [16], reason [PL_REASON_MAX + 1];
    if (zmsg_size (msg) != 5)
        return "VERDICT: expected 3 frames (seq, verdict, reason)";
    if (pl_frame_get_u64 (zmsg_next (msg), &seq))
        return "VERDICT: seq must be a frame of exactly 8 bytes";
    if (pl_frame_get_str (zmsg_next (msg), verdict, sizeof verdict)
    ||  (strcmp (verdict, "applied") && strcmp (verdict, "rejected")))
        return "VERDICT: verdict must be applied or rejected";
    if (pl_frame_get_str (zmsg_next (msg), reason, sizeof reason))
        return "VERDICT: reason longer than 512 bytes";
    broker_group_t *group = worker->group;
    if (group->consumer != worker) {
        pl_debug ("broker: verdict from standby ignored group=%s seq=%llu",
                  group->name, (unsigned long long) seq);
        return NULL;
    }
    broker_flight_t *flight = broker_flight_find (group, seq, NULL);
    if (!flight) {
        pl_debug ("broker: verdict for seq not in flight ignored group=%s seq=%llu",
                  group->name, (unsigned long long) seq);
        return NULL;
    }
    int replay = flight->replay;
    int64_t appended = flight->time_ms;
    broker_flight_remove (group, flight);
    if (!replay) {
        //  The first verdict of the group on SEQ: keep it, tell the world.
        if (strcmp (verdict, "rejected") == 0) {
            if (self->verdict_count == BROKER_VERDICT_QUEUE)
                broker_persist (self);
            if (broker_verdict_queue (self, group->name, seq, verdict, reason))
                pl_error ("broker: verdict lost group=%s seq=%llu (storage failing)",
                          group->name, (unsigned long long) seq);
        }
        int64_t delay = pl_time_ms () - appended;
        group->verdict_delay_ms = delay > 0 ? delay : 0;    //  the wall clock may step
        broker_group_verdict (self, group, seq, verdict, strcmp (verdict, "applied") ? reason : "");
    }
    broker_group_advance (self, group);
    return NULL;
}

static const char *
s_reply (broker_t *self, broker_worker_t *worker, zmsg_t *msg)
{
    if (zmsg_size (msg) != 5)
        return "REPLY: expected 3 frames (request_id, status, payload or text)";
    broker_query_reply (self, worker, msg);
    return NULL;
}

static const char *
s_heartbeat (broker_t *self, broker_worker_t *worker, zmsg_t *msg)
{
    return NULL;                        //  last_recv was updated already
}

typedef const char *(s_worker_fn) (broker_t *self, broker_worker_t *worker, zmsg_t *msg);

static const struct {
    uint8_t command;
    s_worker_fn *handler;               //  NULL: handled before the table
} s_commands [] = {
    { PL_W_READY,      NULL },
    { PL_W_VERDICT,    s_verdict },
    { PL_W_REPLY,      s_reply },
    { PL_W_HEARTBEAT,  s_heartbeat },
    { PL_W_DISCONNECT, NULL },
};

//  One message from the backend.  MSG keeps its header and command frames,
//  with the cursor on the command: handlers read the body with zmsg_next.
void
broker_worker_message (broker_t *self, zmsg_t **msg_p)
{
    zmsg_t *msg = *msg_p;
    zframe_t *identity = zmsg_pop (msg);
    char key [sizeof ((broker_worker_t *) 0)->key] = "";
    if (identity && zframe_size (identity) <= 256) {
        char *hex = zframe_strhex (identity);
        snprintf (key, sizeof key, "%s", hex ? hex : "");
        free (hex);
    }
    broker_worker_t *worker = zhashx_lookup (self->workers, key);
    if (worker)
        worker->last_recv = pl_mono_ms ();
    uint8_t command = 0;
    const char *error = NULL;
    size_t index = 0, count = sizeof s_commands / sizeof s_commands [0];
    zframe_t *header = zmsg_first (msg);
    for (zframe_t *frame = header; frame; frame = zmsg_next (msg))
        if (zframe_size (frame) > self->config.max_frame)
            error = "a frame is larger than max_frame";
    if (error)
        ;
    else
    if (!identity || !header || !zframe_streq (header, PL_PROTO_WORKER))
        error = "expected protocol header PLW01 in frame 0";
    else
    if (zmsg_first (msg), pl_frame_get_byte (zmsg_next (msg), &command))
        error = "frame 1 must be a one-byte command";
    else {
        while (index < count && s_commands [index].command != command)
            index++;
        if (index == count)
            error = "unknown command";
        else
        if (command == PL_W_DISCONNECT) {
            if (worker) {
                pl_info ("broker: worker disconnected group=%s worker=%.12s",
                         worker->group->name, worker->key);
                s_worker_remove (self, worker, NULL);
            }
        }
        else
        if (command == PL_W_READY)
            error = worker ? "READY sent twice" : s_ready (self, key, identity, msg);
        else
        if (!worker)
            error = "send READY first";
        else
            error = s_commands [index].handler (self, worker, msg);
    }
    if (error) {
        pl_info ("broker: malformed worker message worker=%.12s cause=%s", key, error);
        if (worker)
            s_worker_remove (self, worker, error);
        else
        if (identity)
            s_refuse (self, identity, error);
    }
    zframe_destroy (&identity);
    zmsg_destroy (msg_p);
}

//  Heartbeats, liveness and ack timeouts.
void
broker_workers_tick (broker_t *self, int64_t now)
{
    int64_t dead_after = (int64_t) self->config.liveness * self->config.heartbeat_ms;
    zlistx_t *dead = zlistx_new ();
    for (broker_worker_t *worker = zhashx_first (self->workers); worker;
         worker = zhashx_next (self->workers)) {
        if (now - worker->last_recv > dead_after)
            zlistx_add_end (dead, worker);
        else
        if (now - worker->last_send >= self->config.heartbeat_ms)
            broker_worker_send (self, worker, PL_W_HEARTBEAT, NULL);
    }
    for (broker_worker_t *worker = zlistx_first (dead); worker; worker = zlistx_next (dead)) {
        pl_warn ("broker: worker dead group=%s worker=%.12s silent_ms=%lld",
                 worker->group->name, worker->key, (long long) (now - worker->last_recv));
        s_worker_remove (self, worker, "no heartbeat from you within liveness");
    }
    zlistx_destroy (&dead);
    for (broker_group_t *group = zlistx_first (self->group_list); group;
         group = zlistx_next (self->group_list)) {
        if (!group->consumer || group->in_flight == 0)
            continue;
        int64_t oldest = now;
        for (size_t i = 0; i < group->flight_count; i++)
            if (group->flights [i].sent && group->flights [i].sent_at < oldest)
                oldest = group->flights [i].sent_at;
        if (now - oldest >= self->config.ack_timeout_ms) {
            pl_warn ("broker: ack timeout group=%s worker=%.12s in_flight=%zu; redelivering",
                     group->name, group->consumer->key, group->in_flight);
            broker_group_requeue (self, group, "ack timeout", 1);
        }
    }
}

//  Keys were revoked: disconnect the workers that hold one.
void
broker_workers_revoked (broker_t *self)
{
    zlistx_t *gone = zlistx_new ();
    for (broker_worker_t *worker = zhashx_first (self->workers); worker;
         worker = zhashx_next (self->workers))
        if (!broker_identity_allowed (self->identity, worker->key_name))
            zlistx_add_end (gone, worker);
    for (broker_worker_t *worker = zlistx_first (gone); worker; worker = zlistx_next (gone)) {
        char reason [PL_GROUP_MAX + 32];
        snprintf (reason, sizeof reason, "key %s was revoked", worker->key_name);
        pl_warn ("broker: worker disconnected group=%s worker=%.12s cause=%s",
                 worker->group->name, worker->key, reason);
        s_worker_remove (self, worker, reason);
    }
    zlistx_destroy (&gone);
}

//  At stop: tell every worker, forget them all.
void
broker_workers_stop (broker_t *self)
{
    for (broker_worker_t *worker = zhashx_first (self->workers); worker;
         worker = zhashx_next (self->workers)) {
        zmsg_t *body = zmsg_new ();
        zmsg_addstr (body, "broker stopping");
        broker_worker_send (self, worker, PL_W_DISCONNECT, &body);
    }
}

//  The ready worker offering SERVICE that got the fewest queries; NULL if none.
broker_worker_t *
broker_worker_for_service (broker_t *self, const char *service)
{
    broker_worker_t *best = NULL;
    for (broker_worker_t *worker = zhashx_first (self->workers); worker;
         worker = zhashx_next (self->workers))
        if (!worker->gone && pl_topic_match (worker->services, service)
        &&  (!best || worker->queries < best->queries))
            best = worker;
    return best;
}

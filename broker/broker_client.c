/*  broker_client — what clients wait for: receipts, queries, the broker service.

    Receipts and queries wait in bounded collections (max_pending together,
    beyond which a request gets ERROR 429) until answered or until their
    deadline, checked on every tick.  Queries go to a ready worker offering
    their service, the one that got the fewest so far (round robin); while
    no such worker exists they wait, and get 503 at their deadline.  The
    service "broker" is answered here: dlq.list and broker.status, which
    also gives what the broker counts (broker_metrics.c).  Each query's
    time, from here to its answer, is counted per service. */
#include "broker_internal.h"
#include "pl_codec.h"
#include "pl_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef enum { S_RECEIPT, S_QUERY } s_kind_t;

//  A receipt or a query waiting for its answer.
typedef struct {
    s_kind_t kind;
    zframe_t *identity;                 //  the client
    char corr [PL_CORR_MAX + 1];
    int64_t deadline;                   //  monotonic ms
    uint32_t timeout_ms;                //  as asked, for the 504 text
    //  receipt
    uint64_t seq;
    char group [PL_GROUP_MAX + 1];
    //  query
    char request_id [24];
    char service [PL_GROUP_MAX + 1];
    char name [PL_TOPIC_MAX + 1];
    char role [PL_ROLE_MAX + 1];        //  the role the worker answers for
    int64_t started_us;                 //  when it came (pl_mono_us)
    zframe_t *payload;
    broker_worker_t *worker;            //  NULL while waiting for one
} s_pending_t;

void
broker_client_item_free (void **item_p)
{
    if (!item_p || !*item_p)
        return;
    s_pending_t *item = *item_p;
    zframe_destroy (&item->identity);
    zframe_destroy (&item->payload);
    free (item);
    *item_p = NULL;
}

size_t
broker_pending (broker_t *self)
{
    return zhashx_size (self->queries) + zlistx_size (self->receipts);
}

static s_pending_t *
s_pending_new (s_kind_t kind, zframe_t *identity, const char *corr, int64_t deadline)
{
    s_pending_t *item = calloc (1, sizeof *item);
    if (!item)
        return NULL;
    item->kind = kind;
    item->identity = zframe_dup (identity);
    snprintf (item->corr, sizeof item->corr, "%s", corr);
    item->deadline = deadline;
    return item;
}

//  --------------------------------------------------------------------------
//  Receipts

int
broker_verdict_known (broker_t *self, const char *group_name, uint64_t seq,
                      char *verdict, size_t verdict_size, char *reason, size_t reason_size)
{
    for (size_t i = 0; i < self->verdict_count; i++)
        if (self->verdicts [i].seq == seq && strcmp (self->verdicts [i].group, group_name) == 0) {
            snprintf (verdict, verdict_size, "%s", self->verdicts [i].verdict);
            snprintf (reason, reason_size, "%s", self->verdicts [i].reason);
            return 1;
        }
    int rc = self->ops->verdict_load (self->store, group_name, seq, verdict, verdict_size,
                                      reason, reason_size);
    if (rc)
        return rc;
    broker_group_t *group = broker_group_lookup (self, group_name);
    if (group && seq <= group->acked_through) {
        snprintf (verdict, verdict_size, "applied");
        reason [0] = 0;
        return 1;
    }
    return 0;
}

static void
s_send_verdict (broker_t *self, zframe_t *identity, const char *corr, uint64_t seq,
                const char *group, const char *verdict, const char *reason)
{
    zmsg_t *body = zmsg_new ();
    pl_frame_put_u64 (body, seq);
    zmsg_addstr (body, group);
    zmsg_addstr (body, verdict);
    zmsg_addstr (body, reason);
    broker_client_send (self, identity, PL_C_VERDICT, corr, &body);
}

//  Read callback: the topic of one event.
static int
s_copy_topic (void *arg, const broker_event_t *event)
{
    snprintf (arg, PL_TOPIC_MAX + 1, "%s", event->topic);
    return 1;
}

//  The names of every known group, comma-separated, into BUF.
static void
s_group_names (broker_t *self, char *buf, size_t size)
{
    size_t used = 0;
    buf [0] = 0;
    for (broker_group_t *group = zlistx_first (self->group_list); group && used < size;
         group = zlistx_next (self->group_list)) {
        int written = snprintf (buf + used, size - used, "%s%s", used ? ", " : "", group->name);
        used += written > 0 ? (size_t) written : 0;
    }
}

void
broker_receipt_request (broker_t *self, zframe_t *identity, const char *corr,
                        uint64_t seq, const char *group, uint32_t timeout_ms)
{
    uint64_t last = self->ops->last_seq (self->store);
    if (seq == 0 || seq > last) {
        broker_client_error (self, identity, corr, PL_NOT_FOUND,
                             "seq %llu is not in the log (last seq %llu)",
                             (unsigned long long) seq, (unsigned long long) last);
        return;
    }
    //  A group the broker has never seen would never answer: say so now
    broker_group_t *known_group = broker_group_lookup (self, group);
    if (!known_group) {
        char names [256];
        s_group_names (self, names, sizeof names);
        broker_client_error (self, identity, corr, PL_NOT_FOUND,
                             "group %s is not known to the broker (groups: %s)", group,
                             *names ? names : "none yet");
        return;
    }
    //  A group that does not take the event's topic will never judge it
    char topic [PL_TOPIC_MAX + 1] = "", verdict [16], reason [PL_REASON_MAX + 1];
    uint64_t next;
    if (self->ops->read (self->store, seq, 1, NULL, s_copy_topic, topic, &next)) {
        broker_client_error (self, identity, corr, PL_INTERNAL,
                             "storage failure reading seq %llu", (unsigned long long) seq);
        return;
    }
    if (*known_group->topics && !pl_topic_match (known_group->topics, topic)) {
        snprintf (reason, sizeof reason, "group %s does not take %s", group, topic);
        s_send_verdict (self, identity, corr, seq, group, "not-applicable", reason);
        return;
    }
    int known = broker_verdict_known (self, group, seq, verdict, sizeof verdict,
                                      reason, sizeof reason);
    if (known < 0) {
        broker_client_error (self, identity, corr, PL_INTERNAL,
                             "storage failure reading the verdict of seq %llu",
                             (unsigned long long) seq);
        return;
    }
    if (known) {
        s_send_verdict (self, identity, corr, seq, group, verdict, reason);
        return;
    }
    if ((int64_t) timeout_ms > self->config.max_receipt_wait_ms)
        timeout_ms = (uint32_t) self->config.max_receipt_wait_ms;
    if (broker_pending (self) >= (size_t) self->config.max_pending) {
        broker_client_error (self, identity, corr, PL_BUSY,
                             "%zu receipts and queries are waiting; retry later",
                             broker_pending (self));
        return;
    }
    s_pending_t *item = s_pending_new (S_RECEIPT, identity, corr, pl_mono_ms () + timeout_ms);
    if (!item) {
        broker_client_error (self, identity, corr, PL_INTERNAL, "broker out of memory");
        return;
    }
    item->seq = seq;
    item->timeout_ms = timeout_ms;
    snprintf (item->group, sizeof item->group, "%s", group);
    zlistx_add_end (self->receipts, item);
}

void
broker_receipts_answer (broker_t *self, const char *group, uint64_t seq,
                        const char *verdict, const char *reason)
{
    if (zlistx_size (self->receipts) == 0)
        return;
    zlistx_t *done = zlistx_new ();
    for (s_pending_t *item = zlistx_first (self->receipts); item;
         item = zlistx_next (self->receipts))
        if (item->seq == seq && strcmp (item->group, group) == 0)
            zlistx_add_end (done, item);
    for (s_pending_t *item = zlistx_first (done); item; item = zlistx_next (done)) {
        s_send_verdict (self, item->identity, item->corr, seq, group, verdict, reason);
        zlistx_delete (self->receipts, zlistx_find (self->receipts, item));
    }
    zlistx_destroy (&done);
}

void
broker_receipts_settle (broker_t *self, broker_group_t *group)
{
    if (zlistx_size (self->receipts) == 0)
        return;
    zlistx_t *done = zlistx_new ();
    for (s_pending_t *item = zlistx_first (self->receipts); item;
         item = zlistx_next (self->receipts))
        if (item->seq <= group->acked_through && strcmp (item->group, group->name) == 0)
            zlistx_add_end (done, item);
    for (s_pending_t *item = zlistx_first (done); item; item = zlistx_next (done)) {
        char verdict [16], reason [PL_REASON_MAX + 1];
        if (broker_verdict_known (self, group->name, item->seq, verdict, sizeof verdict,
                                  reason, sizeof reason) == 1) {
            s_send_verdict (self, item->identity, item->corr, item->seq, item->group,
                            verdict, reason);
            zlistx_delete (self->receipts, zlistx_find (self->receipts, item));
        }
    }
    zlistx_destroy (&done);
}

//  --------------------------------------------------------------------------
//  The broker's own service

//  Answer a query of the service "broker" with REPLY (taken), or an error
//  when it is NULL or breaks its schema.  0, or -1 when the answer was an error.
static int
s_reply (broker_t *self, zframe_t *identity, const char *corr, const char *name, json_t *reply)
{
    void *data = NULL;
    size_t size = 0;
    char err [PL_ERR_MAX];
    int rc = 0;
    if (!reply || pl_codec_encode (name, reply, &data, &size, err, sizeof err)) {
        pl_error ("broker: cannot encode %s: %s", name, reply ? err : "out of memory");
        broker_client_error (self, identity, corr, PL_INTERNAL, "broker could not build %s", name);
        rc = -1;
    }
    else {
        zmsg_t *body = zmsg_new ();
        zmsg_addmem (body, data, size);
        broker_client_send (self, identity, PL_C_REPLY, corr, &body);
    }
    free (data);
    json_decref (reply);
    return rc;
}

static int
s_dead_letter_item (void *arg, const broker_dead_letter_t *dead)
{
    json_t *items = arg;
    char parked_at [64];
    time_t seconds = (time_t) (dead->parked_at / 1000);
    struct tm tm;
    gmtime_r (&seconds, &tm);
    snprintf (parked_at, sizeof parked_at, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
              tm.tm_sec, (int) (dead->parked_at % 1000));
    json_array_append_new (items, json_pack ("{s:I, s:s, s:s, s:s, s:I, s:s, s:s}",
        "seq", (json_int_t) dead->seq, "topic", dead->topic, "event_id", dead->event_id,
        "group", dead->group, "attempts", (json_int_t) dead->attempts,
        "cause", dead->cause, "parked_at", parked_at));
    return 0;
}

static json_t *
s_dlq_list (broker_t *self)
{
    json_t *items = json_array ();
    if (self->ops->dead_letter_list (self->store, NULL, s_dead_letter_item, items)) {
        json_decref (items);
        return NULL;
    }
    return json_pack ("{s:o}", "items", items);
}

//  Read callback: the time an event was logged.
static int
s_copy_time (void *arg, const broker_event_t *event)
{
    *(int64_t *) arg = event->time_ms;
    return 1;
}

//  Dead-letter callback: one more for its group, in a hash of counts.
static int
s_count_dead (void *arg, const broker_dead_letter_t *dead)
{
    zhashx_t *counts = arg;
    uintptr_t count = (uintptr_t) zhashx_lookup (counts, dead->group);
    zhashx_update (counts, dead->group, (void *) (count + 1));
    return 0;
}

static json_t *
s_broker_status (broker_t *self)
{
    zhashx_t *dead = zhashx_new ();
    if (!dead || self->ops->dead_letter_list (self->store, NULL, s_count_dead, dead)) {
        zhashx_destroy (&dead);
        return NULL;
    }
    size_t dead_letters = 0;
    for (void *count = zhashx_first (dead); count; count = zhashx_next (dead))
        dead_letters += (uintptr_t) count;
    uint64_t last = self->ops->last_seq (self->store);
    int64_t now = pl_time_ms ();
    json_t *groups = json_array ();
    for (broker_group_t *group = zlistx_first (self->group_list); group;
         group = zlistx_next (self->group_list)) {
        uint64_t lag = last > group->acked_through ? last - group->acked_through : 0;
        //  The cursor's lag in time: the age of the first event past it
        int64_t logged = now, lag_ms = 0;
        uint64_t next;
        if (lag && self->ops->read (self->store, group->acked_through + 1, 1, NULL,
                                    s_copy_time, &logged, &next) == 0)
            lag_ms = now > logged ? now - logged : 0;
        json_t *item = json_pack ("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I}",
            "group", group->name, "topics", *group->topics ? group->topics : "(none)",
            "acked_through", (json_int_t) group->acked_through,
            "workers", (json_int_t) zlistx_size (group->workers),
            "in_flight", (json_int_t) group->in_flight,
            "lag", (json_int_t) lag, "lag_ms", (json_int_t) lag_ms,
            "dead_letters", (json_int_t) (uintptr_t) zhashx_lookup (dead, group->name));
        broker_worker_t *worker = group->consumer ? group->consumer
                                                  : zlistx_first (group->workers);
        if (worker && *worker->services)
            json_object_set_new (item, "services", json_string (worker->services));
        if (*group->follows)
            json_object_set_new (item, "follows", json_string (group->follows));
        if (broker_follow_waiting (self, group)) {
            json_object_set_new (item, "waiting_on", json_string (group->waiting_on));
            json_object_set_new (item, "waiting_seq", json_integer ((json_int_t) group->waiting_seq));
        }
        if (group->verdict_delay_ms >= 0)
            json_object_set_new (item, "verdict_delay_ms",
                                 json_integer ((json_int_t) group->verdict_delay_ms));
        json_array_append_new (groups, item);
    }
    zhashx_destroy (&dead);
    json_t *reply = json_pack ("{s:I, s:I, s:I, s:o}", "last_seq", (json_int_t) last,
                               "events", (json_int_t) self->ops->count (self->store),
                               "dead_letters", (json_int_t) dead_letters, "groups", groups);
    if (reply && broker_metrics_status (self, reply)) {
        json_decref (reply);
        reply = NULL;
    }
    return reply;
}

static const struct {
    const char *name;
    json_t *(*answer) (broker_t *self);
} s_broker_queries [] = {
    { "dlq.list",      s_dlq_list },
    { "broker.status", s_broker_status },
};

//  --------------------------------------------------------------------------
//  Queries

//  Send QUERY to WORKER: request_id, name, payload, role.
static void
s_query_send (broker_t *self, s_pending_t *query, broker_worker_t *worker)
{
    query->worker = worker;
    worker->queries++;
    zmsg_t *body = zmsg_new ();
    zmsg_addstr (body, query->request_id);
    zmsg_addstr (body, query->name);
    zmsg_addmem (body, zframe_data (query->payload), zframe_size (query->payload));
    zmsg_addstr (body, query->role);
    broker_worker_send (self, worker, PL_W_QUERY, &body);
}

void
broker_query_request (broker_t *self, zframe_t *identity, const char *corr,
                      const char *service, const char *name, const char *role,
                      zframe_t **payload_p)
{
    int64_t started_us = pl_mono_us ();
    const pl_message_t *message = pl_schema_find (name);
    if (!message || message->kind != PL_KIND_QUERY) {
        broker_client_error (self, identity, corr, PL_NOT_FOUND, "QUERY: unknown query '%s'", name);
        return;
    }
    if (!pl_schema_service_known (service)) {
        broker_client_error (self, identity, corr, PL_NOT_FOUND,
                             "QUERY: no service %s (%s is answered by service %s)", service,
                             name, message->service ? message->service : "(none)");
        return;
    }
    if (!message->service || strcmp (message->service, service)) {
        broker_client_error (self, identity, corr, PL_BAD_REQUEST,
                             "QUERY: %s is answered by service %s, not %s", name,
                             message->service ? message->service : "(none)", service);
        return;
    }
    char err [PL_ERR_MAX];
    json_t *args = pl_codec_decode (name, zframe_data (*payload_p), zframe_size (*payload_p),
                                    err, sizeof err);
    if (!args) {
        broker_client_error (self, identity, corr, PL_BAD_REQUEST, "%s", err);
        return;
    }
    json_decref (args);
    if (strcmp (service, "broker") == 0) {
        for (size_t i = 0; i < sizeof s_broker_queries / sizeof s_broker_queries [0]; i++)
            if (strcmp (s_broker_queries [i].name, name) == 0) {
                int rc = s_reply (self, identity, corr, message->reply,
                                  s_broker_queries [i].answer (self));
                broker_metrics_query (self, service, started_us, rc);
                return;
            }
        broker_client_error (self, identity, corr, PL_NOT_FOUND,
                             "QUERY: the broker does not answer %s", name);
        return;
    }
    if (broker_pending (self) >= (size_t) self->config.max_pending) {
        broker_client_error (self, identity, corr, PL_BUSY,
                             "%zu receipts and queries are waiting; retry later",
                             broker_pending (self));
        broker_metrics_query (self, service, started_us, 1);
        return;
    }
    s_pending_t *query = s_pending_new (S_QUERY, identity, corr,
                                        pl_mono_ms () + self->config.query_timeout_ms);
    if (!query) {
        broker_client_error (self, identity, corr, PL_INTERNAL, "broker out of memory");
        broker_metrics_query (self, service, started_us, 1);
        return;
    }
    query->started_us = started_us;
    snprintf (query->request_id, sizeof query->request_id, "q%llu",
              (unsigned long long) ++self->query_counter);
    snprintf (query->service, sizeof query->service, "%s", service);
    snprintf (query->name, sizeof query->name, "%s", name);
    snprintf (query->role, sizeof query->role, "%s", role);
    query->payload = *payload_p;
    *payload_p = NULL;
    zhashx_insert (self->queries, query->request_id, query);
    broker_worker_t *worker = broker_worker_for_service (self, service);
    if (worker)
        s_query_send (self, query, worker);
}

//  REPLY from WORKER: request_id, status, payload or text (cursor on command).
void
broker_query_reply (broker_t *self, broker_worker_t *worker, zmsg_t *msg)
{
    char request_id [33], status [4];
    zframe_t *id_frame = zmsg_next (msg);
    zframe_t *status_frame = zmsg_next (msg);
    zframe_t *body_frame = zmsg_next (msg);
    if (pl_frame_get_str (id_frame, request_id, sizeof request_id))
        return;                         //  not one of ours: ignore, like a late reply
    s_pending_t *query = zhashx_lookup (self->queries, request_id);
    if (!query || query->worker != worker) {
        pl_debug ("broker: late reply ignored request_id=%s", request_id);
        return;
    }
    int code = 0;
    if (pl_frame_get_str (status_frame, status, sizeof status) == 0 && strlen (status) == 3)
        code = atoi (status);
    if (code < 100 || code > 599)
        broker_client_error (self, query->identity, query->corr, PL_INTERNAL,
                             "worker answered %s with a malformed status", query->name);
    else
    if (code == PL_OK) {
        zmsg_t *body = zmsg_new ();
        zmsg_addmem (body, zframe_data (body_frame), zframe_size (body_frame));
        broker_client_send (self, query->identity, PL_C_REPLY, query->corr, &body);
    }
    else
        broker_client_error (self, query->identity, query->corr, code, "%.*s",
                             (int) (zframe_size (body_frame) > PL_ERR_MAX ? PL_ERR_MAX
                                    : zframe_size (body_frame)),
                             (const char *) zframe_data (body_frame));
    broker_metrics_query (self, query->service, query->started_us, code != PL_OK);
    zhashx_delete (self->queries, request_id);
}

//  Give the queries that wait for a worker to one, now that one is ready.
void
broker_queries_assign (broker_t *self)
{
    for (s_pending_t *query = zhashx_first (self->queries); query;
         query = zhashx_next (self->queries))
        if (!query->worker) {
            broker_worker_t *worker = broker_worker_for_service (self, query->service);
            if (worker)
                s_query_send (self, query, worker);
        }
}

//  WORKER is gone: its queries wait for another worker.
void
broker_queries_orphan (broker_t *self, broker_worker_t *worker)
{
    for (s_pending_t *query = zhashx_first (self->queries); query;
         query = zhashx_next (self->queries))
        if (query->worker == worker)
            query->worker = NULL;
    broker_queries_assign (self);
}

//  Deadlines: receipts 504, queries 503 (no worker) or 504 (no answer).
void
broker_clients_tick (broker_t *self, int64_t now)
{
    zlistx_t *expired = zlistx_new ();
    for (s_pending_t *item = zhashx_first (self->queries); item;
         item = zhashx_next (self->queries))
        if (item->deadline <= now)
            zlistx_add_end (expired, item);
    for (s_pending_t *item = zlistx_first (expired); item; item = zlistx_next (expired)) {
        if (item->worker)
            broker_client_error (self, item->identity, item->corr, PL_TIMEOUT,
                                 "service %s did not answer %s within %d ms", item->service,
                                 item->name, self->config.query_timeout_ms);
        else
            broker_client_error (self, item->identity, item->corr, PL_UNAVAILABLE,
                                 "no worker offers service %s", item->service);
        broker_metrics_query (self, item->service, item->started_us, 1);
        zhashx_delete (self->queries, item->request_id);
    }
    zlistx_purge (expired);
    for (s_pending_t *item = zlistx_first (self->receipts); item;
         item = zlistx_next (self->receipts))
        if (item->deadline <= now)
            zlistx_add_end (expired, item);
    for (s_pending_t *item = zlistx_first (expired); item; item = zlistx_next (expired)) {
        broker_client_error (self, item->identity, item->corr, PL_TIMEOUT,
                             "group %s has not applied seq %llu within %u ms", item->group,
                             (unsigned long long) item->seq, item->timeout_ms);
        zlistx_delete (self->receipts, zlistx_find (self->receipts, item));
    }
    zlistx_destroy (&expired);
}

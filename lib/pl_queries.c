/*  pl_queries — a worker's queries on threads of their own (see the header).

    One thread per reader.  The loop keeps the only queue: it gives a query
    to a thread only when that thread is idle, over a PAIR pipe of the
    thread's own (inproc), and the thread sends the REPLY back on it, ready
    for the broker.  So nothing is shared between the threads but the
    pipes, the handler's static table and the stop flag the progress
    handler reads; each reader, its connection and whatever it caches
    belong to one thread.  Threads block every signal: the process's
    handlers run on the loop's thread, which stops them.

    A query on a reader with a connection runs as

        BEGIN; PRAGMA data_version;  (changed: handler->reader_changed)
        handler->query ...;  COMMIT

    so that all its statements read one snapshot, and SQLite's progress
    handler interrupts it once the deadline has passed (or the worker is
    stopping): its reply is then 504, which the broker answers in its own
    words (docs/protocol.md, "QUERY → REPLY"). */
#include "pl_queries.h"
#include "pl_codec.h"
#include "pl_log.h"
#include "pl_schema.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_REQUEST_ID_MAX  32        //  the broker's opaque request ids (protocol.md)
#define S_PROGRESS_OPS    1000      //  SQLite VM steps between two looks at the deadline
#define S_HOLD_POLL_MS    10        //  the test hook's look at its file
#define S_STOP            "$STOP"   //  the loop's last message to a thread

//  A query's deadline: when (pl_mono_ms) and how long it was given.
typedef struct {
    int64_t at;
    uint32_t ms;
} s_deadline_t;

typedef struct {
    pl_queries_t *owner;
    size_t index;
    void *reader;
    sqlite3 *db;                    //  the reader's connection, or NULL
    sqlite3_stmt *data_version;     //  PRAGMA data_version on it
    int64_t version;                //  its value at the last query, -1 before
    zsock_t *pipe;                  //  the loop's end
    zsock_t *peer;                  //  the thread's end
    pthread_t thread;
    int started;
    int busy;                       //  the loop gave it a query not answered yet
    uint64_t generation;            //  of the connection its query came on
    int64_t deadline;               //  of the query it runs (its own thread's field)
} s_thread_t;

struct _pl_queries_t {
    pl_config_t config;
    char group [PL_GROUP_MAX + 1];
    char *services;
    pl_worker_handler_t handler;
    void *store;
    s_thread_t threads [PL_QUERY_THREADS_MAX];
    size_t thread_count;            //  0: answered on the caller's thread
    size_t next_reply;              //  where the next look for a reply starts
    zlist_t *waiting;               //  zmsg_t *: deadline frame, then the query's frames
    uint64_t generation;            //  the broker connection's, raised by pl_queries_forget
    atomic_int stop;
    char hold [PATH_MAX];           //  PL_TEST_HOLD_QUERIES, "" when unset
};

//  --------------------------------------------------------------------------
//  Answering one query (on whichever thread runs it)

//  True when NAME is one entry of the comma-separated LIST.
static int
s_list_has (const char *list, const char *name)
{
    size_t length = strlen (name);
    for (const char *at = list; at && *at; ) {
        const char *comma = strchr (at, ',');
        size_t entry = comma ? (size_t) (comma - at) : strlen (at);
        if (entry == length && memcmp (at, name, length) == 0)
            return 1;
        at = comma ? comma + 1 : NULL;
    }
    return 0;
}

//  A REPLY for REQUEST_ID (borrowed) with STATUS and BODY.
static zmsg_t *
s_reply (zframe_t *request_id, int status, const void *body, size_t size)
{
    char code [8];
    snprintf (code, sizeof code, "%03d", status);
    zmsg_t *msg = zmsg_new ();
    zmsg_addstr (msg, PL_PROTO_WORKER);
    pl_frame_put_byte (msg, PL_W_REPLY);
    zmsg_addmem (msg, zframe_data (request_id), zframe_size (request_id));
    zmsg_addstr (msg, code);
    zmsg_addmem (msg, body, size);
    return msg;
}

//  A REPLY with STATUS and the error text ERR.
static zmsg_t *
s_reply_error (zframe_t *request_id, int status, const char *err)
{
    return s_reply (request_id, status, err, strlen (err));
}

//  The 504 REPLY of query NAME, interrupted at (or run past) DEADLINE: the
//  worker says so itself, before the broker gives up on it with a reason
//  of its own.
static zmsg_t *
s_past_deadline (pl_queries_t *self, zframe_t *request_id, const char *name,
                 s_deadline_t deadline)
{
    char err [PL_ERR_MAX];
    pl_warn ("worker: query %s ran past its deadline of %u ms group=%s", name, deadline.ms,
             self->group);
    snprintf (err, sizeof err, "%s ran past its deadline of %u ms and was stopped by the %s "
              "worker; ask for less (a page at a time)", name, deadline.ms, self->group);
    return s_reply_error (request_id, PL_TIMEOUT, err);
}

//  Answer query NAME (PAYLOAD, ROLE) on OBJECT through the handler: the
//  REPLY, its payload checked against the schema and without the personal
//  fields for a role below the secretariat.  Past DEADLINE, a failure is 504.
static zmsg_t *
s_answer (pl_queries_t *self, void *object, zframe_t *request_id, const char *name,
          zframe_t *payload, const char *role, s_deadline_t deadline)
{
    char err [PL_ERR_MAX];
    const pl_message_t *query = pl_schema_find (name);
    if (!query || query->kind != PL_KIND_QUERY || !query->service
    ||  !s_list_has (self->services, query->service)) {
        snprintf (err, sizeof err, "this worker answers no query %s", name);
        return s_reply_error (request_id, PL_NOT_FOUND, err);
    }
    json_t *args = pl_codec_decode (name, zframe_data (payload), zframe_size (payload),
                                    err, sizeof err);
    if (!args)
        return s_reply_error (request_id, PL_BAD_REQUEST, err);
    int status = PL_INTERNAL;
    err [0] = 0;
    json_t *reply = self->handler.query (object, name, args, role, &status, err, sizeof err);
    json_decref (args);
    if (!reply) {
        if (pl_mono_ms () >= deadline.at)
            return s_past_deadline (self, request_id, name, deadline);
        if (status < 400 || status > 599)
            status = PL_INTERNAL;
        if (!*err)
            snprintf (err, sizeof err, "%s", pl_status_str (status));
        return s_reply_error (request_id, status, err);
    }
    //  Personal data is the secretariat's: whatever the worker answered, a
    //  lower role gets the reply without the fields the schema marks personal
    if (pl_role_rank (role) < pl_role_rank ("secretariat"))
        pl_schema_withhold (pl_schema_find (query->reply), reply);
    void *data = NULL;
    size_t size = 0;
    zmsg_t *msg;
    if (pl_codec_encode (query->reply, reply, &data, &size, err, sizeof err)) {
        //  Our own bug: the handler built a reply the schema refuses
        pl_error ("worker: reply to %s failed validation: %s", name, err);
        snprintf (err, sizeof err, "%s: the worker built an invalid reply", name);
        msg = s_reply_error (request_id, PL_INTERNAL, err);
    }
    else
        msg = s_reply (request_id, PL_OK, data, size);
    free (data);
    json_decref (reply);
    return msg;
}

//  --------------------------------------------------------------------------
//  Query threads

//  SQLite's progress handler: interrupt a statement past the deadline of
//  the thread's query, or when the worker stops.
static int
s_interrupt (void *arg)
{
    s_thread_t *thread = arg;
    return atomic_load (&thread->owner->stop) || pl_mono_ms () >= thread->deadline;
}

//  The test hook: while SELF->hold exists, wait, saying so in HOLD.held;
//  a held query stops at its DEADLINE, as a statement that long would.
static void
s_hold (pl_queries_t *self, const char *name, int64_t deadline)
{
    if (!*self->hold || access (self->hold, F_OK) != 0)
        return;
    //  The file names the query to hold; empty, it holds every query
    char wanted [PL_TOPIC_MAX + 2] = "";
    FILE *named = fopen (self->hold, "r");
    if (named) {
        if (!fgets (wanted, sizeof wanted, named))
            wanted [0] = 0;
        fclose (named);
    }
    wanted [strcspn (wanted, "\n")] = 0;
    if (*wanted && strcmp (wanted, name))
        return;
    char held [PATH_MAX + 16], temporary [PATH_MAX + 24];
    snprintf (held, sizeof held, "%s.held", self->hold);
    snprintf (temporary, sizeof temporary, "%s.tmp", held);
    FILE *file = fopen (temporary, "w");
    if (file) {
        fprintf (file, "%s\n", name);
        fclose (file);
        rename (temporary, held);
    }
    pl_warn ("worker: test hook holds query %s while %s exists group=%s", name, self->hold,
             self->group);
    while (!atomic_load (&self->stop) && pl_mono_ms () < deadline
       &&  access (self->hold, F_OK) == 0)
        zclock_sleep (S_HOLD_POLL_MS);
    unlink (held);
}

//  Begin the query's read transaction on THREAD's connection, telling the
//  reader when the database changed since its last query.  0 or -1.
static int
s_snapshot_begin (s_thread_t *thread)
{
    pl_queries_t *self = thread->owner;
    if (sqlite3_exec (thread->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        goto err;
    //  Its first read: the snapshot starts here, and the version is its own
    int rc = sqlite3_step (thread->data_version);
    int64_t version = rc == SQLITE_ROW ? sqlite3_column_int64 (thread->data_version, 0) : -1;
    sqlite3_reset (thread->data_version);
    if (rc != SQLITE_ROW)
        goto err;
    if (version != thread->version && thread->version >= 0 && self->handler.reader_changed)
        self->handler.reader_changed (thread->reader);
    thread->version = version;
    return 0;
err:
    pl_error ("worker: cannot begin a query's read transaction group=%s cause=%s",
              self->group, sqlite3_errmsg (thread->db));
    sqlite3_exec (thread->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

//  Run the query MSG (deadline, request id, name, payload, role) on THREAD.
static zmsg_t *
s_run (s_thread_t *thread, zmsg_t *msg)
{
    pl_queries_t *self = thread->owner;
    zframe_t *deadline_frame = zmsg_first (msg);
    zframe_t *request_id = zmsg_next (msg), *name_frame = zmsg_next (msg);
    zframe_t *payload = zmsg_next (msg), *role_frame = zmsg_next (msg);
    char name [PL_TOPIC_MAX + 1], role [PL_ROLE_MAX + 1], err [PL_ERR_MAX];
    s_deadline_t deadline;
    memcpy (&deadline, zframe_data (deadline_frame), sizeof deadline);
    pl_frame_get_str (name_frame, name, sizeof name);   //  checked by pl_queries_take
    pl_frame_get_str (role_frame, role, sizeof role);
    if (pl_mono_ms () >= deadline.at) {
        pl_warn ("worker: query %s waited past its deadline of %u ms for a thread group=%s",
                 name, deadline.ms, self->group);
        snprintf (err, sizeof err, "%s waited past its deadline of %u ms for a query thread "
                  "of the %s worker, all busy with longer queries; retry later", name,
                  deadline.ms, self->group);
        return s_reply_error (request_id, PL_TIMEOUT, err);
    }
    thread->deadline = deadline.at;
    zmsg_t *reply;
    if (thread->db && s_snapshot_begin (thread)) {
        snprintf (err, sizeof err, "%s: the worker cannot read its database", name);
        reply = s_reply_error (request_id, PL_INTERNAL, err);
    }
    else {
        //  The test hook holds the query here, as a query that long would
        s_hold (self, name, deadline.at);
        if (pl_mono_ms () >= deadline.at)
            reply = s_past_deadline (self, request_id, name, deadline);
        else
            reply = s_answer (self, thread->reader, request_id, name, payload, role, deadline);
        thread->deadline = INT64_MAX;
        //  A read transaction has nothing to keep: end it either way
        if (thread->db && sqlite3_exec (thread->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            sqlite3_exec (thread->db, "ROLLBACK", NULL, NULL, NULL);
    }
    thread->deadline = INT64_MAX;
    return reply;
}

static void *
s_thread_main (void *arg)
{
    s_thread_t *thread = arg;
    while (1) {
        zmsg_t *msg = zmsg_recv (thread->peer);
        if (!msg) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (zmsg_size (msg) == 1) {             //  S_STOP
            zmsg_destroy (&msg);
            break;
        }
        zmsg_t *reply = s_run (thread, msg);
        zmsg_destroy (&msg);
        if (zmsg_send (&reply, thread->peer))
            zmsg_destroy (&reply);
    }
    return NULL;
}

//  Open THREAD's reader and pipes and start it.  0 or -1 (logged).
static int
s_thread_start (pl_queries_t *self, s_thread_t *thread, size_t index)
{
    thread->owner = self;
    thread->index = index;
    thread->version = -1;
    thread->deadline = INT64_MAX;
    thread->reader = self->handler.reader_open (self->store);
    if (!thread->reader)
        return -1;
    thread->db = self->handler.reader_db ? self->handler.reader_db (thread->reader) : NULL;
    if (thread->db) {
        if (sqlite3_prepare_v2 (thread->db, "PRAGMA data_version", -1, &thread->data_version,
                                NULL) != SQLITE_OK) {
            pl_error ("worker: cannot prepare a reader group=%s cause=%s", self->group,
                      sqlite3_errmsg (thread->db));
            return -1;
        }
        sqlite3_progress_handler (thread->db, S_PROGRESS_OPS, s_interrupt, thread);
    }
    char endpoint [96];
    snprintf (endpoint, sizeof endpoint, "inproc://pl-queries-%p-%zu", (void *) self, index);
    thread->pipe = zsock_new (ZMQ_PAIR);
    zsock_t *peer = zsock_new (ZMQ_PAIR);
    if (!thread->pipe || !peer || zsock_bind (thread->pipe, "%s", endpoint) != 0
    ||  zsock_connect (peer, "%s", endpoint)) {
        pl_error ("worker: cannot make a query thread's pipe group=%s", self->group);
        zsock_destroy (&peer);
        return -1;
    }
    thread->peer = peer;
    zsock_set_rcvtimeo (thread->pipe, 0);                   //  the loop never waits on it
    //  The thread takes no signal: they are the loop's, which stops it
    sigset_t all, old;
    sigfillset (&all);
    pthread_sigmask (SIG_BLOCK, &all, &old);
    int rc = pthread_create (&thread->thread, NULL, s_thread_main, thread);
    pthread_sigmask (SIG_SETMASK, &old, NULL);
    if (rc) {
        pl_error ("worker: cannot start a query thread group=%s cause=%s", self->group,
                  strerror (rc));
        return -1;
    }
    thread->started = 1;
    return 0;
}

//  Stop THREAD (if started) and free what it had.
static void
s_thread_stop (pl_queries_t *self, s_thread_t *thread)
{
    if (thread->started) {
        zstr_send (thread->pipe, S_STOP);
        pthread_join (thread->thread, NULL);
        thread->started = 0;
    }
    zsock_destroy (&thread->pipe);
    zsock_destroy (&thread->peer);
    sqlite3_finalize (thread->data_version);
    thread->data_version = NULL;
    if (thread->reader && self->handler.reader_close)
        self->handler.reader_close (thread->reader);
    thread->reader = NULL;
}

//  --------------------------------------------------------------------------
//  The loop's side

pl_queries_t *
pl_queries_new (const pl_config_t *config, const char *group, const char *services,
                const pl_worker_handler_t *handler, void *store)
{
    assert (config && group && services && handler && handler->query);
    pl_queries_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->config = *config;
    snprintf (self->group, sizeof self->group, "%s", group);
    self->handler = *handler;
    self->store = store;
    self->services = strdup (services);
    self->waiting = zlist_new ();
    if (!self->services || !self->waiting) {
        pl_error ("worker: out of memory group=%s", group);
        goto err;
    }
    const char *hold = getenv ("PL_TEST_HOLD_QUERIES");
    if (hold && *hold) {
        snprintf (self->hold, sizeof self->hold, "%s", hold);
        pl_warn ("worker: PL_TEST_HOLD_QUERIES is set (a test hook): a query waits while "
                 "%s exists group=%s", self->hold, group);
    }
    if (handler->reader_open && config->query_threads > 0) {
        size_t count = (size_t) config->query_threads;
        if (count > PL_QUERY_THREADS_MAX)
            count = PL_QUERY_THREADS_MAX;
        for (self->thread_count = 0; self->thread_count < count; self->thread_count++)
            if (s_thread_start (self, &self->threads [self->thread_count], self->thread_count)) {
                self->thread_count++;       //  so that destroy stops what it started
                goto err;
            }
        pl_info ("worker: %zu query threads group=%s", count, group);
    }
    return self;
err:
    pl_queries_destroy (&self);
    return NULL;
}

void
pl_queries_forget (pl_queries_t *self)
{
    zmsg_t *msg;
    while ((msg = zlist_pop (self->waiting)))
        zmsg_destroy (&msg);
    //  What the threads answer for the old connection is dropped: a new
    //  broker could have given its request ids to other queries
    self->generation++;
}

void
pl_queries_destroy (pl_queries_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    pl_queries_t *self = *self_p;
    atomic_store (&self->stop, 1);
    for (size_t i = 0; i < self->thread_count; i++)
        s_thread_stop (self, &self->threads [i]);
    if (self->waiting) {
        pl_queries_forget (self);
        zlist_destroy (&self->waiting);
    }
    free (self->services);
    free (self);
    *self_p = NULL;
}

//  Give waiting queries to idle threads, oldest first.
static void
s_dispatch (pl_queries_t *self)
{
    for (size_t i = 0; i < self->thread_count && zlist_size (self->waiting); i++) {
        s_thread_t *thread = &self->threads [i];
        if (thread->busy)
            continue;
        zmsg_t *msg = zlist_pop (self->waiting);
        if (zmsg_send (&msg, thread->pipe)) {
            pl_error ("worker: cannot hand a query to its thread group=%s", self->group);
            zmsg_destroy (&msg);
            continue;
        }
        thread->busy = 1;
        thread->generation = self->generation;
    }
}

zmsg_t *
pl_queries_take (pl_queries_t *self, zmsg_t *msg)
{
    zframe_t *request_id = zmsg_next (msg), *name_frame = zmsg_next (msg);
    zframe_t *payload = zmsg_next (msg), *role_frame = zmsg_next (msg);
    zframe_t *deadline_frame = zmsg_next (msg);
    char name [PL_TOPIC_MAX + 1], role [PL_ROLE_MAX + 1], err [PL_ERR_MAX];
    //  Without the broker's word, stop a little before it gives up, so
    //  that the client reads our reason rather than the broker's
    uint32_t deadline_ms = (uint32_t) self->config.query_timeout_ms / 10 * 9;
    if (!request_id || !payload || zframe_size (request_id) > S_REQUEST_ID_MAX
    ||  pl_frame_get_str (name_frame, name, sizeof name)
    ||  pl_frame_get_str (role_frame, role, sizeof role) || pl_role_rank (role) < 0
    ||  (deadline_frame && pl_frame_get_u32 (deadline_frame, &deadline_ms))) {
        pl_warn ("worker: malformed QUERY from the broker; ignored group=%s", self->group);
        return NULL;
    }
    s_deadline_t deadline = { pl_mono_ms () + deadline_ms, deadline_ms };
    if (self->thread_count == 0)
        return s_answer (self, self->store, request_id, name, payload, role, deadline);
    size_t running = 0;
    for (size_t i = 0; i < self->thread_count; i++)
        running += (size_t) self->threads [i].busy;
    if (running == self->thread_count
    &&  zlist_size (self->waiting) >= (size_t) self->config.query_queue) {
        snprintf (err, sizeof err, "the %s worker has %zu queries waiting; retry later",
                  self->group, zlist_size (self->waiting));
        return s_reply_error (request_id, PL_BUSY, err);
    }
    zmsg_t *job = zmsg_new ();
    zmsg_addmem (job, &deadline, sizeof deadline);
    zmsg_addmem (job, zframe_data (request_id), zframe_size (request_id));
    zmsg_addstr (job, name);
    zmsg_addmem (job, zframe_data (payload), zframe_size (payload));
    zmsg_addstr (job, role);
    zlist_append (self->waiting, job);
    s_dispatch (self);
    return NULL;
}

size_t
pl_queries_poll_items (pl_queries_t *self, zmq_pollitem_t *items, size_t max)
{
    size_t count = 0;
    for (size_t i = 0; i < self->thread_count && count < max; i++)
        items [count++] = (zmq_pollitem_t) { zsock_resolve (self->threads [i].pipe), 0,
                                             ZMQ_POLLIN, 0 };
    return count;
}

zmsg_t *
pl_queries_reply (pl_queries_t *self)
{
    for (size_t k = 0; k < self->thread_count; k++) {
        s_thread_t *thread = &self->threads [(self->next_reply + k) % self->thread_count];
        if (!thread->busy)
            continue;
        zmsg_t *reply = zmsg_recv (thread->pipe);
        if (!reply)
            continue;
        thread->busy = 0;
        self->next_reply = (thread->index + 1) % self->thread_count;
        s_dispatch (self);
        if (thread->generation != self->generation) {
            pl_debug ("worker: reply for a dropped connection discarded group=%s", self->group);
            zmsg_destroy (&reply);
            k = (size_t) -1;            //  look at every thread again
            continue;
        }
        return reply;
    }
    return NULL;
}

size_t
pl_queries_pending (pl_queries_t *self)
{
    size_t count = zlist_size (self->waiting);
    for (size_t i = 0; i < self->thread_count; i++)
        count += (size_t) self->threads [i].busy;
    return count;
}

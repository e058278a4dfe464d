/*  gw_deadline — request headers due within a deadline, or the connection
    is shut down (see gw_deadline.h for why and how). */
#include "gw_deadline.h"
#include "pl_log.h"
#include "pl_proto.h"

#include <czmq.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/socket.h>

//  One connection: its socket and when its request headers are due.
typedef struct s_conn_t {
    struct s_conn_t *prev, *next;
    MHD_socket socket;
    int64_t due_ms;                 //  0: a request is being answered
    int shut;                       //  shut down already
} s_conn_t;

struct _gw_deadline_t {
    unsigned timeout_ms;
    pthread_mutex_t lock;
    s_conn_t *conns;                //  under lock
    _Atomic uint64_t closed;
    zactor_t *checker;
};

//  Shut down every connection past its deadline.
static void
s_check (gw_deadline_t *self)
{
    int64_t now = pl_mono_ms ();
    unsigned count = 0;
    pthread_mutex_lock (&self->lock);
    for (s_conn_t *conn = self->conns; conn; conn = conn->next)
        if (!conn->shut && conn->due_ms && now >= conn->due_ms) {
            shutdown (conn->socket, SHUT_RDWR);
            conn->shut = 1;
            count++;
        }
    pthread_mutex_unlock (&self->lock);
    if (count) {
        atomic_fetch_add (&self->closed, count);
        pl_debug ("gateway: closed connections whose request was late count=%u timeout_ms=%u",
                  count, self->timeout_ms);
    }
}

//  The checker actor: a check every quarter of the timeout (100 ms to 1 s),
//  until the pipe says $TERM.
static void
s_checker (zsock_t *pipe, void *args)
{
    gw_deadline_t *self = args;
    int interval = (int) (self->timeout_ms / 4);
    interval = interval < 100 ? 100 : interval > 1000 ? 1000 : interval;
    zpoller_t *poller = zpoller_new (pipe, NULL);
    zsock_signal (pipe, 0);
    while (poller) {
        void *which = zpoller_wait (poller, interval);
        if (which == pipe) {
            char *command = zstr_recv (pipe);
            int term = !command || streq (command, "$TERM");
            zstr_free (&command);
            if (term)
                break;
        }
        else
        if (zpoller_terminated (poller))
            break;
        s_check (self);
    }
    zpoller_destroy (&poller);
}

gw_deadline_t *
gw_deadline_new (unsigned timeout_ms)
{
    gw_deadline_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->timeout_ms = timeout_ms ? timeout_ms : 1;
    pthread_mutex_init (&self->lock, NULL);
    atomic_init (&self->closed, 0);
    self->checker = zactor_new (s_checker, self);
    if (!self->checker) {
        pl_error ("gateway: cannot start the request deadline checker");
        gw_deadline_destroy (&self);
    }
    return self;
}

void
gw_deadline_destroy (gw_deadline_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    gw_deadline_t *self = *self_p;
    zactor_destroy (&self->checker);
    //  The daemon stopped: every connection told of its end.  Whatever is
    //  left (a daemon that never started) is freed all the same.
    while (self->conns) {
        s_conn_t *next = self->conns->next;
        free (self->conns);
        self->conns = next;
    }
    pthread_mutex_destroy (&self->lock);
    free (self);
    *self_p = NULL;
}

void
gw_deadline_notify (void *cls, struct MHD_Connection *connection, void **socket_context,
                    enum MHD_ConnectionNotificationCode code)
{
    gw_deadline_t *self = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info = MHD_get_connection_info (
            connection, MHD_CONNECTION_INFO_CONNECTION_FD);
        s_conn_t *conn = info ? calloc (1, sizeof *conn) : NULL;
        *socket_context = conn;
        if (!conn)
            return;                 //  out of memory: this one has only the idle timeout
        conn->socket = info->connect_fd;
        conn->due_ms = pl_mono_ms () + self->timeout_ms;
        pthread_mutex_lock (&self->lock);
        conn->next = self->conns;
        if (self->conns)
            self->conns->prev = conn;
        self->conns = conn;
        pthread_mutex_unlock (&self->lock);
    }
    else
    if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        s_conn_t *conn = *socket_context;
        pthread_mutex_lock (&self->lock);
        if (conn->prev)
            conn->prev->next = conn->next;
        else
            self->conns = conn->next;
        if (conn->next)
            conn->next->prev = conn->prev;
        pthread_mutex_unlock (&self->lock);
        free (conn);
        *socket_context = NULL;
    }
}

//  CONNECTION's entry, or NULL.
static s_conn_t *
s_conn (struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info (
        connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

void
gw_deadline_busy (gw_deadline_t *self, struct MHD_Connection *connection)
{
    s_conn_t *conn = s_conn (connection);
    if (!conn)
        return;
    pthread_mutex_lock (&self->lock);
    conn->due_ms = 0;
    pthread_mutex_unlock (&self->lock);
}

void
gw_deadline_idle (gw_deadline_t *self, struct MHD_Connection *connection)
{
    s_conn_t *conn = s_conn (connection);
    if (!conn)
        return;
    pthread_mutex_lock (&self->lock);
    conn->due_ms = pl_mono_ms () + self->timeout_ms;
    pthread_mutex_unlock (&self->lock);
}

uint64_t
gw_deadline_closed (gw_deadline_t *self)
{
    return atomic_load (&self->closed);
}

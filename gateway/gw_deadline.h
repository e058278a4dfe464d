/*  gw_deadline — a connection must deliver each request's line and headers
    within a deadline, or be closed (slowloris).

    libmicrohttpd's connection timeout counts idle time, and every byte
    received restarts it: a client that sends one header byte every few
    seconds holds its connection for ever, and a few hundred such clients
    hold every slot.  This class gives each connection a deadline instead:
    TIMEOUT_MS from when it opened, or from when its last response was
    sent (keep-alive), until the headers of its next request are complete.
    A connection past its deadline is shut down (shutdown (2) on its socket:
    libmicrohttpd then reads the end of the stream and closes it as if the
    client had).  A request being answered has no deadline of ours; a
    client that reads its answer too slowly meets libmicrohttpd's idle
    timeout.

    Use: pass gw_deadline_notify as MHD_OPTION_NOTIFY_CONNECTION with the
    object as its argument; call gw_deadline_busy when a request's headers
    are complete (the first call of the request callback) and
    gw_deadline_idle when it is done (MHD_OPTION_NOTIFY_COMPLETED).  A
    thread of its own checks the deadlines a few times per timeout.
    Connections are kept in a list behind one mutex: libmicrohttpd tells of
    a connection's end (NOTIFY_CLOSED) before it closes the socket, and the
    list entry goes under the same mutex, so a socket shut down is always
    still the connection's. */
#ifndef GW_DEADLINE_H_INCLUDED
#define GW_DEADLINE_H_INCLUDED

#include <microhttpd.h>
#include <stdint.h>

typedef struct _gw_deadline_t gw_deadline_t;

//  A deadline of TIMEOUT_MS (at least 1) for every connection's request
//  headers.  NULL on failure (logged).
gw_deadline_t *gw_deadline_new (unsigned timeout_ms);

//  Stop the checking thread and free; NULL-safe, nulls *SELF_P.  Call it
//  after the libmicrohttpd daemon stopped (every connection closed).
void gw_deadline_destroy (gw_deadline_t **self_p);

//  MHD_NotifyConnectionCallback: CLS is the gw_deadline_t.  STARTED gives
//  the connection its deadline; CLOSED forgets it.
void gw_deadline_notify (void *cls, struct MHD_Connection *connection, void **socket_context,
                         enum MHD_ConnectionNotificationCode code);

//  CONNECTION's request headers are complete: no deadline until it is idle.
void gw_deadline_busy (gw_deadline_t *self, struct MHD_Connection *connection);

//  CONNECTION's request is done: its next request's headers are due in
//  the timeout from now.
void gw_deadline_idle (gw_deadline_t *self, struct MHD_Connection *connection);

//  Connections shut down so far for missing their deadline.
uint64_t gw_deadline_closed (gw_deadline_t *self);

#endif

/*  broker — the plenaryd engine: durable log, routing, delivery.

    One thread, one poll loop over three sockets: the frontend ROUTER
    (clients, PLC01), the backend ROUTER (workers, PLW01) and a PUB socket
    (notifications).  docs/protocol.md is the specification.  plenaryd.c is
    a thin main around this class, so tests could run the engine in-process. */
#ifndef BROKER_H_INCLUDED
#define BROKER_H_INCLUDED

#include <signal.h>
#include "pl_config.h"

typedef struct _broker_t broker_t;

//  Open the log under CONFIG->data/broker, bind the three sockets and write
//  CONFIG->data/plenaryd.ready with the bound endpoints.  Keeps a copy of
//  CONFIG.  NULL (after logging why) when any step fails.
broker_t *broker_new (const pl_config_t *config);

//  Serve until *STOP becomes non-zero; then finish the current commit, send
//  DISCONNECT to every worker, persist the cursors and remove the ready
//  file.  Returns 0 on a clean stop, -1 on a fatal error.
int broker_run (broker_t *self, volatile sig_atomic_t *stop);

//  Close sockets and the log; NULL-safe, nulls *SELF_P.
void broker_destroy (broker_t **self_p);

#endif

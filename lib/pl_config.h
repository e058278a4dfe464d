/*  pl_config — every limit, interval and retry count of plenary in one place.

    A daemon fills a pl_config_t with pl_config_defaults (), then overrides
    fields from the environment (pl_config_from_env) and its flags.  Nothing
    else in the code base hard-codes a limit: the defaults and their reasons
    are in pl_config.c and in docs/protocol.md. */
#ifndef PL_CONFIG_H_INCLUDED
#define PL_CONFIG_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#define PL_ENDPOINT_MAX 256

typedef struct {
    //  Addresses (PLENARY_ENDPOINT, PLENARY_BACKEND, PLENARY_PUB, PLENARY_HTTP, PLENARY_DATA,
    //  PLENARY_CERT)
    char endpoint [PL_ENDPOINT_MAX];     //  frontend, clients connect here
    char backend  [PL_ENDPOINT_MAX];     //  backend, workers connect here
    char pub      [PL_ENDPOINT_MAX];     //  PUB, live notifications
    char http     [PL_ENDPOINT_MAX];     //  gateway, host:port
    char data     [PL_ENDPOINT_MAX];     //  data folder
    char cert     [PL_ENDPOINT_MAX];     //  this process's key file (PLENARY_CERT), "" for none

    //  Wire limits
    size_t   max_frame;                  //  bytes in one message part; default 16 MiB (admits a 10 MB document)
    size_t   max_message;                //  bytes in one whole multipart message (ZMQ_MAXMSGSIZE); default 17 MiB
    int      hwm;                        //  ZeroMQ high-water mark per socket, in messages; default 10000

    //  Broker
    char     loopback_role [32];         //  role of every connection without keys; default secretariat
    int      insecure;                   //  start on a non-loopback address without keys; default 0
    int      max_batch;                  //  events appended per group commit at most; default 4096
    int      heartbeat_ms;               //  heartbeat interval to workers; default 1000
    int      liveness;                   //  missed heartbeats before a peer is dead; default 3
    int      ack_timeout_ms;             //  an event in flight this long is redelivered; default 30000
    int      max_deliveries;             //  deliveries of one event before it is parked; default 5
    int      max_credit;                 //  events in flight to one worker at most; default 1000
    int      query_timeout_ms;           //  a query with no reply by then gets 504; default 5000
                                         //  (a worker given no deadline by the broker uses it too)
    int      max_pending;                //  queries and receipts waiting at once; default 10000
    int      max_receipt_wait_ms;        //  longest receipt wait a client may ask; default 60000

    //  Client library
    int      publish_deadline_ms;        //  give up retrying a publish after this; default 10000
    int      retry_initial_ms;           //  first retry back-off; default 250
    int      retry_max_ms;               //  back-off ceiling; default 2000

    //  Worker library
    int      worker_credit;              //  credit a worker announces; default 256
    int      reconnect_initial_ms;       //  Paranoid Pirate back-off start; default 1000
    int      reconnect_max_ms;           //  back-off ceiling; default 32000
    int      progress_ms;                //  a worker catching up (a replay) logs its progress this often; default 5000
    int      query_threads;              //  threads answering a worker's queries, each on a reader; default 2
    int      query_queue;                //  queries waiting in a worker for a thread at most; default 1000
} pl_config_t;

//  Fill CONFIG with the documented defaults.
void pl_config_defaults (pl_config_t *config);

//  Override addresses and data folder from PLENARY_* environment variables.
void pl_config_from_env (pl_config_t *config);

//  Copy VALUE into a fixed field; returns -1 when it does not fit.
int pl_config_set (char *field, const char *value);

#endif

/*  pl_config — every limit, interval and retry count of plenary in one place.

    A daemon fills a pl_config_t with pl_config_defaults (), then
    pl_settings (pl_settings.h) overrides fields from the configuration
    file, the environment and its flags.  Nothing
    else in the code base hard-codes a limit: the defaults and their reasons
    are in pl_config.c and in docs/protocol.md. */
#ifndef PL_CONFIG_H_INCLUDED
#define PL_CONFIG_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

#define PL_ENDPOINT_MAX 256

//  A macro's value as a string literal, for --help texts: PL_STR (PL_MAX_BATCH_MAX)
#define PL_STR_(x) #x
#define PL_STR(x) PL_STR_ (x)

//  Bounds of the settings (lib/pl_settings.c's table, each program's --help)
#define PL_MAX_BATCH_MAX        65536       //  plenaryd --max-batch: events in one commit
#define PL_WORKER_CREDIT_MAX    100000      //  a worker's --credit
#define PL_WORKER_QUERY_TIMEOUT_MIN 100     //  a worker's --query-timeout, ms
#define PL_WORKER_QUERY_TIMEOUT_MAX 3600000
#define PL_CLIENT_TIMEOUT_MAX   3600000     //  plenary --timeout, ms
#define PL_GATEWAY_THREADS_MAX  256         //  --threads: each holds a broker socket
#define PL_GATEWAY_CACHE_MS_MAX 60000       //  --cache-ms: a lost notification's worst delay
#define PL_GATEWAY_CACHE_MB_MAX 65536       //  --cache-mb: 64 GiB
#define PL_GATEWAY_CONNECTIONS_MAX 65536    //  --max-connections: a file descriptor each
#define PL_GATEWAY_HEADER_TIMEOUT_MAX 300   //  --header-timeout, seconds
#define PL_NOTIFY_BATCH_MAX     86400       //  plenary-notify --batch, seconds: a day
#define PL_NOTIFY_RATE_MAX      10000       //  --rate, messages a second
#define PL_NOTIFY_RETRY_MIN     10          //  --retry, ms
#define PL_NOTIFY_RETRY_MAX     3600000
#define PL_SETTINGS_FILE_MAX    (1 << 20)   //  a configuration file, bytes
#define PL_SETTINGS_LINE_MAX    197         //  one of its lines (libinih's 200, less CR, LF, NUL)

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

//  Override addresses, data folder and key file from PLENARY_* environment
//  variables alone (test and bench programs, which read no file): the
//  variables of pl_settings' table (pl_settings.c).  A variable too long or
//  not text is ignored with a warning.
void pl_config_from_env (pl_config_t *config);

//  Copy VALUE into a fixed field; returns -1 when it does not fit.
int pl_config_set (char *field, const char *value);

#endif

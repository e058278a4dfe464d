/*  gw_http — the HTTP/1.1 server of plenary-gateway (libmicrohttpd).

    One gw_http_t owns a libmicrohttpd daemon with a pool of threads.  Each
    request is matched against the route table in gw_http.c (a path prefix
    and suffix, or an exact path) and handed to the route's function with a
    gw_request_t.  Routes talk to the broker through pl_client, as role
    "public"; pl_client is not thread-safe, so every server thread has its
    own client, made on its first request and closed when the thread ends.

    Only GET and HEAD are served (405 otherwise), and POST on a route that
    takes it (/unsubscribe/{token}, whose small form body is read and
    dropped, 1 KiB at most; /secretariat/..., whose form body is kept for
    the route, GW_FORM_MAX bytes at most); libmicrohttpd leaves out
    the body of a HEAD response and keeps its headers and Content-Length.
    A request is answered on the request callback's second call: a
    response queued on the first makes libmicrohttpd close the connection
    after it, which was the end of keep-alive.  Feeds are answered from
    memory (gw_cache, gw_feed) with responses shared by every connection.
    The request target is read raw and decoded by gw_target (a bad byte
    anywhere in it is a 400 naming the part, before any route runs).

    Bounded under abuse: connections at most (config.connections) and per
    client address (config.per_ip_limit, libmicrohttpd's count), an idle
    timeout, and a deadline for each request's headers (gw_deadline), so
    slow clients cannot hold every slot.  With TLS (config.tls) it serves
    HTTPS only, TLS 1.2 and 1.3. */
#ifndef GW_HTTP_H_INCLUDED
#define GW_HTTP_H_INCLUDED

#include <microhttpd.h>
#include <stddef.h>
#include <stdint.h>
#include "gw_cache.h"
#include "gw_target.h"
#include "gw_tls.h"
#include "pl_client.h"
#include "pl_config.h"

//  The most form body a /secretariat/ page's POST may carry: a form is
//  decoded as a request target's query (gw_target), so it is bounded as one.
#define GW_FORM_MAX (GW_TARGET_MAX - 2)

//  The gateway's limits and addresses, with their reasons.
typedef struct {
    pl_config_t config;                 //  broker endpoint, query timeout, data folder
    char http [PL_ENDPOINT_MAX];        //  HOST:PORT to listen on; port 0 or * takes a free one
    char public_url [PL_ENDPOINT_MAX];  //  how clients reach us: https://host (no slash)
    const gw_tls_t *tls;                //  certificate and key: serve HTTPS (borrowed)
    int behind_proxy;                   //  a reverse proxy on this host terminates TLS
    int insecure;                       //  plain HTTP on any address (a closed test network)
    unsigned threads;                   //  server threads, each with its own broker client
    unsigned connections;               //  open connections at most (calendar apps poll)
    unsigned per_ip_limit;              //  open connections per client address (0: no limit)
    unsigned timeout_s;                 //  idle connection timeout
    unsigned header_timeout_s;          //  a request's line and headers due within this
    int cache_ms;                       //  a feed held is trusted this long at most
    size_t cache_max;                   //  feeds held at most
    size_t cache_bytes;                 //  bytes of feeds held at most (identity and gzip)
} gw_config_t;

//  Defaults: broker queries time out after 2 s (they take milliseconds;
//  this also bounds how long a stop waits for one); 8 threads (each waits on the broker for one request at a
//  time, so more threads than cores keeps the broker busy), 4096
//  connections, 32 per client address (a calendar app or browser opens a
//  few; a NAT of a delegation's office more, but not 32 at once), 30 s
//  idle timeout, 10 s for a request's headers from when the connection
//  opened or its last answer went (a client sends them in one packet;
//  keep-alive connections wait as long for their next request); public_url
//  empty means http(s)://HTTP.
//  Feeds held 2 s at most without asking the worker (the bound on a lost
//  notification: calendar apps poll hourly, so 2 s late is never noticed,
//  and at 10,000 requests/s it still spares all but one query in 20,000;
//  the question then is "has it changed?", answered without the bytes),
//  up to 65,536 feeds and 64 MiB (a 500-session meeting's feed is 270 KB
//  and its gzip 15 KB: the public feeds of a busy secretariat and the
//  private feeds polled most; the others are asked for again).
void gw_config_defaults (gw_config_t *config);

//  Check CONFIG before serving: HTTP is an address of this host; plain
//  HTTP on an address other than loopback (127.0.0.0/8, ::1) needs TLS,
//  behind_proxy or insecure; behind_proxy needs a public_url; with TLS or
//  behind_proxy the public_url is https.  0, or -1 with ERR saying why and
//  what to do (the caller exits 2).  Sets *LOOPBACK.
int gw_config_check (const gw_config_t *config, int *loopback, char *err, size_t errsize);

//  What the web pages share (gw_page.h).
typedef struct _gw_pages_t gw_pages_t;

//  What /metrics counts (gw_metrics.h).
typedef struct _gw_metrics_t gw_metrics_t;
//  Who is signed in (gw_session.h).
typedef struct _gw_sessions_t gw_sessions_t;

//  One request as a route sees it.
typedef struct {
    struct MHD_Connection *connection;
    const gw_target_t *target;          //  the path and parameters, decoded and checked
    const char *path;                   //  the whole path, decoded, e.g. /ics/meetings/x.ics
    const char *param;                  //  the part between prefix and suffix ("" when none)
    const char *arg;                    //  the route's argument (a feed kind, a query name)
    const char *field;                  //  the query field PARAM fills, or NULL
    pl_client_t *client;                //  this thread's broker client
    gw_cache_t *cache;                  //  feeds held in memory, shared by the threads
    const gw_config_t *config;
    const char *method;                 //  GET, HEAD, or POST where the route takes it
    gw_pages_t *pages;                  //  the web pages' shared policy and zones
    int queued;                         //  the route queued its answer itself
    enum MHD_Result result;             //  what MHD_queue_response said then
    gw_metrics_t *metrics;              //  the responses counted, for /metrics
    gw_sessions_t *sessions;            //  the signed-in pages' sessions
    const char *form;                   //  a POST's form body (a route that keeps it), or NULL
    size_t form_size;                   //  its bytes; (size_t) -1 when it was too long
    const char *address;                //  the client's address (of a POST), or "?"
} gw_request_t;

//  A route: answers REQUEST with a response (the caller queues and
//  destroys it) and its *STATUS.  NULL when out of memory, or when the
//  route queued a response shared by many connections itself (a feed held
//  in memory, gw_feed_response): then REQUEST->queued is set and
//  REQUEST->result is what libmicrohttpd said.
typedef struct MHD_Response *(gw_route_fn) (gw_request_t *request, unsigned int *status);

//  Routes (gw_routes_ics.c, gw_routes_api.c, gw_routes_mail.c, and the web
//  pages: gw_routes_home.c, gw_routes_search.c, gw_routes_document.c).
gw_route_fn gw_route_ics;
gw_route_fn gw_route_api;
gw_route_fn gw_route_unsubscribe;
gw_route_fn gw_route_home;
gw_route_fn gw_route_meeting;
gw_route_fn gw_route_search;
gw_route_fn gw_route_document;
gw_route_fn gw_route_metrics;           //  gw_metrics.c
gw_route_fn gw_route_secretariat;

//  A refusal as a web page in the request's language: CODE (400, 404, 414)
//  with DETAIL; sets *STATUS (gw_page.c).  For paths that are neither the
//  API's nor feeds'.
struct MHD_Response *gw_page_refuse (gw_request_t *request, unsigned int code,
                                     const char *detail, unsigned int *status);

//  The JSON error document {"error": TEXT, "status": CODE} every answer
//  under /api/ gives, with *STATUS set to CODE (gw_routes_api.c).
struct MHD_Response *gw_route_api_error (unsigned int *status, unsigned int code,
                                         const char *text);

//  A short plain-text response (BODY and a newline).
struct MHD_Response *gw_http_text (const char *body);

//  A response that takes BODY (malloc'd, freed with the response) with
//  CONTENT_TYPE and CACHE_CONTROL.  NULL when BODY is NULL or when out of
//  memory (BODY is freed then).
struct MHD_Response *gw_http_take (char *body, const char *content_type,
                                   const char *cache_control);

//  The value of request header NAME, or NULL.
const char *gw_http_header (gw_request_t *request, const char *name);

//  True when REQUEST came from this host: its peer is a loopback address
//  and no proxy forwarded it (no X-Forwarded-For, Forwarded or X-Real-IP
//  header: a proxy on this host is a loopback peer too).
int gw_http_local (gw_request_t *request);

typedef struct _gw_http_t gw_http_t;

//  Start serving per CONFIG (copied).  NULL on failure (logged: a bad
//  address, a port in use).
gw_http_t *gw_http_new (const gw_config_t *config);

//  The port actually bound.
uint16_t gw_http_port (gw_http_t *self);

//  The public URL feeds name as their SOURCE: config->public_url, or
//  http://HOST:PORT (https with TLS) with the port actually bound.  Borrowed.
const char *gw_http_public_url (gw_http_t *self);

//  Stop the server and free; NULL-safe, nulls *SELF_P.  Stops accepting,
//  then closes the connections and joins the threads.  A thread in a
//  broker query finishes it (config.query_timeout_ms at most); requests
//  still queued get 503 at once rather than a query each, which is what
//  kept a stop after a 200-connection run waiting for many query timeouts.
void gw_http_destroy (gw_http_t **self_p);

#endif

/*  gw_http — the HTTP/1.1 server of plenary-gateway, and its route table.

    s_routes is where a reader looks first: each row is a path pattern and
    the function that answers it.  A pattern is an exact path, or a prefix
    and a suffix with the parameter between them (a meeting id, a token, a
    document symbol, which may hold slashes).  libmicrohttpd parses HTTP,
    keeps connections and runs a pool of threads; this file decodes the
    request target (gw_target, from the raw target libmicrohttpd hands the
    URI log callback), matches routes, refuses other methods, and gives
    each thread its own broker client (thread-specific data owned by the
    gw_http_t, so no lock is shared).  It also decides, once, whether an
    address may be served (gw_config_check), and sets libmicrohttpd's
    limits, TLS and the request deadline (gw_deadline). */
#include "gw_http.h"
#include "gw_deadline.h"
#include "gw_metrics.h"
#include "gw_page.h"
#include "pl_log.h"

#include <arpa/inet.h>
#include <assert.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include "gw_session.h"

#include <sodium.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

//  The routes.  ARG tells the route what it serves; FIELD names the query
//  field the path parameter fills (API routes).
//  POST: the route takes POST too: 1 a small form body, read and dropped;
//  2 a form body kept for the route (GW_FORM_MAX bytes at most).
static const struct {
    const char *prefix;
    const char *suffix;         //  NULL: PREFIX is the exact path
    gw_route_fn *route;
    const char *arg;
    const char *field;
    int post;
} s_routes [] = {
    { "/ics/meetings/",    ".ics", gw_route_ics, "meeting",        NULL, 0 },
    { "/ics/conventions/", ".ics", gw_route_ics, "convention",     NULL, 0 },
    { "/ics/p/",           ".ics", gw_route_ics, "participant",    NULL, 0 },
    { "/ics/all.ics",      NULL,   gw_route_ics, "all",            NULL, 0 },
    { "/api/search",       NULL,   gw_route_api, "archive.search", NULL, 0 },
    { "/api/documents/",   "",     gw_route_api, "document.show",  "symbol", 0 },
    { "/api/meetings",     NULL,   gw_route_api, "meeting.list",   NULL, 0 },
    { "/api/meetings/",    "/sessions", gw_route_api, "session.list", "meeting", 0 },
    { "/api/meetings/",    "",     gw_route_api, "meeting.show",   "id", 0 },
    { "/unsubscribe/",     "",     gw_route_unsubscribe, "mail.unsubscribed", NULL, 1 },
    //  The web pages, for the public (signed-in pages will have their own rows)
    { "/",                 NULL,   gw_route_home,     NULL, NULL, 0 },
    { "/meetings/",        "",     gw_route_meeting,  NULL, NULL, 0 },
    { "/search",           NULL,   gw_route_search,   NULL, NULL, 0 },
    { "/documents/",       "",     gw_route_document, NULL, NULL, 0 },
    //  Operations: this host only (gw_metrics.h)
    { "/metrics",          NULL,   gw_route_metrics,  NULL, NULL, 0 },
    //  the signed-in pages (gw_routes_secretariat.c)
    { "/secretariat/",     NULL,   gw_route_secretariat, NULL, NULL, 2 },
    { "/secretariat/",     "",     gw_route_secretariat, NULL, NULL, 2 },
};
//  The most body a POST route reads ("List-Unsubscribe=One-Click")
#define S_POST_BODY_MAX 1024
#define S_ROUTES (sizeof s_routes / sizeof s_routes [0])

struct _gw_http_t {
    gw_config_t config;
    struct MHD_Daemon *daemon;
    pthread_key_t clients;          //  each server thread's pl_client_t
    int have_key;
    gw_cache_t *cache;
    gw_pages_t *pages;              //  the web pages' policy and zones
    gw_deadline_t *deadline;        //  request headers due in time
    gw_metrics_t *metrics;          //  responses counted
    gw_sessions_t *sessions;        //  who is signed in to /secretariat/
    atomic_int stopping;            //  gw_http_destroy began: no more queries
    uint16_t port;
};

void
gw_config_defaults (gw_config_t *config)
{
    memset (config, 0, sizeof *config);
    pl_config_defaults (&config->config);
    snprintf (config->http, sizeof config->http, "%s", config->config.http);
    config->threads = 8;
    config->connections = 4096;
    config->per_ip_limit = 32;
    config->timeout_s = 30;
    config->header_timeout_s = 10;
    //  A feed renders in milliseconds; a query still unanswered after 2 s
    //  is better told (504) than waited for, and this is also the longest
    //  a server thread can hold up a stop
    config->config.query_timeout_ms = 2000;
    config->cache_ms = 2000;
    config->cache_max = 65536;
    config->cache_bytes = (size_t) 64 << 20;
}

struct MHD_Response *
gw_http_text (const char *body)
{
    char text [512];
    snprintf (text, sizeof text, "%s\n", body);
    struct MHD_Response *response = MHD_create_response_from_buffer (
        strlen (text), text, MHD_RESPMEM_MUST_COPY);
    if (response)
        MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE,
                                 "text/plain; charset=utf-8");
    return response;
}

struct MHD_Response *
gw_http_take (char *body, const char *content_type, const char *cache_control)
{
    if (!body)
        return NULL;
    struct MHD_Response *response = MHD_create_response_from_buffer (
        strlen (body), body, MHD_RESPMEM_MUST_FREE);
    if (!response) {
        free (body);
        return NULL;
    }
    MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    MHD_add_response_header (response, MHD_HTTP_HEADER_CACHE_CONTROL, cache_control);
    return response;
}

const char *
gw_http_header (gw_request_t *request, const char *name)
{
    return MHD_lookup_connection_value (request->connection, MHD_HEADER_KIND, name);
}

//  Thread-specific data destructor: the thread's client goes with it.
static void
s_client_free (void *client)
{
    pl_client_destroy ((pl_client_t **) &client);
}

//  This thread's broker client, made on first use.  NULL on failure.
static pl_client_t *
s_client (gw_http_t *self)
{
    pl_client_t *client = pthread_getspecific (self->clients);
    if (!client && (client = pl_client_new (&self->config.config))) {
        if (pthread_setspecific (self->clients, client)) {
            pl_client_destroy (&client);
            return NULL;
        }
    }
    return client;
}

//  Match PATH against the route table; fill PARAM.  The route index or -1.
//  PATH as it may be logged: a private feed's path holds its token, which
//  is a secret like a password, so the log shows only that it was one.
static const char *
s_loggable (const char *path)
{
    return strncmp (path, "/ics/p/", 7) == 0 ? "/ics/p/(token).ics"
         : strncmp (path, "/unsubscribe/", 13) == 0 ? "/unsubscribe/(token)" : path;
}

//  How the raw target RAW's route takes POST: 0 not at all, 1 its body
//  dropped, 2 its body kept.
static int
s_takes_post (const char *raw)
{
    for (size_t i = 0; i < S_ROUTES; i++)
        if (s_routes [i].post && strncmp (raw, s_routes [i].prefix, strlen (s_routes [i].prefix)) == 0)
            return s_routes [i].post;
    return 0;
}

//  True when PATH is a web page's, whose refusals are pages too: neither
//  the API's (JSON) nor a feed's or a mail link's (plain text).
static int
s_is_page (const char *path)
{
    return strncmp (path, "/api/", 5) && strncmp (path, "/ics/", 5)
        && strncmp (path, "/unsubscribe/", 13);
}

static int
s_match (const char *path, char *param, size_t size)
{
    size_t length = strlen (path);
    for (size_t i = 0; i < S_ROUTES; i++) {
        const char *prefix = s_routes [i].prefix, *suffix = s_routes [i].suffix;
        if (!suffix) {
            if (strcmp (path, prefix) == 0) {
                param [0] = 0;
                return (int) i;
            }
            continue;
        }
        size_t head = strlen (prefix), tail = strlen (suffix);
        if (length <= head + tail || strncmp (path, prefix, head)
        ||  strcmp (path + length - tail, suffix))
            continue;
        size_t middle = length - head - tail;
        if (middle >= size)
            return -1;
        memcpy (param, path + head, middle);
        param [middle] = 0;
        return (int) i;
    }
    return -1;
}

//  Queue RESPONSE with STATUS and drop our reference.
static enum MHD_Result
s_queue (struct MHD_Connection *connection, unsigned int status, struct MHD_Response *response)
{
    if (!response)
        return MHD_NO;          //  out of memory: libmicrohttpd closes the connection
    enum MHD_Result rc = MHD_queue_response (connection, status, response);
    MHD_destroy_response (response);
    return rc;
}

//  True when ADDRESS is a loopback address: 127.0.0.0/8, ::1, or 127.x
//  mapped into IPv6.
static int
s_is_loopback (const struct sockaddr *address)
{
    if (address->sa_family == AF_INET)
        return (ntohl (((const struct sockaddr_in *) address)->sin_addr.s_addr) >> 24) == 127;
    if (address->sa_family == AF_INET6) {
        const struct in6_addr *in6 = &((const struct sockaddr_in6 *) address)->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK (in6) || (IN6_IS_ADDR_V4MAPPED (in6) && in6->s6_addr [12] == 127);
    }
    return 0;
}

//  The client's address for the debug log, into ADDRESS: the peer's, or behind
//  a proxy and from a loopback peer, the last address of X-Forwarded-For
//  (the one the proxy added; those before it are the client's say).
static void
s_client_address (gw_http_t *self, struct MHD_Connection *connection, char *address,
                  size_t size)
{
    snprintf (address, size, "?");
    const union MHD_ConnectionInfo *info = MHD_get_connection_info (
        connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr)
        return;
    const struct sockaddr *peer = info->client_addr;
    socklen_t length = peer->sa_family == AF_INET6 ? sizeof (struct sockaddr_in6)
                                                   : sizeof (struct sockaddr_in);
    getnameinfo (peer, length, address, (socklen_t) size, NULL, 0, NI_NUMERICHOST);
    if (!self->config.behind_proxy || !s_is_loopback (peer))
        return;
    const char *forwarded = MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                         "X-Forwarded-For");
    const char *last = forwarded ? strrchr (forwarded, ',') : NULL;
    last = last ? last + 1 : forwarded;
    if (!last)
        return;
    last += strspn (last, " \t");
    size_t span = strspn (last, "0123456789abcdefABCDEF:.");
    if (span > 0 && span < size && last [span + strspn (last + span, " \t")] == 0)
        snprintf (address, size, "%.*s", (int) span, last);
}

int
gw_http_local (gw_request_t *request)
{
    const union MHD_ConnectionInfo *info = MHD_get_connection_info (
        request->connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    static const char *const forwarded [] = { "X-Forwarded-For", "Forwarded", "X-Real-IP" };
    if (!info || !info->client_addr || !s_is_loopback (info->client_addr))
        return 0;
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded [0]; i++)
        if (gw_http_header (request, forwarded [i]))
            return 0;
    return 1;
}

//  One request as the callbacks share it (*STATE): its raw target, and
//  whether the request callback was called once already.
typedef struct {
    int called;
    int refused;                    //  answered on the first call (405)
    int counted;                    //  its response was counted (gw_metrics)
    size_t body;                    //  bytes of a POST body read (and dropped)
    char *form;                     //  a kept body (s_takes_post 2), NUL-terminated, or NULL
    char raw [];                    //  the target as the client sent it
} s_exchange_t;

//  libmicrohttpd's URI log callback: keep the raw request target, before
//  libmicrohttpd decodes it, for the request callback (*STATE); it goes
//  when the request completes.
static void *
s_uri (void *self_, const char *uri, struct MHD_Connection *connection)
{
    (void) self_;
    (void) connection;
    size_t size = strlen (uri);
    s_exchange_t *exchange = malloc (sizeof *exchange + size + 1);
    if (exchange) {
        exchange->called = 0;
        exchange->refused = 0;
        exchange->counted = 0;
        exchange->body = 0;
        exchange->form = NULL;
        memcpy (exchange->raw, uri, size + 1);
    }
    return exchange;
}

//  libmicrohttpd's request-completed callback: free the exchange; the
//  connection's next request is due within the header deadline.
static void
s_completed (void *self_, struct MHD_Connection *connection, void **state,
             enum MHD_RequestTerminationCode code)
{
    gw_http_t *self = self_;
    (void) code;
    s_exchange_t *exchange = *state;
    if (exchange && exchange->form) {
        sodium_memzero (exchange->form, GW_FORM_MAX + 1);     //  a password, maybe
        free (exchange->form);
    }
    free (*state);
    *state = NULL;
    gw_deadline_idle (self->deadline, connection);
}

//  The request callback's work (s_request).  The first call comes when the
//  headers are complete: it refuses methods other than GET and HEAD and
//  otherwise only notes the call, since libmicrohttpd closes the connection
//  after a response queued then (no keep-alive).  The second comes after
//  the body, which GET and HEAD do not have: it answers.
static enum MHD_Result
s_answer (void *self_, struct MHD_Connection *connection, const char *url,
          const char *method, const char *version, const char *upload_data,
          size_t *upload_size, void **state)
{
    gw_http_t *self = self_;
    (void) url;                 //  cut at a %00: the raw target in *STATE is read instead
    (void) version;
    s_exchange_t *exchange = *state;
    if (!exchange)
        return MHD_NO;          //  out of memory when the target came: close
    if (!exchange->called) {
        exchange->called = 1;
        gw_deadline_busy (self->deadline, connection);
        int post = strcmp (method, MHD_HTTP_METHOD_POST) == 0 && s_takes_post (exchange->raw);
        if (strcmp (method, MHD_HTTP_METHOD_GET) && strcmp (method, MHD_HTTP_METHOD_HEAD)
        &&  !post) {
            //  At once, body unread: the connection closes after the answer
            exchange->refused = 1;
            struct MHD_Response *response = gw_http_text ("Method Not Allowed");
            if (response)
                MHD_add_response_header (response, MHD_HTTP_HEADER_ALLOW,
                                         s_takes_post (exchange->raw) ? "GET, HEAD, POST"
                                                                      : "GET, HEAD");
            return s_queue (connection, MHD_HTTP_METHOD_NOT_ALLOWED, response);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        //  A body: only a POST route's; small and dropped, or kept up to
        //  GW_FORM_MAX (past it read on and dropped: the route says 413)
        int kept = s_takes_post (exchange->raw) == 2;
        if (strcmp (method, MHD_HTTP_METHOD_POST)
        ||  (!kept && exchange->body + *upload_size > S_POST_BODY_MAX))
            return MHD_NO;
        if (kept && !exchange->form && !(exchange->form = malloc (GW_FORM_MAX + 1)))
            return MHD_NO;
        if (kept && exchange->body + *upload_size <= GW_FORM_MAX) {
            memcpy (exchange->form + exchange->body, upload_data, *upload_size);
            exchange->form [exchange->body + *upload_size] = 0;
        }
        exchange->body += *upload_size;
        *upload_size = 0;
        return MHD_YES;
    }
    const char *raw = exchange->raw;
    char client [64] = "?", err [PL_ERR_MAX];
    //  A POST's address counts its failed sign-ins (gw_session)
    if (pl_log_enabled (PL_LOG_DEBUG) || strcmp (method, MHD_HTTP_METHOD_POST) == 0)
        s_client_address (self, connection, client, sizeof client);
    gw_target_t target;
    unsigned int status = (unsigned int) gw_target_parse (&target, raw, strlen (raw), err,
                                                          sizeof err);
    if (status) {
        pl_debug ("gateway: %s refused status=%u cause=%s client=%s", method, status, err,
                  client);
        if (strncmp (raw, "/api/", 5) == 0)
            return s_queue (connection, status, gw_route_api_error (&status, status, err));
        if (!s_is_page (raw))
            return s_queue (connection, status, gw_http_text (err));
        //  A page's refusal is a page, in the language Accept-Language asks
        //  for (the target's own ?lang= could not be read)
        char scratch [8];
        gw_target_parse (&target, "/", 1, scratch, sizeof scratch);     //  its links lead home
        gw_request_t refused = { connection, &target, "/", "", NULL, NULL, NULL, self->cache,
                                 &self->config, method, self->pages, 0, MHD_NO,
                                 self->metrics,

                                 self->sessions, NULL, 0, client };
        return s_queue (connection, status, gw_page_refuse (&refused, status, err, &status));
    }
    char param [GW_TARGET_MAX];
    int route = s_match (target.path, param, sizeof param);
    if (route < 0) {
        pl_debug ("gateway: %s %s status=404 client=%s", method, s_loggable (target.path),
                  client);
        if (!s_is_page (target.path))
            return s_queue (connection, MHD_HTTP_NOT_FOUND, gw_http_text ("Not Found"));
        gw_request_t missing = { connection, &target, target.path, "", NULL, NULL, NULL,
                                 self->cache, &self->config, method, self->pages, 0, MHD_NO,
                                 self->metrics,

                                 self->sessions, NULL, 0, client };
        unsigned int code = MHD_HTTP_NOT_FOUND;
        return s_queue (connection, code, gw_page_refuse (&missing, code, NULL, &code));
    }
    if (atomic_load (&self->stopping)) {
        //  Stopping: answer what is still queued at once, and close
        struct MHD_Response *response = gw_http_text ("Service Unavailable");
        if (response)
            MHD_add_response_header (response, MHD_HTTP_HEADER_CONNECTION, "close");
        return s_queue (connection, MHD_HTTP_SERVICE_UNAVAILABLE, response);
    }
    int kept = strcmp (method, MHD_HTTP_METHOD_POST) == 0 && s_routes [route].post == 2;
    gw_request_t request = {
        connection, &target, target.path, param, s_routes [route].arg, s_routes [route].field,
        s_client (self), self->cache, &self->config, method, self->pages, 0, MHD_NO,
        self->metrics,
        self->sessions, kept ? (exchange->form ? exchange->form : "") : NULL,
        !kept ? 0 : exchange->body > GW_FORM_MAX ? (size_t) -1 : exchange->body, client
    };
    if (!request.client) {
        pl_error ("gateway: cannot make a broker client endpoint=%s",
                  self->config.config.endpoint);
        return s_queue (connection, MHD_HTTP_SERVICE_UNAVAILABLE,
                        gw_http_text ("Service Unavailable"));
    }
    status = MHD_HTTP_INTERNAL_SERVER_ERROR;
    struct MHD_Response *response = s_routes [route].route (&request, &status);
    pl_debug ("gateway: %s %s status=%u client=%s", method, s_loggable (target.path), status,
              client);
    if (request.queued)
        return request.result;
    return s_queue (connection, status, response);
}

//  libmicrohttpd's request callback: s_answer, then the response it
//  queued counted by its status (which libmicrohttpd keeps with the
//  connection) and the target's route class.  Counted when queued, not
//  when sent: a client that has its answer finds it counted by /metrics.
static enum MHD_Result
s_request (void *self_, struct MHD_Connection *connection, const char *url,
           const char *method, const char *version, const char *upload_data,
           size_t *upload_size, void **state)
{
    gw_http_t *self = self_;
    s_exchange_t *exchange = *state;
    //  The call that answers: the one after the headers and the body
    int answers = exchange && exchange->called && *upload_size == 0;
    enum MHD_Result rc = s_answer (self_, connection, url, method, version, upload_data,
                                   upload_size, state);
    if (exchange && !exchange->counted && (answers || exchange->refused)) {
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info (connection, MHD_CONNECTION_INFO_HTTP_STATUS);
        if (info) {
            gw_metrics_response (self->metrics, exchange->raw, info->http_status);
            exchange->counted = 1;
        }
    }
    return rc;
}

//  libmicrohttpd's own messages go to our log.
static void
s_mhd_log (void *arg, const char *format, va_list args)
{
    (void) arg;
    char line [512];
    vsnprintf (line, sizeof line, format, args);
    line [strcspn (line, "\n")] = 0;
    pl_warn ("gateway: libmicrohttpd: %s", line);
}

//  Resolve HOST:PORT (PORT * or 0: any; [v6]:port) into ADDRESS.  0 or -1.
static int
s_address (const char *http, struct sockaddr_storage *address, socklen_t *length)
{
    char host [PL_ENDPOINT_MAX];
    snprintf (host, sizeof host, "%s", http);
    char *colon = strrchr (host, ':');
    if (!colon)
        return -1;
    *colon = 0;
    const char *port = strcmp (colon + 1, "*") == 0 ? "0" : colon + 1;
    char *name = host;
    if (name [0] == '[' && name [strlen (name) - 1] == ']') {
        name [strlen (name) - 1] = 0;
        name++;
    }
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
    struct addrinfo *found = NULL;
    if (getaddrinfo (*name ? name : NULL, port, &hints, &found) || !found)
        return -1;
    memcpy (address, found->ai_addr, found->ai_addrlen);
    *length = found->ai_addrlen;
    freeaddrinfo (found);
    return 0;
}

int
gw_config_check (const gw_config_t *config, int *loopback, char *err, size_t errsize)
{
    struct sockaddr_storage address;
    socklen_t length = 0;
    *loopback = 0;
    if (s_address (config->http, &address, &length)) {
        snprintf (err, errsize, "--http %s: not an address of this host (want HOST:PORT, "
                  "[IPv6]:PORT, port 0 or * for any)", config->http);
        return -1;
    }
    *loopback = s_is_loopback ((const struct sockaddr *) &address);
    if (!*loopback && !config->tls && !config->behind_proxy && !config->insecure) {
        snprintf (err, errsize,
                  "--http %s: not a loopback address, and plain HTTP there would carry private "
                  "calendar tokens and searches in clear text.  Serve TLS with --tls-cert FILE "
                  "--tls-key FILE, or state with --behind-proxy that a reverse proxy on this "
                  "host terminates TLS (--insecure serves plain HTTP anyway: for a closed test "
                  "network only)", config->http);
        return -1;
    }
    int https = strncasecmp (config->public_url, "https://", 8) == 0;
    if (config->behind_proxy && !https) {
        snprintf (err, errsize, "--behind-proxy: give the proxy's address as --public-url "
                  "https://HOST (or PLENARY_PUBLIC_URL): calendar feeds name it, and only "
                  "you know it%s%s", *config->public_url ? ", not " : "", config->public_url);
        return -1;
    }
    if (config->tls && *config->public_url && !https) {
        snprintf (err, errsize, "--public-url %s: this server speaks TLS, so its public "
                  "address is https://", config->public_url);
        return -1;
    }
    return 0;
}

gw_http_t *
gw_http_new (const gw_config_t *config)
{
    gw_http_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->config = *config;
    struct sockaddr_storage address;
    socklen_t length = 0;
    if (s_address (config->http, &address, &length)) {
        pl_error ("gateway: cannot use address http=%s (want HOST:PORT)", config->http);
        goto err;
    }
    atomic_init (&self->stopping, 0);
    if (pthread_key_create (&self->clients, s_client_free)) {
        pl_error ("gateway: cannot create thread-specific data");
        goto err;
    }
    self->have_key = 1;
    self->cache = gw_cache_new (config->config.pub, config->config.cert, config->cache_ms,
                                config->cache_max, config->cache_bytes);
    self->deadline = gw_deadline_new (config->header_timeout_s * 1000);
    self->pages = gw_pages_new ();
    self->metrics = gw_metrics_new ();
    self->sessions = gw_sessions_new (&self->config.config);
    if (!self->cache || !self->deadline || !self->pages || !self->metrics || !self->sessions)
        goto err;
    //  ITC: the threads learn of a stop at once, and quiescing works
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG
                       | MHD_USE_ITC;
    if (address.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_OptionItem options [16];
    size_t count = 0;
#define S_OPTION(name, value, ptr) do { \
        assert (count < sizeof options / sizeof options [0]); \
        options [count++] = (struct MHD_OptionItem) { name, value, ptr }; \
    } while (0)
    S_OPTION (MHD_OPTION_SOCK_ADDR, 0, &address);
    if (config->threads > 1)        //  one thread: libmicrohttpd's own, no pool
        S_OPTION (MHD_OPTION_THREAD_POOL_SIZE, config->threads, NULL);
    S_OPTION (MHD_OPTION_CONNECTION_LIMIT, config->connections, NULL);
    S_OPTION (MHD_OPTION_CONNECTION_TIMEOUT, config->timeout_s, NULL);
    if (config->per_ip_limit)
        S_OPTION (MHD_OPTION_PER_IP_CONNECTION_LIMIT, config->per_ip_limit, NULL);
    S_OPTION (MHD_OPTION_URI_LOG_CALLBACK, (intptr_t) s_uri, self);
    S_OPTION (MHD_OPTION_NOTIFY_COMPLETED, (intptr_t) s_completed, self);
    S_OPTION (MHD_OPTION_NOTIFY_CONNECTION, (intptr_t) gw_deadline_notify, self->deadline);
    if (config->tls) {
        flags |= MHD_USE_TLS;
        S_OPTION (MHD_OPTION_HTTPS_MEM_CERT, 0, (void *) gw_tls_cert (config->tls));
        S_OPTION (MHD_OPTION_HTTPS_MEM_KEY, 0, (void *) gw_tls_key (config->tls));
        //  TLS 1.2 and 1.3 only: every calendar app of the last ten years has them
        S_OPTION (MHD_OPTION_HTTPS_PRIORITIES, 0,
                  (void *) "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2");
    }
    S_OPTION (MHD_OPTION_END, 0, NULL);
#undef S_OPTION
    //  The logger first, on its own (it takes a va_list function, which an
    //  option item cannot carry), so that it sees everything
    self->daemon = MHD_start_daemon (
        flags, 0, NULL, NULL, s_request, self,
        MHD_OPTION_EXTERNAL_LOGGER, s_mhd_log, NULL,
        MHD_OPTION_ARRAY, options,
        MHD_OPTION_END);
    if (!self->daemon) {
        pl_error ("gateway: cannot listen on http=%s (in use, or not an address of this host)",
                  config->http);
        goto err;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info (self->daemon,
                                                            MHD_DAEMON_INFO_BIND_PORT);
    self->port = info ? info->port : 0;
    if (!*self->config.public_url) {
        char host [PL_ENDPOINT_MAX];
        snprintf (host, sizeof host, "%s", config->http);
        *strrchr (host, ':') = 0;   //  s_address found the colon
        if (snprintf (self->config.public_url, sizeof self->config.public_url, "%s://%s:%u",
                      config->tls ? "https" : "http", host, (unsigned) self->port)
            >= (int) sizeof self->config.public_url) {
            pl_error ("gateway: address too long for a URL http=%s", config->http);
            goto err;
        }
    }
    return self;
err:
    gw_http_destroy (&self);
    return NULL;
}

uint16_t
gw_http_port (gw_http_t *self)
{
    return self->port;
}

const char *
gw_http_public_url (gw_http_t *self)
{
    return self->config.public_url;
}

void
gw_http_destroy (gw_http_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    gw_http_t *self = *self_p;
    if (self->daemon) {
        MHD_socket listener = MHD_quiesce_daemon (self->daemon);
        if (listener != MHD_INVALID_SOCKET)
            close (listener);
        //  A thread finishes the query it is in (query_timeout_ms at most)
        //  and then answers every request still queued on its connections
        //  with 503 instead of one more query each
        atomic_store (&self->stopping, 1);
        gw_cache_stop (self->cache);
        MHD_stop_daemon (self->daemon);     //  joins the threads: their clients close
    }
    gw_deadline_destroy (&self->deadline);
    gw_cache_destroy (&self->cache);
    gw_pages_destroy (&self->pages);
    gw_metrics_destroy (&self->metrics);
    gw_sessions_destroy (&self->sessions);
    if (self->have_key)
        pthread_key_delete (self->clients);
    free (self);
    *self_p = NULL;
}

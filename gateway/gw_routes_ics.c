/*  gw_routes_ics — the iCalendar feeds: /ics/meetings/{id}.ics,
    /ics/conventions/{code}.ics, /ics/p/{token}.ics and /ics/all.ics.

    Each asks the calendar worker for query calendar.feed, as role public,
    and serves what calendar apps need and nothing they trip over:
    Content-Type text/calendar; charset=utf-8, a strong ETag (If-None-Match
    answered with 304), Last-Modified (If-Modified-Since honoured when there
    is no If-None-Match), no redirect, no content negotiation but gzip, no
    attachment disposition.  A private feed's token is hashed here (SHA-256) before it
    goes anywhere: the broker's log and the worker only ever see the hash.
    Anything that does not name a feed, a malformed token as much as a
    revoked one, is the same bare 404.

    Every feed is served from memory (gw_cache, gw_feed): while the cache
    knows a feed fresh, a request, plain or conditional, is answered from
    it without a query; otherwise the worker is asked (with the ETag held,
    so that an unchanged feed does not cross the broker again) and its
    answer kept.  A client that accepts gzip gets the gzip representation,
    with its own ETag ("H-gz"); Vary: Accept-Encoding says so to caches.
    The responses are built once per feed and queued for every connection
    (gw_feed_response), so answering copies nothing. */
#define _XOPEN_SOURCE 700          //  strptime, for HTTP dates
#include "gw_http.h"
#include "pl_log.h"
#include "pl_zone.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_TOKEN_MIN 22          //  128 bits in base64url; our tokens are 64 hex digits
#define S_TOKEN_MAX 128
#define S_ETAGS_MAX 8           //  entity tags read from one If-None-Match

//  Statuses of the calendar service and what HTTP says for them.
static const struct {
    int query;
    unsigned int http;
    const char *text;
} s_statuses [] = {
    { 400, MHD_HTTP_NOT_FOUND,           "Not Found" },     //  a key no feed can have
    { 404, MHD_HTTP_NOT_FOUND,           "Not Found" },
    { 503, MHD_HTTP_SERVICE_UNAVAILABLE, "Service Unavailable" },
    { 504, MHD_HTTP_GATEWAY_TIMEOUT,     "Gateway Timeout" },
};

//  True when every byte of TEXT is in SET and its length is MIN..MAX.
static int
s_made_of (const char *text, const char *set, size_t min, size_t max)
{
    size_t length = strlen (text);
    return length >= min && length <= max && strspn (text, set) == length;
}

//  Check the path parameter of feed KIND: an id, a code or a token.
static int
s_param_ok (const char *kind, const char *param)
{
    static const struct {
        const char *kind;
        const char *set;
        size_t min, max;
    } forms [] = {
        { "meeting",     "abcdefghijklmnopqrstuvwxyz0123456789._-", 1, 64 },
        { "convention",  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", 1, 16 },
        { "participant", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
                         S_TOKEN_MIN, S_TOKEN_MAX },
        { "all",         "", 0, 0 },
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms [0]; i++)
        if (strcmp (forms [i].kind, kind) == 0)
            return s_made_of (param, forms [i].set, forms [i].min, forms [i].max);
    return 0;
}

//  RFC 3339 STAMP (2030-03-17T17:46:40Z) to seconds (lib/pl_zone); -1 when
//  malformed.
static time_t
s_stamp_seconds (const char *stamp)
{
    int64_t seconds = 0;
    return stamp && pl_zone_timestamp (stamp, &seconds) == 0 ? (time_t) seconds : -1;
}

//  Split If-None-Match into up to S_ETAGS_MAX tags (weak ones without W/);
//  "*" is kept as is.  Returns the count.
static size_t
s_etags (const char *header, char tags [][96])
{
    size_t count = 0;
    const char *c = header;
    while (c && *c && count < S_ETAGS_MAX) {
        c += strspn (c, " \t,");
        if (strncmp (c, "W/", 2) == 0)
            c += 2;
        size_t length = *c == '"' ? (size_t) (strchr (c + 1, '"') ? strchr (c + 1, '"') - c + 1 : 0)
                                  : strcspn (c, " \t,");
        if (length == 0 || length >= 96)
            break;
        memcpy (tags [count], c, length);
        tags [count++][length] = 0;
        c += length;
    }
    return count;
}

//  Whether the client's copy (TAGS from If-None-Match, else
//  If-Modified-Since) is current, given the feed's ETAG and MODIFIED.
static int
s_not_modified (gw_request_t *request, char tags [][96], size_t tag_count, const char *etag,
                time_t modified)
{
    for (size_t i = 0; i < tag_count; i++)
        if (strcmp (tags [i], "*") == 0 || strcmp (tags [i], etag) == 0)
            return 1;
    if (tag_count)
        return 0;               //  RFC 9110 13.1.3: If-Modified-Since only without If-None-Match
    const char *since = gw_http_header (request, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
    struct tm tm;
    memset (&tm, 0, sizeof tm);
    return since && strptime (since, "%a, %d %b %Y %H:%M:%S GMT", &tm)
        && modified >= 0 && modified <= timegm (&tm);
}

//  Ask the calendar worker for feed REQUEST (KEY, SOURCE), with the ETag
//  of STALE when the gateway holds it.  The feed it answers (a new one,
//  or STALE made fresh again when it has not changed) as a reference, or
//  NULL with *STATUS and *RESPONSE set to the error to answer.
static gw_feed_t *
s_ask (gw_request_t *request, const char *cache_key, const char *key, const char *source,
       gw_feed_t *stale, int private, unsigned int *status, struct MHD_Response **response)
{
    //  Read before the query: a change applied meanwhile makes its answer stale
    uint64_t generation = gw_cache_generation (request->cache);
    json_t *args = json_pack ("{s:s, s:s}", "kind", request->arg, "source", source);
    if (args && *key && strcmp (request->arg, "all"))
        json_object_set_new (args, "key", json_string (key));
    if (args && stale)
        json_object_set_new (args, "if_none_match",
                             json_string (gw_feed_etag (stale, GW_FEED_IDENTITY)));
    int query_status = 0;
    char err [PL_ERR_MAX];
    json_t *reply = args ? pl_client_query_as (request->client, "calendar.feed", args, "public",
                                               &query_status, err, sizeof err) : NULL;
    json_decref (args);
    if (!reply) {
        if (query_status == 404 || query_status == 400)
            gw_cache_forget (request->cache, cache_key);
        for (size_t i = 0; i < sizeof s_statuses / sizeof s_statuses [0]; i++)
            if (s_statuses [i].query == query_status) {
                *status = s_statuses [i].http;
                *response = gw_http_text (s_statuses [i].text);
                return NULL;
            }
        pl_warn ("gateway: calendar.feed failed kind=%s status=%d cause=%s",
                 request->arg, query_status, err);
        *status = MHD_HTTP_BAD_GATEWAY;
        *response = gw_http_text ("Bad Gateway");
        return NULL;
    }
    const char *etag = json_string_value (json_object_get (reply, "etag"));
    const char *ics = json_string_value (json_object_get (reply, "ics"));
    time_t modified = s_stamp_seconds (json_string_value (json_object_get (reply,
                                                                           "last_modified")));
    gw_feed_t *feed = NULL;
    if (stale && json_is_true (json_object_get (reply, "not_modified"))) {
        gw_cache_refresh (request->cache, cache_key, stale, generation);
        feed = gw_feed_ref (stale);
    }
    else
    if (etag && ics && modified >= 0) {
        feed = gw_feed_new (ics, strlen (ics), etag, modified, private);
        if (feed)
            gw_cache_put (request->cache, cache_key, feed, generation);
    }
    if (!feed) {
        //  Out of memory, or a reply without what it promises
        pl_warn ("gateway: calendar.feed answered no feed kind=%s", request->arg);
        *status = MHD_HTTP_BAD_GATEWAY;
        *response = gw_http_text ("Bad Gateway");
    }
    json_decref (reply);
    return feed;
}

struct MHD_Response *
gw_route_ics (gw_request_t *request, unsigned int *status)
{
    *status = MHD_HTTP_NOT_FOUND;
    if (!s_param_ok (request->arg, request->param))
        return gw_http_text ("Not Found");
    int private = strcmp (request->arg, "participant") == 0;
    char key [2 * crypto_hash_sha256_BYTES + 1];
    snprintf (key, sizeof key, "%s", request->param);
    if (private) {
        unsigned char digest [crypto_hash_sha256_BYTES];
        crypto_hash_sha256 (digest, (const unsigned char *) request->param,
                            strlen (request->param));
        sodium_bin2hex (key, sizeof key, digest, sizeof digest);
    }
    char cache_key [32 + sizeof key];
    snprintf (cache_key, sizeof cache_key, "%s/%s", request->arg, key);
    int fresh = 0;
    gw_feed_t *feed = gw_cache_get (request->cache, cache_key, &fresh);
    if (!fresh) {
        char source [PL_ENDPOINT_MAX + 1100];
        snprintf (source, sizeof source, "%s%s", request->config->public_url, request->path);
        struct MHD_Response *error = NULL;
        gw_feed_t *answer = s_ask (request, cache_key, key, source, feed, private, status,
                                   &error);
        gw_feed_release (&feed);
        if (!answer)
            return error;
        feed = answer;
    }
    //  The representation: gzip when the client takes it and it can be made
    gw_feed_variant_t variant = GW_FEED_IDENTITY;
    if (gw_feed_accepts_gzip (gw_http_header (request, MHD_HTTP_HEADER_ACCEPT_ENCODING))) {
        int made = gw_feed_gzip (feed);
        if (made == 1)
            gw_cache_resize (request->cache, cache_key, feed);
        if (made >= 0)
            variant = GW_FEED_GZIP;
    }
    char tags [S_ETAGS_MAX][96];
    size_t tag_count = s_etags (gw_http_header (request, MHD_HTTP_HEADER_IF_NONE_MATCH), tags);
    int not_modified = s_not_modified (request, tags, tag_count, gw_feed_etag (feed, variant),
                                       gw_feed_modified (feed));
    *status = not_modified ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK;
    //  Shared by every connection the feed is sent on: queued here, under
    //  our reference, never destroyed by us
    request->result = MHD_queue_response (request->connection, *status,
                                          gw_feed_response (feed, variant, not_modified));
    request->queued = 1;
    gw_feed_release (&feed);
    return NULL;
}

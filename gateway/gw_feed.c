/*  gw_feed — one rendered feed in memory: bytes, gzip, validators and the
    shared libmicrohttpd responses (see gw_feed.h for the rules).

    The bytes of a representation live in an s_body_t counted by the
    responses built on it (libmicrohttpd calls each response's free
    callback when its last connection is done with it) and by the feed, so
    they outlive both the feed and any connection still sending them. */
#include "gw_feed.h"
#include "pl_log.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

//  zlib's default level: a 270 KB feed compresses to about a twentieth
//  of its size in a few milliseconds, once per change of the feed.
#define S_GZIP_LEVEL Z_DEFAULT_COMPRESSION
//  gzip wrapper (RFC 1952) around deflate: windowBits 15 + 16
#define S_GZIP_WINDOW (15 + 16)
#define S_GZIP_MEMLEVEL 8

//  The bytes of one representation.
typedef struct {
    atomic_int refs;            //  the feed's, and one per response built on it
    size_t size;
    char bytes [];
} s_body_t;

typedef struct {
    s_body_t *body;
    char etag [GW_FEED_ETAG_MAX];
    struct MHD_Response *ok;            //  200
    struct MHD_Response *not_modified;  //  304
} s_variant_t;

struct _gw_feed_t {
    atomic_int refs;
    time_t modified;
    int clamped;                //  Last-Modified says the build time, not MODIFIED
    int private;
    char last_modified [40];    //  the header's text
    pthread_mutex_t lock;       //  making the gzip representation
    atomic_int gzip;            //  0 not made, 1 made, -1 could not be made
    s_variant_t variants [GW_FEED_VARIANTS];
};

static s_body_t *
s_body_new (size_t size)
{
    s_body_t *body = malloc (sizeof *body + size + 1);
    if (body) {
        atomic_init (&body->refs, 1);
        body->size = size;
    }
    return body;
}

//  Drop a reference to BODY (also libmicrohttpd's free callback).
static void
s_body_drop (void *body_)
{
    s_body_t *body = body_;
    if (body && atomic_fetch_sub (&body->refs, 1) == 1)
        free (body);
}

//  A response of BODY's bytes with the headers of VARIANT of SELF; OK: the
//  200 (Content-Type, and Content-Encoding for gzip), else the 304.
static struct MHD_Response *
s_response (gw_feed_t *self, gw_feed_variant_t variant, int ok)
{
    s_variant_t *v = &self->variants [variant];
    atomic_fetch_add (&v->body->refs, 1);
    struct MHD_Response *response = MHD_create_response_from_buffer_with_free_callback_cls (
        v->body->size, v->body->bytes, s_body_drop, v->body);
    if (!response) {
        s_body_drop (v->body);
        return NULL;
    }
    int failed = MHD_add_response_header (response, MHD_HTTP_HEADER_ETAG, v->etag) != MHD_YES
              || MHD_add_response_header (response, MHD_HTTP_HEADER_LAST_MODIFIED,
                                          self->last_modified) != MHD_YES
              //  Revalidate every time: a 304 costs little and a change shows
              //  at once.  A private feed must not sit in a shared cache.
              || MHD_add_response_header (response, MHD_HTTP_HEADER_CACHE_CONTROL,
                                          self->private ? "private, no-cache"
                                                        : "public, no-cache") != MHD_YES
              || MHD_add_response_header (response, MHD_HTTP_HEADER_VARY,
                                          MHD_HTTP_HEADER_ACCEPT_ENCODING) != MHD_YES;
    if (ok && !failed)
        failed = MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE,
                                          "text/calendar; charset=utf-8") != MHD_YES
              || (variant == GW_FEED_GZIP
                  && MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_ENCODING,
                                              "gzip") != MHD_YES);
    if (failed) {
        MHD_destroy_response (response);
        return NULL;
    }
    return response;
}

//  Build the two responses of VARIANT, whose body and ETag are set.  0 or -1.
static int
s_responses (gw_feed_t *self, gw_feed_variant_t variant)
{
    s_variant_t *v = &self->variants [variant];
    v->ok = s_response (self, variant, 1);
    v->not_modified = s_response (self, variant, 0);
    return v->ok && v->not_modified ? 0 : -1;
}

gw_feed_t *
gw_feed_new (const char *ics, size_t size, const char *etag, time_t modified, int private)
{
    size_t length = strlen (etag);
    //  room for "-gz" inside the quotes
    if (length < 2 || length + 3 >= GW_FEED_ETAG_MAX || etag [0] != '"' || etag [length - 1] != '"')
        return NULL;
    gw_feed_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    atomic_init (&self->refs, 1);
    atomic_init (&self->gzip, 0);
    pthread_mutex_init (&self->lock, NULL);
    self->modified = modified;
    self->private = private;
    time_t now = time (NULL), shown = modified;
    if (shown > now) {
        shown = now;
        self->clamped = 1;
    }
    struct tm tm;
    gmtime_r (&shown, &tm);
    strftime (self->last_modified, sizeof self->last_modified, "%a, %d %b %Y %H:%M:%S GMT",
              &tm);
    s_variant_t *identity = &self->variants [GW_FEED_IDENTITY];
    snprintf (identity->etag, sizeof identity->etag, "%s", etag);
    snprintf (self->variants [GW_FEED_GZIP].etag, sizeof identity->etag, "%.*s-gz\"",
              (int) length - 1, etag);
    if (!(identity->body = s_body_new (size)))
        goto err;
    memcpy (identity->body->bytes, ics, size);
    identity->body->bytes [size] = 0;
    if (s_responses (self, GW_FEED_IDENTITY))
        goto err;
    return self;
err:
    gw_feed_release (&self);
    return NULL;
}

gw_feed_t *
gw_feed_ref (gw_feed_t *self)
{
    atomic_fetch_add (&self->refs, 1);
    return self;
}

void
gw_feed_release (gw_feed_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    gw_feed_t *self = *self_p;
    *self_p = NULL;
    if (atomic_fetch_sub (&self->refs, 1) != 1)
        return;
    for (int i = 0; i < GW_FEED_VARIANTS; i++) {
        s_variant_t *v = &self->variants [i];
        if (v->ok)
            MHD_destroy_response (v->ok);
        if (v->not_modified)
            MHD_destroy_response (v->not_modified);
        s_body_drop (v->body);
    }
    pthread_mutex_destroy (&self->lock);
    free (self);
}

const char *
gw_feed_etag (gw_feed_t *self, gw_feed_variant_t variant)
{
    return self->variants [variant].etag;
}

const char *
gw_feed_bytes (gw_feed_t *self, size_t *size)
{
    const s_body_t *body = self->variants [GW_FEED_IDENTITY].body;
    *size = body->size;
    return body->bytes;
}

time_t
gw_feed_modified (gw_feed_t *self)
{
    return self->modified;
}

int
gw_feed_clamped (gw_feed_t *self)
{
    return self->clamped;
}

size_t
gw_feed_size (gw_feed_t *self)
{
    size_t size = self->variants [GW_FEED_IDENTITY].body->size;
    if (atomic_load (&self->gzip) == 1)
        size += self->variants [GW_FEED_GZIP].body->size;
    return size;
}

//  Compress the identity bytes into a new body.  NULL on failure.
static s_body_t *
s_deflate (const s_body_t *identity)
{
    z_stream stream;
    memset (&stream, 0, sizeof stream);
    if (deflateInit2 (&stream, S_GZIP_LEVEL, Z_DEFLATED, S_GZIP_WINDOW, S_GZIP_MEMLEVEL,
                      Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    s_body_t *body = s_body_new (deflateBound (&stream, identity->size));
    if (body) {
        stream.next_in = (Bytef *) identity->bytes;
        stream.avail_in = (uInt) identity->size;
        stream.next_out = (Bytef *) body->bytes;
        stream.avail_out = (uInt) body->size;
        if (deflate (&stream, Z_FINISH) == Z_STREAM_END)
            body->size = stream.total_out;
        else {
            free (body);
            body = NULL;
        }
    }
    deflateEnd (&stream);
    return body;
}

int
gw_feed_gzip (gw_feed_t *self)
{
    int state = atomic_load (&self->gzip), made = 0;
    if (state)
        return state == 1 ? 0 : -1;
    pthread_mutex_lock (&self->lock);
    state = atomic_load (&self->gzip);
    if (state == 0) {
        made = 1;
        s_variant_t *gzip = &self->variants [GW_FEED_GZIP];
        gzip->body = s_deflate (self->variants [GW_FEED_IDENTITY].body);
        state = gzip->body && s_responses (self, GW_FEED_GZIP) == 0 ? 1 : -1;
        if (state < 0)
            pl_error ("gateway: cannot compress a feed of %zu bytes (out of memory); "
                      "it is served uncompressed", self->variants [GW_FEED_IDENTITY].body->size);
        atomic_store (&self->gzip, state);
    }
    pthread_mutex_unlock (&self->lock);
    return state == 1 ? made : -1;
}

struct MHD_Response *
gw_feed_response (gw_feed_t *self, gw_feed_variant_t variant, int not_modified)
{
    assert (variant == GW_FEED_IDENTITY || atomic_load (&self->gzip) == 1);
    s_variant_t *v = &self->variants [variant];
    return not_modified ? v->not_modified : v->ok;
}

//  Whether the qvalue at Q (after "q=") is above 0: any digit but 0.
static int
s_q_positive (const char *q, size_t length)
{
    for (size_t i = 0; i < length; i++)
        if (q [i] >= '1' && q [i] <= '9')
            return 1;
    return 0;
}

int
gw_feed_accepts_gzip (const char *header)
{
    int gzip = -1, star = -1;           //  -1 not named, else whether q > 0
    const char *c = header;
    while (c && *c) {
        c += strspn (c, " \t,");
        size_t name = strcspn (c, " \t;,");
        if (name == 0) {
            //  An element without a name (";q=1"): skip it whole
            c += strcspn (c, ",");
            continue;
        }
        int positive = 1;
        const char *p = c + name;
        //  parameters: ;q=VALUE (others ignored)
        while (*p && *p != ',') {
            p += strspn (p, " \t;");
            size_t span = strcspn (p, ";,");
            if (span >= 2 && (p [0] == 'q' || p [0] == 'Q') && p [1] == '=')
                positive = s_q_positive (p + 2, strcspn (p + 2, " \t;,"));
            p += span;
        }
        if ((name == 4 && strncasecmp (c, "gzip", 4) == 0)
        ||  (name == 6 && strncasecmp (c, "x-gzip", 6) == 0))
            gzip = gzip == 1 ? 1 : positive;
        else
        if (name == 1 && *c == '*')
            star = positive;
        c = p;
    }
    return gzip >= 0 ? gzip : star == 1;
}

//  --------------------------------------------------------------------------
//  Self-test

#define S_CHECK(cond, what) do { if (!(cond)) { \
    fprintf (stderr, "gw_feed_test: FAIL %s (line %d)\n", what, __LINE__); failed++; } \
    else if (verbose) fprintf (stderr, "gw_feed_test: ok %s\n", what); } while (0)

//  The value of header NAME of RESPONSE, or NULL.
static const char *
s_header (struct MHD_Response *response, const char *name)
{
    return response ? MHD_get_response_header (response, name) : NULL;
}

int
gw_feed_test (int verbose)
{
    int failed = 0;
    static const struct {
        const char *header;
        int gzip;
    } accepts [] = {
        { NULL, 0 }, { "", 0 }, { "gzip", 1 }, { "GZIP", 1 }, { "deflate, gzip;q=1.0, br", 1 },
        { "gzip;q=0", 0 }, { "gzip; q=0.000", 0 }, { "gzip;q=0.001", 1 }, { "x-gzip", 1 },
        { "*", 1 }, { "*;q=0", 0 }, { "gzip;q=0, *", 0 }, { "identity", 0 }, { "br, deflate", 0 },
        { "gzipx", 0 }, { " gzip ; q=0.5 ", 1 }, { "deflate;q=0.5,gzip", 1 },
        { "identity;q=1, *;q=0", 0 }, { ";q=1, gzip", 1 }, { "gzip;q=0;q=1", 1 },
        { ", ,gzip", 1 }, { "gzip;level=9", 1 }, { "x-gzip;q=0, gzip", 1 },
    };
    for (size_t i = 0; i < sizeof accepts / sizeof accepts [0]; i++) {
        char what [96];
        snprintf (what, sizeof what, "Accept-Encoding: %s", accepts [i].header
                                                            ? accepts [i].header : "(none)");
        S_CHECK (gw_feed_accepts_gzip (accepts [i].header) == accepts [i].gzip, what);
    }

    //  A feed of repeated lines, modified in the past and in the future
    char ics [20000] = "";
    while (strlen (ics) + 40 < sizeof ics)
        strcat (ics, "SUMMARY:Plenary meeting — 全体会议\r\n");
    size_t size = strlen (ics);
    gw_feed_t *feed = gw_feed_new (ics, size, "\"abc\"", 1900000000, 0);
    S_CHECK (feed && gw_feed_clamped (feed), "a Last-Modified in the future is clamped");
    gw_feed_release (&feed);
    S_CHECK (!gw_feed_new (ics, size, "abc", 0, 0), "an ETag without quotes refused");
    feed = gw_feed_new (ics, size, "\"abc\"", 1700000000, 1);
    S_CHECK (feed && !gw_feed_clamped (feed), "a feed");
    if (!feed)
        return -1;
    S_CHECK (strcmp (gw_feed_etag (feed, GW_FEED_GZIP), "\"abc-gz\"") == 0, "gzip ETag");
    struct MHD_Response *ok = gw_feed_response (feed, GW_FEED_IDENTITY, 0);
    struct MHD_Response *nm = gw_feed_response (feed, GW_FEED_IDENTITY, 1);
    const char *lm = s_header (ok, MHD_HTTP_HEADER_LAST_MODIFIED);
    S_CHECK (lm && strcmp (lm, "Tue, 14 Nov 2023 22:13:20 GMT") == 0, "Last-Modified");
    S_CHECK (strcmp (s_header (ok, MHD_HTTP_HEADER_ETAG), "\"abc\"") == 0
             && strcmp (s_header (nm, MHD_HTTP_HEADER_ETAG), "\"abc\"") == 0, "ETags");
    S_CHECK (strcmp (s_header (nm, MHD_HTTP_HEADER_VARY), "Accept-Encoding") == 0
             && strcmp (s_header (ok, MHD_HTTP_HEADER_CACHE_CONTROL), "private, no-cache") == 0,
             "Vary and Cache-Control on both");
    S_CHECK (s_header (ok, MHD_HTTP_HEADER_CONTENT_TYPE) && !s_header (nm, MHD_HTTP_HEADER_CONTENT_TYPE)
             && !s_header (ok, MHD_HTTP_HEADER_CONTENT_ENCODING), "Content-Type on the 200 only");
    S_CHECK (gw_feed_gzip (feed) == 1 && gw_feed_gzip (feed) == 0, "gzip made once");
    struct MHD_Response *gz = gw_feed_response (feed, GW_FEED_GZIP, 0);
    S_CHECK (strcmp (s_header (gz, MHD_HTTP_HEADER_CONTENT_ENCODING), "gzip") == 0
             && strcmp (s_header (gz, MHD_HTTP_HEADER_ETAG), "\"abc-gz\"") == 0
             && strcmp (s_header (gw_feed_response (feed, GW_FEED_GZIP, 1),
                                  MHD_HTTP_HEADER_ETAG), "\"abc-gz\"") == 0, "gzip headers");
    //  The gzip bytes inflate to the identity bytes
    const s_body_t *body = feed->variants [GW_FEED_GZIP].body;
    char *back = body ? malloc (size + 1) : NULL;
    z_stream stream;
    memset (&stream, 0, sizeof stream);
    int inflated = back && inflateInit2 (&stream, S_GZIP_WINDOW) == Z_OK;
    if (inflated) {
        stream.next_in = (Bytef *) body->bytes;
        stream.avail_in = (uInt) body->size;
        stream.next_out = (Bytef *) back;
        stream.avail_out = (uInt) size + 1;
        inflated = inflate (&stream, Z_FINISH) == Z_STREAM_END && stream.total_out == size
                && memcmp (back, ics, size) == 0;
        inflateEnd (&stream);
    }
    free (back);
    S_CHECK (inflated, "gzip inflates to the identity bytes");
    S_CHECK (body && body->size < size / 4 && gw_feed_size (feed) == size + body->size, "sizes");
    gw_feed_t *other = gw_feed_ref (feed);
    gw_feed_release (&feed);
    S_CHECK (!feed && other && strcmp (gw_feed_etag (other, GW_FEED_IDENTITY), "\"abc\"") == 0,
             "a second reference outlives the first");
    gw_feed_release (&other);
    return failed ? -1 : 0;
}

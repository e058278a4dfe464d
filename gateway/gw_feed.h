/*  gw_feed — one rendered feed held in memory by the gateway: its bytes,
    their gzip, its validators, and the libmicrohttpd responses every
    connection that asks for it is given.

    A feed has two representations: identity (the calendar worker's bytes,
    ETag "H" as the worker made it) and gzip (the same bytes compressed
    with zlib, ETag "H-gz", Content-Encoding: gzip), chosen by the
    request's Accept-Encoding (gw_feed_accepts_gzip).  Each has a 200 and a
    304 response, built once and queued for any number of connections at
    once (libmicrohttpd counts references to a response and never changes
    one once queued), so answering a request copies nothing.  Every one
    carries ETag, Last-Modified, Cache-Control and Vary: Accept-Encoding;
    the 200s Content-Type too, the gzip one Content-Encoding.

    The 304 shares its representation's body: libmicrohttpd 0.9.75 writes
    a Content-Length on every response it knows the size of (0 for an
    empty body) and sends no body with a 304, so a 304 built on the 200's
    bytes says the 200's Content-Length rather than a false 0 (RFC 9110
    8.6 allows a 304 to carry the length the 200 would have had).

    Last-Modified is never later than the moment the response is built,
    hence never later than the Date libmicrohttpd writes when sending it:
    two changes of a feed within one second give the second a
    Last-Modified a second after the first (the worker never lets it move
    back), which may be in the future; such a feed says now instead, and
    gw_feed_clamped tells the cache not to keep it.

    The gzip representation is made on first demand (gw_feed_gzip), once,
    under the feed's own lock: a feed nobody asks compressed costs nothing.

    A gw_feed_t is shared by the gateway's server threads and counted:
    gw_feed_new gives one reference, gw_feed_ref takes another,
    gw_feed_release drops one; the last frees it (the responses live on
    while a connection still sends them, and free the bytes after). */
#ifndef GW_FEED_H_INCLUDED
#define GW_FEED_H_INCLUDED

#include <microhttpd.h>
#include <stddef.h>
#include <time.h>

#define GW_FEED_ETAG_MAX 96     //  our ETags are a quoted hash (+ "-gz"), well under this

typedef struct _gw_feed_t gw_feed_t;

//  Representations of a feed.
typedef enum {
    GW_FEED_IDENTITY,
    GW_FEED_GZIP,
    GW_FEED_VARIANTS
} gw_feed_variant_t;

//  A feed of SIZE bytes ICS (copied), whose identity ETag is ETAG (quoted)
//  and whose last change was at MODIFIED; PRIVATE: a private feed
//  (Cache-Control private).  NULL when out of memory or ETAG too long.
gw_feed_t *gw_feed_new (const char *ics, size_t size, const char *etag, time_t modified,
                        int private);

//  Another reference to SELF (returned).
gw_feed_t *gw_feed_ref (gw_feed_t *self);

//  Drop the reference *SELF_P; NULL-safe, nulls *SELF_P.  The last frees.
void gw_feed_release (gw_feed_t **self_p);

//  The ETag of representation VARIANT (quoted).  Borrowed, lives with SELF.
const char *gw_feed_etag (gw_feed_t *self, gw_feed_variant_t variant);

//  The identity bytes and their size.  Borrowed, live with SELF.
const char *gw_feed_bytes (gw_feed_t *self, size_t *size);

//  When the feed last changed, as the calendar worker said.
time_t gw_feed_modified (gw_feed_t *self);

//  True when Last-Modified had to say the time of building rather than
//  gw_feed_modified (which was later): the cache must not keep it.
int gw_feed_clamped (gw_feed_t *self);

//  Bytes held: identity, and gzip once made.
size_t gw_feed_size (gw_feed_t *self);

//  Make the gzip representation if not made yet.  1 when this call made
//  it (the feed holds more bytes now), 0 when it was made before, -1 when
//  it cannot be made (out of memory, logged once): serve identity instead.
//  Thread-safe.
int gw_feed_gzip (gw_feed_t *self);

//  The response of VARIANT (gzip: only after gw_feed_gzip returned 0 or 1),
//  the 304 when NOT_MODIFIED, else the 200.  Borrowed: queue it with
//  MHD_queue_response while holding a reference to SELF, never destroy it.
struct MHD_Response *gw_feed_response (gw_feed_t *self, gw_feed_variant_t variant,
                                       int not_modified);

//  True when Accept-Encoding value HEADER (NULL: none) accepts gzip: gzip
//  or x-gzip listed with a q above 0, or * with a q above 0 when gzip is
//  not named (RFC 9110 12.5.3).
int gw_feed_accepts_gzip (const char *header);

//  Self-test: gzip acceptance, representations and their headers, the
//  gzip bytes inflating to the identity bytes.  0 when it passes.
int gw_feed_test (int verbose);

#endif

/*  gw_cache — what the gateway knows of each feed's validators, so that a
    calendar app's conditional request (If-None-Match, If-Modified-Since)
    is answered 304 without a round trip through the broker.

    Per feed (its kind and key; a private feed's key is the token's hash)
    the cache keeps the last ETag and Last-Modified the calendar worker
    gave, not the body.  An entry is fresh while both hold:
    - no verdict of the calendar group has been seen since the query that
      filled it.  A watcher thread (a CZMQ actor) subscribes to the broker's
      PUB socket for `$verdict.calendar` and bumps a generation counter on
      each; an entry remembers the generation read BEFORE its query, so a
      change applied while the query was on its way also makes it stale.
      Any verdict invalidates everything: simple, and correct.
    - it is younger than ttl_ms.  PUB is best-effort (a slow or reconnecting
      subscriber loses notifications), so a lost one must not keep a feed
      stale for ever: it keeps it stale for at most ttl_ms.

    Entries sit in one hash table behind one mutex: libmicrohttpd's server
    threads all read it; the critical sections are a lookup or an insert.
    The generation is an atomic read by every thread without the lock. */
#ifndef GW_CACHE_H_INCLUDED
#define GW_CACHE_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define GW_CACHE_ETAG_MAX 96     //  our ETags are a quoted hash, well under this

typedef struct _gw_cache_t gw_cache_t;

//  A cache of at most MAX_ENTRIES feeds, each fresh for at most TTL_MS,
//  watching PUB (a broker's PUB endpoint, with the key file CERT when not
//  "") for the calendar group's
//  verdicts.  TTL_MS 0 disables the cache (every lookup misses).  NULL on
//  failure (logged).  A PUB that nothing listens on is not a failure: the
//  watcher keeps trying to connect and TTL_MS bounds staleness meanwhile.
gw_cache_t *gw_cache_new (const char *pub, const char *cert, int ttl_ms, size_t max_entries);

//  Stop the watcher; from now on every lookup misses and nothing is
//  stored (nothing can tell a stopped cache of a change).  Threads may
//  still call the other methods.  Idempotent.
void gw_cache_stop (gw_cache_t *self);

//  Stop (when not stopped) and free; NULL-safe, nulls *SELF_P.  No other
//  thread may be using the cache.
void gw_cache_destroy (gw_cache_t **self_p);

//  The current generation: read it before the query whose answer goes
//  into gw_cache_put.
uint64_t gw_cache_generation (gw_cache_t *self);

//  The fresh validators of feed KEY into ETAG (SIZE bytes) and *MODIFIED.
//  1 fresh, 0 missing or stale.
int gw_cache_get (gw_cache_t *self, const char *key, char *etag, size_t size, time_t *modified);

//  Remember feed KEY's validators as of GENERATION (from
//  gw_cache_generation before the query).  When the cache is full the
//  stale entries go, and if none was stale, all of them.
void gw_cache_put (gw_cache_t *self, const char *key, const char *etag, time_t modified,
                   uint64_t generation);

#endif

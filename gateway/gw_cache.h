/*  gw_cache — the feeds the gateway holds in memory (gw_feed: bytes,
    gzip, validators, responses), so that a calendar app's request, plain
    or conditional, is answered without a round trip through the broker
    while its feed has not changed.

    Per feed (its kind and key; a private feed's key is the token's hash)
    the cache keeps the last feed the calendar worker gave.  An entry is
    fresh while both hold:
    - no verdict of the calendar group has been seen since the query that
      filled it.  A watcher thread (a CZMQ actor) subscribes to the broker's
      PUB socket for `$verdict.calendar` and bumps a generation counter on
      each; an entry remembers the generation read BEFORE its query, so a
      change applied while the query was on its way also makes it stale.
      Any verdict invalidates everything: simple, and correct (the worker
      keeps its own renders per feed and re-renders only those a change
      touches, so asking it again after a verdict is cheap).
    - it is younger than ttl_ms.  PUB is best-effort (a slow or reconnecting
      subscriber loses notifications), so a lost one must not keep a feed
      stale for ever: it keeps it stale for at most ttl_ms.
    A stale entry still holds its bytes: the gateway asks the worker with
    its ETag, and on "not modified" makes it fresh again (gw_cache_refresh)
    without the bytes crossing the broker again.

    Bounded: at most max_entries feeds and max_bytes bytes (identity and
    gzip); past either the stale entries go, then the least recently used
    until a quarter of the room is free.  A feed larger than max_bytes, or
    whose Last-Modified had to be clamped (gw_feed_clamped), is served but
    not kept.

    Entries sit in one hash table behind one mutex: libmicrohttpd's server
    threads all read it; the critical sections are a lookup and a reference
    taken, or an insert.  The generation is an atomic read by every thread
    without the lock. */
#ifndef GW_CACHE_H_INCLUDED
#define GW_CACHE_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include "gw_feed.h"

typedef struct _gw_cache_t gw_cache_t;

//  A cache of at most MAX_ENTRIES feeds and MAX_BYTES bytes, each fresh
//  for at most TTL_MS, watching PUB (a broker's PUB endpoint, with the key
//  file CERT when not "") for the calendar group's verdicts.  TTL_MS 0:
//  feeds are kept but never fresh (every request asks the worker, with the
//  ETag held, so that an unchanged feed does not cross the broker again),
//  and nothing watches the verdicts.  NULL on
//  failure (logged).  A PUB that nothing listens on is not a failure: the
//  watcher keeps trying to connect and TTL_MS bounds staleness meanwhile.
gw_cache_t *gw_cache_new (const char *pub, const char *cert, int ttl_ms, size_t max_entries,
                          size_t max_bytes);

//  Stop the watcher; from now on every lookup misses and nothing is
//  stored (nothing can tell a stopped cache of a change).  Threads may
//  still call the other methods.  Idempotent.
void gw_cache_stop (gw_cache_t *self);

//  Stop (when not stopped) and free; NULL-safe, nulls *SELF_P.  No other
//  thread may be using the cache.  Feeds still referenced elsewhere live on.
void gw_cache_destroy (gw_cache_t **self_p);

//  The current generation: read it before the query whose answer goes
//  into gw_cache_put or gw_cache_refresh.
uint64_t gw_cache_generation (gw_cache_t *self);

//  The feed held for KEY, fresh or stale: a new reference (the caller
//  releases it with gw_feed_release), or NULL when none.  *FRESH is 1 when
//  it may be served without asking the worker, else 0.
gw_feed_t *gw_cache_get (gw_cache_t *self, const char *key, int *fresh);

//  Keep FEED (a reference of its own is taken) for KEY, fresh as of
//  GENERATION (from gw_cache_generation before the query), replacing what
//  KEY held.  Not kept when the cache is stopped, FEED is clamped or
//  larger than the cache.
void gw_cache_put (gw_cache_t *self, const char *key, gw_feed_t *feed, uint64_t generation);

//  The worker said FEED, held for KEY, has not changed: fresh again as of
//  GENERATION.  Nothing when KEY holds another feed by now.
void gw_cache_refresh (gw_cache_t *self, const char *key, gw_feed_t *feed, uint64_t generation);

//  FEED, held for KEY, grew (its gzip was made): count its bytes again.
void gw_cache_resize (gw_cache_t *self, const char *key, gw_feed_t *feed);

//  Forget KEY (its feed is gone: an unknown meeting, a revoked token).
void gw_cache_forget (gw_cache_t *self, const char *key);

//  Feeds and bytes held now, into *ENTRIES and *BYTES.
void gw_cache_usage (gw_cache_t *self, size_t *entries, size_t *bytes);

//  What the cache counted since it was made (/metrics): feeds the calendar
//  worker sent rendered (gw_cache_put), feeds found fresh (gw_cache_get),
//  feeds the worker said had not changed (gw_cache_refresh).
typedef struct {
    uint64_t renders;
    uint64_t fresh;
    uint64_t unchanged;
} gw_cache_counts_t;

//  Those counts now, into *COUNTS.
void gw_cache_counts (gw_cache_t *self, gw_cache_counts_t *counts);

//  Self-test (without a watcher): freshness, refresh, the bounds and
//  eviction order.  0 when it passes.
int gw_cache_test (int verbose);

#endif

/*  gw_cache — the feeds the gateway holds, invalidated by the calendar
    group's verdicts (see gw_cache.h for the freshness rules and bounds). */
#include "gw_cache.h"
#include "pl_keys.h"
#include "pl_log.h"
#include "pl_proto.h"

#include <czmq.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  The notifications that change what a feed shows: every verdict of the
//  calendar group (an applied event changed the data; a rejected one did
//  not, but telling them apart would save little and cost a parse).
#define GW_CACHE_TOPIC "$verdict.calendar"

typedef struct {
    gw_feed_t *feed;
    size_t size;                //  bytes counted for it in self->bytes
    uint64_t generation;
    int64_t born_ms;            //  filled or refreshed
    int64_t used_ms;            //  last served
} s_entry_t;

struct _gw_cache_t {
    char pub [256];
    char cert [256];                //  the gateway's key file, "" without keys
    int ttl_ms;
    size_t max_entries;
    size_t max_bytes;
    _Atomic uint64_t generation;
    atomic_int stopped;         //  gw_cache_stop was called: all misses
    _Atomic uint64_t renders;   //  gw_cache_counts_t's, counted without the lock
    _Atomic uint64_t fresh;
    _Atomic uint64_t unchanged;
    pthread_mutex_t lock;
    zhashx_t *entries;          //  key -> s_entry_t, under lock
    size_t bytes;               //  the sizes of the entries, under lock
    zactor_t *watcher;
};

static void
s_entry_free (void **entry_p)
{
    s_entry_t *entry = *entry_p;
    if (entry) {
        gw_feed_release (&entry->feed);
        free (entry);
    }
    *entry_p = NULL;
}

//  The watcher actor: SUB to the calendar group's verdicts, bump the
//  generation on each, until the pipe says $TERM.
static void
s_watcher (zsock_t *pipe, void *args)
{
    gw_cache_t *self = args;
    char err [600];
    zsock_t *sub = pl_key_sub_new (self->pub, self->cert, err, sizeof err);
    if (sub)
        zsock_set_subscribe (sub, GW_CACHE_TOPIC);
    else
        pl_warn ("gateway: %s; feeds are cached for %d ms at most", err, self->ttl_ms);
    zsock_signal (pipe, 0);
    zpoller_t *poller = zpoller_new (pipe, sub, NULL);
    zpoller_set_nonstop (poller, true);     //  SIGTERM is main's business
    while (poller) {
        void *which = zpoller_wait (poller, -1);
        if (which == sub) {
            zmsg_t *msg = zmsg_recv (sub);
            zmsg_destroy (&msg);
            atomic_fetch_add (&self->generation, 1);
        }
        else
        if (which == pipe) {
            zmsg_t *msg = zmsg_recv (pipe);
            char *command = msg ? zmsg_popstr (msg) : NULL;
            int term = !command || streq (command, "$TERM");
            free (command);
            zmsg_destroy (&msg);
            if (term)
                break;
        }
        else
        if (zpoller_terminated (poller))
            break;
    }
    zpoller_destroy (&poller);
    zsock_destroy (&sub);
}

gw_cache_t *
gw_cache_new (const char *pub, const char *cert, int ttl_ms, size_t max_entries,
              size_t max_bytes)
{
    gw_cache_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    snprintf (self->pub, sizeof self->pub, "%s", pub);
    snprintf (self->cert, sizeof self->cert, "%s", cert ? cert : "");
    self->ttl_ms = ttl_ms;
    self->max_entries = max_entries;
    self->max_bytes = max_bytes;
    atomic_init (&self->generation, 0);
    atomic_init (&self->stopped, 0);
    atomic_init (&self->renders, 0);
    atomic_init (&self->fresh, 0);
    atomic_init (&self->unchanged, 0);
    pthread_mutex_init (&self->lock, NULL);
    self->entries = zhashx_new ();
    if (self->entries)
        zhashx_set_destructor (self->entries, s_entry_free);
    if (self->entries && ttl_ms > 0)
        self->watcher = zactor_new (s_watcher, self);
    if (!self->entries || (ttl_ms > 0 && !self->watcher)) {
        pl_error ("gateway: cannot start the feed cache pub=%s", pub);
        gw_cache_destroy (&self);
    }
    return self;
}

void
gw_cache_stop (gw_cache_t *self)
{
    if (self) {
        atomic_store (&self->stopped, 1);
        zactor_destroy (&self->watcher);    //  only the stopping thread touches it
    }
}

void
gw_cache_destroy (gw_cache_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    gw_cache_t *self = *self_p;
    gw_cache_stop (self);
    zhashx_destroy (&self->entries);
    pthread_mutex_destroy (&self->lock);
    free (self);
    *self_p = NULL;
}

uint64_t
gw_cache_generation (gw_cache_t *self)
{
    return atomic_load (&self->generation);
}

//  Whether ENTRY may be served without asking, at NOW, GENERATION.
static int
s_fresh (gw_cache_t *self, const s_entry_t *entry, uint64_t generation, int64_t now)
{
    return entry->generation == generation && now - entry->born_ms < self->ttl_ms;
}

gw_feed_t *
gw_cache_get (gw_cache_t *self, const char *key, int *fresh)
{
    *fresh = 0;
    if (atomic_load (&self->stopped))
        return NULL;
    uint64_t generation = atomic_load (&self->generation);
    int64_t now = pl_mono_ms ();
    gw_feed_t *feed = NULL;
    pthread_mutex_lock (&self->lock);
    s_entry_t *entry = zhashx_lookup (self->entries, key);
    if (entry) {
        feed = gw_feed_ref (entry->feed);
        *fresh = s_fresh (self, entry, generation, now);
        entry->used_ms = now;
    }
    pthread_mutex_unlock (&self->lock);
    if (*fresh)
        atomic_fetch_add_explicit (&self->fresh, 1, memory_order_relaxed);
    return feed;
}

//  Remove KEY's entry.  Under the lock.
static void
s_remove (gw_cache_t *self, const char *key)
{
    s_entry_t *entry = zhashx_lookup (self->entries, key);
    if (entry) {
        self->bytes -= entry->size;
        zhashx_delete (self->entries, key);
    }
}

typedef struct {
    int64_t used_ms;
    const char *key;
} s_use_t;

static int
s_compare_use (const void *a, const void *b)
{
    int64_t x = ((const s_use_t *) a)->used_ms, y = ((const s_use_t *) b)->used_ms;
    return x < y ? -1 : x > y;
}

//  Make room for one more entry of SIZE bytes: drop what can no longer be
//  fresh, then the least recently used until three quarters of each bound
//  are left for it.  Under the lock.
static void
s_make_room (gw_cache_t *self, size_t size, int64_t now)
{
    if (zhashx_size (self->entries) < self->max_entries && self->bytes + size <= self->max_bytes)
        return;
    uint64_t generation = atomic_load (&self->generation);
    zlistx_t *keys = zhashx_keys (self->entries);
    size_t count = 0, room = keys ? zlistx_size (keys) : 0;
    s_use_t *uses = room ? calloc (room, sizeof *uses) : NULL;
    for (const char *key = keys ? zlistx_first (keys) : NULL; key; key = zlistx_next (keys)) {
        s_entry_t *entry = zhashx_lookup (self->entries, key);
        if (!s_fresh (self, entry, generation, now))
            s_remove (self, key);
        else
        if (uses)
            uses [count++] = (s_use_t) { entry->used_ms, key };
    }
    size_t max_entries = self->max_entries - self->max_entries / 4;
    size_t max_bytes = self->max_bytes - self->max_bytes / 4;
    if (uses)
        qsort (uses, count, sizeof *uses, s_compare_use);
    for (size_t i = 0; i < count && (zhashx_size (self->entries) >= max_entries
                                     || self->bytes + size > max_bytes); i++)
        s_remove (self, uses [i].key);
    if (!uses) {                //  no memory to sort: start again empty
        zhashx_purge (self->entries);
        self->bytes = 0;
    }
    free (uses);
    zlistx_destroy (&keys);
}

void
gw_cache_put (gw_cache_t *self, const char *key, gw_feed_t *feed, uint64_t generation)
{
    size_t size = gw_feed_size (feed);
    atomic_fetch_add_explicit (&self->renders, 1, memory_order_relaxed);
    if (atomic_load (&self->stopped) || gw_feed_clamped (feed)
    ||  size > self->max_bytes)
        return;
    s_entry_t *entry = malloc (sizeof *entry);
    if (!entry)
        return;                 //  a cache that cannot grow only costs a query
    int64_t now = pl_mono_ms ();
    *entry = (s_entry_t) { gw_feed_ref (feed), size, generation, now, now };
    pthread_mutex_lock (&self->lock);
    s_remove (self, key);
    s_make_room (self, size, now);
    if (zhashx_insert (self->entries, key, entry) == 0)
        self->bytes += size;
    else
        s_entry_free ((void **) &entry);
    pthread_mutex_unlock (&self->lock);
}

void
gw_cache_refresh (gw_cache_t *self, const char *key, gw_feed_t *feed, uint64_t generation)
{
    atomic_fetch_add_explicit (&self->unchanged, 1, memory_order_relaxed);
    pthread_mutex_lock (&self->lock);
    s_entry_t *entry = zhashx_lookup (self->entries, key);
    if (entry && entry->feed == feed) {
        entry->generation = generation;
        entry->born_ms = pl_mono_ms ();
    }
    pthread_mutex_unlock (&self->lock);
}

void
gw_cache_resize (gw_cache_t *self, const char *key, gw_feed_t *feed)
{
    pthread_mutex_lock (&self->lock);
    s_entry_t *entry = zhashx_lookup (self->entries, key);
    if (entry && entry->feed == feed) {
        size_t size = gw_feed_size (feed);
        self->bytes += size - entry->size;
        entry->size = size;
        if (self->bytes > self->max_bytes)
            s_make_room (self, 0, pl_mono_ms ());
    }
    pthread_mutex_unlock (&self->lock);
}

void
gw_cache_forget (gw_cache_t *self, const char *key)
{
    pthread_mutex_lock (&self->lock);
    s_remove (self, key);
    pthread_mutex_unlock (&self->lock);
}

void
gw_cache_usage (gw_cache_t *self, size_t *entries, size_t *bytes)
{
    pthread_mutex_lock (&self->lock);
    *entries = zhashx_size (self->entries);
    *bytes = self->bytes;
    pthread_mutex_unlock (&self->lock);
}

void
gw_cache_counts (gw_cache_t *self, gw_cache_counts_t *counts)
{
    counts->renders = atomic_load_explicit (&self->renders, memory_order_relaxed);
    counts->fresh = atomic_load_explicit (&self->fresh, memory_order_relaxed);
    counts->unchanged = atomic_load_explicit (&self->unchanged, memory_order_relaxed);
}

//  --------------------------------------------------------------------------
//  Self-test

#define S_CHECK(cond, what) do { if (!(cond)) { \
    fprintf (stderr, "gw_cache_test: FAIL %s (line %d)\n", what, __LINE__); failed++; } \
    else if (verbose) fprintf (stderr, "gw_cache_test: ok %s\n", what); } while (0)

//  A feed of SIZE bytes with ETag "TAG".
static gw_feed_t *
s_test_feed (const char *tag, size_t size)
{
    char *ics = malloc (size), etag [32];
    if (!ics)
        return NULL;
    memset (ics, 'x', size);
    snprintf (etag, sizeof etag, "\"%s\"", tag);
    gw_feed_t *feed = gw_feed_new (ics, size, etag, 1700000000, 0);
    free (ics);
    return feed;
}

//  Whether KEY is held with ETag "TAG", and fresh when FRESH.
static int
s_holds (gw_cache_t *cache, const char *key, const char *tag, int fresh)
{
    int is_fresh = 0;
    gw_feed_t *feed = gw_cache_get (cache, key, &is_fresh);
    char etag [32];
    snprintf (etag, sizeof etag, "\"%s\"", tag);
    int holds = feed && strcmp (gw_feed_etag (feed, GW_FEED_IDENTITY), etag) == 0
             && is_fresh == fresh;
    gw_feed_release (&feed);
    return holds;
}

int
gw_cache_test (int verbose)
{
    int failed = 0;
    //  A PUB socket of our own tells the watcher of verdicts
    zsock_t *pub = zsock_new_pub ("inproc://gw-cache-test");
    gw_cache_t *cache = gw_cache_new ("inproc://gw-cache-test", "", 60000, 4, 10000);
    S_CHECK (pub && cache, "a cache and a PUB socket");
    if (!pub || !cache) {
        zsock_destroy (&pub);
        gw_cache_destroy (&cache);
        return -1;
    }
    int fresh = 1;
    S_CHECK (!gw_cache_get (cache, "meeting/a", &fresh) && !fresh, "an empty cache misses");
    gw_feed_t *a = s_test_feed ("a1", 1000);
    uint64_t generation = gw_cache_generation (cache);
    gw_cache_put (cache, "meeting/a", a, generation);
    S_CHECK (s_holds (cache, "meeting/a", "a1", 1), "a feed put is fresh");

    //  A verdict makes it stale; the worker saying "not modified" fresh again
    int64_t deadline = pl_mono_ms () + 5000;
    while (gw_cache_generation (cache) == generation && pl_mono_ms () < deadline) {
        zstr_send (pub, GW_CACHE_TOPIC);        //  until the subscription is up
        zclock_sleep (10);
    }
    S_CHECK (gw_cache_generation (cache) > generation, "a verdict bumps the generation");
    S_CHECK (s_holds (cache, "meeting/a", "a1", 0), "stale after a verdict, bytes kept");
    gw_cache_refresh (cache, "meeting/a", a, gw_cache_generation (cache));
    S_CHECK (s_holds (cache, "meeting/a", "a1", 1), "fresh again after a refresh");
    gw_feed_t *other = s_test_feed ("a2", 1000);
    gw_cache_refresh (cache, "meeting/a", other, gw_cache_generation (cache));
    gw_cache_put (cache, "meeting/a", other, gw_cache_generation (cache));
    S_CHECK (s_holds (cache, "meeting/a", "a2", 1), "a put replaces");
    gw_feed_release (&other);
    size_t entries, bytes;
    gw_cache_usage (cache, &entries, &bytes);
    S_CHECK (entries == 1 && bytes == 1000, "one feed counted once");
    //  Counted: two puts (renders), two refreshes (one of another feed),
    //  and s_holds' gets that found the feed fresh (three of its four)
    gw_cache_counts_t counts;
    gw_cache_counts (cache, &counts);
    S_CHECK (counts.renders == 2 && counts.unchanged == 2 && counts.fresh == 3,
             "renders, refreshes and fresh gets counted");

    //  Bounds: 4 entries, 10,000 bytes; the least recently used go first
    generation = gw_cache_generation (cache);
    static const char *keys [] = { "b", "c", "d" };
    for (size_t i = 0; i < 3; i++) {
        gw_feed_t *feed = s_test_feed (keys [i], 2000);
        gw_cache_put (cache, keys [i], feed, generation);
        gw_feed_release (&feed);
        zclock_sleep (2);       //  distinct use times
    }
    S_CHECK (s_holds (cache, "meeting/a", "a2", 1), "meeting/a used last");
    gw_feed_t *big = s_test_feed ("e", 4000);
    gw_cache_put (cache, "e", big, generation);
    gw_cache_usage (cache, &entries, &bytes);
    S_CHECK (bytes <= 10000 && !s_holds (cache, "b", "b", 1) && s_holds (cache, "e", "e", 1)
             && s_holds (cache, "meeting/a", "a2", 1), "the least recently used went first");
    S_CHECK (gw_feed_gzip (big) == 1, "gzip made");
    gw_cache_resize (cache, "e", big);
    gw_cache_usage (cache, &entries, &bytes);
    S_CHECK (bytes <= 10000, "a gzip counted");
    gw_feed_release (&big);
    gw_feed_t *huge = s_test_feed ("f", 20000);
    gw_cache_put (cache, "f", huge, generation);
    S_CHECK (!s_holds (cache, "f", "f", 1), "a feed larger than the cache is not kept");
    gw_feed_release (&huge);
    gw_feed_t *future = NULL;
    char ics [] = "x";
    future = gw_feed_new (ics, 1, "\"g\"", time (NULL) + 3600, 0);
    gw_cache_put (cache, "g", future, generation);
    S_CHECK (future && !s_holds (cache, "g", "g", 1), "a clamped feed is not kept");
    gw_feed_release (&future);
    gw_cache_forget (cache, "meeting/a");
    S_CHECK (!s_holds (cache, "meeting/a", "a2", 1), "forgotten");
    gw_cache_stop (cache);
    S_CHECK (!gw_cache_get (cache, "e", &fresh), "a stopped cache misses");
    //  TTL 0: feeds kept, never fresh (each request asks, with the ETag held)
    gw_cache_t *asking = gw_cache_new ("inproc://gw-cache-none", "", 0, 4, 10000);
    gw_feed_t *kept = s_test_feed ("k", 100);
    if (asking && kept)
        gw_cache_put (asking, "k", kept, gw_cache_generation (asking));
    S_CHECK (asking && kept && s_holds (asking, "k", "k", 0), "TTL 0: kept, never fresh");
    gw_feed_release (&kept);
    gw_cache_destroy (&asking);
    gw_cache_destroy (&cache);
    S_CHECK (a && strcmp (gw_feed_etag (a, GW_FEED_IDENTITY), "\"a1\"") == 0,
             "a feed outlives the cache that held it");
    gw_feed_release (&a);
    zsock_destroy (&pub);
    return failed ? -1 : 0;
}

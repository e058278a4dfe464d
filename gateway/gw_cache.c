/*  gw_cache — the gateway's cache of feed validators, invalidated by the
    calendar group's verdicts (see gw_cache.h for the freshness rules). */
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
    char etag [GW_CACHE_ETAG_MAX];
    time_t modified;
    uint64_t generation;
    int64_t born_ms;
} s_entry_t;

struct _gw_cache_t {
    char pub [256];
    char cert [256];                //  the gateway's key file, "" without keys
    int ttl_ms;
    size_t max_entries;
    _Atomic uint64_t generation;
    atomic_int stopped;         //  gw_cache_stop was called: all misses
    pthread_mutex_t lock;
    zhashx_t *entries;          //  key -> s_entry_t, under lock
    zactor_t *watcher;
};

static void
s_entry_free (void **entry_p)
{
    free (*entry_p);
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
        pl_warn ("gateway: %s; feed validators are cached for %d ms at most", err,
                 self->ttl_ms);
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
gw_cache_new (const char *pub, const char *cert, int ttl_ms, size_t max_entries)
{
    gw_cache_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    snprintf (self->pub, sizeof self->pub, "%s", pub);
    snprintf (self->cert, sizeof self->cert, "%s", cert ? cert : "");
    self->ttl_ms = ttl_ms;
    self->max_entries = max_entries;
    atomic_init (&self->generation, 0);
    atomic_init (&self->stopped, 0);
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

int
gw_cache_get (gw_cache_t *self, const char *key, char *etag, size_t size, time_t *modified)
{
    if (self->ttl_ms <= 0 || atomic_load (&self->stopped))
        return 0;
    uint64_t generation = atomic_load (&self->generation);
    int64_t now = pl_mono_ms ();
    int fresh = 0;
    pthread_mutex_lock (&self->lock);
    s_entry_t *entry = zhashx_lookup (self->entries, key);
    if (entry && entry->generation == generation && now - entry->born_ms < self->ttl_ms) {
        snprintf (etag, size, "%s", entry->etag);
        *modified = entry->modified;
        fresh = 1;
    }
    pthread_mutex_unlock (&self->lock);
    return fresh;
}

//  Drop the entries that can no longer be fresh.  Under the lock.
static void
s_purge_stale (gw_cache_t *self, uint64_t generation, int64_t now)
{
    zlistx_t *keys = zhashx_keys (self->entries);
    for (const char *key = keys ? zlistx_first (keys) : NULL; key; key = zlistx_next (keys)) {
        s_entry_t *entry = zhashx_lookup (self->entries, key);
        if (entry->generation != generation || now - entry->born_ms >= self->ttl_ms)
            zhashx_delete (self->entries, key);
    }
    zlistx_destroy (&keys);
}

void
gw_cache_put (gw_cache_t *self, const char *key, const char *etag, time_t modified,
              uint64_t generation)
{
    if (self->ttl_ms <= 0 || atomic_load (&self->stopped) || strlen (etag) >= GW_CACHE_ETAG_MAX)
        return;
    s_entry_t *entry = malloc (sizeof *entry);
    if (!entry)
        return;                 //  a cache that cannot grow only costs a query
    snprintf (entry->etag, sizeof entry->etag, "%s", etag);
    entry->modified = modified;
    entry->generation = generation;
    entry->born_ms = pl_mono_ms ();
    pthread_mutex_lock (&self->lock);
    if (!zhashx_lookup (self->entries, key) && zhashx_size (self->entries) >= self->max_entries) {
        s_purge_stale (self, atomic_load (&self->generation), entry->born_ms);
        if (zhashx_size (self->entries) >= self->max_entries)
            zhashx_purge (self->entries);
    }
    zhashx_update (self->entries, key, entry);
    pthread_mutex_unlock (&self->lock);
}

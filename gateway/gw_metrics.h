/*  gw_metrics — GET /metrics: the system's numbers in Prometheus's text
    exposition format 0.0.4, for this host only.

    What it serves, every name prefixed plenary_ (docs/protocol.md,
    "Metrics", lists them with their meaning):
    - the broker's, from broker.status asked at each scrape: events
      published, acknowledged and refused; the log's last seq and size;
      per worker group its backlog, its cursor's lag in seconds, events in
      flight, workers and dead letters; histograms of events per group
      commit, of the commit's time (its fsync) and of query times per
      service, with the errors among them.  When the broker does not
      answer, plenary_broker_up is 0 and only the gateway's own follow.
    - the gateway's own: HTTP responses by status code and route class
      (feed, api, page, unsubscribe, metrics), counted as each response is
      queued (before the client can see it, so a scrape after a request
      always counts it), and the feed cache's counts (renders received from
      the calendar worker, feeds served fresh from memory, feeds the worker
      said were unchanged) and size.

    Who may read it: a request from a loopback address that no proxy
    forwarded (no X-Forwarded-For, Forwarded or X-Real-IP header); any
    other gets 403.  docs/SECURITY.md says why.

    Counting is lock-free (relaxed atomics): libmicrohttpd's threads all
    count into one gw_metrics_t. */
#ifndef GW_METRICS_H_INCLUDED
#define GW_METRICS_H_INCLUDED

#include <jansson.h>
#include "gw_cache.h"

typedef struct _gw_metrics_t gw_metrics_t;

//  Counts from zero.  NULL when out of memory.
gw_metrics_t *gw_metrics_new (void);

//  Free; NULL-safe, nulls *SELF_P.
void gw_metrics_destroy (gw_metrics_t **self_p);

//  Count one response with STATUS (100..599; others are not counted) to
//  the request target TARGET (its path decides the route class; NULL: page).
void gw_metrics_response (gw_metrics_t *self, const char *target, unsigned int status);

//  The exposition: the broker's numbers from BROKER (a broker.status reply,
//  or NULL when the broker did not answer), then the gateway's counts and
//  CACHE's.  A new string (caller frees), or NULL when out of memory.
char *gw_metrics_text (gw_metrics_t *self, const json_t *broker, gw_cache_t *cache);

//  Self-test: the text of a broker.status reply and of counted responses,
//  line by line.  0 when it passes.
int gw_metrics_test (int verbose);

#endif

/*  pl_histogram — a histogram of integer observations in fixed buckets,
    the shape Prometheus exposes and `plenary status` reads percentiles from.

    The broker counts into it on its own thread (a commit's events and its
    time, a query's latency): an observation is a short scan of at most
    PL_HISTOGRAM_BOUNDS bounds and three additions, no allocation, no lock.
    It is a value, not an object: embed a pl_histogram_t where it is
    counted (pl_histogram_init sets its bounds, which it borrows), since a
    counter behind a pointer would cost the hot path an allocation for
    nothing.  The bounds are one of the tables below, so that every
    histogram of one kind has the same buckets.

    On the wire (broker.status.reply, docs/events.md) a histogram is the
    record `histogram`: its count, its sum and its buckets, each the count
    of observations at most `le`, cumulative as Prometheus has them; the
    last bucket, +Inf, is the count itself and is not listed.

        pl_histogram_t commits;
        pl_histogram_init (&commits, pl_histogram_micros, PL_HISTOGRAM_MICROS);
        pl_histogram_observe (&commits, 1830);          //  a commit of 1.83 ms
        json_t *record = pl_histogram_json (&commits, "commit_us");
        double p99 = pl_histogram_quantile (record, 0.99);  //  in microseconds */
#ifndef PL_HISTOGRAM_H_INCLUDED
#define PL_HISTOGRAM_H_INCLUDED

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

//  Bounds of one histogram at most (the +Inf bucket besides).
#define PL_HISTOGRAM_BOUNDS 24

//  Durations in microseconds: 25 µs to 10 s, in steps of 1, 2.5, 5 (an
//  fsync of a fast SSD is under 100 µs, of a loaded disk tens of ms).
#define PL_HISTOGRAM_MICROS 18
extern const int64_t pl_histogram_micros [PL_HISTOGRAM_MICROS];

//  Sizes (events per commit): powers of two, 1 to 8192 (max_batch's range).
#define PL_HISTOGRAM_SIZES 14
extern const int64_t pl_histogram_sizes [PL_HISTOGRAM_SIZES];

typedef struct {
    const int64_t *bounds;                  //  ascending upper bounds (borrowed)
    size_t bound_count;                     //  at most PL_HISTOGRAM_BOUNDS
    uint64_t buckets [PL_HISTOGRAM_BOUNDS + 1];     //  per bucket, not cumulative; last +Inf
    uint64_t count;
    uint64_t sum;
} pl_histogram_t;

//  Empty SELF, with BOUND_COUNT ascending BOUNDS (borrowed: a static table).
void pl_histogram_init (pl_histogram_t *self, const int64_t *bounds, size_t bound_count);

//  Count VALUE (negative values count as 0) in the first bucket whose bound
//  is at least VALUE, else in +Inf.
void pl_histogram_observe (pl_histogram_t *self, int64_t value);

//  SELF as the record `histogram` of the schema: {"name": NAME, "count",
//  "sum", "buckets": [{"le", "count"}, ...]} with cumulative counts.  A new
//  reference (caller owns), or NULL when out of memory.
json_t *pl_histogram_json (const pl_histogram_t *self, const char *name);

//  The Q-quantile (0 < Q < 1) of RECORD, a `histogram` record, estimated
//  as Prometheus's histogram_quantile does: linear within the bucket it
//  falls in (from 0 in the first); an observation above the last bound is
//  reported as that bound.  -1 when RECORD holds no observation or is not
//  such a record.
double pl_histogram_quantile (const json_t *record, double q);

//  Self-test; 0 when every check passes.
int pl_histogram_test (int verbose);

#endif

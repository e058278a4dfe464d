/*  bench_stats — the clock and percentiles the publish benches share
    (pl-bench-publish and its peers pl-bench-redis and pl-bench-nats, which
    link nothing of plenary, hence header-only).  The same rank rule in all
    three, so their percentiles compare. */
#ifndef BENCH_STATS_H_INCLUDED
#define BENCH_STATS_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <time.h>

//  CLOCK_MONOTONIC in nanoseconds (one clock across processes).
static inline int64_t
bench_now_ns (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000000000 + now.tv_nsec;
}

//  qsort's comparison of doubles, ascending.
static inline int
bench_compare (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

//  Percentile P (0..100) of the N sorted values; 0 when there are none.
static inline double
bench_percentile (const double *sorted, size_t n, double p)
{
    if (n == 0)
        return 0;
    size_t rank = (size_t) (p / 100.0 * (double) (n - 1) + 0.5);
    return sorted [rank < n ? rank : n - 1];
}

#endif

/*  pl_histogram — fixed-bucket histograms: counting, the wire record, and
    quantiles estimated from it (see pl_histogram.h). */
#include "pl_histogram.h"

#include <stdio.h>
#include <string.h>

const int64_t pl_histogram_micros [PL_HISTOGRAM_MICROS] = {
    25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000,
    100000, 250000, 500000, 1000000, 2500000, 5000000, 10000000
};

const int64_t pl_histogram_sizes [PL_HISTOGRAM_SIZES] = {
    1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192
};

void
pl_histogram_init (pl_histogram_t *self, const int64_t *bounds, size_t bound_count)
{
    memset (self, 0, sizeof *self);
    self->bounds = bounds;
    self->bound_count = bound_count < PL_HISTOGRAM_BOUNDS ? bound_count : PL_HISTOGRAM_BOUNDS;
}

void
pl_histogram_observe (pl_histogram_t *self, int64_t value)
{
    if (value < 0)
        value = 0;
    size_t bucket = 0;
    while (bucket < self->bound_count && value > self->bounds [bucket])
        bucket++;
    self->buckets [bucket]++;
    self->count++;
    self->sum += (uint64_t) value;
}

json_t *
pl_histogram_json (const pl_histogram_t *self, const char *name)
{
    json_t *buckets = json_array ();
    uint64_t cumulative = 0;
    for (size_t i = 0; buckets && i < self->bound_count; i++) {
        cumulative += self->buckets [i];
        if (json_array_append_new (buckets, json_pack ("{s:I, s:I}",
                "le", (json_int_t) self->bounds [i], "count", (json_int_t) cumulative))) {
            json_decref (buckets);
            return NULL;
        }
    }
    return buckets ? json_pack ("{s:s, s:I, s:I, s:o}", "name", name,
                                "count", (json_int_t) self->count,
                                "sum", (json_int_t) self->sum, "buckets", buckets)
                   : NULL;
}

double
pl_histogram_quantile (const json_t *record, double q)
{
    json_t *buckets = json_object_get (record, "buckets");
    json_int_t count = json_integer_value (json_object_get (record, "count"));
    if (!json_is_array (buckets) || count <= 0 || q <= 0 || q >= 1)
        return -1;
    double rank = q * (double) count;
    double lower = 0, below = 0;
    size_t index;
    json_t *bucket;
    json_array_foreach (buckets, index, bucket) {
        double le = (double) json_integer_value (json_object_get (bucket, "le"));
        double upto = (double) json_integer_value (json_object_get (bucket, "count"));
        if (upto >= rank) {
            if (upto <= below)
                return le;
            return lower + (le - lower) * (rank - below) / (upto - below);
        }
        lower = le;
        below = upto;
    }
    return lower;               //  in +Inf: the last bound is all we know
}

//  --------------------------------------------------------------------------
//  Self-test

#define PL_CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "pl_histogram_test: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    goto done; } } while (0)

int
pl_histogram_test (int verbose)
{
    (void) verbose;
    int rc = -1;
    json_t *record = NULL;
    for (size_t i = 1; i < PL_HISTOGRAM_MICROS; i++)
        PL_CHECK (pl_histogram_micros [i - 1] < pl_histogram_micros [i]);
    for (size_t i = 1; i < PL_HISTOGRAM_SIZES; i++)
        PL_CHECK (pl_histogram_sizes [i - 1] < pl_histogram_sizes [i]);
    PL_CHECK (PL_HISTOGRAM_MICROS <= PL_HISTOGRAM_BOUNDS
              && PL_HISTOGRAM_SIZES <= PL_HISTOGRAM_BOUNDS);

    pl_histogram_t sizes;
    pl_histogram_init (&sizes, pl_histogram_sizes, PL_HISTOGRAM_SIZES);
    record = pl_histogram_json (&sizes, "commit_events");
    PL_CHECK (record && pl_histogram_quantile (record, 0.5) == -1);
    json_decref (record);
    //  A bound counts in its own bucket; past the last, +Inf; below 0, 0
    pl_histogram_observe (&sizes, 1);
    pl_histogram_observe (&sizes, 2);
    pl_histogram_observe (&sizes, 3);
    pl_histogram_observe (&sizes, 4);
    pl_histogram_observe (&sizes, 9000);
    pl_histogram_observe (&sizes, -5);
    PL_CHECK (sizes.count == 6 && sizes.sum == 1 + 2 + 3 + 4 + 9000);
    PL_CHECK (sizes.buckets [0] == 2 && sizes.buckets [1] == 1 && sizes.buckets [2] == 2);
    PL_CHECK (sizes.buckets [PL_HISTOGRAM_SIZES] == 1);
    record = pl_histogram_json (&sizes, "commit_events");
    PL_CHECK (record);
    PL_CHECK (strcmp (json_string_value (json_object_get (record, "name")), "commit_events") == 0);
    json_t *buckets = json_object_get (record, "buckets");
    PL_CHECK (json_array_size (buckets) == PL_HISTOGRAM_SIZES);
    //  Cumulative: 2 at le 1, 3 at le 2, 5 at le 4 and on, +Inf (count) 6
    PL_CHECK (json_integer_value (json_object_get (json_array_get (buckets, 0), "count")) == 2);
    PL_CHECK (json_integer_value (json_object_get (json_array_get (buckets, 1), "count")) == 3);
    PL_CHECK (json_integer_value (json_object_get (json_array_get (buckets, 2), "le")) == 4);
    PL_CHECK (json_integer_value (json_object_get (json_array_get (buckets, 2), "count")) == 5);
    PL_CHECK (json_integer_value (json_object_get (json_array_get (buckets, 13), "count")) == 5);
    PL_CHECK (json_integer_value (json_object_get (record, "count")) == 6);
    //  Quantiles: rank 3 of 6 is the top of bucket le 2; rank 4.8 of 6
    //  falls in (2, 4], 1.8 of its 2 observations in: 2 + 2 x 0.9 = 3.8;
    //  rank 5.94 is in +Inf, reported as the last bound
    PL_CHECK (pl_histogram_quantile (record, 0.5) == 2.0);
    PL_CHECK (pl_histogram_quantile (record, 0.8) > 3.79 && pl_histogram_quantile (record, 0.8) < 3.81);
    PL_CHECK (pl_histogram_quantile (record, 0.99) == 8192.0);
    //  Within the first bucket, from 0: rank 1.2 of 2 at le 1
    PL_CHECK (pl_histogram_quantile (record, 0.2) > 0.59 && pl_histogram_quantile (record, 0.2) < 0.61);
    PL_CHECK (pl_histogram_quantile (record, 0) == -1 && pl_histogram_quantile (record, 1) == -1);
    PL_CHECK (pl_histogram_quantile (NULL, 0.5) == -1);
    rc = 0;
done:
    json_decref (record);
    return rc;
}

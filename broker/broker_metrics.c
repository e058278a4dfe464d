/*  broker_metrics — what the broker counts, and how broker.status says it.

    Every number is kept on the broker's one thread, so a count is a plain
    integer and a histogram a bucket incremented (pl_histogram): the
    publish path pays an addition per event and two clock readings per
    commit.  Counted since the broker started:
    - events published (each event of a PUBLISH_MANY), acknowledged (200
      after their commit, duplicates too) and refused (broker_publish.c);
    - per group commit, its events and the time of its COMMIT, which under
      synchronous=FULL is the fsync of the WAL (broker_publish.c);
    - per service, each query's time from the broker receiving it to its
      answer leaving, reply or error, and how many were errors
      (broker_client.c).  The services are those the schema names, known
      at start, so counting a query allocates nothing.
    broker.status adds them to its reply (uptime_ms, published,
    acknowledged, refused, histograms: docs/events.md); the gateway's
    /metrics and `plenary status` read them there. */
#include "broker_internal.h"
#include "pl_schema.h"

#include <stdlib.h>
#include <string.h>

int
broker_metrics_setup (broker_t *self)
{
    broker_metrics_t *metrics = &self->metrics;
    metrics->started = pl_mono_ms ();
    pl_histogram_init (&metrics->commit_events, pl_histogram_sizes, PL_HISTOGRAM_SIZES);
    pl_histogram_init (&metrics->commit_us, pl_histogram_micros, PL_HISTOGRAM_MICROS);
    //  The schema's services, each once, in the order it names them first
    size_t messages = 0;
    while (pl_schema_at (messages))
        messages++;
    metrics->services = calloc (messages, sizeof *metrics->services);
    if (!metrics->services)
        return -1;
    for (size_t i = 0; i < messages; i++) {
        const pl_message_t *message = pl_schema_at (i);
        if (message->kind != PL_KIND_QUERY || !message->service)
            continue;
        size_t known = 0;
        while (known < metrics->service_count
           &&  strcmp (metrics->services [known].name, message->service))
            known++;
        if (known < metrics->service_count)
            continue;
        broker_service_metrics_t *service = &metrics->services [metrics->service_count++];
        service->name = message->service;
        pl_histogram_init (&service->latency, pl_histogram_micros, PL_HISTOGRAM_MICROS);
    }
    return 0;
}

void
broker_metrics_teardown (broker_t *self)
{
    free (self->metrics.services);
    self->metrics.services = NULL;
    self->metrics.service_count = 0;
}

void
broker_metrics_query (broker_t *self, const char *service, int64_t started_us, int error)
{
    broker_metrics_t *metrics = &self->metrics;
    for (size_t i = 0; i < metrics->service_count; i++)
        if (strcmp (metrics->services [i].name, service) == 0) {
            pl_histogram_observe (&metrics->services [i].latency,
                                  pl_mono_us () - started_us);
            metrics->services [i].errors += error != 0;
            return;
        }
}

//  Append histogram HISTOGRAM named NAME to LIST, with SERVICE and ERRORS
//  when SERVICE is not NULL.  0 or -1.
static int
s_append (json_t *list, const pl_histogram_t *histogram, const char *name,
          const char *service, uint64_t errors)
{
    json_t *record = pl_histogram_json (histogram, name);
    if (record && service
    &&  (json_object_set_new (record, "service", json_string (service))
    ||   json_object_set_new (record, "errors", json_integer ((json_int_t) errors)))) {
        json_decref (record);
        return -1;
    }
    return record ? json_array_append_new (list, record) : -1;
}

int
broker_metrics_status (broker_t *self, json_t *reply)
{
    broker_metrics_t *metrics = &self->metrics;
    json_t *histograms = json_array ();
    int rc = histograms ? 0 : -1;
    if (rc == 0)
        rc = s_append (histograms, &metrics->commit_events, "commit_events", NULL, 0);
    if (rc == 0)
        rc = s_append (histograms, &metrics->commit_us, "commit_us", NULL, 0);
    for (size_t i = 0; rc == 0 && i < metrics->service_count; i++)
        rc = s_append (histograms, &metrics->services [i].latency, "query_us",
                       metrics->services [i].name, metrics->services [i].errors);
    if (rc == 0)
        rc = json_object_set_new (reply, "histograms", histograms);
    else
        json_decref (histograms);
    if (rc == 0)
        rc = json_object_set_new (reply, "uptime_ms",
                                  json_integer ((json_int_t) (pl_mono_ms () - metrics->started)))
          || json_object_set_new (reply, "published", json_integer ((json_int_t) metrics->published))
          || json_object_set_new (reply, "acknowledged",
                                  json_integer ((json_int_t) metrics->acknowledged))
          || json_object_set_new (reply, "refused", json_integer ((json_int_t) metrics->refused))
          ? -1 : 0;
    return rc;
}

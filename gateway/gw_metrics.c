/*  gw_metrics — GET /metrics in Prometheus's text format 0.0.4 (see
    gw_metrics.h): the gateway's counts, and the broker's numbers from
    broker.status written as metric families.

    The broker sends times in microseconds (histogram records of
    docs/events.md); Prometheus wants seconds, written here as exact
    decimals ("0.000025", not a rounded float).  Counters end in _total,
    histograms have their _bucket{le=...} series (cumulative, then +Inf),
    _sum and _count. */
#include "gw_metrics.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  The route classes responses are counted by: the first whose prefix the
//  target starts with (EXACT: the target is the prefix, or it and a query)
static const struct {
    const char *prefix;
    int exact;
    const char *name;
} s_classes [] = {
    { "/ics/",         0, "feed" },
    { "/api/",         0, "api" },
    { "/unsubscribe/", 0, "unsubscribe" },
    { "/metrics",      1, "metrics" },
    { "",              0, "page" },         //  the web pages, and what is not found
};
#define S_CLASSES (sizeof s_classes / sizeof s_classes [0])
#define S_CODE_MIN 100
#define S_CODES 500                         //  100..599

struct _gw_metrics_t {
    _Atomic uint64_t responses [S_CLASSES][S_CODES];
};

gw_metrics_t *
gw_metrics_new (void)
{
    gw_metrics_t *self = calloc (1, sizeof *self);
    if (self)
        for (size_t i = 0; i < S_CLASSES; i++)
            for (size_t code = 0; code < S_CODES; code++)
                atomic_init (&self->responses [i][code], 0);
    return self;
}

void
gw_metrics_destroy (gw_metrics_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free (*self_p);
    *self_p = NULL;
}

static size_t
s_class (const char *target)
{
    for (size_t i = 0; target && i < S_CLASSES - 1; i++) {
        size_t length = strlen (s_classes [i].prefix);
        if (strncmp (target, s_classes [i].prefix, length) == 0
        &&  (!s_classes [i].exact || target [length] == 0 || target [length] == '?'))
            return i;
    }
    return S_CLASSES - 1;
}

void
gw_metrics_response (gw_metrics_t *self, const char *target, unsigned int status)
{
    if (status < S_CODE_MIN || status >= S_CODE_MIN + S_CODES)
        return;
    atomic_fetch_add_explicit (&self->responses [s_class (target)][status - S_CODE_MIN], 1,
                               memory_order_relaxed);
}

//  --------------------------------------------------------------------------
//  The exposition

//  # HELP and # TYPE of family NAME.  HELP holds no backslash or newline.
static void
s_family (FILE *out, const char *name, const char *type, const char *help)
{
    fprintf (out, "# HELP plenary_%s %s\n# TYPE plenary_%s %s\n", name, help, name, type);
}

//  A label's value escaped as the format asks (backslash, quote, newline).
static void
s_label (FILE *out, const char *name, const char *value)
{
    fprintf (out, "%s=\"", name);
    for (const char *at = value; *at; at++)
        if (*at == '\\' || *at == '"')
            fprintf (out, "\\%c", *at);
        else
        if (*at == '\n')
            fputs ("\\n", out);
        else
            fputc (*at, out);
    fputc ('"', out);
}

//  Microseconds as seconds, an exact decimal: 25 -> 0.000025, 2500000 -> 2.5.
static const char *
s_seconds (char *buf, size_t size, uint64_t micros)
{
    char fraction [8];
    snprintf (fraction, sizeof fraction, "%06" PRIu64, micros % 1000000);
    size_t length = strlen (fraction);
    while (length > 0 && fraction [length - 1] == '0')
        fraction [--length] = 0;
    snprintf (buf, size, "%" PRIu64 "%s%s", micros / 1000000, length ? "." : "", fraction);
    return buf;
}

//  One sample: plenary_NAME{LABEL="LABEL_VALUE",le="LE"} VALUE, without the
//  braces when neither LABEL nor LE is given (NULL).
static void
s_sample (FILE *out, const char *name, const char *label, const char *label_value,
          const char *le, const char *value)
{
    fprintf (out, "plenary_%s", name);
    if (label || le)
        fputc ('{', out);
    if (label)
        s_label (out, label, label_value);
    if (label && le)
        fputc (',', out);
    if (le)
        s_label (out, "le", le);
    if (label || le)
        fputc ('}', out);
    fprintf (out, " %s\n", value);
}

//  The same with a count for VALUE.
static void
s_count (FILE *out, const char *name, const char *label, const char *label_value,
         uint64_t count)
{
    char value [24];
    snprintf (value, sizeof value, "%" PRIu64, count);
    s_sample (out, name, label, label_value, NULL, value);
}

static uint64_t
s_int (const json_t *object, const char *key)
{
    json_int_t value = json_integer_value (json_object_get (object, key));
    return value > 0 ? (uint64_t) value : 0;
}

//  An integer of the broker's, in MICROS or as it is.
static const char *
s_value (char *buf, size_t size, uint64_t value, int micros)
{
    if (micros)
        return s_seconds (buf, size, value);
    snprintf (buf, size, "%" PRIu64, value);
    return buf;
}

//  The series of histogram RECORD as family NAME, with LABEL="VALUE" when
//  LABEL is not NULL; MICROS: its unit is microseconds, written as seconds.
static void
s_histogram (FILE *out, const char *name, const json_t *record, const char *label,
             const char *value, int micros)
{
    char series [96], le [32], number [32];
    snprintf (series, sizeof series, "%s_bucket", name);
    size_t index;
    json_t *bucket;
    json_array_foreach (json_object_get (record, "buckets"), index, bucket)
        s_sample (out, series, label, value, s_value (le, sizeof le, s_int (bucket, "le"), micros),
                  s_value (number, sizeof number, s_int (bucket, "count"), 0));
    s_sample (out, series, label, value, "+Inf",
              s_value (number, sizeof number, s_int (record, "count"), 0));
    snprintf (series, sizeof series, "%s_sum", name);
    s_sample (out, series, label, value, NULL,
              s_value (number, sizeof number, s_int (record, "sum"), micros));
    snprintf (series, sizeof series, "%s_count", name);
    s_count (out, series, label, value, s_int (record, "count"));
}

//  The broker's counters: the reply's key, the family and its help.
static const struct {
    const char *key;
    const char *name;
    const char *type;
    const char *help;
} s_broker_numbers [] = {
    { "published",    "events_published_total",    "counter",
      "Events clients published to the broker (each of a PUBLISH_MANY), accepted or not." },
    { "acknowledged", "events_acknowledged_total", "counter",
      "Events the broker acknowledged once durable in its log (a duplicate too)." },
    { "refused",      "events_refused_total",      "counter",
      "Events the broker refused: invalid, forbidden, conflicting, or not written." },
    { "last_seq",     "log_last_seq",              "gauge",
      "Sequence number of the last event in the broker's log." },
    { "events",       "log_events",                "gauge",
      "Events in the broker's log." },
    { "dead_letters", "dead_letters",              "gauge",
      "Events parked after their last delivery failed, all groups." },
};

//  The per-group gauges: the group record's key, the family, its help,
//  and whether the value is milliseconds to write as seconds.
static const struct {
    const char *key;
    const char *name;
    const char *help;
    int millis;
} s_group_numbers [] = {
    { "lag",           "group_backlog_events",
      "Log sequence numbers past the group's cursor: events it has yet to judge or pass over.", 0 },
    { "lag_ms",        "group_cursor_lag_seconds",
      "Age of the oldest event past the group's cursor; 0 without a backlog.", 1 },
    { "in_flight",     "group_in_flight_events",
      "Events delivered to the group's consumer and not yet judged.", 0 },
    { "workers",       "group_workers",
      "Workers of the group connected to the broker.", 0 },
    { "dead_letters",  "group_dead_letters",
      "Events of the group parked after their last delivery failed.", 0 },
    { "acked_through", "group_acked_through",
      "The group's cursor: every event up to it has its verdict.", 0 },
};

//  The histograms: the record's name, the family, its help, its unit.
static const struct {
    const char *record;
    const char *name;
    const char *help;
    int micros;
} s_histograms [] = {
    { "commit_events", "commit_events",
      "Events per group commit of the broker's log.", 0 },
    { "commit_us",     "commit_seconds",
      "Time of a group commit's COMMIT, the fsync of the log (synchronous=FULL).", 1 },
    { "query_us",      "query_seconds",
      "Time of a query in the broker, from its arrival to its answer leaving, by service.", 1 },
};

static void
s_broker (FILE *out, const json_t *broker)
{
    s_family (out, "broker_up", "gauge",
              "Whether the broker answered broker.status for this scrape (1) or not (0).");
    s_count (out, "broker_up", NULL, NULL, broker ? 1 : 0);
    if (!broker)
        return;
    if (json_object_get (broker, "uptime_ms")) {
        s_family (out, "broker_uptime_seconds", "gauge",
                  "Seconds since the broker started; its counters count from then.");
        char value [32];
        s_sample (out, "broker_uptime_seconds", NULL, NULL, NULL,
                  s_seconds (value, sizeof value, s_int (broker, "uptime_ms") * 1000));
    }
    for (size_t i = 0; i < sizeof s_broker_numbers / sizeof s_broker_numbers [0]; i++)
        if (json_object_get (broker, s_broker_numbers [i].key)) {
            s_family (out, s_broker_numbers [i].name, s_broker_numbers [i].type,
                      s_broker_numbers [i].help);
            s_count (out, s_broker_numbers [i].name, NULL, NULL,
                     s_int (broker, s_broker_numbers [i].key));
        }
    json_t *groups = json_object_get (broker, "groups");
    for (size_t i = 0; i < sizeof s_group_numbers / sizeof s_group_numbers [0]; i++) {
        s_family (out, s_group_numbers [i].name, "gauge", s_group_numbers [i].help);
        size_t index;
        json_t *group;
        json_array_foreach (groups, index, group) {
            if (!json_object_get (group, s_group_numbers [i].key))
                continue;
            const char *name = json_string_value (json_object_get (group, "group"));
            uint64_t value = s_int (group, s_group_numbers [i].key);
            char text [32];
            s_sample (out, s_group_numbers [i].name, "group", name ? name : "", NULL,
                      s_value (text, sizeof text, s_group_numbers [i].millis ? value * 1000 : value,
                               s_group_numbers [i].millis));
        }
    }
    json_t *histograms = json_object_get (broker, "histograms");
    for (size_t i = 0; i < sizeof s_histograms / sizeof s_histograms [0]; i++) {
        s_family (out, s_histograms [i].name, "histogram", s_histograms [i].help);
        size_t index;
        json_t *record;
        json_array_foreach (histograms, index, record) {
            const char *name = json_string_value (json_object_get (record, "name"));
            if (!name || strcmp (name, s_histograms [i].record))
                continue;
            const char *service = json_string_value (json_object_get (record, "service"));
            s_histogram (out, s_histograms [i].name, record, service ? "service" : NULL,
                         service, s_histograms [i].micros);
        }
    }
    s_family (out, "query_errors_total", "counter",
              "Queries answered with an error (the worker's, or the broker's 503 and 504), by service.");
    size_t index;
    json_t *record;
    json_array_foreach (histograms, index, record) {
        const char *service = json_string_value (json_object_get (record, "service"));
        if (service && json_object_get (record, "errors"))
            s_count (out, "query_errors_total", "service", service, s_int (record, "errors"));
    }
}

static void
s_gateway (FILE *out, gw_metrics_t *self, gw_cache_t *cache)
{
    s_family (out, "http_responses_total", "counter",
              "HTTP responses of the gateway by route class and status code.");
    for (size_t i = 0; i < S_CLASSES; i++)
        for (size_t code = 0; code < S_CODES; code++) {
            uint64_t count = atomic_load_explicit (&self->responses [i][code],
                                                   memory_order_relaxed);
            if (count)
                fprintf (out, "plenary_http_responses_total{class=\"%s\",code=\"%zu\"} %"
                         PRIu64 "\n", s_classes [i].name, code + S_CODE_MIN, count);
        }
    gw_cache_counts_t counts;
    gw_cache_counts (cache, &counts);
    size_t entries, bytes;
    gw_cache_usage (cache, &entries, &bytes);
    s_family (out, "feed_renders_total", "counter",
              "Feeds the calendar worker sent the gateway rendered (none or an older one was held).");
    s_count (out, "feed_renders_total", NULL, NULL, counts.renders);
    s_family (out, "feed_fresh_total", "counter",
              "Feed requests answered from the gateway's memory without asking the worker.");
    s_count (out, "feed_fresh_total", NULL, NULL, counts.fresh);
    s_family (out, "feed_unchanged_total", "counter",
              "Feeds the calendar worker said had not changed since the copy held.");
    s_count (out, "feed_unchanged_total", NULL, NULL, counts.unchanged);
    s_family (out, "feed_cache_feeds", "gauge", "Feeds held in the gateway's memory.");
    s_count (out, "feed_cache_feeds", NULL, NULL, entries);
    s_family (out, "feed_cache_bytes", "gauge",
              "Bytes of the feeds held in the gateway's memory (plain and gzip).");
    s_count (out, "feed_cache_bytes", NULL, NULL, bytes);
}

char *
gw_metrics_text (gw_metrics_t *self, const json_t *broker, gw_cache_t *cache)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream (&text, &size);
    if (!out)
        return NULL;
    s_broker (out, broker);
    s_gateway (out, self, cache);
    if (fclose (out)) {
        free (text);
        return NULL;
    }
    return text;
}

//  --------------------------------------------------------------------------
//  Self-test

#define S_CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "gw_metrics_test: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    goto done; } } while (0)

//  True when TEXT has LINE as a whole line.
static int
s_has_line (const char *text, const char *line)
{
    size_t length = strlen (line);
    for (const char *at = text; (at = strstr (at, line)); at++)
        if ((at == text || at [-1] == '\n') && at [length] == '\n')
            return 1;
    return 0;
}

int
gw_metrics_test (int verbose)
{
    (void) verbose;
    int rc = -1;
    char *text = NULL, *bare = NULL;
    gw_metrics_t *self = gw_metrics_new ();
    gw_cache_t *cache = gw_cache_new ("inproc://gw-metrics-test", "", 0, 4, 10000);
    json_t *broker = json_loads (
        "{\"last_seq\": 42, \"events\": 42, \"dead_letters\": 1, \"uptime_ms\": 61500,"
        " \"published\": 45, \"acknowledged\": 42, \"refused\": 3,"
        " \"groups\": [{\"group\": \"records\", \"topics\": \"*\", \"acked_through\": 40,"
        "   \"workers\": 1, \"in_flight\": 2, \"lag\": 2, \"lag_ms\": 1500, \"dead_letters\": 1},"
        "  {\"group\": \"a\\\"b\", \"topics\": \"*\", \"acked_through\": 42, \"workers\": 0,"
        "   \"in_flight\": 0, \"lag\": 0}],"
        " \"histograms\": ["
        "  {\"name\": \"commit_events\", \"count\": 3, \"sum\": 42,"
        "   \"buckets\": [{\"le\": 1, \"count\": 1}, {\"le\": 32, \"count\": 2}]},"
        "  {\"name\": \"commit_us\", \"count\": 3, \"sum\": 2500025,"
        "   \"buckets\": [{\"le\": 25, \"count\": 1}, {\"le\": 1000000, \"count\": 2}]},"
        "  {\"name\": \"query_us\", \"service\": \"records\", \"errors\": 1, \"count\": 2,"
        "   \"sum\": 700, \"buckets\": [{\"le\": 500, \"count\": 1}]}]}", 0, NULL);
    S_CHECK (self && cache && broker);
    gw_metrics_response (self, "/ics/meetings/m.ics", 200);
    gw_metrics_response (self, "/ics/meetings/m.ics", 200);
    gw_metrics_response (self, "/ics/meetings/m.ics", 304);
    gw_metrics_response (self, "/api/search?q=x", 400);
    gw_metrics_response (self, "/nowhere", 404);
    gw_metrics_response (self, NULL, 405);
    gw_metrics_response (self, "/metrics", 200);
    gw_metrics_response (self, "/metrics?x", 403);
    gw_metrics_response (self, "/metricsx", 404);
    gw_metrics_response (self, "/unsubscribe/t", 200);
    gw_metrics_response (self, "/", 99);          //  not a status: not counted
    gw_metrics_response (self, "/", 600);
    text = gw_metrics_text (self, broker, cache);
    S_CHECK (text);
    static const char *const lines [] = {
        "# HELP plenary_broker_up Whether the broker answered broker.status for this scrape (1) or not (0).",
        "# TYPE plenary_broker_up gauge",
        "plenary_broker_up 1",
        "plenary_broker_uptime_seconds 61.5",
        "# TYPE plenary_events_published_total counter",
        "plenary_events_published_total 45",
        "plenary_events_acknowledged_total 42",
        "plenary_events_refused_total 3",
        "plenary_log_last_seq 42",
        "plenary_dead_letters 1",
        "plenary_group_backlog_events{group=\"records\"} 2",
        "plenary_group_backlog_events{group=\"a\\\"b\"} 0",
        "plenary_group_cursor_lag_seconds{group=\"records\"} 1.5",
        "plenary_group_in_flight_events{group=\"records\"} 2",
        "plenary_group_dead_letters{group=\"records\"} 1",
        "# TYPE plenary_commit_events histogram",
        "plenary_commit_events_bucket{le=\"1\"} 1",
        "plenary_commit_events_bucket{le=\"32\"} 2",
        "plenary_commit_events_bucket{le=\"+Inf\"} 3",
        "plenary_commit_events_sum 42",
        "plenary_commit_events_count 3",
        "plenary_commit_seconds_bucket{le=\"0.000025\"} 1",
        "plenary_commit_seconds_bucket{le=\"1\"} 2",
        "plenary_commit_seconds_sum 2.500025",
        "plenary_query_seconds_bucket{service=\"records\",le=\"0.0005\"} 1",
        "plenary_query_seconds_bucket{service=\"records\",le=\"+Inf\"} 2",
        "plenary_query_seconds_sum{service=\"records\"} 0.0007",
        "plenary_query_seconds_count{service=\"records\"} 2",
        "plenary_query_errors_total{service=\"records\"} 1",
        "# TYPE plenary_http_responses_total counter",
        "plenary_http_responses_total{class=\"feed\",code=\"200\"} 2",
        "plenary_http_responses_total{class=\"feed\",code=\"304\"} 1",
        "plenary_http_responses_total{class=\"api\",code=\"400\"} 1",
        "plenary_http_responses_total{class=\"page\",code=\"404\"} 2",
        "plenary_http_responses_total{class=\"page\",code=\"405\"} 1",
        "plenary_http_responses_total{class=\"metrics\",code=\"200\"} 1",
        "plenary_http_responses_total{class=\"metrics\",code=\"403\"} 1",
        "plenary_http_responses_total{class=\"unsubscribe\",code=\"200\"} 1",
        "plenary_feed_renders_total 0",
        "plenary_feed_cache_feeds 0",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines [0]; i++)
        if (!s_has_line (text, lines [i])) {
            fprintf (stderr, "gw_metrics_test: no line %s in:\n%s", lines [i], text);
            goto done;
        }
    //  A group without a field is left out of that family; nothing at 99 or 600
    S_CHECK (!strstr (text, "plenary_group_cursor_lag_seconds{group=\"a\\\"b\"}"));
    S_CHECK (!strstr (text, "code=\"99\"") && !strstr (text, "code=\"600\""));
    S_CHECK (text [strlen (text) - 1] == '\n');
    //  Without the broker: up 0, and the gateway's own numbers still
    bare = gw_metrics_text (self, NULL, cache);
    S_CHECK (bare && s_has_line (bare, "plenary_broker_up 0"));
    S_CHECK (!strstr (bare, "plenary_events_published_total"));
    S_CHECK (s_has_line (bare, "plenary_http_responses_total{class=\"feed\",code=\"200\"} 2"));
    rc = 0;
done:
    free (text);
    free (bare);
    json_decref (broker);
    gw_cache_destroy (&cache);
    gw_metrics_destroy (&self);
    return rc;
}

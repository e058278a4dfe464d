/*  cli_ops — the operator's commands: `plenary tail` (live events from the
    broker's PUB socket), `plenary dlq` (query dlq.list) and `plenary status`
    (query broker.status, and the notify worker's outbox when it runs):
    the numbers the gateway's /metrics serves, for a person, with rates
    since the broker started and percentiles from its histograms. */
#include "cli_util.h"
#include "pl_codec.h"
#include "pl_histogram.h"
#include "pl_keys.h"
#include "pl_proto.h"

#include <czmq.h>
#include <string.h>

//  ---------------------------------------------------------------------------
//  tail

static const cli_flag_t s_tail_flags [] = {
    { "topic",    NULL, 1, 0 },
    { "verdicts", NULL, 0, 0 },
    { "pub",      NULL, 1, 0 },
    { "json",     NULL, 0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_tail_help =
    "usage: plenary tail [--topic PREFIX] [--verdicts] [--pub EP] [--json]\n"
    "\n"
    "Prints every event as the broker logs it, until Ctrl-C: its sequence number,\n"
    "topic, event id and payload as compact JSON.  --topic keeps the events whose\n"
    "topic starts with PREFIX; --verdicts also shows the worker groups' verdicts\n"
    "($verdict.GROUP seq verdict reason).  --pub overrides $PLENARY_PUB, the\n"
    "broker's notification socket.  With --json each line is one JSON object.\n"
    "Notifications are best effort: the log, not this stream, is the record.\n"
    "Until the first event it says on stderr that it waits, and for what; when\n"
    "nothing listens at the address, or the broker refuses its key, it says so\n"
    "once and keeps trying (--quiet leaves out the first note, not these).\n"
    "\n"
    "example:\n"
    "  plenary tail --topic participant. --verdicts\n";

//  The SUB socket's connection events (libzmq tells them only to a socket
//  monitor, a PAIR on inproc), or NULL when the monitor cannot be made.
static zsock_t *
s_tail_monitor (zsock_t *sub)
{
    char endpoint [64];
    snprintf (endpoint, sizeof endpoint, "inproc://pl-tail-%p", (void *) sub);
    if (zmq_socket_monitor (zsock_resolve (sub), endpoint,
                            ZMQ_EVENT_CONNECTED | ZMQ_EVENT_CONNECT_RETRIED
                            | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH
                            | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
                            | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL))
        return NULL;
    zsock_t *monitor = zsock_new (ZMQ_PAIR);
    if (monitor && zsock_connect (monitor, "%s", endpoint))
        zsock_destroy (&monitor);
    return monitor;
}

//  What tail has said about its connection, so that each is said once.
typedef struct {
    int connected, unreachable, refused;
} s_tail_said_t;

//  Read one event of MONITOR and say what it means for PUB, once each.
static void
s_tail_connection (cli_t *cli, zsock_t *monitor, const char *pub, s_tail_said_t *said)
{
    zmsg_t *event = zmsg_recv (monitor);
    zframe_t *head = event ? zmsg_first (event) : NULL;
    uint16_t kind = 0;
    if (head && zframe_size (head) >= sizeof kind)
        memcpy (&kind, zframe_data (head), sizeof kind);
    zmsg_destroy (&event);
    if (kind == ZMQ_EVENT_CONNECTED) {
        if ((said->unreachable || said->refused) && !said->connected)
            cli_note (cli, "connected to %s; waiting for events", pub);
        said->connected = 1;
    }
    else
    if (kind == ZMQ_EVENT_CONNECT_RETRIED) {
        if (!said->connected && !said->unreachable++)
            cli_error ("nothing listens at %s, the broker's live events: is plenary running? "
                       "Start it with 'plenary up', or set PLENARY_PUB (--pub) to where it "
                       "publishes; trying again until Ctrl-C", pub);
    }
    else
    if (kind && !said->refused++)
        cli_error ("the broker at %s refused the handshake: %s; trying again until Ctrl-C",
                   pub, *cli->config.cert ? "does it know the key in PLENARY_CERT?"
                                          : "it requires a key (PLENARY_CERT)");
}

//  Print one notification.  Malformed ones are reported, not fatal.
static void
s_tail_print (zmsg_t *msg, int json)
{
    char topic [PL_TOPIC_MAX + 32] = "";
    uint64_t seq = 0;
    zframe_t *topic_frame = zmsg_first (msg);
    zframe_t *seq_frame = zmsg_next (msg);
    zframe_t *third = zmsg_next (msg);
    zframe_t *fourth = zmsg_next (msg);
    if (zmsg_size (msg) != 4
    ||  pl_frame_get_str (topic_frame, topic, sizeof topic)
    ||  pl_frame_get_u64 (seq_frame, &seq)) {
        cli_error ("malformed notification of %zu frames skipped", zmsg_size (msg));
        return;
    }
    char *a = zframe_strdup (third);
    json_t *out;
    if (topic [0] == '$') {
        char *reason = zframe_strdup (fourth);
        const char *group = strchr (topic, '.') ? strchr (topic, '.') + 1 : "";
        out = json_pack ("{s:I, s:s, s:s, s:s?, s:s?}", "seq", (json_int_t) seq,
                         "topic", topic, "group", group, "verdict", a, "reason", reason);
        if (out && !json)
            cli_print ("%llu %s %s%s%s\n", (unsigned long long) seq, topic, a ? a : "",
                       reason && *reason ? " " : "", reason ? reason : "");
        free (reason);
    }
    else {
        char err [PL_ERR_MAX];
        json_t *payload = pl_codec_decode (topic, zframe_data (fourth), zframe_size (fourth),
                                           err, sizeof err);
        if (!payload)
            payload = json_pack ("{s:s}", "$invalid", err);
        out = json_pack ("{s:I, s:s, s:s?, s:o}", "seq", (json_int_t) seq, "topic", topic,
                         "event_id", a, "payload", payload);
        if (out && !json) {
            char *text = cli_json_text (payload);
            cli_print ("%llu %s %s %s\n", (unsigned long long) seq, topic, a ? a : "",
                       text ? text : "");
            free (text);
        }
    }
    if (out && json)
        cli_json_line (out);
    else
        fflush (stdout);
    json_decref (out);
    free (a);
}

int
cli_tail (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_tail_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_tail_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    const char *pub = cli_value (&args, "pub") ? cli_value (&args, "pub") : cli->config.pub;
    const char *prefix = cli_value (&args, "topic");
    int verdicts = cli_value (&args, "verdicts") != NULL;
    int json = cli_value (&args, "json") != NULL;
    if (prefix && prefix [0] == '$')
        return cli_usage (cli, "--topic: event topics never start with '$'; use --verdicts");

    char err [600];
    zsock_t *sub = pl_key_sub_new (pub, cli->config.cert, err, sizeof err);
    if (!sub) {
        cli_error ("%s", err);
        return CLI_FAILED;
    }
    zsock_set_rcvhwm (sub, cli->config.hwm);
    zsock_set_maxmsgsize (sub, (int64_t) cli->config.max_message);
    zsock_set_subscribe (sub, prefix ? prefix : "");
    if (verdicts && prefix)
        zsock_set_subscribe (sub, "$verdict.");
    cli_signals_init ();
    zsock_t *monitor = s_tail_monitor (sub);
    zpoller_t *poller = zpoller_new (sub, monitor, NULL);
    s_tail_said_t said = { 0, 0, 0 };
    cli_note (cli, "waiting for events from %s; Ctrl-C to stop", pub);
    while (!cli_interrupted ()) {
        void *which = zpoller_wait (poller, 250);
        if (!which)
            continue;           //  timeout or a signal: check the flag again
        if (which == monitor) {
            s_tail_connection (cli, monitor, pub, &said);
            continue;
        }
        zmsg_t *msg = zmsg_recv (sub);
        if (!msg)
            continue;
        char *topic = zframe_strdup (zmsg_first (msg));
        //  Without --topic everything arrives: keep verdicts only when asked.
        if (topic && (topic [0] != '$' || verdicts))
            s_tail_print (msg, json);
        free (topic);
        zmsg_destroy (&msg);
    }
    zpoller_destroy (&poller);
    zsock_destroy (&sub);
    zsock_destroy (&monitor);
    return CLI_OK;
}

//  ---------------------------------------------------------------------------
//  dlq and status

static const cli_flag_t s_json_flags [] = {
    { "json", NULL, 0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_dlq_help =
    "usage: plenary dlq [--json]\n"
    "\n"
    "Lists the dead letters: events a worker group failed to apply after the\n"
    "broker's maximum number of deliveries, with the cause.  The group's cursor\n"
    "moved past them; fix the cause and publish a corrected event.\n"
    "\n"
    "example:\n"
    "  plenary dlq --json | jq '.[] | {seq, group, cause}'\n";

static const cli_column_t s_dlq_columns [] = {
    { "SEQ",       "seq",       12 },
    { "GROUP",     "group",     12 },
    { "TOPIC",     "topic",     26 },
    { "EVENT ID",  "event_id",  34 },
    { "ATTEMPTS",  "attempts",  8 },
    { "PARKED AT", "parked_at", 24 },
    { "CAUSE",     "cause",     60 },
    { NULL, NULL, 0 }
};

int
cli_dlq (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_json_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_dlq_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    json_t *reply = cli_query (cli, "dlq.list", NULL);
    if (!reply)
        return CLI_FAILED;
    json_t *items = json_object_get (reply, "items");
    if (cli_value (&args, "json"))
        cli_json (items);
    else
    if (json_array_size (items) == 0)
        cli_print ("no dead letters\n");
    else
        cli_table (s_dlq_columns, items);
    json_decref (reply);
    return CLI_OK;
}

static const char *s_status_help =
    "usage: plenary status [--json]\n"
    "\n"
    "Shows the broker's log (last sequence number, events, dead letters), and\n"
    "since the broker started: events published, acknowledged and refused, with\n"
    "the rate; its group commits: how many, events per commit and the time of\n"
    "each commit's fsync, as percentiles (p50, p90, p99).  Then each worker\n"
    "group: its topics, how far it has acknowledged, its workers, events in\n"
    "flight, its backlog (events past its cursor), its lag (how long ago the\n"
    "oldest of them was logged) and dead letters; which groups it follows,\n"
    "whether it is waiting for one of them, and how long after an event its\n"
    "latest verdict came.  Last, the queries per service: how many, errors, the\n"
    "rate, and their time in the broker as percentiles.  These are the numbers\n"
    "the gateway serves at /metrics for Prometheus.  Percentiles are estimated\n"
    "from histogram buckets, as Prometheus's histogram_quantile does.\n"
    "With --json, the broker.status reply (its histograms in microseconds).\n"
    "\n"
    "example:\n"
    "  plenary status\n"
    "  plenary status --json | jq '.groups[] | select(.lag > 0)'\n"
    "  plenary status --json | jq '.histograms[] | select(.name == \"query_us\")'\n";

static const cli_column_t s_group_columns [] = {
    { "GROUP",         "group",         16 },
    { "TOPICS",        "topics",        40 },
    { "ACKED THROUGH", "acked_through", 14 },
    { "WORKERS",       "workers",       7 },
    { "IN FLIGHT",     "in_flight",     9 },
    { "BACKLOG",       "lag",           12 },
    { "LAG",           "lag_text",      12 },
    { "DEAD LETTERS",  "dead_letters",  12 },
    { NULL, NULL, 0 }
};

static const cli_column_t s_service_columns [] = {
    { "SERVICE",  "service", 16 },
    { "QUERIES",  "count",   12 },
    { "ERRORS",   "errors",  12 },
    { "PER S",    "rate",    10 },
    { "P50",      "p50",     10 },
    { "P90",      "p90",     10 },
    { "P99",      "p99",     10 },
    { NULL, NULL, 0 }
};

//  MICROS as a person reads it: "25 µs", "1.25 ms", "2.50 s"; "-" when
//  negative (no observation).
static void
s_micros_text (char *buf, size_t size, double micros)
{
    if (micros < 0)
        snprintf (buf, size, "-");
    else
    if (micros < 1000)
        snprintf (buf, size, "%.0f µs", micros);
    else
    if (micros < 1000000)
        snprintf (buf, size, "%.2f ms", micros / 1000);
    else
        snprintf (buf, size, "%.2f s", micros / 1000000);
}

//  MS as a duration: "850 ms", "12.3 s", "4 min 05 s", "3 h 07 min".
static void
s_duration_text (char *buf, size_t size, int64_t ms)
{
    if (ms < 1000)
        snprintf (buf, size, "%lld ms", (long long) ms);
    else
    if (ms < 60000)
        snprintf (buf, size, "%.1f s", (double) ms / 1000);
    else
    if (ms < 3600000)
        snprintf (buf, size, "%lld min %02lld s", (long long) (ms / 60000),
                  (long long) (ms / 1000 % 60));
    else
        snprintf (buf, size, "%lld h %02lld min", (long long) (ms / 3600000),
                  (long long) (ms / 60000 % 60));
}

//  The histogram NAME of REPLY (and SERVICE when not NULL), or NULL.
static json_t *
s_histogram (json_t *reply, const char *name, const char *service)
{
    size_t index;
    json_t *record;
    json_array_foreach (json_object_get (reply, "histograms"), index, record) {
        const char *its = json_string_value (json_object_get (record, "service"));
        if (strcmp (json_string_value (json_object_get (record, "name")), name) == 0
        &&  (!service || (its && strcmp (its, service) == 0)))
            return record;
    }
    return NULL;
}

//  Set KEY of ROW to the Q-quantile of RECORD, in microseconds, as text.
static void
s_percentile (json_t *row, const char *key, const json_t *record, double q)
{
    char text [32];
    s_micros_text (text, sizeof text, pl_histogram_quantile (record, q));
    json_object_set_new (row, key, json_string (text));
}

static long long
s_integer (const json_t *object, const char *key)
{
    return (long long) json_integer_value (json_object_get (object, key));
}

//  The counters since the broker started, its commits and its queries, for
//  a person (a broker without them, older than they are, shows none).
static void
s_status_counters (json_t *reply)
{
    if (!json_object_get (reply, "uptime_ms"))
        return;
    double seconds = (double) s_integer (reply, "uptime_ms") / 1000;
    if (seconds < 0.001)
        seconds = 0.001;
    char uptime [32];
    s_duration_text (uptime, sizeof uptime, s_integer (reply, "uptime_ms"));
    cli_print ("since the broker started %s ago: %lld events published (%.1f/s), "
               "%lld acknowledged, %lld refused\n", uptime, s_integer (reply, "published"),
               (double) s_integer (reply, "published") / seconds,
               s_integer (reply, "acknowledged"), s_integer (reply, "refused"));
    json_t *sizes = s_histogram (reply, "commit_events", NULL);
    json_t *times = s_histogram (reply, "commit_us", NULL);
    long long commits = s_integer (sizes, "count");
    if (commits > 0 && times) {
        char p50 [32], p90 [32], p99 [32];
        s_micros_text (p50, sizeof p50, pl_histogram_quantile (times, 0.5));
        s_micros_text (p90, sizeof p90, pl_histogram_quantile (times, 0.9));
        s_micros_text (p99, sizeof p99, pl_histogram_quantile (times, 0.99));
        cli_print ("group commits: %lld (%.1f/s), %.1f events each on average (p50 %.0f, "
                   "p99 %.0f); fsync p50 %s, p90 %s, p99 %s\n", commits,
                   (double) commits / seconds,
                   (double) s_integer (sizes, "sum") / (double) commits,
                   pl_histogram_quantile (sizes, 0.5), pl_histogram_quantile (sizes, 0.99),
                   p50, p90, p99);
    }
    else
        cli_print ("group commits: none yet\n");
}

static void
s_status_services (json_t *reply)
{
    double seconds = (double) s_integer (reply, "uptime_ms") / 1000;
    json_t *rows = json_array ();
    size_t index;
    json_t *record;
    json_array_foreach (json_object_get (reply, "histograms"), index, record) {
        const char *service = json_string_value (json_object_get (record, "service"));
        if (!service || strcmp (json_string_value (json_object_get (record, "name")), "query_us"))
            continue;
        char rate [32];
        snprintf (rate, sizeof rate, "%.2f",
                  seconds > 0 ? (double) s_integer (record, "count") / seconds : 0.0);
        json_t *row = json_pack ("{s:s, s:I, s:I, s:s}", "service", service,
                                 "count", (json_int_t) s_integer (record, "count"),
                                 "errors", (json_int_t) s_integer (record, "errors"),
                                 "rate", rate);
        if (!row)
            continue;
        s_percentile (row, "p50", record, 0.5);
        s_percentile (row, "p90", record, 0.9);
        s_percentile (row, "p99", record, 0.99);
        json_array_append_new (rows, row);
    }
    if (json_array_size (rows)) {
        cli_print ("queries, by service (time in the broker, from QUERY to its answer):\n");
        cli_table (s_service_columns, rows);
    }
    json_decref (rows);
}

int
cli_status (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_json_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_status_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    json_t *reply = cli_query (cli, "broker.status", NULL);
    if (!reply)
        return CLI_FAILED;
    if (cli_value (&args, "json"))
        cli_json (reply);
    else {
        cli_print ("broker %s: last seq %lld, %lld events, %lld dead letters\n",
                   cli->config.endpoint,
                   (long long) json_integer_value (json_object_get (reply, "last_seq")),
                   (long long) json_integer_value (json_object_get (reply, "events")),
                   (long long) json_integer_value (json_object_get (reply, "dead_letters")));
        s_status_counters (reply);
        json_t *groups = json_object_get (reply, "groups");
        size_t index;
        json_t *group;
        json_array_foreach (groups, index, group) {
            char lag [32] = "-";
            if (json_object_get (group, "lag_ms"))
                s_duration_text (lag, sizeof lag, s_integer (group, "lag_ms"));
            json_object_set_new (group, "lag_text", json_string (lag));
        }
        if (json_array_size (groups) == 0)
            cli_print ("no worker groups\n");
        else
            cli_table (s_group_columns, groups);
        json_array_foreach (groups, index, group) {
            const char *name = json_string_value (json_object_get (group, "group"));
            const char *follows = json_string_value (json_object_get (group, "follows"));
            const char *waiting = json_string_value (json_object_get (group, "waiting_on"));
            json_t *delay = json_object_get (group, "verdict_delay_ms");
            if (follows)
                cli_print ("%s follows %s\n", name, follows);
            if (waiting)
                cli_print ("%s is waiting for %s's verdict on seq %lld\n", name, waiting,
                           (long long) json_integer_value (json_object_get (group, "waiting_seq")));
            if (delay)
                cli_print ("%s gave its latest verdict %lld ms after the event was logged\n",
                           name, (long long) json_integer_value (delay));
        }
        s_status_services (reply);
        cli_notify_summary (cli, groups);
    }
    json_decref (reply);
    return CLI_OK;
}

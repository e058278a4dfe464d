/*  pl_bench_nats — the NATS JetStream peer of pl-bench-publish.

    Publishes N messages of SIZE bytes to a file-backed JetStream stream
    with js_PublishAsync, at most K unacknowledged (the library's
    MaxPending: a sliding window), at full speed or at a fixed rate, and
    reports throughput and p50/p99/p99.9 of publish -> PubAck.  JetStream's
    file store acknowledges after the write to its block file, without an
    fsync (nats-server 2.9 syncs every two minutes): its PubAck promises
    less than plenaryd's ACK or Redis's reply with `appendfsync always`.
    The index of each message rides in its first 8 bytes.

        pl-bench-nats --port 4222 --count 100000 --window 256

    Built only when Debian's libnats-dev is installed (bench/peers.sh
    installs it). */
#include "bench_stats.h"
#include <nats/nats.h>

#include <getopt.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    int port;
    size_t count;
    size_t window;
    size_t size;
    double rate;
    int json;
} s_options_t;

typedef struct {
    size_t count;
    int64_t *sent_ns;
    double *ack_ms;
    size_t acked;               //  written by the library's thread
    size_t errors;
    int64_t last_ack;
    pthread_mutex_t lock;
} s_state_t;

static void
s_on_ack (jsCtx *js, natsMsg *msg, jsPubAck *ack, jsPubAckErr *error, void *closure)
{
    (void) js;
    s_state_t *state = closure;
    int64_t at = bench_now_ns ();
    uint64_t index = 0;
    if (natsMsg_GetDataLength (msg) >= 8)
        memcpy (&index, natsMsg_GetData (msg), 8);
    pthread_mutex_lock (&state->lock);
    if (ack && index < state->count) {
        state->ack_ms [state->acked++] = (double) (at - state->sent_ns [index]) / 1e6;
        state->last_ack = at;
    }
    else {
        if (state->errors++ == 0)
            fprintf (stderr, "pl-bench-nats: publish: %s\n",
                     error ? error->ErrText : "no acknowledgement");
    }
    pthread_mutex_unlock (&state->lock);
    natsMsg_Destroy (msg);
}

static void
s_usage (FILE *out)
{
    fprintf (out,
        "usage: pl-bench-nats --port P --count N [--window K] [--size B] [--rate R] [--json]\n"
        "Publishes N messages of B bytes (default 170) to a fresh file-backed\n"
        "JetStream stream on the nats-server at 127.0.0.1:P with at most K\n"
        "unacknowledged (default 256), at R messages/s (default: as fast as\n"
        "possible); reports throughput and publish->PubAck percentiles.\n");
}

int
main (int argc, char **argv)
{
    s_options_t options = { .window = 256, .size = 170 };
    static const struct option longs [] = {
        { "port",   required_argument, NULL, 'p' },
        { "count",  required_argument, NULL, 'n' },
        { "window", required_argument, NULL, 'w' },
        { "size",   required_argument, NULL, 's' },
        { "rate",   required_argument, NULL, 'r' },
        { "json",   no_argument,       NULL, 'j' },
        { "help",   no_argument,       NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    while ((opt = getopt_long (argc, argv, "", longs, NULL)) != -1) {
        switch (opt) {
            case 'p': options.port = atoi (optarg); break;
            case 'n': options.count = strtoull (optarg, NULL, 10); break;
            case 'w': options.window = strtoull (optarg, NULL, 10); break;
            case 's': options.size = strtoull (optarg, NULL, 10); break;
            case 'r': options.rate = strtod (optarg, NULL); break;
            case 'j': options.json = 1; break;
            case 'h': s_usage (stdout); return 0;
            default:  s_usage (stderr); return 2;
        }
    }
    if (options.port <= 0 || options.count == 0 || options.window == 0 || options.size < 8) {
        s_usage (stderr);
        return 2;
    }
    s_state_t state = { .count = options.count };
    state.sent_ns = calloc (options.count, sizeof (int64_t));
    state.ack_ms = calloc (options.count, sizeof (double));
    natsConnection *connection = NULL;
    jsCtx *js = NULL;
    char url [64], stream [64], subject [80];
    snprintf (url, sizeof url, "nats://127.0.0.1:%d", options.port);
    snprintf (stream, sizeof stream, "bench%d", (int) getpid ());
    snprintf (subject, sizeof subject, "%s.events", stream);
    pthread_mutex_init (&state.lock, NULL);
    natsStatus status = natsConnection_ConnectTo (&connection, url);
    jsOptions js_options;
    jsOptions_Init (&js_options);
    js_options.PublishAsync.MaxPending = (int64_t) options.window;
    js_options.PublishAsync.AckHandler = s_on_ack;
    js_options.PublishAsync.AckHandlerClosure = &state;
    js_options.PublishAsync.StallWait = 30000;
    if (status == NATS_OK)
        status = natsConnection_JetStream (&js, connection, &js_options);
    jsStreamConfig config;
    jsStreamConfig_Init (&config);
    const char *subjects [] = { subject };
    config.Name = stream;
    config.Subjects = subjects;
    config.SubjectsLen = 1;
    config.Storage = js_FileStorage;
    jsErrCode code = 0;
    jsStreamInfo *info = NULL;
    if (status == NATS_OK)
        status = js_AddStream (&info, js, &config, NULL, &code);
    jsStreamInfo_Destroy (info);
    if (status != NATS_OK) {
        fprintf (stderr, "pl-bench-nats: %s at %s (JetStream error %d): is nats-server running "
                         "with -js?\n", natsStatus_GetText (status), url, (int) code);
        return 1;
    }
    char *payload = calloc (1, options.size);
    memset (payload + 8, 'x', options.size - 8);
    double interval_ns = options.rate > 0 ? 1e9 / options.rate : 0;
    int64_t start = bench_now_ns ();
    for (uint64_t index = 0; index < options.count; index++) {
        if (interval_ns > 0) {
            int64_t due = start + (int64_t) (index * interval_ns) - bench_now_ns ();
            if (due > 0) {
                struct timespec pause = { due / 1000000000, due % 1000000000 };
                nanosleep (&pause, NULL);
            }
        }
        memcpy (payload, &index, 8);
        state.sent_ns [index] = bench_now_ns ();
        status = js_PublishAsync (js, subject, payload, (int) options.size, NULL);
        if (status != NATS_OK) {
            fprintf (stderr, "pl-bench-nats: js_PublishAsync: %s\n", natsStatus_GetText (status));
            break;
        }
    }
    jsPubOptions wait;
    jsPubOptions_Init (&wait);
    wait.MaxWait = 30000;
    js_PublishAsyncComplete (js, &wait);
    int64_t end = bench_now_ns ();
    pthread_mutex_lock (&state.lock);
    size_t acked = state.acked, errors = state.errors;
    int64_t last_ack = state.last_ack;
    pthread_mutex_unlock (&state.lock);
    qsort (state.ack_ms, acked, sizeof (double), bench_compare);
    double ack_rate = acked / ((double) (last_ack - start) / 1e9);
    if (options.json)
        printf ("{\"count\":%zu,\"window\":%zu,\"size\":%zu,\"rate\":%.0f,\"acked\":%zu,"
                "\"errors\":%zu,\"seconds\":%.3f,\"ack_per_s\":%.0f,"
                "\"ack_ms\":{\"p50\":%.3f,\"p99\":%.3f,\"p999\":%.3f}}\n",
                options.count, options.window, options.size, options.rate, acked, errors,
                (double) (end - start) / 1e9, ack_rate, bench_percentile (state.ack_ms, acked, 50),
                bench_percentile (state.ack_ms, acked, 99), bench_percentile (state.ack_ms, acked, 99.9));
    else {
        printf ("messages %zu of %zu bytes, window %zu, rate %s\n", options.count, options.size,
                options.window, options.rate > 0 ? "fixed" : "full speed");
        printf ("acknowledged       %zu (%zu errors), %.0f messages/s\n", acked, errors, ack_rate);
        printf ("publish->ack ms    p50 %.3f  p99 %.3f  p99.9 %.3f\n",
                bench_percentile (state.ack_ms, acked, 50), bench_percentile (state.ack_ms, acked, 99),
                bench_percentile (state.ack_ms, acked, 99.9));
    }
    js_DeleteStream (js, stream, NULL, NULL);
    jsCtx_Destroy (js);
    natsConnection_Destroy (connection);
    pthread_mutex_destroy (&state.lock);
    free (state.sent_ns);
    free (state.ack_ms);
    free (payload);
    return acked == options.count ? 0 : 1;
}

/*  pl_bench_redis — the Redis Streams peer of pl-bench-publish.

    Appends N entries of SIZE bytes to a stream with XADD, keeping at most K
    unanswered on one connection (hiredis pipelining: a sliding window, not
    batches), at full speed or at a fixed rate, and reports the same figures
    as pl-bench-publish: throughput and p50/p99/p99.9 of publish -> reply.
    With Redis running `appendonly yes` and `appendfsync always`, a reply to
    XADD comes after the AOF write and fsync of the event loop turn that took
    it (Redis's group commit), so the reply means what plenaryd's ACK means.

    --consumer: a consumer group is created first and a second process
    reads it as plenary's records worker reads its events (XREADGROUP in
    batches of up to 1,000, then one XACK for the batch), and reports
    publish -> delivered: the rate, and the latency from each entry's send
    time (carried in its first 8 bytes; both processes read CLOCK_MONOTONIC).

        pl-bench-redis --port 6379 --count 100000 --window 256
        pl-bench-redis --port 6379 --count 100000 --window 256 --consumer
        pl-bench-redis --port 6379 --count 50000 --window 1000 --rate 10000

    Built only when Debian's libhiredis-dev is installed (bench/peers.sh
    installs it). */
#include "bench_stats.h"
#include <hiredis/hiredis.h>

#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    int port;
    size_t count;
    size_t window;
    size_t size;
    double rate;
    int consumer;
    int json;
    char stream [64];
} s_options_t;

static redisContext *
s_connect (const s_options_t *options)
{
    redisContext *context = redisConnect ("127.0.0.1", options->port);
    if (!context || context->err) {
        fprintf (stderr, "pl-bench-redis: cannot connect to 127.0.0.1:%d: %s\n", options->port,
                 context ? context->errstr : "out of memory");
        if (context)
            redisFree (context);
        return NULL;
    }
    return context;
}

//  The consumer: read the group until COUNT entries were delivered (or 30 s
//  pass without one), acknowledging each batch; print one line of results.
static int
s_consume (const s_options_t *options, int out)
{
    redisContext *context = s_connect (options);
    if (!context)
        return 1;
    double *latency = calloc (options->count, sizeof (double));
    size_t delivered = 0;
    int64_t first = 0, last = 0, idle_since = bench_now_ns ();
    while (delivered < options->count && bench_now_ns () - idle_since < 30000000000LL) {
        redisReply *reply = redisCommand (context,
            "XREADGROUP GROUP bench c1 COUNT 1000 BLOCK 1000 STREAMS %s >", options->stream);
        if (!reply) {
            fprintf (stderr, "pl-bench-redis: consumer: %s\n", context->errstr);
            break;
        }
        int64_t at = bench_now_ns ();
        if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 1) {
            redisReply *entries = reply->element [0]->element [1];
            const char **argv = calloc (entries->elements + 3, sizeof (char *));
            size_t *lengths = calloc (entries->elements + 3, sizeof (size_t));
            argv [0] = "XACK";
            argv [1] = options->stream;
            argv [2] = "bench";
            for (size_t i = 0; i < entries->elements; i++) {
                redisReply *entry = entries->element [i];
                argv [3 + i] = entry->element [0]->str;
                redisReply *fields = entry->element [1];
                if (fields->elements == 2 && fields->element [1]->len >= 8
                &&  delivered < options->count) {
                    int64_t sent;
                    memcpy (&sent, fields->element [1]->str, 8);
                    latency [delivered++] = (double) (at - sent) / 1e6;
                }
            }
            for (size_t i = 0; i < entries->elements + 3; i++)
                lengths [i] = strlen (argv [i]);
            redisReply *acked = redisCommandArgv (context, (int) entries->elements + 3, argv,
                                                  lengths);
            if (acked)
                freeReplyObject (acked);
            free (argv);
            free (lengths);
            if (!first)
                first = at;
            last = bench_now_ns ();
            idle_since = last;
        }
        freeReplyObject (reply);
    }
    qsort (latency, delivered, sizeof (double), bench_compare);
    char line [256];
    int length = snprintf (line, sizeof line, "%zu %lld %lld %.3f %.3f %.3f\n", delivered,
                           (long long) first, (long long) last,
                           bench_percentile (latency, delivered, 50),
                           bench_percentile (latency, delivered, 99),
                           bench_percentile (latency, delivered, 99.9));
    if (write (out, line, (size_t) length) != length)
        return 1;
    free (latency);
    redisFree (context);
    return delivered == options->count ? 0 : 1;
}

static void
s_usage (FILE *out)
{
    fprintf (out,
        "usage: pl-bench-redis --port P --count N [--window K] [--size B] [--rate R]\n"
        "                      [--consumer] [--json]\n"
        "XADDs N entries of B bytes (default 170, plenary's registration on the wire)\n"
        "to a fresh stream on the Redis at 127.0.0.1:P with at most K unanswered\n"
        "(default 256), at R entries/s (default: as fast as possible); reports\n"
        "throughput and publish->reply percentiles.  --consumer: a consumer group\n"
        "reads beside it (XREADGROUP, XACK per batch): publish->delivered too.\n");
}

int
main (int argc, char **argv)
{
    s_options_t options = { .window = 256, .size = 170 };
    snprintf (options.stream, sizeof options.stream, "bench-%d", (int) getpid ());
    static const struct option longs [] = {
        { "port",     required_argument, NULL, 'p' },
        { "count",    required_argument, NULL, 'n' },
        { "window",   required_argument, NULL, 'w' },
        { "size",     required_argument, NULL, 's' },
        { "rate",     required_argument, NULL, 'r' },
        { "consumer", no_argument,       NULL, 'c' },
        { "json",     no_argument,       NULL, 'j' },
        { "help",     no_argument,       NULL, 'h' },
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
            case 'c': options.consumer = 1; break;
            case 'j': options.json = 1; break;
            case 'h': s_usage (stdout); return 0;
            default:  s_usage (stderr); return 2;
        }
    }
    if (options.port <= 0 || options.count == 0 || options.window == 0 || options.size < 8) {
        s_usage (stderr);
        return 2;
    }
    redisContext *context = s_connect (&options);
    if (!context)
        return 1;
    int channel [2] = { -1, -1 };
    pid_t consumer = 0;
    if (options.consumer) {
        redisReply *reply = redisCommand (context, "XGROUP CREATE %s bench $ MKSTREAM",
                                          options.stream);
        if (!reply || reply->type == REDIS_REPLY_ERROR) {
            fprintf (stderr, "pl-bench-redis: XGROUP CREATE: %s\n",
                     reply ? reply->str : context->errstr);
            return 1;
        }
        freeReplyObject (reply);
        if (pipe (channel))
            return 1;
        consumer = fork ();
        if (consumer == 0) {
            close (channel [0]);
            _exit (s_consume (&options, channel [1]));
        }
        close (channel [1]);
    }
    int64_t *sent_ns = calloc (options.count, sizeof (int64_t));
    double *ack_ms = calloc (options.count, sizeof (double));
    char *payload = calloc (1, options.size);
    memset (payload + 8, 'x', options.size - 8);
    size_t sent = 0, acked = 0, errors = 0;
    int64_t start = bench_now_ns (), last_ack = start, last_progress = start;
    double interval_ns = options.rate > 0 ? 1e9 / options.rate : 0;
    while (acked + errors < options.count && bench_now_ns () - last_progress < 30000000000LL) {
        int64_t now = bench_now_ns ();
        int appended = 0;
        while (sent < options.count && sent - acked - errors < options.window
               && (interval_ns == 0 || now - start >= (int64_t) (sent * interval_ns))) {
            sent_ns [sent] = bench_now_ns ();
            memcpy (payload, &sent_ns [sent], 8);
            const char *args [] = { "XADD", options.stream, "*", "e", payload };
            size_t lengths [] = { 4, strlen (options.stream), 1, 1, options.size };
            redisAppendCommandArgv (context, 5, args, lengths);
            sent++;
            appended = 1;
        }
        if (appended) {
            int done = 0;
            while (!done)
                if (redisBufferWrite (context, &done) != REDIS_OK) {
                    fprintf (stderr, "pl-bench-redis: %s\n", context->errstr);
                    return 1;
                }
        }
        int wait_ms = 100;
        if (interval_ns > 0 && sent < options.count) {
            int64_t due = start + (int64_t) (sent * interval_ns) - bench_now_ns ();
            wait_ms = due <= 0 ? 0 : (int) ((due + 999999) / 1000000);
        }
        if (sent - acked - errors == 0)
            continue;
        struct pollfd poller = { .fd = context->fd, .events = POLLIN };
        if (poll (&poller, 1, wait_ms) <= 0)
            continue;
        if (redisBufferRead (context) != REDIS_OK) {
            fprintf (stderr, "pl-bench-redis: %s\n", context->errstr);
            return 1;
        }
        void *reply = NULL;
        while (redisReaderGetReply (context->reader, &reply) == REDIS_OK && reply) {
            int64_t at = bench_now_ns ();
            size_t index = acked + errors;
            if (((redisReply *) reply)->type == REDIS_REPLY_ERROR) {
                if (errors++ == 0)
                    fprintf (stderr, "pl-bench-redis: XADD: %s\n", ((redisReply *) reply)->str);
            }
            else {
                ack_ms [acked++] = (double) (at - sent_ns [index]) / 1e6;
                last_ack = at;
            }
            last_progress = at;
            freeReplyObject (reply);
            reply = NULL;
        }
    }
    int64_t end = bench_now_ns ();
    qsort (ack_ms, acked, sizeof (double), bench_compare);
    double ack_rate = acked / ((double) (last_ack - start) / 1e9);
    size_t delivered = 0;
    long long first = 0, last = 0;
    double d50 = 0, d99 = 0, d999 = 0, delivered_rate = 0;
    if (consumer > 0) {
        char line [256] = "";
        ssize_t got = read (channel [0], line, sizeof line - 1);
        if (got > 0)
            line [got] = 0;
        sscanf (line, "%zu %lld %lld %lf %lf %lf", &delivered, &first, &last, &d50, &d99, &d999);
        int status = 0;
        waitpid (consumer, &status, 0);
        delivered_rate = last > start ? delivered / ((double) (last - start) / 1e9) : 0;
    }
    if (options.json)
        printf ("{\"count\":%zu,\"window\":%zu,\"size\":%zu,\"rate\":%.0f,\"acked\":%zu,"
                "\"errors\":%zu,\"seconds\":%.3f,\"ack_per_s\":%.0f,"
                "\"ack_ms\":{\"p50\":%.3f,\"p99\":%.3f,\"p999\":%.3f},"
                "\"delivered\":%zu,\"delivered_per_s\":%.0f,"
                "\"delivered_ms\":{\"p50\":%.3f,\"p99\":%.3f,\"p999\":%.3f}}\n",
                options.count, options.window, options.size, options.rate, acked, errors,
                (double) (end - start) / 1e9, ack_rate, bench_percentile (ack_ms, acked, 50),
                bench_percentile (ack_ms, acked, 99), bench_percentile (ack_ms, acked, 99.9),
                delivered, delivered_rate, d50, d99, d999);
    else {
        printf ("entries %zu of %zu bytes, window %zu, rate %s\n", options.count, options.size,
                options.window, options.rate > 0 ? "fixed" : "full speed");
        printf ("acknowledged       %zu (%zu errors), %.0f entries/s\n", acked, errors, ack_rate);
        printf ("publish->ack ms    p50 %.3f  p99 %.3f  p99.9 %.3f\n",
                bench_percentile (ack_ms, acked, 50), bench_percentile (ack_ms, acked, 99),
                bench_percentile (ack_ms, acked, 99.9));
        if (consumer > 0) {
            printf ("delivered          %zu, %.0f entries/s\n", delivered, delivered_rate);
            printf ("publish->delivered ms p50 %.3f  p99 %.3f  p99.9 %.3f\n", d50, d99, d999);
        }
    }
    redisReply *deleted = redisCommand (context, "DEL %s", options.stream);
    if (deleted)
        freeReplyObject (deleted);
    redisFree (context);
    free (sent_ns);
    free (ack_ms);
    free (payload);
    return acked == options.count && (!options.consumer || delivered == options.count) ? 0 : 1;
}

/*  pl_bench_archive — load generator and query timer for the archive worker.

    Publishes N synthetic document.released events (about SIZE bytes of text
    each, in the six UN languages in turn, drawn from small per-language
    vocabularies: half common words, half a long tail) with at most WINDOW unacknowledged, waits for the archive
    group's verdict on the last one and reports the ingest rate (documents
    applied per second, publish of the first to verdict on the last).  Then
    it times Q queries of each shape — one word, two words, a quoted phrase,
    one word with a language, one word with filters (language and symbol
    pattern), words drawn as in the texts — and reports p50 and p99 of each,
    and with --data the size of the archive's database; with --worker-pid,
    the worker's CPU time per document ingested (from /proc), which the
    load of a shared machine changes far less than the rate.

    The kill test uses it to load the worker (--publish-only); --search-only
    times the searches again on an archive an earlier run loaded.  Symbols are
    PREFIX/MSP/YEAR/N, unique per index, so a rerun with the same prefix and
    count publishes the same releases again (which the archive leaves
    unchanged).  --start S numbers the documents from S (S..S+N-1), so that a
    curve is measured on one archive grown step by step: documents 0..N-1,
    then --start N --count M-N, and so on, each step timing the searches.

        pl-bench-archive --count 100000 --size 5000 --data ./var
        pl-bench-archive --start 100000 --count 150000 --data ./var
        pl-bench-archive --count 2000 --publish-only --prefix KILL
        pl-bench-archive --count 100000 --search-only --queries 500

    --urls prints the same searches instead, Q of each shape, as the query
    strings of /search and /api/search (one a line, percent-encoded), and
    exits: bench/web_search.lua asks them of the gateway.

        pl-bench-archive --urls --queries 500 > queries.txt */
#include "bench_archive_words.h"
#include "pl_client.h"
#include "pl_config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

//  How long the ingest may take before the bench gives up (an hour).
#define S_INGEST_DEADLINE_NS (3600LL * 1000000000LL)

typedef struct {
    size_t count, size, window, queries;
    size_t start;                   //  index of the first document
    char prefix [16];
    char data [512];
    int publish_only;
    int search_only;
    int worker_pid;                 //  0, or the archive worker's: its CPU per document
} s_options_t;

static int64_t
s_now_ns (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000000000 + now.tv_nsec;
}


typedef struct {
    const s_options_t *options;
    uint64_t last_seq;
    size_t failed;
} s_run_t;

//  pl_next_fn: document INDEX.
static int
s_next (void *arg, size_t index, pl_event_t *event)
{
    s_run_t *run = arg;
    const s_options_t *options = run->options;
    snprintf (event->topic, sizeof event->topic, "document.released");
    snprintf (event->event_id, sizeof event->event_id, "%s-%zu", options->prefix,
              options->start + index);
    event->payload = bench_archive_document (options->start + index, options->size,
                                             options->prefix);
    return event->payload ? 0 : -1;
}

//  pl_ack_fn: remember the highest sequence number.
static void
s_on_ack (void *arg, size_t index, int status, const pl_ack_t *ack, const char *err)
{
    s_run_t *run = arg;
    if (status != 200) {
        if (run->failed++ < 5)
            fprintf (stderr, "pl-bench-archive: document %zu refused: %s\n", index, err);
        return;
    }
    if (ack->seq > run->last_seq)
        run->last_seq = ack->seq;
}

static int
s_compare (const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

//  Time QUERIES searches of one SHAPE and print p50/p99 in milliseconds.
static int
s_time_queries (pl_client_t *client, const s_options_t *options, const char *shape)
{
    int64_t *times = calloc (options->queries, sizeof *times);
    uint64_t state = 12345;
    json_int_t hits = 0;
    for (size_t i = 0; times && i < options->queries; i++) {
        json_t *args = bench_archive_query (shape, i, &state, options->prefix);
        int status;
        char err [512];
        int64_t start = s_now_ns ();
        json_t *reply = pl_client_query (client, "archive.search", args, &status, err, sizeof err);
        times [i] = s_now_ns () - start;
        if (!reply) {
            fprintf (stderr, "pl-bench-archive: %s query '%s' failed: %s\n", shape,
                     json_string_value (json_object_get (args, "q")), err);
            json_decref (args);
            free (times);
            return -1;
        }
        json_decref (args);
        hits += json_integer_value (json_object_get (reply, "total"));
        json_decref (reply);
    }
    if (!times)
        return -1;
    qsort (times, options->queries, sizeof *times, s_compare);
    printf ("query %-9s n=%zu p50=%.2f ms p99=%.2f ms mean hits=%lld\n", shape,
            options->queries, times [options->queries / 2] / 1e6,
            times [options->queries * 99 / 100] / 1e6,
            (long long) (hits / (json_int_t) options->queries));
    free (times);
    return 0;
}

//  Time every shape of search in turn.  0, or -1 when a search failed.
static int
s_time_shapes (pl_client_t *client, const s_options_t *options)
{
    const char *shapes [] = BENCH_ARCHIVE_SHAPES;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof shapes / sizeof shapes [0]; i++)
        rc = s_time_queries (client, options, shapes [i]);
    return rc;
}

//  VALUE percent-encoded (all but RFC 3986's unreserved) onto OUT.
static void
s_encode (FILE *out, const char *value)
{
    for (const unsigned char *c = (const unsigned char *) value; *c; c++)
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')
        ||  strchr ("-._~", *c))
            fputc (*c, out);
        else
            fprintf (out, "%%%02X", *c);
}

//  Print the searches of every shape as query strings, one a line.
static int
s_print_urls (const s_options_t *options)
{
    const char *shapes [] = BENCH_ARCHIVE_SHAPES;
    for (size_t shape = 0; shape < sizeof shapes / sizeof shapes [0]; shape++) {
        uint64_t state = 12345;
        for (size_t i = 0; i < options->queries; i++) {
            json_t *args = bench_archive_query (shapes [shape], i, &state, options->prefix);
            if (!args)
                return -1;
            const char *name, *separator = "";
            json_t *value;
            json_object_foreach (args, name, value) {
                printf ("%s%s=", separator, name);
                s_encode (stdout, json_string_value (value));
                separator = "&";
            }
            putchar ('\n');
            json_decref (args);
        }
    }
    return fflush (stdout) == 0 ? 0 : -1;
}

//  CPU time (user and system) of process PID so far in seconds, from
//  /proc/PID/stat; -1 when it cannot be read.
static double
s_process_cpu (int pid)
{
    char path [64], line [1024];
    snprintf (path, sizeof path, "/proc/%d/stat", pid);
    FILE *file = fopen (path, "r");
    if (!file)
        return -1;
    size_t length = fread (line, 1, sizeof line - 1, file);
    fclose (file);
    line [length] = 0;
    //  the fields after the command's name, which may hold spaces: utime
    //  and stime are the 12th and 13th of them
    char *rest = strrchr (line, ')');
    unsigned long long utime, stime;
    if (!rest || sscanf (rest + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                         &utime, &stime) != 2)
        return -1;
    return (double) (utime + stime) / (double) sysconf (_SC_CLK_TCK);
}

//  Size of PATH in bytes, 0 when absent.
static long long
s_file_size (const char *path)
{
    struct stat info;
    return stat (path, &info) == 0 ? (long long) info.st_size : 0;
}

int
main (int argc, char *argv [])
{
    setvbuf (stdout, NULL, _IOLBF, 0);      //  each result as it comes, also into a file
    s_options_t options = { .count = 2000, .size = 5000, .window = 500, .queries = 200,
                            .prefix = "BENCH" };
    static const struct option longs [] = {
        { "count",        required_argument, NULL, 'n' },
        { "start",        required_argument, NULL, 'f' },
        { "size",         required_argument, NULL, 's' },
        { "window",       required_argument, NULL, 'w' },
        { "queries",      required_argument, NULL, 'q' },
        { "prefix",       required_argument, NULL, 'p' },
        { "data",         required_argument, NULL, 'd' },
        { "publish-only", no_argument,       NULL, 'o' },
        { "search-only",  no_argument,       NULL, 'S' },
        { "urls",         no_argument,       NULL, 'u' },
        { "worker-pid",   required_argument, NULL, 'W' },
        { NULL, 0, NULL, 0 }
    };
    int opt, urls = 0;
    while ((opt = getopt_long (argc, argv, "", longs, NULL)) != -1) {
        switch (opt) {
            case 'n': options.count = strtoull (optarg, NULL, 10); break;
            case 'f': options.start = strtoull (optarg, NULL, 10); break;
            case 's': options.size = strtoull (optarg, NULL, 10); break;
            case 'w': options.window = strtoull (optarg, NULL, 10); break;
            case 'q': options.queries = strtoull (optarg, NULL, 10); break;
            case 'p': snprintf (options.prefix, sizeof options.prefix, "%s", optarg); break;
            case 'd': snprintf (options.data, sizeof options.data, "%s", optarg); break;
            case 'o': options.publish_only = 1; break;
            case 'S': options.search_only = 1; break;
            case 'u': urls = 1; break;
            case 'W': options.worker_pid = atoi (optarg); break;
            default:
                fprintf (stderr, "usage: pl-bench-archive [--start S] [--count N] [--size BYTES] "
                         "[--window W] [--queries Q] [--prefix LETTERS] [--data DIR] "
                         "[--publish-only | --search-only | --urls] [--worker-pid PID]\n");
                return 2;
        }
    }
    if (options.count == 0 || options.window == 0 || options.queries == 0
    ||  options.size == 0 || options.size > 1000000) {
        fprintf (stderr, "pl-bench-archive: count, window, queries must be > 0, size 1..1000000\n");
        return 2;
    }
    if (urls)
        return s_print_urls (&options) ? 1 : 0;
    pl_config_t config;
    pl_config_defaults (&config);
    pl_config_from_env (&config);
    config.publish_deadline_ms = 60000;
    pl_client_t *client = pl_client_new (&config);
    if (!client)
        return 1;
    s_run_t run = { .options = &options };
    if (options.search_only) {
        //  the archive was loaded by an earlier run (same --count): time searches only
        int failed = s_time_shapes (client, &options);
        pl_client_destroy (&client);
        return failed ? 1 : 0;
    }
    double worker_cpu = options.worker_pid ? s_process_cpu (options.worker_pid) : -1;
    int64_t start = s_now_ns ();
    int rc = pl_client_publish_many (client, options.count, options.window, s_next, s_on_ack, &run);
    int64_t published = s_now_ns ();
    if (rc || run.failed) {
        fprintf (stderr, "pl-bench-archive: %zu of %zu documents not published\n", run.failed,
                 options.count);
        pl_client_destroy (&client);
        return 1;
    }
    printf ("published %zu documents of ~%zu bytes in %.2f s (%.0f/s to durable ack)\n",
            options.count, options.size, (published - start) / 1e9,
            options.count / ((published - start) / 1e9));
    if (options.publish_only) {
        pl_client_destroy (&client);
        return 0;
    }
    char verdict [16], reason [512], err [512];
    int status;
    //  The broker caps one receipt's wait (60 s): ask again while it times out
    while ((rc = pl_client_receipt (client, run.last_seq, "archive", 60000, verdict,
                                    sizeof verdict, reason, sizeof reason, &status, err,
                                    sizeof err)) && status == 504
           && s_now_ns () - published < S_INGEST_DEADLINE_NS)
        ;
    if (rc) {
        fprintf (stderr, "pl-bench-archive: no verdict on seq %llu: %s\n",
                 (unsigned long long) run.last_seq, err);
        pl_client_destroy (&client);
        return 1;
    }
    int64_t applied = s_now_ns ();
    printf ("ingest: %zu documents (%zu..%zu) applied in %.2f s = %.0f documents/s\n",
            options.count, options.start, options.start + options.count - 1,
            (applied - start) / 1e9, options.count / ((applied - start) / 1e9));
    if (worker_cpu >= 0 && s_process_cpu (options.worker_pid) >= 0)
        printf ("worker CPU: %.0f us per document (%.0f documents/s on a core of its own)\n",
                (s_process_cpu (options.worker_pid) - worker_cpu) * 1e6 / (double) options.count,
                (double) options.count / (s_process_cpu (options.worker_pid) - worker_cpu));
    if (*options.data) {
        char path [600];
        snprintf (path, sizeof path, "%s/archive/archive.db", options.data);
        long long bytes = s_file_size (path);
        snprintf (path, sizeof path, "%s/archive/archive.db-wal", options.data);
        bytes += s_file_size (path);
        printf ("archive database: %.1f MB (%.0f bytes per document, text included)\n",
                bytes / 1e6, (double) bytes / (options.start + options.count));
    }
    rc = s_time_shapes (client, &options);
    pl_client_destroy (&client);
    return rc ? 1 : 0;
}

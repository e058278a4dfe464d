/*  pl_bench_search — the archive worker's search alone, in process.

    Opens an archive database that pl-bench-archive loaded (DATA/archive/
    archive.db; it may be in use by a running plenary-archive: searches only
    read) and times Q searches of each shape of pl-bench-archive, asked
    through the worker's own query handler (the words' translation to FTS5,
    the store's search, the reply's JSON) with no broker, no socket and no
    codec: what is left of pl-bench-archive's times is the transport.

        pl-bench-search --data ./var --queries 500
        pl-bench-search --data ./var --role public --shape one-word
        pl-bench-search --data ./var --queries 100 --q '会议 公约'
        pl-bench-search --data ./var --cold --serial

    --cold forgets the phrase counts of earlier searches before each one
    (as after any change to the index), --serial walks every search on one
    thread (as on a machine of one processor), --page-size asks pages of N
    hits, --slow MS prints each search slower than MS.

    --ingest N first applies N synthetic documents of pl-bench-archive
    (after those DATA holds) through the worker's own handler, in batches
    of 256 as the worker engine hands them over, and prints the documents
    per second and the CPU time each took: the worker's ingest alone,
    without the broker.

        pl-bench-search --data /tmp/x --ingest 20000 --queries 100

    --language L makes every document ingested one of language L (en, fr,
    es, ru, ar, zh), so that what each language's tokens cost (stems, the
    Chinese dictionary words) can be told apart.

        pl-bench-search --data /tmp/zh --ingest 6000 --language zh --queries 10 */
#include "archive_store.h"
#include "archive_worker.h"
#include "bench_archive_words.h"

#include <getopt.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    const char *data, *role, *shape, *prefix, *q;
    size_t queries;
    int cold, serial;
    size_t ingest;                  //  documents to apply first
    int language;                   //  -1, or the only language (0..5) ingested
    int page_size;                  //  0: the worker's default
    int64_t slow_ms;                //  0: print no search
} s_options_t;

static int64_t
s_now_ns (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000000000 + now.tv_nsec;
}

//  CPU time of this process (all its threads) so far, in nanoseconds.
static int64_t
s_cpu_ns (void)
{
    struct timespec now;
    clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &now);
    return (int64_t) now.tv_sec * 1000000000 + now.tv_nsec;
}

static int
s_compare (const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

//  Time the searches of SHAPE (or of the words of --q again and again) as
//  OPTIONS ask; print p50, p99, max and mean hits, and p50 and p99 of the
//  CPU time each took (both walkers' threads together): on a machine shared
//  with other work, what a search costs whatever else runs.  0, or -1 when
//  one failed.
static int
s_time_shape (archive_store_t *store, const char *shape, const s_options_t *options)
{
    const pl_worker_handler_t *handler = archive_worker_handler ();
    size_t queries = options->queries;
    int64_t *times = calloc (queries, sizeof *times);
    int64_t *cpu = calloc (queries, sizeof *cpu);
    if (!times || !cpu) {
        free (times);
        free (cpu);
        return -1;
    }
    uint64_t state = 12345;
    long long hits = 0;
    for (size_t i = 0; i < queries; i++) {
        json_t *args = options->q ? json_pack ("{s:s}", "q", options->q)
                                  : bench_archive_query (shape, i, &state, options->prefix);
        if (args && options->page_size)
            json_object_set_new (args, "page_size", json_integer (options->page_size));
        int status = 200;
        char err [512] = "";
        if (options->cold)
            archive_store_forget_counts (store);
        int64_t start = s_now_ns (), start_cpu = s_cpu_ns ();
        json_t *reply = args ? handler->query (store, "archive.search", args, options->role,
                                               &status, err, sizeof err)
                             : NULL;
        times [i] = s_now_ns () - start;
        cpu [i] = s_cpu_ns () - start_cpu;
        const char *q = json_string_value (json_object_get (args, "q"));
        if (!reply) {
            fprintf (stderr, "pl-bench-search: %s search '%s' failed (%d): %s\n", shape,
                     q ? q : "", status, err);
            json_decref (args);
            free (times);
            free (cpu);
            return -1;
        }
        long long total = (long long) json_integer_value (json_object_get (reply, "total"));
        if (options->slow_ms && times [i] > options->slow_ms * 1000000)
            fprintf (stderr, "slow: %.1f ms '%s' total=%lld\n", times [i] / 1e6, q, total);
        hits += total;
        json_decref (reply);
        json_decref (args);
    }
    qsort (times, queries, sizeof *times, s_compare);
    qsort (cpu, queries, sizeof *cpu, s_compare);
    printf ("search %-9s n=%zu p50=%.2f ms p99=%.2f ms max=%.2f ms mean hits=%lld"
            " cpu p50=%.2f ms p99=%.2f ms\n", shape, queries, times [queries / 2] / 1e6,
            times [queries * 99 / 100] / 1e6, times [queries - 1] / 1e6,
            hits / (long long) queries, cpu [queries / 2] / 1e6, cpu [queries * 99 / 100] / 1e6);
    free (times);
    free (cpu);
    return 0;
}

//  The documents apply takes at once: the worker's credit (pl_config.h).
#define S_BATCH 256

//  CPU time of this process so far, in seconds.
static double
s_cpu (void)
{
    struct rusage usage;
    getrusage (RUSAGE_SELF, &usage);
    return (double) usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
         + (double) usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

//  Apply OPTIONS->ingest synthetic documents after the cursor of STORE
//  through the worker's handler; print the rate.  0, or -1 when one failed.
static int
s_ingest (archive_store_t *store, const s_options_t *options)
{
    const pl_worker_handler_t *handler = archive_worker_handler ();
    uint64_t cursor = handler->cursor (store);
    pl_delivery_t events [S_BATCH];
    pl_verdict_t verdicts [S_BATCH];
    char ids [S_BATCH][32];
    json_t *payloads [S_BATCH];
    int64_t start = s_now_ns ();
    double cpu = s_cpu ();
    int rc = 0;
    for (size_t done = 0; rc == 0 && done < options->ingest;) {
        size_t count = options->ingest - done < S_BATCH ? options->ingest - done : S_BATCH;
        for (size_t i = 0; i < count; i++) {
            uint64_t seq = cursor + done + i + 1;
            snprintf (ids [i], sizeof ids [i], "ingest-%llu", (unsigned long long) seq);
            //  document indices of one language are those of its remainder
            size_t index = (size_t) seq - 1;
            if (options->language >= 0)
                index = index * BENCH_ARCHIVE_LANGUAGES + (size_t) options->language;
            payloads [i] = bench_archive_document (index, 5000, options->prefix);
            events [i] = (pl_delivery_t) {
                .seq = seq, .topic = "document.released", .event_id = ids [i],
                .payload = payloads [i], .time_ms = 1795000000000LL, .attempt = 1
            };
        }
        rc = handler->apply (store, events, count, verdicts);
        for (size_t i = 0; i < count; i++) {
            if (rc == 0 && !verdicts [i].applied) {
                fprintf (stderr, "pl-bench-search: document %llu rejected: %s\n",
                         (unsigned long long) events [i].seq, verdicts [i].reason);
                rc = -1;
            }
            json_decref (payloads [i]);
        }
        done += count;
    }
    double seconds = (s_now_ns () - start) / 1e9;
    printf ("ingest %zu documents%s%s in process: %.1f s = %.0f documents/s, %.0f us of CPU each\n",
            options->ingest, options->language < 0 ? "" : " in ",
            options->language < 0 ? "" : bench_archive_language ((size_t) options->language),
            seconds, options->ingest / seconds,
            (s_cpu () - cpu) * 1e6 / (double) options->ingest);
    return rc;
}

int
main (int argc, char *argv [])
{
    setvbuf (stdout, NULL, _IOLBF, 0);      //  each result as it comes, also into a file
    s_options_t options = { .role = "secretariat", .prefix = "BENCH", .queries = 200,
                            .language = -1 };
    static const struct option longs [] = {
        { "data",      required_argument, NULL, 'd' },
        { "queries",   required_argument, NULL, 'n' },
        { "role",      required_argument, NULL, 'r' },
        { "shape",     required_argument, NULL, 's' },
        { "prefix",    required_argument, NULL, 'p' },
        { "q",         required_argument, NULL, 'q' },
        { "cold",      no_argument,       NULL, 'c' },
        { "serial",    no_argument,       NULL, '1' },
        { "page-size", required_argument, NULL, 'P' },
        { "slow",      required_argument, NULL, 'S' },
        { "ingest",    required_argument, NULL, 'i' },
        { "language",  required_argument, NULL, 'l' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    while ((opt = getopt_long (argc, argv, "", longs, NULL)) != -1) {
        switch (opt) {
            case 'd': options.data = optarg; break;
            case 'n': options.queries = strtoull (optarg, NULL, 10); break;
            case 'r': options.role = optarg; break;
            case 's': options.shape = optarg; break;
            case 'p': options.prefix = optarg; break;
            case 'q': options.q = optarg; break;
            case 'c': options.cold = 1; break;
            case '1': options.serial = 1; break;
            case 'P': options.page_size = atoi (optarg); break;
            case 'S': options.slow_ms = atoll (optarg); break;
            case 'i': options.ingest = strtoull (optarg, NULL, 10); break;
            case 'l':
                for (options.language = 0; options.language < BENCH_ARCHIVE_LANGUAGES
                     && strcmp (optarg, bench_archive_language ((size_t) options.language));
                     options.language++)
                    ;
                if (options.language == BENCH_ARCHIVE_LANGUAGES) {
                    fprintf (stderr, "pl-bench-search: --language: '%s' is not one of en, fr,"
                             " es, ru, ar, zh\n", optarg);
                    return 2;
                }
                break;
            default:
                fprintf (stderr, "usage: pl-bench-search --data DIR [--queries Q] [--role ROLE]"
                         " [--shape SHAPE | --q WORDS]\n"
                         "       [--prefix LETTERS] [--cold] [--serial] [--page-size N]"
                         " [--slow MS] [--ingest N [--language L]]\n");
                return 2;
        }
    }
    if (!options.data || options.queries == 0) {
        fprintf (stderr, "pl-bench-search: --data DIR (loaded by pl-bench-archive) is required,"
                 " and --queries must be > 0\n");
        return 2;
    }
    char path [1024];
    snprintf (path, sizeof path, "%s/archive", options.data);
    if (options.ingest)
        mkdir (options.data, 0700), mkdir (path, 0700);
    snprintf (path, sizeof path, "%s/archive/archive.db", options.data);
    archive_store_t *store = archive_store_new (path);
    if (!store) {
        fprintf (stderr, "pl-bench-search: cannot open %s\n", path);
        return 1;
    }
    if (options.serial)
        archive_store_parallel (store, -1);
    if (options.ingest && s_ingest (store, &options)) {
        archive_store_destroy (&store);
        return 1;
    }
    //  The first search fills the worker's in-memory rank table: time it apart
    int64_t start = s_now_ns ();
    uint64_t state = 1;
    json_t *args = bench_archive_query ("one-word", 0, &state, options.prefix);
    int status = 200;
    char err [512] = "";
    json_t *reply = archive_worker_handler ()->query (store, "archive.search", args,
                                                      options.role, &status, err, sizeof err);
    printf ("first search (fills the rank table): %.1f ms\n", (s_now_ns () - start) / 1e6);
    json_decref (args);
    json_decref (reply);
    const char *shapes [] = BENCH_ARCHIVE_SHAPES;
    int rc = 0;
    if (options.q)
        rc = s_time_shape (store, "words", &options);
    for (size_t i = 0; !options.q && rc == 0 && i < sizeof shapes / sizeof shapes [0]; i++)
        if (!options.shape || strcmp (options.shape, shapes [i]) == 0)
            rc = s_time_shape (store, shapes [i], &options);
    archive_store_destroy (&store);
    return rc ? 1 : 0;
}

/*  pl_bench_archive — load generator and query timer for the archive worker.

    Publishes N synthetic document.released events (about SIZE bytes of text
    each, in the six UN languages in turn, drawn from small per-language
    vocabularies: half common words, half a long tail) with at most WINDOW unacknowledged, waits for the archive
    group's verdict on the last one and reports the ingest rate (documents
    applied per second, publish of the first to verdict on the last).  Then
    it times Q queries of each shape — one word, two words, a quoted phrase,
    one word with a language, one word with filters (language and symbol
    pattern), words drawn as in the texts — and reports p50 and p99 of each,
    and with --data the size of the archive's database.

    The kill test uses it to load the worker (--publish-only).  Symbols are
    PREFIX/MSP/YEAR/N, unique per index, so a rerun with the same prefix and
    count publishes the same releases again (which the archive leaves
    unchanged).

        pl-bench-archive --count 100000 --size 5000 --data ./var
        pl-bench-archive --count 2000 --publish-only --prefix KILL */
#include "pl_client.h"
#include "pl_config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

//  How long the ingest may take before the bench gives up (an hour).
#define S_INGEST_DEADLINE_NS (3600LL * 1000000000LL)

typedef struct {
    size_t count, size, window, queries;
    char prefix [16];
    char data [512];
    int publish_only;
} s_options_t;

//  Words of each language; Chinese and Japanese-like text is made of
//  characters from its pool without spaces.
static const struct {
    const char *language;
    const char *words [16];
} s_vocabulary [] = {
    { "en", { "meeting", "states", "parties", "convention", "budget", "report", "victim",
              "assistance", "clearance", "cluster", "munitions", "implementation", "support",
              "unit", "decision", "plan" } },
    { "fr", { "réunion", "États", "parties", "convention", "budget", "rapport", "victimes",
              "assistance", "dépollution", "armes", "sous-munitions", "mise", "œuvre",
              "unité", "décision", "plan" } },
    { "es", { "reunión", "Estados", "partes", "convención", "presupuesto", "informe",
              "víctimas", "asistencia", "remoción", "municiones", "racimo", "aplicación",
              "apoyo", "dependencia", "decisión", "plan" } },
    { "ru", { "совещание", "государств", "участников", "конвенции", "бюджет", "доклад",
              "жертвам", "помощь", "разминирование", "кассетные", "боеприпасы",
              "осуществление", "поддержка", "группа", "решение", "план" } },
    { "ar", { "اجتماع", "الدول", "الأطراف", "الاتفاقية", "الميزانية", "تقرير", "الضحايا",
              "المساعدة", "إزالة", "الذخائر", "العنقودية", "تنفيذ", "دعم", "وحدة", "قرار",
              "خطة" } },
    { "zh", { "会议", "缔约国", "公约", "预算", "报告", "受害者", "援助", "清除", "集束", "弹药",
              "执行", "支助股", "决定", "行动", "计划", "工作" } },
};
#define S_LANGUAGES (sizeof s_vocabulary / sizeof s_vocabulary [0])
#define S_WORDS     16

//  Rare words: a common word with a two-letter tail (Latin, Cyrillic,
//  Arabic letters), or for Chinese a pair of characters from a pool of 64,
//  so that the text has a long tail of words as real text does.
static const char *const s_tails [] = {
    "ab", "ec", "id", "og", "ul", "ar", "et", "in", "os", "um", "al", "es", "ir", "on",
    "ur", "an" };
static const char *s_han_pool =
    "安保备编表部参差场成程出处传创达代单导道地点调定动端队对发法方防费分服符负改概"
    "感岗高格个根工公功共构估管规国过海合和核红后湖华化";

static uint64_t s_random (uint64_t *state);

//  A word of LANGUAGE into WORD (64 bytes): half the time one of its 16
//  common words, else a rare one of 256 (16 x 16).  Returns its length.
static size_t
s_word (size_t language, uint64_t *state, char *word)
{
    const char *common = s_vocabulary [language].words [s_random (state) % S_WORDS];
    if (s_random (state) % 2 == 0)
        return (size_t) snprintf (word, 64, "%s", common);
    uint64_t tail = s_random (state) % 16;
    if (strcmp (s_vocabulary [language].language, "zh") == 0) {
        //  two characters of 3 bytes each from the pool of 64
        size_t a = (size_t) (s_random (state) % 64) * 3, b = (size_t) tail * 3;
        memcpy (word, s_han_pool + a, 3);
        memcpy (word + 3, s_han_pool + b, 3);
        word [6] = 0;
        return 6;
    }
    return (size_t) snprintf (word, 64, "%s%s", common, s_tails [tail]);
}

static int64_t
s_now_ns (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (int64_t) now.tv_sec * 1000000000 + now.tv_nsec;
}

//  A deterministic pseudo-random number (xorshift) from *STATE.
static uint64_t
s_random (uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
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
    size_t language = index % S_LANGUAGES;
    uint64_t state = 0x9E3779B97F4A7C15ull ^ (index + 1) * 0xBF58476D1CE4E5B9ull;
    char *text = malloc (options->size + 64);
    if (!text)
        return -1;
    size_t used = 0;
    while (used < options->size) {
        char word [64];
        size_t length = s_word (language, &state, word);
        memcpy (text + used, word, length);
        used += length;
        if (language != S_LANGUAGES - 1 || s_random (&state) % 8 == 0)
            text [used++] = s_random (&state) % 12 ? ' ' : '\n';
    }
    text [used] = 0;
    char symbol [64], title [128];
    snprintf (symbol, sizeof symbol, "%s/MSP/%zu/%zu", options->prefix, 2001 + index / 50000,
              index % 50000 + 1);
    snprintf (title, sizeof title, "Synthetic document %zu", index);
    static const char *distributions [] = { "general", "general", "general", "limited" };
    snprintf (event->topic, sizeof event->topic, "document.released");
    snprintf (event->event_id, sizeof event->event_id, "%s-%zu", options->prefix, index);
    event->payload = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s}", "symbol", symbol,
                                "language", s_vocabulary [language].language, "title", title,
                                "distribution", distributions [index % 4],
                                "dated", "2025-06-01", "text", text);
    free (text);
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
        size_t language = i % S_LANGUAGES;
        char a [64], b [64], q [256];
        s_word (language, &state, a);
        s_word (language, &state, b);
        json_t *args;
        if (strcmp (shape, "two-word") == 0)
            snprintf (q, sizeof q, "%s %s", a, b);
        else
        if (strcmp (shape, "phrase") == 0)
            snprintf (q, sizeof q, "\"%s %s\"", a, b);
        else
            snprintf (q, sizeof q, "%s", a);
        if (strcmp (shape, "filtered") == 0) {
            char pattern [32];
            snprintf (pattern, sizeof pattern, "%s/MSP/2001/1*", options->prefix);
            args = json_pack ("{s:s, s:s, s:s}", "q", q, "language",
                              s_vocabulary [language].language, "symbol", pattern);
        }
        else
        if (strcmp (shape, "language") == 0)
            args = json_pack ("{s:s, s:s}", "q", q, "language",
                              s_vocabulary [language].language);
        else
            args = json_pack ("{s:s}", "q", q);
        int status;
        char err [512];
        int64_t start = s_now_ns ();
        json_t *reply = pl_client_query (client, "archive.search", args, &status, err, sizeof err);
        times [i] = s_now_ns () - start;
        json_decref (args);
        if (!reply) {
            fprintf (stderr, "pl-bench-archive: %s query '%s' failed: %s\n", shape, q, err);
            free (times);
            return -1;
        }
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
    s_options_t options = { .count = 2000, .size = 5000, .window = 500, .queries = 200,
                            .prefix = "BENCH" };
    static const struct option longs [] = {
        { "count",        required_argument, NULL, 'n' },
        { "size",         required_argument, NULL, 's' },
        { "window",       required_argument, NULL, 'w' },
        { "queries",      required_argument, NULL, 'q' },
        { "prefix",       required_argument, NULL, 'p' },
        { "data",         required_argument, NULL, 'd' },
        { "publish-only", no_argument,       NULL, 'o' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    while ((opt = getopt_long (argc, argv, "", longs, NULL)) != -1) {
        switch (opt) {
            case 'n': options.count = strtoull (optarg, NULL, 10); break;
            case 's': options.size = strtoull (optarg, NULL, 10); break;
            case 'w': options.window = strtoull (optarg, NULL, 10); break;
            case 'q': options.queries = strtoull (optarg, NULL, 10); break;
            case 'p': snprintf (options.prefix, sizeof options.prefix, "%s", optarg); break;
            case 'd': snprintf (options.data, sizeof options.data, "%s", optarg); break;
            case 'o': options.publish_only = 1; break;
            default:
                fprintf (stderr, "usage: pl-bench-archive [--count N] [--size BYTES] "
                         "[--window W] [--queries Q] [--prefix LETTERS] [--data DIR] "
                         "[--publish-only]\n");
                return 2;
        }
    }
    if (options.count == 0 || options.window == 0 || options.queries == 0
    ||  options.size == 0 || options.size > 1000000) {
        fprintf (stderr, "pl-bench-archive: count, window, queries must be > 0, size 1..1000000\n");
        return 2;
    }
    pl_config_t config;
    pl_config_defaults (&config);
    pl_config_from_env (&config);
    config.publish_deadline_ms = 60000;
    pl_client_t *client = pl_client_new (&config);
    if (!client)
        return 1;
    s_run_t run = { .options = &options };
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
    printf ("ingest: %zu documents applied in %.2f s = %.0f documents/s\n", options.count,
            (applied - start) / 1e9, options.count / ((applied - start) / 1e9));
    if (*options.data) {
        char path [600];
        snprintf (path, sizeof path, "%s/archive/archive.db", options.data);
        long long bytes = s_file_size (path);
        snprintf (path, sizeof path, "%s/archive/archive.db-wal", options.data);
        bytes += s_file_size (path);
        printf ("archive database: %.1f MB (%.0f bytes per document, text included)\n",
                bytes / 1e6, (double) bytes / options.count);
    }
    const char *shapes [] = { "one-word", "two-word", "phrase", "language", "filtered" };
    for (size_t i = 0; rc == 0 && i < sizeof shapes / sizeof shapes [0]; i++)
        rc = s_time_queries (client, &options, shapes [i]);
    pl_client_destroy (&client);
    return rc ? 1 : 0;
}

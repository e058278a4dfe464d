/*  pl-bench-records — the records worker's apply, in process: no broker,
    no sockets, only what plenary-records does with a batch of events
    (records_worker_handler ()->apply on a store in a fresh folder: every
    rule, the participant's history and version, the cursor, the COMMIT).

    It schedules --meetings meetings and declares --delegations States
    Parties, then applies --count registrations (distinct names, delegations
    and functions in turn, half with an e-mail address) in batches of
    --batch events, and prints events/s and microseconds per event of the
    apply calls alone (building the payloads is left out).  Made for
    profilers: `valgrind --tool=callgrind pl-bench-records --count 5000`
    counts the instructions per event, which a loaded machine does not
    change (`--toggle-collect=s_apply`: the worker's apply alone);
    `perf record -g pl-bench-records` shows where the time goes.

    With --list N it then lists the first meeting a page of N at a time
    (participant.list, as plenary-records answers it on a query thread's
    reader: one read transaction per page) and prints how long the first,
    the middle and the last pages took: a page is read from the last one's
    key, so its time should not grow with how deep in the list it is.

        pl-bench-records [--count N] [--batch N] [--meetings N] [--delegations N]
                         [--list N] [--data DIR] */
#include "records_store.h"
#include "records_worker.h"
#include "pl_schema.h"

#include <getopt.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define S_BATCH_MAX 4096

//  States that may be States Parties (ISO 3166-1 alpha-2, as the rules want)
static const char *s_states [] = {
    "AF", "AL", "DZ", "AD", "AO", "AR", "AM", "AU", "AT", "AZ", "BE", "BJ", "BO", "BA", "BR",
    "BG", "BF", "BI", "CA", "CL", "CO", "CR", "HR", "CY", "CZ", "DK", "EC", "EG", "SV", "EE",
    "FI", "FR", "DE", "GH", "GR", "GT", "HU", "IS", "IE", "IT", "JP", "KE", "LV", "LB", "LT",
    "LU", "MG", "MW", "ML", "MT", "MX", "MZ", "NL", "NZ", "NI", "NE", "NG", "NO", "PA", "PE",
    "PH", "PL", "PT", "RO", "RW", "SN", "SK", "SI", "ZA", "ES", "SE", "CH", "TN", "UG", "GB",
    "UY", "ZM", "ZW"
};
#define S_STATES ((long) (sizeof s_states / sizeof s_states [0]))

static double
s_now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

//  The CPU time (user + system) this process has used, in seconds: what a
//  machine shared with other work does not inflate as it does the clock.
static double
s_cpu (void)
{
    struct rusage usage;
    getrusage (RUSAGE_SELF, &usage);
    return (double) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
         + (double) (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

//  Apply COUNT events (payloads taken) from SEQ.  Returns the seconds the
//  apply took, or -1 on failure or a rejection; adds its CPU seconds to *CPU.
static double
s_apply_batch (const pl_worker_handler_t *handler, records_store_t *store, uint64_t seq,
         size_t count, const char **topics, json_t **payloads, double *cpu)
{
    pl_delivery_t events [S_BATCH_MAX];
    pl_verdict_t verdicts [S_BATCH_MAX];
    int bad = 0;
    for (size_t i = 0; i < count; i++) {
        char err [PL_ERR_MAX];
        if (pl_schema_validate (pl_schema_find (topics [i]), payloads [i], err, sizeof err)) {
            fprintf (stderr, "pl-bench-records: %s\n", err);
            bad = 1;
        }
        events [i] = (pl_delivery_t) {
            .seq = seq + i, .topic = topics [i], .event_id = "bench", .payload = payloads [i],
            .time_ms = 1800000000000LL + (int64_t) (seq + i) / 4, .attempt = 1
        };
    }
    double t = s_now (), c = s_cpu ();
    int rc = bad ? -1 : handler->apply (store, events, count, verdicts);
    t = s_now () - t;
    *cpu += s_cpu () - c;
    for (size_t i = 0; i < count; i++) {
        if (rc == 0 && !verdicts [i].applied) {
            fprintf (stderr, "pl-bench-records: seq %llu rejected: %s\n",
                     (unsigned long long) (seq + i), verdicts [i].reason);
            rc = -1;
        }
        json_decref (payloads [i]);
    }
    return rc ? -1 : t;
}

int
main (int argc, char *argv [])
{
    long count = 100000, batch = 256, meetings = 4, delegations = 50, list = 0;
    const char *data = NULL;
    static const struct option options [] = {
        { "count", required_argument, NULL, 'n' }, { "batch", required_argument, NULL, 'b' },
        { "meetings", required_argument, NULL, 'm' },
        { "delegations", required_argument, NULL, 'g' },
        { "data", required_argument, NULL, 'd' }, { "help", no_argument, NULL, 'h' },
        { "list", required_argument, NULL, 'l' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1) {
        long *target = option == 'n' ? &count : option == 'b' ? &batch
                     : option == 'm' ? &meetings : option == 'g' ? &delegations
                     : option == 'l' ? &list : NULL;
        if (target) {
            char *end;
            *target = strtol (optarg, &end, 10);
            if (*end || *target < 1) {
                fprintf (stderr, "pl-bench-records: want a positive number, not '%s'\n",
                         optarg);
                return 2;
            }
        }
        else
        if (option == 'd')
            data = optarg;
        else {
            printf ("usage: pl-bench-records [--count N] [--batch N] [--meetings N] "
                    "[--delegations N] [--list N] [--data DIR]\n");
            return option == 'h' ? 0 : 2;
        }
    }
    if (batch > S_BATCH_MAX || delegations > S_STATES) {
        fprintf (stderr, "pl-bench-records: --batch at most %d, --delegations at most %ld\n",
                 S_BATCH_MAX, S_STATES);
        return 2;
    }
    setenv ("PLENARY_LOG", "warn", 0);
    sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);        //  as plenary-records does
    char dir [256], path [300];
    snprintf (dir, sizeof dir, "%s/pl-bench-records.XXXXXX", data ? data : "/tmp");
    if (!mkdtemp (dir)) {
        perror ("pl-bench-records: mkdtemp");
        return 1;
    }
    snprintf (path, sizeof path, "%s/records.db", dir);
    records_store_t *store = records_store_new (path);
    const pl_worker_handler_t *handler = records_worker_handler ();
    int rc = store ? 0 : 1;
    uint64_t seq = 1;
    double cpu = 0;
    //  the meetings and the States Parties
    const char *topics [S_BATCH_MAX];
    json_t *payloads [S_BATCH_MAX];
    for (long i = 0; rc == 0 && i < meetings; i++) {
        char id [32];
        snprintf (id, sizeof id, "bench%ld", i);
        topics [0] = "meeting.scheduled";
        payloads [0] = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", id,
                                  "convention", "CCM", "kind", "msp", "title", "Bench",
                                  "venue", "Geneva", "tz", "Europe/Zurich",
                                  "start", "2030-09-09", "end", "2030-09-12");
        rc = s_apply_batch (handler, store, seq++, 1, topics, payloads, &cpu) < 0;
    }
    for (long i = 0; rc == 0 && i < delegations; i++) {
        const char *code = s_states [i];
        topics [0] = "delegation.declared";
        payloads [0] = json_pack ("{s:s, s:s, s:s}", "convention", "CCM", "code", code,
                                  "status", "state-party");
        rc = s_apply_batch (handler, store, seq++, 1, topics, payloads, &cpu) < 0;
    }
    static const char *functions [] = { "head", "alternate", "adviser", "expert", "expert" };
    double seconds = 0;
    cpu = 0;
    for (long done = 0; rc == 0 && done < count; ) {
        size_t size = (size_t) (count - done < batch ? count - done : batch);
        for (size_t i = 0; i < size; i++) {
            long n = done + (long) i;
            char meeting [32], family [32];
            const char *code = s_states [n % delegations];
            snprintf (meeting, sizeof meeting, "bench%ld", n % meetings);
            snprintf (family, sizeof family, "Family%ld", n);
            topics [i] = "participant.registered";
            payloads [i] = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s}", "meeting", meeting,
                                      "family_name", family, "given_name", "Given",
                                      "delegation", code, "function", functions [n % 5],
                                      "gender", n % 2 ? "f" : "m");
            if (n % 2) {
                char email [64];
                snprintf (email, sizeof email, "person%ld@example.org", n);
                json_object_set_new (payloads [i], "email", json_string (email));
            }
        }
        double t = s_apply_batch (handler, store, seq, size, topics, payloads, &cpu);
        if (t < 0)
            rc = 1;
        seconds += t;
        seq += size;
        done += (long) size;
    }
    if (rc == 0)
        printf ("applied %ld registrations in batches of %ld (%ld meetings, %ld delegations): "
                "%.0f events/s, %.1f us per event; CPU %.1f us per event (%.0f events/s "
                "of CPU)\n", count, batch, meetings, delegations, (double) count / seconds,
                seconds / (double) count * 1e6, cpu / (double) count * 1e6,
                (double) count / cpu);
    if (rc == 0 && list) {
        records_store_t *reader = records_store_reader (store);
        json_t *args = json_pack ("{s:s, s:I}", "meeting", "bench0", "limit", (json_int_t) list);
        double first = 0, middle = 0, last = 0, total = 0;
        size_t pages = 0, listed = 0, expected = (size_t) ((count + meetings - 1) / meetings);
        while (reader && args) {
            int status = 0;
            char err [PL_ERR_MAX];
            double t = s_now ();
            sqlite3_exec (records_store_db (reader), "BEGIN", NULL, NULL, NULL);
            json_t *reply = handler->query (reader, "participant.list", args, "secretariat",
                                            &status, err, sizeof err);
            sqlite3_exec (records_store_db (reader), "COMMIT", NULL, NULL, NULL);
            t = s_now () - t;
            if (!reply) {
                fprintf (stderr, "pl-bench-records: participant.list: %s\n", err);
                rc = 1;
                break;
            }
            listed += json_array_size (json_object_get (reply, "items"));
            first = pages == 0 ? t : first;
            middle = listed <= expected / 2 ? t : middle;
            last = t;
            total += t;
            pages++;
            json_t *next = json_object_get (reply, "next");
            if (next)
                json_object_set (args, "after", next);
            json_decref (reply);
            if (!next)
                break;
        }
        json_decref (args);
        records_store_destroy (&reader);
        if (rc == 0 && listed != expected) {
            fprintf (stderr, "pl-bench-records: listed %zu of %zu\n", listed, expected);
            rc = 1;
        }
        if (rc == 0)
            printf ("listed %zu participants of one meeting in %zu pages of %ld: %.0f ms in "
                    "all; first page %.1f ms, middle %.1f ms, last %.1f ms\n", listed, pages,
                    list, total * 1000, first * 1000, middle * 1000, last * 1000);
    }
    records_store_destroy (&store);
    const char *suffixes [] = { "", "-wal", "-shm" };
    for (int i = 0; i < 3; i++) {
        char file [320];
        snprintf (file, sizeof file, "%s%s", path, suffixes [i]);
        unlink (file);
    }
    rmdir (dir);
    return rc;
}

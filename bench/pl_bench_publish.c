/*  pl_bench_publish — load generator for the broker and the records worker.

    Publishes N participant.registered events (to a meeting it schedules
    first) over one DEALER with at most K unacknowledged, at full speed or at
    a fixed rate, and measures for every event:
      publish -> ack      (the broker's ACK: the event is durable)
      publish -> applied  (a group's verdict, seen on the PUB socket as
                           $verdict.GROUP: records by default, --group
                           calendar to time a follower of records)
    and reports throughput and p50/p99/p99.9 of both, plus the broker's
    resident and peak memory when --broker-pid is given.  It speaks PLC01
    directly (docs/protocol.md) so that each timestamp is the real send and
    receive time of one message; it packs events as the client library does
    (--pack: a quarter of the window per PUBLISH_MANY, or 1 for one PUBLISH
    per event), and an event's times are its message's.

        pl-bench-publish --count 100000 --window 1000
        pl-bench-publish --count 50000 --window 1000 --rate 10000 --json */
#include "bench_stats.h"
#include "pl_client.h"
#include "pl_codec.h"
#include "pl_config.h"
#include "pl_keys.h"
#include "pl_proto.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    size_t count;
    size_t window;
    double rate;                //  events per second, 0 = as fast as possible
    char meeting [64];
    int json;
    int broker_pid;
    int ack_only;               //  no worker runs: measure publish->ack alone
    char group [PL_GROUP_MAX + 1];  //  whose verdicts count as "applied"
    size_t pack;                //  events per message: 1 PUBLISH, more PUBLISH_MANY
} s_options_t;

typedef struct {
    int64_t *sent_ns;           //  per index
    int64_t *acked_ns;          //  per index, 0 until ACK
    uint64_t *seq;              //  per index
    uint64_t *hash_seq;         //  open addressing: seq -> applied time
    int64_t *hash_ns;
    size_t hash_size;
} s_times_t;

static void
s_applied_put (s_times_t *times, uint64_t seq, int64_t ns)
{
    size_t slot = (size_t) (seq * 11400714819323198485ull) % times->hash_size;
    while (times->hash_seq [slot] && times->hash_seq [slot] != seq)
        slot = (slot + 1) % times->hash_size;
    if (!times->hash_seq [slot]) {
        times->hash_seq [slot] = seq;
        times->hash_ns [slot] = ns;
    }
}

static int64_t
s_applied_get (s_times_t *times, uint64_t seq)
{
    size_t slot = (size_t) (seq * 11400714819323198485ull) % times->hash_size;
    while (times->hash_seq [slot]) {
        if (times->hash_seq [slot] == seq)
            return times->hash_ns [slot];
        slot = (slot + 1) % times->hash_size;
    }
    return 0;
}

static long
s_proc_kb (int pid, const char *field)
{
    char path [64], line [256];
    snprintf (path, sizeof path, "/proc/%d/status", pid);
    FILE *file = fopen (path, "r");
    long kb = -1;
    size_t length = strlen (field);
    while (file && fgets (line, sizeof line, file))
        if (strncmp (line, field, length) == 0 && line [length] == ':')
            kb = strtol (line + length + 1, NULL, 10);
    if (file)
        fclose (file);
    return kb;
}

static int
s_schedule_meeting (const pl_config_t *config, const char *meeting)
{
    pl_client_t *client = pl_client_new (config);
    if (!client)
        return -1;
    json_t *payload = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
        "id", meeting, "convention", "CCM", "kind", "msp",
        "title", "Benchmark Meeting of States Parties", "venue", "Geneva",
        "tz", "Europe/Zurich", "start", "2035-09-03", "end", "2035-09-07");
    pl_ack_t ack;
    int status;
    char err [PL_ERR_MAX], verdict [16], reason [PL_REASON_MAX];
    int rc = pl_client_publish (client, "meeting.scheduled", NULL, payload, &ack,
                                &status, err, sizeof err);
    json_decref (payload);
    if (rc == 0)
        rc = pl_client_receipt (client, ack.seq, "records", 30000, verdict, sizeof verdict,
                                reason, sizeof reason, &status, err, sizeof err);
    if (rc == 0 && strcmp (verdict, "applied")) {
        fprintf (stderr, "pl-bench-publish: scheduling %s: %s: %s\n", meeting, verdict, reason);
        rc = -1;
    }
    else
    if (rc)
        fprintf (stderr, "pl-bench-publish: scheduling %s: %s\n", meeting, err);
    pl_client_destroy (&client);
    return rc;
}

//  Encode registration INDEX; the caller frees *DATA_P.
static int
s_encode (const s_options_t *options, size_t index, void **data_p, size_t *size_p)
{
    char family [32], email [64];
    snprintf (family, sizeof family, "Bench-%zu", index);
    snprintf (email, sizeof email, "bench.%zu@example.org", index);
    json_t *payload = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
        "meeting", options->meeting, "family_name", family, "given_name", "Ана",
        "delegation", index % 3 ? "SE" : "JP", "email", email,
        "function", index % 10 ? "adviser" : "head", "sponsored", (int) (index % 7 == 0));
    char err [PL_ERR_MAX];
    int rc = pl_codec_encode ("participant.registered", payload, data_p, size_p,
                              err, sizeof err);
    json_decref (payload);
    if (rc)
        fprintf (stderr, "pl-bench-publish: %s\n", err);
    return rc;
}

static void
s_usage (FILE *out)
{
    fprintf (out,
        "usage: pl-bench-publish --count N [--window K] [--pack P] [--rate R] [--meeting ID]\n"
        "                        [--broker-pid PID] [--ack-only] [--group G] [--json]\n"
        "Publishes N participant registrations with at most K in flight (default 1000),\n"
        "at R events/s (default: as fast as possible), and reports throughput and\n"
        "latency percentiles of publish->ack and publish->applied.  Addresses come\n"
        "from PLENARY_ENDPOINT and PLENARY_PUB.  --ack-only: no worker is running;\n"
        "measure the broker's publish->ack alone (the meeting is not scheduled).\n"
        "--group G: 'applied' is group G's verdict (default records; calendar follows\n"
        "records, so its latency includes waiting for records' verdict).\n"
        "--pack P: events per message, as the client library packs them: by default\n"
        "a quarter of the window (at most 1024) in one PUBLISH_MANY; --pack 1 sends\n"
        "each event as its own PUBLISH (the way to compare with builds before\n"
        "PUBLISH_MANY).  At a fixed rate a pack holds the events due together.\n");
}

int
main (int argc, char **argv)
{
    s_options_t options = { .window = 1000 };
    snprintf (options.meeting, sizeof options.meeting, "bench-%d", (int) getpid ());
    snprintf (options.group, sizeof options.group, "records");
    static const struct option longs [] = {
        { "count",      required_argument, NULL, 'n' },
        { "window",     required_argument, NULL, 'w' },
        { "pack",       required_argument, NULL, 'P' },
        { "rate",       required_argument, NULL, 'r' },
        { "meeting",    required_argument, NULL, 'm' },
        { "broker-pid", required_argument, NULL, 'p' },
        { "json",       no_argument,       NULL, 'j' },
        { "ack-only",   no_argument,       NULL, 'a' },
        { "group",      required_argument, NULL, 'g' },
        { "help",       no_argument,       NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    while ((opt = getopt_long (argc, argv, "", longs, NULL)) != -1) {
        switch (opt) {
            case 'n': options.count = strtoull (optarg, NULL, 10); break;
            case 'w': options.window = strtoull (optarg, NULL, 10); break;
            case 'P': options.pack = strtoull (optarg, NULL, 10); break;
            case 'r': options.rate = strtod (optarg, NULL); break;
            case 'm': snprintf (options.meeting, sizeof options.meeting, "%s", optarg); break;
            case 'p': options.broker_pid = atoi (optarg); break;
            case 'j': options.json = 1; break;
            case 'a': options.ack_only = 1; break;
            case 'g':
                if (!pl_group_valid (optarg)) {
                    s_usage (stderr);
                    return 2;
                }
                snprintf (options.group, sizeof options.group, "%s", optarg);
                break;
            case 'h': s_usage (stdout); return 0;
            default:  s_usage (stderr); return 2;
        }
    }
    if (options.count == 0 || options.window == 0 || options.pack > PL_MANY_MAX) {
        s_usage (stderr);
        return 2;
    }
    if (options.pack == 0)
        options.pack = options.window / 4 > PL_MANY_MAX ? PL_MANY_MAX
                     : options.window / 4 > 1 ? options.window / 4 : 1;
    zsys_handler_set (NULL);
    pl_config_t config;
    pl_config_defaults (&config);
    pl_config_from_env (&config);
    if (!options.ack_only && s_schedule_meeting (&config, options.meeting))
        return 1;

    s_times_t times = { .hash_size = options.count * 2 + 1 };
    times.sent_ns = calloc (options.count, sizeof (int64_t));
    times.acked_ns = calloc (options.count, sizeof (int64_t));
    times.seq = calloc (options.count, sizeof (uint64_t));
    times.hash_seq = calloc (times.hash_size, sizeof (uint64_t));
    times.hash_ns = calloc (times.hash_size, sizeof (int64_t));
    //  With PLENARY_CERT both sockets show the key (a broker with keys)
    char err [600] = "";
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    zsock_t *sub = zsock_new (ZMQ_SUB);
    if (dealer && *config.cert && pl_key_client_file (config.cert, dealer, err, sizeof err))
        zsock_destroy (&dealer);
    if (sub && *config.cert && pl_key_client_file (config.cert, sub, err, sizeof err))
        zsock_destroy (&sub);
    if (!times.sent_ns || !times.acked_ns || !times.seq || !times.hash_seq
    ||  !times.hash_ns || !dealer || !sub) {
        fprintf (stderr, "pl-bench-publish: cannot set up (memory or sockets) %s\n", err);
        return 1;
    }
    zsock_set_rcvhwm (sub, 0);
    zsock_set_sndhwm (dealer, 0);
    zsock_set_rcvhwm (dealer, 0);
    char verdicts [PL_GROUP_MAX + 16];
    snprintf (verdicts, sizeof verdicts, "$verdict.%s", options.group);
    zsock_set_subscribe (sub, verdicts);
    zsock_connect (sub, "%s", config.pub);
    zsock_connect (dealer, "%s", config.endpoint);
    zpoller_t *poller = zpoller_new (dealer, sub, NULL);

    size_t sent = 0, acked = 0, applied = 0, errors = 0, event_bytes = 0;
    int64_t start = bench_now_ns ();
    int64_t last_progress = start;
    double interval_ns = options.rate > 0 ? 1e9 / options.rate : 0;
    size_t *done = options.ack_only ? &acked : &applied;
    while (*done < options.count && bench_now_ns () - last_progress < 30000000000LL) {
        int64_t now = bench_now_ns ();
        while (sent < options.count && sent - acked - errors < options.window
               && (interval_ns == 0 || now - start >= (int64_t) (sent * interval_ns))) {
            //  The events due now that fit the window, up to a pack
            size_t room = options.window - (sent - acked - errors), n = 0;
            while (n < room && n < options.pack && sent + n < options.count
                   && (interval_ns == 0 || now - start >= (int64_t) ((sent + n) * interval_ns)))
                n++;
            void *data [PL_MANY_MAX];
            size_t size [PL_MANY_MAX], bytes = 4;
            char event_id [PL_MANY_MAX][96];
            for (size_t i = 0; i < n; i++) {
                if (s_encode (&options, sent + i, &data [i], &size [i]))
                    return 1;
                snprintf (event_id [i], sizeof event_id [i], "%s-%zu", options.meeting, sent + i);
                bytes += pl_many_size (strlen ("participant.registered"),
                                       strlen (event_id [i]), size [i]);
                event_bytes += strlen ("participant.registered") + strlen (event_id [i]) + size [i];
            }
            char corr [48];
            zmsg_t *msg = zmsg_new ();
            zmsg_addstr (msg, PL_PROTO_CLIENT);
            if (options.pack == 1) {
                snprintf (corr, sizeof corr, "%zu", sent);
                pl_frame_put_byte (msg, PL_C_PUBLISH);
                zmsg_addstr (msg, corr);
                zmsg_addstr (msg, "participant.registered");
                zmsg_addstr (msg, event_id [0]);
                zmsg_addmem (msg, data [0], size [0]);
            }
            else {
                snprintf (corr, sizeof corr, "p%zu.%zu", sent, n);
                pl_frame_put_byte (msg, PL_C_PUBLISH_MANY);
                zmsg_addstr (msg, corr);
                zframe_t *events = zframe_new (NULL, bytes);
                uint8_t *at = zframe_data (events);
                for (int shift = 24; shift >= 0; shift -= 8)
                    *at++ = (uint8_t) (n >> shift);
                for (size_t i = 0; i < n; i++)
                    at += pl_many_put (at, "participant.registered", event_id [i], data [i], size [i]);
                zmsg_append (msg, &events);
            }
            for (size_t i = 0; i < n; i++)
                free (data [i]);
            int64_t at = bench_now_ns ();
            for (size_t i = 0; i < n; i++)
                times.sent_ns [sent++] = at;
            zmsg_send (&msg, dealer);
            now = bench_now_ns ();
        }
        //  At a fixed rate, sleep until the next event is due, at least 1 ms:
        //  events due within the same millisecond leave together, so the
        //  generator never spins a core that the broker and worker need.
        int wait_ms = 10;
        if (interval_ns > 0 && sent < options.count) {
            int64_t due = start + (int64_t) (sent * interval_ns) - bench_now_ns ();
            wait_ms = due <= 0 ? 0 : (int) ((due + 999999) / 1000000);
        }
        void *which = zpoller_wait (poller, wait_ms);
        if (which == dealer) {
            while (zsock_events (dealer) & ZMQ_POLLIN) {
                zmsg_t *msg = zmsg_recv (dealer);
                if (!msg)
                    break;
                int64_t at = bench_now_ns ();
                zmsg_first (msg);
                zframe_t *command = zmsg_next (msg);
                char *corr = zframe_strdup (zmsg_next (msg));
                uint8_t code = 0;
                pl_frame_get_byte (command, &code);
                if (corr && corr [0] == 'p' && code == PL_C_ACKS) {
                    //  One result per event of the pack, in order
                    size_t first = strtoull (corr + 1, NULL, 10);
                    zframe_t *results = zmsg_next (msg);
                    size_t n = results ? zframe_size (results) / PL_ACKS_RECORD : 0;
                    const uint8_t *record = results ? zframe_data (results) : NULL;
                    for (size_t i = 0; i < n && first + i < options.count; i++) {
                        const uint8_t *r = record + i * PL_ACKS_RECORD;
                        if ((r [0] << 8 | r [1]) == PL_OK) {
                            uint64_t seq = 0;
                            for (int byte = 2; byte < 10; byte++)
                                seq = seq << 8 | r [byte];
                            times.seq [first + i] = seq;
                            times.acked_ns [first + i] = at;
                            acked++;
                            last_progress = at;
                        }
                        else {
                            errors++;
                            char *reason = zframe_strdup (zmsg_next (msg));
                            fprintf (stderr, "pl-bench-publish: event %zu: %d %s\n", first + i,
                                     r [0] << 8 | r [1], reason ? reason : "");
                            free (reason);
                        }
                    }
                    free (corr);
                    zmsg_destroy (&msg);
                    continue;
                }
                size_t index = corr && corr [0] != 'p' ? strtoull (corr, NULL, 10) : options.count;
                if (index < options.count && code == PL_C_ACK
                &&  pl_frame_get_u64 (zmsg_next (msg), &times.seq [index]) == 0) {
                    times.acked_ns [index] = at;
                    acked++;
                    last_progress = at;
                }
                else {
                    errors += corr && corr [0] == 'p' ? strtoull (strchr (corr, '.') + 1, NULL, 10) : 1;
                    zframe_t *text = zmsg_last (msg);
                    char *reason = text ? zframe_strdup (text) : NULL;
                    fprintf (stderr, "pl-bench-publish: event %s: %s\n", corr ? corr : "?",
                             reason ? reason : "malformed reply");
                    free (reason);
                }
                free (corr);
                zmsg_destroy (&msg);
            }
        }
        else
        if (which == sub) {
            while (zsock_events (sub) & ZMQ_POLLIN) {
                zmsg_t *msg = zmsg_recv (sub);
                if (!msg)
                    break;
                zmsg_first (msg);
                uint64_t seq;
                if (pl_frame_get_u64 (zmsg_next (msg), &seq) == 0) {
                    s_applied_put (&times, seq, bench_now_ns ());
                    applied++;
                    last_progress = bench_now_ns ();
                }
                zmsg_destroy (&msg);
            }
        }
        if (errors > 0 && acked + errors == options.count)
            break;
    }
    int64_t end = bench_now_ns ();

    //  Latencies in milliseconds, over the events whose times are known.
    double *ack_ms = calloc (options.count, sizeof (double));
    double *applied_ms = calloc (options.count, sizeof (double));
    size_t n_ack = 0, n_applied = 0;
    int64_t last_ack = start, last_applied = start;
    for (size_t i = 0; i < options.count; i++) {
        if (!times.acked_ns [i])
            continue;
        ack_ms [n_ack++] = (double) (times.acked_ns [i] - times.sent_ns [i]) / 1e6;
        if (times.acked_ns [i] > last_ack)
            last_ack = times.acked_ns [i];
        int64_t at = s_applied_get (&times, times.seq [i]);
        if (at) {
            applied_ms [n_applied++] = (double) (at - times.sent_ns [i]) / 1e6;
            if (at > last_applied)
                last_applied = at;
        }
    }
    qsort (ack_ms, n_ack, sizeof (double), bench_compare);
    qsort (applied_ms, n_applied, sizeof (double), bench_compare);
    double ack_rate = n_ack ? n_ack / ((double) (last_ack - start) / 1e9) : 0;
    double applied_rate = n_applied ? n_applied / ((double) (last_applied - start) / 1e9) : 0;
    long rss = options.broker_pid ? s_proc_kb (options.broker_pid, "VmRSS") : -1;
    long hwm = options.broker_pid ? s_proc_kb (options.broker_pid, "VmHWM") : -1;
    if (options.json)
        printf ("{\"count\":%zu,\"window\":%zu,\"pack\":%zu,\"rate\":%.0f,\"acked\":%zu,\"applied\":%zu,"
                "\"errors\":%zu,\"seconds\":%.3f,\"ack_per_s\":%.0f,\"applied_per_s\":%.0f,"
                "\"ack_ms\":{\"p50\":%.3f,\"p99\":%.3f,\"p999\":%.3f},"
                "\"applied_ms\":{\"p50\":%.3f,\"p99\":%.3f,\"p999\":%.3f},"
                "\"broker_rss_kb\":%ld,\"broker_hwm_kb\":%ld,\"event_bytes\":%zu}\n",
                options.count, options.window, options.pack, options.rate, n_ack, n_applied, errors,
                (double) (end - start) / 1e9, ack_rate, applied_rate,
                bench_percentile (ack_ms, n_ack, 50), bench_percentile (ack_ms, n_ack, 99),
                bench_percentile (ack_ms, n_ack, 99.9), bench_percentile (applied_ms, n_applied, 50),
                bench_percentile (applied_ms, n_applied, 99), bench_percentile (applied_ms, n_applied, 99.9),
                rss, hwm, sent ? event_bytes / sent : 0);
    else {
        printf ("events %zu, window %zu, pack %zu, rate %s\n", options.count, options.window,
                options.pack,
                options.rate > 0 ? "fixed" : "full speed");
        if (options.rate > 0)
            printf ("target rate        %.0f events/s\n", options.rate);
        printf ("acknowledged       %zu (%zu errors), %.0f events/s\n", n_ack, errors, ack_rate);
        printf ("applied            %zu, %.0f events/s\n", n_applied, applied_rate);
        printf ("publish->ack ms    p50 %.3f  p99 %.3f  p99.9 %.3f\n",
                bench_percentile (ack_ms, n_ack, 50), bench_percentile (ack_ms, n_ack, 99),
                bench_percentile (ack_ms, n_ack, 99.9));
        printf ("publish->applied ms p50 %.3f  p99 %.3f  p99.9 %.3f\n",
                bench_percentile (applied_ms, n_applied, 50), bench_percentile (applied_ms, n_applied, 99),
                bench_percentile (applied_ms, n_applied, 99.9));
        if (options.broker_pid)
            printf ("broker memory      rss %ld kB, peak %ld kB\n", rss, hwm);
    }
    zpoller_destroy (&poller);
    zsock_destroy (&dealer);
    zsock_destroy (&sub);
    free (ack_ms);
    free (applied_ms);
    free (times.sent_ns);
    free (times.acked_ns);
    free (times.seq);
    free (times.hash_seq);
    free (times.hash_ns);
    return n_ack == options.count && (options.ack_only || n_applied == options.count) ? 0 : 1;
}

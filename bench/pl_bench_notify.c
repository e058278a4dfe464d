/*  pl_bench_notify — how fast plenary-notify writes messages and hands them
    to the relay, and how long an event takes to become a message.

    --render N    in process: the notify worker applies a meeting, a session
                  and a registration, then the sender's render
                  (notify_sender_render: template, links, MIME, and the iTIP
                  part of a session move) runs N times per kind; messages
                  rendered per second.
    --apply N     in process: N registrations to one delegation with a
                  focal point applied by the worker's handler in batches of
                  256, as the engine hands them; each batch's time is what
                  it holds the loop that answers heartbeats for (the
                  longest, and the mean per registration), then a session
                  move to all N (one event, N iTIP messages).
    --count N     end to end, against a running system (PLENARY_ENDPOINT)
                  with plenary-notify and a relay that logs each arrival
                  (tests/notify_smtpd.py --log FILE, given as --arrivals
                  FILE): N registrations each with an e-mail address, so N
                  messages; with --rate 0 as fast as the broker takes them
                  (messages handed to the relay per second, first publish to
                  last arrival), with --rate R at a steady R per second
                  (delay from publish to arrival at the relay: p50, p99,
                  max).

        pl-bench-notify --render 5000
        pl-bench-notify --apply 10000
        pl-bench-notify --count 2000 --arrivals /tmp/arrivals
        pl-bench-notify --count 600 --rate 20 --arrivals /tmp/arrivals */
#include "notify_sender.h"
#include "notify_store.h"
#include "notify_template.h"
#include "notify_worker.h"
#include "pl_client.h"
#include "pl_config.h"
#include "pl_mailkey.h"
#include "pl_proto.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define S_ARRIVAL_WAIT_MS 120000    //  the relay must have every message by then

static int
s_compare (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static double
s_percentile (const double *sorted, size_t n, double p)
{
    size_t index = (size_t) (p / 100.0 * (double) (n - 1) + 0.5);
    return n ? sorted [index < n ? index : n - 1] : 0;
}

//  Apply TOPIC with JSON through the worker's handler as seq SEQ.
static int
s_apply (notify_worker_t *worker, uint64_t seq, const char *topic, const char *json)
{
    json_t *payload = json_loads (json, 0, NULL);
    pl_delivery_t event = { seq, topic, "bench", payload, pl_time_ms (), 1, NULL, NULL, NULL };
    pl_verdict_t verdict;
    int rc = payload ? notify_worker_handler ()->apply (worker, &event, 1, &verdict) : -1;
    json_decref (payload);
    return rc || !verdict.applied ? -1 : 0;
}

//  Meeting ccm-msp13 (seq 1) and its session s1 (seq 2), in French.
static int
s_meeting (notify_worker_t *worker)
{
    return s_apply (worker, 1, "meeting.scheduled", "{\"id\":\"ccm-msp13\",\"convention\":"
                    "\"CCM\",\"kind\":\"msp\",\"title\":\"Réunion des États parties\","
                    "\"venue\":\"Genève\",\"tz\":\"Europe/Zurich\",\"start\":\"2030-09-15\","
                    "\"end\":\"2030-09-18\"}")
        || s_apply (worker, 2, "session.scheduled", "{\"meeting\":\"ccm-msp13\",\"id\":\"s1\","
                    "\"title\":\"Séance d'ouverture\",\"start\":\"2030-09-15T10:00\","
                    "\"end\":\"2030-09-15T13:00\",\"room\":\"Salle XIX\"}");
}

//  A notify worker in process over a database in a folder of its own.
typedef struct {
    char dir [64];
    notify_config_t config;
    uint8_t key [PL_MAILKEY_BYTES];
    notify_store_t *store;
    notify_worker_t *worker;
} s_bench_t;

//  Open SELF's worker, store (checkpoints left elsewhere, as
//  plenary-notify's) and mail key.  0, or -1 (said on stderr).
static int
s_bench_open (s_bench_t *self)
{
    char path [128], err [512];
    snprintf (self->dir, sizeof self->dir, "/tmp/pl_bench_notify.XXXXXX");
    if (!mkdtemp (self->dir))
        return -1;
    snprintf (path, sizeof path, "%s/notify.db", self->dir);
    notify_config_defaults (&self->config);
    snprintf (self->config.smtp, sizeof self->config.smtp, "smtp://127.0.0.1:25");
    snprintf (self->config.from, sizeof self->config.from, "isu@ccm.example.org");
    snprintf (self->config.public_url, sizeof self->config.public_url,
              "https://plenary.example.org");
    self->store = notify_store_new (path);
    if (!self->store || notify_store_checkpoints_elsewhere (self->store)
    ||  pl_mailkey_load (self->dir, self->key, err, sizeof err)
    ||  !(self->worker = notify_worker_new (self->store, &self->config, self->key, NULL, NULL))) {
        fprintf (stderr, "pl-bench-notify: cannot open a notify store in %s\n", self->dir);
        return -1;
    }
    return 0;
}

//  Close and remove what s_bench_open made.
static void
s_bench_close (s_bench_t *self)
{
    notify_worker_destroy (&self->worker);
    notify_store_destroy (&self->store);
    char command [160];
    snprintf (command, sizeof command, "rm -rf '%s'", self->dir);
    if (system (command))
        fprintf (stderr, "pl-bench-notify: could not remove %s\n", self->dir);
}

//  --render N: the render alone, in process.
static int
s_render (size_t count, const char *templates)
{
    char err [1024];
    s_bench_t bench;
    notify_templates_t *loaded = notify_templates_load (templates, err, sizeof err);
    if (!loaded)
        fprintf (stderr, "pl-bench-notify: %s\n", err);
    if (!loaded || s_bench_open (&bench))
        return 1;
    notify_config_t config = bench.config;
    notify_store_t *store = bench.store;
    notify_worker_t *worker = bench.worker;
    const uint8_t *key = bench.key;
    int rc = s_meeting (worker)
          || s_apply (worker, 3, "participant.registered", "{\"meeting\":\"ccm-msp13\","
                      "\"family_name\":\"Dupont\",\"given_name\":\"Marie\",\"delegation\":\"FR\","
                      "\"email\":\"marie@example.fr\",\"language\":\"fr\"}")
          || s_apply (worker, 4, "session.moved", "{\"meeting\":\"ccm-msp13\",\"id\":\"s1\","
                      "\"start\":\"2030-09-15T15:00\",\"end\":\"2030-09-15T18:00\"}");
    json_t *messages [2] = { NULL, NULL };
    for (int i = 0; rc == 0 && i < 2; i++) {
        rc = notify_store_outbox_next (store, INT64_MAX / 2, &messages [i]) == 1 ? 0 : -1;
        if (rc == 0)
            notify_store_outbox_sent (store, json_integer_value (json_object_get (messages [i], "id")),
                                      pl_time_ms ());
    }
    notify_render_t render = { &config, key, loaded, store };
    for (int i = 0; rc == 0 && i < 2; i++) {
        size_t bytes = 0;
        int64_t start = pl_mono_ms ();
        for (size_t n = 0; rc == 0 && n < count; n++) {
            char *mime = NULL;
            rc = notify_sender_render (&render, messages [i], pl_time_ms (), &mime, err, sizeof err);
            bytes += mime ? strlen (mime) : 0;
            free (mime);
        }
        double seconds = (double) (pl_mono_ms () - start) / 1000.0;
        printf ("render %-24s %zu messages in %.2f s: %.0f messages/s, %.1f KB each\n",
                json_string_value (json_object_get (messages [i], "kind")), count, seconds,
                seconds > 0 ? (double) count / seconds : 0.0, (double) bytes / (double) count / 1000.0);
    }
    if (rc)
        fprintf (stderr, "pl-bench-notify: render failed: %s\n", err);
    json_decref (messages [0]);
    json_decref (messages [1]);
    s_bench_close (&bench);
    notify_templates_destroy (&loaded);
    return rc ? 1 : 0;
}

//  --apply N: what one batch holds the worker's loop for, in process: N
//  registrations to one delegation with a focal point, in batches of the
//  engine's credit (256), each registration two messages into the outbox;
//  then a session move to all of them (one event, N iTIP messages).  The
//  longest batch and the move must stay well inside the broker's liveness
//  (3 s), or the worker is declared dead.
static int
s_apply_batches (size_t count)
{
    enum { S_CREDIT = 256 };
    s_bench_t bench;
    if (s_bench_open (&bench))
        return 1;
    notify_worker_t *worker = bench.worker;
    int rc = s_meeting (worker)
          || s_apply (worker, 3, "participant.registered", "{\"meeting\":\"ccm-msp13\","
                      "\"family_name\":\"Focal\",\"delegation\":\"FR\",\"focal_point\":true,"
                      "\"email\":\"focal@example.org\"}");
    pl_delivery_t *events = calloc (S_CREDIT, sizeof *events);
    pl_verdict_t *verdicts = calloc (S_CREDIT, sizeof *verdicts);
    json_t **payloads = calloc (S_CREDIT, sizeof *payloads);
    double longest = 0, total = 0;
    uint64_t seq = 4;
    for (size_t done = 0; rc == 0 && events && verdicts && payloads && done < count; ) {
        size_t n = count - done < S_CREDIT ? count - done : S_CREDIT;
        for (size_t i = 0; i < n; i++) {
            char family [32], email [64];
            snprintf (family, sizeof family, "Person%zu", done + i);
            snprintf (email, sizeof email, "person%zu@example.org", done + i);
            payloads [i] = json_pack ("{s:s, s:s, s:s, s:s}", "meeting", "ccm-msp13",
                                      "family_name", family, "delegation", "FR", "email", email);
            events [i] = (pl_delivery_t) {
                .seq = seq++, .topic = "participant.registered", .event_id = "bench",
                .payload = payloads [i], .time_ms = pl_time_ms (), .attempt = 1
            };
        }
        int64_t start = pl_mono_ms ();
        rc = notify_worker_handler ()->apply (worker, events, n, verdicts);
        double ms = (double) (pl_mono_ms () - start);
        longest = ms > longest ? ms : longest;
        total += ms;
        for (size_t i = 0; i < n; i++) {
            rc |= !verdicts [i].applied;
            json_decref (payloads [i]);
        }
        done += n;
    }
    int64_t start = pl_mono_ms ();
    rc = rc ? rc : s_apply (worker, seq, "session.moved", "{\"meeting\":\"ccm-msp13\",\"id\":\"s1\","
                            "\"start\":\"2030-09-15T15:00\",\"end\":\"2030-09-15T18:00\"}");
    double move = (double) (pl_mono_ms () - start);
    if (rc == 0)
        printf ("apply %zu registrations to one delegation, batches of %d: %.2f ms each "
                "(%.0f/s), longest batch %.0f ms; a session move to all of them "
                "(%zu iTIP messages) %.0f ms\n", count, S_CREDIT, total / (double) count,
                total > 0 ? (double) count * 1000.0 / total : 0.0, longest, count + 1, move);
    else
        fprintf (stderr, "pl-bench-notify: apply failed\n");
    free (events);
    free (verdicts);
    free (payloads);
    s_bench_close (&bench);
    return rc ? 1 : 0;
}

//  The arrivals logged in PATH of the events PUBLISHED: seq (from the
//  Message-ID) -> arrival ms.
static size_t
s_arrivals (const char *path, const int64_t *published, int64_t *arrived, size_t size)
{
    FILE *file = fopen (path, "r");
    size_t count = 0;
    char line [512];
    while (file && fgets (line, sizeof line, file)) {
        long long ms;
        unsigned long long seq;
        if (sscanf (line, "%lld\t<%llu.", &ms, &seq) == 2 && seq < size && published [seq]
        &&  !arrived [seq]) {
            arrived [seq] = ms;
            count++;
        }
    }
    if (file)
        fclose (file);
    return count;
}

//  --count N: end to end.
static int
s_end_to_end (size_t count, double rate, const char *arrivals)
{
    pl_config_t config;
    pl_config_defaults (&config);
    pl_config_from_env (&config);
    pl_client_t *client = pl_client_new (&config);
    if (!client)
        return 1;
    char err [512], id [80];
    int status;
    pl_ack_t ack;
    char meeting [48];
    snprintf (meeting, sizeof meeting, "bench-%lld", (long long) pl_time_ms ());
    json_t *payload = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", meeting,
                                 "convention", "CCM", "kind", "msp", "title", "Bench meeting",
                                 "venue", "Geneva", "tz", "Europe/Zurich",
                                 "start", "2030-09-15", "end", "2030-09-18");
    if (pl_client_publish (client, "meeting.scheduled", NULL, payload, &ack, &status, err,
                           sizeof err)) {
        fprintf (stderr, "pl-bench-notify: %s\n", err);
        return 1;
    }
    json_decref (payload);
    uint64_t first_seq = 0, last_seq = 0;
    size_t room = 0;
    int64_t *published = NULL, *arrived = NULL;
    int64_t start = pl_time_ms ();
    for (size_t i = 0; i < count; i++) {
        if (rate > 0) {
            //  A steady rate: the i-th event leaves at start + i / rate
            int64_t due = start + (int64_t) ((double) i * 1000.0 / rate);
            while (pl_time_ms () < due)
                usleep (500);
        }
        snprintf (id, sizeof id, "bench-%s-%zu", meeting, i);
        char family [32], email [64];
        snprintf (family, sizeof family, "Person%zu", i);
        snprintf (email, sizeof email, "person%zu@example.org", i);
        payload = json_pack ("{s:s, s:s, s:s, s:s}", "meeting", meeting, "family_name", family,
                             "delegation", "FR", "email", email);
        int64_t sent = pl_time_ms ();
        if (pl_client_publish (client, "participant.registered", id, payload, &ack, &status, err,
                               sizeof err)) {
            fprintf (stderr, "pl-bench-notify: %s\n", err);
            return 1;
        }
        json_decref (payload);
        if (!first_seq)
            first_seq = ack.seq;
        last_seq = ack.seq;
        if (ack.seq >= room) {
            size_t grown = (ack.seq + 1) * 2;
            published = realloc (published, grown * sizeof *published);
            arrived = realloc (arrived, grown * sizeof *arrived);
            memset (published + room, 0, (grown - room) * sizeof *published);
            memset (arrived + room, 0, (grown - room) * sizeof *arrived);
            room = grown;
        }
        published [ack.seq] = sent;
    }
    int64_t deadline = pl_mono_ms () + S_ARRIVAL_WAIT_MS;
    size_t got = 0;
    while ((got = s_arrivals (arrivals, published, arrived, room)) < count
       &&  pl_mono_ms () < deadline) {
        memset (arrived, 0, room * sizeof *arrived);
        usleep (100000);
    }
    pl_client_destroy (&client);
    double *delays = calloc (count, sizeof *delays);
    size_t n = 0;
    int64_t last = 0;
    for (uint64_t seq = first_seq; seq <= last_seq && delays; seq++)
        if (published [seq] && arrived [seq]) {
            delays [n++] = (double) (arrived [seq] - published [seq]);
            last = arrived [seq] > last ? arrived [seq] : last;
        }
    qsort (delays, n, sizeof *delays, s_compare);
    double seconds = (double) (last - start) / 1000.0;
    if (rate > 0)
        printf ("%zu of %zu messages at %.0f events/s: publish -> arrival at the relay "
                "p50 %.0f ms, p99 %.0f ms, max %.0f ms\n", n, count, rate,
                s_percentile (delays, n, 50), s_percentile (delays, n, 99),
                n ? delays [n - 1] : 0.0);
    else
        printf ("%zu of %zu messages handed to the relay in %.2f s (first publish to last "
                "arrival): %.0f messages/s; publish -> arrival p50 %.0f ms, p99 %.0f ms\n",
                n, count, seconds, seconds > 0 ? (double) n / seconds : 0.0,
                s_percentile (delays, n, 50), s_percentile (delays, n, 99));
    free (delays);
    free (published);
    free (arrived);
    return n == count ? 0 : 1;
}

int
main (int argc, char *argv [])
{
    static const struct option options [] = {
        { "render",    required_argument, NULL, 'r' },
        { "apply",     required_argument, NULL, 'A' },
        { "count",     required_argument, NULL, 'c' },
        { "rate",      required_argument, NULL, 'R' },
        { "arrivals",  required_argument, NULL, 'a' },
        { "templates", required_argument, NULL, 't' },
        { "help",      no_argument,       NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    size_t render = 0, count = 0, apply = 0;
    double rate = 0;
    const char *arrivals = NULL, *templates = PL_NOTIFY_TEMPLATES;
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1)
        switch (option) {
            case 'r': render = strtoul (optarg, NULL, 10); break;
            case 'A': apply = strtoul (optarg, NULL, 10); break;
            case 'c': count = strtoul (optarg, NULL, 10); break;
            case 'R': rate = strtod (optarg, NULL); break;
            case 'a': arrivals = optarg; break;
            case 't': templates = optarg; break;
            default:
                printf ("usage: pl-bench-notify --render N [--templates DIR]\n"
                        "       pl-bench-notify --apply N\n"
                        "       pl-bench-notify --count N [--rate R] --arrivals FILE\n");
                return option == 'h' ? 0 : 2;
        }
    if (render)
        return s_render (render, templates);
    if (apply)
        return s_apply_batches (apply);
    if (count && arrivals)
        return s_end_to_end (count, rate, arrivals);
    fprintf (stderr, "pl-bench-notify: give --render N, or --count N with --arrivals FILE\n");
    return 2;
}

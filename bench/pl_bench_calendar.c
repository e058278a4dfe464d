/*  pl-bench-calendar — how long the calendar worker takes to render feeds.

    In-process, through the worker's own handler (the code path a query
    takes, without the sockets): a meeting with SESSIONS sessions and
    PARTICIPANTS registered participants, one of whom has a private feed.
    Measures, each as the median of RUNS tries: the meeting feed and the
    participant's feed rendered cold (nothing cached), served from the
    cache, and rendered again after a session moved (the case a calendar
    app's poll hits after every change).  The gateway's 304 throughput is
    measured by bench/run.sh calendar with wrk against a real system.

    With --cpu the times are the thread's CPU time rather than the wall
    clock's: on a machine shared with other work the wall clock also counts
    the waits for a core.

    usage: pl-bench-calendar [--cpu] [--sessions N] [--participants N] [--runs N] */
#include "calendar_render.h"
#include "calendar_store.h"
#include "calendar_worker.h"
#include "pl_schema.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define S_HASH "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

typedef struct {
    calendar_worker_t *worker;
    const pl_worker_handler_t *handler;
    uint64_t seq;
    clockid_t clock;            //  the wall clock, or with --cpu this thread's CPU time
} s_bench_t;

static double
s_now_ms (clockid_t clock)
{
    struct timespec now;
    clock_gettime (clock, &now);
    return (double) now.tv_sec * 1e3 + (double) now.tv_nsec / 1e6;
}

//  Apply PAYLOAD (stolen) as TOPIC; exits on failure.
static void
s_event (s_bench_t *self, const char *topic, json_t *payload)
{
    self->seq++;
    pl_delivery_t delivery = { self->seq, topic, "bench", payload,
                               1900000000000 + (int64_t) self->seq * 1000, 1, NULL, NULL, NULL };
    pl_verdict_t verdict;
    if (self->handler->apply (self->worker, &delivery, 1, &verdict) || !verdict.applied) {
        fprintf (stderr, "pl-bench-calendar: %s seq %llu not applied: %s\n", topic,
                 (unsigned long long) self->seq, verdict.reason);
        exit (1);
    }
    json_decref (payload);
}

//  One calendar.feed query; returns its time in ms and the feed's size.
static double
s_feed (s_bench_t *self, const char *kind, const char *key, size_t *size)
{
    json_t *args = json_pack ("{s:s, s:s, s:s}", "kind", kind, "key", key,
                              "source", "http://127.0.0.1:7180/bench.ics");
    int status = 0;
    char err [PL_ERR_MAX];
    double start = s_now_ms (self->clock);
    json_t *reply = self->handler->query (self->worker, "calendar.feed", args, "public",
                                          &status, err, sizeof err);
    double took = s_now_ms (self->clock) - start;
    if (!reply) {
        fprintf (stderr, "pl-bench-calendar: feed %s failed: %d %s\n", kind, status, err);
        exit (1);
    }
    *size = strlen (json_string_value (json_object_get (reply, "ics")));
    json_decref (reply);
    json_decref (args);
    return took;
}

//  calendar_item_fn that reads the row and does nothing with it.
static int
s_skip_item (void *arg, const calendar_item_t *item)
{
    (void) item;
    (*(size_t *) arg)++;
    return 0;
}

//  calendar_item_fn: add the event to the render.
static int
s_add_item (void *render, const calendar_item_t *item)
{
    return calendar_render_add (render, item);
}

//  One render of meeting feed KEY, to STAGE: 0 the rows only, 1 the rows
//  and the events added, 2 the text too.  Its time in ms; exits on failure.
static double
s_stage (calendar_store_t *store, const char *key, int stage, clockid_t clock)
{
    char name [512], tz [64];
    int64_t modified_ms = 0;
    size_t rows = 0;
    double start = s_now_ms (clock);
    calendar_render_t *render = stage ? calendar_render_new () : NULL;
    int found = calendar_store_feed (store, CALENDAR_FEED_MEETING, key, "2000-01-01",
                                     stage ? s_add_item : s_skip_item,
                                     stage ? (void *) render : (void *) &rows, &modified_ms,
                                     name, sizeof name, tz, sizeof tz);
    char *text = NULL;
    if (found == 1 && stage == 2) {
        calendar_head_t head = { name, tz, "http://127.0.0.1:7180/bench.ics", 3600 };
        text = calendar_render_finish (render, &head);
        found = text ? 1 : -1;
    }
    free (text);
    calendar_render_destroy (&render);
    double took = s_now_ms (clock) - start;
    if (found != 1) {
        fprintf (stderr, "pl-bench-calendar: the meeting feed's render failed\n");
        exit (1);
    }
    return took;
}

static int
s_compare (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
    long sessions = 500, participants = 2000, runs = 21;
    clockid_t clock = CLOCK_MONOTONIC;
    static const struct option options [] = {
        { "cpu",          no_argument,       NULL, 'c' },
        { "sessions",     required_argument, NULL, 's' },
        { "participants", required_argument, NULL, 'p' },
        { "runs",         required_argument, NULL, 'r' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "cs:p:r:", options, NULL)) != -1) {
        if (option == 'c') {
            clock = CLOCK_THREAD_CPUTIME_ID;
            continue;
        }
        if (option == '?')
            return 2;
        long value = strtol (optarg, NULL, 10);
        if (value < 1 || value > 1000000) {
            fprintf (stderr, "pl-bench-calendar: want 1..1000000, not '%s'\n", optarg);
            return 2;
        }
        if (option == 's') sessions = value;
        else if (option == 'p') participants = value;
        else if (option == 'r') runs = value;
        else return 2;
    }
    char path [] = "/tmp/pl-bench-calendar.XXXXXX";
    close (mkstemp (path));
    calendar_store_t *store = calendar_store_new (path);
    s_bench_t self = { calendar_worker_new (store), calendar_worker_handler (), 0, clock };
    if (!store || !self.worker)
        return 1;
    s_event (&self, "meeting.scheduled", json_pack (
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", "bench", "convention", "CCM",
        "kind", "msp", "title", "第十三次缔约国会议 Thirteenth Meeting of States Parties",
        "venue", "Geneva, Palais des Nations", "tz", "Europe/Zurich",
        "start", "2030-01-01", "end", "2030-12-31"));
    for (long i = 0; i < sessions; i++) {
        char id [32], start [32], end [32];
        snprintf (id, sizeof id, "s%ld", i);
        int day = (int) (i / 4) % 28 + 1, month = (int) (i / 112) % 12 + 1, hour = 8 + (int) (i % 4) * 2;
        snprintf (start, sizeof start, "2030-%02d-%02dT%02d:00", month, day, hour);
        snprintf (end, sizeof end, "2030-%02d-%02dT%02d:45", month, day, hour + 1);
        s_event (&self, "session.scheduled", json_pack (
            "{s:s, s:s, s:s, s:s, s:s, s:s, s:[s,s]}", "meeting", "bench", "id", id,
            "title", "Plenary meeting — 全体会议 — пленарное заседание", "start", start,
            "end", end, "room", "Room XIX", "agenda_items", "8(a)", "9(h)(i)"));
    }
    uint64_t first_participant = self.seq + 1;
    for (long i = 0; i < participants; i++) {
        char family [32];
        snprintf (family, sizeof family, "Delegate%ld", i);
        s_event (&self, "participant.registered", json_pack (
            "{s:s, s:s, s:s, s:s}", "meeting", "bench", "family_name", family,
            "given_name", "Anne", "delegation", "FR"));
    }
    char participant [32];
    snprintf (participant, sizeof participant, "p%llu", (unsigned long long) first_participant);
    s_event (&self, "participant.token.issued", json_pack (
        "{s:s, s:s}", "participant", participant, "token_hash", S_HASH));

    static const struct { const char *what, *kind, *key; } feeds [] = {
        { "meeting feed",     "meeting",     "bench" },
        { "participant feed", "participant", S_HASH },
    };
    printf ("calendar: %ld sessions, %ld participants, median of %ld runs, %s\n",
            sessions, participants, runs,
            clock == CLOCK_MONOTONIC ? "wall clock" : "CPU time of the thread");
    double *cold = calloc ((size_t) runs, sizeof *cold);
    double *cached = calloc ((size_t) runs, sizeof *cached);
    double *changed = calloc ((size_t) runs, sizeof *changed);
    for (size_t f = 0; f < sizeof feeds / sizeof feeds [0]; f++) {
        size_t size = 0;
        for (long r = 0; r < runs; r++) {
            //  A change empties the cache: the next query renders
            char start [32], end [32];
            snprintf (start, sizeof start, "2030-06-%02ldT10:00", r % 28 + 1);
            snprintf (end, sizeof end, "2030-06-%02ldT11:00", r % 28 + 1);
            s_event (&self, "session.moved", json_pack ("{s:s, s:s, s:s, s:s}", "meeting",
                     "bench", "id", "s0", "start", start, "end", end));
            changed [r] = s_feed (&self, feeds [f].kind, feeds [f].key, &size);
            cached [r] = s_feed (&self, feeds [f].kind, feeds [f].key, &size);
        }
        //  Cold: a fresh worker (empty cache) over the same database
        for (long r = 0; r < runs; r++) {
            calendar_worker_destroy (&self.worker);
            self.worker = calendar_worker_new (store);
            cold [r] = s_feed (&self, feeds [f].kind, feeds [f].key, &size);
        }
        qsort (cold, (size_t) runs, sizeof *cold, s_compare);
        qsort (cached, (size_t) runs, sizeof *cached, s_compare);
        qsort (changed, (size_t) runs, sizeof *changed, s_compare);
        printf ("  %-17s %7zu bytes  cold %7.2f ms  after a change %7.2f ms  cached %6.3f ms\n",
                feeds [f].what, size, cold [runs / 2], changed [runs / 2], cached [runs / 2]);
    }
    //  Where a render goes
    static const char *stages [] = { "rows read", "+ events added", "+ text" };
    printf ("  meeting feed render:");
    for (int stage = 0; stage < 3; stage++) {
        for (long r = 0; r < runs; r++)
            cold [r] = s_stage (store, "bench", stage, self.clock);
        qsort (cold, (size_t) runs, sizeof *cold, s_compare);
        printf ("  %s %.2f ms", stages [stage], cold [runs / 2]);
    }
    printf ("\n");
    free (cold);
    free (cached);
    free (changed);
    calendar_worker_destroy (&self.worker);
    calendar_store_destroy (&store);
    unlink (path);
    return 0;
}

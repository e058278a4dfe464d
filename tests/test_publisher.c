/*  test_publisher — publishes N participant registrations (or statements)
    through the client library and checks, on request, that each was applied
    exactly once, by records and by the groups that follow it.

    Used by the black-box tests that kill the broker or the workers in the
    middle of a stream:
        test-publisher --meeting M --count N [--window K] [--prefix P] [--acks FILE]
                       [--statements] [--reject-every K] [--rate EVENTS_PER_S]
        test-publisher --meeting M --count N --prefix P --verify [--follower GROUP]
    --statements publishes statement.delivered instead of registrations.
    --rate paces the stream (100 chunks a second) so that a test can kill
    processes while it flows.  --reject-every K sends every Kth event to a meeting that does not exist,
    which records must reject and every follower must skip.
    Publishing writes one line "event_id seq duplicate" per ACK to FILE as it
    arrives (so a test can watch progress) and exits 0 only when every event
    was acknowledged.  --verify republishes nothing: it re-sends each event
    (same id and payload), which must come back as a duplicate with the seq
    it first got, then asks the records group's receipt for every seq, which
    must be "applied" (or "rejected" for the events meant to be), asks the
    same of each --follower group ("applied", or "skipped" where records
    rejected), and for registrations checks that participants --meeting M
    holds exactly the accepted participants p<seq>. */
#include "pl_client.h"
#include "pl_config.h"
#include "pl_proto.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_FOLLOWERS_MAX 4

typedef struct {
    const char *meeting;
    const char *prefix;
    int statements;             //  statement.delivered instead of registrations
    size_t reject_every;        //  0: none; K: index % K == K - 1 names no meeting
    const char *followers [S_FOLLOWERS_MAX];
    size_t follower_count;
    size_t count;
    size_t offset;              //  index of the chunk's first event (--rate)
    FILE *acks;
    uint64_t *seqs;             //  seq per index, 0 until acknowledged
    size_t acked;
    size_t duplicates;
    size_t errors;
} s_run_t;

//  True when event INDEX is meant to be rejected by records.
static int
s_doomed (s_run_t *run, size_t index)
{
    return run->reject_every && index % run->reject_every == run->reject_every - 1;
}

static const char *
s_topic (s_run_t *run)
{
    return run->statements ? "statement.delivered" : "participant.registered";
}

static json_t *
s_payload (s_run_t *run, size_t index)
{
    char meeting [96];
    snprintf (meeting, sizeof meeting, "%s%s", run->meeting, s_doomed (run, index) ? "-none" : "");
    if (run->statements) {
        char text [128];
        snprintf (text, sizeof text, "Statement %s %zu on victim assistance", run->prefix, index);
        return json_pack ("{s:s, s:s, s:s, s:s}", "meeting", meeting,
                          "delegation", index % 2 ? "FR" : "CH", "language", "en", "text", text);
    }
    char family [64], email [96];
    snprintf (family, sizeof family, "Testperson-%zu", index);
    snprintf (email, sizeof email, "%s.%zu@example.org", run->prefix, index);
    return json_pack ("{s:s, s:s, s:s, s:s, s:s}", "meeting", meeting,
                      "family_name", family, "given_name", "Анна 安娜",
                      "delegation", index % 2 ? "FR" : "CH", "email", email);
}

static int
s_next (void *arg, size_t index, pl_event_t *event)
{
    s_run_t *run = arg;
    index += run->offset;
    strcpy (event->topic, s_topic (run));
    snprintf (event->event_id, sizeof event->event_id, "%s-%zu", run->prefix, index);
    event->payload = s_payload (run, index);
    return event->payload ? 0 : -1;
}

static void
s_on_ack (void *arg, size_t index, int status, const pl_ack_t *ack, const char *err)
{
    s_run_t *run = arg;
    index += run->offset;
    if (status != 200) {
        fprintf (stderr, "test-publisher: %s-%zu: %d %s\n", run->prefix, index, status, err);
        run->errors++;
        return;
    }
    run->seqs [index] = ack->seq;
    run->acked++;
    run->duplicates += ack->duplicate;
    if (run->acks) {
        fprintf (run->acks, "%s-%zu %llu %d\n", run->prefix, index,
                 (unsigned long long) ack->seq, ack->duplicate);
        fflush (run->acks);
    }
}

static int
s_verify (pl_client_t *client, s_run_t *run)
{
    int status;
    char err [PL_ERR_MAX];
    //  1. Every event is in the log once: re-publishing gives the first seq.
    for (size_t i = 0; i < run->count; i++) {
        char event_id [80];
        snprintf (event_id, sizeof event_id, "%s-%zu", run->prefix, i);
        json_t *payload = s_payload (run, i);
        pl_ack_t ack;
        int rc = pl_client_publish (client, s_topic (run), event_id,
                                    payload, &ack, &status, err, sizeof err);
        json_decref (payload);
        if (rc || !ack.duplicate) {
            fprintf (stderr, "verify: %s is %s\n", event_id, rc ? err : "not a duplicate");
            return -1;
        }
        run->seqs [i] = ack.seq;
    }
    //  2. The records group applied each one (not rejected as a double),
    //  but for those meant to be rejected; each follower applied what records
    //  applied and skipped what it rejected.
    for (size_t i = 0; i < run->count; i++)
        for (size_t g = 0; g <= run->follower_count; g++) {
            const char *group = g ? run->followers [g - 1] : "records";
            const char *want = !s_doomed (run, i) ? "applied" : g ? "skipped" : "rejected";
            char verdict [16], reason [PL_REASON_MAX];
            if (pl_client_receipt (client, run->seqs [i], group, 10000, verdict,
                                   sizeof verdict, reason, sizeof reason, &status, err,
                                   sizeof err)) {
                fprintf (stderr, "verify: %s receipt seq %llu: %s\n", group,
                         (unsigned long long) run->seqs [i], err);
                return -1;
            }
            if (strcmp (verdict, want)) {
                fprintf (stderr, "verify: %s: seq %llu was %s (%s), want %s\n", group,
                         (unsigned long long) run->seqs [i], verdict, reason, want);
                return -1;
            }
        }
    if (run->statements)
        return 0;
    //  3. The participant list holds exactly those, once each.
    json_t *args = json_pack ("{s:s}", "meeting", run->meeting);
    json_t *reply = pl_client_query_all (client, "participant.list", args, &status, err, sizeof err);
    json_decref (args);
    if (!reply) {
        fprintf (stderr, "verify: participant.list: %s\n", err);
        return -1;
    }
    json_t *items = json_object_get (reply, "items");
    size_t mine = 0, index;
    json_t *item;
    int rc = 0;
    json_array_foreach (items, index, item) {
        const char *email = json_string_value (json_object_get (item, "email"));
        size_t length = strlen (run->prefix);
        if (!email || strncmp (email, run->prefix, length) || email [length] != '.')
            continue;
        size_t i = strtoull (email + length + 1, NULL, 10);
        if (i < run->count && s_doomed (run, i)) {
            fprintf (stderr, "verify: participant %s was meant to be rejected\n", email);
            rc = -1;
        }
        char want [32];
        snprintf (want, sizeof want, "p%llu",
                  (unsigned long long) (i < run->count ? run->seqs [i] : 0));
        if (i >= run->count || strcmp (json_string_value (json_object_get (item, "id")), want)) {
            fprintf (stderr, "verify: participant %s has id %s, want %s\n", email,
                     json_string_value (json_object_get (item, "id")), want);
            rc = -1;
        }
        mine++;
    }
    json_decref (reply);
    size_t accepted = run->count - (run->reject_every ? run->count / run->reject_every : 0);
    if (mine != accepted) {
        fprintf (stderr, "verify: %zu participants listed, want %zu\n", mine, accepted);
        rc = -1;
    }
    return rc;
}

int
main (int argc, char **argv)
{
    s_run_t run = { .prefix = "ev" };
    size_t window = 256, rate = 0;
    int verify = 0;
    const char *acks = NULL;
    static const struct option options [] = {
        { "meeting", required_argument, NULL, 'm' },
        { "count",   required_argument, NULL, 'n' },
        { "window",  required_argument, NULL, 'w' },
        { "prefix",  required_argument, NULL, 'p' },
        { "acks",    required_argument, NULL, 'a' },
        { "verify",  no_argument,       NULL, 'v' },
        { "statements", no_argument,    NULL, 's' },
        { "reject-every", required_argument, NULL, 'r' },
        { "follower", required_argument, NULL, 'f' },
        { "rate",    required_argument, NULL, 'R' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    while ((opt = getopt_long (argc, argv, "", options, NULL)) != -1) {
        switch (opt) {
            case 'm': run.meeting = optarg; break;
            case 'n': run.count = strtoull (optarg, NULL, 10); break;
            case 'w': window = strtoull (optarg, NULL, 10); break;
            case 'p': run.prefix = optarg; break;
            case 'a': acks = optarg; break;
            case 'v': verify = 1; break;
            case 's': run.statements = 1; break;
            case 'R': rate = strtoull (optarg, NULL, 10); break;
            case 'r': run.reject_every = strtoull (optarg, NULL, 10); break;
            case 'f':
                if (run.follower_count == S_FOLLOWERS_MAX)
                    return 2;
                run.followers [run.follower_count++] = optarg;
                break;
            default:  return 2;
        }
    }
    if (!run.meeting || run.count == 0 || window == 0) {
        fprintf (stderr, "usage: test-publisher --meeting M --count N [--window K] "
                         "[--prefix P] [--acks FILE] [--statements] [--reject-every K] [--rate R] "
                         "[--verify [--follower GROUP]...]\n");
        return 2;
    }
    pl_config_t config;
    pl_config_defaults (&config);
    pl_config_from_env (&config);
    const char *deadline = getenv ("PL_PUBLISH_DEADLINE_MS");
    if (deadline)
        config.publish_deadline_ms = atoi (deadline);
    pl_client_t *client = pl_client_new (&config);
    run.seqs = calloc (run.count, sizeof *run.seqs);
    if (!client || !run.seqs)
        return 1;
    int rc;
    if (verify)
        rc = s_verify (client, &run);
    else {
        run.acks = acks ? fopen (acks, "a") : NULL;
        //  --rate: a chunk of a hundredth of a second's events at a time,
        //  each chunk started on its own tick (pacing a load, not
        //  synchronising; small chunks keep the load even, since a chunk is
        //  published as one or two messages)
        size_t chunk = rate ? (rate + 99) / 100 : run.count;
        int64_t tick = zclock_mono ();
        rc = 0;
        for (run.offset = 0; rc == 0 && run.offset < run.count; run.offset += chunk) {
            size_t n = run.count - run.offset < chunk ? run.count - run.offset : chunk;
            rc = pl_client_publish_many (client, n, window, s_next, s_on_ack, &run);
            tick += 10;
            if (rate && zclock_mono () < tick)
                zclock_sleep ((int) (tick - zclock_mono ()));
        }
        if (run.acks)
            fclose (run.acks);
        fprintf (stderr, "test-publisher: %zu acknowledged (%zu duplicates), %zu errors\n",
                 run.acked, run.duplicates, run.errors);
        if (run.acked != run.count || run.errors)
            rc = -1;
    }
    free (run.seqs);
    pl_client_destroy (&client);
    return rc ? 1 : 0;
}

/*  pl_bench_import — bulk registration from CSV, end to end.

    Schedules a meeting, writes a CSV of N rows (default 5,000) the way a
    secretariat's spreadsheet export looks: a byte-order mark, CRLF, a
    header with spaces ("Family Name"), quoted cells with commas, and names
    in Latin, Chinese, Arabic and Cyrillic scripts; then runs the real CLI,
    `plenary register --meeting M --csv FILE --json`, and measures its wall
    time from start to exit (parse, pipelined publish, every ACK and every
    records verdict).  It then checks that participant.list holds N
    participants and times that query (the list as JSON) R times.

        pl-bench-import [--rows 5000] [--plenary PATH] [--repeat 20]

    The broker and records worker must be running (bench/run.sh import
    starts a fresh system); PLENARY_ENDPOINT says where. */
#include "pl_client.h"
#include "pl_config.h"
#include "pl_proto.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

//  Family and given names by script, cycled through the rows.
static const char *s_family [] = {
    "Dupont", "Müller", "王", "عبد الله", "Иванов", "García López", "Nguyễn", "O'Brien"
};
static const char *s_given [] = {
    "Anne", "Jürgen", "小明", "محمد", "Мария", "José", "Thị Lan", "Siobhán"
};
static const char *s_delegations [] = { "FR", "DE", "CN", "EG", "RU", "MX", "VN", "IE" };
static const char *s_functions [] = { "Head of delegation", "alternate", "adviser", "expert" };

static double
s_now (void)
{
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    return (double) now.tv_sec + (double) now.tv_nsec / 1e9;
}

//  Schedule MEETING and wait for the records worker.  0 or -1.
static int
s_schedule (pl_client_t *client, const char *meeting)
{
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
        fprintf (stderr, "pl-bench-import: scheduling %s: %s: %s\n", meeting, verdict, reason);
        return -1;
    }
    if (rc)
        fprintf (stderr, "pl-bench-import: scheduling %s: %s\n", meeting, err);
    return rc;
}

//  Write ROWS registrations to PATH.  0 or -1.
static int
s_write_csv (const char *path, size_t rows)
{
    FILE *file = fopen (path, "wb");
    if (!file)
        return -1;
    fputs ("\xEF\xBB\xBF" "Family Name,Given Name,Delegation,Function,Gender,E-mail,"
           "Sponsored,Position\r\n", file);
    size_t n = sizeof s_family / sizeof s_family [0];
    for (size_t i = 0; i < rows; i++)
        fprintf (file, "%s %zu,%s,%s,%s,%s,p%zu@example.org,%s,\"Counsellor, Mission %zu\"\r\n",
                 s_family [i % n], i, s_given [i % n], s_delegations [i % n],
                 s_functions [i % 4], i % 2 ? "f" : "m", i, i % 5 ? "no" : "yes", i);
    return fclose (file) ? -1 : 0;
}

//  Run PLENARY register --meeting MEETING --csv PATH --json; exit status.
static int
s_import (const char *plenary, const char *meeting, const char *path)
{
    pid_t pid = fork ();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        FILE *quiet = freopen ("/dev/null", "w", stdout);
        (void) quiet;
        execl (plenary, plenary, "register", "--meeting", meeting, "--csv", path, "--json",
               (char *) NULL);
        _exit (127);
    }
    int status;
    if (waitpid (pid, &status, 0) != pid)
        return -1;
    return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
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
    size_t rows = 5000, repeat = 20;
    char plenary [1024];
    snprintf (plenary, sizeof plenary, "%s", argv [0]);
    char *slash = strrchr (plenary, '/');
    snprintf (slash ? slash + 1 : plenary, sizeof plenary - (size_t) (slash ? slash + 1 - plenary : 0),
              "plenary");
    static const struct option longs [] = {
        { "rows",    required_argument, NULL, 'n' },
        { "plenary", required_argument, NULL, 'p' },
        { "repeat",  required_argument, NULL, 'r' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    while ((opt = getopt_long (argc, argv, "", longs, NULL)) != -1) {
        switch (opt) {
            case 'n': rows = strtoul (optarg, NULL, 10); break;
            case 'p': snprintf (plenary, sizeof plenary, "%s", optarg); break;
            case 'r': repeat = strtoul (optarg, NULL, 10); break;
            default:
                fprintf (stderr, "usage: pl-bench-import [--rows N] [--plenary PATH] [--repeat R]\n");
                return 2;
        }
    }
    if (rows == 0 || repeat == 0 || repeat > 1000) {
        fprintf (stderr, "pl-bench-import: --rows and --repeat (1..1000) must be positive\n");
        return 2;
    }
    pl_config_t config;
    pl_config_defaults (&config);
    pl_config_from_env (&config);
    pl_client_t *client = pl_client_new (&config);
    char meeting [64], path [] = "/tmp/pl-bench-import.XXXXXX";
    snprintf (meeting, sizeof meeting, "bench-import-%d", (int) getpid ());
    int fd = mkstemp (path);
    if (!client || fd < 0 || s_schedule (client, meeting) || s_write_csv (path, rows)) {
        fprintf (stderr, "pl-bench-import: cannot set up (broker, records worker or %s)\n", path);
        return 1;
    }
    close (fd);

    double start = s_now ();
    int rc = s_import (plenary, meeting, path);
    double import_s = s_now () - start;
    unlink (path);
    if (rc != 0) {
        fprintf (stderr, "pl-bench-import: %s register --csv exited %d\n", plenary, rc);
        return 1;
    }
    //  The list as JSON, REPEAT times
    double *list_ms = calloc (repeat, sizeof (double));
    size_t listed = 0;
    json_t *args = json_pack ("{s:s}", "meeting", meeting);
    for (size_t i = 0; i < repeat; i++) {
        int status;
        char err [PL_ERR_MAX];
        double t = s_now ();
        json_t *reply = pl_client_query_all (client, "participant.list", args, &status, err,
                                             sizeof err);
        list_ms [i] = (s_now () - t) * 1000;
        if (!reply) {
            fprintf (stderr, "pl-bench-import: participant.list: %s\n", err);
            return 1;
        }
        listed = json_array_size (json_object_get (reply, "items"));
        json_decref (reply);
    }
    json_decref (args);
    qsort (list_ms, repeat, sizeof (double), s_compare);
    printf ("rows               %zu (BOM, CRLF, quoted commas; Latin, Chinese, Arabic, Cyrillic)\n",
            rows);
    printf ("import end to end  %.2f s (%.0f rows/s): parse, publish, ACKs, records verdicts\n",
            import_s, rows / import_s);
    printf ("participant.list   %zu participants as JSON: median %.1f ms, max %.1f ms (%zu runs,"
            " query through the broker, msgpack decoded)\n",
            listed, list_ms [repeat / 2], list_ms [repeat - 1], repeat);
    free (list_ms);
    pl_client_destroy (&client);
    return listed == rows ? 0 : 1;
}

/*  pl_bench_connections — many clients connect, ask once, and leave.

    Opens COUNT client connections to the broker's frontend, WAVE of them at
    a time (each a DEALER that sends PING and waits for PONG, then closes),
    for ROUNDS rounds, and prints the broker's resident memory (VmRSS) after
    each round, so that growth with connection churn shows: a broker whose
    memory is bounded levels off after the first round.

        pl-bench-connections --broker-pid PID [--count 8000] [--wave 500] [--rounds 4]

    The endpoint comes from PLENARY_ENDPOINT, the key (when the broker has
    keys) from PLENARY_CERT. */
#include "pl_config.h"
#include "pl_keys.h"
#include "pl_proto.h"

#include <czmq.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  FIELD of /proc/PID/status in kB, or -1.
static long
s_proc_kb (int pid, const char *field)
{
    char path [64], line [256];
    snprintf (path, sizeof path, "/proc/%d/status", pid);
    FILE *file = fopen (path, "r");
    long value = -1;
    size_t length = strlen (field);
    while (file && fgets (line, sizeof line, file))
        if (strncmp (line, field, length) == 0 && line [length] == ':')
            value = strtol (line + length + 1, NULL, 10);
    if (file)
        fclose (file);
    return value;
}

//  One wave: WAVE clients connect, each PINGs and waits for its PONG, then
//  all close.  Returns how many got their PONG.
static size_t
s_wave (const pl_config_t *config, size_t wave)
{
    zsock_t **socks = calloc (wave, sizeof *socks);
    if (!socks)
        return 0;
    char err [512];
    for (size_t i = 0; i < wave; i++) {
        socks [i] = zsock_new (ZMQ_DEALER);
        if (!socks [i])
            break;
        zsock_set_linger (socks [i], 0);
        if (*config->cert && pl_key_client_file (config->cert, socks [i], err, sizeof err)) {
            fprintf (stderr, "pl-bench-connections: %s\n", err);
            zsock_destroy (&socks [i]);
            break;
        }
        zsock_connect (socks [i], "%s", config->endpoint);
        zmsg_t *msg = zmsg_new ();
        zmsg_addstr (msg, PL_PROTO_CLIENT);
        uint8_t command = PL_C_PING;
        zmsg_addmem (msg, &command, 1);
        zmsg_addstr (msg, "ping");
        zmsg_send (&msg, socks [i]);
    }
    size_t ponged = 0;
    for (size_t i = 0; i < wave && socks [i]; i++) {
        zsock_set_rcvtimeo (socks [i], 10000);
        zmsg_t *reply = zmsg_recv (socks [i]);
        ponged += reply != NULL;
        zmsg_destroy (&reply);
    }
    for (size_t i = 0; i < wave; i++)
        zsock_destroy (&socks [i]);
    free (socks);
    return ponged;
}

int
main (int argc, char **argv)
{
    size_t count = 8000, wave = 500, rounds = 4;
    int pid = 0;
    static const struct option options [] = {
        { "count",      required_argument, NULL, 'n' },
        { "wave",       required_argument, NULL, 'w' },
        { "rounds",     required_argument, NULL, 'r' },
        { "broker-pid", required_argument, NULL, 'p' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "", options, NULL)) != -1)
        switch (option) {
            case 'n': count = strtoull (optarg, NULL, 10); break;
            case 'w': wave = strtoull (optarg, NULL, 10); break;
            case 'r': rounds = strtoull (optarg, NULL, 10); break;
            case 'p': pid = atoi (optarg); break;
            default:
                fprintf (stderr, "usage: pl-bench-connections --broker-pid PID [--count N] "
                                 "[--wave K] [--rounds R]\n");
                return 2;
        }
    if (!pid || !count || !wave || !rounds || wave > 1000) {
        fprintf (stderr, "pl-bench-connections: --broker-pid is required; "
                         "--wave at most 1000 (sockets of one process)\n");
        return 2;
    }
    zsys_set_max_sockets (0);      //  as many as the process may open
    pl_config_t config;
    pl_config_defaults (&config);
    pl_config_from_env (&config);
    printf ("broker RSS before: %ld kB\n", s_proc_kb (pid, "VmRSS"));
    for (size_t round = 1; round <= rounds; round++) {
        size_t ponged = 0;
        for (size_t done = 0; done < count; done += wave)
            ponged += s_wave (&config, count - done < wave ? count - done : wave);
        printf ("round %zu: %zu connections, %zu answered; broker RSS %ld kB, peak %ld kB\n",
                round, count, ponged, s_proc_kb (pid, "VmRSS"), s_proc_kb (pid, "VmHWM"));
        fflush (stdout);
    }
    zsys_shutdown ();
    return 0;
}

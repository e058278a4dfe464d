/*  plenary-gateway — the HTTP gateway daemon.

    Thin main: flags over environment over defaults, signals, start the
    gw_http server, write DATA/gateway.ready ("http=HOST:PORT", the port
    actually bound, written atomically like plenaryd.ready) and wait for
    SIGTERM/SIGINT.  `plenary up` starts it as
    `plenary-gateway --data DATA --endpoint EP` with PLENARY_HTTP and
    PLENARY_PUB set (the PUB socket tells the feed cache of changes). */
#include "gw_http.h"
#include "pl_config.h"
#include "pl_log.h"
#include "pl_schema.h"

#include <czmq.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_THREADS_MAX 256       //  --threads ceiling: each holds a broker socket
#define S_CACHE_MS_MAX 60000    //  --cache-ms ceiling: a lost notification's worst delay

static volatile sig_atomic_t s_stop = 0;

static void
s_on_signal (int signum)
{
    (void) signum;
    s_stop = 1;
}

static void
s_usage (FILE *out)
{
    fprintf (out,
        "Usage: plenary-gateway [--data DIR] [--endpoint EP] [--pub EP] [--http HOST:PORT]\n"
        "                       [--public-url URL] [--threads N] [--cache-ms MS]\n"
        "\n"
        "The HTTP gateway: serves the iCalendar feeds that delegates subscribe to\n"
        "  /ics/meetings/ID.ics  /ics/conventions/CODE.ics  /ics/p/TOKEN.ics  /ics/all.ics\n"
        "and the archive's JSON API\n"
        "  /api/search?q=...     /api/documents/SYMBOL\n"
        "by querying the workers through the broker (as role public).  When it\n"
        "listens it writes DIR/gateway.ready with the line http=HOST:PORT.  A path\n"
        "or parameter that is not valid UTF-8 or holds a control character, and an\n"
        "unknown API parameter, is a 400 naming it.\n"
        "\n"
        "  --data DIR        data folder for gateway.ready (default $PLENARY_DATA or ./var)\n"
        "  --endpoint EP     broker frontend (default $PLENARY_ENDPOINT or tcp://127.0.0.1:7100)\n"
        "  --pub EP          broker PUB socket, whose calendar verdicts tell the feed\n"
        "                    cache of changes (default $PLENARY_PUB or tcp://127.0.0.1:7102)\n"
        "  --http HOST:PORT  where to listen (default $PLENARY_HTTP or 127.0.0.1:7180);\n"
        "                    port 0 or * takes a free one\n"
        "  --public-url URL  how calendar apps reach this server, for the feeds' SOURCE\n"
        "                    (default $PLENARY_PUBLIC_URL or http://HOST:PORT)\n"
        "  --threads N       server threads, 1..%d (default 8)\n"
        "  --cache-ms MS     answer If-None-Match/If-Modified-Since with 304 from the\n"
        "                    last known validators, trusted until a calendar verdict or\n"
        "                    for MS at most (0..%d, default 2000; 0: always ask)\n"
        "  --help            this text\n"
        "\n"
        "Example:\n"
        "  plenary-gateway --data ./var --http 127.0.0.1:7180 \\\n"
        "      --public-url https://meetings.example.org\n"
        "\n"
        "Stop it with Ctrl-C or SIGTERM.  Log level: PLENARY_LOG=debug|info|warn|error.\n",
        S_THREADS_MAX, S_CACHE_MS_MAX);
}

//  Write DATA/gateway.ready atomically (a temporary file renamed over it).
static int
s_write_ready (const char *data, const char *host, uint16_t port)
{
    char path [PL_ENDPOINT_MAX + 32], temporary [PL_ENDPOINT_MAX + 48];
    snprintf (path, sizeof path, "%s/gateway.ready", data);
    snprintf (temporary, sizeof temporary, "%s.%d", path, (int) getpid ());
    FILE *file = fopen (temporary, "w");
    if (!file
    ||  fprintf (file, "http=%s:%u\n", host, (unsigned) port) < 0
    ||  fclose (file)) {
        pl_error ("gateway: cannot write %s cause=%s", temporary, strerror (errno));
        return -1;
    }
    if (rename (temporary, path)) {
        pl_error ("gateway: cannot rename %s cause=%s", temporary, strerror (errno));
        unlink (temporary);
        return -1;
    }
    return 0;
}

int
main (int argc, char *argv [])
{
    zsys_handler_set (NULL);
    gw_config_t config;
    gw_config_defaults (&config);
    pl_config_from_env (&config.config);
    snprintf (config.http, sizeof config.http, "%s", config.config.http);
    const char *public_url = getenv ("PLENARY_PUBLIC_URL");
    if (public_url && pl_config_set (config.public_url, public_url)) {
        fprintf (stderr, "plenary-gateway: PLENARY_PUBLIC_URL: longer than %d bytes\n",
                 PL_ENDPOINT_MAX - 1);
        return 2;
    }

    static const struct option options [] = {
        { "data",       required_argument, NULL, 'd' },
        { "endpoint",   required_argument, NULL, 'e' },
        { "http",       required_argument, NULL, 'H' },
        { "public-url", required_argument, NULL, 'u' },
        { "threads",    required_argument, NULL, 't' },
        { "pub",        required_argument, NULL, 'p' },
        { "cache-ms",   required_argument, NULL, 'c' },
        { "help",       no_argument,       NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "d:e:H:u:t:p:c:h", options, NULL)) != -1) {
        char *field = NULL, *end = NULL;
        const char *name = NULL;
        long threads, cache_ms;
        char rule [PL_ERR_MAX];
        if (optarg && pl_schema_text_check (optarg, strlen (optarg), 0, rule, sizeof rule)) {
            for (size_t i = 0; options [i].name; i++)
                if (options [i].val == option)
                    fprintf (stderr, "plenary-gateway: --%s: %s\n", options [i].name, rule);
            return 2;
        }
        switch (option) {
            case 'd': field = config.config.data;     name = "data";       break;
            case 'e': field = config.config.endpoint; name = "endpoint";   break;
            case 'H': field = config.http;            name = "http";       break;
            case 'u': field = config.public_url;      name = "public-url"; break;
            case 'p': field = config.config.pub;      name = "pub";        break;
            case 'c':
                errno = 0;
                cache_ms = strtol (optarg, &end, 10);
                if (errno || end == optarg || *end || cache_ms < 0 || cache_ms > S_CACHE_MS_MAX) {
                    fprintf (stderr, "plenary-gateway: --cache-ms: want a number from 0 to %d, "
                             "not '%s'\n", S_CACHE_MS_MAX, optarg);
                    return 2;
                }
                config.cache_ms = (int) cache_ms;
                break;
            case 't':
                errno = 0;
                threads = strtol (optarg, &end, 10);
                if (errno || end == optarg || *end || threads < 1 || threads > S_THREADS_MAX) {
                    fprintf (stderr, "plenary-gateway: --threads: want a number from 1 to %d, "
                             "not '%s'\n", S_THREADS_MAX, optarg);
                    return 2;
                }
                config.threads = (unsigned) threads;
                break;
            case 'h':
                s_usage (stdout);
                return 0;
            default:
                s_usage (stderr);
                return 2;
        }
        if (field && pl_config_set (field, optarg)) {
            fprintf (stderr, "plenary-gateway: --%s: longer than %d bytes\n", name,
                     PL_ENDPOINT_MAX - 1);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf (stderr, "plenary-gateway: unexpected argument '%s'\n", argv [optind]);
        s_usage (stderr);
        return 2;
    }

    //  Block the signals, then wait for them with sigsuspend: no lost wake-up
    struct sigaction action;
    memset (&action, 0, sizeof action);
    action.sa_handler = s_on_signal;
    sigemptyset (&action.sa_mask);
    sigaction (SIGINT, &action, NULL);
    sigaction (SIGTERM, &action, NULL);
    signal (SIGPIPE, SIG_IGN);
    sigset_t blocked, waiting;
    sigemptyset (&blocked);
    sigaddset (&blocked, SIGINT);
    sigaddset (&blocked, SIGTERM);
    pthread_sigmask (SIG_BLOCK, &blocked, &waiting);    //  server threads inherit the block

    gw_http_t *server = gw_http_new (&config);
    if (!server)
        return 1;
    char host [PL_ENDPOINT_MAX];
    snprintf (host, sizeof host, "%s", config.http);
    *strrchr (host, ':') = 0;           //  gw_http_new accepted HOST:PORT
    int rc = 0;
    if (s_write_ready (config.config.data, host, gw_http_port (server)))
        rc = 1;
    else {
        pl_info ("gateway: listening http=%s:%u public_url=%s endpoint=%s pub=%s cache_ms=%d",
                 host, (unsigned) gw_http_port (server), gw_http_public_url (server),
                 config.config.endpoint, config.config.pub, config.cache_ms);
        while (!s_stop)
            sigsuspend (&waiting);
    }
    gw_http_destroy (&server);
    pl_info ("gateway: stopped");
    return rc;
}

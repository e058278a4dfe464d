/*  plenary-archive — the archive worker daemon.

    Thin main: flags and environment, logging and signals, open the store
    (DATA/archive/archive.db), hand it to the pl_worker engine with the
    archive handler, run until SIGTERM/SIGINT, exit 0 after a clean stop. */
#include "archive_store.h"
#include "archive_worker.h"
#include "pl_config.h"
#include "pl_log.h"
#include "pl_worker.h"

#include <assert.h>
#include <czmq.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
        "Usage: plenary-archive [--data DIR] [--backend ENDPOINT] [--credit N]\n"
        "\n"
        "The archive worker: keeps every document version, statement and outcome in\n"
        "DIR/archive/archive.db with a full-text index in the six UN languages, and\n"
        "answers the 'archive' queries (archive.search, document.show).  It connects\n"
        "to the broker's backend, catches up from its cursor and then applies events\n"
        "as they are published.  Its database\n"
        "can be deleted at any time: it is rebuilt by replaying the broker's log.\n"
        "\n"
        "  --data DIR          data folder (default $PLENARY_DATA or ./var)\n"
        "  --backend ENDPOINT  broker backend (default $PLENARY_BACKEND or\n"
        "                      tcp://127.0.0.1:7101)\n"
        "  --credit N          events in flight to this worker, 1..100000 (default 256)\n"
        "  --help              this text\n"
        "\n"
        "Example:\n"
        "  plenary-archive --data ./var --backend tcp://127.0.0.1:7101\n"
        "\n"
        "Stop it with Ctrl-C or SIGTERM.  Log level: PLENARY_LOG=debug|info|warn|error.\n");
}

//  Create the folder PATH and any missing parents (mkdir -p).  0 or -1
//  (logged).
static int
s_mkdirs (const char *path)
{
    char partial [PL_ENDPOINT_MAX + 16];
    size_t length = strlen (path);
    if (length >= sizeof partial) {
        pl_error ("archive: folder name too long: %s", path);
        return -1;
    }
    for (size_t i = 1; i <= length; i++) {
        if (path [i] != '/' && path [i] != 0)
            continue;
        memcpy (partial, path, i);
        partial [i] = 0;
        if (mkdir (partial, 0777) && errno != EEXIST) {
            pl_error ("archive: cannot create folder %s cause=%s", partial, strerror (errno));
            return -1;
        }
    }
    return 0;
}

int
main (int argc, char *argv [])
{
    zsys_handler_set (NULL);
    pl_config_t config;
    pl_config_defaults (&config);
    pl_config_from_env (&config);

    static const struct option options [] = {
        { "data",    required_argument, NULL, 'd' },
        { "backend", required_argument, NULL, 'b' },
        { "credit",  required_argument, NULL, 'c' },
        { "help",    no_argument,       NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int option;
    while ((option = getopt_long (argc, argv, "d:b:c:h", options, NULL)) != -1) {
        char *end = NULL;
        long credit;
        switch (option) {
            case 'd':
            case 'b':
                if (pl_config_set (option == 'd' ? config.data : config.backend, optarg)) {
                    fprintf (stderr, "plenary-archive: --%s: longer than %d bytes\n",
                             option == 'd' ? "data" : "backend", PL_ENDPOINT_MAX - 1);
                    return 2;
                }
                break;
            case 'c':
                errno = 0;
                credit = strtol (optarg, &end, 10);
                if (errno || end == optarg || *end || credit < 1 || credit > 100000) {
                    fprintf (stderr, "plenary-archive: --credit: want a number from 1 to "
                             "100000, not '%s'\n", optarg);
                    return 2;
                }
                config.worker_credit = (int) credit;
                break;
            case 'h':
                s_usage (stdout);
                return 0;
            default:
                s_usage (stderr);
                return 2;
        }
    }
    if (optind < argc) {
        fprintf (stderr, "plenary-archive: unexpected argument '%s'\n", argv [optind]);
        s_usage (stderr);
        return 2;
    }

    struct sigaction action;
    memset (&action, 0, sizeof action);
    action.sa_handler = s_on_signal;
    sigemptyset (&action.sa_mask);
    sigaction (SIGINT, &action, NULL);
    sigaction (SIGTERM, &action, NULL);

    char folder [PL_ENDPOINT_MAX + 16], path [PL_ENDPOINT_MAX + 32];
    snprintf (folder, sizeof folder, "%s/archive", config.data);
    snprintf (path, sizeof path, "%s/archive.db", folder);
    if (s_mkdirs (folder))
        return 1;
    archive_store_t *store = archive_store_new (path);
    if (!store)
        return 1;

    char topics [1024];     //  the broker takes up to 1024 bytes of topics in READY
    int rc = archive_worker_topics (topics, sizeof topics);
    assert (rc == 0);           //  the table is ours and fits
    pl_worker_t *worker = pl_worker_new (&config, ARCHIVE_GROUP, topics, ARCHIVE_SERVICE,
                                         archive_worker_handler (), store);
    if (worker) {
        pl_info ("archive: started db=%s backend=%s topics=%s", path, config.backend, topics);
        rc = pl_worker_run (worker, &s_stop);
        pl_worker_destroy (&worker);
    }
    else
        rc = -1;
    archive_store_destroy (&store);
    pl_info ("archive: stopped%s", rc ? " after a fatal error" : "");
    return rc ? 1 : 0;
}

/*  plenaryd — the plenary broker: a thin main around the broker engine.

    Parses flags over the environment over the defaults (pl_config), sets up
    signals, runs broker_run until SIGTERM/SIGINT, and maps the result to an
    exit code: 0 after a clean stop, 1 when the broker could not start or
    failed, 2 on a usage error. */
#include "broker.h"
#include "broker_store.h"
#include "pl_config.h"
#include "pl_fs.h"
#include "pl_proto.h"
#include "pl_log.h"
#include "pl_version.h"

#include <czmq.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t s_stop = 0;

static void
s_signal (int signum)
{
    (void) signum;
    s_stop = 1;
}

static void
s_usage (FILE *out)
{
    fputs (
"Usage: plenaryd [OPTIONS]\n"
"\n"
"The plenary broker.  Every event a client publishes is appended to a durable\n"
"log (DATA/broker/log.db) before it is acknowledged, then delivered to the\n"
"worker groups that subscribed to its topic; queries are routed to workers.\n"
"Once serving, it writes DATA/plenaryd.ready with the bound endpoints.\n"
"Stop it with SIGTERM or Ctrl-C.  The protocol is in docs/protocol.md.\n"
"\n"
"Options (defaults from PLENARY_* environment variables, then built in):\n"
"  --data DIR           data folder (PLENARY_DATA, ./var)\n"
"  --endpoint EP        client frontend (PLENARY_ENDPOINT, tcp://127.0.0.1:7100)\n"
"  --backend EP         worker backend (PLENARY_BACKEND, tcp://127.0.0.1:7101)\n"
"  --pub EP             live notifications (PLENARY_PUB, tcp://127.0.0.1:7102)\n"
"                       an address may use port * for any free port\n"
"  --heartbeat MS       heartbeat interval to workers (1000)\n"
"  --ack-timeout MS     redeliver an event unacknowledged this long (30000)\n"
"  --max-deliveries N   park an event after N deliveries without a verdict (5)\n"
"  --query-timeout MS   answer 503/504 to a query unanswered this long (5000)\n"
"  --max-receipt-wait MS  the longest a RECEIPT may wait for a verdict; a longer\n"
"                       timeout_ms is cut to this (60000)\n"
"  --max-pending N      receipts and queries waiting at once; beyond, 429 (10000)\n"
"  --max-batch N        events written in one group commit at most (4096; 1 to\n"
"                       65536): smaller bounds each commit's time, larger its count\n"
"  --max-frame BYTES    refuse (413) a message part larger than this (16 MiB)\n"
"  --max-message BYTES  drop the connection of a larger part (ZMQ_MAXMSGSIZE, 17 MiB)\n"
"  --loopback-role ROLE without keys, the role of every connection (secretariat);\n"
"                       one of secretariat, record-keeper, delegate, public.  Only\n"
"                       the secretariat may publish; restricted documents are for it\n"
"                       alone\n"
"  --insecure           start on an address that is not loopback without keys, where\n"
"                       anyone who reaches it acts with --loopback-role: only for a\n"
"                       closed test network (logged loudly)\n"
"\n"
"Keys (docs/SECURITY.md): once DATA/keys/broker.key exists ('plenary keys init'),\n"
"every socket is a CurveZMQ server and admits only the keys in DATA/keys/allowed\n"
"('plenary keys new'); a key's role and grants decide what it may do.  Without\n"
"keys the broker refuses to listen anywhere but on loopback.\n"
"  -h, --help           this text\n"
"  --version            its version and the log's schema version\n"
"\n"
"Example:\n"
"  plenaryd --data /srv/plenary --endpoint 'tcp://127.0.0.1:*' \\\n"
"           --backend 'tcp://127.0.0.1:*' --pub 'tcp://127.0.0.1:*'\n"
"  cat /srv/plenary/plenaryd.ready\n", out);
}

//  Parse a positive integer flag; -1 when TEXT is not one.
static long long
s_number (const char *text)
{
    char *end = NULL;
    long long value = strtoll (text, &end, 10);
    return end && *end == 0 && end != text && value > 0 ? value : -1;
}

int
main (int argc, char *argv [])
{
    zsys_handler_set (NULL);
    pl_fs_private ();           //  the log holds personal data: files 0600, folders 0700
    pl_config_t config;
    pl_config_defaults (&config);
    pl_config_from_env (&config);

    enum { O_DATA = 1, O_ENDPOINT, O_BACKEND, O_PUB, O_HEARTBEAT, O_ACK_TIMEOUT,
           O_MAX_DELIVERIES, O_QUERY_TIMEOUT, O_MAX_RECEIPT_WAIT, O_MAX_PENDING, O_MAX_BATCH,
           O_MAX_FRAME, O_MAX_MESSAGE, O_LOOPBACK_ROLE, O_INSECURE,
           O_HELP, O_VERSION };
    static const struct option options [] = {
        { "data",           required_argument, NULL, O_DATA },
        { "endpoint",       required_argument, NULL, O_ENDPOINT },
        { "backend",        required_argument, NULL, O_BACKEND },
        { "pub",            required_argument, NULL, O_PUB },
        { "heartbeat",      required_argument, NULL, O_HEARTBEAT },
        { "ack-timeout",    required_argument, NULL, O_ACK_TIMEOUT },
        { "max-deliveries", required_argument, NULL, O_MAX_DELIVERIES },
        { "query-timeout",  required_argument, NULL, O_QUERY_TIMEOUT },
        { "max-receipt-wait", required_argument, NULL, O_MAX_RECEIPT_WAIT },
        { "max-pending",    required_argument, NULL, O_MAX_PENDING },
        { "max-batch",      required_argument, NULL, O_MAX_BATCH },
        { "max-frame",      required_argument, NULL, O_MAX_FRAME },
        { "max-message",    required_argument, NULL, O_MAX_MESSAGE },
        { "loopback-role",  required_argument, NULL, O_LOOPBACK_ROLE },
        { "insecure",       no_argument,       NULL, O_INSECURE },
        { "help",           no_argument,       NULL, O_HELP },
        { "version",        no_argument,       NULL, O_VERSION },
        { NULL, 0, NULL, 0 }
    };
    //  Text fields and numeric fields, each flag one row.
    char *text_fields [] = {
        [O_DATA] = config.data, [O_ENDPOINT] = config.endpoint,
        [O_BACKEND] = config.backend, [O_PUB] = config.pub,
    };
    int *int_fields [] = {
        [O_HEARTBEAT] = &config.heartbeat_ms, [O_ACK_TIMEOUT] = &config.ack_timeout_ms,
        [O_MAX_DELIVERIES] = &config.max_deliveries, [O_QUERY_TIMEOUT] = &config.query_timeout_ms,
        [O_MAX_RECEIPT_WAIT] = &config.max_receipt_wait_ms, [O_MAX_PENDING] = &config.max_pending,
        [O_MAX_BATCH] = &config.max_batch,
        [O_MAX_FRAME] = NULL, [O_MAX_MESSAGE] = NULL,
    };
    size_t *size_fields [] = {
        [O_MAX_FRAME] = &config.max_frame, [O_MAX_MESSAGE] = &config.max_message,
    };
    int option;
    while ((option = getopt_long (argc, argv, "h", options, NULL)) != -1) {
        if (option == O_HELP || option == 'h') {
            s_usage (stdout);
            return 0;
        }
        if (option == O_VERSION) {
            pl_version_print ("plenaryd", "broker/log.db", broker_store_sqlite_version ());
            return 0;
        }
        if (option == O_INSECURE) {
            config.insecure = 1;
            continue;
        }
        if (option == O_LOOPBACK_ROLE) {
            if (pl_role_rank (optarg) < 0) {
                fprintf (stderr, "plenaryd: --loopback-role: '%s' is not one of secretariat, "
                                 "record-keeper, delegate, public\n", optarg);
                return 2;
            }
            snprintf (config.loopback_role, sizeof config.loopback_role, "%s", optarg);
            continue;
        }
        if (option <= 0 || option > O_MAX_MESSAGE) {
            s_usage (stderr);
            return 2;
        }
        if (option <= O_PUB) {
            if (pl_config_set (text_fields [option], optarg)) {
                fprintf (stderr, "plenaryd: --%s: longer than %d bytes\n",
                         options [option - 1].name, PL_ENDPOINT_MAX - 1);
                return 2;
            }
            continue;
        }
        long long value = s_number (optarg);
        if (value < 0 || value > 0x7FFFFFFF) {
            fprintf (stderr, "plenaryd: --%s: expected a positive number, got '%s'\n",
                     options [option - 1].name, optarg);
            return 2;
        }
        if (option == O_MAX_BATCH && value > 65536) {
            fprintf (stderr, "plenaryd: --max-batch: %lld is more than 65536 events\n", value);
            return 2;
        }
        if (option >= O_MAX_FRAME)
            *size_fields [option] = (size_t) value;
        else
            *int_fields [option] = (int) value;
    }
    if (optind < argc) {
        fprintf (stderr, "plenaryd: unexpected argument '%s' (see --help)\n", argv [optind]);
        return 2;
    }

    struct sigaction action;
    memset (&action, 0, sizeof action);
    action.sa_handler = s_signal;
    sigemptyset (&action.sa_mask);
    sigaction (SIGTERM, &action, NULL);
    sigaction (SIGINT, &action, NULL);
    signal (SIGPIPE, SIG_IGN);

    broker_t *broker = broker_new (&config);
    if (!broker) {
        pl_error ("plenaryd: could not start; see above");
        return 1;
    }
    int rc = broker_run (broker, &s_stop);
    broker_destroy (&broker);
    pl_info ("plenaryd: stopped rc=%d", rc);
    return rc == 0 ? 0 : 1;
}

/*  plenaryd — the plenary broker: a thin main around the broker engine.

    Resolves its settings (pl_settings: flags over the environment over the
    configuration file over the defaults of pl_config), sets up
    signals, runs broker_run until SIGTERM/SIGINT, and maps the result to an
    exit code: 0 after a clean stop, 1 when the broker could not start or
    failed, 2 on a usage error. */
#include "broker.h"
#include "broker_store.h"
#include "pl_config.h"
#include "pl_settings.h"
#include "pl_fs.h"
#include "pl_proto.h"
#include "pl_log.h"
#include "pl_version.h"

#include <czmq.h>
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
"Options (a flag wins over PLENARY_* environment variables, which win over the\n"
"configuration file's [plenary] and [broker] keys, named as the flags, which\n"
"win over the defaults shown here):\n"
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
"                       " PL_STR (PL_MAX_BATCH_MAX) "): smaller bounds each commit's time, larger\n"
"                       its count\n"
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
"  --version            its version and the log's schema version\n", out);
    pl_settings_usage (out, "broker", 23);
    fputs (
"\n"
"Example:\n"
"  plenaryd --data /srv/plenary --endpoint 'tcp://127.0.0.1:*' \\\n"
"           --backend 'tcp://127.0.0.1:*' --pub 'tcp://127.0.0.1:*'\n"
"  cat /srv/plenary/plenaryd.ready\n", out);
}

int
main (int argc, char *argv [])
{
    zsys_handler_set (NULL);
    pl_fs_private ();           //  the log holds personal data: files 0600, folders 0700
    pl_config_t config;
    pl_config_defaults (&config);
    pl_settings_t *settings = pl_settings_new ("broker");
    if (!settings)
        return 1;
    pl_settings_bind_config (settings, &config);
    pl_settings_bind (settings, "insecure", &config.insecure, sizeof config.insecure);
    char err [1024];
    pl_settings_action_t what = pl_settings_parse (settings, argc, argv, err, sizeof err);
    if (what == PL_SETTINGS_HELP)
        s_usage (stdout);
    else
    if (what == PL_SETTINGS_VERSION)
        pl_version_print ("plenaryd", "broker/log.db", broker_store_sqlite_version ());
    int code = pl_settings_report (settings, what, err);
    pl_settings_destroy (&settings);
    if (code >= 0 || what == PL_SETTINGS_CHECK)
        return code >= 0 ? code : 0;            //  --check-config: they are good

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

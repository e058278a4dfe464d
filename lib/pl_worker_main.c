/*  pl_worker_main — the one main of every worker daemon (see the header).

    Flags over environment over the configuration file over defaults
    (pl_settings, pl_config), logging through
    pl_log, SIGTERM/SIGINT set the one stop flag that pl_worker_run polls. */
#include "pl_worker_main.h"
#include "pl_version.h"
#include "pl_config.h"
#include "pl_settings.h"
#include "pl_fs.h"
#include "pl_log.h"
#include "pl_queries.h"

#include <czmq.h>
#include <errno.h>
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
s_usage (FILE *out, const pl_worker_daemon_t *daemon)
{
    fprintf (out,
        "Usage: plenary-%s [--config FILE] [--data DIR] [--backend ENDPOINT] [--credit N]\n"
        "\n"
        "%s\n"
        "It connects to the broker's backend, catches up from its cursor and then\n"
        "applies events as they are published.  Its database, DIR/%s/%s.db, can be\n"
        "deleted at any time: it is rebuilt by replaying the broker's log.\n"
        "\n"
        "  --data DIR          data folder (default $PLENARY_DATA, else data in the\n"
        "                      configuration file, else ./var)\n"
        "  --backend ENDPOINT  broker backend (default $PLENARY_BACKEND or\n"
        "                      tcp://127.0.0.1:7101)\n"
        "  --credit N          events in flight to this worker, 1.." PL_STR (PL_WORKER_CREDIT_MAX)
        " (default 256)\n"
        "  --query-threads N   threads answering queries, each on a read-only connection\n"
        "                      of its own, so that a long query never holds up events or\n"
        "                      heartbeats; 0..16, 0 answers them on the loop (default 2)\n"
        "  --query-timeout MS  a query still running this long is stopped and answered\n"
        "                      504; keep it at or under plenaryd's --query-timeout\n"
        "                      (default 5000; the worker stops at nine tenths of it)\n"
        "  --cert FILE         its key, when the broker requires keys (PLENARY_CERT;\n"
        "                      'plenary keys init' makes DATA/keys/issued/NAME.key)\n"
        "  -h, --help          this text\n"
        "  --version           its version and its database's schema version\n",
        daemon->name, daemon->about, daemon->name, daemon->name);
    for (const pl_worker_option_t *option = daemon->options; option && option->name; option++) {
        char flag [64];
        snprintf (flag, sizeof flag, "--%s %s", option->name, option->value);
        //  As the common flags: the text at column 22, its lines under it
        fprintf (out, "  %-20s", flag);
        if (strlen (flag) > 19)
            fprintf (out, "\n  %-20s", "");
        for (const char *line = option->help; *line; ) {
            const char *end = strchr (line, '\n');
            size_t length = end ? (size_t) (end - line) : strlen (line);
            fprintf (out, "%.*s\n", (int) length, line);
            line += length + (end != NULL);
            if (*line)
                fprintf (out, "  %-20s", "");
        }
    }
    pl_settings_usage (out, daemon->name, 22);
    fprintf (out,
        "\n"
        "Example:\n"
        "  plenary-%s --data ./var --backend tcp://127.0.0.1:7101\n"
        "\n"
        "Stop it with Ctrl-C or SIGTERM.  Log level: PLENARY_LOG=debug|info|warn|error.\n",
        daemon->name);
}


//  Resolve the settings into CONFIG (and the worker's own, which its bind
//  callback binds); returns -1 to go on, or an exit code.
static int
s_parse (int argc, char *argv [], const pl_worker_daemon_t *daemon, pl_config_t *config)
{
    pl_settings_t *settings = pl_settings_new (daemon->name);     //  its section's name
    if (!settings)
        return 1;
    pl_settings_bind_config (settings, config);
    if (daemon->bind)
        daemon->bind (daemon->arg, settings);
    char err [1024] = "";
    pl_settings_action_t action = pl_settings_parse (settings, argc, argv, err, sizeof err);
    if (action == PL_SETTINGS_HELP)
        s_usage (stdout, daemon);
    else
    if (action == PL_SETTINGS_VERSION) {
        char program [64], database [128];
        snprintf (program, sizeof program, "plenary-%s", daemon->name);
        snprintf (database, sizeof database, "%s/%s.db", daemon->name, daemon->name);
        pl_version_print (program, daemon->store_version ? database : NULL,
                          daemon->store_version ? daemon->store_version () : 0);
    }
    int code = pl_settings_report (settings, action, err);
    if (code < 0 && daemon->check && daemon->check (daemon->arg, config, err, sizeof err)) {
        fprintf (stderr, "plenary-%s: %s\n", daemon->name, err);
        code = 2;
    }
    else
    if (code < 0 && action == PL_SETTINGS_CHECK)
        code = 0;                   //  --check-config: they are good
    pl_settings_destroy (&settings);
    return code;
}

int
pl_worker_main (int argc, char *argv [], const pl_worker_daemon_t *daemon)
{
    zsys_handler_set (NULL);
    pl_fs_private ();               //  its database holds personal data: 0600, 0700
    pl_config_t config;
    pl_config_defaults (&config);
    int code = s_parse (argc, argv, daemon, &config);
    if (code >= 0)
        return code;

    struct sigaction action;
    memset (&action, 0, sizeof action);
    action.sa_handler = s_on_signal;
    sigemptyset (&action.sa_mask);
    sigaction (SIGINT, &action, NULL);
    sigaction (SIGTERM, &action, NULL);

    char folder [PL_ENDPOINT_MAX + 64], path [PL_ENDPOINT_MAX + 128];
    snprintf (folder, sizeof folder, "%s/%s", config.data, daemon->name);
    snprintf (path, sizeof path, "%s/%s.db", folder, daemon->name);
    char err [512];
    if (pl_fs_mkdirs (folder, err, sizeof err)) {
        pl_error ("%s: %s", daemon->name, err);
        return 1;
    }
    pl_fs_tighten (folder);         //  files an older version made 0644
    char topics [1024];         //  the broker takes up to 1024 bytes of topics in READY
    if (daemon->topics (topics, sizeof topics)) {
        pl_error ("%s: its topics do not fit in %zu bytes", daemon->name, sizeof topics);
        return 1;
    }
    void *object = daemon->open_with ? daemon->open_with (daemon->arg, path, &config)
                                     : daemon->open (path);
    if (!object)
        return 1;
    int rc = -1;
    pl_worker_t *worker = pl_worker_new (&config, daemon->group, topics, daemon->service,
                                         daemon->handler (), object);
    if (worker && pl_worker_follow (worker, daemon->follows))
        pl_worker_destroy (&worker);
    if (worker) {
        pl_info ("%s: started db=%s backend=%s topics=%s%s%s", daemon->name, path,
                 config.backend, topics, daemon->follows ? " follows=" : "",
                 daemon->follows ? daemon->follows : "");
        rc = pl_worker_run (worker, &s_stop);
        pl_worker_destroy (&worker);
    }
    daemon->close (object);
    pl_info ("%s: stopped%s", daemon->name, rc ? " after a fatal error" : "");
    return rc ? 1 : 0;
}

/*  plenary-gateway — the HTTP gateway daemon.

    Thin main: flags over environment over the configuration file over
    defaults (pl_settings), signals, the address
    policy (gw_config_check: plain HTTP only on loopback unless told
    otherwise; exit 2 with the reason), the certificate (gw_tls), start the
    gw_http server, write DATA/gateway.ready ("http=HOST:PORT", the port
    actually bound, and "url=" the public URL, written atomically like
    plenaryd.ready) and wait for SIGTERM/SIGINT.  `plenary up` starts it as
    `plenary-gateway --data DATA --endpoint EP` with PLENARY_HTTP and
    PLENARY_PUB set (the PUB socket tells the feed cache of changes). */
#include "gw_http.h"
#include "pl_config.h"
#include "pl_settings.h"
#include "pl_fs.h"
#include "pl_log.h"
#include "pl_schema.h"
#include "pl_version.h"

#include <czmq.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_PATH_MAX 1024         //  --tls-cert, --tls-key

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
    //  In pieces: one string literal of it all is longer than C17 promises
    fputs (
        "Usage: plenary-gateway [--config FILE] [--data DIR] [--endpoint EP] [--pub EP]\n"
        "                       [--http HOST:PORT]\n"
        "                       [--public-url URL] [--tls-cert FILE --tls-key FILE]\n"
        "                       [--behind-proxy] [--insecure] [--threads N] [--cache-ms MS]\n"
        "                       [--cache-mb N] [--max-connections N] [--per-ip-limit N]\n"
        "                       [--header-timeout S]\n"
        "\n"
        "The HTTP gateway: serves the public web pages, rendered here from the\n"
        "workers' answers (no JavaScript needed; ?lang=ar|zh|en|fr|ru|es, else\n"
        "Accept-Language)\n"
        "  /                     meetings by convention, upcoming first\n"
        "  /meetings/ID          a meeting: programme by day, subscribe links, documents\n"
        "  /search?q=...         the archive's search (the parameters of /api/search)\n"
        "  /documents/SYMBOL     a document family; ?language=L[&revision=N] its text,\n"
        "                        &format=txt to download it\n"
        "the signed-in pages of web users ('plenary keys web-user'; needs --data to be\n"
        "the broker's data folder, whose keys/web/ holds their sealed keys)\n"
        "  /secretariat/sign-in  sign in (a session cookie; sign out from any page)\n"
        "  /secretariat/         the meetings; /secretariat/meetings/ID a dashboard;\n"
        "                        /secretariat/meetings/ID/queue the approval queue;\n"
        "                        /secretariat/meetings/ID/register the registration form\n", out);
    fputs (
        "the iCalendar feeds that delegates subscribe to\n"
        "  /ics/meetings/ID.ics  /ics/conventions/CODE.ics  /ics/p/TOKEN.ics  /ics/all.ics\n"
        "the JSON API the pages are rendered from\n"
        "  /api/search?q=...     /api/documents/SYMBOL\n"
        "  /api/meetings         /api/meetings/ID  /api/meetings/ID/sessions\n"
        "and the one-click unsubscribe link of plenary-notify's messages\n"
        "  /unsubscribe/TOKEN    (GET: a page with a button; POST: publishes\n"
        "                        mail.unsubscribed with the token's SHA-256)\n"
        "and, to this host only (a loopback address, not forwarded by a proxy;\n"
        "403 otherwise), the system's numbers in Prometheus's text format\n"
        "  /metrics              the broker's (broker.status) and the gateway's own\n"
        "by querying the workers through the broker (as role public).  When it\n"
        "listens it writes DIR/gateway.ready with the lines http=HOST:PORT and\n"
        "url=PUBLIC-URL.  A path or parameter that is not valid UTF-8 or holds a\n"
        "control character, and an unknown API parameter, is a 400 naming it.\n"
        "\n", out);
    fprintf (out,
        "  --data DIR        data folder for gateway.ready (default $PLENARY_DATA, else\n"
        "                    data in the configuration file, else ./var)\n"
        "  --endpoint EP     broker frontend (default $PLENARY_ENDPOINT or tcp://127.0.0.1:7100)\n"
        "  --pub EP          broker PUB socket, whose calendar verdicts tell the feed\n"
        "                    cache of changes (default $PLENARY_PUB or tcp://127.0.0.1:7102)\n"
        "  --cert FILE       the gateway's key, when the broker requires keys (default\n"
        "                    $PLENARY_CERT; 'plenary keys init' makes DATA/keys/issued/gateway.key)\n"
        "  --http HOST:PORT  where to listen (default $PLENARY_HTTP or 127.0.0.1:7180);\n"
        "                    port 0 or * takes a free one.  Plain HTTP is served on\n"
        "                    loopback only (127.0.0.0/8, ::1, localhost): another address\n"
        "                    needs --tls-cert and --tls-key, or --behind-proxy, or\n"
        "                    --insecure, else the gateway exits 2 and says so\n"
        "  --public-url URL  how calendar apps reach this server, for the feeds' SOURCE\n"
        "                    (default $PLENARY_PUBLIC_URL or http(s)://HOST:PORT)\n"
        "  --tls-cert FILE   serve HTTPS (TLS 1.2, 1.3) with this PEM certificate (then its\n"
        "                    chain); HTTP is then refused on the port\n"
        "  --tls-key FILE    its PEM private key, not encrypted; it should be mode 0600\n"
        "                    (a warning otherwise)\n"
        "  --behind-proxy    a reverse proxy on this host terminates TLS and forwards\n"
        "                    plain HTTP here: allows any address, needs an https://\n"
        "                    --public-url (the proxy's), trusts X-Forwarded-For from\n"
        "                    loopback peers only (for the client address in the log), and\n"
        "                    makes --per-ip-limit default to 0 (the proxy is one address;\n"
        "                    limit clients at the proxy)\n"
        "  --insecure        plain HTTP on any address, for a closed test network only\n"
        "                    (a warning in the log at start)\n"
        "  --threads N       server threads, 1..%d (default 8)\n"
        "  --cache-ms MS     serve a feed (200 or 304, plain or gzip) from the copy held\n"
        "                    in memory until a calendar verdict, or for MS at most;\n"
        "                    then ask the worker whether it changed (0..%d, default\n"
        "                    2000; 0: every request asks whether the feed held\n"
        "                    changed)\n"
        "  --cache-mb N      feeds held in memory, MiB at most (1..%d, default 64);\n"
        "                    past it the least recently served go\n"
        "  --max-connections N  open connections at most, 1..%d (default 4096)\n"
        "  --per-ip-limit N  open connections per client address, 0..max-connections\n"
        "                    (default 32; 0: no limit); more are closed at once\n"
        "  --header-timeout S  a request's line and headers must arrive within S seconds\n"
        "                    of the connection opening or of its last answer, else the\n"
        "                    connection is closed (1..%d, default 10): slow clients\n"
        "                    cannot hold every connection\n"
        "  -h, --help        this text\n"
        "  --version         its version (the gateway keeps no database)\n",
        PL_GATEWAY_THREADS_MAX, PL_GATEWAY_CACHE_MS_MAX, PL_GATEWAY_CACHE_MB_MAX,
        PL_GATEWAY_CONNECTIONS_MAX, PL_GATEWAY_HEADER_TIMEOUT_MAX);
    pl_settings_usage (out, "gateway", 20);
    fputs (
        "\n"
        "Examples:\n"
        "  plenary-gateway --data ./var --http 127.0.0.1:7180 \\\n"
        "      --public-url https://meetings.example.org --behind-proxy\n"
        "  plenary-gateway --data ./var --http 0.0.0.0:443 \\\n"
        "      --tls-cert /etc/plenary/cert.pem --tls-key /etc/plenary/key.pem \\\n"
        "      --public-url https://meetings.example.org\n"
        "\n"
        "Stop it with Ctrl-C or SIGTERM.  Log level: PLENARY_LOG=debug|info|warn|error.\n", out);
}

//  Write DATA/gateway.ready atomically (a temporary file renamed over it).
static int
s_write_ready (const char *data, const char *host, uint16_t port, const char *url)
{
    char path [PL_ENDPOINT_MAX + 32], temporary [PL_ENDPOINT_MAX + 48];
    snprintf (path, sizeof path, "%s/gateway.ready", data);
    snprintf (temporary, sizeof temporary, "%s.%d", path, (int) getpid ());
    FILE *file = fopen (temporary, "w");
    if (!file
    ||  fprintf (file, "http=%s:%u\nurl=%s\n", host, (unsigned) port, url) < 0
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
    pl_fs_private ();               //  its ready file and any log it writes: 0600
    gw_config_t config;
    gw_config_defaults (&config);
    char cert_file [S_PATH_MAX] = "", key_file [S_PATH_MAX] = "";
    pl_settings_t *settings = pl_settings_new ("gateway");
    if (!settings)
        return 1;
    pl_settings_bind_config (settings, &config.config);
    static const struct {
        const char *name;
        size_t offset, size;
    } fields [] = {
        { "public-url", offsetof (gw_config_t, public_url), sizeof config.public_url },
        { "behind-proxy", offsetof (gw_config_t, behind_proxy), sizeof config.behind_proxy },
        { "insecure", offsetof (gw_config_t, insecure), sizeof config.insecure },
        { "threads", offsetof (gw_config_t, threads), sizeof config.threads },
        { "cache-ms", offsetof (gw_config_t, cache_ms), sizeof config.cache_ms },
        { "cache-mb", offsetof (gw_config_t, cache_bytes), sizeof config.cache_bytes },
        { "max-connections", offsetof (gw_config_t, connections), sizeof config.connections },
        { "per-ip-limit", offsetof (gw_config_t, per_ip_limit), sizeof config.per_ip_limit },
        { "header-timeout", offsetof (gw_config_t, header_timeout_s),
          sizeof config.header_timeout_s },
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields [0]; i++)
        pl_settings_bind (settings, fields [i].name, (char *) &config + fields [i].offset,
                          fields [i].size);
    pl_settings_bind (settings, "tls-cert", cert_file, sizeof cert_file);
    pl_settings_bind (settings, "tls-key", key_file, sizeof key_file);
    char err [PL_ERR_MAX + 2 * S_PATH_MAX];
    pl_settings_action_t what = pl_settings_parse (settings, argc, argv, err, sizeof err);
    //  Behind a proxy every client comes from the proxy's address
    if (what != PL_SETTINGS_USAGE && config.behind_proxy
    &&  !pl_settings_given (settings, "per-ip-limit")) {
        config.per_ip_limit = 0;
        pl_settings_derive (settings, "per-ip-limit", "0", "default behind a proxy");
    }
    if (what == PL_SETTINGS_HELP)
        s_usage (stdout);
    else
    if (what == PL_SETTINGS_VERSION)
        pl_version_print ("plenary-gateway", NULL, 0);
    int code = pl_settings_report (settings, what, err);
    pl_settings_destroy (&settings);
    if (code >= 0)
        return code;
    snprintf (config.http, sizeof config.http, "%s", config.config.http);
    if (!*cert_file != !*key_file) {
        fprintf (stderr, "plenary-gateway: --tls-cert and --tls-key go together\n");
        return 2;
    }
    if (config.per_ip_limit > config.connections) {
        fprintf (stderr, "plenary-gateway: --per-ip-limit %u is above --max-connections %u\n",
                 config.per_ip_limit, config.connections);
        return 2;
    }
    gw_tls_t *tls = NULL;
    if (*cert_file && !(tls = gw_tls_new (cert_file, key_file, err, sizeof err))) {
        fprintf (stderr, "plenary-gateway: %s\n", err);
        return 2;
    }
    config.tls = tls;
    int loopback;
    if (gw_config_check (&config, &loopback, err, sizeof err)) {
        fprintf (stderr, "plenary-gateway: %s\n", err);
        gw_tls_destroy (&tls);
        return 2;
    }
    if (what == PL_SETTINGS_CHECK) {
        gw_tls_destroy (&tls);
        return 0;                   //  --check-config: they are good
    }
    if (!loopback && !tls && config.insecure && !config.behind_proxy)
        pl_warn ("gateway: --insecure: PLAIN HTTP ON A NON-LOOPBACK ADDRESS http=%s: private "
                 "calendar tokens and searches cross the network in clear text; for a closed "
                 "test network only", config.http);
    if (config.behind_proxy && !tls)
        pl_info ("gateway: behind a proxy that terminates TLS public_url=%s: X-Forwarded-For "
                 "trusted from loopback peers only per_ip_limit=%u", config.public_url,
                 config.per_ip_limit);

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
    if (!server) {
        gw_tls_destroy (&tls);
        return 1;
    }
    char host [PL_ENDPOINT_MAX];
    snprintf (host, sizeof host, "%s", config.http);
    *strrchr (host, ':') = 0;           //  gw_http_new accepted HOST:PORT
    int rc = 0;
    if (s_write_ready (config.config.data, host, gw_http_port (server),
                       gw_http_public_url (server)))
        rc = 1;
    else {
        pl_info ("gateway: listening %s=%s:%u public_url=%s endpoint=%s pub=%s cache_ms=%d "
                 "cache_mb=%zu max_connections=%u per_ip_limit=%u header_timeout_s=%u",
                 tls ? "https" : "http", host, (unsigned) gw_http_port (server),
                 gw_http_public_url (server), config.config.endpoint, config.config.pub,
                 config.cache_ms, config.cache_bytes >> 20, config.connections, config.per_ip_limit,
                 config.header_timeout_s);
        while (!s_stop)
            sigsuspend (&waiting);
    }
    gw_http_destroy (&server);
    gw_tls_destroy (&tls);
    pl_info ("gateway: stopped");
    return rc;
}

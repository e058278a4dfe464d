/*  plenary-notify — the notify worker daemon.

    Thin main: the notify worker described as a pl_worker_daemon_t, with
    its own flags (the relay, the sender's address, the templates, the
    digest); flags, signals, the data folder and the engine are
    pl_worker_main's.  Its database is DATA/notify/notify.db and its mail
    key DATA/secrets/mail.key.  `plenary up` starts it, when PLENARY_SMTP
    or the configuration file's [notify] smtp names a relay, as
    `plenary-notify --data DATA --backend EP`. */
#include "notify_config.h"
#include "notify_sender.h"
#include "notify_store.h"
#include "notify_template.h"
#include "notify_worker.h"
#include "pl_log.h"
#include "pl_mailkey.h"
#include "pl_worker_main.h"
#include "pl_zone.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  What main makes and the daemon's callbacks fill: the settings, and the
//  worker's pieces, freed by s_close.
typedef struct {
    notify_config_t config;
    notify_templates_t *templates;  //  loaded by s_check, taken by the sender
    notify_sender_t *sender;
} s_notify_t;

static const pl_worker_option_t s_options [] = {
    { "smtp", "URL", "the mail relay, smtp://host:port (STARTTLS;\n"
      "required unless on loopback) or smtps://host:port\n"
      "(default $PLENARY_SMTP; $PLENARY_SMTP_USER and\n"
      "$PLENARY_SMTP_PASSWORD authenticate)" },
    { "from", "ADDRESS", "the sender, e.g. isu@example.org\n(default $PLENARY_MAIL_FROM)" },
    { "public-url", "URL", "what links in messages start with (default\n"
      "$PLENARY_PUBLIC_URL, else http://$PLENARY_HTTP)" },
    { "templates", "DIR", "the message templates (default: notify-templates\n"
      "beside the binary, else the installed\n"
      "share/plenary/notify-templates); checked at start" },
    { "secretariat", "ADDRESS", "where the daily digest goes (default\n"
      "$PLENARY_SECRETARIAT_MAIL; none: no digest)" },
    { "digest-at", "HH:MM", "when the digest is written (default 07:00)" },
    { "digest-tz", "ZONE", "in this time zone (default UTC)" },
    { "batch", "SECONDS", "a subscriber gets one message per this at most\n(1.." PL_STR (PL_NOTIFY_BATCH_MAX) ", default 900)" },
    { "rate", "N", "messages handed to the relay per second at most\n(1.." PL_STR (PL_NOTIFY_RATE_MAX) ", default 10)" },
    { "retry", "MS", "first wait after a 4xx or a relay down, doubling\nto 15 min (" PL_STR (PL_NOTIFY_RETRY_MIN) ".." PL_STR (PL_NOTIFY_RETRY_MAX) ", default 2000)" },
    { NULL, NULL, NULL }
};

//  pl_worker_daemon_t.bind: its settings to the fields holding their defaults
static void
s_bind (void *arg, pl_settings_t *settings)
{
    s_notify_t *self = arg;
    notify_config_bind (&self->config, settings);
}

//  pl_worker_daemon_t.check: the settings, the zone and the templates
static int
s_check (void *arg, const pl_config_t *config, char *err, size_t errsize)
{
    s_notify_t *self = arg;
    if (notify_config_check (&self->config, config, err, errsize))
        return -1;
    char date [16];
    if (pl_zone_local_date (self->config.digest_tz, 0, date, sizeof date)) {
        snprintf (err, errsize, "--digest-tz: no time zone %s in the tz database",
                  self->config.digest_tz);
        return -1;
    }
    char why [1024];
    self->templates = notify_templates_load (self->config.templates, why, sizeof why);
    if (!self->templates) {
        snprintf (err, errsize, "templates: %s", why);
        return -1;
    }
    return 0;
}

//  pl_worker_daemon_t.open_with: the store, the mail key, the sender, the worker
static void *
s_open (void *arg, const char *path, const pl_config_t *config)
{
    s_notify_t *self = arg;
    uint8_t key [PL_MAILKEY_BYTES];
    char err [512];
    if (pl_mailkey_load (config->data, key, err, sizeof err)) {
        pl_error ("notify: %s", err);
        return NULL;
    }
    notify_store_t *store = notify_store_new (path);
    if (store && notify_store_checkpoints_elsewhere (store))
        notify_store_destroy (&store);
    if (store)
        self->sender = notify_sender_new (path, &self->config, key, &self->templates);
    notify_worker_t *worker = self->sender
        ? notify_worker_new (store, &self->config, key, notify_sender_wake, self->sender) : NULL;
    memset (key, 0, sizeof key);
    if (!worker) {
        notify_sender_destroy (&self->sender);
        notify_store_destroy (&store);
    }
    return worker;
}

static void
s_close (void *object)
{
    notify_worker_t *worker = object;
    notify_store_t *store = notify_worker_store (worker);
    notify_worker_destroy (&worker);
    notify_store_destroy (&store);
}

int
main (int argc, char *argv [])
{
    curl_global_init (CURL_GLOBAL_DEFAULT);
    s_notify_t self = { 0 };
    notify_config_defaults (&self.config);
    pl_worker_daemon_t daemon = {
        .name = "notify", .group = NOTIFY_GROUP, .service = NOTIFY_SERVICE,
        .about =
            "The notify worker: tells each person by e-mail what changed for them, once:\n"
            "participants their registration (received, pending, approved, confirmed,\n"
            "rejected, withdrawn) with their private calendar address, focal points the\n"
            "registrations that wait for them, the registered participants of a meeting a\n"
            "session moved or cancelled (iTIP), subscribers the documents released, the\n"
            "secretariat a daily digest.  It follows records', the archive's and the\n"
            "calendar's verdicts; messages wait in an outbox in its database, each with a\n"
            "Message-ID made of the event's seq and the recipient, and a thread hands them\n"
            "to the relay.  Events logged before its database was made (a rebuild from\n"
            "the log) are recorded as replayed, never sent.  'plenary notify status'\n"
            "shows the outbox and the relay.",
        .open = NULL, .close = s_close, .store_version = notify_store_version, .follows = NOTIFY_FOLLOWS,
        .topics = notify_worker_topics, .handler = notify_worker_handler,
        .options = s_options, .bind = s_bind, .check = s_check, .open_with = s_open,
        .arg = &self,
    };
    int code = pl_worker_main (argc, argv, &daemon);
    //  The worker is closed; now the sender (its pending send aborted)
    notify_sender_destroy (&self.sender);
    notify_templates_destroy (&self.templates);
    curl_global_cleanup ();
    return code;
}

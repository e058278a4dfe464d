/*  notify_config — plenary-notify's settings, defaults and checks (see the
    header). */
#include "notify_config.h"
#include "notify_smtp.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
s_copy (char *field, size_t size, const char *value)
{
    if (strlen (value) >= size)
        return -1;
    memcpy (field, value, strlen (value) + 1);
    return 0;
}

void
notify_config_defaults (notify_config_t *self)
{
    memset (self, 0, sizeof *self);
    snprintf (self->digest_at, sizeof self->digest_at, "07:00");
    snprintf (self->digest_tz, sizeof self->digest_tz, "UTC");
    //  Releases come in bursts (six languages of a document within hours):
    //  one message a quarter of an hour is news without a flood
    self->batch_ms = 15 * 60 * 1000;
    //  A relay of an organisation takes tens a second; 10 keeps us polite
    self->rate = 10;
    self->retry_initial_ms = 2000;
    self->retry_max_ms = 15 * 60 * 1000;
    //  With waits doubling to 15 min, 100 attempts are about a day
    self->max_attempts = 100;
    self->timeout_ms = 30000;
    //  A database made a moment after the first events were logged (plenary
    //  up, then a script at once) must still tell of them; one made for a
    //  system with a past must not tell of that past
    self->replay_grace_ms = 5 * 60 * 1000;
    //  The relay's login, a secret, only from the environment (notify.env,
    //  0600); every other setting is pl_settings' (notify_config_bind)
    const char *user = getenv ("PLENARY_SMTP_USER"), *password = getenv ("PLENARY_SMTP_PASSWORD");
    if (user)
        s_copy (self->smtp_user, sizeof self->smtp_user, user);
    if (password)
        s_copy (self->smtp_password, sizeof self->smtp_password, password);
}

void
notify_config_bind (notify_config_t *self, pl_settings_t *settings)
{
    static const struct {
        const char *name;
        size_t offset, size;
    } fields [] = {
        { "smtp", offsetof (notify_config_t, smtp), sizeof self->smtp },
        { "from", offsetof (notify_config_t, from), sizeof self->from },
        { "public-url", offsetof (notify_config_t, public_url), sizeof self->public_url },
        { "templates", offsetof (notify_config_t, templates), sizeof self->templates },
        { "secretariat", offsetof (notify_config_t, secretariat), sizeof self->secretariat },
        { "digest-at", offsetof (notify_config_t, digest_at), sizeof self->digest_at },
        { "digest-tz", offsetof (notify_config_t, digest_tz), sizeof self->digest_tz },
        { "batch", offsetof (notify_config_t, batch_ms), sizeof self->batch_ms },
        { "rate", offsetof (notify_config_t, rate), sizeof self->rate },
        { "retry", offsetof (notify_config_t, retry_initial_ms), sizeof self->retry_initial_ms },
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields [0]; i++)
        pl_settings_bind (settings, fields [i].name, (char *) self + fields [i].offset,
                          fields [i].size);
}

int
notify_config_check (notify_config_t *self, const pl_config_t *config, char *err, size_t errsize)
{
    if (!*self->smtp) {
        snprintf (err, errsize, "no mail relay: set PLENARY_SMTP, --smtp or smtp in the "
                  "configuration file's [notify] "
                  "(smtp://host:port or smtps://host:port)");
        return -1;
    }
    char why [256];
    if (!notify_smtp_url_valid (self->smtp, why, sizeof why)) {
        snprintf (err, errsize, "--smtp: %s", why);
        return -1;
    }
    if (!*self->from || !strchr (self->from, '@') || strpbrk (self->from, " <>\r\n")) {
        snprintf (err, errsize, "no sender address: set PLENARY_MAIL_FROM, --from or from in "
                  "[notify] to an "
                  "address such as isu@example.org (not '%s')", self->from);
        return -1;
    }
    if (*self->secretariat && (!strchr (self->secretariat, '@')
                           ||  strpbrk (self->secretariat, " <>\r\n"))) {
        snprintf (err, errsize, "--secretariat: '%s' is not an e-mail address", self->secretariat);
        return -1;
    }
    int hour, minute;
    char rest;
    if (sscanf (self->digest_at, "%2d:%2d%c", &hour, &minute, &rest) != 2 || hour < 0
    ||  hour > 23 || minute < 0 || minute > 59) {
        snprintf (err, errsize, "--digest-at: want HH:MM, not '%s'", self->digest_at);
        return -1;
    }
    if (!*self->public_url)
        snprintf (self->public_url, sizeof self->public_url, "http://%.500s", config->http);
    size_t length = strlen (self->public_url);
    while (length && self->public_url [length - 1] == '/')
        self->public_url [--length] = 0;
    if (strncmp (self->public_url, "http://", 7) && strncmp (self->public_url, "https://", 8)) {
        snprintf (err, errsize, "--public-url: want http:// or https://, not '%s'",
                  self->public_url);
        return -1;
    }
    if (!*self->templates) {
        //  In the build folder, the copy beside the binary; installed, the
        //  one in the data folder relative to it (so a prefix given at
        //  install time works), else the one the build configured
        char exe [PATH_MAX];
        ssize_t got = readlink ("/proc/self/exe", exe, sizeof exe - 1);
        exe [got > 0 ? got : 0] = 0;
        char *slash = strrchr (exe, '/');
        if (slash)
            *slash = 0;
        struct stat info;
        snprintf (self->templates, sizeof self->templates, "%.900s/notify-templates", exe);
#ifdef PL_NOTIFY_TEMPLATES_RELATIVE
        if (stat (self->templates, &info) || !S_ISDIR (info.st_mode))
            snprintf (self->templates, sizeof self->templates, "%.900s/%s", exe,
                      PL_NOTIFY_TEMPLATES_RELATIVE);
#endif
        if (stat (self->templates, &info) || !S_ISDIR (info.st_mode))
            snprintf (self->templates, sizeof self->templates, "%s", PL_NOTIFY_TEMPLATES);
    }
    return 0;
}

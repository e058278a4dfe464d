/*  notify_config — plenary-notify's own settings: the relay, the sender's
    address, the public address links point at, the templates, the
    secretariat's digest, and the sender's limits and intervals, each with
    its default and reason (notify_config_defaults).

    notify_config_defaults, then pl_settings resolves each of them (flag
    over PLENARY_SMTP, PLENARY_MAIL_FROM, PLENARY_PUBLIC_URL,
    PLENARY_SECRETARIAT_MAIL over the configuration file's [notify] over
    the default) into the fields notify_config_bind names, then
    notify_config_check.  The relay's login is a secret read only from the
    environment (PLENARY_SMTP_USER, PLENARY_SMTP_PASSWORD). */
#ifndef NOTIFY_CONFIG_H_INCLUDED
#define NOTIFY_CONFIG_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include "pl_config.h"
#include "pl_settings.h"

typedef struct {
    char smtp [512];            //  smtp://host:port or smtps://host:port (PLENARY_SMTP)
    char smtp_user [256];       //  PLENARY_SMTP_USER, "" for none
    char smtp_password [256];   //  PLENARY_SMTP_PASSWORD
    char from [256];            //  the sender's address (PLENARY_MAIL_FROM)
    char public_url [512];      //  what links in messages start with (PLENARY_PUBLIC_URL)
    char templates [1024];      //  the templates' folder; "" for the one beside the binary
    char secretariat [256];     //  the digest's recipient (PLENARY_SECRETARIAT_MAIL), "" for none
    char digest_at [8];         //  HH:MM, when the day's digest is written; default 07:00
    char digest_tz [64];        //  in this zone; default UTC
    int batch_ms;               //  a subscriber gets at most one notice message per this; 15 min
    int rate;                   //  messages handed to the relay per second at most; 10
    int retry_initial_ms;       //  first wait after a 4xx or a relay down; 2000
    int retry_max_ms;           //  the longest wait between attempts; 15 min
    int max_attempts;           //  a message still refused (4xx) after this many fails; 100
    int timeout_ms;             //  one SMTP conversation at most; 30000
    int64_t replay_grace_ms;    //  an event logged this long before the database was
                                //  made is still news; older ones are replayed; 5 min
} notify_config_t;

//  Defaults, and the relay's login from the environment.
void notify_config_defaults (notify_config_t *self);

//  Bind every setting of [notify] to its field of SELF (pl_settings_bind):
//  their values now are the defaults.  SELF must outlive SETTINGS.
void notify_config_bind (notify_config_t *self, pl_settings_t *settings);

//  Judge the whole (a relay and a sender are required; URLs and times
//  valid), the public URL defaulting to http://PLENARY_HTTP of CONFIG, and
//  the templates to those beside the running binary (the build folder),
//  else share/plenary/notify-templates relative to it (an installed prefix),
//  else the folder compiled in (PL_NOTIFY_TEMPLATES).  0, or -1 with ERR.
int notify_config_check (notify_config_t *self, const pl_config_t *config,
                         char *err, size_t errsize);

#endif

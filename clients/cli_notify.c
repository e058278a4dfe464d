/*  cli_notify — `plenary subscribe`, `plenary unsubscribe` (events
    subscription.added and subscription.removed, decided by the notify
    worker; rows run by cli_event) and `plenary notify status` (query
    notify.status: the outbox and the relay).  `plenary status` shows the
    notify worker's outbox too (cli_notify_summary). */
#include "cli_event.h"
#include "cli_util.h"

#include <czmq.h>
#include <string.h>

static const cli_flag_t s_subscribe_flags [] = {
    { "email",      "email",      1, 1 },
    { "meeting",    "meeting",    1, 0 },
    { "convention", "convention", 1, 0 },
    { "language",   "language",   1, 0 },
    { "role",       "role",       1, 0 },
    { "id-event",   NULL,         1, 0 },
    { "json",       NULL,         0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_subscribe = {
    "subscription.added", NULL, "subscription", s_subscribe_flags,
    "usage: plenary subscribe --email E (--meeting M | --convention C) [--language L]\n"
    "                         [--role public|delegate|record-keeper] [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Subscribes address E to the documents released for meeting M, or for every\n"
    "meeting of convention C (event subscription.added, decided by the notify\n"
    "worker).  With --language L (ar zh en fr ru es) only releases in L are\n"
    "announced, and the messages are written in L; without it every language, in\n"
    "English.  plenary-notify sends E at most one message per interval (its\n"
    "--batch, 15 minutes by default) listing the releases since the last one.\n"
    "Only documents whose distribution in force the subscriber may read are\n"
    "announced, judged when the message is written: --role says what the\n"
    "secretariat vouches E may read (public, the default: general documents;\n"
    "delegate or record-keeper: limited ones too).  Restricted documents are\n"
    "never mailed.  Every message carries a one-click unsubscribe link; a later\n"
    "subscribe of the same address undoes such an unsubscription.  Refused (exit\n"
    "1) when the meeting does not exist or E already follows it in that language.\n"
    "\n"
    "examples:\n"
    "  plenary subscribe --email archives@example.org --meeting ccm-msp13 --language zh\n"
    "  plenary subscribe --email mission@example.ch --convention CCM --role delegate\n",
    "subscribed %s", "email", NULL
};

static const cli_flag_t s_unsubscribe_flags [] = {
    { "email",      "email",      1, 1 },
    { "meeting",    "meeting",    1, 0 },
    { "convention", "convention", 1, 0 },
    { "language",   "language",   1, 0 },
    { "id-event",   NULL,         1, 0 },
    { "json",       NULL,         0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_unsubscribe = {
    "subscription.removed", NULL, "subscription", s_unsubscribe_flags,
    "usage: plenary unsubscribe --email E [--meeting M | --convention C] [--language L]\n"
    "                           [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Ends the subscriptions of address E that match: to meeting M or convention\n"
    "C, in language L; without --meeting and --convention, every subscription of\n"
    "E (event subscription.removed, decided by the notify worker).  Refused (exit\n"
    "1) when E follows nothing that matches.\n"
    "\n"
    "example:\n"
    "  plenary unsubscribe --email archives@example.org --meeting ccm-msp13\n",
    "unsubscribed %s", "email", NULL
};

int
cli_subscribe (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_subscribe, argc, argv);
}

int
cli_unsubscribe (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_unsubscribe, argc, argv);
}

//  ---------------------------------------------------------------------------
//  notify status

static const cli_flag_t s_status_flags [] = {
    { "failures", "failures", 1, 0 },
    { "json",     NULL,       0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_status_help =
    "usage: plenary notify status [--failures N] [--json]\n"
    "\n"
    "The notify worker's outbox and mail relay (query notify.status, the\n"
    "secretariat's only): messages queued, sent, failed for good, suppressed (their\n"
    "address unsubscribed) and replayed (events older than its database, recorded\n"
    "without sending); releases waiting for their subscriber's next message; whether\n"
    "the relay answers, with its last error and the next attempt while it is down;\n"
    "and the latest N (default 20) messages the relay refused for good (a 5xx\n"
    "answer), with the address and the relay's answer.\n"
    "\n"
    "example:\n"
    "  plenary notify status --failures 5\n";

static const cli_column_t s_failure_columns [] = {
    { "AT",         "at",         20 },
    { "KIND",       "kind",       22 },
    { "RECIPIENT",  "recipient",  30 },
    { "ERROR",      "error",      50 },
    { NULL, NULL, 0 }
};

static int
s_notify_status (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_status_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_status_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    json_t *query = cli_payload (cli, &args, "notify.status");
    if (!query)
        return CLI_USAGE;
    json_t *reply = cli_query (cli, "notify.status", query);
    json_decref (query);
    if (!reply)
        return CLI_FAILED;
    if (cli_value (&args, "json"))
        cli_json (reply);
    else {
        cli_print ("relay %s: %s", json_string_value (json_object_get (reply, "relay")),
                   json_string_value (json_object_get (reply, "relay_state")));
        const char *error = json_string_value (json_object_get (reply, "relay_error"));
        const char *retry = json_string_value (json_object_get (reply, "retry_at"));
        if (error)
            cli_print (" (%s)", error);
        if (retry)
            cli_print (", next attempt %s", retry);
        cli_print ("\n");
        static const char *const counts [] = {
            "queued", "sent", "failed", "suppressed", "replayed", "notices" };
        for (size_t i = 0; i < sizeof counts / sizeof counts [0]; i++)
            cli_print ("%s%s %lld", i ? ", " : "", counts [i],
                       (long long) json_integer_value (json_object_get (reply, counts [i])));
        json_t *oldest = json_object_get (reply, "oldest_queued_ms");
        if (oldest)
            cli_print (" (the oldest queued for %lld s)",
                       (long long) json_integer_value (oldest) / 1000);
        cli_print ("\n");
        json_t *failures = json_object_get (reply, "failures");
        if (json_array_size (failures)) {
            cli_print ("refused for good, newest first:\n");
            cli_table (s_failure_columns, failures);
        }
    }
    json_decref (reply);
    return CLI_OK;
}

static const cli_command_t s_notify_commands [] = {
    { "status", s_notify_status, "the outbox and the mail relay of plenary-notify" },
    { NULL, NULL, NULL }
};

int
cli_notify (cli_t *cli, int argc, char **argv)
{
    if (argc < 2 || streq (argv [1], "--help") || streq (argv [1], "-h")) {
        cli_print ("usage: plenary notify COMMAND [FLAGS]\n\ncommands:\n");
        cli_print_commands (s_notify_commands);
        cli_print ("\nexample:\n  plenary notify status\n"
                   "'plenary notify COMMAND --help' explains each.\n");
        return argc < 2 ? CLI_USAGE : CLI_OK;
    }
    return cli_dispatch (cli, s_notify_commands, "plenary notify", argc - 1, argv + 1);
}

void
cli_notify_summary (cli_t *cli, const json_t *groups)
{
    //  Only when a notify worker is there: asking a service nobody offers
    //  would wait for the broker's query timeout
    int present = 0;
    size_t index;
    json_t *group;
    json_array_foreach (groups, index, group)
        present |= streq (json_string_value (json_object_get (group, "group")) ?
                          json_string_value (json_object_get (group, "group")) : "", "notify")
                && json_integer_value (json_object_get (group, "workers")) > 0;
    if (!present)
        return;
    json_t *query = json_pack ("{s:i}", "failures", 0);
    json_t *reply = query ? cli_query (cli, "notify.status", query) : NULL;
    json_decref (query);
    if (!reply)
        return;
    cli_print ("notify: relay %s, %lld queued, %lld sent, %lld failed for good%s\n",
               json_string_value (json_object_get (reply, "relay_state")),
               (long long) json_integer_value (json_object_get (reply, "queued")),
               (long long) json_integer_value (json_object_get (reply, "sent")),
               (long long) json_integer_value (json_object_get (reply, "failed")),
               json_integer_value (json_object_get (reply, "failed"))
               ? " (plenary notify status)" : "");
    json_decref (reply);
}

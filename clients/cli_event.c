/*  cli_event — publish one event built from flags and report its verdict
    (see cli_event.h).  The subcommands are rows of data in cli_meeting.c,
    cli_session.c, cli_delegation.c and cli_register.c; this is their one
    code path. */
#include "cli_event.h"
#include "pl_schema.h"

#include <czmq.h>
#include <string.h>

json_t *
cli_event_repeated (int argc, char **argv, const char *name)
{
    json_t *values = NULL;
    size_t length = strlen (name);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv [i];
        const char *value = NULL;
        if (strcmp (arg, "--") == 0)
            break;
        if (strncmp (arg, "--", 2) == 0 && strncmp (arg + 2, name, length) == 0) {
            if (arg [2 + length] == 0 && i + 1 < argc)
                value = argv [++i];
            else
            if (arg [2 + length] == '=')
                value = arg + 3 + length;
        }
        if (!value)
            continue;
        if (!values)
            values = json_array ();
        json_array_append_new (values, json_string (value));
    }
    return values;
}

int
cli_event_run (cli_t *cli, const cli_event_command_t *command, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, command->flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", command->help);
        return rc;
    }
    if (command->positional && args.argc != 1)
        return cli_usage (cli, args.argc ? "one %s, please" : "which %s? give its id",
                          command->what);
    if (!command->positional && args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    json_t *payload = cli_payload (cli, &args, command->topic);
    if (!payload)
        return CLI_USAGE;
    if (command->positional) {
        json_t *value = json_string (args.argv [0]);
        if (!value) {
            json_decref (payload);
            return cli_usage (cli, "the %s is not valid UTF-8 text", command->what);
        }
        json_object_set_new (payload, command->positional, value);
    }
    if (command->adjust && (rc = command->adjust (cli, &args, argc, argv, payload))) {
        json_decref (payload);
        return rc;
    }
    //  The verdict that decides it: its authority's (records', notify's...)
    const pl_message_t *message = pl_schema_find (command->topic);
    cli_receipt_t receipt;
    rc = cli_publish (cli, &args, command->topic, cli_value (&args, "id-event"), payload,
                      message && message->authority ? message->authority : "records", &receipt);
    char *subject = strdup (json_string_value (json_object_get (payload, command->done_field))
                            ? json_string_value (json_object_get (payload, command->done_field))
                            : "");
    json_decref (payload);
    if (rc || !subject) {
        free (subject);
        return rc ? rc : CLI_FAILED;
    }
    int applied = streq (receipt.verdict, "applied");
    if (cli_value (&args, "json")) {
        json_t *out = cli_receipt_json (&receipt, applied ? subject : NULL);
        cli_json (out);
        json_decref (out);
    }
    else
    if (applied) {
        cli_print (command->done, subject);
        cli_print (" (seq %llu%s)\n", (unsigned long long) receipt.ack.seq,
                   receipt.ack.duplicate ? ", already in the log" : "");
    }
    free (subject);
    if (applied)
        return CLI_OK;
    cli_error ("%s: %s", receipt.verdict, *receipt.reason ? receipt.reason : "no reason given");
    return CLI_FAILED;
}

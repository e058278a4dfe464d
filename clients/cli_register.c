/*  cli_register — `plenary register` (event participant.registered, waiting
    for the records group's verdict) and `plenary participants` (query
    participant.list).  A participant's id is "p" followed by the sequence
    number of the event that registered it. */
#include "cli_util.h"
#include "pl_schema.h"

#include <czmq.h>
#include <string.h>

static const cli_flag_t s_register_flags [] = {
    { "meeting",      "meeting",      1, 1 },
    { "family-name",  "family_name",  1, 1 },
    { "given-name",   "given_name",   1, 0 },
    { "delegation",   "delegation",   1, 1 },
    { "function",     "function",     1, 0 },
    { "gender",       "gender",       1, 0 },
    { "email",        "email",        1, 0 },
    { "sponsored",    "sponsored",    0, 0 },
    { "title",        "title",        1, 0 },
    { "position",     "position",     1, 0 },
    { "organization", "organization", 1, 0 },
    { "note",         "note",         1, 0 },
    { "id",           NULL,           1, 0 },
    { "json",         NULL,           0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_register_help =
    "usage: plenary register --meeting M --family-name F [--given-name G] --delegation CODE\n"
    "                        [--function head|alternate|adviser|expert] [--gender f|m|x]\n"
    "                        [--email E] [--sponsored] [--title T] [--position P]\n"
    "                        [--organization O] [--note N] [--id EVENT_ID] [--json]\n"
    "\n"
    "Registers one participant (event participant.registered) and waits until the\n"
    "records worker has applied it.  The participant's id is \"p\" followed by the\n"
    "event's sequence number.  CODE is the delegation's ISO 3166-1 alpha-2 code (FR)\n"
    "or an organisation's code (ICRC).  --id makes publishing idempotent: the same\n"
    "event id again returns the first sequence number (duplicate true), never a\n"
    "second registration.\n"
    "\n"
    "Prints \"registered p42 Dupont, Anne (FR) to ccm-msp13\", or with --json\n"
    "{\"seq\", \"event_id\", \"duplicate\", \"verdict\", \"reason\", \"id\"}.  Exit 1 with\n"
    "the reason on stderr when the records worker rejects it (\"meeting ccm-msp99\n"
    "does not exist\", a person already registered), exit 2 for a missing flag or a\n"
    "value the schema refuses (nothing is sent then).\n"
    "\n"
    "example:\n"
    "  plenary register --meeting ccm-msp13 --family-name Łukasiewicz --given-name Zofia \\\n"
    "      --delegation PL --function head --gender f --email zofia@example.pl\n";

int
cli_register (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_register_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_register_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    json_t *payload = cli_payload (cli, &args, "participant.registered");
    if (!payload)
        return CLI_USAGE;
    cli_receipt_t receipt;
    rc = cli_publish (cli, &args, "participant.registered", cli_value (&args, "id"),
                      payload, "records", &receipt);
    json_decref (payload);
    if (rc)
        return rc;
    int applied = streq (receipt.verdict, "applied");
    char id [32];
    snprintf (id, sizeof id, "p%llu", (unsigned long long) receipt.ack.seq);
    if (cli_value (&args, "json")) {
        json_t *out = cli_receipt_json (&receipt, applied ? id : NULL);
        cli_json (out);
        json_decref (out);
    }
    else
    if (applied) {
        const char *given = cli_value (&args, "given-name");
        cli_print ("registered %s %s%s%s (%s) to %s%s\n", id,
                   cli_value (&args, "family-name"), given ? ", " : "", given ? given : "",
                   cli_value (&args, "delegation"), cli_value (&args, "meeting"),
                   receipt.ack.duplicate ? " (this event id was already in the log)" : "");
    }
    if (applied)
        return CLI_OK;
    cli_error ("%s: %s", receipt.verdict, *receipt.reason ? receipt.reason : "no reason given");
    return CLI_FAILED;
}

static const cli_flag_t s_participants_flags [] = {
    { "meeting", "meeting", 1, 1 },
    { "json",    NULL,      0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_participants_help =
    "usage: plenary participants --meeting M [--json]\n"
    "\n"
    "Lists the participants of meeting M as a table, or with --json as a JSON\n"
    "array of participant objects whose keys are the schema's field names\n"
    "(id, meeting, family_name, given_name, delegation, function, gender, email,\n"
    "sponsored, title, position, organization, note, status, registered_at, seq).\n"
    "\n"
    "example:\n"
    "  plenary participants --meeting ccm-msp13\n"
    "  plenary participants --meeting ccm-msp13 --json | jq -r '.[] | .delegation' | sort | uniq -c\n";

static const cli_column_t s_participant_columns [] = {
    { "ID",          "id",          10 },
    { "DELEGATION",  "delegation",  10 },
    { "FAMILY NAME", "family_name", 28 },
    { "GIVEN NAME",  "given_name",  24 },
    { "FUNCTION",    "function",    9 },
    { "GENDER",      "gender",      6 },
    { "SPONSORED",   "sponsored",   9 },
    { "STATUS",      "status",      10 },
    { "EMAIL",       "email",       36 },
    { NULL, NULL, 0 }
};

int
cli_participants (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_participants_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_participants_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    json_t *query = cli_payload (cli, &args, "participant.list");
    if (!query)
        return CLI_USAGE;
    char err [PL_ERR_MAX];
    if (pl_schema_validate (pl_schema_find ("participant.list"), query, err, sizeof err)) {
        json_decref (query);
        return cli_invalid (cli, &args, err);
    }
    json_t *reply = cli_query (cli, "participant.list", query);
    json_decref (query);
    if (!reply)
        return CLI_FAILED;
    json_t *items = json_object_get (reply, "items");
    if (cli_value (&args, "json"))
        cli_json (items);
    else
    if (json_array_size (items) == 0)
        cli_print ("no participants registered to %s\n", cli_value (&args, "meeting"));
    else {
        cli_table (s_participant_columns, items);
        cli_print ("%zu participant%s\n", json_array_size (items),
                   json_array_size (items) == 1 ? "" : "s");
    }
    json_decref (reply);
    return CLI_OK;
}

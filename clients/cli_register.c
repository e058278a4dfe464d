/*  cli_register — `plenary register` (event participant.registered, waiting
    for the records group's verdict; with --csv, cli_import.c registers a
    whole spreadsheet).  `plenary participants` is in cli_lists.c.  A
    participant's id is "p" followed by the sequence number of the event
    that registered it.

    An applied registration is not always final: it may wait for its
    delegation's admission as observer, or for its focal point's approval.
    The verdict says only applied or rejected (the broker keeps a reason for
    rejections alone), so after an applied verdict the command asks the
    records worker how the participant stands (query participant.show) and
    says "pending: ... waits for ..." when it waits. */
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
    { "focal-point",  "focal_point",  0, 0 },
    { "language",     "language",     1, 0 },
    { "id",           NULL,           1, 0 },
    { "json",         NULL,           0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_register_help =
    "usage: plenary register --meeting M --family-name F [--given-name G] --delegation CODE\n"
    "                        [--function head|alternate|adviser|expert] [--gender f|m|x]\n"
    "                        [--email E] [--sponsored] [--title T] [--position P]\n"
    "                        [--organization O] [--note N] [--focal-point]\n"
    "                        [--language ar|zh|en|fr|ru|es] [--id EVENT_ID] [--json]\n"
    "       plenary register --meeting M --csv FILE [--json]   (a spreadsheet; --csv --help)\n"
    "\n"
    "Registers one participant (event participant.registered) and waits until the\n"
    "records worker has applied it.  The participant's id is \"p\" followed by the\n"
    "event's sequence number.  CODE is the delegation's ISO 3166-1 alpha-2 code (FR)\n"
    "or an organisation's code (ICRC).  --id makes publishing idempotent: the same\n"
    "event id again returns the first sequence number (duplicate true), never a\n"
    "second registration.  --focal-point marks the delegation's focal point, who\n"
    "approves its registrations (plenary participant approve).  A registration for\n"
    "a State not party, an organisation or civil society not yet admitted to the\n"
    "meeting is recorded as pending (plenary delegation admit).  --language is the\n"
    "UN language plenary-notify writes to the person in (English by default).\n"
    "\n"
    "Prints \"registered p42 Dupont, Anne (FR) to ccm-msp13\", or, when the\n"
    "registration waits for the admission of its delegation as observer or for the\n"
    "approval of its delegation's focal point, \"pending: p43 Maurer (ICRC) to\n"
    "ccm-msp13 waits for the admission of ICRC as observer to ccm-msp13\" (exit 0:\n"
    "it is recorded).  With --json {\"seq\", \"event_id\", \"duplicate\", \"verdict\",\n"
    "\"reason\", \"id\", \"status\", \"waits_for\"}.  Exit 1 with\n"
    "the reason on stderr when the records worker rejects it (\"meeting ccm-msp99\n"
    "does not exist\", a person already registered), exit 2 for a missing flag or a\n"
    "value the schema refuses (nothing is sent then).\n"
    "\n"
    "example:\n"
    "  plenary register --meeting ccm-msp13 --family-name Łukasiewicz --given-name Zofia \\\n"
    "      --delegation PL --function head --gender f --email zofia@example.pl\n";

int cli_import (cli_t *cli, int argc, char **argv);

int
cli_register (cli_t *cli, int argc, char **argv)
{
    //  --csv FILE: bulk registration from a spreadsheet (cli_import.c)
    for (int i = 1; i < argc; i++)
        if (strcmp (argv [i], "--csv") == 0 || strncmp (argv [i], "--csv=", 6) == 0)
            return cli_import (cli, argc, argv);
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
    //  How it stands now: registered, or waiting for something
    json_t *standing = NULL;
    if (applied) {
        json_t *query = json_pack ("{s:s, s:s}", "meeting", cli_value (&args, "meeting"),
                                   "participant", id);
        standing = query ? cli_query (cli, "participant.show", query) : NULL;
        json_decref (query);
    }
    const char *status = json_string_value (json_object_get (standing, "status"));
    const char *waits_for = json_string_value (json_object_get (standing, "waits_for"));
    if (cli_value (&args, "json")) {
        json_t *out = cli_receipt_json (&receipt, applied ? id : NULL);
        json_object_set_new (out, "status", status ? json_string (status) : json_null ());
        json_object_set_new (out, "waits_for", waits_for ? json_string (waits_for) : json_null ());
        cli_json (out);
        json_decref (out);
    }
    else
    if (applied) {
        const char *given = cli_value (&args, "given-name");
        //  "registered p42", or the status it has since (a repeated event id)
        cli_print ("%s %s %s%s%s (%s) to %s",
                   waits_for ? "pending:" : status ? status : "applied:", id,
                   cli_value (&args, "family-name"), given ? ", " : "", given ? given : "",
                   cli_value (&args, "delegation"), cli_value (&args, "meeting"));
        if (waits_for)
            cli_print (" waits for %s", waits_for);
        else
        if (!status)
            cli_print (" (its status could not be read)");
        cli_print ("%s\n", receipt.ack.duplicate ? " (this event id was already in the log)" : "");
    }
    json_decref (standing);
    if (applied)
        return CLI_OK;
    cli_error ("%s: %s", receipt.verdict, *receipt.reason ? receipt.reason : "no reason given");
    return CLI_FAILED;
}

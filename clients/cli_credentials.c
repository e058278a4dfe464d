/*  cli_credentials — `plenary credentials submit|verify|reject|report`:
    the credentials of States Parties' delegations to a formal meeting
    (events credentials.submitted, .verified, .rejected) and the
    Credentials Committee's report (query credentials.report). */
#include "cli_event.h"
#include "cli_util.h"
#include "pl_schema.h"

#include <string.h>

static const cli_flag_t s_submit_flags [] = {
    { "meeting",    "meeting",    1, 1 },
    { "delegation", "delegation", 1, 1 },
    { "form",       "form",       1, 1 },
    { "issued-by",  "issued_by",  1, 0 },
    { "received",   "received",   1, 1 },
    { "note",       "note",       1, 0 },
    { "id-event",   NULL,         1, 0 },
    { "json",       NULL,         0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_submit = {
    "credentials.submitted", NULL, "delegation", s_submit_flags,
    "usage: plenary credentials submit --meeting M --delegation CODE\n"
    "                                  --form original|copy|note-verbale --received YYYY-MM-DD\n"
    "                                  [--issued-by head-of-state|head-of-government|foreign-minister|other]\n"
    "                                  [--note N] [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Records the credentials a State Party's delegation submitted for formal meeting\n"
    "M (a Meeting of States Parties or a Review Conference): an original signed by\n"
    "the Head of State or Government or the Minister for Foreign Affairs, or a copy\n"
    "or note verbale, which counts as provisional.  Submitting again (the original\n"
    "after a copy) replaces the earlier submission.  Other delegations, and other\n"
    "kinds of meeting, have no credentials: the records worker refuses them.\n"
    "\n"
    "example:\n"
    "  plenary credentials submit --meeting ccm-msp13 --delegation FR --form original \\\n"
    "      --issued-by foreign-minister --received 2025-09-10\n",
    "recorded the credentials of %s", "delegation", NULL
};

static const cli_flag_t s_verify_flags [] = {
    { "meeting",    "meeting",    1, 1 },
    { "delegation", "delegation", 1, 1 },
    { "note",       "note",       1, 0 },
    { "id-event",   NULL,         1, 0 },
    { "json",       NULL,         0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_verify = {
    "credentials.verified", NULL, "delegation", s_verify_flags,
    "usage: plenary credentials verify --meeting M --delegation CODE [--note N]\n"
    "                                  [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Records that the Credentials Committee found the latest credentials of CODE in\n"
    "order.  An original verified is \"in due form\"; a copy or note verbale stays\n"
    "provisional.\n"
    "\n"
    "example:\n"
    "  plenary credentials verify --meeting ccm-msp13 --delegation FR\n",
    "verified the credentials of %s", "delegation", NULL
};

static const cli_flag_t s_reject_flags [] = {
    { "meeting",    "meeting",    1, 1 },
    { "delegation", "delegation", 1, 1 },
    { "reason",     "reason",     1, 1 },
    { "id-event",   NULL,         1, 0 },
    { "json",       NULL,         0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_reject = {
    "credentials.rejected", NULL, "delegation", s_reject_flags,
    "usage: plenary credentials reject --meeting M --delegation CODE --reason R\n"
    "                                  [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Records that the Credentials Committee found the latest credentials of CODE not\n"
    "in order, and why.  The delegation may submit again.\n"
    "\n"
    "example:\n"
    "  plenary credentials reject --meeting ccm-msp13 --delegation XY \\\n"
    "      --reason \"not signed by an authority the rules of procedure name\"\n",
    "rejected the credentials of %s", "delegation", NULL
};

static int
s_submit_run (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_submit, argc, argv);
}

static int
s_verify_run (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_verify, argc, argv);
}

static int
s_reject_run (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_reject, argc, argv);
}

static const cli_flag_t s_report_flags [] = {
    { "meeting", "meeting", 1, 1 },
    { "json",    NULL,      0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_report_help =
    "usage: plenary credentials report --meeting M [--json]\n"
    "\n"
    "The Credentials Committee's report for formal meeting M: the States Parties\n"
    "registered (or that submitted credentials), grouped as having credentials in\n"
    "due form (original, verified), provisional credentials (copy or note verbale),\n"
    "originals not yet examined, credentials rejected, and none.  --json prints the\n"
    "credentials.report.reply document {meeting, convention, states_parties,\n"
    "due_form, provisional, pending, rejected, none, items}.\n"
    "\n"
    "example:\n"
    "  plenary credentials report --meeting ccm-msp13\n";

//  The report's groups, in the order printed.
static const struct {
    const char *standing;
    const char *heading;
} s_groups [] = {
    { "due-form",    "Credentials in due form" },
    { "provisional", "Provisional credentials (copy or note verbale)" },
    { "pending",     "Original credentials received, not yet examined" },
    { "rejected",    "Credentials not in order" },
    { "none",        "No credentials received" },
};

static int
s_report_run (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_report_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_report_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    json_t *reply = cli_query_flags (cli, &args, "credentials.report", &rc);
    if (!reply)
        return rc;
    if (cli_value (&args, "json")) {
        cli_json (reply);
        json_decref (reply);
        return CLI_OK;
    }
    json_t *items = json_object_get (reply, "items");
    cli_print ("Report of the Credentials Committee — %s (%s)\n",
               json_string_value (json_object_get (reply, "meeting")),
               json_string_value (json_object_get (reply, "convention")));
    cli_print ("%lld States Parties registered: %lld in due form, %lld provisional, "
               "%lld pending, %lld rejected, %lld without credentials\n",
               (long long) json_integer_value (json_object_get (reply, "states_parties")),
               (long long) json_integer_value (json_object_get (reply, "due_form")),
               (long long) json_integer_value (json_object_get (reply, "provisional")),
               (long long) json_integer_value (json_object_get (reply, "pending")),
               (long long) json_integer_value (json_object_get (reply, "rejected")),
               (long long) json_integer_value (json_object_get (reply, "none")));
    for (size_t g = 0; g < sizeof s_groups / sizeof s_groups [0]; g++) {
        int printed = 0;
        size_t index;
        json_t *item;
        json_array_foreach (items, index, item) {
            if (strcmp (json_string_value (json_object_get (item, "standing")),
                        s_groups [g].standing) != 0)
                continue;
            if (!printed++)
                cli_print ("\n%s:\n", s_groups [g].heading);
            const char *name = json_string_value (json_object_get (item, "delegation_name"));
            const char *form = json_string_value (json_object_get (item, "form"));
            const char *received = json_string_value (json_object_get (item, "received"));
            const char *reason = json_string_value (json_object_get (item, "reason"));
            cli_print ("  %-4s %s%s%s%s%s%s%s\n",
                       json_string_value (json_object_get (item, "delegation")),
                       name ? name : "", form ? " — " : "", form ? form : "",
                       received ? ", received " : "", received ? received : "",
                       reason ? ": " : "", reason ? reason : "");
        }
    }
    json_decref (reply);
    return CLI_OK;
}

static const cli_command_t s_commands [] = {
    { "submit", s_submit_run, "record credentials a State Party submitted" },
    { "verify", s_verify_run, "record that the Credentials Committee found them in order" },
    { "reject", s_reject_run, "record that they are not in order, and why" },
    { "report", s_report_run, "the Credentials Committee's report" },
    { NULL, NULL, NULL }
};

int
cli_credentials (cli_t *cli, int argc, char **argv)
{
    if (argc >= 2 && (strcmp (argv [1], "--help") == 0 || strcmp (argv [1], "-h") == 0)) {
        cli_print ("usage: plenary credentials COMMAND --meeting M [FLAGS]\n\ncommands:\n");
        cli_print_commands (s_commands);
        cli_print ("\nexample:\n  plenary credentials report --meeting ccm-msp13\n"
                   "'plenary credentials COMMAND --help' explains each.\n");
        return CLI_OK;
    }
    return cli_dispatch (cli, s_commands, "plenary credentials", argc - 1, argv + 1);
}

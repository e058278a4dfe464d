/*  cli_delegation — `plenary delegation set|admit|list`: a delegation's
    status toward a convention (event delegation.declared), a meeting's
    admission of an observer (event delegation.admitted), both run by
    cli_event, and the declared delegations (query delegation.list). */
#include "cli_event.h"
#include "pl_schema.h"

#include <czmq.h>
#include <string.h>

static int s_delegation_set (cli_t *cli, int argc, char **argv);
static int s_delegation_admit (cli_t *cli, int argc, char **argv);
static int s_delegation_list (cli_t *cli, int argc, char **argv);

static const cli_command_t s_delegation_commands [] = {
    { "set",   s_delegation_set,   "declare a delegation's status toward a convention" },
    { "admit", s_delegation_admit, "record a meeting's admission of an observer" },
    { "list",  s_delegation_list,  "list the delegations declared for a convention" },
    { NULL, NULL, NULL }
};

int
cli_delegation (cli_t *cli, int argc, char **argv)
{
    if (argc >= 2 && (streq (argv [1], "--help") || streq (argv [1], "-h"))) {
        cli_print ("usage: plenary delegation COMMAND [FLAGS]\n\ncommands:\n");
        cli_print_commands (s_delegation_commands);
        cli_print ("\nexample:\n  plenary delegation set --convention CCM --code FR --status state-party\n"
                   "'plenary delegation COMMAND --help' explains each.\n");
        return CLI_OK;
    }
    return cli_dispatch (cli, s_delegation_commands, "plenary delegation", argc - 1, argv + 1);
}

static const cli_flag_t s_set_flags [] = {
    { "convention", "convention", 1, 1 },
    { "code",       "code",       1, 1 },
    { "status",     "status",     1, 1 },
    { "name",       "name",       1, 0 },
    { "note",       "note",       1, 0 },
    { "id-event",   NULL,         1, 0 },
    { "json",       NULL,         0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_set = {
    "delegation.declared", NULL, "delegation", s_set_flags,
    "usage: plenary delegation set --convention C --code CODE\n"
    "                              --status state-party|signatory|not-party|organization|civil-society\n"
    "                              [--name NAME] [--note N] [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Declares a delegation's status toward convention C (event delegation.declared).\n"
    "A State is named by its ISO 3166-1 alpha-2 code (FR) and gets its name from\n"
    "ISO 3166-1; an organisation (ICRC, UN, GICHD) or civil society (CMC, ICBL) has\n"
    "a code of its own and needs --name.  Declaring again changes the status.\n"
    "\n"
    "A State never declared is registered as \"undeclared\": accepted, but shown apart\n"
    "in the statistics and not counted as a State Party.  States not party,\n"
    "organisations and civil society take part as observers once a meeting admits\n"
    "them (plenary delegation admit); their registrations wait as pending until then.\n"
    "\n"
    "examples:\n"
    "  plenary delegation set --convention CCM --code FR --status state-party\n"
    "  plenary delegation set --convention CCM --code ICRC --status organization \\\n"
    "      --name \"International Committee of the Red Cross\"\n",
    "declared delegation %s", "code", NULL
};

static const cli_flag_t s_admit_flags [] = {
    { "meeting",  "meeting",    1, 1 },
    { "code",     "delegation", 1, 1 },
    { "reason",   "reason",     1, 0 },
    { "id-event", NULL,         1, 0 },
    { "json",     NULL,         0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_admit = {
    "delegation.admitted", NULL, "delegation", s_admit_flags,
    "usage: plenary delegation admit --meeting M --code CODE [--reason R]\n"
    "                                [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Records that meeting M admitted delegation CODE (a State not party, an\n"
    "organisation or civil society) as observer (event delegation.admitted).  Its\n"
    "pending registrations to M become registered.  States Parties and signatories\n"
    "need no admission; a State whose status is not declared must be declared\n"
    "not-party first.\n"
    "\n"
    "example:\n"
    "  plenary delegation admit --meeting ccm-msp13 --code ICRC \\\n"
    "      --reason \"Decision of the plenary, 15 September\"\n",
    "admitted %s as observer", "delegation", NULL
};

static int
s_delegation_set (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_set, argc, argv);
}

static int
s_delegation_admit (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_admit, argc, argv);
}

static const cli_flag_t s_list_flags [] = {
    { "convention", "convention", 1, 0 },
    { "meeting",    "meeting",    1, 0 },
    { "status",     "status",     1, 0 },
    { "json",       NULL,         0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_list_help =
    "usage: plenary delegation list (--convention C | --meeting M) [--status S] [--json]\n"
    "\n"
    "Lists the delegations declared for convention C, or for meeting M's convention\n"
    "with a column saying which M admitted as observers; --json prints a JSON array\n"
    "of delegation objects (convention, code, status, name, note, admitted, seq).\n"
    "\n"
    "example:\n"
    "  plenary delegation list --convention CCM --status state-party\n";

static const cli_column_t s_delegation_columns [] = {
    { "CODE",     "code",     8 },
    { "STATUS",   "status",   14 },
    { "ADMITTED", "admitted", 8 },
    { "NAME",     "name",     48 },
    { NULL, NULL, 0 }
};

static int
s_delegation_list (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_list_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_list_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    if (!cli_value (&args, "convention") && !cli_value (&args, "meeting"))
        return cli_usage (cli, "give --convention or --meeting");
    json_t *reply = cli_query_flags (cli, &args, "delegation.list", &rc);
    if (!reply)
        return rc;
    json_t *items = json_object_get (reply, "items");
    if (cli_value (&args, "json"))
        cli_json (items);
    else
    if (json_array_size (items) == 0)
        cli_print ("no delegations declared\n");
    else
        cli_table (s_delegation_columns, items);
    json_decref (reply);
    return CLI_OK;
}

/*  cli_convention — `plenary convention add|list`: the conventions whose
    meetings and delegations the records worker accepts.  The built-in ones
    come from schemas/conventions.tsv; add declares another (event
    convention.declared, run by cli_event); list asks the records service
    (query convention.list). */
#include "cli_event.h"
#include "pl_convention.h"

#include <czmq.h>
#include <string.h>

static int s_convention_add (cli_t *cli, int argc, char **argv);
static int s_convention_list (cli_t *cli, int argc, char **argv);

static const cli_command_t s_convention_commands [] = {
    { "add",  s_convention_add,  "declare a convention beyond the built-in ones" },
    { "list", s_convention_list, "list the conventions the records worker knows" },
    { NULL, NULL, NULL }
};

int
cli_convention (cli_t *cli, int argc, char **argv)
{
    if (argc >= 2 && (streq (argv [1], "--help") || streq (argv [1], "-h"))) {
        cli_print ("usage: plenary convention COMMAND [FLAGS]\n\ncommands:\n");
        cli_print_commands (s_convention_commands);
        cli_print ("\nexample:\n  plenary convention list\n"
                   "'plenary convention COMMAND --help' explains each.\n");
        return CLI_OK;
    }
    return cli_dispatch (cli, s_convention_commands, "plenary convention", argc - 1, argv + 1);
}

static const cli_flag_t s_add_flags [] = {
    { "code",     "code", 1, 1 },
    { "name",     "name", 1, 1 },
    { "id-event", NULL,   1, 0 },
    { "json",     NULL,   0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_add = {
    "convention.declared", NULL, "convention", s_add_flags,
    "usage: plenary convention add --code CODE --name NAME [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Declares convention CODE with its English name NAME (event convention.declared),\n"
    "so that meetings (plenary meeting add --convention CODE) and delegations of it\n"
    "are accepted.  CODE is upper-case letters, digits, _ and -, at most 16 bytes.\n"
    "The built-in conventions (plenary convention list) need no declaration and are\n"
    "refused (exit 1); declaring a declared convention again changes its name.\n"
    "\n"
    "example:\n"
    "  plenary convention add --code CPPNM \\\n"
    "      --name \"Convention on the Physical Protection of Nuclear Material\"\n",
    "declared convention %s", "code", NULL
};

static int
s_convention_add (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_add, argc, argv);
}

static const cli_flag_t s_list_flags [] = {
    { "json", NULL, 0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_list_help =
    "usage: plenary convention list [--json]\n"
    "\n"
    "Lists the conventions whose meetings and delegations the records worker\n"
    "accepts, by code: the built-in ones (schemas/conventions.tsv) and those\n"
    "declared with plenary convention add.  --json prints a JSON array of\n"
    "convention objects (code, name, source built-in or declared, seq).\n"
    "\n"
    "example:\n"
    "  plenary convention list\n"
    "  plenary convention list --json | jq -r '.[].code'\n";

static const cli_column_t s_columns [] = {
    { "CODE",   "code",   16 },
    { "SOURCE", "source", 8 },
    { "NAME",   "name",   60 },
    { NULL, NULL, 0 }
};

static int
s_convention_list (cli_t *cli, int argc, char **argv)
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
    json_t *reply = cli_query_flags (cli, &args, "convention.list", &rc);
    if (!reply)
        return rc;
    json_t *items = json_object_get (reply, "items");
    if (cli_value (&args, "json"))
        cli_json (items);
    else
        cli_table (s_columns, items);
    json_decref (reply);
    return CLI_OK;
}

/*  cli_speakers — `plenary speakers`: the list of speakers of an agenda
    item (query speaker.list) as a table, --json or --csv, and its changes:
    `speakers inscribe|withdraw|swap` (events speaker.inscribed, .withdrawn,
    .swapped).  A statement delivered under the item (plenary statement)
    closes the delegation's turn. */
#include "cli_event.h"
#include "cli_util.h"
#include "pl_schema.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_flag_t s_inscribe_flags [] = {
    { "meeting",      "meeting",      1, 1 },
    { "item",         "agenda_item",  1, 1 },
    { "delegation",   "delegation",   1, 1 },
    { "speaker",      "speaker",      1, 0 },
    { "on-behalf-of", "on_behalf_of", 1, 0 },
    { "at",           "inscribed_at", 1, 0 },
    { "id-event",     NULL,           1, 0 },
    { "json",         NULL,           0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_inscribe = {
    "speaker.inscribed", NULL, "delegation", s_inscribe_flags,
    "usage: plenary speakers inscribe --meeting M --item I --delegation CODE\n"
    "                                 [--speaker NAME] [--on-behalf-of GROUP] [--at TIME]\n"
    "                                 [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Inscribes delegation CODE on the list of speakers of agenda item I of meeting M,\n"
    "after those already waiting (event speaker.inscribed).  --at is the time of\n"
    "inscription (default now).  A delegation waits at most once on a list.\n"
    "\n"
    "example:\n"
    "  plenary speakers inscribe --meeting ccm-msp13 --item 8 --delegation AT \\\n"
    "      --on-behalf-of \"European Union\"\n",
    "inscribed %s", "delegation", NULL
};

static const cli_flag_t s_withdraw_flags [] = {
    { "meeting",    "meeting",     1, 1 },
    { "item",       "agenda_item", 1, 1 },
    { "delegation", "delegation",  1, 1 },
    { "reason",     "reason",      1, 0 },
    { "id-event",   NULL,          1, 0 },
    { "json",       NULL,          0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_withdraw = {
    "speaker.withdrawn", NULL, "delegation", s_withdraw_flags,
    "usage: plenary speakers withdraw --meeting M --item I --delegation CODE [--reason R]\n"
    "                                 [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Withdraws waiting delegation CODE from the list of speakers of item I (event\n"
    "speaker.withdrawn); the list keeps the entry, marked withdrawn.\n"
    "\n"
    "example:\n"
    "  plenary speakers withdraw --meeting ccm-msp13 --item 8 --delegation FR\n",
    "withdrew %s from the list", "delegation", NULL
};

static const cli_flag_t s_swap_flags [] = {
    { "meeting",    "meeting",     1, 1 },
    { "item",       "agenda_item", 1, 1 },
    { "delegation", "delegation",  1, 1 },
    { "with",       "with",        1, 1 },
    { "id-event",   NULL,          1, 0 },
    { "json",       NULL,          0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_swap = {
    "speaker.swapped", NULL, "delegation", s_swap_flags,
    "usage: plenary speakers swap --meeting M --item I --delegation CODE --with OTHER\n"
    "                             [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Swaps the places of two delegations waiting on the list of speakers of item I\n"
    "(event speaker.swapped).\n"
    "\n"
    "example:\n"
    "  plenary speakers swap --meeting ccm-msp13 --item 8 --delegation FR --with MX\n",
    "swapped %s", "delegation", NULL
};

static int
s_inscribe_run (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_inscribe, argc, argv);
}

static int
s_withdraw_run (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_withdraw, argc, argv);
}

static int
s_swap_run (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_swap, argc, argv);
}

static const cli_command_t s_commands [] = {
    { "inscribe", s_inscribe_run, "inscribe a delegation on the list of an agenda item" },
    { "withdraw", s_withdraw_run, "withdraw a waiting delegation from the list" },
    { "swap",     s_swap_run,     "swap the places of two waiting delegations" },
    { NULL, NULL, NULL }
};

static const cli_flag_t s_list_flags [] = {
    { "meeting", "meeting",     1, 1 },
    { "item",    "agenda_item", 1, 1 },
    { "json",    NULL,          0, 0 },
    { "csv",     NULL,          0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_list_help =
    "usage: plenary speakers --meeting M --item I [--json|--csv]\n"
    "       plenary speakers inscribe|withdraw|swap --meeting M --item I ...\n"
    "\n"
    "Shows the list of speakers of agenda item I of meeting M in order: each\n"
    "delegation, the group it speaks for, when it was inscribed, and whether it is\n"
    "waiting, has spoken (when, for how long, which statement) or withdrew.  --json\n"
    "prints an array of speaker objects; --csv a header row and one row each.\n"
    "\n"
    "commands:\n"
    "  inscribe   inscribe a delegation on the list\n"
    "  withdraw   withdraw a waiting delegation\n"
    "  swap       swap the places of two waiting delegations\n"
    "\n"
    "example:\n"
    "  plenary speakers --meeting ccm-msp13 --item 8\n"
    "  plenary speakers --meeting ccm-msp13 --item 8 --csv > speakers-item8.csv\n";

static const cli_column_t s_columns [] = {
    { "#",            "position",     3 },
    { "DELEGATION",   "delegation",   10 },
    { "NAME",         "delegation_name", 24 },
    { "ON BEHALF OF", "on_behalf_of", 20 },
    { "SPEAKER",      "speaker",      20 },
    { "STATUS",       "status",       9 },
    { "INSCRIBED",    "inscribed_at", 24 },
    { "STARTED",      "started_at",   24 },
    { "SECONDS",      "duration_s",   7 },
    { NULL, NULL, 0 }
};

//  Columns of --csv (schema field names; the header row).
static const char *s_csv_columns [] = {
    "position", "delegation", "delegation_name", "speaker", "on_behalf_of", "inscribed_at",
    "status", "started_at", "duration_s", "statement", "reason", NULL
};

static void
s_print_csv (const json_t *items)
{
    for (size_t i = 0; s_csv_columns [i]; i++)
        cli_print ("%s%s", i ? "," : "", s_csv_columns [i]);
    cli_print ("\r\n");
    size_t index;
    json_t *item;
    json_array_foreach (items, index, item) {
        for (size_t i = 0; s_csv_columns [i]; i++) {
            json_t *value = json_object_get (item, s_csv_columns [i]);
            char number [32] = "";
            const char *text = json_is_string (value) ? json_string_value (value) : number;
            if (json_is_integer (value))
                snprintf (number, sizeof number, "%lld", (long long) json_integer_value (value));
            size_t size = strlen (text) * 2 + 3;
            char *cell = malloc (size);
            if (!cell)
                return;
            size_t length = csv_write (cell, size, text, strlen (text));
            cli_print ("%s%.*s", i ? "," : "", (int) length, cell);
            free (cell);
        }
        cli_print ("\r\n");
    }
}

int
cli_speakers (cli_t *cli, int argc, char **argv)
{
    if (argc > 1 && argv [1][0] != '-')
        return cli_dispatch (cli, s_commands, "plenary speakers", argc - 1, argv + 1);
    cli_args_t args;
    int rc = cli_parse (cli, s_list_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_list_help);
        return rc;
    }
    if (cli_value (&args, "json") && cli_value (&args, "csv"))
        return cli_usage (cli, "choose one of --json and --csv");
    json_t *reply = cli_query_flags (cli, &args, "speaker.list", &rc);
    if (!reply)
        return rc;
    json_t *items = json_object_get (reply, "items");
    if (cli_value (&args, "json"))
        cli_json (items);
    else
    if (cli_value (&args, "csv"))
        s_print_csv (items);
    else
    if (json_array_size (items) == 0)
        cli_print ("nobody is inscribed on the list of speakers of item %s\n",
                   cli_value (&args, "item"));
    else {
        size_t spoken = 0, waiting = 0, index;
        json_t *item;
        json_array_foreach (items, index, item) {
            const char *status = json_string_value (json_object_get (item, "status"));
            spoken += strcmp (status, "spoken") == 0;
            waiting += strcmp (status, "waiting") == 0;
        }
        cli_table (s_columns, items);
        cli_print ("%zu inscribed: %zu spoken, %zu waiting\n", json_array_size (items),
                   spoken, waiting);
    }
    json_decref (reply);
    return CLI_OK;
}

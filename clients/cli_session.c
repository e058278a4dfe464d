/*  cli_session — `plenary session add|move|cancel|list`: a meeting's
    programme of work.  add, move and cancel publish session.scheduled,
    session.moved and session.cancelled (rows run by cli_event); list asks
    the records service (query session.list).  Times are wall-clock times
    in the meeting's time zone, YYYY-MM-DDTHH:MM, with the UTC offset
    (+HH:MM) for a time that happens twice when clocks go back. */
#include "cli_event.h"
#include "pl_schema.h"

#include <czmq.h>
#include <string.h>

static int s_session_add (cli_t *cli, int argc, char **argv);
static int s_session_move (cli_t *cli, int argc, char **argv);
static int s_session_cancel (cli_t *cli, int argc, char **argv);
static int s_session_list (cli_t *cli, int argc, char **argv);

static const cli_command_t s_session_commands [] = {
    { "add",    s_session_add,    "add a session to a meeting's programme of work" },
    { "move",   s_session_move,   "move a session to another time or room" },
    { "cancel", s_session_cancel, "take a session off the programme" },
    { "list",   s_session_list,   "list a meeting's sessions" },
    { NULL, NULL, NULL }
};

int
cli_session (cli_t *cli, int argc, char **argv)
{
    if (argc >= 2 && (streq (argv [1], "--help") || streq (argv [1], "-h"))) {
        cli_print ("usage: plenary session COMMAND [FLAGS]\n\ncommands:\n");
        cli_print_commands (s_session_commands);
        cli_print ("\nexample:\n  plenary session list --meeting ccm-msp13\n"
                   "'plenary session COMMAND --help' explains each.\n");
        return CLI_OK;
    }
    return cli_dispatch (cli, s_session_commands, "plenary session", argc - 1, argv + 1);
}

//  --agenda-item may be repeated: collect them all into agenda_items.
static int
s_agenda_items (cli_t *cli, const cli_args_t *args, int argc, char **argv, json_t *payload)
{
    json_t *items = cli_event_repeated (argc, argv, "agenda-item");
    if (items)
        json_object_set_new (payload, "agenda_items", items);
    return CLI_OK;
}

static const cli_flag_t s_add_flags [] = {
    { "meeting",     "meeting", 1, 1 },
    { "id",          "id",      1, 1 },
    { "title",       "title",   1, 1 },
    { "start",       "start",   1, 1 },
    { "end",         "end",     1, 1 },
    { "room",        "room",    1, 0 },
    { "kind",        "kind",    1, 0 },
    { "agenda-item", NULL,      1, 0 },
    { "id-event",    NULL,      1, 0 },
    { "json",        NULL,      0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_add = {
    "session.scheduled", NULL, "session", s_add_flags,
    "usage: plenary session add --meeting M --id ID --title T --start LOCAL --end LOCAL\n"
    "                           [--room R] [--kind plenary|committee|informal|side-event|other]\n"
    "                           [--agenda-item I]... [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Adds a session to meeting M's programme of work (event session.scheduled).\n"
    "LOCAL is a wall-clock time in the meeting's time zone, YYYY-MM-DDTHH:MM[:SS].\n"
    "On the night clocks go back a time happens twice: give it with the UTC offset\n"
    "in force then, YYYY-MM-DDTHH:MM+HH:MM (in Geneva on 2025-10-26, 02:30+02:00 is\n"
    "the first 02:30 and 02:30+01:00 the second).  An offset on any other time must\n"
    "be the zone's.  --agenda-item may be given several times.  Refused with the\n"
    "reason (exit 1) when the meeting does not exist or is cancelled or closed, the\n"
    "session id is taken, a time does not exist in the zone (clocks go forward over\n"
    "it) or happens twice without its offset, the end is not after the start, or a\n"
    "day falls outside the meeting.\n"
    "\n"
    "examples:\n"
    "  plenary session add --meeting ccm-msp13 --id day1-am --title \"First plenary meeting\" \\\n"
    "      --start 2025-09-15T10:00 --end 2025-09-15T13:00 --room \"Room XIX\" \\\n"
    "      --agenda-item 1 --agenda-item 2\n"
    "  plenary session add --meeting ccm-msp13 --id night --title \"Night sitting\" \\\n"
    "      --start 2025-10-26T02:30+01:00 --end 2025-10-26T05:00\n",
    "scheduled session %s", "id", s_agenda_items
};

static const cli_flag_t s_move_flags [] = {
    { "meeting",  "meeting", 1, 1 },
    { "start",    "start",   1, 1 },
    { "end",      "end",     1, 1 },
    { "room",     "room",    1, 0 },
    { "reason",   "reason",  1, 0 },
    { "id-event", NULL,      1, 0 },
    { "json",     NULL,      0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_move = {
    "session.moved", "id", "session", s_move_flags,
    "usage: plenary session move ID --meeting M --start LOCAL --end LOCAL [--room R]\n"
    "                            [--reason R] [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Moves session ID of meeting M to another time, and room when given (event\n"
    "session.moved).  LOCAL is YYYY-MM-DDTHH:MM[:SS] in the meeting's time zone,\n"
    "with the UTC offset (+HH:MM) when the time happens twice because clocks go\n"
    "back.  The same rules as session add apply (plenary session add --help); a\n"
    "cancelled or unknown session is refused.\n"
    "\n"
    "examples:\n"
    "  plenary session move day1-am --meeting ccm-msp13 --start 2025-09-15T15:00 \\\n"
    "      --end 2025-09-15T18:00 --reason \"Opening delayed\"\n"
    "  plenary session move night --meeting ccm-msp13 --start 2025-10-26T02:30+02:00 \\\n"
    "      --end 2025-10-26T04:00\n",
    "moved session %s", "id", NULL
};

static const cli_flag_t s_cancel_flags [] = {
    { "meeting",  "meeting", 1, 1 },
    { "reason",   "reason",  1, 0 },
    { "id-event", NULL,      1, 0 },
    { "json",     NULL,      0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_cancel = {
    "session.cancelled", "id", "session", s_cancel_flags,
    "usage: plenary session cancel ID --meeting M [--reason R] [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Takes session ID off meeting M's programme (event session.cancelled); it stays\n"
    "on record with status cancelled.\n"
    "\n"
    "example:\n"
    "  plenary session cancel day4-pm --meeting ccm-msp13 --reason \"Work completed\"\n",
    "cancelled session %s", "id", NULL
};

static int
s_session_add (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_add, argc, argv);
}

static int
s_session_move (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_move, argc, argv);
}

static int
s_session_cancel (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_cancel, argc, argv);
}

static const cli_flag_t s_list_flags [] = {
    { "meeting", "meeting", 1, 1 },
    { "status",  "status",  1, 0 },
    { "json",    NULL,      0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_list_help =
    "usage: plenary session list --meeting M [--status scheduled|cancelled] [--json]\n"
    "\n"
    "Lists meeting M's sessions by start time as a table, or with --json as a JSON\n"
    "array of session objects whose keys are the schema's field names (meeting, id,\n"
    "title, start, end, room, agenda_items, kind, status, reason, seq).\n"
    "\n"
    "example:\n"
    "  plenary session list --meeting ccm-msp13\n";

static const cli_column_t s_session_columns [] = {
    { "ID",     "id",     16 },
    { "START",  "start",  19 },
    { "END",    "end",    19 },
    { "ROOM",   "room",   14 },
    { "STATUS", "status", 9 },
    { "AGENDA", "agenda", 20 },
    { "TITLE",  "title",  40 },
    { NULL, NULL, 0 }
};

static int
s_session_list (cli_t *cli, int argc, char **argv)
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
    json_t *reply = cli_query_flags (cli, &args, "session.list", &rc);
    if (!reply)
        return rc;
    json_t *items = json_object_get (reply, "items");
    if (cli_value (&args, "json"))
        cli_json (items);
    else
    if (json_array_size (items) == 0)
        cli_print ("no sessions in %s\n", cli_value (&args, "meeting"));
    else {
        //  The agenda items as one cell: "8(a), 9(h)(i)"
        size_t index;
        json_t *item;
        json_array_foreach (items, index, item) {
            json_t *agenda = json_object_get (item, "agenda_items");
            char cell [512] = "";
            size_t used = 0, i;
            json_t *value;
            json_array_foreach (agenda, i, value)
                if (used < sizeof cell)
                    used += (size_t) snprintf (cell + used, sizeof cell - used, "%s%s",
                                               i ? ", " : "", json_string_value (value));
            json_object_set_new (item, "agenda", json_string (cell));
        }
        cli_table (s_session_columns, items);
    }
    json_decref (reply);
    return CLI_OK;
}

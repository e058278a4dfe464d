/*  cli_meeting — `plenary meeting add|update|cancel|close|list|show`:
    schedule a meeting (event meeting.scheduled, waiting for the records
    group's verdict), change it (meeting.updated, .cancelled, .closed, rows
    run by cli_event), list meetings (query meeting.list) and show one
    (query meeting.show). */
#include "cli_event.h"
#include "pl_convention.h"
#include "pl_schema.h"

#include <czmq.h>
#include <string.h>

static int s_meeting_add (cli_t *cli, int argc, char **argv);
static int s_meeting_list (cli_t *cli, int argc, char **argv);
static int s_meeting_show (cli_t *cli, int argc, char **argv);
static int s_meeting_update (cli_t *cli, int argc, char **argv);
static int s_meeting_cancel (cli_t *cli, int argc, char **argv);
static int s_meeting_close (cli_t *cli, int argc, char **argv);

static const cli_command_t s_meeting_commands [] = {
    { "add",    s_meeting_add,    "schedule a meeting" },
    { "update", s_meeting_update, "change a scheduled meeting's details" },
    { "cancel", s_meeting_cancel, "cancel a scheduled meeting" },
    { "close",  s_meeting_close,  "close a meeting whose records are complete" },
    { "list", s_meeting_list, "list meetings, optionally of one convention" },
    { "show", s_meeting_show, "show one meeting" },
    { NULL, NULL, NULL }
};

int
cli_meeting (cli_t *cli, int argc, char **argv)
{
    if (argc >= 2 && (streq (argv [1], "--help") || streq (argv [1], "-h"))) {
        cli_print ("usage: plenary meeting COMMAND [FLAGS]\n\ncommands:\n");
        cli_print_commands (s_meeting_commands);
        cli_print ("\nexample:\n  plenary meeting list --convention CCM\n"
                   "'plenary meeting COMMAND --help' explains each.\n");
        return CLI_OK;
    }
    return cli_dispatch (cli, s_meeting_commands, "plenary meeting", argc - 1, argv + 1);
}

static const cli_flag_t s_add_flags [] = {
    { "id",          "id",          1, 1 },
    { "convention",  "convention",  1, 1 },
    { "kind",        "kind",        1, 1 },
    { "title",       "title",       1, 1 },
    { "venue",       "venue",       1, 1 },
    { "tz",          "tz",          1, 1 },
    { "start",       "start",       1, 1 },
    { "end",         "end",         1, 1 },
    { "url",         "url",         1, 0 },
    { "description", "description", 1, 0 },
    { "id-event",    NULL,          1, 0 },
    { "json",        NULL,          0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_add_help =
    "usage: plenary meeting add --id ID --convention CODE --kind KIND --title T\n"
    "                           --venue V --tz ZONE --start YYYY-MM-DD --end YYYY-MM-DD\n"
    "                           [--url U] [--description D] [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Schedules a meeting (event meeting.scheduled) and waits until the records\n"
    "worker has applied it.  KIND is one of msp, revcon, preparatory, intersessional,\n"
    "coordination, committee, gge, workshop, side-event, pledging, other; ZONE an\n"
    "IANA time zone; CODE a known convention (listed below).  --id-event makes\n"
    "publishing idempotent: the same event id again returns the first sequence\n"
    "number instead of a second event.\n"
    "\n"
    "Prints \"scheduled meeting ID (seq N)\"; exit 1 with the reason when the records\n"
    "worker rejects it (an id already taken, an end before the start, a convention\n"
    "it does not know), exit 2 for a missing flag or a value the schema refuses\n"
    "(nothing is sent then).\n"
    "\n"
    "example:\n"
    "  plenary meeting add --id ccm-msp13 --convention CCM --kind msp \\\n"
    "      --title \"Thirteenth Meeting of States Parties\" --venue Geneva \\\n"
    "      --tz Europe/Zurich --start 2025-09-15 --end 2025-09-18\n";

//  The help of meeting add, with the built-in conventions from the table.
static void
s_add_help_print (void)
{
    cli_print ("%s\nconventions built in (schemas/conventions.tsv):\n", s_add_help);
    const pl_convention_t *known;
    for (size_t i = 0; (known = pl_convention_at (i)); i++)
        cli_print ("  %-8s %s\n", known->code, known->name);
    cli_print ("and those added with 'plenary convention add --code CODE --name NAME'\n"
               "(plenary convention list shows them all).\n");
}

static int
s_meeting_add (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_add_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            s_add_help_print ();
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    json_t *payload = cli_payload (cli, &args, "meeting.scheduled");
    if (!payload)
        return CLI_USAGE;
    cli_receipt_t receipt;
    rc = cli_publish (cli, &args, "meeting.scheduled", cli_value (&args, "id-event"),
                      payload, "records", &receipt);
    const char *id = cli_value (&args, "id");
    json_decref (payload);
    if (rc)
        return rc;
    int applied = streq (receipt.verdict, "applied");
    if (cli_value (&args, "json")) {
        json_t *out = cli_receipt_json (&receipt, applied ? id : NULL);
        cli_json (out);
        json_decref (out);
    }
    else
    if (applied)
        cli_print ("scheduled meeting %s (seq %llu%s)\n", id,
                   (unsigned long long) receipt.ack.seq,
                   receipt.ack.duplicate ? ", already in the log" : "");
    if (applied)
        return CLI_OK;
    cli_error ("%s: %s", receipt.verdict, *receipt.reason ? receipt.reason : "no reason given");
    return CLI_FAILED;
}

static const cli_flag_t s_list_flags [] = {
    { "convention", "convention", 1, 0 },
    { "status",     "status",     1, 0 },
    { "json",       NULL,         0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_list_help =
    "usage: plenary meeting list [--convention CODE] [--status scheduled|cancelled|closed] [--json]\n"
    "\n"
    "Lists meetings as a table, or with --json as a JSON array of meeting objects\n"
    "whose keys are the schema's field names.\n"
    "\n"
    "example:\n"
    "  plenary meeting list --convention CCM\n"
    "  plenary meeting list --json | jq -r '.[].id'\n";

static const cli_column_t s_meeting_columns [] = {
    { "ID",         "id",           24 },
    { "CONV",       "convention",   8 },
    { "KIND",       "kind",         14 },
    { "START",      "start",        10 },
    { "END",        "end",          10 },
    { "VENUE",      "venue",        16 },
    { "STATUS",     "status",       9 },
    { "PART.",      "participants", 6 },
    { "TITLE",      "title",        48 },
    { NULL, NULL, 0 }
};

static int
s_meeting_list (cli_t *cli, int argc, char **argv)
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
    json_t *reply = cli_query_flags (cli, &args, "meeting.list", &rc);
    if (!reply)
        return rc;
    json_t *items = json_object_get (reply, "items");
    if (cli_value (&args, "json"))
        cli_json (items);
    else
    if (json_array_size (items) == 0)
        cli_print ("no meetings\n");
    else
        cli_table (s_meeting_columns, items);
    json_decref (reply);
    return CLI_OK;
}

static const cli_flag_t s_show_flags [] = {
    { "json", NULL, 0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_show_help =
    "usage: plenary meeting show ID [--json]\n"
    "\n"
    "Shows every field of one meeting, or with --json the meeting object.\n"
    "\n"
    "example:\n"
    "  plenary meeting show ccm-msp13\n";

static int
s_meeting_show (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_show_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_show_help);
        return rc;
    }
    if (args.argc != 1)
        return cli_usage (cli, args.argc ? "one meeting id, please" : "which meeting? give its ID");
    json_t *query = json_pack ("{s:s}", "id", args.argv [0]);
    char err [PL_ERR_MAX];
    const pl_message_t *message = pl_schema_find ("meeting.show");
    if (!query || pl_schema_validate (message, query, err, sizeof err)) {
        json_decref (query);
        return cli_usage (cli, "'%s' is not a meeting id", args.argv [0]);
    }
    json_t *reply = cli_query (cli, "meeting.show", query);
    json_decref (query);
    if (!reply)
        return CLI_FAILED;
    if (cli_value (&args, "json"))
        cli_json (reply);
    else {
        //  Every field of the reply message, in the schema's order.
        const pl_message_t *shape = pl_schema_find (message->reply);
        for (const pl_field_t *field = shape->fields; field->name; field++) {
            json_t *value = json_object_get (reply, field->name);
            if (!value || json_is_null (value))
                continue;
            char *text = json_is_string (value) ? strdup (json_string_value (value))
                                                : cli_json_text (value);
            cli_print ("%-13s %s\n", field->name, text ? text : "");
            free (text);
        }
    }
    json_decref (reply);
    return CLI_OK;
}

//  --------------------------------------------------------------------------
//  update, cancel, close: one event each (cli_event)

static const cli_flag_t s_update_flags [] = {
    { "kind",        "kind",        1, 0 },
    { "title",       "title",       1, 0 },
    { "venue",       "venue",       1, 0 },
    { "tz",          "tz",          1, 0 },
    { "start",       "start",       1, 0 },
    { "end",         "end",         1, 0 },
    { "url",         "url",         1, 0 },
    { "description", "description", 1, 0 },
    { "reason",      "reason",      1, 0 },
    { "id-event",    NULL,          1, 0 },
    { "json",        NULL,          0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_update = {
    "meeting.updated", "id", "meeting", s_update_flags,
    "usage: plenary meeting update ID [--kind K] [--title T] [--venue V] [--tz ZONE]\n"
    "                              [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--url U]\n"
    "                              [--description D] [--reason R] [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Changes the details given (event meeting.updated); the others keep their values.\n"
    "Refused with the reason (exit 1) when the meeting is cancelled or closed, the end\n"
    "would fall before the start, the time zone is unknown, a session would fall\n"
    "outside the new dates, a session's time would not exist or would happen twice\n"
    "in the new time zone (plenary session add --help), or nothing changes.\n"
    "\n"
    "example:\n"
    "  plenary meeting update ccm-msp13 --start 2025-09-16 --reason \"Room not available\"\n",
    "updated meeting %s", "id", NULL
};

static const cli_flag_t s_end_flags [] = {
    { "reason",   "reason", 1, 0 },
    { "id-event", NULL,     1, 0 },
    { "json",     NULL,     0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_cancel = {
    "meeting.cancelled", "id", "meeting", s_end_flags,
    "usage: plenary meeting cancel ID [--reason R] [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Cancels a scheduled meeting (event meeting.cancelled).  Its sessions and\n"
    "registrations stay on record; nobody can register any more.\n"
    "\n"
    "example:\n"
    "  plenary meeting cancel ccm-ws-2025 --reason \"Postponed sine die\"\n",
    "cancelled meeting %s", "id", NULL
};

static const cli_event_command_t s_close = {
    "meeting.closed", "id", "meeting", s_end_flags,
    "usage: plenary meeting close ID [--reason R] [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Closes a meeting whose records are complete (event meeting.closed); its\n"
    "programme and registrations no longer change.\n"
    "\n"
    "example:\n"
    "  plenary meeting close ccm-msp13\n",
    "closed meeting %s", "id", NULL
};

static int
s_meeting_update (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_update, argc, argv);
}

static int
s_meeting_cancel (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_cancel, argc, argv);
}

static int
s_meeting_close (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_close, argc, argv);
}

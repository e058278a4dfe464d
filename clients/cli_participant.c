/*  cli_participant — `plenary participant update|withdraw|approve|confirm|
    reject|history`: a registered participant's lifecycle.  The first five
    publish one event each (participant.updated, .withdrawn, .approved,
    .confirmed, .rejected; rows run by cli_event); history asks the records
    service (query participant.history). */
#include "cli_event.h"
#include "pl_schema.h"

#include <czmq.h>
#include <string.h>

static int s_update (cli_t *cli, int argc, char **argv);
static int s_withdraw (cli_t *cli, int argc, char **argv);
static int s_approve (cli_t *cli, int argc, char **argv);
static int s_confirm (cli_t *cli, int argc, char **argv);
static int s_reject (cli_t *cli, int argc, char **argv);
static int s_history (cli_t *cli, int argc, char **argv);

static const cli_command_t s_participant_commands [] = {
    { "update",   s_update,   "change a participant's details (history kept)" },
    { "withdraw", s_withdraw, "withdraw a registration" },
    { "approve",  s_approve,  "first-level approval: the focal point's, or the secretariat's" },
    { "confirm",  s_confirm,  "second-level approval by the secretariat" },
    { "reject",   s_reject,   "refuse a registration, with a reason" },
    { "history",  s_history,  "every change of a participant, oldest first" },
    { NULL, NULL, NULL }
};

int
cli_participant (cli_t *cli, int argc, char **argv)
{
    if (argc >= 2 && (streq (argv [1], "--help") || streq (argv [1], "-h"))) {
        cli_print ("usage: plenary participant COMMAND ID --meeting M [FLAGS]\n\ncommands:\n");
        cli_print_commands (s_participant_commands);
        cli_print ("\nstatuses: pending (awaiting admission of the delegation) -> registered\n"
                   "  -> approved (focal point or secretariat) -> confirmed (secretariat);\n"
                   "  or rejected / withdrawn.  Every change keeps its reason.\n"
                   "\nexample:\n  plenary participant approve p42 --meeting ccm-msp13 --focal-point p40\n"
                   "'plenary participant COMMAND --help' explains each.\n");
        return CLI_OK;
    }
    return cli_dispatch (cli, s_participant_commands, "plenary participant",
                         argc - 1, argv + 1);
}

//  --not-sponsored and --not-focal-point set those fields to false.
static int
s_update_switches (cli_t *cli, const cli_args_t *args, int argc, char **argv, json_t *payload)
{
    static const struct {
        const char *yes, *no, *field;
    } pairs [] = {
        { "sponsored",   "not-sponsored",   "sponsored" },
        { "focal-point", "not-focal-point", "focal_point" },
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs [0]; i++)
        if (cli_value (args, pairs [i].no)) {
            if (cli_value (args, pairs [i].yes))
                return cli_usage (cli, "--%s and --%s contradict each other",
                                  pairs [i].yes, pairs [i].no);
            json_object_set_new (payload, pairs [i].field, json_false ());
        }
    return CLI_OK;
}

static const cli_flag_t s_update_flags [] = {
    { "meeting",         "meeting",      1, 1 },
    { "family-name",     "family_name",  1, 0 },
    { "given-name",      "given_name",   1, 0 },
    { "delegation",      "delegation",   1, 0 },
    { "function",        "function",     1, 0 },
    { "gender",          "gender",       1, 0 },
    { "email",           "email",        1, 0 },
    { "sponsored",       "sponsored",    0, 0 },
    { "not-sponsored",   NULL,           0, 0 },
    { "title",           "title",        1, 0 },
    { "position",        "position",     1, 0 },
    { "organization",    "organization", 1, 0 },
    { "note",            "note",         1, 0 },
    { "focal-point",     "focal_point",  0, 0 },
    { "not-focal-point", NULL,           0, 0 },
    { "reason",          "reason",       1, 0 },
    { "id-event",        NULL,           1, 0 },
    { "json",            NULL,           0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_update_command = {
    "participant.updated", "participant", "participant", s_update_flags,
    "usage: plenary participant update ID --meeting M [--family-name F] [--given-name G]\n"
    "           [--delegation CODE] [--function F] [--gender G] [--email E]\n"
    "           [--sponsored|--not-sponsored] [--title T] [--position P] [--organization O]\n"
    "           [--note N] [--focal-point|--not-focal-point] [--reason R]\n"
    "           [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Changes the details given of participant ID (event participant.updated); the\n"
    "details as they were are kept in its history (plenary participant history).\n"
    "A new delegation makes a pending or registered participant what registration\n"
    "would: pending when the delegation is an observer not admitted to the meeting,\n"
    "else registered (plenary participants --meeting M says what it waits for).\n"
    "Refused (exit 1) when nothing changes, the participant is withdrawn or\n"
    "rejected, the change makes it a duplicate of another participant of the\n"
    "meeting, or it moves an approved or confirmed participant to an observer not\n"
    "admitted.\n"
    "\n"
    "example:\n"
    "  plenary participant update p42 --meeting ccm-msp13 --function head \\\n"
    "      --reason \"Head of delegation replaced\"\n",
    "updated participant %s", "participant", s_update_switches
};

static const cli_flag_t s_status_flags [] = {
    { "meeting",  "meeting", 1, 1 },
    { "reason",   "reason",  1, 0 },
    { "id-event", NULL,      1, 0 },
    { "json",     NULL,      0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_flag_t s_focal_flags [] = {
    { "meeting",     "meeting",     1, 1 },
    { "focal-point", "focal_point", 1, 0 },
    { "reason",      "reason",      1, 0 },
    { "id-event",    NULL,          1, 0 },
    { "json",        NULL,          0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_flag_t s_reject_flags [] = {
    { "meeting",     "meeting",     1, 1 },
    { "focal-point", "focal_point", 1, 0 },
    { "reason",      "reason",      1, 1 },
    { "id-event",    NULL,          1, 0 },
    { "json",        NULL,          0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_withdraw_command = {
    "participant.withdrawn", "participant", "participant", s_status_flags,
    "usage: plenary participant withdraw ID --meeting M [--reason R] [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Withdraws participant ID's registration (event participant.withdrawn); it stays\n"
    "on record with status withdrawn and the reason.\n"
    "\n"
    "example:\n"
    "  plenary participant withdraw p42 --meeting ccm-msp13 --reason \"Travel cancelled\"\n",
    "withdrew participant %s", "participant", NULL
};

static const cli_event_command_t s_approve_command = {
    "participant.approved", "participant", "participant", s_focal_flags,
    "usage: plenary participant approve ID --meeting M [--focal-point P] [--reason R]\n"
    "                                      [--id-event EVENT_ID] [--json]\n"
    "\n"
    "First-level approval of a registered participant (event participant.approved):\n"
    "by its delegation's focal point P (a participant of the same delegation\n"
    "registered with --focal-point), or by the secretariat when --focal-point is\n"
    "left out.\n"
    "\n"
    "example:\n"
    "  plenary participant approve p42 --meeting ccm-msp13 --focal-point p40\n",
    "approved participant %s", "participant", NULL
};

static const cli_event_command_t s_confirm_command = {
    "participant.confirmed", "participant", "participant", s_status_flags,
    "usage: plenary participant confirm ID --meeting M [--reason R] [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Second-level approval by the secretariat (event participant.confirmed), of an\n"
    "approved participant or directly of a registered one, skipping the focal point.\n"
    "\n"
    "example:\n"
    "  plenary participant confirm p42 --meeting ccm-msp13\n",
    "confirmed participant %s", "participant", NULL
};

static const cli_event_command_t s_reject_command = {
    "participant.rejected", "participant", "participant", s_reject_flags,
    "usage: plenary participant reject ID --meeting M --reason R [--focal-point P]\n"
    "                                     [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Refuses participant ID's registration (event participant.rejected), by the\n"
    "focal point P while it is only registered, or by the secretariat.\n"
    "\n"
    "example:\n"
    "  plenary participant reject p43 --meeting ccm-msp13 --reason \"Not a member of the delegation\"\n",
    "rejected participant %s", "participant", NULL
};

static int
s_update (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_update_command, argc, argv);
}

static int
s_withdraw (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_withdraw_command, argc, argv);
}

static int
s_approve (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_approve_command, argc, argv);
}

static int
s_confirm (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_confirm_command, argc, argv);
}

static int
s_reject (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_reject_command, argc, argv);
}

static const cli_flag_t s_history_flags [] = {
    { "meeting", "meeting", 1, 1 },
    { "json",    NULL,      0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_history_help =
    "usage: plenary participant history ID --meeting M [--json]\n"
    "\n"
    "Every change of participant ID, oldest first: registration, updates (which\n"
    "fields changed, and the details before), approvals, rejection, withdrawal,\n"
    "each with its reason.  --json prints a JSON array of participant_change objects.\n"
    "\n"
    "example:\n"
    "  plenary participant history p42 --meeting ccm-msp13\n";

static const cli_column_t s_history_columns [] = {
    { "SEQ",     "seq",     8 },
    { "AT",      "at",      24 },
    { "CHANGE",  "change",  10 },
    { "STATUS",  "status",  10 },
    { "CHANGED", "fields",  30 },
    { "REASON",  "reason",  60 },
    { NULL, NULL, 0 }
};

static int
s_history (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_history_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_history_help);
        return rc;
    }
    if (args.argc != 1)
        return cli_usage (cli, args.argc ? "one participant, please" : "which participant?");
    json_t *query = json_pack ("{s:s, s:s}", "meeting", cli_value (&args, "meeting"),
                               "participant", args.argv [0]);
    char err [PL_ERR_MAX];
    if (!query
    ||  pl_schema_validate (pl_schema_find ("participant.history"), query, err, sizeof err)) {
        json_decref (query);
        return query ? cli_invalid (cli, &args, err)
                     : cli_usage (cli, "not valid UTF-8 text");
    }
    json_t *reply = cli_query (cli, "participant.history", query);
    json_decref (query);
    if (!reply)
        return CLI_FAILED;
    json_t *items = json_object_get (reply, "items");
    if (cli_value (&args, "json"))
        cli_json (items);
    else {
        size_t index, i;
        json_t *item, *name;
        json_array_foreach (items, index, item) {
            char cell [256] = "";
            size_t used = 0;
            json_array_foreach (json_object_get (item, "changed"), i, name)
                if (used < sizeof cell)
                    used += (size_t) snprintf (cell + used, sizeof cell - used, "%s%s",
                                               i ? ", " : "", json_string_value (name));
            json_object_set_new (item, "fields", json_string (cell));
        }
        cli_table (s_history_columns, items);
    }
    json_decref (reply);
    return CLI_OK;
}

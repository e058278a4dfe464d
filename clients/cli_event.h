/*  cli_event — one runner for the subcommands that publish a single event
    built from their flags and report the verdict of the event's authority
    (the schema's: records for meeting update|cancel|close, session
    add|move|cancel, delegation set|admit, participant
    update|withdraw|approve|confirm|reject; notify for subscribe and
    unsubscribe).

    Each subcommand is a cli_event_command_t row: its topic, its flags
    (each naming the schema field it fills), an optional positional argument
    (the id it acts on), its --help text and what it prints when applied.
    Every such subcommand also takes --id-event EVENT_ID (idempotent
    publishing) and --json (the receipt as a JSON document).  Exit 0 when
    applied, 1 with the reason when rejected, 2 on a usage error. */
#ifndef CLI_EVENT_H_INCLUDED
#define CLI_EVENT_H_INCLUDED

#include "cli_util.h"

//  Adjust PAYLOAD after the flags filled it (switches that set false,
//  repeated flags) from ARGS and the raw ARGV.  0, or CLI_USAGE after
//  printing why.
typedef int (cli_event_adjust_fn) (cli_t *cli, const cli_args_t *args, int argc, char **argv,
                                   json_t *payload);

typedef struct {
    const char *topic;              //  "meeting.updated"
    const char *positional;         //  field the one positional argument fills, or NULL
    const char *what;               //  what the positional names ("meeting"), for errors
    const cli_flag_t *flags;        //  must include "id-event" and "json"
    const char *help;
    const char *done;               //  "updated meeting %s": %s is DONE_FIELD's value
    const char *done_field;
    cli_event_adjust_fn *adjust;    //  or NULL
} cli_event_command_t;

//  Parse ARGV against COMMAND, publish its event and wait for the verdict
//  of the group the schema names its authority.  Returns the exit code.
int cli_event_run (cli_t *cli, const cli_event_command_t *command, int argc, char **argv);

//  Collect every value of the repeated flag --NAME in ARGV (also
//  --NAME=VALUE) into a new JSON array of strings; NULL when there is none.
json_t *cli_event_repeated (int argc, char **argv, const char *name);

#endif

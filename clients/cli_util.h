/*  cli_util — what every `plenary` subcommand shares: flag tables parsed
    with getopt_long, payloads built from flags, publish-and-wait-for-receipt,
    and the output layer (the only place in plenary that prints: human text
    on stdout, one-line errors on stderr, JSON documents, UTF-8 aware tables).

    Exit codes are the CLI's contract: CLI_OK 0, CLI_FAILED 1 (a request the
    system rejected or could not answer; one line on stderr), CLI_USAGE 2 (an
    unknown subcommand or flag, a missing flag, a flag value or argument
    that is not valid UTF-8 or holds a control character, a flag value the
    schema refuses; nothing was sent). */
#ifndef CLI_UTIL_H_INCLUDED
#define CLI_UTIL_H_INCLUDED

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "pl_client.h"
#include "pl_config.h"
#include "pl_settings.h"
#include "pl_proto.h"

#define CLI_OK      0
#define CLI_FAILED  1
#define CLI_USAGE   2

#define CLI_FLAGS_MAX 32
#define CLI_DEFAULT_TIMEOUT_MS 10000

//  State of one invocation, made in main.
typedef struct {
    pl_config_t config;         //  defaults, the file, PLENARY_* environment, --endpoint
    pl_settings_t *settings;    //  where each of them came from ([plenary], [client])
    const char *config_file;    //  --config FILE before the command, or NULL
    char public_url [PL_ENDPOINT_MAX];  //  the gateway's public address, "" for http://HTTP
    int timeout_ms;             //  --timeout: receipts, queries and publish deadline
    char command [64];          //  "meeting add", for messages
    int quiet;                  //  --quiet: no progress, no informational lines
    int64_t progress_ms;        //  when cli_progress last redrew (monotonic ms), 0 never
} cli_t;

//  A subcommand: ARGV [0] is its own name.  Returns an exit code.
typedef int (cli_command_fn) (cli_t *cli, int argc, char **argv);

//  One row of a subcommand table (dispatch by name).
typedef struct {
    const char *name;
    cli_command_fn *run;
    const char *summary;        //  one line for the command list in --help
} cli_command_t;

//  One flag of a subcommand.  FIELD names the schema field the flag fills
//  (NULL for flags of the CLI itself); a flag without an argument is a
//  switch, present or not.
typedef struct {
    const char *name;           //  "family-name" for --family-name
    const char *field;          //  "family_name", or NULL
    int has_arg;                //  1: --flag VALUE; 0: --flag
    int required;               //  a missing required flag is a usage error
} cli_flag_t;

//  Parsed flags: VALUES [i] belongs to FLAGS [i] (NULL when absent, "" for a
//  switch that is present); ARGV/ARGC are the positional arguments left.
typedef struct {
    const cli_flag_t *flags;
    const char *values [CLI_FLAGS_MAX];
    int help;                   //  --help or -h was given
    int version;                //  --version was given (before the command)
    int argc;
    char **argv;
} cli_args_t;

//  Prepare the locale for UTF-8 output (setlocale, with a C.UTF-8 fallback).
void cli_locale_init (void);

//  When no flag, PLENARY_CERT or [client] cert names a key, use
//  ~/.config/plenary/plenary.key if it exists.
void cli_default_cert (cli_t *cli);

//  Find program NAME beside our own executable, else on PATH, into PATH.
//  0 when found, -1 otherwise.
int cli_locate (const char *name, char *path, size_t size);

//  Install SIGINT/SIGTERM handlers that set the one interruption flag.
void cli_signals_init (void);

//  True once SIGINT or SIGTERM has arrived.
int cli_interrupted (void);

//  Find and run NAME in TABLE (terminated by a NULL name).  An unknown name
//  is a usage error naming PARENT ("plenary" or "plenary meeting"); a name
//  that is not text says so without printing it.
int cli_dispatch (cli_t *cli, const cli_command_t *table, const char *parent,
                  int argc, char **argv);

//  Print TABLE's names and summaries (for --help).
void cli_print_commands (const cli_command_t *table);

//  Parse ARGV with getopt_long against FLAGS (terminated by a NULL name)
//  plus the common --endpoint, --timeout, --quiet and --help (-h).  Returns CLI_OK, or
//  CLI_USAGE after printing which flag is wrong (unknown, missing its
//  value, or required and absent unless --help was given), or which flag
//  value or argument is not text (pl_schema_text_check: not valid UTF-8, a
//  control character; TAB, CR and LF only in a value that fills a schema
//  field, whose own rules then apply).
int cli_parse (cli_t *cli, const cli_flag_t *flags, int argc, char **argv, cli_args_t *args);

//  Parse the global flags before the command word (--config, --endpoint,
//  --timeout, --quiet, --help, --version); ARGS->ARGV then starts at the
//  command.  --endpoint and --timeout go to CLI->settings as flags.
int cli_parse_global (cli_t *cli, int argc, char **argv, cli_args_t *args);

//  The value of flag NAME, or NULL when it was not given.
const char *cli_value (const cli_args_t *args, const char *name);

//  Build the payload of schema message MESSAGE from every given flag that
//  has a field (switches become true, INT fields numbers).  Returns a new
//  object, or NULL after printing a usage error.
json_t *cli_payload (cli_t *cli, const cli_args_t *args, const char *message);

//  Print a schema validation error ("meeting.scheduled: start: not a date")
//  as the flag it came from ("plenary: --start: not a date").  Returns CLI_USAGE.
int cli_invalid (cli_t *cli, const cli_args_t *args, const char *err);

//  A connected client for CLI's configuration, or NULL after printing why.
pl_client_t *cli_client (cli_t *cli);

//  The outcome of publishing one event and waiting for a group's receipt.
typedef struct {
    char event_id [PL_EVENT_ID_MAX + 1];
    pl_ack_t ack;
    char verdict [16];          //  applied, rejected, parked
    char reason [PL_REASON_MAX + 1];
} cli_receipt_t;

//  Publish PAYLOAD as TOPIC with EVENT_ID (NULL: a random one), then wait
//  for GROUP's verdict.  Returns CLI_OK with RECEIPT filled (whatever the
//  verdict), CLI_USAGE for a payload the schema refuses, CLI_FAILED when
//  the broker refused or did not answer (all printed).
int cli_publish (cli_t *cli, const cli_args_t *args, const char *topic, const char *event_id,
                 const json_t *payload, const char *group, cli_receipt_t *receipt);

//  `plenary status`'s line on the notify worker's outbox and relay, when
//  GROUPS (broker.status's) has a notify worker (cli_notify.c).
void cli_notify_summary (cli_t *cli, const json_t *groups);

//  Send query NAME with ARGS; returns the reply (caller owns) or NULL after
//  printing why.
json_t *cli_query (cli_t *cli, const char *name, const json_t *args);

//  The same for a list that comes a page at a time: every page, one reply
//  (pl_client_query_all).
json_t *cli_query_all (cli_t *cli, const char *name, const json_t *args);

//  Build query NAME's arguments from the given flags (cli_payload), check
//  them against the schema (a refusal is printed as the flag it came from)
//  and send the query.  Returns the reply (caller owns), or NULL with *RC
//  set to CLI_USAGE (bad flags) or CLI_FAILED (refused or unanswered), all
//  printed.
json_t *cli_query_flags (cli_t *cli, const cli_args_t *args, const char *name, int *rc);

//  The receipt as the --json document {seq, event_id, duplicate, verdict,
//  reason, id}; ID may be NULL (JSON null).  Caller owns the result.
json_t *cli_receipt_json (const cli_receipt_t *receipt, const char *id);

//  ----- the output layer -----

//  Human output on stdout; printf-style.
void cli_print (const char *format, ...) __attribute__ ((format (printf, 1, 2)));

//  One line on stderr, prefixed "plenary: ".
void cli_error (const char *format, ...) __attribute__ ((format (printf, 1, 2)));

//  An informational line on stderr (what the command is doing or waiting
//  for, not what was asked for), prefixed "plenary: "; nothing with --quiet.
void cli_note (const cli_t *cli, const char *format, ...)
    __attribute__ ((format (printf, 2, 3)));

//  A usage error on stderr, prefixed "plenary: " as every error, then the
//  hint to the command's --help ("Try 'plenary meeting add --help'.").
//  Returns CLI_USAGE.
int cli_usage (const cli_t *cli, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

//  A progress bar for DONE of TOTAL WHAT ("rows published") on stderr,
//  redrawn in place at most 4 times a second, only when stderr is a
//  terminal and without --quiet; DONE == TOTAL ends it with a newline.
void cli_progress (cli_t *cli, const char *what, size_t done, size_t total);

//  Print VALUE as one indented JSON document on stdout.
void cli_json (const json_t *value);

//  Print VALUE as compact JSON on one line (for streams such as tail).
void cli_json_line (const json_t *value);

//  VALUE as compact JSON text; caller frees.  NULL when it cannot be dumped.
char *cli_json_text (const json_t *value);

//  Columns of a table: HEADER over the values of KEY in each row object,
//  cut to at most WIDTH display columns (0: no limit).
typedef struct {
    const char *header;
    const char *key;
    int width;
} cli_column_t;

//  Print ROWS (an array of objects) as a table with aligned columns,
//  measuring text by display width (CJK counts two, combining marks zero).
void cli_table (const cli_column_t *columns, const json_t *rows);

//  Display width of UTF-8 text (bytes that do not decode count one each).
int cli_display_width (const char *text);

#endif

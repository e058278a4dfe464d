/*  plenary — the command line of the meeting-records system.

    A thin main: global flags (--config, --endpoint, --timeout, --quiet,
    --help, --version) over the environment over the configuration file
    (pl_settings, section [client]), then the subcommand from the table
    below, each in its own
    cli_*.c file; 'plenary help CMD [SUB]' is 'plenary CMD [SUB] --help'.  Exit
    codes: 0 ok, 1 a request the system rejected or could not answer (one
    line on stderr), 2 a usage error. */
#include "cli_util.h"
#include "pl_version.h"

#include <czmq.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

int cli_meeting (cli_t *cli, int argc, char **argv);
int cli_register (cli_t *cli, int argc, char **argv);
int cli_participants (cli_t *cli, int argc, char **argv);
int cli_credentials (cli_t *cli, int argc, char **argv);
int cli_statement (cli_t *cli, int argc, char **argv);
int cli_statements (cli_t *cli, int argc, char **argv);
int cli_speakers (cli_t *cli, int argc, char **argv);
int cli_session (cli_t *cli, int argc, char **argv);
int cli_delegation (cli_t *cli, int argc, char **argv);
int cli_convention (cli_t *cli, int argc, char **argv);
int cli_participant (cli_t *cli, int argc, char **argv);
int cli_stats (cli_t *cli, int argc, char **argv);
int cli_tail (cli_t *cli, int argc, char **argv);
int cli_dlq (cli_t *cli, int argc, char **argv);
int cli_status (cli_t *cli, int argc, char **argv);
int cli_up (cli_t *cli, int argc, char **argv);
int cli_calendar (cli_t *cli, int argc, char **argv);
int cli_release (cli_t *cli, int argc, char **argv);
int cli_outcome (cli_t *cli, int argc, char **argv);
int cli_doc (cli_t *cli, int argc, char **argv);
int cli_search (cli_t *cli, int argc, char **argv);
int cli_check (cli_t *cli, int argc, char **argv);
int cli_backup (cli_t *cli, int argc, char **argv);
int cli_verify (cli_t *cli, int argc, char **argv);
int cli_keys (cli_t *cli, int argc, char **argv);
int cli_subscribe (cli_t *cli, int argc, char **argv);
int cli_unsubscribe (cli_t *cli, int argc, char **argv);
int cli_notify (cli_t *cli, int argc, char **argv);
int cli_config (cli_t *cli, int argc, char **argv);

static int s_help_command (cli_t *cli, int argc, char **argv);

static const cli_command_t s_commands [] = {
    { "meeting",      cli_meeting,      "schedule, change, list and show meetings (meeting add|update|cancel|close|list|show)" },
    { "session",      cli_session,      "a meeting's programme of work (session add|move|cancel|list)" },
    { "delegation",   cli_delegation,   "delegations' status and observer admission (delegation set|admit|list)" },
    { "convention",   cli_convention,   "the conventions whose meetings are accepted (convention add|list)" },
    { "register",     cli_register,     "register a participant to a meeting" },
    { "participants", cli_participants, "the list of participants: table, --json, --csv, --html, --as-of, --since-issue; participants issue" },
    { "credentials",  cli_credentials,  "States Parties' credentials and the Credentials Committee's report (credentials submit|verify|reject|report)" },
    { "statement",    cli_statement,    "record a statement a delegation delivered" },
    { "statements",   cli_statements,   "list a meeting's statements by agenda item or delegation" },
    { "speakers",     cli_speakers,     "the list of speakers of an agenda item (speakers inscribe|withdraw|swap)" },
    { "participant",  cli_participant,  "a participant's lifecycle (participant update|withdraw|approve|confirm|reject|history)" },
    { "stats",        cli_stats,        "attendance statistics of a meeting" },
    { "tail",         cli_tail,         "print live events as the broker logs them" },
    { "dlq",          cli_dlq,          "list dead letters (events no worker could apply)" },
    { "status",       cli_status,       "show the broker's log and worker groups" },
    { "check",        cli_check,        "compare every view of the facts with its authority; exit 1 on a difference" },
    { "backup",       cli_backup,       "copy the data folder while the system runs: workers' databases, then the log, keys (backup --to DIR)" },
    { "verify",       cli_verify,       "check a data folder or a backup: every database, the log, documents against their SHA-256, cursors within the log" },
    { "release",      cli_release,      "release a language version of a document to the archive" },
    { "outcome",      cli_outcome,      "record an outcome (decision, final report, action plan) a meeting adopted" },
    { "doc",          cli_doc,          "show a document's versions, languages and revisions, or its text (doc declassify|withdraw)" },
    { "search",       cli_search,       "full-text search of documents, statements and outcomes, six languages" },
    { "calendar",     cli_calendar,     "iCalendar feed addresses, private feed tokens, live schedule (calendar url|rotate|watch)" },
    { "subscribe",    cli_subscribe,    "an e-mail address follows the documents of a meeting or convention" },
    { "unsubscribe",  cli_unsubscribe,  "an e-mail address stops following a meeting or convention" },
    { "notify",       cli_notify,       "the mail worker's outbox and relay (notify status)" },
    { "keys",         cli_keys,         "CurveZMQ keys: who may connect, with which role (keys init|new|list|revoke)" },
    { "up",           cli_up,           "start and supervise the whole system on this machine" },
    { "config",       cli_config,       "each setting's effective value and where it came from (flag, env, file, default)" },
    { "help",         s_help_command,   "what a command does, with an example: help CMD [SUB] is CMD [SUB] --help" },
    { NULL, NULL, NULL }
};

static void
s_help (void)
{
    cli_print (
        "plenary — meeting logistics and records of a treaty secretariat\n"
        "\n"
        "usage: plenary [--config FILE] [--endpoint EP] [--timeout MS] [--quiet] COMMAND [FLAGS]\n"
        "       plenary help COMMAND [SUBCOMMAND]\n"
        "       plenary --version\n"
        "\n"
        "commands:\n");
    cli_print_commands (s_commands);
    cli_print (
        "\n"
        "global flags (all but --config also accepted after the command):\n"
        "  --config FILE   the configuration file (default $PLENARY_CONFIG, else\n"
        "                  " PL_SETTINGS_FILE " when it exists): [plenary] and\n"
        "                  [client] keys named as the flags; a flag wins over the\n"
        "                  environment, which wins over the file ('plenary config')\n"
        "  --endpoint EP   the broker's frontend (default $PLENARY_ENDPOINT or tcp://127.0.0.1:7100)\n"
        "  --timeout MS    how long to wait for the broker and the workers (default 10000)\n"
        "  --quiet         no progress bars, no notes on what it is doing or waiting for;\n"
        "                  errors and what you asked for are still printed\n"
        "  -h, --help      this text ('plenary COMMAND --help' for a command's)\n"
        "  --version       the version of plenary and of its event schema\n"
        "\n"
        "your key, when the broker requires keys (docs/SECURITY.md): the file named by\n"
        "$PLENARY_CERT, else ~/.config/plenary/plenary.key if it exists ('plenary keys new'\n"
        "makes one; its holder keeps it 0600)\n"
        "\n"
        "exit status: 0 ok, 1 rejected or failed request (reason on stderr), 2 usage error\n"
        "(an unknown command or flag, a missing one, a value the schema refuses, or an\n"
        "argument or flag value that is not UTF-8 text or holds a control character:\n"
        "TAB, CR and LF only in values of text fields such as a statement's)\n"
        "\n"
        "example, a first session:\n"
        "  plenary up --data ./var &\n"
        "  plenary meeting add --id ccm-msp13 --convention CCM --kind msp \\\n"
        "      --title \"Thirteenth Meeting of States Parties\" --venue Geneva \\\n"
        "      --tz Europe/Zurich --start 2025-09-15 --end 2025-09-18\n"
        "  plenary register --meeting ccm-msp13 --family-name Dupont --given-name Anne \\\n"
        "      --delegation FR --function head\n"
        "  plenary participants --meeting ccm-msp13\n"
        "\n"
        "'plenary COMMAND --help' explains each command with an example.\n");
}

//  'plenary help CMD [SUB]': the same as 'plenary CMD [SUB] --help'.
static int
s_help_command (cli_t *cli, int argc, char **argv)
{
    if (argc < 2 || streq (argv [1], "--help") || streq (argv [1], "-h")) {
        s_help ();
        return CLI_OK;
    }
    //  The words after 'help', then --help; the command is named anew
    char **words = calloc ((size_t) argc + 1, sizeof *words);
    if (!words)
        return CLI_FAILED;
    for (int i = 1; i < argc; i++)
        words [i - 1] = argv [i];
    words [argc - 1] = "--help";
    *cli->command = 0;
    int rc = cli_dispatch (cli, s_commands, "plenary", argc, words);
    free (words);
    return rc;
}

int
main (int argc, char **argv)
{
    zsys_handler_set (NULL);    //  we handle SIGINT/SIGTERM where it matters (tail, up)
    //  Every message starts "plenary: ", the client library's log lines too
    setenv ("PLENARY_LOG_AS", "plenary", 1);
    cli_locale_init ();
    cli_t cli;
    memset (&cli, 0, sizeof cli);
    pl_config_defaults (&cli.config);
    cli.timeout_ms = CLI_DEFAULT_TIMEOUT_MS;
    //  Flags (global, and the command's --endpoint and --timeout) over the
    //  environment over the file's [plenary] and [client] over the defaults
    cli.settings = pl_settings_new ("client");
    if (!cli.settings)
        return CLI_FAILED;
    pl_settings_bind_config (cli.settings, &cli.config);
    pl_settings_bind (cli.settings, "timeout", &cli.timeout_ms, sizeof cli.timeout_ms);
    pl_settings_bind (cli.settings, "public-url", cli.public_url, sizeof cli.public_url);

    cli_args_t args;
    char err [1024];
    int rc = cli_parse_global (&cli, argc, argv, &args);
    if (rc == CLI_OK && args.help)
        s_help ();
    else
    if (rc == CLI_OK && args.version)
        pl_version_print ("plenary", NULL, 0);
    else
    if (rc == CLI_OK && pl_settings_load (cli.settings, cli.config_file, err, sizeof err))
        rc = cli_usage (&cli, "%s", err);
    else
    if (rc == CLI_OK && args.argc == 0)
        rc = cli_usage (&cli, "which command? 'plenary --help' lists them");
    else
    if (rc == CLI_OK) {
        cli_default_cert (&cli);
        rc = cli_dispatch (&cli, s_commands, "plenary", args.argc, args.argv);
        zsys_shutdown ();
    }
    pl_settings_destroy (&cli.settings);
    return rc;
}

/*  plenary — the command line of the meeting-records system.

    A thin main: global flags (--endpoint, --timeout, --help), then the
    subcommand from the table below, each in its own cli_*.c file.  Exit
    codes: 0 ok, 1 a request the system rejected or could not answer (one
    line on stderr), 2 a usage error. */
#include "cli_util.h"

#include <czmq.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

int cli_meeting (cli_t *cli, int argc, char **argv);
int cli_register (cli_t *cli, int argc, char **argv);
int cli_participants (cli_t *cli, int argc, char **argv);
int cli_tail (cli_t *cli, int argc, char **argv);
int cli_dlq (cli_t *cli, int argc, char **argv);
int cli_status (cli_t *cli, int argc, char **argv);
int cli_up (cli_t *cli, int argc, char **argv);

static const cli_command_t s_commands [] = {
    { "meeting",      cli_meeting,      "schedule, list and show meetings (meeting add|list|show)" },
    { "register",     cli_register,     "register a participant to a meeting" },
    { "participants", cli_participants, "list the participants of a meeting" },
    { "tail",         cli_tail,         "print live events as the broker logs them" },
    { "dlq",          cli_dlq,          "list dead letters (events no worker could apply)" },
    { "status",       cli_status,       "show the broker's log and worker groups" },
    { "up",           cli_up,           "start and supervise the whole system on this machine" },
    { NULL, NULL, NULL }
};

static void
s_help (void)
{
    cli_print (
        "plenary — meeting logistics and records of a treaty secretariat\n"
        "\n"
        "usage: plenary [--endpoint EP] [--timeout MS] COMMAND [FLAGS]\n"
        "\n"
        "commands:\n");
    cli_print_commands (s_commands);
    cli_print (
        "\n"
        "global flags (also accepted after the command):\n"
        "  --endpoint EP   the broker's frontend (default $PLENARY_ENDPOINT or tcp://127.0.0.1:7100)\n"
        "  --timeout MS    how long to wait for the broker and the workers (default 10000)\n"
        "\n"
        "exit status: 0 ok, 1 rejected or failed request (reason on stderr), 2 usage error\n"
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

int
main (int argc, char **argv)
{
    zsys_handler_set (NULL);    //  we handle SIGINT/SIGTERM where it matters (tail, up)
    cli_locale_init ();
    cli_t cli;
    memset (&cli, 0, sizeof cli);
    pl_config_defaults (&cli.config);
    pl_config_from_env (&cli.config);
    cli.timeout_ms = CLI_DEFAULT_TIMEOUT_MS;

    cli_args_t args;
    int rc = cli_parse_global (&cli, argc, argv, &args);
    if (rc)
        return rc;
    if (args.help) {
        s_help ();
        return CLI_OK;
    }
    if (args.argc == 0)
        return cli_usage (&cli, "which command? 'plenary --help' lists them");
    rc = cli_dispatch (&cli, s_commands, "plenary", args.argc, args.argv);
    zsys_shutdown ();
    return rc;
}

/*  cli_config — `plenary config [--program NAME] [--json]`: each setting's
    effective value and where it came from.

    The CLI's own settings ([plenary] and [client]) are its pl_settings.  A
    daemon's are asked of the daemon itself, the binary beside plenary (or
    on PATH) run with --print-config and the same configuration file: what
    it prints is what it would start with, its own defaults included, from
    this shell's environment (a service's environment file is not this
    shell's: run it as the service does to see that). */
#include "cli_util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

//  The programs, by the name of their section in the file
static const struct {
    const char *program;
    const char *binary;
} s_programs [] = {
    { "client",   NULL },
    { "broker",   "plenaryd" },
    { "records",  "plenary-records" },
    { "calendar", "plenary-calendar" },
    { "archive",  "plenary-archive" },
    { "notify",   "plenary-notify" },
    { "gateway",  "plenary-gateway" },
};
#define S_PROGRAMS (sizeof s_programs / sizeof s_programs [0])

static const cli_flag_t s_config_flags [] = {
    { "program", NULL, 1, 0 },
    { "json",    NULL, 0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_config_help =
    "usage: plenary config [--program NAME] [--json]\n"
    "\n"
    "Prints each setting's effective value and where it came from: a flag\n"
    "(flag --endpoint), the environment (env PLENARY_ENDPOINT), the configuration\n"
    "file (FILE:LINE) or the default, in that order of precedence.  Without\n"
    "--program, the CLI's own ([plenary] and [client]); --program NAME asks the\n"
    "program itself (its --print-config, with the same file and this shell's\n"
    "environment): broker, records, calendar, archive, notify, gateway or client.\n"
    "--json prints one document {program, binary, file, settings: [{key, value,\n"
    "source, env}]}.\n"
    "\n"
    "The file is the one --config names (before the command), else\n"
    "$PLENARY_CONFIG, else " PL_SETTINGS_FILE " when it exists.  Its sections:\n"
    "[plenary] for what every program shares (data, endpoint, backend, pub, http,\n"
    "public-url), and [broker], [records], [calendar], [archive], [notify],\n"
    "[gateway], [client] for one program; keys are the long flags' names.  A bad\n"
    "file is an error naming FILE:LINE, here and in every program.\n"
    "\n"
    "examples:\n"
    "  plenary config\n"
    "  plenary --config /etc/plenary/plenary.conf config --program broker --json\n";

int
cli_config (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_config_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_config_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    const char *program = cli_value (&args, "program") ? cli_value (&args, "program") : "client";
    int json = cli_value (&args, "json") != NULL;
    size_t i = 0;
    while (i < S_PROGRAMS && strcmp (s_programs [i].program, program))
        i++;
    if (i == S_PROGRAMS)
        return cli_usage (cli, "--program: '%s' is not one of client, broker, records, "
                          "calendar, archive, notify, gateway", program);
    if (!s_programs [i].binary) {
        fflush (stdout);
        return pl_settings_print (cli->settings, stdout, json) ? CLI_FAILED : CLI_OK;
    }
    char path [PATH_MAX];
    if (cli_locate (s_programs [i].binary, path, sizeof path)) {
        cli_error ("%s not found beside plenary nor on PATH", s_programs [i].binary);
        return CLI_FAILED;
    }
    char *child [6];
    int n = 0;
    child [n++] = path;
    child [n++] = json ? "--print-config=json" : "--print-config";
    if (cli->config_file) {
        child [n++] = "--config";
        child [n++] = (char *) cli->config_file;
    }
    child [n] = NULL;
    fflush (stdout);
    pid_t pid = fork ();
    if (pid < 0) {
        cli_error ("cannot start %s", path);
        return CLI_FAILED;
    }
    if (pid == 0) {
        execv (path, child);
        _exit (127);
    }
    int status = 0;
    pid_t got;
    do
        got = waitpid (pid, &status, 0);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        return CLI_FAILED;
    //  Its own message (a bad file) is on stderr already
    return WIFEXITED (status) && WEXITSTATUS (status) == 0 ? CLI_OK
         : WIFEXITED (status) && WEXITSTATUS (status) == 2 ? CLI_USAGE : CLI_FAILED;
}

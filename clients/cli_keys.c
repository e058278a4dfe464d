/*  cli_keys — `plenary keys init|new|list|revoke`: the CurveZMQ keys that
    say who may connect to the broker and with which role (pl_keys,
    docs/SECURITY.md).  They work on the broker host's data folder
    (--data, PLENARY_DATA), where the broker reads them: a key issued counts
    for the next connection, a key revoked is refused from the next message
    of a connected client and within a tick for a worker. */
#include "cli_util.h"
#include "pl_fs.h"
#include "pl_keys.h"
#include "pl_seal.h"

#include <czmq.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static int s_keys_init (cli_t *cli, int argc, char **argv);
static int s_keys_new (cli_t *cli, int argc, char **argv);
static int s_keys_list (cli_t *cli, int argc, char **argv);
static int s_keys_revoke (cli_t *cli, int argc, char **argv);
static int s_keys_web_user (cli_t *cli, int argc, char **argv);

static const cli_command_t s_keys_commands [] = {
    { "init",   s_keys_init,   "make the broker's key, and keys for the workers and gateway of 'plenary up'" },
    { "new",    s_keys_new,    "issue a key for a person or a program, with its role" },
    { "list",   s_keys_list,   "list the keys the broker accepts, and those revoked" },
    { "revoke", s_keys_revoke, "take a key back: refused from now on" },
    { "web-user", s_keys_web_user, "issue a key for a person who signs in to /secretariat/, sealed by a password" },
    { NULL, NULL, NULL }
};

int
cli_keys (cli_t *cli, int argc, char **argv)
{
    if (argc >= 2 && (streq (argv [1], "--help") || streq (argv [1], "-h"))) {
        cli_print ("usage: plenary keys COMMAND [FLAGS]\n\ncommands:\n");
        cli_print_commands (s_keys_commands);
        cli_print ("\n"
            "Keys live on the broker's host in DATA/keys (--data, $PLENARY_DATA).  Once the\n"
            "broker has a key (keys init), every connection must show one: a client key\n"
            "with a role (secretariat, record-keeper, delegate, public) or a worker key\n"
            "with the groups and services it may take.  docs/SECURITY.md has the model.\n"
            "\n"
            "example, a secretariat whose broker listens beyond this host:\n"
            "  plenary keys init --data /srv/plenary\n"
            "  plenary keys new --role secretariat --name alice --data /srv/plenary\n"
            "  # give alice the file it prints; she sets PLENARY_CERT to it\n"
            "'plenary keys COMMAND --help' explains each.\n");
        return CLI_OK;
    }
    pl_fs_private ();           //  key files are 0600, their folders 0700
    return cli_dispatch (cli, s_keys_commands, "plenary keys", argc - 1, argv + 1);
}

//  --data, else PLENARY_DATA, else ./var.
static const char *
s_data (cli_t *cli, const cli_args_t *args)
{
    return cli_value (args, "data") ? cli_value (args, "data") : cli->config.data;
}

static const cli_flag_t s_init_flags [] = {
    { "data", NULL, 1, 0 },
    { "json", NULL, 0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_init_help =
    "usage: plenary keys init [--data DIR] [--json]\n"
    "\n"
    "Makes DIR/keys (0700) and the broker's key pair (DIR/keys/broker.key, 0600),\n"
    "and issues the keys 'plenary up' gives its own processes: one worker key per\n"
    "group (records, calendar, archive, notify) and the gateway's, in\n"
    "DIR/keys/issued/.  From then on plenaryd requires keys on every socket: on\n"
    "loopback too.  Running it again adds what is missing and changes nothing else.\n"
    "\n"
    "example:\n"
    "  plenary keys init --data ./var\n"
    "  plenary keys new --role secretariat --name operator --data ./var \\\n"
    "      --out ~/.config/plenary/plenary.key\n";

static int
s_keys_init (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_init_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_init_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    const char *data = s_data (cli, &args);
    char err [1024];
    if (pl_keys_init (data, 1, err, sizeof err)) {
        cli_error ("%s", err);
        return CLI_FAILED;
    }
    pl_key_t broker;
    if (pl_keys_broker (data, &broker, err, sizeof err)) {
        cli_error ("%s", err);
        return CLI_FAILED;
    }
    if (cli_value (&args, "json")) {
        json_t *reply = json_pack ("{s:s, s:s}", "keys", data, "broker_key", broker.public_key);
        cli_json (reply);
        json_decref (reply);
    }
    else
        cli_print ("keys in %s/keys; the broker's public key is %s\n"
                   "plenaryd now requires a key of every client and worker.  Next:\n"
                   "  plenary keys new --role secretariat --name NAME --data %s\n",
                   data, broker.public_key, data);
    return CLI_OK;
}

static const cli_flag_t s_new_flags [] = {
    { "role",    NULL, 1, 1 },
    { "name",    NULL, 1, 1 },
    { "group",   NULL, 1, 0 },
    { "service", NULL, 1, 0 },
    { "credit",  NULL, 1, 0 },
    { "live",    NULL, 0, 0 },
    { "publish", NULL, 1, 0 },
    { "delegation", NULL, 1, 0 },
    { "out",     NULL, 1, 0 },
    { "data",    NULL, 1, 0 },
    { "json",    NULL, 0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_new_help =
    "usage: plenary keys new --role ROLE --name NAME [--out FILE] [--data DIR] [--json]\n"
    "                        [--group G,...] [--service S,...] [--credit N] [--live]\n"
    "                        [--publish TOPIC,...] [--delegation D]\n"
    "\n"
    "Issues a key: a new CurveZMQ key pair whose public half the broker accepts from\n"
    "now on (DIR/keys/allowed/NAME.pub), and whose secret half is written, mode\n"
    "0600, to FILE (default DIR/keys/issued/NAME.key).  Give that file to its holder\n"
    "only: it names the broker's key too, so it is all a client needs.  The holder\n"
    "sets PLENARY_CERT to it (or keeps it as ~/.config/plenary/plenary.key); a worker\n"
    "takes it with --cert.\n"
    "\n"
    "ROLE is what the key may do:\n"
    "  secretariat     publish events, see everything, follow the live stream\n"
    "  record-keeper   query; sees documents of limited distribution\n"
    "  delegate        query; sees what a delegation sees\n"
    "  public          query; sees what anyone may see\n"
    "  worker          a worker process: --group the groups it may join and\n"
    "                  --service the query services it may offer (both required),\n"
    "                  --credit the most events it may hold in flight\n"
    "--live lets a key of another role follow the live stream (the gateway's);\n"
    "--publish TOPIC,... lets it publish those events though its role may not (the\n"
    "gateway's publishes mail.unsubscribed, a recipient's one-click unsubscription).\n"
    "--delegation D makes a delegate key the focal point of delegation D: granted\n"
    "participant.registered and participant.approved with --publish, it may register\n"
    "and approve that delegation's participants only (records refuses the others).\n"
    "NAME is 1 to 32 of [a-z0-9-] and is never reused, even after revocation.\n"
    "\n"
    "examples:\n"
    "  plenary keys new --role secretariat --name alice --data /srv/plenary\n"
    "  plenary keys new --role delegate --name fp-fr --delegation fr \\\n"
    "      --publish participant.registered,participant.approved --data /srv/plenary\n"
    "  plenary keys new --role worker --name calendar-2 --group calendar \\\n"
    "      --service calendar --data /srv/plenary --out calendar-2.key\n";

static int
s_keys_new (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_new_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_new_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    pl_key_t key;
    memset (&key, 0, sizeof key);
    const struct { const char *flag; char *field; size_t size; } texts [] = {
        { "name",    key.name,     sizeof key.name },
        { "role",    key.role,     sizeof key.role },
        { "group",   key.groups,   sizeof key.groups },
        { "service", key.services, sizeof key.services },
        { "publish", key.publish,  sizeof key.publish },
        { "delegation", key.delegation, sizeof key.delegation },
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts [0]; i++) {
        const char *value = cli_value (&args, texts [i].flag);
        if (value && strlen (value) >= texts [i].size)
            return cli_usage (cli, "--%s: longer than %zu bytes", texts [i].flag,
                              texts [i].size - 1);
        if (value)
            memcpy (texts [i].field, value, strlen (value) + 1);
    }
    if (cli_value (&args, "credit")) {
        char *end = NULL;
        long credit = strtol (cli_value (&args, "credit"), &end, 10);
        if (!end || *end || credit < 1 || credit > 1000000)
            return cli_usage (cli, "--credit: want a number from 1 to 1000000");
        key.credit = (int) credit;
    }
    key.live = cli_value (&args, "live") != NULL;
    if (strcmp (key.role, "worker") && (*key.groups || *key.services || key.credit))
        return cli_usage (cli, "--group, --service and --credit are for --role worker");
    char path [PL_ENDPOINT_MAX + 64], err [1024];
    const char *data = s_data (cli, &args);
    if (pl_keys_issue (data, &key, cli_value (&args, "out"), path, sizeof path, err, sizeof err)) {
        cli_error ("%s", err);
        memset (&key, 0, sizeof key);
        return CLI_FAILED;
    }
    if (cli_value (&args, "json")) {
        json_t *reply = json_pack ("{s:s, s:s, s:s, s:s}", "name", key.name, "role", key.role,
                                   "public_key", key.public_key, "file", path);
        cli_json (reply);
        json_decref (reply);
    }
    else
        cli_print ("issued key %s (%s); its secret is in %s (mode 0600): give it to its\n"
                   "holder only, who sets PLENARY_CERT=%s\n", key.name, key.role, path, path);
    memset (&key, 0, sizeof key);
    return CLI_OK;
}

static const cli_flag_t s_list_flags [] = {
    { "data", NULL, 1, 0 },
    { "json", NULL, 0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_list_help =
    "usage: plenary keys list [--data DIR] [--json]\n"
    "\n"
    "Lists the keys the broker accepts, then those revoked: name, role, what a\n"
    "worker key may take, and when each was issued or revoked.\n"
    "\n"
    "example:\n"
    "  plenary keys list --data /srv/plenary\n";

static const cli_column_t s_key_columns [] = {
    { "NAME",     "name",       24 },
    { "ROLE",     "role",       14 },
    { "GROUPS",   "groups",     16 },
    { "SERVICES", "services",   16 },
    { "ISSUED",   "created",    20 },
    { "REVOKED",  "revoked",    20 },
    { NULL, NULL, 0 }
};

static int
s_list_one (void *arg, const pl_key_t *key)
{
    json_t *item = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:b}", "name", key->name,
                              "role", key->role, "groups", key->groups,
                              "services", key->services, "created", key->created,
                              "live", key->live);
    if (item && *key->revoked)
        json_object_set_new (item, "revoked", json_string (key->revoked));
    if (item && key->credit)
        json_object_set_new (item, "credit", json_integer (key->credit));
    json_array_append_new (arg, item);
    return 0;
}

static int
s_keys_list (cli_t *cli, int argc, char **argv)
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
    const char *data = s_data (cli, &args);
    json_t *items = json_array ();
    char err [1024];
    if (!pl_keys_enabled (data)) {
        cli_error ("%s has no keys ('plenary keys init --data %s' makes them)",
                   data, data);
        json_decref (items);
        return CLI_FAILED;
    }
    if (pl_keys_list (data, s_list_one, items, err, sizeof err)) {
        cli_error ("%s", err);
        json_decref (items);
        return CLI_FAILED;
    }
    if (cli_value (&args, "json"))
        cli_json (items);
    else
        cli_table (s_key_columns, items);
    json_decref (items);
    return CLI_OK;
}

static const cli_flag_t s_revoke_flags [] = {
    { "data", NULL, 1, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_revoke_help =
    "usage: plenary keys revoke NAME [--data DIR]\n"
    "\n"
    "Takes the key NAME back.  New connections with it are refused at once; a\n"
    "client already connected is refused from its next message, a worker is\n"
    "disconnected within a tick, and the live stream asks its subscribers for\n"
    "their keys again.  The key stays listed as revoked, and its name is not\n"
    "given again.\n"
    "\n"
    "example:\n"
    "  plenary keys revoke alice --data /srv/plenary\n";

static int
s_keys_revoke (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_revoke_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_revoke_help);
        return rc;
    }
    if (args.argc != 1)
        return cli_usage (cli, "which key? 'plenary keys revoke NAME'");
    char err [1024];
    if (pl_keys_revoke (s_data (cli, &args), args.argv [0], err, sizeof err)) {
        cli_error ("%s", err);
        return CLI_FAILED;
    }
    cli_print ("revoked key %s: refused from now on\n", args.argv [0]);
    return CLI_OK;
}

static const cli_flag_t s_web_user_flags [] = {
    { "role",       NULL, 1, 1 },
    { "delegation", NULL, 1, 0 },
    { "data",       NULL, 1, 0 },
    { "json",       NULL, 0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_web_user_help =
    "usage: plenary keys web-user NAME --role secretariat|delegate [--delegation D]\n"
    "                             [--data DIR] [--json]\n"
    "\n"
    "Issues a key for a person who signs in to the gateway's /secretariat/ pages\n"
    "as NAME.  The key is like any other ('plenary keys new'): its public half is\n"
    "allowed (DIR/keys/allowed/NAME.pub) and 'plenary keys revoke NAME' takes it\n"
    "back.  Its secret half is never written in clear: it is sealed by the\n"
    "person's password (Argon2id over 64 MiB, then XSalsa20-Poly1305) in\n"
    "DIR/keys/web/NAME.sealed (0600), which the gateway opens at sign-in.\n"
    "\n"
    "The password is read from the terminal (asked twice, not shown), or else\n"
    "the first line of standard input; never from the command line.  It is 12\n"
    "to 1024 bytes.\n"
    "\n"
    "--role secretariat   sees and does everything the secretariat's pages offer\n"
    "--role delegate      a delegation's focal point: --delegation names it; the key\n"
    "                     may publish participant.registered and participant.approved,\n"
    "                     which records accepts for that delegation only\n"
    "\n"
    "examples:\n"
    "  plenary keys web-user amina --role secretariat --data /srv/plenary\n"
    "  printf '%s\\n' \"$PASSWORD\" | plenary keys web-user jean --role delegate \\\n"
    "      --delegation fr --data /srv/plenary\n";

//  Read one line, at most SIZE - 1 bytes, without its newline, into BUF:
//  from the terminal without echo when stdin is one (PROMPT on stderr),
//  else from stdin.  Its length, or -1 (end of input, or too long).
static long
s_password_line (const char *prompt, char *buf, size_t size)
{
    struct termios saved, quiet;
    int terminal = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
    if (terminal) {
        fprintf (stderr, "%s", prompt);
        quiet = saved;
        quiet.c_lflag &= (tcflag_t) ~ECHO;
        tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    long length = -1;
    if (fgets (buf, (int) size, stdin)) {
        length = (long) strlen (buf);
        if (length > 0 && buf [length - 1] == '\n')
            buf [--length] = 0;
        else
        if (!feof (stdin))
            length = -1;            //  longer than the buffer
    }
    if (terminal) {
        tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
        fprintf (stderr, "\n");
    }
    return length;
}

static int
s_keys_web_user (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_web_user_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_web_user_help);
        return rc;
    }
    if (args.argc != 1)
        return cli_usage (cli, "which person? 'plenary keys web-user NAME --role ROLE'");
    pl_key_t key;
    memset (&key, 0, sizeof key);
    const char *role = cli_value (&args, "role");
    const char *delegation = cli_value (&args, "delegation");
    if (strlen (args.argv [0]) >= sizeof key.name)
        return cli_usage (cli, "NAME: longer than %zu bytes", sizeof key.name - 1);
    if (strcmp (role, "secretariat") && strcmp (role, "delegate"))
        return cli_usage (cli, "--role: want secretariat or delegate, not '%s'", role);
    if ((strcmp (role, "delegate") == 0) != (delegation != NULL))
        return cli_usage (cli, "--delegation goes with --role delegate (a focal point), "
                          "and only with it");
    if (delegation && strlen (delegation) >= sizeof key.delegation)
        return cli_usage (cli, "--delegation: longer than %zu bytes", sizeof key.delegation - 1);
    snprintf (key.name, sizeof key.name, "%s", args.argv [0]);
    snprintf (key.role, sizeof key.role, "%s", role);
    snprintf (key.delegation, sizeof key.delegation, "%s", delegation ? delegation : "");
    //  A focal point registers and approves (first level) its delegation's
    //  participants; records refuses any other delegation from the stamp
    if (delegation)
        snprintf (key.publish, sizeof key.publish, "participant.registered,participant.approved");
    char password [PL_SEAL_PASSWORD_MAX + 2], again [PL_SEAL_PASSWORD_MAX + 2];
    long length = s_password_line ("password: ", password, sizeof password);
    int terminal = isatty (STDIN_FILENO);
    rc = CLI_OK;
    if (length < 0) {
        cli_error ("no password read (a terminal, or its first line on standard input)");
        rc = CLI_FAILED;
    }
    else
    if (terminal && (s_password_line ("again: ", again, sizeof again) != length
                 ||  memcmp (password, again, (size_t) length))) {
        cli_error ("the two passwords differ; nothing was issued");
        rc = CLI_FAILED;
    }
    char path [PL_ENDPOINT_MAX + 64], err [1024];
    if (rc == CLI_OK
    &&  pl_keys_issue_web (s_data (cli, &args), &key, password, (size_t) length,
                           path, sizeof path, err, sizeof err)) {
        cli_error ("%s", err);
        rc = CLI_FAILED;
    }
    sodium_memzero (password, sizeof password);
    sodium_memzero (again, sizeof again);
    if (rc == CLI_OK) {
        if (cli_value (&args, "json")) {
            json_t *reply = json_pack ("{s:s, s:s, s:s, s:s}", "name", key.name, "role", key.role,
                                       "public_key", key.public_key, "file", path);
            if (reply && *key.delegation)
                json_object_set_new (reply, "delegation", json_string (key.delegation));
            cli_json (reply);
            json_decref (reply);
        }
        else
            cli_print ("issued web user %s (%s%s%s); the secret is sealed by the password in\n"
                       "%s: %s signs in at /secretariat/sign-in\n", key.name, key.role,
                       *key.delegation ? ", focal point of " : "", key.delegation, path,
                       key.name);
    }
    sodium_memzero (&key, sizeof key);
    return rc;
}

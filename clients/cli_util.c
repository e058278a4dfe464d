/*  cli_util — flag tables, payloads from flags, publish-and-receipt, and the
    CLI's output layer.  This file is the one place in plenary that prints
    with printf: every subcommand writes through cli_print, cli_error,
    cli_json and cli_table, so the output's shape is decided here. */
#define _XOPEN_SOURCE 700           //  wcwidth
#include "cli_util.h"
#include "pl_codec.h"
#include "pl_proto.h"
#include "pl_schema.h"

#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

//  The one mutable global: set by the signal handler, read by loops.
static volatile sig_atomic_t s_interrupted = 0;

static void
s_on_signal (int signum)
{
    (void) signum;
    s_interrupted = 1;
}

void
cli_signals_init (void)
{
    struct sigaction action;
    memset (&action, 0, sizeof action);
    action.sa_handler = s_on_signal;
    sigemptyset (&action.sa_mask);
    sigaction (SIGINT, &action, NULL);
    sigaction (SIGTERM, &action, NULL);
}

int
cli_interrupted (void)
{
    return s_interrupted != 0;
}

void
cli_locale_init (void)
{
    setlocale (LC_ALL, "");
    if (MB_CUR_MAX == 1)
        setlocale (LC_CTYPE, "C.UTF-8");
    setlocale (LC_NUMERIC, "C");    //  numbers in JSON always use a point
}

void
cli_default_cert (cli_t *cli)
{
    const char *home = getenv ("HOME");
    char path [PL_ENDPOINT_MAX];
    if (*cli->config.cert || pl_settings_given (cli->settings, "cert") || !home
    ||  (size_t) snprintf (path, sizeof path, "%s/.config/plenary/plenary.key", home) >= sizeof path)
        return;
    if (access (path, R_OK) == 0) {
        pl_config_set (cli->config.cert, path);
        pl_settings_derive (cli->settings, "cert", path, "default (~/.config/plenary/plenary.key)");
    }
}

int
cli_locate (const char *name, char *path, size_t size)
{
    char self [PATH_MAX];
    ssize_t length = readlink ("/proc/self/exe", self, sizeof self - 1);
    if (length > 0) {
        self [length] = 0;
        char *slash = strrchr (self, '/');
        if (slash) {
            *slash = 0;
            if ((size_t) snprintf (path, size, "%s/%s", self, name) < size
            &&  access (path, X_OK) == 0)
                return 0;
        }
    }
    const char *env = getenv ("PATH");
    char *dirs = strdup (env ? env : "/usr/local/bin:/usr/bin:/bin");
    char *saveptr = NULL;
    int rc = -1;
    for (char *dir = strtok_r (dirs, ":", &saveptr); dir && rc; dir = strtok_r (NULL, ":", &saveptr))
        if ((size_t) snprintf (path, size, "%s/%s", *dir ? dir : ".", name) < size
        &&  access (path, X_OK) == 0)
            rc = 0;
    free (dirs);
    return rc;
}

//  ---------------------------------------------------------------------------
//  Output layer

void
cli_print (const char *format, ...)
{
    va_list args;
    va_start (args, format);
    vprintf (format, args);
    va_end (args);
}

void
cli_error (const char *format, ...)
{
    fflush (stdout);
    fputs ("plenary: ", stderr);
    va_list args;
    va_start (args, format);
    vfprintf (stderr, format, args);
    va_end (args);
    fputc ('\n', stderr);
}

void
cli_note (const cli_t *cli, const char *format, ...)
{
    if (cli->quiet)
        return;
    fflush (stdout);
    fputs ("plenary: ", stderr);
    va_list args;
    va_start (args, format);
    vfprintf (stderr, format, args);
    va_end (args);
    fputc ('\n', stderr);
}

void
cli_progress (cli_t *cli, const char *what, size_t done, size_t total)
{
    //  Bar width in cells: fits an 80-column terminal with the counts
    enum { BAR = 30, REDRAW_MS = 250 };
    if (cli->quiet || !isatty (STDERR_FILENO) || total == 0)
        return;
    //  At most 4 redraws a second (a terminal slows down to its redraws),
    //  and always the last
    struct timespec now;
    clock_gettime (CLOCK_MONOTONIC, &now);
    int64_t now_ms = (int64_t) now.tv_sec * 1000 + now.tv_nsec / 1000000;
    if (done < total && cli->progress_ms && now_ms - cli->progress_ms < REDRAW_MS)
        return;
    cli->progress_ms = now_ms;
    size_t filled = done * BAR / total;
    char bar [BAR + 1];
    for (size_t i = 0; i < BAR; i++)
        bar [i] = i < filled ? '#' : '.';
    bar [BAR] = 0;
    fprintf (stderr, "\r[%s] %zu/%zu %s%s", bar, done, total, what, done >= total ? "\n" : "");
    fflush (stderr);
}

int
cli_usage (const cli_t *cli, const char *format, ...)
{
    fflush (stdout);
    fputs ("plenary: ", stderr);
    va_list args;
    va_start (args, format);
    vfprintf (stderr, format, args);
    va_end (args);
    fprintf (stderr, "\nTry 'plenary%s%s --help'.\n", *cli->command ? " " : "", cli->command);
    return CLI_USAGE;
}

void
cli_json (const json_t *value)
{
    json_dumpf (value, stdout, JSON_INDENT (2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    putchar ('\n');
}

void
cli_json_line (const json_t *value)
{
    json_dumpf (value, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    putchar ('\n');
    fflush (stdout);
}

char *
cli_json_text (const json_t *value)
{
    return json_dumps (value, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
}

int
cli_display_width (const char *text)
{
    mbstate_t state;
    memset (&state, 0, sizeof state);
    size_t left = strlen (text);
    int width = 0;
    while (left > 0) {
        wchar_t wide;
        size_t used = mbrtowc (&wide, text, left, &state);
        if (used == (size_t) -1 || used == (size_t) -2 || used == 0) {
            memset (&state, 0, sizeof state);
            used = 1;
            width++;
        }
        else {
            int w = wcwidth (wide);
            width += w < 0 ? 1 : w;
        }
        text += used;
        left -= used;
    }
    return width;
}

//  Length in bytes of the longest prefix of TEXT that fits in WIDTH columns.
static size_t
s_fit (const char *text, int width, int *used_width)
{
    mbstate_t state;
    memset (&state, 0, sizeof state);
    size_t left = strlen (text), bytes = 0;
    int have = 0;
    while (left > 0) {
        wchar_t wide;
        size_t used = mbrtowc (&wide, text + bytes, left, &state);
        int w = 1;
        if (used == (size_t) -1 || used == (size_t) -2 || used == 0) {
            memset (&state, 0, sizeof state);
            used = 1;
        }
        else
            w = wcwidth (wide) < 0 ? 1 : wcwidth (wide);
        if (have + w > width)
            break;
        have += w;
        bytes += used;
        left -= used;
    }
    *used_width = have;
    return bytes;
}

//  The text of one cell: strings as they are, numbers, yes/no, "" for null.
static char *
s_cell (const json_t *value)
{
    if (json_is_string (value))
        return strdup (json_string_value (value));
    if (json_is_true (value))
        return strdup ("yes");
    if (json_is_false (value))
        return strdup ("no");
    if (!value || json_is_null (value))
        return strdup ("");
    return cli_json_text (value);
}

//  A cell cut to WIDTH columns (with an ellipsis) when WIDTH > 0.  Caller frees.
static char *
s_cut (const json_t *value, int width)
{
    char *text = s_cell (value);
    if (!text || width <= 0)
        return text;
    //  Control characters would break the layout: show them as spaces.
    for (char *c = text; *c; c++)
        if ((unsigned char) *c < 0x20)
            *c = ' ';
    if (cli_display_width (text) <= width)
        return text;
    int used;
    size_t bytes = s_fit (text, width - 1, &used);
    char *cut = malloc (bytes + sizeof "…");
    if (cut) {
        memcpy (cut, text, bytes);
        strcpy (cut + bytes, "…");
    }
    free (text);
    return cut;
}

void
cli_table (const cli_column_t *columns, const json_t *rows)
{
    size_t ncols = 0;
    while (columns [ncols].header)
        ncols++;
    size_t nrows = json_array_size (rows);
    char **cells = calloc ((nrows + 1) * ncols, sizeof *cells);
    int *widths = calloc (ncols, sizeof *widths);
    if (!cells || !widths)
        goto done;
    for (size_t c = 0; c < ncols; c++) {
        cells [c] = strdup (columns [c].header);
        widths [c] = cli_display_width (columns [c].header);
    }
    for (size_t r = 0; r < nrows; r++) {
        const json_t *row = json_array_get (rows, r);
        for (size_t c = 0; c < ncols; c++) {
            char *text = s_cut (json_object_get (row, columns [c].key), columns [c].width);
            cells [(r + 1) * ncols + c] = text;
            int w = text ? cli_display_width (text) : 0;
            if (w > widths [c])
                widths [c] = w;
        }
    }
    for (size_t r = 0; r <= nrows; r++) {
        for (size_t c = 0; c < ncols; c++) {
            const char *text = cells [r * ncols + c] ? cells [r * ncols + c] : "";
            if (c + 1 == ncols)
                fputs (text, stdout);
            else
                printf ("%s%*s", text, widths [c] - cli_display_width (text) + 2, "");
        }
        putchar ('\n');
    }
done:
    if (cells)
        for (size_t i = 0; i < (nrows + 1) * ncols; i++)
            free (cells [i]);
    free (cells);
    free (widths);
}

//  ---------------------------------------------------------------------------
//  Dispatch and flags

void
cli_print_commands (const cli_command_t *table)
{
    for (const cli_command_t *row = table; row->name; row++)
        printf ("  %-14s %s\n", row->name, row->summary);
}

//  True when TEXT is not text a flag or argument may hold (pl_schema_text_check;
//  TAB, CR and LF only when LINES), with RULE saying why.
static int
s_text_bad (const char *text, int lines, char *rule, size_t rulesize)
{
    return pl_schema_text_check (text, strlen (text), lines, rule, rulesize) != 0;
}

int
cli_dispatch (cli_t *cli, const cli_command_t *table, const char *parent,
              int argc, char **argv)
{
    if (argc < 1)
        return cli_usage (cli, "which command? (%s --help lists them)", parent);
    char rule [PL_ERR_MAX];
    if (s_text_bad (argv [0], 0, rule, sizeof rule))
        return cli_usage (cli, "the command: %s", rule);
    for (const cli_command_t *row = table; row->name; row++)
        if (streq (row->name, argv [0])) {
            size_t length = strlen (cli->command);
            snprintf (cli->command + length, sizeof cli->command - length, "%s%s",
                      length ? " " : "", row->name);
            return row->run (cli, argc, argv);
        }
    return cli_usage (cli, "'%s' is not a command", argv [0]);
}

enum { s_opt_endpoint = 1000, s_opt_timeout, s_opt_help, s_opt_quiet, s_opt_version,
       s_opt_config, s_opt_flag };

//  Parse ARGV against FLAGS with OPTSTRING.  Every flag value is checked as
//  text, and when ARGUMENTS the arguments left too (not after the global
//  flags: cli_dispatch checks the command word, and the command's own
//  parse what follows it).
static int
s_parse (cli_t *cli, const cli_flag_t *flags, int argc, char **argv, cli_args_t *args,
         const char *optstring, int arguments)
{
    memset (args, 0, sizeof *args);
    args->flags = flags;
    struct option options [CLI_FLAGS_MAX + 7];
    size_t nflags = 0;
    for (; flags [nflags].name; nflags++) {
        assert (nflags < CLI_FLAGS_MAX);
        options [nflags] = (struct option) {
            flags [nflags].name, flags [nflags].has_arg ? required_argument : no_argument,
            NULL, s_opt_flag + (int) nflags
        };
    }
    options [nflags]     = (struct option) { "endpoint", required_argument, NULL, s_opt_endpoint };
    options [nflags + 1] = (struct option) { "timeout",  required_argument, NULL, s_opt_timeout };
    options [nflags + 2] = (struct option) { "help",     no_argument,       NULL, s_opt_help };
    options [nflags + 3] = (struct option) { "quiet",    no_argument,       NULL, s_opt_quiet };
    //  --version and --config only before the command: 'plenary --version'
    options [nflags + 4] = arguments ? (struct option) { NULL, 0, NULL, 0 }
                         : (struct option) { "version", no_argument, NULL, s_opt_version };
    options [nflags + 5] = arguments ? (struct option) { NULL, 0, NULL, 0 }
                         : (struct option) { "config", required_argument, NULL, s_opt_config };
    options [nflags + 6] = (struct option) { NULL, 0, NULL, 0 };

    optind = 0;                 //  glibc: start afresh on a new argv
    opterr = 0;
    int opt;
    char rule [PL_ERR_MAX];
    while ((opt = getopt_long (argc, argv, optstring, options, NULL)) != -1) {
        if (opt == '?' || opt == ':') {
            const char *arg = argv [optind - 1];
            if (s_text_bad (arg, 0, rule, sizeof rule))
                return cli_usage (cli, "a flag: %s", rule);
            return cli_usage (cli, opt == '?' ? "unknown flag '%s'" : "%s needs a value", arg);
        }
        //  A value must be text: UTF-8 without control characters, but
        //  where it fills a schema field, which then says whether TAB, CR
        //  and LF belong in it (a title: no; a statement's text: yes)
        if (optarg && s_text_bad (optarg, opt >= s_opt_flag && flags [opt - s_opt_flag].field,
                                  rule, sizeof rule))
            return cli_usage (cli, "--%s: %s", opt >= s_opt_flag ? flags [opt - s_opt_flag].name
                                               : opt == s_opt_endpoint ? "endpoint"
                                               : opt == s_opt_config ? "config" : "timeout",
                              rule);
        if (opt == s_opt_help || opt == 'h')
            args->help = 1;
        else
        if (opt == s_opt_version)
            args->version = 1;
        else
        if (opt == s_opt_quiet) {
            cli->quiet = 1;
            //  and no informational log lines of the client library
            const char *level = getenv ("PLENARY_LOG");
            if (!level || strcasecmp (level, "error") != 0)
                setenv ("PLENARY_LOG", "warn", 1);
        }
        else
        if (opt == s_opt_endpoint || opt == s_opt_timeout) {
            char err [512];
            if (pl_settings_flag (cli->settings, opt == s_opt_endpoint ? "endpoint" : "timeout",
                                  optarg, err, sizeof err))
                return cli_usage (cli, "%s", err);
        }
        else
        if (opt == s_opt_config)
            cli->config_file = optarg;
        else
            args->values [opt - s_opt_flag] = flags [opt - s_opt_flag].has_arg ? optarg : "";
    }
    args->argc = argc - optind;
    args->argv = argv + optind;
    //  Arguments (a command, an id, search words): text without control characters
    for (int i = 0; arguments && i < args->argc; i++)
        if (s_text_bad (args->argv [i], 0, rule, sizeof rule))
            return cli_usage (cli, "argument %d: %s", i + 1, rule);
    if (args->help)
        return CLI_OK;
    for (size_t i = 0; i < nflags; i++)
        if (flags [i].required && !args->values [i])
            return cli_usage (cli, "--%s is required", flags [i].name);
    return CLI_OK;
}

int
cli_parse (cli_t *cli, const cli_flag_t *flags, int argc, char **argv, cli_args_t *args)
{
    return s_parse (cli, flags, argc, argv, args, ":h", 1);
}

int
cli_parse_global (cli_t *cli, int argc, char **argv, cli_args_t *args)
{
    static const cli_flag_t none [] = { { NULL, NULL, 0, 0 } };
    return s_parse (cli, none, argc, argv, args, "+:h", 0);
}

const char *
cli_value (const cli_args_t *args, const char *name)
{
    for (size_t i = 0; args->flags [i].name; i++)
        if (streq (args->flags [i].name, name))
            return args->values [i];
    return NULL;
}

json_t *
cli_payload (cli_t *cli, const cli_args_t *args, const char *message_name)
{
    const pl_message_t *message = pl_schema_find (message_name);
    assert (message);           //  our own tables name real messages
    json_t *payload = json_object ();
    for (size_t i = 0; args->flags [i].name; i++) {
        const cli_flag_t *flag = &args->flags [i];
        const char *value = args->values [i];
        if (!flag->field || !value)
            continue;
        const pl_field_t *field = pl_schema_field (message, flag->field);
        assert (field);
        json_t *item;
        if (field->type == PL_T_BOOL)
            item = json_true ();
        else
        if (field->type == PL_T_INT) {
            char *end;
            long long number = strtoll (value, &end, 10);
            if (!*value || *end) {
                cli_usage (cli, "--%s: '%s' is not a whole number", flag->name, value);
                json_decref (payload);
                return NULL;
            }
            item = json_integer (number);
        }
        else
            item = json_string (value);
        if (!item) {
            //  jansson refuses strings that are not valid UTF-8
            cli_usage (cli, "--%s: not valid UTF-8 text", flag->name);
            json_decref (payload);
            return NULL;
        }
        json_object_set_new (payload, flag->field, item);
    }
    return payload;
}

int
cli_invalid (cli_t *cli, const cli_args_t *args, const char *err)
{
    //  "message: field: rule" -> the flag that fills FIELD
    const char *field = strstr (err, ": ");
    const char *rule = field ? strstr (field + 2, ": ") : NULL;
    if (field && rule) {
        field += 2;
        size_t length = (size_t) (rule - field);
        for (size_t i = 0; args->flags [i].name; i++) {
            const char *name = args->flags [i].field;
            if (name && strlen (name) == length && memcmp (name, field, length) == 0) {
                cli_error ("--%s: %s", args->flags [i].name, rule + 2);
                return CLI_USAGE;
            }
        }
    }
    cli_error ("%s", err);
    return CLI_USAGE;
}

pl_client_t *
cli_client (cli_t *cli)
{
    cli->config.publish_deadline_ms = cli->timeout_ms;
    //  The client waits query_timeout_ms + 1 s; keep the total at --timeout.
    cli->config.query_timeout_ms = cli->timeout_ms > 1000 ? cli->timeout_ms - 1000 : 0;
    pl_client_t *client = pl_client_new (&cli->config);
    if (!client)
        cli_error ("cannot open a connection to %s", cli->config.endpoint);
    return client;
}

int
cli_publish (cli_t *cli, const cli_args_t *args, const char *topic, const char *event_id,
             const json_t *payload, const char *group, cli_receipt_t *receipt)
{
    memset (receipt, 0, sizeof *receipt);
    char err [PL_ERR_MAX + PL_ENDPOINT_MAX];
    if (!event_id)
        pl_client_random_id (receipt->event_id);
    else
    if (!pl_event_id_valid (event_id))
        return cli_usage (cli, "event id '%s' must be 1..%d printable ASCII bytes without "
                               "space", event_id, PL_EVENT_ID_MAX);
    else
        snprintf (receipt->event_id, sizeof receipt->event_id, "%s", event_id);
    //  Validate here first so that a bad flag is a usage error naming the flag.
    void *data;
    size_t size;
    if (pl_codec_encode (topic, payload, &data, &size, err, sizeof err))
        return cli_invalid (cli, args, err);
    free (data);

    pl_client_t *client = cli_client (cli);
    if (!client)
        return CLI_FAILED;
    int status, rc = CLI_FAILED;
    if (pl_client_publish (client, topic, receipt->event_id, payload, &receipt->ack,
                           &status, err, sizeof err))
        cli_error ("%s", err);
    else
    if (pl_client_receipt (client, receipt->ack.seq, group,
                           cli->timeout_ms > 2000 ? cli->timeout_ms - 1000 : 1000,
                           receipt->verdict, sizeof receipt->verdict,
                           receipt->reason, sizeof receipt->reason, &status, err, sizeof err))
        cli_error ("event seq %llu is in the log, but no verdict from %s: %s",
                   (unsigned long long) receipt->ack.seq, group, err);
    else
        rc = CLI_OK;
    pl_client_destroy (&client);
    return rc;
}

json_t *
cli_query (cli_t *cli, const char *name, const json_t *args)
{
    pl_client_t *client = cli_client (cli);
    if (!client)
        return NULL;
    int status;
    char err [PL_ERR_MAX + PL_ENDPOINT_MAX];
    json_t *reply = pl_client_query (client, name, args, &status, err, sizeof err);
    if (!reply)
        cli_error ("%s", err);
    pl_client_destroy (&client);
    return reply;
}

json_t *
cli_query_all (cli_t *cli, const char *name, const json_t *args)
{
    pl_client_t *client = cli_client (cli);
    if (!client)
        return NULL;
    int status;
    char err [PL_ERR_MAX + PL_ENDPOINT_MAX];
    json_t *reply = pl_client_query_all (client, name, args, &status, err, sizeof err);
    if (!reply)
        cli_error ("%s", err);
    pl_client_destroy (&client);
    return reply;
}

json_t *
cli_query_flags (cli_t *cli, const cli_args_t *args, const char *name, int *rc)
{
    *rc = CLI_USAGE;
    json_t *query = cli_payload (cli, args, name);
    if (!query)
        return NULL;
    char err [PL_ERR_MAX];
    if (pl_schema_validate (pl_schema_find (name), query, err, sizeof err)) {
        json_decref (query);
        cli_invalid (cli, args, err);
        return NULL;
    }
    json_t *reply = cli_query (cli, name, query);
    json_decref (query);
    *rc = reply ? CLI_OK : CLI_FAILED;
    return reply;
}

json_t *
cli_receipt_json (const cli_receipt_t *receipt, const char *id)
{
    return json_pack ("{s:I, s:s, s:b, s:s, s:s, s:s?}",
                      "seq", (json_int_t) receipt->ack.seq,
                      "event_id", receipt->event_id,
                      "duplicate", receipt->ack.duplicate,
                      "verdict", receipt->verdict,
                      "reason", receipt->reason,
                      "id", id);
}

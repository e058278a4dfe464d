/*  cli_statement — `plenary statement` (event statement.delivered: a
    delegation's statement at a meeting) and `plenary statements` (query
    statement.list: the statements of a meeting by agenda item or by
    delegation).  A statement's --document is checked with the archive's
    symbol parser before anything is published, as `release` and `outcome`
    check theirs: records does not judge symbols, and the archive, which
    follows records' verdicts on statements, archives every statement
    records applied (one whose document is no symbol without the link). */
#include "pl_symbol.h"
#include "cli_event.h"
#include "cli_util.h"
#include "pl_schema.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Largest --text-file: the schema's limit on a statement's text.
#define CLI_STATEMENT_TEXT_MAX (12 * 1024 * 1024)

static const cli_flag_t s_statement_flags [] = {
    { "meeting",      "meeting",      1, 1 },
    { "delegation",   "delegation",   1, 1 },
    { "language",     "language",     1, 1 },
    { "item",         "agenda_item",  1, 0 },
    { "session",      "session",      1, 0 },
    { "speaker",      "speaker",      1, 0 },
    { "on-behalf-of", "on_behalf_of", 1, 0 },
    { "delivered-at", "delivered_at", 1, 0 },
    { "duration",     "duration_s",   1, 0 },
    { "text",         "text",         1, 0 },
    { "text-file",    NULL,           1, 0 },
    { "document",     "document",     1, 0 },
    { "id-event",     NULL,           1, 0 },
    { "json",         NULL,           0, 0 },
    { NULL, NULL, 0, 0 }
};

//  cli_event_adjust_fn: --document must be a document symbol (it need not
//  be released yet); --text-file FILE fills text.
static int
s_adjust (cli_t *cli, const cli_args_t *args, int argc, char **argv, json_t *payload)
{
    (void) argc;
    (void) argv;
    const char *document = cli_value (args, "document");
    pl_symbol_t symbol;
    char err [192];
    if (document && pl_symbol_parse (document, &symbol, err, sizeof err))
        return cli_usage (cli, "--document: '%s' is not a document symbol: %s", document, err);
    const char *path = cli_value (args, "text-file");
    if (!path)
        return 0;
    if (cli_value (args, "text"))
        return cli_usage (cli, "give --text or --text-file, not both");
    FILE *file = fopen (path, "rb");
    if (!file)
        return cli_usage (cli, "--text-file: %s: %s", path, strerror (errno));
    char *text = malloc (CLI_STATEMENT_TEXT_MAX + 1);
    size_t size = text ? fread (text, 1, CLI_STATEMENT_TEXT_MAX + 1, file) : 0;
    fclose (file);
    if (!text || size > CLI_STATEMENT_TEXT_MAX) {
        free (text);
        return cli_usage (cli, "--text-file: %s is larger than 12 MiB", path);
    }
    json_t *value = json_stringn (text, size);
    free (text);
    if (!value)
        return cli_usage (cli, "--text-file: %s is not UTF-8 text", path);
    json_object_set_new (payload, "text", value);
    return 0;
}

static const cli_event_command_t s_statement = {
    "statement.delivered", NULL, "statement", s_statement_flags,
    "usage: plenary statement --meeting M --delegation CODE --language ar|zh|en|fr|ru|es|other\n"
    "                         [--item I] [--session S] [--speaker NAME] [--on-behalf-of GROUP]\n"
    "                         [--delivered-at TIME] [--duration SECONDS]\n"
    "                         [--text T | --text-file FILE] [--document SYMBOL]\n"
    "                         [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Records a statement delegation CODE delivered at meeting M (event\n"
    "statement.delivered), under agenda item I and/or in session S, possibly on behalf\n"
    "of a group, with its text or the symbol of the document that carries it (a\n"
    "symbol such as CCM/MSP/2025/WP.3, which need not be released yet).  Its id\n"
    "is \"s\" followed by the event's sequence number.  --delivered-at is an RFC 3339\n"
    "time (2025-09-16T10:30:00+02:00 or ...Z) that must fall, on the meeting's clock,\n"
    "on one of its days: refused with the dates (exit 1) otherwise; without it the\n"
    "statement is dated now.  When CODE is waiting on the list of speakers of item I,\n"
    "the statement closes its turn (start --delivered-at; --duration in seconds).\n"
    "\n"
    "example:\n"
    "  plenary statement --meeting ccm-msp13 --item 8 --delegation AT --language en \\\n"
    "      --on-behalf-of \"European Union\" --duration 240 --text-file at-item8.txt\n",
    "recorded the statement of %s", "delegation", s_adjust
};

int
cli_statement (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_statement, argc, argv);
}

static const cli_flag_t s_list_flags [] = {
    { "meeting",    "meeting",     1, 1 },
    { "item",       "agenda_item", 1, 0 },
    { "delegation", "delegation",  1, 0 },
    { "json",       NULL,          0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_list_help =
    "usage: plenary statements --meeting M [--item I] [--delegation CODE] [--json]\n"
    "\n"
    "Lists the statements delivered at meeting M in the order delivered, only those\n"
    "under agenda item I and/or of delegation CODE when given; --json prints an array\n"
    "of statement objects (id, delegation, speaker, language, agenda_item, session,\n"
    "on_behalf_of, delivered_at, duration_s, document, text, seq).\n"
    "\n"
    "example:\n"
    "  plenary statements --meeting ccm-msp13 --item 8\n"
    "  plenary statements --meeting ccm-msp13 --delegation FR --json\n";

static const cli_column_t s_columns [] = {
    { "ID",           "id",           8 },
    { "ITEM",         "agenda_item",  8 },
    { "DELEGATION",   "delegation",   10 },
    { "ON BEHALF OF", "on_behalf_of", 20 },
    { "SPEAKER",      "speaker",      24 },
    { "LANG",         "language",     5 },
    { "DELIVERED",    "delivered_at", 24 },
    { "DOCUMENT",     "document",     20 },
    { NULL, NULL, 0 }
};

int
cli_statements (cli_t *cli, int argc, char **argv)
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
    json_t *reply = cli_query_flags (cli, &args, "statement.list", &rc);
    if (!reply)
        return rc;
    json_t *items = json_object_get (reply, "items");
    if (cli_value (&args, "json"))
        cli_json (items);
    else
    if (json_array_size (items) == 0)
        cli_print ("no statements recorded\n");
    else {
        cli_table (s_columns, items);
        cli_print ("%zu statement%s\n", json_array_size (items),
                   json_array_size (items) == 1 ? "" : "s");
    }
    json_decref (reply);
    return CLI_OK;
}

/*  cli_search — `plenary search`: archive.search from the words a
    record-keeper types.  Every argument that is not one of its flags is a
    word of the query (-agenda excludes a word, not an unknown flag); the
    worker reads the words (archive_query.h) and names the one at fault. */
#include "cli_archive.h"
#include "cli_util.h"
#include "pl_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_QUERY_MAX  1024           //  the schema's limit on archive.search q

static const cli_flag_t s_search_flags [] = {
    { "convention",   "convention",   1, 0 },
    { "meeting",      "meeting",      1, 0 },
    { "symbol",       "symbol",       1, 0 },
    { "language",     "language",     1, 0 },
    { "kind",         "kind",         1, 0 },
    { "from",         "from",         1, 0 },
    { "to",           "to",           1, 0 },
    { "distribution", "distribution", 1, 0 },
    { "page",         "page",         1, 0 },
    { "page-size",    "page_size",    1, 0 },
    { "as-role",      NULL,           1, 0 },
    { "json",         NULL,           0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_search_help =
    "usage: plenary search [QUERY...] [--convention C] [--meeting M] [--symbol PATTERN]\n"
    "                      [--language L] [--kind document|statement|outcome]\n"
    "                      [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "                      [--distribution general|limited|restricted]\n"
    "                      [--page N] [--page-size N] [--as-role ROLE] [--json]\n"
    "\n"
    "Searches the archive — current document versions, statements, outcomes — in\n"
    "all six UN languages, best match first (bm25), with a snippet where the\n"
    "matches are marked ⟦like this⟧ and each hit's relevance in percent of the\n"
    "best hit's.  Every argument that is not one of the flags above is a word of\n"
    "QUERY (so -word needs no quoting; -h alone is help: NOT h excludes h).  In\n"
    "QUERY every word must occur, in any of\n"
    "its forms (budgets finds budget, мины finds мина, ميزانية finds الميزانية; the\n"
    "very form typed ranks first); \"an exact phrase\" in quotes; word* a prefix;\n"
    "OR between two words or (groups) accepts either; AND is implied; -word or NOT\n"
    "word excludes.  Chinese and Japanese need no spaces: 预算 finds every text\n"
    "with 预算 in it, first where it is a word of its own.  Accents, case, full-width\n"
    "letters and ligatures do not matter, nor Arabic-Indic digits (٢٠٢٥ is 2025).\n"
    "A QUERY that is one document symbol (CCM/MSP/2025/4) or pattern (CCM/MSP/2025/*)\n"
    "lists its family first (the document, its Rev., Corr., Add., the outcomes and\n"
    "statements that cite them), then the texts that mention it.\n"
    "Without QUERY, lists what the filters select, newest first.  --symbol takes\n"
    "* for any characters; an outcome matches by any document it cites.  --language\n"
    "and --convention take any case, and a convention's symbol prefix (APLC for\n"
    "APMBC).  Only what the role may see is found, listed and counted: a document by\n"
    "its distribution in force ('plenary doc --help'), never a withdrawn revision; an\n"
    "outcome or statement cites only the documents the role may see.  --json prints\n"
    "the archive.search.reply object {total, page, page_size, items}.\n"
    "\n"
    "example:\n"
    "  plenary search 执行支助股 预算 --convention APMBC\n"
    "  plenary search budget -agenda --language EN\n"
    "  plenary search '(clearance OR clearing) \"action plan\"' --symbol 'CCM/CONF/2020/*'\n"
    "  plenary search CCM/MSP/2025/4\n";

//  TEXT with every run of white space made one space (snippets of PDF text
//  are full of line breaks).  Caller frees.
static char *
s_one_line (const char *text)
{
    char *line = strdup (text ? text : "");
    size_t used = 0;
    for (size_t i = 0; line && line [i]; i++) {
        int blank = line [i] == ' ' || line [i] == '\n' || line [i] == '\r' || line [i] == '\t';
        if (blank && (used == 0 || line [used - 1] == ' '))
            continue;
        line [used++] = blank ? ' ' : line [i];
    }
    if (line)
        line [used] = 0;
    return line;
}

//  Print one hit of archive.search in human form.
static void
s_print_hit (const json_t *hit)
{
    const char *fields [] = { "meeting", "date", "language", "distribution", "delegation",
                              "outcome_kind" };
    const char *symbol = json_string_value (json_object_get (hit, "symbol"));
    const char *id = json_string_value (json_object_get (hit, "id"));
    cli_print ("%lld. %s %s", (long long) json_integer_value (json_object_get (hit, "rank")),
               json_string_value (json_object_get (hit, "kind")),
               streq (json_string_value (json_object_get (hit, "kind")), "document") && symbol
               ? symbol : id);
    for (size_t i = 0; i < sizeof fields / sizeof fields [0]; i++) {
        const char *value = json_string_value (json_object_get (hit, fields [i]));
        if (value)
            cli_print (" · %s", value);
    }
    if (json_object_get (hit, "relevance"))
        cli_print (" · relevance %lld%%",
                   (long long) json_integer_value (json_object_get (hit, "relevance")));
    cli_print ("\n   %s\n", json_string_value (json_object_get (hit, "title")));
    size_t i;
    json_t *cited;
    json_array_foreach (json_object_get (hit, "documents"), i, cited)
        cli_print ("%s%s", i ? ", " : "   cites: ", json_string_value (cited));
    if (json_array_size (json_object_get (hit, "documents")))
        cli_print ("\n");
    char *snippet = s_one_line (json_string_value (json_object_get (hit, "snippet")));
    if (snippet && *snippet)
        cli_print ("   %s\n", snippet);
    free (snippet);
}

static int s_search (cli_t *cli, cli_args_t *args);

//  Whether ARG is a flag `plenary search` knows (--name or --name=value,
//  its own or a global one), and into *VALUE whether it takes the next
//  argument as its value.
static int
s_search_flag (const char *arg, int *value)
{
    static const struct {
        const char *name;
        int has_arg;
    } s_globals [] = { { "endpoint", 1 }, { "timeout", 1 }, { "help", 0 }, { "quiet", 0 } };
    if (strcmp (arg, "-h") == 0) {
        *value = 0;             //  help, as everywhere (the word h: -- -h, or NOT h)
        return 1;
    }
    if (strncmp (arg, "--", 2) != 0)
        return 0;
    const char *name = arg + 2, *equals = strchr (name, '=');
    size_t length = equals ? (size_t) (equals - name) : strlen (name);
    for (size_t i = 0; s_search_flags [i].name; i++)
        if (strlen (s_search_flags [i].name) == length
        &&  strncmp (s_search_flags [i].name, name, length) == 0) {
            *value = s_search_flags [i].has_arg && !equals;
            return 1;
        }
    for (size_t i = 0; i < sizeof s_globals / sizeof s_globals [0]; i++)
        if (strlen (s_globals [i].name) == length && strncmp (s_globals [i].name, name, length) == 0) {
            *value = s_globals [i].has_arg && !equals;
            return 1;
        }
    return 0;
}

int
cli_search (cli_t *cli, int argc, char **argv)
{
    //  Every argument that is not a flag of ours is a word of QUERY, so
    //  that -agenda excludes a word rather than being read as a flag: the
    //  flags (with their values) are parsed apart, the rest joined
    char **flags = calloc ((size_t) argc + 1, sizeof *flags);
    char **words = calloc ((size_t) argc + 1, sizeof *words);
    int flag_count = 0, word_count = 0;
    if (!flags || !words) {
        free (flags);
        free (words);
        return cli_usage (cli, "out of memory");
    }
    flags [flag_count++] = argv [0];
    for (int i = 1; i < argc; i++) {
        int value = 0;
        if (strcmp (argv [i], "--") == 0) {
            while (++i < argc)
                words [word_count++] = argv [i];
            break;
        }
        if (s_search_flag (argv [i], &value)) {
            flags [flag_count++] = argv [i];
            if (value && i + 1 < argc)
                flags [flag_count++] = argv [++i];
        }
        else
            words [word_count++] = argv [i];
    }
    cli_args_t args;
    int rc = cli_parse (cli, s_search_flags, flag_count, flags, &args);
    if (rc == CLI_OK) {
        args.argc = word_count;
        args.argv = words;
        rc = s_search (cli, &args);
    }
    else
    if (args.help)
        cli_print ("%s", s_search_help);
    free (flags);
    free (words);
    return rc;
}

//  plenary search, once its flags and words are apart: ARGS's arguments
//  are the words.
static int
s_search (cli_t *cli, cli_args_t *args_)
{
    cli_args_t args = *args_;
    int rc = CLI_OK;
    if (args.help) {
        cli_print ("%s", s_search_help);
        return rc;
    }
    //  the words: text without control characters, as any argument
    char rule [PL_ERR_MAX];
    for (int i = 0; i < args.argc; i++)
        if (pl_schema_text_check (args.argv [i], strlen (args.argv [i]), 0, rule, sizeof rule))
            return cli_usage (cli, "argument %d: %s", i + 1, rule);
    const char *role = cli_value (&args, "as-role");
    if ((rc = cli_archive_check_role (cli, role)))
        return rc;
    json_t *query = cli_payload (cli, &args, "archive.search");
    if (!query)
        return CLI_USAGE;
    if (args.argc > 0) {
        //  the words of QUERY, however the shell split them
        char q [S_QUERY_MAX + 1] = "";
        size_t used = 0;
        for (int i = 0; i < args.argc; i++) {
            size_t length = strlen (args.argv [i]);
            if (used + length + 1 > S_QUERY_MAX) {
                json_decref (query);
                return cli_usage (cli, "QUERY: longer than %d bytes", S_QUERY_MAX);
            }
            if (i)
                q [used++] = ' ';
            memcpy (q + used, args.argv [i], length + 1);
            used += length;
        }
        json_object_set_new (query, "q", json_string (q));
    }
    char err [PL_ERR_MAX];
    if (pl_schema_validate (pl_schema_find ("archive.search"), query, err, sizeof err)) {
        json_decref (query);
        return cli_invalid (cli, &args, err);
    }
    json_t *reply = cli_archive_query (cli, "archive.search", query, role);
    json_decref (query);
    if (!reply)
        return CLI_FAILED;
    if (cli_value (&args, "json"))
        cli_json (reply);
    else {
        json_int_t total = json_integer_value (json_object_get (reply, "total"));
        json_int_t page = json_integer_value (json_object_get (reply, "page"));
        json_int_t size = json_integer_value (json_object_get (reply, "page_size"));
        json_t *items = json_object_get (reply, "items");
        if (total == 0)
            cli_print ("nothing found\n");
        else
            cli_print ("%lld found; page %lld of %lld\n\n", (long long) total, (long long) page,
                       (long long) ((total + size - 1) / size));
        size_t i;
        json_t *hit;
        json_array_foreach (items, i, hit)
            s_print_hit (hit);
    }
    json_decref (reply);
    return CLI_OK;
}

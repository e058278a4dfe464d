/*  cli_archive — `plenary release`, `outcome`, `doc` (and `doc declassify`,
    `doc withdraw`): the archive's side of the CLI, but search (cli_search.c).  release,
    outcome, doc declassify and doc withdraw publish document.released,
    outcome.adopted, document.declassified and document.withdrawn and wait
    for the archive group's verdict; doc and search ask the archive service
    (document.show, archive.search), with --as-role to ask as a less trusted
    role (what a delegate or the public would see).  Symbols are checked with the archive's own parser before
    anything is published, so a malformed one is a usage error (exit 2)
    that names the flag and the component, and never reaches the log. */
#include "cli_archive.h"
#include "pl_symbol.h"
#include "cli_util.h"
#include "pl_schema.h"

#include <czmq.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define S_GROUP      "archive"
#define S_TEXT_MAX   12582912       //  the schema's limit on a text (12 MiB)

json_t *
cli_archive_query (cli_t *cli, const char *name, const json_t *args, const char *role)
{
    pl_client_t *client = cli_client (cli);
    if (!client)
        return NULL;
    int status;
    char err [PL_ERR_MAX + PL_ENDPOINT_MAX];
    json_t *reply = pl_client_query_as (client, name, args, role, &status, err, sizeof err);
    if (!reply)
        cli_error ("%s", err);
    pl_client_destroy (&client);
    return reply;
}

int
cli_archive_check_role (cli_t *cli, const char *role)
{
    if (role && pl_role_rank (role) < 0)
        return cli_usage (cli, "--as-role: '%s' is not one of secretariat, record-keeper, "
                               "delegate, public", role);
    return CLI_OK;
}

//  Check SYMBOL, given with FLAG; CLI_OK or a usage error with the reason.
static int
s_check_symbol (cli_t *cli, const char *flag, const char *symbol)
{
    pl_symbol_t parsed;
    char err [192];
    if (pl_symbol_parse (symbol, &parsed, err, sizeof err))
        return cli_usage (cli, "--%s: '%s' is not a document symbol: %s", flag, symbol, err);
    return CLI_OK;
}

//  Read the text file PATH into *TEXT_P (a new JSON string), byte for byte,
//  and the SHA-256 of those bytes in hex into SHA256 (65 bytes): the
//  archive keeps and gives back these very bytes.  Form feeds (pdftotext's
//  page breaks) stay; other control characters and invalid UTF-8 are
//  refused with the line they are on.  CLI_OK or CLI_USAGE (printed).
static int
s_read_text (cli_t *cli, const char *path, json_t **text_p, char *sha256)
{
    FILE *file = fopen (path, "rb");
    if (!file)
        return cli_usage (cli, "--file: cannot open %s: %s", path, strerror (errno));
    char *data = malloc (S_TEXT_MAX + 1);
    size_t size = data ? fread (data, 1, S_TEXT_MAX + 1, file) : 0;
    int failed = data ? ferror (file) : 1;
    fclose (file);
    int rc = CLI_USAGE;
    if (failed)
        cli_usage (cli, "--file: cannot read %s", path);
    else
    if (size > S_TEXT_MAX)
        cli_usage (cli, "--file: %s is larger than %d bytes", path, S_TEXT_MAX);
    else
    if (!pl_schema_utf8_valid (data, size))
        cli_usage (cli, "--file: %s is not UTF-8 text", path);
    else {
        unsigned char hash [crypto_hash_sha256_BYTES];
        crypto_hash_sha256 (hash, (const unsigned char *) data, size);
        sodium_bin2hex (sha256, 65, hash, sizeof hash);
        size_t line = 1, i;
        for (i = 0; i < size; i++) {
            unsigned char c = (unsigned char) data [i];
            if (c == '\n')
                line++;
            else
            if ((c < 0x20 && c != '\t' && c != '\r' && c != '\f') || c == 0x7F)
                break;
        }
        if (i < size)
            cli_usage (cli, "--file: %s line %zu holds the control character 0x%02X",
                       path, line, (unsigned) (unsigned char) data [i]);
        else
        if ((*text_p = json_stringn (data, size)))
            rc = CLI_OK;
        else
            cli_usage (cli, "--file: out of memory reading %s", path);
    }
    free (data);
    return rc;
}

//  --------------------------------------------------------------------------
//  plenary release

static const cli_flag_t s_release_flags [] = {
    { "symbol",            "symbol",            1, 1 },
    { "language",          "language",          1, 1 },
    { "title",             "title",             1, 1 },
    { "meeting",           "meeting",           1, 0 },
    { "agenda-item",       "agenda_item",       1, 0 },
    { "distribution",      "distribution",      1, 0 },
    { "status",            "status",            1, 0 },
    { "dated",             "dated",             1, 0 },
    { "released",          "released",          1, 0 },
    { "original-language", "original_language", 1, 0 },
    { "job-number",        "job_number",        1, 0 },
    { "sha256",            "file_sha256",       1, 0 },
    { "file",              NULL,                1, 0 },
    { "id-event",          NULL,                1, 0 },
    { "json",              NULL,                0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_release_help =
    "usage: plenary release --symbol S --language L --title T [--file TEXT_FILE]\n"
    "                       [--meeting M] [--agenda-item I] [--distribution general|limited|restricted]\n"
    "                       [--status advance|final] [--dated YYYY-MM-DD] [--released RFC3339]\n"
    "                       [--original-language L] [--job-number J] [--sha256 HEX]\n"
    "                       [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Releases one language version of a document (event document.released) and\n"
    "waits until the archive has it.  L is ar, zh, en, fr, ru or es.  TEXT_FILE is\n"
    "the UTF-8 text (text extracted from the PDF: its form feeds, page breaks, are\n"
    "fine); the archive keeps it byte for byte with the SHA-256 of those bytes, and\n"
    "'plenary doc S --language L' gives the very bytes back.  --sha256 HEX (any case)\n"
    "is the hash of another file released with it, such as the PDF: both are kept,\n"
    "labelled.  Releasing the same symbol and language again with a different text\n"
    "makes a new revision (the earlier ones are kept); the same text with another\n"
    "title, distribution, status or date changes the current revision's metadata,\n"
    "recorded with its time; an identical release changes nothing.  --meeting must\n"
    "name a meeting records scheduled: the archive refuses a release for any other.\n"
    "--distribution (general when not given) counts for the whole family of the\n"
    "symbol: a limited or restricted release makes every revision and language of\n"
    "the symbol, and of its /Rev., /Corr. and /Add. and their base, limited or\n"
    "restricted until 'plenary doc declassify'.\n"
    "\n"
    "Prints \"released SYMBOL (L) revision N (seq S)\" or \"unchanged: ...\"; exit 2 for\n"
    "a bad flag or a malformed symbol (nothing is sent), 1 when the archive rejects it.\n"
    "\n"
    "example:\n"
    "  plenary release --symbol CCM/CONF/2020/14 --language zh --meeting ccm-2rc \\\n"
    "      --title \"Informal draft: Lausanne Action Plan\" --agenda-item 8 \\\n"
    "      --job-number \"GE.20-12982 (C)\" --file lausanne-action-plan.zh.txt\n";

//  The current revision of LANGUAGE in a document.show REPLY, and whether
//  it came from event SEQ.
static int
s_current_revision (const json_t *reply, const char *language, uint64_t seq, int *from_seq)
{
    size_t i;
    json_t *version;
    json_array_foreach (json_object_get (reply, "versions"), i, version) {
        if (json_is_true (json_object_get (version, "current"))
        &&  streq (json_string_value (json_object_get (version, "language")), language)) {
            *from_seq = (uint64_t) json_integer_value (json_object_get (version, "seq")) == seq;
            return (int) json_integer_value (json_object_get (version, "revision"));
        }
    }
    return 0;
}

//  Whether event SEQ changed the metadata of the current revision of
//  LANGUAGE in a document.show REPLY.
static int
s_changed_by (const json_t *reply, const char *language, uint64_t seq)
{
    size_t i, c;
    json_t *version, *change;
    json_array_foreach (json_object_get (reply, "versions"), i, version)
        if (json_is_true (json_object_get (version, "current"))
        &&  streq (json_string_value (json_object_get (version, "language")), language))
            json_array_foreach (json_object_get (version, "changes"), c, change)
                if ((uint64_t) json_integer_value (json_object_get (change, "seq")) == seq)
                    return 1;
    return 0;
}

int
cli_release (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_release_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_release_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    if ((rc = s_check_symbol (cli, "symbol", cli_value (&args, "symbol"))))
        return rc;
    json_t *payload = cli_payload (cli, &args, "document.released");
    if (!payload)
        return CLI_USAGE;
    const char *path = cli_value (&args, "file");
    if (path) {
        json_t *text = NULL;
        char sha256 [65];
        if (s_read_text (cli, path, &text, sha256)) {
            json_decref (payload);
            return CLI_USAGE;
        }
        json_object_set_new (payload, "text", text);
        json_object_set_new (payload, "sha256", json_string (sha256));
    }
    cli_receipt_t receipt;
    rc = cli_publish (cli, &args, "document.released", cli_value (&args, "id-event"),
                      payload, S_GROUP, &receipt);
    json_decref (payload);
    if (rc)
        return rc;
    if (!streq (receipt.verdict, "applied")) {
        cli_error ("%s: %s", receipt.verdict, *receipt.reason ? receipt.reason : "no reason given");
        return CLI_FAILED;
    }
    //  Which revision is current now, and is it this release?
    const char *language = cli_value (&args, "language");
    json_t *query = json_pack ("{s:s}", "symbol", cli_value (&args, "symbol"));
    json_t *reply = query ? cli_archive_query (cli, "document.show", query, NULL) : NULL;
    json_decref (query);
    if (!reply)
        return CLI_FAILED;
    int changed = 0;
    int revision = s_current_revision (reply, language, receipt.ack.seq, &changed);
    const char *symbol = json_string_value (json_object_get (reply, "symbol"));
    if (cli_value (&args, "json")) {
        json_t *out = cli_receipt_json (&receipt, symbol);
        json_object_set_new (out, "revision", json_integer (revision));
        json_object_set_new (out, "changed", json_boolean (changed));
        cli_json (out);
        json_decref (out);
    }
    else
    if (changed)
        cli_print ("released %s (%s) revision %d (seq %llu)\n", symbol, language, revision,
                   (unsigned long long) receipt.ack.seq);
    else
    if (s_changed_by (reply, language, receipt.ack.seq))
        cli_print ("changed: the metadata of %s (%s) revision %d (seq %llu)\n", symbol,
                   language, revision, (unsigned long long) receipt.ack.seq);
    else
        cli_print ("unchanged: %s (%s) revision %d already has this content (seq %llu)\n",
                   symbol, language, revision, (unsigned long long) receipt.ack.seq);
    json_decref (reply);
    return CLI_OK;
}

//  --------------------------------------------------------------------------
//  plenary outcome

static const cli_flag_t s_outcome_flags [] = {
    { "meeting",     "meeting",     1, 1 },
    { "id",          "id",          1, 1 },
    { "kind",        "kind",        1, 1 },
    { "title",       "title",       1, 1 },
    { "adopted",     "adopted",     1, 1 },
    { "agenda-item", "agenda_item", 1, 0 },
    { "documents",   NULL,          1, 0 },
    { "language",    "language",    1, 0 },
    { "file",        NULL,          1, 0 },
    { "id-event",    NULL,          1, 0 },
    { "json",        NULL,          0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_outcome_help =
    "usage: plenary outcome --meeting M --id ID --kind KIND --title T --adopted YYYY-MM-DD\n"
    "                       [--agenda-item I] [--documents SYMBOL,SYMBOL...] [--language L]\n"
    "                       [--file TEXT_FILE]\n"
    "                       [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Records an outcome a meeting adopted (event outcome.adopted) and waits until the\n"
    "archive has it.  KIND is decision, final-report, action-plan, declaration,\n"
    "recommendation or other; --documents lists the symbols it adopts or refers to,\n"
    "each already released (`plenary doc SYMBOL` then shows the outcome, and\n"
    "`plenary search --symbol` of any of them finds it).  A malformed symbol is a\n"
    "usage error (exit 2); a meeting records never scheduled, a symbol never\n"
    "released or an id already adopted at the meeting is rejected (exit 1).\n"
    "--language (ar, zh, en, fr, ru, es) is the language of its title and text:\n"
    "searches by language find it, and its words are found in their other forms.\n"
    "\n"
    "example:\n"
    "  plenary outcome --meeting ccm-2rc --id lausanne-action-plan --kind action-plan \\\n"
    "      --title \"Lausanne Action Plan\" --adopted 2021-09-21 --documents CCM/CONF/2020/14\n";

int
cli_outcome (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_outcome_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_outcome_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    json_t *payload = cli_payload (cli, &args, "outcome.adopted");
    if (!payload)
        return CLI_USAGE;
    const char *documents = cli_value (&args, "documents");
    if (documents) {
        json_t *list = json_array ();
        char *copy = strdup (documents);
        rc = CLI_OK;
        for (char *save = NULL, *symbol = strtok_r (copy, ", ", &save); symbol && !rc;
             symbol = strtok_r (NULL, ", ", &save))
            if (!(rc = s_check_symbol (cli, "documents", symbol)))
                json_array_append_new (list, json_string (symbol));
        free (copy);
        if (rc) {
            json_decref (list);
            json_decref (payload);
            return rc;
        }
        json_object_set_new (payload, "documents", list);
    }
    const char *path = cli_value (&args, "file");
    if (path) {
        json_t *text = NULL;
        char sha256 [65];
        if (s_read_text (cli, path, &text, sha256)) {
            json_decref (payload);
            return CLI_USAGE;
        }
        json_object_set_new (payload, "text", text);
    }
    cli_receipt_t receipt;
    rc = cli_publish (cli, &args, "outcome.adopted", cli_value (&args, "id-event"),
                      payload, S_GROUP, &receipt);
    json_decref (payload);
    if (rc)
        return rc;
    int applied = streq (receipt.verdict, "applied");
    if (cli_value (&args, "json")) {
        json_t *out = cli_receipt_json (&receipt, applied ? cli_value (&args, "id") : NULL);
        cli_json (out);
        json_decref (out);
    }
    else
    if (applied)
        cli_print ("recorded outcome %s of %s (seq %llu%s)\n", cli_value (&args, "id"),
                   cli_value (&args, "meeting"), (unsigned long long) receipt.ack.seq,
                   receipt.ack.duplicate ? ", already in the log" : "");
    if (applied)
        return CLI_OK;
    cli_error ("%s: %s", receipt.verdict, *receipt.reason ? receipt.reason : "no reason given");
    return CLI_FAILED;
}

//  --------------------------------------------------------------------------
//  plenary doc

static const cli_flag_t s_doc_flags [] = {
    { "language", "language", 1, 0 },
    { "revision", "revision", 1, 0 },
    { "as-role",  NULL,       1, 0 },
    { "json",     NULL,       0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_doc_help =
    "usage: plenary doc SYMBOL [--language L [--revision N]] [--as-role ROLE] [--json]\n"
    "       plenary doc declassify SYMBOL --distribution D --by NAME --reason TEXT\n"
    "       plenary doc withdraw SYMBOL [--language L --revision N] --by NAME --reason TEXT\n"
    "\n"
    "Shows every language version of a document with its revisions, dates and\n"
    "changes of metadata (a new title or distribution for the same text), its\n"
    "distribution in force, its family (the base document with its /Rev.N, /Corr.N\n"
    "and /Add.N, every version of each in each language, with dates) and the outcomes\n"
    "and statements that cite it or another document of its family.  With --language\n"
    "prints that version's text, byte for byte as released (the current revision, or\n"
    "revision N): its SHA-256 is the one shown.\n"
    "\n"
    "Who sees what: the most restrictive distribution ever released in a document's\n"
    "family applies to every revision and language of all of it, until the\n"
    "secretariat declassifies it ('plenary doc declassify --help'); a role that may\n"
    "not see it gets 'no document SYMBOL in the archive', as for one never released.\n"
    "A withdrawn revision ('plenary doc withdraw --help') is shown to the secretariat\n"
    "alone, with who withdrew it and why; any other role sees the revisions that\n"
    "stand numbered 1, 2, ... and asks --revision N in that numbering.  --as-role\n"
    "shows what a less trusted role (record-keeper, delegate, public) may see.\n"
    "--json prints the document.show.reply object.\n"
    "\n"
    "example:\n"
    "  plenary doc CCM/CONF/2020/14\n"
    "  plenary doc CCM/CONF/2020/14 --language zh | less\n"
    "  plenary doc CCM/CONF/2020/14 --as-role public\n";

static const cli_column_t s_version_columns [] = {
    { "LANG",      "language",     4 },
    { "REV",       "revision",     3 },
    { "CURRENT",   "current",      7 },
    { "WITHDRAWN", "withdrawn",    9 },
    { "DATED",     "dated",        10 },
    { "RELEASED",  "released",     20 },
    { "STATUS",    "status",       8 },
    { "DIST.",     "distribution", 10 },
    { "BYTES",     "bytes",        9 },
    { "TITLE",     "title",        50 },
    { NULL, NULL, 0 }
};

//  The table of a family's versions.
static const cli_column_t s_family_columns [] = {
    { "SYMBOL",    "symbol",       28 },
    { "LANG",      "language",     4 },
    { "REV",       "revision",     3 },
    { "CURRENT",   "current",      7 },
    { "DATED",     "dated",        10 },
    { "RELEASED",  "released",     20 },
    { "TITLE",     "title",        40 },
    { NULL, NULL, 0 }
};

//  The version table of document.show REPLY, with the withdrawals and
//  declassifications the secretariat is shown after it.
static void
s_print_versions (const json_t *reply)
{
    const char *convention = json_string_value (json_object_get (reply, "convention"));
    cli_print ("%s%s%s%s · %s\n\n", json_string_value (json_object_get (reply, "symbol")),
               convention ? " (" : "", convention ? convention : "", convention ? ")" : "",
               json_string_value (json_object_get (reply, "distribution")));
    //  the WITHDRAWN column only where a revision is (the secretariat's)
    const json_t *versions = json_object_get (reply, "versions");
    int withdrawals = 0;
    size_t i;
    json_t *version;
    json_array_foreach (versions, i, version)
        withdrawals += json_is_true (json_object_get (version, "withdrawn"));
    cli_column_t columns [sizeof s_version_columns / sizeof s_version_columns [0]];
    size_t used = 0;
    for (i = 0; s_version_columns [i].header; i++)
        if (withdrawals || strcmp (s_version_columns [i].key, "withdrawn"))
            columns [used++] = s_version_columns [i];
    columns [used] = (cli_column_t) { NULL, NULL, 0 };
    cli_table (columns, versions);
    json_array_foreach (versions, i, version)
        if (json_is_true (json_object_get (version, "withdrawn")))
            cli_print ("withdrawn: %s revision %lld on %s by %s: %s\n",
                       json_string_value (json_object_get (version, "language")),
                       (long long) json_integer_value (json_object_get (version, "revision")),
                       json_string_value (json_object_get (version, "withdrawn_at")),
                       json_string_value (json_object_get (version, "withdrawn_by")),
                       json_string_value (json_object_get (version, "withdrawn_reason")));
    json_t *declassification;
    json_array_foreach (json_object_get (reply, "declassifications"), i, declassification)
        cli_print ("declassified to %s on %s by %s: %s\n",
                   json_string_value (json_object_get (declassification, "distribution")),
                   json_string_value (json_object_get (declassification, "at")),
                   json_string_value (json_object_get (declassification, "by")),
                   json_string_value (json_object_get (declassification, "reason")));
    json_t *change;
    json_array_foreach (versions, i, version) {
        size_t c;
        json_array_foreach (json_object_get (version, "changes"), c, change) {
            const char *before = json_string_value (json_object_get (change, "before"));
            const char *after = json_string_value (json_object_get (change, "after"));
            cli_print ("changed: %s revision %lld on %s: %s '%s' -> '%s'\n",
                       json_string_value (json_object_get (version, "language")),
                       (long long) json_integer_value (json_object_get (version, "revision")),
                       json_string_value (json_object_get (change, "at")),
                       json_string_value (json_object_get (change, "field")),
                       before ? before : "", after ? after : "");
        }
    }
    //  the family: the base and its Rev., Corr., Add., each version with its dates
    const json_t *family = json_object_get (reply, "family");
    int others = 0;
    json_array_foreach (family, i, version)
        others |= !streq (json_string_value (json_object_get (version, "symbol")),
                          json_string_value (json_object_get (reply, "symbol")));
    if (others) {
        cli_print ("\nfamily %s:\n", json_string_value (json_object_get (reply, "base")));
        cli_table (s_family_columns, family);
    }
    json_t *outcome;
    json_array_foreach (json_object_get (reply, "outcomes"), i, outcome)
        cli_print ("%s %s\n", i ? "           " : "adopted by:", json_string_value (outcome));
    json_t *cited;
    if (json_array_size (json_object_get (reply, "cited_by")))
        cli_print ("\ncited by:\n");
    json_array_foreach (json_object_get (reply, "cited_by"), i, cited) {
        const char *language = json_string_value (json_object_get (cited, "language"));
        const char *date = json_string_value (json_object_get (cited, "date"));
        cli_print ("  %s %s%s%s%s%s · %s · %s\n",
                   json_string_value (json_object_get (cited, "kind")),
                   json_string_value (json_object_get (cited, "id")),
                   date ? " · " : "", date ? date : "", language ? " · " : "",
                   language ? language : "",
                   json_string_value (json_object_get (cited, "symbol"))
                   ? json_string_value (json_object_get (cited, "symbol")) : "",
                   json_string_value (json_object_get (cited, "title")));
    }
}

//  --------------------------------------------------------------------------
//  plenary doc declassify, plenary doc withdraw

static const cli_flag_t s_declassify_flags [] = {
    { "distribution", "distribution", 1, 1 },
    { "by",           "by",           1, 1 },
    { "reason",       "reason",       1, 1 },
    { "id-event",     NULL,           1, 0 },
    { "json",         NULL,           0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char s_declassify_help [] =
    "usage: plenary doc declassify SYMBOL --distribution general|limited --by NAME\n"
    "                              --reason TEXT [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Lowers the distribution in force of a document (event document.declassified).\n"
    "A document's distribution is its family's: SYMBOL without its /Rev.N, /Corr.N,\n"
    "/Add.N suffixes, with every symbol that has them.  Once any revision or language\n"
    "of any of them is released limited or restricted, all of them are, for every\n"
    "role below that, until the secretariat declassifies the family with this\n"
    "command: from then on the roles the new distribution allows see every revision\n"
    "and language (general: everyone; limited: record-keepers, delegates and the\n"
    "secretariat).  A later release more restrictive than it raises it again\n"
    "(re-running an import of restricted releases too).  It only lowers: a family\n"
    "already at that distribution, or below, is refused (exit 1), as is one never\n"
    "released.  --by names who decided it and --reason why: the secretariat sees\n"
    "both in 'plenary doc SYMBOL', no one else does.\n"
    "\n"
    "example:\n"
    "  plenary doc declassify CCM/CONF/2020/14 --distribution general \\\n"
    "      --by \"Head, ISU\" --reason \"Decision of the Coordination Committee, 3 May\"\n";

static const cli_flag_t s_withdraw_flags [] = {
    { "language", "language", 1, 0 },
    { "revision", "revision", 1, 0 },
    { "by",       "by",       1, 1 },
    { "reason",   "reason",   1, 1 },
    { "id-event", NULL,       1, 0 },
    { "json",     NULL,       0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char s_withdraw_help [] =
    "usage: plenary doc withdraw SYMBOL [--language L --revision N] --by NAME\n"
    "                            --reason TEXT [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Withdraws one revision of one language version of a document, or with neither\n"
    "--language nor --revision the whole document, every revision that stands in\n"
    "every language (event document.withdrawn).  N is the revision as the secretariat\n"
    "sees it numbered ('plenary doc SYMBOL').  A withdrawn revision is kept: the\n"
    "secretariat sees it in 'plenary doc SYMBOL', marked, with who withdrew it, when\n"
    "and why, and reads its text with --language L --revision N.  Every other role\n"
    "sees it nowhere, and the revisions that stand numbered 1, 2, ... as if it had\n"
    "never been; the newest that stands becomes the current one, the one searched.\n"
    "A revision withdrawn alone never makes a document disappear: the last one that\n"
    "stands is refused (exit 1), withdraw the document instead.  A later release\n"
    "makes a new revision, which stands.  --by names who withdrew it and --reason why.\n"
    "\n"
    "example:\n"
    "  plenary doc withdraw CCM/CONF/2020/14 --language en --revision 2 \\\n"
    "      --by \"Documents Officer\" --reason \"released with the wrong annex\"\n"
    "  plenary doc withdraw CCM/CONF/2020/14/Corr.1 --by \"Head, ISU\" --reason \"issued in error\"\n";

//  One subcommand of doc that publishes an event on SYMBOL and waits for
//  the archive's verdict.
typedef struct {
    const char *topic;
    const cli_flag_t *flags;
    const char *help;
} s_doc_event_t;

static const s_doc_event_t s_declassify = {
    "document.declassified", s_declassify_flags, s_declassify_help
};
static const s_doc_event_t s_withdraw = {
    "document.withdrawn", s_withdraw_flags, s_withdraw_help
};

//  Publish COMMAND's event from ARGV and print what became of it.
static int
s_doc_event (cli_t *cli, const s_doc_event_t *command, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, command->flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", command->help);
        return rc;
    }
    if (args.argc != 1)
        return cli_usage (cli, args.argc ? "one symbol, please" : "which document? give its SYMBOL");
    const char *symbol = args.argv [0];
    if ((rc = s_check_symbol (cli, "symbol", symbol)))
        return rc;
    int withdraw = command == &s_withdraw;
    if (withdraw && !cli_value (&args, "language") != !cli_value (&args, "revision"))
        return cli_usage (cli, "give both --language and --revision to withdraw one revision, "
                               "or neither to withdraw the whole document");
    json_t *payload = cli_payload (cli, &args, command->topic);
    if (!payload)
        return CLI_USAGE;
    json_object_set_new (payload, "symbol", json_string (symbol));
    cli_receipt_t receipt;
    rc = cli_publish (cli, &args, command->topic, cli_value (&args, "id-event"), payload,
                      S_GROUP, &receipt);
    json_decref (payload);
    if (rc)
        return rc;
    int applied = streq (receipt.verdict, "applied");
    if (cli_value (&args, "json")) {
        json_t *out = cli_receipt_json (&receipt, applied ? symbol : NULL);
        cli_json (out);
        json_decref (out);
    }
    else
    if (applied) {
        if (!withdraw)
            cli_print ("declassified the family of %s to %s", symbol,
                       cli_value (&args, "distribution"));
        else
        if (cli_value (&args, "language"))
            cli_print ("withdrew %s (%s) revision %s", symbol, cli_value (&args, "language"),
                       cli_value (&args, "revision"));
        else
            cli_print ("withdrew %s in every language", symbol);
        cli_print (" (seq %llu%s)\n", (unsigned long long) receipt.ack.seq,
                   receipt.ack.duplicate ? ", already in the log" : "");
    }
    if (applied)
        return CLI_OK;
    cli_error ("%s: %s", receipt.verdict, *receipt.reason ? receipt.reason : "no reason given");
    return CLI_FAILED;
}

int
cli_doc (cli_t *cli, int argc, char **argv)
{
    //  doc declassify|withdraw SYMBOL ...: a symbol always holds a slash,
    //  so neither word can be one
    static const struct {
        const char *name;
        const s_doc_event_t *command;
    } s_subcommands [] = {
        { "declassify", &s_declassify },
        { "withdraw",   &s_withdraw },
    };
    for (size_t i = 0; argc > 1 && i < sizeof s_subcommands / sizeof s_subcommands [0]; i++)
        if (strcmp (argv [1], s_subcommands [i].name) == 0) {
            snprintf (cli->command, sizeof cli->command, "doc %s", s_subcommands [i].name);
            return s_doc_event (cli, s_subcommands [i].command, argc - 1, argv + 1);
        }
    cli_args_t args;
    int rc = cli_parse (cli, s_doc_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_doc_help);
        return rc;
    }
    if (args.argc != 1)
        return cli_usage (cli, args.argc ? "one symbol, please" : "which document? give its SYMBOL");
    const char *role = cli_value (&args, "as-role");
    if ((rc = cli_archive_check_role (cli, role)))
        return rc;
    if (cli_value (&args, "revision") && !cli_value (&args, "language"))
        return cli_usage (cli, "--revision needs --language");
    json_t *query = cli_payload (cli, &args, "document.show");
    if (!query)
        return CLI_USAGE;
    json_object_set_new (query, "symbol", json_string (args.argv [0]));
    char err [PL_ERR_MAX];
    if (pl_schema_validate (pl_schema_find ("document.show"), query, err, sizeof err)) {
        json_decref (query);
        return cli_invalid (cli, &args, err);
    }
    json_t *reply = cli_archive_query (cli, "document.show", query, role);
    json_decref (query);
    if (!reply)
        return CLI_FAILED;
    if (cli_value (&args, "json"))
        cli_json (reply);
    else
    if (cli_value (&args, "language"))
        cli_print ("%s", json_string_value (json_object_get (reply, "text")));
    else
        s_print_versions (reply);
    json_decref (reply);
    return CLI_OK;
}


/*  cli_stats — `plenary stats --meeting M`: a meeting's attendance
    statistics (query meeting.stats): delegations and participants by
    category, gender balance overall and among heads of delegation,
    sponsored participants and the share of States Parties represented. */
#include "cli_util.h"
#include "pl_schema.h"

#include <czmq.h>
#include <string.h>

static const cli_flag_t s_stats_flags [] = {
    { "meeting", "meeting", 1, 1 },
    { "json",    NULL,      0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_stats_help =
    "usage: plenary stats --meeting M [--json]\n"
    "\n"
    "Attendance statistics of meeting M.  Participants counted are those registered,\n"
    "approved or confirmed (pending, rejected and withdrawn are shown apart):\n"
    "delegations and participants by category (States Parties, signatories, States\n"
    "not parties, international organisations, civil society, States whose status is\n"
    "not declared), gender balance overall and among heads of delegation, sponsored\n"
    "participants, and the share of the convention's declared States Parties that\n"
    "are represented.  --json prints the meeting.stats.reply object\n"
    "(states_parties_share is in per mille).\n"
    "\n"
    "example:\n"
    "  plenary stats --meeting ccm-msp13\n";

//  How each category and gender reads in the table.
static const struct {
    const char *key;
    const char *label;
} s_labels [] = {
    { "state-party",   "States Parties" },
    { "signatory",     "Signatory States" },
    { "not-party",     "States not parties" },
    { "organization",  "International organisations" },
    { "civil-society", "Civil society" },
    { "undeclared",    "States, status not declared" },
    { "f",             "women" },
    { "m",             "men" },
    { "x",             "other" },
    { "unknown",       "not given" },
};

static const char *
s_label (const char *key)
{
    for (size_t i = 0; i < sizeof s_labels / sizeof s_labels [0]; i++)
        if (streq (s_labels [i].key, key))
            return s_labels [i].label;
    return key;
}

static json_int_t
s_int (const json_t *object, const char *name)
{
    return json_integer_value (json_object_get (object, name));
}

//  PART of WHOLE as a percentage with one decimal, into BUF.
static const char *
s_percent (json_int_t part, json_int_t whole, char *buf, size_t size)
{
    if (whole <= 0)
        snprintf (buf, size, "-");
    else
        snprintf (buf, size, "%.1f %%", 100.0 * (double) part / (double) whole);
    return buf;
}

static void
s_print (const json_t *reply)
{
    char a [32], b [32];
    json_int_t participants = s_int (reply, "participants");
    json_int_t heads = s_int (reply, "heads");
    cli_print ("meeting %s (%s)\n\n", json_string_value (json_object_get (reply, "meeting")),
               json_string_value (json_object_get (reply, "convention")));
    cli_print ("%-30s %12s %13s\n", "category", "delegations", "participants");
    size_t index;
    json_t *row;
    json_array_foreach (json_object_get (reply, "categories"), index, row)
        cli_print ("%-30s %12lld %13lld\n",
                   s_label (json_string_value (json_object_get (row, "category"))),
                   (long long) s_int (row, "delegations"), (long long) s_int (row, "participants"));
    cli_print ("%-30s %12lld %13lld\n\n", "total", (long long) s_int (reply, "delegations"),
               (long long) participants);
    cli_print ("%-30s %20s %20s\n", "gender", "participants", "heads of delegation");
    json_array_foreach (json_object_get (reply, "gender"), index, row) {
        json_int_t p = s_int (row, "participants"), h = s_int (row, "heads");
        char pc [48], hc [48];
        snprintf (pc, sizeof pc, "%lld (%s)", (long long) p, s_percent (p, participants, a, sizeof a));
        snprintf (hc, sizeof hc, "%lld (%s)", (long long) h, s_percent (h, heads, b, sizeof b));
        cli_print ("%-30s %20s %20s\n",
                   s_label (json_string_value (json_object_get (row, "gender"))), pc, hc);
    }
    json_int_t sponsored = s_int (reply, "sponsored");
    cli_print ("\nsponsored participants: %lld (%s)\n", (long long) sponsored,
               s_percent (sponsored, participants, a, sizeof a));
    json_int_t declared = s_int (reply, "states_parties_declared");
    json_int_t represented = s_int (reply, "states_parties_represented");
    cli_print ("States Parties represented: %lld of %lld declared (%s)\n",
               (long long) represented, (long long) declared,
               s_percent (represented, declared, a, sizeof a));
    cli_print ("not counted: %lld pending admission, %lld rejected, %lld withdrawn\n",
               (long long) s_int (reply, "pending"), (long long) s_int (reply, "rejected"),
               (long long) s_int (reply, "withdrawn"));
}

int
cli_stats (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_stats_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_stats_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    json_t *reply = cli_query_flags (cli, &args, "meeting.stats", &rc);
    if (!reply)
        return rc;
    if (cli_value (&args, "json"))
        cli_json (reply);
    else
        s_print (reply);
    json_decref (reply);
    return CLI_OK;
}

/*  cli_lists — `plenary participants`: the list of participants of a
    meeting as a table, JSON, CSV or the HTML "List of participants" the UN
    issues; as it stood at a time (--as-of), or what an addendum to an issue
    would hold (--since-issue); and `plenary participants issue`, which
    records an issue of the list (event participants.issued).

    The HTML document groups delegations by category in the UN's order
    (States Parties, signatory States, States not parties, other States,
    international organisations, civil society), delegations in alphabetical
    order of their names, each with its head of delegation first; it holds
    only participants on the list (registered, approved or confirmed). */
//  timegm comes with _DEFAULT_SOURCE, which the build defines
#include "cli_event.h"
#include "cli_util.h"
#include "pl_schema.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

//  The HTML list's sections, in the UN's order.
static const struct {
    const char *category;
    const char *heading;
} s_sections [] = {
    { "state-party",   "States Parties" },
    { "signatory",     "Signatory States" },
    { "not-party",     "States not parties" },
    { "undeclared",    "Other States" },
    { "organization",  "International organizations" },
    { "civil-society", "Civil society organizations" },
};
#define S_SECTIONS (sizeof s_sections / sizeof s_sections [0])

//  Statuses printed on the list.
static const char *s_listed [] = { "registered", "approved", "confirmed", NULL };

//  How a function reads on the list.
static const struct {
    const char *function;
    const char *label;
} s_functions [] = {
    { "head",      "Head of delegation" },
    { "alternate", "Alternate head of delegation" },
    { "adviser",   "Adviser" },
    { "expert",    "Expert" },
};

//  Columns of --csv, in order (schema field names; the header row).
static const char *s_csv_columns [] = {
    "id", "delegation", "delegation_name", "category", "title", "family_name", "given_name",
    "function", "position", "organization", "gender", "email", "sponsored", "status",
    "registered_at", "change", NULL
};

static const cli_column_t s_table_columns [] = {
    { "ID",          "id",          10 },
    { "DELEGATION",  "delegation",  10 },
    { "FAMILY NAME", "family_name", 28 },
    { "GIVEN NAME",  "given_name",  24 },
    { "FUNCTION",    "function",    9 },
    { "GENDER",      "gender",      6 },
    { "SPONSORED",   "sponsored",   9 },
    { "STATUS",      "status",      10 },
    { "EMAIL",       "email",       36 },
    { NULL, NULL, 0 }
};

static const cli_column_t s_addendum_columns [] = {
    { "CHANGE",      "change",      8 },
    { "ID",          "id",          10 },
    { "DELEGATION",  "delegation",  10 },
    { "FAMILY NAME", "family_name", 28 },
    { "GIVEN NAME",  "given_name",  24 },
    { "FUNCTION",    "function",    9 },
    { "STATUS",      "status",      10 },
    { NULL, NULL, 0 }
};

static const cli_flag_t s_list_flags [] = {
    { "meeting",     "meeting",     1, 1 },
    { "since-issue", "since_issue", 1, 0 },
    { "as-of",       NULL,          1, 0 },
    { "after",       "after",       1, 0 },
    { "limit",       "limit",       1, 0 },
    { "json",        NULL,          0, 0 },
    { "csv",         NULL,          0, 0 },
    { "html",        NULL,          0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_list_help =
    "usage: plenary participants --meeting M [--json|--csv|--html]\n"
    "                            [--as-of TIME | --since-issue N]\n"
    "                            [--limit N] [--after CURSOR]\n"
    "       plenary participants issue --meeting M --issue N [--symbol S] [--note N]\n"
    "\n"
    "Lists the participants of meeting M by delegation, head of delegation first:\n"
    "a table; --json, an array of participant objects keyed by the schema's field\n"
    "names; --csv, a header row and one row per participant; --html, the \"List of\n"
    "participants\" document: delegations grouped by category (States Parties,\n"
    "signatory States, States not parties, other States, international\n"
    "organizations, civil society), in alphabetical order, head of delegation first,\n"
    "with only the participants on the list (registered, approved, confirmed); with\n"
    "--since-issue, the addendum's entries marked added, changed or removed.\n"
    "\n"
    "Personal data (e-mail addresses, the secretariat's notes) is the secretariat's:\n"
    "for any other role the list comes without those fields (--json), and the table\n"
    "and --csv without their columns.\n"
    "\n"
    "--as-of TIME answers from the list as it stood then (RFC 3339 UTC or with an\n"
    "offset, seconds optional: 2025-11-28T12:00Z).  'participants issue' records that\n"
    "the secretariat issued the list (issues numbered 1, 2, ...); --since-issue N\n"
    "then gives what an addendum would hold: the entries added, changed (in what the\n"
    "list prints) or removed since issue N, each with \"change\".\n"
    "\n"
    "The records worker answers a page at a time (10,000 participants; --limit N\n"
    "asks for N, at most 50,000), and the command asks for every page, one after\n"
    "the other, so that a list of any length comes whole.  With --limit N or\n"
    "--after CURSOR it prints one page only, in any format, and when more follow\n"
    "says on stderr the command for the next: '... --after CURSOR' (the cursor\n"
    "unchanged).\n"
    "\n"
    "example:\n"
    "  plenary participants --meeting ccm-msp13 --html > list.html\n"
    "  plenary participants issue --meeting ccm-msp13 --issue 1 --symbol CCM/MSP/2025/INF.1\n"
    "  plenary participants --meeting ccm-msp13 --since-issue 1\n"
    "  plenary participants --meeting ccm-msp13 --as-of 2025-11-28T12:00Z --csv\n"
    "  plenary participants --meeting ccm-msp13 --limit 1000 --json > page1.json\n";

//  Milliseconds since the epoch of TEXT: YYYY-MM-DDTHH:MM[:SS[.fff]] then Z
//  or +HH:MM / -HH:MM.  0, or -1 when it is not such a time.
static int
s_parse_time (const char *text, int64_t *ms)
{
    struct tm tm;
    memset (&tm, 0, sizeof tm);
    int year, month, day, hour, minute, second = 0, used = 0, millis = 0;
    if (sscanf (text, "%4d-%2d-%2dT%2d:%2d%n", &year, &month, &day, &hour, &minute, &used) != 5
    ||  used != 16)
        return -1;
    const char *rest = text + used;
    if (*rest == ':') {
        if (sscanf (rest, ":%2d%n", &second, &used) != 1 || used != 3)
            return -1;
        rest += used;
        if (*rest == '.') {
            int digits = 0;
            for (rest++; *rest >= '0' && *rest <= '9'; rest++, digits++)
                if (digits < 3)
                    millis = millis * 10 + (*rest - '0');
            for (; digits > 0 && digits < 3; digits++)
                millis *= 10;
            if (digits == 0)
                return -1;
        }
    }
    int offset = 0;
    if (*rest == 'Z' && rest [1] == 0)
        ;
    else {
        int oh, om;
        if ((*rest != '+' && *rest != '-') || sscanf (rest + 1, "%2d:%2d%n", &oh, &om, &used) != 2
        ||  used != 5 || rest [6] != 0 || oh > 23 || om > 59)
            return -1;
        offset = (*rest == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    }
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return -1;
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    *ms = ((int64_t) timegm (&tm) - offset) * 1000 + millis;
    return 0;
}

//  VALUE as text for a CSV cell or HTML (booleans yes/no); "" when absent.
static const char *
s_text (const json_t *value, char *buf, size_t size)
{
    if (json_is_string (value))
        return json_string_value (value);
    if (json_is_boolean (value))
        return json_is_true (value) ? "yes" : "no";
    if (json_is_integer (value)) {
        snprintf (buf, size, "%lld", (long long) json_integer_value (value));
        return buf;
    }
    return "";
}

//  True when WITHHELD (the reply's list of personal fields left out for
//  the role that asked; NULL for the secretariat) names FIELD.
static int
s_withheld (const json_t *withheld, const char *field)
{
    size_t index;
    json_t *name;
    json_array_foreach (withheld, index, name)
        if (strcmp (json_string_value (name), field) == 0)
            return 1;
    return 0;
}

//  Print ITEMS as CSV: a header row of field names, then one row each;
//  the columns WITHHELD names are left out, not printed empty.
static void
s_print_csv (const json_t *items, const json_t *withheld)
{
    int first = 1;
    for (size_t i = 0; s_csv_columns [i]; i++)
        if (!s_withheld (withheld, s_csv_columns [i])) {
            cli_print ("%s%s", first ? "" : ",", s_csv_columns [i]);
            first = 0;
        }
    cli_print ("\r\n");
    size_t index;
    json_t *item;
    json_array_foreach (items, index, item) {
        first = 1;
        for (size_t i = 0; s_csv_columns [i]; i++) {
            if (s_withheld (withheld, s_csv_columns [i]))
                continue;
            char number [32];
            const char *text = s_text (json_object_get (item, s_csv_columns [i]),
                                       number, sizeof number);
            size_t size = strlen (text) * 2 + 3;
            char *cell = malloc (size);
            if (!cell)
                return;
            size_t length = csv_write (cell, size, text, strlen (text));
            cli_print ("%s%.*s", first ? "" : ",", (int) length, cell);
            first = 0;
            free (cell);
        }
        cli_print ("\r\n");
    }
}

//  The entities of the characters HTML gives a meaning: escaped, text can
//  neither open a tag nor leave an attribute's quotes, whichever quotes.
static const char *const s_entities [256] = {
    ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;"
};

//  TEXT escaped for HTML, in element content and in attribute values alike;
//  caller frees.
static char *
s_html (const char *text)
{
    size_t size = 1;
    for (const unsigned char *c = (const unsigned char *) text; *c; c++)
        size += s_entities [*c] ? strlen (s_entities [*c]) : 1;
    char *out = malloc (size), *at = out;
    if (!out)
        return NULL;
    for (const unsigned char *c = (const unsigned char *) text; *c; c++)
        if (s_entities [*c])
            at = stpcpy (at, s_entities [*c]);
        else
            *at++ = (char) *c;
    *at = 0;
    return out;
}

//  Print TEXT escaped inside FORMAT (which has one %s).
static void
s_html_print (const char *format, const char *text)
{
    char *escaped = s_html (text ? text : "");
    cli_print (format, escaped ? escaped : "");
    free (escaped);
}

static int
s_is_listed (const json_t *item)
{
    const char *status = json_string_value (json_object_get (item, "status"));
    for (size_t i = 0; status && s_listed [i]; i++)
        if (strcmp (s_listed [i], status) == 0)
            return 1;
    return 0;
}

//  One delegation of a section: its name and its participants (in list order).
typedef struct {
    const char *name;
    const char *code;
    json_t *members;
} s_delegation_t;

static int
s_by_name (const void *a, const void *b)
{
    const s_delegation_t *one = a, *other = b;
    int order = strcmp (one->name, other->name);
    return order ? order : strcmp (one->code, other->code);
}

//  Print one participant as a list entry.
static void
s_html_member (const json_t *member)
{
    const char *function = json_string_value (json_object_get (member, "function"));
    const char *change = json_string_value (json_object_get (member, "change"));
    char *change_class = s_html (change ? change : "");
    cli_print ("      <li class=\"participant%s%s%s\">",
               function && strcmp (function, "head") == 0 ? " head" : "",
               change ? " " : "", change_class ? change_class : "");
    free (change_class);
    const char *title = json_string_value (json_object_get (member, "title"));
    if (title)
        s_html_print ("<span class=\"title\">%s</span> ", title);
    const char *given = json_string_value (json_object_get (member, "given_name"));
    if (given)
        s_html_print ("<span class=\"given-name\">%s</span> ", given);
    s_html_print ("<span class=\"family-name\">%s</span>",
                  json_string_value (json_object_get (member, "family_name")));
    for (size_t i = 0; function && i < sizeof s_functions / sizeof s_functions [0]; i++)
        if (strcmp (s_functions [i].function, function) == 0)
            cli_print (", <span class=\"function\">%s</span>", s_functions [i].label);
    const char *position = json_string_value (json_object_get (member, "position"));
    if (position)
        s_html_print (", <span class=\"position\">%s</span>", position);
    const char *organization = json_string_value (json_object_get (member, "organization"));
    if (organization)
        s_html_print (", <span class=\"organization\">%s</span>", organization);
    if (change)
        s_html_print (" <span class=\"change\">(%s)</span>", change);
    cli_print ("</li>\n");
}

//  Print ITEMS as the HTML List of participants of MEETING (meeting.show's
//  reply, or NULL); SUBTITLE says which version (or NULL).
static void
s_print_html (const json_t *items, const json_t *meeting, const char *meeting_id,
              const char *subtitle)
{
    const char *title = json_string_value (json_object_get (meeting, "title"));
    cli_print ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s_html_print ("<title>List of participants — %s</title>\n", title ? title : meeting_id);
    cli_print ("<style>body{font-family:serif;max-width:50em;margin:auto}"
               "h2{border-bottom:1px solid}.head{font-weight:bold}"
               "ul{list-style:none;padding-left:1em}</style>\n</head>\n<body>\n");
    s_html_print ("<p class=\"meeting\">%s</p>\n", title ? title : meeting_id);
    const char *venue = json_string_value (json_object_get (meeting, "venue"));
    const char *start = json_string_value (json_object_get (meeting, "start"));
    const char *end = json_string_value (json_object_get (meeting, "end"));
    if (venue && start && end) {
        char line [512];
        snprintf (line, sizeof line, "%s, %s to %s", venue, start, end);
        s_html_print ("<p class=\"venue\">%s</p>\n", line);
    }
    cli_print ("<h1>List of participants</h1>\n");
    if (subtitle)
        s_html_print ("<p class=\"version\">%s</p>\n", subtitle);
    size_t total = json_array_size (items);
    s_delegation_t *delegations = calloc (total ? total : 1, sizeof (s_delegation_t));
    if (!delegations)
        return;
    for (size_t section = 0; section < S_SECTIONS; section++) {
        //  The section's delegations, each with its members in list order
        size_t count = 0;
        size_t index;
        json_t *item;
        json_array_foreach (items, index, item) {
            const char *category = json_string_value (json_object_get (item, "category"));
            //  An addendum also shows the entries removed from the list
            if ((!s_is_listed (item) && !json_object_get (item, "change")) || !category
            ||  strcmp (category, s_sections [section].category) != 0)
                continue;
            const char *code = json_string_value (json_object_get (item, "delegation"));
            const char *name = json_string_value (json_object_get (item, "delegation_name"));
            if (count == 0 || strcmp (delegations [count - 1].code, code) != 0) {
                delegations [count].code = code;
                delegations [count].name = name ? name : code;
                delegations [count].members = json_array ();
                count++;
            }
            json_array_append (delegations [count - 1].members, item);
        }
        if (count == 0)
            continue;
        qsort (delegations, count, sizeof (s_delegation_t), s_by_name);
        cli_print ("<section class=\"category\" id=\"%s\">\n", s_sections [section].category);
        cli_print ("  <h2>%s</h2>\n", s_sections [section].heading);
        for (size_t i = 0; i < count; i++) {
            s_html_print ("  <section class=\"delegation\" id=\"%s\">\n", delegations [i].code);
            s_html_print ("    <h3>%s</h3>\n    <ul>\n", delegations [i].name);
            json_array_foreach (delegations [i].members, index, item)
                s_html_member (item);
            cli_print ("    </ul>\n  </section>\n");
            json_decref (delegations [i].members);
        }
        cli_print ("</section>\n");
    }
    free (delegations);
    cli_print ("</body>\n</html>\n");
}

int cli_participants_issue (cli_t *cli, int argc, char **argv);

int
cli_participants (cli_t *cli, int argc, char **argv)
{
    if (argc > 1 && strcmp (argv [1], "issue") == 0)
        return cli_participants_issue (cli, argc - 1, argv + 1);
    cli_args_t args;
    int rc = cli_parse (cli, s_list_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_list_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    int formats = !!cli_value (&args, "json") + !!cli_value (&args, "csv")
                + !!cli_value (&args, "html");
    if (formats > 1)
        return cli_usage (cli, "choose one of --json, --csv and --html");
    const char *as_of = cli_value (&args, "as-of");
    if (as_of && cli_value (&args, "since-issue"))
        return cli_usage (cli, "--as-of and --since-issue cannot be combined");
    json_t *query = cli_payload (cli, &args, "participant.list");
    if (!query)
        return CLI_USAGE;
    if (as_of) {
        int64_t ms;
        if (s_parse_time (as_of, &ms) || ms < 0) {
            json_decref (query);
            return cli_usage (cli, "--as-of: '%s' is not a time like 2025-11-28T12:00Z", as_of);
        }
        json_object_set_new (query, "as_of_ms", json_integer (ms));
    }
    char err [PL_ERR_MAX];
    if (pl_schema_validate (pl_schema_find ("participant.list"), query, err, sizeof err)) {
        json_decref (query);
        return cli_invalid (cli, &args, err);
    }
    int one_page = cli_value (&args, "after") || cli_value (&args, "limit");
    json_t *reply = one_page ? cli_query (cli, "participant.list", query)
                             : cli_query_all (cli, "participant.list", query);
    json_decref (query);
    if (!reply)
        return CLI_FAILED;
    const char *meeting = cli_value (&args, "meeting");
    const char *next = json_string_value (json_object_get (reply, "next"));
    if (next)
        cli_error ("more follow: plenary participants --meeting %s%s%s --after '%s'", meeting,
                   cli_value (&args, "limit") ? " --limit " : "",
                   cli_value (&args, "limit") ? cli_value (&args, "limit") : "", next);
    json_t *items = json_object_get (reply, "items");
    json_t *issue = json_object_get (reply, "issue");
    char subtitle [256];
    if (issue)
        snprintf (subtitle, sizeof subtitle, "Changes since issue %lld%s%s of %s",
                  (long long) json_integer_value (issue),
                  json_object_get (reply, "symbol") ? " " : "",
                  json_object_get (reply, "symbol")
                  ? json_string_value (json_object_get (reply, "symbol")) : "",
                  json_string_value (json_object_get (reply, "issued_at")));
    else
    if (as_of)
        snprintf (subtitle, sizeof subtitle, "As of %s", as_of);
    if (cli_value (&args, "json"))
        cli_json (items);
    else
    if (cli_value (&args, "csv"))
        s_print_csv (items, json_object_get (reply, "withheld"));
    else
    if (cli_value (&args, "html")) {
        json_t *show = json_pack ("{s:s}", "id", meeting);
        json_t *details = cli_query (cli, "meeting.show", show);
        json_decref (show);
        s_print_html (items, details, meeting, issue || as_of ? subtitle : NULL);
        json_decref (details);
    }
    else
    if (json_array_size (items) == 0)
        cli_print (issue ? "no changes to the list of participants of %s since that issue\n"
                         : "no participants registered to %s\n", meeting);
    else {
        if (issue || as_of)
            cli_print ("%s\n", subtitle);
        //  the personal columns the role was not given are left out (room
        //  for the larger table, s_table_columns)
        cli_column_t columns [sizeof s_table_columns / sizeof s_table_columns [0]];
        size_t used = 0;
        const cli_column_t *all = issue ? s_addendum_columns : s_table_columns;
        for (size_t i = 0; all [i].header; i++)
            if (!s_withheld (json_object_get (reply, "withheld"), all [i].key))
                columns [used++] = all [i];
        columns [used] = (cli_column_t) { NULL, NULL, 0 };
        cli_table (columns, items);
        cli_print ("%zu %s\n", json_array_size (items),
                   issue ? (json_array_size (items) == 1 ? "change" : "changes")
                         : (json_array_size (items) == 1 ? "participant" : "participants"));
    }
    json_decref (reply);
    return CLI_OK;
}

static const cli_flag_t s_issue_flags [] = {
    { "meeting",  "meeting", 1, 1 },
    { "issue",    "issue",   1, 1 },
    { "symbol",   "symbol",  1, 0 },
    { "note",     "note",    1, 0 },
    { "id-event", NULL,      1, 0 },
    { "json",     NULL,      0, 0 },
    { NULL, NULL, 0, 0 }
};

static const cli_event_command_t s_issue = {
    "participants.issued", NULL, "meeting", s_issue_flags,
    "usage: plenary participants issue --meeting M --issue N [--symbol S] [--note N]\n"
    "                                  [--id-event EVENT_ID] [--json]\n"
    "\n"
    "Records that the secretariat issued the list of participants of meeting M as it\n"
    "stands now (event participants.issued): issue 1 is the list, 2 and on its\n"
    "addenda or revisions, numbered without gaps.  'plenary participants --meeting M\n"
    "--since-issue N' then shows what changed since.\n"
    "\n"
    "example:\n"
    "  plenary participants issue --meeting ccm-msp13 --issue 1 --symbol CCM/MSP/2025/INF.1\n",
    "issued the list of participants of %s", "meeting", NULL
};

int
cli_participants_issue (cli_t *cli, int argc, char **argv)
{
    return cli_event_run (cli, &s_issue, argc, argv);
}

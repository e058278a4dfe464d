/*  pl-schema-doc — prints docs/events.md from the schema table.

    The reference of every event, query, reply and record is generated, not
    written: one section per message in table order, with its kind, service
    and reply, for an event the group that decides it, the groups that
    follow it and what each refuses, its documentation paragraph and a
    table of its fields; then the facets that `plenary check` compares,
    from lib/pl_facet.c.  The output is deterministic (no timestamps), so
    the ctest events_doc_current can compare it with the committed
    docs/events.md.  --authorities prints instead one line per event, for
    tests/docs_groups.sh to compare with what the running workers declare.

        pl-schema-doc docs/events.md        write the file
        pl-schema-doc                       print to stdout
        pl-schema-doc --authorities         EVENT<tab>AUTHORITY<tab>FOLLOWER,... */
#include "pl_facet.h"
#include "pl_convention.h"
#include "pl_schema.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const s_kind_names [] = {
    [PL_KIND_EVENT] = "event", [PL_KIND_QUERY] = "query",
    [PL_KIND_REPLY] = "reply", [PL_KIND_RECORD] = "record"
};

//  What "decided by", "followed by" and "refused by" say, atop the events
#define S_EVENTS_INTRO \
    "Each event says which worker group decides it and which follow it\n" \
    "(docs/protocol.md, [Authorities and followers](protocol.md#authorities-and-followers)):\n\n" \
    "- **Decided by** names its *authority*, the one group whose verdict on the\n" \
    "  event decides the facts it states. When the authority rejects an event,\n" \
    "  no group keeps anything of it, and `plenary` prints the authority's\n" \
    "  reason after `rejected:`.\n" \
    "- **Followed by** names the groups that keep a view of those facts. The\n" \
    "  broker gives a follower the event only after the authority applied it,\n" \
    "  and answers `skipped` for the follower when the authority did not; a\n" \
    "  follower repeats none of the authority's rules.\n" \
    "- **Refused by** lists what a group checks beyond the fields, in the\n" \
    "  order it checks them, each with the reason it gives (the ids, codes and\n" \
    "  dates of the examples stand for the event's own). A follower refuses on\n" \
    "  its own only what it alone decides, listed apart. A follower whose view\n" \
    "  lacks what the authority had to create first refuses the event as \"the\n" \
    "  calendar's view disagrees with records: …\": an inconsistency for\n" \
    "  `plenary check` to find, not a rule, and not listed.\n\n" \
    "The fields come first: an event that breaks the tables below never\n" \
    "reaches a group (the broker refuses it at PUBLISH).\n\n"

//  The sections of the document, each listing the messages of one kind
static const struct {
    pl_kind_t kind;
    const char *title;
    const char *intro;              //  Markdown between the title and the messages, or ""
} s_sections [] = {
    { PL_KIND_EVENT,  "Events", S_EVENTS_INTRO },
    { PL_KIND_QUERY,  "Queries", "" },
    { PL_KIND_REPLY,  "Replies", "" },
    { PL_KIND_RECORD, "Records", "" },
};

//  Print NAME's Markdown anchor, as GitHub makes it from a heading: lower
//  case, punctuation other than - and _ dropped
static void
s_anchor (FILE *out, const char *name)
{
    for (const char *c = name; *c; c++)
        if ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_')
            fputc (*c, out);
}

static void
s_link (FILE *out, const char *name)
{
    fprintf (out, "[`%s`](#", name);
    s_anchor (out, name);
    fputs (")", out);
}

//  Print TEXT with the characters that would break a table cell escaped
static void
s_cell (FILE *out, const char *text)
{
    for (const char *c = text; *c; c++) {
        if (*c == '|')
            fputs ("\\|", out);
        else
        if (*c == '\n')
            fputc (' ', out);
        else
            fputc (*c, out);
    }
}

//  The "limits / values" cell of FIELD
static void
s_limits (FILE *out, const pl_field_t *field)
{
    switch (field->type) {
        case PL_T_TEXT:
        case PL_T_NAME:
            if (field->min > 0)
                fprintf (out, "%" PRId64 "..%" PRId64 " bytes", field->min, field->max);
            else
                fprintf (out, "%s%" PRId64 " bytes", field->required? "1..": "≤ ", field->max);
            if (field->type == PL_T_NAME)
                fputs (", a visible character, no control character", out);
            break;
        case PL_T_ID:
            fprintf (out, "1..%" PRId64 " bytes: `a-z 0-9 . _ -`", field->max);
            break;
        case PL_T_CODE:
            fprintf (out, "1..%" PRId64 " bytes: `A-Z 0-9 _ -`", field->max);
            break;
        case PL_T_ENUM:
            for (const char *const *value = field->values; *value; value++)
                fprintf (out, "%s`%s`", value == field->values? "": ", ", *value);
            break;
        case PL_T_BOOL:
            fputs ("`true`, `false`", out);
            break;
        case PL_T_INT:
            if (field->max == INT64_MAX)
                fprintf (out, "≥ %" PRId64, field->min);
            else
                fprintf (out, "%" PRId64 "..%" PRId64, field->min, field->max);
            break;
        case PL_T_DATE:
            fputs ("`YYYY-MM-DD`, years 1900..2199", out);
            break;
        case PL_T_LOCAL_TIME:
            fputs ("`YYYY-MM-DDTHH:MM[:SS][±HH:MM]`", out);
            break;
        case PL_T_TIMESTAMP:
            fputs ("RFC 3339 with `Z` or `±HH:MM`", out);
            break;
        case PL_T_TZ:
            fputs ("`Area/City[/Sub]` or `UTC`, ≤ 64 bytes", out);
            break;
        case PL_T_EMAIL:
            fprintf (out, "`local@domain.tld`, ≤ %" PRId64 " bytes", field->max);
            break;
        case PL_T_TEXTLIST:
            fprintf (out, "≤ %" PRId64 " items of 1..%" PRId64 " bytes", field->min, field->max);
            break;
        case PL_T_LIST:
            fprintf (out, "≤ %" PRId64 " of ", field->max);
            s_link (out, field->item->name);
            break;
    }
}

//  RULES (lines, pl_schema.h) as a Markdown list headed "Refused by GROUP
//  WHEN:"; a group that checks nothing beyond the fields says so.
static void
s_rules (FILE *out, const char *group, const char *when, const char *rules)
{
    if (strcmp (rules, PL_SCHEMA_NO_RULES) == 0) {
        fprintf (out, "Refused by `%s` for nothing beyond its fields.\n\n", group);
        return;
    }
    fprintf (out, "Refused by `%s`%s when:\n\n- ", group, when);
    for (const char *c = rules; *c; c++)
        if (*c == '\n')
            fputs ("\n- ", out);
        else
            fputc (*c, out);
    fputs ("\n\n", out);
}

static void
s_message (FILE *out, const pl_message_t *message)
{
    fprintf (out, "### %s\n\n", message->name);
    fprintf (out, "Kind: %s", s_kind_names [message->kind]);
    if (message->kind == PL_KIND_QUERY) {
        fprintf (out, ", service `%s`, reply ", message->service);
        s_link (out, message->reply);
    }
    if (message->kind == PL_KIND_EVENT) {
        fprintf (out, ". Decided by `%s`; ", message->authority);
        if (!message->followers [0].group)
            fputs ("no other group follows it", out);
        for (const pl_follower_t *follower = message->followers; follower->group; follower++)
            fprintf (out, "%s`%s`", follower == message->followers ? "followed by " : ", ",
                     follower->group);
    }
    fprintf (out, ".\n\n%s\n\n", message->doc);
    if (message->kind == PL_KIND_EVENT) {
        s_rules (out, message->authority, "", message->rules);
        for (const pl_follower_t *follower = message->followers; follower->group; follower++)
            if (follower->rules)
                s_rules (out, follower->group, " alone", follower->rules);
    }
    if (!message->fields [0].name) {
        fputs ("No fields: the payload is an empty map.\n\n", out);
        return;
    }
    fputs ("| field | type | required | limits / values | description |\n", out);
    fputs ("|---|---|---|---|---|\n", out);
    for (const pl_field_t *field = message->fields; field->name; field++) {
        fprintf (out, "| `%s` | %s | %s | ", field->name, pl_schema_type_str (field->type),
                 field->required? "yes": "no");
        s_limits (out, field);
        fputs (" | ", out);
        if (field->personal)
            fputs ("**personal** — ", out);
        s_cell (out, field->doc);
        fputs (" |\n", out);
    }
    fputs ("\n", out);
}

//  The facets of lib/pl_facet.c: what each view must hold as its authority does
static void
s_facets (FILE *out)
{
    fputs ("## Facets\n\n"
           "`plenary check` compares what each worker group keeps of another group's\n"
           "facts with the authority's, facet by facet, through the digest queries\n"
           "above. A facet is split by key (a meeting id, or `\"\"` for a facet of the\n"
           "whole system); its items are lines made of the fields below, each\n"
           "normalized by its form, separated by one space: `-` for an absent value, a\n"
           "JSON string for one that is empty, is `-` or holds a space, a quote, a\n"
           "backslash or a control character. A key's digest is the SHA-256 (hex) of\n"
           "its lines sorted by bytes, each followed by a line feed.\n\n"
           "Forms: `text` as stored; `local-time` with seconds (`:00` added);\n"
           "`symbol` in upper case; `standing` is a registration's status, with\n"
           "`pending` read as `registered`.\n\n", out);
    for (size_t index = 0; pl_facet_at (index); index++) {
        const pl_facet_t *facet = pl_facet_at (index);
        fprintf (out, "### %s\n\nKey: %s. Authority: `%s`. Views:", facet->name,
                 facet->key ? facet->key : "`\"\"`", facet->authority);
        for (size_t view = 0; facet->views [view]; view++)
            fprintf (out, "%s `%s`", view ? "," : "", facet->views [view]);
        fprintf (out, ".\n\n%s\n\n", facet->doc);
        fputs ("| field | form | description |\n|---|---|---|\n", out);
        for (const pl_facet_field_t *field = facet->fields; field->name; field++) {
            fprintf (out, "| `%s` | %s | ", field->name, pl_facet_form_str (field->form));
            s_cell (out, field->doc);
            fputs (" |\n", out);
        }
        fputs ("\n", out);
    }
}

static void
s_document (FILE *out)
{
    fputs ("<!-- generated from schemas/ by pl-schema-doc — do not edit -->\n"
           "# Events, queries and replies\n\n"
           "Every payload that crosses a socket is a msgpack map whose keys are the\n"
           "field names below (see docs/protocol.md); in memory and in `--json`\n"
           "output it is the same object in JSON. A `null` value is the same as an\n"
           "absent field; a field that is not listed is refused. Text is UTF-8 and\n"
           "its limits count bytes, not characters; text may not hold NUL or control\n"
           "characters other than tab, carriage return and line feed. A field of\n"
           "type `name` (the name or title of a person or thing: family and given\n"
           "names, speakers, meeting, session and document titles, venues, rooms,\n"
           "organisations) is text that must contain a visible character (not only\n"
           "spaces, or characters that show nothing, such as U+200B or U+3000) and\n"
           "no control character at all: no tab or line break, no DEL (U+007F), no\n"
           "C1 control (U+0080..U+009F); an optional name may be empty. The broker\n"
           "refuses such an event at PUBLISH (error 400 naming the field), so it\n"
           "never enters the log. Integers without other bounds are 0..2^63-1.\n\n"
           "Validation errors name the message, the field and the rule, e.g.\n"
           "`participant.registered: family_name: longer than 128 bytes`.\n\n"
           "A field marked **personal** holds personal data (an e-mail address, the\n"
           "secretariat's note on a person): only the secretariat sees it. Every\n"
           "worker's reply to a lower role leaves it out, absent rather than empty,\n"
           "at every depth (the worker engine does it from this mark, for every\n"
           "query: `pl_schema_withhold`), and a reply with a field `withheld` names\n"
           "the personal fields it left out. Events, which carry them, reach only\n"
           "workers and the secretariat (only the secretariat publishes or follows\n"
           "the live stream). See docs/SECURITY.md, \"Personal data\".\n\n", out);
    for (size_t section = 0; section < sizeof s_sections / sizeof s_sections [0]; section++) {
        fprintf (out, "## %s\n\n%s", s_sections [section].title, s_sections [section].intro);
        for (size_t index = 0; pl_schema_at (index); index++)
            if (pl_schema_at (index)->kind == s_sections [section].kind)
                s_message (out, pl_schema_at (index));
    }
    fputs ("## Conventions\n\n"
           "The conventions the records worker knows without being told, from\n"
           "`schemas/conventions.tsv`. A meeting (`meeting.scheduled`) or a\n"
           "delegation (`delegation.declared`) of any other convention is refused\n"
           "until the convention is declared (`convention.declared`, `plenary\n"
           "convention add`); `convention.list` gives them all.\n\n"
           "| code | name |\n|---|---|\n", out);
    const pl_convention_t *known;
    for (size_t index = 0; (known = pl_convention_at (index)); index++) {
        fprintf (out, "| `%s` | ", known->code);
        s_cell (out, known->name);
        fputs (" |\n", out);
    }
    s_facets (out);
}

//  One line per event: its name, its authority and its followers (comma-
//  separated, empty when none), separated by tabs
static void
s_authorities (FILE *out)
{
    for (size_t index = 0; pl_schema_at (index); index++) {
        const pl_message_t *message = pl_schema_at (index);
        if (message->kind != PL_KIND_EVENT)
            continue;
        fprintf (out, "%s\t%s\t", message->name, message->authority);
        for (const pl_follower_t *follower = message->followers; follower->group; follower++)
            fprintf (out, "%s%s", follower == message->followers ? "" : ",", follower->group);
        fputs ("\n", out);
    }
}

static void
s_usage (FILE *out)
{
    fputs ("usage: pl-schema-doc [--authorities] [OUTFILE]\n"
           "Prints the reference of every event, query, reply and record, generated\n"
           "from the schema table in schemas/pl_schema_table.c, as Markdown: to\n"
           "OUTFILE, or to stdout when none is given.  After changing the table:\n"
           "    build/pl-schema-doc docs/events.md\n"
           "With --authorities, one line per event instead: its name, the group that\n"
           "decides it and the groups that follow it (comma-separated, empty when\n"
           "none), separated by tabs; tests/docs_groups.sh compares them with what\n"
           "the running workers declare.\n", out);
}

int
main (int argc, char *argv [])
{
    static const struct option options [] = {
        { "authorities", no_argument, NULL, 'a' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    void (*print) (FILE *) = s_document;
    int option;
    while ((option = getopt_long (argc, argv, "ah", options, NULL)) != -1) {
        if (option == 'a')
            print = s_authorities;
        else
        if (option == 'h') {
            s_usage (stdout);
            return 0;
        }
        else {
            s_usage (stderr);
            return 2;
        }
    }
    if (argc - optind > 1) {
        s_usage (stderr);
        return 2;
    }
    const char *path = optind < argc? argv [optind]: NULL;
    FILE *out = path? fopen (path, "w"): stdout;
    if (!out) {
        fprintf (stderr, "pl-schema-doc: cannot write %s: %s\n", path, strerror (errno));
        return 1;
    }
    print (out);
    int failed = ferror (out);
    if (path && fclose (out))
        failed = 1;
    if (failed) {
        fprintf (stderr, "pl-schema-doc: writing %s failed\n", path? path: "stdout");
        return 1;
    }
    return 0;
}

/*  pl_schema_test — the schema's self-test (pl_schema_test in pl_schema.h).

    The table's own integrity (names unique, docs present, limits set,
    every query with its reply, every event with its authority, followers
    and rules, and nothing of these on other messages), strict UTF-8 on valid and invalid byte
    sequences, one line per validation case with the exact error it must
    give, and length limits counted in bytes.  Uses the schema's public
    functions only. */
#include "pl_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  --------------------------------------------------------------------------
//  Self-test: the table's own integrity, then one line per case below

typedef struct {
    const char *message;
    const char *json;               //  the object to validate
    const char *error;              //  expected error, NULL when valid
} s_case_t;

#define S_PR "participant.registered"
#define S_PR_BASE "\"meeting\":\"ccm-msp13\",\"delegation\":\"PL\""
#define S_MS "meeting.scheduled"
#define S_MS_BASE "\"id\":\"m1\",\"convention\":\"CCM\",\"kind\":\"msp\",\"title\":\"T\"," \
                  "\"venue\":\"Geneva\",\"tz\":\"Europe/Zurich\",\"end\":\"2030-01-02\""

#define S_SS "session.scheduled"
#define S_SS_BASE "\"meeting\":\"m\",\"id\":\"s\",\"title\":\"T\","
#define S_SD "statement.delivered"
#define S_SD_BASE "\"meeting\":\"m\",\"delegation\":\"FR\",\"language\":\"fr\","
#define S_EMAIL_RULE S_PR ": email: must be an e-mail address like name@example.org"
#define S_TZ_RULE S_MS ": tz: must be a time zone name like Europe/Zurich or UTC"
#define S_STAMP_RULE S_SD ": delivered_at: must be an RFC 3339 timestamp like 2026-11-23T09:00:00Z or ...+01:00"
#define S_LOCAL_RULE S_SS ": start: must be a local time YYYY-MM-DDTHH:MM[:SS][±HH:MM]"

static const s_case_t s_cases [] = {
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"Łukasiewicz\",\"given_name\":\"Zofia\"}", NULL },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"王\",\"email\":null,\"sponsored\":true}", NULL },
    { S_PR, "{" S_PR_BASE "}", S_PR ": family_name: required" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":null}", S_PR ": family_name: required" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"\"}", S_PR ": family_name: must not be empty" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"X\",\"colour\":\"red\"}", S_PR ": colour: unknown field" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":7}", S_PR ": family_name: must be a string" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"a\\u0007b\"}", S_PR ": family_name: contains control character 0x07" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"a\\u0000b\"}", S_PR ": family_name: contains a NUL byte" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"X\",\"note\":\"a\\tb\\r\\n\"}", NULL },
    //  Names: a visible character, no control character at all
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"a\\tb\"}", S_PR ": family_name: contains control character 0x09" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"Dupont\\n\"}", S_PR ": family_name: contains control character 0x0A" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"Dupont\\u007f\"}", S_PR ": family_name: contains control character 0x7F" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"Du\\u0085pont\"}", S_PR ": family_name: contains control character U+0085" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"X\",\"given_name\":\"\\u009f\"}", S_PR ": given_name: contains control character U+009F" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"   \"}", S_PR ": family_name: must contain a visible character" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"\\u00a0\\u3000\\u200b\\u2003\\ufeff\"}",
      S_PR ": family_name: must contain a visible character" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"X\",\"given_name\":\" \\u2060\\u00ad\"}",
      S_PR ": given_name: must contain a visible character" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"X\",\"given_name\":\"\"}", NULL },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\" de la\\u00a0Cruz \",\"given_name\":\"محمد\\u200c\"}", NULL },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"\\ud800\\udf00\"}", NULL },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"X\",\"organization\":\" \"}",
      S_PR ": organization: must contain a visible character" },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2030-01-01\",\"title\":\"\\t\"}",
      S_MS ": title: contains control character 0x09" },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2030-01-01\",\"venue\":\"\\u3000\"}",
      S_MS ": venue: must contain a visible character" },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2030-01-01\",\"description\":\"line\\nline\"}", NULL },
    { S_SS, "{" S_SS_BASE "\"start\":\"2030-01-01T10:00\",\"end\":\"2030-01-01T13:00\","
      "\"room\":\" \"}", S_SS ": room: must contain a visible character" },
    { S_SD, "{" S_SD_BASE "\"speaker\":\"\\u2028\"}", S_SD ": speaker: must contain a visible character" },
    { "delegation.declared", "{\"convention\":\"CCM\",\"code\":\"CMC\",\"status\":\"civil-society\","
      "\"name\":\"\\u3164\"}", "delegation.declared: name: must contain a visible character" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"X\",\"function\":\"boss\"}",
      S_PR ": function: must be one of head, alternate, adviser, expert" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"X\",\"sponsored\":1}", S_PR ": sponsored: must be true or false" },
    { S_PR, "{\"meeting\":\"CCM-MSP\",\"delegation\":\"PL\",\"family_name\":\"X\"}",
      S_PR ": meeting: must be lower-case letters, digits and . _ - (starting with a letter or digit)" },
    { S_PR, "{\"meeting\":\"-a\",\"delegation\":\"PL\",\"family_name\":\"X\"}",
      S_PR ": meeting: must be lower-case letters, digits and . _ - (starting with a letter or digit)" },
    { S_PR, "{\"meeting\":\"a.b_c-9\",\"delegation\":\"ICRC\",\"family_name\":\"X\"}", NULL },
    { S_PR, "{\"meeting\":\"m\",\"delegation\":\"pl\",\"family_name\":\"X\"}",
      S_PR ": delegation: must be upper-case letters, digits, _ and - (starting with a letter or digit)" },
    { S_PR, "{\"meeting\":\"m\",\"delegation\":\"ABCDEFGHIJKLMNOPQ\",\"family_name\":\"X\"}",
      S_PR ": delegation: longer than 16 bytes" },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"X\",\"email\":\"zofia@example.pl\"}", NULL },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"X\",\"email\":\"zofia.example.pl\"}", S_EMAIL_RULE },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"X\",\"email\":\"a@b@example.pl\"}", S_EMAIL_RULE },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"X\",\"email\":\"a b@example.pl\"}", S_EMAIL_RULE },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"X\",\"email\":\"@example.pl\"}", S_EMAIL_RULE },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"X\",\"email\":\"a@localhost\"}", S_EMAIL_RULE },
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"X\",\"email\":\"a@example.\"}", S_EMAIL_RULE },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2024-02-29\"}", NULL },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2000-02-29\"}", NULL },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2025-02-30\"}", S_MS ": start: 2025-02-30 is not a calendar date" },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2023-02-29\"}", S_MS ": start: 2023-02-29 is not a calendar date" },
    { S_MS, "{" S_MS_BASE ",\"start\":\"1900-02-29\"}", S_MS ": start: 1900-02-29 is not a calendar date" },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2025-04-31\"}", S_MS ": start: 2025-04-31 is not a calendar date" },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2025-13-01\"}", S_MS ": start: 2025-13-01 is not a calendar date" },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2025-00-10\"}", S_MS ": start: 2025-00-10 is not a calendar date" },
    { S_MS, "{" S_MS_BASE ",\"start\":\"1899-12-31\"}", S_MS ": start: year must be 1900..2199" },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2199-12-31\"}", NULL },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2025-1-01\"}", S_MS ": start: must be a date YYYY-MM-DD" },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2025/01/01\"}", S_MS ": start: must be a date YYYY-MM-DD" },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2025-01-01\",\"tz\":\"UTC\"}", NULL },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2025-01-01\",\"tz\":\"America/Argentina/Buenos_Aires\"}", NULL },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2025-01-01\",\"tz\":\"Etc/GMT+5\"}", NULL },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2025-01-01\",\"tz\":\"Europe Zurich\"}", S_TZ_RULE },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2025-01-01\",\"tz\":\"Europe\"}", S_TZ_RULE },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2025-01-01\",\"tz\":\"Europe//Zurich\"}", S_TZ_RULE },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2025-01-01\",\"tz\":\"europe/zurich\"}", S_TZ_RULE },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2025-01-01\",\"tz\":\"Europe/Zurich/\"}", S_TZ_RULE },
    { S_MS, "{" S_MS_BASE ",\"start\":\"2025-01-01\",\"kind\":\"party\"}",
      S_MS ": kind: must be one of msp, revcon, preparatory, intersessional, coordination, "
      "committee, gge, workshop, side-event, pledging, other" },
    { S_MS, "[1]", S_MS ": payload must be a map" },
    { S_SS, "{" S_SS_BASE "\"start\":\"2030-01-01T10:00\","
      "\"end\":\"2030-01-01T13:00:00\",\"agenda_items\":[\"8(a)\",\"9(h)(i)\"]}", NULL },
    { S_SS, "{" S_SS_BASE "\"start\":\"2030-01-01T24:00\"," "\"end\":\"2030-01-01T13:00\"}", S_LOCAL_RULE },
    { S_SS, "{" S_SS_BASE "\"start\":\"2030-01-01 10:00\"," "\"end\":\"2030-01-01T13:00\"}", S_LOCAL_RULE },
    { S_SS, "{" S_SS_BASE "\"start\":\"2030-10-27T02:30+01:00\",\"end\":\"2030-10-27T04:00:00-05:30\"}", NULL },
    { S_SS, "{" S_SS_BASE "\"start\":\"2030-10-27T02:30Z\",\"end\":\"2030-10-27T04:00\"}", S_LOCAL_RULE },
    { S_SS, "{" S_SS_BASE "\"start\":\"2030-10-27T02:30+1:00\",\"end\":\"2030-10-27T04:00\"}", S_LOCAL_RULE },
    { S_SS, "{" S_SS_BASE "\"start\":\"2030-10-27T02:30+01:60\",\"end\":\"2030-10-27T04:00\"}", S_LOCAL_RULE },
    { S_SS, "{" S_SS_BASE "\"start\":\"2030-10-27T02:30:00*01:00\",\"end\":\"2030-10-27T04:00\"}", S_LOCAL_RULE },
    { S_SS, "{" S_SS_BASE "\"start\":\"2030-02-30T10:00\","
      "\"end\":\"2030-01-01T13:00\"}", "session.scheduled: start: 2030-02-30 is not a calendar date" },
    { S_SS, "{" S_SS_BASE "\"start\":\"2030-01-01T10:00\","
      "\"end\":\"2030-01-01T13:00\",\"agenda_items\":[\"8(a)\",\"\"]}", "session.scheduled: agenda_items[1]: must not be empty" },
    { S_SS, "{" S_SS_BASE "\"start\":\"2030-01-01T10:00\","
      "\"end\":\"2030-01-01T13:00\",\"agenda_items\":[\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\","
      "\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\"]}", "session.scheduled: agenda_items: more than 16 items" },
    { S_SS, "{" S_SS_BASE "\"start\":\"2030-01-01T10:00\","
      "\"end\":\"2030-01-01T13:00\",\"agenda_items\":\"8(a)\"}", "session.scheduled: agenda_items: must be an array of strings" },
    { S_SD, "{" S_SD_BASE "\"delivered_at\":\"2026-11-23T09:00:00Z\"}", NULL },
    { S_SD, "{" S_SD_BASE "\"delivered_at\":\"2026-11-23T09:00:00.123456+01:00\"}", NULL },
    { S_SD, "{" S_SD_BASE "\"delivered_at\":\"2026-11-23T09:00:00-05:30\"}", NULL },
    { S_SD, "{" S_SD_BASE "\"delivered_at\":\"2026-11-23T09:00:00\"}", S_STAMP_RULE },
    { S_SD, "{" S_SD_BASE "\"delivered_at\":\"2026-11-23T09:00:00.Z\"}", S_STAMP_RULE },
    { S_SD, "{" S_SD_BASE "\"delivered_at\":\"2026-11-23T09:00:00+1:00\"}", S_STAMP_RULE },
    { "meeting.list.reply", "{\"items\":[{\"id\":\"m\",\"convention\":\"CCM\",\"kind\":\"msp\",\"title\":\"T\","
      "\"venue\":\"V\",\"tz\":\"UTC\",\"start\":\"2030-01-01\",\"end\":\"2030-01-02\",\"status\":\"closed\","
      "\"participants\":-1}]}", "meeting.list.reply: items[0]: participants: must be at least 0" },
    { "meeting.list.reply", "{\"items\":[{\"id\":\"m\",\"convention\":\"CCM\",\"kind\":\"msp\",\"title\":\"T\","
      "\"venue\":\"V\",\"tz\":\"UTC\",\"start\":\"2030-01-01\",\"end\":\"2030-01-02\",\"status\":\"closed\","
      "\"participants\":2.0}]}", "meeting.list.reply: items[0]: participants: must be an integer" },
    { "meeting.list.reply", "{\"items\":[]}", NULL },
    { "meeting.list.reply", "{\"items\":[1]}", "meeting.list.reply: items[0]: must be a map" },
    { "participant.list.reply", "{\"items\":[{\"id\":\"p1\",\"meeting\":\"m\",\"delegation\":\"SE\","
      "\"status\":\"registered\",\"registered_at\":\"2026-01-01T00:00:00Z\",\"seq\":1}]}",
      "participant.list.reply: items[0]: family_name: required" },
    { "participant.list.reply", "{\"items\":[{\"id\":\"p1\",\"meeting\":\"m\",\"delegation\":\"SE\","
      "\"family_name\":\"Ан\",\"status\":\"registered\",\"registered_at\":\"2026-01-01T00:00:00Z\",\"seq\":0}]}",
      "participant.list.reply: items[0]: seq: must be at least 1" },
    { "dlq.list", "{}", NULL },
    { "dlq.list", "{\"x\":1}", "dlq.list: x: unknown field" },
};

//  UTF-8 cases: bytes, and whether they are valid
static const struct {
    const char *bytes;
    int valid;
} s_utf8_cases [] = {
    { "plain ASCII text, long enough for the 8-byte path", 1 },
    { "第二次审议会议", 1 },                            //  Chinese
    { "المؤتمر الاستعراضي الثاني", 1 },                 //  Arabic
    { "Вторая конференция по рассмотрению", 1 },         //  Russian
    { "Łukasiewicz Żółć", 1 },                          //  Polish
    { "\xF0\x9F\x8C\x8D and \xF4\x8F\xBF\xBF", 1 },     //  U+1F30D, U+10FFFF
    { "\xED\x9F\xBF\xEE\x80\x80", 1 },                  //  U+D7FF, U+E000
    { "\xC0\xAF", 0 },                                  //  overlong '/'
    { "\xC1\xBF", 0 },                                  //  overlong
    { "\xE0\x80\xAF", 0 },                              //  overlong
    { "\xF0\x80\x80\xAF", 0 },                          //  overlong
    { "\xED\xA0\x80", 0 },                              //  surrogate U+D800
    { "\xED\xBF\xBF", 0 },                              //  surrogate U+DFFF
    { "\xF4\x90\x80\x80", 0 },                          //  U+110000
    { "\xF5\x80\x80\x80", 0 },
    { "\xFF", 0 },
    { "abc\x80", 0 },                                   //  lone continuation
    { "abcdefgh\xE4\xB8", 0 },                          //  truncated sequence
    { "\xE4\xB8\x41", 0 },                              //  bad continuation
    { "\xC3", 0 },
};

//  pl_schema_text_check cases: bytes (SIZE of them, for the NUL), whether
//  lines are allowed, and the rule it must give (NULL: accepted)
#define S_BYTES(literal) literal, sizeof literal - 1
static const struct {
    const char *bytes;
    size_t size;
    int lines;
    const char *rule;
} s_text_cases [] = {
    { S_BYTES ("Genève 日内瓦"), 0, NULL },
    { S_BYTES ("two\r\nlines\tand a tab"), 1, NULL },
    { S_BYTES ("page one\fpage two"), 1, NULL },
    { S_BYTES ("page one\fpage two"), 0, "contains control character 0x0C" },
    { S_BYTES ("two\nlines"), 0, "contains control character 0x0A" },
    { S_BYTES ("tab\there"), 0, "contains control character 0x09" },
    { S_BYTES ("nul\0after"), 1, "contains a NUL byte" },
    { S_BYTES ("escape \x1B[31m"), 1, "contains control character 0x1B" },
    { S_BYTES ("\x7F is DEL, not C0"), 0, NULL },
    { S_BYTES ("latin-1 caf\xE9"), 0, "not valid UTF-8" },
    { S_BYTES ("\xEF\xBB\xBF byte order mark"), 0, NULL },
};

#define S_CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "pl_schema_test: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    return -1; } } while (0)

//  True when NAME can be a worker group's: 1..32 of [a-z0-9-], as
//  pl_group_valid says (the schema does not depend on the protocol).
static int
s_group (const char *name)
{
    size_t length = name ? strlen (name) : 0;
    return length > 0 && length <= 32
        && strspn (name, "abcdefghijklmnopqrstuvwxyz0123456789-") == length;
}

//  True when RULES is a list of rules: lines of text joined by line feeds,
//  none empty, no other control character.
static int
s_rules (const char *rules)
{
    if (!rules || !*rules || *rules == '\n' || rules [strlen (rules) - 1] == '\n'
    ||  strstr (rules, "\n\n"))
        return 0;
    for (const char *c = rules; *c; c++)
        if ((unsigned char) *c < 0x20 && *c != '\n')
            return 0;
    return 1;
}

//  What is wrong with MESSAGE's account of who decides it and what is
//  refused, or NULL when nothing: an event needs an authority, its
//  followers (none, said with an empty list) and its rules; no other
//  message has any of them.
static const char *
s_decided_problem (const pl_message_t *message)
{
    if (message->kind != PL_KIND_EVENT)
        return message->authority || message->followers || message->rules
             ? "only an event has an authority, followers and rules" : NULL;
    if (!s_group (message->authority))
        return "no authority (the group whose verdict decides it)";
    if (!message->followers)
        return "no followers (s_followed_by_none when no group follows it)";
    if (!s_rules (message->rules))
        return "no rules, or an empty line among them (\"" PL_SCHEMA_NO_RULES "\" when "
               "its authority checks nothing beyond the fields)";
    for (const pl_follower_t *follower = message->followers; follower->group; follower++) {
        if (!s_group (follower->group) || strcmp (follower->group, message->authority) == 0)
            return "a follower that is not a group, or is its authority";
        for (const pl_follower_t *other = message->followers; other < follower; other++)
            if (strcmp (other->group, follower->group) == 0)
                return "a follower named twice";
        if (follower->rules && !s_rules (follower->rules))
            return "a follower's rules with an empty line";
    }
    return NULL;
}

//  Messages that s_decided_problem must find wrong, so that its checks
//  are known to bite: each breaks one rule of a good event.
static int
s_test_decided (void)
{
    static const pl_field_t fields [] = { { 0 } };
    static const pl_follower_t none [] = { { 0 } };
    static const pl_follower_t self [] = { { "records", NULL }, { 0 } };
    static const pl_follower_t twice [] = { { "calendar", NULL }, { "calendar", NULL }, { 0 } };
    static const pl_follower_t gap [] = { { "calendar", "one\n\ntwo" }, { 0 } };
    static const pl_follower_t good [] = { { "calendar", "its own rule" }, { 0 } };
    static const struct {
        pl_message_t message;
        int wrong;
    } cases [] = {
        { { "x.done", PL_KIND_EVENT, NULL, NULL, fields, "d", "records", good, "a\nb" }, 0 },
        { { "x.done", PL_KIND_EVENT, NULL, NULL, fields, "d", "records", none,
            PL_SCHEMA_NO_RULES }, 0 },
        { { "x.done", PL_KIND_EVENT, NULL, NULL, fields, "d", NULL, none, "a" }, 1 },
        { { "x.done", PL_KIND_EVENT, NULL, NULL, fields, "d", "", none, "a" }, 1 },
        { { "x.done", PL_KIND_EVENT, NULL, NULL, fields, "d", "Records", none, "a" }, 1 },
        { { "x.done", PL_KIND_EVENT, NULL, NULL, fields, "d", "records", NULL, "a" }, 1 },
        { { "x.done", PL_KIND_EVENT, NULL, NULL, fields, "d", "records", none, NULL }, 1 },
        { { "x.done", PL_KIND_EVENT, NULL, NULL, fields, "d", "records", none, "" }, 1 },
        { { "x.done", PL_KIND_EVENT, NULL, NULL, fields, "d", "records", none, "a\n" }, 1 },
        { { "x.done", PL_KIND_EVENT, NULL, NULL, fields, "d", "records", none, "a\n\nb" }, 1 },
        { { "x.done", PL_KIND_EVENT, NULL, NULL, fields, "d", "records", none, "a\tb" }, 1 },
        { { "x.done", PL_KIND_EVENT, NULL, NULL, fields, "d", "records", self, "a" }, 1 },
        { { "x.done", PL_KIND_EVENT, NULL, NULL, fields, "d", "records", twice, "a" }, 1 },
        { { "x.done", PL_KIND_EVENT, NULL, NULL, fields, "d", "records", gap, "a" }, 1 },
        { { "x.list", PL_KIND_QUERY, "records", "x.list.reply", fields, "d",
            NULL, NULL, NULL }, 0 },
        { { "x.list", PL_KIND_QUERY, "records", "x.list.reply", fields, "d",
            NULL, NULL, "a" }, 1 },
        { { "x.item", PL_KIND_RECORD, NULL, NULL, fields, "d", "records", NULL, NULL }, 1 },
    };
    for (size_t index = 0; index < sizeof cases / sizeof cases [0]; index++)
        if ((s_decided_problem (&cases [index].message) != NULL) != cases [index].wrong) {
            fprintf (stderr, "pl_schema_test: decided case %zu judged wrongly\n", index);
            return -1;
        }
    return 0;
}

//  The table is well formed: names unique, docs present, limits set.
static int
s_test_table (void)
{
    size_t count = 0;
    for (const pl_message_t *message; (message = pl_schema_at (count)); count++) {
        S_CHECK (message->name && message->doc && *message->doc);
        S_CHECK (pl_schema_find (message->name) == message);
        const char *problem = s_decided_problem (message);
        if (problem) {
            fprintf (stderr, "pl_schema_test: %s: %s\n", message->name, problem);
            return -1;
        }
        if (message->kind == PL_KIND_QUERY) {
            const pl_message_t *reply = pl_schema_find (message->reply);
            S_CHECK (message->service && reply && reply->kind == PL_KIND_REPLY);
        }
        for (const pl_field_t *field = message->fields; field->name; field++) {
            S_CHECK (field->doc && *field->doc);
            S_CHECK (pl_schema_field (message, field->name) == field);
            S_CHECK (strcmp (pl_schema_type_str (field->type), "unknown"));
            pl_type_t type = field->type;
            if (type == PL_T_TEXT || type == PL_T_NAME || type == PL_T_ID || type == PL_T_CODE
            ||  type == PL_T_EMAIL || type == PL_T_TEXTLIST || type == PL_T_LIST)
                S_CHECK (field->max > 0);
            if (type == PL_T_TEXTLIST)
                S_CHECK (field->min > 0);
            if (type == PL_T_INT)
                S_CHECK (field->min <= field->max);
            S_CHECK ((type == PL_T_ENUM) == (field->values != NULL));
            S_CHECK ((type == PL_T_LIST) == (field->item != NULL));
            if (field->item)
                S_CHECK (field->item->kind == PL_KIND_RECORD);
            //  an e-mail address is personal data wherever it is
            S_CHECK (type != PL_T_EMAIL || field->personal == PL_PERSONAL);
            //  a reply to a lower role leaves personal fields out, so they
            //  must be optional there; events are never withheld (only the
            //  secretariat publishes and follows them): one may require it
            S_CHECK (!field->personal
                     || (type != PL_T_LIST
                         && (!field->required || message->kind == PL_KIND_EVENT)));
        }
    }
    S_CHECK (count >= 30);
    S_CHECK (pl_schema_at (count) == NULL);
    S_CHECK (pl_schema_find ("no.such.message") == NULL);
    S_CHECK (pl_schema_find (NULL) == NULL);
    S_CHECK (pl_schema_field (pl_schema_find ("meeting.show.reply"), "status"));
    return 0;
}

//  pl_schema_withhold: personal fields leave at every depth, nothing else
//  does, and a reply with "withheld" names what left.
static int
s_test_withhold (void)
{
    json_t *list = json_loads ("{\"items\": [{\"id\": \"p1\", \"meeting\": \"m\", "
        "\"family_name\": \"Dupont\", \"delegation\": \"FR\", \"email\": \"a@b.fr\", "
        "\"note\": \"visa\", \"status\": \"registered\", \"registered_at\": "
        "\"2025-01-01T00:00:00Z\", \"seq\": 1}, {\"id\": \"p2\", \"meeting\": \"m\", "
        "\"family_name\": \"Li\", \"delegation\": \"CN\", \"status\": \"registered\", "
        "\"registered_at\": \"2025-01-01T00:00:00Z\", \"seq\": 2}]}", 0, NULL);
    const pl_message_t *reply = pl_schema_find ("participant.list.reply");
    S_CHECK (list && pl_schema_has_personal (reply));
    S_CHECK (!pl_schema_has_personal (pl_schema_find ("meeting.list.reply")));
    S_CHECK (pl_schema_withhold (reply, list) == 2);
    json_t *first = json_array_get (json_object_get (list, "items"), 0);
    S_CHECK (!json_object_get (first, "email") && !json_object_get (first, "note"));
    S_CHECK (json_object_size (first) == 7);
    char *withheld = json_dumps (json_object_get (list, "withheld"), JSON_COMPACT);
    int named = withheld && strcmp (withheld, "[\"email\",\"note\"]") == 0;
    free (withheld);
    char err [PL_ERR_MAX];
    int valid = pl_schema_validate (reply, list, err, sizeof err) == 0;
    json_decref (list);
    S_CHECK (named && valid);
    //  a record alone (participant.show.reply) loses its own
    json_t *one = json_pack ("{s:s, s:s}", "id", "p1", "email", "a@b.fr");
    S_CHECK (pl_schema_withhold (pl_schema_find ("participant.show.reply"), one) == 1);
    S_CHECK (json_object_size (one) == 1 && !json_object_get (one, "withheld"));
    json_decref (one);
    return 0;
}

int
pl_schema_test (int verbose)
{
    if (s_test_decided () || s_test_table () || s_test_withhold ())
        return -1;
    for (size_t index = 0; index < sizeof s_utf8_cases / sizeof s_utf8_cases [0]; index++) {
        const char *bytes = s_utf8_cases [index].bytes;
        if (pl_schema_utf8_valid (bytes, strlen (bytes)) != s_utf8_cases [index].valid) {
            fprintf (stderr, "pl_schema_test: UTF-8 case %zu judged wrongly\n", index);
            return -1;
        }
    }
    for (size_t index = 0; index < sizeof s_text_cases / sizeof s_text_cases [0]; index++) {
        char rule [PL_ERR_MAX] = "";
        int rc = pl_schema_text_check (s_text_cases [index].bytes, s_text_cases [index].size,
                                       s_text_cases [index].lines, rule, sizeof rule);
        const char *want = s_text_cases [index].rule;
        if (want ? rc == 0 || strcmp (rule, want) : rc != 0) {
            fprintf (stderr, "pl_schema_test: text case %zu: want \"%s\", got \"%s\"\n",
                     index, want ? want : "accepted", rc ? rule : "accepted");
            return -1;
        }
    }
    int failures = 0;
    for (size_t index = 0; index < sizeof s_cases / sizeof s_cases [0]; index++) {
        const s_case_t *test = &s_cases [index];
        json_error_t parse_error;
        json_t *object = json_loads (test->json, JSON_DECODE_ANY | JSON_ALLOW_NUL, &parse_error);
        const pl_message_t *message = pl_schema_find (test->message);
        S_CHECK (object && message);
        char err [PL_ERR_MAX] = "";
        int rc = pl_schema_validate (message, object, err, sizeof err);
        json_decref (object);
        if (test->error? rc == 0 || strcmp (err, test->error): rc != 0) {
            fprintf (stderr, "pl_schema_test: case %zu: want \"%s\", got \"%s\"\n",
                     index, test->error? test->error: "valid", rc? err: "valid");
            failures++;
        }
    }
    //  Length limits are in bytes: 128 two-byte characters are 256 bytes
    json_t *object = json_pack ("{s:s, s:s}", "meeting", "m", "delegation", "PL");
    char name [300] = "";
    for (int count = 0; count < 64; count++)
        strcat (name, "Ł");
    json_object_set_new (object, "family_name", json_string (name));
    char err [PL_ERR_MAX];
    S_CHECK (pl_schema_validate (pl_schema_find (S_PR), object, err, sizeof err) == 0);
    strcat (name, "a");
    json_object_set_new (object, "family_name", json_string (name));
    S_CHECK (pl_schema_validate (pl_schema_find (S_PR), object, err, sizeof err) == -1);
    S_CHECK (strcmp (err, S_PR ": family_name: longer than 128 bytes") == 0);
    json_decref (object);
    if (verbose && !failures)
        printf ("pl_schema_test: ok (%zu cases)\n", sizeof s_cases / sizeof s_cases [0]);
    return failures? -1: 0;
}

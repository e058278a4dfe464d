/*  pl_schema — the one definition of every event, query and reply.

    The table itself lives in schemas/pl_schema_table.c as plain data: one
    pl_message_t per message, one pl_field_t per field with its type,
    whether it is required, its limits and enumerations; for an event also
    the group that decides it, the groups that follow it and what each
    refuses beyond the fields.  Everything else is
    driven by that table: the codec validates with pl_schema_validate () before
    anything crosses a socket, the CLI's --json keys are the field names, and
    docs/events.md is printed from it by pl-schema-doc.

    Validation errors name the message, the field and the rule:
        "participant.registered: family_name: longer than 128 bytes"    */
#ifndef PL_SCHEMA_H_INCLUDED
#define PL_SCHEMA_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define PL_ERR_MAX 320              //  room for any validation message
#define PL_PAGE_DEFAULT 10000       //  entries of a page of a list when the query gives no limit
#define PL_PAGE_BYTES (4u << 20)    //  a page ends before its entries' text passes this, far
                                    //  under the 16 MiB frame, whatever its limit

typedef enum {
    PL_T_TEXT,          //  UTF-8 string, no NUL, no C0 controls but TAB CR LF; min..max bytes
    PL_T_NAME,          //  a name or title: TEXT with a visible character and no control
                        //  character at all (C0, DEL, C1); empty only when optional
    PL_T_ID,            //  [a-z0-9][a-z0-9._-]*, at most max bytes (meeting ids, session ids)
    PL_T_CODE,          //  [A-Z0-9][A-Z0-9_-]*, at most max bytes (CCM, FR, ICRC)
    PL_T_ENUM,          //  one of values []
    PL_T_BOOL,          //  true or false
    PL_T_INT,           //  integer in min..max
    PL_T_DATE,          //  YYYY-MM-DD, a real calendar date
    PL_T_LOCAL_TIME,    //  YYYY-MM-DDTHH:MM[:SS][±HH:MM], wall-clock time in the meeting's
                        //  zone, with the UTC offset in force then when given
    PL_T_TIMESTAMP,     //  RFC 3339 with Z or an offset: 2026-11-23T09:00:00Z
    PL_T_TZ,            //  IANA time zone name: Europe/Zurich, UTC (syntax only)
    PL_T_EMAIL,         //  local@domain, at most max bytes
    PL_T_TEXTLIST,      //  array of PL_T_TEXT, each at most max bytes, at most min..items
    PL_T_LIST           //  array of records of schema item, at most max items
} pl_type_t;

#define PL_OPTIONAL 0
#define PL_REQUIRED 1

typedef enum {
    PL_KIND_EVENT,      //  published by producers, appended to the log
    PL_KIND_QUERY,      //  sent to a worker service through the broker
    PL_KIND_REPLY,      //  a worker's answer to a query
    PL_KIND_RECORD      //  the shape of one item in a list field
} pl_kind_t;

typedef struct pl_message_s pl_message_t;

typedef struct {
    const char *name;               //  field name, also the --json key
    pl_type_t type;
    int required;                   //  PL_REQUIRED or PL_OPTIONAL
    int64_t min;                    //  TEXT: min bytes; INT: min value; TEXTLIST: max items
    int64_t max;                    //  TEXT/ID/CODE/EMAIL/TEXTLIST: max bytes; INT: max value; LIST: max items
    const char *const *values;      //  ENUM: NULL-terminated allowed values
    const pl_message_t *item;       //  LIST: schema of each item (kind RECORD)
    const char *doc;                //  one line for docs/events.md
    int personal;                   //  PL_PERSONAL: personal data, the secretariat's only
} pl_field_t;

//  pl_field_t.personal: the field holds personal data (an e-mail address, a
//  note about a person).  Only the secretariat sees it: every worker's reply
//  to a lower role leaves it out (pl_schema_withhold, called by the worker
//  engine), and docs/events.md says so beside the field.
#define PL_PERSONAL 1

//  An event's rules: what a group refuses beyond the fields, one rule per
//  line ("\n" between lines, none empty, none at the end), in the order it
//  checks them, each saying when it refuses and the reason it gives, e.g.
//  "a meeting with that id exists, whatever its status: `meeting ccm-msp13
//  already exists`".  An authority that checks nothing beyond the fields
//  says so with PL_SCHEMA_NO_RULES.
#define PL_SCHEMA_NO_RULES "none beyond the fields"

//  A group that keeps a view of an event's facts: it follows the
//  authority's verdicts (docs/protocol.md, "Authorities and followers") and
//  applies what the authority applied, refusing only what it alone decides.
typedef struct {
    const char *group;              //  "calendar"
    const char *rules;              //  what it alone refuses, as rules above; NULL when nothing
} pl_follower_t;

struct pl_message_s {
    const char *name;               //  "participant.registered"
    pl_kind_t kind;
    const char *service;            //  QUERY: worker service that answers ("records")
    const char *reply;              //  QUERY: name of its reply message
    const pl_field_t *fields;       //  terminated by { NULL }
    const char *doc;                //  a paragraph for docs/events.md
    //  EVENT: who decides it and what is refused, for docs/events.md and
    //  tests/docs_groups.sh, which checks them against the running workers;
    //  NULL for the other kinds
    const char *authority;          //  the group whose verdict decides it ("records")
    const pl_follower_t *followers; //  the groups that follow it, terminated by { NULL }
    const char *rules;              //  what the authority refuses beyond the fields
};

//  Look up a message by name; NULL when there is none.
const pl_message_t *pl_schema_find (const char *name);

//  True when some query of the schema is answered by SERVICE.
int pl_schema_service_known (const char *service);

//  The INDEXth message of the table, in declaration order; NULL past the end.
const pl_message_t *pl_schema_at (size_t index);

//  The field NAME of MESSAGE, or NULL.
const pl_field_t *pl_schema_field (const pl_message_t *message, const char *name);

//  Name of a type, for docs and error messages ("text", "date", ...).
const char *pl_schema_type_str (pl_type_t type);

//  True when SIZE bytes at DATA are valid UTF-8 (strict: no overlong forms,
//  no surrogates, nothing above U+10FFFF).  Used by the codec for every string.
int pl_schema_utf8_valid (const char *data, size_t size);

//  The one check of text that comes from outside (schema text fields, HTTP
//  paths and parameters, command-line arguments): SIZE bytes at TEXT are
//  valid UTF-8 (pl_schema_utf8_valid) without a NUL byte or a C0 control
//  character, except TAB, CR and LF when LINES is true (text fields; not
//  names, paths or flags).  Returns 0, or -1 with RULE set to the rule alone:
//  "not valid UTF-8", "contains a NUL byte", "contains control character 0x1B".
int pl_schema_text_check (const char *text, size_t size, int lines, char *rule,
                          size_t rulesize);

//  One value as the type checks see it: from a jansson value (the codec's
//  decode) or straight from msgpack (pl_codec_check), so both paths share
//  one set of rules and messages.
typedef enum {
    PL_V_NULL, PL_V_BOOL, PL_V_INT, PL_V_REAL, PL_V_STRING, PL_V_ARRAY, PL_V_MAP
} pl_value_kind_t;

typedef struct {
    pl_value_kind_t kind;
    const char *text;               //  STRING: SIZE bytes, not NUL-terminated
    size_t size;
    int64_t integer;                //  INT
    int boolean;                    //  BOOL
} pl_value_t;

//  Check VALUE against FIELD, whose type is neither PL_T_TEXTLIST nor
//  PL_T_LIST.  Returns 0, or -1 with RULE set to the rule alone ("longer
//  than 128 bytes"), the words pl_schema_validate puts after the field name.
int pl_schema_check_value (const pl_field_t *field, const pl_value_t *value,
                           char *rule, size_t rulesize);

//  Validate OBJECT against MESSAGE.  Returns 0, or -1 with ERR (PL_ERR_MAX
//  bytes) set to "message: field: rule".  Unknown fields are refused; a JSON
//  null counts as absent.  Does not modify OBJECT.
int pl_schema_validate (const pl_message_t *message, const json_t *object,
                        char *err, size_t errsize);

//  Leave out of OBJECT, a MESSAGE, every field the schema marks personal,
//  at every depth (the records of its lists too): what a role below the
//  secretariat gets.  When MESSAGE has a field "withheld" (a text list),
//  it is set to the names of the personal fields MESSAGE and its lists'
//  records can hold, so that a client knows which columns it was not
//  given (rather than taking them for empty).  Returns how many values
//  were left out.
size_t pl_schema_withhold (const pl_message_t *message, json_t *object);

//  True when MESSAGE, or a record of one of its lists, has a field marked
//  personal.
int pl_schema_has_personal (const pl_message_t *message);

//  Self-test; returns 0 when all checks pass.
int pl_schema_test (int verbose);

#endif

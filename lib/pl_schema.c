/*  pl_schema — lookup and validation over the schema table.

    The table is plain data in schemas/pl_schema_table.c; this file looks
    messages up and checks a json_t object against one of them, field by
    field, by type (one checker per pl_type_t, chosen from a table).  The
    broker validates every event it accepts, so the hot path allocates
    nothing, uses no regex and formats an error message only on failure.
    Errors read "message: field: rule"; items of a list field add their
    index: "participant.list.reply: items[3]: family_name: required". */
#include "pl_schema.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

//  The table, defined in schemas/pl_schema_table.c
extern const pl_message_t *const pl_schema_table [];

//  Limits of the calendar types
#define S_YEAR_MIN  1900
#define S_YEAR_MAX  2199
#define S_TZ_MAX    64

//  --------------------------------------------------------------------------
//  Lookup

const pl_message_t *
pl_schema_find (const char *name)
{
    if (!name)
        return NULL;
    for (size_t index = 0; pl_schema_table [index]; index++)
        if (pl_schema_table [index]->name [0] == name [0]
        &&  strcmp (pl_schema_table [index]->name, name) == 0)
            return pl_schema_table [index];
    return NULL;
}

const pl_message_t *
pl_schema_at (size_t index)
{
    for (size_t at = 0; pl_schema_table [at]; at++)
        if (at == index)
            return pl_schema_table [at];
    return NULL;
}

const pl_field_t *
pl_schema_field (const pl_message_t *message, const char *name)
{
    if (!message || !name)
        return NULL;
    for (const pl_field_t *field = message->fields; field->name; field++)
        if (field->name [0] == name [0] && strcmp (field->name, name) == 0)
            return field;
    return NULL;
}

const char *
pl_schema_type_str (pl_type_t type)
{
    static const char *const names [] = {
        [PL_T_TEXT] = "text",           [PL_T_ID] = "id",
        [PL_T_CODE] = "code",           [PL_T_ENUM] = "enum",
        [PL_T_BOOL] = "bool",           [PL_T_INT] = "int",
        [PL_T_DATE] = "date",           [PL_T_LOCAL_TIME] = "local-time",
        [PL_T_TIMESTAMP] = "timestamp", [PL_T_TZ] = "tz",
        [PL_T_EMAIL] = "email",         [PL_T_TEXTLIST] = "text-list",
        [PL_T_LIST] = "list"
    };
    if ((unsigned) type < sizeof names / sizeof names [0] && names [type])
        return names [type];
    return "unknown";
}

//  --------------------------------------------------------------------------
//  UTF-8: strict (RFC 3629, Unicode table 3-7): no overlong forms, no
//  surrogates, nothing above U+10FFFF.  ASCII runs are skipped 8 bytes at a
//  time, since most of what we check is ASCII.

int
pl_schema_utf8_valid (const char *data, size_t size)
{
    if (size == 0)
        return 1;               //  DATA may be NULL then
    const unsigned char *byte = (const unsigned char *) data;
    const unsigned char *end = byte + size;
    while (byte < end) {
        if (end - byte >= 8) {
            uint64_t word;
            memcpy (&word, byte, 8);
            if ((word & 0x8080808080808080ull) == 0) {
                byte += 8;
                continue;
            }
        }
        unsigned char lead = *byte;
        if (lead < 0x80) {
            byte++;
            continue;
        }
        size_t need;
        unsigned char low = 0x80, high = 0xBF;      //  range of the 2nd byte
        if (lead >= 0xC2 && lead <= 0xDF)
            need = 1;
        else
        if (lead >= 0xE0 && lead <= 0xEF) {
            need = 2;
            if (lead == 0xE0)
                low = 0xA0;                         //  overlong
            else
            if (lead == 0xED)
                high = 0x9F;                        //  surrogates
        }
        else
        if (lead >= 0xF0 && lead <= 0xF4) {
            need = 3;
            if (lead == 0xF0)
                low = 0x90;                         //  overlong
            else
            if (lead == 0xF4)
                high = 0x8F;                        //  above U+10FFFF
        }
        else
            return 0;
        if ((size_t) (end - byte) <= need)
            return 0;
        if (byte [1] < low || byte [1] > high)
            return 0;
        for (size_t next = 2; next <= need; next++)
            if ((byte [next] & 0xC0) != 0x80)
                return 0;
        byte += need + 1;
    }
    return 1;
}

//  --------------------------------------------------------------------------
//  snprintf that may truncate: error messages are cut at PL_ERR_MAX on purpose

static void s_say (char *buf, size_t size, const char *format, ...)
    __attribute__ ((format (printf, 3, 4)));

static void
s_say (char *buf, size_t size, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    vsnprintf (buf, size, format, args);
    va_end (args);
}

//  --------------------------------------------------------------------------
//  Checkers, one per type.  Each returns 0 or -1 with RULE set to the rule
//  that failed (without message or field name).

typedef int (s_check_fn) (const pl_field_t *field, const pl_value_t *value,
                          char *rule, size_t rulesize);

static int s_validate_fields (const pl_message_t *message, const json_t *object,
                              char *err, size_t errsize);

//  Text content: valid UTF-8, no NUL, no C0 control but TAB, CR, LF.
static int
s_text_content (const char *text, size_t size, char *rule, size_t rulesize)
{
    for (size_t at = 0; at < size; at++) {
        unsigned char byte = (unsigned char) text [at];
        if (byte < 0x20 && byte != '\t' && byte != '\r' && byte != '\n') {
            s_say (rule, rulesize, byte ? "contains control character 0x%02X"
                                           : "contains a NUL byte", byte);
            return -1;
        }
    }
    if (!pl_schema_utf8_valid (text, size)) {
        s_say (rule, rulesize, "not valid UTF-8");
        return -1;
    }
    return 0;
}

static int
s_string (const pl_value_t *value, const char **text, size_t *size,
          char *rule, size_t rulesize)
{
    if (value->kind != PL_V_STRING) {
        s_say (rule, rulesize, "must be a string");
        return -1;
    }
    *text = value->text;
    *size = value->size;
    return 0;
}

//  The view of a jansson value that the checkers read
static void
s_view (const json_t *json, pl_value_t *value)
{
    static const pl_value_kind_t kinds [] = {
        [JSON_OBJECT] = PL_V_MAP, [JSON_ARRAY] = PL_V_ARRAY, [JSON_STRING] = PL_V_STRING,
        [JSON_INTEGER] = PL_V_INT, [JSON_REAL] = PL_V_REAL, [JSON_TRUE] = PL_V_BOOL,
        [JSON_FALSE] = PL_V_BOOL, [JSON_NULL] = PL_V_NULL
    };
    memset (value, 0, sizeof *value);
    value->kind = kinds [json_typeof (json)];
    if (json_is_string (json)) {
        value->text = json_string_value (json);
        value->size = json_string_length (json);
    }
    value->integer = json_is_integer (json) ? (int64_t) json_integer_value (json) : 0;
    value->boolean = json_is_true (json);
}

//  Byte length in MIN..MAX (MAX 0: unbounded)
static int
s_length (size_t size, int64_t min, int64_t max, char *rule, size_t rulesize)
{
    if (size == 0 && min > 0) {
        s_say (rule, rulesize, "must not be empty");
        return -1;
    }
    if ((int64_t) size < min) {
        s_say (rule, rulesize, "shorter than %" PRId64 " bytes", min);
        return -1;
    }
    if (max > 0 && (int64_t) size > max) {
        s_say (rule, rulesize, "longer than %" PRId64 " bytes", max);
        return -1;
    }
    return 0;
}

static int
s_check_text (const pl_field_t *field, const pl_value_t *value, char *rule, size_t rulesize)
{
    const char *text;
    size_t size;
    int64_t min = field->min;
    if (min == 0 && field->required)
        min = 1;
    if (s_string (value, &text, &size, rule, rulesize)
    ||  s_length (size, min, field->max, rule, rulesize))
        return -1;
    return s_text_content (text, size, rule, rulesize);
}

static int
s_is_lower_id (int c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int
s_is_upper_code (int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int
s_check_id (const pl_field_t *field, const pl_value_t *value, char *rule, size_t rulesize)
{
    const char *text;
    size_t size;
    if (s_string (value, &text, &size, rule, rulesize)
    ||  s_length (size, 1, field->max, rule, rulesize))
        return -1;
    for (size_t at = 0; at < size; at++) {
        int c = (unsigned char) text [at];
        if (!s_is_lower_id (c) && (at == 0 || (c != '.' && c != '_' && c != '-'))) {
            s_say (rule, rulesize,
                      "must be lower-case letters, digits and . _ - (starting with a letter or digit)");
            return -1;
        }
    }
    return 0;
}

static int
s_check_code (const pl_field_t *field, const pl_value_t *value, char *rule, size_t rulesize)
{
    const char *text;
    size_t size;
    if (s_string (value, &text, &size, rule, rulesize)
    ||  s_length (size, 1, field->max, rule, rulesize))
        return -1;
    for (size_t at = 0; at < size; at++) {
        int c = (unsigned char) text [at];
        if (!s_is_upper_code (c) && (at == 0 || (c != '_' && c != '-'))) {
            s_say (rule, rulesize,
                      "must be upper-case letters, digits, _ and - (starting with a letter or digit)");
            return -1;
        }
    }
    return 0;
}

static int
s_check_enum (const pl_field_t *field, const pl_value_t *value, char *rule, size_t rulesize)
{
    assert (field->values);
    if (value->kind == PL_V_STRING) {
        const char *text = value->text;
        size_t size = value->size;
        for (const char *const *allowed = field->values; *allowed; allowed++)
            if (strlen (*allowed) == size && memcmp (*allowed, text, size) == 0)
                return 0;
    }
    size_t used = (size_t) snprintf (rule, rulesize, "must be one of ");
    for (const char *const *allowed = field->values; *allowed && used < rulesize; allowed++)
        used += (size_t) snprintf (rule + used, rulesize - used, "%s%s",
                                   allowed == field->values ? "" : ", ", *allowed);
    return -1;
}

static int
s_check_bool (const pl_field_t *field, const pl_value_t *value, char *rule, size_t rulesize)
{
    if (value->kind == PL_V_BOOL)
        return 0;
    s_say (rule, rulesize, "must be true or false");
    return -1;
}

static int
s_check_int (const pl_field_t *field, const pl_value_t *value, char *rule, size_t rulesize)
{
    if (value->kind != PL_V_INT) {
        s_say (rule, rulesize, "must be an integer");
        return -1;
    }
    int64_t number = value->integer;
    if (number < field->min) {
        s_say (rule, rulesize, "must be at least %" PRId64, field->min);
        return -1;
    }
    if (number > field->max) {
        s_say (rule, rulesize, "must be at most %" PRId64, field->max);
        return -1;
    }
    return 0;
}

//  Parse COUNT decimal digits at TEXT into *NUMBER; 0 or -1.
static int
s_digits (const char *text, size_t count, int *number)
{
    int result = 0;
    for (size_t at = 0; at < count; at++) {
        if (text [at] < '0' || text [at] > '9')
            return -1;
        result = result * 10 + (text [at] - '0');
    }
    *number = result;
    return 0;
}

//  "YYYY-MM-DD" at TEXT (10 bytes): 0 if a real date, -1 with RULE set.
static int
s_date (const char *text, char *rule, size_t rulesize)
{
    static const int days_in [] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int year, month, day;
    if (s_digits (text, 4, &year) || text [4] != '-' || s_digits (text + 5, 2, &month)
    ||  text [7] != '-' || s_digits (text + 8, 2, &day)) {
        s_say (rule, rulesize, "must be a date YYYY-MM-DD");
        return -1;
    }
    if (year < S_YEAR_MIN || year > S_YEAR_MAX) {
        s_say (rule, rulesize, "year must be %d..%d", S_YEAR_MIN, S_YEAR_MAX);
        return -1;
    }
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month < 1 || month > 12 || day < 1
    ||  day > days_in [month - 1] + (month == 2 && leap)) {
        s_say (rule, rulesize, "%.10s is not a calendar date", text);
        return -1;
    }
    return 0;
}

//  "HH:MM" at TEXT, and ":SS" when WITH_SECONDS (SS up to MAX_SECOND)
static int
s_clock (const char *text, int with_seconds, int max_second)
{
    int hour, minute, second = 0;
    if (s_digits (text, 2, &hour) || text [2] != ':' || s_digits (text + 3, 2, &minute))
        return -1;
    if (with_seconds && (text [5] != ':' || s_digits (text + 6, 2, &second)))
        return -1;
    return hour <= 23 && minute <= 59 && second <= max_second? 0: -1;
}

static int
s_check_date (const pl_field_t *field, const pl_value_t *value, char *rule, size_t rulesize)
{
    const char *text;
    size_t size;
    if (s_string (value, &text, &size, rule, rulesize))
        return -1;
    if (size != 10) {
        s_say (rule, rulesize, "must be a date YYYY-MM-DD");
        return -1;
    }
    return s_date (text, rule, rulesize);
}

static int
s_check_local_time (const pl_field_t *field, const pl_value_t *value, char *rule, size_t rulesize)
{
    const char *text;
    size_t size;
    if (s_string (value, &text, &size, rule, rulesize))
        return -1;
    if ((size != 16 && size != 19) || text [10] != 'T'
    ||  s_clock (text + 11, size == 19, 59)) {
        s_say (rule, rulesize, "must be a local time YYYY-MM-DDTHH:MM[:SS]");
        return -1;
    }
    return s_date (text, rule, rulesize);
}

static int
s_check_timestamp (const pl_field_t *field, const pl_value_t *value, char *rule, size_t rulesize)
{
    const char *text;
    size_t size;
    if (s_string (value, &text, &size, rule, rulesize))
        return -1;
    int valid = size >= 20 && size <= 64 && text [10] == 'T' && s_clock (text + 11, 1, 60) == 0;
    size_t at = 19;
    if (valid && text [at] == '.') {
        size_t digits = 0;
        for (at++; at < size && text [at] >= '0' && text [at] <= '9'; at++)
            digits++;
        valid = digits >= 1 && digits <= 9;
    }
    if (valid) {
        if (at + 1 == size && text [at] == 'Z')
            ;
        else
        if (at + 6 == size && (text [at] == '+' || text [at] == '-'))
            valid = s_clock (text + at + 1, 0, 0) == 0;
        else
            valid = 0;
    }
    if (!valid) {
        s_say (rule, rulesize,
                  "must be an RFC 3339 timestamp like 2026-11-23T09:00:00Z or ...+01:00");
        return -1;
    }
    return s_date (text, rule, rulesize);
}

static int
s_check_tz (const pl_field_t *field, const pl_value_t *value, char *rule, size_t rulesize)
{
    const char *text;
    size_t size;
    if (s_string (value, &text, &size, rule, rulesize))
        return -1;
    if (size == 3 && memcmp (text, "UTC", 3) == 0)
        return 0;
    //  Area/City or Area/City/Sub: segments non-empty, Area capitalised
    int segments = 1, valid = size > 0 && size <= S_TZ_MAX
                           && text [0] >= 'A' && text [0] <= 'Z';
    for (size_t at = 0; valid && at < size; at++) {
        char c = text [at];
        if (c == '/') {
            valid = at + 1 < size && text [at + 1] != '/';
            segments++;
        }
        else
            valid = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                 || c == '_' || c == '+' || c == '-';
    }
    if (!valid || segments < 2 || segments > 3) {
        s_say (rule, rulesize, "must be a time zone name like Europe/Zurich or UTC");
        return -1;
    }
    return 0;
}

static int
s_check_email (const pl_field_t *field, const pl_value_t *value, char *rule, size_t rulesize)
{
    const char *text;
    size_t size;
    if (s_string (value, &text, &size, rule, rulesize)
    ||  s_length (size, 1, field->max, rule, rulesize))
        return -1;
    size_t at_sign = size, ats = 0;
    int clean = 1;
    for (size_t at = 0; at < size; at++) {
        unsigned char c = (unsigned char) text [at];
        if (c <= 0x20 || c == 0x7F)
            clean = 0;
        if (c == '@') {
            at_sign = at;
            ats++;
        }
    }
    const char *domain = text + at_sign + 1;
    size_t domain_size = ats == 1? size - at_sign - 1: 0;
    const char *dot = domain_size? memchr (domain, '.', domain_size): NULL;
    if (!clean || ats != 1 || at_sign == 0 || !dot || dot == domain
    ||  domain [domain_size - 1] == '.' || !pl_schema_utf8_valid (text, size)) {
        s_say (rule, rulesize, "must be an e-mail address like name@example.org");
        return -1;
    }
    return 0;
}

static int
s_check_textlist (const pl_field_t *field, const json_t *value, char *rule, size_t rulesize)
{
    if (!json_is_array (value)) {
        s_say (rule, rulesize, "must be an array of strings");
        return -1;
    }
    if ((int64_t) json_array_size (value) > field->min) {
        s_say (rule, rulesize, "more than %" PRId64 " items", field->min);
        return -1;
    }
    size_t index;
    const json_t *item;
    json_array_foreach (value, index, item) {
        const char *text;
        size_t size;
        char inner [PL_ERR_MAX];
        pl_value_t view;
        s_view (item, &view);
        if (s_string (&view, &text, &size, inner, sizeof inner)
        ||  s_length (size, 1, field->max, inner, sizeof inner)
        ||  s_text_content (text, size, inner, sizeof inner)) {
            s_say (rule, rulesize, "[%zu]: %s", index, inner);
            return -1;
        }
    }
    return 0;
}

static int
s_check_list (const pl_field_t *field, const json_t *value, char *rule, size_t rulesize)
{
    assert (field->item);
    if (!json_is_array (value)) {
        s_say (rule, rulesize, "must be an array");
        return -1;
    }
    if ((int64_t) json_array_size (value) > field->max) {
        s_say (rule, rulesize, "more than %" PRId64 " items", field->max);
        return -1;
    }
    size_t index;
    const json_t *item;
    json_array_foreach (value, index, item) {
        char inner [PL_ERR_MAX];
        if (!json_is_object (item)) {
            s_say (rule, rulesize, "[%zu]: must be a map", index);
            return -1;
        }
        if (s_validate_fields (field->item, item, inner, sizeof inner)) {
            s_say (rule, rulesize, "[%zu]: %s", index, inner);
            return -1;
        }
    }
    return 0;
}

//  The checkers of scalar types; TEXTLIST and LIST (arrays) are checked by
//  s_check_textlist and s_check_list on jansson values, and by the codec's
//  own walk on msgpack (pl_codec_check).
static s_check_fn *const s_checkers [] = {
    [PL_T_TEXT] = s_check_text,             [PL_T_ID] = s_check_id,
    [PL_T_CODE] = s_check_code,             [PL_T_ENUM] = s_check_enum,
    [PL_T_BOOL] = s_check_bool,             [PL_T_INT] = s_check_int,
    [PL_T_DATE] = s_check_date,             [PL_T_LOCAL_TIME] = s_check_local_time,
    [PL_T_TIMESTAMP] = s_check_timestamp,   [PL_T_TZ] = s_check_tz,
    [PL_T_EMAIL] = s_check_email
};

int
pl_schema_check_value (const pl_field_t *field, const pl_value_t *value,
                       char *rule, size_t rulesize)
{
    assert ((unsigned) field->type < sizeof s_checkers / sizeof s_checkers [0]
            && s_checkers [field->type]);
    return s_checkers [field->type] (field, value, rule, rulesize);
}

//  One field's value, any type
static int
s_check_json (const pl_field_t *field, const json_t *value, char *rule, size_t rulesize)
{
    if (field->type == PL_T_TEXTLIST)
        return s_check_textlist (field, value, rule, rulesize);
    if (field->type == PL_T_LIST)
        return s_check_list (field, value, rule, rulesize);
    pl_value_t view;
    s_view (value, &view);
    return pl_schema_check_value (field, &view, rule, rulesize);
}

//  --------------------------------------------------------------------------
//  Validation of one object: ERR gets "field: rule" (no message name).

static int
s_validate_fields (const pl_message_t *message, const json_t *object,
                   char *err, size_t errsize)
{
    //  Every key must be a field of the message, and pass its type's check
    const char *key;
    const json_t *value;
    size_t required_seen = 0, required = 0;
    json_object_foreach ((json_t *) object, key, value) {
        const pl_field_t *field = pl_schema_field (message, key);
        if (!field) {
            s_say (err, errsize, "%s: unknown field", key);
            return -1;
        }
        if (json_is_null (value))
            continue;
        required_seen += field->required != 0;
        char rule [PL_ERR_MAX];
        if (s_check_json (field, value, rule, sizeof rule)) {
            //  list rules start with "[index]", so no separator before them
            s_say (err, errsize, "%s%s%s", key, rule [0] == '['? "": ": ", rule);
            return -1;
        }
    }
    //  Every required field must be present (and not null); look for the
    //  missing one only when the count says one is missing
    for (const pl_field_t *field = message->fields; field->name; field++)
        required += field->required != 0;
    if (required_seen == required)
        return 0;
    for (const pl_field_t *field = message->fields; field->name; field++) {
        if (field->required) {
            const json_t *present = json_object_get (object, field->name);
            if (!present || json_is_null (present)) {
                s_say (err, errsize, "%s: required", field->name);
                return -1;
            }
        }
    }
    return 0;
}

int
pl_schema_validate (const pl_message_t *message, const json_t *object,
                    char *err, size_t errsize)
{
    assert (message);
    char inner [PL_ERR_MAX];
    if (!json_is_object (object)) {
        s_say (err, errsize, "%s: payload must be a map", message->name);
        return -1;
    }
    if (s_validate_fields (message, object, inner, sizeof inner)) {
        s_say (err, errsize, "%s: %s", message->name, inner);
        return -1;
    }
    return 0;
}

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
#define S_LOCAL_RULE S_SS ": start: must be a local time YYYY-MM-DDTHH:MM[:SS]"

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
    { S_PR, "{" S_PR_BASE ",\"family_name\":\"a\\tb\\r\\n\"}", NULL },
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

#define S_CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "pl_schema_test: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    return -1; } } while (0)

//  The table is well formed: names unique, docs present, limits set.
static int
s_test_table (void)
{
    size_t count = 0;
    for (const pl_message_t *message; (message = pl_schema_at (count)); count++) {
        S_CHECK (message->name && message->doc && *message->doc);
        S_CHECK (pl_schema_find (message->name) == message);
        if (message->kind == PL_KIND_QUERY) {
            const pl_message_t *reply = pl_schema_find (message->reply);
            S_CHECK (message->service && reply && reply->kind == PL_KIND_REPLY);
        }
        for (const pl_field_t *field = message->fields; field->name; field++) {
            S_CHECK (field->doc && *field->doc);
            S_CHECK (pl_schema_field (message, field->name) == field);
            S_CHECK (strcmp (pl_schema_type_str (field->type), "unknown"));
            pl_type_t type = field->type;
            if (type == PL_T_TEXT || type == PL_T_ID || type == PL_T_CODE
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
        }
    }
    S_CHECK (count >= 30);
    S_CHECK (pl_schema_at (count) == NULL);
    S_CHECK (pl_schema_find ("no.such.message") == NULL);
    S_CHECK (pl_schema_find (NULL) == NULL);
    S_CHECK (pl_schema_field (pl_schema_find ("meeting.show.reply"), "status"));
    return 0;
}

int
pl_schema_test (int verbose)
{
    if (s_test_table ())
        return -1;
    for (size_t index = 0; index < sizeof s_utf8_cases / sizeof s_utf8_cases [0]; index++) {
        const char *bytes = s_utf8_cases [index].bytes;
        if (pl_schema_utf8_valid (bytes, strlen (bytes)) != s_utf8_cases [index].valid) {
            fprintf (stderr, "pl_schema_test: UTF-8 case %zu judged wrongly\n", index);
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

/*  pl_schema — lookup and validation over the schema table.

    The table is plain data in schemas/pl_schema_table.c; this file looks
    messages up and checks a json_t object against one of them, field by
    field, by type (one checker per pl_type_t, chosen from a table).  The
    broker validates every event it accepts, so the hot path allocates
    nothing, uses no regex and formats an error message only on failure.
    Errors read "message: field: rule"; items of a list field add their
    index: "participant.list.reply: items[3]: family_name: required".
    The self-test is in pl_schema_test.c. */
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

int
pl_schema_service_known (const char *service)
{
    for (size_t index = 0; service && pl_schema_table [index]; index++)
        if (pl_schema_table [index]->kind == PL_KIND_QUERY && pl_schema_table [index]->service
        &&  strcmp (pl_schema_table [index]->service, service) == 0)
            return 1;
    return 0;
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

//  --------------------------------------------------------------------------
//  Personal data

//  Records nest at most this deep (the codec refuses deeper payloads).
#define S_NEST_MAX  8

//  Add to NAMES (a JSON array) the names of the personal fields of MESSAGE
//  and of its lists' records, each once, in table order.
static void
s_personal_names (const pl_message_t *message, json_t *names, int depth)
{
    for (const pl_field_t *field = message->fields; depth < S_NEST_MAX && field->name; field++) {
        if (field->type == PL_T_LIST)
            s_personal_names (field->item, names, depth + 1);
        if (!field->personal)
            continue;
        size_t index;
        json_t *name;
        int known = 0;
        json_array_foreach (names, index, name)
            known |= strcmp (json_string_value (name), field->name) == 0;
        if (!known)
            json_array_append_new (names, json_string (field->name));
    }
}

int
pl_schema_has_personal (const pl_message_t *message)
{
    json_t *names = json_array ();
    s_personal_names (message, names, 0);
    int has = json_array_size (names) > 0;
    json_decref (names);
    return has;
}

//  Leave MESSAGE's personal fields out of OBJECT, at every depth.  The
//  number of values left out.
static size_t
s_withhold (const pl_message_t *message, json_t *object, int depth)
{
    size_t count = 0;
    for (const pl_field_t *field = message->fields; depth < S_NEST_MAX && field->name; field++) {
        json_t *value = json_object_get (object, field->name);
        if (!value)
            continue;
        if (field->personal) {
            json_object_del (object, field->name);
            count++;
        }
        else
        if (field->type == PL_T_LIST) {
            size_t index;
            json_t *item;
            json_array_foreach (value, index, item)
                count += s_withhold (field->item, item, depth + 1);
        }
    }
    return count;
}

size_t
pl_schema_withhold (const pl_message_t *message, json_t *object)
{
    if (!message || !json_is_object (object))
        return 0;
    size_t count = s_withhold (message, object, 0);
    const pl_field_t *withheld = pl_schema_field (message, "withheld");
    if (withheld && withheld->type == PL_T_TEXTLIST) {
        json_t *names = json_array ();
        s_personal_names (message, names, 0);
        if (json_array_size (names))
            json_object_set_new (object, "withheld", names);
        else
            json_decref (names);
    }
    return count;
}

const char *
pl_schema_type_str (pl_type_t type)
{
    static const char *const names [] = {
        [PL_T_TEXT] = "text",           [PL_T_NAME] = "name",
        [PL_T_ID] = "id",
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

int
pl_schema_text_check (const char *text, size_t size, int lines, char *rule, size_t rulesize)
{
    for (size_t at = 0; at < size; at++) {
        unsigned char byte = (unsigned char) text [at];
        //  lines: TAB, CR, LF, and FF, the page break of text extracted from a PDF
        if (byte < 0x20 && !(lines && (byte == '\t' || byte == '\r' || byte == '\n'
                                       || byte == '\f'))) {
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
    return pl_schema_text_check (text, size, 1, rule, rulesize);
}

//  --------------------------------------------------------------------------
//  Names.  A name shows at least one character: the code points below show
//  nothing, being Unicode's White_Space (PropList.txt) or
//  Default_Ignorable_Code_Point (DerivedCoreProperties.txt), less the
//  controls, which a name may not hold at all.  Ranges, sorted.

static const struct {
    uint32_t first, last;
} s_invisible [] = {
    { 0x0020, 0x0020 }, { 0x00A0, 0x00A0 }, { 0x00AD, 0x00AD }, { 0x034F, 0x034F },
    { 0x061C, 0x061C }, { 0x115F, 0x1160 }, { 0x1680, 0x1680 }, { 0x17B4, 0x17B5 },
    { 0x180B, 0x180F }, { 0x2000, 0x200F }, { 0x2028, 0x202F }, { 0x205F, 0x206F },
    { 0x3000, 0x3000 }, { 0x3164, 0x3164 }, { 0xFE00, 0xFE0F }, { 0xFEFF, 0xFEFF },
    { 0xFFA0, 0xFFA0 }, { 0xFFF0, 0xFFF8 }, { 0x1BCA0, 0x1BCA3 }, { 0x1D173, 0x1D17A },
    { 0xE0000, 0xE0FFF },
};

static int
s_visible (uint32_t point)
{
    for (size_t i = 0; i < sizeof s_invisible / sizeof s_invisible [0]; i++) {
        if (point < s_invisible [i].first)
            return 1;
        if (point <= s_invisible [i].last)
            return 0;
    }
    return 1;
}

//  The code point of the valid UTF-8 sequence at TEXT, and its length.
static uint32_t
s_code_point (const unsigned char *text, size_t *length)
{
    if (text [0] < 0x80) {
        *length = 1;
        return text [0];
    }
    size_t size = text [0] >= 0xF0 ? 4 : text [0] >= 0xE0 ? 3 : 2;
    uint32_t point = text [0] & (0x7F >> size);
    for (size_t at = 1; at < size; at++)
        point = (point << 6) | (text [at] & 0x3F);
    *length = size;
    return point;
}

static int
s_check_name (const pl_field_t *field, const pl_value_t *value, char *rule, size_t rulesize)
{
    const char *text;
    size_t size;
    int64_t min = field->min;
    if (min == 0 && field->required)
        min = 1;
    if (s_string (value, &text, &size, rule, rulesize)
    ||  s_length (size, min, field->max, rule, rulesize))
        return -1;
    for (size_t at = 0; at < size; at++) {
        unsigned char byte = (unsigned char) text [at];
        if (byte < 0x20 || byte == 0x7F) {
            s_say (rule, rulesize, byte ? "contains control character 0x%02X"
                                           : "contains a NUL byte", byte);
            return -1;
        }
    }
    if (!pl_schema_utf8_valid (text, size)) {
        s_say (rule, rulesize, "not valid UTF-8");
        return -1;
    }
    int visible = size == 0;            //  an optional name may be empty
    const unsigned char *at = (const unsigned char *) text;
    const unsigned char *end = at + size;
    while (at < end) {
        size_t length;
        uint32_t point = s_code_point (at, &length);
        if (point >= 0x80 && point <= 0x9F) {
            s_say (rule, rulesize, "contains control character U+%04X", (unsigned) point);
            return -1;
        }
        visible |= s_visible (point);
        at += length;
    }
    if (!visible) {
        s_say (rule, rulesize, "must contain a visible character");
        return -1;
    }
    return 0;
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
    //  An offset (±HH:MM) may follow: the one in force then, which picks
    //  one of the two occurrences of a time that happens twice
    size_t clock = size == 22 || size == 25 ? size - 6 : size;
    if ((clock != 16 && clock != 19) || text [10] != 'T'
    ||  s_clock (text + 11, clock == 19, 59)
    ||  (clock < size && ((text [clock] != '+' && text [clock] != '-')
                          || s_clock (text + clock + 1, 0, 0)))) {
        s_say (rule, rulesize, "must be a local time YYYY-MM-DDTHH:MM[:SS][±HH:MM]");
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
        ||  pl_schema_text_check (text, size, 1, inner, sizeof inner)) {
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
    [PL_T_TEXT] = s_check_text,             [PL_T_NAME] = s_check_name,
    [PL_T_ID] = s_check_id,
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

/*  cli_csv — a registration spreadsheet (CSV) read into
    participant.registered payloads with libcsv; see cli_csv.h. */
#include "cli_csv.h"
#include "pl_schema.h"

#include <assert.h>
#include <csv.h>
#include <czmq.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  The columns a file may have: a participant.registered field each, under
//  its normalised name and synonyms.
static const struct {
    const char *name;           //  normalised: lower case, no ' ', '-', '_'
    const char *field;
} s_columns [] = {
    { "familyname",   "family_name" },
    { "surname",      "family_name" },
    { "lastname",     "family_name" },
    { "givenname",    "given_name" },
    { "givennames",   "given_name" },
    { "firstname",    "given_name" },
    { "delegation",   "delegation" },
    { "function",     "function" },
    { "gender",       "gender" },
    { "email",        "email" },
    { "sponsored",    "sponsored" },
    { "title",        "title" },
    { "position",     "position" },
    { "organization", "organization" },
    { "organisation", "organization" },
    { "note",         "note" },
    { "focalpoint",   "focal_point" },
    { "language",     "language" },
};
#define S_COLUMNS (sizeof s_columns / sizeof s_columns [0])

//  The fields a row's event id is derived from, in this order: every field
//  s_columns gives (s_ordered asserts it).  Never reorder or rename: that
//  would change every id, and a re-import of an old file would register
//  its rows again.  A new field goes at the end: only the ids of rows that
//  have it change (a field a row lacks is not hashed).
static const char *s_id_fields [] = {
    "family_name", "given_name", "delegation", "function", "gender", "email",
    "sponsored", "title", "position", "organization", "note", "focal_point",
    "language", NULL
};

//  Columns without which no row can be registered.
static const char *s_required [] = { "family_name", "delegation", NULL };

//  Spreadsheet spellings of enumerated values, folded to lower case first.
static const struct {
    const char *field;
    const char *text;
    const char *value;
} s_values [] = {
    { "function",    "head of delegation", "head" },
    { "function",    "hod",                "head" },
    { "function",    "alternate head",     "alternate" },
    { "function",    "advisor",            "adviser" },
    { "gender",      "female",             "f" },
    { "gender",      "male",               "m" },
    { "gender",      "other",              "x" },
    { "sponsored",   "yes",                "true" },
    { "sponsored",   "y",                  "true" },
    { "sponsored",   "x",                  "true" },
    { "sponsored",   "1",                  "true" },
    { "sponsored",   "true",               "true" },
    { "sponsored",   "no",                 "false" },
    { "sponsored",   "n",                  "false" },
    { "sponsored",   "0",                  "false" },
    { "sponsored",   "false",              "false" },
    { "focal_point", "yes",                "true" },
    { "focal_point", "1",                  "true" },
    { "focal_point", "true",               "true" },
    { "focal_point", "no",                 "false" },
    { "focal_point", "0",                  "false" },
    { "focal_point", "false",              "false" },
};

struct _cli_csv_t {
    char *name;                 //  the file, for messages
    char *meeting;
    cli_csv_row_fn *fn;
    void *arg;
    json_t *fields;             //  the current record's cells (strings)
    size_t line;                //  line being fed to the parser
    size_t record_line;         //  where the current record began
    int header_done;
    const char *column_field [CLI_CSV_COLUMNS_MAX];    //  NULL: unknown
    size_t columns;
    json_t *unknown;            //  names of unknown columns
    size_t rows;                //  data rows given so far
    int failed;                 //  the file cannot be used: stop
    char *error;                //  why (NULL when out of memory to say it)
};

cli_csv_t *
cli_csv_new (const char *name, const char *meeting)
{
    cli_csv_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->name = strdup (name);
    self->meeting = strdup (meeting);
    self->fields = json_array ();
    self->unknown = json_array ();
    if (!self->name || !self->meeting || !self->fields || !self->unknown)
        cli_csv_destroy (&self);
    return self;
}

void
cli_csv_destroy (cli_csv_t **self_p)
{
    cli_csv_t *self = *self_p;
    if (!self)
        return;
    free (self->name);
    free (self->meeting);
    json_decref (self->fields);
    json_decref (self->unknown);
    free (self->error);
    free (self);
    *self_p = NULL;
}

const char *
cli_csv_error (const cli_csv_t *self)
{
    return !self->failed ? "" : self->error ? self->error : "out of memory";
}

json_t *
cli_csv_unknown (const cli_csv_t *self)
{
    return self->unknown;
}

//  The file cannot be used: keep the first reason, FORMAT and its arguments.
static void
s_fail (cli_csv_t *self, const char *format, ...)
{
    if (self->failed)
        return;
    self->failed = 1;
    va_list args;
    va_start (args, format);
    int length = vsnprintf (NULL, 0, format, args);
    va_end (args);
    if (length >= 0 && (self->error = malloc ((size_t) length + 1))) {
        va_start (args, format);
        vsnprintf (self->error, (size_t) length + 1, format, args);
        va_end (args);
    }
}

//  NAME normalised for matching into OUT: ASCII lower case, without spaces,
//  '-', '_' and a UTF-8 byte-order mark.
static void
s_normalise (const char *name, char *out, size_t size)
{
    if (strncmp (name, "\xEF\xBB\xBF", 3) == 0)
        name += 3;
    size_t used = 0;
    for (; *name && used + 1 < size; name++)
        if (*name != ' ' && *name != '-' && *name != '_' && *name != '\t')
            out [used++] = (char) tolower ((unsigned char) *name);
    out [used] = 0;
}

static const char *
s_column_field (const char *header)
{
    char name [128];
    s_normalise (header, name, sizeof name);
    for (size_t i = 0; i < S_COLUMNS; i++)
        if (strcmp (s_columns [i].name, name) == 0)
            return s_columns [i].field;
    return NULL;
}

//  Check the header (SELF->fields) and set the column map, or fail.
static void
s_header (cli_csv_t *self)
{
    size_t index;
    json_t *cell;
    if (json_array_size (self->fields) > CLI_CSV_COLUMNS_MAX) {
        s_fail (self, "%s: %zu columns; at most %d", self->name,
                json_array_size (self->fields), CLI_CSV_COLUMNS_MAX);
        return;
    }
    json_array_foreach (self->fields, index, cell) {
        const char *header = json_string_value (cell);
        const char *field = s_column_field (header);
        for (size_t j = 0; field && j < index; j++)
            if (self->column_field [j] && strcmp (self->column_field [j], field) == 0) {
                s_fail (self, "%s: line %zu: columns %zu and %zu both give %s", self->name,
                        self->record_line, j + 1, index + 1, field);
                json_array_clear (self->unknown);
                return;
            }
        self->column_field [index] = field;
        if (!field && *header)
            json_array_append_new (self->unknown, json_string (header));
    }
    self->columns = json_array_size (self->fields);
    char missing [256] = "";
    for (size_t i = 0; s_required [i]; i++) {
        int found = 0;
        for (size_t j = 0; j < self->columns; j++)
            found |= self->column_field [j] && strcmp (self->column_field [j], s_required [i]) == 0;
        if (!found)
            snprintf (missing + strlen (missing), sizeof missing - strlen (missing), "%s%s",
                      *missing ? ", " : "", s_required [i]);
    }
    if (*missing) {
        char *header = json_dumps (self->fields,
                                   JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        s_fail (self, "%s: missing required column%s %s (the header row is %s); nothing was "
                "registered", self->name, strchr (missing, ',') ? "s" : "", missing,
                header ? header : "unreadable");
        free (header);
        json_array_clear (self->unknown);
    }
}

//  The value of CELL for FIELD as JSON, or NULL with REASON.
static json_t *
s_value (const char *field, const char *cell, char *reason, size_t size)
{
    char folded [64];
    size_t length = strlen (cell);
    if (length < sizeof folded) {
        for (size_t i = 0; i <= length; i++)
            folded [i] = (char) tolower ((unsigned char) cell [i]);
        for (size_t i = 0; i < sizeof s_values / sizeof s_values [0]; i++)
            if (strcmp (s_values [i].field, field) == 0 && strcmp (s_values [i].text, folded) == 0)
                cell = s_values [i].value;
    }
    const pl_field_t *schema = pl_schema_field (pl_schema_find ("participant.registered"), field);
    if (schema->type == PL_T_BOOL) {
        if (strcmp (cell, "true") && strcmp (cell, "false")) {
            snprintf (reason, size, "%s: '%s' is not yes or no", field, cell);
            return NULL;
        }
        return json_boolean (strcmp (cell, "true") == 0);
    }
    char upper [64];
    if (schema->type == PL_T_CODE && length < sizeof upper) {
        for (size_t i = 0; i <= length; i++)
            upper [i] = (char) toupper ((unsigned char) cell [i]);
        cell = upper;
    }
    //  "Head", "F": enumerations are lower case
    for (size_t i = 0; schema->type == PL_T_ENUM && length < sizeof folded
                       && schema->values [i]; i++)
        if (strcmp (schema->values [i], folded) == 0)
            cell = folded;
    json_t *value = json_string (cell);
    if (!value)
        snprintf (reason, size, "%s: not valid UTF-8 text", field);
    return value;
}

//  Trim ASCII white space at both ends of TEXT in place.
static char *
s_trim (char *text)
{
    while (*text && isspace ((unsigned char) *text))
        text++;
    size_t length = strlen (text);
    while (length && isspace ((unsigned char) text [length - 1]))
        text [--length] = 0;
    return text;
}

//  A copy of PAYLOAD with its keys in a fixed order (meeting, then
//  s_id_fields), whatever the file's column order: the broker compares
//  the bytes of a republished event with the first's, and an unchanged row
//  of a file whose columns were moved must be the same event.  NULL when
//  out of memory.
static json_t *
s_ordered (const json_t *payload)
{
    json_t *ordered = json_object ();
    if (!ordered || json_object_set (ordered, "meeting", json_object_get (payload, "meeting")))
        goto err;
    for (size_t i = 0; s_id_fields [i]; i++) {
        json_t *value = json_object_get (payload, s_id_fields [i]);
        if (value && json_object_set (ordered, s_id_fields [i], value))
            goto err;
    }
    //  s_columns gives no field outside s_id_fields: a mismatch is our bug
    assert (json_object_size (ordered) == json_object_size (payload));
    return ordered;
err:
    json_decref (ordered);
    return NULL;
}

//  ROW's event id from the meeting and PAYLOAD's values (s_id_fields):
//  "csv-" and the SHA-1, in hex, of the meeting and, for each field present,
//  its name and its value as compact JSON, each followed by a NUL.  0 or -1
//  (out of memory).
static int
s_row_id (cli_csv_t *self, cli_csv_row_t *row, const json_t *payload)
{
    zdigest_t *digest = zdigest_new ();
    if (!digest)
        return -1;
    zdigest_update (digest, (const byte *) self->meeting, strlen (self->meeting) + 1);
    int rc = 0;
    for (size_t i = 0; s_id_fields [i] && rc == 0; i++) {
        const json_t *value = json_object_get (payload, s_id_fields [i]);
        if (!value)
            continue;
        char *text = json_dumps (value, JSON_ENCODE_ANY | JSON_COMPACT);
        if (!text) {
            rc = -1;
            break;
        }
        zdigest_update (digest, (const byte *) s_id_fields [i], strlen (s_id_fields [i]) + 1);
        zdigest_update (digest, (const byte *) text, strlen (text) + 1);
        free (text);
    }
    const char *hex = zdigest_string (digest);
    size_t at = (size_t) snprintf (row->event_id, sizeof row->event_id, "csv-");
    for (size_t i = 0; hex [i] && at + 1 < sizeof row->event_id; i++)
        row->event_id [at++] = (char) tolower ((unsigned char) hex [i]);
    row->event_id [at] = 0;
    zdigest_destroy (&digest);
    return rc;
}

//  TEXT, valid UTF-8 until snprintf cut it, without the sequence the cut
//  left unfinished: the report puts it into JSON, which takes no broken
//  text (json_pack fails, and the row went missing from --json).
static void
s_utf8_cut (char *text)
{
    size_t at = strlen (text);
    while (at > 0 && ((unsigned char) text [at - 1] & 0xC0) == 0x80)
        at--;
    //  AT - 1 is the first byte of the last sequence
    if (at > 0 && !pl_schema_utf8_valid (text + at - 1, strlen (text + at - 1)))
        text [at - 1] = 0;
}

//  Turn the record in SELF->fields into ROW's payload, or its reason.
static void
s_row (cli_csv_t *self, cli_csv_row_t *row)
{
    json_t *payload = json_pack ("{s:s}", "meeting", self->meeting);
    size_t index;
    json_t *cell;
    if (json_array_size (self->fields) > self->columns) {
        snprintf (row->reason, sizeof row->reason,
                  "%zu cells but the header has %zu columns (a quote not closed?)",
                  json_array_size (self->fields), self->columns);
        goto rejected;
    }
    json_array_foreach (self->fields, index, cell) {
        const char *field = self->column_field [index];
        char *text = strdup (json_string_value (cell));
        if (!text) {
            snprintf (row->reason, sizeof row->reason, "out of memory");
            goto rejected;
        }
        char *trimmed = s_trim (text);
        json_t *value = field && *trimmed
                      ? s_value (field, trimmed, row->reason, sizeof row->reason) : NULL;
        free (text);
        if (field && *row->reason)
            goto rejected;
        if (value)
            json_object_set_new (payload, field, value);
    }
    const char *family = json_string_value (json_object_get (payload, "family_name"));
    const char *given = json_string_value (json_object_get (payload, "given_name"));
    const char *delegation = json_string_value (json_object_get (payload, "delegation"));
    snprintf (row->who, sizeof row->who, "%s%s%s (%s)", family ? family : "?",
              given ? ", " : "", given ? given : "", delegation ? delegation : "?");
    for (char *c = row->who; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';           //  one report line per row
    s_utf8_cut (row->who);      //  an overlong name, refused below
    char err [PL_ERR_MAX];
    if (pl_schema_validate (pl_schema_find ("participant.registered"), payload,
                            err, sizeof err)) {
        //  "participant.registered: email: rule" -> "email: rule"
        const char *rule = strchr (err, ':');
        snprintf (row->reason, sizeof row->reason, "%s", rule ? rule + 2 : err);
        goto rejected;
    }
    json_t *ordered = s_ordered (payload);
    if (!ordered || s_row_id (self, row, ordered)) {
        json_decref (ordered);
        snprintf (row->reason, sizeof row->reason, "out of memory");
        goto rejected;
    }
    json_decref (payload);
    row->payload = ordered;
    return;
rejected:
    json_decref (payload);
    s_utf8_cut (row->reason);   //  it may quote a cell
}

//  libcsv: end of a field.
static void
s_on_field (void *text, size_t length, void *arg)
{
    cli_csv_t *self = arg;
    json_array_append_new (self->fields, json_stringn_nocheck (text ? text : "", text ? length : 0));
}

//  True when every cell of the record is blank.
static int
s_blank (const json_t *fields)
{
    size_t index;
    json_t *cell;
    json_array_foreach (fields, index, cell)
        for (const char *c = json_string_value (cell); *c; c++)
            if (!isspace ((unsigned char) *c))
                return 0;
    return 1;
}

//  libcsv: end of a record.
static void
s_on_record (int terminator, void *arg)
{
    (void) terminator;
    cli_csv_t *self = arg;
    if (self->failed || s_blank (self->fields))
        ;
    else
    if (!self->header_done) {
        self->header_done = 1;
        s_header (self);
    }
    else
    if (self->rows == CLI_CSV_ROWS_MAX)
        s_fail (self, "%s: more than %d rows; split the file", self->name, CLI_CSV_ROWS_MAX);
    else {
        cli_csv_row_t row;
        memset (&row, 0, sizeof row);
        row.line = self->record_line;
        s_row (self, &row);
        self->rows++;
        if (self->fn (self->arg, &row))
            s_fail (self, "%s: out of memory at line %zu", self->name, self->record_line);
        json_decref (row.payload);
    }
    json_array_clear (self->fields);
}

//  Offset of the first byte of DATA (SIZE bytes) that does not begin a
//  valid UTF-8 sequence (pl_schema_utf8_valid's rules), or SIZE.
static size_t
s_utf8_bad (const char *data, size_t size)
{
    size_t at = 0;
    while (at < size) {
        unsigned char byte = (unsigned char) data [at];
        size_t length = byte < 0x80 ? 1 : byte >= 0xC2 && byte <= 0xDF ? 2
                      : byte >= 0xE0 && byte <= 0xEF ? 3 : byte >= 0xF0 && byte <= 0xF4 ? 4 : 0;
        if (length == 0 || at + length > size
        ||  !pl_schema_utf8_valid (data + at, length))
            return at;
        at += length;
    }
    return size;
}

//  The separator of the file: ';' when its first line (the header) has more
//  semicolons than commas outside quotes, as spreadsheets in many European
//  locales save "CSV"; else ','.
static unsigned char
s_separator (const char *data, size_t size)
{
    size_t commas = 0, semicolons = 0;
    int quoted = 0;
    for (size_t at = 0; at < size && (quoted || data [at] != '\n'); at++) {
        if (data [at] == '"')
            quoted = !quoted;
        else
        if (!quoted) {
            commas += data [at] == ',';
            semicolons += data [at] == ';';
        }
    }
    return semicolons > commas ? ';' : ',';
}

int
cli_csv_parse (cli_csv_t *self, const char *data, size_t size, cli_csv_row_fn *fn, void *arg)
{
    assert (!self->fn);         //  once per parser
    self->fn = fn;
    self->arg = arg;
    size_t bad = s_utf8_bad (data, size);
    if (bad < size) {
        size_t line = 1, column = 1;
        for (size_t i = 0; i < bad; i++) {
            column = data [i] == '\n' ? 1 : column + 1;
            line += data [i] == '\n';
        }
        s_fail (self, "%s: line %zu: byte %zu of the line (0x%02X) is not UTF-8 text; nothing "
                "was registered (export the spreadsheet as \"CSV UTF-8\")", self->name, line,
                column, (unsigned) (unsigned char) data [bad]);
        return -1;
    }
    size_t at = size >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    struct csv_parser parser;
    csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI);
    csv_set_delim (&parser, s_separator (data + at, size - at));
    //  Feed one line at a time so that each record knows the line it starts
    //  on: a record begins on the line fed while no row is under way.
    self->line = 1;
    self->record_line = 1;
    while (at < size && !self->failed) {
        const char *end = memchr (data + at, '\n', size - at);
        size_t length = end ? (size_t) (end - (data + at)) + 1 : size - at;
        //  libcsv's public state: 0 is "row not begun"
        if (parser.pstate == 0)
            self->record_line = self->line;
        if (csv_parse (&parser, data + at, length, s_on_field, s_on_record, self) != length) {
            s_fail (self, "%s: line %zu: %s", self->name, self->line,
                    csv_strerror (csv_error (&parser)));
            break;
        }
        at += length;
        self->line++;
    }
    if (!self->failed && csv_fini (&parser, s_on_field, s_on_record, self) != 0)
        s_fail (self, "%s: line %zu: a quoted field is not closed at the end of the file",
                self->name, self->record_line);
    csv_free (&parser);
    if (!self->failed && !self->header_done)
        s_fail (self, "%s: empty file: a header row naming the columns is needed", self->name);
    return self->failed ? -1 : 0;
}

/*  cli_import — `plenary register --meeting M --csv FILE`: bulk registration
    from the secretariat's spreadsheet export.

    The file is read whole (at most CLI_IMPORT_BYTES_MAX) and parsed with
    libcsv: a header row, then one participant per row.  UTF-8 with or
    without a byte-order mark, quoted fields with commas and line breaks,
    CRLF or LF; empty lines are skipped.  Header cells name the columns
    after the register flags, matched ignoring case, spaces, '-' and '_'
    ("Family Name" is family_name), with a few spreadsheet synonyms
    (Surname, First name, Organisation); unknown columns are reported as a
    warning, never silently dropped.  A missing required column, or two
    columns for the same field, is an error before anything is published.

    Each row becomes one participant.registered event whose event id is
    derived from the row alone: a SHA-1 of the meeting and the row's values
    of the recognised columns, normalised as published ("Head of
    delegation" is head) and taken field by field in the fixed order of
    s_id_fields, whatever the file's column order and whatever line the row
    is on.  Importing the same file again, or an edited copy, publishes the
    same id for every unchanged row: the broker answers "duplicate" with
    the first sequence number, the report says "already imported (pN)",
    and nobody is registered twice; only corrected or new rows are new
    events.  Two identical rows in one file would share an id: the second
    is rejected here as the same row as the first's line.  Rows the schema refuses are rejected here (with
    their line and the field), the others are published pipelined
    (pl_client_publish_many), then the records worker's verdict on each is
    collected.  A row applied may still wait, for the admission of its
    delegation as observer or for its focal point's approval: one query of
    the meeting's participants (participant.list, whose waits_for says so)
    after the verdicts tells these rows apart, and the report counts them as
    pending.  A progress bar shows on a terminal (stderr), and the command
    ends with a per-row report; exit 0 when every row was accepted (pending
    ones included), 1 when any was rejected. */
#include "cli_util.h"
#include "pl_schema.h"

#include <assert.h>
#include <csv.h>
#include <czmq.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Largest file read: a registration export of 100,000 rows is ~20 MB.
#define CLI_IMPORT_BYTES_MAX (64 * 1024 * 1024)
//  Most rows in one file: participant.list answers up to 200,000.
#define CLI_IMPORT_ROWS_MAX 100000
//  Most columns in the header.
#define CLI_IMPORT_COLUMNS_MAX 64
//  Events in flight while publishing: enough to keep the broker's group
//  commit full, small enough to bound memory (each holds a payload).
#define CLI_IMPORT_WINDOW 500

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

//  The fields a row's event id is derived from, in this order.  Never
//  reorder or rename: that would change every id, and a re-import of an
//  old file would register its rows again.
static const char *s_id_fields [] = {
    "family_name", "given_name", "delegation", "function", "gender", "email",
    "sponsored", "title", "position", "organization", "note", "focal_point", NULL
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

//  One data row of the file.
typedef struct {
    size_t line;                //  line of the file where the row starts
    json_t *payload;            //  NULL once handed to the client, or when refused
    char verdict [16];          //  applied, pending, duplicate, rejected
    char reason [PL_REASON_MAX + 1];
    char id [32];               //  p42 when applied
    char *waits_for;            //  pending: what it waits for (owned); else NULL
    char event_id [48];         //  csv-<SHA-1 of the meeting and the row's values>
    uint64_t seq;
    int published;              //  got an ACK
    char who [300];             //  "Dupont, Anne (FR)" for the report
} s_row_t;

//  The import of one file.
typedef struct {
    cli_t *cli;
    const char *path;
    const char *meeting;
    //  parsing
    json_t *fields;             //  the current record's cells (strings)
    size_t line;                //  line being fed to the parser
    size_t record_line;         //  where the current record began
    int header_done;
    const char *column_field [CLI_IMPORT_COLUMNS_MAX];     //  NULL: unknown
    size_t columns;
    json_t *unknown;            //  names of unknown columns
    s_row_t *rows;
    size_t count;
    size_t capacity;
    int error;                  //  a file-level error was printed
    //  publishing: the rows that have a payload, in order
    size_t *order;
    size_t events;
    size_t acked;
} s_import_t;

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

//  Check the header (SELF->fields) and set the column map.  0 or -1 (printed).
static int
s_header (s_import_t *self)
{
    size_t index;
    json_t *cell;
    if (json_array_size (self->fields) > CLI_IMPORT_COLUMNS_MAX) {
        cli_error ("%s: %zu columns; at most %d", self->path,
                   json_array_size (self->fields), CLI_IMPORT_COLUMNS_MAX);
        return -1;
    }
    json_array_foreach (self->fields, index, cell) {
        const char *header = json_string_value (cell);
        const char *field = s_column_field (header);
        for (size_t j = 0; field && j < index; j++)
            if (self->column_field [j] && strcmp (self->column_field [j], field) == 0) {
                cli_error ("%s: line %zu: columns %zu and %zu both give %s", self->path,
                           self->record_line, j + 1, index + 1, field);
                return -1;
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
        char *header = cli_json_text (self->fields);
        cli_error ("%s: missing required column%s %s (the header row is %s); nothing was "
                   "registered", self->path, strchr (missing, ',') ? "s" : "", missing,
                   header ? header : "unreadable");
        free (header);
        return -1;
    }
    if (json_array_size (self->unknown)) {
        char *names = cli_json_text (self->unknown);
        cli_error ("warning: %s: unknown column%s ignored: %s (known: family_name, given_name, "
                   "delegation, function, gender, email, sponsored, title, position, "
                   "organization, note, focal_point)", self->path,
                   json_array_size (self->unknown) == 1 ? "" : "s", names ? names : "");
        free (names);
    }
    return 0;
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
s_row_id (s_import_t *self, s_row_t *row, const json_t *payload)
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

//  Turn the record in SELF->fields into row ROW's payload, or its rejection.
static void
s_row (s_import_t *self, s_row_t *row)
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
    snprintf (row->verdict, sizeof row->verdict, "rejected");
}

//  libcsv: end of a field.
static void
s_on_field (void *text, size_t length, void *arg)
{
    s_import_t *self = arg;
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
    s_import_t *self = arg;
    if (self->error || s_blank (self->fields))
        ;
    else
    if (!self->header_done) {
        self->header_done = 1;
        if (s_header (self))
            self->error = 1;
    }
    else
    if (self->count == CLI_IMPORT_ROWS_MAX) {
        cli_error ("%s: more than %d rows; split the file", self->path, CLI_IMPORT_ROWS_MAX);
        self->error = 1;
    }
    else {
        if (self->count == self->capacity) {
            size_t capacity = self->capacity ? self->capacity * 2 : 256;
            s_row_t *rows = realloc (self->rows, capacity * sizeof (s_row_t));
            if (!rows) {
                cli_error ("%s: out of memory at line %zu", self->path, self->record_line);
                self->error = 1;
                json_array_clear (self->fields);
                return;
            }
            self->rows = rows;
            self->capacity = capacity;
        }
        s_row_t *row = &self->rows [self->count++];
        memset (row, 0, sizeof *row);
        row->line = self->record_line;
        s_row (self, row);
    }
    json_array_clear (self->fields);
}

//  Read and parse the file into SELF->rows.  0, or -1 (printed).
static int
s_parse_file (s_import_t *self)
{
    FILE *file = fopen (self->path, "rb");
    if (!file) {
        cli_error ("%s: %s", self->path, strerror (errno));
        return -1;
    }
    char *data = malloc (CLI_IMPORT_BYTES_MAX + 1);
    size_t size = data ? fread (data, 1, CLI_IMPORT_BYTES_MAX + 1, file) : 0;
    int read_error = ferror (file);
    fclose (file);
    if (!data || read_error || size > CLI_IMPORT_BYTES_MAX) {
        cli_error ("%s: %s", self->path, !data ? "out of memory" : read_error
                   ? "cannot read it" : "larger than 64 MiB; split the file");
        free (data);
        return -1;
    }
    if (!pl_schema_utf8_valid (data, size)) {
        cli_error ("%s: not UTF-8 text (export the spreadsheet as \"CSV UTF-8\")", self->path);
        free (data);
        return -1;
    }
    size_t at = size >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    struct csv_parser parser;
    csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI);
    //  Feed one line at a time so that each record knows the line it starts
    //  on: a record begins on the line fed while no row is under way.
    self->line = 1;
    self->record_line = 1;
    int rc = 0;
    while (at < size && !self->error) {
        const char *end = memchr (data + at, '\n', size - at);
        size_t length = end ? (size_t) (end - (data + at)) + 1 : size - at;
        //  libcsv's public state: 0 is "row not begun"
        if (parser.pstate == 0)
            self->record_line = self->line;
        if (csv_parse (&parser, data + at, length, s_on_field, s_on_record, self) != length) {
            cli_error ("%s: line %zu: %s", self->path, self->line,
                       csv_strerror (csv_error (&parser)));
            rc = -1;
            break;
        }
        at += length;
        self->line++;
    }
    if (rc == 0 && !self->error
    &&  csv_fini (&parser, s_on_field, s_on_record, self) != 0) {
        cli_error ("%s: line %zu: a quoted field is not closed at the end of the file",
                   self->path, self->record_line);
        rc = -1;
    }
    csv_free (&parser);
    free (data);
    if (rc == 0 && !self->error && !self->header_done) {
        cli_error ("%s: empty file: a header row naming the columns is needed", self->path);
        rc = -1;
    }
    return rc || self->error ? -1 : 0;
}

//  pl_next_fn: the event of the INDEXth row that has a payload.
static int
s_next (void *arg, size_t index, pl_event_t *event)
{
    s_import_t *self = arg;
    s_row_t *row = &self->rows [self->order [index]];
    snprintf (event->topic, sizeof event->topic, "participant.registered");
    snprintf (event->event_id, sizeof event->event_id, "%s", row->event_id);
    event->payload = row->payload;
    row->payload = NULL;
    return 0;
}

//  pl_ack_fn
static void
s_on_ack (void *arg, size_t index, int status, const pl_ack_t *ack, const char *err)
{
    s_import_t *self = arg;
    s_row_t *row = &self->rows [self->order [index]];
    if (status == 200 && ack) {
        row->seq = ack->seq;
        row->published = 1;
        if (ack->duplicate)
            snprintf (row->verdict, sizeof row->verdict, "duplicate");
    }
    else {
        snprintf (row->verdict, sizeof row->verdict, "rejected");
        snprintf (row->reason, sizeof row->reason, "the broker refused it: %s",
                  err ? err : "no reason given");
    }
    cli_progress ("rows published", ++self->acked, self->events);
}

//  Reject each row identical to an earlier one (the same event id) as
//  the same row as the earlier one's line.  0, or -1 (out of memory, printed).
static int
s_same_rows (s_import_t *self)
{
    zhashx_t *seen = zhashx_new ();
    if (!seen) {
        cli_error ("out of memory");
        return -1;
    }
    for (size_t i = 0; i < self->count; i++) {
        s_row_t *row = &self->rows [i];
        if (!row->payload)
            continue;
        s_row_t *first = zhashx_lookup (seen, row->event_id);
        if (first) {
            json_decref (row->payload);
            row->payload = NULL;
            snprintf (row->verdict, sizeof row->verdict, "rejected");
            snprintf (row->reason, sizeof row->reason,
                      "the same row as line %zu (imported once)", first->line);
        }
        else
        if (zhashx_insert (seen, row->event_id, row)) {
            zhashx_destroy (&seen);
            cli_error ("out of memory");
            return -1;
        }
    }
    zhashx_destroy (&seen);
    return 0;
}

//  The rows applied that wait for something (the meeting's participants
//  as the records worker answers participant.list, with waits_for) become
//  pending.  When the list cannot be read, the rows stay applied and a
//  warning says their status is unknown.
static void
s_standing (s_import_t *self, pl_client_t *client)
{
    size_t applied = 0;
    for (size_t i = 0; i < self->count; i++)
        applied += strcmp (self->rows [i].verdict, "applied") == 0;
    if (applied == 0)
        return;
    json_t *args = json_pack ("{s:s}", "meeting", self->meeting);
    char err [PL_ERR_MAX] = "out of memory";
    int status;
    json_t *reply = args ? pl_client_query (client, "participant.list", args, &status,
                                            err, sizeof err) : NULL;
    json_decref (args);
    if (!reply) {
        cli_error ("warning: cannot read how the %zu rows registered stand (%s); some may be "
                   "pending (plenary participants --meeting %s)", applied, err, self->meeting);
        return;
    }
    json_t *waiting = json_object ();           //  id -> waits_for
    size_t index;
    json_t *item;
    json_array_foreach (json_object_get (reply, "items"), index, item) {
        json_t *waits_for = json_object_get (item, "waits_for");
        const char *id = json_string_value (json_object_get (item, "id"));
        if (waits_for && id)
            json_object_set (waiting, id, waits_for);
    }
    for (size_t i = 0; i < self->count; i++) {
        s_row_t *row = &self->rows [i];
        const char *waits_for = json_string_value (json_object_get (waiting, row->id));
        if (strcmp (row->verdict, "applied") == 0 && waits_for
        &&  (row->waits_for = strdup (waits_for)))
            snprintf (row->verdict, sizeof row->verdict, "pending");
    }
    json_decref (waiting);
    json_decref (reply);
}

//  Publish the rows that have a payload and collect the records worker's
//  verdict on each.  0, or -1 when the broker could not be reached (printed).
static int
s_publish (s_import_t *self)
{
    self->order = calloc (self->count ? self->count : 1, sizeof (size_t));
    if (!self->order) {
        cli_error ("out of memory");
        return -1;
    }
    if (s_same_rows (self))
        return -1;
    for (size_t i = 0; i < self->count; i++)
        if (self->rows [i].payload)
            self->order [self->events++] = i;
    if (self->events == 0)
        return 0;
    pl_client_t *client = cli_client (self->cli);
    if (!client)
        return -1;
    int rc = pl_client_publish_many (client, self->events, CLI_IMPORT_WINDOW,
                                     s_next, s_on_ack, self);
    if (rc)
        cli_error ("the broker at %s stopped answering; rows without an answer are marked "
                   "rejected, and importing the file again is safe", self->cli->config.endpoint);
    //  Verdicts: one receipt per published row, in order
    for (size_t i = 0; i < self->events && !cli_interrupted (); i++) {
        s_row_t *row = &self->rows [self->order [i]];
        if (row->published) {
            char verdict [16], err [PL_ERR_MAX];
            int status;
            if (pl_client_receipt (client, row->seq, "records", self->cli->timeout_ms,
                                   verdict, sizeof verdict, row->reason, sizeof row->reason,
                                   &status, err, sizeof err)) {
                snprintf (row->verdict, sizeof row->verdict, "rejected");
                snprintf (row->reason, sizeof row->reason,
                          "event seq %llu is in the log, but no verdict from records: %s",
                          (unsigned long long) row->seq, err);
            }
            else
            if (strcmp (verdict, "applied") == 0) {
                snprintf (row->id, sizeof row->id, "p%llu", (unsigned long long) row->seq);
                if (!*row->verdict)
                    snprintf (row->verdict, sizeof row->verdict, "applied");
            }
            else
                snprintf (row->verdict, sizeof row->verdict, "rejected");
        }
        cli_progress ("verdicts", i + 1, self->events);
    }
    s_standing (self, client);
    pl_client_destroy (&client);
    return 0;
}

//  Print the per-row report (text or JSON).  Returns the exit code.
static int
s_report (s_import_t *self, int as_json)
{
    size_t applied = 0, pending = 0, duplicates = 0, rejected = 0;
    json_t *items = json_array ();
    for (size_t i = 0; i < self->count; i++) {
        s_row_t *row = &self->rows [i];
        if (!*row->verdict)
            snprintf (row->verdict, sizeof row->verdict, "rejected");
        int is_rejected = strcmp (row->verdict, "rejected") == 0;
        if (is_rejected && !*row->reason)
            snprintf (row->reason, sizeof row->reason, "interrupted before its verdict");
        applied += strcmp (row->verdict, "applied") == 0;
        pending += strcmp (row->verdict, "pending") == 0;
        duplicates += strcmp (row->verdict, "duplicate") == 0;
        rejected += is_rejected;
        if (as_json)
            json_array_append_new (items, json_pack (
                "{s:I, s:I, s:s, s:s?, s:s?, s:s?, s:s}", "line", (json_int_t) row->line,
                "row", (json_int_t) i + 1, "verdict", row->verdict,
                "id", *row->id ? row->id : NULL, "reason", is_rejected ? row->reason : NULL,
                "waits_for", row->waits_for, "participant", row->who));
        else
        if (is_rejected)
            cli_print ("line %zu: rejected: %s%s%s\n", row->line, *row->who ? row->who : "",
                       *row->who ? ": " : "", row->reason);
        else
        if (strcmp (row->verdict, "applied") == 0)
            cli_print ("line %zu: registered %s %s\n", row->line, row->id, row->who);
        else
        if (strcmp (row->verdict, "pending") == 0)
            cli_print ("line %zu: pending %s %s: waits for %s\n", row->line, row->id, row->who,
                       row->waits_for);
        else
            cli_print ("line %zu: already imported (%s) %s\n", row->line, row->id, row->who);
    }
    if (as_json) {
        json_t *out = json_pack ("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:O, s:o}",
                                 "file", self->path, "meeting", self->meeting,
                                 "rows", (json_int_t) self->count,
                                 "accepted", (json_int_t) applied,
                                 "pending", (json_int_t) pending,
                                 "duplicates", (json_int_t) duplicates,
                                 "rejected", (json_int_t) rejected,
                                 "unknown_columns", self->unknown, "items", items);
        cli_json (out);
        json_decref (out);
    }
    else {
        json_decref (items);
        cli_print ("%zu row%s: %zu registered, %zu pending, %zu already imported, %zu rejected\n",
                   self->count, self->count == 1 ? "" : "s", applied, pending, duplicates,
                   rejected);
    }
    if (rejected)
        cli_error ("%zu of %zu rows rejected (see the report above)", rejected, self->count);
    return rejected ? CLI_FAILED : CLI_OK;
}

static const cli_flag_t s_import_flags [] = {
    { "meeting", "meeting", 1, 1 },
    { "csv",     NULL,      1, 1 },
    { "json",    NULL,      0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_import_help =
    "usage: plenary register --meeting M --csv FILE [--json]\n"
    "\n"
    "Registers every row of FILE, a spreadsheet saved as CSV (UTF-8, with or without\n"
    "a byte-order mark; commas; quoted cells may hold commas and line breaks).  The\n"
    "header row names the columns after the register flags, in any order and any\n"
    "case, with spaces, '-' or '_' alike: family_name and delegation are required;\n"
    "given_name, function (head, alternate, adviser, expert; \"Head of delegation\"),\n"
    "gender (f, m, x; Female, Male), email, sponsored (yes/no), title, position,\n"
    "organization, note and focal_point are optional.  Unknown columns are reported\n"
    "and ignored; empty lines are skipped.\n"
    "\n"
    "Each row is one participant.registered event whose id comes from the meeting\n"
    "and the row's own values (not its line): importing the same file again, or a\n"
    "corrected copy of it, registers nobody twice; unchanged rows read \"already\n"
    "imported (pN)\" and only corrected or new rows are registered.  A row that\n"
    "repeats an earlier row of the file is rejected as the same row as that line.\n"
    "A progress bar shows on a terminal.  The report gives every row's line and\n"
    "verdict: registered, pending (recorded, but waiting for the admission of its\n"
    "delegation as observer or for its focal point's approval: \"line 5: pending p7\n"
    "Maurer (ICRC): waits for the admission of ICRC as observer to ccm-msp13\"),\n"
    "already imported, or rejected with the reason; then the count of each.  With\n"
    "--json one document {file, meeting, rows, accepted, pending, duplicates,\n"
    "rejected, unknown_columns, items: [{line, row, verdict, id, reason, waits_for,\n"
    "participant}]}, verdict applied, pending, duplicate or rejected.\n"
    "\n"
    "Exit 0 when every row was accepted (pending rows included), 1 when any row was\n"
    "rejected or the file cannot be used (a missing required column: then nothing\n"
    "is registered).\n"
    "\n"
    "example:\n"
    "  plenary register --meeting ccm-msp13 --csv registrations.csv\n"
    "  head -2 registrations.csv\n"
    "    Family Name,Given Name,Delegation,Function,Gender,E-mail,Sponsored\n"
    "    王,小明,CN,Head of delegation,M,wang@example.cn,no\n";

int
cli_import (cli_t *cli, int argc, char **argv)
{
    cli_args_t args;
    int rc = cli_parse (cli, s_import_flags, argc, argv, &args);
    if (rc || args.help) {
        if (args.help)
            cli_print ("%s", s_import_help);
        return rc;
    }
    if (args.argc > 0)
        return cli_usage (cli, "unexpected argument '%s'", args.argv [0]);
    json_t *check = cli_payload (cli, &args, "participant.registered");
    if (!check)
        return CLI_USAGE;
    //  Check --meeting now (with stand-in names) so that a bad id is a usage error
    char err [PL_ERR_MAX];
    json_object_set_new (check, "family_name", json_string ("x"));
    json_object_set_new (check, "delegation", json_string ("FR"));
    if (pl_schema_validate (pl_schema_find ("participant.registered"), check, err, sizeof err)) {
        json_decref (check);
        return cli_invalid (cli, &args, err);
    }
    json_decref (check);

    s_import_t self;
    memset (&self, 0, sizeof self);
    self.cli = cli;
    self.path = cli_value (&args, "csv");
    self.meeting = cli_value (&args, "meeting");
    self.fields = json_array ();
    self.unknown = json_array ();
    cli_signals_init ();
    rc = s_parse_file (&self);
    if (rc == 0)
        rc = s_publish (&self);
    rc = rc ? CLI_FAILED : s_report (&self, cli_value (&args, "json") != NULL);
    for (size_t i = 0; i < self.count; i++) {
        json_decref (self.rows [i].payload);
        free (self.rows [i].waits_for);
    }
    free (self.rows);
    free (self.order);
    json_decref (self.fields);
    json_decref (self.unknown);
    return rc;
}

/*  fuzz_csv — libFuzzer target for the spreadsheet import's rows
    (clients/cli_csv.c: libcsv, header matching, one row to a
    participant.registered payload).

    The input is a whole file as `plenary register --csv` reads it.
    Whatever it is, the parse gives rows and succeeds, or fails with a
    reason, never a crash, a leak or a hang, and:
    - a failure has a reason, a success none;
    - rows come in the file's order (their lines never go back);
    - a row has a payload or a reason, not both; the reason and the
      report's name ("who") are valid UTF-8 (they go into the --json
      report) and the name is one line;
    - a payload is one the schema accepts, for the meeting given, with its
      keys in the fixed order (meeting, then the id fields), and an event
      id csv-<40 hex digits>;
    - the payload written back as a file of its own (its fields as the
      header, in reverse order, every value quoted) parses to one row with
      the same payload and the same event id: the id does not depend on
      the line or the column order.
    Build with clang and -DPL_FUZZ=ON; the seeds are in tests/fuzz/csv:
        build-fuzz/fuzz_csv -max_total_time=60 tests/fuzz/csv */
#include "cli_csv.h"
#include "pl_schema.h"

#include <czmq.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define S_MEETING "ccm-msp13"

//  The order of a payload's keys after "meeting" (cli_csv.h), written out
//  again here so that a change of cli_csv.c's is a failure to look at.
static const char *s_order [] = {
    "family_name", "given_name", "delegation", "function", "gender", "email",
    "sponsored", "title", "position", "organization", "note", "focal_point",
    "language", NULL
};

//  What one parse gave.
typedef struct {
    size_t rows;
    size_t last_line;
    json_t *payload;            //  the first row's, when it has one
    char event_id [48];
} s_seen_t;

//  PAYLOAD's keys are "meeting", then some of s_order, in that order.
static int
s_ordered (const json_t *payload)
{
    const char *key;
    json_t *value;
    size_t next = 0;
    int first = 1;
    json_object_foreach ((json_t *) payload, key, value) {
        if (first) {
            if (strcmp (key, "meeting"))
                return 0;
            first = 0;
            continue;
        }
        while (s_order [next] && strcmp (s_order [next], key))
            next++;
        if (!s_order [next])
            return 0;
        next++;
    }
    return !first;
}

static int
s_hex_id (const char *id)
{
    if (strncmp (id, "csv-", 4) || strlen (id) != 44)
        return 0;
    for (const char *c = id + 4; *c; c++)
        if (!strchr ("0123456789abcdef", *c))
            return 0;
    return 1;
}

//  cli_csv_row_fn: check ROW; keep the first row's payload.
static int
s_on_row (void *arg, cli_csv_row_t *row)
{
    s_seen_t *seen = arg;
    if (row->line == 0 || row->line < seen->last_line)
        abort ();
    seen->last_line = row->line;
    if (!pl_schema_utf8_valid (row->reason, strlen (row->reason))
    ||  !pl_schema_utf8_valid (row->who, strlen (row->who))
    ||  strpbrk (row->who, "\r\n"))
        abort ();
    if (row->payload) {
        char err [PL_ERR_MAX];
        if (*row->reason || !s_hex_id (row->event_id) || !s_ordered (row->payload)
        ||  strcmp (json_string_value (json_object_get (row->payload, "meeting")), S_MEETING)
        ||  pl_schema_validate (pl_schema_find ("participant.registered"), row->payload,
                                err, sizeof err))
            abort ();
        if (seen->rows == 0) {
            seen->payload = row->payload;       //  taken
            row->payload = NULL;
            memcpy (seen->event_id, row->event_id, sizeof seen->event_id);
        }
    }
    else
    if (!*row->reason)
        abort ();
    seen->rows++;
    return 0;
}

//  Append TEXT to BUF as one quoted CSV cell.
static void
s_cell (zchunk_t *buf, const char *text)
{
    zchunk_extend (buf, "\"", 1);
    for (const char *c = text; *c; c++)
        zchunk_extend (buf, *c == '"' ? "\"\"" : c, *c == '"' ? 2 : 1);
    zchunk_extend (buf, "\"", 1);
}

//  Parse SIZE bytes at DATA into SEEN; 0 or -1 as cli_csv_parse.
static int
s_parse (const char *data, size_t size, s_seen_t *seen)
{
    memset (seen, 0, sizeof *seen);
    cli_csv_t *csv = cli_csv_new ("fuzz.csv", S_MEETING);
    if (!csv)
        abort ();
    int rc = cli_csv_parse (csv, data, size, s_on_row, seen);
    if ((rc != 0) != (*cli_csv_error (csv) != 0))
        abort ();
    cli_csv_destroy (&csv);
    return rc;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    s_seen_t seen, again;
    if (s_parse ((const char *) data, size, &seen) || !seen.payload) {
        json_decref (seen.payload);
        return 0;
    }
    //  The first payload as a file: header and values in reverse key order
    const char *keys [16];
    json_t *values [16];
    size_t count = 0;
    const char *key;
    json_t *value;
    json_object_foreach (seen.payload, key, value)
        if (strcmp (key, "meeting")) {
            keys [count] = key;
            values [count++] = value;
        }
    zchunk_t *file = zchunk_new (NULL, 0);
    for (size_t i = count; i-- > 0;) {
        zchunk_extend (file, keys [i], strlen (keys [i]));
        zchunk_extend (file, i ? "," : "\r\n", i ? 1 : 2);
    }
    for (size_t i = count; i-- > 0;) {
        s_cell (file, json_is_string (values [i]) ? json_string_value (values [i])
                    : json_is_true (values [i]) ? "yes" : "no");
        zchunk_extend (file, i ? "," : "\r\n", i ? 1 : 2);
    }
    if (s_parse ((const char *) zchunk_data (file), zchunk_size (file), &again)
    ||  again.rows != 1 || !again.payload || !json_equal (again.payload, seen.payload)
    ||  strcmp (again.event_id, seen.event_id))
        abort ();
    zchunk_destroy (&file);
    json_decref (again.payload);
    json_decref (seen.payload);
    return 0;
}

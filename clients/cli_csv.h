/*  cli_csv — a registration spreadsheet saved as CSV, read into one
    participant.registered payload per row, for `plenary register --csv`
    (cli_import.c).  Bytes in, rows out: it prints nothing and sends
    nothing, so tests/fuzz_csv.c can feed it anything.

    The file is parsed with libcsv: a header row, then one participant per
    row.  UTF-8 with or without a byte-order mark (a byte that is not is
    named with its line), fields separated by commas, or by semicolons when
    the header row has more of them than commas (the European spreadsheets'
    "CSV"), quoted fields with the separator and line breaks, CRLF or LF;
    blank lines are skipped.  Header
    cells name the columns after the register flags, matched ignoring case,
    spaces, '-' and '_' ("Family Name" is family_name), with a few
    spreadsheet synonyms (Surname, First name, Organisation); unknown
    columns are collected for a warning, never silently dropped.  A missing
    required column, or two columns for the same field, is an error of the
    file before any row is given.

    Each row's cells are trimmed, spreadsheet spellings of enumerated values
    read as the schema's ("Head of delegation" is head, "yes" is true), and
    the payload checked against the schema; a row it refuses comes with the
    reason (field and rule).  A payload's keys are in a fixed order (meeting,
    then the fields below), whatever the file's column order, and its event
    id is derived from it alone: "csv-" and the SHA-1, in hex, of the meeting
    and, for each field present in the order family_name, given_name,
    delegation, function, gender, email, sponsored, title, position,
    organization, note, focal_point, language, its name and its value as
    compact JSON, each followed by a NUL.  So the same row, on any line and
    in any column order, is the same event.

        cli_csv_t *csv = cli_csv_new ("delegates.csv", "ccm-msp13");
        if (!csv || cli_csv_parse (csv, data, size, s_on_row, self))
            ... cli_csv_error (csv) says why (NULL csv: out of memory)
        cli_csv_destroy (&csv); */
#ifndef CLI_CSV_H_INCLUDED
#define CLI_CSV_H_INCLUDED

#include <jansson.h>
#include <stddef.h>
#include "pl_proto.h"

//  Most data rows in one file: participant.list answers up to 200,000.
#define CLI_CSV_ROWS_MAX 100000
//  Most columns in the header.
#define CLI_CSV_COLUMNS_MAX 64

typedef struct _cli_csv_t cli_csv_t;

//  One data row of the file, as given to a cli_csv_row_fn.
typedef struct {
    size_t line;                //  line of the file where the row starts
    json_t *payload;            //  the event's payload, or NULL when refused;
                                //  the function may take it (and set it NULL)
    char reason [PL_REASON_MAX + 1];    //  why it was refused; "" when not
    char event_id [48];         //  csv-<SHA-1>, when not refused
    char who [300];             //  "Dupont, Anne (FR)", one line, for a report
} cli_csv_row_t;

//  Called for each data row, in the file's order.  0, or -1 to stop the
//  parse (out of memory: the file's error says so at the row's line).
typedef int (cli_csv_row_fn) (void *arg, cli_csv_row_t *row);

//  A parser for the file NAME (used in messages only) of registrations to
//  MEETING (a meeting id the schema accepts).  Both are copied.  NULL when
//  out of memory.
cli_csv_t *cli_csv_new (const char *name, const char *meeting);

//  Destroy the parser; NULL-safe, sets *SELF_P to NULL.
void cli_csv_destroy (cli_csv_t **self_p);

//  Parse the whole file, DATA of SIZE bytes (need not end in NUL), calling
//  FN with ARG for each data row.  Once per parser.  0, or -1 when the
//  file cannot be used (not UTF-8, a bad header, an unclosed quote, too
//  many rows, no header at all): cli_csv_error says why, and rows already
//  given must not be published.
int cli_csv_parse (cli_csv_t *self, const char *data, size_t size, cli_csv_row_fn *fn,
                   void *arg);

//  Why the parse failed, naming the file and the line ("delegates.csv:
//  line 3: ..."); "" when it did not.  Borrowed from SELF.
const char *cli_csv_error (const cli_csv_t *self);

//  The names of the header's unknown columns (a JSON array of strings,
//  borrowed from SELF: do not change it), once the header was accepted;
//  empty until then and when it was not.
json_t *cli_csv_unknown (const cli_csv_t *self);

#endif

/*  cli_import — `plenary register --meeting M --csv FILE`: bulk registration
    from the secretariat's spreadsheet export.

    The file is read whole (at most CLI_IMPORT_BYTES_MAX) and read into one
    participant.registered payload per row by cli_csv (libcsv; header
    matching, spreadsheet spellings, the schema's check; see cli_csv.h).
    Unknown columns are reported as a warning, never silently dropped.  A
    file cli_csv cannot use (a missing required column, two columns for the
    same field, an unclosed quote) is an error before anything is published.

    Each row becomes one participant.registered event whose event id is
    derived from the row alone: a SHA-1 of the meeting and the row's values
    of the recognised columns, normalised as published ("Head of
    delegation" is head) and taken field by field in a fixed order
    (cli_csv.h), whatever the file's column order and whatever line the row
    is on.  Importing the same file again, or an edited copy, publishes the
    same id for every unchanged row: the broker answers "duplicate" with
    the first sequence number, the report says "already imported (pN)",
    and nobody is registered twice; only corrected or new rows are new
    events.  Two identical rows in one file would share an id: the second
    is rejected here as the same row as the first's line.  Rows the schema
    refuses are rejected here (with their line and the field), the others are published pipelined
    (pl_client_publish_many), then the records worker's verdict on each is
    collected.  A row applied may still wait, for the admission of its
    delegation as observer or for its focal point's approval: one query of
    the meeting's participants (participant.list, whose waits_for says so)
    after the verdicts tells these rows apart, and the report counts them as
    pending.  A progress bar shows on a terminal (stderr), and the command
    ends with a report: the rows rejected or pending, every row with
    --verbose, and the counts; exit 0 when every row was accepted (pending
    ones included), 1 when any was rejected. */
#include "cli_csv.h"
#include "cli_util.h"
#include "pl_schema.h"

#include <czmq.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Largest file read: a registration export of 100,000 rows is ~20 MB.
#define CLI_IMPORT_BYTES_MAX (64 * 1024 * 1024)
//  Events in flight while publishing: enough to keep the broker's group
//  commit full, small enough to bound memory (each holds a payload).
#define CLI_IMPORT_WINDOW 500

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
    json_t *unknown;            //  names of unknown columns
    s_row_t *rows;
    size_t count;
    size_t capacity;
    //  publishing: the rows that have a payload, in order
    size_t *order;
    size_t events;
    size_t acked;
} s_import_t;

//  cli_csv_row_fn: keep ROW (taking its payload) as SELF's next row.
static int
s_on_row (void *arg, cli_csv_row_t *row)
{
    s_import_t *self = arg;
    if (self->count == self->capacity) {
        size_t capacity = self->capacity ? self->capacity * 2 : 256;
        s_row_t *rows = realloc (self->rows, capacity * sizeof (s_row_t));
        if (!rows)
            return -1;
        self->rows = rows;
        self->capacity = capacity;
    }
    s_row_t *mine = &self->rows [self->count++];
    memset (mine, 0, sizeof *mine);
    mine->line = row->line;
    mine->payload = row->payload;
    row->payload = NULL;
    if (!mine->payload)
        snprintf (mine->verdict, sizeof mine->verdict, "rejected");
    memcpy (mine->reason, row->reason, sizeof mine->reason);
    memcpy (mine->event_id, row->event_id, sizeof mine->event_id);
    memcpy (mine->who, row->who, sizeof mine->who);
    return 0;
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
    cli_csv_t *csv = cli_csv_new (self->path, self->meeting);
    int rc = csv ? cli_csv_parse (csv, data, size, s_on_row, self) : -1;
    free (data);
    //  the unknown columns of a header that was accepted, before what
    //  went wrong after it
    if (csv && json_array_size (cli_csv_unknown (csv))) {
        json_array_extend (self->unknown, cli_csv_unknown (csv));
        char *names = cli_json_text (self->unknown);
        cli_error ("warning: %s: unknown column%s ignored: %s (known: family_name, given_name, "
                   "delegation, function, gender, email, sponsored, title, position, "
                   "organization, note, focal_point)", self->path,
                   json_array_size (self->unknown) == 1 ? "" : "s", names ? names : "");
        free (names);
    }
    if (rc)
        cli_error ("%s", csv ? cli_csv_error (csv) : "out of memory");
    cli_csv_destroy (&csv);
    return rc;
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
    cli_progress (self->cli, "rows published", ++self->acked, self->events);
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
    json_t *reply = args ? pl_client_query_all (client, "participant.list", args, &status,
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
        cli_progress (self->cli, "verdicts", i + 1, self->events);
    }
    s_standing (self, client);
    pl_client_destroy (&client);
    return 0;
}

//  Print the per-row report (text or JSON).  Returns the exit code.
static int
s_report (s_import_t *self, int as_json, int verbose)
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
        if (strcmp (row->verdict, "applied") == 0) {
            if (verbose)
                cli_print ("line %zu: registered %s %s\n", row->line, row->id, row->who);
        }
        else
        if (strcmp (row->verdict, "pending") == 0)
            cli_print ("line %zu: pending %s %s: waits for %s\n", row->line, row->id, row->who,
                       row->waits_for);
        else
        if (verbose)
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
    { "verbose", NULL,      0, 0 },
    { NULL, NULL, 0, 0 }
};

static const char *s_import_help =
    "usage: plenary register --meeting M --csv FILE [--verbose] [--json]\n"
    "\n"
    "Registers every row of FILE, a spreadsheet saved as CSV (UTF-8, with or without\n"
    "a byte-order mark; commas, or semicolons when the header row has more of them\n"
    "than commas, as spreadsheets in many European languages save it; quoted cells\n"
    "may hold the separator and line breaks).  A byte that is not UTF-8 (a file\n"
    "saved as Latin-1) is named with its line, and nothing is registered.  The\n"
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
    "A progress bar shows on a terminal (redrawn at most 4 times a second; none\n"
    "with --quiet).  The report gives the line and verdict of each row rejected,\n"
    "with the reason, and of each pending (recorded, but waiting for the admission\n"
    "of its delegation as observer or for its focal point's approval: \"line 5:\n"
    "pending p7 Maurer (ICRC): waits for the admission of ICRC as observer to\n"
    "ccm-msp13\"), with --verbose also of each registered or already imported;\n"
    "then the count of each.  With\n"
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
    //  'register --csv --help': --csv would take --help as its file
    for (int i = 1; i < argc; i++)
        if (strcmp (argv [i], "--help") == 0 || strcmp (argv [i], "-h") == 0) {
            cli_print ("%s", s_import_help);
            return CLI_OK;
        }
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
    self.unknown = json_array ();
    cli_signals_init ();
    rc = s_parse_file (&self);
    if (rc == 0)
        rc = s_publish (&self);
    rc = rc ? CLI_FAILED : s_report (&self, cli_value (&args, "json") != NULL,
                                     cli_value (&args, "verbose") != NULL);
    for (size_t i = 0; i < self.count; i++) {
        json_decref (self.rows [i].payload);
        free (self.rows [i].waits_for);
    }
    free (self.rows);
    free (self.order);
    json_decref (self.unknown);
    return rc;
}

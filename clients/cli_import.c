/*  cli_import — `plenary register --meeting M --csv FILE`: bulk registration
    from the secretariat's spreadsheet export.

    The file is read whole (at most CLI_IMPORT_BYTES_MAX) and read into one
    participant.registered payload per row by cli_csv (libcsv; header
    matching, spreadsheet spellings, the schema's check; see cli_csv.h).
    Unknown columns are reported as a warning, never silently dropped.  A
    file cli_csv cannot use (a missing required column, two columns for the
    same field, an unclosed quote) is an error before anything is published.

    Before anything is published, the meeting's participants are read
    (participant.list, every page) and each row is matched with them as
    the records worker matches a registration with the person it repeats
    (records_store_participant_same): the same e-mail address, or the same
    family and given names in the same delegation, surrounding spaces and
    the case of ASCII letters aside, among the registrations neither
    withdrawn nor rejected (the earliest when two match).  A row of a person
    on record is compared with the person's details, field by field as the
    records worker compares them (a field the row has and the record lacks
    differs; an empty cell changes nothing, and the language, which records
    does not keep, is not compared): when none differs the row is unchanged
    and nothing is published; else it becomes one participant.updated of
    the fields that differ, and the records worker decides it by its rules
    (a change they refuse is reported rejected with its reason).  Its id
    comes from the change and the values it replaces (s_update_id): the
    same file again, the person unchanged since (a refused update), is the
    same event, which the broker answers "duplicate" and adds nothing; an
    update the broker had, applied, is one undone since by hand, and is
    published again with an id of its own.  A second row of one person in the file is rejected.
    So a corrected spreadsheet imported again updates the people whose
    rows changed, and the same file twice publishes nothing the second
    time.

    Every other row becomes one participant.registered event whose event
    id is derived from the row alone: a SHA-1 of the meeting and the row's
    values of the recognised columns, normalised as published ("Head of
    delegation" is head) and taken field by field in a fixed order
    (cli_csv.h), whatever the file's column order and whatever line the row
    is on.  A row published before whose person no longer stands as it
    says (withdrawn, rejected, changed by hand since) is the same event: the
    broker answers "duplicate" with the first sequence number, and the row
    is unchanged (as pN), not registered twice.  Two identical rows in one
    file would share an id: the second is rejected here as the same row as
    the first's line.  Rows the schema refuses are rejected here (with
    their line and the field), the others are published pipelined
    (pl_client_publish_many), then the records worker's verdict on each is
    collected.  A row applied may still wait, for the admission of its
    delegation as observer or for its focal point's approval: one query of
    the meeting's participants (participant.list, whose waits_for says so)
    after the verdicts tells these rows apart, and the report counts them as
    pending.  A progress bar shows on a terminal (stderr), and the command
    ends with a report: the rows rejected, pending or updated (with the
    fields changed), every row with --verbose, and the counts; exit 0 when
    every row was accepted (pending ones included), 1 when any was
    rejected. */
#include "cli_csv.h"
#include "cli_util.h"
#include "pl_schema.h"

#include <ctype.h>
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
    const char *topic;          //  participant.registered, or .updated for a person on record
    char verdict [16];          //  applied, pending, duplicate, updated, unchanged, rejected
    char reason [PL_REASON_MAX + 1];
    char id [32];               //  p42 when applied, or the person it matched
    char *waits_for;            //  pending: what it waits for (owned); else NULL
    json_t *changed;            //  updated: the names of the fields changed (owned)
    char event_id [48];         //  csv-<SHA-1 of the meeting and the row's values>, or
                                //  csv-<random> for an update
    uint64_t seq;
    int published;              //  got an ACK
    int duplicate;              //  the broker had its event id already
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
    mine->topic = "participant.registered";
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
    snprintf (event->topic, sizeof event->topic, "%s", row->topic);
    snprintf (event->event_id, sizeof event->event_id, "%s", row->event_id);
    //  an update is kept, to publish again should the broker have seen it
    //  before (s_again)
    event->payload = row->changed ? json_incref (row->payload) : row->payload;
    if (!row->changed)
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
        row->duplicate = ack->duplicate;
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

//  The fields a row's update may change: every field of the row but the
//  meeting and the language (which participant.updated does not carry:
//  the notify worker keeps it from the registration, records does not),
//  each with the name the report gives it.
static const struct {
    const char *field;
    const char *label;
} s_updated_fields [] = {
    { "family_name", "family name" }, { "given_name", "given name" },
    { "delegation", "delegation" }, { "function", "function" }, { "gender", "gender" },
    { "email", "e-mail" }, { "sponsored", "sponsored" }, { "title", "title" },
    { "position", "position" }, { "organization", "organization" }, { "note", "note" },
    { "focal_point", "focal point" },
};
#define S_UPDATED_FIELDS (sizeof s_updated_fields / sizeof s_updated_fields [0])

//  The key of a person's name or e-mail address as the records worker
//  compares them (records_store_participant_same): surrounding spaces and
//  the case of ASCII letters aside.  PARTS texts (NULL as "") joined by
//  0x1F into a new string; NULL when out of memory.
static char *
s_person_key (const char *parts [], size_t count)
{
    size_t size = 1;
    for (size_t i = 0; i < count; i++)
        size += (parts [i] ? strlen (parts [i]) : 0) + 1;
    char *key = malloc (size);
    if (!key)
        return NULL;
    size_t used = 0;
    for (size_t i = 0; i < count; i++) {
        const char *text = parts [i] ? parts [i] : "";
        size_t length = strlen (text);
        while (length && text [length - 1] == ' ')
            length--;
        while (length && *text == ' ') {
            text++;
            length--;
        }
        for (size_t j = 0; j < length; j++)
            key [used++] = (char) tolower ((unsigned char) text [j]);
        if (i + 1 < count)
            key [used++] = 0x1F;
    }
    key [used] = 0;
    return key;
}

//  In PEOPLE (key -> participant record), KEY (owned, freed here) names
//  PERSON unless an earlier registration (smaller seq) holds it already.
//  0, or -1 when out of memory.
static int
s_index (json_t *people, char *key, json_t *person)
{
    if (!key)
        return -1;
    json_t *held = json_object_get (people, key);
    int rc = 0;
    if (!held || json_integer_value (json_object_get (held, "seq"))
                 > json_integer_value (json_object_get (person, "seq")))
        rc = json_object_set (people, key, person);
    free (key);
    return rc;
}

//  The registration of the meeting, neither withdrawn nor rejected, that
//  PAYLOAD (a row's participant.registered) names by the records worker's
//  rule of the same person (the same e-mail address, or the same names in
//  the same delegation; the earliest when both name one), from BY_EMAIL
//  and BY_NAME; NULL when none.
static json_t *
s_same_person (json_t *by_email, json_t *by_name, const json_t *payload)
{
    const char *email [] = { json_string_value (json_object_get (payload, "email")) };
    const char *name [] = {
        json_string_value (json_object_get (payload, "family_name")),
        json_string_value (json_object_get (payload, "given_name")),
        json_string_value (json_object_get (payload, "delegation"))
    };
    char *email_key = email [0] ? s_person_key (email, 1) : NULL;
    char *name_key = s_person_key (name, 3);
    json_t *one = email_key ? json_object_get (by_email, email_key) : NULL;
    json_t *other = name_key ? json_object_get (by_name, name_key) : NULL;
    free (email_key);
    free (name_key);
    if (!one || (other && json_integer_value (json_object_get (other, "seq"))
                          < json_integer_value (json_object_get (one, "seq"))))
        one = other;
    return one;
}

//  ROW's update's event id: "csv-" and the SHA-1, in hex, of the topic,
//  the meeting, the participant and, for each field changed, its name, its
//  value and the value it replaces (PERSON's), as compact JSON ("" when
//  absent), each followed by a NUL.  The same row imported again while
//  the person is still as it was (the update refused by the records
//  worker, or not applied yet) is the same event.  0, or -1 when out of
//  memory.
static int
s_update_id (s_row_t *row, const char *meeting, const json_t *person)
{
    zdigest_t *digest = zdigest_new ();
    if (!digest)
        return -1;
    const char *heads [] = { row->topic, meeting, row->id };
    for (size_t i = 0; i < 3; i++)
        zdigest_update (digest, (const byte *) heads [i], strlen (heads [i]) + 1);
    int rc = 0;
    size_t index;
    const json_t *name;
    json_array_foreach (row->changed, index, name) {
        const char *field = json_string_value (name);
        char *value = json_dumps (json_object_get (row->payload, field),
                                  JSON_ENCODE_ANY | JSON_COMPACT);
        const json_t *held = json_object_get (person, field);
        char *before = held ? json_dumps (held, JSON_ENCODE_ANY | JSON_COMPACT) : strdup ("");
        if (value && before) {
            zdigest_update (digest, (const byte *) field, strlen (field) + 1);
            zdigest_update (digest, (const byte *) value, strlen (value) + 1);
            zdigest_update (digest, (const byte *) before, strlen (before) + 1);
        }
        else
            rc = -1;
        free (value);
        free (before);
    }
    snprintf (row->event_id, sizeof row->event_id, "csv-%s", zdigest_string (digest));
    for (char *c = row->event_id; *c; c++)
        *c = (char) tolower ((unsigned char) *c);
    zdigest_destroy (&digest);
    return rc;
}

//  ROW matched PERSON (a participant record): the fields of ROW that
//  differ from PERSON's (a field PERSON lacks differs, as the records
//  worker compares them) into ROW->changed; when there are any, ROW's
//  payload becomes the participant.updated that changes them (its id from
//  s_update_id), else ROW is unchanged.  0, or -1 when out of
//  memory.
static int
s_update_row (s_row_t *row, const char *meeting, const json_t *person)
{
    const char *id = json_string_value (json_object_get (person, "id"));
    snprintf (row->id, sizeof row->id, "%s", id ? id : "");
    json_t *update = json_pack ("{s:s, s:s}", "meeting", meeting, "participant", row->id);
    row->changed = json_array ();
    if (!update || !row->changed) {
        json_decref (update);
        return -1;
    }
    for (size_t i = 0; i < S_UPDATED_FIELDS; i++) {
        json_t *value = json_object_get (row->payload, s_updated_fields [i].field);
        json_t *held = json_object_get (person, s_updated_fields [i].field);
        if (value && !(held && json_equal (held, value))
        &&  (json_object_set (update, s_updated_fields [i].field, value)
        ||   json_array_append_new (row->changed, json_string (s_updated_fields [i].field)))) {
            json_decref (update);
            return -1;
        }
    }
    json_decref (row->payload);
    row->payload = NULL;
    if (json_array_size (row->changed) == 0) {
        json_decref (update);
        snprintf (row->verdict, sizeof row->verdict, "unchanged");
        return 0;
    }
    row->payload = update;
    row->topic = "participant.updated";
    return s_update_id (row, meeting, person);
}

//  Match each row that has a payload with the meeting's participants
//  (PEOPLE, a participant.list reply's items), as the records worker
//  matches a registration with the person it repeats: a row of a person
//  on record updates what changed (s_update_row) or is unchanged; a
//  second row of the same person in the file is rejected; the others
//  register.  0, or -1 when out of memory (printed).
static int
s_match (s_import_t *self, const json_t *people)
{
    json_t *by_email = json_object (), *by_name = json_object (), *claimed = json_object ();
    int rc = by_email && by_name && claimed ? 0 : -1;
    size_t index;
    json_t *person;
    json_array_foreach (people, index, person) {
        const char *status = json_string_value (json_object_get (person, "status"));
        if (rc || !status || strcmp (status, "withdrawn") == 0 || strcmp (status, "rejected") == 0)
            continue;
        const char *email [] = { json_string_value (json_object_get (person, "email")) };
        const char *name [] = {
            json_string_value (json_object_get (person, "family_name")),
            json_string_value (json_object_get (person, "given_name")),
            json_string_value (json_object_get (person, "delegation"))
        };
        if ((email [0] && s_index (by_email, s_person_key (email, 1), person))
        ||  s_index (by_name, s_person_key (name, 3), person))
            rc = -1;
    }
    for (size_t i = 0; i < self->count && rc == 0; i++) {
        s_row_t *row = &self->rows [i];
        person = row->payload ? s_same_person (by_email, by_name, row->payload) : NULL;
        if (!person)
            continue;
        const char *id = json_string_value (json_object_get (person, "id"));
        json_t *first = json_object_get (claimed, id ? id : "");
        if (first) {
            json_decref (row->payload);
            row->payload = NULL;
            snprintf (row->verdict, sizeof row->verdict, "rejected");
            snprintf (row->reason, sizeof row->reason, "the same person (%s) as line %lld; "
                      "one row a person", id, (long long) json_integer_value (first));
        }
        else
        if (!id || json_object_set_new (claimed, id, json_integer ((json_int_t) row->line))
        ||  s_update_row (row, self->meeting, person))
            rc = -1;
    }
    json_decref (by_email);
    json_decref (by_name);
    json_decref (claimed);
    if (rc)
        cli_error ("out of memory");
    return rc;
}

//  The meeting's participants, every status, into *PEOPLE (the items of
//  participant.list; an empty array when the meeting does not exist: the
//  records worker's verdict on each row says so).  0, or -1 when they
//  cannot be read (printed: nothing is published).
static int
s_people (s_import_t *self, pl_client_t *client, json_t **people)
{
    json_t *args = json_pack ("{s:s}", "meeting", self->meeting);
    char err [PL_ERR_MAX] = "out of memory";
    int status = 0;
    json_t *reply = args ? pl_client_query_all (client, "participant.list", args, &status,
                                                err, sizeof err) : NULL;
    json_decref (args);
    *people = reply ? json_incref (json_object_get (reply, "items"))
            : status == 404 ? json_array () : NULL;
    json_decref (reply);
    if (*people)
        return 0;
    cli_error ("cannot read the participants of %s to match the rows with them: %s; nothing "
               "was registered", self->meeting, err);
    return -1;
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

//  ROW's update was applied.  When the broker had it already (the same
//  change of the same values, made once before, and undone since), it is
//  published again with an id of its own, and its verdict taken.
static void
s_again (s_import_t *self, pl_client_t *client, s_row_t *row)
{
    snprintf (row->verdict, sizeof row->verdict, "updated");
    if (!row->duplicate)
        return;
    char event_id [33], verdict [16], err [PL_ERR_MAX];
    pl_client_random_id (event_id);
    pl_ack_t ack;
    int status;
    if (pl_client_publish (client, row->topic, event_id, row->payload, &ack, &status,
                           err, sizeof err)
    ||  pl_client_receipt (client, ack.seq, "records", self->cli->timeout_ms, verdict,
                           sizeof verdict, row->reason, sizeof row->reason, &status,
                           err, sizeof err)) {
        snprintf (row->verdict, sizeof row->verdict, "rejected");
        snprintf (row->reason, sizeof row->reason, "publishing the update again: %s", err);
    }
    else
    if (strcmp (verdict, "applied") != 0)
        snprintf (row->verdict, sizeof row->verdict, "rejected");
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
    pl_client_t *client = cli_client (self->cli);
    if (!client)
        return -1;
    json_t *people = NULL;
    if (s_people (self, client, &people) || s_match (self, people)) {
        json_decref (people);
        pl_client_destroy (&client);
        return -1;
    }
    json_decref (people);
    for (size_t i = 0; i < self->count; i++)
        if (self->rows [i].payload)
            self->order [self->events++] = i;
    if (self->events == 0) {
        pl_client_destroy (&client);
        return 0;
    }
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
            if (strcmp (verdict, "applied") == 0 && row->changed)
                s_again (self, client, row);
            else
            if (strcmp (verdict, "applied") == 0) {
                snprintf (row->id, sizeof row->id, "p%llu", (unsigned long long) row->seq);
                //  a registration imported before, of a person this file's
                //  row no longer names as on record (since changed by hand,
                //  withdrawn or rejected): changed by nothing here
                snprintf (row->verdict, sizeof row->verdict, "%s",
                          *row->verdict ? "unchanged" : "applied");
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

//  The fields CHANGED names (field names), as the report gives them
//  ("function, e-mail"), into BUF.
static void
s_changes (const json_t *changed, char *buf, size_t size)
{
    size_t index, used = 0;
    const json_t *name;
    *buf = 0;
    json_array_foreach (changed, index, name)
        for (size_t i = 0; i < S_UPDATED_FIELDS && used < size; i++)
            if (strcmp (s_updated_fields [i].field, json_string_value (name)) == 0)
                used += (size_t) snprintf (buf + used, size - used, "%s%s", index ? ", " : "",
                                           s_updated_fields [i].label);
}

//  Print the per-row report (text or JSON).  Returns the exit code.
static int
s_report (s_import_t *self, int as_json, int verbose)
{
    size_t applied = 0, pending = 0, updated = 0, unchanged = 0, rejected = 0;
    json_t *items = json_array ();
    for (size_t i = 0; i < self->count; i++) {
        s_row_t *row = &self->rows [i];
        if (!*row->verdict)
            snprintf (row->verdict, sizeof row->verdict, "rejected");
        int is_rejected = strcmp (row->verdict, "rejected") == 0;
        int is_updated = strcmp (row->verdict, "updated") == 0;
        if (is_rejected && !*row->reason)
            snprintf (row->reason, sizeof row->reason, "interrupted before its verdict");
        applied += strcmp (row->verdict, "applied") == 0;
        pending += strcmp (row->verdict, "pending") == 0;
        updated += is_updated;
        unchanged += strcmp (row->verdict, "unchanged") == 0;
        rejected += is_rejected;
        char changes [256];
        s_changes (row->changed, changes, sizeof changes);
        if (as_json)
            json_array_append_new (items, json_pack (
                "{s:I, s:I, s:s, s:s?, s:s?, s:s?, s:O?, s:s}", "line", (json_int_t) row->line,
                "row", (json_int_t) i + 1, "verdict", row->verdict,
                "id", *row->id ? row->id : NULL, "reason", is_rejected ? row->reason : NULL,
                "waits_for", row->waits_for, "changed", is_updated ? row->changed : NULL,
                "participant", row->who));
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
        if (is_updated)
            cli_print ("line %zu: updated %s %s: %s\n", row->line, row->id, row->who, changes);
        else
        if (verbose)
            cli_print ("line %zu: unchanged %s %s\n", row->line, row->id, row->who);
    }
    if (as_json) {
        json_t *out = json_pack ("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:O, s:o}",
                                 "file", self->path, "meeting", self->meeting,
                                 "rows", (json_int_t) self->count,
                                 "accepted", (json_int_t) applied,
                                 "pending", (json_int_t) pending,
                                 "updated", (json_int_t) updated,
                                 "unchanged", (json_int_t) unchanged,
                                 "rejected", (json_int_t) rejected,
                                 "unknown_columns", self->unknown, "items", items);
        cli_json (out);
        json_decref (out);
    }
    else {
        json_decref (items);
        cli_print ("%zu row%s: %zu registered, %zu pending, %zu updated, %zu unchanged, "
                   "%zu rejected\n", self->count, self->count == 1 ? "" : "s", applied, pending,
                   updated, unchanged, rejected);
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
    "Registers, or updates, the person of every row of FILE, a spreadsheet saved as\n"
    "CSV (UTF-8, with or without\n"
    "a byte-order mark; commas, or semicolons when the header row has more of them\n"
    "than commas, as spreadsheets in many European languages save it; quoted cells\n"
    "may hold the separator and line breaks).  A byte that is not UTF-8 (a file\n"
    "saved as Latin-1) is named with its line, and nothing is registered.  The\n"
    "header row names the columns after the register flags, in any order and any\n"
    "case, with spaces, '-' or '_' alike: family_name and delegation are required;\n"
    "given_name, function (head, alternate, adviser, expert; \"Head of delegation\"),\n"
    "gender (f, m, x; Female, Male), email, sponsored (yes/no), title, position,\n"
    "organization, note, focal_point and language (the UN language of the person's\n"
    "mail) are optional.  Unknown columns are reported\n"
    "and ignored; empty lines are skipped.\n"
    "\n"
    "Each row is matched with the meeting's participants as the records worker\n"
    "tells the same person: the same e-mail address, or the same family and given\n"
    "names in the same delegation (case and surrounding spaces aside), neither\n"
    "withdrawn nor rejected.  A row of a person on record updates the fields that\n"
    "differ (participant.updated; an empty cell changes nothing, and a language\n"
    "is only given at registration): \"line 4: updated p42 Dupont, Anne (FR):\n"
    "function, e-mail\"; a change the records worker's rules refuse is rejected\n"
    "with its reason; a row that differs in nothing is unchanged and publishes\n"
    "nothing, so a corrected spreadsheet imported again updates only the rows that\n"
    "changed, and the same file twice changes nothing.  Two rows of one person\n"
    "are refused.  Every other row registers its person: one\n"
    "participant.registered event whose id comes from the meeting and the row's\n"
    "own values (not its line), so that it is never registered twice.\n"
    "A progress bar shows on a terminal (redrawn at most 4 times a second; none\n"
    "with --quiet).  The report gives the line and verdict of each row rejected,\n"
    "with the reason, of each updated, with the fields changed, and of each\n"
    "pending (recorded, but waiting for the admission of its delegation as\n"
    "observer or for its focal point's approval: \"line 5: pending p7 Maurer\n"
    "(ICRC): waits for the admission of ICRC as observer to ccm-msp13\"), with\n"
    "--verbose also of each registered or unchanged; then the count of each.  With\n"
    "--json one document {file, meeting, rows, accepted, pending, updated,\n"
    "unchanged, rejected, unknown_columns, items: [{line, row, verdict, id, reason,\n"
    "waits_for, changed, participant}]}, verdict applied, pending, updated,\n"
    "unchanged or rejected, changed the fields an update changed.\n"
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
        json_decref (self.rows [i].changed);
        free (self.rows [i].waits_for);
    }
    free (self.rows);
    free (self.order);
    json_decref (self.unknown);
    return rc;
}

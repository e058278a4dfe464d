/*  pl_facet — the facets `plenary check` compares, their lines and digests
    (pl_facet.h says what a facet is and how a line is written).

    The table s_facets is the definition: pl-schema-doc prints it into
    docs/events.md, each store selects its rows to match it, and the CLI
    walks it to know which group to compare with which.  A field's form
    is a function of the table s_forms; pl_facet_query groups a store's
    rows by key, sorts each key's lines and digests them with libsodium's
    SHA-256, one key at a time, so that memory holds one key's lines. */
#include "pl_facet.h"
#include "pl_log.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  --------------------------------------------------------------------------
//  The table

static const pl_facet_field_t s_meeting_fields [] = {
    { "id", PL_FACET_TEXT, "meeting id" },
    { "convention", PL_FACET_TEXT, "convention code" },
    { NULL, 0, NULL }
};

static const pl_facet_field_t s_meeting_date_fields [] = {
    { "id", PL_FACET_TEXT, "meeting id" },
    { "status", PL_FACET_TEXT, "scheduled, cancelled or closed" },
    { "start", PL_FACET_TEXT, "first day" },
    { "end", PL_FACET_TEXT, "last day" },
    { "tz", PL_FACET_TEXT, "time zone" },
    { NULL, 0, NULL }
};

static const pl_facet_field_t s_session_fields [] = {
    { "id", PL_FACET_TEXT, "session id" },
    { "start", PL_FACET_LOCAL, "start, local time with seconds" },
    { "end", PL_FACET_LOCAL, "end, local time with seconds" },
    { "status", PL_FACET_TEXT, "cancelled when the session or its meeting is cancelled, "
                               "else scheduled" },
    { "room", PL_FACET_TEXT, "room" },
    { NULL, 0, NULL }
};

static const pl_facet_field_t s_participant_fields [] = {
    { "id", PL_FACET_TEXT, "participant id (p and the seq of its registration)" },
    { "status", PL_FACET_STANDING, "registered (pending counts as registered), approved, "
                                   "confirmed, rejected or withdrawn" },
    { "delegation", PL_FACET_TEXT, "delegation code" },
    { "family_name", PL_FACET_TEXT, "family name, as registered or updated" },
    { "given_name", PL_FACET_TEXT, "given names" },
    { "email", PL_FACET_TEXT, "e-mail address" },
    { NULL, 0, NULL }
};

static const pl_facet_field_t s_statement_fields [] = {
    { "id", PL_FACET_TEXT, "statement id (s and the seq of its event)" },
    { "delegation", PL_FACET_TEXT, "delegation that spoke" },
    { "language", PL_FACET_TEXT, "language delivered in" },
    { "agenda_item", PL_FACET_TEXT, "agenda item" },
    { NULL, 0, NULL }
};

static const pl_facet_field_t s_document_fields [] = {
    { "symbol", PL_FACET_SYMBOL, "document symbol, upper case" },
    { "agenda_item", PL_FACET_TEXT, "agenda item of its latest such release" },
    { NULL, 0, NULL }
};

static const pl_facet_t s_facets [] = {
    { "meetings", NULL, "records", { "calendar", "archive", "notify", NULL }, s_meeting_fields,
      "Every meeting scheduled, with its convention." },
    { "meeting-dates", NULL, "records", { "calendar", "notify", NULL }, s_meeting_date_fields,
      "Every meeting's status, dates and time zone: what places it on a calendar, and "
      "what the notify worker writes in its messages." },
    { "sessions", "meeting", "records", { "calendar", "notify", NULL }, s_session_fields,
      "The programme of work of a meeting. The calendar and the notify worker cancel a "
      "cancelled meeting's sessions, the records keep their own status: a session "
      "counts as cancelled when either is. The notify worker's iTIP messages name "
      "these times." },
    { "participants", "meeting", "records", { "calendar", "notify", NULL },
      s_participant_fields,
      "The registrations to a meeting, as far as the calendar keeps them: who the "
      "person is (it finds a person's meetings by e-mail or names and delegation) "
      "and where the registration stands, which private feeds show (the calendar "
      "does not tell a pending registration from a registered one). The notify "
      "worker keeps the same: whom it writes to, at which address, and whether the "
      "registration still stands." },
    { "statements", "meeting", "records", { "archive", NULL }, s_statement_fields,
      "The statements delivered at a meeting." },
    { "documents", "meeting", "archive", { "calendar", NULL }, s_document_fields,
      "Documents released for an agenda item of a meeting the group knows: each "
      "symbol under the meeting and agenda item of its latest release that named "
      "both (whatever the language), as the calendar lists them under sessions." },
};
#define S_FACETS (sizeof s_facets / sizeof s_facets [0])

//  The statements of tables in the records' shape, by facet (pl_facet_sql)
static const struct {
    const char *facet;
    const char *sql;
} s_records_shape [] = {
    { "meetings",
      "SELECT '', id, convention FROM meeting WHERE coalesce (?1, '') = '' ORDER BY id" },
    { "meeting-dates",
      "SELECT '', id, status, start, \"end\", tz FROM meeting WHERE coalesce (?1, '') = ''"
      " ORDER BY id" },
    { "sessions",
      "SELECT s.meeting, s.id, s.start, s.\"end\","
      " CASE WHEN m.status = 'cancelled' THEN 'cancelled' ELSE s.status END, s.room"
      " FROM session s JOIN meeting m ON m.id = s.meeting"
      " WHERE ?1 IS NULL OR s.meeting = ?1 ORDER BY s.meeting" },
    { "participants",
      "SELECT meeting, id, status, delegation, family_name, given_name, email"
      " FROM participant WHERE ?1 IS NULL OR meeting = ?1 ORDER BY meeting" },
    { "statements",
      "SELECT meeting, id, delegation, language, agenda_item"
      " FROM statement WHERE ?1 IS NULL OR meeting = ?1 ORDER BY meeting" },
};

const char *
pl_facet_sql (const pl_facet_t *facet)
{
    for (size_t i = 0; i < sizeof s_records_shape / sizeof s_records_shape [0]; i++)
        if (strcmp (s_records_shape [i].facet, facet->name) == 0)
            return s_records_shape [i].sql;
    return NULL;
}

int
pl_facet_rows (sqlite3_stmt *stmt, const char *component, const pl_facet_t *facet,
               const char *key, pl_facet_row_fn *row, void *arg)
{
    if (key)
        sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null (stmt, 1);
    int rc = pl_facet_step (stmt, facet, row, arg);
    //  a row that stopped the walk was logged by pl_facet_step
    if (rc != SQLITE_DONE && rc != SQLITE_ABORT)
        pl_error ("%s: facet %s failed db=%s cause=%s", component, facet->name,
                  sqlite3_db_filename (sqlite3_db_handle (stmt), "main"),
                  sqlite3_errmsg (sqlite3_db_handle (stmt)));
    sqlite3_reset (stmt);
    sqlite3_clear_bindings (stmt);
    return rc == SQLITE_DONE ? 0 : -1;
}

const char *
pl_facet_form_str (pl_facet_form_t form)
{
    static const char *const names [PL_FACET_FORMS] = {
        [PL_FACET_TEXT] = "text", [PL_FACET_LOCAL] = "local-time",
        [PL_FACET_SYMBOL] = "symbol", [PL_FACET_STANDING] = "standing",
    };
    return (unsigned) form < PL_FACET_FORMS ? names [form] : "unknown";
}

const pl_facet_t *
pl_facet_at (size_t index)
{
    return index < S_FACETS ? &s_facets [index] : NULL;
}

const pl_facet_t *
pl_facet_find (const char *name)
{
    for (size_t i = 0; name && i < S_FACETS; i++)
        if (strcmp (s_facets [i].name, name) == 0)
            return &s_facets [i];
    return NULL;
}

int
pl_facet_holds (const pl_facet_t *facet, const char *group)
{
    if (strcmp (facet->authority, group) == 0)
        return 1;
    for (size_t i = 0; facet->views [i]; i++)
        if (strcmp (facet->views [i], group) == 0)
            return 1;
    return 0;
}

size_t
pl_facet_width (const pl_facet_t *facet)
{
    size_t width = 0;
    while (facet->fields [width].name)
        width++;
    return width;
}

//  --------------------------------------------------------------------------
//  Lines

//  A form: VALUE (not NULL) normalized into OUT of SIZE bytes.  0 or -1.
typedef int (s_form_fn) (const char *value, char *out, size_t size);

static int
s_fits (int written, size_t size)
{
    return written >= 0 && (size_t) written < size ? 0 : -1;
}

static int
s_form_text (const char *value, char *out, size_t size)
{
    return s_fits (snprintf (out, size, "%s", value), size);
}

static int
s_form_local (const char *value, char *out, size_t size)
{
    //  YYYY-MM-DDTHH:MM is 16 bytes; the schema admits it with or without seconds
    return s_fits (snprintf (out, size, "%s%s", value, strlen (value) == 16 ? ":00" : ""),
                   size);
}

static int
s_form_symbol (const char *value, char *out, size_t size)
{
    if (s_form_text (value, out, size))
        return -1;
    for (char *c = out; *c; c++)
        if (*c >= 'a' && *c <= 'z')
            *c = (char) (*c - 'a' + 'A');
    return 0;
}

static int
s_form_standing (const char *value, char *out, size_t size)
{
    return s_form_text (strcmp (value, "pending") == 0 ? "registered" : value, out, size);
}

static s_form_fn *const s_forms [PL_FACET_FORMS] = {
    [PL_FACET_TEXT]      = s_form_text,
    [PL_FACET_LOCAL]     = s_form_local,
    [PL_FACET_SYMBOL]    = s_form_symbol,
    [PL_FACET_STANDING]  = s_form_standing,
};

//  True when VALUE must be quoted to keep lines unambiguous.
static int
s_needs_quotes (const char *value)
{
    if (!*value || strcmp (value, "-") == 0)
        return 1;
    for (const unsigned char *c = (const unsigned char *) value; *c; c++)
        if (*c <= ' ' || *c == '"' || *c == '\\' || *c == 0x7F)
            return 1;
    return 0;
}

//  Append VALUE (NULL: absent) to LINE at *USED, quoted when needed.  0 or -1.
static int
s_append (char *line, size_t size, size_t *used, const char *value)
{
    if (!value || !s_needs_quotes (value)) {
        const char *text = value ? value : "-";
        size_t length = strlen (text);
        if (*used + length >= size)
            return -1;
        memcpy (line + *used, text, length + 1);
        *used += length;
        return 0;
    }
    //  A JSON string: quote, backslash and control characters escaped
    if (*used + 1 >= size)
        return -1;
    line [(*used)++] = '"';
    for (const unsigned char *c = (const unsigned char *) value; *c; c++) {
        char escape [8];
        int length = *c == '"' ? snprintf (escape, sizeof escape, "\\\"")
                   : *c == '\\' ? snprintf (escape, sizeof escape, "\\\\")
                   : *c < ' ' || *c == 0x7F ? snprintf (escape, sizeof escape, "\\u%04x", *c)
                   : snprintf (escape, sizeof escape, "%c", *c);
        if (*used + (size_t) length >= size)
            return -1;
        memcpy (line + *used, escape, (size_t) length);
        *used += (size_t) length;
    }
    if (*used + 1 >= size)
        return -1;
    line [(*used)++] = '"';
    line [*used] = 0;
    return 0;
}

int
pl_facet_line (const pl_facet_t *facet, const char *const *values,
               char *line, size_t size, char *id, size_t id_size)
{
    size_t used = 0;
    if (size == 0 || id_size == 0)
        return -1;
    line [0] = 0;
    id [0] = 0;
    for (size_t i = 0; facet->fields [i].name; i++) {
        char value [PL_FACET_LINE_MAX];
        const char *normal = NULL;
        if (values [i]) {
            if (s_forms [facet->fields [i].form] (values [i], value, sizeof value))
                return -1;
            normal = value;
        }
        if (i == 0 && s_form_text (normal ? normal : "-", id, id_size))
            return -1;
        if (i > 0) {
            if (used + 1 >= size)
                return -1;
            line [used++] = ' ';
            line [used] = 0;
        }
        if (s_append (line, size, &used, normal))
            return -1;
    }
    return 0;
}

int
pl_facet_split (const char *line, const char **start, size_t *length, size_t max)
{
    size_t count = 0;
    const char *c = line;
    do {
        if (count == max)
            return -1;
        const char *field = c;
        if (*c == '"') {
            //  a JSON string: to the quote that no backslash escapes
            for (c++; *c && *c != '"'; c++)
                if (*c == '\\' && !*++c)
                    return -1;
            if (*c++ != '"')
                return -1;
        }
        else
            while (*c && *c != ' ' && *c != '"')
                c++;
        //  a field is not empty, and ends the line or a space follows it
        if (c == field || (*c && *c != ' '))
            return -1;
        start [count] = field;
        length [count++] = (size_t) (c - field);
    } while (*c && *++c);
    return *c == 0 && c [-1] != ' ' ? (int) count : -1;
}

void
pl_facet_sha256 (const void *data, size_t size, char *hex)
{
    unsigned char digest [crypto_hash_sha256_BYTES];
    crypto_hash_sha256 (digest, data, size);
    sodium_bin2hex (hex, PL_FACET_DIGEST_HEX + 1, digest, sizeof digest);
}

//  --------------------------------------------------------------------------
//  Rows from SQLite

int
pl_facet_step (sqlite3_stmt *stmt, const pl_facet_t *facet, pl_facet_row_fn *row, void *arg)
{
    size_t width = pl_facet_width (facet);
    if ((size_t) sqlite3_column_count (stmt) != width + 1) {
        pl_error ("facet: %s rows have %d columns, want %zu", facet->name,
                  sqlite3_column_count (stmt), width + 1);
        return SQLITE_ABORT;
    }
    int rc;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        const char *values [PL_FACET_FIELDS_MAX];
        for (size_t i = 0; i < width; i++)
            values [i] = (const char *) sqlite3_column_text (stmt, (int) i + 1);
        const char *key = (const char *) sqlite3_column_text (stmt, 0);
        if (row (arg, key ? key : "", values))
            return SQLITE_ABORT;
    }
    return rc;
}

//  --------------------------------------------------------------------------
//  The digest query

//  One item of the key being read.
typedef struct {
    char *line;
    char *id;
} s_item_t;

//  The reply being built, one key at a time.
typedef struct {
    const pl_facet_t *facet;
    json_t *facets;                     //  the reply's facets
    json_t *items;                      //  the reply's items, or NULL when not asked
    char *key;                          //  the key being read, NULL before the first row
    s_item_t *lines;
    size_t count, size;
    char err [160];                     //  why a row stopped the walk
} s_build_t;

static int
s_by_line (const void *a, const void *b)
{
    return strcmp (((const s_item_t *) a)->line, ((const s_item_t *) b)->line);
}

//  Finish the key being read: its facet entry, its items when asked.  0 or -1.
static int
s_flush (s_build_t *self)
{
    if (!self->key || self->count == 0)
        return 0;
    qsort (self->lines, self->count, sizeof *self->lines, s_by_line);
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init (&state);
    int rc = 0;
    for (size_t i = 0; i < self->count; i++) {
        const char *line = self->lines [i].line;
        crypto_hash_sha256_update (&state, (const unsigned char *) line, strlen (line));
        crypto_hash_sha256_update (&state, (const unsigned char *) "\n", 1);
        if (self->items && rc == 0) {
            char hex [PL_FACET_DIGEST_HEX + 1];
            pl_facet_sha256 (line, strlen (line), hex);
            rc = json_array_append_new (self->items, json_pack ("{s:s, s:s, s:s}",
                                        "id", self->lines [i].id, "digest", hex,
                                        "text", line));
        }
        free (self->lines [i].line);
        free (self->lines [i].id);
    }
    unsigned char digest [crypto_hash_sha256_BYTES];
    char hex [PL_FACET_DIGEST_HEX + 1];
    crypto_hash_sha256_final (&state, digest);
    sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);
    if (rc == 0)
        rc = json_array_append_new (self->facets, json_pack ("{s:s, s:s, s:I, s:s}",
                                    "facet", self->facet->name, "key", self->key,
                                    "count", (json_int_t) self->count, "digest", hex));
    self->count = 0;
    if (rc)
        snprintf (self->err, sizeof self->err, "out of memory");
    return rc ? -1 : 0;
}

//  pl_facet_row_fn: one item of the facet being read.
static int
s_row (void *arg, const char *key, const char *const *values)
{
    s_build_t *self = arg;
    if (!self->key || strcmp (key, self->key) != 0) {
        //  The store gives rows in key order: a smaller key is a bug there
        if (self->key && strcmp (key, self->key) < 0) {
            snprintf (self->err, sizeof self->err, "rows of %s not in key order (%.40s after "
                      "%.40s)", self->facet->name, key, self->key);
            return -1;
        }
        if (s_flush (self))
            return -1;
        free (self->key);
        if (!(self->key = strdup (key))) {
            snprintf (self->err, sizeof self->err, "out of memory");
            return -1;
        }
    }
    char line [PL_FACET_LINE_MAX], id [PL_FACET_LINE_MAX];
    if (pl_facet_line (self->facet, values, line, sizeof line, id, sizeof id)) {
        snprintf (self->err, sizeof self->err, "an item of %s of %.40s is longer than %d "
                  "bytes", self->facet->name, key, PL_FACET_LINE_MAX);
        return -1;
    }
    if (self->count == self->size) {
        size_t size = self->size ? self->size * 2 : 64;
        s_item_t *lines = realloc (self->lines, size * sizeof *lines);
        if (!lines) {
            snprintf (self->err, sizeof self->err, "out of memory");
            return -1;
        }
        self->lines = lines;
        self->size = size;
    }
    s_item_t *item = &self->lines [self->count];
    item->line = strdup (line);
    item->id = strdup (id);
    if (!item->line || !item->id) {
        free (item->line);
        free (item->id);
        snprintf (self->err, sizeof self->err, "out of memory");
        return -1;
    }
    self->count++;
    return 0;
}

//  Read FACET (KEY, or every key when NULL) from STORE into BUILD.  0 or -1.
static int
s_read (s_build_t *build, const pl_facet_t *facet, pl_facet_rows_fn *rows, void *store,
        const char *key)
{
    build->facet = facet;
    free (build->key);
    build->key = NULL;
    build->count = 0;
    int rc = rows (store, facet, key, s_row, build);
    if (rc == 0)
        rc = s_flush (build);
    for (size_t i = 0; i < build->count; i++) {
        free (build->lines [i].line);
        free (build->lines [i].id);
    }
    build->count = 0;
    return rc;
}

json_t *
pl_facet_query (const char *group, pl_facet_rows_fn *rows, void *store,
                const json_t *args, int *status, char *err, size_t errsize)
{
    const char *name = json_string_value (json_object_get (args, "facet"));
    const char *key = json_string_value (json_object_get (args, "key"));
    const pl_facet_t *only = name ? pl_facet_find (name) : NULL;
    if (key && !name) {
        *status = 400;
        snprintf (err, errsize, "%s.digest: key: needs a facet", group);
        return NULL;
    }
    if (name && (!only || !pl_facet_holds (only, group))) {
        *status = 404;
        snprintf (err, errsize, "%s.digest: the %s group keeps no facet %s", group, group, name);
        return NULL;
    }
    if (sodium_init () < 0) {
        *status = 500;
        snprintf (err, errsize, "%s: libsodium cannot start", group);
        return NULL;
    }
    s_build_t build = { .facets = json_array (), .items = key ? json_array () : NULL };
    int rc = build.facets && (!key || build.items) ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < S_FACETS; i++) {
        const pl_facet_t *facet = &s_facets [i];
        if ((only && facet != only) || !pl_facet_holds (facet, group))
            continue;
        rc = s_read (&build, facet, rows, store, key);
        if (rc)
            pl_error ("%s: cannot digest facet %s cause=%s", group, facet->name,
                      *build.err ? build.err : "storage failure");
    }
    free (build.key);
    free (build.lines);
    json_t *reply = NULL;
    if (rc == 0) {
        reply = json_pack ("{s:O}", "facets", build.facets);
        if (reply && build.items && json_object_set (reply, "items", build.items)) {
            json_decref (reply);
            reply = NULL;
        }
    }
    json_decref (build.facets);
    json_decref (build.items);
    if (!reply) {
        *status = 500;
        snprintf (err, errsize, "%s: cannot compute the digests%s%s", group,
                  *build.err ? ": " : "", build.err);
    }
    return reply;
}

//  --------------------------------------------------------------------------
//  Self-test

#define S_CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "pl_facet_test: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    return -1; } } while (0)

//  A store of fixed rows for the self-test: the facet, KEY, then the values.
typedef struct {
    const char *facet;
    const char *key;
    const char *values [PL_FACET_FIELDS_MAX];
} s_fixed_row_t;

typedef struct {
    const s_fixed_row_t *rows;
    size_t count;
} s_fixed_t;

static int
s_fixed_rows (void *store, const pl_facet_t *facet, const char *key,
              pl_facet_row_fn *row, void *arg)
{
    const s_fixed_t *fixed = store;
    for (size_t i = 0; i < fixed->count; i++)
        if (strcmp (facet->name, fixed->rows [i].facet) == 0
        &&  (!key || strcmp (key, fixed->rows [i].key) == 0)
        &&  row (arg, fixed->rows [i].key, fixed->rows [i].values))
            return -1;
    return 0;
}

//  One line case: the facet, its values, the line it must make.
static const struct {
    const char *facet;
    const char *values [PL_FACET_FIELDS_MAX];
    const char *line;
} s_lines [] = {
    { "sessions", { "s3", "2025-09-15T15:00", "2025-09-15T18:00:30", "scheduled", "Room XIX" },
      "s3 2025-09-15T15:00:00 2025-09-15T18:00:30 scheduled \"Room XIX\"" },
    { "sessions", { "s4", "2025-09-15T15:00:00", "2025-09-15T18:00", "cancelled", NULL },
      "s4 2025-09-15T15:00:00 2025-09-15T18:00:00 cancelled -" },
    { "participants", { "p12", "pending", "FR", "Dupont", "", "a\"b\\c\td@example.org" },
      "p12 registered FR Dupont \"\" \"a\\\"b\\\\c\\u0009d@example.org\"" },
    { "participants", { "p14", "confirmed", "FR", "Martin", NULL, NULL },
      "p14 confirmed FR Martin - -" },
    { "participants", { "p13", "withdrawn", "CN", "王", "-", NULL },
      "p13 withdrawn CN 王 \"-\" -" },
    { "documents", { "ccw/conf.vi/4/Rev.1", "9(h)(i)" }, "CCW/CONF.VI/4/REV.1 9(h)(i)" },
};

int
pl_facet_test (int verbose)
{
    if (sodium_init () < 0)
        return -1;
    //  The table: names unique, authorities not among their views, widths bounded
    for (size_t i = 0; pl_facet_at (i); i++) {
        const pl_facet_t *facet = pl_facet_at (i);
        S_CHECK (pl_facet_find (facet->name) == facet && facet->doc && *facet->doc);
        S_CHECK (pl_facet_width (facet) >= 1 && pl_facet_width (facet) <= PL_FACET_FIELDS_MAX);
        S_CHECK (facet->views [0] && pl_facet_holds (facet, facet->authority));
        for (size_t v = 0; facet->views [v]; v++)
            S_CHECK (strcmp (facet->views [v], facet->authority) != 0);
        for (size_t f = 0; facet->fields [f].name; f++)
            S_CHECK (facet->fields [f].doc && facet->fields [f].form < PL_FACET_FORMS
                     && strcmp (pl_facet_form_str (facet->fields [f].form), "unknown"));
    }
    S_CHECK (!pl_facet_find ("nothing") && !pl_facet_find (NULL) && !pl_facet_at (S_FACETS));
    S_CHECK (pl_facet_holds (pl_facet_find ("documents"), "calendar"));
    S_CHECK (!pl_facet_holds (pl_facet_find ("documents"), "records"));

    //  Lines: forms, quoting, absent values, the id
    for (size_t i = 0; i < sizeof s_lines / sizeof s_lines [0]; i++) {
        char line [PL_FACET_LINE_MAX], id [64];
        S_CHECK (pl_facet_line (pl_facet_find (s_lines [i].facet), s_lines [i].values,
                                line, sizeof line, id, sizeof id) == 0);
        if (strcmp (line, s_lines [i].line) != 0) {
            fprintf (stderr, "pl_facet_test: line %zu: want %s, got %s\n", i,
                     s_lines [i].line, line);
            return -1;
        }
        S_CHECK (strncmp (line, id, strlen (id)) == 0 && line [strlen (id)] == ' ');
    }
    //  Split: each line back into its fields as written
    for (size_t i = 0; i < sizeof s_lines / sizeof s_lines [0]; i++) {
        const char *start [PL_FACET_FIELDS_MAX];
        size_t length [PL_FACET_FIELDS_MAX];
        const pl_facet_t *facet = pl_facet_find (s_lines [i].facet);
        S_CHECK (pl_facet_split (s_lines [i].line, start, length, PL_FACET_FIELDS_MAX)
                 == (int) pl_facet_width (facet));
    }
    const char *start [4];
    size_t length [4];
    S_CHECK (pl_facet_split ("s4 \"Room \\\" XIX\" -", start, length, 4) == 3);
    S_CHECK (length [1] == 13 && strncmp (start [1], "\"Room", 5) == 0 && *start [2] == '-');
    S_CHECK (pl_facet_split ("a b c d e", start, length, 4) == -1);
    S_CHECK (pl_facet_split ("a \"b", start, length, 4) == -1);
    S_CHECK (pl_facet_split ("a b ", start, length, 4) == -1);
    S_CHECK (pl_facet_split ("a\"b\" c", start, length, 4) == -1);
    S_CHECK (pl_facet_split ("", start, length, 4) == -1);
    S_CHECK (pl_facet_split ("a  b", start, length, 4) == -1);

    char line [16], id [8];
    S_CHECK (pl_facet_line (pl_facet_find ("meetings"),
                            (const char *const []) { "ccm-msp13", "CCM" }, line, sizeof line,
                            id, sizeof id) == -1);      //  the id does not fit

    //  Digests: SHA-256 test vector, then a key's lines sorted and digested
    char hex [PL_FACET_DIGEST_HEX + 1];
    pl_facet_sha256 ("abc", 3, hex);
    S_CHECK (strcmp (hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);
    static const s_fixed_row_t rows [] = {
        { "meetings", "", { "m2", "CCW" } },
        { "meetings", "", { "m1", "CCM" } },
    };
    s_fixed_t fixed = { rows, 2 };
    int status = 0;
    char err [256];
    json_t *reply = pl_facet_query ("archive", s_fixed_rows, &fixed, NULL, &status,
                                    err, sizeof err);
    S_CHECK (reply && json_array_size (json_object_get (reply, "facets")) == 1);
    json_t *entry = json_array_get (json_object_get (reply, "facets"), 0);
    pl_facet_sha256 ("m1 CCM\nm2 CCW\n", 14, hex);
    S_CHECK (strcmp (json_string_value (json_object_get (entry, "digest")), hex) == 0);
    S_CHECK (json_integer_value (json_object_get (entry, "count")) == 2);
    S_CHECK (!json_object_get (reply, "items"));
    json_decref (reply);
    //  With a key: its items, sorted, each with the digest of its line
    json_t *args = json_pack ("{s:s, s:s}", "facet", "meetings", "key", "");
    reply = pl_facet_query ("archive", s_fixed_rows, &fixed, args, &status, err, sizeof err);
    json_t *items = json_object_get (reply, "items");
    S_CHECK (json_array_size (items) == 2);
    S_CHECK (strcmp (json_string_value (json_object_get (json_array_get (items, 0), "id")),
                     "m1") == 0);
    pl_facet_sha256 ("m2 CCW", 6, hex);
    S_CHECK (strcmp (json_string_value (json_object_get (json_array_get (items, 1), "digest")),
                     hex) == 0);
    json_decref (reply);
    json_decref (args);
    //  Refusals: a key alone, a facet the group does not hold, rows out of order
    args = json_pack ("{s:s}", "key", "m1");
    S_CHECK (!pl_facet_query ("archive", s_fixed_rows, &fixed, args, &status, err, sizeof err)
             && status == 400);
    json_decref (args);
    args = json_pack ("{s:s}", "facet", "sessions");
    S_CHECK (!pl_facet_query ("archive", s_fixed_rows, &fixed, args, &status, err, sizeof err)
             && status == 404 && strstr (err, "no facet sessions"));
    json_decref (args);
    static const s_fixed_row_t unordered [] = {
        { "sessions", "b", { "s1", "2030-01-01T10:00", "2030-01-01T11:00", "scheduled", NULL } },
        { "sessions", "a", { "s1", "2030-01-01T10:00", "2030-01-01T11:00", "scheduled", NULL } },
    };
    s_fixed_t bad = { unordered, 2 };
    args = json_pack ("{s:s}", "facet", "sessions");
    S_CHECK (!pl_facet_query ("calendar", s_fixed_rows, &bad, args, &status, err, sizeof err)
             && status == 500 && strstr (err, "key order"));
    json_decref (args);
    if (verbose)
        printf ("pl_facet_test: ok (%zu facets)\n", S_FACETS);
    return 0;
}

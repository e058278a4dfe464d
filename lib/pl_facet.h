/*  pl_facet — what `plenary check` compares: the facets of the facts that a
    worker group keeps a view of, and how a store turns them into digests.

    One truth: every fact has one authority (records for meetings, sessions,
    participants and statements; archive for document symbols), and a group
    that keeps a view of another group's facts must hold the same ones.  A
    facet is one kind of such fact, split by key (a meeting id, or "" for a
    facet of the whole system), whose items are canonical lines built only
    from fields both sides store:

        facet          key      item line                        held by
        meetings       ""       id convention                    records*, calendar, archive,
                                                                 notify
        meeting-dates  ""       id status start end tz           records*, calendar, notify
        sessions       meeting  id start end status room         records*, calendar, notify
        participants   meeting  id status delegation family_name given_name email
                                                                 records*, calendar, notify
        statements     meeting  id delegation language agenda_item   records*, archive
        documents      meeting  symbol agenda_item               archive*, calendar
                                                                 (* the authority)

    The table in pl_facet.c is the definition (docs/events.md prints it);
    each store selects the rows of the facets its group holds (column 0 the
    key, then one column per field, ordered by key), and pl_facet_query
    turns them into the reply of the worker's digest query:

        static int
        s_facet_rows (void *store, const pl_facet_t *facet, const char *key,
                      pl_facet_row_fn *row, void *arg)
        {   //  in calendar_store.c: bind KEY, then
            return pl_facet_step (stmt, facet, row, arg) == SQLITE_DONE ? 0 : -1;
        }
        reply = pl_facet_query ("calendar", s_facet_rows, store, args,
                                &status, err, errsize);

    A line is the fields' values in order, each normalized by the field's
    form (pl_facet_form_t), separated by one space; a value that is absent
    is "-", and one that is empty, is "-", or holds a space, a quote, a
    backslash or a control character is written as a JSON string, so two
    different items never make the same line.  A key's digest is the
    SHA-256 (hex) of its items' lines, sorted by bytes, each followed by a
    line feed; an item's digest is the SHA-256 of its line. */
#ifndef PL_FACET_H_INCLUDED
#define PL_FACET_H_INCLUDED

#include <stddef.h>
#include <jansson.h>
#include <sqlite3.h>

#define PL_FACET_FIELDS_MAX 8           //  fields of one item line
#define PL_FACET_VIEWS_MAX  4           //  groups that keep a view of one facet
#define PL_FACET_DIGEST_HEX 64          //  SHA-256 in lowercase hex
#define PL_FACET_LINE_MAX   2048        //  bytes of one item line (the schema's facet_item.text)

//  How a field's stored value is normalized before it enters a line, where
//  two sides store one fact in different forms.
typedef enum {
    PL_FACET_TEXT,                      //  as stored
    PL_FACET_LOCAL,                     //  a local time: YYYY-MM-DDTHH:MM gets ":00" (records
                                        //  stores seconds, the calendar the event's form)
    PL_FACET_SYMBOL,                    //  a document symbol, in upper case (the archive stores
                                        //  the parsed form, the calendar the released one; case
                                        //  is all the parser changes in a valid symbol)
    PL_FACET_STANDING,                  //  a registration status, "pending" read as "registered"
                                        //  (the calendar cannot tell them apart: that takes
                                        //  records' rules on delegations)
    PL_FACET_FORMS
} pl_facet_form_t;

typedef struct {
    const char *name;
    pl_facet_form_t form;
    const char *doc;                    //  what the value is, for docs/events.md
} pl_facet_field_t;

typedef struct {
    const char *name;                   //  "sessions"
    const char *key;                    //  what a key names ("meeting"); NULL: one key, ""
    const char *authority;              //  the group that decides these facts
    const char *views [PL_FACET_VIEWS_MAX + 1];     //  groups that keep a view; NULL-terminated
    const pl_facet_field_t *fields;     //  the item's fields, the first its id; { NULL }-terminated
    const char *doc;                    //  which items, and why these fields
} pl_facet_t;

//  The name of FORM for docs/events.md ("text", "local-time"...).
const char *pl_facet_form_str (pl_facet_form_t form);

//  The INDEXth facet of the table, in order; NULL past the end.
const pl_facet_t *pl_facet_at (size_t index);

//  The facet NAME, or NULL.
const pl_facet_t *pl_facet_find (const char *name);

//  1 when GROUP holds FACET (as its authority or as a view), else 0.
int pl_facet_holds (const pl_facet_t *facet, const char *group);

//  The number of fields of FACET's lines.
size_t pl_facet_width (const pl_facet_t *facet);

//  The line of one item of FACET whose stored field values are VALUES
//  (pl_facet_width of them, NULL for absent), into LINE of SIZE bytes, and
//  its id (the first field, normalized, unquoted) into ID of ID_SIZE
//  bytes.  0, or -1 when either does not fit.
int pl_facet_line (const pl_facet_t *facet, const char *const *values,
                   char *line, size_t size, char *id, size_t id_size);

//  Split LINE, made by pl_facet_line, into its fields as written (a quoted
//  one with its quotes): START [i] and LENGTH [i] for each of at most MAX.
//  Returns the number of fields, or -1 when LINE is not such a line or has
//  more than MAX fields.
int pl_facet_split (const char *line, const char **start, size_t *length, size_t max);

//  The SHA-256 of SIZE bytes at DATA as lowercase hex into HEX
//  (PL_FACET_DIGEST_HEX + 1 bytes).  libsodium must be started
//  (sodium_init, which pl_facet_query calls).
void pl_facet_sha256 (const void *data, size_t size, char *hex);

//  Called for each row of a facet: KEY and the item's stored VALUES
//  (pl_facet_width of them, NULL for absent), borrowed for the call.
//  Returns 0 to go on, -1 to stop.
typedef int (pl_facet_row_fn) (void *arg, const char *key, const char *const *values);

//  A store's side: call ROW for every item of FACET it holds (only those
//  of KEY when KEY is not NULL), in key order.  0, or -1 on failure (logged).
typedef int (pl_facet_rows_fn) (void *store, const pl_facet_t *facet, const char *key,
                                pl_facet_row_fn *row, void *arg);

//  The statement that selects FACET's rows from tables in the records'
//  shape (meeting, session, participant, statement, the facet's fields as
//  their columns, a session cancelled with its meeting counted so): the
//  key, then the fields, ordered by key; ?1 the key, or NULL for every
//  key.  A static string (a statement cache may key on its address), or
//  NULL for a facet these tables do not hold.  The notify worker's view
//  keeps these tables (the records and the calendar have their own copies
//  of the same statements).
const char *pl_facet_sql (const pl_facet_t *facet);

//  Bind KEY (NULL: every key) to ?1 of STMT, step it to its end with
//  pl_facet_step, log a failure naming COMPONENT, and reset it.  0 or -1.
int pl_facet_rows (sqlite3_stmt *stmt, const char *component, const pl_facet_t *facet,
                   const char *key, pl_facet_row_fn *row, void *arg);

//  Step STMT, bound, to its end, calling ROW for each of its rows: column
//  0 the key, then FACET's fields.  Returns SQLITE_DONE; SQLITE_ABORT when
//  ROW stopped or the row has not pl_facet_width + 1 columns (logged); or
//  SQLite's failure code (for the store to log).  Does not reset STMT.
int pl_facet_step (sqlite3_stmt *stmt, const pl_facet_t *facet, pl_facet_row_fn *row,
                   void *arg);

//  Answer GROUP's digest query (records.digest...) with ARGS: without a
//  facet, every facet GROUP holds; with facet, that one; with facet and
//  key, that key and its items.  ROWS reads STORE.  Returns the reply
//  (caller owns): {"facets": [{facet, key, count, digest}], "items": [{id,
//  digest, text}]} with keys that have no items left out, or NULL with
//  *STATUS (400 key without facet, 404 a facet GROUP does not hold, 500)
//  and ERR.
json_t *pl_facet_query (const char *group, pl_facet_rows_fn *rows, void *store,
                        const json_t *args, int *status, char *err, size_t errsize);

//  Self-test: the table, lines, forms and digests.  0 when it passes.
int pl_facet_test (int verbose);

#endif

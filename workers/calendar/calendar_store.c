/*  calendar_store — the calendar worker's SQLite database and all of its SQL.

    Durability as in every worker: the broker's log is the system of record,
    this database can be deleted and rebuilt by replaying it, so WAL with
    synchronous=NORMAL; each batch is one transaction holding the changes
    and the cursor advance (pl_cursor), so no event is applied twice.

    Every statement is prepared once from the table s_sql; migrations are
    s_migrations, applied by PRAGMA user_version.  Feeds are read by one
    statement per feed kind (s_feed_sql), which lists a meeting's all-day
    event and then its sessions, meetings by start date: the order of the
    VEVENTs, and so the bytes of the feed, depend only on the data.  A
    private feed shows the meetings of the registrations of the token's
    person that are neither withdrawn nor rejected; an event of a meeting
    none of whose registrations is confirmed is tentative, and its
    SEQUENCE and DTSTAMP move when a registration of the person to the
    meeting is confirmed, and again when a confirmed one is withdrawn.  The
    facets plenary check compares are read by the statements of
    s_facet_sql. */
#include "calendar_store.h"
#include "calendar_store_internal.h"
#include "pl_cursor.h"
#include "pl_log.h"
#include "pl_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  The view, emptied so that a replay from seq 0 rebuilds it (feed_state
//  stays: it remembers what was served, so that Last-Modified never moves
//  back, and that is not in the log).
static const char *s_empty_view =
    "DELETE FROM token;"
    "DELETE FROM participant;"
    "DELETE FROM document;"
    "DELETE FROM session;"
    "DELETE FROM meeting;"
    "DELETE FROM pl_rejected;"
    "UPDATE pl_cursor SET seq = 0;";

//  Empty the view, and say so, with WHY, when it held anything.
static int
s_replay_from_zero (sqlite3 *db, const char *why)
{
    uint64_t cursor = 0;
    if (pl_cursor_get (db, &cursor)
    ||  pl_store_exec (db, "calendar", s_empty_view, "empty the view"))
        return -1;
    if (cursor > 0)
        pl_warn ("calendar: %s: its view (built to seq %llu under the old rules) is emptied "
                 "and the log is replayed from seq 0 db=%s", why, (unsigned long long) cursor,
                 sqlite3_db_filename (db, "main"));
    return 0;
}

//  The view emptied again for schema 3 (its new table too).
static const char *s_empty_distribution =
    "DELETE FROM token;"
    "DELETE FROM participant;"
    "DELETE FROM document;"
    "DELETE FROM family;"
    "DELETE FROM session;"
    "DELETE FROM meeting;"
    "DELETE FROM pl_rejected;"
    "UPDATE pl_cursor SET seq = 0;";

//  pl_migration_t.hook of schema 3: empty the view, and say so when it held
//  anything.
static int
s_replay_distribution (sqlite3 *db)
{
    uint64_t cursor = 0;
    if (pl_cursor_get (db, &cursor)
    ||  pl_store_exec (db, "calendar", s_empty_distribution, "empty the view"))
        return -1;
    if (cursor > 0)
        pl_warn ("calendar: feeds now show only the documents the public may see (the "
                 "distribution in force of their family, none withdrawn): the view (built to "
                 "seq %llu) is emptied and the log is replayed from seq 0 db=%s",
                 (unsigned long long) cursor, sqlite3_db_filename (db, "main"));
    return 0;
}

//  pl_migration_t.hook of schema 2.
static int
s_replay_to_follow (sqlite3 *db)
{
    return s_replay_from_zero (db, "the calendar now follows records' and the archive's "
                                   "verdicts");
}

//  pl_migration_t.hook of schema 4 (the family table of schema 3 too).
static int
s_replay_for_approvals (sqlite3 *db)
{
    if (pl_store_exec (db, "calendar", "DELETE FROM family;", "empty the view"))
        return -1;
    return s_replay_from_zero (db, "the calendar now takes the approval, confirmation and "
                                   "rejection of registrations");
}

//  Schema versions; entry N takes user_version N to N+1 (pl_store).
static const pl_migration_t s_migrations [] = {
    //  1: what feeds are made of
    { "CREATE TABLE meeting ("
    "  id          TEXT PRIMARY KEY,"
    "  convention  TEXT NOT NULL,"
    "  kind        TEXT NOT NULL,"
    "  title       TEXT NOT NULL,"
    "  venue       TEXT NOT NULL,"
    "  tz          TEXT NOT NULL,"
    "  start       TEXT NOT NULL,"
    "  \"end\"     TEXT NOT NULL,"
    "  url         TEXT,"
    "  description TEXT,"
    "  status      TEXT NOT NULL,"
    "  sequence    INTEGER NOT NULL DEFAULT 0,"
    "  modified_ms INTEGER NOT NULL);"
    "CREATE INDEX meeting_by_convention ON meeting (convention, start, id);"
    "CREATE TABLE session ("
    "  meeting      TEXT NOT NULL REFERENCES meeting (id),"
    "  id           TEXT NOT NULL,"
    "  title        TEXT NOT NULL,"
    "  start        TEXT NOT NULL,"
    "  \"end\"      TEXT NOT NULL,"
    "  room         TEXT,"
    "  agenda_items TEXT,"                  //  JSON array
    "  kind         TEXT,"
    "  status       TEXT NOT NULL,"
    "  sequence     INTEGER NOT NULL DEFAULT 0,"
    "  modified_ms  INTEGER NOT NULL,"
    "  PRIMARY KEY (meeting, id));"
    "CREATE TABLE participant ("
    "  id          TEXT PRIMARY KEY,"
    "  meeting     TEXT NOT NULL REFERENCES meeting (id),"
    "  family_name TEXT NOT NULL,"
    "  given_name  TEXT,"
    "  delegation  TEXT NOT NULL,"
    "  email       TEXT,"
    "  status      TEXT NOT NULL,"
    "  name_key    TEXT NOT NULL,"          //  who the person is, across meetings
    "  email_key   TEXT,"
    "  modified_ms INTEGER NOT NULL);"
    "CREATE INDEX participant_by_name ON participant (name_key);"
    "CREATE INDEX participant_by_email ON participant (email_key);"
    "CREATE TABLE token ("
    "  participant TEXT PRIMARY KEY REFERENCES participant (id),"
    "  hash        TEXT NOT NULL UNIQUE,"   //  SHA-256 hex of the token; never the token
    "  issued_ms   INTEGER NOT NULL);"
    "CREATE TABLE document ("
    "  symbol      TEXT PRIMARY KEY,"
    "  meeting     TEXT NOT NULL,"
    "  agenda_item TEXT NOT NULL);"
    "CREATE INDEX document_by_item ON document (meeting, agenda_item);"
    "CREATE TABLE feed_state ("             //  what each feed last looked like
    "  key         TEXT PRIMARY KEY,"
    "  etag        TEXT NOT NULL,"
    "  modified_ms INTEGER NOT NULL);", NULL },

    //  2: the calendar follows records' and the archive's verdicts instead
    //  of repeating their rules, so a view built under version 1 may hold
    //  what records refused: empty it and replay the log from seq 0.
    { NULL, s_replay_to_follow },

    //  3: feeds show a document only when the public may see it: the
    //  distribution in force of its family (the most restrictive release
    //  since the family's last declassification, as the archive decides)
    //  and whether it was withdrawn.  The levels come from every release in
    //  log order, which only a replay gives; symbols are kept normalized
    //  (pl_symbol), as the archive keeps them.
    { "ALTER TABLE document ADD COLUMN family TEXT;"
    "ALTER TABLE document ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE family ("
    "  base  TEXT PRIMARY KEY,"
    "  level INTEGER NOT NULL);", s_replay_distribution },

    //  4: registrations keep their approval, confirmation and rejection
    //  (participant.approved, .confirmed and .rejected, never delivered
    //  before: a view built under version 3 shows rejected registrations
    //  in private feeds), and when a registration was confirmed, which a
    //  private feed's SEQUENCE and DTSTAMP still count once it is
    //  withdrawn: empty the view and replay.
    { "ALTER TABLE participant ADD COLUMN confirmed_ms INTEGER;", s_replay_for_approvals },

    //  5: the private feed address plenary-notify mails a participant: the
    //  SHA-256 of its token (calendar_store_mail.c), and whether a rotation
    //  revoked it.  Kept current at every open, so no replay.
    { "ALTER TABLE participant ADD COLUMN mail_hash TEXT;"
    "ALTER TABLE participant ADD COLUMN mail_revoked INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX participant_by_mail_hash ON participant (mail_hash);", NULL },
};
#define S_MIGRATIONS (sizeof s_migrations / sizeof s_migrations [0])

//  The person key: trimmed names folded with lower() and the delegation.
#define S_NAME_KEY(family, given, delegation) \
    "lower(trim(" family ")) || x'1f' || lower(trim(coalesce(" given ", ''))) " \
    "|| x'1f' || " delegation

//  Registrations r of the same person as registration p, whatever their
//  status: the same registration, the same names and delegation, or the
//  same e-mail.
#define S_PERSON \
    "(r.id = p.id OR r.name_key = p.name_key" \
    " OR (p.email_key IS NOT NULL AND r.email_key = p.email_key))"

//  A registration r that stands: neither withdrawn nor rejected (pending,
//  registered, approved or confirmed in records).
#define S_STANDS "r.status NOT IN ('withdrawn', 'rejected')"

//  Registrations r of the same person as registration p that stand.
#define S_SAME_PERSON S_STANDS " AND " S_PERSON

//  The meetings f of a public feed, chosen by FILTER (?1 is the key): as
//  they are, the same to everyone.
#define S_MEETINGS(filter) \
    "f AS (SELECT *, 0 AS tentative, 0 AS turns, 0 AS changed_ms FROM meeting" \
    " WHERE " filter ")"

//  The participant whose private feed the token hashing to HASH opens: a
//  token issued by `plenary calendar url` or `rotate`, or the address the
//  notify worker mailed it (until a rotation revoked that).
#define S_HOLDER(hash) \
    "(SELECT participant AS id FROM token WHERE hash = " hash \
    " UNION ALL SELECT id FROM participant WHERE mail_hash = " hash " AND mail_revoked = 0)"

//  The meetings f of the private feed of token hash ?1: those of the
//  person's registrations that stand; tentative when none of those is
//  confirmed; TURNS, what the person's registrations to it add to
//  SEQUENCE (one when a registration is confirmed, one more when it is
//  withdrawn), and CHANGED_MS, the latest change of a registration that
//  was confirmed, for DTSTAMP.
#define S_PRIVATE_MEETINGS \
    "a AS (SELECT r.meeting, max (" S_STANDS ") AS shown," \
    "  NOT max (r.status = 'confirmed') AS tentative," \
    "  sum ((r.confirmed_ms IS NOT NULL) * (1 + (r.status = 'withdrawn'))) AS turns," \
    "  coalesce (max (CASE WHEN r.confirmed_ms IS NOT NULL THEN r.modified_ms END), 0)" \
    "   AS changed_ms" \
    "  FROM " S_HOLDER ("?1") " k JOIN participant p ON p.id = k.id" \
    "  JOIN participant r ON " S_PERSON " GROUP BY r.meeting)," \
    " f AS (SELECT m.*, a.tentative, a.turns, a.changed_ms" \
    "  FROM meeting m JOIN a ON a.meeting = m.id WHERE a.shown)"

//  The feed statement for the meetings f made by the common table
//  expressions MEETINGS (?2 is the cutoff date for cancelled events).
//  Column order: calendar_item_t.
#define S_FEED(meetings) \
    "WITH " meetings \
    " SELECT f.id, f.convention, f.kind, f.title, f.venue, f.tz, f.url, f.description," \
    "  NULL, NULL, f.start, f.\"end\", NULL, NULL, NULL, f.status, f.sequence + f.turns," \
    "  max (f.modified_ms, f.changed_ms), f.tentative," \
    "  f.start AS k1, f.id AS k2, 0 AS k3, '' AS k4, '' AS k5" \
    " FROM f WHERE f.status <> 'cancelled' OR f.\"end\" >= ?2" \
    " UNION ALL" \
    " SELECT f.id, f.convention, f.kind, f.title, f.venue, f.tz, f.url, f.description," \
    "  s.id, s.title, s.start, s.\"end\", s.room, s.agenda_items," \
    "  (SELECT group_concat (line, char(10)) FROM (" \
    "    SELECT d.agenda_item || ' ' || d.symbol AS line" \
    "    FROM json_each (s.agenda_items) j JOIN document d" \
    "     ON d.meeting = f.id AND d.agenda_item = j.value" \
    "    WHERE d.withdrawn = 0 AND coalesce ((SELECT l.level FROM family l" \
    "     WHERE l.base = d.family), 0) = 0 ORDER BY j.key, d.symbol))," \
    "  s.status, s.sequence + f.turns, max (s.modified_ms, f.changed_ms), f.tentative," \
    "  f.start, f.id, 1, s.start, s.id" \
    " FROM f JOIN session s ON s.meeting = f.id" \
    " WHERE s.status <> 'cancelled' OR s.\"end\" >= ?2" \
    " ORDER BY k1, k2, k3, k4, k5"

typedef enum {
    S_MEETING_STATUS, S_MEETING_INSERT, S_MEETING_UPDATE, S_MEETING_BUMP_SESSIONS,
    S_MEETING_SET_STATUS, S_MEETING_CANCEL_SESSIONS,
    S_SESSION_STATUS, S_SESSION_INSERT, S_SESSION_MOVE, S_SESSION_CANCEL,
    S_PARTICIPANT_INSERT, S_PARTICIPANT_STATUS, S_PARTICIPANT_UPDATE,
    S_PARTICIPANT_SET_STATUS, S_PERSON_STANDS, S_TOKEN_EXISTS, S_TOKEN_SET, S_DOCUMENT,
    S_DOCUMENT_WITHDRAWN, S_FAMILY_GET, S_FAMILY_SET,
    S_FEED_STATE_GET, S_FEED_STATE_SET, S_SCHEDULE,
    S_COUNT
} s_stmt_t;

static const char *s_sql [S_COUNT] = {
    [S_MEETING_STATUS] = "SELECT status FROM meeting WHERE id = ?1",
    [S_MEETING_INSERT] =
        "INSERT INTO meeting (id, convention, kind, title, venue, tz, start, \"end\", url,"
        " description, status, sequence, modified_ms)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'scheduled', 0, ?11)",
    [S_MEETING_UPDATE] =
        "UPDATE meeting SET kind = coalesce (?2, kind), title = coalesce (?3, title),"
        " venue = coalesce (?4, venue), tz = coalesce (?5, tz), start = coalesce (?6, start),"
        " \"end\" = coalesce (?7, \"end\"), url = coalesce (?8, url),"
        " description = coalesce (?9, description), sequence = sequence + ?10,"
        " modified_ms = ?11 WHERE id = ?1",
    //  Sessions show the meeting's title, venue and zone: they change too
    [S_MEETING_BUMP_SESSIONS] =
        "UPDATE session SET sequence = sequence + ?2, modified_ms = ?3 WHERE meeting = ?1",
    [S_MEETING_SET_STATUS] =
        "UPDATE meeting SET status = ?2, sequence = sequence + ?3,"
        " modified_ms = CASE WHEN ?3 THEN ?4 ELSE modified_ms END WHERE id = ?1",
    [S_MEETING_CANCEL_SESSIONS] =
        "UPDATE session SET status = 'cancelled', sequence = sequence + 1, modified_ms = ?2"
        " WHERE meeting = ?1 AND status <> 'cancelled'",
    [S_SESSION_STATUS] = "SELECT status FROM session WHERE meeting = ?1 AND id = ?2",
    [S_SESSION_INSERT] =
        "INSERT INTO session (meeting, id, title, start, \"end\", room, agenda_items, kind,"
        " status, sequence, modified_ms)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'scheduled', 0, ?9)",
    [S_SESSION_MOVE] =
        "UPDATE session SET start = ?3, \"end\" = ?4, room = coalesce (?5, room),"
        " sequence = sequence + 1, modified_ms = ?6 WHERE meeting = ?1 AND id = ?2",
    [S_SESSION_CANCEL] =
        "UPDATE session SET status = 'cancelled', sequence = sequence + 1, modified_ms = ?3"
        " WHERE meeting = ?1 AND id = ?2",
    [S_PARTICIPANT_INSERT] =
        "INSERT INTO participant (id, meeting, family_name, given_name, delegation, email,"
        " status, name_key, email_key, modified_ms, mail_hash)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'registered', " S_NAME_KEY ("?3", "?4", "?5") ","
        " lower (trim (?6)), ?7, mail_feed_hash (?1))",
    [S_PARTICIPANT_STATUS] =
        "SELECT status FROM participant WHERE id = ?1 AND (?2 IS NULL OR meeting = ?2)",
    [S_PARTICIPANT_UPDATE] =
        "UPDATE participant SET family_name = coalesce (?2, family_name),"
        " given_name = coalesce (?3, given_name), delegation = coalesce (?4, delegation),"
        " email = coalesce (?5, email), modified_ms = ?6 WHERE id = ?1",
    [S_PARTICIPANT_SET_STATUS] =
        "UPDATE participant SET status = ?2, modified_ms = ?3,"
        " confirmed_ms = CASE WHEN ?2 = 'confirmed' THEN ?3 ELSE confirmed_ms END"
        " WHERE id = ?1",
    [S_PERSON_STANDS] =
        "SELECT 1 FROM participant p JOIN participant r ON " S_SAME_PERSON
        " WHERE p.id = ?1 LIMIT 1",
    [S_TOKEN_EXISTS] = "SELECT 1 FROM token WHERE participant = ?1",
    [S_TOKEN_SET] =
        "INSERT INTO token (participant, hash, issued_ms) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (participant) DO UPDATE SET hash = ?2, issued_ms = ?3",
    [S_DOCUMENT] =
        "INSERT INTO document (symbol, family, meeting, agenda_item, withdrawn)"
        " VALUES (?1, ?2, ?3, ?4, 0)"
        " ON CONFLICT (symbol) DO UPDATE SET meeting = ?3, agenda_item = ?4, withdrawn = 0",
    [S_DOCUMENT_WITHDRAWN] = "UPDATE document SET withdrawn = ?2 WHERE symbol = ?1",
    [S_FAMILY_GET] = "SELECT level FROM family WHERE base = ?1",
    [S_FAMILY_SET] =
        "INSERT INTO family (base, level) VALUES (?1, ?2)"
        " ON CONFLICT (base) DO UPDATE SET level = ?2",
    [S_FEED_STATE_GET] = "SELECT etag, modified_ms FROM feed_state WHERE key = ?1",
    [S_FEED_STATE_SET] =
        "INSERT INTO feed_state (key, etag, modified_ms) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (key) DO UPDATE SET etag = ?2, modified_ms = ?3",
    [S_SCHEDULE] =
        "SELECT DISTINCT r.meeting FROM participant p JOIN participant r ON " S_SAME_PERSON
        " WHERE p.id = ?1 ORDER BY r.meeting",
};

//  The keys recomputed after an update of names or e-mail.
static const char *s_participant_rekey =
    "UPDATE participant SET name_key = " S_NAME_KEY ("family_name", "given_name", "delegation")
    ", email_key = lower (trim (email)) WHERE id = ?1";

//  Per feed kind: the events, and the head (exists, name, extra change time).
static const struct {
    const char *items;
    const char *head;
} s_feed_sql [CALENDAR_FEED_KINDS] = {
    [CALENDAR_FEED_MEETING] = {
        S_FEED (S_MEETINGS ("id = ?1")),
        "SELECT convention || ': ' || title, 0 FROM meeting WHERE id = ?1" },
    [CALENDAR_FEED_CONVENTION] = {
        S_FEED (S_MEETINGS ("convention = ?1")),
        "SELECT ?1 || ': all meetings', 0 WHERE EXISTS"
        " (SELECT 1 FROM meeting WHERE convention = ?1)" },
    [CALENDAR_FEED_PARTICIPANT] = {
        S_FEED (S_PRIVATE_MEETINGS),
        //  Registrations and their changes of status change the feed
        //  without touching a meeting
        "SELECT 'Meetings of ' || trim (coalesce (p.given_name || ' ', '') || p.family_name),"
        " max (coalesce ((SELECT issued_ms FROM token WHERE hash = ?1), 0),"
        "  coalesce ((SELECT max (r.modified_ms) FROM participant r WHERE " S_PERSON "), 0))"
        " FROM " S_HOLDER ("?1") " k JOIN participant p ON p.id = k.id" },
    [CALENDAR_FEED_ALL] = {
        S_FEED (S_MEETINGS ("1")),
        "SELECT 'All meetings', 0" },
};

//  The calendar's side of the facets plenary check compares (lib/pl_facet.h):
//  the key, then the facet's fields as stored, ordered by key; ?1 is the
//  key asked for, or NULL for every key.  A session counts as cancelled
//  when its meeting is, as the records see it (the calendar also cancels
//  the sessions themselves).
static const struct {
    const char *facet;
    const char *sql;
} s_facet_sql [] = {
    //  The records' shape: pl_facet_sql's statements (calendar_store_new)
    { "meetings", NULL },
    { "meeting-dates", NULL },
    { "sessions", NULL },
    { "participants", NULL },
    { "documents",
      "SELECT meeting, symbol, agenda_item FROM document"
      " WHERE ?1 IS NULL OR meeting = ?1 ORDER BY meeting" },
};
#define S_FACETS (sizeof s_facet_sql / sizeof s_facet_sql [0])

struct _calendar_store_t {
    sqlite3 *db;
    char *path;
    pl_txn_t *txn;                  //  the batch's transaction
    sqlite3_stmt *stmt [S_COUNT];
    sqlite3_stmt *rekey;
    sqlite3_stmt *feed_items [CALENDAR_FEED_KINDS];
    sqlite3_stmt *feed_head [CALENDAR_FEED_KINDS];
    sqlite3_stmt *facet [S_FACETS];
};

//  Prepare SQL into *STMT.  0 or -1 (logged).
static int
s_prepare (calendar_store_t *self, const char *sql, sqlite3_stmt **stmt)
{
    if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL)
        == SQLITE_OK)
        return 0;
    pl_error ("calendar: cannot prepare db=%s cause=%s sql=%.60s", self->path,
              sqlite3_errmsg (self->db), sql);
    return -1;
}

calendar_store_t *
calendar_store_new (const char *path)
{
    calendar_store_t *self = calloc (1, sizeof *self);
    if (!self || !(self->path = strdup (path))) {
        free (self);
        pl_error ("calendar: out of memory opening db=%s", path);
        return NULL;
    }
    self->db = pl_store_open (path, "calendar");
    if (!self->db
    ||  pl_cursor_init (self->db)
    ||  pl_store_migrate (self->db, "calendar", s_migrations, S_MIGRATIONS)
    ||  calendar_store_mail_functions (self->db, NULL))
        goto err;
    if (!(self->txn = pl_txn_new (self->db, "calendar", 0)))
        goto err;
    for (int i = 0; i < S_COUNT; i++)
        if (s_prepare (self, s_sql [i], &self->stmt [i]))
            goto err;
    if (s_prepare (self, s_participant_rekey, &self->rekey))
        goto err;
    for (int i = 0; i < CALENDAR_FEED_KINDS; i++)
        if (s_prepare (self, s_feed_sql [i].items, &self->feed_items [i])
        ||  s_prepare (self, s_feed_sql [i].head, &self->feed_head [i]))
            goto err;
    for (size_t i = 0; i < S_FACETS; i++)
        if (s_prepare (self, s_facet_sql [i].sql ? s_facet_sql [i].sql
                             : pl_facet_sql (pl_facet_find (s_facet_sql [i].facet)),
                       &self->facet [i]))
            goto err;
    return self;
err:
    calendar_store_destroy (&self);
    return NULL;
}

sqlite3 *
calendar_store_connection (calendar_store_t *self)
{
    return self->db;
}

void
calendar_store_destroy (calendar_store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    calendar_store_t *self = *self_p;
    pl_txn_destroy (&self->txn);
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize (self->stmt [i]);
    sqlite3_finalize (self->rekey);
    for (int i = 0; i < CALENDAR_FEED_KINDS; i++) {
        sqlite3_finalize (self->feed_items [i]);
        sqlite3_finalize (self->feed_head [i]);
    }
    for (size_t i = 0; i < S_FACETS; i++)
        sqlite3_finalize (self->facet [i]);
    if (self->db && sqlite3_close (self->db) != SQLITE_OK)
        pl_error ("calendar: cannot close db=%s cause=%s", self->path,
                  sqlite3_errmsg (self->db));
    free (self->path);
    free (self);
    *self_p = NULL;
}

//  Bind TEXT (NULL binds NULL), borrowed.
static void
s_bind_text (sqlite3_stmt *stmt, int index, const char *text)
{
    if (text)
        sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null (stmt, index);
}

//  Bind field NAME of OBJECT as text (NULL when absent).
static void
s_bind_field (sqlite3_stmt *stmt, int index, const json_t *object, const char *name)
{
    s_bind_text (stmt, index, json_string_value (json_object_get (object, name)));
}

//  Reset STMT after a step that returned RC; log an unexpected RC.  Returns RC.
static int
s_done (calendar_store_t *self, sqlite3_stmt *stmt, int rc)
{
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        pl_error ("calendar: statement failed db=%s cause=%s sql=%.60s", self->path,
                  sqlite3_errmsg (self->db), sqlite3_sql (stmt));
    sqlite3_reset (stmt);
    sqlite3_clear_bindings (stmt);
    return rc;
}

//  Step STMT (bound) to completion.  0 or -1.
static int
s_step (calendar_store_t *self, sqlite3_stmt *stmt)
{
    return s_done (self, stmt, sqlite3_step (stmt)) == SQLITE_DONE ? 0 : -1;
}

static int
s_run (calendar_store_t *self, s_stmt_t which)
{
    return s_step (self, self->stmt [which]);
}

//  Step STMT (bound) for one text column 0 into OUT.  1, 0, -1.
static int
s_lookup (calendar_store_t *self, sqlite3_stmt *stmt, char *out, size_t size)
{
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW && out)
        snprintf (out, size, "%s", (const char *) sqlite3_column_text (stmt, 0));
    rc = s_done (self, stmt, rc);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

pl_txn_t *
calendar_store_txn (calendar_store_t *self)
{
    return self->txn;
}

int
calendar_store_meeting_status (calendar_store_t *self, const char *id, char *status, size_t size)
{
    sqlite3_stmt *stmt = self->stmt [S_MEETING_STATUS];
    s_bind_text (stmt, 1, id);
    return s_lookup (self, stmt, status, size);
}

int
calendar_store_meeting_insert (calendar_store_t *self, const json_t *event, int64_t time_ms)
{
    static const char *fields [] = {
        "id", "convention", "kind", "title", "venue", "tz", "start", "end", "url", "description"
    };
    sqlite3_stmt *stmt = self->stmt [S_MEETING_INSERT];
    for (int i = 0; i < (int) (sizeof fields / sizeof fields [0]); i++)
        s_bind_field (stmt, 1 + i, event, fields [i]);
    sqlite3_bind_int64 (stmt, 11, time_ms);
    return s_run (self, S_MEETING_INSERT);
}

int
calendar_store_meeting_differs (calendar_store_t *self, const char *id, const char *name,
                                const char *value)
{
    //  NAME comes from the worker's own table of meeting columns, never from input
    char sql [128];
    snprintf (sql, sizeof sql, "SELECT \"%s\" IS NOT ?2 FROM meeting WHERE id = ?1", name);
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
        pl_error ("calendar: cannot compare meeting.%s db=%s cause=%s", name, self->path,
                  sqlite3_errmsg (self->db));
        return -1;
    }
    s_bind_text (stmt, 1, id);
    s_bind_text (stmt, 2, value);
    int rc = sqlite3_step (stmt);
    int differs = rc == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        pl_error ("calendar: cannot compare meeting.%s db=%s cause=%s", name, self->path,
                  sqlite3_errmsg (self->db));
    sqlite3_finalize (stmt);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? differs : -1;
}

int
calendar_store_meeting_update (calendar_store_t *self, const json_t *event, int bump,
                               int bump_sessions, int64_t time_ms)
{
    static const char *fields [] = {
        "id", "kind", "title", "venue", "tz", "start", "end", "url", "description"
    };
    sqlite3_stmt *stmt = self->stmt [S_MEETING_UPDATE];
    for (int i = 0; i < (int) (sizeof fields / sizeof fields [0]); i++)
        s_bind_field (stmt, 1 + i, event, fields [i]);
    sqlite3_bind_int (stmt, 10, bump ? 1 : 0);
    sqlite3_bind_int64 (stmt, 11, time_ms);
    if (s_run (self, S_MEETING_UPDATE))
        return -1;
    stmt = self->stmt [S_MEETING_BUMP_SESSIONS];
    s_bind_field (stmt, 1, event, "id");
    sqlite3_bind_int (stmt, 2, bump_sessions ? 1 : 0);
    sqlite3_bind_int64 (stmt, 3, time_ms);
    return s_run (self, S_MEETING_BUMP_SESSIONS);
}

int
calendar_store_meeting_set_status (calendar_store_t *self, const char *id, const char *status,
                                   int cancel, int64_t time_ms)
{
    sqlite3_stmt *stmt = self->stmt [S_MEETING_SET_STATUS];
    s_bind_text (stmt, 1, id);
    s_bind_text (stmt, 2, status);
    sqlite3_bind_int (stmt, 3, cancel ? 1 : 0);
    sqlite3_bind_int64 (stmt, 4, time_ms);
    if (s_run (self, S_MEETING_SET_STATUS))
        return -1;
    if (!cancel)
        return 0;
    stmt = self->stmt [S_MEETING_CANCEL_SESSIONS];
    s_bind_text (stmt, 1, id);
    sqlite3_bind_int64 (stmt, 2, time_ms);
    return s_run (self, S_MEETING_CANCEL_SESSIONS);
}

int
calendar_store_session_status (calendar_store_t *self, const char *meeting, const char *id,
                               char *status, size_t size)
{
    sqlite3_stmt *stmt = self->stmt [S_SESSION_STATUS];
    s_bind_text (stmt, 1, meeting);
    s_bind_text (stmt, 2, id);
    return s_lookup (self, stmt, status, size);
}

int
calendar_store_session_insert (calendar_store_t *self, const json_t *event, int64_t time_ms)
{
    static const char *fields [] = { "meeting", "id", "title", "start", "end", "room" };
    sqlite3_stmt *stmt = self->stmt [S_SESSION_INSERT];
    for (int i = 0; i < (int) (sizeof fields / sizeof fields [0]); i++)
        s_bind_field (stmt, 1 + i, event, fields [i]);
    const json_t *items = json_object_get (event, "agenda_items");
    char *items_text = json_array_size (items) ? json_dumps (items, JSON_COMPACT) : NULL;
    sqlite3_bind_text (stmt, 7, items_text, -1, SQLITE_TRANSIENT);
    s_bind_field (stmt, 8, event, "kind");
    sqlite3_bind_int64 (stmt, 9, time_ms);
    free (items_text);
    return s_run (self, S_SESSION_INSERT);
}

int
calendar_store_session_move (calendar_store_t *self, const json_t *event, int64_t time_ms)
{
    static const char *fields [] = { "meeting", "id", "start", "end", "room" };
    sqlite3_stmt *stmt = self->stmt [S_SESSION_MOVE];
    for (int i = 0; i < (int) (sizeof fields / sizeof fields [0]); i++)
        s_bind_field (stmt, 1 + i, event, fields [i]);
    sqlite3_bind_int64 (stmt, 6, time_ms);
    return s_run (self, S_SESSION_MOVE);
}

int
calendar_store_session_cancel (calendar_store_t *self, const char *meeting, const char *id,
                               int64_t time_ms)
{
    sqlite3_stmt *stmt = self->stmt [S_SESSION_CANCEL];
    s_bind_text (stmt, 1, meeting);
    s_bind_text (stmt, 2, id);
    sqlite3_bind_int64 (stmt, 3, time_ms);
    return s_run (self, S_SESSION_CANCEL);
}

int
calendar_store_participant_insert (calendar_store_t *self, const char *id, const json_t *event,
                                   int64_t time_ms)
{
    static const char *fields [] = {
        "meeting", "family_name", "given_name", "delegation", "email"
    };
    sqlite3_stmt *stmt = self->stmt [S_PARTICIPANT_INSERT];
    s_bind_text (stmt, 1, id);
    for (int i = 0; i < (int) (sizeof fields / sizeof fields [0]); i++)
        s_bind_field (stmt, 2 + i, event, fields [i]);
    sqlite3_bind_int64 (stmt, 7, time_ms);
    return s_run (self, S_PARTICIPANT_INSERT);
}

int
calendar_store_participant_status (calendar_store_t *self, const char *id, const char *meeting,
                                   char *status, size_t size)
{
    sqlite3_stmt *stmt = self->stmt [S_PARTICIPANT_STATUS];
    s_bind_text (stmt, 1, id);
    s_bind_text (stmt, 2, meeting);
    return s_lookup (self, stmt, status, size);
}

int
calendar_store_participant_update (calendar_store_t *self, const json_t *event, int64_t time_ms)
{
    static const char *fields [] = {
        "participant", "family_name", "given_name", "delegation", "email"
    };
    sqlite3_stmt *stmt = self->stmt [S_PARTICIPANT_UPDATE];
    for (int i = 0; i < (int) (sizeof fields / sizeof fields [0]); i++)
        s_bind_field (stmt, 1 + i, event, fields [i]);
    sqlite3_bind_int64 (stmt, 6, time_ms);
    if (s_run (self, S_PARTICIPANT_UPDATE))
        return -1;
    s_bind_field (self->rekey, 1, event, "participant");
    return s_step (self, self->rekey);
}

int
calendar_store_participant_set_status (calendar_store_t *self, const char *id,
                                       const char *status, int64_t time_ms)
{
    sqlite3_stmt *stmt = self->stmt [S_PARTICIPANT_SET_STATUS];
    s_bind_text (stmt, 1, id);
    s_bind_text (stmt, 2, status);
    sqlite3_bind_int64 (stmt, 3, time_ms);
    return s_run (self, S_PARTICIPANT_SET_STATUS);
}

int
calendar_store_person_stands (calendar_store_t *self, const char *id)
{
    sqlite3_stmt *stmt = self->stmt [S_PERSON_STANDS];
    s_bind_text (stmt, 1, id);
    return s_lookup (self, stmt, NULL, 0);
}

int
calendar_store_token_exists (calendar_store_t *self, const char *participant)
{
    sqlite3_stmt *stmt = self->stmt [S_TOKEN_EXISTS];
    s_bind_text (stmt, 1, participant);
    return s_lookup (self, stmt, NULL, 0);
}

int
calendar_store_token_set (calendar_store_t *self, const char *participant, const char *hash,
                          int64_t time_ms)
{
    sqlite3_stmt *stmt = self->stmt [S_TOKEN_SET];
    s_bind_text (stmt, 1, participant);
    s_bind_text (stmt, 2, hash);
    sqlite3_bind_int64 (stmt, 3, time_ms);
    return s_run (self, S_TOKEN_SET);
}

int
calendar_store_document (calendar_store_t *self, const char *symbol, const char *family,
                         const char *meeting, const char *item)
{
    sqlite3_stmt *stmt = self->stmt [S_DOCUMENT];
    s_bind_text (stmt, 1, symbol);
    s_bind_text (stmt, 2, family);
    s_bind_text (stmt, 3, meeting);
    s_bind_text (stmt, 4, item);
    return s_run (self, S_DOCUMENT);
}

int
calendar_store_document_withdrawn (calendar_store_t *self, const char *symbol, int withdrawn)
{
    sqlite3_stmt *stmt = self->stmt [S_DOCUMENT_WITHDRAWN];
    s_bind_text (stmt, 1, symbol);
    sqlite3_bind_int (stmt, 2, withdrawn);
    return s_run (self, S_DOCUMENT_WITHDRAWN);
}

int
calendar_store_family (calendar_store_t *self, const char *base, int *level)
{
    sqlite3_stmt *stmt = self->stmt [S_FAMILY_GET];
    s_bind_text (stmt, 1, base);
    int rc = sqlite3_step (stmt);
    *level = rc == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 0;
    rc = s_done (self, stmt, rc);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
calendar_store_family_set (calendar_store_t *self, const char *base, int level)
{
    sqlite3_stmt *stmt = self->stmt [S_FAMILY_SET];
    s_bind_text (stmt, 1, base);
    sqlite3_bind_int (stmt, 2, level);
    return s_run (self, S_FAMILY_SET);
}

//  Column I of STMT as text, or NULL.
static const char *
s_text (sqlite3_stmt *stmt, int i)
{
    return (const char *) sqlite3_column_text (stmt, i);
}

int
calendar_store_feed (calendar_store_t *self, calendar_feed_t kind, const char *key,
                     const char *cutoff, calendar_item_fn *fn, void *arg,
                     int64_t *modified_ms, char *name, size_t name_size,
                     char *tz, size_t tz_size)
{
    sqlite3_stmt *head = self->feed_head [kind];
    s_bind_text (head, 1, key);
    int rc = sqlite3_step (head);
    if (rc == SQLITE_ROW) {
        snprintf (name, name_size, "%s", s_text (head, 0));
        *modified_ms = sqlite3_column_int64 (head, 1);
    }
    rc = s_done (self, head, rc);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE ? 0 : -1;
    snprintf (tz, tz_size, "UTC");

    sqlite3_stmt *stmt = self->feed_items [kind];
    s_bind_text (stmt, 1, key);
    s_bind_text (stmt, 2, cutoff);
    int first = 1, stopped = 0;
    while (!stopped && (rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        calendar_item_t item = {
            .meeting = s_text (stmt, 0), .convention = s_text (stmt, 1),
            .kind = s_text (stmt, 2), .meeting_title = s_text (stmt, 3),
            .venue = s_text (stmt, 4), .tz = s_text (stmt, 5), .url = s_text (stmt, 6),
            .description = s_text (stmt, 7), .session = s_text (stmt, 8),
            .title = s_text (stmt, 9), .start = s_text (stmt, 10), .end = s_text (stmt, 11),
            .room = s_text (stmt, 12), .agenda_items = s_text (stmt, 13),
            .documents = s_text (stmt, 14), .status = s_text (stmt, 15),
            .sequence = sqlite3_column_int64 (stmt, 16),
            .modified_ms = sqlite3_column_int64 (stmt, 17),
            .tentative = sqlite3_column_int (stmt, 18)
        };
        if (first)
            snprintf (tz, tz_size, "%s", item.tz);
        first = 0;
        if (item.modified_ms > *modified_ms)
            *modified_ms = item.modified_ms;
        stopped = fn (arg, &item) != 0;
    }
    rc = s_done (self, stmt, stopped ? SQLITE_DONE : rc);
    return stopped || rc != SQLITE_DONE ? -1 : 1;
}

int
calendar_store_feed_state (calendar_store_t *self, const char *key, const char *etag,
                           int64_t *modified_ms)
{
    sqlite3_stmt *stmt = self->stmt [S_FEED_STATE_GET];
    s_bind_text (stmt, 1, key);
    int rc = sqlite3_step (stmt);
    int same = 0;
    int64_t known = 0;
    if (rc == SQLITE_ROW) {
        same = strcmp (s_text (stmt, 0), etag) == 0;
        known = sqlite3_column_int64 (stmt, 1);
    }
    rc = s_done (self, stmt, rc);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -1;
    if (same) {
        *modified_ms = known;
        return 0;
    }
    //  HTTP dates have whole seconds: a change must show a later second
    if (rc == SQLITE_ROW && *modified_ms / 1000 <= known / 1000)
        *modified_ms = (known / 1000 + 1) * 1000;
    stmt = self->stmt [S_FEED_STATE_SET];
    s_bind_text (stmt, 1, key);
    s_bind_text (stmt, 2, etag);
    sqlite3_bind_int64 (stmt, 3, *modified_ms);
    return s_run (self, S_FEED_STATE_SET);
}

int
calendar_store_schedule (calendar_store_t *self, const char *participant, json_t **meetings_p)
{
    int found = calendar_store_participant_status (self, participant, NULL, NULL, 0);
    if (found != 1)
        return found;
    sqlite3_stmt *stmt = self->stmt [S_SCHEDULE];
    s_bind_text (stmt, 1, participant);
    json_t *meetings = json_array ();
    int rc;
    while (meetings && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        if (json_array_append_new (meetings, json_string (s_text (stmt, 0)))) {
            json_decref (meetings);
            meetings = NULL;
        }
    rc = s_done (self, stmt, meetings ? rc : SQLITE_DONE);
    if (!meetings || rc != SQLITE_DONE) {
        json_decref (meetings);
        return -1;
    }
    *meetings_p = meetings;
    return 1;
}

int
calendar_store_facet_rows (calendar_store_t *self, const pl_facet_t *facet, const char *key,
                           pl_facet_row_fn *row, void *arg)
{
    size_t i = 0;
    while (i < S_FACETS && strcmp (s_facet_sql [i].facet, facet->name) != 0)
        i++;
    if (i == S_FACETS) {
        //  pl_facet's table says the calendar holds it: s_facet_sql must select it
        pl_error ("calendar: the store has no rows for facet %s", facet->name);
        return -1;
    }
    sqlite3_stmt *stmt = self->facet [i];
    s_bind_text (stmt, 1, key);
    int rc = pl_facet_step (stmt, facet, row, arg);
    //  a row that stopped the walk was logged by pl_facet
    s_done (self, stmt, rc == SQLITE_ABORT ? SQLITE_DONE : rc);
    return rc == SQLITE_DONE ? 0 : -1;
}

int
calendar_store_version (void)
{
    return (int) S_MIGRATIONS;
}

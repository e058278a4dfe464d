/*  notify_store_outbox — the outbox, the notices waiting for their
    subscriber's next message, the secretariat's digest, the relay's state
    and notify.status: the notify store's SQL for the sender thread (and
    for the worker, which adds messages and notices as it applies events).

    A message's row is unique by its Message-ID, so adding it again (a
    redelivered event, a replay) adds nothing; it stays queued until the
    relay accepted it, so a crash mid-send sends it again rather than never
    (the only window for a second copy is between the relay's 250 and our
    commit, and that copy has the same Message-ID). */
#include "notify_store_internal.h"
#include "notify_mime.h"
#include "pl_log.h"
#include "pl_proto.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_ERROR_MAX 512
#define S_DIGEST_LINES_MAX 2000     //  a digest lists this many lines of each kind at most

static void
s_bind_int (sqlite3_stmt *stmt, int index, int64_t value)
{
    sqlite3_bind_int64 (stmt, index, value);
}

//  --------------------------------------------------------------------------
//  Messages

int
notify_store_outbox_add (notify_store_t *self, const char *message_id, uint64_t seq,
                         const char *kind, const char *recipient, const char *address,
                         const char *language, const json_t *params, notify_new_state_t state,
                         int64_t now_ms)
{
    static const char *sql =
        "INSERT OR IGNORE INTO outbox (message_id, seq, kind, recipient, address, language,"
        " params, state, next_ms, created_ms, done_ms)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)";
    char *text = json_dumps (params, JSON_COMPACT | JSON_SORT_KEYS);
    sqlite3_stmt *stmt = text ? notify_store_stmt (self, sql) : NULL;
    if (!stmt) {
        free (text);
        return -1;
    }
    notify_store_bind_text (stmt, 1, message_id);
    if (seq)
        s_bind_int (stmt, 2, (int64_t) seq);
    notify_store_bind_text (stmt, 3, kind);
    notify_store_bind_text (stmt, 4, recipient);
    notify_store_bind_text (stmt, 5, address);
    notify_store_bind_text (stmt, 6, language);
    notify_store_bind_text (stmt, 7, text);
    notify_store_bind_text (stmt, 8, state == NOTIFY_REPLAYED ? "replayed" : "queued");
    s_bind_int (stmt, 9, now_ms);
    if (state == NOTIFY_REPLAYED)
        s_bind_int (stmt, 10, now_ms);
    int rc = notify_store_exec (self, stmt);
    free (text);
    return rc;
}

int
notify_store_outbox_next (notify_store_t *self, int64_t now_ms, json_t **message)
{
    static const char *sql =
        "SELECT id, message_id, seq, kind, recipient, address, language, params, attempts"
        " FROM outbox WHERE state = 'queued' AND next_ms <= ?1 ORDER BY next_ms, id LIMIT 1";
    *message = NULL;
    sqlite3_stmt *stmt = notify_store_stmt (self, sql);
    if (!stmt)
        return -1;
    s_bind_int (stmt, 1, now_ms);
    int found = notify_store_step (self, stmt);
    if (found == 1) {
        *message = notify_store_object (stmt);
        notify_store_reset (stmt);
        found = *message ? 1 : -1;
    }
    return found;
}

int
notify_store_outbox_due_ms (notify_store_t *self, int64_t *due_ms)
{
    static const char *sql = "SELECT min (next_ms) FROM outbox WHERE state = 'queued'";
    *due_ms = INT64_MAX;
    sqlite3_stmt *stmt = notify_store_stmt (self, sql);
    if (!stmt)
        return -1;
    int found = notify_store_step (self, stmt);
    if (found == 1) {
        if (sqlite3_column_type (stmt, 0) == SQLITE_INTEGER)
            *due_ms = sqlite3_column_int64 (stmt, 0);
        notify_store_reset (stmt);
    }
    return found < 0 ? -1 : 0;
}

//  Move message ID to STATE at NOW_MS with ERROR.
static int
s_finish (notify_store_t *self, int64_t id, const char *state, int64_t now_ms,
          const char *error)
{
    static const char *sql =
        "UPDATE outbox SET state = ?2, done_ms = ?3, error = ?4 WHERE id = ?1";
    sqlite3_stmt *stmt = notify_store_stmt (self, sql);
    if (!stmt)
        return -1;
    s_bind_int (stmt, 1, id);
    notify_store_bind_text (stmt, 2, state);
    s_bind_int (stmt, 3, now_ms);
    notify_store_bind_text (stmt, 4, error);
    return notify_store_exec (self, stmt);
}

int
notify_store_outbox_sent (notify_store_t *self, int64_t id, int64_t now_ms)
{
    return s_finish (self, id, "sent", now_ms, NULL);
}

int
notify_store_outbox_failed (notify_store_t *self, int64_t id, int64_t now_ms, const char *error)
{
    return s_finish (self, id, "failed", now_ms, error);
}

int
notify_store_outbox_suppressed (notify_store_t *self, int64_t id, int64_t now_ms)
{
    return s_finish (self, id, "suppressed", now_ms, NULL);
}

int
notify_store_outbox_retry (notify_store_t *self, int64_t id, int attempts, int64_t next_ms,
                           const char *error)
{
    static const char *sql =
        "UPDATE outbox SET attempts = ?2, next_ms = ?3, error = ?4 WHERE id = ?1";
    sqlite3_stmt *stmt = notify_store_stmt (self, sql);
    if (!stmt)
        return -1;
    s_bind_int (stmt, 1, id);
    s_bind_int (stmt, 2, attempts);
    s_bind_int (stmt, 3, next_ms);
    notify_store_bind_text (stmt, 4, error);
    return notify_store_exec (self, stmt);
}

//  --------------------------------------------------------------------------
//  Notices

int
notify_store_notices_add (notify_store_t *self, uint64_t seq, const char *symbol,
                          const char *base, const char *language, const char *title,
                          const char *meeting, const char *convention, int64_t now_ms)
{
    //  One notice per address however many of its subscriptions match: the
    //  most its roles may read, the language of one that names it
    static const char *sql =
        "INSERT OR IGNORE INTO notice (seq, address, email, language, level, symbol, family,"
        " doc_language, title, meeting, created_ms)"
        " SELECT ?1, s.address, max (s.email), coalesce (max (s.language), 'en'),"
        "  max (s.level), ?2, ?3, ?4, ?5, ?6, ?8"
        " FROM subscription s LEFT JOIN address a ON a.address = s.address"
        " WHERE ((?6 IS NOT NULL AND s.meeting = ?6) OR s.convention = ?7)"
        "  AND (s.language IS NULL OR s.language = ?4) AND a.unsubscribed_seq IS NULL"
        " GROUP BY s.address";
    sqlite3_stmt *stmt = notify_store_stmt (self, sql);
    if (!stmt)
        return -1;
    s_bind_int (stmt, 1, (int64_t) seq);
    notify_store_bind_text (stmt, 2, symbol);
    notify_store_bind_text (stmt, 3, base);
    notify_store_bind_text (stmt, 4, language);
    notify_store_bind_text (stmt, 5, title);
    notify_store_bind_text (stmt, 6, meeting);
    notify_store_bind_text (stmt, 7, convention);
    s_bind_int (stmt, 8, now_ms);
    return notify_store_exec (self, stmt);
}

int
notify_store_notices_drop (notify_store_t *self, const char *address)
{
    static const char *sql = "UPDATE notice SET batch = 0 WHERE address = ?1 AND batch IS NULL";
    return notify_store_run (self, sql, 1, address);
}

int
notify_store_notices_due (notify_store_t *self, int64_t cutoff_ms, notify_address_fn *fn,
                          void *arg)
{
    static const char *sql =
        "SELECT address FROM notice WHERE batch IS NULL GROUP BY address"
        " HAVING min (created_ms) <= ?1 ORDER BY min (id)";
    sqlite3_stmt *stmt = notify_store_stmt (self, sql);
    if (!stmt)
        return -1;
    s_bind_int (stmt, 1, cutoff_ms);
    //  Collected first: FN writes to the database
    json_t *addresses = json_array ();
    int rc;
    while ((rc = notify_store_step (self, stmt)) == 1)
        json_array_append_new (addresses, json_string ((const char *) sqlite3_column_text (stmt, 0)));
    size_t index;
    json_t *address;
    json_array_foreach (addresses, index, address)
        if (rc == 0 && fn (arg, json_string_value (address)))
            break;
    json_decref (addresses);
    return rc;
}

//  Percent-encode TEXT for a URL path or query into BUF.
static void
s_url_escape (const char *text, char *buf, size_t size)
{
    size_t used = 0;
    for (const unsigned char *c = (const unsigned char *) text; *c && used + 4 < size; c++)
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')
        ||  strchr ("-._~", *c))
            buf [used++] = (char) *c;
        else
            used += (size_t) snprintf (buf + used, size - used, "%%%02X", *c);
    buf [used] = 0;
}

int
notify_store_notices_batch (notify_store_t *self, const char *address, const char *from,
                            const char *public_url, int64_t now_ms)
{
    //  Visible now: the family's distribution in force within what the
    //  subscription's role may read, neither the language version nor the
    //  whole document withdrawn.  The latest release of a symbol and
    //  language stands for the earlier ones.
    //  Read outside any transaction, written in a short one: the write
    //  lock is never held while the lines are made.  The notices read are
    //  those up to the last id read; one the worker adds meanwhile waits
    //  for the next batch.
    static const char *select =
        "SELECT n.seq, n.symbol, n.doc_language, n.title, n.email, n.language,"
        " coalesce (f.level, 0) <= n.level AND NOT EXISTS (SELECT 1 FROM withdrawn w"
        "  WHERE w.symbol = n.symbol AND w.language IN (n.doc_language, '*')) AS visible, n.id"
        " FROM notice n LEFT JOIN family f ON f.base = n.family"
        " WHERE n.address = ?1 AND n.batch IS NULL ORDER BY n.symbol, n.doc_language, n.seq";
    static const char *mark =
        "UPDATE notice SET batch = ?2 WHERE address = ?1 AND batch IS NULL AND id <= ?3";
    static const char *last = "SELECT last_insert_rowid ()";
    sqlite3_stmt *stmt = notify_store_stmt (self, select);
    json_t *lines = json_array (), *values = json_object ();
    char email [256] = "", language [4] = "en", previous [160] = "", first_seq [24] = "";
    uint64_t first = 0;
    int64_t through = 0;            //  the last notice read
    int rc = stmt && lines && values ? 1 : -1, count = 0;
    if (stmt)
        notify_store_bind_text (stmt, 1, address);
    while (rc == 1 && (rc = notify_store_step (self, stmt)) == 1) {
        uint64_t seq = (uint64_t) sqlite3_column_int64 (stmt, 0);
        const char *symbol = (const char *) sqlite3_column_text (stmt, 1);
        const char *doc_language = (const char *) sqlite3_column_text (stmt, 2);
        const char *title = (const char *) sqlite3_column_text (stmt, 3);
        snprintf (email, sizeof email, "%s", (const char *) sqlite3_column_text (stmt, 4));
        snprintf (language, sizeof language, "%s", (const char *) sqlite3_column_text (stmt, 5));
        first = first && first < seq ? first : seq;
        through = sqlite3_column_int64 (stmt, 7) > through ? sqlite3_column_int64 (stmt, 7)
                                                           : through;
        char key [160];
        snprintf (key, sizeof key, "%s %s", symbol, doc_language);
        int repeat = strcmp (key, previous) == 0;
        snprintf (previous, sizeof previous, "%s", key);
        if (!sqlite3_column_int (stmt, 6))
            continue;
        char escaped [256], line [2048];
        s_url_escape (symbol, escaped, sizeof escaped);
        snprintf (line, sizeof line, "%s (%s) — %s\n  %s/api/documents/%s?language=%s", symbol,
                  doc_language, title, public_url, escaped, doc_language);
        //  Rows come by symbol and language, then seq: a later release of
        //  the same replaces the line of the earlier one
        if (repeat && json_array_size (lines))
            json_array_remove (lines, json_array_size (lines) - 1);
        else
            count++;
        json_array_append_new (lines, json_string (line));
    }
    int64_t batch = 0;
    int writing = rc == 0 && through > 0;  //  notices read: a short write follows
    if (writing && notify_store_begin (self)) {
        rc = -1;
        writing = 0;
    }
    if (writing && json_array_size (lines)) {
        char id [320], text [16];
        snprintf (first_seq, sizeof first_seq, "%" PRIu64, first);
        notify_mime_message_id (id, sizeof id, first_seq, "documents-released", email, from);
        size_t index;
        json_t *line;
        char *joined = NULL;
        size_t length = 0;
        json_array_foreach (lines, index, line) {
            const char *part = json_string_value (line);
            char *grown = realloc (joined, length + strlen (part) + 3);
            if (!grown) {
                rc = -1;
                break;
            }
            joined = grown;
            length += (size_t) sprintf (joined + length, "%s%s", index ? "\n" : "", part);
        }
        snprintf (text, sizeof text, "%d", count);
        if (rc == 0 && joined) {
            json_object_set_new (values, "documents", json_string (joined));
            json_object_set_new (values, "count", json_string (text));
            rc = notify_store_outbox_add (self, id, first, "documents-released", email, address,
                                          language, values, NOTIFY_QUEUED, now_ms);
        }
        free (joined);
        sqlite3_stmt *rowid = rc == 0 ? notify_store_stmt (self, last) : NULL;
        if (rowid && notify_store_step (self, rowid) == 1) {
            batch = sqlite3_column_int64 (rowid, 0);
            notify_store_reset (rowid);
        }
        else
            rc = -1;
    }
    json_decref (lines);
    json_decref (values);
    if (rc == 0 && writing) {
        sqlite3_stmt *update = notify_store_stmt (self, mark);
        if (update) {
            notify_store_bind_text (update, 1, address);
            s_bind_int (update, 2, batch);
            s_bind_int (update, 3, through);
        }
        rc = update ? notify_store_exec (self, update) : -1;
    }
    if (rc == 0 && (!writing || notify_store_commit (self) == 0))
        return 0;
    notify_store_rollback (self);
    return -1;
}

//  --------------------------------------------------------------------------
//  Meta and the digest

int
notify_store_meta (notify_store_t *self, const char *key, char *buf, size_t size)
{
    static const char *sql = "SELECT value FROM meta WHERE key = ?1";
    sqlite3_stmt *stmt = notify_store_stmt (self, sql);
    if (!stmt)
        return -1;
    notify_store_bind_text (stmt, 1, key);
    int found = notify_store_step (self, stmt);
    if (found == 1) {
        snprintf (buf, size, "%s", (const char *) sqlite3_column_text (stmt, 0));
        notify_store_reset (stmt);
    }
    return found;
}

int
notify_store_meta_set (notify_store_t *self, const char *key, const char *value)
{
    static const char *sql =
        "INSERT INTO meta (key, value) VALUES (?1, ?2)"
        " ON CONFLICT (key) DO UPDATE SET value = ?2";
    return notify_store_run (self, sql, 2, key, value);
}

//  The rows of SQL (bound to DATE) as text lines, one per row, its
//  columns joined by two spaces, into VALUES' NAME, with NAME_count.
static int
s_lines (notify_store_t *self, const char *sql, const char *date, json_t *values,
         const char *name)
{
    sqlite3_stmt *stmt = notify_store_stmt (self, sql);
    if (!stmt)
        return -1;
    notify_store_bind_text (stmt, 1, date);
    char *text = NULL;
    size_t length = 0, count = 0;
    int rc;
    while ((rc = notify_store_step (self, stmt)) == 1) {
        if (++count > S_DIGEST_LINES_MAX)
            continue;
        char line [1024] = "";
        for (int i = 0; i < sqlite3_column_count (stmt); i++) {
            const char *cell = (const char *) sqlite3_column_text (stmt, i);
            size_t used = strlen (line);
            snprintf (line + used, sizeof line - used, "%s%s", i ? "  " : "", cell ? cell : "");
        }
        char *grown = realloc (text, length + strlen (line) + 2);
        if (!grown) {
            notify_store_reset (stmt);
            rc = -1;
            break;
        }
        text = grown;
        length += (size_t) sprintf (text + length, "%s%s", length ? "\n" : "", line);
    }
    char key [64], number [24];
    snprintf (key, sizeof key, "%s_count", name);
    snprintf (number, sizeof number, "%zu", count);
    json_object_set_new (values, name, json_string (text ? text : ""));
    json_object_set_new (values, key, json_string (number));
    free (text);
    return rc;
}

int
notify_store_digest (notify_store_t *self, const char *date, json_t *values)
{
    //  Registrations the secretariat has still to confirm (this view does
    //  not tell those pending admission apart: records decides that)
    static const char *waiting =
        "SELECT p.meeting, p.delegation, p.id, p.family_name || coalesce (', ' || p.given_name,"
        " ''), p.status FROM participant p JOIN meeting m ON m.id = p.meeting"
        " WHERE p.status IN ('registered', 'approved') AND m.status = 'scheduled'"
        " AND m.\"end\" >= ?1 ORDER BY m.start, p.meeting, p.delegation, p.seq";
    //  States Parties registered to a formal meeting not yet begun, without
    //  credentials received
    static const char *credentials =
        "SELECT m.id, m.start, p.delegation FROM participant p JOIN meeting m ON m.id = p.meeting"
        " JOIN delegation d ON d.convention = m.convention AND d.code = p.delegation"
        " WHERE d.status = 'state-party' AND m.kind IN ('msp', 'revcon')"
        " AND m.status = 'scheduled' AND m.start >= ?1"
        " AND p.status NOT IN ('rejected', 'withdrawn')"
        " AND NOT EXISTS (SELECT 1 FROM credentials c WHERE c.meeting = m.id"
        "  AND c.delegation = p.delegation)"
        " GROUP BY m.id, p.delegation ORDER BY m.start, m.id, p.delegation";
    json_object_set_new (values, "date", json_string (date));
    return s_lines (self, waiting, date, values, "waiting")
        || s_lines (self, credentials, date, values, "credentials");
}

//  --------------------------------------------------------------------------
//  The relay and notify.status

int
notify_store_relay_set (notify_store_t *self, const char *state, const char *error,
                        int64_t retry_ms)
{
    static const char *sql =
        "INSERT INTO relay (id, state, error, retry_ms) VALUES (1, ?1, ?2, ?3)"
        " ON CONFLICT (id) DO UPDATE SET state = ?1, error = ?2, retry_ms = ?3";
    sqlite3_stmt *stmt = notify_store_stmt (self, sql);
    if (!stmt)
        return -1;
    notify_store_bind_text (stmt, 1, state);
    notify_store_bind_text (stmt, 2, error);
    if (retry_ms)
        s_bind_int (stmt, 3, retry_ms);
    return notify_store_exec (self, stmt);
}

static void
s_stamp (int64_t ms, char *buf, size_t size)
{
    time_t seconds = (time_t) (ms / 1000);
    struct tm tm;
    gmtime_r (&seconds, &tm);
    strftime (buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
notify_store_status (notify_store_t *self, const char *relay, int failures, int64_t now_ms,
                     json_t **reply)
{
    static const char *counts =
        "SELECT state, count (*), min (CASE WHEN state = 'queued' THEN created_ms END)"
        " FROM outbox GROUP BY state";
    static const char *notices = "SELECT count (*) FROM notice WHERE batch IS NULL";
    static const char *relay_row = "SELECT state, error, retry_ms FROM relay WHERE id = 1";
    static const char *failed =
        "SELECT message_id, kind, recipient, seq, done_ms, error FROM outbox"
        " WHERE state = 'failed' ORDER BY done_ms DESC, id DESC LIMIT ?1";
    json_t *out = json_pack ("{s:i, s:i, s:i, s:i, s:i, s:i, s:s, s:s, s:[]}", "queued", 0,
                             "sent", 0, "failed", 0, "suppressed", 0, "replayed", 0, "notices", 0,
                             "relay", relay, "relay_state", "unknown", "failures");
    sqlite3_stmt *stmt = out ? notify_store_stmt (self, counts) : NULL;
    int rc = stmt ? 1 : -1;
    while (rc == 1 && (rc = notify_store_step (self, stmt)) == 1) {
        const char *state = (const char *) sqlite3_column_text (stmt, 0);
        if (json_object_get (out, state))
            json_object_set_new (out, state, json_integer (sqlite3_column_int64 (stmt, 1)));
        if (strcmp (state, "queued") == 0 && sqlite3_column_type (stmt, 2) == SQLITE_INTEGER)
            json_object_set_new (out, "oldest_queued_ms",
                                 json_integer (now_ms - sqlite3_column_int64 (stmt, 2) > 0
                                               ? now_ms - sqlite3_column_int64 (stmt, 2) : 0));
    }
    stmt = rc == 0 ? notify_store_stmt (self, notices) : NULL;
    if (stmt && (rc = notify_store_step (self, stmt)) == 1) {
        json_object_set_new (out, "notices", json_integer (sqlite3_column_int64 (stmt, 0)));
        notify_store_reset (stmt);
        rc = 0;
    }
    stmt = rc == 0 ? notify_store_stmt (self, relay_row) : NULL;
    if (stmt && (rc = notify_store_step (self, stmt)) == 1) {
        json_object_set_new (out, "relay_state",
                             json_string ((const char *) sqlite3_column_text (stmt, 0)));
        if (sqlite3_column_type (stmt, 1) == SQLITE_TEXT)
            json_object_set_new (out, "relay_error",
                                 json_string ((const char *) sqlite3_column_text (stmt, 1)));
        if (sqlite3_column_type (stmt, 2) == SQLITE_INTEGER) {
            char stamp [32];
            s_stamp (sqlite3_column_int64 (stmt, 2), stamp, sizeof stamp);
            json_object_set_new (out, "retry_at", json_string (stamp));
        }
        notify_store_reset (stmt);
        rc = 0;
    }
    stmt = rc == 0 ? notify_store_stmt (self, failed) : NULL;
    if (stmt)
        s_bind_int (stmt, 1, failures);
    json_t *list = json_object_get (out, "failures");
    while (stmt && (rc = notify_store_step (self, stmt)) == 1) {
        char stamp [32], error [S_ERROR_MAX];
        s_stamp (sqlite3_column_int64 (stmt, 4), stamp, sizeof stamp);
        snprintf (error, sizeof error, "%s", sqlite3_column_text (stmt, 5)
                  ? (const char *) sqlite3_column_text (stmt, 5) : "");
        json_t *item = json_pack ("{s:s, s:s, s:s, s:s, s:s}",
            "message_id", (const char *) sqlite3_column_text (stmt, 0),
            "kind", (const char *) sqlite3_column_text (stmt, 1),
            "recipient", (const char *) sqlite3_column_text (stmt, 2),
            "at", stamp, "error", error);
        if (item && sqlite3_column_type (stmt, 3) == SQLITE_INTEGER)
            json_object_set_new (item, "seq", json_integer (sqlite3_column_int64 (stmt, 3)));
        json_array_append_new (list, item);
    }
    if (rc < 0 || !stmt) {
        json_decref (out);
        return -1;
    }
    *reply = out;
    return 0;
}

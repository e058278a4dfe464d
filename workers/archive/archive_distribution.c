/*  archive_distribution — what of a document each role may see.  See
    archive_distribution.h.

    The statements of families, declassifications and withdrawals live
    here; the rest of the archive's SQL is in archive_store.c and
    archive_find.c.  A withdrawal moves the index as a newer revision does
    (archive_store.c): the current revision leaves item_fts with the very
    values it entered with (or the batch's pending entries, if it waits
    there: ARCHIVE_STORE_PENDING), and the newest that stands enters it. */
#include "archive_distribution.h"
#include "archive_store.h"
#include "pl_log.h"
#include "pl_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    S_FAMILY_GET, S_FAMILY_SET, S_FAMILY_ITEMS, S_DECLASSIFIED, S_DECLASSIFICATIONS,
    S_REVISION, S_STANDING, S_WITHDRAW, S_UNINDEX, S_UNPEND, S_RETIRE, S_RECURRENT,
    S_REINDEX, S_KEYS_OF,
    S_COUNT
} s_stmt_t;

static const char *s_sql [S_COUNT] = {
    [S_FAMILY_GET] = "SELECT level FROM family WHERE base = ?1",
    [S_FAMILY_SET] =
        "INSERT INTO family (base, level) VALUES (?1, ?2)"
        " ON CONFLICT (base) DO UPDATE SET level = ?2",
    [S_FAMILY_ITEMS] =
        "UPDATE item INDEXED BY item_by_family SET level = ?2, distribution = ?3"
        " WHERE family = ?1 AND kind = 'document'",
    [S_DECLASSIFIED] =
        "INSERT INTO declassification (seq, base, distribution, at, by, reason)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_DECLASSIFICATIONS] =
        "SELECT distribution, at, by, reason, seq FROM declassification"
        " WHERE base = ?1 ORDER BY seq",
    [S_REVISION] =
        "SELECT d.withdrawn_seq IS NOT NULL FROM item i INDEXED BY item_by_key"
        " JOIN document d ON d.item = i.id WHERE i.key = ?1 AND i.revision = ?2",
    [S_STANDING] =
        "SELECT count (*) FROM document WHERE symbol = ?1 AND withdrawn_seq IS NULL",
    [S_WITHDRAW] =
        "UPDATE document SET withdrawn_seq = ?3, withdrawn_at = ?4, withdrawn_by = ?5,"
        " withdrawn_reason = ?6 WHERE withdrawn_seq IS NULL AND item IN (SELECT id FROM"
        " item INDEXED BY item_by_key WHERE key = ?1 AND (?2 = 0 OR revision = ?2))",
    [S_UNINDEX] =
        "INSERT INTO item_fts (item_fts, rowid, lang, title, body)"
        " SELECT 'delete', " ARCHIVE_STORE_INDEXED " FROM item INDEXED BY item_by_key"
        " WHERE key = ?1 AND current = 1 AND " ARCHIVE_STORE_INDEXED_ONLY,
    [S_UNPEND] =
        "DELETE FROM " ARCHIVE_STORE_PENDING " WHERE id IN (SELECT id FROM item"
        " INDEXED BY item_by_key WHERE key = ?1 AND current = 1)",
    [S_RETIRE] = "UPDATE item INDEXED BY item_by_key SET current = 0"
        " WHERE key = ?1 AND current = 1",
    [S_RECURRENT] =
        "UPDATE item SET current = 1 WHERE id = (SELECT i.id FROM item i INDEXED BY"
        " item_by_key JOIN document d ON d.item = i.id WHERE i.key = ?1"
        " AND d.withdrawn_seq IS NULL ORDER BY i.revision DESC LIMIT 1)",
    [S_REINDEX] =
        "INSERT OR IGNORE INTO " ARCHIVE_STORE_PENDING " (id) SELECT id"
        " FROM item INDEXED BY item_by_key WHERE key = ?1 AND current = 1",
    [S_KEYS_OF] =
        "SELECT DISTINCT i.key FROM document d JOIN item i ON i.id = d.item"
        " WHERE d.symbol = ?1 ORDER BY i.key",
};

struct _archive_distribution_t {
    sqlite3 *db;                    //  the store's
    const char *path;               //  the store's
    archive_rank_t *rank;           //  the store's
    sqlite3_stmt *stmt [S_COUNT];
};

archive_distribution_t *
archive_distribution_new (sqlite3 *db, const char *path, archive_rank_t *rank)
{
    archive_distribution_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->db = db;
    self->path = path;
    self->rank = rank;
    for (int i = 0; i < S_COUNT; i++)
        if (sqlite3_prepare_v3 (db, s_sql [i], -1, SQLITE_PREPARE_PERSISTENT, &self->stmt [i],
                                NULL) != SQLITE_OK) {
            pl_error ("archive: cannot prepare distribution statement %d db=%s cause=%s", i,
                      path, sqlite3_errmsg (db));
            archive_distribution_destroy (&self);
            return NULL;
        }
    return self;
}

void
archive_distribution_destroy (archive_distribution_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    archive_distribution_t *self = *self_p;
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize (self->stmt [i]);
    free (self);
    *self_p = NULL;
}

//  Bind TEXT (NULL binds NULL) to parameter INDEX of statement WHICH.
static void
s_bind_text (archive_distribution_t *self, s_stmt_t which, int index, const char *text)
{
    if (text)
        sqlite3_bind_text (self->stmt [which], index, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null (self->stmt [which], index);
}

//  Finish using statement WHICH after a step that returned RC; log unless
//  RC is one of the expected codes.  Returns RC.
static int
s_done (archive_distribution_t *self, s_stmt_t which, int rc)
{
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        pl_error ("archive: distribution statement %d failed db=%s cause=%s", (int) which,
                  self->path, sqlite3_errmsg (self->db));
    sqlite3_reset (self->stmt [which]);
    sqlite3_clear_bindings (self->stmt [which]);
    return rc;
}

static int
s_run (archive_distribution_t *self, s_stmt_t which)
{
    return s_done (self, which, sqlite3_step (self->stmt [which])) == SQLITE_DONE ? 0 : -1;
}

//  Step statement WHICH (bound) for one integer: 1 and *VALUE on a row, 0
//  none, -1 (logged).
static int
s_integer (archive_distribution_t *self, s_stmt_t which, int64_t *value)
{
    sqlite3_stmt *stmt = self->stmt [which];
    int rc = sqlite3_step (stmt);
    if (rc == SQLITE_ROW)
        *value = sqlite3_column_int64 (stmt, 0);
    rc = s_done (self, which, rc);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int
archive_distribution_family (archive_distribution_t *self, const char *base, int *level)
{
    int64_t value = PL_GENERAL;
    s_bind_text (self, S_FAMILY_GET, 1, base);
    int found = s_integer (self, S_FAMILY_GET, &value);
    *level = (int) value;
    return found;
}

int
archive_distribution_family_set (archive_distribution_t *self, const char *base, int level)
{
    //  what was seen at the level before: general when no row (a first
    //  release); nothing else to do when it does not change
    int before = PL_GENERAL;
    if (archive_distribution_family (self, base, &before) < 0)
        return -1;
    s_bind_text (self, S_FAMILY_SET, 1, base);
    sqlite3_bind_int (self->stmt [S_FAMILY_SET], 2, level);
    if (s_run (self, S_FAMILY_SET))
        return -1;
    if (before == level)
        return 0;
    s_bind_text (self, S_FAMILY_ITEMS, 1, base);
    sqlite3_bind_int (self->stmt [S_FAMILY_ITEMS], 2, level);
    s_bind_text (self, S_FAMILY_ITEMS, 3, pl_distribution_name (level));
    if (s_run (self, S_FAMILY_ITEMS))
        return -1;
    //  the items' levels, or those their symbols are seen at, changed: the
    //  rank table reads them all again before the next search (a rollback
    //  leaves it empty too, so it never holds what was undone)
    archive_rank_forget (self->rank, 0);
    return 0;
}

int
archive_distribution_declassified (archive_distribution_t *self, uint64_t seq,
                                   const char *base, const char *distribution, const char *at,
                                   const char *by, const char *reason)
{
    sqlite3_bind_int64 (self->stmt [S_DECLASSIFIED], 1, (sqlite3_int64) seq);
    const char *texts [] = { base, distribution, at, by, reason };
    for (int i = 0; i < 5; i++)
        s_bind_text (self, S_DECLASSIFIED, 2 + i, texts [i]);
    return s_run (self, S_DECLASSIFIED);
}

json_t *
archive_distribution_declassifications (archive_distribution_t *self, const char *base)
{
    sqlite3_stmt *stmt = self->stmt [S_DECLASSIFICATIONS];
    s_bind_text (self, S_DECLASSIFICATIONS, 1, base);
    json_t *rows = json_array ();
    int rc;
    while (rows && (rc = sqlite3_step (stmt)) == SQLITE_ROW) {
        json_t *row = json_pack ("{s:s, s:s, s:s, s:s, s:I}",
                                 "distribution", (const char *) sqlite3_column_text (stmt, 0),
                                 "at", (const char *) sqlite3_column_text (stmt, 1),
                                 "by", (const char *) sqlite3_column_text (stmt, 2),
                                 "reason", (const char *) sqlite3_column_text (stmt, 3),
                                 "seq", (json_int_t) sqlite3_column_int64 (stmt, 4));
        if (json_array_append_new (rows, row)) {
            json_decref (rows);
            rows = NULL;
        }
    }
    if (!rows) {
        pl_error ("archive: out of memory building a reply db=%s", self->path);
        s_done (self, S_DECLASSIFICATIONS, SQLITE_DONE);
        return NULL;
    }
    if (s_done (self, S_DECLASSIFICATIONS, rc) != SQLITE_DONE) {
        json_decref (rows);
        return NULL;
    }
    return rows;
}

int
archive_distribution_revision (archive_distribution_t *self, const char *key, int revision,
                               int *withdrawn)
{
    int64_t value = 0;
    s_bind_text (self, S_REVISION, 1, key);
    sqlite3_bind_int (self->stmt [S_REVISION], 2, revision);
    int found = s_integer (self, S_REVISION, &value);
    *withdrawn = value != 0;
    return found;
}

int
archive_distribution_standing (archive_distribution_t *self, const char *symbol,
                               int64_t *count)
{
    *count = 0;
    s_bind_text (self, S_STANDING, 1, symbol);
    return s_integer (self, S_STANDING, count) < 0 ? -1 : 0;
}

int
archive_distribution_withdraw (archive_distribution_t *self, const char *key, int revision,
                               uint64_t seq, const char *at, const char *by,
                               const char *reason)
{
    //  the index changes: the phrase counts of earlier searches no longer hold
    archive_rank_forget_counts (self->rank);
    s_bind_text (self, S_WITHDRAW, 1, key);
    sqlite3_bind_int (self->stmt [S_WITHDRAW], 2, revision);
    sqlite3_bind_int64 (self->stmt [S_WITHDRAW], 3, (sqlite3_int64) seq);
    s_bind_text (self, S_WITHDRAW, 4, at);
    s_bind_text (self, S_WITHDRAW, 5, by);
    s_bind_text (self, S_WITHDRAW, 6, reason);
    if (s_run (self, S_WITHDRAW))
        return -1;
    //  the current revision leaves the index (with the values it entered
    //  with), and the newest that still stands enters it
    static const s_stmt_t steps [] = { S_UNINDEX, S_UNPEND, S_RETIRE, S_RECURRENT, S_REINDEX };
    for (size_t i = 0; i < sizeof steps / sizeof steps [0]; i++) {
        s_bind_text (self, steps [i], 1, key);
        if (s_run (self, steps [i]))
            return -1;
    }
    //  an item that was current before may enter the index again: the rank
    //  table, filled by rowid above its last, must read every item anew
    archive_rank_forget (self->rank, 0);
    return 0;
}

json_t *
archive_distribution_keys_of (archive_distribution_t *self, const char *symbol)
{
    sqlite3_stmt *stmt = self->stmt [S_KEYS_OF];
    s_bind_text (self, S_KEYS_OF, 1, symbol);
    json_t *keys = json_array ();
    int rc;
    while (keys && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        if (json_array_append_new (keys, json_string ((const char *)
                                                      sqlite3_column_text (stmt, 0)))) {
            json_decref (keys);
            keys = NULL;
        }
    if (!keys) {
        pl_error ("archive: out of memory listing keys db=%s", self->path);
        s_done (self, S_KEYS_OF, SQLITE_DONE);
        return NULL;
    }
    if (s_done (self, S_KEYS_OF, rc) != SQLITE_DONE) {
        json_decref (keys);
        return NULL;
    }
    return keys;
}

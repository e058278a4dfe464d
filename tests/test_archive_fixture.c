/*  test_archive_fixture — an archive worker in process.  See
    test_archive_fixture.h. */
#include "test_archive_fixture.h"
#include "archive_tokenizer.h"
#include "archive_worker.h"
#include "pl_schema.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
archive_fixture_open (archive_fixture_t *f)
{
    memset (f, 0, sizeof *f);
    snprintf (f->dir, sizeof f->dir, "%s/plenary-archive.XXXXXX",
              getenv ("TMPDIR") ? getenv ("TMPDIR") : "/tmp");
    if (!mkdtemp (f->dir))
        return -1;
    snprintf (f->path, sizeof f->path, "%s/archive.db", f->dir);
    f->store = archive_store_new (f->path);
    f->handler = archive_worker_handler ();
    return f->store ? 0 : -1;
}

void
archive_fixture_close (archive_fixture_t *f)
{
    archive_store_destroy (&f->store);
    char command [160];
    snprintf (command, sizeof command, "rm -rf '%s'", f->dir);
    if (system (command) != 0)
        fprintf (stderr, "test_archive: cannot remove %s\n", f->dir);
}

int
archive_fixture_event (archive_fixture_t *f, uint64_t seq, const char *topic, json_t *payload,
                       char *reason)
{
    char err [PL_ERR_MAX];
    if (!payload || pl_schema_validate (pl_schema_find (topic), payload, err, sizeof err)) {
        fprintf (stderr, "test_archive: invalid %s: %s\n", topic, payload ? err : "NULL");
        json_decref (payload);
        return -1;
    }
    pl_delivery_t event = {
        .seq = seq ? seq : ++f->seq, .topic = topic, .event_id = "e", .payload = payload,
        .time_ms = ARCHIVE_FIXTURE_T0, .attempt = 1
    };
    pl_verdict_t verdict;
    int rc = f->handler->apply (f->store, &event, 1, &verdict);
    json_decref (payload);
    if (rc)
        return -1;
    if (reason)
        strcpy (reason, verdict.reason);
    return verdict.applied;
}

int
archive_fixture_batch (archive_fixture_t *f, size_t count, const char *topics [],
                       json_t *payloads [], int applied [])
{
    pl_delivery_t events [ARCHIVE_FIXTURE_BATCH_MAX];
    pl_verdict_t verdicts [ARCHIVE_FIXTURE_BATCH_MAX] = { 0 };
    char err [PL_ERR_MAX];
    int rc = count <= ARCHIVE_FIXTURE_BATCH_MAX ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        if (!payloads [i]
        ||  pl_schema_validate (pl_schema_find (topics [i]), payloads [i], err, sizeof err)) {
            fprintf (stderr, "test_archive: invalid %s: %s\n", topics [i],
                     payloads [i] ? err : "NULL");
            rc = -1;
        }
        events [i] = (pl_delivery_t) {
            .seq = ++f->seq, .topic = topics [i], .event_id = "e", .payload = payloads [i],
            .time_ms = ARCHIVE_FIXTURE_T0, .attempt = 1
        };
    }
    if (rc == 0)
        rc = f->handler->apply (f->store, events, count, verdicts);
    for (size_t i = 0; i < count; i++) {
        json_decref (payloads [i]);
        applied [i] = rc == 0 && verdicts [i].applied;
    }
    return rc;
}

int
archive_fixture_index_check (archive_fixture_t *f)
{
    //  FTS5's own check of its structure, then its terms against those of
    //  an index built afresh from the current items (the ones indexed)
    static const char *s_check =
        "INSERT INTO item_fts (item_fts) VALUES ('integrity-check');"
        "CREATE VIRTUAL TABLE temp.fresh USING fts5 (lang, title, body,"
        "  tokenize = '" ARCHIVE_TOKENIZER_NAME "');"
        "INSERT INTO temp.fresh (rowid, lang, title, body)"
        "  SELECT id, lang, title, body FROM item_text"
        "  WHERE id IN (SELECT id FROM item WHERE current = 1);"
        "CREATE VIRTUAL TABLE temp.kept USING fts5vocab (main, item_fts, 'instance');"
        "CREATE VIRTUAL TABLE temp.made USING fts5vocab (temp, fresh, 'instance');"
        "CREATE TEMP TABLE differ AS SELECT count (*) AS n FROM"
        "  (SELECT * FROM temp.kept EXCEPT SELECT * FROM temp.made"
        "   UNION ALL SELECT * FROM temp.made EXCEPT SELECT * FROM temp.kept);";
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    int differ = -1;
    int rc = sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK && archive_tokenizer_register (db))
        rc = SQLITE_ERROR;
    if (rc == SQLITE_OK)
        rc = sqlite3_exec (db, s_check, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2 (db, "SELECT n FROM temp.differ", -1, &stmt, NULL);
    if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
        differ = sqlite3_column_int (stmt, 0);
    if (rc != SQLITE_OK)
        fprintf (stderr, "test_archive: cannot check the index: %s\n", sqlite3_errmsg (db));
    else if (differ != 0)
        fprintf (stderr, "test_archive: the index differs from the current items"
                 " in %d token instances\n", differ);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    return differ == 0 ? 0 : -1;
}

json_t *
archive_fixture_ask (archive_fixture_t *f, const char *name, json_t *args, const char *role,
                     int *status)
{
    char err [PL_ERR_MAX];
    *status = 200;
    const pl_message_t *query = pl_schema_find (name);
    if (pl_schema_validate (query, args, err, sizeof err)) {
        fprintf (stderr, "test_archive: invalid %s: %s\n", name, err);
        json_decref (args);
        *status = -1;
        return NULL;
    }
    json_t *reply = f->handler->query (f->store, name, args, role, status, err, sizeof err);
    json_decref (args);
    if (reply && pl_schema_validate (pl_schema_find (query->reply), reply, err, sizeof err)) {
        fprintf (stderr, "test_archive: %s reply does not fit its schema: %s\n", name, err);
        json_decref (reply);
        *status = -1;
        return NULL;
    }
    return reply;
}

/*  test_archive_fixture — an archive worker in process.  See
    test_archive_fixture.h. */
#include "test_archive_fixture.h"
#include "archive_worker.h"
#include "pl_schema.h"

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

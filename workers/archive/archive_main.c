/*  plenary-archive — the archive worker daemon.

    Thin main: the archive worker described as a pl_worker_daemon_t; flags,
    signals, the data folder and the engine are pl_worker_main's.  Its
    database is DATA/archive/archive.db. */
#include "archive_store.h"
#include "archive_worker.h"
#include "pl_worker_main.h"

static void *
s_open (const char *path)
{
    return archive_store_new (path);
}

static void
s_close (void *object)
{
    archive_store_t *store = object;
    archive_store_destroy (&store);
}

int
main (int argc, char *argv [])
{
    static const pl_worker_daemon_t daemon = {
        .name = "archive", .group = ARCHIVE_GROUP, .service = ARCHIVE_SERVICE,
        .about =
            "The archive worker: keeps every revision of every language version of\n"
            "every document, the outcomes of meetings and the statements records\n"
            "applied, with a full-text index in the six UN languages, and answers the\n"
            "'archive' queries (archive.search, document.show).",
        .open = s_open, .close = s_close, .store_version = archive_store_version, .follows = ARCHIVE_FOLLOWS,
        .topics = archive_worker_topics, .handler = archive_worker_handler
    };
    return pl_worker_main (argc, argv, &daemon);
}

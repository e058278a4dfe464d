/*  plenary-records — the records worker daemon.

    Thin main: the records worker described as a pl_worker_daemon_t; flags,
    signals, the data folder and the engine are pl_worker_main's.  Its
    database is DATA/records/records.db. */
#include "records_store.h"
#include "records_worker.h"
#include "pl_worker_main.h"

#include <sqlite3.h>

static void *
s_open (const char *path)
{
    return records_store_new (path);
}

static void
s_close (void *object)
{
    records_store_t *store = object;
    records_store_destroy (&store);
}

int
main (int argc, char *argv [])
{
    //  No global memory statistics: they take a process-wide mutex on every
    //  SQLite allocation, and nothing here reads them.  Before any other
    //  SQLite call (later it fails harmlessly with SQLITE_MISUSE).
    sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
    static const pl_worker_daemon_t daemon = {
        .name = "records", .group = RECORDS_GROUP, .service = RECORDS_SERVICE,
        .about =
            "The records worker: keeps meetings, sessions, delegations, participants,\n"
            "credentials, statements and lists of speakers, and answers the 'records'\n"
            "queries (meeting.list, participant.list, credentials.report, ...).",
        .open = s_open, .close = s_close, .store_version = records_store_version,
        .topics = records_worker_topics, .handler = records_worker_handler
    };
    return pl_worker_main (argc, argv, &daemon);
}

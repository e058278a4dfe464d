/*  plenary-calendar — the calendar worker daemon.

    Thin main: the calendar worker described as a pl_worker_daemon_t; flags,
    signals, the data folder and the engine are pl_worker_main's.  Its
    database is DATA/calendar/calendar.db.  `plenary up` starts it as
    `plenary-calendar --data DATA --backend EP`. */
#include "calendar_store.h"
#include "calendar_worker.h"
#include "pl_worker_main.h"

//  The handler works on a calendar_worker_t, which borrows the store.
static void *
s_open (void *arg, const char *path, const pl_config_t *config)
{
    (void) arg;
    calendar_store_t *store = calendar_store_new (path);
    //  The mail key, so that the feed addresses plenary-notify mails open
    if (store && calendar_store_mail_key (store, config->data))
        calendar_store_destroy (&store);
    calendar_worker_t *worker = store ? calendar_worker_new (store) : NULL;
    if (!worker)
        calendar_store_destroy (&store);
    return worker;
}

static void
s_close (void *object)
{
    calendar_worker_t *worker = object;
    calendar_store_t *store = calendar_worker_store (worker);
    calendar_worker_destroy (&worker);
    calendar_store_destroy (&store);
}

int
main (int argc, char *argv [])
{
    static const pl_worker_daemon_t daemon = {
        .name = "calendar", .group = CALENDAR_GROUP, .service = CALENDAR_SERVICE,
        .about =
            "The calendar worker: keeps a view of meetings, sessions and registrations\n"
            "(what records applied; documents, what the archive applied) and the private\n"
            "feed tokens it issues, and renders iCalendar feeds for the 'calendar'\n"
            "queries (calendar.feed, calendar.schedule) that the HTTP gateway serves.",
        .open_with = s_open, .close = s_close, .store_version = calendar_store_version, .follows = CALENDAR_FOLLOWS,
        .topics = calendar_worker_topics, .handler = calendar_worker_handler
    };
    return pl_worker_main (argc, argv, &daemon);
}

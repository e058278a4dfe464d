/*  calendar_worker — what the calendar worker does with each event and query.

    Two tables: the events it applies (topic -> handler with its rules) and
    the queries it answers (calendar.feed, calendar.schedule).  The engine
    (pl_worker) drives them through the pl_worker_handler_t returned here,
    whose store is a calendar_worker_t (the store plus a cache of rendered
    feeds, emptied whenever a batch changed anything). */
#ifndef CALENDAR_WORKER_H_INCLUDED
#define CALENDAR_WORKER_H_INCLUDED

#include <stddef.h>
#include "calendar_store.h"
#include "pl_worker.h"

#define CALENDAR_GROUP   "calendar"     //  worker group
#define CALENDAR_SERVICE "calendar"     //  query service
//  The calendar decides nothing records or the archive decide: it keeps a
//  view of their facts and follows their verdicts (docs/protocol.md).
#define CALENDAR_FOLLOWS "records:meeting.*,records:session.*,records:participant.*," \
                         "archive:document.*"

typedef struct _calendar_worker_t calendar_worker_t;

//  Wrap STORE (borrowed; outlives the worker).  NULL when out of memory.
calendar_worker_t *calendar_worker_new (calendar_store_t *store);

//  Free; NULL-safe, nulls *SELF_P.  The store is not destroyed.
void calendar_worker_destroy (calendar_worker_t **self_p);

//  The store SELF borrows (NULL when SELF is NULL).
calendar_store_t *calendar_worker_store (calendar_worker_t *self);

//  The handler for pl_worker_new, whose store argument must be a
//  calendar_worker_t *.  Borrowed, static.
const pl_worker_handler_t *calendar_worker_handler (void);

//  Write the comma-separated topics the worker applies into BUF of SIZE
//  bytes.  0, or -1 when they do not fit.
int calendar_worker_topics (char *buf, size_t size);

#endif

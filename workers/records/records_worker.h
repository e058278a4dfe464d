/*  records_worker — what the records worker does with each event and query.

    Two tables: the events it applies (topic -> handler with the business
    rules) and the queries it answers (name -> handler).  The engine
    (pl_worker) drives them through the pl_worker_handler_t returned here,
    with a records_store_t * as its store. */
#ifndef RECORDS_WORKER_H_INCLUDED
#define RECORDS_WORKER_H_INCLUDED

#include <stddef.h>
#include "pl_worker.h"

#define RECORDS_GROUP   "records"       //  worker group
#define RECORDS_SERVICE "records"       //  query service

//  The handler for pl_worker_new; STORE must be a records_store_t *.
//  Borrowed, static.
const pl_worker_handler_t *records_worker_handler (void);

//  Write the comma-separated topics the worker applies (from its table)
//  into BUF of SIZE bytes.  0, or -1 when they do not fit.
int records_worker_topics (char *buf, size_t size);

#endif

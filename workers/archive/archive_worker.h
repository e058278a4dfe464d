/*  archive_worker — what the archive worker does with events and queries.

    The handler table the pl_worker engine drives: document.released,
    statement.delivered and outcome.adopted are archived (meeting.scheduled
    only teaches it which convention a meeting belongs to); archive.search
    and document.show are answered for the caller's role. */
#ifndef ARCHIVE_WORKER_H_INCLUDED
#define ARCHIVE_WORKER_H_INCLUDED

#include <stddef.h>
#include "pl_worker.h"

#define ARCHIVE_GROUP   "archive"
#define ARCHIVE_SERVICE "archive"
//  Meetings and statements are records' facts: the archive keeps them for
//  search and reference, and follows records' verdicts on them.
#define ARCHIVE_FOLLOWS "records:meeting.*,records:statement.*"

//  The handler for pl_worker_new; its store is an archive_store_t.
const pl_worker_handler_t *archive_worker_handler (void);

//  The topics the worker takes, comma-separated, into BUF.  0 or -1 (too small).
int archive_worker_topics (char *buf, size_t size);

#endif

/*  archive_handlers — the archive worker's event and query handlers.

    archive_worker.c holds the two tables (topic -> event handler, query
    name -> query handler) and the batch engine; the handlers live in one
    file per side and are declared here:
      archive_events.c    releases (revisions and metadata changes),
                          declassifications, withdrawals, outcomes,
                          statements and meetings
      archive_answers.c   archive.search, document.show, archive.digest
    An event handler applies one validated event inside its savepoint and
    returns ARCHIVE_APPLIED, ARCHIVE_REJECTED with REASON (plain English,
    naming the symbol or meeting and the cause) or ARCHIVE_FAILED on a
    storage failure.  A query handler returns a new reply object, or NULL
    with *STATUS (400, 404, 500) and ERR, for the role VIEW describes. */
#ifndef ARCHIVE_HANDLERS_H_INCLUDED
#define ARCHIVE_HANDLERS_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "archive_store.h"
#include "pl_symbol.h"
#include "pl_worker.h"

typedef enum {
    ARCHIVE_FAILED = -1,        //  the store failed; the batch is rolled back
    ARCHIVE_APPLIED = 0,
    ARCHIVE_REJECTED = 1        //  a business rule refused it; REASON says why
} archive_outcome_t;

typedef archive_outcome_t (archive_event_fn) (archive_store_t *store,
                                              const pl_delivery_t *event,
                                              char *reason, size_t reason_size);
typedef json_t *(archive_answer_fn) (archive_store_t *store, const json_t *args,
                                     const archive_view_t *view, int *status, char *err,
                                     size_t errsize);

#define ARCHIVE_KEY_MAX 160     //  an item key: symbol:language, meeting/id

//  archive_events.c
archive_event_fn archive_event_meeting_scheduled;
archive_event_fn archive_event_document_released;
archive_event_fn archive_event_statement_delivered;
archive_event_fn archive_event_outcome_adopted;
archive_event_fn archive_event_document_declassified;
archive_event_fn archive_event_document_withdrawn;

//  archive_answers.c
archive_answer_fn archive_answer_search;
archive_answer_fn archive_answer_show;
archive_answer_fn archive_answer_digest;

//  Helpers the handlers share (archive_worker.c).

//  The string field NAME of OBJECT, or NULL (borrowed).
const char *archive_field (const json_t *object, const char *name);

//  The integer field NAME of ARGS, or FALLBACK.
int archive_int (const json_t *args, const char *name, int fallback);

//  The YYYY-MM-DD of TIME_MS, and its RFC 3339 form, into DATE / STAMP.
void archive_event_time (int64_t time_ms, char *date, size_t date_size, char *stamp,
                         size_t stamp_size);

//  The date part of an RFC 3339 STAMP into DATE (11 bytes).
void archive_date_of (const char *stamp, char *date);

//  Parse symbol TEXT of event field FIELD into *SYMBOL; a bad one fills
//  REASON.  0 or -1.
int archive_symbol (const char *text, const char *field, pl_symbol_t *symbol, char *reason,
                    size_t reason_size);

#endif

/*  archive_handlers — the archive worker's event and query handlers.

    archive_worker.c holds the two tables (topic -> event handler, query
    name -> query handler), which lib/pl_rules runs; the handlers live in
    one file per side and are declared here:
      archive_events.c    releases (revisions and metadata changes),
                          declassifications, withdrawals, outcomes,
                          statements and meetings
      archive_answers.c   archive.search, document.show, archive.digest
    An event handler applies one validated event inside its savepoint and
    returns PL_APPLIED, PL_REJECTED with REASON (plain English,
    naming the symbol or meeting and the cause) or PL_FAILED on a
    storage failure.  A query handler returns a new reply object, or NULL
    with *STATUS (400, 404, 500) and ERR, for the role VIEW describes. */
#ifndef ARCHIVE_HANDLERS_H_INCLUDED
#define ARCHIVE_HANDLERS_H_INCLUDED

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "archive_store.h"
#include "pl_symbol.h"
#include "pl_rules.h"

#define ARCHIVE_KEY_MAX 160     //  an item key: symbol:language, meeting/id

//  archive_events.c
pl_event_fn archive_event_meeting_scheduled;
pl_event_fn archive_event_document_released;
pl_event_fn archive_event_statement_delivered;
pl_event_fn archive_event_outcome_adopted;
pl_event_fn archive_event_document_declassified;
pl_event_fn archive_event_document_withdrawn;

//  archive_answers.c
pl_answer_fn archive_answer_search;
pl_answer_fn archive_answer_show;
pl_answer_fn archive_answer_digest;

//  Helpers the handlers share (archive_worker.c).

//  What ROLE sees: the distribution levels, and withdrawn revisions for
//  the secretariat alone.
archive_view_t archive_view (const char *role);

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

/*  test_archive_fixture — an archive worker in process, for the archive's
    tests: a store in a fresh folder and the worker's handler, events
    applied as the pl_worker engine hands them over (one batch each,
    validated against the schema first), queries asked for a role (the
    reply validated against its schema after).  test_archive.c and
    test_archive_search.c use it. */
#ifndef TEST_ARCHIVE_FIXTURE_H_INCLUDED
#define TEST_ARCHIVE_FIXTURE_H_INCLUDED

#include <jansson.h>
#include <stdint.h>
#include "archive_store.h"
#include "pl_worker.h"

//  The time of every event: 2026-11-18T11:06:40.123Z.
#define ARCHIVE_FIXTURE_T0 1795000000123LL

#define ARCHIVE_FIXTURE_BATCH_MAX 64

typedef struct {
    char dir [64];
    char path [128];
    archive_store_t *store;
    const pl_worker_handler_t *handler;
    uint64_t seq;
} archive_fixture_t;

//  A store in a fresh folder under $TMPDIR (or /tmp).  0 or -1.
int archive_fixture_open (archive_fixture_t *f);

//  Close the store and remove its folder.
void archive_fixture_close (archive_fixture_t *f);

//  Apply one event (validated against the schema) as the next seq, or as
//  SEQ when it is not 0 (a redelivery).  Returns 1 applied, 0 rejected
//  (REASON, PL_REASON_MAX bytes, filled when not NULL), -1 on failure.
//  Takes PAYLOAD.
int archive_fixture_event (archive_fixture_t *f, uint64_t seq, const char *topic,
                           json_t *payload, char *reason);

//  Apply COUNT events (at most ARCHIVE_FIXTURE_BATCH_MAX) (TOPICS [i], PAYLOADS [i], each validated, all
//  taken) in one batch, as the next seqs, as the engine hands a backlog
//  over.  APPLIED [i] is 1 or 0.  0, or -1 on failure.
int archive_fixture_batch (archive_fixture_t *f, size_t count, const char *topics [],
                           json_t *payloads [], int applied []);

//  FTS5's integrity check of the index against the items' texts, on a
//  connection of its own.  0 when they agree, -1 otherwise (said on stderr).
int archive_fixture_index_check (archive_fixture_t *f);

//  Ask query NAME with ARGS (taken) as ROLE; the reply is validated.  NULL
//  with *STATUS on refusal (-1 when invalid).
json_t *archive_fixture_ask (archive_fixture_t *f, const char *name, json_t *args,
                             const char *role, int *status);

#endif

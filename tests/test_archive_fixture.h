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

//  Ask query NAME with ARGS (taken) as ROLE; the reply is validated.  NULL
//  with *STATUS on refusal (-1 when invalid).
json_t *archive_fixture_ask (archive_fixture_t *f, const char *name, json_t *args,
                             const char *role, int *status);

#endif

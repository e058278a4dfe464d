/*  pl_codec — msgpack on the wire, jansson json_t in memory, schema checks between.

    Every payload that crosses a socket is a msgpack map whose keys are the
    field names of one schema message.  Decoding builds a json_t object (so the
    CLI's --json and the HTTP API print the same thing) and validates it;
    encoding validates first and packs only valid objects, in canonical
    form (pl_canon.h); decoding takes keys in any order.  Malformed input
    (truncated msgpack, binary or ext values, non-string keys, invalid UTF-8,
    nesting deeper than 8, trailing bytes) is an error naming the message and
    the place, never an assertion. */
#ifndef PL_CODEC_H_INCLUDED
#define PL_CODEC_H_INCLUDED

#include <stddef.h>
#include <jansson.h>
#include "pl_schema.h"

//  Maps and arrays nested at most this deep, the payload map counting as 1
//  (pl_codec_check and pl_canon apply the same limit).
#define PL_CODEC_DEPTH_MAX 8

//  Decode SIZE bytes at DATA as message NAME.  Returns a new reference the
//  caller owns (json_decref), or NULL with ERR set.
json_t *pl_codec_decode (const char *name, const void *data, size_t size,
                         char *err, size_t errsize);

//  Validate SIZE bytes at DATA as message NAME without building json_t
//  values (the broker's publish path).  Returns 0 when pl_codec_decode would
//  succeed, or -1 with ERR set to exactly the error it would give.
int pl_codec_check (const char *name, const void *data, size_t size,
                    char *err, size_t errsize);

//  The same with ZONE, a msgpack zone the caller owns and reuses from call
//  to call (msgpack_zone_new; cleared here after use), which saves the
//  allocation and clearing of a fresh zone per payload on a hot path.  A
//  payload over PL_CODEC_ZONE_MAX bytes uses a zone of its own instead, so
//  that ZONE never keeps the memory of one large document.
#define PL_CODEC_ZONE_MAX 16384
typedef struct msgpack_zone msgpack_zone;
int pl_codec_check_in (msgpack_zone *zone, const char *name, const void *data, size_t size,
                       char *err, size_t errsize);

//  Validate OBJECT as message NAME and pack it in the canonical form of
//  pl_canon.h (keys sorted, null members left out, smallest encodings), so
//  that the broker finds it canonical and copies nothing.  On success
//  *DATA_P holds malloc'd bytes the caller frees and *SIZE_P their count;
//  returns 0.  Returns -1 with ERR set otherwise; nothing is allocated then.
int pl_codec_encode (const char *name, const json_t *object,
                     void **data_p, size_t *size_p, char *err, size_t errsize);

//  Pack any JSON value without schema validation, members in the object's
//  order and nulls kept: not canonical (used by tests to make deliberately
//  invalid or non-canonical payloads).  Same ownership as pl_codec_encode.
int pl_codec_pack_raw (const json_t *value, void **data_p, size_t *size_p);

//  Self-test; returns 0 when all checks pass.
int pl_codec_test (int verbose);

#endif

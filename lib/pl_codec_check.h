/*  pl_codec_check — internal to the codec: the jansson-free validation of an
    unpacked payload map behind pl_codec_check (pl_codec.h has the public
    function).  Only lib/pl_codec.c includes this header. */
#ifndef PL_CODEC_CHECK_H_INCLUDED
#define PL_CODEC_CHECK_H_INCLUDED

#include <msgpack.h>
#include "pl_schema.h"

//  Returned when the walk leaves a payload to pl_codec_decode (a map with
//  more entries than the walk compares for duplicates).
#define PL_CODEC_CHECK_DECODE 1

//  Validate MAP, the top-level map of a payload of MESSAGE, by the rules of
//  pl_codec_decode.  0 valid; -1 with ERR set to exactly the text
//  pl_codec_decode would give; PL_CODEC_CHECK_DECODE: decode it instead.
int pl_codec_check_map (const pl_message_t *message, const msgpack_object_map *map,
                        char *err, size_t errsize);

#endif

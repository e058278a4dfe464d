/*  fuzz_codec — libFuzzer target for pl_codec_decode, the parser of outside input.

    Every payload that reaches the broker is decoded by pl_codec_decode, so
    arbitrary bytes must give a result or an error, never a crash, a leak or
    a hang.  The first input byte picks the message (event, query or reply);
    the rest is the msgpack payload.  Whatever decodes must re-encode, and
    decode again to an equal object but for its null members (the encoder
    leaves them out: nil and absent are the same).  Build with clang and
    -DPL_FUZZ=ON:
        build/fuzz_codec -max_total_time=60 */
#include "pl_codec.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

//  VALUE without null members, at every depth
static void
s_drop_nulls (json_t *value)
{
    size_t index;
    json_t *member;
    if (json_is_array (value))
        json_array_foreach (value, index, member)
            s_drop_nulls (member);
    const char *key;
    void *spare;
    if (json_is_object (value))
        json_object_foreach_safe (value, spare, key, member) {
            if (json_is_null (member))
                json_object_del (value, key);
            else
                s_drop_nulls (member);
        }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t count = 0;
    while (pl_schema_at (count))
        count++;
    const pl_message_t *message = pl_schema_at (data [0] % count);
    char err [PL_ERR_MAX];
    json_t *decoded = pl_codec_decode (message->name, data + 1, size - 1, err, sizeof err);
    if (decoded) {
        void *packed = NULL;
        size_t packed_size = 0;
        if (pl_codec_encode (message->name, decoded, &packed, &packed_size, err, sizeof err))
            abort ();           //  what decodes must validate again
        json_t *again = pl_codec_decode (message->name, packed, packed_size, err, sizeof err);
        s_drop_nulls (decoded);
        if (!again || !json_equal (again, decoded))
            abort ();
        json_decref (again);
        free (packed);
        json_decref (decoded);
    }
    return 0;
}

/*  fuzz_canon — libFuzzer target for pl_canon, the canonical form of payloads.

    The broker will canonicalise every payload it accepts, so arbitrary
    bytes must give a form or a status, never a crash, a leak or a hang.
    The first input byte picks the message (event, query or reply); the
    rest is the msgpack payload.  Invariants, whatever the bytes:
      - pl_canon_is_canonical holds exactly when pl_canon_write succeeds
        and gives the bytes back unchanged;
      - a form is canonical, never longer than its input, and canonicalises
        to itself (idempotence), also through a canonicaliser whose buffers
        are warm;
    and for a payload that pl_codec_decode accepts:
      - it canonicalises, and its form decodes to the same JSON (null
        members aside: nil and absent are the same);
      - pl_codec_encode of that JSON gives the form byte for byte.
    Build with clang and -DPL_FUZZ=ON:
        build/fuzz_canon -max_total_time=120 */
#include "pl_canon.h"
#include "pl_codec.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

static bool
s_same (const void *a, size_t a_size, const void *b, size_t b_size)
{
    return a_size == b_size && memcmp (a, b, a_size) == 0;
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
    const uint8_t *payload = data + 1;
    size_t payload_size = size - 1;

    pl_canon_t *canon = pl_canon_new (), *other = pl_canon_new ();
    if (!canon || !other)
        abort ();
    const void *form = NULL, *again = NULL;
    size_t form_size = 0, again_size = 0;
    pl_canon_status_t status = pl_canon_write (canon, payload, payload_size, &form, &form_size);
    bool unchanged = status == PL_CANON_OK && s_same (form, form_size, payload, payload_size);
    if (pl_canon_is_canonical (payload, payload_size) != unchanged)
        abort ();
    if (status == PL_CANON_OK) {
        if (form_size > payload_size || !pl_canon_is_canonical (form, form_size))
            abort ();
        if (pl_canon_write (other, form, form_size, &again, &again_size) != PL_CANON_OK
        ||  !s_same (again, again_size, form, form_size))
            abort ();
        //  CANON again, its buffer warm: the same form as OTHER wrote
        if (pl_canon_write (canon, payload, payload_size, &form, &form_size) != PL_CANON_OK
        ||  !s_same (again, again_size, form, form_size))
            abort ();
    }

    char err [PL_ERR_MAX];
    json_t *decoded = pl_codec_decode (message->name, payload, payload_size, err, sizeof err);
    if (decoded) {
        if (status != PL_CANON_OK)
            abort ();           //  a valid payload always has a form
        json_t *canonical = pl_codec_decode (message->name, form, form_size, err, sizeof err);
        s_drop_nulls (decoded);
        if (!canonical || !json_equal (canonical, decoded))
            abort ();
        void *encoded = NULL;
        size_t encoded_size = 0;
        if (pl_codec_encode (message->name, canonical, &encoded, &encoded_size, err, sizeof err)
        ||  !s_same (encoded, encoded_size, form, form_size))
            abort ();           //  the encoder packs the form directly
        free (encoded);
        json_decref (canonical);
        json_decref (decoded);
    }
    pl_canon_destroy (&canon);
    pl_canon_destroy (&other);
    return 0;
}

/*  fuzz_zap — libFuzzer target for the broker's ZAP messages
    (broker/broker_zap.c): requests as any peer may send them, and the
    metadata the broker writes into its replies.

    The input: two bytes (big-endian) giving the size of a metadata
    buffer, then frames, each two bytes of length (big-endian) and its
    bytes (the last one cut short when the input ends), at most
    S_FRAMES_MAX.  Each frame is copied to a heap block of its own size,
    so that a read past a frame is a read past a block.  Whatever they are:
    - broker_zap_parse accepts the frames exactly when an independent
      reading of RFC 27 (below) does, fills the request with the frames'
      bytes when it does, and says why when it does not;
    - the frames taken in pairs as NAME and VALUE (each up to its first
      NUL) and written with broker_zap_property into the buffer: a
      property is refused exactly when its name is empty or longer than
      255 bytes or it does not fit, and then nothing is written; what was
      written reads back with broker_zap_properties as the same pairs in
      the same order, and one byte less of it does not read;
    - each frame read as metadata either is refused, or reads as
      properties that, written again, give the frame byte for byte.
    Build with clang and -DPL_FUZZ=ON; the seeds are in tests/fuzz/zap:
        build-fuzz/fuzz_zap -max_total_time=60 tests/fuzz/zap */
#include "broker_zap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define S_FRAMES_MAX 16
#define S_PAIRS_MAX  (65536 / 6 + 1)    //  a property takes 6 bytes or more

//  Properties as broker_zap_properties gives them: views into its input.
typedef struct {
    size_t count;
    struct {
        const char *name;
        size_t name_size;
        const char *value;
        size_t value_size;
    } pairs [S_PAIRS_MAX];
} s_pairs_t;

static int
s_collect (void *arg, const char *name, size_t name_size, const char *value, size_t value_size)
{
    s_pairs_t *pairs = arg;
    if (pairs->count == S_PAIRS_MAX)
        abort ();               //  more properties than bytes allow
    pairs->pairs [pairs->count].name = name;
    pairs->pairs [pairs->count].name_size = name_size;
    pairs->pairs [pairs->count].value = value;
    pairs->pairs [pairs->count].value_size = value_size;
    pairs->count++;
    return 0;
}

//  FRAME is text of fewer than SIZE bytes without a NUL.
static int
s_text (const broker_zap_frame_t *frame, size_t size)
{
    return frame->size < size && !memchr (frame->data, 0, frame->size);
}

static int
s_equals (const broker_zap_frame_t *frame, const char *text)
{
    return frame->size == strlen (text) && memcmp (frame->data, text, frame->size) == 0;
}

//  RFC 27 as the broker reads it, written apart from broker_zap_parse.
static int
s_valid (const broker_zap_frame_t *frames, size_t count)
{
    if (count < 6 || !s_equals (&frames [0], "1.0") || frames [1].size > BROKER_ZAP_ID_MAX
    ||  !s_text (&frames [2], BROKER_ZAP_DOMAIN_MAX + 1)
    ||  !s_text (&frames [3], BROKER_ZAP_ADDRESS_MAX + 1)
    ||  !s_text (&frames [5], sizeof ((broker_zap_request_t *) 0)->mechanism))
        return 0;
    if (s_equals (&frames [5], "CURVE"))
        return count == 7 && frames [6].size == 32;
    return 1;
}

//  FIELD (a NUL-terminated copy) holds FRAME's bytes.
static int
s_copied (const char *field, const broker_zap_frame_t *frame)
{
    return strlen (field) == frame->size && memcmp (field, frame->data, frame->size) == 0;
}

static void
s_parse (const broker_zap_frame_t *frames, size_t count)
{
    broker_zap_request_t request;
    char err [256] = "";
    int rc = broker_zap_parse (frames, count, &request, err, sizeof err);
    if (rc != (s_valid (frames, count) ? 0 : -1))
        abort ();
    if (rc) {
        if (!*err)
            abort ();
        return;
    }
    int curve = s_equals (&frames [5], "CURVE");
    if (request.request_id_size != frames [1].size
    ||  memcmp (request.request_id, frames [1].data, frames [1].size)
    ||  !s_copied (request.domain, &frames [2]) || !s_copied (request.address, &frames [3])
    ||  !s_copied (request.mechanism, &frames [5]) || request.curve != curve
    ||  (curve && memcmp (request.client_key, frames [6].data, 32)))
        abort ();
}

//  A NUL-terminated copy of FRAME's bytes up to its first NUL.
static char *
s_string (const broker_zap_frame_t *frame)
{
    const uint8_t *nul = frame->size ? memchr (frame->data, 0, frame->size) : NULL;
    size_t size = nul ? (size_t) (nul - frame->data) : frame->size;
    char *text = malloc (size + 1);
    if (!text)
        abort ();
    if (size)
        memcpy (text, frame->data, size);
    text [size] = 0;
    return text;
}

//  Write the frames' pairs into a buffer of BUF_SIZE bytes and read them back.
static void
s_write (const broker_zap_frame_t *frames, size_t count, size_t buf_size, s_pairs_t *pairs)
{
    uint8_t *buf = malloc (buf_size ? buf_size : 1);
    char *names [S_FRAMES_MAX / 2], *values [S_FRAMES_MAX / 2];
    int written [S_FRAMES_MAX / 2];
    size_t used = 0;
    if (!buf)
        abort ();
    for (size_t i = 0; i + 1 < count; i += 2) {
        char *name = names [i / 2] = s_string (&frames [i]);
        char *value = values [i / 2] = s_string (&frames [i + 1]);
        size_t name_size = strlen (name), value_size = strlen (value);
        size_t before = used;
        int fits = name_size > 0 && name_size <= 255
                && before + 1 + name_size + 4 + value_size <= buf_size;
        int rc = broker_zap_property (buf, buf_size, &used, name, value);
        if (rc != (fits ? 0 : -1) || used != (fits ? before + 1 + name_size + 4 + value_size
                                                   : before))
            abort ();
        written [i / 2] = fits;
    }
    pairs->count = 0;
    if (broker_zap_properties (buf, used, s_collect, pairs))
        abort ();
    size_t next = 0;
    for (size_t i = 0; i < count / 2; i++) {
        if (!written [i])
            continue;
        if (next == pairs->count
        ||  pairs->pairs [next].name_size != strlen (names [i])
        ||  memcmp (pairs->pairs [next].name, names [i], pairs->pairs [next].name_size)
        ||  pairs->pairs [next].value_size != strlen (values [i])
        ||  memcmp (pairs->pairs [next].value, values [i], pairs->pairs [next].value_size))
            abort ();
        next++;
    }
    if (next != pairs->count)
        abort ();
    pairs->count = 0;
    if (used && broker_zap_properties (buf, used - 1, s_collect, pairs) == 0)
        abort ();
    for (size_t i = 0; i < count / 2; i++) {
        free (names [i]);
        free (values [i]);
    }
    free (buf);
}

//  FRAME read as metadata: refused, or written again byte for byte.
static void
s_reread (const broker_zap_frame_t *frame, s_pairs_t *pairs)
{
    pairs->count = 0;
    if (broker_zap_properties (frame->data, frame->size, s_collect, pairs))
        return;
    //  broker_zap_property writes C strings: a pair with a NUL cannot be written
    for (size_t i = 0; i < pairs->count; i++)
        if (memchr (pairs->pairs [i].name, 0, pairs->pairs [i].name_size)
        ||  memchr (pairs->pairs [i].value, 0, pairs->pairs [i].value_size))
            return;
    uint8_t *again = malloc (frame->size ? frame->size : 1);
    if (!again)
        abort ();
    size_t used = 0;
    for (size_t i = 0; i < pairs->count; i++) {
        char *name = strndup (pairs->pairs [i].name, pairs->pairs [i].name_size);
        char *value = strndup (pairs->pairs [i].value, pairs->pairs [i].value_size);
        if (!name || !value || broker_zap_property (again, frame->size, &used, name, value))
            abort ();
        free (name);
        free (value);
    }
    if (used != frame->size || memcmp (again, frame->data, used))
        abort ();
    free (again);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    static s_pairs_t pairs;
    if (size < 2)
        return 0;
    size_t buf_size = (size_t) data [0] << 8 | data [1];
    size_t at = 2, count = 0;
    broker_zap_frame_t frames [S_FRAMES_MAX];
    while (at + 2 <= size && count < S_FRAMES_MAX) {
        size_t length = (size_t) data [at] << 8 | data [at + 1];
        at += 2;
        if (length > size - at)
            length = size - at;
        uint8_t *copy = malloc (length ? length : 1);
        if (!copy)
            abort ();
        if (length)
            memcpy (copy, data + at, length);
        frames [count++] = (broker_zap_frame_t) { copy, length };
        at += length;
    }
    s_parse (frames, count);
    s_write (frames, count, buf_size, &pairs);
    for (size_t i = 0; i < count; i++)
        s_reread (&frames [i], &pairs);
    for (size_t i = 0; i < count; i++)
        free ((void *) frames [i].data);
    return 0;
}

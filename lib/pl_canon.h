/*  pl_canon — the canonical msgpack form of a payload.

    The broker compares and stores payloads byte for byte, so two encodings
    of the same payload (keys in another order, a nil for an omitted field,
    a 5 packed as int 64) must become the same bytes before it does.  The
    canonical form of a payload is its msgpack encoding in which, at every
    depth (maps and arrays nested in maps and arrays alike):

    1.  every map's entries are ordered by their keys' bytes: the bytes of
        the key string (not its msgpack header) compared as unsigned bytes
        with memcmp, a key that is a prefix of another coming first
        ("a" < "ab" < "b" < "é"); keys are strings and unique;
    2.  map entries whose value is nil are left out (nil and absent are the
        same, docs/protocol.md); a nil inside an array stays;
    3.  integers take the smallest format that holds their value, and a
        value of 0 or more never takes a signed format: 0..127 positive
        fixint, up to 255 uint 8, 65535 uint 16, 2^32-1 uint 32, beyond
        uint 64; -1..-32 negative fixint, down to -128 int 8, -32768 int 16,
        -2^31 int 32, beyond int 64;
    4.  strings, keys included, are str (never bin) with the smallest
        header: fixstr up to 31 bytes, str 8 up to 255, str 16 up to 65535,
        str 32 beyond; their bytes are unchanged;
    5.  arrays keep their order; arrays and maps take the smallest header
        for their count (after rule 2): fix up to 15, 16-bit up to 65535,
        32-bit beyond;
    6.  false, true and nil are 0xC2, 0xC3 and 0xC0;
    7.  there are no float, bin or ext values.  The schema has no float
        type (PL_T_INT refuses reals) and validation refuses bin and ext, so
        a valid payload holds none; the canonicaliser refuses them
        (PL_CANON_UNSUPPORTED) rather than choose a form for them.  A float
        type added to the schema needs a rule here first.

    The smallest encodings are exactly what msgpack-c's packer writes
    (msgpack_pack_int64 / _uint64 / _str / _array / _map), and pl_codec_encode
    packs the canonical form directly, so a payload our own clients made is
    canonical already: pl_canon_is_canonical says so without allocating and
    nothing is copied.  Only payloads from other encoders are rewritten.

    The form is structural: it says nothing of UTF-8, field names or types.
    Call it on payloads that passed pl_codec_check; such a payload always
    canonicalises (pl_codec_check refuses duplicate keys, float, bin and ext
    values and nesting deeper than PL_CODEC_DEPTH_MAX, the limit applied
    here too).  Any other bytes get a status, never an assertion.

        pl_canon_t *canon = pl_canon_new ();             //  once, reused
        if (!pl_canon_is_canonical (data, size)) {
            const void *form;
            size_t form_size;
            if (pl_canon_write (canon, data, size, &form, &form_size) == PL_CANON_OK)
                ...  form_size bytes at form, valid until the next call on canon
        }
        pl_canon_destroy (&canon);                                          */
#ifndef PL_CANON_H_INCLUDED
#define PL_CANON_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    PL_CANON_OK = 0,
    PL_CANON_TRUNCATED,         //  the bytes end inside a value
    PL_CANON_TRAILING,          //  bytes after the payload map
    PL_CANON_MALFORMED,         //  0xC1, which msgpack never uses
    PL_CANON_NOT_MAP,           //  the payload is not a map
    PL_CANON_UNSUPPORTED,       //  a float, bin or ext value (rule 7)
    PL_CANON_KEY_NOT_STRING,    //  a map key that is not a str
    PL_CANON_DUPLICATE_KEY,     //  a map holds the same key twice
    PL_CANON_TOO_DEEP,          //  maps and arrays nested deeper than PL_CODEC_DEPTH_MAX
    PL_CANON_NO_MEMORY          //  the output or the sort's room could not grow
} pl_canon_status_t;

typedef struct _pl_canon_t pl_canon_t;

//  A canonicaliser with empty buffers; they grow to the largest payload
//  seen and are reused, so once warm pl_canon_write allocates nothing.
//  Returns NULL when out of memory.
pl_canon_t *pl_canon_new (void);

//  Destroy *SELF_P and set it to NULL; NULL-safe.
void pl_canon_destroy (pl_canon_t **self_p);

//  True when SIZE bytes at DATA are one payload map already in canonical
//  form, so that pl_canon_write would give them back unchanged.  False for
//  anything else, malformed bytes included (pl_canon_write says why).
//  Allocates nothing; one pass that stops at the first difference.
bool pl_canon_is_canonical (const void *data, size_t size);

//  Write the canonical form of the payload of SIZE bytes at DATA into
//  SELF's buffer.  PL_CANON_OK with *FORM_P and *FORM_SIZE_P set to it:
//  borrowed, valid until the next call on SELF; never longer than SIZE.
//  Any other status leaves them NULL and 0.  DATA must not point into
//  SELF's buffer.
pl_canon_status_t pl_canon_write (pl_canon_t *self, const void *data, size_t size,
                                  const void **form_p, size_t *form_size_p);

//  The order of rule 1: negative, 0 or positive as key A (A_SIZE bytes)
//  sorts before, with or after key B.  pl_codec_encode sorts with it too.
int pl_canon_key_compare (const void *a, size_t a_size, const void *b, size_t b_size);

//  A status in words ("duplicate key"), for error messages.
const char *pl_canon_status_str (pl_canon_status_t status);

//  Self-test; returns 0 when all checks pass.
int pl_canon_test (int verbose);

#endif

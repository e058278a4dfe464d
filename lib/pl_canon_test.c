/*  pl_canon_test — the canonical form's self-test (pl_canon_test in pl_canon.h).

    Written in msgpack bytes, since the form is about bytes: each row of
    s_forms is one payload in canonical form and other encodings of it (keys
    in other orders, nil entries, integers, strings and containers in larger
    formats, nested maps in arrays); every encoding must canonicalise to the
    canonical bytes, which alone pass pl_canon_is_canonical and come back
    untouched.  Then every integer boundary, strings, arrays and maps at the
    boundaries of their header sizes in every format, large maps sorted, the
    refusals with their statuses (and every truncation), and the reuse of
    the output buffer.  The codec's samples are canonicalised in
    pl_codec_test.c.  Uses the public functions only. */
#include "pl_canon.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "pl_canon_test: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    goto fail; } } while (0)

#define S_HEX_MAX       256     //  bytes of a payload written in hex below
#define S_VARIANTS_MAX  6

//  Keys used below: "a" a1 61, "b" a1 62, "c" a1 63, "n" a1 6e, "s" a1 73,
//  "z" a1 7a, "ab" a2 61 62, "é" a2 c3 a9, "items" a5 69 74 65 6d 73
typedef struct {
    const char *what;
    const char *form;                           //  the canonical form, in hex
    const char *variants [S_VARIANTS_MAX];      //  the same payload encoded otherwise
} s_form_t;

static const s_form_t s_forms [] = {
    { "two keys", "82 a161 01 a162 02", { "82 a162 02 a161 01" } },
    { "three keys in every order", "83 a161 01 a162 02 a163 03",
      { "83 a161 01 a163 03 a162 02", "83 a162 02 a161 01 a163 03", "83 a162 02 a163 03 a161 01",
        "83 a163 03 a161 01 a162 02", "83 a163 03 a162 02 a161 01" } },
    { "a prefix sorts first", "83 a161 01 a26162 02 a162 03",
      { "83 a162 03 a26162 02 a161 01", "83 a26162 02 a161 01 a162 03" } },
    { "bytes compare unsigned", "82 a17a 01 a2c3a9 02", { "82 a2c3a9 02 a17a 01" } },
    { "keys sort by their bytes, not their headers", "82 a161 01 a162 02",
      { "82 a162 02 d90161 01", "82 d90161 01 a162 02", "82 da000162 02 db0000000161 01" } },
    { "nil entries are left out", "81 a161 01",
      { "82 a161 01 a17a c0", "82 a17a c0 a161 01", "83 a162 c0 a161 01 a17a c0" } },
    { "a map of nils is empty", "80", { "81 a161 c0", "de0000", "df00000000", "de0002 a161 c0 a162 c0" } },
    { "nil in an array stays", "81 a161 92 c0 01", { "81 a161 dc0002 c0 01", "82 a162 c0 a161 92 c0 01" } },
    { "empty array", "81 a161 90", { "81 a161 dc0000", "81 a161 dd00000000" } },
    { "booleans", "82 a161 c2 a162 c3", { "82 a162 c3 a161 c2" } },
    { "small positive", "81 a16e 05",
      { "81 a16e cc05", "81 a16e cd0005", "81 a16e ce00000005", "81 a16e cf0000000000000005",
        "81 a16e d005", "81 a16e d30000000000000005" } },
    { "zero", "81 a16e 00", { "81 a16e cc00", "81 a16e d000", "81 a16e d30000000000000000" } },
    { "127", "81 a16e 7f", { "81 a16e cc7f", "81 a16e d07f", "81 a16e d1007f" } },
    { "128", "81 a16e cc80", { "81 a16e cd0080", "81 a16e d10080", "81 a16e d30000000000000080" } },
    { "255", "81 a16e ccff", { "81 a16e cd00ff", "81 a16e d200 0000ff" } },
    { "256", "81 a16e cd0100", { "81 a16e ce00000100", "81 a16e d10100" } },
    { "65535", "81 a16e cdffff", { "81 a16e ce0000ffff", "81 a16e d20000ffff" } },
    { "65536", "81 a16e ce00010000", { "81 a16e cf0000000000010000", "81 a16e d200010000" } },
    { "2^32 - 1", "81 a16e ceffffffff", { "81 a16e cf00000000ffffffff", "81 a16e d300000000ffffffff" } },
    { "2^32", "81 a16e cf0000000100000000", { "81 a16e d30000000100000000" } },
    { "INT64_MAX", "81 a16e cf7fffffffffffffff", { "81 a16e d37fffffffffffffff" } },
    { "UINT64_MAX (validation refuses it; the form keeps it)", "81 a16e cfffffffffffffffff", { NULL } },
    { "-1", "81 a16e ff", { "81 a16e d0ff", "81 a16e d1ffff", "81 a16e d2ffffffff",
                            "81 a16e d3ffffffffffffffff" } },
    { "-32", "81 a16e e0", { "81 a16e d0e0", "81 a16e d1ffe0" } },
    { "-33", "81 a16e d0df", { "81 a16e d1ffdf", "81 a16e d3ffffffffffffffdf" } },
    { "-128", "81 a16e d080", { "81 a16e d1ff80" } },
    { "-129", "81 a16e d1ff7f", { "81 a16e d2ffffff7f" } },
    { "-32768", "81 a16e d18000", { "81 a16e d2ffff8000" } },
    { "-32769", "81 a16e d2ffff7fff", { "81 a16e d3ffffffffffff7fff" } },
    { "INT32_MIN", "81 a16e d280000000", { "81 a16e d3ffffffff80000000" } },
    { "INT32_MIN - 1", "81 a16e d3ffffffff7fffffff", { NULL } },
    { "INT64_MIN", "81 a16e d38000000000000000", { NULL } },
    { "short string", "81 a173 a26162", { "81 a173 d9026162", "81 a173 da00026162", "81 a173 db000000026162" } },
    { "empty string and key", "82 a0 a0 a173 a0", { "82 a173 d900 d900 a0", "82 d900 a0 a173 a0" } },
    { "nested maps in arrays", "81 a5 6974656d73 92 82 a161 01 a162 82 a178 01 a179 02 81 a163 03",
      { "81 a5 6974656d73 dc0002 83 a162 82 a179 02 a178 01 a17a c0 a161 d001 de0001 a163 cc03",
        "82 a17a c0 a5 6974656d73 92 82 a162 82 a179 02 a178 01 a161 01 81 a163 03" } },
    { "maps sorted at depth 8", "81 a161 919191919191 82 a161 02 a162 01",
      { "81 a161 919191919191 82 a162 01 a161 02",
        "81 a161 dc0001 9191919191 de0002 a162 01 a161 02" } },
};

//  Statuses of bytes that are not a payload
typedef struct {
    const char *what;
    const char *bytes;
    pl_canon_status_t status;
} s_refusal_t;

static const s_refusal_t s_refusals [] = {
    { "nothing", "", PL_CANON_TRUNCATED },
    { "an array", "92 01 02", PL_CANON_NOT_MAP },
    { "a string", "a3 616263", PL_CANON_NOT_MAP },
    { "trailing byte", "80 00", PL_CANON_TRAILING },
    { "key without value", "81 a161", PL_CANON_TRUNCATED },
    { "0xC1", "81 a161 c1", PL_CANON_MALFORMED },
    { "float 64", "81 a161 cb3ff0000000000000", PL_CANON_UNSUPPORTED },
    { "float 32", "81 a161 ca3f800000", PL_CANON_UNSUPPORTED },
    { "bin", "81 a161 c40178", PL_CANON_UNSUPPORTED },
    { "fixext", "81 a161 d40101", PL_CANON_UNSUPPORTED },
    { "ext 8", "81 a161 c7010178", PL_CANON_UNSUPPORTED },
    { "float in a nested map", "81 a161 91 81 a162 cb3ff0000000000000", PL_CANON_UNSUPPORTED },
    { "integer key", "81 01 02", PL_CANON_KEY_NOT_STRING },
    { "array key", "81 90 02", PL_CANON_KEY_NOT_STRING },
    { "duplicate key", "82 a161 01 a161 02", PL_CANON_DUPLICATE_KEY },
    { "duplicate key, one nil", "82 a161 c0 a161 01", PL_CANON_DUPLICATE_KEY },
    { "duplicate key, other headers", "82 a161 01 d90161 02", PL_CANON_DUPLICATE_KEY },
    { "duplicate key in a nested map", "81 a161 91 82 a162 01 a162 02", PL_CANON_DUPLICATE_KEY },
    { "nine levels", "81 a161 91919191919191 90", PL_CANON_TOO_DEEP },
    { "nine levels, a map", "81 a161 91919191919191 80", PL_CANON_TOO_DEEP },
    { "map of 2^32 - 1 entries", "df ffffffff", PL_CANON_TRUNCATED },
    { "array of 2^32 - 1 items", "81 a161 dd ffffffff", PL_CANON_TRUNCATED },
    { "string of 2^32 - 1 bytes", "81 a161 db ffffffff 61", PL_CANON_TRUNCATED },
    { "string cut", "81 a161 a3 6162", PL_CANON_TRUNCATED },
    { "integer cut", "81 a161 cd 01", PL_CANON_TRUNCATED },
};

//  TEXT in hex, spaces ignored, into BYTES: its size, or -1 on a typo
static long
s_hex (const char *text, unsigned char *bytes, size_t max)
{
    size_t size = 0;
    int high = -1;
    for (; *text; text++) {
        if (*text == ' ')
            continue;
        const char *digits = "0123456789abcdef";
        const char *digit = strchr (digits, *text);
        if (!digit || size == max)
            return -1;
        if (high < 0)
            high = (int) (digit - digits);
        else {
            bytes [size++] = (unsigned char) (high * 16 + (digit - digits));
            high = -1;
        }
    }
    return high < 0? (long) size: -1;
}

//  DATA canonicalises with CANON to exactly FORM; pl_canon_is_canonical
//  holds for DATA exactly when DATA is FORM
static int
s_gives (pl_canon_t *canon, const void *data, size_t size, const void *form, size_t form_size)
{
    const void *out = NULL;
    size_t out_size = 0;
    pl_canon_status_t status = pl_canon_write (canon, data, size, &out, &out_size);
    bool same = size == form_size && memcmp (data, form, size) == 0;
    if (status != PL_CANON_OK || out_size != form_size || memcmp (out, form, form_size)
    ||  out_size > size || pl_canon_is_canonical (data, size) != same) {
        fprintf (stderr, "pl_canon_test: %s, %zu bytes instead of %zu; canonical: %d\n",
                 pl_canon_status_str (status), out_size, form_size,
                 pl_canon_is_canonical (data, size));
        return -1;
    }
    return 0;
}

static int
s_test_forms (pl_canon_t *canon)
{
    for (size_t row = 0; row < sizeof s_forms / sizeof s_forms [0]; row++) {
        unsigned char form [S_HEX_MAX], variant [S_HEX_MAX];
        long form_size = s_hex (s_forms [row].form, form, sizeof form);
        int rc = form_size < 0
              || s_gives (canon, form, (size_t) form_size, form, (size_t) form_size);
        for (size_t at = 0; !rc && at < S_VARIANTS_MAX && s_forms [row].variants [at]; at++) {
            long size = s_hex (s_forms [row].variants [at], variant, sizeof variant);
            rc = size < 0 || (size == form_size && memcmp (variant, form, (size_t) size) == 0)
              || s_gives (canon, variant, (size_t) size, form, (size_t) form_size);
        }
        if (rc) {
            fprintf (stderr, "pl_canon_test: form \"%s\"\n", s_forms [row].what);
            return -1;
        }
    }
    return 0;
}

//  The refusals, and every proper prefix of the canonical forms
static int
s_test_refusals (pl_canon_t *canon)
{
    for (size_t row = 0; row < sizeof s_refusals / sizeof s_refusals [0]; row++) {
        unsigned char bytes [S_HEX_MAX];
        long size = s_hex (s_refusals [row].bytes, bytes, sizeof bytes);
        const void *out = bytes;
        size_t out_size = 1;
        pl_canon_status_t status = size < 0? PL_CANON_OK
                                 : pl_canon_write (canon, bytes, (size_t) size, &out, &out_size);
        if (status != s_refusals [row].status || out || out_size
        ||  pl_canon_is_canonical (bytes, (size_t) size)) {
            fprintf (stderr, "pl_canon_test: refusal \"%s\": %s\n", s_refusals [row].what,
                     pl_canon_status_str (status));
            return -1;
        }
    }
    for (size_t row = 0; row < sizeof s_forms / sizeof s_forms [0]; row++) {
        unsigned char form [S_HEX_MAX];
        long size = s_hex (s_forms [row].form, form, sizeof form);
        for (long prefix = 0; prefix < size; prefix++) {
            const void *out;
            size_t out_size;
            if (pl_canon_write (canon, form, (size_t) prefix, &out, &out_size) != PL_CANON_TRUNCATED
            ||  pl_canon_is_canonical (form, (size_t) prefix)) {
                fprintf (stderr, "pl_canon_test: \"%s\" cut at %ld\n", s_forms [row].what, prefix);
                return -1;
            }
        }
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  Header sizes: payloads built here, too long to write in hex

typedef struct {
    unsigned char *bytes;
    size_t size;
    size_t alloc;
} s_bytes_t;

static int
s_put (s_bytes_t *self, const void *data, size_t size)
{
    if (self->alloc - self->size < size) {
        size_t alloc = self->alloc? self->alloc: 256;
        while (alloc - self->size < size)
            alloc *= 2;
        unsigned char *bytes = realloc (self->bytes, alloc);
        if (!bytes)
            return -1;
        self->bytes = bytes;
        self->alloc = alloc;
    }
    memcpy (self->bytes + self->size, data, size);
    self->size += size;
    return 0;
}

//  LEAD, then VALUE big-endian in SIZE_BYTES bytes
static int
s_put_head (s_bytes_t *self, unsigned char lead, size_t size_bytes, uint64_t value)
{
    unsigned char head [9] = { lead };
    for (size_t index = 0; index < size_bytes; index++)
        head [1 + index] = (unsigned char) (value >> (8 * (size_bytes - 1 - index)));
    return s_put (self, head, 1 + size_bytes);
}

//  One header format of a kind: fix (LEAD | count, up to FIX_MAX) or LEAD
//  with SIZE_BYTES of count
typedef struct {
    unsigned char lead;
    size_t size_bytes;
    uint64_t max;
} s_head_format_t;

//  For strings, arrays and maps: the formats from smallest to largest
static const s_head_format_t s_str_heads [] = {
    { 0xA0, 0, 31 }, { 0xD9, 1, 0xFF }, { 0xDA, 2, 0xFFFF }, { 0xDB, 4, 0xFFFFFFFF } };
static const s_head_format_t s_array_heads [] = {
    { 0x90, 0, 15 }, { 0xDC, 2, 0xFFFF }, { 0xDD, 4, 0xFFFFFFFF } };
static const s_head_format_t s_map_heads [] = {
    { 0x80, 0, 15 }, { 0xDE, 2, 0xFFFF }, { 0xDF, 4, 0xFFFFFFFF } };

static int
s_put_count (s_bytes_t *self, const s_head_format_t *format, uint64_t count)
{
    return format->size_bytes? s_put_head (self, format->lead, format->size_bytes, count)
                             : s_put_head (self, (unsigned char) (format->lead | count), 0, 0);
}

//  A payload whose value (under key "v") or whose map is COUNT long, in
//  FORMAT; KIND 0 a string of COUNT bytes, 1 an array of COUNT 1s, 2 the
//  payload itself a map of COUNT entries in reverse key order, the last
//  with a nil value when NIL_LAST.  Keys are "k" and three bytes of index.
static int
s_build (s_bytes_t *self, int kind, const s_head_format_t *format, uint64_t count, bool nil_last)
{
    self->size = 0;
    if (kind == 2) {
        if (s_put_count (self, format, count))
            return -1;
        for (uint64_t index = count; index-- > 0;) {
            unsigned char entry [] = { 0xA4, 'k', (unsigned char) (index >> 16),
                                       (unsigned char) (index >> 8), (unsigned char) index, 0x01 };
            if (nil_last && index == count - 1)
                entry [5] = 0xC0;
            if (s_put (self, entry, sizeof entry))
                return -1;
        }
        return 0;
    }
    if (s_put (self, "\x81\xA1v", 3) || s_put_count (self, format, count))
        return -1;
    for (uint64_t index = 0; index < count; index++)
        if (s_put (self, kind? "\x01": "x", 1))
            return -1;
    return 0;
}

//  The index of the smallest of FORMATS that holds COUNT
static size_t
s_smallest (const s_head_format_t *formats, uint64_t count)
{
    size_t at = 0;
    while (formats [at].max < count)
        at++;
    return at;
}

//  Each count in every format that holds it: every one canonicalises to
//  the smallest, which alone is canonical
static int
s_test_heads (pl_canon_t *canon)
{
    static const uint64_t counts [] = { 0, 1, 15, 16, 31, 32, 255, 256, 65535, 65536 };
    static const struct {
        int kind;
        const s_head_format_t *formats;
        size_t count;
    } kinds [] = {
        { 0, s_str_heads, 4 }, { 1, s_array_heads, 3 }, { 2, s_map_heads, 3 } };
    s_bytes_t form = { 0 }, variant = { 0 };
    for (size_t kind = 0; kind < sizeof kinds / sizeof kinds [0]; kind++) {
        for (size_t at = 0; at < sizeof counts / sizeof counts [0]; at++) {
            uint64_t count = counts [at];
            size_t smallest = s_smallest (kinds [kind].formats, count);
            //  The form: a map's keys in order, so built from a variant
            const void *out;
            size_t out_size;
            S_CHECK (s_build (&variant, kinds [kind].kind, &kinds [kind].formats [smallest],
                              count, false) == 0);
            S_CHECK (pl_canon_write (canon, variant.bytes, variant.size, &out, &out_size) == 0);
            form.size = 0;
            S_CHECK (s_put (&form, out, out_size) == 0);
            S_CHECK (pl_canon_is_canonical (form.bytes, form.size));
            S_CHECK (kinds [kind].kind == 2 || (variant.size == form.size
                     && memcmp (variant.bytes, form.bytes, form.size) == 0));
            for (size_t larger = smallest; larger < kinds [kind].count; larger++) {
                S_CHECK (s_build (&variant, kinds [kind].kind, &kinds [kind].formats [larger],
                                  count, false) == 0);
                S_CHECK (s_gives (canon, variant.bytes, variant.size, form.bytes, form.size) == 0);
            }
            //  A map with one more entry, nil: the same form
            if (kinds [kind].kind == 2) {
                S_CHECK (s_build (&variant, 2, &s_map_heads [s_smallest (s_map_heads, count + 1)],
                                  count + 1, true) == 0);
                S_CHECK (s_gives (canon, variant.bytes, variant.size, form.bytes, form.size) == 0);
            }
        }
    }
    free (form.bytes);
    free (variant.bytes);
    return 0;
fail:
    fprintf (stderr, "pl_canon_test: header sizes\n");
    free (form.bytes);
    free (variant.bytes);
    return -1;
}

//  A map of 3000 entries shuffled: sorted as the same map built in order
static int
s_test_shuffled (pl_canon_t *canon)
{
    enum { COUNT = 3000 };
    unsigned char keys [COUNT] [4];
    s_bytes_t payload = { 0 }, form = { 0 };
    for (size_t index = 0; index < COUNT; index++) {
        keys [index] [0] = 0xA3;
        keys [index] [1] = 'k';
        keys [index] [2] = (unsigned char) (index >> 8);
        keys [index] [3] = (unsigned char) index;
    }
    S_CHECK (s_put_head (&form, 0xDE, 2, COUNT) == 0);
    for (size_t index = 0; index < COUNT; index++)
        S_CHECK (s_put (&form, keys [index], 4) == 0 && s_put (&form, "\x01", 1) == 0);
    //  Fisher-Yates with a fixed linear congruential generator
    uint32_t state = 12345;
    for (size_t index = COUNT - 1; index > 0; index--) {
        state = state * 1103515245u + 12345u;
        size_t other = (state >> 8) % (index + 1);
        unsigned char key [4];
        memcpy (key, keys [index], 4);
        memcpy (keys [index], keys [other], 4);
        memcpy (keys [other], key, 4);
    }
    S_CHECK (s_put_head (&payload, 0xDE, 2, COUNT) == 0);
    for (size_t index = 0; index < COUNT; index++)
        S_CHECK (s_put (&payload, keys [index], 4) == 0 && s_put (&payload, "\x01", 1) == 0);
    S_CHECK (s_gives (canon, payload.bytes, payload.size, form.bytes, form.size) == 0);
    S_CHECK (s_gives (canon, form.bytes, form.size, form.bytes, form.size) == 0);
    free (payload.bytes);
    free (form.bytes);
    return 0;
fail:
    free (payload.bytes);
    free (form.bytes);
    return -1;
}

//  --------------------------------------------------------------------------
//  The key order itself, the status words, and the buffer's reuse

static int
s_test_key_compare (void)
{
    static const struct {
        const char *a, *b;
        size_t a_size, b_size;
        int sign;
    } pairs [] = {
        { "a", "b", 1, 1, -1 }, { "a", "ab", 1, 2, -1 }, { "ab", "b", 2, 1, -1 },
        { "", "a", 0, 1, -1 }, { "", "", 0, 0, 0 }, { "z", "\xC3\xA9", 1, 2, -1 },
        { "a\0", "a", 2, 1, 1 }, { "a\0b", "a\0a", 3, 3, 1 }, { "same", "same", 4, 4, 0 },
    };
    for (size_t at = 0; at < sizeof pairs / sizeof pairs [0]; at++) {
        const char *a = pairs [at].a, *b = pairs [at].b;
        size_t a_size = pairs [at].a_size, b_size = pairs [at].b_size;
        int rc = pl_canon_key_compare (a, a_size, b, b_size);
        int back = pl_canon_key_compare (b, b_size, a, a_size);
        S_CHECK ((rc > 0) - (rc < 0) == pairs [at].sign);
        S_CHECK ((back > 0) - (back < 0) == -pairs [at].sign);
    }
    for (int status = PL_CANON_OK; status <= PL_CANON_NO_MEMORY; status++)
        S_CHECK (strcmp (pl_canon_status_str ((pl_canon_status_t) status), "unknown status"));
    S_CHECK (strcmp (pl_canon_status_str (PL_CANON_DUPLICATE_KEY), "duplicate key") == 0);
    return 0;
fail:
    return -1;
}

//  Once a payload as large has been written, the same buffer serves again
static int
s_test_reuse (pl_canon_t *canon)
{
    s_bytes_t large = { 0 };
    unsigned char small [S_HEX_MAX];
    long small_size = s_hex (s_forms [1].variants [4], small, sizeof small);
    const void *first, *again;
    size_t first_size, again_size;
    S_CHECK (s_build (&large, 1, &s_array_heads [1], 5000, false) == 0);
    S_CHECK (pl_canon_write (canon, large.bytes, large.size, &first, &first_size) == PL_CANON_OK);
    S_CHECK (pl_canon_write (canon, small, (size_t) small_size, &again, &again_size) == PL_CANON_OK);
    S_CHECK (again == first && again_size < first_size);
    S_CHECK (pl_canon_write (canon, large.bytes, large.size, &again, &again_size) == PL_CANON_OK);
    S_CHECK (again == first && again_size == first_size);
    free (large.bytes);
    pl_canon_t *spare = pl_canon_new ();
    S_CHECK (spare);
    pl_canon_destroy (&spare);
    S_CHECK (spare == NULL);
    pl_canon_destroy (&spare);
    return 0;
fail:
    free (large.bytes);
    return -1;
}

int
pl_canon_test (int verbose)
{
    pl_canon_t *canon = pl_canon_new ();
    int rc = !canon || s_test_forms (canon) || s_test_refusals (canon) || s_test_heads (canon)
          || s_test_shuffled (canon) || s_test_key_compare () || s_test_reuse (canon);
    pl_canon_destroy (&canon);
    if (rc)
        return -1;
    if (verbose)
        printf ("pl_canon_test: ok (%zu forms, %zu refusals)\n",
                sizeof s_forms / sizeof s_forms [0], sizeof s_refusals / sizeof s_refusals [0]);
    return 0;
}

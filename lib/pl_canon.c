/*  pl_canon — the canonical msgpack form of a payload (defined in pl_canon.h).

    Canonical or not is a property of the encoding (which header a value
    took), and msgpack-c's unpacker keeps only the value: a msgpack_object
    holding 5 does not say whether it was packed in 1 byte or 9.  Its
    unpacker also allocates a zone per payload.  So this file reads msgpack
    itself, header by header from a table of formats (s_formats), in place
    and without allocating.  It writes with msgpack-c's packer, the calls
    pl_codec_encode makes, and decides whether a header is the smallest by
    packing the same value again and comparing the bytes: the encoder, the
    check and the canonicaliser share one idea of "smallest".

    pl_canon_is_canonical reads the payload once and stops at the first
    header, key order or nil entry that differs from the form.

    pl_canon_write writes values as it reads them, except maps: a map's
    entries (where each key and value starts) are pushed on SELF's entry
    stack, sorted there (a merge sort whose scratch is the stack above
    them), and written in key order, each value read again to be written.
    Values are thus read once per map around them, at most
    PL_CODEC_DEPTH_MAX times.  The output is reserved at the input's size
    (the form is never longer) and the stack grows to the largest payload
    seen: once warm, nothing is allocated. */
#include "pl_canon.h"
#include "pl_codec.h"

#include <assert.h>
#include <msgpack.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define S_OUT_MIN       256     //  first size of the output buffer
#define S_ENTRIES_MIN   64      //  first size of the entry stack
#define S_SORT_RUN      8       //  runs this short are insertion-sorted

//  --------------------------------------------------------------------------
//  Reading msgpack

typedef enum {
    S_NIL, S_FALSE, S_TRUE, S_UINT, S_INT, S_STR, S_ARRAY, S_MAP,
    S_REFUSED,                  //  float, bin, ext: rule 7
    S_NEVER                     //  0xC1
} s_kind_t;

//  One msgpack format: lead bytes FIRST..LAST; SIZE_BYTES big-endian bytes
//  after the lead hold the length (str bytes, array items, map entries) or
//  the integer; fix formats hold it in the lead's INLINE_MASK bits.
typedef struct {
    unsigned char first, last;
    unsigned char kind;         //  s_kind_t
    unsigned char size_bytes;
    unsigned char inline_mask;
} s_format_t;

//  Every lead byte, the most frequent in payloads first
static const s_format_t s_formats [] = {
    { 0xA0, 0xBF, S_STR,      0, 0x1F },    //  fixstr
    { 0x00, 0x7F, S_UINT,     0, 0x7F },    //  positive fixint
    { 0x80, 0x8F, S_MAP,      0, 0x0F },    //  fixmap
    { 0x90, 0x9F, S_ARRAY,    0, 0x0F },    //  fixarray
    { 0xC2, 0xC2, S_FALSE,    0, 0 },
    { 0xC3, 0xC3, S_TRUE,     0, 0 },
    { 0xC0, 0xC0, S_NIL,      0, 0 },
    { 0xD9, 0xD9, S_STR,      1, 0 },       //  str 8
    { 0xE0, 0xFF, S_INT,      0, 0xFF },    //  negative fixint
    { 0xCC, 0xCC, S_UINT,     1, 0 },       //  uint 8
    { 0xCD, 0xCD, S_UINT,     2, 0 },       //  uint 16
    { 0xCE, 0xCE, S_UINT,     4, 0 },       //  uint 32
    { 0xCF, 0xCF, S_UINT,     8, 0 },       //  uint 64
    { 0xD0, 0xD0, S_INT,      1, 0 },       //  int 8
    { 0xD1, 0xD1, S_INT,      2, 0 },       //  int 16
    { 0xD2, 0xD2, S_INT,      4, 0 },       //  int 32
    { 0xD3, 0xD3, S_INT,      8, 0 },       //  int 64
    { 0xDA, 0xDA, S_STR,      2, 0 },       //  str 16
    { 0xDB, 0xDB, S_STR,      4, 0 },       //  str 32
    { 0xDC, 0xDC, S_ARRAY,    2, 0 },       //  array 16
    { 0xDD, 0xDD, S_ARRAY,    4, 0 },       //  array 32
    { 0xDE, 0xDE, S_MAP,      2, 0 },       //  map 16
    { 0xDF, 0xDF, S_MAP,      4, 0 },       //  map 32
    { 0xC4, 0xC9, S_REFUSED,  0, 0 },       //  bin 8/16/32, ext 8/16/32
    { 0xCA, 0xCB, S_REFUSED,  0, 0 },       //  float 32/64
    { 0xD4, 0xD8, S_REFUSED,  0, 0 },       //  fixext 1..16
    { 0xC1, 0xC1, S_NEVER,    0, 0 },
};

//  One value's header as read
typedef struct {
    s_kind_t kind;
    size_t head;                //  bytes of the header: lead and size bytes
    uint64_t size;              //  STR: body bytes; ARRAY: items; MAP: entries; UINT: value
    int64_t value;              //  INT: value
} s_item_t;

//  Read the header of the value at AT, LEFT bytes before the end.  A
//  count that the bytes left cannot hold (every value takes one byte at
//  least) is truncation, so no count from the input reaches an allocation.
static pl_canon_status_t
s_read (const unsigned char *at, size_t left, s_item_t *item)
{
    if (left == 0)
        return PL_CANON_TRUNCATED;
    const s_format_t *format = s_formats;
    const s_format_t *formats_end = s_formats + sizeof s_formats / sizeof s_formats [0];
    while (format < formats_end && (at [0] < format->first || at [0] > format->last))
        format++;
    if (format == formats_end)
        return PL_CANON_MALFORMED;      //  the table covers every byte: our bug
    if (format->kind == S_REFUSED)
        return PL_CANON_UNSUPPORTED;
    if (format->kind == S_NEVER)
        return PL_CANON_MALFORMED;
    if (format->size_bytes >= left)
        return PL_CANON_TRUNCATED;
    uint64_t raw = at [0] & format->inline_mask;
    for (size_t index = 1; index <= format->size_bytes; index++)
        raw = (raw << 8) | at [index];
    item->kind = (s_kind_t) format->kind;
    item->head = 1 + (size_t) format->size_bytes;
    item->size = raw;
    item->value = 0;
    left -= item->head;
    if (item->kind == S_INT) {
        //  sign-extend from the bits read (8 for negative fixint)
        unsigned bits = format->size_bytes? 8 * format->size_bytes: 8;
        uint64_t sign = (uint64_t) 1 << (bits - 1);
        item->value = (int64_t) ((raw ^ sign) - sign);
    }
    if ((item->kind == S_STR && raw > left)
    ||  (item->kind == S_ARRAY && raw > left)
    ||  (item->kind == S_MAP && raw > left / 2))
        return PL_CANON_TRUNCATED;
    return PL_CANON_OK;
}

//  The smallest header of ITEM's kind and count or value, as msgpack-c
//  packs it, in HEAD; nil, false and true are their own lead byte.
typedef struct {
    unsigned char bytes [9];
    size_t size;
} s_head_t;

static int
s_head_write (void *data, const char *bytes, size_t size)
{
    s_head_t *head = (s_head_t *) data;
    if (size > sizeof head->bytes - head->size)
        return -1;
    memcpy (head->bytes + head->size, bytes, size);
    head->size += size;
    return 0;
}

//  Pack ITEM's header with PACKER: 0, or -1 when the packer's output failed
static int
s_pack_head (msgpack_packer *packer, const s_item_t *item)
{
    switch (item->kind) {
        case S_NIL:   return msgpack_pack_nil (packer);
        case S_FALSE: return msgpack_pack_false (packer);
        case S_TRUE:  return msgpack_pack_true (packer);
        case S_UINT:  return msgpack_pack_uint64 (packer, item->size);
        case S_INT:   return msgpack_pack_int64 (packer, item->value);
        case S_STR:   return msgpack_pack_str (packer, (size_t) item->size);
        case S_ARRAY: return msgpack_pack_array (packer, (size_t) item->size);
        case S_MAP:   return msgpack_pack_map (packer, (size_t) item->size);
        case S_REFUSED:
        case S_NEVER:
            break;
    }
    return -1;
}

//  True when ITEM, read at AT, has the smallest header for its value.  A
//  header of one byte is (fixstr, fixint, fixmap, fixarray, nil, booleans):
//  most of a payload's headers are answered without packing.
static bool
s_head_smallest (const unsigned char *at, const s_item_t *item)
{
    if (item->head == 1)
        return true;
    s_head_t head = { .size = 0 };
    msgpack_packer packer;
    msgpack_packer_init (&packer, &head, s_head_write);
    return s_pack_head (&packer, item) == 0
        && head.size == item->head && memcmp (head.bytes, at, head.size) == 0;
}

int
pl_canon_key_compare (const void *a, size_t a_size, const void *b, size_t b_size)
{
    size_t common = a_size < b_size? a_size: b_size;
    int rc = common? memcmp (a, b, common): 0;
    if (rc)
        return rc;
    return a_size < b_size? -1: a_size > b_size;
}

//  --------------------------------------------------------------------------
//  The check: one pass, no allocation

static bool s_is_value (const unsigned char *at, size_t left, int depth, size_t *used_p);

//  The map of ITEM at AT: keys in strictly increasing order (so no
//  duplicates), none with a nil value
static bool
s_is_map (const unsigned char *at, size_t left, const s_item_t *item, int depth,
          size_t *used_p)
{
    size_t used = item->head;
    const unsigned char *previous = NULL;
    size_t previous_size = 0;
    for (uint64_t index = 0; index < item->size; index++) {
        s_item_t key;
        if (s_read (at + used, left - used, &key) || key.kind != S_STR
        ||  !s_head_smallest (at + used, &key))
            return false;
        const unsigned char *name = at + used + key.head;
        if (previous && pl_canon_key_compare (previous, previous_size, name, key.size) >= 0)
            return false;
        previous = name;
        previous_size = key.size;
        used += key.head + key.size;
        size_t value_used;
        if (used == left || at [used] == 0xC0
        ||  !s_is_value (at + used, left - used, depth, &value_used))
            return false;
        used += value_used;
    }
    *used_p = used;
    return true;
}

//  The value at AT, inside containers DEPTH deep, is in canonical form;
//  *USED_P gets its size
static bool
s_is_value (const unsigned char *at, size_t left, int depth, size_t *used_p)
{
    s_item_t item;
    if (s_read (at, left, &item) || !s_head_smallest (at, &item))
        return false;
    if (item.kind == S_MAP || item.kind == S_ARRAY) {
        if (depth >= PL_CODEC_DEPTH_MAX)
            return false;
        if (item.kind == S_MAP)
            return s_is_map (at, left, &item, depth + 1, used_p);
        size_t used = item.head;
        for (uint64_t index = 0; index < item.size; index++) {
            size_t value_used;
            if (!s_is_value (at + used, left - used, depth + 1, &value_used))
                return false;
            used += value_used;
        }
        *used_p = used;
        return true;
    }
    *used_p = item.head + (item.kind == S_STR? (size_t) item.size: 0);
    return true;
}

//  The payload must be a map (fixmap, map 16, map 32), as pl_codec says
static bool
s_is_map_lead (const unsigned char *bytes, size_t size)
{
    return bytes && size && ((bytes [0] & 0xF0) == 0x80 || bytes [0] == 0xDE || bytes [0] == 0xDF);
}

bool
pl_canon_is_canonical (const void *data, size_t size)
{
    const unsigned char *bytes = (const unsigned char *) data;
    size_t used = 0;
    return s_is_map_lead (bytes, size) && s_is_value (bytes, size, 0, &used) && used == size;
}

//  --------------------------------------------------------------------------
//  The canonicaliser

//  One entry of a map being written
typedef struct {
    const unsigned char *key;   //  the key's bytes, not its header
    size_t key_size;
    const unsigned char *value; //  where the value's msgpack starts
} s_entry_t;

struct _pl_canon_t {
    unsigned char *out;         //  the form of the last payload
    size_t out_size;
    size_t out_alloc;
    msgpack_packer packer;      //  writes to out (s_out_write)
    const unsigned char *end;   //  end of the payload being written
    s_entry_t *entries;         //  maps being written, innermost on top
    size_t entry_count;
    size_t entry_alloc;
};

//  Make room for SIZE more bytes of output: 0 or -1
static int
s_out_reserve (pl_canon_t *self, size_t size)
{
    if (size <= self->out_alloc - self->out_size)
        return 0;
    size_t alloc = self->out_alloc? self->out_alloc: S_OUT_MIN;
    while (alloc - self->out_size < size)
        alloc *= 2;
    unsigned char *out = (unsigned char *) realloc (self->out, alloc);
    if (!out)
        return -1;
    self->out = out;
    self->out_alloc = alloc;
    return 0;
}

//  The packer's output: SELF's buffer
static int
s_out_write (void *data, const char *bytes, size_t size)
{
    pl_canon_t *self = (pl_canon_t *) data;
    if (s_out_reserve (self, size))
        return -1;
    memcpy (self->out + self->out_size, bytes, size);
    self->out_size += size;
    return 0;
}

pl_canon_t *
pl_canon_new (void)
{
    pl_canon_t *self = (pl_canon_t *) calloc (1, sizeof *self);
    if (self)
        msgpack_packer_init (&self->packer, self, s_out_write);
    return self;
}

void
pl_canon_destroy (pl_canon_t **self_p)
{
    assert (self_p);
    if (*self_p) {
        pl_canon_t *self = *self_p;
        free (self->out);
        free (self->entries);
        free (self);
        *self_p = NULL;
    }
}

//  Measure the value at AT, inside containers DEPTH deep, without writing
static pl_canon_status_t
s_skip (const unsigned char *at, size_t left, int depth, size_t *used_p)
{
    s_item_t item;
    pl_canon_status_t status = s_read (at, left, &item);
    if (status)
        return status;
    size_t used = item.head;
    if (item.kind == S_MAP || item.kind == S_ARRAY) {
        if (depth >= PL_CODEC_DEPTH_MAX)
            return PL_CANON_TOO_DEEP;
        uint64_t values = item.kind == S_MAP? 2 * item.size: item.size;
        for (uint64_t index = 0; index < values; index++) {
            size_t value_used;
            status = s_skip (at + used, left - used, depth + 1, &value_used);
            if (status)
                return status;
            used += value_used;
        }
    }
    else
    if (item.kind == S_STR)
        used += (size_t) item.size;
    *used_p = used;
    return PL_CANON_OK;
}

static int
s_entry_compare (const s_entry_t *a, const s_entry_t *b)
{
    return pl_canon_key_compare (a->key, a->key_size, b->key, b->key_size);
}

//  Sort COUNT ENTRIES by key with room for COUNT / 2 at SCRATCH: a merge
//  sort (no allocation, n log n on any input) that does one comparison per
//  entry on a map already in order, the common case
static void
s_sort (s_entry_t *entries, s_entry_t *scratch, size_t count)
{
    if (count <= S_SORT_RUN) {
        for (size_t index = 1; index < count; index++) {
            s_entry_t entry = entries [index];
            size_t at = index;
            for (; at > 0 && s_entry_compare (&entries [at - 1], &entry) > 0; at--)
                entries [at] = entries [at - 1];
            entries [at] = entry;
        }
        return;
    }
    size_t half = count / 2;
    s_sort (entries, scratch, half);
    s_sort (entries + half, scratch, count - half);
    if (s_entry_compare (&entries [half - 1], &entries [half]) <= 0)
        return;
    memcpy (scratch, entries, half * sizeof *entries);
    size_t left = 0, right = half, to = 0;
    while (left < half && right < count)
        entries [to++] = s_entry_compare (&entries [right], &scratch [left]) < 0
                       ? entries [right++]: scratch [left++];
    while (left < half)
        entries [to++] = scratch [left++];
}

//  Room for COUNT more entries and the sort's scratch above them: 0 or -1
static int
s_entries_reserve (pl_canon_t *self, size_t count)
{
    size_t need = count + count / 2;
    //  allocated even for an empty map: self->entries + base on NULL is
    //  undefined behaviour (UBSan), however harmless
    if (self->entries && need <= self->entry_alloc - self->entry_count)
        return 0;
    size_t alloc = self->entry_alloc? self->entry_alloc: S_ENTRIES_MIN;
    while (alloc - self->entry_count < need)
        alloc *= 2;
    s_entry_t *entries = (s_entry_t *) realloc (self->entries, alloc * sizeof *entries);
    if (!entries)
        return -1;
    self->entries = entries;
    self->entry_alloc = alloc;
    return 0;
}

static pl_canon_status_t s_write_value (pl_canon_t *self, const unsigned char *at,
                                        int depth, size_t *used_p);

//  Write the map of ITEM at AT, whose entries are DEPTH deep, in canonical
//  form.  Its entries stay on the stack while their values are written
//  (which may push theirs above them), and are popped at the end.
static pl_canon_status_t
s_write_map (pl_canon_t *self, const unsigned char *at, const s_item_t *item, int depth,
             size_t *used_p)
{
    size_t base = self->entry_count, count = (size_t) item->size;
    if (s_entries_reserve (self, count))
        return PL_CANON_NO_MEMORY;
    size_t used = item->head;
    size_t left = (size_t) (self->end - at);
    for (size_t index = 0; index < count; index++) {
        s_item_t key;
        pl_canon_status_t status = s_read (at + used, left - used, &key);
        if (status)
            return status;
        if (key.kind != S_STR)
            return PL_CANON_KEY_NOT_STRING;
        s_entry_t *entry = &self->entries [base + index];
        entry->key = at + used + key.head;
        entry->key_size = (size_t) key.size;
        used += key.head + key.size;
        entry->value = at + used;
        size_t value_used;
        status = s_skip (at + used, left - used, depth, &value_used);
        if (status)
            return status;
        used += value_used;
    }
    s_entry_t *entries = self->entries + base;
    s_sort (entries, entries + count, count);
    size_t kept = 0;
    for (size_t index = 0; index < count; index++) {
        if (index && s_entry_compare (&entries [index - 1], &entries [index]) == 0)
            return PL_CANON_DUPLICATE_KEY;
        kept += entries [index].value [0] != 0xC0;
    }
    self->entry_count = base + count;
    if (msgpack_pack_map (&self->packer, kept))
        return PL_CANON_NO_MEMORY;
    for (size_t index = 0; index < count; index++) {
        const s_entry_t entry = self->entries [base + index];     //  the stack may move
        if (entry.value [0] == 0xC0)
            continue;
        size_t value_used;
        if (msgpack_pack_str (&self->packer, entry.key_size)
        ||  msgpack_pack_str_body (&self->packer, entry.key, entry.key_size))
            return PL_CANON_NO_MEMORY;
        pl_canon_status_t status = s_write_value (self, entry.value, depth, &value_used);
        if (status)
            return status;
    }
    self->entry_count = base;
    *used_p = used;
    return PL_CANON_OK;
}

//  Write the value at AT, inside containers DEPTH deep, in canonical form
static pl_canon_status_t
s_write_value (pl_canon_t *self, const unsigned char *at, int depth, size_t *used_p)
{
    s_item_t item;
    pl_canon_status_t status = s_read (at, (size_t) (self->end - at), &item);
    if (status)
        return status;
    if (item.kind == S_MAP || item.kind == S_ARRAY) {
        if (depth >= PL_CODEC_DEPTH_MAX)
            return PL_CANON_TOO_DEEP;
        if (item.kind == S_MAP)
            return s_write_map (self, at, &item, depth + 1, used_p);
    }
    if (s_pack_head (&self->packer, &item))
        return PL_CANON_NO_MEMORY;
    size_t used = item.head;
    if (item.kind == S_STR) {
        if (msgpack_pack_str_body (&self->packer, at + used, (size_t) item.size))
            return PL_CANON_NO_MEMORY;
        used += (size_t) item.size;
    }
    for (uint64_t index = 0; item.kind == S_ARRAY && index < item.size; index++) {
        size_t value_used;
        status = s_write_value (self, at + used, depth + 1, &value_used);
        if (status)
            return status;
        used += value_used;
    }
    *used_p = used;
    return PL_CANON_OK;
}

pl_canon_status_t
pl_canon_write (pl_canon_t *self, const void *data, size_t size,
                const void **form_p, size_t *form_size_p)
{
    assert (self && form_p && form_size_p);
    const unsigned char *bytes = (const unsigned char *) data;
    assert ((uintptr_t) bytes + size <= (uintptr_t) self->out
         || (uintptr_t) bytes >= (uintptr_t) self->out + self->out_alloc);
    *form_p = NULL;
    *form_size_p = 0;
    self->out_size = 0;
    self->entry_count = 0;
    if (!bytes || size == 0)
        return PL_CANON_TRUNCATED;
    if (!s_is_map_lead (bytes, size))
        return PL_CANON_NOT_MAP;
    if (s_out_reserve (self, size))
        return PL_CANON_NO_MEMORY;
    self->end = bytes + size;
    size_t used = 0;
    pl_canon_status_t status = s_write_value (self, bytes, 0, &used);
    if (status == PL_CANON_OK && used != size)
        status = PL_CANON_TRAILING;
    if (status == PL_CANON_OK) {
        *form_p = self->out;
        *form_size_p = self->out_size;
    }
    return status;
}

const char *
pl_canon_status_str (pl_canon_status_t status)
{
    static const char *const words [] = {
        [PL_CANON_OK] = "ok",
        [PL_CANON_TRUNCATED] = "truncated msgpack",
        [PL_CANON_TRAILING] = "trailing bytes after the payload",
        [PL_CANON_MALFORMED] = "malformed msgpack",
        [PL_CANON_NOT_MAP] = "payload must be a map",
        [PL_CANON_UNSUPPORTED] = "float, binary or extension value",
        [PL_CANON_KEY_NOT_STRING] = "map keys must be strings",
        [PL_CANON_DUPLICATE_KEY] = "duplicate key",
        [PL_CANON_TOO_DEEP] = "nesting deeper than 8 levels",
        [PL_CANON_NO_MEMORY] = "out of memory",
    };
    if ((unsigned) status < sizeof words / sizeof words [0] && words [status])
        return words [status];
    return "unknown status";
}

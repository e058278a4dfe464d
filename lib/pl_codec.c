/*  pl_codec — msgpack on the wire, jansson json_t in memory, schema checks between.

    Decoding unpacks with msgpack-c (one msgpack_unpack_next over the whole
    buffer, so truncated input and trailing bytes are both seen), converts the
    msgpack_object tree into json_t values, refusing what JSON cannot say or
    the protocol does not allow (binary and extension values, non-string or
    duplicate keys, invalid UTF-8, non-finite floats, integers above
    INT64_MAX, nesting deeper than PL_CODEC_DEPTH_MAX), then validates
    against the schema.  Errors name the place: "participant.list.reply: items[3]:
    family_name: binary values are not allowed".

    pl_codec_check gives the same verdict and error without building json_t
    values: it shares the unpacking (s_unpack) and hands the map to the walk
    in pl_codec_check.c.  The self-test is in pl_codec_test.c.

    msgpack-c strings are views into the unpacked zone; every string is
    copied into jansson before the zone is freed. */
#include "pl_codec.h"
#include "pl_canon.h"
#include "pl_codec_check.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <msgpack.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_KEY_SHOWN     64      //  bytes of a key quoted in an error message at most

//  Where we are in the payload, for error messages: a chain of map keys
//  and array indices from the payload map down, on the stack.
typedef struct s_path_s {
    const struct s_path_s *parent;
    const char *key;            //  map key, or NULL for an array index
    size_t key_size;
    size_t index;
} s_path_t;

typedef struct {
    const pl_message_t *message;
    char *err;
    size_t errsize;
} s_decoder_t;

//  snprintf that may truncate: error messages are cut at PL_ERR_MAX on purpose
static void s_say (char *buf, size_t size, const char *format, ...)
    __attribute__ ((format (printf, 3, 4)));

static void
s_say (char *buf, size_t size, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    vsnprintf (buf, size, format, args);
    va_end (args);
}

//  Append PATH to BUF (at *USED), root first: "items[3]: family_name"
static void
s_path_format (const s_path_t *path, char *buf, size_t size, size_t *used)
{
    if (!path)
        return;
    s_path_format (path->parent, buf, size, used);
    if (*used >= size)
        return;
    int written;
    if (path->key) {
        int shown = path->key_size > S_KEY_SHOWN? S_KEY_SHOWN: (int) path->key_size;
        written = snprintf (buf + *used, size - *used, "%s%.*s",
                            *used? ": ": "", shown, path->key);
    }
    else
        written = snprintf (buf + *used, size - *used, "[%zu]", path->index);
    *used += written > 0? (size_t) written: 0;
}

//  Set the decoder's error to "message: path: rule"
static void
s_fail (s_decoder_t *self, const s_path_t *path, const char *rule)
{
    char where [PL_ERR_MAX] = "";
    size_t used = 0;
    s_path_format (path, where, sizeof where, &used);
    s_say (self->err, self->errsize, "%s: %s%s%s", self->message->name,
           where, *where? ": ": "", rule);
}

//  VALUE, or NULL with an error when jansson could not allocate it
static json_t *
s_made (s_decoder_t *self, const s_path_t *path, json_t *value)
{
    if (!value)
        s_fail (self, path, "out of memory");
    return value;
}

static json_t *s_value (s_decoder_t *self, const msgpack_object *object,
                        int depth, const s_path_t *path);

//  A key is printed in error messages and logs: UTF-8, no control characters
static int
s_key_valid (const char *key, size_t size)
{
    for (size_t at = 0; at < size; at++)
        if ((unsigned char) key [at] < 0x20 || key [at] == 0x7F)
            return 0;
    return pl_schema_utf8_valid (key, size);
}

static json_t *
s_map (s_decoder_t *self, const msgpack_object_map *map, int depth, const s_path_t *path)
{
    json_t *result = json_object ();
    if (!result) {
        s_fail (self, path, "out of memory");
        return NULL;
    }
    for (uint32_t index = 0; index < map->size; index++) {
        const msgpack_object *key = &map->ptr [index].key;
        if (key->type != MSGPACK_OBJECT_STR) {
            s_fail (self, path, "map keys must be strings");
            goto err;
        }
        //  msgpack-c gives an empty string a NULL pointer
        size_t size = key->via.str.size;
        const char *name = size? key->via.str.ptr: "";
        s_path_t here = { path, name, size, 0 };
        if (!s_key_valid (name, size)) {
            s_fail (self, path, "map key is not valid UTF-8 or holds a control character");
            goto err;
        }
        if (json_object_getn (result, name, size)) {
            s_fail (self, &here, "duplicate key");
            goto err;
        }
        json_t *value = s_value (self, &map->ptr [index].val, depth, &here);
        if (!value)
            goto err;
        if (json_object_setn_new_nocheck (result, name, size, value)) {
            s_fail (self, &here, "out of memory");
            goto err;
        }
    }
    return result;
err:
    json_decref (result);
    return NULL;
}

static json_t *
s_array (s_decoder_t *self, const msgpack_object_array *array, int depth, const s_path_t *path)
{
    json_t *result = json_array ();
    if (!result) {
        s_fail (self, path, "out of memory");
        return NULL;
    }
    for (uint32_t index = 0; index < array->size; index++) {
        s_path_t here = { path, NULL, 0, index };
        json_t *value = s_value (self, &array->ptr [index], depth, &here);
        if (!value || json_array_append_new (result, value)) {
            if (value)
                s_fail (self, &here, "out of memory");
            json_decref (result);
            return NULL;
        }
    }
    return result;
}

//  Convert one msgpack value found at DEPTH containers deep
static json_t *
s_value (s_decoder_t *self, const msgpack_object *object, int depth, const s_path_t *path)
{
    switch (object->type) {
        case MSGPACK_OBJECT_NIL:
            return json_null ();
        case MSGPACK_OBJECT_BOOLEAN:
            return s_made (self, path, json_boolean (object->via.boolean));
        case MSGPACK_OBJECT_POSITIVE_INTEGER:
            if (object->via.u64 > INT64_MAX) {
                s_fail (self, path, "integer out of range");
                return NULL;
            }
            return s_made (self, path, json_integer ((json_int_t) object->via.u64));
        case MSGPACK_OBJECT_NEGATIVE_INTEGER:
            return s_made (self, path, json_integer ((json_int_t) object->via.i64));
        case MSGPACK_OBJECT_FLOAT32:
        case MSGPACK_OBJECT_FLOAT64:
            if (!isfinite (object->via.f64)) {
                s_fail (self, path, "not a finite number");
                return NULL;
            }
            return s_made (self, path, json_real (object->via.f64));
        case MSGPACK_OBJECT_STR: {
            size_t size = object->via.str.size;
            const char *text = size? object->via.str.ptr: "";
            if (!pl_schema_utf8_valid (text, size)) {
                s_fail (self, path, "not valid UTF-8");
                return NULL;
            }
            return s_made (self, path, json_stringn_nocheck (text, size));
        }
        case MSGPACK_OBJECT_ARRAY:
        case MSGPACK_OBJECT_MAP:
            if (depth >= PL_CODEC_DEPTH_MAX) {
                s_fail (self, path, "nesting deeper than 8 levels");
                return NULL;
            }
            return object->type == MSGPACK_OBJECT_MAP
                ? s_map (self, &object->via.map, depth + 1, path)
                : s_array (self, &object->via.array, depth + 1, path);
        case MSGPACK_OBJECT_BIN:
            s_fail (self, path, "binary values are not allowed");
            return NULL;
        case MSGPACK_OBJECT_EXT:
            s_fail (self, path, "extension values are not allowed");
            return NULL;
    }
    s_fail (self, path, "unknown msgpack type");
    return NULL;
}

//  --------------------------------------------------------------------------
//  Length guard.  msgpack-c allocates count x 24..48 bytes for an array or
//  map as soon as it reads its header, so a 5-byte "map of 4 billion
//  entries" would reach malloc.  Before unpacking we walk the headers once:
//  every value takes at least one byte, so the values still owed can never
//  exceed the bytes left.  This checks lengths only; msgpack-c parses.

typedef enum { S_SCAN_OK, S_SCAN_TRUNCATED, S_SCAN_MALFORMED } s_scan_t;

//  Header of the value starting with BYTE (most frequent first): its fixed size, the size in
//  bytes of a length that follows (0, 1, 2 or 4), whether that length
//  counts payload bytes (str, bin, ext) or values (1 array, 2 map).
typedef struct {
    unsigned char first, last;          //  range of lead bytes
    unsigned char head;                 //  bytes before the payload
    unsigned char length_size;          //  bytes of the big-endian length at offset 1
    unsigned char per_item;             //  0: length is bytes; 1: array; 2: map
    unsigned char inline_bits;          //  fix types: mask of the count in the lead byte
} s_header_t;

static const s_header_t s_headers [] = {
    { 0xA0, 0xBF, 1, 0, 0, 0x1F },      //  fixstr
    { 0x00, 0x7F, 1, 0, 0, 0 },         //  positive fixint
    { 0x80, 0x8F, 1, 0, 2, 0x0F },      //  fixmap
    { 0x90, 0x9F, 1, 0, 1, 0x0F },      //  fixarray
    { 0xC2, 0xC3, 1, 0, 0, 0 },         //  false, true
    { 0xC0, 0xC0, 1, 0, 0, 0 },         //  nil
    { 0xD9, 0xD9, 2, 1, 0, 0 },         //  str 8
    { 0xE0, 0xFF, 1, 0, 0, 0 },         //  negative fixint
    { 0xC4, 0xC4, 2, 1, 0, 0 },         //  bin 8
    { 0xC5, 0xC5, 3, 2, 0, 0 },         //  bin 16
    { 0xC6, 0xC6, 5, 4, 0, 0 },         //  bin 32
    { 0xC7, 0xC7, 3, 1, 0, 0 },         //  ext 8 (length, type)
    { 0xC8, 0xC8, 4, 2, 0, 0 },         //  ext 16
    { 0xC9, 0xC9, 6, 4, 0, 0 },         //  ext 32
    { 0xCA, 0xCA, 5, 0, 0, 0 },         //  float 32
    { 0xCB, 0xCB, 9, 0, 0, 0 },         //  float 64
    { 0xCC, 0xCC, 2, 0, 0, 0 },         //  uint 8
    { 0xCD, 0xCD, 3, 0, 0, 0 },         //  uint 16
    { 0xCE, 0xCE, 5, 0, 0, 0 },         //  uint 32
    { 0xCF, 0xCF, 9, 0, 0, 0 },         //  uint 64
    { 0xD0, 0xD0, 2, 0, 0, 0 },         //  int 8
    { 0xD1, 0xD1, 3, 0, 0, 0 },         //  int 16
    { 0xD2, 0xD2, 5, 0, 0, 0 },         //  int 32
    { 0xD3, 0xD3, 9, 0, 0, 0 },         //  int 64
    { 0xD4, 0xD4, 3, 0, 0, 0 },         //  fixext 1
    { 0xD5, 0xD5, 4, 0, 0, 0 },         //  fixext 2
    { 0xD6, 0xD6, 6, 0, 0, 0 },         //  fixext 4
    { 0xD7, 0xD7, 10, 0, 0, 0 },        //  fixext 8
    { 0xD8, 0xD8, 18, 0, 0, 0 },        //  fixext 16
    { 0xDA, 0xDA, 3, 2, 0, 0 },         //  str 16
    { 0xDB, 0xDB, 5, 4, 0, 0 },         //  str 32
    { 0xDC, 0xDC, 3, 2, 1, 0 },         //  array 16
    { 0xDD, 0xDD, 5, 4, 1, 0 },         //  array 32
    { 0xDE, 0xDE, 3, 2, 2, 0 },         //  map 16
    { 0xDF, 0xDF, 5, 4, 2, 0 },         //  map 32
};

//  Walk one value at DATA; *USED_P gets its size in bytes.
static s_scan_t
s_scan (const unsigned char *data, size_t size, size_t *used_p)
{
    size_t at = 0;
    uint64_t owed = 1;                  //  values still to read
    while (owed) {
        if (owed > size - at)
            return S_SCAN_TRUNCATED;    //  each value needs at least one byte
        unsigned char lead = data [at];
        const s_header_t *header = NULL;
        for (size_t index = 0; index < sizeof s_headers / sizeof s_headers [0]; index++)
            if (lead >= s_headers [index].first && lead <= s_headers [index].last) {
                header = &s_headers [index];
                break;
            }
        if (!header)
            return S_SCAN_MALFORMED;    //  0xC1 is never used
        if (header->head > size - at)
            return S_SCAN_TRUNCATED;
        uint64_t length = lead & header->inline_bits;
        for (size_t index = 0; index < header->length_size; index++)
            length = (length << 8) | data [at + 1 + index];
        at += header->head;
        owed--;
        if (header->per_item)
            owed += length * header->per_item;
        else {
            if (length > size - at)
                return S_SCAN_TRUNCATED;
            at += length;
        }
    }
    *used_p = at;
    return S_SCAN_OK;
}

//  The envelope of a payload, before any conversion: SIZE bytes at DATA
//  unpacked into UNPACKED (the caller's, initialised, destroyed by it).
//  0, or -1 with the decoder's error set.
static int
s_unpack_in (s_decoder_t *decoder, const void *data, size_t size, msgpack_zone *zone,
             msgpack_unpacked *unpacked)
{
    if (!data || size == 0) {
        s_fail (decoder, NULL, "truncated msgpack");
        return -1;
    }
    //  The payload must be a map: refuse anything else before msgpack-c
    //  allocates for it (fixmap 0x80-0x8F, map16 0xDE, map32 0xDF)
    unsigned char first = *(const unsigned char *) data;
    if ((first & 0xF0) != 0x80 && first != 0xDE && first != 0xDF) {
        s_fail (decoder, NULL, "payload must be a map");
        return -1;
    }
    size_t used = 0;
    s_scan_t scan = s_scan (data, size, &used);
    if (scan != S_SCAN_OK || used != size) {
        s_fail (decoder, NULL, scan == S_SCAN_TRUNCATED? "truncated msgpack":
                               scan == S_SCAN_MALFORMED? "malformed msgpack":
                               "trailing bytes after the payload");
        return -1;
    }
    size_t offset = 0;
    msgpack_unpack_return rc = zone
        ? msgpack_unpack (data, size, &offset, zone, &unpacked->data)
        : msgpack_unpack_next (unpacked, data, size, &offset);
    if (rc == MSGPACK_UNPACK_CONTINUE)
        s_fail (decoder, NULL, "truncated msgpack");
    else
    if (rc == MSGPACK_UNPACK_NOMEM_ERROR)
        s_fail (decoder, NULL, "msgpack too large to unpack");
    else
    if (rc != MSGPACK_UNPACK_SUCCESS)
        s_fail (decoder, NULL, "malformed msgpack");
    else
    if (offset != size)
        s_fail (decoder, NULL, "trailing bytes after the payload");
    else
    if (unpacked->data.type != MSGPACK_OBJECT_MAP)
        s_fail (decoder, NULL, "payload must be a map");
    else
        return 0;
    return -1;
}

static int
s_unpack (s_decoder_t *decoder, const void *data, size_t size, msgpack_unpacked *unpacked)
{
    return s_unpack_in (decoder, data, size, NULL, unpacked);
}

//  Convert and validate the unpacked payload map: a new reference or NULL
static json_t *
s_convert (s_decoder_t *decoder, const msgpack_unpacked *unpacked)
{
    json_t *result = s_map (decoder, &unpacked->data.via.map, 1, NULL);
    if (result && pl_schema_validate (decoder->message, result, decoder->err, decoder->errsize)) {
        json_decref (result);
        result = NULL;
    }
    return result;
}

json_t *
pl_codec_decode (const char *name, const void *data, size_t size,
                 char *err, size_t errsize)
{
    const pl_message_t *message = pl_schema_find (name);
    if (!message) {
        s_say (err, errsize, "%s: unknown message", name? name: "(null)");
        return NULL;
    }
    s_decoder_t decoder = { message, err, errsize };
    msgpack_unpacked unpacked;
    msgpack_unpacked_init (&unpacked);
    json_t *result = NULL;
    if (s_unpack (&decoder, data, size, &unpacked) == 0)
        result = s_convert (&decoder, &unpacked);
    msgpack_unpacked_destroy (&unpacked);
    return result;
}

int
pl_codec_check (const char *name, const void *data, size_t size,
                char *err, size_t errsize)
{
    return pl_codec_check_in (NULL, name, data, size, err, errsize);
}

int
pl_codec_check_in (msgpack_zone *zone, const char *name, const void *data, size_t size,
                   char *err, size_t errsize)
{
    const pl_message_t *message = pl_schema_find (name);
    if (!message) {
        s_say (err, errsize, "%s: unknown message", name? name: "(null)");
        return -1;
    }
    s_decoder_t decoder = { message, err, errsize };
    msgpack_unpacked unpacked;
    msgpack_unpacked_init (&unpacked);
    if (size > PL_CODEC_ZONE_MAX)
        zone = NULL;
    int rc = s_unpack_in (&decoder, data, size, zone, &unpacked);
    if (rc == 0)
        rc = pl_codec_check_map (message, &unpacked.data.via.map, err, errsize);
    if (rc == PL_CODEC_CHECK_DECODE) {
        json_t *result = s_convert (&decoder, &unpacked);
        rc = result? 0: -1;
        json_decref (result);
    }
    if (zone)
        msgpack_zone_clear (zone);
    else
        msgpack_unpacked_destroy (&unpacked);
    return rc;
}

//  --------------------------------------------------------------------------
//  Encoding.  pl_codec_encode packs the canonical form of pl_canon.h
//  directly: members sorted by pl_canon_key_compare, null members left
//  out, and msgpack-c's smallest headers, which are the form's (the packer
//  picks them for integers, strings, arrays and maps).  pl_codec_pack_raw
//  packs members in the object's order, nulls included, as tests need.

#define S_MEMBERS_ON_STACK  32  //  no message has more fields; larger objects malloc

typedef struct {
    const char *key;
    size_t key_size;
    const json_t *value;
} s_member_t;

static int
s_member_compare (const void *a, const void *b)
{
    const s_member_t *left = (const s_member_t *) a, *right = (const s_member_t *) b;
    return pl_canon_key_compare (left->key, left->key_size, right->key, right->key_size);
}

static int s_pack (msgpack_packer *packer, const json_t *value, bool canonical, int depth);

//  OBJECT's members in canonical order
static int
s_pack_canonical (msgpack_packer *packer, const json_t *object, int depth)
{
    s_member_t on_stack [S_MEMBERS_ON_STACK];
    size_t count = json_object_size (object);
    s_member_t *members = count <= S_MEMBERS_ON_STACK
                        ? on_stack: (s_member_t *) malloc (count * sizeof *members);
    if (!members)
        return -1;
    size_t kept = 0;
    //  keys may hold NUL bytes in jansson 2.14: take their full length
    for (void *iter = json_object_iter ((json_t *) object); iter;
         iter = json_object_iter_next ((json_t *) object, iter)) {
        const json_t *value = json_object_iter_value (iter);
        if (!json_is_null (value))
            members [kept++] = (s_member_t) { json_object_iter_key (iter),
                                              json_object_iter_key_len (iter), value };
    }
    qsort (members, kept, sizeof *members, s_member_compare);
    int rc = msgpack_pack_map (packer, kept);
    for (size_t index = 0; rc == 0 && index < kept; index++)
        rc = msgpack_pack_str_with_body (packer, members [index].key, members [index].key_size)
          || s_pack (packer, members [index].value, true, depth + 1);
    if (members != on_stack)
        free (members);
    return rc? -1: 0;
}

static int
s_pack (msgpack_packer *packer, const json_t *value, bool canonical, int depth)
{
    if (depth > 64)         //  no payload of ours is this deep; refuse rather than recurse
        return -1;
    switch (json_typeof (value)) {
        case JSON_OBJECT: {
            if (canonical)
                return s_pack_canonical (packer, value, depth);
            if (msgpack_pack_map (packer, json_object_size (value)))
                return -1;
            for (void *iter = json_object_iter ((json_t *) value); iter;
                 iter = json_object_iter_next ((json_t *) value, iter)) {
                if (msgpack_pack_str_with_body (packer, json_object_iter_key (iter),
                                                json_object_iter_key_len (iter))
                ||  s_pack (packer, json_object_iter_value (iter), false, depth + 1))
                    return -1;
            }
            return 0;
        }
        case JSON_ARRAY: {
            if (msgpack_pack_array (packer, json_array_size (value)))
                return -1;
            size_t index;
            json_t *member;
            json_array_foreach (value, index, member)
                if (s_pack (packer, member, canonical, depth + 1))
                    return -1;
            return 0;
        }
        case JSON_STRING:
            return msgpack_pack_str_with_body (packer, json_string_value (value),
                                               json_string_length (value));
        case JSON_INTEGER:
            return msgpack_pack_int64 (packer, (int64_t) json_integer_value (value));
        case JSON_REAL:     //  the canonical form has no floats (pl_canon.h, rule 7)
            return canonical? -1: msgpack_pack_double (packer, json_real_value (value));
        case JSON_TRUE:
            return msgpack_pack_true (packer);
        case JSON_FALSE:
            return msgpack_pack_false (packer);
        case JSON_NULL:
            return msgpack_pack_nil (packer);
    }
    return -1;
}

//  VALUE packed into malloc'd bytes handed to the caller: 0 or -1
static int
s_pack_to (const json_t *value, bool canonical, void **data_p, size_t *size_p)
{
    assert (data_p && size_p);
    if (!value)
        return -1;
    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    msgpack_packer packer;
    msgpack_packer_init (&packer, &buffer, msgpack_sbuffer_write);
    if (s_pack (&packer, value, canonical, 1)) {
        msgpack_sbuffer_destroy (&buffer);
        return -1;
    }
    //  The sbuffer's bytes are malloc'd: hand them over as they are
    *size_p = buffer.size;
    *data_p = msgpack_sbuffer_release (&buffer);
    return 0;
}

int
pl_codec_pack_raw (const json_t *value, void **data_p, size_t *size_p)
{
    return s_pack_to (value, false, data_p, size_p);
}

int
pl_codec_encode (const char *name, const json_t *object,
                 void **data_p, size_t *size_p, char *err, size_t errsize)
{
    const pl_message_t *message = pl_schema_find (name);
    if (!message) {
        s_say (err, errsize, "%s: unknown message", name? name: "(null)");
        return -1;
    }
    if (pl_schema_validate (message, object, err, errsize))
        return -1;
    if (s_pack_to (object, true, data_p, size_p)) {
        s_say (err, errsize, "%s: cannot pack the payload", name);
        return -1;
    }
    return 0;
}

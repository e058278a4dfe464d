/*  pl_codec — msgpack on the wire, jansson json_t in memory, schema checks between.

    Decoding unpacks with msgpack-c (one msgpack_unpack_next over the whole
    buffer, so truncated input and trailing bytes are both seen), converts the
    msgpack_object tree into json_t values, refusing what JSON cannot say or
    the protocol does not allow (binary and extension values, non-string or
    duplicate keys, invalid UTF-8, non-finite floats, integers above
    INT64_MAX, nesting deeper than S_DEPTH_MAX), then validates against the
    schema.  Errors name the place: "participant.list.reply: items[3]:
    family_name: binary values are not allowed".

    msgpack-c strings are views into the unpacked zone; every string is
    copied into jansson before the zone is freed. */
#include "pl_codec.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <msgpack.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_DEPTH_MAX     8       //  maps and arrays nested, the payload map counting as 1
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
            if (depth >= S_DEPTH_MAX) {
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
    if (!data || size == 0) {
        s_fail (&decoder, NULL, "truncated msgpack");
        return NULL;
    }
    //  The payload must be a map: refuse anything else before msgpack-c
    //  allocates for it (fixmap 0x80-0x8F, map16 0xDE, map32 0xDF)
    unsigned char first = *(const unsigned char *) data;
    if ((first & 0xF0) != 0x80 && first != 0xDE && first != 0xDF) {
        s_fail (&decoder, NULL, "payload must be a map");
        return NULL;
    }
    size_t used = 0;
    s_scan_t scan = s_scan (data, size, &used);
    if (scan != S_SCAN_OK || used != size) {
        s_fail (&decoder, NULL, scan == S_SCAN_TRUNCATED? "truncated msgpack":
                                scan == S_SCAN_MALFORMED? "malformed msgpack":
                                "trailing bytes after the payload");
        return NULL;
    }
    msgpack_unpacked unpacked;
    msgpack_unpacked_init (&unpacked);
    size_t offset = 0;
    json_t *result = NULL;
    msgpack_unpack_return rc = msgpack_unpack_next (&unpacked, data, size, &offset);
    if (rc == MSGPACK_UNPACK_CONTINUE)
        s_fail (&decoder, NULL, "truncated msgpack");
    else
    if (rc == MSGPACK_UNPACK_NOMEM_ERROR)
        s_fail (&decoder, NULL, "msgpack too large to unpack");
    else
    if (rc != MSGPACK_UNPACK_SUCCESS)
        s_fail (&decoder, NULL, "malformed msgpack");
    else
    if (offset != size)
        s_fail (&decoder, NULL, "trailing bytes after the payload");
    else
    if (unpacked.data.type != MSGPACK_OBJECT_MAP)
        s_fail (&decoder, NULL, "payload must be a map");
    else {
        result = s_map (&decoder, &unpacked.data.via.map, 1, NULL);
        if (result && pl_schema_validate (message, result, err, errsize)) {
            json_decref (result);
            result = NULL;
        }
    }
    msgpack_unpacked_destroy (&unpacked);
    return result;
}

//  --------------------------------------------------------------------------
//  Encoding

static int
s_pack (msgpack_packer *packer, const json_t *value, int depth)
{
    if (depth > 64)         //  no payload of ours is this deep; refuse rather than recurse
        return -1;
    switch (json_typeof (value)) {
        case JSON_OBJECT: {
            if (msgpack_pack_map (packer, json_object_size (value)))
                return -1;
            //  keys may hold NUL bytes in jansson 2.14: pack their full length
            for (void *iter = json_object_iter ((json_t *) value); iter;
                 iter = json_object_iter_next ((json_t *) value, iter)) {
                if (msgpack_pack_str_with_body (packer, json_object_iter_key (iter),
                                                json_object_iter_key_len (iter))
                ||  s_pack (packer, json_object_iter_value (iter), depth + 1))
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
                if (s_pack (packer, member, depth + 1))
                    return -1;
            return 0;
        }
        case JSON_STRING:
            return msgpack_pack_str_with_body (packer, json_string_value (value),
                                               json_string_length (value));
        case JSON_INTEGER:
            return msgpack_pack_int64 (packer, (int64_t) json_integer_value (value));
        case JSON_REAL:
            return msgpack_pack_double (packer, json_real_value (value));
        case JSON_TRUE:
            return msgpack_pack_true (packer);
        case JSON_FALSE:
            return msgpack_pack_false (packer);
        case JSON_NULL:
            return msgpack_pack_nil (packer);
    }
    return -1;
}

int
pl_codec_pack_raw (const json_t *value, void **data_p, size_t *size_p)
{
    assert (data_p && size_p);
    if (!value)
        return -1;
    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    msgpack_packer packer;
    msgpack_packer_init (&packer, &buffer, msgpack_sbuffer_write);
    if (s_pack (&packer, value, 1)) {
        msgpack_sbuffer_destroy (&buffer);
        return -1;
    }
    //  The sbuffer's bytes are malloc'd: hand them over as they are
    *size_p = buffer.size;
    *data_p = msgpack_sbuffer_release (&buffer);
    return 0;
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
    if (pl_codec_pack_raw (object, data_p, size_p)) {
        s_say (err, errsize, "%s: cannot pack the payload", name);
        return -1;
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  Self-test

#define S_CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "pl_codec_test: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    goto fail; } } while (0)

//  One realistic payload per message (every event must have one)
static const struct {
    const char *name;
    const char *json;
} s_samples [] = {
    { "meeting.scheduled", "{\"id\":\"ccw-revcon7\",\"convention\":\"CCW\",\"kind\":\"revcon\","
      "\"title\":\"《特定常规武器公约》缔约方第七次审议会议\",\"venue\":\"Geneva, Palais des Nations\","
      "\"tz\":\"Europe/Zurich\",\"start\":\"2026-11-16\",\"end\":\"2026-11-20\","
      "\"url\":\"https://meetings.unoda.org/ccw-revcon/2026\",\"description\":\"第二次审议会议\\n议程项目 8(a)\"}" },
    { "meeting.updated", "{\"id\":\"ccw-revcon7\",\"venue\":\"Lausanne\",\"start\":\"2026-11-17\","
      "\"reason\":\"Conference room XIX unavailable\"}" },
    { "meeting.cancelled", "{\"id\":\"ccm-ws-2026\",\"reason\":\"Лишь три заявки на участие\"}" },
    { "meeting.closed", "{\"id\":\"ccw-revcon7\"}" },
    { "session.scheduled", "{\"meeting\":\"ccw-revcon7\",\"id\":\"day1-am\",\"title\":\"First plenary meeting\","
      "\"start\":\"2026-11-16T10:00\",\"end\":\"2026-11-16T13:00:00\",\"room\":\"Room XIX\","
      "\"agenda_items\":[\"1\",\"2\",\"8(a)\",\"9(h)(i)\"],\"kind\":\"plenary\"}" },
    { "session.moved", "{\"meeting\":\"ccw-revcon7\",\"id\":\"day1-am\",\"start\":\"2026-11-16T15:00\","
      "\"end\":\"2026-11-16T18:00\",\"room\":\"Room XVIII\",\"reason\":\"interpretation\"}" },
    { "session.cancelled", "{\"meeting\":\"ccw-revcon7\",\"id\":\"day1-am\"}" },
    { "participant.registered", "{\"meeting\":\"ccm-msp13\",\"family_name\":\"Łukasiewicz-Żółć\","
      "\"given_name\":\"Zofia\",\"delegation\":\"PL\",\"function\":\"head\",\"gender\":\"f\","
      "\"email\":\"zofia.lukasiewicz@msz.gov.pl\",\"sponsored\":false,\"title\":\"H.E. Ms.\","
      "\"position\":\"Ambassador, Permanent Representative\",\"organization\":\"Ministerstwo Spraw Zagranicznych\"}" },
    { "participant.updated", "{\"meeting\":\"ccm-msp13\",\"participant\":\"p42\",\"family_name\":\"عبد الله\","
      "\"given_name\":\"محمد\",\"delegation\":\"LB\",\"sponsored\":true,\"reason\":\"spelling\"}" },
    { "participant.withdrawn", "{\"meeting\":\"ccm-msp13\",\"participant\":\"p43\",\"reason\":\"visa refused\"}" },
    { "participant.approved", "{\"meeting\":\"ccm-msp13\",\"participant\":\"p44\",\"focal_point\":\"p40\","
      "\"reason\":\"délégation complète\"}" },
    { "participant.confirmed", "{\"meeting\":\"ccm-msp13\",\"participant\":\"p44\"}" },
    { "participant.rejected", "{\"meeting\":\"ccm-msp13\",\"participant\":\"p45\","
      "\"reason\":\"不是代表团成员\"}" },
    { "delegation.declared", "{\"convention\":\"CCM\",\"code\":\"ICRC\",\"status\":\"organization\","
      "\"name\":\"Comité international de la Croix-Rouge\",\"note\":\"observer since 2010\"}" },
    { "delegation.admitted", "{\"meeting\":\"ccm-msp13\",\"delegation\":\"ICRC\","
      "\"reason\":\"rule 1(2) of the rules of procedure\"}" },
    { "credentials.submitted", "{\"meeting\":\"ccm-msp13\",\"delegation\":\"CN\",\"form\":\"original\","
      "\"issued_by\":\"foreign-minister\",\"received\":\"2025-09-01\",\"note\":\"王毅外长签署\"}" },
    { "credentials.verified", "{\"meeting\":\"ccm-msp13\",\"delegation\":\"CN\"}" },
    { "credentials.rejected", "{\"meeting\":\"ccm-msp13\",\"delegation\":\"XX\","
      "\"reason\":\"signed by an official without authority\"}" },
    { "statement.delivered", "{\"meeting\":\"ccm-msp13\",\"delegation\":\"RU\",\"speaker\":\"Иван Петров\","
      "\"language\":\"ru\",\"agenda_item\":\"8(a)\",\"session\":\"day1-am\",\"on_behalf_of\":\"\","
      "\"delivered_at\":\"2025-09-02T10:31:00+02:00\",\"text\":\"Уважаемый Председатель, ...\","
      "\"document\":\"CCM/MSP/2025/STATEMENT/RU\"}" },
    { "speaker.inscribed", "{\"meeting\":\"ccm-msp13\",\"agenda_item\":\"8(a)\",\"delegation\":\"AT\","
      "\"speaker\":\"Alexander Kmentt\",\"on_behalf_of\":\"European Union\","
      "\"inscribed_at\":\"2025-09-02T09:05:00Z\"}" },
    { "speaker.withdrawn", "{\"meeting\":\"ccm-msp13\",\"agenda_item\":\"8(a)\",\"delegation\":\"FR\","
      "\"reason\":\"aligns itself with the EU\"}" },
    { "speaker.swapped", "{\"meeting\":\"ccm-msp13\",\"agenda_item\":\"8(a)\",\"delegation\":\"MX\","
      "\"with\":\"EG\"}" },
    { "participant.token.issued", "{\"participant\":\"p42\",\"token_hash\":"
      "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",\"replace\":true}" },
    { "participants.issued", "{\"meeting\":\"ccm-msp13\",\"issue\":2,"
      "\"symbol\":\"CCM/MSP/2025/INF.1/Add.1\",\"note\":\"addendum\"}" },
    { "credentials.report.reply", "{\"meeting\":\"ccm-msp13\",\"convention\":\"CCM\","
      "\"states_parties\":1,\"due_form\":1,\"provisional\":0,\"pending\":0,\"rejected\":0,"
      "\"none\":0,\"items\":[{\"delegation\":\"CN\",\"delegation_name\":\"China\","
      "\"participants\":3,\"standing\":\"due-form\",\"form\":\"original\",\"verified\":true}]}" },
    { "speaker.list.reply", "{\"items\":[{\"position\":1,\"delegation\":\"EG\",\"delegation_name\":\"مصر\","
      "\"inscribed_at\":\"2025-09-02T09:05:00.120Z\",\"status\":\"spoken\","
      "\"started_at\":\"2025-09-02T10:00:00Z\",\"duration_s\":240,\"statement\":\"s77\"}]}" },
    { "document.released", "{\"symbol\":\"CCW/CONF.VI/4/Rev.1\",\"language\":\"zh\","
      "\"title\":\"第二次审议会议最后文件\",\"meeting\":\"ccw-revcon7\",\"agenda_item\":\"12\","
      "\"distribution\":\"general\",\"status\":\"final\",\"dated\":\"2026-12-01\","
      "\"released\":\"2026-12-03T16:00:00.5Z\",\"original_language\":\"en\",\"job_number\":\"GE.26-12345(C)\","
      "\"text\":\"缔约方会议决定……\",\"sha256\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}" },
    { "outcome.adopted", "{\"meeting\":\"ccm-msp13\",\"id\":\"final-report\",\"kind\":\"final-report\","
      "\"title\":\"Final Report of the Thirteenth Meeting of States Parties\",\"adopted\":\"2025-09-05\","
      "\"agenda_item\":\"14\",\"documents\":[\"CCM/MSP/2025/12\",\"CCM/MSP/2025/12/Add.1\"]}" },
    { "meeting.list", "{\"convention\":\"CCM\",\"status\":\"scheduled\"}" },
    { "meeting.list.reply", "{\"items\":[{\"id\":\"ccm-msp13\",\"convention\":\"CCM\",\"kind\":\"msp\","
      "\"title\":\"Thirteenth Meeting of States Parties\",\"venue\":\"Geneva\",\"tz\":\"Europe/Zurich\","
      "\"start\":\"2025-09-01\",\"end\":\"2025-09-05\",\"status\":\"scheduled\",\"participants\":421}]}" },
    { "meeting.show", "{\"id\":\"ccm-msp13\"}" },
    { "participant.list.reply", "{\"items\":[{\"id\":\"p42\",\"meeting\":\"ccm-msp13\",\"family_name\":\"王\","
      "\"given_name\":\"小明\",\"delegation\":\"CN\",\"status\":\"registered\","
      "\"registered_at\":\"2025-08-01T08:00:00Z\",\"seq\":42}]}" },
    { "broker.status.reply", "{\"last_seq\":1200,\"events\":1200,\"dead_letters\":1,\"groups\":"
      "[{\"group\":\"records\",\"topics\":\"*\",\"acked_through\":1199,\"workers\":1,\"in_flight\":1,\"lag\":1}]}" },
    { "dlq.list.reply", "{\"items\":[{\"seq\":17,\"topic\":\"participant.registered\",\"event_id\":\"csv-3f2a-row-17\","
      "\"group\":\"records\",\"attempts\":5,\"cause\":\"timeout\",\"parked_at\":\"2025-08-01T08:00:05.25Z\"}]}" },
};

//  Raw msgpack cases: bytes and the exact error they must give
#define S_RAW(bytes) bytes, sizeof bytes - 1
static const struct {
    const char *name;
    const char *bytes;
    size_t size;
    const char *error;
} s_raw_cases [] = {
    { "participant.registered", S_RAW ("\x81\xAB" "family_name\xA2\xC3\x28"),
      "participant.registered: family_name: not valid UTF-8" },
    { "participant.registered", S_RAW ("\x81\xAB" "family_name\xC4\x01x"),
      "participant.registered: family_name: binary values are not allowed" },
    { "participant.registered", S_RAW ("\x81\xAB" "family_name\xD4\x01\x01"),
      "participant.registered: family_name: extension values are not allowed" },
    { "participant.registered", S_RAW ("\x92\x01\x02"), "participant.registered: payload must be a map" },
    { "participant.registered", S_RAW ("\xA3" "abc"), "participant.registered: payload must be a map" },
    { "participant.registered", S_RAW ("\x80\x00"), "participant.registered: trailing bytes after the payload" },
    { "participant.registered", S_RAW ("\x81\x01\x02"), "participant.registered: map keys must be strings" },
    { "participant.registered", S_RAW ("\x82\xA1x\x01\xA1x\x02"), "participant.registered: x: duplicate key" },
    { "participant.registered", S_RAW ("\x81\xA2x\n\x01"),
      "participant.registered: map key is not valid UTF-8 or holds a control character" },
    { "participant.registered", S_RAW ("\x81\xA4note\xCF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF"),
      "participant.registered: note: integer out of range" },
    { "participant.registered", S_RAW ("\x81\xA4note\x91\x91\x91\x91\x91\x91\x91\x90"),
      "participant.registered: note[0][0][0][0][0][0][0]: nesting deeper than 8 levels" },
    { "participant.registered", S_RAW ("\x81\xA4note\x91\x91\x91\x91\x91\x91\x90"),
      "participant.registered: note: must be a string" },        //  8 levels decode
    { "participant.registered", S_RAW ("\x81\xA4note\xC1"), "participant.registered: malformed msgpack" },
    { "participant.registered", S_RAW ("\xDF\xFF\xFF\xFF\xFF"), "participant.registered: truncated msgpack" },
    { "participant.list.reply", S_RAW ("\x81\xA5items\x91\x81\xAB" "family_name\xC4\x00"),
      "participant.list.reply: items[0]: family_name: binary values are not allowed" },
    { "no.such", S_RAW ("\x80"), "no.such: unknown message" },
};

static int
s_expect (json_t *decoded, const char *err, const char *want)
{
    if (decoded || strcmp (err, want)) {
        fprintf (stderr, "pl_codec_test: want \"%s\", got \"%s\"\n", want, decoded? "success": err);
        json_decref (decoded);
        return -1;
    }
    return 0;
}

//  Every event of the table has a sample, and every sample round-trips:
//  encode, decode, compare, encode again to the same bytes.
static int
s_test_round_trips (void)
{
    char err [PL_ERR_MAX];
    for (size_t at = 0; pl_schema_at (at); at++) {
        const pl_message_t *message = pl_schema_at (at);
        size_t index = 0;
        while (index < sizeof s_samples / sizeof s_samples [0]
        &&     strcmp (s_samples [index].name, message->name))
            index++;
        if (message->kind == PL_KIND_EVENT && index == sizeof s_samples / sizeof s_samples [0]) {
            fprintf (stderr, "pl_codec_test: no sample for event %s\n", message->name);
            return -1;
        }
    }
    for (size_t index = 0; index < sizeof s_samples / sizeof s_samples [0]; index++) {
        json_t *object = json_loads (s_samples [index].json, 0, NULL);
        json_t *decoded = NULL;
        void *data = NULL, *again = NULL;
        size_t size = 0, again_size = 0;
        S_CHECK (object);
        if (pl_codec_encode (s_samples [index].name, object, &data, &size, err, sizeof err)) {
            fprintf (stderr, "pl_codec_test: sample %s: %s\n", s_samples [index].name, err);
            goto fail;
        }
        decoded = pl_codec_decode (s_samples [index].name, data, size, err, sizeof err);
        S_CHECK (decoded && json_equal (decoded, object));
        S_CHECK (pl_codec_encode (s_samples [index].name, decoded, &again, &again_size,
                                  err, sizeof err) == 0);
        S_CHECK (again_size == size && memcmp (again, data, size) == 0);
        //  Every proper prefix is truncated, never a crash or a success
        for (size_t prefix = 0; prefix < size; prefix++) {
            json_t *cut = pl_codec_decode (s_samples [index].name, data, prefix, err, sizeof err);
            char want [PL_ERR_MAX];
            snprintf (want, sizeof want, "%s: truncated msgpack", s_samples [index].name);
            S_CHECK (s_expect (cut, err, want) == 0);
        }
        json_decref (object);
        json_decref (decoded);
        free (data);
        free (again);
        continue;
fail:
        json_decref (object);
        json_decref (decoded);
        free (data);
        free (again);
        return -1;
    }
    return 0;
}

//  Encoding refuses invalid objects and allocates nothing then
static int
s_test_encode_errors (void)
{
    char err [PL_ERR_MAX];
    void *data = NULL;
    size_t size = 0;
    json_t *object = json_pack ("{s:s, s:s, s:s, s:s}", "meeting", "ccm-msp13",
                                "family_name", "X", "delegation", "PL", "colour", "red");
    int rc = pl_codec_encode ("participant.registered", object, &data, &size, err, sizeof err);
    json_decref (object);
    S_CHECK (rc == -1 && data == NULL);
    S_CHECK (strcmp (err, "participant.registered: colour: unknown field") == 0);
    S_CHECK (pl_codec_encode ("no.such", NULL, &data, &size, err, sizeof err) == -1);
    S_CHECK (strcmp (err, "no.such: unknown message") == 0);
    S_CHECK (pl_codec_pack_raw (NULL, &data, &size) == -1);
    return 0;
fail:
    return -1;
}

//  Decoding a raw packed object with an error
static json_t *
s_decode_json (const char *name, json_t *object, char *err, size_t errsize)
{
    void *data = NULL;
    size_t size = 0;
    json_t *decoded = NULL;
    if (pl_codec_pack_raw (object, &data, &size) == 0)
        decoded = pl_codec_decode (name, data, size, err, errsize);
    free (data);
    json_decref (object);
    return decoded;
}

static int
s_test_decode_errors (void)
{
    char err [PL_ERR_MAX];
    for (size_t index = 0; index < sizeof s_raw_cases / sizeof s_raw_cases [0]; index++) {
        json_t *decoded = pl_codec_decode (s_raw_cases [index].name, s_raw_cases [index].bytes,
                                           s_raw_cases [index].size, err, sizeof err);
        if (s_expect (decoded, err, s_raw_cases [index].error)) {
            fprintf (stderr, "pl_codec_test: raw case %zu\n", index);
            return -1;
        }
    }
    char name [130];
    memset (name, 'a', 129);
    name [129] = 0;
    json_t *decoded = s_decode_json ("participant.registered",
        json_pack ("{s:s, s:s, s:s}", "meeting", "m", "family_name", name, "delegation", "PL"),
        err, sizeof err);
    S_CHECK (s_expect (decoded, err, "participant.registered: family_name: longer than 128 bytes") == 0);
    decoded = s_decode_json ("participant.registered",
        json_pack ("{s:s, s:s}", "meeting", "m", "delegation", "PL"), err, sizeof err);
    S_CHECK (s_expect (decoded, err, "participant.registered: family_name: required") == 0);
    decoded = s_decode_json ("participant.registered",
        json_pack ("{s:s, s:s, s:s, s:s}", "meeting", "m", "family_name", "Ng",
                   "delegation", "VN", "gender", "q"), err, sizeof err);
    S_CHECK (s_expect (decoded, err, "participant.registered: gender: must be one of f, m, x") == 0);
    decoded = s_decode_json ("meeting.list.reply", json_pack ("{s:[{s:f}]}", "items", "participants", 1.5),
                             err, sizeof err);
    S_CHECK (s_expect (decoded, err, "meeting.list.reply: items[0]: participants: must be an integer") == 0);
    //  nil is the same as absent
    decoded = s_decode_json ("participant.registered",
        json_pack ("{s:s, s:s, s:s, s:n}", "meeting", "m", "family_name", "Ng",
                   "delegation", "VN", "email"), err, sizeof err);
    S_CHECK (decoded && json_is_null (json_object_get (decoded, "email")));
    json_decref (decoded);
    return 0;
fail:
    return -1;
}

//  Decode + validate time of a typical registration, reported when verbose
static void
s_measure (void)
{
    json_t *object = json_loads (s_samples [7].json, 0, NULL);
    void *data = NULL;
    size_t size = 0;
    char err [PL_ERR_MAX];
    if (object && pl_codec_encode ("participant.registered", object, &data, &size, err, sizeof err) == 0) {
        const int rounds = 100000;
        struct timespec start, end;
        clock_gettime (CLOCK_MONOTONIC, &start);
        for (int round = 0; round < rounds; round++)
            json_decref (pl_codec_decode ("participant.registered", data, size, err, sizeof err));
        clock_gettime (CLOCK_MONOTONIC, &end);
        double ns = ((end.tv_sec - start.tv_sec) * 1e9 + (end.tv_nsec - start.tv_nsec)) / rounds;
        printf ("pl_codec_test: decode+validate participant.registered (%zu bytes): %.0f ns\n",
                size, ns);
    }
    free (data);
    json_decref (object);
}

int
pl_codec_test (int verbose)
{
    if (s_test_round_trips () || s_test_encode_errors () || s_test_decode_errors ())
        return -1;
    if (verbose) {
        s_measure ();
        printf ("pl_codec_test: ok (%zu samples, %zu raw cases)\n",
                sizeof s_samples / sizeof s_samples [0], sizeof s_raw_cases / sizeof s_raw_cases [0]);
    }
    return 0;
}

/*  pl_codec_check — validate an unpacked msgpack payload without jansson.

    The broker only needs to know whether a payload is valid, and if not,
    why; building a json_t tree for that (pl_codec_decode) cost it a dozen
    allocations per event.  This file walks the msgpack_object tree twice,
    in the order pl_codec_decode works: first the conversion rules of
    pl_codec.c (string keys, no duplicates, no binary or extension values,
    valid UTF-8, finite numbers, integers up to INT64_MAX, nesting up to 8),
    over the whole payload; then the schema, field by field in payload order,
    with the same type checks (pl_schema_check_value) and the same list and
    "required" rules as pl_schema_validate.  Every message is built exactly as
    those two build theirs, so the result and the error text are identical;
    pl_codec_test runs both paths on every sample and thousands of mutations
    of them and requires that.

    Duplicate keys are found by comparing each key with the earlier ones of
    its map; a map of more than S_KEYS_MAX entries (no message has that many
    fields) is left to pl_codec_decode, so the walk stays linear. */
#include "pl_codec_check.h"
#include "pl_codec.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define S_KEY_SHOWN     64      //  as pl_codec.c: bytes of a key in an error
#define S_KEYS_MAX      64      //  larger maps: PL_CODEC_CHECK_DECODE

typedef struct s_path_s {
    const struct s_path_s *parent;
    const char *key;            //  map key, or NULL for an array index
    size_t key_size;
    size_t index;
} s_path_t;

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

//  --------------------------------------------------------------------------
//  Pass 1: the conversion rules of pl_codec.c (s_map, s_array, s_value)

typedef struct {
    const pl_message_t *message;
    char *err;
    size_t errsize;
} s_walk_t;

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

static int
s_fail (s_walk_t *self, const s_path_t *path, const char *rule)
{
    char where [PL_ERR_MAX] = "";
    size_t used = 0;
    s_path_format (path, where, sizeof where, &used);
    s_say (self->err, self->errsize, "%s: %s%s%s", self->message->name,
           where, *where? ": ": "", rule);
    return -1;
}

static int
s_key_valid (const char *key, size_t size)
{
    for (size_t at = 0; at < size; at++)
        if ((unsigned char) key [at] < 0x20 || key [at] == 0x7F)
            return 0;
    return pl_schema_utf8_valid (key, size);
}

//  msgpack-c gives an empty string a NULL pointer
static const char *
s_str (const msgpack_object_str *str)
{
    return str->size? str->ptr: "";
}

static int s_value (s_walk_t *self, const msgpack_object *object, int depth,
                    const s_path_t *path);

//  0, -1 (error set) or PL_CODEC_CHECK_DECODE
static int
s_map (s_walk_t *self, const msgpack_object_map *map, int depth, const s_path_t *path)
{
    if (map->size > S_KEYS_MAX)
        return PL_CODEC_CHECK_DECODE;
    for (uint32_t index = 0; index < map->size; index++) {
        const msgpack_object *key = &map->ptr [index].key;
        if (key->type != MSGPACK_OBJECT_STR)
            return s_fail (self, path, "map keys must be strings");
        size_t size = key->via.str.size;
        const char *name = s_str (&key->via.str);
        s_path_t here = { path, name, size, 0 };
        if (!s_key_valid (name, size))
            return s_fail (self, path, "map key is not valid UTF-8 or holds a control character");
        for (uint32_t earlier = 0; earlier < index; earlier++) {
            const msgpack_object_str *other = &map->ptr [earlier].key.via.str;
            if (other->size == size && memcmp (s_str (other), name, size) == 0)
                return s_fail (self, &here, "duplicate key");
        }
        int rc = s_value (self, &map->ptr [index].val, depth, &here);
        if (rc)
            return rc;
    }
    return 0;
}

static int
s_value (s_walk_t *self, const msgpack_object *object, int depth, const s_path_t *path)
{
    switch (object->type) {
        case MSGPACK_OBJECT_NIL:
        case MSGPACK_OBJECT_BOOLEAN:
        case MSGPACK_OBJECT_NEGATIVE_INTEGER:
            return 0;
        case MSGPACK_OBJECT_POSITIVE_INTEGER:
            return object->via.u64 > INT64_MAX? s_fail (self, path, "integer out of range"): 0;
        case MSGPACK_OBJECT_FLOAT32:
        case MSGPACK_OBJECT_FLOAT64:
            return isfinite (object->via.f64)? 0: s_fail (self, path, "not a finite number");
        case MSGPACK_OBJECT_STR:
            return pl_schema_utf8_valid (s_str (&object->via.str), object->via.str.size)? 0
                 : s_fail (self, path, "not valid UTF-8");
        case MSGPACK_OBJECT_ARRAY:
        case MSGPACK_OBJECT_MAP:
            if (depth >= PL_CODEC_DEPTH_MAX)
                return s_fail (self, path, "nesting deeper than 8 levels");
            if (object->type == MSGPACK_OBJECT_MAP)
                return s_map (self, &object->via.map, depth + 1, path);
            for (uint32_t index = 0; index < object->via.array.size; index++) {
                s_path_t here = { path, NULL, 0, index };
                int rc = s_value (self, &object->via.array.ptr [index], depth + 1, &here);
                if (rc)
                    return rc;
            }
            return 0;
        case MSGPACK_OBJECT_BIN:
            return s_fail (self, path, "binary values are not allowed");
        case MSGPACK_OBJECT_EXT:
            return s_fail (self, path, "extension values are not allowed");
    }
    return s_fail (self, path, "unknown msgpack type");
}

//  --------------------------------------------------------------------------
//  Pass 2: the schema, as pl_schema_validate (s_validate_fields) applies it

//  The checks' view of a msgpack value (pass 1 has accepted it)
static void
s_view (const msgpack_object *object, pl_value_t *value)
{
    static const pl_value_kind_t kinds [] = {
        [MSGPACK_OBJECT_NIL] = PL_V_NULL, [MSGPACK_OBJECT_BOOLEAN] = PL_V_BOOL,
        [MSGPACK_OBJECT_POSITIVE_INTEGER] = PL_V_INT, [MSGPACK_OBJECT_NEGATIVE_INTEGER] = PL_V_INT,
        [MSGPACK_OBJECT_FLOAT32] = PL_V_REAL, [MSGPACK_OBJECT_FLOAT64] = PL_V_REAL,
        [MSGPACK_OBJECT_STR] = PL_V_STRING, [MSGPACK_OBJECT_ARRAY] = PL_V_ARRAY,
        [MSGPACK_OBJECT_MAP] = PL_V_MAP
    };
    memset (value, 0, sizeof *value);
    value->kind = kinds [object->type];
    if (object->type == MSGPACK_OBJECT_STR) {
        value->text = s_str (&object->via.str);
        value->size = object->via.str.size;
    }
    if (object->type == MSGPACK_OBJECT_POSITIVE_INTEGER
    ||  object->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
        value->integer = object->via.i64;
    if (object->type == MSGPACK_OBJECT_BOOLEAN)
        value->boolean = object->via.boolean;
}

static int s_fields (const pl_message_t *message, const msgpack_object_map *map,
                     char *err, size_t errsize);

//  TEXTLIST: each item is checked as a required text of at most max bytes,
//  which is exactly the rule pl_schema.c applies to textlist items.
static int
s_check_textlist (const pl_field_t *field, const msgpack_object *object,
                  char *rule, size_t rulesize)
{
    if (object->type != MSGPACK_OBJECT_ARRAY) {
        s_say (rule, rulesize, "must be an array of strings");
        return -1;
    }
    if ((int64_t) object->via.array.size > field->min) {
        s_say (rule, rulesize, "more than %" PRId64 " items", field->min);
        return -1;
    }
    const pl_field_t item = { .name = field->name, .type = PL_T_TEXT,
                              .required = PL_REQUIRED, .max = field->max };
    for (uint32_t index = 0; index < object->via.array.size; index++) {
        char inner [PL_ERR_MAX];
        pl_value_t view;
        s_view (&object->via.array.ptr [index], &view);
        if (pl_schema_check_value (&item, &view, inner, sizeof inner)) {
            s_say (rule, rulesize, "[%" PRIu32 "]: %s", index, inner);
            return -1;
        }
    }
    return 0;
}

static int
s_check_list (const pl_field_t *field, const msgpack_object *object,
              char *rule, size_t rulesize)
{
    if (object->type != MSGPACK_OBJECT_ARRAY) {
        s_say (rule, rulesize, "must be an array");
        return -1;
    }
    if ((int64_t) object->via.array.size > field->max) {
        s_say (rule, rulesize, "more than %" PRId64 " items", field->max);
        return -1;
    }
    for (uint32_t index = 0; index < object->via.array.size; index++) {
        const msgpack_object *item = &object->via.array.ptr [index];
        char inner [PL_ERR_MAX];
        if (item->type != MSGPACK_OBJECT_MAP) {
            s_say (rule, rulesize, "[%" PRIu32 "]: must be a map", index);
            return -1;
        }
        if (s_fields (field->item, &item->via.map, inner, sizeof inner)) {
            s_say (rule, rulesize, "[%" PRIu32 "]: %s", index, inner);
            return -1;
        }
    }
    return 0;
}

static int
s_check (const pl_field_t *field, const msgpack_object *object, char *rule, size_t rulesize)
{
    if (field->type == PL_T_TEXTLIST)
        return s_check_textlist (field, object, rule, rulesize);
    if (field->type == PL_T_LIST)
        return s_check_list (field, object, rule, rulesize);
    pl_value_t view;
    s_view (object, &view);
    return pl_schema_check_value (field, &view, rule, rulesize);
}

//  The field of MESSAGE named by SIZE bytes at NAME, or NULL
static const pl_field_t *
s_field (const pl_message_t *message, const char *name, size_t size)
{
    for (const pl_field_t *field = message->fields; field->name; field++)
        if (strlen (field->name) == size && memcmp (field->name, name, size) == 0)
            return field;
    return NULL;
}

//  The value of key NAME in MAP, or NULL
static const msgpack_object *
s_lookup (const msgpack_object_map *map, const char *name)
{
    size_t size = strlen (name);
    for (uint32_t index = 0; index < map->size; index++) {
        const msgpack_object_str *key = &map->ptr [index].key.via.str;
        if (key->size == size && memcmp (s_str (key), name, size) == 0)
            return &map->ptr [index].val;
    }
    return NULL;
}

static int
s_fields (const pl_message_t *message, const msgpack_object_map *map,
          char *err, size_t errsize)
{
    size_t required_seen = 0, required = 0;
    for (uint32_t index = 0; index < map->size; index++) {
        const msgpack_object_str *key = &map->ptr [index].key.via.str;
        const msgpack_object *value = &map->ptr [index].val;
        const pl_field_t *field = s_field (message, s_str (key), key->size);
        if (!field) {
            s_say (err, errsize, "%.*s: unknown field", (int) key->size, s_str (key));
            return -1;
        }
        if (value->type == MSGPACK_OBJECT_NIL)
            continue;
        required_seen += field->required != 0;
        char rule [PL_ERR_MAX];
        if (s_check (field, value, rule, sizeof rule)) {
            s_say (err, errsize, "%.*s%s%s", (int) key->size, s_str (key),
                   rule [0] == '['? "": ": ", rule);
            return -1;
        }
    }
    for (const pl_field_t *field = message->fields; field->name; field++)
        required += field->required != 0;
    if (required_seen == required)
        return 0;
    for (const pl_field_t *field = message->fields; field->name; field++) {
        if (field->required) {
            const msgpack_object *present = s_lookup (map, field->name);
            if (!present || present->type == MSGPACK_OBJECT_NIL) {
                s_say (err, errsize, "%s: required", field->name);
                return -1;
            }
        }
    }
    return 0;
}

int
pl_codec_check_map (const pl_message_t *message, const msgpack_object_map *map,
                    char *err, size_t errsize)
{
    s_walk_t walk = { message, err, errsize };
    int rc = s_map (&walk, map, 1, NULL);
    if (rc)
        return rc;
    char inner [PL_ERR_MAX];
    if (s_fields (message, map, inner, sizeof inner)) {
        s_say (err, errsize, "%s: %s", message->name, inner);
        return -1;
    }
    return 0;
}

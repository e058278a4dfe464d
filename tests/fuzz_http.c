/*  fuzz_http — libFuzzer target for the gateway's request targets
    (gw_target_parse) and the queries made from them (gw_target_query).

    The input is a raw request target as a client could send it.  Whatever
    it is, parsing gives a target or a status with a message, never a
    crash, a leak or a hang, and:
    - a refusal is 400 or 414 with a message that is valid UTF-8 (it goes
      into a JSON body);
    - a target's path and names pass the text check without lines, its
      values with lines, and each piece's size is its string length (no
      byte hidden behind a NUL);
    - the target encoded again (every byte but unreserved ones as %HH)
      parses to the very same pieces;
    - its parameters made into archive.search and, with the path's last
      segment as the symbol, into document.show give either arguments the
      schema accepts or a refusal whose message is valid UTF-8.
    Build with clang and -DPL_FUZZ=ON; the seeds are in tests/fuzz/http:
        build/fuzz_http -max_total_time=120 tests/fuzz/http */
#include "gw_target.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

//  Append SIZE bytes at TEXT to OUT (at *USED) percent-encoded: letters,
//  digits and -._~ as they are, and "/" too when KEEP_SLASH.
static void
s_encode (const char *text, size_t size, int keep_slash, char *out, size_t *used)
{
    static const char hex [] = "0123456789ABCDEF";
    for (size_t i = 0; i < size; i++) {
        unsigned char c = (unsigned char) text [i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        ||  strchr ("-._~", c) || (keep_slash && c == '/'))
            out [(*used)++] = (char) c;
        else {
            out [(*used)++] = '%';
            out [(*used)++] = hex [c >> 4];
            out [(*used)++] = hex [c & 15];
        }
    }
}

//  The pieces of A and B are the same bytes.
static int
s_same (const gw_target_t *a, const gw_target_t *b)
{
    if (a->path_size != b->path_size || memcmp (a->path, b->path, a->path_size)
    ||  a->param_count != b->param_count)
        return 0;
    for (size_t i = 0; i < a->param_count; i++) {
        const gw_param_t *x = &a->params [i], *y = &b->params [i];
        if (x->name_size != y->name_size || memcmp (x->name, y->name, x->name_size)
        ||  x->value_size != y->value_size || memcmp (x->value, y->value, x->value_size))
            return 0;
    }
    return 1;
}

//  Make query MESSAGE from TARGET (FIELD filled from PARAM) and check the outcome.
static void
s_query (const gw_target_t *target, const char *message_name, const char *field,
         const char *param)
{
    const pl_message_t *message = pl_schema_find (message_name);
    char err [PL_ERR_MAX];
    json_t *args = gw_target_query (target, message, field, param, err, sizeof err);
    if (args) {
        if (pl_schema_validate (message, args, err, sizeof err))
            abort ();
        json_decref (args);
    }
    else
    if (!*err || !pl_schema_utf8_valid (err, strlen (err)))
        abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    static gw_target_t target, again;
    static char encoded [GW_TARGET_MAX * 3 + 16];
    char err [PL_ERR_MAX], rule [PL_ERR_MAX];
    int status = gw_target_parse (&target, (const char *) data, size, err, sizeof err);
    if (status) {
        if ((status != 400 && status != 414) || !*err
        ||  !pl_schema_utf8_valid (err, strlen (err)))
            abort ();
        return 0;
    }
    if (strlen (target.path) != target.path_size
    ||  pl_schema_text_check (target.path, target.path_size, 0, rule, sizeof rule))
        abort ();
    size_t used = 0;
    s_encode (target.path, target.path_size, 1, encoded, &used);
    for (size_t i = 0; i < target.param_count; i++) {
        const gw_param_t *param = &target.params [i];
        if (strlen (param->name) != param->name_size || strlen (param->value) != param->value_size
        ||  pl_schema_text_check (param->name, param->name_size, 0, rule, sizeof rule)
        ||  pl_schema_text_check (param->value, param->value_size, 1, rule, sizeof rule))
            abort ();
        encoded [used++] = i ? '&' : '?';
        s_encode (param->name, param->name_size, 0, encoded, &used);
        encoded [used++] = '=';
        s_encode (param->value, param->value_size, 0, encoded, &used);
    }
    //  Encoded, it may be too long for a target; when it is not, it is the same
    if (used <= GW_TARGET_MAX) {
        if (gw_target_parse (&again, encoded, used, err, sizeof err) || !s_same (&target, &again))
            abort ();
    }
    s_query (&target, "archive.search", NULL, NULL);
    const char *slash = strrchr (target.path, '/');
    s_query (&target, "document.show", "symbol", slash ? slash + 1 : target.path);
    return 0;
}

/*  gw_target — an HTTP request's target ("/path?query"), decoded and
    checked, and its parameters mapped onto a query's fields.  Pure
    functions of their input: tested in memory (gw_target_test) and fuzzed
    (tests/fuzz_http.c).

    Why not libmicrohttpd's own decoding: the path it hands the request
    callback is cut at the first %00 (it is a C string), and it keeps a
    malformed escape such as %zz as it is, so a filter could be cut short
    or read differently from what was sent.  The gateway takes the raw
    target from libmicrohttpd (MHD_OPTION_URI_LOG_CALLBACK) and decodes it
    here, where every byte is accounted for.  libmicrohttpd still parses
    the rest of HTTP.

    The grammar (RFC 9112 origin-form; RFC 3986 escapes; "+" as in HTML
    forms):
        target = path [ "?" query ]      at most GW_TARGET_MAX bytes (else 414)
        path   = "/" *byte               %HH decoded; "+" is a plus; no "#"
        query  = pair *( "&" pair )      empty pairs ("a=1&&b=2", a final "&") skipped
        pair   = name [ "=" value ]      "+" is a space, %HH decoded; no "#"
        escape = "%" HEXDIG HEXDIG       "%" before anything else is refused
    Decoded, the path and every name must pass pl_schema_text_check
    without lines (valid UTF-8, no NUL, no control character at all), and
    every value with lines (TAB, CR and LF allowed: the query's schema then
    decides per field, an id refusing what a free text accepts).  A name is
    1..GW_NAME_MAX bytes; there are at most GW_PARAMS_MAX pairs.  What is
    refused is a status (400, or 414 for a long target) and a message that
    names the part: "path: not valid UTF-8", "q: contains a NUL byte",
    "parameter 2: name: bad percent-encoding".  Messages are valid UTF-8
    whatever the input, so that they can go into JSON. */
#ifndef GW_TARGET_H_INCLUDED
#define GW_TARGET_H_INCLUDED

#include <jansson.h>
#include <stddef.h>
#include "pl_schema.h"

#define GW_TARGET_MAX 4096          //  bytes of a raw target; our longest is a token feed
#define GW_PARAMS_MAX 32            //  pairs in a query string; archive.search has 11 fields
#define GW_NAME_MAX   64            //  bytes of a parameter name; schema names are short

//  One parameter, decoded.  NAME and VALUE point into the gw_target_t and
//  are NUL-terminated (they cannot hold a NUL: it is refused).
typedef struct {
    const char *name;
    size_t name_size;
    const char *value;              //  "" for a name without "="
    size_t value_size;
} gw_param_t;

//  A parsed target.  Large (GW_TARGET_MAX bytes): one per request, on the
//  stack of the thread answering it.
typedef struct {
    const char *path;               //  decoded, NUL-terminated
    size_t path_size;
    gw_param_t params [GW_PARAMS_MAX];
    size_t param_count;
    char buffer [GW_TARGET_MAX + 1 + 2 * GW_PARAMS_MAX];    //  the pieces, each with its NUL
} gw_target_t;

//  Parse RAW (SIZE bytes, as the client sent it) into TARGET.  Returns 0,
//  or the HTTP status to answer (400; 414 when longer than GW_TARGET_MAX)
//  with ERR (ERRSIZE bytes) saying what is wrong and where.
int gw_target_parse (gw_target_t *target, const char *raw, size_t size, char *err,
                     size_t errsize);

//  The query arguments of MESSAGE (a query of the schema) from TARGET's
//  parameters, each filling the field of its name converted by the field's
//  type (INT: a decimal number; BOOL: true or false; text as it is), and
//  from PARAM (a piece of the path; NULL when the route has none) filling
//  FIELD.  The whole is then validated against the schema.  Returns a new
//  object (caller owns), or NULL with ERR: an unknown parameter (named), one
//  given twice, a list (not expressible here), a bad value (the schema's
//  "message: field: rule").  NULL with ERR empty only when out of memory.
json_t *gw_target_query (const gw_target_t *target, const pl_message_t *message,
                         const char *field, const char *param, char *err, size_t errsize);

//  Self-test; returns 0 when every case passes.
int gw_target_test (int verbose);

#endif

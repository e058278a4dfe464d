/*  gw_target — a request target decoded and checked, and its parameters
    mapped onto a query's fields.  See gw_target.h for the grammar. */
#include "gw_target.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  snprintf into ERR; error messages may be cut at ERRSIZE on purpose.
static void s_say (char *err, size_t errsize, const char *format, ...)
    __attribute__ ((format (printf, 3, 4)));

static void
s_say (char *err, size_t errsize, const char *format, ...)
{
    va_list args;
    va_start (args, format);
    vsnprintf (err, errsize, format, args);
    va_end (args);
}

//  The value of hexadecimal digit C, or -1.
static int
s_hex (unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

//  How a piece of the target failed to decode.
typedef enum { S_DECODED, S_BAD_ESCAPE, S_FRAGMENT } s_decode_t;

//  Decode SIZE bytes at IN into OUT (room for SIZE + 1 bytes), "+" as a
//  space when FORMS; NUL-terminate it and set *USED to the decoded length.
static s_decode_t
s_decode (const char *in, size_t size, int forms, char *out, size_t *used)
{
    size_t length = 0;
    for (size_t at = 0; at < size; at++) {
        unsigned char c = (unsigned char) in [at];
        if (c == '#')
            return S_FRAGMENT;          //  a client never sends a fragment
        if (c == '%') {
            int high = at + 1 < size ? s_hex ((unsigned char) in [at + 1]) : -1;
            int low = at + 2 < size ? s_hex ((unsigned char) in [at + 2]) : -1;
            if (high < 0 || low < 0)
                return S_BAD_ESCAPE;
            out [length++] = (char) (high * 16 + low);
            at += 2;
        }
        else
            out [length++] = forms && c == '+' ? ' ' : (char) c;
    }
    out [length] = 0;
    *used = length;
    return S_DECODED;
}

static const char *s_decode_rules [] = {
    [S_DECODED] = "", [S_BAD_ESCAPE] = "bad percent-encoding", [S_FRAGMENT] = "contains '#'"
};

//  Decode and check one pair (SIZE bytes at PAIR) as parameter number
//  INDEX (from 1) into TARGET at *OUT.  0, or 400 with ERR.
static int
s_pair (gw_target_t *target, const char *pair, size_t size, size_t index, char **out,
        char *err, size_t errsize)
{
    if (target->param_count == GW_PARAMS_MAX) {
        s_say (err, errsize, "more than %d parameters", GW_PARAMS_MAX);
        return 400;
    }
    const char *equals = memchr (pair, '=', size);
    size_t name_raw = equals ? (size_t) (equals - pair) : size;
    gw_param_t *param = &target->params [target->param_count];
    char rule [PL_ERR_MAX];
    s_decode_t decoded = s_decode (pair, name_raw, 1, *out, &param->name_size);
    if (decoded != S_DECODED) {
        s_say (err, errsize, "parameter %zu: name: %s", index, s_decode_rules [decoded]);
        return 400;
    }
    param->name = *out;
    *out += param->name_size + 1;
    if (param->name_size == 0) {
        s_say (err, errsize, "parameter %zu: has no name", index);
        return 400;
    }
    if (param->name_size > GW_NAME_MAX) {
        s_say (err, errsize, "parameter %zu: name longer than %d bytes", index, GW_NAME_MAX);
        return 400;
    }
    if (pl_schema_text_check (param->name, param->name_size, 0, rule, sizeof rule)) {
        s_say (err, errsize, "parameter %zu: name: %s", index, rule);
        return 400;
    }
    const char *value = equals ? equals + 1 : pair + size;
    decoded = s_decode (value, (size_t) (pair + size - value), 1, *out, &param->value_size);
    if (decoded != S_DECODED) {
        s_say (err, errsize, "%s: %s", param->name, s_decode_rules [decoded]);
        return 400;
    }
    param->value = *out;
    *out += param->value_size + 1;
    if (pl_schema_text_check (param->value, param->value_size, 1, rule, sizeof rule)) {
        s_say (err, errsize, "%s: %s", param->name, rule);
        return 400;
    }
    target->param_count++;
    return 0;
}

int
gw_target_parse (gw_target_t *target, const char *raw, size_t size, char *err, size_t errsize)
{
    memset (target, 0, offsetof (gw_target_t, buffer));
    target->buffer [0] = 0;
    target->path = target->buffer;
    *err = 0;
    if (size > GW_TARGET_MAX) {
        s_say (err, errsize, "request target longer than %d bytes", GW_TARGET_MAX);
        return 414;
    }
    if (size == 0 || raw [0] != '/') {
        s_say (err, errsize, "path: must start with /");
        return 400;
    }
    const char *question = memchr (raw, '?', size);
    size_t path_raw = question ? (size_t) (question - raw) : size;
    char *out = target->buffer;
    char rule [PL_ERR_MAX];
    s_decode_t decoded = s_decode (raw, path_raw, 0, out, &target->path_size);
    if (decoded != S_DECODED) {
        s_say (err, errsize, "path: %s", s_decode_rules [decoded]);
        return 400;
    }
    out += target->path_size + 1;
    if (pl_schema_text_check (target->path, target->path_size, 0, rule, sizeof rule)) {
        s_say (err, errsize, "path: %s", rule);
        return 400;
    }
    if (!question)
        return 0;
    const char *at = question + 1, *end = raw + size;
    size_t index = 0;
    while (at <= end) {
        const char *amp = memchr (at, '&', (size_t) (end - at));
        const char *stop = amp ? amp : end;
        if (stop > at) {
            int status = s_pair (target, at, (size_t) (stop - at), ++index, &out, err, errsize);
            if (status)
                return status;
        }
        at = stop + 1;
    }
    return 0;
}

//  TEXT (SIZE bytes of valid UTF-8) quoted for an error message: at most
//  about 48 bytes, cut between characters, "…" when cut.
static void
s_quote (const char *text, size_t size, char *out, size_t out_size)
{
    size_t keep = size;
    if (keep > 48) {
        keep = 48;
        while (keep > 0 && ((unsigned char) text [keep] & 0xC0) == 0x80)
            keep--;                 //  TEXT [KEEP] continues a character: cut before it
    }
    snprintf (out, out_size, "'%.*s%s'", (int) keep, text, keep < size ? "…" : "");
}

//  True when TEXT is a decimal integer: an optional '-' and digits.
static int
s_is_integer (const char *text)
{
    const char *digit = text + (*text == '-');
    return *digit && strspn (digit, "0123456789") == strlen (digit);
}

//  TEXT (SIZE bytes) for FIELD as a JSON value, or NULL with ERR.
static json_t *
s_convert (const pl_field_t *field, const char *text, size_t size, char *err, size_t errsize)
{
    char quoted [64];
    if (field->type == PL_T_INT) {
        errno = 0;
        char *end = NULL;
        long long value = s_is_integer (text) ? strtoll (text, &end, 10) : 0;
        if (!end || *end || errno) {
            s_quote (text, size, quoted, sizeof quoted);
            s_say (err, errsize, "%s: not an integer: %s", field->name, quoted);
            return NULL;
        }
        return json_integer (value);
    }
    if (field->type == PL_T_BOOL) {
        if (strcmp (text, "true") == 0 || strcmp (text, "false") == 0)
            return json_boolean (strcmp (text, "true") == 0);
        s_quote (text, size, quoted, sizeof quoted);
        s_say (err, errsize, "%s: want true or false, not %s", field->name, quoted);
        return NULL;
    }
    if (field->type == PL_T_LIST || field->type == PL_T_TEXTLIST) {
        s_say (err, errsize, "%s: a list cannot be given in the query string", field->name);
        return NULL;
    }
    return json_stringn (text, size);
}

//  Set FIELD of ARGS from TEXT (SIZE bytes).  0, or -1 with ERR.
static int
s_set (json_t *args, const pl_message_t *message, const char *name, const char *text,
       size_t size, char *err, size_t errsize)
{
    const pl_field_t *field = pl_schema_field (message, name);
    if (!field) {
        s_say (err, errsize, "unknown parameter '%s'", name);
        return -1;
    }
    if (json_object_get (args, name)) {
        s_say (err, errsize, "%s: given twice", name);
        return -1;
    }
    json_t *value = s_convert (field, text, size, err, errsize);
    if (!value || json_object_set_new (args, name, value))
        return -1;
    return 0;
}

json_t *
gw_target_query (const gw_target_t *target, const pl_message_t *message, const char *field,
                 const char *param, char *err, size_t errsize)
{
    *err = 0;
    json_t *args = json_object ();
    if (!args)
        return NULL;
    if (field && s_set (args, message, field, param, strlen (param), err, errsize))
        goto err;
    for (size_t i = 0; i < target->param_count; i++) {
        const gw_param_t *p = &target->params [i];
        if (s_set (args, message, p->name, p->value, p->value_size, err, errsize))
            goto err;
    }
    if (pl_schema_validate (message, args, err, errsize))
        goto err;
    return args;
err:
    json_decref (args);
    return NULL;
}

//  --------------------------------------------------------------------------
//  Self-test

//  Targets and what they must give: STATUS and ERR when refused, else the
//  path and the parameters as "name=value|..." (bytes below 0x20 as \xHH).
static const struct {
    const char *raw;
    int status;
    const char *want;               //  ERR, or "PATH PARAMS"
} s_cases [] = {
    { "/ics/all.ics",                         0,   "/ics/all.ics " },
    { "/api/search?q=mine+action&page=2",     0,   "/api/search q=mine action|page=2" },
    { "/api/search?q=a%2Bb%26c%3Dd",          0,   "/api/search q=a+b&c=d" },
    { "/api/documents/CCM%2FMSP%2F2030%2F5",  0,   "/api/documents/CCM/MSP/2030/5 " },
    { "/a+b?x",                               0,   "/a+b x=" },
    { "/p?&&a=1&&b=&",                        0,   "/p a=1|b=" },
    { "/p?q=%E6%97%A5%E5%86%85%E7%93%A6",     0,   "/p q=日内瓦" },
    { "/p?q=line%0Anext%09tab%0D",            0,   "/p q=line\\x0Anext\\x09tab\\x0D" },
    { "/p?a==b",                              0,   "/p a==b" },
    { "/p?",                                  0,   "/p " },
    { "/api/search?q=%FF",                    400, "q: not valid UTF-8" },
    { "/api/search?q=caf%E9&lang=en",         400, "q: not valid UTF-8" },
    { "/api/search?q=x%00y",                  400, "q: contains a NUL byte" },
    { "/api/search?q=%1B%5B31m",              400, "q: contains control character 0x1B" },
    { "/api/search?q=%zz",                    400, "q: bad percent-encoding" },
    { "/api/search?q=50%",                    400, "q: bad percent-encoding" },
    { "/api/search?q=%4",                     400, "q: bad percent-encoding" },
    { "/api/search?a=1&%FF=2",                400, "parameter 2: name: not valid UTF-8" },
    { "/api/search?a%0A=1",                   400, "parameter 1: name: contains control character 0x0A" },
    { "/api/search?%=1",                      400, "parameter 1: name: bad percent-encoding" },
    { "/api/search?=1",                       400, "parameter 1: has no name" },
    { "/api/documents/CCM%00/x",              400, "path: contains a NUL byte" },
    { "/api/documents/%C0%AF",                400, "path: not valid UTF-8" },
    { "/ics/p/a%0Ab.ics",                     400, "path: contains control character 0x0A" },
    { "/ics/p/%2",                            400, "path: bad percent-encoding" },
    { "/p#frag",                              400, "path: contains '#'" },
    { "/p?q=a#frag",                          400, "q: contains '#'" },
    { "*",                                    400, "path: must start with /" },
    { "http://example.org/p",                 400, "path: must start with /" },
    { "",                                     400, "path: must start with /" },
};

//  TARGET as "PATH PARAMS" into OUT.
static void
s_show (const gw_target_t *target, char *out, size_t size)
{
    size_t used = (size_t) snprintf (out, size, "%s ", target->path);
    for (size_t i = 0; i < target->param_count && used < size; i++) {
        const gw_param_t *p = &target->params [i];
        used += (size_t) snprintf (out + used, size - used, "%s%s=", i ? "|" : "", p->name);
        for (size_t b = 0; b < p->value_size && used < size; b++) {
            unsigned char c = (unsigned char) p->value [b];
            used += (size_t) snprintf (out + used, size - used, c < 0x20 ? "\\x%02X" : "%c", c);
        }
    }
}

//  Queries from targets: archive.search and document.show's path parameter.
static const struct {
    const char *raw;
    const char *message;
    const char *field;              //  the route's path parameter, or NULL
    const char *param;
    const char *want;               //  ERR, or the arguments as compact JSON
} s_queries [] = {
    { "/api/search?q=mine&page=2&page_size=5", "archive.search", NULL, NULL,
      "{\"q\":\"mine\",\"page\":2,\"page_size\":5}" },
    { "/api/search?nonsense=1", "archive.search", NULL, NULL, "unknown parameter 'nonsense'" },
    { "/api/search?q=a&q=b", "archive.search", NULL, NULL, "q: given twice" },
    { "/api/search?page=two", "archive.search", NULL, NULL, "page: not an integer: 'two'" },
    { "/api/search?page=+2", "archive.search", NULL, NULL, "page: not an integer: ' 2'" },
    { "/api/search?page=", "archive.search", NULL, NULL, "page: not an integer: ''" },
    { "/api/search?page=0", "archive.search", NULL, NULL,
      "archive.search: page: must be at least 1" },
    { "/api/search?meeting=a%0Ab", "archive.search", NULL, NULL, NULL },
    //  a long bad value is quoted cut between characters ('x' then 30 'é')
    { "/api/search?page=x%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9"
      "%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9"
      "%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9", "archive.search", NULL, NULL,
      "page: not an integer: 'xééééééééééééééééééééééé…'" },
    { "/api/search?page=99999999999999999999", "archive.search", NULL, NULL,
      "page: not an integer: '99999999999999999999'" },
    { "/api/documents/x?language=fr", "document.show", "symbol", "CCM/MSP/2030/5",
      "{\"symbol\":\"CCM/MSP/2030/5\",\"language\":\"fr\"}" },
    { "/api/documents/x?symbol=y", "document.show", "symbol", "CCM/MSP/2030/5",
      "symbol: given twice" },
};

#define S_CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "gw_target_test: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    return -1; } } while (0)

int
gw_target_test (int verbose)
{
    static gw_target_t target;
    char err [PL_ERR_MAX], shown [GW_TARGET_MAX * 4];
    for (size_t i = 0; i < sizeof s_cases / sizeof s_cases [0]; i++) {
        int status = gw_target_parse (&target, s_cases [i].raw, strlen (s_cases [i].raw),
                                      err, sizeof err);
        if (status == 0)
            s_show (&target, shown, sizeof shown);
        const char *got = status ? err : shown;
        if (status != s_cases [i].status || strcmp (got, s_cases [i].want)) {
            fprintf (stderr, "gw_target_test: '%s': want %d \"%s\", got %d \"%s\"\n",
                     s_cases [i].raw, s_cases [i].status, s_cases [i].want, status, got);
            return -1;
        }
    }
    //  A NUL sent raw is no different from %00, and a long target is a 414
    S_CHECK (gw_target_parse (&target, "/p?q=a\0b", 8, err, sizeof err) == 400);
    S_CHECK (strcmp (err, "q: contains a NUL byte") == 0);
    char *huge = malloc (GW_TARGET_MAX + 2);
    S_CHECK (huge);
    memset (huge, 'a', GW_TARGET_MAX + 1);
    huge [0] = '/';
    S_CHECK (gw_target_parse (&target, huge, GW_TARGET_MAX, err, sizeof err) == 0);
    S_CHECK (target.path_size == GW_TARGET_MAX);
    S_CHECK (gw_target_parse (&target, huge, GW_TARGET_MAX + 1, err, sizeof err) == 414);
    //  The most parameters, and one more
    size_t used = 3, most = 0;
    memcpy (huge, "/p?", 3);
    for (int i = 0; i <= GW_PARAMS_MAX; i++) {
        most = used;
        used += (size_t) sprintf (huge + used, "p%d=%d&", i, i);
    }
    S_CHECK (gw_target_parse (&target, huge, used, err, sizeof err) == 400);
    S_CHECK (strcmp (err, "more than 32 parameters") == 0);
    S_CHECK (gw_target_parse (&target, huge, most, err, sizeof err) == 0);
    S_CHECK (target.param_count == GW_PARAMS_MAX);
    S_CHECK (strcmp (target.params [31].name, "p31") == 0);
    free (huge);

    for (size_t i = 0; i < sizeof s_queries / sizeof s_queries [0]; i++) {
        S_CHECK (gw_target_parse (&target, s_queries [i].raw, strlen (s_queries [i].raw),
                                  err, sizeof err) == 0);
        json_t *args = gw_target_query (&target, pl_schema_find (s_queries [i].message),
                                        s_queries [i].field, s_queries [i].param, err,
                                        sizeof err);
        char *text = args ? json_dumps (args, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref (args);
        const char *want = s_queries [i].want;
        //  NULL: refused with any message, as long as it is UTF-8 (it goes into JSON)
        int ok = want ? strcmp (text ? text : err, want) == 0
                      : !text && *err && pl_schema_utf8_valid (err, strlen (err));
        if (!ok) {
            fprintf (stderr, "gw_target_test: query '%s': want \"%s\", got \"%s\"\n",
                     s_queries [i].raw, want ? want : "a refusal", text ? text : err);
            free (text);
            return -1;
        }
        free (text);
    }
    if (verbose)
        printf ("gw_target_test: ok (%zu targets, %zu queries)\n",
                sizeof s_cases / sizeof s_cases [0], sizeof s_queries / sizeof s_queries [0]);
    return 0;
}

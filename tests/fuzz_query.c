/*  fuzz_query — libFuzzer target for the search words (archive_query).

    Any bytes, as q, must come back as an FTS5 expression or a reason that
    starts "q: ", never a crash or a read past the input; an expression
    must be one the worker can walk: its tree parses (archive_expr), with
    as many phrases as its union names when it is an AND of ORs
    (archive_tokenizer_match_any), at most 64.  Build with clang and
    -DPL_FUZZ=ON; run: ./build/fuzz_query -max_total_time=60 tests/fuzz/query */
#include "archive_expr.h"
#include "archive_query.h"
#include "archive_tokenizer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char *q = malloc (size + 1);
    static archive_query_t query;
    if (!q)
        return 0;
    memcpy (q, data, size);
    q [size] = 0;
    char err [256];
    if (archive_query_parse (q, size % 2 ? "en" : NULL, &query, err, sizeof err)) {
        if (strncmp (err, "q: ", 3) != 0)
            abort ();
    }
    else
    if (*query.match) {
        archive_expr_t *expr = archive_expr_new (query.match);
        if (!expr || archive_expr_phrases (expr) > 64)
            abort ();
        static char any [16384];
        archive_phrase_t phrases [64];
        int count = archive_tokenizer_match_any (query.match, any, sizeof any, phrases, 64);
        if (count > 0 && count != archive_expr_phrases (expr))
            abort ();
        archive_expr_destroy (&expr);
    }
    free (q);
    return 0;
}

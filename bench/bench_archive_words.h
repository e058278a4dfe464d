/*  bench_archive_words — the synthetic archive of the archive benches: the
    words of each of the six languages (16 common ones, a tail of 256 rare
    ones) and the shapes of search asked of it, shared by pl-bench-archive
    (end to end) and pl-bench-search (the worker's search alone). */
#ifndef BENCH_ARCHIVE_WORDS_H_INCLUDED
#define BENCH_ARCHIVE_WORDS_H_INCLUDED

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_ARCHIVE_LANGUAGES 6

//  The search shapes, in the order the benches time them.
#define BENCH_ARCHIVE_SHAPES { "one-word", "two-word", "phrase", "language", "filtered", \
                               "excluded", "alternatives", "prefix", "symbol", "pattern" }

//  A deterministic pseudo-random number (xorshift) from *STATE (not 0).
uint64_t bench_archive_random (uint64_t *state);

//  A word of LANGUAGE (0..5) into WORD (64 bytes): half the time one of its
//  16 common words, else a rare one of 256 (16 x 16).  Returns its length.
size_t bench_archive_word (size_t language, uint64_t *state, char *word);

//  The code of LANGUAGE (0..5): en, fr, es, ru, ar, zh.
const char *bench_archive_language (size_t language);

//  The document.released payload of synthetic document INDEX: about SIZE
//  bytes of text in language INDEX % 6, symbol PREFIX/MSP/YEAR/N (unique
//  per index), a quarter of them limited.  A new object, NULL when out of
//  memory.
json_t *bench_archive_document (size_t index, size_t size, const char *prefix);

//  The archive.search arguments of query INDEX of SHAPE, words drawn from
//  *STATE in language INDEX % 6; the filtered shape's symbol pattern is
//  PREFIX/MSP/2001/1*.  excluded is "a -b", alternatives "(a OR b) c", prefix
//  "a*" of the first half of a's characters (at least 1, at most 4),
//  symbol a q that is the symbol of a document (its family first), pattern
//  a q that is PREFIX/MSP/2001/1N* (a hundred symbols or so).  A new
//  object, NULL when out of memory.
json_t *bench_archive_query (const char *shape, size_t index, uint64_t *state,
                             const char *prefix);

#endif

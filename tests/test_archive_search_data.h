/*  test_archive_search_data — the corpus test_archive_search releases and
    what it is there to show (the tables are in test_archive_search_data.c,
    their why at its top). */
#ifndef TEST_ARCHIVE_SEARCH_DATA_H_INCLUDED
#define TEST_ARCHIVE_SEARCH_DATA_H_INCLUDED

#include <stddef.h>

//  Concepts, as bits of a document's set.
#define CORPUS_BUDGET 1u
#define CORPUS_MINE   2u
#define CORPUS_CLEAR  4u
#define CORPUS_REPORT 8u
#define CORPUS_MEET   16u

//  A language: its code and the sentence its documents are made of.
typedef struct {
    const char *code;
    const char *sentence;
} corpus_language_t;

//  A concept of a language: its bit and its forms (up to NULL).
typedef struct {
    const char *language;
    unsigned concept;
    const char *forms [5];
} corpus_concept_t;

//  A search with operators, of English items, and the documents it finds.
typedef struct {
    const char *q;
    unsigned all, any, none;
} corpus_boolean_t;

extern const corpus_language_t corpus_languages [];
extern const size_t corpus_language_count;
extern const corpus_concept_t corpus_concepts [];
extern const size_t corpus_concept_count;
extern const unsigned corpus_pairs [];
extern const size_t corpus_pair_count;
extern const corpus_boolean_t corpus_booleans [];
extern const size_t corpus_boolean_count;
extern const char *const corpus_chinese_word;
extern const char *const corpus_chinese_across;

#endif

/*  archive_query — the search words record-keepers type, as an FTS5
    expression for the archive's index.

    Grammar (q of archive.search; blanks are ASCII white space and U+3000):

        query        = sequence
        sequence     = item *( [ "AND" ] item )           every item must occur
        item         = [ "NOT" / "-" ] alternatives         NOT and -: must not
        alternatives = primary *( "OR" primary )           any of them
        primary      = word [ "*" ] / phrase / "(" sequence ")"
        phrase       = '"' text '"' / "“" text "”"

    AND, OR and NOT are operators in capitals only (and, or, not are
    words); OR binds tighter than AND, so budget mine OR mines is budget
    AND (mine OR mines).  A word matches its exact form and, when it has
    letters of a script with a stemmer (Latin, Cyrillic, Arabic), every
    form with its stem (archive_tokenizer.h: budgets finds budget, мины
    finds мина, ميزانية finds الميزانية); the exact form counts again, so
    that an item holding the very word typed ranks above one holding
    another form.  A Chinese or Japanese word (1 to 8 characters) matches
    where its characters occur and counts again where the dictionary makes
    it a word of its own (会议 ranks a text where it is one above 大会议程).
    A phrase matches its exact forms, in order; word* is a prefix of exact
    forms.  An excluded word or group excludes every form of it.  Nothing
    can exclude everything: at least one item must be looked for.

    A q that is one document symbol (CCM/MSP/2025/4, any case) or a symbol
    pattern (CCM/MSP/2025/ and a star, which stands for any characters) is
    a search by symbol: the documents of its family, the outcomes and
    statements that cite them (archive_find.h) come first, then the texts
    that mention it.

    Errors name the word or operator at fault:
        q: 'OR' before 'plan' has no word or phrase before it
    Pure functions, no state. */
#ifndef ARCHIVE_QUERY_H_INCLUDED
#define ARCHIVE_QUERY_H_INCLUDED

#include <stddef.h>
#include "pl_symbol.h"

//  Words, phrases and groups in one search at most: each may be two
//  phrases of the index (its exact form and its stems), and a search has
//  64 at most (archive_rank.h).
#define ARCHIVE_QUERY_TERMS_MAX 32

//  What a q is.
typedef enum {
    ARCHIVE_QUERY_WORDS,            //  words and operators
    ARCHIVE_QUERY_SYMBOL,           //  one document symbol
    ARCHIVE_QUERY_PATTERN           //  a symbol pattern with *
} archive_query_kind_t;

typedef struct {
    archive_query_kind_t kind;
    //  SYMBOL: the symbol normalized and its family (pl_symbol); PATTERN:
    //  the pattern as a GLOB on upper-case symbols (only * is special)
    char symbol [PL_SYMBOL_MAX * 3 + 1];
    char base [PL_SYMBOL_MAX + 1];
    //  the FTS5 expression: of the words; of a symbol or a pattern, its
    //  words as a phrase (the texts that mention it), "" when it has none
    char match [8192];
} archive_query_t;

//  Read Q, asked of the items of LANGUAGE (NULL: any; it says which Latin
//  stemmer a word's stems come from), into *QUERY.  0, or -1 with ERR
//  ("q: ..." naming the word at fault).
int archive_query_parse (const char *q, const char *language, archive_query_t *query,
                         char *err, size_t errsize);

//  Self-test: expressions, symbols and errors; 0 when all checks pass.
int archive_query_test (int verbose);

#endif

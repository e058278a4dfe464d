/*  archive_snippet — the snippet of a search hit, without FTS5's cursor.

    FTS5's snippet () needs the index positioned on the hit: a look-up of
    every phrase's doclist at that rowid (for a Chinese word, the doclist of
    a single character that is in every Chinese text), then the text
    tokenized twice.  For a page of ten that was a third of a common
    search's time (bench/pl_bench_search.c).  This class makes the same
    snippet from the item's own text: it tokenizes the search's phrases once
    (as FTS5 does, with the tokenizer "plenary"), and for each hit tokenizes
    each column once, finds the phrases' instances itself (a phrase matches
    at position P when its Kth token is at P + K - 1, colocated tokens
    included; the last token of a prefix phrase matches any token it
    begins), and then chooses the window and highlights it exactly as
    SQLite's fts5_aux.c does (version 3.40: a window's score is 1000 per
    distinct phrase in it and 1 per further instance, a window may start at
    a sentence — a token after '.' or ':' and blanks — for 100 more, 120
    at the start of the text; overlapping instances are highlighted as
    one).  tests/test_archive_oracle.c holds it to snippet () byte for byte
    (on texts without the markers: see archive_snippet_make). */
#ifndef ARCHIVE_SNIPPET_H_INCLUDED
#define ARCHIVE_SNIPPET_H_INCLUDED

#include <sqlite3.h>

typedef struct _archive_snippet_t archive_snippet_t;

//  A snippet maker with the tokenizer registered on DB (a tokenizer of its
//  own, kept from search to search: its stems are remembered).  NULL when
//  out of memory, or when DB has no such tokenizer.
archive_snippet_t *archive_snippet_new (sqlite3 *db);

//  Make the snippets of a search of EXPRESSION (archive_query's: "strings",
//  each perhaps followed by *, between operators) from now on.  0, or -1
//  out of memory.
int archive_snippet_prepare (archive_snippet_t *self, const char *expression);

//  Free the maker.  NULL-safe; sets *SELF_P to NULL.
void archive_snippet_destroy (archive_snippet_t **self_p);

//  The snippet of an item in LANGUAGE (NULL: none) whose indexed columns
//  are TEXTS [0 .. COUNT) (NULL: empty; the lang column left out) as
//  snippet (t, -1, OPEN, CLOSE, ELLIPSIS, TOKENS) gives
//  it, but for one thing: where the text itself holds OPEN or CLOSE, the
//  snippet has U+FFFD instead, so that its markers cannot be forged (OPEN
//  and CLOSE must be punctuation, as "⟦" and "⟧" are).  A new string, or
//  NULL when the search's phrases are nowhere in the texts (an item a
//  search by symbol lists), when the chosen column has no text, or out of
//  memory (*FAILED then set to 1).
char *archive_snippet_make (archive_snippet_t *self, const char *language,
                            const char *const *texts, int count, const char *open,
                            const char *close, const char *ellipsis, int tokens, int *failed);

#endif

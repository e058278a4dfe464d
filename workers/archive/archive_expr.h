/*  archive_expr — the tree of a search's FTS5 expression (archive_query's:
    "strings", each perhaps followed by *, with AND, OR, NOT and
    parentheses, read with FTS5's precedence: NOT binds tighter than AND,
    AND than OR), and FTS5's check of a hit against it.

    FTS5 neither highlights nor scores the instances of phrases under an
    AND or a NOT that fails, even below an OR that matches (SQLite's
    fts5ExprCheckPoslists): an item found by "victim assistance" in
    (budget plan) OR "victim assistance" shows no budget highlighted.  The
    snippet maker (archive_snippet.c) asks this class which phrases of a
    hit count. */
#ifndef ARCHIVE_EXPR_H_INCLUDED
#define ARCHIVE_EXPR_H_INCLUDED

typedef struct _archive_expr_t archive_expr_t;

//  The tree of EXPRESSION, its phrases numbered as FTS5 numbers them (in
//  order of appearance).  NULL when it does not parse or out of memory.
archive_expr_t *archive_expr_new (const char *expression);

//  Free it.  NULL-safe; sets *SELF_P to NULL.
void archive_expr_destroy (archive_expr_t **self_p);

//  Its phrases.
int archive_expr_phrases (const archive_expr_t *self);

//  FTS5's check of a hit: HELD [i] is 1 when the hit holds phrase i; the
//  phrases whose instances do not count are set to 0.  1 when the hit
//  matches, 0 when not.
int archive_expr_check (archive_expr_t *self, unsigned char *held);

#endif

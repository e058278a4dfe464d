/*  archive_expr — the tree of a search's FTS5 expression.  See
    archive_expr.h. */
#include "archive_expr.h"

#include <stdlib.h>
#include <string.h>

//  A node: a phrase, or AND, OR, NOT of two.
typedef enum { S_PHRASE, S_AND, S_OR, S_NOT } s_node_type_t;
typedef struct {
    s_node_type_t type;
    int phrase;                     //  S_PHRASE: its index
    int left, right;                //  the others: their operands' nodes
} s_node_t;

struct _archive_expr_t {
    s_node_t *nodes;                //  its root is ROOT
    int node_count, root;
    int phrases;
};

//  A parse of the expression's operators: where it is, and the next phrase.
typedef struct {
    archive_expr_t *self;
    const char *c;
    int phrase;
    int failed;
} s_tree_t;

static int s_tree_or (s_tree_t *tree);

//  A new node; its index, or -1 (failed set).
static int
s_tree_node (s_tree_t *tree, s_node_type_t type, int phrase, int left, int right)
{
    archive_expr_t *self = tree->self;
    if (left < 0 || right < 0 || tree->failed) {
        tree->failed = 1;
        return -1;
    }
    s_node_t *nodes = realloc (self->nodes, (size_t) (self->node_count + 1) * sizeof *nodes);
    if (!nodes) {
        tree->failed = 1;
        return -1;
    }
    self->nodes = nodes;
    nodes [self->node_count] = (s_node_t) { type, phrase, left, right };
    return self->node_count++;
}

//  True when the expression continues with the operator WORD (skipping blanks).
static int
s_tree_operator (s_tree_t *tree, const char *word)
{
    while (*tree->c == ' ')
        tree->c++;
    size_t length = strlen (word);
    if (strncmp (tree->c, word, length) || (tree->c [length] != ' ' && tree->c [length] != '('
                                            && tree->c [length] != '"'))
        return 0;
    tree->c += length;
    return 1;
}

//  primary = "(" or ")" / string [*]
static int
s_tree_primary (s_tree_t *tree)
{
    while (*tree->c == ' ')
        tree->c++;
    if (*tree->c == '(') {
        tree->c++;
        int node = s_tree_or (tree);
        while (*tree->c == ' ')
            tree->c++;
        if (*tree->c == ')')
            tree->c++;
        else
            tree->failed = 1;
        return node;
    }
    if (*tree->c != '"') {
        tree->failed = 1;
        return -1;
    }
    for (tree->c++; *tree->c && !(tree->c [0] == '"' && tree->c [1] != '"'); tree->c++)
        if (*tree->c == '"')
            tree->c++;              //  a doubled quote
    if (*tree->c == '"')
        tree->c++;
    while (*tree->c == ' ')
        tree->c++;
    if (*tree->c == '*')
        tree->c++;
    return s_tree_node (tree, S_PHRASE, tree->phrase++, 0, 0);
}

//  FTS5's precedence: NOT binds tighter than AND, AND than OR
static int
s_tree_not (s_tree_t *tree)
{
    int node = s_tree_primary (tree);
    while (!tree->failed && s_tree_operator (tree, "NOT"))
        node = s_tree_node (tree, S_NOT, -1, node, s_tree_primary (tree));
    return node;
}

static int
s_tree_and (s_tree_t *tree)
{
    int node = s_tree_not (tree);
    while (!tree->failed && s_tree_operator (tree, "AND"))
        node = s_tree_node (tree, S_AND, -1, node, s_tree_not (tree));
    return node;
}

static int
s_tree_or (s_tree_t *tree)
{
    int node = s_tree_and (tree);
    while (!tree->failed && s_tree_operator (tree, "OR"))
        node = s_tree_node (tree, S_OR, -1, node, s_tree_and (tree));
    return node;
}

//  Clear the phrases under NODE: their instances do not count.
static void
s_tree_clear (archive_expr_t *self, unsigned char *held, int node)
{
    const s_node_t *n = &self->nodes [node];
    if (n->type == S_PHRASE)
        held [n->phrase] = 0;
    else {
        s_tree_clear (self, held, n->left);
        s_tree_clear (self, held, n->right);
    }
}

//  FTS5's check of a hit's phrases (fts5ExprCheckPoslists): whether NODE
//  matches, clearing the phrases of an AND or NOT that does not, even
//  under an OR that does: their instances are neither highlighted nor
//  scored by snippet ().
static int
s_tree_check (archive_expr_t *self, unsigned char *held, int node)
{
    const s_node_t *n = &self->nodes [node];
    switch (n->type) {
        case S_PHRASE:
            return held [n->phrase];
        case S_AND:
            if (!s_tree_check (self, held, n->left) || !s_tree_check (self, held, n->right)) {
                s_tree_clear (self, held, node);
                return 0;
            }
            return 1;
        case S_OR: {
            int left = s_tree_check (self, held, n->left);
            return s_tree_check (self, held, n->right) || left;
        }
        default:
            if (!s_tree_check (self, held, n->left) || s_tree_check (self, held, n->right)) {
                s_tree_clear (self, held, node);
                return 0;
            }
            return 1;
    }
}

archive_expr_t *
archive_expr_new (const char *expression)
{
    archive_expr_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    s_tree_t tree = { self, expression, 0, 0 };
    self->root = s_tree_or (&tree);
    while (*tree.c == ' ')
        tree.c++;
    if (tree.failed || *tree.c)
        archive_expr_destroy (&self);
    else
        self->phrases = tree.phrase;
    return self;
}

void
archive_expr_destroy (archive_expr_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free ((*self_p)->nodes);
    free (*self_p);
    *self_p = NULL;
}

int
archive_expr_phrases (const archive_expr_t *self)
{
    return self->phrases;
}

int
archive_expr_check (archive_expr_t *self, unsigned char *held)
{
    return s_tree_check (self, held, self->root);
}

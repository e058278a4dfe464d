/*  archive_snippet — the snippet of a search hit, without FTS5's cursor.
    See archive_snippet.h.

    The choice of window and the highlighting follow SQLite 3.40's
    fts5_aux.c (fts5SnippetFunction, fts5SnippetScore, fts5SentenceFinderCb,
    fts5HighlightCb, fts5CInstIter; public domain) step for step, over
    arrays this class fills in one pass of the tokenizer: per position, the
    offsets of its first token and which of the search's tokens are there. */
#include "archive_snippet.h"
#include "archive_expr.h"
#include "archive_tokenizer.h"
#include "archive_words.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Indexed columns of an item (title, body), at most.
#define S_COLUMNS_MAX 4

//  A distinct token of the search's phrases.
typedef struct {
    char *text;
    int length;
    int prefix;                     //  the last token of a prefix phrase
} s_token_t;

//  A phrase: its tokens, as indexes into tokens, each at a position of the
//  phrase (a query's colocated tokens are alternatives at one position:
//  the stems of a word by several stemmers).
typedef struct {
    int *tokens;
    int *positions;                 //  the position of each of tokens
    int count;                      //  tokens
    int length;                     //  positions
} s_phrase_t;

//  A phrase instance, as FTS5's xInst gives it.
typedef struct {
    int column, offset, phrase;
} s_instance_t;

//  One column of the item being snipped, tokenized.
typedef struct {
    const char *text;
    int length;
    int positions;                  //  FTS5's column size
    int *starts, *ends;             //  byte offsets of each position's first token
    uint64_t *masks;                //  per position, the search's tokens there
    int *firsts;                    //  positions that start a sentence
    int first_count;
    int size, firsts_size;          //  positions and firsts allocated
} s_column_t;

struct _archive_snippet_t {
    fts5_tokenizer methods;
    Fts5Tokenizer *tokenizer;
    s_token_t *tokens;
    int token_count;
    s_phrase_t *phrases;
    int phrase_count;
    archive_expr_t *expr;           //  the expression's tree
    unsigned char *held;            //  per phrase: instances in the hit, not cleared
    int words;                      //  uint64_t words in one position's mask
    int words_allocated;            //  the words the columns' masks have room for
    s_column_t columns [S_COLUMNS_MAX];
    s_instance_t *instances;
    int instance_count, instances_size;
    char *only;                     //  ARCHIVE_TOKENIZER_ONLY and what a hit needs
    int only_length;
    unsigned char *seen;            //  per phrase, for scoring
    char *out;                      //  the snippet being made
    size_t out_used, out_size;
    int failed;
};

//  --------------------------------------------------------------------------
//  The search's phrases

//  Tokenizing a phrase: its tokens so far.
typedef struct {
    archive_snippet_t *self;
    s_phrase_t *phrase;
    int prefix;                     //  the phrase is a prefix one
    int failed;
} s_parse_t;

//  The index of token TEXT (LENGTH bytes) with PREFIX, added when new; -1
//  out of memory.
static int
s_token_index (archive_snippet_t *self, const char *text, int length, int prefix)
{
    for (int i = 0; i < self->token_count; i++)
        if (self->tokens [i].length == length && self->tokens [i].prefix == prefix
        &&  memcmp (self->tokens [i].text, text, (size_t) length) == 0)
            return i;
    s_token_t *tokens = realloc (self->tokens, (size_t) (self->token_count + 1) * sizeof *tokens);
    if (!tokens)
        return -1;
    self->tokens = tokens;
    char *copy = malloc ((size_t) length + 1);
    if (!copy)
        return -1;
    memcpy (copy, text, (size_t) length);
    copy [length] = 0;
    tokens [self->token_count] = (s_token_t) { copy, length, prefix };
    return self->token_count++;
}

//  xToken callback for a phrase of the search: append the token.
static int
s_query_token (void *ctx, int flags, const char *token, int length, int start, int end)
{
    (void) start;
    (void) end;
    s_parse_t *parse = ctx;
    s_phrase_t *phrase = parse->phrase;
    int *tokens = realloc (phrase->tokens, (size_t) (phrase->count + 1) * sizeof *tokens);
    if (tokens)
        phrase->tokens = tokens;
    int *positions = tokens ? realloc (phrase->positions,
                                       (size_t) (phrase->count + 1) * sizeof *positions) : NULL;
    if (!positions) {
        parse->failed = 1;
        return SQLITE_NOMEM;
    }
    phrase->positions = positions;
    if (!(flags & FTS5_TOKEN_COLOCATED) || phrase->length == 0)
        phrase->length++;
    positions [phrase->count] = phrase->length - 1;
    //  the prefix flag is settled once the phrase is complete (its last token)
    tokens [phrase->count] = s_token_index (parse->self, token, length, 0);
    if (tokens [phrase->count] < 0) {
        parse->failed = 1;
        return SQLITE_NOMEM;
    }
    phrase->count++;
    return SQLITE_OK;
}

//  Add the phrase TEXT (LENGTH bytes, quotes undoubled), PREFIX or not.  0 or -1.
static int
s_add_phrase (archive_snippet_t *self, const char *text, int length, int prefix)
{
    s_phrase_t *phrases = realloc (self->phrases,
                                   (size_t) (self->phrase_count + 1) * sizeof *phrases);
    if (!phrases)
        return -1;
    self->phrases = phrases;
    s_phrase_t *phrase = &phrases [self->phrase_count++];
    *phrase = (s_phrase_t) { NULL, NULL, 0, 0 };
    s_parse_t parse = { self, phrase, prefix, 0 };
    int flags = FTS5_TOKENIZE_QUERY | (prefix ? FTS5_TOKENIZE_PREFIX : 0);
    int rc = self->methods.xTokenize (self->tokenizer, &parse, flags, text, length,
                                      s_query_token);
    if (rc != SQLITE_OK || parse.failed)
        return -1;
    for (int i = 0; prefix && i < phrase->count; i++)
        if (phrase->positions [i] == phrase->length - 1) {
            //  the last position's tokens match as prefixes
            s_token_t *last = &self->tokens [phrase->tokens [i]];
            int index = s_token_index (self, last->text, last->length, 1);
            if (index < 0)
                return -1;
            phrase->tokens [i] = index;
        }
    return 0;
}

//  Read the strings of EXPRESSION as phrases.  0 or -1.
static int
s_parse (archive_snippet_t *self, const char *expression)
{
    const char *c = expression;
    while (*c) {
        if (*c != '"') {
            c++;
            continue;
        }
        size_t length = strlen (c);
        char *text = malloc (length + 1);
        if (!text)
            return -1;
        int used = 0;
        for (c++; *c && !(c [0] == '"' && c [1] != '"'); c++) {
            text [used++] = *c;
            if (*c == '"')
                c++;                //  a doubled quote
        }
        if (*c == '"')
            c++;
        const char *after = c;
        while (*after == ' ')
            after++;
        int prefix = *after == '*';
        int rc = s_add_phrase (self, text, used, prefix);
        free (text);
        if (rc)
            return -1;
    }
    return 0;
}

archive_snippet_t *
archive_snippet_new (sqlite3 *db)
{
    archive_snippet_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    fts5_api *api = archive_tokenizer_fts5 (db);
    void *data = NULL;
    if (!api
    ||  api->xFindTokenizer (api, ARCHIVE_TOKENIZER_NAME, &data, &self->methods) != SQLITE_OK
    ||  self->methods.xCreate (data, NULL, 0, &self->tokenizer) != SQLITE_OK)
        archive_snippet_destroy (&self);
    return self;
}

//  Forget the phrases of the last search.
static void
s_forget (archive_snippet_t *self)
{
    for (int i = 0; i < self->token_count; i++)
        free (self->tokens [i].text);
    self->token_count = 0;
    for (int i = 0; i < self->phrase_count; i++) {
        free (self->phrases [i].tokens);
        free (self->phrases [i].positions);
    }
    self->phrase_count = 0;
    archive_expr_destroy (&self->expr);
    free (self->seen);
    self->seen = NULL;
    free (self->held);
    self->held = NULL;
    free (self->only);
    self->only = NULL;
}

int
archive_snippet_prepare (archive_snippet_t *self, const char *expression)
{
    s_forget (self);
    if (s_parse (self, expression))
        return -1;
    if (!(self->expr = archive_expr_new (expression))
    ||  archive_expr_phrases (self->expr) != self->phrase_count
    ||  !(self->held = malloc ((size_t) self->phrase_count + 1)))
        return -1;
    self->words = (self->token_count + 63) / 64;
    if (self->words > self->words_allocated) {
        //  the columns' masks were made for fewer tokens: made again
        for (int i = 0; i < S_COLUMNS_MAX; i++) {
            free (self->columns [i].starts);
            free (self->columns [i].ends);
            free (self->columns [i].masks);
            self->columns [i].starts = self->columns [i].ends = NULL;
            self->columns [i].masks = NULL;
            self->columns [i].size = 0;
        }
        self->words_allocated = self->words;
    }
    //  what its tokenizer need make of a hit's text (ARCHIVE_TOKENIZER_ONLY)
    size_t size = strlen (ARCHIVE_TOKENIZER_ONLY) + 2;
    for (int i = 0; i < self->token_count; i++)
        size += (size_t) self->tokens [i].length;
    if (!(self->seen = malloc ((size_t) self->phrase_count + 1))
    ||  !(self->only = malloc (size)))
        return -1;
    int stems = 0;
    for (int i = 0; i < self->token_count; i++)
        stems |= self->tokens [i].text [0] == ARCHIVE_WORDS_STEM [0];
    size_t used = (size_t) sprintf (self->only, "%s%s", ARCHIVE_TOKENIZER_ONLY,
                                    stems ? ARCHIVE_WORDS_STEM : "");
    for (int i = 0; i < self->token_count; i++)
        if (self->tokens [i].text [0] == ARCHIVE_WORDS_WORD [0]) {
            memcpy (self->only + used, self->tokens [i].text, (size_t) self->tokens [i].length);
            used += (size_t) self->tokens [i].length;
        }
    self->only_length = (int) used;
    return 0;
}

void
archive_snippet_destroy (archive_snippet_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    archive_snippet_t *self = *self_p;
    if (self->tokenizer)
        self->methods.xDelete (self->tokenizer);
    s_forget (self);
    free (self->tokens);
    free (self->phrases);
    for (int i = 0; i < S_COLUMNS_MAX; i++) {
        free (self->columns [i].starts);
        free (self->columns [i].ends);
        free (self->columns [i].masks);
        free (self->columns [i].firsts);
    }
    free (self->instances);
    free (self->out);
    free (self);
    *self_p = NULL;
}

//  --------------------------------------------------------------------------
//  A column of the hit

//  Tokenizing a column: the maker and the column.
typedef struct {
    archive_snippet_t *self;
    s_column_t *column;
} s_scan_t;

//  Room for one more position in COLUMN.  0 or -1.
static int
s_position_room (archive_snippet_t *self, s_column_t *column)
{
    if (column->positions < column->size)
        return 0;
    int size = column->size ? column->size * 2 : 1024;
    int *starts = realloc (column->starts, (size_t) size * sizeof *starts);
    if (starts)
        column->starts = starts;
    int *ends = starts ? realloc (column->ends, (size_t) size * sizeof *ends) : NULL;
    if (ends)
        column->ends = ends;
    size_t words = (size_t) (self->words ? self->words : 1);
    uint64_t *masks = ends ? realloc (column->masks, (size_t) size * words * sizeof *masks)
                           : NULL;
    if (!masks)
        return -1;
    column->masks = masks;
    column->size = size;
    return 0;
}

//  FTS5's sentence finder: position POS (starting at byte START) starts a
//  sentence when it is the first, or when blanks follow a '.' or ':' before
//  it.  0, or -1 out of memory.
static int
s_sentence (s_column_t *column, int pos, int start)
{
    if (pos > 0) {
        int i;
        char c = 0;
        for (i = start - 1; i >= 0; i--) {
            c = column->text [i];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                break;
        }
        if (i == start - 1 || (c != '.' && c != ':'))
            return 0;
    }
    if (column->first_count == column->firsts_size) {
        int size = column->firsts_size ? column->firsts_size * 2 : 64;
        int *firsts = realloc (column->firsts, (size_t) size * sizeof *firsts);
        if (!firsts)
            return -1;
        column->firsts = firsts;
        column->firsts_size = size;
    }
    column->firsts [column->first_count++] = pos;
    return 0;
}

//  xToken callback for a column: a new position for a token that is not
//  colocated (FTS5's snippet ignores the others but for matching), and the
//  search's tokens it is.
static int
s_column_token (void *ctx, int flags, const char *token, int length, int start, int end)
{
    s_scan_t *scan = ctx;
    archive_snippet_t *self = scan->self;
    s_column_t *column = scan->column;
    if (!(flags & FTS5_TOKEN_COLOCATED)) {
        if (s_position_room (self, column) || s_sentence (column, column->positions, start))
            return SQLITE_NOMEM;
        int pos = column->positions++;
        column->starts [pos] = start;
        column->ends [pos] = end;
        memset (column->masks + (size_t) pos * (size_t) self->words, 0,
                (size_t) self->words * sizeof (uint64_t));
    }
    if (column->positions == 0)
        return SQLITE_OK;
    uint64_t *mask = column->masks + (size_t) (column->positions - 1) * (size_t) self->words;
    for (int i = 0; i < self->token_count; i++) {
        const s_token_t *want = &self->tokens [i];
        if ((want->prefix ? length >= want->length : length == want->length)
        &&  memcmp (token, want->text, (size_t) want->length) == 0)
            mask [i / 64] |= 1ull << (i % 64);
    }
    return SQLITE_OK;
}

//  1 when the search's token INDEX is at position POS of COLUMN.
static int
s_has (const archive_snippet_t *self, const s_column_t *column, int pos, int index)
{
    return (column->masks [(size_t) pos * (size_t) self->words + (size_t) index / 64]
            >> (index % 64)) & 1;
}

//  Add the instance of PHRASE at OFFSET of column COLUMN.  0 or -1.
static int
s_add_instance (archive_snippet_t *self, int column, int offset, int phrase)
{
    if (self->instance_count == self->instances_size) {
        int size = self->instances_size ? self->instances_size * 2 : 64;
        s_instance_t *instances = realloc (self->instances, (size_t) size * sizeof *instances);
        if (!instances)
            return -1;
        self->instances = instances;
        self->instances_size = size;
    }
    self->instances [self->instance_count++] = (s_instance_t) { column, offset, phrase };
    return 0;
}

//  xInst's order: by column, offset, then phrase.
static int
s_compare_instances (const void *a_, const void *b_)
{
    const s_instance_t *a = a_, *b = b_;
    if (a->column != b->column)
        return a->column < b->column ? -1 : 1;
    if (a->offset != b->offset)
        return a->offset < b->offset ? -1 : 1;
    return a->phrase < b->phrase ? -1 : a->phrase > b->phrase;
}

//  Tokenize column INDEX (TEXT, NULL when empty) and add its instances.  0 or -1.
static int
s_scan (archive_snippet_t *self, int index, const char *text)
{
    s_column_t *column = &self->columns [index];
    column->text = text;
    column->length = text ? (int) strlen (text) : 0;
    column->positions = 0;
    column->first_count = 0;
    s_scan_t scan = { self, column };
    if (column->length
    &&  self->methods.xTokenize (self->tokenizer, &scan, FTS5_TOKENIZE_AUX, text,
                                 column->length, s_column_token) != SQLITE_OK)
        return -1;
    for (int p = 0; p < self->phrase_count; p++) {
        const s_phrase_t *phrase = &self->phrases [p];
        for (int pos = 0; phrase->length && pos + phrase->length <= column->positions; pos++) {
            //  every position of the phrase holds one of its tokens there
            int k = 0, i = 0;
            while (k < phrase->length) {
                int found = 0;
                for (; i < phrase->count && phrase->positions [i] == k; i++)
                    found |= s_has (self, column, pos + k, phrase->tokens [i]);
                if (!found)
                    break;
                k++;
            }
            if (k == phrase->length && s_add_instance (self, index, pos, p))
                return -1;
        }
    }
    return 0;
}

//  --------------------------------------------------------------------------
//  The window and its text

//  fts5SnippetScore: the score of the window of TOKENS from POS in COLUMN,
//  and into *ADJUSTED (when not NULL) its start moved to centre its hits.
static int
s_score (archive_snippet_t *self, int column, int pos, int tokens, int size, int *adjusted)
{
    int first = -1, last = 0, score = 0;
    int64_t end = (int64_t) pos + tokens;
    memset (self->seen, 0, (size_t) self->phrase_count);
    for (int i = 0; i < self->instance_count; i++) {
        const s_instance_t *instance = &self->instances [i];
        if (instance->column == column && instance->offset >= pos && instance->offset < end) {
            score += self->seen [instance->phrase] ? 1 : 1000;
            self->seen [instance->phrase] = 1;
            if (first < 0)
                first = instance->offset;
            last = instance->offset + self->phrases [instance->phrase].length;
        }
    }
    if (adjusted) {
        int64_t adjust = first - (tokens - (last - first)) / 2;
        if (adjust + tokens > size)
            adjust = size - tokens;
        if (adjust < 0)
            adjust = 0;
        *adjusted = (int) adjust;
    }
    return score;
}

//  Append LENGTH bytes of TEXT (-1: a string) to the snippet.
static void
s_append (archive_snippet_t *self, const char *text, int length)
{
    size_t bytes = length < 0 ? strlen (text) : (size_t) length;
    if (self->failed)
        return;
    if (self->out_used + bytes + 1 > self->out_size) {
        size_t size = (self->out_used + bytes + 1) * 2;
        char *out = realloc (self->out, size);
        if (!out) {
            self->failed = 1;
            return;
        }
        self->out = out;
        self->out_size = size;
    }
    memcpy (self->out + self->out_used, text, bytes);
    self->out_used += bytes;
    self->out [self->out_used] = 0;
}

//  What a snippet shows where the item's text holds one of the markers.
#define S_NOT_A_MARKER "\xEF\xBF\xBD"     //  U+FFFD REPLACEMENT CHARACTER

//  The size of OPEN or CLOSE when TEXT (up to END) starts with it, else 0.
static size_t
s_marker_at (const char *text, const char *end, const char *open, const char *close)
{
    size_t open_size = strlen (open), close_size = strlen (close);
    if ((size_t) (end - text) >= open_size && memcmp (text, open, open_size) == 0)
        return open_size;
    if ((size_t) (end - text) >= close_size && memcmp (text, close, close_size) == 0)
        return close_size;
    return 0;
}

//  Append LENGTH bytes of the item's TEXT as s_append does, but with every
//  OPEN or CLOSE in it written as U+FFFD, so that each marker in a snippet
//  is one this class put there: a title holding "⟦" cannot pass for a
//  match.  Markers made of punctuation (ours) cannot straddle two pieces,
//  since pieces are cut at token boundaries.
static void
s_append_text (archive_snippet_t *self, const char *text, int length, const char *open,
               const char *close)
{
    const char *end = text + length, *from = text;
    for (const char *c = text; c < end; c++) {
        if (*c != *open && *c != *close)
            continue;
        size_t size = s_marker_at (c, end, open, close);
        if (size) {
            s_append (self, from, (int) (c - from));
            s_append (self, S_NOT_A_MARKER, -1);
            from = c + size;
            c += size - 1;
        }
    }
    s_append (self, from, (int) (end - from));
}

//  fts5CInstIter: the next run of overlapping instances in COLUMN from
//  *NEXT, into *START .. *END (-1 when none is left).
static void
s_next_run (const archive_snippet_t *self, int column, int *next, int *start, int *end)
{
    *start = *end = -1;
    for (; *next < self->instance_count; (*next)++) {
        const s_instance_t *instance = &self->instances [*next];
        if (instance->column != column)
            continue;
        int last = instance->offset - 1 + self->phrases [instance->phrase].length;
        if (*start < 0) {
            *start = instance->offset;
            *end = last;
        }
        else
        if (instance->offset <= *end) {
            if (last > *end)
                *end = last;
        }
        else
            break;
    }
}

//  fts5HighlightCb's walk over the positions of COLUMN, highlighting the
//  runs of instances inside FIRST .. LAST; returns the offset copied up to.
static int
s_highlight (archive_snippet_t *self, int index, int first, int last, const char *open,
             const char *close)
{
    const s_column_t *column = &self->columns [index];
    int next = 0, start, end, offset = 0;
    s_next_run (self, index, &next, &start, &end);
    while (start >= 0 && start < first)
        s_next_run (self, index, &next, &start, &end);
    for (int pos = 0; pos < column->positions && pos <= last; pos++) {
        int token_start = column->starts [pos], token_end = column->ends [pos];
        if (pos < first)
            continue;
        if (first && pos == first)
            offset = token_start;
        if (pos == start) {
            s_append_text (self, column->text + offset, token_start - offset, open, close);
            s_append (self, open, -1);
            offset = token_start;
        }
        if (pos == end) {
            if (start < first)
                s_append (self, open, -1);
            s_append_text (self, column->text + offset, token_end - offset, open, close);
            s_append (self, close, -1);
            offset = token_end;
            s_next_run (self, index, &next, &start, &end);
        }
        if (pos == last) {
            s_append_text (self, column->text + offset, token_end - offset, open, close);
            offset = token_end;
            if (pos >= start && pos < end)
                s_append (self, close, -1);
        }
    }
    return offset;
}

//  xToken callback of the lang text, which gives no token.
static int
s_no_token (void *ctx, int flags, const char *token, int length, int start, int end)
{
    (void) ctx;
    (void) flags;
    (void) token;
    (void) length;
    (void) start;
    (void) end;
    return SQLITE_OK;
}

char *
archive_snippet_make (archive_snippet_t *self, const char *language, const char *const *texts,
                      int count, const char *open, const char *close, const char *ellipsis,
                      int tokens, int *failed)
{
    *failed = 0;
    if (count > S_COLUMNS_MAX)
        count = S_COLUMNS_MAX;
    self->instance_count = 0;
    self->out_used = 0;
    self->failed = 0;
    //  the item's language first, as its lang column is indexed before its
    //  texts: the stems of its words are those of the index
    char lang [32];
    int lang_size = snprintf (lang, sizeof lang, "%s%s", ARCHIVE_TOKENIZER_LANGUAGE,
                              language ? language : "");
    if (self->methods.xTokenize (self->tokenizer, NULL, FTS5_TOKENIZE_AUX, lang,
                                 lang_size < (int) sizeof lang ? lang_size
                                                              : (int) sizeof lang - 1,
                                 s_no_token) != SQLITE_OK
    ||  self->methods.xTokenize (self->tokenizer, NULL, FTS5_TOKENIZE_AUX, self->only,
                                 self->only_length, s_no_token) != SQLITE_OK) {
        *failed = 1;
        return NULL;
    }
    for (int i = 0; i < count; i++)
        if (s_scan (self, i, texts [i])) {
            *failed = 1;
            return NULL;
        }
    //  the instances that count: of phrases the expression's tree keeps
    memset (self->held, 0, (size_t) self->phrase_count);
    for (int i = 0; i < self->instance_count; i++)
        self->held [self->instances [i].phrase] = 1;
    archive_expr_check (self->expr, self->held);
    int kept = 0;
    for (int i = 0; i < self->instance_count; i++)
        if (self->held [self->instances [i].phrase])
            self->instances [kept++] = self->instances [i];
    self->instance_count = kept;
    if (self->instance_count == 0)
        return NULL;            //  an item of a search by symbol that its words do not find
    qsort (self->instances, (size_t) self->instance_count, sizeof *self->instances,
           s_compare_instances);
    //  fts5SnippetFunction: the best window of every instance's and of the
    //  sentence it is in, column by column
    int best_score = 0, best_column = 0, best_start = 0, best_size = 0;
    for (int c = 0; c < count; c++) {
        const s_column_t *column = &self->columns [c];
        int size = column->positions;
        for (int i = 0; i < self->instance_count; i++) {
            const s_instance_t *instance = &self->instances [i];
            if (instance->column != c || instance->offset > size)
                continue;
            int adjusted, score = s_score (self, c, instance->offset, tokens, size, &adjusted);
            if (score > best_score) {
                best_score = score;
                best_column = c;
                best_start = adjusted;
                best_size = size;
            }
            if (column->first_count && size > tokens) {
                int j = 0;
                while (j < column->first_count - 1 && column->firsts [j + 1] <= instance->offset)
                    j++;
                if (column->firsts [j] < instance->offset) {
                    score = s_score (self, c, column->firsts [j], tokens, size, NULL)
                          + (column->firsts [j] == 0 ? 120 : 100);
                    if (score > best_score) {
                        best_score = score;
                        best_column = c;
                        best_start = column->firsts [j];
                        best_size = size;
                    }
                }
            }
        }
    }
    const s_column_t *column = &self->columns [best_column];
    if (!column->text)
        return NULL;
    if (best_size == 0)
        best_size = column->positions;
    int last = best_start + tokens - 1;
    if (best_start > 0)
        s_append (self, ellipsis, -1);
    int offset = s_highlight (self, best_column, best_start, last, open, close);
    if (last >= best_size - 1)
        s_append_text (self, column->text + offset, column->length - offset, open, close);
    else
        s_append (self, ellipsis, -1);
    if (self->failed) {
        *failed = 1;
        return NULL;
    }
    char *snippet = self->out ? strdup (self->out) : strdup ("");
    if (!snippet)
        *failed = 1;
    return snippet;
}

/*  archive_query — the search words record-keepers type, as an FTS5
    expression.  See archive_query.h.

    A lexer cuts q into tokens (words, phrases, parentheses, operators), a
    recursive descent over the grammar builds a small tree in an array,
    and the tree is written out as an FTS5 expression whose every string is
    quoted (its quotes doubled, any of the tokenizer's marks a caller typed
    blanked), so that nothing typed is read by FTS5 as its own syntax.  A
    sequence of words comes out as an AND of ORs,

        ("budget" OR "⟨stems⟩budget") AND ("mine" OR "⟨stems⟩mine")

    the shape archive_find walks as the union of its phrases (counting
    each in the same pass); exclusions follow as NOT ( ... ). */
#include "archive_query.h"
#include "archive_tokenizer.h"
#include "archive_words.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Nodes of a query's tree at most: each term, and each group.
#define S_NODES   (4 * ARCHIVE_QUERY_TERMS_MAX + 8)
//  A Chinese or Japanese word of two up to this many characters also
//  counts where it is a dictionary word (longer ones are phrases of words;
//  a single character is no word token: archive_tokenizer.h).
#define S_CJK_WORD_MAX 8
//  Parentheses within parentheses at most.
#define S_DEPTH_MAX 8
#define S_TEXT_(x) #x
#define S_TEXT(x) S_TEXT_(x)
#define S_TERMS_MAX_TEXT S_TEXT (ARCHIVE_QUERY_TERMS_MAX)

typedef enum {
    T_END, T_WORD, T_PHRASE, T_OPEN, T_CLOSE, T_AND, T_OR, T_NOT, T_MINUS
} s_token_kind_t;

typedef struct {
    s_token_kind_t kind;
    const char *text;               //  a word or phrase (without quotes), as typed
    size_t length;
    int prefix;                     //  a word followed by *
    const char *at;                 //  where it starts in q, for errors
    size_t size;                    //  its bytes in q
} s_token_t;

//  N_NOTHING: a word without a letter or digit ("-", "&"), which the
//  index has no token of: left out of the expression, where it would
//  match nothing
typedef enum { N_WORD, N_PREFIX, N_PHRASE, N_ANY, N_ALL, N_NOTHING } s_node_kind_t;

typedef struct {
    s_node_kind_t kind;
    int negated;
    const char *text;
    size_t length;
    int children [S_NODES];         //  ANY, ALL: indexes into nodes
    int count;
    const char *at;                 //  where it starts in q, for errors
    size_t size;
} s_node_t;

typedef struct {
    const char *q;
    const char *p;                  //  the lexer's place
    s_token_t token;                //  the token read ahead
    s_token_t previous;             //  the one before it, for errors
    s_node_t nodes [S_NODES];
    int used;
    int terms;
    const char *stems;              //  the tokenizer's mark of stems for the language
    char *out;
    size_t size, out_used;
    char *err;
    size_t errsize;
} s_parser_t;

//  --------------------------------------------------------------------------
//  Lexer

//  Length of the white space at TEXT: ASCII blanks or U+3000; 0 when none.
static size_t
s_blank (const char *text)
{
    if (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
        return 1;
    return strncmp (text, "\xE3\x80\x80", 3) == 0 ? 3 : 0;
}

//  Length of an opening quote at TEXT (" or “), 0 when none; its closing
//  form into *CLOSE.
static size_t
s_quote (const char *text, const char **close)
{
    if (*text == '"') {
        *close = "\"";
        return 1;
    }
    if (strncmp (text, "\xE2\x80\x9C", 3) == 0) {      //  “ … ”
        *close = "\xE2\x80\x9D";
        return 3;
    }
    return 0;
}

//  True when TEXT starts a token of its own, ending a word.
static int
s_stops_word (const char *text)
{
    const char *close;
    return !*text || s_blank (text) || *text == '(' || *text == ')' || s_quote (text, &close);
}

//  Print the word or operator TOKEN as the error names it into BUF.
static const char *
s_name (const s_token_t *token, char *buf, size_t size)
{
    if (token->kind == T_END)
        snprintf (buf, size, "the end");
    else
        snprintf (buf, size, "'%.*s'", (int) (token->size > 64 ? 64 : token->size), token->at);
    return buf;
}

//  Fill the parser's error; returns -1.
static int
s_fail (s_parser_t *self, const char *format, const char *a, const char *b)
{
    char text [256];
    snprintf (text, sizeof text, format, a, b);
    snprintf (self->err, self->errsize, "q: %s", text);
    return -1;
}

//  Read the next token into self->token.  0, or -1 (an unclosed phrase).
static int
s_next (s_parser_t *self)
{
    self->previous = self->token;
    const char *p = self->p;
    for (size_t blank; (blank = s_blank (p)); )
        p += blank;
    s_token_t *token = &self->token;
    *token = (s_token_t) { .kind = T_END, .at = p };
    const char *close;
    size_t quote = s_quote (p, &close);
    if (!*p)
        ;
    else
    if (*p == '(' || *p == ')') {
        token->kind = *p == '(' ? T_OPEN : T_CLOSE;
        p++;
    }
    else
    if (quote) {
        const char *end = strstr (p + quote, close);
        if (!end) {
            token->kind = T_PHRASE;
            token->size = strlen (p);
            char name [80];
            return s_fail (self, "the phrase %s is not closed", s_name (token, name, sizeof name),
                           NULL);
        }
        token->kind = T_PHRASE;
        token->text = p + quote;
        token->length = (size_t) (end - (p + quote));
        p = end + strlen (close);
    }
    else
    if (*p == '-' && p [1] && !s_blank (p + 1) && p [1] != ')') {
        token->kind = T_MINUS;
        p++;
    }
    else {
        const char *start = p;
        while (!s_stops_word (p))
            p++;
        token->kind = T_WORD;
        token->text = start;
        token->length = (size_t) (p - start);
        static const struct {
            const char *word;
            s_token_kind_t kind;
        } s_operators [] = { { "AND", T_AND }, { "OR", T_OR }, { "NOT", T_NOT } };
        for (size_t i = 0; i < sizeof s_operators / sizeof s_operators [0]; i++)
            if (token->length == strlen (s_operators [i].word)
            &&  memcmp (start, s_operators [i].word, token->length) == 0)
                token->kind = s_operators [i].kind;
        if (token->kind == T_WORD && token->length && start [token->length - 1] == '*') {
            token->prefix = 1;
            token->length--;
        }
    }
    token->size = (size_t) (p - token->at);
    self->p = p;
    return 0;
}

//  --------------------------------------------------------------------------
//  Parser

static int s_sequence (s_parser_t *self, int depth, int *node);

//  A new node of KIND starting at TOKEN, or -1 (too many: the error set).
static int
s_node (s_parser_t *self, s_node_kind_t kind, const s_token_t *token)
{
    if (self->used == S_NODES) {
        char name [80];
        return s_fail (self, "too many groups (at %s)%s", s_name (token, name, sizeof name), "");
    }
    s_node_t *node = &self->nodes [self->used];
    *node = (s_node_t) { .kind = kind, .text = token->text, .length = token->length,
                         .at = token->at, .size = token->size };
    return self->used++;
}

//  True when TOKEN can start a primary.
static int
s_starts_primary (const s_token_t *token)
{
    return token->kind == T_WORD || token->kind == T_PHRASE || token->kind == T_OPEN;
}

//  primary = word [*] / phrase / "(" sequence ")"
static int
s_primary (s_parser_t *self, int depth, int *node)
{
    char a [80], b [80];
    s_token_t token = self->token;
    if (token.kind == T_WORD || token.kind == T_PHRASE) {
        if (token.length == 0)
            return s_fail (self, token.kind == T_PHRASE ? "the phrase %s is empty"
                                                        : "%s needs a word before the *",
                           s_name (&token, a, sizeof a), NULL);
        if (++self->terms > ARCHIVE_QUERY_TERMS_MAX)
            return s_fail (self, "more than %s words and phrases (at %s)", S_TERMS_MAX_TEXT,
                           s_name (&token, a, sizeof a));
        int cjk, indexed;
        archive_words_letters (token.text, token.length, &cjk, &indexed);
        *node = s_node (self, !indexed ? N_NOTHING : token.kind == T_PHRASE ? N_PHRASE
                              : token.prefix ? N_PREFIX : N_WORD, &token);
        return *node < 0 || s_next (self) ? -1 : 0;
    }
    if (token.kind != T_OPEN)
        return s_fail (self, "a word or phrase was expected at %s", s_name (&token, a, sizeof a),
                       NULL);
    if (depth >= S_DEPTH_MAX)
        return s_fail (self, "parentheses deeper than 8 (at %s)", s_name (&token, a, sizeof a),
                       NULL);
    s_token_t open = token;
    if (s_next (self))
        return -1;
    s_token_t after = self->token;
    if (s_sequence (self, depth + 1, node))
        return -1;
    if (self->token.kind != T_CLOSE)
        return s_fail (self, "%s before %s is not closed", s_name (&open, a, sizeof a),
                       s_name (&after, b, sizeof b));
    if (self->nodes [*node].count == 0)
        return s_fail (self, "%s holds no word or phrase%s", "'()'", "");
    return s_next (self);
}

//  alternatives = primary *( "OR" primary )
static int
s_alternatives (s_parser_t *self, int depth, int *node)
{
    char a [80], b [80];
    int first;
    if (s_primary (self, depth, &first))
        return -1;
    if (self->token.kind != T_OR) {
        *node = first;
        return 0;
    }
    s_token_t start = self->previous;
    if ((*node = s_node (self, N_ANY, &start)) < 0)
        return -1;
    s_node_t *any = &self->nodes [*node];
    any->children [any->count++] = first;
    while (self->token.kind == T_OR) {
        s_token_t or = self->token, before = self->previous;
        if (s_next (self))
            return -1;
        if (self->token.kind == T_NOT || self->token.kind == T_MINUS)
            return s_fail (self, "%s cannot join an excluded word (%s)",
                           s_name (&or, a, sizeof a), s_name (&self->token, b, sizeof b));
        if (!s_starts_primary (&self->token))
            return s_fail (self, "%s after %s must stand between two words or phrases "
                           "(nothing after it)", s_name (&or, a, sizeof a),
                           s_name (&before, b, sizeof b));
        int next;
        if (s_primary (self, depth, &next))
            return -1;
        any = &self->nodes [*node];
        any->children [any->count++] = next;
    }
    return 0;
}

//  sequence = item *( [ "AND" ] item ); item = [ "NOT" / "-" ] alternatives
static int
s_sequence (s_parser_t *self, int depth, int *node)
{
    char a [80], b [80];
    if ((*node = s_node (self, N_ALL, &self->token)) < 0)
        return -1;
    while (self->token.kind != T_END && self->token.kind != T_CLOSE) {
        s_token_t token = self->token;
        int count = self->nodes [*node].count;
        if (token.kind == T_AND || token.kind == T_OR) {
            if (count == 0)
                return s_fail (self, "%s must stand between two words or phrases (nothing "
                               "before it)%s", s_name (&token, a, sizeof a), "");
            s_token_t before = self->previous;
            if (s_next (self))
                return -1;
            if (!s_starts_primary (&self->token) && self->token.kind != T_NOT
            &&  self->token.kind != T_MINUS)
                return s_fail (self, "%s after %s must stand between two words or phrases "
                               "(nothing after it)", s_name (&token, a, sizeof a),
                               s_name (&before, b, sizeof b));
            continue;
        }
        //  an excluded item is one primary: OR cannot join it (exclude a
        //  group of alternatives with -(a OR b))
        int negated = token.kind == T_NOT || token.kind == T_MINUS, item;
        if (negated) {
            if (s_next (self))
                return -1;
            if (!s_starts_primary (&self->token))
                return s_fail (self, "%s has no word or phrase after it to exclude%s",
                               s_name (&token, a, sizeof a), "");
            if (s_primary (self, depth, &item))
                return -1;
            if (self->token.kind == T_OR)
                return s_fail (self, "%s cannot join an excluded word (%s)",
                               s_name (&self->token, a, sizeof a),
                               s_name (&self->previous, b, sizeof b));
        }
        else
        if (s_alternatives (self, depth, &item))
            return -1;
        self->nodes [item].negated = negated;
        if (negated) {
            //  named with its - or NOT, for errors
            self->nodes [item].at = token.at;
            self->nodes [item].size = (size_t) (self->previous.at + self->previous.size
                                                - token.at);
        }
        s_node_t *all = &self->nodes [*node];
        all->children [all->count++] = item;
    }
    if (self->token.kind == T_CLOSE && depth == 0)
        return s_fail (self, "%s after %s closes no parenthesis",
                       s_name (&self->token, a, sizeof a),
                       self->previous.at ? s_name (&self->previous, b, sizeof b) : "nothing");
    return 0;
}

//  --------------------------------------------------------------------------
//  The expression

//  Append LENGTH bytes of TEXT to the expression.  0 or -1 (too long).
static int
s_put (s_parser_t *self, const char *text, size_t length)
{
    if (self->out_used + length + 1 > self->size)
        return -1;
    memcpy (self->out + self->out_used, text, length);
    self->out_used += length;
    self->out [self->out_used] = 0;
    return 0;
}

static int
s_puts (s_parser_t *self, const char *text)
{
    return s_put (self, text, strlen (text));
}

//  Append TEXT (LENGTH bytes) as an FTS5 string after MARK (the
//  tokenizer's: "" for none), its quotes doubled and the tokenizer's marks,
//  should a caller type them, blanked.
static int
s_string (s_parser_t *self, const char *mark, const char *text, size_t length)
{
    if (s_puts (self, "\"") || s_puts (self, mark))
        return -1;
    for (size_t i = 0; i < length; i++) {
        const unsigned char *c = (const unsigned char *) text + i;
        //  U+FDD0..U+FDEF, noncharacters: the tokenizer's marks
        if (length - i >= 3 && c [0] == 0xEF && c [1] == 0xB7 && c [2] >= 0x90 && c [2] <= 0xAF) {
            if (s_puts (self, " "))
                return -1;
            i += 2;
        }
        else
        if (s_put (self, text + i, 1) || (text [i] == '"' && s_puts (self, "\"")))
            return -1;
    }
    return s_puts (self, "\"");
}

//  A term as alternatives (no parentheses): a word, its exact form then
//  its stems or its Chinese word; a prefix; a phrase.
static int
s_term (s_parser_t *self, const s_node_t *node)
{
    if (s_string (self, "", node->text, node->length))
        return -1;
    if (node->kind == N_PREFIX)
        return s_puts (self, " *");
    if (node->kind == N_PHRASE)
        return 0;
    int cjk = 0, indexed;
    if (archive_words_letters (node->text, node->length, &cjk, &indexed))
        return s_puts (self, " OR ") || s_string (self, self->stems, node->text, node->length);
    if (cjk >= 2 && cjk <= S_CJK_WORD_MAX)
        return s_puts (self, " OR ")
            || s_string (self, ARCHIVE_TOKENIZER_WORD, node->text, node->length);
    return 0;
}

static int s_all (s_parser_t *self, const s_node_t *node);

//  True when NODE makes no token: a N_NOTHING, or made of them only.
static int
s_empty (const s_parser_t *self, const s_node_t *node)
{
    if (node->kind == N_NOTHING)
        return 1;
    if (node->kind != N_ANY && node->kind != N_ALL)
        return 0;
    for (int i = 0; i < node->count; i++)
        if (!s_empty (self, &self->nodes [node->children [i]]))
            return 0;
    return 1;
}

//  NODE as alternatives: a term's, each alternative's, or a group in
//  parentheses.
static int
s_alternatives_out (s_parser_t *self, const s_node_t *node)
{
    if (node->kind == N_ANY) {
        for (int i = 0, written = 0; i < node->count; i++) {
            const s_node_t *child = &self->nodes [node->children [i]];
            if (s_empty (self, child))
                continue;
            if (written++ && s_puts (self, " OR "))
                return -1;
            int rc = s_alternatives_out (self, child);
            if (rc)
                return rc;
        }
        return 0;
    }
    if (node->kind == N_ALL)
        return s_puts (self, "(") || s_all (self, node) || s_puts (self, ")");
    return s_term (self, node);
}

//  A sequence: (each item's alternatives) joined by AND, then NOT (every
//  excluded alternative).  -1 too long, -2 when every item is excluded,
//  -3 when none makes a token.
static int
s_all (s_parser_t *self, const s_node_t *node)
{
    int positives = 0, negatives = 0;
    for (int i = 0; i < node->count; i++) {
        const s_node_t *item = &self->nodes [node->children [i]];
        if (s_empty (self, item))
            continue;
        if (item->negated)
            negatives++;
        else
            positives++;
    }
    if (positives == 0)
        return negatives ? -2 : -3;
    int wrap = negatives && positives > 1;
    if (wrap && s_puts (self, "("))
        return -1;
    for (int i = 0, written = 0; i < node->count; i++) {
        const s_node_t *item = &self->nodes [node->children [i]];
        if (item->negated || s_empty (self, item))
            continue;
        if ((written++ && s_puts (self, " AND ")) || s_puts (self, "(")) 
            return -1;
        int rc = s_alternatives_out (self, item);
        if (rc || s_puts (self, ")"))
            return rc ? rc : -1;
    }
    if ((wrap && s_puts (self, ")")) || (negatives && s_puts (self, " NOT (")))
        return -1;
    for (int i = 0, written = 0; i < node->count; i++) {
        const s_node_t *item = &self->nodes [node->children [i]];
        if (!item->negated || s_empty (self, item))
            continue;
        if (written++ && s_puts (self, " OR "))
            return -1;
        int rc = s_alternatives_out (self, item);
        if (rc)
            return rc;
    }
    return negatives && s_puts (self, ")") ? -1 : 0;
}

//  --------------------------------------------------------------------------
//  Symbols

//  True when Q (no blanks) is a symbol pattern: a slash, a *, and only the
//  characters of symbols besides; its GLOB (upper case, only * special)
//  into GLOB and the part before its first * that holds a component into
//  FIXED.
static int
s_pattern (const char *q, char *glob, size_t size, char *fixed, size_t fixed_size)
{
    if (!strchr (q, '/') || !strchr (q, '*') || strlen (q) > PL_SYMBOL_MAX)
        return 0;
    size_t used = 0;
    for (const char *c = q; *c; c++) {
        int ok = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')
              || *c == '/' || *c == '.' || *c == '*';
        if (!ok || used + 2 > size)
            return 0;
        glob [used++] = (char) (*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
    }
    glob [used] = 0;
    //  the text of the components before the first *: CCM/MSP/2025 of CCM/MSP/2025/*
    size_t star = (size_t) (strchr (q, '*') - q), end = star;
    while (end > 0 && q [end - 1] != '/')
        end--;
    if (end > 0)
        end--;
    snprintf (fixed, fixed_size, "%.*s", (int) end, q);
    return 1;
}

int
archive_query_parse (const char *q, const char *language, archive_query_t *query,
                     char *err, size_t errsize)
{
    memset (query, 0, sizeof *query);
    s_parser_t *self = calloc (1, sizeof *self);
    if (!self) {
        snprintf (err, errsize, "q: out of memory");
        return -1;
    }
    *self = (s_parser_t) { .q = q, .p = q, .stems = archive_tokenizer_stems (language),
                           .out = query->match, .size = sizeof query->match, .err = err,
                           .errsize = errsize };
    //  one symbol, or a pattern, alone: a search by symbol
    const char *start = q;
    while (s_blank (start))
        start += s_blank (start);
    size_t length = strlen (start);
    while (length && s_blank (start + length - 1))
        length--;
    while (length >= 3 && strncmp (start + length - 3, "\xE3\x80\x80", 3) == 0)
        length -= 3;
    char alone [PL_SYMBOL_MAX + 1], fixed [PL_SYMBOL_MAX + 1], why [192];
    pl_symbol_t symbol;
    int rc = -1;
    if (length <= PL_SYMBOL_MAX && memchr (start, '/', length)) {
        memcpy (alone, start, length);
        alone [length] = 0;
        int blanks = 0;
        for (size_t i = 0; i < length; i++)
            blanks |= s_blank (alone + i) != 0;
        if (!blanks && pl_symbol_parse (alone, &symbol, why, sizeof why) == 0) {
            query->kind = ARCHIVE_QUERY_SYMBOL;
            snprintf (query->symbol, sizeof query->symbol, "%s", symbol.symbol);
            snprintf (query->base, sizeof query->base, "%s", symbol.base);
            rc = s_string (self, "", symbol.symbol, strlen (symbol.symbol)) ? -1 : 0;
            goto done;
        }
        if (!blanks && s_pattern (alone, query->symbol, sizeof query->symbol, fixed,
                                  sizeof fixed)) {
            query->kind = ARCHIVE_QUERY_PATTERN;
            rc = *fixed && s_string (self, "", fixed, strlen (fixed)) ? -1 : 0;
            goto done;
        }
    }
    int root;
    if (s_next (self) || s_sequence (self, 0, &root))
        goto done;
    if (self->nodes [root].count == 0) {
        snprintf (err, errsize, "q: no words to look for");
        goto done;
    }
    int written = s_all (self, &self->nodes [root]);
    if (written == -3) {
        snprintf (err, errsize, "q: no words to look for (no letter or digit)");
        goto done;
    }
    if (written == -2) {
        const s_node_t *first = &self->nodes [self->nodes [root].children [0]];
        snprintf (err, errsize, "q: every word is excluded ('%.*s'); give at least one word "
                  "to look for", (int) (first->size > 64 ? 64 : first->size), first->at);
        goto done;
    }
    rc = written ? -1 : 0;
    if (rc)
        snprintf (err, errsize, "q: too long");
done:
    if (rc && query->kind != ARCHIVE_QUERY_WORDS && !*err)
        snprintf (err, errsize, "q: too long");
    free (self);
    return rc;
}

//  --------------------------------------------------------------------------
//  Self-test

//  The marks, short, for the expected expressions below.
#define S   ARCHIVE_TOKENIZER_STEMS
#define SE  ARCHIVE_TOKENIZER_STEMS_EN
#define W   ARCHIVE_TOKENIZER_WORD

int
archive_query_test (int verbose)
{
    static const struct {
        const char *q, *language, *want;
    } good [] = {
        { "budget", NULL,                 "(\"budget\" OR \"" S "budget\")" },
        { "budget", "en",                 "(\"budget\" OR \"" SE "budget\")" },
        { "budget", "ru",                 "(\"budget\" OR \"" SE "budget\")" },
        { "会议 预算", NULL,               "(\"会议\" OR \"" W "会议\") AND "
                                          "(\"预算\" OR \"" W "预算\")" },
        { "\"action plan\" budget", NULL, "(\"action plan\") AND (\"budget\" OR \""
                                          S "budget\")" },
        { "“洛桑行动计划”", NULL,          "(\"洛桑行动计划\")" },
        { "mine OR munition plan", NULL,  "(\"mine\" OR \"" S "mine\" OR \"munition\" OR \""
                                          S "munition\") AND (\"plan\" OR \"" S "plan\")" },
        { "plan -draft NOT informal", NULL, "(\"plan\" OR \"" S "plan\") NOT (\"draft\" OR \""
                                          S "draft\" OR \"informal\" OR \"" S "informal\")" },
        { "budget AND mine", NULL,        "(\"budget\" OR \"" S "budget\") AND (\"mine\" OR \""
                                          S "mine\")" },
        { "a b -c", NULL,                 "((\"a\" OR \"" S "a\") AND (\"b\" OR \"" S "b\"))"
                                          " NOT (\"c\" OR \"" S "c\")" },
        { "implement*", NULL,             "(\"implement\" *)" },
        { "2025", NULL,                   "(\"2025\")" },
        { "(budget plan) OR \"work plan\"", NULL,
          "(((\"budget\" OR \"" S "budget\") AND (\"plan\" OR \"" S "plan\")) OR \"work plan\")" },
        { "budget -(mine OR plan)", NULL, "(\"budget\" OR \"" S "budget\") NOT (((\"mine\" OR \""
                                          S "mine\" OR \"plan\" OR \"" S "plan\")))" },
        { "say\"hello\"", NULL,           "(\"say\" OR \"" S "say\") AND (\"hello\")" },
        { "a\xE3\x80\x80" "b", NULL,      "(\"a\" OR \"" S "a\") AND (\"b\" OR \"" S "b\")" },
        { "x\xEF\xB7\x90y", NULL,         "(\"x y\" OR \"" S "x y\")" },
        { "and or not", NULL,             "(\"and\" OR \"" S "and\") AND (\"or\" OR \"" S
                                          "or\") AND (\"not\" OR \"" S "not\")" },
        { "budget -agenda", NULL,         "(\"budget\" OR \"" S "budget\") NOT (\"agenda\" OR \""
                                          S "agenda\")" },
        { "budget - mine &", NULL,        "(\"budget\" OR \"" S "budget\") AND (\"mine\" OR \""
                                          S "mine\")" },
    };
    static const struct {
        const char *q, *reason;
    } bad [] = {
        { "",                  "no words" },
        { "   ",               "no words" },
        { "-draft",            "every word is excluded ('-draft')" },
        { "NOT draft -x",      "every word is excluded ('NOT draft')" },
        { "OR plan",           "'OR' must stand between two words or phrases (nothing before" },
        { "plan OR",           "'OR' after 'plan' must stand between" },
        { "plan AND",          "'AND' after 'plan' must stand between" },
        { "\"open phrase",     "the phrase '\"open phrase' is not closed" },
        { "\"\"",              "the phrase '\"\"' is empty" },
        { "budget (mine",      "'(' before 'mine' is not closed" },
        { "budget)",           "')' after 'budget' closes no parenthesis" },
        { "()",                "'()' holds no word" },
        { "-mine OR plan",     "'OR' cannot join an excluded word ('mine')" },
        { "plan OR -mine",     "'OR' cannot join an excluded word ('-')" },
        { "& -",               "no words to look for" },
        { "*",                 "'*' needs a word before the *" },
        { "plan NOT",          "'NOT' has no word or phrase after it" },
    };
    int failures = 0;
    archive_query_t query;
    char err [256];
    for (size_t i = 0; i < sizeof good / sizeof good [0]; i++) {
        *err = 0;
        if (archive_query_parse (good [i].q, good [i].language, &query, err, sizeof err)
        ||  query.kind != ARCHIVE_QUERY_WORDS || strcmp (query.match, good [i].want)) {
            failures++;
            fprintf (stderr, "archive_query: '%s' -> '%s' %s\n  want '%s'\n", good [i].q,
                     query.match, err, good [i].want);
        }
        else
        if (verbose)
            fprintf (stderr, "archive_query: ok '%s'\n", good [i].q);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad [0]; i++)
        if (archive_query_parse (bad [i].q, NULL, &query, err, sizeof err) == 0
        ||  !strstr (err, bad [i].reason) || strncmp (err, "q: ", 3)) {
            failures++;
            fprintf (stderr, "archive_query: '%s' should fail with '%s', got '%s'\n", bad [i].q,
                     bad [i].reason, err);
        }
    //  more words than a search may hold, named
    char many [512] = "";
    for (int i = 0; i <= ARCHIVE_QUERY_TERMS_MAX; i++)
        snprintf (many + strlen (many), sizeof many - strlen (many), "w%d ", i);
    if (archive_query_parse (many, NULL, &query, err, sizeof err) == 0
    ||  !strstr (err, "more than 32 words and phrases (at 'w32')")) {
        failures++;
        fprintf (stderr, "archive_query: 33 words: '%s'\n", err);
    }
    //  symbols and patterns
    static const struct {
        const char *q;
        archive_query_kind_t kind;
        const char *symbol, *base, *match;
    } symbols [] = {
        { "CCM/MSP/2025/4", ARCHIVE_QUERY_SYMBOL, "CCM/MSP/2025/4", "CCM/MSP/2025/4",
          "\"CCM/MSP/2025/4\"" },
        { " ccm/msp/2025/4/rev.1 ", ARCHIVE_QUERY_SYMBOL, "CCM/MSP/2025/4/Rev.1",
          "CCM/MSP/2025/4", "\"CCM/MSP/2025/4/Rev.1\"" },
        { "aplc/msp.22/2025/*", ARCHIVE_QUERY_PATTERN, "APLC/MSP.22/2025/*", "",
          "\"aplc/msp.22/2025\"" },
        { "*/MSP/2025/4", ARCHIVE_QUERY_PATTERN, "*/MSP/2025/4", "", "" },
        { "CCM/CONF/2020", ARCHIVE_QUERY_WORDS, "", "", "(\"CCM/CONF/2020\" OR \""
          S "CCM/CONF/2020\")" },
        { "CCM/MSP/2025/4 budget", ARCHIVE_QUERY_WORDS, "", "", "(\"CCM/MSP/2025/4\" OR \""
          S "CCM/MSP/2025/4\") AND (\"budget\" OR \"" S "budget\")" },
    };
    for (size_t i = 0; i < sizeof symbols / sizeof symbols [0]; i++)
        if (archive_query_parse (symbols [i].q, NULL, &query, err, sizeof err)
        ||  query.kind != symbols [i].kind || strcmp (query.symbol, symbols [i].symbol)
        ||  strcmp (query.base, symbols [i].base) || strcmp (query.match, symbols [i].match)) {
            failures++;
            fprintf (stderr, "archive_query: '%s' -> kind %d symbol '%s' base '%s' match '%s'\n",
                     symbols [i].q, query.kind, query.symbol, query.base, query.match);
        }
    return failures ? -1 : 0;
}

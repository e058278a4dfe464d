/*  archive_tokenizer — the FTS5 tokenizer "plenary" (the why is in the header).

    One pass over the text, code point by code point.  CJK characters are
    gathered into runs here, and a run's tokens are emitted when it ends
    (its words need the whole run); everything between two CJK runs is
    handed to unicode61 (created once per tokenizer instance) through
    s_inner_token, which shifts its offsets into the whole text and makes
    each word's exact form and stem (archive_words).  Documents are first
    copied with their page furniture blanked out (same length, so offsets
    stay true). */
#include "archive_tokenizer.h"
#include "archive_words.h"
#include "pl_symbol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  unicode61 as the tokenizer of non-CJK text: accents folded, combining
//  marks kept inside words so that Arabic with harakat stays one word.
static const char *s_inner_args [] = {
    "remove_diacritics", "2", "categories", "L* N* Co Mn"
};

//  The language code of a document at most (bytes).
#define S_LANGUAGE_MAX 7

//  The marks of a query string (archive_tokenizer.h), by what they ask.
typedef enum { S_EXACT, S_STEMS, S_WORD } s_mode_t;
static const struct {
    const char *mark;
    s_mode_t mode;
    char latin;                 //  S_STEMS: the Latin stemmer, 0 every one
    const char *language;       //  the search's language it stands for
} s_marks [] = {
    { ARCHIVE_TOKENIZER_STEMS,    S_STEMS, 0,   NULL },
    { ARCHIVE_TOKENIZER_STEMS_EN, S_STEMS, 'e', "en" },
    { ARCHIVE_TOKENIZER_STEMS_FR, S_STEMS, 'f', "fr" },
    { ARCHIVE_TOKENIZER_STEMS_ES, S_STEMS, 's', "es" },
    { ARCHIVE_TOKENIZER_WORD,     S_WORD,  0,   NULL },
};
#define S_MARKS (sizeof s_marks / sizeof s_marks [0])
#define S_MARK_SIZE 3           //  every mark is a 3-byte noncharacter

//  The Latin stemmers a query in S_STEMS with latin 0 asks of each word.
static const char s_latin_stemmers [] = "efs";

typedef struct {
    fts5_tokenizer inner;
    Fts5Tokenizer *inner_self;
    archive_words_t *words;
    char language [S_LANGUAGE_MAX + 1];     //  of the document being tokenized
    //  ARCHIVE_TOKENIZER_ONLY: the stems and words wanted, or all (hinted 0)
    int hinted, want_stems;
    char *want_words;               //  each after ARCHIVE_WORDS_WORD
    int want_words_length;
    //  the CJK run in progress: each character's offset and length, and
    //  the characters one after the other (for the word breaker)
    int *starts, *lengths, *word_starts;
    int size;                   //  characters allocated
    char *chars;
    int chars_used, chars_size;
} s_tokenizer_t;

//  State of one xTokenize call.
typedef struct {
    s_tokenizer_t *self;
    void *ctx;
    int (*token) (void *, int, const char *, int, int, int);
    int flags;
    int query;                  //  FTS5_TOKENIZE_QUERY
    int base;                   //  offset of the text handed to unicode61
    int run;                    //  CJK characters in the run (0: none)
    const char *text;
    int match_only;             //  a query for matching only (ARCHIVE_TOKENIZER_MATCH_ONLY)
    s_mode_t mode;
    char latin;
    int nomem;
} s_state_t;

//  Decode one UTF-8 code point at TEXT (LENGTH bytes left) into *CP; returns
//  its length (1 for a byte that does not start a valid sequence).
static int
s_decode (const unsigned char *text, int length, unsigned *cp)
{
    unsigned c = text [0];
    int size = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (size > length)
        size = 1;
    if (size == 1) {
        *cp = c;
        return 1;
    }
    unsigned value = c & (0x7F >> size);
    for (int i = 1; i < size; i++) {
        if ((text [i] & 0xC0) != 0x80) {
            *cp = c;
            return 1;
        }
        value = value << 6 | (text [i] & 0x3F);
    }
    *cp = value;
    return size;
}

const char *
archive_tokenizer_stems (const char *language)
{
    for (size_t i = 0; language && i < S_MARKS; i++)
        if (s_marks [i].language && strcmp (s_marks [i].language, language) == 0)
            return s_marks [i].mark;
    //  a search of Arabic, Chinese or Russian items: their Latin words were
    //  stemmed as English; of any language: by every Latin stemmer
    return language ? ARCHIVE_TOKENIZER_STEMS_EN : ARCHIVE_TOKENIZER_STEMS;
}

//  --------------------------------------------------------------------------
//  Page furniture

//  A job number: 1-3 capitals, '.', 2 digits, '-', 4-6 digits (GE.20-12982).
static int
s_is_job_number (const char *word, size_t length)
{
    size_t i = 0;
    while (i < length && i < 3 && word [i] >= 'A' && word [i] <= 'Z')
        i++;
    if (i == 0 || i + 4 > length || word [i] != '.')
        return 0;
    if (word [i + 1] < '0' || word [i + 1] > '9' || word [i + 2] < '0' || word [i + 2] > '9'
    ||  word [i + 3] != '-')
        return 0;
    size_t digits = length - (i + 4);
    for (size_t d = i + 4; d < length; d++)
        if (word [d] < '0' || word [d] > '9')
            return 0;
    return digits >= 4 && digits <= 6;
}

static int
s_all_digits (const char *word, size_t length)
{
    for (size_t i = 0; i < length; i++)
        if (word [i] < '0' || word [i] > '9')
            return 0;
    return length > 0;
}

//  True when the line LINE (LENGTH bytes, no newline) is page furniture:
//  nothing but a job number or a symbol, with page numbers, dates and a
//  language mark such as (C); or a lone page number of up to 3 digits.
static int
s_is_furniture (const char *line, size_t length)
{
    int words = 0, anchors = 0, numbers = 0;
    size_t i = 0;
    while (i < length) {
        while (i < length && (line [i] == ' ' || line [i] == '\t' || line [i] == '\r'
                              || line [i] == '\f'))
            i++;
        size_t start = i;
        while (i < length && line [i] != ' ' && line [i] != '\t' && line [i] != '\r'
               && line [i] != '\f')
            i++;
        size_t size = i - start;
        if (size == 0)
            break;
        const char *word = line + start;
        words++;
        char copy [PL_SYMBOL_MAX + 1];
        pl_symbol_t symbol;
        char err [128];
        if (s_is_job_number (word, size))
            anchors++;
        else
        if (s_all_digits (word, size) && size <= 8)
            numbers += size <= 3;
        else
        if (size == 3 && word [0] == '(' && word [2] == ')' && word [1] >= 'A' && word [1] <= 'Z')
            ;
        else
        if (size <= PL_SYMBOL_MAX && memchr (word, '/', size)
            && (memcpy (copy, word, size), copy [size] = 0,
                pl_symbol_parse (copy, &symbol, err, sizeof err) == 0))
            anchors++;
        else
            return 0;
    }
    return anchors > 0 || (words == 1 && numbers == 1);
}

//  A copy of TEXT with its furniture lines blanked (spaces), or NULL.
static char *
s_without_furniture (const char *text, int length)
{
    char *copy = malloc ((size_t) length + 1);
    if (!copy)
        return NULL;
    memcpy (copy, text, (size_t) length);
    copy [length] = 0;
    int start = 0;
    while (start < length) {
        const char *newline = memchr (copy + start, '\n', (size_t) (length - start));
        int end = newline ? (int) (newline - copy) : length;
        if (s_is_furniture (copy + start, (size_t) (end - start)))
            memset (copy + start, ' ', (size_t) (end - start));
        start = end + 1;
    }
    return copy;
}

//  --------------------------------------------------------------------------
//  Tokens

//  Emit TOKEN (LENGTH bytes) spanning START..END of the whole text.
static int
s_emit (s_state_t *state, int colocated, const char *token, int length, int start, int end)
{
    return state->token (state->ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, token, length,
                         start, end);
}

//  unicode61's callback: the word's exact form (archive_words), then in a
//  document its stem colocated where it differs from the exact form; a
//  query's word as its mode asks (its stems, each with the exact form that
//  equals it).
static int
s_inner_token (void *state_, int flags, const char *token, int length, int start, int end)
{
    s_state_t *state = state_;
    archive_words_t *words = state->self->words;
    const char *exact, *stem;
    int exact_length, stem_length;
    start += state->base;
    end += state->base;
    int script = archive_words_fold (words, token, length, &exact, &exact_length);
    if (exact_length == 0)
        return SQLITE_OK;       //  nothing but marks: no word
    if (state->query && state->mode == S_STEMS && script) {
        //  its stems: by the search's Latin stemmer, or by each as alternatives
        char one [2] = { state->latin, 0 };
        const char *letters = script != ARCHIVE_SCRIPT_LATIN ? "" : state->latin ? one
                            : s_latin_stemmers;
        char own [2] = { archive_words_stemmer (words, NULL), 0 };
        if (!*letters)
            letters = own;
        //  each distinct stem once (the stemmers often agree)
        char seen [2][ARCHIVE_WORDS_MAX + 2];
        int seen_length [2] = { -1, -1 }, emitted = 0;
        for (int i = 0; letters [i]; i++) {
            if (archive_words_stem (words, letters [i], &stem, &stem_length))
                return SQLITE_NOMEM;
            int again = 0;
            for (int k = 0; k < emitted && k < 2; k++)
                again |= seen_length [k] == stem_length
                      && memcmp (seen [k], stem, (size_t) stem_length) == 0;
            if (again)
                continue;
            if (emitted < 2 && stem_length <= (int) sizeof seen [0]) {
                memcpy (seen [emitted], stem, (size_t) stem_length);
                seen_length [emitted] = stem_length;
            }
            //  and the exact form equal to it, which a document indexes
            //  instead of a stem equal to its exact form (below)
            int rc = s_emit (state, emitted++ > 0, stem, stem_length, start, end);
            if (rc == SQLITE_OK)
                rc = s_emit (state, 1, stem + 1, stem_length - 1, start, end);
            if (rc != SQLITE_OK)
                return rc;
        }
        return SQLITE_OK;
    }
    int rc = s_emit (state, flags & FTS5_TOKEN_COLOCATED, exact, exact_length, start, end);
    char letter = script && (!state->self->hinted || state->self->want_stems)
                ? archive_words_stemmer (words, state->self->language) : 0;
    if (rc == SQLITE_OK && !state->query && letter) {
        if (archive_words_stem (words, letter, &stem, &stem_length))
            return SQLITE_NOMEM;
        //  a word that is its own stem (budget, plan) is found by its exact
        //  form, which a search of stems asks too: a third fewer tokens
        if (stem_length != exact_length + 1 || memcmp (stem + 1, exact, (size_t) exact_length))
            rc = s_emit (state, 1, stem, stem_length, start, end);
    }
    return rc;
}

//  Room for character INDEX of the run and BYTES more of its text.  0 or -1.
static int
s_run_room (s_tokenizer_t *self, int index, int bytes)
{
    if (index >= self->size) {
        int size = self->size ? self->size * 2 : 256;
        int *starts = realloc (self->starts, (size_t) size * sizeof *starts);
        if (starts)
            self->starts = starts;
        int *lengths = starts ? realloc (self->lengths, (size_t) size * sizeof *lengths) : NULL;
        if (lengths)
            self->lengths = lengths;
        int *word_starts = lengths ? realloc (self->word_starts,
                                              (size_t) size * sizeof *word_starts) : NULL;
        if (!word_starts)
            return -1;
        self->word_starts = word_starts;
        self->size = size;
    }
    if (self->chars_used + bytes > self->chars_size) {
        int size = (self->chars_used + bytes) * 2;
        char *chars = realloc (self->chars, (size_t) size);
        if (!chars)
            return -1;
        self->chars = chars;
        self->chars_size = size;
    }
    return 0;
}

//  Add the CJK character at START (LENGTH bytes) to the run.  0 or -1.
static int
s_cjk_char (s_state_t *state, int start, int length)
{
    s_tokenizer_t *self = state->self;
    if (state->run == 0)
        self->chars_used = 0;
    if (s_run_room (self, state->run, length))
        return -1;
    self->starts [state->run] = start;
    self->lengths [state->run] = length;
    memcpy (self->chars + self->chars_used, state->text + start, (size_t) length);
    self->chars_used += length;
    state->run++;
    return 0;
}

//  The token of characters FIRST .. LAST (inclusive) of the run, spanning
//  them, after PREFIX (may be ""), colocated or not.
static int
s_run_token (s_state_t *state, int colocated, const char *prefix, int first, int last)
{
    s_tokenizer_t *self = state->self;
    char token [64];
    size_t used = strlen (prefix);
    memcpy (token, prefix, used);
    for (int i = first; i <= last; i++) {
        if (used + (size_t) self->lengths [i] > sizeof token)
            return SQLITE_OK;   //  a word of more than 15 characters: left out
        memcpy (token + used, state->text + self->starts [i], (size_t) self->lengths [i]);
        used += (size_t) self->lengths [i];
    }
    return s_emit (state, colocated, token, (int) used, self->starts [first],
                   self->starts [last] + self->lengths [last]);
}

//  True when TEXT (LENGTH bytes) holds WORD (SIZE bytes).
static int
s_holds (const char *text, int length, const char *word, int size)
{
    for (int i = 0; size > 0 && i + size <= length; i++)
        if (text [i] == word [0] && memcmp (text + i, word, (size_t) size) == 0)
            return 1;
    return 0;
}

//  The CJK run ends: its tokens.  A document has at each character its
//  unigram, then colocated the bigram it starts and the word that starts
//  there (the unigram first: snippet () and highlight () take a position's
//  offsets from its first token, and a bigram's overlap the next
//  position's).  A query has its bigrams and the unigram of its last
//  character (so that its match spans both characters' positions and a
//  highlight covers the whole word), but for matching only (no last
//  unigram: LAST is 0) and as a word (the run, one token).
static int
s_end_run (s_state_t *state, int last)
{
    s_tokenizer_t *self = state->self;
    int count = state->run, rc = SQLITE_OK;
    state->run = 0;
    if (count == 0)
        return SQLITE_OK;
    if (state->query && state->mode == S_WORD)
        return s_run_token (state, 0, ARCHIVE_WORDS_WORD, 0, count - 1);
    if (state->query) {
        for (int i = 0; rc == SQLITE_OK && i + 1 < count; i++)
            rc = s_run_token (state, 0, "", i, i + 1);
        if (rc == SQLITE_OK && (last || count == 1))
            rc = s_run_token (state, 0, "", count - 1, count - 1);
        return rc;
    }
    //  a run without any word wanted (ARCHIVE_TOKENIZER_ONLY) needs no breaking
    int wanted = !self->hinted;
    for (const char *at = self->want_words, *end = at + self->want_words_length, *next;
         !wanted && at && at < end; at = next) {
        at += strlen (ARCHIVE_WORDS_WORD);
        next = memchr (at, ARCHIVE_WORDS_WORD [0], (size_t) (end - at));
        if (!next)
            next = end;
        wanted = s_holds (self->chars, self->chars_used, at, (int) (next - at));
    }
    int words = wanted ? archive_words_segment (self->words, self->chars, self->chars_used,
                                                count, self->word_starts) : 0;
    if (words < 0)
        return SQLITE_NOMEM;
    for (int i = 0, w = 0; rc == SQLITE_OK && i < count; i++) {
        rc = s_run_token (state, 0, "", i, i);
        if (rc == SQLITE_OK && i + 1 < count)
            rc = s_run_token (state, 1, "", i, i + 1);
        while (w < words && self->word_starts [w] < i)
            w++;
        //  a word of two characters or more (one is its own unigram)
        int end = w < words && self->word_starts [w] == i
                ? (w + 1 < words ? self->word_starts [w + 1] : count) - 1 : i;
        if (rc == SQLITE_OK && end > i)
            rc = s_run_token (state, 1, ARCHIVE_WORDS_WORD, i, end);
    }
    return rc;
}

//  True when TEXT (LENGTH bytes) is only white space and holds a line break.
static int
s_line_break (const char *text, int length)
{
    int newline = 0;
    for (int i = 0; i < length; i++) {
        if (text [i] == '\n')
            newline = 1;
        else
        if (text [i] != ' ' && text [i] != '\t' && text [i] != '\r' && text [i] != '\f')
            return 0;
    }
    return newline;
}

//  Hand the non-CJK text FROM .. TO to unicode61.
static int
s_other (s_tokenizer_t *self, s_state_t *state, int from, int to)
{
    state->base = from;
    return self->inner.xTokenize (self->inner_self, state, state->flags, state->text + from,
                                  to - from, s_inner_token);
}

//  Read the marks a query string begins with into STATE; their bytes.
static int
s_marks_of (s_state_t *state, const char *text, int length)
{
    int used = 0;
    if (length >= S_MARK_SIZE && memcmp (text, ARCHIVE_TOKENIZER_MATCH_ONLY, S_MARK_SIZE) == 0) {
        state->match_only = 1;
        used = S_MARK_SIZE;
    }
    for (size_t i = 0; length - used >= S_MARK_SIZE && i < S_MARKS; i++)
        if (memcmp (text + used, s_marks [i].mark, S_MARK_SIZE) == 0) {
            state->mode = s_marks [i].mode;
            state->latin = s_marks [i].latin;
            used += S_MARK_SIZE;
            break;
        }
    return used;
}

static int
s_tokenize (Fts5Tokenizer *self_, void *ctx, int flags, const char *text, int length,
            int (*token) (void *, int, const char *, int, int, int))
{
    s_tokenizer_t *self = (s_tokenizer_t *) self_;
    int query = (flags & FTS5_TOKENIZE_QUERY) != 0;
    size_t mark = strlen (ARCHIVE_TOKENIZER_LANGUAGE);
    if (!query && (size_t) length >= mark
    &&  memcmp (text, ARCHIVE_TOKENIZER_LANGUAGE, mark) == 0) {
        //  the lang column: the language of the texts that follow, no token
        int size = length - (int) mark > S_LANGUAGE_MAX ? S_LANGUAGE_MAX : length - (int) mark;
        memcpy (self->language, text + mark, (size_t) size);
        self->language [size] = 0;
        self->hinted = 0;
        return SQLITE_OK;
    }
    if (!query && (size_t) length >= mark && memcmp (text, ARCHIVE_TOKENIZER_ONLY, mark) == 0) {
        //  the tokens wanted of the texts that follow, no token
        text += mark;
        length -= (int) mark;
        self->want_stems = length > 0 && text [0] == ARCHIVE_WORDS_STEM [0];
        if (self->want_stems) {
            text++;
            length--;
        }
        char *words = realloc (self->want_words, (size_t) length + 1);
        if (!words)
            return SQLITE_NOMEM;
        memcpy (words, text, (size_t) length);
        self->want_words = words;
        self->want_words_length = length;
        self->hinted = 1;
        return SQLITE_OK;
    }
    char *clean = NULL;
    if (!query && memchr (text, '\n', (size_t) length)) {
        if (!(clean = s_without_furniture (text, length)))
            return SQLITE_NOMEM;
        text = clean;
    }
    s_state_t state = {
        .self = self, .ctx = ctx, .token = token, .flags = flags, .query = query,
        .text = text, .mode = S_EXACT
    };
    if (query) {
        int used = s_marks_of (&state, text, length);
        state.text = text += used;
        length -= used;
    }
    int rc = SQLITE_OK;
    int other = 0;              //  start of the non-CJK text before the current point
    for (int i = 0; i < length && rc == SQLITE_OK;) {
        unsigned cp;
        int size = s_decode ((const unsigned char *) text + i, length - i, &cp);
        if (archive_words_is_cjk (cp)) {
            if (other < i && !(state.run && !query && s_line_break (text + other, i - other))) {
                rc = s_end_run (&state, 1);
                if (rc == SQLITE_OK)
                    rc = s_other (self, &state, other, i);
            }
            if (rc == SQLITE_OK && s_cjk_char (&state, i, size))
                rc = SQLITE_NOMEM;
            other = i + size;
        }
        i += size;
    }
    //  A query for matching only ends without its last run's unigram: the
    //  bigram before it implies it (archive_tokenizer.h)
    if (rc == SQLITE_OK)
        rc = s_end_run (&state, !(state.match_only && other >= length));
    if (rc == SQLITE_OK && other < length)
        rc = s_other (self, &state, other, length);
    free (clean);
    return rc;
}

static int
s_create (void *api_, const char **args, int count, Fts5Tokenizer **out)
{
    fts5_api *api = api_;
    (void) args;
    if (count)
        return SQLITE_ERROR;    //  the tokenizer takes no options
    s_tokenizer_t *self = calloc (1, sizeof *self);
    if (!self)
        return SQLITE_NOMEM;
    void *inner_data = NULL;
    int rc = api->xFindTokenizer (api, "unicode61", &inner_data, &self->inner);
    if (rc == SQLITE_OK)
        rc = self->inner.xCreate (inner_data, s_inner_args,
                                  (int) (sizeof s_inner_args / sizeof s_inner_args [0]),
                                  &self->inner_self);
    if (rc != SQLITE_OK) {
        free (self);
        return rc;
    }
    if (!(self->words = archive_words_new ())) {
        self->inner.xDelete (self->inner_self);
        free (self);
        return SQLITE_NOMEM;
    }
    *out = (Fts5Tokenizer *) self;
    return SQLITE_OK;
}

static void
s_delete (Fts5Tokenizer *self_)
{
    s_tokenizer_t *self = (s_tokenizer_t *) self_;
    if (self) {
        self->inner.xDelete (self->inner_self);
        archive_words_destroy (&self->words);
        free (self->starts);
        free (self->lengths);
        free (self->word_starts);
        free (self->chars);
        free (self->want_words);
        free (self);
    }
}

int
archive_tokenizer_match_only (const char *expression, char *out, size_t size)
{
    size_t used = 0, marker = strlen (ARCHIVE_TOKENIZER_MATCH_ONLY);
    int quoted = 0;
    for (const char *c = expression; *c; c++) {
        int doubled = quoted && c [0] == '"' && c [1] == '"';
        size_t length = doubled ? 2 : 1;
        int opens = !quoted && *c == '"';
        if (used + length + (opens ? marker : 0) + 1 > size)
            return -1;
        memcpy (out + used, c, length);
        used += length;
        if (opens) {
            memcpy (out + used, ARCHIVE_TOKENIZER_MATCH_ONLY, marker);
            used += marker;
        }
        if (*c == '"' && !doubled)
            quoted = !quoted;
        c += length - 1;
    }
    if (size == 0 || quoted)
        return -1;
    out [used] = 0;
    return 0;
}

//  Append LENGTH bytes of TEXT to OUT (SIZE bytes) at *USED.  0 or -1.
static int
s_append (char *out, size_t size, size_t *used, const char *text, size_t length)
{
    if (*used + length + 1 > size)
        return -1;
    memcpy (out + *used, text, length);
    *used += length;
    out [*used] = 0;
    return 0;
}

int
archive_tokenizer_match_any (const char *expression, char *out, size_t size,
                             archive_phrase_t *phrases, int max)
{
    size_t used = 0;
    int count = 0, group = 0, depth = 0;
    if (size)
        out [0] = 0;
    for (const char *c = expression; *c;) {
        if (*c == '"') {
            //  a string, up to its closing quote (doubled ones inside)
            const char *end = c + 1;
            while (*end && !(end [0] == '"' && end [1] != '"'))
                end += end [0] == '"' ? 2 : 1;
            if (!*end || count == max)
                return -1;
            if (count && s_append (out, size, &used, " OR ", 4))
                return -1;
            phrases [count] = (archive_phrase_t) { group, (int) used, 0 };
            if (s_append (out, size, &used, "\"", 1)
            ||  s_append (out, size, &used, ARCHIVE_TOKENIZER_MATCH_ONLY,
                          strlen (ARCHIVE_TOKENIZER_MATCH_ONLY))
            ||  s_append (out, size, &used, c + 1, (size_t) (end + 1 - (c + 1))))
                return -1;
            phrases [count].length = (int) used - phrases [count].offset;
            count++;
            c = end + 1;
        }
        else
        if (*c == ' ')
            c++;
        else
        if (*c == '(' || *c == ')') {
            //  groups of alternatives in one pair of parentheses, no deeper
            depth += *c == '(' ? 1 : -1;
            if (depth < 0 || depth > 1)
                return 0;
            c++;
        }
        else
        if (*c == '*' && count) {
            if (s_append (out, size, &used, " *", 2))
                return -1;
            phrases [count - 1].length = (int) used - phrases [count - 1].offset;
            c++;
        }
        else
        if (strncmp (c, "AND", 3) == 0 && depth == 0) {
            group++;
            c += 3;
        }
        else
        if (strncmp (c, "OR", 2) == 0 && depth == 1)
            c += 2;
        else
            return 0;               //  NOT, OR between groups, AND inside one: not an AND of ORs
    }
    return depth == 0 ? count : 0;
}

fts5_api *
archive_tokenizer_fts5 (sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
    sqlite3_step (stmt);
    sqlite3_finalize (stmt);
    return api;
}

int
archive_tokenizer_register (sqlite3 *db)
{
    fts5_api *api = archive_tokenizer_fts5 (db);
    if (!api)
        return -1;
    static fts5_tokenizer tokenizer = { s_create, s_delete, s_tokenize };
    return api->xCreateTokenizer (api, ARCHIVE_TOKENIZER_NAME, api, &tokenizer, NULL)
           == SQLITE_OK ? 0 : -1;
}


/*  archive_tokenizer — the FTS5 tokenizer "plenary" (the why is in the header).

    One pass over the text, code point by code point.  CJK characters are
    handled here; everything between two CJK runs is handed to unicode61
    (created once per tokenizer instance) through s_inner_token, which
    shifts its offsets into the whole text and normalizes the token with
    the table s_folds.  Documents are first copied with their page
    furniture blanked out (same length, so offsets stay true). */
#include "archive_tokenizer.h"
#include "pl_symbol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  unicode61 as the tokenizer of non-CJK text: accents folded, combining
//  marks kept inside words so that Arabic with harakat stays one word.
static const char *s_inner_args [] = {
    "remove_diacritics", "2", "categories", "L* N* Co Mn"
};

//  A token longer than this is passed on without normalization.
#define S_TOKEN_MAX 256

//  Code points that are CJK (bigram indexing).
static const struct {
    unsigned first, last;
} s_cjk [] = {
    { 0x3005, 0x3007 },     //  々 〆 〇
    { 0x3040, 0x30FF },     //  hiragana, katakana
    { 0x31F0, 0x31FF },     //  katakana phonetic extensions
    { 0x3400, 0x4DBF },     //  CJK extension A
    { 0x4E00, 0x9FFF },     //  CJK unified ideographs
    { 0xAC00, 0xD7AF },     //  Hangul syllables
    { 0xF900, 0xFAFF },     //  CJK compatibility ideographs
    { 0x20000, 0x3134F },   //  CJK extensions B..G
};

//  Normalization of unicode61's tokens: code point FROM becomes TO (0: dropped).
static const struct {
    unsigned from_first, from_last, to;
} s_folds [] = {
    { 0x0610, 0x061A, 0 },      //  Arabic honorific marks
    { 0x064B, 0x065F, 0 },      //  harakat: fathatan .. wavy hamza below
    { 0x0670, 0x0670, 0 },      //  superscript alef
    { 0x06D6, 0x06ED, 0 },      //  Quranic annotation marks
    { 0x0640, 0x0640, 0 },      //  tatweel
    { 0x0622, 0x0623, 0x0627 }, //  آ أ -> ا
    { 0x0625, 0x0625, 0x0627 }, //  إ -> ا
    { 0x0671, 0x0671, 0x0627 }, //  ٱ -> ا
    { 0x0649, 0x0649, 0x064A }, //  ى -> ي
    { 0x0629, 0x0629, 0x0647 }, //  ة -> ه
    { 0x0451, 0x0451, 0x0435 }, //  ё -> е
    { 0x0300, 0x036F, 0 },      //  Latin combining marks left over
    { 0x0483, 0x0489, 0 },      //  Cyrillic combining marks
};

#define S_FOLDS_FIRST 0x0300     //  the lowest and highest code points in s_folds
#define S_FOLDS_LAST  0x06ED

typedef struct {
    fts5_tokenizer inner;
    Fts5Tokenizer *inner_self;
} s_tokenizer_t;

//  State of one xTokenize call.
typedef struct {
    void *ctx;
    int (*token) (void *, int, const char *, int, int, int);
    int flags;
    int base;                   //  offset of the text handed to unicode61
    //  the CJK run in progress
    int run;                    //  characters in it so far (0: none)
    int prev_start, prev_length;//  its last character
    const char *text;
    int match_only;             //  a query for matching only (ARCHIVE_TOKENIZER_MATCH_ONLY)
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

//  Encode CP as UTF-8 into OUT; returns its length.
static int
s_encode (unsigned cp, char *out)
{
    if (cp < 0x80) {
        out [0] = (char) cp;
        return 1;
    }
    if (cp < 0x800) {
        out [0] = (char) (0xC0 | cp >> 6);
        out [1] = (char) (0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out [0] = (char) (0xE0 | cp >> 12);
        out [1] = (char) (0x80 | (cp >> 6 & 0x3F));
        out [2] = (char) (0x80 | (cp & 0x3F));
        return 3;
    }
    out [0] = (char) (0xF0 | cp >> 18);
    out [1] = (char) (0x80 | (cp >> 12 & 0x3F));
    out [2] = (char) (0x80 | (cp >> 6 & 0x3F));
    out [3] = (char) (0x80 | (cp & 0x3F));
    return 4;
}

static int
s_is_cjk (unsigned cp)
{
    if (cp < s_cjk [0].first)
        return 0;               //  most characters of most texts: no search
    for (size_t i = 0; i < sizeof s_cjk / sizeof s_cjk [0]; i++)
        if (cp >= s_cjk [i].first && cp <= s_cjk [i].last)
            return 1;
    return 0;
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

//  unicode61's callback: normalize the token and pass it on with offsets
//  into the whole text.
static int
s_inner_token (void *state_, int flags, const char *token, int length, int start, int end)
{
    s_state_t *state = state_;
    char folded [S_TOKEN_MAX * 2];
    int used = 0, changed = 0, foldable = 0;
    //  U+0300..U+06ED are two-byte sequences led by 0xCC..0xDB: a token
    //  without such a byte (ASCII, most Latin and Cyrillic) passes as it is
    for (int i = 0; i < length && !foldable; i++)
        foldable = (unsigned char) token [i] >= 0xCC && (unsigned char) token [i] <= 0xDB;
    if (foldable && length <= S_TOKEN_MAX)
        for (int i = 0; i < length;) {
            unsigned cp;
            int size = s_decode ((const unsigned char *) token + i, length - i, &cp);
            unsigned to = cp;
            //  s_folds spans U+0300..U+06ED: most code points skip the table
            for (size_t f = 0; cp >= S_FOLDS_FIRST && cp <= S_FOLDS_LAST
                               && f < sizeof s_folds / sizeof s_folds [0]; f++)
                if (cp >= s_folds [f].from_first && cp <= s_folds [f].from_last) {
                    to = s_folds [f].to;
                    changed = 1;
                    break;
                }
            if (to)
                used += s_encode (to, folded + used);
            i += size;
        }
    if (changed && used == 0)
        return SQLITE_OK;       //  nothing but marks: no word
    return state->token (state->ctx, flags, changed ? folded : token, changed ? used : length,
                         start + state->base, end + state->base);
}

//  Emit the token of the characters at A (LA bytes) and B (LB bytes) of the
//  text, spanning A..B+LB; LB 0 for a unigram.
static int
s_emit (s_state_t *state, int colocated, int a, int la, int b, int lb)
{
    char token [8];
    memcpy (token, state->text + a, (size_t) la);
    memcpy (token + la, state->text + b, (size_t) lb);
    return state->token (state->ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, token, la + lb,
                         a, lb ? b + lb : a + la);
}

//  The CJK run ends: its last character's unigram, in documents and queries
//  alike (a query "会议" is the phrase 会议 议, so that its match spans both
//  characters' positions and a highlight covers the whole word).
static int
s_end_run (s_state_t *state)
{
    int rc = SQLITE_OK;
    if (state->run)
        rc = s_emit (state, 0, state->prev_start, state->prev_length, 0, 0);
    state->run = 0;
    return rc;
}

//  Add the CJK character at START (LENGTH bytes) to the run.  A document
//  gets, at the previous character's position, its unigram and then the
//  bigram with this one, colocated; a query only the bigram.  The unigram
//  comes first because snippet() and highlight() take a position's offsets
//  from its first token: a bigram's offsets overlap the next position's,
//  and FTS5 then copies the rest of the text into the snippet.
static int
s_cjk_char (s_state_t *state, int start, int length)
{
    int rc = SQLITE_OK;
    int query = (state->flags & FTS5_TOKENIZE_QUERY) != 0;
    if (state->run) {
        if (!query)
            rc = s_emit (state, 0, state->prev_start, state->prev_length, 0, 0);
        if (rc == SQLITE_OK)
            rc = s_emit (state, !query, state->prev_start, state->prev_length, start, length);
    }
    state->run++;
    state->prev_start = start;
    state->prev_length = length;
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

static int
s_tokenize (Fts5Tokenizer *self_, void *ctx, int flags, const char *text, int length,
            int (*token) (void *, int, const char *, int, int, int))
{
    s_tokenizer_t *self = (s_tokenizer_t *) self_;
    int query = (flags & FTS5_TOKENIZE_QUERY) != 0;
    char *clean = NULL;
    if (!query && memchr (text, '\n', (size_t) length)) {
        if (!(clean = s_without_furniture (text, length)))
            return SQLITE_NOMEM;
        text = clean;
    }
    s_state_t state = { .ctx = ctx, .token = token, .flags = flags, .text = text };
    size_t marker = strlen (ARCHIVE_TOKENIZER_MATCH_ONLY);
    if (query && (size_t) length >= marker
    &&  memcmp (text, ARCHIVE_TOKENIZER_MATCH_ONLY, marker) == 0) {
        state.match_only = 1;
        state.text = text += marker;
        length -= (int) marker;
    }
    int rc = SQLITE_OK;
    int other = 0;              //  start of the non-CJK text before the current point
    for (int i = 0; i < length && rc == SQLITE_OK;) {
        unsigned cp;
        int size = s_decode ((const unsigned char *) text + i, length - i, &cp);
        if (s_is_cjk (cp)) {
            if (other < i && !(state.run && !query && s_line_break (text + other, i - other))) {
                rc = s_end_run (&state);
                state.base = other;
                if (rc == SQLITE_OK)
                    rc = self->inner.xTokenize (self->inner_self, &state, flags, text + other,
                                                i - other, s_inner_token);
            }
            if (rc == SQLITE_OK)
                rc = s_cjk_char (&state, i, size);
            other = i + size;
        }
        i += size;
    }
    //  A query for matching only ends without its last run's unigram: the
    //  bigram before it implies it (archive_tokenizer.h)
    if (rc == SQLITE_OK && state.match_only && state.run >= 2 && other >= length)
        state.run = 0;
    if (rc == SQLITE_OK)
        rc = s_end_run (&state);
    if (rc == SQLITE_OK && other < length) {
        state.base = other;
        rc = self->inner.xTokenize (self->inner_self, &state, flags, text + other,
                                    length - other, s_inner_token);
    }
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
    *out = (Fts5Tokenizer *) self;
    return SQLITE_OK;
}

static void
s_delete (Fts5Tokenizer *self_)
{
    s_tokenizer_t *self = (s_tokenizer_t *) self_;
    if (self) {
        self->inner.xDelete (self->inner_self);
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
    int count = 0, group = 0;
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
        if (*c == '(' || *c == ')' || *c == ' ')
            c++;
        else
        if (*c == '*' && count) {
            if (s_append (out, size, &used, " *", 2))
                return -1;
            phrases [count - 1].length = (int) used - phrases [count - 1].offset;
            c++;
        }
        else
        if (strncmp (c, "AND", 3) == 0) {
            group++;
            c += 3;
        }
        else
        if (strncmp (c, "OR", 2) == 0)
            c += 2;
        else
            return 0;               //  NOT, or anything else: not an AND of ORs
    }
    return count;
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

//  --------------------------------------------------------------------------
//  Self-test

//  The number of rows of table t matching QUERY, or -1.
static int
s_count (sqlite3 *db, const char *query)
{
    sqlite3_stmt *stmt = NULL;
    int count = -1;
    if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM t WHERE t MATCH ?1", -1, &stmt, NULL)
        == SQLITE_OK) {
        sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
        if (sqlite3_step (stmt) == SQLITE_ROW)
            count = sqlite3_column_int (stmt, 0);
    }
    sqlite3_finalize (stmt);
    return count;
}

//  xToken callback of s_query_tokens: append the token and a space.
static int
s_collect (void *out_, int flags, const char *token, int length, int start, int end)
{
    (void) flags;
    (void) start;
    (void) end;
    char *out = out_;
    size_t used = strlen (out);
    if (used + (size_t) length + 2 > 256)
        return SQLITE_NOMEM;
    memcpy (out + used, token, (size_t) length);
    memcpy (out + used + length, " ", 2);
    return SQLITE_OK;
}

//  The tokens of QUERY tokenized as a query, space-separated, into OUT (256
//  bytes); 0 or -1.
static int
s_query_tokens (sqlite3 *db, const char *query, char *out)
{
    fts5_api *api = archive_tokenizer_fts5 (db);
    void *data = NULL;
    fts5_tokenizer methods;
    Fts5Tokenizer *tokenizer = NULL;
    if (!api || api->xFindTokenizer (api, ARCHIVE_TOKENIZER_NAME, &data, &methods) != SQLITE_OK
    ||  methods.xCreate (data, NULL, 0, &tokenizer) != SQLITE_OK)
        return -1;
    *out = 0;
    int rc = methods.xTokenize (tokenizer, out, FTS5_TOKENIZE_QUERY, query, (int) strlen (query),
                                s_collect);
    methods.xDelete (tokenizer);
    return rc == SQLITE_OK ? 0 : -1;
}

int
archive_tokenizer_test (int verbose)
{
    static const char *rows [] = {
        //  1: Chinese, with a word broken across lines and a page header between
        "执行支助股 2026 年预算和工作计划。各缔约国会\n\nCCM/CONF/2020/14 \n\nGE.20-12982 3 \n\n议决定",
        //  2: French with accents
        "La Réunion des États parties a adopté le budget.",
        //  3: Arabic with harakat and hamza on alef
        "مُؤْتَمَرُ الدول الأطراف يعتمد الميزانية",
        //  4: Russian
        "Совещание государств-участников утвердило бюджет и отчёт",
        //  5: Japanese (kana and kanji)
        "締約国会議は予算を承認した。クラスター弾",
        //  6: English
        "The Meeting of States Parties adopted the action plan.",
    };
    static const struct {
        const char *query;
        int count;
    } checks [] = {
        { "预算", 1 },          //  a two-character word inside a run
        { "会议", 1 },          //  joined across the line break and the header
        { "会", 2 },            //  a single character (also in 会議)
        { "预算和工作", 1 },    //  a longer string: phrase of bigrams
        { "算工", 0 },          //  not adjacent
        { "ge", 0 },            //  the page header is not indexed
        { "reunion", 1 },       //  accents folded
        { "etats", 1 },
        { "REUNION", 1 },
        { "مؤتمر", 1 },         //  harakat removed
        { "الاطراف", 1 },       //  أ -> ا
        { "совещание", 1 },
        { "отчет", 1 },         //  ё -> е
        { "会議", 1 },          //  Japanese bigram
        { "クラスター", 1 },
        { "\"action plan\"", 1 },
        { "\"plan action\"", 0 },
        { "budget", 1 },
    };
    int failures = 0;
    sqlite3 *db = NULL;
    if (sqlite3_open (":memory:", &db) != SQLITE_OK || archive_tokenizer_register (db)
    ||  sqlite3_exec (db, "CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'plenary')",
                      NULL, NULL, NULL) != SQLITE_OK) {
        fprintf (stderr, "archive_tokenizer: cannot set up: %s\n", sqlite3_errmsg (db));
        sqlite3_close (db);
        return -1;
    }
    for (size_t i = 0; i < sizeof rows / sizeof rows [0]; i++) {
        sqlite3_stmt *stmt = NULL;
        sqlite3_prepare_v2 (db, "INSERT INTO t (x) VALUES (?1)", -1, &stmt, NULL);
        sqlite3_bind_text (stmt, 1, rows [i], -1, SQLITE_STATIC);
        if (sqlite3_step (stmt) != SQLITE_DONE)
            failures++;
        sqlite3_finalize (stmt);
    }
    for (size_t i = 0; i < sizeof checks / sizeof checks [0]; i++) {
        int count = s_count (db, checks [i].query);
        if (count != checks [i].count) {
            failures++;
            fprintf (stderr, "archive_tokenizer: '%s' matched %d rows, want %d\n",
                     checks [i].query, count, checks [i].count);
        }
        else
        if (verbose)
            fprintf (stderr, "archive_tokenizer: ok '%s' %d\n", checks [i].query, count);
    }
    //  a query for matching only: the same rows, with the last run's
    //  trailing unigram left out, and only there
    static const struct {
        const char *query, *tokens, *match_only;
    } forms [] = {
        { "会议",        "会议 议 ",          "会议 " },
        { "会",          "会 ",               "会 " },
        { "预算和工",    "预算 算和 和工 工 ", "预算 算和 和工 " },
        { "会议 plan",   "会议 议 plan ",     "会议 议 plan " },
        { "plan 会议",   "plan 会议 议 ",     "plan 会议 " },
        { "budget",      "budget ",           "budget " },
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms [0]; i++) {
        char marked [64], tokens [256] = "", match_only [256] = "";
        snprintf (marked, sizeof marked, "%s%s", ARCHIVE_TOKENIZER_MATCH_ONLY, forms [i].query);
        if (s_query_tokens (db, forms [i].query, tokens)
        ||  s_query_tokens (db, marked, match_only)
        ||  strcmp (tokens, forms [i].tokens) || strcmp (match_only, forms [i].match_only)) {
            failures++;
            fprintf (stderr, "archive_tokenizer: '%s' gave tokens '%s' and for matching '%s'\n",
                     forms [i].query, tokens, match_only);
        }
    }
    for (size_t i = 0; i < sizeof checks / sizeof checks [0]; i++) {
        char marked [64];
        snprintf (marked, sizeof marked, "\"%s%s\"", ARCHIVE_TOKENIZER_MATCH_ONLY,
                  checks [i].query);
        int count = checks [i].query [0] == '"' ? checks [i].count : s_count (db, marked);
        if (count != checks [i].count) {
            failures++;
            fprintf (stderr, "archive_tokenizer: '%s' for matching matched %d rows, want %d\n",
                     checks [i].query, count, checks [i].count);
        }
    }
    //  an expression for matching only: a marker opens each string, not a doubled quote
    char out [64];
    const char *expression = "(\"会议\" OR \"a\"\"b\" *) NOT (\"c\")";
    const char *want_only = "(\"" ARCHIVE_TOKENIZER_MATCH_ONLY "会议\" OR \""
                            ARCHIVE_TOKENIZER_MATCH_ONLY "a\"\"b\" *) NOT (\""
                            ARCHIVE_TOKENIZER_MATCH_ONLY "c\")";
    if (archive_tokenizer_match_only (expression, out, sizeof out) || strcmp (out, want_only)
    ||  archive_tokenizer_match_only ("\"open", out, sizeof out) == 0
    ||  archive_tokenizer_match_only (expression, out, strlen (want_only)) == 0
    ||  archive_tokenizer_match_only (expression, out, strlen (want_only) + 1)) {
        failures++;
        fprintf (stderr, "archive_tokenizer: the match-only form of '%s' is wrong\n", expression);
    }
    //  the union of an AND of ORs, each phrase with its group and place; not of a NOT
    archive_phrase_t phrases [4];
    const char *any = "\"" ARCHIVE_TOKENIZER_MATCH_ONLY "会议\" OR \""
                      ARCHIVE_TOKENIZER_MATCH_ONLY "a\"\"b\" * OR \""
                      ARCHIVE_TOKENIZER_MATCH_ONLY "x\"";
    if (archive_tokenizer_match_any ("(\"会议\" OR \"a\"\"b\" *) AND (\"x\")", out,
                                     sizeof out, phrases, 4) != 3
    ||  strcmp (out, any) || phrases [0].group != 0 || phrases [1].group != 0
    ||  phrases [2].group != 1 || phrases [0].offset != 0 || phrases [0].length != 11
    ||  phrases [1].offset != 15 || phrases [1].length != 11
    ||  strncmp (out + phrases [2].offset, "\"" ARCHIVE_TOKENIZER_MATCH_ONLY "x\"",
                 (size_t) phrases [2].length)
    ||  archive_tokenizer_match_any (expression, out, sizeof out, phrases, 4) != 0
    ||  archive_tokenizer_match_any ("(\"a\") AND (\"b\")", out, sizeof out, phrases, 1) != -1
    ||  archive_tokenizer_match_any ("(\"a\") AND (\"b\")", out, 8, phrases, 4) != -1) {
        failures++;
        fprintf (stderr, "archive_tokenizer: the union form is wrong: '%s'\n", out);
    }
    //  adjacent matches stay in bounds (overlapping offsets once copied the rest)
    sqlite3_stmt *stmt = NULL;
    sqlite3_prepare_v2 (db, "SELECT snippet (t, 0, '[', ']', '…', 4) FROM t WHERE t MATCH '\"执行支助\"'",
                        -1, &stmt, NULL);
    if (sqlite3_step (stmt) != SQLITE_ROW
    ||  strcmp ((const char *) sqlite3_column_text (stmt, 0), "[执行支助]…") != 0) {
        failures++;
        fprintf (stderr, "archive_tokenizer: snippet gave '%s'\n",
                 (const char *) sqlite3_column_text (stmt, 0));
    }
    sqlite3_finalize (stmt);
    sqlite3_prepare_v2 (db, "SELECT highlight (t, 0, '[', ']') FROM t WHERE t MATCH '预算 算和 和工'",
                        -1, &stmt, NULL);
    if (sqlite3_step (stmt) != SQLITE_ROW
    ||  strncmp ((const char *) sqlite3_column_text (stmt, 0),
                 "执行支助股 2026 年[预算和工]作计划。", 50) != 0) {
        failures++;
        fprintf (stderr, "archive_tokenizer: highlight gave '%s'\n",
                 (const char *) sqlite3_column_text (stmt, 0));
    }
    sqlite3_finalize (stmt);
    //  the highlight covers the whole word in the original text
    sqlite3_prepare_v2 (db, "SELECT highlight (t, 0, '[', ']') FROM t WHERE t MATCH '会议'",
                        -1, &stmt, NULL);
    const char *want = "执行支助股 2026 年预算和工作计划。各缔约国[会\n\nCCM/CONF/2020/14 \n\n"
                       "GE.20-12982 3 \n\n议]决定";
    if (sqlite3_step (stmt) != SQLITE_ROW
    ||  strcmp ((const char *) sqlite3_column_text (stmt, 0), want) != 0) {
        failures++;
        fprintf (stderr, "archive_tokenizer: highlight gave '%s'\n",
                 (const char *) sqlite3_column_text (stmt, 0));
    }
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    return failures ? -1 : 0;
}

/*  archive_words — one word as the archive indexes it, and Chinese words.
    See archive_words.h.

    ICU works in UTF-16: a word that is not ASCII is converted, checked
    (most words are already in NFKC_Casefold form: ICU's quick check says so
    without normalizing) and converted back.  An ASCII word, the most
    common kind, passes untouched: unicode61 has already folded its case. */
#include "archive_words.h"

#include <libstemmer.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

//  The Snowball stemmers, by the letter that marks their stems.
static const struct {
    char letter;
    const char *algorithm;
    const char *language;           //  the UN language code whose Latin words it stems
} s_stemmers [] = {
    { 'a', "arabic",  "ar" },
    { 'e', "english", "en" },
    { 'f', "french",  "fr" },
    { 'r', "russian", "ru" },
    { 's', "spanish", "es" },
};
#define S_STEMMERS (sizeof s_stemmers / sizeof s_stemmers [0])

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

//  The Arabic normalisation after NFKC (and Russian ё): code point FROM
//  becomes TO (0: dropped).  Lucene's ArabicNormalizer; NFKC has already
//  turned presentation forms into these letters.
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
#define S_FOLDS_FIRST 0x0300    //  the lowest and highest code points in s_folds
#define S_FOLDS_LAST  0x06ED

//  UTF-16 units of a word: NFKC may grow it (ﷺ is 18 letters), so room
//  for several times the longest word.
#define S_WIDE (ARCHIVE_WORDS_MAX * 8)

//  Stems remembered (a direct-mapped table: a word's slot is its hash's):
//  a text says its common words again and again, and a stemmer takes ten
//  times as long as a look-up.  Words longer than S_CACHED are not kept.
#define S_CACHE  8192
#define S_CACHED 46

typedef struct {
    char letter;                    //  0: an empty slot
    unsigned char length, stem_length;
    char word [S_CACHED], stem [S_CACHED];
} s_cached_t;

//  Folds remembered, likewise, of words that are not ASCII (which ICU
//  converts to UTF-16 and back): what archive_words_fold makes of them.
typedef struct {
    unsigned char length, folded_length, exact_length;
    char script;                    //  -1: an empty slot
    char token [S_CACHED], folded [S_CACHED], exact [S_CACHED];
} s_folded_t;

struct _archive_words_t {
    const UNormalizer2 *nfkc_cf;
    struct sb_stemmer *stemmers [S_STEMMERS];
    UBreakIterator *breaker;
    UChar wide [S_WIDE], normal [S_WIDE];
    char folded [S_WIDE * 3];       //  the word after NFKC and digits: what stemmers read
    int folded_length;
    char exact [S_WIDE * 3];        //  and after the Arabic normalisation
    char stem [S_WIDE * 3 + 2];
    int script;                     //  of the word last folded
    UChar *run;                     //  a CJK run in UTF-16
    int *unit_char;                 //  the character of each UTF-16 unit of run
    int run_size;                   //  units allocated
    s_cached_t *cache;              //  S_CACHE slots
    s_folded_t *folds;              //  S_CACHE slots
};

archive_words_t *
archive_words_new (void)
{
    archive_words_t *self = calloc (1, sizeof *self);
    if (!self || !(self->cache = calloc (S_CACHE, sizeof *self->cache))
    ||  !(self->folds = calloc (S_CACHE, sizeof *self->folds))) {
        if (self)
            free (self->cache);
        free (self);
        return NULL;
    }
    for (size_t i = 0; i < S_CACHE; i++)
        self->folds [i].script = -1;
    UErrorCode error = U_ZERO_ERROR;
    self->nfkc_cf = unorm2_getNFKCCasefoldInstance (&error);
    if (U_SUCCESS (error))
        self->breaker = ubrk_open (UBRK_WORD, "zh", NULL, 0, &error);
    for (size_t i = 0; U_SUCCESS (error) && i < S_STEMMERS; i++)
        if (!(self->stemmers [i] = sb_stemmer_new (s_stemmers [i].algorithm, NULL)))
            error = U_MEMORY_ALLOCATION_ERROR;
    if (U_FAILURE (error))
        archive_words_destroy (&self);
    return self;
}

void
archive_words_destroy (archive_words_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    archive_words_t *self = *self_p;
    for (size_t i = 0; i < S_STEMMERS; i++)
        sb_stemmer_delete (self->stemmers [i]);
    if (self->breaker)
        ubrk_close (self->breaker);
    free (self->run);
    free (self->unit_char);
    free (self->cache);
    free (self->folds);
    free (self);
    *self_p = NULL;
}

char
archive_words_latin (const char *language)
{
    for (size_t i = 0; language && i < S_STEMMERS; i++)
        if (strcmp (s_stemmers [i].language, language) == 0
        &&  s_stemmers [i].letter != 'a' && s_stemmers [i].letter != 'r')
            return s_stemmers [i].letter;
    return 'e';
}

//  The script of code point CP when it is a letter with a stemmer.
static int
s_script (UChar32 cp)
{
    if (!u_isalpha (cp))
        return ARCHIVE_SCRIPT_NONE;
    UErrorCode error = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript (cp, &error);
    return script == USCRIPT_LATIN ? ARCHIVE_SCRIPT_LATIN
         : script == USCRIPT_CYRILLIC ? ARCHIVE_SCRIPT_CYRILLIC
         : script == USCRIPT_ARABIC ? ARCHIVE_SCRIPT_ARABIC : ARCHIVE_SCRIPT_NONE;
}

int
archive_words_is_cjk (unsigned cp)
{
    if (cp < s_cjk [0].first)
        return 0;               //  most characters of most texts: no search
    for (size_t i = 0; i < sizeof s_cjk / sizeof s_cjk [0]; i++)
        if (cp >= s_cjk [i].first && cp <= s_cjk [i].last)
            return 1;
    return 0;
}

int
archive_words_letters (const char *text, size_t length, int *cjk, int *indexed)
{
    int letters = 0, characters = 0, all_cjk = length > 0;
    *indexed = 0;
    for (int32_t i = 0; i < (int32_t) length;) {
        UChar32 cp;
        U8_NEXT ((const uint8_t *) text, i, (int32_t) length, cp);
        if (cp < 0)
            cp = 0xFFFD;
        characters++;
        if (!archive_words_is_cjk ((unsigned) cp))
            all_cjk = 0;
        else
            *indexed = 1;
        if (u_isalnum (cp))
            *indexed = 1;
        if (!letters && s_script (cp))
            letters = 1;
    }
    *cjk = all_cjk ? characters : 0;
    return letters;
}

//  The Arabic normalisation of self->folded into self->exact; its length.
static int
s_arabic_folds (archive_words_t *self)
{
    int used = 0;
    const unsigned char *text = (const unsigned char *) self->folded;
    for (int i = 0; i < self->folded_length;) {
        UChar32 cp;
        U8_NEXT (text, i, self->folded_length, cp);
        unsigned to = cp < 0 ? 0xFFFD : (unsigned) cp;
        //  s_folds spans U+0300..U+06ED: most code points skip the table
        for (size_t f = 0; to >= S_FOLDS_FIRST && to <= S_FOLDS_LAST
                           && f < sizeof s_folds / sizeof s_folds [0]; f++)
            if (to >= s_folds [f].from_first && to <= s_folds [f].from_last) {
                to = s_folds [f].to;
                break;
            }
        if (to) {
            UBool error = 0;
            U8_APPEND ((uint8_t *) self->exact, used, (int) sizeof self->exact, (UChar32) to,
                       error);
            if (error)
                break;
        }
    }
    return used;
}

int
archive_words_fold (archive_words_t *self, const char *token, int length, const char **out,
                    int *out_length)
{
    self->script = ARCHIVE_SCRIPT_NONE;
    self->folded_length = 0;
    *out = token;
    *out_length = length;
    if (length > ARCHIVE_WORDS_MAX)
        return ARCHIVE_SCRIPT_NONE;
    int ascii = 1;
    for (int i = 0; i < length && ascii; i++)
        ascii = (unsigned char) token [i] < 0x80;
    if (ascii) {
        //  unicode61 folded its case already; a letter makes it Latin
        memcpy (self->folded, token, (size_t) length);
        self->folded_length = length;
        for (int i = 0; i < length && !self->script; i++)
            if (token [i] >= 'a' && token [i] <= 'z')
                self->script = ARCHIVE_SCRIPT_LATIN;
        return self->script;
    }
    s_folded_t *slot = NULL;
    if (length <= S_CACHED) {
        uint32_t hash = 2166136261u;
        for (int c = 0; c < length; c++)
            hash = (hash ^ (unsigned char) token [c]) * 16777619u;
        slot = &self->folds [hash % S_CACHE];
        if (slot->script >= 0 && slot->length == length
        &&  memcmp (slot->token, token, (size_t) length) == 0) {
            memcpy (self->folded, slot->folded, slot->folded_length);
            self->folded_length = slot->folded_length;
            memcpy (self->exact, slot->exact, slot->exact_length);
            *out = self->exact;
            *out_length = slot->exact_length;
            return self->script = slot->script;
        }
    }
    UErrorCode error = U_ZERO_ERROR;
    int32_t units = 0, normal_units = 0;
    u_strFromUTF8Lenient (self->wide, S_WIDE, &units, token, length, &error);
    if (U_FAILURE (error))
        return ARCHIVE_SCRIPT_NONE;
    const UChar *word = self->wide;
    if (unorm2_quickCheck (self->nfkc_cf, self->wide, units, &error) != UNORM_YES) {
        error = U_ZERO_ERROR;
        normal_units = unorm2_normalize (self->nfkc_cf, self->wide, units, self->normal, S_WIDE,
                                         &error);
        if (U_FAILURE (error))
            return ARCHIVE_SCRIPT_NONE;     //  grown past S_WIDE: indexed as it is
        word = self->normal;
        units = normal_units;
    }
    //  decimal digits of any script as ASCII; the first letter says the script
    int used = 0;
    for (int32_t i = 0; i < units;) {
        UChar32 cp;
        U16_NEXT (word, i, units, cp);
        if (u_charType (cp) == U_DECIMAL_DIGIT_NUMBER && u_charDigitValue (cp) >= 0)
            cp = '0' + u_charDigitValue (cp);
        else
        if (!self->script)
            self->script = s_script (cp);
        UBool failed = 0;
        U8_APPEND ((uint8_t *) self->folded, used, (int) sizeof self->folded, cp, failed);
        if (failed)
            return ARCHIVE_SCRIPT_NONE;
    }
    self->folded_length = used;
    *out = self->exact;
    *out_length = s_arabic_folds (self);
    if (slot && used <= S_CACHED && *out_length <= S_CACHED) {
        slot->length = (unsigned char) length;
        slot->folded_length = (unsigned char) used;
        slot->exact_length = (unsigned char) *out_length;
        slot->script = (char) self->script;
        memcpy (slot->token, token, (size_t) length);
        memcpy (slot->folded, self->folded, (size_t) used);
        memcpy (slot->exact, self->exact, (size_t) *out_length);
    }
    return self->script;
}

int
archive_words_stem (archive_words_t *self, char letter, const char **out, int *out_length)
{
    size_t i = 0;
    while (i < S_STEMMERS && s_stemmers [i].letter != letter)
        i++;
    if (i == S_STEMMERS || !self->script)
        return -1;
    int length = self->folded_length;
    s_cached_t *slot = NULL;
    if (length <= S_CACHED) {
        uint32_t hash = 2166136261u ^ (unsigned char) letter;
        for (int c = 0; c < length; c++)
            hash = (hash ^ (unsigned char) self->folded [c]) * 16777619u;
        slot = &self->cache [hash % S_CACHE];
        if (slot->letter == letter && slot->length == length
        &&  memcmp (slot->word, self->folded, (size_t) length) == 0) {
            self->stem [0] = ARCHIVE_WORDS_STEM [0];
            memcpy (self->stem + 1, slot->stem, slot->stem_length);
            *out = self->stem;
            *out_length = slot->stem_length + 1;
            return 0;
        }
    }
    const sb_symbol *stem = sb_stemmer_stem (self->stemmers [i],
                                             (const sb_symbol *) self->folded, length);
    int stem_length = stem ? sb_stemmer_length (self->stemmers [i]) : 0;
    if (!stem || stem_length + 1 > (int) sizeof self->stem)
        return -1;
    self->stem [0] = ARCHIVE_WORDS_STEM [0];
    memcpy (self->stem + 1, stem, (size_t) stem_length);
    *out = self->stem;
    *out_length = stem_length + 1;
    if (slot && stem_length <= S_CACHED) {
        slot->letter = letter;
        slot->length = (unsigned char) length;
        slot->stem_length = (unsigned char) stem_length;
        memcpy (slot->word, self->folded, (size_t) length);
        memcpy (slot->stem, stem, (size_t) stem_length);
    }
    return 0;
}

char
archive_words_stemmer (archive_words_t *self, const char *language)
{
    return self->script == ARCHIVE_SCRIPT_ARABIC ? 'a'
         : self->script == ARCHIVE_SCRIPT_CYRILLIC ? 'r'
         : self->script == ARCHIVE_SCRIPT_LATIN ? archive_words_latin (language) : 0;
}

int
archive_words_segment (archive_words_t *self, const char *text, int size, int count,
                       int *starts)
{
    //  a CJK character is one or two UTF-16 units: at most two per byte third
    int need = size + 1;
    if (need > self->run_size) {
        UChar *run = realloc (self->run, (size_t) need * sizeof *run);
        if (run)
            self->run = run;
        int *unit_char = run ? realloc (self->unit_char, (size_t) need * sizeof *unit_char)
                             : NULL;
        if (!unit_char)
            return -1;
        self->unit_char = unit_char;
        self->run_size = need;
    }
    int32_t units = 0;
    int character = 0;
    for (int i = 0; i < size && character < count;) {
        UChar32 cp;
        U8_NEXT ((const uint8_t *) text, i, size, cp);
        if (cp < 0)
            cp = 0xFFFD;
        UBool failed = 0;
        int32_t first = units;
        U16_APPEND (self->run, units, need, cp, failed);
        if (failed)
            return -1;
        for (int32_t u = first; u < units; u++)
            self->unit_char [u] = character;
        character++;
    }
    UErrorCode error = U_ZERO_ERROR;
    ubrk_setText (self->breaker, self->run, units, &error);
    if (U_FAILURE (error))
        return -1;
    int words = 0;
    for (int32_t at = ubrk_first (self->breaker); at != UBRK_DONE && at < units;
         at = ubrk_next (self->breaker))
        if (words < count)
            starts [words++] = self->unit_char [at];
    ubrk_setText (self->breaker, NULL, 0, &error);
    return words;
}

//  --------------------------------------------------------------------------
//  Self-test

//  The stem of WORD (folded first) by LETTER, without its mark, into OUT.
static void
s_stem_of (archive_words_t *self, const char *word, char letter, char *out, size_t size)
{
    const char *exact, *stem;
    int length, stem_length;
    archive_words_fold (self, word, (int) strlen (word), &exact, &length);
    if (archive_words_stem (self, letter, &stem, &stem_length))
        snprintf (out, size, "(none)");
    else
        snprintf (out, size, "%.*s", stem_length - 1, stem + 1);
}

int
archive_words_test (int verbose)
{
    int failures = 0;
    archive_words_t *self = archive_words_new ();
    if (!self) {
        fprintf (stderr, "archive_words: cannot make one (ICU data, libstemmer)\n");
        return -1;
    }
    //  exact forms: NFKC, case, digits of every script, Arabic normalisation
    static const struct {
        const char *word, *exact;
        int script;
    } folds [] = {
        { "budget",      "budget",      ARCHIVE_SCRIPT_LATIN },
        { "ｃｃｍ",       "ccm",         ARCHIVE_SCRIPT_LATIN },
        { "ＣＣＭ",       "ccm",         ARCHIVE_SCRIPT_LATIN },
        { "ﬁnance",      "finance",     ARCHIVE_SCRIPT_LATIN },
        { "٢٠٢٥",        "2025",        ARCHIVE_SCRIPT_NONE },
        { "۲۰۲۵",        "2025",        ARCHIVE_SCRIPT_NONE },
        { "2025",        "2025",        ARCHIVE_SCRIPT_NONE },
        { "الأطراف",     "الاطراف",     ARCHIVE_SCRIPT_ARABIC },
        { "مُؤْتَمَرُ",  "مؤتمر",       ARCHIVE_SCRIPT_ARABIC },
        { "الميزانية",   "الميزانيه",   ARCHIVE_SCRIPT_ARABIC },
        { "отчёт",       "отчет",       ARCHIVE_SCRIPT_CYRILLIC },
        { "ﻻ",           "لا",          ARCHIVE_SCRIPT_ARABIC },
    };
    for (size_t i = 0; i < sizeof folds / sizeof folds [0]; i++) {
        const char *exact;
        int length;
        int script = archive_words_fold (self, folds [i].word, (int) strlen (folds [i].word),
                                         &exact, &length);
        if (script != folds [i].script || (size_t) length != strlen (folds [i].exact)
        ||  memcmp (exact, folds [i].exact, (size_t) length)) {
            failures++;
            fprintf (stderr, "archive_words: '%s' folded to '%.*s' script %d, want '%s' %d\n",
                     folds [i].word, length, exact, script, folds [i].exact, folds [i].script);
        }
    }
    //  word forms that record-keepers mean alike (issue 12), and apart
    static const struct {
        char letter;
        const char *a, *b;
        int same;
    } stems [] = {
        { 'e', "budgets", "budget", 1 },        { 'e', "mine", "mines", 1 },
        { 'e', "cleared", "clearing", 1 },      { 's', "mina", "minas", 1 },
        { 'r', "мина", "мины", 1 },             { 'r', "мины", "мин", 1 },
        { 'r', "разминирование", "разминировании", 1 },
        { 'a', "ميزانية", "الميزانية", 1 },     { 'a', "ألغام", "الألغام", 1 },
        { 'a', "الالغام", "للألغام", 1 },       { 'f', "réunion", "réunions", 1 },
        { 'e', "budget", "mine", 0 },           { 'r', "мина", "бюджет", 0 },
    };
    for (size_t i = 0; i < sizeof stems / sizeof stems [0]; i++) {
        char a [128], b [128];
        s_stem_of (self, stems [i].a, stems [i].letter, a, sizeof a);
        s_stem_of (self, stems [i].b, stems [i].letter, b, sizeof b);
        if ((strcmp (a, b) == 0) != stems [i].same) {
            failures++;
            fprintf (stderr, "archive_words: %c '%s' -> '%s', '%s' -> '%s'\n", stems [i].letter,
                     stems [i].a, a, stems [i].b, b);
        }
        else
        if (verbose)
            fprintf (stderr, "archive_words: ok %c %s=%s %s=%s\n", stems [i].letter,
                     stems [i].a, a, stems [i].b, b);
    }
    //  a word without letters of a stemmed script has no stem
    const char *out;
    int length;
    archive_words_fold (self, "2025", 4, &out, &length);
    if (archive_words_stem (self, 'e', &out, &length) == 0 || archive_words_stemmer (self, "en")) {
        failures++;
        fprintf (stderr, "archive_words: 2025 has a stem\n");
    }
    archive_words_fold (self, "бюджет", (int) strlen ("бюджет"), &out, &length);
    if (archive_words_stemmer (self, "fr") != 'r' || archive_words_latin ("fr") != 'f'
    ||  archive_words_latin ("zh") != 'e' || archive_words_latin (NULL) != 'e') {
        failures++;
        fprintf (stderr, "archive_words: the stemmers are not chosen by script and language\n");
    }
    //  Chinese words: 大会议程 is 大会 | 议程, so 会议 is no word of it
    static const struct {
        const char *run;
        int count;
        const char *starts;
    } runs [] = {
        { "大会议程", 4, "0 2" },
        { "会议", 2, "0" },
        { "预算和工作计划", 7, "0 2 3 5" },
    };
    for (size_t i = 0; i < sizeof runs / sizeof runs [0]; i++) {
        int starts [16], words = archive_words_segment (self, runs [i].run,
                                                        (int) strlen (runs [i].run),
                                                        runs [i].count, starts);
        char got [64] = "";
        for (int w = 0; w < words; w++)
            snprintf (got + strlen (got), sizeof got - strlen (got), "%s%d", w ? " " : "",
                      starts [w]);
        if (strcmp (got, runs [i].starts)) {
            failures++;
            fprintf (stderr, "archive_words: '%s' segmented at '%s', want '%s'\n", runs [i].run,
                     got, runs [i].starts);
        }
    }
    archive_words_destroy (&self);
    return failures ? -1 : 0;
}

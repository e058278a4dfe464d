/*  archive_words — one word as the archive indexes it, and Chinese words.

    The tokenizer (archive_tokenizer.c) finds words; this class says what
    each one is, with libraries rather than hand tables where Unicode has
    the answer:

    - its exact form: NFKC with case folding (ICU's nfkc_cf: full-width
      ＣＣＭ is ccm, the ligature ﬁ is fi), the decimal digits of every
      script as ASCII (٢٠٢٥ and ۲۰۲۵ are 2025: ICU's digit values), then
      the Arabic normalisation Lucene's ArabicNormalizer does (harakat and
      tatweel dropped, أ إ آ ٱ → ا, ى → ي, ة → ه) and Russian ё → е;
    - its stem, by Snowball's stemmer of its language (libstemmer): Arabic
      for Arabic script, Russian for Cyrillic, and for Latin script the
      stemmer the caller names (English, French or Spanish).  The stemmer
      sees the word before the Arabic normalisation, which its own rules
      expect (it strips the article ال and the prefixes and suffixes it
      knows, and reads ة itself).  A stem is written after the mark
      ARCHIVE_WORDS_STEM, so that it never equals an exact form: "\x01"
      "budget".  Stems of every stemmer share that one namespace: scripts
      keep Arabic, Russian and Latin stems apart, and a Latin stem that two
      languages share (budget, plan) is one token, so that a search of any
      language asks one stem where the stemmers agree (mina, minas and the
      French mines are all min, which a multilingual archive wants);
    - for a run of Chinese or Japanese characters, its words by ICU's
      dictionary word breaker (大会议程 is 大会 | 议程), so that a text where
      a query is a word of its own can rank above one where its characters
      straddle two words.

    One object per tokenizer (stemmers and ICU iterators are not shared
    between threads); results are borrowed until the next call. */
#ifndef ARCHIVE_WORDS_H_INCLUDED
#define ARCHIVE_WORDS_H_INCLUDED

#include <stddef.h>

//  The first byte of a stem token, and of a Chinese word token: bytes no
//  exact form holds (the tokenizer emits no control character).
#define ARCHIVE_WORDS_STEM "\x01"
#define ARCHIVE_WORDS_WORD "\x02"

//  A word longer than this is indexed as it is, without folding or stem.
#define ARCHIVE_WORDS_MAX 256

//  The scripts that have a stemmer.
typedef enum {
    ARCHIVE_SCRIPT_NONE,            //  digits, Greek, ...: no stem
    ARCHIVE_SCRIPT_LATIN,
    ARCHIVE_SCRIPT_CYRILLIC,
    ARCHIVE_SCRIPT_ARABIC
} archive_script_t;

typedef struct _archive_words_t archive_words_t;

//  A new one.  NULL when ICU's data or a stemmer cannot be had (or out of
//  memory).
archive_words_t *archive_words_new (void);

//  Free it.  NULL-safe; sets *SELF_P to NULL.
void archive_words_destroy (archive_words_t **self_p);

//  The letter of the Snowball stemmer for LANGUAGE's Latin-script words
//  (en e, fr f, es s); 'e' for any other language or NULL (English, the
//  working language most documents are in).
char archive_words_latin (const char *language);

//  Fold the word TOKEN (LENGTH bytes, as FTS5's unicode61 gave it: lower
//  case, Latin diacritics removed) into its exact form, *OUT (*OUT_LENGTH
//  bytes; borrowed), and say which script its letters are.  -1 out of
//  memory; else the script.  A word longer than ARCHIVE_WORDS_MAX is its
//  own exact form, without a script.
int archive_words_fold (archive_words_t *self, const char *token, int length,
                        const char **out, int *out_length);

//  The stem of the word last folded, by the stemmer of LETTER ('a' 'e'
//  'f' 'r' 's'), with its mark: *OUT (borrowed), *OUT_LENGTH bytes.  0, or
//  -1 when the last word has no script or out of memory.  Stems are
//  remembered: a word stemmed before is looked up.
int archive_words_stem (archive_words_t *self, char letter, const char **out,
                        int *out_length);

//  The stemmer of the word last folded in a document of LANGUAGE: by its
//  script, Latin by archive_words_latin (LANGUAGE).  0 when it has none.
char archive_words_stemmer (archive_words_t *self, const char *language);

//  The words of a run of COUNT CJK characters, TEXT holding them one after
//  the other (UTF-8, SIZE bytes, nothing between them): into STARTS the
//  index of each word's first character (COUNT entries at most).  The
//  number of words, or -1 out of memory.
int archive_words_segment (archive_words_t *self, const char *text, int size, int count,
                           int *starts);

//  True when code point CP is CJK (Han, kana, Hangul): indexed by characters.
int archive_words_is_cjk (unsigned cp);

//  What the text TEXT (LENGTH bytes of UTF-8) holds: 1 when it has a letter
//  of a script with a stemmer (its words then have stems), else 0; into
//  *CJK the number of its characters when every one is CJK, else 0; into
//  *INDEXED whether it has a letter or a digit at all (else it makes no
//  token).
int archive_words_letters (const char *text, size_t length, int *cjk, int *indexed);

//  Self-test; 0 when all checks pass.
int archive_words_test (int verbose);

#endif

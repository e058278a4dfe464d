/*  archive_tokenizer — the FTS5 tokenizer "plenary" for the six UN languages.

    Why a tokenizer of our own: FTS5's unicode61 finds words by spaces, so a
    Chinese or Japanese sentence is one long "word" and 会议 inside it is
    never found; its trigram tokenizer finds substrings but not the
    two-character words that make up most of Chinese (会议, 预算), and it
    would give up word semantics (and diacritic folding) for the other five
    languages.  So this tokenizer splits text into runs:

    - CJK runs (Han, kana, Hangul) are indexed a character per position:
      its unigram, and colocated with it (FTS5_TOKEN_COLOCATED) the bigram
      it starts and, where ICU's dictionary says a word starts there, the
      word (ARCHIVE_WORDS_WORD and its characters: archive_words.h).  A
      query turns a run into its bigrams and the unigram of its last
      character, as a phrase ("预算执行" = 预算 算执 执行 行 at consecutive
      positions), a lone character into its unigram.  So any one- or
      two-character word, and any longer string, is found where it occurs
      and nowhere else, selectively (bigrams are rare where single
      characters are not), and a highlight spans exactly the word; the word
      tokens let a search rank a text where 会议 is a word above one where
      it straddles two (大会|议程).
    - other runs go to FTS5's own unicode61 with remove_diacritics 2 (é→e,
      case folding for Latin, Cyrillic, Greek) and with combining marks
      kept inside words (Mn); each word is then folded to its exact form
      (NFKC with case folding, digits of every script as ASCII, Arabic
      normalisation: archive_words.h) and, colocated with it, its Snowball
      stem: Arabic script by the Arabic stemmer, Cyrillic by the Russian,
      Latin by the stemmer of the document's language (English, French,
      Spanish; English for the others), unless the stem is the exact form
      itself (budget, plan: a third of the words), which a search of stems
      asks beside each stem.  A quoted phrase matches the exact forms; a
      search word matches its stem too (archive_query.h).

    The document's language reaches the tokenizer in the row itself: the
    index's first column, lang, is ARCHIVE_TOKENIZER_LANGUAGE and the item's
    language code (the view item_text gives it), which FTS5 tokenizes
    before the title and the body of the same row, whether it indexes,
    deletes or rebuilds it.  The tokenizer takes it as the language of the
    texts that follow and gives lang no token.

    Text extracted from PDFs: in documents (not queries) a CJK run continues
    across a line break and the blank space around it (a line break inside a
    Chinese word is not a word boundary), and page furniture — lines that
    hold only a job number (GE.20-12982), the document's symbol, dates and
    page numbers — is skipped, so a header between two halves of a word
    does not split it either.  Offsets always point into the original text,
    so snippet() and highlight() show it as released. */
#ifndef ARCHIVE_TOKENIZER_H_INCLUDED
#define ARCHIVE_TOKENIZER_H_INCLUDED

#include <sqlite3.h>
#include <stddef.h>

#define ARCHIVE_TOKENIZER_NAME "plenary"

//  Marks a query string may begin with (noncharacters U+FDD0..U+FDDF: never
//  in text; archive_query blanks any a caller types).  In this order:
//
//  MATCH_ONLY: for matching only: its last CJK run of two characters or
//  more ends without the unigram of its last character ("会议" is the one
//  token 会议, not the phrase 会议 议).  It matches exactly the same items
//  at the same positions with the same counts (in a document the bigram at
//  a position implies the unigram at the next), but as one token, not a
//  phrase whose second token (a single character) occurs everywhere: the
//  search walks a common Chinese word's matches ten times faster.  The
//  unmarked form stays for snippets, whose highlight must span the word.
#define ARCHIVE_TOKENIZER_MATCH_ONLY "\xEF\xB7\x90"
//  STEMS...: each word of the string is its stem and the exact form equal
//  to that stem (colocated alternatives, several where several stemmers
//  may apply), a word without one its exact form:
//  Latin words by every Latin stemmer (STEMS), or by one (STEMS_EN, _FR,
//  _ES: the search is of that language's items, archive_tokenizer_stems).
#define ARCHIVE_TOKENIZER_STEMS      "\xEF\xB7\x91"
#define ARCHIVE_TOKENIZER_STEMS_EN   "\xEF\xB7\x92"
#define ARCHIVE_TOKENIZER_STEMS_FR   "\xEF\xB7\x93"
#define ARCHIVE_TOKENIZER_STEMS_ES   "\xEF\xB7\x94"
//  WORD: each CJK run of the string is one Chinese word token.
#define ARCHIVE_TOKENIZER_WORD       "\xEF\xB7\x95"
//  LANGUAGE: a document text that is this and a language code ("en") sets
//  the language of the texts that follow (the lang column).
#define ARCHIVE_TOKENIZER_LANGUAGE   "\xEF\xB7\x9F"
//  ONLY: a text that is this, then ARCHIVE_WORDS_STEM when stems are
//  wanted, then each Chinese word wanted (ARCHIVE_WORDS_WORD and its
//  characters), says that the texts that follow are tokenized for those
//  tokens only: no stem unless wanted, no word but those (a snippet's
//  search needs no more, and skips the stemmers and the word breaker);
//  LANGUAGE ends it.  Positions and exact forms are the same.
#define ARCHIVE_TOKENIZER_ONLY       "\xEF\xB7\x9E"

//  The mark of stems for a search of items in LANGUAGE (NULL: any).
const char *archive_tokenizer_stems (const char *language);

//  The FTS5 expression EXPRESSION for matching only: each of its strings
//  ("...", quotes inside doubled) begins with ARCHIVE_TOKENIZER_MATCH_ONLY.
//  The same items match, with the same bm25; snippets need EXPRESSION.  0,
//  or -1 when OUT (SIZE bytes) is too small or a string is not closed.
int archive_tokenizer_match_only (const char *expression, char *out, size_t size);

//  A phrase of a search's union (archive_tokenizer_match_any): its AND
//  group, and where its string (quotes and a prefix's star included) is in
//  the union's expression, which names it.
typedef struct {
    int group;
    int offset, length;
} archive_phrase_t;

//  The union of the phrases of EXPRESSION, for matching only: from
//  ("a" OR "b") AND ("c" *) the expression "a" OR "b" OR "c" * (each string
//  marked as by archive_tokenizer_match_only) into OUT, and each phrase's
//  group (0, 0, 1) and place into PHRASES (MAX entries).  Returns the number
//  of phrases; 0 when EXPRESSION is not such an AND of ORs (it excludes
//  words: NOT), -1 when OUT or PHRASES is too small.
int archive_tokenizer_match_any (const char *expression, char *out, size_t size,
                                 archive_phrase_t *phrases, int max);

//  DB's FTS5 API, through which tokenizers and functions are registered and
//  found.  NULL when DB has no FTS5.
fts5_api *archive_tokenizer_fts5 (sqlite3 *db);

//  Register the tokenizer with DB's FTS5.  0, or -1 when DB has no FTS5.
int archive_tokenizer_register (sqlite3 *db);

//  Self-test on an in-memory database (archive_tokenizer_test.c); 0 when
//  all checks pass.
int archive_tokenizer_test (int verbose);

#endif

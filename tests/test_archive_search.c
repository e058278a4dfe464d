/*  test_archive_search — search that finds what record-keepers mean (issue
    12), on a corpus with known answers, in process.

    The corpus (test_archive_search_data.c) is a few hundred documents in
    the six languages made so that every answer is known: each search of a
    word form must find every document of its concept in its language, the
    documents holding the very form typed first, and a quoted form only
    those; the operators find the sets their logic says; a Chinese word
    ranks the texts where it is a word above those where it straddles two.
    Then what a symbol finds (its family first), what document.show shows
    of a family, exact bytes and hashes, changes of metadata, and the
    filters that forgive.  Every search is also checked against SQLite's
    own FTS5 by test_archive's oracle; this test checks what the searches
    are for.

    Usage: test_archive_search [-v] */
#include "test_archive_fixture.h"
#include "test_archive_search_data.h"
#include "pl_proto.h"
#include "pl_test.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


//  Documents of each form of each concept; of each pair of concepts.
#define S_PER_FORM 6
#define S_PER_PAIR 4
#define S_DOCUMENTS_MAX 512

//  A document released, with what it holds.
typedef struct {
    char key [80];                  //  symbol:language, the hit's id
    const char *language;
    unsigned concepts;
    const char *form;               //  the form it holds (one concept), else NULL
} s_document_t;

static s_document_t s_documents [S_DOCUMENTS_MAX];
static size_t s_count;
static int s_verbose;

//  Release a document of LANGUAGE whose text is the language's sentence
//  with WORDS in its middle; remember it with CONCEPTS and FORM.  0 or -1.
static int
s_release (archive_fixture_t *f, const char *language, const char *sentence, const char *words,
           unsigned concepts, const char *form)
{
    if (s_count == S_DOCUMENTS_MAX)
        return -1;
    s_document_t *document = &s_documents [s_count];
    char symbol [40], text [2048];
    snprintf (symbol, sizeof symbol, "CCM/MSP/2040/%zu", s_count + 1);
    size_t half = strlen (sentence) / 2;
    while (half && sentence [half] != ' ')
        half--;
    snprintf (text, sizeof text, "%.*s %s%s", (int) half, sentence, words, sentence + half);
    json_t *payload = json_pack ("{s:s, s:s, s:s, s:s}", "symbol", symbol, "language", language,
                                 "title", "Document of the corpus", "text", text);
    if (archive_fixture_event (f, 0, "document.released", payload, NULL) != 1)
        return -1;
    snprintf (document->key, sizeof document->key, "%s:%s", symbol, language);
    document->language = language;
    document->concepts = concepts;
    document->form = form;
    s_count++;
    return 0;
}

//  The sentence of LANGUAGE.
static const char *
s_sentence (const char *language)
{
    for (size_t i = 0; i < corpus_language_count; i++)
        if (strcmp (corpus_languages [i].code, language) == 0)
            return corpus_languages [i].sentence;
    return "";
}

//  The first form of CONCEPT in LANGUAGE.
static const char *
s_first_form (const char *language, unsigned concept)
{
    for (size_t i = 0; i < corpus_concept_count; i++)
        if (corpus_concepts [i].concept == concept
        &&  strcmp (corpus_concepts [i].language, language) == 0)
            return corpus_concepts [i].forms [0];
    return NULL;
}

//  Release the corpus.  0 or -1.
static int
s_corpus (archive_fixture_t *f)
{
    for (size_t c = 0; c < corpus_concept_count; c++) {
        const corpus_concept_t *concept = &corpus_concepts [c];
        for (size_t k = 0; concept->forms [k]; k++)
            for (int n = 0; n < S_PER_FORM; n++)
                if (s_release (f, concept->language, s_sentence (concept->language),
                               concept->forms [k], concept->concept, concept->forms [k]))
                    return -1;
    }
    for (size_t p = 0; p < corpus_pair_count; p++) {
        char words [128] = "";
        for (unsigned bit = 1; bit <= CORPUS_MEET; bit <<= 1)
            if (corpus_pairs [p] & bit)
                snprintf (words + strlen (words), sizeof words - strlen (words), "%s%s",
                          *words ? " " : "", s_first_form ("en", bit));
        for (int n = 0; n < S_PER_PAIR; n++)
            if (s_release (f, "en", s_sentence ("en"), words, corpus_pairs [p], NULL))
                return -1;
    }
    for (int n = 0; n < S_PER_FORM; n++)
        if (s_release (f, "zh", corpus_chinese_word, "", 0, "word")
        ||  s_release (f, "zh", corpus_chinese_across, "", 0, "across"))
            return -1;
    return 0;
}

//  Ask archive.search ARGS (taken) as ROLE; the reply (caller owns) or NULL.
static json_t *
s_search (archive_fixture_t *f, json_t *args, const char *role)
{
    int status;
    if (!json_object_get (args, "page_size"))
        json_object_set_new (args, "page_size", json_integer (100));
    json_t *reply = archive_fixture_ask (f, "archive.search", args, role, &status);
    if (!reply)
        fprintf (stderr, "test_archive_search: a search failed (%d)\n", status);
    return reply;
}

//  The index of document KEY, or -1.
static int
s_document (const char *key)
{
    for (size_t i = 0; i < s_count; i++)
        if (strcmp (s_documents [i].key, key) == 0)
            return (int) i;
    return -1;
}

//  Each form of each concept, in its language: every document of the
//  concept, those with the form first; a quoted form, those only.
static int
test_forms (archive_fixture_t *f)
{
    json_t *reply = NULL;
    for (size_t c = 0; c < corpus_concept_count; c++) {
        const corpus_concept_t *concept = &corpus_concepts [c];
        size_t expected = 0;
        for (size_t d = 0; d < s_count; d++)
            expected += (s_documents [d].concepts & concept->concept)
                     && strcmp (s_documents [d].language, concept->language) == 0;
        for (size_t k = 0; concept->forms [k]; k++) {
            const char *form = concept->forms [k];
            reply = s_search (f, json_pack ("{s:s, s:s}", "q", form, "language",
                                            concept->language), "public");
            CHECK (reply);
            json_t *items = json_object_get (reply, "items");
            if ((size_t) json_integer_value (json_object_get (reply, "total")) != expected) {
                fprintf (stderr, "test_archive_search: '%s' (%s) found %lld, want %zu\n", form,
                         concept->language,
                         (long long) json_integer_value (json_object_get (reply, "total")),
                         expected);
                goto fail;
            }
            //  the very form first: S_PER_FORM documents hold it alone
            for (size_t i = 0; i < S_PER_FORM; i++) {
                int d = s_document (json_string_value (json_object_get (json_array_get (items, i),
                                                                        "id")));
                CHECK (d >= 0);
                if (!s_documents [d].form || strcmp (s_documents [d].form, form)) {
                    fprintf (stderr, "test_archive_search: '%s' (%s): hit %zu holds '%s'\n",
                             form, concept->language, i + 1,
                             s_documents [d].form ? s_documents [d].form : "two concepts");
                    goto fail;
                }
            }
            json_decref (reply);
            //  quoted: the very form only
            char quoted [128];
            snprintf (quoted, sizeof quoted, "\"%s\"", form);
            reply = s_search (f, json_pack ("{s:s, s:s}", "q", quoted, "language",
                                            concept->language), "public");
            CHECK (reply);
            size_t holding = 0;
            for (size_t d = 0; d < s_count; d++)
                holding += s_documents [d].form && strcmp (s_documents [d].form, form) == 0
                        && strcmp (s_documents [d].language, concept->language) == 0;
            if (concept->concept & (CORPUS_BUDGET | CORPUS_MINE | CORPUS_CLEAR)
            &&  strcmp (concept->language, "en") == 0 && k == 0)
                holding += 2 * S_PER_PAIR;      //  the pairs hold the first forms
            CHECK ((size_t) json_integer_value (json_object_get (reply, "total")) == holding);
            json_decref (reply);
            reply = NULL;
            if (s_verbose)
                fprintf (stderr, "test_archive_search: ok %s '%s' %zu\n", concept->language,
                         form, expected);
        }
    }
    return 0;
fail:
    json_decref (reply);
    return -1;
}

//  The operators: the sets their logic says, of English items.
static int
test_operators (archive_fixture_t *f)
{
    json_t *reply = NULL;
    for (size_t b = 0; b < corpus_boolean_count; b++) {
        const corpus_boolean_t *row = &corpus_booleans [b];
        reply = s_search (f, json_pack ("{s:s, s:s}", "q", row->q, "language", "en"),
                          "public");
        CHECK (reply);
        size_t expected = 0, found = 0;
        for (size_t d = 0; d < s_count; d++) {
            const s_document_t *document = &s_documents [d];
            int wanted = strcmp (document->language, "en") == 0
                      && (document->concepts & row->all) == row->all
                      && (!row->any || (document->concepts & row->any))
                      && !(document->concepts & row->none);
            expected += wanted;
            size_t i;
            json_t *hit;
            int hit_found = 0;
            json_array_foreach (json_object_get (reply, "items"), i, hit)
                hit_found |= strcmp (json_string_value (json_object_get (hit, "id")),
                                     document->key) == 0;
            if (hit_found != wanted) {
                fprintf (stderr, "test_archive_search: '%s' %s %s\n", row->q,
                         wanted ? "misses" : "finds", document->key);
                goto fail;
            }
            found += hit_found;
        }
        CHECK (expected > 0 && found == expected
               && (size_t) json_integer_value (json_object_get (reply, "total")) == expected);
        json_decref (reply);
        reply = NULL;
    }
    //  a prefix is of exact forms: budg* finds the budget forms, not a stem
    reply = s_search (f, json_pack ("{s:s, s:s}", "q", "budg*", "language", "en"), "public");
    CHECK (reply && json_integer_value (json_object_get (reply, "total"))
                    == 3 * S_PER_FORM + 2 * S_PER_PAIR);
    json_decref (reply);
    //  errors name the word at fault
    int status;
    reply = archive_fixture_ask (f, "archive.search", json_pack ("{s:s}", "q", "budget OR"),
                                 "public", &status);
    CHECK (!reply && status == 400);
    return 0;
fail:
    json_decref (reply);
    return -1;
}

//  Chinese: 会议 where it is a word first, then where it straddles two.
static int
test_chinese (archive_fixture_t *f)
{
    json_t *reply = s_search (f, json_pack ("{s:s, s:s}", "q", "会议", "language", "zh"),
                              "public");
    CHECK (reply && json_integer_value (json_object_get (reply, "total")) == 2 * S_PER_FORM);
    size_t i;
    json_t *hit;
    json_array_foreach (json_object_get (reply, "items"), i, hit) {
        int d = s_document (json_string_value (json_object_get (hit, "id")));
        CHECK (d >= 0);
        CHECK (strcmp (s_documents [d].form, i < S_PER_FORM ? "word" : "across") == 0);
    }
    json_decref (reply);
    //  a phrase of its characters finds both alike
    reply = s_search (f, json_pack ("{s:s, s:s}", "q", "\"会议\"", "language", "zh"), "public");
    CHECK (reply && json_integer_value (json_object_get (reply, "total")) == 2 * S_PER_FORM);
    json_decref (reply);
    return 0;
fail:
    json_decref (reply);
    return -1;
}

//  The total of a search of Q (and a filter NAME = VALUE when not NULL)
//  as ROLE; -1 on failure.
static long long
s_total (archive_fixture_t *f, const char *q, const char *name, const char *value,
         const char *role)
{
    json_t *args = json_pack ("{s:s}", "q", q);
    if (name)
        json_object_set_new (args, name, json_string (value));
    json_t *reply = s_search (f, args, role);
    long long total = reply ? json_integer_value (json_object_get (reply, "total")) : -1;
    json_decref (reply);
    return total;
}

//  NFKC with case folding, digits of every script: found by their forms.
static int
test_normalization (archive_fixture_t *f)
{
    json_t *payload = json_pack ("{s:s, s:s, s:s, s:s}", "symbol", "CCM/MSP/2044/1",
                                 "language", "en", "title", "Ｆｉｎａｎｃｅ of the ＣＣＭ",
                                 "text", "The ﬁnancial report for ٢٠٢٥ and ۲۰۲۶, Ｉｔｅｍ ７");
    CHECK (archive_fixture_event (f, 0, "document.released", payload, NULL) == 1);
    static const char *found [] = {
        "finance", "FINANCE", "ccm", "financial", "2025", "٢٠٢٥", "2026", "۲۰۲۶", "item 7",
        "\"item 7\"", "ＣＣＭ",
    };
    for (size_t i = 0; i < sizeof found / sizeof found [0]; i++)
        if (s_total (f, found [i], "symbol", "CCM/MSP/2044/*", "public") != 1) {
            fprintf (stderr, "test_archive_search: '%s' does not find ＣＣＭ ﬁnance\n", found [i]);
            goto fail;
        }
    return 0;
fail:
    return -1;
}

//  A statement by DELEGATION at MEETING citing DOCUMENT, in LANGUAGE.
static json_t *
s_statement (const char *meeting, const char *delegation, const char *document,
             const char *language, const char *text)
{
    return json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s}", "meeting", meeting, "delegation",
                      delegation, "language", language, "document", document, "delivered_at",
                      "2041-09-02T10:00:00+02:00", "text", text);
}

//  The ids of a reply's hits, comma-separated, into OUT.
static void
s_ids (const json_t *reply, char *out, size_t size)
{
    size_t i, used = 0;
    json_t *hit;
    *out = 0;
    json_array_foreach (json_object_get (reply, "items"), i, hit)
        used += (size_t) snprintf (out + used, size - used, "%s%s", i ? "," : "",
                                   json_string_value (json_object_get (hit, "id")));
}

//  A search by symbol: its family first, then the texts that mention it;
//  document.show of a family; what cites it; distribution respected.
static int
test_symbols (archive_fixture_t *f)
{
    json_t *reply = NULL;
    char ids [2048];
    CHECK (archive_fixture_event (f, 0, "meeting.scheduled", json_pack (
               "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", "ccm-msp41", "convention", "CCM",
               "kind", "msp", "title", "41MSP", "venue", "Geneva", "tz", "Europe/Zurich",
               "start", "2041-09-01", "end", "2041-09-04"), NULL) == 1);
    static const struct {
        const char *symbol, *language, *text;
    } releases [] = {
        { "CCM/MSP/2041/1",       "en", "Draft programme of work" },
        { "CCM/MSP/2041/1",       "fr", "Projet de programme de travail" },
        { "CCM/MSP/2041/1/Rev.1", "en", "Revised programme of work" },
        { "CCM/MSP/2041/1/Corr.1","fr", "Rectificatif au programme" },
        { "CCM/MSP/2041/1/Add.1", "ru", "Добавление к программе работы" },
        { "CCM/MSP/2041/2",       "en", "Notes on CCM/MSP/2041/1 and the schedule" },
    };
    for (size_t i = 0; i < sizeof releases / sizeof releases [0]; i++)
        CHECK (archive_fixture_event (f, 0, "document.released", json_pack (
                   "{s:s, s:s, s:s, s:s, s:s}", "symbol", releases [i].symbol, "language",
                   releases [i].language, "title", "Programme", "text", releases [i].text,
                   "meeting", "ccm-msp41"), NULL) == 1);
    CHECK (archive_fixture_event (f, 0, "outcome.adopted", json_pack (
               "{s:s, s:s, s:s, s:s, s:s, s:[s, s], s:s, s:s}", "meeting", "ccm-msp41", "id",
               "programme", "kind", "decision", "title", "Décision sur le programme",
               "adopted", "2041-09-04", "documents", "CCM/MSP/2041/2", "CCM/MSP/2041/1/Rev.1",
               "language", "fr", "text", "Le programme de travail est adopté"), NULL) == 1);
    CHECK (archive_fixture_event (f, 0, "statement.delivered",
               s_statement ("ccm-msp41", "FR", "CCM/MSP/2041/1/Corr.1", "fr",
                            "La France soutient le programme"), NULL) == 1);
    uint64_t statement = f->seq;
    //  the family first (the document, then by symbol), the outcome, the
    //  statement, then the text that mentions it
    reply = s_search (f, json_pack ("{s:s}", "q", "ccm/msp/2041/1"), "public");
    CHECK (reply);
    s_ids (reply, ids, sizeof ids);
    char want [1024];
    snprintf (want, sizeof want, "CCM/MSP/2041/1:en,CCM/MSP/2041/1:fr,"
              "CCM/MSP/2041/1/Add.1:ru,CCM/MSP/2041/1/Corr.1:fr,CCM/MSP/2041/1/Rev.1:en,"
              "ccm-msp41/programme,s%llu,CCM/MSP/2041/2:en", (unsigned long long) statement);
    if (strcmp (ids, want)) {
        fprintf (stderr, "test_archive_search: CCM/MSP/2041/1 finds\n  %s\n  want %s\n", ids,
                 want);
        goto fail;
    }
    //  those listed first have no score; the text that mentions it has
    json_t *items = json_object_get (reply, "items");
    CHECK (!json_object_get (json_array_get (items, 0), "score"));
    CHECK (json_integer_value (json_object_get (json_array_get (items, 0), "relevance")) == 100);
    CHECK (json_object_get (json_array_get (items, 7), "score"));
    json_decref (reply);
    //  a pattern: every symbol of it, and an outcome by any it cites
    CHECK (s_total (f, "CCM/MSP/2041/*", NULL, NULL, "public") == 8);
    CHECK (s_total (f, "CCM/MSP/2041/*", "kind", "outcome", "public") == 1);
    CHECK (s_total (f, "CCM/MSP/2041/2", "kind", "outcome", "public") == 1);
    //  in French: the base, its Corr., the outcome, the statement
    CHECK (s_total (f, "CCM/MSP/2041/1/Rev.1", "language", "fr", "public") == 4);
    //  document.show: the family in each language with dates, what cites it
    int status;
    reply = archive_fixture_ask (f, "document.show", json_pack ("{s:s}", "symbol",
                                 "CCM/MSP/2041/1"), "public", &status);
    CHECK (reply);
    json_t *family = json_object_get (reply, "family");
    CHECK (json_array_size (family) == 5);
    static const char *order [] = {
        "CCM/MSP/2041/1", "CCM/MSP/2041/1", "CCM/MSP/2041/1/Add.1", "CCM/MSP/2041/1/Corr.1",
        "CCM/MSP/2041/1/Rev.1"
    };
    for (size_t i = 0; i < 5; i++) {
        json_t *version = json_array_get (family, i);
        CHECK (strcmp (json_string_value (json_object_get (version, "symbol")), order [i]) == 0);
        CHECK (json_object_get (version, "released"));
    }
    json_t *cited = json_object_get (reply, "cited_by");
    CHECK (json_array_size (cited) == 2);
    CHECK (strcmp (json_string_value (json_object_get (json_array_get (cited, 1), "id")),
                   "ccm-msp41/programme") == 0);
    CHECK (strcmp (json_string_value (json_object_get (json_array_get (cited, 1), "language")),
                   "fr") == 0);
    CHECK (strcmp (json_string_value (json_object_get (json_array_get (cited, 0), "kind")),
                   "statement") == 0);
    json_decref (reply);
    //  a restricted family: nothing of it below the secretariat
    CHECK (archive_fixture_event (f, 0, "document.released", json_pack (
               "{s:s, s:s, s:s, s:s, s:s}", "symbol", "CCM/MSP/2042/1", "language", "en",
               "title", "Restricted", "text", "Closed", "distribution", "restricted"), NULL) == 1);
    CHECK (archive_fixture_event (f, 0, "document.released", json_pack (
               "{s:s, s:s, s:s, s:s}", "symbol", "CCM/MSP/2042/1/Rev.1", "language", "en",
               "title", "Revised", "text", "Open"), NULL) == 1);
    CHECK (s_total (f, "CCM/MSP/2042/1", NULL, NULL, "public") == 0);
    CHECK (s_total (f, "CCM/MSP/2042/1", NULL, NULL, "secretariat") == 2);
    reply = archive_fixture_ask (f, "document.show", json_pack ("{s:s}", "symbol",
                                 "CCM/MSP/2042/1/Rev.1"), "public", &status);
    CHECK (!reply && status == 404);
    return 0;
fail:
    json_decref (reply);
    return -1;
}

//  The released bytes kept and given back, their hash recorded; a hash in
//  any case; a new title or distribution a change of metadata, not a revision.
static int
test_exact_bytes (archive_fixture_t *f)
{
    static const char text [] = "Page one\fPage two\r\nwith ＣＣＭ\ttab\n";
    unsigned char hash [crypto_hash_sha256_BYTES];
    char hex [65], upper [65];
    crypto_hash_sha256 (hash, (const unsigned char *) text, strlen (text));
    sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
    for (int i = 0; i <= 64; i++)
        upper [i] = (char) (hex [i] >= 'a' && hex [i] <= 'f' ? hex [i] - 'a' + 'A' : hex [i]);
    static const char pdf [] = "ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789";
    json_t *reply = NULL;
    CHECK (archive_fixture_event (f, 0, "document.released", json_pack (
               "{s:s, s:s, s:s, s:s, s:s, s:s}", "symbol", "CCM/MSP/2043/1", "language", "en",
               "title", "First title", "text", text, "sha256", upper, "file_sha256", pdf),
               NULL) == 1);
    //  the same text, its hash in lower case, a new title: a change of metadata
    CHECK (archive_fixture_event (f, 0, "document.released", json_pack (
               "{s:s, s:s, s:s, s:s, s:s, s:s}", "symbol", "CCM/MSP/2043/1", "language", "en",
               "title", "Second title", "text", text, "sha256", hex, "file_sha256", pdf),
               NULL) == 1);
    uint64_t changed = f->seq;
    //  and a more restrictive distribution: another change
    CHECK (archive_fixture_event (f, 0, "document.released", json_pack (
               "{s:s, s:s, s:s, s:s, s:s, s:s}", "symbol", "CCM/MSP/2043/1", "language", "en",
               "title", "Second title", "text", text, "distribution", "limited",
               "file_sha256", pdf), NULL) == 1);
    int status;
    reply = archive_fixture_ask (f, "document.show", json_pack ("{s:s, s:s}", "symbol",
                                 "CCM/MSP/2043/1", "language", "en"), "secretariat", &status);
    CHECK (reply);
    json_t *versions = json_object_get (reply, "versions");
    CHECK (json_array_size (versions) == 1);
    json_t *version = json_array_get (versions, 0);
    CHECK (strcmp (json_string_value (json_object_get (version, "sha256")), hex) == 0);
    char lower_pdf [65];
    for (int i = 0; i <= 64; i++)
        lower_pdf [i] = (char) (pdf [i] >= 'A' && pdf [i] <= 'F' ? pdf [i] - 'A' + 'a' : pdf [i]);
    CHECK (strcmp (json_string_value (json_object_get (version, "file_sha256")), lower_pdf) == 0);
    CHECK (strcmp (json_string_value (json_object_get (version, "title")), "Second title") == 0);
    CHECK (strcmp (json_string_value (json_object_get (version, "released_as")), "limited") == 0);
    json_t *changes = json_object_get (version, "changes");
    CHECK (json_array_size (changes) == 2);
    json_t *first = json_array_get (changes, 0);
    CHECK ((uint64_t) json_integer_value (json_object_get (first, "seq")) == changed);
    CHECK (strcmp (json_string_value (json_object_get (first, "field")), "title") == 0);
    CHECK (strcmp (json_string_value (json_object_get (first, "before")), "First title") == 0);
    CHECK (strcmp (json_string_value (json_object_get (first, "after")), "Second title") == 0);
    CHECK (strcmp (json_string_value (json_object_get (json_array_get (changes, 1), "field")),
                   "distribution") == 0);
    //  the text given back is the bytes released, whose hash is the one shown
    json_t *given = json_object_get (reply, "text");
    CHECK (json_string_length (given) == strlen (text)
           && memcmp (json_string_value (given), text, strlen (text)) == 0);
    json_decref (reply);
    reply = NULL;
    //  the new title is searched, the old no longer; below limited, nothing
    CHECK (s_total (f, "\"second title\"", NULL, NULL, "secretariat") == 1);
    CHECK (s_total (f, "\"first title\"", NULL, NULL, "secretariat") == 0);
    CHECK (s_total (f, "\"second title\"", NULL, NULL, "public") == 0);
    //  a new text: revision 2
    CHECK (archive_fixture_event (f, 0, "document.released", json_pack (
               "{s:s, s:s, s:s, s:s}", "symbol", "CCM/MSP/2043/1", "language", "en",
               "title", "Second title", "text", "Another text"), NULL) == 1);
    reply = archive_fixture_ask (f, "document.show", json_pack ("{s:s}", "symbol",
                                 "CCM/MSP/2043/1"), "secretariat", &status);
    CHECK (reply && json_array_size (json_object_get (reply, "versions")) == 2);
    json_decref (reply);
    return 0;
fail:
    json_decref (reply);
    return -1;
}

//  Filters in any case, a convention by its symbols' prefix, dates in order.
static int
test_filters (archive_fixture_t *f)
{
    json_t *reply = NULL;
    CHECK (archive_fixture_event (f, 0, "document.released", json_pack (
               "{s:s, s:s, s:s, s:s}", "symbol", "APLC/MSP.22/2025/8", "language", "en",
               "title", "Budget", "text", "The budget of the convention"), NULL) == 1);
    long long en = s_total (f, "budget", "language", "en", "public");
    CHECK (en > 0 && s_total (f, "budget", "language", "EN", "public") == en);
    CHECK (s_total (f, "budget", "convention", "APMBC", "public") == 1);
    CHECK (s_total (f, "budget", "convention", "aplc", "public") == 1);
    CHECK (s_total (f, "budget", "convention", "apmbc", "public") == 1);
    CHECK (s_total (f, "budget", "convention", "ccm", "public")
           == s_total (f, "budget", "convention", "CCM", "public"));
    int status;
    reply = archive_fixture_ask (f, "archive.search", json_pack ("{s:s, s:s, s:s}", "q",
                                 "budget", "from", "2025-12-01", "to", "2025-01-01"), "public",
                                 &status);
    CHECK (!reply && status == 400);
    reply = archive_fixture_ask (f, "archive.search", json_pack ("{s:s, s:s}", "q", "budget",
                                 "language", "xx"), "public", &status);
    CHECK (!reply && status == 400);
    return 0;
fail:
    json_decref (reply);
    return -1;
}

int
main (int argc, char *argv [])
{
    s_verbose = argc > 1 && strcmp (argv [1], "-v") == 0;
    static const struct {
        const char *name;
        int (*run) (archive_fixture_t *);
    } s_tests [] = {
        { "forms",         test_forms },
        { "operators",     test_operators },
        { "chinese",       test_chinese },
        { "normalization", test_normalization },
        { "symbols",       test_symbols },
        { "exact_bytes",   test_exact_bytes },
        { "filters",       test_filters },
    };
    archive_fixture_t f;
    if (sodium_init () < 0 || archive_fixture_open (&f) || s_corpus (&f)) {
        fprintf (stderr, "test_archive_search: cannot release the corpus\n");
        return 1;
    }
    fprintf (stderr, "test_archive_search: released %zu documents\n", s_count);
    int failures = 0;
    for (size_t i = 0; i < sizeof s_tests / sizeof s_tests [0]; i++) {
        int rc = s_tests [i].run (&f);
        failures += rc != 0;
        fprintf (stderr, "test_archive_search: %s %s\n", s_tests [i].name, rc ? "FAILED" : "ok");
    }
    archive_fixture_close (&f);
    return failures ? 1 : 0;
}

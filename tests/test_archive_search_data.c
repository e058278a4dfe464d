/*  test_archive_search_data — the corpus of test_archive_search, as tables.

    A few hundred documents in the six languages are made from these: for
    each language a sentence of words the searches do not look for, and
    the word forms of a few concepts; each document holds that sentence
    with one form of one concept (or, for the operators, forms of two)
    put in its middle, so that every document of a language has the same
    length and the answer to each search is known: a search of any form
    finds every document of its concept, and those holding the very form
    typed first.  Chinese holds 会议 as a word of its own in some
    documents and across two words (大会|议程) in others. */
#include "test_archive_search_data.h"

#include <stddef.h>

const corpus_language_t corpus_languages [] = {
    { "en", "The representatives noted with appreciation the progress towards universal "
            "adherence and national implementation measures taken since the last session" },
    { "fr", "Les représentants ont noté avec satisfaction les progrès vers l'adhésion "
            "universelle et les mesures nationales prises depuis la dernière session" },
    { "es", "Los representantes observaron con satisfacción los progresos hacia la adhesión "
            "universal y las medidas nacionales adoptadas desde el último período" },
    { "ru", "Представители с удовлетворением отметили прогресс в направлении всеобщего "
            "присоединения и национальные меры принятые после последней сессии" },
    { "ar", "أشار الممثلون مع التقدير إلى التقدم المحرز نحو الانضمام العالمي والتدابير "
            "الوطنية المتخذة منذ الدورة الأخيرة" },
};
const size_t corpus_language_count = sizeof corpus_languages / sizeof corpus_languages [0];

//  Every form of a concept has its stem by its language's stemmer (the
//  self-test of archive_words checks the stemmers; this corpus, the search)
const corpus_concept_t corpus_concepts [] = {
    { "en", CORPUS_BUDGET, { "budget", "budgets", "budgeted" } },
    { "en", CORPUS_MINE,   { "mine", "mines", "mining" } },
    { "en", CORPUS_CLEAR,  { "cleared", "clearing", "clears" } },
    { "fr", CORPUS_MINE,   { "mine", "mines", "miner" } },
    { "fr", CORPUS_REPORT, { "rapport", "rapports" } },
    { "fr", CORPUS_MEET,   { "réunion", "réunions" } },
    { "es", CORPUS_MINE,   { "mina", "minas" } },
    { "es", CORPUS_BUDGET, { "presupuesto", "presupuestos" } },
    { "es", CORPUS_REPORT, { "informe", "informes" } },
    { "ru", CORPUS_MINE,   { "мина", "мины", "мин", "минами" } },
    { "ru", CORPUS_BUDGET, { "бюджет", "бюджета", "бюджету" } },
    { "ru", CORPUS_CLEAR,  { "разминирование", "разминировании", "разминирования" } },
    { "ar", CORPUS_BUDGET, { "ميزانية", "الميزانية", "للميزانية" } },
    { "ar", CORPUS_MINE,   { "ألغام", "الألغام", "للألغام" } },
    { "ar", CORPUS_REPORT, { "تقرير", "التقرير", "بالتقرير" } },
};
const size_t corpus_concept_count = sizeof corpus_concepts / sizeof corpus_concepts [0];

//  English documents with two concepts, for the operators: the first form
//  of each
const unsigned corpus_pairs [] = {
    CORPUS_BUDGET | CORPUS_MINE, CORPUS_BUDGET | CORPUS_CLEAR, CORPUS_MINE | CORPUS_CLEAR,
};
const size_t corpus_pair_count = sizeof corpus_pairs / sizeof corpus_pairs [0];

//  The operators, of English items: the documents whose concepts include
//  ALL, include one of ANY (when not 0) and none of NONE
const corpus_boolean_t corpus_booleans [] = {
    { "budget mine",                         CORPUS_BUDGET | CORPUS_MINE, 0, 0 },
    { "budgets AND mining",                  CORPUS_BUDGET | CORPUS_MINE, 0, 0 },
    { "budget NOT mine",                     CORPUS_BUDGET, 0, CORPUS_MINE },
    { "budget -mines",                       CORPUS_BUDGET, 0, CORPUS_MINE },
    { "budget OR mine",                      0, CORPUS_BUDGET | CORPUS_MINE, 0 },
    { "(budget OR mine) NOT clearing",       0, CORPUS_BUDGET | CORPUS_MINE, CORPUS_CLEAR },
    { "budget -(mine OR cleared)",           CORPUS_BUDGET, 0, CORPUS_MINE | CORPUS_CLEAR },
    { "(budget mine) OR (mine clears)",      CORPUS_MINE, CORPUS_BUDGET | CORPUS_CLEAR, 0 },
    { "mines NOT budget NOT clear",          CORPUS_MINE, 0, CORPUS_BUDGET | CORPUS_CLEAR },
};
const size_t corpus_boolean_count = sizeof corpus_booleans / sizeof corpus_booleans [0];

//  Chinese: 会议 a word of its own (各缔约国会议决定: 会议 | 决定), and
//  its characters across two words (本届大会议程: 大会 | 议程); the same
//  length in characters
const char *const corpus_chinese_word = "各缔约国会议决定加强合作";
const char *const corpus_chinese_across = "本届大会议程已经获得通过";

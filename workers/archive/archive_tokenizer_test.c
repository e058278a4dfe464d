/*  archive_tokenizer_test — the self-test of the tokenizer "plenary"
    (archive_tokenizer.h), on an in-memory FTS5 table: what each query
    matches, the tokens of queries in each mode, the expressions for
    matching only, snippets and highlights over the original text. */
#include "archive_tokenizer.h"
#include "archive_words.h"

#include <stdio.h>
#include <string.h>

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
    static const struct {
        const char *language, *text;
    } rows [] = {
        //  1: Chinese, with a word broken across lines and a page header between
        { "zh", "执行支助股 2026 年预算和工作计划。各缔约国会\n\nCCM/CONF/2020/14 \n\n"
                "GE.20-12982 3 \n\n议决定" },
        //  2: French with accents
        { "fr", "La Réunion des États parties a adopté le budget." },
        //  3: Arabic with harakat and hamza on alef, Arabic-Indic digits
        { "ar", "مُؤْتَمَرُ الدول الأطراف يعتمد الميزانية لعام ٢٠٢٥" },
        //  4: Russian
        { "ru", "Совещание государств-участников утвердило бюджет и отчёт о разминировании" },
        //  5: Japanese (kana and kanji)
        { "zh", "締約国会議は予算を承認した。クラスター弾" },
        //  6: English, full-width letters and a ligature
        { "en", "The Meeting of States Parties adopted the action plan on ＣＣＭ ﬁnance." },
        //  7: Chinese: 会议 straddles two words (大会 | 议程)
        { "zh", "大会议程" },
        //  8: Spanish
        { "es", "Las minas antipersonal y el presupuesto" },
    };
    static const struct {
        const char *query;
        int count;
    } checks [] = {
        { "预算", 1 },          //  a two-character word inside a run
        { "会议", 2 },          //  joined across the line break and the header; in 大会议程
        { "会", 3 },            //  a single character (also in 会議)
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
        //  stems: every form of the word, in its document's language
        { "\"" ARCHIVE_TOKENIZER_STEMS "budgets\"", 1 },
        { "\"" ARCHIVE_TOKENIZER_STEMS "adopt\"", 2 },            //  adopté (fr), adopted (en)
        { "\"" ARCHIVE_TOKENIZER_STEMS_EN "adopt\"", 2 },         //  English and French agree
        { "\"" ARCHIVE_TOKENIZER_STEMS "minas\"", 1 },            //  min, by the Spanish stemmer
        { "\"" ARCHIVE_TOKENIZER_STEMS_EN "minas\"", 0 },         //  mina, by the English
        { "\"" ARCHIVE_TOKENIZER_STEMS "reunions\"", 1 },
        { "\"" ARCHIVE_TOKENIZER_STEMS "mina\"", 1 },             //  minas (es)
        { "\"" ARCHIVE_TOKENIZER_STEMS "бюджета\"", 1 },
        { "\"" ARCHIVE_TOKENIZER_STEMS "разминирование\"", 1 },
        { "\"" ARCHIVE_TOKENIZER_STEMS "ميزانية\"", 1 },          //  الميزانية
        { "\"" ARCHIVE_TOKENIZER_STEMS "states parties\"", 1 },
        { "ميزانية", 0 },                                          //  exact forms apart
        { "budgets", 0 },
        { "adopt", 0 },
        //  folding: digits of every script, NFKC with case folding
        { "2025", 1 },
        { "\"۲۰۲۵\"", 1 },
        { "ccm", 1 },                               //  ＣＣＭ (CCM/CONF/2020/14 is furniture)
        { "finance", 1 },
        { "ＦＩＮＡＮＣＥ", 1 },
        //  Chinese words: 会议 is a word of row 1 only, not of 大会议程
        { "\"" ARCHIVE_TOKENIZER_WORD "会议\"", 1 },
        { "\"" ARCHIVE_TOKENIZER_WORD "议程\"", 1 },
        { "\"" ARCHIVE_TOKENIZER_WORD "会\"", 0 },
    };
    int failures = 0;
    sqlite3 *db = NULL;
    if (sqlite3_open (":memory:", &db) != SQLITE_OK || archive_tokenizer_register (db)
    ||  sqlite3_exec (db, "CREATE VIRTUAL TABLE t USING fts5 (lang, x, tokenize = 'plenary')",
                      NULL, NULL, NULL) != SQLITE_OK) {
        fprintf (stderr, "archive_tokenizer: cannot set up: %s\n", sqlite3_errmsg (db));
        sqlite3_close (db);
        return -1;
    }
    for (size_t i = 0; i < sizeof rows / sizeof rows [0]; i++) {
        sqlite3_stmt *stmt = NULL;
        sqlite3_prepare_v2 (db, "INSERT INTO t (lang, x) VALUES (?1 || ?2, ?3)", -1, &stmt,
                            NULL);
        sqlite3_bind_text (stmt, 1, ARCHIVE_TOKENIZER_LANGUAGE, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 2, rows [i].language, -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 3, rows [i].text, -1, SQLITE_STATIC);
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
    ||  archive_tokenizer_match_any ("((\"a\") AND (\"b\") OR \"c\")", out, sizeof out,
                                     phrases, 4) != 0
    ||  archive_tokenizer_match_any ("\"a\" OR \"b\"", out, sizeof out, phrases, 4) != 0
    ||  archive_tokenizer_match_any ("(\"a\") AND (\"b\")", out, sizeof out, phrases, 1) != -1
    ||  archive_tokenizer_match_any ("(\"a\") AND (\"b\")", out, 8, phrases, 4) != -1) {
        failures++;
        fprintf (stderr, "archive_tokenizer: the union form is wrong: '%s'\n", out);
    }
    //  adjacent matches stay in bounds (overlapping offsets once copied the rest)
    sqlite3_stmt *stmt = NULL;
    sqlite3_prepare_v2 (db, "SELECT snippet (t, 1, '[', ']', '…', 4) FROM t WHERE t MATCH '\"执行支助\"'",
                        -1, &stmt, NULL);
    if (sqlite3_step (stmt) != SQLITE_ROW
    ||  strcmp ((const char *) sqlite3_column_text (stmt, 0), "[执行支助]…") != 0) {
        failures++;
        fprintf (stderr, "archive_tokenizer: snippet gave '%s'\n",
                 (const char *) sqlite3_column_text (stmt, 0));
    }
    sqlite3_finalize (stmt);
    sqlite3_prepare_v2 (db, "SELECT highlight (t, 1, '[', ']') FROM t WHERE t MATCH '预算 算和 和工'",
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
    sqlite3_prepare_v2 (db, "SELECT highlight (t, 1, '[', ']') FROM t WHERE t MATCH '会议'",
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

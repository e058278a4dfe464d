/*  bench_archive_words — the synthetic archive of the archive benches.
    See bench_archive_words.h. */
#include "bench_archive_words.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Words of each language; Chinese and Japanese-like text is made of
//  characters from its pool without spaces.
static const struct {
    const char *language;
    const char *words [16];
} s_vocabulary [] = {
    { "en", { "meeting", "states", "parties", "convention", "budget", "report", "victim",
              "assistance", "clearance", "cluster", "munitions", "implementation", "support",
              "unit", "decision", "plan" } },
    { "fr", { "réunion", "États", "parties", "convention", "budget", "rapport", "victimes",
              "assistance", "dépollution", "armes", "sous-munitions", "mise", "œuvre",
              "unité", "décision", "plan" } },
    { "es", { "reunión", "Estados", "partes", "convención", "presupuesto", "informe",
              "víctimas", "asistencia", "remoción", "municiones", "racimo", "aplicación",
              "apoyo", "dependencia", "decisión", "plan" } },
    { "ru", { "совещание", "государств", "участников", "конвенции", "бюджет", "доклад",
              "жертвам", "помощь", "разминирование", "кассетные", "боеприпасы",
              "осуществление", "поддержка", "группа", "решение", "план" } },
    { "ar", { "اجتماع", "الدول", "الأطراف", "الاتفاقية", "الميزانية", "تقرير", "الضحايا",
              "المساعدة", "إزالة", "الذخائر", "العنقودية", "تنفيذ", "دعم", "وحدة", "قرار",
              "خطة" } },
    { "zh", { "会议", "缔约国", "公约", "预算", "报告", "受害者", "援助", "清除", "集束", "弹药",
              "执行", "支助股", "决定", "行动", "计划", "工作" } },
};
#define S_WORDS     16

//  Rare words: a common word with a two-letter tail (Latin, Cyrillic,
//  Arabic letters), or for Chinese a pair of characters from a pool of 64,
//  so that the text has a long tail of words as real text does.
static const char *const s_tails [] = {
    "ab", "ec", "id", "og", "ul", "ar", "et", "in", "os", "um", "al", "es", "ir", "on",
    "ur", "an" };
static const char *s_han_pool =
    "安保备编表部参差场成程出处传创达代单导道地点调定动端队对发法方防费分服符负改概"
    "感岗高格个根工公功共构估管规国过海合和核红后湖华化";

size_t
bench_archive_word (size_t language, uint64_t *state, char *word)
{
    const char *common = s_vocabulary [language].words [bench_archive_random (state) % S_WORDS];
    if (bench_archive_random (state) % 2 == 0)
        return (size_t) snprintf (word, 64, "%s", common);
    uint64_t tail = bench_archive_random (state) % 16;
    if (strcmp (s_vocabulary [language].language, "zh") == 0) {
        //  two characters of 3 bytes each from the pool of 64
        size_t a = (size_t) (bench_archive_random (state) % 64) * 3, b = (size_t) tail * 3;
        memcpy (word, s_han_pool + a, 3);
        memcpy (word + 3, s_han_pool + b, 3);
        word [6] = 0;
        return 6;
    }
    return (size_t) snprintf (word, 64, "%s%s", common, s_tails [tail]);
}


uint64_t
bench_archive_random (uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

const char *
bench_archive_language (size_t language)
{
    return s_vocabulary [language % BENCH_ARCHIVE_LANGUAGES].language;
}

json_t *
bench_archive_query (const char *shape, size_t index, uint64_t *state, const char *prefix)
{
    size_t language = index % BENCH_ARCHIVE_LANGUAGES;
    char a [64], b [64], c [64], q [256];
    bench_archive_word (language, state, a);
    bench_archive_word (language, state, b);
    bench_archive_word (language, state, c);
    if (strcmp (shape, "two-word") == 0)
        snprintf (q, sizeof q, "%s %s", a, b);
    else
    if (strcmp (shape, "excluded") == 0)
        snprintf (q, sizeof q, "%s -%s", a, b);
    else
    if (strcmp (shape, "alternatives") == 0)
        snprintf (q, sizeof q, "(%s OR %s) %s", a, b, c);
    else
    if (strcmp (shape, "prefix") == 0) {
        //  the first half of a's characters (1 to 4 of them), then *
        size_t characters = 0, length = 0;
        for (size_t i = 0; a [i]; i++)
            characters += ((unsigned char) a [i] & 0xC0) != 0x80;
        size_t keep = characters / 2 < 1 ? 1 : characters / 2 > 4 ? 4 : characters / 2;
        for (size_t kept = 0; a [length] && kept <= keep; length++)
            if (((unsigned char) a [length] & 0xC0) != 0x80 && ++kept > keep)
                break;
        snprintf (q, sizeof q, "%.*s*", (int) length, a);
    }
    else
    if (strcmp (shape, "symbol") == 0)
        snprintf (q, sizeof q, "%s/MSP/2001/%llu", prefix,
                  (unsigned long long) (bench_archive_random (state) % 50000 + 1));
    else
    if (strcmp (shape, "pattern") == 0)
        snprintf (q, sizeof q, "%s/MSP/2001/1%llu*", prefix,
                  (unsigned long long) (bench_archive_random (state) % 100));
    else
    if (strcmp (shape, "phrase") == 0)
        snprintf (q, sizeof q, "\"%s %s\"", a, b);
    else
        snprintf (q, sizeof q, "%s", a);
    if (strcmp (shape, "filtered") == 0) {
        char pattern [32];
        snprintf (pattern, sizeof pattern, "%s/MSP/2001/1*", prefix);
        return json_pack ("{s:s, s:s, s:s}", "q", q, "language",
                          bench_archive_language (language), "symbol", pattern);
    }
    if (strcmp (shape, "language") == 0)
        return json_pack ("{s:s, s:s}", "q", q, "language", bench_archive_language (language));
    return json_pack ("{s:s}", "q", q);
}

json_t *
bench_archive_document (size_t index, size_t size, const char *prefix)
{
    size_t language = index % BENCH_ARCHIVE_LANGUAGES;
    uint64_t state = 0x9E3779B97F4A7C15ull ^ (index + 1) * 0xBF58476D1CE4E5B9ull;
    char *text = malloc (size + 64);
    if (!text)
        return NULL;
    size_t used = 0;
    while (used < size) {
        char word [64];
        size_t length = bench_archive_word (language, &state, word);
        memcpy (text + used, word, length);
        used += length;
        if (strcmp (bench_archive_language (language), "zh") != 0
        ||  bench_archive_random (&state) % 8 == 0)
            text [used++] = bench_archive_random (&state) % 12 ? ' ' : '\n';
    }
    text [used] = 0;
    char symbol [64], title [128];
    snprintf (symbol, sizeof symbol, "%s/MSP/%zu/%zu", prefix, 2001 + index / 50000,
              index % 50000 + 1);
    snprintf (title, sizeof title, "Synthetic document %zu", index);
    static const char *distributions [] = { "general", "general", "general", "limited" };
    json_t *payload = json_pack ("{s:s, s:s, s:s, s:s, s:s, s:s}", "symbol", symbol,
                                 "language", bench_archive_language (language), "title", title,
                                 "distribution", distributions [index % 4],
                                 "dated", "2025-06-01", "text", text);
    free (text);
    return payload;
}

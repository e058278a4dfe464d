/*  pl_symbol — the UN document symbol parser (grammar in the header).

    Table-driven: s_classes says how each component class is recognised
    and written back; s_follows says which class may follow which, and
    which may end a symbol.  A component is tried against the classes in
    table order and takes the first that matches and is allowed where it
    stands, so "MSP" is an organ and "2020" a year.  Input comes from the
    outside world (events, the CLI, the gateway): every path returns a
    reason, nothing asserts on it.  fuzz_symbol.c fuzzes this file. */
#include "pl_symbol.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

typedef enum { S_BODY, S_ORGAN, S_DOCTYPE, S_YEAR, S_NUMBER, S_SUFFIX, S_CLASSES } s_class_t;

//  Document-type markers: a component of this kind ends a symbol.
static const char *const s_doctypes [] = { "WP", "CRP", "INF", "L", "MISC", "NGO", NULL };
//  Suffixes, in their written form.
static const char *const s_suffixes [] = { "Rev", "Corr", "Add", "Amend", NULL };

//  Symbol bodies of the conventions plenary serves.
static const struct {
    const char *body;
    const char *convention;
} s_bodies [] = {
    { "CCM",  "CCM" },
    { "APLC", "APMBC" },
    { "CCW",  "CCW" },
    { "BWC",  "BWC" },
    { "ATT",  "ATT" },
    { "TPNW", "TPNW" },
};

#define S_BODY_MAX   8
#define S_ORGAN_MAX  12
#define S_NUMBER_MAX 5
#define S_YEAR_MIN   1945          //  the United Nations' first documents
#define S_YEAR_MAX   2199          //  as the schema's dates

//  Letters only, LENGTH in 1..MAX.
static int
s_alpha (const char *text, size_t length, size_t max)
{
    if (length == 0 || length > max)
        return 0;
    for (size_t i = 0; i < length; i++)
        if (!isalpha ((unsigned char) text [i]))
            return 0;
    return 1;
}

//  Digits without a leading zero, LENGTH in 1..MAX.
static int
s_number (const char *text, size_t length, size_t max)
{
    if (length == 0 || length > max || text [0] == '0')
        return 0;
    for (size_t i = 0; i < length; i++)
        if (!isdigit ((unsigned char) text [i]))
            return 0;
    return 1;
}

//  A Roman numeral from I to XXXIX, any case.
static int
s_roman (const char *text, size_t length)
{
    static const char *const numerals [] = {
        "", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX" };
    size_t tens = 0;
    while (tens < length && tens < 3 && toupper ((unsigned char) text [tens]) == 'X')
        tens++;
    for (size_t unit = tens ? 0 : 1; unit < 10; unit++)
        if (strlen (numerals [unit]) == length - tens
        &&  strncasecmp (numerals [unit], text + tens, length - tens) == 0)
            return 1;
    return 0;
}

//  The index of the word TEXT (LENGTH bytes, any case) in WORDS, or -1.
static int
s_word (const char *const *words, const char *text, size_t length)
{
    for (int i = 0; words [i]; i++)
        if (strlen (words [i]) == length && strncasecmp (words [i], text, length) == 0)
            return i;
    return -1;
}

//  Split TEXT at its first dot into HEAD and TAIL lengths; 0 when no dot.
static int
s_dotted (const char *text, size_t length, size_t *head, const char **tail, size_t *tail_length)
{
    const char *dot = memchr (text, '.', length);
    if (!dot)
        return 0;
    *head = (size_t) (dot - text);
    *tail = dot + 1;
    *tail_length = length - *head - 1;
    return 1;
}

static int
s_is_body (const char *text, size_t length)
{
    return s_alpha (text, length, S_BODY_MAX);
}

static int
s_is_organ (const char *text, size_t length)
{
    size_t head, tail_length;
    const char *tail;
    if (!s_dotted (text, length, &head, &tail, &tail_length))
        return s_alpha (text, length, S_ORGAN_MAX) && s_word (s_doctypes, text, length) < 0
            && s_word (s_suffixes, text, length) < 0;
    return s_alpha (text, head, S_ORGAN_MAX) && s_word (s_doctypes, text, head) < 0
        && s_word (s_suffixes, text, head) < 0
        && (s_number (tail, tail_length, S_NUMBER_MAX) || s_roman (tail, tail_length));
}

static int
s_is_doctype (const char *text, size_t length)
{
    size_t head, tail_length;
    const char *tail;
    return s_dotted (text, length, &head, &tail, &tail_length)
        && s_word (s_doctypes, text, head) >= 0 && s_number (tail, tail_length, S_NUMBER_MAX);
}

static int
s_is_year (const char *text, size_t length)
{
    if (length != 4 || !s_number (text, length, 4))
        return 0;
    int year = (text [0] - '0') * 1000 + (text [1] - '0') * 100 + (text [2] - '0') * 10
             + (text [3] - '0');
    return year >= S_YEAR_MIN && year <= S_YEAR_MAX;
}

static int
s_is_number (const char *text, size_t length)
{
    return s_number (text, length, S_NUMBER_MAX);
}

static int
s_is_suffix (const char *text, size_t length)
{
    size_t head, tail_length;
    const char *tail;
    return s_dotted (text, length, &head, &tail, &tail_length)
        && s_word (s_suffixes, text, head) >= 0 && s_number (tail, tail_length, 3);
}

//  Write component TEXT of CLASS in its normal form into OUT (room for LENGTH + 1).
static void
s_normalize (s_class_t class, const char *text, size_t length, char *out)
{
    if (class == S_SUFFIX) {
        size_t head = (size_t) ((const char *) memchr (text, '.', length) - text);
        const char *word = s_suffixes [s_word (s_suffixes, text, head)];
        memcpy (out, word, head);
        memcpy (out + head, text + head, length - head);
    }
    else
        for (size_t i = 0; i < length; i++)
            out [i] = (char) toupper ((unsigned char) text [i]);
    out [length] = 0;
}

static const struct {
    const char *name;           //  for reasons
    int (*match) (const char *text, size_t length);
} s_classes [S_CLASSES] = {
    [S_BODY]    = { "body",          s_is_body },
    [S_ORGAN]   = { "organ",         s_is_organ },
    [S_DOCTYPE] = { "document type", s_is_doctype },
    [S_YEAR]    = { "year",          s_is_year },
    [S_NUMBER]  = { "number",        s_is_number },
    [S_SUFFIX]  = { "suffix",        s_is_suffix },
};

//  The order in which a component is tried: the most specific first, so
//  that Rev.1 is a suffix and WP.3 a document type before either could be
//  taken for an organ with a qualifier.
static const s_class_t s_order [] = { S_SUFFIX, S_DOCTYPE, S_YEAR, S_NUMBER, S_ORGAN };

//  Which class may follow which (row: the previous class), and which may end.
static const struct {
    unsigned char next [S_CLASSES];
    int final;
} s_follows [S_CLASSES] = {
    //            BODY ORGAN DOCTYPE YEAR NUMBER SUFFIX
    [S_BODY]    = { { 0, 1, 1, 1, 1, 0 }, 0 },
    [S_ORGAN]   = { { 0, 1, 1, 1, 1, 0 }, 0 },
    [S_YEAR]    = { { 0, 1, 1, 0, 1, 0 }, 0 },
    [S_NUMBER]  = { { 0, 1, 1, 0, 1, 1 }, 1 },
    [S_DOCTYPE] = { { 0, 0, 0, 0, 0, 1 }, 1 },
    [S_SUFFIX]  = { { 0, 0, 0, 0, 0, 1 }, 1 },
};

//  Append TEXT and a separator to OUT (size PL_SYMBOL_MAX + 1).
static void
s_append (char *out, const char *text)
{
    size_t used = strlen (out);
    snprintf (out + used, PL_SYMBOL_MAX + 1 - used, "%s%s", used ? "/" : "", text);
}

int
pl_symbol_parse (const char *text, pl_symbol_t *symbol, char *err, size_t errsize)
{
    memset (symbol, 0, sizeof *symbol);
    size_t length = text ? strlen (text) : 0;
    if (length == 0) {
        snprintf (err, errsize, "empty symbol");
        return -1;
    }
    if (length > PL_SYMBOL_MAX) {
        snprintf (err, errsize, "symbol longer than %d bytes", PL_SYMBOL_MAX);
        return -1;
    }
    int component = 0;
    s_class_t previous = S_BODY;
    unsigned seen_suffixes = 0;             //  bit per suffix kind
    const char *start = text;
    while (1) {
        const char *slash = strchr (start, '/');
        size_t size = slash ? (size_t) (slash - start) : strlen (start);
        component++;
        if (size == 0) {
            snprintf (err, errsize, "component %d is empty (a doubled, leading or "
                      "trailing '/')", component);
            return -1;
        }
        s_class_t class = S_CLASSES;
        if (component == 1) {
            if (s_is_body (start, size))
                class = S_BODY;
        }
        else
            for (size_t i = 0; i < sizeof s_order / sizeof s_order [0]; i++) {
                s_class_t c = s_order [i];
                if (s_follows [previous].next [c] && s_classes [c].match (start, size)) {
                    class = c;
                    break;
                }
            }
        if (class == S_CLASSES) {
            const char *expected = component == 1 ? "a body of 1 to 8 letters"
                                 : previous == S_SUFFIX || previous == S_DOCTYPE
                                 ? "a suffix Rev.N, Corr.N, Add.N or Amend.N"
                                 : "an organ, document type, year, number or suffix";
            snprintf (err, errsize, "component %d '%.*s' is not %s", component,
                      (int) size, start, expected);
            return -1;
        }
        char normal [PL_SYMBOL_MAX + 1];
        s_normalize (class, start, size, normal);
        if (class == S_SUFFIX) {
            unsigned bit = 1u << s_word (s_suffixes, start,
                                         (size_t) (strchr (normal, '.') - normal));
            if (seen_suffixes & bit) {
                snprintf (err, errsize, "component %d '%.*s' repeats a suffix kind",
                          component, (int) size, start);
                return -1;
            }
            seen_suffixes |= bit;
            s_append (symbol->suffixes, normal);
        }
        else {
            if (class == S_BODY)
                memcpy (symbol->body, normal, size + 1);
            s_append (symbol->base, normal);
        }
        s_append (symbol->symbol, normal);
        previous = class;
        if (!slash)
            break;
        start = slash + 1;
    }
    if (!s_follows [previous].final) {
        snprintf (err, errsize, "'%s' names a series, not a document: it must end with a "
                  "document number, a document type such as WP.1, or a suffix", text);
        return -1;
    }
    for (size_t i = 0; i < sizeof s_bodies / sizeof s_bodies [0]; i++)
        if (strcmp (s_bodies [i].body, symbol->body) == 0)
            symbol->convention = s_bodies [i].convention;
    return 0;
}

const char *
pl_symbol_convention (const char *body)
{
    for (size_t i = 0; body && i < sizeof s_bodies / sizeof s_bodies [0]; i++)
        if (strcasecmp (s_bodies [i].body, body) == 0)
            return s_bodies [i].convention;
    return NULL;
}

int
pl_symbol_test (int verbose)
{
    static const struct {
        const char *text, *normal, *base, *suffixes, *convention;
    } valid [] = {
        { "CCM/CONF/2020/14",            "CCM/CONF/2020/14", "CCM/CONF/2020/14", "", "CCM" },
        { "CCW/CONF.VI/4",               "CCW/CONF.VI/4", "CCW/CONF.VI/4", "", "CCW" },
        { "APLC/MSP.22/2025/8",          "APLC/MSP.22/2025/8", "APLC/MSP.22/2025/8", "", "APMBC" },
        { "CCW/MSP/2009/5",              "CCW/MSP/2009/5", "CCW/MSP/2009/5", "", "CCW" },
        { "CCM/CONF/2020/PM.2/3",        "CCM/CONF/2020/PM.2/3", "CCM/CONF/2020/PM.2/3", "", "CCM" },
        { "ccw/conf.vi/4/rev.1",         "CCW/CONF.VI/4/Rev.1", "CCW/CONF.VI/4", "Rev.1", "CCW" },
        { "CCM/CONF/2020/14/Add.1/Rev.1", "CCM/CONF/2020/14/Add.1/Rev.1", "CCM/CONF/2020/14",
          "Add.1/Rev.1", "CCM" },
        { "CCM/MSP/2025/5/Corr.2",       "CCM/MSP/2025/5/Corr.2", "CCM/MSP/2025/5", "Corr.2", "CCM" },
        { "CCW/CONF.VI/WP.3/Rev.1",      "CCW/CONF.VI/WP.3/Rev.1", "CCW/CONF.VI/WP.3", "Rev.1", "CCW" },
        { "A/75/123",                    "A/75/123", "A/75/123", "", NULL },
        { "BWC/CONF.IX/PC/L.1",          "BWC/CONF.IX/PC/L.1", "BWC/CONF.IX/PC/L.1", "", "BWC" },
    };
    static const struct {
        const char *text, *reason;
    } invalid [] = {
        { "",                       "empty" },
        { "CCM",                    "names a series" },
        { "CCM/MSP",                "names a series" },
        { "CCM/CONF/2020",          "names a series" },
        { "CCM//14",                "component 2 is empty" },
        { "/CCM/14",                "component 1 is empty" },
        { "CCM/14/",                "component 3 is empty" },
        { "CCM/CONF/2020/014",      "component 4 '014'" },
        { "CCM/CONF/2020/14/Rev",   "component 5 'Rev'" },
        { "CCM/CONF/2020/14/Rev.1/Rev.2", "repeats a suffix kind" },
        { "CCM/CONF/2020/14/Rev.1/3", "component 6 '3'" },
        { "CCM 2020/14",            "component 1 'CCM 2020'" },
        { "CCM/CONF.VL/4",          "component 2 'CONF.VL'" },
        { "CCM/Rev.1",              "component 2 'Rev.1'" },
        { "CCM/CONF/123456",        "component 3 '123456'" },
        { "1CCM/CONF/4",            "component 1" },
        { "CCM/CONF/2020/14/Add.0", "component 5 'Add.0'" },
        { "CCM/CONF/2020/14/Rev.1x", "component 5 'Rev.1x'" },
        { "CCM/CONF/2020/14/WP",    "component 5 'WP'" },
        { "CCM/CONF.VI/WP.3/4",     "component 4 '4'" },
        { "CCM/CONF/2020/14/12345678901234567890123456789012345678901234567890", "longer than" },
    };
    int failures = 0;
    char err [256];
    pl_symbol_t symbol;
    for (size_t i = 0; i < sizeof valid / sizeof valid [0]; i++) {
        int rc = pl_symbol_parse (valid [i].text, &symbol, err, sizeof err);
        int ok = rc == 0 && strcmp (symbol.symbol, valid [i].normal) == 0
              && strcmp (symbol.base, valid [i].base) == 0
              && strcmp (symbol.suffixes, valid [i].suffixes) == 0
              && (valid [i].convention ? symbol.convention
                  && strcmp (symbol.convention, valid [i].convention) == 0
                  : symbol.convention == NULL);
        if (!ok) {
            failures++;
            fprintf (stderr, "pl_symbol: '%s' -> rc=%d '%s' base='%s' suffixes='%s' %s\n",
                     valid [i].text, rc, symbol.symbol, symbol.base, symbol.suffixes,
                     rc ? err : "");
        }
        else
        if (verbose)
            fprintf (stderr, "pl_symbol: ok '%s' -> '%s'\n", valid [i].text, symbol.symbol);
    }
    for (size_t i = 0; i < sizeof invalid / sizeof invalid [0]; i++) {
        int rc = pl_symbol_parse (invalid [i].text, &symbol, err, sizeof err);
        if (rc == 0 || !strstr (err, invalid [i].reason)) {
            failures++;
            fprintf (stderr, "pl_symbol: '%s' should fail with '%s', got rc=%d '%s'\n",
                     invalid [i].text, invalid [i].reason, rc, rc ? err : symbol.symbol);
        }
        else
        if (verbose)
            fprintf (stderr, "pl_symbol: ok refused '%s': %s\n", invalid [i].text, err);
    }
    if (pl_symbol_parse (NULL, &symbol, err, sizeof err) == 0)
        failures++;
    if (!pl_symbol_convention ("aplc") || strcmp (pl_symbol_convention ("aplc"), "APMBC")
    ||  pl_symbol_convention ("XYZ") || pl_symbol_convention (NULL)) {
        failures++;
        fprintf (stderr, "pl_symbol: the convention of a body is wrong\n");
    }
    return failures ? -1 : 0;
}

/*  archive_rank_symbols — the items a search by symbol lists first (see
    archive_rank_symbols in archive_rank.h): from the rank table, which
    holds each item's symbols with the level each is seen at, so that the
    family of a symbol or the symbols of a pattern are found without SQL
    and filtered as a search's matches are. */
#include "archive_rank_internal.h"
#include "pl_symbol.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

//  An item of a search by symbol, with what orders it.
typedef struct {
    int class;                      //  0 the exact document, 1 documents, 2 outcomes, 3 statements
    const char *symbol;             //  a document's; "" for others
    int language;                   //  ar 0 .. es 5, others 6
    int64_t id;
} s_listed_t;

static int
s_compare_listed (const void *a_, const void *b_)
{
    const s_listed_t *a = a_, *b = b_;
    if (a->class != b->class)
        return a->class < b->class ? -1 : 1;
    int order = strcmp (a->symbol, b->symbol);
    if (order)
        return order;
    if (a->language != b->language)
        return a->language < b->language ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

//  1 when the symbol at SYMBOL (LENGTH bytes, upper case) is of the family
//  BASE (upper case): BASE itself, or BASE with suffixes only.
static int
s_of_family (const char *symbol, size_t length, const char *base)
{
    size_t size = strlen (base);
    if (length < size || memcmp (symbol, base, size) != 0)
        return 0;
    if (length == size)
        return 1;
    char copy [PL_SYMBOL_MAX + 1], err [128];
    pl_symbol_t parsed;
    if (symbol [size] != '/' || length > PL_SYMBOL_MAX)
        return 0;
    memcpy (copy, symbol, length);
    copy [length] = 0;
    return pl_symbol_parse (copy, &parsed, err, sizeof err) == 0 && strcmp (parsed.base, base) == 0;
}

//  The language order of a search by symbol: ar zh en fr ru es, then others.
static int
s_language_order (const char *language)
{
    static const char *const s_order [] = { "ar", "zh", "en", "fr", "ru", "es" };
    for (int i = 0; language && i < 6; i++)
        if (strcmp (language, s_order [i]) == 0)
            return i;
    return 6;
}

int64_t
archive_rank_symbols (archive_rank_walk_t *walk, const char *exact, const char *base,
                      const char *glob, const int64_t *candidates, size_t candidate_count,
                      const int64_t **ids)
{
    archive_rank_t *self = walk->rank;
    //  the literal start of the pattern: most symbols fail it at once
    size_t literal = glob ? strcspn (glob, "*?[") : 0;
    s_listed_t *listed = NULL;
    size_t used = 0, size = 0;
    *ids = NULL;
    size_t last = candidates ? candidate_count : (size_t) (self->last > 0 ? self->last : 0);
    for (size_t c = 0; c < last; c++) {
        int64_t id = candidates ? candidates [c] : (int64_t) c + 1;
        if (id <= 0 || id >= self->size)
            continue;
        const s_entry_t *entry = &self->entries [id];
        uint32_t symbols = entry->column [S_SYMBOL];
        if (entry->level < 0 || !symbols || !archive_rank_passes (walk, entry, id))
            continue;
        const char *found = NULL;
        int exact_match = 0;
        for (const char *at = self->strings [symbols], *sep; at && !found;
             at = sep ? sep + 1 : NULL) {
            sep = strstr (at, ARCHIVE_RANK_SYMBOLS_SEP);
            size_t length = sep ? (size_t) (sep - at) : strlen (at);
            if (length < 2 || at [0] - '0' > walk->level)
                continue;
            const char *symbol = at + 1;
            length--;
            int match;
            if (base)
                match = s_of_family (symbol, length, base);
            else {
                char copy [PL_SYMBOL_MAX + 1];
                match = length <= PL_SYMBOL_MAX && length >= literal
                     && memcmp (symbol, glob, literal) == 0;
                if (match) {
                    memcpy (copy, symbol, length);
                    copy [length] = 0;
                    match = sqlite3_strglob (glob, copy) == 0;
                }
            }
            if (match) {
                found = at;
                exact_match = exact && strlen (exact) == length
                           && memcmp (exact, symbol, length) == 0;
            }
        }
        if (!found)
            continue;
        if (used == size) {
            size = size ? size * 2 : 64;
            s_listed_t *more = realloc (listed, size * sizeof *more);
            if (!more) {
                free (listed);
                return -1;
            }
            listed = more;
        }
        const char *kind = entry->column [S_KIND] ? self->strings [entry->column [S_KIND]] : "";
        int document = strcmp (kind, "document") == 0;
        listed [used++] = (s_listed_t) {
            .class = document ? (exact_match ? 0 : 1) : strcmp (kind, "outcome") == 0 ? 2 : 3,
            .symbol = document ? self->strings [symbols] + 1 : "",
            .language = s_language_order (entry->column [S_LANGUAGE]
                                          ? self->strings [entry->column [S_LANGUAGE]] : NULL),
            .id = id
        };
    }
    if (used)                   //  none: LISTED may be NULL, which qsort takes not
        qsort (listed, used, sizeof *listed, s_compare_listed);
    if (used > walk->listed_size) {
        int64_t *more = realloc (walk->listed, used * sizeof *more);
        if (!more) {
            free (listed);
            return -1;
        }
        walk->listed = more;
        walk->listed_size = used;
    }
    for (size_t i = 0; i < used; i++)
        walk->listed [i] = listed [i].id;
    free (listed);
    *ids = walk->listed;
    return (int64_t) used;
}


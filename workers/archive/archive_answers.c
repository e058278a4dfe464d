/*  archive_answers — the queries the archive answers (archive_handlers.h):
    archive.search (the words read by archive_query, the filters forgiven
    their case), document.show (a document, its family, what cites it) and
    archive.digest, each for the role that asks. */
#include "archive_handlers.h"
#include "archive_query.h"
#include "archive_worker.h"
#include "pl_log.h"
#include "pl_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


//  Hits per page unless asked.
#define S_PAGE_SIZE 10

//  The languages a search may be of (the schema's languages of statements).
static const char *const s_languages [] = {
    "ar", "zh", "en", "fr", "ru", "es", "other", NULL };

//  VALUE in lower (LOWER 1) or upper case into OUT (SIZE bytes).
static void
s_case (const char *value, int lower, char *out, size_t size)
{
    size_t i = 0;
    for (; value [i] && i + 1 < size; i++) {
        char c = value [i];
        out [i] = lower ? (char) (c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c)
                        : (char) (c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    out [i] = 0;
}

//  The filters forgiven: the language in lower case, one of s_languages;
//  the convention in upper case, a symbol's body read as its convention
//  (APLC: APMBC); FROM not after TO.  0, or -1 with ERR (a 400).
static int
s_filters (const json_t *args, char *language, char *convention, size_t size, char *err,
           size_t errsize)
{
    const char *value = archive_field (args, "language");
    *language = *convention = 0;
    if (value) {
        s_case (value, 1, language, size);
        size_t i = 0;
        while (s_languages [i] && strcmp (s_languages [i], language))
            i++;
        if (!s_languages [i]) {
            snprintf (err, errsize, "archive.search: language: '%s' is not one of ar, zh, en, "
                      "fr, ru, es, other", value);
            return -1;
        }
    }
    if ((value = archive_field (args, "convention"))) {
        s_case (value, 0, convention, size);
        const char *of = pl_symbol_convention (convention);
        if (of)
            snprintf (convention, size, "%s", of);
    }
    const char *from = archive_field (args, "from"), *to = archive_field (args, "to");
    if (from && to && strcmp (from, to) > 0) {
        snprintf (err, errsize, "archive.search: from %s is after to %s", from, to);
        return -1;
    }
    return 0;
}

json_t *
archive_answer_search (void *store, const json_t *args, const char *role,
                       int *status, char *err, size_t errsize)
{
    const archive_view_t role_view = archive_view (role), *view = &role_view;
    char glob [3 * 64 + 1], reason [256], language [16], convention [32];
    char exact [PL_SYMBOL_MAX * 3 + 1], base [PL_SYMBOL_MAX + 1];
    if (s_filters (args, language, convention, sizeof language < sizeof convention
                   ? sizeof language : sizeof convention, err, errsize)) {
        *status = 400;
        return NULL;
    }
    const char *q = archive_field (args, "q");
    archive_query_t *query = q ? malloc (sizeof *query) : NULL;
    if (q && !query) {
        *status = 500;
        snprintf (err, errsize, "archive: out of memory reading q");
        return NULL;
    }
    if (q && archive_query_parse (q, *language ? language : NULL, query, reason,
                                  sizeof reason)) {
        free (query);
        *status = 400;
        snprintf (err, errsize, "archive.search: %s", reason);
        return NULL;
    }
    //  The symbol pattern as a GLOB on the upper-case symbol; only * is special
    const char *symbol = archive_field (args, "symbol");
    if (symbol) {
        size_t used = 0;
        for (const char *c = symbol; *c; c++) {
            const char *piece = *c == '?' ? "[?]" : *c == '[' ? "[[]" : *c == ']' ? "[]]" : NULL;
            if (piece) {
                memcpy (glob + used, piece, 3);
                used += 3;
            }
            else
                glob [used++] = (char) (*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
        }
        glob [used] = 0;
    }
    int by_symbol = query && query->kind != ARCHIVE_QUERY_WORDS;
    if (by_symbol) {
        s_case (query->symbol, 0, exact, sizeof exact);
        s_case (query->base, 0, base, sizeof base);
    }
    archive_search_t search = {
        .match = query ? query->match : NULL,
        .exact = by_symbol && query->kind == ARCHIVE_QUERY_SYMBOL ? exact : NULL,
        .base = by_symbol && query->kind == ARCHIVE_QUERY_SYMBOL ? base : NULL,
        .glob = by_symbol && query->kind == ARCHIVE_QUERY_PATTERN ? exact : NULL,
        .convention = *convention ? convention : NULL,
        .meeting = archive_field (args, "meeting"), .symbol_glob = symbol ? glob : NULL,
        .language = *language ? language : NULL, .kind = archive_field (args, "kind"),
        .from = archive_field (args, "from"), .to = archive_field (args, "to"),
        .distribution = archive_field (args, "distribution"), .max_level = view->level,
        .all_revisions = view->withdrawn, .page = archive_int (args, "page", 1),
        .page_size = archive_int (args, "page_size", S_PAGE_SIZE)
    };
    json_t *reply = archive_store_search (store, &search, status, err, errsize);
    free (query);
    return reply;
}

json_t *
archive_answer_show (void *store, const json_t *args, const char *role,
                     int *status, char *err, size_t errsize)
{
    const archive_view_t role_view = archive_view (role), *view = &role_view;
    pl_symbol_t symbol;
    char reason [192];
    if (pl_symbol_parse (archive_field (args, "symbol"), &symbol, reason, sizeof reason)) {
        *status = 400;
        snprintf (err, errsize, "document.show: symbol: %s", reason);
        return NULL;
    }
    json_t *versions = NULL, *outcomes = NULL, *text = NULL, *reply = NULL;
    json_t *declassifications = NULL, *family = NULL, *cited_by = NULL;
    if (archive_store_versions (store, symbol.symbol, view, &versions)
    ||  archive_store_family (store, symbol.base, view, &family)
    ||  archive_store_cited_by (store, symbol.base, &cited_by)
    ||  !(outcomes = archive_store_outcomes_of (store, symbol.base)))
        goto failed;
    //  Nothing the role may see: as if it had never been released
    if (json_array_size (versions) == 0) {
        *status = 404;
        snprintf (err, errsize, "no document %s in the archive", symbol.symbol);
        goto done;
    }
    archive_distribution_t *seen = archive_store_distribution (store);
    int in_force = PL_GENERAL;
    if (archive_distribution_family (seen, symbol.base, &in_force) < 0)
        goto failed;
    //  who declassified the family, when and why: the secretariat's record
    if (view->withdrawn
    &&  !(declassifications = archive_distribution_declassifications (seen, symbol.base)))
        goto failed;
    const char *language = archive_field (args, "language");
    int revision = archive_int (args, "revision", 0);
    if (language) {
        int found = archive_store_text (store, symbol.symbol, language, revision, view, &text);
        if (found < 0)
            goto failed;
        if (!found) {
            *status = 404;
            if (revision)
                snprintf (err, errsize, "%s has no revision %d in %s", symbol.symbol,
                          revision, language);
            else
                snprintf (err, errsize, "%s has no %s version", symbol.symbol, language);
            goto done;
        }
    }
    reply = json_pack ("{s:s, s:s, s:s, s:O, s:O}", "symbol", symbol.symbol, "base",
                       symbol.base, "distribution", pl_distribution_name (in_force),
                       "versions", versions, "outcomes", outcomes);
    if (reply && *symbol.suffixes)
        json_object_set_new (reply, "suffixes", json_string (symbol.suffixes));
    if (reply && symbol.convention)
        json_object_set_new (reply, "convention", json_string (symbol.convention));
    if (reply && text)
        json_object_set (reply, "text", text);
    if (reply && json_array_size (declassifications))
        json_object_set (reply, "declassifications", declassifications);
    if (reply)
        json_object_set (reply, "family", family);
    if (reply && json_array_size (cited_by))
        json_object_set (reply, "cited_by", cited_by);
    if (!reply)
        goto failed;
    goto done;
failed:
    *status = 500;
    snprintf (err, errsize, "archive: storage failure reading %s", symbol.symbol);
done:
    json_decref (versions);
    json_decref (outcomes);
    json_decref (text);
    json_decref (declassifications);
    json_decref (family);
    json_decref (cited_by);
    return reply;
}

//  pl_facet_rows_fn over the store
static int
s_facet_rows (void *store, const pl_facet_t *facet, const char *key,
              pl_facet_row_fn *row, void *arg)
{
    return archive_store_facet_rows (store, facet, key, row, arg);
}

//  archive.digest: the archive's side of plenary check (lib/pl_facet.h), as
//  the authority of documents and as a view of meetings and statements
json_t *
archive_answer_digest (void *store, const json_t *args, const char *role,
                       int *status, char *err, size_t errsize)
{
    return pl_facet_query (ARCHIVE_GROUP, s_facet_rows, store, args, status, err, errsize);
}


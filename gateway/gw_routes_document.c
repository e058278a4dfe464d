/*  gw_routes_document — GET /documents/{symbol}: a document family.

    The page of one symbol: every language version and revision the public
    may see (document.show, as /api/documents/{symbol} answers it), the
    other documents of its family (the symbol without its Rev./Corr./Add.
    suffixes, with every symbol of that base: CCM/MSP/2030/1 and
    CCM/MSP/2030/1/Rev.1), the outcomes that cite it, and the statements it
    carries.  ?language=fr (and &revision=N) adds that version's text, as
    released, to read; with &format=txt the answer is that text alone, to
    download (text/plain, UTF-8, as an attachment).

    Three queries to the archive, asked together: document.show, and
    archive.search for the base symbol and for the base followed by a slash
    and a star (the family: lib/pl_symbol gives the base, as the archive
    computes it, and each hit's family is checked with it, since the
    pattern of CCM/CONF/2020/PM.2 also finds the document
    CCM/CONF/2020/PM.2/3).
    The outcomes are those document.show lists (the archive's rule), with
    their titles from the searches' hits. */
#include "gw_page.h"
#include "pl_symbol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_FAMILY_PAGE 100           //  hits of each family search (the most a page has)

static const char *const s_own [] = { "lang", "format", NULL };

static const char *
s_str (const json_t *object, const char *field)
{
    return json_string_value (json_object_get (object, field));
}

//  The value of parameter NAME, or NULL.
static const char *
s_param (const gw_page_t *page, const char *name)
{
    const gw_target_t *target = page->request->target;
    for (size_t i = 0; i < target->param_count; i++)
        if (strcmp (target->params [i].name, name) == 0)
            return target->params [i].value;
    return NULL;
}

//  True when SYMBOL's family is BASE.
static int
s_in_family (const char *symbol, const char *base)
{
    pl_symbol_t parsed;
    char err [160];
    return symbol && pl_symbol_parse (symbol, &parsed, err, sizeof err) == 0
        && strcmp (parsed.base, base) == 0;
}

//  The text of the version asked for, as a download.
static struct MHD_Response *
s_download (gw_page_t *page, const json_t *reply, const char *language, unsigned int *status)
{
    //  SYMBOL.LANGUAGE.txt, the symbol's slashes as dashes (a file name of
    //  letters, digits, dots and dashes: nothing to quote)
    char filename [PL_SYMBOL_MAX + 16];
    snprintf (filename, sizeof filename, "%s.%s.txt", s_str (reply, "symbol"), language);
    for (char *c = filename; *c; c++)
        if (*c == '/')
            *c = '-';
    const char *text = s_str (reply, "text");
    return gw_page_download (page, text ? text : "", text ? json_string_length (
                             json_object_get (reply, "text")) : 0, filename, status);
}

//  An RFC 3339 time STAMP as a reader reads it into OUT: "2030-03-30 08:00
//  UTC" for one in UTC, else its date and time with its offset.
static const char *
s_stamp (const char *stamp, char *out, size_t size)
{
    size_t length = stamp ? strlen (stamp) : 0;
    if (length >= 17 && stamp [length - 1] == 'Z')
        snprintf (out, size, "%.10s %.5s UTC", stamp, stamp + 11);
    else
    if (length >= 16)
        snprintf (out, size, "%.10s %.5s (UTC%s)", stamp, stamp + 11,
                  length >= 25 ? stamp + length - 6 : "");
    else
        snprintf (out, size, "%s", stamp ? stamp : "");
    return out;
}

//  The versions table, by language then revision (document.show's order).
static void
s_versions (gw_page_t *page, const json_t *reply)
{
    gw_html_t *html = page->html;
    const char *symbol = s_str (reply, "symbol");
    gw_html_put (html, "<section aria-labelledby=\"versions\"><h2 id=\"versions\">%t</h2>"
                 "<div class=\"table\"><table class=\"cards\"><thead><tr>"
                 "<th scope=\"col\">%t</th><th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
                 "<th scope=\"col\">%t</th><th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
                 "<th scope=\"col\">%t</th><th scope=\"col\">%t</th></tr></thead><tbody>",
                 GW_T_VERSIONS, GW_T_LANGUAGE, GW_T_REVISION, GW_T_TITLE, GW_T_STATUS,
                 GW_T_DATED, GW_T_RELEASED, GW_T_SIZE, GW_T_TEXT);
    size_t i;
    json_t *version;
    json_array_foreach (json_object_get (reply, "versions"), i, version) {
        const char *code = s_str (version, "language");
        long long revision = (long long) json_integer_value (json_object_get (version,
                                                                             "revision"));
        gw_lang_t in = GW_LANG_EN;
        gw_i18n_find (code, &in);
        gw_html_put (html, "<tr><td data-label=\"%t\" lang=\"%s\">%s</td>"
                     "<td data-label=\"%t\">%D <span class=\"badge\">%t</span></td>"
                     "<td data-label=\"%t\" lang=\"%s\" dir=\"%s\">%s</td>"
                     "<td data-label=\"%t\">%s</td>",
                     GW_T_LANGUAGE, code, gw_i18n_name (in), GW_T_REVISION, revision,
                     json_is_true (json_object_get (version, "current")) ? GW_T_CURRENT
                                                                         : GW_T_SUPERSEDED,
                     GW_T_TITLE, code, gw_i18n_rtl (in) ? "rtl" : "ltr", s_str (version, "title"),
                     GW_T_STATUS, s_str (version, "status")
                     ? gw_i18n_enum (page->lang, "document.status", s_str (version, "status"))
                     : "");
        char released [48];
        gw_html_put (html, "<td data-label=\"%t\">%s</td><td data-label=\"%t\">"
                     "<time datetime=\"%s\">%s</time></td><td data-label=\"%t\">%D %t</td>"
                     "<td data-label=\"%t\"><a href=\"/documents/%p?language=%q&amp;revision=%D%s\">"
                     "%t</a> · <a href=\"/documents/%p?language=%q&amp;revision=%D&amp;format=txt\" "
                     "download>%t</a></td></tr>",
                     GW_T_DATED, s_str (version, "dated"), GW_T_RELEASED,
                     s_str (version, "released"),
                     s_stamp (s_str (version, "released"), released, sizeof released), GW_T_SIZE,
                     (long long) json_integer_value (json_object_get (version, "bytes")),
                     GW_T_BYTES, GW_T_TEXT, symbol, code, revision, gw_page_lang (page, 0),
                     GW_T_READ, symbol, code, revision, GW_T_DOWNLOAD);
    }
    gw_html_put (html, "</tbody></table></div></section>");
}

//  The text asked for (?language=), with the version it belongs to.
static void
s_text (gw_page_t *page, const json_t *reply, const char *language)
{
    gw_html_t *html = page->html;
    const char *revision = s_param (page, "revision");
    const json_t *shown = NULL;
    size_t i;
    json_t *version;
    json_array_foreach (json_object_get (reply, "versions"), i, version)
        if (strcmp (s_str (version, "language"), language) == 0
        &&  (revision ? json_integer_value (json_object_get (version, "revision"))
                        == atoll (revision)
                      : json_is_true (json_object_get (version, "current"))))
            shown = version;
    gw_lang_t in = GW_LANG_EN;
    gw_i18n_find (language, &in);
    gw_html_put (html, "<section aria-labelledby=\"text\"><h2 id=\"text\">%t: <span lang=\"%s\">"
                 "%s</span>, %t %D</h2>", GW_T_TEXT, language, gw_i18n_name (in), GW_T_REVISION,
                 (long long) json_integer_value (json_object_get (shown, "revision")));
    const char *text = s_str (reply, "text");
    if (text && *text)
        gw_html_put (html, "<p><a href=\"/documents/%p?language=%q&amp;revision=%D&amp;"
                     "format=txt\" download>%t</a></p><pre class=\"text\" lang=\"%s\" dir=\"%s\">"
                     "%s</pre>", s_str (reply, "symbol"), language,
                     (long long) json_integer_value (json_object_get (shown, "revision")),
                     GW_T_DOWNLOAD, language, gw_i18n_rtl (in) ? "rtl" : "ltr", text);
    else
        gw_html_put (html, "<p>%t</p>", GW_T_NO_TEXT);
    gw_html_put (html, "</section>");
}

//  The outcomes document.show lists, each with its hit's title when a
//  search found it.
static void
s_outcomes (gw_page_t *page, const json_t *reply, const json_t *hits)
{
    gw_html_t *html = page->html;
    const json_t *outcomes = json_object_get (reply, "outcomes");
    gw_html_put (html, "<section aria-labelledby=\"outcomes\"><h2 id=\"outcomes\">%t</h2>",
                 GW_T_OUTCOMES);
    if (json_array_size (outcomes) == 0)
        gw_html_put (html, "<p>%t</p>", GW_T_NONE);
    else
        gw_html_put (html, "<ul class=\"docs\">");
    size_t i, j;
    json_t *outcome, *hit;
    json_array_foreach (outcomes, i, outcome) {
        const char *id = json_string_value (outcome);
        const json_t *found = NULL;
        json_array_foreach (hits, j, hit)
            if (strcmp (s_str (hit, "kind"), "outcome") == 0 && strcmp (s_str (hit, "id"), id) == 0)
                found = hit;
        char meeting [72];
        snprintf (meeting, sizeof meeting, "%.*s", (int) strcspn (id, "/"), id);
        gw_html_put (html, "<li><span dir=\"auto\">%s</span><br><span class=\"muted\">",
                     found ? s_str (found, "title") : id);
        if (found)
            gw_html_put (html, "%s · <time datetime=\"%s\">%s</time> · ",
                         gw_i18n_enum (page->lang, "outcome.kind", s_str (found, "outcome_kind")),
                         s_str (found, "date"), s_str (found, "date"));
        gw_html_put (html, "<a href=\"/meetings/%p%s\">%s</a></span></li>", meeting,
                     gw_page_lang (page, 1), meeting);
    }
    if (json_array_size (outcomes))
        gw_html_put (html, "</ul>");
    gw_html_put (html, "</section>");
}

//  The statements among HITS carried by a document of the family BASE.
static void
s_statements (gw_page_t *page, const json_t *hits, const char *base)
{
    gw_html_t *html = page->html;
    gw_html_put (html, "<section aria-labelledby=\"statements\"><h2 id=\"statements\">%t</h2>",
                 GW_T_STATEMENTS);
    size_t i, shown = 0;
    json_t *hit;
    json_array_foreach (hits, i, hit) {
        if (strcmp (s_str (hit, "kind"), "statement") || !s_in_family (s_str (hit, "symbol"), base))
            continue;
        const char *language = s_str (hit, "language");
        gw_html_put (html, shown++ ? "<li><span" : "<ul class=\"docs\"><li><span");
        gw_page_text_lang (html, language);
        gw_html_put (html, ">%s</span><br><span class=\"muted\">%s · %t %s · "
                     "<time datetime=\"%s\">%s</time>", s_str (hit, "title"),
                     s_str (hit, "symbol"), GW_T_DELEGATION, s_str (hit, "delegation"),
                     s_str (hit, "date"), s_str (hit, "date"));
        if (s_str (hit, "meeting"))
            gw_html_put (html, " · <a href=\"/meetings/%p%s\">%s</a>", s_str (hit, "meeting"),
                         gw_page_lang (page, 1), s_str (hit, "meeting"));
        gw_html_put (html, "</span></li>");
    }
    gw_html_put (html, shown ? "</ul></section>" : "<p>%t</p></section>", GW_T_NONE);
}

struct MHD_Response *
gw_route_document (gw_request_t *request, unsigned int *status)
{
    gw_page_t page;
    if (gw_page_open (&page, request))
        return NULL;
    char err [PL_ERR_MAX];
    json_t *args = gw_page_args (&page, "document.show", "symbol", s_own, 0, err, sizeof err);
    if (!args)
        return gw_page_error (&page, MHD_HTTP_BAD_REQUEST, err, status);
    const char *format = s_param (&page, "format");
    //  The arguments go with the query: keep the language asked for
    char asked [8] = "";
    snprintf (asked, sizeof asked, "%s", s_str (args, "language") ? s_str (args, "language") : "");
    const char *language = *asked ? asked : NULL;
    if (format && (strcmp (format, "txt") || !language)) {
        json_decref (args);
        return gw_page_error (&page, MHD_HTTP_BAD_REQUEST, strcmp (format, "txt")
                              ? "format: want txt" : "format: give the language (?language=) "
                              "of the text", status);
    }
    pl_symbol_t parsed = { .base = "" };
    int family = pl_symbol_parse (s_str (args, "symbol"), &parsed, err, sizeof err) == 0;
    char pattern [PL_SYMBOL_MAX + 3];
    snprintf (pattern, sizeof pattern, "%s/*", parsed.base);
    gw_query_t queries [3] = {
        { .name = "document.show", .args = args },
        { .name = "archive.search", .args = family && !format
            ? json_pack ("{s:s, s:i}", "symbol", parsed.base, "page_size", S_FAMILY_PAGE) : NULL },
        { .name = "archive.search", .args = family && !format
            ? json_pack ("{s:s, s:i}", "symbol", pattern, "page_size", S_FAMILY_PAGE) : NULL },
    };
    gw_page_fetch (&page, queries, family && !format ? 3 : 1);
    if (queries [0].status) {
        struct MHD_Response *response = gw_page_failed (&page, &queries [0], status);
        gw_page_forget (queries, 3);
        return response;
    }
    const json_t *reply = queries [0].reply;
    if (format) {
        struct MHD_Response *response = s_download (&page, reply, language, status);
        gw_page_forget (queries, 3);
        return response;
    }
    //  The family's hits, from both searches
    json_t *hits = json_array ();
    for (size_t q = 1; hits && q < 3; q++)
        json_array_extend (hits, json_object_get (queries [q].reply, "items"));
    const char *symbol = s_str (reply, "symbol"), *base = s_str (reply, "base");
    const json_t *first = json_array_get (json_object_get (reply, "versions"), 0);
    const json_t *titled = first;
    size_t i;
    json_t *version;
    json_array_foreach (json_object_get (reply, "versions"), i, version)
        if (json_is_true (json_object_get (version, "current"))
        &&  strcmp (s_str (version, "language"), gw_i18n_code (page.lang)) == 0)
            titled = version;
    gw_lang_t in = GW_LANG_EN;
    gw_i18n_find (s_str (titled, "language"), &in);
    gw_page_head (&page, symbol);
    gw_html_t *html = page.html;
    gw_html_put (html, "<h1>%s</h1><p class=\"lead\" lang=\"%s\" dir=\"%s\">%s</p>"
                 "<dl class=\"facts\"><dt>%t</dt><dd>%s</dd><dt>%t</dt><dd>%s</dd>",
                 symbol, gw_i18n_code (in), gw_i18n_rtl (in) ? "rtl" : "ltr",
                 s_str (titled, "title"), GW_T_CONVENTION, s_str (reply, "convention"),
                 GW_T_DISTRIBUTION, gw_i18n_enum (page.lang, "distribution",
                                                  s_str (reply, "distribution")));
    if (s_str (first, "meeting"))
        gw_html_put (html, "<dt>%t</dt><dd><a href=\"/meetings/%p%s\">%s</a></dd>", GW_T_MEETING,
                     s_str (first, "meeting"), gw_page_lang (&page, 1), s_str (first, "meeting"));
    if (s_str (first, "agenda_item"))
        gw_html_put (html, "<dt>%t</dt><dd>%s</dd>", GW_T_AGENDA_ITEM,
                     s_str (first, "agenda_item"));
    if (strcmp (symbol, base))
        gw_html_put (html, "<dt>%t</dt><dd><a href=\"/documents/%p%s\">%s</a></dd>", GW_T_FAMILY,
                     base, gw_page_lang (&page, 1), base);
    gw_html_put (html, "</dl>");
    if (language)
        s_text (&page, reply, language);
    s_versions (&page, reply);

    json_t *family_docs = json_array ();
    json_t *hit;
    json_array_foreach (hits, i, hit)
        if (strcmp (s_str (hit, "kind"), "document") == 0 && s_in_family (s_str (hit, "symbol"), base))
            json_array_append (family_docs, hit);
    gw_html_put (html, "<section aria-labelledby=\"family\"><h2 id=\"family\">%t</h2>",
                 GW_T_FAMILY);
    gw_page_documents (&page, family_docs, symbol);
    gw_html_put (html, "<p><a href=\"/search?symbol=%q%s\">%t</a> · <a href=\"/search?symbol=%q%s\">"
                 "%s/*</a></p></section>", base, gw_page_lang (&page, 0), GW_T_MORE, pattern,
                 gw_page_lang (&page, 0), base);
    json_decref (family_docs);
    s_outcomes (&page, reply, hits);
    s_statements (&page, hits, base);
    json_decref (hits);

    char json_path [PL_SYMBOL_MAX + 64];
    snprintf (json_path, sizeof json_path, "/api/documents/%s%s%s", symbol,
              language ? "?language=" : "", language ? language : "");
    gw_page_forget (queries, 3);
    gw_page_foot (&page, json_path);
    return gw_page_finish (&page, MHD_HTTP_OK, status);
}

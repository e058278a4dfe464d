/*  gw_routes_search — GET /search: the archive's search as a page.

    The query is the JSON API's: every parameter but the page's own (lang)
    fills the field of archive.search of its name, checked by the schema,
    exactly as /api/search maps it (gw_page_args over gw_target_query), so
    the words take the same query language as `plenary search` and the
    archive parses them, not the gateway.  One difference, for the form: a
    field left empty filters nothing (browsers send "&meeting=" for a blank
    box).  A refused parameter gives the form back with the reason, 400.

    archive.search and convention.list (for the form's choice of
    convention) are asked together.  Hits show their kind, title (in their
    own language and direction), symbol, meeting, date and snippet, whose
    match markers become <mark> after escaping (gw_html's %m); then the
    count, and links to the pages before and after. */
#include "gw_page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const s_own [] = { "lang", NULL };

//  The form's filters, in the order shown: each an archive.search field.
//  INPUT is an input's type, or NULL for a choice among the field's values
//  (the schema's enumeration; the conventions records knows for
//  "convention"), labelled by LABELS (a gw_i18n_enum field, or NULL for
//  the languages' own names).
static const struct {
    const char *name;
    gw_text_id_t label;
    const char *input;
    const char *labels;
    int hint;                       //  a gw_text_id_t under the field, or -1
} s_filters [] = {
    { "convention", GW_T_CONVENTION,    NULL,   NULL,       -1 },
    { "meeting",    GW_T_MEETING,       "text", NULL,       -1 },
    { "language",   GW_T_TEXT_LANGUAGE, NULL,   NULL,       -1 },
    { "kind",       GW_T_KIND,          NULL,   "hit.kind", -1 },
    { "from",       GW_T_FROM,          "date", NULL,       -1 },
    { "to",         GW_T_TO,            "date", NULL,       -1 },
    { "symbol",     GW_T_SYMBOL,        "text", NULL,       GW_T_SYMBOL_HELP },
};
#define S_FILTERS (sizeof s_filters / sizeof s_filters [0])

static const char *
s_str (const json_t *object, const char *field)
{
    return json_string_value (json_object_get (object, field));
}

//  The value of parameter NAME of the request, or "".
static const char *
s_param (const gw_page_t *page, const char *name)
{
    const gw_target_t *target = page->request->target;
    for (size_t i = 0; i < target->param_count; i++)
        if (strcmp (target->params [i].name, name) == 0)
            return target->params [i].value;
    return "";
}

//  One option of a choice: VALUE labelled LABEL, selected when CURRENT.
static void
s_option (gw_html_t *html, const char *value, const char *label, const char *current)
{
    if (strcasecmp (value, current) == 0)    //  codes in any case (FR is fr)
        gw_html_put (html, "<option value=\"%s\" selected>%s</option>", value, label);
    else
        gw_html_put (html, "<option value=\"%s\">%s</option>", value, label);
}

//  The search form, holding the request's values.
static void
s_form (gw_page_t *page, const json_t *conventions)
{
    gw_html_t *html = page->html;
    gw_html_put (html, "<form class=\"search\" method=\"get\" action=\"/search\" role=\"search\">"
                 "<div class=\"words\"><label for=\"q\">%t</label>"
                 "<input type=\"search\" id=\"q\" name=\"q\" value=\"%s\" dir=\"auto\" "
                 "aria-describedby=\"q-hint\"><p class=\"hint\" id=\"q-hint\">%t</p></div>",
                 GW_T_WORDS, s_param (page, "q"), GW_T_SEARCH_HELP);
    const pl_message_t *search = pl_schema_find ("archive.search");
    for (size_t f = 0; f < S_FILTERS; f++) {
        const char *name = s_filters [f].name, *current = s_param (page, name);
        gw_html_put (html, "<div><label for=\"f-%s\">%t</label>", name, s_filters [f].label);
        if (s_filters [f].input)
            gw_html_put (html, "<input type=\"%s\" id=\"f-%s\" name=\"%s\" value=\"%s\"%s>",
                         s_filters [f].input, name, name, current,
                         s_filters [f].hint >= 0 ? " aria-describedby=\"f-hint\"" : "");
        else {
            gw_html_put (html, "<select id=\"f-%s\" name=\"%s\">", name, name);
            s_option (html, "", gw_i18n_text (page->lang, GW_T_ANY), current);
            size_t i;
            json_t *convention;
            if (strcmp (name, "convention") == 0)
                json_array_foreach (conventions, i, convention)
                    s_option (html, s_str (convention, "code"), s_str (convention, "code"),
                              current);
            const pl_field_t *field = strcmp (name, "convention")
                                    ? pl_schema_field (search, name) : NULL;
            if (field && !field->values && strcmp (name, "language") == 0)
                //  The search takes a language in any case, as text: the
                //  choices are the languages an item can have, a statement's
                field = pl_schema_field (pl_schema_find ("statement.delivered"), "language");
            for (const char *const *value = field ? field->values : NULL; value && *value;
                 value++) {
                gw_lang_t in;
                const char *label = s_filters [f].labels
                                  ? gw_i18n_enum (page->lang, s_filters [f].labels, *value)
                                  : gw_i18n_find (*value, &in) == 0 ? gw_i18n_name (in)
                                  : gw_i18n_enum (page->lang, "language", *value);
                s_option (html, *value, label, current);
            }
            gw_html_put (html, "</select>");
        }
        if (s_filters [f].hint >= 0)
            gw_html_put (html, "<p class=\"hint\" id=\"f-hint\">%t</p>", s_filters [f].hint);
        gw_html_put (html, "</div>");
    }
    if (page->lang_param)
        gw_html_put (html, "<input type=\"hidden\" name=\"lang\" value=\"%s\">", page->lang_param);
    gw_html_put (html, "<div><button type=\"submit\">%t</button></div></form>", GW_T_SEARCH);
}

//  A link to this search's page NUMBER: the request's parameters but page
//  (and those left empty), then page=NUMBER.
static void
s_page_link (gw_page_t *page, long long number, gw_text_id_t label, const char *rel)
{
    gw_html_t *html = page->html;
    const gw_target_t *target = page->request->target;
    gw_html_put (html, "<a rel=\"%s\" href=\"/search?", rel);
    for (size_t i = 0; i < target->param_count; i++)
        if (strcmp (target->params [i].name, "page") && target->params [i].value_size)
            gw_html_put (html, "%q=%q&amp;", target->params [i].name, target->params [i].value);
    gw_html_put (html, "page=%D\">%t</a>", number, label);
}

//  One hit of the results.
static void
s_hit (gw_page_t *page, const json_t *hit)
{
    gw_html_t *html = page->html;
    const char *kind = s_str (hit, "kind"), *symbol = s_str (hit, "symbol");
    const char *language = s_str (hit, "language");
    gw_lang_t in;
    int known = gw_i18n_find (language, &in) == 0;
    gw_html_put (html, "<li><span class=\"badge\">%s</span> ",
                 gw_i18n_enum (page->lang, "hit.kind", kind));
    //  A document's title leads to its version; a statement's or an
    //  outcome's to the document that carries or cites it, when there is one
    if (symbol && strcmp (kind, "document") == 0 && known)
        gw_html_put (html, "<a href=\"/documents/%p?language=%q%s\"", symbol, language,
                     gw_page_lang (page, 0));
    else
    if (symbol)
        gw_html_put (html, "<a href=\"/documents/%p%s\"", symbol, gw_page_lang (page, 1));
    else
        gw_html_put (html, "<span");
    gw_html_put (html, " class=\"title\"");
    gw_page_text_lang (html, language);
    gw_html_put (html, ">%s</%s><br><span class=\"muted\">", s_str (hit, "title"),
                 symbol ? "a" : "span");
    if (symbol)
        gw_html_put (html, "%s", symbol);
    if (s_str (hit, "meeting"))
        gw_html_put (html, " · <a href=\"/meetings/%p%s\">%s</a>", s_str (hit, "meeting"),
                     gw_page_lang (page, 1), s_str (hit, "meeting"));
    if (known)
        gw_html_put (html, " · <span lang=\"%s\">%s</span>", language, gw_i18n_name (in));
    if (s_str (hit, "date"))
        gw_html_put (html, " · <time datetime=\"%s\">%s</time>", s_str (hit, "date"),
                     s_str (hit, "date"));
    if (s_str (hit, "agenda_item"))
        gw_html_put (html, " · %t %s", GW_T_AGENDA_ITEM, s_str (hit, "agenda_item"));
    if (s_str (hit, "delegation"))
        gw_html_put (html, " · %t %s", GW_T_DELEGATION, s_str (hit, "delegation"));
    if (s_str (hit, "outcome_kind"))
        gw_html_put (html, " · %s", gw_i18n_enum (page->lang, "outcome.kind",
                                                   s_str (hit, "outcome_kind")));
    if (json_object_get (hit, "revision"))
        gw_html_put (html, " · %t %D", GW_T_REVISION,
                     (long long) json_integer_value (json_object_get (hit, "revision")));
    if (json_object_get (hit, "relevance"))
        gw_html_put (html, " · %t %D%%", GW_T_RELEVANCE,
                     (long long) json_integer_value (json_object_get (hit, "relevance")));
    gw_html_put (html, "</span>");
    if (s_str (hit, "snippet")) {
        gw_html_put (html, "<p class=\"snippet\"");
        gw_page_text_lang (html, language);
        gw_html_put (html, ">%m</p>", s_str (hit, "snippet"));
    }
    size_t i;
    json_t *cited;
    json_array_foreach (json_object_get (hit, "documents"), i, cited)
        gw_html_put (html, "%s<a href=\"/documents/%p%s\">%s</a>", i ? " · " : "",
                     json_string_value (cited), gw_page_lang (page, 1),
                     json_string_value (cited));
    gw_html_put (html, "</li>");
}

struct MHD_Response *
gw_route_search (gw_request_t *request, unsigned int *status)
{
    gw_page_t page;
    if (gw_page_open (&page, request))
        return NULL;
    char err [PL_ERR_MAX];
    json_t *args = gw_page_args (&page, "archive.search", NULL, s_own, 1, err, sizeof err);
    if (!args && !*err)
        return gw_page_error (&page, MHD_HTTP_INTERNAL_SERVER_ERROR, NULL, status);
    gw_query_t queries [2] = { { .name = "convention.list", .args = json_object () },
                               { .name = "archive.search", .args = args } };
    gw_page_fetch (&page, queries, args ? 2 : 1);
    if (args && queries [1].status && queries [1].status != MHD_HTTP_BAD_REQUEST) {
        struct MHD_Response *response = gw_page_failed (&page, &queries [1], status);
        gw_page_forget (queries, 2);
        return response;
    }
    //  A refused parameter, by the gateway or the archive: the form again, and why
    const char *refused = !args ? err : queries [1].status ? queries [1].err : NULL;
    gw_page_head (&page, gw_i18n_text (page.lang, GW_T_NAV_SEARCH));
    gw_html_t *html = page.html;
    gw_html_put (html, "<h1>%t</h1>", GW_T_NAV_SEARCH);
    s_form (&page, json_object_get (queries [0].reply, "items"));
    if (refused)
        gw_html_put (html, "<p role=\"alert\"><strong>%t:</strong> <code lang=\"en\" "
                     "dir=\"ltr\">%s</code></p>", GW_T_BAD_REQUEST, refused);
    const json_t *reply = refused ? NULL : queries [1].reply;
    json_int_t total = json_integer_value (json_object_get (reply, "total"));
    json_int_t number = json_integer_value (json_object_get (reply, "page"));
    json_int_t size = json_integer_value (json_object_get (reply, "page_size"));
    const json_t *items = json_object_get (reply, "items");
    if (reply) {
        gw_html_put (html, "<section aria-labelledby=\"results\"><h2 id=\"results\">%t: "
                     "<span class=\"count\">%D</span></h2>", GW_T_FOUND, (long long) total);
        if (json_array_size (items) == 0)
            gw_html_put (html, "<p>%t</p>", GW_T_NO_RESULTS);
        else {
            gw_html_put (html, "<ol class=\"hits\" start=\"%D\">", (long long)
                         json_integer_value (json_object_get (json_array_get (items, 0), "rank")));
            size_t i;
            json_t *hit;
            json_array_foreach (items, i, hit)
                s_hit (&page, hit);
            gw_html_put (html, "</ol>");
        }
        json_int_t pages = size > 0 ? (total + size - 1) / size : 0;
        if (pages > 1) {
            gw_html_put (html, "<nav class=\"pages\" aria-label=\"%t\">", GW_T_PAGE);
            if (number > 1)
                s_page_link (&page, number - 1, GW_T_PREVIOUS, "prev");
            gw_html_put (html, "<span>%t %D / %D</span>", GW_T_PAGE, (long long) number,
                         (long long) pages);
            if (number < pages)
                s_page_link (&page, number + 1, GW_T_NEXT, "next");
            gw_html_put (html, "</nav>");
        }
        gw_html_put (html, "</section>");
    }
    //  The API answer with the same parameters
    gw_html_t *json = gw_html_new (page.lang);
    const gw_target_t *target = request->target;
    if (json) {
        gw_html_put (json, "/api/search");
        for (size_t i = 0, n = 0; i < target->param_count; i++)
            if (strcmp (target->params [i].name, "lang") && target->params [i].value_size)
                gw_html_put (json, n++ ? "&%q=%q" : "?%q=%q", target->params [i].name,
                             target->params [i].value);
    }
    gw_page_forget (queries, 2);
    gw_page_foot (&page, json && !gw_html_failed (json) ? gw_html_data (json) : NULL);
    gw_html_destroy (&json);
    return gw_page_finish (&page, refused ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_OK, status);
}

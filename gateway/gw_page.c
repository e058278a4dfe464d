/*  gw_page — the frame, queries and responses of the web pages (see
    gw_page.h).

    The style sheet and the script are constants of this file, inlined in
    every page (no external asset, nothing fetched: a page is one
    response) and allowed by their SHA-256 in the Content-Security-Policy,
    computed once in gw_pages_new.  The style sheet is responsive (a phone
    reads the programme as cards), right-to-left safe (logical properties
    only), visible on focus, and has print rules for the lists.  The script
    only enhances: it shows the viewer's own time beside the meeting's and
    a copy button beside a feed's address; without it the page shows UTC
    and a selectable address. */
#include "gw_page.h"
#include "pl_log.h"
#include "pl_zone.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char s_style [] =
    ":root{--ink:#1b1b1b;--muted:#555;--line:#cfd4da;--link:#0a4d8c;--band:#f2f4f6;"
    "--mark:#ffe066;--warn:#8a1c1c;--head:#0a3a66}"
    "*{box-sizing:border-box}"
    "body{margin:0;font:16px/1.5 system-ui,\"Segoe UI\",\"Noto Sans\",\"DejaVu Sans\","
    "\"WenQuanYi Zen Hei\",sans-serif;color:var(--ink);background:#fff}"
    "a{color:var(--link)}a:hover{text-decoration-thickness:2px}"
    ":focus-visible{outline:3px solid #c77700;outline-offset:2px}"
    ".skip{position:absolute;inset-inline-start:-999em}"
    ".skip:focus{inset-inline-start:.5rem;top:.5rem;background:#fff;color:var(--link);"
    "padding:.25rem .5rem;z-index:1}"
    "header{background:var(--head);color:#fff;padding:.5rem 1rem}"
    "header a{color:#fff}header nav{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;"
    "align-items:baseline;max-width:72rem;margin:0 auto}"
    "header ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}"
    ".site{font-weight:700}.langs{font-size:.9rem}"
    ".langs strong{font-weight:700}"
    "main{max-width:72rem;margin:0 auto;padding:1rem}"
    "h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}"
    "h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid var(--line)}"
    "h3{font-size:1.1rem;margin-bottom:.25rem}"
    ".table{overflow-x:auto}table{border-collapse:collapse;width:100%}"
    "th,td{text-align:start;vertical-align:top;padding:.35rem .5rem;"
    "border-bottom:1px solid var(--line)}th{background:var(--band)}"
    "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}"
    "dl.facts dt{font-weight:600}dl.facts dd{margin:0}"
    ".badge{display:inline-block;font-size:.85rem;padding:0 .4rem;border:1px solid;"
    "border-radius:.25rem}"
    ".cancelled .badge,.badge.cancelled{color:var(--warn)}"
    "tr.cancelled .what{text-decoration:line-through}"
    ".muted{color:var(--muted)}mark{background:var(--mark);color:inherit}"
    "ul.meetings,ul.docs{list-style:none;padding:0}ul.meetings li,ul.docs li{margin:.5rem 0}"
    "form.search{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));"
    "background:var(--band);padding:1rem;border-radius:.25rem}"
    "form.search .words{grid-column:1/-1}label{display:block;font-weight:600}"
    ".hint{font-size:.9rem;color:var(--muted);margin:.25rem 0 0}"
    "input,select,button{font:inherit;padding:.35rem;max-width:100%}"
    "input[type=search],input[type=text],input[type=date],select{width:100%}"
    "button{cursor:pointer}ol.hits{padding-inline-start:1.5rem}ol.hits li{margin-bottom:1rem}"
    ".snippet{margin:.25rem 0}"
    ".subscribe ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}"
    ".subscribe a{display:inline-block;padding:.35rem .75rem;border:1px solid var(--link);"
    "border-radius:.25rem;text-decoration:none}"
    ".copy{display:flex;gap:.5rem}.copy input{flex:1}[hidden]{display:none!important}"
    "pre.text{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--band);"
    "padding:1rem;border-radius:.25rem;font-family:inherit}"
    ".pages{display:flex;gap:1rem;flex-wrap:wrap;align-items:center}"
    ".account{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;"
    "justify-content:space-between;background:var(--band);padding:.25rem .75rem}"
    ".account p{margin:0}form.sign-in{display:grid;gap:.75rem;max-width:22rem}"
    ".problem{color:var(--warn);font-weight:600}form.act{display:inline-block;margin-inline-end:.5rem}svg.chart{max-width:100%;height:auto}"
    "footer{max-width:72rem;margin:2rem auto 0;padding:1rem;border-top:1px solid var(--line);"
    "font-size:.9rem}"
    "@media (max-width:40rem){main{padding:.5rem}h1{font-size:1.35rem}"
    "table.cards thead{display:none}table.cards tr{display:block;padding:.5rem 0;"
    "border-bottom:1px solid var(--line)}table.cards td{display:block;border:0;padding:.1rem .5rem}"
    "table.cards td[data-label]::before{content:attr(data-label) \": \";font-weight:600}"
    "table.cards td:empty{display:none}"
    "dl.facts{grid-template-columns:1fr}}"
    "@media print{header,.skip,form,.subscribe,.pages,footer,.account{display:none!important}"
    "body{font-size:11pt}a{color:inherit;text-decoration:none}main{max-width:none;padding:0}"
    "tr,li{break-inside:avoid}h2{break-after:avoid}th{background:none}"
    "table.cards thead{display:table-header-group}}";

//  Times: each element with data-start/data-end (UTC, RFC 3339) gets the
//  viewer's own time, and each th[data-yours] its label; copy buttons.
static const char s_script [] =
    "(function(){var l=document.documentElement.lang;"
    "var day=new Intl.DateTimeFormat(l,{weekday:'short',day:'numeric',month:'short'}),"
    "hm=new Intl.DateTimeFormat(l,{hour:'2-digit',minute:'2-digit',hourCycle:'h23'}),"
    "zone=new Intl.DateTimeFormat(l,{timeZoneName:'short'});"
    "document.querySelectorAll('[data-start]').forEach(function(e){"
    "var s=new Date(e.getAttribute('data-start')),t=new Date(e.getAttribute('data-end'));"
    "var z=zone.formatToParts(s).filter(function(p){return p.type==='timeZoneName'});"
    "e.textContent=day.format(s)+' '+hm.format(s)+'\\u2013'+hm.format(t)+"
    "(z.length?' '+z[0].value:'');});"
    "document.querySelectorAll('[data-yours]').forEach(function(e){"
    "e.textContent=e.getAttribute('data-yours')+' ('+"
    "Intl.DateTimeFormat().resolvedOptions().timeZone+')';});"
    "document.querySelectorAll('button[data-copy]').forEach(function(b){b.hidden=false;"
    "b.addEventListener('click',function(){var i=document.getElementById("
    "b.getAttribute('data-copy'));i.select();var done=function(){"
    "b.textContent=b.getAttribute('data-copied');};"
    "if(navigator.clipboard){navigator.clipboard.writeText(i.value).then(done,done);}"
    "else{document.execCommand('copy');done();}});});})();";

struct _gw_pages_t {
    char csp [512];                 //  the Content-Security-Policy header
    pthread_mutex_t zones;          //  libical's zone cache is not thread-safe
};

//  'sha256-BASE64' of TEXT into OUT.
static void
s_source_hash (const char *text, char *out, size_t size)
{
    unsigned char digest [crypto_hash_sha256_BYTES];
    crypto_hash_sha256 (digest, (const unsigned char *) text, strlen (text));
    char base64 [64];
    sodium_bin2base64 (base64, sizeof base64, digest, sizeof digest,
                       sodium_base64_VARIANT_ORIGINAL);
    snprintf (out, size, "'sha256-%s'", base64);
}

gw_pages_t *
gw_pages_new (void)
{
    gw_pages_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    if (pthread_mutex_init (&self->zones, NULL)) {
        free (self);
        return NULL;
    }
    char style [96], script [96];
    s_source_hash (s_style, style, sizeof style);
    s_source_hash (s_script, script, sizeof script);
    snprintf (self->csp, sizeof self->csp,
              "default-src 'none'; style-src %s; script-src %s; form-action 'self'; "
              "base-uri 'none'; frame-ancestors 'none'", style, script);
    return self;
}

void
gw_pages_destroy (gw_pages_t **self_p)
{
    if (self_p && *self_p) {
        pthread_mutex_destroy (&(*self_p)->zones);
        free (*self_p);
        *self_p = NULL;
    }
}

int
gw_pages_instants (gw_pages_t *self, const char *tz, size_t count, const char *const *locals,
                   int64_t *utc)
{
    int rc = 0;
    pthread_mutex_lock (&self->zones);
    for (size_t i = 0; i < count; i++) {
        pl_zone_local_t local;
        pl_zone_answer_t answer;
        utc [i] = INT64_MIN;
        if (rc == 0 && locals [i] && pl_zone_parse (locals [i], &local) == 0) {
            if (pl_zone_resolve (tz, &local, &answer))
                rc = -1;
            else
            if (answer.fit == PL_ZONE_VALID)
                utc [i] = answer.utc;
        }
    }
    pthread_mutex_unlock (&self->zones);
    return rc;
}

int
gw_page_open (gw_page_t *page, gw_request_t *request)
{
    memset (page, 0, sizeof *page);
    page->request = request;
    const char *param = NULL;
    for (size_t i = 0; i < request->target->param_count; i++)
        if (strcmp (request->target->params [i].name, "lang") == 0)
            param = request->target->params [i].value;
    page->lang = gw_i18n_choose (param, gw_http_header (request, "Accept-Language"));
    gw_lang_t named;
    if (param && gw_i18n_find (param, &named) == 0)
        page->lang_param = gw_i18n_code (named);
    page->html = gw_html_new (page->lang);
    return page->html ? 0 : -1;
}

void
gw_page_fetch (gw_page_t *page, gw_query_t *queries, size_t count)
{
    gw_page_fetch_as (page->request->client, "public", queries, count);
}

void
gw_page_fetch_as (pl_client_t *client, const char *as_role, gw_query_t *queries, size_t count)
{
    pl_query_t many [count];
    for (size_t i = 0; i < count; i++)
        many [i] = (pl_query_t) { queries [i].name, queries [i].args, NULL, 0, "" };
    pl_client_query_many (client, many, count, as_role);
    for (size_t i = 0; i < count; i++) {
        json_decref (queries [i].args);
        queries [i].args = NULL;
        queries [i].reply = many [i].reply;
        queries [i].status = many [i].reply ? 0 : many [i].status;
        snprintf (queries [i].err, sizeof queries [i].err, "%s", many [i].err);
    }
}

void
gw_page_forget (gw_query_t *queries, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        json_decref (queries [i].args);
        json_decref (queries [i].reply);
        queries [i].args = queries [i].reply = NULL;
    }
}

const char *
gw_page_lang (const gw_page_t *page, int first)
{
    static const char *const links [2][GW_LANGS] = {
        { "&lang=ar", "&lang=zh", "&lang=en", "&lang=fr", "&lang=ru", "&lang=es" },
        { "?lang=ar", "?lang=zh", "?lang=en", "?lang=fr", "?lang=ru", "?lang=es" },
    };
    return page->lang_param ? links [first != 0][page->lang] : "";
}

//  The header's language switch: this page's address with lang=XX.
static void
s_languages (gw_page_t *page)
{
    gw_html_t *html = page->html;
    const gw_target_t *target = page->request->target;
    gw_html_put (html, "<ul class=\"langs\" aria-label=\"%t\">", GW_T_LANGUAGE);
    for (int lang = 0; lang < GW_LANGS; lang++) {
        const char *code = gw_i18n_code ((gw_lang_t) lang);
        const char *dir = gw_i18n_rtl ((gw_lang_t) lang) ? "rtl" : "ltr";
        if ((gw_lang_t) lang == page->lang) {
            gw_html_put (html, "<li><strong lang=\"%s\" dir=\"%s\">%s</strong></li>", code, dir,
                         gw_i18n_name ((gw_lang_t) lang));
            continue;
        }
        gw_html_put (html, "<li><a href=\"%p?", page->request->path);
        for (size_t i = 0; i < target->param_count; i++)
            if (strcmp (target->params [i].name, "lang"))
                gw_html_put (html, "%q=%q&amp;", target->params [i].name,
                             target->params [i].value);
        gw_html_put (html, "lang=%s\" lang=\"%s\" hreflang=\"%s\" dir=\"%s\">%s</a></li>", code,
                     code, code, dir, gw_i18n_name ((gw_lang_t) lang));
    }
    gw_html_put (html, "</ul>");
}

void
gw_page_head (gw_page_t *page, const char *title)
{
    gw_lang_t lang = page->lang;
    gw_html_put (page->html,
        "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>%s — %t</title><style>", gw_i18n_code (lang), gw_i18n_rtl (lang) ? "rtl" : "ltr",
        title, GW_T_SITE);
    gw_html_raw (page->html, s_style);
    gw_html_put (page->html,
        "</style></head>\n<body><a class=\"skip\" href=\"#main\">%t</a>"
        "<header><nav aria-label=\"%t\"><a class=\"site\" href=\"/%s\">%t</a>"
        "<ul><li><a href=\"/%s\">%t</a></li><li><a href=\"/search%s\">%t</a></li></ul>",
        GW_T_SKIP, GW_T_SITE, gw_page_lang (page, 1), GW_T_SITE, gw_page_lang (page, 1),
        GW_T_NAV_MEETINGS, gw_page_lang (page, 1), GW_T_NAV_SEARCH);
    s_languages (page);
    gw_html_put (page->html, "</nav></header>\n<main id=\"main\">");
}

void
gw_page_foot (gw_page_t *page, const char *json_path)
{
    gw_html_put (page->html, "</main>\n");
    if (json_path)
        gw_html_put (page->html, "<footer><p><a href=\"%s\" hreflang=\"en\">%t</a></p></footer>",
                     json_path, GW_T_JSON);
    gw_html_put (page->html, "<script>");
    gw_html_raw (page->html, s_script);
    gw_html_put (page->html, "</script></body></html>\n");
}

//  True when If-None-Match names ETAG (or is "*").
static int
s_matches (gw_request_t *request, const char *etag)
{
    const char *header = gw_http_header (request, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (!header)
        return 0;
    if (strcmp (header, "*") == 0)
        return 1;
    size_t length = strlen (etag);
    for (const char *at = strstr (header, etag); at; at = strstr (at + 1, etag))
        if ((at == header || strchr (" ,/", at [-1])) && strchr (" ,", at [length]))
            return 1;
    return 0;
}

//  The response of BODY (SIZE bytes, taken) of TYPE with CODE: the
//  headers every page and download carries, or 304 when If-None-Match
//  names its ETag.  Frees the page.
static struct MHD_Response *
s_respond (gw_page_t *page, char *body, size_t size, const char *type, unsigned int code,
           unsigned int *status)
{
    gw_request_t *request = page->request;
    gw_html_destroy (&page->html);
    if (!body)
        return NULL;
    unsigned char digest [crypto_hash_sha256_BYTES];
    crypto_hash_sha256 (digest, (const unsigned char *) body, size);
    char hex [33], etag [40];
    sodium_bin2hex (hex, sizeof hex, digest, 16);
    snprintf (etag, sizeof etag, "\"%s\"", hex);
    struct MHD_Response *response;
    *status = code;
    if (code == MHD_HTTP_OK && s_matches (request, etag)) {
        free (body);
        *status = MHD_HTTP_NOT_MODIFIED;
        response = MHD_create_response_from_buffer (0, (void *) "", MHD_RESPMEM_PERSISTENT);
    }
    else
    if (!(response = MHD_create_response_from_buffer (size, body, MHD_RESPMEM_MUST_FREE)))
        free (body);
    if (!response)
        return NULL;
    if (*status != MHD_HTTP_NOT_MODIFIED)
        MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (code == MHD_HTTP_OK)
        MHD_add_response_header (response, MHD_HTTP_HEADER_ETAG, etag);
    //  Revalidated every time (a 304 is cheap; a change shows at once);
    //  the language follows Accept-Language
    MHD_add_response_header (response, MHD_HTTP_HEADER_CACHE_CONTROL,
                             code == MHD_HTTP_OK ? "public, no-cache" : "no-store");
    MHD_add_response_header (response, MHD_HTTP_HEADER_VARY, "Accept-Language");
    MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_LANGUAGE,
                             gw_i18n_code (page->lang));
    MHD_add_response_header (response, "Content-Security-Policy", request->pages->csp);
    MHD_add_response_header (response, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header (response, "Referrer-Policy", "same-origin");
    return response;
}

struct MHD_Response *
gw_page_finish (gw_page_t *page, unsigned int code, unsigned int *status)
{
    size_t size = 0;
    char *body = gw_html_take (page->html, &size);
    return s_respond (page, body, size, "text/html; charset=utf-8", code, status);
}

struct MHD_Response *
gw_page_download (gw_page_t *page, const char *text, size_t size, const char *filename,
                  unsigned int *status)
{
    char *body = malloc (size + 1);
    if (body)
        memcpy (body, text, size);
    struct MHD_Response *response = s_respond (page, body, size, "text/plain; charset=utf-8",
                                               MHD_HTTP_OK, status);
    char disposition [160];
    snprintf (disposition, sizeof disposition, "attachment; filename=\"%s\"", filename);
    if (response && *status == MHD_HTTP_OK)
        MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_DISPOSITION, disposition);
    return response;
}

struct MHD_Response *
gw_page_error (gw_page_t *page, unsigned int code, const char *detail, unsigned int *status)
{
    gw_text_id_t heading = code == MHD_HTTP_NOT_FOUND ? GW_T_NOT_FOUND
                         : code >= 500 ? GW_T_UNAVAILABLE : GW_T_BAD_REQUEST;
    gw_html_t *html = gw_html_new (page->lang);
    if (!html) {
        gw_html_destroy (&page->html);
        return NULL;
    }
    //  Whatever the route wrote so far goes: the error page is whole
    gw_html_destroy (&page->html);
    page->html = html;
    gw_page_head (page, gw_i18n_text (page->lang, heading));
    gw_html_put (html, "<h1>%t</h1>", heading);
    if (detail && *detail)
        gw_html_put (html, "<p lang=\"en\" dir=\"ltr\"><code>%s</code></p>", detail);
    gw_html_put (html, "<p><a href=\"/%s\">%t</a> · <a href=\"/search%s\">%t</a></p>",
                 gw_page_lang (page, 1), GW_T_NAV_MEETINGS, gw_page_lang (page, 1),
                 GW_T_NAV_SEARCH);
    gw_page_foot (page, NULL);
    return gw_page_finish (page, code, status);
}

struct MHD_Response *
gw_page_failed (gw_page_t *page, const gw_query_t *query, unsigned int *status)
{
    static const unsigned int passed [] = { 400, 404, 503, 504 };
    for (size_t i = 0; i < sizeof passed / sizeof passed [0]; i++)
        if ((int) passed [i] == query->status)
            return gw_page_error (page, passed [i], query->err, status);
    pl_warn ("gateway: %s failed status=%d cause=%s", query->name, query->status, query->err);
    return gw_page_error (page, MHD_HTTP_BAD_GATEWAY, query->err, status);
}

json_t *
gw_page_args (gw_page_t *page, const char *message, const char *field,
              const char *const *skip, int drop_empty, char *err, size_t errsize)
{
    *err = 0;
    const pl_message_t *query = pl_schema_find (message);
    if (!query) {
        snprintf (err, errsize, "%s is not available on this server", message);
        return NULL;
    }
    //  The request's parameters less the page's own: a copy whose pieces
    //  still point into the request's target
    const gw_target_t *target = page->request->target;
    gw_target_t *kept = malloc (sizeof *kept);
    if (!kept)
        return NULL;
    memcpy (kept, target, offsetof (gw_target_t, buffer));
    kept->param_count = 0;
    for (size_t i = 0; i < target->param_count; i++) {
        const gw_param_t *param = &target->params [i];
        int own = 0;
        for (const char *const *name = skip; name && *name; name++)
            own |= strcmp (param->name, *name) == 0;
        if (!own && !(drop_empty && param->value_size == 0))
            kept->params [kept->param_count++] = *param;
    }
    json_t *args = gw_target_query (kept, query, field, field ? page->request->param : NULL,
                                    err, errsize);
    free (kept);
    return args;
}

struct MHD_Response *
gw_page_refuse (gw_request_t *request, unsigned int code, const char *detail,
                unsigned int *status)
{
    gw_page_t page;
    if (gw_page_open (&page, request))
        return NULL;
    return gw_page_error (&page, code, detail, status);
}

void
gw_page_text_lang (gw_html_t *html, const char *code)
{
    gw_lang_t lang;
    if (code && gw_i18n_find (code, &lang) == 0)
        gw_html_put (html, " lang=\"%s\" dir=\"%s\"", code, gw_i18n_rtl (lang) ? "rtl" : "ltr");
    else
        gw_html_put (html, " dir=\"auto\"");
}

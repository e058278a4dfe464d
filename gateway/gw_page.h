/*  gw_page — what every web page of the gateway shares: the frame (head
    with the inline style sheet, the header with its navigation and the
    language switch, the footer and the one inline script), the queries a
    page asks the workers, and the response with its headers.

    A page route (gw_routes_home.c, gw_routes_search.c,
    gw_routes_document.c) reads:

        gw_page_t page;
        if (gw_page_open (&page, request))
            return NULL;                                //  out of memory
        gw_query_t queries [2] = { { "meeting.show", args1 }, { "session.list", args2 } };
        gw_page_fetch (&page, queries, 2);              //  asked together
        if (queries [0].status)
            return gw_page_failed (&page, &queries [0], status);
        gw_page_head (&page, title);
        gw_html_put (page.html, "<h1>%s</h1>", title);  //  escaped holes only
        gw_page_foot (&page, json_path);
        return gw_page_finish (&page, MHD_HTTP_OK, status);

    Pages ask as role public, through the same queries and with the same
    parameters as the JSON API and the CLI's --json: a page shows what
    /api/... shows, never more (docs/SECURITY.md).  Every response carries
    a strong ETag of its bytes (If-None-Match answered 304), Vary:
    Accept-Language, Content-Language, and a Content-Security-Policy that
    allows only the page's own inline style sheet and script, by hash:
    nothing else loads or runs, whatever a title holds. */
#ifndef GW_PAGE_H_INCLUDED
#define GW_PAGE_H_INCLUDED

#include <stdint.h>
#include "gw_html.h"
#include "gw_http.h"

//  What the pages share across threads: the security policy of their
//  inline style sheet and script, and libical's time zones (not
//  thread-safe: one lock, held for the few conversions of one page).
//  (gw_pages_t is declared in gw_http.h.)

//  NULL when out of memory.
gw_pages_t *gw_pages_new (void);

//  Free; NULL-safe, nulls *SELF_P.
void gw_pages_destroy (gw_pages_t **self_p);

//  The instants (seconds since the epoch) of COUNT wall-clock times LOCALS
//  (a session's start or end, as session.list gives them) in zone TZ, into
//  UTC; an entry that is not one instant there (records refuses those) is
//  INT64_MIN.  0, or -1 when the zone is unknown (every entry INT64_MIN).
int gw_pages_instants (gw_pages_t *self, const char *tz, size_t count,
                       const char *const *locals, int64_t *utc);

//  One page being written.
typedef struct {
    gw_request_t *request;
    gw_lang_t lang;
    const char *lang_param;         //  ?lang= when it named a language: links keep it
    gw_html_t *html;
} gw_page_t;

//  One query of a page: NAME with ARGS (taken), and its answer: REPLY
//  (caller owns) with STATUS 0, or STATUS (the query's: 400, 404, 503...)
//  and ERR.
typedef struct {
    const char *name;
    json_t *args;
    json_t *reply;
    int status;
    char err [PL_ERR_MAX];
} gw_query_t;

//  Start PAGE for REQUEST: its language (?lang=, else Accept-Language).
//  0, or -1 when out of memory.
int gw_page_open (gw_page_t *page, gw_request_t *request);

//  Ask the COUNT QUERIES as role public, all sent before any answer is
//  awaited (pl_client_query_many): a page waits for its slowest query, not
//  their sum.
void gw_page_fetch (gw_page_t *page, gw_query_t *queries, size_t count);

//  The same through CLIENT, as AS_ROLE (NULL: the connection's own role):
//  the signed-in pages ask through the session's connection, as its key.
void gw_page_fetch_as (pl_client_t *client, const char *as_role, gw_query_t *queries,
                       size_t count);

//  Free the replies of COUNT QUERIES.
void gw_page_forget (gw_query_t *queries, size_t count);

//  Write the head and the page's header up to the opening of <main>, with
//  TITLE (text) as the document's title.
void gw_page_head (gw_page_t *page, const char *title);

//  Close <main>, write the footer (with a link to JSON_PATH, the API
//  answer holding this page's data, when not NULL) and the script.
void gw_page_foot (gw_page_t *page, const char *json_path);

//  "?lang=xx" (FIRST) or "&lang=xx" when the page's language came from
//  ?lang=, else "": appended to the page's links.  Static.
const char *gw_page_lang (const gw_page_t *page, int first);

//  The response: the document with CODE and its headers, or 304 when
//  If-None-Match holds its ETag; sets *STATUS.  Frees the page.  NULL only
//  when out of memory.
struct MHD_Response *gw_page_finish (gw_page_t *page, unsigned int code, unsigned int *status);

//  TEXT (SIZE bytes of UTF-8) as a text/plain attachment named FILENAME
//  (letters, digits, dots and dashes), with the page's ETag, 304 and
//  caching rules; sets *STATUS.  Frees the page.
struct MHD_Response *gw_page_download (gw_page_t *page, const char *text, size_t size,
                                       const char *filename, unsigned int *status);

//  An error page: CODE (400, 404, 502, 503, 504) with its heading and
//  DETAIL (text, may be NULL) under it; sets *STATUS.  Frees the page.
struct MHD_Response *gw_page_error (gw_page_t *page, unsigned int code, const char *detail,
                                    unsigned int *status);

//  The error page for QUERY, which failed: its status passed on (400,
//  404, 503, 504; anything else a logged 502) with its reason.
struct MHD_Response *gw_page_failed (gw_page_t *page, const gw_query_t *query,
                                     unsigned int *status);

//  The arguments of query MESSAGE from the request's parameters (and its
//  path parameter into FIELD when not NULL), as the JSON API maps them
//  (gw_target_query), leaving out the page's own parameters (SKIP,
//  NULL-terminated: lang, format...) and, when DROP_EMPTY, those given
//  empty (a form's field left blank filters nothing).  NULL with ERR (a
//  400's reason; empty when out of memory).
json_t *gw_page_args (gw_page_t *page, const char *message, const char *field,
                      const char *const *skip, int drop_empty, char *err, size_t errsize);

//  The attributes of text in language CODE (a document's, a hit's): ' lang="fr"
//  dir="ltr"' for one of the six (rtl for Arabic), else ' dir="auto"' (an
//  unknown or absent language: the browser finds the direction).
void gw_page_text_lang (gw_html_t *html, const char *code);

//  The documents among HITS (archive.search's items): one line per symbol,
//  in the order found, with its title and links to its language versions;
//  EXCEPT (a symbol, or NULL) left out (gw_routes_home.c).
void gw_page_documents (gw_page_t *page, const json_t *hits, const char *except);

#endif

/*  gw_html — HTML built by appending templates whose holes are escaped by
    construction: the web pages' one way of writing markup.

    A template is a string literal of markup with directives; every value
    that fills a directive is escaped for where it goes, so no text from a
    worker's reply, a request or a translation can become markup.  Raw
    markup comes only from the template literals themselves.

        %s  text (const char *, NULL prints nothing): & < > " ' become
            entities, so it is safe in element content and in quoted
            attribute values alike (one escaping function, s_escape)
        %p  a path segment (const char *): percent-encoded but for the
            unreserved characters and "/" (a document symbol's slashes)
        %q  a query-string value (const char *): percent-encoded but for
            the unreserved characters, a space as "+"
        %m  a search snippet (const char *): escaped as %s, then each match
            marker ⟦ ⟧ becomes <mark> </mark>, always balanced (the archive
            writes the text's own markers as U+FFFD, and escaping leaves
            them alone, so a marker is a match's; docs/SECURITY.md)
        %d  an int;  %D  a long long
        %t  a UI string of the page's language (a gw_text_id_t), escaped
        %%  a percent sign

        gw_html_t *html = gw_html_new (GW_LANG_FR);
        gw_html_put (html, "<a href=\"/meetings/%p\">%s</a>", id, title);

    An unknown directive is our bug: it asserts in a debug build and
    prints nothing otherwise.  Out of memory is remembered (gw_html_failed)
    and later puts do nothing. */
#ifndef GW_HTML_H_INCLUDED
#define GW_HTML_H_INCLUDED

#include <stddef.h>
#include "gw_i18n.h"

typedef struct _gw_html_t gw_html_t;

//  An empty document whose %t directives speak LANG.  NULL when out of memory.
gw_html_t *gw_html_new (gw_lang_t lang);

//  Free; NULL-safe, nulls *SELF_P.
void gw_html_destroy (gw_html_t **self_p);

//  Append TEMPLATE (a literal) with its directives filled from the arguments.
void gw_html_put (gw_html_t *self, const char *template, ...);

//  Append MARKUP as it is: for the constants of the program that hold a
//  "%" (gw_page.c's style sheet and script), never for a value.
void gw_html_raw (gw_html_t *self, const char *markup);

//  Append TEXT escaped (the %s directive, for text built by the caller).
void gw_html_text (gw_html_t *self, const char *text);

//  The language of %t.
gw_lang_t gw_html_lang (const gw_html_t *self);

//  1 when a put ran out of memory (the document is incomplete).
int gw_html_failed (const gw_html_t *self);

//  The document so far (borrowed, NUL-terminated) and its length.
const char *gw_html_data (const gw_html_t *self);
size_t gw_html_size (const gw_html_t *self);

//  Take the document out (caller owns it, free it) with its length in
//  *SIZE; SELF is empty afterwards.  NULL when it failed.
char *gw_html_take (gw_html_t *self, size_t *size);

//  Self-test: hostile text and names, snippets with unbalanced and forged
//  markers, URLs.  0 when every case passes.
int gw_html_test (int verbose);

#endif

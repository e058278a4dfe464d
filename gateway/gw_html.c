/*  gw_html — templates with escaped holes (see gw_html.h).

    The buffer grows by doubling.  Every directive's value goes through one
    of three writers: s_escape (text, the one HTML escaping function),
    s_percent (URL pieces) and s_snippet (s_escape, then the archive's
    match markers as <mark>). */
#include "gw_html.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_INITIAL 8192

//  The archive's match markers, U+27E6 and U+27E7, in UTF-8
#define S_OPEN  "\xE2\x9F\xA6"
#define S_CLOSE "\xE2\x9F\xA7"

struct _gw_html_t {
    char *data;
    size_t size;                //  bytes written, without the NUL
    size_t room;                //  bytes allocated
    gw_lang_t lang;
    int failed;
};

gw_html_t *
gw_html_new (gw_lang_t lang)
{
    gw_html_t *self = calloc (1, sizeof *self);
    if (self && !(self->data = malloc (S_INITIAL)))
        free (self), self = NULL;
    if (self) {
        self->room = S_INITIAL;
        self->data [0] = 0;
        self->lang = lang;
    }
    return self;
}

void
gw_html_destroy (gw_html_t **self_p)
{
    if (self_p && *self_p) {
        free ((*self_p)->data);
        free (*self_p);
        *self_p = NULL;
    }
}

//  Room for MORE bytes and the NUL; 0, or -1 when out of memory (remembered).
static int
s_reserve (gw_html_t *self, size_t more)
{
    if (self->failed)
        return -1;
    if (self->size + more + 1 <= self->room)
        return 0;
    size_t room = self->room;
    while (room < self->size + more + 1)
        room *= 2;
    char *data = realloc (self->data, room);
    if (!data) {
        self->failed = 1;
        return -1;
    }
    self->data = data;
    self->room = room;
    return 0;
}

static void
s_append (gw_html_t *self, const char *bytes, size_t size)
{
    if (size == 0 || s_reserve (self, size))
        return;
    memcpy (self->data + self->size, bytes, size);
    self->size += size;
    self->data [self->size] = 0;
}

//  The one escaping function: SIZE bytes of TEXT with & < > " ' as
//  entities.  Safe in element content and in quoted attribute values.
static void
s_escape (gw_html_t *self, const char *text, size_t size)
{
    const char *run = text;
    for (const char *at = text; at < text + size; at++) {
        const char *entity = NULL;
        switch (*at) {
            case '&':  entity = "&amp;";  break;
            case '<':  entity = "&lt;";   break;
            case '>':  entity = "&gt;";   break;
            case '"':  entity = "&quot;"; break;
            case '\'': entity = "&#39;";  break;
            default:   continue;
        }
        s_append (self, run, (size_t) (at - run));
        s_append (self, entity, strlen (entity));
        run = at + 1;
    }
    s_append (self, run, (size_t) (text + size - run));
}

//  TEXT percent-encoded: the unreserved characters (RFC 3986) as they are,
//  "/" too when KEEP_SLASH, a space as "+" when PLUS_SPACE.
static void
s_percent (gw_html_t *self, const char *text, int keep_slash, int plus_space)
{
    static const char hex [] = "0123456789ABCDEF";
    for (const unsigned char *at = (const unsigned char *) text; at && *at; at++) {
        unsigned char c = *at;
        char one [3] = { (char) c, 0, 0 };
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        ||  c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/'))
            s_append (self, one, 1);
        else
        if (plus_space && c == ' ')
            s_append (self, "+", 1);
        else {
            char escape [3] = { '%', hex [c >> 4], hex [c & 15] };
            s_append (self, escape, 3);
        }
    }
}

//  A snippet: escaped, markers as <mark> and </mark>, balanced whatever
//  the text holds (an opening marker inside a match and a closing one
//  outside are left as they are, escaped text with nothing to close).
static void
s_snippet (gw_html_t *self, const char *text)
{
    int open = 0;
    const char *run = text;
    for (const char *at = text; at && *at; at++) {
        int opens = strncmp (at, S_OPEN, 3) == 0, closes = strncmp (at, S_CLOSE, 3) == 0;
        if ((opens && !open) || (closes && open)) {
            s_escape (self, run, (size_t) (at - run));
            s_append (self, opens ? "<mark>" : "</mark>", opens ? 6 : 7);
            open = opens;
            run = at + 3;
            at += 2;
        }
    }
    if (run)
        s_escape (self, run, strlen (run));
    if (open)
        s_append (self, "</mark>", 7);
}

void
gw_html_put (gw_html_t *self, const char *template, ...)
{
    va_list args;
    va_start (args, template);
    const char *run = template;
    for (const char *at = template; *at; at++) {
        if (*at != '%')
            continue;
        s_append (self, run, (size_t) (at - run));
        char number [32];
        const char *text;
        switch (*++at) {
            case 's':
                text = va_arg (args, const char *);
                if (text)
                    s_escape (self, text, strlen (text));
                break;
            case 'p':
                s_percent (self, va_arg (args, const char *), 1, 0);
                break;
            case 'q':
                s_percent (self, va_arg (args, const char *), 0, 1);
                break;
            case 'm':
                s_snippet (self, va_arg (args, const char *));
                break;
            case 'd':
                snprintf (number, sizeof number, "%d", va_arg (args, int));
                s_append (self, number, strlen (number));
                break;
            case 'D':
                snprintf (number, sizeof number, "%lld", va_arg (args, long long));
                s_append (self, number, strlen (number));
                break;
            case 't':
                text = gw_i18n_text (self->lang, (gw_text_id_t) va_arg (args, int));
                s_escape (self, text, strlen (text));
                break;
            case '%':
                s_append (self, "%", 1);
                break;
            default:
                assert (!"gw_html_put: unknown directive");
                if (!*at)
                    at--;           //  a lone % at the end: stop at the NUL
                break;
        }
        run = at + 1;
    }
    s_append (self, run, strlen (run));
    va_end (args);
}

void
gw_html_raw (gw_html_t *self, const char *markup)
{
    s_append (self, markup, strlen (markup));
}

void
gw_html_text (gw_html_t *self, const char *text)
{
    if (text)
        s_escape (self, text, strlen (text));
}

gw_lang_t
gw_html_lang (const gw_html_t *self)
{
    return self->lang;
}

int
gw_html_failed (const gw_html_t *self)
{
    return self->failed;
}

const char *
gw_html_data (const gw_html_t *self)
{
    return self->data;
}

size_t
gw_html_size (const gw_html_t *self)
{
    return self->size;
}

char *
gw_html_take (gw_html_t *self, size_t *size)
{
    if (self->failed)
        return NULL;
    char *data = self->data;
    *size = self->size;
    self->data = malloc (S_INITIAL);
    self->room = self->data ? S_INITIAL : 0;
    self->size = 0;
    if (self->data)
        self->data [0] = 0;
    else
        self->failed = 1;
    return data;
}

//  --------------------------------------------------------------------------
//  Self-test

//  A template filled with one text value, and what it must give.
static const struct {
    const char *template;
    const char *value;
    const char *want;
} s_cases [] = {
    { "<p>%s</p>", "<script>alert('x')</script>",
      "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>" },
    { "<a title=\"%s\">", "\" onmouseover=\"alert(1)", "<a title=\"&quot; onmouseover=&quot;alert(1)\">" },
    { "<a title='%s'>", "' autofocus onfocus='x", "<a title='&#39; autofocus onfocus=&#39;x'>" },
    { "%s", "&amp; already &lt;escaped&gt;", "&amp;amp; already &amp;lt;escaped&amp;gt;" },
    { "%s", "第十三次缔约国会议 الاجتماع Тринадцатое", "第十三次缔约国会议 الاجتماع Тринадцатое" },
    { "[%s]", NULL, "[]" },
    { "%s", "", "" },
    { "100%% %s", "50% off", "100% 50% off" },
    { "/documents/%p", "CCM/MSP/2030/1/Rev.1", "/documents/CCM/MSP/2030/1/Rev.1" },
    { "/documents/%p", "a b?c#d%e&f\"<", "/documents/a%20b%3Fc%23d%25e%26f%22%3C" },
    { "/meetings/%p", "../x", "/meetings/../x" },
    { "?q=%q", "mine action \"a&b\"/c=d", "?q=mine+action+%22a%26b%22%2Fc%3Dd" },
    { "?q=%q", "日内瓦", "?q=%E6%97%A5%E5%86%85%E7%93%A6" },
    { "%m", "the ⟦ratification⟧ of <b>", "the <mark>ratification</mark> of &lt;b&gt;" },
    { "%m", "⟦a⟧ and ⟦b⟧", "<mark>a</mark> and <mark>b</mark>" },
    { "%m", "open ⟦never closed", "open <mark>never closed</mark>" },
    { "%m", "stray ⟧ close ⟦x⟦y⟧", "stray ⟧ close <mark>x⟦y</mark>" },
    { "%m", "\xEF\xBF\xBD forged \xEF\xBF\xBD", "\xEF\xBF\xBD forged \xEF\xBF\xBD" },
    { "%m", "<mark>not ours</mark> ⟦&⟧", "&lt;mark&gt;not ours&lt;/mark&gt; <mark>&amp;</mark>" },
    { "%m", "", "" },
};

#define S_CHECK(cond) do { if (!(cond)) { \
    fprintf (stderr, "gw_html_test: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    gw_html_destroy (&html); return -1; } } while (0)

int
gw_html_test (int verbose)
{
    gw_html_t *html = NULL;
    for (size_t i = 0; i < sizeof s_cases / sizeof s_cases [0]; i++) {
        html = gw_html_new (GW_LANG_EN);
        S_CHECK (html);
        gw_html_put (html, s_cases [i].template, s_cases [i].value);
        if (strcmp (gw_html_data (html), s_cases [i].want)) {
            fprintf (stderr, "gw_html_test: '%s' with '%s': got '%s', want '%s'\n",
                     s_cases [i].template, s_cases [i].value ? s_cases [i].value : "(null)",
                     gw_html_data (html), s_cases [i].want);
            gw_html_destroy (&html);
            return -1;
        }
        gw_html_destroy (&html);
    }
    //  Numbers, UI strings (escaped too), and growth past the first block
    html = gw_html_new (GW_LANG_AR);
    S_CHECK (html);
    gw_html_put (html, "<b>%d</b> %D <i>%t</i>", -42, 1234567890123LL, GW_T_SEARCH);
    S_CHECK (strcmp (gw_html_data (html), "<b>-42</b> 1234567890123 <i>بحث</i>") == 0);
    S_CHECK (gw_html_lang (html) == GW_LANG_AR);
    for (int i = 0; i < 10000; i++)
        gw_html_text (html, "<>");
    S_CHECK (gw_html_size (html) == strlen ("<b>-42</b> 1234567890123 <i>بحث</i>") + 80000);
    size_t size = 0;
    char *taken = gw_html_take (html, &size);
    S_CHECK (taken && size > 80000 && strlen (taken) == size);
    free (taken);
    S_CHECK (gw_html_size (html) == 0 && !gw_html_failed (html));
    gw_html_destroy (&html);
    gw_html_destroy (&html);        //  NULL-safe
    if (verbose)
        printf ("gw_html_test: ok (%zu templates)\n", sizeof s_cases / sizeof s_cases [0]);
    return 0;
}

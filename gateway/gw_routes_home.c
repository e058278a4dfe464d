/*  gw_routes_home — the meetings: GET / (every meeting, by convention,
    upcoming first) and GET /meetings/{id} (one meeting: its details, the
    subscribe links of its feed, its programme of work by day, its
    documents).

    /        meeting.list (its parameters as /api/meetings takes them:
             ?convention=CCM, ?status=...) and convention.list for the
             conventions' names, asked together.
    /meetings/{id}
             meeting.show, session.list and archive.search (the meeting's
             documents: kind document, by date, one page of 100) asked
             together: records and the archive answer at once.

    A session is shown at its wall-clock time in the meeting's zone (as
    records keeps it) and at its instant in UTC (pl_zone, the rule records
    checked it by); the page's script replaces the UTC column with the
    viewer's own time.  A cancelled session is marked and struck through;
    one that moved is marked with the reason records keeps for it (a
    scheduled session's reason is why it last moved). */
#include "gw_page.h"
#include "pl_convention.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_DOCUMENTS_PAGE 100        //  a meeting's documents asked at once (the most a page has)

static const char *const s_own [] = { "lang", NULL };

//  The string FIELD of OBJECT, or NULL.
static const char *
s_str (const json_t *object, const char *field)
{
    return json_string_value (json_object_get (object, field));
}

//  Today's date in UTC, YYYY-MM-DD, into DATE (11 bytes).
static void
s_today (char *date)
{
    time_t now = time (NULL);
    struct tm tm;
    gmtime_r (&now, &tm);
    strftime (date, 11, "%Y-%m-%d", &tm);
}

//  The weekday (0 Sunday) of YYYY-MM-DD at DATE, as text for gw_i18n_enum.
static const char *
s_weekday (const char *date)
{
    static const char *const days [] = { "0", "1", "2", "3", "4", "5", "6" };
    struct tm tm;
    memset (&tm, 0, sizeof tm);
    if (sscanf (date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
        return "";
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_hour = 12;
    time_t noon = timegm (&tm);
    struct tm day;
    gmtime_r (&noon, &day);
    return days [day.tm_wday];
}

//  One meeting as a list item of the home page.
static void
s_meeting_item (gw_page_t *page, const json_t *meeting)
{
    gw_html_t *html = page->html;
    const char *status = s_str (meeting, "status");
    gw_html_put (html, "<li><a href=\"/meetings/%p%s\" dir=\"auto\">%s</a> ",
                 s_str (meeting, "id"), gw_page_lang (page, 1), s_str (meeting, "title"));
    if (status && strcmp (status, "scheduled"))
        gw_html_put (html, "<span class=\"badge %s\">%s</span> ",
                     strcmp (status, "cancelled") == 0 ? "cancelled" : "closed",
                     gw_i18n_enum (page->lang, "meeting.status", status));
    gw_html_put (html, "<br><span class=\"muted\">%s · <time datetime=\"%s\">%s</time> – "
                 "<time datetime=\"%s\">%s</time> · <span dir=\"auto\">%s</span></span></li>",
                 gw_i18n_enum (page->lang, "meeting.kind", s_str (meeting, "kind")),
                 s_str (meeting, "start"), s_str (meeting, "start"), s_str (meeting, "end"),
                 s_str (meeting, "end"), s_str (meeting, "venue"));
}

//  Compare convention codes, for qsort.
static int
s_code_order (const void *a, const void *b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

struct MHD_Response *
gw_route_home (gw_request_t *request, unsigned int *status)
{
    gw_page_t page;
    if (gw_page_open (&page, request))
        return NULL;
    char err [PL_ERR_MAX];
    json_t *args = gw_page_args (&page, "meeting.list", NULL, s_own, 1, err, sizeof err);
    if (!args)
        return gw_page_error (&page, MHD_HTTP_BAD_REQUEST, err, status);
    gw_query_t queries [2] = { { .name = "meeting.list", .args = args },
                               { .name = "convention.list", .args = json_object () } };
    gw_page_fetch (&page, queries, 2);
    if (queries [0].status) {
        struct MHD_Response *response = gw_page_failed (&page, &queries [0], status);
        gw_page_forget (queries, 2);
        return response;
    }
    const json_t *meetings = json_object_get (queries [0].reply, "items");
    const json_t *conventions = json_object_get (queries [1].reply, "items");
    gw_page_head (&page, gw_i18n_text (page.lang, GW_T_HOME_TITLE));
    gw_html_t *html = page.html;
    gw_html_put (html, "<h1>%t</h1>", GW_T_HOME_TITLE);

    //  The conventions that have meetings, by code
    size_t count = json_array_size (meetings), codes = 0;
    const char **code = calloc (count + 1, sizeof *code);
    size_t i;
    json_t *meeting;
    json_array_foreach (meetings, i, meeting) {
        const char *convention = s_str (meeting, "convention");
        size_t seen = 0;
        while (seen < codes && strcmp (code [seen], convention))
            seen++;
        if (code && seen == codes)
            code [codes++] = convention;
    }
    if (code)
        qsort (code, codes, sizeof *code, s_code_order);
    if (count == 0)
        gw_html_put (html, "<p>%t</p>", GW_T_NO_MEETINGS);
    char today [11];
    s_today (today);
    for (size_t c = 0; code && c < codes; c++) {
        const char *name = NULL;
        json_t *convention;
        size_t j;
        json_array_foreach (conventions, j, convention)
            if (strcmp (s_str (convention, "code"), code [c]) == 0)
                name = s_str (convention, "name");
        if (!name && pl_convention_find (code [c]))
            name = pl_convention_find (code [c])->name;
        gw_html_put (html, "<section aria-labelledby=\"c-%p\"><h2 id=\"c-%p\">%s", code [c],
                     code [c], code [c]);
        if (name)
            gw_html_put (html, " <span class=\"muted\" lang=\"en\">%s</span>", name);
        gw_html_put (html, "</h2><p class=\"subscribe\"><a href=\"/ics/conventions/%p.ics\">"
                     "%t</a></p>", code [c], GW_T_SUBSCRIBE_CONVENTION);
        //  Upcoming and current by start (the list's order), then past, latest first
        for (int past = 0; past < 2; past++) {
            size_t shown = 0;
            for (size_t k = 0; k < count; k++) {
                const json_t *m = json_array_get (meetings, past ? count - 1 - k : k);
                if (strcmp (s_str (m, "convention"), code [c])
                ||  (strcmp (s_str (m, "end"), today) < 0) != past)
                    continue;
                if (shown++ == 0)
                    gw_html_put (html, "<h3>%t</h3><ul class=\"meetings\">",
                                 past ? GW_T_PAST : GW_T_UPCOMING);
                s_meeting_item (&page, m);
            }
            if (shown)
                gw_html_put (html, "</ul>");
        }
        gw_html_put (html, "</section>");
    }
    free (code);
    gw_page_forget (queries, 2);
    gw_page_foot (&page, "/api/meetings");
    return gw_page_finish (&page, MHD_HTTP_OK, status);
}

//  ---------------------------------------------------------------------------
//  /meetings/{id}

//  The meeting's facts.
static void
s_facts (gw_page_t *page, const json_t *meeting)
{
    gw_html_t *html = page->html;
    const char *status = s_str (meeting, "status"), *url = s_str (meeting, "url");
    gw_html_put (html, "<h1 dir=\"auto\">%s</h1><dl class=\"facts\">"
                 "<dt>%t</dt><dd>%s</dd><dt>%t</dt><dd>%s</dd>"
                 "<dt>%t</dt><dd><time datetime=\"%s\">%s</time> – <time datetime=\"%s\">%s</time></dd>"
                 "<dt>%t</dt><dd dir=\"auto\">%s</dd><dt>%t</dt><dd>%s</dd>"
                 "<dt>%t</dt><dd><span class=\"badge%s\">%s</span></dd>",
                 s_str (meeting, "title"), GW_T_CONVENTION, s_str (meeting, "convention"),
                 GW_T_KIND, gw_i18n_enum (page->lang, "meeting.kind", s_str (meeting, "kind")),
                 GW_T_DATES, s_str (meeting, "start"), s_str (meeting, "start"),
                 s_str (meeting, "end"), s_str (meeting, "end"), GW_T_VENUE,
                 s_str (meeting, "venue"), GW_T_TIME_ZONE, s_str (meeting, "tz"), GW_T_STATUS,
                 status && strcmp (status, "cancelled") == 0 ? " cancelled" : "",
                 gw_i18n_enum (page->lang, "meeting.status", status));
    //  A link only to a web address: a URL of another scheme is shown as text
    if (url && (strncmp (url, "https://", 8) == 0 || strncmp (url, "http://", 7) == 0))
        gw_html_put (html, "<dt>URL</dt><dd><a href=\"%s\" rel=\"noopener\">%s</a></dd>", url,
                     url);
    else
    if (url)
        gw_html_put (html, "<dt>URL</dt><dd>%s</dd>", url);
    gw_html_put (html, "</dl>");
    if (s_str (meeting, "description"))
        gw_html_put (html, "<p dir=\"auto\">%s</p>", s_str (meeting, "description"));
}

//  The subscribe links of the meeting's feed.
static void
s_subscribe (gw_page_t *page, const json_t *meeting)
{
    gw_html_t *html = page->html;
    const char *id = s_str (meeting, "id"), *title = s_str (meeting, "title");
    const char *base = page->request->config->public_url;
    const char *host = strstr (base, "://") ? strstr (base, "://") + 3 : base;
    char feed [PL_ENDPOINT_MAX + 128], webcal [PL_ENDPOINT_MAX + 128];
    snprintf (feed, sizeof feed, "%s/ics/meetings/%s.ics", base, id);
    snprintf (webcal, sizeof webcal, "webcal://%s/ics/meetings/%s.ics", host, id);
    gw_html_put (html, "<section class=\"subscribe\" aria-labelledby=\"subscribe\">"
                 "<h2 id=\"subscribe\">%t</h2><ul>"
                 "<li><a href=\"%s\">%t</a></li>"
                 "<li><a href=\"https://calendar.google.com/calendar/render?cid=%q\" "
                 "rel=\"noopener\">%t</a></li>"
                 "<li><a href=\"https://outlook.live.com/calendar/0/addfromweb?url=%q&amp;name=%q\" "
                 "rel=\"noopener\">%t</a></li>"
                 "<li><a href=\"https://outlook.office.com/calendar/0/addfromweb?url=%q&amp;name=%q\" "
                 "rel=\"noopener\">%t</a></li></ul>"
                 "<label for=\"feed\">%t</label><div class=\"copy\">"
                 "<input type=\"url\" id=\"feed\" readonly value=\"%s\">"
                 "<button type=\"button\" data-copy=\"feed\" data-copied=\"%t\" hidden>%t</button>"
                 "</div></section>",
                 GW_T_SUBSCRIBE, webcal, GW_T_WEBCAL, webcal, GW_T_ADD_GOOGLE, feed, title,
                 GW_T_ADD_OUTLOOK, feed, title, GW_T_ADD_OFFICE, GW_T_FEED_ADDRESS, feed,
                 GW_T_COPIED, GW_T_COPY);
}

//  HH:MM of a local time (YYYY-MM-DDTHH:MM:SS[±HH:MM]), with its offset
//  when it carries one (a time that happens twice), into OUT.
static void
s_clock (const char *local, char *out, size_t size)
{
    size_t length = local ? strlen (local) : 0;
    snprintf (out, size, "%.5s%s%s%s", length >= 16 ? local + 11 : "?",
              length > 19 ? " (UTC" : "", length > 19 ? local + 19 : "", length > 19 ? ")" : "");
}

//  The programme of work: the sessions by day of the meeting's zone.
static void
s_programme (gw_page_t *page, const json_t *meeting, const json_t *sessions)
{
    gw_html_t *html = page->html;
    size_t count = json_array_size (sessions);
    gw_html_put (html, "<section aria-labelledby=\"programme\"><h2 id=\"programme\">%t</h2>",
                 GW_T_PROGRAMME);
    if (count == 0) {
        gw_html_put (html, "<p>%t</p></section>", GW_T_NO_SESSIONS);
        return;
    }
    const char **locals = calloc (2 * count, sizeof *locals);
    int64_t *utc = calloc (2 * count, sizeof *utc);
    for (size_t i = 0; locals && utc && i < count; i++) {
        locals [2 * i] = s_str (json_array_get (sessions, i), "start");
        locals [2 * i + 1] = s_str (json_array_get (sessions, i), "end");
    }
    if (locals && utc)
        gw_pages_instants (page->request->pages, s_str (meeting, "tz"), 2 * count, locals, utc);
    char day [11] = "";
    for (size_t i = 0; i < count; i++) {
        const json_t *session = json_array_get (sessions, i);
        const char *start = s_str (session, "start"), *reason = s_str (session, "reason");
        int cancelled = strcmp (s_str (session, "status"), "cancelled") == 0;
        if (strncmp (day, start, 10)) {
            if (*day)
                gw_html_put (html, "</tbody></table></div>");
            snprintf (day, sizeof day, "%.10s", start);
            gw_html_put (html, "<h3><time datetime=\"%s\">%s %s</time></h3>"
                         "<div class=\"table\"><table class=\"cards\"><thead><tr>"
                         "<th scope=\"col\">%t (%s)</th><th scope=\"col\" data-yours=\"%t\">UTC</th>"
                         "<th scope=\"col\">%t</th><th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
                         "<th scope=\"col\">%t</th></tr></thead><tbody>", day,
                         gw_i18n_enum (page->lang, "weekday", s_weekday (day)), day,
                         GW_T_LOCAL_TIME, s_str (meeting, "tz"), GW_T_YOUR_TIME, GW_T_SESSION,
                         GW_T_ROOM, GW_T_AGENDA_ITEMS, GW_T_STATUS);
        }
        char from [32], to [32];
        s_clock (start, from, sizeof from);
        s_clock (s_str (session, "end"), to, sizeof to);
        gw_html_put (html, cancelled ? "<tr class=\"cancelled\">" : "<tr>");
        gw_html_put (html, "<td data-label=\"%t\">%s–%s</td><td data-label=\"UTC\">",
                     GW_T_LOCAL_TIME, from, to);
        if (utc && utc [2 * i] != INT64_MIN && utc [2 * i + 1] != INT64_MIN) {
            time_t a = (time_t) utc [2 * i], b = (time_t) utc [2 * i + 1];
            struct tm ta, tb;
            gmtime_r (&a, &ta);
            gmtime_r (&b, &tb);
            char iso_a [32], iso_b [32], clock_a [24], clock_b [8];
            strftime (iso_a, sizeof iso_a, "%Y-%m-%dT%H:%M:%SZ", &ta);
            strftime (iso_b, sizeof iso_b, "%Y-%m-%dT%H:%M:%SZ", &tb);
            //  The UTC date only when it is not the local one
            strftime (clock_a, sizeof clock_a, strncmp (iso_a, start, 10) ? "%Y-%m-%d %H:%M"
                                                                        : "%H:%M", &ta);
            strftime (clock_b, sizeof clock_b, "%H:%M", &tb);
            gw_html_put (html, "<span data-start=\"%s\" data-end=\"%s\">%s–%s</span>", iso_a,
                         iso_b, clock_a, clock_b);
        }
        gw_html_put (html, "</td><td class=\"what\" data-label=\"%t\" dir=\"auto\">%s</td>",
                     GW_T_SESSION, s_str (session, "title"));
        gw_html_put (html, "<td data-label=\"%t\" dir=\"auto\">%s</td><td data-label=\"%t\">",
                     GW_T_ROOM, s_str (session, "room"), GW_T_AGENDA_ITEMS);
        size_t k;
        json_t *item;
        json_array_foreach (json_object_get (session, "agenda_items"), k, item)
            gw_html_put (html, "%s%s", k ? ", " : "", json_string_value (item));
        gw_html_put (html, "</td><td data-label=\"%t\">", GW_T_STATUS);
        if (cancelled || reason)
            gw_html_put (html, "<span class=\"badge\">%t</span> <span dir=\"auto\">%s</span>",
                         cancelled ? GW_T_CANCELLED : GW_T_MOVED, reason);
        gw_html_put (html, "</td></tr>");
    }
    gw_html_put (html, "</tbody></table></div></section>");
    free (locals);
    free (utc);
}

//  The title of HITS' item for SYMBOL best fit for LANG: in it, else in
//  English, else the first; its language into *LANGUAGE.
static const char *
s_title_for (const json_t *hits, const char *symbol, gw_lang_t lang, const char **language)
{
    const json_t *best = NULL;
    int best_rank = 3;
    size_t i;
    json_t *hit;
    json_array_foreach (hits, i, hit) {
        if (!s_str (hit, "symbol") || strcmp (s_str (hit, "symbol"), symbol))
            continue;
        const char *in = s_str (hit, "language");
        int rank = in && strcmp (in, gw_i18n_code (lang)) == 0 ? 0
                 : in && strcmp (in, "en") == 0 ? 1 : 2;
        if (rank < best_rank) {
            best = hit;
            best_rank = rank;
        }
    }
    *language = best ? s_str (best, "language") : NULL;
    return best ? s_str (best, "title") : NULL;
}

struct MHD_Response *
gw_route_meeting (gw_request_t *request, unsigned int *status)
{
    gw_page_t page;
    if (gw_page_open (&page, request))
        return NULL;
    char err [PL_ERR_MAX];
    json_t *args = gw_page_args (&page, "meeting.show", "id", s_own, 0, err, sizeof err);
    if (!args)
        return gw_page_error (&page, MHD_HTTP_BAD_REQUEST, err, status);
    char id [72];                   //  an id is 64 bytes at most; the arguments go with the query
    snprintf (id, sizeof id, "%s", s_str (args, "id"));
    gw_query_t queries [3] = {
        { .name = "meeting.show", .args = args },
        { .name = "session.list", .args = json_pack ("{s:s}", "meeting", id) },
        { .name = "archive.search", .args = json_pack ("{s:s, s:s, s:i}", "meeting", id, "kind",
                                                       "document", "page_size", S_DOCUMENTS_PAGE) },
    };
    char json_path [128];
    snprintf (json_path, sizeof json_path, "/api/meetings/%s", id);
    gw_page_fetch (&page, queries, 3);
    for (size_t i = 0; i < 2; i++)
        if (queries [i].status) {
            struct MHD_Response *response = gw_page_failed (&page, &queries [i], status);
            gw_page_forget (queries, 3);
            return response;
        }
    const json_t *meeting = queries [0].reply;
    gw_page_head (&page, s_str (meeting, "title"));
    s_facts (&page, meeting);
    s_subscribe (&page, meeting);
    s_programme (&page, meeting, json_object_get (queries [1].reply, "items"));

    gw_html_t *html = page.html;
    gw_html_put (html, "<section aria-labelledby=\"documents\"><h2 id=\"documents\">%t</h2>",
                 GW_T_DOCUMENTS);
    const json_t *hits = json_object_get (queries [2].reply, "items");
    if (queries [2].status)
        gw_html_put (html, "<p>%t</p>", GW_T_UNAVAILABLE);
    else
    if (json_array_size (hits) == 0)
        gw_html_put (html, "<p>%t</p>", GW_T_NO_DOCUMENTS);
    else
        gw_page_documents (&page, hits, NULL);
    if (json_integer_value (json_object_get (queries [2].reply, "total"))
        > (json_int_t) json_array_size (hits))
        gw_html_put (html, "<p><a href=\"/search?meeting=%q&amp;kind=document%s\">%t</a></p>",
                     id, gw_page_lang (&page, 0), GW_T_MEETING_DOCUMENTS);
    gw_html_put (html, "</section>");
    gw_page_forget (queries, 3);
    gw_page_foot (&page, json_path);
    return gw_page_finish (&page, MHD_HTTP_OK, status);
}

//  The documents among HITS (archive.search's items), one line per symbol
//  in the order found, but EXCEPT (NULL: none), each with its title and
//  its language versions.  Shared with the document page (its family).
void
gw_page_documents (gw_page_t *page, const json_t *hits, const char *except)
{
    gw_html_t *html = page->html;
    size_t count = json_array_size (hits), shown = 0;
    for (size_t i = 0; i < count; i++) {
        const json_t *hit = json_array_get (hits, i);
        const char *symbol = s_str (hit, "symbol");
        if (strcmp (s_str (hit, "kind"), "document") || !symbol
        ||  (except && strcmp (symbol, except) == 0))
            continue;
        size_t first = 0;
        while (first < i && !(s_str (json_array_get (hits, first), "symbol")
               && strcmp (s_str (json_array_get (hits, first), "kind"), "document") == 0
               && strcmp (s_str (json_array_get (hits, first), "symbol"), symbol) == 0))
            first++;
        if (first < i)
            continue;               //  listed with its first version
        const char *language = NULL;
        const char *title = s_title_for (hits, symbol, page->lang, &language);
        gw_lang_t in;
        if (shown++ == 0)
            gw_html_put (html, "<ul class=\"docs\">");
        gw_html_put (html, "<li><a href=\"/documents/%p%s\">%s</a> <span", symbol,
                     gw_page_lang (page, 1), symbol);
        gw_page_text_lang (html, language);
        gw_html_put (html, ">%s</span><br><span class=\"muted\">%t:</span> ", title,
                     GW_T_LANGUAGES);
        for (size_t j = i, n = 0; j < count; j++) {
            const json_t *version = json_array_get (hits, j);
            const char *code = s_str (version, "language");
            if (!s_str (version, "symbol") || strcmp (s_str (version, "symbol"), symbol)
            ||  strcmp (s_str (version, "kind"), "document") || gw_i18n_find (code, &in))
                continue;
            gw_html_put (html, "%s<a href=\"/documents/%p?language=%q%s\" lang=\"%s\" "
                         "hreflang=\"%s\">%s</a>", n++ ? " · " : "", symbol, code,
                         gw_page_lang (page, 0), code, code, gw_i18n_name (in));
        }
        gw_html_put (html, "</li>");
    }
    if (shown)
        gw_html_put (html, "</ul>");
}

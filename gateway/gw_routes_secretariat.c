/*  gw_routes_secretariat — the signed-in pages under /secretariat/.

        GET  /secretariat/sign-in          the form (name, password)
        POST /secretariat/sign-in          opens the person's sealed key
                                           (gw_session), sets the cookie,
                                           303 to /secretariat/
        POST /secretariat/sign-out         ends the session, clears the cookie
        GET  /secretariat/                 the meetings, each with its dashboard
        GET  /secretariat/meetings/ID      a meeting's dashboard (the secretariat's)
        GET  /secretariat/meetings/ID/queue    the registrations awaiting approval:
                                           the secretariat's all (approve, confirm,
                                           reject), a focal point's its delegation's
                                           (approve)
        POST /secretariat/meetings/ID/queue    publishes the action's event as the
                                           person's key, waits for the records
                                           worker's verdict and shows it
        GET  /secretariat/meetings/ID/register the registration form (a focal
                                           point's filled with its delegation)
        POST /secretariat/meetings/ID/register publishes participant.registered
                                           (its fields checked by the schema as
                                           `plenary register`'s), shows the verdict

    Who: the session named by the cookie (__Host-plenary over TLS or behind
    a TLS proxy: HttpOnly, Secure, SameSite=Strict, Path=/; plenary_session,
    without Secure, on plain HTTP, which the gateway serves only on
    loopback or when told --insecure).  A page asked for without a live
    session is a 303 to the sign-in page; a POST without one, or without
    its session's CSRF token, or whose Origin (else Referer) is not this
    site, is a 403 that changes nothing.  A page the person's role may not
    see (a focal point's key on the dashboard) is a 403.

    What: every page asks the workers through the session's own broker
    connection, as the person's key (never as the gateway's), with the
    queries and fields the CLI's --json shows: the dashboard is
    meeting.stats (`plenary stats --json`), credentials.report (`plenary
    credentials report --json`) and meeting.show, asked together.  The
    answers are not cached anywhere (Cache-Control: no-store). */
#include "gw_page.h"
#include "gw_session.h"
#include "pl_log.h"
#include "pl_proto.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define S_SIGN_IN "/secretariat/sign-in"
#define S_RECEIPT_MS 5000           //  how long an action waits for the records worker

//  The approval queue's actions: the form's value, the event published
//  (as `plenary participant approve|confirm|reject` publishes it), whether
//  it is the secretariat's alone, and the statuses it is offered on.
static const struct {
    const char *action;
    const char *topic;
    int secretariat;
    const char *on [3];
    gw_text_id_t label;
} s_actions [] = {
    { "approve", "participant.approved",  0, { "registered", NULL }, GW_T_APPROVE },
    { "confirm", "participant.confirmed", 1, { "registered", "approved", NULL }, GW_T_CONFIRM },
    { "reject",  "participant.rejected",  1, { "registered", "approved", NULL }, GW_T_REJECT },
};
#define S_ACTIONS (sizeof s_actions / sizeof s_actions [0])

//  "https" when browsers reach us over TLS (ours, or a proxy's).
static const char *
s_scheme (const gw_request_t *request)
{
    return request->config->tls || request->config->behind_proxy ? "https" : "http";
}

//  The session cookie's name: the __Host- prefix needs Secure, which a
//  browser sets only over https.
static const char *
s_cookie_name (const gw_request_t *request)
{
    return strcmp (s_scheme (request), "https") == 0 ? "__Host-plenary" : "plenary_session";
}

static int64_t
s_now (void)
{
    return (int64_t) time (NULL);
}

//  The request's session, taken (give it back), or NULL.
static gw_session_t *
s_session (gw_request_t *request)
{
    const char *cookies = gw_http_header (request, MHD_HTTP_HEADER_COOKIE);
    char id [GW_SESSION_ID_HEX + 1];
    if (!cookies || gw_cookie_find (cookies, s_cookie_name (request), id, sizeof id))
        return NULL;
    gw_session_t *session = gw_sessions_take (request->sessions, id, s_now ());
    sodium_memzero (id, sizeof id);
    return session;
}

//  The Set-Cookie value that names session ID, or (ID NULL) clears it.
static void
s_cookie (const gw_request_t *request, const char *id, char *value, size_t size)
{
    int https = strcmp (s_scheme (request), "https") == 0;
    snprintf (value, size, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s",
              s_cookie_name (request), id ? id : "", https ? "; Secure" : "",
              id ? "" : "; Max-Age=0");
}

//  Headers of every signed-in answer: nothing kept by any cache.
static struct MHD_Response *
s_private (struct MHD_Response *response)
{
    if (response) {
        MHD_del_response_header (response, MHD_HTTP_HEADER_CACHE_CONTROL, "public, no-cache");
        MHD_del_response_header (response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
        const char *etag = MHD_get_response_header (response, MHD_HTTP_HEADER_ETAG);
        if (etag)
            MHD_del_response_header (response, MHD_HTTP_HEADER_ETAG, etag);
        MHD_add_response_header (response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
        MHD_add_response_header (response, MHD_HTTP_HEADER_VARY, "Cookie");
    }
    return response;
}

//  A 303 to LOCATION, with SET_COOKIE when not NULL.
static struct MHD_Response *
s_redirect (const char *location, const char *set_cookie, unsigned int *status)
{
    struct MHD_Response *response = gw_http_text ("See Other");
    if (response) {
        MHD_add_response_header (response, MHD_HTTP_HEADER_LOCATION, location);
        if (set_cookie)
            MHD_add_response_header (response, MHD_HTTP_HEADER_SET_COOKIE, set_cookie);
        MHD_add_response_header (response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    }
    *status = MHD_HTTP_SEE_OTHER;
    return response;
}

//  The page's end: no-store, and the status.
static struct MHD_Response *
s_finish (gw_page_t *page, unsigned int code, unsigned int *status)
{
    return s_private (gw_page_finish (page, code, status));
}

//  The bar atop every signed-in page: who, and the sign-out button.
static void
s_bar (gw_page_t *page, gw_session_t *session)
{
    gw_html_put (page->html, "<div class=\"account\"><p>%t <strong>%s</strong> (%s",
                 GW_T_SIGNED_IN_AS, gw_session_name (session), gw_session_role (session));
    if (*gw_session_delegation (session))
        gw_html_put (page->html, "; %t: %s", GW_T_FOCAL_POINT, gw_session_delegation (session));
    gw_html_put (page->html, ")</p><form method=\"post\" action=\"/secretariat/sign-out%s\">"
                 "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                 "<button type=\"submit\">%t</button></form></div>",
                 gw_page_lang (page, 1), gw_session_csrf (session), GW_T_SIGN_OUT);
}

//  A refusal page with CODE (401, 403, 413, 429) headed by HEADING, with
//  MESSAGE (a UI text) under it, and the sign-in form when FORM.
static struct MHD_Response *
s_refuse (gw_page_t *page, unsigned int code, gw_text_id_t heading, gw_text_id_t message,
          int form, unsigned int *status);

//  The sign-in form (after MESSAGE, a UI text, when not GW_T_COUNT).
static void
s_sign_in_form (gw_page_t *page, gw_text_id_t message)
{
    gw_html_put (page->html, "<h1>%t</h1>", GW_T_SIGN_IN);
    if (message != GW_T_COUNT)
        gw_html_put (page->html, "<p class=\"problem\" role=\"alert\">%t</p>", message);
    gw_html_put (page->html,
        "<form class=\"sign-in\" method=\"post\" action=\"" S_SIGN_IN "%s\">"
        "<div><label for=\"name\">%t</label><input id=\"name\" name=\"name\" type=\"text\" "
        "autocomplete=\"username\" required maxlength=\"32\" "
        "spellcheck=\"false\"></div>"
        "<div><label for=\"password\">%t</label><input id=\"password\" name=\"password\" "
        "type=\"password\" autocomplete=\"current-password\" required></div>"
        "<div><button type=\"submit\">%t</button></div></form>",
        gw_page_lang (page, 1), GW_T_USER_NAME, GW_T_PASSWORD, GW_T_SIGN_IN);
}

static struct MHD_Response *
s_refuse (gw_page_t *page, unsigned int code, gw_text_id_t heading, gw_text_id_t message,
          int form, unsigned int *status)
{
    gw_page_head (page, gw_i18n_text (page->lang, heading));
    if (form)
        s_sign_in_form (page, message);
    else
        gw_html_put (page->html, "<h1>%t</h1><p>%t</p><p><a href=\"/secretariat/%s\">%t</a></p>",
                     heading, message, gw_page_lang (page, 1), GW_T_SECRETARIAT);
    gw_page_foot (page, NULL);
    return s_finish (page, code, status);
}

//  The value of form field NAME in FORM, or NULL.
static const char *
s_field (const gw_target_t *form, const char *name)
{
    for (size_t i = 0; i < form->param_count; i++)
        if (strcmp (form->params [i].name, name) == 0)
            return form->params [i].value;
    return NULL;
}

//  Check a POST: from our own pages (Origin, else Referer), its form
//  decoded into FORM.  0, or the status to refuse with (403, 413, 400).
static unsigned int
s_post_check (gw_request_t *request, gw_target_t *form)
{
    if (!gw_origin_same (gw_http_header (request, "Origin"),
                         gw_http_header (request, "Referer"), s_scheme (request),
                         gw_http_header (request, "Host")))
        return MHD_HTTP_FORBIDDEN;
    if (request->form_size == (size_t) -1)
        return MHD_HTTP_CONTENT_TOO_LARGE;
    char raw [GW_FORM_MAX + 3], err [PL_ERR_MAX];
    snprintf (raw, sizeof raw, "/?%s", request->form ? request->form : "");
    unsigned int code = (unsigned int) gw_target_parse (form, raw, strlen (raw), err, sizeof err);
    sodium_memzero (raw, sizeof raw);
    return code ? MHD_HTTP_BAD_REQUEST : 0;
}

//  Check a signed-in POST: s_post_check, and the session's CSRF token in
//  the form.  0, or the status to refuse with.
static unsigned int
s_session_form (gw_request_t *request, gw_session_t *session, gw_target_t *form)
{
    unsigned int refused = s_post_check (request, form);
    if (!refused && !gw_csrf_equal (s_field (form, "csrf"), gw_session_csrf (session)))
        refused = MHD_HTTP_FORBIDDEN;
    return refused;
}

static struct MHD_Response *
s_sign_in (gw_request_t *request, gw_page_t *page, unsigned int *status)
{
    if (strcmp (request->method, MHD_HTTP_METHOD_POST)) {
        gw_page_head (page, gw_i18n_text (page->lang, GW_T_SIGN_IN));
        s_sign_in_form (page, GW_T_COUNT);
        gw_page_foot (page, NULL);
        return s_finish (page, MHD_HTTP_OK, status);
    }
    gw_target_t *form = malloc (sizeof *form);
    if (!form)
        return NULL;
    unsigned int refused = s_post_check (request, form);
    if (refused) {
        sodium_memzero (form, sizeof *form);
        free (form);
        return s_refuse (page, refused, GW_T_FORBIDDEN, GW_T_SIGN_IN_AGAIN, 1, status);
    }
    const char *name = s_field (form, "name"), *password = s_field (form, "password");
    char id [GW_SESSION_ID_HEX + 1];
    gw_sign_in_t signed_in = name && password
        ? gw_sessions_sign_in (request->sessions, name, password, strlen (password),
                               request->address, s_now (), id)
        : GW_SIGN_IN_WRONG;
    sodium_memzero (form, sizeof *form);
    free (form);
    if (signed_in == GW_SIGN_IN_OK) {
        char cookie [GW_SESSION_ID_HEX + 128], location [64];
        s_cookie (request, id, cookie, sizeof cookie);
        snprintf (location, sizeof location, "/secretariat/%s", gw_page_lang (page, 1));
        struct MHD_Response *response = s_redirect (location, cookie, status);
        sodium_memzero (id, sizeof id);
        sodium_memzero (cookie, sizeof cookie);
        gw_html_destroy (&page->html);
        return response;
    }
    if (signed_in == GW_SIGN_IN_LOCKED)
        return s_refuse (page, MHD_HTTP_TOO_MANY_REQUESTS, GW_T_SIGN_IN, GW_T_SIGN_IN_LOCKED, 1,
                         status);
    if (signed_in == GW_SIGN_IN_WRONG)
        return s_refuse (page, MHD_HTTP_UNAUTHORIZED, GW_T_SIGN_IN, GW_T_SIGN_IN_WRONG, 1,
                         status);
    return s_refuse (page, MHD_HTTP_SERVICE_UNAVAILABLE, GW_T_SIGN_IN, GW_T_UNAVAILABLE, 1,
                     status);
}

static struct MHD_Response *
s_sign_out (gw_request_t *request, gw_page_t *page, gw_session_t *session,
            unsigned int *status)
{
    gw_target_t *form = malloc (sizeof *form);
    if (!form)
        return NULL;
    unsigned int refused = s_session_form (request, session, form);
    free (form);
    if (refused) {
        gw_sessions_give (request->sessions, &session, 0);
        return s_refuse (page, refused, GW_T_FORBIDDEN, GW_T_SIGN_IN_AGAIN, 0, status);
    }
    gw_sessions_give (request->sessions, &session, 1);
    char cookie [128], location [64];
    s_cookie (request, NULL, cookie, sizeof cookie);
    snprintf (location, sizeof location, S_SIGN_IN "%s", gw_page_lang (page, 1));
    gw_html_destroy (&page->html);
    return s_redirect (location, cookie, status);
}

//  A query's text field FIELD, or "".
static const char *
s_str (const json_t *object, const char *field)
{
    const char *text = json_string_value (json_object_get (object, field));
    return text ? text : "";
}

static long long
s_int (const json_t *object, const char *field)
{
    return json_integer_value (json_object_get (object, field));
}

static struct MHD_Response *
s_home (gw_request_t *request, gw_page_t *page, gw_session_t *session, unsigned int *status)
{
    (void) request;
    gw_query_t queries [1] = { { .name = "meeting.list", .args = json_object () } };
    gw_page_fetch_as (gw_session_client (session), NULL, queries, 1);
    if (queries [0].status) {
        struct MHD_Response *response = s_private (gw_page_failed (page, &queries [0], status));
        gw_page_forget (queries, 1);
        return response;
    }
    gw_page_head (page, gw_i18n_text (page->lang, GW_T_SECRETARIAT));
    s_bar (page, session);
    gw_html_put (page->html, "<h1>%t</h1>", GW_T_SECRETARIAT);
    const json_t *items = json_object_get (queries [0].reply, "items");
    int secretariat = strcmp (gw_session_role (session), "secretariat") == 0;
    if (json_array_size (items) == 0)
        gw_html_put (page->html, "<p>%t</p>", GW_T_NO_MEETINGS);
    else
        gw_html_put (page->html, "<ul class=\"meetings\">");
    size_t i;
    const json_t *meeting;
    json_array_foreach (items, i, meeting) {
        gw_html_put (page->html, "<li><strong>%s</strong> <span class=\"muted\">%s · %s – %s · %s"
                     "</span>", s_str (meeting, "title"), s_str (meeting, "id"),
                     s_str (meeting, "start"), s_str (meeting, "end"), s_str (meeting, "venue"));
        if (secretariat)
            gw_html_put (page->html, " <a href=\"/secretariat/meetings/%p%s\">%t</a>",
                         s_str (meeting, "id"), gw_page_lang (page, 1), GW_T_OPEN_DASHBOARD);
        gw_html_put (page->html, " <a href=\"/secretariat/meetings/%p/queue%s\">%t</a>"
                     " <a href=\"/secretariat/meetings/%p/register%s\">%t</a>",
                     s_str (meeting, "id"), gw_page_lang (page, 1), GW_T_OPEN_QUEUE,
                     s_str (meeting, "id"), gw_page_lang (page, 1), GW_T_REGISTER);
        gw_html_put (page->html, "</li>");
    }
    if (json_array_size (items))
        gw_html_put (page->html, "</ul>");
    gw_page_forget (queries, 1);
    gw_page_foot (page, NULL);
    return s_finish (page, MHD_HTTP_OK, status);
}

//  The gender balance as an inline SVG bar chart (a table follows it with
//  the same figures, for readers of text).
static void
s_gender_chart (gw_page_t *page, const json_t *genders)
{
    long long most = 0;
    size_t i;
    const json_t *row;
    json_array_foreach (genders, i, row)
        if (s_int (row, "participants") > most)
            most = s_int (row, "participants");
    size_t rows = json_array_size (genders);
    gw_html_put (page->html, "<svg class=\"chart\" role=\"img\" aria-label=\"%t\" "
                 "viewBox=\"0 0 400 %d\" width=\"400\" height=\"%d\" "
                 "xmlns=\"http://www.w3.org/2000/svg\"><title>%t</title>",
                 GW_T_GENDER_BALANCE, (int) rows * 28 + 4, (int) rows * 28 + 4, GW_T_GENDER_BALANCE);
    json_array_foreach (genders, i, row) {
        long long count = s_int (row, "participants");
        int width = most > 0 ? (int) (count * 240 / most) : 0;
        int y = (int) i * 28 + 4;
        gw_html_put (page->html, "<text x=\"0\" y=\"%d\" font-size=\"14\" fill=\"#1b1b1b\">%s"
                     "</text><rect x=\"110\" y=\"%d\" width=\"%d\" height=\"20\" fill=\"#0a4d8c\">"
                     "</rect><text x=\"%d\" y=\"%d\" font-size=\"14\" fill=\"#1b1b1b\">%D</text>",
                     y + 15, gw_i18n_enum (page->lang, "gender", s_str (row, "gender")), y,
                     width, 116 + width, y + 15, count);
    }
    gw_html_put (page->html, "</svg>");
}

static struct MHD_Response *
s_dashboard (gw_request_t *request, gw_page_t *page, gw_session_t *session, const char *id,
             unsigned int *status)
{
    (void) request;
    if (strcmp (gw_session_role (session), "secretariat"))
        return s_refuse (page, MHD_HTTP_FORBIDDEN, GW_T_FORBIDDEN, GW_T_SIGN_IN_AGAIN, 0, status);
    gw_query_t queries [3] = {
        { .name = "meeting.show",       .args = json_pack ("{s:s}", "id", id) },
        { .name = "meeting.stats",      .args = json_pack ("{s:s}", "meeting", id) },
        { .name = "credentials.report", .args = json_pack ("{s:s}", "meeting", id) },
    };
    gw_page_fetch_as (gw_session_client (session), NULL, queries, 3);
    for (size_t i = 0; i < 2; i++)
        if (queries [i].status) {
            struct MHD_Response *response = s_private (gw_page_failed (page, &queries [i], status));
            gw_page_forget (queries, 3);
            return response;
        }
    const json_t *meeting = queries [0].reply, *stats = queries [1].reply;
    const json_t *credentials = queries [2].reply;
    char title [640];
    snprintf (title, sizeof title, "%s — %s", gw_i18n_text (page->lang, GW_T_DASHBOARD),
              s_str (meeting, "title"));
    gw_page_head (page, title);
    s_bar (page, session);
    gw_html_put (page->html, "<h1>%t: %s</h1><p class=\"muted\">%s · %s – %s · %s</p>",
                 GW_T_DASHBOARD, s_str (meeting, "title"), id, s_str (meeting, "start"),
                 s_str (meeting, "end"), s_str (meeting, "venue"));
    gw_html_put (page->html, "<h2>%t</h2><dl class=\"facts\" id=\"registrations\">"
                 "<dt>%t</dt><dd>%D</dd><dt>%t</dt><dd>%D</dd><dt>%t</dt><dd>%D</dd>"
                 "<dt>%t</dt><dd>%D</dd><dt>%t</dt><dd>%D</dd><dt>%t</dt><dd>%D</dd>"
                 "<dt>%t</dt><dd>%D</dd><dt>%t</dt><dd>%D / %D</dd></dl>",
                 GW_T_REGISTRATIONS, GW_T_PARTICIPANTS, s_int (stats, "participants"),
                 GW_T_PENDING, s_int (stats, "pending"), GW_T_REJECTED, s_int (stats, "rejected"),
                 GW_T_WITHDRAWN, s_int (stats, "withdrawn"), GW_T_DELEGATIONS,
                 s_int (stats, "delegations"), GW_T_HEADS, s_int (stats, "heads"),
                 GW_T_SPONSORED, s_int (stats, "sponsored"), GW_T_STATES_PARTIES,
                 s_int (stats, "states_parties_represented"),
                 s_int (stats, "states_parties_declared"));
    gw_html_put (page->html, "<h2>%t</h2><div class=\"table\"><table id=\"categories\"><thead><tr>"
                 "<th scope=\"col\">%t</th><th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
                 "</tr></thead><tbody>", GW_T_BY_CATEGORY, GW_T_CATEGORY, GW_T_DELEGATIONS,
                 GW_T_ALL_PARTICIPANTS);
    size_t i;
    const json_t *row;
    json_array_foreach (json_object_get (stats, "categories"), i, row)
        gw_html_put (page->html, "<tr><td>%s</td><td>%D</td><td>%D</td></tr>",
                     gw_i18n_enum (page->lang, "delegation.category", s_str (row, "category")),
                     s_int (row, "delegations"), s_int (row, "participants"));
    gw_html_put (page->html, "</tbody></table></div><h2>%t</h2>", GW_T_GENDER_BALANCE);
    const json_t *genders = json_object_get (stats, "gender");
    s_gender_chart (page, genders);
    gw_html_put (page->html, "<div class=\"table\"><table id=\"gender\"><thead><tr>"
                 "<th scope=\"col\">%t</th><th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
                 "</tr></thead><tbody>", GW_T_GENDER, GW_T_ALL_PARTICIPANTS, GW_T_HEADS);
    json_array_foreach (genders, i, row)
        gw_html_put (page->html, "<tr><td>%s</td><td>%D</td><td>%D</td></tr>",
                     gw_i18n_enum (page->lang, "gender", s_str (row, "gender")),
                     s_int (row, "participants"), s_int (row, "heads"));
    gw_html_put (page->html, "</tbody></table></div><h2>%t</h2>", GW_T_CREDENTIALS);
    if (!credentials)
        //  credentials.report refuses meetings that are not formal (msp, revcon)
        gw_html_put (page->html, "<p>%t</p>", GW_T_NO_CREDENTIALS);
    else {
        static const char *const standings [] = {
            "due_form", "due-form", "provisional", "provisional", "pending", "pending",
            "rejected", "rejected", "none", "none" };
        gw_html_put (page->html, "<dl class=\"facts\" id=\"credentials\">");
        for (size_t s = 0; s < sizeof standings / sizeof standings [0]; s += 2)
            gw_html_put (page->html, "<dt>%s</dt><dd>%D</dd>",
                         gw_i18n_enum (page->lang, "credentials.standing", standings [s + 1]),
                         s_int (credentials, standings [s]));
        gw_html_put (page->html, "</dl>");
    }
    gw_page_forget (queries, 3);
    gw_page_foot (page, NULL);
    return s_finish (page, MHD_HTTP_OK, status);
}

//  True when STATUS is one of ON (NULL-terminated).
static int
s_offered (const char *const *on, const char *status)
{
    for (; *on; on++)
        if (strcmp (*on, status) == 0)
            return 1;
    return 0;
}

//  Publish TOPIC with PAYLOAD as the session's key and wait for the
//  records worker's verdict, described into *KIND (GW_T_APPLIED: TEXT is
//  "TOPIC WHAT" with WHAT, when NULL the participant records names after
//  the event's seq; GW_T_REFUSED: TEXT the reason; GW_T_NO_VERDICT).
static void
s_publish (gw_session_t *session, const char *topic, const json_t *payload, const char *what,
           gw_text_id_t *kind, char *text, size_t text_size)
{
    pl_client_t *client = gw_session_client (session);
    pl_ack_t ack;
    int code = 0;
    char err [PL_ERR_MAX], verdict [32] = "", reason [PL_REASON_MAX] = "";
    *kind = GW_T_REFUSED;
    if (pl_client_publish (client, topic, NULL, payload, &ack, &code, err, sizeof err)) {
        snprintf (text, text_size, "%s", err);
        return;
    }
    int rc = pl_client_receipt (client, ack.seq, "records", S_RECEIPT_MS, verdict,
                                sizeof verdict, reason, sizeof reason, &code, err, sizeof err);
    if (rc) {
        *kind = GW_T_NO_VERDICT;
        snprintf (text, text_size, "%s (seq %llu)", topic, (unsigned long long) ack.seq);
    }
    else
    if (strcmp (verdict, "applied") == 0) {
        *kind = GW_T_APPLIED;
        if (what)
            snprintf (text, text_size, "%s %s (seq %llu)", topic, what,
                      (unsigned long long) ack.seq);
        else
            snprintf (text, text_size, "%s p%llu", topic, (unsigned long long) ack.seq);
    }
    else
        snprintf (text, text_size, "%s", *reason ? reason : verdict);
    pl_info ("gateway: %s published %s seq=%llu verdict=%s", gw_session_name (session), topic,
             (unsigned long long) ack.seq, rc ? "none" : verdict);
}

//  The banner of an action's verdict KIND with TEXT (nothing for GW_T_COUNT).
static void
s_verdict (gw_page_t *page, gw_text_id_t kind, const char *text)
{
    if (kind != GW_T_COUNT)
        gw_html_put (page->html, "<p class=\"verdict%s\" role=\"status\">%t <span dir=\"auto\">"
                     "%s</span></p>", kind == GW_T_REFUSED ? " problem" : "", kind, text);
}

//  Carry out the queue form's action as the session's key: publish its
//  event and wait for the records worker's verdict, described into
//  *KIND (GW_T_APPLIED, GW_T_REFUSED, GW_T_NO_VERDICT) and TEXT.  0, or
//  the status to refuse the POST with (403: a bad token, or an action the
//  role may not take; 400: a form that is not one).
static unsigned int
s_act (gw_request_t *request, gw_session_t *session, const char *meeting,
       gw_text_id_t *kind, char *text, size_t text_size)
{
    gw_target_t *form = malloc (sizeof *form);
    if (!form)
        return MHD_HTTP_SERVICE_UNAVAILABLE;
    unsigned int refused = s_session_form (request, session, form);
    const char *action = refused ? NULL : s_field (form, "action");
    const char *field = refused ? NULL : s_field (form, "participant");
    char participant [GW_NAME_MAX + 1] = "";     //  the form goes before the publish
    if (field && strlen (field) < sizeof participant)
        memcpy (participant, field, strlen (field) + 1);
    size_t row = 0;
    while (action && row < S_ACTIONS && strcmp (s_actions [row].action, action))
        row++;
    if (!refused && (!action || !*participant || row == S_ACTIONS))
        refused = MHD_HTTP_BAD_REQUEST;
    int secretariat = strcmp (gw_session_role (session), "secretariat") == 0;
    if (!refused && s_actions [row].secretariat && !secretariat)
        refused = MHD_HTTP_FORBIDDEN;
    json_t *payload = refused ? NULL : json_pack ("{s:s, s:s}", "meeting", meeting,
                                                  "participant", participant);
    free (form);
    if (refused || !payload)
        return refused ? refused : MHD_HTTP_SERVICE_UNAVAILABLE;
    s_publish (session, s_actions [row].topic, payload, participant, kind, text, text_size);
    json_decref (payload);
    return 0;
}

//  The registration form's fields: each fills the field of its name of
//  participant.registered (`plenary register`'s flags).
static const struct {
    const char *field;
    gw_text_id_t label;
    const char *type;               //  an <input>'s type, or NULL for a <select> of VALUES
    const char *values [6];
    int required;
} s_register_fields [] = {
    { "family_name", GW_T_FAMILY_NAME, "text", { NULL }, 1 },
    { "given_name",  GW_T_GIVEN_NAME,  "text", { NULL }, 0 },
    { "delegation",  GW_T_DELEGATION,  "text", { NULL }, 1 },
    { "function",    GW_T_FUNCTION,    NULL, { "", "head", "alternate", "adviser", "expert", NULL }, 0 },
    { "gender",      GW_T_GENDER,      NULL, { "", "f", "m", "x", NULL }, 0 },
    { "email",       GW_T_EMAIL,       "email", { NULL }, 0 },
};
#define S_REGISTER_FIELDS (sizeof s_register_fields / sizeof s_register_fields [0])

//  The registration form of meeting ID, and after a POST the verdict of
//  the participant.registered it published as the person's key.
static struct MHD_Response *
s_register (gw_request_t *request, gw_page_t *page, gw_session_t *session, const char *id,
            unsigned int *status)
{
    gw_text_id_t kind = GW_T_COUNT;
    char outcome [PL_REASON_MAX + 64] = "";
    if (strcmp (request->method, MHD_HTTP_METHOD_POST) == 0) {
        gw_target_t *form = malloc (sizeof *form);
        if (!form)
            return NULL;
        unsigned int refused = s_session_form (request, session, form);
        if (refused) {
            free (form);
            return s_refuse (page, refused, GW_T_FORBIDDEN, GW_T_SIGN_IN_AGAIN, 0, status);
        }
        //  The form's fields, less the token and those left blank, checked
        //  and converted by the schema as the API's parameters are
        size_t kept = 0;
        for (size_t i = 0; i < form->param_count; i++)
            if (strcmp (form->params [i].name, "csrf") && form->params [i].value_size)
                form->params [kept++] = form->params [i];
        form->param_count = kept;
        char err [PL_ERR_MAX];
        json_t *payload = gw_target_query (form, pl_schema_find ("participant.registered"),
                                           "meeting", id, err, sizeof err);
        free (form);
        if (payload)
            s_publish (session, "participant.registered", payload, NULL, &kind, outcome,
                       sizeof outcome);
        else {
            kind = GW_T_REFUSED;
            snprintf (outcome, sizeof outcome, "%s", err);
        }
        json_decref (payload);
    }
    char title [256], delegation [PL_KEY_NAME_MAX + 1];
    snprintf (title, sizeof title, "%s — %.64s", gw_i18n_text (page->lang, GW_T_REGISTER), id);
    snprintf (delegation, sizeof delegation, "%s", gw_session_delegation (session));
    for (char *at = delegation; *at; at++)
        *at = (char) (*at >= 'a' && *at <= 'z' ? *at - 'a' + 'A' : *at);
    gw_page_head (page, title);
    s_bar (page, session);
    gw_html_put (page->html, "<h1>%t: %s</h1>", GW_T_REGISTER, id);
    s_verdict (page, kind, outcome);
    gw_html_put (page->html, "<form class=\"sign-in\" method=\"post\" "
                 "action=\"/secretariat/meetings/%p/register%s\">"
                 "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", id,
                 gw_page_lang (page, 1), gw_session_csrf (session));
    for (size_t f = 0; f < S_REGISTER_FIELDS; f++) {
        const char *name = s_register_fields [f].field;
        gw_html_put (page->html, "<div><label for=\"%s\">%t</label>", name,
                     s_register_fields [f].label);
        if (s_register_fields [f].type) {
            gw_html_put (page->html, "<input id=\"%s\" name=\"%s\" type=\"%s\"%s", name, name,
                         s_register_fields [f].type,
                         s_register_fields [f].required ? " required" : "");
            if (strcmp (name, "delegation") == 0 && *delegation)
                gw_html_put (page->html, " value=\"%s\"", delegation);
            gw_html_put (page->html, "></div>");
            continue;
        }
        gw_html_put (page->html, "<select id=\"%s\" name=\"%s\">", name, name);
        for (const char *const *value = s_register_fields [f].values; *value; value++)
            gw_html_put (page->html, "<option value=\"%s\">%s</option>", *value,
                         strcmp (name, "gender") ? *value
                         : **value ? gw_i18n_enum (page->lang, "gender", *value) : "");
        gw_html_put (page->html, "</select></div>");
    }
    gw_html_put (page->html, "<div><input id=\"sponsored\" type=\"checkbox\" name=\"sponsored\" "
                 "value=\"true\"> <label for=\"sponsored\">%t</label></div>"
                 "<div><button type=\"submit\">%t</button></div>"
                 "</form>", GW_T_SPONSORED_ONE, GW_T_REGISTER);
    gw_page_foot (page, NULL);
    return s_finish (page, MHD_HTTP_OK, status);
}

//  The approval queue of meeting ID: registrations a person may act on,
//  each with a form per action; after a POST the verdict of its action.
static struct MHD_Response *
s_queue (gw_request_t *request, gw_page_t *page, gw_session_t *session, const char *id,
         unsigned int *status)
{
    gw_text_id_t kind = GW_T_COUNT;
    char outcome [PL_REASON_MAX + 64] = "";
    if (strcmp (request->method, MHD_HTTP_METHOD_POST) == 0) {
        unsigned int refused = s_act (request, session, id, &kind, outcome, sizeof outcome);
        if (refused)
            return s_refuse (page, refused, GW_T_FORBIDDEN, GW_T_SIGN_IN_AGAIN, 0, status);
    }
    json_t *args = json_pack ("{s:s}", "meeting", id);
    int code = 0;
    char err [PL_ERR_MAX];
    json_t *reply = args ? pl_client_query_all (gw_session_client (session), "participant.list",
                                                args, &code, err, sizeof err) : NULL;
    json_decref (args);
    if (!reply) {
        gw_query_t failed = { .name = "participant.list", .status = code };
        snprintf (failed.err, sizeof failed.err, "%s", err);
        return s_private (gw_page_failed (page, &failed, status));
    }
    int secretariat = strcmp (gw_session_role (session), "secretariat") == 0;
    const char *own = gw_session_delegation (session);
    char title [256];
    snprintf (title, sizeof title, "%s — %.64s", gw_i18n_text (page->lang, GW_T_QUEUE), id);
    gw_page_head (page, title);
    s_bar (page, session);
    gw_html_put (page->html, "<h1>%t: %s</h1>", GW_T_QUEUE, id);
    s_verdict (page, kind, outcome);
    size_t i, shown = 0;
    const json_t *row;
    json_array_foreach (json_object_get (reply, "items"), i, row) {
        const char *state = s_str (row, "status");
        if (!secretariat && (strcasecmp (s_str (row, "delegation"), own)
                         ||  strcmp (state, "registered")))
            continue;               //  a focal point's queue: its delegation's, to approve
        if (!s_offered (s_actions [1].on, state))
            continue;
        if (shown++ == 0)
            gw_html_put (page->html, "<div class=\"table\"><table class=\"cards\" id=\"queue\">"
                         "<thead><tr><th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
                         "<th scope=\"col\">%t</th><th scope=\"col\">%t</th>"
                         "<th scope=\"col\">%t</th></tr></thead><tbody>", GW_T_NAME,
                         GW_T_DELEGATION, GW_T_FUNCTION, GW_T_STATUS, GW_T_ACTION);
        gw_html_put (page->html, "<tr id=\"%s\"><td data-label=\"%t\" dir=\"auto\">%s, %s</td>"
                     "<td data-label=\"%t\">%s</td><td data-label=\"%t\">%s</td>"
                     "<td data-label=\"%t\">%s</td><td data-label=\"%t\">", s_str (row, "id"),
                     GW_T_NAME, s_str (row, "family_name"), s_str (row, "given_name"),
                     GW_T_DELEGATION, s_str (row, "delegation"), GW_T_FUNCTION,
                     s_str (row, "function"), GW_T_STATUS, state, GW_T_ACTION);
        for (size_t a = 0; a < S_ACTIONS; a++)
            if ((secretariat || !s_actions [a].secretariat) && s_offered (s_actions [a].on, state))
                gw_html_put (page->html, "<form class=\"act\" method=\"post\" "
                             "action=\"/secretariat/meetings/%p/queue%s\">"
                             "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                             "<input type=\"hidden\" name=\"participant\" value=\"%s\">"
                             "<button type=\"submit\" name=\"action\" value=\"%s\" "
                             "aria-label=\"%t %s, %s\">%t</button></form>",
                             id, gw_page_lang (page, 1), gw_session_csrf (session),
                             s_str (row, "id"), s_actions [a].action, s_actions [a].label,
                             s_str (row, "family_name"), s_str (row, "given_name"),
                             s_actions [a].label);
        gw_html_put (page->html, "</td></tr>");
    }
    if (shown)
        gw_html_put (page->html, "</tbody></table></div>");
    else
        gw_html_put (page->html, "<p>%t</p>", GW_T_QUEUE_EMPTY);
    json_decref (reply);
    gw_page_foot (page, NULL);
    return s_finish (page, MHD_HTTP_OK, status);
}

//  A meeting's pages that take GET and POST: /secretariat/meetings/ID SUFFIX.
typedef struct MHD_Response *(s_meeting_fn) (gw_request_t *request, gw_page_t *page,
                                             gw_session_t *session, const char *id,
                                             unsigned int *status);
static const struct {
    const char *suffix;
    s_meeting_fn *page;
} s_meeting_pages [] = {
    { "/queue",    s_queue },
    { "/register", s_register },
};
#define S_MEETING_PAGES (sizeof s_meeting_pages / sizeof s_meeting_pages [0])

//  The row of s_meeting_pages PATH (relative to /secretariat/) asks for,
//  with *ID where the meeting's id begins; S_MEETING_PAGES when none.
static size_t
s_meeting_page (const char *path, const char **id)
{
    size_t length = strlen (path);
    for (size_t i = 0; i < S_MEETING_PAGES; i++) {
        size_t tail = strlen (s_meeting_pages [i].suffix);
        if (strncmp (path, "meetings/", 9) == 0 && length > 9 + tail
        &&  strcmp (path + length - tail, s_meeting_pages [i].suffix) == 0) {
            *id = path + 9;
            return i;
        }
    }
    return S_MEETING_PAGES;
}

struct MHD_Response *
gw_route_secretariat (gw_request_t *request, unsigned int *status)
{
    gw_page_t page;
    if (gw_page_open (&page, request))
        return NULL;
    const char *path = request->param;
    int post = strcmp (request->method, MHD_HTTP_METHOD_POST) == 0;
    if (strcmp (path, "sign-in") == 0)
        return s_sign_in (request, &page, status);
    gw_session_t *session = s_session (request);
    if (!session) {
        if (post)
            return s_refuse (&page, MHD_HTTP_FORBIDDEN, GW_T_FORBIDDEN, GW_T_SIGN_IN_AGAIN, 1,
                             status);
        char location [64];
        snprintf (location, sizeof location, S_SIGN_IN "%s", gw_page_lang (&page, 1));
        gw_html_destroy (&page.html);
        return s_redirect (location, NULL, status);
    }
    if (strcmp (path, "sign-out") == 0 && post)
        return s_sign_out (request, &page, session, status);
    struct MHD_Response *response;
    const char *id = NULL;
    size_t sub = s_meeting_page (path, &id);
    if (sub < S_MEETING_PAGES) {
        char meeting [GW_TARGET_MAX];
        snprintf (meeting, sizeof meeting, "%.*s", (int) (strlen (path) - 9
                  - strlen (s_meeting_pages [sub].suffix)), id);
        response = strchr (meeting, '/')
                 ? s_private (gw_page_error (&page, MHD_HTTP_NOT_FOUND, NULL, status))
                 : s_meeting_pages [sub].page (request, &page, session, meeting, status);
    }
    else
    if (post)
        response = s_refuse (&page, MHD_HTTP_METHOD_NOT_ALLOWED, GW_T_FORBIDDEN,
                             GW_T_SIGN_IN_AGAIN, 0, status);
    else
    if (*path == 0)
        response = s_home (request, &page, session, status);
    else
    if (strncmp (path, "meetings/", 9) == 0 && path [9] && !strchr (path + 9, '/'))
        response = s_dashboard (request, &page, session, path + 9, status);
    else
        response = s_private (gw_page_error (&page, MHD_HTTP_NOT_FOUND, NULL, status));
    gw_sessions_give (request->sessions, &session, 0);
    return response;
}

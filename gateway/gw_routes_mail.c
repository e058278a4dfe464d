/*  gw_routes_mail — /unsubscribe/{token}: the one-click unsubscribe link of
    plenary-notify's messages (RFC 8058).

    GET (or HEAD) answers a small page with one button, and changes
    nothing: mail scanners and link previews fetch links, and must not
    unsubscribe anyone.  POST (the button, or the mail client's one-click
    "List-Unsubscribe=One-Click") publishes mail.unsubscribed with the
    SHA-256 of the token, never the token, under an event id made from
    that hash (the same link twice is one event), and waits up to 5 s for
    the notify worker's verdict: applied 200, rejected (no address has
    this link) 404, no verdict yet 202 (the event is in the log and will
    be applied when the notify worker runs).  A token that is not 64 hex
    digits is a 404 without asking anyone.  The token is never logged. */
#include "gw_http.h"
#include "pl_log.h"
#include "pl_mailkey.h"
#include "pl_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_TOKEN_HEX     64
#define S_RECEIPT_MS    5000        //  how long a click waits for the notify worker

static struct MHD_Response *
s_page (const char *title, const char *body, const char *form_action)
{
    char page [2048];
    snprintf (page, sizeof page,
              "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
              "<title>%s</title></head><body>\n<h1>%s</h1>\n<p>%s</p>\n%s%s%s</body></html>\n",
              title, title, body, form_action ? "<form method=\"post\" action=\"" : "",
              form_action ? form_action : "",
              form_action ? "\"><input type=\"hidden\" name=\"List-Unsubscribe\" "
                            "value=\"One-Click\"><button type=\"submit\">Unsubscribe</button>"
                            "</form>\n" : "");
    struct MHD_Response *response = MHD_create_response_from_buffer (
        strlen (page), page, MHD_RESPMEM_MUST_COPY);
    if (response) {
        MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE,
                                 "text/html; charset=utf-8");
        MHD_add_response_header (response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
        MHD_add_response_header (response, "Referrer-Policy", "no-referrer");
    }
    return response;
}

struct MHD_Response *
gw_route_unsubscribe (gw_request_t *request, unsigned int *status)
{
    const char *token = request->param;
    size_t length = strlen (token);
    if (length != S_TOKEN_HEX || strspn (token, "0123456789abcdef") != length) {
        *status = MHD_HTTP_NOT_FOUND;
        return s_page ("Unknown link", "This unsubscribe link is not one of ours.", NULL);
    }
    if (strcmp (request->method, MHD_HTTP_METHOD_POST)) {
        char action [96];
        snprintf (action, sizeof action, "/unsubscribe/%s", token);
        *status = MHD_HTTP_OK;
        return s_page ("Unsubscribe", "Stop the messages of the secretariat's meeting system "
                       "to this address that are not about your own registration (documents, "
                       "session changes, digests)?", action);
    }
    char hash [PL_MAILKEY_HEX], event_id [64], err [PL_ERR_MAX];
    pl_mailkey_hash (token, hash);
    snprintf (event_id, sizeof event_id, "unsubscribe-%.40s", hash);
    json_t *payload = json_pack ("{s:s}", "token_hash", hash);
    pl_ack_t ack;
    int code = 0;
    int rc = payload ? pl_client_publish (request->client, "mail.unsubscribed", event_id,
                                          payload, &ack, &code, err, sizeof err) : -1;
    json_decref (payload);
    if (rc) {
        pl_warn ("gateway: cannot publish mail.unsubscribed status=%d cause=%s", code, err);
        *status = MHD_HTTP_SERVICE_UNAVAILABLE;
        return s_page ("Try again later", "Your request could not be recorded now.", NULL);
    }
    char verdict [32] = "", reason [PL_REASON_MAX] = "";
    rc = pl_client_receipt (request->client, ack.seq, "notify", S_RECEIPT_MS, verdict,
                            sizeof verdict, reason, sizeof reason, &code, err, sizeof err);
    if (rc == 0 && strcmp (verdict, "applied") == 0) {
        *status = MHD_HTTP_OK;
        return s_page ("Unsubscribed", "This address will receive no more messages of this "
                       "kind. Messages about your own registration are still sent.", NULL);
    }
    if (rc == 0) {
        *status = MHD_HTTP_NOT_FOUND;
        return s_page ("Unknown link", "This unsubscribe link is not one of ours.", NULL);
    }
    pl_info ("gateway: mail.unsubscribed seq=%llu has no verdict yet: %s",
             (unsigned long long) ack.seq, err);
    *status = MHD_HTTP_ACCEPTED;
    return s_page ("Recorded", "Your request is recorded and will take effect shortly.", NULL);
}

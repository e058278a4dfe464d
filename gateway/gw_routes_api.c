/*  gw_routes_api — the JSON API: GET /api/search?q=... (query
    archive.search) and GET /api/documents/{symbol} (query document.show).

    Generic over the schema: the route names a query; the path parameter
    (when the route has one) and every query-string parameter fill the
    query's fields of the same name (gw_target_query: converted by the
    field's type, then validated by the schema), so a bad or unknown
    parameter is a 400 naming it, never a filter dropped.  The reply
    is the worker's reply message as JSON (application/json;
    charset=utf-8); errors are {"error": text, "status": code}.  A query
    the schema does not know yet (the archive not installed) is a 503. */
#include "gw_http.h"
#include "pl_log.h"
#include "pl_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

//  Query statuses passed on as HTTP statuses; anything else is a 502.
static const unsigned int s_passed [] = { 400, 403, 404, 503, 504 };

//  A JSON response of VALUE (stolen).
static struct MHD_Response *
s_json (json_t *value)
{
    char *text = value ? json_dumps (value, JSON_COMPACT) : NULL;
    json_decref (value);
    return gw_http_take (text, "application/json; charset=utf-8", "no-cache");
}

struct MHD_Response *
gw_route_api_error (unsigned int *status, unsigned int code, const char *text)
{
    *status = code;
    return s_json (json_pack ("{s:s, s:i}", "error", text, "status", (int) code));
}

struct MHD_Response *
gw_route_api (gw_request_t *request, unsigned int *status)
{
    const pl_message_t *message = pl_schema_find (request->arg);
    if (!message || message->kind != PL_KIND_QUERY) {
        char text [160];
        snprintf (text, sizeof text, "%s is not available on this server", request->arg);
        return gw_route_api_error (status, MHD_HTTP_SERVICE_UNAVAILABLE, text);
    }
    if (request->field && !pl_schema_field (message, request->field))
        return gw_route_api_error (status, MHD_HTTP_SERVICE_UNAVAILABLE,
                                   "this server's schema does not fit the route");
    char err [PL_ERR_MAX];
    json_t *args = gw_target_query (request->target, message, request->field,
                                    request->field ? request->param : NULL, err, sizeof err);
    if (!args)
        return *err ? gw_route_api_error (status, MHD_HTTP_BAD_REQUEST, err) : NULL;
    int query_status = 0;
    json_t *reply = pl_client_query_as (request->client, request->arg, args, "public",
                                        &query_status, err, sizeof err);
    json_decref (args);
    if (reply) {
        *status = MHD_HTTP_OK;
        return s_json (reply);
    }
    for (size_t i = 0; i < sizeof s_passed / sizeof s_passed [0]; i++)
        if ((int) s_passed [i] == query_status)
            return gw_route_api_error (status, s_passed [i], err);
    pl_warn ("gateway: %s failed status=%d cause=%s", request->arg, query_status, err);
    return gw_route_api_error (status, MHD_HTTP_BAD_GATEWAY, err);
}

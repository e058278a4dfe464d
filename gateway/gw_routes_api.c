/*  gw_routes_api — the JSON API: GET /api/search?q=... (query
    archive.search) and GET /api/documents/{symbol} (query document.show).

    Generic over the schema: the route names a query; the path parameter
    (when the route has one) and every query-string parameter fill the
    query's fields of the same name, converted by the field's type (INT by
    strtoll, BOOL from true/false, text as it is); the schema then
    validates the whole, so a bad parameter is a 400 naming it.  The reply
    is the worker's reply message as JSON (application/json;
    charset=utf-8); errors are {"error": text, "status": code}.  A query
    the schema does not know yet (the archive not installed) is a 503. */
#include "gw_http.h"
#include "pl_log.h"
#include "pl_schema.h"

#include <errno.h>
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
    if (!text)
        return NULL;
    size_t length = strlen (text);
    struct MHD_Response *response = MHD_create_response_from_buffer (
        length, text, MHD_RESPMEM_MUST_FREE);
    if (!response) {
        free (text);
        return NULL;
    }
    MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE,
                             "application/json; charset=utf-8");
    MHD_add_response_header (response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    return response;
}

//  The JSON error document for STATUS.
static struct MHD_Response *
s_error (unsigned int *status, unsigned int code, const char *text)
{
    *status = code;
    return s_json (json_pack ("{s:s, s:i}", "error", text, "status", (int) code));
}

typedef struct {
    const pl_message_t *message;
    json_t *args;
    char err [PL_ERR_MAX];
} s_params_t;

//  Convert TEXT for FIELD into a JSON value, or NULL with ERR.
static json_t *
s_convert (const pl_field_t *field, const char *text, char *err, size_t errsize)
{
    if (field->type == PL_T_INT) {
        errno = 0;
        char *end = NULL;
        long long value = strtoll (text, &end, 10);
        if (errno || end == text || *end) {
            snprintf (err, errsize, "%s: not an integer: '%.64s'", field->name, text);
            return NULL;
        }
        return json_integer (value);
    }
    if (field->type == PL_T_BOOL) {
        if (strcmp (text, "true") == 0 || strcmp (text, "false") == 0)
            return json_boolean (strcmp (text, "true") == 0);
        snprintf (err, errsize, "%s: want true or false, not '%.64s'", field->name, text);
        return NULL;
    }
    if (field->type == PL_T_LIST || field->type == PL_T_TEXTLIST) {
        snprintf (err, errsize, "%s: a list cannot be given in the query string", field->name);
        return NULL;
    }
    return json_string (text);
}

//  libmicrohttpd's iterator over query-string parameters.
static enum MHD_Result
s_param (void *params_, enum MHD_ValueKind kind, const char *key, const char *value)
{
    s_params_t *params = params_;
    (void) kind;
    const pl_field_t *field = pl_schema_field (params->message, key);
    if (!field) {
        snprintf (params->err, sizeof params->err, "unknown parameter '%.64s'", key);
        return MHD_NO;
    }
    if (json_object_get (params->args, key)) {
        snprintf (params->err, sizeof params->err, "%s: given twice", key);
        return MHD_NO;
    }
    json_t *converted = s_convert (field, value ? value : "", params->err, sizeof params->err);
    if (!converted)
        return MHD_NO;
    json_object_set_new (params->args, key, converted);
    return MHD_YES;
}

struct MHD_Response *
gw_route_api (gw_request_t *request, unsigned int *status)
{
    s_params_t params = { pl_schema_find (request->arg), NULL, "" };
    if (!params.message || params.message->kind != PL_KIND_QUERY) {
        char text [160];
        snprintf (text, sizeof text, "%s is not available on this server", request->arg);
        return s_error (status, MHD_HTTP_SERVICE_UNAVAILABLE, text);
    }
    if (!(params.args = json_object ()))
        return NULL;
    if (request->field) {
        const pl_field_t *field = pl_schema_field (params.message, request->field);
        json_t *value = field ? s_convert (field, request->param, params.err, sizeof params.err)
                              : NULL;
        if (!value) {
            json_decref (params.args);
            return s_error (status, field ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_SERVICE_UNAVAILABLE,
                            field ? params.err : "this server's schema does not fit the route");
        }
        json_object_set_new (params.args, request->field, value);
    }
    MHD_get_connection_values (request->connection, MHD_GET_ARGUMENT_KIND, s_param, &params);
    if (!*params.err)
        pl_schema_validate (params.message, params.args, params.err, sizeof params.err);
    if (*params.err) {
        json_decref (params.args);
        return s_error (status, MHD_HTTP_BAD_REQUEST, params.err);
    }
    int query_status = 0;
    char err [PL_ERR_MAX];
    json_t *reply = pl_client_query_as (request->client, request->arg, params.args, "public",
                                        &query_status, err, sizeof err);
    json_decref (params.args);
    if (reply) {
        *status = MHD_HTTP_OK;
        return s_json (reply);
    }
    for (size_t i = 0; i < sizeof s_passed / sizeof s_passed [0]; i++)
        if ((int) s_passed [i] == query_status)
            return s_error (status, s_passed [i], err);
    pl_warn ("gateway: %s failed status=%d cause=%s", request->arg, query_status, err);
    return s_error (status, MHD_HTTP_BAD_GATEWAY, err);
}

/*  gw_routes_metrics — GET /metrics (gw_metrics.h): for this host only,
    the broker's numbers (broker.status, asked as role public) and the
    gateway's own, in Prometheus's text format 0.0.4.  A request from
    elsewhere, or one a proxy forwarded, is a 403 (docs/SECURITY.md says
    why); a broker that does not answer is plenary_broker_up 0, not an
    error: the gateway's own numbers are still worth scraping. */
#include "gw_http.h"
#include "gw_metrics.h"
#include "pl_log.h"

struct MHD_Response *
gw_route_metrics (gw_request_t *request, unsigned int *status)
{
    if (!gw_http_local (request)) {
        *status = MHD_HTTP_FORBIDDEN;
        return gw_http_text ("Forbidden: /metrics is served to this host only (a loopback "
                             "address, not forwarded by a proxy)");
    }
    int query_status = 0;
    char err [PL_ERR_MAX];
    json_t *broker = pl_client_query_as (request->client, "broker.status", NULL, "public",
                                         &query_status, err, sizeof err);
    if (!broker)
        pl_warn ("gateway: /metrics without the broker's numbers status=%d cause=%s",
                 query_status, err);
    char *text = gw_metrics_text (request->metrics, broker, request->cache);
    json_decref (broker);
    *status = MHD_HTTP_OK;
    return gw_http_take (text, "text/plain; version=0.0.4; charset=utf-8", "no-store");
}

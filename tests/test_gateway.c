/*  test_gateway — the gateway's self-tests in process: gw_target, the
    decoding and checking of request targets and their mapping onto
    queries; gw_html, the web pages' templates and their one escaping
    function; gw_i18n, the pages' words in six languages and the choice of
    a language; gw_feed, a feed held in memory with its gzip and responses;
    gw_cache, the feeds held, their freshness, bounds and eviction;
    gw_metrics, /metrics' text from a broker.status reply and counts;
    gw_session, cookies, origins, CSRF tokens and the lock-out. */
#include "gw_cache.h"
#include "gw_feed.h"
#include "gw_html.h"
#include "gw_i18n.h"
#include "gw_metrics.h"
#include "gw_session.h"
#include "gw_target.h"

#include <stdio.h>

int
main (void)
{
    int failed = gw_target_test (1) != 0;
    failed |= gw_html_test (1) != 0;
    failed |= gw_i18n_test (1) != 0;
    failed |= gw_feed_test (1) != 0;
    failed |= gw_cache_test (1) != 0;
    failed |= gw_metrics_test (1) != 0;
    failed |= gw_session_test (1) != 0;
    printf ("%s\n", failed ? "gateway self-tests FAILED" : "gateway self-tests passed");
    return failed;
}

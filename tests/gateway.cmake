# The HTTP gateway under hostile input and load (the issue "Authentication
# and authorization", items 2, 5 and 7 for HTTP and the CLI).
#   gateway_selftest  in-process: request targets decoded and checked, and
#                     mapped onto queries (gateway/gw_target.c); the web
#                     pages' templates and escaping (gw_html.c) and words in
#                     six languages (gw_i18n.c); feeds held in memory, their
#                     gzip and responses (gw_feed.c), the cache's freshness,
#                     bounds and eviction (gw_cache.c); /metrics' text from
#                     a broker.status reply and counted responses (gw_metrics.c)
#   hostile_input     black box: bad bytes in paths and parameters are a 400
#                     naming them, unknown API parameters too; the CLI refuses
#                     bad arguments; HTML and snippets cannot be forged
#   gateway_tls       black box: the address policy (exit 2 off loopback
#                     without TLS or a proxy), certificates refused with a
#                     reason, HTTPS served, plain HTTP refused on its port
#   gateway_limits    black box: connections per address, the request
#                     deadline against slow clients, keep-alive still kept
#   gateway_feeds     black box: feeds from memory: keep-alive (one connection
#                     for many requests), gzip with its own ETag, 304s, Last-
#                     Modified never after Date, a change seen in both
add_executable (test_gateway ${CMAKE_CURRENT_SOURCE_DIR}/test_gateway.c
    ${CMAKE_SOURCE_DIR}/gateway/gw_target.c ${CMAKE_SOURCE_DIR}/gateway/gw_html.c
    ${CMAKE_SOURCE_DIR}/gateway/gw_i18n.c ${CMAKE_SOURCE_DIR}/gateway/gw_feed.c
    ${CMAKE_SOURCE_DIR}/gateway/gw_cache.c ${CMAKE_SOURCE_DIR}/gateway/gw_metrics.c
    ${CMAKE_SOURCE_DIR}/gateway/gw_session.c)
target_include_directories (test_gateway PRIVATE ${CMAKE_SOURCE_DIR}/gateway)
target_link_libraries (test_gateway PRIVATE plenary_common PkgConfig::MHD PkgConfig::ZLIB
    Threads::Threads)
set_target_properties (test_gateway PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
add_test (NAME gateway_selftest COMMAND test_gateway)
set_tests_properties (gateway_selftest PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 30)

foreach (name hostile_input gateway_tls gateway_limits gateway_feeds web_signed_in)
    add_test (NAME ${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/${name}.sh)
    set_tests_properties (${name} PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)
endforeach ()

# libFuzzer targets for the request target and its queries, and for
# Accept-Encoding (-DPL_FUZZ=ON, pl_fuzz)
if (PL_FUZZ)
    pl_fuzz (fuzz_http ${CMAKE_SOURCE_DIR}/gateway/gw_target.c
        ${CMAKE_SOURCE_DIR}/lib/pl_schema.c
        ${CMAKE_SOURCE_DIR}/schemas/pl_schema_table.c)
    target_include_directories (fuzz_http PRIVATE ${CMAKE_SOURCE_DIR}/gateway
        ${CMAKE_SOURCE_DIR}/lib)
    target_link_libraries (fuzz_http PRIVATE PkgConfig::JANSSON)
    # and for the Accept-Encoding header, against a reading of its own
    pl_fuzz (fuzz_accept ${CMAKE_SOURCE_DIR}/gateway/gw_feed.c)
    target_include_directories (fuzz_accept PRIVATE ${CMAKE_SOURCE_DIR}/gateway
        ${CMAKE_SOURCE_DIR}/lib)
    target_link_libraries (fuzz_accept PRIVATE plenary_common PkgConfig::MHD PkgConfig::ZLIB
        Threads::Threads)
endif ()

# The public web pages (issue 15)
#   web_pages    black box over HTTP (curl): valid HTML5 that loads nothing,
#                the same data as the JSON API, escaping, nothing restricted
#                or personal, 400/404 pages, HEAD, ETag/304, languages
#   web_browser  the same system in Debian's chromium driven by playwright-core
#                (tests/web/pages.mjs): clicks, what a reader sees in Chinese
#                and Arabic, right to left, the viewer's time, no JavaScript,
#                a phone's width, the keyboard, print, axe-core's WCAG 2.1 AA
#                rules; screenshots of each page in build/web-screens
foreach (name web_pages web_browser)
    add_test (NAME ${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/${name}.sh)
    set_tests_properties (${name} PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 180)
endforeach ()

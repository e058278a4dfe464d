# The calendar worker and the HTTP gateway (issue 4).
#   calendar_selftest  in-process: the renderer's self-test and the worker's rules
#   calendar_gateway   black box: real broker, records, calendar, gateway over HTTP;
#                      feeds checked by libical, python3-icalendar, python3-vobject,
#                      ical.js and vdirsyncer (tests/calendar_gateway.sh)
#   calendar_cache     black box: the gateway's validator cache (304 with the worker
#                      stopped, invalidated by $verdict.calendar, bounded without it)
#                      and its stop within 5 s with keep-alive connections and
#                      requests in flight (tests/calendar_cache.sh, calendar_conns.py)
set (PL_CALENDAR_DIR ${CMAKE_SOURCE_DIR}/workers/calendar)
add_executable (test_calendar ${CMAKE_CURRENT_SOURCE_DIR}/test_calendar.c
    ${PL_CALENDAR_DIR}/calendar_worker.c
    ${PL_CALENDAR_DIR}/calendar_store.c
    ${PL_CALENDAR_DIR}/calendar_store_mail.c
    ${PL_CALENDAR_DIR}/calendar_render.c)
target_include_directories (test_calendar PRIVATE ${PL_CALENDAR_DIR})
target_link_libraries (test_calendar PRIVATE plenary_zone PkgConfig::SODIUM)
set_target_properties (test_calendar PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
add_test (NAME calendar_selftest COMMAND test_calendar)
set_tests_properties (calendar_selftest PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)

add_test (NAME calendar_gateway COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/calendar_gateway.sh)
set_tests_properties (calendar_gateway PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 180)

add_test (NAME calendar_cache COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/calendar_cache.sh)
set_tests_properties (calendar_cache PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 90)

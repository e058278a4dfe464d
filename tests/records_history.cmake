# Records: what a delegation's history changes.
#   records_history_selftest  in-process: a declaration as State Party or
#                             signatory releases pending registrations; --as-of
#                             with the delegations as they stood; a round-1
#                             database upgrades and replays (test_records_history.c)
add_executable (test_records_history
    ${CMAKE_CURRENT_SOURCE_DIR}/test_records_history.c
    ${PL_RECORDS_SOURCES})
target_include_directories (test_records_history PRIVATE ${CMAKE_SOURCE_DIR}/workers/records)
target_link_libraries (test_records_history PRIVATE plenary_zone)
add_test (NAME records_history_selftest COMMAND test_records_history)
set_tests_properties (records_history_selftest PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)

# Records, round 3 (brief R3): the gaps closed in issue 3.
#   records_c_selftest  in-process: a declaration as State Party or signatory
#                       releases pending registrations; --as-of with the
#                       delegations as they stood; a round-1 database
#                       upgrades and replays (test_records_c.c)
add_executable (test_records_c
    ${CMAKE_CURRENT_SOURCE_DIR}/test_records_c.c
    ${PL_RECORDS_SOURCES})
target_include_directories (test_records_c PRIVATE ${CMAKE_SOURCE_DIR}/workers/records)
target_link_libraries (test_records_c PRIVATE plenary_zone)
add_test (NAME records_c_selftest COMMAND test_records_c)
set_tests_properties (records_c_selftest PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)

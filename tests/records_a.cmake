# Records, issue 3 part A (brief R1): meeting and session lifecycle,
# delegations and observer admission, participant lifecycle, statistics.
#   records_a_selftest  in-process rules (test_records_a.c)
#   records_a_cli       the new subcommands against real binaries
add_executable (test_records_a
    ${CMAKE_CURRENT_SOURCE_DIR}/test_records_a.c
    ${PL_RECORDS_SOURCES})
target_include_directories (test_records_a PRIVATE ${CMAKE_SOURCE_DIR}/workers/records)
target_link_libraries (test_records_a PRIVATE plenary_zone)
add_test (NAME records_a_selftest COMMAND test_records_a)
set_tests_properties (records_a_selftest PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)

add_test (NAME records_a_cli COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/records_a_cli.sh)
set_tests_properties (records_a_cli PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)

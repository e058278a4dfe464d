# Records: meeting and session lifecycle,
# delegations and observer admission, participant lifecycle, statistics.
#   records_lifecycle_selftest  in-process rules (test_records_lifecycle.c)
#   records_lifecycle_cli       the new subcommands against real binaries
add_executable (test_records_lifecycle
    ${CMAKE_CURRENT_SOURCE_DIR}/test_records_lifecycle.c
    ${PL_RECORDS_SOURCES})
target_include_directories (test_records_lifecycle PRIVATE ${CMAKE_SOURCE_DIR}/workers/records)
target_link_libraries (test_records_lifecycle PRIVATE plenary_zone)
add_test (NAME records_lifecycle_selftest COMMAND test_records_lifecycle)
set_tests_properties (records_lifecycle_selftest PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)

add_test (NAME records_lifecycle_cli COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/records_lifecycle_cli.sh)
set_tests_properties (records_lifecycle_cli PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)

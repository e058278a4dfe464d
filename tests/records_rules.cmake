# Records, "One truth" item 4: the domain input the records authority refuses.
#   records_rules_selftest  in-process: each rule with its exact reason, and
#                           that a refusal changes nothing (test_records_rules.c)
#   records_rules_cli       black box: each refusal's exit code and reason
#                           through the real CLI (tests/records_rules_cli.sh)
add_executable (test_records_rules
    ${CMAKE_CURRENT_SOURCE_DIR}/test_records_rules.c
    ${PL_RECORDS_SOURCES})
target_include_directories (test_records_rules PRIVATE ${CMAKE_SOURCE_DIR}/workers/records)
target_link_libraries (test_records_rules PRIVATE plenary_zone)
add_test (NAME records_rules_selftest COMMAND test_records_rules)
set_tests_properties (records_rules_selftest PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)

add_test (NAME records_rules_cli COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/records_rules_cli.sh)
set_tests_properties (records_rules_cli PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)

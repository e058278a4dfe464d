# Records, "One truth" item 4: the domain input the records authority refuses.
#   records_rules_cli  black box: names, with each refusal's exit code and
#                      reason through the real CLI (tests/records_rules_cli.sh)
add_test (NAME records_rules_cli COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/records_rules_cli.sh)
set_tests_properties (records_rules_cli PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)

# Client library and CLI tests (clients/).
#   client_selftest  pl_client against a scripted fake broker, in-process
#   cli_usage        exit codes and messages of the CLI that need no broker
#   cli_flow         the CLI against a real plenaryd + plenary-records,
#                    including a publish that rides out a broker restart
#   cli_up           plenary up: starts, serves, restarts a killed child, stops
#   config_file      the configuration file: flag over environment over file
#                    over default in plenaryd, records, the CLI and up; bad
#                    files refused with FILE:LINE (lib/pl_settings.c)
add_executable (test_client ${CMAKE_CURRENT_SOURCE_DIR}/test_client.c)
target_link_libraries (test_client PRIVATE plenary_common)
add_test (NAME client_selftest COMMAND test_client)
set_tests_properties (client_selftest PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)

foreach (name cli_usage cli_flow cli_up config_file)
    add_test (NAME ${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/${name}.sh)
    set_tests_properties (${name} PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)
endforeach ()

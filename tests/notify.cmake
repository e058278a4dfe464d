# The notify worker (issue 16): its classes and its worker in process
# (test_notify), and black-box tests with a real SMTP server (Debian's
# python3-aiosmtpd) on an ephemeral port (tests/notify_*.sh).
add_executable (test_notify ${CMAKE_CURRENT_SOURCE_DIR}/test_notify.c ${PL_NOTIFY_SOURCES})
target_include_directories (test_notify PRIVATE ${CMAKE_SOURCE_DIR}/workers/notify)
target_link_libraries (test_notify PRIVATE plenary_zone PkgConfig::CURL PkgConfig::SODIUM)
set_target_properties (test_notify PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
add_test (NAME notify_selftest COMMAND test_notify)
set_tests_properties (notify_selftest PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)
target_compile_definitions (test_notify PRIVATE
    PL_NOTIFY_TEMPLATES="${CMAKE_SOURCE_DIR}/workers/notify/templates")
foreach (name notify_mail)
    add_test (NAME ${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/${name}.sh)
    set_tests_properties (${name} PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 240)
endforeach ()
foreach (name notify_kill notify_load check_notify)
    add_test (NAME ${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/${name}.sh)
    set_tests_properties (${name} PROPERTIES ENVIRONMENT "PL_BUILD=${CMAKE_BINARY_DIR};PL_SOURCE=${CMAKE_SOURCE_DIR};PLENARY_LOG=info" TIMEOUT 240)
endforeach ()

# Black-box tests of the whole system: real binaries, ephemeral ports,
# temporary data folders (tests/harness.sh).
add_executable (test-publisher ${CMAKE_CURRENT_SOURCE_DIR}/test_publisher.c)
target_link_libraries (test-publisher PRIVATE plenary_common)
set_target_properties (test-publisher PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})

foreach (name e2e_flow e2e_worker_kill e2e_broker_kill e2e_follower_kill e2e_roles)
    add_test (NAME ${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/${name}.sh)
    set_tests_properties (${name} PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 240)
endforeach ()

# plenary check: records, calendar and archive agree, then each view's
# database is corrupted on purpose and the check names what differs.
add_test (NAME check_views COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/check_views.sh)
set_tests_properties (check_views PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)

# The contract walk-through from ../shared (present beside the project in CI).
if (EXISTS ${CMAKE_SOURCE_DIR}/../shared/contract/smoke.sh)
    add_test (NAME contract_smoke
              COMMAND bash ${CMAKE_SOURCE_DIR}/../shared/contract/smoke.sh ${CMAKE_BINARY_DIR})
    set_tests_properties (contract_smoke PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)
endif ()

# docs/protocol.md's table of groups against what the running workers declare.
add_test (NAME docs_groups COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/docs_groups.sh)
set_tests_properties (docs_groups PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)

# Black-box tests of the whole system: real binaries, ephemeral ports,
# temporary data folders (tests/harness.sh).
#   e2e_flow, e2e_worker_kill, e2e_broker_kill, e2e_follower_kill, e2e_roles (see each)
#   one_truth  followers and references across records, calendar and archive
#   distribution  who sees what, with a key per role (tests/distribution.sh)
add_executable (test-publisher ${CMAKE_CURRENT_SOURCE_DIR}/test_publisher.c)
target_link_libraries (test-publisher PRIVATE plenary_common)
set_target_properties (test-publisher PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})

# test-receipt: one group's verdict on one event, for tests that ask what a
# follower did with an event the CLI published (tests/one_truth.sh).
add_executable (test-receipt ${CMAKE_CURRENT_SOURCE_DIR}/test_receipt.c)
target_link_libraries (test-receipt PRIVATE plenary_common)
set_target_properties (test-receipt PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})

foreach (name e2e_flow e2e_worker_kill e2e_broker_kill e2e_follower_kill e2e_roles e2e_keys)
    add_test (NAME ${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/${name}.sh)
    set_tests_properties (${name} PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 240)
endforeach ()

# /metrics scraped and read by Prometheus's own parser (python3-prometheus-
# client): the counters moved exactly as the test made them; plenary status
# --json agrees; a backlog; 403 when forwarded; the broker down (tests/metrics.sh).
add_test (NAME metrics COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/metrics.sh)
set_tests_properties (metrics PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 180)

# plenary check: records, calendar and archive agree, then each view's
# database is corrupted on purpose and the check names what differs.
add_test (NAME check_views COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/check_views.sh)
set_tests_properties (check_views PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)

# One truth: records, calendar and archive together, followers skip what their
# leader refused, nothing refers to what does not exist, and a rebuild of the
# calendar and the archive from the log gives the same bytes (tests/one_truth.sh).
add_test (NAME one_truth COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/one_truth.sh)
set_tests_properties (one_truth PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 180)

# The contract walk-through from ../shared (present beside the project in CI).
if (EXISTS ${CMAKE_SOURCE_DIR}/../shared/contract/smoke.sh)
    add_test (NAME contract_smoke
              COMMAND bash ${CMAKE_SOURCE_DIR}/../shared/contract/smoke.sh ${CMAKE_BINARY_DIR})
    set_tests_properties (contract_smoke PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)
endif ()

# Who sees what, on every path, with a key per role: personal data, and
# documents by distribution through time (tests/distribution.sh).
add_test (NAME distribution COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/distribution.sh)
set_tests_properties (distribution PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 180)

# docs/protocol.md's table of groups against what the running workers declare.
add_test (NAME docs_groups COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/docs_groups.sh)
set_tests_properties (docs_groups PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)

# Keys across two hosts (network namespaces): skipped (77) without root.
add_test (NAME e2e_keys_hosts COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e_keys_hosts.sh)
set_tests_properties (e2e_keys_hosts PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120
                      SKIP_RETURN_CODE 77)

# A full disk (a small tmpfs): skipped (77) without root.
add_test (NAME e2e_disk_full COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/e2e_disk_full.sh)
set_tests_properties (e2e_disk_full PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120
                      SKIP_RETURN_CODE 77)

# plenary backup under load and the restore: the copy consistent (no cursor
# past the copied log, no log's cursor past a copied worker), private,
# verified, and answering as the original, plenary-notify's outbox too
# (tests/backup_restore.sh); plenary verify on copies damaged on purpose,
# and a restore with keys (tests/backup_verify.sh).
foreach (name backup_restore backup_verify)
    add_test (NAME ${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/${name}.sh)
    set_tests_properties (${name} PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 300)
endforeach ()

# README.md's examples run as written against `plenary up`, with the files
# of examples/ (tests/readme_examples.sh)
add_test (NAME readme_examples COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/readme_examples.sh)
set_tests_properties (readme_examples PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 180)

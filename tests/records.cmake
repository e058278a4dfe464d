# The records worker and the worker library (brief H4).
#   test_records  in-process self-test of the records store and its rules
#   test_worker   pl_worker against a fake broker (a ROUTER in the test)
set (PL_RECORDS_DIR ${CMAKE_SOURCE_DIR}/workers/records)

add_executable (test_records
    ${CMAKE_CURRENT_SOURCE_DIR}/test_records.c
    ${PL_RECORDS_SOURCES})
target_include_directories (test_records PRIVATE ${PL_RECORDS_DIR})
target_link_libraries (test_records PRIVATE plenary_zone)
add_test (NAME records_selftest COMMAND test_records)
set_tests_properties (records_selftest PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)

find_package (Threads REQUIRED)
add_executable (test_worker ${CMAKE_CURRENT_SOURCE_DIR}/test_worker.c)
target_link_libraries (test_worker PRIVATE plenary_common Threads::Threads)
add_test (NAME worker_selftest COMMAND test_worker)
set_tests_properties (worker_selftest PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)

# Workers never stall: a query held on a query thread far past the broker's
# liveness while events apply; 504 with the reason past its deadline
# (tests/worker_stall.sh, with the test hook PL_TEST_HOLD_QUERIES)
add_test (NAME worker_stall COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/worker_stall.sh)
set_tests_properties (worker_stall PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)

# A corrected spreadsheet imported again: the people whose rows changed are
# updated, unchanged rows publish nothing, refusals say why
# (tests/import_update.sh)
add_test (NAME import_update COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/import_update.sh)
set_tests_properties (import_update PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)

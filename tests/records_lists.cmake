# Records: CSV import, credentials, statements, speakers, the list of
# participants as a document.
#   records_lists_selftest  in-process rules (test_records_lists.c)
#   records_import          plenary register --csv with real-world mess (black box)
#   records_lists_cli       credentials, speakers, statements, participants formats,
#                           issues, --as-of, and a rebuild from the log (black box)
#   fuzz_csv                (-DPL_FUZZ=ON) the file's rows as payloads (clients/cli_csv.c)
add_executable (test_records_lists
    ${CMAKE_CURRENT_SOURCE_DIR}/test_records_lists.c
    ${PL_RECORDS_SOURCES})
target_include_directories (test_records_lists PRIVATE ${CMAKE_SOURCE_DIR}/workers/records)
target_link_libraries (test_records_lists PRIVATE plenary_zone)
add_test (NAME records_lists_selftest COMMAND test_records_lists)
set_tests_properties (records_lists_selftest PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)

add_test (NAME records_import COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/records_import.sh)
set_tests_properties (records_import PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)
add_test (NAME records_lists_cli COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/records_lists_cli.sh)
set_tests_properties (records_lists_cli PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)

# libFuzzer target for the spreadsheet's rows (-DPL_FUZZ=ON, pl_fuzz)
if (PL_FUZZ)
    pl_fuzz (fuzz_csv ${CMAKE_SOURCE_DIR}/clients/cli_csv.c
        ${CMAKE_SOURCE_DIR}/lib/pl_schema.c
        ${CMAKE_SOURCE_DIR}/schemas/pl_schema_table.c)
    target_include_directories (fuzz_csv PRIVATE ${CMAKE_SOURCE_DIR}/clients
        ${CMAKE_SOURCE_DIR}/lib)
    target_link_libraries (fuzz_csv PRIVATE PkgConfig::CZMQ PkgConfig::JANSSON ${CSV_LIBRARY})
endif ()

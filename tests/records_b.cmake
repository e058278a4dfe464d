# Records, part B (issue 3): CSV import, credentials, statements, speakers,
# the list of participants as a document.
#   records_b_selftest  in-process rules (test_records_b.c)
#   records_b_import    plenary register --csv with real-world mess (black box)
#   records_b_lists     credentials, speakers, statements, participants formats,
#                       issues, --as-of, and a rebuild from the log (black box)
#   fuzz_csv            (-DPL_FUZZ=ON) the file's rows as payloads (clients/cli_csv.c)
add_executable (test_records_b
    ${CMAKE_CURRENT_SOURCE_DIR}/test_records_b.c
    ${PL_RECORDS_SOURCES})
target_include_directories (test_records_b PRIVATE ${CMAKE_SOURCE_DIR}/workers/records)
target_link_libraries (test_records_b PRIVATE plenary_zone)
add_test (NAME records_b_selftest COMMAND test_records_b)
set_tests_properties (records_b_selftest PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)

foreach (name import lists)
    add_test (NAME records_b_${name}
              COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/records_b_${name}.sh)
    set_tests_properties (records_b_${name} PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)
endforeach ()

# libFuzzer target for the spreadsheet's rows (-DPL_FUZZ=ON, pl_fuzz)
if (PL_FUZZ)
    pl_fuzz (fuzz_csv ${CMAKE_SOURCE_DIR}/clients/cli_csv.c
        ${CMAKE_SOURCE_DIR}/lib/pl_schema.c
        ${CMAKE_SOURCE_DIR}/schemas/pl_schema_table.c)
    target_include_directories (fuzz_csv PRIVATE ${CMAKE_SOURCE_DIR}/clients
        ${CMAKE_SOURCE_DIR}/lib)
    target_link_libraries (fuzz_csv PRIVATE PkgConfig::CZMQ PkgConfig::JANSSON ${CSV_LIBRARY})
endif ()

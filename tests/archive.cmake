# The archive worker (issue 5).
#   archive_selftest  tokenizer, search words, rules in-process,
#                     and archive.search against an FTS5 oracle (test_archive_oracle.c,
#                     its archive and searches in test_archive_oracle_data.c)
#   archive_search    search that finds what record-keepers mean, on a corpus of
#                     a few hundred documents in six languages with known answers
#                     (test_archive_search.c, its tables in test_archive_search_data.c)
#   archive_flow      the CLI: six languages, revisions, outcomes, roles
#   archive_corpus    the real Chinese corpus released and searched
#   archive_kill      SIGKILL in the middle of ingest: exactly once
set (PL_ARCHIVE_DIR ${CMAKE_SOURCE_DIR}/workers/archive)

add_executable (test_archive ${CMAKE_CURRENT_SOURCE_DIR}/test_archive.c
    ${CMAKE_CURRENT_SOURCE_DIR}/test_archive_fixture.c
    ${CMAKE_CURRENT_SOURCE_DIR}/test_archive_oracle.c
    ${CMAKE_CURRENT_SOURCE_DIR}/test_archive_oracle_data.c ${PL_ARCHIVE_SOURCES})
target_include_directories (test_archive PRIVATE ${PL_ARCHIVE_DIR})
target_link_libraries (test_archive PRIVATE plenary_common ${PL_ARCHIVE_LIBRARIES})
add_test (NAME archive_selftest COMMAND test_archive)
set_tests_properties (archive_selftest PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)

add_executable (test_archive_search ${CMAKE_CURRENT_SOURCE_DIR}/test_archive_search.c
    ${CMAKE_CURRENT_SOURCE_DIR}/test_archive_search_data.c
    ${CMAKE_CURRENT_SOURCE_DIR}/test_archive_fixture.c ${PL_ARCHIVE_SOURCES})
target_include_directories (test_archive_search PRIVATE ${PL_ARCHIVE_DIR})
target_link_libraries (test_archive_search PRIVATE plenary_common ${PL_ARCHIVE_LIBRARIES})
add_test (NAME archive_search COMMAND test_archive_search)
set_tests_properties (archive_search PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 60)

foreach (name archive_flow archive_corpus archive_kill)
    add_test (NAME ${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/${name}.sh)
    set_tests_properties (${name} PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)
endforeach ()

# libFuzzer target for the symbol parser (-DPL_FUZZ=ON, pl_fuzz)
if (PL_FUZZ)
    pl_fuzz (fuzz_symbol ${CMAKE_SOURCE_DIR}/lib/pl_symbol.c)
    target_include_directories (fuzz_symbol PRIVATE ${CMAKE_SOURCE_DIR}/lib)
endif ()

# libFuzzer target for the search words (archive_query): clang only, -DPL_FUZZ=ON;
# its seeds in tests/fuzz/query
if (PL_FUZZ AND CMAKE_C_COMPILER_ID MATCHES "Clang")
    add_executable (fuzz_query ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_query.c ${PL_ARCHIVE_SOURCES})
    target_include_directories (fuzz_query PRIVATE ${PL_ARCHIVE_DIR})
    target_link_libraries (fuzz_query PRIVATE plenary_common ${PL_ARCHIVE_LIBRARIES})
    target_compile_options (fuzz_query PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options (fuzz_query PRIVATE -fsanitize=fuzzer,address,undefined)
    set_target_properties (fuzz_query PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
endif ()

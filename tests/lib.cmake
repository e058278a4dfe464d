# Self-tests of lib/ and schemas/, and the check that docs/events.md is the
# current output of pl-schema-doc.
add_executable (test_lib ${CMAKE_CURRENT_SOURCE_DIR}/test_lib.c)
target_link_libraries (test_lib PRIVATE plenary_zone)
set_target_properties (test_lib PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})

add_test (NAME lib_selftest COMMAND test_lib)
set_tests_properties (lib_selftest PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)

# docs/events.md is generated: fail when it differs from what the table says
add_test (NAME events_doc_current
          COMMAND sh -c "out=$(mktemp) || exit 1
                         trap 'rm -f \"$out\"' EXIT
                         \"$1\" \"$out\" || exit 1
                         cmp -s \"$out\" \"$2\" && exit 0
                         echo 'docs/events.md is stale: run build/pl-schema-doc docs/events.md' >&2
                         diff \"$2\" \"$out\" | head -20 >&2
                         exit 1"
                  events_doc_current $<TARGET_FILE:pl-schema-doc> ${CMAKE_SOURCE_DIR}/docs/events.md)
set_tests_properties (events_doc_current PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 30)

# libFuzzer targets for the codec and the canonical form (-DPL_FUZZ=ON, pl_fuzz)
if (PL_FUZZ)
    # the codec's own sources, so that libFuzzer's coverage reaches them
    set (PL_FUZZ_CODEC_SOURCES
        ${CMAKE_SOURCE_DIR}/lib/pl_codec.c
        ${CMAKE_SOURCE_DIR}/lib/pl_codec_check.c
        ${CMAKE_SOURCE_DIR}/lib/pl_canon.c
        ${CMAKE_SOURCE_DIR}/lib/pl_schema.c
        ${CMAKE_SOURCE_DIR}/schemas/pl_schema_table.c)
    foreach (name fuzz_codec fuzz_canon)
        pl_fuzz (${name} ${PL_FUZZ_CODEC_SOURCES})
        target_include_directories (${name} PRIVATE ${CMAKE_SOURCE_DIR}/lib)
        target_link_libraries (${name} PRIVATE PkgConfig::MSGPACK PkgConfig::JANSSON)
    endforeach ()
endif ()

# Broker tests: the real plenaryd, spoken to with raw PLC01/PLW01 frames
# (tests/test_broker.c; the frames and the broker process in
# tests/broker_frames.c), one ctest per scenario.
add_executable (test_broker ${CMAKE_CURRENT_SOURCE_DIR}/test_broker.c
    ${CMAKE_CURRENT_SOURCE_DIR}/broker_frames.c)
target_link_libraries (test_broker PRIVATE plenary_common)
add_dependencies (test_broker plenaryd)

foreach (name idempotency garbage worker park park-restart restart as-role withhold many many-logged)
    add_test (NAME broker_${name} COMMAND test_broker ${name})
    set_tests_properties (broker_${name} PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)
endforeach ()

# Followers: delivery after the leader's verdict, skipped events, waiting,
# restarts and crashes (tests/test_broker_follow.c).
add_executable (test_broker_follow ${CMAKE_CURRENT_SOURCE_DIR}/test_broker_follow.c
    ${CMAKE_CURRENT_SOURCE_DIR}/broker_frames.c)
target_link_libraries (test_broker_follow PRIVATE plenary_common)
add_dependencies (test_broker_follow plenaryd)

foreach (name follow follow-restart follow-crash)
    add_test (NAME broker_${name} COMMAND test_broker_follow ${name})
    set_tests_properties (broker_${name} PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)
endforeach ()

# libFuzzer target for the ZAP requests and metadata (-DPL_FUZZ=ON, pl_fuzz)
if (PL_FUZZ)
    pl_fuzz (fuzz_zap ${CMAKE_SOURCE_DIR}/broker/broker_zap.c)
    target_include_directories (fuzz_zap PRIVATE ${CMAKE_SOURCE_DIR}/broker)
    # PUBLISH_MANY's events frame, read as the broker reads it (lib/pl_proto.c)
    pl_fuzz (fuzz_many ${CMAKE_SOURCE_DIR}/lib/pl_proto.c)
    target_include_directories (fuzz_many PRIVATE ${CMAKE_SOURCE_DIR}/lib)
    target_link_libraries (fuzz_many PRIVATE PkgConfig::CZMQ PkgConfig::ZMQ)
endif ()

# The ZAP messages' self-test (broker/broker_zap.c).
add_executable (test_broker_zap ${CMAKE_CURRENT_SOURCE_DIR}/test_broker_zap.c
    ${CMAKE_SOURCE_DIR}/broker/broker_zap.c)
target_include_directories (test_broker_zap PRIVATE ${CMAKE_SOURCE_DIR}/broker)
add_test (NAME broker_zap_selftest COMMAND test_broker_zap)

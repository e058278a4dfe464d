# Installing (dist/install.cmake): cmake --install into a temporary prefix and
# what is installed checked, run and started (tests/install.sh).
add_test (NAME install COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/install.sh)
set_tests_properties (install PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)

# Installing (dist/install.cmake): cmake --install into a temporary prefix and
# what is installed checked, run and started (tests/install.sh); the systemd
# units verified and their command lines run (tests/install_units.sh).
add_test (NAME install COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/install.sh)
set_tests_properties (install PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120)
add_test (NAME install_units COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/install_units.sh)
set_tests_properties (install_units PROPERTIES ENVIRONMENT "${PL_TEST_ENV}" TIMEOUT 120
                      SKIP_RETURN_CODE 77)

# Plain C++ parts of platform/ (no SystemC elaboration): one gtest binary, one ctest per test.
add_executable(test_platform_host
  ${CMAKE_CURRENT_LIST_DIR}/test_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_cli.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_elf_loader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_json_writer.cpp
  ${CMAKE_SOURCE_DIR}/platform/cli.cpp)
target_compile_definitions(test_platform_host PRIVATE CIMVP_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
target_link_libraries(test_platform_host PRIVATE cimvp_config cimvp_elf cimvp_json GTest::gtest_main)
gtest_discover_tests(test_platform_host TEST_PREFIX "platform." DISCOVERY_TIMEOUT 30)

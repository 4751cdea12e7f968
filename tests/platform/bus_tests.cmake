# Interconnect tests: address decoding (plain C++) and the AHB bus (SystemC).
# Each TEST is its own ctest entry (gtest_discover_tests runs it with --gtest_filter), so SystemC
# elaborates once per process.

# main() for gtest binaries that elaborate SystemC (shared with tests/peripherals). An OBJECT
# library so its main() is linked as an object and wins over libsystemc's.
add_library(cimvp_sc_gtest_main OBJECT ${CMAKE_CURRENT_LIST_DIR}/sc_gtest_main.cpp)
target_include_directories(cimvp_sc_gtest_main PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(cimvp_sc_gtest_main PUBLIC GTest::gtest PkgConfig::SYSTEMC)

add_executable(test_address_map
  ${CMAKE_CURRENT_LIST_DIR}/test_address_map.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../../platform/address_map.cpp)
target_include_directories(test_address_map PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../../platform)
target_link_libraries(test_address_map PRIVATE GTest::gtest_main)
gtest_discover_tests(test_address_map TEST_PREFIX "platform." DISCOVERY_TIMEOUT 30)

add_executable(test_ahb_bus ${CMAKE_CURRENT_LIST_DIR}/test_ahb_bus.cpp)
target_link_libraries(test_ahb_bus PRIVATE cimvp_sc_gtest_main cimvp_bus GTest::gtest)
gtest_discover_tests(test_ahb_bus TEST_PREFIX "platform." DISCOVERY_TIMEOUT 30)

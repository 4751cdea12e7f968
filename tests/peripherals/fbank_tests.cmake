# Fbank accelerator model tests (SystemC; one ctest entry per TEST, "peripherals.FbankTest.*").
# Included (OPTIONAL) from tests/peripherals/CMakeLists.txt. The front-end test helpers
# (speech-like signals, the double-precision reference) are compiled in from tests/frontend.
set(CIMVP_FRONTEND_TEST_DIR ${CMAKE_CURRENT_LIST_DIR}/../frontend)
add_executable(test_fbank
  ${CMAKE_CURRENT_LIST_DIR}/test_fbank.cpp
  ${CIMVP_FRONTEND_TEST_DIR}/test_signals.cpp
  ${CIMVP_FRONTEND_TEST_DIR}/mfcc_reference.cpp)
target_include_directories(test_fbank PRIVATE ${CIMVP_FRONTEND_TEST_DIR})
target_link_libraries(test_fbank PRIVATE cimvp_sc_gtest_main cimvp_fbank cimvp_bus GTest::gtest)
gtest_discover_tests(test_fbank TEST_PREFIX "peripherals." DISCOVERY_TIMEOUT 30)

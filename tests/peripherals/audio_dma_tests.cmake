# Audio input and DMA models (issue 3). Test WAV files are written at run time with libsndfile.
add_executable(test_audio_dma
  ${CMAKE_CURRENT_LIST_DIR}/test_audio_in.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_dma.cpp)
target_link_libraries(test_audio_dma PRIVATE cimvp_sc_gtest_main cimvp_audio_dma cimvp_bus GTest::gtest
                      PkgConfig::SNDFILE)
gtest_discover_tests(test_audio_dma TEST_PREFIX "peripherals." DISCOVERY_TIMEOUT 30)

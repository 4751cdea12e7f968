# NPU (issue 4): the SystemC controller through TLM (one process per TEST: SystemC elaborates
# once), and the plain C++ image format, host tool and energy model.
add_executable(test_npu test_npu.cpp)
target_include_directories(test_npu PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(test_npu PRIVATE cimvp_npu cimvp_bus cimvp_peripherals cimvp_sc_gtest_main GTest::gtest)
gtest_discover_tests(test_npu TEST_PREFIX "cim_tile." DISCOVERY_TIMEOUT 30)

add_executable(test_npu_host test_npu_image.cpp test_energy.cpp)
target_include_directories(test_npu_host PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_compile_definitions(test_npu_host PRIVATE NPU_IMAGE_TOOL="$<TARGET_FILE:npu_image_tool>")
target_link_libraries(test_npu_host PRIVATE cimvp_npu_host GTest::gtest_main)
add_dependencies(test_npu_host npu_image_tool)
gtest_discover_tests(test_npu_host TEST_PREFIX "cim_tile." DISCOVERY_TIMEOUT 30)

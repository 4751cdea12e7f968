# The NPU (issue 4): SystemC controller around the crossbar, descriptors, weight image, energy.

# Plain C++ half (no SystemC): weight-image format and energy model, shared with the host tool.
add_library(cimvp_npu_host STATIC
  ${CMAKE_CURRENT_LIST_DIR}/npu_image.cpp
  ${CMAKE_CURRENT_LIST_DIR}/energy.cpp)
# platform/: errors.h (and memory_map.h, ahb_extension.h for the controller).
target_include_directories(cimvp_npu_host PUBLIC ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_SOURCE_DIR}/platform)
target_link_libraries(cimvp_npu_host PUBLIC cimvp_cim)

add_library(cimvp_npu STATIC ${CMAKE_CURRENT_LIST_DIR}/npu.cpp)
# peripherals/: reg_access.h (header only).
target_include_directories(cimvp_npu PUBLIC ${CMAKE_SOURCE_DIR}/peripherals)
target_link_libraries(cimvp_npu PUBLIC cimvp_npu_host cimvp_cim PkgConfig::SYSTEMC)

# Host tool: places int8 layers (.npy) into the array, writes the image and the descriptors.
add_executable(npu_image_tool ${CMAKE_CURRENT_LIST_DIR}/npu_image_tool.cpp)
target_link_libraries(npu_image_tool PRIVATE cimvp_npu_host)

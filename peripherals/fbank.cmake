# Fbank accelerator model (SystemC): registers per fbank_regs.h, datapath = fbank_math.c.
# Included (OPTIONAL) from peripherals/CMakeLists.txt after fbank_math.cmake.
add_library(cimvp_fbank STATIC ${CMAKE_CURRENT_LIST_DIR}/fbank.cpp)
target_include_directories(cimvp_fbank PUBLIC ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_SOURCE_DIR}/platform)
target_link_libraries(cimvp_fbank PUBLIC cimvp_fbank_math cimvp_peripherals PkgConfig::SYSTEMC)

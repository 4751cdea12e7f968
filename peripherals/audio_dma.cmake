# Audio front-end I/O models (issue 3): audio input (WAV through libsndfile) and the DMA
# controller. Included from peripherals/CMakeLists.txt.
# GLOBAL: the tests (another directory) write their WAV files with it too.
pkg_check_modules(SNDFILE REQUIRED IMPORTED_TARGET GLOBAL sndfile)
add_library(cimvp_audio_dma STATIC
  ${CMAKE_CURRENT_LIST_DIR}/audio_in.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dma.cpp)
# memory_map.h, ahb_extension.h and errors.h live with the platform.
target_include_directories(cimvp_audio_dma PUBLIC ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_SOURCE_DIR}/platform)
target_link_libraries(cimvp_audio_dma PUBLIC cimvp_peripherals PkgConfig::SYSTEMC PRIVATE PkgConfig::SNDFILE)

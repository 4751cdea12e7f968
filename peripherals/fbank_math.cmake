# Fbank/MFCC fixed-point maths (portable C99, integer only): the bit-exact definition of the
# Fbank accelerator's datapath (fbank_math.c) and the CPU's DCT/normalisation (mfcc_math.c).
# Host static library for the SystemC model and the tests; the firmware compiles the same
# sources with the RISC-V toolchain (CIMVP_FBANK_MATH_SOURCES).
# Included from peripherals/CMakeLists.txt; paths relative to this file.
# Cache variables, so that tests/ (a sibling directory) sees them too.
set(CIMVP_FBANK_MATH_DIR ${CMAKE_CURRENT_LIST_DIR} CACHE INTERNAL "fbank_math.c's folder")
set(CIMVP_FBANK_MATH_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/fbank_math.c
  ${CMAKE_CURRENT_LIST_DIR}/mfcc_math.c
  CACHE INTERNAL "the front end's C sources")

add_library(cimvp_fbank_math STATIC ${CIMVP_FBANK_MATH_SOURCES})
target_include_directories(cimvp_fbank_math PUBLIC ${CMAKE_CURRENT_LIST_DIR})
set_target_properties(cimvp_fbank_math PROPERTIES
  C_STANDARD 99
  C_STANDARD_REQUIRED ON
  C_EXTENSIONS OFF
  POSITION_INDEPENDENT_CODE ON)
if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(cimvp_fbank_math PRIVATE -Wall -Wextra -Wpedantic -Wconversion)
endif()

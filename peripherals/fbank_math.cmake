# Fbank/MFCC fixed-point maths (portable C99, integer only): the bit-exact definition of the
# Fbank accelerator's datapath (fbank_math.c) and the CPU's DCT/normalisation (mfcc_math.c).
# Host static library for the SystemC model and the tests; the firmware compiles the same
# sources with the RISC-V toolchain (CIMVP_FBANK_MATH_SOURCES).
# Included from peripherals/CMakeLists.txt; paths relative to this file.
# A cache variable, so that tests/ (a sibling directory) sees it too.
set(CIMVP_FBANK_MATH_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/fbank_math.c
  ${CMAKE_CURRENT_LIST_DIR}/mfcc_math.c
  CACHE INTERNAL "the front end's C sources")

# cimvp_add_fbank_math(NAME [EXCLUDE_FROM_ALL]): a static library of the sources, built as the
# project builds them; tests/frontend adds its scalar and AVX2 variants with it.
function(cimvp_add_fbank_math name)
  add_library(${name} STATIC ${ARGN} ${CIMVP_FBANK_MATH_SOURCES})
  target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_FUNCTION_LIST_DIR})
  set_target_properties(${name} PROPERTIES
    C_STANDARD 99
    C_STANDARD_REQUIRED ON
    C_EXTENSIONS OFF
    POSITION_INDEPENDENT_CODE ON)
  if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${name} PRIVATE -Wall -Wextra -Wpedantic -Wconversion)
  endif()
endfunction()

cimvp_add_fbank_math(cimvp_fbank_math)

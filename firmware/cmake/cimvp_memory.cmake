# Linker-script view of platform/memory_map.h.
#
# GNU ld cannot parse C's `u` suffixes, so instead of repeating the numbers this reads every
# `#define CIMVP_<NAME> 0x...u` from the header and writes `CIMVP_<NAME> = 0x...;` assignments
# to OUT, which a linker script pulls in with `INCLUDE cimvp_memory.ld` (add OUT's folder with -L).
# CMake re-runs when the header changes.
function(cimvp_write_memory_ld header out)
  if(NOT EXISTS ${header})
    message(FATAL_ERROR "cimvp: ${header} not found (set -DCIMVP_ROOT=<repo root>)")
  endif()
  file(STRINGS ${header} lines REGEX "^#define[ \t]+CIMVP_[A-Z0-9_]+[ \t]+0x[0-9A-Fa-f]+u?")
  set(text "/* Generated from ${header} by firmware/cmake/cimvp_memory.cmake: do not edit. */\n")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^#define[ \t]+(CIMVP_[A-Z0-9_]+)[ \t]+(0x[0-9A-Fa-f]+)u?.*$" "\\1 = \\2;" assign "${line}")
    string(APPEND text "${assign}\n")
  endforeach()
  if(NOT text MATCHES "CIMVP_FLASH_BASE" OR NOT text MATCHES "CIMVP_SRAM_SIZE")
    message(FATAL_ERROR "cimvp: no flash/SRAM regions found in ${header}")
  endif()
  file(CONFIGURE OUTPUT ${out} CONTENT "${text}" @ONLY)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${header})
endfunction()

# Adds `<binary dir>/<target>.lst` (disassembly with source) after every link of TARGET.
function(cimvp_add_listing target)
  if(CMAKE_OBJDUMP)
    add_custom_command(TARGET ${target} POST_BUILD
      COMMAND ${CMAKE_OBJDUMP} -d -S $<TARGET_FILE:${target}>
              > $<TARGET_FILE_DIR:${target}>/${target}.lst || true
      VERBATIM)
  endif()
endfunction()

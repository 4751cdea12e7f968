# Profile-guided optimisation of the Verilated core (README "Core speed", docs/architecture.md).
#
# The model's C++ is one long function of data-dependent branches (decode, bus answers, traps);
# GCC lays it out far better when it knows which way they go. The profile comes from the core's
# own assembly ISA tests (tests/rtl/isa, every instruction class, traps and CSRs), not from the
# benchmark the figures are measured with:
#   1. cimvp_core_rtl_pgogen: the same generated sources, instrumented (-fprofile-generate);
#   2. core_alone_pgogen: tests/rtl/core_alone.cpp on it; rtl/pgo_train.cmake runs the ISA tests
#      on it, which writes the counters (.gcda) to ${CIMVP_PGO_DIR};
#   3. cimvp_core_rtl itself is compiled with -fprofile-use from them (recompiled whenever the
#      profile is redone, i.e. whenever the RTL, the harness or an ISA test changes).
# Both libraries live in this directory, so an object has the same path below its target's
# object directory; -fprofile-prefix-path strips that directory, so the .gcda names agree.
# -DCIMVP_PGO=OFF builds without it (any compiler but GCC does).
set(CIMVP_PGO_DIR ${CMAKE_CURRENT_BINARY_DIR}/pgo)
# Written after each training run and force-included into the optimised objects: their depfiles
# then name it, so they are recompiled when the profile is redone (an OBJECT_DEPENDS on the
# shared sources would make the instrumented library depend on its own profile).
set(CIMVP_PGO_STAMP ${CIMVP_PGO_DIR}/cimvp_pgo_profile.h)

get_target_property(_pgo_sources cimvp_core_rtl SOURCES)
list(FILTER _pgo_sources INCLUDE REGEX "\\.(cpp|cc|c)$")
add_library(cimvp_core_rtl_pgogen STATIC EXCLUDE_FROM_ALL ${_pgo_sources})
foreach(prop INCLUDE_DIRECTORIES COMPILE_DEFINITIONS COMPILE_OPTIONS COMPILE_FEATURES INTERPROCEDURAL_OPTIMIZATION
             INTERFACE_INCLUDE_DIRECTORIES INTERFACE_LINK_LIBRARIES LINK_LIBRARIES)
  get_target_property(_v cimvp_core_rtl ${prop})
  if(_v)
    set_property(TARGET cimvp_core_rtl_pgogen PROPERTY ${prop} "${_v}")
  endif()
endforeach()
set(_gen_objdir ${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/cimvp_core_rtl_pgogen.dir)
set(_use_objdir ${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/cimvp_core_rtl.dir)
target_compile_options(cimvp_core_rtl_pgogen PRIVATE
  -fprofile-generate=${CIMVP_PGO_DIR} -fprofile-update=single -fprofile-prefix-path=${_gen_objdir})
target_link_options(cimvp_core_rtl_pgogen PUBLIC -fprofile-generate)

add_executable(core_alone_pgogen EXCLUDE_FROM_ALL ${CMAKE_SOURCE_DIR}/tests/rtl/core_alone.cpp)
target_include_directories(core_alone_pgogen PRIVATE ${CMAKE_SOURCE_DIR}/platform
                                                     ${CMAKE_SOURCE_DIR}/peripherals)
target_link_libraries(core_alone_pgogen PRIVATE cimvp_core_rtl_pgogen cimvp_elf)
if(CIMVP_HAVE_LTO)
  set_property(TARGET core_alone_pgogen PROPERTY INTERPROCEDURAL_OPTIMIZATION ON)
endif()

file(GLOB _pgo_tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/rtl/isa/*.S)
list(FILTER _pgo_tests EXCLUDE REGEX "/irq_[^/]*\\.S$")  # need the SoC's timer and interrupts
set(_pgo_elfs "")
foreach(src ${_pgo_tests})
  get_filename_component(name ${src} NAME_WE)
  list(APPEND _pgo_elfs ${CIMVP_ISA_DIR}/${name}.elf)
endforeach()
add_custom_command(OUTPUT ${CIMVP_PGO_STAMP}
  COMMAND ${CMAKE_COMMAND} -DHARNESS=$<TARGET_FILE:core_alone_pgogen> -DPGO_DIR=${CIMVP_PGO_DIR}
          -DSTAMP=${CIMVP_PGO_STAMP} "-DELFS=${_pgo_elfs}" -P ${CMAKE_CURRENT_SOURCE_DIR}/pgo_train.cmake
  DEPENDS core_alone_pgogen ${_pgo_tests} ${CMAKE_CURRENT_SOURCE_DIR}/pgo_train.cmake
  COMMENT "Profiling the Verilated core on the ISA tests (PGO)"
  VERBATIM)
add_custom_target(cimvp_core_pgo_profile DEPENDS ${CIMVP_PGO_STAMP})
add_dependencies(cimvp_core_pgo_profile isa_tests)  # the ELFs (top-level ExternalProject)
add_dependencies(cimvp_core_rtl cimvp_core_pgo_profile)

target_compile_options(cimvp_core_rtl PRIVATE
  -fprofile-use=${CIMVP_PGO_DIR} -fprofile-prefix-path=${_use_objdir} -fprofile-correction
  -Wno-missing-profile -include ${CIMVP_PGO_STAMP})

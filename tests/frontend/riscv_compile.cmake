# ctest frontend.riscv_compile: cross-compile the front-end C sources as the firmware would
# and check that no floating-point helper (soft-float __*sf*/__*df* routines) is referenced.
# Args: CC, NM, SOURCES (list), OUT_DIR.
if(NOT SOURCES)
  message(FATAL_ERROR "no SOURCES given (CIMVP_FBANK_MATH_SOURCES unset where the test was added)")
endif()
file(MAKE_DIRECTORY ${OUT_DIR})
set(flags -march=rv32imc -misa-spec=2.2 -mabi=ilp32 --specs=picolibc.specs -O2 -std=c99
          -Wall -Wextra -Wpedantic -Werror)
foreach(src ${SOURCES})
  get_filename_component(name ${src} NAME_WE)
  set(obj ${OUT_DIR}/${name}.o)
  execute_process(COMMAND ${CC} ${flags} -c ${src} -o ${obj}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "riscv compile of ${src} failed (${rc}):\n${out}${err}")
  endif()
  execute_process(COMMAND ${NM} -u ${obj} RESULT_VARIABLE rc OUTPUT_VARIABLE undef)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "nm ${obj} failed")
  endif()
  string(REGEX MATCHALL "__[a-z]+[sdt]f[0-9a-z]*" fp "${undef}")
  if(fp)
    message(FATAL_ERROR "${src} uses floating point: ${fp}")
  endif()
  message(STATUS "${name}.o: RV32IMC ok, undefined symbols:\n${undef}")
endforeach()

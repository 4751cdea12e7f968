# cmake -DHARNESS=core_alone_pgogen -DPGO_DIR=dir -DSTAMP=file -DELFS="a.elf;b.elf" -P pgo_train.cmake
# Runs the instrumented core on each ELF (fresh counters), then writes STAMP (a header). A failing test
# is reported but does not stop the build: its ctest entry is where it shows.
file(REMOVE_RECURSE ${PGO_DIR})
file(MAKE_DIRECTORY ${PGO_DIR})
set(n 0)
foreach(elf ${ELFS})
  execute_process(COMMAND ${HARNESS} ${elf} --max-cycles 2000000
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET TIMEOUT 120)
  if(NOT rc EQUAL 0)
    message(WARNING "PGO training: ${elf} ended with ${rc}")
  endif()
  math(EXPR n "${n} + 1")
endforeach()
file(GLOB gcda ${PGO_DIR}/*.gcda)
list(LENGTH gcda ngcda)
if(ngcda EQUAL 0)
  message(FATAL_ERROR "PGO training wrote no profile to ${PGO_DIR}")
endif()
file(WRITE ${STAMP} "/* PGO profile of the Verilated core: ${n} ISA tests, ${ngcda} .gcda files */\n")

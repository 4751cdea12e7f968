# MFCC firmware on the board (issue 3): every bundled clip through the accelerator and the
# software builds of firmware/apps/mfcc, checked against the double-precision reference by
# mfcc_check; the two paths must agree bit for bit (same fixed-point datapath, fbank_math.c).
# Included from tests/firmware/CMakeLists.txt (CIMVP, CFG, FW, OUT set there).
add_executable(mfcc_check mfcc_check.cpp ${CMAKE_SOURCE_DIR}/tests/frontend/mfcc_reference.cpp)
target_include_directories(mfcc_check PRIVATE ${CMAKE_SOURCE_DIR}/tests/frontend)
target_link_libraries(mfcc_check PRIVATE PkgConfig::SNDFILE)

set(RUN_MFCC ${CMAKE_CURRENT_SOURCE_DIR}/run_mfcc.sh)
set(CLIPS ${CMAKE_SOURCE_DIR}/tests/data)

# mfcc_test(<variant suffix> <clip>): firmware.mfcc<suffix>.<clip>.{accel,sw} and .agree
function(mfcc_test suffix clip)
  set(base firmware.mfcc${suffix}.${clip})
  foreach(path accel sw)
    add_test(NAME ${base}.${path}
      COMMAND ${RUN_MFCC} ${CIMVP} ${CFG} ${FW}/mfcc_${path}${suffix}.elf ${CLIPS}/${clip}.wav
              ${OUT}/mfcc${suffix}-${clip}-${path} $<TARGET_FILE:mfcc_check>)
    set_tests_properties(${base}.${path} PROPERTIES FIXTURES_SETUP ${base}.${path} TIMEOUT 120)
  endforeach()
  # The logs are already checked against the reference: here only the comparison matters.
  add_test(NAME ${base}.agree
    COMMAND $<TARGET_FILE:mfcc_check> ${CLIPS}/${clip}.wav ${OUT}/mfcc${suffix}-${clip}-sw.uart
            --same ${OUT}/mfcc${suffix}-${clip}-accel.uart)
  set_tests_properties(${base}.agree PROPERTIES FIXTURES_REQUIRED "${base}.accel;${base}.sw")
endfunction()

foreach(clip yes phrase tone_noise)
  mfcc_test("" ${clip})
endforeach()
mfcc_test(_30ms phrase)
mfcc_test(_int8 phrase)

# Real time: 1 s of audio through the heavier (software) path at the default clock, no FIFO
# overrun and no late frame; and the same at 10 MHz, where it cannot keep up and must say so.
cimvp_check(firmware.mfcc.realtime_1s 0 "SUMMARY path=sw frames=49 samples=16000 .*overruns=0 late=0 .*eof=1"
  --file ${OUT}/mfcc-realtime-stats.json "\"overruns\": 0"
  -- ${CIMVP} --config ${CFG} --firmware ${FW}/mfcc_sw.elf --audio ${CLIPS}/tone_noise.wav
     --stats ${OUT}/mfcc-realtime-stats.json --max-time 5s)
cimvp_check(firmware.mfcc.too_slow 1 "SUMMARY path=sw .* late=[1-9]"
  -- ${CIMVP} --config ${CFG} --set soc.clock_hz=10e6 --firmware ${FW}/mfcc_sw.elf
     --audio ${CLIPS}/tone_noise.wav --max-time 5s)

# Programs built from apps/mfcc/ (included by firmware/CMakeLists.txt with app_sources set).
# Each is main.c + the front-end maths (peripherals/fbank_math.c, mfcc_math.c) with the defines
# documented at the top of main.c. The UART header line names the configuration, so the host
# checker (tests/firmware/mfcc_check.cpp) needs no other knowledge of the variant.
set(mfcc_math_sources ${CIMVP_ROOT}/peripherals/fbank_math.c ${CIMVP_ROOT}/peripherals/mfcc_math.c)

function(mfcc_variant name)
  cimvp_program(${name} ${app_sources} ${mfcc_math_sources})
  target_compile_definitions(${name} PRIVATE ${ARGN})
endfunction()

# Default front-end: 40 ms frames every 20 ms, FFT 1024, 40 Mel 20-4000 Hz, power, 13 coefficients.
mfcc_variant(mfcc_accel MFCC_ACCEL=1)
mfcc_variant(mfcc_sw MFCC_ACCEL=0)
# 30/20 ms, FFT 512, 40 Mel 125-7500 Hz, magnitude, 10 coefficients.
set(mfcc_30ms MFCC_FRAME_MS=30 MFCC_HOP_MS=20 MFCC_FFT=512 MFCC_F_LOW=125 MFCC_F_HIGH=7500
    MFCC_MAGNITUDE=1 MFCC_NUM_CEPS=10)
mfcc_variant(mfcc_accel_30ms MFCC_ACCEL=1 ${mfcc_30ms})
mfcc_variant(mfcc_sw_30ms MFCC_ACCEL=0 ${mfcc_30ms})
# 40/40 ms, 40 coefficients, per-frame log-Mel mean removal, int8 output with scale 2^3.
set(mfcc_int8 MFCC_FRAME_MS=40 MFCC_HOP_MS=40 MFCC_NUM_CEPS=40 MFCC_NORM=1 MFCC_INT8_FRAC=3)
mfcc_variant(mfcc_accel_int8 MFCC_ACCEL=1 ${mfcc_int8})
mfcc_variant(mfcc_sw_int8 MFCC_ACCEL=0 ${mfcc_int8})

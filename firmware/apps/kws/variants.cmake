# Programs built from apps/kws/ (included by firmware/CMakeLists.txt with app_sources set).
# The model is embedded at build time: KWS_MODELS_DIR/kws-<model>/model.kwsd (descriptor) and,
# for the CPU-only build, KWS_IMAGE_DIR/kws-<model>.img (the array image npu_image_tool made
# from the committed .npy layers). Both are passed by the top-level CMakeLists.
#   kws_<model>.elf       streaming, NPU          kws_<model>_cpu.elf   streaming, CPU only
#   kws_<model>_clip.elf  1 s clip, NPU           kws_<model>_clip_cpu.elf
#   kws_bad_version.elf, kws_bad_band.elf, kws_bad_flags.elf   the LSTM descriptor with a bad
#                         field (refusal tests); kws_lstm_dither_clip[_cpu].elf (below)
if(NOT KWS_MODELS_DIR OR NOT KWS_IMAGE_DIR)
  message(STATUS "kws: KWS_MODELS_DIR/KWS_IMAGE_DIR not set, the keyword-spotting firmware is not built")
  return()
endif()
set(kws_math_sources ${CIMVP_ROOT}/peripherals/fbank_math.c ${CIMVP_ROOT}/peripherals/mfcc_math.c)

function(kws_variant name kwsd img)
  cimvp_program(${name} ${app_sources} ${kws_math_sources})
  target_compile_definitions(${name} PRIVATE "KWS_KWSD_PATH=\"${kwsd}\"" ${ARGN})
  if(img)
    target_compile_definitions(${name} PRIVATE "KWS_IMG_PATH=\"${img}\"")
  endif()
  # The software build needs soft-float exp/tanh for its activation tables.
  target_link_libraries(${name} PRIVATE m)
  # The core loses a cycle when a branch lands on a 32-bit instruction across a word boundary
  # (rtl/cimvp_core.sv): word-aligned loop heads, jump targets and functions (+0.5 % code) keep
  # the cycles per hop from moving by up to 10 % when unrelated code shifts the layout.
  target_compile_options(${name} PRIVATE -falign-functions=4 -falign-jumps=4 -falign-loops=4)
endfunction()

set(kws_embed_deps "")
foreach(model lstm tdnn)
  set(kwsd ${KWS_MODELS_DIR}/kws-${model}/model.kwsd)
  set(img ${KWS_IMAGE_DIR}/kws-${model}.img)
  if(NOT EXISTS ${kwsd})
    message(STATUS "kws: ${kwsd} missing, kws_${model} not built")
    continue()
  endif()
  list(APPEND kws_embed_deps ${kwsd} ${img})
  kws_variant(kws_${model} ${kwsd} "" KWS_NPU=1 KWS_CLIP=0)
  kws_variant(kws_${model}_cpu ${kwsd} ${img} KWS_NPU=0 KWS_CLIP=0)
  kws_variant(kws_${model}_clip ${kwsd} "" KWS_NPU=1 KWS_CLIP=1)
  kws_variant(kws_${model}_clip_cpu ${kwsd} ${img} KWS_NPU=0 KWS_CLIP=1)
endforeach()

# Descriptors with a field overwritten (a model's descriptor as .byte data: CMake cannot write
# binary files), embedded like the real one:
#   kws_bad_version  version 9 (bytes 4-5)                                 } the LSTM's: the
#   kws_bad_band     Mel band 7000-6000 Hz (bytes 24-27), the Fbank refuses } refusal tests
#   kws_bad_flags    flags 0x03 (byte 21): CMN and the host-only --cvn study }
#   kws_bad_threshold  detection threshold 0 (bytes 28-29): would fire on every decision
#   kws_lstm_dither_clip[_cpu]  the LSTM's with flags 0x05 (byte 21): CMN and the Fbank's dither,
#                    the clip builds, for the co-verification of the dither path with the host
#   kws_lstm_pool_mean_clip[_cpu], kws_lstm_pool_max_clip[_cpu]  flags 0x09 / 0x11: the FC on h
#                    averaged / max over the window's steps (co-verification of the pools)
#   kws_bad_pool     flags 0x19: both pools (refusal test)
#   kws_lstm_floor_clip[_cpu], kws_lstm_floor  flags 0x25 with the log floor's rel_q7 -442 (-15 dB,
#                    bytes 22-23): co-verification of the window's log floor (mfcc_log_floor)
#                    with the host, clip and streaming builds
#   kws_lstm_noise_floor_clip[_cpu], kws_lstm_noise_floor  flags 0x45 with the noise floor's rel_q7
#                    +88 (3 dB): the same for mfcc_noise_floor
#   kws_bad_floor    flags 0x61: both floors (refusal test)
#   kws_bad_hidden   LSTM hidden 200 (byte 15), over the firmware's MAX_HIDDEN (refusal test)
set(good ${KWS_MODELS_DIR}/kws-lstm/model.kwsd)
function(kws_patched_variant name byte_off new_hex img)
  file(READ ${good} hex HEX)
  string(LENGTH "${new_hex}" n)
  math(EXPR head_len "2 * ${byte_off}")
  math(EXPR tail_off "${head_len} + ${n}")
  string(SUBSTRING "${hex}" 0 ${head_len} head)
  string(SUBSTRING "${hex}" ${tail_off} -1 tail)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${head}${new_hex}${tail}")
  string(REGEX REPLACE ",$" "" bytes "${bytes}")
  set(inc ${CMAKE_CURRENT_BINARY_DIR}/gen/${name}.inc)
  file(CONFIGURE OUTPUT ${inc} CONTENT ".byte ${bytes}\n")
  kws_variant(${name} ${good} "${img}" ${ARGN} "KWS_KWSD_INC=\"${inc}\"")
endfunction()
if(EXISTS ${good})
  kws_patched_variant(kws_bad_version 4 0900 "" KWS_NPU=1 KWS_CLIP=0)
  kws_patched_variant(kws_bad_band 24 581b7017 "" KWS_NPU=1 KWS_CLIP=0)  # 7000 = 0x1b58, 6000 = 0x1770, little-endian
  kws_patched_variant(kws_bad_flags 21 03 "" KWS_NPU=1 KWS_CLIP=0)
  kws_patched_variant(kws_bad_threshold 28 0000 "" KWS_NPU=1 KWS_CLIP=0)
  kws_patched_variant(kws_lstm_dither_clip 21 05 "" KWS_NPU=1 KWS_CLIP=1)
  kws_patched_variant(kws_lstm_dither_clip_cpu 21 05 ${KWS_IMAGE_DIR}/kws-lstm.img KWS_NPU=0 KWS_CLIP=1)
  kws_patched_variant(kws_lstm_pool_mean_clip 21 09 "" KWS_NPU=1 KWS_CLIP=1)
  kws_patched_variant(kws_lstm_pool_mean_clip_cpu 21 09 ${KWS_IMAGE_DIR}/kws-lstm.img KWS_NPU=0 KWS_CLIP=1)
  kws_patched_variant(kws_lstm_pool_max_clip 21 11 "" KWS_NPU=1 KWS_CLIP=1)
  kws_patched_variant(kws_lstm_pool_max_clip_cpu 21 11 ${KWS_IMAGE_DIR}/kws-lstm.img KWS_NPU=0 KWS_CLIP=1)
  kws_patched_variant(kws_bad_pool 21 19 "" KWS_NPU=1 KWS_CLIP=0)
  kws_patched_variant(kws_lstm_floor_clip 21 2546fe "" KWS_NPU=1 KWS_CLIP=1)  # -442 = 0xfe46
  kws_patched_variant(kws_lstm_floor_clip_cpu 21 2546fe ${KWS_IMAGE_DIR}/kws-lstm.img KWS_NPU=0 KWS_CLIP=1)
  kws_patched_variant(kws_lstm_floor 21 2546fe "" KWS_NPU=1 KWS_CLIP=0)
  kws_patched_variant(kws_lstm_noise_floor_clip 21 455800 "" KWS_NPU=1 KWS_CLIP=1)  # +88 = 3 dB
  kws_patched_variant(kws_lstm_noise_floor_clip_cpu 21 455800 ${KWS_IMAGE_DIR}/kws-lstm.img KWS_NPU=0 KWS_CLIP=1)
  kws_patched_variant(kws_lstm_noise_floor 21 455800 "" KWS_NPU=1 KWS_CLIP=0)
  kws_patched_variant(kws_bad_floor 21 61 "" KWS_NPU=1 KWS_CLIP=0)
  kws_patched_variant(kws_bad_hidden 15 c8 "" KWS_NPU=1 KWS_CLIP=0)  # hidden 200 > MAX_HIDDEN
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${good})
endif()
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/embed.S PROPERTIES OBJECT_DEPENDS "${kws_embed_deps}")

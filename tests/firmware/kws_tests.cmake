# Keyword-spotting firmware on the board (issue 5). Included from tests/firmware/CMakeLists.txt
# (CHECK, CIMVP, CFG, FW, OUT, PRESETS set there). The boards are configs/kws-<model>.yaml (eFlash
# programming error); the firmware and image are named explicitly so any build dir works.
set(KWS_CLIPS ${CMAKE_SOURCE_DIR}/tests/kws/clips)
set(KWS_IMG ${CMAKE_BINARY_DIR}/models)
# A model directory with descriptor bytes overwritten (kws_patch_model.sh SRC DST OFFSET "OCTAL..." CMD...).
set(KWS_PATCH_MODEL ${CMAKE_CURRENT_SOURCE_DIR}/kws_patch_model.sh)

# Awkward audio for the bad-input tests: 3 s of digital zero and keywords.wav saturated (x 30).
set(KWS_BAD ${OUT}/kws-bad-audio)
add_test(NAME firmware.kws.bad_audio_files
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_bad_audio.py ${KWS_CLIPS}/keywords.wav ${KWS_BAD})
set_tests_properties(firmware.kws.bad_audio_files PROPERTIES FIXTURES_SETUP kws_bad_audio)

foreach(model lstm tdnn)
  if(NOT EXISTS ${CMAKE_SOURCE_DIR}/models/kws-${model}/model.kwsd)
    continue()
  endif()
  set(board --config ${PRESETS}/kws-${model}.yaml --npu-image ${KWS_IMG}/kws-${model}.img)
  set(ideal ${board} --config ${PRESETS}/ideal.yaml)
  # keywords.wav starts with "yes" (0-1000 ms): a DETECT yes within that second or just after.
  foreach(preset board ideal)
    set(uart ${OUT}/kws-${model}-${preset}.uart)
    cimvp_check(firmware.kws.${model}.detect_yes.${preset} 0 "DETECT yes ([5-9][0-9]{2}|1[0-9]{3}) "
      --file ${uart} "SUMMARY frames=299 .*overruns=0 late=0"
      -- ${CIMVP} ${${preset}} --set uart.output_file=${uart} --firmware ${FW}/kws_${model}.elf
         --audio ${KWS_CLIPS}/keywords.wav --max-time 10s)
  endforeach()
  # none.wav: unknown words and silence only; DETECT lines are printed for keywords only.
  cimvp_check(firmware.kws.${model}.none 0 "SUMMARY frames=199 detections=0 .*overruns=0 late=0"
    -- ${CIMVP} ${board} --firmware ${FW}/kws_${model}.elf --audio ${KWS_CLIPS}/none.wav --max-time 10s)
  # ... and the integer model alone (ideal preset: bit-exact, stream_coverify) hears no keyword there.
  cimvp_check(firmware.kws.${model}.none_ideal 0 "SUMMARY frames=199 detections=0 .*overruns=0 late=0"
    -- ${CIMVP} ${ideal} --firmware ${FW}/kws_${model}.elf --audio ${KWS_CLIPS}/none.wav --max-time 10s)
  # Bad input: digital silence runs to a clean SUMMARY without a detection (and the clip build
  # calls it silence); saturated audio runs to a clean SUMMARY (whatever it hears), no overrun.
  cimvp_check(firmware.kws.${model}.silence 0 "SUMMARY frames=149 detections=0 .*overruns=0 late=0"
    -- ${CIMVP} ${board} --firmware ${FW}/kws_${model}.elf --audio ${KWS_BAD}/silence.wav --max-time 10s)
  cimvp_check(firmware.kws.${model}.clip_silence 0 "RESULT silence "
    -- ${CIMVP} ${board} --firmware ${FW}/kws_${model}_clip.elf --audio ${KWS_BAD}/silence.wav --max-time 10s)
  cimvp_check(firmware.kws.${model}.clipping 0 "SUMMARY frames=299 .*overruns=0 late=0"
    -- ${CIMVP} ${board} --firmware ${FW}/kws_${model}.elf --audio ${KWS_BAD}/clipping.wav --max-time 10s)
  set_tests_properties(firmware.kws.${model}.silence firmware.kws.${model}.clip_silence
    firmware.kws.${model}.clipping PROPERTIES FIXTURES_REQUIRED kws_bad_audio)
  # The same integer model on the CPU alone keeps up in real time (1.9 s of speech, 45 decisions
  # for the TDNN); the detections are checked on the NPU builds (the CPU build is ~35x slower to simulate).
  cimvp_check(firmware.kws.${model}.cpu_realtime 0 "SUMMARY frames=93 .*overruns=0 late=0 .*path=cpu"
    -- ${CIMVP} ${ideal} --firmware ${FW}/kws_${model}_cpu.elf --audio ${CMAKE_SOURCE_DIR}/tests/data/phrase.wav
       --max-time 10s)
  # Clip classification, NPU (ideal preset) and CPU-only builds, bit-exact with the host integer model
  # (scripts/kws_host_ref.py: the front-end in C through ctypes + kws_int.int_infer) on each second.
  add_test(NAME firmware.kws.${model}.coverify
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_coverify.py ${CIMVP} ${CMAKE_SOURCE_DIR}/models/kws-${model}
            ${FW}/kws_${model}_clip.elf ${FW}/kws_${model}_clip_cpu.elf ${KWS_IMG}/kws-${model}.img
            ${KWS_CLIPS}/keywords.wav ${OUT}/kws-coverify-${model} -- ${ideal})
  set_tests_properties(firmware.kws.${model}.coverify PROPERTIES TIMEOUT 120)
  # Streaming build (ideal preset) against scripts/kws_stream_ref.py: the same DETECT lines,
  # scores included, on the three bundled clips (keywords in quiet and at 10 dB, none).
  add_test(NAME firmware.kws.${model}.stream_coverify
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_stream_coverify.py ${CIMVP}
            ${CMAKE_SOURCE_DIR}/models/kws-${model} ${FW}/kws_${model}.elf ${OUT}/kws-stream-coverify-${model}
            ${KWS_CLIPS}/keywords.wav ${KWS_CLIPS}/keywords_snr10.wav ${KWS_CLIPS}/none.wav -- ${ideal})
  set_tests_properties(firmware.kws.${model}.stream_coverify PROPERTIES TIMEOUT 300)
  # scripts/kws_adc_range.py's column currents against the board's ADC clipping counter: the clip
  # build clips just under the largest column it predicts and not just over its largest bit line.
  add_test(NAME firmware.kws.${model}.adc_range
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_adc_range_check.py ${CIMVP}
            ${CMAKE_SOURCE_DIR}/models/kws-${model} ${FW}/kws_${model}_clip.elf ${KWS_IMG}/kws-${model}.img
            ${KWS_CLIPS}/keywords.wav ${OUT}/kws-adc-range-${model} -- ${board})
endforeach()

# Descriptor options no committed LSTM uses, end to end: the committed LSTM's descriptor with
# bytes from 21 on overwritten (kws_lstm_<name>_clip[_cpu].elf, firmware/apps/kws/variants.cmake),
# the NPU (ideal preset) and CPU-only clip builds bit-exact with kws_host_ref.py reading the same
# descriptor, on the first three seconds of WAV. The model was not trained with the option: this
# checks the arithmetic, not the accuracy.
# Descriptor bytes 21-23 (octal) of the two floors: flags 0x25 / 0x45 and the int16 rel_q7 -442
# (-15 dB) / +88 (3 dB); firmware/apps/kws/variants.cmake builds kws_lstm_[noise_]floor* with them.
set(kws_floor_bytes "045 106 376")
set(kws_noise_floor_bytes "105 130 000")
function(kws_patched_coverify name octal wav)
  set(model ${OUT}/kws-lstm-${name}-model)
  add_test(NAME firmware.kws.lstm.${name}_coverify
    COMMAND ${KWS_PATCH_MODEL} ${CMAKE_SOURCE_DIR}/models/kws-lstm ${model} 21 "${octal}"
            /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_coverify.py ${CIMVP} ${model}
            ${FW}/kws_lstm_${name}_clip.elf ${FW}/kws_lstm_${name}_clip_cpu.elf ${KWS_IMG}/kws-lstm.img
            ${wav} ${OUT}/kws-${name}-coverify
            -- --config ${PRESETS}/kws-lstm.yaml --config ${PRESETS}/ideal.yaml)
  set_tests_properties(firmware.kws.lstm.${name}_coverify PROPERTIES TIMEOUT 120 ${ARGN})
endfunction()
if(EXISTS ${CMAKE_SOURCE_DIR}/models/kws-lstm/model.kwsd)
  # The Fbank's dither (flags 0x05: CMN, dither) on a muted second and two of speech (features
  # dithered from FBANK_DITHER_SEED_RESET). Without the dither the muted second's features would
  # be the log floor on one side and dithered noise on the other.
  kws_patched_coverify(dither 005 ${KWS_BAD}/muted_then_keywords.wav FIXTURES_REQUIRED kws_bad_audio)
  # The FC on h averaged / max over the window's steps (flags 0x09 / 0x11, kws_train.py --pool).
  kws_patched_coverify(pool_mean 011 ${KWS_CLIPS}/keywords.wav)
  kws_patched_coverify(pool_max 021 ${KWS_CLIPS}/keywords.wav)
  # The window's log floor (flags 0x25 and rel_q7 -442 = -15 dB at bytes 22-23, kws_train.py
  # --log-floor): mfcc_log_floor over the clip's log-Mel, then the DCT, on a muted second and two
  # of speech; the noise-following floor (flags 0x45 and rel_q7 +88 = 3 dB, kws_train.py
  # --noise-floor): mfcc_noise_floor, the same clip.
  kws_patched_coverify(floor "${kws_floor_bytes}" ${KWS_BAD}/muted_then_keywords.wav FIXTURES_REQUIRED kws_bad_audio)
  kws_patched_coverify(noise_floor "${kws_noise_floor_bytes}" ${KWS_BAD}/muted_then_keywords.wav FIXTURES_REQUIRED kws_bad_audio)
  # ... and both on the stream (kws_lstm_<name>.elf, ideal preset) against kws_stream_ref.py: the
  # ring of log-Mel frames, each window's floor and cepstra; the same DETECT lines, frames and
  # decisions.
  foreach(name floor noise_floor)
    add_test(NAME firmware.kws.lstm.${name}_stream_coverify
      COMMAND ${KWS_PATCH_MODEL} ${CMAKE_SOURCE_DIR}/models/kws-lstm ${OUT}/kws-lstm-${name}-stream-model 21 "${kws_${name}_bytes}"
              /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_stream_coverify.py ${CIMVP}
              ${OUT}/kws-lstm-${name}-stream-model ${FW}/kws_lstm_${name}.elf ${OUT}/kws-${name}-stream-coverify
              ${KWS_CLIPS}/keywords.wav -- --config ${PRESETS}/kws-lstm.yaml --config ${PRESETS}/ideal.yaml)
    set_tests_properties(firmware.kws.lstm.${name}_stream_coverify PROPERTIES TIMEOUT 300)
  endforeach()
endif()

# Start-up offset calibration (firmware/apps/kws/main.c calibrate()). Board: the measured offset
# of each LSTM gate column is 128 sum E over the layer's rows, E the eFlash 2 LSB error averaged
# over the copies of configs/kws-lstm.yaml (mapping.replication) and divided by its weight
# amplification (mapping.weight_amp_bits); kws_calibration_check.py
# predicts its mean |offset| from the model's descriptor and the config and allows 4 sampling
# stds. Ideal preset: exactly 0 everywhere.
if(EXISTS ${CMAKE_SOURCE_DIR}/models/kws-lstm/model.kwsd)
  add_test(NAME firmware.kws.lstm.calibration.board
    COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_calibration_check.py ${CIMVP}
            ${CMAKE_SOURCE_DIR}/models/kws-lstm ${FW}/kws_lstm_clip.elf ${KWS_IMG}/kws-lstm.img
            ${KWS_CLIPS}/keywords.wav -- --config ${PRESETS}/kws-lstm.yaml)
  set(uart ${OUT}/kws-lstm-calibration-ideal.uart)
  cimvp_check(firmware.kws.lstm.calibration.ideal 0 "layer=0 runs=32 offset_mean_abs=0 offset_max_abs=0 "
    --file ${uart} "layer=1 runs=32 offset_mean_abs=0 offset_max_abs=0 "
    -- ${CIMVP} --config ${PRESETS}/kws-lstm.yaml --npu-image ${KWS_IMG}/kws-lstm.img --config ${PRESETS}/ideal.yaml
       --set uart.output_file=${uart} --firmware ${FW}/kws_lstm_clip.elf --audio ${KWS_CLIPS}/keywords.wav --max-time 5s)
endif()

# firmware.kws.lstm.none was disabled from the seventeenth to the twenty-third session: the
# 60-epoch --remix 1.0 LSTM heard "yes" in "juice" at 3860 ms on device seeds 1-5 and in the ideal
# preset (its integer model's own error; earlier LSTMs heard "yes" or "off" there). The LSTM taught
# by eight TDNNs (twenty-fourth session, docs/kws.md) hears nothing in none.wav on seeds 1-5 or in
# the ideal preset, so the test runs again for both models.
# firmware.kws.tdnn.none was disabled in the twentieth and twenty-first sessions: the TDNN of the
# second distillation generation heard "yes" in "juice" at 3720-3880 ms on device seeds 1, 4 and 5
# with 0.600-0.605, at the 0.6 threshold the firmware then used for every model. Since the
# twenty-second session each model carries its own threshold, chosen on the validation streams
# (scripts/kws_threshold.py; the TDNN's 0.8, the LSTM's 0.55, 0.7 since the twenty-fourth
# session), and the test runs again. Both none tests (board and ideal) are in the loop at the top.

# Audio shorter than one window: a clean SUMMARY, no RESULT, exit 0.
cimvp_check(firmware.kws.short_clip 0 "the clip has 40 frames, a decision needs 49"
  -- ${CIMVP} --config ${PRESETS}/kws-tdnn.yaml --npu-image ${KWS_IMG}/kws-tdnn.img --firmware ${FW}/kws_tdnn_clip.elf
     --audio ${CMAKE_SOURCE_DIR}/tests/data/yes.wav --max-time 5s)

# Bad input: a descriptor of another version or with a Mel band the Fbank refuses, a smaller array than the model needs, no image.
cimvp_check(firmware.kws.refuse_version 3 "kws: model refused: descriptor version 9, this firmware reads version 3"
  -- ${CIMVP} --config ${PRESETS}/kws-lstm.yaml --npu-image ${KWS_IMG}/kws-lstm.img --firmware ${FW}/kws_bad_version.elf
     --audio ${KWS_CLIPS}/none.wav --max-time 2s)
cimvp_check(firmware.kws.refuse_threshold 3 "kws: model refused: detection threshold 0 permille \\(1..999\\)"
  -- ${CIMVP} --config ${PRESETS}/kws-lstm.yaml --npu-image ${KWS_IMG}/kws-lstm.img --firmware ${FW}/kws_bad_threshold.elf
     --audio ${KWS_CLIPS}/none.wav --max-time 2s)
cimvp_check(firmware.kws.refuse_band 3 "kws: model refused: Mel band 7000-6000 Hz: f_low >= f_high"
  -- ${CIMVP} --config ${PRESETS}/kws-lstm.yaml --npu-image ${KWS_IMG}/kws-lstm.img --firmware ${FW}/kws_bad_band.elf
     --audio ${KWS_CLIPS}/none.wav --max-time 2s)
cimvp_check(firmware.kws.refuse_flags 3 "kws: model refused: flags 0x3: input features this firmware does not compute"
  -- ${CIMVP} --config ${PRESETS}/kws-lstm.yaml --npu-image ${KWS_IMG}/kws-lstm.img --firmware ${FW}/kws_bad_flags.elf
     --audio ${KWS_CLIPS}/none.wav --max-time 2s)
cimvp_check(firmware.kws.refuse_pool 3 "kws: model refused: flags 0x19: both the mean and the max pool of h"
  -- ${CIMVP} --config ${PRESETS}/kws-lstm.yaml --npu-image ${KWS_IMG}/kws-lstm.img --firmware ${FW}/kws_bad_pool.elf
     --audio ${KWS_CLIPS}/none.wav --max-time 2s)
cimvp_check(firmware.kws.refuse_floor 3 "kws: model refused: flags 0x61: both the log floor and the noise floor"
  -- ${CIMVP} --config ${PRESETS}/kws-lstm.yaml --npu-image ${KWS_IMG}/kws-lstm.img --firmware ${FW}/kws_bad_floor.elf
     --audio ${KWS_CLIPS}/none.wav --max-time 2s)
cimvp_check(firmware.kws.refuse_hidden 3 "kws: model refused: LSTM hidden 200, this firmware runs 1..192"
  -- ${CIMVP} --config ${PRESETS}/kws-lstm.yaml --npu-image ${KWS_IMG}/kws-lstm.img --firmware ${FW}/kws_bad_hidden.elf
     --audio ${KWS_CLIPS}/none.wav --max-time 2s)
cimvp_check(firmware.kws.refuse_geometry 3 "kws: model refused: layer 0 needs array rows/cols up to [0-9]+, the NPU array is smaller"
  -- ${CIMVP} --config ${PRESETS}/kws-lstm.yaml --set load.npu_image= --set npu.array.cols=200
     --firmware ${FW}/kws_lstm.elf --audio ${KWS_CLIPS}/none.wav --max-time 2s)
cimvp_check(firmware.kws.refuse_no_image 3 "kws: model refused: layer 0: the NPU array holds no weights"
  -- ${CIMVP} --config ${PRESETS}/kws-tdnn.yaml --set load.npu_image= --firmware ${FW}/kws_tdnn.elf
     --audio ${KWS_CLIPS}/none.wav --max-time 2s)

# The evaluation script (scripts/kws_eval.py) on the bundled clips, no dataset cache needed: host float,
# host integer and the board (ideal preset, so bit-exact: --check-exact fails on any logit that differs),
# then the output files it must write. ~40 s for both models on 2 cores.
set(kws_eval_out ${OUT}/kws-eval)
add_test(NAME firmware.kws.eval_clips
  COMMAND sh -c "/usr/bin/python3 \"$0\" --clips \"$1\" --preset ideal --check-exact --jobs 2 --build \"$2\" \
--fe-cache \"$3/kws-eval-fe\" --out \"$3/kws-eval\" && for f in results.json summary.md \
confusion_lstm_keywords_board.csv confusion_tdnn_keywords_integer.csv confusion_tdnn_none_float.csv; \
do test -s \"$3/kws-eval/$f\" || { echo missing $f; exit 1; }; done"
          ${CMAKE_SOURCE_DIR}/scripts/kws_eval.py ${KWS_CLIPS} ${CMAKE_BINARY_DIR} ${OUT})
set_tests_properties(firmware.kws.eval_clips PROPERTIES TIMEOUT 240)
# Its held-out-voices score and per-clip predictions on a small dataset (scale 0.1, made by the
# test): the mask against the split's rule, the accuracies against the saved predictions. ~40 s.
add_test(NAME firmware.kws.eval_held_out
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_eval_heldout_check.py ${CMAKE_SOURCE_DIR}/scripts
          ${CMAKE_BINARY_DIR} ${OUT}/kws-eval-held-out)
set_tests_properties(firmware.kws.eval_held_out PROPERTIES TIMEOUT 240 ENVIRONMENT OPENBLAS_NUM_THREADS=1)

# Training options out of range are refused by name before any data is read (exit 2, argparse).
cimvp_check(scripts.kws_train.bad_dropout 2 "--dropout 1.5: must be in \\[0, 1\\)"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --dropout 1.5)
cimvp_check(scripts.kws_train.bad_max_minutes 2 "--max-minutes 0: must be > 0"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --max-minutes 0)
cimvp_check(scripts.kws_train.bad_stop_epoch 2 "--stop-epoch 61: must be in \\[1, --epochs 60\\]"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --epochs 60 --stop-epoch 61)
cimvp_check(scripts.kws_train.bad_warp 2 "--warp -0.1: must be in \\[0, 1\\)"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --warp -0.1)
# kws_train --freq-mask: the Mel-band mask behind the cepstral codes against a reference written
# out in the script (one span, constant over time, clip means kept, p=0 the identity).
add_test(NAME scripts.kws_train.freq_mask
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_freq_mask_check.py ${CMAKE_SOURCE_DIR}/scripts)
# kws_train --time-stretch: the frames resampled in time against a reference written out in the
# script (word length / s, centre kept, factors in range, p=0 and amount 0 the identity).
add_test(NAME scripts.kws_train.time_stretch
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_time_stretch_check.py ${CMAKE_SOURCE_DIR}/scripts)
cimvp_check(scripts.kws_train.bad_time_stretch 2 "--time-stretch 1: must be in \\[0, 1\\)"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --time-stretch 1)
# kws_train --prog-lsb / --prog-cal: a layer with a fixed programming error against the array
# written out in the script (offset-binary codes, bias correction from the intended weights, the
# firmware's calibration removing 128 sum E).
add_test(NAME scripts.kws_train.prog_error
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_prog_train_check.py ${CMAKE_SOURCE_DIR}/scripts)
set_tests_properties(scripts.kws_train.prog_error PROPERTIES ENVIRONMENT OPENBLAS_NUM_THREADS=1)
# kws_train --adc-lsb: the column ADC in training against the array written out in the script
# (the whole offset-binary column rounded, the offset taken away digitally; the step of
# configs/kws-lstm.yaml from the converter's definition; the gradient straight through).
add_test(NAME scripts.kws_train.adc
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_adc_train_check.py ${CMAKE_SOURCE_DIR}/scripts)
set_tests_properties(scripts.kws_train.adc PROPERTIES ENVIRONMENT OPENBLAS_NUM_THREADS=1)
# kws_train.py pins its float kernels (scripts/kws_kernels.py): the pin's variables, the kernels a
# training runs on, and the products and gates of the LSTM's shape against digests recorded under
# the pin (another CPU kind must give the same bits; other kernels must not).
add_test(NAME scripts.kws_train.kernels
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_kernels_check.py ${CMAKE_SOURCE_DIR}/scripts)
# kws_train --lstm-bptt fused / --lstm-noise pass: the LSTM's backward pass written out
# (scripts/kws_lstm_bptt.py) against autograd through the same loop (h and logits bit for bit,
# gradients to float rounding) and the noise draws each mode must make.
add_test(NAME scripts.kws_train.lstm_bptt
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_lstm_bptt_check.py ${CMAKE_SOURCE_DIR}/scripts)
set_tests_properties(scripts.kws_train.lstm_bptt PROPERTIES ENVIRONMENT OPENBLAS_NUM_THREADS=1)
cimvp_check(scripts.kws_train.bad_lstm_bptt 2 "--lstm-bptt / --lstm-noise: options of the LSTM's training"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --lstm-bptt fused)
cimvp_check(scripts.kws_train.bad_lstm_bptt_pool 2 "--lstm-bptt fused: written out for the last step's h only"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model lstm --lstm-bptt fused --pool mean)
# kws_train --remix: fresh noise on the clean clips each epoch (scripts/kws_remix.py), checked on
# tone bursts written in the script: the SNR over the active samples, the silence floor, new draws
# each epoch, and the codes equal to the front end's whether the worker or the training mixed them.
add_test(NAME scripts.kws_train.remix
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_remix_check.py ${CMAKE_SOURCE_DIR}/scripts
          ${OUT}/kws-remix)
set_tests_properties(scripts.kws_train.remix PROPERTIES ENVIRONMENT OPENBLAS_NUM_THREADS=1
  FIXTURES_SETUP kws_remix_set)
# The training benchmark runs on that small set (its figures are not checked: it is a benchmark),
# with the chain estimate over kws_reproduce.py's stages, and names a cache without clean clips.
add_test(NAME scripts.bench_train.runs
  COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/bench_train.py --data ${OUT}/kws-remix/set --clips 20
          --repeat 1 --chain)
set_tests_properties(scripts.bench_train.runs PROPERTIES ENVIRONMENT OPENBLAS_NUM_THREADS=1
  FIXTURES_REQUIRED kws_remix_set
  PASS_REGULAR_EXPRESSION "remix, per clip: [0-9.]+ ms.*LSTM \\(--lstm-bptt autograd --lstm-noise step\\): [0-9.]+ ms per training step \\(batch 128, [0-9.]+ ms a clip\\).*LSTM \\(--lstm-bptt fused --lstm-noise step\\): [0-9.]+ ms.*LSTM \\(--lstm-bptt fused --lstm-noise pass\\): [0-9.]+ ms.*LSTM teacher: [0-9.]+ ms per forward pass \\(batch 128.*lstm-x4-ft2 .*chain: [0-9.]+ CPU hours")
# --batch: the steps and the teachers' passes on batches of that size
add_test(NAME scripts.bench_train.batch
  COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/bench_train.py --data ${OUT}/kws-remix/set --clips 20
          --repeat 1 --batch 32)
set_tests_properties(scripts.bench_train.batch PROPERTIES ENVIRONMENT OPENBLAS_NUM_THREADS=1
  FIXTURES_REQUIRED kws_remix_set
  PASS_REGULAR_EXPRESSION "TDNN: [0-9.]+ ms per training step \\(batch 32, [0-9.]+ ms a clip\\).*TDNN teacher: [0-9.]+ ms per forward pass \\(batch 32, [0-9.]+ ms a clip\\)")
cimvp_check(scripts.bench_train.bad_batch 2 "--clips, --repeat and --batch must be >= 1"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/bench_train.py --batch 0)
add_test(NAME scripts.bench_train.quick
  COMMAND /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/bench_train.py --data ${OUT}/kws-remix/set --clips 20
          --repeat 1 --chain quick)
set_tests_properties(scripts.bench_train.quick PROPERTIES ENVIRONMENT OPENBLAS_NUM_THREADS=1
  FIXTURES_REQUIRED kws_remix_set
  PASS_REGULAR_EXPRESSION "--recipe quick.*tdnn-x4-e30-s23-wdef 23 epochs, 0 teachers.*lstm-x4-e30-tdef +30 epochs, 1 teachers.*tdnn-x4-e30-s23-ftadc +8 epochs, 1 teachers.*lstm-x4-e30-tdef-ft-adc-tft +15 epochs, 2 teachers.*quick: [0-9.]+ CPU hours")
cimvp_check(scripts.bench_train.no_data 1 "bench_train.py: --data .*/kws-bench-none: .*train_labels.npy"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/bench_train.py --data ${OUT}/kws-bench-none)
# kws_train --consistency: the KL between the clean and the noisy prediction against the formula;
# --distill-clean: the teachers' input, clean words swapped in on the same rows.
add_test(NAME scripts.kws_train.consistency
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_consistency_check.py ${CMAKE_SOURCE_DIR}/scripts)
set_tests_properties(scripts.kws_train.consistency PROPERTIES ENVIRONMENT OPENBLAS_NUM_THREADS=1)
cimvp_check(scripts.kws_train.bad_consistency 2 "--consistency -1: must be in \\[0, 10\\]"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --consistency -1)
cimvp_check(scripts.kws_train.consistency_cvn 2 "--consistency with --cvn: the host-only variance normalisation"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --cmn --cvn --consistency 1)
# kws_train --teacher: the distillation loss, the teachers' average and rebuilt teachers (scripts/kws_distill.py).
add_test(NAME scripts.kws_train.distill
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_distill_check.py ${CMAKE_SOURCE_DIR}/scripts
          ${OUT}/kws-distill)
set_tests_properties(scripts.kws_train.distill PROPERTIES ENVIRONMENT OPENBLAS_NUM_THREADS=1)
# The teachers' forward passes one batch ahead in their own thread (kws_train.py): a TDNN teaches an
# LSTM for two epochs on a small dataset, with the thread and in line as before; the same files and
# figures, bit for bit (about a minute).
add_test(NAME scripts.kws_train.teacher_thread
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_teacher_thread_check.py ${CMAKE_SOURCE_DIR}/scripts
          $<TARGET_FILE:npu_image_tool> ${OUT}/kws-teacher-thread)
set_tests_properties(scripts.kws_train.teacher_thread PROPERTIES ENVIRONMENT OPENBLAS_NUM_THREADS=1)
cimvp_check(scripts.kws_train.bad_distill 2 "--distill 0: must be in \\(0, 10\\]"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --teacher x --distill 0)
cimvp_check(scripts.kws_train.distill_clean_needs_teacher 2 "--distill-clean needs --teacher"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --distill-clean)
cimvp_check(scripts.kws_train.distill_clean_cvn 2 "--distill-clean with --cvn: the host-only variance normalisation"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --cmn --cvn --teacher x --distill-clean)
cimvp_check(scripts.kws_train.bad_distill_temp 2 "--distill-temp 0.1: must be in \\[0.5, 20\\]"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --teacher x --distill-temp 0.1)
cimvp_check(scripts.kws_train.bad_teacher 2 "--teacher ',': want one or more model directories"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --teacher ,)
cimvp_check(scripts.kws_train.bad_remix 2 "--remix 1.5: must be in \\[0, 1\\]"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --remix 1.5)
cimvp_check(scripts.kws_train.bad_ema 2 "--ema 1: must be in \\[0, 1\\) \\(0: off\\)"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --ema 1.0)
cimvp_check(scripts.kws_train.bad_pool 2 "--pool mean: the LSTM's read-out; the TDNN always averages its last layer"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --pool mean)
cimvp_check(scripts.kws_train.bad_freq_mask 2 "--freq-mask 21: must be in \\[0, 20\\] Mel bands"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --freq-mask 21)
cimvp_check(scripts.kws_train.bad_noise 2 "--noise 1.6: must be in \\[0, 1\\)"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --noise 1.6)
cimvp_check(scripts.kws_train.bad_ceps 2 "--ceps 41: must be in \\[1, 40\\]"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --ceps 41)
cimvp_check(scripts.kws_train.cvn_needs_cmn 2 "--cvn normalises the variance around the mean --cmn removes: give both"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --cvn)
cimvp_check(scripts.kws_train.bad_log_floor 2 "--log-floor 3: want -60..0 dB"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --log-floor 3)
cimvp_check(scripts.kws_train.bad_noise_floor 2 "--noise-floor 25: want -20..20 dB"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --noise-floor 25)
cimvp_check(scripts.kws_train.two_floors 2 "--log-floor with --noise-floor: one floor or the other"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --log-floor -15 --noise-floor 3)
cimvp_check(scripts.kws_train.bad_digital_silence 2 "--digital-silence -1: must be >= 0"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --digital-silence -1)
# a band the front end refuses (fbank_validate: f_low >= f_high), checked before any data is read
cimvp_check(scripts.kws_train.bad_mel_band 2 "--mel-band 5000,300: want LO,HI in Hz that the front end accepts"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --mel-band 5000,300
     --data ${OUT}/kws-train-bad-band/none)
cimvp_check(scripts.kws_engine_errors.no_model 1 "kws_engine_errors: .*/tests/kws has no model.kwsd"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_engine_errors.py ${CMAKE_SOURCE_DIR}/tests/kws)
cimvp_check(scripts.kws_ensemble.no_model 1 "kws_ensemble: .*/tests/kws has no model.kwsd"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_ensemble.py ${CMAKE_SOURCE_DIR}/models/kws-tdnn ${CMAKE_SOURCE_DIR}/tests/kws)
cimvp_check(scripts.kws_ensemble.no_data 1 "kws_ensemble: no .*/none/test_audio.npy \\(make the dataset"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_ensemble.py ${CMAKE_SOURCE_DIR}/models/kws-tdnn --data ${OUT}/none)
cimvp_check(scripts.kws_band_power.bad_band 2 "--band 4000,300: want LO,HI in Hz, 0 <= LO < HI <= 8000"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_band_power.py --band 4000,300)
cimvp_check(scripts.kws_band_power.no_data 1 "kws_band_power: no .*/none/test_audio.npy"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_band_power.py --data ${OUT}/kws-band-power/none --sets test)
cimvp_check(scripts.kws_engine_errors.bad_by 2 "--by voice\\+snr: want engine, voice, word or heard, or several joined by \\+"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_engine_errors.py ${CMAKE_SOURCE_DIR}/models/kws-tdnn --by voice+snr)
# The dataset's third engine: without festival (PATH hides it) --festival says what to install
# before it renders anything.
cimvp_check(scripts.kws_dataset.no_festival 1 "--festival needs festival with the voice ked_diphone.*apt-get install festival festvox-kdlpc16k"
  -- /usr/bin/env PATH=/nonexistent /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_dataset.py --festival
     --out ${OUT}/kws-dataset-no-festival)
cimvp_check(scripts.kws_dataset.no_ona 1 "--ona needs festival with the voice upc_ca_ona_hts.*apt-get install festival festvox-ca-ona-hts"
  -- /usr/bin/env PATH=/nonexistent /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_dataset.py --ona
     --out ${OUT}/kws-dataset-no-ona)
cimvp_check(scripts.kws_dataset.no_italian 1 "--italian needs festival with the voice lp_diphone.*apt-get install festival festvox-italp16k"
  -- /usr/bin/env PATH=/nonexistent /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_dataset.py --italian
     --out ${OUT}/kws-dataset-no-italian)
# The Italian voices (--italian) take the place of espeak renders only: every other render and
# every set but train stay byte-identical to v6.
add_test(NAME scripts.kws_dataset.italian
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_dataset_italian_check.py ${CMAKE_SOURCE_DIR}/scripts
          ${OUT}/kws-dataset-italian)
set_tests_properties(scripts.kws_dataset.italian PROPERTIES ENVIRONMENT OPENBLAS_NUM_THREADS=1)
# The dataset's LPC vocoder (--vocode, scripts/kws_vocoder.py): Levinson against the normal
# equations, a vowel written in the script keeps its F0 and formants, noise stays noise, and only
# train renders that are not flite's are vocoded; a share outside [0, 1] is refused.
add_test(NAME scripts.kws_vocoder
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_vocoder_check.py ${CMAKE_SOURCE_DIR}/scripts)
set_tests_properties(scripts.kws_vocoder PROPERTIES ENVIRONMENT OPENBLAS_NUM_THREADS=1)
# Every whole dataset renders the festival set xfest: without festival the run is refused before it writes anything.
cimvp_check(scripts.kws_dataset.xfest_needs_festival 1 "the xfest set needs festival with the voice ked_diphone.*apt-get install festival festvox-kdlpc16k"
  --no-file ${OUT}/kws-dataset-no-festival/v3-seed1/summary.json
  -- /usr/bin/env PATH=/nonexistent /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_dataset.py --more-words
     --out ${OUT}/kws-dataset-no-festival)
cimvp_check(scripts.kws_tempo_probe.no_set 1 "kws_tempo_probe: no .*/kws-tempo-probe-empty/xfest_audio.npy \\(make the set with scripts/kws_dataset.py\\)"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_tempo_probe.py --model ${CMAKE_SOURCE_DIR}/models/kws-tdnn
     --voice ked_diphone --data ${OUT}/kws-tempo-probe-empty)
cimvp_check(scripts.kws_dataset.bad_faster 2 "--faster 2.5: want a factor in \\[1, 2\\]"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_dataset.py --faster 2.5 --out ${OUT}/kws-dataset-bad-faster)
cimvp_check(scripts.kws_dataset.bad_vocode 2 "--vocode 1.5: want a share in \\[0, 1\\]"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_dataset.py --vocode 1.5 --out ${OUT}/kws-dataset-bad-vocode)
# Festival's shares of the train renders: each needs its voice's option, and together they must
# leave flite its share.
cimvp_check(scripts.kws_dataset.share_needs_voice 2 "--ona-share needs --ona"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_dataset.py --ona-share 0.3 --out ${OUT}/kws-dataset-bad-share)
cimvp_check(scripts.kws_dataset.bad_shares 2 "--festival-share 0.5, --ona-share 0.4, --italian-share 0: want shares >= 0 \\(--italian's > 0\\) that leave flite its 0.2 \\(sum <= 0.8\\)"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_dataset.py --festival --festival-share 0.5 --ona --ona-share 0.4
     --out ${OUT}/kws-dataset-bad-shares)
cimvp_check(scripts.kws_dataset.italian_share_zero 2 "--italian-share 0: want shares >= 0 \\(--italian's > 0\\)"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_dataset.py --italian --italian-share 0
     --out ${OUT}/kws-dataset-italian-zero)
# The second draw of the test voices (retest) and the festival set (xfest): --only retest,xfest gives
# the whole run's files; retest speaks only test voices with its own draws, xfest only festival's
# voices; a set name it does not know and a cache that is not there are refused.
add_test(NAME scripts.kws_dataset.retest
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_dataset_check.py ${CMAKE_SOURCE_DIR}/scripts
          ${OUT}/kws-dataset-retest)
cimvp_check(scripts.kws_dataset.bad_only 2 "--only test2: want one or more sets of train,val,test,retest,xsynth,xfest"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_dataset.py --only test2 --out ${OUT}/kws-dataset-bad-only)
cimvp_check(scripts.kws_dataset.only_needs_cache 1 "--only: no .*/kws-dataset-no-cache/v1-seed1/summary.json \\(make the dataset first\\)"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_dataset.py --only retest --out ${OUT}/kws-dataset-no-cache)
# scripts/kws_reproduce.py, the chain that rebuilds the committed models (about 7 h) and the quick
# recipe (four trainings), neither run here: their recipes against the committed reports, drift caught
# by stage and field, resuming, --stages, snapshots without model.pt, the final byte comparison, a
# finished stage's figures against its report; its command line and a missing dataset.
add_test(NAME scripts.kws_reproduce.plan
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_reproduce_check.py ${CMAKE_SOURCE_DIR}/scripts
          ${OUT}/kws-reproduce ${CIMVP})
set_tests_properties(scripts.kws_reproduce.plan PROPERTIES ENVIRONMENT OPENBLAS_NUM_THREADS=1)
cimvp_check(scripts.kws_reproduce.dry_run 0 "^lstm-x4-ft2 .*/v3x4-seed1 .*--teacher [^ ]*/tdnn-x4-ft-x,.*# checked against models/kws-lstm/results-v3x4data-finetune2.json$"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_reproduce.py --recipe chain --dry-run --work ${OUT}/kws-reproduce-dry)
# the default recipe is both committed models' own (quick-fest's): its finals are models/, the TDNN
# its last stage, taught by the LSTM's fine-tune
cimvp_check(scripts.kws_reproduce.default_dry_run 0 "^5 stages; 5 checked against committed reports; finals: tdnn-f05-tl-w07-u4 -> models/kws-tdnn, lstm-f05-ft-adc -> models/kws-lstm$"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_reproduce.py --dry-run --work ${OUT}/kws-reproduce-default-dry)
cimvp_check(scripts.kws_reproduce.default_dry_run_tdnn 0 "^tdnn-f05-tl-w07-u4 .*/v3x4-seed1-fest05 .*--remix-white 0.7 --unknown-weight 4 --teacher [^ ]*/lstm-f05-ft-adc --out .*# checked against models/kws-tdnn/results-v3x4f-quick-tl.json$"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_reproduce.py --dry-run --work ${OUT}/kws-reproduce-default-dry-tdnn)
cimvp_check(scripts.kws_reproduce.quick_dry_run 0 "^lstm-x4-e30-tdef-ft-adc-tft .*/v3x4-seed1 .*--remix-snr 0,18 --adc-lsb 636.25 --teacher [^ ]*/tdnn-x4-e30-s23-ftadc,[^ ]*/lstm-x4-e30-tdef --init [^ ]*/lstm-x4-e30-tdef --out .*# checked against models/kws-lstm/results-v3x4data-quick-ft-adc-tft.json$"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_reproduce.py --recipe quick --dry-run --work ${OUT}/kws-reproduce-quick-dry)
cimvp_check(scripts.kws_reproduce.quick_fest_dry_run 0 "^lstm-f05-ft-adc .*/v3x4-seed1-fest05 .*--remix-snr 0,18 --adc-lsb 636.25 --teacher [^ ]*/tdnn-f05-ftadc,[^ ]*/lstm-f05-e30 --init [^ ]*/lstm-f05-e30 --out .*# checked against models/kws-lstm/results-v3x4f-quick-ft-adc.json$"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_reproduce.py --recipe quick-fest --dry-run --work ${OUT}/kws-reproduce-quick-fest-dry)
cimvp_check(scripts.kws_reproduce.bad_stages 2 "--stages tdnn-ft15,nosuch: want names of stages"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_reproduce.py --recipe chain --stages tdnn-ft15,nosuch)
cimvp_check(scripts.kws_reproduce.no_dataset 1 "kws_reproduce: .*/kws-reproduce-no-data: no dataset cache there"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_reproduce.py --recipe chain --data ${OUT}/kws-reproduce-no-data
     --build ${CMAKE_BINARY_DIR} --work ${OUT}/kws-reproduce-no-data-work)
# A dataset cache that is not the one the committed models were trained on (one file, other bytes)
# is refused before any training, naming models/datasets/v3-seed1.json (and each file that differs).
file(WRITE ${OUT}/kws-reproduce-other-data/summary.json "{\"sets\": {}}\n")
file(WRITE ${OUT}/kws-reproduce-other-data/train_audio.npy "not the committed bytes\n")
cimvp_check(scripts.kws_reproduce.other_dataset 1 "kws_reproduce: 34 of 34 files of .*/kws-reproduce-other-data differ from models/datasets/v3-seed1.json, the dataset the recipe's reports were trained on"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_reproduce.py --recipe chain --data ${OUT}/kws-reproduce-other-data
     --stages tdnn-e60-stop45 --build ${CMAKE_BINARY_DIR} --work ${OUT}/kws-reproduce-other-data-work)
# kws_data_digest.py: a cache that records no digests, or is not there, is an error, not a pass.
cimvp_check(scripts.kws_data_digest.nothing_recorded 1 "kws_data_digest.py: .*/kws-reproduce-other-data/summary.json records no digests"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_data_digest.py ${OUT}/kws-reproduce-other-data)
file(WRITE ${OUT}/kws-data-digest-list/summary.json "[1, 2]\n")
cimvp_check(scripts.kws_data_digest.not_a_summary 1 "kws_data_digest.py: .*/kws-data-digest-list/summary.json records no digests"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_data_digest.py ${OUT}/kws-data-digest-list)
cimvp_check(scripts.kws_data_digest.record_no_sets 1 "kws_data_digest.py: .*/kws-data-digest-list: its summary.json lists no sets"
  --no-file ${OUT}/kws-data-digest-list.json
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_data_digest.py ${OUT}/kws-data-digest-list --record ${OUT}/kws-data-digest-list.json)
cimvp_check(scripts.kws_data_digest.no_cache 1 "kws_data_digest.py: .*/kws-data-digest-none: no such directory"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_data_digest.py ${OUT}/kws-data-digest-none)
# Every script with a command line answers --help (usage, exit 0).
add_test(NAME scripts.help
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/scripts_help_check.py ${CMAKE_SOURCE_DIR}/scripts)
# The ona voice's English lexicon (scripts/kws_phonemes.py, espeak-ng's phonemes in Catalan phones)
# against hand transcriptions and the Catalan phone set, for every word the dataset can ask for.
add_test(NAME scripts.kws_phonemes.entries
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_phonemes_check.py ${CMAKE_SOURCE_DIR}/scripts)
# A synthesizer that fails mid-run (a festival that exits 1, written here) stops the dataset run
# with the synthesizer's message and exit 1, not a worker traceback.
file(WRITE ${OUT}/failing-festival/festival "#!/bin/sh\necho 'SIOD ERROR: test' >&2\nexit 1\n")
file(CHMOD ${OUT}/failing-festival/festival PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
cimvp_check(scripts.kws_dataset.festival_fails 1 "kws_dataset.py: festival did not render '.*' \\(voice [a-z_]+, exit 1\\): SIOD ERROR: test"
  -- /usr/bin/env PATH=${OUT}/failing-festival:/usr/bin:/bin /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_dataset.py
     --festival --perturb --more-words --scale 0.02 --out ${OUT}/kws-dataset-failing-festival)
cimvp_check(scripts.kws_adc_range.bad_wav 2 "kws_adc_range: .*/tests/kws/clips/keywords.csv: not a readable 16 kHz mono 16-bit WAV"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_adc_range.py ${CMAKE_SOURCE_DIR}/models/kws-tdnn
     --wav ${KWS_CLIPS}/keywords.csv --cimvp ${CIMVP} -- --config ${PRESETS}/kws-tdnn.yaml)
cimvp_check(scripts.kws_adc_range.unsupported_board 2 "npu.converters.encoding = bit_serial: this account covers parallel only"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_adc_range.py ${CMAKE_SOURCE_DIR}/models/kws-tdnn
     --wav ${KWS_CLIPS}/keywords.wav --cimvp ${CIMVP} -- --config ${PRESETS}/kws-tdnn.yaml
     --set npu.converters.encoding=bit_serial)
# Amplified weights are accounted as programmed (x 2^n) as long as none saturates its cell; a
# weight that would (|w| << n > 255) is refused, naming the layer.
cimvp_check(scripts.kws_adc_range.saturating_amp 2 "layer 0: weight_amp_bits = 2 puts \\|w\\| = [0-9]+ on a 255-level cell"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_adc_range.py ${CMAKE_SOURCE_DIR}/models/kws-tdnn
     --wav ${KWS_CLIPS}/keywords.wav --cimvp ${CIMVP} -- --config ${PRESETS}/kws-tdnn.yaml
     --set npu.mapping.weight_amp_bits=2)
cimvp_check(scripts.kws_prog_error.no_model 1 "kws_prog_error: .*/tests/kws has no model.kwsd"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_prog_error.py --model ${CMAKE_SOURCE_DIR}/tests/kws)
cimvp_check(scripts.kws_prog_error.bad_adc_lsb 2 "--adc-lsb -3: want a step >= 0 in MAC units"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_prog_error.py --adc-lsb -3)
cimvp_check(scripts.kws_snr_band.no_model 1 "kws_snr_band: .*/tests/kws has no model.kwsd"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_snr_band.py ${CMAKE_SOURCE_DIR}/tests/kws)
cimvp_check(scripts.kws_snr_band.bad_above 2 "--above 9000: must be in \\(0, 8000\\) Hz"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_snr_band.py ${CMAKE_SOURCE_DIR}/models/kws-tdnn --above 9000)
# A model directory whose descriptor is version 1 (the layout before the Mel band): the host
# scripts refuse it with a message naming the file and exit 1 (kws_host_ref.load_model_or_exit).
set(old_model ${OUT}/kws-old-descriptor)
cimvp_check(scripts.kws_engine_errors.old_descriptor 1
  "kws_engine_errors: .*/kws-old-descriptor/model.kwsd: descriptor version 1, this script reads version 3"
  -- ${KWS_PATCH_MODEL} ${CMAKE_SOURCE_DIR}/models/kws-tdnn ${old_model} 4 001
     /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_engine_errors.py ${old_model})
# A model of the host-only --cvn study (flags 0x03): the stream reference refuses it as the
# firmware does, naming the file; kws_engine_errors, the training-side analysis, reads it.
set(cvn_model ${OUT}/kws-cvn-descriptor)
cimvp_check(scripts.kws_stream_ref.cvn_model 1
  "kws_stream_ref: .*/kws-cvn-descriptor/model.kwsd: flags 0x03: input features the firmware does not compute"
  -- ${KWS_PATCH_MODEL} ${CMAKE_SOURCE_DIR}/models/kws-tdnn ${cvn_model} 21 003
     /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_stream_ref.py ${cvn_model} ${KWS_CLIPS}/none.wav)
# --causal (the stream before the window CMN) on a model with the window's log floor (flags 0x25):
# refused naming the model, before any audio is read.
set(floor_tdnn_model ${OUT}/kws-floor-descriptor)
cimvp_check(scripts.kws_stream_ref.causal_floor 1
  "kws_stream_ref: --causal: .*/kws-floor-descriptor has the window's log floor"
  -- ${KWS_PATCH_MODEL} ${CMAKE_SOURCE_DIR}/models/kws-tdnn ${floor_tdnn_model} 21 "${kws_floor_bytes}"
     /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_stream_ref.py ${floor_tdnn_model} ${KWS_CLIPS}/none.wav --causal)
# Both floors (flags 0x61), refused as the firmware refuses them (firmware.kws.refuse_floor),
# naming the file.
set(two_floors_model ${OUT}/kws-two-floors-descriptor)
cimvp_check(scripts.kws_stream_ref.two_floors 1
  "kws_stream_ref: .*/kws-two-floors-descriptor/model.kwsd: flags 0x61: both the log floor and the noise floor"
  -- ${KWS_PATCH_MODEL} ${CMAKE_SOURCE_DIR}/models/kws-lstm ${two_floors_model} 21 141
     /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_stream_ref.py ${two_floors_model} ${KWS_CLIPS}/none.wav)
# The LSTM's pool of h (flags bit 3) on a TDNN's descriptor (flags 0x0d): refused as the firmware
# refuses it, naming the file.
set(pool_tdnn_model ${OUT}/kws-pool-tdnn-descriptor)
cimvp_check(scripts.kws_stream_ref.pool_tdnn 1
  "kws_stream_ref: .*/kws-pool-tdnn-descriptor/model.kwsd: flags 0x0d: a pool of h on a model that is not an LSTM"
  -- ${KWS_PATCH_MODEL} ${CMAKE_SOURCE_DIR}/models/kws-tdnn ${pool_tdnn_model} 21 015
     /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_stream_ref.py ${pool_tdnn_model} ${KWS_CLIPS}/none.wav)
# A detection threshold of 1000 permille (bytes 28-29: 0x03e8) never fires: refused as the firmware
# refuses it (firmware.kws.refuse_threshold), naming the file.
set(thr_model ${OUT}/kws-threshold-descriptor)
cimvp_check(scripts.kws_stream_ref.bad_threshold 1
  "kws_stream_ref: .*/kws-threshold-descriptor/model.kwsd: detection threshold 1000 permille \\(1..999\\)"
  -- ${KWS_PATCH_MODEL} ${CMAKE_SOURCE_DIR}/models/kws-tdnn ${thr_model} 28 "350 003"
     /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_stream_ref.py ${thr_model} ${KWS_CLIPS}/none.wav)
# scripts/kws_threshold.py: its sweep against kws_stream_ref.py on a set made of the bundled clips,
# the rule, and the upgrade of a version-2 descriptor (tests/firmware/kws_threshold_check.py).
foreach(model lstm tdnn)
  if(EXISTS ${CMAKE_SOURCE_DIR}/models/kws-${model}/model.kwsd)
    add_test(NAME scripts.kws_threshold.${model}
      COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/kws_threshold_check.py ${CMAKE_SOURCE_DIR}/models/kws-${model}
              ${KWS_CLIPS} ${OUT}/kws-threshold-${model})
    set_tests_properties(scripts.kws_threshold.${model} PROPERTIES ENVIRONMENT OPENBLAS_NUM_THREADS=1 TIMEOUT 120)
  endif()
endforeach()
cimvp_check(scripts.kws_threshold.bad_value 2 "--value 1: must be in \\[0.001, 0.999\\]"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_threshold.py ${CMAKE_SOURCE_DIR}/models/kws-tdnn --value 1)
cimvp_check(scripts.kws_threshold.no_model 1 "kws_threshold: .*/tests/kws has no model.kwsd"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_threshold.py ${CMAKE_SOURCE_DIR}/tests/kws)
cimvp_check(scripts.kws_train.bad_remix_white 2 "--remix-white 0.5: want a share in \\[0, 1\\], with --remix"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --remix-white 0.5)
cimvp_check(scripts.kws_train.bad_adc_lsb 2 "--adc-lsb -1: want a step >= 0 in MAC units"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model lstm --adc-lsb -1)
cimvp_check(scripts.kws_train.bad_remix_snr 2 "--remix-snr 20,5: want LO,HI in dB with -10 <= LO < HI <= 60, with --remix"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --remix 1 --remix-snr 20,5)
cimvp_check(scripts.kws_train.bad_remix_speed 2 "--remix-speed 1.5,1.2: want LO,HI with 0.5 <= LO <= HI <= 2, with --remix"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --remix 1 --remix-speed 1.5,1.2)
cimvp_check(scripts.kws_train.remix_speed_needs_remix 2 "--remix-speed 1,1.4: want LO,HI with 0.5 <= LO <= HI <= 2, with --remix"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --remix-speed 1,1.4)
cimvp_check(scripts.kws_train.epochs0_needs_init 2 "--epochs 0: want >= 1, or 0 with --init"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --epochs 0)
cimvp_check(scripts.kws_train.bad_threshold 2 "--threshold 1.5: want auto or a value in \\[0.001, 0.999\\]"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_train.py --model tdnn --threshold 1.5)
# The host stream reference: a directory without a model, a file that is not a 16 kHz mono WAV
# (the firmware's C source as audio), and a dataset set the cache does not have, each a message
# naming the file or set and exit 1.
cimvp_check(scripts.kws_stream_ref.no_model 1 "kws_stream_ref: .*/tests/kws has no model.kwsd"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_stream_ref.py ${CMAKE_SOURCE_DIR}/tests/kws
     ${KWS_CLIPS}/keywords.wav)
cimvp_check(scripts.kws_stream_ref.bad_wav 1 "kws_stream_ref: .*/firmware/apps/kws/main.c: "
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_stream_ref.py ${CMAKE_SOURCE_DIR}/models/kws-tdnn
     ${CMAKE_SOURCE_DIR}/firmware/apps/kws/main.c)
cimvp_check(scripts.kws_stream_ref.no_set 1 "kws_stream_ref: no set 'nosuchset' in .*/kws-stream-ref-empty"
  -- /usr/bin/python3 ${CMAKE_SOURCE_DIR}/scripts/kws_stream_ref.py ${CMAKE_SOURCE_DIR}/models/kws-tdnn
     --kw-set nosuchset --data ${OUT}/kws-stream-ref-empty)

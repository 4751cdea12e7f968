/* The model, embedded at build time (paths from variants.cmake): the descriptor model.kwsd
 * always; the array image only for the software-only build, which needs the weights on the
 * CPU (the NPU builds get them through --npu-image). */
    .section .rodata.kws_model, "a"
    .balign 4
    .global kws_kwsd, kws_kwsd_end
kws_kwsd:
#ifdef KWS_KWSD_INC
#include KWS_KWSD_INC
#else
    .incbin KWS_KWSD_PATH
#endif
kws_kwsd_end:

    .balign 4
    .global kws_img, kws_img_end
kws_img:
#ifdef KWS_IMG_PATH
    .incbin KWS_IMG_PATH
#endif
kws_img_end:

/* Host side of the NPU firmware tests: writes the image layers of npu_test_data.h (the same
 * header the firmware recomputes its weights from) as int8 .npy files and prints one
 * npu_image_tool argument per layer, "DIR/NAME.npy@ROW,COL" (explicit placement, because the
 * firmware addresses the layers at fixed array positions).
 *   npu_gen_layers OUT_DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npu_test_data.h"

static int write_npy(const char *path, const npu_test_layer_t *l) {
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    char header[128];
    int n = snprintf(header, sizeof header, "{'descr': '|i1', 'fortran_order': False, 'shape': (%u, %u), }",
                     (unsigned)l->rows, (unsigned)l->cols);
    /* .npy v1: magic, version, u16 header length; header padded with spaces to a multiple of
     * 64 bytes (with the 10-byte preamble) and ended by '\n'. */
    const int total = ((10 + n + 1 + 63) / 64) * 64;
    while (10 + n + 1 < total) header[n++] = ' ';
    header[n++] = '\n';
    const unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(n & 0xff),
                                   (unsigned char)(n >> 8)};
    int ok = fwrite(pre, 1, 10, f) == 10 && fwrite(header, 1, (size_t)n, f) == (size_t)n;
    for (uint32_t i = 0; ok && i < l->rows; i++)
        for (uint32_t j = 0; ok && j < l->cols; j++) ok = fputc((unsigned char)npu_test_weight(l, i, j), f) != EOF;
    return fclose(f) == 0 && ok;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: npu_gen_layers OUT_DIR\n");
        return 2;
    }
    for (unsigned k = 0; k < NPU_T_IMAGE_LAYERS; k++) {
        const npu_test_layer_t *l = &npu_test_layers[k];
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.npy", argv[1], l->name);
        if (!write_npy(path, l)) {
            fprintf(stderr, "npu_gen_layers: cannot write %s\n", path);
            return 1;
        }
        printf("%s@%u,%u\n", path, (unsigned)l->row_off, (unsigned)l->col_off);
    }
    return 0;
}

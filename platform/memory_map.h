/*
 * cimvp memory map and interrupt/master numbering: the single source of truth.
 *
 * Plain C so that both the C++ models (through the default configuration) and
 * the firmware include it. A YAML config may move or resize regions; the
 * firmware is built against these defaults and tests/platform/test_memory_map
 * checks that configs/default.yaml agrees with this header.
 */
#ifndef CIMVP_MEMORY_MAP_H
#define CIMVP_MEMORY_MAP_H

/* Boot flash / ROM: code and read-only data, read-only from the bus. */
#define CIMVP_FLASH_BASE   0x00000000u
#define CIMVP_FLASH_SIZE   0x00080000u /* 512 KiB */

/* On-chip SRAM (the eFlash SoC paper's 320 KB). */
#define CIMVP_SRAM_BASE    0x20000000u
#define CIMVP_SRAM_SIZE    0x00050000u /* 320 KiB */

/* Peripherals: one 4 KiB window each, from CIMVP_PERIPH_BASE. */
#define CIMVP_PERIPH_BASE  0x40000000u
#define CIMVP_PERIPH_WINDOW 0x00001000u
#define CIMVP_UART_BASE    0x40000000u
#define CIMVP_TIMER_BASE   0x40001000u /* CLINT-style mtime/mtimecmp/msip */
#define CIMVP_INTC_BASE    0x40002000u
#define CIMVP_SIMCTRL_BASE 0x40003000u
/* Reserved for the audio front-end (issue 3). */
#define CIMVP_AUDIO_BASE   0x40004000u
#define CIMVP_DMA_BASE     0x40005000u
#define CIMVP_FBANK_BASE   0x40006000u

/* NPU register block and buffers (issue 4). */
#define CIMVP_NPU_BASE     0x50000000u
#define CIMVP_NPU_SIZE     0x00010000u

/* External interrupt sources on the interrupt controller (1..31; 0 = none). */
#define CIMVP_IRQ_UART     1u
#define CIMVP_IRQ_AUDIO    2u
#define CIMVP_IRQ_DMA      3u
#define CIMVP_IRQ_FBANK    4u
#define CIMVP_IRQ_NPU      5u
#define CIMVP_IRQ_COUNT    32u

/* DMA hardware request lines (dma_regs.h request select). */
#define CIMVP_DRQ_AUDIO    0u

/* AHB master numbers (HMASTER), also the index in bus statistics. */
#define CIMVP_MASTER_CPU_I 0u
#define CIMVP_MASTER_CPU_D 1u
#define CIMVP_MASTER_DMA   2u
#define CIMVP_MASTER_NPU   3u
#define CIMVP_MASTER_FBANK 4u

#endif

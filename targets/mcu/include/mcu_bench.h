/*
 * mcu_bench.h - markers and helpers for the f8c MCU harness (targets/mcu).
 *
 * Wrap the code to measure between MCU_REGION_BEGIN() and MCU_REGION_END().
 * Under mcu-run.sh the QEMU plugin counts the instructions executed between the
 * two calls (marker overhead removed) and prints one "region" line per pair, in
 * the order the pairs complete.  Pairs may nest (up to 16 deep).
 *
 * Outside the harness the markers are cheap no-op calls, so the same source
 * also builds for real hardware.
 */
#ifndef MCU_BENCH_H
#define MCU_BENCH_H

#ifdef __cplusplus
extern "C" {
#endif

/* Defined in mcu_startup.c; never inlined (the plugin keys on their addresses). */
void mcu_region_begin(void);
void mcu_region_end(void);

/* Prevent the compiler from optimising away a value / from moving memory
 * accesses across a marker. */
#define MCU_KEEP(x) __asm__ volatile("" : : "r"(x) : "memory")
#define MCU_BARRIER() __asm__ volatile("" : : : "memory")

#define MCU_REGION_BEGIN() do { MCU_BARRIER(); mcu_region_begin(); MCU_BARRIER(); } while (0)
#define MCU_REGION_END()   do { MCU_BARRIER(); mcu_region_end();   MCU_BARRIER(); } while (0)

/* Lowest address the stack pointer reached so far is derived by stack painting:
 * returns the peak stack use in bytes since reset (also printed at exit). */
unsigned mcu_stack_peak(void);

/* Repaints the free stack below the caller: a later mcu_stack_peak() then
 * measures what ran after this call (plus the caller's own depth). */
void mcu_stack_repaint(void);

/* Stack bytes in use at the call (subtract it from a peak to get a callee's use). */
unsigned mcu_stack_depth(void);

#ifdef __cplusplus
}
#endif
#endif

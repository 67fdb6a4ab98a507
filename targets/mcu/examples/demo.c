/*
 * demo.c - example for mcu-run.sh: an int8 x int8 -> int32 dot product with
 * shift-only requantisation, measured for several lengths N so that the
 * per-element cost (and linearity of the count) can be read off the regions.
 *
 *   targets/mcu/mcu-run.sh m4 targets/mcu/examples/demo.c
 *   targets/mcu/mcu-run.sh m0plus targets/mcu/examples/demo.c -Os
 *
 * Region k (k = 1..4) measures dot_q7() with N = 64 << (k-1); region 5 the
 * requantisation of 256 accumulators.  The program prints the checksums, which
 * are the same on every target (and on the host: cc demo.c -I../include
 * -DMCU_HOST && ./a.out).
 */
#include <stdint.h>
#include <stdio.h>
#include "mcu_bench.h"

#ifdef MCU_HOST /* plain host build: markers are no-ops */
void mcu_region_begin(void) {}
void mcu_region_end(void) {}
#endif

#define NMAX 512

static int8_t a[NMAX], b[NMAX];
static int32_t acc[256];
static int8_t outq[256];

/* deterministic pseudo-random int8 data (LCG) */
static uint32_t seed = 12345u;
static int8_t rnd8(void)
{
    seed = seed * 1103515245u + 12345u;
    return (int8_t)(seed >> 24);
}

__attribute__((noinline)) int32_t dot_q7(const int8_t *x, const int8_t *y, int n)
{
    int32_t s = 0;
    for (int i = 0; i < n; i++) s += (int32_t)x[i] * (int32_t)y[i];
    return s;
}

/* shift-only requantisation: round-half-up right shift, then saturate to int8 */
__attribute__((noinline)) void requant_shift(const int32_t *in, int8_t *out, int n, int shift)
{
    const int32_t round = 1 << (shift - 1);
    for (int i = 0; i < n; i++) {
        int32_t v = (in[i] + round) >> shift;
        if (v > 127) v = 127;
        if (v < -128) v = -128;
        out[i] = (int8_t)v;
    }
}

int main(void)
{
    for (int i = 0; i < NMAX; i++) { a[i] = rnd8(); b[i] = rnd8(); }

    int32_t r[4];
    for (int k = 0; k < 4; k++) {
        int n = 64 << k;
        MCU_REGION_BEGIN();
        r[k] = dot_q7(a, b, n);
        MCU_REGION_END();
    }
    for (int k = 0; k < 4; k++) printf("dot_q7 N=%d -> %ld\n", 64 << k, (long)r[k]);

    for (int i = 0; i < 256; i++) acc[i] = dot_q7(a + (i & 255), b, 256);
    MCU_REGION_BEGIN();
    requant_shift(acc, outq, 256, 10);
    MCU_REGION_END();

    uint32_t h = 2166136261u; /* FNV-1a of the requantised output */
    for (int i = 0; i < 256; i++) { h ^= (uint8_t)outq[i]; h *= 16777619u; }
    printf("requant checksum %08lx\n", (unsigned long)h);
    printf("stack peak so far: %u bytes\n", mcu_stack_peak());
    return 0;
}

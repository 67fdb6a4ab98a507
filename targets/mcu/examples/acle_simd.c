/*
 * acle_simd.c - checks ACLE DSP/SIMD intrinsics (arm_acle.h) against portable C
 * reference implementations, and compares a plain-C int8 dot product with a
 * CMSIS-NN-style one (__sxtb16 + __smlad, 4 int8 MACs per 32-bit load pair).
 *
 *   targets/mcu/mcu-run.sh m4  targets/mcu/examples/acle_simd.c     (also m7, m33, m55)
 *
 * Exit status 0 = all intrinsic checks passed.  Needs __ARM_FEATURE_DSP
 * (Cortex-M4/M7/M33/M55); on M0+/M3 it only runs the plain-C kernel.
 * Note: GCC 12 (Debian bookworm) arm_acle.h lacks __ror/__clz/__rev; GCC 13+ has them.
 * Region 1 = plain C dot product (N=256), region 2 = SIMD dot product (N=256).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "mcu_bench.h"
#if defined(__ARM_FEATURE_DSP) || defined(__ARM_FEATURE_SAT)
#include <arm_acle.h>
#endif

/* GCC 12's arm_acle.h has no __ror/__clz/__rev (GCC 13 added them): use plain C,
 * which GCC turns into ROR (and folds into SXTB16's rotate operand). */
static inline uint32_t ror32(uint32_t x, unsigned r) { r &= 31u; return r ? (x >> r) | (x << (32u - r)) : x; }

static int fails;
static uint32_t seed = 1u;
static uint32_t rnd32(void)
{
    seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; /* xorshift32 */
    return seed;
}
#ifdef __ARM_FEATURE_DSP /* the checks and reference models are needed only then */
/* mix in edge values (0x80, 0x7f, 0xff, 0x00 bytes / halves) often */
static uint32_t rnd_edge(void)
{
    static const uint32_t edge[] = { 0x80808080u, 0x7f7f7f7fu, 0xffffffffu, 0x00000000u, 0x80007fffu,
                                     0x7fff8000u, 0x8000000u, 0x7fffffffu, 0x80000000u, 0x01ff80ffu };
    uint32_t r = rnd32();
    if ((r & 7u) == 0) return edge[(r >> 3) % (sizeof edge / sizeof edge[0])];
    return rnd32();
}

static int checks;
static void check(const char *name, uint64_t got, uint64_t want, uint32_t x, uint32_t y)
{
    checks++;
    if (got != want) {
        if (fails < 20)
            printf("FAIL %s(x=%08lx, y=%08lx): got %llx want %llx\n", name, (unsigned long)x, (unsigned long)y,
                   (unsigned long long)got, (unsigned long long)want);
        fails++;
    }
}

/* ---------------------------------------------------------------- reference models */
static int16_t lo16(uint32_t v) { return (int16_t)(v & 0xffffu); }
static int16_t hi16(uint32_t v) { return (int16_t)(v >> 16); }
static int8_t byte(uint32_t v, int i) { return (int8_t)((v >> (8 * i)) & 0xffu); }
static uint32_t pack16(int32_t lo, int32_t hi) { return ((uint32_t)lo & 0xffffu) | ((uint32_t)hi << 16); }
static int32_t sat(int64_t v, int bits)
{
    int64_t mx = ((int64_t)1 << (bits - 1)) - 1, mn = -((int64_t)1 << (bits - 1));
    return (int32_t)(v > mx ? mx : v < mn ? mn : v);
}
static uint32_t usat_ref(int64_t v, int bits)
{
    int64_t mx = ((int64_t)1 << bits) - 1;
    return (uint32_t)(v > mx ? mx : v < 0 ? 0 : v);
}
static uint32_t ref_sxtb16(uint32_t x) { return pack16(byte(x, 0), byte(x, 2)); }
static uint32_t ref_uxtb16(uint32_t x) { return x & 0x00ff00ffu; }
static uint32_t ref_sxtab16(uint32_t a, uint32_t x) { return pack16(lo16(a) + byte(x, 0), hi16(a) + byte(x, 2)); }
static int32_t ref_smuad(uint32_t x, uint32_t y) { return (int32_t)((uint32_t)(lo16(x) * lo16(y)) + (uint32_t)(hi16(x) * hi16(y))); }
static int32_t ref_smlad(uint32_t x, uint32_t y, int32_t a)
{
    return (int32_t)((uint32_t)a + (uint32_t)(lo16(x) * lo16(y)) + (uint32_t)(hi16(x) * hi16(y)));
}
static int32_t ref_smladx(uint32_t x, uint32_t y, int32_t a)
{
    return (int32_t)((uint32_t)a + (uint32_t)(lo16(x) * hi16(y)) + (uint32_t)(hi16(x) * lo16(y)));
}
static int32_t ref_smlsd(uint32_t x, uint32_t y, int32_t a)
{
    return (int32_t)((uint32_t)a + (uint32_t)(lo16(x) * lo16(y)) - (uint32_t)(hi16(x) * hi16(y)));
}
static int64_t ref_smlald(uint32_t x, uint32_t y, int64_t a)
{
    return a + (int64_t)lo16(x) * lo16(y) + (int64_t)hi16(x) * hi16(y);
}
static int32_t ref_smlabb(uint32_t x, uint32_t y, int32_t a) { return (int32_t)((uint32_t)a + (uint32_t)(lo16(x) * lo16(y))); }
static int32_t ref_smlatt(uint32_t x, uint32_t y, int32_t a) { return (int32_t)((uint32_t)a + (uint32_t)(hi16(x) * hi16(y))); }
static uint32_t ref_qadd8(uint32_t x, uint32_t y)
{
    uint32_t r = 0;
    for (int i = 0; i < 4; i++) r |= ((uint32_t)sat(byte(x, i) + byte(y, i), 8) & 0xffu) << (8 * i);
    return r;
}
static uint32_t ref_qsub8(uint32_t x, uint32_t y)
{
    uint32_t r = 0;
    for (int i = 0; i < 4; i++) r |= ((uint32_t)sat(byte(x, i) - byte(y, i), 8) & 0xffu) << (8 * i);
    return r;
}
static uint32_t ref_sadd16(uint32_t x, uint32_t y) { return pack16(lo16(x) + lo16(y), hi16(x) + hi16(y)); }
static uint32_t ref_qadd16(uint32_t x, uint32_t y) { return pack16(sat(lo16(x) + lo16(y), 16), sat(hi16(x) + hi16(y), 16)); }
static uint32_t ref_usad8(uint32_t x, uint32_t y)
{
    uint32_t s = 0;
    for (int i = 0; i < 4; i++) {
        int d = (int)((x >> (8 * i)) & 0xffu) - (int)((y >> (8 * i)) & 0xffu);
        s += (uint32_t)(d < 0 ? -d : d);
    }
    return s;
}
#endif /* __ARM_FEATURE_DSP */

/* ---------------------------------------------------------------- kernels */
#define N 256
static int8_t va[N], vb[N];

__attribute__((noinline)) int32_t dot_plain(const int8_t *x, const int8_t *y, int n)
{
    int32_t s = 0;
    for (int i = 0; i < n; i++) s += (int32_t)x[i] * y[i];
    return s;
}

#ifdef __ARM_FEATURE_DSP
static inline uint32_t ld32(const int8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

/* CMSIS-NN style: 4 int8 per word; bytes (0,2) and (1,3) sign-extended into 16-bit
 * pairs with SXTB16 (one of them via ROR #8); two SMLADs = 4 MACs. n % 4 == 0. */
__attribute__((noinline)) int32_t dot_simd(const int8_t *x, const int8_t *y, int n)
{
    int32_t s = 0;
    for (int i = 0; i < n; i += 4) {
        uint32_t wx = ld32(x + i), wy = ld32(y + i);
        int16x2_t x02 = __sxtb16(wx), x13 = __sxtb16(ror32(wx, 8));
        int16x2_t y02 = __sxtb16(wy), y13 = __sxtb16(ror32(wy, 8));
        s = __smlad(x02, y02, s);
        s = __smlad(x13, y13, s);
    }
    return s;
}
#endif

int main(void)
{
#ifdef __ARM_FEATURE_DSP
    for (int it = 0; it < 2000; it++) {
        uint32_t x = rnd_edge(), y = rnd_edge(), z = rnd_edge();
        int32_t acc = (int32_t)z;
        int64_t acc64 = ((int64_t)(int32_t)rnd32() << 20) ^ z;
        check("__sxtb16", (uint32_t)__sxtb16(x), ref_sxtb16(x), x, 0);
        check("__uxtb16", (uint32_t)__uxtb16(x), ref_uxtb16(x), x, 0);
        check("__sxtab16", (uint32_t)__sxtab16(y, x), ref_sxtab16(y, x), y, x);
        check("__sxtb16(ror8)", (uint32_t)__sxtb16(ror32(x, 8)), ref_sxtb16((x >> 8) | (x << 24)), x, 0);
        check("__smuad", (uint32_t)__smuad(x, y), (uint32_t)ref_smuad(x, y), x, y);
        check("__smlad", (uint32_t)__smlad(x, y, acc), (uint32_t)ref_smlad(x, y, acc), x, y);
        check("__smladx", (uint32_t)__smladx(x, y, acc), (uint32_t)ref_smladx(x, y, acc), x, y);
        check("__smlsd", (uint32_t)__smlsd(x, y, acc), (uint32_t)ref_smlsd(x, y, acc), x, y);
        check("__smlald", (uint64_t)__smlald(x, y, acc64), (uint64_t)ref_smlald(x, y, acc64), x, y);
        check("__smlabb", (uint32_t)__smlabb(x, y, acc), (uint32_t)ref_smlabb(x, y, acc), x, y);
        check("__smlatt", (uint32_t)__smlatt(x, y, acc), (uint32_t)ref_smlatt(x, y, acc), x, y);
        check("__qadd8", (uint32_t)__qadd8(x, y), ref_qadd8(x, y), x, y);
        check("__qsub8", (uint32_t)__qsub8(x, y), ref_qsub8(x, y), x, y);
        check("__sadd16", (uint32_t)__sadd16(x, y), ref_sadd16(x, y), x, y);
        check("__qadd16", (uint32_t)__qadd16(x, y), ref_qadd16(x, y), x, y);
        check("__usad8", __usad8(x, y), ref_usad8(x, y), x, y);
        check("__qadd", (uint32_t)__qadd((int32_t)x, (int32_t)y), (uint32_t)sat((int64_t)(int32_t)x + (int32_t)y, 32), x, y);
        check("__qsub", (uint32_t)__qsub((int32_t)x, (int32_t)y), (uint32_t)sat((int64_t)(int32_t)x - (int32_t)y, 32), x, y);
        int32_t sx = (int32_t)x >> (x & 15u); /* spread magnitudes */
        check("__ssat(,8)", (uint32_t)__ssat(sx, 8), (uint32_t)sat(sx, 8), (uint32_t)sx, 0);
        check("__ssat(,16)", (uint32_t)__ssat(sx, 16), (uint32_t)sat(sx, 16), (uint32_t)sx, 0);
        check("__usat(,8)", __usat(sx, 8), usat_ref(sx, 8), (uint32_t)sx, 0);
    }
    printf("ACLE intrinsic checks: %d run, %d failed\n", checks, fails);
#else
    printf("no __ARM_FEATURE_DSP on this core: intrinsic checks skipped\n");
#endif

    for (int i = 0; i < N; i++) { va[i] = (int8_t)rnd32(); vb[i] = (int8_t)rnd32(); }
    va[0] = -128; vb[0] = -128; va[1] = 127; vb[1] = -128;

    int32_t r1, r2 = 0;
    MCU_REGION_BEGIN();
    r1 = dot_plain(va, vb, N);
    MCU_REGION_END();
#ifdef __ARM_FEATURE_DSP
    MCU_REGION_BEGIN();
    r2 = dot_simd(va, vb, N);
    MCU_REGION_END();
    printf("dot plain=%ld simd=%ld %s\n", (long)r1, (long)r2, r1 == r2 ? "match" : "MISMATCH");
    if (r1 != r2) fails++;
#else
    printf("dot plain=%ld\n", (long)r1);
    (void)r2;
#endif
    return fails ? 1 : 0;
}

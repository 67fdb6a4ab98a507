/*
 * f8_arm.h - helpers of the Arm-optimised kernels (runtime-c/arm/).
 *
 * The Arm kernels define the same functions as the portable ones
 * (f8_conv2d_s8, f8_dense_u8, ...) with the same parameter structs, the
 * same weight layouts and the same results, bit for bit. They pick their
 * inner loops by ACLE feature macros:
 *
 *   __ARM_FEATURE_MVE   Helium (Cortex-M55): vector dot products (VMLADAVA)
 *   __ARM_FEATURE_DSP   Armv7E-M DSP (M4/M7/M33): SXTB16 + SMLAD dual MACs
 *   neither             the same algorithms in plain C99 (M0+/M3, host tests)
 *
 * The plain-C versions of the intrinsics below compute what the
 * instructions compute (sums modulo 2^32), so every path gives the same
 * bytes; the host tests run the plain-C path, the QEMU tests the others.
 * Scratch sizes do not depend on the path either.
 */
#ifndef F8_ARM_H
#define F8_ARM_H

#include <string.h>
#include "f8_internal.h"

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#include <arm_mve.h>
#define F8A_MVE 1
#endif
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#define F8A_DSP 1
#endif

/* 4 bytes from any address (memcpy: no alignment or aliasing assumption; GCC emits one LDR). */
F8_INLINE uint32_t f8a_ld32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

F8_INLINE void f8a_st32(void *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

/* Rotate right by 8 (GCC folds it into SXTB16's rotate operand). */
F8_INLINE uint32_t f8a_ror8(uint32_t x)
{
    return (x >> 8) | (x << 24);
}

F8_INLINE uint32_t f8a_pack16(int32_t lo, int32_t hi)
{
    return ((uint32_t)lo & 0xffffu) | (((uint32_t)hi & 0xffffu) << 16);
}

#ifdef F8A_DSP
/* bytes 0 and 2 sign-extended to the two halves */
F8_INLINE uint32_t f8a_sxtb16(uint32_t x)
{
    return (uint32_t)__sxtb16(x);
}
/* bytes 0 and 2 zero-extended to the two halves */
F8_INLINE uint32_t f8a_uxtb16(uint32_t x)
{
    return (uint32_t)__uxtb16(x);
}
/* acc + lo(a) * lo(b) + hi(a) * hi(b), modulo 2^32 */
F8_INLINE int32_t f8a_smlad(uint32_t a, uint32_t b, int32_t acc)
{
    return __smlad(a, b, acc);
}
#else
F8_INLINE int32_t f8a_lo16(uint32_t v)
{
    return (int32_t)(v & 0xffffu) - (int32_t)((v & 0x8000u) << 1);
}
F8_INLINE int32_t f8a_hi16(uint32_t v)
{
    return f8a_lo16(v >> 16);
}
F8_INLINE uint32_t f8a_sxtb16(uint32_t x)
{
    return f8a_pack16((int32_t)(int8_t)(uint8_t)(x & 0xffu), (int32_t)(int8_t)(uint8_t)((x >> 16) & 0xffu));
}
F8_INLINE uint32_t f8a_uxtb16(uint32_t x)
{
    return x & 0x00ff00ffu;
}
F8_INLINE int32_t f8a_smlad(uint32_t a, uint32_t b, int32_t acc)
{
    uint32_t s = (uint32_t)acc + (uint32_t)(f8a_lo16(a) * f8a_lo16(b)) + (uint32_t)(f8a_hi16(a) * f8a_hi16(b));
    return f8_i32_from_u32(s);
}
#endif

/*
 * f8_requant, equal to it for every argument, with the right shift written
 * branch-light: floor(x / 2^n) plus bit n-1 of x is round-half-up; a tie
 * (the low n bits exactly 10...0) is then moved down where the mode says.
 */
F8_INLINE int32_t f8a_requant(int32_t x, int32_t n, f8_rounding mode, int32_t lo, int32_t hi)
{
    int32_t q;
    if (n <= 0) {
        return f8_requant(x, (int)n, mode, lo, hi);
    }
    q = (x >> n) + ((x >> (n - 1)) & 1);
    if (mode != F8_ROUND_HALF_UP && ((uint32_t)x << (32 - n)) == 0x80000000u) {
        if (mode == F8_ROUND_HALF_EVEN ? (q & 1) != 0 : x < 0) {
            q -= 1;
        }
    }
    return q < lo ? lo : (q > hi ? hi : q);
}

/* Requantises acc (without bias) of output channel c and returns the byte. */
F8_INLINE uint8_t f8a_out(uint32_t acc, const int32_t *bias, const int8_t *shifts, int32_t shift, int32_t c,
                          f8_rounding mode, int32_t lo, int32_t hi)
{
    if (bias != NULL) {
        acc += (uint32_t)bias[c];
    }
    return f8_byte(f8a_requant(f8_i32_from_u32(acc), shifts != NULL ? (int32_t)shifts[c] : shift, mode, lo, hi));
}

#ifdef F8A_MVE
/*
 * acc[r] = x . w[r * K ...] over K int8 taps for rows r < nr (nr 1..4):
 * 16 MACs per VMLADAVA, the last partial vector predicated (VCTP).
 */
F8_INLINE void f8a_mve_dot4(const int8_t *x, const int8_t *w, int32_t K, int32_t nr, int32_t acc[4])
{
    const int8_t *w0 = w, *w1 = w + (nr > 1 ? K : 0), *w2 = w + (nr > 2 ? 2 * K : 0), *w3 = w + (nr > 3 ? 3 * K : 0);
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, k = 0;
    for (; k + 16 <= K; k += 16) {
        int8x16_t xv = vldrbq_s8(x + k);
        a0 = vmladavaq_s8(a0, xv, vldrbq_s8(w0 + k));
        a1 = vmladavaq_s8(a1, xv, vldrbq_s8(w1 + k));
        a2 = vmladavaq_s8(a2, xv, vldrbq_s8(w2 + k));
        a3 = vmladavaq_s8(a3, xv, vldrbq_s8(w3 + k));
    }
    if (k < K) {
        mve_pred16_t pr = vctp8q((uint32_t)(K - k));
        int8x16_t xv = vldrbq_z_s8(x + k, pr);
        a0 = vmladavaq_p_s8(a0, xv, vldrbq_z_s8(w0 + k, pr), pr);
        a1 = vmladavaq_p_s8(a1, xv, vldrbq_z_s8(w1 + k, pr), pr);
        a2 = vmladavaq_p_s8(a2, xv, vldrbq_z_s8(w2 + k, pr), pr);
        a3 = vmladavaq_p_s8(a3, xv, vldrbq_z_s8(w3 + k, pr), pr);
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}
#endif

#ifdef F8A_MVE
/* groups == 1 convolution on Helium (f8_conv2d_mve.c); fast: the folded-bias shift is exact (fast_ok). */
void f8a_conv_gemm_mve(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, uint8_t *scratch, int fast);
#endif

/* Depthwise convolution (f8_dwconv_arm.c): groups == in_c == out_c > 1. */
F8_INLINE int f8a_is_depthwise(const f8_conv2d_params *p)
{
    return p->groups > 1 && p->groups == p->in_c && p->out_c == p->in_c;
}
uint32_t f8a_dwconv_scratch(const f8_conv2d_params *p);
void f8a_dwconv(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, uint8_t *scratch);

#endif /* F8_ARM_H */

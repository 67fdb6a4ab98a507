/*
 * f8_tfl.h - TFLite's integer arithmetic for f8c's affine path, in C99.
 *
 * Mirrors src/arith/tflite.ts operation for operation:
 *
 *   tflite.ts            C
 *   srdhm                f8_tfl_srdhm     SaturatingRoundingDoublingHighMul
 *   roundingDivideByPOT  f8_tfl_rdbpot    RoundingDivideByPOT
 *   mbqmDouble           f8_tfl_mbqm(x, m, shift, 0)   double rounding (TFLite Micro default)
 *   mbqmSingle           f8_tfl_mbqm(x, m, shift, 1)   single rounding
 *
 * The rounding variant is a run-time argument recorded per model (the
 * model's affine_rounding), never a build flag.
 *
 * The 64-bit product: a plain int64_t product everywhere. On Armv6-M
 * (Cortex-M0/M0+, no SMULL) that is a call of the compiler's __aeabi_lmul,
 * which measured faster than building the product from four 16x16->32
 * products (scripts/bench-tflite-m0.ts: 129 vs 134 est. cycles per
 * requantisation, double rounding; 134 vs 145 single); both are exact.
 * F8_TFL_MUL_HALVES=1 selects the halves (tests compare both with the
 * TypeScript reference).
 *
 * No undefined behaviour: no signed overflow (x * 2^left is formed in
 * uint32_t, as the int32 product wraps in practice), no shift of a negative
 * value to the left, no shift by 64 or more; right shifts of negative values
 * are arithmetic (checked in f8_arith.h).
 */
#ifndef F8_TFL_H
#define F8_TFL_H

#include <stdint.h>
#include "f8_arith.h"
#include "f8_kernels.h"

#ifndef F8_TFL_MUL_HALVES
#define F8_TFL_MUL_HALVES 0
#endif

/* a * b as int64_t, exact. */
F8_INLINE int64_t f8_tfl_mul64(int32_t a, int32_t b)
{
#if F8_TFL_MUL_HALVES
    uint32_t ua = a < 0 ? 0u - (uint32_t)a : (uint32_t)a;
    uint32_t ub = b < 0 ? 0u - (uint32_t)b : (uint32_t)b;
    uint32_t al = ua & 0xFFFFu, ah = ua >> 16, bl = ub & 0xFFFFu, bh = ub >> 16;
    uint32_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint32_t mid = (ll >> 16) + (lh & 0xFFFFu) + (hl & 0xFFFFu);
    uint32_t lo = (ll & 0xFFFFu) | (mid << 16);
    uint32_t hi = hh + (lh >> 16) + (hl >> 16) + (mid >> 16);
    uint64_t p = ((uint64_t)hi << 32) | lo; /* |a*b| <= 2^62 */
    return ((a < 0) != (b < 0)) ? -(int64_t)p : (int64_t)p;
#else
    return (int64_t)a * (int64_t)b;
#endif
}

/* round(a * b / 2^31): nudge by +-2^30, then C division (toward zero). */
F8_INLINE int32_t f8_tfl_srdhm(int32_t a, int32_t b)
{
    int64_t ab, nudge, q;
    if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
    ab = f8_tfl_mul64(a, b);
    nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
    /* (ab + nudge) / 2^31 truncating toward zero, without a 64-bit division call. */
    q = ab + nudge;
    if (q >= 0) return (int32_t)(q >> 31);
    return (int32_t)(-((-q) >> 31));
}

/* x / 2^e (e in 0..31), ties away from zero. */
F8_INLINE int32_t f8_tfl_rdbpot(int32_t x, int e)
{
    uint32_t mask = e >= 31 ? 0x7FFFFFFFu : (((uint32_t)1 << e) - 1u);
    uint32_t rem = (uint32_t)x & mask;
    uint32_t thr = (mask >> 1) + (x < 0 ? 1u : 0u);
    return (x >> e) + (rem > thr ? 1 : 0);
}

/* MultiplyByQuantizedMultiplier: double rounding (single == 0) or single rounding. */
F8_INLINE int32_t f8_tfl_mbqm(int32_t x, int32_t m, int shift, int single)
{
    if (!single) {
        int left = shift > 0 ? shift : 0;
        int right = shift > 0 ? 0 : -shift;
        int32_t xs = left ? f8_i32_from_u32((uint32_t)x << left) : x;
        return f8_tfl_rdbpot(f8_tfl_srdhm(xs, m), right);
    } else {
        int total = 31 - shift; /* 1..62 */
        int64_t r = f8_tfl_mul64(x, m) + ((int64_t)1 << (total - 1));
        r = r >> total; /* arithmetic shift of int64_t (checked below) */
        if (r > INT32_MAX) return INT32_MAX;
        if (r < INT32_MIN) return INT32_MIN;
        return (int32_t)r;
    }
}

/* A requantised value v to the output byte: + out_zp, clamped to [lo, hi] (|v| may reach INT32_MAX: clamped first). */
F8_INLINE uint8_t f8_tfl_byte(int32_t v, int32_t zp, int32_t lo, int32_t hi)
{
    v = f8_sat(v, -256, 255) + zp;
    return (uint8_t)f8_sat(v, lo, hi);
}

/* Argument checks shared by the affine kernels (portable and arm): the exponents the variant supports, m >= 0. */
F8_INLINE int f8_tfl_mults_ok(const int32_t *mult, const int8_t *shift, int32_t count, int32_t single)
{
    int32_t i;
    for (i = 0; i < count; i++) {
        if (mult[i] < 0 || shift[i] < -31 || shift[i] > (single ? 30 : 31)) {
            return 0;
        }
    }
    return 1;
}

/* out_zp, the rounding variant and the output bounds. */
F8_INLINE int f8_tfl_out_ok(int32_t zp, int32_t single, int32_t lo, int32_t hi)
{
    return zp >= -128 && zp <= 127 && (single == 0 || single == 1) && lo >= -128 && hi <= 127 && lo <= hi;
}

/*
 * The affine arguments of f8_tfl_conv2d_s8 (pointers, zero points, bounds,
 * multipliers), shared by the portable and the arm kernels; the geometry is
 * checked by each kernel's conv2d engine.
 */
F8_INLINE f8_status f8_tfl_conv_affine_check(const f8_tfl_conv2d_params *p, const void *in, const void *out)
{
    if (p == NULL || in == NULL || out == NULL || p->weight == NULL || p->mult == NULL || p->shift == NULL) {
        return F8_ERR_NULL;
    }
    if ((p->per_channel != 0 && p->per_channel != 1) || p->in_zp < -128 || p->in_zp > 127 || p->out_c < 1 ||
        !f8_tfl_out_ok(p->out_zp, p->single_rounding, p->out_lo, p->out_hi) ||
        !f8_tfl_mults_ok(p->mult, p->shift, p->per_channel ? p->out_c : 1, p->single_rounding)) {
        return F8_ERR_ARG;
    }
    return F8_OK;
}

/* Every argument of f8_tfl_dense_s8, shared by the portable and the arm kernels. */
F8_INLINE f8_status f8_tfl_dense_check(const f8_tfl_dense_params *p, const void *in, const void *out)
{
    if (p == NULL || in == NULL || out == NULL || p->weight == NULL || p->mult == NULL || p->shift == NULL) {
        return F8_ERR_NULL;
    }
    if (p->in_features < 1 || p->out_features < 1 || (p->per_channel != 0 && p->per_channel != 1) ||
        !f8_tfl_out_ok(p->out_zp, p->single_rounding, p->out_lo, p->out_hi) ||
        !f8_tfl_mults_ok(p->mult, p->shift, p->per_channel ? p->out_features : 1, p->single_rounding)) {
        return F8_ERR_ARG;
    }
    return F8_OK;
}

typedef char f8_check_arithmetic_right_shift64[((int64_t)-7 >> 1) == (int64_t)-4 ? 1 : -1];

#endif /* F8_TFL_H */

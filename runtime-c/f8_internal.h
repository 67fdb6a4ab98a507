/*
 * f8_internal.h - small helpers shared by the kernel sources (not part of
 * the public API; included only by the kernel sources f8_<op>.c).
 */
#ifndef F8_INTERNAL_H
#define F8_INTERNAL_H

#include "f8_kernels.h"

/* A rescale shift the runtime supports: -31..31. */
F8_INLINE int f8_shift_ok(int32_t n)
{
    return n >= -31 && n <= 31;
}

/* Output bounds that fit one byte of either signedness, lo <= hi. */
F8_INLINE int f8_bounds_ok(int32_t lo, int32_t hi)
{
    return lo >= -128 && hi <= 255 && lo <= hi;
}

F8_INLINE int f8_rounding_ok(f8_rounding r)
{
    return r == F8_ROUND_HALF_EVEN || r == F8_ROUND_HALF_UP || r == F8_ROUND_HALF_AWAY;
}

/* Every per-channel shift (if any) and the single shift are in range. */
F8_INLINE int f8_shifts_ok(const int8_t *shifts, int32_t count, int32_t shift)
{
    int32_t i;
    if (shifts == NULL) {
        return f8_shift_ok(shift);
    }
    for (i = 0; i < count; i++) {
        if (!f8_shift_ok(shifts[i])) {
            return 0;
        }
    }
    return 1;
}

/* Stores a result already clamped to a byte range (two's complement for negatives). */
F8_INLINE uint8_t f8_byte(int32_t v)
{
    return (uint8_t)v;
}

/*
 * sum x[i] * w[i] modulo 2^32. Each product fits int32 (|x * w| <= 255 * 128
 * < 2^15), so four of them summed in int32 cannot overflow (< 2^17); the
 * running sum is kept in uint32_t, which wraps by definition. Unrolled by 4
 * with pointer walks: on cores without DSP (Cortex-M0+/M3) this is the
 * inner loop of conv2d and dense.
 */
F8_INLINE uint32_t f8_dot_s8(const int8_t *x, const int8_t *w, int32_t n)
{
    uint32_t acc = 0u;
    for (; n >= 4; n -= 4) {
        int32_t s = (int32_t)x[0] * w[0] + (int32_t)x[1] * w[1] + (int32_t)x[2] * w[2] + (int32_t)x[3] * w[3];
        acc += (uint32_t)s;
        x += 4;
        w += 4;
    }
    for (; n > 0; n--) {
        acc += (uint32_t)((int32_t)*x++ * (int32_t)*w++);
    }
    return acc;
}

F8_INLINE uint32_t f8_dot_u8(const uint8_t *x, const int8_t *w, int32_t n)
{
    uint32_t acc = 0u;
    for (; n >= 4; n -= 4) {
        int32_t s = (int32_t)x[0] * w[0] + (int32_t)x[1] * w[1] + (int32_t)x[2] * w[2] + (int32_t)x[3] * w[3];
        acc += (uint32_t)s;
        x += 4;
        w += 4;
    }
    for (; n > 0; n--) {
        acc += (uint32_t)((int32_t)*x++ * (int32_t)*w++);
    }
    return acc;
}

/*
 * sum x[i * x_step] * w[i] modulo 2^32: the taps of one depthwise channel
 * along a kernel row (x_step = dilation * channels).
 */
F8_INLINE uint32_t f8_dot_s8_strided(const int8_t *x, int32_t x_step, const int8_t *w, int32_t n)
{
    uint32_t acc = 0u;
    int32_t i;
    for (i = 0; i < n; i++) {
        acc += (uint32_t)((int32_t)x[i * x_step] * (int32_t)w[i]);
    }
    return acc;
}

F8_INLINE uint32_t f8_dot_u8_strided(const uint8_t *x, int32_t x_step, const int8_t *w, int32_t n)
{
    uint32_t acc = 0u;
    int32_t i;
    for (i = 0; i < n; i++) {
        acc += (uint32_t)((int32_t)x[i * x_step] * (int32_t)w[i]);
    }
    return acc;
}

/*
 * A read-only activation of either signedness: exactly one pointer is set.
 * The _s8 and _u8 entry points of a kernel wrap their input in one and share
 * the loop; the test is loop-invariant (compilers hoist it).
 */
typedef struct {
    const int8_t *s8;
    const uint8_t *u8;
} f8_act_in;

F8_INLINE f8_act_in f8_in_s8(const int8_t *p)
{
    f8_act_in a;
    a.s8 = p;
    a.u8 = NULL;
    return a;
}

F8_INLINE f8_act_in f8_in_u8(const uint8_t *p)
{
    f8_act_in a;
    a.s8 = NULL;
    a.u8 = p;
    return a;
}

F8_INLINE int f8_in_null(f8_act_in a)
{
    return a.s8 == NULL && a.u8 == NULL;
}

/* Element i of the activation. */
F8_INLINE int32_t f8_load(f8_act_in a, int32_t i)
{
    return a.s8 != NULL ? (int32_t)a.s8[i] : (int32_t)a.u8[i];
}

#endif /* F8_INTERNAL_H */

/*
 * f8_arith.h - the integer arithmetic of f8c, in C99.
 *
 * Every function mirrors one function of the compiler's reference
 * arithmetic (src/arith/fixed.ts), operation for operation, so that the
 * kernels compute bit for bit what the compiler's interpreter computes:
 *
 *   fixed.ts          C
 *   wrapI32           f8_i32_from_u32   (accumulate in uint32_t, convert once)
 *   saturate          f8_sat
 *   roundShift        f8_round_shift
 *   shiftLeftSat      f8_shl_sat
 *   requant           f8_requant
 *   divRound          f8_div_round
 *   pocketSigmoid     f8_pocket_sigmoid
 *   pocketTanh        f8_pocket_tanh
 *
 * No undefined behaviour: no left shift of a negative value, no signed
 * overflow, no shift by 32 or more. The one implementation-defined
 * operation used, right shift of a negative int32_t, is checked to be
 * arithmetic at compile time (below).
 */
#ifndef F8_ARITH_H
#define F8_ARITH_H

#include <stdint.h>

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L
#define F8_INLINE static inline
#else
#define F8_INLINE static
#endif

/*
 * Compile-time check: >> of a negative int32_t must shift in sign bits
 * (floor division by 2^n). Every compiler f8c targets does this; a compiler
 * that does not fails here with a negative array size.
 */
typedef char f8_check_arithmetic_right_shift[((int32_t)-7 >> 1) == (int32_t)-4 ? 1 : -1];

/* How a rescale rounds ties (the layer's "rounding" in the model file). */
typedef enum {
    F8_ROUND_HALF_EVEN = 0, /* ties to the even neighbour (default) */
    F8_ROUND_HALF_UP = 1,   /* ties toward +infinity */
    F8_ROUND_HALF_AWAY = 2  /* ties away from zero */
} f8_rounding;

/* The int32_t that is congruent to u modulo 2^32 (two's complement wrap). */
F8_INLINE int32_t f8_i32_from_u32(uint32_t u)
{
    if (u <= (uint32_t)INT32_MAX) {
        return (int32_t)u;
    }
    /* u >= 2^31: u - 2^32 = -(2^32 - 1 - u) - 1, and ~u = 2^32 - 1 - u < 2^31. */
    return -(int32_t)(~u) - 1;
}

/* x clamped to [lo, hi]. */
F8_INLINE int32_t f8_sat(int32_t x, int32_t lo, int32_t hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

/* Decides a tie (remainder exactly half) in the given mode. */
F8_INLINE int f8_round_tie_up(int negative, int floor_is_odd, f8_rounding mode)
{
    if (mode == F8_ROUND_HALF_UP) {
        return 1;
    }
    if (mode == F8_ROUND_HALF_AWAY) {
        return !negative;
    }
    return floor_is_odd;
}

/*
 * x / 2^n rounded to an integer in `mode`, n in 0..31.
 * floor = x >> n (arithmetic), remainder = x & (2^n - 1) in [0, 2^n);
 * round up when the remainder is above half, or on a tie as the mode says.
 * floor + 1 cannot overflow: for n >= 1, floor <= INT32_MAX / 2.
 */
F8_INLINE int32_t f8_round_shift(int32_t x, int n, f8_rounding mode)
{
    uint32_t mask;
    uint32_t rem;
    uint32_t half;
    int32_t floor_q;
    int up;

    if (n <= 0) {
        return x;
    }
    mask = ((uint32_t)1 << n) - 1u;
    half = (uint32_t)1 << (n - 1);
    floor_q = x >> n;
    rem = (uint32_t)x & mask;
    if (rem != half) {
        up = rem > half;
    } else {
        up = f8_round_tie_up(x < 0, (int)((uint32_t)floor_q & 1u), mode);
    }
    return up ? floor_q + 1 : floor_q;
}

/*
 * x * 2^s saturated to [lo, hi], s in 0..31, without forming an
 * out-of-range product: x * 2^s > hi  <=>  x > floor(hi / 2^s), and
 * x * 2^s < lo  <=>  x < ceil(lo / 2^s). In range, the product fits int32.
 */
F8_INLINE int32_t f8_shl_sat(int32_t x, int s, int32_t lo, int32_t hi)
{
    uint32_t mask = ((uint32_t)1 << s) - 1u;
    int32_t hi_floor = hi >> s;
    int32_t lo_ceil = (lo >> s) + (((uint32_t)lo & mask) != 0u ? 1 : 0);

    if (x > hi_floor) {
        return hi;
    }
    if (x < lo_ceil) {
        return lo;
    }
    return f8_i32_from_u32((uint32_t)x << s);
}

/*
 * The rescale of every op: x at FL_in to FL_out with n = FL_in - FL_out in
 * -31..31. n > 0: rounding right shift; n < 0: saturating left shift;
 * the result is clamped to [lo, hi].
 */
F8_INLINE int32_t f8_requant(int32_t x, int n, f8_rounding mode, int32_t lo, int32_t hi)
{
    if (n >= 0) {
        return f8_sat(f8_round_shift(x, n, mode), lo, hi);
    }
    return f8_shl_sat(x, -n, lo, hi);
}

/*
 * num / den (den > 0) rounded in `mode`. C division truncates toward zero,
 * so the quotient is first moved to the floor (remainder in [0, den)), then
 * the remainder is compared with the distance to the next multiple.
 */
F8_INLINE int32_t f8_div_round(int32_t num, int32_t den, f8_rounding mode)
{
    int32_t q = num / den;
    int32_t r = num - q * den;
    int32_t other;
    int up;

    if (r < 0) {
        q -= 1;
        r += den;
    }
    other = den - r;
    if (r != other) {
        up = r > other;
    } else {
        up = f8_round_tie_up(num < 0, (int)((uint32_t)q & 1u), mode);
    }
    return up ? q + 1 : q;
}

/*
 * PocketNN sigmoid: x at FL 5 (value x / 32), result at FL 7 in [1, 127].
 * Piecewise linear; divisions truncate toward zero.
 */
F8_INLINE int32_t f8_pocket_sigmoid(int32_t x)
{
    if (x < -127) return 1;
    if (x < -74) return x / 8 + 20;
    if (x < -31) return x / 2 + 48;
    if (x < 32) return x + 64;
    if (x < 75) return x / 2 + 80;
    if (x < 128) return x / 8 + 108;
    return 127;
}

/* PocketNN tanh: x at FL 6 (value x / 64), result at FL 7 in [-127, 127]. */
F8_INLINE int32_t f8_pocket_tanh(int32_t x)
{
    if (x < -127) return -127;
    if (x < -74) return x / 4 - 88;
    if (x < -31) return x - 32;
    if (x < 32) return 2 * x;
    if (x < 75) return x + 32;
    if (x < 128) return x / 4 + 88;
    return 127;
}

#endif /* F8_ARITH_H */

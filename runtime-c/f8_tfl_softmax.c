/*
 * f8_tfl_softmax.c - TFLite's int8 softmax with gemmlowp's fixed-point exp
 * and reciprocal (see f8_kernels.h for the contract). Mirrors
 * src/ops/affine/softmax.ts step for step. Every intermediate stays in
 * int32 range (Q0.31, Q5.26, Q2.29, Q12.19 values as in gemmlowp).
 */
#include "f8_internal.h"
#include "f8_tfl.h"

#define TFL_DIFF_INT_BITS 5
#define TFL_ACCUM_INT_BITS 12

/* x * 2^e saturated to int32 (e in 0..31). */
static int32_t tfl_sat_shl(int32_t x, int e)
{
    int32_t hi, lo;
    if (e == 0) {
        return x;
    }
    hi = INT32_MAX >> e;
    lo = INT32_MIN >> e;
    if (x > hi) {
        return INT32_MAX;
    }
    if (x < lo) {
        return INT32_MIN;
    }
    return f8_i32_from_u32((uint32_t)x << e);
}

/* gemmlowp SaturatingRoundingMultiplyByPOT. */
static int32_t tfl_srmbp(int32_t x, int e)
{
    return e >= 0 ? tfl_sat_shl(x, e) : f8_tfl_rdbpot(x, -e);
}

/* RoundingDivideByPOT for e >= 0, also beyond 31 (the result is then 0, or -1 for INT32_MIN). */
static int32_t tfl_rdbpot_wide(int32_t x, int e)
{
    if (e <= 31) {
        return f8_tfl_rdbpot(x, e);
    }
    return x == INT32_MIN ? -1 : 0;
}

/* exp(a) for a in [-1/4, 0), Q0.31 in and out. */
static int32_t tfl_exp_quarter(int32_t a)
{
    const int32_t c = 1895147668;        /* exp(-1/8) */
    const int32_t one_third = 715827883;
    int32_t x = a + ((int32_t)1 << 28);  /* a + 1/8 */
    int32_t x2 = f8_tfl_srdhm(x, x);
    int32_t x3 = f8_tfl_srdhm(x2, x);
    int32_t x4 = f8_tfl_srdhm(x2, x2);
    int32_t x4q = f8_tfl_rdbpot(x4, 2);
    int32_t poly = f8_tfl_rdbpot(f8_tfl_srdhm(x4q + x3, one_third) + x2, 1);
    return c + f8_tfl_srdhm(c, x + poly);
}

/* gemmlowp exp_on_negative_values: a <= 0 in Q5.26, result in Q0.31. */
static int32_t tfl_exp_neg(int32_t a)
{
    static const int32_t mult[7] = { 1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242 };
    const int frac = 31 - TFL_DIFF_INT_BITS;
    const int32_t quarter = (int32_t)1 << (frac - 2);
    int32_t a_mod = f8_i32_from_u32((uint32_t)a & (uint32_t)(quarter - 1)) - quarter;
    int32_t result = tfl_exp_quarter(tfl_srmbp(a_mod, TFL_DIFF_INT_BITS));
    int32_t rem = a_mod - a; /* a multiple of 1/4 in [0, 32) */
    int k;
    for (k = 0; k < 7; k++) {
        int e = k - 2;
        if (TFL_DIFF_INT_BITS > e && ((uint32_t)rem & ((uint32_t)1 << (frac + e))) != 0u) {
            result = f8_tfl_srdhm(result, mult[k]);
        }
    }
    return a == 0 ? INT32_MAX : result;
}

/* gemmlowp one_over_one_plus_x_for_x_in_0_1 for a >= 0 (Q0.31 in and out). */
static int32_t tfl_one_over_one_plus_x(int32_t a)
{
    /* RoundingHalfSum(a, 1): (a + 2^31 - 1 + 1) / 2, fits int32 for a >= 0. */
    int32_t half_den = (int32_t)(((uint32_t)a + 0x80000000u) >> 1);
    int32_t x = 1515870810 + f8_tfl_srdhm(half_den, -1010580540); /* Q2.29 */
    const int32_t one = (int32_t)1 << 29;
    int i;
    for (i = 0; i < 3; i++) {
        int32_t hdx = f8_tfl_srdhm(half_den, x);
        int32_t one_minus = one - hdx;
        x = x + tfl_srmbp(f8_tfl_srdhm(x, one_minus), 2);
    }
    return tfl_srmbp(x, 1);
}

static int tfl_clz32(uint32_t v)
{
    int n = 0;
    if (v == 0u) {
        return 32;
    }
    while ((v & 0x80000000u) == 0u) {
        v <<= 1;
        n++;
    }
    return n;
}

/* The scaled input difference d * beta * S_in in Q5.26 (d in diff_min..0). */
F8_INLINE int32_t tfl_rescale(const f8_tfl_softmax_params *p, int32_t d)
{
    if (p->single_rounding) {
        return f8_tfl_mbqm(d, p->input_mult, (int)p->input_left_shift, 1);
    }
    return f8_tfl_srdhm(f8_i32_from_u32((uint32_t)d << p->input_left_shift), p->input_mult);
}

f8_status f8_tfl_softmax_s8(const f8_tfl_softmax_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    int32_t r, i;
    (void)scratch;
    if (p == NULL || in == NULL || out == NULL) {
        return F8_ERR_NULL;
    }
    if (p->rows < 1 || p->row_len < 1 || p->row_len > 4095 || p->input_mult < 0 || p->input_left_shift < 0 ||
        p->input_left_shift > (p->single_rounding ? 30 : 31) || p->diff_min > 0 ||
        (p->single_rounding != 0 && p->single_rounding != 1) ||
        p->out_lo < -128 || p->out_hi > 127 || p->out_lo > p->out_hi) {
        return F8_ERR_ARG;
    }
    for (r = 0; r < p->rows; r++) {
        const int8_t *x = in + r * p->row_len;
        uint8_t *o = out + r * p->row_len;
        int32_t mx = -128;
        uint32_t sum = 0u;
        int headroom, bits_over_unit;
        int32_t recip;
        for (i = 0; i < p->row_len; i++) {
            mx = x[i] > mx ? x[i] : mx;
        }
        for (i = 0; i < p->row_len; i++) {
            int32_t d = (int32_t)x[i] - mx;
            if (d >= p->diff_min) {
                /* each term <= 2^19, row_len < 4096: no wrap */
                sum += (uint32_t)f8_tfl_rdbpot(tfl_exp_neg(tfl_rescale(p, d)), TFL_ACCUM_INT_BITS);
            }
        }
        headroom = tfl_clz32(sum);
        bits_over_unit = TFL_ACCUM_INT_BITS - headroom;
        recip = tfl_one_over_one_plus_x(f8_i32_from_u32((sum << headroom) - 0x80000000u));
        for (i = 0; i < p->row_len; i++) {
            int32_t d = (int32_t)x[i] - mx;
            int32_t v = -128;
            if (d >= p->diff_min) {
                v = tfl_rdbpot_wide(f8_tfl_srdhm(recip, tfl_exp_neg(tfl_rescale(p, d))), bits_over_unit + 31 - 8) - 128;
            }
            o[i] = f8_byte(f8_sat(v, p->out_lo, p->out_hi));
        }
    }
    return F8_OK;
}

uint32_t f8_tfl_softmax_s8_scratch_size(const f8_tfl_softmax_params *p)
{
    (void)p;
    return 0u;
}

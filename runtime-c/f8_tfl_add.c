/*
 * f8_tfl_add.c - affine (TFLite int8) element-wise add with TFLite's input
 * rescaling (see f8_kernels.h for the contract).
 */
#include "f8_internal.h"
#include "f8_tfl.h"

f8_status f8_tfl_add_s8(const f8_tfl_add_params *p, const int8_t *a, const int8_t *b, uint8_t *out, void *scratch)
{
    int32_t i, k;
    int single;
    (void)scratch;
    if (p == NULL || a == NULL || b == NULL || out == NULL) {
        return F8_ERR_NULL;
    }
    if (p->size < 1 || p->left_shift < 0 || p->left_shift > 22 || p->in1_zp < -128 || p->in1_zp > 127 ||
        p->in2_zp < -128 || p->in2_zp > 127 || p->out_zp < -128 || p->out_zp > 127 ||
        (p->single_rounding != 0 && p->single_rounding != 1) || p->mult1 < 0 || p->mult2 < 0 || p->out_mult < 0 ||
        p->shift1 < -31 || p->shift1 > 0 || p->shift2 < -31 || p->shift2 > 0 ||
        p->out_shift < -31 || p->out_shift > (p->single_rounding ? 30 : 31) ||
        p->out_lo < -128 || p->out_hi > 127 || p->out_lo > p->out_hi) {
        return F8_ERR_ARG;
    }
    k = (int32_t)1 << p->left_shift;
    single = (int)p->single_rounding;
    for (i = 0; i < p->size; i++) {
        /* |x - zp| <= 255, times 2^22 at most: fits int32. */
        int32_t x1 = ((int32_t)a[i] - p->in1_zp) * k;
        int32_t x2 = ((int32_t)b[i] - p->in2_zp) * k;
        int32_t s1 = f8_tfl_mbqm(x1, p->mult1, (int)p->shift1, single);
        int32_t s2 = f8_tfl_mbqm(x2, p->mult2, (int)p->shift2, single);
        /* multipliers below 1: |s1|, |s2| <= 2^30, the sum fits */
        int32_t v = f8_tfl_mbqm(s1 + s2, p->out_mult, (int)p->out_shift, single);
        v = f8_sat(v, -256, 255) + p->out_zp;
        out[i] = f8_byte(f8_sat(v, p->out_lo, p->out_hi));
    }
    return F8_OK;
}

uint32_t f8_tfl_add_s8_scratch_size(const f8_tfl_add_params *p)
{
    (void)p;
    return 0u;
}

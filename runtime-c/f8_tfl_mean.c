/*
 * f8_tfl_mean.c - TFLite's int8 MEAN over H and W of an NHWC tensor
 * [1, H, W, C] (see f8_kernels.h): per channel, the int32 sum of the count
 * = H * W raw values, offset by in_zp * count, requantised by
 * MultiplyByQuantizedMultiplier with the compiler's multiplier (1/count
 * folded in, as TFLite Micro's QuantizedMeanOrSum does). No division.
 */
#include "f8_internal.h"
#include "f8_tfl.h"

f8_status f8_tfl_mean_s8(const f8_tfl_mean_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    int32_t c, i, zsum;
    const int32_t C = p != NULL ? p->channels : 0;
    (void)scratch;
    if (p == NULL || in == NULL || out == NULL) {
        return F8_ERR_NULL;
    }
    /* count * 256 < 2^31 keeps the sum and the offset within int32. */
    if (p->count < 1 || p->count > 8388607 || C < 1 || p->shift < -31 || p->shift > 31 ||
        p->mult < 0 || p->in_zp < -128 || p->in_zp > 127 || (p->single_rounding && p->shift > 30)) {
        return F8_ERR_ARG;
    }
    zsum = p->in_zp * p->count;
    for (c = 0; c < C; c++) {
        int32_t sum = 0, v;
        const int8_t *src = in + c;
        for (i = 0; i < p->count; i++) {
            sum += *src;
            src += C;
        }
        v = f8_tfl_mbqm(sum - zsum, p->mult, (int)p->shift, (int)p->single_rounding) + p->out_zp;
        v = f8_sat(v, -128, 127);
        out[c] = f8_byte(f8_sat(v, p->out_lo, p->out_hi));
    }
    return F8_OK;
}

uint32_t f8_tfl_mean_s8_scratch_size(const f8_tfl_mean_params *p)
{
    (void)p;
    return 0u;
}

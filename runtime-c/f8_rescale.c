/*
 * f8_rescale.c - strided copy with requantisation: relu, relu6, clip (the
 * activation range is folded into [out_lo, out_hi]) and each input of
 * concat (see f8_kernels.h).
 */
#include "f8_internal.h"

static f8_status rescale_entry(const f8_rescale_params *p, f8_act_in in, uint8_t *out)
{
    int32_t o, j;
    if (p == NULL || f8_in_null(in) || out == NULL) {
        return F8_ERR_NULL;
    }
    if (p->outer < 1 || p->block < 1 || p->in_stride < p->block || p->out_stride < 1 || p->out_offset < 0 ||
        !f8_shift_ok(p->shift) || !f8_rounding_ok(p->rounding) || !f8_bounds_ok(p->out_lo, p->out_hi)) {
        return F8_ERR_ARG;
    }
    for (o = 0; o < p->outer; o++) {
        int32_t src = o * p->in_stride;
        uint8_t *dst = out + p->out_offset + o * p->out_stride;
        for (j = 0; j < p->block; j++) {
            dst[j] = f8_byte(f8_requant(f8_load(in, src + j), (int)p->shift, p->rounding, p->out_lo, p->out_hi));
        }
    }
    return F8_OK;
}

f8_status f8_rescale_s8(const f8_rescale_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return rescale_entry(p, f8_in_s8(in), out);
}

f8_status f8_rescale_u8(const f8_rescale_params *p, const uint8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return rescale_entry(p, f8_in_u8(in), out);
}

uint32_t f8_rescale_s8_scratch_size(const f8_rescale_params *p) { (void)p; return 0u; }
uint32_t f8_rescale_u8_scratch_size(const f8_rescale_params *p) { (void)p; return 0u; }

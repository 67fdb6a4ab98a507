/*
 * f8_pad.c - constant padding of a row-major tensor of any rank up to
 * F8_PAD_MAX_RANK (see f8_kernels.h). The output is first filled with the
 * constant, then each input row (last axis) is rescaled into its place.
 */
#include "f8_internal.h"

static f8_status pad_check(const f8_pad_params *p, f8_act_in in, const uint8_t *out)
{
    int32_t d;
    if (p == NULL || f8_in_null(in) || out == NULL || p->in_shape == NULL || p->pads == NULL) {
        return F8_ERR_NULL;
    }
    if (p->rank < 1 || p->rank > F8_PAD_MAX_RANK || !f8_shift_ok(p->shift) || !f8_rounding_ok(p->rounding) ||
        !f8_bounds_ok(p->out_lo, p->out_hi) || p->value < p->out_lo || p->value > p->out_hi) {
        return F8_ERR_ARG;
    }
    for (d = 0; d < p->rank; d++) {
        if (p->in_shape[d] < 1 || p->pads[2 * d] < 0 || p->pads[2 * d + 1] < 0) {
            return F8_ERR_ARG;
        }
    }
    return F8_OK;
}

static void pad_run(const f8_pad_params *p, f8_act_in in, uint8_t *out)
{
    int32_t ostride[F8_PAD_MAX_RANK];
    int32_t idx[F8_PAD_MAX_RANK];
    int32_t last = p->rank - 1;
    int32_t inner = p->in_shape[last];
    int32_t rows = 1, total, d, r, j;

    /* Output strides in elements; the last axis is contiguous. */
    ostride[last] = 1;
    for (d = last - 1; d >= 0; d--) {
        ostride[d] = ostride[d + 1] * (p->in_shape[d + 1] + p->pads[2 * (d + 1)] + p->pads[2 * (d + 1) + 1]);
    }
    total = ostride[0] * (p->in_shape[0] + p->pads[0] + p->pads[1]);
    for (j = 0; j < total; j++) {
        out[j] = f8_byte(p->value);
    }
    for (d = 0; d < last; d++) {
        rows *= p->in_shape[d];
        idx[d] = 0;
    }
    for (r = 0; r < rows; r++) {
        /* Output position of input row idx[0..last-1]. */
        int32_t o = p->pads[2 * last];
        for (d = 0; d < last; d++) {
            o += (idx[d] + p->pads[2 * d]) * ostride[d];
        }
        for (j = 0; j < inner; j++) {
            int32_t x = f8_load(in, r * inner + j);
            out[o + j] = f8_byte(f8_requant(x, (int)p->shift, p->rounding, p->out_lo, p->out_hi));
        }
        /* Next row: odometer over the outer axes. */
        for (d = last - 1; d >= 0; d--) {
            if (++idx[d] < p->in_shape[d]) {
                break;
            }
            idx[d] = 0;
        }
    }
}

static f8_status pad_entry(const f8_pad_params *p, f8_act_in in, uint8_t *out)
{
    f8_status st = pad_check(p, in, out);
    if (st == F8_OK) {
        pad_run(p, in, out);
    }
    return st;
}

f8_status f8_pad_s8(const f8_pad_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return pad_entry(p, f8_in_s8(in), out);
}

f8_status f8_pad_u8(const f8_pad_params *p, const uint8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return pad_entry(p, f8_in_u8(in), out);
}

uint32_t f8_pad_s8_scratch_size(const f8_pad_params *p) { (void)p; return 0u; }
uint32_t f8_pad_u8_scratch_size(const f8_pad_params *p) { (void)p; return 0u; }

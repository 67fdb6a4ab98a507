/*
 * f8_pocket.c - PocketNN's piecewise-linear sigmoid and tanh: the input is
 * rescaled to FL 5 (sigmoid) or FL 6 (tanh) with the full int32 range, then
 * mapped to FL 7 by f8_pocket_sigmoid / f8_pocket_tanh (see f8_kernels.h).
 */
#include "f8_internal.h"

static f8_status pocket_entry(const f8_pocket_params *p, f8_act_in in, uint8_t *out, int is_tanh)
{
    int32_t i;
    if (p == NULL || f8_in_null(in) || out == NULL) {
        return F8_ERR_NULL;
    }
    if (p->size < 1 || !f8_shift_ok(p->shift) || !f8_rounding_ok(p->rounding) || !f8_bounds_ok(p->out_lo, p->out_hi)) {
        return F8_ERR_ARG;
    }
    for (i = 0; i < p->size; i++) {
        int32_t x = f8_requant(f8_load(in, i), (int)p->shift, p->rounding, INT32_MIN, INT32_MAX);
        int32_t y = is_tanh ? f8_pocket_tanh(x) : f8_pocket_sigmoid(x);
        out[i] = f8_byte(f8_sat(y, p->out_lo, p->out_hi));
    }
    return F8_OK;
}

f8_status f8_pocket_sigmoid_s8(const f8_pocket_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return pocket_entry(p, f8_in_s8(in), out, 0);
}

f8_status f8_pocket_sigmoid_u8(const f8_pocket_params *p, const uint8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return pocket_entry(p, f8_in_u8(in), out, 0);
}

f8_status f8_pocket_tanh_s8(const f8_pocket_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return pocket_entry(p, f8_in_s8(in), out, 1);
}

f8_status f8_pocket_tanh_u8(const f8_pocket_params *p, const uint8_t *in, uint8_t *out, void *scratch)
{
    (void)scratch;
    return pocket_entry(p, f8_in_u8(in), out, 1);
}

uint32_t f8_pocket_sigmoid_s8_scratch_size(const f8_pocket_params *p) { (void)p; return 0u; }
uint32_t f8_pocket_sigmoid_u8_scratch_size(const f8_pocket_params *p) { (void)p; return 0u; }
uint32_t f8_pocket_tanh_s8_scratch_size(const f8_pocket_params *p) { (void)p; return 0u; }
uint32_t f8_pocket_tanh_u8_scratch_size(const f8_pocket_params *p) { (void)p; return 0u; }

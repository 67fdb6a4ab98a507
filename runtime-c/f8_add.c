/*
 * f8_add.c - element-wise sum of two activations, each aligned exactly to
 * the larger FL by a left shift, then requantised (see f8_kernels.h).
 */
#include "f8_internal.h"

static f8_status add_entry(const f8_add_params *p, f8_act_in a, f8_act_in b, uint8_t *out)
{
    int32_t i, ma, mb;
    if (p == NULL || f8_in_null(a) || f8_in_null(b) || out == NULL) {
        return F8_ERR_NULL;
    }
    if (p->size < 1 || p->a_shift < 0 || p->a_shift > 22 || p->b_shift < 0 || p->b_shift > 22 ||
        !f8_shift_ok(p->out_shift) || !f8_rounding_ok(p->rounding) || !f8_bounds_ok(p->out_lo, p->out_hi)) {
        return F8_ERR_ARG;
    }
    /* 2^shift as a multiplier: |x| <= 255 and shift <= 22 keep each term below 2^30. */
    ma = (int32_t)1 << p->a_shift;
    mb = (int32_t)1 << p->b_shift;
    for (i = 0; i < p->size; i++) {
        int32_t s = f8_load(a, i) * ma + f8_load(b, i) * mb;
        out[i] = f8_byte(f8_requant(s, (int)p->out_shift, p->rounding, p->out_lo, p->out_hi));
    }
    return F8_OK;
}

f8_status f8_add_s8(const f8_add_params *p, const int8_t *a, const int8_t *b, uint8_t *out, void *scratch)
{
    (void)scratch;
    return add_entry(p, f8_in_s8(a), f8_in_s8(b), out);
}

f8_status f8_add_u8(const f8_add_params *p, const uint8_t *a, const uint8_t *b, uint8_t *out, void *scratch)
{
    (void)scratch;
    return add_entry(p, f8_in_u8(a), f8_in_u8(b), out);
}

f8_status f8_add_s8u8(const f8_add_params *p, const int8_t *a, const uint8_t *b, uint8_t *out, void *scratch)
{
    (void)scratch;
    return add_entry(p, f8_in_s8(a), f8_in_u8(b), out);
}

uint32_t f8_add_s8_scratch_size(const f8_add_params *p) { (void)p; return 0u; }
uint32_t f8_add_u8_scratch_size(const f8_add_params *p) { (void)p; return 0u; }
uint32_t f8_add_s8u8_scratch_size(const f8_add_params *p) { (void)p; return 0u; }

/*
 * f8_dense.c - fully connected layer (see f8_kernels.h for the contract).
 * Weight row n (in_features int8 values) is dotted with the input, added to
 * the bias modulo 2^32 and requantised with the shift of output n.
 */
#include "f8_internal.h"

static f8_status dense_check(const f8_dense_params *p, const void *in, const uint8_t *out)
{
    if (p == NULL || in == NULL || out == NULL || p->weight == NULL) {
        return F8_ERR_NULL;
    }
    if (p->in_features < 1 || p->out_features < 1 || !f8_bounds_ok(p->out_lo, p->out_hi) ||
        !f8_rounding_ok(p->rounding) || !f8_shifts_ok(p->shifts, p->out_features, p->shift)) {
        return F8_ERR_ARG;
    }
    return F8_OK;
}

/*
 * The rows of the weight matrix one after the other. The parameters are
 * copied to locals first: the byte stores to `out` could alias *p, which
 * would make the compiler reload them for every output. Exactly one of
 * in_s8 / in_u8 is non-NULL. acc starts at the bias (the sum is modulo 2^32
 * in every order).
 */
static void dense_run(const f8_dense_params *p, const int8_t *in_s8, const uint8_t *in_u8, uint8_t *out)
{
    const int32_t k = p->in_features, n_out = p->out_features;
    const int32_t *const bias = p->bias;
    const int8_t *const shifts = p->shifts;
    const int32_t shift = p->shift, lo = p->out_lo, hi = p->out_hi;
    const f8_rounding mode = p->rounding;
    const int8_t *w = p->weight;
    int32_t n;

    for (n = 0; n < n_out; n++) {
        uint32_t acc = bias != NULL ? (uint32_t)bias[n] : 0u;
        if (in_s8 != NULL) {
            acc += f8_dot_s8(in_s8, w + n * k, k);
        } else {
            acc += f8_dot_u8(in_u8, w + n * k, k);
        }
        out[n] = f8_byte(f8_requant(f8_i32_from_u32(acc), shifts != NULL ? (int)shifts[n] : (int)shift, mode, lo, hi));
    }
}

f8_status f8_dense_s8(const f8_dense_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    f8_status st = dense_check(p, in, out);
    (void)scratch;
    if (st == F8_OK) {
        dense_run(p, in, NULL, out);
    }
    return st;
}

f8_status f8_dense_u8(const f8_dense_params *p, const uint8_t *in, uint8_t *out, void *scratch)
{
    f8_status st = dense_check(p, in, out);
    (void)scratch;
    if (st == F8_OK) {
        dense_run(p, NULL, in, out);
    }
    return st;
}

uint32_t f8_dense_s8_scratch_size(const f8_dense_params *p)
{
    (void)p;
    return 0u;
}

uint32_t f8_dense_u8_scratch_size(const f8_dense_params *p)
{
    (void)p;
    return 0u;
}

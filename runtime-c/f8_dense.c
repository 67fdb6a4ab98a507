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

/* Requantises accumulator acc of output n and stores it. */
static void dense_store(const f8_dense_params *p, int32_t n, uint32_t acc, uint8_t *out)
{
    int32_t shift = p->shifts != NULL ? (int32_t)p->shifts[n] : p->shift;
    if (p->bias != NULL) {
        acc += (uint32_t)p->bias[n];
    }
    out[n] = f8_byte(f8_requant(f8_i32_from_u32(acc), (int)shift, p->rounding, p->out_lo, p->out_hi));
}

f8_status f8_dense_s8(const f8_dense_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    int32_t n;
    f8_status st = dense_check(p, in, out);
    (void)scratch;
    if (st != F8_OK) {
        return st;
    }
    for (n = 0; n < p->out_features; n++) {
        dense_store(p, n, f8_dot_s8(in, p->weight + n * p->in_features, p->in_features), out);
    }
    return F8_OK;
}

f8_status f8_dense_u8(const f8_dense_params *p, const uint8_t *in, uint8_t *out, void *scratch)
{
    int32_t n;
    f8_status st = dense_check(p, in, out);
    (void)scratch;
    if (st != F8_OK) {
        return st;
    }
    for (n = 0; n < p->out_features; n++) {
        dense_store(p, n, f8_dot_u8(in, p->weight + n * p->in_features, p->in_features), out);
    }
    return F8_OK;
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

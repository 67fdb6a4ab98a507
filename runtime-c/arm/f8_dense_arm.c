/*
 * f8_dense_arm.c - Arm-optimised fully connected layer: the functions of
 * f8_dense.c (same contract, f8_kernels.h; same [N, K] weights; same bytes).
 *
 *   DSP / plain C: the input is expanded once into the scratch as int16
 *     pairs in SXTB16 order (for taps k..k+3: words x(k,k+2), x(k+1,k+3);
 *     the last K % 4 taps as plain int16), then 4 outputs at a time: per
 *     4 taps 4 weight loads, 8 SXTB16, 2 input loads and 8 SMLAD.
 *   MVE (int8 input): 4 outputs at a time, 16 MACs per VMLADAVA, no scratch use.
 * Scratch: 2 * in_features bytes rounded up to 4, on every core.
 */
#include "f8_arm.h"

static f8_status check(const f8_dense_params *p, const void *in, const uint8_t *out, const void *scratch)
{
    if (p == NULL || in == NULL || out == NULL || p->weight == NULL || scratch == NULL) {
        return F8_ERR_NULL;
    }
    if (p->in_features < 1 || p->out_features < 1 || !f8_bounds_ok(p->out_lo, p->out_hi) ||
        !f8_rounding_ok(p->rounding) || !f8_shifts_ok(p->shifts, p->out_features, p->shift)) {
        return F8_ERR_ARG;
    }
    return F8_OK;
}

static void expand(f8_act_in in, int32_t K, uint8_t *x)
{
    int32_t q, t;
    for (q = 0; q < (K >> 2); q++) {
        uint32_t v = f8a_ld32(in.s8 != NULL ? (const void *)(in.s8 + 4 * q) : (const void *)(in.u8 + 4 * q));
        f8a_st32(x + 8 * q, in.s8 != NULL ? f8a_sxtb16(v) : f8a_uxtb16(v));
        f8a_st32(x + 8 * q + 4, in.s8 != NULL ? f8a_sxtb16(f8a_ror8(v)) : f8a_uxtb16(f8a_ror8(v)));
    }
    for (t = 4 * (K >> 2); t < K; t++) {
        int16_t v = (int16_t)f8_load(in, t);
        memcpy(x + 2 * t, &v, 2);
    }
}

/* acc[r] = x . row r of w (rows r < 4 starting at w, K apart). */
static void dot_1x4(const uint8_t *x, const int8_t *w, int32_t K, int32_t nr, int32_t acc[4])
{
    const int8_t *w0 = w, *w1 = w + (nr > 1 ? K : 0), *w2 = w + (nr > 2 ? 2 * K : 0), *w3 = w + (nr > 3 ? 3 * K : 0);
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, q, t;
    for (q = K >> 2; q > 0; q--) {
        uint32_t xa = f8a_ld32(x), xb = f8a_ld32(x + 4);
        uint32_t r0 = f8a_ld32(w0), r1 = f8a_ld32(w1), r2 = f8a_ld32(w2), r3 = f8a_ld32(w3);
        a0 = f8a_smlad(xa, f8a_sxtb16(r0), a0);
        a0 = f8a_smlad(xb, f8a_sxtb16(f8a_ror8(r0)), a0);
        a1 = f8a_smlad(xa, f8a_sxtb16(r1), a1);
        a1 = f8a_smlad(xb, f8a_sxtb16(f8a_ror8(r1)), a1);
        a2 = f8a_smlad(xa, f8a_sxtb16(r2), a2);
        a2 = f8a_smlad(xb, f8a_sxtb16(f8a_ror8(r2)), a2);
        a3 = f8a_smlad(xa, f8a_sxtb16(r3), a3);
        a3 = f8a_smlad(xb, f8a_sxtb16(f8a_ror8(r3)), a3);
        x += 8;
        w0 += 4;
        w1 += 4;
        w2 += 4;
        w3 += 4;
    }
    for (t = 0; t < (K & 3); t++) {
        int16_t v;
        uint32_t xv;
        memcpy(&v, x + 2 * t, 2);
        xv = f8a_pack16(v, 0);
        a0 = f8a_smlad(xv, f8a_pack16(w0[t], 0), a0);
        a1 = f8a_smlad(xv, f8a_pack16(w1[t], 0), a1);
        a2 = f8a_smlad(xv, f8a_pack16(w2[t], 0), a2);
        a3 = f8a_smlad(xv, f8a_pack16(w3[t], 0), a3);
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}

static f8_status run(const f8_dense_params *p, f8_act_in in, uint8_t *out, void *scratch)
{
    int32_t K, n, r;
    f8_status st = check(p, in.s8 != NULL ? (const void *)in.s8 : (const void *)in.u8, out, scratch);
    if (st != F8_OK) {
        return st;
    }
    K = p->in_features;
#ifndef F8A_MVE
    expand(in, K, (uint8_t *)scratch);
#else
    if (in.s8 == NULL) {
        expand(in, K, (uint8_t *)scratch);
    }
#endif
    for (n = 0; n < p->out_features; n += 4) {
        int32_t nr = p->out_features - n < 4 ? p->out_features - n : 4, acc[4];
#ifdef F8A_MVE
        if (in.s8 != NULL) {
            f8a_mve_dot4(in.s8, p->weight + n * K, K, nr, acc);
        } else
#endif
        {
            dot_1x4((const uint8_t *)scratch, p->weight + n * K, K, nr, acc);
        }
        for (r = 0; r < nr; r++) {
            out[n + r] = f8a_out((uint32_t)acc[r], p->bias, p->shifts, p->shift, n + r, p->rounding, p->out_lo, p->out_hi);
        }
    }
    return F8_OK;
}

f8_status f8_dense_s8(const f8_dense_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    return run(p, f8_in_s8(in), out, scratch);
}

f8_status f8_dense_u8(const f8_dense_params *p, const uint8_t *in, uint8_t *out, void *scratch)
{
    return run(p, f8_in_u8(in), out, scratch);
}

uint32_t f8_dense_s8_scratch_size(const f8_dense_params *p)
{
    return (2u * (uint32_t)p->in_features + 3u) & ~3u;
}

uint32_t f8_dense_u8_scratch_size(const f8_dense_params *p)
{
    return f8_dense_s8_scratch_size(p);
}

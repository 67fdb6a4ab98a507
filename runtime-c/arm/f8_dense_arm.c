/*
 * f8_dense_arm.c - Arm-optimised fully connected layer: the functions of
 * f8_dense.c (same contract, f8_kernels.h; same bytes) over weights the
 * compiler re-laid out (src/ops/lower_arm.ts, armDenseWeights; the same
 * bytes, permuted):
 *   rows in blocks of 4, then a block of 2 and a block of 1 for N % 4; a
 *   block of nr rows starting at row r0 sits at r0 * K and holds chunks of
 *   16 taps (nr * 16 bytes: row r's 16 taps at r * 16), then the K % 16 last
 *   taps as nr plain rows of K % 16 bytes.
 *   DSP: the chunk loop in assembly, per 4 taps one input word unpacked by
 *     SXTB16 (UXTB16 for uint8) into two int16 pairs shared by the rows, per
 *     row one weight load, 2 SXTB16 and 2 SMLAD; the loads of a group of 4
 *     taps back to back (they pipeline on M4).
 *   MVE: per chunk and row one VMLADAVA (16 MACs; uint8 input two, on
 *     int16 lanes).
 *   plain C: the same sums in the same layout.
 * Scratch: 2 * in_features bytes rounded up to 4 (unused since the input is
 * read in place; kept so that the memory plan does not change).
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

#if defined(F8A_DSP) && !defined(F8A_MVE) && defined(__GNUC__) && defined(__thumb2__)
#define F8A_DENSE_ASM 1
/*
 * f8a_dense_<nr><s|u>(x, w, n16, acc): acc[r] += x[0 .. 16 * n16) . row r of
 * the nr-row block w (n16 >= 1 chunks); s: int8 input (SXTB16), u: uint8
 * (UXTB16). Registers: r0 x, r1 w, r2 end of w, r4-r7 sums, r3 the input
 * word's even taps, r12 its odd taps, r8-r11 weight words, lr unpacked half.
 */
void f8a_dense_4s(const void *x, const int8_t *w, int32_t n16, int32_t *acc);
void f8a_dense_4u(const void *x, const int8_t *w, int32_t n16, int32_t *acc);
void f8a_dense_2s(const void *x, const int8_t *w, int32_t n16, int32_t *acc);
void f8a_dense_2u(const void *x, const int8_t *w, int32_t n16, int32_t *acc);
void f8a_dense_1s(const void *x, const int8_t *w, int32_t n16, int32_t *acc);
void f8a_dense_1u(const void *x, const int8_t *w, int32_t n16, int32_t *acc);
__asm__(
    "\t.syntax unified\n"
    "\t.thumb\n"
    /* one row: weight word in \wr, sum in \ar */
    "\t.macro F8A_DROW wr, ar\n"
    "\tsxtb16 lr, \\wr\n"
    "\tsmlad \\ar, r3, lr, \\ar\n"
    "\tsxtb16 \\wr, \\wr, ror #8\n"
    "\tsmlad \\ar, r12, \\wr, \\ar\n"
    "\t.endm\n"
    /* 4 taps (q = 0..3 in the chunk) of nr rows */
    "\t.macro F8A_DGRP ext, nr, q\n"
    "\tldr r3, [r0], #4\n"
    "\tldr r8, [r1, #4*\\q]\n"
    "\t.if \\nr >= 2\n"
    "\tldr r9, [r1, #16+4*\\q]\n"
    "\t.endif\n"
    "\t.if \\nr >= 4\n"
    "\tldr r10, [r1, #32+4*\\q]\n"
    "\tldr r11, [r1, #48+4*\\q]\n"
    "\t.endif\n"
    "\t\\ext r12, r3, ror #8\n"
    "\t\\ext r3, r3\n"
    "\tF8A_DROW r8, r4\n"
    "\t.if \\nr >= 2\n"
    "\tF8A_DROW r9, r5\n"
    "\t.endif\n"
    "\t.if \\nr >= 4\n"
    "\tF8A_DROW r10, r6\n"
    "\tF8A_DROW r11, r7\n"
    "\t.endif\n"
    "\t.endm\n"
    "\t.macro F8A_DFUN name, ext, nr\n"
    "\t.section .text.\\name,\"ax\",%progbits\n"
    "\t.global \\name\n"
    "\t.type \\name, %function\n"
    "\t.thumb_func\n"
    "\t.p2align 2\n"
    "\\name:\n"
    "\tpush {r3-r11, lr}\n"
    "\tldm r3, {r4-r7}\n"
    "\tmov r3, #16*\\nr\n"
    "\tmla r2, r2, r3, r1\n"
    "1:\n"
    "\tF8A_DGRP \\ext, \\nr, 0\n"
    "\tF8A_DGRP \\ext, \\nr, 1\n"
    "\tF8A_DGRP \\ext, \\nr, 2\n"
    "\tF8A_DGRP \\ext, \\nr, 3\n"
    "\tadds r1, r1, #16*\\nr\n"
    "\tcmp r1, r2\n"
    "\tbne 1b\n"
    "\tldr r3, [sp]\n"
    "\tstm r3, {r4-r7}\n"
    "\tpop {r3-r11, pc}\n"
    "\t.size \\name, .-\\name\n"
    "\t.endm\n"
    "\tF8A_DFUN f8a_dense_4s, sxtb16, 4\n"
    "\tF8A_DFUN f8a_dense_4u, uxtb16, 4\n"
    "\tF8A_DFUN f8a_dense_2s, sxtb16, 2\n"
    "\tF8A_DFUN f8a_dense_2u, uxtb16, 2\n"
    "\tF8A_DFUN f8a_dense_1s, sxtb16, 1\n"
    "\tF8A_DFUN f8a_dense_1u, uxtb16, 1\n"
    "\t.purgem F8A_DFUN\n"
    "\t.purgem F8A_DGRP\n"
    "\t.purgem F8A_DROW\n"
    "\t.text\n");
#endif

/* acc[r] += in[k0 .. k0 + n) . w[r * stride ...] for r < nr (plain C, any input type). */
static void dot_rows(f8_act_in in, int32_t k0, int32_t n, const int8_t *w, int32_t stride, int32_t nr, int32_t acc[4])
{
    int32_t r, t;
    for (r = 0; r < nr; r++) {
        uint32_t a = (uint32_t)acc[r];
        for (t = 0; t < n; t++) {
            a += (uint32_t)(f8_load(in, k0 + t) * (int32_t)w[r * stride + t]);
        }
        acc[r] = f8_i32_from_u32(a);
    }
}

/* acc[r] += in . row r of the nr-row block w (layout above). */
static void block_dot(f8_act_in in, int32_t K, const int8_t *w, int32_t nr, int32_t acc[4])
{
    int32_t n16 = K >> 4, K16 = K & ~15;
#if defined(F8A_DENSE_ASM)
    if (n16 > 0) {
        const void *x = in.s8 != NULL ? (const void *)in.s8 : (const void *)in.u8;
        int s = in.s8 != NULL;
        if (nr == 4) {
            (s ? f8a_dense_4s : f8a_dense_4u)(x, w, n16, acc);
        } else if (nr == 2) {
            (s ? f8a_dense_2s : f8a_dense_2u)(x, w, n16, acc);
        } else {
            (s ? f8a_dense_1s : f8a_dense_1u)(x, w, n16, acc);
        }
    }
#elif defined(F8A_MVE)
    int32_t c;
    if (in.s8 != NULL) {
        int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
        const int8_t *x = in.s8, *wc = w;
        for (c = 0; c < n16; c++, x += 16, wc += 16 * nr) {
            int8x16_t xv = vldrbq_s8(x);
            a0 = vmladavaq_s8(a0, xv, vldrbq_s8(wc));
            if (nr >= 2) {
                a1 = vmladavaq_s8(a1, xv, vldrbq_s8(wc + 16));
            }
            if (nr >= 4) {
                a2 = vmladavaq_s8(a2, xv, vldrbq_s8(wc + 32));
                a3 = vmladavaq_s8(a3, xv, vldrbq_s8(wc + 48));
            }
        }
        acc[0] = a0;
        acc[1] = a1;
        acc[2] = a2;
        acc[3] = a3;
    } else {
        /* uint8 input: 8 taps per VMLADAVA on int16 lanes */
        int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3], h;
        const uint8_t *x = in.u8;
        const int8_t *wc = w;
        for (c = 0; c < n16; c++, wc += 16 * nr) {
            for (h = 0; h < 16; h += 8, x += 8) {
                int16x8_t xv = vreinterpretq_s16_u16(vldrbq_u16(x));
                a0 = vmladavaq_s16(a0, xv, vldrbq_s16(wc + h));
                if (nr >= 2) {
                    a1 = vmladavaq_s16(a1, xv, vldrbq_s16(wc + 16 + h));
                }
                if (nr >= 4) {
                    a2 = vmladavaq_s16(a2, xv, vldrbq_s16(wc + 32 + h));
                    a3 = vmladavaq_s16(a3, xv, vldrbq_s16(wc + 48 + h));
                }
            }
        }
        acc[0] = a0;
        acc[1] = a1;
        acc[2] = a2;
        acc[3] = a3;
    }
#else
    int32_t c;
    for (c = 0; c < n16; c++) {
        dot_rows(in, 16 * c, 16, w + 16 * nr * c, 16, nr, acc);
    }
#endif
    if (K16 < K) {
        dot_rows(in, K16, K - K16, w + nr * K16, K - K16, nr, acc);
    }
}

/* The layer (arguments checked): shift-only, or affine (f8a_dense_affine, f8_tfl_mac_arm.c). */
void f8a_dense_rows(const f8_dense_params *p, f8_act_in in, uint8_t *out)
{
    int32_t K = p->in_features, N = p->out_features, n, r;
    const f8a_affine *a = f8a_dense_affine(p);
    for (n = 0; n < N;) {
        int32_t nr = N - n >= 4 ? 4 : (N - n >= 2 ? 2 : 1);
        int32_t acc[4] = {0, 0, 0, 0};
        block_dot(in, K, p->weight + n * K, nr, acc);
        for (r = 0; r < nr; r++) {
            if (a != NULL) {
                out[n + r] = f8a_tfl_out((uint32_t)acc[r] + (p->bias != NULL ? (uint32_t)p->bias[n + r] : 0u), a, n + r,
                                         p->out_lo, p->out_hi);
            } else {
                out[n + r] = f8a_out((uint32_t)acc[r], p->bias, p->shifts, p->shift, n + r, p->rounding, p->out_lo, p->out_hi);
            }
        }
        n += nr;
    }
}

static f8_status run(const f8_dense_params *p, f8_act_in in, uint8_t *out, void *scratch)
{
    f8_status st = check(p, in.s8 != NULL ? (const void *)in.s8 : (const void *)in.u8, out, scratch);
    if (st == F8_OK) {
        f8a_dense_rows(p, in, out);
    }
    return st;
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

/*
 * f8_conv2d_arm.c - Arm-optimised 2-D convolution: the functions of
 * f8_conv2d.c (same contract, f8_kernels.h; same OHWI weights; same bytes).
 *
 * groups == 1 (every k x k and 1x1 convolution) is a matrix product:
 *   DSP / plain C: two output pixels at a time are gathered (im2col) into
 *     the scratch as int16 pairs, once for all output channels, in the
 *     order SXTB16 unpacks the weights: for every 4 taps k..k+3 the words
 *     [x0(k,k+2), x1(k,k+2), x0(k+1,k+3), x1(k+1,k+3)]; padded taps are
 *     zeros, so the inner loop has no branch. The inner loop computes
 *     2 pixels x 2 output channels: per 4 taps 2 weight loads, 4 SXTB16,
 *     4 activation loads and 8 SMLAD (16 MACs).
 *   MVE (int8 input): one pixel gathered as int8, 4 output channels per
 *     pass, 16 MACs per VMLADAVA.
 * depthwise (groups == in_c == out_c > 1): f8_dwconv_arm.c.
 * anything else: a direct loop.
 * Scratch: 4 * kernel_h * kernel_w * in_c bytes for groups == 1 (two
 * pixels of int16), the depthwise plane, else 0; the same on every core.
 */
#include "f8_arm.h"

static int32_t out_size(int32_t in, int32_t pad0, int32_t pad1, int32_t k, int32_t stride, int32_t dil)
{
    int32_t span = in + pad0 + pad1 - dil * (k - 1) - 1;
    return span < 0 ? 0 : span / stride + 1;
}

static f8_status check(const f8_conv2d_params *p, const void *in, const uint8_t *out, const void *scratch)
{
    if (p == NULL || in == NULL || out == NULL || p->weight == NULL) {
        return F8_ERR_NULL;
    }
    if (p->in_h < 1 || p->in_w < 1 || p->in_c < 1 || p->out_c < 1 || p->kernel_h < 1 || p->kernel_w < 1 ||
        p->stride_h < 1 || p->stride_w < 1 || p->dilation_h < 1 || p->dilation_w < 1 || p->groups < 1 ||
        p->pad_top < 0 || p->pad_left < 0 || p->pad_bottom < 0 || p->pad_right < 0 ||
        p->in_c % p->groups != 0 || p->out_c % p->groups != 0 || p->out_h < 1 || p->out_w < 1 ||
        p->out_h != out_size(p->in_h, p->pad_top, p->pad_bottom, p->kernel_h, p->stride_h, p->dilation_h) ||
        p->out_w != out_size(p->in_w, p->pad_left, p->pad_right, p->kernel_w, p->stride_w, p->dilation_w) ||
        !f8_bounds_ok(p->out_lo, p->out_hi) || !f8_rounding_ok(p->rounding) ||
        !f8_shifts_ok(p->shifts, p->out_c, p->shift)) {
        return F8_ERR_ARG;
    }
    if (f8_conv2d_s8_scratch_size(p) > 0u && scratch == NULL) {
        return F8_ERR_NULL;
    }
    return F8_OK;
}

/* ---------------------------------------------------------------- any groups: direct loop */

static void conv_direct(const f8_conv2d_params *p, f8_act_in in, uint8_t *out)
{
    int32_t cin_g = p->in_c / p->groups, cout_g = p->out_c / p->groups;
    int32_t oy, ox, oc, ky, kx, ic;
    for (oy = 0; oy < p->out_h; oy++) {
        for (ox = 0; ox < p->out_w; ox++) {
            for (oc = 0; oc < p->out_c; oc++) {
                int32_t ic0 = (oc / cout_g) * cin_g;
                uint32_t acc = 0u;
                for (ky = 0; ky < p->kernel_h; ky++) {
                    int32_t iy = oy * p->stride_h - p->pad_top + ky * p->dilation_h;
                    for (kx = 0; kx < p->kernel_w && iy >= 0 && iy < p->in_h; kx++) {
                        int32_t ix = ox * p->stride_w - p->pad_left + kx * p->dilation_w;
                        int32_t xa = (iy * p->in_w + ix) * p->in_c + ic0;
                        const int8_t *w = p->weight + ((oc * p->kernel_h + ky) * p->kernel_w + kx) * cin_g;
                        if (ix < 0 || ix >= p->in_w) {
                            continue;
                        }
                        for (ic = 0; ic < cin_g; ic++) {
                            acc += (uint32_t)(f8_load(in, xa + ic) * (int32_t)w[ic]);
                        }
                    }
                }
                out[(oy * p->out_w + ox) * p->out_c + oc] =
                    f8a_out(acc, p->bias, p->shifts, p->shift, oc, p->rounding, p->out_lo, p->out_hi);
            }
        }
    }
}

/* ---------------------------------------------------------------- groups == 1: im2col + matrix kernel */

/* Byte offset of tap value k of pixel slot s (0, 1) in the two-pixel int16 column (layout above). */
static int32_t col_at(int32_t k, int32_t s, int32_t K)
{
    int32_t q = k >> 2, r = k & 3, kt = K & 3;
    if (q < (K >> 2)) {
        return ((q * 4 + (r & 1) * 2 + s) * 2 + (r >> 1)) * 2;
    }
    return ((K >> 2) * 8 + s * kt + r) * 2;
}

/*
 * Pixel pix into slot s of the column. src is the input's bytes; sgn says
 * whether they are int8 (a constant where inlined, so the loops are split).
 */
F8_INLINE void col_fill_bytes(const f8_conv2d_params *p, const uint8_t *src, int sgn, int32_t pix, int32_t s, uint8_t *col)
{
    int32_t K = p->kernel_h * p->kernel_w * p->in_c, ky, kx, c, k = 0;
    int32_t oy = pix / p->out_w, ox = pix - (pix / p->out_w) * p->out_w;
    int32_t iy0 = oy * p->stride_h - p->pad_top, ix0 = ox * p->stride_w - p->pad_left;
    for (ky = 0; ky < p->kernel_h; ky++) {
        int32_t iy = iy0 + ky * p->dilation_h;
        for (kx = 0; kx < p->kernel_w; kx++) {
            int32_t ix = ix0 + kx * p->dilation_w;
            int inside = iy >= 0 && iy < p->in_h && ix >= 0 && ix < p->in_w;
            const uint8_t *x = src + (inside ? (iy * p->in_w + ix) * p->in_c : 0);
            if ((p->in_c & 3) == 0) {
                uint8_t *dst = col + ((k >> 2) * 4 + s) * 4;
                for (c = 0; c < p->in_c; c += 4, dst += 16) {
                    uint32_t v = inside ? f8a_ld32(x + c) : 0u;
                    f8a_st32(dst, sgn ? f8a_sxtb16(v) : f8a_uxtb16(v));
                    f8a_st32(dst + 8, sgn ? f8a_sxtb16(f8a_ror8(v)) : f8a_uxtb16(f8a_ror8(v)));
                }
                k += p->in_c;
            } else {
                for (c = 0; c < p->in_c; c++, k++) {
                    int16_t v = (int16_t)(!inside ? 0 : sgn ? (int32_t)(int8_t)x[c] : (int32_t)x[c]);
                    memcpy(col + col_at(k, s, K), &v, 2);
                }
            }
        }
    }
}

static void col_fill(const f8_conv2d_params *p, f8_act_in in, int32_t pix, int32_t s, uint8_t *col)
{
    if (in.s8 != NULL) {
        col_fill_bytes(p, (const uint8_t *)in.s8, 1, pix, s, col);
    } else {
        col_fill_bytes(p, in.u8, 0, pix, s, col);
    }
}

/* acc[2 * s + r] = column of slot s . weight row r (w0 or w1), K taps. */
static void dot_2x2(const uint8_t *x, const int8_t *w0, const int8_t *w1, int32_t K, int32_t acc[4])
{
    int32_t a00 = 0, a01 = 0, a10 = 0, a11 = 0, q, t, kt = K & 3;
    const uint8_t *xt;
#if defined(F8A_DSP) && defined(__GNUC__) && defined(__OPTIMIZE__)
    /*
     * The loop below in GCC inline assembly: GCC spills the loop bound and
     * does not fold the ROR into SXTB16. 14 registers: 4 accumulators, 3
     * pointers, the count, 2 raw weight words, 2 unpacked, 2 activations.
     * Per 4 taps: 6 loads, 4 SXTB16, 8 SMLAD; the same sums as the C loop.
     */
    q = K >> 2;
    if (q > 0) {
        uint32_t r0, r1, t0, t1, x0, x1;
        __asm__ volatile(
            "1:\n\t"
            "ldr %[r0], [%[w0]], #4\n\t"
            "ldr %[r1], [%[w1]], #4\n\t"
            "ldr %[x0], [%[x]], #4\n\t"
            "ldr %[x1], [%[x]], #4\n\t"
            "sxtb16 %[t0], %[r0]\n\t"
            "sxtb16 %[t1], %[r1]\n\t"
            "smlad %[a00], %[x0], %[t0], %[a00]\n\t"
            "smlad %[a01], %[x0], %[t1], %[a01]\n\t"
            "smlad %[a10], %[x1], %[t0], %[a10]\n\t"
            "smlad %[a11], %[x1], %[t1], %[a11]\n\t"
            "ldr %[x0], [%[x]], #4\n\t"
            "ldr %[x1], [%[x]], #4\n\t"
            "sxtb16 %[t0], %[r0], ror #8\n\t"
            "sxtb16 %[t1], %[r1], ror #8\n\t"
            "smlad %[a00], %[x0], %[t0], %[a00]\n\t"
            "smlad %[a01], %[x0], %[t1], %[a01]\n\t"
            "smlad %[a10], %[x1], %[t0], %[a10]\n\t"
            "smlad %[a11], %[x1], %[t1], %[a11]\n\t"
            "subs %[q], %[q], #1\n\t"
            "bne 1b\n\t"
            : [a00] "+r"(a00), [a01] "+r"(a01), [a10] "+r"(a10), [a11] "+r"(a11), [w0] "+r"(w0), [w1] "+r"(w1),
              [x] "+r"(x), [q] "+r"(q), [r0] "=&r"(r0), [r1] "=&r"(r1), [t0] "=&r"(t0), [t1] "=&r"(t1),
              [x0] "=&r"(x0), [x1] "=&r"(x1)
            :
            : "cc", "memory");
    }
#else
    for (q = K >> 2; q > 0; q--) {
        uint32_t r0 = f8a_ld32(w0), r1 = f8a_ld32(w1);
        uint32_t x0 = f8a_ld32(x), x1 = f8a_ld32(x + 4);
        uint32_t u0 = f8a_sxtb16(r0), u1 = f8a_sxtb16(r1);
        a00 = f8a_smlad(x0, u0, a00);
        a01 = f8a_smlad(x0, u1, a01);
        a10 = f8a_smlad(x1, u0, a10);
        a11 = f8a_smlad(x1, u1, a11);
        x0 = f8a_ld32(x + 8);
        x1 = f8a_ld32(x + 12);
        u0 = f8a_sxtb16(f8a_ror8(r0));
        u1 = f8a_sxtb16(f8a_ror8(r1));
        a00 = f8a_smlad(x0, u0, a00);
        a01 = f8a_smlad(x0, u1, a01);
        a10 = f8a_smlad(x1, u0, a10);
        a11 = f8a_smlad(x1, u1, a11);
        w0 += 4;
        w1 += 4;
        x += 16;
    }
#endif
    xt = x;
    for (t = 0; t < kt; t++) {
        int16_t v0, v1;
        memcpy(&v0, xt + 2 * t, 2);
        memcpy(&v1, xt + 2 * (kt + t), 2);
        a00 = f8a_smlad(f8a_pack16(v0, 0), f8a_pack16(w0[t], 0), a00);
        a01 = f8a_smlad(f8a_pack16(v0, 0), f8a_pack16(w1[t], 0), a01);
        a10 = f8a_smlad(f8a_pack16(v1, 0), f8a_pack16(w0[t], 0), a10);
        a11 = f8a_smlad(f8a_pack16(v1, 0), f8a_pack16(w1[t], 0), a11);
    }
    acc[0] = a00;
    acc[1] = a01;
    acc[2] = a10;
    acc[3] = a11;
}

static void conv_gemm(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, uint8_t *col)
{
    int32_t K = p->kernel_h * p->kernel_w * p->in_c, npix = p->out_h * p->out_w, pix, oc, s, r;
    for (pix = 0; pix < npix; pix += 2) {
        int32_t np = pix + 1 < npix ? 2 : 1;
        col_fill(p, in, pix, 0, col);
        col_fill(p, in, pix + np - 1, 1, col);
        for (oc = 0; oc < p->out_c; oc += 2) {
            int32_t nr = oc + 1 < p->out_c ? 2 : 1, acc[4];
            dot_2x2(col, p->weight + oc * K, p->weight + (oc + nr - 1) * K, K, acc);
            for (s = 0; s < np; s++) {
                for (r = 0; r < nr; r++) {
                    out[(pix + s) * p->out_c + oc + r] = f8a_out((uint32_t)acc[2 * s + r], p->bias, p->shifts, p->shift,
                                                                 oc + r, p->rounding, p->out_lo, p->out_hi);
                }
            }
        }
    }
}

#ifdef F8A_MVE
/* Input row of tap (ky, kx) of output pixel pix, or -1 when the tap is in the padding. */
static int32_t tap_at(const f8_conv2d_params *p, int32_t pix, int32_t ky, int32_t kx)
{
    int32_t iy = (pix / p->out_w) * p->stride_h - p->pad_top + ky * p->dilation_h;
    int32_t ix = (pix % p->out_w) * p->stride_w - p->pad_left + kx * p->dilation_w;
    return (iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w) ? -1 : (iy * p->in_w + ix) * p->in_c;
}

/* One pixel's taps as int8 (padding 0), natural order. */
static void col_fill_s8(const f8_conv2d_params *p, const int8_t *in, int32_t pix, int8_t *col)
{
    int32_t ky, kx;
    for (ky = 0; ky < p->kernel_h; ky++) {
        for (kx = 0; kx < p->kernel_w; kx++) {
            int32_t at = tap_at(p, pix, ky, kx);
            if (at >= 0) {
                memcpy(col, in + at, (size_t)p->in_c);
            } else {
                memset(col, 0, (size_t)p->in_c);
            }
            col += p->in_c;
        }
    }
}

static void conv_gemm_mve(const f8_conv2d_params *p, const int8_t *in, uint8_t *out, int8_t *col)
{
    int32_t K = p->kernel_h * p->kernel_w * p->in_c, npix = p->out_h * p->out_w, pix, oc, r;
    for (pix = 0; pix < npix; pix++) {
        col_fill_s8(p, in, pix, col);
        for (oc = 0; oc < p->out_c; oc += 4) {
            int32_t nr = p->out_c - oc < 4 ? p->out_c - oc : 4, acc[4];
            f8a_mve_dot4(col, p->weight + oc * K, K, nr, acc);
            for (r = 0; r < nr; r++) {
                out[pix * p->out_c + oc + r] =
                    f8a_out((uint32_t)acc[r], p->bias, p->shifts, p->shift, oc + r, p->rounding, p->out_lo, p->out_hi);
            }
        }
    }
}
#endif

/* ---------------------------------------------------------------- entry points */

static f8_status run(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, void *scratch)
{
    f8_status st = check(p, in.s8 != NULL ? (const void *)in.s8 : (const void *)in.u8, out, scratch);
    if (st != F8_OK) {
        return st;
    }
    if (p->groups == 1) {
#ifdef F8A_MVE
        if (in.s8 != NULL) {
            conv_gemm_mve(p, in.s8, out, (int8_t *)scratch);
            return F8_OK;
        }
#endif
        conv_gemm(p, in, out, (uint8_t *)scratch);
    } else if (f8a_is_depthwise(p)) {
        f8a_dwconv(p, in, out, (uint8_t *)scratch);
    } else {
        conv_direct(p, in, out);
    }
    return F8_OK;
}

f8_status f8_conv2d_s8(const f8_conv2d_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    return run(p, f8_in_s8(in), out, scratch);
}

f8_status f8_conv2d_u8(const f8_conv2d_params *p, const uint8_t *in, uint8_t *out, void *scratch)
{
    return run(p, f8_in_u8(in), out, scratch);
}

uint32_t f8_conv2d_s8_scratch_size(const f8_conv2d_params *p)
{
    if (p->groups == 1) {
        return 4u * (uint32_t)(p->kernel_h * p->kernel_w * p->in_c);
    }
    return f8a_is_depthwise(p) ? f8a_dwconv_scratch(p) : 0u;
}

uint32_t f8_conv2d_u8_scratch_size(const f8_conv2d_params *p)
{
    return f8_conv2d_s8_scratch_size(p);
}

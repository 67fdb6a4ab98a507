/*
 * f8_conv2d_mve.c - groups == 1 convolution of the Arm conv2d kernels
 * (f8_conv2d_arm.c) on Helium (MVE), int8 input; empty elsewhere.
 *
 * Three pixels gathered as int8 (3 columns of the scratch), blocks of 3
 * pixels x 4 output channels run as two channel pairs: per 16 taps one VLD2
 * (splits the pair) and 3 loads feed 6 VMLADAVA (96 MACs); the sums
 * requantised 4 channels per vector. Weights and bias are the arm layout of
 * f8_conv2d_arm.c (blocks of 4 output channels, rounding constant in the bias).
 */
#include "f8_arm.h"

#ifdef F8A_MVE
#if defined(__GNUC__)
#define F8A_ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define F8A_ALWAYS_INLINE F8_INLINE
#endif

/* Index of (channel r, tap k) in a block of 4 channels (the layout of f8_conv2d_arm.c). */
static int32_t blk_at(int32_t r, int32_t k, int32_t K)
{
    int32_t K16 = K & ~15, k4 = (K - K16) & ~3, j = k & 3;
    int32_t off = (j & 1) * 4 + (j >> 1) * 2 + (r & 1);
    if (k < K16) {
        return (k >> 4) * 64 + (r >> 1) * 32 + ((k >> 2) & 3) * 8 + off;
    }
    k -= K16;
    if (k < k4) {
        return K16 * 4 + (k >> 2) * 16 + (r >> 1) * 8 + off;
    }
    return K16 * 4 + k4 * 4 + (k - k4) * 4 + r;
}

/* The rounding constant folded into the bias (round_const of f8_conv2d_arm.c). */
static uint32_t round_const(int32_t n, f8_rounding mode)
{
    if (n <= 0) {
        return 0u;
    }
    return ((uint32_t)1 << (n - 1)) - (mode == F8_ROUND_HALF_EVEN ? 1u : 0u);
}

static int32_t shift_of(const f8_conv2d_params *p, int32_t c)
{
    return p->shifts != NULL ? (int32_t)p->shifts[c] : p->shift;
}

static uint32_t fbias_of(const f8_conv2d_params *p, int32_t c)
{
    return p->bias != NULL ? (uint32_t)p->bias[c] : round_const(shift_of(p, c), p->rounding);
}

/* np pixels x nr channels of sums with folded bias (acc[4 * s + r]): the constant taken off, then f8a_requant. */
static void store_plain(const f8_conv2d_params *p, const int32_t *acc, uint8_t *o, int32_t oc, int32_t np, int32_t nr)
{
    int32_t s, r;
    for (r = 0; r < nr; r++) {
        int32_t n = shift_of(p, oc + r);
        uint32_t rc = round_const(n, p->rounding);
        for (s = 0; s < np; s++) {
            int32_t x = f8_i32_from_u32((uint32_t)acc[4 * s + r] - rc);
            o[s * p->out_c + r] = f8_byte(f8a_requant(x, n, p->rounding, p->out_lo, p->out_hi));
        }
    }
}

/* Input offset of tap (ky, kx) of the output pixel whose first tap is (iy0, ix0), or -1 when the tap is in the padding. */
F8A_ALWAYS_INLINE int32_t tap_at(const f8_conv2d_params *p, int32_t iy0, int32_t ix0, int32_t ky, int32_t kx)
{
    int32_t iy = iy0 + ky * p->dilation_h, ix = ix0 + kx * p->dilation_w;
    return (iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w) ? -1 : (iy * p->in_w + ix) * p->in_c;
}

/* Position of tap k in the int8 column: taps k..k+3 as k, k+2, k+1, k+3 below K16 (the order of VLD2), else k. */
static int32_t mcol_at(int32_t k, int32_t K)
{
    int32_t j = k & 3;
    return k < (K & ~15) ? (k & ~3) + ((j & 1) << 1) + (j >> 1) : k;
}

/* One pixel's taps as int8 (padding 0), in mcol_at order; whole words where in_c % 4 == 0. */
static void col_fill_s8(const f8_conv2d_params *p, const int8_t *in, int32_t pix, int8_t *col)
{
    int32_t K = p->kernel_h * p->kernel_w * p->in_c, K16 = K & ~15, ky, kx, c, k = 0;
    int32_t oy = pix / p->out_w, iy0 = oy * p->stride_h - p->pad_top;
    int32_t ix0 = (pix - oy * p->out_w) * p->stride_w - p->pad_left;
    if ((p->in_c & 15) == 0) {
        /* every tap in whole vectors (K16 == K); the row checked once per kernel row */
        int32_t C = p->in_c, dx = p->dilation_w * C;
        uint32x4_t m0 = vdupq_n_u32(0xff0000ffu), m1 = vdupq_n_u32(0x00ff0000u), m2 = vdupq_n_u32(0x0000ff00u);
        for (ky = 0; ky < p->kernel_h; ky++) {
            int32_t iy = iy0 + ky * p->dilation_h, ix = ix0;
            int row = (uint32_t)iy < (uint32_t)p->in_h;
            int32_t at = (iy * p->in_w + ix0) * C; /* an offset: a pointer is formed only inside the input */
            for (kx = 0; kx < p->kernel_w; kx++, ix += p->dilation_w, at += dx) {
                if (row && (uint32_t)ix < (uint32_t)p->in_w) {
                    const int8_t *src = in + at;
                    for (c = 0; c < C; c += 16, col += 16) {
                        uint32x4_t v = vreinterpretq_u32_s8(vldrbq_s8(src + c));
                        uint32x4_t m = vorrq_u32(vandq_u32(v, m0), vandq_u32(vshlq_n_u32(v, 8), m1));
                        vstrbq_s8(col, vreinterpretq_s8_u32(vorrq_u32(m, vandq_u32(vshrq_n_u32(v, 8), m2))));
                    }
                } else {
                    for (c = 0; c < C; c += 16, col += 16) {
                        vstrbq_s8(col, vdupq_n_s8(0));
                    }
                }
            }
        }
        return;
    }
    for (ky = 0; ky < p->kernel_h; ky++) {
        for (kx = 0; kx < p->kernel_w; kx++) {
            int32_t at = tap_at(p, iy0, ix0, ky, kx);
            if ((p->in_c & 15) == 0 && k + p->in_c <= K16) {
                /* 16 taps per vector: the middle bytes of every word swapped */
                for (c = 0; c < p->in_c; c += 16, k += 16) {
                    uint32x4_t v = at >= 0 ? vreinterpretq_u32_s8(vldrbq_s8(in + at + c)) : vdupq_n_u32(0u);
                    uint32x4_t m = vorrq_u32(vandq_u32(v, vdupq_n_u32(0xff0000ffu)),
                                             vandq_u32(vshlq_n_u32(v, 8), vdupq_n_u32(0x00ff0000u)));
                    m = vorrq_u32(m, vandq_u32(vshrq_n_u32(v, 8), vdupq_n_u32(0x0000ff00u)));
                    vstrbq_s8(col + k, vreinterpretq_s8_u32(m));
                }
            } else if ((p->in_c & 3) == 0) {
                for (c = 0; c < p->in_c; c += 4, k += 4) {
                    uint32_t v = at >= 0 ? f8a_ld32(in + at + c) : 0u;
                    if (k < K16) {
                        v = (v & 0xff0000ffu) | ((v & 0x0000ff00u) << 8) | ((v >> 8) & 0x0000ff00u);
                    }
                    f8a_st32(col + k, v);
                }
            } else {
                for (c = 0; c < p->in_c; c++, k++) {
                    col[mcol_at(k, K)] = at >= 0 ? in[at + c] : 0;
                }
            }
        }
    }
}

/*
 * store_fast for 4 channels of np pixels (acc[4 * s + r]) in vector lanes:
 * VSHL by -n is the arithmetic shift right, then VMAX/VMIN and VSTRB.32
 * (the low byte of each lane, as f8_byte).
 */
F8A_ALWAYS_INLINE void store4_mve(const f8_conv2d_params *p, const int32_t *acc, uint8_t *o, int32_t oc, int32_t np)
{
    int32x4_t n = p->shifts != NULL ? vldrbq_s32(p->shifts + oc) : vdupq_n_s32(p->shift);
    int32x4_t nn = vnegq_s32(n), lo = vdupq_n_s32(p->out_lo), hi = vdupq_n_s32(p->out_hi), one = vdupq_n_s32(1);
    int32_t s;
    for (s = 0; s < np; s++) {
        int32x4_t x = vldrwq_s32(acc + 4 * s), q;
        if (p->rounding == F8_ROUND_HALF_UP) {
            q = vshlq_s32(x, nn);
        } else if (p->rounding == F8_ROUND_HALF_AWAY) {
            int32x4_t half = vshlq_s32(one, vsubq_s32(n, one));
            q = vshlq_s32(vaddq_s32(x, vshrq_n_s32(vsubq_s32(x, half), 31)), nn);
        } else {
            q = vshlq_s32(vaddq_s32(x, vandq_s32(vshlq_s32(x, nn), one)), nn);
        }
        q = vminq_s32(vmaxq_s32(q, lo), hi);
        vstrbq_s32((int8_t *)(o + s * p->out_c), q);
    }
}

/*
 * Three output pixels per pass (columns col, col + K, col + 2K; a short last
 * pass computes a pixel again and stores it once), one channel pair at a
 * time: per 16 taps one VLD2 of the pair's weights feeds 6 VMLADAVA
 * (3 pixels x 2 channels; 6 accumulators stay in registers, 8 would not).
 */
void f8a_conv_gemm_mve(const f8_conv2d_params *p, const int8_t *in, uint8_t *out, int8_t *col, int fast)
{
    int32_t K = p->kernel_h * p->kernel_w * p->in_c, K16 = K & ~15, npix = p->out_h * p->out_w, pix, oc, r, k, s, h;
    int32_t C = p->out_c, nb = C >> 2;
    for (pix = 0; pix < npix; pix += 3) {
        int32_t np = npix - pix >= 3 ? 3 : npix - pix;
        const int8_t *cs[3];
        uint8_t *o = out + pix * C;
        for (s = 0; s < 3; s++) {
            cs[s] = col + (s < np ? s : 0) * K;
        }
        for (s = 0; s < np; s++) {
            col_fill_s8(p, in, pix + s, col + s * K);
        }
        for (oc = 0; oc < 4 * nb; oc += 4) {
            const int8_t *w = p->weight + oc * K;
            int32_t acc[12];
            for (h = 0; h < 4; h += 2) {
                int32_t a0 = f8_i32_from_u32(fbias_of(p, oc + h)), a1 = f8_i32_from_u32(fbias_of(p, oc + h + 1));
                int32_t b0 = a0, b1 = a1, c0 = a0, c1 = a1;
                const int8_t *wp = w + 16 * h, *x0 = cs[0], *x1 = cs[1], *x2 = cs[2];
                for (k = 0; k < K16; k += 16, wp += 64) {
                    int8x16x2_t wv = vld2q_s8(wp);
                    int8x16_t v0 = vldrbq_s8(x0 + k), v1 = vldrbq_s8(x1 + k), v2 = vldrbq_s8(x2 + k);
                    a0 = vmladavaq_s8(a0, v0, wv.val[0]);
                    a1 = vmladavaq_s8(a1, v0, wv.val[1]);
                    b0 = vmladavaq_s8(b0, v1, wv.val[0]);
                    b1 = vmladavaq_s8(b1, v1, wv.val[1]);
                    c0 = vmladavaq_s8(c0, v2, wv.val[0]);
                    c1 = vmladavaq_s8(c1, v2, wv.val[1]);
                }
                acc[h] = a0;
                acc[h + 1] = a1;
                acc[4 + h] = b0;
                acc[5 + h] = b1;
                acc[8 + h] = c0;
                acc[9 + h] = c1;
            }
            for (k = K16; k < K; k++) {
                for (r = 0; r < 4; r++) {
                    int32_t wk = (int32_t)w[blk_at(r, k, K)];
                    for (s = 0; s < 3; s++) {
                        acc[4 * s + r] = f8_i32_from_u32((uint32_t)acc[4 * s + r] + (uint32_t)((int32_t)cs[s][k] * wk));
                    }
                }
            }
            if (fast) {
                store4_mve(p, acc, o + oc, oc, np);
            } else {
                store_plain(p, acc, o + oc, oc, np, 4);
            }
        }
        for (; oc < C; oc++) {
            const int8_t *w = p->weight + oc * K;
            int32_t acc[12];
            for (s = 0; s < np; s++) {
                uint32_t a = fbias_of(p, oc);
                for (k = 0; k < K; k++) {
                    a += (uint32_t)((int32_t)cs[s][mcol_at(k, K)] * (int32_t)w[k]);
                }
                acc[4 * s] = f8_i32_from_u32(a);
            }
            store_plain(p, acc, o + oc, oc, np, 1);
        }
    }
}
#endif

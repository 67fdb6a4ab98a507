/*
 * f8_conv2d_arm.c - Arm-optimised 2-D convolution: the functions of
 * f8_conv2d.c (same contract, f8_kernels.h; same OHWI weights; same bytes).
 *
 * groups == 1 (every k x k and 1x1 convolution) is a matrix product over
 * weights the compiler re-laid out (blocks of 4 output channels, below) and
 * a bias table holding the rounding constant (below):
 *   DSP / plain C, in_c % 4 == 0 and kernel_w * in_c % 16 == 0 (band_fits):
 *     the zero-padded int16 band (see "padded int16 band" below): each input
 *     row expanded once, one assembly call per pixel pair for all blocks of
 *     2 pixels x 4 channels, then one shift and SSAT/USAT per output.
 *   DSP / plain C, otherwise: two output pixels at a time are gathered (im2col) into
 *     the scratch as int16 pairs, once for all output channels, in the
 *     order SXTB16 unpacks the weights; padded taps are zeros, so the inner
 *     loop has no branch. Blocks of 2 pixels x 4 output channels: per 4 taps
 *     4 activation loads, 4 weight loads, 8 SXTB16 and 16 SMLAD (32 MACs),
 *     16 taps per pass of an assembly loop; the 8 results requantised in
 *     line by one shift each (the mode hoisted out of the pixel loop).
 *   MVE (int8 and uint8 input): f8_conv2d_mve.c (the DSP loops above are then unused and
 *     dropped by the compiler).
 * depthwise (groups == in_c == out_c > 1): f8_dwconv_arm.c.
 * anything else: a direct loop.
 * Scratch: for groups == 1 the larger of 4 * kernel_h * kernel_w * in_c bytes (two
 * pixels of int16) and 2 * kernel_h * kernel_w * in_c + 4 * out_c (Helium), or where band_fits the larger of that and the band
 * (4 * kernel_h * (in_w + pad_left + pad_right) * in_c), the depthwise
 * plane, else 0; the same on every core.
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
        !f8_bounds_ok(p->out_lo, p->out_hi) || (!f8_rounding_ok(p->rounding) && f8a_conv_affine(p) == NULL) ||
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
    int32_t cin_g = p->in_c / p->groups, cout_g = p->out_c / p->groups, zx = f8a_pad_value(p);
    int32_t oy, ox, oc, ky, kx, ic;
    for (oy = 0; oy < p->out_h; oy++) {
        for (ox = 0; ox < p->out_w; ox++) {
            for (oc = 0; oc < p->out_c; oc++) {
                int32_t ic0 = (oc / cout_g) * cin_g;
                uint32_t acc = 0u;
                for (ky = 0; ky < p->kernel_h; ky++) {
                    int32_t iy = oy * p->stride_h - p->pad_top + ky * p->dilation_h;
                    for (kx = 0; kx < p->kernel_w; kx++) {
                        int32_t ix = ox * p->stride_w - p->pad_left + kx * p->dilation_w;
                        int32_t xa = (iy * p->in_w + ix) * p->in_c + ic0;
                        const int8_t *w = p->weight + ((oc * p->kernel_h + ky) * p->kernel_w + kx) * cin_g;
                        int inside = iy >= 0 && iy < p->in_h && ix >= 0 && ix < p->in_w;
                        for (ic = 0; ic < cin_g && (inside || zx != 0); ic++) {
                            acc += (uint32_t)((inside ? f8_load(in, xa + ic) : zx) * (int32_t)w[ic]);
                        }
                    }
                }
                if (p->bias != NULL) {
                    acc += (uint32_t)p->bias[oc];
                }
                out[(oy * p->out_w + ox) * p->out_c + oc] = f8a_conv_out(p, acc, oc);
            }
        }
    }
}

/* ---------------------------------------------------------------- groups == 1: im2col + 2 x 4 matrix kernel */

/*
 * Weight layout of groups == 1 in the arm variant (written by the compiler,
 * src/ops/lower_arm.ts; the same bytes, permuted): output channels in blocks
 * of 4, then the out_c % 4 last channels as plain OHWI rows. In a block, with
 * K = kernel_h * kernel_w * in_c and K16 = K rounded down to 16:
 *   taps 0..K16-1 in chunks of 16 taps (64 bytes): channels 0,1 (32 bytes),
 *     then channels 2,3; in a pair, per 4 taps k..k+3 the 8 bytes
 *     a(k) b(k) a(k+2) b(k+2) a(k+1) b(k+1) a(k+3) b(k+3)
 *     (SXTB16 of a word gives a's taps k, k+2; with ROR 8, b's; Helium's VLD2
 *     splits a pair into its two channels, taps in the order k, k+2, k+1, k+3);
 *   the next (K - K16) / 4 groups of 4 taps: 16 bytes each, pair 0,1 then 2,3;
 *   the last K % 4 taps: 4 bytes each, channels 0..3.
 * (blk_at of f8_conv2d_mve.c is the index of (channel r, tap k) in a block.)
 */

/*
 * Bias of groups == 1 in the arm variant: bias[c] + r(n[c]) modulo 2^32 (a
 * bias table is always there), with the rounding constant
 * r(n) = 2^(n-1) (half_up, half_away), 2^(n-1) - 1 (half_even), 0 (n <= 0).
 */
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

/*
 * The shift-only requantisation of a sum with the rounding constant in it,
 * exact when no addition overflows (fast_ok):
 *   half_up:   x >> n
 *   half_away: (x - 1 if x - 2^(n-1) < 0) >> n
 *   half_even: (x + bit 0 of (x >> n)) >> n   (x holds 2^(n-1) - 1)
 */
static int fast_ok(const f8_conv2d_params *p, int32_t K)
{
    int32_t c, smax = K * 32640; /* |sum of K products| <= K * 255 * 128 */
    if (K > 65535) {
        return 0;
    }
    for (c = 0; c < p->out_c; c++) {
        int32_t n = shift_of(p, c), b;
        if (n < 1) {
            return 0;
        }
        b = f8_i32_from_u32(fbias_of(p, c) - round_const(n, p->rounding));
        if (b > INT32_MAX - ((int32_t)1 << (n - 1)) - smax || b < INT32_MIN + smax) {
            return 0;
        }
    }
    return 1;
}

#if defined(__GNUC__)
#define F8A_ALWAYS_INLINE static inline __attribute__((always_inline))
#else
#define F8A_ALWAYS_INLINE F8_INLINE
#endif

F8A_ALWAYS_INLINE int32_t rq_fast(int32_t x, int32_t n, f8_rounding mode, int32_t lo, int32_t hi)
{
    int32_t q;
    if (mode == F8_ROUND_HALF_UP) {
        q = x >> n;
    } else if (mode == F8_ROUND_HALF_AWAY) {
        q = (x + ((x - ((int32_t)1 << (n - 1))) >> 31)) >> n;
    } else {
        q = (x + ((x >> n) & 1)) >> n;
    }
    return q < lo ? lo : (q > hi ? hi : q);
}

/* np pixels (1..3) x nr channels (1..4) of sums with folded bias: acc[4 * s + r]. */
F8A_ALWAYS_INLINE void store_fast(const f8_conv2d_params *p, const int32_t *acc, uint8_t *o, int32_t oc, int32_t np,
                                  int32_t nr, f8_rounding mode)
{
    int32_t s, r, lo = p->out_lo, hi = p->out_hi, C = p->out_c;
    for (r = 0; r < nr; r++) {
        int32_t n = shift_of(p, oc + r);
        for (s = 0; s < np; s++) {
            o[s * C + r] = f8_byte(rq_fast(acc[4 * s + r], n, mode, lo, hi));
        }
    }
}

static void store_block(const f8_conv2d_params *p, const int32_t *acc, uint8_t *o, int32_t oc, int32_t np, int32_t nr,
                        int fast)
{
    int32_t s, r;
    const f8a_affine *a = f8a_conv_affine(p);
    if (a != NULL) {
        f8a_tfl_block(a, acc, o, oc, np, nr, p->out_c, p->out_lo, p->out_hi);
        return;
    }
    if (fast) {
        switch (p->rounding) {
        case F8_ROUND_HALF_UP:
            store_fast(p, acc, o, oc, np, nr, F8_ROUND_HALF_UP);
            break;
        case F8_ROUND_HALF_AWAY:
            store_fast(p, acc, o, oc, np, nr, F8_ROUND_HALF_AWAY);
            break;
        default:
            store_fast(p, acc, o, oc, np, nr, F8_ROUND_HALF_EVEN);
            break;
        }
        return;
    }
    for (r = 0; r < nr; r++) {
        uint32_t rc = round_const(shift_of(p, oc + r), p->rounding);
        for (s = 0; s < np; s++) {
            o[s * p->out_c + r] = f8a_conv_out(p, (uint32_t)acc[4 * s + r] - rc, oc + r);
        }
    }
}

/*
 * Two-pixel int16 column (scratch), per 4 taps k..k+3 the words
 * [x0(k,k+2), x1(k,k+2), x0(k+1,k+3), x1(k+1,k+3)]; the last K % 4 taps one
 * word [x0(t), x1(t)] each. col_at: byte offset of tap k of slot s.
 */
static int32_t col_at(int32_t k, int32_t s, int32_t K)
{
    int32_t q = k >> 2, r = k & 3;
    if (q < (K >> 2)) {
        return ((q * 4 + (r & 1) * 2 + s) * 2 + (r >> 1)) * 2;
    }
    return ((K >> 2) * 8 + 2 * r + s) * 2;
}

/*
 * Pixel pix into slot s of the column. src is the input's bytes; sgn says
 * whether they are int8 (a constant where inlined, so the loops are split).
 */
F8_INLINE void col_fill_bytes(const f8_conv2d_params *p, const uint8_t *src, int sgn, int32_t pix, int32_t s, uint8_t *col)
{
    int32_t K = p->kernel_h * p->kernel_w * p->in_c, ky, kx, c, k = 0, zx = f8a_pad_value(p);
    uint32_t pad = f8a_pack16(zx, zx);
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
                if (!inside) {
                    for (c = 0; c < p->in_c; c += 4, dst += 16) {
                        f8a_st32(dst, pad);
                        f8a_st32(dst + 8, pad);
                    }
                } else if (sgn) {
                    for (c = 0; c < p->in_c; c += 4, dst += 16) {
                        uint32_t v = f8a_ld32(x + c);
                        f8a_st32(dst, f8a_sxtb16(v));
                        f8a_st32(dst + 8, f8a_sxtb16(f8a_ror8(v)));
                    }
                } else {
                    for (c = 0; c < p->in_c; c += 4, dst += 16) {
                        uint32_t v = f8a_ld32(x + c);
                        f8a_st32(dst, f8a_uxtb16(v));
                        f8a_st32(dst + 8, f8a_uxtb16(f8a_ror8(v)));
                    }
                }
                k += p->in_c;
            } else {
                for (c = 0; c < p->in_c; c++, k++) {
                    int16_t v = (int16_t)(!inside ? zx : sgn ? (int32_t)(int8_t)x[c] : (int32_t)x[c]);
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

/* 4 taps of the column (x) against one 4-tap group (pair 0,1 at wa, pair 2,3 at wb): 32 MACs. */
F8_INLINE void step_2x4(const uint8_t *x, const int8_t *wa, const int8_t *wb, int32_t a[8])
{
    uint32_t x0 = f8a_ld32(x), x1 = f8a_ld32(x + 4), w = f8a_ld32(wa), t;
    t = f8a_sxtb16(w);
    a[0] = f8a_smlad(x0, t, a[0]);
    a[4] = f8a_smlad(x1, t, a[4]);
    t = f8a_sxtb16(f8a_ror8(w));
    a[1] = f8a_smlad(x0, t, a[1]);
    a[5] = f8a_smlad(x1, t, a[5]);
    w = f8a_ld32(wb);
    t = f8a_sxtb16(w);
    a[2] = f8a_smlad(x0, t, a[2]);
    a[6] = f8a_smlad(x1, t, a[6]);
    t = f8a_sxtb16(f8a_ror8(w));
    a[3] = f8a_smlad(x0, t, a[3]);
    a[7] = f8a_smlad(x1, t, a[7]);
    x0 = f8a_ld32(x + 8);
    x1 = f8a_ld32(x + 12);
    w = f8a_ld32(wa + 4);
    t = f8a_sxtb16(w);
    a[0] = f8a_smlad(x0, t, a[0]);
    a[4] = f8a_smlad(x1, t, a[4]);
    t = f8a_sxtb16(f8a_ror8(w));
    a[1] = f8a_smlad(x0, t, a[1]);
    a[5] = f8a_smlad(x1, t, a[5]);
    w = f8a_ld32(wb + 4);
    t = f8a_sxtb16(w);
    a[2] = f8a_smlad(x0, t, a[2]);
    a[6] = f8a_smlad(x1, t, a[6]);
    t = f8a_sxtb16(f8a_ror8(w));
    a[3] = f8a_smlad(x0, t, a[3]);
    a[7] = f8a_smlad(x1, t, a[7]);
}

#if defined(F8A_DSP) && defined(__GNUC__) && defined(__thumb2__)
/*
 * The chunk loop of blk_2x4 in assembly (n16 >= 1 chunks of 16 taps, acc in
 * and out): all 14 registers hold 8 accumulators, 2 pointers, 2 activation
 * words, a weight word and its unpacked half; the count lives on the stack.
 * Per 4 taps: 8 loads, 8 SXTB16, 16 SMLAD (32 MACs); the same sums as step_2x4.
 */
/*
 * One step of the 2 pixels x 4 channels block, shared by both assembly loops:
 * r0 -> two pixels' int16 pairs, r1 -> the weights; SXTB16 unpacks two
 * channels' weights, SMLAD accumulates into r4-r11.
 */
#define F8A_HALF_MACRO \
    "\t.macro F8A_HALF xo, wo\n" \
    "\tldr r2, [r0, #\\xo]\n" \
    "\tldr r3, [r0, #\\xo+4]\n" \
    "\tldr r12, [r1, #\\wo]\n" \
    "\tsxtb16 lr, r12\n" \
    "\tsmlad r4, r2, lr, r4\n" \
    "\tsmlad r8, r3, lr, r8\n" \
    "\tsxtb16 r12, r12, ror #8\n" \
    "\tsmlad r5, r2, r12, r5\n" \
    "\tsmlad r9, r3, r12, r9\n" \
    "\tldr r12, [r1, #\\wo+32]\n" \
    "\tsxtb16 lr, r12\n" \
    "\tsmlad r6, r2, lr, r6\n" \
    "\tsmlad r10, r3, lr, r10\n" \
    "\tsxtb16 r12, r12, ror #8\n" \
    "\tsmlad r7, r2, r12, r7\n" \
    "\tsmlad r11, r3, r12, r11\n" \
    "\t.endm\n"

void f8a_conv_chunks_2x4(const uint8_t *x, const int8_t *w, int32_t n16, int32_t *acc);
__asm__(
    "\t.syntax unified\n"
    "\t.thumb\n"
    "\t.section .text.f8a_conv_chunks_2x4,\"ax\",%progbits\n"
    "\t.global f8a_conv_chunks_2x4\n"
    "\t.type f8a_conv_chunks_2x4, %function\n"
    "\t.thumb_func\n"
    "\t.p2align 2\n"
    F8A_HALF_MACRO
    "f8a_conv_chunks_2x4:\n"
    "\tpush {r2-r11, lr}\n"
    "\tldm r3, {r4-r11}\n"
    "1:\n"
    "\tF8A_HALF 0, 0\n"
    "\tF8A_HALF 8, 4\n"
    "\tF8A_HALF 16, 8\n"
    "\tF8A_HALF 24, 12\n"
    "\tF8A_HALF 32, 16\n"
    "\tF8A_HALF 40, 20\n"
    "\tF8A_HALF 48, 24\n"
    "\tF8A_HALF 56, 28\n"
    "\tadds r0, r0, #64\n"
    "\tadds r1, r1, #64\n"
    "\tldr lr, [sp]\n"
    "\tsubs lr, lr, #1\n"
    "\tstr lr, [sp]\n"
    "\tbne 1b\n"
    "\tldr r3, [sp, #4]\n"
    "\tstm r3, {r4-r11}\n"
    "\tadd sp, sp, #8\n"
    "\tpop {r4-r11, pc}\n"
    "\t.purgem F8A_HALF\n"
    "\t.size f8a_conv_chunks_2x4, .-f8a_conv_chunks_2x4\n"
    "\t.text\n");
#endif

/* acc[4 * s + r] += column slot s . channel r of the 4-channel block w (K taps). */
static void blk_2x4(const uint8_t *x, const int8_t *w, int32_t K, int32_t acc[8])
{
    int32_t K16 = K & ~15, n16 = K >> 4, g, t;
#if defined(F8A_DSP) && defined(__GNUC__) && defined(__thumb2__)
    if (n16 > 0) {
        f8a_conv_chunks_2x4(x, w, n16, acc);
        x += 64 * n16;
        w += 64 * n16;
    }
#else
    for (; n16 > 0; n16--, x += 64, w += 64) {
        for (g = 0; g < 4; g++) {
            step_2x4(x + 16 * g, w + 8 * g, w + 32 + 8 * g, acc);
        }
    }
#endif
    for (g = 0; g < ((K - K16) >> 2); g++, x += 16, w += 16) {
        step_2x4(x, w, w + 8, acc);
    }
    for (t = 0; t < (K & 3); t++, x += 4, w += 4) {
        int16_t x0, x1;
        int32_t r;
        memcpy(&x0, x, 2);
        memcpy(&x1, x + 2, 2);
        for (r = 0; r < 4; r++) {
            acc[r] = f8a_smlad(f8a_pack16(x0, 0), f8a_pack16(w[r], 0), acc[r]);
            acc[4 + r] = f8a_smlad(f8a_pack16(x1, 0), f8a_pack16(w[r], 0), acc[4 + r]);
        }
    }
}

/* acc[4 * s] += column slot s . the plain row w (K taps), s = 0, 1. */
static void row_2x1(const uint8_t *x, const int8_t *w, int32_t K, int32_t acc[8])
{
    int32_t q, t;
    for (q = K >> 2; q > 0; q--, x += 16, w += 4) {
        uint32_t r = f8a_ld32(w), u = f8a_sxtb16(r);
        acc[0] = f8a_smlad(f8a_ld32(x), u, acc[0]);
        acc[4] = f8a_smlad(f8a_ld32(x + 4), u, acc[4]);
        u = f8a_sxtb16(f8a_ror8(r));
        acc[0] = f8a_smlad(f8a_ld32(x + 8), u, acc[0]);
        acc[4] = f8a_smlad(f8a_ld32(x + 12), u, acc[4]);
    }
    for (t = 0; t < (K & 3); t++, x += 4) {
        int16_t x0, x1;
        memcpy(&x0, x, 2);
        memcpy(&x1, x + 2, 2);
        acc[0] = f8a_smlad(f8a_pack16(x0, 0), f8a_pack16(w[t], 0), acc[0]);
        acc[4] = f8a_smlad(f8a_pack16(x1, 0), f8a_pack16(w[t], 0), acc[4]);
    }
}

/*
 * The pixel loop of groups == 1 for one rounding mode (a constant where
 * inlined): per two pixels the column once, then blocks of 4 channels with
 * the shifts read once per block and the 8 results requantised in line.
 */
F8A_ALWAYS_INLINE void gemm_mode(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, uint8_t *col, int fast,
                                 f8_rounding mode)
{
    int32_t K = p->kernel_h * p->kernel_w * p->in_c, npix = p->out_h * p->out_w, pix, oc, r;
    int32_t C = p->out_c, nb = p->out_c >> 2, lo = p->out_lo, hi = p->out_hi, shift = p->shift;
    const int8_t *shifts = p->shifts, *weight = p->weight;
    const int32_t *bias = p->bias;
    for (pix = 0; pix < npix; pix += 2) {
        int32_t np = pix + 1 < npix ? 2 : 1;
        uint8_t *o = out + pix * C;
        col_fill(p, in, pix, 0, col);
        col_fill(p, in, pix + np - 1, 1, col);
        for (oc = 0; oc < 4 * nb; oc += 4, o += 4) {
            int32_t acc[8];
            if (bias != NULL) {
                for (r = 0; r < 4; r++) {
                    acc[r] = acc[4 + r] = bias[oc + r];
                }
            } else {
                for (r = 0; r < 4; r++) {
                    acc[r] = acc[4 + r] = f8_i32_from_u32(fbias_of(p, oc + r));
                }
            }
            blk_2x4(col, weight + oc * K, K, acc);
            if (fast) {
                int32_t n0 = shift, n1 = shift, n2 = shift, n3 = shift;
                if (shifts != NULL) {
                    n0 = shifts[oc];
                    n1 = shifts[oc + 1];
                    n2 = shifts[oc + 2];
                    n3 = shifts[oc + 3];
                }
                o[0] = f8_byte(rq_fast(acc[0], n0, mode, lo, hi));
                o[1] = f8_byte(rq_fast(acc[1], n1, mode, lo, hi));
                o[2] = f8_byte(rq_fast(acc[2], n2, mode, lo, hi));
                o[3] = f8_byte(rq_fast(acc[3], n3, mode, lo, hi));
                if (np == 2) {
                    o[C] = f8_byte(rq_fast(acc[4], n0, mode, lo, hi));
                    o[C + 1] = f8_byte(rq_fast(acc[5], n1, mode, lo, hi));
                    o[C + 2] = f8_byte(rq_fast(acc[6], n2, mode, lo, hi));
                    o[C + 3] = f8_byte(rq_fast(acc[7], n3, mode, lo, hi));
                }
            } else {
                store_block(p, acc, o, oc, np, 4, 0);
            }
        }
        for (; oc < C; oc++, o++) {
            int32_t acc[8];
            acc[0] = acc[4] = f8_i32_from_u32(fbias_of(p, oc));
            row_2x1(col, weight + oc * K, K, acc);
            store_block(p, acc, o, oc, np, 1, fast);
        }
    }
}

static void conv_gemm(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, uint8_t *col)
{
    int fast = fast_ok(p, p->kernel_h * p->kernel_w * p->in_c);
    switch (p->rounding) {
    case F8_ROUND_HALF_UP:
        gemm_mode(p, in, out, col, fast, F8_ROUND_HALF_UP);
        break;
    case F8_ROUND_HALF_AWAY:
        gemm_mode(p, in, out, col, fast, F8_ROUND_HALF_AWAY);
        break;
    default:
        gemm_mode(p, in, out, col, fast, F8_ROUND_HALF_EVEN);
        break;
    }
}

/* ---------------------------------------------------------------- groups == 1: padded int16 band (2 x 4 blocks) */

/*
 * The band scheme of groups == 1 (in_c % 4 == 0, kernel_w * in_c % 16 == 0,
 * kernel_h <= F8A_BAND_KH, dilation 1; band_ok): the input is expanded to
 * int16 once per padded input row into a ring of kernel_h rows in the
 * scratch, zero-padded, so that a pixel pair's taps of one kernel row are
 * kernel_w * in_c contiguous taps in the column format (col_at): the padded
 * column x of a ring row holds, per 4 channels c..c+3, the words
 *   [P(x)(c,c+2), P(x+sw)(c,c+2), P(x)(c+1,c+3), P(x+sw)(c+1,c+3)]
 * (P the padded input row, sw the horizontal stride, P beyond the row zero),
 * i.e. the left pixel of the pair in slot 0 and the right one in slot 1. Each
 * input row is expanded once (the ring keeps the rows shared by consecutive
 * output rows), no im2col per pixel, no branch per tap. The assembly runs
 * all kernel rows of a 2 x 4 block in one call.
 * Scratch: kernel_h * (in_w + pad_left + pad_right) * 4 * in_c bytes.
 */
#define F8A_BAND_KH 16

static int band_fits(const f8_conv2d_params *p)
{
    return p->groups == 1 && (p->in_c & 3) == 0 && ((p->kernel_w * p->in_c) & 15) == 0 && p->kernel_h <= F8A_BAND_KH;
}

static uint32_t band_bytes(const f8_conv2d_params *p)
{
    return 4u * (uint32_t)p->kernel_h * (uint32_t)(p->in_w + p->pad_left + p->pad_right) * (uint32_t)p->in_c;
}

/* One pixel (input row iy, column ix; zeros outside the input) into slot dst of a band column. */
static void band_slot(const f8_conv2d_params *p, f8_act_in in, int32_t iy, int32_t ix, uint8_t *dst)
{
    int32_t c;
    if (iy < 0 || iy >= p->in_h || ix < 0 || ix >= p->in_w) {
        uint32_t pad = f8a_pack16(f8a_pad_value(p), f8a_pad_value(p));
        for (c = 0; c < p->in_c; c += 4, dst += 16) {
            f8a_st32(dst, pad);
            f8a_st32(dst + 8, pad);
        }
    } else if (in.s8 != NULL) {
        const uint8_t *x = (const uint8_t *)in.s8 + (iy * p->in_w + ix) * p->in_c;
        for (c = 0; c < p->in_c; c += 4, dst += 16) {
            uint32_t v = f8a_ld32(x + c);
            f8a_st32(dst, f8a_sxtb16(v));
            f8a_st32(dst + 8, f8a_sxtb16(f8a_ror8(v)));
        }
    } else {
        const uint8_t *x = in.u8 + (iy * p->in_w + ix) * p->in_c;
        for (c = 0; c < p->in_c; c += 4, dst += 16) {
            uint32_t v = f8a_ld32(x + c);
            f8a_st32(dst, f8a_uxtb16(v));
            f8a_st32(dst + 8, f8a_uxtb16(f8a_ror8(v)));
        }
    }
}

/* Padded input row pr (0 .. in_h + pad_top + pad_bottom - 1) into a ring row. */
static void band_row(const f8_conv2d_params *p, f8_act_in in, int32_t pr, uint8_t *dst)
{
    int32_t iy = pr - p->pad_top, Wp = p->in_w + p->pad_left + p->pad_right, x;
    for (x = 0; x < Wp; x++, dst += 4 * p->in_c) {
        band_slot(p, in, iy, x - p->pad_left, dst);
        band_slot(p, in, iy, x + p->stride_w - p->pad_left, dst + 4);
    }
}

/* Work of one f8a_conv_pair_2x4 call (the assembly reads the 4 words at offsets 0, 4, 8, 12). */
typedef struct {
    int32_t nrows;         /* kernel rows */
    int32_t n16;           /* chunks of 16 taps per row */
    int32_t nblocks;       /* 2 x 4 blocks, 1 .. F8A_PAIR_NB */
    const int32_t *bias;   /* 4 * nblocks start values */
} f8a_pair_ctl;

#define F8A_PAIR_NB 16

#if defined(F8A_DSP) && defined(__GNUC__) && defined(__thumb2__)
/*
 * All ctl->nblocks 2 x 4 blocks of a pixel pair in one call: per block the
 * accumulators start from the next 4 words of ctl->bias (both pixels), run
 * over ctl->nrows kernel rows of ctl->n16 chunks (rows[r] the taps
 * of row r, the weights contiguous from w) and are stored as 8 words at out
 * (pixel 0's 4 channels, then pixel 1's). The per-chunk code is that of
 * f8a_conv_chunks_2x4.
 */
void f8a_conv_pair_2x4(const uint8_t *const *rows, const int8_t *w, const f8a_pair_ctl *ctl, int32_t *out);
__asm__(
    "\t.syntax unified\n"
    "\t.thumb\n"
    "\t.section .text.f8a_conv_pair_2x4,\"ax\",%progbits\n"
    "\t.global f8a_conv_pair_2x4\n"
    "\t.type f8a_conv_pair_2x4, %function\n"
    "\t.thumb_func\n"
    "\t.p2align 2\n"
    F8A_HALF_MACRO
    "f8a_conv_pair_2x4:\n"
    "\tpush {r4-r11, lr}\n"
    "\tsub sp, sp, #36\n"
    "\tstr r0, [sp, #20]\n"
    "\tstr r3, [sp, #32]\n"
    "\tldr r3, [r2]\n"
    "\tstr r3, [sp, #24]\n"
    "\tldr r3, [r2, #4]\n"
    "\tlsls r3, r3, #6\n"
    "\tstr r3, [sp, #8]\n"
    "\tldr r3, [r2, #8]\n"
    "\tstr r3, [sp, #16]\n"
    "\tldr r3, [r2, #12]\n"
    "\tstr r3, [sp, #28]\n"
    "3:\n"
    "\tldr r3, [sp, #28]\n"
    "\tldm r3!, {r4-r7}\n"
    "\tstr r3, [sp, #28]\n"
    "\tmov r8, r4\n"
    "\tmov r9, r5\n"
    "\tmov r10, r6\n"
    "\tmov r11, r7\n"
    "\tldr r3, [sp, #20]\n"
    "\tstr r3, [sp]\n"
    "\tldr r3, [sp, #24]\n"
    "\tstr r3, [sp, #4]\n"
    "2:\n"
    "\tldr lr, [sp]\n"
    "\tldr r0, [lr], #4\n"
    "\tstr lr, [sp]\n"
    "\tldr lr, [sp, #8]\n"
    "\tadd lr, r1, lr\n"
    "\tstr lr, [sp, #12]\n"
    "1:\n"
    "\tldr r2, [r0], #64\n"
    "\tldr r3, [r0, #-60]\n"
    "\tldr r12, [r1], #64\n"
    "\tsxtb16 lr, r12\n"
    "\tsmlad r4, r2, lr, r4\n"
    "\tsmlad r8, r3, lr, r8\n"
    "\tsxtb16 r12, r12, ror #8\n"
    "\tsmlad r5, r2, r12, r5\n"
    "\tsmlad r9, r3, r12, r9\n"
    "\tldr r12, [r1, #-32]\n"
    "\tsxtb16 lr, r12\n"
    "\tsmlad r6, r2, lr, r6\n"
    "\tsmlad r10, r3, lr, r10\n"
    "\tsxtb16 r12, r12, ror #8\n"
    "\tsmlad r7, r2, r12, r7\n"
    "\tsmlad r11, r3, r12, r11\n"
    "\tF8A_HALF -56, -60\n"
    "\tF8A_HALF -48, -56\n"
    "\tF8A_HALF -40, -52\n"
    "\tF8A_HALF -32, -48\n"
    "\tF8A_HALF -24, -44\n"
    "\tF8A_HALF -16, -40\n"
    "\tF8A_HALF -8, -36\n"
    "\tldr lr, [sp, #12]\n"
    "\tcmp r1, lr\n"
    "\tbne 1b\n"
    "\tldr lr, [sp, #4]\n"
    "\tsubs lr, lr, #1\n"
    "\tstr lr, [sp, #4]\n"
    "\tbne 2b\n"
    "\tldr r3, [sp, #32]\n"
    "\tstm r3!, {r4-r11}\n"
    "\tstr r3, [sp, #32]\n"
    "\tldr r3, [sp, #16]\n"
    "\tsubs r3, r3, #1\n"
    "\tstr r3, [sp, #16]\n"
    "\tbne 3b\n"
    "\tadd sp, sp, #36\n"
    "\tpop {r4-r11, pc}\n"
    "\t.purgem F8A_HALF\n"
    "\t.size f8a_conv_pair_2x4, .-f8a_conv_pair_2x4\n"
    "\t.text\n");
#endif

/* The contract of f8a_conv_pair_2x4. */
static void pair_2x4(const uint8_t *const *rows, const int8_t *w, const f8a_pair_ctl *ctl, int32_t *out)
{
#if defined(F8A_DSP) && defined(__GNUC__) && defined(__thumb2__)
    f8a_conv_pair_2x4(rows, w, ctl, out);
#else
    int32_t b, r, q, g;
    for (b = 0; b < ctl->nblocks; b++, out += 8) {
        for (r = 0; r < 4; r++) {
            out[r] = out[4 + r] = ctl->bias[4 * b + r];
        }
        for (r = 0; r < ctl->nrows; r++) {
            const uint8_t *x = rows[r];
            for (q = 0; q < ctl->n16; q++, x += 64, w += 64) {
                for (g = 0; g < 4; g++) {
                    step_2x4(x + 16 * g, w + 8 * g, w + 32 + 8 * g, out);
                }
            }
        }
    }
#endif
}

/* q clamped to [lo, hi]; sat 1: [-128, 127], 2: [0, 255] (one SSAT / USAT where there is DSP). */
F8A_ALWAYS_INLINE int32_t sat_to(int32_t q, int sat, int32_t lo, int32_t hi)
{
#ifdef F8A_DSP
    if (sat == 1) {
        return __ssat(q, 8);
    }
    if (sat == 2) {
        return (int32_t)__usat(q, 8);
    }
#endif
    (void)sat;
    return q < lo ? lo : (q > hi ? hi : q);
}

/* rq_fast of the two sums x0, x1 of one channel (shift n) to bytes o[0], o[C]. */
F8A_ALWAYS_INLINE void rq_two(int32_t x0, int32_t x1, int32_t n, uint8_t *o, int32_t C, f8_rounding mode, int sat,
                              int32_t lo, int32_t hi)
{
    int32_t q0, q1;
    if (mode == F8_ROUND_HALF_UP) {
        q0 = x0 >> n;
        q1 = x1 >> n;
    } else if (mode == F8_ROUND_HALF_AWAY) {
        int32_t h = (int32_t)1 << (n - 1);
        q0 = (x0 + ((x0 - h) >> 31)) >> n;
        q1 = (x1 + ((x1 - h) >> 31)) >> n;
    } else {
        q0 = (x0 + ((x0 >> n) & 1)) >> n;
        q1 = (x1 + ((x1 >> n) & 1)) >> n;
    }
    o[0] = f8_byte(sat_to(q0, sat, lo, hi));
    o[C] = f8_byte(sat_to(q1, sat, lo, hi));
}

/* The 8 * nbc fast-path sums of a pair (buf, as f8a_conv_pair_2x4 stores them) to bytes; shifts sh[c]. */
F8A_ALWAYS_INLINE void rq_pair_t(const int32_t *buf, uint8_t *o, const int8_t *sh, int32_t nbc, int32_t C,
                                 f8_rounding mode, int sat, int32_t lo, int32_t hi)
{
    int32_t b;
    for (b = 0; b < nbc; b++, buf += 8, o += 4, sh += 4) {
        rq_two(buf[0], buf[4], sh[0], o, C, mode, sat, lo, hi);
        rq_two(buf[1], buf[5], sh[1], o + 1, C, mode, sat, lo, hi);
        rq_two(buf[2], buf[6], sh[2], o + 2, C, mode, sat, lo, hi);
        rq_two(buf[3], buf[7], sh[3], o + 3, C, mode, sat, lo, hi);
    }
}

/* rq_pair_t with the mode and the common bounds (int8, uint8) as constants. */
#define F8A_RQ_BOUNDS(mode)                                                          \
    do {                                                                             \
        if (lo == -128 && hi == 127) {                                               \
            rq_pair_t(buf, o, sh, nbc, p->out_c, mode, 1, -128, 127);       \
        } else if (lo == 0 && hi == 255) {                                           \
            rq_pair_t(buf, o, sh, nbc, p->out_c, mode, 2, 0, 255);         \
        } else {                                                                     \
            rq_pair_t(buf, o, sh, nbc, p->out_c, mode, 0, lo, hi);         \
        }                                                                            \
    } while (0)

/* sh: the shifts of channels oc.. (p->shifts, or the per-tensor shift repeated). */
static void rq_pair(const f8_conv2d_params *p, const int32_t *buf, uint8_t *o, const int8_t *sh, int32_t nbc)
{
    int32_t lo = p->out_lo, hi = p->out_hi;
    switch (p->rounding) {
    case F8_ROUND_HALF_UP:
        F8A_RQ_BOUNDS(F8_ROUND_HALF_UP);
        break;
    case F8_ROUND_HALF_AWAY:
        F8A_RQ_BOUNDS(F8_ROUND_HALF_AWAY);
        break;
    default:
        F8A_RQ_BOUNDS(F8_ROUND_HALF_EVEN);
        break;
    }
}

static void band_mode(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, uint8_t *ring, int fast)
{
    int32_t KH = p->kernel_h, E = 4 * p->in_c, Kr = p->kernel_w * p->in_c, K = KH * Kr, C = p->out_c, nb = C >> 2;
    int32_t RB = E * (p->in_w + p->pad_left + p->pad_right), step = p->stride_w * E;
    int32_t shift = p->shift, filled = 0, oy, ox, ky, oc, r;
    const int8_t *shifts = p->shifts, *weight = p->weight;
    const int32_t *bias = p->bias;
    const f8a_affine *aff = f8a_conv_affine(p);
    const uint8_t *rows[F8A_BAND_KH];
    const uint8_t *base[F8A_BAND_KH];
    int32_t buf[8 * F8A_PAIR_NB], b4[4];
    int8_t sh1[4 * F8A_PAIR_NB];
    f8a_pair_ctl ctl;
    for (r = 0; r < 4 * F8A_PAIR_NB; r++) {
        sh1[r] = (int8_t)(shift < 0 ? 0 : shift > 31 ? 31 : shift); /* used only where fast_ok (1 <= shift <= 31) */
    }
    ctl.nrows = KH;
    ctl.n16 = Kr >> 4;
    for (oy = 0; oy < p->out_h; oy++) {
        for (ky = 0; ky < KH; ky++) {
            int32_t pr = oy * p->stride_h + ky;
            if (pr >= filled) {
                band_row(p, in, pr, ring + (pr % KH) * RB);
                filled = pr + 1;
            }
            base[ky] = ring + (pr % KH) * RB;
        }
        for (ox = 0; ox < p->out_w; ox += 2) {
            int32_t np = ox + 1 < p->out_w ? 2 : 1;
            uint8_t *o = out + (oy * p->out_w + ox) * C;
            for (ky = 0; ky < KH; ky++) {
                rows[ky] = base[ky] + (ox >> 1) * 2 * step;
            }
            oc = 0;
            if (bias != NULL && (fast || aff != NULL) && np == 2) {
                /* the usual case: all blocks in one call per F8A_PAIR_NB, requantised from buf */
                for (; oc < 4 * nb; oc += 4 * ctl.nblocks, o += 4 * ctl.nblocks) {
                    ctl.nblocks = nb - (oc >> 2) < F8A_PAIR_NB ? nb - (oc >> 2) : F8A_PAIR_NB;
                    ctl.bias = bias + oc;
                    pair_2x4(rows, weight + oc * K, &ctl, buf);
                    if (aff != NULL) {
                        for (r = 0; r < ctl.nblocks; r++) {
                            f8a_tfl_block(aff, buf + 8 * r, o + 4 * r, oc + 4 * r, 2, 4, C, p->out_lo, p->out_hi);
                        }
                    } else {
                        rq_pair(p, buf, o, shifts != NULL ? shifts + oc : sh1, ctl.nblocks);
                    }
                }
            }
            for (; oc < 4 * nb; oc += 4, o += 4) {
                int32_t acc[8];
                for (r = 0; r < 4; r++) {
                    b4[r] = f8_i32_from_u32(fbias_of(p, oc + r));
                }
                ctl.nblocks = 1;
                ctl.bias = b4;
                pair_2x4(rows, weight + oc * K, &ctl, acc);
                store_block(p, acc, o, oc, np, 4, fast);
            }
            for (; oc < C; oc++, o++) {
                int32_t acc[8];
                acc[0] = acc[4] = f8_i32_from_u32(fbias_of(p, oc));
                for (ky = 0; ky < KH; ky++) {
                    row_2x1(rows[ky], weight + oc * K + ky * Kr, Kr, acc);
                }
                store_block(p, acc, o, oc, np, 1, fast);
            }
        }
    }
}

static void conv_band(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, uint8_t *ring)
{
    band_mode(p, in, out, ring, fast_ok(p, p->kernel_h * p->kernel_w * p->in_c));
}

/* ---------------------------------------------------------------- entry points */

f8_status f8a_conv2d_run(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, void *scratch)
{
    f8_status st = check(p, in.s8 != NULL ? (const void *)in.s8 : (const void *)in.u8, out, scratch);
    if (st != F8_OK) {
        return st;
    }
    if (p->groups == 1) {
#ifdef F8A_MVE
        f8a_conv_gemm_mve(p, in, out, (uint8_t *)scratch, fast_ok(p, p->kernel_h * p->kernel_w * p->in_c));
        return F8_OK;
#endif
        if (band_fits(p) && p->dilation_h == 1 && p->dilation_w == 1) {
            conv_band(p, in, out, (uint8_t *)scratch);
        } else {
            conv_gemm(p, in, out, (uint8_t *)scratch);
        }
    } else if (f8a_is_depthwise(p)) {
        f8a_dwconv(p, in, out, (uint8_t *)scratch);
    } else {
        conv_direct(p, in, out);
    }
    return F8_OK;
}

f8_status f8_conv2d_s8(const f8_conv2d_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    return f8a_conv2d_run(p, f8_in_s8(in), out, scratch);
}

f8_status f8_conv2d_u8(const f8_conv2d_params *p, const uint8_t *in, uint8_t *out, void *scratch)
{
    return f8a_conv2d_run(p, f8_in_u8(in), out, scratch);
}

uint32_t f8_conv2d_s8_scratch_size(const f8_conv2d_params *p)
{
    if (p->groups == 1) {
        /* two int16 pixels, or the Helium bias table and two int8 pixels */
        uint32_t col = 4u * (uint32_t)(p->kernel_h * p->kernel_w * p->in_c);
        uint32_t mve = 2u * (uint32_t)(p->kernel_h * p->kernel_w * p->in_c) + 4u * (uint32_t)p->out_c;
        col = mve > col ? mve : col;
        return band_fits(p) && band_bytes(p) > col ? band_bytes(p) : col;
    }
    return f8a_is_depthwise(p) ? f8a_dwconv_scratch(p) : 0u;
}

uint32_t f8_conv2d_u8_scratch_size(const f8_conv2d_params *p)
{
    return f8_conv2d_s8_scratch_size(p);
}

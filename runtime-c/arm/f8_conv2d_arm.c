/*
 * f8_conv2d_arm.c - Arm-optimised 2-D convolution: the functions of
 * f8_conv2d.c (same contract, f8_kernels.h; same OHWI weights; same bytes).
 *
 * groups == 1 (every k x k and 1x1 convolution) is a matrix product over
 * weights the compiler re-laid out (blocks of 4 output channels, below) and
 * a bias table holding the rounding constant (below):
 *   DSP / plain C, packed weights (f8a_pk_fits: in_c % 4 == 0, kernel_w *
 *     in_c % 16 == 0, dilation 1, K <= 2048, the layout byte set): the
 *     zero-padded int16 band (see "padded int16 band" below), each input row
 *     expanded once, and one call of f8a_pk_pair per output row (per pixel
 *     pair where the assembly cannot requantise: per-channel shifts, several
 *     passes) (f8_conv2d_pk.c: one SMLAD gives two channels' sums) for all
 *     blocks of 2 pixels x 4 channels.
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
 * bias table is always there; f8a_fbias_of), with the rounding constant
 * r(n) = 2^(n-1) (half_up, half_away), 2^(n-1) - 1 (half_even), 0 (n <= 0).
 */

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
        int32_t n = f8a_shift_of(p, c), b;
        if (n < 1) {
            return 0;
        }
        b = f8_i32_from_u32(f8a_fbias_of(p, c) - f8a_round_const(n, p->rounding));
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
        int32_t n = f8a_shift_of(p, oc + r);
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
        uint32_t rc = f8a_round_const(f8a_shift_of(p, oc + r), p->rounding);
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
                    acc[r] = acc[4 + r] = f8_i32_from_u32(f8a_fbias_of(p, oc + r));
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
            acc[0] = acc[4] = f8_i32_from_u32(f8a_fbias_of(p, oc));
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
 * kernel_h <= F8A_BAND_KH, dilation 1, packed weights): the input is expanded to
 * int16 once per padded input row into a ring of kernel_h rows in the
 * scratch, zero-padded, so that a pixel pair's taps of one kernel row are
 * kernel_w * in_c contiguous taps in the column format (col_at): the padded
 * column x of a ring row holds, per 4 channels c..c+3, the words
 *   [P(x)(c,c+2), P(x+sw)(c,c+2), P(x)(c+1,c+3), P(x+sw)(c+1,c+3)]
 * (P the padded input row, sw the horizontal stride, P beyond the row zero),
 * i.e. the left pixel of the pair in slot 0 and the right one in slot 1. Each
 * input row is expanded once (the ring keeps the rows shared by consecutive
 * output rows), no im2col per pixel, no branch per tap. The assembly runs
 * all blocks of a pixel pair in one call. Columns no pixel pair reads (x mod
 * 2 sw >= kernel_w: every other one of a 1x1) are not written.
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

#if defined(F8A_DSP) && defined(__GNUC__)
/* SXTB16 / UXTB16 of x rotated right by 8 (GCC does not fold the rotation into the intrinsics). */
F8_INLINE uint32_t ext_hi(uint32_t x, int sgn)
{
    uint32_t r;
    if (sgn) {
        __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
    } else {
        __asm__("uxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
    }
    return r;
}
#else
F8_INLINE uint32_t ext_hi(uint32_t x, int sgn)
{
    return sgn ? f8a_sxtb16(f8a_ror8(x)) : f8a_uxtb16(f8a_ror8(x));
}
#endif

/* SXTB16 / UXTB16 of x (channels 0 and 2 of a word to int16). */
F8_INLINE uint32_t ext_lo(uint32_t x, int sgn)
{
    return sgn ? f8a_sxtb16(x) : f8a_uxtb16(x);
}

/*
 * GCC scheduling fences (empty asm that "changes" the values) for
 * band_c16: its extensions after the stores before it (F8A_BAND_AFTER,
 * also a memory clobber) and before its own stores (F8A_BAND_SEQ), so that
 * the loads and the stores stay in runs (on the M4 a single load / store
 * right after another one costs 1 cycle instead of 2).
 */
#if defined(F8A_DSP) && defined(__GNUC__)
#define F8A_BAND_AFTER(a, b, c, d) __asm__ volatile("" : "+r"(a), "+r"(b), "+r"(c), "+r"(d) : : "memory")
#define F8A_BAND_SEQ(a, b, c, d, e, f, g, h)                                                                          \
    __asm__("" : "+r"(a), "+r"(b), "+r"(c), "+r"(d), "+r"(e), "+r"(f), "+r"(g), "+r"(h))
#else
#define F8A_BAND_AFTER(a, b, c, d) ((void)0)
#define F8A_BAND_SEQ(a, b, c, d, e, f, g, h) ((void)0)
#endif

/* The 8 slot words of 16 channels from d: (c, c+2) at +0, (c+1, c+3) at +8, the next 4 channels 16 bytes on. */
F8A_ALWAYS_INLINE void band_st8(uint8_t *d, uint32_t a0, uint32_t b0, uint32_t a1, uint32_t b1, uint32_t a2, uint32_t b2, uint32_t a3,
                                uint32_t b3)
{
    f8a_st32(d, a0);
    f8a_st32(d + 8, b0);
    f8a_st32(d + 16, a1);
    f8a_st32(d + 24, b1);
    f8a_st32(d + 32, a2);
    f8a_st32(d + 40, b2);
    f8a_st32(d + 48, a3);
    f8a_st32(d + 56, b3);
}

/*
 * 16 channels at src into the band: the 4 channels at src + 4 i to the slot
 * words at d0 + 16 i (use0) and at d1 + 16 i (use1), the (c, c+2) word at
 * +0, the (c+1, c+3) word at +8 (d1: d0 + 4 for slot 1 of the same column);
 * sgn: int8 input. The 4 loads, the 8 extensions, then the stores in one run.
 */
F8A_ALWAYS_INLINE void band_c16(const uint8_t *src, int sgn, uint8_t *d0, uint8_t *d1, int use0, int use1)
{
    uint32_t v0 = f8a_ld32(src), v1 = f8a_ld32(src + 4), v2 = f8a_ld32(src + 8), v3 = f8a_ld32(src + 12);
    uint32_t a0, b0, a1, b1, a2, b2, a3, b3;
    F8A_BAND_AFTER(v0, v1, v2, v3);
    a0 = ext_lo(v0, sgn);
    b0 = ext_hi(v0, sgn);
    a1 = ext_lo(v1, sgn);
    b1 = ext_hi(v1, sgn);
    a2 = ext_lo(v2, sgn);
    b2 = ext_hi(v2, sgn);
    a3 = ext_lo(v3, sgn);
    b3 = ext_hi(v3, sgn);
    F8A_BAND_SEQ(a0, b0, a1, b1, a2, b2, a3, b3);
    if (use0) {
        band_st8(d0, a0, b0, a1, b1, a2, b2, a3, b3);
    }
    if (use1) {
        band_st8(d1, a0, b0, a1, b1, a2, b2, a3, b3);
    }
}

/* 4 channels: band_c16 of a quarter. */
F8A_ALWAYS_INLINE void band_c4(const uint8_t *src, int sgn, uint8_t *d0, uint8_t *d1, int use0, int use1)
{
    uint32_t v = f8a_ld32(src), a = ext_lo(v, sgn), b = ext_hi(v, sgn);
    if (use0) {
        f8a_st32(d0, a);
        f8a_st32(d0 + 8, b);
    }
    if (use1) {
        f8a_st32(d1, a);
        f8a_st32(d1 + 8, b);
    }
}

/*
 * n input bytes at src (n % 4 == 0: the C channels of one pixel, or whole
 * pixels one after the other) into the band as band_c16 / band_c4 do;
 * unroll 0: 4 channels a pass (a single pixel at a row's edge: less code),
 * 1: 16, 2: 32.
 */
F8A_ALWAYS_INLINE void band_px(const uint8_t *src, int32_t n, int sgn, uint8_t *d0, uint8_t *d1, int use0, int use1, int unroll)
{
    if (unroll >= 2) {
        for (; n >= 32; n -= 32, src += 32, d0 += 128, d1 += 128) {
            band_c16(src, sgn, d0, d1, use0, use1);
            band_c16(src + 16, sgn, d0 + 64, d1 + 64, use0, use1);
        }
    }
    if (unroll >= 1) {
        for (; n >= 16; n -= 16, src += 16, d0 += 64, d1 += 64) {
            band_c16(src, sgn, d0, d1, use0, use1);
        }
    }
    for (; n > 0; n -= 4, src += 4, d0 += 16, d1 += 16) {
        band_c4(src, sgn, d0, d1, use0, use1);
    }
}

/*
 * n pixels of C channels, P pixels apart at src, into P columns apart at d0
 * / d1 (band_px of each; the same pointers walk on: fewer live registers);
 * 16 channels a pass when C % 16 == 0, else 4.
 */
F8A_ALWAYS_INLINE void band_run(const uint8_t *src, int32_t n, int32_t C, int32_t P, int sgn, uint8_t *d0, uint8_t *d1, int use0,
                                int use1)
{
    int32_t skip = (P - 1) * C;
    if ((C & 15) == 0) {
        for (; n > 0; n--, src += skip, d0 += 4 * skip, d1 += 4 * skip) {
            const uint8_t *e = src + C;
            do {
                band_c16(src, sgn, d0, d1, use0, use1);
                src += 16;
                d0 += 64;
                d1 += 64;
            } while (src != e);
        }
    } else {
        for (; n > 0; n--, src += skip, d0 += 4 * skip, d1 += 4 * skip) {
            const uint8_t *e = src + C;
            do {
                band_c4(src, sgn, d0, d1, use0, use1);
                src += 4;
                d0 += 16;
                d1 += 16;
            } while (src != e);
        }
    }
}

/*
 * Input row `row` (inside) into a ring row: each input pixel loaded once and
 * written to the slots that hold it (slot 0 of column x, slot 1 of column
 * x - sw) in the columns some pixel pair reads (pair j reads the columns
 * 2 j sw + kx, kx < kernel_w: x mod 2 sw < kernel_w); with pads also the
 * slots of pixels in the padding (the pad value; only the columns before
 * pad_left and from pad_left + in_w - sw on hold such slots).
 */
F8A_ALWAYS_INLINE void band_fill(const f8_conv2d_params *p, const uint8_t *row, int sgn, uint8_t *dst, int pads)
{
    int32_t W = p->in_w, L = p->pad_left, Wp = W + L + p->pad_right, sw = p->stride_w, C = p->in_c, E = 4 * C;
    int32_t KW = p->kernel_w, P = 2 * sw, x, c, ph, Lm;
    uint8_t *d;
    if (pads) {
        /* columns L .. x1 - 1 have both pixels inside */
        int32_t x1 = L + W - sw;
        uint32_t pad = f8a_pack16(f8a_pad_value(p), f8a_pad_value(p)); /* padded taps: Z_x of an affine layer, else 0 */
        for (x = 0; x < Wp; x++) {
            int32_t i0, i1;
            if (x == L && x1 > L) {
                x = x1;
            }
            i0 = x - L;
            i1 = i0 + sw;
            if (x % P >= KW) {
                continue;
            }
            for (c = 0, d = dst + x * E; c < C; c += 4, d += 16) {
                if (i0 < 0 || i0 >= W) {
                    f8a_st32(d, pad);
                    f8a_st32(d + 8, pad);
                }
                if (i1 < 0 || i1 >= W) {
                    f8a_st32(d + 4, pad);
                    f8a_st32(d + 12, pad);
                }
            }
        }
    }
    d = dst + L * E;
    if (sw == 1 && KW >= 2) {
        /*
         * every column read: both slots of every pixel, the row's channels as
         * one run (slot 1 of column x - 1: E - 4 bytes before slot 0 of column x)
         */
        if (L == 0) {
            band_px(row, C, sgn, d, d, 1, 0, 0);
            row += C;
            d += E;
            W--;
        }
        band_px(row, W * C, sgn, d, d + 4 - E, 1, 1, 2);
        return;
    }
    Lm = L % P;
    /*
     * per phase ph = x mod 2 sw the same slots of each pixel: slot 0 of
     * column x when ph < KW, slot 1 of column x - sw when (ph + sw) mod 2 sw < KW
     */
    for (ph = 0; ph < P; ph++) {
        int32_t ph1 = ph >= sw ? ph - sw : ph + sw, u0 = ph < KW, u1 = ph1 < KW, n;
        const uint8_t *s;
        x = L + ph - Lm + (ph < Lm ? P : 0);
        if (x >= L + W || (u0 == 0 && u1 == 0)) {
            continue;
        }
        s = row + (x - L) * C;
        d = dst + x * E;
        if (u1 && x < sw) {
            /* no column x - sw */
            if (u0) {
                band_px(s, C, sgn, d, d, 1, 0, 1);
            }
            x += P;
            s += P * C;
            d += P * E;
        }
        n = x < L + W ? (L + W - 1 - x) / P + 1 : 0;
        if (u0 && u1) {
            band_run(s, n, C, P, sgn, d, d + 4 - sw * E, 1, 1);
        } else if (u0) {
            band_run(s, n, C, P, sgn, d, d, 1, 0);
        } else {
            band_run(s, n, C, P, sgn, d + 4 - sw * E, d + 4 - sw * E, 0, 1);
        }
    }
}

#if defined(__GNUC__)
#define F8A_NOINLINE __attribute__((noinline))
#else
#define F8A_NOINLINE
#endif

/*
 * Padded input row pr (0 .. in_h + pad_top + pad_bottom - 1) into a ring row
 * (not inlined: the registers are band_mode's). The slots of padding pixels
 * are written only on a ring row's first fill (pr < kernel_h: band_mode fills
 * rows 0 .. kernel_h - 1 first, row pr into ring row pr % kernel_h): later
 * fills write nothing else there (an all-padding row writes the pad value
 * everywhere).
 */
static F8A_NOINLINE void band_row(const f8_conv2d_params *p, f8_act_in in, int32_t pr, uint8_t *dst)
{
    int32_t iy = pr - p->pad_top;
    if (iy < 0 || iy >= p->in_h) {
        f8a_fill16(dst, f8a_pad_value(p), (uint32_t)band_bytes(p) / (uint32_t)p->kernel_h);
    } else if (in.s8 != NULL) {
        band_fill(p, (const uint8_t *)in.s8 + iy * p->in_w * p->in_c, 1, dst, pr < p->kernel_h);
    } else {
        band_fill(p, in.u8 + iy * p->in_w * p->in_c, 0, dst, pr < p->kernel_h);
    }
}

#define F8A_PAIR_NB 16 /* blocks per f8a_pk_pair call */
#define F8A_PK_SEGS 64 /* segment list entries (f8a_pk_fits: K <= 2048) */

/*
 * The 8 words of each packed block (f8a_pk_pair) to the sums of the plain
 * blocks (pixel 0's 4 channels, then pixel 1's): b = bias_b + (raw - a) >> 8.
 */
static void pk_unpack(int32_t *buf, const int32_t *bias, int32_t nblocks, uint32_t radd)
{
    int32_t b, i;
    for (b = 0; b < nblocks; b++, buf += 8, bias += 4) {
        for (i = 0; i < 8; i += 2) {
            uint32_t bb = (uint32_t)bias[(i & 2) + 1];
            int32_t d = f8_i32_from_u32((uint32_t)buf[i + 1] - (uint32_t)buf[i] - (bb << 8) - radd) >> 8;
            buf[i + 1] = f8_i32_from_u32(bb + (uint32_t)d);
        }
    }
}

/* The init words of blocks oc / 4 .. (f8_conv2d_pk.c) from the folded biases fb. */
static void pk_init_words(const f8_conv2d_params *p, int32_t oc, int32_t nblocks, uint32_t radd, int32_t *fb, int32_t *ini)
{
    int32_t r;
    for (r = 0; r < 4 * nblocks; r++) {
        fb[r] = p->bias != NULL ? p->bias[oc + r] : f8_i32_from_u32(f8a_fbias_of(p, oc + r));
    }
    for (r = 0; r < 4 * nblocks; r += 2) {
        ini[r] = fb[r];
        ini[r + 1] = f8_i32_from_u32((uint32_t)fb[r] + ((uint32_t)fb[r + 1] << 8) + radd);
    }
}

/*
 * Which requantisation f8a_pk_pair can do itself (f8a_pk_rq kind 1: int8,
 * 2: uint8, 0: none) and its shift word *sh: half_even or half_up, the
 * bounds of the output type, fast_ok, one shift 1 .. 23 for every channel,
 * and for the channels b of the pairs 256 * |bias_b + S_b| + 2^(n+7) < 2^31
 * (the sum b scaled by 256 in raw - a).
 */
static int pk_rq_kind(const f8_conv2d_params *p, int32_t K, int sgn, int fast, uint32_t *sh)
{
    int32_t c, kind = p->out_lo == -128 && p->out_hi == 127 ? 1 : (p->out_lo == 0 && p->out_hi == 255 ? 2 : 0);
    int32_t smax = K * (sgn ? 16384 : 32640), n0 = f8a_shift_of(p, 0);
    uint32_t he = p->rounding == F8_ROUND_HALF_EVEN, na = (uint32_t)n0, nb = na + 8u;
    if (!fast || kind == 0 || p->rounding == F8_ROUND_HALF_AWAY || n0 < 1 || n0 > 23) {
        return 0;
    }
    for (c = 0; c < p->out_c; c++) {
        int32_t n = f8a_shift_of(p, c), b = f8_i32_from_u32(f8a_fbias_of(p, c) - f8a_round_const(n, p->rounding));
        if (n != n0) {
            return 0;
        }
        if ((c & 1) && (b > 8388607 - smax - ((int32_t)1 << (n - 1)) || b < -8388607 + smax + ((int32_t)1 << (n - 1)))) {
            return 0;
        }
    }
    /* [n, k, n + 8, k_b], k = 31 - shift (half_even: the tie bit to bit 31) or 32 (nothing) */
    *sh = na | ((he ? 31u - na : 32u) << 8) | (nb << 16) | ((he ? 31u - nb : 32u) << 24);
    return kind;
}

/*
 * The band scheme with packed weights: per output row the new padded input
 * rows into the ring, then per F8A_PAIR_NB blocks one f8a_pk_pair call for
 * all full pixel pairs of the row where the assembly requantises (one pass,
 * pk_rq_kind), else per pixel pair the segment list's x pointers and one
 * call per pass. The kernel rows are
 * split into segments of at most F8A_PK_U chunks and the segments into
 * passes of at most 31 chunks (int8 input; 16 for uint8), so that each
 * pass's S_b is exact; one pass: the assembly requantises where
 * pk_rq_kind says so, else (and with several passes) the sums come back
 * and are requantised here.
 */
static void band_mode(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, uint8_t *ring, int fast)
{
    int32_t KH = p->kernel_h, E = 4 * p->in_c, Kr = p->kernel_w * p->in_c, K = KH * Kr, C = p->out_c, nb = C >> 2;
    int32_t RB = E * (p->in_w + p->pad_left + p->pad_right), step = p->stride_w * E, filled = 0, oy, ox, ky, oc, r;
    int32_t n16 = Kr >> 4, nsr = (n16 + F8A_PK_U - 1) / F8A_PK_U, first = n16 - (nsr - 1) * F8A_PK_U;
    int32_t lmax = in.s8 != NULL ? 31 : 16, nent = 0, npass = 0, used = 0, i, q, nbk, rqk, npr;
    int32_t seg_off[F8A_PK_SEGS], pass_at[F8A_PK_SEGS], pass_c0[F8A_PK_SEGS], pass_n[F8A_PK_SEGS];
    int32_t buf[8 * F8A_PAIR_NB], tot[8 * F8A_PAIR_NB], fb[4 * F8A_PAIR_NB], ini[4 * F8A_PAIR_NB], zero[4 * F8A_PAIR_NB];
    int8_t seg_ky[F8A_PK_SEGS];
    uint32_t sh = 0, radd = p->rounding == F8_ROUND_HALF_EVEN ? 255u : 0u;
    uintptr_t rq_none, rq_fast;
    const uint8_t *base[F8A_BAND_KH];
    f8a_pk_seg segs[F8A_PK_SEGS];
    f8a_pk_ctl pc;
    /* the segments (row ky, chunk offset in the row), a terminator after each pass */
    for (ky = 0; ky < KH; ky++) {
        for (q = 0; q < nsr; q++) {
            int32_t n = q == 0 ? first : F8A_PK_U, c0 = q == 0 ? 0 : first + (q - 1) * F8A_PK_U;
            if (npass == 0 || used + n > lmax) {
                if (npass > 0) {
                    seg_ky[nent] = -1;
                    segs[nent].x = NULL;
                    segs[nent].go = f8a_pk_rq(0);
                    nent++;
                }
                pass_at[npass] = nent;
                pass_c0[npass] = ky * n16 + c0;
                pass_n[npass] = 0;
                npass++;
                used = 0;
            }
            seg_ky[nent] = (int8_t)ky;
            seg_off[nent] = 64 * c0;
            segs[nent].go = f8a_pk_entry(n);
            nent++;
            used += n;
            pass_n[npass - 1] += n;
        }
    }
    seg_ky[nent] = -1;
    segs[nent].x = NULL;
    segs[nent].go = f8a_pk_rq(0);
    nent++;
    for (r = 0; r < 4 * F8A_PAIR_NB; r++) {
        zero[r] = 0;
    }
    rqk = npass == 1 ? pk_rq_kind(p, K, in.s8 != NULL, fast, &sh) : 0;
    rq_none = f8a_pk_rq(0);
    rq_fast = f8a_pk_rq(rqk);
    /* full pixel pairs of a row done in one call per F8A_PAIR_NB blocks (the assembly requantises) */
    npr = rqk != 0 ? p->out_w >> 1 : 0;
    pc.sh = sh;
    pc.ostride = C;
    pc.npairs = 1;
    pc.xstep = 2 * step;
    pc.nseg = nent - 1;
    pc.pstep = 0;
    pk_init_words(p, 0, nb < F8A_PAIR_NB ? nb : F8A_PAIR_NB, radd, fb, ini);
    for (oy = 0; oy < p->out_h; oy++) {
        for (ky = 0; ky < KH; ky++) {
            int32_t pr = oy * p->stride_h + ky;
            if (pr >= filled) {
                band_row(p, in, pr, ring + (pr % KH) * RB);
                filled = pr + 1;
            }
            base[ky] = ring + (pr % KH) * RB;
        }
        for (oc = 0; oc < 4 * nb && npr > 0; oc += 4 * nbk) {
            nbk = nb - (oc >> 2) < F8A_PAIR_NB ? nb - (oc >> 2) : F8A_PAIR_NB;
            if (nb > F8A_PAIR_NB) {
                pk_init_words(p, oc, nbk, radd, fb, ini);
            }
            for (i = 0; i < nent - 1; i++) {
                segs[i].x = base[seg_ky[i]] + seg_off[i];
            }
            pc.segs = segs;
            pc.w = p->weight + oc * K;
            pc.ini = ini;
            pc.iend = ini + 4 * nbk;
            pc.wskip = 0;
            pc.rq = segs[nent - 1].go = rq_fast;
            pc.out = out + oy * p->out_w * C + oc;
            pc.npairs = npr;
            pc.pstep = 2 * C - 4 * nbk;
            f8a_pk_pair(&pc);
        }
        pc.npairs = 1;
        /* the pairs left: the odd last pixel, else every pair with the channels after the blocks */
        for (ox = 4 * nb == C ? 2 * npr : 0; ox < p->out_w; ox += 2) {
            int32_t np = ox + 1 < p->out_w ? 2 : 1, at = (ox >> 1) * 2 * step;
            uint8_t *o = out + (oy * p->out_w + ox) * C;
            int blocks = ox >= 2 * npr; /* not done by the row call */
            for (i = 0; i < nent && blocks; i++) {
                if (seg_ky[i] >= 0) {
                    segs[i].x = base[seg_ky[i]] + at + seg_off[i];
                }
            }
            for (oc = 0; oc < 4 * nb && blocks; oc += 4 * nbk, o += 4 * nbk) {
                nbk = nb - (oc >> 2) < F8A_PAIR_NB ? nb - (oc >> 2) : F8A_PAIR_NB;
                if (nb > F8A_PAIR_NB) {
                    pk_init_words(p, oc, nbk, radd, fb, ini);
                }
                if (npass == 1) {
                    pc.segs = segs;
                    pc.w = p->weight + oc * K;
                    pc.ini = ini;
                    pc.iend = ini + 4 * nbk;
                    pc.wskip = 0;
                    pc.rq = segs[nent - 1].go = np == 2 ? rq_fast : rq_none;
                    pc.out = np == 2 && rqk != 0 ? (void *)o : (void *)buf;
                    f8a_pk_pair(&pc);
                    if (np == 2 && rqk != 0) {
                        continue;
                    }
                    pk_unpack(buf, fb, nbk, radd);
                } else {
                    /* several passes from zero, summed here: a += a_q, b += (raw_q - a_q) >> 8 */
                    for (r = 0; r < 8 * nbk; r++) {
                        tot[r] = 0;
                    }
                    for (q = 0; q < npass; q++) {
                        pc.segs = segs + pass_at[q];
                        pc.w = p->weight + oc * K + 64 * pass_c0[q];
                        pc.ini = zero;
                        pc.iend = zero + 4 * nbk;
                        pc.wskip = 64 * (K / 16 - pass_n[q]);
                        pc.rq = rq_none;
                        pc.out = buf;
                        f8a_pk_pair(&pc);
                        for (r = 0; r < 8 * nbk; r += 2) {
                            tot[r] = f8_i32_from_u32((uint32_t)tot[r] + (uint32_t)buf[r]);
                            tot[r + 1] = f8_i32_from_u32((uint32_t)tot[r + 1] +
                                                         (uint32_t)(f8_i32_from_u32((uint32_t)buf[r + 1] - (uint32_t)buf[r]) >> 8));
                        }
                    }
                    for (r = 0; r < 8 * nbk; r++) {
                        buf[r] = f8_i32_from_u32((uint32_t)tot[r] + (uint32_t)fb[4 * (r >> 3) + (r & 3)]);
                    }
                }
                for (r = 0; r < nbk; r++) {
                    store_block(p, buf + 8 * r, o + 4 * r, oc + 4 * r, np, 4, fast);
                }
            }
            for (oc = 4 * nb; oc < C; oc++) {
                int32_t acc[8];
                acc[0] = acc[4] = f8_i32_from_u32(f8a_fbias_of(p, oc));
                for (ky = 0; ky < KH; ky++) {
                    row_2x1(base[ky] + at, p->weight + oc * K + ky * Kr, Kr, acc);
                }
                store_block(p, acc, out + (oy * p->out_w + ox) * C + oc, oc, np, 1, fast);
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
        if (f8a_pk_fits(p)) {
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

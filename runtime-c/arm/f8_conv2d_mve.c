/*
 * f8_conv2d_mve.c - groups == 1 convolution of the Arm conv2d kernels
 * (f8_conv2d_arm.c) on Helium (MVE), int8 and uint8 input; empty elsewhere.
 *
 * Weights and bias are the arm layout of f8_conv2d_arm.c (blocks of 4
 * output channels, the rounding constant in the bias), read as they are.
 * Two output pixels at a time are gathered (im2col) as int8 into the
 * scratch, in the tap order VLD2 gives the weights of a channel pair (from
 * a ring of reordered input rows where in_c % 16 == 0). Every block of 4
 * channels is one tile of 4 channels x 2 pixels: per 16 taps two VLD2 (the
 * block's two pairs, 64 bytes) and two column loads feed 8 VMLADAVA (128
 * MACs), an assembly loop over up to 8 blocks; then the sums get the bias
 * from a table and are requantised 4 channels per vector (VSHL by -n,
 * VMAX/VMIN, VSTRB.32), one loop per rounding mode.
 *
 * Packed weights (f8a_pk_fits, f8_conv2d_pk.c): b = b' + [a < 0] restored
 * after each VLD2 (2 instructions per pair and 16 taps).
 *
 * uint8 input: the column holds x - 128 (x XOR 0x80, padding 0x80, which is
 * 0 - 128), and the bias table adds 128 * (sum of the channel's weights), so
 * the sums are the same modulo 2^32.
 *
 * Scratch: the bias table (4 * out_c bytes), the column (2 * K bytes), then
 * the ring where it fits (f8_conv2d_s8_scratch_size is at least the first two).
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

/*
 * The two-pixel column: taps below K16 (K rounded down to 16) in chunks of
 * 16, pixel slot 0 then slot 1 (32 bytes a chunk), each chunk's taps in the
 * order VLD2 splits a channel pair of the weights (k, k+2, k+1, k+3 per 4
 * taps); then the K - K16 last taps of each slot in order. mcol_at: position
 * of tap k of slot s.
 */
static int32_t mcol_at(int32_t k, int32_t s, int32_t K)
{
    int32_t K16 = K & ~15, j = k & 3;
    if (k < K16) {
        return (k >> 4) * 32 + s * 16 + (k & 12) + ((j & 1) << 1) + (j >> 1);
    }
    return 2 * K16 + s * (K - K16) + (k - K16);
}

/*
 * The middle bytes of every word swapped (taps k..k+3 into the order k, k+2,
 * k+1, k+3) and XOR fv: t = bit difference of bytes 1 and 2, in byte 1;
 * v ^ t ^ (t << 8) swaps them (one constant, so GCC keeps it in a register).
 */
F8A_ALWAYS_INLINE uint8x16_t vld2_order(uint8x16_t v, uint8x16_t fv, uint32x4_t m)
{
    uint32x4_t u = vreinterpretq_u32_u8(v);
    uint32x4_t t = vandq_u32(veorq_u32(vshrq_n_u32(u, 8), u), m);
    return veorq_u8(vreinterpretq_u8_u32(veorq_u32(u, veorq_u32(t, vshlq_n_u32(t, 8)))), fv);
}

/*
 * in_c % 16 == 0 (then K16 == K): the kernel row ky of the output pixel whose
 * first tap is (iy0, ix0) into slot s, whole vectors; a row inside the input
 * (dilation_w 1) is kernel_w * in_c contiguous bytes, one loop.
 */
static void row_fill16(const f8_conv2d_params *p, const uint8_t *src, uint8x16_t fv, uint8x16_t pv, int32_t iy, int32_t ix0,
                       uint8_t *dst)
{
    int32_t C = p->in_c, n = C >> 4, kx, j;
    uint32x4_t m = vdupq_n_u32(0x0000ff00u);
    if ((uint32_t)iy >= (uint32_t)p->in_h) {
        for (j = n * p->kernel_w; j > 0; j--, dst += 32) {
            vstrbq_u8(dst, pv);
        }
        return;
    }
    if (p->dilation_w == 1 && ix0 >= 0 && ix0 + p->kernel_w <= p->in_w) {
        const uint8_t *x = src + (iy * p->in_w + ix0) * C;
        for (j = n * p->kernel_w; j > 0; j--, x += 16, dst += 32) {
            vstrbq_u8(dst, vld2_order(vldrbq_u8(x), fv, m));
        }
        return;
    }
    for (kx = 0; kx < p->kernel_w; kx++) {
        int32_t ix = ix0 + kx * p->dilation_w;
        if ((uint32_t)ix < (uint32_t)p->in_w) {
            const uint8_t *x = src + (iy * p->in_w + ix) * C;
            for (j = n; j > 0; j--, x += 16, dst += 32) {
                vstrbq_u8(dst, vld2_order(vldrbq_u8(x), fv, m));
            }
        } else {
            for (j = n; j > 0; j--, dst += 32) {
                vstrbq_u8(dst, pv);
            }
        }
    }
}

/*
 * Output pixel pix into slot s of the column: src are the input bytes, each
 * XOR flip (0x80 for uint8 input, else 0); padded taps are the pad value
 * (f8a_pad_value: Z_x of an affine layer, else 0) XOR flip.
 */
static void col_fill(const f8_conv2d_params *p, const uint8_t *src, uint32_t flip, int32_t pix, int32_t s, int8_t *col)
{
    int32_t K = p->kernel_h * p->kernel_w * p->in_c, K16 = K & ~15, C = p->in_c, ky, kx, c, k = 0;
    int32_t oy = pix / p->out_w, iy0 = oy * p->stride_h - p->pad_top;
    int32_t ix0 = (pix - oy * p->out_w) * p->stride_w - p->pad_left;
    uint32_t pad = (uint32_t)(uint8_t)f8a_pad_value(p) * 0x01010101u;
    if ((C & 15) == 0) {
        uint8x16_t fv = vdupq_n_u8((uint8_t)flip), pv = vdupq_n_u8((uint8_t)(pad ^ flip));
        uint8_t *dst = (uint8_t *)col + s * 16;
        int32_t step = p->kernel_w * C * 2;
        for (ky = 0; ky < p->kernel_h; ky++, dst += step) {
            row_fill16(p, src, fv, pv, iy0 + ky * p->dilation_h, ix0, dst);
        }
        return;
    }
    for (ky = 0; ky < p->kernel_h; ky++) {
        int32_t iy = iy0 + ky * p->dilation_h;
        for (kx = 0; kx < p->kernel_w; kx++) {
            int32_t ix = ix0 + kx * p->dilation_w;
            int inside = (uint32_t)iy < (uint32_t)p->in_h && (uint32_t)ix < (uint32_t)p->in_w;
            const uint8_t *x = src + (inside ? (iy * p->in_w + ix) * C : 0);
            if ((C & 3) == 0) {
                for (c = 0; c < C; c += 4, k += 4) {
                    uint32_t v = (inside ? f8a_ld32(x + c) : pad) ^ (flip * 0x01010101u);
                    if (k < K16) {
                        v = (v & 0xff0000ffu) | ((v & 0x0000ff00u) << 8) | ((v >> 8) & 0x0000ff00u);
                    }
                    f8a_st32(col + mcol_at(k, s, K), v);
                }
            } else {
                for (c = 0; c < C; c++, k++) {
                    col[mcol_at(k, s, K)] = (int8_t)(uint8_t)((inside ? (uint32_t)x[c] : pad) ^ flip);
                }
            }
        }
    }
}

/*
 * The ring (in_c % 16 == 0, a kernel larger than 1x1, dilation 1, where the
 * scratch has room after the column): kernel_h zero-padded input rows already in column byte order and
 * XOR flip, padded row ip (input row ip - pad_top) in slot ip % kernel_h, so
 * each input byte is reordered once and a pixel's column is kernel_h
 * contiguous copies of kernel_w * in_c bytes.
 */
typedef struct {
    uint8_t *base;   /* kernel_h rows of (in_w + pad_left + pad_right) * in_c bytes */
    int32_t row;     /* bytes of a row */
    int32_t have;    /* padded rows 0 .. have - 1 were loaded (the last kernel_h of them are there) */
    uint8_t pad;     /* the padding byte: f8a_pad_value XOR flip */
} f8a_ring;

static int ring_fits(const f8_conv2d_params *p, int32_t K)
{
    uint32_t need = 4u * (uint32_t)p->out_c + 2u * (uint32_t)K +
                    (uint32_t)(p->kernel_h * (p->in_w + p->pad_left + p->pad_right) * p->in_c);
    return (p->in_c & 15) == 0 && p->kernel_h * p->kernel_w > 1 && p->dilation_h == 1 && p->dilation_w == 1 &&
           need <= f8_conv2d_s8_scratch_size(p);
}

/* Padded input row ip into its slot: padding rg->pad, the input reordered (vld2_order) and XOR flip. */
static void ring_load(const f8_conv2d_params *p, const uint8_t *src, uint8x16_t fv, f8a_ring *rg, int32_t ip)
{
    int32_t C = p->in_c, iy = ip - p->pad_top, j;
    uint8_t *dst = rg->base + (ip % p->kernel_h) * rg->row;
    uint32x4_t m = vdupq_n_u32(0x0000ff00u);
    uint8x16_t pv = vdupq_n_u8(rg->pad);
    if ((uint32_t)iy >= (uint32_t)p->in_h) {
        for (j = rg->row >> 4; j > 0; j--, dst += 16) {
            vstrbq_u8(dst, pv);
        }
        return;
    }
    for (j = (p->pad_left * C) >> 4; j > 0; j--, dst += 16) {
        vstrbq_u8(dst, pv);
    }
    src += iy * p->in_w * C;
    for (j = (p->in_w * C) >> 4; j > 0; j--, src += 16, dst += 16) {
        vstrbq_u8(dst, vld2_order(vldrbq_u8(src), fv, m));
    }
    for (j = (p->pad_right * C) >> 4; j > 0; j--, dst += 16) {
        vstrbq_u8(dst, pv);
    }
}

/* Output pixel (oy, ox) into slot s of the column from the ring (its rows loaded first). */
static void ring_fill(const f8_conv2d_params *p, const uint8_t *src, uint8x16_t fv, f8a_ring *rg, int32_t oy, int32_t ox,
                      int32_t s, int8_t *col)
{
    int32_t ip0 = oy * p->stride_h, KH = p->kernel_h, ip, r, ky, j, n = (p->kernel_w * p->in_c) >> 4;
    int32_t at = ox * p->stride_w * p->in_c;
    uint8_t *dst = (uint8_t *)col + s * 16;
    for (ip = rg->have > ip0 ? rg->have : ip0; ip < ip0 + KH; ip++) {
        ring_load(p, src, fv, rg, ip);
    }
    if (rg->have < ip0 + KH) {
        rg->have = ip0 + KH;
    }
    r = ip0 % KH;
    for (ky = 0; ky < KH; ky++) {
        const uint8_t *x = rg->base + r * rg->row + at;
        for (j = n; j > 0; j--, x += 16, dst += 32) {
            vstrbq_u8(dst, vldrbq_u8(x));
        }
        r = r + 1 == KH ? 0 : r + 1;
    }
}

/*
 * tb[c]: the bias of channel c with the rounding constant (the arm bias
 * table, or the constant alone without one), plus 128 * (sum of the
 * weights of c) for uint8 input; modulo 2^32.
 */
static void bias_table(const f8_conv2d_params *p, int32_t K, int u8, int pk, int32_t *tb)
{
    int32_t C = p->out_c, K16 = K & ~15, oc, k, r;
    for (oc = 0; oc < C; oc++) {
        tb[oc] = f8_i32_from_u32(f8a_fbias_of(p, oc));
    }
    if (!u8) {
        return;
    }
    for (oc = 0; oc + 4 <= C; oc += 4) {
        const int8_t *w = p->weight + oc * K;
        int32_t sum[4] = {0, 0, 0, 0};
        for (k = 0; k < K16; k += 16) {
            int8x16x2_t a = vld2q_s8(w + 4 * k), b = vld2q_s8(w + 4 * k + 32);
            if (pk) {
                a.val[1] = vsubq_s8(a.val[1], vshrq_n_s8(a.val[0], 7));
                b.val[1] = vsubq_s8(b.val[1], vshrq_n_s8(b.val[0], 7));
            }
            sum[0] = vaddvaq_s8(sum[0], a.val[0]);
            sum[1] = vaddvaq_s8(sum[1], a.val[1]);
            sum[2] = vaddvaq_s8(sum[2], b.val[0]);
            sum[3] = vaddvaq_s8(sum[3], b.val[1]);
        }
        for (r = 0; r < 4; r++) {
            for (k = K16; k < K; k++) {
                sum[r] += w[blk_at(r, k, K)];
            }
            tb[oc + r] = f8_i32_from_u32((uint32_t)tb[oc + r] + ((uint32_t)sum[r] << 7));
        }
    }
    for (; oc < C; oc++) {
        const int8_t *w = p->weight + oc * K;
        int32_t sum = 0;
        for (k = 0; k < K; k += 16) {
            sum = vaddvaq_p_s8(sum, vldrbq_z_s8(w + k, vctp8q((uint32_t)(K - k))), vctp8q((uint32_t)(K - k)));
        }
        tb[oc] = f8_i32_from_u32((uint32_t)tb[oc] + ((uint32_t)sum << 7));
    }
}

/* The sums of a tile with the folded bias taken off again, requantised by f8a_conv_out (when fast_ok fails; affine layers). */
static void store_plain(const f8_conv2d_params *p, const int32_t *acc, uint8_t *o, int32_t oc, int32_t np, int32_t nr)
{
    int32_t s, r;
    const f8a_affine *a = f8a_conv_affine(p);
    if (a != NULL) {
        f8a_tfl_block(a, acc, o, oc, np, nr, p->out_c, p->out_lo, p->out_hi);
        return;
    }
    for (r = 0; r < nr; r++) {
        uint32_t rc = f8a_round_const(f8a_shift_of(p, oc + r), p->rounding);
        for (s = 0; s < np; s++) {
            o[s * p->out_c + r] = f8a_conv_out(p, (uint32_t)acc[4 * s + r] - rc, oc + r);
        }
    }
}

/* At most F8A_GROUP blocks of 4 channels per pass of the block loop (their sums on the stack: 8 * F8A_GROUP int32). */
#define F8A_GROUP 8

#if defined(__GNUC__) && defined(__OPTIMIZE__)
/*
 * The block loop in assembly (optimised builds; -O0 uses the C below). For
 * nb >= 1 blocks of 4 channels from w on, each against the two-pixel column
 * ctl[0] (n16 = ctl[1] >= 1 chunks of 16 taps): the sums of block b, pixel s,
 * channel r to acc[8 b + 4 s + r]; blocks are 4 K bytes apart (ctl[2] = 4 (K -
 * K16) skipped after the chunks), the loop ends at w == ctl[3].
 * VMLADAV accumulates into even registers only, so the 8 sums take all eight
 * (r0 ... r12, lr; GCC keeps them in the stack otherwise) and the chunk loop
 * counts with SUBS/BNE instead of LE; five odd registers hold the operands.
 * Per chunk the block's two pairs by VLD20/VLD21 with write-back (64 bytes:
 * the pairs are consecutive), the two pixels' 16 taps, 8 VMLADAVA: 16
 * instructions per 128 MACs; the first chunk peeled (VMLADAV starts the
 * sums). The sums leave by STRD (the two-lane VMOV's operand order is not
 * relied on).
 */
/* Packed weights (f8_conv2d_pk.c): FA, FB restore b = b' + [a < 0] of the two pairs (q6 a temporary). */
#define F8A_PK_FIXA "vshr.s8 q6, q0, #7\n\tvsub.i8 q1, q1, q6\n\t"
#define F8A_PK_FIXB "vshr.s8 q6, q2, #7\n\tvsub.i8 q3, q3, q6\n\t"
#define F8A_TILE_CHUNK_PK(MLA, FA, FB)                                                                                 \
    "vld20.8 {q0, q1}, [%[w]]\n\t"                                                                                      \
    "vld21.8 {q0, q1}, [%[w]]!\n\t"                                                                                     \
    "vldrb.8 q4, [%[x]], #16\n\t" FA                                                                                   \
    "vld20.8 {q2, q3}, [%[w]]\n\t" MLA " r0, q4, q0\n\t"                                                                 \
    "vld21.8 {q2, q3}, [%[w]]!\n\t" FB MLA " r2, q4, q1\n\t"                                                             \
    "vldrb.8 q5, [%[x]], #16\n\t" MLA " r4, q4, q2\n\t" MLA " r8, q5, q0\n\t" MLA " r6, q4, q3\n\t" MLA                  \
    " r10, q5, q1\n\t" MLA " r12, q5, q2\n\t" MLA " lr, q5, q3\n\t"

/* The block loop: FA, FB are the packed pairs' fix-ups (F8A_PK_FIXA/B) or "" for the plain layout. */
#define F8A_BLOCKS_TEXT(FA, FB)                                                                                        \
    "3:\n\t"                                                                                                           \
    "ldrd %[x], %[n], [%[ctl]]\n\t" F8A_TILE_CHUNK_PK("vmladav.s8", FA, FB) "subs %[n], #1\n\t"                        \
    "beq 2f\n"                                                                                                         \
    "1:\n\t" F8A_TILE_CHUNK_PK("vmladava.s8", FA, FB) "subs %[n], #1\n\t"                                              \
    "bne 1b\n"                                                                                                         \
    "2:\n\t"                                                                                                           \
    "strd r0, r2, [%[acc]], #8\n\t"                                                                                    \
    "strd r4, r6, [%[acc]], #8\n\t"                                                                                    \
    "strd r8, r10, [%[acc]], #8\n\t"                                                                                   \
    "strd r12, lr, [%[acc]], #8\n\t"                                                                                   \
    "ldrd %[x], %[n], [%[ctl], #8]\n\t"                                                                                \
    "add %[w], %[x]\n\t"                                                                                               \
    "cmp %[w], %[n]\n\t"                                                                                               \
    "bne 3b"

F8A_ALWAYS_INLINE void blocks_4x2(const int32_t ctl[4], const int8_t *w, int32_t *acc, int pk)
{
    int32_t x, n;
    if (pk) {
        __asm__ volatile(F8A_BLOCKS_TEXT(F8A_PK_FIXA, F8A_PK_FIXB)
                         : [x] "=&r"(x), [n] "=&r"(n), [w] "+r"(w), [acc] "+r"(acc)
                         : [ctl] "r"(ctl)
                         : "r0", "r2", "r4", "r6", "r8", "r10", "r12", "lr", "q0", "q1", "q2", "q3", "q4", "q5", "q6", "cc", "memory");
        return;
    }
    __asm__ volatile(F8A_BLOCKS_TEXT("", "")
                     : [x] "=&r"(x), [n] "=&r"(n), [w] "+r"(w), [acc] "+r"(acc)
                     : [ctl] "r"(ctl)
                     : "r0", "r2", "r4", "r6", "r8", "r10", "r12", "lr", "q0", "q1", "q2", "q3", "q4", "q5", "cc", "memory");
}
#else
F8A_ALWAYS_INLINE void blocks_4x2(const int32_t ctl[4], const int8_t *w, int32_t *acc, int pk)
{
    const int8_t *wend = (const int8_t *)(uintptr_t)(uint32_t)ctl[3];
    int32_t j, r;
    for (; w != wend; w += ctl[2], acc += 8) {
        const int8_t *x = (const int8_t *)(uintptr_t)(uint32_t)ctl[0];
        for (r = 0; r < 8; r++) {
            acc[r] = 0;
        }
        for (j = 0; j < ctl[1]; j++, x += 32, w += 64) {
            for (r = 0; r < 4; r++) {
                int8x16x2_t wv = vld2q_s8(w + 32 * (r >> 1));
                if (pk) {
                    wv.val[1] = vsubq_s8(wv.val[1], vshrq_n_s8(wv.val[0], 7));
                }
                acc[r] = vmladavaq_s8(acc[r], vldrbq_s8(x), wv.val[r & 1]);
                acc[4 + r] = vmladavaq_s8(acc[4 + r], vldrbq_s8(x + 16), wv.val[r & 1]);
            }
        }
    }
}
#endif

/* The last K - K16 taps of a block (weights w) added to its sums acc: the 4 channels' weights of a tap as one vector (a gather). */
static void tail_4x2(const int8_t *col, const int8_t *w, int32_t K, int32_t *acc)
{
    int32_t K16 = K & ~15, k;
    const int8_t *t0 = col + 2 * K16, *t1 = t0 + (K - K16);
    int32x4_t s0 = vldrwq_s32(acc), s1 = vldrwq_s32(acc + 4);
    for (k = K16; k < K; k++) {
        uint32x4_t off = vdupq_n_u32((uint32_t)blk_at(0, k, K));
        int32x4_t wk;
        off = vsetq_lane_u32((uint32_t)blk_at(1, k, K), off, 1);
        off = vsetq_lane_u32((uint32_t)blk_at(2, k, K), off, 2);
        off = vsetq_lane_u32((uint32_t)blk_at(3, k, K), off, 3);
        wk = vldrbq_gather_offset_s32(w, off);
        s0 = vmlaq_n_s32(s0, wk, t0[k - K16]);
        s1 = vmlaq_n_s32(s1, wk, t1[k - K16]);
    }
    vstrwq_s32(acc, s0);
    vstrwq_s32(acc + 4, s1);
}

/*
 * nb blocks of sums (acc[8 b + 4 s + r]) plus the bias table tb, requantised
 * 4 channels per vector: VSHL by -n is the arithmetic shift right (shifts sh,
 * sh + dsh, ...: dsh 0 repeats one), then VMAX/VMIN and VSTRB.32 (the low
 * byte of each lane, as f8_byte); np pixels stored.
 */
F8A_ALWAYS_INLINE void store_blocks(const int32_t *acc, const int32_t *tb, const int8_t *sh, int32_t dsh, int32_t nb,
                                    uint8_t *o, int32_t C, int32_t np, int32x4_t lo, int32x4_t hi, f8_rounding mode)
{
    int32x4_t one = vdupq_n_s32(1);
    for (; nb > 0; nb--, acc += 8, tb += 4, sh += dsh, o += 4) {
        int32x4_t bias = vldrwq_s32(tb), n = vldrbq_s32(sh), nn = vnegq_s32(n);
        int32x4_t x0 = vaddq_s32(vldrwq_s32(acc), bias), x1 = vaddq_s32(vldrwq_s32(acc + 4), bias);
        if (mode == F8_ROUND_HALF_AWAY) {
            int32x4_t half = vshlq_s32(one, vsubq_s32(n, one));
            x0 = vaddq_s32(x0, vshrq_n_s32(vsubq_s32(x0, half), 31));
            x1 = vaddq_s32(x1, vshrq_n_s32(vsubq_s32(x1, half), 31));
        } else if (mode == F8_ROUND_HALF_EVEN) {
            x0 = vaddq_s32(x0, vandq_s32(vshlq_s32(x0, nn), one));
            x1 = vaddq_s32(x1, vandq_s32(vshlq_s32(x1, nn), one));
        }
        vstrbq_s32((int8_t *)o, vminq_s32(vmaxq_s32(vshlq_s32(x0, nn), lo), hi));
        if (np > 1) {
            vstrbq_s32((int8_t *)(o + C), vminq_s32(vmaxq_s32(vshlq_s32(x1, nn), lo), hi));
        }
    }
}

/* store_blocks with the mode hoisted out (one loop per rounding mode). */
static void store_blocks_mode(const int32_t *acc, const int32_t *tb, const int8_t *sh, int32_t dsh, int32_t nb, uint8_t *o,
                              int32_t C, int32_t np, int32x4_t lo, int32x4_t hi, f8_rounding mode)
{
    if (mode == F8_ROUND_HALF_UP) {
        store_blocks(acc, tb, sh, dsh, nb, o, C, np, lo, hi, F8_ROUND_HALF_UP);
    } else if (mode == F8_ROUND_HALF_AWAY) {
        store_blocks(acc, tb, sh, dsh, nb, o, C, np, lo, hi, F8_ROUND_HALF_AWAY);
    } else {
        store_blocks(acc, tb, sh, dsh, nb, o, C, np, lo, hi, F8_ROUND_HALF_EVEN);
    }
}

void f8a_conv_gemm_mve(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, uint8_t *scratch, int fast)
{
    int32_t K = p->kernel_h * p->kernel_w * p->in_c, K16 = K & ~15, npix = p->out_h * p->out_w, C = p->out_c;
    int32_t nb = C >> 2, pix, oc, k, s, b, g;
    int u8 = in.s8 == NULL;
    const uint8_t *src = u8 ? in.u8 : (const uint8_t *)in.s8;
    uint32_t flip = u8 ? 0x80u : 0u;
    int32_t *tb = (int32_t *)(void *)scratch;
    int8_t *col = (int8_t *)(scratch + 4 * C);
    int32x4_t lo = vdupq_n_s32(p->out_lo), hi = vdupq_n_s32(p->out_hi);
    int8_t rep[4];
    const int8_t *sh = p->shifts != NULL ? p->shifts : rep;
    int32_t dsh = p->shifts != NULL ? 4 : 0, ctl[4];
    int32_t acc[8 * F8A_GROUP], oy = 0, ox = 0;
    const f8a_affine *aff = f8a_conv_affine(p);
    uint8x16_t fv = vdupq_n_u8((uint8_t)flip);
    f8a_ring rg;
    rg.base = ring_fits(p, K) ? scratch + 4 * C + 2 * K : NULL;
    rg.row = (p->in_w + p->pad_left + p->pad_right) * p->in_c;
    rg.have = 0;
    rg.pad = (uint8_t)((uint32_t)(uint8_t)f8a_pad_value(p) ^ flip);
    int pk = f8a_pk_fits(p); /* packed pairs (f8_conv2d_pk.c): K % 16 == 0, no tail taps */
    memset(rep, (int)(int8_t)p->shift, sizeof rep);
    ctl[0] = (int32_t)(uint32_t)(uintptr_t)col;
    ctl[1] = K16 >> 4;
    ctl[2] = 4 * (K - K16);
    bias_table(p, K, u8, pk, tb);
    for (pix = 0; pix < npix; pix += 2) {
        int32_t np = npix - pix >= 2 ? 2 : 1;
        uint8_t *o = out + pix * C;
        const int8_t *w;
        if (rg.base != NULL) {
            /* pixel pix at (oy, ox); the next one (or pix again when it is the last) */
            int32_t oy1 = oy, ox1 = ox + (np > 1);
            if (ox1 == p->out_w) {
                ox1 = 0;
                oy1++;
            }
            ring_fill(p, src, fv, &rg, oy, ox, 0, col);
            ring_fill(p, src, fv, &rg, oy1, ox1, 1, col);
            oy = oy1;
            ox = ox1 + 1;
            if (ox == p->out_w) {
                ox = 0;
                oy++;
            }
        } else {
            col_fill(p, src, flip, pix, 0, col);
            col_fill(p, src, flip, pix + np - 1, 1, col);
        }
        for (b = 0; b < nb; b += g) {
            g = nb - b < F8A_GROUP ? nb - b : F8A_GROUP;
            w = p->weight + 4 * b * K;
            ctl[3] = (int32_t)(uint32_t)(uintptr_t)(w + 4 * g * K);
            if (K16 > 0) {
                blocks_4x2(ctl, w, acc, pk);
            } else {
                memset(acc, 0, sizeof acc);
            }
            for (k = 0; K16 < K && k < g; k++) {
                tail_4x2(col, w + 4 * k * K, K, acc + 8 * k);
            }
            if (fast) {
                store_blocks_mode(acc, tb + 4 * b, sh + dsh * b, dsh, g, o + 4 * b, C, np, lo, hi, p->rounding);
            } else if (aff != NULL && !aff->single) {
                /* affine, double rounding: 4 channels per vector (f8a_rqv) */
                for (k = 0; k < g; k++) {
                    int32x4_t bias = vldrwq_s32(tb + 4 * (b + k));
                    uint8_t *ok = o + 4 * (b + k);
                    f8a_rqv v;
                    f8a_rqv_init(&v, aff, 4 * (b + k), p->out_lo, p->out_hi);
                    vstrbq_s32((int8_t *)ok, f8a_rqv_out(&v, vaddq_s32(vldrwq_s32(acc + 8 * k), bias)));
                    if (np > 1) {
                        vstrbq_s32((int8_t *)(ok + C), f8a_rqv_out(&v, vaddq_s32(vldrwq_s32(acc + 8 * k + 4), bias)));
                    }
                }
            } else {
                for (k = 0; k < g; k++) {
                    for (s = 0; s < 8; s++) {
                        acc[8 * k + s] = f8_i32_from_u32((uint32_t)acc[8 * k + s] + (uint32_t)tb[4 * (b + k) + (s & 3)]);
                    }
                    store_plain(p, acc + 8 * k, o + 4 * (b + k), 4 * (b + k), np, 4);
                }
            }
        }
        w = p->weight + 4 * nb * K;
        for (oc = 4 * nb; oc < C; oc++, w += K) {
            /* the out_c % 4 last channels: plain OHWI rows */
            for (s = 0; s < np; s++) {
                uint32_t a = (uint32_t)tb[oc];
                for (k = 0; k < K; k++) {
                    a += (uint32_t)((int32_t)col[mcol_at(k, s, K)] * (int32_t)w[k]);
                }
                acc[4 * s] = f8_i32_from_u32(a);
            }
            store_plain(p, acc, o + oc, oc, np, 1);
        }
    }
}
#endif

/*
 * f8_dwconv_arm.c - depthwise convolution (groups == in_c == out_c > 1) of
 * the Arm conv2d kernels (f8_conv2d_arm.c). Weights are [C, KH, KW, 1]
 * re-laid out by the compiler into blocks of 8 channels (below).
 *
 * Channel by channel: the channel is copied once into a zero-padded int16
 * plane in the scratch ((H + pads) x (W + pads), borders written once), so
 * every tap of every output is an offset into the plane, without a bounds
 * test. The channel's weights stay in registers for the whole plane.
 * 3x3, dilation 1: per kernel row one SMLAD (two taps as an int16 pair)
 * and one multiply-add. Other kernels: one multiply-add per tap.
 */
#include "f8_arm.h"

/*
 * Weight layout of the arm variant (written by the compiler, armDwWeights of
 * src/ops/lower_arm.ts; the same bytes, permuted): channels in blocks of 8,
 * in a block tap by tap with the 8 channels' weights of a tap together
 * (KK = kernel_h * kernel_w taps of 8 bytes); the in_c % 8 last channels the
 * same way with in_c % 8 bytes per tap. dw_at: index of (channel c, tap t);
 * the taps of a channel are dw_at(c, 1) - dw_at(c, 0) apart.
 */
static int32_t dw_at(int32_t c, int32_t t, int32_t C, int32_t KK)
{
    int32_t full = C >> 3;
    if ((c >> 3) < full) {
        return (c >> 3) * 8 * KK + t * 8 + (c & 7);
    }
    return full * 8 * KK + t * (C & 7) + (c & 7);
}

/*
 * The plane: channel c of the input, zero-padded, as int16, in "lines". For
 * the 3x3 kernels the outputs are walked along the direction u with the
 * larger output count (x, or y: then the plane is stored transposed, one line
 * per input column), so that pairs (DSP) or vectors of 4 (Helium) along u are
 * few and full; v is the other direction. Line l holds the padded input along
 * u at v = l - pad before v; lines are `len` int16 apart (the padded extent
 * along u rounded up to even, so pairs are aligned words). Other kernels use
 * the untransposed plane (u = x).
 */
typedef struct {
    int32_t nu, nv;         /* output extents along u and v */
    int32_t iu, iv;         /* input extents along u and v */
    int32_t pu, pv;         /* padding before, along u and v */
    int32_t lines, len;     /* plane lines and their length (int16) */
    int32_t in_su, in_sv;   /* input byte strides along u and v */
    int32_t out_su, out_sv; /* output byte strides along u and v */
    int32_t tr;             /* 1: u is y (transposed plane) */
} dw_geom;

static int fast3x3(const f8_conv2d_params *p)
{
    return p->kernel_h == 3 && p->kernel_w == 3 && p->dilation_h == 1 && p->dilation_w == 1 && p->stride_h == 1 &&
           p->stride_w == 1;
}

static dw_geom geom(const f8_conv2d_params *p)
{
    dw_geom g;
    int32_t C = p->in_c;
    g.tr = fast3x3(p) && p->out_h > p->out_w;
    if (g.tr) {
        g.nu = p->out_h, g.nv = p->out_w, g.iu = p->in_h, g.iv = p->in_w, g.pu = p->pad_top, g.pv = p->pad_left;
        g.lines = p->in_w + p->pad_left + p->pad_right;
        g.len = p->in_h + p->pad_top + p->pad_bottom;
        g.in_su = p->in_w * C, g.in_sv = C, g.out_su = p->out_w * C, g.out_sv = C;
    } else {
        g.nu = p->out_w, g.nv = p->out_h, g.iu = p->in_w, g.iv = p->in_h, g.pu = p->pad_left, g.pv = p->pad_top;
        g.lines = p->in_h + p->pad_top + p->pad_bottom;
        g.len = p->in_w + p->pad_left + p->pad_right;
        g.in_su = C, g.in_sv = p->in_w * C, g.out_su = C, g.out_sv = p->out_w * C;
    }
    g.len += g.len & 1;
    return g;
}

/*
 * Scratch: the plane (ordinary or pair columns, below; at most Hp * Wp +
 * max(Hp, Wp) int16 with a line rounded to even or the extra pair column, and
 * 4 int16 of slack: loads of a last partial pair or vector read past the last
 * line, never used; short pair columns take 32 bytes each, at most
 * 16 * (max(Hp, Wp) + 4) bytes), rounded up to 4 bytes; four of them where one is at most
 * 2 KiB (the DSP path fills 4 channels at once); then the DSP output block of
 * 4 channels (4 * (out_h + 1) * (out_w + 1) bytes); or the Helium
 * requantisation table if larger. The same on every core.
 */
static uint32_t q_plane_bytes(const f8_conv2d_params *p)
{
    int32_t hp = p->in_h + p->pad_top + p->pad_bottom, wp = p->in_w + p->pad_left + p->pad_right;
    int32_t m = hp > wp ? hp : wp;
    uint32_t a = 2u * (uint32_t)(hp * wp + m + 4), b = 16u * (uint32_t)(m + 4);
    return ((a > b ? a : b) + 3u) & ~3u;
}

static int q_four(const f8_conv2d_params *p)
{
    return q_plane_bytes(p) <= 2048u;
}

uint32_t f8a_dwconv_scratch(const f8_conv2d_params *p)
{
    uint32_t bytes = (q_four(p) ? 4u : 1u) * q_plane_bytes(p) + 4u * (uint32_t)((p->out_h + 1) * (p->out_w + 1));
    uint32_t tab = 96u * (uint32_t)((p->in_c + 7) / 8) + 4u; /* the Helium requantisation table, 4 bytes of slack to align it */
    return ((bytes > tab ? bytes : tab) + 3u) & ~3u;
}

/* n bytes (n a multiple of 4) of the scratch to the int16 pad value (f8a_pad_value: Z_x of an affine layer, else 0). */
static void dw_zero(const f8_conv2d_params *p, uint8_t *d, uint32_t n)
{
    uint32_t i = 0u, w = f8a_pack16(f8a_pad_value(p), f8a_pad_value(p));
    for (; i + 16u <= n; i += 16u) {
        f8a_st32(d + i, w);
        f8a_st32(d + i + 4u, w);
        f8a_st32(d + i + 8u, w);
        f8a_st32(d + i + 12u, w);
    }
    for (; i < n; i += 4u) {
        f8a_st32(d + i, w);
    }
}

static int32_t ld16(const uint8_t *b)
{
    int16_t v;
    memcpy(&v, b, 2);
    return v;
}

/* Channel c of the input into the interior of the plane (the borders keep the pad value). */
static void plane_fill(const dw_geom *g, f8_act_in in, int32_t c, uint8_t *plane)
{
    int32_t v, u;
    for (v = 0; v < g->iv; v++) {
        uint8_t *row = plane + 2 * ((v + g->pv) * g->len + g->pu);
        int32_t at = v * g->in_sv + c, su = g->in_su;
        if (in.s8 != NULL) {
            const int8_t *src = in.s8 + at;
            for (u = 0; u < g->iu; u++, src += su) {
                int16_t x = (int16_t)*src;
                memcpy(row + 2 * u, &x, 2);
            }
        } else {
            const uint8_t *src = in.u8 + at;
            for (u = 0; u < g->iu; u++, src += su) {
                int16_t x = (int16_t)*src;
                memcpy(row + 2 * u, &x, 2);
            }
        }
    }
}

#if defined(__GNUC__)
#define F8A_DW_INLINE static inline __attribute__((always_inline))
#else
#define F8A_DW_INLINE F8_INLINE
#endif

/* Single 16 x 16 multiply-adds (SMLABB, SMLABT, SMLATB): bottom or top halves, modulo 2^32. */
#ifdef F8A_DSP
F8_INLINE int32_t dw_smlabb(uint32_t a, uint32_t b, int32_t acc)
{
    return __smlabb((int32_t)a, (int32_t)b, acc);
}
F8_INLINE int32_t dw_smlabt(uint32_t a, uint32_t b, int32_t acc)
{
    return __smlabt((int32_t)a, (int32_t)b, acc);
}
F8_INLINE int32_t dw_smlatb(uint32_t a, uint32_t b, int32_t acc)
{
    return __smlatb((int32_t)a, (int32_t)b, acc);
}
#else
F8_INLINE int32_t dw_smlabb(uint32_t a, uint32_t b, int32_t acc)
{
    return f8_i32_from_u32((uint32_t)acc + (uint32_t)(f8a_lo16(a) * f8a_lo16(b)));
}
F8_INLINE int32_t dw_smlabt(uint32_t a, uint32_t b, int32_t acc)
{
    return f8_i32_from_u32((uint32_t)acc + (uint32_t)(f8a_lo16(a) * f8a_hi16(b)));
}
F8_INLINE int32_t dw_smlatb(uint32_t a, uint32_t b, int32_t acc)
{
    return f8_i32_from_u32((uint32_t)acc + (uint32_t)(f8a_hi16(a) * f8a_lo16(b)));
}
#endif

/*
 * Requantisation of one channel, one clearly separate step: the sum of a
 * channel's products s (bias not included) becomes the output byte.
 * dw_rq_init gives the accumulator's start value (the bias, with the rounding
 * constant where the fast form applies), dw_rq the byte from the accumulator.
 * mode >= 0 (a constant where inlined): the shift-only form for a shift n >= 1
 * and sums that cannot overflow (dw_rq_mode): r = 2^(n-1) (half_even
 * 2^(n-1) - 1) is added once, then half_up x >> n; half_away (x - 1 if the sum
 * without r is negative) >> n; half_even (x + bit n of x) >> n. mode -1: the
 * general f8a_requant of bias + s, or for an affine layer (aff) f8a_rq_out.
 */
typedef struct {
    int32_t n, lo, hi, half;
    uint32_t bias; /* bias, plus the rounding constant for mode >= 0 */
    f8_rounding rounding;
    const f8a_affine *aff; /* an affine layer: its requantisation prepared for the channel in arq */
    f8a_rq arq;
} dw_rq_t;

/* The mode of channel c: the rounding mode where the shift-only form is exact (|sum| <= kk * 32640), else -1. */
static int dw_rq_mode(const f8_conv2d_params *p, int32_t c, int32_t kk)
{
    int32_t n = f8a_shift_of(p, c), b = p->bias != NULL ? p->bias[c] : 0, smax = kk * 32640;
    if (f8a_conv_affine(p) != NULL || kk > 65535 || n < 1 || b > INT32_MAX - ((int32_t)1 << (n - 1)) - smax || b < INT32_MIN + smax) {
        return -1;
    }
    return (int)p->rounding;
}

static dw_rq_t dw_rq_init(const f8_conv2d_params *p, int32_t c, int mode)
{
    dw_rq_t r;
    r.n = f8a_shift_of(p, c);
    r.lo = p->out_lo;
    r.hi = p->out_hi;
    r.rounding = p->rounding;
    r.half = r.n >= 1 ? (int32_t)1 << (r.n - 1) : 0;
    r.bias = p->bias != NULL ? (uint32_t)p->bias[c] : 0u;
    if (mode >= 0) {
        r.bias += (uint32_t)r.half - (mode == (int)F8_ROUND_HALF_EVEN ? 1u : 0u);
    }
    r.aff = f8a_conv_affine(p);
    if (r.aff != NULL) { /* arq is read only for affine layers */
        f8a_rq_init(&r.arq, r.aff, c, r.lo, r.hi);
    }
    return r;
}

F8A_DW_INLINE uint8_t dw_rq(const dw_rq_t *r, int32_t acc, int mode)
{
    int32_t q, n = r->n;
    if (mode < 0) {
        return r->aff != NULL ? f8a_rq_out(&r->arq, (uint32_t)acc) : f8_byte(f8a_requant(acc, n, r->rounding, r->lo, r->hi));
    }
    if (mode == (int)F8_ROUND_HALF_UP) {
        q = acc >> n;
    } else if (mode == (int)F8_ROUND_HALF_AWAY) {
        q = (acc + ((acc - r->half) >> 31)) >> n;
    } else {
        q = (acc + ((acc >> n) & 1)) >> n;
    }
    return f8_byte(q < r->lo ? r->lo : (q > r->hi ? r->hi : q));
}

/* The 3x3 weights of channel c in plane order: k[3 * a + b] = tap a along v, b along u. */
static void taps3x3(const f8_conv2d_params *p, const dw_geom *g, int32_t c, int32_t k[9])
{
    const int8_t *w = p->weight + dw_at(c, 0, p->in_c, 9);
    int32_t ws = dw_at(c, 1, p->in_c, 9) - dw_at(c, 0, p->in_c, 9), a, b;
    for (a = 0; a < 3; a++) {
        for (b = 0; b < 3; b++) {
            k[3 * a + b] = w[(g->tr ? 3 * b + a : 3 * a + b) * ws];
        }
    }
}

#ifdef F8A_MVE
/*
 * Helium fallback (channels without the shift-only form): one channel, 3x3,
 * stride 1, dilation 1, on the plane: outputs in pairs along
 * u. With A = (x_u, x_u+1) and B = (x_u+2, x_u+3) of a plane line as int16
 * pairs and the line's weights (k0, k1, k2): out_u += SMLAD(A, (k0, k1)) +
 * x_u+2 * k2 and out_u+1 += x_u+1 * k0 + SMLAD(B, (k1, k2)); an odd last
 * output takes the first half (its B reads one int16 past, never used).
 * |9 products| <= 9 * 255 * 128: the sums are exact in int32.
 */
F8A_DW_INLINE void dw3x3_mode(const f8_conv2d_params *p, const dw_geom *g, int32_t c, const uint8_t *plane,
                              uint8_t *out, int mode)
{
    int32_t k[9], R = 2 * g->len, su = g->out_su, v, u;
    dw_rq_t r = dw_rq_init(p, c, mode);
    uint32_t a0, a1, a2, b0, b1, b2;
    taps3x3(p, g, c, k);
    a0 = f8a_pack16(k[0], k[1]), b0 = f8a_pack16(k[1], k[2]);
    a1 = f8a_pack16(k[3], k[4]), b1 = f8a_pack16(k[4], k[5]);
    a2 = f8a_pack16(k[6], k[7]), b2 = f8a_pack16(k[7], k[8]);
    for (v = 0; v < g->nv; v++) {
        const uint8_t *b = plane + v * R;
        uint8_t *o = out + c + v * g->out_sv;
        for (u = 0; u + 1 < g->nu; u += 2, b += 4, o += 2 * su) {
            int32_t s0 = (int32_t)r.bias, s1 = (int32_t)r.bias;
            uint32_t x = f8a_ld32(b), y = f8a_ld32(b + 4);
            s0 = f8a_smlad(x, a0, s0);
            s1 = dw_smlatb(x, a0, s1);
            s0 = dw_smlabt(y, b0, s0);
            s1 = f8a_smlad(y, b0, s1);
            x = f8a_ld32(b + R), y = f8a_ld32(b + R + 4);
            s0 = f8a_smlad(x, a1, s0);
            s1 = dw_smlatb(x, a1, s1);
            s0 = dw_smlabt(y, b1, s0);
            s1 = f8a_smlad(y, b1, s1);
            x = f8a_ld32(b + 2 * R), y = f8a_ld32(b + 2 * R + 4);
            s0 = f8a_smlad(x, a2, s0);
            s1 = dw_smlatb(x, a2, s1);
            s0 = dw_smlabt(y, b2, s0);
            s1 = f8a_smlad(y, b2, s1);
            o[0] = dw_rq(&r, s0, mode);
            o[su] = dw_rq(&r, s1, mode);
        }
        if (u < g->nu) {
            int32_t s0 = (int32_t)r.bias;
            s0 = dw_smlabt(f8a_ld32(b + 4), b0, f8a_smlad(f8a_ld32(b), a0, s0));
            s0 = dw_smlabt(f8a_ld32(b + R + 4), b1, f8a_smlad(f8a_ld32(b + R), a1, s0));
            s0 = dw_smlabt(f8a_ld32(b + 2 * R + 4), b2, f8a_smlad(f8a_ld32(b + 2 * R), a2, s0));
            o[0] = dw_rq(&r, s0, mode);
        }
    }
}

#endif

/* Any kernel, stride and dilation, on the untransposed plane: one multiply-add per tap, sums modulo 2^32. */
static void dw_any(const f8_conv2d_params *p, const dw_geom *g, int32_t c, const uint8_t *plane, uint8_t *out)
{
    int32_t KK = p->kernel_h * p->kernel_w, row = 2 * g->len, oy, ox, ky, kx;
    const int8_t *w = p->weight + dw_at(c, 0, p->in_c, KK);
    int32_t ws = dw_at(c, 1, p->in_c, KK) - dw_at(c, 0, p->in_c, KK);
    dw_rq_t r = dw_rq_init(p, c, -1);
    for (oy = 0; oy < p->out_h; oy++) {
        for (ox = 0; ox < p->out_w; ox++) {
            const uint8_t *b = plane + oy * p->stride_h * row + 2 * ox * p->stride_w;
            uint32_t acc = r.bias;
            for (ky = 0; ky < p->kernel_h; ky++) {
                for (kx = 0; kx < p->kernel_w; kx++) {
                    acc += (uint32_t)(ld16(b + ky * p->dilation_h * row + 2 * kx * p->dilation_w) * (int32_t)w[(ky * p->kernel_w + kx) * ws]);
                }
            }
            out[(oy * p->out_w + ox) * p->out_c + c] = dw_rq(&r, f8_i32_from_u32(acc), -1);
        }
    }
}

#ifndef F8A_MVE
/*
 * DSP and plain C, 3x3 stride 1: the plane in pair columns. Word k * lines + l
 * of the channel's plane holds (x_2k, x_2k+1) of line l (int16 halves), so
 * the pairs A = (x_2k, x_2k+1) and B = (x_2k+2, x_2k+3) of the three lines of
 * an output pair's window are at fixed offsets (0, 4, 8 from two pointers one
 * column apart) and the loop walks along v. The pair (out_2k, out_2k+1) of
 * line v: per window line (k0, k1, k2) = its weights, out_2k += SMLAD(A,
 * (k0, k1)) + x_2k+2 * k2 and out_2k+1 += x_2k+1 * k0 + SMLAD(B, (k1, k2)):
 * 12 multiply instructions for 18 MACs, the weights in registers. The
 * requantised bytes of 4 channels go to the output block (scratch) as
 * [pair k][line v][2 outputs][4 channels], then to NHWC a word per pixel.
 * |9 products| <= 9 * 255 * 128: the sums are exact in int32.
 */
static int32_t q_pairs(const dw_geom *g)
{
    return (g->nu + 1) / 2;
}

/* Short columns (at most 8 lines) are 32 bytes apart (an assembly constant), others 4 * lines. */
static int q_short(const dw_geom *g)
{
    return g->lines <= 8;
}

static int32_t q_colbytes(const dw_geom *g)
{
    return q_short(g) ? 32 : 4 * g->lines;
}

static void q_fill(const dw_geom *g, f8_act_in in, int32_t c, uint8_t *q)
{
    int32_t cb = q_colbytes(g), sv = g->in_sv, u, v;
    for (u = 0; u < g->iu; u++) {
        int32_t up = u + g->pu, at = u * g->in_su + c;
        uint8_t *d = q + (up >> 1) * cb + 4 * g->pv + 2 * (up & 1);
        if (in.s8 != NULL) {
            const int8_t *src = in.s8 + at;
            for (v = 0; v < g->iv; v++, src += sv, d += 4) {
                int16_t x = (int16_t)*src;
                memcpy(d, &x, 2);
            }
        } else {
            const uint8_t *src = in.u8 + at;
            for (v = 0; v < g->iv; v++, src += sv, d += 4) {
                int16_t x = (int16_t)*src;
                memcpy(d, &x, 2);
            }
        }
    }
}

#if defined(F8A_DSP) && defined(__GNUC__) && defined(__thumb2__)
/*
 * q_fill4_sgn's loops over the pair columns with both pixels inside the input
 * in assembly: r0 the first pixel's 4 channels, r1 the next pixel along u
 * (bytes), r2 the step along v, r3 the plane word, [sp] the counts and steps
 * (below). Per line 2 loads, 4 SXTB16/UXTB16, 4 PKHBT/PKHTB, 4 stores (8
 * values); q_store's word copy of the full pair columns (XOR flip) too.
 */
#define F8A_DWF_MACRO                                                                                                     \
    "\t.macro F8A_DWF name, ext\n"                                                                                    \
    "\t.section .text.\\name,\"ax\",%progbits\n"                                                                      \
    "\t.global \\name\n"                                                                                              \
    "\t.type \\name, %function\n"                                                                                     \
    "\t.thumb_func\n"                                                                                                 \
    "\t.p2align 2\n"                                                                                                  \
    "\\name:\n"                                                                                                       \
    "\tpush {r4-r11, lr}\n"                                                                                           \
    "\tldr r12, [sp, #36]\n"                                                                                          \
    "\tldr r4, [r12]\n"                                                                                               \
    "\tldr r5, [r12, #8]\n"                                                                                           \
    "\tldr r6, [r12, #12]\n"                                                                                          \
    "\tldr r7, [r12, #16]\n"                                                                                          \
    "\tldr r8, [r12, #4]\n"                                                                                           \
    "\tpush {r5-r8}\n"                                                                                                \
    "\tadd r5, r3, r4\n"                                                                                              \
    "\tadd r6, r5, r4\n"                                                                                              \
    "\tadd r4, r6, r4\n"                                                                                              \
    "5:\n"                                                                                                            \
    "\tldr lr, [sp, #12]\n"                                                                                           \
    "\tlsrs lr, lr, #1\n"                                                                                             \
    "\tbcs 4f\n"                                                                                                      \
    "\tsubs lr, lr, #1\n"                                                                                             \
    "1:\n"                                                                                                            \
    "\tldr r7, [r0, r1]\n"                                                                                            \
    "\tldr r8, [r0]\n"                                                                                                \
    "\tadd r0, r0, r2\n"                                                                                              \
    "\t\\ext r9, r8\n"                                                                                                \
    "\t\\ext r10, r7\n"                                                                                               \
    "\t\\ext r11, r8, ror #8\n"                                                                                       \
    "\t\\ext r12, r7, ror #8\n"                                                                                       \
    "\tpkhbt r7, r9, r10, lsl #16\n"                                                                                  \
    "\tpkhbt r8, r11, r12, lsl #16\n"                                                                                 \
    "\tpkhtb r10, r10, r9, asr #16\n"                                                                                 \
    "\tpkhtb r12, r12, r11, asr #16\n"                                                                                \
    "\tstr r7, [r3], #4\n"                                                                                            \
    "\tstr r8, [r5], #4\n"                                                                                            \
    "\tstr r10, [r6], #4\n"                                                                                           \
    "\tstr r12, [r4], #4\n"                                                                                           \
    "4:\n"                                                                                                            \
    "\tldr r7, [r0, r1]\n"                                                                                            \
    "\tldr r8, [r0]\n"                                                                                                \
    "\tadd r0, r0, r2\n"                                                                                              \
    "\t\\ext r9, r8\n"                                                                                                \
    "\t\\ext r10, r7\n"                                                                                               \
    "\t\\ext r11, r8, ror #8\n"                                                                                       \
    "\t\\ext r12, r7, ror #8\n"                                                                                       \
    "\tpkhbt r7, r9, r10, lsl #16\n"                                                                                  \
    "\tpkhbt r8, r11, r12, lsl #16\n"                                                                                 \
    "\tpkhtb r10, r10, r9, asr #16\n"                                                                                 \
    "\tpkhtb r12, r12, r11, asr #16\n"                                                                                \
    "\tstr r7, [r3], #4\n"                                                                                            \
    "\tstr r8, [r5], #4\n"                                                                                            \
    "\tstr r10, [r6], #4\n"                                                                                           \
    "\tstr r12, [r4], #4\n"                                                                                           \
    "\tsubs lr, lr, #1\n"                                                                                             \
    "\tbge 1b\n"                                                                                                      \
    "\tldr r7, [sp, #4]\n"                                                                                            \
    "\tadd r3, r3, r7\n"                                                                                              \
    "\tadd r5, r5, r7\n"                                                                                              \
    "\tadd r6, r6, r7\n"                                                                                              \
    "\tadd r4, r4, r7\n"                                                                                              \
    "\tldr r7, [sp, #8]\n"                                                                                            \
    "\tadd r0, r0, r7\n"                                                                                              \
    "\tldr r7, [sp]\n"                                                                                                \
    "\tsubs r7, r7, #1\n"                                                                                             \
    "\tstr r7, [sp]\n"                                                                                                \
    "\tbne 5b\n"                                                                                                      \
    "\tadd sp, sp, #16\n"                                                                                             \
    "\tpop {r4-r11, pc}\n"                                                                                            \
    "\t.size \\name, .-\\name\n"                                                                                      \
    "\t.endm\n"

/* a[0] plane step, a[1] lines (>= 1), a[2] columns (>= 1), a[3] plane bytes to the next column, a[4] source bytes to it */
void f8a_dwq_fill4_s(const uint8_t *src, int32_t su, int32_t sv, uint8_t *d, const int32_t *a);
void f8a_dwq_fill4_u(const uint8_t *src, int32_t su, int32_t sv, uint8_t *d, const int32_t *a);
__asm__("\t.syntax unified\n"
        "\t.thumb\n" F8A_DWF_MACRO
        "\tF8A_DWF f8a_dwq_fill4_s, sxtb16\n"
        "\tF8A_DWF f8a_dwq_fill4_u, uxtb16\n"
        "\t.purgem F8A_DWF\n"
        "\t.text\n");

/* a[0] lines (>= 1), a[1] columns (>= 1), a[2] XOR, a[3] output bytes to the next column */
void f8a_dwq_store4(const uint8_t *ob, uint8_t *o, int32_t su, int32_t sv, const int32_t *a);
__asm__("\t.syntax unified\n"
        "\t.thumb\n"
        "\t.section .text.f8a_dwq_store4,\"ax\",%progbits\n"
        "\t.global f8a_dwq_store4\n"
        "\t.type f8a_dwq_store4, %function\n"
        "\t.thumb_func\n"
        "\t.p2align 2\n"
        "f8a_dwq_store4:\n"
        "\tpush {r4-r8, lr}\n"
        "\tldr r12, [sp, #24]\n"
        "\tldr r4, [r12]\n"
        "\tldr r5, [r12, #4]\n"
        "\tldr r6, [r12, #8]\n"
        "\tldr r7, [r12, #12]\n"
        "5:\n"
        "\tlsrs lr, r4, #1\n"
        "\tbcs 4f\n"
        "\tsubs lr, lr, #1\n"
        "1:\n"
        "\tldr r8, [r0, #4]\n"
        "\tldr r12, [r0], #8\n"
        "\teor r8, r8, r6\n"
        "\teor r12, r12, r6\n"
        "\tstr r12, [r1]\n"
        "\tstr r8, [r1, r2]\n"
        "\tadd r1, r1, r3\n"
        "4:\n"
        "\tldr r8, [r0, #4]\n"
        "\tldr r12, [r0], #8\n"
        "\teor r8, r8, r6\n"
        "\teor r12, r12, r6\n"
        "\tstr r12, [r1]\n"
        "\tstr r8, [r1, r2]\n"
        "\tadd r1, r1, r3\n"
        "\tsubs lr, lr, #1\n"
        "\tbge 1b\n"
        "\tadd r1, r1, r7\n"
        "\tsubs r5, r5, #1\n"
        "\tbne 5b\n"
        "\tpop {r4-r8, pc}\n"
        "\t.size f8a_dwq_store4, .-f8a_dwq_store4\n"
        "\t.text\n");

#endif

/*
 * Channels c0 .. c0 + 3 into four planes (plane j at q + j * step) at once:
 * per line and pair column with both pixels inside the input, one word of 4
 * channels per pixel, SXTB16/UXTB16 (with ROR 8 for channels 1 and 3) and
 * PKHBT/PKHTB give each channel's pair; the columns half in the padding by
 * q_fill's loop.
 */
F8A_DW_INLINE uint32_t q_ext(uint32_t x, int sgn)
{
    return sgn ? f8a_sxtb16(x) : f8a_uxtb16(x);
}

F8A_DW_INLINE void q_fill4_sgn(const dw_geom *g, const uint8_t *src, uint8_t *q, int32_t step, int sgn)
{
    int32_t cb = q_colbytes(g), su = g->in_su, sv = g->in_sv, k, v;
#if defined(F8A_DSP) && defined(__GNUC__) && defined(__thumb2__)
    int32_t k0 = (g->pu + 1) / 2, k1 = (g->pu + g->iu) / 2; /* full columns k0 .. k1 - 1 */
    if (k1 > k0) {
        int32_t a[5];
        a[0] = step;
        a[1] = g->iv;
        a[2] = k1 - k0;
        a[3] = cb - 4 * g->iv;
        a[4] = 2 * su - g->iv * sv;
        (sgn ? f8a_dwq_fill4_s : f8a_dwq_fill4_u)(src + (2 * k0 - g->pu) * su, su, sv, q + k0 * cb + 4 * g->pv, a);
    }
#endif
    for (k = 0; 2 * k < g->pu + g->iu; k++) {
        int32_t u0 = 2 * k - g->pu;
        uint8_t *d = q + k * cb + 4 * g->pv;
        if (u0 >= 0 && u0 + 1 < g->iu) {
            const uint8_t *s0 = src + u0 * su;
#if defined(F8A_DSP) && defined(__GNUC__) && defined(__thumb2__)
            continue;
#endif
            for (v = 0; v < g->iv; v++, s0 += sv, d += 4) {
                uint32_t x0 = f8a_ld32(s0), x1 = f8a_ld32(s0 + su);
                uint32_t a0 = q_ext(x0, sgn), a1 = q_ext(x1, sgn), b0 = q_ext(f8a_ror8(x0), sgn), b1 = q_ext(f8a_ror8(x1), sgn);
                f8a_st32(d, (a0 & 0xffffu) | (a1 << 16));
                f8a_st32(d + step, (b0 & 0xffffu) | (b1 << 16));
                f8a_st32(d + 2 * step, (a0 >> 16) | (a1 & 0xffff0000u));
                f8a_st32(d + 3 * step, (b0 >> 16) | (b1 & 0xffff0000u));
            }
        } else {
            int32_t h;
            for (h = 0; h < 2; h++) {
                const uint8_t *s0 = src + (u0 + h) * su;
                uint8_t *dj = d + 2 * h;
                if (u0 + h < 0 || u0 + h >= g->iu) {
                    continue;
                }
                for (v = 0; v < g->iv; v++, s0 += sv, dj += 4) {
                    uint32_t x = f8a_ld32(s0), a0 = q_ext(x, sgn), b0 = q_ext(f8a_ror8(x), sgn);
                    uint16_t e0 = (uint16_t)a0, e1 = (uint16_t)b0, e2 = (uint16_t)(a0 >> 16), e3 = (uint16_t)(b0 >> 16);
                    memcpy(dj, &e0, 2);
                    memcpy(dj + step, &e1, 2);
                    memcpy(dj + 2 * step, &e2, 2);
                    memcpy(dj + 3 * step, &e3, 2);
                }
            }
        }
    }
}

static void q_fill4(const dw_geom *g, f8_act_in in, int32_t c0, uint8_t *q, int32_t step)
{
    if (in.s8 != NULL) {
        q_fill4_sgn(g, (const uint8_t *)(in.s8 + c0), q, step, 1);
    } else {
        q_fill4_sgn(g, in.u8 + c0, q, step, 0);
    }
}

/* The weights of channel c as the pairs (k0, k1), (k1, k2) of window lines 0, 1, 2. */
static void q_weights(const f8_conv2d_params *p, const dw_geom *g, int32_t c, uint32_t w[6])
{
    int32_t k[9], a;
    taps3x3(p, g, c, k);
    for (a = 0; a < 3; a++) {
        w[2 * a] = f8a_pack16(k[3 * a], k[3 * a + 1]);
        w[2 * a + 1] = f8a_pack16(k[3 * a + 1], k[3 * a + 2]);
    }
}

F8A_DW_INLINE void q3x3_mode(const f8_conv2d_params *p, const dw_geom *g, int32_t c, const uint8_t *q, uint8_t *ob,
                             uint8_t flip, int mode)
{
    int32_t R = q_colbytes(g), nk = q_pairs(g), nv = g->nv, k, v, l;
    dw_rq_t r = dw_rq_init(p, c, mode);
    uint32_t w[6];
    q_weights(p, g, c, w);
    for (k = 0; k < nk; k++) {
        const uint8_t *pa = q + k * R;
        uint8_t *o = ob + 8 * k * nv;
        for (v = 0; v < nv; v++, pa += 4, o += 8) {
            int32_t s0 = (int32_t)r.bias, s1 = (int32_t)r.bias;
            for (l = 0; l < 3; l++) {
                uint32_t x = f8a_ld32(pa + 4 * l), y = f8a_ld32(pa + R + 4 * l);
                s0 = dw_smlabt(y, w[2 * l + 1], f8a_smlad(x, w[2 * l], s0));
                s1 = f8a_smlad(y, w[2 * l + 1], dw_smlatb(x, w[2 * l], s1));
            }
            o[0] = (uint8_t)(dw_rq(&r, s0, mode) ^ flip);
            o[4] = (uint8_t)(dw_rq(&r, s1, mode) ^ flip);
        }
    }
}

static void q3x3_c(const f8_conv2d_params *p, const dw_geom *g, int32_t c, const uint8_t *q, uint8_t *ob, uint8_t flip)
{
    int mode = dw_rq_mode(p, c, 9);
    if (mode < 0) {
        q3x3_mode(p, g, c, q, ob, flip, -1);
    } else if (mode == (int)F8_ROUND_HALF_UP) {
        q3x3_mode(p, g, c, q, ob, flip, (int)F8_ROUND_HALF_UP);
    } else if (mode == (int)F8_ROUND_HALF_AWAY) {
        q3x3_mode(p, g, c, q, ob, flip, (int)F8_ROUND_HALF_AWAY);
    } else {
        q3x3_mode(p, g, c, q, ob, flip, (int)F8_ROUND_HALF_EVEN);
    }
}

#if defined(F8A_DSP) && defined(__GNUC__) && defined(__thumb2__)
/*
 * q3x3_mode's loops in assembly, for channels with the shift-only form, a
 * shift 1 <= n <= 16 and the full int8 (SSAT) or uint8 (USAT) output range.
 * The shift becomes a constant K (16 for n >= 8, else 8): the weights are
 * scaled by 2^(K - n) (still int16: |w| <= 128, K - n <= 8) and the bias too
 * (checked: no sum can overflow), so the sum is the exact sum times
 * 2^(K - n), rounded the same way at bit K, and one SSAT/USAT with ASR #K
 * shifts and clamps. Per output: half_up SSAT; half_away
 * (x + (x - 2^(K-1) < 0 ? -1 : 0)) then SSAT; half_even x + bit K of x then
 * SSAT (the rounding constant 2^(K-1), half_even 2^(K-1) - 1, is in the
 * bias). Arguments: r0 the plane, r1 the channel's bytes in the output block,
 * r2 a dw_qargs, r3 the bytes of a column (4 * lines). All 14 registers:
 * r0/r1 the columns k and k+1 at line v, r2 the output, r3 the step count,
 * r4-r9 the weight pairs, r10/r11 A and B, r12/lr the two sums; on the stack
 * the output block's end, the step count and entry of a column (two steps per
 * pass, an odd count enters at the second; a column starts with LDR PC) and
 * the bias (the sums' start). Short columns (at most 8 lines, 32 bytes apart:
 * B at an immediate offset) free r1 for the bias and keep the bytes to the
 * next column on the stack. Per output
 * pair: 6 + 2 loads, 12 multiplies, 2 to 6 requantisation instructions, two
 * byte stores; the next step's loads are issued before the loop branch; two
 * steps per pass (an odd count enters at the second).
 */
typedef struct {
    uint32_t w[6];  /* 0: the scaled weight pairs */
    int32_t bias;   /* 24: scaled bias + rounding constant */
    int32_t nv;     /* 28: steps of a column */
    uint8_t *obend; /* 32: the end of the channel's output block */
    int32_t skip;   /* 36: short columns: 32 - 4 * nv (to the next column) */
} dw_qargs;

#define F8A_DWQ_MACRO                                                                                                     \
    "\t.macro F8A_DWQ name, rnd, sat, k, sh\n"                                                                        \
    "\t.section .text.\\name,\"ax\",%progbits\n"                                                                      \
    "\t.global \\name\n"                                                                                              \
    "\t.type \\name, %function\n"                                                                                     \
    "\t.thumb_func\n"                                                                                                 \
    "\t.p2align 2\n"                                                                                                  \
    "\\name:\n"                                                                                                       \
    "\tpush {r4-r11, lr}\n"                                                                                           \
    "\tldr r12, [r2, #24]\n"                                                                                          \
    "\tldr r4, [r2, #32]\n"                                                                                           \
    "\tldr r5, [r2, #28]\n"                                                                                           \
    "\t.if \\sh\n"                                                                                                    \
    "\tldr r12, [r2, #36]\n"                                                                                          \
    "\t.else\n"                                                                                                       \
    "\tadd r3, r0, r3\n"                                                                                              \
    "\t.endif\n"                                                                                                      \
    "\tadr r6, 4f\n"                                                                                                  \
    "\tlsrs r5, r5, #1\n"                                                                                             \
    "\tbcs 6f\n"                                                                                                      \
    "\tsubs r5, r5, #1\n"                                                                                             \
    "\tadr r6, 1f\n"                                                                                                  \
    "6:\n"                                                                                                            \
    "\torr r6, r6, #1\n"                                                                                              \
    "\tpush {r4-r6, r12}\n"                                                                                           \
    "\t.if \\sh\n"                                                                                                    \
    "\tldr r12, [r2, #24]\n"                                                                                          \
    "\tmov r3, r1\n"                                                                                                  \
    "\tmov r1, r12\n"                                                                                                 \
    "\t.else\n"                                                                                                       \
    "\tmov r12, r1\n"                                                                                                 \
    "\tmov r1, r3\n"                                                                                                  \
    "\tmov r3, r12\n"                                                                                                 \
    "\t.endif\n"                                                                                                      \
    "\tldm r2, {r4-r9}\n"                                                                                             \
    "\tmov r2, r3\n"                                                                                                  \
    "\t.if \\sh\n"                                                                                                    \
    "\tldr r11, [r0, #36]\n"                                                                                          \
    "\t.else\n"                                                                                                       \
    "\tldr r11, [r1, #4]\n"                                                                                           \
    "\tldr r12, [sp, #12]\n"                                                                                          \
    "\tldr lr, [sp, #12]\n"                                                                                           \
    "\t.endif\n"                                                                                                      \
    "\tldr r10, [r0, #4]\n"                                                                                           \
    "\tldr r3, [sp, #4]\n"                                                                                            \
    "\tldr pc, [sp, #8]\n"                                                                                            \
    "\t.p2align 2\n"                                                                                                  \
    "1:\n"                                                                                                            \
    "\t.if \\sh\n"                                                                                                    \
    "\tsmlad r12, r10, r6, r1\n"                                                                                      \
    "\tsmlatb lr, r10, r6, r1\n"                                                                                      \
    "\tsmlabt r12, r11, r7, r12\n"                                                                                    \
    "\tsmlad lr, r11, r7, lr\n"                                                                                       \
    "\tldr r10, [r0, #8]\n"                                                                                           \
    "\tldr r11, [r0, #40]\n"                                                                                          \
    "\tsmlad r12, r10, r8, r12\n"                                                                                     \
    "\tsmlatb lr, r10, r8, lr\n"                                                                                      \
    "\tsmlabt r12, r11, r9, r12\n"                                                                                    \
    "\tsmlad lr, r11, r9, lr\n"                                                                                       \
    "\tldr r11, [r0, #32]\n"                                                                                          \
    "\tldr r10, [r0], #4\n"                                                                                           \
    "\tsmlad r12, r10, r4, r12\n"                                                                                     \
    "\tsmlatb lr, r10, r4, lr\n"                                                                                      \
    "\tsmlabt r12, r11, r5, r12\n"                                                                                    \
    "\tsmlad lr, r11, r5, lr\n"                                                                                       \
    "\t\\rnd r12, r10, \\k\n"                                                                                         \
    "\t\\rnd lr, r11, \\k\n"                                                                                          \
    "\t\\sat r12, #8, r12, asr #\\k\n"                                                                                \
    "\t\\sat lr, #8, lr, asr #\\k\n"                                                                                  \
    "\tstrb lr, [r2, #4]\n"                                                                                           \
    "\tstrb r12, [r2], #8\n"                                                                                          \
    "\tldr r10, [r0, #4]\n"                                                                                           \
    "\tldr r11, [r0, #36]\n"                                                                                          \
    "\t.else\n"                                                                                                       \
    "\tsmlad r12, r10, r6, r12\n"                                                                                     \
    "\tsmlatb lr, r10, r6, lr\n"                                                                                      \
    "\tsmlabt r12, r11, r7, r12\n"                                                                                    \
    "\tsmlad lr, r11, r7, lr\n"                                                                                       \
    "\tldr r10, [r0, #8]\n"                                                                                           \
    "\tldr r11, [r1, #8]\n"                                                                                           \
    "\tsmlad r12, r10, r8, r12\n"                                                                                     \
    "\tsmlatb lr, r10, r8, lr\n"                                                                                      \
    "\tsmlabt r12, r11, r9, r12\n"                                                                                    \
    "\tsmlad lr, r11, r9, lr\n"                                                                                       \
    "\tldr r10, [r0], #4\n"                                                                                           \
    "\tldr r11, [r1], #4\n"                                                                                           \
    "\tsmlad r12, r10, r4, r12\n"                                                                                     \
    "\tsmlatb lr, r10, r4, lr\n"                                                                                      \
    "\tsmlabt r12, r11, r5, r12\n"                                                                                    \
    "\tsmlad lr, r11, r5, lr\n"                                                                                       \
    "\t\\rnd r12, r10, \\k\n"                                                                                         \
    "\t\\rnd lr, r11, \\k\n"                                                                                          \
    "\t\\sat r12, #8, r12, asr #\\k\n"                                                                                \
    "\t\\sat lr, #8, lr, asr #\\k\n"                                                                                  \
    "\tstrb lr, [r2, #4]\n"                                                                                           \
    "\tstrb r12, [r2], #8\n"                                                                                          \
    "\tldr r10, [r0, #4]\n"                                                                                           \
    "\tldr r11, [r1, #4]\n"                                                                                           \
    "\tldr r12, [sp, #12]\n"                                                                                          \
    "\tldr lr, [sp, #12]\n"                                                                                           \
    "\t.endif\n"                                                                                                      \
    "4:\n"                                                                                                            \
    "\t.if \\sh\n"                                                                                                    \
    "\tsmlad r12, r10, r6, r1\n"                                                                                      \
    "\tsmlatb lr, r10, r6, r1\n"                                                                                      \
    "\tsmlabt r12, r11, r7, r12\n"                                                                                    \
    "\tsmlad lr, r11, r7, lr\n"                                                                                       \
    "\tldr r10, [r0, #8]\n"                                                                                           \
    "\tldr r11, [r0, #40]\n"                                                                                          \
    "\tsmlad r12, r10, r8, r12\n"                                                                                     \
    "\tsmlatb lr, r10, r8, lr\n"                                                                                      \
    "\tsmlabt r12, r11, r9, r12\n"                                                                                    \
    "\tsmlad lr, r11, r9, lr\n"                                                                                       \
    "\tldr r11, [r0, #32]\n"                                                                                          \
    "\tldr r10, [r0], #4\n"                                                                                           \
    "\tsmlad r12, r10, r4, r12\n"                                                                                     \
    "\tsmlatb lr, r10, r4, lr\n"                                                                                      \
    "\tsmlabt r12, r11, r5, r12\n"                                                                                    \
    "\tsmlad lr, r11, r5, lr\n"                                                                                       \
    "\t\\rnd r12, r10, \\k\n"                                                                                         \
    "\t\\rnd lr, r11, \\k\n"                                                                                          \
    "\t\\sat r12, #8, r12, asr #\\k\n"                                                                                \
    "\t\\sat lr, #8, lr, asr #\\k\n"                                                                                  \
    "\tstrb lr, [r2, #4]\n"                                                                                           \
    "\tstrb r12, [r2], #8\n"                                                                                          \
    "\tldr r10, [r0, #4]\n"                                                                                           \
    "\tldr r11, [r0, #36]\n"                                                                                          \
    "\t.else\n"                                                                                                       \
    "\tsmlad r12, r10, r6, r12\n"                                                                                     \
    "\tsmlatb lr, r10, r6, lr\n"                                                                                      \
    "\tsmlabt r12, r11, r7, r12\n"                                                                                    \
    "\tsmlad lr, r11, r7, lr\n"                                                                                       \
    "\tldr r10, [r0, #8]\n"                                                                                           \
    "\tldr r11, [r1, #8]\n"                                                                                           \
    "\tsmlad r12, r10, r8, r12\n"                                                                                     \
    "\tsmlatb lr, r10, r8, lr\n"                                                                                      \
    "\tsmlabt r12, r11, r9, r12\n"                                                                                    \
    "\tsmlad lr, r11, r9, lr\n"                                                                                       \
    "\tldr r10, [r0], #4\n"                                                                                           \
    "\tldr r11, [r1], #4\n"                                                                                           \
    "\tsmlad r12, r10, r4, r12\n"                                                                                     \
    "\tsmlatb lr, r10, r4, lr\n"                                                                                      \
    "\tsmlabt r12, r11, r5, r12\n"                                                                                    \
    "\tsmlad lr, r11, r5, lr\n"                                                                                       \
    "\t\\rnd r12, r10, \\k\n"                                                                                         \
    "\t\\rnd lr, r11, \\k\n"                                                                                          \
    "\t\\sat r12, #8, r12, asr #\\k\n"                                                                                \
    "\t\\sat lr, #8, lr, asr #\\k\n"                                                                                  \
    "\tstrb lr, [r2, #4]\n"                                                                                           \
    "\tstrb r12, [r2], #8\n"                                                                                          \
    "\tldr r10, [r0, #4]\n"                                                                                           \
    "\tldr r11, [r1, #4]\n"                                                                                           \
    "\tldr r12, [sp, #12]\n"                                                                                          \
    "\tldr lr, [sp, #12]\n"                                                                                           \
    "\t.endif\n"                                                                                                      \
    "\tsubs r3, r3, #1\n"                                                                                             \
    "\tbge 1b\n"                                                                                                      \
    "\tldr r10, [sp, #12]\n"                                                                                          \
    "\tldr r11, [sp]\n"                                                                                               \
    "\tcmp r2, r11\n"                                                                                                 \
    "\tbeq 3f\n"                                                                                                      \
    "\t.if \\sh\n"                                                                                                    \
    "\tadd r0, r0, r10\n"                                                                                             \
    "\tldr r11, [r0, #36]\n"                                                                                          \
    "\t.else\n"                                                                                                       \
    "\tadds r0, r0, #8\n"                                                                                             \
    "\tadds r1, r1, #8\n"                                                                                             \
    "\tldr r11, [r1, #4]\n"                                                                                           \
    "\t.endif\n"                                                                                                      \
    "\tldr r10, [r0, #4]\n"                                                                                           \
    "\tldr r3, [sp, #4]\n"                                                                                            \
    "\tldr pc, [sp, #8]\n"                                                                                            \
    "3:\n"                                                                                                            \
    "\tadd sp, sp, #16\n"                                                                                             \
    "\tpop {r4-r11, pc}\n"                                                                                            \
    "\t.size \\name, .-\\name\n"                                                                                      \
    "\t.endm\n"

/* the rounding before the SSAT/USAT (its constant is in the sum); t a scratch register */
#define F8A_DWQ_RND_MACROS                                                                                             \
    "\t.macro F8A_RUP x, t, k\n"                                                                                      \
    "\t.endm\n"                                                                                                       \
    "\t.macro F8A_RAWAY x, t, k\n"                                                                                    \
    "\tsub \\t, \\x, #(1 << (\\k - 1))\n"                                                                             \
    "\tadd \\x, \\x, \\t, asr #31\n"                                                                                  \
    "\t.endm\n"                                                                                                       \
    "\t.macro F8A_REVEN x, t, k\n"                                                                                    \
    "\tubfx \\t, \\x, #\\k, #1\n"                                                                                     \
    "\tadd \\x, \\x, \\t\n"                                                                                           \
    "\t.endm\n"

typedef void (*dw_qfn)(const uint8_t *q, uint8_t *ob, const dw_qargs *a, int32_t colbytes);
#define F8A_DWQ_DECL(name) void name(const uint8_t *q, uint8_t *ob, const dw_qargs *a, int32_t colbytes);
F8A_DWQ_DECL(f8a_dwq_even16)
F8A_DWQ_DECL(f8a_dwq_up16)
F8A_DWQ_DECL(f8a_dwq_away16)
F8A_DWQ_DECL(f8a_dwq_even8)
F8A_DWQ_DECL(f8a_dwq_up8)
F8A_DWQ_DECL(f8a_dwq_away8)
F8A_DWQ_DECL(f8a_dwq_even16s)
F8A_DWQ_DECL(f8a_dwq_up16s)
F8A_DWQ_DECL(f8a_dwq_away16s)
F8A_DWQ_DECL(f8a_dwq_even8s)
F8A_DWQ_DECL(f8a_dwq_up8s)
F8A_DWQ_DECL(f8a_dwq_away8s)
__asm__("\t.syntax unified\n"
        "\t.thumb\n" F8A_DWQ_RND_MACROS F8A_DWQ_MACRO
        "\tF8A_DWQ f8a_dwq_even16, F8A_REVEN, ssat, 16, 0\n"
        "\tF8A_DWQ f8a_dwq_up16, F8A_RUP, ssat, 16, 0\n"
        "\tF8A_DWQ f8a_dwq_away16, F8A_RAWAY, ssat, 16, 0\n"
        "\tF8A_DWQ f8a_dwq_even8, F8A_REVEN, ssat, 8, 0\n"
        "\tF8A_DWQ f8a_dwq_up8, F8A_RUP, ssat, 8, 0\n"
        "\tF8A_DWQ f8a_dwq_away8, F8A_RAWAY, ssat, 8, 0\n"
        "\tF8A_DWQ f8a_dwq_even16s, F8A_REVEN, ssat, 16, 1\n"
        "\tF8A_DWQ f8a_dwq_up16s, F8A_RUP, ssat, 16, 1\n"
        "\tF8A_DWQ f8a_dwq_away16s, F8A_RAWAY, ssat, 16, 1\n"
        "\tF8A_DWQ f8a_dwq_even8s, F8A_REVEN, ssat, 8, 1\n"
        "\tF8A_DWQ f8a_dwq_up8s, F8A_RUP, ssat, 8, 1\n"
        "\tF8A_DWQ f8a_dwq_away8s, F8A_RAWAY, ssat, 8, 1\n"
        "\t.purgem F8A_DWQ\n"
        "\t.purgem F8A_RUP\n"
        "\t.purgem F8A_RAWAY\n"
        "\t.purgem F8A_REVEN\n"
        "\t.text\n");

/* [short columns][rounding][K == 8] */
static const dw_qfn dw_qfns[2][3][2] = {
    {{f8a_dwq_even16, f8a_dwq_even8}, {f8a_dwq_up16, f8a_dwq_up8}, {f8a_dwq_away16, f8a_dwq_away8}},
    {{f8a_dwq_even16s, f8a_dwq_even8s}, {f8a_dwq_up16s, f8a_dwq_up8s}, {f8a_dwq_away16s, f8a_dwq_away8s}},
};

/*
 * The assembly for channel c where it applies (1), else 0 (q3x3_c then):
 * 1 <= n <= 16, the output range int8 or uint8 (uns: the sum is biased by
 * -128 * 2^K, SSAT gives q - 128, and q_store flips the top bit of each byte
 * back; not with half_away, whose sign test needs the unbiased sum) and |bias|
 * small enough that no scaled sum, with the rounding constant and that offset,
 * leaves int32.
 */
static int q3x3_asm(const f8_conv2d_params *p, const dw_geom *g, int32_t c, const uint8_t *q, uint8_t *ob, int uns,
                    const dw_qfn fn[2], dw_qargs *a)
{
    int32_t n = f8a_shift_of(p, c), b = p->bias != NULL ? p->bias[c] : 0, K, e, lim, sa, sb, ws, i;
    const int8_t *w;
    if (n < 1 || n > 16) {
        return 0;
    }
    K = n >= 8 ? 16 : 8;
    e = K - n;
    lim = ((INT32_MAX - ((int32_t)1 << (K - 1)) - ((int32_t)128 << K)) >> e) - 9 * 32640 - 1;
    if (b > lim || b < -lim) {
        return 0;
    }
    w = p->weight + dw_at(c, 0, p->in_c, 9);
    ws = dw_at(c, 1, p->in_c, 9) - dw_at(c, 0, p->in_c, 9);
    sa = g->tr ? ws : 3 * ws; /* next window line (along v) */
    sb = g->tr ? 3 * ws : ws; /* next tap of a line (along u) */
    for (i = 0; i < 3; i++, w += sa) {
        int32_t k0 = w[0] * ((int32_t)1 << e), k1 = w[sb] * ((int32_t)1 << e), k2 = w[2 * sb] * ((int32_t)1 << e);
        a->w[2 * i] = f8a_pack16(k0, k1);
        a->w[2 * i + 1] = f8a_pack16(k1, k2);
    }
    a->bias = b * ((int32_t)1 << e) + ((int32_t)1 << (K - 1)) - (p->rounding == F8_ROUND_HALF_EVEN ? 1 : 0) -
              (uns ? (int32_t)128 << K : 0);
    a->obend = ob + 8 * g->nv * q_pairs(g);
    fn[K == 8](q, ob, a, q_colbytes(g));
    return 1;
}
#endif

/* One pair column of the output block of 4 channels to NHWC: a word per pixel (flip: XOR 0x80 per byte). */
static void q_store_col(const uint8_t *ob, uint8_t *o, int32_t su, int32_t sv, int32_t nv, int two, uint32_t flip)
{
    int32_t v;
    if (two) {
        for (v = 0; v < nv; v++, ob += 8, o += sv) {
            uint32_t a = f8a_ld32(ob) ^ flip, b = f8a_ld32(ob + 4) ^ flip;
            f8a_st32(o, a);
            f8a_st32(o + su, b);
        }
    } else {
        for (v = 0; v < nv; v++, ob += 8, o += sv) {
            f8a_st32(o, f8a_ld32(ob) ^ flip);
        }
    }
}

/* The output block of channels c0 .. c0 + nch - 1 (nch <= 4) to NHWC: per pixel one word (or nch bytes). */
static void q_store(const dw_geom *g, const uint8_t *ob, int32_t nch, uint8_t *out, uint32_t flip)
{
    int32_t nk = q_pairs(g), nv = g->nv, su = g->out_su, sv = g->out_sv, k = 0, v, j;
#if defined(F8A_DSP) && defined(__GNUC__) && defined(__thumb2__)
    if (nch == 4 && g->nu / 2 > 0) {
        int32_t a[4];
        a[0] = nv;
        a[1] = g->nu / 2;
        a[2] = (int32_t)flip;
        a[3] = 2 * su - nv * sv;
        f8a_dwq_store4(ob, out, su, sv, a);
        k = g->nu / 2;
        ob += 8 * nv * k;
    }
#endif
    for (; k < nk; k++, ob += 8 * nv) {
        uint8_t *o = out + 2 * k * su;
        const uint8_t *b = ob;
        if (nch == 4) {
            q_store_col(ob, o, su, sv, nv, 2 * k + 1 < g->nu, flip);
            continue;
        }
        for (v = 0; v < nv; v++, b += 8, o += sv) {
            for (j = 0; j < nch; j++) {
                o[j] = (uint8_t)(b[j] ^ flip);
                if (2 * k + 1 < g->nu) {
                    o[su + j] = (uint8_t)(b[4 + j] ^ flip);
                }
            }
        }
    }
}


static void q3x3(const f8_conv2d_params *p, const dw_geom *g, f8_act_in in, uint8_t *out, uint8_t *scratch)
{
    int32_t step = (int32_t)q_plane_bytes(p), four = q_four(p), c0, j;
    uint8_t *ob = scratch + (four ? 4 : 1) * step;
    int uns = p->out_lo == 0 && p->out_hi == 255;
    uint8_t flip = uns ? 0x80u : 0u;
#if defined(F8A_DSP) && defined(__GNUC__) && defined(__thumb2__)
    int full = (uns && p->rounding != F8_ROUND_HALF_AWAY) || (p->out_lo == -128 && p->out_hi == 127);
    const dw_qfn *fn = dw_qfns[q_short(g)][p->rounding];
    dw_qargs a;
    a.nv = g->nv;
    a.skip = 32 - 4 * g->nv;
#endif
    for (c0 = 0; c0 < p->in_c; c0 += 4) {
        int32_t nch = p->in_c - c0 < 4 ? p->in_c - c0 : 4, all = four && nch == 4;
        if (all) {
            q_fill4(g, in, c0, scratch, step);
        }
        for (j = 0; j < nch; j++) {
            uint8_t *q = all ? scratch + j * step : scratch;
            if (!all) {
                q_fill(g, in, c0 + j, q);
            }
#if defined(F8A_DSP) && defined(__GNUC__) && defined(__thumb2__)
            if (full && q3x3_asm(p, g, c0 + j, q, ob + j, uns, fn, &a)) {
                continue;
            }
#endif
            q3x3_c(p, g, c0 + j, q, ob + j, flip);
        }
        q_store(g, ob, nch, out + c0, flip * 0x01010101u);
    }
}

#endif

#ifdef F8A_MVE
/*
 * Helium: vectorised over channels (NHWC: neighbouring channels of a tap are
 * neighbouring bytes; the weights of a tap for 8 channels too, layout above),
 * straight from the input without the plane. Per output pixel the kernel
 * window is clipped to the input once (padding costs nothing), then per 8
 * channels (the last ones predicated by VCTP) and tap: one widening load of
 * the inputs and one of the weights to int16 lanes, VMULLB/VMULLT (exact
 * int32 products of the even and odd channels) and two VADDs; a 3x3 window
 * inside the input is unrolled. Then per 8 outputs the bias with the rounding
 * constant, the shift, the clamp and one narrowing store. Only where every
 * channel has a shift >= 1 and no sum can overflow (mve_ok), the shift-only
 * requantisation of dw3x3_mode.
 */
static int mve_ok(const f8_conv2d_params *p)
{
    int32_t c, smax = p->kernel_h * p->kernel_w * 32640;
    if (p->kernel_h * p->kernel_w > 65535) {
        return 0;
    }
    for (c = 0; c < p->in_c; c++) {
        int32_t n = p->shifts != NULL ? (int32_t)p->shifts[c] : p->shift, b = p->bias != NULL ? p->bias[c] : 0;
        if (n < 1 || b > INT32_MAX - ((int32_t)1 << (n - 1)) - smax || b < INT32_MIN + smax) {
            return 0;
        }
    }
    return 1;
}

/*
 * The requantisation table (scratch, 4-byte aligned): per block of 8 channels
 * 6 vectors of 4 int32, for the even channels (c, c+2, c+4, c+6) and then the
 * odd ones: bias + 2^(n-1) (- 1 for half_even), -n, 2^(n-1). Lanes of
 * missing channels hold 0, 0, 0.
 */
static int32_t *rq_table(const f8_conv2d_params *p, uint8_t *scratch)
{
    int32_t *t = (int32_t *)(void *)(scratch + ((4u - ((uintptr_t)scratch & 3u)) & 3u)), c;
    for (c = 0; c < 8 * ((p->in_c + 7) / 8); c++) {
        int32_t *v = t + 24 * (c >> 3) + 12 * (c & 1) + ((c & 7) >> 1);
        if (c < p->in_c) {
            int32_t n = p->shifts != NULL ? (int32_t)p->shifts[c] : p->shift, h = (int32_t)1 << (n - 1);
            v[0] = (p->bias != NULL ? p->bias[c] : 0) + h - (p->rounding == F8_ROUND_HALF_EVEN ? 1 : 0);
            v[4] = -n;
            v[8] = h;
        } else {
            v[0] = v[4] = v[8] = 0;
        }
    }
    return t;
}

/* Sums (even or odd channels of a block) requantised with their part of the table. */
F8A_DW_INLINE int32x4_t rq_vec(int32x4_t acc, const int32_t *t, int mode, int32x4_t lo, int32x4_t hi)
{
    int32x4_t q, n = vldrwq_s32(t + 4);
    acc = vaddq_s32(acc, vldrwq_s32(t));
    if (mode == (int)F8_ROUND_HALF_UP) {
        q = vshlq_s32(acc, n);
    } else if (mode == (int)F8_ROUND_HALF_AWAY) {
        q = vshlq_s32(vaddq_s32(acc, vshrq_n_s32(vsubq_s32(acc, vldrwq_s32(t + 8)), 31)), n);
    } else {
        q = vshlq_s32(vaddq_s32(acc, vandq_s32(vshlq_s32(acc, n), vdupq_n_s32(1))), n);
    }
    return vminq_s32(vmaxq_s32(q, lo), hi);
}

#define F8A_DW_LD(ptr, pr) (sgn ? vldrbq_z_s16((const int8_t *)(ptr), pr) : vreinterpretq_s16_u16(vldrbq_z_u16((ptr), pr)))
#define F8A_DW_LDF(ptr) (sgn ? vldrbq_s16((const int8_t *)(ptr)) : vreinterpretq_s16_u16(vldrbq_u16(ptr)))
#define F8A_DW_TAP(xp, wp)                                                                                             \
    do {                                                                                                               \
        int16x8_t xv_ = F8A_DW_LDF(xp), wv_ = vldrbq_s16(wp);                                                          \
        ae = vaddq_s32(ae, vmullbq_int_s16(xv_, wv_));                                                                 \
        ao = vaddq_s32(ao, vmulltq_int_s16(xv_, wv_));                                                                 \
    } while (0)

F8A_DW_INLINE void dw_mve_sgn(const f8_conv2d_params *p, const uint8_t *src, uint8_t *out, const int32_t *tab, int sgn, int mode)
{
    int32x4_t lo = vdupq_n_s32(p->out_lo), hi = vdupq_n_s32(p->out_hi);
    int32_t C = p->in_c, W = p->in_w, KW = p->kernel_w, KK = p->kernel_h * p->kernel_w, oy, ox, c, ky, kx;
    int fast3 = p->kernel_h == 3 && KW == 3 && p->dilation_h == 1 && p->dilation_w == 1;
    for (oy = 0; oy < p->out_h; oy++) {
        int32_t iy0 = oy * p->stride_h - p->pad_top, ky0 = 0, ky1 = p->kernel_h;
        while (ky0 < ky1 && iy0 + ky0 * p->dilation_h < 0) {
            ky0++;
        }
        while (ky1 > ky0 && iy0 + (ky1 - 1) * p->dilation_h >= p->in_h) {
            ky1--;
        }
        for (ox = 0; ox < p->out_w; ox++) {
            int32_t ix0 = ox * p->stride_w - p->pad_left, kx0 = 0, kx1 = KW;
            uint8_t *o = out + (oy * p->out_w + ox) * C;
            int inner;
            while (kx0 < kx1 && ix0 + kx0 * p->dilation_w < 0) {
                kx0++;
            }
            while (kx1 > kx0 && ix0 + (kx1 - 1) * p->dilation_w >= W) {
                kx1--;
            }
            inner = fast3 && ky0 == 0 && ky1 == 3 && kx0 == 0 && kx1 == 3;
            for (c = 0; c < C; c += 8) {
                int32_t nc = C - c < 8 ? C - c : 8, ws = nc == 8 ? 8 : (C & 7);
                const int8_t *wb = p->weight + c * KK;
                int32x4_t ae = vdupq_n_s32(0), ao = vdupq_n_s32(0), qe, qo;
                mve_pred16_t pr = vctp16q((uint32_t)nc);
                if (inner && nc == 8) {
                    const uint8_t *xr = src + (iy0 * W + ix0) * C + c;
                    const int8_t *wr = wb;
                    for (ky = 0; ky < 3; ky++, xr += W * C, wr += 24) {
                        F8A_DW_TAP(xr, wr);
                        F8A_DW_TAP(xr + C, wr + 8);
                        F8A_DW_TAP(xr + 2 * C, wr + 16);
                    }
                } else {
                    for (ky = ky0; ky < ky1; ky++) {
                        const uint8_t *xr = src + ((iy0 + ky * p->dilation_h) * W + ix0) * C + c;
                        for (kx = kx0; kx < kx1; kx++) {
                            int16x8_t xv = F8A_DW_LD(xr + kx * p->dilation_w * C, pr);
                            int16x8_t wv = vldrbq_z_s16(wb + (ky * KW + kx) * ws, pr);
                            ae = vaddq_s32(ae, vmullbq_int_s16(xv, wv));
                            ao = vaddq_s32(ao, vmulltq_int_s16(xv, wv));
                        }
                    }
                }
                qe = rq_vec(ae, tab + 3 * c, mode, lo, hi);
                qo = rq_vec(ao, tab + 3 * c + 12, mode, lo, hi);
                vstrbq_p_u16(o + c, vreinterpretq_u16_s16(vmovntq_s32(vmovnbq_s32(vdupq_n_s16(0), qe), qo)), pr);
            }
        }
    }
}

/* one copy of the loops per input type and rounding mode (constants there) */
#define F8A_DW_MODES(sg, src)                                                                                         \
    do {                                                                                                               \
        if (p->rounding == F8_ROUND_HALF_UP) {                                                                         \
            dw_mve_sgn(p, src, out, tab, sg, (int)F8_ROUND_HALF_UP);                                                   \
        } else if (p->rounding == F8_ROUND_HALF_AWAY) {                                                                \
            dw_mve_sgn(p, src, out, tab, sg, (int)F8_ROUND_HALF_AWAY);                                                 \
        } else {                                                                                                       \
            dw_mve_sgn(p, src, out, tab, sg, (int)F8_ROUND_HALF_EVEN);                                                 \
        }                                                                                                              \
    } while (0)

static void dw_mve(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, uint8_t *scratch)
{
    const int32_t *tab = rq_table(p, scratch);
    if (in.s8 != NULL) {
        F8A_DW_MODES(1, (const uint8_t *)in.s8);
    } else {
        F8A_DW_MODES(0, in.u8);
    }
}
#endif

#ifdef F8A_MVE
/*
 * Helium, 3x3 stride 1 (per channel, on the plane): outputs in vectors of 4
 * int32 lanes along u. The channel's 9 weights are scalars: per tap one
 * widening load of 4 int16 of a plane line (VLDRH.S32) and one VMLA (vector
 * times scalar, 4 MACs). The plane is filled by gathers (VLDRB.32 with a
 * vector of offsets) and stored as int16; the outputs of a vector are stored
 * by one scatter (VSTRB.32). Requantisation by dw_rq_vec (the same step as
 * dw_rq, four outputs of one channel). The last vector along u is predicated.
 */
F8A_DW_INLINE void plane_fill_mve_sgn(const dw_geom *g, const uint8_t *src, uint8_t *plane, int sgn)
{
    uint32x4_t off = vmulq_n_u32(vidupq_n_u32(0u, 1), (uint32_t)g->in_su);
    int32_t v, u, su = g->in_su, iu = g->iu;
    for (v = 0; v < g->iv; v++) {
        int16_t *row = (int16_t *)(void *)(plane + 2 * ((v + g->pv) * g->len + g->pu));
        const uint8_t *s = src + v * g->in_sv;
        for (u = 0; u + 4 <= iu; u += 4, s += 4 * su) {
            int32x4_t x = sgn ? vldrbq_gather_offset_s32((const int8_t *)s, off) : vreinterpretq_s32_u32(vldrbq_gather_offset_u32(s, off));
            vstrhq_s32(row + u, x);
        }
        if (u < iu) {
            mve_pred16_t pr = vctp32q((uint32_t)(iu - u));
            int32x4_t x = sgn ? vldrbq_gather_offset_z_s32((const int8_t *)s, off, pr)
                              : vreinterpretq_s32_u32(vldrbq_gather_offset_z_u32(s, off, pr));
            vstrhq_p_s32(row + u, x, pr);
        }
    }
}

static void plane_fill_mve(const dw_geom *g, f8_act_in in, int32_t c, uint8_t *plane)
{
    if (in.s8 != NULL) {
        plane_fill_mve_sgn(g, (const uint8_t *)(in.s8 + c), plane, 1);
    } else {
        plane_fill_mve_sgn(g, in.u8 + c, plane, 0);
    }
}

F8A_DW_INLINE int32x4_t dw_rq_vec(const dw_rq_t *r, int32x4_t s, int mode, int32x4_t lo, int32x4_t hi)
{
    int32x4_t q;
    if (mode == (int)F8_ROUND_HALF_UP) {
        q = vshlq_r_s32(s, -r->n);
    } else if (mode == (int)F8_ROUND_HALF_AWAY) {
        q = vshlq_r_s32(vaddq_s32(s, vshrq_n_s32(vsubq_n_s32(s, r->half), 31)), -r->n);
    } else {
        q = vshlq_r_s32(vaddq_s32(s, vandq_s32(vshlq_r_s32(s, -r->n), vdupq_n_s32(1))), -r->n);
    }
    return vminq_s32(vmaxq_s32(q, lo), hi);
}

#if defined(__GNUC__) && defined(__thumb2__)
/*
 * The sums of one output line in assembly (GCC would spill the weights):
 * r0 the line's first plane line, r1 the plane line stride in bytes, r2 the
 * 9 weights (int32), r3 the sums (int32, 4 per block), [sp] the number of
 * blocks of 4 outputs (>= 1; the last may read up to 3 int16 past its plane
 * line, into the next line or the plane's slack, lanes never stored). The
 * weights in r4-r12, the three plane lines in r0-r2 (VLDRH.S32 wants low
 * registers), the count in lr (DLS/LE). Per block: 9 widening loads (VLDRH.S32), VMUL and 8 VMLA
 * (vector by scalar), one store.
 */
void f8a_dwv_line(const int16_t *b, int32_t stride, const int32_t *k, int32_t *sums, int32_t blocks);
__asm__("\t.syntax unified\n"
        "\t.thumb\n"
        "\t.section .text.f8a_dwv_line,\"ax\",%progbits\n"
        "\t.global f8a_dwv_line\n"
        "\t.type f8a_dwv_line, %function\n"
        "\t.thumb_func\n"
        "\t.p2align 2\n"
        "f8a_dwv_line:\n"
        "\tpush {r4-r11, lr}\n"
        "\tldr lr, [sp, #36]\n"
        "\tldm r2, {r4-r12}\n"
        "\tadd r2, r0, r1, lsl #1\n"
        "\tadd r1, r0, r1\n"
        "\tdls lr, lr\n"
        "1:\n"
        "\tvldrh.s32 q0, [r0, #2]\n"
        "\tvldrh.s32 q1, [r0, #4]\n"
        "\tvldrh.s32 q2, [r0], #8\n"
        "\tvmul.i32 q3, q2, r4\n"
        "\tvmla.s32 q3, q0, r5\n"
        "\tvmla.s32 q3, q1, r6\n"
        "\tvldrh.s32 q0, [r1, #2]\n"
        "\tvldrh.s32 q1, [r1, #4]\n"
        "\tvldrh.s32 q2, [r1], #8\n"
        "\tvmla.s32 q3, q2, r7\n"
        "\tvmla.s32 q3, q0, r8\n"
        "\tvmla.s32 q3, q1, r9\n"
        "\tvldrh.s32 q0, [r2, #2]\n"
        "\tvldrh.s32 q1, [r2, #4]\n"
        "\tvldrh.s32 q2, [r2], #8\n"
        "\tvmla.s32 q3, q2, r10\n"
        "\tvmla.s32 q3, q0, r11\n"
        "\tvmla.s32 q3, q1, r12\n"
        "\tvstrw.32 q3, [r3], #16\n"
        "\tle lr, 1b\n"
        "\tpop {r4-r11, pc}\n"
        "\t.size f8a_dwv_line, .-f8a_dwv_line\n"
        "\t.text\n");
/*
 * The requantisation step of a line in assembly: r0 the sums, r1 the first
 * output byte, r2 a dw_vrq (below), r3 the count (>= 1). A tail-predicated
 * loop (DLSTP/LETP) over vectors of 4: the bias with the rounding constant
 * added, the rounding shift of dw_rq_vec, VMAX/VMIN, one scatter store.
 */
typedef struct {
    int32_t bias, negn, half, lo, hi, su;
} dw_vrq;

#define F8A_DWR_MACRO                                                                                                  \
    "\t.macro F8A_DWR name, mode\n"                                                                                   \
    "\t.section .text.\\name,\"ax\",%progbits\n"                                                                      \
    "\t.global \\name\n"                                                                                              \
    "\t.type \\name, %function\n"                                                                                     \
    "\t.thumb_func\n"                                                                                                 \
    "\t.p2align 2\n"                                                                                                  \
    "\\name:\n"                                                                                                       \
    "\tpush {r4-r7, lr}\n"                                                                                            \
    "\tvpush {d8-d13}\n"                                                                                              \
    "\tldr r4, [r2]\n"                                                                                                \
    "\tldr r5, [r2, #4]\n"                                                                                            \
    "\tldr r6, [r2, #8]\n"                                                                                            \
    "\tldr r7, [r2, #12]\n"                                                                                           \
    "\tvdup.32 q0, r7\n"                                                                                              \
    "\tldr r7, [r2, #16]\n"                                                                                           \
    "\tvdup.32 q1, r7\n"                                                                                              \
    "\tldr r7, [r2, #20]\n"                                                                                           \
    "\tmovs r2, #0\n"                                                                                                 \
    "\tvidup.u32 q2, r2, #1\n"                                                                                        \
    "\tvmul.i32 q2, q2, r7\n"                                                                                         \
    "\tlsls r7, r7, #2\n"                                                                                             \
    "\tvmov.i32 q5, #1\n"                                                                                             \
    "\tvdup.32 q6, r5\n"                                                                                              \
    "\tdlstp.32 lr, r3\n"                                                                                             \
    "1:\n"                                                                                                            \
    "\tvldrw.32 q3, [r0], #16\n"                                                                                      \
    "\tvadd.i32 q3, q3, r4\n"                                                                                         \
    "\t.if \\mode == 0\n"                                                                                             \
    "\tvshl.s32 q4, q3, q6\n"                                                                                         \
    "\tvand q4, q4, q5\n"                                                                                             \
    "\tvadd.i32 q3, q3, q4\n"                                                                                         \
    "\t.endif\n"                                                                                                      \
    "\t.if \\mode == 2\n"                                                                                             \
    "\tvsub.i32 q4, q3, r6\n"                                                                                         \
    "\tvshr.s32 q4, q4, #31\n"                                                                                        \
    "\tvadd.i32 q3, q3, q4\n"                                                                                         \
    "\t.endif\n"                                                                                                      \
    "\tvshl.s32 q3, r5\n"                                                                                             \
    "\tvmax.s32 q3, q3, q0\n"                                                                                         \
    "\tvmin.s32 q3, q3, q1\n"                                                                                         \
    "\tvstrb.32 q3, [r1, q2]\n"                                                                                       \
    "\tadd r1, r1, r7\n"                                                                                              \
    "\tletp lr, 1b\n"                                                                                                 \
    "\tvpop {d8-d13}\n"                                                                                               \
    "\tpop {r4-r7, pc}\n"                                                                                             \
    "\t.size \\name, .-\\name\n"                                                                                      \
    "\t.endm\n"

void f8a_dwv_rq_even(const int32_t *sums, int8_t *out, const dw_vrq *a, int32_t n);
void f8a_dwv_rq_up(const int32_t *sums, int8_t *out, const dw_vrq *a, int32_t n);
void f8a_dwv_rq_away(const int32_t *sums, int8_t *out, const dw_vrq *a, int32_t n);
__asm__("\t.syntax unified\n"
        "\t.thumb\n" F8A_DWR_MACRO
        "\tF8A_DWR f8a_dwv_rq_even, 0\n"
        "\tF8A_DWR f8a_dwv_rq_up, 1\n"
        "\tF8A_DWR f8a_dwv_rq_away, 2\n"
        "\t.purgem F8A_DWR\n"
        "\t.text\n");
#endif


/* The sums of output line v (blocks of 4 along u), the same as the assembly. */
static void dwv_line(const int16_t *b, int32_t R, const int32_t k[9], int32_t *sums, int32_t blocks)
{
#if defined(__GNUC__) && defined(__thumb2__)
    f8a_dwv_line(b, 2 * R, k, sums, blocks);
#else
    int32_t i;
    for (i = 0; i < blocks; i++, b += 4, sums += 4) {
        int32x4_t s = vmulq_n_s32(vldrhq_s32(b), k[0]);
        s = vmlaq_n_s32(s, vldrhq_s32(b + 1), k[1]);
        s = vmlaq_n_s32(s, vldrhq_s32(b + 2), k[2]);
        s = vmlaq_n_s32(s, vldrhq_s32(b + R), k[3]);
        s = vmlaq_n_s32(s, vldrhq_s32(b + R + 1), k[4]);
        s = vmlaq_n_s32(s, vldrhq_s32(b + R + 2), k[5]);
        s = vmlaq_n_s32(s, vldrhq_s32(b + 2 * R), k[6]);
        s = vmlaq_n_s32(s, vldrhq_s32(b + 2 * R + 1), k[7]);
        s = vmlaq_n_s32(s, vldrhq_s32(b + 2 * R + 2), k[8]);
        vstrwq_s32(sums, s);
    }
#endif
}

/*
 * One channel: per output line the sums (dwv_line, into the DSP output block
 * of the scratch, 16 * ceil(nu / 4) bytes), then the requantisation step
 * (dw_rq_vec, bias and rounding constant added here) and one scatter store
 * per 4 outputs, the last predicated.
 */
F8A_DW_INLINE void dw3x3_mve_mode(const f8_conv2d_params *p, const dw_geom *g, int32_t c, const uint8_t *plane,
                                  int32_t *sums, uint8_t *out, int mode)
{
    int32_t k[9], R = g->len, su = g->out_su, nu = g->nu, blocks = (nu + 3) / 4, v, u;
    dw_rq_t r = dw_rq_init(p, c, mode);
    int32x4_t lo = vdupq_n_s32(r.lo), hi = vdupq_n_s32(r.hi);
    uint32x4_t ooff = vmulq_n_u32(vidupq_n_u32(0u, 1), (uint32_t)su);
#if defined(__GNUC__) && defined(__thumb2__)
    dw_vrq ra;
    ra.bias = (int32_t)r.bias;
    ra.negn = -r.n;
    ra.half = r.half;
    ra.lo = r.lo;
    ra.hi = r.hi;
    ra.su = su;
#endif
    taps3x3(p, g, c, k);
    for (v = 0; v < g->nv; v++) {
        const int32_t *s = sums;
        int8_t *o = (int8_t *)(void *)(out + c + v * g->out_sv);
        dwv_line((const int16_t *)(const void *)plane + v * R, R, k, sums, blocks);
#if defined(__GNUC__) && defined(__thumb2__)
        (void)s;
        (void)u;
        (void)lo;
        (void)hi;
        (void)ooff;
        (mode == (int)F8_ROUND_HALF_UP ? f8a_dwv_rq_up : mode == (int)F8_ROUND_HALF_AWAY ? f8a_dwv_rq_away : f8a_dwv_rq_even)(sums, o, &ra, nu);
#else
        for (u = 0; u + 4 <= nu; u += 4, s += 4) {
            int32x4_t x = vaddq_n_s32(vldrwq_s32(s), (int32_t)r.bias);
            vstrbq_scatter_offset_s32(o + u * su, ooff, dw_rq_vec(&r, x, mode, lo, hi));
        }
        if (u < nu) {
            int32x4_t x = vaddq_n_s32(vldrwq_s32(s), (int32_t)r.bias);
            vstrbq_scatter_offset_p_s32(o + u * su, ooff, dw_rq_vec(&r, x, mode, lo, hi), vctp32q((uint32_t)(nu - u)));
        }
#endif
    }
}

static void dw3x3_mve(const f8_conv2d_params *p, const dw_geom *g, int32_t c, const uint8_t *plane, int32_t *sums,
                      uint8_t *out)
{
    int mode = dw_rq_mode(p, c, 9);
    if (mode < 0) {
        dw3x3_mode(p, g, c, plane, out, -1);
    } else if (mode == (int)F8_ROUND_HALF_UP) {
        dw3x3_mve_mode(p, g, c, plane, sums, out, (int)F8_ROUND_HALF_UP);
    } else if (mode == (int)F8_ROUND_HALF_AWAY) {
        dw3x3_mve_mode(p, g, c, plane, sums, out, (int)F8_ROUND_HALF_AWAY);
    } else {
        dw3x3_mve_mode(p, g, c, plane, sums, out, (int)F8_ROUND_HALF_EVEN);
    }
}
#endif

/*
 * 3x3 stride 1 dilation 1: Helium dw3x3_mve on the plane, DSP and plain C
 * q3x3 on pair columns. Other shapes: Helium over channels where mve_ok,
 * else the plane and dw_any.
 */
void f8a_dwconv(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, uint8_t *scratch)
{
    int32_t c;
    int fast = fast3x3(p);
    dw_geom g = geom(p);
#ifdef F8A_MVE
    if (!fast && mve_ok(p)) {
        dw_mve(p, in, out, scratch);
        return;
    }
#endif
#ifndef F8A_MVE
    if (fast) {
        dw_zero(p, scratch, (q_four(p) ? 4u : 1u) * q_plane_bytes(p));
        q3x3(p, &g, in, out, scratch);
        return;
    }
#endif
    dw_zero(p, scratch, q_plane_bytes(p));
    for (c = 0; c < p->in_c; c++) {
#ifdef F8A_MVE
        if (fast) {
            plane_fill_mve(&g, in, c, scratch);
            dw3x3_mve(p, &g, c, scratch, (int32_t *)(void *)(scratch + q_plane_bytes(p)), out);
            continue;
        }
#endif
        plane_fill(&g, in, c, scratch);
        dw_any(p, &g, c, scratch, out);
    }
}

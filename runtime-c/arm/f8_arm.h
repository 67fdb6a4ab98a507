/*
 * f8_arm.h - helpers of the Arm-optimised kernels (runtime-c/arm/).
 *
 * The Arm kernels define the same functions as the portable ones
 * (f8_conv2d_s8, f8_dense_u8, ...) with the same parameter structs, the
 * same weight layouts and the same results, bit for bit. They pick their
 * inner loops by ACLE feature macros:
 *
 *   __ARM_FEATURE_MVE   Helium (Cortex-M55): vector dot products (VMLADAVA)
 *   __ARM_FEATURE_DSP   Armv7E-M DSP (M4/M7/M33): SXTB16 + SMLAD dual MACs
 *   neither             the same algorithms in plain C99 (M0+/M3, host tests)
 *
 * The plain-C versions of the intrinsics below compute what the
 * instructions compute (sums modulo 2^32), so every path gives the same
 * bytes; the host tests run the plain-C path, the QEMU tests the others.
 * Scratch sizes do not depend on the path either.
 */
#ifndef F8_ARM_H
#define F8_ARM_H

#include <string.h>
#include "f8_internal.h"
#include "f8_tfl.h"

#if defined(__ARM_FEATURE_MVE) && (__ARM_FEATURE_MVE & 1)
#include <arm_mve.h>
#define F8A_MVE 1
#endif
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#define F8A_DSP 1
#endif

/* 4 bytes from any address (memcpy: no alignment or aliasing assumption; GCC emits one LDR). */
F8_INLINE uint32_t f8a_ld32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

F8_INLINE void f8a_st32(void *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

/* Rotate right by 8 (GCC folds it into SXTB16's rotate operand). */
F8_INLINE uint32_t f8a_ror8(uint32_t x)
{
    return (x >> 8) | (x << 24);
}

F8_INLINE uint32_t f8a_pack16(int32_t lo, int32_t hi)
{
    return ((uint32_t)lo & 0xffffu) | (((uint32_t)hi & 0xffffu) << 16);
}

#ifdef F8A_DSP
/* bytes 0 and 2 sign-extended to the two halves */
F8_INLINE uint32_t f8a_sxtb16(uint32_t x)
{
    return (uint32_t)__sxtb16(x);
}
/* bytes 0 and 2 zero-extended to the two halves */
F8_INLINE uint32_t f8a_uxtb16(uint32_t x)
{
    return (uint32_t)__uxtb16(x);
}
/* acc + lo(a) * lo(b) + hi(a) * hi(b), modulo 2^32 */
F8_INLINE int32_t f8a_smlad(uint32_t a, uint32_t b, int32_t acc)
{
    return __smlad(a, b, acc);
}
#else
F8_INLINE int32_t f8a_lo16(uint32_t v)
{
    return (int32_t)(v & 0xffffu) - (int32_t)((v & 0x8000u) << 1);
}
F8_INLINE int32_t f8a_hi16(uint32_t v)
{
    return f8a_lo16(v >> 16);
}
F8_INLINE uint32_t f8a_sxtb16(uint32_t x)
{
    return f8a_pack16((int32_t)(int8_t)(uint8_t)(x & 0xffu), (int32_t)(int8_t)(uint8_t)((x >> 16) & 0xffu));
}
F8_INLINE uint32_t f8a_uxtb16(uint32_t x)
{
    return x & 0x00ff00ffu;
}
F8_INLINE int32_t f8a_smlad(uint32_t a, uint32_t b, int32_t acc)
{
    uint32_t s = (uint32_t)acc + (uint32_t)(f8a_lo16(a) * f8a_lo16(b)) + (uint32_t)(f8a_hi16(a) * f8a_hi16(b));
    return f8_i32_from_u32(s);
}
#endif

/*
 * f8_requant, equal to it for every argument, with the right shift written
 * branch-light: floor(x / 2^n) plus bit n-1 of x is round-half-up; a tie
 * (the low n bits exactly 10...0) is then moved down where the mode says.
 */
F8_INLINE int32_t f8a_requant(int32_t x, int32_t n, f8_rounding mode, int32_t lo, int32_t hi)
{
    int32_t q;
    if (n <= 0) {
        return f8_requant(x, (int)n, mode, lo, hi);
    }
    q = (x >> n) + ((x >> (n - 1)) & 1);
    if (mode != F8_ROUND_HALF_UP && ((uint32_t)x << (32 - n)) == 0x80000000u) {
        if (mode == F8_ROUND_HALF_EVEN ? (q & 1) != 0 : x < 0) {
            q -= 1;
        }
    }
    return q < lo ? lo : (q > hi ? hi : q);
}

/* Requantises acc (without bias) of output channel c and returns the byte. */
F8_INLINE uint8_t f8a_out(uint32_t acc, const int32_t *bias, const int8_t *shifts, int32_t shift, int32_t c,
                          f8_rounding mode, int32_t lo, int32_t hi)
{
    if (bias != NULL) {
        acc += (uint32_t)bias[c];
    }
    return f8_byte(f8a_requant(f8_i32_from_u32(acc), shifts != NULL ? (int32_t)shifts[c] : shift, mode, lo, hi));
}

#ifdef F8A_MVE
/*
 * acc[r] = x . w[r * K ...] over K int8 taps for rows r < nr (nr 1..4):
 * 16 MACs per VMLADAVA, the last partial vector predicated (VCTP).
 */
F8_INLINE void f8a_mve_dot4(const int8_t *x, const int8_t *w, int32_t K, int32_t nr, int32_t acc[4])
{
    const int8_t *w0 = w, *w1 = w + (nr > 1 ? K : 0), *w2 = w + (nr > 2 ? 2 * K : 0), *w3 = w + (nr > 3 ? 3 * K : 0);
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, k = 0;
    for (; k + 16 <= K; k += 16) {
        int8x16_t xv = vldrbq_s8(x + k);
        a0 = vmladavaq_s8(a0, xv, vldrbq_s8(w0 + k));
        a1 = vmladavaq_s8(a1, xv, vldrbq_s8(w1 + k));
        a2 = vmladavaq_s8(a2, xv, vldrbq_s8(w2 + k));
        a3 = vmladavaq_s8(a3, xv, vldrbq_s8(w3 + k));
    }
    if (k < K) {
        mve_pred16_t pr = vctp8q((uint32_t)(K - k));
        int8x16_t xv = vldrbq_z_s8(x + k, pr);
        a0 = vmladavaq_p_s8(a0, xv, vldrbq_z_s8(w0 + k, pr), pr);
        a1 = vmladavaq_p_s8(a1, xv, vldrbq_z_s8(w1 + k, pr), pr);
        a2 = vmladavaq_p_s8(a2, xv, vldrbq_z_s8(w2 + k, pr), pr);
        a3 = vmladavaq_p_s8(a3, xv, vldrbq_z_s8(w3 + k, pr), pr);
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}
#endif

#ifdef F8A_MVE
/* groups == 1 convolution on Helium (f8_conv2d_mve.c); fast: the folded-bias shift is exact (fast_ok). */
void f8a_conv_gemm_mve(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, uint8_t *scratch, int fast);
#endif

/*
 * Affine (TFLite int8) layers run on the same engines (f8_tfl_mac_arm.c):
 * the layer is given to them as the shift-only parameter struct (geometry,
 * weights, the folded bias, out_lo/out_hi; shifts NULL, shift 0) with
 * rounding F8A_AFFINE, the first member of an f8a_tfl_conv / f8a_tfl_dense
 * that also holds the affine requantisation. The engines ask
 * f8a_conv_affine() where they pad (padded taps read Z_x instead of 0, the
 * compiler folded -Z_x * sum(w) into the bias) and requantise through
 * f8a_conv_out(); with shift 0 none of their shift-only fast paths applies.
 */
#define F8A_AFFINE ((f8_rounding)3)

typedef struct {
    const int32_t *mult;   /* Q31 multipliers >= 0, [out_c] or [1] */
    const int8_t *shift;   /* exponents, as f8_tfl_mbqm takes them */
    int32_t per_channel;   /* 0 or 1 */
    int32_t in_zp;         /* the value of padded taps */
    int32_t out_zp;
    int32_t single;        /* 0: double rounding, 1: single rounding */
} f8a_affine;

typedef struct {
    f8_conv2d_params p;
    f8a_affine a;
} f8a_tfl_conv;

typedef struct {
    f8_dense_params p;
    f8a_affine a;
} f8a_tfl_dense;

/* The shift of output channel c (the per-channel table, else the layer's). */
F8_INLINE int32_t f8a_shift_of(const f8_conv2d_params *p, int32_t c)
{
    return p->shifts != NULL ? (int32_t)p->shifts[c] : p->shift;
}

/*
 * The rounding constant the arm conv2d folds into the bias (roundConst of
 * src/ops/lower_arm.ts): 2^(n-1) (half_up, half_away), 2^(n-1) - 1
 * (half_even), 0 (n <= 0).
 */
F8_INLINE uint32_t f8a_round_const(int32_t n, f8_rounding mode)
{
    if (n <= 0) {
        return 0u;
    }
    return ((uint32_t)1 << (n - 1)) - (mode == F8_ROUND_HALF_EVEN ? 1u : 0u);
}

/* The folded bias of channel c: the bias table (rounding constant included), else the rounding constant alone. */
F8_INLINE uint32_t f8a_fbias_of(const f8_conv2d_params *p, int32_t c)
{
    return p->bias != NULL ? (uint32_t)p->bias[c] : f8a_round_const(f8a_shift_of(p, c), p->rounding);
}

/* The affine part of a conv2d layer (p the first member of an f8a_tfl_conv), or NULL for a shift-only layer. */
F8_INLINE const f8a_affine *f8a_conv_affine(const f8_conv2d_params *p)
{
    return p->rounding == F8A_AFFINE ? &((const f8a_tfl_conv *)(const void *)p)->a : (const f8a_affine *)NULL;
}

F8_INLINE const f8a_affine *f8a_dense_affine(const f8_dense_params *p)
{
    return p->rounding == F8A_AFFINE ? &((const f8a_tfl_dense *)(const void *)p)->a : (const f8a_affine *)NULL;
}

/* The value of a padded input tap: Z_x of an affine layer, else 0. */
F8_INLINE int32_t f8a_pad_value(const f8_conv2d_params *p)
{
    const f8a_affine *a = f8a_conv_affine(p);
    return a != NULL ? a->in_zp : 0;
}

/*
 * The affine requantisation of one output channel, prepared once
 * (f8a_rq_init) for all its outputs: f8a_rq_out(r, acc) is
 * clamp(f8_tfl_mbqm(acc, m, shift) + out_zp, lo, hi), bit for bit, for
 * m >= 0 (the affine kernels check it). Double rounding in the form
 * Armv7E-M runs fast: with the one saturating case (x = m = INT32_MIN)
 * excluded, SaturatingRoundingDoublingHighMul(x, m) is
 * floor((x * m + 2^30) / 2^31) (the reference's nudge 1 - 2^30 and C's
 * truncation toward zero give that floor for negative products too): one
 * SMULL, a 64-bit add and a funnel shift; RoundingDivideByPOT with its
 * mask and threshold from the table. The clamp to [lo - zp, hi - zp] before
 * adding zp equals f8_tfl_byte's two clamps (|lo - zp|, |hi - zp| <= 255).
 * Single rounding is f8_tfl_mbqm's.
 */
typedef struct {
    int32_t m, shift, single;
    int32_t left, right;   /* max(shift, 0), max(-shift, 0) */
    uint32_t mask, half;   /* 2^right - 1, and half of it */
    int32_t zp, lo, hi;    /* out_zp; the output bounds minus out_zp */
} f8a_rq;

F8_INLINE void f8a_rq_init(f8a_rq *r, const f8a_affine *a, int32_t c, int32_t lo, int32_t hi)
{
    int32_t k = a->per_channel ? c : 0;
    r->m = a->mult[k];
    r->shift = a->shift[k];
    r->single = a->single;
    r->left = r->shift > 0 ? r->shift : 0;
    r->right = r->shift < 0 ? -r->shift : 0;
    r->mask = ((uint32_t)1 << r->right) - 1u;
    r->half = r->mask >> 1;
    r->zp = a->out_zp;
    r->lo = lo - a->out_zp;
    r->hi = hi - a->out_zp;
}

F8_INLINE uint8_t f8a_rq_out(const f8a_rq *r, uint32_t acc)
{
    int32_t v;
    if (!r->single) {
        int32_t s = (int32_t)(((int64_t)f8_i32_from_u32(acc << r->left) * r->m + ((int64_t)1 << 30)) >> 31);
        v = (s >> r->right) + (((uint32_t)s & r->mask) > r->half + ((uint32_t)s >> 31) ? 1 : 0);
    } else {
        v = f8_tfl_mbqm(f8_i32_from_u32(acc), r->m, (int)r->shift, 1);
    }
    v = v < r->lo ? r->lo : (v > r->hi ? r->hi : v);
    return (uint8_t)(v + r->zp);
}

/* The output byte of the affine sum acc (bias included) of channel c. */
F8_INLINE uint8_t f8a_tfl_out(uint32_t acc, const f8a_affine *a, int32_t c, int32_t lo, int32_t hi)
{
    f8a_rq r;
    f8a_rq_init(&r, a, c, lo, hi);
    return f8a_rq_out(&r, acc);
}

#ifdef F8A_MVE
/*
 * f8a_rq_out of 4 channels oc..oc+3 in vector lanes, double rounding only:
 * VSHL by max(shift, 0) (wraps, as x * 2^left does in the reference), then
 * VQRDMULH, which is SaturatingRoundingDoublingHighMul exactly (its one
 * saturating case, INT32_MIN * INT32_MIN, needs m < 0); RoundingDivideByPOT
 * (ties away from zero) as a rounding shift VRSHL by -right of x - 1 for
 * negative x and right > 0 (VQADD: x = INT32_MIN stays, which rounds the
 * same), then the clamp to [lo - zp, hi - zp] and + zp.
 */
typedef struct {
    int32x4_t m, left, nright, lo, hi, zp;
} f8a_rqv;

F8_INLINE void f8a_rqv_init(f8a_rqv *v, const f8a_affine *a, int32_t oc, int32_t lo, int32_t hi)
{
    int32x4_t sh = a->per_channel ? vldrbq_s32(a->shift + oc) : vdupq_n_s32(a->shift[0]);
    v->m = a->per_channel ? vldrwq_s32(a->mult + oc) : vdupq_n_s32(a->mult[0]);
    v->left = vmaxq_s32(sh, vdupq_n_s32(0));
    v->nright = vminq_s32(sh, vdupq_n_s32(0));
    v->zp = vdupq_n_s32(a->out_zp);
    v->lo = vdupq_n_s32(lo - a->out_zp);
    v->hi = vdupq_n_s32(hi - a->out_zp);
}

F8_INLINE int32x4_t f8a_rqv_out(const f8a_rqv *v, int32x4_t x)
{
    int32x4_t s = vqrdmulhq_s32(vshlq_s32(x, v->left), v->m);
    s = vqaddq_s32(s, vshrq_n_s32(vandq_s32(s, v->nright), 31));
    s = vrshlq_s32(s, v->nright);
    return vaddq_s32(vminq_s32(vmaxq_s32(s, v->lo), v->hi), v->zp);
}
#endif

/* np pixels (1..3) x nr channels (1..4) of affine sums acc[4 * s + r] (bias included) to o[s * C + r]. */
F8_INLINE void f8a_tfl_block(const f8a_affine *a, const int32_t *acc, uint8_t *o, int32_t oc, int32_t np, int32_t nr,
                             int32_t C, int32_t lo, int32_t hi)
{
    int32_t s, r;
    for (r = 0; r < nr; r++) {
        f8a_rq q;
        f8a_rq_init(&q, a, oc + r, lo, hi);
        for (s = 0; s < np; s++) {
            o[s * C + r] = f8a_rq_out(&q, (uint32_t)acc[4 * s + r]);
        }
    }
}

/* The output byte of the conv2d sum x (bias included; no rounding constant) of channel c, shift-only or affine. */
F8_INLINE uint8_t f8a_conv_out(const f8_conv2d_params *p, uint32_t x, int32_t c)
{
    const f8a_affine *a = f8a_conv_affine(p);
    if (a != NULL) {
        return f8a_tfl_out(x, a, c, p->out_lo, p->out_hi);
    }
    return f8_byte(f8a_requant(f8_i32_from_u32(x), f8a_shift_of(p, c), p->rounding, p->out_lo, p->out_hi));
}

/* Fills n bytes (n % 4 == 0) of an int16 buffer with v (8 words a pass: the stores in runs). */
F8_INLINE void f8a_fill16(uint8_t *dst, int32_t v, uint32_t n)
{
    uint32_t w = f8a_pack16(v, v), i = 0;
    for (; i + 32u <= n; i += 32u) {
        f8a_st32(dst + i, w);
        f8a_st32(dst + i + 4, w);
        f8a_st32(dst + i + 8, w);
        f8a_st32(dst + i + 12, w);
        f8a_st32(dst + i + 16, w);
        f8a_st32(dst + i + 20, w);
        f8a_st32(dst + i + 24, w);
        f8a_st32(dst + i + 28, w);
    }
    for (; i < n; i += 4u) {
        f8a_st32(dst + i, w);
    }
}

/* conv2d (f8_conv2d_arm.c) after its argument checks; dense rows (f8_dense_arm.c) without them. */
f8_status f8a_conv2d_run(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, void *scratch);
void f8a_dense_rows(const f8_dense_params *p, f8_act_in in, uint8_t *out);

/*
 * The packed 2 x 4 block of groups == 1 on the int16 band (f8_conv2d_pk.c).
 * A segment: n (1 .. F8A_PK_U) chunks of 16 taps of the band at x, go =
 * f8a_pk_entry(n); a list ends with go = f8a_pk_entry(0).
 */
#define F8A_PK_U 4
typedef struct {
    const uint8_t *x;
    uintptr_t go;
} f8a_pk_seg;
/*
 * The work of one f8a_pk_pair call (the assembly reads the words at offsets
 * 0 .. 44): npairs pixel pairs of an output row, each through all blocks.
 * The assembly advances the segments' x in place (by xstep per pair): the
 * caller sets them again before the next call.
 */
typedef struct {
    const f8a_pk_seg *segs; /* the kernel rows of the first pixel pair as segments, then (NULL, f8a_pk_rq(kind)) */
    const int8_t *w;        /* the weights of the first block */
    const int32_t *ini;     /* 4 init words per block (f8_conv2d_pk.c) */
    const int32_t *iend;    /* ini + 4 * blocks */
    void *out;              /* kind 0: 8 words per block; else the output bytes of pixel 0 */
    uint32_t sh;            /* kind 1, 2: the layer's shift word [n, k, n + 8, k_b] (f8_conv2d_pk.c) */
    int32_t ostride;        /* bytes from pixel 0's outputs to pixel 1's */
    int32_t wskip;          /* bytes of weights skipped after each block (kind 0: the other passes' chunks) */
    int32_t npairs;         /* pixel pairs (kind 0: 1) */
    int32_t xstep;          /* band bytes from one pixel pair to the next */
    int32_t nseg;           /* segments before the list's end (advanced by xstep) */
    int32_t pstep;          /* output bytes added after a pair's blocks */
    uintptr_t rq;           /* f8a_pk_rq(kind), as at the end of segs (read by the plain-C version) */
} f8a_pk_ctl;
uintptr_t f8a_pk_entry(int32_t n);
uintptr_t f8a_pk_rq(int kind);
/*
 * Whether a groups == 1 convolution has packed weights (mirrors packedFits of
 * src/ops/lower_arm.ts): the band shapes (in_c % 4 == 0, kernel_w * in_c %
 * 16 == 0, kernel_h <= 16, dilation 1) with a block, K <= 2048 (the
 * segment list's size), and the layout byte after the weights set (the
 * compiler clears it where some b(t) - [a(t) < 0] is not an int8).
 */
F8_INLINE int f8a_pk_fits(const f8_conv2d_params *p)
{
    int32_t K = p->kernel_h * p->kernel_w * p->in_c;
    return p->groups == 1 && (p->in_c & 3) == 0 && ((p->kernel_w * p->in_c) & 15) == 0 && p->kernel_h <= 16 &&
           p->dilation_h == 1 && p->dilation_w == 1 && p->out_c >= 4 && K <= 2048 &&
           p->weight[p->out_c * K] != 0;
}
void f8a_pk_pair(const f8a_pk_ctl *ctl);

/* Depthwise convolution (f8_dwconv_arm.c): groups == in_c == out_c > 1. */
F8_INLINE int f8a_is_depthwise(const f8_conv2d_params *p)
{
    return p->groups > 1 && p->groups == p->in_c && p->out_c == p->in_c;
}
uint32_t f8a_dwconv_scratch(const f8_conv2d_params *p);
void f8a_dwconv(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, uint8_t *scratch);

#endif /* F8_ARM_H */

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

static int32_t plane_w(const f8_conv2d_params *p)
{
    return p->in_w + p->pad_left + p->pad_right;
}

static int32_t plane_h(const f8_conv2d_params *p)
{
    return p->in_h + p->pad_top + p->pad_bottom;
}

/*
 * The plane plus 2 int16 of slack (a pair load of the last tap may read one
 * past it), or the Helium requantisation table if larger; rounded up to 4 bytes.
 */
uint32_t f8a_dwconv_scratch(const f8_conv2d_params *p)
{
    uint32_t bytes = 2u * (uint32_t)(plane_h(p) * plane_w(p) + 2);
    uint32_t tab = 96u * (uint32_t)((p->in_c + 7) / 8) + 4u; /* the Helium requantisation table, 4 bytes of slack to align it */
    return ((bytes > tab ? bytes : tab) + 3u) & ~3u;
}

static int32_t ld16(const uint8_t *b)
{
    int16_t v;
    memcpy(&v, b, 2);
    return v;
}

/* Channel c of the input into the interior of the plane (borders stay 0). */
static void plane_fill(const f8_conv2d_params *p, f8_act_in in, int32_t c, uint8_t *plane)
{
    int32_t wp = plane_w(p), y, x, C = p->in_c;
    for (y = 0; y < p->in_h; y++) {
        uint8_t *row = plane + 2 * ((y + p->pad_top) * wp + p->pad_left);
        int32_t at = y * p->in_w * C + c;
        if (in.s8 != NULL) {
            const int8_t *src = in.s8 + at;
            for (x = 0; x < p->in_w; x++, src += C) {
                int16_t v = (int16_t)*src;
                memcpy(row + 2 * x, &v, 2);
            }
        } else {
            const uint8_t *src = in.u8 + at;
            for (x = 0; x < p->in_w; x++, src += C) {
                int16_t v = (int16_t)*src;
                memcpy(row + 2 * x, &v, 2);
            }
        }
    }
}

#if defined(__GNUC__)
#define F8A_DW_INLINE static inline __attribute__((always_inline))
#else
#define F8A_DW_INLINE F8_INLINE
#endif

/*
 * One channel, 3x3, dilation 1. The rounding constant r of the channel's
 * shift n >= 1 is added to the bias once (r = 2^(n-1), half_even 2^(n-1) - 1),
 * then each output is a shift: half_up x >> n; half_away (x - 1 if the sum
 * without r is negative) >> n; half_even (x + bit 0 of x >> n) >> n. Exact:
 * |9 products| <= 9 * 255 * 128, and the caller checks that bias + r cannot
 * overflow (else mode is passed as -1: the general f8a_requant per output).
 */
F8A_DW_INLINE void dw3x3_mode(const f8_conv2d_params *p, int32_t c, const uint8_t *plane, uint8_t *out, int mode)
{
    const int8_t *w = p->weight + dw_at(c, 0, p->in_c, 9);
    int32_t ws = dw_at(c, 1, p->in_c, 9) - dw_at(c, 0, p->in_c, 9);
    uint32_t w0 = f8a_pack16(w[0], w[ws]), w1 = f8a_pack16(w[3 * ws], w[4 * ws]), w2 = f8a_pack16(w[6 * ws], w[7 * ws]);
    int32_t v0 = w[2 * ws], v1 = w[5 * ws], v2 = w[8 * ws];
    int32_t row = 2 * plane_w(p), sx = 2 * p->stride_w, sy = row * p->stride_h, C = p->out_c;
    int32_t shift = p->shifts != NULL ? (int32_t)p->shifts[c] : p->shift, lo = p->out_lo, hi = p->out_hi;
    int32_t ow = p->out_w, oh = p->out_h;
    uint32_t bias = p->bias != NULL ? (uint32_t)p->bias[c] : 0u;
    int32_t half = shift >= 1 ? (int32_t)1 << (shift - 1) : 0;
    int32_t oy, ox;
    uint8_t *o = out + c;
    if (mode >= 0) {
        bias += (uint32_t)half - (mode == (int)F8_ROUND_HALF_EVEN ? 1u : 0u);
    }
    for (oy = 0; oy < oh; oy++) {
        const uint8_t *b = plane + oy * sy;
        for (ox = 0; ox < ow; ox++, b += sx, o += C) {
            int32_t acc = f8a_smlad(f8a_ld32(b), w0, ld16(b + 4) * v0), q;
            acc = f8a_smlad(f8a_ld32(b + row), w1, acc + ld16(b + row + 4) * v1);
            acc = f8a_smlad(f8a_ld32(b + 2 * row), w2, acc + ld16(b + 2 * row + 4) * v2);
            if (mode < 0) {
                *o = f8_byte(f8a_requant(f8_i32_from_u32((uint32_t)acc + bias), shift, p->rounding, lo, hi));
                continue;
            }
            acc = f8_i32_from_u32((uint32_t)acc + bias);
            if (mode == (int)F8_ROUND_HALF_UP) {
                q = acc >> shift;
            } else if (mode == (int)F8_ROUND_HALF_AWAY) {
                q = (acc + ((acc - half) >> 31)) >> shift;
            } else {
                q = (acc + ((acc >> shift) & 1)) >> shift;
            }
            *o = f8_byte(q < lo ? lo : (q > hi ? hi : q));
        }
    }
}

static void dw3x3(const f8_conv2d_params *p, int32_t c, const uint8_t *plane, uint8_t *out)
{
    int32_t n = p->shifts != NULL ? (int32_t)p->shifts[c] : p->shift, b = p->bias != NULL ? p->bias[c] : 0;
    int32_t smax = 9 * 32640;
    if (n < 1 || b > INT32_MAX - ((int32_t)1 << (n - 1)) - smax || b < INT32_MIN + smax) {
        dw3x3_mode(p, c, plane, out, -1);
    } else if (p->rounding == F8_ROUND_HALF_UP) {
        dw3x3_mode(p, c, plane, out, (int)F8_ROUND_HALF_UP);
    } else if (p->rounding == F8_ROUND_HALF_AWAY) {
        dw3x3_mode(p, c, plane, out, (int)F8_ROUND_HALF_AWAY);
    } else {
        dw3x3_mode(p, c, plane, out, (int)F8_ROUND_HALF_EVEN);
    }
}

static void dw_any(const f8_conv2d_params *p, int32_t c, const uint8_t *plane, uint8_t *out)
{
    int32_t KK = p->kernel_h * p->kernel_w, row = 2 * plane_w(p), oy, ox, ky, kx;
    const int8_t *w = p->weight + dw_at(c, 0, p->in_c, KK);
    int32_t ws = dw_at(c, 1, p->in_c, KK) - dw_at(c, 0, p->in_c, KK);
    for (oy = 0; oy < p->out_h; oy++) {
        for (ox = 0; ox < p->out_w; ox++) {
            const uint8_t *b = plane + oy * p->stride_h * row + 2 * ox * p->stride_w;
            uint32_t acc = 0u;
            for (ky = 0; ky < p->kernel_h; ky++) {
                for (kx = 0; kx < p->kernel_w; kx++) {
                    acc += (uint32_t)(ld16(b + ky * p->dilation_h * row + 2 * kx * p->dilation_w) * (int32_t)w[(ky * p->kernel_w + kx) * ws]);
                }
            }
            out[(oy * p->out_w + ox) * p->out_c + c] =
                f8a_out(acc, p->bias, p->shifts, p->shift, c, p->rounding, p->out_lo, p->out_hi);
        }
    }
}

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

/* dw3x3 sums 9 products (|sum| <= 9 * 255 * 128) in int32; dw_any sums modulo 2^32. */
void f8a_dwconv(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, uint8_t *scratch)
{
    int32_t c;
    int fast = p->kernel_h == 3 && p->kernel_w == 3 && p->dilation_h == 1 && p->dilation_w == 1;
#ifdef F8A_MVE
    if (mve_ok(p)) {
        dw_mve(p, in, out, scratch);
        return;
    }
#endif
    memset(scratch, 0, f8a_dwconv_scratch(p));
    for (c = 0; c < p->in_c; c++) {
        plane_fill(p, in, c, scratch);
        if (fast) {
            dw3x3(p, c, scratch, out);
        } else {
            dw_any(p, c, scratch, out);
        }
    }
}

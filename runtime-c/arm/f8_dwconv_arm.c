/*
 * f8_dwconv_arm.c - depthwise convolution (groups == in_c == out_c > 1) of
 * the Arm conv2d kernels (f8_conv2d_arm.c). Weights are the usual OHWI
 * [C, KH, KW, 1]: the taps of one channel are contiguous.
 *
 * Channel by channel: the channel is copied once into a zero-padded int16
 * plane in the scratch ((H + pads) x (W + pads), borders written once), so
 * every tap of every output is an offset into the plane, without a bounds
 * test. The channel's weights stay in registers for the whole plane.
 * 3x3, dilation 1: per kernel row one SMLAD (two taps as an int16 pair)
 * and one multiply-add. Other kernels: one multiply-add per tap.
 */
#include "f8_arm.h"

static int32_t plane_w(const f8_conv2d_params *p)
{
    return p->in_w + p->pad_left + p->pad_right;
}

static int32_t plane_h(const f8_conv2d_params *p)
{
    return p->in_h + p->pad_top + p->pad_bottom;
}

/* The plane plus 2 int16 of slack (a pair load of the last tap may read one past it), rounded up to 4 bytes. */
uint32_t f8a_dwconv_scratch(const f8_conv2d_params *p)
{
    uint32_t bytes = 2u * (uint32_t)(plane_h(p) * plane_w(p) + 2);
    return (bytes + 3u) & ~3u;
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
    const int8_t *w = p->weight + c * 9;
    uint32_t w0 = f8a_pack16(w[0], w[1]), w1 = f8a_pack16(w[3], w[4]), w2 = f8a_pack16(w[6], w[7]);
    int32_t v0 = w[2], v1 = w[5], v2 = w[8];
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
    const int8_t *w = p->weight + c * p->kernel_h * p->kernel_w;
    int32_t row = 2 * plane_w(p), oy, ox, ky, kx;
    for (oy = 0; oy < p->out_h; oy++) {
        for (ox = 0; ox < p->out_w; ox++) {
            const uint8_t *b = plane + oy * p->stride_h * row + 2 * ox * p->stride_w;
            uint32_t acc = 0u;
            for (ky = 0; ky < p->kernel_h; ky++) {
                for (kx = 0; kx < p->kernel_w; kx++) {
                    acc += (uint32_t)(ld16(b + ky * p->dilation_h * row + 2 * kx * p->dilation_w) * (int32_t)w[ky * p->kernel_w + kx]);
                }
            }
            out[(oy * p->out_w + ox) * p->out_c + c] =
                f8a_out(acc, p->bias, p->shifts, p->shift, c, p->rounding, p->out_lo, p->out_hi);
        }
    }
}

/* dw3x3 sums 9 products (|sum| <= 9 * 255 * 128) in int32; dw_any sums modulo 2^32. */
void f8a_dwconv(const f8_conv2d_params *p, f8_act_in in, uint8_t *out, uint8_t *scratch)
{
    int32_t c;
    int fast = p->kernel_h == 3 && p->kernel_w == 3 && p->dilation_h == 1 && p->dilation_w == 1;
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

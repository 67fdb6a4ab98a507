/*
 * f8_conv2d.c - 2-D convolution, NHWC input, OHWI weights, groups and
 * depthwise (see f8_kernels.h for the contract).
 *
 * For each output pixel (oy, ox) and channel oc, the window's taps that fall
 * inside the input are dotted with the weights (a tap in the padding adds
 * 0), the bias is added modulo 2^32 and the sum is requantised by shift.
 */
#include "f8_internal.h"

/* One output size from the window geometry, as in the header. */
static int32_t conv_out_size(int32_t in, int32_t pad0, int32_t pad1, int32_t k, int32_t stride, int32_t dil)
{
    int32_t span = in + pad0 + pad1 - dil * (k - 1) - 1;
    return span < 0 ? 0 : span / stride + 1;
}

static f8_status conv_check(const f8_conv2d_params *p, const void *in, const uint8_t *out)
{
    if (p == NULL || in == NULL || out == NULL || p->weight == NULL) {
        return F8_ERR_NULL;
    }
    if (p->in_h < 1 || p->in_w < 1 || p->in_c < 1 || p->out_c < 1 || p->kernel_h < 1 || p->kernel_w < 1 ||
        p->stride_h < 1 || p->stride_w < 1 || p->dilation_h < 1 || p->dilation_w < 1 || p->groups < 1 ||
        p->pad_top < 0 || p->pad_left < 0 || p->pad_bottom < 0 || p->pad_right < 0) {
        return F8_ERR_ARG;
    }
    if (p->in_c % p->groups != 0 || p->out_c % p->groups != 0) {
        return F8_ERR_ARG;
    }
    if (p->out_h < 1 || p->out_w < 1 ||
        p->out_h != conv_out_size(p->in_h, p->pad_top, p->pad_bottom, p->kernel_h, p->stride_h, p->dilation_h) ||
        p->out_w != conv_out_size(p->in_w, p->pad_left, p->pad_right, p->kernel_w, p->stride_w, p->dilation_w)) {
        return F8_ERR_ARG;
    }
    if (!f8_bounds_ok(p->out_lo, p->out_hi) || !f8_rounding_ok(p->rounding) ||
        !f8_shifts_ok(p->shifts, p->out_c, p->shift)) {
        return F8_ERR_ARG;
    }
    return F8_OK;
}

/*
 * The taps [*lo, *hi) of a kernel axis that land inside the input: tap k
 * reads i0 + k * d, which must be in [0, n). Interior pixels take all k
 * taps; only the border ones walk the loops.
 */
static void conv_taps_inside(int32_t i0, int32_t k, int32_t d, int32_t n, int32_t *lo, int32_t *hi)
{
    int32_t a = 0;
    int32_t b = k;
    if (i0 < 0 || i0 + (k - 1) * d >= n) {
        while (a < b && i0 + a * d < 0) {
            a++;
        }
        while (b > a && i0 + (b - 1) * d >= n) {
            b--;
        }
    }
    *lo = a;
    *hi = b;
}

/*
 * The loop over output pixels and channels. The parameters are copied to
 * locals first (the byte stores to `out` could alias *p, which would make
 * the compiler reload them). Per pixel, the taps inside the input are
 * found once, so the dot products below run without bounds checks:
 *   - groups == 1 and dilation_w == 1: the taps of one kernel row are
 *     contiguous in the input and in the weights, one dot product per
 *     kernel row (1x1: one per output);
 *   - otherwise one dot product of in_c / groups per tap
 * (depthwise has its own loop, conv_depthwise).
 * acc starts at the bias; the sum is modulo 2^32 in every order.
 */
static void conv_run(const f8_conv2d_params *p, const int8_t *in_s8, const uint8_t *in_u8, uint8_t *out)
{
    const int32_t in_w = p->in_w, in_h = p->in_h, in_c = p->in_c;
    const int32_t out_h = p->out_h, out_w = p->out_w, out_c = p->out_c;
    const int32_t kh = p->kernel_h, kw = p->kernel_w;
    const int32_t cin_g = in_c / p->groups, cout_g = out_c / p->groups;
    const int32_t dil_h = p->dilation_h, dil_w = p->dilation_w;
    const int32_t sh = p->stride_h, sw = p->stride_w, pt = p->pad_top, pl = p->pad_left;
    const int8_t *const weight = p->weight;
    const int32_t *const bias = p->bias;
    const int8_t *const shifts = p->shifts;
    const int32_t shift = p->shift, lo = p->out_lo, hi = p->out_hi;
    const f8_rounding mode = p->rounding;
    const int32_t w_per_oc = kh * kw * cin_g; /* weights of one output channel */
    const int32_t w_row = kw * cin_g;         /* weights of one kernel row */
    const int32_t x_row = dil_h * in_w * in_c; /* input step between kernel rows */
    const int32_t x_tap = dil_w * in_c;        /* input step between kernel columns */
    const int rows_contiguous = p->groups == 1 && dil_w == 1;
    uint8_t *o = out;
    int32_t oy, ox, oc;

    for (oy = 0; oy < out_h; oy++) {
        int32_t iy0 = oy * sh - pt;
        int32_t ky0, ky1;
        conv_taps_inside(iy0, kh, dil_h, in_h, &ky0, &ky1);
        for (ox = 0; ox < out_w; ox++) {
            int32_t ix0 = ox * sw - pl;
            int32_t kx0, kx1, taps, rows, x_at, w_at, ic0, in_group;
            conv_taps_inside(ix0, kw, dil_w, in_w, &kx0, &kx1);
            taps = kx1 - kx0;
            rows = ky1 - ky0;
            /* first tap inside: input (iy0 + ky0 * dil_h, ix0 + kx0 * dil_w), weight (ky0, kx0) */
            x_at = ((iy0 + ky0 * dil_h) * in_w + ix0 + kx0 * dil_w) * in_c;
            w_at = ky0 * w_row + kx0 * cin_g;
            ic0 = 0;
            in_group = 0;
            for (oc = 0; oc < out_c; oc++) {
                uint32_t acc = bias != NULL ? (uint32_t)bias[oc] : 0u;
                const int8_t *wo = weight + oc * w_per_oc + w_at;
                int32_t r, t;
                if (taps > 0 && rows > 0) {
                    if (in_s8 != NULL) {
                        const int8_t *xo = in_s8 + x_at + ic0;
                        for (r = 0; r < rows; r++) {
                            const int8_t *x = xo + r * x_row;
                            const int8_t *w = wo + r * w_row;
                            if (rows_contiguous) {
                                acc += f8_dot_s8(x, w, taps * cin_g);
                            } else {
                                for (t = 0; t < taps; t++) {
                                    acc += f8_dot_s8(x + t * x_tap, w + t * cin_g, cin_g);
                                }
                            }
                        }
                    } else {
                        const uint8_t *xo = in_u8 + x_at + ic0;
                        for (r = 0; r < rows; r++) {
                            const uint8_t *x = xo + r * x_row;
                            const int8_t *w = wo + r * w_row;
                            if (rows_contiguous) {
                                acc += f8_dot_u8(x, w, taps * cin_g);
                            } else {
                                for (t = 0; t < taps; t++) {
                                    acc += f8_dot_u8(x + t * x_tap, w + t * cin_g, cin_g);
                                }
                            }
                        }
                    }
                }
                o[oc] = f8_byte(f8_requant(f8_i32_from_u32(acc), shifts != NULL ? (int)shifts[oc] : (int)shift, mode, lo, hi));
                /* next group of input channels every cout_g outputs */
                if (++in_group == cout_g) {
                    in_group = 0;
                    ic0 += cin_g;
                }
            }
            o += out_c;
        }
    }
}

/*
 * Depthwise (one input channel per group): output channel oc reads input
 * channel oc / m only (m = out_c / in_c), so its window is a grid of single
 * bytes, dilation_w * in_c apart along a row. A loop of its own keeps few
 * variables live (Cortex-M0+ has eight low registers); taps as in conv_run.
 */
static void conv_depthwise(const f8_conv2d_params *p, const int8_t *in_s8, const uint8_t *in_u8, uint8_t *out)
{
    const int32_t in_w = p->in_w, in_h = p->in_h, in_c = p->in_c;
    const int32_t out_h = p->out_h, out_w = p->out_w, out_c = p->out_c;
    const int32_t kh = p->kernel_h, kw = p->kernel_w, m = out_c / in_c;
    const int32_t dil_h = p->dilation_h, dil_w = p->dilation_w;
    const int32_t sh = p->stride_h, sw = p->stride_w, pt = p->pad_top, pl = p->pad_left;
    const int8_t *const weight = p->weight;
    const int32_t *const bias = p->bias;
    const int8_t *const shifts = p->shifts;
    const int32_t shift = p->shift, lo = p->out_lo, hi = p->out_hi;
    const f8_rounding mode = p->rounding;
    const int32_t x_row = dil_h * in_w * in_c;
    const int32_t x_tap = dil_w * in_c;
    uint8_t *o = out;
    int32_t oy, ox, oc;

    for (oy = 0; oy < out_h; oy++) {
        int32_t iy0 = oy * sh - pt;
        int32_t ky0, ky1;
        conv_taps_inside(iy0, kh, dil_h, in_h, &ky0, &ky1);
        for (ox = 0; ox < out_w; ox++) {
            int32_t ix0 = ox * sw - pl;
            int32_t kx0, kx1, taps, rows, x_at, w_at, ic, in_group;
            conv_taps_inside(ix0, kw, dil_w, in_w, &kx0, &kx1);
            taps = kx1 - kx0;
            rows = ky1 - ky0;
            x_at = ((iy0 + ky0 * dil_h) * in_w + ix0 + kx0 * dil_w) * in_c;
            w_at = ky0 * kw + kx0;
            ic = 0;
            in_group = 0;
            for (oc = 0; oc < out_c; oc++) {
                uint32_t acc = bias != NULL ? (uint32_t)bias[oc] : 0u;
                const int8_t *w = weight + oc * kh * kw + w_at;
                int32_t r;
                if (taps > 0 && rows > 0) {
                    if (in_s8 != NULL) {
                        const int8_t *x = in_s8 + x_at + ic;
                        for (r = 0; r < rows; r++) {
                            acc += f8_dot_s8_strided(x + r * x_row, x_tap, w + r * kw, taps);
                        }
                    } else {
                        const uint8_t *x = in_u8 + x_at + ic;
                        for (r = 0; r < rows; r++) {
                            acc += f8_dot_u8_strided(x + r * x_row, x_tap, w + r * kw, taps);
                        }
                    }
                }
                o[oc] = f8_byte(f8_requant(f8_i32_from_u32(acc), shifts != NULL ? (int)shifts[oc] : (int)shift, mode, lo, hi));
                if (++in_group == m) {
                    in_group = 0;
                    ic++;
                }
            }
            o += out_c;
        }
    }
}

static void conv_any(const f8_conv2d_params *p, const int8_t *in_s8, const uint8_t *in_u8, uint8_t *out)
{
    if (p->in_c == p->groups) {
        conv_depthwise(p, in_s8, in_u8, out);
    } else {
        conv_run(p, in_s8, in_u8, out);
    }
}

f8_status f8_conv2d_s8(const f8_conv2d_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    f8_status st = conv_check(p, in, out);
    (void)scratch;
    if (st == F8_OK) {
        conv_any(p, in, NULL, out);
    }
    return st;
}

f8_status f8_conv2d_u8(const f8_conv2d_params *p, const uint8_t *in, uint8_t *out, void *scratch)
{
    f8_status st = conv_check(p, in, out);
    (void)scratch;
    if (st == F8_OK) {
        conv_any(p, NULL, in, out);
    }
    return st;
}

uint32_t f8_conv2d_s8_scratch_size(const f8_conv2d_params *p)
{
    (void)p;
    return 0u;
}

uint32_t f8_conv2d_u8_scratch_size(const f8_conv2d_params *p)
{
    (void)p;
    return 0u;
}

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
 * The accumulator of output (oy, ox, oc) without bias. Exactly one of
 * in_s8 / in_u8 is non-NULL; the branch sits outside the channel loop.
 */
static uint32_t conv_window(const f8_conv2d_params *p, const int8_t *in_s8, const uint8_t *in_u8,
                            int32_t oy, int32_t ox, int32_t oc)
{
    int32_t cin_g = p->in_c / p->groups;
    int32_t ic0 = (oc / (p->out_c / p->groups)) * cin_g;
    uint32_t acc = 0u;
    int32_t ky, kx;

    for (ky = 0; ky < p->kernel_h; ky++) {
        int32_t iy = oy * p->stride_h - p->pad_top + ky * p->dilation_h;
        if (iy < 0 || iy >= p->in_h) {
            continue;
        }
        for (kx = 0; kx < p->kernel_w; kx++) {
            int32_t ix = ox * p->stride_w - p->pad_left + kx * p->dilation_w;
            int32_t x_at, w_at;
            if (ix < 0 || ix >= p->in_w) {
                continue;
            }
            x_at = (iy * p->in_w + ix) * p->in_c + ic0;
            w_at = ((oc * p->kernel_h + ky) * p->kernel_w + kx) * cin_g;
            if (in_s8 != NULL) {
                acc += f8_dot_s8(in_s8 + x_at, p->weight + w_at, cin_g);
            } else {
                acc += f8_dot_u8(in_u8 + x_at, p->weight + w_at, cin_g);
            }
        }
    }
    return acc;
}

static void conv_run(const f8_conv2d_params *p, const int8_t *in_s8, const uint8_t *in_u8, uint8_t *out)
{
    int32_t oy, ox, oc;
    for (oy = 0; oy < p->out_h; oy++) {
        for (ox = 0; ox < p->out_w; ox++) {
            uint8_t *o = out + (oy * p->out_w + ox) * p->out_c;
            for (oc = 0; oc < p->out_c; oc++) {
                uint32_t acc = conv_window(p, in_s8, in_u8, oy, ox, oc);
                int32_t shift = p->shifts != NULL ? (int32_t)p->shifts[oc] : p->shift;
                if (p->bias != NULL) {
                    acc += (uint32_t)p->bias[oc];
                }
                o[oc] = f8_byte(f8_requant(f8_i32_from_u32(acc), (int)shift, p->rounding, p->out_lo, p->out_hi));
            }
        }
    }
}

f8_status f8_conv2d_s8(const f8_conv2d_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    f8_status st = conv_check(p, in, out);
    (void)scratch;
    if (st == F8_OK) {
        conv_run(p, in, NULL, out);
    }
    return st;
}

f8_status f8_conv2d_u8(const f8_conv2d_params *p, const uint8_t *in, uint8_t *out, void *scratch)
{
    f8_status st = conv_check(p, in, out);
    (void)scratch;
    if (st == F8_OK) {
        conv_run(p, NULL, in, out);
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

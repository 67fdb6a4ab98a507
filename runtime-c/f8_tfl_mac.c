/*
 * f8_tfl_mac.c - affine (TFLite int8) conv2d and fully connected layers
 * (see f8_kernels.h for the contract). The accumulation is the one of
 * f8_conv2d.c / f8_dense.c; the input zero point is folded into the bias by
 * the compiler, so only taps in the padding need it (they read Z_x); the
 * requantisation is MultiplyByQuantizedMultiplier of f8_tfl.h.
 */
#include "f8_internal.h"
#include "f8_tfl.h"

/* The requantised, offset and clamped output of accumulator acc for channel c. */
F8_INLINE uint8_t tfl_out(uint32_t acc, int32_t m, int32_t s, int32_t zp, int32_t single, int32_t lo, int32_t hi)
{
    return f8_tfl_byte(f8_tfl_mbqm(f8_i32_from_u32(acc), m, (int)s, (int)single), zp, lo, hi);
}

static int32_t conv_out_size(int32_t in, int32_t pad0, int32_t pad1, int32_t k, int32_t stride, int32_t dil)
{
    int32_t span = in + pad0 + pad1 - dil * (k - 1) - 1;
    return span < 0 ? 0 : span / stride + 1;
}

static f8_status tconv_check(const f8_tfl_conv2d_params *p, const int8_t *in, const uint8_t *out)
{
    f8_status st = f8_tfl_conv_affine_check(p, in, out);
    if (st != F8_OK) {
        return st;
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
    return F8_OK;
}

/* sum of n weights (|sum| <= 128 n). */
F8_INLINE int32_t tfl_wsum(const int8_t *w, int32_t n)
{
    int32_t s = 0, i;
    for (i = 0; i < n; i++) {
        s += w[i];
    }
    return s;
}

/* The accumulator of output (oy, ox, oc) without bias; padded taps read in_zp. */
static uint32_t tconv_window(const f8_tfl_conv2d_params *p, const int8_t *in, int32_t oy, int32_t ox, int32_t oc)
{
    int32_t cin_g = p->in_c / p->groups;
    int32_t ic0 = (oc / (p->out_c / p->groups)) * cin_g;
    uint32_t zx = (uint32_t)p->in_zp; /* modulo 2^32 */
    uint32_t acc = 0u;
    int32_t ky, kx;

    for (ky = 0; ky < p->kernel_h; ky++) {
        int32_t iy = oy * p->stride_h - p->pad_top + ky * p->dilation_h;
        int row_in = iy >= 0 && iy < p->in_h;
        for (kx = 0; kx < p->kernel_w; kx++) {
            int32_t ix = ox * p->stride_w - p->pad_left + kx * p->dilation_w;
            int32_t w_at = ((oc * p->kernel_h + ky) * p->kernel_w + kx) * cin_g;
            if (row_in && ix >= 0 && ix < p->in_w) {
                acc += f8_dot_s8(in + (iy * p->in_w + ix) * p->in_c + ic0, p->weight + w_at, cin_g);
            } else if (zx != 0u) {
                acc += zx * (uint32_t)tfl_wsum(p->weight + w_at, cin_g);
            }
        }
    }
    return acc;
}

f8_status f8_tfl_conv2d_s8(const f8_tfl_conv2d_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    int32_t oy, ox, oc;
    f8_status st = tconv_check(p, in, out);
    (void)scratch;
    if (st != F8_OK) {
        return st;
    }
    for (oy = 0; oy < p->out_h; oy++) {
        for (ox = 0; ox < p->out_w; ox++) {
            uint8_t *o = out + (oy * p->out_w + ox) * p->out_c;
            for (oc = 0; oc < p->out_c; oc++) {
                uint32_t acc = tconv_window(p, in, oy, ox, oc);
                int32_t c = p->per_channel ? oc : 0;
                if (p->bias != NULL) {
                    acc += (uint32_t)p->bias[oc];
                }
                o[oc] = tfl_out(acc, p->mult[c], p->shift[c], p->out_zp, p->single_rounding, p->out_lo, p->out_hi);
            }
        }
    }
    return F8_OK;
}

uint32_t f8_tfl_conv2d_s8_scratch_size(const f8_tfl_conv2d_params *p)
{
    (void)p;
    return 0u;
}

f8_status f8_tfl_dense_s8(const f8_tfl_dense_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    int32_t n;
    (void)scratch;
    f8_status st = f8_tfl_dense_check(p, in, out);
    if (st != F8_OK) {
        return st;
    }
    for (n = 0; n < p->out_features; n++) {
        uint32_t acc = f8_dot_s8(in, p->weight + n * p->in_features, p->in_features);
        int32_t c = p->per_channel ? n : 0;
        if (p->bias != NULL) {
            acc += (uint32_t)p->bias[n];
        }
        out[n] = tfl_out(acc, p->mult[c], p->shift[c], p->out_zp, p->single_rounding, p->out_lo, p->out_hi);
    }
    return F8_OK;
}

uint32_t f8_tfl_dense_s8_scratch_size(const f8_tfl_dense_params *p)
{
    (void)p;
    return 0u;
}

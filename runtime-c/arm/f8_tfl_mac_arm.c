/*
 * f8_tfl_mac_arm.c - Arm-optimised affine (TFLite int8) conv2d and fully
 * connected layers: the functions of f8_tfl_mac.c (same contract,
 * f8_kernels.h; same bytes) on the engines of the shift-only Arm kernels,
 * with their weight layouts (src/ops/lower_arm.ts permutes the weights as for
 * f8_conv2d_s8 / f8_dense_s8; the folded bias, multipliers and shifts are the
 * portable tables):
 *   groups == 1 (k x k, 1x1): f8_conv2d_arm.c (DSP int16 band or im2col with
 *     SMLAD, Helium im2col with VMLADAVA), padded taps Z_x;
 *   depthwise: f8_dwconv_arm.c (the int16 plane, its border Z_x);
 *   other groups: the direct loop of f8_conv2d_arm.c;
 *   fully connected: f8_dense_arm.c.
 * The layer is handed over as an f8a_tfl_conv / f8a_tfl_dense (f8_arm.h):
 * the engines accumulate as for a shift-only layer and requantise each sum
 * by f8a_mbqm (= f8_tfl_mbqm), + out_zp, clamped.
 * Scratch: conv2d that of f8_conv2d_s8 for the same geometry; dense 0.
 */
#include "f8_arm.h"

static void to_conv(const f8_tfl_conv2d_params *t, f8a_tfl_conv *c)
{
    f8_conv2d_params *p = &c->p;
    p->in_h = t->in_h;
    p->in_w = t->in_w;
    p->in_c = t->in_c;
    p->out_h = t->out_h;
    p->out_w = t->out_w;
    p->out_c = t->out_c;
    p->kernel_h = t->kernel_h;
    p->kernel_w = t->kernel_w;
    p->stride_h = t->stride_h;
    p->stride_w = t->stride_w;
    p->dilation_h = t->dilation_h;
    p->dilation_w = t->dilation_w;
    p->pad_top = t->pad_top;
    p->pad_left = t->pad_left;
    p->pad_bottom = t->pad_bottom;
    p->pad_right = t->pad_right;
    p->groups = t->groups;
    p->weight = t->weight;
    p->bias = t->bias;
    p->shifts = NULL;
    p->shift = 0;
    p->rounding = F8A_AFFINE;
    p->out_lo = t->out_lo;
    p->out_hi = t->out_hi;
    c->a.mult = t->mult;
    c->a.shift = t->shift;
    c->a.per_channel = t->per_channel;
    c->a.in_zp = t->in_zp;
    c->a.out_zp = t->out_zp;
    c->a.single = t->single_rounding;
}

f8_status f8_tfl_conv2d_s8(const f8_tfl_conv2d_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    f8a_tfl_conv c;
    f8_status st = f8_tfl_conv_affine_check(p, in, out);
    if (st != F8_OK) {
        return st;
    }
    to_conv(p, &c);
    return f8a_conv2d_run(&c.p, f8_in_s8(in), out, scratch);
}

uint32_t f8_tfl_conv2d_s8_scratch_size(const f8_tfl_conv2d_params *p)
{
    f8a_tfl_conv c;
    to_conv(p, &c);
    return f8_conv2d_s8_scratch_size(&c.p);
}

f8_status f8_tfl_dense_s8(const f8_tfl_dense_params *p, const int8_t *in, uint8_t *out, void *scratch)
{
    f8a_tfl_dense d;
    (void)scratch;
    f8_status st = f8_tfl_dense_check(p, in, out);
    if (st != F8_OK) {
        return st;
    }
    d.p.in_features = p->in_features;
    d.p.out_features = p->out_features;
    d.p.weight = p->weight;
    d.p.bias = p->bias;
    d.p.shifts = NULL;
    d.p.shift = 0;
    d.p.rounding = F8A_AFFINE;
    d.p.out_lo = p->out_lo;
    d.p.out_hi = p->out_hi;
    d.a.mult = p->mult;
    d.a.shift = p->shift;
    d.a.per_channel = p->per_channel;
    d.a.in_zp = 0;
    d.a.out_zp = p->out_zp;
    d.a.single = p->single_rounding;
    f8a_dense_rows(&d.p, f8_in_s8(in), out);
    return F8_OK;
}

uint32_t f8_tfl_dense_s8_scratch_size(const f8_tfl_dense_params *p)
{
    (void)p;
    return 0u;
}

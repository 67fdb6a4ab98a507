/*
 * f8_kernels.h - the public API of the f8c portable C kernels.
 *
 * Conventions shared by every kernel
 * ----------------------------------
 * - Activations are NHWC with batch 1, stored row-major: element
 *   (y, x, c) of an [H, W, C] tensor is at index (y * W + x) * C + c.
 * - A kernel is named f8_<op>_<in>, where <in> is the input activation type:
 *   _s8 reads int8_t, _u8 reads uint8_t. Every kernel writes its output as
 *   bytes: a result v, already clamped to [out_lo, out_hi], is stored as
 *   (uint8_t)v. For an int8 output, pass out_lo >= -128 and out_hi <= 127
 *   and read the bytes as int8_t; for a uint8 output, 0 <= out_lo, out_hi <= 255.
 * - Fixed point: value = q * 2^-FL. Every rescale is a shift,
 *   f8_requant(x, n = FL_in - FL_out, rounding, out_lo, out_hi) of
 *   f8_arith.h, n in -31..31 (right shift with rounding for n > 0,
 *   saturating left shift for n < 0).
 * - Weights are int8_t; accumulation is int32 modulo 2^32 (the kernels sum
 *   in uint32_t, which wraps by definition, and convert once).
 * - Sizes and indices are int32_t; every size must be >= 1.
 * - Parameter structs are read only; a generated model keeps them
 *   `static const`. Tables they point to (weights, bias, shifts) must stay
 *   valid for the call.
 * - Every kernel returns an f8_status and has a companion
 *   f8_<op>_<in>_scratch_size(params) giving the bytes of the `scratch`
 *   argument it needs (0: pass NULL). No kernel allocates memory, uses
 *   floating point, or recurses.
 * - Input and output must not overlap unless a kernel says so.
 */
#ifndef F8_KERNELS_H
#define F8_KERNELS_H

#include <stddef.h>
#include <stdint.h>
#include "f8_arith.h"

typedef enum {
    F8_OK = 0,
    F8_ERR_NULL = 1,  /* a required pointer is NULL */
    F8_ERR_ARG = 2    /* a size, shift or bound is out of range or inconsistent */
} f8_status;

/* ------------------------------------------------------------------ */
/* conv2d (f8_conv2d.c)                                                 */
/* ------------------------------------------------------------------ */

/*
 * 2-D convolution, grouped or depthwise (groups == in_c == out_c / m).
 *   input  [in_h, in_w, in_c]
 *   weight [out_c, kernel_h, kernel_w, in_c / groups]   (OHWI)
 *   bias   [out_c] int32 at FL_x + FL_w[c], or NULL
 *   output [out_h, out_w, out_c]
 * Output channel oc reads input channels g * (in_c / groups) ... + in_c / groups - 1,
 * g = oc / (out_c / groups). Taps outside the input (padding) read 0:
 *   iy = oy * stride_h - pad_top + ky * dilation_h   (likewise x)
 *   acc = bias[oc] + sum x[iy, ix, ic] * w[oc, ky, kx, ic]   (mod 2^32)
 *   out = f8_requant(acc, n[oc], rounding, out_lo, out_hi)
 * with n[oc] = shifts[oc] if shifts != NULL, else shift
 * (n = FL_x + FL_w[oc] - FL_out, in -31..31).
 * out_h must equal (in_h + pad_top + pad_bottom - dilation_h * (kernel_h - 1) - 1) / stride_h + 1
 * (likewise out_w); pads >= 0.
 */
typedef struct {
    int32_t in_h, in_w, in_c;
    int32_t out_h, out_w, out_c;
    int32_t kernel_h, kernel_w;
    int32_t stride_h, stride_w;
    int32_t dilation_h, dilation_w;
    int32_t pad_top, pad_left, pad_bottom, pad_right;
    int32_t groups;
    const int8_t *weight;
    const int32_t *bias;
    const int8_t *shifts;
    int32_t shift;
    f8_rounding rounding;
    int32_t out_lo, out_hi;
} f8_conv2d_params;

f8_status f8_conv2d_s8(const f8_conv2d_params *p, const int8_t *in, uint8_t *out, void *scratch);
f8_status f8_conv2d_u8(const f8_conv2d_params *p, const uint8_t *in, uint8_t *out, void *scratch);
uint32_t f8_conv2d_s8_scratch_size(const f8_conv2d_params *p);
uint32_t f8_conv2d_u8_scratch_size(const f8_conv2d_params *p);

/* ------------------------------------------------------------------ */
/* dense (f8_dense.c)                                                   */
/* ------------------------------------------------------------------ */

/*
 * Fully connected layer.
 *   input  [in_features]
 *   weight [out_features, in_features]   (row n holds the weights of output n)
 *   bias   [out_features] int32 at FL_x + FL_w[n], or NULL
 *   output [out_features]
 *   acc = bias[n] + sum_k x[k] * w[n, k]   (mod 2^32)
 *   out = f8_requant(acc, shifts ? shifts[n] : shift, rounding, out_lo, out_hi)
 */
typedef struct {
    int32_t in_features, out_features;
    const int8_t *weight;
    const int32_t *bias;
    const int8_t *shifts;
    int32_t shift;
    f8_rounding rounding;
    int32_t out_lo, out_hi;
} f8_dense_params;

f8_status f8_dense_s8(const f8_dense_params *p, const int8_t *in, uint8_t *out, void *scratch);
f8_status f8_dense_u8(const f8_dense_params *p, const uint8_t *in, uint8_t *out, void *scratch);
uint32_t f8_dense_s8_scratch_size(const f8_dense_params *p);
uint32_t f8_dense_u8_scratch_size(const f8_dense_params *p);

#endif /* F8_KERNELS_H */

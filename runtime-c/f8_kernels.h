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

/* Guarded: a generated model header defines the same enum the same way. */
#ifndef F8_STATUS_DEFINED
#define F8_STATUS_DEFINED
typedef enum {
    F8_OK = 0,
    F8_ERR_NULL = 1,  /* a required pointer is NULL */
    F8_ERR_ARG = 2    /* a size, shift or bound is out of range or inconsistent */
} f8_status;
#endif

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

/* ------------------------------------------------------------------ */
/* max_pool, avg_pool, global_avg_pool (f8_pool.c)                     */
/* ------------------------------------------------------------------ */

/*
 * Pooling over kernel_h x kernel_w windows, per channel.
 *   input [in_h, in_w, channels] -> output [out_h, out_w, channels]
 * Window of (oy, ox): rows oy * stride_h - pad_top ... + kernel_h - 1
 * (likewise columns), clipped to the input; pads < kernel size, so every
 * window holds a valid cell. out_h must equal
 * (in_h + pad_top + pad_bottom - kernel_h) / stride_h + 1 (likewise out_w).
 * max_pool: out = f8_requant(max of the valid cells, shift, ...),
 *           shift = FL_in - FL_out in -31..31; padded cells are ignored.
 * avg_pool: sum of the valid cells, count = kernel_h * kernel_w if
 *           count_include_pad else the number of valid cells, and with
 *           shift = k = FL_out - FL_in in -31..31:
 *           k >= 0: out = f8_div_round(sum * 2^k, count)
 *           k <  0: out = f8_div_round(sum, count * 2^-k)
 *           clamped to [out_lo, out_hi]. The numerator and denominator must
 *           fit int32 for the worst window (the compiler checks this).
 */
typedef struct {
    int32_t in_h, in_w, channels;
    int32_t out_h, out_w;
    int32_t kernel_h, kernel_w;
    int32_t stride_h, stride_w;
    int32_t pad_top, pad_left, pad_bottom, pad_right;
    int32_t count_include_pad; /* avg_pool only: 0 or 1 */
    int32_t shift;
    f8_rounding rounding;
    int32_t out_lo, out_hi;
} f8_pool_params;

f8_status f8_max_pool_s8(const f8_pool_params *p, const int8_t *in, uint8_t *out, void *scratch);
f8_status f8_max_pool_u8(const f8_pool_params *p, const uint8_t *in, uint8_t *out, void *scratch);
uint32_t f8_max_pool_s8_scratch_size(const f8_pool_params *p);
uint32_t f8_max_pool_u8_scratch_size(const f8_pool_params *p);
f8_status f8_avg_pool_s8(const f8_pool_params *p, const int8_t *in, uint8_t *out, void *scratch);
f8_status f8_avg_pool_u8(const f8_pool_params *p, const uint8_t *in, uint8_t *out, void *scratch);
uint32_t f8_avg_pool_s8_scratch_size(const f8_pool_params *p);
uint32_t f8_avg_pool_u8_scratch_size(const f8_pool_params *p);

/*
 * Global average pool: input [cells = H * W, channels] -> output [channels];
 * out[c] as avg_pool with count = cells and shift = FL_out - FL_in.
 */
typedef struct {
    int32_t cells, channels;
    int32_t shift;
    f8_rounding rounding;
    int32_t out_lo, out_hi;
} f8_global_avg_pool_params;

f8_status f8_global_avg_pool_s8(const f8_global_avg_pool_params *p, const int8_t *in, uint8_t *out, void *scratch);
f8_status f8_global_avg_pool_u8(const f8_global_avg_pool_params *p, const uint8_t *in, uint8_t *out, void *scratch);
uint32_t f8_global_avg_pool_s8_scratch_size(const f8_global_avg_pool_params *p);
uint32_t f8_global_avg_pool_u8_scratch_size(const f8_global_avg_pool_params *p);

/* ------------------------------------------------------------------ */
/* add (f8_add.c)                                                       */
/* ------------------------------------------------------------------ */

/*
 * Element-wise sum of two activations of `size` elements:
 *   s = a * 2^a_shift + b * 2^b_shift   (a_shift, b_shift in 0..22: the
 *       alignment of each operand to F = max(FL_a, FL_b); |s| < 2^31)
 *   out = f8_requant(s, out_shift, ...), out_shift = F - FL_out in -31..31.
 * Kernels: both int8 (_s8), both uint8 (_u8), int8 a with uint8 b (_s8u8;
 * for uint8 a with int8 b swap the operands and their shifts).
 * The output may be the same buffer as a or b (element i is read before it is written).
 */
typedef struct {
    int32_t size;
    int32_t a_shift, b_shift;
    int32_t out_shift;
    f8_rounding rounding;
    int32_t out_lo, out_hi;
} f8_add_params;

f8_status f8_add_s8(const f8_add_params *p, const int8_t *a, const int8_t *b, uint8_t *out, void *scratch);
f8_status f8_add_u8(const f8_add_params *p, const uint8_t *a, const uint8_t *b, uint8_t *out, void *scratch);
f8_status f8_add_s8u8(const f8_add_params *p, const int8_t *a, const uint8_t *b, uint8_t *out, void *scratch);
uint32_t f8_add_s8_scratch_size(const f8_add_params *p);
uint32_t f8_add_u8_scratch_size(const f8_add_params *p);
uint32_t f8_add_s8u8_scratch_size(const f8_add_params *p);

/* ------------------------------------------------------------------ */
/* rescale: relu, relu6, clip, one input of concat (f8_rescale.c)       */
/* ------------------------------------------------------------------ */

/*
 * Copies `outer` blocks of `block` elements, rescaling each element:
 *   out[out_offset + o * out_stride + j] =
 *       f8_requant(in[o * in_stride + j], shift, rounding, out_lo, out_hi)
 * for o < outer, j < block; shift = FL_in - FL_out in -31..31.
 * relu/relu6/clip: outer = 1, block = strides = size, offset 0, the
 *   activation's range folded into [out_lo, out_hi] (may run in place).
 * concat: one call per input; block = the input's row from the axis on,
 *   out_stride = the output's row, out_offset = the input's position in it.
 */
typedef struct {
    int32_t outer, block;
    int32_t in_stride, out_stride, out_offset;
    int32_t shift;
    f8_rounding rounding;
    int32_t out_lo, out_hi;
} f8_rescale_params;

f8_status f8_rescale_s8(const f8_rescale_params *p, const int8_t *in, uint8_t *out, void *scratch);
f8_status f8_rescale_u8(const f8_rescale_params *p, const uint8_t *in, uint8_t *out, void *scratch);
uint32_t f8_rescale_s8_scratch_size(const f8_rescale_params *p);
uint32_t f8_rescale_u8_scratch_size(const f8_rescale_params *p);

/* ------------------------------------------------------------------ */
/* copy: reshape, flatten (f8_copy.c)                                   */
/* ------------------------------------------------------------------ */

/* Copies `bytes` bytes unchanged; input and output may overlap (memmove). */
typedef struct {
    int32_t bytes;
} f8_copy_params;

f8_status f8_copy_s8(const f8_copy_params *p, const int8_t *in, uint8_t *out, void *scratch);
f8_status f8_copy_u8(const f8_copy_params *p, const uint8_t *in, uint8_t *out, void *scratch);
uint32_t f8_copy_s8_scratch_size(const f8_copy_params *p);
uint32_t f8_copy_u8_scratch_size(const f8_copy_params *p);

/* ------------------------------------------------------------------ */
/* pad (f8_pad.c)                                                       */
/* ------------------------------------------------------------------ */

#define F8_PAD_MAX_RANK 8

/*
 * Constant padding of a tensor of `rank` (1..F8_PAD_MAX_RANK) dimensions.
 *   in_shape [rank]        input sizes (row-major, last axis contiguous)
 *   pads     [rank][2]     elements added before and after on each axis (>= 0)
 * Output size on axis d: in_shape[d] + pads[d][0] + pads[d][1].
 * Border elements are `value` (already in [out_lo, out_hi]); interior ones
 * are f8_requant(x, shift, rounding, out_lo, out_hi), shift = FL_in - FL_out.
 */
typedef struct {
    int32_t rank;
    const int32_t *in_shape;
    const int32_t *pads;
    int32_t value;
    int32_t shift;
    f8_rounding rounding;
    int32_t out_lo, out_hi;
} f8_pad_params;

f8_status f8_pad_s8(const f8_pad_params *p, const int8_t *in, uint8_t *out, void *scratch);
f8_status f8_pad_u8(const f8_pad_params *p, const uint8_t *in, uint8_t *out, void *scratch);
uint32_t f8_pad_s8_scratch_size(const f8_pad_params *p);
uint32_t f8_pad_u8_scratch_size(const f8_pad_params *p);

/* ------------------------------------------------------------------ */
/* softmax (f8_softmax.c)                                               */
/* ------------------------------------------------------------------ */

/*
 * Softmax over each of `rows` rows of `row_len` (1..65536) elements:
 *   m = max_i x_i;  e_i = exp_table[m - x_i];  S = sum_i e_i (>= 32768);
 *   out_i = clamp(round(e_i * 2^fl_out / S), out_lo, out_hi)
 * rounded in `rounding` as f8_div_round. exp_table [256] uint16:
 * exp_table[k] = round(32768 * exp(-k * 2^-FL_in)) (built by the compiler),
 * so exp_table[0] = 32768. fl_out in 0..15.
 */
typedef struct {
    int32_t rows, row_len;
    const uint16_t *exp_table;
    int32_t fl_out;
    f8_rounding rounding;
    int32_t out_lo, out_hi;
} f8_softmax_params;

f8_status f8_softmax_s8(const f8_softmax_params *p, const int8_t *in, uint8_t *out, void *scratch);
f8_status f8_softmax_u8(const f8_softmax_params *p, const uint8_t *in, uint8_t *out, void *scratch);
uint32_t f8_softmax_s8_scratch_size(const f8_softmax_params *p);
uint32_t f8_softmax_u8_scratch_size(const f8_softmax_params *p);

/* ------------------------------------------------------------------ */
/* pocket_sigmoid, pocket_tanh (f8_pocket.c)                            */
/* ------------------------------------------------------------------ */

/*
 * PocketNN activations on `size` elements:
 *   x5 = f8_requant(x, shift, rounding, INT32_MIN, INT32_MAX)
 *        shift = FL_in - 5 (sigmoid) or FL_in - 6 (tanh), in -31..31;
 *   out = clamp(f8_pocket_sigmoid(x5) or f8_pocket_tanh(x5), out_lo, out_hi)
 * The output is int8 at FL 7.
 */
typedef struct {
    int32_t size;
    int32_t shift;
    f8_rounding rounding;
    int32_t out_lo, out_hi;
} f8_pocket_params;

f8_status f8_pocket_sigmoid_s8(const f8_pocket_params *p, const int8_t *in, uint8_t *out, void *scratch);
f8_status f8_pocket_sigmoid_u8(const f8_pocket_params *p, const uint8_t *in, uint8_t *out, void *scratch);
f8_status f8_pocket_tanh_s8(const f8_pocket_params *p, const int8_t *in, uint8_t *out, void *scratch);
f8_status f8_pocket_tanh_u8(const f8_pocket_params *p, const uint8_t *in, uint8_t *out, void *scratch);
uint32_t f8_pocket_sigmoid_s8_scratch_size(const f8_pocket_params *p);
uint32_t f8_pocket_sigmoid_u8_scratch_size(const f8_pocket_params *p);
uint32_t f8_pocket_tanh_s8_scratch_size(const f8_pocket_params *p);
uint32_t f8_pocket_tanh_u8_scratch_size(const f8_pocket_params *p);

/* ------------------------------------------------------------------ */
/* Affine (TFLite int8) kernels (f8_tfl_mac.c, f8_tfl_add.c,            */
/* f8_tfl_softmax.c)                                                    */
/* ------------------------------------------------------------------ */

/*
 * The affine path: value = scale * (q - zero_point). Every rescale is
 * TFLite's MultiplyByQuantizedMultiplier(x, mult, shift) of f8_tfl.h with a
 * Q31 multiplier mult in [0, 2^31) and an exponent shift (real multiplier =
 * mult * 2^(shift - 31)), computed by the compiler (QuantizeMultiplier).
 * single_rounding selects the variant recorded in the model (0: double
 * rounding, TFLite Micro's default build; 1: single rounding); it is a run-
 * time parameter, never a build flag. shift in -31..31 (single rounding:
 * -31..30). Inputs and outputs are int8; out_lo/out_hi (in -128..127) are
 * the output's range (fused ReLU/ReLU6 included).
 */

/*
 * Affine conv2d, grouped or depthwise; geometry fields and layouts as
 * f8_conv2d_params (weights OHWI, zero point 0). With Z_x = in_zp:
 *   acc = bias[oc] + sum over all taps of w * x_tap    (mod 2^32)
 * where a tap in the padding reads x_tap = Z_x. The compiler folds the
 * input offset into the bias, bias[oc] = b[oc] - Z_x * sum of w[oc, ...]
 * (mod 2^32; NULL when both are 0), so that acc equals TFLite's
 * b + sum over the taps inside the input of w * (x - Z_x).
 *   out = clamp(MBQM(acc, mult[c], shift[c]) + out_zp, out_lo, out_hi)
 * c = oc if per_channel else 0 (mult/shift then have one entry).
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
    const int32_t *bias;   /* folded bias [out_c], or NULL */
    const int32_t *mult;   /* Q31 multipliers [out_c] or [1] */
    const int8_t *shift;   /* exponents [out_c] or [1] */
    int32_t per_channel;   /* 0 or 1 */
    int32_t in_zp;         /* -128..127 */
    int32_t out_zp;        /* -128..127 */
    int32_t single_rounding; /* 0 or 1 */
    int32_t out_lo, out_hi;
} f8_tfl_conv2d_params;

f8_status f8_tfl_conv2d_s8(const f8_tfl_conv2d_params *p, const int8_t *in, uint8_t *out, void *scratch);
uint32_t f8_tfl_conv2d_s8_scratch_size(const f8_tfl_conv2d_params *p);

/*
 * Affine fully connected: weight [out_features, in_features], folded bias
 * as for conv2d (bias[n] = b[n] - Z_x * sum_k w[n, k], or NULL):
 *   acc = bias[n] + sum_k x[k] * w[n, k]   (mod 2^32)
 *   out = clamp(MBQM(acc, mult[c], shift[c]) + out_zp, out_lo, out_hi)
 */
typedef struct {
    int32_t in_features, out_features;
    const int8_t *weight;
    const int32_t *bias;
    const int32_t *mult;
    const int8_t *shift;
    int32_t per_channel;
    int32_t out_zp;
    int32_t single_rounding;
    int32_t out_lo, out_hi;
} f8_tfl_dense_params;

f8_status f8_tfl_dense_s8(const f8_tfl_dense_params *p, const int8_t *in, uint8_t *out, void *scratch);
uint32_t f8_tfl_dense_s8_scratch_size(const f8_tfl_dense_params *p);

/*
 * Affine element-wise add of `size` int8 elements (TFLite's ADD):
 *   a' = MBQM((a - in1_zp) * 2^left_shift, mult1, shift1)
 *   b' = MBQM((b - in2_zp) * 2^left_shift, mult2, shift2)
 *   out = clamp(MBQM(a' + b', out_mult, out_shift) + out_zp, out_lo, out_hi)
 * left_shift in 0..22 (TFLite: 20); mult1, mult2 < 1 (shift1, shift2 <= 0).
 * The output may be the same buffer as a or b.
 */
typedef struct {
    int32_t size;
    int32_t in1_zp, in2_zp;
    int32_t left_shift;
    int32_t mult1, shift1;
    int32_t mult2, shift2;
    int32_t out_mult, out_shift;
    int32_t out_zp;
    int32_t single_rounding;
    int32_t out_lo, out_hi;
} f8_tfl_add_params;

f8_status f8_tfl_add_s8(const f8_tfl_add_params *p, const int8_t *a, const int8_t *b, uint8_t *out, void *scratch);
uint32_t f8_tfl_add_s8_scratch_size(const f8_tfl_add_params *p);

/*
 * TFLite's int8 softmax (gemmlowp fixed point) over `rows` rows of
 * row_len (1..4095) elements; output scale 1/256, zero point -128.
 * input_mult, input_left_shift (>= 0): QuantizeMultiplier of
 * min(beta * S_in * 2^26, 2^31 - 1); diff_min <= 0: -CalculateInputRadius(5,
 * input_left_shift). Per row, d = x - max; terms with d < diff_min give
 * -128; the others exp(d) in Q0.31, summed in Q12.19, a Newton-Raphson
 * reciprocal, out = RoundingDivideByPOT(recip * exp, bits + 23) - 128,
 * clamped to [out_lo, out_hi]. Input and output must not overlap.
 */
typedef struct {
    int32_t rows, row_len;
    int32_t input_mult, input_left_shift;
    int32_t diff_min;
    int32_t single_rounding;
    int32_t out_lo, out_hi;
} f8_tfl_softmax_params;

f8_status f8_tfl_softmax_s8(const f8_tfl_softmax_params *p, const int8_t *in, uint8_t *out, void *scratch);
uint32_t f8_tfl_softmax_s8_scratch_size(const f8_tfl_softmax_params *p);

/*
 * An int8 function by table (TFLite's int8 LOGISTIC and TANH, tables built
 * by the compiler from the reference arithmetic): for i < size,
 *   out[i] = table[(uint8_t)in[i]]   (table: 256 int8 values, indexed by
 * the input's byte; the output bounds are already applied). May run in place.
 */
typedef struct {
    int32_t size;
    const int8_t *table;
} f8_tfl_lut_params;

f8_status f8_tfl_lut_s8(const f8_tfl_lut_params *p, const int8_t *in, uint8_t *out, void *scratch);
uint32_t f8_tfl_lut_s8_scratch_size(const f8_tfl_lut_params *p);

/*
 * TFLite's int8 MEAN over H and W of an NHWC tensor [1, H, W, C]
 * (f8_tfl_mean.c), as TFLite Micro's QuantizedMeanOrSum: per channel c,
 *   sum = sum of the count = H * W raw values in[i * channels + c]  (int32)
 *   out = clamp(MBQM(sum - in_zp * count, mult, shift) + out_zp, out_lo, out_hi)
 * with the compiler's mult, shift (QuantizeMultiplier(S_in / S_out), then
 * 1/count folded in: k = min(floor(log2 count), 32, 31 + shift),
 * mult = (mult << k) / count, shift -= k). count in 1..2^23 - 1.
 */
typedef struct {
    int32_t count, channels;
    int32_t in_zp, out_zp;
    int32_t mult, shift;
    int32_t single_rounding;
    int32_t out_lo, out_hi;
} f8_tfl_mean_params;

f8_status f8_tfl_mean_s8(const f8_tfl_mean_params *p, const int8_t *in, uint8_t *out, void *scratch);
uint32_t f8_tfl_mean_s8_scratch_size(const f8_tfl_mean_params *p);

#endif /* F8_KERNELS_H */

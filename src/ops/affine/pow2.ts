/**
 * The shift-only path of affine conv2d/dense: when every requantisation
 * multiplier is an exact power of two, M = 2^-k (M0 = 2^30, shift = 1 - k),
 * MultiplyByQuantizedMultiplier is a rounding shift by k in these cases:
 *   single rounding: floor(x * 2^-k + 1/2) = round half up (any k; for
 *     k < 0 the saturated product equals the saturating left shift after
 *     the output clamp);
 *   double rounding: SRDHM(x, 2^30) = floor((x + 1) / 2) (half up), then
 *     RoundingDivideByPOT(., k - 1) ties away from zero: one rounding only
 *     for k = 1 (M = 1/2); for k >= 2 the two roundings compound, and for
 *     k <= 0 the left shift by 1 - k wraps on large accumulators where the
 *     fixed kernel saturates, so the multiplier path stays.
 * With zero points 0 on input and output, the layer is then the fixed-point
 * kernel (f8_conv2d / f8_dense) with n = k and rounding half_up, bit-exact.
 */
import type { QMult } from '../../arith/tflite.js';
import type { AffineRounding, Graph, Layer, Tensor } from '../../ir/types.js';
import { getTensor } from '../../ir/types.js';
import { macMultipliers, roundingOf } from './mac.js';

/** The shift n = k of each multiplier when the shift-only path is exact, else undefined. */
export function pow2Shifts(mults: readonly QMult[], rounding: AffineRounding): number[] | undefined {
  const out: number[] = [];
  for (const m of mults) {
    if (m.multiplier !== 2 ** 30) return undefined;
    const k = 1 - m.shift;
    if (k > 31 || k < -31) return undefined;
    if (rounding === 'double' && k !== 1) return undefined;
    out.push(k);
  }
  return out;
}

/** Shifts of a conv2d/dense layer with affine tensors when its rescale can be shift-only, else undefined. */
export function layerPow2Shifts(x: Tensor, w: Tensor, out: Tensor, cout: number, rounding: AffineRounding): number[] | undefined {
  if (x.quant.kind !== 'affine' || out.quant.kind !== 'affine' || x.quant.zeroPoint !== 0 || out.quant.zeroPoint !== 0) return undefined;
  return pow2Shifts(macMultipliers(x, w, out, cout, rounding), rounding);
}

/** For `f8c inspect`: 'shift-only', 'multiplier', or '' (layer without an affine rescale of its own). */
export function rescalePath(g: Graph, l: Layer): string {
  if (l.op !== 'conv2d' && l.op !== 'dense' && l.op !== 'add' && l.op !== 'softmax' && l.op !== 'sigmoid' && l.op !== 'tanh') return '';
  const x = getTensor(g, l.inputs[0]!);
  const out = getTensor(g, l.outputs[0]!);
  if (x.quant.kind !== 'affine') return '';
  if (l.op !== 'conv2d' && l.op !== 'dense') return 'multiplier';
  const w = getTensor(g, l.inputs[1]!);
  return layerPow2Shifts(x, w, out, w.shape[0]!, roundingOf(g)) ? 'shift-only' : 'multiplier';
}

/**
 * Conversions at the model's edges (host side only, never in generated run
 * code): real values to the input format and back. value = q * 2^-FL.
 */
import type { Quant } from '../ir/types.js';

/** Rounds half to even (what NumPy and ONNX QuantizeLinear do). */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Rounds half away from zero (C's round(), TFLite's TfLiteRound). */
export function roundHalfAway(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

/** q = clamp(round_half_even(x * 2^FL), qmin, qmax); NaN becomes 0. */
export function quantizeValue(x: number, q: Quant): number {
  if (Number.isNaN(x)) return 0;
  // affine: q = round_half_away(x / scale) + zero point (TFLite's QUANTIZE).
  if (q.kind === 'affine') return Math.min(q.qmax, Math.max(q.qmin, roundHalfAway(x / (typeof q.scale === 'number' ? q.scale : q.scale[0]!)) + q.zeroPoint));
  const fl = typeof q.fl === 'number' ? q.fl : q.fl[0]!;
  const v = roundHalfEven(x * 2 ** fl);
  return Math.min(q.qmax, Math.max(q.qmin, v));
}

export function dequantizeValue(v: number, q: Quant): number {
  if (q.kind === 'affine') return (typeof q.scale === 'number' ? q.scale : q.scale[0]!) * (v - q.zeroPoint);
  const fl = typeof q.fl === 'number' ? q.fl : q.fl[0]!;
  return v * 2 ** -fl;
}

/**
 * Conversions at the model's edges (host side only, never in generated run
 * code): real values to the input format and back. value = q * 2^-FL.
 */
import type { FixedQuant } from '../ir/types.js';

/** Rounds half to even (what NumPy and ONNX QuantizeLinear do). */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** q = clamp(round_half_even(x * 2^FL), qmin, qmax); NaN becomes 0. */
export function quantizeValue(x: number, q: FixedQuant): number {
  if (Number.isNaN(x)) return 0;
  const fl = typeof q.fl === 'number' ? q.fl : q.fl[0]!;
  const v = roundHalfEven(x * 2 ** fl);
  return Math.min(q.qmax, Math.max(q.qmin, v));
}

export function dequantizeValue(v: number, q: FixedQuant): number {
  const fl = typeof q.fl === 'number' ? q.fl : q.fl[0]!;
  return v * 2 ** -fl;
}

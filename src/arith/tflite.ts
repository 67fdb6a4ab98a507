/**
 * TFLite's integer arithmetic (Jacob et al.; gemmlowp; TFLite Micro's
 * default build), defined once for f8c's affine path and mirrored in C by
 * runtime-c/f8_tfl.h. Semantics from ../shared/notes/arithmetic.md §2.
 *
 * Every function takes and returns int32 values held in JS numbers; the
 * 64-bit product of SRDHM is formed exactly from 16-bit halves, so no
 * BigInt and no intermediate beyond 2^53. (The C forms it with the
 * compiler's 64-bit multiply, `__aeabi_lmul` on Armv6-M, which measured
 * faster there than the halves; both give the same bits.)
 *
 * Compile-time helpers (quantizeMultiplier, frexp) use doubles, exactly as
 * TFLite's Prepare functions do; nothing here runs as float in generated C.
 */
import type { AffineRounding } from '../ir/types.js';
import { wrapI32 } from './fixed.js';

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
const TWO31 = 2147483648;

/**
 * floor((a * b + nudge) / 2^31) and whether the division left a remainder,
 * for int32 a, b and |nudge| <= 2^31, computed exactly from b's 16-bit halves.
 */
function mulShift31(a: number, b: number, nudge: number): { q: number; exact: boolean } {
  const bl = b & 0xffff; // 0..65535
  const bh = (b - bl) / 65536; // signed, |bh| <= 2^15
  const hi = a * bh; // |hi| <= 2^46, exact
  const lo = a * bl; // |lo| < 2^47, exact
  const hq = Math.floor(hi / 32768);
  const hr = hi - hq * 32768; // 0 <= hr < 2^15
  const r = hr * 65536 + lo + nudge; // |r| < 2^48, exact
  const rq = Math.floor(r / TWO31);
  return { q: hq + rq, exact: r - rq * TWO31 === 0 };
}

/**
 * SaturatingRoundingDoublingHighMul: round(a*b / 2^31) with the single
 * overflow case saturated. Ties go toward +infinity: the negative nudge and
 * C's truncating division send -1.5 to -1 (and 1.5 to 2).
 */
export function srdhm(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const neg = (a < 0) !== (b < 0) && a !== 0 && b !== 0;
  const nudge = neg ? 1 - 2 ** 30 : 2 ** 30;
  const { q, exact } = mulShift31(a, b, nudge);
  // C's int64 division truncates toward zero: move negative non-exact quotients up by one.
  return (q < 0 && !exact ? q + 1 : q) | 0;
}

/** RoundingDivideByPOT: x / 2^e (e in 0..31), ties away from zero. */
export function roundingDivideByPOT(x: number, e: number): number {
  if (e === 0) return x;
  const p = 2 ** e;
  const fl = Math.floor(x / p); // x >> e
  const rem = x - fl * p; // x & mask
  const thr = (p - 1 - ((p - 1) % 2)) / 2 + (x < 0 ? 1 : 0); // (mask >> 1) + (x < 0)
  return (fl + (rem > thr ? 1 : 0)) | 0;
}

/** Saturating x * 2^e (e >= 0) to int32 (gemmlowp's SaturatingRoundingMultiplyByPOT for positive exponents). */
export function satShiftLeft(x: number, e: number): number {
  const v = x * 2 ** e;
  return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : v;
}

/** gemmlowp SaturatingRoundingMultiplyByPOT<e>: left shift saturating (e > 0) or rounding right shift (e < 0). */
export function satRoundingMulByPOT(x: number, e: number): number {
  return e >= 0 ? satShiftLeft(x, e) : roundingDivideByPOT(x, -e);
}

/**
 * MultiplyByQuantizedMultiplier, double rounding (TFLite Micro's default):
 * RoundingDivideByPOT(SRDHM(x * 2^max(shift, 0), m), max(-shift, 0)).
 * x * 2^left wraps modulo 2^32 as the int32 product does in practice.
 */
export function mbqmDouble(x: number, m: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  return roundingDivideByPOT(srdhm(left ? wrapI32(x * 2 ** left) : x, m), right);
}

/**
 * MultiplyByQuantizedMultiplier, single rounding (TFLITE_SINGLE_ROUNDING):
 * (x * m + 2^(30 - shift)) >> (31 - shift) in 64 bits, saturated to int32.
 * m >= 0, shift in [-31, 30].
 */
export function mbqmSingle(x: number, m: number, shift: number): number {
  const total = 31 - shift; // 1..62
  // x*m = Q*2^31 + R with 0 <= R < 2^31, both exact.
  const Q = mulShift31(x, m, 0).q;
  const R = exactLow31(x, m);
  let v: number;
  if (total < 31) v = Q * 2 ** (31 - total) + Math.floor((R + 2 ** (total - 1)) / 2 ** total);
  else if (total === 31) v = Q + (R + 2 ** 30 >= TWO31 ? 1 : 0);
  else v = Math.floor((Q + 2 ** (total - 32)) / 2 ** (total - 31));
  return (v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : v) | 0;
}

/** (x * m) mod 2^31 in [0, 2^31), exact. */
function exactLow31(x: number, m: number): number {
  const ml = m & 0xffff;
  const mh = (m - ml) / 65536;
  const mod = (v: number, p: number) => ((v % p) + p) % p;
  const hi = mod(x * mh, 32768) * 65536; // (x*mh*2^16) mod 2^31
  const lo = mod(x * ml, TWO31);
  return (hi + lo) % TWO31;
}

/** The requantisation multiply of a layer under the model's affine rounding. */
export function mbqm(x: number, m: number, shift: number, rounding: AffineRounding): number {
  return rounding === 'single' ? mbqmSingle(x, m, shift) : mbqmDouble(x, m, shift);
}

/** std::frexp for finite d != 0: d = f * 2^e with 0.5 <= |f| < 1. Exact. */
export function frexp(d: number): [number, number] {
  if (d === 0 || !Number.isFinite(d)) return [d, 0];
  let e = Math.ceil(Math.log2(Math.abs(d))) || 0;
  let f = d / 2 ** e;
  // log2 may be off by one near powers of two; fix so that 0.5 <= |f| < 1.
  while (Math.abs(f) >= 1) (e += 1), (f = d / 2 ** e);
  while (Math.abs(f) < 0.5) (e -= 1), (f = d / 2 ** e);
  return [f, e];
}

/** C round(): half away from zero. */
export function roundAway(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

export interface QMult {
  /** Q31 multiplier M0 in [2^30, 2^31) (or 0). */
  multiplier: number;
  /** Power of two: real = M0 * 2^(shift - 31). */
  shift: number;
}

/**
 * TFLite QuantizeMultiplier: frexp, round(f * 2^31), renormalise 2^31,
 * flush tiny multipliers (shift < -31) to 0. Single rounding additionally
 * caps shift at 30.
 */
export function quantizeMultiplier(d: number, rounding: AffineRounding = 'double'): QMult {
  if (d === 0) return { multiplier: 0, shift: 0 };
  const [f, e] = frexp(d);
  let q = roundAway(f * TWO31);
  let shift = e;
  if (q === TWO31) {
    q /= 2;
    shift += 1;
  }
  if (shift < -31) return { multiplier: 0, shift: 0 };
  if (rounding === 'single' && shift > 30) return { multiplier: INT32_MAX, shift: 30 };
  return { multiplier: q, shift };
}

/** A multiplier that is an exact power of two (M0 = 2^30): the layer's rescale is a pure shift. */
export function isPow2Multiplier(m: QMult): boolean {
  return m.multiplier === 2 ** 30;
}

/** TFLite CalculateInputRadius(integerBits, leftShift, totalSignedBits = 31). */
export function inputRadius(integerBits: number, leftShift: number, totalSignedBits = 31): number {
  const maxRescaled = (1.0 * (2 ** integerBits - 1) * 2 ** (totalSignedBits - integerBits)) / 2 ** leftShift;
  return Math.floor(maxRescaled);
}

/** Float32 rounding of a JS number (TFLite computes some Prepare values in float). */
export const f32 = Math.fround;

/**
 * Integer arithmetic of f8c, defined once. The C runtime mirrors every
 * function here in runtime-c/f8_arith.h, operation for operation; the
 * interpreter and every op's reference `eval` use only these.
 *
 * All values are JS numbers holding integers; nothing here ever produces a
 * fraction, and every intermediate stays below 2^53 in magnitude.
 */
import type { Rounding } from '../ir/types.js';

const TWO32 = 4294967296;

/** Reinterprets an integer modulo 2^32 as int32 (what uint32 accumulation then conversion gives in C). */
export function wrapI32(x: number): number {
  const m = x % TWO32;
  const u = m < 0 ? m + TWO32 : m;
  return u >= 2147483648 ? u - TWO32 : u;
}

export function saturate(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * Divides x by 2^n (n in 1..31) and rounds to an integer in the given mode:
 * half_even: ties to the even neighbour; half_up: ties toward +infinity;
 * half_away: ties away from zero.
 * C: f8_round_shift(). Computed as floor + a correction from the remainder,
 * so no intermediate exceeds int32 and negative values need no special path.
 */
export function roundShift(x: number, n: number, mode: Rounding): number {
  if (n === 0) return x;
  const p = 2 ** n;
  const floor = Math.floor(x / p);
  const rem = x - floor * p; // 0 <= rem < 2^n  (C: x & mask)
  const half = p / 2;
  let up: boolean;
  if (rem !== half) up = rem > half;
  else if (mode === 'half_up') up = true;
  else if (mode === 'half_away') up = x >= 0;
  else up = (floor & 1) !== 0;
  return up ? floor + 1 : floor;
}

/**
 * Multiplies x by 2^s (s >= 0) and saturates to [lo, hi] without ever
 * forming an out-of-range product. C: f8_shl_sat().
 */
export function shiftLeftSat(x: number, s: number, lo: number, hi: number): number {
  const p = 2 ** s;
  if (x > Math.floor(hi / p)) return hi;
  if (x < -Math.floor(-lo / p)) return lo;
  return x * p;
}

/**
 * The requantisation step of every op: value at FL_in to FL_out, where
 * n = FL_in - FL_out. n > 0 is a rounding right shift; n < 0 a saturating
 * left shift; the result is clamped to [lo, hi]. C: f8_requant().
 */
export function requant(x: number, n: number, mode: Rounding, lo: number, hi: number): number {
  if (n >= 0) return saturate(roundShift(x, n, mode), lo, hi);
  return shiftLeftSat(x, -n, lo, hi);
}

/**
 * Rounded integer division num / den (den > 0) in the given mode.
 * C: f8_div_round(): C division truncates, so the quotient is first moved to
 * the floor, then the remainder decides.
 */
export function divRound(num: number, den: number, mode: Rounding): number {
  if (den <= 0) throw new Error('internal: divRound needs den > 0');
  let q = Math.trunc(num / den);
  let r = num - q * den;
  if (r < 0) {
    q -= 1;
    r += den;
  }
  const other = den - r; // distance to the next multiple
  let up: boolean;
  if (r !== other) up = r > other;
  else if (mode === 'half_up') up = true;
  else if (mode === 'half_away') up = num >= 0;
  else up = (q & 1) !== 0;
  return up ? q + 1 : q;
}

/** C99 integer division: truncates toward zero. */
export function truncDiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

/**
 * PocketNN's piecewise-linear sigmoid on x at FL 5 (value x/32); result at
 * FL 7 in [1, 127]. Divisions truncate toward zero as in C.
 */
export function pocketSigmoid(x: number): number {
  if (x < -127) return 1;
  if (x < -74) return truncDiv(x, 8) + 20;
  if (x < -31) return truncDiv(x, 2) + 48;
  if (x < 32) return x + 64;
  if (x < 75) return truncDiv(x, 2) + 80;
  if (x < 128) return truncDiv(x, 8) + 108;
  return 127;
}

/** PocketNN's piecewise-linear tanh on x at FL 6 (value x/64); result at FL 7 in [-127, 127]. */
export function pocketTanh(x: number): number {
  if (x < -127) return -127;
  if (x < -74) return truncDiv(x, 4) - 88;
  if (x < -31) return x - 32;
  if (x < 32) return 2 * x;
  if (x < 75) return x + 32;
  if (x < 128) return truncDiv(x, 4) + 88;
  return 127;
}

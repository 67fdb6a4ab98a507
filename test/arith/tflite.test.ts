/**
 * TFLite integer arithmetic (src/arith/tflite.ts): hand-worked cases, then
 * random cases against a BigInt transcription of the definitions in
 * ../shared/notes/arithmetic.md §2.
 */
import { mbqmDouble, mbqmSingle, quantizeMultiplier, roundingDivideByPOT, srdhm, frexp, INT32_MIN, INT32_MAX } from '../../src/arith/tflite.js';
import { Rng } from '../../src/util/rng.js';

function srdhmRef(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return Number((ab + nudge) / (1n << 31n)); // BigInt division truncates toward zero, like C
}
function rdbpotRef(x: number, e: number): number {
  const mask = (1n << BigInt(e)) - 1n;
  const bx = BigInt(x);
  const rem = bx & mask;
  const thr = (mask >> 1n) + (bx < 0n ? 1n : 0n);
  return Number((bx >> BigInt(e)) + (rem > thr ? 1n : 0n));
}
function singleRef(x: number, m: number, shift: number): number {
  const total = BigInt(31 - shift);
  const r = (BigInt(x) * BigInt(m) + (1n << (total - 1n))) >> total;
  return Number(r > 2147483647n ? 2147483647n : r < -2147483648n ? -2147483648n : r);
}

describe('TFLite arithmetic, hand-worked', () => {
  test('SRDHM rounds ties away from zero... except that negative ties go up', () => {
    expect(srdhm(1, 2 ** 30)).toBe(1); // 0.5 -> 1
    expect(srdhm(-1, 2 ** 30)).toBe(0); // -0.5 -> 0 (nudge 1 - 2^30, truncation)
    expect(srdhm(3, 2 ** 30)).toBe(2); // 1.5 -> 2
    expect(srdhm(-3, 2 ** 30)).toBe(-1); // -1.5 -> -1
    expect(srdhm(INT32_MIN, INT32_MIN)).toBe(INT32_MAX);
    expect(srdhm(INT32_MAX, INT32_MAX)).toBe(2147483646);
    expect(srdhm(100, 1073741824 + 1)).toBe(50);
  });
  test('RoundingDivideByPOT ties away from zero', () => {
    expect(roundingDivideByPOT(5, 1)).toBe(3);
    expect(roundingDivideByPOT(-5, 1)).toBe(-3);
    expect(roundingDivideByPOT(6, 2)).toBe(2); // 1.5 -> 2
    expect(roundingDivideByPOT(-6, 2)).toBe(-2);
    expect(roundingDivideByPOT(-7, 2)).toBe(-2);
    expect(roundingDivideByPOT(INT32_MIN, 31)).toBe(-1);
    expect(roundingDivideByPOT(INT32_MAX, 31)).toBe(1);
  });
  test('double and single rounding differ on a power-of-two scale of 1/4', () => {
    // M = 0.25: M0 = 2^30, shift -1. x = 1 is 0.25 exactly: single rounding gives 0,
    // double gives SRDHM(1, 2^30) = 1 (0.5 rounded up), then 1/2 rounded away = 1.
    expect(quantizeMultiplier(0.25)).toEqual({ multiplier: 2 ** 30, shift: -1 });
    expect(mbqmDouble(1, 2 ** 30, -1)).toBe(1);
    expect(mbqmSingle(1, 2 ** 30, -1)).toBe(0);
    expect(mbqmDouble(2, 2 ** 30, -1)).toBe(1);
    expect(mbqmSingle(2, 2 ** 30, -1)).toBe(1);
    expect(mbqmDouble(-2, 2 ** 30, -1)).toBe(-1);
    expect(mbqmSingle(-2, 2 ** 30, -1)).toBe(0); // -0.5 -> 0 (floor of x + 1/2)
  });
  test('QuantizeMultiplier', () => {
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(0.75)).toEqual({ multiplier: 3 * 2 ** 29, shift: 0 });
    // 1 - 2^-40 rounds up to 2^31: renormalised to 2^30 with shift + 1.
    expect(quantizeMultiplier(1 - 2 ** -40)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(2 ** -40)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(2 ** 40, 'single')).toEqual({ multiplier: INT32_MAX, shift: 30 });
    expect(frexp(8)).toEqual([0.5, 4]);
    expect(frexp(0.1)).toEqual([0.8, -3]);
  });
});

describe('TFLite arithmetic against BigInt definitions', () => {
  test('random SRDHM, RoundingDivideByPOT, both MultiplyByQuantizedMultiplier variants', () => {
    const rng = new Rng(7);
    const i32 = () => {
      const k = rng.int(0, 3);
      if (k === 0) return rng.pick([INT32_MIN, INT32_MAX, 0, 1, -1, 2 ** 30, -(2 ** 30)]);
      const bits = rng.int(1, 31);
      const v = Math.floor(rng.next() * 2 ** bits) * (rng.next() < 0.5 ? -1 : 1);
      return Math.max(INT32_MIN, Math.min(INT32_MAX, v)) || 0;
    };
    for (let i = 0; i < 5000; i++) {
      const a = i32();
      const b = i32();
      expect(srdhm(a, b)).toBe(srdhmRef(a, b));
      const e = rng.int(0, 31);
      expect(roundingDivideByPOT(a, e)).toBe(rdbpotRef(a, e));
      const m = rng.int(2 ** 30, INT32_MAX);
      const shift = rng.int(-31, 30);
      const x = shift > 0 ? Math.trunc(a / 2 ** shift) : a;
      const left = shift > 0 ? shift : 0;
      expect(mbqmDouble(x, m, shift)).toBe(rdbpotRef(srdhmRef(x * 2 ** left, m), shift > 0 ? 0 : -shift));
      expect(mbqmSingle(a, m, shift)).toBe(singleRef(a, m, shift));
    }
  });
});

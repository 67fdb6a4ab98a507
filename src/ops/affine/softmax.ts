/**
 * softmax variant 'tflite': TFLite's int8 softmax (reference_ops::Softmax
 * for int8 in and out, with gemmlowp fixed point), bit-exact.
 *
 * Prepare (double, compile time): (M, left) = QuantizeMultiplier(
 * min(beta * S_in * 2^(31-5), 2^31 - 1)) with left >= 0;
 * diff_min = -floor((2^5 - 1) * 2^(31-5) / 2^left).
 * Per row: d_i = x_i - max; terms with d_i < diff_min are 0 (output -128);
 * e_i = exp_on_negative_values(Q5.26 of d_i * M * 2^left) in Q0.31;
 * sum = sum of e_i rescaled to Q12.19; reciprocal by Newton-Raphson
 * (one_over_one_plus_x_for_x_in_0_1); out_i = RDBPOT(recip * e_i,
 * bits_over_unit + 31 - 8) - 128, clamped. Output scale 1/256, zero point -128.
 */
import { inputRadius, INT32_MAX, mbqm, quantizeMultiplier, roundingDivideByPOT as rdbpot, satRoundingMulByPOT as srmbp, srdhm, type QMult } from '../../arith/tflite.js';
import type { AffineRounding } from '../../ir/types.js';
import { scaleAt, type Tensor } from '../../ir/types.js';
import type { EvalCtx } from '../opdef.js';
import { roundingOf } from './mac.js';

const SCALED_DIFF_INT_BITS = 5;
const ACCUM_INT_BITS = 12;

export interface SoftmaxParams {
  mult: QMult;
  diffMin: number;
}

export function softmaxParams(x: Tensor, beta: number, rounding: AffineRounding): SoftmaxParams {
  if (x.quant.kind !== 'affine') throw new Error('internal: softmax tflite on a fixed tensor');
  const real = Math.min(beta * scaleAt(x.quant) * 2 ** (31 - SCALED_DIFF_INT_BITS), 2 ** 31 - 1);
  const mult = quantizeMultiplier(real, rounding);
  return { mult, diffMin: -inputRadius(SCALED_DIFF_INT_BITS, mult.shift) };
}

/** exp(a) for a in [-1/4, 0), Q0.31 in and out. */
function expQuarter(a: number): number {
  const constTerm = 1895147668; // exp(-1/8)
  const oneThird = 715827883;
  const x = a + (1 << 28); // a + 1/8
  const x2 = srdhm(x, x);
  const x3 = srdhm(x2, x);
  const x4 = srdhm(x2, x2);
  const x4q = rdbpot(x4, 2);
  const poly = rdbpot(srdhm(x4q + x3, oneThird) + x2, 1);
  return constTerm + srdhm(constTerm, x + poly);
}

const BARREL: [number, number][] = [
  [-2, 1672461947], [-1, 1302514674], [0, 790015084], [1, 290630308], [2, 39332535], [3, 720401], [4, 242],
];

/** gemmlowp exp_on_negative_values for a Q<intBits>.<31-intBits> input a <= 0 (intBits <= 5); Q0.31 result. */
export function expOnNegative(a: number, intBits = SCALED_DIFF_INT_BITS): number {
  const fracBits = 31 - intBits;
  const quarter = 1 << (fracBits - 2);
  const mask = quarter - 1;
  const aModQ = (a & mask) - quarter;
  let result = expQuarter(srmbp(aModQ, intBits));
  const remainder = aModQ - a;
  for (const [e, m] of BARREL) {
    if (intBits > e && (remainder & (1 << (fracBits + e))) !== 0) result = srdhm(result, m);
  }
  return a === 0 ? INT32_MAX : result;
}

/** gemmlowp one_over_one_plus_x_for_x_in_0_1, Q0.31 in, Q0.31 out. */
function oneOverOnePlusX(a: number): number {
  const sum = a + INT32_MAX; // RoundingHalfSum in 64 bits
  const halfDen = Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2);
  let x = 1515870810 + srdhm(halfDen, -1010580540); // Q2.29
  const one = 1 << 29;
  for (let i = 0; i < 3; i++) {
    const hdx = srdhm(halfDen, x);
    const oneMinus = one - hdx;
    x = x + srmbp(srdhm(x, oneMinus), 2);
  }
  return srmbp(x, 1);
}

function clz32(v: number): number {
  return Math.clz32(v >>> 0);
}

export function evalTfliteSoftmax(ctx: EvalCtx<{ beta?: number }>): void {
  const x = ctx.acts[0]!;
  const out = ctx.outs[0]!;
  const r = roundingOf(ctx.graph);
  const { mult, diffMin } = softmaxParams(x.tensor, ctx.layer.attrs.beta ?? 1, r);
  const n = x.tensor.shape[x.tensor.shape.length - 1]!;
  const rows = x.data.length / n;
  const { lo, hi } = ctx.bounds;
  // MultiplyByQuantizedMultiplierGreaterThanOne: SRDHM(x * 2^left, M) (double) or MBQM (single).
  const rescale = (d: number) => (r === 'single' ? mbqm(d, mult.multiplier, mult.shift, r) : srdhm(d * 2 ** mult.shift, mult.multiplier));
  for (let row = 0; row < rows; row++) {
    const base = row * n;
    let mx = -128;
    for (let i = 0; i < n; i++) mx = Math.max(mx, x.data[base + i]!);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const d = x.data[base + i]! - mx;
      if (d >= diffMin) sum += rdbpot(expOnNegative(rescale(d)), ACCUM_INT_BITS);
    }
    const headroom = clz32(sum);
    const bitsOverUnit = ACCUM_INT_BITS - headroom;
    const shiftedMinusOne = ((sum * 2 ** headroom) % 2 ** 32) - 2 ** 31; // (uint32(sum) << headroom) - 2^31 as int32
    const recip = oneOverOnePlusX(shiftedMinusOne | 0);
    for (let i = 0; i < n; i++) {
      const d = x.data[base + i]! - mx;
      let v: number;
      if (d >= diffMin) v = rdbpot(srdhm(recip, expOnNegative(rescale(d))), bitsOverUnit + 31 - 8) - 128;
      else v = -128;
      out.data[base + i] = v < lo ? lo : v > hi ? hi : v;
    }
  }
}

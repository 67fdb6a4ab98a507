/**
 * sigmoid and tanh: TFLite's int8 LOGISTIC and TANH (reference_integer_ops
 * with gemmlowp fixed point, as TFLite Micro computes them), bit-exact.
 *
 * Prepare (double, compile time): frexp(S_in * 2^27) = (q, left);
 * M = round(q * 2^31) (no renormalisation, as TFLite Micro);
 * radius = CalculateInputRadius(4, left).
 * Per element, d = x - Z_in: d <= -radius -> min, d >= radius -> max;
 * else a = MultiplyByQuantizedMultiplier(d, M, left) in Q4.27 and
 *   sigmoid: RoundingDivideByPOT(logistic(a) in Q0.31, 23) - 128, output scale 1/256, zero point -128;
 *   tanh:    RoundingDivideByPOT(tanh(a) in Q0.31, 24), output scale 1/128, zero point 0;
 * clamped to int8. An int8 input has 256 values: the C kernel is a
 * 256-entry table built here by the same functions (as TFLite Micro's
 * EvalUsingLookupTable does), so the C cannot differ from this reference.
 */
import { INT32_MAX, frexp, inputRadius, mbqm, roundAway, roundingDivideByPOT as rdbpot, satRoundingMulByPOT as srmbp, srdhm } from '../../arith/tflite.js';
import { fail } from '../../diag/diagnostic.js';
import { numel, scaleAt, type AffineRounding, type Tensor } from '../../ir/types.js';
import { outputBounds } from '../context.js';
import { simpleCall, table, int, type KernelCall } from '../lowering.js';
import type { EvalCtx, OpCtx } from '../opdef.js';
import { expOnNegative } from './softmax.js';
import { checkAffineActs } from './eltwise.js';
import { roundingOf } from './mac.js';

const IN_INT_BITS = 4;

export type LutKind = 'sigmoid' | 'tanh';
export const LUT_OUT: Record<LutKind, { scale: number; zeroPoint: number }> = {
  sigmoid: { scale: 1 / 256, zeroPoint: -128 },
  tanh: { scale: 1 / 128, zeroPoint: 0 },
};

export interface LutParams {
  zp: number;
  mult: number;
  left: number;
  radius: number;
}

export function lutParams(x: Tensor): LutParams | undefined {
  if (x.quant.kind !== 'affine') throw new Error('internal: sigmoid/tanh of a fixed tensor');
  const [q, left] = frexp(scaleAt(x.quant) * 2 ** (31 - IN_INT_BITS));
  const mult = roundAway(q * 2 ** 31);
  if (mult >= 2 ** 31 || left > 30 || left < -31) return undefined;
  return { zp: x.quant.zeroPoint, mult, left, radius: inputRadius(IN_INT_BITS, left) };
}

/** gemmlowp one_over_one_plus_x_for_x_in_0_1 (plus1) or one_minus_x_over_one_plus_x_for_x_in_0_1, Q0.31 a >= 0. */
function newtonRecip(a: number, minus: boolean): number {
  const halfDen = Math.floor((a + 2 ** 31) / 2); // RoundingHalfSum(a, INT32_MAX) for a >= 0
  let x = 1515870810 + srdhm(halfDen, -1010580540);
  const one = 1 << 29;
  for (let i = 0; i < 3; i++) x = x + srmbp(srdhm(x, one - srdhm(halfDen, x)), 2);
  return minus ? srmbp(x - one, 2) : srmbp(x, 1);
}

/** gemmlowp logistic of a Q4.27 value, Q0.31 result. */
function logisticQ4(a: number): number {
  if (a === 0) return 1 << 30;
  const pos = newtonRecip(expOnNegative(-Math.abs(a), IN_INT_BITS), false);
  return a > 0 ? pos : INT32_MAX - pos;
}

/** gemmlowp tanh of a Q4.27 value, Q0.31 result. */
function tanhQ4(a: number): number {
  if (a === 0) return 0;
  // exp_on_negative_values of 2 * (-|a|), the same raw read with 5 integer bits
  const t = newtonRecip(expOnNegative(-Math.abs(a), IN_INT_BITS + 1), true);
  return a < 0 ? -t : t;
}

/** The int8 result of one input value q. */
export function lutValue(kind: LutKind, p: LutParams, q: number, rounding: AffineRounding): number {
  const d = q - p.zp;
  if (d <= -p.radius) return -128;
  if (d >= p.radius) return 127;
  const a = mbqm(d, p.mult, p.left, rounding);
  const v = kind === 'sigmoid' ? rdbpot(logisticQ4(a), 31 - 8) - 128 : rdbpot(tanhQ4(a), 31 - 7);
  return v < -128 ? -128 : v > 127 ? 127 : v;
}

export function checkLut(ctx: OpCtx<unknown>, kind: LutKind): void {
  if (!checkAffineActs(ctx)) return;
  const o = ctx.outputs[0]!.quant;
  const want = LUT_OUT[kind];
  if (o.kind === 'affine' && (o.zeroPoint !== want.zeroPoint || o.scale !== want.scale))
    ctx.report('F8E046', `${kind} (TFLite) writes scale ${want.scale}, zero point ${want.zeroPoint}; output has scale ${o.scale}, zero point ${o.zeroPoint}`, 'outputs[0]');
  if (!lutParams(ctx.inputs[0]!)) ctx.report('F8E046', `${kind}: input scale ${scaleAt(ctx.inputs[0]!.quant as never)} is out of TFLite's range`, 'inputs[0]');
}

export function evalLut(ctx: EvalCtx<unknown>, kind: LutKind): void {
  const x = ctx.acts[0]!;
  const out = ctx.outs[0]!;
  const p = lutParams(x.tensor)!;
  const r = roundingOf(ctx.graph);
  const { lo, hi } = ctx.bounds;
  for (let i = 0; i < x.data.length; i++) {
    const v = lutValue(kind, p, x.data[i]!, r);
    out.data[i] = v < lo ? lo : v > hi ? hi : v;
  }
}

/** The 256-entry table, indexed by the input byte (q & 255), output bounds applied. */
export function lutTable(ctx: OpCtx<any>, kind: LutKind): number[] {
  const x = ctx.inputs[0]!;
  const p = lutParams(x);
  if (!p) return fail('F8E112', `layer '${ctx.layer.name}': ${kind} input scale out of range`, { layer: ctx.layer.name });
  const { lo, hi } = outputBounds(ctx.layer, ctx.outputs[0]!);
  const r = roundingOf(ctx.graph);
  return Array.from({ length: 256 }, (_, b) => {
    const v = lutValue(kind, p, b < 128 ? b : b - 256, r);
    return Math.max(lo, Math.min(hi, v));
  });
}

export function lowerLut(ctx: OpCtx<any>, kind: LutKind): KernelCall[] {
  const x = ctx.inputs[0]!;
  const values = lutTable(ctx, kind);
  return [
    simpleCall({
      family: 'tfl_lut',
      op: 'tfl_lut',
      input: x,
      acts: [x],
      params: [{ name: 'size', value: int(numel(x.shape)) }, { name: 'table', value: table('lut') }],
      tables: [{ suffix: 'lut', ctype: 'int8_t', values, align: 1, comment: `TFLite ${kind === 'sigmoid' ? 'LOGISTIC' : 'TANH'} of every int8 input, indexed by its byte` }],
      comment: `${kind} (TFLite int8) by table`,
    }),
  ];
}

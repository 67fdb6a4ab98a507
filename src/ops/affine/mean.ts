/**
 * global_avg_pool on affine tensors: TFLite's int8 MEAN over H and W (axes
 * 1 and 2 of NHWC, keep_dims or not; the importer adds a reshape for the
 * latter), as TFLite Micro @90b983c2 computes it (reduce_common.cc:
 * EvalMeanHelper -> EvalIntegerMean -> reference_ops::QuantizedMeanOrSum).
 * Integer only, no float at run time and no division at run time:
 *
 * Prepare (double, compile time): (M, s) = QuantizeMultiplier(S_in / S_out).
 * With n = H * W, the mean's 1/n is folded into the multiplier:
 *   k  = min(floor(log2 n), 32, 31 + s)      (63 - CountLeadingZeros(n))
 *   M' = trunc(M * 2^k / n)                  (int64 division; M' <= M < 2^31)
 *   s' = s - k                               (>= -31)
 * Per channel c:
 *   sum = sum over the n positions of the raw int8 values   (int32)
 *   out = clamp(MBQM(sum - Z_in * n, M', s') + Z_out, -128, 127)
 * MBQM is the model's MultiplyByQuantizedMultiplier (double or single
 * rounding). This is the only int8 path at that version: there is no
 * special case for equal scales (the float special case for 4-D axes 1, 2
 * is float32 only). The C kernel (runtime-c/f8_tfl_mean.c) takes M', s'.
 * n * 256 must stay below 2^31 (TFLite sums in int32; larger windows would
 * wrap there): F8E044 otherwise.
 */
import { mbqm, quantizeMultiplier, type QMult } from '../../arith/tflite.js';
import { scaleAt, type AffineQuant, type AffineRounding, type Tensor } from '../../ir/types.js';
import { outputBounds } from '../context.js';
import { int, simpleCall, type KernelCall, type ParamField } from '../lowering.js';
import type { EvalCtx, OpCtx } from '../opdef.js';
import { checkAffineActs } from './eltwise.js';
import { roundingOf } from './mac.js';

function aq(t: Tensor): AffineQuant {
  if (t.quant.kind !== 'affine') throw new Error(`internal: '${t.name}' is not affine`);
  return t.quant;
}

export interface MeanParams {
  /** Number of averaged positions, H * W. */
  count: number;
  inZp: number;
  outZp: number;
  /** The multiplier with 1/count folded in (M', s'). */
  mult: QMult;
}

/** TFLite's adjusted multiplier for a mean over `count` elements (QuantizedMeanOrSum, compute_sum false). */
export function meanMultiplier(m: QMult, count: number): QMult {
  let k = Math.floor(Math.log2(count));
  while (2 ** (k + 1) <= count) k++;
  while (2 ** k > count) k--;
  k = Math.min(k, 32, 31 + m.shift);
  const multiplier = Number((BigInt(m.multiplier) << BigInt(k)) / BigInt(count)); // BigInt division truncates as C's
  return { multiplier, shift: m.shift - k };
}

export function meanParams(x: Tensor, out: Tensor, rounding: AffineRounding): MeanParams {
  const [, H, W] = x.shape as [number, number, number, number];
  const count = H * W;
  const m = quantizeMultiplier(scaleAt(aq(x)) / scaleAt(aq(out)), rounding);
  return { count, inZp: aq(x).zeroPoint, outZp: aq(out).zeroPoint, mult: meanMultiplier(m, count) };
}

/** One output value from a channel's int32 sum of raw input values. */
export function meanValue(p: MeanParams, sum: number, rounding: AffineRounding): number {
  const v = mbqm(sum - p.inZp * p.count, p.mult.multiplier, p.mult.shift, rounding) + p.outZp;
  return v < -128 ? -128 : v > 127 ? 127 : v;
}

export function checkAffineMean(ctx: OpCtx<unknown>): void {
  if (!checkAffineActs(ctx)) return;
  const x = ctx.inputs[0]!;
  if (x.shape.length !== 4 || x.shape[0] !== 1) return;
  const count = x.shape[1]! * x.shape[2]!;
  if (count * 256 >= 2 ** 31) ctx.report('F8E044', `mean over ${count} positions: the int32 sum (TFLite's) could overflow; at most ${2 ** 23 - 1} positions`, 'inputs[0]');
}

export function evalAffineMean(ctx: EvalCtx<unknown>): void {
  const x = ctx.acts[0]!;
  const out = ctx.outs[0]!;
  const r = roundingOf(ctx.graph);
  const p = meanParams(x.tensor, out.tensor, r);
  const C = x.tensor.shape[3]!;
  const { lo, hi } = ctx.bounds;
  for (let c = 0; c < C; c++) {
    let sum = 0;
    for (let i = 0; i < p.count; i++) sum += x.data[i * C + c]!;
    const v = meanValue(p, sum, r);
    out.data[c] = v < lo ? lo : v > hi ? hi : v;
  }
}

export function lowerAffineMean(ctx: OpCtx<any>): KernelCall[] {
  const x = ctx.inputs[0]!;
  const out = ctx.outputs[0]!;
  const r = roundingOf(ctx.graph);
  const p = meanParams(x, out, r);
  const { lo, hi } = outputBounds(ctx.layer, out);
  const params: ParamField[] = [
    { name: 'count', value: int(p.count) },
    { name: 'channels', value: int(x.shape[3]!) },
    { name: 'in_zp', value: int(p.inZp) },
    { name: 'out_zp', value: int(p.outZp) },
    { name: 'mult', value: int(p.mult.multiplier) },
    { name: 'shift', value: int(p.mult.shift) },
    { name: 'single_rounding', value: int(r === 'single' ? 1 : 0) },
    { name: 'out_lo', value: int(lo) },
    { name: 'out_hi', value: int(hi) },
  ];
  return [simpleCall({ family: 'tfl_mean', op: 'tfl_mean', input: x, acts: [x], params, comment: `TFLite MEAN over H x W = ${p.count} (1/${p.count} folded into the multiplier)` })];
}

/**
 * Affine (TFLite int8) semantics of conv2d (incl. depthwise = groups) and
 * dense, as TFLite Micro's reference kernels compute them:
 *
 *   acc[c] = sum over the taps inside the input of w * (x - Z_x)  (+ bias[c])
 *   out    = clamp(MultiplyByQuantizedMultiplier(acc, M0[c], shift[c]) + Z_out, lo, hi)
 *
 * with (M0[c], shift[c]) = QuantizeMultiplier(S_x * S_w[c] / S_out) in
 * double precision (PopulateConvolutionQuantizationParams), and [lo, hi]
 * the output's [qmin, qmax] (the fused activation's range). Weights have
 * zero point 0; biases are int32 at scale S_x * S_w[c]. Padded taps add
 * nothing, which is the same as reading Z_x there: the C kernels pad with
 * Z_x and fold -Z_x * sum(w) into the bias at compile time.
 */
import { wrapI32 } from '../../arith/fixed.js';
import { mbqm, quantizeMultiplier, type QMult } from '../../arith/tflite.js';
import { numel, scaleAt, type AffineQuant, type AffineRounding, type Graph, type Tensor } from '../../ir/types.js';
import { convSums, type ConvAttrs } from '../common.js';
import type { AccBound, EvalCtx, OpCtx } from '../opdef.js';

export function roundingOf(g: Graph): AffineRounding {
  return g.affineRounding ?? 'double';
}

function aq(t: Tensor): AffineQuant {
  if (t.quant.kind !== 'affine') throw new Error(`internal: '${t.name}' is not affine`);
  return t.quant;
}

/** Per-output-channel multipliers of a conv2d/dense layer. */
export function macMultipliers(x: Tensor, w: Tensor, out: Tensor, cout: number, rounding: AffineRounding): QMult[] {
  const sx = scaleAt(aq(x));
  const so = scaleAt(aq(out));
  const wq = aq(w);
  return Array.from({ length: cout }, (_, c) => quantizeMultiplier((sx * scaleAt(wq, typeof wq.scale === 'number' ? 0 : c)) / so, rounding));
}

/** Format checks shared by conv2d and dense on the affine path. */
export function checkAffineMac<A>(ctx: OpCtx<A>, cout: number): void {
  const [x, w, b] = ctx.inputs;
  const out = ctx.outputs[0]!;
  const need = (t: Tensor, dtype: string, field: string) => {
    if (t.quant.kind !== 'affine') ctx.report('F8E046', `'${t.name}' must be affine like the rest of the layer`, field);
    else if (t.dtype !== dtype) ctx.report('F8E042', `'${t.name}' is ${t.dtype}; the affine path needs ${dtype}`, field);
  };
  need(x!, 'int8', 'inputs[0]');
  need(w!, 'int8', 'inputs[1]');
  need(out, 'int8', 'outputs[0]');
  if (b) need(b, 'int32', 'inputs[2]');
  if ([x!, w!, out, ...(b ? [b] : [])].some((t) => t.quant.kind !== 'affine')) return;
  const wq = aq(w!);
  if (wq.zeroPoint !== 0) ctx.report('F8E046', `weight '${w!.name}' has zero point ${wq.zeroPoint}; int8 weights are symmetric (zero point 0)`, 'inputs[1].quant.zero_point');
  if (typeof wq.scale !== 'number' && (wq.scale.length !== cout || (wq.axis ?? 0) !== 0))
    ctx.report('F8E047', `weight '${w!.name}' has ${wq.scale.length} scales on axis ${wq.axis ?? 0}; expected ${cout} on axis 0`, 'inputs[1].quant.scale');
  for (const t of [x!, out]) if (typeof aq(t).scale !== 'number') ctx.report('F8E047', `activation '${t.name}' must have one scale`, 'outputs[0].quant.scale');
}

export function affineMacBound(x: Tensor, w: Tensor, b: Tensor | undefined, cout: number): AccBound {
  const q = aq(x);
  const xmax = Math.max(Math.abs(q.qmin - q.zeroPoint), Math.abs(q.qmax - q.zeroPoint));
  const per = numel(w.shape) / cout;
  let maxAbs = 0;
  for (let c = 0; c < cout; c++) {
    let s = 0;
    for (let i = c * per; i < (c + 1) * per; i++) s += Math.abs(w.data![i]!);
    maxAbs = Math.max(maxAbs, s * xmax + Math.abs(b?.data?.[c] ?? 0));
  }
  return { maxAbs };
}

export function evalAffineConv(ctx: EvalCtx<ConvAttrs>): void {
  const x = ctx.acts[0]!;
  const [w, b] = ctx.consts;
  const out = ctx.outs[0]!;
  const rounding = roundingOf(ctx.graph);
  const mult = macMultipliers(x.tensor, w!, out.tensor, w!.shape[0]!, rounding);
  const zo = aq(out.tensor).zeroPoint;
  const { lo, hi } = ctx.bounds;
  convSums(x, w!, b, ctx.layer.attrs, aq(x.tensor).zeroPoint, (i, oc, acc) => {
    const m = mult[oc]!;
    const v = mbqm(wrapI32(acc), m.multiplier, m.shift, rounding) + zo;
    out.data[i] = v < lo ? lo : v > hi ? hi : v;
  });
}

export function evalAffineDense(ctx: EvalCtx<unknown>): void {
  const x = ctx.acts[0]!;
  const [w, b] = ctx.consts;
  const out = ctx.outs[0]!;
  const [N, K] = w!.shape as [number, number];
  const rounding = roundingOf(ctx.graph);
  const mult = macMultipliers(x.tensor, w!, out.tensor, N, rounding);
  const zx = aq(x.tensor).zeroPoint;
  const zo = aq(out.tensor).zeroPoint;
  const wd = w!.data!;
  const xd = x.data;
  const { lo, hi } = ctx.bounds;
  for (let n = 0; n < N; n++) {
    let acc = 0;
    const wb = n * K;
    for (let k = 0; k < K; k++) acc += (xd[k]! - zx) * wd[wb + k]!;
    if (b) acc += b.data![n]!;
    const m = mult[n]!;
    const v = mbqm(wrapI32(acc), m.multiplier, m.shift, rounding) + zo;
    out.data[n] = v < lo ? lo : v > hi ? hi : v;
  }
}

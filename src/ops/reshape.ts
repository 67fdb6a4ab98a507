/**
 * reshape and flatten: move bytes only (NHWC row-major order is kept).
 *
 * reshape: attr `shape` is the full output shape including the batch 1; one
 * entry may be -1 (inferred from the element count); other entries are >= 1.
 * flatten: [1, d1, ..., dk] -> [1, d1 * ... * dk].
 * Input and output must have the same dtype and the same quantisation
 * (F8E045), and the same element count (F8E030). The output batch must be
 * 1 (F8E032). No rounding, no clamping: out[i] = x[i].
 */
import { z } from 'zod';
import { numel, type FixedQuant, type Tensor } from '../ir/types.js';
import { requireActDtype } from './common.js';
import { defineOp, type EvalCtx, type OpCtx } from './opdef.js';
import { lowerCopy } from './lower_kernels.js';
import { sameAffine } from './affine/common.js';

function sameFl(a: FixedQuant['fl'], b: FixedQuant['fl']): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function sameFormat(x: Tensor, y: Tensor): boolean {
  const p = x.quant;
  const q = y.quant;
  if (p.kind === 'affine' || q.kind === 'affine') return x.dtype === y.dtype && sameAffine(p, q);
  return x.dtype === y.dtype && p.kind === q.kind && sameFl(p.fl, q.fl) && (p.axis ?? 0) === (q.axis ?? 0) && p.qmin === q.qmin && p.qmax === q.qmax;
}

function quantText(t: Tensor): string {
  const q = t.quant;
  return q.kind === 'affine' ? `scale ${JSON.stringify(q.scale)} zero point ${q.zeroPoint}` : `FL ${JSON.stringify(q.fl)}`;
}

function checkMove<A>(ctx: OpCtx<A>): void {
  const x = ctx.inputs[0]!;
  const out = ctx.outputs[0]!;
  requireActDtype(ctx, x, 'inputs[0]');
  if (!sameFormat(x, out))
    ctx.report('F8E045', `'${x.name}' (${x.dtype}, ${quantText(x)}, [${x.quant.qmin}, ${x.quant.qmax}]) and '${out.name}' (${out.dtype}, ${quantText(out)}, [${out.quant.qmin}, ${out.quant.qmax}]) must have the same format`, 'outputs[0]');
}

function evalMove<A>(ctx: EvalCtx<A>): void {
  const x = ctx.acts[0]!;
  const out = ctx.outs[0]!;
  if (x.data.length !== out.data.length) throw new Error(`internal: ${ctx.layer.op} element counts differ`);
  if (x.data !== out.data) out.data.set(x.data);
}

const shared = {
  inputs: [{ name: 'x', kind: 'activation' as const }],
  fusable: false,
  checkFormats: checkMove,
  macs: () => 0,
  scratch: () => 0,
  eval: evalMove,
  lower: lowerCopy,
};

const reshapeAttrs = z.object({ shape: z.array(z.number().int()).min(1) }).strict();

export const reshape = defineOp({
  ...shared,
  kind: 'reshape',
  summary: 'reinterpret the elements with a new shape (one -1 allowed)',
  attrs: reshapeAttrs,
  inferShape(ctx) {
    const x = ctx.inputs[0]!;
    const spec = ctx.layer.attrs.shape;
    const free = spec.filter((d) => d === -1).length;
    if (free > 1) return void ctx.report('F8E011', `reshape allows one -1 in shape, got [${spec}]`, 'attrs.shape');
    if (spec.some((d) => d !== -1 && d < 1)) return void ctx.report('F8E011', `reshape dimensions must be >= 1 or -1, got [${spec}]`, 'attrs.shape');
    const total = numel(x.shape);
    const known = spec.reduce((p, d) => (d === -1 ? p : p * d), 1);
    if (free === 1 ? total % known !== 0 : total !== known)
      return void ctx.report('F8E030', `cannot reshape [${x.shape}] (${total} elements) to [${spec}]`, 'attrs.shape');
    const shape = spec.map((d) => (d === -1 ? total / known : d));
    if (shape[0] !== 1) return void ctx.report('F8E032', `reshape output [${shape}] must have batch 1`, 'attrs.shape');
    return shape;
  },
});

export const flatten = defineOp({
  ...shared,
  kind: 'flatten',
  summary: '[1, d1, ..., dk] -> [1, d1 * ... * dk]',
  attrs: z.object({}).strict(),
  inferShape(ctx) {
    const x = ctx.inputs[0]!;
    if (x.shape[0] !== 1) return void ctx.report('F8E032', `flatten input [${x.shape}] must have batch 1`, 'inputs[0]');
    return [1, numel(x.shape.slice(1))];
  },
});

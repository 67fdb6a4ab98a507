/**
 * concat: joins one or more activations along `axis` (default -1, the
 * channels in NHWC; a negative axis counts from the end; the batch axis 0 is
 * an error, F8E011). All inputs have the same rank and equal sizes except on
 * the axis (F8E030). Each input element is rescaled into the output format:
 * out = requant(x, FL_i - FL_out, rounding, lo, hi), [lo, hi] the output
 * bounds. Not fusable; no MACs.
 */
import { z } from 'zod';
import { requant } from '../arith/fixed.js';
import { flAt, numel, type Tensor } from '../ir/types.js';
import { checkShift, requireActDtype } from './common.js';
import { defineOp } from './opdef.js';
import { lowerConcat } from './lower_kernels.js';

const attrs = z.object({ axis: z.number().int().default(-1) }).strict();

/** The axis in [0, rank), or undefined if out of range. */
export function normAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

export const concat = defineOp({
  kind: 'concat',
  summary: 'join activations along an axis, each rescaled to the output format',
  inputs: [{ name: 'x', kind: 'activation', variadic: true }],
  attrs,
  fusable: false,

  inferShape(ctx) {
    const xs = ctx.inputs;
    if (xs.length < 1) return void ctx.report('F8E012', 'concat needs at least one input', 'inputs');
    const first = xs[0]!;
    const rank = first.shape.length;
    const axis = normAxis(ctx.layer.attrs.axis, rank);
    if (axis === undefined) return void ctx.report('F8E011', `axis ${ctx.layer.attrs.axis} is out of range for rank ${rank}`, 'attrs.axis');
    if (axis === 0) return void ctx.report('F8E011', 'concat along the batch axis 0 is not supported', 'attrs.axis');
    const shape = [...first.shape];
    for (let i = 1; i < xs.length; i++) {
      const s = xs[i]!.shape;
      if (s.length !== rank || s.some((d, j) => j !== axis && d !== first.shape[j]))
        return void ctx.report('F8E030', `input ${i} '${xs[i]!.name}' [${s}] does not match [${first.shape}] outside axis ${axis}`, `inputs[${i}]`);
      shape[axis]! += s[axis]!;
    }
    return shape;
  },

  checkFormats(ctx) {
    const out = ctx.outputs[0]!;
    const flo = flAt(out.quant);
    ctx.inputs.forEach((x: Tensor, i: number) => {
      requireActDtype(ctx, x, `inputs[${i}]`);
      checkShift(ctx, flAt(x.quant) - flo, `rescale of input ${i} (FL ${flAt(x.quant)} -> ${flo})`, `inputs[${i}].quant.fl`);
    });
    requireActDtype(ctx, out, 'outputs[0]');
  },

  macs() {
    return 0;
  },

  eval(ctx) {
    const out = ctx.outs[0]!;
    const oshape = out.tensor.shape;
    const axis = normAxis(ctx.layer.attrs.axis, oshape.length)!;
    const outer = numel(oshape.slice(0, axis));
    const rowOut = numel(oshape.slice(axis));
    const flo = flAt(out.tensor.quant);
    const { lo, hi } = ctx.bounds;
    let at = 0; // offset of the current input's block inside an output row
    for (const x of ctx.acts) {
      const row = numel(x.tensor.shape.slice(axis));
      const n = flAt(x.tensor.quant) - flo;
      for (let o = 0; o < outer; o++) {
        const src = o * row;
        const dst = o * rowOut + at;
        for (let j = 0; j < row; j++) out.data[dst + j] = requant(x.data[src + j]!, n, ctx.layer.rounding, lo, hi);
      }
      at += row;
    }
  },

  scratch() {
    return 0;
  },
  lower: (ctx) => lowerConcat(ctx, normAxis(ctx.layer.attrs.axis, ctx.outputs[0]!.shape.length)!),
});

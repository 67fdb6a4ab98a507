/**
 * pad (constant mode): attr `pads` holds one [before, after] pair (>= 0) per
 * input dimension, the batch pair being [0, 0]; attr `value` (real, default
 * 0) is the padding value. Output size d + before + after on every axis.
 *
 * Border elements are the constant q_pad = value * 2^FL_out, which must be an
 * integer inside the output's [qmin, qmax] (F8E011 otherwise; checked at
 * load time, so no rounding happens at run time). Interior elements are
 * rescaled: out = requant(x, FL_in - FL_out, rounding, lo, hi), [lo, hi] the
 * output bounds. Not fusable; no MACs.
 */
import { z } from 'zod';
import { requant, saturate } from '../arith/fixed.js';
import { flAt, numel } from '../ir/types.js';
import { checkShift, requireActDtype } from './common.js';
import { defineOp } from './opdef.js';
import { lowerPad } from './lower_kernels.js';

const padPair = z.tuple([z.number().int().min(0), z.number().int().min(0)]);
const attrs = z.object({ pads: z.array(padPair), value: z.number().default(0) }).strict();

/** The padding constant in output units (value * 2^FL_out); may be a fraction if the model is wrong. */
export function padConstant(value: number, flOut: number): number {
  return value * 2 ** flOut;
}

export const pad = defineOp({
  kind: 'pad',
  summary: 'constant padding of every axis by [before, after]',
  inputs: [{ name: 'x', kind: 'activation' }],
  attrs,
  fusable: false,

  inferShape(ctx) {
    const x = ctx.inputs[0]!;
    const pads = ctx.layer.attrs.pads;
    if (pads.length !== x.shape.length)
      return void ctx.report('F8E011', `pads has ${pads.length} pairs; input '${x.name}' [${x.shape}] has ${x.shape.length} dimensions`, 'attrs.pads');
    if (pads[0]![0] !== 0 || pads[0]![1] !== 0) return void ctx.report('F8E011', `the batch axis cannot be padded, got [${pads[0]}]`, 'attrs.pads');
    return x.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
  },

  checkFormats(ctx) {
    const x = ctx.inputs[0]!;
    const out = ctx.outputs[0]!;
    requireActDtype(ctx, x, 'inputs[0]');
    requireActDtype(ctx, out, 'outputs[0]');
    const flo = flAt(out.quant);
    checkShift(ctx, flAt(x.quant) - flo, `rescale FL ${flAt(x.quant)} -> ${flo}`, 'outputs[0].quant.fl');
    const v = ctx.layer.attrs.value;
    const q = padConstant(v, flo);
    if (!Number.isInteger(q) || q < out.quant.qmin || q > out.quant.qmax)
      ctx.report('F8E011', `pad value ${v} is ${q} at the output's FL ${flo}; it must be an integer in [${out.quant.qmin}, ${out.quant.qmax}]`, 'attrs.value');
  },

  macs() {
    return 0;
  },

  eval(ctx) {
    const x = ctx.acts[0]!;
    const out = ctx.outs[0]!;
    const pads = ctx.layer.attrs.pads;
    const ishape = x.tensor.shape;
    const oshape = out.tensor.shape;
    const rank = ishape.length;
    const { lo, hi } = ctx.bounds;
    const flo = flAt(out.tensor.quant);
    out.data.fill(saturate(padConstant(ctx.layer.attrs.value, flo), lo, hi));
    // Output strides; the interior starts at sum(before[d] * stride[d]).
    const ostride = new Array<number>(rank).fill(1);
    for (let d = rank - 2; d >= 0; d--) ostride[d] = ostride[d + 1]! * oshape[d + 1]!;
    let base = 0;
    for (let d = 0; d < rank; d++) base += pads[d]![0] * ostride[d]!;
    const n = flAt(x.tensor.quant) - flo;
    const idx = new Array<number>(rank).fill(0);
    const count = numel(ishape);
    for (let i = 0; i < count; i++) {
      let o = base;
      for (let d = 0; d < rank; d++) o += idx[d]! * ostride[d]!;
      out.data[o] = requant(x.data[i]!, n, ctx.layer.rounding, lo, hi);
      for (let d = rank - 1; d >= 0; d--) {
        if (++idx[d]! < ishape[d]!) break;
        idx[d] = 0;
      }
    }
  },

  scratch() {
    return 0;
  },
  lower: (ctx) => lowerPad(ctx, padConstant(ctx.layer.attrs.value, flAt(ctx.outputs[0]!.quant))),
});

/**
 * add (residual): out = a + b for two activations of identical shape (no
 * broadcasting in v1), each in its own fixed-point format.
 *
 * Both operands are first aligned, exactly, to the larger FL:
 *   F = max(FL_a, FL_b); a' = a * 2^(F - FL_a); b' = b * 2^(F - FL_b);
 * then s = a' + b' and out = requant(s, F - FL_out, rounding, lo, hi) with
 * [lo, hi] the output bounds (its [qmin, qmax] intersected with a fused
 * clamp). An alignment shift is limited to 22 so that |a'|, |b'| <= 2^30 and
 * s stays inside int32 (F8E044 otherwise). Fusable; no MACs.
 */
import { z } from 'zod';
import { requant } from '../arith/fixed.js';
import { flAt } from '../ir/types.js';
import { checkShift, requireActDtype } from './common.js';
import { defineOp } from './opdef.js';
import { lowerAdd } from './lower_kernels.js';

/** Largest alignment shift of an add operand (keeps the sum inside int32). */
export const ADD_ALIGN_MAX = 22;

const attrs = z.object({}).strict();

export const add = defineOp({
  kind: 'add',
  summary: 'element-wise sum of two activations of equal shape, aligned to the larger FL',
  inputs: [
    { name: 'a', kind: 'activation' },
    { name: 'b', kind: 'activation' },
  ],
  attrs,
  fusable: true,

  inferShape(ctx) {
    if (ctx.inputs.length !== 2) return void ctx.report('F8E012', `add takes exactly 2 inputs, got ${ctx.inputs.length}`, 'inputs');
    const a = ctx.inputs[0]!;
    const b = ctx.inputs[1]!;
    const same = a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
    if (!same) return void ctx.report('F8E030', `add operands must have the same shape (no broadcasting): [${a.shape}] vs [${b.shape}]`, 'inputs[1]');
    return [...a.shape];
  },

  checkFormats(ctx) {
    const [a, b] = ctx.inputs;
    const out = ctx.outputs[0]!;
    requireActDtype(ctx, a!, 'inputs[0]');
    requireActDtype(ctx, b!, 'inputs[1]');
    requireActDtype(ctx, out, 'outputs[0]');
    const fa = flAt(a!.quant);
    const fb = flAt(b!.quant);
    const f = Math.max(fa, fb);
    const fields = ['inputs[0].quant.fl', 'inputs[1].quant.fl'];
    [f - fa, f - fb].forEach((s, i) => {
      if (s > ADD_ALIGN_MAX)
        ctx.report('F8E044', `aligning operand ${i} (FL ${i === 0 ? fa : fb}) to FL ${f} needs a shift of ${s}; the limit is ${ADD_ALIGN_MAX}`, fields[i]);
    });
    checkShift(ctx, f - flAt(out.quant), `requantisation of the sum (FL ${f} -> ${flAt(out.quant)})`, 'outputs[0].quant.fl');
  },

  macs() {
    return 0;
  },

  eval(ctx) {
    const a = ctx.acts[0]!;
    const b = ctx.acts[1]!;
    const out = ctx.outs[0]!;
    const fa = flAt(a.tensor.quant);
    const fb = flAt(b.tensor.quant);
    const f = Math.max(fa, fb);
    const pa = 2 ** (f - fa);
    const pb = 2 ** (f - fb);
    const n = f - flAt(out.tensor.quant);
    const { lo, hi } = ctx.bounds;
    const ad = a.data;
    const bd = b.data;
    for (let i = 0; i < out.data.length; i++) {
      const s = ad[i]! * pa + bd[i]! * pb;
      out.data[i] = requant(s, n, ctx.layer.rounding, lo, hi);
    }
  },

  scratch() {
    return 0;
  },
  lower: lowerAdd,
});

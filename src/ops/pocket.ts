/**
 * PocketNN's piecewise-linear activations (pocketSigmoid / pocketTanh in
 * src/arith/fixed.ts, integer divisions truncating toward zero).
 *
 * pocket_sigmoid: x5 = requant(x, FL_in - 5, rounding, INT32_MIN, INT32_MAX)
 *   (the input rescaled to FL 5 in int32), y = pocketSigmoid(x5) at FL 7,
 *   out = saturate(y, lo, hi); natural range [1, 127].
 * pocket_tanh: the same with FL 6 and pocketTanh; natural range [-127, 127].
 * The output must be int8 (F8E042) with FL 7 (F8E040); [lo, hi] are the
 * output bounds (its [qmin, qmax] intersected with any clamp). Not fusable.
 */
import { z } from 'zod';
import { pocketSigmoid, pocketTanh, requant, saturate } from '../arith/fixed.js';
import { DTYPE_RANGE, flAt } from '../ir/types.js';
import { checkShift, requireActDtype, requireDtype } from './common.js';
import { defineOp, type EvalCtx, type OpCtx, type OpDef } from './opdef.js';
import { lowerPocket } from './lower_kernels.js';

/** FL of the output of both pocket activations. */
export const POCKET_FL_OUT = 7;

const [I32_MIN, I32_MAX] = DTYPE_RANGE.int32;

function makePocket(kind: 'pocket_sigmoid' | 'pocket_tanh', flIn: number, f: (x: number) => number, summary: string): OpDef<Record<string, never>> {
  return defineOp({
    kind,
    summary,
    inputs: [{ name: 'x', kind: 'activation' }],
    attrs: z.object({}).strict(),
    fusable: false,
    inferShape(ctx: OpCtx<unknown>) {
      return [...ctx.inputs[0]!.shape];
    },
    checkFormats(ctx: OpCtx<unknown>) {
      const x = ctx.inputs[0]!;
      const out = ctx.outputs[0]!;
      requireActDtype(ctx, x, 'inputs[0]');
      requireDtype(ctx, out, 'int8', 'outputs[0]');
      const flo = flAt(out.quant);
      if (flo !== POCKET_FL_OUT) ctx.report('F8E040', `${kind} output FL is ${flo}; it must be ${POCKET_FL_OUT}`, 'outputs[0].quant.fl');
      checkShift(ctx, flAt(x.quant) - flIn, `rescale of the input to FL ${flIn}`, 'inputs[0].quant.fl');
    },
    macs: () => 0,
    eval(ctx: EvalCtx<unknown>) {
      const x = ctx.acts[0]!;
      const out = ctx.outs[0]!;
      const n = flAt(x.tensor.quant) - flIn;
      const { lo, hi } = ctx.bounds;
      for (let i = 0; i < out.data.length; i++) {
        const xs = requant(x.data[i]!, n, ctx.layer.rounding, I32_MIN, I32_MAX);
        out.data[i] = saturate(f(xs), lo, hi);
      }
    },
    scratch: () => 0,
    lower: (ctx: OpCtx<unknown>) => lowerPocket(ctx, kind, flIn),
  });
}

export const pocketSigmoidOp = makePocket('pocket_sigmoid', 5, pocketSigmoid, 'PocketNN piecewise-linear sigmoid: input at FL 5, output int8 FL 7');
export const pocketTanhOp = makePocket('pocket_tanh', 6, pocketTanh, 'PocketNN piecewise-linear tanh: input at FL 6, output int8 FL 7');

/**
 * relu, relu6, clip as standalone layers (a pass may instead fuse them into
 * a preceding fusable op's output clamp, using `activationRange`).
 *
 * out = requant(x, FL_in - FL_out, rounding, lo, hi), where [lo, hi] is the
 * layer's output bounds (output [qmin, qmax] intersected with any clamp)
 * intersected with the activation's range in *output* units:
 *   relu:  lo = 0
 *   relu6: lo = 0, hi = floor(6 * 2^FL_out)
 *   clip {min, max} (real values, min <= max):
 *          lo = ceil(min * 2^FL_out), hi = floor(max * 2^FL_out)
 * A side the activation leaves open is the int32 limit, so every clamp is a
 * finite int32 pair. The real bounds are scaled by a power of two, which is
 * exact in binary floating point, so the ceil/floor are exact (compile time).
 * A clip whose range holds no value at FL_out (lo > hi) is an error (F8E011).
 * Not fusable (these are the ops that get fused into others).
 */
import { z } from 'zod';
import { requant } from '../arith/fixed.js';
import { DTYPE_RANGE, flAt, type Clamp, type Layer, type Tensor } from '../ir/types.js';
import { checkShift, requireActDtype } from './common.js';
import { defineOp, type OpCtx, type OpDef } from './opdef.js';
import { lowerActivation } from './lower_kernels.js';

const [I32_MIN, I32_MAX] = DTYPE_RANGE.int32;

function toI32(v: number): number {
  return v < I32_MIN ? I32_MIN : v > I32_MAX ? I32_MAX : v;
}

/**
 * The clamp a relu/relu6/clip layer imposes, in the integer units of `out`
 * (its FL), before intersection with out's [qmin, qmax]. Open sides are the
 * int32 limits.
 */
export function activationRange(layer: Layer, out: Tensor): Clamp {
  const scale = 2 ** flAt(out.quant);
  switch (layer.op) {
    case 'relu':
      return { lo: 0, hi: I32_MAX };
    case 'relu6':
      return { lo: 0, hi: toI32(Math.floor(6 * scale)) };
    case 'clip': {
      const a = layer.attrs as { min: number; max: number };
      return { lo: toI32(Math.ceil(a.min * scale)), hi: toI32(Math.floor(a.max * scale)) };
    }
    default:
      throw new Error(`internal: activationRange of op '${layer.op}'`);
  }
}

function inferSame<A>(ctx: OpCtx<A>): number[] | undefined {
  return [...ctx.inputs[0]!.shape];
}

function checkAct<A>(ctx: OpCtx<A>): void {
  const x = ctx.inputs[0]!;
  const out = ctx.outputs[0]!;
  requireActDtype(ctx, x, 'inputs[0]');
  requireActDtype(ctx, out, 'outputs[0]');
  checkShift(ctx, flAt(x.quant) - flAt(out.quant), `rescale FL ${flAt(x.quant)} -> ${flAt(out.quant)}`, 'outputs[0].quant.fl');
}

function evalAct(ctx: Parameters<OpDef['eval']>[0]): void {
  const x = ctx.acts[0]!;
  const out = ctx.outs[0]!;
  const r = activationRange(ctx.layer, out.tensor);
  const b = ctx.bounds;
  // Same intersection rule as outputBounds: never an empty interval.
  const lo = Math.max(b.lo, Math.min(r.lo, b.hi));
  const hi = Math.min(b.hi, Math.max(r.hi, b.lo));
  const n = flAt(x.tensor.quant) - flAt(out.tensor.quant);
  for (let i = 0; i < out.data.length; i++) out.data[i] = requant(x.data[i]!, n, ctx.layer.rounding, lo, hi);
}

const common = {
  inputs: [{ name: 'x', kind: 'activation' as const }],
  fusable: false,
  macs: () => 0,
  scratch: () => 0,
  eval: evalAct,
  lower: (ctx: OpCtx<unknown>) => lowerActivation(ctx, activationRange(ctx.layer as Layer, ctx.outputs[0]!)),
};

export const relu = defineOp({
  ...common,
  kind: 'relu',
  summary: 'max(x, 0), rescaled to the output format',
  attrs: z.object({}).strict(),
  inferShape: inferSame,
  checkFormats: checkAct,
});

export const relu6 = defineOp({
  ...common,
  kind: 'relu6',
  summary: 'min(max(x, 0), 6), rescaled to the output format',
  attrs: z.object({}).strict(),
  inferShape: inferSame,
  checkFormats: checkAct,
});

const clipAttrs = z.object({ min: z.number(), max: z.number() }).strict();

export const clip = defineOp({
  ...common,
  kind: 'clip',
  summary: 'min(max(x, min), max) with real bounds, rescaled to the output format',
  attrs: clipAttrs,
  inferShape(ctx) {
    const { min, max } = ctx.layer.attrs;
    if (!(min <= max)) return void ctx.report('F8E011', `clip needs min <= max, got min = ${min}, max = ${max}`, 'attrs.min');
    return inferSame(ctx);
  },
  checkFormats(ctx) {
    checkAct(ctx);
    const out = ctx.outputs[0]!;
    const r = activationRange(ctx.layer as Layer, out);
    if (r.lo > r.hi) {
      const { min, max } = ctx.layer.attrs;
      ctx.report('F8E011', `clip range [${min}, ${max}] holds no value at the output's FL ${flAt(out.quant)} (ceil/floor give [${r.lo}, ${r.hi}])`, 'attrs.min');
    }
  },
});

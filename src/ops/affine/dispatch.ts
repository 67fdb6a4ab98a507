/**
 * The affine path of the op registry: for each op with TFLite semantics, the
 * hooks that differ (formats, accumulator bound, eval, lowering) are taken
 * from the affine declaration when the layer is affine (its first input or
 * its output has `affine` quantisation; softmax: variant 'tflite'), and from
 * the fixed-point OpDef otherwise. Shapes, attributes and MACs are shared.
 * Ops with no affine semantics report F8E046 on affine tensors.
 */
import { z } from 'zod';
import type { OpKind } from '../../ir/types.js';
import type { EvalCtx, OpCtx, OpDef } from '../opdef.js';
import { affineLayer } from './common.js';
import { affineMacBound, checkAffineMac, evalAffineConv, evalAffineDense } from './mac.js';
import { checkAffineActs, checkSameScale, evalAffineAdd, evalAffinePool } from './eltwise.js';
import { evalTfliteSoftmax } from './softmax.js';
import { affineScratch, lowerAffine } from './lower.js';
import { checkLut, evalLut, lowerLut } from './lut.js';
import { checkAffineMean, evalAffineMean, lowerAffineMean } from './mean.js';
import { checkAffineConcat, checkAffinePad, evalAffineConcat, evalAffinePad, lowerAffineConcat, lowerAffinePad } from './ops.js';

type Hooks = Pick<OpDef, 'checkFormats' | 'eval'> & Partial<Pick<OpDef, 'accBound' | 'lower' | 'scratch'>>;

const AFFINE: Partial<Record<OpKind, Hooks>> = {
  conv2d: {
    checkFormats: (ctx) => checkAffineMac(ctx, ctx.inputs[1]!.shape[0]!),
    accBound: (ctx) => affineMacBound(ctx.inputs[0]!, ctx.inputs[1]!, ctx.inputs[2], ctx.inputs[1]!.shape[0]!),
    eval: evalAffineConv,
    scratch: (ctx, _t, v) => affineScratch(ctx, v),
  },
  dense: {
    checkFormats: (ctx) => checkAffineMac(ctx, ctx.inputs[1]!.shape[0]!),
    accBound: (ctx) => affineMacBound(ctx.inputs[0]!, ctx.inputs[1]!, ctx.inputs[2], ctx.inputs[1]!.shape[0]!),
    eval: evalAffineDense,
    scratch: (ctx, _t, v) => affineScratch(ctx, v),
  },
  add: { checkFormats: (ctx) => void checkAffineActs(ctx), eval: evalAffineAdd },
  avg_pool: {
    checkFormats: (ctx) => {
      checkSameScale(ctx);
      if (ctx.layer.attrs.count_include_pad) ctx.report('F8E011', 'the affine avg_pool excludes padding (TFLite): count_include_pad must be false', 'attrs.count_include_pad');
      if (ctx.layer.rounding !== 'half_away') ctx.report('F8E011', "the affine avg_pool rounds half away from zero (TFLite): rounding must be 'half_away'", 'rounding');
    },
    eval: (ctx) => evalAffinePool(ctx, 'avg'),
  },
  global_avg_pool: { checkFormats: checkAffineMean, eval: evalAffineMean, lower: lowerAffineMean },
  max_pool: { checkFormats: checkSameScale, eval: (ctx) => evalAffinePool(ctx, 'max') },
  softmax: {
    checkFormats: (ctx) => {
      if (!checkAffineActs(ctx)) return;
      const o = ctx.outputs[0]!.quant;
      if (o.kind === 'affine' && (o.zeroPoint !== -128 || o.scale !== 1 / 256))
        ctx.report('F8E046', `softmax 'tflite' writes scale 1/256, zero point -128; output has scale ${o.scale}, zero point ${o.zeroPoint}`, 'outputs[0]');
    },
    eval: evalTfliteSoftmax,
  },
  sigmoid: { checkFormats: (ctx) => checkLut(ctx, 'sigmoid'), eval: (ctx) => evalLut(ctx, 'sigmoid'), lower: (ctx) => lowerLut(ctx, 'sigmoid') },
  tanh: { checkFormats: (ctx) => checkLut(ctx, 'tanh'), eval: (ctx) => evalLut(ctx, 'tanh'), lower: (ctx) => lowerLut(ctx, 'tanh') },
  pad: { checkFormats: checkAffinePad, eval: evalAffinePad as Hooks['eval'], lower: lowerAffinePad },
  concat: { checkFormats: checkAffineConcat, eval: evalAffineConcat as Hooks['eval'], lower: lowerAffineConcat },
};

/** Ops that move bytes only: the same OpDef serves both kinds (formats must be identical). */
const BOTH = new Set<OpKind>(['reshape', 'flatten']);

const softmaxAttrs = z
  .object({ variant: z.enum(['f8c', 'tflite']).default('f8c'), beta: z.number().min(0).optional() })
  .strict();

function isAffine(ctx: OpCtx<any>): boolean {
  if (ctx.layer.op === 'softmax') return ctx.layer.attrs.variant === 'tflite' || affineLayer(ctx.inputs, ctx.outputs);
  return affineLayer(ctx.inputs, ctx.outputs);
}

function isAffineEval(ctx: EvalCtx<any>): boolean {
  return isAffine({ layer: ctx.layer, inputs: ctx.acts.map((a) => a.tensor), outputs: ctx.outs.map((o) => o.tensor) } as OpCtx<any>);
}

function wrap(def: OpDef, aff: Hooks): OpDef {
  return {
    ...def,
    ...(def.kind === 'softmax' ? { attrs: softmaxAttrs } : {}),
    checkFormats: (ctx) => {
      if (!isAffine(ctx)) {
        if (def.kind === 'softmax' && ctx.layer.attrs.beta !== undefined) ctx.report('F8E011', "beta is an attribute of the 'tflite' variant", 'attrs.beta');
        return def.checkFormats(ctx);
      }
      return aff.checkFormats(ctx);
    },
    accBound: def.accBound || aff.accBound ? (ctx) => (isAffine(ctx) ? aff.accBound!(ctx) : def.accBound!(ctx)) : undefined,
    eval: (ctx) => (isAffineEval(ctx) ? aff.eval(ctx) : def.eval(ctx)),
    scratch: (ctx, t, v) => (isAffine(ctx) ? (aff.scratch?.(ctx, t, v) ?? 0) : def.scratch(ctx, t, v)),
    lower: (ctx, t, v) => (isAffine(ctx) ? (aff.lower ?? lowerAffine)(ctx, t, v) : def.lower!(ctx, t, v)),
  };
}

function refuse(def: OpDef): OpDef {
  return {
    ...def,
    checkFormats: (ctx) => {
      if (!affineLayer(ctx.inputs, ctx.outputs)) return def.checkFormats(ctx);
      ctx.report('F8E046', `${def.kind} has no affine (TFLite) semantics`, 'op');
    },
  };
}

/** The registry with the affine path added. */
export function withAffine(ops: Record<OpKind, OpDef>): Record<OpKind, OpDef> {
  const out = { ...ops };
  for (const kind of Object.keys(ops) as OpKind[]) {
    const aff = AFFINE[kind];
    if (aff) out[kind] = wrap(ops[kind], aff);
    else if (!BOTH.has(kind)) out[kind] = refuse(ops[kind]);
  }
  return out;
}

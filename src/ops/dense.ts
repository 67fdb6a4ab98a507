/**
 * dense (fully connected): activation input [1, K], weight [N, K] int8 (one
 * FL per layer, or one per output unit on axis 0), optional int32 bias [N]
 * at FL_x + FL_w[n]. Output [1, N].
 *
 * acc[n] = bias[n] + sum_k x[k] * w[n, k], accumulated modulo 2^32 (wrapI32
 * on the final sum; C accumulates in uint32_t); then
 * out[n] = requant(acc[n], FL_x + FL_w[n] - FL_out, rounding, lo, hi).
 * MACs = N * K. No attributes; no scratch.
 */
import { z } from 'zod';
import { requant, wrapI32 } from '../arith/fixed.js';
import { flAt } from '../ir/types.js';
import { checkWeightBias, maxAbsQ, requireActDtype } from './common.js';
import { defineOp } from './opdef.js';
import { lowerDense } from './lower_kernels.js';
import { armCall, denseArmScratch } from './lower_arm.js';

const attrs = z.object({}).strict();

export const dense = defineOp({
  kind: 'dense',
  summary: 'fully connected layer: [1, K] x [N, K]^T + bias -> [1, N]',
  inputs: [
    { name: 'x', kind: 'activation' },
    { name: 'weight', kind: 'const' },
    { name: 'bias', kind: 'const', optional: true },
  ],
  attrs,
  fusable: true,

  inferShape(ctx) {
    const [x, w, b] = ctx.inputs;
    if (x!.shape.length !== 2) return void ctx.report('F8E030', `input '${x!.name}' must be 2-D [1, K], got [${x!.shape}]`, 'inputs[0]');
    if (w!.shape.length !== 2) return void ctx.report('F8E030', `weight '${w!.name}' must be 2-D [N, K], got [${w!.shape}]`, 'inputs[1]');
    const K = x!.shape[1]!;
    const [N, WK] = w!.shape as [number, number];
    if (WK !== K) return void ctx.report('F8E030', `weight '${w!.name}' has K = ${WK}; input '${x!.name}' has K = ${K}`, 'inputs[1]');
    if (b && (b.shape.length !== 1 || b.shape[0] !== N))
      return void ctx.report('F8E030', `bias '${b.name}' must have shape [${N}], got [${b.shape}]`, 'inputs[2]');
    return [1, N];
  },

  checkFormats(ctx) {
    const [x, w, b] = ctx.inputs;
    const out = ctx.outputs[0]!;
    requireActDtype(ctx, x!, 'inputs[0]');
    requireActDtype(ctx, out, 'outputs[0]');
    checkWeightBias(ctx, x!, w!, b, out, w!.shape[0]!);
  },

  macs(ctx) {
    const [N, K] = ctx.inputs[1]!.shape as [number, number];
    return N * K;
  },

  accBound(ctx) {
    const [x, w, b] = ctx.inputs;
    const [N, K] = w!.shape as [number, number];
    const xmax = maxAbsQ(x!);
    let maxAbs = 0;
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let i = n * K; i < (n + 1) * K; i++) s += Math.abs(w!.data![i]!);
      maxAbs = Math.max(maxAbs, s * xmax + Math.abs(b?.data?.[n] ?? 0));
    }
    return { maxAbs };
  },

  eval(ctx) {
    const x = ctx.acts[0]!;
    const [w, b] = ctx.consts;
    const out = ctx.outs[0]!;
    const [N, K] = w!.shape as [number, number];
    const flx = flAt(x.tensor.quant);
    const flo = flAt(out.tensor.quant);
    const wd = w!.data!;
    const xd = x.data;
    const { lo, hi } = ctx.bounds;
    for (let n = 0; n < N; n++) {
      let acc = b ? b.data![n]! : 0;
      const wb = n * K;
      for (let k = 0; k < K; k++) acc += xd[k]! * wd[wb + k]!;
      const shift = flx + flAt(w!.quant, n) - flo;
      out.data[n] = requant(wrapI32(acc), shift, ctx.layer.rounding, lo, hi);
    }
  },

  scratch(ctx, _target, variant) {
    return variant === 'arm' ? denseArmScratch(ctx.inputs[1]!.shape[1]!) : 0;
  },
  lower(ctx, _target, variant) {
    const calls = lowerDense(ctx);
    return variant === 'arm' ? calls.map((c) => armCall(c, denseArmScratch(ctx.inputs[1]!.shape[1]!))) : calls;
  },
});

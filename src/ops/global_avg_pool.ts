/**
 * global_avg_pool: NHWC input [1, H, W, C] -> [1, 1, 1, C]; no attributes.
 *
 * out[c] = clamp(round(sum_{y,x} in[y, x, c] * 2^(FL_out - FL_in) / (H*W)))
 * in the layer's rounding mode; the same formula as avg_pool with
 * count = H*W (see avgRound in ./pool.ts), and the same int32 range check
 * (F8E044). Input and output may differ in dtype (int8/uint8) and FL.
 * MACs (cells visited) = H * W * C. Fusable. No scratch.
 */
import { z } from 'zod';
import { flAt } from '../ir/types.js';
import { requireActDtype } from './common.js';
import { defineOp } from './opdef.js';
import { avgRound, checkAvgRange } from './pool.js';
import { lowerGlobalAvgPool } from './lower_kernels.js';

const attrs = z.object({}).strict();

export const globalAvgPool = defineOp({
  kind: 'global_avg_pool',
  summary: 'average over all H x W positions of each channel, NHWC -> [1, 1, 1, C]',
  inputs: [{ name: 'x', kind: 'activation' }],
  attrs,
  fusable: true,

  inferShape(ctx) {
    const x = ctx.inputs[0]!;
    if (x.shape.length !== 4) return void ctx.report('F8E030', `input '${x.name}' must be 4-D NHWC, got [${x.shape}]`, 'inputs[0]');
    return [1, 1, 1, x.shape[3]!];
  },

  checkFormats(ctx) {
    const a = requireActDtype(ctx, ctx.inputs[0]!, 'inputs[0]');
    const b = requireActDtype(ctx, ctx.outputs[0]!, 'outputs[0]');
    if (!a || !b) return;
    const [, H, W] = ctx.inputs[0]!.shape as [number, number, number, number];
    checkAvgRange(ctx, H * W);
  },

  macs(ctx) {
    const [, H, W, C] = ctx.inputs[0]!.shape as [number, number, number, number];
    return H * W * C;
  },

  eval(ctx) {
    const x = ctx.acts[0]!;
    const out = ctx.outs[0]!;
    const [, H, W, C] = x.tensor.shape as [number, number, number, number];
    const k = flAt(out.tensor.quant) - flAt(x.tensor.quant);
    const { lo, hi } = ctx.bounds;
    const xd = x.data;
    const count = H * W;
    for (let c = 0; c < C; c++) {
      let sum = 0;
      for (let i = 0; i < count; i++) sum += xd[i * C + c]!;
      out.data[c] = avgRound(sum, count, k, ctx.layer.rounding, lo, hi);
    }
  },

  scratch() {
    return 0;
  },
  lower: lowerGlobalAvgPool,
});

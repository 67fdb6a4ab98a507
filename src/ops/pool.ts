/**
 * max_pool and avg_pool: NHWC input [1, H, W, C] -> [1, outH, outW, C].
 *
 * Attributes: `kernel: [kh, kw]` (required); `strides` (default = kernel, as
 * in Keras/TFLite; parsing fills it in); `padding`: 'valid', 'same'
 * (TensorFlow: any odd extra row/column at the end) or explicit
 * [top, left, bottom, right], each explicit pad < the kernel size in its
 * dimension (F8E011), so every window holds at least one valid cell.
 * avg_pool also has `count_include_pad` (default false).
 *
 * max_pool: out = requant(max over the valid cells, FL_in - FL_out);
 *   padded cells are ignored (never read as 0).
 * avg_pool: out = clamp(round(sum * 2^(FL_out - FL_in) / count)), rounded
 *   in the layer's mode, where count = kh*kw with count_include_pad, else the
 *   number of valid cells under the window (padded cells add 0 to sum).
 *   With k = FL_out - FL_in: k >= 0: divRound(sum * 2^k, count);
 *   k < 0: divRound(sum, count * 2^-k) (see avgRound). Numerator and
 *   denominator must fit int32 for the worst window (F8E044).
 *
 * Input and output may differ in dtype (int8/uint8) and FL. Both are
 * fusable. MACs (here: window cells visited) = outH * outW * C * kh * kw,
 * padded cells counted. No scratch.
 */
import { z } from 'zod';
import { divRound, requant, saturate } from '../arith/fixed.js';
import { flAt, type Rounding, type Tensor } from '../ir/types.js';
import { checkShift, maxAbsQ, pair, paddingSchema, requireActDtype, resolveWindow, type ResolvedWindow } from './common.js';
import { defineOp, type OpCtx } from './opdef.js';
import { lowerPool } from './lower_kernels.js';

const INT32_MAX = 2147483647;

const baseShape = {
  kernel: pair,
  strides: pair.optional(),
  padding: paddingSchema,
};

/** Fills strides from the kernel, so parsed attrs always carry strides. */
function withStrides<T extends { kernel: [number, number]; strides?: [number, number] | undefined }>(a: T): T & { strides: [number, number] } {
  return { ...a, strides: a.strides ?? a.kernel };
}

const maxAttrs = z.object(baseShape).strict().transform(withStrides);
const avgAttrs = z
  .object({ ...baseShape, count_include_pad: z.boolean().default(false) })
  .strict()
  .transform(withStrides);

interface PoolAttrs {
  kernel: [number, number];
  strides: [number, number];
  padding: z.output<typeof paddingSchema>;
}

export interface PoolGeometry extends ResolvedWindow {
  H: number;
  W: number;
  C: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
}

export function poolGeometry(x: Tensor, a: PoolAttrs): PoolGeometry {
  const [, H, W, C] = x.shape as [number, number, number, number];
  const [kh, kw] = a.kernel;
  const win = resolveWindow(H, W, { kh, kw, strides: a.strides, dilations: [1, 1], padding: a.padding });
  return { H, W, C, kh, kw, sh: a.strides[0], sw: a.strides[1], ...win };
}

/**
 * Visits every output cell of a pool: `cell(i, at, valid)` gets the output's
 * NHWC index, `at(k)`: the input index of the window's k-th valid (unpadded)
 * cell, and the number of valid cells. Every window has at least one
 * valid cell (explicit pads are smaller than the kernel).
 */
function forEachWindow(g: PoolGeometry, layer: string, cell: (i: number, at: (k: number) => number, valid: number) => void): void {
  for (let oy = 0; oy < g.outH; oy++) {
    const y0 = oy * g.sh - g.top;
    const ya = Math.max(y0, 0);
    const yb = Math.min(y0 + g.kh, g.H);
    for (let ox = 0; ox < g.outW; ox++) {
      const x0 = ox * g.sw - g.left;
      const xa = Math.max(x0, 0);
      const xb = Math.min(x0 + g.kw, g.W);
      const w = xb - xa;
      const valid = (yb - ya) * w;
      if (ya >= yb || xa >= xb) throw new Error(`internal: pool '${layer}' window with no valid cell`);
      for (let c = 0; c < g.C; c++) {
        const at = (k: number) => ((ya + Math.floor(k / w)) * g.W + xa + (k % w)) * g.C + c;
        cell((oy * g.outW + ox) * g.C + c, at, valid);
      }
    }
  }
}

function inferPoolShape(ctx: OpCtx<PoolAttrs>): number[] | undefined {
  const x = ctx.inputs[0]!;
  if (x.shape.length !== 4) return void ctx.report('F8E030', `input '${x.name}' must be 4-D NHWC, got [${x.shape}]`, 'inputs[0]');
  const a = ctx.layer.attrs;
  const [kh, kw] = a.kernel;
  if (Array.isArray(a.padding)) {
    const [top, left, bottom, right] = a.padding;
    if (top >= kh || bottom >= kh || left >= kw || right >= kw)
      return void ctx.report('F8E011', `explicit padding [${a.padding}] must be smaller than the ${kh}x${kw} kernel in each dimension`, 'attrs.padding');
  }
  const g = poolGeometry(x, a);
  if (g.outH <= 0 || g.outW <= 0)
    return void ctx.report('F8E030', `a ${kh}x${kw} window does not fit a ${g.H}x${g.W} input with this padding`, 'attrs.padding');
  return [1, g.outH, g.outW, g.C];
}

function requireActIO(ctx: OpCtx<unknown>): boolean {
  const a = requireActDtype(ctx, ctx.inputs[0]!, 'inputs[0]');
  const b = requireActDtype(ctx, ctx.outputs[0]!, 'outputs[0]');
  return a && b;
}

/**
 * The averaging step of avg_pool and global_avg_pool: round(sum * 2^k / count)
 * in `mode`, clamped to [lo, hi], with k = FL_out - FL_in.
 * A power-of-two denominator gives the same result as roundShift.
 */
export function avgRound(sum: number, count: number, k: number, mode: Rounding, lo: number, hi: number): number {
  const q = k >= 0 ? divRound(sum * 2 ** k, count, mode) : divRound(sum, count * 2 ** -k, mode);
  return saturate(q, lo, hi);
}

/**
 * Reports F8E044 unless the numerator and denominator of avgRound fit int32
 * for the worst window of `maxCount` cells of the input's [qmin, qmax].
 */
export function checkAvgRange(ctx: OpCtx<unknown>, maxCount: number): void {
  const x = ctx.inputs[0]!;
  const out = ctx.outputs[0]!;
  const k = flAt(out.quant) - flAt(x.quant);
  if (!checkShift(ctx, k, `averaging (FL ${flAt(x.quant)} -> ${flAt(out.quant)})`, 'outputs[0].quant.fl')) return;
  const maxSum = maxCount * maxAbsQ(x);
  const num = k >= 0 ? maxSum * 2 ** k : maxSum;
  const den = k >= 0 ? maxCount : maxCount * 2 ** -k;
  if (num > INT32_MAX || den > INT32_MAX)
    ctx.report(
      'F8E044',
      `averaging ${maxCount} cells from FL ${flAt(x.quant)} to FL ${flAt(out.quant)} needs a numerator up to ${num} and a denominator up to ${den}; both must fit int32`,
      'outputs[0].quant.fl',
    );
}

export const maxPool = defineOp({
  kind: 'max_pool',
  summary: 'max pooling over kh x kw windows, NHWC; padded cells ignored',
  inputs: [{ name: 'x', kind: 'activation' }],
  attrs: maxAttrs,
  fusable: true,
  inferShape: inferPoolShape,

  checkFormats(ctx) {
    if (!requireActIO(ctx)) return;
    const n = flAt(ctx.inputs[0]!.quant) - flAt(ctx.outputs[0]!.quant);
    checkShift(ctx, n, `requantisation (FL ${flAt(ctx.inputs[0]!.quant)} -> ${flAt(ctx.outputs[0]!.quant)})`, 'outputs[0].quant.fl');
  },

  macs(ctx) {
    const g = poolGeometry(ctx.inputs[0]!, ctx.layer.attrs);
    return g.outH * g.outW * g.C * g.kh * g.kw;
  },

  eval(ctx) {
    const x = ctx.acts[0]!;
    const out = ctx.outs[0]!;
    const g = poolGeometry(x.tensor, ctx.layer.attrs);
    const n = flAt(x.tensor.quant) - flAt(out.tensor.quant);
    const { lo, hi } = ctx.bounds;
    const xd = x.data;
    forEachWindow(g, ctx.layer.name, (i, at, valid) => {
      let m = xd[at(0)]!;
      for (let j = 1; j < valid; j++) m = Math.max(m, xd[at(j)]!);
      out.data[i] = requant(m, n, ctx.layer.rounding, lo, hi);
    });
  },

  scratch() {
    return 0;
  },
  lower: (ctx) => lowerPool(ctx, 'max_pool'),
});

export const avgPool = defineOp({
  kind: 'avg_pool',
  summary: 'average pooling over kh x kw windows, NHWC; count_include_pad selects the divisor at borders',
  inputs: [{ name: 'x', kind: 'activation' }],
  attrs: avgAttrs,
  fusable: true,
  inferShape: inferPoolShape,

  checkFormats(ctx) {
    if (!requireActIO(ctx)) return;
    const [kh, kw] = ctx.layer.attrs.kernel;
    checkAvgRange(ctx, kh * kw);
  },

  macs(ctx) {
    const g = poolGeometry(ctx.inputs[0]!, ctx.layer.attrs);
    return g.outH * g.outW * g.C * g.kh * g.kw;
  },

  eval(ctx) {
    const x = ctx.acts[0]!;
    const out = ctx.outs[0]!;
    const g = poolGeometry(x.tensor, ctx.layer.attrs);
    const k = flAt(out.tensor.quant) - flAt(x.tensor.quant);
    const includePad = ctx.layer.attrs.count_include_pad;
    const { lo, hi } = ctx.bounds;
    const xd = x.data;
    forEachWindow(g, ctx.layer.name, (i, at, valid) => {
      let sum = 0;
      for (let j = 0; j < valid; j++) sum += xd[at(j)]!;
      out.data[i] = avgRound(sum, includePad ? g.kh * g.kw : valid, k, ctx.layer.rounding, lo, hi);
    });
  },

  scratch() {
    return 0;
  },
  lower: (ctx) => lowerPool(ctx, 'avg_pool'),
});

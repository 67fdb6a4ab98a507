/**
 * softmax over the last axis, variant 'f8c' (the only one for now; a
 * 'tflite' variant will be added to the enum later).
 *
 * Input int8/uint8 at FL_in; output int8/uint8 at FL_out with
 * 0 <= FL_out <= 15 (F8E040). For each row of the last axis:
 *   m = max_i x_i;  k_i = m - x_i  (0..255 for 8-bit inputs);
 *   e_i = LUT[k_i], LUT[k] = round(32768 * exp(-k * 2^-FL_in))  (uint16);
 *   S = sum_i e_i;
 *   out_i = clamp(divRound(e_i * 2^FL_out, S, rounding), lo, hi).
 * LUT is built once at compile time by `softmaxTable` (float, deterministic)
 * and emitted as a const table, so the C code has no float. The largest
 * element has k = 0, e = 32768, so S >= 32768 > 0. The row length is
 * limited to 65536 so that S <= 65536 * 32768 = 2^31 (fits a uint32 in C;
 * F8E030 otherwise); e_i * 2^FL_out <= 2^15 * 2^15 = 2^30.
 *
 * Approximation and error, against the exact softmax p_i of the real input:
 * - table quantisation: each e_i is 32768 * exp(-d_i) with an absolute error
 *   <= 1/2 (relative 2^-16 for the largest term, growing as terms shrink;
 *   terms with d_i > ln(65536) ~ 11.09 round to 0, i.e. they vanish);
 * - so e_i / S differs from p_i by at most about (1/2 + N/2 * p_i) / S,
 *   with S >= 32768 (N = row length);
 * - final rounding: at most 1/2 of an output unit (2^-FL_out), plus the
 *   saturation of p_i = 1 to qmax when 2^FL_out > qmax (e.g. int8 FL 7:
 *   2^7 = 128 becomes 127).
 * The outputs of a row need not sum to exactly 2^FL_out. No MACs.
 */
import { z } from 'zod';
import { divRound, saturate } from '../arith/fixed.js';
import { flAt, type Tensor } from '../ir/types.js';
import { requireActDtype } from './common.js';
import { defineOp } from './opdef.js';
import { lowerSoftmax } from './lower_kernels.js';

/** Longest softmax row: keeps the sum of table entries within 2^31. */
export const SOFTMAX_ROW_MAX = 65536;
export const SOFTMAX_FL_OUT_MAX = 15;

const attrs = z.object({ variant: z.enum(['f8c']).default('f8c') }).strict();

/** LUT[k] = round(32768 * exp(-k * 2^-flIn)), k = 0..255 (compile time only). */
export function softmaxTable(flIn: number): Uint16Array {
  const t = new Uint16Array(256);
  const step = 2 ** -flIn;
  for (let k = 0; k < 256; k++) t[k] = Math.round(32768 * Math.exp(-k * step));
  return t;
}

function rowLength(t: Tensor): number {
  return t.shape[t.shape.length - 1]!;
}

export const softmax = defineOp({
  kind: 'softmax',
  summary: 'softmax over the last axis through a 256-entry exp table',
  inputs: [{ name: 'x', kind: 'activation' }],
  attrs,
  fusable: false,

  inferShape(ctx) {
    const x = ctx.inputs[0]!;
    if (x.shape.length < 2) return void ctx.report('F8E030', `softmax input [${x.shape}] needs a batch and a last axis`, 'inputs[0]');
    if (rowLength(x) > SOFTMAX_ROW_MAX)
      return void ctx.report('F8E030', `softmax row of ${rowLength(x)} elements; the limit is ${SOFTMAX_ROW_MAX} (the row sum must fit 31 bits)`, 'inputs[0]');
    return [...x.shape];
  },

  checkFormats(ctx) {
    const x = ctx.inputs[0]!;
    const out = ctx.outputs[0]!;
    requireActDtype(ctx, x, 'inputs[0]');
    requireActDtype(ctx, out, 'outputs[0]');
    const flo = flAt(out.quant);
    if (flo < 0 || flo > SOFTMAX_FL_OUT_MAX)
      ctx.report('F8E040', `softmax output FL ${flo} must be in [0, ${SOFTMAX_FL_OUT_MAX}]`, 'outputs[0].quant.fl');
  },

  macs() {
    return 0;
  },

  eval(ctx) {
    const x = ctx.acts[0]!;
    const out = ctx.outs[0]!;
    const lut = softmaxTable(flAt(x.tensor.quant));
    const scale = 2 ** flAt(out.tensor.quant);
    const n = rowLength(x.tensor);
    const rows = x.data.length / n;
    const { lo, hi } = ctx.bounds;
    for (let r = 0; r < rows; r++) {
      const b = r * n;
      let m = x.data[b]!;
      for (let i = 1; i < n; i++) m = Math.max(m, x.data[b + i]!);
      let s = 0;
      for (let i = 0; i < n; i++) s += lut[m - x.data[b + i]!]!;
      for (let i = 0; i < n; i++) {
        const e = lut[m - x.data[b + i]!]!;
        out.data[b + i] = saturate(divRound(e * scale, s, ctx.layer.rounding), lo, hi);
      }
    }
  },

  scratch() {
    return 0;
  },
  lower: (ctx) => lowerSoftmax(ctx, softmaxTable(flAt(ctx.inputs[0]!.quant))),
});

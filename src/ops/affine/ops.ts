/**
 * Affine (TFLite int8) semantics of sigmoid, tanh (ops of their own: the
 * fixed-point models use pocket_sigmoid / pocket_tanh), pad and concat.
 *
 * pad:    TFLite PAD: input and output share scale and zero point; the
 *         border is the real `value` (default 0) quantised to the output,
 *         Z + round(value / S); interior values are copied.
 * concat: TFLite Micro's CONCATENATION on int8: every input has the
 *         output's scale and zero point; values are copied.
 */
import { z } from 'zod';
import { roundAway } from '../../arith/tflite.js';
import { numel, scaleAt, type Tensor } from '../../ir/types.js';
import { normAxis } from '../concat.js';
import { outputBounds } from '../context.js';
import { defineOp, type EvalCtx, type OpCtx, type OpDef } from '../opdef.js';
import { enumv, int, simpleCall, table, type KernelCall, type ParamField } from '../lowering.js';
import { checkAffineActs, checkSameScale } from './eltwise.js';

function elementwise(kind: 'sigmoid' | 'tanh', tfl: string): OpDef {
  return defineOp({
    kind,
    summary: `${kind} of an affine (TFLite int8) tensor, TFLite's ${tfl} (fixed-point models: pocket_${kind})`,
    inputs: [{ name: 'x', kind: 'activation' }],
    attrs: z.object({}).strict(),
    fusable: false,
    inferShape: (ctx) => [...ctx.inputs[0]!.shape],
    checkFormats: (ctx) => ctx.report('F8E046', `${kind} has affine (TFLite) semantics only; fixed-point models use pocket_${kind}`, 'op'),
    macs: () => 0,
    eval: () => {
      throw new Error(`internal: ${kind} on fixed-point tensors`);
    },
    scratch: () => 0,
  });
}

export const sigmoidOp = elementwise('sigmoid', 'LOGISTIC');
export const tanhOp = elementwise('tanh', 'TANH');

const ints = (o: Record<string, number>): ParamField[] => Object.entries(o).map(([name, v]) => ({ name, value: int(v) }));

function aq(t: Tensor) {
  if (t.quant.kind !== 'affine') throw new Error(`internal: '${t.name}' is not affine`);
  return t.quant;
}

/** The pad border in output units: Z + round(value / S), within the output bounds. */
function padValue(ctx: OpCtx<any>): number {
  const out = ctx.outputs[0]!;
  const q = aq(out);
  const { lo, hi } = outputBounds(ctx.layer, out);
  const v = q.zeroPoint + roundAway(Math.fround(((ctx.layer.attrs as { value?: number }).value ?? 0) / scaleAt(q)));
  return Math.max(lo, Math.min(hi, v));
}

export const checkAffinePad = checkSameScale;

export function evalAffinePad(ctx: EvalCtx<{ pads: [number, number][] }>): void {
  const x = ctx.acts[0]!;
  const out = ctx.outs[0]!;
  const pads = ctx.layer.attrs.pads;
  const ish = x.tensor.shape;
  const osh = out.tensor.shape;
  const border = padValue({ graph: ctx.graph, layer: ctx.layer, inputs: [x.tensor], outputs: [out.tensor], report: () => {} });
  const { lo, hi } = ctx.bounds;
  const idx = new Array<number>(osh.length).fill(0);
  for (let o = 0; o < out.data.length; o++) {
    let k = 0;
    let inside = true;
    for (let d = 0; d < osh.length; d++) {
      const i = idx[d]! - pads[d]![0];
      if (i < 0 || i >= ish[d]!) inside = false;
      k = k * ish[d]! + i;
    }
    const v = inside ? x.data[k]! : border;
    out.data[o] = v < lo ? lo : v > hi ? hi : v;
    for (let d = osh.length - 1; d >= 0; d--) {
      if (++idx[d]! < osh[d]!) break;
      idx[d] = 0;
    }
  }
}

export function lowerAffinePad(ctx: OpCtx<any>): KernelCall[] {
  const x = ctx.inputs[0]!;
  const out = ctx.outputs[0]!;
  const { lo, hi } = outputBounds(ctx.layer, out);
  const params: ParamField[] = [
    { name: 'rank', value: int(x.shape.length) },
    { name: 'in_shape', value: table('in_shape') },
    { name: 'pads', value: table('pads') },
    ...ints({ value: padValue(ctx), shift: 0 }),
    { name: 'rounding', value: enumv('F8_ROUND_HALF_EVEN') },
    ...ints({ out_lo: lo, out_hi: hi }),
  ];
  const tables = [
    { suffix: 'in_shape', ctype: 'int32_t' as const, values: x.shape, align: 4, comment: 'input shape' },
    { suffix: 'pads', ctype: 'int32_t' as const, values: (ctx.layer.attrs as { pads: [number, number][] }).pads.flat(), align: 4, comment: '[before, after] per axis' },
  ];
  return [simpleCall({ family: 'pad', op: 'pad', input: x, acts: [x], params, tables, comment: 'affine pad (same scale and zero point; border Z + round(value / S))' })];
}

export function checkAffineConcat(ctx: OpCtx<unknown>): void {
  if (!checkAffineActs(ctx)) return;
  const o = aq(ctx.outputs[0]!);
  ctx.inputs.forEach((t, i) => {
    const q = aq(t);
    if (q.scale !== o.scale || q.zeroPoint !== o.zeroPoint)
      ctx.report('F8E045', `input ${i} '${t.name}' (scale ${q.scale}, zero point ${q.zeroPoint}) must share the output's scale ${o.scale} and zero point ${o.zeroPoint} (TFLite Micro int8 concatenation)`, `inputs[${i}]`);
  });
}

export function evalAffineConcat(ctx: EvalCtx<{ axis: number }>): void {
  const out = ctx.outs[0]!;
  const axis = normAxis(ctx.layer.attrs.axis, out.tensor.shape.length)!;
  const outer = numel(out.tensor.shape.slice(0, axis));
  const rowOut = numel(out.tensor.shape.slice(axis));
  const { lo, hi } = ctx.bounds;
  let at = 0;
  for (const x of ctx.acts) {
    const row = numel(x.tensor.shape.slice(axis));
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < row; j++) {
        const v = x.data[o * row + j]!;
        out.data[o * rowOut + at + j] = v < lo ? lo : v > hi ? hi : v;
      }
    }
    at += row;
  }
}

export function lowerAffineConcat(ctx: OpCtx<any>): KernelCall[] {
  const out = ctx.outputs[0]!;
  const axis = normAxis((ctx.layer.attrs as { axis: number }).axis, out.shape.length)!;
  const outer = numel(out.shape.slice(0, axis));
  const rowOut = numel(out.shape.slice(axis));
  const { lo, hi } = outputBounds(ctx.layer, out);
  let at = 0;
  return ctx.inputs.map((x, index) => {
    const row = numel(x.shape.slice(axis));
    const params: ParamField[] = [
      ...ints({ outer, block: row, in_stride: row, out_stride: rowOut, out_offset: at, shift: 0 }),
      { name: 'rounding', value: enumv('F8_ROUND_HALF_EVEN') },
      ...ints({ out_lo: lo, out_hi: hi }),
    ];
    at += row;
    const call = simpleCall({ family: 'rescale', op: 'rescale', input: x, acts: [x], params, comment: `affine concat: input ${index} copied` });
    call.args = call.args.map((arg) => (arg.kind === 'input' ? { ...arg, index } : arg));
    return call;
  });
}

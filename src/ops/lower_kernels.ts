/**
 * The `lower` functions of the ops other than conv2d: each builds the
 * KernelCall(s) of one layer for the portable kernels of runtime-c (see
 * runtime-c/f8_kernels.h for every struct field's meaning). Op files wire
 * them in as `lower`; values an op file computes itself (activation range,
 * exp table, pad constant) are passed in, so this file imports no op.
 */
import { flAt, numel, type Clamp, type Tensor } from '../ir/types.js';
import { resolveWindow, type Padding } from './common.js';
import { outputBounds } from './context.js';
import type { OpCtx } from './opdef.js';
import { actCType, constTable, enumv, int, NULLP, outFields, roundingEnum, simpleCall, table, weightShifts, type KernelCall, type ParamField } from './lowering.js';

const ints = (o: Record<string, number>): ParamField[] => Object.entries(o).map(([name, v]) => ({ name, value: int(v) }));
const io = (ctx: OpCtx<any>): [Tensor, Tensor] => [ctx.inputs[0]!, ctx.outputs[0]!];

export function lowerDense(ctx: OpCtx<any>): KernelCall[] {
  const [x, w, b] = ctx.inputs;
  const out = ctx.outputs[0]!;
  const [N, K] = w!.shape as [number, number];
  const sh = weightShifts(x!, w!, out, N);
  const params = [
    ...ints({ in_features: K, out_features: N }),
    { name: 'weight', value: table('weight') },
    { name: 'bias', value: b ? table('bias') : NULLP },
    ...sh.fields,
    ...outFields(ctx.layer, out),
  ];
  const tables = [constTable('weight', w!, `[N, K] = [${N}, ${K}]`), ...(b ? [constTable('bias', b)] : []), ...sh.tables];
  return [simpleCall({ family: 'dense', op: 'dense', input: x!, acts: [x!], params, tables })];
}

interface PoolAttrs {
  kernel: [number, number];
  strides: [number, number];
  padding: Padding;
  count_include_pad?: boolean;
}

export function lowerPool(ctx: OpCtx<any>, op: 'max_pool' | 'avg_pool'): KernelCall[] {
  const [x, out] = io(ctx);
  const a = ctx.layer.attrs as PoolAttrs;
  const [, H, W, C] = x.shape as [number, number, number, number];
  const [kh, kw] = a.kernel;
  const g = resolveWindow(H, W, { kh, kw, strides: a.strides, dilations: [1, 1], padding: a.padding });
  const shift = op === 'max_pool' ? flAt(x.quant) - flAt(out.quant) : flAt(out.quant) - flAt(x.quant);
  const params = [
    ...ints({ in_h: H, in_w: W, channels: C, out_h: g.outH, out_w: g.outW, kernel_h: kh, kernel_w: kw, stride_h: a.strides[0], stride_w: a.strides[1] }),
    ...ints({ pad_top: g.top, pad_left: g.left, pad_bottom: g.bottom, pad_right: g.right, count_include_pad: a.count_include_pad ? 1 : 0, shift }),
    ...outFields(ctx.layer, out),
  ];
  return [{ ...simpleCall({ family: 'pool', op, input: x, acts: [x], params }), paramsType: 'f8_pool_params' }];
}

export function lowerGlobalAvgPool(ctx: OpCtx<any>): KernelCall[] {
  const [x, out] = io(ctx);
  const [, H, W, C] = x.shape as [number, number, number, number];
  const params = [...ints({ cells: H * W, channels: C, shift: flAt(out.quant) - flAt(x.quant) }), ...outFields(ctx.layer, out)];
  return [simpleCall({ family: 'pool', op: 'global_avg_pool', input: x, acts: [x], params })];
}

export function lowerAdd(ctx: OpCtx<any>): KernelCall[] {
  let [a, b] = ctx.inputs as [Tensor, Tensor];
  const out = ctx.outputs[0]!;
  const f = Math.max(flAt(a.quant), flAt(b.quant));
  // Mixed signedness: the kernel takes the int8 operand first (the sum commutes).
  const swap = a.dtype === 'uint8' && b.dtype === 'int8';
  if (swap) [a, b] = [b, a];
  const suffix = a.dtype === b.dtype ? (a.dtype === 'int8' ? 's8' : 'u8') : 's8u8';
  const params = [...ints({ size: numel(out.shape), a_shift: f - flAt(a.quant), b_shift: f - flAt(b.quant), out_shift: f - flAt(out.quant) }), ...outFields(ctx.layer, out)];
  const fn = `f8_add_${suffix}`;
  return [
    {
      fn,
      scratchSizeFn: `${fn}_scratch_size`,
      sources: ['f8_add.c'],
      paramsType: 'f8_add_params',
      params,
      tables: [],
      args: [
        { kind: 'params' },
        { kind: 'input', index: swap ? 1 : 0, ctype: actCType(a) },
        { kind: 'input', index: swap ? 0 : 1, ctype: actCType(b) },
        { kind: 'output', index: 0, ctype: 'uint8_t' },
        { kind: 'scratch' },
      ],
      scratchBytes: 0,
    },
  ];
}

/** One rescale call (f8_rescale_<in>): blocks of `block` elements from input `index`. */
function rescaleCall(ctx: OpCtx<any>, x: Tensor, index: number, geo: { outer: number; block: number; in_stride: number; out_stride: number; out_offset: number }, bounds: Clamp): KernelCall {
  const out = ctx.outputs[0]!;
  const params = [
    ...ints({ ...geo, shift: flAt(x.quant) - flAt(out.quant) }),
    { name: 'rounding', value: enumv(roundingEnum(ctx.layer.rounding)) },
    ...ints({ out_lo: bounds.lo, out_hi: bounds.hi }),
  ];
  const call = simpleCall({ family: 'rescale', op: 'rescale', input: x, acts: [x], params });
  call.args = call.args.map((arg) => (arg.kind === 'input' ? { ...arg, index } : arg));
  return call;
}

/** relu/relu6/clip: `range` is the activation's clamp in output units (activationRange). */
export function lowerActivation(ctx: OpCtx<any>, range: Clamp): KernelCall[] {
  const [x, out] = io(ctx);
  const b = outputBounds(ctx.layer, out);
  const lo = Math.max(b.lo, Math.min(range.lo, b.hi));
  const hi = Math.min(b.hi, Math.max(range.hi, b.lo));
  const n = numel(x.shape);
  return [rescaleCall(ctx, x, 0, { outer: 1, block: n, in_stride: n, out_stride: n, out_offset: 0 }, { lo, hi })];
}

/** concat along `axis` (already normalised): one rescale call per input. */
export function lowerConcat(ctx: OpCtx<any>, axis: number): KernelCall[] {
  const out = ctx.outputs[0]!;
  const outer = numel(out.shape.slice(0, axis));
  const rowOut = numel(out.shape.slice(axis));
  const bounds = outputBounds(ctx.layer, out);
  let at = 0;
  return ctx.inputs.map((x, i) => {
    const row = numel(x.shape.slice(axis));
    const call = rescaleCall(ctx, x, i, { outer, block: row, in_stride: row, out_stride: rowOut, out_offset: at }, bounds);
    at += row;
    return call;
  });
}

export function lowerCopy(ctx: OpCtx<any>): KernelCall[] {
  const [x] = io(ctx);
  return [{ ...simpleCall({ family: 'copy', op: 'copy', input: x, acts: [x], params: ints({ bytes: numel(x.shape) }) }) }];
}

/** pad: `value` is the border constant in output units (saturated to the bounds here). */
export function lowerPad(ctx: OpCtx<any>, value: number): KernelCall[] {
  const [x, out] = io(ctx);
  const b = outputBounds(ctx.layer, out);
  const q = Math.max(b.lo, Math.min(value, b.hi));
  const params = [
    { name: 'rank', value: int(x.shape.length) },
    { name: 'in_shape', value: table('in_shape') },
    { name: 'pads', value: table('pads') },
    ...ints({ value: q, shift: flAt(x.quant) - flAt(out.quant) }),
    ...outFields(ctx.layer, out),
  ];
  const tables = [
    { suffix: 'in_shape', ctype: 'int32_t' as const, values: x.shape, align: 4, comment: 'input shape' },
    { suffix: 'pads', ctype: 'int32_t' as const, values: (ctx.layer.attrs as { pads: [number, number][] }).pads.flat(), align: 4, comment: '[before, after] per axis' },
  ];
  return [simpleCall({ family: 'pad', op: 'pad', input: x, acts: [x], params, tables })];
}

/** softmax: `expTable` is softmaxTable(FL_in) (256 uint16 entries). */
export function lowerSoftmax(ctx: OpCtx<any>, expTable: ArrayLike<number>): KernelCall[] {
  const [x, out] = io(ctx);
  const rowLen = x.shape[x.shape.length - 1]!;
  const flIn = flAt(x.quant);
  const params = [
    ...ints({ rows: numel(x.shape) / rowLen, row_len: rowLen }),
    { name: 'exp_table', value: table('exp') },
    { name: 'fl_out', value: int(flAt(out.quant)) },
    ...outFields(ctx.layer, out),
  ];
  const tables = [{ suffix: 'exp', ctype: 'uint16_t' as const, values: expTable, align: 2, shareKey: `softmax_exp_fl${flIn}`, comment: `round(32768 * exp(-k * 2^-${flIn})), k = 0..255` }];
  return [simpleCall({ family: 'softmax', op: 'softmax', input: x, acts: [x], params, tables })];
}

/** pocket_sigmoid (flIn 5) / pocket_tanh (flIn 6). */
export function lowerPocket(ctx: OpCtx<any>, op: 'pocket_sigmoid' | 'pocket_tanh', flIn: number): KernelCall[] {
  const [x, out] = io(ctx);
  const params = [...ints({ size: numel(x.shape), shift: flAt(x.quant) - flIn }), ...outFields(ctx.layer, out)];
  return [{ ...simpleCall({ family: 'pocket', op, input: x, acts: [x], params }), paramsType: 'f8_pocket_params' }];
}


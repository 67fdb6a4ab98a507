/**
 * C lowering of affine (TFLite int8) layers: KernelCall data for the kernels
 * of runtime-c/f8_tfl_*.c (documented in runtime-c/f8_kernels.h), and the
 * existing portable kernels where they are exact (max/avg pool with shift 0,
 * copy for reshape).
 *
 * Compile-time work: the multipliers and shifts (QuantizeMultiplier, as the
 * interpreter computes them), and the input zero point folded into the
 * bias: bias'[c] = bias[c] - Z_x * sum of w[c] (mod 2^32). Padded conv taps
 * then read Z_x in the kernel, so every output equals TFLite's
 * bias + sum over the taps inside the input of w * (x - Z_x).
 * The model's rounding (double/single) is a parameter of each call.
 *
 * Variant 'arm': conv2d and dense calls (affine or shift-only) become the
 * arm kernels' (armCall of ../lower_arm.ts: runtime-c/arm sources, permuted
 * weights, scratch affineArmScratch).
 */
import { wrapI32 } from '../../arith/fixed.js';
import type { QMult } from '../../arith/tflite.js';
import { fail } from '../../diag/diagnostic.js';
import { isPerChannel, numel, type AffineQuant, type Tensor } from '../../ir/types.js';
import { resolveWindow } from '../common.js';
import { outputBounds } from '../context.js';
import { enumv, int, NULLP, simpleCall, table, type ConstTable, type KernelCall, type ParamField } from '../lowering.js';
import type { KernelVariant, OpCtx, TargetInfo } from '../opdef.js';
import { armCall, conv2dArmScratch, denseArmScratch } from '../lower_arm.js';
import { poolGeometry } from '../pool.js';
import { addParams, ADD_LEFT_SHIFT } from './eltwise.js';
import { macMultipliers, roundingOf } from './mac.js';
import { softmaxParams } from './softmax.js';
import { layerPow2Shifts } from './pow2.js';

const ints = (o: Record<string, number>): ParamField[] => Object.entries(o).map(([name, v]) => ({ name, value: int(v) }));

function aq(t: Tensor): AffineQuant {
  if (t.quant.kind !== 'affine') throw new Error(`internal: '${t.name}' is not affine`);
  return t.quant;
}

function single(ctx: OpCtx<any>): number {
  return roundingOf(ctx.graph) === 'single' ? 1 : 0;
}

/** out_zp, single_rounding, out_lo, out_hi. */
function outTail(ctx: OpCtx<any>, out: Tensor): ParamField[] {
  const { lo, hi } = outputBounds(ctx.layer, out);
  return ints({ out_zp: aq(out).zeroPoint, single_rounding: single(ctx), out_lo: lo, out_hi: hi });
}

/** The folded bias (NULL when it is all zero and there was none) and the multiplier/shift tables. */
export function macTables(x: Tensor, w: Tensor, b: Tensor | undefined, out: Tensor, cout: number, rounding: 'double' | 'single') {
  const zx = aq(x).zeroPoint;
  const per = numel(w.shape) / cout;
  const wd = w.data!;
  const folded = Array.from({ length: cout }, (_, c) => {
    let s = 0;
    for (let i = c * per; i < (c + 1) * per; i++) s += wd[i]!;
    return wrapI32((b ? b.data![c]! : 0) - zx * s);
  });
  const mults: QMult[] = macMultipliers(x, w, out, cout, rounding);
  const perChannel = isPerChannel(w.quant) && mults.some((m) => m.multiplier !== mults[0]!.multiplier || m.shift !== mults[0]!.shift);
  const used = perChannel ? mults : [mults[0]!];
  const hasBias = b !== undefined || zx !== 0;
  const tables: ConstTable[] = [
    ...(hasBias ? [{ suffix: 'bias', ctype: 'int32_t' as const, values: folded, align: 4, comment: `bias - Z_x * sum(w), Z_x = ${zx} [${cout}]` }] : []),
    { suffix: 'mult', ctype: 'int32_t', values: used.map((m) => m.multiplier), align: 4, comment: `Q31 multiplier${perChannel ? ' per output channel' : ''} [${used.length}]` },
    { suffix: 'shift', ctype: 'int8_t', values: used.map((m) => m.shift), align: 1, comment: `exponent${perChannel ? ' per output channel' : ''} [${used.length}]` },
  ];
  const fields: ParamField[] = [
    { name: 'bias', value: hasBias ? table('bias') : NULLP },
    { name: 'mult', value: table('mult') },
    { name: 'shift', value: table('shift') },
    { name: 'per_channel', value: int(perChannel ? 1 : 0) },
  ];
  return { fields, tables };
}

/** bias, shifts/shift, rounding half up, bounds: the tail of f8_conv2d_params / f8_dense_params. */
function pow2Fields(ctx: OpCtx<any>, b: Tensor | undefined, shifts: number[], out: Tensor): ParamField[] {
  const one = shifts.every((k) => k === shifts[0]);
  const { lo, hi } = outputBounds(ctx.layer, out);
  return [
    { name: 'bias', value: b ? table('bias') : NULLP },
    { name: 'shifts', value: one ? NULLP : table('shifts') },
    { name: 'shift', value: int(one ? shifts[0]! : 0) },
    { name: 'rounding', value: enumv('F8_ROUND_HALF_UP') },
    ...ints({ out_lo: lo, out_hi: hi }),
  ];
}

function pow2Tables(b: Tensor | undefined, shifts: number[]): ConstTable[] {
  const one = shifts.every((k) => k === shifts[0]);
  return [
    ...(b ? [{ suffix: 'bias', ctype: 'int32_t' as const, values: b.data!, align: 4, comment: `bias [${b.shape[0]}]` }] : []),
    ...(one ? [] : [{ suffix: 'shifts', ctype: 'int8_t' as const, values: shifts, align: 1, comment: `rounding shift per output channel [${shifts.length}]` }]),
  ];
}

type ConvLayerAttrs = { strides: [number, number]; dilations: [number, number]; padding: Parameters<typeof resolveWindow>[2]['padding']; groups: number };

function convGeometry(ctx: OpCtx<any>) {
  const [x, w] = ctx.inputs as [Tensor, Tensor];
  const [, H, W, Cin] = x.shape as [number, number, number, number];
  const [Cout, KH, KW] = w.shape as [number, number, number, number];
  const a = ctx.layer.attrs as ConvLayerAttrs;
  return { H, W, Cin, Cout, KH, KW, a, ...resolveWindow(H, W, { kh: KH, kw: KW, strides: a.strides, dilations: a.dilations, padding: a.padding }) };
}

/** Scratch of the affine conv2d/dense calls in `variant` (mirrors the C `_scratch_size` of f8_tfl_mac_arm.c, or of the shift-only arm kernels). */
export function affineScratch(ctx: OpCtx<any>, variant: KernelVariant): number {
  if (variant !== 'arm') return 0;
  if (ctx.layer.op === 'conv2d') {
    const g = convGeometry(ctx);
    return conv2dArmScratch({ ...g, groups: g.a.groups });
  }
  if (ctx.layer.op !== 'dense') return 0;
  const [x, w] = ctx.inputs as [Tensor, Tensor];
  const [N, K] = w.shape as [number, number];
  return layerPow2Shifts(x, w, ctx.outputs[0]!, N, roundingOf(ctx.graph)) ? denseArmScratch(K) : 0;
}

function lowerConv(ctx: OpCtx<any>): KernelCall[] {
  const [x, w, b] = ctx.inputs as [Tensor, Tensor, Tensor | undefined];
  const out = ctx.outputs[0]!;
  const { H, W, Cin, Cout, KH, KW, a, ...g } = convGeometry(ctx);
  const p2 = layerPow2Shifts(x, w, out, Cout, roundingOf(ctx.graph));
  if (p2) {
    // Shift-only (./pow2.ts): the fixed-point kernel, n = k, rounding half up.
    const params: ParamField[] = [
      ...ints({ in_h: H, in_w: W, in_c: Cin, out_h: g.outH, out_w: g.outW, out_c: Cout, kernel_h: KH, kernel_w: KW }),
      ...ints({ stride_h: a.strides[0], stride_w: a.strides[1], dilation_h: a.dilations[0], dilation_w: a.dilations[1] }),
      ...ints({ pad_top: g.top, pad_left: g.left, pad_bottom: g.bottom, pad_right: g.right, groups: a.groups }),
      { name: 'weight', value: table('weight') },
      ...pow2Fields(ctx, b, p2, out),
    ];
    const weight: ConstTable = { suffix: 'weight', ctype: 'int8_t', values: w.data!, align: 1, comment: `OHWI [${w.shape.join(', ')}]` };
    return [simpleCall({ family: 'conv2d', op: 'conv2d', input: x, acts: [x], params, tables: [weight, ...pow2Tables(b, p2)], comment: 'affine conv2d, power-of-two scales and zero points 0: shift-only (fixed-point kernel, half up)' })];
  }
  const mt = macTables(x, w, b, out, Cout, roundingOf(ctx.graph));
  const params: ParamField[] = [
    ...ints({ in_h: H, in_w: W, in_c: Cin, out_h: g.outH, out_w: g.outW, out_c: Cout, kernel_h: KH, kernel_w: KW }),
    ...ints({ stride_h: a.strides[0], stride_w: a.strides[1], dilation_h: a.dilations[0], dilation_w: a.dilations[1] }),
    ...ints({ pad_top: g.top, pad_left: g.left, pad_bottom: g.bottom, pad_right: g.right, groups: a.groups }),
    { name: 'weight', value: table('weight') },
    ...mt.fields,
    ...ints({ in_zp: aq(x).zeroPoint }),
    ...outTail(ctx, out),
  ];
  const weight: ConstTable = { suffix: 'weight', ctype: 'int8_t', values: w.data!, align: 1, comment: `OHWI [${w.shape.join(', ')}]` };
  const kind = a.groups === 1 ? 'conv2d' : a.groups === Cin && Cout % Cin === 0 && w.shape[3] === 1 ? 'depthwise conv2d' : `conv2d, ${a.groups} groups`;
  return [simpleCall({ family: 'tfl_mac', op: 'tfl_conv2d', input: x, acts: [x], params, tables: [weight, ...mt.tables], comment: `affine ${kind}` })];
}

function lowerDense(ctx: OpCtx<any>): KernelCall[] {
  const [x, w, b] = ctx.inputs as [Tensor, Tensor, Tensor | undefined];
  const out = ctx.outputs[0]!;
  const [N, K] = w.shape as [number, number];
  const p2 = layerPow2Shifts(x, w, out, N, roundingOf(ctx.graph));
  if (p2) {
    const params: ParamField[] = [...ints({ in_features: K, out_features: N }), { name: 'weight', value: table('weight') }, ...pow2Fields(ctx, b, p2, out)];
    const weight: ConstTable = { suffix: 'weight', ctype: 'int8_t', values: w.data!, align: 1, comment: `[N, K] = [${N}, ${K}]` };
    return [simpleCall({ family: 'dense', op: 'dense', input: x, acts: [x], params, tables: [weight, ...pow2Tables(b, p2)], comment: 'affine dense, power-of-two scales and zero points 0: shift-only (fixed-point kernel, half up)' })];
  }
  const mt = macTables(x, w, b, out, N, roundingOf(ctx.graph));
  const params: ParamField[] = [...ints({ in_features: K, out_features: N }), { name: 'weight', value: table('weight') }, ...mt.fields, ...outTail(ctx, out)];
  const weight: ConstTable = { suffix: 'weight', ctype: 'int8_t', values: w.data!, align: 1, comment: `[N, K] = [${N}, ${K}]` };
  return [simpleCall({ family: 'tfl_mac', op: 'tfl_dense', input: x, acts: [x], params, tables: [weight, ...mt.tables], comment: 'affine fully connected' })];
}

function lowerAdd(ctx: OpCtx<any>): KernelCall[] {
  const [a, b] = ctx.inputs as [Tensor, Tensor];
  const out = ctx.outputs[0]!;
  const p = addParams(a, b, out, roundingOf(ctx.graph));
  const params = [
    ...ints({ size: numel(out.shape), in1_zp: aq(a).zeroPoint, in2_zp: aq(b).zeroPoint, left_shift: ADD_LEFT_SHIFT }),
    ...ints({ mult1: p.m1.multiplier, shift1: p.m1.shift, mult2: p.m2.multiplier, shift2: p.m2.shift, out_mult: p.mo.multiplier, out_shift: p.mo.shift }),
    ...outTail(ctx, out),
  ];
  const call = simpleCall({ family: 'tfl_add', op: 'tfl_add', input: a, acts: [a, b], params, comment: 'affine add (TFLite input rescaling, left shift 20)' });
  return [call];
}

function lowerSoftmax(ctx: OpCtx<any>): KernelCall[] {
  const x = ctx.inputs[0]!;
  const out = ctx.outputs[0]!;
  const { mult, diffMin } = softmaxParams(x, (ctx.layer.attrs as { beta?: number }).beta ?? 1, roundingOf(ctx.graph));
  if (mult.shift < 0) return fail('F8E112', `layer '${ctx.layer.name}': softmax input scale too small (multiplier shift ${mult.shift} < 0)`, { layer: ctx.layer.name });
  const rowLen = x.shape[x.shape.length - 1]!;
  if (rowLen > 4095) return fail('F8E112', `layer '${ctx.layer.name}': softmax rows of ${rowLen} elements (the kernel takes up to 4095)`, { layer: ctx.layer.name });
  const { lo, hi } = outputBounds(ctx.layer, out);
  const params = ints({ rows: numel(x.shape) / rowLen, row_len: rowLen, input_mult: mult.multiplier, input_left_shift: mult.shift, diff_min: diffMin, single_rounding: single(ctx), out_lo: lo, out_hi: hi });
  return [simpleCall({ family: 'tfl_softmax', op: 'tfl_softmax', input: x, acts: [x], params, comment: "softmax 'tflite' (gemmlowp fixed point)" })];
}

/** max_pool / avg_pool: input and output share scale and zero point, so the fixed-point kernels with shift 0 are exact (avg: half away from zero, padding excluded). */
function lowerPool(ctx: OpCtx<any>, op: 'max_pool' | 'avg_pool'): KernelCall[] {
  const x = ctx.inputs[0]!;
  const out = ctx.outputs[0]!;
  const g = poolGeometry(x, ctx.layer.attrs as Parameters<typeof poolGeometry>[1]);
  const { lo, hi } = outputBounds(ctx.layer, out);
  const params: ParamField[] = [
    ...ints({ in_h: g.H, in_w: g.W, channels: g.C, out_h: g.outH, out_w: g.outW, kernel_h: g.kh, kernel_w: g.kw, stride_h: g.sh, stride_w: g.sw }),
    ...ints({ pad_top: g.top, pad_left: g.left, pad_bottom: g.bottom, pad_right: g.right, count_include_pad: 0, shift: 0 }),
    { name: 'rounding', value: enumv('F8_ROUND_HALF_AWAY') },
    ...ints({ out_lo: lo, out_hi: hi }),
  ];
  return [{ ...simpleCall({ family: 'pool', op, input: x, acts: [x], params, comment: `affine ${op} (same scale and zero point: no rescale)` }), paramsType: 'f8_pool_params' }];
}

export function lowerAffine(ctx: OpCtx<any>, _target?: TargetInfo, variant: KernelVariant = 'portable'): KernelCall[] {
  const arm = (calls: KernelCall[]) => (variant === 'arm' ? calls.map((c) => armCall(c, affineScratch(ctx, variant))) : calls);
  switch (ctx.layer.op) {
    case 'conv2d':
      return arm(lowerConv(ctx));
    case 'dense':
      return arm(lowerDense(ctx));
    case 'add':
      return lowerAdd(ctx);
    case 'softmax':
      return lowerSoftmax(ctx);
    case 'max_pool':
    case 'avg_pool':
      return lowerPool(ctx, ctx.layer.op);
    default:
      return fail('F8E112', `layer '${ctx.layer.name}': the C backend has no affine (TFLite) ${ctx.layer.op} kernel yet; f8c run and inspect work`, { layer: ctx.layer.name });
  }
}

/**
 * conv2d: NHWC input [1, H, W, Cin], weight [Cout, KH, KW, Cin/groups]
 * (OHWI), optional int32 bias [Cout]; depthwise is groups = Cin.
 *
 * acc[c] = bias[c] + sum x * w over the window (padded taps read as 0),
 * accumulated modulo 2^32; out = requant(acc, FL_x + FL_w[c] - FL_out).
 */
import { z } from 'zod';
import { requant, wrapI32 } from '../arith/fixed.js';
import { flAt } from '../ir/types.js';
import { checkWeightBias, convSums, maxAbsQ, pair, paddingSchema, requireActDtype, resolveWindow } from './common.js';
import { defineOp, type OpCtx } from './opdef.js';
import { constTable, int, NULLP, outFields, simpleCall, table, weightShifts } from './lowering.js';
import { armCall, conv2dArmScratch } from './lower_arm.js';

const attrs = z
  .object({
    strides: pair.default([1, 1]),
    dilations: pair.default([1, 1]),
    padding: paddingSchema,
    groups: z.number().int().min(1).default(1),
  })
  .strict();
type Attrs = z.output<typeof attrs>;

function geometry(ctx: OpCtx<Attrs>) {
  const [x, w] = ctx.inputs as [NonNullable<OpCtx<Attrs>['inputs'][0]>, NonNullable<OpCtx<Attrs>['inputs'][0]>];
  const [, H, W, Cin] = x.shape as [number, number, number, number];
  const [Cout, KH, KW, CinG] = w.shape as [number, number, number, number];
  const a = ctx.layer.attrs;
  const win = resolveWindow(H, W, { kh: KH, kw: KW, strides: a.strides, dilations: a.dilations, padding: a.padding });
  return { H, W, Cin, Cout, KH, KW, CinG, ...win };
}

export const conv2d = defineOp({
  kind: 'conv2d',
  summary: '2-D convolution, NHWC, OHWI weights, groups (depthwise = groups equal to channels)',
  inputs: [
    { name: 'x', kind: 'activation' },
    { name: 'weight', kind: 'const' },
    { name: 'bias', kind: 'const', optional: true },
  ],
  attrs,
  fusable: true,

  inferShape(ctx) {
    const [x, w] = ctx.inputs;
    if (x!.shape.length !== 4) return void ctx.report('F8E030', `input '${x!.name}' must be 4-D NHWC, got [${x!.shape}]`, 'inputs[0]');
    if (w!.shape.length !== 4) return void ctx.report('F8E030', `weight '${w!.name}' must be 4-D [Cout, KH, KW, Cin/groups], got [${w!.shape}]`, 'inputs[1]');
    const g = geometry(ctx);
    const groups = ctx.layer.attrs.groups;
    if (g.Cin % groups !== 0 || g.Cout % groups !== 0)
      return void ctx.report('F8E011', `groups = ${groups} must divide Cin = ${g.Cin} and Cout = ${g.Cout}`, 'attrs.groups');
    if (g.CinG !== g.Cin / groups)
      return void ctx.report('F8E030', `weight '${w!.name}' has ${g.CinG} input channels per group; input has ${g.Cin} / groups ${groups} = ${g.Cin / groups}`, 'inputs[1]');
    const b = ctx.inputs[2];
    if (b && (b.shape.length !== 1 || b.shape[0] !== g.Cout))
      return void ctx.report('F8E030', `bias '${b.name}' must have shape [${g.Cout}], got [${b.shape}]`, 'inputs[2]');
    if (g.outH <= 0 || g.outW <= 0)
      return void ctx.report('F8E030', `a ${g.KH}x${g.KW} window (dilation ${ctx.layer.attrs.dilations}) does not fit a ${g.H}x${g.W} input with this padding`, 'attrs.padding');
    return [1, g.outH, g.outW, g.Cout];
  },

  checkFormats(ctx) {
    const [x, w, b] = ctx.inputs;
    const out = ctx.outputs[0]!;
    requireActDtype(ctx, x!, 'inputs[0]');
    requireActDtype(ctx, out, 'outputs[0]');
    checkWeightBias(ctx, x!, w!, b, out, w!.shape[0]!);
  },

  macs(ctx) {
    const g = geometry(ctx);
    return g.outH * g.outW * g.Cout * g.KH * g.KW * g.CinG;
  },

  accBound(ctx) {
    const [x, w, b] = ctx.inputs;
    const g = geometry(ctx);
    const xmax = maxAbsQ(x!);
    const per = g.KH * g.KW * g.CinG;
    let maxAbs = 0;
    for (let c = 0; c < g.Cout; c++) {
      let s = 0;
      for (let i = c * per; i < (c + 1) * per; i++) s += Math.abs(w!.data![i]!);
      maxAbs = Math.max(maxAbs, s * xmax + Math.abs(b?.data?.[c] ?? 0));
    }
    return { maxAbs };
  },

  eval(ctx) {
    const x = ctx.acts[0]!;
    const [w, b] = ctx.consts;
    const out = ctx.outs[0]!;
    const flx = flAt(x.tensor.quant);
    const flo = flAt(out.tensor.quant);
    const { lo, hi } = ctx.bounds;
    convSums(x, w!, b, ctx.layer.attrs, 0, (i, oc, acc) => {
      out.data[i] = requant(wrapI32(acc), flx + flAt(w!.quant, oc) - flo, ctx.layer.rounding, lo, hi);
    });
  },

  scratch(ctx, _target, variant) {
    return variant === 'arm' ? conv2dArmScratch({ ...geometry(ctx), groups: ctx.layer.attrs.groups }) : 0;
  },

  lower(ctx, _target, variant) {
    const [x, w, b] = ctx.inputs;
    const out = ctx.outputs[0]!;
    const g = geometry(ctx);
    const a = ctx.layer.attrs;
    const sh = weightShifts(x!, w!, out, g.Cout);
    const params = [
      ...Object.entries({ in_h: g.H, in_w: g.W, in_c: g.Cin, out_h: g.outH, out_w: g.outW, out_c: g.Cout, kernel_h: g.KH, kernel_w: g.KW })
        .map(([name, v]) => ({ name, value: int(v) })),
      { name: 'stride_h', value: int(a.strides[0]) },
      { name: 'stride_w', value: int(a.strides[1]) },
      { name: 'dilation_h', value: int(a.dilations[0]) },
      { name: 'dilation_w', value: int(a.dilations[1]) },
      { name: 'pad_top', value: int(g.top) },
      { name: 'pad_left', value: int(g.left) },
      { name: 'pad_bottom', value: int(g.bottom) },
      { name: 'pad_right', value: int(g.right) },
      { name: 'groups', value: int(a.groups) },
      { name: 'weight', value: table('weight') },
      { name: 'bias', value: b ? table('bias') : NULLP },
      ...sh.fields,
      ...outFields(ctx.layer, out),
    ];
    const tables = [constTable('weight', w!, `OHWI [${w!.shape.join(', ')}]`), ...(b ? [constTable('bias', b)] : []), ...sh.tables];
    const call = simpleCall({ family: 'conv2d', op: 'conv2d', input: x!, acts: [x!], params, tables });
    return [variant === 'arm' ? armCall(call, conv2dArmScratch({ ...g, groups: a.groups })) : call];
  },
});

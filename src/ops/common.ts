/**
 * Pieces several ops share: attribute schemas, padding resolution, format
 * checks and the accumulate-then-requantise pattern.
 */
import { z } from 'zod';
import { DTYPE_RANGE, SHIFT_MAX, flAt, type FixedQuant, type Tensor } from '../ir/types.js';
import type { OpCtx } from './opdef.js';

export const pair = z.tuple([z.number().int().min(1), z.number().int().min(1)]);

/** 'valid', 'same' (TensorFlow: any odd extra row/column at the end), or explicit [top, left, bottom, right]. */
export const paddingSchema = z
  .union([z.literal('valid'), z.literal('same'), z.tuple([z.number().int().min(0), z.number().int().min(0), z.number().int().min(0), z.number().int().min(0)])])
  .default('valid');
export type Padding = z.output<typeof paddingSchema>;

export interface Window {
  kh: number;
  kw: number;
  strides: [number, number];
  dilations: [number, number];
  padding: Padding;
}

export interface ResolvedWindow {
  top: number;
  left: number;
  bottom: number;
  right: number;
  outH: number;
  outW: number;
}

function samePad(inSize: number, k: number, stride: number, dilation: number): [number, number, number] {
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + (k - 1) * dilation + 1 - inSize, 0);
  const before = Math.floor(total / 2);
  return [before, total - before, out];
}

/** Resolves padding and output size; outH/outW <= 0 means the window does not fit. */
export function resolveWindow(inH: number, inW: number, w: Window): ResolvedWindow {
  const [sh, sw] = w.strides;
  const [dh, dw] = w.dilations;
  if (w.padding === 'same') {
    const [top, bottom, outH] = samePad(inH, w.kh, sh, dh);
    const [left, right, outW] = samePad(inW, w.kw, sw, dw);
    return { top, left, bottom, right, outH, outW };
  }
  const [top, left, bottom, right] = w.padding === 'valid' ? [0, 0, 0, 0] : w.padding;
  const outH = Math.floor((inH + top + bottom - dh * (w.kh - 1) - 1) / sh) + 1;
  const outW = Math.floor((inW + left + right - dw * (w.kw - 1) - 1) / sw) + 1;
  return { top, left, bottom, right, outH, outW };
}

/** Activation element types of v1. */
export function isActDtype(t: Tensor): boolean {
  return t.dtype === 'int8' || t.dtype === 'uint8';
}

export function requireActDtype<A>(ctx: OpCtx<A>, t: Tensor, field: string): boolean {
  if (isActDtype(t)) return true;
  ctx.report('F8E042', `tensor '${t.name}' has dtype ${t.dtype}; activations are int8 or uint8`, field);
  return false;
}

export function requireDtype<A>(ctx: OpCtx<A>, t: Tensor, dtype: Tensor['dtype'], field: string): boolean {
  if (t.dtype === dtype) return true;
  ctx.report('F8E042', `tensor '${t.name}' has dtype ${t.dtype}; expected ${dtype}`, field);
  return false;
}

/** Checks that a rescale shift n = FL_in - FL_out fits the runtime (|n| <= 31). */
export function checkShift<A>(ctx: OpCtx<A>, n: number, what: string, field?: string): boolean {
  if (Math.abs(n) <= SHIFT_MAX) return true;
  ctx.report('F8E044', `${what} needs a shift of ${n}; the limit is +-${SHIFT_MAX}`, field);
  return false;
}

/**
 * Checks weight and bias formats of conv2d/dense: weight int8 with a FL per
 * layer or per output channel (axis 0), bias int32 at FL_x + FL_w[c], and
 * the requantisation shift FL_x + FL_w[c] - FL_out in range for every channel.
 */
export function checkWeightBias<A>(ctx: OpCtx<A>, x: Tensor, w: Tensor, b: Tensor | undefined, out: Tensor, cout: number): void {
  requireDtype(ctx, w, 'int8', 'inputs[1]');
  if (w.quant.kind !== 'fixed' || b?.quant.kind === 'affine' || out.quant.kind !== 'fixed')
    return void ctx.report('F8E046', `layer mixes fixed-point and affine tensors (input '${x.name}' is fixed)`, 'inputs[1].quant.kind');
  const flx = flAt(x.quant);
  const wfl = w.quant.fl;
  if (typeof wfl !== 'number' && (wfl.length !== cout || (w.quant.axis ?? 0) !== 0)) {
    ctx.report('F8E047', `weight '${w.name}' has ${wfl.length} per-channel FLs on axis ${w.quant.axis ?? 0}; expected ${cout} on axis 0`, 'inputs[1].quant.fl');
    return;
  }
  if (b) {
    requireDtype(ctx, b, 'int32', 'inputs[2]');
    const bfl = (b.quant as FixedQuant).fl;
    if (typeof bfl !== 'number' && bfl.length !== cout) {
      ctx.report('F8E047', `bias '${b.name}' has ${bfl.length} per-channel FLs; expected ${cout}`, 'inputs[2].quant.fl');
      return;
    }
  }
  const flo = flAt(out.quant);
  for (let c = 0; c < cout; c++) {
    const facc = flx + flAt(w.quant, c);
    if (b && flAt(b.quant, c) !== facc) {
      ctx.report('F8E043', `bias '${b.name}' channel ${c} has FL ${flAt(b.quant, c)}; expected FL_x + FL_w = ${flx} + ${flAt(w.quant, c)} = ${facc}`, 'inputs[2].quant.fl');
      return;
    }
    if (!checkShift(ctx, facc - flo, `requantisation of channel ${c} (FL ${facc} -> ${flo})`, 'outputs[0].quant.fl')) return;
  }
}

/** The element range an activation can take: [qmin, qmax] of its format. */
export function qrange(t: Tensor): [number, number] {
  return [t.quant.qmin, t.quant.qmax];
}

/** Largest |value| of a constant tensor's data (0 if none). */
export function maxAbsData(t: Tensor | undefined, from = 0, to?: number): number {
  if (!t?.data) return 0;
  let m = 0;
  const end = to ?? t.data.length;
  for (let i = from; i < end; i++) m = Math.max(m, Math.abs(t.data[i]!));
  return m;
}

export function maxAbsQ(t: Tensor): number {
  return Math.max(Math.abs(t.quant.qmin), Math.abs(t.quant.qmax));
}

export function dtypeFits(t: Tensor): boolean {
  const [lo, hi] = DTYPE_RANGE[t.dtype];
  return t.quant.qmin >= lo && t.quant.qmax <= hi && t.quant.qmin <= t.quant.qmax;
}

/** The attributes every convolution shares (fixed-point and affine). */
export interface ConvAttrs {
  strides: [number, number];
  dilations: [number, number];
  padding: Padding;
  groups: number;
}

/**
 * The sums of a convolution, before any rescale: for every output element
 * (NHWC index i, channel oc) acc = bias[oc] + sum over in-range taps of
 * (x - xOffset) * w; padded taps add nothing. Exact (no wrap: |acc| stays
 * far below 2^53); callers wrap to int32 and rescale in their own scheme.
 */
export function convSums(
  x: { tensor: Tensor; data: ArrayLike<number> },
  w: Tensor,
  bias: Tensor | undefined,
  a: ConvAttrs,
  xOffset: number,
  emit: (i: number, oc: number, acc: number) => void,
): void {
  const [, H, W, Cin] = x.tensor.shape as [number, number, number, number];
  const [Cout, KH, KW, CinG] = w.shape as [number, number, number, number];
  const { top, left, outH, outW } = resolveWindow(H, W, { kh: KH, kw: KW, strides: a.strides, dilations: a.dilations, padding: a.padding });
  const [sh, sw] = a.strides;
  const [dh, dw] = a.dilations;
  const coutG = Cout / a.groups;
  const wd = w.data!;
  const xd = x.data;
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      for (let oc = 0; oc < Cout; oc++) {
        const ic0 = Math.floor(oc / coutG) * CinG;
        let acc = bias ? bias.data![oc]! : 0;
        for (let ky = 0; ky < KH; ky++) {
          const iy = oy * sh - top + ky * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < KW; kx++) {
            const ix = ox * sw - left + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const xb = (iy * W + ix) * Cin + ic0;
            const wb = ((oc * KH + ky) * KW + kx) * CinG;
            for (let ic = 0; ic < CinG; ic++) acc += (xd[xb + ic]! - xOffset) * wd[wb + ic]!;
          }
        }
        emit((oy * outW + ox) * Cout + oc, oc, acc);
      }
    }
  }
}

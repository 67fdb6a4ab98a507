/**
 * Float64 evaluation of an FGraph (NHWC), for calibration: the real-valued
 * model that PTQ approximates. Sigmoid and tanh are the exact functions;
 * average pools divide by the same count as f8c's avg_pool.
 */
import { numel } from '../../ir/types.js';
import { resolveWindow, type Padding } from '../../ops/common.js';
import type { FGraph, FNode } from './fgraph.js';

type Vec = Float64Array;

function conv(n: FNode, x: Vec, xs: number[], os: number[]): Vec {
  const [, H, W, Cin] = xs as [number, number, number, number];
  const [Cout, KH, KW, CinG] = n.wShape as [number, number, number, number];
  const a = n.attrs as { strides: [number, number]; dilations: [number, number]; padding: Padding; groups: number };
  const { top, left } = resolveWindow(H, W, { kh: KH, kw: KW, strides: a.strides, dilations: a.dilations, padding: a.padding });
  const [, outH, outW] = os as [number, number, number, number];
  const out = new Float64Array(numel(os));
  const coutG = Cout / a.groups;
  const w = n.w!;
  for (let oy = 0; oy < outH; oy++)
    for (let ox = 0; ox < outW; ox++)
      for (let oc = 0; oc < Cout; oc++) {
        const ic0 = Math.floor(oc / coutG) * CinG;
        let acc = n.b ? n.b[oc]! : 0;
        for (let ky = 0; ky < KH; ky++) {
          const iy = oy * a.strides[0] - top + ky * a.dilations[0];
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < KW; kx++) {
            const ix = ox * a.strides[1] - left + kx * a.dilations[1];
            if (ix < 0 || ix >= W) continue;
            const xb = (iy * W + ix) * Cin + ic0;
            const wb = ((oc * KH + ky) * KW + kx) * CinG;
            for (let ic = 0; ic < CinG; ic++) acc += x[xb + ic]! * w[wb + ic]!;
          }
        }
        out[(oy * outW + ox) * Cout + oc] = acc;
      }
  return out;
}

function dense(n: FNode, x: Vec): Vec {
  const [N, K] = n.wShape as [number, number];
  const out = new Float64Array(N);
  for (let o = 0; o < N; o++) {
    let acc = n.b ? n.b[o]! : 0;
    for (let k = 0; k < K; k++) acc += x[k]! * n.w![o * K + k]!;
    out[o] = acc;
  }
  return out;
}

function pool(n: FNode, x: Vec, xs: number[], os: number[]): Vec {
  const [, H, W, C] = xs as [number, number, number, number];
  const a = n.attrs as { kernel: [number, number]; strides?: [number, number]; padding: Padding; count_include_pad?: boolean };
  const strides = a.strides ?? a.kernel;
  const { top, left, outH, outW } = resolveWindow(H, W, { kh: a.kernel[0], kw: a.kernel[1], strides, dilations: [1, 1], padding: a.padding });
  const out = new Float64Array(numel(os));
  const isMax = n.op === 'max_pool';
  for (let oy = 0; oy < outH; oy++)
    for (let ox = 0; ox < outW; ox++)
      for (let c = 0; c < C; c++) {
        let acc = isMax ? -Infinity : 0;
        let cnt = 0;
        for (let ky = 0; ky < a.kernel[0]; ky++) {
          const iy = oy * strides[0] - top + ky;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < a.kernel[1]; kx++) {
            const ix = ox * strides[1] - left + kx;
            if (ix < 0 || ix >= W) continue;
            const v = x[(iy * W + ix) * C + c]!;
            acc = isMax ? Math.max(acc, v) : acc + v;
            cnt++;
          }
        }
        out[(oy * outW + ox) * C + c] = isMax ? acc : acc / (a.count_include_pad ? a.kernel[0] * a.kernel[1] : cnt);
      }
  return out;
}

function concat(xs: Vec[], shapes: number[][], axis: number): Vec {
  const rank = shapes[0]!.length;
  const ax = axis < 0 ? axis + rank : axis;
  const outer = numel(shapes[0]!.slice(0, ax));
  const inner = (s: number[]) => numel(s.slice(ax));
  const out: number[] = [];
  for (let o = 0; o < outer; o++) xs.forEach((x, i) => out.push(...x.subarray(o * inner(shapes[i]!), (o + 1) * inner(shapes[i]!))));
  return Float64Array.from(out);
}

function pad(x: Vec, xs: number[], pads: [number, number][], value: number, os: number[]): Vec {
  const out = new Float64Array(numel(os)).fill(value);
  const rank = xs.length;
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0; i < x.length; i++) {
    let r = i;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d] = r % xs[d]!;
      r = Math.floor(r / xs[d]!);
    }
    let o = 0;
    for (let d = 0; d < rank; d++) o = o * os[d]! + idx[d]! + pads[d]![0];
    out[o] = x[i]!;
  }
  return out;
}

function softmax(x: Vec, row: number): Vec {
  const out = new Float64Array(x.length);
  for (let r = 0; r < x.length; r += row) {
    const s = x.subarray(r, r + row);
    const m = Math.max(...s);
    let sum = 0;
    for (let i = 0; i < row; i++) sum += out[r + i] = Math.exp(s[i]! - m);
    for (let i = 0; i < row; i++) out[r + i]! /= sum;
  }
  return out;
}

function evalNode(n: FNode, xs: Vec[], inShapes: number[][], os: number[]): Vec {
  switch (n.op) {
    case 'conv2d': return conv(n, xs[0]!, inShapes[0]!, os);
    case 'dense': return dense(n, xs[0]!);
    case 'add': return xs[0]!.map((v, i) => v + xs[1]![i]!);
    case 'relu': return xs[0]!.map((v) => Math.max(v, 0));
    case 'clip': return xs[0]!.map((v) => Math.min(Math.max(v, n.attrs.min as number), n.attrs.max as number));
    case 'max_pool': case 'avg_pool': return pool(n, xs[0]!, inShapes[0]!, os);
    case 'global_avg_pool': {
      const [, H, W, C] = inShapes[0] as [number, number, number, number];
      return pool({ ...n, attrs: { kernel: [H, W], padding: 'valid' } }, xs[0]!, inShapes[0]!, [1, 1, 1, C]);
    }
    case 'flatten': case 'reshape': return xs[0]!.slice();
    case 'concat': return concat(xs, inShapes, n.attrs.axis as number);
    case 'pad': return pad(xs[0]!, inShapes[0]!, n.attrs.pads as [number, number][], (n.attrs.value as number) ?? 0, os);
    case 'softmax': return softmax(xs[0]!, os[os.length - 1]!);
    case 'sigmoid': return xs[0]!.map((v) => 1 / (1 + Math.exp(-v)));
    case 'tanh': return xs[0]!.map(Math.tanh);
  }
}

/** Runs one item (inputs NHWC, real values); returns every tensor's values. */
export function evalFloat(g: FGraph, inputs: Map<string, ArrayLike<number>>): Map<string, Vec> {
  const vals = new Map<string, Vec>();
  for (const name of g.inputs) vals.set(name, Float64Array.from(inputs.get(name)!));
  for (const n of g.nodes) {
    const xs = n.inputs.map((i) => vals.get(i)!);
    let y = evalNode(n, xs, n.inputs.map((i) => g.shapes.get(i)!), g.shapes.get(n.output)!);
    if (n.act) {
      const { lo, hi } = n.act;
      y = y.map((v) => Math.min(Math.max(v, lo), hi));
    }
    vals.set(n.output, y);
  }
  return vals;
}

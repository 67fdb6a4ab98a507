/**
 * Single-layer affine (TFLite int8) conv2d / dense graphs for the Arm
 * kernels (runtime-c/arm/f8_tfl_mac_arm.c on the shift-only engines): the
 * shapes of grid.ts (band, im2col, 1x1, channel tails, strides, padding,
 * dilation, depthwise, grouped, dense) under double and single rounding,
 * zero points at the extremes (padded taps read Z_x), fused clamps,
 * per-channel and per-tensor multipliers, and multipliers at the extremes:
 * left shifts up to 30/31, shift -31 and multipliers flushed to 0.
 */
import type { AffineRounding, Graph } from '../../src/ir/types.js';
import { numel } from '../../src/ir/types.js';
import { Rng } from '../../src/util/rng.js';
import { affineGraph, type Spec } from '../runtime/affine-graph.js';
import { randomCases } from '../backend/util.js';
import { CONV_CASES, DENSE_CASES, type ConvCase } from './grid.js';

const ZX = [-128, 127, 0, 37];
const ZO = [-128, 127, -5, 0];
type Regime = 'normal' | 'left' | 'max-left' | 'tiny' | 'spread';
const REGIMES: Regime[] = ['normal', 'left', 'normal', 'tiny', 'spread', 'max-left'];

const scaleOf = (rng: Rng) => 2 ** rng.int(-9, -3) * (0.5 + rng.next());

interface Fmt {
  rounding: AffineRounding;
  zx: number;
  zo: number;
  perCh: boolean;
  regime: Regime;
  clamp: boolean;
}

function fmt(i: number): Fmt {
  return {
    rounding: i % 2 ? 'single' : 'double',
    zx: ZX[Math.floor(i / 3) % 4]!,
    zo: ZO[Math.floor(i / 5) % 4]!,
    perCh: i % 3 !== 1,
    regime: REGIMES[Math.floor(i / 2) % REGIMES.length]!,
    clamp: Math.floor(i / 7) % 3 === 1,
  };
}

/**
 * Weight scales and the output scale for n taps per output: 'normal' keeps
 * most outputs inside int8; 'left' and 'max-left' give real multipliers
 * 2^2..2^12 and about 2^30.5 (shift 31; single rounding caps it at 30);
 * 'tiny' about 2^-31.5 (shift -31, or a multiplier flushed to 0); 'spread'
 * per-channel multipliers from 2^-36 (flushed to 0) up to 2^13.
 */
function scales(rng: Rng, f: Fmt, cout: number, n: number): { sx: number; sw: number | number[]; so: number } {
  const sx = scaleOf(rng);
  let sw: number | number[] = f.perCh ? Array.from({ length: cout }, () => scaleOf(rng)) : scaleOf(rng);
  const w0 = typeof sw === 'number' ? sw : sw[0]!;
  if (f.regime === 'spread' && Array.isArray(sw)) sw = sw.map((s, c) => s * 2 ** (((c * 7) % 48) - 36));
  const so = {
    normal: () => sx * w0 * Math.sqrt(n) * 40 * (0.3 + rng.next()),
    left: () => (sx * w0) / 2 ** rng.int(2, 12),
    'max-left': () => (sx * w0) / 2 ** 30.5,
    tiny: () => sx * w0 * 2 ** 31.5,
    spread: () => sx * w0,
  }[f.regime]();
  return { sx, sw, so };
}

function outSpec(f: Fmt): Spec {
  return { name: 'y', scale: 1, zp: f.zo, ...(f.clamp ? { qmin: f.zo === 127 ? 0 : f.zo, qmax: Math.min(127, Math.max(f.zo, 0) + 40) } : {}) };
}

function bias(rng: Rng, i: number, cout: number): Spec[] {
  if (i % 3 === 2) return [];
  const b = rng.ints(cout, -20000, 20000);
  if (i % 5 === 0) b[0] = 2147483647;
  if (i % 7 === 3) b[cout - 1] = -2147483648;
  return [{ name: 'b', shape: [cout], dtype: 'int32', scale: 1, data: b }];
}

export function affineConvGraph(c: ConvCase, i: number): Graph {
  const rng = new Rng(3000 + i);
  const f = fmt(i);
  const groups = c.groups ?? 1;
  const n = c.k[0] * c.k[1] * (c.Cin / groups);
  const { sx, sw, so } = scales(rng, f, c.Cout, n);
  const ins: Spec[] = [
    { name: 'x', shape: [1, c.H, c.W, c.Cin], scale: sx, zp: f.zx },
    { name: 'w', shape: [c.Cout, c.k[0], c.k[1], c.Cin / groups], scale: sw, data: rng.ints(c.Cout * n, -127, 127) },
    ...bias(rng, i, c.Cout),
  ];
  const attrs = { strides: c.stride ?? [1, 1], dilations: c.dil ?? [1, 1], groups, padding: c.padding ?? 'same' };
  const g = affineGraph('conv2d', ins, { ...outSpec(f), scale: so }, attrs, f.rounding);
  return { ...g, name: `aconv${i}` };
}

export function affineDenseGraph(K: number, N: number, i: number): Graph {
  const rng = new Rng(4000 + i);
  const f = fmt(i);
  const { sx, sw, so } = scales(rng, f, N, K);
  const ins: Spec[] = [
    { name: 'x', shape: [1, K], scale: sx, zp: f.zx },
    { name: 'w', shape: [N, K], scale: sw, data: rng.ints(N * K, -127, 127) },
    ...bias(rng, i, N),
  ];
  const g = affineGraph('dense', ins, { ...outSpec(f), scale: so }, {}, f.rounding);
  return { ...g, name: `adense${i}` };
}

/** First layers of the MLPerf models: 1 and 3 input channels (per-tap im2col), strided. */
const FIRST_LAYERS: ConvCase[] = [
  { H: 9, W: 6, Cin: 1, Cout: 5, k: [5, 3], stride: [2, 2] },
  { H: 7, W: 7, Cin: 3, Cout: 8, k: [3, 3], stride: [2, 2] },
];

/** Every shape of grid.ts in 2 formats (conv) or 3 (dense), the formats in turn (fmt). */
export function affineArmGrid(): Graph[] {
  const gs: Graph[] = [];
  [...CONV_CASES, ...FIRST_LAYERS].forEach((c, j) => {
    for (let v = 0; v < 2; v++) gs.push(affineConvGraph(c, j * 2 + v));
  });
  DENSE_CASES.forEach(([K, N], j) => {
    for (let v = 0; v < 3; v++) gs.push(affineDenseGraph(K, N, j * 3 + v));
  });
  return gs;
}

/** One graph per shape (formats alternating) and 3 dense graphs: the QEMU subset (one firmware image per graph). */
export function affineMcuGrid(): Graph[] {
  const all = affineArmGrid();
  const nConv = CONV_CASES.length + FIRST_LAYERS.length;
  return [...all.slice(0, 2 * nConv).filter((_, i) => i % 2 === (i >> 1) % 2), ...all.slice(2 * nConv).filter((_, i) => i % 10 === 0)];
}

/** n random inputs, then the input all -128 and all 127 (the extreme sums). */
export function affineCases(g: Graph, n: number, seed: number): Map<string, number[]>[] {
  const x = g.inputs[0]!;
  const size = numel(g.tensors.get(x)!.shape);
  return [...randomCases(g, n, seed), new Map([[x, new Array<number>(size).fill(-128)]]), new Map([[x, new Array<number>(size).fill(127)]])];
}

/**
 * Single-layer conv2d / dense graphs over a grid of shapes, strides,
 * paddings, dilations, groups (depthwise), rounding modes, int8/uint8
 * inputs and outputs, per-tensor and per-channel weight formats, bias or
 * none, fused clamps: everything the Arm kernels dispatch on.
 */
import { GraphBuilder } from '../../src/ir/builder.js';
import type { Graph, Rounding } from '../../src/ir/types.js';
import { Rng } from '../../src/util/rng.js';

const ROUNDINGS: Rounding[] = ['half_even', 'half_up', 'half_away'];

export interface ConvCase {
  H: number;
  W: number;
  Cin: number;
  Cout: number;
  k: [number, number];
  stride?: [number, number];
  dil?: [number, number];
  groups?: number;
  padding?: 'same' | 'valid' | [number, number, number, number];
  /** Edits the OHWI weights (K per output channel), e.g. to put -128 where the packed layout cannot hold it. */
  wfix?: (w: number[], K: number) => void;
}

function fmt(rng: Rng, i: number) {
  const rounding = ROUNDINGS[i % 3]!;
  const uIn = i % 4 === 1;
  const uOut = i % 5 === 2;
  const perCh = i % 2 === 0;
  const clamp = i % 7 === 3 ? { lo: 0, hi: 6 * 16 } : undefined;
  const flOut = rng.int(-2, 6);
  return { rounding, uIn, uOut, perCh, clamp, flOut };
}

const biasFl = (wfl: number | number[]) => (typeof wfl === 'number' ? 5 + wfl : wfl.map((f) => 5 + f));

export function convGraph(c: ConvCase, i: number): Graph {
  const rng = new Rng(1000 + i);
  const f = fmt(rng, i);
  const groups = c.groups ?? 1;
  const cinG = c.Cin / groups;
  const b = new GraphBuilder(`conv${i}`);
  const x = b.input('x', [1, c.H, c.W, c.Cin], { dtype: f.uIn ? 'uint8' : 'int8', fl: 5 });
  const n = c.Cout * c.k[0] * c.k[1] * cinG;
  const wfl = f.perCh ? Array.from({ length: c.Cout }, () => rng.int(4, 7)) : 7;
  const wv = rng.ints(n, -127, 127);
  c.wfix?.(wv, n / c.Cout);
  const w = b.const('w', [c.Cout, c.k[0], c.k[1], cinG], { fl: wfl }, wv);
  const inputs = [x, w];
  if (i % 3 !== 2) {
    const bv = rng.ints(c.Cout, -20000, 20000);
    if (i % 11 === 0) bv[0] = 2147483647;
    if (i % 13 === 5) bv[bv.length - 1] = -2147483648;
    inputs.push(b.const('b', [c.Cout], { dtype: 'int32', fl: biasFl(wfl) }, bv));
  }
  const attrs: Record<string, unknown> = { strides: c.stride ?? [1, 1], dilations: c.dil ?? [1, 1], groups, padding: c.padding ?? 'same' };
  const y = b.layer('conv', 'conv2d', inputs, { name: 'y', dtype: f.uOut ? 'uint8' : 'int8', fl: f.flOut }, attrs, { rounding: f.rounding, ...(f.clamp ? { clamp: f.clamp } : {}) });
  b.output(y);
  return b.build();
}

export function denseGraph(K: number, N: number, i: number): Graph {
  const rng = new Rng(2000 + i);
  const f = fmt(rng, i);
  const b = new GraphBuilder(`dense${i}`);
  const x = b.input('x', [1, K], { dtype: f.uIn ? 'uint8' : 'int8', fl: 5 });
  const wfl = f.perCh ? Array.from({ length: N }, () => rng.int(4, 7)) : 7;
  const inputs = [x, b.const('w', [N, K], { fl: wfl }, rng.ints(N * K, -127, 127))];
  if (i % 3 !== 2) inputs.push(b.const('b', [N], { dtype: 'int32', fl: biasFl(wfl) }, rng.ints(N, -50000, 50000)));
  const y = b.layer('fc', 'dense', inputs, { name: 'y', dtype: f.uOut ? 'uint8' : 'int8', fl: f.flOut }, {}, { rounding: f.rounding, ...(f.clamp ? { clamp: f.clamp } : {}) });
  b.output(y);
  return b.build();
}

/** The shapes: k x k and 1x1 (groups 1, odd and even channel counts), depthwise, grouped. */
export const CONV_CASES: ConvCase[] = [
  { H: 6, W: 6, Cin: 16, Cout: 16, k: [3, 3] },
  { H: 7, W: 5, Cin: 16, Cout: 5, k: [3, 3], stride: [2, 2] }, // the int16 band with stride 2, 'same' padding, odd width, a channel tail
  { H: 5, W: 6, Cin: 3, Cout: 4, k: [3, 3], padding: 'valid' },
  { H: 4, W: 4, Cin: 12, Cout: 7, k: [1, 1] },
  { H: 3, W: 5, Cin: 7, Cout: 3, k: [1, 1], stride: [2, 1] },
  { H: 8, W: 7, Cin: 4, Cout: 6, k: [5, 3], dil: [1, 2], padding: [1, 2, 2, 1] },
  { H: 5, W: 5, Cin: 32, Cout: 9, k: [2, 2], stride: [2, 2], padding: 'valid' },
  { H: 9, W: 5, Cin: 8, Cout: 8, k: [3, 3], groups: 8 },
  { H: 7, W: 6, Cin: 6, Cout: 6, k: [3, 3], groups: 6, stride: [2, 2] },
  { H: 6, W: 6, Cin: 5, Cout: 5, k: [3, 3], groups: 5, dil: [2, 2] },
  { H: 5, W: 4, Cin: 4, Cout: 4, k: [5, 2], groups: 4, padding: [0, 1, 2, 0] },
  { H: 5, W: 5, Cin: 4, Cout: 8, k: [3, 3], groups: 4 },
  { H: 4, W: 4, Cin: 6, Cout: 4, k: [3, 3], groups: 2 },
  { H: 1, W: 1, Cin: 20, Cout: 3, k: [1, 1] },
  // the assembly chunk loop (K % 16 == 0) with a channel tail and an odd pixel count; 1x1 with chunks
  { H: 5, W: 5, Cin: 16, Cout: 17, k: [3, 3] },
  { H: 3, W: 3, Cin: 64, Cout: 6, k: [1, 1] },
  // packed weights (f8_conv2d_pk.c): more than 16 blocks and a channel tail; K = 288 (one pass for int8 input, two
  // for uint8), K = 576 (two passes); -128 weights: a = -128 everywhere (packed), b = -128 with a < 0 (not packable)
  { H: 5, W: 7, Cin: 16, Cout: 70, k: [3, 3] },
  { H: 4, W: 5, Cin: 32, Cout: 8, k: [3, 3], stride: [1, 2] },
  { H: 3, W: 4, Cin: 64, Cout: 5, k: [3, 3] },
  // passes splitting one kernel row (K = 528), and K > 2048 (not packed: the im2col path)
  { H: 2, W: 3, Cin: 528, Cout: 4, k: [1, 1] },
  { H: 2, W: 2, Cin: 256, Cout: 4, k: [3, 3] },
  { H: 4, W: 3, Cin: 16, Cout: 8, k: [1, 1], wfix: (w, K) => w.forEach((_, i) => { if (Math.floor(i / K) % 2 === 0 && i % 3 === 0) w[i] = -128; }) },
  { H: 3, W: 5, Cin: 16, Cout: 4, k: [3, 3], padding: [0, 2, 1, 0], wfix: (w, K) => { w[K + 5] = -128; w[5] = -3; } },
  // depthwise over blocks of 8 channels (Helium): full blocks and a tail, interior 3x3 windows, padding on every side, strides
  { H: 6, W: 5, Cin: 13, Cout: 13, k: [3, 3], groups: 13, padding: [1, 2, 2, 1] },
  { H: 7, W: 7, Cin: 24, Cout: 24, k: [3, 3], groups: 24, stride: [2, 1] },
  // Helium groups 1: 1x1 with padding, whole-vector rows (in_c % 16 == 0) with the 4-tap groups and single taps after
  // the chunks (K = 108: a gathered tail), 1x1 with stride 2, dilation over whole-vector taps
  { H: 4, W: 5, Cin: 16, Cout: 8, k: [1, 1], padding: [1, 0, 0, 1] },
  { H: 5, W: 4, Cin: 12, Cout: 8, k: [3, 3] },
  { H: 5, W: 5, Cin: 32, Cout: 6, k: [1, 1], stride: [2, 2] },
  { H: 7, W: 6, Cin: 16, Cout: 4, k: [3, 3], dil: [2, 2] },
  { H: 4, W: 3, Cin: 5, Cout: 8, k: [3, 3], padding: [2, 0, 1, 1] },
  // depthwise 3x3 stride 1 on the plane: u along x (H 1, even and odd widths), along y (W 1, the transposed plane), 'valid'
  { H: 1, W: 7, Cin: 3, Cout: 3, k: [3, 3], groups: 3 },
  { H: 5, W: 1, Cin: 9, Cout: 9, k: [3, 3], groups: 9, padding: [0, 1, 2, 1] },
  { H: 4, W: 6, Cin: 7, Cout: 7, k: [3, 3], groups: 7, padding: 'valid' },
  { H: 11, W: 3, Cin: 17, Cout: 17, k: [3, 3], groups: 17 },
  // DSP pair columns longer than 8 lines (the general assembly), and a plane over 2 KiB (one channel filled at a time)
  { H: 12, W: 10, Cin: 8, Cout: 8, k: [3, 3], groups: 8 },
  { H: 33, W: 31, Cin: 5, Cout: 5, k: [3, 3], groups: 5 },
];

/** Dense [K, N]. */
export const DENSE_CASES: [number, number][] = [[256, 10], [17, 5], [8, 4], [3, 1], [64, 9], [33, 12], [48, 7], [35, 6], [16, 3]];

/** The grid: every shape in 3 formats. */
export function armGrid(): Graph[] {
  const gs: Graph[] = [];
  CONV_CASES.forEach((c, j) => {
    for (let v = 0; v < 3; v++) gs.push(convGraph(c, j * 3 + v));
  });
  DENSE_CASES.forEach(([K, N], j) => {
    for (let v = 0; v < 3; v++) gs.push(denseGraph(K, N, j * 3 + v));
  });
  return gs;
}

/**
 * The affine (TFLite int8) C kernels (runtime-c/f8_tfl_*.c, and the pool
 * kernels the affine path reuses) against the interpreter's affine
 * semantics, through each layer's `lower()`: random geometry, zero points,
 * per-channel and per-tensor scales, folded biases, padding that reads Z_x,
 * fused clamps, double and single rounding; strict and ASan/UBSan builds.
 */
import { numel, type AffineRounding, type Graph } from '../../src/ir/types.js';
import { getOp } from '../../src/ops/registry.js';
import { opCtx } from '../../src/ops/context.js';
import { Rng } from '../../src/util/rng.js';
import { affineGraph, type Spec } from './affine-graph.js';
import { checkCases, type KCase } from './harness.js';

const scaleOf = (rng: Rng) => 2 ** rng.int(-9, -3) * (0.5 + rng.next());

/** Output range: full, ReLU-like (from Z_out), or ReLU6-like. */
function outRange(rng: Rng, zp: number): { qmin?: number; qmax?: number } {
  const r = rng.next();
  if (r < 0.2) return { qmin: zp };
  if (r < 0.3) return { qmin: zp, qmax: Math.min(127, zp + rng.int(5, 100)) };
  return {};
}

const inputsOf = (rng: Rng, g: Graph) => new Map(g.inputs.map((n) => [n, rng.ints(numel(g.tensors.get(n)!.shape), -128, 127)]));

function convCase(rng: Rng, i: number): KCase {
  for (;;) {
    const H = rng.int(1, 7);
    const W = rng.int(1, 7);
    const kind = rng.pick(['conv', 'dw', 'grouped'] as const);
    const Cin = kind === 'conv' ? rng.int(1, 5) : rng.int(1, 4) * (kind === 'grouped' ? 2 : 1);
    const groups = kind === 'conv' ? 1 : kind === 'dw' ? Cin : 2;
    const Cout = kind === 'dw' ? Cin * rng.int(1, 2) : groups * rng.int(1, 3);
    const KH = rng.int(1, 3);
    const KW = rng.int(1, 3);
    const strides = [rng.int(1, 2), rng.int(1, 2)];
    const dilations = rng.next() < 0.2 ? [2, 2] : [1, 1];
    const pr = rng.next();
    const padding = pr < 0.35 ? 'valid' : pr < 0.8 ? 'same' : [rng.int(0, 2), rng.int(0, 2), rng.int(0, 2), rng.int(0, 2)];
    if (padding === 'valid' && (dilations[0]! * (KH - 1) >= H || dilations[1]! * (KW - 1) >= W)) continue;
    const CinG = Cin / groups;
    const n = KH * KW * CinG;
    const sx = scaleOf(rng);
    const perChannel = rng.next() < 0.6;
    const sw = perChannel ? Array.from({ length: Cout }, () => scaleOf(rng)) : scaleOf(rng);
    const so = sx * (perChannel ? (sw as number[])[0]! : (sw as number)) * Math.sqrt(n) * 40 * (0.3 + rng.next());
    const zx = rng.pick([0, -128, rng.int(-128, 127)]);
    const zo = rng.pick([0, -128, rng.int(-100, 100)]);
    const ins: Spec[] = [
      { name: 'x', shape: [1, H, W, Cin], scale: sx, zp: zx },
      { name: 'w', shape: [Cout, KH, KW, CinG], scale: sw, data: rng.ints(Cout * n, -127, 127) },
    ];
    if (rng.next() < 0.75) ins.push({ name: 'b', shape: [Cout], dtype: 'int32', scale: 1, data: rng.ints(Cout, -20000, 20000) });
    const rounding: AffineRounding = rng.next() < 0.5 ? 'double' : 'single';
    try {
      const g = affineGraph('conv2d', ins, { name: 'y', scale: so, zp: zo, ...outRange(rng, zo) }, { strides, dilations, padding, groups }, rounding);
      return { label: `conv ${kind} ${H}x${W}x${Cin}->${Cout} k${KH}x${KW} s${strides} d${dilations} ${JSON.stringify(padding)} zx ${zx} zo ${zo} ${perChannel ? 'per-channel' : 'per-tensor'} ${rounding}`, graph: g, inputs: inputsOf(rng, g) };
    } catch {
      continue;
    }
  }
}

function denseCase(rng: Rng): KCase {
  const K = rng.int(1, 40);
  const N = rng.int(1, 12);
  const sx = scaleOf(rng);
  const perChannel = rng.next() < 0.5;
  const sw = perChannel ? Array.from({ length: N }, () => scaleOf(rng)) : scaleOf(rng);
  const so = sx * (perChannel ? (sw as number[])[0]! : (sw as number)) * Math.sqrt(K) * 40 * (0.3 + rng.next());
  const zx = rng.pick([0, -128, rng.int(-128, 127)]);
  const zo = rng.pick([0, rng.int(-128, 127)]);
  const ins: Spec[] = [
    { name: 'x', shape: [1, K], scale: sx, zp: zx },
    { name: 'w', shape: [N, K], scale: sw, data: rng.ints(N * K, -127, 127) },
  ];
  if (rng.next() < 0.7) ins.push({ name: 'b', shape: [N], dtype: 'int32', scale: 1, data: rng.ints(N, -30000, 30000) });
  const rounding: AffineRounding = rng.next() < 0.5 ? 'double' : 'single';
  const g = affineGraph('dense', ins, { name: 'y', scale: so, zp: zo, ...outRange(rng, zo) }, {}, rounding);
  return { label: `dense K${K} N${N} zx ${zx} zo ${zo} ${perChannel ? 'per-channel' : 'per-tensor'} ${rounding}`, graph: g, inputs: inputsOf(rng, g) };
}

function addCase(rng: Rng): KCase {
  const shape = rng.pick([[1, rng.int(1, 40)], [1, rng.int(1, 4), rng.int(1, 4), rng.int(1, 4)]]);
  const s1 = scaleOf(rng);
  const s2 = rng.next() < 0.2 ? s1 : scaleOf(rng);
  const zo = rng.int(-128, 127);
  const rounding: AffineRounding = rng.next() < 0.5 ? 'double' : 'single';
  const g = affineGraph(
    'add',
    [{ name: 'a', shape, scale: s1, zp: rng.int(-128, 127) }, { name: 'b', shape, scale: s2, zp: rng.int(-128, 127) }],
    { name: 'y', scale: Math.max(s1, s2) * (0.5 + 2 * rng.next()), zp: zo, ...outRange(rng, zo) },
    {},
    rounding,
  );
  return { label: `add [${shape}] ${rounding}`, graph: g, inputs: inputsOf(rng, g) };
}

function softmaxCase(rng: Rng): KCase {
  const n = rng.pick([1, 2, 10, rng.int(1, 300)]);
  const rows = rng.int(1, 3);
  const rounding: AffineRounding = rng.next() < 0.5 ? 'double' : 'single';
  const sx = rng.pick([scaleOf(rng), 0.1 + rng.next(), 1 / 16]);
  const beta = rng.pick([1, 1, 0.5 + rng.next()]);
  const g = affineGraph('softmax', [{ name: 'x', shape: [rows, n], scale: sx, zp: rng.int(-128, 127) }], { name: 'y', scale: 1 / 256, zp: -128 }, { variant: 'tflite', beta }, rounding);
  return { label: `softmax ${rows}x${n} S ${sx} beta ${beta} ${rounding}`, graph: g, inputs: inputsOf(rng, g) };
}

function poolCase(rng: Rng, op: 'max_pool' | 'avg_pool'): KCase {
  for (;;) {
    const H = rng.int(1, 7);
    const W = rng.int(1, 7);
    const C = rng.int(1, 4);
    const kh = rng.int(1, 3);
    const kw = rng.int(1, 3);
    const padding = rng.next() < 0.5 ? 'valid' : 'same';
    if (padding === 'valid' && (kh > H || kw > W)) continue;
    const s = scaleOf(rng);
    const zp = rng.int(-128, 127);
    const range = outRange(rng, zp);
    const g = affineGraph(op, [{ name: 'x', shape: [1, H, W, C], scale: s, zp }], { name: 'y', scale: s, zp, ...range }, { kernel: [kh, kw], strides: [rng.int(1, 2), rng.int(1, 2)], padding }, 'double', op === 'avg_pool' ? 'half_away' : 'half_even');
    return { label: `${op} ${H}x${W}x${C} k${kh}x${kw} ${padding}`, graph: g, inputs: inputsOf(rng, g) };
  }
}

describe('affine C kernels equal the interpreter (strict and sanitizer builds)', () => {
  test('conv2d (plain, depthwise, grouped), dense, add, softmax, max/avg pool: 200 random layers', async () => {
    const rng = new Rng(8);
    const cases: KCase[] = [];
    for (let i = 0; i < 70; i++) cases.push(convCase(rng, i));
    for (let i = 0; i < 40; i++) cases.push(denseCase(rng));
    for (let i = 0; i < 30; i++) cases.push(addCase(rng));
    for (let i = 0; i < 30; i++) cases.push(softmaxCase(rng));
    for (let i = 0; i < 15; i++) cases.push(poolCase(rng, 'max_pool'), poolCase(rng, 'avg_pool'));
    expect(await checkCases(cases)).toEqual([]);
  }, 120_000);
});

/** Power-of-two scales, zero points 0: single rounding (any k) or double rounding with M = 1/2. */
function pow2Case(rng: Rng, i: number): KCase {
  const rounding: AffineRounding = i % 2 ? 'double' : 'single';
  const dense = i % 3 === 0;
  const sx = 2 ** -rng.int(2, 6);
  const perChannel = rng.next() < 0.5;
  const cout = rng.int(1, 6);
  const k = () => (rounding === 'double' ? 1 : rng.int(-2, 8));
  const sw = perChannel ? Array.from({ length: cout }, () => 2 ** -rng.int(4, 8)) : 2 ** -rng.int(4, 8);
  const w0 = perChannel ? (sw as number[])[0]! : (sw as number);
  const kk = k();
  // S_out = S_x * S_w[c] * 2^k for channel 0; other channels: their own power of two (double: the same k)
  const so = sx * w0 * 2 ** kk;
  if (perChannel && rounding === 'double') for (let c = 0; c < cout; c++) (sw as number[])[c] = w0;
  const bias = rng.next() < 0.7 ? [{ name: 'b', shape: [cout], dtype: 'int32' as const, scale: 1, data: rng.ints(cout, -3000, 3000) }] : [];
  const zo = 0;
  const g = dense
    ? affineGraph('dense', [{ name: 'x', shape: [1, 9], scale: sx }, { name: 'w', shape: [cout, 9], scale: sw, data: rng.ints(cout * 9, -127, 127) }, ...bias], { name: 'y', scale: so, zp: zo, ...outRange(rng, zo) }, {}, rounding)
    : affineGraph('conv2d', [{ name: 'x', shape: [1, 4, 5, 2], scale: sx }, { name: 'w', shape: [cout, 3, 3, 2], scale: sw, data: rng.ints(cout * 18, -127, 127) }, ...bias], { name: 'y', scale: so, zp: zo, ...outRange(rng, zo) }, { padding: 'same' }, rounding);
  return { label: `pow2 ${dense ? 'dense' : 'conv'} ${rounding} k ${kk} ${perChannel ? 'per-channel' : 'per-tensor'}`, graph: g, inputs: inputsOf(rng, g) };
}

test('power-of-two scales with zero points 0 lower to the fixed-point kernels (shift-only) and stay bit-exact', async () => {
  const rng = new Rng(21);
  const cases = Array.from({ length: 30 }, (_, i) => pow2Case(rng, i));
  for (const c of cases) {
    const l = c.graph.layers[0]!;
    const fn = getOp(l.op).lower!(opCtx(c.graph, l), { name: 'host', dsp: false, mve: false }, 'portable')[0]!.fn;
    expect([c.label, fn]).toEqual([c.label, l.op === 'dense' ? 'f8_dense_s8' : 'f8_conv2d_s8']);
  }
  expect(await checkCases(cases)).toEqual([]);
}, 60_000);

/**
 * The affine global_avg_pool (TFLite's int8 MEAN over H and W,
 * runtime-c/f8_tfl_mean.c) against the interpreter through `lower()`,
 * strict and ASan/UBSan builds: random H x W (1..40 x 1..40, so n is often
 * not a power of two), scales, zero points, output ranges, both roundings.
 * The interpreter is checked first against an independent BigInt
 * transliteration of QuantizedMeanOrSum's arithmetic.
 */
import { DTYPE_RANGE, numel, type AffineRounding, type Graph, type Tensor } from '../../src/ir/types.js';
import { getOp } from '../../src/ops/registry.js';
import { opCtx } from '../../src/ops/context.js';
import { runGraph } from '../../src/interp/interpreter.js';
import { trivialPlan } from '../../src/plan/trivial.js';
import { quantizeMultiplier } from '../../src/arith/tflite.js';
import { Rng } from '../../src/util/rng.js';
import { checkCases, type KCase } from './harness.js';

function meanGraph(H: number, W: number, C: number, sIn: number, zIn: number, sOut: number, zOut: number, qmin: number, qmax: number, rounding: AffineRounding): Graph {
  const [lo, hi] = DTYPE_RANGE.int8;
  const x: Tensor = { name: 'x', shape: [1, H, W, C], dtype: 'int8', quant: { kind: 'affine', scale: sIn, zeroPoint: zIn, qmin: lo, qmax: hi } };
  const y: Tensor = { name: 'y', shape: [1, 1, 1, C], dtype: 'int8', quant: { kind: 'affine', scale: sOut, zeroPoint: zOut, qmin, qmax } };
  const g: Graph = {
    name: 'k',
    source: { file: '<k>', hash: '', layout: 'nhwc' },
    inputs: ['x'],
    outputs: ['y'],
    tensors: new Map([['x', x], ['y', y]]),
    layers: [{ name: 'l', op: 'global_avg_pool', inputs: ['x'], outputs: ['y'], attrs: {}, rounding: 'half_even' }],
    affineRounding: rounding,
  };
  const problems: string[] = [];
  getOp('global_avg_pool').checkFormats(opCtx(g, g.layers[0]!, (code, msg) => problems.push(`${code} ${msg}`)));
  if (problems.length) throw new Error(problems.join('; '));
  return g;
}

/** QuantizedMeanOrSum (compute_sum false) in BigInt: the reference's steps, one by one. */
function reference(x: number[], H: number, W: number, C: number, sIn: number, zIn: number, sOut: number, zOut: number, rounding: AffineRounding): number[] {
  const { multiplier, shift } = quantizeMultiplier(sIn / sOut, rounding);
  const n = BigInt(H * W);
  let k = 63 - (64 - n.toString(2).length); // 63 - CountLeadingZeros(n)
  k = Math.min(k, 32, 31 + shift);
  const M = (BigInt(multiplier) << BigInt(k)) / n;
  const s = shift - k;
  const tdiv = (a: bigint, b: bigint) => a / b; // BigInt division truncates, as C
  const mbqm = (v: bigint): bigint => {
    if (rounding === 'single') return (v * M + (1n << BigInt(30 - s))) >> BigInt(31 - s);
    const left = s > 0 ? s : 0;
    const right = s > 0 ? 0 : -s;
    const ab = BigInt.asIntN(32, v << BigInt(left)) * M;
    const hi = tdiv(ab + (ab >= 0n ? 1n << 30n : 1n - (1n << 30n)), 1n << 31n);
    if (right === 0) return hi;
    const mask = (1n << BigInt(right)) - 1n;
    const rem = hi & mask;
    const thr = (mask >> 1n) + (hi < 0n ? 1n : 0n);
    return (hi >> BigInt(right)) + (rem > thr ? 1n : 0n);
  };
  return Array.from({ length: C }, (_, c) => {
    let sum = 0n;
    for (let i = 0; i < H * W; i++) sum += BigInt(x[i * C + c]!);
    const v = Number(mbqm(sum - BigInt(zIn) * n)) + zOut;
    return Math.max(-128, Math.min(127, v));
  });
}

function meanCase(rng: Rng, i: number): KCase & { ref: number[] } {
  const H = rng.int(1, i % 5 === 0 ? 40 : 7);
  const W = rng.int(1, i % 5 === 0 ? 40 : 7);
  const C = rng.int(1, 5);
  const rounding: AffineRounding = i % 2 ? 'double' : 'single';
  const sIn = Math.fround(2 ** rng.int(-9, -2) * (0.5 + rng.next()));
  const sOut = rng.pick([sIn, Math.fround(sIn * (0.25 + 2 * rng.next())), Math.fround(sIn / (H * W))]);
  const zIn = rng.int(-128, 127);
  const zOut = rng.int(-128, 127);
  const clamp = rng.next() < 0.2;
  const g = meanGraph(H, W, C, sIn, zIn, sOut, zOut, clamp ? zOut : -128, 127, rounding);
  const x = rng.next() < 0.15 ? Array(numel([H, W, C])).fill(rng.pick([-128, 127])) : rng.ints(H * W * C, -128, 127);
  const ref = reference(x, H, W, C, sIn, zIn, sOut, zOut, rounding).map((v) => Math.max(clamp ? zOut : -128, v));
  return { label: `mean ${H}x${W}x${C} S ${sIn}->${sOut} Z ${zIn}->${zOut} ${rounding}`, graph: g, inputs: new Map([['x', x]]), ref };
}

describe('affine global_avg_pool (TFLite MEAN)', () => {
  const rng = new Rng(40);
  const cases = Array.from({ length: 80 }, (_, i) => meanCase(rng, i));

  test('interpreter equals a BigInt transliteration of QuantizedMeanOrSum', () => {
    for (const c of cases) {
      const out = runGraph(c.graph, trivialPlan(c.graph), c.inputs).outputs.get('y')!;
      expect([c.label, Array.from(out)]).toEqual([c.label, c.ref]);
    }
  });

  test('C kernel equals the interpreter: 80 random layers (strict, ASan/UBSan)', async () => {
    expect(await checkCases(cases)).toEqual([]);
  }, 120_000);
});

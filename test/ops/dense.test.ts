import { GraphBuilder, type FormatSpec } from '../../src/ir/builder.js';
import { runGraph } from '../../src/interp/interpreter.js';
import { trivialPlan } from '../../src/plan/trivial.js';
import { opCtx } from '../../src/ops/context.js';
import { dense } from '../../src/ops/dense.js';
import type { Clamp, Layer, Rounding } from '../../src/ir/types.js';

const MODES = ['half_even', 'half_up', 'half_away'] as const;

interface Case {
  x: FormatSpec;
  xv: number[];
  w: FormatSpec;
  wv: number[];
  n: number;
  b?: { fl: number | number[]; v: number[] };
  out: FormatSpec;
  rounding?: Rounding;
  clamp?: Clamp;
}

/** Builds x -> dense -> y and runs it; returns y's elements. */
function run(c: Case): number[] {
  const K = c.xv.length;
  const b = new GraphBuilder('t');
  const x = b.input('x', [1, K], c.x);
  const w = b.const('w', [c.n, K], c.w, c.wv);
  const ins = [x, w];
  if (c.b) ins.push(b.const('b', [c.n], { dtype: 'int32', fl: c.b.fl }, c.b.v));
  b.layer('d', 'dense', ins, { name: 'y', ...c.out }, {}, { rounding: c.rounding ?? 'half_even', ...(c.clamp ? { clamp: c.clamp } : {}) });
  b.output('y');
  const g = b.build();
  return Array.from(runGraph(g, trivialPlan(g), new Map([['x', c.xv]])).outputs.get('y')!);
}

describe('dense: values', () => {
  test('rounding ties in all three modes (n = 1)', () => {
    // x at FL 1 = [1, 2]; w at FL 0; acc at FL 1; out FL 0: acc / 2.
    // rows: [1,1] -> 3 -> 1.5   [-1,-1] -> -3 -> -1.5   [1,2] -> 5 -> 2.5
    //       [-1,-2] -> -5 -> -2.5   [2,0] -> 2 -> 1   [1,0] -> 1 -> 0.5
    const expected: Record<Rounding, number[]> = {
      half_even: [2, -2, 2, -2, 1, 0],
      half_up: [2, -1, 3, -2, 1, 1],
      half_away: [2, -2, 3, -3, 1, 1],
    };
    for (const mode of MODES) {
      const y = run({ x: { fl: 1 }, xv: [1, 2], w: { fl: 0 }, wv: [1, 1, -1, -1, 1, 2, -1, -2, 2, 0, 1, 0], n: 6, out: { fl: 0 }, rounding: mode });
      expect(y).toEqual(expected[mode]);
    }
  });

  test('non-tie rounding with n = 2 is the same in every mode', () => {
    // x FL 2 = [5, 7]; w FL 0 rows [1,0] [0,1] [-1,0] [0,-1]; out FL 0: acc / 4.
    // 5/4 = 1.25 -> 1; 7/4 = 1.75 -> 2; -1.25 -> -1; -1.75 -> -2.
    for (const mode of MODES) {
      const y = run({ x: { fl: 2 }, xv: [5, 7], w: { fl: 0 }, wv: [1, 0, 0, 1, -1, 0, 0, -1], n: 4, out: { fl: 0 }, rounding: mode });
      expect(y).toEqual([1, 2, -1, -2]);
    }
  });

  test('bias at FL_x + FL_w and negative values', () => {
    // x FL 2 = [4, -8]; w FL 1; acc and bias at FL 3; out FL 1: n = 2 (acc / 4).
    // row0 w [2, 1]  b 10: 8 - 8 + 10 = 10 -> 2.5 -> 2 (half_even)
    // row1 w [-3, 0] b -7: -12 - 7 = -19 -> -4.75 -> -5
    // row2 w [1, 1]  b 1: 4 - 8 + 1 = -3 -> -0.75 -> -1
    // row3 w [0, 0]  b 6: 6 -> 1.5 -> 2 (half_even)
    const y = run({ x: { fl: 2 }, xv: [4, -8], w: { fl: 1 }, wv: [2, 1, -3, 0, 1, 1, 0, 0], n: 4, b: { fl: 3, v: [10, -7, 1, 6] }, out: { fl: 1 } });
    expect(y).toEqual([2, -5, -1, 2]);
  });

  test('saturation at both ends, with full, narrowed and fused-clamp bounds', () => {
    // all FL 0, n = 0. x = [100, 100]; rows [1,1] [-1,-1] [1,0] [0,-1] -> 200, -200, 100, -100.
    const base = { x: { fl: 0 }, xv: [100, 100], w: { fl: 0 }, wv: [1, 1, -1, -1, 1, 0, 0, -1], n: 4 };
    // int8 [-128, 127]: 200 -> 127, -200 -> -128.
    expect(run({ ...base, out: { fl: 0 } })).toEqual([127, -128, 100, -100]);
    // narrowed [-127, 50]: 200 -> 50, -200 -> -127, 100 -> 50.
    expect(run({ ...base, out: { fl: 0, qmin: -127, qmax: 50 } })).toEqual([50, -127, 50, -100]);
    // fused clamp [0, 127] (a relu): negatives -> 0.
    expect(run({ ...base, out: { fl: 0 }, clamp: { lo: 0, hi: 127 } })).toEqual([127, 0, 100, 0]);
  });

  test('uint8 input; int8 and uint8 outputs', () => {
    // x uint8 FL 0 = [255, 200]; rows [1,-1] [-1,0] [1,1] -> 55, -255, 455.
    const base = { x: { dtype: 'uint8' as const, fl: 0 }, xv: [255, 200], w: { fl: 0 }, wv: [1, -1, -1, 0, 1, 1], n: 3 };
    expect(run({ ...base, out: { fl: 0 } })).toEqual([55, -128, 127]);
    expect(run({ ...base, out: { dtype: 'uint8', fl: 0 } })).toEqual([55, 0, 255]);
  });

  test('FL increase: saturating left shift (n = -2)', () => {
    // x FL 0 = [8, 1]; w FL 0; out FL 2: acc * 4, saturated to [-128, 127].
    // [1,0] -> 8 -> 32;  [3,7] -> 31 -> 124;  [4,0] -> 32 -> 128 -> 127;
    // [-4,0] -> -32 -> -128 (exact);  [-4,-1] -> -33 -> -132 -> -128;  [0,-5] -> -5 -> -20.
    const y = run({ x: { fl: 0 }, xv: [8, 1], w: { fl: 0 }, wv: [1, 0, 3, 7, 4, 0, -4, 0, -4, -1, 0, -5], n: 6, out: { fl: 2 } });
    expect(y).toEqual([32, 124, 127, -128, -128, -20]);
  });

  test('per-output-channel weight FL with per-channel bias', () => {
    // x FL 2 = [6, 0]; w FL [0,1,2,3], every row [1, 0] -> acc 6 at FL 2,3,4,5.
    // bias FL [2,3,4,5] = [-1, 0, -2, 10] -> acc 5, 6, 4, 16. out FL 1: n = 1, 2, 3, 4.
    // 5/2 = 2.5; 6/4 = 1.5; 4/8 = 0.5; 16/16 = 1.
    const c = { x: { fl: 2 }, xv: [6, 0], w: { fl: [0, 1, 2, 3] }, wv: [1, 0, 1, 0, 1, 0, 1, 0], n: 4, b: { fl: [2, 3, 4, 5], v: [-1, 0, -2, 10] }, out: { fl: 1 } };
    expect(run({ ...c, rounding: 'half_even' })).toEqual([2, 2, 0, 1]);
    expect(run({ ...c, rounding: 'half_up' })).toEqual([3, 2, 1, 1]);
  });

  test('the accumulator wraps modulo 2^32', () => {
    // bias 2^31 - 1 plus 1*1 = 2^31 wraps to -2^31; n = 0 -> saturates to -128 (127 without the wrap).
    const y = run({ x: { fl: 0 }, xv: [1], w: { fl: 0 }, wv: [1], n: 1, b: { fl: 0, v: [2147483647] }, out: { fl: 0 } });
    expect(y).toEqual([-128]);
  });
});

/** Builds a graph with the given tensors and one dense layer by hand (bypassing the builder's checks). */
function diagnose(p: { xShape?: number[]; x?: FormatSpec; wShape?: number[]; w?: FormatSpec; wv?: number[]; b?: { shape: number[]; fl: number | number[] }; out?: FormatSpec }): string[] {
  const gb = new GraphBuilder('bad');
  const xShape = p.xShape ?? [1, 2];
  const wShape = p.wShape ?? [3, 2];
  gb.input('x', xShape, p.x ?? { fl: 0 });
  gb.const('w', wShape, p.w ?? { fl: 0 }, p.wv ?? new Array(wShape.reduce((a, b) => a * b, 1)).fill(1));
  const inputs = ['x', 'w'];
  if (p.b) {
    gb.const('b', p.b.shape, { dtype: 'int32', fl: p.b.fl }, new Array(p.b.shape[0]).fill(0));
    inputs.push('b');
  }
  gb.input('y', [1, wShape[0]!], p.out ?? { fl: 0 });
  const g = gb.build();
  const layer: Layer = { name: 'd', op: 'dense', inputs, outputs: ['y'], attrs: dense.attrs.parse({}), rounding: 'half_even' };
  g.layers.push(layer);
  const codes: string[] = [];
  const ctx = opCtx(g, layer, (code) => void codes.push(code));
  if (dense.inferShape(ctx)) dense.checkFormats(ctx);
  return codes;
}

describe('dense: shapes and checks', () => {
  test('output shape [1, N], MACs N*K, accumulator bound', () => {
    const b = new GraphBuilder('t');
    const x = b.input('x', [1, 3], { fl: 0 });
    const w = b.const('w', [2, 3], { fl: 0 }, [1, -2, 3, 0, 0, -5]);
    const bias = b.const('b', [2], { dtype: 'int32', fl: 0 }, [-100, 7]);
    b.layer('d', 'dense', [x, w, bias], { name: 'y', fl: 0 });
    const g = b.build();
    expect(g.tensors.get('y')!.shape).toEqual([1, 2]);
    const ctx = opCtx(g, g.layers[0]!);
    expect(dense.macs(ctx)).toBe(6);
    // row0: (1+2+3)*128 + 100 = 868; row1: 5*128 + 7 = 647.
    expect(dense.accBound!(ctx).maxAbs).toBe(868);
    expect(dense.scratch(ctx, { name: 'host', dsp: false, mve: false }, 'portable')).toBe(0);
  });

  test('a well-formed layer reports nothing', () => {
    expect(diagnose({ b: { shape: [3], fl: 0 } })).toEqual([]);
  });
  test('input not 2-D: F8E030', () => expect(diagnose({ xShape: [1, 1, 2] })).toEqual(['F8E030']));
  test('weight not 2-D: F8E030', () => expect(diagnose({ wShape: [6] })).toEqual(['F8E030']));
  test('weight K differs from input K: F8E030', () => expect(diagnose({ wShape: [3, 4] })).toEqual(['F8E030']));
  test('bias of the wrong length: F8E030', () => expect(diagnose({ b: { shape: [2], fl: 0 } })).toEqual(['F8E030']));
  test('int16 input: F8E042', () => expect(diagnose({ x: { dtype: 'int16', fl: 0 } })).toEqual(['F8E042']));
  test('int32 output: F8E042', () => expect(diagnose({ out: { dtype: 'int32', fl: 0 } })).toEqual(['F8E042']));
  test('uint8 weight: F8E042', () => expect(diagnose({ w: { dtype: 'uint8', fl: 0 } })).toEqual(['F8E042']));
  test('per-channel weight FL of the wrong length: F8E047', () => expect(diagnose({ w: { fl: [0, 1] } })).toEqual(['F8E047']));
  test('bias FL not FL_x + FL_w: F8E043', () => expect(diagnose({ x: { fl: 2 }, w: { fl: 3 }, b: { shape: [3], fl: 4 } })).toEqual(['F8E043']));
  test('requantisation shift beyond 31: F8E044', () => expect(diagnose({ x: { fl: 20 }, w: { fl: 20 }, out: { fl: 0 } })).toEqual(['F8E044']));
  test('attributes are strict', () => expect(dense.attrs.safeParse({ units: 3 }).success).toBe(false));
});

import { GraphBuilder, type FormatSpec } from '../../src/ir/builder.js';
import { runGraph } from '../../src/interp/interpreter.js';
import { trivialPlan } from '../../src/plan/trivial.js';
import { opCtx } from '../../src/ops/context.js';
import { getOp } from '../../src/ops/registry.js';
import type { Clamp, Layer, OpKind, Rounding } from '../../src/ir/types.js';

const MODES = ['half_even', 'half_up', 'half_away'] as const;
type PoolKind = 'max_pool' | 'avg_pool' | 'global_avg_pool';

interface Case {
  op: PoolKind;
  shape: number[];
  x?: FormatSpec;
  xv: number[];
  out?: FormatSpec;
  attrs?: Record<string, unknown>;
  rounding?: Rounding;
  clamp?: Clamp;
}

/** Builds x -> pool -> y and runs it; returns y's shape and elements. */
function run(c: Case): { shape: number[]; y: number[] } {
  const b = new GraphBuilder('t');
  const x = b.input('x', c.shape, c.x ?? { fl: 0 });
  b.layer('p', c.op, [x], { name: 'y', ...(c.out ?? { fl: 0 }) }, c.attrs ?? {}, { rounding: c.rounding ?? 'half_even', ...(c.clamp ? { clamp: c.clamp } : {}) });
  b.output('y');
  const g = b.build();
  const y = Array.from(runGraph(g, trivialPlan(g), new Map([['x', c.xv]])).outputs.get('y')!);
  return { shape: g.tensors.get('y')!.shape, y };
}

describe('max_pool: values', () => {
  test('2x2 windows, strides default to the kernel, negative values', () => {
    //  1  -5 |  3   4        max: 1 | 4
    // -2  -7 | -8   0             -----
    // -9 -10 |  6  -1            -3 | 6
    // -3  -4 |-128  2
    const r = run({ op: 'max_pool', shape: [1, 4, 4, 1], xv: [1, -5, 3, 4, -2, -7, -8, 0, -9, -10, 6, -1, -3, -4, -128, 2], attrs: { kernel: [2, 2] } });
    expect(r.shape).toEqual([1, 2, 2, 1]);
    expect(r.y).toEqual([1, 4, -3, 6]);
  });

  test('channels are pooled separately (NHWC)', () => {
    // pixels (0,0)=[1,-1] (0,1)=[2,-2] (1,0)=[-3,3] (1,1)=[0,0] -> [2, 3]
    const r = run({ op: 'max_pool', shape: [1, 2, 2, 2], xv: [1, -1, 2, -2, -3, 3, 0, 0], attrs: { kernel: [2, 2] } });
    expect(r.y).toEqual([2, 3]);
  });

  test('rounding ties in all three modes when FL drops by 1', () => {
    // kernel 2x1: column max of row0 [3,-3,5,-5,1,-1] and row1 [-4,-9,0,-128,1,-2]
    // = [3,-3,5,-5,1,-1] at FL 1 -> FL 0: 1.5, -1.5, 2.5, -2.5, 0.5, -0.5
    const expected: Record<Rounding, number[]> = {
      half_even: [2, -2, 2, -2, 0, 0],
      half_up: [2, -1, 3, -2, 1, 0],
      half_away: [2, -2, 3, -3, 1, -1],
    };
    for (const mode of MODES) {
      const r = run({ op: 'max_pool', shape: [1, 2, 6, 1], x: { fl: 1 }, xv: [3, -3, 5, -5, 1, -1, -4, -9, 0, -128, 1, -2], out: { fl: 0 }, attrs: { kernel: [2, 1] }, rounding: mode });
      expect(r.y).toEqual(expected[mode]);
    }
  });

  test('FL increase by 2: saturating left shift at both ends, full and narrowed bounds', () => {
    // kernel 1x2 pairs (10,-3) (31,32) (-40,-33) (-32,-50) -> max 10, 32, -33, -32
    // * 4 = 40, 128 -> 127, -132 -> -128, -128 (exact)
    const c: Case = { op: 'max_pool', shape: [1, 1, 8, 1], xv: [10, -3, 31, 32, -40, -33, -32, -50], out: { fl: 2 }, attrs: { kernel: [1, 2] } };
    expect(run(c).y).toEqual([40, 127, -128, -128]);
    // narrowed [-100, 100]: 40, 100, -100, -100
    expect(run({ ...c, out: { fl: 2, qmin: -100, qmax: 100 } }).y).toEqual([40, 100, -100, -100]);
  });

  test('uint8 input to int8 output with FL 1 -> 0, and int8 to uint8', () => {
    // pairs (255,254) (3,2) (0,1) -> 255, 3, 1 at FL 1 -> 127.5 -> 128 (even) -> 127; 1.5 -> 2; 0.5 -> 0
    const a = run({ op: 'max_pool', shape: [1, 1, 6, 1], x: { dtype: 'uint8', fl: 1 }, xv: [255, 254, 3, 2, 0, 1], out: { fl: 0 }, attrs: { kernel: [1, 2] } });
    expect(a.y).toEqual([127, 2, 0]);
    // int8 (-5,-3) (7,2) -> -3 -> 0 (uint8 floor), 7
    const b = run({ op: 'max_pool', shape: [1, 1, 4, 1], xv: [-5, -3, 7, 2], out: { dtype: 'uint8', fl: 0 }, attrs: { kernel: [1, 2] } });
    expect(b.y).toEqual([0, 7]);
  });

  test("'same' padding puts the odd extra row/column at the end; padded cells are ignored", () => {
    // 3x3, kernel 2x2, stride 2: out 2x2, total pad 1 -> top/left 0, bottom/right 1.
    // -1 -2 -3
    // -4 -5 -6    windows {-1,-2,-4,-5} {-3,-6} {-7,-8} {-9}
    // -7 -8 -9    (were padding read as 0, every output would be 0)
    const r = run({ op: 'max_pool', shape: [1, 3, 3, 1], xv: [-1, -2, -3, -4, -5, -6, -7, -8, -9], attrs: { kernel: [2, 2], padding: 'same' } });
    expect(r.shape).toEqual([1, 2, 2, 1]);
    expect(r.y).toEqual([-1, -3, -7, -9]);
  });

  test('explicit padding with strides', () => {
    // W 5, kernel 1x3, stride 2, pad left 2 right 1: outW = (5+3-3)/2+1 = 3.
    // windows cols [-2..0] [0..2] [2..4] of [-6, 5, -3, -4, -5] -> -6, 5, -3
    const r = run({ op: 'max_pool', shape: [1, 1, 5, 1], xv: [-6, 5, -3, -4, -5], attrs: { kernel: [1, 3], strides: [1, 2], padding: [0, 2, 0, 1] } });
    expect(r.shape).toEqual([1, 1, 3, 1]);
    expect(r.y).toEqual([-6, 5, -3]);
  });
});

describe('avg_pool: values', () => {
  test('rounding ties in all three modes (count 4)', () => {
    // kernel 2x2 over 2x8: sums 1+2+3+4 = 10, -10, 1+1+2+2 = 6, -6 -> 2.5, -2.5, 1.5, -1.5
    const expected: Record<Rounding, number[]> = {
      half_even: [2, -2, 2, -2],
      half_up: [3, -2, 2, -1],
      half_away: [3, -3, 2, -2],
    };
    const xv = [1, 2, -1, -2, 1, 1, -1, -1, 3, 4, -3, -4, 2, 2, -2, -2];
    for (const mode of MODES) {
      const r = run({ op: 'avg_pool', shape: [1, 2, 8, 1], xv, attrs: { kernel: [2, 2] }, rounding: mode });
      expect(r.shape).toEqual([1, 1, 4, 1]);
      expect(r.y).toEqual(expected[mode]);
    }
  });

  test('3x3 window (count 9) with FL dropping by 1: den 18, ties at +-0.5', () => {
    // ch0 [5,-3,2,0,1,4,-2,1,1] sum 9 -> 9/18 = 0.5; ch1 = -ch0 -> -0.5;
    // ch2 [7,6,0,...] sum 13 -> 13/18 = 0.72 -> 1 in every mode
    const ch0 = [5, -3, 2, 0, 1, 4, -2, 1, 1];
    const ch2 = [7, 6, 0, 0, 0, 0, 0, 0, 0];
    const xv = ch0.flatMap((v, i) => [v, -v, ch2[i]!]);
    const expected: Record<Rounding, number[]> = {
      half_even: [0, 0, 1],
      half_up: [1, 0, 1],
      half_away: [1, -1, 1],
    };
    for (const mode of MODES) {
      const r = run({ op: 'avg_pool', shape: [1, 3, 3, 3], x: { fl: 1 }, xv, out: { fl: 0 }, attrs: { kernel: [3, 3] }, rounding: mode });
      expect(r.y).toEqual(expected[mode]);
    }
  });

  test("count_include_pad both ways on 'same' 3x3 border windows", () => {
    // 1 2 3
    // 4 5 6   kernel 3x3, stride 1, 'same' (pad 1 on every side); window sums and valid counts:
    // 7 8 9   12/4 21/6 16/4 | 27/6 45/9 33/6 | 24/4 39/6 28/4
    // excluding pad: 3, 3.5->4, 4 | 4.5->4, 5, 5.5->6 | 6, 6.5->6, 7   (half_even)
    // including pad (count 9): 1.33->1, 2.33->2, 1.78->2 | 3, 5, 3.67->4 | 2.67->3, 4.33->4, 3.11->3
    const base: Case = { op: 'avg_pool', shape: [1, 3, 3, 1], xv: [1, 2, 3, 4, 5, 6, 7, 8, 9], attrs: { kernel: [3, 3], strides: [1, 1], padding: 'same' } };
    const ex = run(base);
    expect(ex.shape).toEqual([1, 3, 3, 1]);
    expect(ex.y).toEqual([3, 4, 4, 4, 5, 6, 6, 6, 7]);
    expect(run({ ...base, attrs: { ...base.attrs, count_include_pad: true } }).y).toEqual([1, 2, 2, 3, 5, 4, 3, 4, 3]);
  });

  test('FL increase by 2: saturation at both ends, full and narrowed bounds', () => {
    // kernel 1x2, num = sum * 4, den 2: (63,64) 127*2 = 254 -> 127; (31,32) 63*2 = 126;
    // (-64,-64) -256 -> -128; (-33,-31) -128 (exact)
    const c: Case = { op: 'avg_pool', shape: [1, 1, 8, 1], xv: [63, 64, 31, 32, -64, -64, -33, -31], out: { fl: 2 }, attrs: { kernel: [1, 2] } };
    expect(run(c).y).toEqual([127, 126, -128, -128]);
    expect(run({ ...c, out: { fl: 2, qmin: -127, qmax: 100 } }).y).toEqual([100, 100, -127, -127]);
  });

  test('uint8 input with FL 2 -> 0 (den 8); uint8 to int8 saturation', () => {
    // pairs (255,255) 510/8 = 63.75 -> 64; (4,0) 0.5 -> 0; (12,0) 1.5 -> 2; (255,254) 63.625 -> 64
    const a = run({ op: 'avg_pool', shape: [1, 1, 8, 1], x: { dtype: 'uint8', fl: 2 }, xv: [255, 255, 4, 0, 12, 0, 255, 254], out: { dtype: 'uint8', fl: 0 }, attrs: { kernel: [1, 2] } });
    expect(a.y).toEqual([64, 0, 2, 64]);
    // uint8 FL 0 -> int8 FL 0: (255,255) -> 255 -> 127; (200,101) -> 150.5 -> 127; (10,13) -> 11.5 -> 12
    const b = run({ op: 'avg_pool', shape: [1, 1, 6, 1], x: { dtype: 'uint8', fl: 0 }, xv: [255, 255, 200, 101, 10, 13], attrs: { kernel: [1, 2] } });
    expect(b.y).toEqual([127, 127, 12]);
  });

  test('explicit padding with strides, count_include_pad both ways', () => {
    // W 5 = [2,4,6,8,10], kernel 1x3, stride 2, pad left 1 right 1: outW 3,
    // windows cols [-1..1] [1..3] [3..5] -> {2,4} {4,6,8} {8,10}
    // exclude: 6/2 = 3, 18/3 = 6, 18/2 = 9; include (count 3): 2, 6, 6
    const base: Case = { op: 'avg_pool', shape: [1, 1, 5, 1], xv: [2, 4, 6, 8, 10], attrs: { kernel: [1, 3], strides: [1, 2], padding: [0, 1, 0, 1] } };
    expect(run(base).y).toEqual([3, 6, 9]);
    expect(run({ ...base, attrs: { ...base.attrs, count_include_pad: true } }).y).toEqual([2, 6, 6]);
  });

  test("'same' with the odd extra column at the end", () => {
    // W 4 = [1,2,3,10], kernel 1x3, stride 2: out 2, total pad 1 -> right 1.
    // windows cols [0..2] [2..4]: 6/3 = 2; {3,10}: 13/2 = 6.5 -> 6 (exclude), 13/3 = 4.33 -> 4 (include)
    // (with the pad at the start it would be 1.5 -> 2 and 15/3 = 5)
    const base: Case = { op: 'avg_pool', shape: [1, 1, 4, 1], xv: [1, 2, 3, 10], attrs: { kernel: [1, 3], strides: [1, 2], padding: 'same' } };
    expect(run(base).y).toEqual([2, 6]);
    expect(run({ ...base, attrs: { ...base.attrs, count_include_pad: true } }).y).toEqual([2, 4]);
  });
});

describe('global_avg_pool: values', () => {
  test('7x7 (count 49) with FL dropping by 1: den 98, ties in all three modes', () => {
    // ch0 all 1: 49/98 = 0.5; ch1 all -1: -0.5; ch2 all 3: 147/98 = 1.5;
    // ch3 first 52 then 1s: 100/98 = 1.02 -> 1
    const xv: number[] = [];
    for (let i = 0; i < 49; i++) xv.push(1, -1, 3, i === 0 ? 52 : 1);
    const expected: Record<Rounding, number[]> = {
      half_even: [0, 0, 2, 1],
      half_up: [1, 0, 2, 1],
      half_away: [1, -1, 2, 1],
    };
    for (const mode of MODES) {
      const r = run({ op: 'global_avg_pool', shape: [1, 7, 7, 4], x: { fl: 1 }, xv, out: { fl: 0 }, rounding: mode });
      expect(r.shape).toEqual([1, 1, 1, 4]);
      expect(r.y).toEqual(expected[mode]);
    }
  });

  test('FL increase by 1: saturation at both ends, full and narrowed bounds', () => {
    // 2x2, num = sum * 2, den 4: ch0 all 100 -> 200 -> 127; ch1 -100,-90,-80,-70 -> -170 -> -128;
    // ch2 1,2,3,5 -> 22/4 = 5.5 -> 6 (half_even)
    const c: Case = { op: 'global_avg_pool', shape: [1, 2, 2, 3], xv: [100, -100, 1, 100, -90, 2, 100, -80, 3, 100, -70, 5], out: { fl: 1 } };
    expect(run(c).y).toEqual([127, -128, 6]);
    expect(run({ ...c, out: { fl: 1, qmin: -127, qmax: 5 } }).y).toEqual([5, -127, 5]);
  });

  test('uint8 input, int8 output, count 3', () => {
    // ch0 255,254,250 -> 253 -> 127; ch1 10,20,31 -> 61/3 = 20.33 -> 20
    const r = run({ op: 'global_avg_pool', shape: [1, 3, 1, 2], x: { dtype: 'uint8', fl: 0 }, xv: [255, 10, 254, 20, 250, 31] });
    expect(r.y).toEqual([127, 20]);
  });
});

/** Builds one pool layer by hand (bypassing the builder's checks) and collects what its hooks report. */
function diagnose(op: PoolKind, shape: number[], attrs: Record<string, unknown>, x: FormatSpec = { fl: 0 }, out: FormatSpec = { fl: 0 }): string[] {
  const def = getOp(op as OpKind);
  const gb = new GraphBuilder('bad');
  gb.input('x', shape, x);
  gb.input('y', [1, 1, 1, 1], out);
  const g = gb.build();
  const layer: Layer = { name: 'p', op, inputs: ['x'], outputs: ['y'], attrs: def.attrs.parse(attrs), rounding: 'half_even' };
  g.layers.push(layer);
  const codes: string[] = [];
  const ctx = opCtx(g, layer, (code) => void codes.push(code));
  if (def.inferShape(ctx)) def.checkFormats(ctx);
  return codes;
}

function shapeOf(op: PoolKind, shape: number[], attrs: Record<string, unknown> = {}): number[] {
  const b = new GraphBuilder('t');
  b.layer('p', op, [b.input('x', shape, { fl: 0 })], { name: 'y', fl: 0 }, attrs);
  return b.build().tensors.get('y')!.shape;
}

describe('pools: shapes, attributes, MACs', () => {
  test('output shapes', () => {
    // valid: (5-2)/2+1 = 2
    expect(shapeOf('max_pool', [1, 5, 5, 3], { kernel: [2, 2] })).toEqual([1, 2, 2, 3]);
    // same, stride 2: ceil(5/2) = 3
    expect(shapeOf('avg_pool', [1, 5, 5, 3], { kernel: [3, 3], strides: [2, 2], padding: 'same' })).toEqual([1, 3, 3, 3]);
    // same, stride 1 keeps the size
    expect(shapeOf('max_pool', [1, 4, 6, 1], { kernel: [3, 3], strides: [1, 1], padding: 'same' })).toEqual([1, 4, 6, 1]);
    // explicit [1,0,1,0], stride 1: H 5+2-3+1 = 5, W 5-3+1 = 3
    expect(shapeOf('avg_pool', [1, 5, 5, 2], { kernel: [3, 3], strides: [1, 1], padding: [1, 0, 1, 0] })).toEqual([1, 5, 3, 2]);
    // strides [1, 3] on 4x7 with 2x2: H 3, W (7-2)/3+1 = 2
    expect(shapeOf('max_pool', [1, 4, 7, 1], { kernel: [2, 2], strides: [1, 3] })).toEqual([1, 3, 2, 1]);
    expect(shapeOf('global_avg_pool', [1, 7, 7, 5])).toEqual([1, 1, 1, 5]);
  });

  test('strides default to the kernel; count_include_pad to false', () => {
    const a = getOp('avg_pool').attrs.parse({ kernel: [3, 2] });
    expect(a).toEqual({ kernel: [3, 2], strides: [3, 2], padding: 'valid', count_include_pad: false });
    expect(getOp('max_pool').attrs.parse({ kernel: [3, 2], strides: [1, 1] }).strides).toEqual([1, 1]);
  });

  test('attribute schema rejects bad attributes', () => {
    expect(getOp('max_pool').attrs.safeParse({}).success).toBe(false); // kernel required
    expect(getOp('max_pool').attrs.safeParse({ kernel: [2, 2], count_include_pad: true }).success).toBe(false);
    expect(getOp('avg_pool').attrs.safeParse({ kernel: [0, 2] }).success).toBe(false);
    expect(getOp('global_avg_pool').attrs.safeParse({ kernel: [2, 2] }).success).toBe(false);
  });

  test('MACs count window cells, padded ones included; scratch is 0', () => {
    const b = new GraphBuilder('t');
    const x = b.input('x', [1, 5, 5, 2], { fl: 0 });
    b.layer('m', 'max_pool', [x], { name: 'm', fl: 0 }, { kernel: [3, 3], strides: [2, 2], padding: 'same' });
    b.layer('a', 'avg_pool', [x], { name: 'a', fl: 0 }, { kernel: [2, 2] });
    b.layer('g', 'global_avg_pool', [x], { name: 'g', fl: 0 });
    const g = b.build();
    const host = { name: 'host', dsp: false, mve: false };
    const [m, a, gl] = g.layers.map((l) => [getOp(l.op), opCtx(g, l)] as const);
    expect(m![0].macs(m![1])).toBe(3 * 3 * 2 * 9); // out 3x3, C 2, 9 cells
    expect(a![0].macs(a![1])).toBe(2 * 2 * 2 * 4); // out 2x2, C 2, 4 cells
    expect(gl![0].macs(gl![1])).toBe(5 * 5 * 2);
    for (const [def, ctx] of [m!, a!, gl!]) expect(def.scratch(ctx, host, 'portable')).toBe(0);
  });
});

describe('pools: reported problems', () => {
  test('well-formed layers report nothing', () => {
    expect(diagnose('max_pool', [1, 4, 4, 1], { kernel: [2, 2] })).toEqual([]);
    expect(diagnose('avg_pool', [1, 4, 4, 1], { kernel: [3, 3], padding: [2, 2, 2, 2] })).toEqual([]);
    expect(diagnose('global_avg_pool', [1, 7, 7, 1], {})).toEqual([]);
  });
  test('input not 4-D: F8E030', () => {
    expect(diagnose('max_pool', [1, 4, 4], { kernel: [2, 2] })).toEqual(['F8E030']);
    expect(diagnose('avg_pool', [1, 16], { kernel: [2, 2] })).toEqual(['F8E030']);
    expect(diagnose('global_avg_pool', [1, 4], {})).toEqual(['F8E030']);
  });
  test('explicit padding not smaller than the kernel: F8E011', () => {
    expect(diagnose('max_pool', [1, 4, 4, 1], { kernel: [2, 2], padding: [2, 0, 0, 0] })).toEqual(['F8E011']);
    expect(diagnose('avg_pool', [1, 4, 4, 1], { kernel: [3, 2], padding: [0, 0, 0, 2] })).toEqual(['F8E011']);
  });
  test('window larger than the padded input: F8E030', () => {
    expect(diagnose('max_pool', [1, 2, 2, 1], { kernel: [3, 3] })).toEqual(['F8E030']);
  });
  test('non-activation element types: F8E042', () => {
    expect(diagnose('max_pool', [1, 4, 4, 1], { kernel: [2, 2] }, { dtype: 'int16', fl: 0 })).toEqual(['F8E042']);
    expect(diagnose('avg_pool', [1, 4, 4, 1], { kernel: [2, 2] }, { fl: 0 }, { dtype: 'int32', fl: 0 })).toEqual(['F8E042']);
    expect(diagnose('global_avg_pool', [1, 4, 4, 1], {}, { dtype: 'int16', fl: 0 })).toEqual(['F8E042']);
  });
  test('max_pool requantisation shift beyond 31: F8E044', () => {
    expect(diagnose('max_pool', [1, 4, 4, 1], { kernel: [2, 2] }, { fl: 24 }, { fl: -8 })).toEqual(['F8E044']);
  });
  test('avg_pool numerator or denominator beyond int32: F8E044', () => {
    // 3x3, int8 (max |q| 128): num bound 9 * 128 * 2^k; k = 20 -> 1,207,959,552 fits; k = 21 -> 2,415,919,104 does not
    expect(diagnose('avg_pool', [1, 4, 4, 1], { kernel: [3, 3] }, { fl: 0 }, { fl: 20 })).toEqual([]);
    expect(diagnose('avg_pool', [1, 4, 4, 1], { kernel: [3, 3] }, { fl: 0 }, { fl: 21 })).toEqual(['F8E044']);
    // den bound 9 * 2^-k; k = -27 -> 1,207,959,552 fits; k = -28 -> 2,415,919,104 does not
    expect(diagnose('avg_pool', [1, 4, 4, 1], { kernel: [3, 3] }, { fl: 20 }, { fl: -7 })).toEqual([]);
    expect(diagnose('avg_pool', [1, 4, 4, 1], { kernel: [3, 3] }, { fl: 20 }, { fl: -8 })).toEqual(['F8E044']);
    // shift beyond 31 even when the input range is tiny
    expect(diagnose('avg_pool', [1, 4, 4, 1], { kernel: [2, 2] }, { fl: -8, qmin: 0, qmax: 0 }, { fl: 24 })).toEqual(['F8E044']);
  });
  test('global_avg_pool numerator beyond int32: F8E044', () => {
    // 7x7 uint8: 49 * 255 * 2^k; k = 7 -> 1,599,360 fits; k = 18 -> 3,275,489,280 does not
    expect(diagnose('global_avg_pool', [1, 7, 7, 1], {}, { dtype: 'uint8', fl: 0 }, { fl: 7 })).toEqual([]);
    expect(diagnose('global_avg_pool', [1, 7, 7, 1], {}, { dtype: 'uint8', fl: 0 }, { fl: 18 })).toEqual(['F8E044']);
  });
});

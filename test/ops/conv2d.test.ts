import { GraphBuilder, type FormatSpec } from '../../src/ir/builder.js';
import type { Layer, Rounding } from '../../src/ir/types.js';
import { opCtx } from '../../src/ops/context.js';
import { conv2d } from '../../src/ops/conv2d.js';
import { runGraph } from '../../src/interp/interpreter.js';
import { trivialPlan } from '../../src/plan/trivial.js';

describe('conv2d', () => {
  test('1x1 conv, two channels, rounding ties in all three modes', () => {
    // x at FL 1, w at FL 0 -> acc FL 1; out FL 0: n = 1 (divide by 2, round).
    // x = [3, -3, 5, -5]  w = [[1], [2]]
    // ch0: 3/2=1.5  -3/2=-1.5  5/2=2.5  -5/2=-2.5
    // ch1: 6/2=3    -6/2=-3    10/2=5   -10/2=-5
    const expected: Record<string, number[]> = {
      half_even: [2, 3, -2, -3, 2, 5, -2, -5],
      half_up: [2, 3, -1, -3, 3, 5, -2, -5],
      half_away: [2, 3, -2, -3, 3, 5, -3, -5],
    };
    for (const mode of ['half_even', 'half_up', 'half_away'] as const) {
      const b = new GraphBuilder('t');
      const x = b.input('x', [1, 2, 2, 1], { fl: 1 });
      const w = b.const('w', [2, 1, 1, 1], { fl: 0 }, [1, 2]);
      b.layer('c', 'conv2d', [x, w], { name: 'y', fl: 0 }, {}, { rounding: mode });
      b.output('y');
      const g = b.build();
      const r = runGraph(g, trivialPlan(g), new Map([['x', [3, -3, 5, -5]]]));
      expect(Array.from(r.outputs.get('y')!)).toEqual(expected[mode]);
    }
  });
});

// ---------------------------------------------------------------------------
// Deeper hand-worked cases. Every expected value is worked out in a comment.

interface ConvCase {
  shape: number[];
  x?: FormatSpec;
  xv: number[];
  wShape: number[];
  w?: FormatSpec;
  wv: number[];
  b?: { fl: number | number[]; v: number[] };
  out?: FormatSpec;
  attrs?: Record<string, unknown>;
  rounding?: Rounding;
}

/** Builds x -> conv2d -> y and runs it; returns y's shape and elements. */
function conv(c: ConvCase): { shape: number[]; y: number[] } {
  const b = new GraphBuilder('t');
  const x = b.input('x', c.shape, c.x ?? { fl: 0 });
  const ins = [x, b.const('w', c.wShape, c.w ?? { fl: 0 }, c.wv)];
  if (c.b) ins.push(b.const('b', [c.wShape[0]!], { dtype: 'int32', fl: c.b.fl }, c.b.v));
  b.layer('c', 'conv2d', ins, { name: 'y', ...(c.out ?? { fl: 0 }) }, c.attrs ?? {}, { rounding: c.rounding ?? 'half_even' });
  b.output('y');
  const g = b.build();
  const y = Array.from(runGraph(g, trivialPlan(g), new Map([['x', c.xv]])).outputs.get('y')!);
  return { shape: g.tensors.get('y')!.shape, y };
}

describe('conv2d: more values', () => {
  test('bias, negative values, saturation at both ends, full and narrowed bounds', () => {
    // x = [100, -100]; oc0 w [1,-1] -> 200; oc1 [-1,1] -> -200; oc2 [1,1] + bias 5 -> 5. n = 0.
    const c: ConvCase = { shape: [1, 1, 1, 2], xv: [100, -100], wShape: [3, 1, 1, 2], wv: [1, -1, -1, 1, 1, 1], b: { fl: 0, v: [0, 0, 5] } };
    expect(conv(c).y).toEqual([127, -128, 5]);
    // narrowed [-100, 50]
    expect(conv({ ...c, out: { fl: 0, qmin: -100, qmax: 50 } }).y).toEqual([50, -100, 5]);
  });

  test('uint8 input, FL increase by 3 (saturating left shift), uint8 and int8 outputs', () => {
    // x uint8 = [200, 3]; oc0 [0,1] -> 3; oc1 [1,0] -> 200; oc2 [0,-1] -> -3; oc3 [0,10] -> 30.
    // * 8: 24, 1600, -24, 240 -> uint8 [0,255]: 24, 255, 0, 240; int8: 24, 127, -24, 127
    const c: ConvCase = { shape: [1, 1, 1, 2], x: { dtype: 'uint8', fl: 0 }, xv: [200, 3], wShape: [4, 1, 1, 2], wv: [0, 1, 1, 0, 0, -1, 0, 10] };
    expect(conv({ ...c, out: { dtype: 'uint8', fl: 3 } }).y).toEqual([24, 255, 0, 240]);
    expect(conv({ ...c, out: { fl: 3 } }).y).toEqual([24, 127, -24, 127]);
  });

  test('per-output-channel weight FL with per-channel bias', () => {
    // x FL 1 = [6]; w FL [0,1,2] = [1,1,1] -> acc 6 at FL 1, 2, 3; bias FL [1,2,3] = [-1,0,-1] -> 5, 6, 5.
    // out FL 0: n = 1, 2, 3 -> 2.5, 1.5, 0.625
    const c: ConvCase = { shape: [1, 1, 1, 1], x: { fl: 1 }, xv: [6], wShape: [3, 1, 1, 1], w: { fl: [0, 1, 2] }, wv: [1, 1, 1], b: { fl: [1, 2, 3], v: [-1, 0, -1] } };
    expect(conv({ ...c, rounding: 'half_even' }).y).toEqual([2, 2, 1]);
    expect(conv({ ...c, rounding: 'half_up' }).y).toEqual([3, 2, 1]);
  });

  test("'same' padding puts the odd extra column at the end", () => {
    // W 4 = [1,2,3,4], kernel 1x3 = [1,2,4], stride 2: out 2, total pad 1 -> right 1.
    // ox0 cols 0..2: 1 + 4 + 12 = 17; ox1 cols 2..4: 3 + 8 + 0 = 11
    // (pad at the start would give 0+2+8 = 10 and 2+6+16 = 24)
    const r = conv({ shape: [1, 1, 4, 1], xv: [1, 2, 3, 4], wShape: [1, 1, 3, 1], wv: [1, 2, 4], attrs: { strides: [1, 2], padding: 'same' } });
    expect(r.shape).toEqual([1, 1, 2, 1]);
    expect(r.y).toEqual([17, 11]);
  });

  test('explicit padding with strides (padded taps read as 0)', () => {
    // W 5 = [1,2,3,4,5], kernel 1x3 = [1,-1,2], stride 2, pad left 2 right 1: outW 3.
    // ox0 cols -2..0: 2*1 = 2; ox1 cols 0..2: 1 - 2 + 6 = 5; ox2 cols 2..4: 3 - 4 + 10 = 9
    const r = conv({ shape: [1, 1, 5, 1], xv: [1, 2, 3, 4, 5], wShape: [1, 1, 3, 1], wv: [1, -1, 2], attrs: { strides: [1, 2], padding: [0, 2, 0, 1] } });
    expect(r.shape).toEqual([1, 1, 3, 1]);
    expect(r.y).toEqual([2, 5, 9]);
  });

  test('2x2 kernel over 3x3, stride 1 and stride 2', () => {
    // 3x3 input 1..9, kernel [[1,0],[0,-1]], stride 1: x[y][x] - x[y+1][x+1]
    // (1-5, 2-6, 4-8, 5-9) = -4 each
    const r = conv({ shape: [1, 3, 3, 1], xv: [1, 2, 3, 4, 5, 6, 7, 8, 9], wShape: [1, 2, 2, 1], wv: [1, 0, 0, -1] });
    expect(r.shape).toEqual([1, 2, 2, 1]);
    expect(r.y).toEqual([-4, -4, -4, -4]);
    // stride 2: (3-2)/2+1 = 1 window, the top-left one; kernel [[0,1],[1,0]] -> 2 + 4 = 6
    const s = conv({ shape: [1, 3, 3, 1], xv: [1, 2, 3, 4, 5, 6, 7, 8, 9], wShape: [1, 2, 2, 1], wv: [0, 1, 1, 0], attrs: { strides: [2, 2] } });
    expect(s.shape).toEqual([1, 1, 1, 1]);
    expect(s.y).toEqual([6]);
  });

  test('dilation', () => {
    // W 5 = [1,2,3,4,5], kernel 1x2 = [1,10], dilation 3: taps 3 apart, outW 5 - 3 = 2.
    // ox0: 1 + 4*10 = 41; ox1: 2 + 5*10 = 52
    const r = conv({ shape: [1, 1, 5, 1], xv: [1, 2, 3, 4, 5], wShape: [1, 1, 2, 1], wv: [1, 10], attrs: { dilations: [1, 3] } });
    expect(r.shape).toEqual([1, 1, 2, 1]);
    expect(r.y).toEqual([41, 52]);
  });

  test('groups = 2, two output channels per group', () => {
    // x = [1,2,3,4]; group0 = ic 0,1 -> oc 0,1; group1 = ic 2,3 -> oc 2,3.
    // oc0 [1,10]: 1 + 20 = 21; oc1 [-1,0]: -1; oc2 [1,10]: 3 + 40 = 43; oc3 [0,-1]: -4
    const r = conv({ shape: [1, 1, 1, 4], xv: [1, 2, 3, 4], wShape: [4, 1, 1, 2], wv: [1, 10, -1, 0, 1, 10, 0, -1], attrs: { groups: 2 } });
    expect(r.y).toEqual([21, -1, 43, -4]);
  });

  test('depthwise (groups = channels)', () => {
    // pixels (0,0)=[1,5] (0,1)=[2,6] (1,0)=[3,7] (1,1)=[4,8]
    // ch0 kernel [[1,2],[3,4]]: 1 + 4 + 9 + 16 = 30; ch1 kernel [[-1,0],[0,1]]: -5 + 8 = 3
    const r = conv({ shape: [1, 2, 2, 2], xv: [1, 5, 2, 6, 3, 7, 4, 8], wShape: [2, 2, 2, 1], wv: [1, 2, 3, 4, -1, 0, 0, 1], attrs: { groups: 2 } });
    expect(r.shape).toEqual([1, 1, 1, 2]);
    expect(r.y).toEqual([30, 3]);
  });

  test('the accumulator wraps modulo 2^32', () => {
    // bias 2^31 - 1 plus 1 = 2^31 -> -2^31 -> -128 (127 without the wrap)
    const r = conv({ shape: [1, 1, 1, 1], xv: [1], wShape: [1, 1, 1, 1], wv: [1], b: { fl: 0, v: [2147483647] } });
    expect(r.y).toEqual([-128]);
  });
});

/** Builds one conv2d layer by hand (bypassing the builder's checks) and collects what its hooks report. */
function diagnose(p: { xShape?: number[]; x?: FormatSpec; wShape?: number[]; w?: FormatSpec; b?: { shape: number[]; fl: number | number[] }; out?: FormatSpec; attrs?: Record<string, unknown> }): string[] {
  const gb = new GraphBuilder('bad');
  const wShape = p.wShape ?? [2, 3, 3, 4];
  gb.input('x', p.xShape ?? [1, 5, 5, 4], p.x ?? { fl: 0 });
  gb.const('w', wShape, p.w ?? { fl: 0 }, new Array(wShape.reduce((a, b) => a * b, 1)).fill(1));
  const inputs = ['x', 'w'];
  if (p.b) {
    gb.const('b', p.b.shape, { dtype: 'int32', fl: p.b.fl }, new Array(p.b.shape[0]).fill(0));
    inputs.push('b');
  }
  gb.input('y', [1, 1, 1, 1], p.out ?? { fl: 0 });
  const g = gb.build();
  const layer: Layer = { name: 'c', op: 'conv2d', inputs, outputs: ['y'], attrs: conv2d.attrs.parse(p.attrs ?? {}), rounding: 'half_even' };
  g.layers.push(layer);
  const codes: string[] = [];
  const ctx = opCtx(g, layer, (code) => void codes.push(code));
  if (conv2d.inferShape(ctx)) conv2d.checkFormats(ctx);
  return codes;
}

describe('conv2d: shapes and checks', () => {
  const shapeOf = (xShape: number[], wShape: number[], attrs: Record<string, unknown> = {}): number[] => {
    const b = new GraphBuilder('t');
    const x = b.input('x', xShape, { fl: 0 });
    const w = b.const('w', wShape, { fl: 0 }, new Array(wShape.reduce((a, c) => a * c, 1)).fill(0));
    b.layer('c', 'conv2d', [x, w], { name: 'y', fl: 0 }, attrs);
    return b.build().tensors.get('y')!.shape;
  };

  test('output shapes', () => {
    expect(shapeOf([1, 5, 5, 4], [8, 3, 3, 4])).toEqual([1, 3, 3, 8]); // valid: 5 - 3 + 1
    expect(shapeOf([1, 5, 5, 4], [8, 3, 3, 4], { strides: [2, 2], padding: 'same' })).toEqual([1, 3, 3, 8]); // ceil(5/2)
    expect(shapeOf([1, 5, 6, 4], [8, 3, 3, 4], { padding: 'same' })).toEqual([1, 5, 6, 8]);
    expect(shapeOf([1, 5, 5, 4], [8, 3, 3, 4], { padding: [1, 0, 1, 0] })).toEqual([1, 5, 3, 8]); // H 5+2-3+1, W 3
    expect(shapeOf([1, 7, 7, 4], [8, 3, 3, 4], { strides: [2, 3] })).toEqual([1, 3, 2, 8]); // (7-3)/2+1, (7-3)/3+1
    expect(shapeOf([1, 7, 7, 4], [8, 3, 3, 4], { dilations: [2, 3] })).toEqual([1, 3, 1, 8]); // 7-4, 7-6
    expect(shapeOf([1, 4, 4, 6], [6, 3, 3, 1], { groups: 6, padding: 'same' })).toEqual([1, 4, 4, 6]); // depthwise
  });

  test('MACs and accumulator bound', () => {
    const b = new GraphBuilder('t');
    const x = b.input('x', [1, 4, 4, 2], { fl: 0 });
    const w = b.const('w', [2, 1, 1, 2], { fl: 0 }, [1, -2, 3, 0]);
    const bias = b.const('b', [2], { dtype: 'int32', fl: 0 }, [10, -1000]);
    b.layer('c', 'conv2d', [x, w, bias], { name: 'y', fl: 0 });
    const g = b.build();
    const ctx = opCtx(g, g.layers[0]!);
    expect(conv2d.macs(ctx)).toBe(4 * 4 * 2 * 1 * 1 * 2); // 64
    // oc0: 3 * 128 + 10 = 394; oc1: 3 * 128 + 1000 = 1384
    expect(conv2d.accBound!(ctx).maxAbs).toBe(1384);
  });

  test('a well-formed layer reports nothing', () => expect(diagnose({ b: { shape: [2], fl: 0 } })).toEqual([]));
  test('input not 4-D: F8E030', () => expect(diagnose({ xShape: [1, 25, 4] })).toEqual(['F8E030']));
  test('weight not 4-D: F8E030', () => expect(diagnose({ wShape: [2, 36] })).toEqual(['F8E030']));
  test('groups not dividing the channels: F8E011', () => expect(diagnose({ wShape: [2, 3, 3, 1], attrs: { groups: 3 } })).toEqual(['F8E011']));
  test('weight input channels differ from Cin / groups: F8E030', () => expect(diagnose({ wShape: [2, 3, 3, 3] })).toEqual(['F8E030']));
  test('bias of the wrong length: F8E030', () => expect(diagnose({ b: { shape: [3], fl: 0 } })).toEqual(['F8E030']));
  test('window larger than the input: F8E030', () => expect(diagnose({ xShape: [1, 2, 2, 4] })).toEqual(['F8E030']));
  test('int16 input: F8E042', () => expect(diagnose({ x: { dtype: 'int16', fl: 0 } })).toEqual(['F8E042']));
  test('per-channel weight FL of the wrong length: F8E047', () => expect(diagnose({ w: { fl: [0, 1, 2] } })).toEqual(['F8E047']));
  test('bias FL not FL_x + FL_w: F8E043', () => expect(diagnose({ x: { fl: 1 }, w: { fl: [2, 3] }, b: { shape: [2], fl: [3, 3] } })).toEqual(['F8E043']));
  test('requantisation shift beyond 31: F8E044', () => expect(diagnose({ x: { fl: 24 }, w: { fl: 10 }, out: { fl: 0 } })).toEqual(['F8E044']));
});

import { GraphBuilder, type FormatSpec } from '../../src/ir/builder.js';
import { runGraph } from '../../src/interp/interpreter.js';
import { trivialPlan } from '../../src/plan/trivial.js';
import type { Graph, Rounding } from '../../src/ir/types.js';
import { problems } from './helpers.js';

const MODES: Rounding[] = ['half_even', 'half_up', 'half_away'];

interface In {
  shape: number[];
  f: FormatSpec;
}

function build(ins: In[], fy: FormatSpec, attrs: Record<string, unknown> = {}, rounding: Rounding = 'half_even'): Graph {
  const b = new GraphBuilder('t');
  const names = ins.map((x, i) => b.input(`x${i}`, x.shape, x.f));
  b.layer('cat', 'concat', names, { name: 'y', ...fy }, attrs, { rounding });
  b.output('y');
  return b.build();
}

function run(g: Graph, xs: number[][]): number[] {
  return Array.from(runGraph(g, trivialPlan(g), new Map(xs.map((x, i) => [`x${i}`, x]))).outputs.get('y')!);
}

describe('concat', () => {
  test('channel axis (default -1), FL 2 and FL 0 inputs into FL 1: ties and left-shift saturation', () => {
    // x0 [1,1,2,2] FL 2 -> n = 1: [3, 5 | -3, -5] / 2 = [1.5, 2.5 | -1.5, -2.5]
    // x1 [1,1,2,2] FL 0 -> n = -1: [10, 64 | -65, -64] * 2 = [20, 128->127 | -130->-128, -128]
    // out [1,1,2,4]: pixel 0 = x0[0], x1[0]; pixel 1 = x0[1], x1[1]
    const expected: Record<Rounding, number[]> = {
      half_even: [2, 2, 20, 127, -2, -2, -128, -128],
      half_up: [2, 3, 20, 127, -1, -2, -128, -128],
      half_away: [2, 3, 20, 127, -2, -3, -128, -128],
    };
    for (const m of MODES) {
      const g = build([{ shape: [1, 1, 2, 2], f: { fl: 2 } }, { shape: [1, 1, 2, 2], f: { fl: 0 } }], { fl: 1 }, {}, m);
      expect(g.tensors.get('y')!.shape).toEqual([1, 1, 2, 4]);
      expect(run(g, [[3, 5, -3, -5], [10, 64, -65, -64]])).toEqual(expected[m]);
    }
  });

  test('width axis 2: uint8 and int8 inputs into int8 narrowed to [-127, 100]', () => {
    // x0 uint8 [1,2,1,2] FL 3: h0 [200, 7], h1 [0, 100]        -> [100, 7], [0, 100]
    // x1 int8  [1,2,2,2] FL 3: h0 [-128, 5, 101, -127], h1 [1, 2, 3, 4] -> [-127, 5, 100, -127], [1, 2, 3, 4]
    // out [1,2,3,2]: each row h = x0 row then x1 row
    const g = build([{ shape: [1, 2, 1, 2], f: { dtype: 'uint8', fl: 3 } }, { shape: [1, 2, 2, 2], f: { fl: 3 } }], { fl: 3, qmin: -127, qmax: 100 }, { axis: 2 });
    expect(g.tensors.get('y')!.shape).toEqual([1, 2, 3, 2]);
    expect(run(g, [[200, 7, 0, 100], [-128, 5, 101, -127, 1, 2, 3, 4]])).toEqual([100, 7, -127, 5, 100, -127, 0, 100, 1, 2, 3, 4]);
    // the same with axis -2
    const g2 = build([{ shape: [1, 2, 1, 2], f: { dtype: 'uint8', fl: 3 } }, { shape: [1, 2, 2, 2], f: { fl: 3 } }], { fl: 3, qmin: -127, qmax: 100 }, { axis: -2 });
    expect(run(g2, [[200, 7, 0, 100], [-128, 5, 101, -127, 1, 2, 3, 4]])).toEqual([100, 7, -127, 5, 100, -127, 0, 100, 1, 2, 3, 4]);
  });

  test('height axis 1, three inputs, into uint8 FL 0 with halving', () => {
    // x0 [1,1,1,2] FL 1: [3, -1] / 2 = [1.5, -0.5] -> half_even [2, 0], uint8 [2, 0]
    // x1 [1,1,1,2] FL 0: [-7, 127] -> [0, 127]
    // x2 uint8 [1,1,1,2] FL 1: [255, 1] / 2 = [127.5, 0.5] -> half_even [128, 0]
    const g = build(
      [{ shape: [1, 1, 1, 2], f: { fl: 1 } }, { shape: [1, 1, 1, 2], f: { fl: 0 } }, { shape: [1, 1, 1, 2], f: { dtype: 'uint8', fl: 1 } }],
      { dtype: 'uint8', fl: 0 },
      { axis: 1 },
    );
    expect(g.tensors.get('y')!.shape).toEqual([1, 3, 1, 2]);
    expect(run(g, [[3, -1], [-7, 127], [255, 1]])).toEqual([2, 0, 0, 127, 128, 0]);
    expect(problems(g)).toEqual([]);
  });

  test('a single input is a rescaling copy', () => {
    // FL 0 -> FL 2: [-3, 0, 31, 32] * 4 = [-12, 0, 124, 128 -> 127]
    const g = build([{ shape: [1, 1, 1, 4], f: { fl: 0 } }], { fl: 2 });
    expect(run(g, [[-3, 0, 31, 32]])).toEqual([-12, 0, 124, 127]);
  });

  const two = (): Graph => build([{ shape: [1, 1, 2, 2], f: { fl: 0 } }, { shape: [1, 1, 2, 3], f: { fl: 0 } }], { fl: 0 });

  test('F8E011: batch axis, or axis out of range', () => {
    const g = two();
    const l = g.layers[0]!;
    expect(problems(g, { ...l, attrs: { axis: 0 } })).toEqual(['F8E011']);
    expect(problems(g, { ...l, attrs: { axis: -4 } })).toEqual(['F8E011']);
    expect(problems(g, { ...l, attrs: { axis: 4 } })).toEqual(['F8E011']);
    expect(problems(g, { ...l, attrs: { axis: -5 } })).toEqual(['F8E011']);
  });

  test('F8E030: sizes differ outside the axis, or ranks differ', () => {
    const g = two();
    expect(problems(g, { ...g.layers[0]!, attrs: { axis: 2 } })).toEqual(['F8E030']);
    g.tensors.set('x1', { ...g.tensors.get('x1')!, shape: [1, 2, 3] });
    expect(problems(g)).toEqual(['F8E030']);
  });

  test('F8E012: no input', () => {
    const g = two();
    expect(problems(g, { ...g.layers[0]!, inputs: [] })).toEqual(['F8E012']);
  });

  test('F8E044: an input needs a shift of 32', () => {
    expect(problems(build([{ shape: [1, 2], f: { fl: 0 } }, { shape: [1, 2], f: { fl: 24 } }], { fl: -8 }))).toEqual(['F8E044']);
  });

  test('F8E042: int16 input', () => {
    expect(problems(build([{ shape: [1, 2], f: { fl: 0 } }, { shape: [1, 2], f: { fl: 0, dtype: 'int16' } }], { fl: 0 }))).toEqual(['F8E042']);
  });
});

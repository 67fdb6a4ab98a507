import { GraphBuilder, type FormatSpec } from '../../src/ir/builder.js';
import type { Graph, Rounding } from '../../src/ir/types.js';
import { problems, runXY as run } from './helpers.js';

const MODES: Rounding[] = ['half_even', 'half_up', 'half_away'];

function build(shape: number[], fx: FormatSpec, fy: FormatSpec, attrs: Record<string, unknown>, rounding: Rounding = 'half_even'): Graph {
  const b = new GraphBuilder('t');
  const x = b.input('x', shape, fx);
  b.layer('p', 'pad', [x], { name: 'y', ...fy }, attrs, { rounding });
  b.output('y');
  return b.build();
}

const P4 = (h: [number, number], w: [number, number], c: [number, number] = [0, 0]) => [[0, 0], h, w, c];

describe('pad', () => {
  test('value 0.5 at out FL 1 (= 1), top and right; interior FL 2 -> 1 ties in all modes', () => {
    // x [1,2,2,1] FL 2: [[3, -3], [5, -5]] / 2 = [[1.5, -1.5], [2.5, -2.5]]
    // out [1,3,3,1]: row 0 all pad; rows 1-2: x row then a pad column
    const expected: Record<Rounding, number[]> = {
      half_even: [1, 1, 1, 2, -2, 1, 2, -2, 1],
      half_up: [1, 1, 1, 2, -1, 1, 3, -2, 1],
      half_away: [1, 1, 1, 2, -2, 1, 3, -3, 1],
    };
    for (const m of MODES) {
      const g = build([1, 2, 2, 1], { fl: 2 }, { fl: 1 }, { pads: P4([1, 0], [0, 1]), value: 0.5 }, m);
      expect(g.tensors.get('y')!.shape).toEqual([1, 3, 3, 1]);
      expect(run(g, [3, -3, 5, -5])).toEqual(expected[m]);
    }
  });

  test('negative value -1.5 at FL 2 (= -6); FL 0 -> 2 left shift saturates', () => {
    // x [1,1,2,1] FL 0: [31, -33] * 4 = [124, -132 -> -128]; width padded [1, 1]
    const g = build([1, 1, 2, 1], { fl: 0 }, { fl: 2 }, { pads: P4([0, 0], [1, 1]), value: -1.5 });
    expect(run(g, [31, -33])).toEqual([-6, 124, -128, -6]);
    expect(problems(g)).toEqual([]);
  });

  test('uint8 channel padding [2, 1] with value 3', () => {
    const g = build([1, 1, 1, 2], { dtype: 'uint8', fl: 0 }, { dtype: 'uint8', fl: 0 }, { pads: P4([0, 0], [0, 0], [2, 1]), value: 3 });
    expect(g.tensors.get('y')!.shape).toEqual([1, 1, 1, 5]);
    expect(run(g, [255, 0])).toEqual([3, 3, 255, 0, 3]);
  });

  test('narrowed [qmin, qmax] = [-100, 100] clamps the interior; default value 0', () => {
    const g = build([1, 1, 2, 1], { fl: 0 }, { fl: 0, qmin: -100, qmax: 100 }, { pads: P4([1, 0], [1, 0]) });
    // out [1,2,3,1]: row 0 pad; row 1: pad, 127 -> 100, -128 -> -100
    expect(run(g, [127, -128])).toEqual([0, 0, 0, 0, 100, -100]);
  });

  test('rank 2 input [1, 3], int8 into uint8', () => {
    // pads [[0,0],[1,2]], value 0; FL 4 -> 4: int8 [-5, 7, 127] -> uint8 [0, 7, 127]
    const g = build([1, 3], { fl: 4 }, { dtype: 'uint8', fl: 4 }, { pads: [[0, 0], [1, 2]] });
    expect(g.tensors.get('y')!.shape).toEqual([1, 6]);
    expect(run(g, [-5, 7, 127])).toEqual([0, 0, 7, 127, 0, 0]);
  });

  const ok = (): Graph => build([1, 2, 2, 1], { fl: 0 }, { fl: 0 }, { pads: P4([1, 1], [1, 1]) });

  test('F8E011: wrong number of pairs, or the batch padded', () => {
    const g = ok();
    expect(problems(g, { ...g.layers[0]!, attrs: { pads: [[0, 0], [1, 1], [1, 1]], value: 0 } })).toEqual(['F8E011']);
    expect(problems(g, { ...g.layers[0]!, attrs: { pads: [[1, 0], [1, 1], [1, 1], [0, 0]], value: 0 } })).toEqual(['F8E011']);
  });

  test('F8E011: value not an integer at FL_out, or outside [qmin, qmax]', () => {
    // 0.25 * 2^1 = 0.5
    expect(problems(build([1, 2], { fl: 1 }, { fl: 1 }, { pads: [[0, 0], [1, 0]], value: 0.25 }))).toEqual(['F8E011']);
    // 200 * 2^0 = 200 > 127
    expect(problems(build([1, 2], { fl: 0 }, { fl: 0 }, { pads: [[0, 0], [1, 0]], value: 200 }))).toEqual(['F8E011']);
    // -1 below uint8 qmin 0; 1 * 2^7 = 128 above a narrowed qmax 127 of uint8
    expect(problems(build([1, 2], { fl: 0 }, { dtype: 'uint8', fl: 0 }, { pads: [[0, 0], [1, 0]], value: -1 }))).toEqual(['F8E011']);
    expect(problems(build([1, 2], { fl: 7 }, { dtype: 'uint8', fl: 7, qmax: 127 }, { pads: [[0, 0], [1, 0]], value: 1 }))).toEqual(['F8E011']);
  });

  test('F8E044: rescale shift of -32', () => {
    expect(problems(build([1, 2], { fl: -8 }, { fl: 24 }, { pads: [[0, 0], [1, 0]] }))).toEqual(['F8E044']);
  });

  test('F8E042: int32 output', () => {
    expect(problems(build([1, 2], { fl: 0 }, { fl: 0, dtype: 'int32' }, { pads: [[0, 0], [1, 0]] }))).toEqual(['F8E042']);
  });
});

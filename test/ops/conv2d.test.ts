import { GraphBuilder } from '../../src/ir/builder.js';
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

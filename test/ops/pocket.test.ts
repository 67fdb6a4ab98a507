import { GraphBuilder, type FormatSpec } from '../../src/ir/builder.js';
import { runGraph } from '../../src/interp/interpreter.js';
import { trivialPlan } from '../../src/plan/trivial.js';
import type { Graph, OpKind, Rounding } from '../../src/ir/types.js';
import { problems } from './helpers.js';

const MODES: Rounding[] = ['half_even', 'half_up', 'half_away'];
const OUT: FormatSpec = { fl: 7 };

function build(op: OpKind, fx: FormatSpec, fy: FormatSpec, n: number, rounding: Rounding = 'half_even'): Graph {
  const b = new GraphBuilder('t');
  const x = b.input('x', [1, n], fx);
  b.layer('p', op, [x], { name: 'y', ...fy }, {}, { rounding });
  b.output('y');
  return b.build();
}

function run(op: OpKind, fx: FormatSpec, fy: FormatSpec, x: number[], rounding: Rounding = 'half_even'): number[] {
  const g = build(op, fx, fy, x.length, rounding);
  return Array.from(runGraph(g, trivialPlan(g), new Map([['x', x]])).outputs.get('y')!);
}

describe('pocket_sigmoid', () => {
  test('every breakpoint at FL_in 5 (no rescale); divisions truncate toward zero', () => {
    // x:     -128 -127 -77 -75 -74 -33 -32 -31  0  31  32  33  74  75 127
    // piece:  <-127 | x/8+20 (trunc) | x/2+48 (trunc) | x+64 | x/2+80 | x/8+108
    // -127/8 = -15.875 -> -15 -> 5;  -77/8 = -9.625 -> -9 -> 11 (floor would give 10)
    // -75/8 = -9.375 -> -9 -> 11;    -74/2 = -37 -> 11; -33/2 = -16.5 -> -16 -> 32 (floor: 31)
    // -32/2 = -16 -> 32; -31 + 64 = 33; 31 + 64 = 95; 32/2 + 80 = 96; 33/2 = 16 -> 96
    // 74/2 + 80 = 117; 75/8 = 9 -> 117; 127/8 = 15 -> 123
    const x = [-128, -127, -77, -75, -74, -33, -32, -31, 0, 31, 32, 33, 74, 75, 127];
    expect(run('pocket_sigmoid', { fl: 5 }, OUT, x)).toEqual([1, 5, 11, 11, 11, 32, 32, 33, 64, 95, 96, 96, 117, 117, 123]);
  });

  test('x = 128 and above via uint8 input at FL 5', () => {
    // 128 -> 127; 255 -> 127; 0 -> 64; 127 -> 123
    expect(run('pocket_sigmoid', { dtype: 'uint8', fl: 5 }, OUT, [128, 255, 0, 127])).toEqual([127, 127, 64, 123]);
  });

  test('FL_in 6 -> 5 (halving): ties in all three modes', () => {
    // x5 = [1.5, -1.5, 2.5, -2.5, 0.5, -0.5], then + 64
    const x = [3, -3, 5, -5, 1, -1];
    const expected: Record<Rounding, number[]> = {
      half_even: [66, 62, 66, 62, 64, 64],
      half_up: [66, 63, 67, 62, 65, 64],
      half_away: [66, 62, 67, 61, 65, 63],
    };
    for (const m of MODES) expect(run('pocket_sigmoid', { fl: 6 }, OUT, x, m)).toEqual(expected[m]);
  });

  test('FL_in 3 -> 5 (times 4) and FL_in -8 -> 5 (times 8192) in int32, no int8 saturation of x5', () => {
    // x5 = [-160, 40, 124, -128, -132, 32, -32] -> [1, 20 + 80, 15 + 108, 1, 1, 96, 32]
    expect(run('pocket_sigmoid', { fl: 3 }, OUT, [-40, 10, 31, -32, -33, 8, -8])).toEqual([1, 100, 123, 1, 1, 96, 32]);
    // x5 = [8192, -8192, 0]
    expect(run('pocket_sigmoid', { fl: -8 }, OUT, [1, -1, 0])).toEqual([127, 1, 64]);
  });

  test('narrowed output [10, 100]', () => {
    // y = [1, 123, 64] -> [10, 100, 64]
    expect(run('pocket_sigmoid', { fl: 5 }, { fl: 7, qmin: 10, qmax: 100 }, [-128, 127, 0])).toEqual([10, 100, 64]);
  });
});

describe('pocket_tanh', () => {
  test('every breakpoint at FL_in 6 (no rescale); divisions truncate toward zero', () => {
    // x:     -128 -127 -77 -75 -74 -33 -32 -31 0 31 32 74 75 127
    // piece: < -127 | x/4-88 (trunc) | x-32 | 2x | x+32 | x/4+88 (trunc)
    // -127/4 = -31.75 -> -31 -> -119; -77/4 = -19.25 -> -19 -> -107 (floor: -108)
    // -75/4 = -18.75 -> -18 -> -106;  -74 - 32 = -106; -33 - 32 = -65; -32 - 32 = -64
    // 2 * -31 = -62; 2 * 31 = 62; 32 + 32 = 64; 74 + 32 = 106; 75/4 = 18 -> 106; 127/4 = 31 -> 119
    const x = [-128, -127, -77, -75, -74, -33, -32, -31, 0, 31, 32, 74, 75, 127];
    expect(run('pocket_tanh', { fl: 6 }, OUT, x)).toEqual([-127, -119, -107, -106, -106, -65, -64, -62, 0, 62, 64, 106, 106, 119]);
  });

  test('x = 128 and above via uint8 input at FL 6', () => {
    expect(run('pocket_tanh', { dtype: 'uint8', fl: 6 }, OUT, [128, 200, 0, 75])).toEqual([127, 127, 0, 106]);
  });

  test('FL_in 7 -> 6 (halving): ties in all three modes', () => {
    // x6 = [1.5, -1.5, 2.5, -2.5], then 2 * x6
    const x = [3, -3, 5, -5];
    const expected: Record<Rounding, number[]> = {
      half_even: [4, -4, 4, -4],
      half_up: [4, -2, 6, -4],
      half_away: [4, -4, 6, -6],
    };
    for (const m of MODES) expect(run('pocket_tanh', { fl: 7 }, OUT, x, m)).toEqual(expected[m]);
  });

  test('FL_in 4 -> 6 (times 4)', () => {
    // x6 = [-80, 32, 124, 128] -> [-20 - 88, 64, 31 + 88, 127]
    expect(run('pocket_tanh', { fl: 4 }, OUT, [-20, 8, 31, 32])).toEqual([-108, 64, 119, 127]);
  });

  test('narrowed output [-100, 100]', () => {
    expect(run('pocket_tanh', { fl: 6 }, { fl: 7, qmin: -100, qmax: 100 }, [-128, 127, 0])).toEqual([-100, 100, 0]);
  });
});

describe('pocket diagnostics', () => {
  test('well-formed layers report nothing', () => {
    expect(problems(build('pocket_sigmoid', { dtype: 'uint8', fl: 2 }, OUT, 2))).toEqual([]);
    expect(problems(build('pocket_tanh', { fl: 0 }, { fl: 7, qmin: -127 }, 2))).toEqual([]);
  });

  test('F8E042: output not int8 (uint8), input int32', () => {
    expect(problems(build('pocket_sigmoid', { fl: 5 }, { dtype: 'uint8', fl: 7 }, 2))).toEqual(['F8E042']);
    expect(problems(build('pocket_tanh', { fl: 6, dtype: 'int32' }, OUT, 2))).toEqual(['F8E042']);
  });

  test('F8E040: output FL not 7', () => {
    expect(problems(build('pocket_sigmoid', { fl: 5 }, { fl: 6 }, 2))).toEqual(['F8E040']);
    expect(problems(build('pocket_tanh', { fl: 6 }, { fl: 8 }, 2))).toEqual(['F8E040']);
  });

  test('F8E044: input rescale shift of 32', () => {
    expect(problems(build('pocket_sigmoid', { fl: 37 }, OUT, 2))).toEqual(['F8E044']);
    expect(problems(build('pocket_tanh', { fl: -26 }, OUT, 2))).toEqual(['F8E044']);
  });
});

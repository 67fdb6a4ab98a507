import { GraphBuilder } from '../../src/ir/builder.js';
import { runGraph } from '../../src/interp/interpreter.js';
import { trivialPlan } from '../../src/plan/trivial.js';
import type { Graph, Rounding } from '../../src/ir/types.js';
import type { FormatSpec } from '../../src/ir/builder.js';
import { problems } from './helpers.js';

const MODES: Rounding[] = ['half_even', 'half_up', 'half_away'];

/** One add layer a + b -> y on [1, 1, 1, n]; returns y. */
function runAdd(fa: FormatSpec, fb: FormatSpec, fy: FormatSpec, a: number[], b: number[], opts: { rounding?: Rounding; clamp?: { lo: number; hi: number } } = {}): number[] {
  const g = buildAdd(fa, fb, fy, a.length, opts);
  const r = runGraph(g, trivialPlan(g), new Map([['a', a], ['b', b]]));
  return Array.from(r.outputs.get('y')!);
}

function buildAdd(fa: FormatSpec, fb: FormatSpec, fy: FormatSpec, n: number, opts: { rounding?: Rounding; clamp?: { lo: number; hi: number } } = {}): Graph {
  const bld = new GraphBuilder('t');
  const a = bld.input('a', [1, 1, 1, n], fa);
  const b = bld.input('b', [1, 1, 1, n], fb);
  bld.layer('add', 'add', [a, b], { name: 'y', ...fy }, {}, opts);
  bld.output('y');
  return bld.build();
}

/** Codes reported by inferShape (and checkFormats when a shape results). */
describe('add', () => {
  test('same FL, halving: ties in all three rounding modes, negative values', () => {
    // a, b at FL 1, out FL 0: F = 1, s = a + b, n = 1 (s / 2, rounded).
    // s = [3, -3, 5, -5, 3, 4] -> s/2 = [1.5, -1.5, 2.5, -2.5, 1.5, 2]
    const a = [1, -1, 3, -3, 2, 7];
    const b = [2, -2, 2, -2, 1, -3];
    const expected: Record<Rounding, number[]> = {
      half_even: [2, -2, 2, -2, 2, 2],
      half_up: [2, -1, 3, -2, 2, 2],
      half_away: [2, -2, 3, -3, 2, 2],
    };
    for (const mode of MODES) expect(runAdd({ fl: 1 }, { fl: 1 }, { fl: 0 }, a, b, { rounding: mode })).toEqual(expected[mode]);
  });

  test('operands of different FL are aligned to the larger one (a has it)', () => {
    // a FL 3, b FL 1, out FL 2: F = 3, b' = 4b, n = 3 - 2 = 1.
    // a = [5, -7, 1, 0], b = [1, -1, 3, -2]: s = [9, -11, 13, -8] -> s/2 = [4.5, -5.5, 6.5, -4]
    // (real check: 5/8 + 1/2 = 1.125 = 4.5 / 4)
    const a = [5, -7, 1, 0];
    const b = [1, -1, 3, -2];
    const expected: Record<Rounding, number[]> = {
      half_even: [4, -6, 6, -4],
      half_up: [5, -5, 7, -4],
      half_away: [5, -6, 7, -4],
    };
    for (const mode of MODES) expect(runAdd({ fl: 3 }, { fl: 1 }, { fl: 2 }, a, b, { rounding: mode })).toEqual(expected[mode]);
  });

  test('operands of different FL, b has the larger one; output at the larger FL (no rounding)', () => {
    // a FL 0, b FL 2, out FL 2: F = 2, a' = 4a, n = 0.
    // a = [3, -2, 31], b = [1, -3, 5]: s = [13, -11, 129 -> 127 (saturated)]
    expect(runAdd({ fl: 0 }, { fl: 2 }, { fl: 2 }, [3, -2, 31], [1, -3, 5])).toEqual([13, -11, 127]);
  });

  test('saturation at both ends, full and narrowed [qmin, qmax]', () => {
    // FL 0 throughout: s = [200, -200, 128, -129, 5]
    expect(runAdd({ fl: 0 }, { fl: 0 }, { fl: 0 }, [100, -100, 127, -128, 2], [100, -100, 1, -1, 3])).toEqual([127, -128, 127, -128, 5]);
    // out in [-127, 100]: s = [110, -130, 99, -127] -> [100, -127, 99, -127]
    expect(runAdd({ fl: 0 }, { fl: 0 }, { fl: 0, qmin: -127, qmax: 100 }, [60, -100, 50, -128], [50, -30, 49, 1])).toEqual([100, -127, 99, -127]);
  });

  test('output FL above the operands: saturating left shift', () => {
    // a, b FL 0, out FL 3: n = -3 (times 8). s = [15, 16, -16, -17, 0]
    // 15*8 = 120; 16*8 = 128 -> 127; -16*8 = -128; -17*8 = -136 -> -128; 0
    expect(runAdd({ fl: 0 }, { fl: 0 }, { fl: 3 }, [14, 15, -15, -16, 1], [1, 1, -1, -1, -1])).toEqual([120, 127, -128, -128, 0]);
  });

  test('uint8 operands and output, ties', () => {
    // a, b uint8 FL 4, out uint8 FL 3: n = 1. s = [300, 1, 3, 510, 5]
    // s/2 = [150, 0.5, 1.5, 255, 2.5]
    const a = [200, 1, 3, 255, 5];
    const b = [100, 0, 0, 255, 0];
    const expected: Record<Rounding, number[]> = {
      half_even: [150, 0, 2, 255, 2],
      half_up: [150, 1, 2, 255, 3],
      half_away: [150, 1, 2, 255, 3],
    };
    const u = (fl: number): FormatSpec => ({ dtype: 'uint8', fl });
    for (const mode of MODES) expect(runAdd(u(4), u(4), u(3), a, b, { rounding: mode })).toEqual(expected[mode]);
    // uint8 out FL 4 (n = 0): 300 -> 255, 510 -> 255
    expect(runAdd(u(4), u(4), u(4), a, b)).toEqual([255, 1, 3, 255, 5]);
  });

  test('uint8 + int8 into int8, and negative sums into uint8 saturate at 0', () => {
    // a uint8 FL 2 = [200, 10], b int8 FL 2 = [-50, -20] -> [150 -> 127, -10]
    expect(runAdd({ dtype: 'uint8', fl: 2 }, { fl: 2 }, { fl: 2 }, [200, 10], [-50, -20])).toEqual([127, -10]);
    // into uint8: -10 -> 0
    expect(runAdd({ dtype: 'uint8', fl: 2 }, { fl: 2 }, { dtype: 'uint8', fl: 2 }, [200, 10], [-50, -20])).toEqual([150, 0]);
  });

  test('a fused clamp narrows the output', () => {
    // s = [40, -4, 80, 50] with clamp [0, 50] -> [40, 0, 50, 50]
    expect(runAdd({ fl: 0 }, { fl: 0 }, { fl: 0 }, [30, -5, 40, 25], [10, 1, 40, 25], { clamp: { lo: 0, hi: 50 } })).toEqual([40, 0, 50, 50]);
  });

  test('a well-formed add reports nothing', () => {
    // alignment shift of exactly 22 is allowed (FL 0 and FL 22; sum FL 22 -> out 0: n = 22)
    expect(problems(buildAdd({ fl: 0 }, { fl: 22 }, { fl: 0 }, 2))).toEqual([]);
  });

  test('F8E030: operand shapes differ', () => {
    const g = buildAdd({ fl: 0 }, { fl: 0 }, { fl: 0 }, 2);
    g.tensors.set('b', { ...g.tensors.get('b')!, shape: [1, 1, 2, 1] });
    expect(problems(g)).toEqual(['F8E030']);
  });

  test('F8E012: add with three inputs', () => {
    const g = buildAdd({ fl: 0 }, { fl: 0 }, { fl: 0 }, 2);
    expect(problems(g, { ...g.layers[0]!, inputs: ['a', 'b', 'a'] })).toEqual(['F8E012']);
  });

  test('F8E044: alignment shift of 23', () => {
    expect(problems(buildAdd({ fl: 0 }, { fl: 23 }, { fl: 23 }, 2))).toEqual(['F8E044']);
    expect(problems(buildAdd({ fl: 23 }, { fl: 0 }, { fl: 23 }, 2))).toEqual(['F8E044']);
  });

  test('F8E044: requantisation shift of 32', () => {
    // F = 20, out FL -12: n = 32
    expect(problems(buildAdd({ fl: 20 }, { fl: 20 }, { fl: -12 }, 2))).toEqual(['F8E044']);
  });

  test('F8E042: int16 operand or int32 output', () => {
    expect(problems(buildAdd({ fl: 0, dtype: 'int16' }, { fl: 0 }, { fl: 0 }, 2))).toEqual(['F8E042']);
    expect(problems(buildAdd({ fl: 0 }, { fl: 0 }, { fl: 0, dtype: 'int32' }, 2))).toEqual(['F8E042']);
  });
});

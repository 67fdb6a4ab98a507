import { GraphBuilder, type FormatSpec } from '../../src/ir/builder.js';
import { runGraph } from '../../src/interp/interpreter.js';
import { trivialPlan } from '../../src/plan/trivial.js';
import { activationRange } from '../../src/ops/activation.js';
import type { Clamp, Graph, Layer, OpKind, Rounding } from '../../src/ir/types.js';
import { problems } from './helpers.js';

const MODES: Rounding[] = ['half_even', 'half_up', 'half_away'];
type Opts = { rounding?: Rounding; clamp?: Clamp };

function build(op: OpKind, fx: FormatSpec, fy: FormatSpec, n: number, attrs: Record<string, unknown> = {}, opts: Opts = {}): Graph {
  const b = new GraphBuilder('t');
  const x = b.input('x', [1, 1, 1, n], fx);
  b.layer('act', op, [x], { name: 'y', ...fy }, attrs, opts);
  b.output('y');
  return b.build();
}

function run(op: OpKind, fx: FormatSpec, fy: FormatSpec, x: number[], attrs: Record<string, unknown> = {}, opts: Opts = {}): number[] {
  const g = build(op, fx, fy, x.length, attrs, opts);
  return Array.from(runGraph(g, trivialPlan(g), new Map([['x', x]])).outputs.get('y')!);
}

describe('relu', () => {
  test('FL 2 -> 1 (halving): ties in all modes; negatives become 0', () => {
    // x/2 = [1.5, -1.5, 2.5, -2.5, 0.5, -0.5, 3.5, -64]
    const x = [3, -3, 5, -5, 1, -1, 7, -128];
    const expected: Record<Rounding, number[]> = {
      half_even: [2, 0, 2, 0, 0, 0, 4, 0],
      half_up: [2, 0, 3, 0, 1, 0, 4, 0],
      half_away: [2, 0, 3, 0, 1, 0, 4, 0],
    };
    for (const m of MODES) expect(run('relu', { fl: 2 }, { fl: 1 }, x, {}, { rounding: m })).toEqual(expected[m]);
  });

  test('FL 0 -> 2 (times 4): saturating left shift at 127, negatives at 0', () => {
    // 31*4 = 124; 32*4 = 128 -> 127; -5*4 -> 0; 40*4 -> 127; -128*4 -> 0
    expect(run('relu', { fl: 0 }, { fl: 2 }, [31, 32, -5, 40, -128])).toEqual([124, 127, 0, 127, 0]);
  });

  test('narrowed qmax; uint8 output; uint8 in and out with left shift', () => {
    expect(run('relu', { fl: 0 }, { fl: 0, qmax: 100 }, [-128, 127, 100, 0, 99])).toEqual([0, 100, 100, 0, 99]);
    expect(run('relu', { fl: 1 }, { dtype: 'uint8', fl: 1 }, [-128, 127, 5, -1])).toEqual([0, 127, 5, 0]);
    // uint8 FL 3 -> FL 4: 127*2 = 254, 128*2 = 256 -> 255, 200*2 -> 255, 0
    expect(run('relu', { dtype: 'uint8', fl: 3 }, { dtype: 'uint8', fl: 4 }, [127, 128, 200, 0])).toEqual([254, 255, 255, 0]);
  });

  test('a clamp on the layer is intersected with the relu range', () => {
    // bounds [-10, 50] ∩ [0, +inf) = [0, 50]
    expect(run('relu', { fl: 0 }, { fl: 0 }, [-5, 20, 80], {}, { clamp: { lo: -10, hi: 50 } })).toEqual([0, 20, 50]);
  });
});

describe('relu6', () => {
  test('FL 4: 6 * 16 = 96 is representable in int8', () => {
    expect(run('relu6', { fl: 4 }, { fl: 4 }, [95, 96, 97, 127, -5, -128])).toEqual([95, 96, 96, 96, 0, 0]);
  });

  test('FL 5: 6 * 32 = 192 exceeds int8, so qmax 127 bounds instead', () => {
    expect(run('relu6', { fl: 5 }, { fl: 5 }, [127, -128, 100])).toEqual([127, 0, 100]);
  });

  test('FL -1: hi = 3 exactly; FL -2: 6 * 1/4 = 1.5 is not an integer, hi = floor = 1', () => {
    // FL 0 -> -1: x/2 = [2.5, 3, 3.5, 4] -> half_even [2, 3, 4, 4] -> [2, 3, 3, 3]
    expect(run('relu6', { fl: 0 }, { fl: -1 }, [5, 6, 7, 8])).toEqual([2, 3, 3, 3]);
    // FL 0 -> -2: x/4 = [0.5, 0.75, 1, 6, -2]
    expect(run('relu6', { fl: 0 }, { fl: -2 }, [2, 3, 4, 24, -8])).toEqual([0, 1, 1, 1, 0]);
    expect(run('relu6', { fl: 0 }, { fl: -2 }, [2, 3, 4, 24, -8], {}, { rounding: 'half_up' })).toEqual([1, 1, 1, 1, 0]);
  });

  test('uint8: FL 5 -> hi 192 representable; FL 6 -> 384 exceeds 255', () => {
    expect(run('relu6', { dtype: 'uint8', fl: 5 }, { dtype: 'uint8', fl: 5 }, [191, 192, 193, 255, 0])).toEqual([191, 192, 192, 192, 0]);
    expect(run('relu6', { dtype: 'uint8', fl: 6 }, { dtype: 'uint8', fl: 6 }, [254, 255, 0])).toEqual([254, 255, 0]);
  });

  test('narrowed qmax below 6 * 2^FL', () => {
    // FL 4: hi = min(96, 90)
    expect(run('relu6', { fl: 4 }, { fl: 4, qmin: -127, qmax: 90 }, [95, 89, -128])).toEqual([90, 89, 0]);
  });
});

describe('clip', () => {
  test('[-1.5, 2.25] at out FL 2 = [-6, 9]; FL 3 -> 2 ties in all modes', () => {
    // x/2 = [1.5, -1.5, 2.5, 8.5, 9.5, -6.5, -5.5, 50, -50]
    const x = [3, -3, 5, 17, 19, -13, -11, 100, -100];
    const expected: Record<Rounding, number[]> = {
      half_even: [2, -2, 2, 8, 9, -6, -6, 9, -6],
      half_up: [2, -1, 3, 9, 9, -6, -5, 9, -6],
      half_away: [2, -2, 3, 9, 9, -6, -6, 9, -6],
    };
    for (const m of MODES) expect(run('clip', { fl: 3 }, { fl: 2 }, x, { min: -1.5, max: 2.25 }, { rounding: m })).toEqual(expected[m]);
  });

  test('bounds not exactly representable: [-0.3, 0.3] at FL 3 -> [ceil(-2.4), floor(2.4)] = [-2, 2]', () => {
    expect(run('clip', { fl: 3 }, { fl: 3 }, [-3, -2, 2, 3, 0], { min: -0.3, max: 0.3 })).toEqual([-2, -2, 2, 2, 0]);
  });

  test('narrowed qmin/qmax inside the clip range', () => {
    expect(run('clip', { fl: 0 }, { fl: 0, qmin: -5, qmax: 7 }, [-20, 20, -3, 3], { min: -10, max: 10 })).toEqual([-5, 7, -3, 3]);
  });

  test('FL 0 -> 2 (left shift): clip [-1, 1] = [-4, 4]; wide clip saturates at the int8 range', () => {
    expect(run('clip', { fl: 0 }, { fl: 2 }, [1, 2, -1, -2, 0], { min: -1, max: 1 })).toEqual([4, 4, -4, -4, 0]);
    // [-100, 100] at FL 2 = [-400, 400]; -40*4 = -160 -> -128, 40*4 = 160 -> 127, 31*4 = 124
    expect(run('clip', { fl: 0 }, { fl: 2 }, [-40, 40, 31], { min: -100, max: 100 })).toEqual([-128, 127, 124]);
  });

  test('uint8 in and out, [0.5, 1.5] at FL 7 = [64, 192]', () => {
    expect(run('clip', { dtype: 'uint8', fl: 7 }, { dtype: 'uint8', fl: 7 }, [0, 64, 150, 200, 255], { min: 0.5, max: 1.5 })).toEqual([64, 64, 150, 192, 192]);
  });
});

describe('activationRange', () => {
  const out = (fl: number) => ({ name: 'y', shape: [1], dtype: 'int8' as const, quant: { kind: 'fixed' as const, fl, qmin: -128, qmax: 127 } });
  const layer = (op: OpKind, attrs: Record<string, unknown> = {}): Layer => ({ name: 'l', op, inputs: ['x'], outputs: ['y'], attrs, rounding: 'half_even' });
  test('relu, relu6, clip in output units (open side = int32 limit)', () => {
    expect(activationRange(layer('relu'), out(3))).toEqual({ lo: 0, hi: 2147483647 });
    expect(activationRange(layer('relu6'), out(4))).toEqual({ lo: 0, hi: 96 });
    expect(activationRange(layer('relu6'), out(-2))).toEqual({ lo: 0, hi: 1 });
    // 6 * 2^24 = 100663296
    expect(activationRange(layer('relu6'), out(24))).toEqual({ lo: 0, hi: 100663296 });
    expect(activationRange(layer('clip', { min: -0.3, max: 0.3 }), out(3))).toEqual({ lo: -2, hi: 2 });
    expect(activationRange(layer('clip', { min: -1e12, max: 1e12 }), out(0))).toEqual({ lo: -2147483648, hi: 2147483647 });
  });
});

describe('activation diagnostics', () => {
  test('well-formed layers report nothing', () => {
    expect(problems(build('relu', { fl: 2 }, { fl: 1 }, 2))).toEqual([]);
    expect(problems(build('clip', { fl: 0 }, { fl: 0 }, 2, { min: 1, max: 1 }))).toEqual([]);
  });

  test('F8E011: clip min > max', () => {
    const g = build('clip', { fl: 0 }, { fl: 0 }, 2, { min: 0, max: 1 });
    expect(problems(g, { ...g.layers[0]!, attrs: { min: 2, max: 1 } })).toEqual(['F8E011']);
  });

  test('F8E011: clip range holds no integer at the output FL', () => {
    // [0.1, 0.2] at FL 0 -> [ceil 0.1, floor 0.2] = [1, 0]
    expect(problems(build('clip', { fl: 0 }, { fl: 0 }, 2, { min: 0.1, max: 0.2 }))).toEqual(['F8E011']);
  });

  test('F8E042: int32 input or int16 output', () => {
    expect(problems(build('relu', { fl: 0, dtype: 'int32' }, { fl: 0 }, 2))).toEqual(['F8E042']);
    expect(problems(build('relu6', { fl: 0 }, { fl: 0, dtype: 'int16' }, 2))).toEqual(['F8E042']);
  });

  test('F8E044: rescale shift of 32', () => {
    expect(problems(build('relu', { fl: 24 }, { fl: -8 }, 2))).toEqual(['F8E044']);
  });
});

import { GraphBuilder, type FormatSpec } from '../../src/ir/builder.js';
import { getOp } from '../../src/ops/registry.js';
import { softmaxTable } from '../../src/ops/softmax.js';
import type { Graph, Rounding } from '../../src/ir/types.js';
import { problems, runXY as run } from './helpers.js';

/*
 * Table entries worked out by hand (bc -l, scale 10), LUT[k] = round(32768 * e^(-k * 2^-FL_in)):
 *   FL_in 0: k=0 32768; k=1 12054.67 -> 12055; k=2 4434.67 -> 4435; k=3 1631.42 -> 1631;
 *            k=4 600.17 -> 600; k=5 220.79 -> 221; k=11 0.547 -> 1; k=12 0.201 -> 0.
 *   FL_in 1: k=1 19874.80 -> 19875; k=2 = FL 0's k=1 = 12055; k=3 7311.53 -> 7312.
 */

function build(shape: number[], fx: FormatSpec, fy: FormatSpec, rounding: Rounding = 'half_even'): Graph {
  const b = new GraphBuilder('t');
  const x = b.input('x', shape, fx);
  b.layer('sm', 'softmax', [x], { name: 'y', ...fy }, {}, { rounding });
  b.output('y');
  return b.build();
}

describe('softmaxTable', () => {
  test('FL_in 0 and 1 entries', () => {
    const t0 = softmaxTable(0);
    expect(t0.length).toBe(256);
    expect(Array.from(t0.slice(0, 6))).toEqual([32768, 12055, 4435, 1631, 600, 221]);
    expect([t0[11], t0[12], t0[255]]).toEqual([1, 0, 0]);
    const t1 = softmaxTable(1);
    expect(Array.from(t1.slice(0, 4))).toEqual([32768, 19875, 12055, 7312]);
  });
});

describe('softmax', () => {
  test('row [2, 1, 0, 2] at FL_in 0 into int8 FL 7', () => {
    // k = [0, 1, 2, 0]; e = [32768, 12055, 4435, 32768]; S = 82026
    // 32768*128 = 4194304 = 51*82026 + 10978 (< S/2)  -> 51
    // 12055*128 = 1543040 = 18*82026 + 66572 (> S/2)  -> 19
    //  4435*128 =  567680 =  6*82026 + 75524 (> S/2)  -> 7
    expect(run(build([1, 4], { fl: 0 }, { fl: 7 }), [2, 1, 0, 2])).toEqual([51, 19, 7, 51]);
  });

  test('a tie: two equal maxima at FL_out 0 give exactly 0.5; a far element gives e = 0', () => {
    // [20, 20, 0]: k = [0, 0, 20] -> e = [32768, 32768, 0], S = 65536; 32768 / 65536 = 0.5
    const expected: Record<Rounding, number[]> = { half_even: [0, 0, 0], half_up: [1, 1, 0], half_away: [1, 1, 0] };
    for (const m of ['half_even', 'half_up', 'half_away'] as const) {
      expect(run(build([1, 3], { fl: 0 }, { fl: 0 }, m), [20, 20, 0])).toEqual(expected[m]);
      // four equal values (negative) at FL_out 1: 32768 * 2 / 131072 = 0.5
      const t = expected[m][0];
      expect(run(build([1, 4], { fl: 0 }, { fl: 1 }, m), [-7, -7, -7, -7])).toEqual([t, t, t, t]);
    }
  });

  test('one dominant element: 2^7 = 128 saturates to 127 (int8 FL 7) and 2^8 = 256 to 255 (uint8 FL 8)', () => {
    // [127, -128]: k = [0, 255] -> e = [32768, 0], S = 32768
    expect(run(build([1, 2], { fl: 0 }, { fl: 7 }), [127, -128])).toEqual([127, 0]);
    expect(run(build([1, 2], { fl: 0 }, { dtype: 'uint8', fl: 8 }), [127, -128])).toEqual([255, 0]);
  });

  test('narrowed [qmin, qmax] = [10, 50] at FL 7', () => {
    // [0, 0]: 32768 * 128 / 65536 = 64 -> 50; [5, -100]: [128 -> 50, 0 -> 10]
    expect(run(build([1, 2], { fl: 0 }, { fl: 7, qmin: 10, qmax: 50 }), [0, 0])).toEqual([50, 50]);
    expect(run(build([1, 2], { fl: 0 }, { fl: 7, qmin: 10, qmax: 50 }), [5, -100])).toEqual([50, 10]);
  });

  test('uint8 input [255, 254, 0] into uint8 FL 8', () => {
    // k = [0, 1, 255] -> e = [32768, 12055, 0]; S = 44823
    // 32768*256 = 8388608 = 187*44823 + 6707   -> 187
    // 12055*256 = 3086080 =  68*44823 + 38116 (> 22411.5) -> 69
    expect(run(build([1, 3], { dtype: 'uint8', fl: 0 }, { dtype: 'uint8', fl: 8 }), [255, 254, 0])).toEqual([187, 69, 0]);
  });

  test('FL_in 1: row [4, 2, 3] into int8 FL 6', () => {
    // k = [0, 2, 1] -> e = [32768, 12055, 19875]; S = 64698
    // 32768*64 = 2097152 = 32*64698 + 26816 (< 32349) -> 32
    // 12055*64 =  771520 = 11*64698 + 59842 (> 32349) -> 12
    // 19875*64 = 1272000 = 19*64698 + 42738 (> 32349) -> 20
    expect(run(build([1, 3], { fl: 1 }, { fl: 6 }), [4, 2, 3])).toEqual([32, 12, 20]);
  });

  test('rows of the last axis are independent: [1, 2, 2] at FL_out 4', () => {
    // row 0 [0, 0]: 32768*16 / 65536 = 8 each
    // row 1 [1, 0]: e = [32768, 12055], S = 44823
    //   524288 = 11*44823 + 31235 (> 22411.5) -> 12;  192880 = 4*44823 + 13588 -> 4
    expect(run(build([1, 2, 2], { fl: 0 }, { fl: 4 }), [0, 0, 1, 0])).toEqual([8, 8, 12, 4]);
  });

  test('a well-formed softmax reports nothing; row of exactly 65536 is allowed', () => {
    expect(problems(build([1, 65536], { fl: 3 }, { fl: 15, dtype: 'uint8' }))).toEqual([]);
    expect(problems(build([1, 4], { fl: 0 }, { fl: 0 }))).toEqual([]);
  });

  test('F8E030: row longer than 65536, or no batch axis', () => {
    const g = build([1, 4], { fl: 0 }, { fl: 7 });
    g.tensors.set('x', { ...g.tensors.get('x')!, shape: [1, 65537] });
    expect(problems(g)).toEqual(['F8E030']);
    g.tensors.set('x', { ...g.tensors.get('x')!, shape: [4] });
    expect(problems(g)).toEqual(['F8E030']);
  });

  test('F8E040: FL_out outside [0, 15]', () => {
    expect(problems(build([1, 4], { fl: 0 }, { fl: 16 }))).toEqual(['F8E040']);
    expect(problems(build([1, 4], { fl: 0 }, { fl: -1 }))).toEqual(['F8E040']);
  });

  test('F8E042: int16 input or int32 output', () => {
    expect(problems(build([1, 4], { fl: 0, dtype: 'int16' }, { fl: 7 }))).toEqual(['F8E042']);
    expect(problems(build([1, 4], { fl: 0 }, { fl: 7, dtype: 'int32' }))).toEqual(['F8E042']);
  });

  test('variant is an enum: f8c (default) or tflite (affine int8, test/tflite)', () => {
    const a = getOp('softmax').attrs;
    expect(a.parse({})).toEqual({ variant: 'f8c' });
    expect(a.safeParse({ variant: 'tflite' }).success).toBe(true);
    expect(a.safeParse({ variant: 'onnx' }).success).toBe(false);
  });
});

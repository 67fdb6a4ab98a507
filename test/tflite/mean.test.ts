/**
 * MEAN (global average over H and W, keep_dims true and false) from a small
 * int8 model written by src/import/tflite/writer.ts: imported as
 * global_avg_pool (+ reshape), the interpreter gives hand-worked values of
 * TFLite Micro's QuantizedMeanOrSum (integer mean, 1/n folded into the
 * multiplier) under double and single rounding, and the generated C equals
 * the interpreter (strict and ASan/UBSan builds).
 */
import { verifyOnHost } from '../../src/backend/c/verify.js';
import { importTfliteBytes } from '../../src/import/tflite/index.js';
import { writeTflite, type WModel } from '../../src/import/tflite/writer.js';
import { BUILTIN, F, OPTIONS_TYPE } from '../../src/import/tflite/schema.js';
import { runGraph } from '../../src/interp/interpreter.js';
import { runPipeline } from '../../src/passes/index.js';
import { trivialPlan } from '../../src/plan/trivial.js';
import { meanMultiplier } from '../../src/ops/affine/mean.js';
import { quantizeMultiplier } from '../../src/arith/tflite.js';
import { ImportProblem, convertTflite } from '../../src/import/tflite/convert.js';
import { readTflite } from '../../src/import/tflite/reader.js';

const axes = (v: number[]) => ({ shape: [v.length], type: 'int32' as const, data: Int32Array.from(v) });
const keep = (k: number) => ({ type: OPTIONS_TYPE.ReducerOptions, fields: [{ id: F.reducer.keepDims, kind: 'int8' as const, value: k }] });

/** x [1,2,2,3] (S 0.5, Z -3) -> MEAN(1,2) keep_dims -> a [1,1,1,3] (S 0.25, Z 5); MEAN(2,1) -> b [1,3] (S 0.3, Z -7). */
function model(): WModel {
  return {
    tensors: [
      { name: 'x', shape: [1, 2, 2, 3], type: 'int8', scale: [0.5], zeroPoint: [-3] },
      { name: 'axes', ...axes([1, 2]) },
      { name: 'a', shape: [1, 1, 1, 3], type: 'int8', scale: [0.25], zeroPoint: [5] },
      { name: 'axes_rev', ...axes([2, -3]) },
      { name: 'b', shape: [1, 3], type: 'int8', scale: [0.3], zeroPoint: [-7] },
    ],
    inputs: [0],
    outputs: [2, 4],
    operators: [
      { builtin: BUILTIN.MEAN, inputs: [0, 1], outputs: [2], options: keep(1) },
      { builtin: BUILTIN.MEAN, inputs: [0, 3], outputs: [4], options: keep(0) },
    ],
  };
}

// NHWC [1,2,2,3]: channel 0 = 1, 2, 3, 4 (sum 10); channel 1 = -3, -3, -3, -2 (sum -11);
// channel 2 = -4, -4, -4, -3 (sum -15). n = 4, Z_in * n = -12: d = 22, 1, -3.
const X = [1, -3, -4, 2, -3, -4, 3, -3, -4, 4, -2, -3];

describe('MEAN (TFLite Micro integer mean)', () => {
  const tfl = writeTflite(model());

  test('import: global_avg_pool, and a reshape to [1, C] without keep_dims', () => {
    const g = importTfliteBytes(tfl, 'mean.tflite');
    expect(g.layers.map((l) => [l.op, g.tensors.get(l.outputs[0]!)!.shape])).toEqual([
      ['global_avg_pool', [1, 1, 1, 3]],
      ['global_avg_pool', [1, 1, 1, 3]],
      ['reshape', [1, 3]],
    ]);
  });

  test('the multiplier: 1/n folded in as TFLite (k = min(floor(log2 n), 32, 31 + shift))', () => {
    // S 0.5 -> 0.25: QM(2) = (2^30, 2); n = 4: k = 2, M' = 2^30, shift 0: out = round(d / 2) + 5
    expect(meanMultiplier(quantizeMultiplier(2), 4)).toEqual({ multiplier: 2 ** 30, shift: 0 });
    // n = 3: k = 1, M' = trunc(2^30 * 2 / 3) = 715827882
    expect(meanMultiplier({ multiplier: 2 ** 30, shift: 2 }, 3)).toEqual({ multiplier: 715827882, shift: 1 });
    // k capped at 32 (n >= 2^33), and at 31 + shift
    expect(meanMultiplier({ multiplier: 2 ** 30, shift: 1 }, 2 ** 33 + 5)).toEqual({ multiplier: Number(2n ** 62n / (2n ** 33n + 5n)), shift: -31 });
    expect(meanMultiplier({ multiplier: 2 ** 30, shift: 0 }, 2 ** 33 + 5)).toEqual({ multiplier: Number(2n ** 61n / (2n ** 33n + 5n)), shift: -31 });
    expect(meanMultiplier({ multiplier: 2 ** 30, shift: -29 }, 1000)).toEqual({ multiplier: Math.trunc(2 ** 32 / 1000), shift: -31 });
  });

  for (const [rounding, a, b] of [
    // a: M' = 2^30, shift 0, d = 22, 1, -3 -> d / 2 = 11, 0.5, -1.5. Double rounding: SRDHM nudges
    //    by +2^30 (d >= 0) or 1 - 2^30 (d < 0) and truncates: 11, 1, -1. Single: (d * 2^30 + 2^30) >> 31
    //    (floor): 11, 1, -1. Both + 5: 16, 6, 4.
    // b: S 0.5 / float32(0.3) = 1.66666660: QM = (1789569636, 1), n = 4: k = 2, M' = 1789569636, shift -1;
    //    d * M' / 2^32 = 9.17, 0.417, -1.25. Double: SRDHM(d, M') = 18, 1, -2 (0.83 rounds up to 1), then
    //    RoundingDivideByPOT(., 1) = 9, 1 (0.5 away from zero), -1 -> the double-rounding artefact at d = 1;
    //    single: floor(d * M' / 2^32 + 1/2) = 9, 0, -1. Both - 7.
    ['double', [16, 6, 4], [2, -6, -8]],
    ['single', [16, 6, 4], [2, -7, -8]],
  ] as const) {
    test(`interpreter: hand-worked values, ${rounding} rounding`, () => {
      const g = runPipeline(importTfliteBytes(tfl, 'mean.tflite'));
      g.affineRounding = rounding;
      const out = runGraph(g, trivialPlan(g), new Map([[g.inputs[0]!, X]])).outputs;
      expect(g.outputs.map((n) => Array.from(out.get(n)!))).toEqual([a, b]);
    });
  }

  test('generated C equals the interpreter (strict, ASan/UBSan; double and single rounding)', async () => {
    const g = runPipeline(importTfliteBytes(tfl, 'mean.tflite'));
    const gs = { ...g, name: 'mean_single', affineRounding: 'single' as const };
    const cases = [X, Array(12).fill(-128), Array(12).fill(127), [127, -128, 5, -5, 0, 1, 2, 3, 4, 5, 6, 7]].map((v) => new Map([[g.inputs[0]!, v]]));
    const rep = await verifyOnHost([{ graph: g, cases }, { graph: gs, cases }]);
    expect(rep.builds.map((b) => [b.compileLog ?? '', b.runError ?? '', b.mismatches])).toEqual(rep.builds.map(() => ['', '', []]));
  }, 90_000);

  test('MEAN over other axes is F8E112', () => {
    const m = model();
    m.tensors[1] = { name: 'axes', ...axes([3]) };
    m.tensors[2]!.shape = [1, 2, 2, 1];
    let err: unknown;
    try {
      convertTflite(readTflite(writeTflite(m)), 'm');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImportProblem);
    expect((err as ImportProblem).code).toBe('F8E112');
    expect((err as Error).message).toMatch(/axes 1 and 2/);
  });
});

/**
 * LOGISTIC, TANH, PAD and CONCATENATION: imported from a small int8 model
 * written by src/import/tflite/writer.ts, run in the interpreter (sigmoid and
 * tanh against the real functions: TFLite's fixed point rounds to the
 * nearest int8 here; pad borders read the zero point; concat copies), and
 * the generated C equals the interpreter (strict and ASan/UBSan builds).
 */
import { verifyOnHost } from '../../src/backend/c/verify.js';
import { importTfliteBytes } from '../../src/import/tflite/index.js';
import { writeTflite, type WModel } from '../../src/import/tflite/writer.js';
import { BUILTIN, F, OPTIONS_TYPE } from '../../src/import/tflite/schema.js';
import { runGraph } from '../../src/interp/interpreter.js';
import { runPipeline } from '../../src/passes/index.js';
import { trivialPlan } from '../../src/plan/trivial.js';
import { lutParams, lutValue } from '../../src/ops/affine/lut.js';
import type { Tensor } from '../../src/ir/types.js';

const S = 0.05;
const Z = -10;

/** x [1,2,2,1] -> PAD (H before 1, W after 1) -> p [1,3,3,1]; p -> LOGISTIC, TANH; CONCAT(p, p) on axis 3. */
function model(): WModel {
  return {
    tensors: [
      { name: 'x', shape: [1, 2, 2, 1], type: 'int8', scale: [S], zeroPoint: [Z] },
      { name: 'paddings', shape: [4, 2], type: 'int32', data: Int32Array.from([0, 0, 1, 0, 0, 1, 0, 0]) },
      { name: 'p', shape: [1, 3, 3, 1], type: 'int8', scale: [S], zeroPoint: [Z] },
      { name: 'sig', shape: [1, 3, 3, 1], type: 'int8', scale: [1 / 256], zeroPoint: [-128] },
      { name: 'tanh', shape: [1, 3, 3, 1], type: 'int8', scale: [1 / 128], zeroPoint: [0] },
      { name: 'cat', shape: [1, 3, 3, 2], type: 'int8', scale: [S], zeroPoint: [Z] },
    ],
    inputs: [0],
    outputs: [3, 4, 5],
    operators: [
      { builtin: BUILTIN.PAD, inputs: [0, 1], outputs: [2] },
      { builtin: BUILTIN.LOGISTIC, inputs: [2], outputs: [3] },
      { builtin: BUILTIN.TANH, inputs: [2], outputs: [4] },
      { builtin: BUILTIN.CONCATENATION, inputs: [2, 2], outputs: [5], options: { type: OPTIONS_TYPE.ConcatenationOptions, fields: [{ id: F.concat.axis, kind: 'int32', value: 3 }] } },
    ],
  };
}

const X = [-128, -10, 60, 127];
const PADDED = [Z, Z, Z, -128, -10, Z, 60, 127, Z];

describe('LOGISTIC, TANH, PAD, CONCATENATION', () => {
  const g = runPipeline(importTfliteBytes(writeTflite(model()), 'ops.tflite'));

  test('import: sigmoid, tanh, pad, concat layers', () => {
    expect(g.layers.map((l) => l.op)).toEqual(['pad', 'sigmoid', 'tanh', 'concat']);
  });

  test('interpreter: pad reads Z, concat copies, sigmoid/tanh round to the real function', () => {
    const out = runGraph(g, trivialPlan(g), new Map([[g.inputs[0]!, X]])).outputs;
    const [sig, tanh, cat] = g.outputs.map((n) => Array.from(out.get(n)!));
    expect(cat).toEqual(PADDED.flatMap((v) => [v, v]));
    expect(sig).toEqual(PADDED.map((q) => Math.min(127, Math.round(256 / (1 + Math.exp(-S * (q - Z)))) - 128)));
    expect(tanh).toEqual(PADDED.map((q) => Math.max(-128, Math.min(127, Math.round(128 * Math.tanh(S * (q - Z)))))));
  });

  test('every int8 input, several scales: within one step of the real function (exact here), saturating outside the radius', () => {
    for (const s of [0.003, 0.02, 0.1, 0.37, 1]) {
      const x = { name: 'x', shape: [1], dtype: 'int8', quant: { kind: 'affine', scale: s, zeroPoint: 3, qmin: -128, qmax: 127 } } as Tensor;
      const p = lutParams(x)!;
      for (let q = -128; q < 128; q++) {
        const r = s * (q - 3);
        expect(Math.abs(lutValue('sigmoid', p, q, 'double') - Math.min(127, Math.round(256 / (1 + Math.exp(-r))) - 128))).toBeLessThanOrEqual(1);
        expect(Math.abs(lutValue('tanh', p, q, 'single') - Math.max(-128, Math.min(127, Math.round(128 * Math.tanh(r)))))).toBeLessThanOrEqual(1);
      }
    }
  });

  test('generated C equals the interpreter (strict, ASan/UBSan)', async () => {
    const cases = [X, [0, 0, 0, 0], [127, -128, 5, -5]].map((v) => new Map([[g.inputs[0]!, v]]));
    const rep = await verifyOnHost([{ graph: g, cases }]);
    expect(rep.builds.map((b) => [b.compileLog ?? '', b.runError ?? '', b.mismatches])).toEqual([
      ['', '', []],
      ['', '', []],
    ]);
  }, 60_000);
});

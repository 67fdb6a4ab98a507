/**
 * TFLite import on small int8 models written by src/import/tflite/writer.ts:
 * a hand-worked FULLY_CONNECTED (double vs single rounding), round trip
 * through the model format, and the import diagnostics F8E110-F8E112.
 */
import { importTfliteBytes } from '../../src/import/tflite/index.js';
import { readTflite } from '../../src/import/tflite/reader.js';
import { writeTflite, type WModel } from '../../src/import/tflite/writer.js';
import { BUILTIN, F, OPTIONS_TYPE } from '../../src/import/tflite/schema.js';
import { runGraph } from '../../src/interp/interpreter.js';
import { runPipeline } from '../../src/passes/index.js';
import { trivialPlan } from '../../src/plan/trivial.js';
import { parseModel, serializeModel } from '../../src/loader/load.js';
import { UserError } from '../../src/diag/diagnostic.js';
import type { Graph } from '../../src/ir/types.js';

/** x [1,2] (S 0.5, Z 1) -> FC w [[2, -3]] (S 0.25), bias [-34] (S 0.125) -> out [1,1] (S 1, Z -2). */
function fcModel(act = 0): WModel {
  return {
    tensors: [
      { name: 'x', shape: [1, 2], type: 'int8', scale: [0.5], zeroPoint: [1] },
      { name: 'w', shape: [1, 2], type: 'int8', scale: [0.25], data: Int8Array.from([2, -3]) },
      { name: 'b', shape: [1], type: 'int32', scale: [0.125], data: Int32Array.from([-34]) },
      { name: 'y', shape: [1, 1], type: 'int8', scale: [1], zeroPoint: [-2] },
    ],
    inputs: [0],
    outputs: [3],
    operators: [{ builtin: BUILTIN.FULLY_CONNECTED, inputs: [0, 1, 2], outputs: [3], options: { type: OPTIONS_TYPE.FullyConnectedOptions, fields: [{ id: F.fc.activation, kind: 'int8', value: act }] } }],
  };
}

function run(g: Graph, x: number[]): number[] {
  const c = runPipeline(g);
  return Array.from(runGraph(c, trivialPlan(c), new Map([[c.inputs[0]!, x]])).outputs.get(c.outputs[0]!)!);
}

function codeOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.diagnostics.map((d) => d.code);
    throw e;
  }
  return [];
}

describe('TFLite import', () => {
  test('the writer and the reader agree', () => {
    const m = readTflite(writeTflite(fcModel()));
    expect(m.operators.map((o) => o.opName)).toEqual(['FULLY_CONNECTED']);
    expect(m.tensors[0]!.quant).toEqual({ scale: [0.5], zeroPoint: [1], quantizedDimension: 0 });
    expect(Array.from(new Int8Array(m.tensors[1]!.data!.slice().buffer))).toEqual([2, -3]);
  });

  test('FULLY_CONNECTED, hand-worked: a negative tie rounds differently in double and single rounding', () => {
    // x = [5, -1]: acc = 2*(5-1) + (-3)*(-1-1) - 34 = -20; M = 0.5*0.25/1 = 2^-3 (M0 = 2^30, shift -2).
    // double: SRDHM(-20, 2^30) = -10, RoundingDivideByPOT(-10, 2) = -3 (-2.5 away from zero); + Z -2 = -5.
    // single: (-20 * 2^30 + 2^32) >> 33 = floor(-2.5 + 0.5) = -2; + Z -2 = -4.
    const bytes = writeTflite(fcModel());
    expect(run(importTfliteBytes(bytes, 'fc.tflite'), [5, -1])).toEqual([-5]);
    expect(run(importTfliteBytes(bytes, 'fc.tflite', { rounding: 'single' }), [5, -1])).toEqual([-4]);
    // x = [7, 1]: acc = 12 + 0 - 34 = -22 -> -2.75 -> -3 in both; + Z = -5.
    expect(run(importTfliteBytes(bytes, 'fc.tflite'), [7, 1])).toEqual([-5]);
  });

  test('fused RELU6 becomes the output range [Z + round(0/S), Z + round(6/S)]', () => {
    const g = importTfliteBytes(writeTflite(fcModel(3)), 'fc.tflite');
    const y = g.tensors.get(g.outputs[0]!)!;
    expect([y.quant.qmin, y.quant.qmax]).toEqual([-2, 4]);
    expect(run(g, [5, -1])).toEqual([-2]);
  });

  test('round trip through model format v1 keeps scales, zero points and the rounding mode', () => {
    const g = importTfliteBytes(writeTflite(fcModel()), 'fc.tflite', { rounding: 'single' });
    const { json } = serializeModel(g, { inline: true });
    expect(json).toContain('"affine_rounding": "single"');
    const back = parseModel(json, 'fc.json', () => undefined);
    expect(back.diags.items.filter((d) => d.severity === 'error')).toEqual([]);
    expect(run(back.graph, [5, -1])).toEqual([-4]);
  });

  test('F8E110 not a TFLite file; F8E111 lists every unsupported operator once; F8E112 unsupported use', () => {
    expect(codeOf(() => importTfliteBytes(new Uint8Array(16), 'x.tflite'))).toEqual(['F8E110']);
    const m = fcModel();
    m.operators.push({ builtin: BUILTIN.MUL, inputs: [3, 3], outputs: [3] }, { builtin: BUILTIN.LSTM, inputs: [3], outputs: [3] }, { builtin: BUILTIN.MUL, inputs: [3, 3], outputs: [3] });
    let msg = '';
    try {
      importTfliteBytes(writeTflite(m), 'x.tflite');
    } catch (e) {
      msg = (e as UserError).diagnostics.map((d) => `${d.code} ${d.message}`).join('\n');
    }
    expect(msg).toBe('F8E111 unsupported operators: MUL, LSTM');
    const f = fcModel();
    f.tensors[0]!.type = 'float32';
    expect(codeOf(() => importTfliteBytes(writeTflite(f), 'x.tflite'))).toEqual(['F8E112']);
  });
});

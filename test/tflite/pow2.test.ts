/**
 * The shift-only path on an imported model: FULLY_CONNECTED with
 * S_x * S_w / S_out = 1/2 and zero points 0 is shift-only under double
 * rounding (and lowers to the fixed-point dense kernel); M = 1/4 is shift-
 * only under single rounding only; a zero point keeps the multiplier path.
 * `f8c inspect` shows the path per layer.
 */
import { importTfliteBytes } from '../../src/import/tflite/index.js';
import { writeTflite, type WModel } from '../../src/import/tflite/writer.js';
import { BUILTIN } from '../../src/import/tflite/schema.js';
import { rescalePath } from '../../src/ops/affine/pow2.js';
import { runPipeline } from '../../src/passes/index.js';
import { getOp } from '../../src/ops/registry.js';
import { opCtx } from '../../src/ops/context.js';
import { HOST_TARGET } from '../../src/ops/opdef.js';
import { verifyOnHost } from '../../src/backend/c/verify.js';

function fc(sOut: number, zOut: number): WModel {
  return {
    tensors: [
      { name: 'x', shape: [1, 3], type: 'int8', scale: [0.5], zeroPoint: [0] },
      { name: 'w', shape: [2, 3], type: 'int8', scale: [0.25], data: Int8Array.from([2, -3, 7, 127, -128, 5]) },
      { name: 'b', shape: [2], type: 'int32', scale: [0.125], data: Int32Array.from([-34, 3]) },
      { name: 'y', shape: [1, 2], type: 'int8', scale: [sOut], zeroPoint: [zOut] },
    ],
    inputs: [0],
    outputs: [3],
    operators: [{ builtin: BUILTIN.FULLY_CONNECTED, inputs: [0, 1, 2], outputs: [3] }],
  };
}

const load = (m: WModel, rounding?: 'single') => runPipeline(importTfliteBytes(writeTflite(m), 'fc.tflite', rounding ? { rounding } : {}));

test('shift-only where exact, multiplier elsewhere', async () => {
  const half = load(fc(0.25, 0));
  expect(rescalePath(half, half.layers[0]!)).toBe('shift-only');
  expect(getOp('dense').lower!(opCtx(half, half.layers[0]!), HOST_TARGET, 'portable')[0]!.fn).toBe('f8_dense_s8');
  expect(rescalePath(load(fc(0.5, 0)), load(fc(0.5, 0)).layers[0]!)).toBe('multiplier'); // M = 1/4, double rounding
  const quarterSingle = load(fc(0.5, 0), 'single');
  expect(rescalePath(quarterSingle, quarterSingle.layers[0]!)).toBe('shift-only');
  expect(rescalePath(load(fc(0.25, 3)), load(fc(0.25, 3)).layers[0]!)).toBe('multiplier');
  const cases = [[1, -1, 3], [127, -128, 0], [-5, 5, -7], [1, 1, 1]].map((v) => new Map([['t0_x', v]]));
  for (const g of [half, quarterSingle]) {
    const rep = await verifyOnHost([{ graph: g, cases: cases.map((c) => new Map([[g.inputs[0]!, c.get('t0_x')!]])) }], { builds: ['strict'] });
    expect(rep.ok).toBe(true);
  }
});

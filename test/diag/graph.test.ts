/** One test per diagnostic code of graph structure, shapes, op formats and bounds; one run reports all. */
import type { Diagnostic } from '../../src/diag/diagnostic.js';
import { b64, diagsOf, errorsOf, load, tiny } from '../loader/helpers.js';

/** Loads `m` and expects exactly one error (warnings allowed), with the given code and location. */
function expectError(m: unknown, want: Partial<Diagnostic>): Diagnostic {
  const ds = errorsOf(m);
  expect(ds.map((d) => d.code)).toEqual([want.code]);
  expect(ds[0]).toMatchObject({ file: 'mem.json', ...want });
  return ds[0]!;
}

/** A second conv layer reading c1 into c2 (weights [2,1,1,2]). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function twoLayers(): any {
  const m = tiny();
  m.tensors['conv2.w'] = { shape: [2, 1, 1, 2], dtype: 'int8', quant: { kind: 'fixed', fl: 6 }, data: { base64: b64(Int8Array.from([1, 2, 3, 4])) } };
  m.tensors.c2 = { shape: [1, 4, 4, 2], dtype: 'int8', quant: { kind: 'fixed', fl: 4 } };
  m.layers.push({ name: 'conv2', op: 'conv2d', inputs: ['c1', 'conv2.w'], outputs: ['c2'] });
  m.outputs = ['c2'];
  return m;
}

describe('graph structure diagnostics', () => {
  test('the two-layer model is valid', () => {
    expect(diagsOf(twoLayers())).toEqual([]);
  });

  test('F8E010 unknown op, every one reported', () => {
    const m = twoLayers();
    m.layers[0].op = 'conv3d';
    m.layers[1].op = 'mystery';
    const ds = errorsOf(m);
    expect(ds.map((d) => [d.code, d.pointer, d.layer])).toEqual([
      ['F8E010', '/layers/0/op', 'conv1'],
      ['F8E010', '/layers/1/op', 'conv2'],
    ]);
  });

  test('F8E011 invalid attribute, pointing into attrs', () => {
    const m = tiny();
    m.layers[0].attrs.strides = [0, 1];
    expectError(m, { code: 'F8E011', pointer: '/layers/0/attrs/strides/0', layer: 'conv1', field: 'attrs.strides.0' });
    const m2 = tiny();
    m2.layers[0].attrs.stride = 2;
    expectError(m2, { code: 'F8E011', pointer: '/layers/0/attrs/stride', layer: 'conv1' });
  });

  test('F8E012 wrong number of inputs or outputs', () => {
    const m = tiny();
    m.layers[0].inputs = ['image'];
    expectError(m, { code: 'F8E012', pointer: '/layers/0/inputs', layer: 'conv1' });
    const m2 = twoLayers();
    m2.layers[0].outputs = ['c1', 'c2'];
    m2.layers.pop();
    m2.outputs = ['c1', 'c2'];
    delete m2.tensors['conv2.w'];
    expect(errorsOf(m2).map((d) => d.code)).toContain('F8E012');
  });

  test('F8E020 reference to an undefined tensor', () => {
    const m = tiny();
    m.layers[0].inputs[0] = 'img';
    expectError(m, { code: 'F8E020', pointer: '/layers/0/inputs/0', layer: 'conv1', field: 'inputs[0]' });
    const m2 = tiny();
    m2.outputs = ['logits'];
    expect(errorsOf(m2)).toMatchObject([{ code: 'F8E020', pointer: '/outputs/0' }]);
  });

  test('F8E021 tensor produced twice', () => {
    const m = tiny();
    m.layers.push({ ...m.layers[0], name: 'conv1b' });
    expectError(m, { code: 'F8E021', pointer: '/tensors/c1' });
  });

  test('F8E022 tensor without producer', () => {
    const m = tiny();
    m.tensors.orphan = { shape: [1, 2], dtype: 'int8', quant: { kind: 'fixed', fl: 0 } };
    expectError(m, { code: 'F8E022', pointer: '/tensors/orphan' });
  });

  test('F8E023 cycle', () => {
    const m = tiny();
    m.layers[0].inputs[0] = 'c1';
    m.tensors['conv1.w'].shape = [2, 3, 3, 2];
    m.tensors['conv1.w'].data.base64 = b64(new Int8Array(36));
    expectError(m, { code: 'F8E023', pointer: '/layers/0', layer: 'conv1' });
  });

  test('F8E024 duplicate layer names', () => {
    const m = twoLayers();
    m.layers[1].name = 'conv1';
    expectError(m, { code: 'F8E024', pointer: '/layers/1/name', layer: 'conv1' });
  });

  test('F8E025 constant used as activation', () => {
    const m = tiny();
    m.layers[0].inputs[0] = 'conv1.b';
    expectError(m, { code: 'F8E025', pointer: '/layers/0/inputs/0', layer: 'conv1', field: 'inputs[0]' });
    const m2 = twoLayers();
    m2.layers[1].inputs[1] = 'c1';
    expect(errorsOf(m2).map((d) => d.code)).toEqual(['F8E025']);
  });

  test('F8E026 unused tensor and unused layer are warnings', () => {
    const m = twoLayers();
    m.outputs = ['c1'];
    m.tensors.spare = { shape: [2], dtype: 'int8', quant: { kind: 'fixed', fl: 0 }, data: { base64: b64(new Int8Array(2)) } };
    const { diags } = load(m);
    expect(diags.items.map((d) => [d.code, d.severity, d.pointer])).toEqual([
      ['F8E026', 'warning', '/tensors/spare'],
      ['F8E026', 'warning', '/layers/1'],
    ]);
  });
});

describe('shape and op diagnostics', () => {
  test('F8E030 shapes do not agree (from the op)', () => {
    const m = tiny();
    m.tensors['conv1.b'] = { shape: [3], dtype: 'int32', quant: { kind: 'fixed', fl: 15 }, data: { base64: b64(new Int32Array(3)) } };
    expectError(m, { code: 'F8E030', pointer: '/tensors/conv1.b', layer: 'conv1', field: 'inputs[2]' });
  });

  test('F8E031 declared shape differs from the inferred one', () => {
    const m = tiny();
    m.tensors.c1.shape = [1, 4, 4, 3];
    const d = expectError(m, { code: 'F8E031', pointer: '/tensors/c1/shape', layer: 'conv1' });
    expect(d.message).toContain('[1,4,4,2]');
  });

  test('F8E032 batch dimension must be 1', () => {
    const m = tiny();
    m.tensors.image.shape = [2, 4, 4, 1];
    expectError(m, { code: 'F8E032', pointer: '/tensors/image/shape' });
  });

  test('F8E043 bias FL must be FL_x + FL_w (from the op)', () => {
    const m = tiny();
    m.tensors['conv1.b'].quant.fl = [14, 14];
    expectError(m, { code: 'F8E043', pointer: '/tensors/conv1.b/quant/fl', layer: 'conv1', field: 'inputs[2].quant.fl' });
  });

  test('F8E044 rescale shift out of range (from the op)', () => {
    const m = tiny();
    m.tensors.image.quant.fl = 24;
    m.layers[0].inputs.pop(); // no bias: FL_acc = 24 + 7 = 31
    m.tensors.c1.quant.fl = -1; // shift 32
    expectError(m, { code: 'F8E044', pointer: '/tensors/c1/quant/fl', layer: 'conv1' });
  });

  test('F8W060 accumulator may overflow int32 (warning)', () => {
    const m = tiny();
    m.tensors['conv1.w'].data.base64 = b64(new Int8Array(18).fill(127));
    m.tensors['conv1.b'].data.base64 = b64(Int32Array.from([2147483647, 0]));
    const { diags } = load(m);
    expect(diags.items).toMatchObject([{ code: 'F8W060', severity: 'warning', layer: 'conv1', pointer: '/layers/0' }]);
  });
});

describe('one run reports all problems', () => {
  test('three unrelated errors give three diagnostics', () => {
    const m = twoLayers();
    m.layers[0].attrs.strides = [1, 0]; // F8E011 on conv1
    m.outputs = ['c2', 'logits']; // F8E020
    m.tensors['conv2.w'].quant.qmin = -1; // F8E051: data holds 1..4, fine; make one negative
    m.tensors['conv2.w'].data.base64 = b64(Int8Array.from([1, -2, 3, 4]));
    const ds = errorsOf(m);
    expect(ds.map((d) => d.code).sort()).toEqual(['F8E011', 'F8E020', 'F8E051']);
  });

  test('problems in one layer do not hide problems in an independent one', () => {
    const m = twoLayers();
    m.tensors.c1.shape = [1, 4, 4, 3]; // F8E031 on conv1 (conv2 reads c1: skipped)
    m.tensors.other = { shape: [1, 4, 4, 1], dtype: 'uint8', quant: { kind: 'fixed', fl: 8 } };
    m.tensors.c3 = { shape: [1, 4, 4, 2], dtype: 'uint8', quant: { kind: 'fixed', fl: 5 } };
    m.inputs.push('other');
    m.outputs.push('c3');
    m.layers.push({ name: 'conv3', op: 'conv2d', inputs: ['other', 'conv1.w', 'conv1.b'], outputs: ['c3'], attrs: { padding: 'same', groups: 2 } });
    const ds = errorsOf(m);
    expect(ds.map((d) => [d.code, d.layer])).toEqual([
      ['F8E031', 'conv1'],
      ['F8E011', 'conv3'],
    ]);
  });
});

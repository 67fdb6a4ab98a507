/** One test per diagnostic code of files, schema, formats and constant data. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError, type Diagnostic } from '../../src/diag/diagnostic.js';
import { loadModel } from '../../src/loader/load.js';
import { b64, diagsOf, errorsOf, FIXTURES, tiny } from '../loader/helpers.js';

function loadErrors(path: string, opts?: { maxBytes?: number }): Diagnostic[] {
  try {
    loadModel(path, opts);
  } catch (e) {
    if (e instanceof UserError) return e.diagnostics;
    throw e;
  }
  return [];
}

const tmp = mkdtempSync(join(tmpdir(), 'f8c-diag-'));

/** Loads `m` and expects exactly one diagnostic, with the given code and location. */
function expectOne(m: unknown, want: Partial<Diagnostic>): Diagnostic {
  const ds = diagsOf(m);
  expect(ds.map((d) => d.code)).toEqual([want.code]);
  expect(ds[0]).toMatchObject({ file: 'mem.json', ...want });
  return ds[0]!;
}

describe('file diagnostics', () => {
  test('F8E001 file cannot be read', () => {
    const ds = loadErrors(FIXTURES + 'does_not_exist.json');
    expect(ds).toMatchObject([{ code: 'F8E001', file: FIXTURES + 'does_not_exist.json' }]);
    expect(ds[0]!.message).toContain('ENOENT');
  });

  test('F8E002 invalid JSON, with line and column', () => {
    const d = expectOne('{\n  "format": "f8c-model",\n  "version": 1,,\n}', { code: 'F8E002' });
    expect(d.message).toMatch(/at line 3, column 16/);
    expect(expectOne('{"a": [1, 2', { code: 'F8E002' }).message).toMatch(/end of input/);
  });

  test('F8E003 file too large', () => {
    const ds = loadErrors(FIXTURES + 'tiny_conv.json', { maxBytes: 100 });
    expect(ds.map((d) => d.code)).toEqual(['F8E003']);
  });

  test('F8E004 schema problems, each with its pointer', () => {
    const m = tiny();
    m.tensors.image.dtype = 'float32';
    m.layers[0].extra = true;
    delete m.name;
    const ds = diagsOf(m);
    expect(ds.map((d) => [d.code, d.pointer])).toEqual(
      expect.arrayContaining([
        ['F8E004', '/tensors/image/dtype'],
        ['F8E004', '/layers/0/extra'],
        ['F8E004', '/name'],
      ]),
    );
    expect(ds).toHaveLength(3);
  });

  test('F8E005 unsupported version', () => {
    const m = tiny();
    m.version = 2;
    expectOne(m, { code: 'F8E005', pointer: '/version', field: 'version' });
  });

  test('F8E006 not an f8c model', () => {
    const m = tiny();
    m.format = 'onnx';
    expectOne(m, { code: 'F8E006', pointer: '/format' });
    const p = join(tmp, 'model.onnx');
    writeFileSync(p, Buffer.from([0x08, 0x07, 0x12, 0x00]));
    expect(loadErrors(p).map((d) => d.code)).toEqual(['F8E006']);
  });

  test('F8E024 duplicate JSON keys (tensor names)', () => {
    const text = JSON.stringify(tiny(), null, 2).replace('"c1": {', '"c1": {"shape": [1, 4, 4, 2], "dtype": "uint8", "quant": {"kind": "fixed", "fl": 5}},\n"c1": {');
    expectOne(text, { code: 'F8E024', pointer: '/tensors/c1', field: 'c1' });
  });
});

describe('format diagnostics', () => {
  test('F8E040 FL out of range, scalar and per channel', () => {
    const m = tiny();
    m.tensors.image.quant.fl = 30;
    m.tensors['conv1.b'].quant.fl = [15, -99];
    const ds = diagsOf(m);
    expect(ds.map((d) => [d.code, d.pointer])).toEqual([
      ['F8E040', '/tensors/image/quant/fl'],
      ['F8E040', '/tensors/conv1.b/quant/fl/1'],
    ]);
  });

  test('F8E041 qmin/qmax outside the dtype range', () => {
    const m = tiny();
    m.tensors.image.quant.qmax = 300;
    expectOne(m, { code: 'F8E041', pointer: '/tensors/image/quant/qmax', field: 'quant.qmax' });
    const m2 = tiny();
    m2.tensors.c1.quant.qmin = 10;
    m2.tensors.c1.quant.qmax = 5;
    expectOne(m2, { code: 'F8E041', pointer: '/tensors/c1/quant/qmin' });
  });

  test('F8E042 int16 activations are reserved', () => {
    const m = tiny();
    m.tensors.image.dtype = 'int16';
    expectOne(m, { code: 'F8E042', pointer: '/tensors/image/dtype', field: 'dtype' });
  });

  test('F8E046 reserved quantisation kind', () => {
    const m = tiny();
    m.tensors.image.quant = { kind: 'lut4' };
    expectOne(m, { code: 'F8E046', pointer: '/tensors/image/quant/kind' });
  });

  test('F8E047 per-channel FL of the wrong length or axis', () => {
    const m = tiny();
    m.tensors['conv1.b'].quant.fl = [15, 15, 15];
    expectOne(m, { code: 'F8E047', pointer: '/tensors/conv1.b/quant/fl' });
    const m2 = tiny();
    m2.tensors['conv1.b'].quant.axis = 1;
    expectOne(m2, { code: 'F8E047', pointer: '/tensors/conv1.b/quant/axis' });
  });
});

describe('constant data diagnostics', () => {
  test('F8E050 data length does not match the shape', () => {
    const m = tiny();
    m.tensors['conv1.w'].data.base64 = b64(new Int8Array(17));
    expectOne(m, { code: 'F8E050', pointer: '/tensors/conv1.w/data/base64' });
  });

  test('F8E051 constant value outside [qmin, qmax]', () => {
    const m = tiny();
    const w = new Int8Array(18);
    w[3] = -128;
    m.tensors['conv1.w'].data.base64 = b64(w);
    const d = expectOne(m, { code: 'F8E051', pointer: '/tensors/conv1.w/data' });
    expect(d.message).toContain('element 3 is -128');
  });

  test('F8E052 sidecar missing, too short, or not declared', () => {
    expect(loadErrors(FIXTURES + 'sidecar_missing.json')).toMatchObject([{ code: 'F8E052', pointer: '/weights_file' }]);
    expect(loadErrors(FIXTURES + 'sidecar_short.json')).toMatchObject([{ code: 'F8E052', pointer: '/tensors/conv1.b/data' }]);
    const m = tiny();
    m.tensors['conv1.b'].data = { offset: 0, length: 8 };
    expectOne(m, { code: 'F8E052', pointer: '/tensors/conv1.b/data' });
  });

  test('F8E053 invalid base64', () => {
    const m = tiny();
    m.tensors['conv1.w'].data.base64 = 'AQID!!==';
    expectOne(m, { code: 'F8E053', pointer: '/tensors/conv1.w/data/base64' });
  });

  test('every diagnostic names the file', () => {
    const m = tiny();
    m.tensors.image.quant.qmax = 300;
    expect(errorsOf(m).every((d) => d.file === 'mem.json')).toBe(true);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy, parseNpy } from '../../src/util/npy.js';
import { VERSION } from '../../src/version.js';
import { cli } from './helpers.js';

const CNN = 'examples/tiny_cnn/tiny_cnn.json';
const MLP = 'examples/mlp_pocket/mlp_pocket.json';

describe('f8c CLI', () => {
  test('--version prints the package version', async () => {
    const r = await cli('--version');
    expect(r.code).toBe(0);
    expect(r.out).toBe(VERSION);
    expect(JSON.parse(readFileSync('package.json', 'utf8')).version).toBe(VERSION);
  });

  test('--help lists the commands', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/inspect/);
    expect(r.out).toMatch(/run/);
  });

  test('inspect shows every layer, formats, MACs and totals', async () => {
    const r = await cli('inspect', CNN);
    expect(r.code).toBe(0);
    for (const name of ['conv1', 'dw2', 'pw3', 'conv4', 'add5', 'gap6', 'flatten7', 'fc8']) expect(r.out).toContain(name);
    expect(r.out).toContain('u8 FL8');
    expect(r.out).toMatch(/179,872 MACs/);
    expect(r.out).toMatch(/clamp\[0,127\]/); // relu6 fused into conv1
  });

  test('an imported model carries the hash of its source file (stamped into generated C)', async () => {
    const r = await cli('inspect', 'examples/fashion/fashion_qdq.onnx');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/sha256 [0-9a-f]{16}\)/);
  });

  test('run prints quantised and real outputs', async () => {
    const r = await cli('run', MLP, '--input', 'examples/mlp_pocket/input.npy');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^logits\[0\] q    = \[/m);
  });

  test('run on a batch of N writes N outputs; float input is quantised with the input format', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'f8c-run-'));
    const q = parseNpy(readFileSync('examples/mlp_pocket/input.npy'), 'in');
    // Two items: the example input as int8, and the same values as float (q / 2^6).
    const ints = new Int8Array(128);
    ints.set(q.data as Int8Array, 0);
    ints.set(q.data as Int8Array, 64);
    writeFileSync(join(dir, 'int.npy'), encodeNpy({ dtype: 'int8', shape: [2, 64], data: ints }));
    writeFileSync(join(dir, 'float.npy'), encodeNpy({ dtype: 'float32', shape: [1, 64], data: Float32Array.from(q.data, (v) => v / 64) }));
    expect((await cli('run', MLP, '-i', join(dir, 'int.npy'), '-o', join(dir, 'a.npy'))).code).toBe(0);
    expect((await cli('run', MLP, '-i', join(dir, 'float.npy'), '-o', join(dir, 'b.npy'))).code).toBe(0);
    const a = parseNpy(readFileSync(join(dir, 'a.npy')), 'a');
    const b = parseNpy(readFileSync(join(dir, 'b.npy')), 'b');
    expect(a.shape).toEqual([2, 10]);
    expect(Array.from(a.data.subarray(0, 10))).toEqual(Array.from(a.data.subarray(10, 20)));
    expect(Array.from(b.data)).toEqual(Array.from(a.data.subarray(0, 10)));
  });

  test('nchw layout: the same image given as NCHW gives the same output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'f8c-run-'));
    // tiny_cnn has C = 1, so NCHW [1,1,16,16] holds the same bytes as NHWC [1,16,16,1].
    const img = parseNpy(readFileSync('examples/tiny_cnn/input.npy'), 'img');
    writeFileSync(join(dir, 'nchw.npy'), encodeNpy({ dtype: 'uint8', shape: [1, 1, 16, 16], data: img.data as Uint8Array }));
    const a = await cli('run', CNN, '-i', 'examples/tiny_cnn/input.npy');
    const b = await cli('run', CNN, '-i', join(dir, 'nchw.npy'), '--layout', 'nchw');
    expect(b.code).toBe(0);
    expect(b.out).toBe(a.out);
  });

  test.each([
    ['a missing model file', ['inspect', 'no/such/model.json'], /F8E001/],
    ['an input of the wrong shape', ['run', MLP, '-i', 'examples/tiny_cnn/input.npy'], /F8E071/],
    ['an input of the wrong dtype', ['run', CNN, '-i', 'examples/mlp_pocket/input.npy'], /F8E071/],
    ['a bad layout', ['run', MLP, '-i', 'examples/mlp_pocket/input.npy', '--layout', 'nchwx'], /F8E072/],
    ['a missing input file', ['run', MLP, '-i', 'nope.npy'], /F8E070/],
  ])('%s is a diagnostic, exit 1, no stack trace', async (_what, argv, code) => {
    const r = await cli(...argv);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(code);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

/**
 * The Fashion-MNIST example (examples/fashion) on the 500 committed test
 * images: the QDQ model's int8 outputs equal onnxruntime's on every image;
 * the float model quantised by PTQ stays within 1 point of top-1 of the float
 * model. onnxruntime runs in a child process (`f8c eval`), outside jest's VM.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy, readNpy } from '../../src/util/npy.js';

const dir = mkdtempSync(join(tmpdir(), 'f8c-fashion-'));
const EX = 'examples/fashion';
const x = join(dir, 'x.npy');
const calib = join(dir, 'calib.npy');

beforeAll(() => {
  const u8 = readNpy(`${EX}/test_500_x_u8.npy`);
  const f = Float32Array.from(u8.data, (v) => v / 255);
  writeFileSync(x, encodeNpy({ dtype: 'float32', shape: u8.shape, data: f }));
  writeFileSync(calib, encodeNpy({ dtype: 'float32', shape: [200, ...u8.shape.slice(1)], data: f.subarray(0, 200 * 784) }));
});

function f8c(...args: string[]): string {
  return execFileSync('node', ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function pct(out: string, re: RegExp): number {
  const m = re.exec(out);
  if (!m) throw new Error(`no match for ${re} in:\n${out}`);
  return Number(m[1]);
}

test('QDQ model: f8c int8 outputs equal onnxruntime outputs on all 500 images', () => {
  const out = f8c('eval', `${EX}/fashion_qdq.onnx`, '-i', x, '-l', `${EX}/test_500_y.npy`, '-r', `${EX}/fashion_qdq.onnx`);
  expect(out).toMatch(/outputs equal to onnxruntime's \(in the output format, FL \d+\): 100\.00% \(500\/500\)/);
  expect(pct(out, /^f8c .*top-1 ([\d.]+)%/m)).toBeGreaterThan(88);
});

test('float model: PTQ (calibrated on 200 images) within 1 point of the float top-1 on 500 images', () => {
  const model = join(dir, 'fashion.json');
  const imp = f8c('import', `${EX}/fashion_float.onnx`, '-c', calib, '--refine', '64', '-o', model);
  expect(imp).toMatch(/quantised .*F8Net PTQ/);
  const out = f8c('eval', model, '-i', x, '-l', `${EX}/test_500_y.npy`, '-r', `${EX}/fashion_float.onnx`);
  const q = pct(out, /^f8c .*top-1 ([\d.]+)%/m);
  const f = pct(out, /^onnxruntime .*top-1 ([\d.]+)%/m);
  expect(q).toBeGreaterThanOrEqual(f - 1);
});

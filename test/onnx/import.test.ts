/**
 * ONNX importer on small models built in code: diagnostics (F8E100-F8E104),
 * layout (NCHW -> NHWC, Gemm after a Flatten of a 2x2 feature map), BN
 * folding and PTQ against onnxruntime.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { UserError } from '../../src/diag/diagnostic.js';
import { convertOnnx } from '../../src/import/onnx/convert.js';
import { evalFloat } from '../../src/import/onnx/feval.js';
import { importOnnxModel } from '../../src/import/onnx/index.js';
import { parseOnnx } from '../../src/import/onnx/proto.js';
import { DiagnosticBag } from '../../src/diag/diagnostic.js';
import { runGraph } from '../../src/interp/interpreter.js';
import { runPipeline } from '../../src/passes/index.js';
import { trivialPlan } from '../../src/plan/trivial.js';
import { dequantizeValue, quantizeValue } from '../../src/util/quantize.js';
import { model, rand, tensor } from './onnx-build.js';

const dir = mkdtempSync(join(tmpdir(), 'f8c-onnx-'));

function codes(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.diagnostics.map((d) => `${d.code} ${d.message}`);
    throw e;
  }
  return [];
}

/** conv 3x3 (2 -> 4, pad 1, stride 2) + BN + relu on 1x2x4x4 -> [1, 4, 2, 2] -> Flatten -> Gemm 16 -> 3. */
function convFlattenGemm(): Uint8Array {
  return model({
    input: ['x', [1, 2, 4, 4]],
    output: 'y',
    inits: [
      tensor('w', [4, 2, 3, 3], 'float', rand(72, 1)),
      tensor('b', [4], 'float', rand(4, 2)),
      tensor('g', [4], 'float', [1.5, 0.5, 1, 2]),
      tensor('be', [4], 'float', rand(4, 3)),
      tensor('mu', [4], 'float', rand(4, 4)),
      tensor('var', [4], 'float', [0.5, 1, 2, 0.25]),
      tensor('fw', [3, 16], 'float', rand(48, 5)),
      tensor('fb', [3], 'float', rand(3, 6)),
    ],
    nodes: [
      { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] } },
      { op: 'BatchNormalization', inputs: ['c', 'g', 'be', 'mu', 'var'], outputs: ['bn'] },
      { op: 'Relu', inputs: ['bn'], outputs: ['r'] },
      { op: 'Flatten', inputs: ['r'], outputs: ['f'] },
      { op: 'Gemm', inputs: ['f', 'fw', 'fb'], outputs: ['y'], attrs: { transB: 1 } },
    ],
  });
}

/** onnxruntime in a child process (see ort-run.mjs). */
async function ortRun(bytes: Uint8Array, x: Float32Array, dims: number[]): Promise<number[]> {
  const f = join(dir, `m${Math.random().toString(36).slice(2)}.onnx`);
  writeFileSync(f, bytes);
  return JSON.parse(execFileSync('node', ['test/onnx/ort-run.mjs', f, JSON.stringify({ dims, x: Array.from(x) })], { encoding: 'utf8' })) as number[];
}

function nchwToNhwc(x: ArrayLike<number>, C: number, H: number, W: number): number[] {
  const out = new Array<number>(C * H * W);
  for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let xx = 0; xx < W; xx++) out[(y * W + xx) * C + c] = x[(c * H + y) * W + xx]!;
  return out;
}

test('Gemm after Flatten of a 2x2 feature map: weights permuted to NHWC order; BN folded; float eval equals onnxruntime', async () => {
  const bytes = convFlattenGemm();
  const fg = convertOnnx(parseOnnx(bytes, 'cfg.onnx'), 'cfg', new DiagnosticBag());
  expect(fg.nodes.map((n) => n.op)).toEqual(['conv2d', 'flatten', 'dense']);
  expect(fg.nodes[0]!.act).toEqual({ lo: 0, hi: Infinity });
  for (let k = 0; k < 3; k++) {
    const x = Float32Array.from(rand(32, 10 + k));
    const want = await ortRun(bytes, x, [1, 2, 4, 4]);
    const got = evalFloat(fg, new Map([['x', nchwToNhwc(x, 2, 4, 4)]])).get('y')!;
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
  }
});

test('float model: PTQ with calibration gives outputs close to onnxruntime; per-channel also works', async () => {
  const bytes = convFlattenGemm();
  const calib = new Float32Array(64 * 32);
  calib.set(rand(64 * 32, 99));
  const npy = { dtype: 'float32' as const, shape: [64, 2, 4, 4], data: calib };
  for (const perChannel of [false, true]) {
    const r = importOnnxModel(parseOnnx(bytes, 'cfg.onnx'), { calibration: npy, perChannel, refineItems: 16 });
    expect(r.graph.source.layout).toBe('nchw');
    expect(r.ptq!.errorAfter).toBeLessThanOrEqual(r.ptq!.errorBefore);
    const g = runPipeline(r.graph);
    const xt = g.tensors.get('x')!;
    const yt = g.tensors.get('y')!;
    const x = Float32Array.from(rand(32, 7));
    const want = await ortRun(bytes, x, [1, 2, 4, 4]);
    const q = runGraph(g, trivialPlan(g), new Map([['x', nchwToNhwc(x, 2, 4, 4).map((v) => quantizeValue(v, xt.quant))]])).outputs.get('y')!;
    const scale = Math.max(...want.map(Math.abs));
    // 8-bit formats throughout: within 15% of the largest output.
    Array.from(q).forEach((v, i) => expect(Math.abs(dequantizeValue(v, yt.quant) - want[i]!)).toBeLessThan(0.15 * scale));
  }
});

test('F8E101 lists every unsupported node; F8E100 for a non-ONNX file', () => {
  const bytes = model({
    input: ['x', [1, 4]],
    output: 'z',
    inits: [],
    nodes: [
      { op: 'Erf', name: 'e1', inputs: ['x'], outputs: ['y'] },
      { op: 'Relu', inputs: ['y'], outputs: ['y2'] },
      { op: 'LSTM', name: 'l1', inputs: ['y2'], outputs: ['z'] },
    ],
  });
  const d = codes(() => importOnnxModel(parseOnnx(bytes, 'u.onnx')));
  expect(d).toHaveLength(1);
  expect(d[0]).toMatch(/^F8E101 2 unsupported node\(s\): e1 \(Erf\), l1 \(LSTM\)/);
  expect(codes(() => parseOnnx(new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02]), 'bad.onnx'))[0]).toMatch(/^F8E100/);
});

test('QDQ: a scale that is not a power of two is F8E103; a nonzero zero point too; a float model without calibration is F8E104', () => {
  const qdq = (scale: number, zp: number) =>
    model({
      input: ['x', [1, 4]],
      output: 'd',
      inits: [tensor('s', [], 'float', [scale]), tensor('z', [], 'uint8', [zp])],
      nodes: [
        { op: 'QuantizeLinear', inputs: ['x', 's', 'z'], outputs: ['q'] },
        { op: 'DequantizeLinear', inputs: ['q', 's', 'z'], outputs: ['d'] },
      ],
    });
  expect(codes(() => importOnnxModel(parseOnnx(qdq(0.1, 0), 'q.onnx')))[0]).toMatch(/^F8E103 .*scale 0\.1.* not a power of two/);
  expect(codes(() => importOnnxModel(parseOnnx(qdq(0.125, 3), 'q.onnx')))[0]).toMatch(/^F8E103 .*zero point 3/);
  expect(codes(() => importOnnxModel(parseOnnx(convFlattenGemm(), 'f.onnx')))[0]).toMatch(/^F8E104/);
});

test('F8E102: unsupported uses are reported for every node', () => {
  const bytes = model({
    input: ['x', [1, 2, 4, 4]],
    output: 'z',
    inits: [],
    nodes: [
      { op: 'Flatten', name: 'f2', inputs: ['x'], outputs: ['y'], attrs: { axis: 2 } },
      { op: 'MaxPool', name: 'mp', inputs: ['x'], outputs: ['p'], attrs: { kernel_shape: [2, 2], dilations: [2, 2] } },
      { op: 'Add', name: 'a', inputs: ['p', 'x'], outputs: ['z'] },
    ],
  });
  const d = codes(() => importOnnxModel(parseOnnx(bytes, 'e.onnx')));
  expect(d).toHaveLength(2);
  expect(d[0]).toMatch(/^F8E102 node 'f2' \(Flatten\): Flatten with axis = 2/);
  expect(d[1]).toMatch(/^F8E102 node 'mp' \(MaxPool\): dilated pooling/);
});

test('import CLI writes a model that loads with layout nchw', async () => {
  const { main } = await import('../../src/cli/main.js');
  const f = join(dir, 'cfg.onnx');
  writeFileSync(f, convFlattenGemm());
  const out: string[] = [];
  const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s) };
  expect(await main(['import', f, '-o', join(dir, 'cfg.json')], io)).toBe(1);
  expect(out.join('\n')).toMatch(/F8E104/);
});

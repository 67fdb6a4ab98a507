/**
 * Every supported ONNX op on the small models of test/fixtures/onnx
 * (scripts/gen-onnx-fixtures.py), against onnxruntime (one child process for
 * all models, see ort-batch.mjs):
 * - QDQ form (power-of-two scales): exact import; f8c's integer outputs
 *   times 2^-FL equal onnxruntime's float outputs on seeded random inputs,
 *   half of them on the half-grid of the input format (rounding ties);
 * - float form: F8Net PTQ calibrated on 64 random inputs; on 8 others the
 *   relative RMS error of the dequantised outputs against onnxruntime's
 *   float outputs is at most `tol` (manifest.json, per case);
 * - float form: the converted float graph (before quantisation) equals
 *   onnxruntime to 1e-5, which checks layout, padding and folding alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiagnosticBag } from '../../src/diag/diagnostic.js';
import { convertOnnx } from '../../src/import/onnx/convert.js';
import { evalFloat } from '../../src/import/onnx/feval.js';
import { importOnnxModel } from '../../src/import/onnx/index.js';
import { parseOnnx } from '../../src/import/onnx/proto.js';
import type { Graph } from '../../src/ir/types.js';
import { runGraph } from '../../src/interp/interpreter.js';
import { runPipeline } from '../../src/passes/index.js';
import { trivialPlan } from '../../src/plan/trivial.js';
import { dequantizeValue, quantizeValue } from '../../src/util/quantize.js';
import { rand } from './onnx-build.js';

const FIX = 'test/fixtures/onnx';

interface Case {
  name: string;
  input: number[];
  range: [number, number];
  tol: number;
  qdq: boolean;
  input_fl?: number;
  per_channel?: boolean;
  note?: string;
}

const cases = JSON.parse(readFileSync(`${FIX}/manifest.json`, 'utf8')) as Case[];
const ITEMS = 8;
const dir = mkdtempSync(join(tmpdir(), 'f8c-onnx-ops-'));

const numelOf = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Seeded inputs in [lo, hi); with `fl`, every other item lies on the grid 2^-(fl+1) (ties of the input quantisation). */
function items(c: Case, seed: number, n: number, fl?: number): number[][] {
  const [lo, hi] = c.range;
  return Array.from({ length: n }, (_, k) =>
    rand(numelOf(c.input), seed * 1000 + k).map((r) => {
      const v = lo + ((r + 1) / 2) * (hi - lo);
      return fl !== undefined && k % 2 === 1 ? Math.round(v * 2 ** (fl + 1)) / 2 ** (fl + 1) : Math.fround(v);
    }),
  );
}

function toNhwc(x: number[], s: number[]): number[] {
  if (s.length !== 4) return x;
  const [, C, H, W] = s as [number, number, number, number];
  const out = new Array<number>(x.length);
  for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let xx = 0; xx < W; xx++) out[(y * W + xx) * C + c] = x[(c * H + y) * W + xx]!;
  return out;
}

function toNchw(x: number[], s: number[]): number[] {
  if (s.length !== 4) return x;
  const [, H, W, C] = s as [number, number, number, number];
  const out = new Array<number>(x.length);
  for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) for (let xx = 0; xx < W; xx++) out[(c * H + y) * W + xx] = x[(y * W + xx) * C + c]!;
  return out;
}

/** Runs the f8c graph on NCHW float items; returns NCHW real outputs and the output FL. */
function runF8c(graph: Graph, xs: number[][], inShape: number[]): { ys: number[][]; q: number[][]; fl: number } {
  const g = runPipeline(graph);
  const plan = trivialPlan(g);
  const xt = g.tensors.get(g.inputs[0]!)!;
  const yt = g.tensors.get(g.outputs[0]!)!;
  const q = xs.map((x) => {
    const inp = toNhwc(x, inShape).map((v) => quantizeValue(v, xt.quant));
    return toNchw(Array.from(runGraph(g, plan, new Map([[xt.name, inp]])).outputs.get(yt.name)!), yt.shape);
  });
  const fl = yt.quant.kind === 'fixed' && typeof yt.quant.fl === 'number' ? yt.quant.fl : NaN;
  return { ys: q.map((r) => r.map((v) => dequantizeValue(v, yt.quant))), q, fl };
}

const ref = new Map<string, number[][] | { error: string }>();
const inputs = new Map<string, number[][]>();

beforeAll(() => {
  const jobs: { key: string; model: string; dims: number[]; items: number[][] }[] = [];
  cases.forEach((c, i) => {
    const f = items(c, i + 1, ITEMS);
    inputs.set(c.name, f);
    jobs.push({ key: c.name, model: `${FIX}/${c.name}.onnx`, dims: c.input, items: f });
    if (c.qdq) {
      const q = items(c, i + 101, ITEMS, c.input_fl);
      inputs.set(`${c.name}_qdq`, q);
      jobs.push({ key: `${c.name}_qdq`, model: `${FIX}/${c.name}_qdq.onnx`, dims: c.input, items: q });
    }
  });
  const jf = join(dir, 'jobs.json');
  const of = join(dir, 'out.json');
  writeFileSync(jf, JSON.stringify(jobs));
  execFileSync('node', ['test/onnx/ort-batch.mjs', jf, of], { stdio: ['ignore', 'ignore', 'inherit'] });
  const out = JSON.parse(readFileSync(of, 'utf8')) as (number[][] | { error: string })[];
  jobs.forEach((j, i) => ref.set(j.key, out[i]!));
});

function reference(key: string): number[][] {
  const r = ref.get(key);
  if (!r || !Array.isArray(r)) throw new Error(`onnxruntime failed on ${key}: ${(r as { error: string } | undefined)?.error}`);
  return r;
}

const qdqCases = cases.filter((c) => c.qdq);

test.each(qdqCases.map((c) => [c.name, c] as const))('QDQ %s: f8c outputs equal onnxruntime exactly', (_n, c) => {
  const { graph, kind } = importOnnxModel(parseOnnx(readFileSync(`${FIX}/${c.name}_qdq.onnx`), `${c.name}_qdq.onnx`));
  expect(kind).toBe('qdq');
  const want = reference(`${c.name}_qdq`);
  const { ys, q, fl } = runF8c(graph, inputs.get(`${c.name}_qdq`)!, c.input);
  ys.forEach((y, k) => expect(y).toEqual(want[k]));
  // Not trivially constant: the outputs take several values.
  expect(new Set(q.flat()).size).toBeGreaterThan(2);
  expect(Number.isInteger(fl)).toBe(true);
});

test.each(cases.map((c) => [c.name, c] as const))('float %s: the converted float graph (NHWC, BN folded) equals onnxruntime to 1e-5', (_n, c) => {
  const fg = convertOnnx(parseOnnx(readFileSync(`${FIX}/${c.name}.onnx`), `${c.name}.onnx`), c.name, new DiagnosticBag());
  const want = reference(c.name);
  const os = fg.shapes.get(fg.outputs[0]!)!;
  inputs.get(c.name)!.forEach((x, k) => {
    const y = toNchw(Array.from(evalFloat(fg, new Map([[fg.inputs[0]!, toNhwc(x, c.input)]])).get(fg.outputs[0]!)!), os);
    const scale = Math.max(1, ...want[k]!.map(Math.abs));
    y.forEach((v, i) => expect(Math.abs(v - want[k]![i]!) / scale).toBeLessThan(1e-5));
  });
});

test.each(cases.map((c) => [c.name, c] as const))('float %s: PTQ within tolerance of onnxruntime', (_n, c) => {
  const calib = items(c, 777, 64).flat();
  const npy = { dtype: 'float32' as const, shape: [64, ...c.input.slice(1)], data: Float32Array.from(calib) };
  const { graph, kind } = importOnnxModel(parseOnnx(readFileSync(`${FIX}/${c.name}.onnx`), `${c.name}.onnx`), { calibration: npy, refineItems: 16, perChannel: c.per_channel });
  expect(kind).toBe('ptq');
  const want = reference(c.name);
  const { ys } = runF8c(graph, inputs.get(c.name)!, c.input);
  // Relative RMS error: F8Net's std-based formats clip rare outliers by design, so one saturated element may be far off.
  let se = 0, ss = 0;
  ys.forEach((y, k) => y.forEach((v, i) => ((se += (v - want[k]![i]!) ** 2), (ss += want[k]![i]! ** 2))));
  expect(Math.sqrt(se / ss)).toBeLessThanOrEqual(c.tol);
});

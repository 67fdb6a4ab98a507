/**
 * ONNX's own operator test vectors (Debian package libonnx-testdata, not in
 * CI) through f8c's float import: every node test of an op f8c supports is
 * imported with PTQ calibrated on the test's own input (the other graph
 * inputs become constants), run by the interpreter item by item (batch
 * split), and compared with the expected output within TOL of its largest
 * |value|. A model f8c refuses must be refused with a diagnostic (UserError);
 * anything else that throws is a failure.
 *
 *   node --import tsx scripts/onnx-conformance.ts [DATA_DIR] [-v]
 *
 * DATA_DIR defaults to the package's /usr/include/onnx/backend/test/data/node.
 * Exit status 1 if any test fails (wrong output or a crash).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { UserError } from '../src/diag/diagnostic.js';
import { importOnnxModel } from '../src/import/onnx/index.js';
import { decodeTensor, parseOnnx, type OnnxTensor } from '../src/import/onnx/proto.js';
import { runGraph } from '../src/interp/interpreter.js';
import { runPipeline } from '../src/passes/index.js';
import { trivialPlan } from '../src/plan/trivial.js';
import { dequantizeValue, quantizeValue } from '../src/util/quantize.js';

const { onnx } = onnxProto;
const TOL = 0.1;
const args = process.argv.slice(2);
const verbose = args.includes('-v');
const dir = args.find((a) => !a.startsWith('-')) ?? '/usr/include/onnx/backend/test/data/node';
const OPS = /^test_(conv|maxpool|averagepool|globalaveragepool|gemm|matmul_2d|relu|clip|add|flatten|reshape|concat|constant_pad|softmax|sigmoid|tanh|batchnorm)/;

if (!existsSync(dir)) {
  console.log(`no ONNX test data at ${dir} (apt-get install libonnx-testdata)`);
  process.exit(0);
}

const pb = (f: string): OnnxTensor => decodeTensor(onnx.TensorProto.decode(readFileSync(f)), f);

function permute(t: OnnxTensor, toNhwc: boolean, item: number): Float64Array {
  const d = t.dims;
  const per = d.slice(1).reduce((a, b) => a * b, 1);
  const src = t.data.subarray(item * per, (item + 1) * per);
  if (d.length !== 4) return Float64Array.from(src);
  const [, C, H, W] = d as [number, number, number, number];
  const out = new Float64Array(per);
  for (let c = 0; c < C; c++)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const nchw = (c * H + y) * W + x, nhwc = (y * W + x) * C + c;
        if (toNhwc) out[nhwc] = src[nchw]!;
        else out[nchw] = src[nhwc]!;
      }
  return out;
}

const counts = { pass: 0, diagnosed: 0, fail: 0 };
for (const name of readdirSync(dir).filter((n) => OPS.test(n) && !n.includes('expanded') && !n.includes('training')).sort()) {
  const tdir = join(dir, name);
  const ds = join(tdir, 'test_data_set_0');
  if (!existsSync(join(tdir, 'model.onnx')) || !existsSync(ds)) continue;
  try {
    const m = parseOnnx(readFileSync(join(tdir, 'model.onnx')), `${name}.onnx`);
    const x = pb(join(ds, 'input_0.pb'));
    m.inputs.slice(1).forEach((inp, i) => m.inits.set(inp.name, { ...pb(join(ds, `input_${i + 1}.pb`)), name: inp.name }));
    const batch = x.dims[0] ?? 1;
    m.inputs = [{ name: m.inputs[0]!.name, shape: [1, ...x.dims.slice(1)] }];
    if (x.dims.length !== 4 && x.dims.length !== 2) throw new UserError([{ code: 'F8E102', severity: 'error', message: `input rank ${x.dims.length}` } as never]);
    const calibration = { dtype: 'float32' as const, shape: x.dims, data: Float32Array.from(x.data) };
    const g = runPipeline(importOnnxModel(m, { calibration, refineItems: Math.min(batch, 8) }).graph);
    const want = pb(join(ds, 'output_0.pb'));
    const xt = g.tensors.get(g.inputs[0]!)!, yt = g.tensors.get(g.outputs[0]!)!;
    const scale = Math.max(1e-6, ...Array.from(want.data, Math.abs));
    let worst = 0;
    for (let b = 0; b < batch; b++) {
      const inp = Array.from(permute(x, true, b), (v) => quantizeValue(v, xt.quant));
      const out = runGraph(g, trivialPlan(g), new Map([[xt.name, inp]])).outputs.get(yt.name)!;
      const y = Array.from(out, (v) => dequantizeValue(v, yt.quant));
      const got = yt.shape.length === 4 ? permute({ ...want, dims: [1, yt.shape[3]!, yt.shape[1]!, yt.shape[2]!], data: Float64Array.from(y) }, false, 0) : y;
      const exp = want.data.subarray(b * got.length, (b + 1) * got.length);
      if (exp.length !== got.length) throw new Error(`output has ${got.length} values per item, expected ${exp.length}`);
      got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - exp[i]!) / scale)));
    }
    const ok = worst <= TOL;
    counts[ok ? 'pass' : 'fail']++;
    if (!ok || verbose) console.log(`${ok ? 'pass' : 'FAIL'} ${name}: worst error ${(100 * worst).toFixed(2)}% of max |y|`);
  } catch (e) {
    if (e instanceof UserError) {
      counts.diagnosed++;
      if (verbose) console.log(`diag ${name}: ${e.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
    } else {
      counts.fail++;
      console.log(`FAIL ${name}: ${(e as Error).stack?.split('\n').slice(0, 2).join(' ')}`);
    }
  }
}
console.log(`${counts.pass} within ${100 * TOL}%, ${counts.diagnosed} refused with a diagnostic, ${counts.fail} failed`);
process.exit(counts.fail > 0 ? 1 : 0);

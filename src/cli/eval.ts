/**
 * `f8c eval MODEL --input X.npy --labels Y.npy [--engine interp] [--reference MODEL.onnx]`:
 * top-1 accuracy of the f8c model (reference interpreter) and, with
 * --reference, of the ONNX model run by onnxruntime-node with graph
 * optimisations disabled (so a QDQ model is computed in float as written),
 * their top-1 agreement and how many items have outputs equal to the ONNX
 * outputs once those are expressed in the f8c output format.
 *
 * `--engine host` (the compiled C on the host) is not wired in yet: the C
 * backend's verify path (src/backend/c/verify.ts) compares bytes with the
 * interpreter, which `f8c verify MODEL --input X.npy` already does.
 */
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { fail } from '../diag/diagnostic.js';
import { argmax } from '../import/onnx/ptq.js';
import { flAt, getTensor, numel } from '../ir/types.js';
import { runGraph } from '../interp/interpreter.js';
import { greedyPlan } from '../plan/greedy.js';
import { runOnHost } from '../backend/c/run-host.js';
import { readNpy, type NpyArray } from '../util/npy.js';
import { intOption } from './compile.js';
import type { Io } from './main.js';
import { loadForCli } from './model.js';
import { readInputs } from './run.js';
import { modelLayout } from './tensors-io.js';

interface EvalCliOptions {
  input: string;
  labels: string;
  engine: string;
  reference?: string;
  layout?: string;
  limit?: string;
}

function progress(total: number): { tick: () => void; stop: () => void } {
  if (!process.stderr.isTTY || total < 200) return { tick: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'eval [{bar}] {value}/{total} {eta}s' }, cliProgress.Presets.shades_classic);
  bar.start(total, 0);
  return { tick: () => bar.increment(), stop: () => bar.stop() };
}

/** Runs the ONNX model item by item; returns each item's first output. */
async function runReference(file: string, x: NpyArray, n: number, tick: () => void): Promise<Float32Array[]> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(file, { graphOptimizationLevel: 'disabled', executionProviders: ['cpu'] });
  const per = numel(x.shape.slice(1));
  const out: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    const data = Float32Array.from(x.data.subarray(i * per, (i + 1) * per));
    const r = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', data, [1, ...x.shape.slice(1)]) });
    out.push(r[session.outputNames[0]!]!.data as Float32Array);
    tick();
  }
  return out;
}

export function registerEval(program: Command, io: Io): void {
  program
    .command('eval')
    .description('top-1 accuracy of a model on labelled inputs; with --reference, also of the ONNX model (onnxruntime) and their agreement')
    .argument('<model>', 'f8c model (.json) or ONNX model (.onnx, QDQ)')
    .requiredOption('-i, --input <file>', 'inputs .npy [N, ...] (float32 is quantised with the input format)')
    .requiredOption('-l, --labels <file>', 'labels .npy [N] (integer class indices)')
    .option('--engine <engine>', 'interp (the reference interpreter) or host (the generated C, built with gcc)', 'interp')
    .option('-r, --reference <onnx>', 'also run this ONNX model with onnxruntime on the same .npy')
    .option('--layout <layout>', "layout of 4-D inputs: nhwc or nchw (default: the model's own)")
    .option('--limit <n>', 'use only the first N items')
    .action(async (model: string, o: EvalCliOptions) => {
      if (o.engine !== 'interp' && o.engine !== 'host') fail('F8E072', `--engine ${o.engine}: use interp or host`, { field: '--engine' });
      const g = loadForCli(model, io);
      if (g.outputs.length !== 1) fail('F8E072', `eval needs a model with one output; '${model}' has ${g.outputs.length}`, { field: 'model' });
      const labels = readNpy(o.labels);
      const items = readInputs(g, [o.input], modelLayout(g, o.layout));
      const n = Math.min(items.length, labels.shape[0] ?? 0, intOption(o.limit, '--limit', 1, 1e9, Number.MAX_SAFE_INTEGER));
      if (labels.shape.length !== 1 || labels.shape[0]! < n) fail('F8E071', `'${o.labels}' has shape [${labels.shape}]; expected [${items.length}]`, { file: o.labels });
      const out = getTensor(g, g.outputs[0]!);
      const plan = greedyPlan(g);
      const bar = progress(o.reference ? 2 * n : n);
      const q: number[][] = [];
      if (o.engine === 'host') {
        const signed = out.dtype === 'int8';
        for (const r of await runOnHost(g, items.slice(0, n))) {
          q.push(Array.from(r.get(out.name)!, (b) => (signed && b > 127 ? b - 256 : b)));
          bar.tick();
        }
      } else {
        for (let i = 0; i < n; i++) {
          q.push(Array.from(runGraph(g, plan, items[i]!).outputs.get(out.name)!));
          bar.tick();
        }
      }
      let ref: Float32Array[] | undefined;
      try {
        ref = o.reference ? await runReference(o.reference, readNpy(o.input), n, bar.tick) : undefined;
      } finally {
        bar.stop();
      }
      const label = (i: number) => labels.data[i]!;
      const top1 = (pred: (i: number) => number) => Array.from({ length: n }, (_, i) => pred(i) === label(i)).filter(Boolean).length;
      const pct = (k: number) => `${((100 * k) / n).toFixed(2)}% (${k}/${n})`;
      io.out(`f8c ${g.name} (${o.engine}): top-1 ${pct(top1((i) => argmax(q[i]!)))}`);
      if (ref) {
        const fl = flAt(out.quant);
        io.out(`onnxruntime ${o.reference}: top-1 ${pct(top1((i) => argmax(ref[i]!)))}`);
        const agree = Array.from({ length: n }, (_, i) => argmax(q[i]!) === argmax(ref[i]!)).filter(Boolean).length;
        io.out(`top-1 agreement: ${pct(agree)}`);
        const exact = q.filter((qi, i) => qi.every((v, k) => ref[i]![k]! * 2 ** fl === v)).length;
        io.out(`outputs equal to onnxruntime's (in the output format, FL ${fl}): ${pct(exact)}`);
      }
    });
}

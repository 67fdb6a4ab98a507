/** `f8c run MODEL --input FILE.npy [--output FILE.npy]`: runs the reference interpreter. */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { fail } from '../diag/diagnostic.js';
import { getTensor, type Graph } from '../ir/types.js';
import { runGraph } from '../interp/interpreter.js';
import { greedyPlan } from '../plan/greedy.js';
import { encodeNpy, readNpy } from '../util/npy.js';
import { dequantizeValue } from '../util/quantize.js';
import type { Io } from './main.js';
import { loadForCli } from './model.js';
import { bindFiles, itemsFor, modelLayout, stackOutputs, type Layout } from './tensors-io.js';

const collect = (v: string, prev: string[]) => [...prev, v];

/** Reads and batches the inputs; returns one Map per item. */
export function readInputs(g: Graph, values: string[], layout: Layout): Map<string, number[]>[] {
  const files = bindFiles(values, g.inputs, '--input');
  for (const name of g.inputs) if (!files.has(name)) fail('F8E072', `no data for input '${name}': pass --input ${g.inputs.length > 1 ? name + '=' : ''}FILE.npy`, { field: '--input' });
  const perInput = g.inputs.map((name) => itemsFor(getTensor(g, name), readNpy(files.get(name)!), files.get(name)!, layout));
  const n = perInput[0]!.length;
  if (perInput.some((items) => items.length !== n)) fail('F8E071', `inputs have different batch sizes (${perInput.map((i) => i.length).join(', ')})`, { field: '--input' });
  return Array.from({ length: n }, (_, i) => new Map(g.inputs.map((name, k) => [name, perInput[k]![i]!])));
}

export function registerRun(program: Command, io: Io): void {
  program
    .command('run')
    .description('run the bit-exact reference interpreter on inputs from .npy files')
    .argument('<model>', 'model file')
    .requiredOption('-i, --input <file>', 'input .npy (NAME=FILE for models with several inputs; repeatable); int8/uint8 data is taken as quantised, float32/float64 is quantised with the input format; a leading N runs N items', collect, [])
    .option('-o, --output <file>', 'write outputs to .npy (NAME=FILE per output; repeatable)', collect, [])
    .option('--layout <layout>', "layout of 4-D inputs and outputs: nhwc or nchw (default: the model's own)")
    .action((model: string, opts: { input: string[]; output: string[]; layout?: string }) => {
      const g = loadForCli(model, io);
      const layout = modelLayout(g, opts.layout);
      const batch = readInputs(g, opts.input, layout);
      const plan = greedyPlan(g); // the same arena layout as the generated C
      const results = batch.map((inputs) => runGraph(g, plan, inputs).outputs);
      const outFiles = bindFiles(opts.output, g.outputs, '--output');
      for (const name of g.outputs) {
        const t = getTensor(g, name);
        const items = results.map((r) => r.get(name)!);
        const file = outFiles.get(name);
        if (file) {
          writeFileSync(file, encodeNpy(stackOutputs(t, items, layout)));
          io.out(`wrote ${file}: ${items.length} x [${t.shape.slice(1).join(', ')}] ${t.dtype}`);
          continue;
        }
        items.forEach((it, i) => {
          const q = Array.from(it);
          const real = q.map((v) => +dequantizeValue(v, t.quant).toFixed(6));
          io.out(`${name}[${i}] q    = [${q.join(', ')}]`);
          io.out(`${name}[${i}] real = [${real.join(', ')}]`);
        });
      }
    });
}

/**
 * Regenerates the README's table of the bundled examples on Cortex-M0+, M4
 * and M55: instructions and estimated cycles per MAC, flash and RAM, from
 * `f8c bench` (QEMU + counting plugin).
 *
 *   npx tsx scripts/bench-table.ts            print the table
 *   npx tsx scripts/bench-table.ts --write    replace it in README.md between
 *                                             <!-- bench-table:begin --> and <!-- bench-table:end -->
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPrefix } from '../src/backend/c/compile.js';
import { randomInputs } from '../src/backend/c/golden.js';
import { benchOnMcu } from '../src/backend/mcu/bench.js';
import { DiagnosticBag } from '../src/diag/diagnostic.js';
import { importOnnx } from '../src/import/onnx/index.js';
import { loadModel } from '../src/loader/load.js';
import { runPipeline } from '../src/passes/index.js';
import { PACKAGE_ROOT } from '../src/targets/paths.js';
import { replaceReadmeSection } from './readme-section.js';
import { resolveTarget } from '../src/targets/load.js';

const CORES = ['cortex-m0plus', 'cortex-m4', 'cortex-m55'];

const f2 = (a: number | null, b: number) => (a === null ? 'n/a' : (a / b).toFixed(1));
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function table(): Promise<string> {
  const dir = join(PACKAGE_ROOT, 'examples');
  const rows: string[] = [
    '| example | core (QEMU board) | MACs | instructions / MAC | est. cycles / MAC | flash: weights + code | RAM: arena + stack |',
    '|---|---|--:|--:|--:|--:|--:|',
  ];
  for (const name of readdirSync(dir).sort()) {
    // examples/<name>/<name>.json (f8c format) or examples/<name>/<name>_qdq.onnx (an exact QDQ import)
    const json = join(dir, name, `${name}.json`);
    const onnx = join(dir, name, `${name}_qdq.onnx`);
    if (!existsSync(json) && !existsSync(onnx)) continue;
    const { graph, diags } = existsSync(json) ? loadModel(json) : { graph: importOnnx(onnx).graph, diags: new DiagnosticBag(onnx) };
    diags.throwIfErrors();
    const g = runPipeline(graph, { diags });
    const input = randomInputs(g, 1, 1)[0]!;
    for (const core of CORES) {
      const r = await benchOnMcu(resolveTarget(core), g, { inputs: g.inputs.map((n) => input.get(n)!), options: { prefix: defaultPrefix(g.name) } });
      const t = r.total;
      rows.push(
        `| ${name} | ${core} (${r.board}) | ${t.macs} | ${f2(t.instructions, t.macs)} | ${f2(t.cycles, t.macs)} | ${kb(t.weights_bytes)} + ${kb(t.code_bytes)} | ${t.arena_bytes} B + ${t.stack_bytes} B |`,
      );
    }
  }
  return [
    ...rows,
    '',
    '`fashion` is the trained Fashion-MNIST CNN of examples/fashion (its exact QDQ import); it needs more RAM than the',
    "micro:bit's 16 KiB, so f8c runs the same Armv6-M code on the 4 MiB mps2-an385 board (and says so).",
    'Portable kernels, `-O2`. Instructions are exact counts of one inference under QEMU; cycles are an',
    'estimate from static timing tables (zero wait states; M0+ and M4 tables), n/a where the core has none (M55).',
    'Regenerate with `npx tsx scripts/bench-table.ts --write`.',
  ].join('\n');
}

const text = await table();
if (process.argv.includes('--write')) {
  replaceReadmeSection('bench-table', text);
  console.log('README.md updated');
} else {
  console.log(text);
}

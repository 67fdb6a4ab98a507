/**
 * The portable kernels on the cores without DSP: Cortex-M0+ (no 64-bit
 * multiply result, no DSP) and Cortex-M3. Runs the single-layer models L1-L5
 * of scripts/bench-layers.ts (same shapes, same seeds) and the bundled
 * examples through `f8c bench` (QEMU + counting plugin) and prints
 * instructions / MAC and est. cycles / MAC per core.
 *
 *   npx tsx scripts/bench-portable.ts                      print the table
 *   npx tsx scripts/bench-portable.ts --cores=m0plus,m3    pick the cores (default both)
 *   npx tsx scripts/bench-portable.ts --only=L1,L3,tiny_cnn
 *   npx tsx scripts/bench-portable.ts --json               one JSON line per (model, core)
 *   npx tsx scripts/bench-portable.ts --write              replace the table in README.md between
 *                                                          <!-- portable-bench:begin --> and <!-- portable-bench:end -->
 *
 * Board: the target's default board, or the first one the model fits in
 * (chooseBoard; M0+ falls back to m0plus-big).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchOnMcu, type BenchReport } from '../src/backend/mcu/bench.js';
import { randomInputs } from '../src/backend/c/golden.js';
import { defaultPrefix } from '../src/backend/c/compile.js';
import { GraphBuilder } from '../src/ir/builder.js';
import { getTensor, numel, type Graph } from '../src/ir/types.js';
import { loadModel } from '../src/loader/load.js';
import { runPipeline } from '../src/passes/index.js';
import { DiagnosticBag } from '../src/diag/diagnostic.js';
import { PACKAGE_ROOT } from '../src/targets/paths.js';
import { replaceReadmeSection } from './readme-section.js';
import { resolveTarget } from '../src/targets/load.js';
import { Rng } from '../src/util/rng.js';

interface Case {
  id: string;
  what: string;
  make(): { g: Graph; inputs: number[][] };
}

/* The L1-L5 layers: same builder calls and seeds (42 + index) as scripts/bench-layers.ts. */
const outFl = (taps: number) => 12 - Math.round(Math.log2(Math.sqrt(taps) * 73 * 73 / 40));

function conv(b: GraphBuilder, rng: Rng, x: string, [Cin, Cout, k, s, groups]: number[]): string {
  const cinG = Cin! / groups!;
  const w = b.const('w', [Cout!, k!, k!, cinG], { fl: 7 }, rng.ints(Cout! * k! * k! * cinG, -127, 127));
  const bias = b.const('b', [Cout!], { dtype: 'int32', fl: 12 }, rng.ints(Cout!, -4000, 4000));
  return b.layer('L', 'conv2d', [x, w, bias], { name: 'y', fl: outFl(k! * k! * cinG) }, { strides: [s, s], padding: 'same', groups });
}

type Build = (b: GraphBuilder, r: Rng) => string;
const LAYERS: [string, string, Build][] = [
  ['L1', 'conv 3x3 16->16, 32x32', (b, r) => conv(b, r, b.input('x', [1, 32, 32, 16], { fl: 5 }), [16, 16, 3, 1, 1])],
  ['L2', 'conv 3x3 /2 32->64, 16x16', (b, r) => conv(b, r, b.input('x', [1, 16, 16, 32], { fl: 5 }), [32, 64, 3, 2, 1])],
  ['L3', 'conv 1x1 64->64, 8x8', (b, r) => conv(b, r, b.input('x', [1, 8, 8, 64], { fl: 5 }), [64, 64, 1, 1, 1])],
  ['L4', 'depthwise 3x3, 64 ch, 25x5', (b, r) => conv(b, r, b.input('x', [1, 25, 5, 64], { fl: 5 }), [64, 64, 3, 1, 64])],
  [
    'L5',
    'dense 256->10',
    (b, r) => {
      const x = b.input('x', [1, 256], { fl: 5 });
      const w = b.const('w', [10, 256], { fl: 7 }, r.ints(2560, -127, 127));
      const bias = b.const('b', [10], { dtype: 'int32', fl: 12 }, r.ints(10, -4000, 4000));
      return b.layer('L', 'dense', [x, w, bias], { name: 'y', fl: outFl(256) });
    },
  ],
];

function layerCase(id: string, what: string, build: Build, seed: number): Case {
  return {
    id,
    what,
    make() {
      const rng = new Rng(seed);
      const b = new GraphBuilder(id.toLowerCase());
      b.output(build(b, rng));
      const diags = new DiagnosticBag();
      const g = runPipeline(b.build(), { diags });
      diags.throwIfErrors();
      return { g, inputs: [rng.ints(numel(getTensor(g, g.inputs[0]!).shape), -127, 127)] };
    },
  };
}

function exampleCases(): Case[] {
  const dir = join(PACKAGE_ROOT, 'examples');
  return readdirSync(dir)
    .sort()
    .filter((name) => existsSync(join(dir, name, `${name}.json`)))
    .map((name) => ({
      id: name,
      what: 'example',
      make() {
        const { graph, diags } = loadModel(join(dir, name, `${name}.json`));
        diags.throwIfErrors();
        const g = runPipeline(graph, { diags });
        const input = randomInputs(g, 1, 1)[0]!;
        return { g, inputs: g.inputs.map((n) => input.get(n)!) };
      },
    }));
}

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const cores = (arg('cores') ?? 'm0plus,m3').split(',').map((c) => (c.startsWith('cortex-') ? c : `cortex-${c}`));
const only = arg('only')?.split(',') ?? [];
const json = process.argv.includes('--json');

const cases = [...LAYERS.map(([id, what, build], i) => layerCase(id, what, build, 42 + i)), ...exampleCases()].filter(
  (c) => only.length === 0 || only.includes(c.id),
);

const f2 = (a: number | null, b: number) => (a === null ? 'n/a' : (a / b).toFixed(2));
const rows = [
  `| model | MACs | ${cores.map((c) => `${c.slice(7)} instr./MAC | ${c.slice(7)} est. cycles/MAC`).join(' | ')} |`,
  `|---|--:|${cores.map(() => '--:|--:').join('|')}|`,
];
for (const c of cases) {
  const { g, inputs } = c.make();
  const reps: BenchReport[] = [];
  for (const core of cores) {
    const r = await benchOnMcu(resolveTarget(core), g, { inputs, options: { variant: 'portable', prefix: defaultPrefix(g.name) } });
    reps.push(r);
    if (json) {
      const t = r.total;
      process.stdout.write(JSON.stringify({ model: c.id, core, board: r.board, macs: t.macs, instructions: t.instructions, cycles: t.cycles }) + '\n');
    }
  }
  const macs = reps[0]!.total.macs;
  rows.push(`| ${c.id}${c.what === 'example' ? '' : ` ${c.what}`} | ${macs} | ${reps.map((r) => `${f2(r.total.instructions, macs)} | ${f2(r.total.cycles, macs)}`).join(' | ')} |`);
  process.stderr.write(`${c.id} done (${reps.map((r) => r.board).join(', ')})\n`);
}
const text = [
  ...rows,
  '',
  'Portable kernels (`--kernels portable`), whole inference (input copy included), `-O2`, arm-none-eabi-gcc; QEMU boards',
  'mps2-an385 (M3; M0+ when the model does not fit the micro:bit, i.e. m0plus-big) and microbit (M0+). Instructions are exact',
  "counts, cycles the counting plugin's static estimate (zero wait states). L1-L5 are the layers of the Arm table above.",
  'Regenerate with `npx tsx scripts/bench-portable.ts --write`.',
].join('\n');
if (process.argv.includes('--write')) {
  replaceReadmeSection('portable-bench', text);
} else if (!json) {
  process.stdout.write(text + '\n');
}

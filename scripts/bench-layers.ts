/**
 * Per-layer benchmark of the portable and the Arm kernels on single-layer
 * models typical of MLPerf Tiny networks ('same' padding as TensorFlow
 * defines it, padded taps counted as MACs, seeded random int8 inputs,
 * weights and biases), from `f8c bench` (QEMU + counting plugin):
 * est. cycles / MAC on cortex-m4, instructions / MAC on cortex-m55, flash
 * (weights; kernel code) and scratch bytes, and the ratios.
 *
 *   npx tsx scripts/bench-layers.ts            print the table
 *   npx tsx scripts/bench-layers.ts --write    replace it in README.md between
 *                                              <!-- arm-bench:begin --> and <!-- arm-bench:end -->
 *   npx tsx scripts/bench-layers.ts --quick [--only=L1,L3] [--m55]
 *                                              arm kernels only, M4 cycles/MAC and M55 instr./MAC
 *                                              (--m55: M55 only, with instructions and code bytes;
 *                                              --keep=DIR keeps the firmware builds and a per-instruction
 *                                              profile of the measured run: npx tsx scripts/profile.ts DIR)
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchOnMcu, type BenchReport } from '../src/backend/mcu/bench.js';
import { GraphBuilder } from '../src/ir/builder.js';
import { getTensor, numel, type Graph } from '../src/ir/types.js';
import { opCtx } from '../src/ops/context.js';
import { getOp } from '../src/ops/registry.js';
import type { KernelVariant } from '../src/ops/opdef.js';
import { HOST_TARGET } from '../src/ops/opdef.js';
import { runPipeline } from '../src/passes/index.js';
import { DiagnosticBag } from '../src/diag/diagnostic.js';
import { replaceReadmeSection } from './readme-section.js';
import { resolveTarget } from '../src/targets/load.js';
import { Rng } from '../src/util/rng.js';


interface LayerSpec {
  id: string;
  what: string;
  build(b: GraphBuilder, rng: Rng): string;
}

/** Output FL giving a requantisation shift near log2 of the accumulator's spread. */
const outFl = (taps: number) => 12 - Math.round(Math.log2(Math.sqrt(taps) * 73 * 73 / 40));

function conv(b: GraphBuilder, rng: Rng, x: string, [H, W, Cin, Cout, k, s, groups]: number[]): string {
  const cinG = Cin! / groups!;
  const w = b.const('w', [Cout!, k!, k!, cinG], { fl: 7 }, rng.ints(Cout! * k! * k! * cinG, -127, 127));
  const bias = b.const('b', [Cout!], { dtype: 'int32', fl: 12 }, rng.ints(Cout!, -4000, 4000));
  void H;
  void W;
  return b.layer('L', 'conv2d', [x, w, bias], { name: 'y', fl: outFl(k! * k! * cinG) }, { strides: [s, s], padding: 'same', groups });
}

const LAYERS: LayerSpec[] = [
  { id: 'L1', what: 'conv 3x3 16->16, 32x32', build: (b, r) => conv(b, r, b.input('x', [1, 32, 32, 16], { fl: 5 }), [32, 32, 16, 16, 3, 1, 1]) },
  { id: 'L2', what: 'conv 3x3 /2 32->64, 16x16', build: (b, r) => conv(b, r, b.input('x', [1, 16, 16, 32], { fl: 5 }), [16, 16, 32, 64, 3, 2, 1]) },
  { id: 'L3', what: 'conv 1x1 64->64, 8x8', build: (b, r) => conv(b, r, b.input('x', [1, 8, 8, 64], { fl: 5 }), [8, 8, 64, 64, 1, 1, 1]) },
  { id: 'L4', what: 'depthwise 3x3, 64 ch, 25x5', build: (b, r) => conv(b, r, b.input('x', [1, 25, 5, 64], { fl: 5 }), [25, 5, 64, 64, 3, 1, 64]) },
  {
    id: 'L5',
    what: 'dense 256->10',
    build: (b, r) => {
      const x = b.input('x', [1, 256], { fl: 5 });
      const w = b.const('w', [10, 256], { fl: 7 }, r.ints(2560, -127, 127));
      const bias = b.const('b', [10], { dtype: 'int32', fl: 12 }, r.ints(10, -4000, 4000));
      return b.layer('L', 'dense', [x, w, bias], { name: 'y', fl: outFl(256) });
    },
  },
];

/** CMSIS-NN s8 figures measured in the same harness (est. cycles/MAC on M4, instructions/MAC on M55). */
const CMSIS: Record<string, [number, number]> = { L1: [2.89, 0.4], L2: [2.24, 0.24], L3: [2.51, 0.39], L4: [9.2, 2.34], L5: [2.66, 0.69] };

function layerGraph(spec: LayerSpec, seed: number): { g: Graph; input: number[] } {
  const rng = new Rng(seed);
  const b = new GraphBuilder(spec.id.toLowerCase());
  b.output(spec.build(b, rng));
  const diags = new DiagnosticBag();
  const g = runPipeline(b.build(), { diags });
  diags.throwIfErrors();
  const x = getTensor(g, g.inputs[0]!);
  return { g, input: rng.ints(numel(x.shape), -127, 127) };
}

function scratchOf(g: Graph, variant: KernelVariant): number {
  const layer = g.layers[0]!;
  return getOp(layer.op).scratch(opCtx(g, layer), HOST_TARGET, variant);
}

async function bench(g: Graph, input: number[], core: string, variant: KernelVariant): Promise<BenchReport> {
  const keep = process.argv.find((a) => a.startsWith('--keep='));
  const keepDir = keep ? join(keep.slice('--keep='.length), `${g.name}-${core}-${variant}`) : undefined;
  if (keepDir) mkdirSync(keepDir, { recursive: true });
  return benchOnMcu(resolveTarget(core), g, { inputs: [input], options: { variant }, keepDir });
}

async function table(): Promise<string> {
  const rows = [
    '| layer | MACs | M4 est. cycles/MAC: portable / arm (ratio) | CMSIS-NN M4 | M55 instr./MAC: portable / arm (ratio) | CMSIS-NN M55 | flash: weights; code portable / arm (M4); arm (M55) | scratch: portable / arm |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const [i, spec] of LAYERS.entries()) {
    const { g, input } = layerGraph(spec, 42 + i);
    const m4p = await bench(g, input, 'cortex-m4', 'portable');
    const m4a = await bench(g, input, 'cortex-m4', 'arm');
    const m55p = await bench(g, input, 'cortex-m55', 'portable');
    const m55a = await bench(g, input, 'cortex-m55', 'arm');
    const macs = m4a.total.macs;
    const c = (r: BenchReport) => r.total.cycles! / macs;
    const n = (r: BenchReport) => r.total.instructions / macs;
    const [cm4, cm55] = CMSIS[spec.id]!;
    rows.push(
      `| ${spec.id} ${spec.what} | ${macs} | ${c(m4p).toFixed(2)} / **${c(m4a).toFixed(2)}** (${(c(m4p) / c(m4a)).toFixed(1)}x) | ${cm4} | ` +
        `${n(m55p).toFixed(2)} / **${n(m55a).toFixed(2)}** (${(n(m55p) / n(m55a)).toFixed(1)}x) | ${cm55} | ` +
        `${m4a.total.weights_bytes}; ${m4p.total.code_bytes} / ${m4a.total.code_bytes}; ${m55a.total.code_bytes} | ${scratchOf(g, 'portable')} / ${scratchOf(g, 'arm')} |`,
    );
    process.stderr.write(`${spec.id} done\n`);
  }
  return [
    ...rows,
    '',
    'Whole inference of a one-layer model (input copy included), `-O2`, arm-none-eabi-gcc, QEMU boards mps2-an386 (M4) and',
    'mps3-an547 (M55). Cycles are the counting plugin\'s static M4 estimate; M55 has no cycle table, so instructions.',
    'Weights are the int8 weights plus the int32 bias (the same bytes for both variants, permuted for the arm kernels:',
    'conv2d in blocks of 4 output channels, channel pairs packed (b - [a < 0] in b\'s byte) plus one layout byte, with each',
    'channel\'s rounding constant added to the bias, depthwise in blocks of',
    '8 channels tap by tap, dense in blocks of 4 rows by chunks of 16 taps). Code is the whole firmware\'s kernels. Arm scratch:',
    'conv2d groups 1 a ring of kernel_h zero-padded input rows as int16 (two pixels per column), depthwise the padded int16',
    'plane of a channel (of 4 channels where one is at most 2 KiB) and an output block of 4 channels, dense the input as',
    'int16; it is part of the memory plan (arena). Regenerate with',
    '`npx tsx scripts/bench-layers.ts --write`.',
  ].join('\n');
}

async function quick(only: string[], m55Only: boolean): Promise<string> {
  const lines: string[] = [];
  for (const [i, spec] of LAYERS.entries()) {
    if (only.length > 0 && !only.includes(spec.id)) continue;
    const { g, input } = layerGraph(spec, 42 + i);
    if (m55Only) {
      const r = await bench(g, input, 'cortex-m55', 'arm');
      const t = r.total;
      const layer = r.layers.reduce((a, l) => a + l.instructions, 0);
      lines.push(
        `${spec.id}: M55 ${(t.instructions / t.macs).toFixed(3)} instr./MAC (${t.instructions} instructions, ${layer} in the layer), code ${t.code_bytes} B`,
      );
      continue;
    }
    const m4 = await bench(g, input, 'cortex-m4', 'arm');
    const m55 = await bench(g, input, 'cortex-m55', 'arm');
    const macs = m4.total.macs;
    lines.push(`${spec.id}: M4 ${(m4.total.cycles! / macs).toFixed(2)} cycles/MAC, M55 ${(m55.total.instructions / macs).toFixed(2)} instr./MAC`);
  }
  return lines.join('\n');
}

const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? onlyArg.slice('--only='.length).split(',') : [];
if (process.argv.includes('--quick')) {
  process.stdout.write((await quick(only, process.argv.includes('--m55'))) + '\n');
  process.exit(0);
}
const text = await table();
if (process.argv.includes('--write')) {
  replaceReadmeSection('arm-bench', text);
} else {
  process.stdout.write(text + '\n');
}

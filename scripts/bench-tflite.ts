/**
 * The MLPerf Tiny int8 models (../shared/models/mlperf-tiny) imported from
 * .tflite and benchmarked with `f8c bench` on cortex-m4 (QEMU mps2-an386 +
 * counting plugin, static M4 cycle estimate), one inference on golden input
 * 3 (a seeded random tensor): MACs, arena, flash, est. cycles/MAC with the
 * portable kernels. The arm kernels (runtime-c/arm) cover the fixed-point
 * path only: an affine model compiled with --kernels arm runs the same
 * portable affine kernels, so that column is marked, not measured.
 *
 *   npx tsx scripts/bench-tflite.ts            print the table
 *   npx tsx scripts/bench-tflite.ts --write    replace it in README.md between
 *                                              <!-- tflite-bench:begin --> and <!-- tflite-bench:end -->
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchOnMcu } from '../src/backend/mcu/bench.js';
import { importTflite } from '../src/import/tflite/index.js';
import { runPipeline } from '../src/passes/index.js';
import { PACKAGE_ROOT } from '../src/targets/paths.js';
import { resolveTarget } from '../src/targets/load.js';
import { goldens, HAVE_SHARED, modelPath, SHARED_MODELS } from '../test/tflite/shared.js';

const BEGIN = '<!-- tflite-bench:begin -->';
const END = '<!-- tflite-bench:end -->';
const MODELS: [string, string][] = [
  ['ic_resnet8', 'ResNet-8 (image classification)'],
  ['kws_dscnn', 'DS-CNN (keyword spotting)'],
  ['vww_mobilenetv1', 'MobileNetV1 0.25 (visual wake words)'],
  ['ad_autoencoder', 'FC autoencoder (anomaly detection)'],
];

const n = (v: number) => v.toLocaleString('en-US');

async function main(): Promise<void> {
  if (!HAVE_SHARED) throw new Error(`the shared models are not at ${SHARED_MODELS}`);
  const rows = ['| model | MACs | arena B | flash B (weights + code) | M4 est. cycles/MAC: portable | arm |', '|---|--:|--:|--:|--:|--|'];
  for (const [name, what] of MODELS) {
    const g = runPipeline(importTflite(modelPath(name)));
    const rep = await benchOnMcu(resolveTarget('cortex-m4'), g, { inputs: [goldens(name).inputs[3]!], options: { variant: 'portable' } });
    rep.diags.throwIfErrors();
    const t = rep.total;
    rows.push(`| ${what} | ${n(t.macs)} | ${n(t.arena_bytes)} | ${n(t.flash_bytes)} (${n(t.weights_bytes)} + ${n(t.code_bytes)}) | ${(t.cycles! / t.macs).toFixed(2)} | not measured: no affine arm kernels yet |`);
    process.stderr.write(`${name} done\n`);
  }
  const table = rows.join('\n');
  if (process.argv.includes('--write')) {
    const file = join(PACKAGE_ROOT, 'README.md');
    const text = readFileSync(file, 'utf8');
    const a = text.indexOf(BEGIN);
    const b = text.indexOf(END);
    if (a < 0 || b < a) throw new Error(`README.md has no ${BEGIN} ... ${END} section`);
    writeFileSync(file, `${text.slice(0, a + BEGIN.length)}\n${table}\n${text.slice(b)}`);
    console.log('README.md updated');
  } else console.log(table);
}

await main();

/**
 * The MLPerf Tiny int8 models (../shared/models/mlperf-tiny) imported from
 * .tflite and benchmarked with `f8c bench`, one inference on golden input 3
 * (a seeded random tensor), with the portable kernels and with the arm
 * kernels (--kernels arm: runtime-c/arm/f8_tfl_mac_arm.c on the DSP /
 * Helium engines): MACs, arena, flash (weights + code), est. cycles/MAC on
 * cortex-m4 (QEMU mps2-an386 + counting plugin, static M4 cycle estimate)
 * and instructions/MAC on cortex-m55 (mps3-an547; no cycle table).
 *
 *   npx tsx scripts/bench-tflite.ts            print the table
 *   npx tsx scripts/bench-tflite.ts --write    replace it in README.md between
 *                                              <!-- tflite-bench:begin --> and <!-- tflite-bench:end -->
 */
import { benchOnMcu } from '../src/backend/mcu/bench.js';
import { importTflite } from '../src/import/tflite/index.js';
import { runPipeline } from '../src/passes/index.js';
import { replaceReadmeSection } from './readme-section.js';
import { resolveTarget } from '../src/targets/load.js';
import { goldens, HAVE_SHARED, modelPath, SHARED_MODELS } from '../test/tflite/shared.js';

const MODELS: [string, string][] = [
  ['ic_resnet8', 'ResNet-8 (image classification)'],
  ['kws_dscnn', 'DS-CNN (keyword spotting)'],
  ['vww_mobilenetv1', 'MobileNetV1 0.25 (visual wake words)'],
  ['ad_autoencoder', 'FC autoencoder (anomaly detection)'],
];

const n = (v: number) => v.toLocaleString('en-US');

async function main(): Promise<void> {
  if (!HAVE_SHARED) throw new Error(`the shared models are not at ${SHARED_MODELS}`);
  const rows = [
    '| model | MACs | arena B: portable / arm | weights B; code B (M4): portable / arm | M4 est. cycles/MAC: portable / arm (ratio) | M55 instr./MAC: portable / arm (ratio) |',
    '|---|--:|--:|--:|--:|--:|',
  ];
  for (const [name, what] of MODELS) {
    const g = runPipeline(importTflite(modelPath(name)));
    const run = async (core: string, variant: 'portable' | 'arm') => {
      const rep = await benchOnMcu(resolveTarget(core), g, { inputs: [goldens(name).inputs[3]!], options: { variant } });
      rep.diags.throwIfErrors();
      return rep.total;
    };
    const [p4, a4, p55, a55] = [await run('cortex-m4', 'portable'), await run('cortex-m4', 'arm'), await run('cortex-m55', 'portable'), await run('cortex-m55', 'arm')];
    const cyc = (t: typeof p4) => t.cycles! / t.macs;
    const ins = (t: typeof p4) => t.instructions / t.macs;
    rows.push(
      `| ${what} | ${n(p4.macs)} | ${n(p4.arena_bytes)} / ${n(a4.arena_bytes)} | ${n(p4.weights_bytes)}; ${n(p4.code_bytes)} / ${n(a4.code_bytes)} | ` +
        `${cyc(p4).toFixed(2)} / **${cyc(a4).toFixed(2)}** (${(cyc(p4) / cyc(a4)).toFixed(1)}x) | ${ins(p55).toFixed(2)} / **${ins(a55).toFixed(2)}** (${(ins(p55) / ins(a55)).toFixed(1)}x) |`,
    );
    process.stderr.write(`${name} done\n`);
  }
  const table = rows.join('\n');
  if (process.argv.includes('--write')) {
    replaceReadmeSection('tflite-bench', table);
    console.log('README.md updated');
  } else console.log(table);
}

await main();

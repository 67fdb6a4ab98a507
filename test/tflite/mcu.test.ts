/**
 * The shared TFLite int8 models on Cortex-M under QEMU: the generated C
 * built with arm-none-eabi-gcc for cortex-m4 and cortex-m55, with the
 * portable kernels and with the Arm kernels (--kernels arm: DSP on M4,
 * Helium on M55), equals the TFLite Micro goldens byte for byte on 4 of the
 * 16 golden inputs per model (all 16 run on the host, test/tflite/host.test.ts). Skipped, and said so, when
 * ../shared/models is absent.
 */
import { verifyOnMcu } from '../../src/backend/mcu/verify.js';
import { importTflite } from '../../src/import/tflite/index.js';
import { runGraph } from '../../src/interp/interpreter.js';
import { runPipeline } from '../../src/passes/index.js';
import { greedyPlan } from '../../src/plan/greedy.js';
import { resolveTarget } from '../../src/targets/load.js';
import { goldens, HAVE_SHARED, modelPath, MODELS, SHARED_MODELS } from './shared.js';

if (!HAVE_SHARED) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED: TFLite QEMU golden tests need the shared models at ${SHARED_MODELS} (not present)`);
}
const maybe = HAVE_SHARED ? describe : describe.skip;

/** all zeros, all 127, two random inputs; F8C_FULL_GOLDENS=1 runs all 16 (a few minutes). */
const PICK = process.env['F8C_FULL_GOLDENS'] ? Array.from({ length: 16 }, (_, i) => i) : [0, 2, 7, 13];

const RUNS: [string, 'portable' | 'arm'][] = [
  ['cortex-m4', 'portable'],
  ['cortex-m4', 'arm'],
  ['cortex-m55', 'portable'],
  ['cortex-m55', 'arm'],
];

maybe.each(RUNS)('TFLite models on %s (QEMU), %s kernels, equal the TFLite Micro goldens', (core, variant) => {
  test.each(Object.keys(MODELS))(`%s: ${PICK.length} golden inputs, every output byte`, async (name) => {
    const g = runPipeline(importTflite(modelPath(name)));
    const { inputs, outputs } = goldens(name);
    const cases = PICK.map((i) => new Map([[g.inputs[0]!, inputs[i]!]]));
    // verifyOnMcu compares with the interpreter; the interpreter equals the goldens here:
    const plan = greedyPlan(g);
    PICK.forEach((i, k) => expect(Array.from(runGraph(g, plan, cases[k]!).outputs.get(g.outputs[0]!)!)).toEqual(Array.from(outputs[i]!)));
    const rep = await verifyOnMcu(resolveTarget(core), [{ graph: g, cases, options: { variant } }]);
    expect(rep.runErrors).toEqual([]);
    expect(rep.mismatches).toEqual([]);
    expect(rep.cases).toBe(PICK.length);
    expect(rep.ok).toBe(true);
  }, 300_000);
});

maybe('cortex-m0plus (no 32x32->64 multiply: the product by __aeabi_lmul)', () => {
  test.each(['hello_world', 'micro_speech', 'kws_dscnn'])('%s: 2 golden inputs, every output byte', async (name) => {
    const g = runPipeline(importTflite(modelPath(name)));
    const { inputs, outputs } = goldens(name);
    const plan = greedyPlan(g);
    const cases = [2, 9].map((i) => new Map([[g.inputs[0]!, inputs[i]!]]));
    [2, 9].forEach((i, k) => expect(Array.from(runGraph(g, plan, cases[k]!).outputs.get(g.outputs[0]!)!)).toEqual(Array.from(outputs[i]!)));
    const rep = await verifyOnMcu(resolveTarget('cortex-m0plus'), [{ graph: g, cases }]);
    expect(rep.runErrors).toEqual([]);
    expect(rep.mismatches).toEqual([]);
    expect(rep.ok).toBe(true);
  }, 300_000);
});

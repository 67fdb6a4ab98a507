/**
 * The shared TFLite int8 models through the C backend on the host: the
 * generated C (affine kernels of runtime-c/f8_tfl_*.c) equals the TFLite
 * Micro goldens byte for byte on all 16 inputs of every model (strict gcc
 * build), and the interpreter under ASan/UBSan on a few inputs; the single-
 * rounding variant of two models equals the interpreter. Skipped, and said
 * so, when ../shared/models is absent.
 */
import { verifyOnHost } from '../../src/backend/c/verify.js';
import { runOnHost } from '../../src/backend/c/run-host.js';
import { importTflite } from '../../src/import/tflite/index.js';
import { runPipeline } from '../../src/passes/index.js';
import { goldens, HAVE_SHARED, modelPath, MODELS, SHARED_MODELS } from './shared.js';

if (!HAVE_SHARED) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED: TFLite host C golden tests need the shared models at ${SHARED_MODELS} (not present)`);
}
const maybe = HAVE_SHARED ? describe : describe.skip;

const load = (name: string, rounding?: 'single') => runPipeline(importTflite(modelPath(name), rounding ? { rounding } : {}));

maybe('TFLite models as generated C on the host equal the TFLite Micro goldens', () => {
  test.each(Object.keys(MODELS))('%s: 16 inputs, every output byte', async (name) => {
    const g = load(name);
    const { inputs, outputs } = goldens(name);
    const got = await runOnHost(g, inputs.map((x) => new Map([[g.inputs[0]!, x]])));
    expect(got).toHaveLength(16);
    got.forEach((o, i) => expect(Array.from(new Int8Array(o.get(g.outputs[0]!)!.buffer, o.get(g.outputs[0]!)!.byteOffset, outputs[i]!.length))).toEqual(Array.from(outputs[i]!)));
  }, 120_000);

  test('all 7 models in one ASan/UBSan build, 2 inputs each, equal the interpreter', async () => {
    const items = Object.keys(MODELS).map((name) => {
      const g = load(name);
      const { inputs } = goldens(name);
      return { graph: g, cases: [inputs[1]!, inputs[5]!].map((x) => new Map([[g.inputs[0]!, x]])) };
    });
    const rep = await verifyOnHost(items, { builds: ['sanitize'] });
    expect(rep.builds.map((b) => [b.compileLog ?? '', b.runError ?? '', b.mismatches])).toEqual([['', '', []]]);
    expect(rep.ok).toBe(true);
  }, 300_000);

  test('single rounding (hello_world, micro_speech, kws_dscnn): the C equals the interpreter', async () => {
    const items = ['hello_world', 'micro_speech', 'kws_dscnn'].map((name) => {
      const g = load(name, 'single');
      expect(g.affineRounding).toBe('single');
      const { inputs } = goldens(name);
      return { graph: g, cases: inputs.map((x) => new Map([[g.inputs[0]!, x]])) };
    });
    const rep = await verifyOnHost(items, { builds: ['strict'] });
    expect(rep.ok).toBe(true);
  }, 120_000);
});

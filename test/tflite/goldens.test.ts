/**
 * The shared TFLite int8 models through the importer and the reference
 * interpreter: every output byte equals the TFLite Micro reference kernels'
 * (goldens from tflite-micro @90b983c2, 16 inputs per model). Skipped, and
 * said so, when ../shared/models is absent.
 */
import { importTflite } from '../../src/import/tflite/index.js';
import { runGraph } from '../../src/interp/interpreter.js';
import { runPipeline } from '../../src/passes/index.js';
import { greedyPlan } from '../../src/plan/greedy.js';
import { goldens, HAVE_SHARED, modelPath, MODELS, SHARED_MODELS } from './shared.js';

if (!HAVE_SHARED) {
  // eslint-disable-next-line no-console
  console.warn(`SKIPPED: TFLite golden tests need the shared models at ${SHARED_MODELS} (not present)`);
}
const maybe = HAVE_SHARED ? describe : describe.skip;

maybe('TFLite models in the interpreter equal the TFLite Micro goldens', () => {
  test.each(Object.keys(MODELS))('%s: 16 inputs, every output byte', (name) => {
    const g = runPipeline(importTflite(modelPath(name)));
    const plan = greedyPlan(g);
    const { inputs, outputs } = goldens(name);
    expect(inputs).toHaveLength(16);
    inputs.forEach((inp, i) => {
      const r = runGraph(g, plan, new Map([[g.inputs[0]!, inp]]));
      expect(Array.from(r.outputs.get(g.outputs[0]!)!)).toEqual(Array.from(outputs[i]!));
    });
  });
});

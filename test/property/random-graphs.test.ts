import { runGraph } from '../../src/interp/interpreter.js';
import { parseModel, serializeModel } from '../../src/loader/load.js';
import { runPipeline } from '../../src/passes/index.js';
import { trivialPlan } from '../../src/plan/trivial.js';
import { randomGraph } from '../../src/testing/random-graph.js';
import { getTensor, numel, type Graph } from '../../src/ir/types.js';
import { Rng } from '../../src/util/rng.js';

function randomInputs(g: Graph, seed: number): Map<string, number[]> {
  const rng = new Rng(seed);
  return new Map(g.inputs.map((n) => {
    const t = getTensor(g, n);
    return [n, rng.ints(numel(t.shape), t.quant.qmin, t.quant.qmax)];
  }));
}

describe('random graphs', () => {
  const seeds = Array.from({ length: 150 }, (_, i) => i + 1);

  test.each(seeds)('seed %i: survives a save/load round trip, passes every check, and runs deterministically in its arena', (seed) => {
    const g0 = randomGraph(seed);
    const { json, sidecar } = serializeModel(g0, { inline: false, weightsFile: 'w.bin' });
    const { graph, diags } = parseModel(json, `rand${seed}.json`, () => sidecar);
    expect(diags.errors).toEqual([]);
    const g = runPipeline(graph, { diags });
    const plan = trivialPlan(g);
    const inputs = randomInputs(g, seed);
    const a = runGraph(g, plan, inputs);
    // The outputs must not depend on what the arena held before the run.
    const dirty = new Uint8Array(plan.arenaSize).map((_, i) => (i * 151 + seed) & 0xff);
    const b = runGraph(g, plan, inputs, { arena: dirty });
    for (const n of g.outputs) expect(Array.from(b.outputs.get(n)!)).toEqual(Array.from(a.outputs.get(n)!));
    // Unfused and fused graphs compute the same bytes.
    const unfused = runPipeline(graph, { skip: ['fuse-activations'] });
    const c = runGraph(unfused, trivialPlan(unfused), inputs);
    for (const n of g.outputs) expect(Array.from(c.outputs.get(n)!)).toEqual(Array.from(a.outputs.get(n)!));
  });
});

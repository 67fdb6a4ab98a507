import { getTensor, numel, type Graph } from '../../src/ir/types.js';
import { Rng } from '../../src/util/rng.js';

/** `n` seeded random cases, every input element uniform over [qmin, qmax]. */
export function randomCases(g: Graph, n: number, seed: number): Map<string, number[]>[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => new Map(g.inputs.map((name) => {
    const t = getTensor(g, name);
    return [name, rng.ints(numel(t.shape), t.quant.qmin, t.quant.qmax)];
  })));
}

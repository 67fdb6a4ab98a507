/**
 * The order pass: layers in topological order (every layer after the
 * producers of its inputs), ties broken by file order, so the order is
 * deterministic and equal to the file's whenever the file is already in
 * order. Pure: returns a new graph.
 */
import type { Graph, Layer } from '../ir/types.js';
import type { Pass } from './pass.js';

/** Topological order of the layers; `cyclic` lists the layers that cannot be ordered (a cycle or downstream of one). */
export function topoOrder(g: Graph): { order: Layer[]; cyclic: Layer[] } {
  const producer = new Map<string, number>();
  g.layers.forEach((l, i) => l.outputs.forEach((o) => producer.has(o) || producer.set(o, i)));
  const indeg = g.layers.map(() => 0);
  const users: number[][] = g.layers.map(() => []);
  g.layers.forEach((l, i) => {
    const deps = new Set<number>();
    for (const n of l.inputs) {
      const p = producer.get(n);
      if (p !== undefined) deps.add(p);
    }
    for (const p of deps) {
      users[p]!.push(i);
      indeg[i]!++;
    }
  });
  // Ready layers kept sorted by file index (descending, so pop() takes the earliest).
  const ready = indeg.flatMap((d, i) => (d === 0 ? [i] : [])).reverse();
  const order: Layer[] = [];
  const done = new Set<number>();
  while (ready.length > 0) {
    const i = ready.pop()!;
    done.add(i);
    order.push(g.layers[i]!);
    for (const u of users[i]!) {
      if (--indeg[u]! !== 0) continue;
      let k = ready.length;
      while (k > 0 && ready[k - 1]! < u) k--;
      ready.splice(k, 0, u);
    }
  }
  const cyclic = g.layers.filter((_, i) => !done.has(i));
  return { order, cyclic };
}

export const orderPass: Pass = {
  name: 'order',
  run(g) {
    const { order, cyclic } = topoOrder(g);
    if (cyclic.length > 0) throw new Error(`internal: order pass on a cyclic graph (layer '${cyclic[0]!.name}'); run validate first`);
    return { ...g, layers: order };
  },
};

/**
 * Fuses a relu / relu6 / clip layer into the layer that produces its input,
 * where that is exact: the producer's op is fusable, its output feeds only
 * the activation and is not a model output, and the activation does not
 * change the FL (so it is a pure clamp). The producer then writes the
 * activation's output tensor directly, with the composed clamp.
 *
 * Exactness: unfused, t1 = clamp(r, b1) and t2 = clamp(t1, a2) where b1 is
 * the producer's bounds in t1 and a2 the activation's bounds in t2 (same
 * units). clamp(clamp(r, [l1, h1]), [l2, h2]) = clamp(r, [clamp(l1, l2, h2),
 * clamp(h1, l2, h2)]) for every r, so one clamp gives the same bytes.
 */
import { saturate } from '../arith/fixed.js';
import { flAt, getTensor, type Graph, type Layer } from '../ir/types.js';
import { activationRange } from '../ops/activation.js';
import { outputBounds } from '../ops/context.js';
import { getOp } from '../ops/registry.js';
import type { Pass } from './pass.js';

const ACTIVATIONS = new Set(['relu', 'relu6', 'clip']);

function consumers(g: Graph): Map<string, Layer[]> {
  const m = new Map<string, Layer[]>();
  for (const l of g.layers) for (const i of l.inputs) m.set(i, [...(m.get(i) ?? []), l]);
  return m;
}

export const fusePass: Pass = {
  name: 'fuse-activations',
  run(g) {
    const uses = consumers(g);
    const outputs = new Set(g.outputs);
    const producer = new Map<string, Layer>();
    for (const l of g.layers) for (const o of l.outputs) producer.set(o, l);
    const replaced = new Map<Layer, Layer>();
    const dropped = new Set<Layer>();
    for (const act of g.layers) {
      if (!ACTIVATIONS.has(act.op)) continue;
      const mid = act.inputs[0]!;
      const p0 = producer.get(mid);
      if (!p0 || dropped.has(p0)) continue;
      const p = replaced.get(p0) ?? p0;
      if (!getOp(p.op).fusable || outputs.has(mid) || (uses.get(mid) ?? []).length !== 1) continue;
      const t1 = getTensor(g, mid);
      const t2 = getTensor(g, act.outputs[0]!);
      if (flAt(t1.quant) !== flAt(t2.quant)) continue;
      const b1 = outputBounds(p, t1);
      const a = activationRange(act, t2);
      const a2 = outputBounds({ ...act, clamp: a }, t2);
      const clamp = { lo: saturate(b1.lo, a2.lo, a2.hi), hi: saturate(b1.hi, a2.lo, a2.hi) };
      replaced.set(p0, { ...p, outputs: [act.outputs[0]!], clamp });
      dropped.add(act);
    }
    if (dropped.size === 0) return g;
    const layers = g.layers.filter((l) => !dropped.has(l)).map((l) => replaced.get(l) ?? l);
    const live = new Set<string>([...g.inputs, ...layers.flatMap((l) => [...l.inputs, ...l.outputs])]);
    const tensors = new Map([...g.tensors].filter(([name]) => live.has(name)));
    return { ...g, layers, tensors };
  },
};

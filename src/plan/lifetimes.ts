/**
 * Buffer lifetimes from the fixed layer order. Step i is the execution of
 * layer i. A tensor lives from its producer's step (model inputs: step 0) to
 * its last consumer's step (model outputs: the last step); a layer's scratch
 * lives during its own step only. Two buffers whose step intervals intersect
 * must not share bytes: a layer's output never aliases its inputs.
 */
import { tensorBytes, type Graph } from '../ir/types.js';
import { opCtx } from '../ops/context.js';
import type { KernelVariant, TargetInfo } from '../ops/opdef.js';
import { getOp } from '../ops/registry.js';

export interface Buffer {
  /** Tensor name, or layer name for scratch. */
  name: string;
  kind: 'tensor' | 'scratch';
  size: number;
  /** First and last step (inclusive) during which the bytes must be kept. */
  first: number;
  last: number;
}

export function overlapsInTime(a: Buffer, b: Buffer): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** First and last step of every activation tensor of an ordered graph, in order of appearance. */
export function tensorSteps(g: Graph): Map<string, { first: number; last: number }> {
  const end = Math.max(g.layers.length - 1, 0);
  const steps = new Map<string, { first: number; last: number }>();
  for (const name of g.inputs) steps.set(name, { first: 0, last: 0 });
  g.layers.forEach((layer, step) => {
    for (const name of layer.inputs) {
      if (g.tensors.get(name)?.data) continue;
      const s = steps.get(name);
      if (!s) throw new Error(`internal: layer '${layer.name}' reads '${name}' before it is produced`);
      s.last = Math.max(s.last, step);
    }
    for (const name of layer.outputs) {
      if (steps.has(name)) throw new Error(`internal: tensor '${name}' produced twice`);
      steps.set(name, { first: step, last: step });
    }
  });
  for (const name of g.outputs) {
    const s = steps.get(name);
    if (!s) throw new Error(`internal: model output '${name}' is never produced`);
    s.last = end;
  }
  return steps;
}

/** The activation and scratch buffers of an ordered graph, in a deterministic order. */
export function bufferLifetimes(g: Graph, target: TargetInfo, variant: KernelVariant): Buffer[] {
  const out: Buffer[] = [];
  for (const [name, s] of tensorSteps(g)) out.push({ name, kind: 'tensor', size: tensorBytes(g.tensors.get(name)!), ...s });
  g.layers.forEach((layer, step) => {
    const size = getOp(layer.op).scratch(opCtx(g, layer), target, variant);
    if (size > 0) out.push({ name: layer.name, kind: 'scratch', size, first: step, last: step });
  });
  return out;
}

/** Largest sum of bytes live at any one step: no plan can use less. */
export function liveLowerBound(buffers: readonly Buffer[]): number {
  const steps = buffers.reduce((m, b) => Math.max(m, b.last + 1), 0);
  const delta = new Array<number>(steps + 1).fill(0);
  for (const b of buffers) {
    delta[b.first]! += b.size;
    delta[b.last + 1]! -= b.size;
  }
  let live = 0;
  let best = 0;
  for (let s = 0; s < steps; s++) {
    live += delta[s]!;
    best = Math.max(best, live);
  }
  return best;
}

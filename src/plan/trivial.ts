/** The simplest correct plan: every activation and scratch buffer gets its own range. */
import { tensorBytes, type Graph } from '../ir/types.js';
import { getOp, } from '../ops/registry.js';
import { opCtx } from '../ops/context.js';
import { HOST_TARGET, type KernelVariant, type TargetInfo } from '../ops/opdef.js';
import type { MemoryPlan, Region } from './types.js';

export function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

export function trivialPlan(g: Graph, target: TargetInfo = HOST_TARGET, variant: KernelVariant = 'portable', align = 4): MemoryPlan {
  const tensors = new Map<string, Region>();
  const scratch = new Map<string, Region>();
  let at = 0;
  const put = (size: number): Region => {
    const r = { offset: at, size };
    at = alignUp(at + size, align);
    return r;
  };
  for (const name of g.inputs) tensors.set(name, put(tensorBytes(g.tensors.get(name)!)));
  for (const layer of g.layers) {
    for (const o of layer.outputs) tensors.set(o, put(tensorBytes(g.tensors.get(o)!)));
    const s = getOp(layer.op).scratch(opCtx(g, layer), target, variant);
    if (s > 0) scratch.set(layer.name, put(s));
  }
  return { arenaSize: alignUp(at, align), align, tensors, scratch, lowerBound: 0 };
}
